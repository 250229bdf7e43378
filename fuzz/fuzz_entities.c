/* fuzz_entities.c - libFuzzer target for the entity extractor: arbitrary bytes in, checks that
 * every span lies inside the normalized text, JSON Lines output parses back, CSV and index
 * terms are produced. */
#include "indexer/indexer.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static struct kt_entity_extractor *ex;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ex && kt_entity_extractor_new(NULL, &ex, NULL) != KT_OK)
        abort();
    struct kt_entity_list l = {0};
    struct kt_err err = {0};
    const char *date = size && (data[0] & 1) ? "2020-05-25" : NULL;
    kt_status rc = kt_entities_extract(ex, (const char *)data, size, date, &l, &err);
    if (rc != KT_OK && rc != KT_ENOMEM)
        abort();
    for (size_t i = 0; i < l.n; i++) {
        const struct kt_entity *e = &l.items[i];
        if (e->start > e->end || e->end > l.text.len || e->sent_start > e->sent_end ||
            e->sent_end > l.text.len)
            abort();
        if (e->sent_start > e->start || e->sent_end < e->end)
            abort();
        if (i && l.items[i - 1].start > e->start)
            abort();
        if ((e->type == KT_ENTITY_OFFICIAL || e->type == KT_ENTITY_PLACE) && !e->name)
            abort();
        if (e->type == KT_ENTITY_PLACE && !e->level)
            abort();
        if (e->type == KT_ENTITY_DOCUMENT && (!e->kind || !e->code))
            abort();
    }
    struct kt_buf out = {0};
    if (kt_entities_to_jsonl(&l, "fuzz", &out, &err) == KT_OK) {
        size_t p = 0;
        while (p < out.len) {
            const char *nl = memchr(out.data + p, '\n', out.len - p);
            if (!nl)
                abort();
            json_error_t je;
            json_t *o = json_loadb(out.data + p, (size_t)(nl - (out.data + p)), 0, &je);
            if (!o)
                abort();
            json_decref(o);
            p = (size_t)(nl - out.data) + 1;
        }
    }
    kt_buf_reset(&out);
    (void)kt_entities_to_csv(&l, "fuzz", true, &out, &err);
    struct kt_entity_terms terms = {0};
    if (kt_entity_terms_from_list(&l, &terms, &err) == KT_OK)
        for (size_t i = 0; i < terms.n; i++)
            if (strlen(terms.v[i]) > 240 || strlen(terms.v[i]) < 3)
                abort();
    kt_entity_terms_free(&terms);
    kt_buf_free(&out);
    kt_entity_list_free(&l);
    return 0;
}
