/* test_crawl.c - kt_crawl_run against the loopback hazard site: what lands in the WARC files,
 * the crawl state and the article store (robots, sitemaps incl. gzip, feeds, pagination, traps,
 * retries, Retry-After, redirects, 404, slow/oversized/bomb pages, charsets, duplicates), the
 * incremental second run (304 revisits, articles not refetched, robots cache), politeness. */
#define _POSIX_C_SOURCE 200809L
#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "corpus/article_store.h"
#include "corpus/http_message.h"
#include "crawler/crawler.h"
#include "crawler/crawl.h"
#include "tests/support/crawl_site.h"
#include "tests/support/httpd.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tu_httpd *srv;
static struct tu_hazard_site site;
static char *dir;

static int setup(void **state)
{
    (void)state;
    srv = tu_httpd_start();
    if (!srv)
        return -1;
    struct tu_hazard_opts o = {.big_bytes = 3u << 20, .bomb_bytes = 20u << 20, .slow_ms = 1500};
    if (!tu_hazard_site_add(srv, &o, &site))
        return -1;
    dir = tu_mkdtemp("crawl");
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_httpd_stop(srv);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static void load_config(struct kt_site_config *cfg, int delay_ms)
{
    char ini[2048];
    snprintf(ini, sizeof ini,
             "[crawl]\nuser_agent = khotin-test/1.0 (+http://example.org/contact)\n"
             "delay_ms = %d\nmax_body = 1M\nretries = 3\nmax_pagination = 5\n"
             "timeout_ms = 5000\nconcurrency = 8\nper_host_connections = 4\n\n"
             "[site news]\nbase_url = %s/\nseed = /\nfeed = /rss.xml\n"
             "article_pattern = ^/(news|private)/\nlisting_pattern = ^/list/\n",
             delay_ms, site.base);
    struct kt_err err = {0};
    kt_status st = kt_site_config_load_string(ini, strlen(ini), "test.ini", cfg, &err);
    if (st != KT_OK)
        fprintf(stderr, "config: %s\n", err.msg);
    assert_int_equal(st, KT_OK);
}

struct logbuf {
    struct kt_buf text;
};

static void on_log(void *ud, enum kt_crawl_log_level level, const char *line)
{
    struct logbuf *l = ud;
    kt_buf_printf(&l->text, "%d %s\n", (int)level, line);
}

static kt_status crawl_once(int delay_ms, struct kt_crawl_summary *sum, struct logbuf *lb)
{
    struct kt_site_config cfg;
    load_config(&cfg, delay_ms);
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_archive_open(dir, NULL, &a, NULL, &err), KT_OK);
    struct kt_crawl_opts o = {.config = &cfg, .retry_base_ms = 200, .max_wait_s = 30};
    struct kt_crawl_callbacks cb = {NULL, on_log, lb};
    kt_status st = kt_crawl_run(&o, a, &cb, sum, &err);
    if (st != KT_OK)
        fprintf(stderr, "crawl: %s\n", err.msg);
    assert_int_equal(kt_archive_close(a, &err), KT_OK);
    kt_site_config_free(&cfg);
    return st;
}

static char *url_of(const char *path)
{
    size_t n = strlen(site.base) + strlen(path) + 1;
    char *u = malloc(n);
    snprintf(u, n, "%s%s", site.base, path);
    return u;
}

/* The state row of path (asserts it exists). */
static void get_row(const char *path, struct kt_url_row *row, bool *found)
{
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    char *u = url_of(path);
    assert_int_equal(kt_crawl_get(kt_archive_state(a), u, row, found, &err), KT_OK);
    free(u);
    kt_archive_close(a, NULL);
}

