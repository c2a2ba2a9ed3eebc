/* http_conns.h — the open connections of the HTTP transport, and the
 * deadline that a slow or idle client cannot extend.
 *
 * libmicrohttpd's own timeout is an idle timeout: it restarts on every byte,
 * so a client trickling one header byte every 20 s holds its connection
 * forever. Here each connection has a header deadline instead: its next
 * request's headers must be complete within `header_timeout` seconds of the
 * connection opening or of the previous answer. A reaper thread shuts down
 * the socket of every connection past its deadline that is not inside a
 * request (libmicrohttpd then sees the end of the stream and closes it).
 *
 * Thread-safety: every function may be called from any libmicrohttpd
 * thread. An entry lives from conns_opened to conns_closed; libmicrohttpd
 * notifies the close before it closes the socket, and the reaper only
 * touches sockets of entries still registered (under the same lock), so it
 * never shuts down a descriptor that was reused by another connection.
 */
#ifndef VSPC_HTTP_CONNS_H
#define VSPC_HTTP_CONNS_H

#include <stdbool.h>

typedef struct conns conns;
typedef struct conn_entry conn_entry;

/* Starts the reaper. NULL when out of memory or the thread cannot start. */
conns *conns_start(int header_timeout_seconds);
/* Stops the reaper and frees the registry (after the HTTP daemon stopped). */
void conns_stop(conns *c);

/* A connection was accepted on socket fd: its deadline starts now. */
conn_entry *conns_opened(conns *c, int fd);
/* Its request headers are complete: no deadline while the request runs. */
void conns_request_started(conns *c, conn_entry *e);
/* Its answer went out: the next request's deadline starts now. */
void conns_request_done(conns *c, conn_entry *e);
/* libmicrohttpd is closing it; e is freed. */
void conns_closed(conns *c, conn_entry *e);

#endif
