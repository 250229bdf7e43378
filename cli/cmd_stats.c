/* cmd_stats.c - `khotin stats`: entity statistics for analysts (mentions per official, place,
 * site or month; official x place co-occurrence; figure tables) as CSV or JSON, over an index
 * query, a JSON Lines file of article records, or text files. */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "indexer/indexer.h"
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (256u << 20)

/* A plain text file as an article: the path is its id, --date its date. */
static kt_status add_text_file(struct kt_stats *s, const char *path, const char *date,
                               struct kt_err *err)
{
    struct kt_buf raw = {0};
    kt_status rc = kt_read_file(path, MAX_INPUT, &raw, err);
    if (rc == KT_OK) {
        struct kt_article a;
        kt_article_init(&a);
        a.id = (char *)path;
        a.url = (char *)path;
        a.text = raw.data ? raw.data : "";
        a.date = (char *)date;
        rc = kt_stats_add(s, &a, err);
    }
    kt_buf_free(&raw);
    return rc;
}

int cmd_stats(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin stats --db DIR [--query QUERY] --by official|place|site|month|official,place "
        "[--format csv|json]",
        "khotin stats --db DIR [--query QUERY] --type figure [--unit UNIT] [--format csv|json]",
        "khotin stats (--jsonl ARTICLES.jsonl | FILE...) --by ... | --type figure", NULL};
    const char *db = NULL, *query = NULL, *by_s = NULL, *type = NULL, *unit = NULL;
    const char *format = NULL, *jsonl = NULL, *date = NULL;
    long limit = 0;
    struct cli_list gaz = {0};
    const struct cli_opt opts[] = {
        CLI_STRING(0, "db", &db, "DIR", "the index to read articles from"),
        CLI_STRING(0, "query", &query, "QUERY", "only articles matching QUERY (default all)"),
        CLI_STRING(0, "by", &by_s, "KEY", "official, place, site, month or official,place"),
        CLI_STRING(0, "type", &type, "figure", "one row per figure instead of counts"),
        CLI_STRING(0, "unit", &unit, "UNIT", "with --type figure: units containing UNIT (xã, %)"),
        CLI_STRING('f', "format", &format, "FMT", "csv (default) or json"),
        CLI_STRING(0, "jsonl", &jsonl, "FILE", "read article records from a JSON Lines file"),
        CLI_STRING(0, "date", &date, "YYYY-MM-DD", "date of plain text FILE inputs"),
        CLI_LIST('g', "gazetteer", &gaz, "FILE", "administrative units JSON (optional)"),
        CLI_INT(0, "limit", &limit, "N", "at most N articles (default: all; 10000 per query)"),
        CLI_END,
    };
    int first = 0;
    int prc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (prc == CLI_HELP_SHOWN) {
        cli_list_free(&gaz);
        return 0;
    }
    int code = 0;
    struct kt_err err = {0};
    struct kt_gazetteer *g = NULL;
    struct kt_stats *s = NULL;
    struct kt_buf out = {0};
    int fmt = -1;
    struct kt_stats_opts so = {0};
    if (prc != 0) {
        code = 2;
        goto done;
    }
    if ((fmt = cli_format_parse(ctx, format, "csv|json")) < 0) {
        code = 2;
        goto done;
    }
    if (type) {
        if (strcmp(type, "figure") != 0) {
            code = cli_error(ctx, 2, "--type: only 'figure' is supported");
            goto done;
        }
        so.by = KT_STATS_FIGURES;
    } else if (!by_s || !kt_stats_by_parse(by_s, &so.by)) {
        code = cli_error(ctx, 2, "--by: give official, place, site, month or official,place");
        goto done;
    }
    if (unit && !type) {
        code = cli_error(ctx, 2, "--unit needs --type figure");
        goto done;
    }
    int sources = (db != NULL) + (jsonl != NULL) + (first < argc);
    if (sources != 1) {
        code = cli_error(ctx, 2, "give exactly one input: --db DIR, --jsonl FILE or FILE...");
        goto done;
    }
    if (query && !db) {
        code = cli_error(ctx, 2, "--query needs --db");
        goto done;
    }
    if (limit < 0) {
        code = cli_error(ctx, 2, "--limit: must be positive");
        goto done;
    }
    for (size_t i = 0; i < gaz.n; i++)
        if (kt_gazetteer_load(&g, gaz.items[i], &err) != KT_OK) {
            code = cli_fail(ctx, &err);
            goto done;
        }
    so.unit = unit;
    so.gazetteer = g;
    if (kt_stats_new(&so, &s, &err) != KT_OK) {
        code = cli_fail(ctx, &err);
        goto done;
    }
    kt_status rc = KT_OK;
    if (db) {
        rc = kt_index_each_article(db, query, (size_t)limit, kt_stats_visit, s, &err);
    } else if (jsonl) {
        size_t bad = 0;
        rc = kt_jsonl_each_article(jsonl, kt_stats_visit, s, &bad, &err);
        if (bad)
            cli_info(ctx, "%s: %zu lines are not article records (skipped)", jsonl, bad);
    } else {
        for (int i = first; i < argc && rc == KT_OK; i++)
            rc = add_text_file(s, argv[i], date, &err);
    }
    if (rc != KT_OK) {
        code = cli_fail(ctx, &err);
        goto done;
    }
    if (kt_stats_write(s, fmt == CLI_FORMAT_JSON ? KT_STATS_JSON : KT_STATS_CSV, &out, &err) !=
        KT_OK) {
        code = cli_fail(ctx, &err);
        goto done;
    }
    if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
        code = cli_error(ctx, 74, "writing to stdout failed");
        goto done;
    }
    cli_debug(ctx, "%zu articles", kt_stats_articles(s));
done:
    fflush(stdout);
    kt_buf_free(&out);
    kt_stats_free(s);
    kt_gazetteer_free(g);
    cli_list_free(&gaz);
    return code;
}
