/* test_dedup.c - fingerprints (SHA-1 of normalized text, 64-bit SimHash over syllable shingles)
 * and the banded duplicate index: exact copies, near copies with one added sentence or a new
 * headline, unrelated texts, self matches, and an index of many entries. */
#define _POSIX_C_SOURCE 200809L
#include "corpus/corpus.h"
#include "crawler/crawler.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sentences[] = {
    "Sau hơn 2 năm thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XXIV, nhiệm kỳ "
    "2020-2025, huyện có 19/23 chỉ tiêu đạt và vượt tiến độ đề ra.",
    "Tổng giá trị sản xuất bình quân tăng 9,8%/năm, thu nhập bình quân đầu người năm 2022 ước "
    "đạt 62 triệu đồng.",
    "Toàn huyện có 20/22 xã đạt chuẩn nông thôn mới nâng cao, 5 xã đạt chuẩn nông thôn mới "
    "kiểu mẫu; tỷ lệ hộ nghèo giảm còn 0,52%.",
    "Công tác xây dựng Đảng được chú trọng, toàn Đảng bộ kết nạp 634 đảng viên mới.",
    "100% chi bộ thôn, tổ dân phố được tổ chức sinh hoạt chuyên đề theo quy định.",
    "Công tác quy hoạch, đào tạo, bồi dưỡng cán bộ được thực hiện bài bản; đã rà soát, bổ sung "
    "quy hoạch 213 lượt cán bộ diện Ban Thường vụ Huyện ủy quản lý.",
    "Hội nghị cũng chỉ rõ 4 chỉ tiêu chưa đạt tiến độ, trong đó có chỉ tiêu về tỷ lệ trường "
    "công lập đạt chuẩn quốc gia.",
    "Ban Chấp hành Đảng bộ huyện thống nhất tập trung chỉ đạo quyết liệt để hoàn thành các chỉ "
    "tiêu này trong giai đoạn 2022-2025.",
    "Việc thực hiện 3 khâu đột phá về hạ tầng giao thông, cải cách hành chính và phát triển "
    "làng nghề được gắn với từng nhiệm vụ cụ thể.",
    "Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết vào dự thảo báo cáo sơ kết "
    "giữa nhiệm kỳ của Ban Chấp hành.",
    "Phát biểu chỉ đạo, đồng chí Bí thư Huyện ủy đề nghị các cấp ủy, tổ chức đảng tiếp tục đổi "
    "mới phương thức lãnh đạo, nâng cao năng lực cầm quyền.",
    "Cùng với đó, huyện tập trung cải thiện môi trường đầu tư, thu hút các dự án có giá trị gia "
    "tăng cao, thân thiện với môi trường.",
};

static char *article(size_t from, size_t n, const char *extra)
{
    struct kt_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (b.len)
            kt_buf_append_cstr(&b, "\n\n");
        kt_buf_append_cstr(&b, sentences[(from + i) % 12]);
        if (extra && i == n / 2) {
            kt_buf_append_byte(&b, ' ');
            kt_buf_append_cstr(&b, extra);
        }
    }
    return kt_buf_detach(&b);
}

static void test_exact_fingerprint_ignores_form(void **state)
{
    (void)state;
    char *a = article(0, 12, NULL);
    /* same text with other spacing, case, NFD and new-style tone placement */
    const char *b = "  SAU HƠN 2 năm   thực hiện\tNghị quyết";
    const char *c = "Sau hơn 2 năm thực hiện nghị quyết";
    const char *d = "Sau ho\xcc\x9bn 2 na\xcc\x86m thu\xcc\x9b\xcc\xa3"
                    "c hie\xcc\xa3\xcc\x82n "
                    "Nghi\xcc\xa3 quye\xcc\x82\xcc\x81t";
    struct kt_fingerprint fa, fb, fc, fd, fe;
    assert_int_equal(kt_fingerprint_text(a, strlen(a), &fa, NULL), KT_OK);
    assert_int_equal(strlen(fa.sha1), 40);
    assert_true(fa.tokens > 150);
    assert_int_equal(kt_fingerprint_text(b, strlen(b), &fb, NULL), KT_OK);
    assert_int_equal(kt_fingerprint_text(c, strlen(c), &fc, NULL), KT_OK);
    assert_int_equal(kt_fingerprint_text(d, strlen(d), &fd, NULL), KT_OK);
    assert_string_equal(fb.sha1, fc.sha1);
    assert_string_equal(fc.sha1, fd.sha1);
    assert_int_equal(fb.simhash, fc.simhash);
    assert_string_not_equal(fa.sha1, fc.sha1);
    const char *e = "Thanh Hoà, Thuỷ";
    const char *f = "thanh hòa, thủy";
    assert_int_equal(kt_fingerprint_text(e, strlen(e), &fe, NULL), KT_OK);
    assert_int_equal(kt_fingerprint_text(f, strlen(f), &fd, NULL), KT_OK);
    assert_string_equal(fe.sha1, fd.sha1);
    /* empty */
    assert_int_equal(kt_fingerprint_text("", 0, &fe, NULL), KT_OK);
    assert_int_equal(fe.simhash, 0);
    assert_int_equal(fe.tokens, 0);
    free(a);
}

