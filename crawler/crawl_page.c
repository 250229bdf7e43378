/* crawl_page.c - what the crawl loop does with one finished page fetch: WARC records (response,
 * 304 and identical-payload revisits), state updates, redirects hop by hop with loop detection,
 * 429/5xx retries, discovery (sitemaps, feeds, HTML links bounded against traps) and article
 * extraction into the article store with duplicate flags. */
#define _POSIX_C_SOURCE 200809L
#include "crawler/crawl_internal.h"
#include "crawler/discover.h"
#include "crawler/extract.h"
#include "crawler/links.h"
#include "crawler/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---------------------------- enqueue ---------------------------- */

static kt_status record_skipped(struct crawl *c, const char *url, const char *host,
                                enum kt_url_kind kind, int depth, const char *parent,
                                const char *why)
{
    struct kt_url_new nu = {
        .url = url, .host = host, .kind = kind, .depth = depth, .parent = parent};
    bool added = false;
    struct kt_err err = {0};
    kt_status st = kt_crawl_add_url(c->st, &nu, &added, &err);
    if (st == KT_OK && added)
        st = kt_crawl_mark_skipped(c->st, url, why, &err);
    if (st != KT_OK)
        return crawl_fatal(c, st, &err);
    if (added) {
        c->sum->skipped++;
        c->batch_n++;
    }
    return KT_OK;
}

kt_status crawl_enqueue(struct crawl *c, const char *url_in, enum kt_url_kind kind, int depth,
                        const char *parent, const char *lastmod, enum crawl_enqueue_mode mode,
                        bool *added_out)
{
    if (added_out)
        *added_out = false;
    const struct kt_site *site = crawl_site_for(c, url_in);
    if (!site)
        return KT_OK; /* out of scope: not recorded */
    char *url = NULL;
    if (kt_site_normalize(site, url_in, &url, NULL) != KT_OK)
        return KT_OK;
    if (!kt_site_in_scope(site, url)) {
        free(url);
        return KT_OK;
    }
    kt_status st = crawl_batch(c);
    if (st != KT_OK) {
        free(url);
        return st;
    }
    struct crawl_host *h = crawl_host_for(c, url, site);
    if (!h) {
        free(url);
        return crawl_fatal(c, KT_ENOMEM, NULL);
    }
    char *pq = NULL;
    if (kt_url_path_query(url, &pq, NULL) == KT_OK && strcmp(pq, "/robots.txt") == 0) {
        free(pq);
        free(url);
        return KT_OK;
    }
    free(pq);
    enum kt_page_role role = kt_site_classify(site, url);
    if (kind == KT_URL_OTHER || kind == KT_URL_LISTING || kind == KT_URL_ARTICLE ||
        kind == KT_URL_SEED) {
        if (role == KT_ROLE_SKIP && kind != KT_URL_SEED) {
            st = mode == ENQ_FORCE ? KT_OK
                                   : record_skipped(c, url, h->key, kind, depth, parent,
                                                    kt_url_is_print_variant(url) ? "print variant"
                                                                                 : "skip pattern");
            free(url);
            return st;
        }
        if (kind != KT_URL_SEED) {
            if (role == KT_ROLE_ARTICLE)
                kind = KT_URL_ARTICLE;
            else if (role == KT_ROLE_LISTING)
                kind = KT_URL_LISTING;
        }
    }
    char *shape = NULL;
    if (mode != ENQ_FORCE) {
        struct kt_url_trap trap = {0};
        if (kt_url_classify(url, &trap, NULL) == KT_OK) {
            struct kt_trap_limits lim = c->limits;
            long mp = kt_site_max_pagination(c->cfg, site);
            if (mp > 0)
                lim.max_pagination = mp;
            bool ok = kt_url_trap_allowed(&trap, &lim, (int64_t)time(NULL));
            if (trap.kind == KT_URL_PAGINATION && kind == KT_URL_OTHER)
                kind = KT_URL_LISTING;
            enum kt_url_trap_kind tk = trap.kind;
            kt_url_trap_free(&trap);
            if (!ok) {
                st = record_skipped(c, url, h->key, kind, depth, parent,
                                    tk == KT_URL_CALENDAR ? "calendar trap bound"
                                                          : "pagination bound");
                free(url);
                return st;
            }
        }
        if (mode == ENQ_LINK && c->max_per_shape > 0 && kt_url_shape(url, &shape, NULL) == KT_OK) {
            struct kt_strmap_entry *e = kt_strmap_get(&c->shapes, shape);
            if (e && e->ival >= c->max_per_shape) {
                st = record_skipped(c, url, h->key, kind, depth, parent, "URL shape cap");
                free(shape);
                free(url);
                return st;
            }
        }
    }
    struct kt_url_new nu = {.url = url,
                            .host = h->key,
                            .kind = kind,
                            .depth = depth,
                            .parent = parent,
                            .sitemap_lastmod = lastmod};
    bool added = false;
    struct kt_err err = {0};
    st = kt_crawl_add_url(c->st, &nu, &added, &err);
    if (st != KT_OK) {
        free(shape);
        free(url);
        return crawl_fatal(c, st, &err);
    }
    if (added) {
        c->sum->new_urls++;
        c->batch_n++;
        h->drained = false;
        if (shape) {
            struct kt_strmap_entry *e = kt_strmap_get(&c->shapes, shape);
            if (kt_strmap_put(&c->shapes, shape, NULL, e ? e->ival + 1 : 1) != KT_OK)
                st = crawl_fatal(c, KT_ENOMEM, NULL);
        }
    }
    if (added_out)
        *added_out = added;
    free(shape);
    free(url);
    return st;
}

