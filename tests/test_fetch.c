/* test_fetch.c - the libcurl fetch engine against the loopback test server: raw capture
 * (chunked, gzip), wire and inflate caps, timeouts, redirects not followed, conditional GET,
 * --resolve pins, many transfers at once. */
#define _POSIX_C_SOURCE 200809L
#include "corpus/corpus.h"
#include "crawler/crawler.h"
#include "crawler/fetch.h"
#include "corpus/http_message.h"
#include "tests/support/httpd.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tu_httpd *srv;

static int setup(void **state)
{
    (void)state;
    srv = tu_httpd_start();
    return srv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_httpd_stop(srv);
    return 0;
}

static kt_status fetch(const char *path, const struct kt_fetch_opts *opts, const char *inm,
                       struct kt_fetch_response *r)
{
    char *url = tu_httpd_url(srv, path);
    struct kt_fetch_request req = {.url = url, .if_none_match = inm};
    struct kt_err err = {0};
    kt_status st = kt_fetch_one(opts, &req, r, &err);
    free(url);
    return st;
}

/* The decoded content of a raw response, capped at max. */
static kt_status content_of(const struct kt_fetch_response *r, size_t max, struct kt_buf *out)
{
    struct kt_http_message m;
    struct kt_err err = {0};
    kt_status st = kt_http_parse(r->raw.data, r->raw.len, KT_HTTP_RESPONSE, &m, &err);
    if (st != KT_OK)
        return st;
    st = kt_http_content(&m, max, out, &err);
    kt_http_message_free(&m);
    return st;
}

static void test_plain_response_is_captured_raw(void **state)
{
    (void)state;
    assert_true(tu_httpd_add(
        srv, &(struct tu_route){.target = "/plain", .body = "<p>xin chào</p>", .etag = "\"v1\""}));
    struct kt_fetch_response r;
    assert_int_equal(fetch("/plain", NULL, NULL, &r), KT_OK);
    assert_int_equal(r.http_status, 200);
    assert_true(r.head_complete);
    assert_true(strncmp(r.raw.data, "HTTP/1.1 200", 12) == 0);
    assert_string_equal(r.raw.data + r.head_len, "<p>xin chào</p>");
    assert_non_null(strstr(r.request.data, "GET /plain HTTP/1.1\r\n"));
    assert_non_null(strstr(r.request.data, "User-Agent: khotin/"));
    assert_non_null(strstr(r.request.data, "Accept-Encoding: gzip, deflate"));
    assert_string_equal(r.ip, "127.0.0.1");
    kt_fetch_response_free(&r);
    /* conditional GET: the server answers 304, the engine passes it on */
    assert_int_equal(fetch("/plain", NULL, "\"v1\"", &r), KT_OK);
    assert_int_equal(r.http_status, 304);
    assert_non_null(strstr(r.request.data, "If-None-Match: \"v1\""));
    assert_int_equal(r.raw.len, r.head_len);
    kt_fetch_response_free(&r);
}

static void test_chunked_and_gzip_are_kept_as_sent(void **state)
{
    (void)state;
    static char page[20000];
    for (size_t i = 0; i < sizeof page - 1; i++)
        page[i] = (char)('a' + i % 26);
    page[sizeof page - 1] = 0;
    assert_true(
        tu_httpd_add(srv, &(struct tu_route){.target = "/chunked", .body = page, .chunked = true}));
    assert_true(tu_httpd_add(srv, &(struct tu_route){.target = "/gz", .body = page, .gzip = true}));
    struct kt_fetch_response r;
    assert_int_equal(fetch("/chunked", NULL, NULL, &r), KT_OK);
    assert_non_null(strstr(r.raw.data, "Transfer-Encoding: chunked"));
    assert_true(r.raw.len > r.head_len + strlen(page)); /* framing kept */
    struct kt_buf c = {0};
    assert_int_equal(content_of(&r, 1 << 20, &c), KT_OK);
    assert_int_equal(c.len, strlen(page));
    assert_memory_equal(c.data, page, c.len);
    kt_buf_free(&c);
    kt_fetch_response_free(&r);

    assert_int_equal(fetch("/gz", NULL, NULL, &r), KT_OK);
    assert_non_null(strstr(r.raw.data, "Content-Encoding: gzip"));
    assert_true(r.raw.len - r.head_len < strlen(page)); /* still compressed */
    assert_int_equal(content_of(&r, 1 << 20, &c), KT_OK);
    assert_int_equal(c.len, strlen(page));
    kt_buf_free(&c);
    kt_fetch_response_free(&r);
}

