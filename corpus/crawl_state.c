/* crawl_state.c - the crawl frontier and per-URL status in SQLite (WAL, prepared statements).
 *
 * The state of one URL row moves like this:
 *
 *        kt_crawl_add_url                 kt_crawl_claim
 *   (new) ------------------> QUEUED ------------------------> FETCHING
 *                              ^  ^                               |
 *          kt_crawl_requeue /  |  | reset_fetching (killed run)   |
 *          requeue_kinds    |  |  +-------------------------------+
 *                           |  |                                  |
 *                           |  |  retry time due (in claim)       |  mark_done
 *                           |  +------------ FAILED <-------------+  mark_failed
 *                           |            (next_attempt_at > 0:    |  mark_robots_blocked
 *                           |             retry; 0: final)        |  mark_skipped
 *                           |                                     v
 *                           +-------------------------- DONE | ROBOTS_BLOCKED | SKIPPED
 *
 *   QUEUED    waiting; due when next_attempt_at <= now (0 = at once).
 *   FETCHING  claimed by the running crawl; attempts was incremented at the claim. A row can only
 *             stay FETCHING if the process died: the archive open puts such rows back to QUEUED.
 *   DONE      a final HTTP answer was recorded (2xx, 304, 4xx such as 404): validators, payload
 *             digest and the WARC location of the response live in the row.
 *   FAILED    the last attempt failed. With next_attempt_at > 0 it is a scheduled retry: the
 *             first claim at or after that time moves it back to QUEUED. With 0 it is final.
 *   ROBOTS_BLOCKED, SKIPPED  final; not fetched (robots.txt / out of scope, trap limit...).
 *
 * Every URL the crawler ever knew therefore ends in a recorded state. Durability: callers fsync
 * the WARC file before committing rows that point at it, so a committed DONE row's record exists.
 */
#define _GNU_SOURCE
#include "corpus/crawl_state.h"
#include "corpus/crawl_state_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define APP_ID         0x6b68746e /* "khtn" */
#define SCHEMA_VERSION 1

enum stmt_id {
    S_ADD,
    S_CLAIM_ANY,
    S_CLAIM_HOST,
    S_SET_FETCHING,
    S_RETRY_DUE,
    S_GET_BY_ID,
    S_GET,
    S_DONE,
    S_FAILED,
    S_SET_STATE,
    S_REQUEUE,
    S_FIND_DIGEST,
    S_NEXT_QUEUED,
    S_NEXT_RETRY,
    S_COUNT
};

#define ROW_COLS                                                                                   \
    "id, url, host, kind, state, depth, attempts, next_attempt_at, http_status, error_kind, "      \
    "error_msg, etag, last_modified, payload_digest, warc_file, warc_offset, warc_record_id, "     \
    "warc_date, content_type, parent, sitemap_lastmod, fetched_at"

