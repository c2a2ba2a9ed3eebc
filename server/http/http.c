/* http.c — see http.h. */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "pipeline/dispatch.h"
#include "answer/errors.h"
#include "http/http_conns.h"
#include "http/http_delay.h"
#include "http/http_mhd_errors.h"
#include "base/log.h"
#include "request/request.h"
#include "http/uri.h"

/* The benchmarks' baseline (--bench-routes): GET /__bench/bytes/N answers
 * the first N bytes of one buffer made at start, never copied. */
#define BENCH_PREFIX "/__bench/bytes/"
#define BENCH_MAX_BYTES (4 * 1024 * 1024)

struct http_server {
    struct MHD_Daemon *daemon;
    const app *app;
    conns *conns;      /* open connections and their header deadlines */
    delays *delays;    /* connections a latency fault holds (http_delay.h) */
    char *bench_bytes; /* BENCH_MAX_BYTES of JSON-looking text, or NULL */
};

/* Answers a benchmark route; MHD_NO if the size is not valid. */
static enum MHD_Result send_bench(const http_server *srv, struct MHD_Connection *conn,
                                  const char *url)
{
    long n = atol(url + strlen(BENCH_PREFIX));
    if (n <= 0 || n > BENCH_MAX_BYTES)
        n = 1;
    struct MHD_Response *mr =
        MHD_create_response_from_buffer((size_t)n, srv->bench_bytes, MHD_RESPMEM_PERSISTENT);
    if (!mr)
        return MHD_NO;
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, CT_JSON);
    enum MHD_Result ret = MHD_queue_response(conn, 200, mr);
    MHD_destroy_response(mr);
    return ret;
}

/* The request headers, with what the limits need to know. */
typedef struct header_list {
    kv *items;
    size_t count, cap;
    size_t bytes;         /* names + values */
    const char *nul_name; /* a header whose value holds a NUL byte */
    bool no_memory;
} header_list;

/* Per-request state, from the request line (on_uri) to the completion
 * callback. */
typedef struct conn_state {
    char *target;      /* the request-target as sent, or NULL if too long */
    size_t target_len;
    bool started;      /* the access handler has been called */
    header_list headers; /* read on the first call; they live in MHD's pool */
    char *body;
    size_t len, cap;
    bool too_large;
    throttle_hold held; /* the request's places among those in process, kept
                           until libmicrohttpd has sent the answer */
    response pending;   /* the answer a latency fault holds back, sent when */
    bool has_pending;   /* the connection is resumed (http_delay.h) */
} conn_state;

/* Called by libmicrohttpd with the raw request-target, before it parses the
 * query itself. The target is kept here, and the query in libmicrohttpd's
 * buffer is cut off (the byte after '?' becomes NUL, the buffer is the
 * connection's own and writable) so that the library never parses it: its
 * parser stores each pair in the 64 KiB connection pool and a request with
 * ~900 pairs exhausted the pool and hung. uri.c parses the kept copy with
 * lengths and limits instead. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls, (void)conn;
    conn_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    if (!uri)
        uri = ""; /* a request line without a target */
    size_t len = strlen(uri);
    st->target_len = len;
    if (len <= URI_MAX_TARGET && (st->target = malloc(len + 1)) != NULL)
        memcpy(st->target, uri, len + 1);
    char *q = strchr(uri, '?');
    if (q)
        q[1] = 0; /* uri is libmicrohttpd's writable read buffer */
    return st;
}

/* Appends upload bytes, or notes that the body went over the limit. */
static void append_body(conn_state *st, const char *data, size_t size, long max)
{
    if (st->too_large || st->len + size > (size_t)max) {
        st->too_large = true;
        return;
    }
    if (st->len + size + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + size + 1)
            cap *= 2;
        char *grown = realloc(st->body, cap);
        if (!grown) {
            st->too_large = true; /* cannot hold it: refuse like an oversized body */
            return;
        }
        st->body = grown;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, size);
    st->len += size;
    st->body[st->len] = 0;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    header_list *list = cls;
    list->bytes += key_size + value_size;
    if ((value && strlen(value) != value_size) || strlen(key) != key_size) {
        if (!list->nul_name)
            list->nul_name = key;
        return MHD_YES;
    }
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        kv *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown) {
            list->no_memory = true;
            return MHD_NO;
        }
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->count++] = (kv){key, value ? value : ""};
    return MHD_YES;
}

