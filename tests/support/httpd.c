/* httpd.c - the libmicrohttpd loopback server used by tests and benchmarks (see httpd.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include "tests/support/httpd.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

struct route {
    struct tu_route r; /* strings point to owned copies below */
    char *host, *target, *content_type, *location, *etag, *last_modified, *headers, *retry_after;
    char *body;
    size_t body_len;
    bool body_gzipped; /* body holds gzip data */
    unsigned hits;
};

struct tu_httpd {
    struct MHD_Daemon *daemon;
    unsigned port;
    pthread_mutex_t lock;
    struct route **routes;
    size_t n_routes;
    struct tu_httpd_log_entry *log;
    size_t n_log, cap_log;
};

/* Per-request state created by the URI log callback. */
struct req_state {
    char *target;
    bool seen;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void sleep_ms(int ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static bool gzip_stream(const void *data, size_t len, size_t zeros, struct kt_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    static const unsigned char zero_block[65536];
    unsigned char obuf[65536];
    size_t fed = 0, total = data ? len : zeros;
    int rc = Z_OK;
    do {
        size_t chunk = total - fed > sizeof zero_block ? sizeof zero_block : total - fed;
        z.next_in = (Bytef *)(data ? (const unsigned char *)data + fed : zero_block);
        z.avail_in = (uInt)chunk;
        fed += chunk;
        int flush = fed == total ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = obuf;
            z.avail_out = sizeof obuf;
            rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR ||
                kt_buf_append(out, obuf, sizeof obuf - z.avail_out) != KT_OK) {
                deflateEnd(&z);
                return false;
            }
        } while (z.avail_out == 0);
    } while (fed < total);
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

bool tu_gzip(const void *data, size_t len, struct kt_buf *out)
{
    return gzip_stream(data ? data : "", len, 0, out);
}

bool tu_gzip_zeros(size_t n, struct kt_buf *out)
{
    return gzip_stream(NULL, 0, n, out);
}

static void free_route(struct route *rt)
{
    if (!rt)
        return;
    free(rt->host);
    free(rt->target);
    free(rt->content_type);
    free(rt->location);
    free(rt->etag);
    free(rt->last_modified);
    free(rt->headers);
    free(rt->retry_after);
    free(rt->body);
    free(rt);
}

bool tu_httpd_add(struct tu_httpd *srv, const struct tu_route *in)
{
    struct route *rt = calloc(1, sizeof *rt);
    if (!rt)
        return false;
    rt->r = *in;
    rt->host = dup_or_null(in->host);
    rt->target = dup_or_null(in->target ? in->target : "*");
    rt->content_type = dup_or_null(in->content_type);
    rt->location = dup_or_null(in->location);
    rt->etag = dup_or_null(in->etag);
    rt->last_modified = dup_or_null(in->last_modified);
    rt->headers = dup_or_null(in->headers);
    rt->retry_after = dup_or_null(in->retry_after);
    size_t blen = in->body ? (in->body_len ? in->body_len : strlen(in->body)) : 0;
    bool ok = rt->target != NULL;
    if (in->gzip && !in->body_is_gzip) {
        struct kt_buf z = {0};
        ok = ok && tu_gzip(in->body ? in->body : "", blen, &z);
        rt->body = z.data;
        rt->body_len = z.len;
        if (!rt->body)
            rt->body = calloc(1, 1);
        rt->body_gzipped = true;
    } else {
        rt->body = malloc(blen + 1);
        if (rt->body) {
            if (blen)
                memcpy(rt->body, in->body, blen);
            rt->body[blen] = 0;
        }
        rt->body_len = blen;
        rt->body_gzipped = in->body_is_gzip;
    }
    if (!ok || !rt->body) {
        free_route(rt);
        return false;
    }
    pthread_mutex_lock(&srv->lock);
    struct route **nr = realloc(srv->routes, (srv->n_routes + 1) * sizeof *nr);
    if (nr) {
        srv->routes = nr;
        srv->routes[srv->n_routes++] = rt;
    }
    pthread_mutex_unlock(&srv->lock);
    if (!nr)
        free_route(rt);
    return nr != NULL;
}

static bool target_matches(const char *pattern, const char *target)
{
    size_t n = strlen(pattern);
    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, target, n - 1) == 0;
    return strcmp(pattern, target) == 0;
}

