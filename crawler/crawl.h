/* crawl.h - one crawl run over an archive: robots.txt first per host, discovery from sitemaps,
 * feeds, seeds and listing links, polite scheduling, retries, WARC recording, article
 * extraction into the article store; the library call behind `khotin crawl` and `khotin run`.
 *
 * How a run goes (details in crawl.c):
 *   - seeds, configured sitemaps and feeds are added to the frontier (the crawl state in the
 *     archive); listings, feeds, sitemaps and seeds done in earlier runs are queued again and
 *     fetched with conditional GET (If-None-Match / If-Modified-Since); articles already
 *     archived are never fetched again;
 *   - per host, robots.txt comes first (cached in the state for 24 h: its response record is
 *     re-read from the WARC); 4xx = allow all, 5xx / network error = nothing is fetched from
 *     that host until a retry of robots.txt succeeds; disallowed URLs become ROBOTS_BLOCKED;
 *   - at most one request in flight per host when a delay is set, the next one starting
 *     max(delay, robots Crawl-delay) after the previous one; with delay 0 up to the configured
 *     per-host connections;
 *   - redirects are recorded hop by hop (each 3xx response is archived, its target queued);
 *     loops and chains longer than max_redirects end as errors;
 *   - 429/503 honour Retry-After (seconds or HTTP date) and hold the whole host back; other 5xx
 *     and network errors are retried with exponential backoff up to `retries` times; 4xx are
 *     final; a host failing many times in a row is paused for the rest of the run;
 *   - every exchange is written to the WARC (request + response, or a revisit record for a 304
 *     or an identical payload) and fsynced before the state that points at it is committed;
 *   - HTML pages give links (kt_links_extract, bounded by trap and URL-shape limits); article
 *     pages (site patterns, else the extractor's verdict) give a struct kt_article that is
 *     stored with its WARC location and duplicate flag (kt_dedup).
 * The library never prints: progress and log lines go to the callbacks. */
#ifndef KHOTIN_CRAWLER_CRAWL_H
#define KHOTIN_CRAWLER_CRAWL_H

#include "common/kt_common.h"
#include "crawler/site_config.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kt_archive;

/* Options of one run. Zero/NULL fields mean "from the config" or the default shown. */
struct kt_crawl_opts {
    const struct kt_site_config *config; /* required: sites and [crawl] settings (borrowed) */
    const char *const *sites;            /* crawl only these site names; n_sites 0 = all */
    size_t n_sites;
    long max_pages;             /* pages fetched in this run over all sites; 0 = no cap */
    int delay_ms;               /* -1 or 0 with delay_set false: from the config */
    bool delay_set;             /* delay_ms overrides every site's delay (may be 0) */
    const char *user_agent;     /* NULL = the config's */
    const char *const *resolve; /* "HOST:PORT:ADDR" pins (curl --resolve) */
    size_t n_resolve;
    volatile sig_atomic_t *stop; /* the run stops (within ~1 s) once *stop != 0; may be NULL */
    int progress_ms;             /* progress callback period, default 1000 */
    /* Tuning, mostly for tests: */
    int retry_base_ms;     /* first 5xx/network backoff, doubled per attempt (default 2000) */
    int max_retry_after_s; /* Retry-After values above this are capped (default 300) */
    int max_wait_s;        /* the run waits at most this long for retries due later
                              (default 120); later ones are left queued for the next run */
    int host_fail_limit;   /* consecutive failures that pause a host (default 20) */
    int robots_retry_ms;   /* wait before retrying an unreachable robots.txt (default 10000) */
    int robots_attempts;   /* robots.txt attempts before the host is paused (default 3) */
};

