/* url.h - URL normalization, relative resolution, host/scope checks, URL patterns and the
 * pagination/calendar trap classification the crawl loop uses to bound its frontier. */
#ifndef KHOTIN_CRAWLER_URL_H
#define KHOTIN_CRAWLER_URL_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* URLs longer than this (bytes) are rejected with KT_EPARSE. */
#define KT_URL_MAX 8192

/* Extra per-call normalization options. A NULL opts pointer means "defaults".
 * strip_params: query parameter names (exact, case-insensitive) removed in addition to the
 * built-in tracking table (see kt_url_is_tracking_param), e.g. a site's "print", "view". */
struct kt_url_opts {
    const char *const *strip_params;
    size_t n_strip_params;
};

/* Normalizes an absolute http/https URL (parsed with libcurl's CURLU API):
 *  - scheme and host lowercased, default port (80/443) dropped, fragment dropped;
 *  - empty path -> "/", dot segments removed;
 *  - percent-encoding normalized: hex digits uppercased, unreserved characters
 *    (A-Z a-z 0-9 - . _ ~) decoded, bytes >= 0x80, spaces and controls encoded;
 *  - tracking parameters removed (utm_*, fbclid, gclid, ... one table in url.c) plus
 *    opts->strip_params; the other parameters keep their order; an empty query is dropped;
 *  - IDN hosts are left as given (lowercased ASCII part; UTF-8 labels kept).
 * On success *out is a malloc'd string the caller frees with free().
 * Errors: KT_EPARSE (not a URL, relative, not http/https, no host, too long), KT_ENOMEM.
 * The message names the URL (truncated). */
kt_status kt_url_normalize(const char *url, char **out, struct kt_err *err);
kt_status kt_url_normalize_ex(const char *url, const struct kt_url_opts *opts, char **out,
                              struct kt_err *err);

/* Resolves ref (absolute, scheme-relative "//h/p", absolute-path or relative) against the
 * absolute base URL per RFC 3986 (libcurl does the resolution) and normalizes the result.
 * Leading/trailing whitespace in ref is ignored; embedded tabs/newlines are removed (as
 * browsers do). Refs with a non-http(s) scheme (javascript:, mailto:, tel:, data:, ftp:)
 * and fragment-only refs ("#x") give KT_EPARSE. *out as in kt_url_normalize. */
kt_status kt_url_resolve(const char *base, const char *ref, char **out, struct kt_err *err);
kt_status kt_url_resolve_ex(const char *base, const char *ref, const struct kt_url_opts *opts,
                            char **out, struct kt_err *err);

/* True when the query parameter name (len bytes, not NUL-terminated necessarily) is a
 * tracking parameter removed by normalization (utm_*, fbclid, gclid, ...). */
bool kt_url_is_tracking_param(const char *name, size_t len);

/* True when url is a print/printable variant of a page: a query parameter print=..,
 * printable=.., view=print, output=print, format=print, layout=print, mode=print, in=print,
 * or a last path segment "print" / "print.html" / "in-bai". The crawl loop should not
 * enqueue such URLs (the canonical page is linked elsewhere). False for unparsable URLs. */
bool kt_url_is_print_variant(const char *url);

/* The lowercased host of an absolute URL (no port), malloc'd into *host.
 * Errors: KT_EPARSE, KT_ENOMEM. */
kt_status kt_url_host(const char *url, char **host, struct kt_err *err);

/* The origin "scheme://host[:port]" (default port omitted), malloc'd; the key for
 * per-host politeness and for robots.txt. Errors: KT_EPARSE, KT_ENOMEM. */
kt_status kt_url_origin(const char *url, char **origin, struct kt_err *err);

/* The robots.txt URL of url's origin ("<origin>/robots.txt"), malloc'd. */
kt_status kt_url_robots_url(const char *url, char **robots_url, struct kt_err *err);

/* The path plus "?query" if any (what robots.txt rules match), malloc'd, never empty
 * ("/" at least). Errors: KT_EPARSE, KT_ENOMEM. */
kt_status kt_url_path_query(const char *url, char **path_query, struct kt_err *err);

/* True when two hosts are the same site: equal ignoring case, or equal after dropping one
 * leading "www." from either. */
