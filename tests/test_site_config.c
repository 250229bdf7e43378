/* test_site_config.c - the INI site configuration: a good file, every error with its line,
 * defaults, config-less seed sites, the shipped config/sites.ini and config/fixtures.ini, and
 * fixtures.ini's patterns against ../shared/fixtures/site/manifest.json when present. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "crawler/crawler.h"
#include "tests/support/testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char good[] = "; a comment\n"
                           "# another\n"
                           "[crawl]\n"
                           "user_agent = testbot/1.0 (+https://example.org/bot)\n"
                           "concurrency = 4\n"
                           "per_host_connections = 1\n"
                           "delay_ms = 1500\n"
                           "max_body = 2M\n"
                           "warc_max_size = 512M\n"
                           "warc_prefix = test-arch\n"
                           "max_pagination = 20\n"
                           "retries = 2\n"
                           "\n"
                           "[site kinhtedothi]\n"
                           "base_url = HTTP://KinhTeDoThi.VN\n"
                           "seed = /chinh-tri/\n"
                           "seed = https://www.kinhtedothi.vn/chinh-tri/xay-dung-dang/\n"
                           "sitemap = /sitemap.xml\n"
                           "sitemap = https://cdn.kinhtedothi.vn/sitemap-news.xml\n"
                           "feed = /rss/home.rss\n"
                           "article_pattern = -[0-9]{5,}\\.html$\n"
                           "listing_pattern = ^/chinh-tri/\n"
                           "skip_pattern = ^/tim-kiem\n"
                           "skip_pattern = ^/admin/\n"
                           "strip_param = print\n"
                           "delay_ms = 3000\n"
                           "max_pages = 100\n"
                           "xpath_title = //h1[@class='title_detail_news']\n"
                           "xpath_body = //div[@id='cotent_detail']\n"
                           "\n"
                           "[thachthat]\n"
                           "base_url = https://thachthat.hanoi.gov.vn/\n";

static void test_good_file(void **state)
{
    (void)state;
    struct kt_site_config cfg;
    struct kt_err err = {0};
    kt_status st = kt_site_config_load_string(good, strlen(good), "good.ini", &cfg, &err);
    if (st != KT_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, KT_OK);
    assert_string_equal(cfg.path, "good.ini");
    assert_string_equal(cfg.crawl.user_agent, "testbot/1.0 (+https://example.org/bot)");
    assert_int_equal(cfg.crawl.concurrency, 4);
    assert_int_equal(cfg.crawl.per_host_connections, 1);
    assert_int_equal(cfg.crawl.delay_ms, 1500);
    assert_int_equal(cfg.crawl.max_body, 2 * 1024 * 1024);
    assert_int_equal(cfg.crawl.warc_max_size, 512ull * 1024 * 1024);
    assert_string_equal(cfg.crawl.warc_prefix, "test-arch");
    assert_int_equal(cfg.crawl.max_pagination, 20);
    assert_int_equal(cfg.crawl.retries, 2);
    assert_int_equal(cfg.crawl.max_redirects, 5); /* default kept */
    assert_int_equal(cfg.crawl.timeout_ms, 60000);
    assert_int_equal(cfg.n_sites, 2);

    const struct kt_site *k = kt_site_config_find(&cfg, "kinhtedothi");
    assert_non_null(k);
    assert_string_equal(k->base_url, "http://kinhtedothi.vn/");
    assert_string_equal(k->host, "kinhtedothi.vn");
    assert_string_equal(k->path_prefix, "/");
    assert_int_equal(k->n_seeds, 2);
    assert_string_equal(k->seeds[0], "http://kinhtedothi.vn/chinh-tri/");
    assert_string_equal(k->seeds[1], "https://www.kinhtedothi.vn/chinh-tri/xay-dung-dang/");
    assert_int_equal(k->n_sitemaps, 2);
    assert_string_equal(k->sitemaps[0], "http://kinhtedothi.vn/sitemap.xml");
    assert_string_equal(k->sitemaps[1], "https://cdn.kinhtedothi.vn/sitemap-news.xml");
    assert_int_equal(k->n_feeds, 1);
    assert_int_equal(k->n_article_patterns, 1);
    assert_int_equal(k->n_skip_patterns, 2);
    assert_int_equal(k->delay_ms, 3000);
    assert_int_equal(k->max_pages, 100);
    assert_string_equal(k->xpath_title, "//h1[@class='title_detail_news']");
    assert_null(k->xpath_date);
    assert_int_equal(kt_site_delay_ms(&cfg, k), 3000);
    assert_int_equal(kt_site_max_pages(&cfg, k), 100);
    assert_int_equal(kt_site_max_pagination(&cfg, k), 20);
    assert_string_equal(kt_site_user_agent(&cfg, k), cfg.crawl.user_agent);

    const struct kt_site *t = kt_site_config_find(&cfg, "thachthat");
    assert_non_null(t);
    assert_int_equal(t->n_seeds, 1); /* base_url is the default seed */
    assert_string_equal(t->seeds[0], "https://thachthat.hanoi.gov.vn/");
    assert_int_equal(kt_site_delay_ms(&cfg, t), 1500);
    assert_null(kt_site_config_find(&cfg, "nope"));

    /* classification and scope */
    assert_int_equal(kt_site_classify(k, "http://kinhtedothi.vn/me-linh-433712.html"),
                     KT_ROLE_ARTICLE);
    assert_int_equal(kt_site_classify(k, "http://kinhtedothi.vn/chinh-tri/trang-2.html"),
                     KT_ROLE_LISTING);
    assert_int_equal(kt_site_classify(k, "http://kinhtedothi.vn/tim-kiem?q=1-2.html"),
                     KT_ROLE_SKIP);
    assert_int_equal(kt_site_classify(k, "http://kinhtedothi.vn/me-linh-433712.html?print=1"),
                     KT_ROLE_SKIP);
    assert_int_equal(kt_site_classify(k, "http://kinhtedothi.vn/gioi-thieu"), KT_ROLE_UNKNOWN);
    assert_true(kt_site_in_scope(k, "https://www.kinhtedothi.vn/x"));
    assert_false(kt_site_in_scope(k, "https://hanoimoi.vn/x"));
    assert_ptr_equal(kt_site_config_match_url(&cfg, "https://thachthat.hanoi.gov.vn/a.html"), t);
    assert_null(kt_site_config_match_url(&cfg, "https://example.org/"));

    char *u = NULL;
    assert_int_equal(kt_site_normalize(k, "http://kinhtedothi.vn/a-1.html?print=1&x=2", &u, NULL),
                     KT_OK);
    assert_string_equal(u, "http://kinhtedothi.vn/a-1.html?x=2");
    free(u);
    assert_int_equal(kt_site_resolve(k, "http://kinhtedothi.vn/c/", "a-1.html?print=1", &u, NULL),
                     KT_OK);
    assert_string_equal(u, "http://kinhtedothi.vn/c/a-1.html");
    free(u);
    kt_site_config_free(&cfg);
}

