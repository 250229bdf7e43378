/* test_robots.c - robots.txt tests: the RFC 9309 examples, longest match and Allow ties,
 * wildcards, group selection, Crawl-delay, Sitemap lines, fetch states, the 500 KiB limit,
 * serialization, and the fixture sites' robots files (embedded, plus ../shared when present). */
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

struct check {
    const char *agent, *path;
    bool allowed;
};

static struct kt_robots *parse(const char *body)
{
    struct kt_robots *r = NULL;
    struct kt_err err = {0};
    assert_int_equal(kt_robots_parse(body, strlen(body), &r, &err), KT_OK);
    assert_non_null(r);
    assert_int_equal(kt_robots_get_state(r), KT_ROBOTS_PARSED);
    return r;
}

static void run_checks(const struct kt_robots *r, const struct check *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool got = kt_robots_allowed(r, c[i].agent, c[i].path);
        if (got != c[i].allowed)
            print_error("check %zu: %s %s -> %d, want %d\n", i, c[i].agent, c[i].path, got,
                        c[i].allowed);
        assert_int_equal(got, c[i].allowed);
    }
}

/* RFC 9309 section 5.1 */
static const char rfc_example[] = "User-Agent: *\n"
                                  "Disallow: *.gif$\n"
                                  "Disallow: /example/\n"
                                  "Allow: /publications/\n"
                                  "\n"
                                  "User-Agent: foobot\n"
                                  "Disallow:/\n"
                                  "Allow:/example/page.html\n"
                                  "Allow:/example/allowed.gif\n"
                                  "\n"
                                  "User-Agent: barbot\n"
                                  "User-Agent: bazbot\n"
                                  "Disallow: /example/page.html\n"
                                  "\n"
                                  "User-Agent: quxbot\n"
                                  "\n"
                                  "EOF\n";

static void test_rfc_example(void **state)
{
    (void)state;
    struct kt_robots *r = parse(rfc_example);
    static const struct check c[] = {
        {"foobot", "/example/page.html", true},
        {"foobot", "/example/allowed.gif", true},
        {"foobot", "/example/other.html", false},
        {"foobot", "/", false},
        {"FooBot", "/example/page.html", true}, /* case-insensitive token */
        {"foobot/2.1 (+http://x)", "/", false}, /* a whole User-Agent: its token is used */
        {"barbot", "/example/page.html", false},
        {"bazbot", "/example/page.html", false},
        {"barbot", "/example/other.html", true}, /* the * group does not apply to barbot */
        {"barbot", "/x.gif", true},
        {"quxbot", "/example/page.html", true}, /* empty group: everything allowed */
        {"otherbot", "/x.gif", false},
        {"otherbot", "/x.gif?y", true}, /* $ anchors */
        {"otherbot", "/example/", false},
        {"otherbot", "/publications/a", true},
        {"otherbot", "/", true},
        {"otherbot", "/robots.txt", true},
    };
    run_checks(r, c, sizeof c / sizeof *c);
    kt_robots_free(r);
}

