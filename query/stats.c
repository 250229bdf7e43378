/* stats.c - entity statistics: walks articles (index query, JSON Lines, or the caller's own
 * loop), extracts their entities and aggregates mention counts, co-occurrences and figure
 * tables, written as CSV or JSON. */
#include "query/stats.h"

#include "common/kt_text.h"
#include "indexer/index_schema.h"
#include "query/search.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ============================ article sources ============================ */

/* Document data (indexer/index_schema.h): a JSON record, a NUL byte, then the text (older
 * layouts: the JSON record alone, with a "text" field). */
static kt_status visit_doc_data(const struct kt_buf *data, kt_article_fn fn, void *ud,
                                struct kt_err *err)
{
    const char *nul = data->len ? memchr(data->data, '\0', data->len) : NULL;
    size_t json_len = nul ? (size_t)(nul - data->data) : data->len;
    struct kt_article a;
    kt_article_init(&a);
    struct kt_err perr = {0};
    kt_status rc = kt_article_from_json(data->data ? data->data : "", json_len, &a, &perr);
    if (rc == KT_OK && nul && !a.text) {
        size_t tl = data->len - json_len - 1;
        a.text = malloc(tl + 1);
        if (!a.text)
            rc = KT_ENOMEM;
        else {
            memcpy(a.text, nul + 1, tl);
            a.text[tl] = 0;
        }
        if (rc != KT_OK) {
            kt_article_free(&a);
            return kt_err_set(err, rc, "stats: out of memory");
        }
    }
    if (rc == KT_OK)
        rc = fn(ud, &a, err);
    else
        rc = KT_OK; /* a document without usable data is skipped */
    kt_article_free(&a);
    return rc;
}

static kt_status each_by_query(const char *db_path, const char *query, size_t limit,
                               kt_article_fn fn, void *ud, struct kt_err *err)
{
    struct kt_searcher *s = NULL;
    kt_xdb *db = NULL;
    kt_status rc = kt_searcher_open(db_path, &s, err);
    if (rc == KT_OK)
        rc = kt_xdb_open(db_path, &db, err);
    struct kt_buf term = {0}, data = {0};
    size_t done = 0, offset = 0;
    if (!limit || limit > 10000)
        limit = 10000;
    while (rc == KT_OK && done < limit) {
        struct kt_search_opts o;
        kt_search_opts_init(&o);
        o.query = query;
        o.limit = limit - done < 500 ? limit - done : 500;
        o.offset = offset;
        o.snippets = false;
        struct kt_search_result r;
        memset(&r, 0, sizeof r);
        rc = kt_search(s, &o, &r, err);
        if (rc != KT_OK)
            break;
        for (size_t i = 0; i < r.n_hits && rc == KT_OK; i++) {
            const char *id = r.hits[i].id;
            if (strlen(id) > KT_ID_TERM_MAX)
                continue; /* cut ids carry a hash suffix only the writer computes */
            kt_buf_reset(&term);
            rc = kt_buf_printf(&term, "%s%s", KT_PFX_ID, id);
            kt_xdocid docid = 0;
            if (rc == KT_OK)
                rc = kt_xdb_find_by_term(db, term.data, term.len, &docid, err);
            if (rc == KT_ENOTFOUND) {
                rc = KT_OK;
                continue;
            }
            kt_xdoc *doc = NULL;
            if (rc == KT_OK && docid)
                rc = kt_xdb_get_document(db, docid, &doc, err);
            if (rc == KT_OK && doc)
                rc = kt_xdoc_get_data(doc, &data, err);
            kt_xdoc_free(doc);
            if (rc == KT_OK && docid)
                rc = visit_doc_data(&data, fn, ud, err);
        }
        size_t got = r.n_hits;
        kt_search_result_free(&r);
        done += got;
        offset += got;
        if (got < o.limit)
            break;
    }
    kt_buf_free(&term);
    kt_buf_free(&data);
    kt_xdb_close(db);
    kt_searcher_close(s);
    return rc;
}

