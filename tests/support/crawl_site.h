/* crawl_site.h - loopback news sites for crawler tests, benchmarks and the demo, served by
 * tests/support/httpd.h: a small hazard site (robots.txt, sitemap index + gzipped sitemap, RSS,
 * paginated listings, calendar trap, 500-then-200, 429 Retry-After, redirect chain and loop,
 * 404, slow, oversized and gzip-bomb pages, windows-1258 / NFD / no-charset pages, ETags) and a
 * generated site of N articles for benchmarks. */
#ifndef KHOTIN_TESTS_SUPPORT_CRAWL_SITE_H
#define KHOTIN_TESTS_SUPPORT_CRAWL_SITE_H

#include "tests/support/httpd.h"

#include <stdbool.h>
#include <stddef.h>

/* Sizes the hazard site uses; pick caps below them in the crawl config. */
struct tu_hazard_opts {
    const char *host;        /* Host the routes answer to (NULL: any) */
    size_t big_bytes;        /* oversized page body (default 3 MiB) */
    size_t bomb_bytes;       /* inflated size of the gzip bomb (default 20 MiB of zeros) */
    int slow_ms;             /* delay of the slow page (default 2000) */
    const char *crawl_delay; /* robots.txt Crawl-delay value, NULL = none */
};

/* State of the hazard site; version 1 at start. Setting version = 2 changes the home page
 * (new ETag, one more article linked: /news/new.html). */
struct tu_hazard_site {
    struct tu_httpd *srv;
    char base[96]; /* "http://127.0.0.1:PORT" or "http://HOST:PORT" */
    volatile int version;
};

/* Adds the hazard site's routes to srv. Returns false on allocation failure. Its article pages
 * are /news/a1.html ... (see crawl_site.c for the list). */
bool tu_hazard_site_add(struct tu_httpd *srv, const struct tu_hazard_opts *opts,
                        struct tu_hazard_site *site);

/* A generated site of n_articles articles /tin-tuc/<slug>-<i>.html listed per_page to a listing
 * page /list/<p>.html (each linking the next), /robots.txt and optionally /sitemap.xml; all pages
 * are produced by a handler (constant memory whatever n). */
struct tu_gen_site {
    unsigned n_articles;
    unsigned per_page;
    int delay_ms;  /* every answer waits this long */
    bool sitemap;  /* serve /sitemap.xml: an index of sitemaps of 50,000 articles each */
    unsigned port; /* set by tu_gen_site_add */
};
bool tu_gen_site_add(struct tu_httpd *srv, struct tu_gen_site *site);
/* The path of generated article n (1-based). */
void tu_gen_article_path(unsigned n, char *out, size_t size);

/* A Vietnamese-looking article page (distinct text per seed, long enough for extraction).
 * ascii: only unaccented letters (for pages in legacy encodings). Appends to out. */
bool tu_article_html(struct kt_buf *out, const char *title, unsigned seed, bool ascii,
                     const char *head_extra, const char *body_extra);

#endif
