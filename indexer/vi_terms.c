/* vi_terms.c - the analyzer object, index terms (exact, folded, bigrams, lexicon words), the
 * query-side term forms and the collected token list. */
#include "indexer/vi_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>

kt_status vi_analyzer_new(const struct vi_analyzer_opts *opts, vi_analyzer **out,
                          struct kt_err *err)
{
    *out = NULL;
    vi_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return kt_err_set(err, KT_ENOMEM, "analyzer: out of memory");
    if (opts) {
        an->no_bigrams = opts->no_bigrams;
        an->no_lexicon = opts->no_lexicon;
    }
    /* 64-byte entries on cache-line boundaries: one line touched per lookup */
    an->syl = aligned_alloc(64, VI_SYL_SLOTS * sizeof *an->syl);
    if (!an->syl) {
        free(an);
        return kt_err_set(err, KT_ENOMEM, "analyzer: out of memory");
    }
    memset(an->syl, 0, VI_SYL_SLOTS * sizeof *an->syl);
    kt_status rc = KT_OK;
    if (!an->no_lexicon) {
        rc = vi_lex_builtin(&an->lex, &an->tmp, err);
        if (rc == KT_OK && opts && opts->dict_path)
            rc = vi_lex_load(&an->lex, opts->dict_path, &an->tmp, err);
    }
    if (rc != KT_OK) {
        vi_analyzer_free(an);
        return rc;
    }
    *out = an;
    return KT_OK;
}

void vi_analyzer_free(vi_analyzer *an)
{
    if (!an)
        return;
    vi_lex_free(&an->lex);
    kt_buf_free(&an->forms);
    kt_buf_free(&an->tmp);
    free(an->syl);
    if (an->brk)
        ubrk_close((UBreakIterator *)an->brk);
    free(an);
}

const char *vi_term_kind_str(enum vi_term_kind k)
{
    switch (k) {
    case VI_TERM_EXACT:
        return "exact";
    case VI_TERM_FOLDED:
        return "folded";
    case VI_TERM_BIGRAM:
        return "bigram";
    case VI_TERM_BIGRAM_FOLDED:
        return "bigram-folded";
    case VI_TERM_WORD:
        return "word";
    }
    return "unknown";
}

/* ---------------------------------------------------------------- index terms */

#define WIN_MAX 6 /* longest lexicon match followed, in syllables */

struct match {
    uint32_t token; /* first token */
    uint16_t nsyl;
    uint16_t len;
    char key[VI_TERM_MAX + 1];
};

struct terms_run {
    vi_analyzer *an;
    const char *fp;
    size_t fpl;
    uint32_t base;
    uint32_t last_pos;
    vi_term_cb cb;
    void *ud;
    bool query; /* query side: one term per token, exact or folded */
    bool want_bigrams;
    /* previous bigram-able token */
    bool have_prev;
    uint32_t prev_index, prev_sentence;
    bool prev_exact; /* query side: the previous word was written with diacritics */
    size_t prev_norm_len, prev_fold_len;
    size_t nact;
    /* from here on: not zeroed per call */
    char prev_norm[VI_TERM_MAX + 1];
    char prev_fold[VI_TERM_MAX + 1];
    char term[VI_TERM_MAX + 1];
    struct match act[WIN_MAX]; /* active lexicon matches */
};

