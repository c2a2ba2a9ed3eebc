/* forward.c — see forward.h. */
#include "proxy/forward.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/buf.h"

/* One connection: a socket, and its TLS session for https. */
typedef struct conn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    int timeout_ms;
} conn;

static void link_close(conn *l)
{
    if (l->ssl) {
        SSL_shutdown(l->ssl);
        SSL_free(l->ssl);
    }
    if (l->ctx)
        SSL_CTX_free(l->ctx);
    if (l->fd >= 0)
        close(l->fd);
}

static bool wait_for(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    int r;
    do
        r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r == 1;
}

/* A non-blocking connect, waited for at most timeout_ms; the socket is
 * left blocking with read/write timeouts. */
static int connect_to(const upstream *u, int timeout_ms, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC}, *res = NULL;
    int gai = getaddrinfo(u->host, u->port, &hints, &res);
    if (gai) {
        snprintf(err, errlen, "%s: %s", u->host, gai_strerror(gai));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int rc = connect(fd, a->ai_addr, a->ai_addrlen);
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (rc == 0 || (errno == EINPROGRESS && wait_for(fd, POLLOUT, timeout_ms) &&
                        !getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) && !soerr)) {
            fcntl(fd, F_SETFL, flags);
            struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            break;
        }
        snprintf(err, errlen, "%s:%s: %s", u->host, u->port,
                 strerror(soerr ? soerr : (rc < 0 && errno != EINPROGRESS ? errno : ETIMEDOUT)));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static bool start_tls(conn *l, const upstream *u, char *err, size_t errlen)
{
    l->ctx = SSL_CTX_new(TLS_client_method());
    l->ssl = l->ctx ? SSL_new(l->ctx) : NULL;
    if (!l->ssl) {
        snprintf(err, errlen, "TLS: out of memory");
        return false;
    }
    SSL_set_verify(l->ssl, SSL_VERIFY_NONE, NULL);
    SSL_set_tlsext_host_name(l->ssl, u->host);
    SSL_set_fd(l->ssl, l->fd);
    if (SSL_connect(l->ssl) != 1) {
        snprintf(err, errlen, "TLS with %s:%s failed: %s", u->host, u->port,
                 ERR_reason_error_string(ERR_get_error()) ? ERR_reason_error_string(ERR_get_error())
                                                          : "handshake refused");
        return false;
    }
    return true;
}

