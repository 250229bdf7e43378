/* bench_entities.c - entity extraction speed over a JSON Lines article corpus (plain or gzip):
 * MB/s of text per CPU-second (one core) for the whole extractor, against the analyzer's
 * tokenization alone measured in the same run as the baseline.
 *
 *   bench_entities ../shared/bench/vietnews-20k.jsonl.gz [max_articles] */
#define _POSIX_C_SOURCE 200809L
#include "common/kt_text.h"
#include "indexer/indexer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/* CPU time of this (single-threaded) process in milliseconds: the machine may be shared, and
 * "MB/s on one core" is about the CPU the extractor needs, not the wall clock. */
static int64_t cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct texts {
    struct kt_buf *v;
    char (*dates)[11];
    size_t n, cap;
    size_t bytes;
};

static int load(const char *path, size_t max, struct texts *t)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_entities: cannot open %s\n", path);
        return -1;
    }
    struct kt_buf line = {0};
    char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof chunk)) > 0 && t->n < max) {
        for (int i = 0; i < n && t->n < max; i++) {
            if (chunk[i] != '\n') {
                kt_buf_append_byte(&line, chunk[i]);
                continue;
            }
            json_error_t je;
            json_t *o = json_loadb(line.data, line.len, 0, &je);
            kt_buf_reset(&line);
            if (!o)
                continue;
            if (t->n == t->cap) {
                t->cap = t->cap ? t->cap * 2 : 1024;
                t->v = realloc(t->v, t->cap * sizeof *t->v);
                t->dates = realloc(t->dates, t->cap * sizeof *t->dates);
                if (!t->v || !t->dates)
                    return -1;
            }
            struct kt_buf *b = &t->v[t->n];
            memset(b, 0, sizeof *b);
            const char *fields[] = {"title", "lead", "text"};
            for (int k = 0; k < 3; k++) {
                json_t *s = json_object_get(o, fields[k]);
                if (json_is_string(s)) {
                    if (b->len)
                        kt_buf_append(b, "\n\n", 2);
                    kt_buf_append(b, json_string_value(s), json_string_length(s));
                }
            }
            json_t *d = json_object_get(o, "date");
            snprintf(t->dates[t->n], 11, "%s", json_is_string(d) ? json_string_value(d) : "");
            t->bytes += b->len;
            t->n++;
            json_decref(o);
        }
    }
    kt_buf_free(&line);
    gzclose(f);
    return 0;
}

static kt_status count_tokens(void *ud, const struct vi_token *tok)
{
    (void)tok;
    (*(size_t *)ud)++;
    return KT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_entities ARTICLES.jsonl[.gz] [max_articles]\n");
        return 2;
    }
    size_t max = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : (size_t)-1;
    struct texts t = {0};
    if (load(argv[1], max, &t) != 0 || !t.n) {
        fprintf(stderr, "bench_entities: no articles read from %s\n", argv[1]);
        return 1;
    }
    double mb = (double)t.bytes / 1e6;
    printf("corpus: %zu articles, %.1f MB of text (%s)\n", t.n, mb, argv[1]);

    /* baseline: the analyzer's tokens alone (what any extractor over tokens must pay) */
    vi_analyzer *an = NULL;
    if (vi_analyzer_new(NULL, &an, NULL) != KT_OK)
        return 1;
    size_t ntok = 0;
    int64_t t0 = cpu_ms();
    for (size_t i = 0; i < t.n; i++)
        vi_analyze(an, t.v[i].data, t.v[i].len, count_tokens, &ntok, NULL);
    int64_t t_an = cpu_ms() - t0;
    /* the extractor's own first steps: display normalization, then collecting the tokens */
    struct kt_buf norm = {0};
    struct vi_tokens toks = {0};
    t0 = cpu_ms();
    for (size_t i = 0; i < t.n; i++) {
        kt_buf_reset(&norm);
        kt_text_normalize(t.v[i].data, t.v[i].len, KT_NORM_DISPLAY, &norm, NULL);
    }
    int64_t t_norm = cpu_ms() - t0;
    t0 = cpu_ms();
    for (size_t i = 0; i < t.n; i++)
        vi_tokens_collect(an, t.v[i].data, t.v[i].len, &toks, NULL);
    int64_t t_coll = cpu_ms() - t0;
    vi_tokens_free(&toks);
    kt_buf_free(&norm);
    vi_analyzer_free(an);

    struct kt_entity_extractor *ex = NULL;
    if (kt_entity_extractor_new(NULL, &ex, NULL) != KT_OK)
        return 1;
    struct kt_entity_list l = {0};
    size_t counts[KT_ENTITY_TYPE_COUNT] = {0};
    t0 = cpu_ms();
    for (size_t i = 0; i < t.n; i++) {
        if (kt_entities_extract(ex, t.v[i].data, t.v[i].len, t.dates[i], &l, NULL) != KT_OK)
            return 1;
        for (size_t k = 0; k < l.n; k++)
            counts[l.items[k].type]++;
    }
    int64_t t_ex = cpu_ms() - t0;
    kt_entity_list_free(&l);
    kt_entity_extractor_free(ex);

    double s_an = (double)(t_an ? t_an : 1) / 1000.0;
    double s_ex = (double)(t_ex ? t_ex : 1) / 1000.0;
    printf("analyzer tokens only (baseline): %zu tokens in %.2f s = %.1f MB/s\n", ntok, s_an,
           mb / s_an);
    printf("display normalization alone: %.2f s = %.1f MB/s\n", (double)t_norm / 1000.0,
           mb / ((double)(t_norm ? t_norm : 1) / 1000.0));
    printf("vi_tokens_collect alone: %.2f s = %.1f MB/s\n", (double)t_coll / 1000.0,
           mb / ((double)(t_coll ? t_coll : 1) / 1000.0));
    printf("entity extraction (normalize + tokens + all passes): %.2f s = %.1f MB/s "
           "(%.2fx the baseline time)\n",
           s_ex, mb / s_ex, s_ex / s_an);
    printf("entities: %zu official, %zu place, %zu figure, %zu document, %zu date\n", counts[0],
           counts[1], counts[2], counts[3], counts[4]);
    printf("goal >= 20 MB/s: %s\n", mb / s_ex >= 20.0 ? "met" : "NOT met");
    for (size_t i = 0; i < t.n; i++)
        kt_buf_free(&t.v[i]);
    free(t.v);
    free(t.dates);
    return 0;
}
