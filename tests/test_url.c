/* test_url.c - table-driven tests of URL normalization, resolution, scope, patterns, print
 * variants, pagination/calendar classification and URL shapes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crawler/crawler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct norm_case {
    const char *in;
    const char *want; /* NULL: must fail with KT_EPARSE */
};

static const struct norm_case norm_cases[] = {
    /* case, ports, empty path */
    {"HTTP://Example.COM/", "http://example.com/"},
    {"http://EXAMPLE.com", "http://example.com/"},
    {"https://Hanoimoi.VN:443/Tin-tuc/", "https://hanoimoi.vn/Tin-tuc/"},
    {"http://kinhtedothi.vn:80/chinh-tri/", "http://kinhtedothi.vn/chinh-tri/"},
    {"http://127.0.0.1:8765/kinhtedothi/", "http://127.0.0.1:8765/kinhtedothi/"},
    {"https://h.vn:80/x", "https://h.vn:80/x"},
    {"http://h.vn:443/x", "http://h.vn:443/x"},
    {"http://h.vn:/x", "http://h.vn/x"},
    {"http://h.vn./x", "http://h.vn/x"},
    /* fragments */
    {"http://h.vn/a.html#binh-luan", "http://h.vn/a.html"},
    {"http://h.vn/a.html#comment", "http://h.vn/a.html"},
    {"http://h.vn/a.html?x=1#", "http://h.vn/a.html?x=1"},
    /* dot segments */
    {"http://h.vn/a/./b/../c", "http://h.vn/a/c"},
    {"http://h.vn/../../x", "http://h.vn/x"},
    {"http://h.vn/a/b/..", "http://h.vn/a/"},
    {"http://h.vn/a/%2E%2E/b", "http://h.vn/b"},
    {"http://h.vn/a/%2e/b", "http://h.vn/a/b"},
    /* percent-encoding */
    {"http://h.vn/%7Euser", "http://h.vn/~user"},
    {"http://h.vn/%7euser/%e1%bb%87", "http://h.vn/~user/%E1%BB%87"},
    {"http://h.vn/a%2fb", "http://h.vn/a%2Fb"},
    {"http://h.vn/?q=%41%42c", "http://h.vn/?q=ABc"},
    {"http://h.vn/%zz", "http://h.vn/%25zz"},
    {"http://h.vn/tin tức/bài", "http://h.vn/tin%20t%E1%BB%A9c/b%C3%A0i"},
    {"http://h.vn/x?q=Hà Nội", "http://h.vn/x?q=H%C3%A0%20N%E1%BB%99i"},
    {"  http://h.vn/x \n", "http://h.vn/x"},
    {"http://h.vn/a\tb\nc", "http://h.vn/abc"},
    /* tracking parameters */
    {"http://kinhtedothi.test/me-linh-433712.html?utm_source=rss&utm_medium=feed&utm_campaign=home",
     "http://kinhtedothi.test/me-linh-433712.html"},
    {"http://h.vn/a?id=5&utm_source=x", "http://h.vn/a?id=5"},
    {"http://h.vn/a?UTM_Source=x&id=5", "http://h.vn/a?id=5"},
    {"http://h.vn/a?fbclid=IwAR0abc", "http://h.vn/a"},
    {"http://h.vn/a?gclid=1&b=2&zarsrc=30", "http://h.vn/a?b=2"},
    {"http://h.vn/a?mc_cid=1&mc_eid=2&_ga=3&c=4", "http://h.vn/a?c=4"},
    {"http://h.vn/a?a=1&&b=2&", "http://h.vn/a?a=1&b=2"},
    {"http://h.vn/a?", "http://h.vn/a"},
    {"http://h.vn/a?b=2&a=1", "http://h.vn/a?b=2&a=1"}, /* order kept */
    {"http://h.vn/NewsDetail.aspx?co_id=30107&cn_id=556721",
     "http://h.vn/NewsDetail.aspx?co_id=30107&cn_id=556721"},
    /* print variants are normalized but kept (the crawler skips them by predicate) */
    {"http://h.vn/a.html?print=1", "http://h.vn/a.html?print=1"},
    /* IDN and IPv6 */
    {"http://Hà-Nội.vn/x", "http://hà-nội.vn/x"},
    {"http://xn--h-ni-7na.vn/", "http://xn--h-ni-7na.vn/"},
    {"http://[::1]:80/x", "http://[::1]/x"},
    /* user info kept */
    {"http://u:p@h.vn/", "http://u:p@h.vn/"},
    /* rejected */
    {"ftp://h.vn/x", NULL},
    {"javascript:void(0)", NULL},
    {"mailto:a@b.vn", NULL},
    {"/relative/path", NULL},
    {"", NULL},
    {"http://", NULL},
    {"http:relative", NULL},
    {"#top", NULL},
};

