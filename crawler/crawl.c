/* crawl.c - the crawl run: site and host setup, robots.txt per host, claiming from the frontier,
 * polite dispatch, retries and host pausing, batched durable commits, progress, summary. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "crawler/crawl_internal.h"
#include "crawler/url.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CLAIM_BATCH    64
#define BATCH_RECORDS  256
#define BATCH_MS       300
#define ROBOTS_CACHE_S (24 * 3600)
#define NEVER_DUE      (INT64_C(4102444800)) /* 2100-01-01: robots rows are not claimed */

static const char *const error_names[KT_CRAWL_ERR_COUNT] = {
    "network",       "http_4xx",  "http_5xx",           "too_big",     "decode",
    "redirect_loop", "redirects", "robots_unreachable", "host_paused", "other"};

const char *kt_crawl_error_kind_name(enum kt_crawl_error_kind k)
{
    return (unsigned)k < KT_CRAWL_ERR_COUNT ? error_names[k] : "?";
}

void crawl_log(struct crawl *c, enum kt_crawl_log_level level, const char *fmt, ...)
{
    if (!c->cb || !c->cb->log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->cb->log(c->cb->ud, level, line);
}

kt_status crawl_fatal(struct crawl *c, kt_status st, const struct kt_err *err)
{
    if (c->fatal == KT_OK && st != KT_OK) {
        c->fatal = st;
        if (err)
            c->fatal_err = *err;
        else
            kt_err_set(&c->fatal_err, st, "%s", kt_status_str(st));
    }
    return st;
}

void crawl_count_error(struct crawl *c, enum kt_crawl_error_kind k)
{
    c->sum->errors++;
    c->sum->errors_by_kind[k]++;
}

kt_status crawl_batch(struct crawl *c)
{
    if (c->in_batch)
        return KT_OK;
    struct kt_err err = {0};
    kt_status st = kt_crawl_begin(c->st, &err);
    if (st != KT_OK)
        return crawl_fatal(c, st, &err);
    c->in_batch = true;
    c->batch_n = 0;
    c->batch_started_ms = kt_now_ms();
    return KT_OK;
}

/* Makes everything written so far durable: WARC fsync first, then the state commit. */
static kt_status checkpoint(struct crawl *c)
{
    if (!c->in_batch)
        return KT_OK;
    struct kt_err err = {0};
    kt_status st = kt_archive_sync(c->archive, &err);
    if (st != KT_OK) {
        kt_crawl_rollback(c->st, NULL);
        c->in_batch = false;
        return crawl_fatal(c, st, &err);
    }
    st = kt_crawl_commit(c->st, &err);
    c->in_batch = false;
    if (st != KT_OK)
        return crawl_fatal(c, st, &err);
    return KT_OK;
}

void crawl_fail(struct crawl *c, const char *url, int http_status, enum kt_crawl_error_kind kind,
                const char *msg)
{
    struct kt_err err = {0};
    if (crawl_batch(c) != KT_OK)
        return;
    kt_status st =
        kt_crawl_mark_failed(c->st, url, http_status, kt_crawl_error_kind_name(kind), msg, 0, &err);
    if (st != KT_OK && st != KT_ENOTFOUND)
        crawl_fatal(c, st, &err);
    c->batch_n++;
    crawl_count_error(c, kind);
    crawl_log(c, KT_CRAWL_LOG_ERROR, "error %s: %s", kt_crawl_error_kind_name(kind), msg);
}

static void pause_host(struct crawl *c, struct crawl_host *h, const char *why);

void crawl_retry_or_fail(struct crawl *c, struct crawl_item *it, int http_status,
                         enum kt_crawl_error_kind kind, const char *msg, int64_t delay_s)
{
    int limit = c->retries + 1;
    if (http_status == 429 || http_status == 503)
        limit = c->retries + 3 > 5 ? c->retries + 3 : 5;
    if (it->row.attempts >= limit) {
        char m[600];
        snprintf(m, sizeof m, "%s (after %d attempts)", msg, it->row.attempts);
        crawl_fail(c, it->row.url, http_status, kind, m);
        return;
    }
    if (delay_s < 1)
        delay_s = 1;
    struct kt_err err = {0};
    if (crawl_batch(c) != KT_OK)
        return;
    int64_t now = (int64_t)time(NULL);
    kt_status st = kt_crawl_mark_failed(c->st, it->row.url, http_status,
                                        kt_crawl_error_kind_name(kind), msg, now + delay_s, &err);
    if (st != KT_OK)
        crawl_fatal(c, st, &err);
    c->batch_n++;
    c->sum->retries++;
    struct crawl_host *h = it->host;
    int64_t due = kt_now_ms() + delay_s * 1000 + 20;
    if (h->n_retry == h->cap_retry) {
        size_t nc = h->cap_retry ? h->cap_retry * 2 : 8;
        int64_t *nr = realloc(h->retry_ms, nc * sizeof *nr);
        if (!nr) {
            crawl_fatal(c, KT_ENOMEM, NULL);
            return;
        }
        h->retry_ms = nr;
        h->cap_retry = nc;
    }
    h->retry_ms[h->n_retry++] = due;
    crawl_log(c, KT_CRAWL_LOG_FETCH, "retry in %llds: %s", (long long)delay_s, msg);
    if (kind != KT_CRAWL_ERR_HTTP_5XX || (http_status != 429 && http_status != 503)) {
        if (++h->fails_in_row >= (c->opts->host_fail_limit > 0 ? c->opts->host_fail_limit : 20))
            pause_host(c, h, "too many failures in a row");
    }
}

const struct kt_site *crawl_site_for(const struct crawl *c, const char *url)
{
    for (size_t i = 0; i < c->n_sites; i++)
        if (kt_site_in_scope(c->sites[i], url))
            return c->sites[i];
    return NULL;
}

static int64_t site_delay(const struct crawl *c, const struct kt_site *site)
{
    if (c->opts->delay_set)
        return c->opts->delay_ms < 0 ? 0 : c->opts->delay_ms;
    int d = kt_site_delay_ms(c->cfg, site);
    return d < 0 ? 0 : d;
}

struct crawl_host *crawl_host_for(struct crawl *c, const char *url, const struct kt_site *site)
{
    char *origin = NULL;
    if (kt_url_origin(url, &origin, NULL) != KT_OK)
        return NULL;
    const char *key = strstr(origin, "://");
    key = key ? key + 3 : origin;
    for (size_t i = 0; i < c->n_hosts; i++)
        if (strcmp(c->hosts[i]->origin, origin) == 0) {
            free(origin);
            return c->hosts[i];
        }
    struct crawl_host **nh = realloc(c->hosts, (c->n_hosts + 1) * sizeof *nh);
    struct crawl_host *h = calloc(1, sizeof *h);
    if (nh)
        c->hosts = nh;
    if (!nh || !h || !(h->key = strdup(key))) {
        free(h);
        free(origin);
        return NULL;
    }
    h->origin = origin;
    h->site = site ? site : crawl_site_for(c, url);
    h->delay_ms = site_delay(c, h->site);
    c->hosts[c->n_hosts++] = h;
    return h;
}

static void item_free(struct crawl_item *it)
{
    if (!it)
        return;
    kt_url_row_free(&it->row);
    free(it);
}

static bool q_push(struct crawl_host *h, struct crawl_item *it)
{
    if (h->qhead + h->qlen == h->qcap) {
        if (h->qhead > 0) {
            memmove(h->q, h->q + h->qhead, h->qlen * sizeof *h->q);
            h->qhead = 0;
        } else {
            size_t nc = h->qcap ? h->qcap * 2 : 32;
            struct crawl_item **nq = realloc(h->q, nc * sizeof *nq);
            if (!nq)
                return false;
            h->q = nq;
            h->qcap = nc;
        }
    }
    h->q[h->qhead + h->qlen++] = it;
    return true;
}

static struct crawl_item *q_pop(struct crawl_host *h)
{
    if (h->qlen == 0)
        return NULL;
    struct crawl_item *it = h->q[h->qhead++];
    h->qlen--;
    if (h->qlen == 0)
        h->qhead = 0;
    return it;
}

/* Puts a claimed row back to QUEUED (run ending, host paused, page cap). */
static void requeue_item(struct crawl *c, struct crawl_item *it)
{
    if (!it->robots) {
        struct kt_err err = {0};
        if (crawl_batch(c) == KT_OK) {
            kt_status st = kt_crawl_requeue(c->st, it->row.url, (int64_t)time(NULL), &err);
            if (st != KT_OK && st != KT_ENOTFOUND)
                crawl_fatal(c, st, &err);
            c->batch_n++;
        }
    }
    item_free(it);
}

static void pause_host(struct crawl *c, struct crawl_host *h, const char *why)
{
    if (h->paused)
        return;
    h->paused = true;
    size_t left = h->qlen;
    struct crawl_item *it;
    while ((it = q_pop(h)))
        requeue_item(c, it);
    crawl_count_error(c, KT_CRAWL_ERR_HOST_PAUSED);
    crawl_log(c, KT_CRAWL_LOG_INFO,
              "host %s paused for this run: %s (%zu claimed URLs left queued)", h->key, why, left);
}

/* ---------------------------- robots.txt ---------------------------- */

static void robots_ready(struct crawl *c, struct crawl_host *h, struct kt_robots *r)
{
    kt_robots_free(h->robots);
    h->robots = r;
    h->robots_phase = ROBOTS_READY;
    int64_t cd = kt_robots_crawl_delay_ms(r, c->ua_token);
    h->delay_ms = site_delay(c, h->site);
    if (cd > h->delay_ms)
        h->delay_ms = cd;
    size_t n = kt_robots_sitemap_count(r);
    for (size_t i = 0; i < n && c->fatal == KT_OK; i++) {
        crawl_enqueue(c, kt_robots_sitemap(r, i), KT_URL_SITEMAP, 0, NULL, NULL, ENQ_FORCE, NULL);
    }
}

static void robots_unreachable(struct crawl *c, struct crawl_host *h, const char *why)
{
    h->robots_attempts++;
    int max = c->opts->robots_attempts > 0 ? c->opts->robots_attempts : 3;
    if (h->robots_attempts >= max) {
        crawl_count_error(c, KT_CRAWL_ERR_ROBOTS);
        crawl_log(c, KT_CRAWL_LOG_ERROR, "robots.txt of %s unreachable: %s", h->key, why);
        h->robots_phase = ROBOTS_WAIT;
        pause_host(c, h, "robots.txt unreachable (nothing fetched from it)");
        return;
    }
    h->robots_phase = ROBOTS_WAIT;
    h->robots_retry_ms =
        kt_now_ms() + (c->opts->robots_retry_ms > 0 ? c->opts->robots_retry_ms : 10000);
    crawl_log(c, KT_CRAWL_LOG_INFO, "robots.txt of %s unreachable (%s): host waits, retry later",
              h->key, why);
}

/* Serves robots.txt from the state's cache (fresh DONE row) if possible. */
static bool robots_from_cache(struct crawl *c, struct crawl_host *h, const char *robots_url)
{
    struct kt_url_row row = {0};
    bool found = false;
    bool used = false;
    if (kt_crawl_get(c->st, robots_url, &row, &found, NULL) == KT_OK && found &&
        row.state == KT_URL_DONE && row.fetched_at > (int64_t)time(NULL) - ROBOTS_CACHE_S) {
        struct kt_robots *r = NULL;
        if (row.http_status >= 300 && row.http_status < 500 && row.http_status != 429 &&
            row.http_status != 304) {
            if (kt_robots_from_fetch(row.http_status, NULL, 0, &r, NULL) == KT_OK)
                used = true;
        } else if (row.warc_file) {
            struct kt_buf body = {0};
            int status = 0;
            if (crawl_load_content(c, &row, &status, &body, NULL) == KT_OK &&
                kt_robots_from_fetch(status, body.data, body.len, &r, NULL) == KT_OK)
                used = true;
            kt_buf_free(&body);
        }
        if (used)
            robots_ready(c, h, r);
    }
    kt_url_row_free(&row);
    return used;
}

static void start_robots(struct crawl *c, struct crawl_host *h)
{
    char *robots_url = NULL;
    if (kt_url_robots_url(h->origin, &robots_url, NULL) != KT_OK) {
        struct kt_robots *r = NULL;
        if (kt_robots_new_allow_all(&r, NULL) == KT_OK)
            robots_ready(c, h, r);
        return;
    }
    if (h->robots_attempts == 0 && !h->robots_unconditional &&
        robots_from_cache(c, h, robots_url)) {
        free(robots_url);
        return;
    }
    struct kt_err err = {0};
    if (crawl_batch(c) != KT_OK) {
        free(robots_url);
        return;
    }
    struct kt_url_new nu = {
        .url = robots_url, .host = h->key, .kind = KT_URL_ROBOTS, .not_before = NEVER_DUE};
    kt_status st = kt_crawl_add_url(c->st, &nu, NULL, &err);
    struct crawl_item *it = calloc(1, sizeof *it);
    if (st != KT_OK || !it) {
        free(it);
        free(robots_url);
        crawl_fatal(c, st != KT_OK ? st : KT_ENOMEM, st != KT_OK ? &err : NULL);
        return;
    }
    bool found = false;
    kt_crawl_get(c->st, robots_url, &it->row, &found, NULL);
    if (!found) {
        it->row.url = robots_url;
        robots_url = NULL;
    }
    free(robots_url);
    it->robots = true;
    it->host = h;
    struct kt_fetch_request req = {.url = it->row.url,
                                   .if_none_match = h->robots_unconditional ? NULL : it->row.etag,
                                   .if_modified_since =
                                       h->robots_unconditional ? NULL : it->row.last_modified,
                                   .user = it};
    if (!it->row.warc_file) {
        req.if_none_match = NULL;
        req.if_modified_since = NULL;
    }
    st = kt_fetcher_add(c->fetcher, &req, &err);
    if (st != KT_OK) {
        item_free(it);
        crawl_fatal(c, st, &err);
        return;
    }
    h->robots_phase = ROBOTS_FETCHING;
    h->in_flight++;
    c->in_flight++;
    /* +2 ms: millisecond clocks on both ends must still show the full gap */
    h->next_ok_ms = kt_now_ms() + (h->delay_ms > 0 ? h->delay_ms + 2 : 0);
}

static void robots_done(struct crawl *c, struct crawl_item *it, struct kt_fetch_response *r)
{
    struct crawl_host *h = it->host;
    if (r->status != KT_OK || r->http_status == 0) {
        robots_unreachable(c, h, r->error[0] ? r->error : "no response");
        return;
    }
    struct kt_warc_fetch_result res;
    if (crawl_archive(c, r, NULL,
                      r->http_status == 304 ? KT_WARC_EXCHANGE_NOT_MODIFIED
                                            : KT_WARC_EXCHANGE_RESPONSE,
                      r->http_status == 304 ? &it->row : NULL, &res) != KT_OK)
        return;
    struct kt_http_message msg;
    struct kt_buf body = {0};
    int status = r->http_status;
    if (kt_http_parse(r->raw.data, r->raw.len, KT_HTTP_RESPONSE, &msg, NULL) != KT_OK) {
        robots_unreachable(c, h, "unparsable response");
        return;
    }
    if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) &&
        it->hops < 5) {
        /* RFC 9309 2.3.1.2: follow at least five redirects (e.g. http -> https) */
        const char *loc = kt_http_field_get(&msg, "Location");
        char *target = NULL;
        if (loc && kt_url_resolve(r->url, loc, &target, NULL) == KT_OK) {
            struct kt_fetch_request req = {.url = target, .user = it};
            struct kt_err ferr = {0};
            if (kt_fetcher_add(c->fetcher, &req, &ferr) == KT_OK) {
                it->hops++;
                it->keep = true;
                h->in_flight++;
                c->in_flight++;
                free(target);
                kt_http_message_free(&msg);
                return;
            }
            free(target);
        }
    }
    if (status == 304) {
        if (crawl_load_content(c, &it->row, &status, &body, NULL) != KT_OK) {
            kt_http_message_free(&msg);
            kt_buf_free(&body);
            h->robots_unconditional = true;
            h->robots_phase = ROBOTS_NONE; /* fetch again without validators */
            return;
        }
    } else if (status >= 200 && status < 300) {
        kt_status dst = kt_http_content(&msg, c->max_body, &body, NULL);
        if (dst != KT_OK && dst != KT_ETOOBIG) {
            kt_buf_reset(&body);
        }
    }
    struct kt_robots *rb = NULL;
    if (status == 429 || status >= 500) {
        kt_http_message_free(&msg);
        char why[64];
        snprintf(why, sizeof why, "HTTP %d", status);
        if (crawl_batch(c) == KT_OK)
            kt_crawl_mark_failed(c->st, it->row.url, status, "http_5xx", why, 0, NULL);
        robots_unreachable(c, h, why);
        kt_buf_free(&body);
        return;
    }
    if (kt_robots_from_fetch(status, body.data, body.len, &rb, NULL) != KT_OK) {
        kt_http_message_free(&msg);
        kt_buf_free(&body);
        crawl_fatal(c, KT_ENOMEM, NULL);
        return;
    }
    char ct[128] = "";
    kt_http_content_type(&msg, ct, sizeof ct, NULL, 0);
    struct kt_fetch_outcome o = {
        .http_status = r->http_status,
        .etag = kt_http_field_get(&msg, "ETag"),
        .last_modified = kt_http_field_get(&msg, "Last-Modified"),
        .content_type = ct[0] ? ct : NULL,
        .payload_digest = r->http_status == 304 ? NULL : res.payload_digest,
        .warc_file = r->http_status == 304 ? NULL : res.record.file,
        .warc_offset = r->http_status == 304 ? -1 : (int64_t)res.record.offset,
        .warc_record_id = r->http_status == 304 ? NULL : res.record.record_id,
        .warc_date = r->http_status == 304 ? NULL : res.record.date,
        .warc_is_revisit = r->http_status == 304,
    };
    struct kt_err err = {0};
    if (crawl_batch(c) == KT_OK) {
        kt_status st = kt_crawl_mark_done(c->st, it->row.url, &o, &err);
        if (st != KT_OK)
            crawl_fatal(c, st, &err);
        c->batch_n++;
    }
    kt_http_message_free(&msg);
    kt_buf_free(&body);
    robots_ready(c, h, rb);
}