/* memcpy for the short strings of terms (a call to memcpy costs more than the copy) */
static inline char *copy_short(char *o, const char *s, size_t n)
{
    if (n > 16) {
        memcpy(o, s, n);
    } else if (n >= 8) { /* two overlapping 8-byte moves, all inside s[0..n) */
        memcpy(o, s, 8);
        memcpy(o + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(o, s, 4);
        memcpy(o + n - 4, s + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            o[i] = s[i];
    }
    return o + n;
}

static kt_status emit_term(struct terms_run *t, enum vi_term_kind kind, const char *marker,
                           size_t ml, const char *a, size_t al, const char *b, size_t bl,
                           uint32_t pos, uint32_t token)
{
    size_t total = t->fpl + ml + al + (b ? 1 + bl : 0);
    if (total > VI_TERM_MAX || al == 0)
        return KT_OK;
    char *o = t->term;
    for (size_t i = 0; i < t->fpl; i++)
        *o++ = t->fp[i];
    for (size_t i = 0; i < ml; i++)
        *o++ = marker[i];
    o = copy_short(o, a, al);
    if (b) {
        *o++ = '_';
        o = copy_short(o, b, bl);
    }
    *o = '\0';
    struct vi_term term = {t->term, total, pos, 1, kind, token};
    return t->cb(t->ud, &term);
}

static bool bigram_kind(enum vi_token_kind k)
{
    return k == VI_TOK_WORD || k == VI_TOK_ABBR || k == VI_TOK_ROMAN;
}

/* Follows lexicon matches through the current token; emits W terms. */
static kt_status lexicon_step(struct terms_run *t, const struct vi_token *tok, bool adjacent)
{
    vi_analyzer *an = t->an;
    if (an->no_lexicon || !an->lex.used)
        return KT_OK;
    if (!adjacent)
        t->nact = 0;
    size_t keep = 0;
    kt_status rc = KT_OK;
    for (size_t i = 0; i < t->nact && rc == KT_OK; i++) {
        struct match *m = &t->act[i];
        if ((size_t)m->len + 1 + tok->norm_len > VI_TERM_MAX)
            continue;
        m->key[m->len] = '_';
        copy_short(m->key + m->len + 1, tok->norm, tok->norm_len);
        m->len = (uint16_t)(m->len + 1 + tok->norm_len);
        m->nsyl++;
        uint32_t f = vi_lex_find(&an->lex, m->key, m->len);
        if ((f & VI_LEX_WORD) && (m->nsyl >= 3 || an->no_bigrams))
            rc = emit_term(t, VI_TERM_WORD, "W", 1, m->key, m->len, NULL, 0, 0, m->token);
        if ((f & VI_LEX_PREFIX) && m->nsyl < WIN_MAX) {
            if (keep != i) /* a match is ~250 bytes: no copy onto itself */
                t->act[keep] = *m;
            keep++;
        }
    }
    t->nact = keep;
    uint32_t lf = 0;
    if (rc == KT_OK && t->nact < WIN_MAX && tok->norm_len <= VI_TERM_MAX) {
        struct vi_syl_entry *ce = an->cur_syl; /* the tokenizer's cache entry of tok */
        if (ce && ce->lex) {
            lf = ce->lex - 1u;
        } else {
            lf = vi_lex_find(&an->lex, tok->norm, tok->norm_len);
            if (ce)
                ce->lex = (uint8_t)(lf + 1);
        }
    }
    if (lf & VI_LEX_PREFIX) {
        struct match *m = &t->act[t->nact++];
        m->token = tok->index;
        m->nsyl = 1;
        m->len = (uint16_t)tok->norm_len;
        memcpy(m->key, tok->norm, tok->norm_len);
    }
    return rc;
}

static kt_status terms_cb(void *ud, const struct vi_token *tok)
{
    struct terms_run *t = ud;
    if (tok->kind == VI_TOK_PUNCT) {
        t->have_prev = false;
        t->nact = 0;
        return KT_OK;
    }
    uint32_t pos = t->base + tok->pos;
    t->last_pos = pos;
    kt_status rc;
    bool exact = (tok->flags & VI_TF_DIACRITIC) != 0;
    if (t->query) {
        rc = exact ? emit_term(t, VI_TERM_EXACT, "", 0, tok->norm, tok->norm_len, NULL, 0, pos,
                               tok->index)
                   : emit_term(t, VI_TERM_FOLDED, "F", 1, tok->fold, tok->fold_len, NULL, 0, pos,
                               tok->index);
    } else {
        rc = emit_term(t, VI_TERM_EXACT, "", 0, tok->norm, tok->norm_len, NULL, 0, pos, tok->index);
        if (rc == KT_OK)
            rc = emit_term(t, VI_TERM_FOLDED, "F", 1, tok->fold, tok->fold_len, NULL, 0, pos,
                           tok->index);
    }
    if (rc != KT_OK)
        return rc;
    bool eligible = bigram_kind(tok->kind);
    bool adjacent = eligible && t->have_prev && t->prev_index + 1 == tok->index &&
                    t->prev_sentence == tok->sentence;
    if (adjacent && t->want_bigrams) {
        if (!t->query || (exact && t->prev_exact))
            rc = emit_term(t, VI_TERM_BIGRAM, "B", 1, t->prev_norm, t->prev_norm_len, tok->norm,
                           tok->norm_len, 0, t->prev_index);
        if (rc == KT_OK && (!t->query || !(exact && t->prev_exact)))
            rc = emit_term(t, VI_TERM_BIGRAM_FOLDED, "BF", 2, t->prev_fold, t->prev_fold_len,
                           tok->fold, tok->fold_len, 0, t->prev_index);
        if (rc != KT_OK)
            return rc;
    }
    if (!t->query && eligible && (rc = lexicon_step(t, tok, adjacent)) != KT_OK)
        return rc;
    if (!eligible || tok->norm_len > VI_TERM_MAX || tok->fold_len > VI_TERM_MAX) {
        t->have_prev = false;
        t->nact = 0;
        return KT_OK;
    }
    copy_short(t->prev_norm, tok->norm, tok->norm_len);
    t->prev_norm_len = tok->norm_len;
    copy_short(t->prev_fold, tok->fold, tok->fold_len);
    t->prev_fold_len = tok->fold_len;
    t->have_prev = true;
    t->prev_index = tok->index;
    t->prev_sentence = tok->sentence;
    t->prev_exact = exact;
    return KT_OK;
}

static kt_status run_terms(vi_analyzer *an, const char *text, size_t len, const char *fp,
                           uint32_t *pos, bool query, bool bigrams, vi_term_cb cb, void *ud,
                           struct kt_err *err)
{
    if (!an || !cb)
        return kt_err_set(err, KT_EINVAL, "analyze: invalid argument");
    size_t fpl = fp ? strlen(fp) : 0;
    if (fpl > 16)
        return kt_err_set(err, KT_EINVAL, "analyze: field prefix '%.20s...' is longer than 16", fp);
    struct terms_run run;
    struct terms_run *t = &run;
    memset(t, 0, offsetof(struct terms_run, prev_norm));
    t->an = an;
    t->fp = fp ? fp : "";
    t->fpl = fpl;
    t->base = pos ? *pos : 0;
    t->last_pos = t->base;
    t->cb = cb;
    t->ud = ud;
    t->query = query;
    t->want_bigrams = bigrams && !an->no_bigrams;
    kt_status rc = vi_analyze(an, text, len, terms_cb, t, err);
    if (rc == KT_ENOMEM && err && err->code != KT_ENOMEM)
        kt_err_set(err, KT_ENOMEM, "analyze: out of memory");
    if (rc == KT_OK && pos)
        *pos = t->last_pos;
    return rc;
}

kt_status vi_terms_for_text(vi_analyzer *an, const char *text, size_t len, const char *field_prefix,
                            uint32_t *pos, vi_term_cb cb, void *ud, struct kt_err *err)
{
    return run_terms(an, text, len, field_prefix, pos, false, true, cb, ud, err);
}

kt_status vi_query_word_forms(vi_analyzer *an, const char *word, size_t len,
                              const char *field_prefix, vi_term_cb cb, void *ud, struct kt_err *err)
{
    return run_terms(an, word, len, field_prefix, NULL, true, false, cb, ud, err);
}

kt_status vi_query_terms(vi_analyzer *an, const char *text, size_t len, const char *field_prefix,
                         vi_term_cb cb, void *ud, struct kt_err *err)
{
    return run_terms(an, text, len, field_prefix, NULL, true, true, cb, ud, err);
}

/* ---------------------------------------------------------------- collected tokens */

static kt_status collect_cb(void *ud, const struct vi_token *tok)
{
    struct vi_tokens *out = ud;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        struct vi_token *nv = realloc(out->v, cap * sizeof *nv);
        if (!nv)
            return KT_ENOMEM;
        out->v = nv;
        out->cap = cap;
    }
    struct vi_token *t = &out->v[out->n++];
    *t = *tok;
    /* store offsets now, pointers after the last token (the buffer may move) */
    size_t base = out->strings.len;
    if (kt_buf_append(&out->strings, tok->canon, tok->canon_len) != KT_OK ||
        kt_buf_append_byte(&out->strings, '\0') != KT_OK ||
        kt_buf_append(&out->strings, tok->norm, tok->norm_len) != KT_OK ||
        kt_buf_append_byte(&out->strings, '\0') != KT_OK ||
        kt_buf_append(&out->strings, tok->fold, tok->fold_len) != KT_OK ||
        kt_buf_append_byte(&out->strings, '\0') != KT_OK)
        return KT_ENOMEM;
    t->canon = (const char *)(uintptr_t)base;
    return KT_OK;
}

kt_status vi_tokens_collect(vi_analyzer *an, const char *text, size_t len, struct vi_tokens *out,
                            struct kt_err *err)
{
    out->n = 0;
    kt_buf_reset(&out->strings);
    kt_status rc = vi_analyze(an, text, len, collect_cb, out, err);
    if (rc == KT_ENOMEM)
        kt_err_set(err, KT_ENOMEM, "analyze: out of memory");
    for (size_t i = 0; i < out->n; i++) {
        struct vi_token *t = &out->v[i];
        size_t base = (size_t)(uintptr_t)t->canon;
        t->canon = out->strings.data + base;
        t->norm = t->canon + t->canon_len + 1;
        t->fold = t->norm + t->norm_len + 1;
    }
    return rc;
}

void vi_tokens_free(struct vi_tokens *t)
{
    if (!t)
        return;
    free(t->v);
    kt_buf_free(&t->strings);
    memset(t, 0, sizeof *t);
}
