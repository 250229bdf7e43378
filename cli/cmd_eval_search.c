/* cmd_eval_search.c - `khotin eval search`: known-item evaluation. Runs every query of a
 * {"qid","target_id","kind","query"} JSON Lines file through khotin search (and, optionally,
 * plain Xapian QueryParser + Enquire over a plain index) and reports MRR@10, success@1 and
 * success@10 per query kind. */
#define _DEFAULT_SOURCE
#include "cli/commands.h"
#include "indexer/indexer.h"
#include "query/query.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KINDS 16

struct kind_score {
    char name[32];
    size_t n, s1, s10;
    double rr;
};

struct scoreboard {
    struct kind_score k[MAX_KINDS];
    size_t n;
};

static void score_add(struct scoreboard *b, const char *kind, int rank)
{
    struct kind_score *ks = NULL;
    for (size_t i = 0; i < b->n && !ks; i++)
        if (strcmp(b->k[i].name, kind) == 0)
            ks = &b->k[i];
    if (!ks) {
        if (b->n == MAX_KINDS)
            return;
        ks = &b->k[b->n++];
        snprintf(ks->name, sizeof ks->name, "%s", kind);
    }
    ks->n++;
    if (rank >= 1 && rank <= 10) {
        ks->rr += 1.0 / rank;
        ks->s10++;
        ks->s1 += rank == 1;
    }
}

static void score_print(const char *system, const struct scoreboard *b, bool json)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct kind_score *k = &b->k[i];
        double n = k->n ? (double)k->n : 1.0;
        if (json)
            printf("{\"system\":\"%s\",\"kind\":\"%s\",\"n\":%zu,\"mrr10\":%.4f,"
                   "\"success1\":%.4f,\"success10\":%.4f}\n",
                   system, k->name, k->n, k->rr / n, k->s1 / n, k->s10 / n);
        else
            printf("%-7s %-11s n=%-4zu MRR@10=%.3f  success@1=%.3f  success@10=%.3f\n", system,
                   k->name, k->n, k->rr / n, k->s1 / n, k->s10 / n);
    }
}

/* Rank (1..10) of target among khotin's top 10, 0 if absent. */
static kt_status rank_ours(struct kt_searcher *s, const char *query, const char *target, int *rank,
                           FILE *run, const char *qid, struct kt_err *err)
{
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = query;
    o.limit = 10;
    o.snippets = false;
    struct kt_search_result r;
    kt_status st = kt_search(s, &o, &r, err);
    *rank = 0;
    if (st != KT_OK)
        return st;
    json_t *ids = run ? json_array() : NULL;
    for (size_t i = 0; i < r.n_hits; i++) {
        if (!*rank && (strcmp(r.hits[i].id, target) == 0 || strcmp(r.hits[i].url, target) == 0))
            *rank = (int)i + 1;
        if (ids)
            json_array_append_new(ids, json_string(r.hits[i].id));
    }
    if (run && ids) {
        json_t *o2 = json_pack("{s:s, s:o}", "qid", qid, "ids", ids);
        char *js = o2 ? json_dumps(o2, JSON_COMPACT) : NULL;
        if (js)
            fprintf(run, "%s\n", js);
        free(js);
        json_decref(o2);
    }
    kt_search_result_free(&r);
    return KT_OK;
}

/* Rank of target in plain Xapian's top 10 (document data = id). */
static kt_status rank_plain(kt_xdb *db, const char *query, const char *target, int *rank,
                            struct kt_err *err)
{
    *rank = 0;
    kt_xquery *q = NULL;
    kt_xenquire *e = NULL;
    kt_xmset *m = NULL;
    struct kt_buf data = {0};
    kt_status st = kt_xquery_parse(query, strlen(query), NULL, &q, err);
    if (st == KT_EQUERY) { /* plain Xapian cannot parse it: counts as a miss */
        return KT_OK;
    }
    if (st == KT_OK)
        st = kt_xenquire_new(db, &e, err);
    if (st == KT_OK)
        st = kt_xenquire_set_query(e, q, 0, err);
    if (st == KT_OK)
        st = kt_xenquire_get_mset(e, 0, 10, 0, &m, err);
    struct kt_xmset_info info = {0};
    if (st == KT_OK)
        st = kt_xmset_info(m, &info, err);
    for (uint32_t i = 0; st == KT_OK && i < info.size && !*rank; i++) {
        st = kt_xmset_data(m, i, &data, err);
        if (st == KT_OK && data.len == strlen(target) && memcmp(data.data, target, data.len) == 0)
            *rank = (int)i + 1;
    }
    kt_buf_free(&data);
    kt_xmset_free(m);
    kt_xenquire_free(e);
    kt_xquery_free(q);
    return st;
}