/* ---------------------------- dispatch ---------------------------- */

static bool site_cap_reached(const struct crawl *c, const struct kt_site *site)
{
    if (c->opts->max_pages > 0 && c->pages >= c->opts->max_pages)
        return true;
    if (!site)
        return false;
    long cap = kt_site_max_pages(c->cfg, site);
    return cap > 0 && c->site_pages[site - c->cfg->sites] >= cap;
}

static void start_fetch(struct crawl *c, struct crawl_host *h, struct crawl_item *it)
{
    struct kt_fetch_request req = {.url = it->row.url, .user = it};
    if (it->row.warc_file) { /* validators only when we hold the earlier copy */
        req.if_none_match = it->row.etag;
        req.if_modified_since = it->row.last_modified;
    }
    struct kt_err err = {0};
    kt_status st = kt_fetcher_add(c->fetcher, &req, &err);
    if (st != KT_OK) {
        requeue_item(c, it);
        crawl_fatal(c, st, &err);
        return;
    }
    h->in_flight++;
    c->in_flight++;
    c->pages++;
    if (h->site)
        c->site_pages[h->site - c->cfg->sites]++;
    /* +2 ms: millisecond clocks on both ends must still show the full gap */
    h->next_ok_ms = kt_now_ms() + (h->delay_ms > 0 ? h->delay_ms + 2 : 0);
}