struct bad_case {
    const char *text;
    int line;
    const char *needle;
};

static const struct bad_case bad_cases[] = {
    {"[crawl]\nconcurency = 4\n", 2, "unknown key \"concurency\""},
    {"[crawl]\ndelay_ms = fast\n", 2, "delay_ms"},
    {"[crawl]\ndelay_ms = 10x\n", 2, "delay_ms"},
    {"[crawl]\nconcurrency = 0\n", 2, "concurrency"},
    {"[crawl]\nconcurrency = 99999999999999999999\n", 2, "concurrency"},
    {"[crawl]\nmax_body = -5\n", 2, "max_body"},
    {"[crawl]\nmax_body = 10Q\n", 2, "max_body"},
    {"[crawl]\nuser_agent = khotin\n", 2, "contact"},
    {"[crawl]\nwarc_prefix = a/b\n", 2, "warc_prefix"},
    {"\n\n[site a]\nseed = /x\n", 3, "missing base_url"},
    {"[site a]\nbase_url = http://a.vn/\n[site b]\n", 3, "missing base_url"},
    {"[site a]\nbase_url = ftp://a.vn/\n", 2, "base_url"},
    {"[site a]\nbase_url = /relative\n", 2, "base_url"},
    {"[site a]\nbase_url = http://a.vn/\nbase_url = http://b.vn/\n", 3, "twice"},
    {"[site a]\nbase_url = http://a.vn/\narticle_pattern = ([0-9]+\n", 3, "article_pattern"},
    {"[site a]\nbase_url = http://a.vn/\n\nskip_pattern = a{2,1}\n", 4, "skip_pattern"},
    {"[site a]\nbase_url = http://a.vn/\nlisting_pattern =\n", 3, "empty pattern"},
    {"[site a]\nbase_url = http://a.vn/\nseed = javascript:x\n", 3, "seed"},
    {"[site a]\nbase_url = http://a.vn/news/\nseed = http://b.vn/news/\n", 3, "outside the scope"},
    {"[site a]\nbase_url = http://a.vn/\nsitemap = mailto:x@y\n", 3, "sitemap"},
    {"[site a]\nbase_url = http://a.vn/\nfeed = ftp://a.vn/rss\n", 3, "feed"},
    {"[site a]\nbase_url = http://a.vn/\ndelay = 5\n", 3, "unknown key \"delay\" in [a]"},
    {"[site a]\nbase_url = http://a.vn/\nmax_pages = -1\n", 3, "max_pages"},
    {"[site a]\nbase_url = http://a.vn/\nstrip_param = a=b\n", 3, "strip_param"},
    {"[site a]\nbase_url = http://a.vn/\n[site a]\n", 3, "duplicate section"},
    {"[site a]\nbase_url = http://a.vn/\n[a]\n", 3, "duplicate section"},
    {"[site a b]\n", 1, "bad section"},
    {"[]\n", 1, "bad section"},
    {"[site a\n", 1, "without ']'"},
    {"base_url = http://a.vn/\n", 1, "outside any section"},
    {"[site a]\nbase_url = http://a.vn/\nthis line has no equals sign\n", 3, "syntax error"},
    {"[crawl]\n; ok\nconcurrency = 2\nbogus\n", 4, "syntax error"},
};

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        struct kt_site_config cfg;
        struct kt_err err = {0};
        kt_status st = kt_site_config_load_string(bad_cases[i].text, strlen(bad_cases[i].text),
                                                  "bad.ini", &cfg, &err);
        char want[64];
        snprintf(want, sizeof want, "bad.ini:%d: ", bad_cases[i].line);
        if (st != KT_ECONFIG || strncmp(err.msg, want, strlen(want)) != 0 ||
            !strstr(err.msg, bad_cases[i].needle))
            print_error("case %zu: status %d, message \"%s\"\n", i, st, err.msg);
        assert_int_equal(st, KT_ECONFIG);
        assert_int_equal(kt_status_exit_code(st), 78);
        assert_memory_equal(err.msg, want, strlen(want));
        assert_non_null(strstr(err.msg, bad_cases[i].needle));
        kt_site_config_free(&cfg);
    }
    /* a line longer than libinih's limit */
    char longline[400];
    memset(longline, 'a', sizeof longline);
    memcpy(longline, "[crawl]\nuser_agent = ", 21);
    longline[sizeof longline - 1] = '\0';
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_load_string(longline, strlen(longline), "long.ini", &cfg, &err),
                     KT_ECONFIG);
    assert_non_null(strstr(err.msg, "long.ini:2: line longer"));
    kt_site_config_free(&cfg);
}

