/* test_text_decode.c - kt_text_decode: charset from header, BOM, <meta>, doctype, UTF-8 check
 * and detection; windows-1258 bytes to NFC; invalid sequences counted as U+FFFD. */
#include "common/kt_text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* windows-1258 spellings (tones are separate combining bytes after the vowel) */
#define W1258_THANH_UY_HA_NOI "Tha\xccnh u\xd2y Ha\xcc N\xf4\xf2i"
#define W1258_DANG_BO                                                                              \
    "\xd0"                                                                                         \
    "a\xd2ng b\xf4\xf2 huy\xea\xf2n Th\xfd\xf5\xccng Ti\xecn"
#define W1258_SENTENCE                                                                             \
    "Pho\xec Bi\xec th\xfd Th\xfd\xf5\xccng tr\xfd\xf2"                                            \
    "c Tha\xccnh u\xd2y Ha\xcc N\xf4\xf2i Ng\xf4 Thi\xf2 Thanh H\xe3\xccng pha\xect "              \
    "bi\xea\xd2u k\xea\xect lu\xe2\xf2n bu\xf4\xd2i la\xccm vi\xea\xf2"                            \
    "c v\xf5\xeci Ban Th\xfd\xf5\xccng vu\xf2 Huy\xea\xf2n u\xd2y Th\xfd\xf5\xccng Ti\xecn."
#define SENTENCE                                                                                                          \
    "Phó Bí thư Thường trực Thành ủy Hà Nội Ngô Thị Thanh Hằng phát biểu kết luận buổi làm " \
    "việc với Ban Thường vụ Huyện ủy Thường Tín."

struct decode_case {
    const char *name;
    const char *in;
    size_t len; /* 0 = strlen(in) */
    const char *content_type;
    unsigned flags;
    const char *want; /* NULL: only check that the text contains want_sub */
    const char *want_sub;
    const char *charset;
    enum kt_charset_source source;
    size_t invalid;
};