/* Finds the route and counts the hit; returns the hit index through *hits. */
static struct route *find_route(struct tu_httpd *srv, const char *host, const char *target,
                                unsigned *hits)
{
    struct route *found = NULL;
    pthread_mutex_lock(&srv->lock);
    for (size_t i = 0; i < srv->n_routes && !found; i++) {
        struct route *rt = srv->routes[i];
        if (rt->host && strcasecmp(rt->host, host) != 0)
            continue;
        if (target_matches(rt->target, target))
            found = rt;
    }
    if (found)
        *hits = found->hits++;
    pthread_mutex_unlock(&srv->lock);
    return found;
}

static char *log_dup(const char *s)
{
    return strdup(s ? s : "");
}

static void log_request(struct tu_httpd *srv, int64_t t_ms, const char *method,
                        const struct tu_httpd_request *rq, int status)
{
    struct tu_httpd_log_entry e;
    memset(&e, 0, sizeof e);
    e.t_ms = t_ms;
    snprintf(e.method, sizeof e.method, "%s", method);
    e.status = status;
    e.host = log_dup(rq->host);
    e.target = log_dup(rq->target);
    e.user_agent = log_dup(rq->user_agent);
    e.if_none_match = log_dup(rq->if_none_match);
    e.if_modified_since = log_dup(rq->if_modified_since);
    e.accept_encoding = log_dup(rq->accept_encoding);
    pthread_mutex_lock(&srv->lock);
    if (srv->n_log == srv->cap_log) {
        size_t nc = srv->cap_log ? srv->cap_log * 2 : 256;
        struct tu_httpd_log_entry *nl = realloc(srv->log, nc * sizeof *nl);
        if (nl) {
            srv->log = nl;
            srv->cap_log = nc;
        }
    }
    if (srv->n_log < srv->cap_log) {
        srv->log[srv->n_log++] = e;
        memset(&e, 0, sizeof e);
    }
    pthread_mutex_unlock(&srv->lock);
    free(e.host);
    free(e.target);
    free(e.user_agent);
    free(e.if_none_match);
    free(e.if_modified_since);
    free(e.accept_encoding);
}

static bool etag_matches(const char *inm, const char *etag)
{
    if (!inm || !etag)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    return strstr(inm, etag) != NULL;
}

static void add_header_lines(struct MHD_Response *resp, const char *lines)
{
    const char *p = lines;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        if (len < sizeof line) {
            memcpy(line, p, len);
            line[len] = 0;
            char *colon = strchr(line, ':');
            if (colon) {
                *colon = 0;
                const char *v = colon + 1;
                while (*v == ' ')
                    v++;
                MHD_add_response_header(resp, line, v);
            }
        }
        p = nl ? nl + 1 : NULL;
    }
}

struct chunk_src {
    char *data;
    size_t len;
    bool owned;
};

static ssize_t chunk_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct chunk_src *s = cls;
    if (pos >= s->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = s->len - (size_t)pos;
    if (n > max)
        n = max;
    if (n > 4096) /* several chunks even for small pages */
        n = 4096;
    memcpy(buf, s->data + pos, n);
    return (ssize_t)n;
}

static void chunk_free(void *cls)
{
    struct chunk_src *s = cls;
    if (s->owned)
        free(s->data);
    free(s);
}

