/* extract_eval.c - scores the extractor: ScrapingHub-benchmark text F1 over 4-token shingles,
 * title / date / author / attribution match rates and duplicate precision/recall, on the
 * fixture site replica (gold.jsonl + _site.json routes) and on the plain-text seeds. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/extract_internal.h"

#include "common/kt_text.h"
#include "crawler/dedup.h"

#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* ---------------------------- shingles ---------------------------- */

static bool word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    if (u_isalpha((UChar32)cp))
        return true;
    int8_t t = u_charType((UChar32)cp);
    return t == U_DECIMAL_DIGIT_NUMBER || t == U_LETTER_NUMBER || t == U_OTHER_NUMBER;
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Token hashes of text. */
static kt_status tokens(const char *text, uint64_t **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!text)
        return KT_OK;
    size_t len = strlen(text), cap = 0, n = 0;
    uint64_t *t = NULL;
    size_t start = (size_t)-1;
    for (size_t i = 0; i <= len;) {
        uint32_t cp = 0;
        bool bad = false;
        size_t k = i < len ? kt_utf8_next((const unsigned char *)text + i, len - i, &cp, &bad) : 1;
        bool w = i < len && word_cp(cp);
        if (w && start == (size_t)-1)
            start = i;
        if (!w && start != (size_t)-1) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 256;
                uint64_t *nt = realloc(t, nc * sizeof *nt);
                if (!nt) {
                    free(t);
                    return KT_ENOMEM;
                }
                t = nt;
                cap = nc;
            }
            t[n++] = hash_bytes(0xcbf29ce484222325ULL, text + start, i - start);
            start = (size_t)-1;
        }
        i += k;
    }
    *out = t;
    *n_out = n;
    return KT_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static kt_status shingles(const char *text, uint64_t **out, size_t *n_out)
{
    uint64_t *t;
    size_t n;
    kt_status st = tokens(text, &t, &n);
    if (st != KT_OK)
        return st;
    size_t ns = n >= 4 ? n - 3 : (n ? 1 : 0);
    uint64_t *s = malloc((ns ? ns : 1) * sizeof *s);
    if (!s) {
        free(t);
        return KT_ENOMEM;
    }
    for (size_t i = 0; i < ns; i++) {
        uint64_t h = 0x84222325cbf29ce4ULL;
        for (size_t q = i; q < i + 4 && q < n; q++) {
            h ^= t[q];
            h *= 0x9E3779B97F4A7C15ULL;
            h ^= h >> 29;
        }
        s[i] = h;
    }
    free(t);
    qsort(s, ns, sizeof *s, cmp_u64);
    *out = s;
    *n_out = ns;
    return KT_OK;
}

