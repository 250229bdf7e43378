/* test_http_message.c - parsing raw HTTP responses and requests, de-chunking, content decoding
 * with limits (gzip bomb), content types. */
#define _GNU_SOURCE
#include "corpus/corpus.h"
#include "tests/support/testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define S(lit) lit, sizeof(lit) - 1

static void test_parse_response_fields(void **state)
{
    (void)state;
    const char raw[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
                       "X-Folded: a\r\n  b\r\nset-cookie: x=1\r\nbogus line\r\n"
                       "Content-Length: 5\r\n\r\nhello";
    struct kt_http_message m;
    struct kt_err err = {0};
    assert_int_equal(kt_http_parse(S(raw), KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(m.status, 200);
    assert_int_equal(m.version_major, 1);
    assert_int_equal(m.version_minor, 1);
    assert_string_equal(m.reason, "OK");
    assert_string_equal(kt_http_field_get(&m, "content-type"), "text/html; charset=UTF-8");
    assert_string_equal(kt_http_field_get(&m, "X-FOLDED"), "a b");
    assert_string_equal(kt_http_field_get(&m, "Set-Cookie"), "x=1");
    assert_null(kt_http_field_get(&m, "bogus line"));
    assert_int_equal(m.body_len, 5);
    assert_memory_equal(m.body, "hello", 5);
    assert_false(m.chunked);
    char type[64], cs[32];
    kt_http_content_type(&m, type, sizeof type, cs, sizeof cs);
    assert_string_equal(type, "text/html");
    assert_string_equal(cs, "utf-8");
    kt_http_message_free(&m);
}

static void test_parse_request_and_http2(void **state)
{
    (void)state;
    struct kt_http_message m;
    struct kt_err err = {0};
    const char req[] = "GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: khotin\r\n\r\n";
    assert_int_equal(kt_http_parse(S(req), KT_HTTP_REQUEST, &m, &err), KT_OK);
    assert_string_equal(m.method, "GET");
    assert_string_equal(m.target, "/a?b=1");
    assert_string_equal(kt_http_field_get(&m, "host"), "example.test");
    assert_int_equal(m.body_len, 0);
    kt_http_message_free(&m);

    const char h2[] = "HTTP/2 404\r\ncontent-type: text/plain\r\n\r\nnope";
    assert_int_equal(kt_http_parse(S(h2), KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(m.status, 404);
    assert_int_equal(m.version_major, 2);
    assert_string_equal(m.reason, "");
    kt_http_message_free(&m);

    const char lf[] = "HTTP/1.0 301 Moved\nLocation: /x\n\nbody";
    assert_int_equal(kt_http_parse(S(lf), KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(m.status, 301);
    assert_string_equal(kt_http_field_get(&m, "location"), "/x");
    assert_int_equal(m.body_len, 4);
    kt_http_message_free(&m);
}

static void test_parse_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",                                       /* empty */
        "HTTP/1.1 200 OK\r\nContent-Type: x\r\n", /* head not terminated */
        "HTTTP/1.1 200 OK\r\n\r\n",               /* not HTTP */
        "HTTP/1.1 2x0 OK\r\n\r\n",                /* bad status */
        "HTTP/1.1 099 Low\r\n\r\n",               /* status < 100 */
        "HTTP/x.1 200 OK\r\n\r\n",                /* bad version */
        "HTTP/1.1 2000 OK\r\n\r\n",               /* four digits */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct kt_http_message m;
        struct kt_err err = {0};
        assert_int_equal(kt_http_parse(bad[i], strlen(bad[i]), KT_HTTP_RESPONSE, &m, &err),
                         KT_EPARSE);
        assert_true(strlen(err.msg) > 0);
        assert_null(m.fields);
    }
    struct kt_http_message m;
    assert_int_equal(kt_http_parse(S("GET\r\n\r\n"), KT_HTTP_REQUEST, &m, NULL), KT_EPARSE);
}

struct chunk_case {
    const char *wire;
    const char *payload;
    bool complete;
    kt_status status;
};

static void test_dechunk_table(void **state)
{
    (void)state;
    static const struct chunk_case cases[] = {
        {"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", true, KT_OK},
        {"5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n", "hello", true, KT_OK},
        {"A\r\n0123456789\r\n0\r\n\r\n", "0123456789", true, KT_OK},
        {"5\nhello\n0\n\n", "hello", true, KT_OK},              /* bare LF */
        {"5\r\nhello\r\n6\r\n wor", "hello wor", false, KT_OK}, /* cut in data */
        {"5\r\nhello\r\n", "hello", false, KT_OK},              /* no last chunk */
        {"zz\r\nhello\r\n0\r\n\r\n", "", false, KT_EPARSE},
        {"ffffffffffffffffff\r\nx", "", false, KT_EPARSE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kt_buf out = {0};
        bool complete = !cases[i].complete;
        struct kt_err err = {0};
        size_t used = 0;
        kt_status st =
            kt_http_dechunk(cases[i].wire, strlen(cases[i].wire), 0, &out, &used, &complete, &err);
        assert_int_equal(st, cases[i].status);
        if (st == KT_OK) {
            assert_int_equal(out.len, strlen(cases[i].payload));
            assert_memory_equal(out.data ? out.data : "", cases[i].payload, out.len);
            assert_int_equal(complete, cases[i].complete);
            if (complete)
                assert_int_equal(used, strlen(cases[i].wire));
        }
        kt_buf_free(&out);
    }
    /* the payload limit */
    struct kt_buf out = {0};
    struct kt_err err = {0};
    assert_int_equal(
        kt_http_dechunk(S("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), 8, &out, NULL, NULL, &err),
        KT_ETOOBIG);
    kt_buf_free(&out);
}

static size_t gzip_bytes(const void *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

static void test_content_gzip_and_bomb(void **state)
{
    (void)state;
    const char text[] = "Xin chào Hà Nội! Xin chào Hà Nội! Xin chào Hà Nội!";
    unsigned char gz[512];
    size_t gzlen = gzip_bytes(text, sizeof text - 1, gz, sizeof gz);
    struct kt_buf raw = {0};
    kt_buf_printf(&raw,
                  "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: "
                  "chunked\r\n\r\n%zx\r\n",
                  gzlen);
    kt_buf_append(&raw, gz, gzlen);
    kt_buf_append_cstr(&raw, "\r\n0\r\n\r\n");
    struct kt_http_message m;
    struct kt_err err = {0};
    assert_int_equal(kt_http_parse(raw.data, raw.len, KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_true(m.chunked);
    struct kt_buf payload = {0}, content = {0};
    assert_int_equal(kt_http_payload(&m, 0, &payload, NULL, &err), KT_OK);
    assert_int_equal(payload.len, gzlen); /* payload keeps the content-encoding */
    assert_memory_equal(payload.data, gz, gzlen);
    assert_int_equal(kt_http_content(&m, 0, &content, &err), KT_OK);
    assert_string_equal(content.data, text);
    kt_buf_free(&payload);
    kt_buf_free(&content);
    kt_http_message_free(&m);
    kt_buf_free(&raw);

    /* a bomb: 64 MiB of zeros compresses to ~64 KiB; decoding stops at the limit */
    size_t big = 64u << 20;
    unsigned char *zeros = calloc(1, big);
    unsigned char *bomb = malloc(1 << 20);
    assert_non_null(zeros);
    assert_non_null(bomb);
    size_t blen = gzip_bytes(zeros, big, bomb, 1 << 20);
    free(zeros);
    kt_buf_printf(&raw, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
    kt_buf_append(&raw, bomb, blen);
    free(bomb);
    assert_int_equal(kt_http_parse(raw.data, raw.len, KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(kt_http_content(&m, 1u << 20, &content, &err), KT_ETOOBIG);
    assert_true(content.len == 0);
    kt_http_message_free(&m);
    kt_buf_free(&raw);
    kt_buf_free(&content);

    /* unsupported and corrupt encodings */
    const char br[] = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxxxx";
    assert_int_equal(kt_http_parse(S(br), KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(kt_http_content(&m, 0, &content, &err), KT_EINVAL);
    assert_non_null(strstr(err.msg, "br"));
    kt_http_message_free(&m);
    const char corrupt[] = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08zzzzzz";
    assert_int_equal(kt_http_parse(S(corrupt), KT_HTTP_RESPONSE, &m, &err), KT_OK);
    assert_int_equal(kt_http_content(&m, 0, &content, &err), KT_EPARSE);
    kt_http_message_free(&m);
    kt_buf_free(&content);
}

static void test_content_deflate_raw_and_zlib(void **state)
{
    (void)state;
    const char text[] = "deflated body deflated body";
    unsigned char zl[256];
    uLongf zlen = sizeof zl;
    assert_int_equal(compress(zl, &zlen, (const unsigned char *)text, sizeof text - 1), Z_OK);
    for (int variant = 0; variant < 2; variant++) {
        struct kt_buf raw = {0};
        kt_buf_append_cstr(&raw, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
        if (variant == 0)
            kt_buf_append(&raw, zl, zlen); /* zlib-wrapped */
        else
            kt_buf_append(&raw, zl + 2, zlen - 6); /* raw deflate */
        struct kt_http_message m;
        struct kt_err err = {0};
        struct kt_buf content = {0};
        assert_int_equal(kt_http_parse(raw.data, raw.len, KT_HTTP_RESPONSE, &m, &err), KT_OK);
        assert_int_equal(kt_http_content(&m, 0, &content, &err), KT_OK);
        assert_string_equal(content.data, text);
        kt_buf_free(&content);
        kt_http_message_free(&m);
        kt_buf_free(&raw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_response_fields),
        cmocka_unit_test(test_parse_request_and_http2),
        cmocka_unit_test(test_parse_rejects_malformed),
        cmocka_unit_test(test_dechunk_table),
        cmocka_unit_test(test_content_gzip_and_bomb),
        cmocka_unit_test(test_content_deflate_raw_and_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
