/* bench_query.cpp - known-item quality and query latency of khotin search against plain
 * libxapian QueryParser + Enquire, on the indexes bench_index leaves behind.
 *
 * usage: bench_query [--dir DIR] [--known FILE] [--rounds N]
 *   DIR/plain: plain TermGenerator index (document data = id), DIR/ours: khotin index.
 * Prints MRR@10 and success@1/@10 per query kind for both, then p50/p95/p99 latency over a fixed
 * set of 200 queries (every 4.5th known-item line: all three kinds) and the ratios. */
#include "query/query.h"

#include <xapian.h>

#include <jansson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

struct known_item {
    std::string qid, target, kind, query;
};

static double now_ms()
{
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

static std::vector<known_item> load_known(const char *path)
{
    std::vector<known_item> v;
    FILE *f = fopen(path, "r");
    if (!f)
        return v;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o)
            continue;
        known_item k;
        k.qid = json_string_value(json_object_get(o, "qid")) ?: "";
        k.target = json_string_value(json_object_get(o, "target_id")) ?: "";
        k.kind = json_string_value(json_object_get(o, "kind")) ?: "";
        k.query = json_string_value(json_object_get(o, "query")) ?: "";
        v.push_back(k);
        json_decref(o);
    }
    free(line);
    fclose(f);
    return v;
}

struct scores {
    double rr = 0;
    int s1 = 0, s10 = 0, n = 0;
};

static void add_rank(scores &s, int rank)
{
    s.n++;
    if (rank >= 1 && rank <= 10) {
        s.rr += 1.0 / rank;
        s.s10++;
        if (rank == 1)
            s.s1++;
    }
}

static void print_scores(const char *who, std::map<std::string, scores> &m)
{
    for (auto &kv : m) {
        scores &s = kv.second;
        printf("%-6s %-10s n=%3d MRR@10=%.3f success@1=%.3f success@10=%.3f\n", who,
               kv.first.c_str(), s.n, s.rr / s.n, (double)s.s1 / s.n, (double)s.s10 / s.n);
    }
}

/* Plain Xapian: default QueryParser (OR, phrases, boolean), top 10 by BM25. */
struct plain_engine {
    Xapian::Database db;
    Xapian::QueryParser qp;
    explicit plain_engine(const std::string &path) : db(path)
    {
        qp.set_database(db);
    }
    std::vector<std::string> run(const std::string &q)
    {
        std::vector<std::string> ids;
        Xapian::Enquire enq(db);
        enq.set_query(qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT));
        Xapian::MSet ms = enq.get_mset(0, 10);
        for (auto it = ms.begin(); it != ms.end(); ++it)
            ids.push_back(it.get_document().get_data());
        return ids;
    }
};

static std::vector<std::string> run_ours(struct kt_searcher *s, const std::string &q, bool snippets)
{
    std::vector<std::string> ids;
    struct kt_search_opts o;
    kt_search_opts_init(&o);
    o.query = q.c_str();
    o.limit = 10;
    o.snippets = snippets;
    struct kt_search_result r;
    struct kt_err err = {};
    if (kt_search(s, &o, &r, &err) != KT_OK) {
        fprintf(stderr, "ours: %s: %s\n", q.c_str(), err.msg);
        return ids;
    }
    for (size_t i = 0; i < r.n_hits; i++)
        ids.push_back(r.hits[i].id);
    kt_search_result_free(&r);
    return ids;
}

static int rank_of(const std::vector<std::string> &ids, const std::string &target)
{
    for (size_t i = 0; i < ids.size(); i++)
        if (ids[i] == target)
            return (int)i + 1;
    return 0;
}

static double pct(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    size_t i = (size_t)(p * (v.size() - 1) + 0.5);
    return v[i];
}

int main(int argc, char **argv)
{
    bool skip_known = getenv("BENCH_SKIP_KNOWN") != NULL; /* latency only */
    std::string dir = "/tmp/khotin-bench-index";
    const char *known_path = "../shared/bench/vietnews-20k-known-items.jsonl";
    int rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else if (!strcmp(argv[i], "--known"))
            known_path = argv[i + 1];
        else if (!strcmp(argv[i], "--rounds"))
            rounds = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "usage: bench_query [--dir DIR] [--known FILE] [--rounds N]\n");
            return 2;
        }
    }
    std::vector<known_item> known = load_known(known_path);
    if (known.empty()) {
        fprintf(stderr, "bench_query: no known items in %s\n", known_path);
        return 1;
    }
    try {
        plain_engine plain(dir + "/plain");
        struct kt_searcher *ours = NULL;
        struct kt_err err = {};
        if (kt_searcher_open((dir + "/ours").c_str(), &ours, &err) != KT_OK) {
            fprintf(stderr, "bench_query: %s\n", err.msg);
            return 1;
        }
        printf("known items: %zu from %s; plain docs=%u ours docs=%llu\n", known.size(), known_path,
               plain.db.get_doccount(), (unsigned long long)kt_searcher_doc_count(ours));
        std::map<std::string, scores> ps, os;
        for (const known_item &k : known) {
            if (skip_known)
                break;
            add_rank(ps[k.kind], rank_of(plain.run(k.query), k.target));
            add_rank(os[k.kind], rank_of(run_ours(ours, k.query, false), k.target));
        }
        if (!skip_known) {
            print_scores("plain", ps);
            print_scores("ours", os);
        }

        std::vector<std::string> qs;
        for (int i = 0; i < 200; i++)
            qs.push_back(known[(size_t)(i * known.size() / 200)].query);
        for (const std::string &q : qs) { /* warm both */
            plain.run(q);
            run_ours(ours, q, true);
        }
        /* Interleaved per query so machine noise hits all three alike. "ours" returns what
         * plain returns (ranked ids and stored data); "ours+snip" also builds snippets. */
        std::vector<double> pl, ol, sl;
        for (int r = 0; r < rounds; r++)
            for (const std::string &q : qs) {
                double t0 = now_ms();
                plain.run(q);
                double t1 = now_ms();
                run_ours(ours, q, false);
                double t2 = now_ms();
                run_ours(ours, q, true);
                double t3 = now_ms();
                pl.push_back(t1 - t0);
                ol.push_back(t2 - t1);
                sl.push_back(t3 - t2);
            }
        printf("latency over %zu queries x %d rounds\n", qs.size(), rounds);
        double p50 = pct(pl, .5), p95 = pct(pl, .95), p99 = pct(pl, .99);
        printf("plain      p50=%.3fms p95=%.3fms p99=%.3fms\n", p50, p95, p99);
        const char *names[] = {"ours", "ours+snip"};
        std::vector<double> *sets[] = {&ol, &sl};
        for (int k = 0; k < 2; k++) {
            double o50 = pct(*sets[k], .5), o95 = pct(*sets[k], .95), o99 = pct(*sets[k], .99);
            printf("%-10s p50=%.3fms p95=%.3fms p99=%.3fms  ratio p50=%.2fx p95=%.2fx "
                   "p99=%.2fx\n",
                   names[k], o50, o95, o99, o50 / p50, o95 / p95, o99 / p99);
        }
        kt_searcher_close(ours);
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "bench_query: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