kt_status kt_eval_shingles(const char *gold, const char *pred, double *tp, double *fp, double *fn)
{
    uint64_t *g, *p;
    size_t ng, np;
    *tp = *fp = *fn = 0;
    if (shingles(gold, &g, &ng) != KT_OK)
        return KT_ENOMEM;
    if (shingles(pred, &p, &np) != KT_OK) {
        free(g);
        return KT_ENOMEM;
    }
    size_t i = 0, j = 0, common = 0;
    while (i < ng && j < np) {
        if (g[i] == p[j]) {
            common++;
            i++;
            j++;
        } else if (g[i] < p[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(g);
    free(p);
    double t = (double)common, f = (double)(np - common), n = (double)(ng - common);
    double sum = t + f + n;
    if (sum > 0) {
        *tp = t / sum;
        *fp = f / sum;
        *fn = n / sum;
    }
    return KT_OK;
}

/* ---------------------------- scoring helpers ---------------------------- */

struct text_acc {
    double p_sum, r_sum, f1_sum;
    size_t p_n, r_n, f_n;
};

static void acc_text(struct text_acc *acc, double tp, double fp, double fn, double *p_out,
                     double *r_out)
{
    double p = (fp == 0 && fn == 0) ? 1.0 : (tp == 0 && fp == 0) ? 0.0 : tp / (tp + fp);
    double r = (fp == 0 && fn == 0) ? 1.0 : (tp == 0 && fn == 0) ? 0.0 : tp / (tp + fn);
    if (tp + fp > 0) {
        acc->p_sum += p;
        acc->p_n++;
    }
    if (tp + fn > 0) {
        acc->r_sum += r;
        acc->r_n++;
    }
    acc->f1_sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
    acc->f_n++;
    *p_out = p;
    *r_out = r;
}

static void finish_text(struct kt_eval_extract_result *res, const struct text_acc *acc)
{
    res->text_precision = acc->p_n ? acc->p_sum / (double)acc->p_n : 0;
    res->text_recall = acc->r_n ? acc->r_sum / (double)acc->r_n : 0;
    double p = res->text_precision, r = res->text_recall;
    res->text_f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
    res->text_f1_mean_doc = acc->f_n ? acc->f1_sum / (double)acc->f_n : 0;
}

/* Whitespace-collapsed (U+00A0 included) copy for comparisons. */
static char *ws_norm(const char *s)
{
    if (!s)
        return NULL;
    struct kt_buf b = {0};
    if (kt_text_normalize(s, strlen(s), KT_NORM_DISPLAY, &b, NULL) != KT_OK) {
        kt_buf_free(&b);
        return NULL;
    }
    char *w = b.data, *o = b.data;
    bool sp = false;
    for (; w && *w; w++) {
        if (*w == ' ' || *w == '\t' || *w == '\n' || *w == '\r') {
            sp = o != b.data;
            continue;
        }
        if (sp)
            *o++ = ' ';
        sp = false;
        *o++ = *w;
    }
    if (!b.data)
        return strdup("");
    *o = '\0';
    return b.data;
}

static bool same_str(const char *gold, const char *pred)
{
    if (!gold || !gold[0])
        return !pred || !pred[0];
    if (!pred)
        return false;
    char *a = ws_norm(gold), *b = ws_norm(pred);
    bool r = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    return r;
}

static bool same_date(const char *gold, const char *pred)
{
    if (!gold || !gold[0])
        return !pred;
    if (!pred)
        return false;
    size_t n = strlen(gold) >= 16 ? 16 : 10;
    return strlen(pred) >= n && strncmp(gold, pred, n) == 0;
}

static void detail(struct kt_eval_extract_result *res, const char *name, double p, double r,
                   const char *what, const char *gold, const char *pred)
{
    (void)p;
    (void)r;
    kt_buf_printf(&res->detail, "  %s: %s: gold \"%s\" got \"%s\"\n", name, what,
                  gold ? gold : "(null)", pred ? pred : "(null)");
}

static void score_fields(struct kt_eval_extract_result *res, const char *name,
                         const struct kt_article *a, const char *g_title, const char *g_date,
                         const char *g_author, const char *g_attr, bool have_attr)
{
    res->title_n++;
    if (same_str(g_title, a->title))
        res->title_ok++;
    else
        detail(res, name, 0, 0, "title", g_title, a->title);
    res->date_n++;
    if (same_date(g_date, a->date))
        res->date_ok++;
    else
        detail(res, name, 0, 0, "date", g_date, a->date);
    res->author_n++;
    if (same_str(g_author, a->author))
        res->author_ok++;
    else
        detail(res, name, 0, 0, "author", g_author, a->author);
    if (have_attr) {
        res->attribution_n++;
        if (same_str(g_attr, a->source_attribution))
            res->attribution_ok++;
        else
            detail(res, name, 0, 0, "attribution", g_attr, a->source_attribution);
    }
}

void kt_eval_extract_result_free(struct kt_eval_extract_result *r)
{
    if (r)
        kt_buf_free(&r->detail);
}

/* ---------------------------- site replica ---------------------------- */

struct site_cache {
    char name[64];
    json_t *routes;
};

struct doc_result {
    char *url;
    char *date;
    char *gold_dup;
    char sha1[41];
    uint64_t simhash;
    size_t tokens;
    bool ok;
};

static int cmp_doc(const void *a, const void *b)
{
    const struct doc_result *x = a, *y = b;
    const char *dx = x->date ? x->date : "", *dy = y->date ? y->date : "";
    int c = strcmp(dx, dy);
    return c ? c : strcmp(x->url ? x->url : "", y->url ? y->url : "");
}

static json_t *site_routes(struct site_cache *cache, size_t *n_cache, const char *site_dir,
                           const char *site, struct kt_err *err)
{
    for (size_t i = 0; i < *n_cache; i++)
        if (strcmp(cache[i].name, site) == 0)
            return cache[i].routes;
    if (*n_cache >= 16 || strlen(site) >= sizeof cache[0].name)
        return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/_site.json", site_dir, site);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        kt_err_set(err, KT_EPARSE, "%s:%d: %s", path, je.line, je.text);
        return NULL;
    }
    json_t *routes = json_object_get(root, "routes");
    json_incref(routes);
    json_decref(root);
    snprintf(cache[*n_cache].name, sizeof cache[0].name, "%s", site);
    cache[*n_cache].routes = routes;
    (*n_cache)++;
    return routes;
}

static kt_status dup_score(struct kt_eval_extract_result *res, struct doc_result *docs, size_t n,
                           struct kt_err *err)
{
    qsort(docs, n, sizeof *docs, cmp_doc);
    struct kt_dedup_index *ix = NULL;
    kt_status st = kt_dedup_new(&ix, err);
    if (st != KT_OK)
        return st;
    for (size_t i = 0; i < n && st == KT_OK; i++) {
        struct doc_result *d = &docs[i];
        if (!d->ok) {
            if (d->gold_dup)
                res->dup_fn++;
            continue;
        }
        const char *dup = kt_dedup_find(ix, d->url, d->sha1, d->simhash, d->tokens, NULL);
        if (dup && d->gold_dup && strcmp(dup, d->gold_dup) == 0) {
            res->dup_tp++;
        } else {
            if (dup) {
                res->dup_fp++;
                kt_buf_printf(&res->detail, "  %s: dup_of: gold \"%s\" got \"%s\"\n", d->url,
                              d->gold_dup ? d->gold_dup : "(null)", dup);
            }
            if (d->gold_dup) {
                res->dup_fn++;
                if (!dup)
                    kt_buf_printf(&res->detail, "  %s: dup_of: gold \"%s\" got (null)\n", d->url,
                                  d->gold_dup);
            }
        }
        st = kt_dedup_add(ix, d->url, d->sha1, d->simhash, d->tokens, err);
    }
    kt_dedup_free(ix);
    return st;
}

kt_status kt_eval_extract_site(const char *gold_path, const char *site_dir,
                               struct kt_eval_extract_result *res, struct kt_err *err)
{
    FILE *f = fopen(gold_path, "r");
    if (!f)
        return kt_err_set(err, KT_ENOTFOUND, "%s: cannot open", gold_path);
    struct site_cache cache[16];
    size_t n_cache = 0;
    struct text_acc acc = {0};
    struct doc_result *docs = NULL;
    size_t n_docs = 0;
    kt_status st = KT_OK;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    size_t lineno = 0;
    while (st == KT_OK && (got = getline(&line, &cap, f)) > 0) {
        lineno++;
        json_error_t je;
        json_t *g = json_loadb(line, (size_t)got, 0, &je);
        if (!g) {
            st = kt_err_set(err, KT_EPARSE, "%s:%zu: %s", gold_path, lineno, je.text);
            break;
        }
        const char *url = json_string_value(json_object_get(g, "url"));
        const char *site = json_string_value(json_object_get(g, "site"));
        const char *sp = json_string_value(json_object_get(g, "site_path"));
        const char *gtext = json_string_value(json_object_get(g, "text"));
        if (!url || !site || !sp || !gtext) {
            json_decref(g);
            st = kt_err_set(err, KT_EPARSE, "%s:%zu: url, site, site_path and text required",
                            gold_path, lineno);
            break;
        }
        struct doc_result *nd = realloc(docs, (n_docs + 1) * sizeof *nd);
        if (!nd) {
            json_decref(g);
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
            break;
        }
        docs = nd;
        struct doc_result *dr = &docs[n_docs++];
        memset(dr, 0, sizeof *dr);
        dr->url = strdup(url);
        const char *gd = json_string_value(json_object_get(g, "duplicate_of"));
        dr->gold_dup = gd ? strdup(gd) : NULL;
        dr->date = json_string_value(json_object_get(g, "date"))
                       ? strdup(json_string_value(json_object_get(g, "date")))
                       : NULL;
        res->docs++;
        json_t *routes = site_routes(cache, &n_cache, site_dir, site, err);
        json_t *route = routes ? json_object_get(routes, sp) : NULL;
        const char *file = json_string_value(json_object_get(route, "file"));
        const char *ctype = json_string_value(json_object_get(route, "type"));
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_info info = {0};
        struct kt_buf data = {0};
        struct kt_err e2 = {0};
        bool extracted = false;
        if (file) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s/%s", site_dir, site, file);
            struct kt_extract_opts o = {.url = url, .content_type = ctype, .site = site};
            if (kt_read_file(path, 0, &data, &e2) == KT_OK &&
                kt_extract_html(data.data, data.len, &o, &a, &info, &e2) == KT_OK)
                extracted = true;
            else if (e2.code == KT_ENOMEM)
                st = kt_err_set(err, KT_ENOMEM, "%s", e2.msg);
        } else {
            snprintf(e2.msg, sizeof e2.msg, "no route for %s in %s/_site.json", sp, site);
        }
        kt_buf_free(&data);
        if (!extracted) {
            res->missing++;
            kt_buf_printf(&res->detail, "MISSING %s: %s\n", url, e2.msg);
            acc_text(&acc, 0, 0, 1, &(double){0}, &(double){0});
            json_decref(g);
            kt_article_free(&a);
            continue;
        }
        if (!info.is_article) {
            res->not_article++;
            kt_buf_printf(&res->detail, "  %s: called not an article: %s\n", url, info.reason);
        }
        double tp, fp, fn, p, r;
        if (kt_eval_shingles(gtext, a.text, &tp, &fp, &fn) != KT_OK) {
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
            json_decref(g);
            kt_article_free(&a);
            break;
        }
        acc_text(&acc, tp, fp, fn, &p, &r);
        kt_buf_printf(&res->detail, "%s P=%.3f R=%.3f %s\n", (p > 0.97 && r > 0.97) ? "ok" : "--",
                      p, r, url);
        score_fields(res, url, &a, json_string_value(json_object_get(g, "title")),
                     json_string_value(json_object_get(g, "date")),
                     json_string_value(json_object_get(g, "author")),
                     json_string_value(json_object_get(g, "source_attribution")), true);
        struct kt_fingerprint fpr;
        if (info.is_article && a.text &&
            kt_fingerprint_text(a.text, strlen(a.text), &fpr, NULL) == KT_OK) {
            memcpy(dr->sha1, fpr.sha1, sizeof dr->sha1);
            dr->simhash = fpr.simhash;
            dr->tokens = fpr.tokens;
            dr->ok = true;
        }
        /* order duplicates by the extracted date when there is one */
        if (a.date) {
            free(dr->date);
            dr->date = strdup(a.date);
        }
        json_decref(g);
        kt_article_free(&a);
    }
    free(line);
    fclose(f);
    if (st == KT_OK)
        st = dup_score(res, docs, n_docs, err);
    for (size_t i = 0; i < n_docs; i++) {
        free(docs[i].url);
        free(docs[i].date);
        free(docs[i].gold_dup);
    }
    free(docs);
    for (size_t i = 0; i < n_cache; i++)
        json_decref(cache[i].routes);
    finish_text(res, &acc);
    return st;
}

/* ---------------------------- seeds ---------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

kt_status kt_eval_extract_seeds(const char *seeds_dir, const char *gold_text_dir,
                                struct kt_eval_extract_result *res, struct kt_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/meta.jsonl", gold_text_dir);
    FILE *mf = fopen(path, "r");
    if (!mf)
        return kt_err_set(err, KT_ENOTFOUND, "%s: cannot open", path);
    json_t *meta = json_object();
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, mf)) > 0) {
        json_t *m = json_loadb(line, (size_t)got, 0, NULL);
        const char *doc = m ? json_string_value(json_object_get(m, "doc")) : NULL;
        if (doc)
            json_object_set(meta, doc, m);
        json_decref(m);
    }
    free(line);
    fclose(mf);
    DIR *dir = opendir(seeds_dir);
    if (!dir) {
        json_decref(meta);
        return kt_err_set(err, KT_ENOTFOUND, "%s: cannot open directory", seeds_dir);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    kt_status st = KT_OK;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0)
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = strdup(de->d_name))) {
            names = nn ? nn : names;
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
            break;
        }
        names = nn;
        n++;
    }
    closedir(dir);
    if (st == KT_OK)
        qsort(names, n, sizeof *names, cmp_str);
    struct text_acc acc = {0};
    for (size_t i = 0; i < n && st == KT_OK; i++) {
        char doc[256];
        snprintf(doc, sizeof doc, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
        struct kt_buf seed = {0}, gold = {0};
        struct kt_err e2 = {0};
        snprintf(path, sizeof path, "%s/%s", gold_text_dir, names[i]);
        if (kt_read_file(path, 0, &gold, &e2) != KT_OK) {
            kt_buf_free(&gold);
            continue; /* a seed without gold text is not scored */
        }
        res->docs++;
        snprintf(path, sizeof path, "%s/%s", seeds_dir, names[i]);
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_info info;
        struct kt_extract_opts o = {.url = doc};
        if (kt_read_file(path, 0, &seed, &e2) != KT_OK ||
            kt_extract_text(seed.data, seed.len, &o, &a, &info, &e2) != KT_OK) {
            res->missing++;
            kt_buf_printf(&res->detail, "MISSING %s: %s\n", doc, e2.msg);
            acc_text(&acc, 0, 0, 1, &(double){0}, &(double){0});
            kt_buf_free(&seed);
            kt_buf_free(&gold);
            kt_article_free(&a);
            continue;
        }
        if (!info.is_article)
            res->not_article++;
        /* gold: line 1 title, blank line, body */
        char *nl = strchr(gold.data, '\n');
        const char *gbody = nl ? nl + 1 : "";
        char *gtitle = nl ? strndup(gold.data, (size_t)(nl - gold.data)) : strdup(gold.data);
        double tp, fp, fn, p, r;
        if (!gtitle || kt_eval_shingles(gbody, a.text, &tp, &fp, &fn) != KT_OK) {
            free(gtitle);
            kt_buf_free(&seed);
            kt_buf_free(&gold);
            kt_article_free(&a);
            st = kt_err_set(err, KT_ENOMEM, "out of memory");
            break;
        }
        acc_text(&acc, tp, fp, fn, &p, &r);
        kt_buf_printf(&res->detail, "%s P=%.3f R=%.3f %s\n", (p > 0.97 && r > 0.97) ? "ok" : "--",
                      p, r, doc);
        json_t *m = json_object_get(meta, doc);
        score_fields(res, doc, &a, gtitle, json_string_value(json_object_get(m, "date")),
                     json_string_value(json_object_get(m, "author")),
                     json_string_value(json_object_get(m, "source_attribution")), m != NULL);
        free(gtitle);
        kt_buf_free(&seed);
        kt_buf_free(&gold);
        kt_article_free(&a);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    json_decref(meta);
    finish_text(res, &acc);
    return st;
}