static const char *const stmt_sql[S_COUNT] = {
    [S_ADD] = "INSERT INTO url(url, host, kind, depth, parent, sitemap_lastmod, next_attempt_at, "
              "added_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(url) DO NOTHING",
    [S_CLAIM_ANY] = "SELECT id, host FROM url WHERE state = 0 AND next_attempt_at <= ?1 "
                    "ORDER BY next_attempt_at, depth, id LIMIT ?2",
    [S_CLAIM_HOST] = "SELECT id, host FROM url WHERE host = ?3 AND state = 0 AND "
                     "next_attempt_at <= ?1 ORDER BY next_attempt_at, depth, id LIMIT ?2",
    [S_SET_FETCHING] = "UPDATE url SET state = 1, attempts = attempts + 1 WHERE id = ?1",
    [S_RETRY_DUE] = "UPDATE url SET state = 0 WHERE state = 3 AND next_attempt_at > 0 AND "
                    "next_attempt_at <= ?1",
    [S_GET_BY_ID] = "SELECT " ROW_COLS " FROM url WHERE id = ?1",
    [S_GET] = "SELECT " ROW_COLS " FROM url WHERE url = ?1",
    [S_DONE] =
        "UPDATE url SET state = 2, http_status = ?2, error_kind = NULL, error_msg = NULL, "
        "next_attempt_at = 0, fetched_at = ?3, "
        "etag = CASE WHEN ?4 IS NULL AND ?12 THEN etag ELSE ?4 END, "
        "last_modified = CASE WHEN ?5 IS NULL AND ?12 THEN last_modified ELSE ?5 END, "
        "content_type = CASE WHEN ?6 IS NULL AND ?12 THEN content_type ELSE ?6 END, "
        "payload_digest = CASE WHEN ?7 IS NULL AND ?12 THEN payload_digest ELSE ?7 END, "
        "warc_file = CASE WHEN ?12 AND warc_file IS NOT NULL THEN warc_file ELSE ?8 END, "
        "warc_offset = CASE WHEN ?12 AND warc_file IS NOT NULL THEN warc_offset ELSE ?9 END, "
        "warc_record_id = CASE WHEN ?12 AND warc_file IS NOT NULL THEN warc_record_id ELSE ?10 "
        "END, "
        "warc_date = CASE WHEN ?12 AND warc_file IS NOT NULL THEN warc_date ELSE ?11 END, "
        "warc_revisit = CASE WHEN ?12 AND warc_file IS NOT NULL THEN warc_revisit ELSE ?12 END "
        "WHERE url = ?1",
    [S_FAILED] = "UPDATE url SET state = 3, http_status = ?2, error_kind = ?3, error_msg = ?4, "
                 "next_attempt_at = ?5 WHERE url = ?1",
    [S_SET_STATE] = "UPDATE url SET state = ?2, error_kind = ?3, error_msg = ?4, "
                    "next_attempt_at = 0 WHERE url = ?1",
    [S_REQUEUE] = "UPDATE url SET state = 0, next_attempt_at = ?2 WHERE url = ?1",
    [S_FIND_DIGEST] = "SELECT " ROW_COLS " FROM url WHERE payload_digest = ?1 AND state = 2 AND "
                      "warc_revisit = 0 AND warc_file IS NOT NULL AND warc_record_id IS NOT NULL "
                      "AND (?2 IS NULL OR url <> ?2) ORDER BY fetched_at, id LIMIT 1",
    [S_NEXT_QUEUED] = "SELECT MIN(next_attempt_at) FROM url WHERE state = 0",
    [S_NEXT_RETRY] = "SELECT MIN(next_attempt_at) FROM url WHERE state = 3 AND "
                     "next_attempt_at > 0",
};

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS url("
    " id INTEGER PRIMARY KEY,"
    " url TEXT NOT NULL UNIQUE,"
    " host TEXT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0,"
    " depth INTEGER NOT NULL DEFAULT 0,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER NOT NULL DEFAULT 0,"
    " http_status INTEGER NOT NULL DEFAULT 0,"
    " error_kind TEXT, error_msg TEXT, etag TEXT, last_modified TEXT, payload_digest TEXT,"
    " warc_file TEXT, warc_offset INTEGER NOT NULL DEFAULT -1, warc_record_id TEXT,"
    " warc_date TEXT, warc_revisit INTEGER NOT NULL DEFAULT 0,"
    " content_type TEXT, parent TEXT, sitemap_lastmod TEXT,"
    " fetched_at INTEGER NOT NULL DEFAULT 0,"
    " added_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS url_due ON url(state, next_attempt_at, depth, id);"
    "CREATE INDEX IF NOT EXISTS url_host_due ON url(host, state, next_attempt_at, depth, id);"
    "CREATE INDEX IF NOT EXISTS url_digest ON url(payload_digest) WHERE payload_digest IS NOT "
    "NULL;"
    "CREATE TABLE IF NOT EXISTS run("
    " id INTEGER PRIMARY KEY, started INTEGER NOT NULL, finished INTEGER, description TEXT,"
    " status TEXT, fetched INTEGER, new_urls INTEGER, new_articles INTEGER, revisits INTEGER,"
    " robots_blocked INTEGER, errors INTEGER, bytes INTEGER, warc_bytes INTEGER,"
    " errors_json TEXT);"
    "CREATE TABLE IF NOT EXISTS article("
    " url TEXT PRIMARY KEY,"
    " seq INTEGER NOT NULL UNIQUE,"
    " json TEXT NOT NULL,"
    " content_sha1 TEXT,"
    " simhash INTEGER NOT NULL DEFAULT 0,"
    " dup_of TEXT,"
    " updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS article_sha1 ON article(content_sha1) WHERE content_sha1 IS NOT "
    "NULL;"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');";

struct kt_crawl_state {
    sqlite3 *db;
    char *path;
    bool read_only;
    bool in_txn;
    sqlite3_stmt *stmts[S_COUNT];
};

sqlite3 *kt_crawl_state_sqlite(struct kt_crawl_state *st)
{
    return st->db;
}

bool kt_crawl_state_read_only(const struct kt_crawl_state *st)
{
    return st->read_only;
}

kt_status kt_crawl_state_sqlerr(struct kt_crawl_state *st, const char *what, struct kt_err *err)
{
    int rc = sqlite3_extended_errcode(st->db) & 0xff;
    kt_status code = KT_EIO;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        code = KT_ELOCKED;
    else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
        code = KT_ECORRUPT;
    else if (rc == SQLITE_NOMEM)
        code = KT_ENOMEM;
    else if (rc == SQLITE_CANTOPEN)
        code = KT_EIO;
    return kt_err_set(err, code, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

const char *kt_url_kind_name(enum kt_url_kind k)
{
    static const char *const names[] = {"seed",    "robots",  "sitemap", "feed",
                                        "listing", "article", "other"};
    return (unsigned)k < KT_URL_KIND_COUNT ? names[k] : "?";
}

const char *kt_url_state_name(enum kt_url_state s)
{
    static const char *const names[] = {"QUEUED", "FETCHING",       "DONE",
                                        "FAILED", "ROBOTS_BLOCKED", "SKIPPED"};
    return (unsigned)s < KT_URL_STATE_COUNT ? names[s] : "?";
}

int kt_url_kind_parse(const char *name)
{
    for (int k = 0; k < KT_URL_KIND_COUNT; k++)
        if (name && strcasecmp(name, kt_url_kind_name((enum kt_url_kind)k)) == 0)
            return k;
    return -1;
}

static sqlite3_stmt *stmt(struct kt_crawl_state *st, enum stmt_id id, struct kt_err *err)
{
    if (!st->stmts[id]) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmts[id],
                               NULL) != SQLITE_OK) {
            kt_crawl_state_sqlerr(st, "prepare", err);
            return NULL;
        }
    }
    sqlite3_reset(st->stmts[id]);
    sqlite3_clear_bindings(st->stmts[id]);
    return st->stmts[id];
}

