/* test_extract_eval.c - the extraction scorer (ScrapingHub shingle F1) and the quality goals:
 * the evaluation on ../shared/fixtures/site and on the seeds must reach text F1 >= 0.97,
 * titles >= 99%, dates >= 98%, authors >= 90% and find both duplicates (skipped, saying so,
 * when ../shared is absent); plus `khotin extract` on a file and on a real WARC. */
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

static void test_shingle_scores(void **state)
{
    (void)state;
    double tp, fp, fn;
    assert_int_equal(kt_eval_shingles("một hai ba bốn năm", "một hai ba bốn năm", &tp, &fp, &fn),
                     KT_OK);
    assert_true(tp == 1.0 && fp == 0 && fn == 0);
    /* punctuation and spacing do not matter, case does */
    kt_eval_shingles("Một, hai; ba  bốn. năm", "Một hai ba bốn năm", &tp, &fp, &fn);
    assert_true(tp == 1.0);
    kt_eval_shingles("Một hai ba bốn", "một hai ba bốn", &tp, &fp, &fn);
    assert_true(tp == 0.0 && fp == 0.5 && fn == 0.5);
    /* 6 tokens = 3 shingles; prediction has the first 5 tokens = 2 shingles */
    kt_eval_shingles("a b c d e f", "a b c d e", &tp, &fp, &fn);
    assert_true(tp > 0.666 && tp < 0.667 && fp == 0 && fn > 0.333 && fn < 0.334);
    /* short texts are one shingle; empty gives zeros */
    kt_eval_shingles("a b", "a b", &tp, &fp, &fn);
    assert_true(tp == 1.0);
    kt_eval_shingles("", "", &tp, &fp, &fn);
    assert_true(tp == 0 && fp == 0 && fn == 0);
    kt_eval_shingles("a b c d", "", &tp, &fp, &fn);
    assert_true(fn == 1.0);
    /* repeated shingles are a multiset */
    kt_eval_shingles("x y z w x y z w", "x y z w", &tp, &fp, &fn);
    assert_true(fp == 0 && fn > 0);
}

static void print_res(const char *set, const struct kt_eval_extract_result *r)
{
    print_message("%s: docs %zu missing %zu F1 %.4f (P %.4f R %.4f) title %zu/%zu date %zu/%zu "
                  "author %zu/%zu dup tp %zu fp %zu fn %zu\n",
                  set, r->docs, r->missing, r->text_f1, r->text_precision, r->text_recall,
                  r->title_ok, r->title_n, r->date_ok, r->date_n, r->author_ok, r->author_n,
                  r->dup_tp, r->dup_fp, r->dup_fn);
    if (r->detail.len)
        print_message("%s", r->detail.data);
}

static void assert_goals(const struct kt_eval_extract_result *r)
{
    assert_true(r->docs > 0);
    assert_int_equal(r->missing, 0);
    assert_true(r->text_f1 >= 0.97);
    assert_true((double)r->title_ok >= 0.99 * (double)r->title_n);
    assert_true((double)r->date_ok >= 0.98 * (double)r->date_n);
    assert_true((double)r->author_ok >= 0.90 * (double)r->author_n);
}

static void test_goals_on_fixture_site(void **state)
{
    (void)state;
    char *gold = tu_shared_path("fixtures/site/gold.jsonl");
    char *site = tu_shared_path("fixtures/site");
    if (!gold || !site) {
        print_message("../shared/fixtures/site absent: skipping the fixture evaluation\n");
        free(gold);
        free(site);
        skip();
    }
    struct kt_eval_extract_result r;
    memset(&r, 0, sizeof r);
    struct kt_err err = {0};
    assert_int_equal(kt_eval_extract_site(gold, site, &r, &err), KT_OK);
    print_res("site", &r);
    assert_int_equal(r.docs, 22);
    assert_goals(&r);
    assert_int_equal(r.not_article, 0);
    assert_int_equal(r.dup_tp, 2);
    assert_int_equal(r.dup_fp, 0);
    assert_int_equal(r.dup_fn, 0);
    kt_eval_extract_result_free(&r);
    free(gold);
    free(site);
}

