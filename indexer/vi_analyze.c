/* vi_analyze.c - the tokenizer: chunks of non-space text split into syllables, numbers, dates,
 * codes, abbreviations, URLs and punctuation, with forms, flags and sentence numbers. */
#include "indexer/vi_internal.h"
#include "indexer/vi_parse_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

#define SEG_MAX      96
#define WORD_LETTERS 32

enum cls { C_SPACE, C_NEWLINE, C_DROP, C_LETTER, C_MARK, C_DIGIT, C_OTHER, C_PUNCT, C_INVALID };

enum seg_type { S_LET, S_DIG, S_MIX, S_SEP };

struct seg {
    size_t off, len;
    uint8_t type;
    char sep;     /* S_SEP: the ASCII character (dashes -> '-'), 1 for other punctuation */
    bool foreign; /* letters outside the Vietnamese tables, marks, invalid bytes */
    bool upper;   /* S_LET/S_MIX: every letter uppercase */
    bool cap;     /* first letter uppercase */
    uint8_t nlet; /* letters (capped at 255) */
};

struct run {
    vi_analyzer *an;
    const unsigned char *s;
    size_t len;
    vi_token_cb cb;
    void *ud;
    struct kt_err *err;
    uint32_t sentence, index, pos;
    bool pending_break, any_in_sentence;
    bool prev_initial;  /* previous token: one uppercase letter (a name initial) */
    size_t prev_end;    /* byte after the previous token */
    char prev_norm[24]; /* previous WORD's norm, for Roman numeral context */
    size_t nseg;
    struct seg segs[SEG_MAX]; /* last: not zeroed per call */
};

const char *vi_token_kind_str(enum vi_token_kind k)
{
    static const char *const names[] = {"word",  "number", "percent", "fraction", "date",
                                        "time",  "range",  "roman",   "code",     "abbr",
                                        "alnum", "url",    "email",   "punct"};
    return (unsigned)k < VI_TOK_KIND_LAST ? names[k] : "unknown";
}

static enum cls classify(const unsigned char *s, size_t len, size_t p, uint32_t *cp, size_t *k)
{
    unsigned c = s[p];
    if (c < 0x80) {
        *cp = c;
        *k = 1;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return C_LETTER;
        if (c >= '0' && c <= '9')
            return C_DIGIT;
        if (c == '\n')
            return C_NEWLINE;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c < 0x20 || c == 0x7F)
            return C_SPACE;
        return C_PUNCT;
    }
    bool inv;
    *k = kt_utf8_next(s + p, len - p, cp, &inv);
    if (inv)
        return C_INVALID;
    struct kt_vn_letter l;
    if (kt_vn_letter_from_cp(*cp, &l))
        return C_LETTER;
    uint8_t m, t;
    if (kt_vn_combining(*cp, &m, &t))
        return C_MARK;
    switch (kt_text_special_of(*cp)) {
    case KT_SPECIAL_SPACE:
        return C_SPACE;
    case KT_SPECIAL_DROP:
        return C_DROP;
    case KT_SPECIAL_NEWLINE:
        return C_NEWLINE;
    default:
        break;
    }
    int8_t ty = u_charType((UChar32)*cp);
    if (ty == U_NON_SPACING_MARK || ty == U_COMBINING_SPACING_MARK || ty == U_ENCLOSING_MARK)
        return C_MARK;
    if (u_isalpha((UChar32)*cp))
        return C_OTHER;
    if (u_isdigit((UChar32)*cp))
        return C_OTHER;
    if (u_isspace((UChar32)*cp))
        return C_SPACE;
    return C_PUNCT;
}

static bool is_upper_cp(uint32_t cp, bool *is_letter)
{
    struct kt_vn_letter l;
    if (kt_vn_letter_from_cp(cp, &l)) {
        *is_letter = true;
        return l.upper;
    }
    *is_letter = u_isalpha((UChar32)cp) != 0;
    return u_isUUppercase((UChar32)cp) != 0;
}

/* ---------------------------------------------------------------- token output */

/* Appends s[0..n) normalized with flags to an->forms; returns the offset of the start. */
static kt_status add_form(struct run *r, const char *s, size_t n, unsigned flags, size_t *off)
{
    *off = r->an->forms.len;
    return kt_text_normalize(s, n, flags, &r->an->forms, r->err);
}

static kt_status deliver_token(struct run *r, struct vi_token *t);

/* memcpy for strings of a few bytes (a libc call costs more than the copy): overlapping word
 * moves that stay inside s[0..n). */