static int exec(struct kt_crawl_state *st, const char *sql)
{
    return sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

kt_status kt_crawl_state_open(const char *path, bool read_only, struct kt_crawl_state **out,
                              struct kt_err *err)
{
    *out = NULL;
    if (read_only && access(path, F_OK) != 0)
        return kt_err_set(err, KT_ENOTFOUND, "%s: crawl state does not exist", path);
    struct kt_crawl_state *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
    }
    st->read_only = read_only;
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    kt_status s = KT_OK;
    if (rc != SQLITE_OK) {
        s = st->db ? kt_crawl_state_sqlerr(st, "open", err)
                   : kt_err_set(err, KT_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_stmt *q = NULL;
    int app_id = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA application_id", -1, &q, NULL) != SQLITE_OK ||
        (rc = sqlite3_step(q)) != SQLITE_ROW) {
        sqlite3_finalize(q);
        s = kt_crawl_state_sqlerr(st, "not a khotin crawl state", err);
        goto fail;
    }
    app_id = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (app_id != 0 && app_id != APP_ID) {
        s = kt_err_set(err, KT_ECORRUPT, "%s: not a khotin crawl state (application_id %d)", path,
                       app_id);
        goto fail;
    }
    if (!read_only) {
        if (exec(st, "PRAGMA journal_mode=WAL") != SQLITE_OK ||
            exec(st, "PRAGMA synchronous=NORMAL") != SQLITE_OK) {
            s = kt_crawl_state_sqlerr(st, "set WAL mode", err);
            goto fail;
        }
        if (app_id == 0) {
            /* a new file, or one that is not ours: only an empty database is adopted */
            if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) !=
                    SQLITE_OK ||
                sqlite3_step(q) != SQLITE_ROW) {
                sqlite3_finalize(q);
                s = kt_crawl_state_sqlerr(st, "read schema", err);
                goto fail;
            }
            int n = sqlite3_column_int(q, 0);
            sqlite3_finalize(q);
            if (n != 0) {
                s = kt_err_set(err, KT_ECORRUPT,
                               "%s: not a khotin crawl state (foreign tables present)", path);
                goto fail;
            }
        }
        char setup[128];
        if (exec(st, "BEGIN IMMEDIATE") != SQLITE_OK || exec(st, schema_sql) != SQLITE_OK) {
            s = kt_crawl_state_sqlerr(st, "create schema", err);
            exec(st, "ROLLBACK");
            goto fail;
        }
        snprintf(setup, sizeof setup, "PRAGMA application_id=%d; PRAGMA user_version=%d;", APP_ID,
                 SCHEMA_VERSION);
        if (exec(st, setup) != SQLITE_OK || exec(st, "COMMIT") != SQLITE_OK) {
            s = kt_crawl_state_sqlerr(st, "create schema", err);
            exec(st, "ROLLBACK");
            goto fail;
        }
    } else if (app_id != APP_ID) {
        s = kt_err_set(err, KT_ECORRUPT, "%s: not a khotin crawl state", path);
        goto fail;
    }
    *out = st;
    return KT_OK;
