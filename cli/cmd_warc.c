/* cmd_warc.c - `khotin warc verify FILE...` and `khotin warc ls FILE...`: check and list the
 * records of WARC files. */
#include "cli/commands.h"
#include "corpus/corpus.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const warc_usage[] = {
    "khotin warc verify FILE...   check every record (headers, block and payload digests)",
    "khotin warc ls [--format text|json] FILE...   one line per record: offset, type, URI, "
    "HTTP status, payload digest",
    NULL};

/* Verifies one file; prints one stdout line per bad record. Returns 0, 65 (bad data) or the
 * exit code of an error opening the file. */
static int verify_file(struct kt_ctx *ctx, const char *path, long *n_records, long *n_bad)
{
    struct kt_err err = {0};
    struct kt_warc_reader *r;
    if (kt_warc_reader_open(path, NULL, &r, &err) != KT_OK)
        return cli_fail(ctx, &err);
    struct kt_warc_record rec = {0};
    bool have = false;
    int rc = 0;
    kt_status st;
    while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have) {
        (*n_records)++;
        char problem[512];
        if (!kt_warc_record_verify(&rec, problem, sizeof problem)) {
            printf("%s: offset %llu: %s record %s: %s\n", path, (unsigned long long)rec.offset,
                   rec.type[0] ? rec.type : "(untyped)", rec.target_uri ? rec.target_uri : "-",
                   problem);
            (*n_bad)++;
            rc = 65;
        }
    }
    if (st != KT_OK) {
        /* the message names the file and offset already */
        printf("%s\n", err.msg);
        (*n_bad)++;
        rc = st == KT_EIO ? 74 : 65;
    }
    kt_warc_record_free(&rec);
    kt_warc_reader_close(r);
    return rc;
}

static int cmd_verify(int argc, char **argv, int first, struct kt_ctx *ctx)
{
    if (first >= argc)
        return cli_error(ctx, 2, "verify: no WARC file given");
    int worst = 0;
    long total = 0, bad = 0;
    for (int i = first; i < argc; i++) {
        long n = 0, b = 0;
        int rc = verify_file(ctx, argv[i], &n, &b);
        total += n;
        bad += b;
        if (rc == 65 || (rc && worst != 65))
            worst = rc;
        cli_debug(ctx, "%s: %ld records, %ld bad", argv[i], n, b);
    }
    fflush(stdout);
    cli_info(ctx, "%d file(s), %ld records, %ld bad", argc - first, total, bad);
    return worst;
}

static int ls_file(struct kt_ctx *ctx, const char *path, int format, bool *first_json)
{
    struct kt_err err = {0};
    struct kt_warc_reader *r;
    if (kt_warc_reader_open(path, NULL, &r, &err) != KT_OK)
        return cli_fail(ctx, &err);
    struct kt_warc_record rec = {0};
    bool have = false;
    kt_status st;
    int rc = 0;
    while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have) {
        int status = kt_warc_record_http_status(&rec);
        const char *digest = kt_warc_record_get(&rec, "WARC-Payload-Digest");
        if (format == CLI_FORMAT_JSON) {
            json_t *o = json_pack(
                "{s:s, s:I, s:s, s:s?, s:o, s:s?, s:s?, s:I}", "file", path, "offset",
                (json_int_t)rec.offset, "type", rec.type, "uri", rec.target_uri, "status",
                status ? json_integer(status) : json_null(), "payload_digest", digest, "date",
                kt_warc_record_get(&rec, "WARC-Date"), "length", (json_int_t)rec.content_length);
            char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(o);
            if (!s) {
                rc = cli_error(ctx, 1, "%s: out of memory", path);
                break;
            }
            printf("%s%s", *first_json ? "[\n" : ",\n", s);
            *first_json = false;
            free(s);
        } else {
            char st_text[8] = "-";
            if (status)
                snprintf(st_text, sizeof st_text, "%d", status);
            printf("%llu\t%s\t%s\t%s\t%s\n", (unsigned long long)rec.offset, rec.type,
                   rec.target_uri ? rec.target_uri : "-", st_text, digest ? digest : "-");
        }
    }
    if (st != KT_OK)
        rc = cli_fail(ctx, &err);
    kt_warc_record_free(&rec);
    kt_warc_reader_close(r);
    return rc;
}

static int cmd_ls(int argc, char **argv, int first, const char *format_name, struct kt_ctx *ctx)
{
    int format = cli_format_parse(ctx, format_name, "text|json");
    if (format < 0)
        return 2;
    if (first >= argc)
        return cli_error(ctx, 2, "ls: no WARC file given");
    int worst = 0;
    bool first_json = true;
    for (int i = first; i < argc; i++) {
        int rc = ls_file(ctx, argv[i], format, &first_json);
        if (rc && !worst)
            worst = rc;
    }
    if (format == CLI_FORMAT_JSON)
        printf(first_json ? "[]\n" : "\n]\n");
    return worst;
}

int cmd_warc(int argc, char **argv, struct kt_ctx *ctx)
{
    const char *format = NULL;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "format", &format, "FMT", "ls output: text (default) or json"), CLI_END};
    int first = 0;
    int rc = cli_parse(argc, argv, opts, warc_usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    if (first >= argc)
        return cli_error(ctx, 2, "missing action: verify or ls (see khotin warc -h)");
    const char *action = argv[first];
    if (strcmp(action, "verify") == 0)
        return cmd_verify(argc, argv, first + 1, ctx);
    if (strcmp(action, "ls") == 0)
        return cmd_ls(argc, argv, first + 1, format, ctx);
    return cli_error(ctx, 2, "unknown action '%s': use verify or ls", action);
}
