/* index_writer.c - the indexing pipeline: a reader thread, analysis workers and the single
 * Xapian writer (the calling thread), with batched commits that carry the resume point.
 *
 * Jobs flow: reader --(bounded FIFO)--> workers --(reorder ring)--> writer.
 * Every job has a sequence number s (input order). A worker holding job s waits while
 * s >= next + RING (next = the writer's next expected job), so slot s % RING is always free and
 * the writer takes jobs strictly in input order: the resume point it commits (last line or
 * archive seq handled) therefore covers every earlier record. */
#define _DEFAULT_SOURCE
#include "indexer/entities.h"
#include "indexer/index_internal.h"
#include "indexer/index_schema.h"
#include "indexer/index_writer.h"

#include "corpus/archive.h"
#include "corpus/article_store.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IN_CAP      256 /* jobs waiting for a worker */
#define RING        512 /* jobs analysed, waiting for the writer */
#define MAX_WORKERS 8
#define PROGRESS_MS 200

void kt_index_opts_init(struct kt_index_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->batch_docs = 5000;
    opts->batch_ms = 10000;
    opts->workers = 1;
    opts->store_text = true;
    opts->entities = true;
}

/* ============================ Jobs and queues ============================ */

struct job {
    uint64_t seq;  /* 0-based input order */
    uint64_t line; /* JSONL line number or archive seq */
    char *json;    /* the record */
    size_t len;
    kt_status status; /* != KT_OK: a bad record, err says why */
    struct kt_err err;
    kt_xdoc *doc; /* built by a worker */
    struct kt_buf uterm;
    char hash[17];
};

static void job_free(struct job *j)
{
    if (!j)
        return;
    free(j->json);
    kt_xdoc_free(j->doc);
    kt_buf_free(&j->uterm);
    free(j);
}

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t in_cv;  /* in-queue changed */
    pthread_cond_t out_cv; /* ring changed */
    struct job *in[IN_CAP];
    size_t in_head, in_n;
    bool in_closed; /* the reader is done */
    struct job *ring[RING];
    uint64_t next;     /* the writer's next expected seq */
    uint64_t produced; /* jobs the reader pushed */
    bool abort;        /* writer failed or stop: everyone quits */
    /* reader results */
    kt_status reader_status;
    struct kt_err reader_err;
    uint64_t resumed;  /* lines skipped because already committed */
    uint64_t bytes;    /* uncompressed bytes read */
    uint64_t file_off; /* compressed bytes read */
    /* source */
    const char *path; /* JSONL file */
    uint64_t skip_lines;
    uint64_t max_records;
    struct kt_crawl_state *state; /* archive */
    int64_t after_seq;
    /* workers */
    vi_analyzer *an[MAX_WORKERS];
    struct kt_entity_extractor *ex[MAX_WORKERS];
    bool store_text;
};

/* Reader side: pushes j, blocking while the queue is full. False when aborting (j freed). */
static bool push_job(struct pipeline *p, struct job *j)
{
    pthread_mutex_lock(&p->mu);
    while (p->in_n == IN_CAP && !p->abort)
        pthread_cond_wait(&p->in_cv, &p->mu);
    if (p->abort) {
        pthread_mutex_unlock(&p->mu);
        job_free(j);
        return false;
    }
    j->seq = p->produced++;
    p->in[(p->in_head + p->in_n) % IN_CAP] = j;
    p->in_n++;
    pthread_cond_broadcast(&p->in_cv);
    pthread_mutex_unlock(&p->mu);
    return true;
}

static void close_input(struct pipeline *p, kt_status s, const struct kt_err *err)
{
    pthread_mutex_lock(&p->mu);
    p->in_closed = true;
    p->reader_status = s;
    if (s != KT_OK && err)
        p->reader_err = *err;
    pthread_cond_broadcast(&p->in_cv);
    pthread_cond_broadcast(&p->out_cv);
    pthread_mutex_unlock(&p->mu);
}