static const struct decode_case cases[] = {
    {"plain utf-8", "Thành ủy Hà Nội", 0, NULL, 0, "Thành ủy Hà Nội", NULL, "UTF-8",
     KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"ascii", "Ha Noi", 0, NULL, 0, "Ha Noi", NULL, "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"empty", "", 0, NULL, 0, "", NULL, "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"utf-8 bom", "\xef\xbb\xbfHà Nội", 0, NULL, 0, "Hà Nội", NULL, "UTF-8", KT_CHARSET_FROM_BOM,
     0},
    {"bom beats header", "\xef\xbb\xbfHà", 0, "text/html; charset=windows-1258", 0, "Hà", NULL,
     "UTF-8", KT_CHARSET_FROM_BOM, 0},
    {"utf-16le bom", "\xff\xfeH\0\xe0\0", 6, NULL, 0, "Hà", NULL, "UTF-16LE", KT_CHARSET_FROM_BOM,
     0},
    {"utf-16be bom", "\xfe\xff\0H\0\xe0", 6, NULL, 0, "Hà", NULL, "UTF-16BE", KT_CHARSET_FROM_BOM,
     0},
    {"header utf-8", "Hà Nội", 0, "text/html; charset=UTF-8", 0, "Hà Nội", NULL, "UTF-8",
     KT_CHARSET_FROM_HEADER, 0},
    {"header quoted", "Hà Nội", 0, "text/html; charset=\"utf-8\"", 0, "Hà Nội", NULL, "UTF-8",
     KT_CHARSET_FROM_HEADER, 0},
    {"header windows-1258", W1258_THANH_UY_HA_NOI, 0, "text/html; charset=windows-1258", 0,
     "Thành ủy Hà Nội", NULL, "windows-1258", KT_CHARSET_FROM_HEADER, 0},
    {"header cp1258 alias", W1258_DANG_BO, 0, "text/plain;charset=cp1258", 0,
     "Đảng bộ huyện Thường Tín", NULL, "windows-1258", KT_CHARSET_FROM_HEADER, 0},
    {"header sentence", W1258_SENTENCE, 0, "text/html; charset=windows-1258", 0, SENTENCE, NULL,
     "windows-1258", KT_CHARSET_FROM_HEADER, 0},
    {"utf-8 declared, invalid bytes", "H\xff\xfe Nội", 0, "text/html; charset=utf-8", 0,
     "H\xef\xbf\xbd\xef\xbf\xbd Nội", NULL, "UTF-8", KT_CHARSET_FROM_HEADER, 2},
    {"truncated sequence", "Hà N\xe1\xbb", 0, "text/plain; charset=utf-8", 0, "Hà N\xef\xbf\xbd",
     NULL, "UTF-8", KT_CHARSET_FROM_HEADER, 1},
    {"unknown label ignored", "Hà Nội", 0, "text/html; charset=x-no-such-charset", 0, "Hà Nội",
     NULL, "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"latin-1 label on utf-8", "Hà Nội", 0, "text/html; charset=iso-8859-1", 0, "Hà Nội", NULL,
     "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"latin-1 label on latin-1", "caf\xe9", 0, "text/plain; charset=ISO-8859-1", 0, "café", NULL,
     "windows-1252", KT_CHARSET_FROM_HEADER, 0},
    {"meta charset", "<html><head><meta charset=\"windows-1258\"></head><body>" W1258_DANG_BO, 0,
     NULL, KT_DECODE_HTML, NULL, "Đảng bộ huyện Thường Tín", "windows-1258", KT_CHARSET_FROM_META,
     0},
    {"meta http-equiv",
     "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1258\">"
     "</head><body>" W1258_THANH_UY_HA_NOI,
     0, NULL, KT_DECODE_HTML, NULL, "Thành ủy Hà Nội", "windows-1258", KT_CHARSET_FROM_META, 0},
    {"meta ignored for plain text", "<meta charset=\"windows-1258\"> Hà", 0, NULL, 0,
     "<meta charset=\"windows-1258\"> Hà", NULL, "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"header beats meta", "<meta charset=\"windows-1258\"> Hà", 0, "text/html; charset=utf-8",
     KT_DECODE_HTML, NULL, "Hà", "UTF-8", KT_CHARSET_FROM_HEADER, 0},
    {"meta utf-16 is a lie", "<meta charset=\"utf-16\"> Hà", 0, NULL, KT_DECODE_HTML, NULL, "Hà",
     "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"doctype utf-8", "<!DOCTYPE html><html><body>Hà Nội</body></html>", 0, NULL, KT_DECODE_HTML,
     NULL, "Hà Nội", "UTF-8", KT_CHARSET_FROM_DOCTYPE, 0},
    {"doctype, one bad byte",
     "<!doctype html><p>Hà Nội \xff Thường Tín, Thành ủy, Ban Thường vụ, Đảng bộ, nông thôn "
     "mới, Phó Bí thư Thường trực, Chủ tịch UBND huyện, HĐND, MTTQ, đại hội đảng các cấp</p>",
     0, NULL, KT_DECODE_HTML, NULL, "Hà Nội \xef\xbf\xbd Thường Tín", "UTF-8",
     KT_CHARSET_FROM_DOCTYPE, 1},
    {"detected windows-1258", W1258_SENTENCE, 0, NULL, 0, SENTENCE, NULL, "windows-1258",
     KT_CHARSET_FROM_DETECTION, 0},
    {"detected windows-1258 in html",
     "<!DOCTYPE html><html><body><p>" W1258_SENTENCE "</p><p>" W1258_DANG_BO "</p></body></html>",
     0, NULL, KT_DECODE_HTML, NULL, SENTENCE, "windows-1258", KT_CHARSET_FROM_DETECTION, 0},
    {"nfd utf-8 becomes nfc", "Tha\xcc\x80nh u\xcc\x89y", 0, NULL, 0, "Thành ủy", NULL, "UTF-8",
     KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"utf-16 lone surrogate",
     "\xff\xfe\x00\xd8"
     "A\0",
     6, NULL, 0,
     "\xef\xbf\xbd"
     "A",
     NULL, "UTF-16LE", KT_CHARSET_FROM_BOM, 1},
    {"utf-7 declaration refused", "Ha+AO0-", 0, "text/html; charset=utf-7", 0, "Ha+AO0-", NULL,
     "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
    {"nul bytes kept", "a\0b", 3, NULL, 0, NULL, NULL, "UTF-8", KT_CHARSET_FROM_UTF8_CHECK, 0},
};

static void test_decode_table(void **state)
{
    (void)state;
    struct kt_buf out = {0};
    struct kt_err err = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct decode_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        struct kt_text_decode_info info;
        kt_buf_reset(&out);
        if (kt_text_decode(c->in, len, c->content_type, c->flags, &out, &info, &err) != KT_OK)
            fail_msg("%s: %s", c->name, err.msg);
        const char *got = out.data ? out.data : "";
        if (c->want && strcmp(got, c->want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", c->name, got, c->want);
        if (c->want_sub && !strstr(got, c->want_sub))
            fail_msg("%s: \"%s\" lacks \"%s\"", c->name, got, c->want_sub);
        if (strcmp(info.charset, c->charset) != 0)
            fail_msg("%s: charset %s, want %s", c->name, info.charset, c->charset);
        if (info.source != c->source)
            fail_msg("%s: source %s, want %s", c->name, kt_charset_source_str(info.source),
                     kt_charset_source_str(c->source));
        if (info.invalid != c->invalid)
            fail_msg("%s: %zu invalid, want %zu", c->name, info.invalid, c->invalid);
    }
    kt_buf_free(&out);
}

static void test_decode_details(void **state)
{
    (void)state;
    struct kt_buf out = {0};
    struct kt_err err = {0};
    struct kt_text_decode_info info;
    /* NUL bytes survive, the length says so */
    assert_int_equal(kt_text_decode("a\0b", 3, NULL, 0, &out, &info, &err), KT_OK);
    assert_int_equal(out.len, 3);
    assert_memory_equal(out.data, "a\0b", 3);
    /* the declared-but-unusable flag */
    kt_buf_reset(&out);
    assert_int_equal(
        kt_text_decode("Hà", strlen("Hà"), "text/html; charset=bogus", 0, &out, &info, &err),
        KT_OK);
    assert_true(info.declared_unusable);
    /* a detection result is reported with a confidence, never silently */
    kt_buf_reset(&out);
    assert_int_equal(
        kt_text_decode(W1258_SENTENCE, strlen(W1258_SENTENCE), NULL, 0, &out, &info, &err), KT_OK);
    assert_true(info.confidence > 0 && info.confidence <= 100);
    /* info may be NULL; output is appended */
    kt_buf_reset(&out);
    assert_int_equal(kt_buf_append_cstr(&out, "x:"), KT_OK);
    assert_int_equal(kt_text_decode("y", 1, NULL, 0, &out, NULL, &err), KT_OK);
    assert_string_equal(out.data, "x:y");
    assert_int_equal(kt_text_decode(NULL, 5, NULL, 0, &out, NULL, &err), KT_EINVAL);
    for (int s = 0; s <= KT_CHARSET_FROM_FALLBACK; s++)
        assert_non_null(kt_charset_source_str((enum kt_charset_source)s));
    /* random high bytes: some charset, valid UTF-8 out, never a crash */
    char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(0x80 + (i * 37) % 128);
    kt_buf_reset(&out);
    assert_int_equal(kt_text_decode(junk, sizeof junk, NULL, KT_DECODE_HTML, &out, &info, &err),
                     KT_OK);
    assert_true(info.charset[0] != '\0');
    kt_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test(test_decode_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