static kt_status each_all(const char *db_path, size_t limit, kt_article_fn fn, void *ud,
                          struct kt_err *err)
{
    kt_xdb *db = NULL;
    kt_status rc = kt_xdb_open(db_path, &db, err);
    kt_xdocid last = 0;
    if (rc == KT_OK)
        rc = kt_xdb_last_docid(db, &last, err);
    struct kt_buf data = {0};
    size_t done = 0;
    for (kt_xdocid id = 1; rc == KT_OK && id <= last && (!limit || done < limit); id++) {
        kt_xdoc *doc = NULL;
        struct kt_err e2 = {0};
        kt_status g = kt_xdb_get_document(db, id, &doc, &e2);
        if (g == KT_ENOTFOUND)
            continue;
        if (g != KT_OK) {
            if (err)
                *err = e2;
            rc = g;
            break;
        }
        rc = kt_xdoc_get_data(doc, &data, err);
        kt_xdoc_free(doc);
        if (rc == KT_OK)
            rc = visit_doc_data(&data, fn, ud, err);
        done++;
    }
    kt_buf_free(&data);
    kt_xdb_close(db);
    return rc;
}

kt_status kt_index_each_article(const char *db_path, const char *query, size_t limit,
                                kt_article_fn fn, void *ud, struct kt_err *err)
{
    if (!db_path || !fn)
        return kt_err_set(err, KT_EINVAL, "stats: no index given");
    if (query && *query)
        return each_by_query(db_path, query, limit, fn, ud, err);
    return each_all(db_path, limit, fn, ud, err);
}

kt_status kt_jsonl_each_article(const char *path, kt_article_fn fn, void *ud, size_t *bad,
                                struct kt_err *err)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        FILE *probe = fopen(path, "rb");
        if (!probe)
            return kt_err_set(err, KT_ENOTFOUND, "%s: cannot open", path);
        fclose(probe);
        return kt_err_set(err, KT_EIO, "%s: cannot read", path);
    }
    struct kt_buf line = {0};
    char chunk[1 << 16];
    kt_status rc = KT_OK;
    size_t lineno = 0;
    for (;;) {
        int n = gzread(f, chunk, sizeof chunk);
        if (n < 0) {
            int errnum = 0;
            const char *msg = gzerror(f, &errnum);
            rc = kt_err_set(err, KT_EIO, "%s: line %zu: %s", path, lineno + 1, msg);
            break;
        }
        size_t start = 0;
        for (size_t i = 0; i < (size_t)n && rc == KT_OK; i++) {
            if (chunk[i] != '\n')
                continue;
            rc = kt_buf_append(&line, chunk + start, i - start);
            start = i + 1;
            lineno++;
            if (rc == KT_OK && line.len) {
                struct kt_article a;
                kt_article_init(&a);
                struct kt_err perr = {0};
                if (kt_article_from_json(line.data, line.len, &a, &perr) == KT_OK)
                    rc = fn(ud, &a, err);
                else if (bad)
                    (*bad)++;
                kt_article_free(&a);
            }
            kt_buf_reset(&line);
        }
        if (rc != KT_OK)
            break;
        if (n == 0) {
            if (line.len) {
                struct kt_article a;
                kt_article_init(&a);
                struct kt_err perr = {0};
                if (kt_article_from_json(line.data, line.len, &a, &perr) == KT_OK)
                    rc = fn(ud, &a, err);
                else if (bad)
                    (*bad)++;
                kt_article_free(&a);
            }
            break;
        }
        if (start < (size_t)n && (rc = kt_buf_append(&line, chunk + start, (size_t)n - start)))
            break;
    }
    kt_buf_free(&line);
    gzclose(f);
    return rc;
}

/* ============================ aggregation ============================ */

