/* fetch.c - the libcurl multi fetch engine: raw capture of requests and responses, wire-size
 * cap, timeouts, --resolve pins (see fetch.h). */
#define _POSIX_C_SOURCE 200809L
#include "crawler/fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KHOTIN_VERSION
#define KHOTIN_VERSION "0"
#endif

struct transfer {
    struct kt_fetcher *owner;
    CURL *easy;
    struct curl_slist *headers;
    char *url;
    struct kt_fetch_response resp;
    size_t body_bytes;
    bool in_body; /* the blank line after the final head was seen */
    bool too_big;
    struct transfer *next, *prev;
};

struct kt_fetcher {
    CURLM *multi;
    struct curl_slist *resolve;
    char *user_agent;
    struct kt_fetch_opts opts;
    struct transfer *list; /* every transfer added and not finished */
    unsigned n;
};

const char *kt_fetch_default_user_agent(void)
{
    return "khotin/" KHOTIN_VERSION " (archive crawler; +https://khotin.example.org/bot)";
}

static void set_defaults(struct kt_fetch_opts *o)
{
    if (o->connect_timeout_ms <= 0)
        o->connect_timeout_ms = 10000;
    if (o->timeout_ms <= 0)
        o->timeout_ms = 60000;
    if (o->low_speed_bytes <= 0)
        o->low_speed_bytes = 64;
    if (o->low_speed_secs <= 0)
        o->low_speed_secs = 30;
    if (o->max_body == 0)
        o->max_body = KT_FETCH_DEFAULT_MAX_BODY;
    if (o->max_transfers == 0)
        o->max_transfers = 32;
    if (o->max_per_host == 0)
        o->max_per_host = 2;
}

/* "HOST:PORT:ADDR" with a numeric port and non-empty parts. */
static bool resolve_entry_ok(const char *s)
{
    const char *c1 = strchr(s, ':');
    if (!c1 || c1 == s)
        return false;
    const char *c2 = strchr(c1 + 1, ':');
    if (!c2 || c2 == c1 + 1 || !c2[1])
        return false;
    for (const char *p = c1 + 1; p < c2; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

kt_status kt_fetcher_new(const struct kt_fetch_opts *opts, struct kt_fetcher **out,
                         struct kt_err *err)
{
    *out = NULL;
    struct kt_fetcher *f = calloc(1, sizeof *f);
    if (!f)
        return kt_err_set(err, KT_ENOMEM, "fetcher: out of memory");
    if (opts)
        f->opts = *opts;
    set_defaults(&f->opts);
    f->opts.resolve = NULL;
    f->opts.n_resolve = 0;
    f->user_agent =
        strdup(opts && opts->user_agent ? opts->user_agent : kt_fetch_default_user_agent());
    if (!f->user_agent) {
        free(f);
        return kt_err_set(err, KT_ENOMEM, "fetcher: out of memory");
    }
    f->opts.user_agent = f->user_agent;
    for (size_t i = 0; opts && i < opts->n_resolve; i++) {
        if (!resolve_entry_ok(opts->resolve[i])) {
            kt_fetcher_free(f);
            return kt_err_set(err, KT_EINVAL, "--resolve '%s': expected HOST:PORT:ADDR",
                              opts->resolve[i]);
        }
        struct curl_slist *n = curl_slist_append(f->resolve, opts->resolve[i]);
        if (!n) {
            kt_fetcher_free(f);
            return kt_err_set(err, KT_ENOMEM, "fetcher: out of memory");
        }
        f->resolve = n;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        kt_fetcher_free(f);
        return kt_err_set(err, KT_EOTHER, "libcurl could not be initialised");
    }
    f->multi = curl_multi_init();
    if (!f->multi) {
        curl_global_cleanup();
        kt_fetcher_free(f);
        return kt_err_set(err, KT_EOTHER, "libcurl multi handle could not be created");
    }
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->opts.max_per_host);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->opts.max_transfers);
    curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->opts.max_transfers);
    curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    *out = f;
    return KT_OK;
}

static void transfer_free(struct transfer *t)
{
    if (!t)
        return;
    if (t->easy)
        curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    free(t->url);
    kt_buf_free(&t->resp.raw);
    kt_buf_free(&t->resp.request);
    free(t);
}

static void unlink_transfer(struct kt_fetcher *f, struct transfer *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        f->list = t->next;
    if (t->next)
        t->next->prev = t->prev;
    t->next = t->prev = NULL;
    f->n--;
}

void kt_fetcher_free(struct kt_fetcher *f)
{
    if (!f)
        return;
    while (f->list) {
        struct transfer *t = f->list;
        unlink_transfer(f, t);
        if (f->multi && t->easy)
            curl_multi_remove_handle(f->multi, t->easy);
        transfer_free(t);
    }
    if (f->multi) {
        curl_multi_cleanup(f->multi);
        curl_global_cleanup();
    }
    curl_slist_free_all(f->resolve);
    free(f->user_agent);
    free(f);
}

