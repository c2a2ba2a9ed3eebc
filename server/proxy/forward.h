/* forward.h — one proxied request sent to its upstream and its answer read
 * back: HTTP/1.1 over TCP, or TLS (OpenSSL) for an https:// upstream.
 *
 * The client's method, target, body and headers go as they came, except
 * hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Transfer-
 * Encoding, Upgrade, Proxy-*), Host (the upstream's), Content-Length (set
 * again) and Authorization: the caller's VSPC token is VSPC's, never the
 * product's — VSPC's management agent signs in to the product itself. One
 * connection per request ("Connection: close"); the answer is read to its
 * end (Content-Length, chunked or close), at most FORWARD_MAX_ANSWER bytes.
 * An https upstream's certificate is not verified: products run with
 * self-signed certificates, which VSPC's agent accepts on the same machine.
 * Blocking, bounded by timeout_ms for connecting and for each read. */
#ifndef VSPC_FORWARD_H
#define VSPC_FORWARD_H

#include <stdbool.h>
#include <stddef.h>

#include "proxy/upstreams.h"
#include "request/params.h"

#define FORWARD_MAX_ANSWER (64u * 1024 * 1024)

typedef struct forward_request {
    const char *method;
    const char *target;   /* the path and query sent, "/api/v1/jobs?x=1" */
    const kv *headers;    /* the client's */
    size_t nheaders;
    const char *body;
    size_t body_len;
    int timeout_ms;
} forward_request;

typedef struct forward_answer {
    int status;
    char content_type[128]; /* "" when the upstream sent none */
    char *body;             /* owned (free); may be NULL when len is 0 */
    size_t len;
} forward_answer;

/* Sends rq to u and reads the answer into *out. False with err (what
 * failed: connecting, TLS, sending, reading, a malformed answer). */
bool forward_send(const upstream *u, const forward_request *rq, forward_answer *out, char *err,
                  size_t errlen);

#endif
