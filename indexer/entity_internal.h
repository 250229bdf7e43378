/* entity_internal.h - private structures shared by the entity extractor's files: the compiled
 * lexicon, the per-text working state over the analyzer's tokens, and helpers. */
#ifndef KHOTIN_INDEXER_ENTITY_INTERNAL_H
#define KHOTIN_INDEXER_ENTITY_INTERNAL_H

#include "indexer/entities.h"
#include "indexer/vi_analyze.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------ lexicon ------------------------------ */

/* Categories a lexicon phrase can belong to (a phrase may have several). */
enum {
    LX_POSITION = 1u << 0,    /* title / position word: Bí thư, Chủ tịch, Đại tá */
    LX_BODY = 1u << 1,        /* organ / organization: Thành ủy, UBND, Sở, Ban Tuyên giáo */
    LX_LEVEL = 1u << 2,       /* administrative level word: huyện, thị trấn, TP. */
    LX_HONORIFIC = 1u << 3,   /* đồng chí, ông, bà */
    LX_SURNAME = 1u << 4,     /* Vietnamese family names */
    LX_STRONG = 1u << 5,      /* family names that are (almost) never middle names */
    LX_UNIT = 1u << 6,        /* count nouns and measure units: trường hợp, mô hình, ha */
    LX_STOP = 1u << 7,        /* words that cannot be a unit after a number: và, của, đã */
    LX_SCALE = 1u << 8,       /* nghìn, triệu, tỷ */
    LX_DOCKIND = 1u << 9,     /* Chỉ thị, Kế hoạch, Nghị định */
    LX_LABEL = 1u << 10,      /* a number after it is a label, not a figure: số, thứ, năm */
    LX_DATEWORD = 1u << 11,   /* ngày, sáng, chiều: a d/m after it is a date */
    LX_LOCATIVE = 1u << 12,   /* ở, tại, thuộc: a place may follow */
    LX_CLAUSEVERB = 1u << 13, /* đạt, chiếm, bằng, tăng: ends the subject of a figure */
    LX_PLURAL = 1u << 14,     /* các, những: plural marker before a level word */
    LX_MIDDLE = 1u << 15,     /* Văn, Thị: typical middle names */
};

/* Administrative levels (index into kt_level_names). */
enum {
    LV_NONE = 0,
    LV_THANHPHO,
    LV_TINH,
    LV_QUAN,
    LV_HUYEN,
    LV_THIXA,
    LV_XA,
    LV_PHUONG,
    LV_THITRAN,
    LV_THON,
    LV_TODANPHO,
    LV_COUNT
};
extern const char *const kt_level_names[LV_COUNT];

/* One compiled lexicon phrase. */
struct lx_entry {
    uint64_t key;      /* phrase key (see lx_phrase_key) */
    uint32_t cats;     /* LX_* */
    uint8_t nsyl;      /* syllables (tokens); cats == 0: only a prefix of longer phrases */
    int8_t level;      /* LX_LEVEL: the level; LX_BODY: the level it implies (Huyện ủy) */
    int8_t dockind;    /* LX_DOCKIND: index into kt_doc_kinds */
    uint8_t scale_exp; /* LX_SCALE: 3, 6, 9, 12 */
};

struct lx_table {
    struct lx_entry *e; /* open addressing, e[i].key == 0 means empty */
    size_t mask;
    uint64_t *first; /* set of first-syllable keys, open addressing, 0 empty */
    size_t first_mask;
    uint8_t maxsyl;
};

extern const char *const kt_doc_kinds[];
extern const size_t kt_doc_kinds_n;

/* Builds the lexicon from the static tables (entity_lexicon.c). */
kt_status lx_build(struct lx_table *t, struct kt_err *err);
void lx_free(struct lx_table *t);

/* Key of one syllable's normalized bytes; never 0. */
uint64_t lx_syl_key(const char *s, size_t n);
/* Folds the next syllable key into a phrase key (start with h = 0). */
uint64_t lx_phrase_step(uint64_t h, uint64_t syl);
const struct lx_entry *lx_get(const struct lx_table *t, uint64_t phrase_key);
bool lx_is_first(const struct lx_table *t, uint64_t syl_key);

/* Document kind from the letters of a code ("CT" -> Chỉ thị); -1 if unknown. */
int lx_dockind_from_code_letters(const char *s, size_t n);

