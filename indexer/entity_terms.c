/* entity_terms.c - the boolean index terms of officials and places ("XO"/"XP" + normalized
 * name, "XOF"/"XPF" + accent-folded name), the matching query-side term, and the display form
 * of a term for facets. */
#include "indexer/entity_internal.h"

#include "common/kt_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TERM_MAX 240

void kt_entity_terms_free(struct kt_entity_terms *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static kt_status terms_add(struct kt_entity_terms *t, const char *pfx, const struct kt_buf *body)
{
    size_t pl = strlen(pfx);
    if (body->len == 0 || pl + body->len > TERM_MAX)
        return KT_OK;
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->v[i]) == pl + body->len && memcmp(t->v[i], pfx, pl) == 0 &&
            memcmp(t->v[i] + pl, body->data, body->len) == 0)
            return KT_OK;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return KT_ENOMEM;
        t->v = v;
        t->cap = cap;
    }
    char *s = malloc(pl + body->len + 1);
    if (!s)
        return KT_ENOMEM;
    memcpy(s, pfx, pl);
    memcpy(s + pl, body->data, body->len);
    s[pl + body->len] = 0;
    t->v[t->n++] = s;
    return KT_OK;
}

static kt_status add_both(struct kt_entity_terms *t, const char *pfx, const char *value,
                          struct kt_buf *tmp)
{
    char fpfx[8];
    snprintf(fpfx, sizeof fpfx, "%sF", pfx);
    kt_status rc = et_norm(value, strlen(value), false, tmp);
    if (rc == KT_OK)
        rc = terms_add(t, pfx, tmp);
    if (rc == KT_OK)
        rc = et_norm(value, strlen(value), true, tmp);
    if (rc == KT_OK)
        rc = terms_add(t, fpfx, tmp);
    return rc;
}

kt_status kt_entity_terms_from_list(const struct kt_entity_list *l, struct kt_entity_terms *out,
                                    struct kt_err *err)
{
    struct kt_buf tmp = {0}, q = {0};
    kt_status rc = KT_OK;
    for (size_t i = 0; i < l->n && rc == KT_OK; i++) {
        const struct kt_entity *e = &l->items[i];
        if (!e->name)
            continue;
        if (e->type == KT_ENTITY_OFFICIAL) {
            rc = add_both(out, KT_ENTITY_PFX_OFFICIAL, e->name, &tmp);
        } else if (e->type == KT_ENTITY_PLACE) {
            rc = add_both(out, KT_ENTITY_PFX_PLACE, e->name, &tmp);
            kt_buf_reset(&q);
            if (rc == KT_OK)
                rc = kt_buf_printf(&q, "%s %s", e->level, e->name);
            if (rc == KT_OK)
                rc = add_both(out, KT_ENTITY_PFX_PLACE, q.data, &tmp);
        }
    }
    kt_buf_free(&tmp);
    kt_buf_free(&q);
    if (rc != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "entity terms: out of memory");
    return KT_OK;
}

kt_status kt_entity_article_terms(struct kt_entity_extractor *ex, const struct kt_article *a,
                                  struct kt_entity_terms *out, struct kt_err *err)
{
    struct kt_entity_list l = {0};
    kt_status rc = kt_entities_extract_article(ex, a, &l, err);
    if (rc == KT_OK)
        rc = kt_entity_terms_from_list(&l, out, err);
    kt_entity_list_free(&l);
    return rc;
}

