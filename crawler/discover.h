/* discover.h - URL discovery from sitemaps (urlset, sitemap index, gzipped), RSS 2.0 and Atom
 * feeds, parsed with libxml2 (no network, no entity expansion) with size caps. */
#ifndef KHOTIN_CRAWLER_DISCOVER_H
#define KHOTIN_CRAWLER_DISCOVER_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Default cap on the (inflated) document size: the sitemap protocol's 50 MiB. */
#define KT_DISCOVER_MAX_BYTES (50u * 1024u * 1024u)
/* Default cap on URLs reported from one document (the sitemap protocol's 50,000). */
#define KT_DISCOVER_MAX_URLS 50000u

/* What a document turned out to be. */
enum kt_discover_format {
    KT_FORMAT_UNKNOWN = 0,
    KT_FORMAT_URLSET = 1,       /* <urlset>: a sitemap of pages */
    KT_FORMAT_SITEMAPINDEX = 2, /* <sitemapindex>: a sitemap of sitemaps */
    KT_FORMAT_RSS = 3,          /* RSS 2.0 (also 0.9x, and RSS 1.0/RDF items) */
    KT_FORMAT_ATOM = 4,         /* Atom 1.0 */
};

/* What a discovered URL points to. */
enum kt_discover_kind {
    KT_DISCOVERED_PAGE = 0,    /* a page (sitemap <url>, feed item/entry) */
    KT_DISCOVERED_SITEMAP = 1, /* a nested sitemap (sitemap index <sitemap>) */
};

/* One discovered URL. All pointers are valid only during the callback. */
struct kt_discovered {
    const char *url;            /* absolute, normalized (kt_url_resolve against base_url) */
    enum kt_discover_kind kind; /* page or nested sitemap */
    bool has_date;              /* date below is set */
    int64_t date;               /* lastmod / pubDate / updated (or published), Unix seconds UTC */
    const char *title;          /* feed item title (whitespace collapsed), or NULL */
};

/* Return KT_OK to continue; any other status stops the parse and is returned as is. */
typedef kt_status (*kt_discover_cb)(void *ctx, const struct kt_discovered *item);

/* Options; NULL = defaults. Zero fields mean the default. */
struct kt_discover_opts {
    size_t max_bytes; /* cap on the document size after gunzip (default KT_DISCOVER_MAX_BYTES) */
    size_t max_urls;  /* cap on URLs reported (default KT_DISCOVER_MAX_URLS); extra ignored */
};

/* Parses a sitemap, sitemap index or feed and calls cb for each URL in document order.
 * bytes: the body (if it starts with the gzip magic 1f 8b it is inflated with zlib first,
 * stopping at max_bytes). content_type: the Content-Type header or NULL (informational; the
 * format is decided from the root element). base_url: the document's URL, used to resolve
 * relative links (may be NULL: then relative links are skipped). URLs that are not http(s)
 * or do not parse are skipped, not errors; a <loc> is whitespace-trimmed. Dates:
 * W3C/ISO 8601 (sitemaps, Atom) and RFC 822/1123 (RSS) — unparsable dates give
 * has_date=false. Feeds: RSS <link>, else <guid> unless isPermaLink="false"; Atom
 * <link rel="alternate" href> (or a link without rel). libxml2 runs with XML_PARSE_NONET and
 * without XML_PARSE_NOENT/DTDLOAD (no XXE, no entity expansion), in recovery mode so minor
 * junk (bare "&", HTML entities) does not lose the document.
 * *format_out (may be NULL) receives the format.
 * Errors: KT_ETOOBIG (inflated size beyond max_bytes; URLs are not reported), KT_EPARSE
 * (corrupt gzip, not XML, or no known root element), KT_ENOMEM, or a status from cb.
 * Messages name base_url. */
kt_status kt_discover_parse(const char *bytes, size_t len, const char *content_type,
                            const char *base_url, const struct kt_discover_opts *opts,
                            kt_discover_cb cb, void *ctx, enum kt_discover_format *format_out,
                            struct kt_err *err);

/* Inflates gzip (or zlib) data into out, appending, failing with KT_ETOOBIG once the output
 * would exceed max_out bytes, KT_EPARSE on corrupt data. Concatenated gzip members are
 * inflated in turn. Exposed for the fetcher's sitemap handling and for tests. */
kt_status kt_gunzip(const void *data, size_t len, size_t max_out, struct kt_buf *out,
                    struct kt_err *err);

/* Date parsers (return false on anything they do not accept):
 * kt_date_parse_w3c: "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.f]](Z|±hh:mm)";
 *   a date-time without a zone counts as UTC.
 * kt_date_parse_rfc822: "[Day, ]DD Mon YYYY hh:mm[:ss] (GMT|UT|Z|EST|...|±hhmm)", 2-digit
 *   years accepted (RFC 822), also a W3C date as fallback (seen in real feeds). */
bool kt_date_parse_w3c(const char *s, int64_t *unix_out);
bool kt_date_parse_rfc822(const char *s, int64_t *unix_out);

#ifdef __cplusplus
}
#endif

#endif
