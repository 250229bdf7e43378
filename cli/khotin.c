/* khotin.c - the entry point: global options, then dispatch to cli/cmd_<name>.c. */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    int (*fn)(int argc, char **argv, struct kt_ctx *ctx);
    const char *summary;
};

static const struct command commands[] = {
    {"demo", cmd_demo, "serve the bundled sample site and run the whole pipeline on it"},
    {"crawl", cmd_crawl, "fetch sites into a WARC archive"},
    {"run", cmd_run, "crawl, then index what is new (for cron)"},
    {"warc", cmd_warc, "list and verify WARC files"},
    {"extract", cmd_extract, "turn article HTML into clean article records"},
    {"analyze", cmd_analyze, "show how the Vietnamese analyzer tokenizes text"},
    {"index", cmd_index, "index article records into a search database"},
    {"search", cmd_search, "search the index"},
    {"entities", cmd_entities, "extract officials, places, figures, documents and dates"},
    {"stats", cmd_stats, "entity statistics for analysts (CSV, JSON)"},
    {"eval", cmd_eval, "score extraction, entities or search against gold data"},
};

static void print_help(FILE *out)
{
    fputs("usage: khotin [--version] [-q|-v] <command> [options] [args]\n\n"
          "khotin is a full-text archive of Vietnamese news.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'khotin <command> --help' for a command's options.\n", out);
}

int main(int argc, char **argv)
{
    const char *no_color = getenv("NO_COLOR");
    struct kt_ctx ctx = {
        .verbosity = 1,
        .stderr_tty = isatty(STDERR_FILENO) == 1,
        .stdout_tty = isatty(STDOUT_FILENO) == 1,
        .argv0 = "khotin",
    };
    ctx.color = ctx.stdout_tty && !(no_color && *no_color);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("khotin %s\n", KHOTIN_VERSION);
            return 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_help(stdout);
            return 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.verbosity = 0;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbosity++;
        } else {
            fprintf(stderr, "khotin: unknown option '%s' (see 'khotin --help')\n", a);
            return 2;
        }
    }
    if (i >= argc) {
        print_help(stderr);
        return 2;
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        if (i + 1 < argc) {
            char *help_argv[] = {argv[i + 1], "--help", NULL};
            for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
                if (strcmp(commands[k].name, argv[i + 1]) == 0) {
                    ctx.command = commands[k].name;
                    return commands[k].fn(2, help_argv, &ctx);
                }
        }
        print_help(stdout);
        return 0;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(commands[k].name, name) == 0) {
            ctx.command = commands[k].name;
            return commands[k].fn(argc - i, argv + i, &ctx);
        }
    }
    fprintf(stderr, "khotin: '%s' is not a khotin command (see 'khotin --help')\n", name);
    return 2;
}
