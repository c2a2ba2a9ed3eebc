/* test_http_limits.c — the transport's limits and refusals over the wire
 * (server/http/: http.h, uri.h, http_conns.h, http_mhd_errors.h):
 * each finding of the hardening review is a case here. Over-limit and
 * malformed requests get VSPC's error envelope with 400/413/414/431/505 at
 * once, exactly one answer, never an HTML page or a silent close; slow and
 * idle clients cannot hold connections past the header deadline; one
 * address cannot take every connection. Raw sockets where curl would not
 * send the bytes (bad Content-Length, NUL bytes, trickling). */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

#define HEADER_TIMEOUT "2"
#define PER_IP "16"

static test_server server;

static void setup(void)
{
    const char *args[] = {"--max-body", "4096", "--header-timeout", HEADER_TIMEOUT,
                          "--max-connections-per-ip", PER_IP, NULL};
    server_start(&server, args);
}
static void teardown(void) { server_stop(&server); }


/* A TCP connection to the server from source address src ("127.0.0.1"). */
static int connect_from(const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, src, &a.sin_addr);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    return fd;
}

/* Reads until the peer closes or timeout_ms pass without a byte; returns
 * the bytes (NUL-terminated, owned) and sets *closed. */
static char *read_all(int fd, int timeout_ms, size_t *len, bool *closed)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    *closed = false;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, timeout_ms) <= 0)
            break;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        ssize_t got = recv(fd, buf + n, cap - n, 0);
        if (got <= 0) {
            *closed = true;
            break;
        }
        n += (size_t)got;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Sends raw bytes on a new connection and reads the whole answer (the
 * server closes after a refusal). */
static char *exchange(const char *bytes, size_t len, size_t *out_len, bool *closed)
{
    int fd = connect_from("127.0.0.1");
    ck_assert_int_eq(send(fd, bytes, len, MSG_NOSIGNAL), (ssize_t)len);
    char *answer = read_all(fd, 3000, out_len, closed);
    close(fd);
    return answer;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Asserts a raw answer is exactly one HTTP response with this status and a
 * VSPC error of this code whose message contains `part`; returns the
 * error object's "parameterName" (or NULL), owned by the caller. */
static char *assert_one_envelope(const char *answer, size_t len, int status, int code,
                                 const char *part)
{
    char line[64];
    snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
    ck_assert_msg(!strncmp(answer, line, strlen(line)), "expected %d, got: %.200s", status, answer);
    ck_assert_int_eq(count_of(answer, "HTTP/1.1 "), 1);
    ck_assert_msg(strstr(answer, "Content-Type: application/json"), "not JSON: %.300s", answer);
    ck_assert_ptr_null(strstr(answer, "<html>"));
    const char *body = strstr(answer, "\r\n\r\n");
    ck_assert_ptr_nonnull(body);
    body += 4;
    json_t *j = json_loadb(body, len - (size_t)(body - answer), 0, NULL);
    ck_assert_msg(j != NULL, "body is not JSON: %s", body);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), code);
    const char *message = json_string_value(json_object_get(e, "message"));
    ck_assert_msg(message && strstr(message, part), "message '%s' lacks '%s'", message, part);
    const char *name = json_string_value(json_object_get(e, "parameterName"));
    char *copy = name ? strdup(name) : NULL;
    json_decref(j);
    return copy;
}

/* GET base+path with the signed-in administrator; returns the status and
 * the parsed body. */
static json_t *get(const char *path, long *status)
{
    return http_get_json(&server, path, status);
}

static const char *error_param(json_t *body)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(body, "errors"), 0),
                                             "parameterName"));
}

/* The first finding: 2,100 bytes and a final '/' overflowed the router's
 * stack buffer (the trailing-slash retry) and killed the server. */
START_TEST(long_path_with_final_slash_is_414_and_server_lives)
{
    char path[2200] = "/api/v3/";
    memset(path + 8, 'a', 2100);
    strcpy(path + 2108, "/");
    long status;
    json_t *j = get(path, &status);
    ck_assert_int_eq(status, 414);
    json_decref(j);
    /* just under the router's buffer, so that the retry's extra byte is the edge */
    memset(path + 8, 'b', 1990);
    strcpy(path + 1998, "/");
    j = get(path, &status);
    ck_assert_int_eq(status, 404);
    json_decref(j);
    j = get("/api/v3/about", &status);
    ck_assert_int_eq(status, 200);
    json_decref(j);
}
END_TEST