static struct job *job_new(uint64_t line, const char *json, size_t len)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->line = line;
    if (len > 0) {
        j->json = malloc(len + 1);
        if (!j->json) {
            free(j);
            return NULL;
        }
        memcpy(j->json, json, len);
        j->json[len] = '\0';
        j->len = len;
    }
    return j;
}

/* ============================ Readers ============================ */

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

static void *jsonl_reader(void *arg)
{
    struct pipeline *p = arg;
    struct kt_err err = {0};
    struct kt_lines *lr = NULL;
    struct kt_buf line = {0};
    uint64_t records = 0;
    kt_status s = kt_lines_open(p->path, &lr, &err);
    while (s == KT_OK) {
        uint64_t no = 0;
        bool eof = false;
        kt_status ls = kt_lines_next(lr, &line, &no, &eof, &err);
        pthread_mutex_lock(&p->mu);
        p->bytes = kt_lines_bytes(lr);
        p->file_off = kt_lines_file_offset(lr);
        pthread_mutex_unlock(&p->mu);
        if (ls != KT_OK && ls != KT_ETOOBIG) {
            s = ls;
            break;
        }
        if (eof)
            break;
        if (no <= p->skip_lines) {
            p->resumed++;
            continue;
        }
        if (ls == KT_OK && blank(line.data, line.len))
            continue;
        if (p->max_records && records >= p->max_records)
            break;
        records++;
        struct job *j = job_new(no, line.data, ls == KT_OK ? line.len : 0);
        if (!j) {
            s = kt_err_set(&err, KT_ENOMEM, "%s: line %llu: out of memory", p->path,
                           (unsigned long long)no);
            break;
        }
        if (ls == KT_ETOOBIG) {
            j->status = ls;
            j->err = err;
        }
        if (!push_job(p, j))
            break;
    }
    kt_lines_close(lr);
    kt_buf_free(&line);
    close_input(p, s, &err);
    return NULL;
}

struct archive_cb {
    struct pipeline *p;
    struct kt_buf json;
    kt_status status;
    struct kt_err err;
};

static int archive_record(void *ud, int64_t seq, const struct kt_article *a)
{
    struct archive_cb *c = ud;
    struct job *j = NULL;
    kt_buf_reset(&c->json);
    kt_status s = kt_article_to_json(a, &c->json, &c->err);
    if (s == KT_OK && !(j = job_new((uint64_t)seq, c->json.data, c->json.len)))
        s = kt_err_set(&c->err, KT_ENOMEM, "archive seq %lld: out of memory", (long long)seq);
    if (s != KT_OK) {
        c->status = s;
        return 1;
    }
    if (c->p->max_records && (uint64_t)c->p->produced >= c->p->max_records) {
        job_free(j);
        return 1;
    }
    return push_job(c->p, j) ? 0 : 1;
}

static void *archive_reader(void *arg)
{
    struct pipeline *p = arg;
    struct archive_cb c = {p, {0}, KT_OK, {0}};
    kt_status s = kt_article_store_since(p->state, p->after_seq, archive_record, &c, &c.err);
    if (s == KT_OK)
        s = c.status;
    kt_buf_free(&c.json);
    close_input(p, s, &c.err);
    return NULL;
}

/* ============================ Workers ============================ */

struct worker_arg {
    struct pipeline *p;
    vi_analyzer *an;
    struct kt_entity_extractor *ex;
};

static void analyse(struct job *j, vi_analyzer *an, struct kt_entity_extractor *ex, bool store_text)
{
    if (j->status != KT_OK)
        return;
    struct kt_article a;
    kt_article_init(&a);
    j->status = kt_article_from_json(j->json, j->len, &a, &j->err);
    if (j->status == KT_OK) {
        kt_index_hash_hex(j->json, j->len, j->hash);
        j->status =
            kt_index_doc_build(an, ex, &a, j->hash, store_text, &j->doc, &j->uterm, &j->err);
    }
    kt_article_free(&a);
    free(j->json);
    j->json = NULL;
}