int cmd_eval_search(int argc, char **argv, struct kt_ctx *ctx)
{
    static const char *const usage[] = {
        "khotin eval search --db DIR [--baseline-db DIR] [--run FILE] [--format text|json] "
        "KNOWN_ITEMS.jsonl",
        NULL,
    };
    const char *db = NULL, *baseline = NULL, *run_path = NULL, *format = NULL;
    const struct cli_opt opts[] = {
        CLI_STRING(0, "db", &db, "DIR", "the khotin index"),
        CLI_STRING(0, "baseline-db", &baseline, "DIR",
                   "also score plain Xapian QueryParser on this plain TermGenerator index "
                   "(document data = id), e.g. the one bench_index leaves"),
        CLI_STRING(0, "run", &run_path, "FILE", "write khotin's top 10 per query as JSON Lines"),
        CLI_STRING(0, "format", &format, "FMT", "text or json"),
        CLI_END,
    };
    int first = 0;
    int rc = cli_parse(argc, argv, opts, usage, ctx, &first);
    if (rc == CLI_HELP_SHOWN)
        return 0;
    if (rc != 0)
        return 2;
    int fmt = cli_format_parse(ctx, format, "text|json");
    if (fmt < 0)
        return 2;
    if (!db || first + 1 != argc)
        return cli_error(ctx, 2, "usage: khotin eval search --db DIR KNOWN_ITEMS.jsonl");
    const char *path = argv[first];
    FILE *in = fopen(path, "r");
    if (!in)
        return cli_error(ctx, 66, "%s: cannot open", path);
    struct kt_err err = {0};
    struct kt_searcher *s = NULL;
    kt_xdb *plain = NULL;
    FILE *run = NULL;
    kt_status st = kt_searcher_open(db, &s, &err);
    if (st == KT_OK && baseline)
        st = kt_xdb_open(baseline, &plain, &err);
    if (st == KT_OK && run_path && !(run = fopen(run_path, "w")))
        st = kt_err_set(&err, KT_EIO, "%s: cannot create", run_path);
    struct scoreboard ours = {0}, base = {0};
    char *line = NULL;
    size_t cap = 0, line_no = 0;
    int64_t t0 = kt_now_ms();
    while (st == KT_OK && getline(&line, &cap, in) > 0) {
        line_no++;
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        const char *qid = json_string_value(json_object_get(o, "qid"));
        const char *target = json_string_value(json_object_get(o, "target_id"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        const char *query = json_string_value(json_object_get(o, "query"));
        if (!o || !qid || !target || !kind || !query) {
            json_decref(o);
            st = kt_err_set(&err, KT_EPARSE, "%s: line %zu: not a known-item query", path, line_no);
            break;
        }
        int rank = 0;
        st = rank_ours(s, query, target, &rank, run, qid, &err);
        if (st == KT_EQUERY) { /* a query our syntax rejects counts as a miss */
            cli_error(ctx, 0, "%s: line %zu: %s", path, line_no, err.msg);
            st = KT_OK;
            rank = 0;
        }
        score_add(&ours, kind, rank);
        if (st == KT_OK && plain) {
            st = rank_plain(plain, query, target, &rank, &err);
            score_add(&base, kind, rank);
        }
        json_decref(o);
    }
    free(line);
    fclose(in);
    if (run)
        fclose(run);
    kt_searcher_close(s);
    kt_xdb_close(plain);
    if (st != KT_OK)
        return cli_fail(ctx, &err);
    score_print("khotin", &ours, fmt == CLI_FORMAT_JSON);
    if (baseline)
        score_print("xapian", &base, fmt == CLI_FORMAT_JSON);
    cli_info(ctx, "%zu queries in %.1f s", line_no, (kt_now_ms() - t0) / 1000.0);
    return 0;
}
