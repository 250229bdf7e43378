/* entity_eval.c - scores predicted entities against gold annotations (JSON Lines): precision,
 * recall and F1 per type with the matching rules of ../shared/gold/README.md. */
#include "indexer/entity_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One annotation or prediction, normalized. */
struct item {
    int type;
    char *doc;   /* basename without extension */
    char *key;   /* official: name; place: level|name; document: code; date: value */
    char *text;  /* surface (documents: text; figures: text) */
    char *unit;  /* figure */
    char *kind;  /* document kind (normalized) */
    char *title; /* official prediction: its title, normalized */
    char **alts; /* gold official: titles; gold document: mentions (normalized) */
    size_t n_alts;
    double value, total;
    bool has_total, optional, used;
};

struct items {
    struct item *v;
    size_t n, cap;
};

static void item_clear(struct item *it)
{
    free(it->doc);
    free(it->key);
    free(it->text);
    free(it->unit);
    free(it->kind);
    free(it->title);
    for (size_t k = 0; k < it->n_alts; k++)
        free(it->alts[k]);
    free(it->alts);
    memset(it, 0, sizeof *it);
}

static void items_free(struct items *s)
{
    for (size_t i = 0; i < s->n; i++)
        item_clear(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static char *norm_dup(const char *s)
{
    if (!s)
        return NULL;
    struct kt_buf b = {0};
    if (et_norm(s, strlen(s), false, &b) != KT_OK) {
        kt_buf_free(&b);
        return NULL;
    }
    if (!b.data)
        return et_strdup("");
    return kt_buf_detach(&b);
}

static char *doc_key(const char *doc)
{
    const char *base = strrchr(doc, '/');
    base = base ? base + 1 : doc;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, base, n);
        s[n] = 0;
    }
    return s;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int type_of(const char *s)
{
    for (int t = 0; t < KT_ENTITY_TYPE_COUNT; t++)
        if (s && strcmp(s, kt_entity_type_name((enum kt_entity_type)t)) == 0)
            return t;
    return -1;
}

static kt_status parse_item(json_t *o, struct item *it)
{
    memset(it, 0, sizeof *it);
    it->type = type_of(jstr(o, "type"));
    const char *doc = jstr(o, "doc");
    if (it->type < 0 || !doc)
        return KT_EPARSE;
    it->doc = doc_key(doc);
    it->optional = json_is_true(json_object_get(o, "optional"));
    switch (it->type) {
    case KT_ENTITY_OFFICIAL: {
        it->key = norm_dup(jstr(o, "name"));
        it->title = norm_dup(jstr(o, "title"));
        json_t *a = json_object_get(o, "titles");
        size_t n = json_array_size(a);
        if (n) {
            it->alts = calloc(n, sizeof *it->alts);
            if (!it->alts)
                return KT_ENOMEM;
            for (size_t k = 0; k < n; k++) {
                json_t *v = json_array_get(a, k);
                if (json_is_string(v) && (it->alts[it->n_alts] = norm_dup(json_string_value(v))))
                    it->n_alts++;
            }
        }
        break;
    }
    case KT_ENTITY_PLACE: {
        const char *lv = jstr(o, "level"), *nm = jstr(o, "name");
        if (!lv || !nm)
            return KT_EPARSE;
        struct kt_buf b = {0};
        if (kt_buf_printf(&b, "%s|%s", lv, nm) != KT_OK)
            return KT_ENOMEM;
        it->key = norm_dup(b.data);
        kt_buf_free(&b);
        break;
    }
    case KT_ENTITY_FIGURE: {
        json_t *v = json_object_get(o, "value"), *t = json_object_get(o, "total");
        if (!json_is_number(v))
            return KT_EPARSE;
        it->value = json_number_value(v);
        it->has_total = json_is_number(t);
        it->total = it->has_total ? json_number_value(t) : 0;
        it->unit = norm_dup(jstr(o, "unit"));
        it->text = norm_dup(jstr(o, "text"));
        it->key = et_strdup("");
        break;
    }
    case KT_ENTITY_DOCUMENT: {
        it->key = norm_dup(jstr(o, "code"));
        it->text = norm_dup(jstr(o, "text"));
        it->kind = norm_dup(jstr(o, "kind"));
        json_t *a = json_object_get(o, "mentions");
        size_t n = json_array_size(a);
        if (n) {
            it->alts = calloc(n, sizeof *it->alts);
            if (!it->alts)
                return KT_ENOMEM;
            for (size_t k = 0; k < n; k++) {
                json_t *v = json_array_get(a, k);
                if (json_is_string(v) && (it->alts[it->n_alts] = norm_dup(json_string_value(v))))
                    it->n_alts++;
            }
        }
        break;
    }
    case KT_ENTITY_DATE:
        it->key = norm_dup(jstr(o, "value"));
        break;
    }
    if (!it->doc || !it->key)
        return KT_EPARSE;
    return KT_OK;
}

static kt_status load(const char *path, struct items *s, struct kt_err *err)
{
    struct kt_buf raw = {0};
    kt_status rc = kt_read_file(path, 1u << 30, &raw, err);
    size_t line = 0;
    for (size_t p = 0; rc == KT_OK && p < raw.len;) {
        size_t e = p;
        while (e < raw.len && raw.data[e] != '\n')
            e++;
        line++;
        size_t q = p;
        while (q < e && (raw.data[q] == ' ' || raw.data[q] == '\t' || raw.data[q] == '\r'))
            q++;
        if (q < e) {
            json_error_t je;
            json_t *o = json_loadb(raw.data + p, e - p, 0, &je);
            if (!o || !json_is_object(o)) {
                json_decref(o);
                rc = kt_err_set(err, KT_EPARSE, "%s: line %zu: not a JSON object", path, line);
                break;
            }
            if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 256;
                struct item *v = realloc(s->v, cap * sizeof *v);
                if (!v) {
                    json_decref(o);
                    rc = kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
                    break;
                }
                s->v = v;
                s->cap = cap;
            }
            struct item *it = &s->v[s->n];
            kt_status pr = parse_item(o, it);
            json_decref(o);
            s->n++; /* freed by items_free either way */
            if (pr == KT_ENOMEM) {
                rc = kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
                break;
            }
            if (pr != KT_OK) {
                rc = kt_err_set(err, KT_EPARSE,
                                "%s: line %zu: not an entity (needs doc, type and its fields)",
                                path, line);
                break;
            }
        }
        p = e + 1;
    }
    kt_buf_free(&raw);
    return rc;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool num_eq(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) > 1 ? fabs(a) : 1);
}