static void *worker(void *arg)
{
    struct worker_arg *w = arg;
    struct pipeline *p = w->p;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->in_n == 0 && !p->in_closed && !p->abort)
            pthread_cond_wait(&p->in_cv, &p->mu);
        if (p->abort || p->in_n == 0) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        struct job *j = p->in[p->in_head];
        p->in_head = (p->in_head + 1) % IN_CAP;
        p->in_n--;
        pthread_cond_broadcast(&p->in_cv);
        pthread_mutex_unlock(&p->mu);

        analyse(j, w->an, w->ex, p->store_text);

        pthread_mutex_lock(&p->mu);
        while (j->seq >= p->next + RING && !p->abort)
            pthread_cond_wait(&p->out_cv, &p->mu);
        if (p->abort) {
            pthread_mutex_unlock(&p->mu);
            job_free(j);
            return NULL;
        }
        p->ring[j->seq % RING] = j;
        pthread_cond_broadcast(&p->out_cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* ============================ Writer ============================ */

struct writer {
    kt_xdbw *db;
    const struct kt_index_opts *opts;
    const struct kt_index_callbacks *cb;
    struct kt_index_stats *st;
    const char *meta_key;          /* resume point key */
    char meta_tail[PATH_MAX + 64]; /* what follows the number in the resume value */
    uint64_t last_line;            /* resume point reached */
    bool have_line;
    uint32_t in_batch;
    int64_t batch_start, last_progress, t0;
    struct kt_buf scratch;
};

static kt_status commit(struct writer *w, struct kt_err *err)
{
    kt_status s = KT_OK;
    if (w->have_line) {
        char val[PATH_MAX + 96];
        int n =
            snprintf(val, sizeof val, "%llu %s", (unsigned long long)w->last_line, w->meta_tail);
        s = kt_xdbw_set_metadata(w->db, w->meta_key, val, (size_t)n, err);
    }
    if (s == KT_OK)
        s = kt_xdbw_commit(w->db, err);
    w->in_batch = 0;
    w->batch_start = kt_now_ms();
    return s;
}

static kt_status store(struct writer *w, struct job *j, struct kt_err *err)
{
    struct kt_err miss = {0};
    kt_xdocid id = 0;
    kt_status s = kt_xdbw_find_by_term(w->db, j->uterm.data, j->uterm.len, &id, &miss);
    bool exists = s == KT_OK;
    if (s != KT_OK && s != KT_ENOTFOUND) {
        *err = miss;
        return s;
    }
    if (exists) {
        kt_xdoc *old = NULL;
        if ((s = kt_xdbw_get_document(w->db, id, &old, err)) != KT_OK)
            return s;
        s = kt_xdoc_get_value(old, KT_SLOT_HASH, &w->scratch, err);
        kt_xdoc_free(old);
        if (s != KT_OK)
            return s;
        if (w->scratch.len == 16 && memcmp(w->scratch.data, j->hash, 16) == 0) {
            w->st->skipped++;
            return KT_OK;
        }
    }
    s = kt_xdbw_replace_by_term(w->db, j->uterm.data, j->uterm.len, j->doc, NULL, err);
    if (s != KT_OK)
        return s;
    if (exists)
        w->st->updated++;
    else
        w->st->added++;
    w->in_batch++;
    return KT_OK;
}

static void progress(struct writer *w, struct pipeline *p, bool force)
{
    int64_t now = kt_now_ms();
    if (!w->cb || !w->cb->on_progress || (!force && now - w->last_progress < PROGRESS_MS))
        return;
    w->last_progress = now;
    pthread_mutex_lock(&p->mu);
    w->st->bytes_read = p->bytes;
    w->st->done_bytes = p->file_off;
    pthread_mutex_unlock(&p->mu);
    w->st->elapsed_ms = now - w->t0;
    w->cb->on_progress(w->cb->user, w->st);
}

/* Takes jobs in order until the input ends; returns the first writer error. */
static kt_status write_all(struct writer *w, struct pipeline *p, struct kt_err *err)
{
    kt_status s = KT_OK;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        struct job *j;
        while (!(j = p->ring[p->next % RING]) && !(p->in_closed && p->next == p->produced)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100 * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&p->out_cv, &p->mu, &ts);
            if (w->opts->stop && *w->opts->stop)
                break;
        }
        if (j) {
            p->ring[p->next % RING] = NULL;
            p->next++;
            pthread_cond_broadcast(&p->out_cv);
        }
        pthread_mutex_unlock(&p->mu);
        if (w->opts->stop && *w->opts->stop) {
            job_free(j);
            s = kt_err_set(err, KT_EINTERRUPTED, "%s: interrupted", kt_xdbw_path(w->db));
            break;
        }
        if (!j)
            break; /* input done */
        if (j->status != KT_OK) {
            w->st->failed++;
            if (w->cb && w->cb->on_bad_record)
                w->cb->on_bad_record(w->cb->user, j->line, &j->err);
        } else if ((s = store(w, j, err)) != KT_OK) {
            kt_err_prefix(err, "line %llu", (unsigned long long)j->line);
            job_free(j);
            break;
        }
        w->last_line = j->line;
        w->have_line = true;
        job_free(j);
        if (w->in_batch >= w->opts->batch_docs ||
            (w->in_batch > 0 && kt_now_ms() - w->batch_start >= w->opts->batch_ms)) {
            if ((s = commit(w, err)) != KT_OK)
                break;
        }
        progress(w, p, false);
    }
    return s;
}