fail:
    kt_crawl_state_close(st);
    return s;
}

void kt_crawl_state_close(struct kt_crawl_state *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    if (st->db) {
        if (st->in_txn)
            exec(st, "ROLLBACK");
        sqlite3_close_v2(st->db);
    }
    free(st->path);
    free(st);
}

kt_status kt_crawl_begin(struct kt_crawl_state *st, struct kt_err *err)
{
    if (st->in_txn)
        return kt_err_set(err, KT_EINVAL, "%s: transaction already open", st->path);
    if (exec(st, "BEGIN IMMEDIATE") != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "begin", err);
    st->in_txn = true;
    return KT_OK;
}

kt_status kt_crawl_commit(struct kt_crawl_state *st, struct kt_err *err)
{
    if (!st->in_txn)
        return kt_err_set(err, KT_EINVAL, "%s: no transaction open", st->path);
    if (exec(st, "COMMIT") != SQLITE_OK) {
        kt_status s = kt_crawl_state_sqlerr(st, "commit", err);
        if (sqlite3_get_autocommit(st->db))
            st->in_txn = false;
        return s;
    }
    st->in_txn = false;
    return KT_OK;
}

kt_status kt_crawl_rollback(struct kt_crawl_state *st, struct kt_err *err)
{
    if (!st->in_txn)
        return kt_err_set(err, KT_EINVAL, "%s: no transaction open", st->path);
    st->in_txn = false;
    if (exec(st, "ROLLBACK") != SQLITE_OK && !sqlite3_get_autocommit(st->db))
        return kt_crawl_state_sqlerr(st, "rollback", err);
    return KT_OK;
}

/* Internal atomic groups work inside or outside a caller's transaction. */
static kt_status savepoint(struct kt_crawl_state *st, struct kt_err *err)
{
    if (exec(st, "SAVEPOINT kt_op") != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "savepoint", err);
    return KT_OK;
}

