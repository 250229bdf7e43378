/* test_links.c - link discovery in HTML: base href, canonical, feeds, rel=next/prev,
 * noindex/nofollow, relative links, skipped schemes, encodings, and the fixture pages. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crawler/crawler.h"
#include "tests/support/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXL 256

struct links {
    size_t n;
    char *url[MAXL];
    char *text[MAXL];
    enum kt_link_kind kind[MAXL];
    bool nofollow[MAXL];
};

static kt_status collect(void *ctx, const struct kt_link *l)
{
    struct links *g = ctx;
    if (g->n < MAXL) {
        g->url[g->n] = strdup(l->url);
        g->text[g->n] = strdup(l->text);
        g->kind[g->n] = l->kind;
        g->nofollow[g->n] = l->nofollow;
    }
    g->n++;
    return KT_OK;
}

static void links_free(struct links *g)
{
    for (size_t i = 0; i < g->n && i < MAXL; i++) {
        free(g->url[i]);
        free(g->text[i]);
    }
    memset(g, 0, sizeof *g);
}

static int find(const struct links *g, const char *url, enum kt_link_kind kind)
{
    for (size_t i = 0; i < g->n && i < MAXL; i++)
        if (strcmp(g->url[i], url) == 0 && g->kind[i] == kind)
            return (int)i;
    return -1;
}

static const char page[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\n"
    "<title>Chính trị</title>\n"
    "<base href=\"/cpv/Modules/News/\">\n"
    "<link rel=\"canonical\" href=\"NewsList.aspx?co_id=28340&amp;utm_source=x\">\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Tin mới\" "
    "href=\"/rss/home.rss\">\n"
    "<link rel=\"alternate\" hreflang=\"en\" href=\"/en/\">\n"
    "<link rel=\"stylesheet\" href=\"/static/main.css\">\n"
    "<link rel=\"next\" href=\"NewsList.aspx?co_id=28340&amp;page=2\">\n"
    "<link rel=\"prev\" href=\"NewsList.aspx?co_id=28340\">\n"
    "<script>var s = '<a href=\"/in-script\">x</a>';</script>\n"
    "</head><body>\n"
    "<a href=\"NewsDetail.aspx?co_id=30107&amp;cn_id=556721\">  Đại hội   <b>Đảng</b>\n bộ </a>\n"
    "<a href=\"NewsDetail.aspx?co_id=30107&cn_id=556721#binh-luan\">Bình luận</a>\n"
    "<a href=\"/admin/preview/1.html\" rel=\"nofollow\">Xem trước</a>\n"
    "<a href=\"http://quangcao.test/click?id=1\" rel=\"sponsored noopener\">QC</a>\n"
    "<a href=\"NewsList.aspx?co_id=28340&amp;page=2\" rel=\"next\">Trang sau</a>\n"
    "<a href=\"#\">menu</a><a href=\"#top\">lên</a><a href=\"\">empty</a><a>no href</a>\n"
    "<a href=\"javascript:void(0)\">js</a><a href=\"mailto:toasoan@dcs.vn\">mail</a>\n"
    "<a href=\"tel:+8424\">tel</a><a href=\"data:text/html,x\">data</a>\n"
    "<a href=\"//cdn.dangcongsan.test/a.jpg\"><img src=\"x.jpg\" alt=\"Ảnh  đẹp\"></a>\n"
    "<a href=\"  ../../Archive.aspx?date=2020-05-25  \">Lưu trữ</a>\n"
    "<area href=\"/map-area\" alt=\"x\">\n"
    "<iframe src=\"/embed/video-1\"></iframe>\n"
    "<a href=\"http://[bad\">bad</a>\n"
    "</body></html>";

static void test_page_links(void **state)
{
    (void)state;
    struct links g = {0};
    struct kt_page_meta meta = {0};
    struct kt_err err = {0};
    const char *url = "http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=28340";
    assert_int_equal(kt_links_extract(page, strlen(page), "http://DangCongSan.test/x/y.html?z=1",
                                      NULL, collect, &g, &meta, &err),
                     KT_OK);
    assert_string_equal(meta.base_url, "http://dangcongsan.test/cpv/Modules/News/");
    assert_string_equal(meta.canonical, url);
    assert_false(meta.noindex);
    assert_false(meta.nofollow);
    assert_int_equal(meta.n_links, g.n);

    assert_true(find(&g, url, KT_LINK_CANONICAL) >= 0);
    int i = find(&g, "http://dangcongsan.test/rss/home.rss", KT_LINK_FEED);
    assert_true(i >= 0);
    assert_string_equal(g.text[i], "Tin mới");
    assert_true(find(&g,
                     "http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=28340&page=2",
                     KT_LINK_NEXT) >= 0);
    assert_true(find(&g, url, KT_LINK_PREV) >= 0);
    i = find(&g,
             "http://dangcongsan.test/cpv/Modules/News/NewsDetail.aspx?co_id=30107&cn_id=556721",
             KT_LINK_ANCHOR);
    assert_true(i >= 0);
    assert_string_equal(g.text[i], "Đại hội Đảng bộ");
    assert_false(g.nofollow[i]);
    i = find(&g, "http://dangcongsan.test/admin/preview/1.html", KT_LINK_ANCHOR);
    assert_true(i >= 0);
    assert_true(g.nofollow[i]);
    i = find(&g, "http://quangcao.test/click?id=1", KT_LINK_ANCHOR);
    assert_true(i >= 0);
    assert_true(g.nofollow[i]);
    i = find(&g, "http://cdn.dangcongsan.test/a.jpg", KT_LINK_ANCHOR);
    assert_true(i >= 0);
    assert_string_equal(g.text[i], "Ảnh đẹp"); /* image alt as text */
    assert_true(
        find(&g, "http://dangcongsan.test/cpv/Archive.aspx?date=2020-05-25", KT_LINK_ANCHOR) >= 0);
    assert_true(find(&g, "http://dangcongsan.test/map-area", KT_LINK_ANCHOR) >= 0);
    assert_true(find(&g, "http://dangcongsan.test/embed/video-1", KT_LINK_FRAME) >= 0);
    /* never reported */
    for (size_t k = 0; k < g.n; k++) {
        assert_null(strstr(g.url[k], "javascript"));
        assert_null(strstr(g.url[k], "mailto"));
        assert_null(strstr(g.url[k], "in-script"));
        assert_null(strstr(g.url[k], "main.css"));
        assert_null(strstr(g.url[k], "/en/"));
        assert_null(strchr(g.url[k], '#'));
        assert_true(strncmp(g.url[k], "http", 4) == 0);
    }
    /* exactly: canonical, feed, next, prev, 2 article anchors (same URL), preview, ad, next
     * anchor, cdn, archive, area, iframe (empty, fragment and non-http hrefs skipped) */
    assert_int_equal(g.n, 13);
    links_free(&g);
    kt_page_meta_free(&meta);
}