/* Builds an MHD response over data (copied when !persistent). */
static struct MHD_Response *make_body(const char *data, size_t len, bool chunked, bool persistent)
{
    if (!chunked)
        return MHD_create_response_from_buffer(
            len, (void *)data, persistent ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    struct chunk_src *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (persistent) {
        s->data = (char *)data;
    } else {
        s->data = malloc(len + 1);
        if (!s->data) {
            free(s);
            return NULL;
        }
        memcpy(s->data, data, len);
        s->owned = true;
    }
    s->len = len;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, chunk_reader, s, chunk_free);
    if (!r)
        chunk_free(s);
    return r;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    (void)upload;
    struct tu_httpd *srv = cls;
    struct req_state *st = *con_cls;
    if (!st)
        return MHD_NO;
    if (!st->seen) {
        st->seen = true;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    int64_t t0 = kt_now_ms();
    char host[256] = "";
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    if (h) {
        snprintf(host, sizeof host, "%s", h);
        char *colon = strrchr(host, ':');
        if (colon && !strchr(host, ']'))
            *colon = 0;
    }
    struct tu_httpd_request rq = {
        .method = method,
        .target = st->target ? st->target : "/",
        .host = host,
        .if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match"),
        .if_modified_since =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-Modified-Since"),
        .accept_encoding = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding"),
        .user_agent = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent"),
    };
    unsigned hits = 0;
    struct route *rt = find_route(srv, host, rq.target, &hits);
    rq.hits = hits;
    struct MHD_Response *resp = NULL;
    int status = 404;
    if (rt)
        sleep_ms(rt->r.delay_ms);
    if (!rt) {
        static const char nf[] = "<html><body><h1>404 Not Found</h1></body></html>";
        resp = MHD_create_response_from_buffer(sizeof nf - 1, (void *)nf, MHD_RESPMEM_PERSISTENT);
        if (resp)
            MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    } else if (hits < rt->r.fail_times) {
        status = rt->r.fail_status ? rt->r.fail_status : 500;
        static const char fail[] = "<html><body>try later</body></html>";
        resp =
            MHD_create_response_from_buffer(sizeof fail - 1, (void *)fail, MHD_RESPMEM_PERSISTENT);
        if (resp && rt->retry_after)
            MHD_add_response_header(resp, "Retry-After", rt->retry_after);
        if (resp)
            MHD_add_response_header(resp, "Content-Type", "text/html");
    } else if (rt->r.handler) {
        struct tu_httpd_reply rep = {.status = 200};
        snprintf(rep.content_type, sizeof rep.content_type, "text/html; charset=utf-8");
        rt->r.handler(&rq, &rep, rt->r.handler_data);
        status = rep.status;
        resp = make_body(rep.body.data ? rep.body.data : "", rep.body.len, rep.chunked, false);
        if (resp) {
            if (rep.content_type[0])
                MHD_add_response_header(resp, "Content-Type", rep.content_type);
            add_header_lines(resp, rep.headers.data);
        }
        kt_buf_free(&rep.body);
        kt_buf_free(&rep.headers);
    } else if (etag_matches(rq.if_none_match, rt->etag) ||
               (!rq.if_none_match && rq.if_modified_since && rt->last_modified &&
                strcmp(rq.if_modified_since, rt->last_modified) == 0)) {
        status = 304;
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (resp && rt->etag)
            MHD_add_response_header(resp, "ETag", rt->etag);
    } else {
        status = rt->r.status ? rt->r.status : 200;
        resp = make_body(rt->body, rt->body_len, rt->r.chunked, true);
        if (resp) {
            const char *ct = rt->content_type ? rt->content_type : "text/html; charset=utf-8";
            if (*ct)
                MHD_add_response_header(resp, "Content-Type", ct);
            if (rt->body_gzipped)
                MHD_add_response_header(resp, "Content-Encoding", "gzip");
            if (rt->location)
                MHD_add_response_header(resp, "Location", rt->location);
            if (rt->etag)
                MHD_add_response_header(resp, "ETag", rt->etag);
            if (rt->last_modified)
                MHD_add_response_header(resp, "Last-Modified", rt->last_modified);
            add_header_lines(resp, rt->headers);
        }
    }
    log_request(srv, t0, method, &rq, status);
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct req_state *st = calloc(1, sizeof *st);
    if (st)
        st->target = strdup(uri ? uri : "/");
    return st;
}

static void request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct req_state *st = *con_cls;
    if (st) {
        free(st->target);
        free(st);
    }
    *con_cls = NULL;
}