static bool unit_ok(const char *g, const char *p)
{
    if (!g || !*g)
        return true;
    if (!p || !*p)
        return false;
    return strstr(g, p) || strstr(p, g);
}

static bool fig_match(const struct item *g, const struct item *p)
{
    return num_eq(g->value, p->value) && g->has_total == p->has_total &&
           (!g->has_total || num_eq(g->total, p->total)) && unit_ok(g->unit, p->unit);
}

/* The number part of a code: "03-CTr/HU" -> "03". */
static size_t lead_number(const char *c)
{
    size_t n = 0;
    while (c[n] >= '0' && c[n] <= '9')
        n++;
    return n;
}

static bool doc_match(const struct item *g, const struct item *p)
{
    if (same(g->key, p->key))
        return true;
    size_t n = lead_number(g->key);
    if (n && strlen(p->key) == n && strncmp(g->key, p->key, n) == 0 &&
        (!p->kind || !g->kind || same(p->kind, g->kind)))
        return true;
    for (size_t k = 0; k < g->n_alts; k++)
        if (same(g->alts[k], p->text))
            return true;
    return false;
}

static void detail(struct kt_entity_eval *ev, const char *what, const struct item *it)
{
    kt_buf_printf(&ev->detail, "%s %s %s %s", what,
                  kt_entity_type_name((enum kt_entity_type)it->type), it->doc,
                  it->type == KT_ENTITY_FIGURE ? "" : it->key);
    if (it->type == KT_ENTITY_FIGURE) {
        kt_buf_printf(&ev->detail, "%.15g", it->value);
        if (it->has_total)
            kt_buf_printf(&ev->detail, "/%.15g", it->total);
        kt_buf_printf(&ev->detail, " %s (%s)", it->unit ? it->unit : "", it->text ? it->text : "");
    }
    kt_buf_append_byte(&ev->detail, '\n');
}

/* Set-style types (official, place, date): distinct keys per doc. */
static void score_sets(struct items *g, struct items *p, int type, struct kt_entity_eval *ev)
{
    struct kt_entity_score *sc = &ev->by_type[type];
    for (size_t i = 0; i < p->n; i++) {
        struct item *pi = &p->v[i];
        if (pi->type != type)
            continue;
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = p->v[k].type == type && same(p->v[k].doc, pi->doc) && same(p->v[k].key, pi->key);
        if (dup)
            continue; /* a repeated mention is counted once */
        struct item *hit = NULL;
        for (size_t k = 0; k < g->n && !hit; k++)
            if (g->v[k].type == type && same(g->v[k].doc, pi->doc) && same(g->v[k].key, pi->key))
                hit = &g->v[k];
        if (hit && hit->optional)
            continue;
        sc->pred++;
        if (hit) {
            if (!hit->used)
                sc->tp++;
            if (type == KT_ENTITY_OFFICIAL && hit->n_alts) {
                ev->title_checked++;
                for (size_t k = 0; k < hit->n_alts; k++)
                    if (same(hit->alts[k], pi->title)) {
                        ev->title_ok++;
                        break;
                    }
            }
            hit->used = true;
        } else {
            detail(ev, "FP", pi);
        }
    }
    for (size_t k = 0; k < g->n; k++) {
        if (g->v[k].type != type || g->v[k].optional)
            continue;
        sc->gold++;
        if (!g->v[k].used)
            detail(ev, "FN", &g->v[k]);
    }
}