START_TEST(nul_in_path_and_query_is_400_naming_it)
{
    long status;
    json_t *companies = get("/api/v3/organizations/companies?limit=1", &status);
    ck_assert_int_eq(status, 200);
    const char *uid = json_string_value(json_object_get(json_array_get(json_object_get(companies, "data"), 0), "instanceUid"));
    char path[256];
    snprintf(path, sizeof path, "/api/v3/organizations/companies/%s%%00", uid);
    json_t *j = get(path, &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(error_param(j), "path");
    json_decref(j);
    j = get("/api/v3/organizations/companies/%00", &status);
    ck_assert_int_eq(status, 400);
    json_decref(j);
    j = get("/api/v3/organizations/companies?limit=1%00", &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(error_param(j), "limit");
    json_decref(j);
    j = get("/api/v3/organizations/companies?lim%00it=1", &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(error_param(j), "lim\\0it");
    json_decref(j);
    json_decref(companies);
}
END_TEST

/* A message quoting bytes that are not UTF-8 still makes a JSON answer
 * (it used to be a fixed "Out of memory." body). */
START_TEST(non_utf8_text_is_quoted_safely)
{
    long status;
    json_t *j = get("/api/v3/no%FFsuch%C3", &status);
    ck_assert_int_eq(status, 404);
    const char *message = json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "message"));
    ck_assert_ptr_nonnull(message);
    ck_assert_msg(strstr(message, "no?such?"), "message: %s", message);
    json_decref(j);
    j = get("/api/v3/organizations/companies?li%FFmit=%00", &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(error_param(j), "li?mit");
    json_decref(j);
}
END_TEST

START_TEST(upper_case_uuid_in_path_matches)
{
    long status;
    json_t *companies = get("/api/v3/organizations/companies?limit=1", &status);
    const char *uid = json_string_value(json_object_get(json_array_get(json_object_get(companies, "data"), 0), "instanceUid"));
    char path[256] = "/api/v3/organizations/companies/";
    size_t at = strlen(path);
    for (size_t i = 0; uid[i]; i++)
        path[at + i] = (char)(uid[i] >= 'a' && uid[i] <= 'f' ? uid[i] - 32 : uid[i]);
    path[at + strlen(uid)] = 0;
    json_t *j = get(path, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "data"), "instanceUid")), uid);
    json_decref(j);
    json_decref(companies);
}
END_TEST

/* ~900 query parameters exhausted libmicrohttpd's pool: no answer for 120 s. */
START_TEST(too_many_query_parameters_is_400_at_once)
{
    size_t cap = 20000, n = 0;
    char *path = malloc(cap);
    n += (size_t)snprintf(path, cap, "/api/v3/organizations/companies?");
    for (int i = 0; i < 900; i++)
        n += (size_t)snprintf(path + n, cap - n, "a%d=1&", i);
    long status;
    double t0 = test_now();
    json_t *j = get(path, &status);
    ck_assert_int_eq(status, 400);
    ck_assert_double_lt(test_now() - t0, 5.0);
    const char *message = json_string_value(json_object_get(json_array_get(json_object_get(j, "errors"), 0), "message"));
    ck_assert_ptr_nonnull(strstr(message, "256"));
    json_decref(j);
    /* 256 are fine */
    n = (size_t)snprintf(path, cap, "/api/v3/organizations/companies?");
    for (int i = 0; i < 255; i++)
        n += (size_t)snprintf(path + n, cap - n, "a%d=1&", i);
    snprintf(path + n, cap - n, "limit=2");
    j = get(path, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(j, "data")), 2);
    json_decref(j);
    free(path);
}
END_TEST

