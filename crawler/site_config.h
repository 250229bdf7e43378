/* site_config.h - the crawl configuration: global [crawl] settings and one section per site,
 * loaded from an INI file with libinih, plus defaults for a config-less --seed crawl.
 *
 * File format (comments start with ';' or '#'; repeatable keys may be given many times):
 *
 *   [crawl]                       ; global settings, all optional
 *   user_agent = khotin/0.1 (+https://example.org/contact)   ; must contain a contact URL
 *   concurrency = 8               ; transfers in flight overall            (1..256)
 *   per_host_connections = 2      ; transfers in flight per host           (1..32)
 *   delay_ms = 1000               ; minimum gap between requests to a host (0..600000)
 *   connect_timeout_ms = 10000    ; (1..600000)
 *   timeout_ms = 60000            ; whole transfer                         (1..3600000)
 *   low_speed_limit = 100         ; bytes/s, with low_speed_time_s: abort slower transfers
 *   low_speed_time_s = 30         ; (0 disables)
 *   max_body = 10M                ; bytes, also after decompression; K/M/G suffixes (1024-based)
 *   max_redirects = 5             ; (0..20)
 *   retries = 3                   ; retries of 5xx/network errors per URL  (0..20)
 *   max_pagination = 50           ; highest listing page number followed   (1..100000)
 *   calendar_window_days = 3      ; ?date= calendar pages followed within N days of today
 *   max_per_shape = 5000          ; URLs enqueued per URL shape (kt_url_shape), 0 = no cap
 *   max_pages = 0                 ; pages fetched per run and site, 0 = no cap
 *   warc_max_size = 1G            ; WARC file rotation size
 *   warc_prefix = khotin          ; WARC file name prefix
 *
 *   [site hanoimoi]               ; or just [hanoimoi]; NAME = [A-Za-z0-9_.-]+, unique
 *   base_url = https://hanoimoi.vn/   ; required: scope is its host (www. ignored) + path
 *   seed = https://hanoimoi.vn/chinh-tri   ; repeatable; relative refs resolve on base_url
 *   sitemap = /sitemap.xml        ; repeatable
 *   feed = /rss/home.rss          ; repeatable
 *   article_pattern = -[0-9]+\.html$     ; repeatable, POSIX ERE on path+query (url.h)
 *   listing_pattern = ^/chinh-tri(/|$)   ; repeatable
 *   skip_pattern = ^/tim-kiem            ; repeatable: never enqueue
 *   strip_param = print           ; repeatable: query parameter removed by normalization
 *   delay_ms = 2000               ; per-site overrides of [crawl] values
 *   max_pages = 500
 *   max_pagination = 20
 *   user_agent = ...
 *   xpath_title = //h1            ; optional extraction refinements (XPath 1.0, not checked
 *   xpath_body = //div[@id='b']   ;   here; the extractor validates them)
 *   xpath_date = ...
 *   xpath_author = ...
 *
 * Unknown sections and keys, bad numbers, duplicate sites, a missing or non-http(s)
 * base_url, unparsable seed/sitemap/feed URLs and invalid regexes are errors. */
#ifndef KHOTIN_CRAWLER_SITE_CONFIG_H
#define KHOTIN_CRAWLER_SITE_CONFIG_H

#include "common/kt_common.h"
#include "crawler/url.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Global settings ([crawl]); kt_site_config_init sets the defaults shown above. */
struct kt_crawl_settings {
    char *user_agent; /* malloc'd, never NULL after init */
    int concurrency;
    int per_host_connections;
    int delay_ms;
    int connect_timeout_ms;
    int timeout_ms;
    long low_speed_limit;
    int low_speed_time_s;
    uint64_t max_body;
    int max_redirects;
    int retries;
    long max_pagination;
    int calendar_window_days;
    long max_per_shape;
    long max_pages;
    uint64_t warc_max_size;
    char *warc_prefix; /* malloc'd, never NULL after init */
};

/* One site. Every string and array is owned by the config. Arrays of strings are absolute,
 * normalized URLs. Per-site numbers are -1 ("inherit [crawl]") unless set. */