static void expect_state(const char *path, enum kt_url_state want, int http_status)
{
    struct kt_url_row row = {0};
    bool found = false;
    get_row(path, &row, &found);
    if (!found || row.state != want || (http_status && row.http_status != http_status))
        fprintf(stderr, "%s: found=%d state=%s http=%d error=%s (want %s %d)\n", path, found,
                found ? kt_url_state_name(row.state) : "-", row.http_status,
                row.error_msg ? row.error_msg : "", kt_url_state_name(want), http_status);
    assert_true(found);
    assert_int_equal(row.state, want);
    if (http_status)
        assert_int_equal(row.http_status, http_status);
    kt_url_row_free(&row);
}

static bool article(const char *path, struct kt_article *out)
{
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    char *u = url_of(path);
    bool found = false;
    assert_int_equal(kt_article_store_get(kt_archive_state(a), u, out, &found, &err), KT_OK);
    free(u);
    kt_archive_close(a, NULL);
    return found;
}

/* Every record of every WARC file verifies; counts responses per target path and status. */
struct warc_scan {
    size_t records, responses, revisits_304, revisits_identical, requests, metadata;
    bool outlinks_seen;    /* a metadata record of the home page lists its outlinks */
    struct kt_buf targets; /* "STATUS PATH\n" per response/revisit */
};

static void scan_warcs(struct warc_scan *s)
{
    memset(s, 0, sizeof *s);
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    char **names = NULL;
    size_t n = 0;
    assert_int_equal(kt_archive_list_warcs(a, &names, &n, &err), KT_OK);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        assert_int_equal(kt_archive_warc_path(a, names[i], path, sizeof path, &err), KT_OK);
        struct kt_warc_reader *r = NULL;
        assert_int_equal(kt_warc_reader_open(path, NULL, &r, &err), KT_OK);
        struct kt_warc_record rec = {0};
        bool have = true;
        while (kt_warc_reader_next(r, &rec, &have, &err) == KT_OK && have) {
            char problem[256];
            if (!kt_warc_record_verify(&rec, problem, sizeof problem))
                fail_msg("%s @%llu: %s", names[i], (unsigned long long)rec.offset, problem);
            s->records++;
            bool resp = strcmp(rec.type, "response") == 0;
            bool rev = strcmp(rec.type, "revisit") == 0;
            if (strcmp(rec.type, "request") == 0)
                s->requests++;
            if (strcmp(rec.type, "metadata") == 0) {
                s->metadata++;
                if (rec.block && strstr((const char *)rec.block, "outlink: ") &&
                    strstr((const char *)rec.block, "/list/1.html") &&
                    strstr((const char *)rec.block, "fetchTimeMs: "))
                    s->outlinks_seen = true;
            }
            if (resp)
                s->responses++;
            if (rev) {
                const char *prof = kt_warc_record_get(&rec, "WARC-Profile");
                if (prof && strstr(prof, "server-not-modified"))
                    s->revisits_304++;
                else if (prof && strstr(prof, "identical-payload"))
                    s->revisits_identical++;
            }
            if ((resp || rev) && rec.target_uri) {
                const char *p = rec.target_uri + strlen(site.base);
                kt_buf_printf(&s->targets, "%d %s\n", kt_warc_record_http_status(&rec), p);
            }
        }
        assert_false(have);
        kt_warc_record_free(&rec);
        kt_warc_reader_close(r);
    }
    kt_archive_free_names(names, n);
    kt_archive_close(a, NULL);
}

static bool warc_has(const struct warc_scan *s, int status, const char *path)
{
    char line[512];
    snprintf(line, sizeof line, "%d %s\n", status, path);
    const char *t = s->targets.data ? s->targets.data : "";
    /* match at a line start */
    for (const char *p = strstr(t, line); p; p = strstr(p + 1, line))
        if (p == t || p[-1] == '\n')
            return true;
    return false;
}

