/* vi_analyze.h - the Vietnamese analyzer: syllable tokens with kinds and parsed values,
 * sentence boundaries, index terms for the indexer and term forms for the query side.
 *
 * ---------------------------------------------------------------------------------------------
 * Term scheme (index format: terms are bytes, UTF-8, NFC, case-folded, canonical tones)
 * ---------------------------------------------------------------------------------------------
 * Every term starts with the caller's field prefix FP ("" for body text, e.g. "S" for the
 * title; use uppercase ASCII prefixes only, and none ending in F, B or W of another field).
 * After FP the analyzer adds its own marker:
 *   FP + norm            exact syllable/token, POSITIONAL     "thành", "ủy", "2020", "ubnd"
 *   FP + "F" + fold      accent-folded form, same POSITION     "Fthanh", "Fuy", "F2020"
 *   FP + "B" + n1_n2     exact bigram of adjacent syllables, not positional   "Bthường_tín"
 *   FP + "BF" + f1_f2    folded bigram                                       "BFthuong_tin"
 *   FP + "W" + w         lexicon word of >= 3 syllables (>= 2 with no_bigrams: shorter ones
 *                        are already bigrams) from the built-in titles/organizations and the
 *                        optional dictionary, syllables joined by '_', not positional, exact
 *                        only                                       "Wphó_bí_thư_thường_trực"
 * norm is never empty and never starts with an uppercase ASCII letter, so the markers cannot
 * collide with exact terms. fold is norm without any tone or vowel mark, đ -> d.
 * Positions are 1-based (Xapian convention); a term with pos 0 is non-positional (add it with
 * add_term, not add_posting). Terms longer than VI_TERM_MAX bytes are not emitted.
 *
 * What counts as one token for terms: a syllable; a number (norm is the surface, fold is the
 * value: "7.904.513" -> "7.904.513" / "F7904513", "49,5" -> "49,5" / "F49.5"); a date, time,
 * range, code, abbreviation, URL or e-mail (norm = case-folded surface with canonical tones,
 * fold = its accent fold: "HĐND" -> "hđnd" / "Fhdnd", "TP.HCM" -> "tp.hcm" / "Ftp.hcm"; an
 * abbreviation's final dot is dropped: "TP." -> "tp").
 * Punctuation and symbols produce no terms but break bigrams; a sentence boundary too.
 *
 * Bigrams (and W terms) are emitted between adjacent WORD/ABBR/ROMAN tokens separated only by
 * whitespace inside one sentence. Choice, see BENCHMARKS.md "analyzer": bigrams cost ~2 extra
 * terms per syllable, need no dictionary, and cover names a dictionary lacks (Thường Tín,
 * Ngô Thị Thanh Hằng); dictionary words add W terms for longer units.
 *
 * ---------------------------------------------------------------------------------------------
 * Query side
 * ---------------------------------------------------------------------------------------------
 * vi_query_word_forms analyzes what the user typed (NFD, either tone style, all caps, stray
 * spaces are fine) and gives per token ONE term to search:
 *   - a word containing any diacritic (tone, vowel mark or đ) -> FP + norm (exact):
 *     "tín" matches only tín, never tin;
 *   - a word with no diacritic at all -> FP + "F" + fold: "thuong" matches thương, thường,
 *     thuông..., "tin" matches tin, tín, tìn...
 * Quoted phrases: build a phrase query over the per-token terms at consecutive positions; exact
 * and folded terms may be mixed ("thuong Tín") because both are indexed at the same position.
 * For ranking, vi_query_terms also gives the bigram (B when both words are exact, BF otherwise)
 * of adjacent words, to be added as an optional (OR/boost) subquery.
 *
 * ---------------------------------------------------------------------------------------------
 * Threads and memory: an analyzer holds all its state (buffers, the optional dictionary, a
 * lazily opened ICU break iterator for non-Latin scripts). Use one analyzer per thread;
 * different analyzers may run concurrently. Token and term strings passed to callbacks live
 * until the callback returns; copy what you keep (or use vi_tokens_collect). */
#ifndef KHOTIN_INDEXER_VI_ANALYZE_H
#define KHOTIN_INDEXER_VI_ANALYZE_H

#include "common/kt_common.h"
#include "common/kt_text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest term emitted (Xapian's limit is 245 bytes including the prefix). */
#define VI_TERM_MAX 240

typedef struct vi_analyzer vi_analyzer;

/* Options; a zeroed struct (or NULL) gives the defaults. */
struct vi_analyzer_opts {
    const char *dict_path; /* optional word list, UTF-8, one word per line (syllables separated
                            * by spaces, '#' starts a comment line); NULL = built-in lexicon
                            * only. Words of >= 2 syllables yield W terms. */
    bool no_bigrams;       /* do not emit B / BF terms */
    bool no_lexicon;       /* do not emit W terms (built-in lexicon nor dictionary) */
};

