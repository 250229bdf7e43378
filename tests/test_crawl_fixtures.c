/* test_crawl_fixtures.c - crawls the five-site replica of ../shared/fixtures (serve.py, virtual
 * hosts pinned with --resolve) and checks the archive against its manifest with
 * crawl_report.py: all 22 articles at their canonical URLs, no robots violation, no Crawl-delay
 * violation, the error URLs recorded, calendar traps bounded, no tracking/print variants.
 * Skips when ../shared is absent. Takes about a minute (the replica asks for Crawl-delay 1-2 s). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "corpus/article_store.h"
#include "crawler/crawler.h"
#include "crawler/crawl.h"
#include "crawler/fetch.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const sites[] = {"kinhtedothi", "hanoimoi", "dangcongsan", "thachthat",
                                    "phunuthudo"};
#define N_SITES 5

static pid_t server_pid = -1; /* killed by the teardown even when an assertion fails */

/* Starts serve.py --port 0 with its stdout in a file (it keeps writing there); returns its pid
 * and the port from the first line. */
static pid_t start_server(const char *serve_py, unsigned *port)
{
    char out[256];
    snprintf(out, sizeof out, "/tmp/khotin-serve-%d.out", (int)getpid());
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = freopen(out, "w", stdout);
        (void)f;
        execlp("python3", "python3", serve_py, "--port", "0", "--quiet", (char *)NULL);
        _exit(127);
    }
    *port = 0;
    for (int i = 0; i < 200 && *port == 0; i++) {
        struct kt_buf b = {0};
        if (kt_read_file(out, 4096, &b, NULL) == KT_OK && b.data && strchr(b.data, '\n'))
            *port = (unsigned)strtoul(b.data, NULL, 10);
        kt_buf_free(&b);
        if (*port == 0)
            usleep(50000);
    }
    unlink(out);
    return pid;
}

static void stop_server(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    server_pid = -1;
}

static int teardown(void **state)
{
    (void)state;
    stop_server(server_pid);
    return 0;
}

static void get_json(unsigned port, const char *path, struct kt_buf *out)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    struct kt_fetch_request req = {.url = url};
    struct kt_fetch_response r;
    struct kt_err err = {0};
    assert_int_equal(kt_fetch_one(NULL, &req, &r, &err), KT_OK);
    assert_int_equal(r.http_status, 200);
    kt_buf_append(out, r.raw.data + r.head_len, r.raw.len - r.head_len);
    kt_fetch_response_free(&r);
}

/* Concatenates every WARC file of the archive (gzip members concatenate) into one file. */
static void concat_warcs(const char *dir, const char *out_path)
{
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    char **names = NULL;
    size_t n = 0;
    assert_int_equal(kt_archive_list_warcs(a, &names, &n, &err), KT_OK);
    FILE *out = fopen(out_path, "wb");
    assert_non_null(out);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        assert_int_equal(kt_archive_warc_path(a, names[i], path, sizeof path, &err), KT_OK);
        struct kt_buf b = {0};
        assert_int_equal(kt_read_file(path, 0, &b, &err), KT_OK);
        assert_int_equal(fwrite(b.data, 1, b.len, out), b.len);
        kt_buf_free(&b);
    }
    fclose(out);
    kt_archive_free_names(names, n);
    kt_archive_close(a, NULL);
}

static void on_log(void *ud, enum kt_crawl_log_level level, const char *line)
{
    (void)ud;
    if (level != KT_CRAWL_LOG_FETCH)
        fprintf(stderr, "  log: %s\n", line);
}

struct replica {
    char *serve, *report_py, *manifest, *dir;
    unsigned port;
    char pins[N_SITES][128];
    const char *pin_ptrs[N_SITES];
};

