/* fuzz_analyze.c - libFuzzer target: normalization, tokens, index terms and query forms of
 * arbitrary bytes; checks the invariants every caller relies on. */
#include "common/kt_text.h"
#include "indexer/vi_analyze.h"

#include <stdlib.h>
#include <string.h>

struct check {
    size_t len;
    uint32_t last_index;
    bool any;
};

static kt_status on_token(void *ud, const struct vi_token *t)
{
    struct check *c = ud;
    if (t->off > c->len || t->len > c->len - t->off || t->len == 0)
        abort();
    if (c->any && t->index != c->last_index + 1)
        abort();
    if (t->norm_len == 0 && t->kind != VI_TOK_PUNCT)
        abort();
    c->any = true;
    c->last_index = t->index;
    return KT_OK;
}

static kt_status on_term(void *ud, const struct vi_term *t)
{
    (void)ud;
    if (t->len == 0 || t->len > VI_TERM_MAX || strlen(t->data) != t->len)
        abort();
    return KT_OK;
}

static void check_utf8(const struct kt_buf *b)
{
    for (size_t p = 0; p < b->len;) {
        uint32_t cp;
        bool inv;
        p += kt_utf8_next((const unsigned char *)b->data + p, b->len - p, &cp, &inv);
        if (inv)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vi_analyzer *an;
    struct kt_err err = {0};
    if (!an && vi_analyzer_new(NULL, &an, &err) != KT_OK)
        abort();
    const char *s = (const char *)data;
    struct kt_buf a = {0}, b = {0};
    if (kt_text_normalize(s, size, KT_NORM_CANONICAL, &a, &err) != KT_OK)
        abort();
    check_utf8(&a);
    /* canonical normalization is idempotent */
    if (kt_text_normalize(a.data, a.len, KT_NORM_CANONICAL, &b, &err) != KT_OK)
        abort();
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        abort();
    kt_buf_reset(&b);
    if (kt_text_accentfold(s, size, &b, &err) != KT_OK)
        abort();
    check_utf8(&b);
    (void)kt_text_has_diacritics(s, size);

    struct check c = {.len = size};
    if (vi_analyze(an, s, size, on_token, &c, &err) != KT_OK)
        abort();
    uint32_t pos = 0;
    if (vi_terms_for_text(an, s, size, "S", &pos, on_term, NULL, &err) != KT_OK)
        abort();
    if (vi_query_terms(an, s, size, NULL, on_term, NULL, &err) != KT_OK)
        abort();
    struct vi_tokens toks = {0};
    if (vi_tokens_collect(an, s, size, &toks, &err) != KT_OK)
        abort();
    for (size_t i = 0; i < toks.n; i++)
        if (strlen(toks.v[i].norm) != toks.v[i].norm_len)
            abort();
    vi_tokens_free(&toks);
    kt_buf_free(&a);
    kt_buf_free(&b);
    return 0;
}