static kt_status release(struct kt_crawl_state *st, kt_status s, struct kt_err *err)
{
    if (s == KT_OK) {
        if (exec(st, "RELEASE kt_op") != SQLITE_OK) {
            s = kt_crawl_state_sqlerr(st, "commit", err);
            exec(st, "ROLLBACK TO kt_op");
            exec(st, "RELEASE kt_op");
        }
    } else {
        exec(st, "ROLLBACK TO kt_op");
        exec(st, "RELEASE kt_op");
    }
    return s;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Steps a statement that returns no rows. */
static kt_status step_done(struct kt_crawl_state *st, sqlite3_stmt *s, const char *what,
                           struct kt_err *err)
{
    int rc = sqlite3_step(s);
    kt_status r = rc == SQLITE_DONE ? KT_OK : kt_crawl_state_sqlerr(st, what, err);
    sqlite3_reset(s);
    return r;
}

kt_status kt_crawl_add_url(struct kt_crawl_state *st, const struct kt_url_new *u, bool *added,
                           struct kt_err *err)
{
    if (!u || !u->url || !*u->url || !u->host)
        return kt_err_set(err, KT_EINVAL, "%s: add URL: url and host are required", st->path);
    if ((unsigned)u->kind >= KT_URL_KIND_COUNT)
        return kt_err_set(err, KT_EINVAL, "%s: %s: bad URL kind %d", st->path, u->url, u->kind);
    sqlite3_stmt *s = stmt(st, S_ADD, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, u->url);
    bind_text(s, 2, u->host);
    sqlite3_bind_int(s, 3, (int)u->kind);
    sqlite3_bind_int(s, 4, u->depth);
    bind_text(s, 5, u->parent);
    bind_text(s, 6, u->sitemap_lastmod);
    sqlite3_bind_int64(s, 7, u->not_before);
    sqlite3_bind_int64(s, 8, now_s());
    kt_status r = step_done(st, s, "add URL", err);
    if (r == KT_OK && added)
        *added = sqlite3_changes(st->db) > 0;
    return r;
}

static char *col_str(sqlite3_stmt *s, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    char *c = strdup((const char *)t);
    if (!c)
        *oom = true;
    return c;
}

void kt_url_row_free(struct kt_url_row *row)
{
    if (!row)
        return;
    char **strs[] = {&row->url,
                     &row->host,
                     &row->error_kind,
                     &row->error_msg,
                     &row->etag,
                     &row->last_modified,
                     &row->payload_digest,
                     &row->warc_file,
                     &row->warc_record_id,
                     &row->warc_date,
                     &row->content_type,
                     &row->parent,
                     &row->sitemap_lastmod};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    memset(row, 0, sizeof *row);
    row->warc_offset = -1;
}

/* Copies the current result row (ROW_COLS order) into row. */
static kt_status read_row(struct kt_crawl_state *st, sqlite3_stmt *s, struct kt_url_row *row,
                          struct kt_err *err)
{
    kt_url_row_free(row);
    bool oom = false;
    row->id = sqlite3_column_int64(s, 0);
    row->url = col_str(s, 1, &oom);
    row->host = col_str(s, 2, &oom);
    row->kind = (enum kt_url_kind)sqlite3_column_int(s, 3);
    row->state = (enum kt_url_state)sqlite3_column_int(s, 4);
    row->depth = sqlite3_column_int(s, 5);
    row->attempts = sqlite3_column_int(s, 6);
    row->next_attempt_at = sqlite3_column_int64(s, 7);
    row->http_status = sqlite3_column_int(s, 8);
    row->error_kind = col_str(s, 9, &oom);
    row->error_msg = col_str(s, 10, &oom);
    row->etag = col_str(s, 11, &oom);
    row->last_modified = col_str(s, 12, &oom);
    row->payload_digest = col_str(s, 13, &oom);
    row->warc_file = col_str(s, 14, &oom);
    row->warc_offset = sqlite3_column_int64(s, 15);
    row->warc_record_id = col_str(s, 16, &oom);
    row->warc_date = col_str(s, 17, &oom);
    row->content_type = col_str(s, 18, &oom);
    row->parent = col_str(s, 19, &oom);
    row->sitemap_lastmod = col_str(s, 20, &oom);
    row->fetched_at = sqlite3_column_int64(s, 21);
    if (oom) {
        kt_url_row_free(row);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", st->path);
    }
    return KT_OK;
}

kt_status kt_crawl_claim(struct kt_crawl_state *st, const struct kt_claim_opts *o,
                         struct kt_url_row *rows, size_t *n, struct kt_err *err)
{
    *n = 0;
    if (!o || o->max == 0)
        return KT_OK;
    kt_status r = savepoint(st, err);
    if (r != KT_OK)
        return r;
    sqlite3_stmt *s = stmt(st, S_RETRY_DUE, err);
    if (!s) {
        r = err ? err->code : KT_EIO;
        goto out;
    }
    sqlite3_bind_int64(s, 1, o->now);
    if ((r = step_done(st, s, "requeue due retries", err)) != KT_OK)
        goto out;

    /* pick ids first (a bounded scan when capping per host), then update them */
    size_t scan = o->max;
    if (o->max_per_host && !o->host)
        scan = o->max * 100 > 1000 ? o->max * 100 : 1000;
    int64_t *ids = malloc(o->max * sizeof *ids);
    char **hosts = o->max_per_host && !o->host ? calloc(o->max, sizeof *hosts) : NULL;
    size_t *host_n = hosts ? calloc(o->max, sizeof *host_n) : NULL;
    size_t n_hosts = 0, n_ids = 0;
    if (!ids || (o->max_per_host && !o->host && (!hosts || !host_n))) {
        free(ids);
        free(hosts);
        free(host_n);
        r = kt_err_set(err, KT_ENOMEM, "%s: out of memory", st->path);
        goto out;
    }
    s = stmt(st, o->host ? S_CLAIM_HOST : S_CLAIM_ANY, err);
    if (!s) {
        r = err ? err->code : KT_EIO;
    } else {
        sqlite3_bind_int64(s, 1, o->now);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)scan);
        if (o->host)
            bind_text(s, 3, o->host);
        int rc;
        while (n_ids < o->max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(s, 0);
            if (hosts) {
                const char *h = (const char *)sqlite3_column_text(s, 1);
                size_t k = 0;
                while (k < n_hosts && strcmp(hosts[k], h ? h : "") != 0)
                    k++;
                if (k == n_hosts) {
                    if (!(hosts[k] = strdup(h ? h : ""))) {
                        r = kt_err_set(err, KT_ENOMEM, "%s: out of memory", st->path);
                        break;
                    }
                    n_hosts++;
                }
                if (host_n[k] >= o->max_per_host)
                    continue;
                host_n[k]++;
            }
            ids[n_ids++] = id;
        }
        if (r == KT_OK && n_ids < o->max && rc != SQLITE_DONE)
            r = kt_crawl_state_sqlerr(st, "claim", err);
        sqlite3_reset(s);
    }
    for (size_t k = 0; k < n_hosts; k++)
        free(hosts[k]);
    free(hosts);
    free(host_n);
    for (size_t i = 0; i < n_ids && r == KT_OK; i++) {
        s = stmt(st, S_SET_FETCHING, err);
        if (!s) {
            r = err ? err->code : KT_EIO;
            break;
        }
        sqlite3_bind_int64(s, 1, ids[i]);
        if ((r = step_done(st, s, "claim", err)) != KT_OK)
            break;
        s = stmt(st, S_GET_BY_ID, err);
        if (!s) {
            r = err ? err->code : KT_EIO;
            break;
        }
        sqlite3_bind_int64(s, 1, ids[i]);
        if (sqlite3_step(s) != SQLITE_ROW)
            r = kt_crawl_state_sqlerr(st, "claim", err);
        else
            r = read_row(st, s, &rows[i], err);
        sqlite3_reset(s);
    }
    free(ids);
    if (r == KT_OK)
        *n = n_ids;
