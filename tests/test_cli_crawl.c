/* test_cli_crawl.c - `khotin crawl` argument and configuration errors: exit codes and one-line
 * messages naming the input, nothing created on failure; a small real crawl with --seed. */
#define _POSIX_C_SOURCE 200809L
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
#include <sys/stat.h>

static int crawl(char **args, struct kt_buf *out, struct kt_buf *err)
{
    char *argv[24] = {(char *)tu_khotin_bin(), "crawl"};
    int n = 2;
    for (int i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    kt_buf_reset(out);
    kt_buf_reset(err);
    return tu_run(argv, NULL, 0, out, err);
}

static bool one_line(const struct kt_buf *b)
{
    return b->len > 0 && strchr(b->data, '\n') == b->data + b->len - 1;
}

static void test_usage_and_config_errors(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("clicrawl");
    char archive[512], bad[512];
    snprintf(archive, sizeof archive, "%s/archive", dir);
    snprintf(bad, sizeof bad, "%s/bad.ini", dir);
    struct kt_buf out = {0}, err = {0};
    struct {
        char *args[8];
        int code;
        const char *needle;
    } cases[] = {
        {{"--seed", "http://127.0.0.1:9/", NULL}, 2, "--archive"},
        {{"--archive", archive, NULL}, 2, "--seed"},
        {{"--archive", archive, "--seed", "ftp://x/", NULL}, 2, "ftp://x/"},
        {{"--archive", archive, "--seed", "http://h/", "--delay-ms", "-5", NULL}, 2, "range"},
        {{"--archive", archive, "--seed", "http://h/", "--resolve", "h:x:1", NULL}, 2, "h:x:1"},
        {{"--archive", archive, "--config", bad, NULL}, 78, "bad.ini:3"},
        {{"--archive", archive, "--config", "/nonexistent/x.ini", NULL}, 66, "x.ini"},
    };
    assert_true(tu_write_file(bad, "[crawl]\ndelay_ms = 5\nbogus_key = 1\n", 33));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = crawl(cases[i].args, &out, &err);
        if (rc != cases[i].code || !strstr(err.data ? err.data : "", cases[i].needle))
            fprintf(stderr, "case %zu: exit %d: %s", i, rc, err.data ? err.data : "");
        assert_int_equal(rc, cases[i].code);
        assert_non_null(strstr(err.data, cases[i].needle));
        assert_true(one_line(&err));
        assert_int_equal(out.len, 0);
    }
    struct stat st;
    /* the failures before the archive is opened leave nothing behind */
    assert_int_not_equal(stat(archive, &st), 0);
    kt_buf_free(&out);
    kt_buf_free(&err);
    tu_rmtree(dir);
    free(dir);
}

static void test_seed_crawl_prints_a_summary(void **state)
{
    (void)state;
    struct tu_httpd *srv = tu_httpd_start();
    assert_non_null(srv);
    struct tu_gen_site gen = {.n_articles = 20, .per_page = 10};
    assert_true(tu_gen_site_add(srv, &gen));
    char *dir = tu_mkdtemp("clicrawl");
    char seed[96];
    snprintf(seed, sizeof seed, "http://127.0.0.1:%u/", tu_httpd_port(srv));
    struct kt_buf out = {0}, err = {0};
    char *args[] = {"--seed", seed, "--archive", dir, "--delay-ms", "20", "--format", "json", NULL};
    int rc = crawl(args, &out, &err);
    fprintf(stderr, "%s%s", err.data ? err.data : "", out.data ? out.data : "");
    assert_int_equal(rc, 0); /* the missing /sitemap.xml is noted, not an error */
    assert_non_null(strstr(err.data, "done in"));
    assert_non_null(strstr(err.data, "20 new articles"));
    assert_non_null(strstr(err.data, "sitemap.xml: HTTP 404 (no such sitemap)"));
    assert_non_null(strstr(out.data, "\"new_articles\":20"));
    /* a second run: nothing new, articles not fetched again */
    tu_httpd_log_reset(srv);
    rc = crawl(args, &out, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out.data, "\"new_articles\":0"));
    char path[128];
    tu_gen_article_path(1, path, sizeof path);
    assert_int_equal(tu_httpd_count(srv, NULL, path), 0);
    kt_buf_free(&out);
    kt_buf_free(&err);
    tu_httpd_stop(srv);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage_and_config_errors),
        cmocka_unit_test(test_seed_crawl_prints_a_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
