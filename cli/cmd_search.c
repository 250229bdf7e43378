/* cmd_search.c - `khotin search`: runs a query on the index and prints ranked results with
 * highlighted snippets as text, JSON or CSV. */
#define _DEFAULT_SOURCE
#include "cli/commands.h"
#include "common/kt_text.h"
#include "query/query.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Writes s with [start,end) spans in bold (ANSI) when color is on. */
static void print_snippet(const struct kt_search_hit *h, bool color)
{
    size_t done = 0;
    const char *s = h->snippet;
    for (size_t i = 0; color && i < h->n_spans; i++) {
        fwrite(s + done, 1, h->spans[i].start - done, stdout);
        fputs("\033[1m", stdout);
        fwrite(s + h->spans[i].start, 1, h->spans[i].end - h->spans[i].start, stdout);
        fputs("\033[0m", stdout);
        done = h->spans[i].end;
    }
    fputs(s + done, stdout);
}

static void print_text(const struct kt_search_result *r, const struct kt_ctx *ctx)
{
    printf("about %llu results\n", (unsigned long long)r->total_estimate);
    for (size_t i = 0; i < r->n_hits; i++) {
        const struct kt_search_hit *h = &r->hits[i];
        printf("\n%zu. %s%s%s\n   %s  %s  %s  score %.3f", h->rank, ctx->color ? "\033[1m" : "",
               h->title, ctx->color ? "\033[0m" : "", h->date, h->site, h->url, h->score);
        if (h->duplicates)
            printf("  (+%u duplicates)", h->duplicates);
        fputs("\n   ", stdout);
        print_snippet(h, ctx->color);
        fputc('\n', stdout);
    }
    if (r->n_sites || r->n_years) {
        fputs("\nfacets: site", stdout);
        for (size_t i = 0; i < r->n_sites; i++)
            printf(" %s (%llu)", r->sites[i].value, (unsigned long long)r->sites[i].count);
        fputs("\nfacets: year", stdout);
        for (size_t i = 0; i < r->n_years; i++)
            printf(" %s (%llu)", r->years[i].value, (unsigned long long)r->years[i].count);
        fputs("\nfacets: official", stdout);
        for (size_t i = 0; i < r->n_officials && i < 10; i++)
            printf(" %s (%llu)", r->officials[i].value, (unsigned long long)r->officials[i].count);
        fputs("\nfacets: place", stdout);
        for (size_t i = 0; i < r->n_places && i < 10; i++)
            printf(" %s (%llu)", r->places[i].value, (unsigned long long)r->places[i].count);
        fputc('\n', stdout);
    }
}

static json_t *facet_json(const struct kt_facet_value *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:I}", "value", v[i].value, "count", (json_int_t)v[i].count));
    return a;
}

/* The query as valid UTF-8 for JSON: invalid bytes become U+FFFD, NUL bytes spaces. */
static char *json_safe(const char *s, size_t len)
{
    struct kt_buf b = {0};
    kt_status st = kt_buf_reserve(&b, len);
    for (size_t i = 0; i < len && st == KT_OK;) {
        uint32_t cp = 0;
        bool invalid = false;
        size_t n = kt_utf8_next((const unsigned char *)s + i, len - i, &cp, &invalid);
        char enc[4];
        if (cp == 0)
            st = kt_buf_append_byte(&b, ' ');
        else if (invalid)
            st = kt_buf_append(&b, enc, kt_utf8_put(0xFFFD, enc));
        else
            st = kt_buf_append(&b, s + i, n);
        i += n;
    }
    if (st != KT_OK) {
        kt_buf_free(&b);
        return NULL;
    }
    return kt_buf_detach(&b);
}

static int print_json(const char *query, size_t query_len, const struct kt_search_result *r,
                      bool facets, const struct kt_ctx *ctx)
{
    json_t *res = json_array();
    for (size_t i = 0; res && i < r->n_hits; i++) {
        const struct kt_search_hit *h = &r->hits[i];
        json_array_append_new(res, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:s, s:I}",
                                             "rank", (json_int_t)h->rank, "id", h->id, "url",
                                             h->url, "title", h->title, "date", h->date, "site",
                                             h->site, "score", h->score, "snippet", h->snippet_html,
                                             "snippet_text", h->snippet, "duplicates",
                                             (json_int_t)h->duplicates));
    }
    json_t *f = json_object();
    if (f && facets) {
        json_object_set_new(f, "site", facet_json(r->sites, r->n_sites));
        json_object_set_new(f, "year", facet_json(r->years, r->n_years));
        json_object_set_new(f, "official", facet_json(r->officials, r->n_officials));
        json_object_set_new(f, "place", facet_json(r->places, r->n_places));
    }
    char *q = json_safe(query, query_len);
    json_t *o = q ? json_pack("{s:s, s:I, s:o, s:o}", "query", q, "total_estimate",
                              (json_int_t)r->total_estimate, "results", res, "facets", f)
                  : NULL;
    free(q);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!js)
        return cli_error(ctx, 1, "cannot write JSON (out of memory or invalid UTF-8)");
    puts(js);
    free(js);
    return 0;
}

