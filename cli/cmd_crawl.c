/* cmd_crawl.c - `khotin crawl`: load the sites (config file or --seed URLs), take the archive
 * lock, run kt_crawl_run with SIGINT/SIGTERM stopping it cleanly, show progress and a summary;
 * and `khotin run`, the same crawl followed by `khotin index` of what is new (for cron). */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "crawler/crawler.h"
#include "crawler/crawl.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The only global: set by the signal handler, read by the crawl loop through opts.stop. */
static volatile sig_atomic_t crawl_stop_signal;

static void on_signal(int sig)
{
    crawl_stop_signal = sig;
}

struct ui {
    struct kt_ctx *ctx;
    bool progress_shown;
};

static void ui_progress(void *ud, const struct kt_crawl_progress *p)
{
    struct ui *u = ud;
    if (u->ctx->stderr_tty) {
        cli_progress(u->ctx,
                     "%lld fetched, %.1f pages/s, %lld queued, %lld in flight, %lld "
                     "articles, %lld errors",
                     (long long)p->fetched, p->pages_per_s, (long long)p->queued,
                     (long long)p->in_flight, (long long)p->articles, (long long)p->errors);
        u->progress_shown = true;
    } else {
        cli_info(u->ctx,
                 "progress: %lld fetched (%.1f pages/s), %lld articles, %lld errors, "
                 "%lld in flight",
                 (long long)p->fetched, p->pages_per_s, (long long)p->articles,
                 (long long)p->errors, (long long)p->in_flight);
    }
}

static void ui_log(void *ud, enum kt_crawl_log_level level, const char *line)
{
    struct ui *u = ud;
    if (level == KT_CRAWL_LOG_FETCH && u->ctx->verbosity < 2)
        return;
    if (u->progress_shown) {
        cli_progress_done(u->ctx);
        u->progress_shown = false;
    }
    cli_info(u->ctx, "%s", line);
}

static bool parse_size(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (!end || end == s)
        return false;
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1024ull * 1024 * 1024, end++;
    if (*end || v == 0)
        return false;
    *out = (uint64_t)v * mul;
    return true;
}

static void print_summary(struct kt_ctx *ctx, const struct kt_crawl_summary *s, bool json)
{
    char kinds[512] = "";
    size_t off = 0;
    for (int k = 0; k < KT_CRAWL_ERR_COUNT; k++) {
        if (!s->errors_by_kind[k])
            continue;
        int n = snprintf(kinds + off, sizeof kinds - off, "%s%s %lld", off ? ", " : "",
                         kt_crawl_error_kind_name(k), (long long)s->errors_by_kind[k]);
        if (n < 0 || (size_t)n >= sizeof kinds - off)
            break;
        off += (size_t)n;
    }
    cli_info(ctx,
             "%s in %.1f s: %lld fetched, %lld new articles (%lld duplicates), %lld revisits "
             "(%lld not modified, %lld identical), %lld robots-blocked, %lld skipped, %lld "
             "retries, %lld errors%s%s%s, %.2f MB received, %.2f MB written, %lld left queued",
             s->interrupted ? "interrupted" : "done", (double)s->elapsed_ms / 1000.0,
             (long long)s->fetched, (long long)s->new_articles, (long long)s->duplicates,
             (long long)(s->not_modified + s->identical), (long long)s->not_modified,
             (long long)s->identical, (long long)s->robots_blocked, (long long)s->skipped,
             (long long)s->retries, (long long)s->errors, off ? " (" : "", kinds, off ? ")" : "",
             (double)s->bytes / 1e6, (double)s->warc_bytes / 1e6, (long long)s->queued_left);
    if (!json)
        return;
    json_t *o = json_object();
    json_t *ek = json_object();
    if (!o || !ek) {
        json_decref(o);
        json_decref(ek);
        return;
    }
    for (int k = 0; k < KT_CRAWL_ERR_COUNT; k++)
        json_object_set_new(ek, kt_crawl_error_kind_name(k), json_integer(s->errors_by_kind[k]));
    json_object_set_new(o, "fetched", json_integer(s->fetched));
    json_object_set_new(o, "new_urls", json_integer(s->new_urls));
    json_object_set_new(o, "new_articles", json_integer(s->new_articles));
    json_object_set_new(o, "duplicates", json_integer(s->duplicates));
    json_object_set_new(o, "not_modified", json_integer(s->not_modified));
    json_object_set_new(o, "identical", json_integer(s->identical));
    json_object_set_new(o, "revisits", json_integer(s->not_modified + s->identical));
    json_object_set_new(o, "robots_blocked", json_integer(s->robots_blocked));
    json_object_set_new(o, "skipped", json_integer(s->skipped));
    json_object_set_new(o, "retries", json_integer(s->retries));
    json_object_set_new(o, "errors", json_integer(s->errors));
    json_object_set_new(o, "errors_by_kind", ek);
    json_object_set_new(o, "bytes", json_integer(s->bytes));
    json_object_set_new(o, "warc_bytes", json_integer(s->warc_bytes));
    json_object_set_new(o, "queued_left", json_integer(s->queued_left));
    json_object_set_new(o, "elapsed_ms", json_integer(s->elapsed_ms));
    json_object_set_new(o, "interrupted", json_boolean(s->interrupted));
    char *text = json_dumps(o, JSON_COMPACT);
    if (text) {
        printf("%s\n", text);
        free(text);
    }
    json_decref(o);
}

