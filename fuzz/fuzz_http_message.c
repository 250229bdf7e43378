/* fuzz_http_message.c - libFuzzer target: HTTP message parsing, de-chunking and bounded content
 * decoding on arbitrary bytes (first byte picks request or response). */
#include "corpus/corpus.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum kt_http_kind kind = (data[0] & 1) ? KT_HTTP_REQUEST : KT_HTTP_RESPONSE;
    struct kt_http_message m;
    if (kt_http_parse(data + 1, size - 1, kind, &m, NULL) == KT_OK) {
        struct kt_buf out = {0};
        bool complete;
        kt_http_payload(&m, 1u << 20, &out, &complete, NULL);
        kt_buf_reset(&out);
        kt_http_content(&m, 1u << 20, &out, NULL);
        kt_buf_free(&out);
        char type[64], cs[32];
        kt_http_content_type(&m, type, sizeof type, cs, sizeof cs);
        kt_http_field_get(&m, "Content-Encoding");
        kt_http_message_free(&m);
    }
    struct kt_buf out = {0};
    kt_http_dechunk(data, size, 1u << 20, &out, NULL, NULL, NULL);
    kt_buf_free(&out);
    char digest[KT_WARC_DIGEST_SIZE];
    int status;
    kt_warc_payload_digest(data, size, digest, &status, NULL);
    return 0;
}
