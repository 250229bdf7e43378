/* test_discover.c - sitemap index, urlset, gzipped sitemap, RSS, Atom, text sitemap,
 * malformed and hostile documents (XXE, entity bombs, gzip bombs) and the date parsers. */
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
#include <zlib.h>

#define MAXGOT 64

struct got {
    size_t n;
    char *url[MAXGOT];
    enum kt_discover_kind kind[MAXGOT];
    bool has_date[MAXGOT];
    int64_t date[MAXGOT];
    char *title[MAXGOT];
    size_t stop_after; /* 0 = never */
};

static kt_status collect(void *ctx, const struct kt_discovered *d)
{
    struct got *g = ctx;
    if (g->stop_after && g->n >= g->stop_after)
        return KT_EINTERRUPTED;
    if (g->n < MAXGOT) {
        g->url[g->n] = strdup(d->url);
        g->kind[g->n] = d->kind;
        g->has_date[g->n] = d->has_date;
        g->date[g->n] = d->date;
        g->title[g->n] = d->title ? strdup(d->title) : NULL;
    }
    g->n++;
    return KT_OK;
}

static void got_free(struct got *g)
{
    for (size_t i = 0; i < g->n && i < MAXGOT; i++) {
        free(g->url[i]);
        free(g->title[i]);
    }
    memset(g, 0, sizeof *g);
}

static kt_status parse(const char *doc, size_t len, const char *base, struct got *g,
                       enum kt_discover_format *fmt, struct kt_err *err)
{
    memset(g, 0, sizeof *g);
    return kt_discover_parse(doc, len, "application/xml", base, NULL, collect, g, fmt, err);
}

static const char sitemap_index[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    "<sitemap><loc>http://kinhtedothi.test/sitemaps/sitemap-chuyen-muc.xml</loc>"
    "<lastmod>2021-09-07T22:34:00+07:00</lastmod></sitemap>\n"
    "<sitemap><loc> /sitemaps/sitemap-2015-03.xml.gz </loc>"
    "<lastmod>2015-03-19</lastmod></sitemap>\n"
    "<sitemap><loc>javascript:alert(1)</loc></sitemap>\n"
    "<sitemap><lastmod>2020-01-01</lastmod></sitemap>\n"
    "</sitemapindex>\n";

static void test_sitemap_index(void **state)
{
    (void)state;
    struct got g;
    enum kt_discover_format fmt;
    assert_int_equal(parse(sitemap_index, strlen(sitemap_index),
                           "http://kinhtedothi.test/sitemap.xml", &g, &fmt, NULL),
                     KT_OK);
    assert_int_equal(fmt, KT_FORMAT_SITEMAPINDEX);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.url[0], "http://kinhtedothi.test/sitemaps/sitemap-chuyen-muc.xml");
    assert_int_equal(g.kind[0], KT_DISCOVERED_SITEMAP);
    assert_true(g.has_date[0]);
    assert_int_equal(g.date[0], 1631028840); /* 2021-09-07T15:34:00Z */
    assert_string_equal(g.url[1], "http://kinhtedothi.test/sitemaps/sitemap-2015-03.xml.gz");
    assert_int_equal(g.date[1], 1426723200); /* 2015-03-19T00:00:00Z */
    got_free(&g);
}

