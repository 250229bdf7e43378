/* article_store.c - article records (JSON of struct kt_article) in the crawl-state database,
 * with a monotonically increasing seq for incremental indexing. */
#define _GNU_SOURCE
#include "corpus/article_store.h"
#include "corpus/crawl_state_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static kt_status prep(struct kt_crawl_state *st, const char *sql, sqlite3_stmt **s,
                      struct kt_err *err)
{
    if (sqlite3_prepare_v2(kt_crawl_state_sqlite(st), sql, -1, s, NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "article store", err);
    return KT_OK;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

kt_status kt_article_store_put(struct kt_crawl_state *st, const struct kt_article *a, int64_t *seq,
                               struct kt_err *err)
{
    if (!a || !a->url || !*a->url)
        return kt_err_set(err, KT_EINVAL, "article store: article without a URL");
    struct kt_buf json = {0};
    kt_status r = kt_article_to_json(a, &json, err);
    if (r != KT_OK)
        return r;
    sqlite3_stmt *s = NULL;
    r = prep(st,
             "INSERT INTO article(url, seq, json, content_sha1, simhash, dup_of, updated_at) "
             "VALUES(?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM article), ?2, ?3, ?4, ?5, ?6) "
             "ON CONFLICT(url) DO UPDATE SET seq = excluded.seq, json = excluded.json, "
             "content_sha1 = excluded.content_sha1, simhash = excluded.simhash, "
             "dup_of = excluded.dup_of, updated_at = excluded.updated_at RETURNING seq",
             &s, err);
    if (r == KT_OK) {
        bind_text(s, 1, a->url);
        sqlite3_bind_text(s, 2, json.data, (int)json.len, SQLITE_STATIC);
        bind_text(s, 3, a->content_sha1[0] ? a->content_sha1 : NULL);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)a->simhash);
        bind_text(s, 5, a->dup_of);
        sqlite3_bind_int64(s, 6, (sqlite3_int64)time(NULL));
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            if (seq)
                *seq = sqlite3_column_int64(s, 0);
            rc = sqlite3_step(s);
        }
        if (rc != SQLITE_DONE)
            r = kt_crawl_state_sqlerr(st, "article put", err);
    }
    sqlite3_finalize(s);
    kt_buf_free(&json);
    if (r != KT_OK)
        kt_err_prefix(err, "%s", a->url);
    return r;
}

/* Parses the JSON column into a, naming url on failure. */
static kt_status parse_row(sqlite3_stmt *s, int col, const char *url, struct kt_article *a,
                           struct kt_err *err)
{
    const char *j = (const char *)sqlite3_column_text(s, col);
    int n = sqlite3_column_bytes(s, col);
    kt_article_free(a);
    struct kt_err e = {0};
    if (!j || kt_article_from_json(j, (size_t)n, a, &e) != KT_OK) {
        kt_article_free(a);
        return kt_err_set(err, e.code == KT_ENOMEM ? KT_ENOMEM : KT_ECORRUPT,
                          "article store: %s: stored record does not parse: %s", url, e.msg);
    }
    return KT_OK;
}

kt_status kt_article_store_get(struct kt_crawl_state *st, const char *url, struct kt_article *a,
                               bool *found, struct kt_err *err)
{
    *found = false;
    sqlite3_stmt *s = NULL;
    kt_status r = prep(st, "SELECT json FROM article WHERE url = ?1", &s, err);
    if (r != KT_OK)
        return r;
    bind_text(s, 1, url);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        r = parse_row(s, 0, url, a, err);
        *found = r == KT_OK;
    } else if (rc != SQLITE_DONE) {
        r = kt_crawl_state_sqlerr(st, "article get", err);
    }
    sqlite3_finalize(s);
    return r;
}

kt_status kt_article_store_find_sha1(struct kt_crawl_state *st, const char *content_sha1,
                                     const char *exclude_url, char **url, struct kt_err *err)
{
    *url = NULL;
    sqlite3_stmt *s = NULL;
    kt_status r = prep(st,
                       "SELECT url FROM article WHERE content_sha1 = ?1 AND dup_of IS NULL AND "
                       "(?2 IS NULL OR url <> ?2) ORDER BY seq LIMIT 1",
                       &s, err);
    if (r != KT_OK)
        return r;
    bind_text(s, 1, content_sha1);
    bind_text(s, 2, exclude_url);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (!(*url = strdup((const char *)sqlite3_column_text(s, 0))))
            r = kt_err_set(err, KT_ENOMEM, "article store: out of memory");
    } else if (rc != SQLITE_DONE) {
        r = kt_crawl_state_sqlerr(st, "article find sha1", err);
    }
    sqlite3_finalize(s);
    return r;
}

kt_status kt_article_store_each_simhash(struct kt_crawl_state *st, kt_simhash_cb cb, void *ud,
                                        struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    kt_status r = prep(st,
                       "SELECT url, simhash FROM article WHERE simhash <> 0 AND dup_of IS NULL "
                       "ORDER BY seq",
                       &s, err);
    if (r != KT_OK)
        return r;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (cb(ud, (const char *)sqlite3_column_text(s, 0), (uint64_t)sqlite3_column_int64(s, 1)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = kt_crawl_state_sqlerr(st, "article simhashes", err);
    sqlite3_finalize(s);
    return r;
}

kt_status kt_article_store_since(struct kt_crawl_state *st, int64_t after_seq, kt_article_cb cb,
                                 void *ud, struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    kt_status r =
        prep(st, "SELECT seq, url, json FROM article WHERE seq > ?1 ORDER BY seq", &s, err);
    if (r != KT_OK)
        return r;
    sqlite3_bind_int64(s, 1, after_seq);
    struct kt_article a;
    kt_article_init(&a);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        r = parse_row(s, 2, (const char *)sqlite3_column_text(s, 1), &a, err);
        if (r != KT_OK)
            break;
        if (cb(ud, sqlite3_column_int64(s, 0), &a))
            break;
    }
    if (r == KT_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = kt_crawl_state_sqlerr(st, "articles since", err);
    kt_article_free(&a);
    sqlite3_finalize(s);
    return r;
}

static kt_status one_int(struct kt_crawl_state *st, const char *sql, int64_t *v, struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    kt_status r = prep(st, sql, &s, err);
    if (r != KT_OK)
        return r;
    if (sqlite3_step(s) == SQLITE_ROW)
        *v = sqlite3_column_int64(s, 0);
    else
        r = kt_crawl_state_sqlerr(st, "article store", err);
    sqlite3_finalize(s);
    return r;
}

kt_status kt_article_store_max_seq(struct kt_crawl_state *st, int64_t *seq, struct kt_err *err)
{
    return one_int(st, "SELECT COALESCE(MAX(seq), 0) FROM article", seq, err);
}

kt_status kt_article_store_count(struct kt_crawl_state *st, int64_t *count, struct kt_err *err)
{
    return one_int(st, "SELECT count(*) FROM article", count, err);
}
