/* http_mhd_errors.h — libmicrohttpd's own error answers in VSPC's envelope.
 *
 * libmicrohttpd answers some broken requests itself, before the access
 * handler ever runs (a request line or header block larger than the
 * connection's memory pool: 414/431; a malformed request or chunked body,
 * an HTTP/1.1 request without Host: 400; a Content-Length that is not a
 * number or too large: 400/413; an unknown HTTP version: 505), and those
 * answers are fixed HTML pages. Clients of VSPC expect its JSON error
 * envelope on every answer.
 *
 * How: this module defines MHD_create_response_from_buffer and
 * MHD_queue_response in the executable. libmicrohttpd (0.9.75 as Debian 12
 * ships it) calls both through its PLT, so the dynamic linker binds its own
 * calls to these definitions first; they forward to the library's (found
 * with dlsym(RTLD_NEXT)) and, when the response being queued is one of the
 * library's HTML pages, queue an envelope for the same status instead.
 *
 * One case cannot be answered through the library: after an invalid
 * Content-Length, 0.9.75 writes the status line and headers twice. There the
 * envelope is written to the socket directly (TLS: through the connection's
 * GnuTLS session) and the library is told the answer failed, so it closes
 * the connection without writing anything more.
 *
 * tests/test_http_limits.c asserts every case over the wire; if a newer
 * libmicrohttpd stops calling through its PLT, those tests fail.
 */
#ifndef VSPC_HTTP_MHD_ERRORS_H
#define VSPC_HTTP_MHD_ERRORS_H

#include <stdbool.h>

/* Resolves the library's functions; false if they cannot be found. Call
 * once before the daemon starts. */
bool mhd_errors_init(void);

#endif