static void test_first_run_archives_the_site_and_survives_the_hazards(void **state)
{
    (void)state;
    struct kt_crawl_summary sum;
    struct logbuf lb = {0};
    assert_int_equal(crawl_once(0, &sum, &lb), KT_OK);
    fprintf(stderr,
            "run 1: fetched %lld, articles %lld, errors %lld, blocked %lld, skipped %lld, "
            "identical %lld\n",
            (long long)sum.fetched, (long long)sum.new_articles, (long long)sum.errors,
            (long long)sum.robots_blocked, (long long)sum.skipped, (long long)sum.identical);

    /* robots.txt first, once; disallowed URLs recorded, never fetched */
    assert_int_equal(tu_httpd_count(srv, NULL, "/robots.txt"), 1);
    size_t n = 0;
    struct tu_httpd_log_entry *log = tu_httpd_log(srv, &n);
    assert_true(n > 0);
    assert_string_equal(log[0].target, "/robots.txt");
    assert_non_null(strstr(log[0].user_agent, "khotin-test/1.0"));
    tu_httpd_log_free(log, n);
    assert_int_equal(tu_httpd_count(srv, NULL, "/private/draft.html"), 0);
    expect_state("/private/draft.html", KT_URL_ROBOTS_BLOCKED, 0);
    assert_true(sum.robots_blocked >= 1);
    /* print and tracking variants are not fetched */
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a1.html?print=1"), 0);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a3.html?utm_source=rss&utm_medium=feed"), 0);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a2.html?utm_source=home&utm_medium=web"), 0);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a1.html"), 1);

    /* discovery: sitemap index, gzipped sitemap, feed, listings with pagination */
    expect_state("/sitemaps/old.xml.gz", KT_URL_DONE, 200);
    expect_state("/news/old1.html", KT_URL_DONE, 200);
    expect_state("/news/a3.html", KT_URL_DONE, 200);
    expect_state("/list/3.html", KT_URL_DONE, 200);
    expect_state("/news/a6.html", KT_URL_DONE, 200);

    /* hazards */
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/flaky.html"), 3);
    expect_state("/news/flaky.html", KT_URL_DONE, 200);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/limited.html"), 2);
    expect_state("/news/limited.html", KT_URL_DONE, 200);
    expect_state("/news/slow.html", KT_URL_DONE, 200);
    expect_state("/chain/1", KT_URL_DONE, 301);
    expect_state("/chain/3", KT_URL_DONE, 301);
    expect_state("/news/a4.html", KT_URL_DONE, 200);
    expect_state("/loop/a", KT_URL_FAILED, 0);
    expect_state("/loop/b", KT_URL_FAILED, 0);
    assert_true(tu_httpd_count(srv, NULL, "/loop/a") <= 2);
    expect_state("/news/missing.html", KT_URL_FAILED, 404);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/missing.html"), 1); /* 4xx not retried */
    expect_state("/news/big.html", KT_URL_FAILED, 200);
    expect_state("/news/bomb.html", KT_URL_FAILED, 200);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_HTTP_4XX], 1);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_REDIRECT_LOOP], 1);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_TOO_BIG], 1);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_DECODE], 1);
    assert_true(sum.retries >= 3);

    /* traps are bounded: endless pagination stops at max_pagination, old calendar days refused */
    assert_int_equal(tu_httpd_count(srv, NULL, "/endless?page=5"), 1);
    assert_int_equal(tu_httpd_count(srv, NULL, "/endless?page=6"), 0);
    size_t cal = 0;
    log = tu_httpd_log(srv, &n);
    for (size_t i = 0; i < n; i++)
        if (strncmp(log[i].target, "/calendar", 9) == 0)
            cal++;
    tu_httpd_log_free(log, n);
    assert_true(cal >= 1 && cal <= 6);

    /* articles with their records */
    static const char *const arts[] = {
        "/news/a1.html",        "/news/a2.html",   "/news/a3.html",   "/news/a4.html",
        "/news/a5.html",        "/news/a6.html",   "/news/old1.html", "/news/flaky.html",
        "/news/limited.html",   "/news/slow.html", "/news/nfd.html",  "/news/win1258.html",
        "/news/nocharset.html", "/news/same.html"};
    struct kt_article a;
    kt_article_init(&a);
    for (size_t i = 0; i < sizeof arts / sizeof *arts; i++) {
        bool found = article(arts[i], &a);
        if (!found)
            fprintf(stderr, "no article for %s\n", arts[i]);
        assert_true(found);
        assert_non_null(a.warc_file);
        assert_true(a.warc_offset >= 0);
    }
    assert_false(article("/news/big.html", &a));
    assert_false(article("/news/bomb.html", &a));
    assert_false(article("/list/1.html", &a));
    assert_false(article("/private/draft.html", &a));
    assert_true(article("/news/nfd.html", &a));
    assert_non_null(strstr(a.title, "Hà Nội")); /* NFC */
    assert_true(article("/news/win1258.html", &a));
    assert_non_null(strstr(a.title, "Hà Nội"));
    assert_true(article("/news/nocharset.html", &a));
    assert_non_null(strstr(a.title, "Sóc Sơn"));
    /* a5 and same.html carry the same bytes: one is flagged as the other's copy */
    struct kt_article b;
    kt_article_init(&b);
    assert_true(article("/news/a5.html", &a));
    assert_true(article("/news/same.html", &b));
    assert_true((a.dup_of != NULL) != (b.dup_of != NULL));
    assert_true(sum.identical >= 1);
    kt_article_free(&a);
    kt_article_free(&b);

    /* the WARC files: every record verifies; what is archived and what is not */
    struct warc_scan s;
    scan_warcs(&s);
    assert_true(s.responses >= 20);
    assert_true(s.requests >= s.responses);
    assert_true(warc_has(&s, 200, "/robots.txt"));
    assert_true(warc_has(&s, 200, "/news/a1.html"));
    assert_true(warc_has(&s, 500, "/news/flaky.html"));
    assert_true(warc_has(&s, 200, "/news/flaky.html"));
    assert_true(warc_has(&s, 429, "/news/limited.html"));
    assert_true(warc_has(&s, 301, "/chain/2"));
    assert_true(warc_has(&s, 404, "/news/missing.html"));
    assert_false(warc_has(&s, 200, "/private/draft.html"));
    assert_false(warc_has(&s, 200, "/news/a1.html?print=1"));
    assert_true(s.revisits_identical >= 1);
    assert_true(s.metadata >= 10);
    assert_true(s.outlinks_seen);
    kt_buf_free(&s.targets);
    kt_buf_free(&lb.text);
}

