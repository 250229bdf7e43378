/* test_pipeline.c - the whole pipeline through the khotin binary: `khotin demo` on the bundled
 * samples, and `khotin run` (crawl + index) twice against the samples served by the test's own
 * loopback server, then `khotin search` and `khotin warc verify` on what it produced. */
#define _DEFAULT_SOURCE
#include "tests/support/httpd.h"
#include "tests/support/testutil.h"

#include <dirent.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sample_files[] = {
    "/robots.txt",
    "/sitemap.xml",
    "/rss/home.rss",
    "/index.html",
    "/xay-dung-dang/index.html",
    "/chinh-quyen/index.html",
    "/xay-dung-dang/dong-anh-hoan-thanh-dai-hoi-chi-bo-truc-thuoc-1001.html",
    "/chinh-quyen/thuong-tin-giai-ngan-von-dau-tu-cong-1002.html",
    "/xay-dung-dang/ba-vi-hoi-nghi-ban-chap-hanh-dang-bo-1003.html",
    "/chinh-quyen/soc-son-hoa-giai-o-co-so-1004.html",
    "/xay-dung-dang/me-linh-hoc-tap-lam-theo-tu-tuong-dao-duc-1005.html",
    "/chinh-quyen/phuc-tho-thu-nhap-nong-dan-tang-1006.html",
};

/* Reads a sample file with "http://tinthudo.test" replaced by base. */
static char *load_sample(const char *rel, const char *base, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/samples/site%s", tu_source_dir(), rel);
    struct kt_buf raw = {0}, out = {0};
    struct kt_err err = {0};
    assert_int_equal(kt_read_file(path, 0, &raw, &err), KT_OK);
    assert_int_equal(kt_buf_append_replacing(&out, raw.data, raw.len, "http://tinthudo.test", base),
                     KT_OK);
    kt_buf_free(&raw);
    *len = out.len;
    return kt_buf_detach(&out);
}

static struct tu_httpd *serve_samples(char ***bodies)
{
    struct tu_httpd *srv = tu_httpd_start();
    assert_non_null(srv);
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%u", tu_httpd_port(srv));
    size_t n = sizeof sample_files / sizeof sample_files[0];
    *bodies = calloc(n, sizeof **bodies);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        (*bodies)[i] = load_sample(sample_files[i], base, &len);
        const char *rel = sample_files[i];
        char target[256];
        snprintf(target, sizeof target, "%s", rel);
        char *idx = strstr(target, "index.html");
        if (idx)
            *idx = '\0';
        const char *type = strstr(rel, ".txt")   ? "text/plain"
                           : strstr(rel, ".xml") ? "application/xml"
                           : strstr(rel, ".rss") ? "application/rss+xml"
                                                 : NULL;
        char etag[32];
        snprintf(etag, sizeof etag, "\"s%zu\"", i);
        assert_true(tu_httpd_add(srv, &(struct tu_route){.target = target,
                                                         .body = (*bodies)[i],
                                                         .body_len = len,
                                                         .content_type = type,
                                                         .etag = etag}));
    }
    assert_true(
        tu_httpd_add(srv, &(struct tu_route){.target = "*", .status = 404, .body = "<p>404</p>"}));
    return srv;
}

static int run_khotin(char *const *args, struct kt_buf *out, struct kt_buf *err)
{
    char *argv[32];
    size_t n = 0;
    argv[n++] = (char *)tu_khotin_bin();
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return tu_run(argv, NULL, 0, out, err);
}

