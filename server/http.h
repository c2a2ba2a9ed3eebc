/* http.h — the HTTP(S) transport: libmicrohttpd in its fastest measured mode
 * (internal polling thread, epoll, a small thread pool; see
 * ../shared/bench-floor/README.md), turning each request into a `request`
 * for dispatch() and each `response` into bytes on the wire.
 *
 * Responses are queued on the second call of the access handler, never the
 * first, because libmicrohttpd 0.9.75 closes a keep-alive connection when a
 * response is queued on the first call. Bodies are buffered up to
 * --max-body; beyond it the rest is read and dropped and the answer is 413.
 */
#ifndef VSPC_HTTP_H
#define VSPC_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "tls.h"

typedef struct http_server http_server;

/* Starts listening on cfg.bind:cfg.port (TLS when tls is not NULL). The app
 * and tls material must outlive the server. NULL on failure, with err. */
http_server *http_start(const app *a, const tls_material *tls, char *err, size_t errlen);

/* The port actually bound (useful with --port 0). */
int http_port(const http_server *s);

/* Stops accepting, finishes in-flight requests, frees everything. */
void http_stop(http_server *s);

#endif