static void dispatch(struct crawl *c)
{
    int64_t now = kt_now_ms();
    for (size_t i = 0; i < c->n_hosts && c->fatal == KT_OK; i++) {
        struct crawl_host *h = c->hosts[i];
        if (h->paused)
            continue;
        if (h->robots_phase == ROBOTS_FETCHING)
            continue;
        if (h->robots_phase != ROBOTS_READY) {
            if (h->qlen == 0 || c->in_flight >= c->concurrency)
                continue;
            if (h->robots_phase == ROBOTS_WAIT && now < h->robots_retry_ms)
                continue;
            start_robots(c, h);
            continue;
        }
        int limit = h->delay_ms > 0 ? 1 : c->per_host;
        while (h->qlen > 0 && h->in_flight < limit && c->in_flight < c->concurrency &&
               now >= h->next_ok_ms && c->fatal == KT_OK) {
            if (site_cap_reached(c, h->site))
                break;
            struct crawl_item *it = q_pop(h);
            if (!kt_robots_allowed_url(h->robots, c->ua_token, it->row.url)) {
                struct kt_err err = {0};
                if (crawl_batch(c) == KT_OK) {
                    kt_status st = kt_crawl_mark_robots_blocked(c->st, it->row.url, &err);
                    if (st != KT_OK)
                        crawl_fatal(c, st, &err);
                    c->batch_n++;
                }
                c->sum->robots_blocked++;
                crawl_log(c, KT_CRAWL_LOG_FETCH, "robots.txt disallows %s", it->row.url);
                item_free(it);
                continue;
            }
            start_fetch(c, h, it);
        }
    }
}

