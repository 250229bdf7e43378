/* test_crawl_state.c - the SQLite crawl state: adding URLs, claims (per host), the state
 * transitions and retry scheduling, validators kept across 304s, digest lookups, requeues,
 * stale FETCHING rows, runs, and 100,000 URLs. */
#define _GNU_SOURCE
#include "corpus/corpus.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    char *dir;
    char *path;
    struct kt_crawl_state *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = tu_mkdtemp("state");
    assert_true(asprintf(&f->path, "%s/state.sqlite", f->dir) > 0);
    struct kt_err err = {0};
    assert_int_equal(kt_crawl_state_open(f->path, false, &f->st, &err), KT_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    kt_crawl_state_close(f->st);
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

static void add(struct kt_crawl_state *st, const char *url, const char *host, enum kt_url_kind kind,
                int depth, bool expect_new)
{
    struct kt_url_new u = {
        .url = url, .host = host, .kind = kind, .depth = depth, .parent = "http://a.test/"};
    bool added = !expect_new;
    struct kt_err err = {0};
    assert_int_equal(kt_crawl_add_url(st, &u, &added, &err), KT_OK);
    assert_int_equal(added, expect_new);
}

static struct kt_url_row get(struct kt_crawl_state *st, const char *url)
{
    struct kt_url_row row = {0};
    bool found = false;
    struct kt_err err = {0};
    assert_int_equal(kt_crawl_get(st, url, &row, &found, &err), KT_OK);
    assert_true(found);
    return row;
}

static void test_add_claim_done(void **state)
{
    struct fixture *f = *state;
    struct kt_err err = {0};
    add(f->st, "http://a.test/", "a.test", KT_URL_SEED, 0, true);
    add(f->st, "http://a.test/", "a.test", KT_URL_SEED, 0, false);
    add(f->st, "http://a.test/x", "a.test", KT_URL_ARTICLE, 1, true);
    add(f->st, "http://b.test/y", "b.test", KT_URL_LISTING, 1, true);

    struct kt_url_row rows[8] = {0};
    size_t n = 0;
    struct kt_claim_opts o = {.now = 1000, .max = 8};
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].url, "http://a.test/"); /* depth 0 first */
    assert_int_equal(rows[0].state, KT_URL_FETCHING);
    assert_int_equal(rows[0].attempts, 1);
    assert_int_equal(rows[0].kind, KT_URL_SEED);
    assert_string_equal(rows[1].parent, "http://a.test/");
    /* nothing left to claim */
    assert_int_equal(kt_crawl_claim(f->st, &o, rows + 3, &n, &err), KT_OK);
    assert_int_equal(n, 0);

    struct kt_fetch_outcome out = {.http_status = 200,
                                   .etag = "\"e1\"",
                                   .last_modified = "Tue, 01 Dec 2026 10:00:00 GMT",
                                   .content_type = "text/html",
                                   .payload_digest = "sha1:AAAA",
                                   .warc_file = "f1.warc.gz",
                                   .warc_offset = 1234,
                                   .warc_record_id = "<urn:uuid:1>",
                                   .warc_date = "2026-12-01T10:00:00.000000Z",
                                   .fetched_at = 1001};
    assert_int_equal(kt_crawl_mark_done(f->st, "http://a.test/x", &out, &err), KT_OK);
    struct kt_url_row r = get(f->st, "http://a.test/x");
    assert_int_equal(r.state, KT_URL_DONE);
    assert_string_equal(r.etag, "\"e1\"");
    assert_string_equal(r.warc_file, "f1.warc.gz");
    assert_int_equal(r.warc_offset, 1234);
    assert_int_equal(r.fetched_at, 1001);
    assert_int_equal(r.http_status, 200);
    kt_url_row_free(&r);

    /* a 304 later keeps validators and the location of the full response */
    struct kt_fetch_outcome nm = {.http_status = 304,
                                  .warc_file = "f2.warc.gz",
                                  .warc_offset = 99,
                                  .warc_record_id = "<urn:uuid:2>",
                                  .warc_date = "2026-12-02T10:00:00.000000Z",
                                  .warc_is_revisit = true,
                                  .fetched_at = 2000};
    assert_int_equal(kt_crawl_mark_done(f->st, "http://a.test/x", &nm, &err), KT_OK);
    r = get(f->st, "http://a.test/x");
    assert_int_equal(r.http_status, 304);
    assert_string_equal(r.etag, "\"e1\"");
    assert_string_equal(r.last_modified, "Tue, 01 Dec 2026 10:00:00 GMT");
    assert_string_equal(r.payload_digest, "sha1:AAAA");
    assert_string_equal(r.warc_file, "f1.warc.gz");
    assert_int_equal(r.warc_offset, 1234);
    assert_int_equal(r.fetched_at, 2000);
    kt_url_row_free(&r);

    /* identical-payload lookups find the full response, not revisits, and can exclude */
    struct kt_url_row d = {0};
    bool found = false;
    assert_int_equal(kt_crawl_find_digest(f->st, "sha1:AAAA", NULL, &d, &found, &err), KT_OK);
    assert_true(found);
    assert_string_equal(d.url, "http://a.test/x");
    assert_string_equal(d.warc_record_id, "<urn:uuid:1>");
    assert_string_equal(d.warc_date, "2026-12-01T10:00:00.000000Z");
    assert_int_equal(kt_crawl_find_digest(f->st, "sha1:AAAA", "http://a.test/x", &d, &found, &err),
                     KT_OK);
    assert_false(found);
    assert_int_equal(kt_crawl_find_digest(f->st, "sha1:BBBB", NULL, &d, &found, &err), KT_OK);
    assert_false(found);
    kt_url_row_free(&d);

    /* unknown URLs are reported */
    assert_int_equal(kt_crawl_mark_done(f->st, "http://nope.test/", &out, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "http://nope.test/"));
    for (size_t i = 0; i < 8; i++)
        kt_url_row_free(&rows[i]);
}