bool kt_stats_by_parse(const char *s, enum kt_stats_by *out)
{
    static const struct {
        const char *name;
        enum kt_stats_by by;
    } names[] = {
        {"official", KT_STATS_BY_OFFICIAL},
        {"place", KT_STATS_BY_PLACE},
        {"site", KT_STATS_BY_SITE},
        {"month", KT_STATS_BY_MONTH},
        {"official,place", KT_STATS_BY_OFFICIAL_PLACE},
        {"place,official", KT_STATS_BY_OFFICIAL_PLACE},
        {"figure", KT_STATS_FIGURES},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].by;
            return true;
        }
    return false;
}

struct row {
    char *k1, *k2, *k3; /* display forms */
    char *extra;        /* official: fullest title; place: parent */
    size_t mentions, articles;
    size_t seen_in; /* serial + 1 of the last article counted */
    char first[11], last[11];
    size_t by_type[KT_ENTITY_TYPE_COUNT];
    uint64_t key;
};

struct figure_row {
    char *article, *date, *place, *unit, *measure, *sentence;
    double value, total, scaled;
    bool has_total, has_scaled;
};

struct kt_stats {
    struct kt_stats_opts opts;
    struct kt_entity_extractor *ex;
    struct kt_entity_list list;
    struct row *rows;
    size_t n_rows, cap_rows;
    size_t *slots; /* open addressing: row index + 1 */
    size_t mask;
    struct figure_row *figs;
    size_t n_figs, cap_figs;
    size_t articles;
    struct kt_buf unit_norm;
    struct kt_buf tmp;
};

kt_status kt_stats_new(const struct kt_stats_opts *opts, struct kt_stats **out, struct kt_err *err)
{
    *out = NULL;
    struct kt_stats *s = calloc(1, sizeof *s);
    if (!s)
        return kt_err_set(err, KT_ENOMEM, "stats: out of memory");
    s->opts = *opts;
    struct kt_entity_config cfg = {.types = KT_ENTITY_ALL, .gazetteer = opts->gazetteer};
    kt_status rc = kt_entity_extractor_new(&cfg, &s->ex, err);
    s->mask = 1023;
    s->slots = calloc(s->mask + 1, sizeof *s->slots);
    if (rc == KT_OK && !s->slots)
        rc = kt_err_set(err, KT_ENOMEM, "stats: out of memory");
    if (rc == KT_OK && opts->unit && *opts->unit) {
        struct kt_buf t = {0};
        rc = kt_text_normalize(opts->unit, strlen(opts->unit), KT_NORM_CANONICAL | KT_NORM_CASEFOLD,
                               &t, err);
        s->unit_norm = t;
    }
    if (rc != KT_OK) {
        kt_stats_free(s);
        return rc;
    }
    *out = s;
    return KT_OK;
}

static void row_free(struct row *r)
{
    free(r->k1);
    free(r->k2);
    free(r->k3);
    free(r->extra);
}

void kt_stats_free(struct kt_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_rows; i++)
        row_free(&s->rows[i]);
    free(s->rows);
    free(s->slots);
    for (size_t i = 0; i < s->n_figs; i++) {
        struct figure_row *f = &s->figs[i];
        free(f->article);
        free(f->date);
        free(f->place);
        free(f->unit);
        free(f->measure);
        free(f->sentence);
    }
    free(s->figs);
    kt_entity_list_free(&s->list);
    kt_entity_extractor_free(s->ex);
    kt_buf_free(&s->unit_norm);
    kt_buf_free(&s->tmp);
    free(s);
}

size_t kt_stats_articles(const struct kt_stats *s)
{
    return s ? s->articles : 0;
}

static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Key of up to three strings after normalization (case, tones, spaces). */
static kt_status key_of(struct kt_stats *s, const char *a, const char *b, const char *c,
                        uint64_t *key)
{
    uint64_t h = 1469598103934665603ull;
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        kt_buf_reset(&s->tmp);
        kt_status rc = kt_text_normalize(parts[i], strlen(parts[i]),
                                         KT_NORM_CANONICAL | KT_NORM_CASEFOLD, &s->tmp, NULL);
        if (rc != KT_OK)
            return rc;
        h = hash_bytes(h, s->tmp.data ? s->tmp.data : "", s->tmp.len);
        h = hash_bytes(h, "\x1f", 1);
    }
    *key = h ? h : 1;
    return KT_OK;
}

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c)
        memcpy(c, s, n + 1);
    return c;
}

