/* bench_index.cpp - indexing throughput of khotin's index writer against a plain libxapian
 * TermGenerator indexer (default settings, positions on, title + lead + body) on the same
 * JSON Lines records, each in its own child process so peak RSS is per indexer.
 *
 * usage: bench_index [--corpus FILE.jsonl.gz] [--out DIR] [--limit N] [--only plain|ours]
 * Prints docs/s, MB/s (uncompressed record bytes), peak RSS, DB size per doc and the ratio.
 * Leaves DIR/plain and DIR/ours for bench_query. */
#include "indexer/indexer.h"

#include <xapian.h>

#include <jansson.h>
#include <zlib.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ftw.h>
#include <string>

struct run_result {
    double seconds;
    double cpu; /* user + system CPU seconds of the child (all threads) */
    unsigned long docs;
    unsigned long bytes;
    int ok;
};

static double now_s()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* The plain baseline: read, parse, TermGenerator with default settings, one commit. */
static run_result run_plain(const char *corpus, const std::string &db, long limit)
{
    run_result r = {0, 0, 0, 0, 0};
    double t0 = now_s();
    gzFile gz = gzopen(corpus, "rb");
    if (!gz)
        return r;
    gzbuffer(gz, 1 << 17);
    try {
        Xapian::WritableDatabase wdb(db, Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        std::string line;
        char buf[1 << 16];
        while (gzgets(gz, buf, sizeof buf)) {
            line += buf;
            if (line.empty() || line.back() != '\n')
                continue;
            r.bytes += line.size();
            json_error_t je;
            json_t *o = json_loadb(line.data(), line.size(), 0, &je);
            line.clear();
            if (!o)
                continue;
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(jstr(o, "title"));
            tg.increase_termpos();
            tg.index_text(jstr(o, "lead"));
            tg.increase_termpos();
            tg.index_text(jstr(o, "text"));
            std::string id = jstr(o, "id");
            doc.set_data(id);
            doc.add_boolean_term("Q" + id);
            wdb.replace_document("Q" + id, doc);
            json_decref(o);
            if (++r.docs == (unsigned long)limit)
                break;
        }
        wdb.commit();
        r.ok = 1;
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "plain: %s\n", e.get_description().c_str());
    }
    gzclose(gz);
    r.seconds = now_s() - t0;
    return r;
}

static void on_bad(void *user, uint64_t line, const struct kt_err *e)
{
    (void)user;
    fprintf(stderr, "ours: line %llu: %s\n", (unsigned long long)line, e->msg);
}

static run_result run_ours(const char *corpus, const std::string &db, long limit)
{
    run_result r = {0, 0, 0, 0, 0};
    double t0 = now_s();
    struct kt_index_opts opts;
    kt_index_opts_init(&opts);
    opts.max_records = limit > 0 ? (uint64_t)limit : 0;
    struct kt_index_callbacks cb = {};
    cb.on_bad_record = on_bad;
    struct kt_index_stats st = {};
    struct kt_err err = {};
    kt_status s = kt_index_jsonl(db.c_str(), corpus, &opts, &cb, &st, &err);
    r.seconds = now_s() - t0;
    if (s != KT_OK) {
        fprintf(stderr, "ours: %s\n", err.msg);
        return r;
    }
    r.docs = (unsigned long)(st.added + st.updated);
    r.bytes = (unsigned long)st.bytes_read;
    r.ok = 1;
    return r;
}

static unsigned long long dir_bytes_total;
static int add_size(const char *, const struct stat *sb, int flag, struct FTW *)
{
    if (flag == FTW_F)
        dir_bytes_total += (unsigned long long)sb->st_size;
    return 0;
}
static unsigned long long dir_size(const std::string &dir)
{
    dir_bytes_total = 0;
    nftw(dir.c_str(), add_size, 16, FTW_PHYS);
    return dir_bytes_total;
}

/* Runs one indexer in a child; returns its result and peak RSS (KiB). */
static run_result in_child(run_result (*fn)(const char *, const std::string &, long),
                           const char *corpus, const std::string &db, long limit, long *rss_kb)
{
    run_result r = {0, 0, 0, 0, 0};
    int fds[2];
    if (pipe(fds) != 0)
        return r;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        run_result cr = fn(corpus, db, limit);
        ssize_t w = write(fds[1], &cr, sizeof cr);
        _exit(w == (ssize_t)sizeof cr ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    struct rusage ru = {};
    wait4(pid, &status, 0, &ru);
    *rss_kb = ru.ru_maxrss;
    r.cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    if (got != (ssize_t)sizeof r)
        r.ok = 0;
    return r;
}

static void print_row(const char *name, const run_result &r, long rss, unsigned long long dbsz)
{
    printf("%-6s docs=%lu time=%.2fs cpu=%.2fs docs/s=%.0f MB/s=%.2f peak_rss=%.1fMiB "
           "db=%.1fMiB db/doc=%.0fB\n",
           name, r.docs, r.seconds, r.cpu, r.docs / r.seconds, r.bytes / 1e6 / r.seconds,
           rss / 1024.0, dbsz / 1048576.0, r.docs ? (double)dbsz / r.docs : 0.0);
}

int main(int argc, char **argv)
{
    const char *corpus = "../shared/bench/vietnews-20k.jsonl.gz";
    std::string out = "/tmp/khotin-bench-index";
    long limit = 0;
    std::string only;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--corpus"))
            corpus = argv[i + 1];
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else if (!strcmp(argv[i], "--limit"))
            limit = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--only"))
            only = argv[i + 1];
        else {
            fprintf(stderr, "usage: bench_index [--corpus F] [--out DIR] [--limit N] "
                            "[--only plain|ours]\n");
            return 2;
        }
    }
    mkdir(out.c_str(), 0755);
    std::string plain_db = out + "/plain", ours_db = out + "/ours";
    printf("corpus %s\n", corpus);
    run_result p = {0, 0, 0, 0, 1}, o = {0, 0, 0, 0, 1};
    long prss = 0, orss = 0;
    if (only != "ours") {
        p = in_child(run_plain, corpus, plain_db, limit, &prss);
        if (!p.ok)
            return 1;
        print_row("plain", p, prss, dir_size(plain_db));
    }
    if (only != "plain") {
        std::string cmd = "rm -rf '" + ours_db + "'";
        if (system(cmd.c_str()) != 0)
            return 1;
        o = in_child(run_ours, corpus, ours_db, limit, &orss);
        if (!o.ok)
            return 1;
        print_row("ours", o, orss, dir_size(ours_db));
    }
    if (only.empty())
        printf("ratio ours/plain docs/s = %.2fx (cpu per doc: %.2fx)\n",
               (o.docs / o.seconds) / (p.docs / p.seconds), (o.cpu / o.docs) / (p.cpu / p.docs));
    return 0;
}
