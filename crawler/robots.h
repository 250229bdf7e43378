/* robots.h - robots.txt per RFC 9309: parsing, group selection, longest-match Allow/Disallow,
 * Crawl-delay, Sitemap lines, the fetch-status states and a storable serialization. */
#ifndef KHOTIN_CRAWLER_ROBOTS_H
#define KHOTIN_CRAWLER_ROBOTS_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only the first 500 KiB of a robots.txt body are parsed (RFC 9309 2.5); the rest is
 * ignored. */
#define KT_ROBOTS_MAX_BYTES (500u * 1024u)

/* How the rules of a host were obtained. */
enum kt_robots_state {
    KT_ROBOTS_PARSED = 0,       /* a 2xx body was parsed */
    KT_ROBOTS_ALLOW_ALL = 1,    /* "unavailable": 4xx (except 429), or 3xx left unresolved */
    KT_ROBOTS_DISALLOW_ALL = 2, /* "unreachable": 5xx, 429 or network error */
};

/* Parsed rules of one host. Opaque; immutable after construction, so it may be shared
 * read-only between threads. Free with kt_robots_free. */
struct kt_robots;

/* Parses a robots.txt body (bytes need not be NUL-terminated; at most KT_ROBOTS_MAX_BYTES
 * are read; a UTF-8 BOM, CR/LF/CRLF line ends, comments and junk lines are accepted).
 * Every group is kept, so one parse serves any user-agent token. Never fails on content:
 * the only errors are KT_ENOMEM and KT_EINVAL (NULL out). On success *out is owned by the
 * caller. */
kt_status kt_robots_parse(const char *bytes, size_t len, struct kt_robots **out,
                          struct kt_err *err);

/* Constructs the rules for a fetch outcome of /robots.txt: http_status 200-299 parses
 * body (NULL body = empty file = allow all); 400-499 except 429 -> KT_ROBOTS_ALLOW_ALL;
 * 300-399 (redirects the fetcher did not resolve within its limit) -> KT_ROBOTS_ALLOW_ALL;
 * 429, 500-599, any other value, and http_status <= 0 (network error, timeout) ->
 * KT_ROBOTS_DISALLOW_ALL. Errors: KT_ENOMEM, KT_EINVAL. */
kt_status kt_robots_from_fetch(int http_status, const char *body, size_t len,
                               struct kt_robots **out, struct kt_err *err);

/* The two fixed states (same as kt_robots_from_fetch with 404 / 503). */
kt_status kt_robots_new_allow_all(struct kt_robots **out, struct kt_err *err);
kt_status kt_robots_new_disallow_all(struct kt_robots **out, struct kt_err *err);

void kt_robots_free(struct kt_robots *r);

enum kt_robots_state kt_robots_get_state(const struct kt_robots *r);

/* True when user_agent_token may fetch path_and_query ("/a/b?x=1"; "" counts as "/").
 * Group selection: groups whose user-agent line equals the token case-insensitively (all such
 * groups merged); else the "*" groups; else everything allowed. Rule matching: the longest
 * matching pattern wins, Allow wins a tie; "*" matches any sequence, a final "$" anchors the
 * end; patterns and the path are compared after percent-encoding normalization (unreserved
 * characters decoded, hex uppercased, non-ASCII bytes encoded). "/robots.txt" is always
 * allowed. user_agent_token is a product token such as "khotin" (see kt_robots_ua_token),
 * not a whole User-Agent header. */
bool kt_robots_allowed(const struct kt_robots *r, const char *user_agent_token,
                       const char *path_and_query);

/* kt_robots_allowed for an absolute URL (its path and query). False for unparsable URLs. */
bool kt_robots_allowed_url(const struct kt_robots *r, const char *user_agent_token,
                           const char *url);

/* The Crawl-delay of the group selected for user_agent_token, in milliseconds (fractional
 * seconds accepted, capped at 1 hour), or -1 when the group has none. */
int64_t kt_robots_crawl_delay_ms(const struct kt_robots *r, const char *user_agent_token);

/* The Sitemap: URLs (absolute, as written, any group), in file order; the strings are owned
 * by r. */
size_t kt_robots_sitemap_count(const struct kt_robots *r);
const char *kt_robots_sitemap(const struct kt_robots *r, size_t i);

/* Writes the product token of a User-Agent header into out (cap bytes incl. NUL): the
 * leading run of [A-Za-z_-] characters, e.g. "khotin/0.1 (+https://...)" -> "khotin".
 * Returns out (an empty string when there is none). */
char *kt_robots_ua_token(const char *user_agent, char *out, size_t cap);

/* Serialization for the crawl state cache: kt_robots_serialize appends a self-describing
 * byte string (a header line with the state, then the parsed body bytes) to out;
 * kt_robots_deserialize rebuilds an equal object. Errors: KT_ENOMEM; KT_ECORRUPT when the
 * bytes were not produced by kt_robots_serialize. */
kt_status kt_robots_serialize(const struct kt_robots *r, struct kt_buf *out, struct kt_err *err);
kt_status kt_robots_deserialize(const char *bytes, size_t len, struct kt_robots **out,
                                struct kt_err *err);

#ifdef __cplusplus
}
#endif

#endif