static const char urlset[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
    "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n"
    "<url><loc>http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi</loc>"
    "<lastmod>2020-03-26T10:25:00+07:00</lastmod><changefreq>daily</changefreq></url>\n"
    "<url><loc>http://hanoimoi.test/a?x=1&amp;utm_source=sitemap</loc></url>\n"
    "<url><loc>http://hanoimoi.test/b?x=1&y=2</loc><lastmod>garbage</lastmod></url>\n"
    "<url><loc>http://hanoimoi.test/c</loc><news:news><news:publication_date>"
    "2020-03-26T10:25:00Z</news:publication_date></news:news></url>\n"
    "<url><loc>http://hanoimoi.test/d&nbsp;e</loc></url>\n"
    "</urlset>";

static void test_urlset(void **state)
{
    (void)state;
    struct got g;
    enum kt_discover_format fmt;
    assert_int_equal(
        parse(urlset, strlen(urlset), "http://hanoimoi.test/sitemaps/s.xml", &g, &fmt, NULL),
        KT_OK);
    assert_int_equal(fmt, KT_FORMAT_URLSET);
    assert_int_equal(g.n, 5);
    assert_string_equal(g.url[0], "http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi");
    assert_int_equal(g.kind[0], KT_DISCOVERED_PAGE);
    assert_true(g.has_date[0]);
    assert_int_equal(g.date[0], 1585193100);
    assert_string_equal(g.url[1], "http://hanoimoi.test/a?x=1");
    assert_false(g.has_date[1]);
    assert_string_equal(g.url[2], "http://hanoimoi.test/b?x=1&y=2"); /* bare & kept */
    assert_false(g.has_date[2]);
    assert_true(g.has_date[3]);
    assert_int_equal(g.date[3], 1585218300);
    assert_string_equal(g.url[4], "http://hanoimoi.test/d&nbsp;e"); /* HTML entity kept as text */
    got_free(&g);
}

static size_t gzip_bytes(const void *in, size_t len, unsigned char **out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, len) + 64;
    *out = malloc(cap);
    assert_non_null(*out);
    zs.next_in = (unsigned char *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t n = zs.total_out;
    deflateEnd(&zs);
    return n;
}

static void test_gzipped_sitemap(void **state)
{
    (void)state;
    unsigned char *gz;
    size_t n = gzip_bytes(urlset, strlen(urlset), &gz);
    struct got g;
    enum kt_discover_format fmt;
    assert_int_equal(
        parse((const char *)gz, n, "http://hanoimoi.test/sitemaps/s.xml.gz", &g, &fmt, NULL),
        KT_OK);
    assert_int_equal(fmt, KT_FORMAT_URLSET);
    assert_int_equal(g.n, 5);
    assert_string_equal(g.url[0], "http://hanoimoi.test/Tin-tuc/Chinh-tri/983246/ha-noi");
    got_free(&g);
    /* truncated gzip: what inflated is parsed in recovery mode, or a parse error, never a crash */
    struct kt_err err = {0};
    kt_status st = parse((const char *)gz, n / 2, "http://h/s.xml.gz", &g, &fmt, &err);
    assert_true(st == KT_OK || st == KT_EPARSE);
    assert_true(g.n <= 5);
    got_free(&g);
    /* corrupt gzip */
    gz[12] ^= 0xff;
    gz[13] ^= 0xff;
    st = parse((const char *)gz, n, "http://h/s.xml.gz", &g, &fmt, &err);
    assert_true(st == KT_EPARSE || st == KT_OK);
    got_free(&g);
    free(gz);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    /* 60 MiB of spaces inside a sitemap: over the 50 MiB default cap */
    size_t big = 60u * 1024 * 1024;
    char *doc = malloc(big);
    assert_non_null(doc);
    const char *head = "<urlset><url><loc>http://h/a</loc></url>";
    memcpy(doc, head, strlen(head));
    memset(doc + strlen(head), ' ', big - strlen(head));
    unsigned char *gz;
    size_t n = gzip_bytes(doc, big, &gz);
    free(doc);
    assert_true(n < 200 * 1024);
    struct got g;
    struct kt_err err = {0};
    assert_int_equal(parse((const char *)gz, n, "http://h/bomb.xml.gz", &g, NULL, &err),
                     KT_ETOOBIG);
    assert_int_equal(g.n, 0);
    assert_non_null(strstr(err.msg, "http://h/bomb.xml.gz"));
    /* a smaller cap through the options */
    struct kt_discover_opts o = {1024 * 1024, 0};
    memset(&g, 0, sizeof g);
    assert_int_equal(
        kt_discover_parse((const char *)gz, n, NULL, "http://h/b.gz", &o, collect, &g, NULL, &err),
        KT_ETOOBIG);
    /* kt_gunzip directly */
    struct kt_buf out = {0};
    assert_int_equal(kt_gunzip(gz, n, 4096, &out, &err), KT_ETOOBIG);
    assert_true(out.len <= 4096);
    kt_buf_free(&out);
    free(gz);
    /* uncompressed over the cap */
    o.max_bytes = 100;
    assert_int_equal(
        kt_discover_parse(urlset, strlen(urlset), NULL, NULL, &o, collect, &g, NULL, &err),
        KT_ETOOBIG);
}

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
    "<title>Báo Kinh tế &amp; Đô thị</title><link>http://kinhtedothi.test/</link>\n"
    "<atom:link href=\"http://kinhtedothi.test/rss/home.rss\" rel=\"self\"/>\n"
    "<item><title>Mê Linh: Nâng cao  chất lượng</title>\n"
    "<link>http://kinhtedothi.test/me-linh-433712.html?utm_source=rss&amp;utm_medium=feed</link>\n"
    "<description><![CDATA[<a href=\"http://x/\">x</a> lead]]></description>\n"
    "<pubDate>Tue, 07 Sep 2021 22:34:00 +0700</pubDate>"
    "<guid isPermaLink=\"false\">ktdt-433712</guid></item>\n"
    "<item><title><![CDATA[Đông "
    "Anh]]></title><guid>http://kinhtedothi.test/dong-anh-402517.html</guid>"
    "<pubDate>Fri, 18 Dec 2020 20:54:00 GMT</pubDate></item>\n"
    "<item><title>no link</title><guid "
    "isPermaLink=\"false\">http://kinhtedothi.test/x</guid></item>\n"
    "<item><link>  /relative-1.html  </link><dc:date>2020-07-17T13:33:00+07:00</dc:date></item>\n"
    "</channel></rss>";

static void test_rss(void **state)
{
    (void)state;
    struct got g;
    enum kt_discover_format fmt;
    assert_int_equal(
        parse(rss, strlen(rss), "http://kinhtedothi.test/rss/home.rss", &g, &fmt, NULL), KT_OK);
    assert_int_equal(fmt, KT_FORMAT_RSS);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.url[0], "http://kinhtedothi.test/me-linh-433712.html");
    assert_string_equal(g.title[0], "Mê Linh: Nâng cao chất lượng");
    assert_true(g.has_date[0]);
    assert_int_equal(g.date[0], 1631028840);
    assert_string_equal(g.url[1], "http://kinhtedothi.test/dong-anh-402517.html");
    assert_string_equal(g.title[1], "Đông Anh");
    assert_int_equal(g.date[1], 1608324840);
    assert_string_equal(g.url[2], "http://kinhtedothi.test/relative-1.html");
    assert_int_equal(g.date[2], 1594967580);
    got_free(&g);
}