bool kt_url_same_host(const char *a, const char *b);

/* True when url is http(s), its host is the same site as host (kt_url_same_host; the port is
 * not compared) and, when
 * path_prefix is non-NULL and not "" or "/", its path starts with path_prefix. */
bool kt_url_in_scope(const char *url, const char *host, const char *path_prefix);

/* ------------------------------- URL patterns -------------------------------
 * Pattern syntax (config keys article_pattern, listing_pattern, skip_pattern): a POSIX
 * extended regular expression (regcomp REG_EXTENDED|REG_NOSUB|REG_ICASE) searched, not
 * anchored unless it uses ^ / $, in the URL's path-and-query ("/a/b.html?x=1"). The host is
 * deliberately not part of the subject, so one pattern works for the real site and for a
 * replica on another host. Example: "-[0-9]+\.html$" or "^/cpv/Modules/News/NewsDetail\.aspx". */
struct kt_url_pattern;

/* Compiles src into *out (free with kt_url_pattern_free). Errors: KT_EINVAL with regerror's
 * text for an invalid expression, KT_ENOMEM. */
kt_status kt_url_pattern_compile(const char *src, struct kt_url_pattern **out, struct kt_err *err);
/* True when the pattern matches url's path-and-query (url may also be just a path). */
bool kt_url_pattern_match(const struct kt_url_pattern *p, const char *url);
/* The source text given to kt_url_pattern_compile (owned by p). */
const char *kt_url_pattern_source(const struct kt_url_pattern *p);
void kt_url_pattern_free(struct kt_url_pattern *p);

/* ------------------------------- Trap bounding ------------------------------- */

enum kt_url_trap_kind {
    KT_URL_PLAIN = 0,      /* neither pagination nor a calendar page */
    KT_URL_PAGINATION = 1, /* ?page=N, ?trang=N, ?pageindex=N, /page/N/, /trang-N.html ... */
    KT_URL_CALENDAR = 2,   /* ?date=YYYY-MM-DD, ?ngay=DD/MM/YYYY, ?year=&month=, /YYYY/MM/DD/ */
};

/* The classification of one URL. */
struct kt_url_trap {
    enum kt_url_trap_kind kind;
    long page;            /* KT_URL_PAGINATION: the page number (>= 0) */
    int year, month, day; /* KT_URL_CALENDAR: the date; month/day 0 when absent */
    /* The listing chain: the normalized URL with the page number or date replaced by "*",
     * so all pages of one listing (or all days of one calendar) share the key. malloc'd,
     * freed by kt_url_trap_free. For KT_URL_PLAIN it is the normalized URL. */
    char *chain_key;
};

/* Classifies url (absolute). Errors: KT_EPARSE, KT_ENOMEM. On success free with
 * kt_url_trap_free. Generic rules only; no site names. */
kt_status kt_url_classify(const char *url, struct kt_url_trap *out, struct kt_err *err);
void kt_url_trap_free(struct kt_url_trap *t);

/* Limits for kt_url_trap_allowed. */
struct kt_trap_limits {
    long max_pagination;      /* highest page number followed in a listing chain (default 50) */
    int calendar_window_days; /* calendar pages allowed only within this many days of now
                                 (default 3; 0 = refuse every calendar page) */
};
#define KT_TRAP_LIMITS_DEFAULT                                                                     \
    {                                                                                              \
        50, 3                                                                                      \
    }

/* True when a classified URL may be enqueued: plain URLs always; pagination when
 * page <= max_pagination; calendar pages when their date is within calendar_window_days of
 * now_unix (seconds, UTC; a month-only date counts as its last day). */
bool kt_url_trap_allowed(const struct kt_url_trap *t, const struct kt_trap_limits *limits,
                         int64_t now_unix);

/* The "shape" of a URL: host + path + sorted query parameter names, with every run of
 * digits replaced by "0" and query values dropped, e.g.
 * "http://h/tin-tuc/abc-0.html?co_id&page". The loop caps URLs enqueued per shape.
 * *out malloc'd. Errors: KT_EPARSE, KT_ENOMEM. */
kt_status kt_url_shape(const char *url, char **out, struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