static void test_retry_schedule_and_final_states(void **state)
{
    struct fixture *f = *state;
    struct kt_err err = {0};
    add(f->st, "http://a.test/500", "a.test", KT_URL_ARTICLE, 1, true);
    add(f->st, "http://a.test/404", "a.test", KT_URL_ARTICLE, 1, true);
    add(f->st, "http://a.test/private", "a.test", KT_URL_ARTICLE, 1, true);
    add(f->st, "http://a.test/calendar", "a.test", KT_URL_LISTING, 9, true);
    struct kt_url_row rows[4] = {0};
    size_t n;
    struct kt_claim_opts o = {.now = 100, .max = 4};
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 4);
    assert_int_equal(
        kt_crawl_mark_failed(f->st, "http://a.test/500", 500, "http", "HTTP 500", 160, &err),
        KT_OK);
    assert_int_equal(
        kt_crawl_mark_failed(f->st, "http://a.test/404", 404, "http", "HTTP 404", 0, &err), KT_OK);
    assert_int_equal(kt_crawl_mark_robots_blocked(f->st, "http://a.test/private", &err), KT_OK);
    assert_int_equal(kt_crawl_mark_skipped(f->st, "http://a.test/calendar", "trap", &err), KT_OK);

    int64_t counts[KT_URL_STATE_COUNT];
    assert_int_equal(kt_crawl_counts(f->st, NULL, counts, &err), KT_OK);
    assert_int_equal(counts[KT_URL_FAILED], 2);
    assert_int_equal(counts[KT_URL_ROBOTS_BLOCKED], 1);
    assert_int_equal(counts[KT_URL_SKIPPED], 1);
    assert_int_equal(counts[KT_URL_QUEUED], 0);

    int64_t when = 0;
    bool have = false;
    assert_int_equal(kt_crawl_next_due(f->st, &when, &have, &err), KT_OK);
    assert_true(have);
    assert_int_equal(when, 160);

    /* before the retry time: nothing; after: the 500 comes back, the 404 never */
    o.now = 159;
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 0);
    struct kt_url_row r = get(f->st, "http://a.test/500");
    assert_int_equal(r.state, KT_URL_FAILED);
    assert_int_equal(r.next_attempt_at, 160);
    assert_string_equal(r.error_kind, "http");
    kt_url_row_free(&r);
    o.now = 160;
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].url, "http://a.test/500");
    assert_int_equal(rows[0].attempts, 2);
    assert_int_equal(rows[0].state, KT_URL_FETCHING);
    struct kt_fetch_outcome ok = {.http_status = 200};
    assert_int_equal(kt_crawl_mark_done(f->st, "http://a.test/500", &ok, &err), KT_OK);
    r = get(f->st, "http://a.test/500");
    assert_int_equal(r.state, KT_URL_DONE);
    assert_null(r.error_kind); /* cleared */
    assert_null(r.warc_file);
    assert_int_equal(r.warc_offset, -1);
    kt_url_row_free(&r);
    assert_int_equal(kt_crawl_next_due(f->st, &when, &have, &err), KT_OK);
    assert_false(have);

    r = get(f->st, "http://a.test/calendar");
    assert_int_equal(r.state, KT_URL_SKIPPED);
    assert_string_equal(r.error_msg, "trap");
    kt_url_row_free(&r);

    /* listings come back for the next run; final failures only when asked */
    size_t moved = 0;
    assert_int_equal(
        kt_crawl_requeue_kinds(f->st, 1u << KT_URL_ARTICLE, NULL, false, 500, &moved, &err), KT_OK);
    assert_int_equal(moved, 1); /* the DONE /500 */
    assert_int_equal(
        kt_crawl_requeue_kinds(f->st, 1u << KT_URL_ARTICLE, "a.test", true, 500, &moved, &err),
        KT_OK);
    assert_int_equal(moved, 1); /* the final 404 */
    assert_int_equal(kt_crawl_counts(f->st, "a.test", counts, &err), KT_OK);
    assert_int_equal(counts[KT_URL_QUEUED], 2);
    assert_int_equal(counts[KT_URL_ROBOTS_BLOCKED], 1);
    assert_int_equal(kt_crawl_requeue(f->st, "http://a.test/private", 0, &err), KT_OK);
    assert_int_equal(kt_crawl_requeue(f->st, "http://zzz.test/", 0, &err), KT_ENOTFOUND);
    for (size_t i = 0; i < 4; i++)
        kt_url_row_free(&rows[i]);
}