static inline void copy_small(char *o, const char *s, size_t n)
{
    if (n > 16) {
        memcpy(o, s, n);
    } else if (n >= 8) {
        memcpy(o, s, 8);
        memcpy(o + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(o, s, 4);
        memcpy(o + n - 4, s + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            o[i] = s[i];
    }
}

static kt_status deliver(struct run *r, struct vi_token *t, size_t canon_off, size_t norm_off,
                         size_t fold_off)
{
    struct kt_buf *f = &r->an->forms;
    t->canon = f->data + canon_off;
    t->canon_len = norm_off - canon_off;
    t->norm = f->data + norm_off;
    t->norm_len = fold_off - norm_off;
    t->fold = f->data + fold_off;
    t->fold_len = f->len - fold_off;
    kt_status rc = deliver_token(r, t);
    f->len = 0; /* kt_buf_reset, inlined */
    if (f->data)
        f->data[0] = '\0';
    return rc;
}

/* Sentence bookkeeping, numbering, then the callback; t's strings are set. */
static kt_status deliver_token(struct run *r, struct vi_token *t)
{
    bool closing = false;
    if (t->kind == VI_TOK_PUNCT && t->canon_len >= 1) {
        char c = t->canon[0];
        const unsigned char *sf = r->s + t->off;
        bool opening_quote =
            (t->len == 3 && sf[0] == 0xE2 && sf[1] == 0x80 && (sf[2] == 0x9C || sf[2] == 0x98)) ||
            (t->len == 2 && sf[0] == 0xC2 && sf[1] == 0xAB);
        bool attached = t->off == r->prev_end;
        closing = c == ')' || c == ']' || c == '}' ||
                  ((c == '"' || c == '\'') && attached && !opening_quote) ||
                  (r->pending_break && (c == '.' || c == '!' || c == '?'));
    }
    if (r->pending_break && r->any_in_sentence && !closing) {
        r->sentence++;
        r->any_in_sentence = false;
    }
    if (!closing)
        r->pending_break = false;
    if (!r->any_in_sentence)
        t->flags |= VI_TF_SENT_START;
    r->any_in_sentence = true;
    t->sentence = r->sentence;
    t->index = r->index++;
    t->pos = t->kind == VI_TOK_PUNCT ? 0 : ++r->pos;
    if (t->kind == VI_TOK_PUNCT && t->canon_len >= 1) {
        char c = t->canon[0];
        if ((c == '.' && !r->prev_initial) || c == '!' || c == '?')
            r->pending_break = true;
    }
    r->prev_initial = t->kind == VI_TOK_WORD && t->canon_len == 1 && (t->flags & VI_TF_ALLCAPS);
    if (t->kind == VI_TOK_WORD && t->norm_len < sizeof r->prev_norm) {
        copy_small(r->prev_norm, t->norm, t->norm_len);
        r->prev_norm[t->norm_len] = '\0';
    } else if (t->kind != VI_TOK_PUNCT) {
        r->prev_norm[0] = '\0';
    }
    r->prev_end = t->off + t->len;
    return r->cb(r->ud, t);
}

/* Case and diacritic flags of a surface span. */
static uint32_t surface_flags(const unsigned char *s, size_t n)
{
    bool any = false, all_upper = true, first_seen = false, first_upper = false, inv = false;
    for (size_t p = 0; p < n;) {
        uint32_t cp;
        bool bad = false;
        if (s[p] < 0x80) {
            cp = s[p++];
        } else {
            p += kt_utf8_next(s + p, n - p, &cp, &bad);
        }
        inv |= bad;
        bool letter;
        bool up = is_upper_cp(cp, &letter);
        if (!letter)
            continue;
        if (!first_seen) {
            first_seen = true;
            first_upper = up;
        }
        any = true;
        all_upper &= up;
    }
    uint32_t f = 0;
    if (first_upper)
        f |= VI_TF_CAPITALIZED;
    if (any && all_upper)
        f |= VI_TF_ALLCAPS;
    if (kt_text_has_diacritics((const char *)s, n))
        f |= VI_TF_DIACRITIC;
    if (inv)
        f |= VI_TF_INVALID;
    return f;
}

/* A token whose forms come from the generic normalizer; fold_value (may be NULL) replaces the
 * accent-folded form (numbers). */
static kt_status emit_generic(struct run *r, size_t off, size_t len, enum vi_token_kind kind,
                              uint32_t extra_flags, const union vi_token_value *v,
                              const char *fold_value)
{
    struct vi_token t = {.off = off, .len = len, .kind = kind};
    if (v)
        t.v = *v;
    t.flags = surface_flags(r->s + off, len) | extra_flags;
    size_t c_off, n_off, f_off;
    kt_status rc = add_form(r, (const char *)r->s + off, len, KT_NORM_CANONICAL, &c_off);
    if (rc != KT_OK)
        return rc;
    size_t canon_len = r->an->forms.len - c_off;
    /* casefold the canonical form: copy it to tmp first (forms may move) */
    struct kt_buf *tmp = &r->an->tmp;
    kt_buf_reset(tmp);
    if (kt_buf_append(tmp, r->an->forms.data + c_off, canon_len) != KT_OK)
        return kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
    if (kind == VI_TOK_ABBR && tmp->len > 1 && tmp->data[tmp->len - 1] == '.')
        tmp->data[--tmp->len] = '\0'; /* "TP." is searched as "tp" */
    if ((rc = add_form(r, tmp->data, tmp->len, KT_NORM_CASEFOLD, &n_off)) != KT_OK)
        return rc;
    f_off = r->an->forms.len;
    if (fold_value) {
        if (kt_buf_append_cstr(&r->an->forms, fold_value) != KT_OK)
            return kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
    } else if ((rc = kt_text_normalize(tmp->data, tmp->len, KT_NORM_CASEFOLD | KT_NORM_ACCENTFOLD,
                                       &r->an->forms, r->err)) != KT_OK) {
        return rc;
    }
    if (f_off == r->an->forms.len || n_off == f_off) /* nothing left (only invisible chars) */
        return (kt_buf_reset(&r->an->forms), KT_OK);
    return deliver(r, &t, c_off, n_off, f_off);
}

static const char *const roman_context[] = {
    "thứ", "khóa", "kỳ",   "kì",   "phần",  "chương", "mục", "đợt", "lần",
    "hội", "quý",  "kỷ",   "tập",  "phiên", "điều",   "khu", "số",  "vòng",
    "cấp", "loại", "hạng", "đoàn", "quân",  "nhóm",   "lớp",
};

static bool roman_in_context(const struct run *r)
{
    for (size_t i = 0; i < sizeof roman_context / sizeof roman_context[0]; i++)
        if (strcmp(r->prev_norm, roman_context[i]) == 0)
            return true;
    return false;
}

static kt_status emit_letter_word(struct run *r, size_t off, size_t len, struct kt_vn_letter *L,
                                  size_t nl);

static bool any_upper_after_first(const struct kt_vn_letter *L, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (L[i].upper)
            return true;
    return false;
}

/* Bytes that may belong to a fast-path word: ASCII letters and every non-ASCII byte. */
static const bool
    word_byte[256] =
        {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
            R16(0), R16(0), R16(0), R16(0), 0,      1,      1,      1,      1, 1,
            1,      1,      1,      1,      1,      1,      1,      1,      1, 1, /* @ A-O */
            1,      1,      1,      1,      1,      1,      1,      1,      1, 1,
            1,      0,      0,      0,      0,      0, /* P-Z */
            0,      1,      1,      1,      1,      1,      1,      1,      1, 1,
            1,      1,      1,      1,      1,      1, /* ` a-o */
            1,      1,      1,      1,      1,      1,      1,      1,      1, 1,
            1,      0,      0,      0,      0,      0, /* p-z */
            R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
#undef R16
};

_Static_assert(sizeof(struct vi_syl_entry) == 64, "one cache line per syllable cache entry");

/* The syllable cache key of s[0..n) (n <= VI_SYL_KEY, avail bytes readable): the bytes
 * zero-padded to 16, as two words. */
static inline uint64_t first_bytes_mask(size_t k)
{
    if (k >= 8)
        return ~(uint64_t)0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return k ? ~(~(uint64_t)0 >> (8 * k)) : 0;
#else
    return ((uint64_t)1 << (8 * k)) - 1;
#endif
}

static inline void syl_key(const unsigned char *s, size_t avail, size_t n, uint64_t key[2])
{
    if (avail >= VI_SYL_KEY) { /* two loads and masks, no byte loop */
        memcpy(&key[0], s, 8);
        memcpy(&key[1], s + 8, 8);
        key[0] &= first_bytes_mask(n);
        key[1] &= first_bytes_mask(n > 8 ? n - 8 : 0);
        return;
    }
    unsigned char b[VI_SYL_KEY] = {0};
    for (size_t i = 0; i < n; i++)
        b[i] = s[i];
    memcpy(key, b, VI_SYL_KEY);
}

static inline size_t syl_slot(const uint64_t key[2], size_t n)
{
    uint64_t h = (key[0] * 0x9E3779B97F4A7C15u) ^ (key[1] * 0xC2B2AE3D27D4EB4Fu) ^ n;
    h ^= h >> 29;
    return (size_t)(h * 0xBF58476D1CE4E5B9u >> 40) & (VI_SYL_SLOTS - 1);
}

/* Delivers the WORD token s[off..off+len) whose forms and flags are in the cache entry ce. */
static kt_status deliver_cached(struct run *r, size_t off, size_t len, struct vi_syl_entry *ce)
{
    struct kt_buf *f = &r->an->forms;
    size_t total = (size_t)ce->canon_len + ce->norm_len + ce->fold_len;
    if (f->cap - f->len <= VI_SYL_FORMS && kt_buf_reserve(f, VI_SYL_FORMS) != KT_OK)
        return kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
    size_t c_off = f->len;
    memcpy(f->data + c_off, ce->forms, VI_SYL_FORMS); /* fixed size: a few vector moves */
    f->len += total;
    f->data[f->len] = '\0';
    struct vi_token t = {.off = off, .len = len, .kind = VI_TOK_WORD, .flags = ce->flags};
    r->an->cur_syl = ce;
    kt_status rc =
        deliver(r, &t, c_off, c_off + ce->canon_len, c_off + ce->canon_len + ce->norm_len);
    r->an->cur_syl = NULL;
    return rc;
}

/* A run of letters (one segment): a syllable by table, or another script through ICU. */
static kt_status emit_word(struct run *r, const struct seg *g)
{
    const unsigned char *s = r->s + g->off;
    size_t n = g->len;
    if (!g->foreign && n <= VI_SYL_KEY) {
        /* entries come from fast_word: the same bytes decode to the same letters, and a word
         * that is not all capitals gets its forms and flags from the letters alone */
        uint64_t key[2];
        syl_key(s, r->len - g->off, n, key);
        struct vi_syl_entry *ce = &r->an->syl[syl_slot(key, n)];
        if (ce->key_len == n && ce->key[0] == key[0] && ce->key[1] == key[1])
            return deliver_cached(r, g->off, n, ce);
    }
    struct kt_vn_letter L[WORD_LETTERS];
    size_t nl = 0;
    bool fast = !g->foreign;
    for (size_t p = 0; fast && p < n;) {
        uint32_t cp;
        size_t k;
        enum cls c = classify(s, n, p, &cp, &k);
        p += k;
        if (c == C_DROP)
            continue;
        if (c == C_LETTER && nl < WORD_LETTERS) {
            kt_vn_letter_from_cp(cp, &L[nl++]);
            continue;
        }
        uint8_t m, t;
        if (c == C_MARK && nl > 0 && kt_vn_combining(cp, &m, &t)) {
            struct kt_vn_letter x = L[nl - 1];
            if (m && !x.mark)
                x.mark = m;
            else if (t && !x.tone)
                x.tone = t;
            else
                m = t = 0, x.base = 0;
            if ((m || t) && kt_vn_letter_to_cp(&x)) {
                L[nl - 1] = x;
                continue;
            }
        }
        fast = false;
    }
    if (!fast || nl == 0)
        return emit_generic(r, g->off, g->len, VI_TOK_WORD, 0, NULL, NULL);
    return emit_letter_word(r, g->off, g->len, L, nl);
}

static kt_status build_letter_word(struct run *r, size_t off, size_t len, struct kt_vn_letter *L,
                                   size_t nl, struct vi_token *tok, size_t form_off[3]);

/* A word whose letters are known: forms by table, kind by the syllable rule. */
static kt_status emit_letter_word(struct run *r, size_t off, size_t len, struct kt_vn_letter *L,
                                  size_t nl)
{
    struct vi_token t;
    size_t fo[3];
    kt_status rc = build_letter_word(r, off, len, L, nl, &t, fo);
    if (rc != KT_OK)
        return rc;
    return deliver(r, &t, fo[0], fo[1], fo[2]);
}

/* Sets *tok and appends its canon, norm and fold forms to an->forms (offsets in form_off). */
static kt_status build_letter_word(struct run *r, size_t off, size_t len, struct kt_vn_letter *L,
                                   size_t nl, struct vi_token *tok, size_t form_off[3])
{
    bool viet = kt_vn_syllable_canon(L, nl);
    bool all_up = true, diac = false;
    for (size_t i = 0; i < nl; i++) {
        all_up &= L[i].upper;
        diac |= L[i].mark || L[i].tone;
    }
    enum vi_token_kind kind = VI_TOK_WORD;
    union vi_token_value v = {0};
    if (all_up && nl >= 1) {
        char asc[WORD_LETTERS + 1];
        bool plain = !diac;
        for (size_t i = 0; i < nl; i++)
            asc[i] = (char)(L[i].base - 'a' + 'A');
        asc[nl] = '\0';
        int rv = plain ? vi_parse_roman(asc, nl) : 0;
        bool ivx = plain && strspn(asc, "IVX") == nl;
        if (rv && (roman_in_context(r) || (ivx && nl >= 2 && !viet))) {
            kind = VI_TOK_ROMAN;
            v.roman = rv;
        } else if (nl >= 2 && !viet) {
            kind = VI_TOK_ABBR;
        }
    }
    struct vi_token t = {.off = off, .len = len, .kind = kind, .v = v};
    if (L[0].upper)
        t.flags |= VI_TF_CAPITALIZED;
    if (all_up)
        t.flags |= VI_TF_ALLCAPS;
    if (diac)
        t.flags |= VI_TF_DIACRITIC;
    if (viet)
        t.flags |= VI_TF_VIETNAMESE;
    struct kt_buf *f = &r->an->forms;
    if (kt_buf_reserve(f, nl * 9 + 3) != KT_OK)
        return kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
    char *o = f->data + f->len;
    size_t c_off = f->len;
    for (size_t i = 0; i < nl; i++) {
        if (!L[i].mark && !L[i].tone)
            *o++ = (char)(L[i].upper ? L[i].base - 32 : L[i].base);
        else
            o += kt_utf8_put(kt_vn_letter_to_cp(&L[i]), o);
    }
    size_t n_off = (size_t)(o - f->data);
    if (!(t.flags & VI_TF_CAPITALIZED) && !all_up && !any_upper_after_first(L, nl)) {
        /* already lowercase: norm = canon */
        memcpy(o, f->data + c_off, n_off - c_off);
        o += n_off - c_off;
    } else {
        for (size_t i = 0; i < nl; i++) {
            if (!L[i].mark && !L[i].tone) {
                *o++ = L[i].base;
            } else {
                struct kt_vn_letter x = L[i];
                x.upper = false;
                o += kt_utf8_put(kt_vn_letter_to_cp(&x), o);
            }
        }
    }
    size_t f_off = (size_t)(o - f->data);
    for (size_t i = 0; i < nl; i++)
        *o++ = L[i].base;
    *o = '\0';
    f->len = (size_t)(o - f->data);
    *tok = t;
    form_off[0] = c_off;
    form_off[1] = n_off;
    form_off[2] = f_off;
    return KT_OK;
}

/* Letters of a script written without spaces (Han, Thai, ...): ICU word breaks. */
static bool needs_word_breaks(const unsigned char *s, size_t n)
{
    for (size_t p = 0; p < n;) {
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(s + p, n - p, &cp, &inv);
        if (inv || cp < 0x0E00)
            continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript((UChar32)cp, &st);
        if (sc == USCRIPT_HAN || sc == USCRIPT_THAI || sc == USCRIPT_LAO || sc == USCRIPT_KHMER ||
            sc == USCRIPT_MYANMAR || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA)
            return true;
    }
    return false;
}

static kt_status emit_broken_words(struct run *r, const struct seg *g)
{
    vi_analyzer *an = r->an;
    const char *s = (const char *)r->s + g->off;
    if (g->len > 1u << 20)
        return emit_generic(r, g->off, g->len, VI_TOK_WORD, 0, NULL, NULL);
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    UChar *u = malloc((g->len + 1) * sizeof(UChar));
    int32_t *map = malloc((g->len + 2) * sizeof(int32_t)); /* UTF-16 index -> byte offset */
    kt_status rc = KT_OK;
    if (!u || !map) {
        rc = kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
        goto done;
    }
    for (size_t p = 0; p < g->len;) {
        uint32_t cp;
        bool inv;
        size_t k = kt_utf8_next((const unsigned char *)s + p, g->len - p, &cp, &inv);
        map[n16] = (int32_t)p;
        if (cp > 0xFFFF)
            map[n16 + 1] = (int32_t)p;
        U16_APPEND_UNSAFE(u, n16, cp);
        p += k;
    }
    map[n16] = (int32_t)g->len;
    if (!an->brk) {
        an->brk = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
        if (U_FAILURE(st)) {
            an->brk = NULL;
            rc = emit_generic(r, g->off, g->len, VI_TOK_WORD, 0, NULL, NULL);
            goto done;
        }
    }
    UBreakIterator *bi = an->brk;
    ubrk_setText(bi, u, n16, &st);
    if (U_FAILURE(st)) {
        rc = emit_generic(r, g->off, g->len, VI_TOK_WORD, 0, NULL, NULL);
        goto done;
    }
    int32_t a = ubrk_first(bi);
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && rc == KT_OK; a = b, b = ubrk_next(bi)) {
        size_t bo = (size_t)map[a], be = (size_t)map[b];
        if (be > bo)
            rc = emit_generic(r, g->off + bo, be - bo, VI_TOK_WORD, 0, NULL, NULL);
    }
    ubrk_setText(bi, NULL, 0, &st);
done:
    free(u);
    free(map);
    return rc;
}

static kt_status emit_letters(struct run *r, const struct seg *g)
{
    if (g->foreign && needs_word_breaks(r->s + g->off, g->len))
        return emit_broken_words(r, g);
    return emit_word(r, g);
}

static kt_status emit_ascii_punct(struct run *r, size_t off);

static kt_status emit_punct(struct run *r, const struct seg *g)
{
    /* one printable ASCII character: the generic normalizer would return it unchanged, with
     * no flags */
    if (g->len == 1 && r->s[g->off] > 0x20 && r->s[g->off] < 0x7F)
        return emit_ascii_punct(r, g->off);
    return emit_generic(r, g->off, g->len, VI_TOK_PUNCT, 0, NULL, NULL);
}

/* ---------------------------------------------------------------- chunk segmentation */

/* Splits the chunk [a, b) into segments; returns the byte where segmentation stopped (b, or
 * earlier when SEG_MAX was reached). */
static size_t segment(struct run *r, size_t a, size_t b)
{
    r->nseg = 0;
    size_t p = a;
    while (p < b) {
        uint32_t cp;
        size_t k;
        enum cls c = classify(r->s, b, p, &cp, &k);
        if (c == C_PUNCT) {
            if (cp == '.' && r->nseg > 0 && r->segs[r->nseg - 1].type == S_SEP &&
                r->segs[r->nseg - 1].sep == '.' && r->s[p - 1] == '.') {
                r->segs[r->nseg - 1].len++; /* "..." is one token */
                p++;
                continue;
            }
            if (r->nseg == SEG_MAX)
                break;
            struct seg *g = &r->segs[r->nseg++];
            *g = (struct seg){.off = p, .len = k, .type = S_SEP, .sep = 1};
            if (cp < 0x80) {
                g->sep = (char)cp;
            } else {
                const char *rep = kt_text_ascii_punct(cp);
                if (rep && rep[1] == '\0')
                    g->sep = rep[0];
            }
            p += k;
            continue;
        }
        /* an alnum run: letters, digits, marks, invisible characters */
        struct seg *g = NULL;
        if (r->nseg > 0 && r->segs[r->nseg - 1].type != S_SEP) {
            g = &r->segs[r->nseg - 1];
        } else {
            if (r->nseg == SEG_MAX)
                break;
            g = &r->segs[r->nseg++];
            *g = (struct seg){.off = p, .len = 0, .type = 0xFF, .upper = true};
        }
        uint8_t t;
        if (c == C_DIGIT)
            t = S_DIG;
        else if (c == C_LETTER || c == C_OTHER || c == C_INVALID)
            t = S_LET;
        else
            t = 0xFF; /* marks and invisible characters do not change the type */
        if (c == C_OTHER || c == C_INVALID ||
            (c == C_MARK && !kt_vn_combining(cp, &(uint8_t){0}, &(uint8_t){0})))
            g->foreign = true;
        if (t != 0xFF) {
            if (g->type == 0xFF)
                g->type = t;
            else if (g->type != t)
                g->type = S_MIX;
        }
        if (c == C_LETTER || c == C_OTHER) {
            bool letter;
            bool up = is_upper_cp(cp, &letter);
            if (g->nlet == 0)
                g->cap = up;
            g->upper &= up;
            if (g->nlet < 255)
                g->nlet++;
        }
        g->len = p + k - g->off;
        p += k;
    }
    for (size_t i = 0; i < r->nseg; i++)
        if (r->segs[i].type == 0xFF) /* only marks / invisible characters */
            r->segs[i].type = S_LET, r->segs[i].foreign = true;
    return p;
}

static bool starts_ci(const unsigned char *s, size_t n, const char *pfx)
{
    size_t l = strlen(pfx);
    return n >= l && strncasecmp((const char *)s, pfx, l) == 0;
}

/* Abbreviations written with a final dot that does not end the sentence. */
static bool dot_abbrev(const unsigned char *s, size_t n)
{
    static const char *const list[] = {"TP", "Tp", "TS",  "ThS", "PGS", "GS", "BS",  "KS", "NXB",
                                       "TT", "Q",  "P",   "TX",  "Mr",  "Ms", "Mrs", "Dr", "St",
                                       "Th", "CN", "NCS", "ĐH",  "Ths", "Ts", "Bs"};
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

static struct vi_part part_of(const struct run *r, const struct seg *g)
{
    return (struct vi_part){(const char *)r->s + g->off, g->len};
}

/* Pattern of segs [i, j): 'L' 'D' 'M' or the separator. */
static void pattern(const struct run *r, size_t i, size_t j, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t x = i; x < j && k + 1 < cap; x++) {
        const struct seg *g = &r->segs[x];
        out[k++] = g->type == S_LET   ? 'L'
                   : g->type == S_DIG ? 'D'
                   : g->type == S_MIX ? 'M'
                                      : g->sep;
    }
    out[k] = '\0';
}

static bool time_mixed(const struct run *r, const struct seg *g, struct vi_time *tm)
{
    /* 16h30, 8h, 16g30 */
    const char *s = (const char *)r->s + g->off;
    size_t n = g->len, h = 0;
    while (h < n && s[h] >= '0' && s[h] <= '9')
        h++;
    if (h == 0 || h > 2 || h >= n || (s[h] != 'h' && s[h] != 'g' && s[h] != 'H'))
        return false;
    struct vi_part parts[2] = {{s, h}, {s + h + 1, n - h - 1}};
    if (parts[1].n == 0)
        return vi_parse_time(parts, 1, tm);
    for (size_t i = 0; i < parts[1].n; i++)
        if (parts[1].s[i] < '0' || parts[1].s[i] > '9')
            return false;
    return vi_parse_time(parts, 2, tm);
}

/* Whether a letter segment (Vietnamese letters, precomposed) parses as a syllable. */
static bool seg_is_syllable(const struct run *r, const struct seg *g)
{
    struct kt_vn_letter L[WORD_LETTERS];
    size_t n = 0;
    for (size_t p = 0; p < g->len;) {
        uint32_t cp;
        bool inv;
        p += kt_utf8_next(r->s + g->off + p, g->len - p, &cp, &inv);
        if (inv || n == WORD_LETTERS || !kt_vn_letter_from_cp(cp, &L[n]))
            return false;
        n++;
    }
    return kt_vn_syllable_canon(L, n);
}

static kt_status emit_single(struct run *r, size_t i);

/* Emits segs [i, j) one by one: letters, numbers, punctuation; "TP." keeps its dot. */
static kt_status emit_split(struct run *r, size_t i, size_t j)
{
    for (size_t x = i; x < j; x++) {
        const struct seg *g = &r->segs[x];
        kt_status rc;
        if (g->type == S_SEP) {
            rc = emit_punct(r, g);
        } else if (g->type == S_LET && x + 1 < j && r->segs[x + 1].type == S_SEP &&
                   r->segs[x + 1].sep == '.' && dot_abbrev(r->s + g->off, g->len)) {
            rc = emit_generic(r, g->off, g->len + 1, VI_TOK_ABBR, 0, NULL, NULL);
            x++;
        } else {
            rc = emit_single(r, x);
        }
        if (rc != KT_OK)
            return rc;
    }
    return KT_OK;
}

static kt_status emit_number(struct run *r, size_t off, size_t len, size_t numlen, bool percent)
{
    struct vi_number num;
    if (!vi_parse_number((const char *)r->s + off, numlen, &num))
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    union vi_token_value v = {.num = {num.value, num.ivalue, num.is_int}};
    return emit_generic(r, off, len, percent ? VI_TOK_PERCENT : VI_TOK_NUMBER, 0, &v, num.canon);
}

static kt_status emit_single(struct run *r, size_t i)
{
    const struct seg *g = &r->segs[i];
    if (g->type == S_LET)
        return emit_letters(r, g);
    if (g->type == S_DIG)
        return emit_number(r, g->off, g->len, g->len, false);
    struct vi_time tm;
    if (time_mixed(r, g, &tm)) {
        union vi_token_value v = {.time = {tm.hour, tm.minute, tm.second}};
        return emit_generic(r, g->off, g->len, VI_TOK_TIME, 0, &v, NULL);
    }
    return emit_generic(r, g->off, g->len, VI_TOK_ALNUM, 0, NULL, NULL);
}

/* The core [i, j) of a chunk: starts and ends with an alnum segment. */
static kt_status emit_core(struct run *r, size_t i, size_t j, bool percent, bool *ate_dot)
{
    const struct seg *a = &r->segs[i], *z = &r->segs[j - 1];
    size_t off = a->off, end = z->off + z->len;
    size_t len = end - off + (percent ? 1 : 0);
    if (j - i == 1)
        return percent ? emit_number(r, off, len, end - off, true) : emit_single(r, i);
    char pat[SEG_MAX + 1];
    pattern(r, i, j, pat, sizeof pat);
    size_t np = j - i;

    /* numbers: digits with '.' ',' */
    if (strspn(pat, "D.,") == np) {
        struct vi_number num;
        if (vi_parse_number((const char *)r->s + off, end - off, &num))
            return emit_number(r, off, len, end - off, percent);
        if (strcmp(pat, "D.D.D") == 0 && !percent) {
            struct vi_part p[3] = {part_of(r, a), part_of(r, &r->segs[i + 2]), part_of(r, z)};
            struct vi_date d;
            if (vi_parse_date(p, 3, '.', &d)) {
                union vi_token_value v = {.date = {d.day, d.month, d.year, 0}};
                return emit_generic(r, off, len, VI_TOK_DATE, 0, &v, NULL);
            }
        }
        if (strspn(pat, "D,") == np) /* 1,2,3 : a list */
            return emit_split(r, i, j);
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    }
    if (percent) { /* 10-15% and such: the core, then '%' */
        kt_status rc = emit_core(r, i, j, false, ate_dot);
        if (rc != KT_OK)
            return rc;
        struct seg pc = {.off = end, .len = 1, .type = S_SEP, .sep = '%'};
        return emit_punct(r, &pc);
    }
    struct vi_part p[5];
    for (size_t x = 0; x < np && x / 2 < 5; x += 2)
        p[x / 2] = part_of(r, &r->segs[i + x]);
    if (strcmp(pat, "D:D") == 0 || strcmp(pat, "D:D:D") == 0) {
        struct vi_time tm;
        if (vi_parse_time(p, (np + 1) / 2, &tm)) {
            union vi_token_value v = {.time = {tm.hour, tm.minute, tm.second}};
            return emit_generic(r, off, len, VI_TOK_TIME, 0, &v, NULL);
        }
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    }
    if (strcmp(pat, "D/D/D") == 0 || strcmp(pat, "D-D-D") == 0 || strcmp(pat, "D/D") == 0) {
        struct vi_date d;
        if (vi_parse_date(p, (np + 1) / 2, pat[1], &d)) {
            union vi_token_value v = {.date = {d.day, d.month, d.year, 0}};
            uint32_t fl = (np == 3 && d.year == 0) ? VI_TF_AMBIGUOUS : 0;
            return emit_generic(r, off, len, VI_TOK_DATE, fl, &v, NULL);
        }
        if (np == 3 && pat[1] == '/') {
            int64_t nu = 0, de = 0;
            int tmp;
            if (vi_parse_uint(p[0].s, p[0].n, &tmp))
                nu = tmp;
            if (vi_parse_uint(p[1].s, p[1].n, &tmp))
                de = tmp;
            union vi_token_value v = {.frac = {nu, de}};
            return emit_generic(r, off, len, VI_TOK_FRACTION, 0, &v, NULL);
        }
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    }
    if (strcmp(pat, "D-D/D/D") == 0 || strcmp(pat, "D-D/D") == 0) {
        struct vi_date d;
        int first;
        if (vi_parse_date(p + 1, (np - 1) / 2, '/', &d) && d.day &&
            vi_parse_uint(p[0].s, p[0].n, &first) && first >= 1 && first < d.day) {
            union vi_token_value v = {.date = {d.day, d.month, d.year, first}};
            return emit_generic(r, off, len, VI_TOK_DATE, 0, &v, NULL);
        }
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    }
    if (strcmp(pat, "D-D") == 0) {
        int lo, hi;
        if (vi_parse_uint(p[0].s, p[0].n, &lo) && vi_parse_uint(p[1].s, p[1].n, &hi)) {
            union vi_token_value v = {.range = {lo, hi}};
            return emit_generic(r, off, len, VI_TOK_RANGE, 0, &v, NULL);
        }
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    }
    /* structure of the remaining patterns */
    bool has_digit = false, all_caps_letters = true, seps_ok = true, prev_sep = false;
    bool only_dots = true;
    for (size_t x = i; x < j; x++) {
        const struct seg *g = &r->segs[x];
        if (g->type == S_SEP) {
            if (prev_sep || !strchr("-/._", g->sep))
                seps_ok = false;
            if (g->sep != '.')
                only_dots = false;
            prev_sep = true;
            continue;
        }
        prev_sep = false;
        if (g->type != S_LET)
            has_digit = true;
        if (g->type == S_LET && (!g->upper || g->foreign))
            all_caps_letters = false;
    }
    if (seps_ok && only_dots && !has_digit) {
        /* T.Ư, TP.HCM, Tp.HCM, U.S.A: short capitalized parts, all caps after the first */
        bool abbr = true;
        for (size_t x = i; x < j; x += 2) {
            const struct seg *g = &r->segs[x];
            if (g->nlet > 5 || g->foreign || !g->cap ||
                (!g->upper && !(x == i && dot_abbrev(r->s + g->off, g->len))))
                abbr = false;
        }
        if (!abbr) {
            /* tp.hcm as typed in a query: short parts that are not syllables */
            abbr = true;
            for (size_t x = i; x < j && abbr; x += 2)
                abbr =
                    r->segs[x].nlet <= 4 && !r->segs[x].foreign && !seg_is_syllable(r, &r->segs[x]);
        }
        if (abbr) {
            /* a final dot after a one-letter part belongs to it (U.S.A.) */
            size_t l = len;
            if (z->nlet == 1 && j < r->nseg && r->segs[j].type == S_SEP && r->segs[j].sep == '.') {
                l++;
                *ate_dot = true;
            }
            return emit_generic(r, off, l, VI_TOK_ABBR, 0, NULL, NULL);
        }
        return emit_split(r, i, j);
    }
    if (seps_ok && (has_digit || all_caps_letters) && !only_dots)
        return emit_generic(r, off, len, VI_TOK_CODE, 0, NULL, NULL);
    return emit_split(r, i, j);
}

static bool email_like(const unsigned char *s, size_t n)
{
    const unsigned char *at = memchr(s, '@', n);
    if (!at || at == s)
        return false;
    size_t dn = n - (size_t)(at - s) - 1;
    const unsigned char *d = at + 1;
    const unsigned char *dot = dn ? memchr(d, '.', dn) : NULL;
    if (!dot || dot == d || dot == d + dn - 1)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("@._-+", (int)c)))
            return false;
    }
    return memchr(d, '@', dn) == NULL;
}