/* RFC 9309 section 2.2.2/2.2.3 pattern examples */
static void test_rfc_patterns(void **state)
{
    (void)state;
    static const struct {
        const char *rule, *path;
        bool match;
    } m[] = {
        {"/fish", "/fish", true},
        {"/fish", "/fish.html", true},
        {"/fish", "/fish/salmon.html", true},
        {"/fish", "/fishheads", true},
        {"/fish", "/fish.php?id=anything", true},
        {"/fish", "/Fish.asp", false},
        {"/fish", "/catfish", false},
        {"/fish*", "/fishheads/yummy.html", true},
        {"/fish*", "/Fish.asp", false},
        {"/fish/", "/fish/", true},
        {"/fish/", "/fish/?id=anything", true},
        {"/fish/", "/fish", false},
        {"/fish/", "/fish.html", false},
        {"/*.php", "/index.php", true},
        {"/*.php", "/filename.php", true},
        {"/*.php", "/folder/filename.php", true},
        {"/*.php", "/folder/filename.php?parameters", true},
        {"/*.php", "/folder/any.php.file.html", true},
        {"/*.php", "/filename.php/", true},
        {"/*.php", "/", false},
        {"/*.php", "/windows.PHP", false},
        {"/*.php$", "/filename.php", true},
        {"/*.php$", "/folder/filename.php", true},
        {"/*.php$", "/filename.php?parameters", false},
        {"/*.php$", "/filename.php/", false},
        {"/*.php$", "/filename.php5", false},
        {"/fish*.php", "/fish.php", true},
        {"/fish*.php", "/fishheads/catfish.php?parameters", true},
        {"/fish*.php", "/Fish.PHP", false},
        {"/*?print=", "/chinh-tri/abc-41207.html?print=1", true},
        {"/*?print=", "/chinh-tri/abc-41207.html", false},
        {"/*?print=", "/a.html?x=1&print=1", false}, /* as written: "?print=" must follow */
        {"/foo/bar/%62%61%7A", "/foo/bar/baz", true},
        {"/foo/bar/baz", "/foo/bar/%62%61%7A", true},
        {"/foo/bar/ツ", "/foo/bar/%E3%83%84", true},
        {"/foo/bar/%E3%83%84", "/foo/bar/ツ", true},
        {"/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84", true},
        {"/tin-tức", "/tin-t%E1%BB%A9c/x", true},
        {"/a**b", "/axxb", true},
        {"/$", "/", true},
        {"/$", "/a", false},
        {"*", "/anything", true},
    };
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        char body[256];
        snprintf(body, sizeof body, "User-agent: *\nDisallow: %s\n", m[i].rule);
        struct kt_robots *r = parse(body);
        bool allowed = kt_robots_allowed(r, "khotin", m[i].path);
        if (allowed == m[i].match)
            print_error("case %zu: rule %s path %s\n", i, m[i].rule, m[i].path);
        assert_int_equal(allowed, !m[i].match);
        kt_robots_free(r);
    }
}

static void test_longest_match_and_ties(void **state)
{
    (void)state;
    struct kt_robots *r = parse("User-agent: *\n"
                                "Disallow: /page\n"
                                "Allow: /page\n" /* tie: Allow wins */
                                "Disallow: /admin/\n"
                                "Allow: /admin/thong-bao/\n"
                                "Allow: /folder\n"
                                "Disallow: /folder/deep\n"
                                "Allow: /p\n"
                                "Disallow: /*.html\n"
                                "Allow: /*.html$\n"); // one byte longer than the Disallow
    static const struct check c[] = {
        {"khotin", "/page", true},
        {"khotin", "/page.html", true},
        {"khotin", "/admin/", false},
        {"khotin", "/admin/preview/12", false},
        {"khotin", "/admin/thong-bao/", true},
        {"khotin", "/admin/thong-bao/lich-tiep-dan.html", true},
        {"khotin", "/folder/x", true},
        {"khotin", "/folder/deep/x", false},
        {"khotin", "/x.html", true},    // the 8-byte Allow beats the 7-byte Disallow
        {"khotin", "/x.html?a", false}, // only the Disallow matches
        {"khotin", "", true},           /* "" counts as "/" */
    };
    run_checks(r, c, sizeof c / sizeof *c);
    kt_robots_free(r);
}

