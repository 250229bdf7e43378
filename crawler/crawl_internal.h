/* crawl_internal.h - the crawl run's private state shared by crawl.c (scheduling, robots,
 * retries) and crawl_page.c (what a finished fetch does: WARC, state, discovery, extraction). */
#ifndef KHOTIN_CRAWLER_CRAWL_INTERNAL_H
#define KHOTIN_CRAWLER_CRAWL_INTERNAL_H

#include "corpus/corpus.h"
#include "corpus/archive.h"
#include "corpus/article_store.h"
#include "corpus/http_message.h"
#include "crawler/crawl.h"
#include "crawler/dedup.h"
#include "crawler/fetch.h"
#include "crawler/robots.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- string map (crawl_map.c) ---- */
struct kt_strmap_entry {
    char *key;
    char *sval;
    int64_t ival;
};
struct kt_strmap {
    struct kt_strmap_entry *e;
    size_t cap, n;
};
struct kt_strmap_entry *kt_strmap_get(const struct kt_strmap *m, const char *key);
kt_status kt_strmap_put(struct kt_strmap *m, const char *key, const char *sval, int64_t ival);
void kt_strmap_free(struct kt_strmap *m);

/* ---- the run ---- */

struct crawl_host;

/* A claimed URL waiting in a host queue or in flight. */
struct crawl_item {
    struct kt_url_row row;
    struct crawl_host *host;
    bool robots; /* the host's robots.txt fetch (not a claimed row) */
    int hops;    /* robots.txt redirects followed so far */
    bool keep;   /* re-queued in the fetcher (a robots.txt redirect): not freed yet */
};

enum robots_phase { ROBOTS_NONE = 0, ROBOTS_FETCHING, ROBOTS_READY, ROBOTS_WAIT };

struct crawl_host {
    char *key;    /* host[:port], the state's host column */
    char *origin; /* scheme://host[:port] */
    const struct kt_site *site;
    struct kt_robots *robots;
    enum robots_phase robots_phase;
    int robots_attempts;
    int64_t robots_retry_ms;   /* ROBOTS_WAIT: monotonic ms of the next attempt */
    bool robots_unconditional; /* refetch robots.txt without validators */
    int64_t delay_ms;
    int64_t next_ok_ms; /* monotonic ms before which no request starts */
    int in_flight;
    int fails_in_row;
    bool paused;
    bool drained;      /* the last claim found nothing due */
    int64_t *retry_ms; /* monotonic times at which scheduled retries fall due */
    size_t n_retry, cap_retry;
    struct crawl_item **q;
    size_t qhead, qlen, qcap;
};

struct crawl {
    const struct kt_crawl_opts *opts;
    const struct kt_site_config *cfg;
    const struct kt_site **sites; /* the sites of this run */
    size_t n_sites;
    int64_t *site_pages; /* pages fetched per cfg->sites index */
    struct kt_archive *archive;
    struct kt_crawl_state *st;
    struct kt_warc_writer *w;
    const struct kt_crawl_callbacks *cb;
    struct kt_crawl_summary *sum;
    struct kt_fetcher *fetcher;
    struct crawl_host **hosts;
    size_t n_hosts;
    struct kt_strmap shapes;     /* URL shape -> URLs added this run */
    struct kt_strmap redir_out;  /* URL -> redirect target (this run) */
    struct kt_strmap redir_hops; /* URL -> hops from the first URL of its chain */
    struct kt_dedup_index *dedup;
    const char *user_agent;
    char ua_token[64];
    int concurrency;
    int per_host;
    int retries;
    int max_redirects;
    uint64_t max_body;
    struct kt_trap_limits limits;
    long max_per_shape;
    int64_t in_flight;
    int64_t pages; /* pages fetched this run (robots.txt not counted) */
    bool in_batch;
    int batch_n;
    int64_t batch_started_ms;
    kt_status fatal; /* first fatal error (WARC/state write): the run stops */
    struct kt_err fatal_err;
    int64_t t0_ms;
};

/* crawl.c */
struct crawl_host *crawl_host_for(struct crawl *c, const char *url, const struct kt_site *site);
/* The site of this run whose scope holds url, or NULL. */
const struct kt_site *crawl_site_for(const struct crawl *c, const char *url);
void crawl_log(struct crawl *c, enum kt_crawl_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a fatal error (first one wins). Returns st. */
kt_status crawl_fatal(struct crawl *c, kt_status st, const struct kt_err *err);
/* Opens the batch transaction if needed. */
kt_status crawl_batch(struct crawl *c);
void crawl_count_error(struct crawl *c, enum kt_crawl_error_kind k);
/* Schedules a retry of item after delay_s, or fails it for good after the last attempt. */
void crawl_retry_or_fail(struct crawl *c, struct crawl_item *it, int http_status,
                         enum kt_crawl_error_kind kind, const char *msg, int64_t delay_s);
void crawl_fail(struct crawl *c, const char *url, int http_status, enum kt_crawl_error_kind kind,
                const char *msg);

/* crawl_page.c */
/* How much checking a discovered URL gets before it is added. */
enum crawl_enqueue_mode {
    ENQ_LINK = 0, /* a link in a page: skip patterns, print variants, traps, URL-shape cap */
    ENQ_LISTED,   /* listed by a sitemap or feed: as ENQ_LINK but no URL-shape cap */
    ENQ_FORCE,    /* configured, redirect target, canonical, robots Sitemap: scope only */
};
/* Adds a discovered URL (normalized for its site, then checked as mode says).
 * *added (may be NULL) says whether it was new. Errors only for fatal state failures. */
kt_status crawl_enqueue(struct crawl *c, const char *url, enum kt_url_kind kind, int depth,
                        const char *parent, const char *lastmod, enum crawl_enqueue_mode mode,
                        bool *added);
/* Handles a finished page fetch (not robots.txt). */
void crawl_page_done(struct crawl *c, struct crawl_item *it, struct kt_fetch_response *r);
/* Writes one exchange to the WARC; fills res. kind/refers as kt_warc_fetch. */
kt_status crawl_archive(struct crawl *c, const struct kt_fetch_response *r, const char *truncated,
                        enum kt_warc_exchange kind, const struct kt_url_row *refers,
                        struct kt_warc_fetch_result *res);
/* Decoded content of the response record of row (re-read from the WARC), for robots.txt
 * served from the cache or a 304. */
kt_status crawl_load_content(struct crawl *c, const struct kt_url_row *row, int *http_status,
                             struct kt_buf *content, struct kt_err *err);
/* The header value of the raw head, or NULL (msg must be parsed). */

#endif