static void test_wire_cap_stops_the_download(void **state)
{
    (void)state;
    size_t big = 3u << 20;
    char *body = malloc(big + 1);
    assert_non_null(body);
    memset(body, 'x', big);
    body[big] = 0;
    assert_true(
        tu_httpd_add(srv, &(struct tu_route){.target = "/big", .body = body, .body_len = big}));
    free(body);
    struct kt_fetch_opts o = {.max_body = 1u << 20};
    struct kt_fetch_response r;
    assert_int_equal(fetch("/big", &o, NULL, &r), KT_ETOOBIG);
    assert_int_equal(r.http_status, 200);
    assert_int_equal(r.raw.len - r.head_len, 1u << 20);
    assert_non_null(strstr(r.error, "/big"));
    kt_fetch_response_free(&r);
}

static void test_gzip_bomb_is_small_on_the_wire_and_capped_when_inflated(void **state)
{
    (void)state;
    struct kt_buf z = {0};
    assert_true(tu_gzip_zeros(50u << 20, &z)); /* 50 MiB of zeros */
    assert_true(z.len < 200000);
    assert_true(tu_httpd_add(
        srv, &(struct tu_route){
                 .target = "/bomb", .body = z.data, .body_len = z.len, .body_is_gzip = true}));
    size_t wire = z.len;
    kt_buf_free(&z);
    struct kt_fetch_response r;
    assert_int_equal(fetch("/bomb", NULL, NULL, &r), KT_OK);
    assert_int_equal(r.raw.len - r.head_len, wire);
    struct kt_buf c = {0};
    assert_int_equal(content_of(&r, 10u << 20, &c), KT_ETOOBIG);
    assert_true(c.len <= 10u << 20);
    kt_buf_free(&c);
    kt_fetch_response_free(&r);
}

static void test_slow_page_within_timeout_and_timeout_error(void **state)
{
    (void)state;
    assert_true(
        tu_httpd_add(srv, &(struct tu_route){.target = "/slow", .body = "late", .delay_ms = 1500}));
    struct kt_fetch_opts o = {.timeout_ms = 5000};
    struct kt_fetch_response r;
    assert_int_equal(fetch("/slow", &o, NULL, &r), KT_OK);
    assert_int_equal(r.http_status, 200);
    kt_fetch_response_free(&r);
    o.timeout_ms = 400;
    assert_int_equal(fetch("/slow", &o, NULL, &r), KT_ENETWORK);
    assert_non_null(strstr(r.error, "/slow"));
    kt_fetch_response_free(&r);
}

static void test_redirects_are_not_followed_and_schemes_are_limited(void **state)
{
    (void)state;
    assert_true(tu_httpd_add(
        srv, &(struct tu_route){.target = "/moved", .status = 301, .location = "/plain"}));
    struct kt_fetch_response r;
    assert_int_equal(fetch("/moved", NULL, NULL, &r), KT_OK);
    assert_int_equal(r.http_status, 301);
    assert_non_null(strstr(r.raw.data, "Location: /plain"));
    kt_fetch_response_free(&r);
    struct kt_fetch_request req = {.url = "ftp://127.0.0.1/x"};
    struct kt_err err = {0};
    assert_int_not_equal(kt_fetch_one(NULL, &req, &r, &err), KT_OK);
    kt_fetch_response_free(&r);
}