/* Claims due rows for hosts whose queue runs low. Called outside the batch transaction. */
static void refill(struct crawl *c)
{
    /* claims run inside the batch transaction (kt_crawl_claim uses a savepoint): a crash before
     * the commit leaves the rows QUEUED, as if never claimed */
    if (crawl_batch(c) != KT_OK)
        return;
    int64_t now_ms = kt_now_ms();
    int64_t now = (int64_t)time(NULL);
    struct kt_url_row rows[CLAIM_BATCH];
    memset(rows, 0, sizeof rows);
    for (size_t i = 0; i < c->n_hosts && c->fatal == KT_OK; i++) {
        struct crawl_host *h = c->hosts[i];
        /* keep about two rounds of work per host in memory */
        size_t low = h->delay_ms > 0 ? 4 : (size_t)c->per_host * 2;
        if (h->paused || h->qlen >= low)
            continue;
        bool due = false;
        for (size_t k = 0; k < h->n_retry;) {
            if (h->retry_ms[k] <= now_ms) {
                h->retry_ms[k] = h->retry_ms[--h->n_retry];
                due = true;
            } else {
                k++;
            }
        }
        if (h->drained && !due)
            continue;
        if (site_cap_reached(c, h->site))
            continue;
        size_t n = 0;
        struct kt_claim_opts co = {
            .now = now, .max = h->delay_ms > 0 ? 8 : CLAIM_BATCH, .host = h->key};
        struct kt_err err = {0};
        kt_status st = kt_crawl_claim(c->st, &co, rows, &n, &err);
        if (st != KT_OK) {
            crawl_fatal(c, st, &err);
            break;
        }
        if (n == 0) {
            h->drained = true;
            continue;
        }
        h->drained = false;
        for (size_t k = 0; k < n; k++) {
            struct crawl_item *it = calloc(1, sizeof *it);
            if (!it || !q_push(h, it)) {
                free(it);
                crawl_fatal(c, KT_ENOMEM, NULL);
                break;
            }
            it->row = rows[k];
            memset(&rows[k], 0, sizeof rows[k]);
            it->host = h;
        }
    }
    for (size_t k = 0; k < CLAIM_BATCH; k++)
        kt_url_row_free(&rows[k]);
}

