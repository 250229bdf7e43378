/* commands.h - one entry point per subcommand, each defined in cli/cmd_<name>.c.
 * argv[0] is the subcommand name; the return value is the process exit code. */
#ifndef KHOTIN_CLI_COMMANDS_H
#define KHOTIN_CLI_COMMANDS_H

#include "cli/cli.h"

int cmd_demo(int argc, char **argv, struct kt_ctx *ctx);
int cmd_analyze(int argc, char **argv, struct kt_ctx *ctx);
int cmd_crawl(int argc, char **argv, struct kt_ctx *ctx);
int cmd_run(int argc, char **argv, struct kt_ctx *ctx);
int cmd_warc(int argc, char **argv, struct kt_ctx *ctx);
int cmd_extract(int argc, char **argv, struct kt_ctx *ctx);
int cmd_index(int argc, char **argv, struct kt_ctx *ctx);
int cmd_search(int argc, char **argv, struct kt_ctx *ctx);
int cmd_entities(int argc, char **argv, struct kt_ctx *ctx);
int cmd_stats(int argc, char **argv, struct kt_ctx *ctx);
int cmd_eval(int argc, char **argv, struct kt_ctx *ctx);
int cmd_eval_extract(int argc, char **argv, struct kt_ctx *ctx);
int cmd_eval_entities(int argc, char **argv, struct kt_ctx *ctx);
int cmd_eval_search(int argc, char **argv, struct kt_ctx *ctx);

#endif