/* Starts a fresh replica server (skipping the test when ../shared is absent). */
static void replica_start(struct replica *r)
{
    memset(r, 0, sizeof *r);
    r->serve = tu_shared_path("fixtures/serve.py");
    r->report_py = tu_shared_path("fixtures/crawl_report.py");
    r->manifest = tu_shared_path("fixtures/site/manifest.json");
    if (!r->serve || !r->report_py || !r->manifest) {
        printf("../shared/fixtures is absent: skipping the replica crawl\n");
        free(r->serve);
        free(r->report_py);
        free(r->manifest);
        skip();
    }
    server_pid = start_server(r->serve, &r->port);
    assert_true(server_pid > 0 && r->port > 0);
    struct kt_buf tmp = {0};
    get_json(r->port, "/__sitegen/reset", &tmp);
    kt_buf_free(&tmp);
    r->dir = tu_mkdtemp("fixtures");
    for (int i = 0; i < N_SITES; i++) {
        snprintf(r->pins[i], sizeof r->pins[i], "%s.test:%u:127.0.0.1", sites[i], r->port);
        r->pin_ptrs[i] = r->pins[i];
    }
}

/* The syndicated copy is flagged as a duplicate of the original (crawl order is irrelevant). */
static void check_duplicate_flag(const struct replica *r)
{
    char copy[512], orig[512];
    snprintf(copy, sizeof copy,
             "http://phunuthudo.test:%u/chinh-tri/"
             "khong-de-lot-can-bo-khong-du-tieu-chuan-vao-cap-uy-cac-cap-40112.html",
             r->port);
    snprintf(orig, sizeof orig,
             "http://dangcongsan.test:%u/cpv/Modules/News/NewsDetail.aspx?co_id=30107&cn_id=556721",
             r->port);
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(r->dir, &ro, &a, NULL, &err), KT_OK);
    struct kt_article art;
    kt_article_init(&art);
    bool found = false;
    assert_int_equal(kt_article_store_get(kt_archive_state(a), copy, &art, &found, &err), KT_OK);
    int64_t count = 0;
    kt_article_store_count(kt_archive_state(a), &count, &err);
    fprintf(stderr, "%lld article records; syndicated copy: stored %d, dup_of %s\n",
            (long long)count, found, art.dup_of ? art.dup_of : "(none)");
    assert_true(found);
    assert_non_null(art.dup_of);
    assert_string_equal(art.dup_of, orig);
    kt_article_free(&art);
    kt_archive_close(a, NULL);
}

static void check_replica(struct replica *rp);

/* Config-less: --seed http://<site>.test:PORT/ for the five sites, through the library. */
static void test_seed_crawl_matches_the_manifest(void **state)
{
    (void)state;
    struct replica rp;
    replica_start(&rp);
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_init(&cfg), KT_OK);
    for (int i = 0; i < N_SITES; i++) {
        char seed[128];
        snprintf(seed, sizeof seed, "http://%s.test:%u/", sites[i], rp.port);
        assert_int_equal(kt_site_config_add_seed(&cfg, seed, &err), KT_OK);
    }
    struct kt_archive *a = NULL;
    assert_int_equal(kt_archive_open(rp.dir, NULL, &a, NULL, &err), KT_OK);
    struct kt_crawl_opts o = {
        .config = &cfg, .resolve = rp.pin_ptrs, .n_resolve = N_SITES, .max_wait_s = 60};
    struct kt_crawl_callbacks cb = {NULL, on_log, NULL};
    struct kt_crawl_summary sum;
    int64_t t0 = kt_now_ms();
    kt_status st = kt_crawl_run(&o, a, &cb, &sum, &err);
    if (st != KT_OK)
        fprintf(stderr, "crawl: %s\n", err.msg);
    assert_int_equal(st, KT_OK);
    fprintf(stderr,
            "seed crawl of the replica: %.1f s, %lld fetched, %lld articles (%lld duplicates), "
            "%lld robots-blocked, %lld skipped, %lld retries, %lld errors (4xx %lld, loop %lld, "
            "too_big %lld, decode %lld)\n",
            (double)(kt_now_ms() - t0) / 1000.0, (long long)sum.fetched,
            (long long)sum.new_articles, (long long)sum.duplicates, (long long)sum.robots_blocked,
            (long long)sum.skipped, (long long)sum.retries, (long long)sum.errors,
            (long long)sum.errors_by_kind[KT_CRAWL_ERR_HTTP_4XX],
            (long long)sum.errors_by_kind[KT_CRAWL_ERR_REDIRECT_LOOP],
            (long long)sum.errors_by_kind[KT_CRAWL_ERR_TOO_BIG],
            (long long)sum.errors_by_kind[KT_CRAWL_ERR_DECODE]);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    kt_site_config_free(&cfg);
    check_duplicate_flag(&rp);
    check_replica(&rp);
}