static void test_normalize_table(void **state)
{
    (void)state;
    size_t n = sizeof norm_cases / sizeof *norm_cases;
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        char *out = NULL;
        struct kt_err err = {0};
        kt_status st = kt_url_normalize(norm_cases[i].in, &out, &err);
        if (norm_cases[i].want) {
            if (st != KT_OK || strcmp(out, norm_cases[i].want) != 0)
                print_error("case %zu: %s -> %s (%s), want %s\n", i, norm_cases[i].in,
                            out ? out : "NULL", err.msg, norm_cases[i].want);
            assert_int_equal(st, KT_OK);
            assert_string_equal(out, norm_cases[i].want);
            /* idempotent */
            char *again = NULL;
            assert_int_equal(kt_url_normalize(out, &again, &err), KT_OK);
            assert_string_equal(again, out);
            free(again);
        } else {
            if (st != KT_EPARSE)
                print_error("case %zu: %s accepted as %s\n", i, norm_cases[i].in,
                            out ? out : "NULL");
            assert_int_equal(st, KT_EPARSE);
            assert_null(out);
            assert_true(err.msg[0] != '\0');
        }
        free(out);
    }
}

struct resolve_case {
    const char *base, *ref, *want;
};

static const struct resolve_case resolve_cases[] = {
    /* RFC 3986 5.4.1 normal examples (base http://a/b/c/d;p?q) */
    {"http://a/b/c/d;p?q", "g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "./g", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "g/", "http://a/b/c/g/"},
    {"http://a/b/c/d;p?q", "/g", "http://a/g"},
    {"http://a/b/c/d;p?q", "//g", "http://g/"},
    {"http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"},
    {"http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"},
    {"http://a/b/c/d;p?q", "g#s", "http://a/b/c/g"},
    {"http://a/b/c/d;p?q", "..", "http://a/b/"},
    {"http://a/b/c/d;p?q", "../g", "http://a/b/g"},
    {"http://a/b/c/d;p?q", "../../g", "http://a/g"},
    {"http://a/b/c/d;p?q", "../../../g", "http://a/g"},
    /* the fixture forms */
    {"http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=28340",
     "NewsDetail.aspx?co_id=30107&cn_id=556721",
     "http://dangcongsan.test/cpv/Modules/News/NewsDetail.aspx?co_id=30107&cn_id=556721"},
    {"http://127.0.0.1:8765/kinhtedothi/chinh-tri/", "trang-2.html",
     "http://127.0.0.1:8765/kinhtedothi/chinh-tri/trang-2.html"},
    {"http://h.vn/a/", "  /x.html#binh-luan ", "http://h.vn/x.html"},
    {"https://h.vn/a/", "//cdn.h.vn/x.jpg", "https://cdn.h.vn/x.jpg"},
    {"http://h.vn/a/", "HTTPS://Other.VN:443/Y?utm_medium=z", "https://other.vn/Y"},
    {"http://h.vn/a/", "?page=2", "http://h.vn/a/?page=2"},
    {"http://h.vn/a/", "javascript:void(0)", NULL},
    {"http://h.vn/a/", "JavaScript:alert(1)", NULL},
    {"http://h.vn/a/", "mailto:toasoan@h.vn", NULL},
    {"http://h.vn/a/", "tel:+84241234567", NULL},
    {"http://h.vn/a/", "data:text/html,hi", NULL},
    {"http://h.vn/a/", "#", NULL},
    {"http://h.vn/a/", "#binh-luan", NULL},
    {"http://h.vn/a/", "", NULL},
    {"http://h.vn/tin tức/", "bài 1.html", "http://h.vn/tin%20t%E1%BB%A9c/b%C3%A0i%201.html"},
    {"ftp://h.vn/a/", "b.html", NULL},
    {"/relative/base", "b.html", NULL},
};

static void test_resolve_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof resolve_cases / sizeof *resolve_cases; i++) {
        const struct resolve_case *c = &resolve_cases[i];
        char *out = NULL;
        struct kt_err err = {0};
        kt_status st = kt_url_resolve(c->base, c->ref, &out, &err);
        if (c->want) {
            if (st != KT_OK || strcmp(out, c->want) != 0)
                print_error("case %zu: %s + %s -> %s (%s)\n", i, c->base, c->ref,
                            out ? out : "NULL", err.msg);
            assert_int_equal(st, KT_OK);
            assert_string_equal(out, c->want);
        } else {
            if (st != KT_EPARSE)
                print_error("case %zu: %s accepted as %s\n", i, c->ref, out ? out : "NULL");
            assert_int_equal(st, KT_EPARSE);
        }
        free(out);
    }
}

