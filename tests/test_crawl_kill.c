/* test_crawl_kill.c - the khotin crawl binary under hostile process conditions, against a
 * generated loopback site: SIGKILL at random moments (the next open repairs the WARC tail and
 * the state stays consistent), SIGTERM (stops within 2 s, nothing torn), a second concurrent
 * run on the same archive (exit 75, one line, nothing touched). */
#define _POSIX_C_SOURCE 200809L
#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "corpus/article_store.h"
#include "crawler/crawler.h"
#include "tests/support/crawl_site.h"
#include "tests/support/httpd.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N_ARTICLES 600

static struct tu_httpd *srv;
/* every answer takes 8 ms: a full crawl lasts a few seconds */
static struct tu_gen_site gen = {.n_articles = N_ARTICLES, .per_page = 30, .delay_ms = 8};
static char seed[128];

static int setup(void **state)
{
    (void)state;
    srv = tu_httpd_start();
    if (!srv)
        return -1;
    if (!tu_gen_site_add(srv, &gen))
        return -1;
    snprintf(seed, sizeof seed, "http://127.0.0.1:%u/", tu_httpd_port(srv));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_httpd_stop(srv);
    return 0;
}

static pid_t spawn_crawl(const char *dir, const char *extra)
{
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execl(tu_khotin_bin(), tu_khotin_bin(), "-q", "crawl", "--seed", seed, "--archive", dir,
              "--delay-ms", "0", "--per-host", "4", "--concurrency", "4", extra, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Every record of every WARC file verifies (reader API and `khotin warc verify`). */
static size_t verify_warcs(const char *dir)
{
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    char **names = NULL;
    size_t n = 0, records = 0;
    assert_int_equal(kt_archive_list_warcs(a, &names, &n, &err), KT_OK);
    char **argv = calloc(n + 4, sizeof *argv);
    assert_non_null(argv);
    argv[0] = (char *)tu_khotin_bin();
    argv[1] = "warc";
    argv[2] = "verify";
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        assert_int_equal(kt_archive_warc_path(a, names[i], path, sizeof path, &err), KT_OK);
        argv[3 + i] = strdup(path);
        struct kt_warc_reader *r = NULL;
        assert_int_equal(kt_warc_reader_open(path, NULL, &r, &err), KT_OK);
        struct kt_warc_record rec = {0};
        bool have = true;
        kt_status st;
        while ((st = kt_warc_reader_next(r, &rec, &have, &err)) == KT_OK && have) {
            char problem[256];
            if (!kt_warc_record_verify(&rec, problem, sizeof problem))
                fail_msg("%s: %s", path, problem);
            records++;
        }
        if (st != KT_OK)
            fail_msg("%s", err.msg);
        kt_warc_record_free(&rec);
        kt_warc_reader_close(r);
    }
    if (n > 0) {
        struct kt_buf out = {0}, eout = {0};
        int rc = tu_run(argv, NULL, 0, &out, &eout);
        if (rc != 0)
            fprintf(stderr, "warc verify: %s%s\n", out.data ? out.data : "",
                    eout.data ? eout.data : "");
        assert_int_equal(rc, 0);
        kt_buf_free(&out);
        kt_buf_free(&eout);
    }
    for (size_t i = 0; i < n; i++)
        free(argv[3 + i]);
    free(argv);
    kt_archive_free_names(names, n);
    kt_archive_close(a, NULL);
    return records;
}

struct check {
    struct kt_archive *a;
    size_t done, bad, fetching;
};

static int check_row(void *ud, const struct kt_url_row *row)
{
    struct check *c = ud;
    if (row->state == KT_URL_FETCHING)
        c->fetching++;
    if (row->state != KT_URL_DONE || !row->warc_file)
        return 0;
    c->done++;
    struct kt_warc_record rec = {0};
    struct kt_err err = {0};
    if (kt_archive_read_record(c->a, row->warc_file, (uint64_t)row->warc_offset, 0, &rec, &err) !=
            KT_OK ||
        (strcmp(rec.type, "response") != 0 && strcmp(rec.type, "revisit") != 0) ||
        !rec.target_uri || strcmp(rec.target_uri, row->url) != 0) {
        fprintf(stderr, "inconsistent: %s -> %s@%lld (%s)\n", row->url, row->warc_file,
                (long long)row->warc_offset, err.msg);
        c->bad++;
    }
    kt_warc_record_free(&rec);
    return 0;
}

/* Every DONE row points at a response/revisit record for its URL. With repair, the archive is
 * opened read-write first, as the next run would (cutting a torn tail). */
static struct check check_state(const char *dir, bool repair)
{
    struct kt_err err = {0};
    if (repair) {
        struct kt_archive *w = NULL;
        struct kt_archive_open_report rep;
        memset(&rep, 0, sizeof rep);
        assert_int_equal(kt_archive_open(dir, NULL, &w, &rep, &err), KT_OK);
        if (rep.repaired)
            fprintf(stderr, "  repaired %s: %s (%llu -> %llu)\n", rep.repaired_file,
                    rep.repair.reason, (unsigned long long)rep.repair.old_size,
                    (unsigned long long)rep.repair.new_size);
        assert_int_equal(kt_archive_close(w, &err), KT_OK);
    }
    struct check c = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &c.a, NULL, &err), KT_OK);
    assert_int_equal(kt_crawl_iter(kt_archive_state(c.a), -1, -1, check_row, &c, &err), KT_OK);
    kt_archive_close(c.a, NULL);
    c.a = NULL;
    return c;
}