/* cut: bytes of the body sent before the connection is closed (a truncate
 * fault; < 0: half), or NO_CUT. */
#define NO_CUT (-2)

static enum MHD_Result send_response_cut(struct MHD_Connection *conn, response *res, long cut)
{
    response_serialise(res); /* answers made here (refusals of the head) */
    struct MHD_Response *mr;
    if (cut == NO_CUT) {
        mr = MHD_create_response_from_buffer(res->len, res->body, MHD_RESPMEM_MUST_FREE);
        if (!mr)
            return MHD_NO;
    } else if (!(mr = delays_truncated_response(res->body, res->len, cut))) {
        res->body = NULL; /* freed by the failed call */
        return MHD_NO;
    }
    res->body = NULL; /* MHD frees it now */
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    if (res->allow[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->location[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->cache_control)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, res->cache_control);
    if (res->content_disposition[0])
        MHD_add_response_header(mr, "Content-Disposition", res->content_disposition);
    if (res->status == 413 || res->status == 414 || res->status == 431)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    if (res->retry_after > 0) {
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%ld", res->retry_after);
        MHD_add_response_header(mr, "Retry-After", seconds);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, response *res)
{
    return send_response_cut(conn, res, NO_CUT);
}

/* Carries out what a fault rule left to the transport (http_delay.h):
 * drop closes the connection unanswered, truncate cuts the body, latency
 * keeps the answer in st and suspends the connection until it is due. */
static enum MHD_Result send_faulted(const http_server *srv, struct MHD_Connection *conn,
                                    conn_state *st, response *res, const fault_hit *fault)
{
    switch (fault->kind) {
    case FAULT_DROP:
        return MHD_NO;
    case FAULT_TRUNCATE:
        return send_response_cut(conn, res, fault->truncate_bytes);
    case FAULT_LATENCY:
        if (fault->delay_ms <= 0)
            break;
        response_serialise(res);
        st->pending = *res; /* the answer moves to st */
        response_init(res);
        st->has_pending = true;
        if (delays_hold(srv->delays, conn, fault->delay_ms))
            return MHD_YES; /* sent by the call that follows the resume */
        st->has_pending = false;
        *res = st->pending;
        break;
    default:
        break;
    }
    return send_response(conn, res);
}

/* The peer's address as text. */
/* The connection's registry entry (its socket context). */
static conn_entry *entry_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* Checks of the request head that need nothing of the body, made on the
 * first call (headers complete) so that an over-limit request is refused
 * at once: an error is written into res and false returned. */
static bool check_head(const http_server *srv, const conn_state *st, const header_list *headers,
                       struct MHD_Connection *conn, response *res)
{
    if (!st->target) {
        error_answer(res, E_URI_TOO_LONG, NULL,
                     "The request URI is longer than %d bytes.", URI_MAX_TARGET);
        return false;
    }
    if (headers->no_memory) {
        error_internal(res, "Out of memory.");
        return false;
    }
    if (headers->count > HTTP_MAX_HEADERS || headers->bytes > HTTP_MAX_HEAD_BYTES - st->target_len) {
        error_answer(res, E_HEADERS_TOO_LARGE, NULL,
                     "The request headers are too large: at most %d headers and %d bytes "
                     "with the request line.", HTTP_MAX_HEADERS, HTTP_MAX_HEAD_BYTES);
        return false;
    }
    if (headers->nul_name) {
        error_bad_parameter(res, headers->nul_name, "The header value contains a NUL character.");
        return false;
    }
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length) {
        /* libmicrohttpd has checked that it is a decimal number */
        errno = 0;
        unsigned long long declared = strtoull(length, NULL, 10);
        if (errno || declared > (unsigned long long)srv->app->cfg.max_body) {
            error_answer(res, E_BODY_TOO_LARGE, NULL,
                         "The request body is larger than %ld bytes.", srv->app->cfg.max_body);
            return false;
        }
    }
    return true;
}

/* The refusal of a request whose head failed a check: queued on the first
 * call, which makes libmicrohttpd close the connection after the answer
 * instead of reading a body nobody wants. */
static enum MHD_Result refuse(struct MHD_Connection *conn, const char *method, response *res)
{
    log_debug("%s (refused at the head) -> %d", method, res->status);
    enum MHD_Result ret = send_response(conn, res);
    response_clear(res);
    return ret;
}

/* The answer for a target that uri.c refused. */
static void uri_refusal(uri_status st, const char *why, const char *name, response *res)
{
    switch (st) {
    case URI_TOO_LONG:
        error_answer(res, E_URI_TOO_LONG, NULL, "%s", why);
        break;
    case URI_TOO_MANY:
        error_answer(res, E_BAD_REQUEST, NULL, "%s", why);
        break;
    case URI_BAD:
        error_bad_parameter(res, name, "%s", why);
        break;
    default:
        error_internal(res, "Out of memory.");
        break;
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version, (void)url; /* the path comes from the raw target (on_uri) */
    const http_server *srv = cls;
    conn_state *st = *con_cls;
    if (!st && !(st = *con_cls = calloc(1, sizeof *st)))
        return MHD_NO;
    response res;
    if (!st->started) { /* first call: headers only; answer on a later call */
        st->started = true;
        conns_request_started(srv->conns, entry_of(conn));
        MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_header, &st->headers);
        response_init(&res);
        return check_head(srv, st, &st->headers, conn, &res) ? MHD_YES
                                                             : refuse(conn, method, &res);
    }
    if (*upload_data_size) {
        append_body(st, upload_data, *upload_data_size, srv->app->cfg.max_body);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (st->has_pending) { /* resumed after a latency fault */
        st->has_pending = false;
        enum MHD_Result ret = send_response(conn, &st->pending);
        response_clear(&st->pending);
        return ret;
    }

    response_init(&res);
    uri_parts uri = {0};
    char why[160], name[96];
    uri_status us = uri_parse(st->target, st->target_len, &uri, why, sizeof why, name, sizeof name);
    if (us != URI_OK) {
        uri_refusal(us, why, name, &res);
        uri_parts_clear(&uri);
        return refuse(conn, method, &res);
    }
    if (srv->bench_bytes && !strncmp(uri.path, BENCH_PREFIX, strlen(BENCH_PREFIX))) {
        enum MHD_Result ret = send_bench(srv, conn, uri.path);
        uri_parts_clear(&uri);
        return ret;
    }

    const union MHD_ConnectionInfo *peer =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    request req = {
        .app = srv->app,
        .client_addr = peer ? peer->client_addr : NULL,
        .method_text = method,
        .method = http_method_parse(method),
        .path = uri.path,
        .target = st->target,
        .query = uri.query,
        .nquery = uri.nquery,
        .headers = st->headers.items,
        .nheaders = st->headers.count,
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .body_too_large = st->too_large,
    };
    dispatch(&req, &res);
    st->held = req.held; /* given back on completion: sending is still processing */
    log_debug("%s %s -> %d (%zu bytes)", method, uri.path, res.status, res.len);
    enum MHD_Result ret = req.fault.kind == FAULT_NONE
                              ? send_response(conn, &res)
                              : send_faulted(srv, conn, st, &res, &req.fault);
    response_clear(&res);
    request_clear(&req);
    uri_parts_clear(&uri);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    const http_server *srv = cls;
    conn_state *st = *con_cls;
    if (st) {
        dispatch_finished(&st->held);
        if (st->has_pending)
            response_clear(&st->pending);
        free(st->target);
        free(st->headers.items);
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
    conns_request_done(srv->conns, entry_of(conn));
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    const http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = fd ? conns_opened(srv->conns, fd->connect_fd) : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        conns_closed(srv->conns, *socket_context);
        *socket_context = NULL;
    }
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = 0;
    log_debug("libmicrohttpd: %s", line);
}

/* Fills an IPv4 or IPv6 socket address for cfg.bind:cfg.port. */
static bool make_address(const config *cfg, struct sockaddr_storage *ss, bool *ipv6)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, cfg->bind, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->port);
        *ipv6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, cfg->bind, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->port);
        *ipv6 = true;
        return true;
    }
    return false;
}