kt_status kt_entity_query_term(enum kt_entity_type type, const char *value, size_t len,
                               struct kt_buf *out, struct kt_err *err)
{
    const char *pfx = type == KT_ENTITY_OFFICIAL ? KT_ENTITY_PFX_OFFICIAL
                      : type == KT_ENTITY_PLACE  ? KT_ENTITY_PFX_PLACE
                                                 : NULL;
    if (!pfx || !value)
        return kt_err_set(err, KT_EINVAL, "entity query: only official: and place: values");
    /* a quoted value may arrive with its quotes */
    while (len && (value[0] == '"' || value[0] == ' '))
        value++, len--;
    while (len && (value[len - 1] == '"' || value[len - 1] == ' '))
        len--;
    struct kt_buf canon = {0};
    kt_status rc = kt_text_normalize(value, len, KT_NORM_DISPLAY, &canon, err);
    bool fold = rc == KT_OK && !kt_text_has_diacritics(canon.data, canon.len);
    struct kt_buf body = {0};
    if (rc == KT_OK)
        rc = et_norm(canon.data ? canon.data : "", canon.len, fold, &body);
    kt_buf_free(&canon);
    if (rc == KT_OK && body.len == 0)
        rc = kt_err_set(err, KT_EINVAL, "entity query: empty value");
    else if (rc == KT_OK && strlen(pfx) + 1 + body.len > TERM_MAX)
        rc = kt_err_set(err, KT_EINVAL, "entity query: value too long");
    if (rc == KT_OK) {
        kt_buf_reset(out);
        rc = kt_buf_append_cstr(out, pfx);
        if (rc == KT_OK && fold)
            rc = kt_buf_append_byte(out, 'F');
        if (rc == KT_OK)
            rc = kt_buf_append(out, body.data, body.len);
        if (rc != KT_OK)
            rc = kt_err_set(err, KT_ENOMEM, "entity query: out of memory");
    }
    kt_buf_free(&body);
    return rc;
}

static bool is_level_word(const char *s, size_t n)
{
    for (int l = 1; l < LV_COUNT; l++) {
        const char *w = kt_level_names[l];
        size_t wl = strlen(w);
        if (n > wl && memcmp(s, w, wl) == 0 && s[wl] == ' ')
            return true;
    }
    return false;
}

kt_status kt_entity_term_display(const char *term, size_t len, struct kt_buf *out,
                                 struct kt_err *err)
{
    size_t pl = 2;
    if (len < 3 || term[0] != 'X' || (term[1] != 'O' && term[1] != 'P'))
        return kt_err_set(err, KT_EINVAL, "not an entity term");
    if (term[2] == 'F')
        pl = 3;
    const char *s = term + pl;
    size_t n = len - pl;
    /* a leading level word stays lower case */
    size_t keep = 0;
    if (term[1] == 'P' && is_level_word(s, n)) {
        for (int l = 1; l < LV_COUNT; l++) {
            size_t wl = strlen(kt_level_names[l]);
            if (n > wl && memcmp(s, kt_level_names[l], wl) == 0 && s[wl] == ' ' && wl + 1 > keep)
                keep = wl + 1;
        }
    }
    kt_buf_reset(out);
    kt_status rc = kt_buf_append(out, s, keep);
    bool word_start = true;
    for (size_t i = keep; i < n && rc == KT_OK;) {
        uint32_t cp;
        bool bad;
        size_t k = kt_utf8_next((const unsigned char *)s + i, n - i, &cp, &bad);
        if (cp == ' ') {
            word_start = true;
            rc = kt_buf_append_byte(out, ' ');
        } else if (word_start) {
            struct kt_vn_letter lt;
            char enc[4];
            word_start = false;
            if (kt_vn_letter_from_cp(cp, &lt)) {
                lt.upper = true;
                uint32_t up = kt_vn_letter_to_cp(&lt);
                rc = up ? kt_buf_append(out, enc, kt_utf8_put(up, enc))
                        : kt_buf_append(out, s + i, k);
            } else {
                rc = kt_buf_append(out, s + i, k);
            }
        } else {
            rc = kt_buf_append(out, s + i, k);
        }
        i += k;
    }
    if (rc != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "entity term: out of memory");
    return KT_OK;
}

bool kt_entity_term_is_facet(const char *term, size_t len)
{
    if (len < 3 || term[0] != 'X' || (term[1] != 'O' && term[1] != 'P') || term[2] == 'F')
        return false;
    if (term[1] == 'O')
        return true;
    return is_level_word(term + 2, len - 2);
}