/* ============================ Database and run ============================ */

static kt_status open_db(const char *db_path, kt_xdbw **out, struct kt_err *err)
{
    kt_xdbw *db = NULL;
    kt_status s = kt_xdbw_open(db_path, KT_XDBW_CREATE_OR_OPEN, &db, err);
    if (s != KT_OK)
        return s;
    struct kt_buf v = {0};
    uint32_t docs = 0;
    s = kt_xdbw_get_metadata(db, KT_META_FORMAT, &v, err);
    if (s == KT_OK)
        s = kt_xdbw_doc_count(db, &docs, err);
    if (s == KT_OK && v.len == 0 && docs > 0)
        s = kt_err_set(err, KT_ECORRUPT, "%s: not a khotin index (no format version)", db_path);
    else if (s == KT_OK && v.len > 0 && atoi(v.data) != KT_INDEX_FORMAT)
        s = kt_err_set(err, KT_ECORRUPT,
                       "%s: index format %s, this build writes %d: reindex needed (new --db)",
                       db_path, v.data, KT_INDEX_FORMAT);
    else if (s == KT_OK && v.len == 0) {
        char f[16];
        int n = snprintf(f, sizeof f, "%d", KT_INDEX_FORMAT);
        s = kt_xdbw_set_metadata(db, KT_META_FORMAT, f, (size_t)n, err);
    }
    kt_buf_free(&v);
    if (s != KT_OK) {
        kt_xdbw_close(db);
        return s;
    }
    *out = db;
    return KT_OK;
}