/* Creates an analyzer. *out is set to NULL on failure. Returns KT_OK; KT_ENOMEM;
 * KT_ENOTFOUND / KT_EIO when dict_path cannot be read (message names it); KT_EPARSE when it
 * is not UTF-8 (message names the line). */
kt_status vi_analyzer_new(const struct vi_analyzer_opts *opts, vi_analyzer **out,
                          struct kt_err *err);

/* Frees an analyzer; NULL is a no-op. */
void vi_analyzer_free(vi_analyzer *an);

/* ================================ Tokens ================================ */

enum vi_token_kind {
    VI_TOK_WORD = 0, /* a syllable (or a run of letters of another script) */
    VI_TOK_NUMBER,   /* 7.904.513, 49,5, 2020, 3.5 */
    VI_TOK_PERCENT,  /* 40,7%  (value = 40.7) */
    VI_TOK_FRACTION, /* 28/28  (num/den); also d/m pairs that cannot be a date */
    VI_TOK_DATE,     /* 23/5/2020, 25/5, 5/2020, 2020-05-23, 27-29/7/2020 (a day range) */
    VI_TOK_TIME,     /* 16:30, 16:30:05, 16h30, 8h */
    VI_TOK_RANGE,    /* 2020-2025 (lo-hi numbers joined by '-' or '–') */
    VI_TOK_ROMAN, /* XXIV after lần thứ / khóa / Đại hội ..., or IVX-only numerals >= 2 */
    VI_TOK_CODE,  /* 11-CT/HU, 02-CTr/TU, 84/2019/NĐ-CP, COVID-19, NĐ-CP */
    VI_TOK_ABBR,  /* UBND, HĐND, MTTQ, T.Ư, TP., TP.HCM, Tp.HCM, TS. */
    VI_TOK_ALNUM, /* letters and digits mixed without separator: F0, U23, H5N1 */
    VI_TOK_URL,   /* http://..., https://..., www.example.vn/... */
    VI_TOK_EMAIL, /* name@example.vn */
    VI_TOK_PUNCT, /* one punctuation or symbol character, or "..." (no terms) */
    VI_TOK_KIND_LAST /* not a kind: the number of kinds */
};

/* Static lowercase name of a kind ("word", "number", ...); never NULL. */
const char *vi_token_kind_str(enum vi_token_kind k);

/* Token flags. */
#define VI_TF_CAPITALIZED 0x01u /* first letter is uppercase (Hà, UBND, TP.HCM) */
#define VI_TF_ALLCAPS                                                                              \
    0x02u                      /* at least one letter and every letter uppercase (HÀ, UBND);      \
                                * a single uppercase letter has both flags */
#define VI_TF_DIACRITIC  0x04u /* the token has a tone, a vowel mark or đ */
#define VI_TF_SENT_START 0x08u /* first token of a sentence */
#define VI_TF_VIETNAMESE 0x10u /* WORD that parses as a Vietnamese syllable (see kt_text.h) */
#define VI_TF_AMBIGUOUS  0x20u /* DATE d/m that could also be a fraction (1/2, 3/4) */
#define VI_TF_INVALID    0x40u /* the token contained invalid UTF-8 (replaced by U+FFFD) */

/* Parsed values, by kind. */
union vi_token_value {
    struct {
        double value;   /* 7904513, 49.5, 40.7 */
        int64_t ivalue; /* value when is_int */
        bool is_int;
    } num; /* NUMBER, PERCENT */
    struct {
        int64_t num, den;
    } frac; /* FRACTION 28/28 */
    struct {
        int day;       /* 1-31, 0 when absent (5/2020) */
        int month;     /* 1-12 */
        int year;      /* 0 when absent (25/5) */
        int day_first; /* first day of a range 27-29/7/2020 (27), else 0 */
    } date;            /* DATE */
    struct {
        int hour, minute, second;
    } time; /* TIME */
    struct {
        int64_t lo, hi;
    } range;   /* RANGE 2020-2025 */
    int roman; /* ROMAN XXIV = 24 */
};

/* One token. Strings are NOT NUL-terminated unless stated; use the lengths. */
struct vi_token {
    size_t off, len; /* surface span: byte offset and length in the text given to
                      * vi_analyze (pass display-normalized text, e.g. extraction
                      * output, to get offsets into normalized text) */
    enum vi_token_kind kind;
    uint32_t flags;    /* VI_TF_* */
    uint32_t sentence; /* 0-based sentence number */
    uint32_t index;    /* 0-based token number in the text (PUNCT tokens included) */
    uint32_t pos;      /* 1-based term position, 0 for PUNCT (no terms) */
    const char *canon; /* NFC, canonical tones, ASCII punctuation, case KEPT ("Thủy") */
    size_t canon_len;
    const char *norm; /* canon case-folded: the exact term body ("thủy") */
    size_t norm_len;
    const char *fold; /* norm accent-folded; for numbers the value ("thuy", "7904513") */
    size_t fold_len;
    union vi_token_value v;
};