static void test_meta_robots(void **state)
{
    (void)state;
    static const struct {
        const char *html;
        bool noindex, nofollow;
    } c[] = {
        {"<html><head><meta name=\"robots\" content=\"noindex, follow\"></head></html>", true,
         false},
        {"<html><head><meta name=\"ROBOTS\" content=\"NOINDEX,NOFOLLOW\"></head></html>", true,
         true},
        {"<html><head><meta name=\"robots\" content=\"none\"></head></html>", true, true},
        {"<html><head><meta name=\"robots\" content=\"index, follow\"></head></html>", false,
         false},
        {"<html><head><meta name=\"khotin\" content=\"noindex\"></head></html>", true, false},
        {"<html><head><meta name=\"googlebot\" content=\"noindex\"></head></html>", false, false},
        {"<html><body><meta name=\"robots\" content=\"nofollow\"><a "
         "href=\"/x\">x</a></body></html>",
         false, true},
    };
    struct kt_links_opts o = {NULL, "khotin", 0};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        struct kt_page_meta meta = {0};
        struct links g = {0};
        assert_int_equal(kt_links_extract(c[i].html, strlen(c[i].html), "http://h.vn/a", &o,
                                          collect, &g, &meta, NULL),
                         KT_OK);
        if (meta.noindex != c[i].noindex || meta.nofollow != c[i].nofollow)
            print_error("case %zu\n", i);
        assert_int_equal(meta.noindex, c[i].noindex);
        assert_int_equal(meta.nofollow, c[i].nofollow);
        for (size_t k = 0; k < g.n; k++) /* page-level nofollow marks every link */
            assert_int_equal(g.nofollow[k], c[i].nofollow);
        assert_null(meta.canonical);
        assert_string_equal(meta.base_url, "http://h.vn/a");
        links_free(&g);
        kt_page_meta_free(&meta);
    }
    bool ni = false, nf = false;
    kt_robots_meta_parse("googlebot: noindex", &ni, &nf);
    assert_true(ni);
    assert_false(nf);
    ni = nf = false;
    kt_robots_meta_parse("all", &ni, &nf);
    assert_false(ni || nf);
    kt_robots_meta_parse("unavailable_after: 25 Jun 2010 15:00:00 PST, nofollow", &ni, &nf);
    assert_true(nf);
}