/* True while something may still happen in this run; *next_ms gets the next time to look. */
static bool work_left(struct crawl *c, int64_t now_ms, int64_t *next_ms)
{
    bool left = c->in_flight > 0;
    int64_t wait_until = 0;
    int64_t max_wait = (c->opts->max_wait_s > 0 ? c->opts->max_wait_s : 120) * 1000;
    for (size_t i = 0; i < c->n_hosts; i++) {
        struct crawl_host *h = c->hosts[i];
        if (h->paused)
            continue;
        if (site_cap_reached(c, h->site)) {
            if (h->qlen)
                left = left || c->in_flight > 0;
            continue;
        }
        if (h->qlen > 0 || !h->drained)
            left = true;
        for (size_t k = 0; k < h->n_retry; k++)
            if (h->retry_ms[k] - now_ms <= max_wait) {
                left = true;
                if (!wait_until || h->retry_ms[k] < wait_until)
                    wait_until = h->retry_ms[k];
            }
    }
    *next_ms = wait_until;
    return left;
}

/* ---------------------------- completion ---------------------------- */

static void on_done(void *ctx, struct kt_fetch_response *r)
{
    struct crawl *c = ctx;
    struct crawl_item *it = r->user;
    struct crawl_host *h = it->host;
    h->in_flight--;
    c->in_flight--;
    if (h->delay_ms > 0) {
        /* the gap runs from the end of the previous response (slow pages hold the host) */
        int64_t t = kt_now_ms() + h->delay_ms + 2;
        /* a transfer we cut (size cap, timeout) may still occupy the server for a while:
         * wait twice as long before the next request */
        if (r->status == KT_ETOOBIG || r->status == KT_ENETWORK)
            t += h->delay_ms;
        if (t > h->next_ok_ms)
            h->next_ok_ms = t;
    }
    if (r->status == KT_EINTERRUPTED) {
        if (it->robots)
            h->robots_phase = ROBOTS_NONE;
        requeue_item(c, it);
        return;
    }
    c->sum->bytes += (int64_t)r->raw.len;
    if (r->http_status > 0)
        c->sum->fetched++;
    crawl_log(c, KT_CRAWL_LOG_FETCH, "%d %s %zu B %lld ms%s%s", r->http_status, it->row.url,
              r->raw.len, (long long)r->elapsed_ms, r->status != KT_OK ? " " : "",
              r->status != KT_OK ? kt_status_str(r->status) : "");
    if (it->robots)
        robots_done(c, it, r);
    else
        crawl_page_done(c, it, r);
    if (c->in_batch)
        c->batch_n++;
    if (it->keep) {
        it->keep = false; /* in flight again */
        return;
    }
    item_free(it);
}

