/* cmd_demo.c - `khotin demo`: serves the bundled sample site on 127.0.0.1, crawls it into a
 * WARC archive, indexes the extracted articles, runs a few searches and shows the entities. */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "cli/demo_server.h"
#include "corpus/corpus.h"
#include "crawler/crawler.h"
#include "indexer/indexer.h"
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KHOTIN_SOURCE_DIR
#define KHOTIN_SOURCE_DIR "."
#endif

static const char *const demo_queries[] = {
    "thuong tin",        /* no diacritics: matches Thường Tín */
    "Bí thư Huyện ủy",   /* diacritics: exact syllables */
    "\"nông thôn mới\"", /* a phrase */
    "hòa giải",          /* the other tone placement of "hoà giải" in the sample */
    "đại hội date:2025", /* a date filter */
};

struct tally {
    char *name;
    char *detail;
    unsigned count;
};

struct tallies {
    struct tally *v;
    size_t n, cap;
};

static void tally_add(struct tallies *t, const char *name, const char *detail)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0) {
            t->v[i].count++;
            if (detail && (!t->v[i].detail || strlen(detail) > strlen(t->v[i].detail))) {
                free(t->v[i].detail);
                t->v[i].detail = strdup(detail);
            }
            return;
        }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct tally *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].name = strdup(name);
    t->v[t->n].detail = detail ? strdup(detail) : NULL;
    t->v[t->n].count = 1;
    if (t->v[t->n].name)
        t->n++;
}

static int tally_cmp(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void tallies_free(struct tallies *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        free(t->v[i].detail);
    }
    free(t->v);
}

struct entity_walk {
    struct kt_entity_extractor *ex;
    struct tallies officials, places;
    unsigned figures, documents;
};

static int collect_entities(void *ud, int64_t seq, const struct kt_article *a)
{
    (void)seq;
    struct entity_walk *w = ud;
    struct kt_entity_list l = {0};
    struct kt_err err = {0};
    if (kt_entities_extract_article(w->ex, a, &l, &err) == KT_OK) {
        for (size_t i = 0; i < l.n; i++) {
            const struct kt_entity *e = &l.items[i];
            if (e->type == KT_ENTITY_OFFICIAL && e->name && !e->linked) {
                tally_add(&w->officials, e->name, e->title);
            } else if (e->type == KT_ENTITY_PLACE && e->name && e->level) {
                char buf[512];
                snprintf(buf, sizeof buf, "%s %s", e->level, e->name);
                tally_add(&w->places, buf, NULL);
            } else if (e->type == KT_ENTITY_FIGURE) {
                w->figures++;
            } else if (e->type == KT_ENTITY_DOCUMENT) {
                w->documents++;
            }
        }
    }
    kt_entity_list_free(&l);
    return 0;
}

/* Prints s padded with spaces to width characters (UTF-8 code points, not bytes). */
static void print_padded(const char *s, size_t width)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    fputs(s, stdout);
    for (; chars < width; chars++)
        fputc(' ', stdout);
}

static void print_highlighted(const struct kt_ctx *ctx, const struct kt_search_hit *h)
{
    size_t pos = 0;
    for (size_t i = 0; i < h->n_spans; i++) {
        const struct kt_span *sp = &h->spans[i];
        if (sp->start < pos || sp->end > strlen(h->snippet))
            continue;
        fwrite(h->snippet + pos, 1, sp->start - pos, stdout);
        fputs(ctx->color ? "\033[1m" : "[", stdout);
        fwrite(h->snippet + sp->start, 1, sp->end - sp->start, stdout);
        fputs(ctx->color ? "\033[0m" : "]", stdout);
        pos = sp->end;
    }
    fputs(h->snippet + pos, stdout);
}

