/* fuzz_decode.c - libFuzzer target: charset decoding of arbitrary bytes, with the first line
 * used as the HTTP Content-Type value; output must be valid UTF-8. */
#include "common/kt_text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ct[128];
    const char *ctp = NULL;
    const uint8_t *nl = memchr(data, '\n', size < 100 ? size : 100);
    if (nl) {
        size_t n = (size_t)(nl - data);
        memcpy(ct, data, n);
        ct[n] = '\0';
        ctp = ct;
        data = nl + 1;
        size -= n + 1;
    }
    struct kt_buf out = {0};
    struct kt_err err = {0};
    struct kt_text_decode_info info;
    for (unsigned flags = 0; flags <= KT_DECODE_HTML; flags++) {
        kt_buf_reset(&out);
        if (kt_text_decode(data, size, ctp, flags, &out, &info, &err) != KT_OK)
            abort();
        for (size_t p = 0; p < out.len;) {
            uint32_t cp;
            bool inv;
            p += kt_utf8_next((const unsigned char *)out.data + p, out.len - p, &cp, &inv);
            if (inv)
                abort();
        }
        if (strlen(info.charset) == 0)
            abort();
    }
    kt_buf_free(&out);
    return 0;
}