static const char atom[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>x</title>\n"
    "<link rel=\"self\" href=\"http://h.vn/atom.xml\"/>\n"
    "<entry><title type=\"html\">Tiêu đề &lt;b&gt;</title>"
    "<link rel=\"self\" href=\"http://h.vn/self\"/>"
    "<link rel=\"alternate\" type=\"text/html\" href=\"/bai-1.html#x\"/>"
    "<id>urn:uuid:1</id><updated>2020-05-26T08:15:00+07:00</updated>"
    "<published>2020-05-25T08:15:00+07:00</published></entry>\n"
    "<entry><link href=\"http://h.vn/bai-2.html\"/><published>2020-05-25</published></entry>\n"
    "<entry><link rel=\"enclosure\" href=\"http://h.vn/a.mp3\"/></entry>\n"
    "</feed>";

static void test_atom(void **state)
{
    (void)state;
    struct got g;
    enum kt_discover_format fmt;
    assert_int_equal(parse(atom, strlen(atom), "http://h.vn/atom.xml", &g, &fmt, NULL), KT_OK);
    assert_int_equal(fmt, KT_FORMAT_ATOM);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.url[0], "http://h.vn/bai-1.html");
    assert_string_equal(g.title[0], "Tiêu đề <b>");
    assert_int_equal(g.date[0], 1590455700); /* updated wins over published */
    assert_string_equal(g.url[1], "http://h.vn/bai-2.html");
    assert_int_equal(g.date[1], 1590364800);
    got_free(&g);
}