static void test_second_run_is_incremental(void **state)
{
    (void)state;
    tu_httpd_log_reset(srv);
    site.version = 2; /* the home page changes and links one new article */
    struct kt_crawl_summary sum;
    struct logbuf lb = {0};
    assert_int_equal(crawl_once(0, &sum, &lb), KT_OK);
    fprintf(stderr, "run 2: fetched %lld, articles %lld, 304 %lld, errors %lld\n",
            (long long)sum.fetched, (long long)sum.new_articles, (long long)sum.not_modified,
            (long long)sum.errors);
    /* robots.txt from the 24 h cache; archived articles not fetched again */
    assert_int_equal(tu_httpd_count(srv, NULL, "/robots.txt"), 0);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a1.html"), 0);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/a6.html"), 0);
    /* listings, feeds and sitemaps revisited with validators */
    size_t n = 0;
    struct tu_httpd_log_entry *log = tu_httpd_log(srv, &n);
    bool list_conditional = false, rss_conditional = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(log[i].target, "/list/1.html") == 0)
            list_conditional =
                strcmp(log[i].if_none_match, "\"list-1\"") == 0 && log[i].status == 304;
        if (strcmp(log[i].target, "/rss.xml") == 0)
            rss_conditional = log[i].status == 304;
    }
    tu_httpd_log_free(log, n);
    assert_true(list_conditional);
    assert_true(rss_conditional);
    assert_true(sum.not_modified >= 3);
    /* the changed home page gave the new article */
    assert_int_equal(tu_httpd_count(srv, NULL, "/"), 1);
    assert_int_equal(tu_httpd_count(srv, NULL, "/news/new.html"), 1);
    struct kt_article a;
    kt_article_init(&a);
    assert_true(article("/news/new.html", &a));
    kt_article_free(&a);
    assert_int_equal(sum.new_articles, 1);
    expect_state("/list/1.html", KT_URL_DONE, 304);
    struct warc_scan s;
    scan_warcs(&s);
    assert_true(s.revisits_304 >= 3);
    kt_buf_free(&s.targets);
    kt_buf_free(&lb.text);
}