out:
    r = release(st, r, err);
    if (r != KT_OK)
        *n = 0;
    return r;
}

static kt_status min_of(struct kt_crawl_state *st, enum stmt_id id, int64_t *v, bool *have,
                        struct kt_err *err)
{
    *have = false;
    sqlite3_stmt *s = stmt(st, id, err);
    if (!s)
        return err ? err->code : KT_EIO;
    int rc = sqlite3_step(s);
    kt_status r = KT_OK;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
            *v = sqlite3_column_int64(s, 0);
            *have = true;
        }
    } else {
        r = kt_crawl_state_sqlerr(st, "next due", err);
    }
    sqlite3_reset(s);
    return r;
}

kt_status kt_crawl_next_due(struct kt_crawl_state *st, int64_t *when, bool *have,
                            struct kt_err *err)
{
    int64_t a = 0, b = 0;
    bool ha, hb;
    kt_status r = min_of(st, S_NEXT_QUEUED, &a, &ha, err);
    if (r == KT_OK)
        r = min_of(st, S_NEXT_RETRY, &b, &hb, err);
    if (r != KT_OK)
        return r;
    *have = ha || hb;
    if (ha && hb)
        *when = a < b ? a : b;
    else if (ha)
        *when = a;
    else if (hb)
        *when = b;
    return KT_OK;
}

static kt_status changed_one(struct kt_crawl_state *st, const char *url, struct kt_err *err)
{
    if (sqlite3_changes(st->db) == 0)
        return kt_err_set(err, KT_ENOTFOUND, "%s: unknown URL %s", st->path, url);
    return KT_OK;
}

