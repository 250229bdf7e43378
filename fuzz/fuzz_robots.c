/* fuzz_robots.c - libFuzzer target for the robots.txt parser, matcher and serialization. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kt_robots *r = NULL;
    if (kt_robots_parse((const char *)data, size, &r, NULL) != KT_OK)
        return 0;
    /* paths: fixed ones plus the last line of the input used as a path */
    static const char *const paths[] = {"/", "/admin/x", "/a.php?x=1", "/%E1%BB%87", "/robots.txt"};
    char tail[256] = "/";
    size_t start = size > 200 ? size - 200 : 0;
    size_t n = 0;
    for (size_t i = start; i < size && n < sizeof tail - 2; i++)
        if (data[i] != '\0' && data[i] != '\n')
            tail[1 + n++] = (char)data[i];
    tail[1 + n] = '\0';
    bool got[6];
    for (int i = 0; i < 5; i++)
        got[i] = kt_robots_allowed(r, i & 1 ? "khotin" : "Googlebot", paths[i]);
    got[5] = kt_robots_allowed(r, "khotin", tail);
    if (!got[4])
        abort(); /* /robots.txt is always allowed for a parsed file */
    (void)kt_robots_crawl_delay_ms(r, "khotin");
    for (size_t i = 0; i < kt_robots_sitemap_count(r); i++)
        if (!kt_robots_sitemap(r, i))
            abort();
    struct kt_buf b = {0};
    struct kt_robots *back = NULL;
    if (kt_robots_serialize(r, &b, NULL) == KT_OK &&
        kt_robots_deserialize(b.data, b.len, &back, NULL) == KT_OK) {
        for (int i = 0; i < 5; i++)
            if (kt_robots_allowed(back, i & 1 ? "khotin" : "Googlebot", paths[i]) != got[i])
                abort();
        if (kt_robots_allowed(back, "khotin", tail) != got[5])
            abort();
    }
    kt_robots_free(back);
    kt_buf_free(&b);
    kt_robots_free(r);
    /* the deserializer on raw input */
    if (kt_robots_deserialize((const char *)data, size, &back, NULL) == KT_OK)
        kt_robots_free(back);
    return 0;
}