/* config/fixtures.ini (port rewritten) through the khotin binary with --resolve. */
static void test_config_crawl_matches_the_manifest(void **state)
{
    (void)state;
    char ini_src[4096];
    snprintf(ini_src, sizeof ini_src, "%s/config/fixtures.ini", tu_source_dir());
    struct kt_buf ini = {0};
    struct kt_err err = {0};
    if (kt_read_file(ini_src, 0, &ini, &err) != KT_OK) {
        printf("%s is absent: skipping the config crawl of the replica\n", ini_src);
        skip();
    }
    struct replica rp;
    replica_start(&rp);
    struct kt_buf rewritten = {0};
    char port[16];
    snprintf(port, sizeof port, ":%u", rp.port);
    for (const char *p = ini.data; *p;) {
        const char *hit = strstr(p, ":8765");
        if (!hit) {
            kt_buf_append_cstr(&rewritten, p);
            break;
        }
        kt_buf_append(&rewritten, p, (size_t)(hit - p));
        kt_buf_append_cstr(&rewritten, port);
        p = hit + 5;
    }
    char cfg_path[4096], archive[4096];
    snprintf(cfg_path, sizeof cfg_path, "%s/fixtures.ini", rp.dir);
    snprintf(archive, sizeof archive, "%s/archive", rp.dir);
    assert_true(tu_write_file(cfg_path, rewritten.data, rewritten.len));
    kt_buf_free(&ini);
    kt_buf_free(&rewritten);
    char *argv[32] = {(char *)tu_khotin_bin(),
                      "crawl",
                      "--config",
                      cfg_path,
                      "--archive",
                      archive,
                      "--format",
                      "json"};
    int ac = 8;
    for (int i = 0; i < N_SITES; i++) {
        argv[ac++] = "--resolve";
        argv[ac++] = rp.pins[i];
    }
    argv[ac] = NULL;
    struct kt_buf out = {0}, errout = {0};
    int64_t t0 = kt_now_ms();
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    fprintf(stderr, "config crawl of the replica: exit %d in %.1f s\n%s%s\n", rc,
            (double)(kt_now_ms() - t0) / 1000.0, errout.data ? errout.data : "",
            out.data ? out.data : "");
    assert_int_equal(rc, 1); /* 1: finished, with the replica's error URLs recorded */
    json_error_t jerr;
    json_t *sum = json_loadb(out.data, out.len, 0, &jerr);
    assert_non_null(sum);
    json_t *ek = json_object_get(sum, "errors_by_kind");
    assert_int_equal(json_integer_value(json_object_get(ek, "http_4xx")), 2);
    assert_int_equal(json_integer_value(json_object_get(ek, "redirect_loop")), 1);
    assert_int_equal(json_integer_value(json_object_get(ek, "too_big")), 1);
    assert_int_equal(json_integer_value(json_object_get(ek, "decode")), 1);
    json_decref(sum);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    char *parent = rp.dir;
    rp.dir = strdup(archive);
    check_duplicate_flag(&rp);
    check_replica(&rp);
    tu_rmtree(parent);
    free(parent);
}