/* The connection limit that the process's open-file limit allows: the soft
 * limit is raised towards the hard one (distributions start at 1,024), and
 * some descriptors stay for the database, keys and the listen socket. */
static unsigned open_files_for(unsigned wanted)
{
    const rlim_t reserve = 64;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return wanted;
    rlim_t need = (rlim_t)wanted + reserve;
    if (rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        unsigned fit = rl.rlim_cur > reserve ? (unsigned)(rl.rlim_cur - reserve) : 16;
        log_warn("open-file limit %lu: at most %u connections", (unsigned long)rl.rlim_cur, fit);
        return fit;
    }
    return wanted;
}

http_server *http_start(const app *a, const tls_material *tls, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    bool ipv6;
    if (!make_address(&a->cfg, &ss, &ipv6)) {
        snprintf(err, errlen, "--bind '%s' is not an IPv4 or IPv6 address", a->cfg.bind);
        return NULL;
    }
    if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        snprintf(err, errlen, "this libmicrohttpd has no TLS support; use --tls off");
        return NULL;
    }
    http_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->app = a;
    if (a->cfg.bench_routes && (srv->bench_bytes = malloc(BENCH_MAX_BYTES)) != NULL) {
        static const char pattern[] = "{\"instanceUid\":\"0f1e2d3c-4b5a-4697-8877-665544332211\",\"name\":\"x\"},";
        for (size_t i = 0; i < BENCH_MAX_BYTES; i++)
            srv->bench_bytes[i] = pattern[i % (sizeof pattern - 1)];
    }
    if (!mhd_errors_init() || !(srv->conns = conns_start((int)a->cfg.header_timeout)) ||
        !(srv->delays = delays_start())) {
        snprintf(err, errlen, "cannot set up the HTTP transport (libmicrohttpd symbols, a thread)");
        conns_stop(srv->conns);
        free(srv->bench_bytes);
        free(srv);
        return NULL;
    }
    /* suspend/resume: a latency fault holds a connection, not a worker */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    if (tls)
        flags |= MHD_USE_TLS;
    unsigned limit = open_files_for((unsigned)a->cfg.max_connections);
    struct MHD_OptionItem opts[24];
    size_t n = 0;
    /* the logger first, so that MHD reports option errors through it */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
    /* an idle timeout (it restarts on every byte): it ends stalled uploads
     * and unread answers; the header deadline (http_conns.h) ends trickling
     * and idle clients */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_TIMEOUT, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, limit, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                        (intptr_t)a->cfg.max_connections_per_ip, NULL};
    /* room for the request line and headers (HTTP_MAX_HEAD_BYTES) and the
     * answer's headers; MHD zeroes the whole pool after every request, so a
     * larger pool costs every request */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, HTTP_POOL_BYTES, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv};
    if (a->cfg.threads > 1)
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, a->cfg.threads, NULL};
    if (tls) {
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, tls->cert_pem};
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, tls->key_pem};
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES};
    }
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    srv->daemon = MHD_start_daemon(flags, (uint16_t)a->cfg.port, NULL, NULL, on_request, srv,
                                   MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(err, errlen, "cannot listen on %s:%d (address in use, or no permission?)",
                 a->cfg.bind, a->cfg.port);
        delays_release_all(srv->delays);
        delays_free(srv->delays);
        conns_stop(srv->conns);
        free(srv->bench_bytes);
        free(srv);
        return NULL;
    }
    return srv;
}

int http_port(const http_server *s)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? (int)info->port : -1;
}

void http_stop(http_server *s)
{
    if (!s)
        return;
    delays_release_all(s->delays); /* no connection may stay suspended */
    MHD_stop_daemon(s->daemon);
    delays_free(s->delays);
    conns_stop(s->conns);
    free(s->bench_bytes);
    free(s);
}