/* ---------------------------- run setup ---------------------------- */

static int collect_host(void *ud, const struct kt_url_row *row)
{
    struct kt_strmap *m = ud;
    if (!kt_strmap_get(m, row->host))
        kt_strmap_put(m, row->host, row->url, 0);
    return 0;
}

static int add_simhash(void *ud, const char *url, uint64_t simhash)
{
    kt_dedup_add(ud, url, "", simhash, 0, NULL);
    return 0;
}

static kt_status add_configured(struct crawl *c, const struct kt_site *s)
{
    struct {
        char **urls;
        size_t n;
        enum kt_url_kind kind;
    } lists[] = {{s->seeds, s->n_seeds, KT_URL_SEED},
                 {s->sitemaps, s->n_sitemaps, KT_URL_SITEMAP},
                 {s->feeds, s->n_feeds, KT_URL_FEED}};
    int64_t now = (int64_t)time(NULL);
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; i < lists[l].n; i++) {
            bool added = false;
            kt_status st =
                crawl_enqueue(c, lists[l].urls[i], lists[l].kind, 0, NULL, NULL, ENQ_FORCE, &added);
            if (st != KT_OK)
                return st;
            if (!added) {
                struct kt_url_row row = {0};
                bool found = false;
                if (kt_crawl_get(c->st, lists[l].urls[i], &row, &found, NULL) == KT_OK && found &&
                    row.state != KT_URL_QUEUED && row.state != KT_URL_FETCHING &&
                    row.kind != KT_URL_ARTICLE)
                    kt_crawl_requeue(c->st, row.url, now, NULL);
                kt_url_row_free(&row);
            }
            crawl_host_for(c, lists[l].urls[i], s);
        }
    return KT_OK;
}

static kt_status setup(struct crawl *c, struct kt_err *err)
{
    const struct kt_crawl_opts *o = c->opts;
    const struct kt_site_config *cfg = c->cfg;
    c->sites = calloc(cfg->n_sites ? cfg->n_sites : 1, sizeof *c->sites);
    c->site_pages = calloc(cfg->n_sites ? cfg->n_sites : 1, sizeof *c->site_pages);
    if (!c->sites || !c->site_pages)
        return kt_err_set(err, KT_ENOMEM, "crawl: out of memory");
    if (o->n_sites == 0) {
        for (size_t i = 0; i < cfg->n_sites; i++)
            c->sites[c->n_sites++] = &cfg->sites[i];
    } else {
        for (size_t i = 0; i < o->n_sites; i++) {
            const struct kt_site *s = kt_site_config_find(cfg, o->sites[i]);
            if (!s)
                return kt_err_set(err, KT_EINVAL, "%s: no site named '%s'",
                                  cfg->path ? cfg->path : "config", o->sites[i]);
            c->sites[c->n_sites++] = s;
        }
    }
    if (c->n_sites == 0)
        return kt_err_set(err, KT_EINVAL, "%s: no site to crawl", cfg->path ? cfg->path : "config");
    c->user_agent = o->user_agent ? o->user_agent : cfg->crawl.user_agent;
    kt_robots_ua_token(c->user_agent, c->ua_token, sizeof c->ua_token);
    c->concurrency = cfg->crawl.concurrency > 0 ? cfg->crawl.concurrency : 8;
    c->per_host = cfg->crawl.per_host_connections > 0 ? cfg->crawl.per_host_connections : 2;
    c->retries = cfg->crawl.retries >= 0 ? cfg->crawl.retries : 3;
    c->max_redirects = cfg->crawl.max_redirects >= 0 ? cfg->crawl.max_redirects : 5;
    c->max_body = cfg->crawl.max_body ? cfg->crawl.max_body : KT_FETCH_DEFAULT_MAX_BODY;
    c->limits.max_pagination = cfg->crawl.max_pagination > 0 ? cfg->crawl.max_pagination : 50;
    c->limits.calendar_window_days = cfg->crawl.calendar_window_days;
    c->max_per_shape = cfg->crawl.max_per_shape;

    struct kt_fetch_opts fo = {
        .user_agent = c->user_agent,
        .connect_timeout_ms = cfg->crawl.connect_timeout_ms,
        .timeout_ms = cfg->crawl.timeout_ms,
        .low_speed_bytes = cfg->crawl.low_speed_limit,
        .low_speed_secs = cfg->crawl.low_speed_time_s,
        .max_body = (size_t)c->max_body,
        .max_transfers = (unsigned)c->concurrency,
        .max_per_host = (unsigned)c->per_host,
        .resolve = o->resolve,
        .n_resolve = o->n_resolve,
    };
    kt_status st = kt_fetcher_new(&fo, &c->fetcher, err);
    if (st != KT_OK)
        return st;
    st = kt_archive_writer(c->archive, &c->w, err);
    if (st != KT_OK)
        return st;
    st = kt_dedup_new(&c->dedup, err);
    if (st != KT_OK)
        return st;
    st = kt_article_store_each_simhash(c->st, add_simhash, c->dedup, err);
    if (st != KT_OK)
        return st;

    /* revisit listings, feeds, sitemaps and seeds of these sites with conditional GET */
    int64_t now = (int64_t)time(NULL);
    unsigned mask =
        1u << KT_URL_SEED | 1u << KT_URL_SITEMAP | 1u << KT_URL_FEED | 1u << KT_URL_LISTING;
    for (size_t i = 0; i < c->n_sites; i++) {
        struct crawl_host *h = crawl_host_for(c, c->sites[i]->base_url, c->sites[i]);
        if (!h)
            return kt_err_set(err, KT_ENOMEM, "crawl: out of memory");
        st = kt_crawl_requeue_kinds(c->st, mask, h->key, false, now, NULL, err);
        if (st != KT_OK)
            return st;
    }
    st = kt_crawl_begin(c->st, err);
    if (st != KT_OK)
        return st;
    c->in_batch = true;
    c->batch_started_ms = kt_now_ms();
    for (size_t i = 0; i < c->n_sites && st == KT_OK; i++)
        st = add_configured(c, c->sites[i]);
    if (st == KT_OK)
        st = checkpoint(c);
    if (st != KT_OK) {
        *err = c->fatal_err;
        return st;
    }
    /* hosts with rows left from earlier runs (queued, or failed with a retry time) */
    struct kt_strmap seen = {0};
    st = kt_crawl_iter(c->st, KT_URL_QUEUED, -1, collect_host, &seen, err);
    if (st == KT_OK)
        st = kt_crawl_iter(c->st, KT_URL_FAILED, -1, collect_host, &seen, err);
    for (size_t i = 0; st == KT_OK && i < seen.cap; i++) {
        if (!seen.e[i].key)
            continue;
        const struct kt_site *s = crawl_site_for(c, seen.e[i].sval);
        if (s)
            crawl_host_for(c, seen.e[i].sval, s);
    }
    kt_strmap_free(&seen);
    return st;
}