static void test_text_sitemap_and_malformed(void **state)
{
    (void)state;
    struct got g;
    enum kt_discover_format fmt;
    struct kt_err err = {0};
    const char *text = "http://h.vn/a\r\n\r\n  https://h.vn/b  \nnot a url\nftp://h.vn/c\n";
    assert_int_equal(parse(text, strlen(text), NULL, &g, &fmt, NULL), KT_OK);
    assert_int_equal(fmt, KT_FORMAT_URLSET);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.url[1], "https://h.vn/b");
    got_free(&g);

    static const char *const bad[] = {
        "",  "just words", "<html><body><a href='/x'>x</a></body></html>",
        "<", "\x1f\x8b",   "<?xml version=\"1.0\"?>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err.msg[0] = '\0';
        assert_int_equal(parse(bad[i], strlen(bad[i]), "http://h.vn/s.xml", &g, &fmt, &err),
                         KT_EPARSE);
        assert_non_null(strstr(err.msg, "http://h.vn/s.xml"));
        assert_int_equal(g.n, 0);
    }
    /* broken but recoverable XML keeps the URLs before the damage */
    const char *broken = "<urlset><url><loc>http://h.vn/a</loc></url><url><loc>http://h.vn/b</loc>"
                         "</url><url><loc>http://h.vn/c";
    assert_int_equal(parse(broken, strlen(broken), NULL, &g, &fmt, NULL), KT_OK);
    assert_true(g.n >= 2);
    assert_string_equal(g.url[0], "http://h.vn/a");
    got_free(&g);
}

static void test_hostile_xml(void **state)
{
    (void)state;
    struct got g;
    /* XXE: the external entity must not be loaded */
    const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "
                      "\"file:///etc/passwd\">]>\n<urlset><url><loc>http://h.vn/&xxe;</loc></url>"
                      "</urlset>";
    assert_int_equal(parse(xxe, strlen(xxe), NULL, &g, NULL, NULL), KT_OK);
    for (size_t i = 0; i < g.n; i++)
        assert_null(strstr(g.url[i], "root"));
    got_free(&g);
    /* billion laughs: no expansion, finishes at once */
    const char *lol = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                      "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
                      "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
                      "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
                      "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
                      "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
                      "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
                      "]><urlset><url><loc>http://h.vn/&lol9;</loc></url></urlset>";
    int64_t t0 = kt_now_ms();
    assert_int_equal(parse(lol, strlen(lol), NULL, &g, NULL, NULL), KT_OK);
    assert_true(kt_now_ms() - t0 < 5000);
    for (size_t i = 0; i < g.n; i++)
        assert_true(strlen(g.url[i]) < 200);
    got_free(&g);
}

