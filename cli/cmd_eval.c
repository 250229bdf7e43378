/* cmd_eval.c - `khotin eval extract|entities|search`: dispatch to the scoring commands. */
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv, struct kt_ctx *ctx);
    const char *summary;
} evals[] = {
    {"extract", cmd_eval_extract, "score article extraction against gold.jsonl"},
    {"entities", cmd_eval_entities, "score entity extraction against gold entities"},
    {"search", cmd_eval_search, "score known-item search (MRR@10, success@1/@10)"},
};

static void eval_help(FILE *out)
{
    fputs("usage: khotin eval <extract|entities|search> [options] ...\n\nscorers:\n", out);
    for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++)
        fprintf(out, "  %-10s %s\n", evals[i].name, evals[i].summary);
    fputs("\noptions:\n  -h, --help    show this help and exit\n"
          "  -q, --quiet   print errors only\n  -v, --verbose print more detail on stderr\n",
          out);
}

int cmd_eval(int argc, char **argv, struct kt_ctx *ctx)
{
    if (argc < 2) {
        eval_help(stderr);
        return 2;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        eval_help(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++)
        if (strcmp(argv[1], evals[i].name) == 0)
            return evals[i].fn(argc - 1, argv + 1, ctx);
    return cli_error(ctx, 2, "'%s' is not a scorer: use extract, entities or search", argv[1]);
}
