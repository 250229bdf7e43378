/* crawl_state.h - the crawl state in SQLite (WAL): the frontier and per-URL status, validators,
 * payload digests and WARC locations, plus one row per run. The frontier lives in the database,
 * not in RAM. The same database holds the article store (corpus/article_store.h).
 *
 * URL state machine (details at the top of crawl_state.c):
 *   QUEUED -> FETCHING (claimed) -> DONE | FAILED | ROBOTS_BLOCKED | SKIPPED
 *   FAILED with a retry time -> QUEUED again once due (done by kt_crawl_claim)
 *   FETCHING left by a killed run -> QUEUED (kt_crawl_reset_fetching, done at archive open)
 *   DONE of the given kinds -> QUEUED (kt_crawl_requeue_kinds: listings/feeds revisited per run)
 *
 * Times are seconds since the epoch (int64). Strings returned in rows are malloc'd copies
 * owned by the row (kt_url_row_free). Not thread-safe: one handle per thread. */
#ifndef KHOTIN_CORPUS_CRAWL_STATE_H
#define KHOTIN_CORPUS_CRAWL_STATE_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kt_url_kind {
    KT_URL_SEED = 0,
    KT_URL_ROBOTS,
    KT_URL_SITEMAP,
    KT_URL_FEED,
    KT_URL_LISTING,
    KT_URL_ARTICLE,
    KT_URL_OTHER,
    KT_URL_KIND_COUNT
};

enum kt_url_state {
    KT_URL_QUEUED = 0,
    KT_URL_FETCHING,
    KT_URL_DONE,
    KT_URL_FAILED,
    KT_URL_ROBOTS_BLOCKED,
    KT_URL_SKIPPED,
    KT_URL_STATE_COUNT
};

/* "seed", "robots", ... / "QUEUED", ...; "?" out of range. */
const char *kt_url_kind_name(enum kt_url_kind k);
const char *kt_url_state_name(enum kt_url_state s);
/* Parses a kind name (case-insensitive); -1 if unknown. */
int kt_url_kind_parse(const char *name);

struct kt_crawl_state;

/* Opens (creating if needed, unless read_only) the database at path: WAL mode, busy timeout
 * 5 s, schema created/checked. *out: kt_crawl_state_close.
 * Errors: KT_EIO (cannot open/create), KT_ECORRUPT (not a khotin state db / damaged),
 * KT_ENOTFOUND (read_only and missing), KT_ELOCKED (busy past the timeout), KT_ENOMEM. */
kt_status kt_crawl_state_open(const char *path, bool read_only, struct kt_crawl_state **out,
                              struct kt_err *err);
/* Closes (rolling back an open transaction). NULL is a no-op. */
void kt_crawl_state_close(struct kt_crawl_state *st);

/* Explicit transactions to batch many writes (every function also works outside one; inside
 * one nothing is durable until kt_crawl_commit). Nesting is not supported (KT_EINVAL). */
kt_status kt_crawl_begin(struct kt_crawl_state *st, struct kt_err *err);
kt_status kt_crawl_commit(struct kt_crawl_state *st, struct kt_err *err);
kt_status kt_crawl_rollback(struct kt_crawl_state *st, struct kt_err *err);

/* A URL to add. url must already be normalized (the crawler's job); host is its host[:port]. */
struct kt_url_new {
    const char *url;  /* required */
    const char *host; /* required */
    enum kt_url_kind kind;
    int depth;
    const char *parent;          /* discovered-from URL, may be NULL */
    const char *sitemap_lastmod; /* from the sitemap, may be NULL */
    int64_t not_before;          /* earliest fetch time; 0 = now */
};

/* Adds u as QUEUED if its url is unknown; *added (may be NULL) says whether it was new. An
 * existing row is left as it is. Errors: KT_EINVAL, KT_EIO, KT_ELOCKED. */
kt_status kt_crawl_add_url(struct kt_crawl_state *st, const struct kt_url_new *u, bool *added,
                           struct kt_err *err);

