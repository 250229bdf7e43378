/* links.h - link discovery in HTML pages (libxml2 HTML parser): anchors with text and rel,
 * <base href>, rel=canonical, feeds (rel=alternate), rel=next/prev, meta robots. */
#ifndef KHOTIN_CRAWLER_LINKS_H
#define KHOTIN_CRAWLER_LINKS_H

#include "common/kt_common.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a link was found. */
enum kt_link_kind {
    KT_LINK_ANCHOR = 0,    /* <a href> / <area href> */
    KT_LINK_CANONICAL = 1, /* <link rel=canonical href> (also reported in meta->canonical) */
    KT_LINK_FEED = 2,      /* <link rel=alternate type=application/rss+xml|atom+xml|xml> */
    KT_LINK_NEXT = 3,      /* <link rel=next> or <a rel=next> */
    KT_LINK_PREV = 4,      /* <link rel=prev|previous> or <a rel=prev> */
    KT_LINK_FRAME = 5,     /* <iframe src> / <frame src> */
};

/* One link. Pointers are valid only during the callback. */
struct kt_link {
    const char *url; /* absolute, normalized (resolved against the effective base) */
    enum kt_link_kind kind;
    const char *text; /* anchor text, whitespace collapsed and trimmed, "" if none */
    const char *rel;  /* the raw rel attribute, "" if none */
    const char *type; /* the type attribute (feeds), "" if none */
    bool nofollow;    /* rel contains nofollow/ugc/sponsored, or the page is nofollow */
};

/* Return KT_OK to continue; any other status stops extraction and is returned as is. */
typedef kt_status (*kt_link_cb)(void *ctx, const struct kt_link *link);

/* Page-level facts, filled by kt_links_extract; zero-initialise, free with
 * kt_page_meta_free (frees the strings, not the struct). */
struct kt_page_meta {
    char *base_url;  /* effective base: <base href> resolved against the page URL, else the
                        page URL, normalized; malloc'd */
    char *canonical; /* rel=canonical resolved and normalized, or NULL; malloc'd */
    bool noindex;    /* <meta name=robots|<our token> content=noindex|none> */
    bool nofollow;   /* <meta name=robots content=nofollow|none> */
    size_t n_links;  /* links reported */
};

/* Options; NULL = defaults. */
struct kt_links_opts {
    const char *encoding; /* document encoding if known (e.g. from Content-Type), else NULL:
                             UTF-8 when the bytes are valid UTF-8, else libxml2's sniffing
                             of <meta charset> */
    const char *ua_token; /* also honour <meta name="<ua_token>" content=...>, e.g. "khotin" */
    size_t max_links;     /* stop reporting after this many links (0 = 100000) */
};

/* Parses html (len bytes; need not be NUL-terminated) with htmlReadMemory(RECOVER, NOERROR,
 * NOWARNING, NONET, COMPACT) and reports each link in document order. page_url is the
 * absolute URL of the page. Skipped: empty hrefs, "#..." fragments, javascript:, mailto:,
 * tel:, data: and other non-http(s) schemes, unparsable URLs. Links are reported even when
 * nofollow (flagged) so the caller decides. meta may be NULL.
 * Errors: KT_EPARSE (page_url not an absolute http(s) URL; or the parser produced no
 * document at all, e.g. empty input), KT_ENOMEM, or a status from cb. */
kt_status kt_links_extract(const char *html, size_t len, const char *page_url,
                           const struct kt_links_opts *opts, kt_link_cb cb, void *ctx,
                           struct kt_page_meta *meta, struct kt_err *err);

void kt_page_meta_free(struct kt_page_meta *meta);

/* Parses a robots meta value or an X-Robots-Tag header value ("noindex, nofollow", "none",
 * "all", case-insensitive, an optional "botname:" prefix is ignored) and ORs the findings
 * into *noindex and *nofollow. */
void kt_robots_meta_parse(const char *content, bool *noindex, bool *nofollow);

#ifdef __cplusplus
}
#endif

#endif