static kt_status grow_slots(struct kt_stats *s)
{
    size_t cap = (s->mask + 1) * 2;
    size_t *v = calloc(cap, sizeof *v);
    if (!v)
        return KT_ENOMEM;
    for (size_t i = 0; i < s->n_rows; i++) {
        size_t j = (size_t)s->rows[i].key & (cap - 1);
        while (v[j])
            j = (j + 1) & (cap - 1);
        v[j] = i + 1;
    }
    free(s->slots);
    s->slots = v;
    s->mask = cap - 1;
    return KT_OK;
}

static kt_status get_row(struct kt_stats *s, const char *a, const char *b, const char *c,
                         struct row **out)
{
    uint64_t key;
    kt_status rc = key_of(s, a, b, c, &key);
    if (rc != KT_OK)
        return rc;
    size_t j = (size_t)key & s->mask;
    while (s->slots[j]) {
        if (s->rows[s->slots[j] - 1].key == key) {
            *out = &s->rows[s->slots[j] - 1];
            return KT_OK;
        }
        j = (j + 1) & s->mask;
    }
    if ((s->n_rows + 1) * 2 > s->mask + 1) {
        if ((rc = grow_slots(s)) != KT_OK)
            return rc;
        j = (size_t)key & s->mask;
        while (s->slots[j])
            j = (j + 1) & s->mask;
    }
    if (s->n_rows == s->cap_rows) {
        size_t cap = s->cap_rows ? s->cap_rows * 2 : 64;
        struct row *v = realloc(s->rows, cap * sizeof *v);
        if (!v)
            return KT_ENOMEM;
        s->rows = v;
        s->cap_rows = cap;
    }
    struct row *r = &s->rows[s->n_rows];
    memset(r, 0, sizeof *r);
    r->key = key;
    r->k1 = dup_or_null(a);
    r->k2 = dup_or_null(b);
    r->k3 = dup_or_null(c);
    if ((a && !r->k1) || (b && !r->k2) || (c && !r->k3)) {
        row_free(r);
        return KT_ENOMEM;
    }
    s->slots[j] = ++s->n_rows;
    *out = r;
    return KT_OK;
}

static void count(struct kt_stats *s, struct row *r, const char *date)
{
    r->mentions++;
    if (r->seen_in != s->articles) {
        r->seen_in = s->articles;
        r->articles++;
    }
    if (date && strlen(date) >= 10) {
        if (!r->first[0] || strncmp(date, r->first, 10) < 0)
            memcpy(r->first, date, 10);
        if (!r->last[0] || strncmp(date, r->last, 10) > 0)
            memcpy(r->last, date, 10);
    }
}

static kt_status keep_longer(char **slot, const char *s)
{
    if (!s || (*slot && strlen(*slot) >= strlen(s)))
        return KT_OK;
    char *c = dup_or_null(s);
    if (!c)
        return KT_ENOMEM;
    free(*slot);
    *slot = c;
    return KT_OK;
}

static const char *site_of(const struct kt_article *a, char *buf, size_t cap)
{
    if (a->site && *a->site)
        return a->site;
    const char *u = a->url ? a->url : a->id ? a->id : "";
    const char *p = strstr(u, "://");
    if (!p)
        return "local";
    p += 3;
    size_t n = strcspn(p, "/:?#");
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    return buf[0] ? buf : "unknown";
}