static void test_simhash_distances(void **state)
{
    (void)state;
    char *orig = article(0, 12, NULL);
    char *added = article(0, 12,
                          "Dịp này, Huyện ủy đã tặng Giấy khen cho 18 tập thể và 27 cá "
                          "nhân có thành tích xuất sắc.");
    char *other = article(6, 5, NULL); /* half the sentences, a different text */
    struct kt_fingerprint fo, fa, fx;
    kt_fingerprint_text(orig, strlen(orig), &fo, NULL);
    kt_fingerprint_text(added, strlen(added), &fa, NULL);
    kt_fingerprint_text(other, strlen(other), &fx, NULL);
    int near = kt_simhash_distance(fo.simhash, fa.simhash);
    int far = kt_simhash_distance(fo.simhash, fx.simhash);
    print_message("one added sentence: %d bits; a different text: %d bits\n", near, far);
    assert_true(near <= KT_DEDUP_MAX_HAMMING);
    assert_true(far > KT_DEDUP_MAX_HAMMING);
    assert_int_equal(kt_simhash_distance(0, UINT64_MAX), 64);
    assert_int_equal(kt_simhash_distance(5, 5), 0);
    free(orig);
    free(added);
    free(other);
}

static void test_index_find(void **state)
{
    (void)state;
    struct kt_dedup_index *ix = NULL;
    assert_int_equal(kt_dedup_new(&ix, NULL), KT_OK);
    const char *sha = "0123456789012345678901234567890123456789";
    assert_int_equal(kt_dedup_add(ix, "http://a.test/1", sha, 0xF0F0F0F0F0F0F0F0ULL, 300, NULL),
                     KT_OK);
    assert_int_equal(kt_dedup_add(ix, NULL, sha, 1, 1, NULL), KT_EINVAL);
    bool exact = false;
    /* exact by sha1 even with a different simhash in one band */
    const char *u = kt_dedup_find(ix, "http://b.test/2", sha, 0xF0F0F0F0F0F0F0F0ULL, 300, &exact);
    assert_non_null(u);
    assert_string_equal(u, "http://a.test/1");
    assert_true(exact);
    /* near: 3 bits differ, one in each of three bands */
    uint64_t q = 0xF0F0F0F0F0F0F0F0ULL ^ (1ULL << 1) ^ (1ULL << 17) ^ (1ULL << 33);
    u = kt_dedup_find(ix, "http://b.test/2", "", q, 300, &exact);
    assert_non_null(u);
    assert_false(exact);
    /* 4 bits: no match */
    assert_null(kt_dedup_find(ix, "http://b.test/2", "", q ^ (1ULL << 60), 300, NULL));
    /* near needs enough tokens */
    assert_null(kt_dedup_find(ix, "http://b.test/2", "", q, 10, NULL));
    /* never oneself */
    assert_null(kt_dedup_find(ix, "http://a.test/1", sha, 0xF0F0F0F0F0F0F0F0ULL, 300, NULL));
    /* many random entries: no false match for random queries, all true ones found */
    uint64_t x = 88172645463325252ULL;
    uint64_t keep[64];
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        char url[64];
        snprintf(url, sizeof url, "http://r.test/%d", i);
        assert_int_equal(kt_dedup_add(ix, url, "", x, 500, NULL), KT_OK);
        if (i < 64)
            keep[i] = x;
    }
    int found = 0;
    for (int i = 0; i < 64; i++)
        found += kt_dedup_find(ix, "q", "", keep[i] ^ (1ULL << (i % 64)), 500, NULL) != NULL;
    assert_int_equal(found, 64);
    kt_dedup_free(ix);
}

static void test_check_and_add_sets_dup_of(void **state)
{
    (void)state;
    struct kt_dedup_index *ix = NULL;
    assert_int_equal(kt_dedup_new(&ix, NULL), KT_OK);
    struct kt_article a, b, c, d;
    kt_article_init(&a);
    kt_article_init(&b);
    kt_article_init(&c);
    kt_article_init(&d);
    a.url = strdup("http://dangcongsan.test/a");
    a.text = article(0, 12, NULL);
    b.url = strdup("http://phunuthudo.test/b");
    b.text = article(0, 12, NULL); /* verbatim copy */
    c.url = strdup("http://thachthat.test/c");
    c.text = article(0, 12,
                     "Dịp này, Huyện ủy đã tặng Giấy khen cho 18 tập thể và 27 cá nhân có "
                     "thành tích xuất sắc."); /* near copy */
    d.url = strdup("http://thachthat.test/d");
    d.text = article(3, 4, NULL);
    assert_int_equal(kt_dedup_check_and_add(ix, &a, NULL), KT_OK);
    assert_null(a.dup_of);
    assert_int_equal(kt_dedup_check_and_add(ix, &b, NULL), KT_OK);
    assert_string_equal(b.dup_of, "http://dangcongsan.test/a");
    assert_string_equal(a.content_sha1, b.content_sha1);
    assert_int_equal(kt_dedup_check_and_add(ix, &c, NULL), KT_OK);
    assert_non_null(c.dup_of);
    assert_int_equal(kt_dedup_check_and_add(ix, &d, NULL), KT_OK);
    assert_null(d.dup_of);
    kt_article_free(&a);
    kt_article_free(&b);
    kt_article_free(&c);
    kt_article_free(&d);
    kt_dedup_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_fingerprint_ignores_form),
        cmocka_unit_test(test_simhash_distances),
        cmocka_unit_test(test_index_find),
        cmocka_unit_test(test_check_and_add_sets_dup_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