static void test_run_crawls_indexes_and_is_incremental(void **state)
{
    (void)state;
    char **bodies = NULL;
    struct tu_httpd *srv = serve_samples(&bodies);
    char *dir = tu_mkdtemp("pipeline");
    char archive[512], db[512], seed[128];
    snprintf(archive, sizeof archive, "%s/archive", dir);
    snprintf(db, sizeof db, "%s/index", dir);
    snprintf(seed, sizeof seed, "http://127.0.0.1:%u/", tu_httpd_port(srv));

    struct kt_buf out = {0}, err = {0};
    char *run_args[] = {"run",  "--seed", seed,         "--archive", archive,
                        "--db", db,       "--delay-ms", "0",         NULL};
    int rc = run_khotin(run_args, &out, &err);
    if (rc != 0)
        fprintf(stderr, "%s", err.data);
    assert_int_equal(rc, 0);
    /* the robots-disallowed search page is never fetched */
    assert_int_equal(tu_httpd_count(srv, NULL, "/tim-kiem.html?q="), 0);

    kt_buf_reset(&out);
    kt_buf_reset(&err);
    char *search_args[] = {"search", "--db",     db,           "--format",
                           "json",   "--facets", "thuong tin", NULL};
    assert_int_equal(run_khotin(search_args, &out, &err), 0);
    json_error_t jerr;
    json_t *res = json_loadb(out.data, out.len, 0, &jerr);
    assert_non_null(res);
    json_t *hits = json_object_get(res, "results");
    assert_true(json_array_size(hits) >= 1);
    const char *url = json_string_value(json_object_get(json_array_get(hits, 0), "url"));
    assert_non_null(url);
    assert_non_null(strstr(url, "thuong-tin-giai-ngan-von-dau-tu-cong-1002.html"));
    /* place facets count each unit once, with its level ("huyện Thường Tín", not also
     * "Thường Tín") */
    json_t *places = json_object_get(json_object_get(res, "facets"), "place");
    assert_true(json_array_size(places) >= 1);
    static const char *const levels[] = {"xã ",     "huyện ",     "thành phố ", "thị trấn ",
                                         "phường ", "quận ",      "tỉnh ",      "thị xã ",
                                         "thôn ",   "tổ dân phố "};
    bool thuong_tin = false;
    for (size_t i = 0; i < json_array_size(places); i++) {
        const char *v = json_string_value(json_object_get(json_array_get(places, i), "value"));
        assert_non_null(v);
        bool has_level = false;
        for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++)
            has_level |= strncmp(v, levels[k], strlen(levels[k])) == 0;
        assert_true(has_level);
        thuong_tin |= strcmp(v, "huyện Thường Tín") == 0;
    }
    assert_true(thuong_tin);
    json_decref(res);

    /* every WARC file written verifies */
    char warc_dir[600];
    snprintf(warc_dir, sizeof warc_dir, "%s/warc", archive);
    DIR *d = opendir(warc_dir);
    assert_non_null(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", warc_dir, e->d_name);
        char *verify_args[] = {"warc", "verify", path, NULL};
        kt_buf_reset(&err);
        assert_int_equal(run_khotin(verify_args, NULL, &err), 0);
        files++;
    }
    closedir(d);
    assert_true(files >= 1);

    /* a second run downloads no article again and indexes nothing new */
    tu_httpd_log_reset(srv);
    kt_buf_reset(&err);
    rc = run_khotin(run_args, NULL, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(err.data, "nothing new"));
    assert_int_equal(
        tu_httpd_count(srv, NULL, "/chinh-quyen/thuong-tin-giai-ngan-von-dau-tu-cong-1002.html"),
        0);

    kt_buf_free(&out);
    kt_buf_free(&err);
    tu_httpd_stop(srv);
    for (size_t i = 0; i < sizeof sample_files / sizeof sample_files[0]; i++)
        free(bodies[i]);
    free(bodies);
    tu_rmtree(dir);
    free(dir);
}

static void test_run_needs_db_and_archive(void **state)
{
    (void)state;
    struct kt_buf err = {0};
    char *no_db[] = {"run", "--seed", "http://127.0.0.1:9/", "--archive", "/tmp/x", NULL};
    assert_int_equal(run_khotin(no_db, NULL, &err), 2);
    assert_non_null(strstr(err.data, "--db"));
    kt_buf_reset(&err);
    char *no_archive[] = {"run", "--seed", "http://127.0.0.1:9/", "--db", "/tmp/x", NULL};
    assert_int_equal(run_khotin(no_archive, NULL, &err), 2);
    assert_non_null(strstr(err.data, "--archive"));
    kt_buf_free(&err);
}

static void test_demo_runs_the_whole_pipeline(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("demo");
    struct kt_buf out = {0}, err = {0};
    char *args[] = {"demo", "--keep", dir, NULL};
    int rc = run_khotin(args, &out, &err);
    if (rc != 0)
        fprintf(stderr, "%s", err.data);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out.data, "== 1. Crawl"));
    assert_non_null(strstr(out.data, "== 2. Index: 6 articles added"));
    /* the unaccented query finds the Thường Tín article first */
    const char *q = strstr(out.data, "'thuong tin'");
    assert_non_null(q);
    const char *first = strstr(q, "1. ");
    assert_non_null(first);
    assert_true(strncmp(first + 3, "Thường Tín", strlen("Thường Tín")) == 0);
    assert_non_null(strstr(out.data, "Chủ tịch UBND huyện Thường Tín"));
    kt_buf_free(&out);
    kt_buf_free(&err);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_needs_db_and_archive),
        cmocka_unit_test(test_run_crawls_indexes_and_is_incremental),
        cmocka_unit_test(test_demo_runs_the_whole_pipeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