/* The place for a figure: the nearest place in its sentence, else the article's most-named. */
static const struct kt_entity *figure_place(const struct kt_entity_list *l, size_t fi,
                                            const struct kt_entity *top)
{
    const struct kt_entity *f = &l->items[fi];
    for (size_t k = fi; k-- > 0;) {
        const struct kt_entity *e = &l->items[k];
        if (e->sent_start != f->sent_start)
            break;
        if (e->type == KT_ENTITY_PLACE)
            return e;
    }
    for (size_t k = fi + 1; k < l->n; k++) {
        const struct kt_entity *e = &l->items[k];
        if (e->sent_start != f->sent_start)
            break;
        if (e->type == KT_ENTITY_PLACE)
            return e;
    }
    return top;
}

static char *place_label(const struct kt_entity *p)
{
    if (!p)
        return NULL;
    struct kt_buf b = {0};
    if (kt_buf_printf(&b, "%s %s", p->level, p->name) != KT_OK) {
        kt_buf_free(&b);
        return NULL;
    }
    return kt_buf_detach(&b);
}

static bool unit_matches(struct kt_stats *s, const char *unit)
{
    if (!s->unit_norm.len)
        return true;
    if (!unit)
        return false;
    kt_buf_reset(&s->tmp);
    if (kt_text_normalize(unit, strlen(unit), KT_NORM_CANONICAL | KT_NORM_CASEFOLD, &s->tmp,
                          NULL) != KT_OK)
        return false;
    return s->tmp.len >= s->unit_norm.len && strstr(s->tmp.data, s->unit_norm.data) != NULL;
}

static kt_status add_figures(struct kt_stats *s, const struct kt_article *a)
{
    const struct kt_entity_list *l = &s->list;
    /* the article's most-mentioned place */
    const struct kt_entity *top = NULL;
    size_t top_n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i].type != KT_ENTITY_PLACE)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < l->n; k++)
            if (l->items[k].type == KT_ENTITY_PLACE && l->items[k].level == l->items[i].level &&
                strcmp(l->items[k].name, l->items[i].name) == 0)
                n++;
        if (n > top_n) {
            top_n = n;
            top = &l->items[i];
        }
        if (i > 64)
            break; /* enough to pick a main place */
    }
    for (size_t i = 0; i < l->n; i++) {
        const struct kt_entity *e = &l->items[i];
        if (e->type != KT_ENTITY_FIGURE || !unit_matches(s, e->unit))
            continue;
        if (s->n_figs == s->cap_figs) {
            size_t cap = s->cap_figs ? s->cap_figs * 2 : 64;
            struct figure_row *v = realloc(s->figs, cap * sizeof *v);
            if (!v)
                return KT_ENOMEM;
            s->figs = v;
            s->cap_figs = cap;
        }
        struct figure_row *f = &s->figs[s->n_figs++];
        memset(f, 0, sizeof *f);
        f->article = dup_or_null(a->url ? a->url : a->id);
        f->date = dup_or_null(a->date);
        f->place = place_label(figure_place(l, i, top));
        f->unit = dup_or_null(e->unit);
        f->measure = dup_or_null(e->measure);
        size_t se = e->sent_end > l->text.len ? l->text.len : e->sent_end;
        size_t ss = e->sent_start > se ? se : e->sent_start;
        f->sentence = malloc(se - ss + 1);
        if (f->sentence) {
            memcpy(f->sentence, l->text.data + ss, se - ss);
            f->sentence[se - ss] = 0;
        }
        f->value = e->value;
        f->total = e->total;
        f->has_total = e->has_total;
        f->scaled = e->scaled;
        f->has_scaled = e->has_scaled;
        if (!f->sentence)
            return KT_ENOMEM;
    }
    return KT_OK;
}

