/* entity_link.c - the last extraction pass: attaches titles to every mention of a person,
 * links title-only and given-name mentions to the person they refer to (or drops them), drops
 * people introduced only by ông/bà without any title, completes short document references
 * ("Chương trình 03" -> 03-CTr/HU) and spreads explicit_level/parent over a place's mentions. */
#include "indexer/entity_internal.h"

#include <stdlib.h>
#include <string.h>

#define DROPPED KT_ENTITY_TYPE_COUNT

static bool norm_eq(const struct kt_buf *a, const struct kt_buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* a starts with b followed by a space */
static bool norm_prefix(const struct kt_buf *a, const struct kt_buf *b)
{
    return a->len > b->len && memcmp(a->data, b->data, b->len) == 0 && a->data[b->len] == ' ';
}

/* Does one comma-separated part of a title of p match the title-only mention t? */
static kt_status title_matches(const struct person *p, const struct kt_buf *t, bool *match)
{
    *match = false;
    struct kt_buf seg = {0};
    kt_status rc = KT_OK;
    for (size_t k = 0; k < p->n_titles && !*match && rc == KT_OK; k++) {
        const char *s = p->titles[k];
        while (*s && !*match) {
            size_t n = strcspn(s, ",");
            rc = et_norm(s, n, false, &seg);
            if (rc != KT_OK)
                break;
            if (seg.len && (norm_eq(&seg, t) || norm_prefix(t, &seg) || norm_prefix(&seg, t)))
                *match = true;
            s += n;
            if (*s == ',')
                s++;
        }
    }
    kt_buf_free(&seg);
    return rc;
}

static kt_status given_matches(const struct person *p, const struct kt_buf *g, bool *match)
{
    const char *last = strrchr(p->name, ' ');
    last = last ? last + 1 : p->name;
    struct kt_buf b = {0};
    kt_status rc = et_norm(last, strlen(last), false, &b);
    *match = rc == KT_OK && norm_eq(&b, g);
    kt_buf_free(&b);
    return rc;
}

static kt_status resolve_pending(struct et_doc *d, struct kt_entity *e)
{
    if (e->person == PENDING_TITLE) {
        e->type = DROPPED;
        return KT_OK;
    }
    bool given = e->person == PENDING_GIVEN;
    const char *s = given ? e->name : e->title;
    struct kt_buf key = {0};
    kt_status rc = et_norm(s ? s : "", s ? strlen(s) : 0, false, &key);
    int found = -1, count = 0;
    for (size_t p = 0; p < d->n_persons && rc == KT_OK; p++) {
        const struct person *pp = &d->persons[p];
        if (!pp->strong && !pp->n_titles)
            continue;
        bool m = false;
        rc = given ? given_matches(pp, &key, &m) : title_matches(pp, &key, &m);
        if (m) {
            found = (int)p;
            count++;
        }
    }
    kt_buf_free(&key);
    if (rc != KT_OK)
        return rc;
    if (count != 1) {
        e->type = DROPPED;
        return KT_OK;
    }
    e->person = found;
    e->linked = true;
    free(e->name);
    free(e->title);
    e->title = NULL;
    e->name = et_strdup(d->persons[found].name);
    return e->name ? KT_OK : KT_ENOMEM;
}

static kt_status fill_titles(struct et_doc *d, struct kt_entity *e)
{
    const struct person *p = &d->persons[e->person];
    free(e->title);
    e->title = NULL;
    size_t best = 0;
    for (size_t k = 0; k < p->n_titles; k++)
        if (strlen(p->titles[k]) > strlen(p->titles[best]))
            best = k;
    if (p->n_titles) {
        if (!(e->title = et_strdup(p->titles[best])))
            return KT_ENOMEM;
        e->titles = calloc(p->n_titles, sizeof *e->titles);
        if (!e->titles)
            return KT_ENOMEM;
        for (size_t k = 0; k < p->n_titles; k++) {
            if (!(e->titles[k] = et_strdup(p->titles[k])))
                return KT_ENOMEM;
            e->n_titles++;
        }
    }
    if (strcmp(e->name, p->name) != 0) {
        char *n = et_strdup(p->name);
        if (!n)
            return KT_ENOMEM;
        free(e->name);
        e->name = n;
    }
    return KT_OK;
}

static kt_status link_officials(struct et_doc *d)
{
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->out->n && rc == KT_OK; i++) {
        struct kt_entity *e = &d->out->items[i];
        if (e->type != KT_ENTITY_OFFICIAL)
            continue;
        if (e->person < 0)
            rc = resolve_pending(d, e);
        else if (!d->persons[e->person].strong && !d->persons[e->person].n_titles)
            e->type = DROPPED;
    }
    for (size_t i = 0; i < d->out->n && rc == KT_OK; i++) {
        struct kt_entity *e = &d->out->items[i];
        if (e->type == KT_ENTITY_OFFICIAL && e->person >= 0)
            rc = fill_titles(d, e);
    }
    return rc;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static kt_status link_documents(struct et_doc *d)
{
    for (size_t i = 0; i < d->out->n; i++) {
        struct kt_entity *e = &d->out->items[i];
        if (e->type != KT_ENTITY_DOCUMENT || !e->code || !all_digits(e->code))
            continue;
        size_t n = strlen(e->code);
        for (size_t k = 0; k < d->out->n; k++) {
            const struct kt_entity *f = &d->out->items[k];
            if (k == i || f->type != KT_ENTITY_DOCUMENT || f->kind != e->kind || !f->code)
                continue;
            if (strncmp(f->code, e->code, n) == 0 && (f->code[n] == '-' || f->code[n] == '/')) {
                char *c = et_strdup(f->code);
                if (!c)
                    return KT_ENOMEM;
                free(e->code);
                e->code = c;
                break;
            }
        }
    }
    return KT_OK;
}

struct pkey {
    uint64_t key;
    size_t idx;
};

static int cmp_pkey(const void *a, const void *b)
{
    const struct pkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static kt_status link_places(struct et_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->out->n; i++)
        n += d->out->items[i].type == KT_ENTITY_PLACE;
    if (!n)
        return KT_OK;
    struct pkey *v = malloc(n * sizeof *v);
    if (!v)
        return KT_ENOMEM;
    struct kt_buf tmp = {0};
    size_t m = 0;
    kt_status rc = KT_OK;
    for (size_t i = 0; i < d->out->n && rc == KT_OK; i++) {
        const struct kt_entity *e = &d->out->items[i];
        if (e->type != KT_ENTITY_PLACE)
            continue;
        rc = et_norm(e->name, strlen(e->name), false, &tmp);
        v[m].key = lx_phrase_step(lx_syl_key(tmp.data, tmp.len), (uintptr_t)e->level);
        v[m++].idx = i;
    }
    kt_buf_free(&tmp);
    if (rc == KT_OK) {
        qsort(v, m, sizeof *v, cmp_pkey);
        for (size_t a = 0; a < m && rc == KT_OK;) {
            size_t b = a;
            bool expl = false;
            const char *parent = NULL;
            while (b < m && v[b].key == v[a].key) {
                const struct kt_entity *e = &d->out->items[v[b].idx];
                expl |= e->explicit_level;
                if (!parent && e->parent)
                    parent = e->parent;
                b++;
            }
            for (size_t k = a; k < b && rc == KT_OK; k++) {
                struct kt_entity *e = &d->out->items[v[k].idx];
                e->explicit_level = expl;
                if (!e->parent && parent && !(e->parent = et_strdup(parent)))
                    rc = KT_ENOMEM;
            }
            a = b;
        }
    }
    free(v);
    return rc;
}

static void drop_marked(struct et_doc *d)
{
    size_t w = 0;
    for (size_t i = 0; i < d->out->n; i++) {
        struct kt_entity *e = &d->out->items[i];
        if (e->type == DROPPED) {
            free(e->name);
            free(e->title);
            for (size_t k = 0; k < e->n_titles; k++)
                free(e->titles[k]);
            free(e->titles);
            free(e->parent);
            free(e->unit);
            free(e->measure);
            free(e->code);
            continue;
        }
        d->out->items[w++] = *e;
    }
    d->out->n = w;
}

kt_status et_link(struct et_doc *d)
{
    kt_status rc = link_officials(d);
    if (rc == KT_OK)
        rc = link_documents(d);
    if (rc == KT_OK)
        rc = link_places(d);
    drop_marked(d);
    return rc;
}
