/* http.c — see http.h. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "errors.h"
#include "log.h"
#include "request.h"

/* The benchmarks' baseline (--bench-routes): GET /__bench/bytes/N answers
 * the first N bytes of one buffer made at start, never copied. */
#define BENCH_PREFIX "/__bench/bytes/"
#define BENCH_MAX_BYTES (4 * 1024 * 1024)

struct http_server {
    struct MHD_Daemon *daemon;
    const app *app;
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

/* Per-request state, from the first call of the access handler to the
 * completion callback. */
typedef struct conn_state {
    char *body;
    size_t len, cap;
    bool too_large;
} conn_state;

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

/* Collects the pairs of one kind (query arguments or headers). */
typedef struct kv_list {
    kv *items;
    size_t count, cap;
} kv_list;

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    kv_list *list = cls;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        kv *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return MHD_NO;
        list->items = grown;
        list->cap = cap;
    }
    list->items[list->count++] = (kv){key, value ? value : ""};
    return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, response *res)
{
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(res->len, res->body, MHD_RESPMEM_MUST_FREE);
    if (!mr)
        return MHD_NO;
    res->body = NULL; /* MHD frees it now */
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    if (res->allow[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->location[0])
        MHD_add_response_header(mr, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->content_disposition[0])
        MHD_add_response_header(mr, "Content-Disposition", res->content_disposition);
    if (res->retry_after > 0) {
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%ld", res->retry_after);
        MHD_add_response_header(mr, "Retry-After", seconds);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    const http_server *srv = cls;
    conn_state *st = *con_cls;
    if (!st) { /* first call: headers only; answer on a later call */
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        *con_cls = st;
        return MHD_YES;
    }
    if (*upload_data_size) {
        append_body(st, upload_data, *upload_data_size, srv->app->cfg.max_body);
        *upload_data_size = 0;
        return MHD_YES;
    }

    if (srv->bench_bytes && !strncmp(url, BENCH_PREFIX, strlen(BENCH_PREFIX)))
        return send_bench(srv, conn, url);

    char client_ip[INET6_ADDRSTRLEN] = "";
    const union MHD_ConnectionInfo *peer =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (peer && peer->client_addr) {
        const struct sockaddr *sa = peer->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, client_ip, sizeof client_ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, client_ip, sizeof client_ip);
    }
    kv_list query = {0}, headers = {0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_kv, &query);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_kv, &headers);
    request req = {
        .app = srv->app,
        .client_ip = client_ip,
        .method_text = method,
        .method = http_method_parse(method),
        .path = url,
        .query = query.items,
        .nquery = query.count,
        .headers = headers.items,
        .nheaders = headers.count,
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .body_too_large = st->too_large,
    };
    response res;
    response_init(&res);
    dispatch(&req, &res);
    log_debug("%s %s -> %d (%zu bytes)", method, url, res.status, res.len);
    enum MHD_Result ret = send_response(conn, &res);
    response_clear(&res);
    request_clear(&req);
    free(query.items);
    free(headers.items);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    conn_state *st = *con_cls;
    if (st) {
        free(st->body);
        free(st);
        *con_cls = NULL;
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
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    if (tls)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem opts[24];
    size_t n = 0;
    /* the logger first, so that MHD reports option errors through it */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL};
    /* room for long filter/sort/select query strings (64 KiB, 8 times
     * Kestrel's request-line limit); MHD zeroes the whole pool after every
     * request, so a larger pool costs every request */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL};
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
    MHD_stop_daemon(s->daemon);
    free(s->bench_bytes);
    free(s);
}
