/* bench_analyze.c - throughput (MB/s) and peak memory of the Vietnamese analyzer (normalize +
 * tokens + index terms) against a plain ICU pipeline (UTF-8 -> UTF-16, NFC, case fold, word
 * break iteration) on the same article texts, measured in the same run.
 *
 *   bench_analyze [ARTICLES.jsonl.gz] [DICT.txt]
 * default ../shared/bench/vietnews-20k.jsonl.gz (relative to the current directory); run from
 * the source tree: build-h2-rel/bench/bench_analyze ../shared/bench/vietnews-20k.jsonl.gz */
#define _POSIX_C_SOURCE 200809L
#include "indexer/indexer.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <zlib.h>

struct counts {
    uint64_t terms[VI_TERM_WORD + 1];
    uint64_t term_bytes;
};

static kt_status count_term(void *ud, const struct vi_term *t)
{
    struct counts *c = ud;
    c->terms[t->kind]++;
    c->term_bytes += t->len;
    return KT_OK;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* The plain ICU pipeline, with buffers reused across calls. */
struct icu_pipe {
    UChar *a, *b, *c;
    int32_t cap;
    UBreakIterator *brk;
    const UNormalizer2 *nfc;
    uint64_t words;
};

static int icu_run(struct icu_pipe *p, const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = (int32_t)len + 16;
    if (need * 3 > p->cap) {
        p->cap = need * 3;
        free(p->a);
        free(p->b);
        free(p->c);
        p->a = malloc((size_t)p->cap * sizeof(UChar));
        p->b = malloc((size_t)p->cap * sizeof(UChar));
        p->c = malloc((size_t)p->cap * sizeof(UChar));
        if (!p->a || !p->b || !p->c)
            return -1;
    }
    int32_t n = 0;
    u_strFromUTF8(p->a, p->cap, &n, s, (int32_t)len, &st);
    int32_t nn = unorm2_normalize(p->nfc, p->a, n, p->b, p->cap, &st);
    int32_t nf = u_strFoldCase(p->c, p->cap, p->b, nn, U_FOLD_CASE_DEFAULT, &st);
    ubrk_setText(p->brk, p->c, nf, &st);
    if (U_FAILURE(st))
        return -1;
    for (int32_t e = ubrk_next(p->brk); e != UBRK_DONE; e = ubrk_next(p->brk))
        if (ubrk_getRuleStatus(p->brk) != UBRK_WORD_NONE)
            p->words++;
    return 0;
}

/* Reads one line of any length; returns false at the end. */
static bool read_line(gzFile gz, struct kt_buf *line)
{
    kt_buf_reset(line);
    char chunk[65536];
    while (gzgets(gz, chunk, sizeof chunk)) {
        size_t n = strlen(chunk);
        if (kt_buf_append(line, chunk, n) != KT_OK)
            return false;
        if (n && chunk[n - 1] == '\n')
            return true;
    }
    return line->len > 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../shared/bench/vietnews-20k.jsonl.gz";
    const char *dict = argc > 2 ? argv[2] : NULL;
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        fprintf(stderr, "bench_analyze: cannot open %s\n", path);
        return 66;
    }
    struct kt_err err = {0};
    vi_analyzer *full = NULL, *plain = NULL, *with_dict = NULL;
    struct vi_analyzer_opts po = {.no_bigrams = true, .no_lexicon = true};
    struct vi_analyzer_opts dopts = {.dict_path = dict};
    if (vi_analyzer_new(NULL, &full, &err) != KT_OK ||
        vi_analyzer_new(&po, &plain, &err) != KT_OK ||
        (dict && vi_analyzer_new(&dopts, &with_dict, &err) != KT_OK)) {
        fprintf(stderr, "bench_analyze: %s\n", err.msg);
        return 1;
    }
    struct icu_pipe ip = {0};
    UErrorCode st = U_ZERO_ERROR;
    ip.nfc = unorm2_getNFCInstance(&st);
    ip.brk = ubrk_open(UBRK_WORD, "vi", NULL, 0, &st);
    if (U_FAILURE(st)) {
        fprintf(stderr, "bench_analyze: ICU: %s\n", u_errorName(st));
        return 1;
    }
    long rss_start = peak_rss_kb();
    struct counts cf = {0}, cp = {0}, cd = {0};
    double t_full = 0, t_plain = 0, t_icu = 0, t_dict = 0;
    uint64_t bytes = 0, docs = 0;
    long rss_at[4] = {0};
    struct kt_buf line = {0};
    while (read_line(gz, &line)) {
        json_error_t je;
        json_t *rec = json_loadb(line.data, line.len, 0, &je);
        if (!rec)
            continue;
        static const char *const fields[] = {"title", "lead", "text"};
        for (size_t f = 0; f < 3; f++) {
            json_t *v = json_object_get(rec, fields[f]);
            if (!json_is_string(v))
                continue;
            const char *s = json_string_value(v);
            size_t n = json_string_length(v);
            bytes += n;
            uint32_t pos = 0;
            double t0 = cpu_now();
            if (vi_terms_for_text(full, s, n, f == 0 ? "S" : "", &pos, count_term, &cf, &err) !=
                KT_OK) {
                fprintf(stderr, "bench_analyze: %s\n", err.msg);
                return 1;
            }
            double t1 = cpu_now();
            if (icu_run(&ip, s, n) != 0) {
                fprintf(stderr, "bench_analyze: ICU pipeline failed\n");
                return 1;
            }
            double t2 = cpu_now();
            pos = 0;
            vi_terms_for_text(plain, s, n, "", &pos, count_term, &cp, &err);
            double t3 = cpu_now();
            t_full += t1 - t0;
            t_icu += t2 - t1;
            t_plain += t3 - t2;
            if (with_dict) {
                pos = 0;
                vi_terms_for_text(with_dict, s, n, "", &pos, count_term, &cd, &err);
                t_dict += cpu_now() - t3;
            }
        }
        json_decref(rec);
        docs++;
        if (docs == 1000 || docs == 5000 || docs == 10000 || docs == 20000)
            rss_at[docs == 1000 ? 0 : docs == 5000 ? 1 : docs == 10000 ? 2 : 3] = peak_rss_kb();
    }
    gzclose(gz);
    double mb = (double)bytes / 1e6;
    printf("input: %s, %llu articles, %.1f MB of title+lead+text (UTF-8)\n", path,
           (unsigned long long)docs, mb);
    printf("khotin analyzer (normalize+tokens+terms, bigrams+lexicon): %7.1f MB/s  (%.2f s)\n",
           mb / t_full, t_full);
    printf("khotin analyzer (no bigrams, no lexicon):                  %7.1f MB/s  (%.2f s)\n",
           mb / t_plain, t_plain);
    if (with_dict)
        printf("khotin analyzer (with dictionary %s):  %7.1f MB/s  (%.2f s)\n", dict, mb / t_dict,
               t_dict);
    printf("plain ICU pipeline (UTF-16, NFC, fold, word breaks):      %7.1f MB/s  (%.2f s)\n",
           mb / t_icu, t_icu);
    printf("ratio khotin/ICU: %.2fx (full), %.2fx (no bigrams)\n", t_icu / t_full, t_icu / t_plain);
    printf("terms per article (full): exact %.0f, folded %.0f, bigram %.0f, bigram-folded %.0f, "
           "word %.1f; ICU words per article %.0f\n",
           (double)cf.terms[VI_TERM_EXACT] / (double)docs,
           (double)cf.terms[VI_TERM_FOLDED] / (double)docs,
           (double)cf.terms[VI_TERM_BIGRAM] / (double)docs,
           (double)cf.terms[VI_TERM_BIGRAM_FOLDED] / (double)docs,
           (double)cf.terms[VI_TERM_WORD] / (double)docs, (double)ip.words / (double)docs);
    if (with_dict)
        printf("with dictionary: word terms per article %.1f\n",
               (double)cd.terms[VI_TERM_WORD] / (double)docs);
    printf("peak RSS: %ld KiB at start, %ld / %ld / %ld / %ld KiB after 1k / 5k / 10k / 20k "
           "articles\n",
           rss_start, rss_at[0], rss_at[1], rss_at[2], rss_at[3]);
    kt_buf_free(&line);
    vi_analyzer_free(full);
    vi_analyzer_free(plain);
    vi_analyzer_free(with_dict);
    ubrk_close(ip.brk);
    free(ip.a);
    free(ip.b);
    free(ip.c);
    return 0;
}
