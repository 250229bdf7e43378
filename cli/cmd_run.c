/* cmd_run.c - `khotin run`: the cron job. A crawl (every `khotin crawl` option applies), then
 * indexing of the articles that are new or changed since the last run. */
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run_help(FILE *out)
{
    fputs("usage: khotin run --config FILE --archive DIR --db DIR [crawl options]\n"
          "   or: khotin run --seed URL [--seed URL]... --archive DIR --db DIR [crawl options]\n"
          "\nCrawls like 'khotin crawl', then indexes the new or changed articles of the\n"
          "archive like 'khotin index --archive DIR --db DIR'. Every option of\n"
          "'khotin crawl --help' applies. The index step runs after a crawl that finished,\n"
          "also with some URL errors (exit 1), but not after a fatal error or a lock.\n"
          "\noptions:\n"
          "      --db DIR                   the index to update (created if missing)\n"
          "  -h, --help                     show this help and exit\n"
          "  -q, --quiet                    print errors only\n"
          "  -v, --verbose                  print more detail on stderr\n",
          out);
}

/* Returns the value of --NAME VALUE / --NAME=VALUE / -S VALUE in argv, or NULL. */
static const char *find_opt(int argc, char **argv, const char *name, char short_name, int *at,
                            int *width)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] == '-' && a[1] == '-' && strncmp(a + 2, name, n) == 0) {
            if (a[2 + n] == '=') {
                *at = i, *width = 1;
                return a + 3 + n;
            }
            if (a[2 + n] == '\0' && i + 1 < argc) {
                *at = i, *width = 2;
                return argv[i + 1];
            }
        }
        if (short_name && a[0] == '-' && a[1] == short_name && a[2] == '\0' && i + 1 < argc) {
            *at = i, *width = 2;
            return argv[i + 1];
        }
    }
    return NULL;
}

int cmd_run(int argc, char **argv, struct kt_ctx *ctx)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            run_help(stdout);
            return 0;
        }
    }
    int at = 0, width = 0, unused_at = 0, unused_width = 0;
    const char *db = find_opt(argc, argv, "db", 0, &at, &width);
    if (!db)
        return cli_error(ctx, 2, "--db DIR is required (see 'khotin run --help')");
    const char *archive = find_opt(argc, argv, "archive", 'a', &unused_at, &unused_width);
    if (!archive)
        return cli_error(ctx, 2, "--archive DIR is required (see 'khotin run --help')");

    char **crawl_argv = calloc((size_t)argc + 1, sizeof *crawl_argv);
    if (!crawl_argv)
        return cli_error(ctx, 74, "out of memory");
    int n = 0;
    crawl_argv[n++] = "crawl";
    for (int i = 1; i < argc; i++)
        if (i < at || i >= at + width)
            crawl_argv[n++] = argv[i];
    const char *command = ctx->command;
    ctx->command = "run";
    int rc = cmd_crawl(n, crawl_argv, ctx);
    free(crawl_argv);
    if (rc != 0 && rc != 1)
        return rc;
    char *index_argv[] = {"index", "--db", (char *)db, "--archive", (char *)archive, NULL};
    int irc = cmd_index(5, index_argv, ctx);
    ctx->command = command;
    return irc != 0 ? irc : rc;
}
