/* kt_text.h - text normalization shared by every module: charset decoding to NFC UTF-8,
 * Vietnamese-aware normalization (canonical tone placement, Ð->Đ, invisible characters,
 * typographic punctuation), case folding, accent folding and the Vietnamese letter tables.
 *
 * All functions are reentrant: they keep no global mutable state (ICU's normalizer and
 * converter data are ICU-owned, immutable singletons). Output always goes to a caller-owned
 * struct kt_buf, which is APPENDED to (reset it first if you want only the result). Input is
 * bytes with an explicit length; it need not be NUL-terminated.
 *
 * ---------------------------------------------------------------------------------------------
 * Canonical tone placement (KT_NORM_TONES, used for every index term)
 * ---------------------------------------------------------------------------------------------
 * Vietnamese has two styles for where the tone mark sits in the open syllables oa, oe, uy:
 * the "old" style (hòa, khỏe, thủy, ủy, Thụy, lòa: tone on the first vowel) and the "new"
 * style (hoà, khoẻ, thuỷ, uỷ, Thuỵ, loà). The corpus mostly uses the old style, so khotin's
 * canonical form is the OLD style. The rule, applied to one syllable (letters only):
 *   1. Split onset / vowel nucleus / final. The onset is the longest of
 *      ngh ng nh ch gh kh ph th tr b c d đ g h k l m n p r s t v x, plus two special onsets:
 *      "qu" when a vowel follows the u (quý, quả, quyền: the u belongs to the onset), and
 *      "gi" when a vowel follows the i (giữa, già, giúp; but gì, gìn: the i is the nucleus).
 *      The nucleus is the run of vowels a ă â e ê i o ô ơ u ư y that follows (1 to 3 of them);
 *      the final must be empty or one of c ch m n ng nh p t.
 *   2. The tone goes on:
 *      - the only vowel if the nucleus has one;
 *      - else the vowel carrying a vowel mark (ă â ê ô ơ ư); for ươ the ơ (người, rượu);
 *      - else, when a final consonant follows, the last vowel (hoàng, toán, huỳnh);
 *      - else (open syllable) the middle vowel of a 3-vowel nucleus (khuỷu, hoài, xoáy) or the
 *        FIRST vowel of a 2-vowel nucleus (hòa, khỏe, thủy, ủy, mùa, tài, kia).
 *   3. A syllable that does not parse this way (foreign words, two tone marks, a 4-vowel run,
 *      letters outside Vietnamese) is left exactly as it is. The rule is idempotent.
 * So quý, hoàng, toán, thuyền, khuya, giữa, quả are unchanged, while hoà/hòa, khoẻ/khỏe,
 * thuỷ/thủy, uỷ/ủy, Thuỵ/Thụy, loà/lòa all become the old-style spelling. Misplaced tones
 * such as "hòang" are also repaired to "hoàng".
 *
 * Display vs canonical: extracted article text keeps the publisher's tone placement
 * (KT_NORM_DISPLAY: NFC, Ð->Đ, invisible characters, spaces), so snippets show what the site
 * printed; index terms and query terms use KT_NORM_TONES on top of it. */
#ifndef KHOTIN_COMMON_KT_TEXT_H
#define KHOTIN_COMMON_KT_TEXT_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ================================ Charset decoding ================================ */

/* How kt_text_decode chose the charset. */
enum kt_charset_source {
    KT_CHARSET_FROM_HEADER = 0, /* charset= parameter of the HTTP Content-Type value */
    KT_CHARSET_FROM_BOM,        /* UTF-8 / UTF-16LE / UTF-16BE byte order mark */
    KT_CHARSET_FROM_META,       /* <meta charset> or <meta http-equiv=Content-Type> */
    KT_CHARSET_FROM_DOCTYPE,    /* HTML5 <!DOCTYPE html> and bytes that are (almost) UTF-8 */
    KT_CHARSET_FROM_UTF8_CHECK, /* nothing declared, but the bytes are valid UTF-8 */
    KT_CHARSET_FROM_DETECTION,  /* ICU ucsdet (or the windows-1258 check), see confidence */
    KT_CHARSET_FROM_FALLBACK,   /* nothing usable: decoded as UTF-8 with U+FFFD replacements */
};

/* Static English name of a source ("header", "bom", "meta", "doctype", "utf8-check",
 * "detected", "fallback"); never NULL. */
const char *kt_charset_source_str(enum kt_charset_source s);

/* What kt_text_decode did. Filled on success (and zeroed first). */
struct kt_text_decode_info {
    char charset[40];              /* charset actually used, ICU canonical-ish name such as
                                    * "UTF-8", "windows-1258", "UTF-16LE" */
    enum kt_charset_source source; /* how it was determined */
    int confidence;                /* 0-100: ucsdet confidence for DETECTION, else 100 */
    size_t invalid;                /* invalid byte sequences replaced by U+FFFD */
    bool declared_unusable;        /* a charset was declared (header/meta) but ICU does not know
                                    * it, or the declaration was "UTF-8" and the bytes were not,
                                    * so a later step decided */
};