unsigned kt_fetcher_pending(const struct kt_fetcher *f)
{
    return f->n;
}

/* Header lines arrive one by one, exactly as received (HTTP/1.x), including the status line and
 * the blank line; interim 1xx heads are dropped when the next status line starts. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct transfer *t = ud;
    size_t n = size * nmemb;
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        /* a new head: forget any interim (1xx) or earlier head */
        kt_buf_reset(&t->resp.raw);
        t->resp.head_len = 0;
        t->resp.head_complete = false;
        t->in_body = false;
        int maj = 0, st = 0;
        if (sscanf(data, "HTTP/%d%*[.0-9] %d", &maj, &st) == 2 ||
            sscanf(data, "HTTP/%d %d", &maj, &st) == 2)
            t->resp.http_status = st;
    }
    if (t->resp.raw.len + n > 256u * 1024u) /* absurd head */
        return 0;
    if (kt_buf_append(&t->resp.raw, data, n) != KT_OK)
        return 0;
    if ((n == 2 && data[0] == '\r' && data[1] == '\n') || (n == 1 && data[0] == '\n')) {
        t->resp.head_len = t->resp.raw.len;
        t->resp.head_complete = true;
        t->in_body = true;
    }
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct transfer *t = ud;
    size_t n = size * nmemb;
    size_t cap = t->owner->opts.max_body;
    size_t room = t->body_bytes < cap ? cap - t->body_bytes : 0;
    size_t take = n < room ? n : room;
    if (take && kt_buf_append(&t->resp.raw, data, take) != KT_OK)
        return 0;
    t->body_bytes += take;
    if (take < n) {
        t->too_big = true;
        return 0; /* CURLE_WRITE_ERROR stops the transfer */
    }
    return n;
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *ud)
{
    (void)h;
    struct transfer *t = ud;
    if (type == CURLINFO_HEADER_OUT) {
        /* a new request head (e.g. after a connection retry) replaces the earlier one */
        if (size >= 4 && t->resp.request.len && t->resp.request.len >= 4 &&
            memcmp(t->resp.request.data + t->resp.request.len - 4, "\r\n\r\n", 4) == 0)
            kt_buf_reset(&t->resp.request);
        kt_buf_append(&t->resp.request, data, size);
    }
    return 0;
}

static kt_status add_header(struct transfer *t, const char *name, const char *value,
                            struct kt_err *err)
{
    char line[2048];
    int n = snprintf(line, sizeof line, "%s: %s", name, value);
    if (n < 0 || (size_t)n >= sizeof line)
        return KT_OK; /* an absurd validator is simply not sent */
    struct curl_slist *s = curl_slist_append(t->headers, line);
    if (!s)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", t->url);
    t->headers = s;
    return KT_OK;
}

