/* cmd_extract.c - `khotin extract`: one article record (JSON) from an HTML or text file, or one
 * JSON line per archived 200 text/html response of a WARC file. */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "corpus/corpus.h"
#include "crawler/crawler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void print_text(const struct kt_article *a, const struct kt_extract_info *info)
{
    printf("url: %s\n", a->url ? a->url : "");
    printf("article: %s%s%s\n", info->is_article ? "yes" : "no", info->is_article ? "" : " - ",
           info->reason);
    printf("title: %s\n", a->title ? a->title : "");
    printf("date: %s\n", a->date ? a->date : "");
    printf("author: %s\n", a->author ? a->author : "");
    if (a->photo)
        printf("photo: %s\n", a->photo);
    if (a->source_attribution)
        printf("source: %s\n", a->source_attribution);
    for (size_t i = 0; i < a->n_captions; i++)
        printf("caption: %s\n", a->captions[i]);
    printf("\n%s\n", a->text ? a->text : "");
}

static int emit(const struct kt_ctx *ctx, const struct kt_article *a,
                const struct kt_extract_info *info, int fmt)
{
    if (fmt == CLI_FORMAT_TEXT) {
        print_text(a, info);
        return 0;
    }
    struct kt_buf b = {0};
    struct kt_err err = {0};
    if (kt_article_to_json(a, &b, &err) != KT_OK) {
        kt_buf_free(&b);
        return cli_fail(ctx, &err);
    }
    /* add the article decision after the record's own fields */
    if (b.len && b.data[b.len - 1] == '}') {
        b.len--;
        b.data[b.len] = '\0';
        kt_buf_printf(&b, ",\"is_article\":%s", info->is_article ? "true" : "false");
        if (!info->is_article) {
            kt_buf_append_cstr(&b, ",\"not_article_reason\":\"");
            for (const char *p = info->reason; *p; p++)
                if (*p != '"' && *p != '\\')
                    kt_buf_append_byte(&b, *p);
            kt_buf_append_cstr(&b, "\"");
        }
        kt_buf_append_cstr(&b, "}");
    }
    fwrite(b.data, 1, b.len, stdout);
    fputc('\n', stdout);
    kt_buf_free(&b);
    return 0;
}

static int extract_warc(const struct kt_ctx *ctx, const char *path, const char *site, int fmt,
                        bool all)
{
    struct kt_err err = {0};
    struct kt_warc_reader *r = NULL;
    if (kt_warc_reader_open(path, NULL, &r, &err) != KT_OK)
        return cli_fail(ctx, &err);
    struct kt_warc_record rec = {0};
    struct kt_article a;
    kt_article_init(&a);
    struct kt_dedup_index *ix = NULL;
    if (kt_dedup_new(&ix, &err) != KT_OK) {
        kt_warc_reader_close(r);
        return cli_fail(ctx, &err);
    }
    size_t n_out = 0, n_fail = 0;
    int rc = 0;
    for (;;) {
        bool have = false;
        if (kt_warc_reader_next(r, &rec, &have, &err) != KT_OK) {
            rc = cli_fail(ctx, &err);
            break;
        }
        if (!have)
            break;
        if (strcmp(rec.type, "response") != 0 || !rec.target_uri)
            continue;
        struct kt_http_message msg;
        if (kt_http_parse(rec.block, rec.block_len, KT_HTTP_RESPONSE, &msg, &err) != KT_OK) {
            cli_debug(ctx, "%s: %s", rec.target_uri, err.msg);
            continue;
        }
        char mt[64], cs[40];
        kt_http_content_type(&msg, mt, sizeof mt, cs, sizeof cs);
        if (msg.status != 200 || strcmp(mt, "text/html") != 0) {
            kt_http_message_free(&msg);
            continue;
        }
        struct kt_buf body = {0};
        if (kt_http_content(&msg, KT_EXTRACT_DEFAULT_MAX_BYTES, &body, &err) != KT_OK) {
            cli_info(ctx, "%s: %s", rec.target_uri, err.msg);
            n_fail++;
            kt_http_message_free(&msg);
            kt_buf_free(&body);
            continue;
        }
        struct kt_extract_opts o = {.url = rec.target_uri,
                                    .content_type = kt_http_field_get(&msg, "Content-Type"),
                                    .site = site};
        struct kt_extract_info info;
        kt_status st = kt_extract_html(body.data, body.len, &o, &a, &info, &err);
        kt_buf_free(&body);
        kt_http_message_free(&msg);
        if (st != KT_OK) {
            cli_info(ctx, "%s", err.msg);
            n_fail++;
            continue;
        }
        if (!info.is_article && !all) {
            cli_debug(ctx, "%s: not an article (%s)", rec.target_uri, info.reason);
            continue;
        }
        char *bn = strrchr(path, '/');
        a.warc_file = strdup(bn ? bn + 1 : path);
        a.warc_offset = (int64_t)rec.offset;
        if (info.is_article && kt_dedup_check_and_add(ix, &a, &err) != KT_OK) {
            rc = cli_fail(ctx, &err);
            break;
        }
        emit(ctx, &a, &info, fmt);
        n_out++;
    }
    kt_article_free(&a);
    kt_warc_record_free(&rec);
    kt_warc_reader_close(r);
    kt_dedup_free(ix);
    cli_info(ctx, "%zu article records from %s%s", n_out, path,
             n_fail ? " (some pages failed)" : "");
    if (rc)
        return rc;
    return n_fail ? 1 : 0;
}

