/* cmd_index.c - `khotin index`: builds or updates the search index from an archive's article
 * records or from a JSON Lines file, with a progress line and a summary. */
#define _DEFAULT_SOURCE
#include "cli/commands.h"
#include "indexer/indexer.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int index_stop; /* set by SIGINT/SIGTERM: commit and stop */

static void on_signal(int sig)
{
    (void)sig;
    index_stop = 1;
}

struct index_ui {
    const struct kt_ctx *ctx;
    const char *input;
};

static void on_bad(void *user, uint64_t line, const struct kt_err *e)
{
    struct index_ui *ui = user;
    if (strncmp(e->msg, ui->input, strlen(ui->input)) == 0)
        cli_error(ui->ctx, 0, "%s", e->msg);
    else
        cli_error(ui->ctx, 0, "%s: line %llu: %s", ui->input, (unsigned long long)line, e->msg);
}

static void on_progress(void *user, const struct kt_index_stats *st)
{
    struct index_ui *ui = user;
    uint64_t docs = st->added + st->updated + st->skipped;
    double secs = st->elapsed_ms / 1000.0;
    if (st->total_bytes > 0)
        cli_progress(ui->ctx, "indexing %5.1f%%  %llu records  %.0f docs/s",
                     100.0 * (double)st->done_bytes / (double)st->total_bytes,
                     (unsigned long long)docs, secs > 0 ? docs / secs : 0.0);
    else
        cli_progress(ui->ctx, "indexing  %llu records  %.0f docs/s", (unsigned long long)docs,
                     secs > 0 ? docs / secs : 0.0);
}

int cmd_index(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin index --db DIR --archive DIR [options]",
        "khotin index --db DIR --jsonl FILE.jsonl[.gz] [options]",
        NULL,
    };
    const char *db = NULL, *archive = NULL, *jsonl = NULL;
    long batch = -1, batch_ms = -1, workers = -1, limit = -1;
    bool no_entities = false;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "db", &db, "DIR", "the index directory (created if missing)"),
        CLI_STRING(0, "archive", &archive, "DIR", "index the archive's new or changed articles"),
        CLI_STRING(0, "jsonl", &jsonl, "FILE", "import article records from JSON Lines (.gz ok)"),
        CLI_INT(0, "batch", &batch, "N", "commit every N documents (default 5000)"),
        CLI_INT(0, "batch-ms", &batch_ms, "MS", "... or every MS milliseconds (default 10000)"),
        CLI_INT(0, "workers", &workers, "N", "analysis threads (default: cores - 1, at least 1)"),
        CLI_INT(0, "limit", &limit, "N", "stop after N input records"),
        CLI_FLAG(0, "no-entities", &no_entities, "do not extract officials and places"),
        CLI_END,
    };
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    if (first < argc)
        return cli_error(ctx, 2, "unexpected argument '%s'", argv[first]);
    if (!db)
        return cli_error(ctx, 2, "--db DIR is required");
    if (!archive == !jsonl)
        return cli_error(ctx, 2, "give exactly one of --archive DIR and --jsonl FILE");
    if ((batch != -1 && batch < 1) || (batch_ms != -1 && batch_ms < 1) ||
        (workers != -1 && (workers < 1 || workers > 8)) || (limit != -1 && limit < 1))
        return cli_error(ctx, 2, "--batch, --batch-ms, --limit must be >= 1, --workers 1..8");

    struct kt_index_opts o;
    kt_index_opts_init(&o);
    if (batch > 0)
        o.batch_docs = (uint32_t)batch;
    if (batch_ms > 0)
        o.batch_ms = batch_ms;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.workers = workers > 0 ? (int)workers : cores > 2 ? (int)cores - 1 : 1;
    if (limit > 0)
        o.max_records = (uint64_t)limit;
    o.stop = &index_stop;
    o.entities = !no_entities;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const char *input = jsonl ? jsonl : archive;
    struct index_ui ui = {ctx, input};
    struct kt_index_callbacks cb = {&ui, on_bad, on_progress};
    struct kt_index_stats st;
    struct kt_err err = {0};
    kt_status s = jsonl ? kt_index_jsonl(db, jsonl, &o, &cb, &st, &err)
                        : kt_index_archive(db, archive, &o, &cb, &st, &err);
    cli_progress_done(ctx);
    if (s != KT_OK && s != KT_EINTERRUPTED)
        return cli_fail(ctx, &err);
    if (st.nothing_new) {
        cli_info(ctx, "%s: nothing new to index (already indexed up to %s %llu)", input,
                 jsonl ? "line" : "seq", (unsigned long long)st.resumed_from);
        return 0;
    }
    double secs = st.elapsed_ms / 1000.0;
    uint64_t docs = st.added + st.updated;
    cli_info(ctx,
             "%s%s: %llu added, %llu updated, %llu skipped, %llu failed in %.1f s "
             "(%.0f docs/s, %.1f MB/s)%s",
             s == KT_EINTERRUPTED ? "interrupted: " : "", input, (unsigned long long)st.added,
             (unsigned long long)st.updated, (unsigned long long)st.skipped,
             (unsigned long long)st.failed, secs, secs > 0 ? docs / secs : 0.0,
             secs > 0 ? st.bytes_read / 1e6 / secs : 0.0, st.resumed_from ? " (resumed)" : "");
    if (s == KT_EINTERRUPTED)
        return 1;
    return st.failed > 0 ? 1 : 0;
}
