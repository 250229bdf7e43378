/* cli.h - what every subcommand shares: the run context, the option table over getopt_long,
 * output formats, and the only place that prints diagnostics.
 *
 * Adding a subcommand: write cli/cmd_foo.c defining cmd_foo(); declare it in cli/commands.h;
 * add a row to commands[] in cli/khotin.c; add tests/test_cli_foo.c. `khotin foo -h` prints the
 * usage lines and the option table, so help never drifts from the parser. */
#ifndef KHOTIN_CLI_CLI_H
#define KHOTIN_CLI_CLI_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stdio.h>

/* Process-wide settings decided once in main() and passed to every command. */
struct kt_ctx {
    int verbosity;        /* 0 = -q (errors only), 1 = normal, 2+ = -v */
    bool stderr_tty;      /* progress bars only when true */
    bool stdout_tty;      /* bold highlighting only when true */
    bool color;           /* false when NO_COLOR is set or the stream is not a TTY */
    const char *argv0;    /* "khotin" */
    const char *command;  /* the subcommand name, for messages */
};

enum cli_opt_kind {
    CLI_OPT_END = 0,
    CLI_OPT_FLAG,   /* bool *: set to true */
    CLI_OPT_STRING, /* const char **: last one wins */
    CLI_OPT_INT,    /* long *: decimal, range-checked by the caller */
    CLI_OPT_LIST,   /* struct cli_list *: every occurrence appended */
};

/* A repeatable option's values; the strings point into argv. Free with cli_list_free(). */
struct cli_list {
    const char **items;
    size_t n;
};
void cli_list_free(struct cli_list *l);

struct cli_opt {
    char short_name;       /* 0 for none */
    const char *long_name; /* without the leading dashes */
    enum cli_opt_kind kind;
    void *target;
    const char *arg_name;  /* shown in help, e.g. "DIR"; NULL for flags */
    const char *help;
};

#define CLI_FLAG(s, l, p, h) {(s), (l), CLI_OPT_FLAG, (p), NULL, (h)}
#define CLI_STRING(s, l, p, a, h) {(s), (l), CLI_OPT_STRING, (p), (a), (h)}
#define CLI_INT(s, l, p, a, h) {(s), (l), CLI_OPT_INT, (p), (a), (h)}
#define CLI_LIST(s, l, p, a, h) {(s), (l), CLI_OPT_LIST, (p), (a), (h)}
#define CLI_END {0, NULL, CLI_OPT_END, NULL, NULL, NULL}

/* Parses argv[1..] (argv[0] is the subcommand name) against opts plus the options every
 * command has: -h/--help, -q/--quiet, -v/--verbose. Options and operands may be mixed.
 * On return *first_operand indexes argv where the operands start (they are moved to the end).
 * Returns 0 to go on, CLI_HELP_SHOWN after printing help on stdout (exit 0), or
 * CLI_USAGE_ERROR after printing one line on stderr (exit 2). */
#define CLI_HELP_SHOWN (-1)
#define CLI_USAGE_ERROR (-2)
int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char *const *usage,
              struct kt_ctx *ctx, int *first_operand);

/* Prints the usage lines and option table on out. */
void cli_usage(FILE *out, const char *const *usage, const struct cli_opt *opts);

enum cli_format { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_JSONL,
                  CLI_FORMAT_TABLE };

/* Turns a --format value into an enum; allowed is a '|'-separated list such as "text|json|csv".
 * NULL name gives the first allowed format. On a bad name prints a usage line and returns -1. */
int cli_format_parse(const struct kt_ctx *ctx, const char *name, const char *allowed);

/* Diagnostics: one line on stderr prefixed by "khotin <command>: ". cli_error returns the exit
 * code given so commands can write `return cli_error(ctx, 66, "%s: %s", path, why);`. */
int cli_error(const struct kt_ctx *ctx, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports a library error: message from err, exit code from its status. */
int cli_fail(const struct kt_ctx *ctx, const struct kt_err *err);
/* Informational line on stderr, shown unless -q. */
void cli_info(const struct kt_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Detail line on stderr, shown only with -v. */
void cli_debug(const struct kt_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Rewrites one progress line on stderr when it is a TTY and not -q; a no-op otherwise.
 * cli_progress_done() ends the line. */
void cli_progress(const struct kt_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_progress_done(const struct kt_ctx *ctx);

/* Parses a whole decimal string into *out within [min, max]; false otherwise. */
bool cli_parse_long(const char *s, long min, long max, long *out);

#endif
