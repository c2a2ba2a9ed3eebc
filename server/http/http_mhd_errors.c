/* http_mhd_errors.c — see http_mhd_errors.h. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "http/http_mhd_errors.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "answer/errors.h"
#include "http/http.h"
#include "answer/response.h"

typedef struct MHD_Response *(*create_fn)(size_t, void *, enum MHD_ResponseMemoryMode);
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
typedef ssize_t (*tls_send_fn)(void *session, const void *data, size_t len);

static create_fn real_create;
static queue_fn real_queue;
static tls_send_fn tls_send; /* gnutls_record_send, loaded with libmicrohttpd */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The last HTML page the library made on this thread, and its text. */
static _Thread_local struct MHD_Response *page_response;
static _Thread_local const char *page_text;

static void resolve(void)
{
    real_create = (create_fn)dlsym(RTLD_NEXT, "MHD_create_response_from_buffer");
    real_queue = (queue_fn)dlsym(RTLD_NEXT, "MHD_queue_response");
    tls_send = (tls_send_fn)dlsym(RTLD_DEFAULT, "gnutls_record_send");
}

bool mhd_errors_init(void)
{
    pthread_once(&once, resolve);
    return real_create && real_queue;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    pthread_once(&once, resolve);
    struct MHD_Response *r = real_create(size, buffer, mode);
    /* the library's pages are static HTML; this server never answers HTML */
    if (r && mode == MHD_RESPMEM_PERSISTENT && size >= 6 && !memcmp(buffer, "<html>", 6)) {
        page_response = r;
        page_text = buffer;
    }
    return r;
}

/* The envelope for a status the library chose, worded from its page. */
static void envelope_for(unsigned status, const char *page, response *out)
{
    bool content_length = strstr(page, "Content-Length") != NULL;
    switch (status) {
    case MHD_HTTP_URI_TOO_LONG:
        error_answer(out, E_URI_TOO_LONG, NULL,
                     "The request line is too long (the request line and headers may take "
                     "at most %d bytes).", HTTP_MAX_HEAD_BYTES);
        break;
    case MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE:
        error_answer(out, E_HEADERS_TOO_LARGE, NULL,
                     "The request headers are too large (the request line and headers may "
                     "take at most %d bytes).", HTTP_MAX_HEAD_BYTES);
        break;
    case MHD_HTTP_CONTENT_TOO_LARGE:
        if (content_length)
            error_answer(out, E_BODY_TOO_LARGE, "Content-Length",
                         "The declared Content-Length is too large.");
        else
            error_answer(out, E_BODY_TOO_LARGE, NULL,
                         "A chunk of the request body is too large.");
        break;
    case MHD_HTTP_HTTP_VERSION_NOT_SUPPORTED:
        error_answer(out, E_HTTP_VERSION, NULL, NULL);
        break;
    default:
        if (content_length)
            error_answer(out, E_BAD_PARAMETER, "Content-Length",
                         "The Content-Length header is not a valid number.");
        else if (strstr(page, "Host"))
            error_answer(out, E_BAD_PARAMETER, "Host",
                         "An HTTP/1.1 request must carry a Host header.");
        else if (strstr(page, "chunked"))
            error_answer(out, E_BAD_REQUEST, NULL,
                         "The chunked encoding of the request body is malformed.");
        else
            error_answer(out, E_BAD_REQUEST, NULL, "The request is malformed.");
        break;
    }
}

/* Writes a whole HTTP/1.1 answer to the connection's socket (or TLS
 * session); false if that is not possible. */
static bool write_direct(struct MHD_Connection *conn, const response *res)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     res->status, MHD_get_reason_phrase_for((unsigned)res->status),
                     res->content_type, res->len);
    if (n <= 0 || (size_t)n >= sizeof head)
        return false;
    const union MHD_ConnectionInfo *tls =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (tls && tls->tls_session) {
        if (!tls_send)
            return false;
        return tls_send(tls->tls_session, head, (size_t)n) == n &&
               tls_send(tls->tls_session, res->body, res->len) == (ssize_t)res->len;
    }
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!fd)
        return false;
    return send(fd->connect_fd, head, (size_t)n, MSG_NOSIGNAL) == n &&
           send(fd->connect_fd, res->body, res->len, MSG_NOSIGNAL) == (ssize_t)res->len;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *r)
{
    pthread_once(&once, resolve);
    if (!r || r != page_response)
        return real_queue(connection, status_code, r);
    const char *page = page_text;
    page_response = NULL;
    page_text = NULL;
    response res;
    response_init(&res);
    envelope_for(status_code, page, &res);
    response_serialise(&res);
    enum MHD_Result ret;
    if (strstr(page, "Content-Length")) {
        write_direct(connection, &res);
        ret = MHD_NO; /* the library closes the connection and writes nothing */
    } else {
        struct MHD_Response *mine =
            MHD_create_response_from_buffer(res.len, res.body, MHD_RESPMEM_MUST_COPY);
        if (mine) {
            MHD_add_response_header(mine, MHD_HTTP_HEADER_CONTENT_TYPE, res.content_type);
            ret = real_queue(connection, (unsigned)res.status, mine);
            MHD_destroy_response(mine);
        } else {
            ret = real_queue(connection, status_code, r);
        }
    }
    response_clear(&res);
    return ret;
}
