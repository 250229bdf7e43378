/* fuzz_url.c - libFuzzer target for URL normalization and resolution: checks that the
 * normalized form is stable, and exercises classification, shapes and scope checks. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_stable(const char *u)
{
    char *again = NULL;
    if (kt_url_normalize(u, &again, NULL) != KT_OK || strcmp(again, u) != 0) {
        fprintf(stderr, "unstable normalization: %s -> %s\n", u, again ? again : "(error)");
        abort();
    }
    free(again);
    struct kt_url_trap t;
    if (kt_url_classify(u, &t, NULL) == KT_OK)
        kt_url_trap_free(&t);
    char *s = NULL;
    if (kt_url_shape(u, &s, NULL) == KT_OK)
        free(s);
    (void)kt_url_is_print_variant(u);
    (void)kt_url_in_scope(u, "kinhtedothi.test", "/chinh-tri/");
    char *h = NULL;
    if (kt_url_origin(u, &h, NULL) == KT_OK)
        free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* "ref" alone, or "base\nref" */
    char *nl = memchr(buf, '\n', size);
    const char *base = "http://dangcongsan.test/cpv/Modules/News/NewsList.aspx?co_id=1";
    const char *ref = buf;
    if (nl) {
        *nl = '\0';
        base = buf;
        ref = nl + 1;
    }
    char *out = NULL;
    if (kt_url_normalize(buf, &out, NULL) == KT_OK) {
        check_stable(out);
        free(out);
    }
    out = NULL;
    if (kt_url_resolve(base, ref, &out, NULL) == KT_OK) {
        check_stable(out);
        free(out);
    }
    free(buf);
    return 0;
}