static void test_files_and_defaults(void **state)
{
    (void)state;
    struct kt_site_config cfg;
    struct kt_err err = {0};
    assert_int_equal(kt_site_config_load("/nonexistent/khotin.ini", &cfg, &err), KT_ENOTFOUND);
    assert_non_null(strstr(err.msg, "/nonexistent/khotin.ini"));
    kt_site_config_free(&cfg);

    char *dir = tu_mkdtemp("siteconf");
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/x.ini", dir);
    const char *text = "[crawl]\r\ndelay_ms = 5\r\n[site a]\r\nbase_url = http://a.vn/\r\n";
    assert_true(tu_write_file(path, text, strlen(text)));
    assert_int_equal(kt_site_config_load(path, &cfg, &err), KT_OK);
    assert_int_equal(cfg.crawl.delay_ms, 5);
    assert_string_equal(cfg.path, path);
    kt_site_config_free(&cfg);
    const char *bad = "[site a]\nbase_url = http://a.vn/\nnope = 1\n";
    assert_true(tu_write_file(path, bad, strlen(bad)));
    assert_int_equal(kt_site_config_load(path, &cfg, &err), KT_ECONFIG);
    char want[600];
    snprintf(want, sizeof want, "%s:3: unknown key", path);
    assert_non_null(strstr(err.msg, want));
    kt_site_config_free(&cfg);
    tu_rmtree(dir);
    free(dir);

    /* defaults of an empty configuration */
    assert_int_equal(kt_site_config_init(&cfg), KT_OK);
    assert_int_equal(cfg.crawl.delay_ms, 1000);
    assert_int_equal(cfg.crawl.max_body, 10 * 1024 * 1024);
    assert_int_equal(cfg.crawl.max_redirects, 5);
    assert_int_equal(cfg.crawl.warc_max_size, 1024ull * 1024 * 1024);
    assert_int_equal(cfg.crawl.max_pagination, 50);
    assert_non_null(strstr(cfg.crawl.user_agent, "https://"));
    assert_string_equal(cfg.crawl.warc_prefix, "khotin");
    kt_site_config_free(&cfg);
}

