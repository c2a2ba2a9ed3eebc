/* http.h — the HTTP(S) transport: libmicrohttpd in its fastest measured mode
 * (internal polling thread, epoll, a small thread pool; see
 * ../shared/bench-floor/README.md), turning each request into a `request`
 * for dispatch() and each `response` into bytes on the wire.
 *
 * Responses are queued on the second call of the access handler, never the
 * first, because libmicrohttpd 0.9.75 closes a keep-alive connection when a
 * response is queued on the first call — except a refusal of the request's
 * head, which is meant to close it.
 *
 * Limits, each answered with VSPC's error envelope at once (on the first
 * call, before any body is read), never with a dropped connection:
 *   - request-target: uri.h (URI_MAX_TARGET, URI_MAX_PATH: 414;
 *     URI_MAX_PARAMS query pairs: 400; a NUL in the path, a query name or
 *     value: 400 naming it);
 *   - headers: at most HTTP_MAX_HEADERS, and HTTP_MAX_HEAD_BYTES with the
 *     request line (431); a NUL in a header value: 400 naming the header;
 *     what the connection pool cannot hold at all is libmicrohttpd's own
 *     414/431, put in the envelope by http_mhd_errors.h;
 *   - body: a declared Content-Length over --max-body is 413 before the
 *     body is read; a chunked body over it is read and dropped, then 413;
 *   - connections: --max-connections in all and --max-connections-per-ip
 *     from one address (more are refused at accept); a request's headers
 *     must be complete within --header-timeout seconds of the connection
 *     opening or of the previous answer (http_conns.h), whatever the client
 *     trickles; HTTP_IDLE_TIMEOUT seconds without a byte end an upload or an
 *     unread answer.
 */
#ifndef VSPC_HTTP_H
#define VSPC_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "http/tls.h"

#define HTTP_MAX_HEADERS 100
#define HTTP_MAX_HEAD_BYTES 32768      /* request line + header names and values */
#define HTTP_POOL_BYTES (64 * 1024)    /* libmicrohttpd's memory per connection */
#define HTTP_IDLE_TIMEOUT 60           /* seconds */

typedef struct http_server http_server;

/* Starts listening on cfg.bind:cfg.port (TLS when tls is not NULL). The app
 * and tls material must outlive the server. NULL on failure, with err. */
http_server *http_start(const app *a, const tls_material *tls, char *err, size_t errlen);

/* The port actually bound (useful with --port 0). */
int http_port(const http_server *s);

/* Stops accepting, finishes in-flight requests, frees everything. */
void http_stop(http_server *s);

#endif