static void test_strip_params_option(void **state)
{
    (void)state;
    const char *strip[] = {"print", "view"};
    struct kt_url_opts o = {strip, 2};
    char *out = NULL;
    assert_int_equal(kt_url_normalize_ex("http://h.vn/a?id=1&print=1&VIEW=x", &o, &out, NULL),
                     KT_OK);
    assert_string_equal(out, "http://h.vn/a?id=1");
    free(out);
    assert_true(kt_url_is_tracking_param("utm_content", 11));
    assert_true(kt_url_is_tracking_param("fbclid", 6));
    assert_false(kt_url_is_tracking_param("page", 4));
    assert_false(kt_url_is_tracking_param("utm", 3));
}

static void test_parts(void **state)
{
    (void)state;
    char *s = NULL;
    assert_int_equal(kt_url_host("http://WWW.HanoiMoi.vn:8080/x", &s, NULL), KT_OK);
    assert_string_equal(s, "www.hanoimoi.vn");
    free(s);
    assert_int_equal(kt_url_origin("HTTPS://h.vn:443/a/b?c", &s, NULL), KT_OK);
    assert_string_equal(s, "https://h.vn");
    free(s);
    assert_int_equal(kt_url_origin("http://kinhtedothi.test:8765/a", &s, NULL), KT_OK);
    assert_string_equal(s, "http://kinhtedothi.test:8765");
    free(s);
    assert_int_equal(kt_url_robots_url("http://h.vn:81/a/b.html?x=1", &s, NULL), KT_OK);
    assert_string_equal(s, "http://h.vn:81/robots.txt");
    free(s);
    assert_int_equal(kt_url_path_query("http://h.vn/a/b.html?x=1#f", &s, NULL), KT_OK);
    assert_string_equal(s, "/a/b.html?x=1");
    free(s);
    assert_int_equal(kt_url_path_query("http://h.vn", &s, NULL), KT_OK);
    assert_string_equal(s, "/");
    free(s);
    struct kt_err err = {0};
    assert_int_equal(kt_url_host("not a url", &s, &err), KT_EPARSE);
    assert_non_null(strstr(err.msg, "not a url"));
}