kt_status kt_stats_add(struct kt_stats *s, const struct kt_article *a, struct kt_err *err)
{
    kt_status rc = kt_entities_extract_article(s->ex, a, &s->list, err);
    if (rc != KT_OK)
        return rc;
    s->articles++;
    const struct kt_entity_list *l = &s->list;
    const char *date = a->date;
    struct row *r = NULL;
    char site[256];
    switch (s->opts.by) {
    case KT_STATS_BY_OFFICIAL:
        for (size_t i = 0; i < l->n && rc == KT_OK; i++) {
            const struct kt_entity *e = &l->items[i];
            if (e->type != KT_ENTITY_OFFICIAL || !e->name)
                continue;
            if ((rc = get_row(s, e->name, NULL, NULL, &r)) == KT_OK) {
                count(s, r, date);
                rc = keep_longer(&r->extra, e->title);
            }
        }
        break;
    case KT_STATS_BY_PLACE:
        for (size_t i = 0; i < l->n && rc == KT_OK; i++) {
            const struct kt_entity *e = &l->items[i];
            if (e->type != KT_ENTITY_PLACE)
                continue;
            if ((rc = get_row(s, e->level, e->name, NULL, &r)) == KT_OK) {
                count(s, r, date);
                rc = keep_longer(&r->extra, e->parent);
            }
        }
        break;
    case KT_STATS_BY_SITE:
    case KT_STATS_BY_MONTH: {
        char month[8] = "unknown";
        if (date && strlen(date) >= 7) {
            memcpy(month, date, 7);
            month[7] = 0;
        }
        const char *k = s->opts.by == KT_STATS_BY_SITE ? site_of(a, site, sizeof site) : month;
        if ((rc = get_row(s, k, NULL, NULL, &r)) == KT_OK) {
            count(s, r, date);
            r->mentions--; /* rows count articles; mentions go by type */
            for (size_t i = 0; i < l->n; i++)
                r->by_type[l->items[i].type]++;
        }
        break;
    }
    case KT_STATS_BY_OFFICIAL_PLACE:
        for (size_t i = 0; i < l->n && rc == KT_OK; i++) {
            const struct kt_entity *o = &l->items[i];
            if (o->type != KT_ENTITY_OFFICIAL || !o->name)
                continue;
            for (size_t k = 0; k < l->n && rc == KT_OK; k++) {
                const struct kt_entity *p = &l->items[k];
                if (p->type != KT_ENTITY_PLACE)
                    continue;
                if ((rc = get_row(s, o->name, p->level, p->name, &r)) == KT_OK &&
                    r->seen_in != s->articles)
                    count(s, r, date);
            }
        }
        break;
    case KT_STATS_FIGURES:
        rc = add_figures(s, a);
        break;
    }
    if (rc != KT_OK && (!err || err->code == KT_OK))
        return kt_err_set(err, rc, "stats: %s", kt_status_str(rc));
    return rc;
}

kt_status kt_stats_visit(void *ud, const struct kt_article *a, struct kt_err *err)
{
    return kt_stats_add(ud, a, err);
}

/* ============================ output ============================ */

static int cmp_rows_count(const void *x, const void *y)
{
    const struct row *a = x, *b = y;
    size_t ca = a->mentions ? a->mentions : a->articles;
    size_t cb = b->mentions ? b->mentions : b->articles;
    if (ca != cb)
        return ca > cb ? -1 : 1;
    if (a->articles != b->articles)
        return a->articles > b->articles ? -1 : 1;
    int c = strcmp(a->k1 ? a->k1 : "", b->k1 ? b->k1 : "");
    if (c)
        return c;
    c = strcmp(a->k2 ? a->k2 : "", b->k2 ? b->k2 : "");
    return c ? c : strcmp(a->k3 ? a->k3 : "", b->k3 ? b->k3 : "");
}

static int cmp_rows_key(const void *x, const void *y)
{
    const struct row *a = x, *b = y;
    return strcmp(a->k1 ? a->k1 : "", b->k1 ? b->k1 : "");
}

static kt_status csv_s(struct kt_buf *o, const char *s, bool last)
{
    kt_status rc = kt_csv_field(o, s, s ? strlen(s) : 0);
    return rc == KT_OK ? kt_buf_append_byte(o, last ? '\n' : ',') : rc;
}