/* Runs the index step of `khotin run` on the archive just crawled. */
static int index_after_crawl(struct kt_ctx *ctx, const char *db, const char *archive_dir)
{
    char *index_argv[] = {"index", "--db", (char *)db, "--archive", (char *)archive_dir, NULL};
    return cmd_index(5, index_argv, ctx);
}

/* `khotin crawl`, and `khotin run` (is_run: one more option, --db, and the index step after a
 * crawl that finished, also with URL errors). */
static int crawl_main(int argc, char **argv, struct kt_ctx *ctx, bool is_run)
{
    static const char *const crawl_usage[] = {
        "khotin crawl --config FILE --archive DIR [--site NAME]... [--max-pages N]",
        "khotin crawl --seed URL [--seed URL]... --archive DIR", NULL};
    static const char *const run_usage[] = {
        "khotin run --config FILE --archive DIR --db DIR [--site NAME]... [--max-pages N]",
        "khotin run --seed URL [--seed URL]... --archive DIR --db DIR", NULL};
    const char *const *usage = is_run ? run_usage : crawl_usage;
    const char *db = NULL;
    const char *config = NULL, *archive_dir = NULL, *user_agent = NULL, *format = NULL;
    const char *max_body = NULL;
    long max_pages = 0, delay_ms = -1, concurrency = 0, per_host = 0, timeout_ms = 0;
    struct cli_list seeds = {0}, sites = {0}, resolve = {0};
    struct cli_opt opts[] = {
        CLI_STRING('c', "config", &config, "FILE", "sites and [crawl] settings (INI)"),
        CLI_STRING('a', "archive", &archive_dir, "DIR", "the archive (created if missing)"),
        CLI_LIST('s', "site", &sites, "NAME", "crawl only this site of the config"),
        CLI_LIST(0, "seed", &seeds, "URL", "crawl from this URL without a config"),
        CLI_INT(0, "max-pages", &max_pages, "N", "stop after N pages in this run"),
        CLI_LIST(0, "resolve", &resolve, "HOST:PORT:ADDR", "pin a host name to an address"),
        CLI_INT(0, "delay-ms", &delay_ms, "MS", "gap between requests to one host (default 1000)"),
        CLI_STRING(0, "user-agent", &user_agent, "UA", "User-Agent with your contact URL"),
        CLI_INT(0, "concurrency", &concurrency, "N", "transfers in flight overall"),
        CLI_INT(0, "per-host", &per_host, "N", "connections per host (when the delay is 0)"),
        CLI_INT(0, "timeout-ms", &timeout_ms, "MS", "whole-transfer timeout"),
        CLI_STRING(0, "max-body", &max_body, "SIZE", "body size cap, e.g. 10M"),
        CLI_STRING(0, "format", &format, "FMT", "summary on stdout: text (none) or json"),
        CLI_STRING(0, "db", &db, "DIR", "khotin run: the index to update afterwards"),
        CLI_END,
    };
    if (!is_run) /* --db is the last option: only `run` has it */
        opts[sizeof opts / sizeof opts[0] - 2] = (struct cli_opt)CLI_END;
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    struct kt_site_config cfg;
    memset(&cfg, 0, sizeof cfg);
    struct kt_archive *archive = NULL;
    struct kt_err err = {0};
    if (rc != 0) {
        rc = 2;
        goto out;
    }
    int fmt = cli_format_parse(ctx, format, "text|json");
    if (fmt < 0) {
        rc = 2;
        goto out;
    }
    if (first < argc) {
        rc = cli_error(ctx, 2, "unexpected argument '%s'", argv[first]);
        goto out;
    }
    if (!archive_dir) {
        rc = cli_error(ctx, 2, "--archive DIR is required");
        goto out;
    }
    if (is_run && !db) {
        rc = cli_error(ctx, 2, "--db DIR is required");
        goto out;
    }
    if (!config && seeds.n == 0) {
        rc = cli_error(ctx, 2, "give --config FILE or at least one --seed URL");
        goto out;
    }
    if (max_pages < 0 || delay_ms < -1 || delay_ms > 600000 || concurrency < 0 ||
        concurrency > 1024 || per_host < 0 || per_host > 64 || timeout_ms < 0) {
        rc = cli_error(ctx, 2, "an option value is out of range (see 'khotin crawl --help')");
        goto out;
    }
    kt_status st = config ? kt_site_config_load(config, &cfg, &err) : kt_site_config_init(&cfg);
    if (st != KT_OK) {
        rc = cli_fail(ctx, &err);
        goto out;
    }
    for (size_t i = 0; i < seeds.n; i++) {
        st = kt_site_config_add_seed(&cfg, seeds.items[i], &err);
        if (st != KT_OK) {
            rc = cli_error(ctx, 2, "--seed: %s", err.msg);
            goto out;
        }
    }
    if (concurrency > 0)
        cfg.crawl.concurrency = (int)concurrency;
    if (per_host > 0)
        cfg.crawl.per_host_connections = (int)per_host;
    if (timeout_ms > 0)
        cfg.crawl.timeout_ms = (int)timeout_ms;
    if (max_body) {
        uint64_t v = 0;
        if (!parse_size(max_body, &v)) {
            rc = cli_error(ctx, 2, "--max-body: '%s' is not a size such as 10M", max_body);
            goto out;
        }
        cfg.crawl.max_body = v;
    }
    {
        /* bad --resolve entries are usage errors, found before the archive is touched */
        struct kt_fetch_opts fo = {.resolve = resolve.items, .n_resolve = resolve.n};
        struct kt_fetcher *probe = NULL;
        st = kt_fetcher_new(&fo, &probe, &err);
        kt_fetcher_free(probe);
        if (st != KT_OK) {
            rc = cli_fail(ctx, &err);
            goto out;
        }
    }
    const char *ua = user_agent ? user_agent : cfg.crawl.user_agent;
    char info[1024];
    snprintf(info, sizeof info,
             "robots: obey\r\nhttp-header-user-agent: %s\r\ndescription: khotin crawl %s%s\r\n", ua,
             config ? "--config " : "--seed", config ? config : "");
    for (char *p = info; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n')
            *p = ' ';
    struct kt_archive_opts aopts = {.warc_prefix = cfg.crawl.warc_prefix,
                                    .max_warc_size = cfg.crawl.warc_max_size,
                                    .warcinfo_fields = info};
    struct kt_archive_open_report rep;
    memset(&rep, 0, sizeof rep);
    st = kt_archive_open(archive_dir, &aopts, &archive, &rep, &err);
    if (st != KT_OK) {
        rc = cli_fail(ctx, &err);
        goto out;
    }
    if (rep.repaired)
        cli_info(ctx, "repaired %s: cut a torn last record (%s), %llu -> %llu bytes",
                 rep.repaired_file, rep.repair.reason, (unsigned long long)rep.repair.old_size,
                 (unsigned long long)rep.repair.new_size);
    if (rep.fetching_reset)
        cli_info(ctx, "%zu URLs left in flight by an interrupted run queued again",
                 rep.fetching_reset);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct ui u = {ctx, false};
    struct kt_crawl_callbacks cb = {ui_progress, ui_log, &u};
    struct kt_crawl_opts co = {
        .config = &cfg,
        .sites = sites.items,
        .n_sites = sites.n,
        .max_pages = max_pages,
        .delay_ms = (int)delay_ms,
        .delay_set = delay_ms >= 0,
        .user_agent = user_agent,
        .resolve = resolve.items,
        .n_resolve = resolve.n,
        .stop = &crawl_stop_signal,
        .progress_ms = ctx->stderr_tty ? 500 : 10000,
    };
    struct kt_crawl_summary sum;
    st = kt_crawl_run(&co, archive, &cb, &sum, &err);
    if (u.progress_shown)
        cli_progress_done(ctx);
    struct kt_err cerr = {0};
    kt_status cst = kt_archive_close(archive, &cerr);
    archive = NULL;
    if (st == KT_OK || st == KT_EINTERRUPTED || sum.fetched > 0)
        print_summary(ctx, &sum, fmt == CLI_FORMAT_JSON);
    if (st == KT_EINTERRUPTED)
        rc = crawl_stop_signal ? 128 + (int)crawl_stop_signal : 1;
    else if (st != KT_OK)
        rc = cli_fail(ctx, &err);
    else if (cst != KT_OK)
        rc = cli_fail(ctx, &cerr);
    else
        rc = sum.errors > 0 ? 1 : 0;
out:
    if (archive)
        kt_archive_close(archive, NULL);
    kt_site_config_free(&cfg);
    cli_list_free(&seeds);
    cli_list_free(&sites);
    cli_list_free(&resolve);
    if (is_run && (rc == 0 || rc == 1)) {
        int irc = index_after_crawl(ctx, db, archive_dir);
        if (irc != 0)
            return irc;
    }
    return rc;
}

int cmd_crawl(int argc, char **argv, struct kt_ctx *ctx)
{
    return crawl_main(argc, argv, ctx, false);
}

int cmd_run(int argc, char **argv, struct kt_ctx *ctx)
{
    return crawl_main(argc, argv, ctx, true);
}