static void test_sigkill_at_random_moments_then_resume(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("kill");
    unsigned rnd = (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "kill test seed %u\n", rnd);
    srand(rnd);
    for (int i = 0; i < 5; i++) {
        long wait = 50 + rand() % 751;
        pid_t pid = spawn_crawl(dir, "--max-pages=100000");
        assert_true(pid > 0);
        sleep_ms(wait);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        struct check c = check_state(dir, true);
        size_t records = verify_warcs(dir);
        fprintf(stderr, "  kill %d after %ld ms: %zu DONE rows, %zu WARC records\n", i + 1, wait,
                c.done, records);
        assert_int_equal(c.bad, 0);
        assert_int_equal(c.fetching, 0);
    }
    /* a final run completes the crawl */
    struct kt_buf out = {0}, errout = {0};
    char *argv[] = {(char *)tu_khotin_bin(),
                    "crawl",
                    "--seed",
                    seed,
                    "--archive",
                    dir,
                    "--delay-ms",
                    "0",
                    "--per-host",
                    "4",
                    "--format",
                    "json",
                    NULL};
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    fprintf(stderr, "  final run exit %d: %s", rc, errout.data ? errout.data : "");
    assert_int_equal(rc, 0);
    json_error_t jerr;
    json_t *sum = json_loads(out.data ? out.data : "", 0, &jerr);
    assert_non_null(sum);
    assert_int_equal(json_integer_value(json_object_get(sum, "queued_left")), 0);
    json_decref(sum);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    struct check c = check_state(dir, false);
    verify_warcs(dir);
    assert_int_equal(c.bad, 0);
    assert_int_equal(c.fetching, 0);
    /* every article is archived and stored */
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    struct kt_archive_opts ro = {.read_only = true};
    assert_int_equal(kt_archive_open(dir, &ro, &a, NULL, &err), KT_OK);
    size_t stored = 0;
    for (unsigned i = 1; i <= N_ARTICLES; i++) {
        char url[256], path[128];
        tu_gen_article_path(i, path, sizeof path);
        snprintf(url, sizeof url, "%s%s", seed, path + 1);
        struct kt_url_row row = {0};
        bool found = false;
        assert_int_equal(kt_crawl_get(kt_archive_state(a), url, &row, &found, &err), KT_OK);
        if (!found || row.state != KT_URL_DONE)
            fail_msg("%s: %s", url, found ? kt_url_state_name(row.state) : "unknown");
        kt_url_row_free(&row);
        struct kt_article art;
        kt_article_init(&art);
        assert_int_equal(kt_article_store_get(kt_archive_state(a), url, &art, &found, &err), KT_OK);
        stored += found;
        kt_article_free(&art);
    }
    kt_archive_close(a, NULL);
    fprintf(stderr, "  %zu/%d articles stored\n", stored, N_ARTICLES);
    assert_int_equal(stored, N_ARTICLES);
    tu_rmtree(dir);
    free(dir);
}

static void test_sigterm_stops_within_two_seconds(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("term");
    pid_t pid = spawn_crawl(dir, "--max-pages=100000");
    sleep_ms(600);
    int64_t t0 = kt_now_ms();
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    int64_t took = kt_now_ms() - t0;
    fprintf(stderr, "SIGTERM: exited in %lld ms, status %d\n", (long long)took,
            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    assert_true(took < 2000);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
    /* nothing torn (no repair needed), state consistent, nothing left claimed */
    verify_warcs(dir);
    struct check c = check_state(dir, false);
    assert_true(c.done > 0);
    assert_int_equal(c.bad, 0);
    assert_int_equal(c.fetching, 0);
    tu_rmtree(dir);
    free(dir);
}

static void test_second_concurrent_run_exits_75(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("lock");
    struct kt_archive *a = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_archive_open(dir, NULL, &a, NULL, &err), KT_OK);
    struct kt_buf out = {0}, errout = {0};
    char *argv[] = {(char *)tu_khotin_bin(), "crawl", "--seed", seed, "--archive", dir, NULL};
    size_t before = tu_httpd_log_count(srv);
    int64_t t0 = kt_now_ms();
    int rc = tu_run(argv, NULL, 0, &out, &errout);
    int64_t took = kt_now_ms() - t0;
    fprintf(stderr, "locked: exit %d in %lld ms: %s", rc, (long long)took,
            errout.data ? errout.data : "");
    assert_int_equal(rc, 75);
    assert_true(took < 2000);
    assert_non_null(errout.data);
    assert_non_null(strchr(errout.data, '\n'));
    assert_true(strchr(errout.data, '\n') == errout.data + errout.len - 1); /* one line */
    assert_int_equal(out.len, 0);
    size_t after = tu_httpd_log_count(srv);
    assert_int_equal(after, before); /* no request sent */
    char **names = NULL;
    size_t n = 0;
    assert_int_equal(kt_archive_list_warcs(a, &names, &n, &err), KT_OK);
    assert_int_equal(n, 0); /* touched nothing */
    kt_archive_free_names(names, n);
    kt_archive_close(a, NULL);
    kt_buf_free(&out);
    kt_buf_free(&errout);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_second_concurrent_run_exits_75),
        cmocka_unit_test(test_sigterm_stops_within_two_seconds),
        cmocka_unit_test(test_sigkill_at_random_moments_then_resume),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