/* The kinds of errors counted in the summary. */
enum kt_crawl_error_kind {
    KT_CRAWL_ERR_NETWORK = 0,   /* connection, DNS, timeout */
    KT_CRAWL_ERR_HTTP_4XX,      /* final 4xx (404, 410...) */
    KT_CRAWL_ERR_HTTP_5XX,      /* 5xx/429 after the last retry */
    KT_CRAWL_ERR_TOO_BIG,       /* body over max_body on the wire */
    KT_CRAWL_ERR_DECODE,        /* inflated size over the cap (gzip bomb) or corrupt encoding */
    KT_CRAWL_ERR_REDIRECT_LOOP, /* a redirect cycle */
    KT_CRAWL_ERR_REDIRECTS,     /* more than max_redirects hops, or a bad Location */
    KT_CRAWL_ERR_ROBOTS,        /* robots.txt unreachable: host paused */
    KT_CRAWL_ERR_HOST_PAUSED,   /* URLs left because their host kept failing */
    KT_CRAWL_ERR_OTHER,
    KT_CRAWL_ERR_COUNT
};
/* "network", "http_4xx", ... (static strings). */
const char *kt_crawl_error_kind_name(enum kt_crawl_error_kind k);

/* Counters of one run (also stored in the state's run row). */
struct kt_crawl_summary {
    int64_t fetched;        /* HTTP exchanges completed (robots.txt included) */
    int64_t new_urls;       /* URLs added to the frontier */
    int64_t new_articles;   /* article records stored */
    int64_t duplicates;     /* of which flagged dup_of */
    int64_t not_modified;   /* 304 revisit records */
    int64_t identical;      /* identical-payload revisit records */
    int64_t robots_blocked; /* URLs not fetched because of robots.txt */
    int64_t skipped;        /* links not followed: traps, URL-shape caps, print variants */
    int64_t retries;        /* fetches scheduled again after a 5xx/429/network error */
    int64_t errors;         /* URLs that ended in an error (sum of errors_by_kind) */
    int64_t errors_by_kind[KT_CRAWL_ERR_COUNT];
    int64_t bytes;       /* raw response bytes received */
    int64_t warc_bytes;  /* compressed bytes written to WARC files */
    int64_t queued_left; /* URLs still queued when the run ended */
    int64_t elapsed_ms;
    bool interrupted; /* stopped by *stop */
};

/* A periodic snapshot for progress displays. */
struct kt_crawl_progress {
    int64_t elapsed_ms;
    int64_t fetched;
    int64_t in_flight;
    int64_t queued;   /* claimed and waiting in memory */
    int64_t articles; /* new articles so far */
    int64_t errors;
    int64_t bytes;
    double pages_per_s; /* over the whole run */
};

enum kt_crawl_log_level {
    KT_CRAWL_LOG_INFO = 0,  /* run-level events: host paused, robots unreachable, repair */
    KT_CRAWL_LOG_ERROR = 1, /* a URL ended in an error */
    KT_CRAWL_LOG_FETCH = 2, /* one line per exchange ("200 URL 1234 B") */
};

/* Callbacks (any may be NULL). Lines have no trailing newline. */
struct kt_crawl_callbacks {
    void (*progress)(void *ud, const struct kt_crawl_progress *p);
    void (*log)(void *ud, enum kt_crawl_log_level level, const char *line);
    void *ud;
};

/* Runs one crawl on an archive opened read-write (kt_archive_open; the caller holds it and
 * closes it). summary (required) is filled in every case once the run started.
 * Returns KT_OK when the frontier was worked through (URL errors are counted in the summary,
 * not returned), KT_EINTERRUPTED when *stop ended it (all finished records written, state
 * committed, unfinished URLs queued again), or a fatal error: KT_EINVAL (no config, unknown
 * --site name, no site), KT_EIO (WARC or state write failed: nothing after the failure is
 * claimed as archived), KT_ENOMEM, KT_EOTHER (libcurl). */
kt_status kt_crawl_run(const struct kt_crawl_opts *opts, struct kt_archive *archive,
                       const struct kt_crawl_callbacks *cb, struct kt_crawl_summary *summary,
                       struct kt_err *err);

/* Parses a Retry-After value (delta seconds or an HTTP date) relative to now_unix; returns the
 * delay in seconds (>= 0), or -1 when the value is not valid. */
int64_t kt_parse_retry_after(const char *value, int64_t now_unix);

#ifdef __cplusplus
}
#endif

#endif
