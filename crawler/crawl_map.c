/* crawl_map.c - a small open-addressing string map used by the crawl loop for per-run
 * bookkeeping (URL-shape counters, redirect hops); keys and values are owned copies. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/crawl_internal.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static struct kt_strmap_entry *slot(struct kt_strmap_entry *e, size_t cap, const char *key)
{
    size_t i = (size_t)hash_str(key) & (cap - 1);
    while (e[i].key && strcmp(e[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &e[i];
}

static bool grow(struct kt_strmap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 64;
    struct kt_strmap_entry *ne = calloc(nc, sizeof *ne);
    if (!ne)
        return false;
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key)
            *slot(ne, nc, m->e[i].key) = m->e[i];
    free(m->e);
    m->e = ne;
    m->cap = nc;
    return true;
}

struct kt_strmap_entry *kt_strmap_get(const struct kt_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    struct kt_strmap_entry *s = slot(m->e, m->cap, key);
    return s->key ? s : NULL;
}

kt_status kt_strmap_put(struct kt_strmap *m, const char *key, const char *sval, int64_t ival)
{
    if ((m->n + 1) * 2 > m->cap && !grow(m))
        return KT_ENOMEM;
    struct kt_strmap_entry *s = slot(m->e, m->cap, key);
    char *nv = sval ? strdup(sval) : NULL;
    if (sval && !nv)
        return KT_ENOMEM;
    if (!s->key) {
        s->key = strdup(key);
        if (!s->key) {
            free(nv);
            return KT_ENOMEM;
        }
        m->n++;
    }
    free(s->sval);
    s->sval = nv;
    s->ival = ival;
    return KT_OK;
}

void kt_strmap_free(struct kt_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->e[i].key);
        free(m->e[i].sval);
    }
    free(m->e);
    memset(m, 0, sizeof *m);
}
