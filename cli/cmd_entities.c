/* cmd_entities.c - `khotin entities`: extracts officials, places, figures, documents and dates
 * from text or HTML files, or from the articles an index query matches. */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "crawler/crawler.h"
#include "indexer/indexer.h"
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_INPUT (256u << 20)

struct run {
    struct kt_ctx *ctx;
    struct kt_entity_extractor *ex;
    int format;
    bool print_text;
    bool header_done;
    struct kt_entity_list list;
    struct kt_buf out;
    size_t docs, entities;
};

static bool looks_html(const char *path, const struct kt_buf *b)
{
    const char *dot = strrchr(path, '.');
    if (dot && (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0))
        return true;
    if (dot && strcasecmp(dot, ".txt") == 0)
        return false;
    size_t i = 0;
    while (i < b->len &&
           (b->data[i] == ' ' || b->data[i] == '\n' || b->data[i] == '\r' || b->data[i] == '\t'))
        i++;
    return i < b->len && b->data[i] == '<';
}

static void table_row(struct kt_buf *o, const struct kt_entity_list *l, const struct kt_entity *e)
{
    int w = (int)(e->end - e->start);
    kt_buf_printf(o, "%-9s %.*s", kt_entity_type_name(e->type), w, l->text.data + e->start);
    switch (e->type) {
    case KT_ENTITY_OFFICIAL:
        kt_buf_printf(o, "  | %s | %s%s", e->name ? e->name : "", e->title ? e->title : "",
                      e->linked ? " (linked)" : "");
        break;
    case KT_ENTITY_PLACE:
        kt_buf_printf(o, "  | %s %s%s%s", e->level, e->name, e->parent ? " < " : "",
                      e->parent ? e->parent : "");
        break;
    case KT_ENTITY_FIGURE:
        kt_buf_printf(o, "  | %.15g", e->value);
        if (e->has_total)
            kt_buf_printf(o, "/%.15g", e->total);
        if (e->has_value_max)
            kt_buf_printf(o, "-%.15g", e->value_max);
        kt_buf_printf(o, " %s", e->unit ? e->unit : "");
        if (e->has_scaled)
            kt_buf_printf(o, " = %.15g", e->scaled);
        if (e->measure)
            kt_buf_printf(o, " [%s]", e->measure);
        break;
    case KT_ENTITY_DOCUMENT:
        kt_buf_printf(o, "  | %s %s", e->kind, e->code);
        break;
    case KT_ENTITY_DATE:
        kt_buf_printf(o, "  | %s%s%s", e->date, e->date_end[0] ? ".." : "", e->date_end);
        break;
    default:
        break;
    }
    kt_buf_append_byte(o, '\n');
}

/* Writes the entities of r->list for doc. Returns an exit code (0 ok). */
static int emit(struct run *r, const char *doc)
{
    struct kt_err err = {0};
    kt_buf_reset(&r->out);
    kt_status rc = KT_OK;
    if (r->print_text) {
        rc = kt_buf_append(&r->out, r->list.text.data, r->list.text.len);
    } else if (r->format == CLI_FORMAT_JSONL) {
        rc = kt_entities_to_jsonl(&r->list, doc, &r->out, &err);
    } else if (r->format == CLI_FORMAT_CSV) {
        rc = kt_entities_to_csv(&r->list, doc, !r->header_done, &r->out, &err);
        r->header_done = true;
    } else {
        kt_buf_printf(&r->out, "== %s\n", doc);
        for (size_t i = 0; i < r->list.n; i++)
            table_row(&r->out, &r->list, &r->list.items[i]);
    }
    if (rc != KT_OK)
        return cli_fail(r->ctx, &err);
    if (r->out.len && fwrite(r->out.data, 1, r->out.len, stdout) != r->out.len)
        return cli_error(r->ctx, 74, "writing to stdout failed");
    r->docs++;
    r->entities += r->list.n;
    return 0;
}

static int do_file(struct run *r, const char *path, const char *date)
{
    struct kt_err err = {0};
    struct kt_buf raw = {0};
    kt_status rc = kt_read_file(path, MAX_INPUT, &raw, &err);
    if (rc != KT_OK) {
        kt_buf_free(&raw);
        return cli_fail(r->ctx, &err);
    }
    if (looks_html(path, &raw)) {
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_opts eo = {.url = path};
        rc = kt_extract_html(raw.data, raw.len, &eo, &a, NULL, &err);
        if (rc == KT_OK) {
            if (date && !a.date)
                a.date = strdup(date);
            rc = kt_entities_extract_article(r->ex, &a, &r->list, &err);
        }
        kt_article_free(&a);
    } else {
        rc = kt_entities_extract(r->ex, raw.data, raw.len, date, &r->list, &err);
    }
    kt_buf_free(&raw);
    if (rc != KT_OK)
        return cli_error(r->ctx, kt_status_exit_code(rc), "%s: %s", path, err.msg);
    return emit(r, path);
}