/* One row of the url table. */
struct kt_url_row {
    int64_t id;
    char *url;
    char *host;
    enum kt_url_kind kind;
    enum kt_url_state state;
    int depth;
    int attempts;            /* fetch attempts so far (incremented by claim) */
    int64_t next_attempt_at; /* QUEUED: due time (0 = at once); FAILED: retry time (0 = final) */
    int http_status;         /* last HTTP status, 0 if none */
    char *error_kind;        /* e.g. "network", "http", "too_big", "robots" */
    char *error_msg;
    char *etag;
    char *last_modified;
    char *payload_digest; /* "sha1:..." of the last full response */
    char *warc_file;      /* basename of the WARC file holding the response record */
    int64_t warc_offset;  /* its gzip member offset; -1 if none */
    char *warc_record_id; /* that record's WARC-Record-ID */
    char *warc_date;      /* that record's WARC-Date */
    char *content_type;
    char *parent;
    char *sitemap_lastmod;
    int64_t fetched_at; /* 0 if never */
};
void kt_url_row_free(struct kt_url_row *row);

/* Claims up to max due URLs (state QUEUED and next_attempt_at <= now; FAILED rows whose retry
 * time is due are moved to QUEUED first), ordered by next_attempt_at, depth, id. host (may be
 * NULL) restricts to one host; max_per_host (0 = no limit) caps rows per host in the batch
 * (without host, only the first max(1000, 100 * max) due rows are considered, so a batch may
 * hold fewer than max rows when one host dominates the frontier: claim per host then).
 * Claimed rows become FETCHING with attempts + 1, in one transaction. rows must hold max
 * entries (zeroed or previously used: they are freed first); *n receives the count.
 * Errors: KT_EIO, KT_ELOCKED, KT_ENOMEM. */
struct kt_claim_opts {
    int64_t now;
    size_t max;
    const char *host;
    size_t max_per_host;
};
kt_status kt_crawl_claim(struct kt_crawl_state *st, const struct kt_claim_opts *o,
                         struct kt_url_row *rows, size_t *n, struct kt_err *err);

/* Earliest next_attempt_at among QUEUED rows and FAILED rows with a retry time; *have = false
 * when there are none (the frontier is exhausted). */
kt_status kt_crawl_next_due(struct kt_crawl_state *st, int64_t *when, bool *have,
                            struct kt_err *err);

/* The result of a completed fetch (any HTTP status that is final: 2xx, 304, 4xx recorded). */
struct kt_fetch_outcome {
    int http_status;
    const char *etag; /* NULL = none */
    const char *last_modified;
    const char *content_type;
    const char *payload_digest; /* of the full response; NULL for a 304 */
    const char *warc_file;      /* where the response/revisit record is; NULL = not archived */
    int64_t warc_offset;
    const char *warc_record_id;
    const char *warc_date;
    bool warc_is_revisit; /* the record is a revisit: not a target for identical-payload
                             lookups, and for a 304 the earlier location is kept */
    int64_t fetched_at;   /* 0 = now */
};

/* Marks url DONE with o. For a 304 (or any revisit) fields given as NULL keep their previous
 * values (the validators and the location of the earlier full response survive); otherwise
 * they are replaced. Clears the error. Errors: KT_ENOTFOUND (unknown url), KT_EIO. */
kt_status kt_crawl_mark_done(struct kt_crawl_state *st, const char *url,
                             const struct kt_fetch_outcome *o, struct kt_err *err);

/* Marks url FAILED with the error; retry_at > 0 schedules a retry (it is claimed again from
 * then), 0 makes the failure final. http_status 0 if none. Errors: KT_ENOTFOUND, KT_EIO. */
kt_status kt_crawl_mark_failed(struct kt_crawl_state *st, const char *url, int http_status,
                               const char *error_kind, const char *error_msg, int64_t retry_at,
                               struct kt_err *err);