static void test_scope(void **state)
{
    (void)state;
    assert_true(kt_url_same_host("www.hanoimoi.vn", "hanoimoi.vn"));
    assert_true(kt_url_same_host("HANOIMOI.vn", "hanoimoi.vn."));
    assert_false(kt_url_same_host("thachthat.hanoi.gov.vn", "hanoi.gov.vn"));
    assert_true(kt_url_in_scope("https://www.hanoimoi.vn/chinh-tri", "hanoimoi.vn", NULL));
    assert_true(
        kt_url_in_scope("http://127.0.0.1:8765/kinhtedothi/a.html", "127.0.0.1", "/kinhtedothi/"));
    assert_true(kt_url_in_scope("http://127.0.0.1:8765/kinhtedothi", "127.0.0.1", "/kinhtedothi/"));
    assert_false(
        kt_url_in_scope("http://127.0.0.1:8765/hanoimoi/a.html", "127.0.0.1", "/kinhtedothi/"));
    assert_false(kt_url_in_scope("http://evil.vn/kinhtedothi/", "127.0.0.1", "/kinhtedothi/"));
    assert_false(kt_url_in_scope("mailto:x@h.vn", "h.vn", NULL));
}

static void test_patterns(void **state)
{
    (void)state;
    struct kt_url_pattern *p = NULL;
    assert_int_equal(kt_url_pattern_compile("-[0-9]+\\.html$", &p, NULL), KT_OK);
    assert_string_equal(kt_url_pattern_source(p), "-[0-9]+\\.html$");
    assert_true(kt_url_pattern_match(p, "http://kinhtedothi.test/me-linh-433712.html"));
    assert_true(kt_url_pattern_match(p, "/me-linh-433712.html"));
    assert_false(kt_url_pattern_match(p, "http://kinhtedothi.test/chinh-tri/"));
    assert_false(kt_url_pattern_match(p, "http://h/x-1.html?print=1")); /* $ on path+query */
    kt_url_pattern_free(p);
    /* the host is not part of the subject */
    assert_int_equal(kt_url_pattern_compile("^/cpv/Modules/News/NewsDetail\\.aspx", &p, NULL),
                     KT_OK);
    assert_true(kt_url_pattern_match(
        p, "http://dangcongsan.test/cpv/Modules/News/NewsDetail.aspx?co_id=1&cn_id=2"));
    assert_true(kt_url_pattern_match(p, "https://dangcongsan.vn/cpv/modules/news/newsdetail.aspx"));
    kt_url_pattern_free(p);
    struct kt_err err = {0};
    assert_int_equal(kt_url_pattern_compile("([a-z", &p, &err), KT_EINVAL);
    assert_null(p);
    assert_non_null(strstr(err.msg, "([a-z"));
}

static void test_print_variants(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        bool print;
    } cases[] = {
        {"http://h/a-1.html?print=1", true},
        {"http://h/a-1.html?id=2&print=true", true},
        {"http://h/a-1.html?print=0", false},
        {"http://h/a-1.html?view=print", true},
        {"http://h/a-1.html?output=print", true},
        {"http://h/a-1.html?printable=yes", true},
        {"http://h/a/1/print", true},
        {"http://h/a/1/print/", true},
        {"http://h/a/in-bai.html", true},
        {"http://h/a-1.html", false},
        {"http://h/printing-press-1.html", false},
        {"http://h/a-1.html?view=full", false},
        {"not a url", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (kt_url_is_print_variant(cases[i].url) != cases[i].print)
            print_error("case %zu: %s\n", i, cases[i].url);
        assert_int_equal(kt_url_is_print_variant(cases[i].url), cases[i].print);
    }
}

struct trap_case {
    const char *url;
    enum kt_url_trap_kind kind;
    long page;
    int y, m, d;
    const char *key;
};

