/* search.c - kt_search: parse, build (query_build.c), run with BM25, collapse duplicates, count
 * facets, read the stored records and build snippets (snippet.c). */
#define _DEFAULT_SOURCE
#include "query/search_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIMIT  10000
#define FACETS_MAX 50

struct kt_searcher {
    kt_xdb *db;
    vi_analyzer *an;
    uint32_t docs;
};

void kt_search_opts_init(struct kt_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    o->snippets = true;
    o->snippet_chars = 200;
}

kt_status kt_searcher_open(const char *db_path, struct kt_searcher **out, struct kt_err *err)
{
    *out = NULL;
    struct kt_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", db_path);
    struct kt_buf v = {0};
    kt_status st = kt_xdb_open(db_path, &s->db, err);
    if (st == KT_OK)
        st = kt_xdb_get_metadata(s->db, KT_META_FORMAT, &v, err);
    if (st == KT_OK)
        st = kt_xdb_doc_count(s->db, &s->docs, err);
    if (st == KT_OK && v.len == 0 && s->docs > 0)
        st = kt_err_set(err, KT_ECORRUPT, "%s: not a khotin index (no format version)", db_path);
    else if (st == KT_OK && v.len > 0 && atoi(v.data) != KT_INDEX_FORMAT)
        st =
            kt_err_set(err, KT_ECORRUPT, "%s: index format %s, this build reads %d: reindex needed",
                       db_path, v.data, KT_INDEX_FORMAT);
    if (st == KT_OK)
        st = vi_analyzer_new(NULL, &s->an, err);
    kt_buf_free(&v);
    if (st != KT_OK) {
        kt_searcher_close(s);
        return st;
    }
    *out = s;
    return KT_OK;
}

void kt_searcher_close(struct kt_searcher *s)
{
    if (!s)
        return;
    kt_xdb_close(s->db);
    vi_analyzer_free(s->an);
    free(s);
}

uint64_t kt_searcher_doc_count(const struct kt_searcher *s)
{
    return s ? s->docs : 0;
}

/* ============================ Results ============================ */

static void hit_free(struct kt_search_hit *h)
{
    free(h->id);
    free(h->url);
    free(h->title);
    free(h->date);
    free(h->site);
    free(h->snippet);
    free(h->snippet_html);
    free(h->spans);
}

static void facets_free(struct kt_facet_value *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].value);
    free(f);
}

void kt_search_result_free(struct kt_search_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_hits; i++)
        hit_free(&r->hits[i]);
    free(r->hits);
    facets_free(r->sites, r->n_sites);
    facets_free(r->years, r->n_years);
    facets_free(r->officials, r->n_officials);
    facets_free(r->places, r->n_places);
    memset(r, 0, sizeof *r);
}

static char *dup_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    return strdup(s);
}

/* Fills hit from the stored document data (index_schema.h: JSON, NUL, snippet text). */
static kt_status fill_hit(struct kt_searcher *s, const struct kt_built_query *bq,
                          const struct kt_search_opts *o, const char *data, size_t len,
                          struct kt_search_hit *h, struct kt_err *err)
{
    const char *nul = memchr(data, '\0', len);
    size_t jlen = nul ? (size_t)(nul - data) : len;
    json_error_t je;
    json_t *rec = json_loadb(data, jlen, 0, &je);
    if (!rec)
        return kt_err_set(err, KT_ECORRUPT, "%s: stored record does not parse: %s",
                          kt_xdb_path(s->db), je.text);
    h->id = dup_field(rec, "id");
    h->url = dup_field(rec, "url");
    h->title = dup_field(rec, "title");
    h->date = dup_field(rec, "date");
    h->site = dup_field(rec, "site");
    json_decref(rec);
    kt_status st = h->id && h->url && h->title && h->date && h->site
                       ? KT_OK
                       : kt_err_set(err, KT_ENOMEM, "out of memory");
    if (st == KT_OK && o->snippets) {
        const char *text = nul ? nul + 1 : "";
        size_t tlen = nul ? len - jlen - 1 : 0;
        st = kt_snippet_build(s->an, text, tlen, bq->forms, bq->n_forms,
                              o->snippet_chars ? o->snippet_chars : 200, h, err);
    }
    if (st == KT_OK && !h->snippet) {
        h->snippet = strdup("");
        h->snippet_html = strdup("");
        if (!h->snippet || !h->snippet_html)
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    return st;
}

struct facet_acc {
    struct kt_facet_value *v;
    size_t n;
    bool failed;
};

static int on_facet(void *ctx, const char *term, size_t len, uint32_t freq)
{
    struct facet_acc *a = ctx;
    struct kt_facet_value *nv = realloc(a->v, (a->n + 1) * sizeof *nv);
    char *val = nv ? malloc(len + 1) : NULL;
    if (!nv || !val) {
        if (nv)
            a->v = nv;
        free(val);
        a->failed = true;
        return 1;
    }
    a->v = nv;
    memcpy(val, term, len);
    val[len] = '\0';
    a->v[a->n].value = val;
    a->v[a->n].count = freq;
    a->n++;
    return 0;
}

static int by_value_desc(const void *x, const void *y)
{
    const struct kt_facet_value *a = x, *b = y;
    return strcmp(b->value, a->value);
}

static kt_status read_facets(kt_xspy *spy, bool sort_by_value, struct kt_facet_value **out,
                             size_t *n, struct kt_err *err)
{
    struct facet_acc a = {NULL, 0, false};
    kt_status s = kt_xspy_top_values(spy, sort_by_value ? 0 : FACETS_MAX, on_facet, &a, err);
    if (s == KT_OK && a.failed)
        s = kt_err_set(err, KT_ENOMEM, "facets: out of memory");
    if (s != KT_OK) {
        facets_free(a.v, a.n);
        return s;
    }
    if (sort_by_value && a.n > 1)
        qsort(a.v, a.n, sizeof *a.v, by_value_desc);
    *out = a.v;
    *n = a.n;
    return KT_OK;
}

/* ============================ Entity facets ============================ */

/* Counts one document's facet terms: one per entity (the exact official term, the exact
 * level-qualified place term), so folded twins and bare place names are not counted twice. */
static int on_entity_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    struct facet_acc *a = ctx;
    if (!kt_entity_term_is_facet(term, len))
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strlen(a->v[i].value) == len && memcmp(a->v[i].value, term, len) == 0) {
            a->v[i].count++;
            return 0;
        }
    if (a->n >= 4096)
        return 0;
    return on_facet(ctx, term, len, 1);
}