static void test_goals_on_seeds(void **state)
{
    (void)state;
    char *seeds = tu_shared_path("seeds");
    char *gold = tu_shared_path("gold/text");
    if (!seeds || !gold) {
        print_message("../shared/seeds or gold/text absent: skipping the seed evaluation\n");
        free(seeds);
        free(gold);
        skip();
    }
    struct kt_eval_extract_result r;
    memset(&r, 0, sizeof r);
    struct kt_err err = {0};
    assert_int_equal(kt_eval_extract_seeds(seeds, gold, &r, &err), KT_OK);
    print_res("seeds", &r);
    assert_int_equal(r.docs, 5);
    assert_goals(&r);
    kt_eval_extract_result_free(&r);
    free(seeds);
    free(gold);
}

/* The fixture's non-article pages (home, listings) are recognised as such. */
static void test_fixture_listings_are_not_articles(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "fixtures/site/kinhtedothi/index.html",
        "fixtures/site/kinhtedothi/chinh-tri/index.html",
        "fixtures/site/hanoimoi/Danh-muc-tin/290/Chinh-tri.html",
        "fixtures/site/dangcongsan/cpv/Modules/News/NewsList.aspx__co_id-30107.html",
        "fixtures/site/thachthat/xay-dung-dang.html",
        "fixtures/site/phunuthudo/hoi-phu-nu/index.html",
        "fixtures/site/thachthat/_404.html",
    };
    if (!tu_shared_dir()) {
        print_message("../shared absent: skipping\n");
        skip();
    }
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char *p = tu_shared_path(pages[i]);
        if (!p)
            continue;
        struct kt_buf b = {0};
        assert_int_equal(kt_read_file(p, 0, &b, NULL), KT_OK);
        struct kt_article a;
        kt_article_init(&a);
        struct kt_extract_info info;
        assert_int_equal(kt_extract_html(b.data, b.len, NULL, &a, &info, NULL), KT_OK);
        print_message("%s: %s\n", pages[i], info.reason);
        assert_false(info.is_article);
        kt_article_free(&a);
        kt_buf_free(&b);
        free(p);
    }
}

#define PARA                                                                                                                  \
    "Sáng 14/4/2022, Ban Thường vụ Huyện ủy tổ chức hội nghị giao ban công tác xây dựng Đảng quý " \
    "I năm 2022, triển khai công tác rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2020-2025 và các "        \
    "năm tiếp theo."

