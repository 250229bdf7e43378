/* fuzz_extract.c - libFuzzer target for article extraction: any bytes, as HTML (with a
 * content type chosen by the first byte) and as a plain-text page, must give a record or an
 * error, never a crash or a leak. */
#include "crawler/crawler.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL, "text/html; charset=utf-8",
                                        "text/html; charset=windows-1258", "text/html",
                                        "text/html; charset=bogus-x"};
    const char *ct = size ? types[data[0] % 5] : NULL;
    struct kt_extract_opts o = {
        .url = "http://fuzz.test/a.html", .content_type = ct, .max_bytes = 1u << 20};
    if (size && (data[0] & 0x80))
        o.xpath_body = "//div[@id='content']";
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    struct kt_err err = {0};
    kt_extract_html(data, size, &o, &a, &info, &err);
    kt_extract_text(data, size, &o, &a, &info, &err);
    kt_article_free(&a);
    return 0;
}
