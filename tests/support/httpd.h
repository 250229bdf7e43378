/* httpd.h - a small libmicrohttpd loopback server for tests, benchmarks and the demo: a route
 * table (static bodies, status codes, redirects, delays, Retry-After, gzip, ETag/304, handlers)
 * on an ephemeral 127.0.0.1 port, with a log of every request received. */
#ifndef KHOTIN_TESTS_SUPPORT_HTTPD_H
#define KHOTIN_TESTS_SUPPORT_HTTPD_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tu_httpd;

/* What a handler sees of a request. Strings are valid during the call only. */
struct tu_httpd_request {
    const char *method;
    const char *target; /* the raw request target: path and query as sent */
    const char *host;   /* Host header without the port, "" if none */
    const char *if_none_match;
    const char *if_modified_since;
    const char *accept_encoding;
    const char *user_agent;
    unsigned hits; /* how many earlier requests matched this route (0 for the first) */
};

/* What a handler fills in. body and headers start empty and are owned by the server. */
struct tu_httpd_reply {
    int status;             /* default 200 */
    char content_type[128]; /* default "text/html; charset=utf-8" */
    struct kt_buf body;     /* the entity body as sent */
    struct kt_buf headers;  /* extra header lines "Name: value\n" */
    bool chunked;           /* send with Transfer-Encoding: chunked */
};

typedef void (*tu_httpd_handler)(const struct tu_httpd_request *req, struct tu_httpd_reply *reply,
                                 void *data);

/* One route. Pass a compound literal to tu_httpd_add(); every pointer is copied. */
struct tu_route {
    const char *host;          /* Host header (without port) to match; NULL matches any host */
    const char *target;        /* request target to match exactly; a trailing '*' makes it a
                                  prefix. Routes are tried in the order they were added. */
    int status;                /* 0 means 200 */
    const char *content_type;  /* NULL: "text/html; charset=utf-8" ("" sends none) */
    const void *body;          /* entity body (before gzip); NULL = empty */
    size_t body_len;           /* 0 with a body: strlen(body) */
    const char *location;      /* Location header (use with status 301/302/...) */
    const char *etag;          /* ETag sent; a request whose If-None-Match contains it gets 304 */
    const char *last_modified; /* Last-Modified sent; If-Modified-Since equal to it gets 304 */
    const char *headers;       /* extra header lines "Name: value\n..." */
    int delay_ms;              /* wait this long before answering */
    unsigned fail_times;       /* the first fail_times requests get fail_status instead */
    int fail_status;           /* e.g. 500, 503 or 429 */
    const char *retry_after;   /* Retry-After value sent with the failures */
    bool gzip;                 /* gzip the body, send Content-Encoding: gzip whatever the client
                                  accepts (like a misconfigured server or a bomb) */
    bool body_is_gzip;         /* body is already gzip data: send it as is with Content-Encoding */
    bool chunked;              /* Transfer-Encoding: chunked */
    tu_httpd_handler handler;  /* when set, it produces the reply (other fields ignored but
                                  host/target/delay_ms/fail_*) */
    void *handler_data;
};

/* One received request. */
struct tu_httpd_log_entry {
    int64_t t_ms; /* kt_now_ms() when the request headers arrived */
    char method[8];
    int status;   /* status answered */
    char *host;   /* Host header without port */
    char *target; /* raw request target */
    char *user_agent;
    char *if_none_match;
    char *if_modified_since;
    char *accept_encoding;
};

/* Starts a server on 127.0.0.1 with an ephemeral port (thread per connection). NULL on failure. */
struct tu_httpd *tu_httpd_start(void);
/* Stops the server (waits for connections in flight) and frees it. NULL is a no-op. */
void tu_httpd_stop(struct tu_httpd *srv);
/* The bound port. */
unsigned tu_httpd_port(const struct tu_httpd *srv);
/* "http://127.0.0.1:PORT" + path (path starting with '/'), malloc'd. */
char *tu_httpd_url(const struct tu_httpd *srv, const char *path);

/* Adds a route (safe while the server runs). Returns false on allocation failure. */
bool tu_httpd_add(struct tu_httpd *srv, const struct tu_route *route);
/* Unmatched requests get 404 with a small HTML body. */

/* A copy of the request log; free with tu_httpd_log_free(). *n receives the count. */
struct tu_httpd_log_entry *tu_httpd_log(struct tu_httpd *srv, size_t *n);
void tu_httpd_log_free(struct tu_httpd_log_entry *log, size_t n);
/* Number of requests logged so far. */
size_t tu_httpd_log_count(struct tu_httpd *srv);
/* Clears the log and every route's hit counter. */
void tu_httpd_log_reset(struct tu_httpd *srv);
/* Number of logged requests whose target equals target (and host, when host is not NULL). */
size_t tu_httpd_count(struct tu_httpd *srv, const char *host, const char *target);
/* The smallest gap in ms between two consecutive logged requests to host (NULL: any host),
 * ignoring requests for /robots.txt; -1 when fewer than two requests. */
int64_t tu_httpd_min_gap_ms(struct tu_httpd *srv, const char *host);

/* gzip-compresses data into out (appending). Returns false on failure. */
bool tu_gzip(const void *data, size_t len, struct kt_buf *out);
/* gzip of n zero bytes, streamed (never holds n bytes): for gzip-bomb tests. */
bool tu_gzip_zeros(size_t n, struct kt_buf *out);

#endif
