/* fuzz_warc.c - libFuzzer target: the WARC reader (gzip or plain) and record verification on
 * arbitrary bytes. */
#include "corpus/corpus.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kt_warc_reader_opts o = {.max_block = 1u << 16};
    struct kt_warc_reader *r = NULL;
    if (kt_warc_reader_open_mem(data, size, "fuzz", &o, &r, NULL) != KT_OK)
        return 0;
    struct kt_warc_record rec = {0};
    bool have = false;
    int n = 0;
    while (n++ < 1000 && kt_warc_reader_next(r, &rec, &have, NULL) == KT_OK && have) {
        char problem[256];
        kt_warc_record_verify(&rec, problem, sizeof problem);
        kt_warc_record_http_status(&rec);
        kt_warc_record_get(&rec, "WARC-Target-URI");
    }
    kt_warc_record_free(&rec);
    kt_warc_reader_close(r);
    return 0;
}