static void test_seed_sites(void **state)
{
    (void)state;
    struct kt_site_config cfg;
    assert_int_equal(kt_site_config_init(&cfg), KT_OK);
    struct kt_err err = {0};
    assert_int_equal(
        kt_site_config_add_seed(&cfg, "http://Example.org:8080/news/list.html?page=1", &err),
        KT_OK);
    assert_int_equal(kt_site_config_add_seed(&cfg, "http://example.org:8080/news/other/", &err),
                     KT_OK); /* same scope: added to that site */
    assert_int_equal(kt_site_config_add_seed(&cfg, "http://example.org:8080/news/other/", &err),
                     KT_OK); /* duplicate ignored */
    assert_int_equal(kt_site_config_add_seed(&cfg, "https://h.vn", &err), KT_OK);
    assert_int_equal(kt_site_config_add_seed(&cfg, "http://example.org:8080/sport/", &err), KT_OK);
    assert_int_equal(kt_site_config_add_seed(&cfg, "not a url", &err), KT_EPARSE);
    assert_int_equal(cfg.n_sites, 3);
    const struct kt_site *s = &cfg.sites[0];
    assert_string_equal(s->name, "example.org");
    assert_true(s->from_seed);
    assert_string_equal(s->base_url, "http://example.org:8080/news/");
    assert_string_equal(s->path_prefix, "/news/");
    assert_int_equal(s->n_seeds, 2);
    assert_string_equal(s->seeds[0], "http://example.org:8080/news/list.html?page=1");
    assert_int_equal(s->n_sitemaps, 1);
    assert_string_equal(s->sitemaps[0], "http://example.org:8080/sitemap.xml");
    assert_int_equal(s->n_article_patterns, 0);
    assert_true(kt_site_in_scope(s, "http://example.org:8080/news/a.html"));
    assert_false(kt_site_in_scope(s, "http://example.org:8080/sport/a.html"));
    assert_int_equal(kt_site_classify(s, "http://example.org:8080/news/a.html"), KT_ROLE_UNKNOWN);
    assert_string_equal(cfg.sites[1].base_url, "https://h.vn/");
    assert_string_equal(cfg.sites[1].path_prefix, "/");
    assert_string_equal(cfg.sites[2].name, "example.org-2");
    assert_string_equal(cfg.sites[2].path_prefix, "/sport/");
    kt_site_config_free(&cfg);
}

static void load_shipped(const char *rel, struct kt_site_config *cfg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tu_source_dir(), rel);
    struct kt_err err = {0};
    kt_status st = kt_site_config_load(path, cfg, &err);
    if (st != KT_OK)
        print_error("%s\n", err.msg);
    assert_int_equal(st, KT_OK);
}