static const struct trap_case trap_cases[] = {
    /* the five fixture listing forms */
    {"http://kinhtedothi.test/chinh-tri/trang-2.html", KT_URL_PAGINATION, 2, 0, 0, 0,
     "http://kinhtedothi.test/chinh-tri/trang-*.html"},
    {"http://hanoimoi.test/Danh-muc-tin/290/Chinh-tri?page=3", KT_URL_PAGINATION, 3, 0, 0, 0,
     "http://hanoimoi.test/Danh-muc-tin/290/Chinh-tri?page=*"},
    {"http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=28340&page=2", KT_URL_PAGINATION,
     2, 0, 0, 0, "http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=28340&page=*"},
    {"http://thachthat.test/tin-tuc-su-kien.html?trang=3", KT_URL_PAGINATION, 3, 0, 0, 0,
     "http://thachthat.test/tin-tuc-su-kien.html?trang=*"},
    {"http://phunuthudo.test/chinh-tri/page/2/", KT_URL_PAGINATION, 2, 0, 0, 0,
     "http://phunuthudo.test/chinh-tri/page/*/"},
    /* other pagination forms */
    {"http://h/tin-tuc/p/?pageindex=7", KT_URL_PAGINATION, 7, 0, 0, 0,
     "http://h/tin-tuc/p/?pageindex=*"},
    {"http://h/chinh-tri-trang-4.html", KT_URL_PAGINATION, 4, 0, 0, 0,
     "http://h/chinh-tri-trang-*.html"},
    {"http://h/chinh-tri/page-12", KT_URL_PAGINATION, 12, 0, 0, 0, "http://h/chinh-tri/page-*"},
    {"http://h/x?pg=999999", KT_URL_PAGINATION, 999999, 0, 0, 0, "http://h/x?pg=*"},
    {"http://h/?p=123", KT_URL_PLAIN, 0, 0, 0, 0, "http://h/?p=123"}, /* WordPress post id */
    {"http://h/ao-dai-trang-2021.html", KT_URL_PLAIN, 0, 0, 0, 0,
     "http://h/ao-dai-trang-2021.html"},
    {"http://h/trang-chu", KT_URL_PLAIN, 0, 0, 0, 0, "http://h/trang-chu"},
    {"http://h/trang-2021.html", KT_URL_PAGINATION, 2021, 0, 0, 0, "http://h/trang-*.html"},
    /* the five fixture calendar traps */
    {"http://kinhtedothi.test/tin-theo-ngay?date=2021-09-07", KT_URL_CALENDAR, 0, 2021, 9, 7,
     "http://kinhtedothi.test/tin-theo-ngay?date=*"},
    {"http://hanoimoi.test/Tin-theo-ngay?date=1999-01-31", KT_URL_CALENDAR, 0, 1999, 1, 31,
     "http://hanoimoi.test/Tin-theo-ngay?date=*"},
    {"http://dangcongsan.test/cpv/Modules/News/Archive.aspx?date=2020-05-25", KT_URL_CALENDAR, 0,
     2020, 5, 25, "http://dangcongsan.test/cpv/Modules/News/Archive.aspx?date=*"},
    {"http://thachthat.test/lich-su-tin.html?date=2022-04-14", KT_URL_CALENDAR, 0, 2022, 4, 14,
     "http://thachthat.test/lich-su-tin.html?date=*"},
    {"http://127.0.0.1:9/phunuthudo/tin-theo-ngay?date=2020-05-26", KT_URL_CALENDAR, 0, 2020, 5, 26,
     "http://127.0.0.1:9/phunuthudo/tin-theo-ngay?date=*"},
    /* other calendar forms */
    {"http://h/x?ngay=26/05/2020", KT_URL_CALENDAR, 0, 2020, 5, 26, "http://h/x?ngay=*"},
    {"http://h/x?ngay=26%2F05%2F2020", KT_URL_CALENDAR, 0, 2020, 5, 26, "http://h/x?ngay=*"},
    {"http://h/x?d=20200526", KT_URL_CALENDAR, 0, 2020, 5, 26, "http://h/x?d=*"},
    {"http://h/x?cat=1&from=2020-05-26", KT_URL_CALENDAR, 0, 2020, 5, 26,
     "http://h/x?cat=1&from=*"},
    {"http://h/x?year=2020&month=5", KT_URL_CALENDAR, 0, 2020, 5, 0, "http://h/x?year=*&month=5"},
    {"http://h/archive/2020/05/26/", KT_URL_CALENDAR, 0, 2020, 5, 26, "http://h/archive/*/"},
    {"http://h/archive/2020/05", KT_URL_CALENDAR, 0, 2020, 5, 0, "http://h/archive/*"},
    {"http://h/ngay/2020-05-26.html", KT_URL_CALENDAR, 0, 2020, 5, 26, "http://h/ngay/*.html"},
    /* plain: articles whose URLs contain dates or numbers */
    {"http://kinhtedothi.test/tin-tuc/2021/09/me-linh-ktdt433712.html", KT_URL_PLAIN, 0, 0, 0, 0,
     "http://kinhtedothi.test/tin-tuc/2021/09/me-linh-ktdt433712.html"},
    {"http://dangcongsan.test/cpv/Modules/News/NewsDetail.aspx?co_id=30107&cn_id=556721",
     KT_URL_PLAIN, 0, 0, 0, 0,
     "http://dangcongsan.test/cpv/Modules/News/NewsDetail.aspx?co_id=30107&cn_id=556721"},
    {"http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi", KT_URL_PLAIN, 0, 0, 0, 0,
     "http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi"},
    {"http://thachthat.test/tin-tuc/dai-hoi-t4263.html", KT_URL_PLAIN, 0, 0, 0, 0,
     "http://thachthat.test/tin-tuc/dai-hoi-t4263.html"},
    {"http://h/homepage-2.html", KT_URL_PLAIN, 0, 0, 0, 0, "http://h/homepage-2.html"},
    {"http://h/x?date=tomorrow", KT_URL_PLAIN, 0, 0, 0, 0, "http://h/x?date=tomorrow"},
};