/* ------------------------------ gazetteer ------------------------------ */

struct gz_unit {
    uint64_t key; /* lx_syl_key of the normalized name */
    int8_t level;
    int32_t parent; /* index of the parent unit, -1 for provinces */
    char *name;     /* as written, without the level word */
};

struct kt_gazetteer {
    struct gz_unit *u;
    size_t n, cap;
    int32_t *slots; /* open addressing over u by key, -1 empty */
    size_t mask;
};

/* Calls fn for every unit whose normalized name has key; stops when fn returns true. */
void gz_each(const struct kt_gazetteer *g, uint64_t key,
             bool (*fn)(void *ud, const struct gz_unit *u, int32_t idx), void *ud);

/* ------------------------------ per-text state ------------------------------ */

/* Token marks: what a token already belongs to. */
enum {
    MK_DOC = 1u << 0,    /* document code or number */
    MK_DATE = 1u << 1,   /* date or year */
    MK_PERSON = 1u << 2, /* a person's name */
    MK_TITLE = 1u << 3,  /* part of a title chain */
    MK_PLACE = 1u << 4,  /* a place name */
    MK_FIGURE = 1u << 5, /* number or unit of a figure */
};

/* The part of an analyzer token the passes use (copied in the token callback, so the
 * analyzer's strings need not be kept). */
struct et_tok {
    size_t off, len; /* span in the normalized text */
    enum vi_token_kind kind;
    uint32_t flags;    /* VI_TF_* */
    uint32_t sentence; /* 0-based */
    union vi_token_value v;
    uint32_t canon_len, norm_len;
    char canon[8]; /* first bytes of the canonical form (ASCII punctuation), NUL-terminated */
    char norm[8];  /* first bytes of the case-folded form, NUL-terminated */
};

struct kt_entity_extractor {
    unsigned types;
    const struct kt_gazetteer *gaz;
    vi_analyzer *an;
    struct lx_table lx;
    struct et_tok *toks;
    size_t n_toks;
    uint64_t *keys;   /* per token syllable key */
    uint8_t *marks;   /* per token MK_* */
    uint32_t *cats1;  /* per token: categories of its one-syllable lexicon entry */
    uint32_t *mstart; /* per token + 1: its lexicon matches are mlist[mstart[i]..mstart[i+1]) */
    const struct lx_entry **mlist; /* shortest first */
    size_t mlist_n, mlist_cap;
    size_t *sent_lo; /* per sentence: byte range */
    size_t *sent_hi;
    size_t work_cap, sent_cap;
    const char *text; /* while tokenizing */
    kt_status cb_rc;
};

/* A person found in the text (for titles and linking). */
struct person {
    char *name;
    uint64_t key; /* lx_syl_key of the normalized name */
    char **titles;
    size_t n_titles;
    size_t first; /* entity index of its first mention */
    bool strong;  /* named with a title or as "đồng chí" at least once (not only ông/bà) */
};

/* kt_entity.person values of official mentions the linking pass still has to resolve. */
#define PENDING_GIVEN      (-2) /* "đồng chí Hằng": a given name alone */
#define PENDING_TITLE_BODY (-3) /* a title naming an organ, without a name */
#define PENDING_TITLE      (-4) /* a bare title ("Bí thư") */

struct et_doc {
    struct kt_entity_extractor *ex;
    const struct lx_table *lx;
    const char *text;
    size_t len;
    const struct et_tok *t;
    size_t n;
    uint64_t *key;
    uint8_t *mark;
    size_t nsent;
    size_t *sent_lo, *sent_hi;
    struct kt_entity_list *out;
    int year, month, day; /* article date, 0 when unknown */
    struct person *persons;
    size_t n_persons, cap_persons;
    struct kt_err *err;
};

/* Token helpers (inline: they run for every token in every pass). */

/* j follows i in the same sentence and line, separated by spaces only. */
static inline bool et_adjacent(const struct et_doc *d, size_t i, size_t j)
{
    if (j != i + 1 || j >= d->n)
        return false;
    const struct et_tok *a = &d->t[i], *b = &d->t[j];
    if (a->sentence != b->sentence)
        return false;
    for (size_t k = a->off + a->len; k < b->off; k++)
        if (d->text[k] == '\n' || d->text[k] == '\r')
            return false;
    return true;
}