static void test_claim_per_host_and_due_times(void **state)
{
    struct fixture *f = *state;
    struct kt_err err = {0};
    char url[64];
    for (int i = 0; i < 10; i++) {
        snprintf(url, sizeof url, "http://a.test/%d", i);
        add(f->st, url, "a.test", KT_URL_ARTICLE, 1, true);
        snprintf(url, sizeof url, "http://b.test/%d", i);
        add(f->st, url, "b.test", KT_URL_ARTICLE, 1, true);
    }
    struct kt_url_new later = {
        .url = "http://c.test/later", .host = "c.test", .kind = KT_URL_FEED, .not_before = 5000};
    assert_int_equal(kt_crawl_add_url(f->st, &later, NULL, &err), KT_OK);

    struct kt_url_row rows[10] = {0};
    size_t n;
    struct kt_claim_opts o = {.now = 100, .max = 10, .max_per_host = 2};
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 4);
    int a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        a += strcmp(rows[i].host, "a.test") == 0;
        b += strcmp(rows[i].host, "b.test") == 0;
    }
    assert_int_equal(a, 2);
    assert_int_equal(b, 2);
    struct kt_claim_opts oh = {.now = 100, .max = 3, .host = "b.test"};
    assert_int_equal(kt_crawl_claim(f->st, &oh, rows, &n, &err), KT_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rows[i].host, "b.test");
    /* the c.test feed is not due before 5000 */
    struct kt_claim_opts oc = {.now = 4999, .max = 10, .host = "c.test"};
    assert_int_equal(kt_crawl_claim(f->st, &oc, rows, &n, &err), KT_OK);
    assert_int_equal(n, 0);
    oc.now = 5000;
    assert_int_equal(kt_crawl_claim(f->st, &oc, rows, &n, &err), KT_OK);
    assert_int_equal(n, 1);

    /* a killed run leaves FETCHING rows; reset puts them back */
    size_t reset = 0;
    assert_int_equal(kt_crawl_reset_fetching(f->st, &reset, &err), KT_OK);
    assert_int_equal(reset, 8);
    int64_t counts[KT_URL_STATE_COUNT];
    assert_int_equal(kt_crawl_counts(f->st, NULL, counts, &err), KT_OK);
    assert_int_equal(counts[KT_URL_QUEUED], 21);
    assert_int_equal(counts[KT_URL_FETCHING], 0);
    for (size_t i = 0; i < 10; i++)
        kt_url_row_free(&rows[i]);
}