kt_status kt_crawl_mark_done(struct kt_crawl_state *st, const char *url,
                             const struct kt_fetch_outcome *o, struct kt_err *err)
{
    if (!url || !o)
        return kt_err_set(err, KT_EINVAL, "%s: mark done: no URL", st->path);
    sqlite3_stmt *s = stmt(st, S_DONE, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bool revisit = o->warc_is_revisit || o->http_status == 304;
    bind_text(s, 1, url);
    sqlite3_bind_int(s, 2, o->http_status);
    sqlite3_bind_int64(s, 3, o->fetched_at ? o->fetched_at : now_s());
    bind_text(s, 4, o->etag);
    bind_text(s, 5, o->last_modified);
    bind_text(s, 6, o->content_type);
    bind_text(s, 7, o->payload_digest);
    bind_text(s, 8, o->warc_file);
    sqlite3_bind_int64(s, 9, o->warc_file ? o->warc_offset : -1);
    bind_text(s, 10, o->warc_record_id);
    bind_text(s, 11, o->warc_date);
    sqlite3_bind_int(s, 12, revisit ? 1 : 0);
    kt_status r = step_done(st, s, "mark done", err);
    return r == KT_OK ? changed_one(st, url, err) : r;
}

kt_status kt_crawl_mark_failed(struct kt_crawl_state *st, const char *url, int http_status,
                               const char *error_kind, const char *error_msg, int64_t retry_at,
                               struct kt_err *err)
{
    sqlite3_stmt *s = stmt(st, S_FAILED, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, url);
    sqlite3_bind_int(s, 2, http_status);
    bind_text(s, 3, error_kind);
    bind_text(s, 4, error_msg);
    sqlite3_bind_int64(s, 5, retry_at > 0 ? retry_at : 0);
    kt_status r = step_done(st, s, "mark failed", err);
    return r == KT_OK ? changed_one(st, url, err) : r;
}

static kt_status set_state(struct kt_crawl_state *st, const char *url, enum kt_url_state state,
                           const char *kind, const char *msg, struct kt_err *err)
{
    sqlite3_stmt *s = stmt(st, S_SET_STATE, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, url);
    sqlite3_bind_int(s, 2, (int)state);
    bind_text(s, 3, kind);
    bind_text(s, 4, msg);
    kt_status r = step_done(st, s, "mark", err);
    return r == KT_OK ? changed_one(st, url, err) : r;
}

kt_status kt_crawl_mark_robots_blocked(struct kt_crawl_state *st, const char *url,
                                       struct kt_err *err)
{
    return set_state(st, url, KT_URL_ROBOTS_BLOCKED, "robots", "disallowed by robots.txt", err);
}

kt_status kt_crawl_mark_skipped(struct kt_crawl_state *st, const char *url, const char *reason,
                                struct kt_err *err)
{
    return set_state(st, url, KT_URL_SKIPPED, "skipped", reason, err);
}

kt_status kt_crawl_requeue(struct kt_crawl_state *st, const char *url, int64_t when,
                           struct kt_err *err)
{
    sqlite3_stmt *s = stmt(st, S_REQUEUE, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, url);
    sqlite3_bind_int64(s, 2, when);
    kt_status r = step_done(st, s, "requeue", err);
    return r == KT_OK ? changed_one(st, url, err) : r;
}

kt_status kt_crawl_requeue_kinds(struct kt_crawl_state *st, unsigned kind_mask, const char *host,
                                 bool include_failed, int64_t when, size_t *n, struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE url SET state = 0, next_attempt_at = ?1 WHERE "
                           "(state = 2 OR (?2 AND state = 3 AND next_attempt_at = 0)) AND "
                           "((1 << kind) & ?3) != 0 AND (?4 IS NULL OR host = ?4)",
                           -1, &s, NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "requeue kinds", err);
    sqlite3_bind_int64(s, 1, when);
    sqlite3_bind_int(s, 2, include_failed ? 1 : 0);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)kind_mask);
    bind_text(s, 4, host);
    kt_status r = step_done(st, s, "requeue kinds", err);
    sqlite3_finalize(s);
    if (r == KT_OK && n)
        *n = (size_t)sqlite3_changes(st->db);
    return r;
}

kt_status kt_crawl_reset_fetching(struct kt_crawl_state *st, size_t *n, struct kt_err *err)
{
    if (exec(st, "UPDATE url SET state = 0 WHERE state = 1") != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "reset FETCHING rows", err);
    if (n)
        *n = (size_t)sqlite3_changes(st->db);
    return KT_OK;
}

static kt_status get_one(struct kt_crawl_state *st, sqlite3_stmt *s, struct kt_url_row *row,
                         bool *found, struct kt_err *err)
{
    *found = false;
    int rc = sqlite3_step(s);
    kt_status r = KT_OK;
    if (rc == SQLITE_ROW) {
        r = read_row(st, s, row, err);
        *found = r == KT_OK;
    } else if (rc != SQLITE_DONE) {
        r = kt_crawl_state_sqlerr(st, "lookup", err);
    }
    sqlite3_reset(s);
    return r;
}

kt_status kt_crawl_get(struct kt_crawl_state *st, const char *url, struct kt_url_row *row,
                       bool *found, struct kt_err *err)
{
    sqlite3_stmt *s = stmt(st, S_GET, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, url);
    return get_one(st, s, row, found, err);
}