/* crawl_report.py on all WARC files, and the server's own statistics. */
static void check_replica(struct replica *rp)
{
    unsigned port = rp->port;
    pid_t pid = server_pid;
    char *dir = rp->dir, *report_py = rp->report_py, *manifest = rp->manifest, *serve = rp->serve;
    struct kt_buf stats = {0};
    get_json(port, "/__sitegen/stats", &stats);
    stop_server(pid);

    char warc[4096], out_json[4096];
    snprintf(warc, sizeof warc, "%s/all.warc.gz", dir);
    snprintf(out_json, sizeof out_json, "%s/report.json", dir);
    concat_warcs(dir, warc);
    char *argv[] = {"python3", report_py, "--manifest", manifest, "--warc",
                    warc,      "--vhost", "--json",     NULL};
    struct kt_buf rep = {0}, rep_err = {0};
    assert_int_equal(tu_run(argv, NULL, 0, &rep, &rep_err), 0);
    char *argv_text[] = {"python3", report_py, "--manifest", manifest,
                         "--warc",  warc,      "--vhost",    NULL};
    struct kt_buf text = {0};
    tu_run(argv_text, NULL, 0, &text, NULL);
    fprintf(stderr, "%s", text.data ? text.data : "");
    kt_buf_free(&text);

    json_error_t jerr;
    json_t *r = json_loadb(rep.data, rep.len, 0, &jerr);
    assert_non_null(r);
    assert_int_equal(json_integer_value(json_object_get(r, "articles_expected")), 22);
    assert_int_equal(json_integer_value(json_object_get(r, "articles_archived_200")), 22);
    assert_int_equal(json_array_size(json_object_get(r, "must_not_fetch_fetched")), 0);
    assert_int_equal(json_array_size(json_object_get(r, "robots_pattern_violations")), 0);
    assert_int_equal(json_integer_value(json_object_get(r, "tracking_or_print_variant_fetches")),
                     0);
    json_t *errs = json_object_get(r, "error_urls");
    assert_int_equal(json_array_size(errs), 5);
    for (size_t i = 0; i < json_array_size(errs); i++) {
        json_t *e = json_array_get(errs, i);
        /* every error URL was fetched and its answer archived */
        assert_true(json_array_size(json_object_get(e, "statuses")) >= 1);
    }
    json_t *traps = json_object_get(r, "calendar_trap_pages_fetched");
    const char *key;
    json_t *v;
    json_object_foreach(traps, key, v) assert_true(json_integer_value(v) <= 10);
    json_t *chains = json_object_get(r, "redirect_chains");
    for (size_t i = 0; i < json_array_size(chains); i++)
        assert_true(json_is_true(json_object_get(json_array_get(chains, i), "final_archived")));
    json_decref(r);

    json_t *s = json_loadb(stats.data, stats.len, 0, &jerr);
    assert_non_null(s);
    size_t viol = json_array_size(json_object_get(s, "crawl_delay_violations"));
    size_t robots_viol = json_array_size(json_object_get(s, "robots_disallowed_fetches"));
    fprintf(stderr,
            "server: %lld requests, %zu Crawl-delay violations, %zu robots-disallowed "
            "fetches\n",
            (long long)json_integer_value(json_object_get(s, "requests")), viol, robots_viol);
    for (size_t i = 0; i < viol; i++) {
        char *v = json_dumps(json_array_get(json_object_get(s, "crawl_delay_violations"), i), 0);
        fprintf(stderr, "  violation: %s\n", v ? v : "?");
        free(v);
    }
    assert_int_equal(viol, 0);
    assert_int_equal(robots_viol, 0);
    json_decref(s);
    kt_buf_free(&stats);
    kt_buf_free(&rep);
    kt_buf_free(&rep_err);
    tu_rmtree(dir);
    free(dir);
    free(serve);
    free(report_py);
    free(manifest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_seed_crawl_matches_the_manifest, teardown),
        cmocka_unit_test_teardown(test_config_crawl_matches_the_manifest, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