static int count_cb(void *ud, const struct kt_url_row *row)
{
    size_t *n = ud;
    assert_non_null(row->url);
    (*n)++;
    return 0;
}

static void test_transactions_iterate_and_reopen(void **state)
{
    struct fixture *f = *state;
    struct kt_err err = {0};
    assert_int_equal(kt_crawl_begin(f->st, &err), KT_OK);
    assert_int_equal(kt_crawl_begin(f->st, &err), KT_EINVAL);
    add(f->st, "http://a.test/1", "a.test", KT_URL_ARTICLE, 1, true);
    assert_int_equal(kt_crawl_rollback(f->st, &err), KT_OK);
    struct kt_url_row row = {0};
    bool found = true;
    assert_int_equal(kt_crawl_get(f->st, "http://a.test/1", &row, &found, &err), KT_OK);
    assert_false(found);
    assert_int_equal(kt_crawl_begin(f->st, &err), KT_OK);
    add(f->st, "http://a.test/1", "a.test", KT_URL_ARTICLE, 1, true);
    add(f->st, "http://a.test/2", "a.test", KT_URL_LISTING, 1, true);
    /* claims work inside a caller's transaction too */
    struct kt_url_row rows[1] = {0};
    size_t n;
    struct kt_claim_opts o = {.now = 1, .max = 1};
    assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
    assert_int_equal(n, 1);
    kt_url_row_free(&rows[0]);
    assert_int_equal(kt_crawl_commit(f->st, &err), KT_OK);

    int64_t run = 0;
    assert_int_equal(kt_crawl_run_begin(f->st, "unit", &run, &err), KT_OK);
    struct kt_run_counters c = {.fetched = 3, .errors = 1, .errors_json = "{\"http\":1}"};
    assert_int_equal(kt_crawl_run_finish(f->st, run, &c, &err), KT_OK);
    assert_int_equal(kt_crawl_run_finish(f->st, run + 100, &c, &err), KT_ENOTFOUND);

    /* reopen, also read-only, sees the data */
    kt_crawl_state_close(f->st);
    assert_int_equal(kt_crawl_state_open(f->path, true, &f->st, &err), KT_OK);
    size_t count = 0;
    assert_int_equal(kt_crawl_iter(f->st, -1, -1, count_cb, &count, &err), KT_OK);
    assert_int_equal(count, 2);
    count = 0;
    assert_int_equal(kt_crawl_iter(f->st, KT_URL_FETCHING, -1, count_cb, &count, &err), KT_OK);
    assert_int_equal(count, 1);
    count = 0;
    assert_int_equal(kt_crawl_iter(f->st, -1, KT_URL_LISTING, count_cb, &count, &err), KT_OK);
    assert_int_equal(count, 1);
    /* writes fail on a read-only handle, with a message */
    struct kt_url_new u = {.url = "http://a.test/3", .host = "a.test"};
    assert_int_not_equal(kt_crawl_add_url(f->st, &u, NULL, &err), KT_OK);
    assert_non_null(strstr(err.msg, f->path));
    kt_crawl_state_close(f->st);
    assert_int_equal(kt_crawl_state_open(f->path, false, &f->st, &err), KT_OK);
    kt_url_row_free(&row);
}