/* Marks url ROBOTS_BLOCKED / SKIPPED (reason stored as error_msg, may be NULL). */
kt_status kt_crawl_mark_robots_blocked(struct kt_crawl_state *st, const char *url,
                                       struct kt_err *err);
kt_status kt_crawl_mark_skipped(struct kt_crawl_state *st, const char *url, const char *reason,
                                struct kt_err *err);

/* Puts url back to QUEUED due at `when` (e.g. a seed or feed to refetch now), keeping its
 * validators. Errors: KT_ENOTFOUND, KT_EIO. */
kt_status kt_crawl_requeue(struct kt_crawl_state *st, const char *url, int64_t when,
                           struct kt_err *err);

/* Moves DONE (and final-FAILED when include_failed) rows whose kind bit is set in kind_mask
 * (1u << KT_URL_LISTING | ...) back to QUEUED due at `when`; host may be NULL for all hosts.
 * *n (may be NULL) receives the count. Used at the start of a run to revisit listings, feeds,
 * sitemaps, robots with conditional GET. */
kt_status kt_crawl_requeue_kinds(struct kt_crawl_state *st, unsigned kind_mask, const char *host,
                                 bool include_failed, int64_t when, size_t *n, struct kt_err *err);

/* FETCHING -> QUEUED for every row (a killed run leaves rows claimed); *n = rows reset. */
kt_status kt_crawl_reset_fetching(struct kt_crawl_state *st, size_t *n, struct kt_err *err);

/* Looks url up; *found false if unknown (row untouched). row must be zeroed or used before. */
kt_status kt_crawl_get(struct kt_crawl_state *st, const char *url, struct kt_url_row *row,
                       bool *found, struct kt_err *err);

/* The earliest DONE row whose last full (non-revisit) response had this payload digest:
 * for identical-payload revisits (WARC-Refers-To = row.warc_record_id, -Target-URI = row.url,
 * -Date = row.warc_date). exclude_url (may be NULL) is skipped. */
kt_status kt_crawl_find_digest(struct kt_crawl_state *st, const char *payload_digest,
                               const char *exclude_url, struct kt_url_row *row, bool *found,
                               struct kt_err *err);

/* Row counts by state (counts[KT_URL_STATE_COUNT]); host may be NULL for all. */
kt_status kt_crawl_counts(struct kt_crawl_state *st, const char *host,
                          int64_t counts[KT_URL_STATE_COUNT], struct kt_err *err);

/* Calls cb for each row matching (state < 0 = any, kind < 0 = any) in id order; cb returns
 * nonzero to stop. The row passed is valid only during the call. Rows are streamed (constant
 * memory); cb must not write to st. */
typedef int (*kt_url_row_cb)(void *ud, const struct kt_url_row *row);
kt_status kt_crawl_iter(struct kt_crawl_state *st, int state, int kind, kt_url_row_cb cb, void *ud,
                        struct kt_err *err);

/* ---- runs ---- */

struct kt_run_counters {
    int64_t fetched; /* HTTP exchanges completed */
    int64_t new_urls;
    int64_t new_articles;
    int64_t revisits; /* 304 + identical payload */
    int64_t robots_blocked;
    int64_t errors;
    int64_t bytes;           /* response bytes received */
    int64_t warc_bytes;      /* compressed bytes written */
    const char *errors_json; /* {"network":3,"http":2} or NULL; stored as text */
    const char *status;      /* "ok", "interrupted", "failed"... or NULL */
};

/* Inserts a run row (started = now); *run_id receives its id. */
kt_status kt_crawl_run_begin(struct kt_crawl_state *st, const char *description, int64_t *run_id,
                             struct kt_err *err);
/* Sets finished = now and the counters of run_id. */
kt_status kt_crawl_run_finish(struct kt_crawl_state *st, int64_t run_id,
                              const struct kt_run_counters *c, struct kt_err *err);

#endif
