/* fuzz_links.c - libFuzzer target for link discovery in HTML pages. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static kt_status link_cb(void *ctx, const struct kt_link *l)
{
    (void)ctx;
    if (!l->url || !l->text || !l->rel || !l->type || strncmp(l->url, "http", 4) != 0)
        abort();
    return KT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kt_page_meta meta = {0};
    struct kt_links_opts o = {NULL, "khotin", 5000};
    (void)kt_links_extract((const char *)data, size,
                           "http://hanoimoi.test/Danh-muc-tin/290/a?page=2", &o, link_cb, NULL,
                           &meta, NULL);
    kt_page_meta_free(&meta);
    return 0;
}