START_TEST(long_uri_and_large_headers_get_the_envelope)
{
    /* over our limits but inside the connection pool: our own answers */
    size_t big = 70000;
    char *req = malloc(big + 512);
    int n = snprintf(req, 512, "GET /api/v3/about?x=");
    memset(req + n, 'a', 20000);
    n += 20000;
    n += snprintf(req + n, 512, " HTTP/1.1\r\nHost: x\r\n\r\n");
    size_t len;
    bool closed;
    char *answer = exchange(req, (size_t)n, &len, &closed);
    free(assert_one_envelope(answer, len, 414, 414, "16384"));
    ck_assert(closed);
    free(answer);

    n = snprintf(req, 512, "GET /api/v3/about HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'h', 40000);
    n += 40000;
    n += snprintf(req + n, 512, "\r\n\r\n");
    answer = exchange(req, (size_t)n, &len, &closed);
    free(assert_one_envelope(answer, len, 431, 431, "headers"));
    free(answer);

    n = snprintf(req, 512, "GET /api/v3/about HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 120; i++)
        n += snprintf(req + n, 64, "X-H%d: v\r\n", i);
    n += snprintf(req + n, 64, "\r\n");
    answer = exchange(req, (size_t)n, &len, &closed);
    free(assert_one_envelope(answer, len, 431, 431, "100 headers"));
    free(answer);

    /* beyond what the pool holds: libmicrohttpd's refusal, in the envelope */
    n = snprintf(req, 512, "GET /api/v3/about?x=");
    memset(req + n, 'a', big);
    n += (int)big;
    n += snprintf(req + n, 512, " HTTP/1.1\r\nHost: x\r\n\r\n");
    answer = exchange(req, (size_t)n, &len, &closed);
    free(assert_one_envelope(answer, len, 414, 414, "request line"));
    free(answer);

    n = snprintf(req, 512, "GET /api/v3/about HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'h', big);
    n += (int)big;
    n += snprintf(req + n, 512, "\r\n\r\n");
    answer = exchange(req, (size_t)n, &len, &closed);
    free(assert_one_envelope(answer, len, 431, 431, "headers"));
    free(answer);
    free(req);
}
END_TEST

/* A declared Content-Length over --max-body is refused before the body is
 * sent: the answer arrives while the client has sent headers only. */
START_TEST(declared_body_over_limit_is_413_before_the_body)
{
    const char *req = "POST /api/v3/organizations/companies HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
    size_t len;
    bool closed;
    char *answer = exchange(req, strlen(req), &len, &closed);
    free(assert_one_envelope(answer, len, 413, 413, "4096"));
    ck_assert(closed);
    free(answer);
}
END_TEST

/* An invalid Content-Length made libmicrohttpd send its status line and
 * headers twice; a too large one likewise. */
START_TEST(invalid_content_length_is_one_clean_answer)
{
    const char *cases[][3] = {
        {"Content-Length: abc", "400", "Content-Length"},
        {"Content-Length: 99999999999999999999999", "413", "Content-Length"},
    };
    for (size_t i = 0; i < 2; i++) {
        char req[512];
        snprintf(req, sizeof req, "POST /api/v3/organizations/companies HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n",
                 cases[i][0]);
        size_t len;
        bool closed;
        char *answer = exchange(req, strlen(req), &len, &closed);
        int status = atoi(cases[i][1]);
        char *name = assert_one_envelope(answer, len, status, status, cases[i][2]);
        ck_assert_str_eq(name, "Content-Length");
        free(name);
        /* the body is exactly Content-Length long */
        const char *cl = strstr(answer, "Content-Length: ");
        const char *body = strstr(answer, "\r\n\r\n") + 4;
        ck_assert_int_eq(atol(cl + 16), (long)(len - (size_t)(body - answer)));
        free(answer);
    }
}
END_TEST

START_TEST(malformed_requests_get_the_envelope)
{
    size_t len;
    bool closed;
    const char *v = "GET /api/v3/about HTTP/2.5\r\nHost: x\r\n\r\n";
    char *answer = exchange(v, strlen(v), &len, &closed);
    free(assert_one_envelope(answer, len, 505, 505, "HTTP version"));
    free(answer);
    const char *chunk = "POST /api/v3/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        "Content-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\n";
    answer = exchange(chunk, strlen(chunk), &len, &closed);
    free(assert_one_envelope(answer, len, 400, 400, "chunked"));
    free(answer);
    long status;
    json_t *j = get("/api/v3/about", &status);
    ck_assert_int_eq(status, 200);
    json_decref(j);
}
END_TEST

/* Trickling one header byte at a time restarted libmicrohttpd's idle
 * timeout for ever; the header deadline does not restart. */
START_TEST(trickling_and_idle_clients_are_cut_at_the_deadline)
{
    int fd = connect_from("127.0.0.1");
    double t0 = test_now();
    ck_assert_int_gt(send(fd, "GET /api/v3/about HTTP/1.1\r\n", 28, MSG_NOSIGNAL), 0);
    bool cut = false;
    for (int i = 0; i < 40 && !cut; i++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 250) > 0) {
            char b;
            cut = recv(fd, &b, 1, 0) <= 0;
        }
        if (!cut && send(fd, "X", 1, MSG_NOSIGNAL) < 0)
            cut = true;
    }
    double took = test_now() - t0;
    ck_assert_msg(cut, "a trickling client was still connected after %.1f s", took);
    ck_assert_double_ge(took, atof(HEADER_TIMEOUT) - 0.5);
    ck_assert_double_lt(took, atof(HEADER_TIMEOUT) + 2.5);
    close(fd);

    /* an idle connection that never sends a byte */
    fd = connect_from("127.0.0.1");
    t0 = test_now();
    size_t len;
    bool closed;
    free(read_all(fd, 6000, &len, &closed));
    ck_assert(closed);
    ck_assert_double_lt(test_now() - t0, atof(HEADER_TIMEOUT) + 2.5);
    close(fd);
}
END_TEST

/* A kept-alive client that goes on sending requests is not cut: the
 * deadline restarts with each answer. */
START_TEST(keep_alive_between_requests_within_the_deadline)
{
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/about", server.base);
    http_result r;
    ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
    http_result_free(&r);
    for (int i = 0; i < 3; i++) {
        usleep(1200 * 1000); /* 1.2 s between requests, 3.6 s in all > the deadline */
        ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
        ck_assert_int_eq(r.status, 200);
        ck_assert_int_eq(r.new_connections, 0);
        http_result_free(&r);
    }
}
END_TEST

/* About 1,020 held connections from one client took the server offline. */
START_TEST(one_address_cannot_take_every_connection)
{
    int held[64];
    int n = atoi(PER_IP);
    for (int i = 0; i < n; i++)
        held[i] = connect_from("127.0.0.1");
    usleep(200 * 1000);
    /* one more from the same address is refused at once */
    int extra = connect_from("127.0.0.1");
    size_t len;
    bool closed;
    free(read_all(extra, 2000, &len, &closed));
    ck_assert_msg(closed, "connection %d from one address was kept", n + 1);
    close(extra);
    /* another address is answered meanwhile */
    int other = connect_from("127.0.0.2");
    const char *req = "GET /api/v3/about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ck_assert_int_eq(send(other, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    char *answer = read_all(other, 3000, &len, &closed);
    ck_assert_msg(!strncmp(answer, "HTTP/1.1 401", 12), "the other address got: %.100s", answer);
    free(answer);
    close(other);
    for (int i = 0; i < n; i++)
        close(held[i]);
}
END_TEST

/* The same refusals over TLS: the envelope that http_mhd_errors.c writes
 * itself (invalid Content-Length) goes through the connection's TLS
 * session. */
static test_server tls_server;
static void tls_setup(void)
{
    const char *args[] = {"--tls", "on", "--max-body", "4096", NULL};
    server_start(&tls_server, args);
}
static void tls_teardown(void) { server_stop(&tls_server); }

static char *tls_exchange(const char *bytes, size_t len, size_t *out_len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)tls_server.port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    ck_assert_int_eq(SSL_connect(ssl), 1);
    ck_assert_int_eq(SSL_write(ssl, bytes, (int)len), (int)len);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (!SSL_pending(ssl) && poll(&p, 1, 3000) <= 0)
            break;
        int got = SSL_read(ssl, buf + n, (int)(cap - n));
        if (got <= 0)
            break;
        n += (size_t)got;
        if (n == cap)
            break;
    }
    buf[n] = 0;
    *out_len = n;
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return buf;
}