static const char page_html[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Giao ban công tác quý I năm "
    "2022 - Cổng thông tin</title></head><body><nav><a href=\"/\">Trang chủ</a></nav><div "
    "class=\"article\"><h1>Giao ban công tác quý I năm 2022</h1><div class=\"date\">Ngày đăng "
    "14/04/2022 | 16:30</div><div class=\"content\"><p>" PARA "</p><p>" PARA " Lần hai.</p><p>" PARA
    " Lần ba.</p><p style=\"text-align:right\"><b>Ban Tuyên giáo Huyện ủy</b></p></div></div>"
    "</body></html>";

static void test_cli_extract_file_and_warc(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp("extract-cli");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/page.html", dir);
    assert_true(tu_write_file(path, page_html, strlen(page_html)));
    struct kt_buf out = {0}, errb = {0};
    char *argv1[] = {(char *)tu_khotin_bin(), "extract", "--url",
                     "http://tt.test/a.html", path,      NULL};
    int rc = tu_run(argv1, NULL, 0, &out, &errb);
    assert_int_equal(rc, 0);
    struct kt_article a;
    kt_article_init(&a);
    assert_int_equal(kt_article_from_json(out.data, out.len, &a, NULL), KT_OK);
    assert_string_equal(a.title, "Giao ban công tác quý I năm 2022");
    assert_string_equal(a.date, "2022-04-14T16:30+07:00");
    assert_string_equal(a.author, "Ban Tuyên giáo Huyện ủy");
    assert_string_equal(a.url, "http://tt.test/a.html");
    assert_non_null(strstr(a.text, "Lần ba."));
    kt_article_free(&a);
    /* a missing file is exit 66 with the path named */
    kt_buf_reset(&out);
    kt_buf_reset(&errb);
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/none.html", dir);
    char *argv2[] = {(char *)tu_khotin_bin(), "extract", missing, NULL};
    assert_int_equal(tu_run(argv2, NULL, 0, &out, &errb), 66);
    assert_non_null(strstr(errb.data, "none.html"));

    /* a WARC with the page, a listing (skipped) and a 404 (skipped) */
    struct kt_warc_writer_opts wo = {.dir = dir, .prefix = "t", .hostname = "test"};
    struct kt_warc_writer *w = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_warc_writer_open(&wo, &w, &err), KT_OK);
    struct kt_buf resp = {0};
    kt_buf_printf(&resp,
                  "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                  "%zu\r\n\r\n%s",
                  strlen(page_html), page_html);
    struct kt_warc_fetch f = {
        .target_uri = "http://tt.test/a.html", .response = resp.data, .response_len = resp.len};
    struct kt_warc_fetch_result fr;
    assert_int_equal(kt_warc_write_fetch(w, &f, &fr, &err), KT_OK);
    const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>404</h1>";
    f.target_uri = "http://tt.test/missing.html";
    f.response = nf;
    f.response_len = strlen(nf);
    assert_int_equal(kt_warc_write_fetch(w, &f, &fr, &err), KT_OK);
    char warc[4200];
    snprintf(warc, sizeof warc, "%s/%s", dir, kt_warc_writer_current_file(w));
    assert_int_equal(kt_warc_writer_close(w, &err), KT_OK);
    kt_buf_reset(&out);
    kt_buf_reset(&errb);
    char *argv3[] = {(char *)tu_khotin_bin(), "extract", "--warc", warc, NULL};
    rc = tu_run(argv3, NULL, 0, &out, &errb);
    print_message("warc extract: rc %d, stderr: %s\n", rc, errb.data ? errb.data : "");
    assert_int_equal(rc, 0);
    size_t lines = 0;
    for (size_t i = 0; i < out.len; i++)
        lines += out.data[i] == '\n';
    assert_int_equal(lines, 1);
    kt_article_init(&a);
    assert_int_equal(kt_article_from_json(out.data, out.len, &a, NULL), KT_OK);
    assert_string_equal(a.url, "http://tt.test/a.html");
    assert_non_null(a.warc_file);
    assert_int_equal(strlen(a.content_sha1), 40);
    kt_article_free(&a);
    kt_buf_free(&resp);
    kt_buf_free(&out);
    kt_buf_free(&errb);
    tu_rmtree(dir);
    free(dir);
}

static void test_cli_eval_check(void **state)
{
    (void)state;
    char *gold = tu_shared_path("fixtures/site/gold.jsonl");
    char *site = tu_shared_path("fixtures/site");
    if (!gold || !site) {
        print_message("../shared/fixtures/site absent: skipping\n");
        free(gold);
        free(site);
        skip();
    }
    struct kt_buf out = {0};
    char *argv[] = {(char *)tu_khotin_bin(),
                    "eval",
                    "extract",
                    "--check",
                    "--format",
                    "json",
                    gold,
                    site,
                    NULL};
    assert_int_equal(tu_run(argv, NULL, 0, &out, NULL), 0);
    assert_non_null(strstr(out.data, "\"text_f1\":"));
    kt_buf_free(&out);
    free(gold);
    free(site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shingle_scores),
        cmocka_unit_test(test_goals_on_fixture_site),
        cmocka_unit_test(test_goals_on_seeds),
        cmocka_unit_test(test_fixture_listings_are_not_articles),
        cmocka_unit_test(test_cli_extract_file_and_warc),
        cmocka_unit_test(test_cli_eval_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