static void progress(struct crawl *c)
{
    if (!c->cb || !c->cb->progress)
        return;
    struct kt_crawl_progress p = {0};
    p.elapsed_ms = kt_now_ms() - c->t0_ms;
    p.fetched = c->sum->fetched;
    p.in_flight = c->in_flight;
    for (size_t i = 0; i < c->n_hosts; i++)
        p.queued += (int64_t)c->hosts[i]->qlen;
    p.articles = c->sum->new_articles;
    p.errors = c->sum->errors;
    p.bytes = c->sum->bytes;
    p.pages_per_s = p.elapsed_ms > 0 ? (double)p.fetched * 1000.0 / (double)p.elapsed_ms : 0;
    c->cb->progress(c->cb->ud, &p);
}

static void teardown(struct crawl *c)
{
    if (c->fetcher) {
        kt_fetcher_abort_all(c->fetcher, on_done, c);
        kt_fetcher_free(c->fetcher);
        c->fetcher = NULL;
    }
    for (size_t i = 0; i < c->n_hosts; i++) {
        struct crawl_host *h = c->hosts[i];
        struct crawl_item *it;
        while ((it = q_pop(h))) {
            if (c->fatal == KT_OK)
                requeue_item(c, it);
            else
                item_free(it);
        }
    }
    if (c->fatal == KT_OK)
        checkpoint(c);
    else if (c->in_batch) {
        kt_crawl_rollback(c->st, NULL);
        c->in_batch = false;
    }
    for (size_t i = 0; i < c->n_hosts; i++) {
        struct crawl_host *h = c->hosts[i];
        kt_robots_free(h->robots);
        free(h->retry_ms);
        free(h->q);
        free(h->key);
        free(h->origin);
        free(h);
    }
    free(c->hosts);
    c->hosts = NULL;
    c->n_hosts = 0;
    free(c->sites);
    free(c->site_pages);
    kt_strmap_free(&c->shapes);
    kt_strmap_free(&c->redir_out);
    kt_strmap_free(&c->redir_hops);
    kt_dedup_free(c->dedup);
}