START_TEST(tls_refusals_are_enveloped_too)
{
    const char *bad_length = "POST /api/v3/organizations/companies HTTP/1.1\r\nHost: x\r\n"
                             "Content-Length: abc\r\n\r\n";
    size_t len;
    char *answer = tls_exchange(bad_length, strlen(bad_length), &len);
    free(assert_one_envelope(answer, len, 400, 400, "Content-Length"));
    free(answer);
    char *req = malloc(80000);
    int n = snprintf(req, 512, "GET /api/v3/about HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'h', 70000);
    n += 70000;
    n += snprintf(req + n, 512, "\r\n\r\n");
    answer = tls_exchange(req, (size_t)n, &len);
    free(assert_one_envelope(answer, len, 431, 431, "headers"));
    free(answer);
    free(req);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_limits");
    TCase *tc = tcase_create("limits");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, long_path_with_final_slash_is_414_and_server_lives);
    tcase_add_test(tc, nul_in_path_and_query_is_400_naming_it);
    tcase_add_test(tc, non_utf8_text_is_quoted_safely);
    tcase_add_test(tc, upper_case_uuid_in_path_matches);
    tcase_add_test(tc, too_many_query_parameters_is_400_at_once);
    tcase_add_test(tc, long_uri_and_large_headers_get_the_envelope);
    tcase_add_test(tc, declared_body_over_limit_is_413_before_the_body);
    tcase_add_test(tc, invalid_content_length_is_one_clean_answer);
    tcase_add_test(tc, malformed_requests_get_the_envelope);
    tcase_add_test(tc, trickling_and_idle_clients_are_cut_at_the_deadline);
    tcase_add_test(tc, keep_alive_between_requests_within_the_deadline);
    tcase_add_test(tc, one_address_cannot_take_every_connection);
    suite_add_tcase(s, tc);
    TCase *tls = tcase_create("tls");
    tcase_add_unchecked_fixture(tls, tls_setup, tls_teardown);
    tcase_set_timeout(tls, 60);
    tcase_add_test(tls, tls_refusals_are_enveloped_too);
    suite_add_tcase(s, tls);
    return test_run_suite(s, CK_NOFORK);
}