struct kt_site {
    char *name;
    char *base_url;    /* normalized */
    char *host;        /* lowercased host of base_url */
    char *path_prefix; /* path of base_url, "/" for a whole host */
    char **seeds;
    size_t n_seeds;
    char **sitemaps;
    size_t n_sitemaps;
    char **feeds;
    size_t n_feeds;
    struct kt_url_pattern **article_patterns;
    size_t n_article_patterns;
    struct kt_url_pattern **listing_patterns;
    size_t n_listing_patterns;
    struct kt_url_pattern **skip_patterns;
    size_t n_skip_patterns;
    char **strip_params;
    size_t n_strip_params;
    int delay_ms;                                               /* -1 = inherit */
    long max_pages;                                             /* -1 = inherit */
    long max_pagination;                                        /* -1 = inherit */
    char *user_agent;                                           /* NULL = inherit */
    char *xpath_title, *xpath_body, *xpath_date, *xpath_author; /* NULL = none */
    bool from_seed; /* created by kt_site_config_add_seed (no config file) */
};

struct kt_site_config {
    char *path; /* the file loaded, or NULL */
    struct kt_crawl_settings crawl;
    struct kt_site *sites;
    size_t n_sites;
};

/* Sets every default (no sites). Returns KT_ENOMEM if the default strings cannot be
 * allocated. Call kt_site_config_free afterwards in every case. */
kt_status kt_site_config_init(struct kt_site_config *cfg);

/* Loads path into cfg (which must not be initialised; it is initialised here and must be
 * freed with kt_site_config_free also on error). Errors: KT_ENOTFOUND / KT_EIO (cannot read
 * the file), KT_ECONFIG with "FILE:LINE: problem" (unknown section or key, bad number,
 * value out of range, duplicate site, missing base_url, bad URL, invalid regex, INI syntax
 * error), KT_ENOMEM. */
kt_status kt_site_config_load(const char *path, struct kt_site_config *cfg, struct kt_err *err);

/* Same, from text in memory; name is used in messages ("NAME:LINE: ..."). */
kt_status kt_site_config_load_string(const char *text, size_t len, const char *name,
                                     struct kt_site_config *cfg, struct kt_err *err);

/* Adds a site for a config-less crawl of seed_url: name = host, base_url = origin + the
 * seed's directory path ("http://h/a/b/c.html" -> "http://h/a/b/"; "http://h/x" -> "http://h/"),
 * seed = the seed URL, sitemap = <origin>/sitemap.xml, no patterns (article pages are then
 * recognised by the extractor). A seed in the scope of an existing site is added to that
 * site's seeds instead. cfg must be initialised. Errors: KT_EPARSE (bad URL), KT_ENOMEM. */
kt_status kt_site_config_add_seed(struct kt_site_config *cfg, const char *seed_url,
                                  struct kt_err *err);

/* Releases everything cfg owns and zeroes it. NULL is a no-op. */
void kt_site_config_free(struct kt_site_config *cfg);

/* The site named name (case-sensitive), or NULL. */
const struct kt_site *kt_site_config_find(const struct kt_site_config *cfg, const char *name);

/* The first site whose scope contains url, or NULL. */
const struct kt_site *kt_site_config_match_url(const struct kt_site_config *cfg, const char *url);

/* True when url is in the site's scope (host + path prefix). */
bool kt_site_in_scope(const struct kt_site *site, const char *url);

/* What the site's patterns say about a URL. */
enum kt_page_role {
    KT_ROLE_UNKNOWN = 0, /* no pattern matched (or the site has no patterns) */
    KT_ROLE_ARTICLE = 1,
    KT_ROLE_LISTING = 2,
    KT_ROLE_SKIP = 3, /* a skip_pattern matched, or a print variant: do not enqueue */
};
/* Order: skip patterns and kt_url_is_print_variant first, then article, then listing. */
enum kt_page_role kt_site_classify(const struct kt_site *site, const char *url);

/* Normalize / resolve with the site's strip_params (site may be NULL: defaults). */
kt_status kt_site_normalize(const struct kt_site *site, const char *url, char **out,
                            struct kt_err *err);
kt_status kt_site_resolve(const struct kt_site *site, const char *base, const char *ref, char **out,
                          struct kt_err *err);

/* Effective per-site values (the site's override, else [crawl]). site may be NULL. */
int kt_site_delay_ms(const struct kt_site_config *cfg, const struct kt_site *site);
long kt_site_max_pages(const struct kt_site_config *cfg, const struct kt_site *site);
long kt_site_max_pagination(const struct kt_site_config *cfg, const struct kt_site *site);
const char *kt_site_user_agent(const struct kt_site_config *cfg, const struct kt_site *site);

#ifdef __cplusplus
}
#endif

#endif