static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    fputc('"', stdout);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', stdout);
        fputc(*s, stdout);
    }
    fputc('"', stdout);
}

static void print_csv(const struct kt_search_result *r)
{
    fputs("rank,id,url,title,date,site,score,duplicates,snippet\r\n", stdout);
    for (size_t i = 0; i < r->n_hits; i++) {
        const struct kt_search_hit *h = &r->hits[i];
        printf("%zu,", h->rank);
        const char *f[] = {h->id, h->url, h->title, h->date, h->site};
        for (size_t k = 0; k < 5; k++) {
            csv_field(f[k]);
            fputc(',', stdout);
        }
        printf("%.4f,%u,", h->score, h->duplicates);
        csv_field(h->snippet);
        fputs("\r\n", stdout);
    }
}

int cmd_search(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin search --db DIR [--limit N] [--offset N] [--format text|json|csv]",
        "              [--sort relevance|date] [--facets] QUERY...",
        "query: words, \"phrases\", AND OR NOT, -word, title: lead: body: author: source: "
        "site:, date:2020, date:2020-05, date:2020-05-01..2020-07-31",
        NULL,
    };
    const char *db = NULL, *format = NULL, *sort = NULL;
    long limit = 10, offset = 0;
    bool facets = false;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "db", &db, "DIR", "the index directory"),
        CLI_INT('n', "limit", &limit, "N", "results to show (default 10, at most 10000)"),
        CLI_INT(0, "offset", &offset, "N", "results to skip (default 0)"),
        CLI_STRING(0, "format", &format, "FMT", "text, json or csv"),
        CLI_STRING(0, "sort", &sort, "ORDER", "relevance (default) or date (newest first)"),
        CLI_FLAG(0, "facets", &facets, "count results by site and year"),
        CLI_END,
    };
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    int fmt = cli_format_parse(ctx, format, "text|json|csv");
    if (fmt < 0)
        return 2;
    if (!db)
        return cli_error(ctx, 2, "--db DIR is required");
    if (first >= argc)
        return cli_error(ctx, 2, "no query given");
    if (limit < 0 || limit > 10000 || offset < 0 || offset > 1000000)
        return cli_error(ctx, 2, "--limit must be 0..10000 and --offset 0..1000000");
    enum kt_search_sort order = KT_SORT_RELEVANCE;
    if (sort && strcmp(sort, "date") == 0)
        order = KT_SORT_DATE;
    else if (sort && strcmp(sort, "relevance") != 0)
        return cli_error(ctx, 2, "--sort must be relevance or date, not '%s'", sort);

    struct kt_buf q = {0};
    for (int i = first; i < argc; i++)
        if ((i > first && kt_buf_append_byte(&q, ' ') != KT_OK) ||
            kt_buf_append_cstr(&q, argv[i]) != KT_OK) {
            kt_buf_free(&q);
            return cli_error(ctx, 1, "out of memory");
        }
    struct kt_err err = {0};
    struct kt_searcher *s = NULL;
    kt_status st = kt_searcher_open(db, &s, &err);
    if (st != KT_OK) {
        kt_buf_free(&q);
        return cli_fail(ctx, &err);
    }
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = q.data;
    o.query_len = q.len;
    o.limit = (size_t)limit;
    o.offset = (size_t)offset;
    o.sort = order;
    o.facets = facets;
    struct kt_search_result r;
    st = kt_search(s, &o, &r, &err);
    if (st != KT_OK) {
        kt_searcher_close(s);
        kt_buf_free(&q);
        return cli_fail(ctx, &err);
    }
    rc = 0;
    if (fmt == CLI_FORMAT_JSON)
        rc = print_json(q.data, q.len, &r, facets, ctx);
    else if (fmt == CLI_FORMAT_CSV)
        print_csv(&r);
    else
        print_text(&r, ctx);
    kt_search_result_free(&r);
    kt_searcher_close(s);
    kt_buf_free(&q);
    return rc;
}