static int run_searches(const struct kt_ctx *ctx, const char *db)
{
    struct kt_err err = {0};
    struct kt_searcher *s = NULL;
    if (kt_searcher_open(db, &s, &err) != KT_OK)
        return cli_fail(ctx, &err);
    printf("\n== 3. Search (%llu documents in the index)\n",
           (unsigned long long)kt_searcher_doc_count(s));
    for (size_t q = 0; q < sizeof demo_queries / sizeof demo_queries[0]; q++) {
        struct kt_search_opts o;
        kt_search_opts_init(&o);
        o.query = demo_queries[q];
        o.limit = 2;
        o.snippet_chars = 160;
        struct kt_search_result r;
        if (kt_search(s, &o, &r, &err) != KT_OK) {
            kt_searcher_close(s);
            return cli_fail(ctx, &err);
        }
        printf("\n$ khotin search --db %s '%s'    (about %llu results)\n", db, demo_queries[q],
               (unsigned long long)r.total_estimate);
        for (size_t i = 0; i < r.n_hits; i++) {
            const struct kt_search_hit *h = &r.hits[i];
            printf("  %zu. %s  (%s, %.10s)\n     ", h->rank, h->title, h->site, h->date);
            print_highlighted(ctx, h);
            printf("\n     %s\n", h->url);
        }
        kt_search_result_free(&r);
    }
    kt_searcher_close(s);
    return 0;
}

static int show_entities(const struct kt_ctx *ctx, const char *archive_dir)
{
    struct kt_err err = {0};
    struct kt_archive_opts ao = {.read_only = true};
    struct kt_archive *arc = NULL;
    if (kt_archive_open(archive_dir, &ao, &arc, NULL, &err) != KT_OK)
        return cli_fail(ctx, &err);
    struct entity_walk w = {0};
    int rc = 0;
    if (kt_entity_extractor_new(NULL, &w.ex, &err) != KT_OK ||
        kt_article_store_since(kt_archive_state(arc), 0, collect_entities, &w, &err) != KT_OK)
        rc = cli_fail(ctx, &err);
    if (rc == 0) {
        qsort(w.officials.v, w.officials.n, sizeof *w.officials.v, tally_cmp);
        qsort(w.places.v, w.places.n, sizeof *w.places.v, tally_cmp);
        printf("\n== 4. Entities: %zu officials, %zu places, %u figures, %u documents\n",
               w.officials.n, w.places.n, w.figures, w.documents);
        for (size_t i = 0; i < w.officials.n && i < 8; i++) {
            fputs("  official  ", stdout);
            print_padded(w.officials.v[i].name, 24);
            printf(" %s\n", w.officials.v[i].detail ? w.officials.v[i].detail : "");
        }
        for (size_t i = 0; i < w.places.n && i < 8; i++) {
            fputs("  place     ", stdout);
            print_padded(w.places.v[i].name, 24);
            printf(" %u mention%s\n", w.places.v[i].count, w.places.v[i].count == 1 ? "" : "s");
        }
    }
    kt_entity_extractor_free(w.ex);
    tallies_free(&w.officials);
    tallies_free(&w.places);
    kt_archive_close(arc, NULL);
    return rc;
}

static void crawl_log(void *ud, enum kt_crawl_log_level level, const char *line)
{
    const struct kt_ctx *ctx = ud;
    if (level == KT_CRAWL_LOG_ERROR || ctx->verbosity >= 2)
        fprintf(stderr, "  %s\n", line);
}

/* Loads config/demo.ini with its placeholder host replaced by the server's address. */
static kt_status load_demo_config(const char *path, const char *base, struct kt_site_config *cfg,
                                  struct kt_err *err)
{
    struct kt_buf raw = {0}, text = {0};
    kt_status rc = kt_read_file(path, 1u << 20, &raw, err);
    if (rc == KT_OK &&
        kt_buf_append_replacing(&text, raw.data, raw.len, "http://tinthudo.test", base) != KT_OK)
        rc = kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    if (rc == KT_OK)
        rc = kt_site_config_load_string(text.data, text.len, path, cfg, err);
    else
        kt_site_config_init(cfg);
    kt_buf_free(&raw);
    kt_buf_free(&text);
    return rc;
}