static void test_group_selection(void **state)
{
    (void)state;
    /* the fixture rule set (kinhtedothi.test/robots.txt) embedded, so this runs without
     * ../shared */
    struct kt_robots *r = parse("# robots.txt - Báo Kinh tế & Đô thị\n"
                                "# Cập nhật: 15/01/2024\n"
                                "\n"
                                "User-agent: *\n"
                                "Disallow: /admin/\n"
                                "Disallow: /tim-kiem\n"
                                "Disallow: /binh-luan/\n"
                                "Crawl-delay: 1\n"
                                "\n"
                                "User-agent: AhrefsBot\n"
                                "User-agent: MJ12bot\n"
                                "Disallow: /\n"
                                "\n"
                                "Sitemap: http://kinhtedothi.test/sitemap.xml\n");
    static const struct check c[] = {
        {"khotin", "/", true},
        {"khotin", "/chinh-tri/", true},
        {"khotin", "/tim-kiem?q=abc", false},
        {"khotin", "/tim-kiem", false},
        {"khotin", "/admin/preview/1.html", false},
        {"khotin", "/binh-luan/x", false},
        {"AhrefsBot", "/", false},
        {"ahrefsbot", "/chinh-tri/", false},
        {"MJ12bot", "/x", false},
        {"*", "/tim-kiem", false},
        {"", "/tim-kiem", false},
    };
    run_checks(r, c, sizeof c / sizeof *c);
    assert_int_equal(kt_robots_crawl_delay_ms(r, "khotin"), 1000);
    assert_int_equal(kt_robots_crawl_delay_ms(r, "AhrefsBot"), -1);
    assert_int_equal(kt_robots_sitemap_count(r), 1);
    assert_string_equal(kt_robots_sitemap(r, 0), "http://kinhtedothi.test/sitemap.xml");
    assert_null(kt_robots_sitemap(r, 1));
    kt_robots_free(r);

    /* a group naming khotin replaces the * group entirely; groups with the same agent merge */
    r = parse("User-agent: *\nDisallow: /\n\n"
              "User-agent: khotin\nDisallow: /private/\nCrawl-delay: 2.5\n\n"
              "User-agent: other\nDisallow: /x\n\n"
              "User-agent: KHOTIN\nDisallow: /secret\n");
    static const struct check c2[] = {
        {"khotin", "/", true},
        {"khotin", "/private/a", false},
        {"khotin", "/secret", false},
        {"googlebot", "/", false},
    };
    run_checks(r, c2, sizeof c2 / sizeof *c2);
    assert_int_equal(kt_robots_crawl_delay_ms(r, "khotin"), 2500);
    assert_int_equal(kt_robots_crawl_delay_ms(r, "googlebot"), -1);
    kt_robots_free(r);
}

static void test_syntax_tolerance(void **state)
{
    (void)state;
    /* BOM, CRLF, CR, comments, spaces, unknown keys, rules before any group, no final EOL */
    struct kt_robots *r = parse("\xEF\xBB\xBF"
                                "Disallow: /zzz-before-any-group\r\n"
                                "user-agent : *   # all\r"
                                "Host: example.com\r\n"
                                "   DISALLOW:/a # comment\n"
                                "junk line without colon\n"
                                "Crawl-delay: abc\n"
                                "Sitemap: http://h/s1.xml\n"
                                "Disallow: /b\n"
                                "Sitemap:http://h/s2.xml");
    static const struct check c[] = {
        {"khotin", "/zzz-before-any-group", true},
        {"khotin", "/a", false},
        {"khotin", "/b", false},
        {"khotin", "/c", true},
    };
    run_checks(r, c, sizeof c / sizeof *c);
    assert_int_equal(kt_robots_crawl_delay_ms(r, "khotin"), -1);
    assert_int_equal(kt_robots_sitemap_count(r), 2);
    assert_string_equal(kt_robots_sitemap(r, 1), "http://h/s2.xml");
    kt_robots_free(r);

    /* empty file and binary junk: allow all */
    r = parse("");
    assert_true(kt_robots_allowed(r, "khotin", "/x"));
    kt_robots_free(r);
    static const char junk[] = "\x00\x01\xff\xfe<html>\x00Disallow: /";
    assert_int_equal(kt_robots_parse(junk, sizeof junk - 1, &r, NULL), KT_OK);
    assert_true(kt_robots_allowed(r, "khotin", "/x"));
    kt_robots_free(r);
}