static int by_count_desc(const void *x, const void *y)
{
    const struct kt_facet_value *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return strcmp(a->value, b->value);
}

/* Sorts, keeps the FACETS_MAX most frequent and turns terms into display names. */
static kt_status finish_entity_facet(struct facet_acc *a, struct kt_facet_value **out, size_t *n,
                                     struct kt_err *err)
{
    if (a->n > 1)
        qsort(a->v, a->n, sizeof *a->v, by_count_desc);
    while (a->n > FACETS_MAX)
        free(a->v[--a->n].value);
    struct kt_buf d = {0};
    kt_status s = KT_OK;
    for (size_t i = 0; i < a->n && s == KT_OK; i++) {
        s = kt_entity_term_display(a->v[i].value, strlen(a->v[i].value), &d, err);
        char *v = s == KT_OK ? strdup(d.data ? d.data : "") : NULL;
        if (s == KT_OK && !v)
            s = kt_err_set(err, KT_ENOMEM, "facets: out of memory");
        if (v) {
            free(a->v[i].value);
            a->v[i].value = v;
        }
    }
    kt_buf_free(&d);
    if (s != KT_OK) {
        facets_free(a->v, a->n);
        return s;
    }
    *out = a->v;
    *n = a->n;
    return KT_OK;
}

/* Official and place facets over the top KT_ENTITY_FACET_DOCS results of e. */
static kt_status entity_facets(kt_xenquire *e, struct kt_search_result *r, struct kt_err *err)
{
    kt_xmset *m = NULL;
    struct facet_acc off = {NULL, 0, false}, pla = {NULL, 0, false};
    kt_status s = kt_xenquire_get_mset(e, 0, KT_ENTITY_FACET_DOCS, 0, &m, err);
    struct kt_xmset_info info = {0};
    if (s == KT_OK)
        s = kt_xmset_info(m, &info, err);
    for (uint32_t i = 0; s == KT_OK && i < info.size; i++) {
        kt_xdoc *d = NULL;
        s = kt_xmset_document(m, i, &d, err);
        if (s == KT_OK)
            s = kt_xdoc_terms(d, KT_PFX_ENTITY_OFFICIAL, 2, on_entity_term, &off, err);
        if (s == KT_OK)
            s = kt_xdoc_terms(d, KT_PFX_ENTITY_PLACE, 2, on_entity_term, &pla, err);
        kt_xdoc_free(d);
    }
    kt_xmset_free(m);
    if (s == KT_OK && (off.failed || pla.failed))
        s = kt_err_set(err, KT_ENOMEM, "facets: out of memory");
    if (s == KT_OK)
        s = finish_entity_facet(&off, &r->officials, &r->n_officials, err);
    else
        facets_free(off.v, off.n);
    if (s == KT_OK)
        s = finish_entity_facet(&pla, &r->places, &r->n_places, err);
    else
        facets_free(pla.v, pla.n);
    return s;
}

/* ============================ Running a query ============================ */