/* Flags for kt_text_decode. */
#define KT_DECODE_HTML                                                                             \
    0x1u /* look for <meta> charset and the HTML5 doctype in the first                             \
          * 4 KiB. Without it (plain text) only header, BOM, UTF-8 check                           \
          * and detection apply. */

/* Decodes data (len bytes) to NFC UTF-8, appended to out. content_type is the HTTP
 * Content-Type header value (e.g. "text/html; charset=windows-1258") or NULL.
 *
 * Order: BOM (it overrides any declaration, as in the HTML standard; a page rarely has a BOM
 * that lies); header charset; <meta> within the first 4 KiB (KT_DECODE_HTML); HTML5 doctype =>
 * UTF-8, used only when the bytes are valid UTF-8 except possibly a truncated sequence at the
 * very end or at most 1 invalid sequence per 1000 bytes (a page with a doctype whose bytes are
 * really windows-1258 goes on to detection); valid UTF-8 => UTF-8; ICU ucsdet, where a
 * Latin-1/windows-1252 guess is replaced by windows-1258 when the bytes contain Vietnamese
 * combining tone bytes (0xCC 0xD2 0xDE 0xEC 0xF2) after vowels; otherwise decoding falls back
 * to UTF-8 with replacements (source FALLBACK). There is never a silent ISO-8859-1 guess: a
 * detected Latin charset is reported with source DETECTION and its confidence.
 * A declared label ICU does not know is ignored (declared_unusable) and the next step decides;
 * so is a declared ASCII/Latin-1/windows-1252 label on bytes that are valid UTF-8 with
 * non-ASCII characters (those charsets cannot carry Vietnamese), and a <meta> naming UTF-16.
 * Declared ISO-8859-1 / US-ASCII are decoded as windows-1252, as browsers do.
 * A declared "utf-8" is honoured even with invalid bytes (they become U+FFFD and are counted).
 * windows-1258 output (decomposed tones) is composed to NFC like everything else.
 * NUL bytes are kept as U+0000 (use out->len, not strlen). A leading BOM is not copied.
 * info may be NULL. Returns KT_OK; KT_ENOMEM; KT_EINVAL (data NULL with len > 0);
 * KT_ETOOBIG (over 512 MiB);
 * KT_EOTHER when ICU fails (message names the charset). */
kt_status kt_text_decode(const void *data, size_t len, const char *content_type, unsigned flags,
                         struct kt_buf *out, struct kt_text_decode_info *info, struct kt_err *err);

/* ================================ Normalization ================================ */

/* Flags for kt_text_normalize; combine with |. */
#define KT_NORM_DISPLAY                                                                            \
    0x00u                   /* always done: NFC; invalid UTF-8 -> U+FFFD; Ð/ð (U+00D0,           \
                             * U+00F0) -> Đ/đ; NBSP, narrow NBSP, figure space, ideographic      \
                             * and other Unicode spaces -> ' '; zero-width space/joiners,          \
                             * word joiner, U+FEFF, soft hyphen (U+00AD) removed; C0/C1            \
                             * controls other than \t \n \r -> ' ' */
#define KT_NORM_TONES 0x01u /* canonical (old-style) tone placement per syllable, see top */
#define KT_NORM_ASCII_PUNCT                                                                        \
    0x02u /* “ ” „ ‟ « » -> ", ‘ ’ ‚ ‛ -> ', ‐ ‑ ‒ – — ― − -> -,   \
           * … -> ..., fraction slash/full-width solidus -> / */
#define KT_NORM_CASEFOLD                                                                           \
    0x04u /* Unicode full case folding (ICU u_strFoldCase semantics;                               \
           * Vietnamese letters by table, others through ICU) */
#define KT_NORM_ACCENTFOLD                                                                         \
    0x08u /* remove every tone and vowel mark and all other combining                              \
           * marks (Latin letters with diacritics -> base letter), đ -> d,                        \
           * Đ -> D */
/* What index terms use: */
#define KT_NORM_CANONICAL (KT_NORM_TONES | KT_NORM_ASCII_PUNCT)

/* Normalizes UTF-8 text (len bytes, any normalization form, possibly invalid) with flags and
 * appends the result (always NFC, valid UTF-8) to out. Fast path: ASCII and Vietnamese letters
 * (Latin-1, Latin Extended-A/B, U+1EA0-U+1EF9 and the combining tone/vowel marks) are handled
 * by table; other text goes through ICU. Returns KT_OK, KT_ENOMEM, KT_EINVAL (s NULL with
 * len > 0), KT_ETOOBIG (text over 512 MiB that needs ICU), KT_EOTHER (ICU failure). */
kt_status kt_text_normalize(const char *s, size_t len, unsigned flags, struct kt_buf *out,
                            struct kt_err *err);