static void test_politeness_delay_and_crawl_delay(void **state)
{
    (void)state;
    /* a separate host with Crawl-delay 0.3 s and one with only the configured 60 ms */
    struct tu_httpd *s2 = tu_httpd_start();
    assert_non_null(s2);
    struct tu_hazard_site a, b;
    struct tu_hazard_opts oa = {.host = "a.test",
                                .slow_ms = 10,
                                .crawl_delay = "0.3",
                                .big_bytes = 4096,
                                .bomb_bytes = 4096};
    struct tu_hazard_opts ob = {
        .host = "b.test", .slow_ms = 10, .big_bytes = 4096, .bomb_bytes = 4096};
    assert_true(tu_hazard_site_add(s2, &oa, &a));
    assert_true(tu_hazard_site_add(s2, &ob, &b));
    char *d = tu_mkdtemp("polite");
    char ini[2048], pa[128], pb[128];
    snprintf(ini, sizeof ini,
             "[crawl]\nuser_agent = khotin-test/1.0 (+http://example.org/contact)\n"
             "delay_ms = 60\nmax_body = 1M\nretries = 1\n\n"
             "[site a]\nbase_url = %s/\nseed = /list/1.html\n\n"
             "[site b]\nbase_url = %s/\nseed = /list/1.html\n",
             a.base, b.base);
    snprintf(pa, sizeof pa, "a.test:%u:127.0.0.1", tu_httpd_port(s2));
    snprintf(pb, sizeof pb, "b.test:%u:127.0.0.1", tu_httpd_port(s2));
    const char *pins[] = {pa, pb};
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_load_string(ini, strlen(ini), "polite.ini", &cfg, &err), KT_OK);
    struct kt_archive *ar = NULL;
    assert_int_equal(kt_archive_open(d, NULL, &ar, NULL, &err), KT_OK);
    struct kt_crawl_opts o = {
        .config = &cfg, .resolve = pins, .n_resolve = 2, .retry_base_ms = 200, .max_pages = 40};
    struct kt_crawl_summary sum;
    assert_int_equal(kt_crawl_run(&o, ar, NULL, &sum, &err), KT_OK);
    kt_archive_close(ar, NULL);
    kt_site_config_free(&cfg);
    int64_t ga = tu_httpd_min_gap_ms(s2, "a.test"), gb = tu_httpd_min_gap_ms(s2, "b.test");
    fprintf(stderr,
            "min gaps: a.test %lld ms (Crawl-delay 0.3 s), b.test %lld ms (delay 60 ms), "
            "%lld fetched\n",
            (long long)ga, (long long)gb, (long long)sum.fetched);
    assert_true(ga >= 300);
    assert_true(gb >= 60);
    /* both hosts were crawled in the same run, interleaved */
    assert_true(tu_httpd_count(s2, "a.test", "/list/1.html") == 1);
    assert_true(tu_httpd_count(s2, "b.test", "/list/1.html") == 1);
    tu_httpd_stop(s2);
    tu_rmtree(d);
    free(d);
}