/* ---------------------------- WARC ---------------------------- */

kt_status crawl_archive(struct crawl *c, const struct kt_fetch_response *r, const char *truncated,
                        enum kt_warc_exchange kind, const struct kt_url_row *refers,
                        struct kt_warc_fetch_result *res)
{
    memset(res, 0, sizeof *res);
    struct kt_warc_fetch f = {
        .target_uri = r->url,
        .ip_address = r->ip[0] ? r->ip : NULL,
        .date_us = r->started_us,
        .request = r->request.len ? r->request.data : NULL,
        .request_len = r->request.len,
        .response = r->raw.data,
        .response_len = r->raw.len,
        .truncated = truncated,
        .kind = kind,
    };
    if (refers && refers->warc_record_id) {
        f.refers.record_id = refers->warc_record_id;
        f.refers.target_uri = refers->url;
        f.refers.date = refers->warc_date;
    } else if (kind == KT_WARC_EXCHANGE_IDENTICAL) {
        f.kind = KT_WARC_EXCHANGE_RESPONSE;
    }
    struct kt_err err = {0};
    kt_status st = crawl_batch(c);
    if (st != KT_OK)
        return st;
    st = kt_warc_write_fetch(c->w, &f, res, &err);
    if (st == KT_EPARSE) {
        /* not an HTTP response we can store faithfully: recorded as an error, not fatal */
        return st;
    }
    if (st != KT_OK)
        return crawl_fatal(c, st, &err);
    c->batch_n++;
    return KT_OK;
}

kt_status crawl_load_content(struct crawl *c, const struct kt_url_row *row, int *http_status,
                             struct kt_buf *content, struct kt_err *err)
{
    if (!row->warc_file || row->warc_offset < 0)
        return kt_err_set(err, KT_ENOTFOUND, "%s: no archived copy", row->url);
    struct kt_warc_record rec = {0};
    kt_status st = kt_archive_read_record(c->archive, row->warc_file, (uint64_t)row->warc_offset, 0,
                                          &rec, err);
    if (st != KT_OK)
        return st;
    struct kt_http_message msg;
    st = kt_http_parse(rec.block, rec.block_len, KT_HTTP_RESPONSE, &msg, err);
    if (st == KT_OK) {
        *http_status = msg.status;
        st = kt_http_content(&msg, c->max_body, content, err);
        kt_http_message_free(&msg);
    }
    kt_warc_record_free(&rec);
    return st;
}

/* ---------------------------- discovery ---------------------------- */