static kt_status visit_article(void *ud, const struct kt_article *a, struct kt_err *err)
{
    struct run *r = ud;
    kt_status rc = kt_entities_extract_article(r->ex, a, &r->list, err);
    if (rc != KT_OK)
        return rc;
    if (emit(r, a->url ? a->url : a->id ? a->id : "") != 0)
        return kt_err_set(err, KT_EIO, "writing to stdout failed");
    return KT_OK;
}

int cmd_entities(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin entities [--format jsonl|csv|table] [--types LIST] [--print-text] FILE...",
        "khotin entities --db DIR [--query QUERY] [--limit N] [--format jsonl|csv|table]", NULL};
    const char *format = NULL, *types = NULL, *date = NULL, *db = NULL, *query = NULL;
    bool print_text = false;
    long limit = 100;
    struct cli_list gaz = {0};
    const struct cli_opt opts[] = {
        CLI_STRING('f', "format", &format, "FMT", "jsonl (default), csv or table"),
        CLI_STRING('t', "types", &types, "LIST",
                   "comma-separated: official,place,figure,document,date (default all)"),
        CLI_FLAG(0, "print-text", &print_text,
                 "print the normalized text the offsets refer to, instead of entities"),
        CLI_LIST('g', "gazetteer", &gaz, "FILE",
                 "administrative units JSON (e.g. vn-admin-units-2024.json)"),
        CLI_STRING(0, "date", &date, "YYYY-MM-DD", "article date for completing partial dates"),
        CLI_STRING(0, "db", &db, "DIR", "extract from the articles of this index"),
        CLI_STRING(0, "query", &query, "QUERY", "with --db: only articles matching QUERY"),
        CLI_INT(0, "limit", &limit, "N", "with --db: at most N articles (default 100)"),
        CLI_END,
    };
    int first = 0;
    int prc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (prc == CLI_HELP_SHOWN) {
        cli_list_free(&gaz);
        return 0;
    }
    int code = 0;
    struct run r = {.ctx = ctx, .print_text = print_text};
    struct kt_gazetteer *g = NULL;
    struct kt_err err = {0};
    unsigned mask = KT_ENTITY_ALL;
    if (prc != 0) {
        code = 2;
        goto done;
    }
    if ((r.format = cli_format_parse(ctx, format, "jsonl|csv|table")) < 0) {
        code = 2;
        goto done;
    }
    if (types && kt_entity_types_parse(types, &mask, &err) != KT_OK) {
        code = cli_error(ctx, 2, "--types: %s", err.msg);
        goto done;
    }
    if (!db && first >= argc) {
        code = cli_error(ctx, 2, "no input: give FILE... or --db DIR (see --help)");
        goto done;
    }
    if (limit < 1 || limit > 10000) {
        code = cli_error(ctx, 2, "--limit: must be 1..10000");
        goto done;
    }
    for (size_t i = 0; i < gaz.n; i++)
        if (kt_gazetteer_load(&g, gaz.items[i], &err) != KT_OK) {
            code = cli_fail(ctx, &err);
            goto done;
        }
    struct kt_entity_config cfg = {.types = mask, .gazetteer = g};
    if (kt_entity_extractor_new(&cfg, &r.ex, &err) != KT_OK) {
        code = cli_fail(ctx, &err);
        goto done;
    }
    if (db) {
        if (kt_index_each_article(db, query, (size_t)limit, visit_article, &r, &err) != KT_OK)
            code = cli_fail(ctx, &err);
    } else {
        int failures = 0;
        for (int i = first; i < argc; i++) {
            int c = do_file(&r, argv[i], date);
            if (c == 74) {
                code = 74;
                goto done;
            }
            if (c)
                failures++;
        }
        if (failures)
            code = failures == argc - first ? 66 : 1;
    }
    cli_debug(ctx, "%zu documents, %zu entities", r.docs, r.entities);
done:
    fflush(stdout);
    kt_entity_list_free(&r.list);
    kt_buf_free(&r.out);
    kt_entity_extractor_free(r.ex);
    kt_gazetteer_free(g);
    cli_list_free(&gaz);
    return code;
}
