/* fuzz_sitemap.c - libFuzzer target for the sitemap / sitemap index / RSS / Atom parser
 * (gzip inflation included) and the date parsers. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static kt_status count_cb(void *ctx, const struct kt_discovered *d)
{
    size_t *n = ctx;
    if (!d->url || strncmp(d->url, "http", 4) != 0)
        abort();
    (*n)++;
    return KT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kt_discover_opts o = {1u << 20, 1000};
    size_t n = 0;
    enum kt_discover_format f;
    struct kt_err err = {0};
    (void)kt_discover_parse((const char *)data, size, "application/xml",
                            "http://kinhtedothi.test/sitemaps/x.xml", &o, count_cb, &n, &f, &err);
    if (n > 1000)
        abort();
    if (size < 128) {
        char s[129];
        memcpy(s, data, size);
        s[size] = '\0';
        int64_t t;
        (void)kt_date_parse_w3c(s, &t);
        (void)kt_date_parse_rfc822(s, &t);
    }
    return 0;
}