static void test_encodings_and_errors(void **state)
{
    (void)state;
    /* windows-1258 page: the hrefs are ASCII, the anchor text is decoded to UTF-8 */
    const char *cp1258 = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                         "charset=windows-1258\"></head><body><a href=\"/tin-t4263.html\">"
                         "Th\xe1\x63h Th\xe2t</a></body></html>";
    struct links g = {0};
    assert_int_equal(kt_links_extract(cp1258, strlen(cp1258), "http://thachthat.test/", NULL,
                                      collect, &g, NULL, NULL),
                     KT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.url[0], "http://thachthat.test/tin-t4263.html");
    assert_string_equal(g.text[0], "Thách Thât");
    links_free(&g);
    /* UTF-8 href with no charset declared */
    const char *utf8 = "<a href=\"/tìm kiếm\">x</a>";
    assert_int_equal(
        kt_links_extract(utf8, strlen(utf8), "http://h.vn/", NULL, collect, &g, NULL, NULL), KT_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.url[0], "http://h.vn/t%C3%ACm%20ki%E1%BA%BFm");
    links_free(&g);
    /* errors */
    struct kt_err err = {0};
    assert_int_equal(kt_links_extract("", 0, "http://h.vn/", NULL, collect, &g, NULL, &err),
                     KT_EPARSE);
    assert_int_equal(kt_links_extract("<a href=x>", 10, "/relative", NULL, collect, &g, NULL, &err),
                     KT_EPARSE);
    assert_int_equal(kt_links_extract("<a href=x>", 10, NULL, NULL, collect, &g, NULL, &err),
                     KT_EPARSE);
    assert_int_equal(g.n, 0);
    /* binary junk is not fatal */
    static const char junk[] = "\x00\xff\xfe<<<a href=/x>>\x00";
    kt_status st =
        kt_links_extract(junk, sizeof junk - 1, "http://h.vn/", NULL, collect, &g, NULL, &err);
    assert_true(st == KT_OK || st == KT_EPARSE);
    links_free(&g);
}

static kt_status stop_cb(void *ctx, const struct kt_link *l)
{
    (void)l;
    size_t *n = ctx;
    return ++*n >= 2 ? KT_EINTERRUPTED : KT_OK;
}