/* Receives each token in order. Return KT_OK to go on; any other status stops the analysis and
 * is returned by vi_analyze. The token and its strings are valid only during the call. */
typedef kt_status (*vi_token_cb)(void *ud, const struct vi_token *tok);

/* Tokenizes text (len bytes of UTF-8, any normalization form; invalid bytes are tolerated and
 * flagged). Returns KT_OK, the callback's status, KT_ENOMEM, KT_EINVAL (NULL an/cb, or NULL
 * text with len > 0), KT_EOTHER (ICU failure). */
kt_status vi_analyze(vi_analyzer *an, const char *text, size_t len, vi_token_cb cb, void *ud,
                     struct kt_err *err);

/* All tokens of a text, with their strings copied (for callers that need lookahead, such as
 * entity extraction). Zero-initialise; free with vi_tokens_free. */
struct vi_tokens {
    struct vi_token *v; /* n tokens; canon/norm/fold point into storage owned by this struct */
    size_t n;
    size_t cap;
    struct kt_buf strings; /* private */
};

/* Runs vi_analyze and appends every token to out (whose previous content is discarded).
 * Returns as vi_analyze. */
kt_status vi_tokens_collect(vi_analyzer *an, const char *text, size_t len, struct vi_tokens *out,
                            struct kt_err *err);
void vi_tokens_free(struct vi_tokens *t);

/* ================================ Terms ================================ */

enum vi_term_kind {
    VI_TERM_EXACT = 0,     /* FP + norm, positional */
    VI_TERM_FOLDED,        /* FP + "F" + fold, positional */
    VI_TERM_BIGRAM,        /* FP + "B" + norm_norm, pos 0 */
    VI_TERM_BIGRAM_FOLDED, /* FP + "BF" + fold_fold, pos 0 */
    VI_TERM_WORD,          /* FP + "W" + lexicon word, pos 0 */
};

/* Static name of a term kind ("exact", "folded", "bigram", "bigram-folded", "word"). */
const char *vi_term_kind_str(enum vi_term_kind k);

struct vi_term {
    const char *data; /* the whole term, prefix included, NUL-terminated */
    size_t len;
    uint32_t pos; /* 1-based position, 0 = not positional */
    uint32_t wdf; /* wdf increment: 1 */
    enum vi_term_kind kind;
    uint32_t token; /* index (vi_token.index) of the token it comes from (for bigrams
                     * and words: the first token) */
};

/* Receives each term. Return KT_OK to go on; anything else stops and is returned. */
typedef kt_status (*vi_term_cb)(void *ud, const struct vi_term *t);

/* Emits the index terms of text. field_prefix may be NULL or "". *pos is the last position
 * used before this text (0 at the start of a document); positions continue from it, and on
 * return *pos is the last position used, so several fields/paragraphs can be indexed in a row
 * (add a gap, e.g. *pos += 100, between fields if phrases must not span them). pos may be NULL
 * (starts at 0). Returns as vi_analyze, plus KT_EINVAL for a field prefix longer than 16 bytes. */
kt_status vi_terms_for_text(vi_analyzer *an, const char *text, size_t len, const char *field_prefix,
                            uint32_t *pos, vi_term_cb cb, void *ud, struct kt_err *err);

/* Query side: for one user word (or a few words), one term per token (VI_TERM_EXACT when the
 * token has a diacritic, VI_TERM_FOLDED otherwise), pos = 1, 2, ... within word. No bigrams.
 * An empty or all-punctuation word gives no callback. Returns as vi_analyze. */
kt_status vi_query_word_forms(vi_analyzer *an, const char *word, size_t len,
                              const char *field_prefix, vi_term_cb cb, void *ud,
                              struct kt_err *err);

/* Query side for a whole query string: the per-token terms as vi_query_word_forms (pos =
 * 1, 2, ... over the term-bearing tokens of the whole string; punctuation gives no term), then
 * for each pair of adjacent word tokens not separated by punctuation one bigram term
 * (VI_TERM_BIGRAM when both are exact, else VI_TERM_BIGRAM_FOLDED), pos 0, token = the first
 * token's index. */
kt_status vi_query_terms(vi_analyzer *an, const char *text, size_t len, const char *field_prefix,
                         vi_term_cb cb, void *ud, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