static void test_shipped_configs(void **state)
{
    (void)state;
    static const char *const names[] = {"hanoimoi", "kinhtedothi", "dangcongsan", "thachthat",
                                        "phunuthudo"};
    struct kt_site_config real, fx;
    load_shipped("config/sites.ini", &real);
    load_shipped("config/fixtures.ini", &fx);
    assert_int_equal(real.n_sites, 5);
    assert_int_equal(fx.n_sites, 5);
    for (size_t i = 0; i < 5; i++) {
        const struct kt_site *r = kt_site_config_find(&real, names[i]);
        const struct kt_site *f = kt_site_config_find(&fx, names[i]);
        assert_non_null(r);
        assert_non_null(f);
        assert_true(r->n_seeds >= 2 && r->n_sitemaps >= 1 && r->n_feeds >= 1);
        assert_true(r->n_article_patterns >= 1 && r->n_listing_patterns >= 1);
        assert_true(f->n_seeds >= 2 && f->n_sitemaps >= 1 && f->n_feeds >= 1);
        assert_non_null(strstr(f->host, ".test"));
        assert_true(kt_site_delay_ms(&real, r) >= 1000);
    }
    assert_string_equal(kt_site_config_find(&real, "phunuthudo")->host, "baophunuthudo.vn");
    assert_string_equal(kt_site_config_find(&real, "thachthat")->host, "thachthat.hanoi.gov.vn");
    /* the article URL forms of the real sites */
    static const struct {
        const char *site, *url;
        enum kt_page_role role;
    } roles[] = {
        {"kinhtedothi", "https://kinhtedothi.vn/me-linh-nang-cao-chat-luong-433712.html",
         KT_ROLE_ARTICLE},
        {"kinhtedothi", "https://kinhtedothi.vn/chinh-tri/trang-2.html", KT_ROLE_LISTING},
        {"hanoimoi", "https://hanoimoi.vn/ha-noi-trao-huy-hieu-dang-654321.html", KT_ROLE_ARTICLE},
        {"hanoimoi", "https://hanoimoi.vn/chinh-tri", KT_ROLE_LISTING},
        {"dangcongsan", "https://dangcongsan.vn/cpv/Modules/News/NewsDetail.aspx?co_id=1&cn_id=2",
         KT_ROLE_ARTICLE},
        {"dangcongsan", "https://dangcongsan.vn/xay-dung-dang/dai-hoi-dang-bo-612345.html",
         KT_ROLE_ARTICLE},
        {"thachthat", "https://thachthat.hanoi.gov.vn/xay-dung-dang/dang-bo-xa-t4263.html",
         KT_ROLE_ARTICLE},
        {"thachthat", "https://thachthat.hanoi.gov.vn/xay-dung-dang.html?trang=2", KT_ROLE_LISTING},
        {"phunuthudo", "https://baophunuthudo.vn/chinh-tri/khong-de-lot-can-bo-40112.html",
         KT_ROLE_ARTICLE},
        {"phunuthudo", "https://baophunuthudo.vn/chinh-tri/page/2/", KT_ROLE_LISTING},
        {"phunuthudo", "https://baophunuthudo.vn/tim-kiem?q=x", KT_ROLE_SKIP},
        {"phunuthudo", "https://baophunuthudo.vn/uploads/2020/a.jpg", KT_ROLE_SKIP},
    };
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
        const struct kt_site *s = kt_site_config_find(&real, roles[i].site);
        if (kt_site_classify(s, roles[i].url) != roles[i].role)
            print_error("case %zu: %s\n", i, roles[i].url);
        assert_int_equal(kt_site_classify(s, roles[i].url), roles[i].role);
    }
    kt_site_config_free(&real);
    kt_site_config_free(&fx);
}

/* Turns a manifest URL "/<site>/<path>" into the virtual-host form used by fixtures.ini. */
static char *vhost_url(const char *prefix_url, char *site_out, size_t cap)
{
    const char *p = prefix_url + 1;
    const char *slash = strchr(p, '/');
    if (!slash)
        return NULL;
    size_t n = (size_t)(slash - p) < cap - 1 ? (size_t)(slash - p) : cap - 1;
    memcpy(site_out, p, n);
    site_out[n] = '\0';
    size_t len = strlen(slash) + n + 32;
    char *u = malloc(len);
    if (u)
        snprintf(u, len, "http://%s.test:8765%s", site_out, slash);
    return u;
}