static int crawl_samples(const struct kt_ctx *ctx, const char *config, const char *base,
                         const char *archive_dir)
{
    struct kt_err err = {0};
    struct kt_site_config cfg;
    if (load_demo_config(config, base, &cfg, &err) != KT_OK) {
        kt_site_config_free(&cfg);
        return cli_fail(ctx, &err);
    }
    struct kt_archive *arc = NULL;
    if (kt_archive_open(archive_dir, NULL, &arc, NULL, &err) != KT_OK) {
        kt_site_config_free(&cfg);
        return cli_fail(ctx, &err);
    }
    struct kt_crawl_opts co = {.config = &cfg};
    struct kt_crawl_callbacks cb = {.log = crawl_log, .ud = (void *)ctx};
    struct kt_crawl_summary sum = {0};
    kt_status rc = kt_crawl_run(&co, arc, &cb, &sum, &err);
    kt_status crc = kt_archive_close(arc, rc == KT_OK ? &err : NULL);
    kt_site_config_free(&cfg);
    if (rc != KT_OK || crc != KT_OK)
        return cli_fail(ctx, &err);
    printf("  fetched %lld pages (%lld bytes) in %.1f s: %lld new articles, %lld robots-blocked,"
           " %lld skipped, %lld errors\n",
           (long long)sum.fetched, (long long)sum.bytes, sum.elapsed_ms / 1000.0,
           (long long)sum.new_articles, (long long)sum.robots_blocked, (long long)sum.skipped,
           (long long)sum.errors);
    return 0;
}

static int index_archive(const struct kt_ctx *ctx, const char *archive_dir, const char *db)
{
    struct kt_err err = {0};
    struct kt_index_opts io;
    kt_index_opts_init(&io);
    struct kt_index_stats st = {0};
    if (kt_index_archive(db, archive_dir, &io, NULL, &st, &err) != KT_OK)
        return cli_fail(ctx, &err);
    printf("\n== 2. Index: %llu articles added, %llu updated in %.2f s -> %s\n",
           (unsigned long long)st.added, (unsigned long long)st.updated, st.elapsed_ms / 1000.0,
           db);
    return 0;
}

int cmd_demo(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {"khotin demo [--samples DIR] [--config FILE] [--keep DIR]",
                                        NULL};
    const char *samples = NULL, *keep = NULL, *config = NULL;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "samples", &samples, "DIR", "sample site to serve (default: bundled)"),
        CLI_STRING(0, "config", &config, "FILE", "crawl config (default: config/demo.ini)"),
        CLI_STRING(0, "keep", &keep, "DIR",
                   "keep the archive and index in DIR (default: temporary)"),
        CLI_END,
    };
    int first = 0;
    int prc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (prc == CLI_HELP_SHOWN)
        return 0;
    if (prc != 0)
        return 2;
    if (first < argc)
        return cli_error(ctx, 2, "unexpected argument '%s'", argv[first]);
    if (!samples)
        samples = KHOTIN_SOURCE_DIR "/corpus/samples/site";
    if (!config)
        config = KHOTIN_SOURCE_DIR "/config/demo.ini";

    struct kt_err err = {0};
    char tmpl[] = "/tmp/khotin-demo-XXXXXX";
    const char *work = keep;
    if (!work) {
        if (!mkdtemp(tmpl))
            return cli_error(ctx, 74, "cannot create a temporary directory in /tmp");
        work = tmpl;
    } else if (kt_mkdir_p(work, &err) != KT_OK) {
        return cli_fail(ctx, &err);
    }
    char archive_dir[4096], db[4096];
    snprintf(archive_dir, sizeof archive_dir, "%s/archive", work);
    snprintf(db, sizeof db, "%s/index", work);

    struct demo_server *srv = NULL;
    if (demo_server_start(samples, &srv, &err) != KT_OK)
        return cli_fail(ctx, &err);
    printf("khotin demo: the bundled sample site is served at %s/\n\n== 1. Crawl -> %s\n",
           demo_server_base_url(srv), archive_dir);
    fflush(stdout);
    int rc = crawl_samples(ctx, config, demo_server_base_url(srv), archive_dir);
    demo_server_stop(srv);
    if (rc == 0)
        rc = index_archive(ctx, archive_dir, db);
    if (rc == 0)
        rc = run_searches(ctx, db);
    if (rc == 0)
        rc = show_entities(ctx, archive_dir);
    if (rc == 0 && keep)
        printf("\nThe archive and index are kept in %s. Try:\n  khotin warc ls %s/warc/*.warc.gz\n"
               "  khotin search --db %s 'dong anh'\n  khotin stats --db %s --by place\n",
               keep, archive_dir, db, db);
    if (!keep) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
        if (system(cmd) != 0)
            cli_info(ctx, "could not remove %s", tmpl);
    }
    return rc;
}
