/* fetch.h - the fetch engine: many HTTP transfers at once over libcurl's multi interface, each
 * captured raw (status line, header fields and body exactly as received: chunked framing and
 * Content-Encoding left as sent) so the archive stores what the server sent.
 *
 * Redirects are NOT followed (CURLOPT_FOLLOWLOCATION off): every hop is one transfer that the
 * caller archives and schedules, so chains are faithful in the WARC and loops are detected by
 * the crawl loop. Only http and https are allowed (also for redirects). The engine sends
 * "Accept-Encoding: gzip, deflate" itself and never decodes: decode with corpus/http_message.h
 * (kt_http_content, which caps the inflated size). HTTP/2 is used over TLS when offered.
 *
 * The body is capped on the wire while downloading (the write callback stops the transfer at
 * max_body bytes: status KT_ETOOBIG, raw holds the head and the first max_body body bytes).
 * Per-host politeness (delays) is the scheduler's job; the engine only caps connections per
 * host and in total. Not thread-safe: drive one fetcher from one thread. */
#ifndef KHOTIN_CRAWLER_FETCH_H
#define KHOTIN_CRAWLER_FETCH_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_FETCH_DEFAULT_MAX_BODY (10u * 1024u * 1024u)

/* Engine options; zero fields mean the default. Strings are copied. */
struct kt_fetch_opts {
    const char *user_agent;     /* User-Agent header; NULL = kt_fetch_default_user_agent() */
    long connect_timeout_ms;    /* default 10000 */
    long timeout_ms;            /* whole transfer, default 60000 */
    long low_speed_bytes;       /* abort when slower than this many bytes/s ... (default 64) */
    long low_speed_secs;        /* ... for this many seconds (default 30) */
    size_t max_body;            /* body bytes on the wire, default KT_FETCH_DEFAULT_MAX_BODY */
    unsigned max_transfers;     /* connections in total, default 32 */
    unsigned max_per_host;      /* connections per host, default 2 */
    const char *const *resolve; /* "HOST:PORT:ADDR" entries, as curl --resolve */
    size_t n_resolve;
};

/* One request. Strings are copied by kt_fetcher_add. */
struct kt_fetch_request {
    const char *url;           /* absolute http(s) URL */
    const char *if_none_match; /* conditional GET validators, NULL = none */
    const char *if_modified_since;
    void *user; /* handed back in the response */
};

/* One finished transfer, valid only during the completion callback (the engine frees it
 * afterwards; steal the buffers with kt_buf_detach if needed). */
struct kt_fetch_response {
    const char *url;
    void *user;
    /* KT_OK: a complete HTTP response (any status); KT_ETOOBIG: the body exceeded max_body and
     * the transfer was stopped (raw is the head plus max_body body bytes); KT_ENETWORK:
     * connection, DNS, TLS or timeout failure (raw may hold a partial response, see
     * head_complete); KT_EINVAL: URL refused (not http/https); KT_EINTERRUPTED: aborted. */
    kt_status status;
    char error[256];       /* one line naming the URL for a non-OK status; "" otherwise */
    int http_status;       /* 0 when no status line arrived */
    bool head_complete;    /* the whole response head was received */
    struct kt_buf raw;     /* the raw response as received */
    size_t head_len;       /* bytes of raw that are the head (status line to blank line) */
    struct kt_buf request; /* the raw request head as sent */
    char ip[64];           /* server address, "" when unknown */
    int64_t started_us;    /* wall clock when the transfer was added */
    int64_t elapsed_ms;
};

/* Called for each finished transfer. It may call kt_fetcher_add. */
typedef void (*kt_fetch_done_cb)(void *ctx, struct kt_fetch_response *resp);

struct kt_fetcher;

/* "khotin/<version> (+<contact URL>)": the default User-Agent (static string). Archivists
 * should set their own contact with --user-agent / the config's user_agent. */
const char *kt_fetch_default_user_agent(void);

/* Creates an engine (owned by the caller: kt_fetcher_free). Errors: KT_EINVAL (bad resolve
 * entry, named), KT_ENOMEM, KT_EOTHER (libcurl could not be initialised). */
kt_status kt_fetcher_new(const struct kt_fetch_opts *opts, struct kt_fetcher **out,
                         struct kt_err *err);
/* Aborts transfers in flight (without callbacks) and frees the engine. NULL is a no-op. */
void kt_fetcher_free(struct kt_fetcher *f);

/* Queues a transfer; it starts at the next kt_fetcher_run. Errors: KT_ENOMEM, KT_EOTHER. */
kt_status kt_fetcher_add(struct kt_fetcher *f, const struct kt_fetch_request *req,
                         struct kt_err *err);

/* Transfers queued or running. */
unsigned kt_fetcher_pending(const struct kt_fetcher *f);

/* Drives the transfers for at most wait_ms (returns earlier when one finished), calling done
 * for each finished transfer. Errors: KT_EOTHER (libcurl multi failure). */
kt_status kt_fetcher_run(struct kt_fetcher *f, int wait_ms, kt_fetch_done_cb done, void *ctx,
                         struct kt_err *err);

/* Stops every transfer in flight, calling done for each with KT_EINTERRUPTED. */
void kt_fetcher_abort_all(struct kt_fetcher *f, kt_fetch_done_cb done, void *ctx);

/* Blocking convenience for one URL (tests, robots.txt in tools): runs a private copy of the
 * engine until the transfer ends and moves the result into *out (free with
 * kt_fetch_response_free). The status of the transfer is returned and also in out->status. */
kt_status kt_fetch_one(const struct kt_fetch_opts *opts, const struct kt_fetch_request *req,
                       struct kt_fetch_response *out, struct kt_err *err);
void kt_fetch_response_free(struct kt_fetch_response *r);

#ifdef __cplusplus
}
#endif

#endif