kt_status kt_crawl_find_digest(struct kt_crawl_state *st, const char *payload_digest,
                               const char *exclude_url, struct kt_url_row *row, bool *found,
                               struct kt_err *err)
{
    sqlite3_stmt *s = stmt(st, S_FIND_DIGEST, err);
    if (!s)
        return err ? err->code : KT_EIO;
    bind_text(s, 1, payload_digest);
    bind_text(s, 2, exclude_url);
    return get_one(st, s, row, found, err);
}

kt_status kt_crawl_counts(struct kt_crawl_state *st, const char *host,
                          int64_t counts[KT_URL_STATE_COUNT], struct kt_err *err)
{
    for (int i = 0; i < KT_URL_STATE_COUNT; i++)
        counts[i] = 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT state, count(*) FROM url WHERE ?1 IS NULL OR host = ?1 "
                           "GROUP BY state",
                           -1, &s, NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "counts", err);
    bind_text(s, 1, host);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int state = sqlite3_column_int(s, 0);
        if (state >= 0 && state < KT_URL_STATE_COUNT)
            counts[state] = sqlite3_column_int64(s, 1);
    }
    kt_status r = rc == SQLITE_DONE ? KT_OK : kt_crawl_state_sqlerr(st, "counts", err);
    sqlite3_finalize(s);
    return r;
}

kt_status kt_crawl_iter(struct kt_crawl_state *st, int state, int kind, kt_url_row_cb cb, void *ud,
                        struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " ROW_COLS " FROM url WHERE (?1 < 0 OR state = ?1) AND "
                           "(?2 < 0 OR kind = ?2) ORDER BY id",
                           -1, &s, NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "iterate", err);
    sqlite3_bind_int(s, 1, state);
    sqlite3_bind_int(s, 2, kind);
    struct kt_url_row row = {0};
    kt_status r = KT_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((r = read_row(st, s, &row, err)) != KT_OK)
            break;
        if (cb(ud, &row))
            break;
    }
    if (r == KT_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        r = kt_crawl_state_sqlerr(st, "iterate", err);
    kt_url_row_free(&row);
    sqlite3_finalize(s);
    return r;
}

kt_status kt_crawl_run_begin(struct kt_crawl_state *st, const char *description, int64_t *run_id,
                             struct kt_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "INSERT INTO run(started, description) VALUES(?1, ?2)", -1, &s,
                           NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "run begin", err);
    sqlite3_bind_int64(s, 1, now_s());
    bind_text(s, 2, description);
    kt_status r = step_done(st, s, "run begin", err);
    sqlite3_finalize(s);
    if (r == KT_OK && run_id)
        *run_id = sqlite3_last_insert_rowid(st->db);
    return r;
}

kt_status kt_crawl_run_finish(struct kt_crawl_state *st, int64_t run_id,
                              const struct kt_run_counters *c, struct kt_err *err)
{
    static const struct kt_run_counters zero = {0};
    if (!c)
        c = &zero;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE run SET finished = ?2, fetched = ?3, new_urls = ?4, "
                           "new_articles = ?5, revisits = ?6, robots_blocked = ?7, errors = ?8, "
                           "bytes = ?9, warc_bytes = ?10, errors_json = ?11, status = ?12 "
                           "WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return kt_crawl_state_sqlerr(st, "run finish", err);
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, now_s());
    sqlite3_bind_int64(s, 3, c->fetched);
    sqlite3_bind_int64(s, 4, c->new_urls);
    sqlite3_bind_int64(s, 5, c->new_articles);
    sqlite3_bind_int64(s, 6, c->revisits);
    sqlite3_bind_int64(s, 7, c->robots_blocked);
    sqlite3_bind_int64(s, 8, c->errors);
    sqlite3_bind_int64(s, 9, c->bytes);
    sqlite3_bind_int64(s, 10, c->warc_bytes);
    bind_text(s, 11, c->errors_json);
    bind_text(s, 12, c->status ? c->status : "ok");
    kt_status r = step_done(st, s, "run finish", err);
    sqlite3_finalize(s);
    if (r == KT_OK && sqlite3_changes(st->db) == 0)
        r = kt_err_set(err, KT_ENOTFOUND, "%s: no run %lld", st->path, (long long)run_id);
    return r;
}
