/* test_common.c - kt_status text and exit codes, kt_err, kt_buf and the file helpers. */
#include "common/kt_common.h"
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

static void test_status_text_and_exit_codes(void **state)
{
    (void)state;
    for (int s = 0; s < KT_STATUS_LAST; s++)
        assert_non_null(kt_status_str((kt_status)s));
    assert_string_equal(kt_status_str((kt_status)999), "unknown status");
    assert_int_equal(kt_status_exit_code(KT_OK), 0);
    assert_int_equal(kt_status_exit_code(KT_EPARSE), 65);
    assert_int_equal(kt_status_exit_code(KT_EQUERY), 65);
    assert_int_equal(kt_status_exit_code(KT_ENOTFOUND), 66);
    assert_int_equal(kt_status_exit_code(KT_EIO), 74);
    assert_int_equal(kt_status_exit_code(KT_ELOCKED), 75);
    assert_int_equal(kt_status_exit_code(KT_ECONFIG), 78);
    assert_int_equal(kt_status_exit_code(KT_EINVAL), 2);
    assert_int_equal(kt_status_exit_code(KT_EHTTP), 1);
}

static void test_err_set_prefix_and_truncation(void **state)
{
    (void)state;
    struct kt_err err = {0};
    assert_int_equal(kt_err_set(&err, KT_EIO, "%s: %s", "a.warc", "disk full"), KT_EIO);
    assert_int_equal(err.code, KT_EIO);
    assert_string_equal(err.msg, "a.warc: disk full");
    assert_int_equal(kt_err_prefix(&err, "crawl %s", "hanoimoi"), KT_EIO);
    assert_string_equal(err.msg, "crawl hanoimoi: a.warc: disk full");
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    kt_err_set(&err, KT_EPARSE, "%s", big);
    assert_int_equal(strlen(err.msg), KT_ERR_SIZE - 1);
    assert_int_equal(kt_err_set(NULL, KT_ENOMEM, "ignored"), KT_ENOMEM);
    kt_err_clear(&err);
    assert_int_equal(err.code, KT_OK);
    assert_string_equal(err.msg, "");
}

static void test_buf_grows_and_detaches(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    for (int i = 0; i < 10000; i++)
        assert_int_equal(kt_buf_append(&b, "ab", 2), KT_OK);
    assert_int_equal(b.len, 20000);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(kt_buf_printf(&b, "%d-%s", 42, "xyz"), KT_OK);
    assert_memory_equal(b.data + 20000, "42-xyz", 7);
    assert_int_equal(kt_buf_append(&b, "\0z", 2), KT_OK);
    assert_int_equal(b.len, 20008);
    kt_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    kt_buf_append_cstr(&b, "tin");
    char *s = kt_buf_detach(&b);
    assert_string_equal(s, "tin");
    assert_null(b.data);
    free(s);
    s = kt_buf_detach(&b);
    assert_string_equal(s, "");
    free(s);
    kt_buf_free(NULL);
    assert_int_equal(kt_buf_reserve(&b, SIZE_MAX), KT_ENOMEM);
    kt_buf_free(&b);
    const char src[] = "a http://x/p http://x b\0http://x";
    assert_int_equal(kt_buf_append_replacing(&b, src, sizeof src - 1, "http://x", "http://1:2"),
                     KT_OK);
    assert_int_equal(b.len, sizeof "a http://1:2/p http://1:2 b" + sizeof "http://1:2" - 1);
    assert_memory_equal(b.data, "a http://1:2/p http://1:2 b\0http://1:2", b.len);
    kt_buf_reset(&b);
    assert_int_equal(kt_buf_append_replacing(&b, "abc", 3, "", "x"), KT_OK);
    assert_string_equal(b.data, "abc");
    kt_buf_free(&b);
    /* reserving on an empty buffer already gives a terminated string */
    assert_int_equal(kt_buf_reserve(&b, 10), KT_OK);
    assert_non_null(b.data);
    assert_int_equal(b.data[0], '\0');
    kt_buf_free(&b);
}

static void test_files_atomic_write_read_and_errors(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("common");
    assert_non_null(dir);
    char path[512], nested[512];
    snprintf(path, sizeof path, "%s/x.txt", dir);
    snprintf(nested, sizeof nested, "%s/a/b/c", dir);
    struct kt_err err = {0};
    assert_int_equal(kt_write_file_atomic(path, "Thường Tín", strlen("Thường Tín"), &err), KT_OK);
    struct kt_buf b = {0};
    assert_int_equal(kt_read_file(path, 0, &b, &err), KT_OK);
    assert_string_equal(b.data, "Thường Tín");
    kt_buf_reset(&b);
    assert_int_equal(kt_read_file(path, 3, &b, &err), KT_ETOOBIG);
    assert_non_null(strstr(err.msg, "x.txt"));
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing", dir);
    assert_int_equal(kt_read_file(missing, 0, &b, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "missing"));
    assert_int_equal(kt_mkdir_p(nested, &err), KT_OK);
    assert_int_equal(kt_mkdir_p(nested, &err), KT_OK);
    struct stat st;
    assert_int_equal(stat(nested, &st), 0);
    assert_int_equal(kt_mkdir_p(path, &err), KT_EIO);
    kt_buf_free(&b);
    tu_rmtree(dir);
    free(dir);
}

static void test_clocks_move_forward(void **state)
{
    (void)state;
    int64_t a = kt_now_ms();
    int64_t w = kt_wall_us();
    assert_true(a >= 0);
    assert_true(w > 1700000000LL * 1000000LL);
    assert_true(kt_now_ms() >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_text_and_exit_codes),
        cmocka_unit_test(test_err_set_prefix_and_truncation),
        cmocka_unit_test(test_buf_grows_and_detaches),
        cmocka_unit_test(test_files_atomic_write_read_and_errors),
        cmocka_unit_test(test_clocks_move_forward),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