/* Shorthands: kt_text_normalize with KT_NORM_CASEFOLD, and with
 * KT_NORM_CASEFOLD | KT_NORM_ACCENTFOLD ("Thường Tín" -> "thuong tin"). */
kt_status kt_text_casefold(const char *s, size_t len, struct kt_buf *out, struct kt_err *err);
kt_status kt_text_accentfold(const char *s, size_t len, struct kt_buf *out, struct kt_err *err);

/* True when s has any Vietnamese diacritic or other combining mark (after NFC): a tone, a vowel
 * mark (ă â ê ô ơ ư) or đ/Đ. Invalid UTF-8 counts as no diacritic. */
bool kt_text_has_diacritics(const char *s, size_t len);

/* ================================ UTF-8 helpers ================================ */

/* Decodes one code point from s (len > 0 bytes available). Returns the bytes consumed (1-4)
 * and sets *cp. An invalid or truncated sequence consumes its maximal valid prefix (at least
 * 1 byte, WHATWG/Unicode "maximal subpart" rule) and sets *cp = 0xFFFD with *invalid = true. */
size_t kt_utf8_next(const unsigned char *s, size_t len, uint32_t *cp, bool *invalid);

/* Encodes cp (<= 0x10FFFF, not a surrogate; others become U+FFFD) into out; returns 1-4. */
size_t kt_utf8_put(uint32_t cp, char out[4]);

/* What the display normalization does with a code point that is not a letter (also used by
 * tokenizers to classify characters). */
enum kt_text_special {
    KT_SPECIAL_NONE = 0, /* kept */
    KT_SPECIAL_SPACE,    /* becomes ' ' (NBSP, Unicode spaces, controls other than \t \n \r) */
    KT_SPECIAL_DROP,     /* removed (zero-width space/joiners, word joiner, BOM, soft hyphen) */
    KT_SPECIAL_NEWLINE,  /* U+2028 / U+2029 -> '\n' */
};
enum kt_text_special kt_text_special_of(uint32_t cp);

/* The ASCII replacement of a typographic quote, dash, ellipsis or slash (KT_NORM_ASCII_PUNCT:
 * "\"", "'", "-", "...", "/"), or NULL when cp is not one. Static storage. */
const char *kt_text_ascii_punct(uint32_t cp);

/* ================================ Vietnamese letters ================================ */

/* Vowel/consonant marks of a Vietnamese letter. */
enum kt_vn_mark {
    KT_VN_MARK_NONE = 0,
    KT_VN_MARK_BREVE,      /* ă */
    KT_VN_MARK_CIRCUMFLEX, /* â ê ô */
    KT_VN_MARK_HORN,       /* ơ ư */
    KT_VN_MARK_STROKE,     /* đ */
};

/* Tones (dấu thanh). */
enum kt_vn_tone {
    KT_VN_TONE_NONE = 0, /* ngang */
    KT_VN_TONE_GRAVE,    /* huyền  à */
    KT_VN_TONE_HOOK,     /* hỏi    ả */
    KT_VN_TONE_TILDE,    /* ngã    ã */
    KT_VN_TONE_ACUTE,    /* sắc    á */
    KT_VN_TONE_DOT,      /* nặng   ạ */
};

/* One Latin letter taken apart: lowercase ASCII base, mark, tone, case. */
struct kt_vn_letter {
    char base;    /* 'a'..'z' */
    uint8_t mark; /* enum kt_vn_mark */
    uint8_t tone; /* enum kt_vn_tone */
    bool upper;   /* the letter was uppercase */
};

/* Takes apart cp if it is an ASCII letter or a precomposed letter used in Vietnamese
 * (a-z, A-Z, the Latin-1 / Latin Extended vowels with grave, acute, tilde, circumflex, breve,
 * horn, đ/Đ, Ð/ð, and U+1EA0-U+1EF9). Returns false for anything else. */
bool kt_vn_letter_from_cp(uint32_t cp, struct kt_vn_letter *out);

/* The precomposed code point for l, or 0 when Unicode has none (e.g. 'b' with a tone). */
uint32_t kt_vn_letter_to_cp(const struct kt_vn_letter *l);

/* The mark/tone a combining code point adds (U+0300 grave, U+0301 acute, U+0303 tilde,
 * U+0309 hook, U+0323 dot below, U+0340/U+0341 too, U+0302 circumflex, U+0306 breve,
 * U+031B horn): sets *mark or *tone (the other to 0) and returns true; false otherwise. */
bool kt_vn_combining(uint32_t cp, uint8_t *mark, uint8_t *tone);

/* Applies the canonical tone rule (see the top of this file) to one syllable given as n
 * letters, in place. Returns true when the letters form a Vietnamese syllable (whether or not
 * the tone moved), false when the rule does not apply (letters are then unchanged). */
bool kt_vn_syllable_canon(struct kt_vn_letter *letters, size_t n);

#ifdef __cplusplus
}
#endif

#endif