static kt_status run_once(struct kt_searcher *s, const struct kt_search_opts *o,
                          const struct kt_built_query *bq, struct kt_search_result *r,
                          struct kt_err *err)
{
    memset(r, 0, sizeof *r);
    size_t limit = o->limit > MAX_LIMIT ? MAX_LIMIT : o->limit;
    size_t offset = o->offset > MAX_LIMIT * 100 ? MAX_LIMIT * 100 : o->offset;
    kt_xenquire *e = NULL;
    kt_xspy *site_spy = NULL, *year_spy = NULL;
    kt_xmset *m = NULL;
    struct kt_buf data = {0};
    kt_status st = kt_xenquire_new(s->db, &e, err);
    if (st == KT_OK)
        st = kt_xenquire_set_query(e, bq->query, 0, err);
    if (st == KT_OK)
        st = kt_xenquire_set_bm25(e, NULL, err);
    if (st == KT_OK)
        st = kt_xenquire_set_collapse_key(e, KT_SLOT_COLLAPSE, 1, err);
    if (st == KT_OK && o->sort == KT_SORT_DATE)
        st = kt_xenquire_set_sort(e, KT_XSORT_VALUE_THEN_RELEVANCE, KT_SLOT_DATE, true, err);
    uint32_t check = (uint32_t)(offset + limit);
    if (st == KT_OK && o->facets) {
        st = kt_xspy_new(KT_SLOT_SITE, &site_spy, err);
        if (st == KT_OK)
            st = kt_xspy_new(KT_SLOT_YEAR, &year_spy, err);
        if (st == KT_OK)
            st = kt_xenquire_add_spy(e, site_spy, err);
        if (st == KT_OK)
            st = kt_xenquire_add_spy(e, year_spy, err);
        check = s->docs;
    }
    if (st == KT_OK)
        st = kt_xenquire_get_mset(e, (uint32_t)offset, (uint32_t)limit, check, &m, err);
    struct kt_xmset_info info = {0};
    if (st == KT_OK)
        st = kt_xmset_info(m, &info, err);
    if (st == KT_OK && info.size > 0) {
        r->hits = calloc(info.size, sizeof *r->hits);
        if (!r->hits)
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    for (uint32_t i = 0; st == KT_OK && i < info.size; i++) {
        struct kt_xhit xh;
        st = kt_xmset_hit(m, i, &xh, err);
        if (st == KT_OK)
            st = kt_xmset_data(m, i, &data, err);
        struct kt_search_hit *h = &r->hits[r->n_hits];
        if (st == KT_OK) {
            r->n_hits++;
            h->rank = offset + i + 1;
            h->score = xh.weight;
            h->duplicates = xh.collapse_count;
            st = fill_hit(s, bq, o, data.data ? data.data : "", data.len, h, err);
        }
    }
    r->total_estimate = info.matches_estimated;
    if (st == KT_OK && o->facets)
        st = read_facets(site_spy, false, &r->sites, &r->n_sites, err);
    if (st == KT_OK && o->facets)
        st = read_facets(year_spy, true, &r->years, &r->n_years, err);
    if (st == KT_OK && o->facets)
        st = kt_xenquire_clear_spies(e, err);
    if (st == KT_OK && o->facets)
        st = entity_facets(e, r, err);
    kt_buf_free(&data);
    kt_xmset_free(m);
    kt_xspy_free(site_spy);
    kt_xspy_free(year_spy);
    kt_xenquire_free(e);
    if (st != KT_OK)
        kt_search_result_free(r);
    return st;
}

kt_status kt_search(struct kt_searcher *s, const struct kt_search_opts *o,
                    struct kt_search_result *r, struct kt_err *err)
{
    memset(r, 0, sizeof *r);
    if (!s || !o || !o->query)
        return kt_err_set(err, KT_EINVAL, "search: no query");
    size_t qlen = o->query_len ? o->query_len : strlen(o->query);
    struct kt_qnode *root = NULL;
    kt_status st = kt_query_parse(o->query, qlen, &root, err);
    if (st != KT_OK)
        return st;
    struct kt_built_query bq;
    st = kt_build_query(s->an, o->query, root, false, &bq, err);
    if (st == KT_OK && !bq.query) { /* nothing searchable: no results */
        kt_built_query_free(&bq);
        kt_qnode_free(root);
        return KT_OK;
    }
    for (int attempt = 0; st == KT_OK && attempt < 3; attempt++) {
        st = run_once(s, o, &bq, r, err);
        if (st == KT_EMODIFIED) { /* the writer moved on: reopen and retry */
            struct kt_err rerr = {0};
            kt_status rs = kt_xdb_reopen(s->db, NULL, &rerr);
            if (rs != KT_OK) {
                *err = rerr;
                st = rs;
                break;
            }
            kt_xdb_doc_count(s->db, &s->docs, NULL);
            st = KT_OK;
            continue;
        }
        if (st == KT_OK && r->total_estimate == 0 && bq.relaxable && o->offset == 0) {
            /* Nothing has every word: fall back to any word, still ranked by units. */
            struct kt_built_query relaxed;
            st = kt_build_query(s->an, o->query, root, true, &relaxed, err);
            if (st == KT_OK) {
                kt_built_query_free(&bq);
                bq = relaxed;
                kt_search_result_free(r);
                st = run_once(s, o, &bq, r, err);
            }
        }
        break;
    }
    kt_built_query_free(&bq);
    kt_qnode_free(root);
    return st;
}