static void test_caps_and_stop(void **state)
{
    (void)state;
    struct kt_buf doc = {0};
    assert_int_equal(kt_buf_append_cstr(&doc, "<urlset>"), KT_OK);
    for (int i = 0; i < 100; i++)
        assert_int_equal(kt_buf_printf(&doc, "<url><loc>http://h.vn/%d</loc></url>", i), KT_OK);
    assert_int_equal(kt_buf_append_cstr(&doc, "</urlset>"), KT_OK);
    struct got g;
    memset(&g, 0, sizeof g);
    struct kt_discover_opts o = {0, 10};
    assert_int_equal(kt_discover_parse(doc.data, doc.len, NULL, NULL, &o, collect, &g, NULL, NULL),
                     KT_OK);
    assert_int_equal(g.n, 10);
    got_free(&g);
    g.stop_after = 3;
    assert_int_equal(
        kt_discover_parse(doc.data, doc.len, NULL, NULL, NULL, collect, &g, NULL, NULL),
        KT_EINTERRUPTED);
    assert_int_equal(g.n, 3);
    got_free(&g);
    kt_buf_free(&doc);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool rfc822;
        bool ok;
        int64_t t;
    } d[] = {
        {"2021-09-07T22:34:00+07:00", false, true, 1631028840},
        {"2021-09-07T15:34:00Z", false, true, 1631028840},
        {"2021-09-07T15:34:00.123Z", false, true, 1631028840},
        {"2021-09-07T15:34Z", false, true, 1631028840},
        {"2021-09-07T17:34:00+0200", false, true, 1631028840},
        {"2021-09-07", false, true, 1630972800},
        {"2021-09", false, true, 1630454400},
        {"2021", false, true, 1609459200},
        {" 2021-09-07 ", false, true, 1630972800},
        {"2021-02-30", false, false, 0},
        {"2021-13-01", false, false, 0},
        {"07/09/2021", false, false, 0},
        {"2021-09-07T25:00:00Z", false, false, 0},
        {"", false, false, 0},
        {"Tue, 07 Sep 2021 22:34:00 +0700", true, true, 1631028840},
        {"Tue, 07 Sep 2021 15:34:00 GMT", true, true, 1631028840},
        {"07 Sep 2021 15:34:00 UT", true, true, 1631028840},
        {"Tue, 7 Sep 2021 15:34 GMT", true, true, 1631028840},
        {"Tue, 07 Sep 21 15:34:00 GMT", true, true, 1631028840},
        {"Tue, 07 Sep 2021 11:34:00 EDT", true, true, 1631028840},
        {"Tue, 07 Sep 2021 15:34:00", true, true, 1631028840},
        {"2021-09-07T22:34:00+07:00", true, true, 1631028840}, /* W3C in a pubDate */
        {"Tue, 07 Foo 2021 15:34:00 GMT", true, false, 0},
        {"Tue, 32 Sep 2021 15:34:00 GMT", true, false, 0},
        {"yesterday", true, false, 0},
    };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        int64_t t = 0;
        bool ok = d[i].rfc822 ? kt_date_parse_rfc822(d[i].s, &t) : kt_date_parse_w3c(d[i].s, &t);
        if (ok != d[i].ok || (ok && t != d[i].t))
            print_error("case %zu: %s -> %d %lld\n", i, d[i].s, ok, (long long)t);
        assert_int_equal(ok, d[i].ok);
        if (ok)
            assert_int_equal(t, d[i].t);
    }
}

/* The fixture's sitemap index, monthly and gzipped sitemaps and feeds, when ../shared exists. */
static void test_fixture_documents(void **state)
{
    (void)state;
    if (!tu_shared_dir()) {
        printf("../shared absent: skipping the fixture sitemaps and feeds\n");
        skip();
    }
    static const struct {
        const char *rel;
        enum kt_discover_format fmt;
    } docs[] = {
        {"fixtures/site/kinhtedothi/sitemap.xml", KT_FORMAT_SITEMAPINDEX},
        {"fixtures/site/kinhtedothi/sitemaps/sitemap-2015-03.xml.gz", KT_FORMAT_URLSET},
        {"fixtures/site/kinhtedothi/sitemaps/sitemap-2021-09.xml", KT_FORMAT_URLSET},
        {"fixtures/site/kinhtedothi/rss/home.rss", KT_FORMAT_RSS},
        {"fixtures/site/dangcongsan/rss/home.rss", KT_FORMAT_RSS},
        {"fixtures/site/phunuthudo/sitemap.xml", KT_FORMAT_SITEMAPINDEX},
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char *path = tu_shared_path(docs[i].rel);
        if (!path) {
            printf("%s missing: skipping\n", docs[i].rel);
            skip();
        }
        struct kt_buf b = {0};
        assert_int_equal(kt_read_file(path, 0, &b, NULL), KT_OK);
        struct got g;
        enum kt_discover_format fmt;
        struct kt_err err = {0};
        kt_status st = parse(b.data, b.len, "http://kinhtedothi.test/x.xml", &g, &fmt, &err);
        if (st != KT_OK)
            print_error("%s: %s\n", docs[i].rel, err.msg);
        assert_int_equal(st, KT_OK);
        assert_int_equal(fmt, docs[i].fmt);
        assert_true(g.n >= 1);
        for (size_t k = 0; k < g.n && k < MAXGOT; k++) {
            assert_null(strstr(g.url[k], "utm_"));
            assert_non_null(strstr(g.url[k], ".test/"));
            if (fmt != KT_FORMAT_RSS)
                assert_true(g.has_date[k]);
        }
        got_free(&g);
        kt_buf_free(&b);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sitemap_index),
        cmocka_unit_test(test_urlset),
        cmocka_unit_test(test_gzipped_sitemap),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_atom),
        cmocka_unit_test(test_text_sitemap_and_malformed),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_caps_and_stop),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_fixture_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