struct tu_httpd *tu_httpd_start(void)
{
    struct tu_httpd *srv = calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    pthread_mutex_init(&srv->lock, NULL);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL,
        NULL, answer, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, srv, MHD_OPTION_NOTIFY_COMPLETED, request_done,
        srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)512, MHD_OPTION_END);
    if (!srv->daemon) {
        pthread_mutex_destroy(&srv->lock);
        free(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    return srv;
}

void tu_httpd_stop(struct tu_httpd *srv)
{
    if (!srv)
        return;
    MHD_stop_daemon(srv->daemon);
    for (size_t i = 0; i < srv->n_routes; i++)
        free_route(srv->routes[i]);
    free(srv->routes);
    tu_httpd_log_free(srv->log, srv->n_log);
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}

unsigned tu_httpd_port(const struct tu_httpd *srv)
{
    return srv->port;
}

char *tu_httpd_url(const struct tu_httpd *srv, const char *path)
{
    size_t n = strlen(path) + 40;
    char *u = malloc(n);
    if (u)
        snprintf(u, n, "http://127.0.0.1:%u%s", srv->port, path);
    return u;
}

struct tu_httpd_log_entry *tu_httpd_log(struct tu_httpd *srv, size_t *n)
{
    pthread_mutex_lock(&srv->lock);
    size_t cnt = srv->n_log;
    struct tu_httpd_log_entry *out = calloc(cnt ? cnt : 1, sizeof *out);
    if (out) {
        for (size_t i = 0; i < cnt; i++) {
            const struct tu_httpd_log_entry *e = &srv->log[i];
            out[i] = *e;
            out[i].host = log_dup(e->host);
            out[i].target = log_dup(e->target);
            out[i].user_agent = log_dup(e->user_agent);
            out[i].if_none_match = log_dup(e->if_none_match);
            out[i].if_modified_since = log_dup(e->if_modified_since);
            out[i].accept_encoding = log_dup(e->accept_encoding);
        }
    }
    pthread_mutex_unlock(&srv->lock);
    *n = out ? cnt : 0;
    return out;
}

void tu_httpd_log_free(struct tu_httpd_log_entry *log, size_t n)
{
    for (size_t i = 0; log && i < n; i++) {
        free(log[i].host);
        free(log[i].target);
        free(log[i].user_agent);
        free(log[i].if_none_match);
        free(log[i].if_modified_since);
        free(log[i].accept_encoding);
    }
    free(log);
}

size_t tu_httpd_log_count(struct tu_httpd *srv)
{
    pthread_mutex_lock(&srv->lock);
    size_t n = srv->n_log;
    pthread_mutex_unlock(&srv->lock);
    return n;
}

void tu_httpd_log_reset(struct tu_httpd *srv)
{
    pthread_mutex_lock(&srv->lock);
    tu_httpd_log_free(srv->log, srv->n_log);
    srv->log = NULL;
    srv->n_log = srv->cap_log = 0;
    for (size_t i = 0; i < srv->n_routes; i++)
        srv->routes[i]->hits = 0;
    pthread_mutex_unlock(&srv->lock);
}

size_t tu_httpd_count(struct tu_httpd *srv, const char *host, const char *target)
{
    size_t c = 0;
    pthread_mutex_lock(&srv->lock);
    for (size_t i = 0; i < srv->n_log; i++)
        if (strcmp(srv->log[i].target, target) == 0 &&
            (!host || strcmp(srv->log[i].host, host) == 0))
            c++;
    pthread_mutex_unlock(&srv->lock);
    return c;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int64_t tu_httpd_min_gap_ms(struct tu_httpd *srv, const char *host)
{
    int64_t best = -1;
    pthread_mutex_lock(&srv->lock);
    int64_t *t = malloc((srv->n_log ? srv->n_log : 1) * sizeof *t);
    size_t n = 0;
    for (size_t i = 0; t && i < srv->n_log; i++) {
        const struct tu_httpd_log_entry *e = &srv->log[i];
        if (host && strcmp(e->host, host) != 0)
            continue;
        if (strcmp(e->target, "/robots.txt") == 0)
            continue;
        t[n++] = e->t_ms;
    }
    pthread_mutex_unlock(&srv->lock);
    if (t)
        qsort(t, n, sizeof *t, cmp_i64);
    for (size_t i = 1; i < n; i++)
        if (best < 0 || t[i] - t[i - 1] < best)
            best = t[i] - t[i - 1];
    free(t);
    return best;
}