static void test_trap_classification(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof trap_cases / sizeof *trap_cases; i++) {
        const struct trap_case *c = &trap_cases[i];
        struct kt_url_trap t;
        assert_int_equal(kt_url_classify(c->url, &t, NULL), KT_OK);
        if (t.kind != c->kind || strcmp(t.chain_key, c->key) != 0)
            print_error("case %zu: %s -> kind %d page %ld %d-%d-%d key %s\n", i, c->url, t.kind,
                        t.page, t.year, t.month, t.day, t.chain_key);
        assert_int_equal(t.kind, c->kind);
        assert_string_equal(t.chain_key, c->key);
        if (c->kind == KT_URL_PAGINATION)
            assert_int_equal(t.page, c->page);
        if (c->kind == KT_URL_CALENDAR) {
            assert_int_equal(t.year, c->y);
            assert_int_equal(t.month, c->m);
            assert_int_equal(t.day, c->d);
        }
        kt_url_trap_free(&t);
    }
    struct kt_url_trap t;
    assert_int_equal(kt_url_classify("ftp://x/", &t, NULL), KT_EPARSE);
}

static void test_trap_limits(void **state)
{
    (void)state;
    struct kt_trap_limits lim = KT_TRAP_LIMITS_DEFAULT;
    const int64_t now = 1796169600; /* 2026-12-02T00:00:00Z */
    struct kt_url_trap t;
    assert_int_equal(kt_url_classify("http://h/x?page=50", &t, NULL), KT_OK);
    assert_true(kt_url_trap_allowed(&t, &lim, now));
    kt_url_trap_free(&t);
    assert_int_equal(kt_url_classify("http://h/x?page=51", &t, NULL), KT_OK);
    assert_false(kt_url_trap_allowed(&t, &lim, now));
    lim.max_pagination = 100;
    assert_true(kt_url_trap_allowed(&t, &lim, now));
    kt_url_trap_free(&t);
    /* calendar: only within the window around now */
    static const struct {
        const char *url;
        bool ok;
    } cal[] = {
        {"http://h/tin-theo-ngay?date=2026-12-02", true},
        {"http://h/tin-theo-ngay?date=2026-11-29", true},
        {"http://h/tin-theo-ngay?date=2026-11-28", false},
        {"http://h/tin-theo-ngay?date=2026-12-03", true}, /* time zones: tomorrow tolerated */
        {"http://h/tin-theo-ngay?date=2026-12-05", false},
        {"http://h/tin-theo-ngay?date=2020-05-26", false},
        {"http://h/x?year=2026&month=11", true}, /* month counts as its last day */
        {"http://h/x?year=2026&month=10", false},
        {"http://h/plain.html", true},
    };
    lim = (struct kt_trap_limits)KT_TRAP_LIMITS_DEFAULT;
    for (size_t i = 0; i < sizeof cal / sizeof *cal; i++) {
        assert_int_equal(kt_url_classify(cal[i].url, &t, NULL), KT_OK);
        if (kt_url_trap_allowed(&t, &lim, now) != cal[i].ok)
            print_error("case %zu: %s\n", i, cal[i].url);
        assert_int_equal(kt_url_trap_allowed(&t, &lim, now), cal[i].ok);
        kt_url_trap_free(&t);
    }
    lim.calendar_window_days = 0;
    assert_int_equal(kt_url_classify("http://h/tin-theo-ngay?date=2026-12-02", &t, NULL), KT_OK);
    assert_false(kt_url_trap_allowed(&t, &lim, now));
    kt_url_trap_free(&t);
}