static void test_robots_redirect_is_followed_and_unreachable_robots_pauses(void **state)
{
    (void)state;
    struct tu_httpd *s3 = tu_httpd_start();
    assert_non_null(s3);
    /* r.test: robots.txt moved (301) to a file that disallows a1; u.test: robots.txt is a 503 */
    assert_true(tu_httpd_add(s3, &(struct tu_route){.host = "r.test",
                                                    .target = "/robots.txt",
                                                    .status = 301,
                                                    .location = "/moved/robots.txt"}));
    assert_true(
        tu_httpd_add(s3, &(struct tu_route){.host = "r.test",
                                            .target = "/moved/robots.txt",
                                            .content_type = "text/plain",
                                            .body = "User-agent: *\nDisallow: /news/a1.html\n"}));
    assert_true(tu_httpd_add(
        s3, &(struct tu_route){.host = "u.test", .target = "/robots.txt", .status = 503}));
    struct tu_hazard_site r, u;
    struct tu_hazard_opts o = {.slow_ms = 10, .big_bytes = 4096, .bomb_bytes = 4096};
    o.host = "r.test";
    assert_true(tu_hazard_site_add(s3, &o, &r));
    o.host = "u.test";
    assert_true(tu_hazard_site_add(s3, &o, &u));
    char *d = tu_mkdtemp("robots");
    char ini[2048], pr[128], pu[128];
    snprintf(ini, sizeof ini,
             "[crawl]\nuser_agent = khotin-test/1.0 (+http://example.org/contact)\n"
             "delay_ms = 0\nmax_body = 1M\n\n[site r]\nbase_url = %s/\nseed = /list/1.html\n\n"
             "[site u]\nbase_url = %s/\nseed = /list/1.html\n",
             r.base, u.base);
    snprintf(pr, sizeof pr, "r.test:%u:127.0.0.1", tu_httpd_port(s3));
    snprintf(pu, sizeof pu, "u.test:%u:127.0.0.1", tu_httpd_port(s3));
    const char *pins[] = {pr, pu};
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_load_string(ini, strlen(ini), "robots.ini", &cfg, &err), KT_OK);
    struct kt_archive *ar = NULL;
    assert_int_equal(kt_archive_open(d, NULL, &ar, NULL, &err), KT_OK);
    struct kt_crawl_opts co = {.config = &cfg,
                               .resolve = pins,
                               .n_resolve = 2,
                               .robots_retry_ms = 200,
                               .robots_attempts = 2,
                               .retry_base_ms = 200};
    struct kt_crawl_summary sum;
    assert_int_equal(kt_crawl_run(&co, ar, NULL, &sum, &err), KT_OK);
    kt_archive_close(ar, NULL);
    kt_site_config_free(&cfg);
    assert_int_equal(tu_httpd_count(s3, "r.test", "/moved/robots.txt"), 1);
    assert_int_equal(tu_httpd_count(s3, "r.test", "/news/a1.html"), 0);
    assert_true(tu_httpd_count(s3, "r.test", "/news/a2.html") == 1);
    /* 503 robots.txt: retried, then the host is paused; nothing else fetched from it */
    assert_int_equal(tu_httpd_count(s3, "u.test", "/robots.txt"), 2);
    size_t n = 0;
    struct tu_httpd_log_entry *log = tu_httpd_log(s3, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(log[i].host, "u.test") == 0)
            assert_string_equal(log[i].target, "/robots.txt");
    tu_httpd_log_free(log, n);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_ROBOTS], 1);
    tu_httpd_stop(s3);
    tu_rmtree(d);
    free(d);
}