int cmd_extract(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin extract [--url URL] [--content-type TYPE] [--format json|text] FILE.html",
        "khotin extract --text [--url URL] FILE.txt",
        "khotin extract --warc FILE.warc.gz [--all] [--format json|text]", NULL};
    const char *url = NULL, *format = NULL, *ctype = NULL, *site = NULL, *warc = NULL;
    const char *xp_body = NULL, *xp_title = NULL, *xp_date = NULL, *xp_author = NULL;
    bool text_mode = false, all = false;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "url", &url, "URL", "the page URL (canonical link wins)"),
        CLI_STRING(0, "content-type", &ctype, "TYPE", "HTTP Content-Type the page was served with"),
        CLI_STRING(0, "site", &site, "NAME", "site name for the record"),
        CLI_STRING(0, "format", &format, "FMT", "json (default, one line) or text"),
        CLI_STRING(0, "warc", &warc, "FILE", "extract every archived 200 text/html response"),
        CLI_FLAG(0, "text", &text_mode, "the input is a plain-text page (one paragraph a line)"),
        CLI_FLAG(0, "all", &all, "with --warc: also print non-article pages"),
        CLI_STRING(0, "xpath-body", &xp_body, "XPATH", "optional body container override"),
        CLI_STRING(0, "xpath-title", &xp_title, "XPATH", "optional title override"),
        CLI_STRING(0, "xpath-date", &xp_date, "XPATH", "optional date override"),
        CLI_STRING(0, "xpath-author", &xp_author, "XPATH", "optional author override"),
        CLI_END};
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    int fmt = cli_format_parse(ctx, format, "json|text");
    if (fmt < 0)
        return 2;
    if (warc) {
        if (first < argc)
            return cli_error(ctx, 2, "--warc takes no FILE operand");
        return extract_warc(ctx, warc, site, fmt, all);
    }
    if (argc - first != 1)
        return cli_error(ctx, 2, "expected one FILE (see khotin extract -h)");
    const char *path = argv[first];
    struct kt_buf data = {0};
    struct kt_err err = {0};
    if (kt_read_file(path, KT_EXTRACT_DEFAULT_MAX_BYTES, &data, &err) != KT_OK) {
        kt_buf_free(&data);
        return cli_fail(ctx, &err);
    }
    struct kt_extract_opts o = {.url = url,
                                .content_type = ctype,
                                .site = site,
                                .xpath_body = xp_body,
                                .xpath_title = xp_title,
                                .xpath_date = xp_date,
                                .xpath_author = xp_author};
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    kt_status st = text_mode ? kt_extract_text(data.data, data.len, &o, &a, &info, &err)
                             : kt_extract_html(data.data, data.len, &o, &a, &info, &err);
    kt_buf_free(&data);
    if (st != KT_OK) {
        kt_article_free(&a);
        kt_err_prefix(&err, "%s", path);
        return cli_fail(ctx, &err);
    }
    rc = emit(ctx, &a, &info, fmt);
    if (!info.is_article)
        cli_info(ctx, "%s: not an article: %s", path, info.reason);
    kt_article_free(&a);
    return rc;
}