static void test_fetch_states(void **state)
{
    (void)state;
    static const struct {
        int status;
        enum kt_robots_state want;
    } s[] = {
        {200, KT_ROBOTS_PARSED},       {204, KT_ROBOTS_PARSED},       {301, KT_ROBOTS_ALLOW_ALL},
        {401, KT_ROBOTS_ALLOW_ALL},    {403, KT_ROBOTS_ALLOW_ALL},    {404, KT_ROBOTS_ALLOW_ALL},
        {410, KT_ROBOTS_ALLOW_ALL},    {429, KT_ROBOTS_DISALLOW_ALL}, {500, KT_ROBOTS_DISALLOW_ALL},
        {503, KT_ROBOTS_DISALLOW_ALL}, {0, KT_ROBOTS_DISALLOW_ALL},   {-1, KT_ROBOTS_DISALLOW_ALL},
        {600, KT_ROBOTS_DISALLOW_ALL},
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        struct kt_robots *r = NULL;
        assert_int_equal(
            kt_robots_from_fetch(s[i].status, "User-agent: *\nDisallow: /x\n", 28, &r, NULL),
            KT_OK);
        assert_int_equal(kt_robots_get_state(r), s[i].want);
        bool root = kt_robots_allowed(r, "khotin", "/");
        bool x = kt_robots_allowed(r, "khotin", "/x");
        switch (s[i].want) {
        case KT_ROBOTS_PARSED:
            assert_true(root);
            assert_false(x);
            break;
        case KT_ROBOTS_ALLOW_ALL:
            assert_true(root);
            assert_true(x);
            break;
        case KT_ROBOTS_DISALLOW_ALL:
            assert_false(root);
            assert_false(x);
            break;
        }
        kt_robots_free(r);
    }
    struct kt_robots *a = NULL, *d = NULL;
    assert_int_equal(kt_robots_new_allow_all(&a, NULL), KT_OK);
    assert_int_equal(kt_robots_new_disallow_all(&d, NULL), KT_OK);
    assert_true(kt_robots_allowed_url(a, "khotin", "http://h/x"));
    assert_false(kt_robots_allowed_url(d, "khotin", "http://h/x"));
    assert_int_equal(kt_robots_crawl_delay_ms(a, "khotin"), -1);
    kt_robots_free(a);
    kt_robots_free(d);
}

static void test_size_limit(void **state)
{
    (void)state;
    /* a rule beyond 500 KiB is ignored; one before it is honoured */
    size_t pad = KT_ROBOTS_MAX_BYTES;
    const char *head = "User-agent: *\nDisallow: /early\n";
    const char *tail = "\nDisallow: /late\n";
    size_t n = strlen(head) + pad + strlen(tail);
    char *body = malloc(n + 1);
    assert_non_null(body);
    strcpy(body, head);
    memset(body + strlen(head), '#', pad);
    body[strlen(head)] = '\n';
    strcpy(body + strlen(head) + pad, tail);
    struct kt_robots *r = NULL;
    assert_int_equal(kt_robots_parse(body, n, &r, NULL), KT_OK);
    assert_false(kt_robots_allowed(r, "khotin", "/early"));
    assert_true(kt_robots_allowed(r, "khotin", "/late"));
    kt_robots_free(r);
    free(body);
}

static void test_serialization(void **state)
{
    (void)state;
    struct kt_robots *r = parse(rfc_example), *back = NULL;
    struct kt_buf b = {0};
    assert_int_equal(kt_robots_serialize(r, &b, NULL), KT_OK);
    assert_int_equal(kt_robots_deserialize(b.data, b.len, &back, NULL), KT_OK);
    assert_int_equal(kt_robots_get_state(back), KT_ROBOTS_PARSED);
    static const struct check c[] = {
        {"foobot", "/example/page.html", true},
        {"foobot", "/x", false},
        {"otherbot", "/x.gif", false},
    };
    run_checks(back, c, sizeof c / sizeof *c);
    kt_robots_free(back);
    kt_robots_free(r);
    kt_buf_free(&b);

    for (int st = 1; st <= 2; st++) {
        r = NULL;
        assert_int_equal(st == 1 ? kt_robots_new_allow_all(&r, NULL)
                                 : kt_robots_new_disallow_all(&r, NULL),
                         KT_OK);
        assert_int_equal(kt_robots_serialize(r, &b, NULL), KT_OK);
        assert_int_equal(kt_robots_deserialize(b.data, b.len, &back, NULL), KT_OK);
        assert_int_equal(kt_robots_get_state(back), st);
        kt_robots_free(back);
        kt_robots_free(r);
        kt_buf_free(&b);
    }
    struct kt_err err = {0};
    assert_int_equal(kt_robots_deserialize("garbage", 7, &back, &err), KT_ECORRUPT);
    assert_int_equal(kt_robots_deserialize("KTROBOTS1 0 99\nshort", 20, &back, &err), KT_ECORRUPT);
    assert_int_equal(kt_robots_deserialize("KTROBOTS1 7 0\n", 14, &back, &err), KT_ECORRUPT);
    assert_null(back);
}

