/* extract_meta.c - JSON-LD metadata (schema.org NewsArticle/Article/BlogPosting): headline,
 * datePublished, author, parsed with jansson from the ld+json scripts the DOM walk kept. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool is_article_type(json_t *t)
{
    static const char *const types[] = {
        "NewsArticle",         "Article", "BlogPosting", "ReportageNewsArticle",
        "AnalysisNewsArticle", "WebPage", NULL};
    const char *s = json_string_value(t);
    if (s) {
        for (size_t i = 0; types[i]; i++)
            if (strcmp(s, types[i]) == 0)
                return i < 5; /* WebPage is not an article */
        return false;
    }
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) if (is_article_type(v)) return true;
    }
    return false;
}

/* Parses the JSON-LD scripts the DOM walk kept (at most 8). */
void ex_jsonld_parse(struct ex_doc *d)
{
    if (!d->jsonld.data)
        return;
    const char *p = d->jsonld.data, *end = d->jsonld.data + d->jsonld.len;
    while (p && p < end && d->n_ld < sizeof d->ld_roots / sizeof d->ld_roots[0]) {
        size_t n = strlen(p);
        json_error_t je;
        json_t *root = json_loadb(p, n, JSON_DECODE_ANY, &je);
        if (root)
            d->ld_roots[d->n_ld++] = root;
        p += n + 1;
    }
}

void ex_jsonld_free(struct ex_doc *d)
{
    for (size_t i = 0; i < d->n_ld; i++)
        json_decref((json_t *)d->ld_roots[i]);
    d->n_ld = 0;
}

/* Calls fn on every article object found in the JSON-LD scripts until it returns true. */
static bool each_article(const struct ex_doc *d, bool (*fn)(json_t *obj, void *ctx), void *ctx)
{
    for (size_t r = 0; r < d->n_ld; r++) {
        json_t *stack[32];
        int sp = 0;
        stack[sp++] = (json_t *)d->ld_roots[r];
        while (sp > 0) {
            json_t *v = stack[--sp];
            if (json_is_object(v)) {
                if (is_article_type(json_object_get(v, "@type")) && fn(v, ctx))
                    return true;
                json_t *g = json_object_get(v, "@graph");
                if (g && sp < 31)
                    stack[sp++] = g;
            } else if (json_is_array(v)) {
                size_t i;
                json_t *x;
                json_array_foreach(v, i, x) if (sp < 31) stack[sp++] = x;
            }
        }
    }
    return false;
}

struct get_ctx {
    const char *field;
    char *out;
};

static bool get_field(json_t *obj, void *vctx)
{
    struct get_ctx *c = vctx;
    const char *s = json_string_value(json_object_get(obj, c->field));
    if (!s || !s[0])
        return false;
    c->out = strdup(s);
    return true;
}

char *ex_jsonld_get(const struct ex_doc *d, const char *field)
{
    struct get_ctx c = {field, NULL};
    each_article(d, get_field, &c);
    return c.out;
}

struct author_ctx {
    char *out;
    bool org;
};

static bool get_author(json_t *obj, void *vctx)
{
    struct author_ctx *c = vctx;
    json_t *a = json_object_get(obj, "author");
    if (json_is_array(a))
        a = json_array_get(a, 0);
    const char *name = NULL;
    bool org = false;
    if (json_is_string(a)) {
        name = json_string_value(a);
    } else if (json_is_object(a)) {
        name = json_string_value(json_object_get(a, "name"));
        const char *t = json_string_value(json_object_get(a, "@type"));
        org = t && strcmp(t, "Person") != 0;
    }
    if (!name || !name[0])
        return false;
    c->out = strdup(name);
    c->org = org;
    return true;
}

char *ex_jsonld_author(const struct ex_doc *d, bool *is_org)
{
    struct author_ctx c = {NULL, false};
    each_article(d, get_author, &c);
    if (is_org)
        *is_org = c.org;
    return c.out;
}

static bool found(json_t *obj, void *ctx)
{
    (void)obj;
    (void)ctx;
    return true;
}

bool ex_jsonld_is_article(const struct ex_doc *d)
{
    return each_article(d, found, NULL);
}
