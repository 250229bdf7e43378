/* cli.c - option parsing, output formats and diagnostics shared by the subcommands. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_list_free(struct cli_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static const struct cli_opt common_opts[] = {
    CLI_FLAG('h', "help", NULL, "show this help and exit"),
    CLI_FLAG('q', "quiet", NULL, "print errors only"),
    CLI_FLAG('v', "verbose", NULL, "print more detail on stderr"),
    CLI_END,
};

static size_t count_opts(const struct cli_opt *opts)
{
    size_t n = 0;
    while (opts && opts[n].kind != CLI_OPT_END)
        n++;
    return n;
}

static void print_opt(FILE *out, const struct cli_opt *o)
{
    char left[96];
    int n = 0;
    if (o->short_name)
        n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
    else
        n = snprintf(left, sizeof left, "    --%s", o->long_name);
    if (o->arg_name && n > 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg_name);
    fprintf(out, "  %-30s %s%s\n", left, o->help ? o->help : "",
            o->kind == CLI_OPT_LIST ? " (repeatable)" : "");
}

void cli_usage(FILE *out, const char *const *usage, const struct cli_opt *opts)
{
    for (size_t i = 0; usage && usage[i]; i++)
        fprintf(out, "%s %s\n", i == 0 ? "usage:" : "   or:", usage[i]);
    fputs("\noptions:\n", out);
    for (size_t i = 0; opts && opts[i].kind != CLI_OPT_END; i++)
        print_opt(out, &opts[i]);
    for (size_t i = 0; common_opts[i].kind != CLI_OPT_END; i++)
        print_opt(out, &common_opts[i]);
}

bool cli_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static int store_value(struct kt_ctx *ctx, const struct cli_opt *o, const char *arg)
{
    switch (o->kind) {
    case CLI_OPT_FLAG:
        *(bool *)o->target = true;
        return 0;
    case CLI_OPT_STRING:
        *(const char **)o->target = arg;
        return 0;
    case CLI_OPT_INT:
        if (!cli_parse_long(arg, -2147483647L, 2147483647L, (long *)o->target)) {
            cli_error(ctx, 2, "--%s: '%s' is not a whole number", o->long_name, arg);
            return CLI_USAGE_ERROR;
        }
        return 0;
    case CLI_OPT_LIST: {
        struct cli_list *l = o->target;
        const char **items = realloc(l->items, (l->n + 1) * sizeof *items);
        if (!items) {
            cli_error(ctx, 74, "out of memory");
            return CLI_USAGE_ERROR;
        }
        items[l->n++] = arg;
        l->items = items;
        return 0;
    }
    case CLI_OPT_END:
        break;
    }
    return CLI_USAGE_ERROR;
}

int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char *const *usage,
              struct kt_ctx *ctx, int *first_operand)
{
    size_t n = count_opts(opts);
    size_t total = n + count_opts(common_opts);
    struct option *longs = calloc(total + 1, sizeof *longs);
    char *shorts = calloc(total * 2 + 3, 1);
    if (!longs || !shorts) {
        free(longs);
        free(shorts);
        return cli_error(ctx, 74, "out of memory"), CLI_USAGE_ERROR;
    }
    size_t si = 0;
    shorts[si++] = ':'; /* report missing arguments ourselves */
    for (size_t i = 0; i < total; i++) {
        const struct cli_opt *o = i < n ? &opts[i] : &common_opts[i - n];
        longs[i].name = o->long_name;
        longs[i].has_arg = o->kind == CLI_OPT_FLAG ? no_argument : required_argument;
        longs[i].val = 256 + (int)i;
        if (o->short_name) {
            shorts[si++] = o->short_name;
            if (o->kind != CLI_OPT_FLAG)
                shorts[si++] = ':';
        }
    }
    int rc = 0;
    optind = 1;
    opterr = 0;
    for (;;) {
        int li = -1;
        int c = getopt_long(argc, argv, shorts, longs, &li);
        if (c == -1)
            break;
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            cli_error(ctx, 2, "%s '%s' (see 'khotin %s --help')",
                      c == ':' ? "missing value for" : "unknown option", bad, ctx->command);
            rc = CLI_USAGE_ERROR;
            break;
        }
        const struct cli_opt *o = NULL;
        if (c >= 256) {
            size_t i = (size_t)(c - 256);
            o = i < n ? &opts[i] : &common_opts[i - n];
        } else {
            for (size_t i = 0; i < total && !o; i++) {
                const struct cli_opt *cand = i < n ? &opts[i] : &common_opts[i - n];
                if (cand->short_name == c)
                    o = cand;
            }
        }
        if (!o)
            continue;
        if (o >= common_opts && o < common_opts + 3) {
            if (o->short_name == 'h') {
                cli_usage(stdout, usage, opts);
                rc = CLI_HELP_SHOWN;
                break;
            }
            if (o->short_name == 'q')
                ctx->verbosity = 0;
            else
                ctx->verbosity++;
            continue;
        }
        rc = store_value(ctx, o, optarg);
        if (rc != 0)
            break;
    }
    *first_operand = optind;
    free(longs);
    free(shorts);
    return rc;
}

int cli_format_parse(const struct kt_ctx *ctx, const char *name, const char *allowed)
{
    static const char *const names[] = {"text", "json", "csv", "jsonl", "table"};
    const char *want = name;
    char first[16] = {0};
    if (!want) {
        size_t len = strcspn(allowed, "|");
        if (len >= sizeof first)
            len = sizeof first - 1;
        memcpy(first, allowed, len);
        want = first;
    }
    size_t wlen = strlen(want);
    for (const char *p = allowed; *p;) {
        size_t len = strcspn(p, "|");
        if (len == wlen && strncmp(p, want, len) == 0) {
            for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
                if (strcmp(names[i], want) == 0)
                    return i;
        }
        p += len;
        if (*p == '|')
            p++;
    }
    cli_error(ctx, 2, "--format: '%s' is not one of %s", want, allowed);
    return -1;
}

static void vline(const struct kt_ctx *ctx, const char *fmt, va_list ap)
{
    fprintf(stderr, "khotin%s%s: ", ctx && ctx->command ? " " : "",
            ctx && ctx->command ? ctx->command : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_error(const struct kt_ctx *ctx, int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(ctx, fmt, ap);
    va_end(ap);
    return exit_code;
}

int cli_fail(const struct kt_ctx *ctx, const struct kt_err *err)
{
    return cli_error(ctx, kt_status_exit_code(err->code), "%s",
                     err->msg[0] ? err->msg : kt_status_str(err->code));
}

void cli_info(const struct kt_ctx *ctx, const char *fmt, ...)
{
    if (ctx->verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    vline(ctx, fmt, ap);
    va_end(ap);
}

void cli_debug(const struct kt_ctx *ctx, const char *fmt, ...)
{
    if (ctx->verbosity < 2)
        return;
    va_list ap;
    va_start(ap, fmt);
    vline(ctx, fmt, ap);
    va_end(ap);
}

void cli_progress(const struct kt_ctx *ctx, const char *fmt, ...)
{
    if (!ctx->stderr_tty || ctx->verbosity < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}

void cli_progress_done(const struct kt_ctx *ctx)
{
    if (ctx->stderr_tty && ctx->verbosity >= 1)
        fputs("\r\033[K", stderr);
}
