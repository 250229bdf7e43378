/* cmd_eval_entities.c - `khotin eval entities`: not built yet; its issue replaces this file. */
#include "cli/commands.h"

int cmd_eval_entities(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {"khotin eval entities [options]", NULL};
    static const struct cli_opt opts[] = {CLI_END};
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    return cli_error(ctx, 1, "not available in this build yet");
}
