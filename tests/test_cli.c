/* test_cli.c - the khotin binary's frame: --version, --help, unknown commands and options,
 * per-command -h. Runs the real binary. */
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static int run(const char *a1, const char *a2, const char *a3, struct kt_buf *out,
               struct kt_buf *err)
{
    char *argv[5] = {(char *)tu_khotin_bin(), (char *)a1, (char *)a2, (char *)a3, NULL};
    return tu_run(argv, NULL, 0, out, err);
}

static void test_version_and_help(void **state)
{
    (void)state;
    struct kt_buf out = {0}, err = {0};
    assert_int_equal(run("--version", NULL, NULL, &out, &err), 0);
    assert_true(strncmp(out.data, "khotin ", 7) == 0);
    kt_buf_reset(&out);
    assert_int_equal(run("--help", NULL, NULL, &out, &err), 0);
    assert_non_null(strstr(out.data, "search"));
    assert_non_null(strstr(out.data, "crawl"));
    kt_buf_free(&out);
    kt_buf_free(&err);
}

static void test_usage_errors_exit_2_with_one_line(void **state)
{
    (void)state;
    struct kt_buf out = {0}, err = {0};
    assert_int_equal(run("no-such-command", NULL, NULL, &out, &err), 2);
    assert_non_null(strstr(err.data, "no-such-command"));
    assert_int_equal(out.len, 0);
    kt_buf_reset(&err);
    assert_int_equal(run("--bogus", NULL, NULL, &out, &err), 2);
    assert_non_null(strstr(err.data, "--bogus"));
    kt_buf_reset(&err);
    assert_int_equal(run(NULL, NULL, NULL, &out, &err), 2);
    kt_buf_free(&out);
    kt_buf_free(&err);
}

static void test_every_command_has_help(void **state)
{
    (void)state;
    static const char *const names[] = {"demo",  "crawl",  "run",      "warc",  "extract", "analyze",
                                        "index", "search", "entities", "stats", "eval"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct kt_buf out = {0}, err = {0};
        assert_int_equal(run(names[i], "--help", NULL, &out, &err), 0);
        assert_non_null(strstr(out.data, "usage: khotin"));
        assert_non_null(strstr(out.data, "--quiet"));
        kt_buf_free(&out);
        kt_buf_reset(&err);
        assert_int_equal(run(names[i], "--definitely-not-an-option", NULL, &out, &err), 2);
        assert_non_null(strstr(err.data, "--definitely-not-an-option"));
        assert_null(strchr(err.data, '\n') == err.data + err.len - 1 ? NULL : "two lines");
        kt_buf_free(&out);
        kt_buf_free(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_help),
        cmocka_unit_test(test_usage_errors_exit_2_with_one_line),
        cmocka_unit_test(test_every_command_has_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