/* Runs the pipeline with reader fn over an open database. */
static kt_status run(kt_xdbw *db, struct pipeline *p, void *(*reader)(void *),
                     const struct kt_index_opts *opts, const struct kt_index_callbacks *cb,
                     struct writer *w, struct kt_err *err)
{
    int nw = opts->workers < 1 ? 1 : opts->workers > MAX_WORKERS ? MAX_WORKERS : opts->workers;
    kt_status s = KT_OK;
    for (int i = 0; i < nw && s == KT_OK; i++) {
        s = vi_analyzer_new(NULL, &p->an[i], err);
        if (s == KT_OK && opts->entities)
            s = kt_entity_extractor_new(NULL, &p->ex[i], err);
    }
    pthread_t rt, wt[MAX_WORKERS];
    struct worker_arg wa[MAX_WORKERS];
    bool reader_started = false;
    int started = 0;
    if (s == KT_OK) {
        if (pthread_create(&rt, NULL, reader, p) != 0)
            s = kt_err_set(err, KT_ENOMEM, "cannot start the reader thread");
        else
            reader_started = true;
    }
    for (int i = 0; i < nw && s == KT_OK; i++) {
        wa[i].p = p;
        wa[i].an = p->an[i];
        wa[i].ex = p->ex[i];
        if (pthread_create(&wt[i], NULL, worker, &wa[i]) != 0)
            s = kt_err_set(err, KT_ENOMEM, "cannot start an analysis thread");
        else
            started++;
    }
    w->db = db;
    w->opts = opts;
    w->cb = cb;
    w->t0 = w->batch_start = kt_now_ms();
    if (s == KT_OK)
        s = write_all(w, p, err);
    pthread_mutex_lock(&p->mu);
    p->abort = true;
    pthread_cond_broadcast(&p->in_cv);
    pthread_cond_broadcast(&p->out_cv);
    pthread_mutex_unlock(&p->mu);
    if (reader_started)
        pthread_join(rt, NULL);
    for (int i = 0; i < started; i++)
        pthread_join(wt[i], NULL);
    for (size_t i = 0; i < p->in_n; i++)
        job_free(p->in[(p->in_head + i) % IN_CAP]);
    for (size_t i = 0; i < RING; i++)
        job_free(p->ring[i]);
    for (int i = 0; i < nw; i++) {
        vi_analyzer_free(p->an[i]);
        kt_entity_extractor_free(p->ex[i]);
    }
    /* Commit what was stored, even after an error or a stop: it is all consistent. */
    struct kt_err cerr = {0};
    kt_status cs = commit(w, &cerr);
    if (s == KT_OK && cs != KT_OK) {
        s = cs;
        *err = cerr;
    }
    if (s == KT_OK && p->reader_status != KT_OK) {
        s = p->reader_status;
        *err = p->reader_err;
    }
    w->st->bytes_read = p->bytes;
    w->st->done_bytes = p->file_off;
    w->st->elapsed_ms = kt_now_ms() - w->t0;
    kt_buf_free(&w->scratch);
    return s;
}

static void pipeline_init(struct pipeline *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->in_cv, NULL);
    pthread_cond_init(&p->out_cv, NULL);
}

static void pipeline_destroy(struct pipeline *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->in_cv);
    pthread_cond_destroy(&p->out_cv);
}

static struct kt_index_opts defaults(const struct kt_index_opts *opts)
{
    struct kt_index_opts o;
    if (opts) {
        o = *opts;
        if (o.batch_docs == 0)
            o.batch_docs = 5000;
        if (o.batch_ms <= 0)
            o.batch_ms = 10000;
    } else {
        kt_index_opts_init(&o);
    }
    return o;
}

kt_status kt_index_jsonl(const char *db_path, const char *path, const struct kt_index_opts *opts,
                         const struct kt_index_callbacks *cb, struct kt_index_stats *stats,
                         struct kt_err *err)
{
    memset(stats, 0, sizeof *stats);
    struct kt_index_opts o = defaults(opts);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return kt_err_set(err, errno == ENOENT ? KT_ENOTFOUND : KT_EIO, "%s: %s", path,
                          strerror(errno));
    char real[PATH_MAX];
    if (!realpath(path, real))
        return kt_err_set(err, KT_EIO, "%s: %s", path, strerror(errno));
    stats->total_bytes = (uint64_t)sb.st_size;