static void test_ua_token(void **state)
{
    (void)state;
    char t[32];
    assert_string_equal(kt_robots_ua_token("khotin/0.1 (+https://x)", t, sizeof t), "khotin");
    assert_string_equal(kt_robots_ua_token("  Mozilla/5.0", t, sizeof t), "Mozilla");
    assert_string_equal(kt_robots_ua_token("*", t, sizeof t), "*");
    assert_string_equal(kt_robots_ua_token("/x", t, sizeof t), "");
    assert_string_equal(kt_robots_ua_token("abcdefgh", t, 4), "abc");
}

/* The fixture sites' own robots files (virtual-host form) and the combined prefix-form file
 * against the manifest's must_not_fetch / allowed_despite_prefix lists. */
static void test_fixture_robots(void **state)
{
    (void)state;
    static const char *const sites[] = {"kinhtedothi", "hanoimoi", "dangcongsan", "thachthat",
                                        "phunuthudo"};
    if (!tu_shared_dir()) {
        printf("../shared absent: skipping the fixture robots files\n");
        skip();
    }
    for (size_t i = 0; i < 5; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "fixtures/site/%s/robots.txt", sites[i]);
        char *path = tu_shared_path(rel);
        if (!path) {
            printf("%s missing: skipping\n", rel);
            skip();
        }
        struct kt_buf b = {0};
        assert_int_equal(kt_read_file(path, 0, &b, NULL), KT_OK);
        struct kt_robots *r = NULL;
        assert_int_equal(kt_robots_parse(b.data, b.len, &r, NULL), KT_OK);
        assert_true(kt_robots_allowed(r, "khotin", "/"));
        assert_false(kt_robots_allowed(r, "khotin", "/admin/preview/1.html"));
        assert_false(kt_robots_allowed(r, "khotin", "/tim-kiem?q=dang"));
        assert_false(kt_robots_allowed(r, "khotin", "/binh-luan/1"));
        assert_false(kt_robots_allowed(r, "AhrefsBot", "/"));
        assert_false(kt_robots_allowed(r, "MJ12bot", "/"));
        assert_true(kt_robots_crawl_delay_ms(r, "khotin") >= 1000);
        assert_int_equal(kt_robots_sitemap_count(r), 1);
        if (strcmp(sites[i], "thachthat") == 0)
            assert_true(kt_robots_allowed(r, "khotin", "/admin/thong-bao/x.html"));
        if (strcmp(sites[i], "phunuthudo") == 0) {
            assert_false(kt_robots_allowed(r, "khotin", "/chinh-tri/a-41207.html?print=1"));
            assert_true(kt_robots_allowed(r, "khotin", "/chinh-tri/a-41207.html"));
        }
        if (strcmp(sites[i], "dangcongsan") == 0) {
            assert_int_equal(kt_robots_crawl_delay_ms(r, "khotin"), 2000);
            assert_false(kt_robots_allowed(r, "khotin", "/cpv/Modules/News/Search.aspx?k=1"));
        }
        kt_robots_free(r);
        kt_buf_free(&b);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example),
        cmocka_unit_test(test_rfc_patterns),
        cmocka_unit_test(test_longest_match_and_ties),
        cmocka_unit_test(test_group_selection),
        cmocka_unit_test(test_syntax_tolerance),
        cmocka_unit_test(test_fetch_states),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_serialization),
        cmocka_unit_test(test_ua_token),
        cmocka_unit_test(test_fixture_robots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