static void test_names_and_foreign_files(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(kt_url_kind_name(KT_URL_SITEMAP), "sitemap");
    assert_string_equal(kt_url_state_name(KT_URL_ROBOTS_BLOCKED), "ROBOTS_BLOCKED");
    assert_int_equal(kt_url_kind_parse("Feed"), KT_URL_FEED);
    assert_int_equal(kt_url_kind_parse("nonsense"), -1);
    struct kt_err err = {0};
    char *junk = NULL;
    assert_true(asprintf(&junk, "%s/junk.sqlite", f->dir) > 0);
    assert_true(tu_write_file(junk, "this is not a database at all, not even close......", 52));
    struct kt_crawl_state *st = NULL;
    assert_int_equal(kt_crawl_state_open(junk, false, &st, &err), KT_ECORRUPT);
    assert_non_null(strstr(err.msg, junk));
    char *missing = NULL;
    assert_true(asprintf(&missing, "%s/missing.sqlite", f->dir) > 0);
    assert_int_equal(kt_crawl_state_open(missing, true, &st, &err), KT_ENOTFOUND);
    struct kt_url_new u = {.url = NULL, .host = "x"};
    assert_int_equal(kt_crawl_add_url(f->st, &u, NULL, &err), KT_EINVAL);
    free(junk);
    free(missing);
}

static void test_hundred_thousand_urls(void **state)
{
    struct fixture *f = *state;
    struct kt_err err = {0};
    char url[96], host[32];
    assert_int_equal(kt_crawl_begin(f->st, &err), KT_OK);
    for (int i = 0; i < 100000; i++) {
        snprintf(host, sizeof host, "h%d.test", i % 50);
        snprintf(url, sizeof url, "http://%s/article/%d.html", host, i);
        struct kt_url_new u = {.url = url, .host = host, .kind = KT_URL_ARTICLE, .depth = i % 5};
        bool added = false;
        assert_int_equal(kt_crawl_add_url(f->st, &u, &added, &err), KT_OK);
        assert_true(added);
    }
    assert_int_equal(kt_crawl_commit(f->st, &err), KT_OK);
    int64_t counts[KT_URL_STATE_COUNT];
    assert_int_equal(kt_crawl_counts(f->st, NULL, counts, &err), KT_OK);
    assert_int_equal(counts[KT_URL_QUEUED], 100000);
    /* claims stay cheap with a big frontier: 200 batches */
    struct kt_url_row rows[16] = {0};
    size_t total = 0;
    for (int b = 0; b < 200; b++) {
        size_t n = 0;
        struct kt_claim_opts o = {.now = 10, .max = 16, .max_per_host = 4};
        assert_int_equal(kt_crawl_claim(f->st, &o, rows, &n, &err), KT_OK);
        assert_int_equal(n, 16);
        assert_int_equal(rows[0].depth, 0); /* breadth first */
        total += n;
    }
    assert_int_equal(total, 3200);
    /* lookups of a known URL */
    struct kt_url_row r = get(f->st, "http://h7.test/article/99957.html");
    assert_int_equal(r.depth, 99957 % 5);
    kt_url_row_free(&r);
    for (size_t i = 0; i < 16; i++)
        kt_url_row_free(&rows[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_claim_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retry_schedule_and_final_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_per_host_and_due_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions_iterate_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_and_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hundred_thousand_urls, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