static void score_figures(struct items *g, struct items *p, struct kt_entity_eval *ev)
{
    struct kt_entity_score *sc = &ev->by_type[KT_ENTITY_FIGURE];
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < g->n; k++) {
            struct item *gi = &g->v[k];
            if (gi->type != KT_ENTITY_FIGURE || gi->optional != (pass == 1))
                continue;
            for (size_t i = 0; i < p->n; i++) {
                struct item *pi = &p->v[i];
                if (pi->type == KT_ENTITY_FIGURE && !pi->used && same(pi->doc, gi->doc) &&
                    fig_match(gi, pi)) {
                    pi->used = gi->used = true;
                    pi->optional = gi->optional;
                    break;
                }
            }
        }
    }
    for (size_t k = 0; k < g->n; k++) {
        struct item *gi = &g->v[k];
        if (gi->type != KT_ENTITY_FIGURE || gi->optional)
            continue;
        sc->gold++;
        if (gi->used)
            sc->tp++;
        else
            detail(ev, "FN", gi);
    }
    for (size_t i = 0; i < p->n; i++) {
        struct item *pi = &p->v[i];
        if (pi->type != KT_ENTITY_FIGURE || (pi->used && pi->optional))
            continue;
        sc->pred++;
        if (!pi->used)
            detail(ev, "FP", pi);
    }
}

static void score_documents(struct items *g, struct items *p, struct kt_entity_eval *ev)
{
    struct kt_entity_score *sc = &ev->by_type[KT_ENTITY_DOCUMENT];
    for (size_t i = 0; i < p->n; i++) {
        struct item *pi = &p->v[i];
        if (pi->type != KT_ENTITY_DOCUMENT)
            continue;
        struct item *hit = NULL;
        for (size_t k = 0; k < g->n && !hit; k++)
            if (g->v[k].type == KT_ENTITY_DOCUMENT && same(g->v[k].doc, pi->doc) &&
                same(g->v[k].key, pi->key))
                hit = &g->v[k];
        for (size_t k = 0; k < g->n && !hit; k++)
            if (g->v[k].type == KT_ENTITY_DOCUMENT && same(g->v[k].doc, pi->doc) &&
                doc_match(&g->v[k], pi))
                hit = &g->v[k];
        if (hit) {
            if (!hit->used && !hit->optional) {
                sc->tp++;
                sc->pred++;
            }
            hit->used = true;
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = p->v[k].type == KT_ENTITY_DOCUMENT && same(p->v[k].doc, pi->doc) &&
                  same(p->v[k].key, pi->key);
        if (dup)
            continue;
        sc->pred++;
        detail(ev, "FP", pi);
    }
    for (size_t k = 0; k < g->n; k++) {
        if (g->v[k].type != KT_ENTITY_DOCUMENT || g->v[k].optional)
            continue;
        sc->gold++;
        if (!g->v[k].used)
            detail(ev, "FN", &g->v[k]);
    }
}

/* Predictions for documents absent from the gold file are not scored. */
static void drop_unknown_docs(struct items *g, struct items *p)
{
    size_t w = 0;
    for (size_t i = 0; i < p->n; i++) {
        bool known = false;
        for (size_t k = 0; k < g->n && !known; k++)
            known = same(g->v[k].doc, p->v[i].doc);
        if (known)
            p->v[w++] = p->v[i];
        else
            item_clear(&p->v[i]);
    }
    p->n = w;
}

kt_status kt_entity_evaluate(const char *gold_path, const char *pred_path,
                             struct kt_entity_eval *ev, struct kt_err *err)
{
    memset(ev, 0, sizeof *ev);
    struct items g = {0}, p = {0};
    kt_status rc = load(gold_path, &g, err);
    if (rc == KT_OK)
        rc = load(pred_path, &p, err);
    if (rc == KT_OK) {
        for (size_t k = 0; k < g.n; k++) {
            bool seen = false;
            for (size_t j = 0; j < k && !seen; j++)
                seen = same(g.v[j].doc, g.v[k].doc);
            ev->docs += !seen;
        }
        drop_unknown_docs(&g, &p);
        bool present[KT_ENTITY_TYPE_COUNT] = {0};
        for (size_t k = 0; k < g.n; k++)
            present[g.v[k].type] = true;
        for (int t = 0; t < KT_ENTITY_TYPE_COUNT; t++) {
            if (!present[t])
                continue;
            if (t == KT_ENTITY_FIGURE)
                score_figures(&g, &p, ev);
            else if (t == KT_ENTITY_DOCUMENT)
                score_documents(&g, &p, ev);
            else
                score_sets(&g, &p, t, ev);
        }
        for (int t = 0; t < KT_ENTITY_TYPE_COUNT; t++) {
            struct kt_entity_score *s = &ev->by_type[t];
            s->precision = s->pred ? (double)s->tp / (double)s->pred : (s->gold ? 0 : 1);
            s->recall = s->gold ? (double)s->tp / (double)s->gold : 1;
            s->f1 = s->precision + s->recall > 0
                        ? 2 * s->precision * s->recall / (s->precision + s->recall)
                        : 0;
        }
    }
    items_free(&g);
    items_free(&p);
    if (rc != KT_OK)
        kt_buf_free(&ev->detail);
    return rc;
}