static void test_caps(void **state)
{
    (void)state;
    struct kt_buf b = {0};
    for (int i = 0; i < 500; i++)
        assert_int_equal(kt_buf_printf(&b, "<a href=\"/a-%d.html\">%d</a>", i, i), KT_OK);
    struct links g = {0};
    struct kt_links_opts o = {NULL, NULL, 100};
    struct kt_page_meta meta = {0};
    assert_int_equal(kt_links_extract(b.data, b.len, "http://h.vn/", &o, collect, &g, &meta, NULL),
                     KT_OK);
    assert_int_equal(g.n, 100);
    assert_int_equal(meta.n_links, 100);
    links_free(&g);
    kt_page_meta_free(&meta);
    size_t n = 0;
    assert_int_equal(kt_links_extract(b.data, b.len, "http://h.vn/", NULL, stop_cb, &n, NULL, NULL),
                     KT_EINTERRUPTED);
    assert_int_equal(n, 2);
    kt_buf_free(&b);
}

/* The fixture pages: a listing (pagination, article links, robots-disallowed and trap
 * links) and a print page (noindex + canonical). */
static void test_fixture_pages(void **state)
{
    (void)state;
    if (!tu_shared_dir()) {
        printf("../shared absent: skipping the fixture pages\n");
        skip();
    }
    char *path = tu_shared_path("fixtures/site/kinhtedothi/chinh-tri/index.html");
    if (!path) {
        printf("fixture listing missing: skipping\n");
        skip();
    }
    struct kt_buf b = {0};
    assert_int_equal(kt_read_file(path, 0, &b, NULL), KT_OK);
    free(path);
    struct links g = {0};
    struct kt_page_meta meta = {0};
    assert_int_equal(kt_links_extract(b.data, b.len, "http://kinhtedothi.test/chinh-tri/", NULL,
                                      collect, &g, &meta, NULL),
                     KT_OK);
    assert_string_equal(meta.canonical, "http://kinhtedothi.test/chinh-tri/");
    assert_false(meta.noindex);
    assert_true(find(&g, "http://kinhtedothi.test/rss/home.rss", KT_LINK_FEED) >= 0);
    assert_true(find(&g, "http://kinhtedothi.test/chinh-tri/trang-2.html", KT_LINK_ANCHOR) >= 0);
    int i = find(&g,
                 "http://kinhtedothi.test/me-linh-nang-cao-chat-luong-sinh-hoat-chi-bo-khu-dan-cu-"
                 "433712.html",
                 KT_LINK_ANCHOR);
    assert_true(i >= 0);
    size_t calendar = 0, pagination = 0;
    for (size_t k = 0; k < g.n && k < MAXL; k++) {
        struct kt_url_trap t;
        assert_int_equal(kt_url_classify(g.url[k], &t, NULL), KT_OK);
        calendar += t.kind == KT_URL_CALENDAR;
        pagination += t.kind == KT_URL_PAGINATION;
        kt_url_trap_free(&t);
        assert_null(strchr(g.url[k], '#'));
    }
    assert_true(calendar >= 1);
    assert_true(pagination >= 1);
    links_free(&g);
    kt_page_meta_free(&meta);
    kt_buf_free(&b);

    path = tu_shared_path("fixtures/site/kinhtedothi/_print/01b4a8aaa42f.html");
    if (!path) {
        printf("fixture print page missing: skipping\n");
        skip();
    }
    assert_int_equal(kt_read_file(path, 0, &b, NULL), KT_OK);
    free(path);
    assert_int_equal(kt_links_extract(b.data, b.len,
                                      "http://kinhtedothi.test/dong-anh-ket-nap-412-dang-vien-moi-"
                                      "trong-nam-2020-402517.html?print=1",
                                      NULL, collect, &g, &meta, NULL),
                     KT_OK);
    assert_true(meta.noindex);
    assert_false(meta.nofollow);
    assert_string_equal(
        meta.canonical,
        "http://kinhtedothi.test/dong-anh-ket-nap-412-dang-vien-moi-trong-nam-2020-402517.html");
    links_free(&g);
    kt_page_meta_free(&meta);
    kt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_links),           cmocka_unit_test(test_meta_robots),
        cmocka_unit_test(test_encodings_and_errors), cmocka_unit_test(test_caps),
        cmocka_unit_test(test_fixture_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
