/* http_delay.h — the fault effects the transport carries out
 * (faults/faults.h), once the pipeline has made the answer:
 *   latency   the connection is suspended (MHD_suspend_connection: the
 *             worker thread goes on serving other connections) and one
 *             timer thread resumes it when its time has come; libmicrohttpd
 *             then calls the access handler again, which sends the answer
 *             it kept. A delayed answer costs no worker, so it does not
 *             lower the throughput of other routes.
 *   truncate  the answer's full Content-Length is announced, its first
 *             bytes sent, then the connection is closed.
 *   drop      (http.c) the access handler refuses the connection: closed
 *             without an answer.
 * Thread-safe. */
#ifndef VSPC_HTTP_DELAY_H
#define VSPC_HTTP_DELAY_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct delays delays;

/* Starts the timer thread; NULL on failure. */
delays *delays_start(void);

/* Suspends conn (from its access handler) and resumes it in ms
 * milliseconds: true. False when the server is stopping: then nothing is
 * suspended and the answer goes now. */
bool delays_hold(delays *d, struct MHD_Connection *conn, long ms);

/* Resumes every held connection now, and holds none from here on: before
 * MHD_stop_daemon, which must find no suspended connection. */
void delays_release_all(delays *d);

/* Stops the timer thread (after delays_release_all) and frees d. */
void delays_free(delays *d);

/* A response announcing len bytes whose first `cut` are sent (cut < 0:
 * half), then the connection closed; takes body (malloc'd). NULL on
 * failure (body freed). */
struct MHD_Response *delays_truncated_response(char *body, size_t len, long cut);

#endif