static void test_failing_host_is_paused_and_urls_stay_queued(void **state)
{
    (void)state;
    struct tu_httpd *s4 = tu_httpd_start();
    assert_non_null(s4);
    char sm[8192];
    size_t off = (size_t)snprintf(sm, sizeof sm,
                                  "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/"
                                  "schemas/sitemap/0.9\">");
    for (int i = 0; i < 30; i++)
        off += (size_t)snprintf(sm + off, sizeof sm - off,
                                "<url><loc>http://127.0.0.1:%u/p/%d.html</loc></url>",
                                tu_httpd_port(s4), i);
    snprintf(sm + off, sizeof sm - off, "</urlset>");
    assert_true(tu_httpd_add(
        s4, &(struct tu_route){.target = "/robots.txt", .body = "", .content_type = "text/plain"}));
    assert_true(tu_httpd_add(s4, &(struct tu_route){.target = "/sitemap.xml",
                                                    .body = sm,
                                                    .content_type = "application/xml"}));
    assert_true(
        tu_httpd_add(s4, &(struct tu_route){.target = "/p/*", .status = 500, .body = "down"}));
    char *d = tu_mkdtemp("failing");
    char ini[1024];
    snprintf(ini, sizeof ini,
             "[crawl]\nuser_agent = khotin-test/1.0 (+http://example.org/contact)\n"
             "delay_ms = 0\nretries = 3\n\n[site f]\nbase_url = http://127.0.0.1:%u/\n"
             "sitemap = /sitemap.xml\n",
             tu_httpd_port(s4));
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_load_string(ini, strlen(ini), "f.ini", &cfg, &err), KT_OK);
    struct kt_archive *ar = NULL;
    assert_int_equal(kt_archive_open(d, NULL, &ar, NULL, &err), KT_OK);
    struct kt_crawl_opts co = {.config = &cfg, .host_fail_limit = 6, .retry_base_ms = 200};
    struct kt_crawl_summary sum;
    assert_int_equal(kt_crawl_run(&co, ar, NULL, &sum, &err), KT_OK);
    int64_t counts[KT_URL_STATE_COUNT] = {0};
    assert_int_equal(kt_crawl_counts(kt_archive_state(ar), NULL, counts, &err), KT_OK);
    /* nothing lost: every page is still in a recorded state, to be tried next run */
    for (int i = 0; i < 30; i++) {
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:%u/p/%d.html", tu_httpd_port(s4), i);
        struct kt_url_row row = {0};
        bool found = false;
        assert_int_equal(kt_crawl_get(kt_archive_state(ar), url, &row, &found, &err), KT_OK);
        assert_true(found);
        assert_true(row.state == KT_URL_QUEUED || row.state == KT_URL_FAILED);
        kt_url_row_free(&row);
    }
    kt_archive_close(ar, NULL);
    kt_site_config_free(&cfg);
    size_t n = tu_httpd_log_count(s4);
    fprintf(stderr, "failing host: %zu requests, paused %lld, queued %lld, failed %lld\n", n,
            (long long)sum.errors_by_kind[KT_CRAWL_ERR_HOST_PAUSED],
            (long long)counts[KT_URL_QUEUED], (long long)counts[KT_URL_FAILED]);
    assert_int_equal(sum.errors_by_kind[KT_CRAWL_ERR_HOST_PAUSED], 1);
    assert_true(n < 2 + 10); /* robots, sitemap and a few pages, not 30 x 4 attempts */
    tu_httpd_stop(s4);
    tu_rmtree(d);
    free(d);
}

static void test_retry_after_parsing(void **state)
{
    (void)state;
    assert_int_equal(kt_parse_retry_after("120", 0), 120);
    assert_int_equal(kt_parse_retry_after(" 2 ", 0), 2);
    assert_int_equal(kt_parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40), 60);
    assert_int_equal(kt_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 10), 0);
    assert_int_equal(kt_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30), 30);
    assert_int_equal(kt_parse_retry_after("soon", 0), -1);
    assert_int_equal(kt_parse_retry_after("-5", 0), -1);
    assert_int_equal(kt_parse_retry_after(NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_after_parsing),
        cmocka_unit_test(test_first_run_archives_the_site_and_survives_the_hazards),
        cmocka_unit_test(test_second_run_is_incremental),
        cmocka_unit_test(test_politeness_delay_and_crawl_delay),
        cmocka_unit_test(test_robots_redirect_is_followed_and_unreachable_robots_pauses),
        cmocka_unit_test(test_failing_host_is_paused_and_urls_stay_queued),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