static void test_fixture_manifest_roles(void **state)
{
    (void)state;
    char *mpath = tu_shared_path("fixtures/site/manifest.json");
    if (!mpath) {
        printf("../shared/fixtures/site/manifest.json absent: skipping the manifest checks\n");
        skip();
    }
    json_error_t jerr;
    json_t *m = json_load_file(mpath, 0, &jerr);
    free(mpath);
    assert_non_null(m);
    struct kt_site_config fx;
    load_shipped("config/fixtures.ini", &fx);
    json_t *exp = json_object_get(m, "expected");
    size_t i;
    json_t *v;
    size_t articles = 0;
    json_array_foreach(json_object_get(exp, "archive"), i, v)
    {
        const char *url =
            json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "url"));
        assert_non_null(url);
        char site[64];
        char *u = vhost_url(url, site, sizeof site);
        assert_non_null(u);
        const struct kt_site *s = kt_site_config_match_url(&fx, u);
        assert_non_null(s);
        assert_string_equal(s->name, site);
        if (kt_site_classify(s, u) != KT_ROLE_ARTICLE)
            print_error("article not recognised: %s\n", u);
        assert_int_equal(kt_site_classify(s, u), KT_ROLE_ARTICLE);
        free(u);
        articles++;
    }
    assert_int_equal(articles, 22);
    json_array_foreach(json_object_get(exp, "non_article_pages"), i, v)
    {
        const char *url =
            json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "url"));
        char site[64];
        char *u = vhost_url(url, site, sizeof site);
        assert_non_null(u);
        const struct kt_site *s = kt_site_config_match_url(&fx, u);
        assert_non_null(s);
        enum kt_page_role r = kt_site_classify(s, u);
        if (r != KT_ROLE_LISTING)
            print_error("listing not recognised: %s (%d)\n", u, r);
        assert_int_equal(r, KT_ROLE_LISTING);
        free(u);
    }
    /* print and tracking variants never need a fetch of their own */
    json_array_foreach(json_object_get(exp, "url_variants"), i, v)
    {
        char site[64];
        char *u = vhost_url(json_string_value(json_object_get(v, "url")), site, sizeof site);
        char *c = vhost_url(json_string_value(json_object_get(v, "canonical")), site, sizeof site);
        const struct kt_site *s = kt_site_config_match_url(&fx, u);
        assert_non_null(s);
        char *n = NULL;
        assert_int_equal(kt_site_normalize(s, u, &n, NULL), KT_OK);
        if (strcmp(n, c) != 0)
            assert_int_equal(kt_site_classify(s, u), KT_ROLE_SKIP);
        free(n);
        free(u);
        free(c);
    }
    /* calendar traps are recognised generically and refused (their dates are years old) */
    struct kt_trap_limits lim = {fx.crawl.max_pagination, fx.crawl.calendar_window_days};
    json_array_foreach(json_object_get(exp, "traps"), i, v)
    {
        const char *pat = json_string_value(json_object_get(v, "url_pattern"));
        char site[64];
        char *u = vhost_url(pat, site, sizeof site);
        char *yyyy = strstr(u, "YYYY-MM-DD");
        assert_non_null(yyyy);
        memcpy(yyyy, "2020-05-26", 10);
        struct kt_url_trap t;
        assert_int_equal(kt_url_classify(u, &t, NULL), KT_OK);
        assert_int_equal(t.kind, KT_URL_CALENDAR);
        assert_false(kt_url_trap_allowed(&t, &lim, kt_wall_us() / 1000000));
        kt_url_trap_free(&t);
        free(u);
    }
    kt_site_config_free(&fx);
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),          cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_files_and_defaults), cmocka_unit_test(test_seed_sites),
        cmocka_unit_test(test_shipped_configs),    cmocka_unit_test(test_fixture_manifest_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
