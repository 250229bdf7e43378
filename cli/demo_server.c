/* demo_server.c - static files over libmicrohttpd for the demo, with the base URL rewritten. */
#define _GNU_SOURCE
#include "cli/demo_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLACEHOLDER "http://tinthudo.test"

struct demo_server {
    struct MHD_Daemon *daemon;
    char *root;
    char base[64];
    atomic_ulong requests;
};

static const char *content_type_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".xml") == 0)
        return "application/xml";
    if (strcmp(dot, ".rss") == 0)
        return "application/rss+xml";
    if (strcmp(dot, ".txt") == 0)
        return "text/plain; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css";
    return "application/octet-stream";
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, const char *type,
                             struct kt_buf *body)
{
    size_t len = body->len;
    char *data = kt_buf_detach(body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, data ? data : "", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Server", "khotin-demo");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **req_cls)
{
    (void)version;
    (void)upload;
    (void)upload_len;
    (void)req_cls;
    struct demo_server *srv = cls;
    atomic_fetch_add(&srv->requests, 1);
    struct kt_buf body = {0};
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        kt_buf_append_cstr(&body, "method not allowed\n");
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", &body);
    }
    if (strstr(url, "..") || url[0] != '/') {
        kt_buf_append_cstr(&body, "bad path\n");
        return reply(conn, MHD_HTTP_BAD_REQUEST, "text/plain", &body);
    }
    char path[4096];
    int n = snprintf(path, sizeof path, "%s%s%s", srv->root, url,
                     url[strlen(url) - 1] == '/' ? "index.html" : "");
    struct stat st;
    if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        kt_buf_append_cstr(&body,
                           "<!DOCTYPE html><title>404</title><p>Không tìm thấy trang.</p>\n");
        return reply(conn, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", &body);
    }
    struct kt_buf raw = {0};
    struct kt_err err = {0};
    if (kt_read_file(path, 16u << 20, &raw, &err) != KT_OK ||
        kt_buf_append_replacing(&body, raw.data, raw.len, PLACEHOLDER, srv->base) != KT_OK) {
        kt_buf_free(&raw);
        kt_buf_reset(&body);
        kt_buf_append_cstr(&body, "server error\n");
        return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", &body);
    }
    kt_buf_free(&raw);
    return reply(conn, MHD_HTTP_OK, content_type_for(path), &body);
}

kt_status demo_server_start(const char *root, struct demo_server **out, struct kt_err *err)
{
    *out = NULL;
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode))
        return kt_err_set(err, KT_ENOTFOUND, "%s: sample site directory not found", root);
    struct demo_server *srv = calloc(1, sizeof *srv);
    if (!srv || !(srv->root = strdup(root))) {
        free(srv);
        return kt_err_set(err, KT_ENOMEM, "demo server: out of memory");
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    srv->daemon =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, handle, srv, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_END);
    if (!srv->daemon) {
        free(srv->root);
        free(srv);
        return kt_err_set(err, KT_ENETWORK, "demo server: cannot listen on 127.0.0.1");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(srv->base, sizeof srv->base, "http://127.0.0.1:%u", info ? info->port : 0);
    *out = srv;
    return KT_OK;
}

const char *demo_server_base_url(const struct demo_server *srv)
{
    return srv->base;
}

unsigned long demo_server_requests(const struct demo_server *srv)
{
    return atomic_load(&((struct demo_server *)srv)->requests);
}

void demo_server_stop(struct demo_server *srv)
{
    if (!srv)
        return;
    MHD_stop_daemon(srv->daemon);
    free(srv->root);
    free(srv);
}