kt_status kt_fetcher_add(struct kt_fetcher *f, const struct kt_fetch_request *req,
                         struct kt_err *err)
{
    struct transfer *t = calloc(1, sizeof *t);
    if (!t)
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", req->url);
    t->owner = f;
    t->url = strdup(req->url);
    t->easy = curl_easy_init();
    if (!t->url || !t->easy) {
        transfer_free(t);
        return kt_err_set(err, KT_ENOMEM, "%s: out of memory", req->url);
    }
    t->resp.url = t->url;
    t->resp.user = req->user;
    t->resp.started_us = kt_wall_us();
    kt_status st = add_header(
        t, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", err);
    if (st == KT_OK)
        st = add_header(t, "Accept-Encoding", "gzip, deflate", err);
    if (st == KT_OK)
        st = add_header(t, "Accept-Language", "vi,en;q=0.5", err);
    if (st == KT_OK && req->if_none_match && *req->if_none_match)
        st = add_header(t, "If-None-Match", req->if_none_match, err);
    if (st == KT_OK && req->if_modified_since && *req->if_modified_since)
        st = add_header(t, "If-Modified-Since", req->if_modified_since, err);
    if (st != KT_OK) {
        transfer_free(t);
        return st;
    }
    CURL *e = t->easy;
    const struct kt_fetch_opts *o = &f->opts;
    curl_easy_setopt(e, CURLOPT_URL, t->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_secs);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (f->resolve)
        curl_easy_setopt(e, CURLOPT_RESOLVE, f->resolve);
    CURLMcode mc = curl_multi_add_handle(f->multi, e);
    if (mc != CURLM_OK) {
        transfer_free(t);
        return kt_err_set(err, KT_EOTHER, "%s: %s", req->url, curl_multi_strerror(mc));
    }
    t->next = f->list;
    if (f->list)
        f->list->prev = t;
    f->list = t;
    f->n++;
    return KT_OK;
}

static void finish(struct kt_fetcher *f, struct transfer *t, CURLcode rc, kt_fetch_done_cb done,
                   void *ctx)
{
    struct kt_fetch_response *r = &t->resp;
    char *ip = NULL;
    if (curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
        snprintf(r->ip, sizeof r->ip, "%s", ip);
    r->elapsed_ms = (kt_wall_us() - r->started_us) / 1000;
    if (t->too_big) {
        r->status = KT_ETOOBIG;
        snprintf(r->error, sizeof r->error, "%s: body larger than %zu bytes, stopped", t->url,
                 f->opts.max_body);
    } else if (rc == CURLE_OK && r->head_complete) {
        r->status = KT_OK;
    } else if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) {
        r->status = KT_EINVAL;
        snprintf(r->error, sizeof r->error, "%s: %s", t->url, curl_easy_strerror(rc));
    } else {
        r->status = KT_ENETWORK;
        snprintf(r->error, sizeof r->error, "%s: %s", t->url,
                 rc == CURLE_OK ? "incomplete response" : curl_easy_strerror(rc));
    }
    curl_multi_remove_handle(f->multi, t->easy);
    unlink_transfer(f, t);
    if (done)
        done(ctx, r);
    transfer_free(t);
}

kt_status kt_fetcher_run(struct kt_fetcher *f, int wait_ms, kt_fetch_done_cb done, void *ctx,
                         struct kt_err *err)
{
    int running = 0;
    CURLMcode mc = curl_multi_perform(f->multi, &running);
    if (mc != CURLM_OK)
        return kt_err_set(err, KT_EOTHER, "libcurl: %s", curl_multi_strerror(mc));
    bool any = false;
    for (;;) {
        int left = 0;
        CURLMsg *m = curl_multi_info_read(f->multi, &left);
        if (!m)
            break;
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        CURLcode rc = m->data.result;
        if (t) {
            finish(f, t, rc, done, ctx);
            any = true;
        }
    }
    if (any || f->n == 0 || wait_ms <= 0)
        return KT_OK;
    int numfds = 0;
    mc = curl_multi_poll(f->multi, NULL, 0, wait_ms, &numfds);
    if (mc != CURLM_OK)
        return kt_err_set(err, KT_EOTHER, "libcurl: %s", curl_multi_strerror(mc));
    mc = curl_multi_perform(f->multi, &running);
    if (mc != CURLM_OK)
        return kt_err_set(err, KT_EOTHER, "libcurl: %s", curl_multi_strerror(mc));
    for (;;) {
        int left = 0;
        CURLMsg *m = curl_multi_info_read(f->multi, &left);
        if (!m)
            break;
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        if (t)
            finish(f, t, m->data.result, done, ctx);
    }
    return KT_OK;
}

void kt_fetcher_abort_all(struct kt_fetcher *f, kt_fetch_done_cb done, void *ctx)
{
    while (f->list) {
        struct transfer *t = f->list;
        t->resp.status = KT_EINTERRUPTED;
        snprintf(t->resp.error, sizeof t->resp.error, "%s: interrupted", t->url);
        curl_multi_remove_handle(f->multi, t->easy);
        unlink_transfer(f, t);
        if (done)
            done(ctx, &t->resp);
        transfer_free(t);
    }
}

struct one_ctx {
    struct kt_fetch_response *out;
    bool done;
};

static void one_done(void *ctx, struct kt_fetch_response *r)
{
    struct one_ctx *c = ctx;
    struct kt_fetch_response *o = c->out;
    *o = *r;
    o->url = NULL;
    memset(&r->raw, 0, sizeof r->raw);
    memset(&r->request, 0, sizeof r->request);
    c->done = true;
}

kt_status kt_fetch_one(const struct kt_fetch_opts *opts, const struct kt_fetch_request *req,
                       struct kt_fetch_response *out, struct kt_err *err)
{
    memset(out, 0, sizeof *out);
    struct kt_fetcher *f = NULL;
    kt_status st = kt_fetcher_new(opts, &f, err);
    if (st != KT_OK)
        return st;
    st = kt_fetcher_add(f, req, err);
    struct one_ctx c = {out, false};
    while (st == KT_OK && !c.done)
        st = kt_fetcher_run(f, 200, one_done, &c, err);
    kt_fetcher_free(f);
    if (st != KT_OK)
        return st;
    if (out->status != KT_OK)
        kt_err_set(err, out->status, "%s", out->error);
    return out->status;
}

void kt_fetch_response_free(struct kt_fetch_response *r)
{
    if (!r)
        return;
    kt_buf_free(&r->raw);
    kt_buf_free(&r->request);
    memset(r, 0, sizeof *r);
}