static kt_status csv_n(struct kt_buf *o, bool have, double v, bool last)
{
    kt_status rc = have && isfinite(v) ? kt_buf_printf(o, "%.15g", v) : KT_OK;
    return rc == KT_OK ? kt_buf_append_byte(o, last ? '\n' : ',') : rc;
}

static kt_status csv_z(struct kt_buf *o, size_t v, bool last)
{
    return kt_buf_printf(o, "%zu%c", v, last ? '\n' : ',');
}

static json_t *jnum(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *nz(const char *d)
{
    return d && *d ? d : NULL;
}

kt_status kt_stats_write(const struct kt_stats *s, enum kt_stats_format f, struct kt_buf *out,
                         struct kt_err *err)
{
    kt_status rc = KT_OK;
    bool csv = f == KT_STATS_CSV;
    json_t *arr = csv ? NULL : json_array();
    if (!csv && !arr)
        return kt_err_set(err, KT_ENOMEM, "stats: out of memory");
    enum kt_stats_by by = s->opts.by;
    if (by == KT_STATS_FIGURES) {
        if (csv)
            rc = kt_buf_append_cstr(
                out, "article,date,place,value,total,unit,scaled,measure,sentence\n");
        for (size_t i = 0; i < s->n_figs && rc == KT_OK; i++) {
            const struct figure_row *r = &s->figs[i];
            if (csv) {
                rc = csv_s(out, r->article, false);
                if (rc == KT_OK)
                    rc = csv_s(out, r->date, false);
                if (rc == KT_OK)
                    rc = csv_s(out, r->place, false);
                if (rc == KT_OK)
                    rc = csv_n(out, true, r->value, false);
                if (rc == KT_OK)
                    rc = csv_n(out, r->has_total, r->total, false);
                if (rc == KT_OK)
                    rc = csv_s(out, r->unit, false);
                if (rc == KT_OK)
                    rc = csv_n(out, r->has_scaled, r->scaled, false);
                if (rc == KT_OK)
                    rc = csv_s(out, r->measure, false);
                if (rc == KT_OK)
                    rc = csv_s(out, r->sentence, true);
            } else {
                json_t *o = json_pack(
                    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "article", jstr(r->article), "date",
                    jstr(r->date), "place", jstr(r->place), "value", jnum(r->value), "total",
                    r->has_total ? jnum(r->total) : json_null(), "unit", jstr(r->unit), "scaled",
                    r->has_scaled ? jnum(r->scaled) : json_null(), "measure", jstr(r->measure),
                    "sentence", jstr(r->sentence));
                if (!o || json_array_append_new(arr, o))
                    rc = KT_ENOMEM;
            }
        }
    } else {
        struct row *rows = malloc((s->n_rows ? s->n_rows : 1) * sizeof *rows);
        if (!rows) {
            json_decref(arr);
            return kt_err_set(err, KT_ENOMEM, "stats: out of memory");
        }
        if (s->n_rows)
            memcpy(rows, s->rows, s->n_rows * sizeof *rows);
        qsort(rows, s->n_rows, sizeof *rows,
              by == KT_STATS_BY_MONTH ? cmp_rows_key : cmp_rows_count);
        static const char *const headers[] = {
            "official,title,mentions,articles,first_date,last_date\n",
            "level,place,parent,mentions,articles,first_date,last_date\n",
            "site,articles,officials,places,figures,documents,dates\n",
            "month,articles,officials,places,figures,documents,dates\n",
            "official,level,place,articles,first_date,last_date\n",
        };
        if (csv)
            rc = kt_buf_append_cstr(out, headers[by]);
        for (size_t i = 0; i < s->n_rows && rc == KT_OK; i++) {
            const struct row *r = &rows[i];
            json_t *o = NULL;
            switch (by) {
            case KT_STATS_BY_OFFICIAL:
                if (csv) {
                    rc = csv_s(out, r->k1, false);
                    if (rc == KT_OK)
                        rc = csv_s(out, r->extra, false);
                } else {
                    o = json_pack("{s:o,s:o}", "official", jstr(r->k1), "title", jstr(r->extra));
                }
                break;
            case KT_STATS_BY_PLACE:
                if (csv) {
                    rc = csv_s(out, r->k1, false);
                    if (rc == KT_OK)
                        rc = csv_s(out, r->k2, false);
                    if (rc == KT_OK)
                        rc = csv_s(out, r->extra, false);
                } else {
                    o = json_pack("{s:o,s:o,s:o}", "level", jstr(r->k1), "place", jstr(r->k2),
                                  "parent", jstr(r->extra));
                }
                break;
            case KT_STATS_BY_SITE:
            case KT_STATS_BY_MONTH:
                if (csv) {
                    rc = csv_s(out, r->k1, false);
                    if (rc == KT_OK)
                        rc = csv_z(out, r->articles, false);
                    for (int t = 0; t < KT_ENTITY_TYPE_COUNT && rc == KT_OK; t++)
                        rc = csv_z(out, r->by_type[t], t == KT_ENTITY_TYPE_COUNT - 1);
                } else {
                    o = json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I}",
                                  by == KT_STATS_BY_SITE ? "site" : "month", jstr(r->k1),
                                  "articles", (json_int_t)r->articles, "officials",
                                  (json_int_t)r->by_type[0], "places", (json_int_t)r->by_type[1],
                                  "figures", (json_int_t)r->by_type[2], "documents",
                                  (json_int_t)r->by_type[3], "dates", (json_int_t)r->by_type[4]);
                }
                break;
            case KT_STATS_BY_OFFICIAL_PLACE:
                if (csv) {
                    rc = csv_s(out, r->k1, false);
                    if (rc == KT_OK)
                        rc = csv_s(out, r->k2, false);
                    if (rc == KT_OK)
                        rc = csv_s(out, r->k3, false);
                } else {
                    o = json_pack("{s:o,s:o,s:o}", "official", jstr(r->k1), "level", jstr(r->k2),
                                  "place", jstr(r->k3));
                }
                break;
            case KT_STATS_FIGURES:
                break;
            }
            if (by == KT_STATS_BY_SITE || by == KT_STATS_BY_MONTH) {
                if (!csv && (!o || json_array_append_new(arr, o)))
                    rc = KT_ENOMEM;
                continue;
            }
            if (csv) {
                if (rc == KT_OK && by != KT_STATS_BY_OFFICIAL_PLACE)
                    rc = csv_z(out, r->mentions, false);
                if (rc == KT_OK)
                    rc = csv_z(out, r->articles, false);
                if (rc == KT_OK)
                    rc = csv_s(out, nz(r->first), false);
                if (rc == KT_OK)
                    rc = csv_s(out, nz(r->last), true);
            } else if (o) {
                int bad = 0;
                if (by != KT_STATS_BY_OFFICIAL_PLACE)
                    bad |=
                        json_object_set_new(o, "mentions", json_integer((json_int_t)r->mentions));
                bad |= json_object_set_new(o, "articles", json_integer((json_int_t)r->articles));
                bad |= json_object_set_new(o, "first_date", jstr(nz(r->first)));
                bad |= json_object_set_new(o, "last_date", jstr(nz(r->last)));
                if (bad || json_array_append_new(arr, o))
                    rc = KT_ENOMEM;
            } else {
                rc = KT_ENOMEM;
            }
        }
        free(rows);
    }
    if (rc == KT_OK && !csv) {
        char *txt = json_dumps(arr, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
        rc = txt ? kt_buf_append_cstr(out, txt) : KT_ENOMEM;
        if (rc == KT_OK)
            rc = kt_buf_append_byte(out, '\n');
        free(txt);
    }
    json_decref(arr);
    if (rc != KT_OK)
        return kt_err_set(err, KT_ENOMEM, "stats: out of memory writing output");
    return KT_OK;
}