static bool send_all(conn *l, const char *p, size_t n)
{
    while (n) {
        ssize_t w = l->ssl ? SSL_write(l->ssl, p, (int)(n > 1u << 20 ? 1u << 20 : n))
                           : send(l->fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (!l->ssl && w < 0 && errno == EINTR)
                continue;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads until the peer closes (the request said Connection: close). */
static bool read_all(conn *l, buf *out, char *err, size_t errlen)
{
    char chunk[16384];
    for (;;) {
        ssize_t r = l->ssl ? SSL_read(l->ssl, chunk, sizeof chunk) : recv(l->fd, chunk, sizeof chunk, 0);
        if (r == 0 || (l->ssl && r < 0 && SSL_get_error(l->ssl, (int)r) == SSL_ERROR_ZERO_RETURN))
            return true;
        if (r < 0) {
            if (!l->ssl && errno == EINTR)
                continue;
            if (out->len) /* a TLS peer closing without close_notify: what came is the answer */
                return true;
            snprintf(err, errlen, "no answer from the upstream (%s)",
                     !l->ssl && (errno == EAGAIN || errno == EWOULDBLOCK) ? "timed out" : "read failed");
            return false;
        }
        if (out->len + (size_t)r > FORWARD_MAX_ANSWER) {
            snprintf(err, errlen, "the upstream's answer is over %u bytes", FORWARD_MAX_ANSWER);
            return false;
        }
        buf_append(out, chunk, (size_t)r);
    }
}

static bool hop_by_hop(const char *name)
{
    static const char *const names[] = {"Connection", "Keep-Alive", "TE", "Trailer",
                                        "Transfer-Encoding", "Upgrade", "Host", "Authorization",
                                        "Content-Length", "Expect"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i]))
            return true;
    return !strncasecmp(name, "Proxy-", 6);
}

static void build_head(const upstream *u, const forward_request *rq, buf *out)
{
    bool v6 = strchr(u->host, ':') != NULL;
    buf_printf(out, "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\nConnection: close\r\n", rq->method,
               rq->target, v6 ? "[" : "", u->host, v6 ? "]" : "", u->port);
    for (size_t i = 0; i < rq->nheaders; i++)
        if (!hop_by_hop(rq->headers[i].key) && !strpbrk(rq->headers[i].value, "\r\n"))
            buf_printf(out, "%s: %s\r\n", rq->headers[i].key, rq->headers[i].value);
    if (rq->body_len || (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")))
        buf_printf(out, "Content-Length: %zu\r\n", rq->body_len);
    buf_append(out, "\r\n", 2);
}

/* Decodes a chunked body in place; false when malformed. */
static bool unchunk(char *p, size_t len, size_t *out_len)
{
    size_t in = 0, w = 0;
    for (;;) {
        char *end;
        unsigned long n = strtoul(p + in, &end, 16);
        char *eol = memchr(p + in, '\n', len - in);
        if (end == p + in || !eol)
            return false;
        in = (size_t)(eol - p) + 1;
        if (!n) {
            *out_len = w;
            return true;
        }
        if (n > len - in)
            return false;
        memmove(p + w, p + in, n);
        w += n;
        in += n;
        if (in < len && p[in] == '\r')
            in++;
        if (in < len && p[in] == '\n')
            in++;
    }
}

/* The status line, Content-Type and body of the raw answer. */
static bool parse_answer(buf *raw, forward_answer *out, char *err, size_t errlen)
{
    char *text = raw->data;
    char *head_end = text ? strstr(text, "\r\n\r\n") : NULL;
    int status = 0;
    if (!head_end || sscanf(text, "HTTP/1.%*d %d", &status) != 1 || status < 100 || status > 599) {
        snprintf(err, errlen, "the upstream's answer is not HTTP");
        return false;
    }
    *head_end = 0;
    out->status = status;
    bool chunked = false;
    long length = -1;
    for (char *line = strstr(text, "\r\n"); line && line < head_end; line = strstr(line, "\r\n")) {
        line += 2;
        char *colon = strchr(line, ':'), *eol = strstr(line, "\r\n");
        if (!colon || (eol && colon > eol))
            continue;
        char *v = colon + 1;
        while (*v == ' ')
            v++;
        size_t vlen = eol ? (size_t)(eol - v) : strlen(v);
        size_t nlen = (size_t)(colon - line);
        if (nlen == 12 && !strncasecmp(line, "Content-Type", 12))
            snprintf(out->content_type, sizeof out->content_type, "%.*s", (int)vlen, v);
        else if (nlen == 17 && !strncasecmp(line, "Transfer-Encoding", 17))
            chunked = vlen >= 7 && !strncasecmp(v + vlen - 7, "chunked", 7);
        else if (nlen == 14 && !strncasecmp(line, "Content-Length", 14))
            length = strtol(v, NULL, 10);
    }
    char *body = head_end + 4;
    size_t blen = raw->len - (size_t)(body - text);
    if (chunked && !unchunk(body, blen, &blen)) {
        snprintf(err, errlen, "the upstream's chunked answer is malformed");
        return false;
    }
    if (!chunked && length >= 0 && (size_t)length < blen)
        blen = (size_t)length;
    out->body = malloc(blen ? blen : 1);
    if (!out->body) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    memcpy(out->body, body, blen);
    out->len = blen;
    return true;
}

bool forward_send(const upstream *u, const forward_request *rq, forward_answer *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    conn l = {.fd = connect_to(u, rq->timeout_ms, err, errlen), .timeout_ms = rq->timeout_ms};
    if (l.fd < 0)
        return false;
    buf head, raw;
    buf_init(&head);
    buf_init(&raw);
    build_head(u, rq, &head);
    bool ok = (!u->tls || start_tls(&l, u, err, errlen));
    if (ok && !(send_all(&l, head.data, head.len) && send_all(&l, rq->body, rq->body_len))) {
        snprintf(err, errlen, "the request could not be sent to %s:%s", u->host, u->port);
        ok = false;
    }
    ok = ok && read_all(&l, &raw, err, errlen);
    ok = ok && parse_answer(&raw, out, err, errlen);
    buf_free(&head);
    buf_free(&raw);
    link_close(&l);
    return ok;
}