/* WORD or ABBR */
static inline bool et_is_word(const struct et_doc *d, size_t i)
{
    return i < d->n && (d->t[i].kind == VI_TOK_WORD || d->t[i].kind == VI_TOK_ABBR);
}

/* capitalized WORD */
static inline bool et_is_cap(const struct et_doc *d, size_t i)
{
    return i < d->n && d->t[i].kind == VI_TOK_WORD && (d->t[i].flags & VI_TF_CAPITALIZED);
}

/* PUNCT token whose canonical form starts with c */
static inline bool et_is_punct(const struct et_doc *d, size_t i, char c)
{
    return i < d->n && d->t[i].kind == VI_TOK_PUNCT && d->t[i].canon[0] == c;
}

/* WORD/ABBR whose case-folded form is norm */
static inline bool et_word_is(const struct et_doc *d, size_t i, const char *norm)
{
    if (!et_is_word(d, i))
        return false;
    size_t n = strlen(norm);
    if (d->t[i].norm_len != n)
        return false;
    if (n < sizeof d->t[i].norm)
        return memcmp(d->t[i].norm, norm, n) == 0;
    return d->key[i] == lx_syl_key(norm, n);
}

/* Longest lexicon phrase at token i whose categories intersect cats; sets *e. Returns the
 * number of tokens (0 = none). */
static inline size_t et_lex(const struct et_doc *d, size_t i, uint32_t cats,
                            const struct lx_entry **out)
{
    if (i >= d->n)
        return 0;
    const struct kt_entity_extractor *ex = d->ex;
    for (uint32_t k = ex->mstart[i + 1]; k > ex->mstart[i]; k--) {
        const struct lx_entry *e = ex->mlist[k - 1];
        if (e->cats & cats) {
            if (out)
                *out = e;
            return e->nsyl;
        }
    }
    return 0;
}

/* Category bits of the single-syllable entry at i (0 if none). */
static inline uint32_t et_cats1(const struct et_doc *d, size_t i)
{
    return i < d->n ? d->ex->cats1[i] : 0;
}

/* Key of the syllables of tokens [a, b) (punctuation skipped), equal to gz_name_key of the
 * same name written out: used to compare place names without normalizing them again. */
static inline uint64_t et_run_key(const struct et_doc *d, size_t a, size_t b)
{
    uint64_t h = 0;
    for (size_t k = a; k < b && k < d->n; k++)
        if (d->t[k].kind != VI_TOK_PUNCT)
            h = lx_phrase_step(h, d->key[k]);
    return h;
}

/* The same key for a name given as text (normalizes it; "-" separators skipped). */
kt_status et_text_key(const char *s, size_t n, uint64_t *key);

/* Tokens [s, e) form a plausible personal name: 2-5 capitalized Vietnamese syllables, none a
 * title/organ/level word, the first a family name when need_surname (entity_official.c). */
bool et_name_ok(const struct et_doc *d, size_t s, size_t e, bool need_surname);

/* Appends a new entity spanning tokens [ti, tj) (tj > ti) and returns it zeroed except type,
 * span, sentence and person (-1); NULL on ENOMEM (d->err set). */
struct kt_entity *et_add(struct et_doc *d, enum kt_entity_type type, size_t start, size_t end);
/* malloc'd copy of text[a, b) with whitespace runs collapsed to one space, trimmed. */
char *et_span_dup(const struct et_doc *d, size_t a, size_t b);
char *et_strdup(const char *s);
/* Byte span of tokens [i, j). */
size_t et_tok_start(const struct et_doc *d, size_t i);
size_t et_tok_end(const struct et_doc *d, size_t j_exclusive);

/* Passes, in the order the driver runs them. Each returns KT_OK or KT_ENOMEM. */
kt_status et_documents(struct et_doc *d);
kt_status et_dates(struct et_doc *d);
kt_status et_officials(struct et_doc *d);
kt_status et_places(struct et_doc *d);
kt_status et_figures(struct et_doc *d);
kt_status et_link(struct et_doc *d);

/* String normalization for comparisons: norm (canonical tones, case-folded, spaces collapsed)
 * of s into out (replaced); fold adds accent folding. */
kt_status et_norm(const char *s, size_t n, bool fold, struct kt_buf *out);

#endif
