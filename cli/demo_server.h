/* demo_server.h - a small static-file HTTP server on 127.0.0.1 for `khotin demo`: serves the
 * bundled sample site with the links rewritten to the address it listens on. */
#ifndef KHOTIN_CLI_DEMO_SERVER_H
#define KHOTIN_CLI_DEMO_SERVER_H

#include "common/kt_common.h"

struct demo_server;

/* Serves the files under root on 127.0.0.1 at an ephemeral port, replacing the placeholder base
 * URL "http://tinthudo.test" in text files by the server's own base URL. *out is NULL on error.
 * Errors: KT_ENOTFOUND (root missing), KT_ENETWORK (cannot listen). */
kt_status demo_server_start(const char *root, struct demo_server **out, struct kt_err *err);

/* "http://127.0.0.1:PORT" (no trailing slash); owned by the server. */
const char *demo_server_base_url(const struct demo_server *srv);

/* Number of requests answered so far. */
unsigned long demo_server_requests(const struct demo_server *srv);

/* Stops the server and frees it. NULL is a no-op. */
void demo_server_stop(struct demo_server *srv);

#endif