static void test_resolve_pins_a_virtual_host(void **state)
{
    (void)state;
    assert_true(tu_httpd_add(
        srv, &(struct tu_route){.host = "site.test", .target = "/vh", .body = "vhost"}));
    char pin[128], url[128];
    snprintf(pin, sizeof pin, "site.test:%u:127.0.0.1", tu_httpd_port(srv));
    snprintf(url, sizeof url, "http://site.test:%u/vh", tu_httpd_port(srv));
    const char *pins[] = {pin};
    struct kt_fetch_opts o = {.resolve = pins, .n_resolve = 1};
    struct kt_fetch_request req = {.url = url};
    struct kt_fetch_response r;
    struct kt_err err = {0};
    assert_int_equal(kt_fetch_one(&o, &req, &r, &err), KT_OK);
    assert_string_equal(r.raw.data + r.head_len, "vhost");
    kt_fetch_response_free(&r);
    const char *bad[] = {"site.test:notaport:127.0.0.1"};
    struct kt_fetcher *f = NULL;
    o.resolve = bad;
    assert_int_equal(kt_fetcher_new(&o, &f, &err), KT_EINVAL);
    assert_non_null(strstr(err.msg, "notaport"));
}

struct many {
    int done, ok;
};

static void many_done(void *ctx, struct kt_fetch_response *r)
{
    struct many *m = ctx;
    m->done++;
    if (r->status == KT_OK && r->http_status == 200 && (uintptr_t)r->user < 40)
        m->ok++;
}

static void test_many_transfers_at_once(void **state)
{
    (void)state;
    assert_true(
        tu_httpd_add(srv, &(struct tu_route){.target = "/par/*", .body = "p", .delay_ms = 200}));
    struct kt_fetcher *f = NULL;
    struct kt_err err = {0};
    struct kt_fetch_opts o = {.max_transfers = 40, .max_per_host = 40};
    assert_int_equal(kt_fetcher_new(&o, &f, &err), KT_OK);
    for (uintptr_t i = 0; i < 40; i++) {
        char path[32];
        snprintf(path, sizeof path, "/par/%u", (unsigned)i);
        char *url = tu_httpd_url(srv, path);
        struct kt_fetch_request req = {.url = url, .user = (void *)i};
        assert_int_equal(kt_fetcher_add(f, &req, &err), KT_OK);
        free(url);
    }
    struct many m = {0};
    int64_t t0 = kt_now_ms();
    while (kt_fetcher_pending(f) > 0 && kt_now_ms() - t0 < 20000)
        assert_int_equal(kt_fetcher_run(f, 100, many_done, &m, &err), KT_OK);
    kt_fetcher_free(f);
    assert_int_equal(m.done, 40);
    assert_int_equal(m.ok, 40);
    /* the server saw overlapping requests: 40 x 200 ms sequentially would be 8 s */
    size_t n = 0;
    struct tu_httpd_log_entry *log = tu_httpd_log(srv, &n);
    int64_t first = -1, last = -1;
    for (size_t i = 0; i < n; i++)
        if (strncmp(log[i].target, "/par/", 5) == 0) {
            if (first < 0 || log[i].t_ms < first)
                first = log[i].t_ms;
            if (log[i].t_ms > last)
                last = log[i].t_ms;
        }
    tu_httpd_log_free(log, n);
    assert_true(last - first < 40 * 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_response_is_captured_raw),
        cmocka_unit_test(test_chunked_and_gzip_are_kept_as_sent),
        cmocka_unit_test(test_wire_cap_stops_the_download),
        cmocka_unit_test(test_gzip_bomb_is_small_on_the_wire_and_capped_when_inflated),
        cmocka_unit_test(test_slow_page_within_timeout_and_timeout_error),
        cmocka_unit_test(test_redirects_are_not_followed_and_schemes_are_limited),
        cmocka_unit_test(test_resolve_pins_a_virtual_host),
        cmocka_unit_test(test_many_transfers_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