static void test_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *url, *shape;
    } cases[] = {
        {"http://h.vn/tin-theo-ngay?date=2020-05-26&x=1", "http://h.vn/tin-theo-ngay?date&x"},
        {"http://h.vn/a/2021/09/b-433712.html", "http://h.vn/a/0/0/b-0.html"},
        {"http://h.vn:8080/NewsDetail.aspx?cn_id=1&co_id=2",
         "http://h.vn:8080/NewsDetail.aspx?cn_id&co_id"},
        {"http://h.vn/%E1%BB%87-12", "http://h.vn/%E1%BB%87-0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = NULL;
        assert_int_equal(kt_url_shape(cases[i].url, &s, NULL), KT_OK);
        assert_string_equal(s, cases[i].shape);
        free(s);
    }
    /* two calendar days share a shape; two articles with different slugs do not */
    char *a = NULL, *b = NULL;
    assert_int_equal(kt_url_shape("http://h/Archive.aspx?date=2020-05-25", &a, NULL), KT_OK);
    assert_int_equal(kt_url_shape("http://h/Archive.aspx?date=2019-01-02", &b, NULL), KT_OK);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_fixture_url_variants(void **state)
{
    (void)state;
    /* the manifest's url_variants, in virtual-host form: utm variants normalize to the
     * canonical URL, print variants are recognised */
    static const struct {
        const char *url, *canonical;
        bool print;
    } v[] = {
        {"http://kinhtedothi.test/"
         "me-linh-nang-cao-chat-luong-sinh-hoat-chi-bo-khu-dan-cu-433712.html?utm_source=rss&utm_"
         "medium=feed&utm_campaign=home",
         "http://kinhtedothi.test/"
         "me-linh-nang-cao-chat-luong-sinh-hoat-chi-bo-khu-dan-cu-433712.html",
         false},
        {"http://phunuthudo.test/chinh-tri/abc-41207.html?print=1",
         "http://phunuthudo.test/chinh-tri/abc-41207.html?print=1", true},
        {"http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi#binh-luan",
         "http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi", false},
        {"http://dangcongsan.test/cpv/Modules/News/"
         "NewsDetail.aspx?co_id=30107&cn_id=556721&print=1",
         "http://dangcongsan.test/cpv/Modules/News/"
         "NewsDetail.aspx?co_id=30107&cn_id=556721&print=1",
         true},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char *out = NULL;
        assert_int_equal(kt_url_normalize(v[i].url, &out, NULL), KT_OK);
        assert_string_equal(out, v[i].canonical);
        assert_int_equal(kt_url_is_print_variant(out), v[i].print);
        free(out);
    }
}

static void test_too_long(void **state)
{
    (void)state;
    size_t n = KT_URL_MAX + 100;
    char *u = malloc(n + 1);
    assert_non_null(u);
    memcpy(u, "http://h.vn/", 12);
    memset(u + 12, 'a', n - 12);
    u[n] = '\0';
    char *out = NULL;
    assert_int_equal(kt_url_normalize(u, &out, NULL), KT_EPARSE);
    assert_null(out);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_resolve_table),
        cmocka_unit_test(test_strip_params_option),
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_print_variants),
        cmocka_unit_test(test_trap_classification),
        cmocka_unit_test(test_trap_limits),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_fixture_url_variants),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