    kt_xdbw *db = NULL;
    kt_status s = open_db(db_path, &db, err);
    if (s != KT_OK)
        return s;
    struct writer w = {0};
    w.st = stats;
    char hex[17], key[64];
    kt_index_hash_hex(real, strlen(real), hex);
    snprintf(key, sizeof key, "%s%s", KT_META_JSONL, hex);
    w.meta_key = key;
    snprintf(w.meta_tail, sizeof w.meta_tail, "%lld %lld %s", (long long)sb.st_size,
             (long long)sb.st_mtime, real);

    struct pipeline *p = malloc(sizeof *p);
    if (!p) {
        kt_xdbw_close(db);
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    pipeline_init(p);
    p->path = path;
    p->max_records = o.max_records;
    p->store_text = o.store_text;
    /* Resume: same file (size, mtime) -> skip the lines a previous run committed. */
    struct kt_buf v = {0};
    s = kt_xdbw_get_metadata(db, key, &v, err);
    if (s == KT_OK && v.len > 0) {
        unsigned long long line = 0;
        int used = 0;
        if (sscanf(v.data, "%llu %n", &line, &used) == 1 && strcmp(v.data + used, w.meta_tail) == 0)
            p->skip_lines = line;
    }
    kt_buf_free(&v);
    if (s == KT_OK)
        s = run(db, p, jsonl_reader, &o, cb, &w, err);
    stats->resumed_from = p->skip_lines;
    stats->nothing_new = s == KT_OK && stats->added + stats->updated + stats->failed == 0 &&
                         p->skip_lines > 0 && p->resumed >= p->skip_lines;
    pipeline_destroy(p);
    free(p);
    kt_xdbw_close(db);
    return s;
}

kt_status kt_index_archive(const char *db_path, const char *archive_dir,
                           const struct kt_index_opts *opts, const struct kt_index_callbacks *cb,
                           struct kt_index_stats *stats, struct kt_err *err)
{
    memset(stats, 0, sizeof *stats);
    struct kt_index_opts o = defaults(opts);
    struct kt_archive_opts ao = {0};
    ao.read_only = true;
    struct kt_archive *ar = NULL;
    kt_status s = kt_archive_open(archive_dir, &ao, &ar, NULL, err);
    if (s != KT_OK)
        return s;
    char real[PATH_MAX];
    if (!realpath(archive_dir, real))
        snprintf(real, sizeof real, "%s", archive_dir);
    kt_xdbw *db = NULL;
    if ((s = open_db(db_path, &db, err)) != KT_OK) {
        kt_archive_close(ar, NULL);
        return s;
    }
    struct writer w = {0};
    w.st = stats;
    char hex[17], key[64];
    kt_index_hash_hex(real, strlen(real), hex);
    snprintf(key, sizeof key, "%s%s", KT_META_ARCHIVE, hex);
    w.meta_key = key;
    snprintf(w.meta_tail, sizeof w.meta_tail, "%s", real);

    struct pipeline *p = malloc(sizeof *p);
    if (!p) {
        kt_xdbw_close(db);
        kt_archive_close(ar, NULL);
        return kt_err_set(err, KT_ENOMEM, "out of memory");
    }
    pipeline_init(p);
    p->state = kt_archive_state(ar);
    p->max_records = o.max_records;
    p->store_text = o.store_text;
    struct kt_buf v = {0};
    s = kt_xdbw_get_metadata(db, key, &v, err);
    if (s == KT_OK && v.len > 0)
        p->after_seq = atoll(v.data);
    kt_buf_free(&v);
    int64_t max_seq = 0;
    if (s == KT_OK)
        s = kt_article_store_max_seq(p->state, &max_seq, err);
    stats->resumed_from = (uint64_t)p->after_seq;
    if (s == KT_OK && max_seq <= p->after_seq) {
        stats->nothing_new = true;
    } else if (s == KT_OK) {
        s = run(db, p, archive_reader, &o, cb, &w, err);
    }
    pipeline_destroy(p);
    free(p);
    kt_xdbw_close(db);
    kt_archive_close(ar, NULL);
    return s;
}