#define MAX_OUTLINKS 2000 /* outlinks listed in one metadata record */

struct page_ctx {
    struct crawl *c;
    struct crawl_item *it;
    int n;
    struct kt_buf *outlinks; /* "outlink: URL\r\n" lines for the metadata record, or NULL */
};

static kt_status on_discovered(void *ud, const struct kt_discovered *d)
{
    struct page_ctx *p = ud;
    char lastmod[32] = "";
    if (d->has_date) {
        time_t t = (time_t)d->date;
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(lastmod, sizeof lastmod, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    enum kt_url_kind kind = d->kind == KT_DISCOVERED_SITEMAP ? KT_URL_SITEMAP : KT_URL_OTHER;
    /* sitemaps and feeds list pages directly: not subject to listing trap bounds */
    kt_status st = crawl_enqueue(p->c, d->url, kind, p->it->row.depth + 1, p->it->row.url,
                                 lastmod[0] ? lastmod : NULL, ENQ_LISTED, NULL);
    p->n++;
    return st == KT_OK && p->c->fatal == KT_OK ? KT_OK : KT_EINTERRUPTED;
}

static kt_status on_link(void *ud, const struct kt_link *l)
{
    struct page_ctx *p = ud;
    if (p->outlinks && p->n < MAX_OUTLINKS && !strpbrk(l->url, "\r\n")) {
        kt_buf_printf(p->outlinks, "outlink: %s\r\n", l->url);
        p->n++;
    }
    if (l->nofollow || l->kind == KT_LINK_CANONICAL)
        return KT_OK;
    enum kt_url_kind kind = KT_URL_OTHER;
    if (l->kind == KT_LINK_FEED)
        kind = KT_URL_FEED;
    else if (l->kind == KT_LINK_NEXT || l->kind == KT_LINK_PREV)
        kind = KT_URL_LISTING;
    kt_status st = crawl_enqueue(p->c, l->url, kind, p->it->row.depth + 1, p->it->row.url, NULL,
                                 ENQ_LINK, NULL);
    return st == KT_OK && p->c->fatal == KT_OK ? KT_OK : KT_EINTERRUPTED;
}

static bool is_html(const char *mt, const struct kt_buf *content)
{
    if (strcmp(mt, "text/html") == 0 || strcmp(mt, "application/xhtml+xml") == 0)
        return true;
    if (mt[0])
        return false;
    for (size_t i = 0; i < content->len && i < 512; i++) {
        char ch = content->data[i];
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
            continue;
        return ch == '<' && strncasecmp(content->data + i, "<?xml", 5) != 0;
    }
    return false;
}

static bool is_xml(const char *mt)
{
    return strstr(mt, "xml") || strstr(mt, "rss") || strstr(mt, "atom") ||
           strcmp(mt, "application/x-gzip") == 0 || strcmp(mt, "application/gzip") == 0;
}

/* True when a looks like the original of its copy b: b credits a source ("Theo X") and a does
 * not, or a was published earlier. Crawl order is no guide (hosts are crawled in parallel). */
static bool is_original_of(const struct kt_article *a, const struct kt_article *b)
{
    bool a_credit = a->source_attribution && *a->source_attribution;
    bool b_credit = b->source_attribution && *b->source_attribution;
    if (a_credit != b_credit)
        return b_credit;
    if (a->date && b->date)
        return strncmp(a->date, b->date, 16) < 0;
    return false;
}

/* a was found to duplicate a->dup_of, stored earlier. If a is in fact the original, the
 * earlier record becomes the copy (its dup_of rewritten) and a is stored without dup_of. */
static kt_status pick_original(struct crawl *c, struct kt_article *a, struct kt_err *err)
{
    struct kt_article e;
    kt_article_init(&e);
    bool found = false;
    kt_status st = kt_article_store_get(c->st, a->dup_of, &e, &found, err);
    if (st != KT_OK || !found || e.dup_of || !is_original_of(a, &e)) {
        kt_article_free(&e);
        return st == KT_ECORRUPT ? KT_OK : st;
    }
    e.dup_of = strdup(a->url);
    if (!e.dup_of) {
        kt_article_free(&e);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", a->url);
    }
    st = kt_article_store_put(c->st, &e, NULL, err);
    kt_article_free(&e);
    if (st == KT_OK) {
        free(a->dup_of);
        a->dup_of = NULL;
    }
    return st;
}

/* Extracts and stores the article of an archived page. */
static void store_article(struct crawl *c, struct crawl_item *it, const struct kt_buf *content,
                          const char *content_type, const struct kt_warc_fetch_result *res)
{
    const struct kt_site *site = it->host->site;
    struct kt_extract_opts eo = {
        .url = it->row.url,
        .content_type = content_type,
        .site = site ? site->name : NULL,
        .xpath_title = site ? site->xpath_title : NULL,
        .xpath_body = site ? site->xpath_body : NULL,
        .xpath_date = site ? site->xpath_date : NULL,
        .xpath_author = site ? site->xpath_author : NULL,
        .max_bytes = (size_t)c->max_body,
    };
    struct kt_article a;
    kt_article_init(&a);
    struct kt_extract_info info;
    memset(&info, 0, sizeof info);
    struct kt_err err = {0};
    kt_status st = kt_extract_html(content->data, content->len, &eo, &a, &info, &err);
    if (st != KT_OK) {
        crawl_log(c, KT_CRAWL_LOG_INFO, "extraction failed: %s", err.msg);
        kt_article_free(&a);
        return;
    }
    bool keep = info.is_article ||
                (it->row.kind == KT_URL_ARTICLE && a.title && a.text && strlen(a.text) >= 200);
    if (!keep) {
        kt_article_free(&a);
        return;
    }
    /* the record lives under the URL fetched (canonical variants were handled before) */
    free(a.url);
    a.url = strdup(it->row.url);
    if (!a.id)
        a.id = strdup(it->row.url);
    if (!a.site && site)
        a.site = strdup(site->name);
    free(a.warc_file);
    a.warc_file = strdup(res->record.file);
    a.warc_offset = (int64_t)res->record.offset;
    a.fetched_at = (int64_t)time(NULL);
    if (!a.url || !a.id || !a.warc_file) {
        kt_article_free(&a);
        crawl_fatal(c, KT_ENOMEM, NULL);
        return;
    }
    free(a.dup_of);
    a.dup_of = NULL;
    st = kt_dedup_check_and_add(c->dedup, &a, &err);
    if (st == KT_OK && !a.dup_of && a.content_sha1[0]) {
        char *u = NULL;
        if (kt_article_store_find_sha1(c->st, a.content_sha1, a.url, &u, NULL) == KT_OK && u)
            a.dup_of = u;
    }
    bool dup = st == KT_OK && a.dup_of;
    if (dup)
        st = pick_original(c, &a, &err);
    if (st == KT_OK)
        st = kt_article_store_put(c->st, &a, NULL, &err);
    if (st != KT_OK) {
        crawl_fatal(c, st, &err);
    } else {
        c->sum->new_articles++;
        if (dup)
            c->sum->duplicates++;
        crawl_log(c, KT_CRAWL_LOG_FETCH, "article %s%s%s", a.url, a.dup_of ? " duplicate of " : "",
                  a.dup_of ? a.dup_of : "");
    }
    kt_article_free(&a);
}

static void discover_html(struct crawl *c, struct crawl_item *it, const struct kt_buf *content,
                          const char *charset, const char *content_type,
                          const struct kt_warc_fetch_result *res, struct kt_buf *outlinks)
{
    struct page_ctx p = {c, it, 0, outlinks};
    struct kt_links_opts lo = {.encoding = charset && *charset ? charset : NULL,
                               .ua_token = c->ua_token};
    struct kt_page_meta meta;
    memset(&meta, 0, sizeof meta);
    struct kt_err err = {0};
    kt_status st =
        kt_links_extract(content->data, content->len, it->row.url, &lo, on_link, &p, &meta, &err);
    if (st != KT_OK && st != KT_EINTERRUPTED && st != KT_EPARSE)
        crawl_log(c, KT_CRAWL_LOG_INFO, "links: %s", err.msg);
    enum kt_url_kind k = it->row.kind;
    /* seeds are entry (listing) pages by definition; listings, feeds, sitemaps are not articles */
    bool may_be_article = k == KT_URL_ARTICLE || k == KT_URL_OTHER;
    if (c->fatal == KT_OK && may_be_article) {
        char *canon = NULL;
        if (meta.canonical && it->host->site)
            kt_site_normalize(it->host->site, meta.canonical, &canon, NULL);
        if (canon && strcmp(canon, it->row.url) != 0) {
            /* a variant (print page, tracking URL...): the canonical page is the article */
            crawl_enqueue(c, canon, k == KT_URL_SEED ? KT_URL_OTHER : k, it->row.depth, it->row.url,
                          NULL, ENQ_FORCE, NULL);
        } else if (!meta.noindex) {
            store_article(c, it, content, content_type, res);
        }
        free(canon);
    }
    kt_page_meta_free(&meta);
}

static void discover_xml(struct crawl *c, struct crawl_item *it, const struct kt_buf *content,
                         const char *content_type)
{
    struct page_ctx p = {c, it, 0, NULL};
    struct kt_err err = {0};
    enum kt_discover_format fmt = KT_FORMAT_UNKNOWN;
    kt_status st = kt_discover_parse(content->data, content->len, content_type, it->row.url, NULL,
                                     on_discovered, &p, &fmt, &err);
    if (st != KT_OK && st != KT_EINTERRUPTED)
        crawl_log(c, KT_CRAWL_LOG_INFO, "discovery: %s", err.msg);
}

/* ---------------------------- outcomes ---------------------------- */

static void mark_done(struct crawl *c, struct crawl_item *it, const struct kt_http_message *msg,
                      const struct kt_warc_fetch_result *res, bool revisit, const char *ct)
{
    struct kt_fetch_outcome o = {
        .http_status = msg->status,
        .etag = kt_http_field_get(msg, "ETag"),
        .last_modified = kt_http_field_get(msg, "Last-Modified"),
        .content_type = ct && *ct ? ct : NULL,
        .payload_digest = msg->status == 304 || !res ? NULL : res->payload_digest,
        .warc_file = res ? res->record.file : NULL,
        .warc_offset = res ? (int64_t)res->record.offset : -1,
        .warc_record_id = res ? res->record.record_id : NULL,
        .warc_date = res ? res->record.date : NULL,
        .warc_is_revisit = revisit,
    };
    if (msg->status == 304 || !res) {
        /* keep the location of the earlier full response */
        o.warc_file = NULL;
        o.warc_offset = -1;
        o.warc_record_id = NULL;
        o.warc_date = NULL;
    }
    struct kt_err err = {0};
    if (crawl_batch(c) != KT_OK)
        return;
    kt_status st = kt_crawl_mark_done(c->st, it->row.url, &o, &err);
    if (st != KT_OK)
        crawl_fatal(c, st, &err);
    c->batch_n++;
}

static void handle_redirect(struct crawl *c, struct crawl_item *it,
                            const struct kt_http_message *msg,
                            const struct kt_warc_fetch_result *res)
{
    const char *url = it->row.url;
    const char *loc = kt_http_field_get(msg, "Location");
    char *target = NULL;
    const struct kt_site *site = it->host->site;
    if (!loc || kt_site_resolve(site, url, loc, &target, NULL) != KT_OK) {
        char m[600];
        snprintf(m, sizeof m, "%s: HTTP %d with a missing or bad Location", url, msg->status);
        crawl_fail(c, url, msg->status, KT_CRAWL_ERR_REDIRECTS, m);
        return;
    }
    struct kt_strmap_entry *he = kt_strmap_get(&c->redir_hops, url);
    int64_t hops = (he ? he->ival : 0) + 1;
    /* a loop: following the recorded redirects from the target comes back here */
    bool loop = strcmp(target, url) == 0;
    const char *cur = target;
    for (int i = 0; i < 32 && !loop; i++) {
        struct kt_strmap_entry *e = kt_strmap_get(&c->redir_out, cur);
        if (!e || !e->sval)
            break;
        if (strcmp(e->sval, url) == 0)
            loop = true;
        cur = e->sval;
    }
    if (kt_strmap_put(&c->redir_out, url, target, 0) != KT_OK) {
        free(target);
        crawl_fatal(c, KT_ENOMEM, NULL);
        return;
    }
    if (loop) {
        char m[600];
        snprintf(m, sizeof m, "%s: redirect loop via %s", url, target);
        /* every URL of the cycle ends as an error */
        const char *p = target;
        for (int i = 0; i < 32 && p && strcmp(p, url) != 0; i++) {
            struct kt_err err = {0};
            kt_crawl_mark_failed(c->st, p, 0, "redirect_loop", m, 0, &err);
            struct kt_strmap_entry *e = kt_strmap_get(&c->redir_out, p);
            p = e ? e->sval : NULL;
        }
        crawl_fail(c, url, msg->status, KT_CRAWL_ERR_REDIRECT_LOOP, m);
        free(target);
        return;
    }
    if (hops > c->max_redirects) {
        char m[600];
        snprintf(m, sizeof m, "%s: more than %d redirects", url, c->max_redirects);
        crawl_fail(c, url, msg->status, KT_CRAWL_ERR_REDIRECTS, m);
        free(target);
        return;
    }
    mark_done(c, it, msg, res, false, NULL);
    enum kt_url_kind k = it->row.kind;
    if (k == KT_URL_SEED)
        k = KT_URL_OTHER;
    bool added = false;
    crawl_enqueue(c, target, k, it->row.depth, url, NULL, ENQ_FORCE, &added);
    char *norm = NULL;
    if (site && kt_site_normalize(site, target, &norm, NULL) == KT_OK) {
        if (kt_strmap_put(&c->redir_hops, norm, NULL, hops) != KT_OK)
            crawl_fatal(c, KT_ENOMEM, NULL);
        if (!added) {
            /* already known: if it was fetched before as the end of another chain, fine; if
             * it is still queued it will be fetched then */
        }
    }
    free(norm);
    free(target);
}

/* The WARC payload digest of the already parsed response (entity after chunked decoding),
 * without parsing the raw capture again. */
static kt_status payload_digest(const struct kt_http_message *msg, char *digest)
{
    if (!msg->chunked)
        return kt_warc_digest(msg->body, msg->body_len, digest, NULL);
    struct kt_buf payload = {0};
    kt_status st = kt_http_payload(msg, 0, &payload, NULL, NULL);
    if (st == KT_OK)
        st = kt_warc_digest(payload.data ? payload.data : "", payload.len, digest, NULL);
    kt_buf_free(&payload);
    return st;
}

static void handle_ok(struct crawl *c, struct crawl_item *it, struct kt_fetch_response *r,
                      struct kt_http_message *msg)
{
    char digest[KT_WARC_DIGEST_SIZE] = "";
    struct kt_url_row prev = {0};
    bool identical = false;
    if (payload_digest(msg, digest) == KT_OK) {
        struct kt_err err = {0};
        if (kt_crawl_find_digest(c->st, digest, NULL, &prev, &identical, &err) != KT_OK)
            identical = false;
        if (identical && !prev.warc_record_id)
            identical = false;
    }
    struct kt_warc_fetch_result res;
    kt_status st = crawl_archive(c, r, NULL,
                                 identical ? KT_WARC_EXCHANGE_IDENTICAL : KT_WARC_EXCHANGE_RESPONSE,
                                 identical ? &prev : NULL, &res);
    if (st != KT_OK) {
        kt_url_row_free(&prev);
        if (st == KT_EPARSE)
            crawl_fail(c, it->row.url, msg->status, KT_CRAWL_ERR_OTHER, "response not storable");
        return;
    }
    /* where the full payload lives: this record, or the earlier one an identical-payload
     * revisit refers to */
    struct kt_warc_fetch_result full = res;
    bool same_url_revisit = false;
    if (identical) {
        c->sum->identical++;
        if (prev.warc_file && prev.warc_offset >= 0) {
            snprintf(full.record.file, sizeof full.record.file, "%s", prev.warc_file);
            full.record.offset = (uint64_t)prev.warc_offset;
        }
        same_url_revisit = strcmp(prev.url, it->row.url) == 0;
    }
    kt_url_row_free(&prev);
    char mt[128] = "", charset[64] = "";
    kt_http_content_type(msg, mt, sizeof mt, charset, sizeof charset);
    const char *ct_full = kt_http_field_get(msg, "Content-Type");
    struct kt_buf content = {0};
    struct kt_err err = {0};
    st = kt_http_content(msg, (size_t)c->max_body, &content, &err);
    if (st != KT_OK) {
        char m[700];
        snprintf(m, sizeof m, "%s: %s", it->row.url,
                 st == KT_ETOOBIG ? "decoded body over the size limit (compression bomb?), "
                                    "stopped"
                                  : err.msg);
        crawl_fail(c, it->row.url, msg->status,
                   st == KT_ENOMEM ? KT_CRAWL_ERR_OTHER : KT_CRAWL_ERR_DECODE, m);
        kt_buf_free(&content);
        if (st == KT_ENOMEM)
            crawl_fatal(c, st, &err);
        return;
    }
    /* the record is written: only the decoded content is needed from here (a 50,000-URL
     * sitemap is a few MB; do not hold it twice) */
    msg->body = NULL;
    msg->body_len = 0;
    kt_buf_free(&r->raw);
    mark_done(c, it, msg, same_url_revisit ? NULL : &res, identical, mt);
    it->host->fails_in_row = 0;
    enum kt_url_kind k = it->row.kind;
    if (k == KT_URL_SITEMAP || k == KT_URL_FEED || (!is_html(mt, &content) && is_xml(mt)))
        discover_xml(c, it, &content, ct_full);
    else if (is_html(mt, &content)) {
        /* a metadata record beside the response: the page's outlinks and the fetch time */
        struct kt_buf meta = {0};
        kt_buf_printf(&meta, "fetchTimeMs: %lld\r\n", (long long)r->elapsed_ms);
        discover_html(c, it, &content, charset, ct_full, &full, &meta);
        if (c->fatal == KT_OK && meta.data) {
            struct kt_err merr = {0};
            kt_status mst = kt_warc_write_metadata(c->w, it->row.url, res.record.record_id,
                                                   meta.data, meta.len, NULL, &merr);
            if (mst != KT_OK)
                crawl_fatal(c, mst, &merr);
        }
        kt_buf_free(&meta);
    }
    kt_buf_free(&content);
}

void crawl_page_done(struct crawl *c, struct crawl_item *it, struct kt_fetch_response *r)
{
    struct crawl_host *h = it->host;
    const char *url = it->row.url;
    if (r->status == KT_ENETWORK || r->status == KT_EINVAL || r->http_status == 0) {
        if (r->status == KT_EINVAL) {
            crawl_fail(c, url, 0, KT_CRAWL_ERR_OTHER, r->error);
            return;
        }
        int64_t backoff = (c->opts->retry_base_ms > 0 ? c->opts->retry_base_ms : 2000);
        for (int i = 1; i < it->row.attempts && backoff < 3600 * 1000; i++)
            backoff *= 2;
        crawl_retry_or_fail(c, it, 0, KT_CRAWL_ERR_NETWORK, r->error[0] ? r->error : "no response",
                            (backoff + 999) / 1000);
        return;
    }
    if (r->status == KT_ETOOBIG) {
        struct kt_warc_fetch_result res;
        if (r->head_complete &&
            crawl_archive(c, r, "length", KT_WARC_EXCHANGE_RESPONSE, NULL, &res) == KT_OK) {
            /* the truncated capture is kept (WARC-Truncated: length) but the URL is an error */
        }
        crawl_fail(c, url, r->http_status, KT_CRAWL_ERR_TOO_BIG, r->error);
        return;
    }
    struct kt_http_message msg;
    struct kt_err err = {0};
    if (kt_http_parse(r->raw.data, r->raw.len, KT_HTTP_RESPONSE, &msg, &err) != KT_OK) {
        char m[700];
        snprintf(m, sizeof m, "%s: %s", url, err.msg);
        crawl_fail(c, url, r->http_status, KT_CRAWL_ERR_OTHER, m);
        return;
    }
    int s = msg.status;
    struct kt_warc_fetch_result res;
    if (s == 304) {
        if (crawl_archive(c, r, NULL, KT_WARC_EXCHANGE_NOT_MODIFIED, &it->row, &res) == KT_OK) {
            c->sum->not_modified++;
            mark_done(c, it, &msg, &res, true, NULL);
            h->fails_in_row = 0;
        }
    } else if (s >= 200 && s < 300) {
        handle_ok(c, it, r, &msg);
    } else if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
        if (crawl_archive(c, r, NULL, KT_WARC_EXCHANGE_RESPONSE, NULL, &res) == KT_OK)
            handle_redirect(c, it, &msg, &res);
        h->fails_in_row = 0;
    } else if (s == 429 || s == 503) {
        crawl_archive(c, r, NULL, KT_WARC_EXCHANGE_RESPONSE, NULL, &res);
        int64_t ra =
            kt_parse_retry_after(kt_http_field_get(&msg, "Retry-After"), (int64_t)time(NULL));
        int64_t cap = c->opts->max_retry_after_s > 0 ? c->opts->max_retry_after_s : 300;
        if (ra < 0) {
            ra = (c->opts->retry_base_ms > 0 ? c->opts->retry_base_ms : 2000) / 1000;
            for (int i = 1; i < it->row.attempts && ra < cap; i++)
                ra *= 2;
        }
        if (ra > cap)
            ra = cap;
        if (ra < 1)
            ra = 1;
        int64_t hold = kt_now_ms() + ra * 1000;
        if (hold > h->next_ok_ms)
            h->next_ok_ms = hold; /* the whole host backs off */
        char m[600];
        snprintf(m, sizeof m, "%s: HTTP %d, Retry-After %llds", url, s, (long long)ra);
        crawl_retry_or_fail(c, it, s, KT_CRAWL_ERR_HTTP_5XX, m, ra);
    } else if (s >= 500) {
        crawl_archive(c, r, NULL, KT_WARC_EXCHANGE_RESPONSE, NULL, &res);
        int64_t backoff = (c->opts->retry_base_ms > 0 ? c->opts->retry_base_ms : 2000);
        for (int i = 1; i < it->row.attempts && backoff < 3600 * 1000; i++)
            backoff *= 2;
        char m[600];
        snprintf(m, sizeof m, "%s: HTTP %d", url, s);
        crawl_retry_or_fail(c, it, s, KT_CRAWL_ERR_HTTP_5XX, m, (backoff + 999) / 1000);
    } else {
        /* 4xx and anything else final: archived, recorded, not retried */
        kt_status ast = crawl_archive(c, r, NULL, KT_WARC_EXCHANGE_RESPONSE, NULL, &res);
        enum kt_url_kind k = it->row.kind;
        if ((s == 404 || s == 410) && (k == KT_URL_SITEMAP || k == KT_URL_FEED) && ast == KT_OK) {
            /* a sitemap or feed that does not exist (e.g. the /sitemap.xml tried on every site)
             * is a fact about the site, not a failure: DONE with its status, tried next run */
            mark_done(c, it, &msg, &res, false, NULL);
            crawl_log(c, KT_CRAWL_LOG_INFO, "%s: HTTP %d (no such %s)", url, s,
                      k == KT_URL_SITEMAP ? "sitemap" : "feed");
            kt_http_message_free(&msg);
            return;
        }
        char m[600];
        snprintf(m, sizeof m, "%s: HTTP %d", url, s);
        crawl_fail(c, url, s, s >= 400 && s < 500 ? KT_CRAWL_ERR_HTTP_4XX : KT_CRAWL_ERR_OTHER, m);
        h->fails_in_row = 0;
    }
    kt_http_message_free(&msg);
}