/* hanoimoi.vn, dangcongsan.vn/path, www-less host names with a common top-level domain */
static bool domain_like(const unsigned char *s, size_t n)
{
    static const char *const tlds[] = {"vn", "com", "net", "org", "gov", "edu", "info", "int"};
    size_t host = 0;
    while (host < n && s[host] != '/')
        host++;
    size_t last_dot = 0;
    bool dot = false;
    for (size_t i = 0; i < host; i++) {
        unsigned c = s[i];
        if (c == '.') {
            if (i == 0 || s[i - 1] == '.')
                return false;
            last_dot = i;
            dot = true;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    if (!dot)
        return false;
    for (size_t i = 0; i < sizeof tlds / sizeof tlds[0]; i++)
        if (host - last_dot - 1 == strlen(tlds[i]) &&
            memcmp(s + last_dot + 1, tlds[i], host - last_dot - 1) == 0)
            return true;
    return false;
}

static bool trailing_punct(char c)
{
    return c && strchr(".,;:!?)]}\"'>", c) != NULL;
}

static size_t trailing_len(const unsigned char *s, size_t n)
{
    size_t k = 0;
    while (k < n && trailing_punct((char)s[n - 1 - k]))
        k++;
    return k;
}

/* One chunk of non-space text [a, b). */
static kt_status do_chunk(struct run *r, size_t a, size_t b)
{
    /* URLs and e-mail addresses first, on the raw bytes */
    size_t ua = a;
    while (ua < b && strchr("(<[\"'", r->s[ua]) && r->s[ua])
        ua++;
    if (starts_ci(r->s + ua, b - ua, "http://") || starts_ci(r->s + ua, b - ua, "https://") ||
        starts_ci(r->s + ua, b - ua, "www.") ||
        email_like(r->s + ua, b - ua - trailing_len(r->s + ua, b - ua)) ||
        domain_like(r->s + ua, b - ua - trailing_len(r->s + ua, b - ua))) {
        size_t ue = b - trailing_len(r->s + ua, b - ua);
        bool mail = email_like(r->s + ua, ue - ua) && !starts_ci(r->s + ua, ue - ua, "http");
        if (ue > ua && (mail || ue - ua > 4)) {
            kt_status rc;
            for (size_t x = a; x < ua; x++) {
                struct seg g = {.off = x, .len = 1, .type = S_SEP, .sep = (char)r->s[x]};
                if ((rc = emit_punct(r, &g)) != KT_OK)
                    return rc;
            }
            rc = emit_generic(r, ua, ue - ua, mail ? VI_TOK_EMAIL : VI_TOK_URL, 0, NULL, NULL);
            if (rc != KT_OK)
                return rc;
            for (size_t x = ue; x < b; x++) {
                struct seg g = {.off = x, .len = 1, .type = S_SEP, .sep = (char)r->s[x]};
                if ((rc = emit_punct(r, &g)) != KT_OK)
                    return rc;
            }
            return KT_OK;
        }
    }
    while (a < b) {
        size_t stop = segment(r, a, b);
        size_t i = 0, j = r->nseg;
        kt_status rc;
        while (i < j && r->segs[i].type == S_SEP)
            if ((rc = emit_punct(r, &r->segs[i++])) != KT_OK)
                return rc;
        size_t core_end = j;
        while (core_end > i && r->segs[core_end - 1].type == S_SEP)
            core_end--;
        bool percent = false;
        if (core_end > i && core_end < j && r->segs[core_end].sep == '%' &&
            r->segs[core_end - 1].type == S_DIG) {
            percent = true;
        }
        size_t after = core_end + (percent ? 1 : 0);
        if (core_end > i) {
            /* "TP." "TS." keep their dot */
            const struct seg *last = &r->segs[core_end - 1];
            if (!percent && core_end - i == 1 && last->type == S_LET && core_end < j &&
                r->segs[core_end].sep == '.' && dot_abbrev(r->s + last->off, last->len)) {
                rc = emit_generic(r, last->off, last->len + 1, VI_TOK_ABBR, 0, NULL, NULL);
                after = core_end + 1;
            } else {
                bool ate_dot = false;
                rc = emit_core(r, i, core_end, percent, &ate_dot);
                if (ate_dot)
                    after++;
            }
            if (rc != KT_OK)
                return rc;
        }
        for (size_t x = after; x < j; x++)
            if ((rc = emit_punct(r, &r->segs[x])) != KT_OK)
                return rc;
        if (stop <= a)
            break;
        a = stop;
    }
    return KT_OK;
}

static kt_status emit_ascii_punct(struct run *r, size_t off)
{
    struct kt_buf *f = &r->an->forms;
    if (kt_buf_reserve(f, 3) != KT_OK)
        return kt_err_set(r->err, KT_ENOMEM, "analyze: out of memory");
    size_t c_off = f->len;
    char c = (char)r->s[off];
    f->data[c_off] = f->data[c_off + 1] = f->data[c_off + 2] = c;
    f->len += 3;
    f->data[f->len] = '\0';
    struct vi_token t = {.off = off, .len = 1, .kind = VI_TOK_PUNCT};
    return deliver(r, &t, c_off, c_off + 1, c_off + 2);
}

/* fast_word for a word found in the syllable cache: the same checks and token, forms copied. */
static int fast_word_cached(struct run *r, size_t p, size_t wend, struct vi_syl_entry *ce,
                            size_t *end, kt_status *rc)
{
    const unsigned char *s = r->s;
    size_t len = r->len, q = wend;
    bool punct = false;
    if (q < len) {
        unsigned c = s[q];
        if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')') {
            if (c == '.' && ce->first_upper && ce->nletters <= 3)
                return 0; /* Tp. Ts. Mr. */
            q++;
            punct = true;
        }
        if (q < len && s[q] != ' ' && s[q] != '\n' && s[q] != '\t' && s[q] != '\r')
            return 0;
    }
    *rc = deliver_cached(r, p, wend - p, ce);
    if (*rc == KT_OK && punct)
        *rc = emit_ascii_punct(r, wend);
    if (*rc != KT_OK)
        return -1;
    if (q < len && s[q] == '\n')
        r->pending_break = true;
    *end = q < len ? q + 1 : q;
    return 1;
}

/* The common case: a chunk that is one word of Vietnamese letters, maybe followed by one of
 * , . ; : ! ? ) and a space. Returns 1 when done (*end after it), 0 to take the general
 * path, -1 on error (*rc set). */
static int fast_word(struct run *r, size_t p, size_t *end, kt_status *rc)
{
    const unsigned char *s = r->s;
    size_t len = r->len, q = p, nl = 0;
    /* the span the letter loop below consumes when it succeeds: ASCII letters and non-ASCII */
    size_t span = p;
    while (span < len && word_byte[s[span]])
        span++;
    uint64_t key[2];
    struct vi_syl_entry *ce = NULL;
    if (span - p <= VI_SYL_KEY) {
        syl_key(s + p, len - p, span - p, key);
        ce = &r->an->syl[syl_slot(key, span - p)];
        if (ce->key_len == span - p && ce->key[0] == key[0] && ce->key[1] == key[1])
            return fast_word_cached(r, p, span, ce, end, rc);
    }
    struct kt_vn_letter L[WORD_LETTERS];
    bool all_up = true;
    while (q < len) {
        unsigned c = s[q];
        if (c < 0x80) {
            unsigned lc = c | 0x20;
            if (lc - 'a' >= 26u)
                break;
            if (nl == WORD_LETTERS)
                return 0;
            L[nl++] = (struct kt_vn_letter){(char)lc, 0, 0, c < 'a'};
            all_up &= c < 'a';
            q++;
            continue;
        }
        uint32_t cp;
        bool inv;
        size_t k = kt_utf8_next(s + q, len - q, &cp, &inv);
        if (inv || nl == WORD_LETTERS)
            return 0;
        if (kt_vn_letter_from_cp(cp, &L[nl])) {
            all_up &= L[nl].upper;
            nl++;
            q += k;
            continue;
        }
        uint8_t m, t;
        if (nl > 0 && kt_vn_combining(cp, &m, &t)) {
            struct kt_vn_letter x = L[nl - 1];
            if (m && !x.mark)
                x.mark = m;
            else if (t && !x.tone)
                x.tone = t;
            else
                return 0;
            if (!kt_vn_letter_to_cp(&x))
                return 0;
            L[nl - 1] = x;
            q += k;
            continue;
        }
        return 0;
    }
    if (nl == 0 || all_up)
        return 0; /* all caps: abbreviations and Roman numerals take the general path */
    size_t wend = q;
    bool punct = false;
    if (q < len) {
        unsigned c = s[q];
        if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')') {
            if (c == '.' && L[0].upper && nl <= 3)
                return 0; /* Tp. Ts. Mr. */
            q++;
            punct = true;
        }
        if (q < len && s[q] != ' ' && s[q] != '\n' && s[q] != '\t' && s[q] != '\r')
            return 0;
    }
    struct vi_token t;
    size_t fo[3];
    *rc = build_letter_word(r, p, wend - p, L, nl, &t, fo);
    if (*rc == KT_OK) {
        size_t cl = fo[1] - fo[0], nlen = fo[2] - fo[1], fl = r->an->forms.len - fo[2];
        if (ce && wend == span && cl + nlen + fl <= VI_SYL_FORMS) {
            ce->key_len = (uint8_t)(span - p);
            ce->key[0] = key[0];
            ce->key[1] = key[1];
            ce->nletters = (uint8_t)nl;
            ce->first_upper = L[0].upper;
            ce->canon_len = (uint8_t)cl;
            ce->norm_len = (uint8_t)nlen;
            ce->fold_len = (uint8_t)fl;
            ce->flags = t.flags;
            memcpy(ce->forms, r->an->forms.data + fo[0], cl + nlen + fl);
            ce->lex = 0;
            r->an->cur_syl = ce;
        }
        *rc = deliver(r, &t, fo[0], fo[1], fo[2]);
        r->an->cur_syl = NULL;
    }
    if (*rc == KT_OK && punct)
        *rc = emit_ascii_punct(r, wend);
    if (*rc != KT_OK)
        return -1;
    if (q < len && s[q] == '\n')
        r->pending_break = true;
    *end = q < len ? q + 1 : q;
    return 1;
}