static void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void finish_run(struct crawl *c, int64_t run_id, const char *status)
{
    int64_t counts[KT_URL_STATE_COUNT] = {0};
    if (kt_crawl_counts(c->st, NULL, counts, NULL) == KT_OK)
        c->sum->queued_left = counts[KT_URL_QUEUED];
    c->sum->warc_bytes = (int64_t)kt_warc_writer_bytes(c->w);
    c->sum->elapsed_ms = kt_now_ms() - c->t0_ms;
    char ej[512];
    size_t off = 0;
    ej[off++] = '{';
    for (int k = 0; k < KT_CRAWL_ERR_COUNT; k++) {
        if (!c->sum->errors_by_kind[k])
            continue;
        int n = snprintf(ej + off, sizeof ej - off, "%s\"%s\":%lld", off > 1 ? "," : "",
                         error_names[k], (long long)c->sum->errors_by_kind[k]);
        if (n < 0 || (size_t)n >= sizeof ej - off - 2)
            break;
        off += (size_t)n;
    }
    ej[off++] = '}';
    ej[off] = 0;
    struct kt_run_counters rc = {
        .fetched = c->sum->fetched,
        .new_urls = c->sum->new_urls,
        .new_articles = c->sum->new_articles,
        .revisits = c->sum->not_modified + c->sum->identical,
        .robots_blocked = c->sum->robots_blocked,
        .errors = c->sum->errors,
        .bytes = c->sum->bytes,
        .warc_bytes = c->sum->warc_bytes,
        .errors_json = ej,
        .status = status,
    };
    if (run_id > 0)
        kt_crawl_run_finish(c->st, run_id, &rc, NULL);
}

kt_status kt_crawl_run(const struct kt_crawl_opts *opts, struct kt_archive *archive,
                       const struct kt_crawl_callbacks *cb, struct kt_crawl_summary *summary,
                       struct kt_err *err)
{
    memset(summary, 0, sizeof *summary);
    if (!opts || !opts->config || !archive)
        return kt_err_set(err, KT_EINVAL, "crawl: no configuration or archive given");
    struct crawl c;
    memset(&c, 0, sizeof c);
    c.opts = opts;
    c.cfg = opts->config;
    c.archive = archive;
    c.st = kt_archive_state(archive);
    c.cb = cb;
    c.sum = summary;
    c.t0_ms = kt_now_ms();
    int64_t run_id = 0;
    kt_status st = kt_crawl_run_begin(c.st, c.cfg->path ? c.cfg->path : "seed crawl", &run_id, err);
    if (st == KT_OK)
        st = setup(&c, err);
    if (st != KT_OK) {
        teardown(&c);
        finish_run(&c, run_id, "failed");
        return st;
    }
    int64_t last_refill = 0, last_progress = kt_now_ms();
    int progress_ms = opts->progress_ms > 0 ? opts->progress_ms : 1000;
    bool need_refill = true;
    while (c.fatal == KT_OK) {
        if (opts->stop && *opts->stop) {
            summary->interrupted = true;
            break;
        }
        int64_t now = kt_now_ms();
        if (need_refill || now - last_refill >= 250) {
            refill(&c);
            last_refill = now;
            need_refill = false;
        }
        dispatch(&c);
        if (c.fatal != KT_OK)
            break;
        int64_t next = 0;
        if (!work_left(&c, now, &next))
            break;
        if (kt_fetcher_pending(c.fetcher) > 0) {
            struct kt_err ferr = {0};
            int64_t before = summary->fetched;
            if (kt_fetcher_run(c.fetcher, 50, on_done, &c, &ferr) != KT_OK) {
                crawl_fatal(&c, ferr.code, &ferr);
                break;
            }
            if (summary->fetched != before)
                need_refill = true;
        } else {
            sleep_ms(20);
            if (next && kt_now_ms() >= next)
                need_refill = true;
        }
        now = kt_now_ms();
        if (c.in_batch && (c.batch_n >= BATCH_RECORDS || now - c.batch_started_ms >= BATCH_MS))
            checkpoint(&c);
        if (now - last_progress >= progress_ms) {
            progress(&c);
            last_progress = now;
        }
    }
    progress(&c);
    teardown(&c);
    kt_status ret = c.fatal;
    if (ret != KT_OK && err)
        *err = c.fatal_err;
    finish_run(&c, run_id, ret != KT_OK ? "failed" : summary->interrupted ? "interrupted" : "ok");
    if (ret == KT_OK && summary->interrupted)
        ret = kt_err_set(err, KT_EINTERRUPTED,
                         "crawl interrupted: finished records kept, %lld "
                         "URLs left queued",
                         (long long)summary->queued_left);
    return ret;
}

/* ---------------------------- Retry-After ---------------------------- */

int64_t kt_parse_retry_after(const char *v, int64_t now_unix)
{
    if (!v)
        return -1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (*v >= '0' && *v <= '9') {
        char *end = NULL;
        long long s = strtoll(v, &end, 10);
        while (end && (*end == ' ' || *end == '\t'))
            end++;
        if (!end || *end || s < 0)
            return -1;
        return (int64_t)s;
    }
    /* IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (the obsolete forms are rare; rejected) */
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char wd[4], mon[4], zone[4];
    int day, year, hh, mm, ss;
    if (sscanf(v, "%3s, %d %3s %d %d:%d:%d %3s", wd, &day, mon, &year, &hh, &mm, &ss, zone) != 8)
        return -1;
    if (strcmp(zone, "GMT") != 0)
        return -1;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (strcmp(mon, months[i]) == 0)
            m = i;
    if (m < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || year < 1970)
        return -1;
    /* days from civil (Howard Hinnant's algorithm) */
    int y = year - (m < 2);
    int era = y / 400;
    int yoe = y - era * 400;
    int mp = (m + 10) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    int64_t t = days * 86400 + hh * 3600 + mm * 60 + ss;
    return t > now_unix ? t - now_unix : 0;
}