kt_status vi_analyze(vi_analyzer *an, const char *text, size_t len, vi_token_cb cb, void *ud,
                     struct kt_err *err)
{
    if (!an || !cb || (!text && len > 0))
        return kt_err_set(err, KT_EINVAL, "analyze: invalid argument");
    struct run run;
    struct run *r = &run;
    memset(r, 0, offsetof(struct run, segs));
    r->an = an;
    r->s = (const unsigned char *)(text ? text : "");
    r->len = len;
    r->cb = cb;
    r->ud = ud;
    r->err = err;
    kt_buf_reset(&an->forms);
    kt_status rc = KT_OK;
    size_t p = 0;
    while (p < len && rc == KT_OK) {
        unsigned c0 = r->s[p];
        if (c0 == ' ') {
            p++;
            continue;
        }
        if (c0 >= 0x80 || (c0 | 0x20) - 'a' < 26u) {
            size_t q;
            int fr = fast_word(r, p, &q, &rc);
            if (fr > 0) {
                p = q;
                continue;
            }
            if (fr < 0)
                break;
        }
        uint32_t cp;
        size_t k;
        enum cls c = classify(r->s, len, p, &cp, &k);
        if (c == C_SPACE || c == C_NEWLINE || c == C_DROP) {
            if (c == C_NEWLINE)
                r->pending_break = true;
            p += k;
            continue;
        }
        size_t a = p;
        while (p < len) {
            c = classify(r->s, len, p, &cp, &k);
            if (c == C_SPACE || c == C_NEWLINE)
                break;
            p += k;
        }
        rc = do_chunk(r, a, p);
    }
    return rc;
}
