/* test_http_proxy.c — request proxying (server/proxy/proxy.h) over real HTTP:
 * /proxy/{managementAgentUid}/{product}/... forwarded to an upstream this
 * test runs itself (a thread that echoes what it received), and VSPC's
 * refusals: no token 401, an unknown agent or a product it lacks 404, no
 * upstream or one that is down 502. */
#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

static test_server server;

/* --- the upstream: one answer per connection, echoing the request -------- */

static int upstream_fd = -1;
static int upstream_port;

static void *upstream_loop(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(upstream_fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char req[65536];
        size_t n = 0;
        ssize_t got;
        char *end = NULL;
        while (n < sizeof req - 1 && (got = read(c, req + n, sizeof req - 1 - n)) > 0) {
            n += (size_t)got;
            req[n] = 0;
            if ((end = strstr(req, "\r\n\r\n"))) {
                const char *cl = strstr(req, "\r\nContent-Length:"); /* as forward.c spells it */
                size_t want = cl && cl < end ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
                if (n - (size_t)(end + 4 - req) >= want)
                    break;
            }
        }
        req[n] = 0;
        end = strstr(req, "\r\n\r\n");
        json_t *echo = json_object();
        if (end) {
            *end = 0;
            char method[16] = "", target[4096] = "";
            sscanf(req, "%15s %4095s", method, target);
            json_object_set_new(echo, "method", json_string(method));
            json_object_set_new(echo, "target", json_string(target));
            json_t *headers = json_object();
            for (char *line = strstr(req, "\r\n"); line; line = strstr(line, "\r\n")) {
                line += 2;
                char *colon = strchr(line, ':'), *eol = strstr(line, "\r\n");
                if (!colon)
                    break;
                char name[128];
                snprintf(name, sizeof name, "%.*s", (int)(colon - line), line);
                for (char *q = name; *q; q++)
                    *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
                const char *v = colon + 1 + (colon[1] == ' ');
                json_object_set_new(headers, name,
                                    json_stringn(v, eol ? (size_t)(eol - v) : strlen(v)));
            }
            json_object_set_new(echo, "headers", headers);
            json_object_set_new(echo, "body", json_string(end + 4));
        }
        char *text = json_dumps(echo, JSON_COMPACT);
        json_decref(echo);
        char head[256];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 201 Created\r\nContent-Type: application/x-echo+json\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                          strlen(text));
        ssize_t w1 = write(c, head, (size_t)hl), w2 = write(c, text, strlen(text));
        (void)w1, (void)w2;
        free(text);
        close(c);
    }
}

static pthread_t upstream_thread;

static void upstream_start(void)
{
    upstream_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(upstream_fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(upstream_fd, 16), 0);
    socklen_t len = sizeof a;
    getsockname(upstream_fd, (struct sockaddr *)&a, &len);
    upstream_port = ntohs(a.sin_port);
    pthread_create(&upstream_thread, NULL, upstream_loop, NULL);
}

static void upstream_stop(void)
{
    shutdown(upstream_fd, SHUT_RDWR);
    close(upstream_fd);
    pthread_join(upstream_thread, NULL);
    upstream_fd = -1;
}

/* --- calls --------------------------------------------------------------- */

typedef struct answer {
    long status;
    char type[128];
    json_t *doc;
} answer;

/* One call to path (not under /api/v3) with the bearer (NULL: none). */
static answer call(const char *method, const char *path, const char *bearer, const char *body)
{
    char url[1024], auth[4200];
    snprintf(url, sizeof url, "%s%s", server.base, path);
    snprintf(auth, sizeof auth, bearer ? "Authorization: Bearer %s" : "Authorization:", bearer);
    const char *headers[] = {auth, "X-Custom-Header: kept", "Content-Type: application/json", NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, body, body ? strlen(body) : 0, NULL, &r));
    answer a = {.status = r.status, .doc = json_loadb(r.body, r.len, 0, NULL)};
    snprintf(a.type, sizeof a.type, "%s", r.content_type);
    http_result_free(&r);
    return a;
}

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The first management agent with a proxyable product of that ProxyProduct
 * name; "" when none. Its other products' names are not looked at. */
static void agent_with(const char *product, char *out, size_t len)
{
    out[0] = 0;
    long status;
    json_t *agents = http_get_json(&server, "/api/v3/infrastructure/managementAgents?limit=500", &status);
    ck_assert_int_eq(status, 200);
    size_t i;
    json_t *agent;
    json_array_foreach(json_object_get(agents, "data"), i, agent) {
        char path[256];
        snprintf(path, sizeof path, "/api/v3/infrastructure/managementAgents/%s/proxyableProducts",
                 str(agent, "instanceUid"));
        json_t *products = http_get_json(&server, path, &status);
        size_t k;
        json_t *p;
        json_array_foreach(json_object_get(products, "data"), k, p) {
            /* each product says where it is proxied to, as the REST overview's vb365 */
            static const char *const url_of[][2] = {{"VeeamBackupReplication", "vbr"},
                                                    {"VeeamBackupMicrosoft365", "vb365"},
                                                    {"VeeamONE", "vone"}};
            for (size_t u = 0; u < 3; u++)
                if (!strcmp(str(p, "proxyProduct"), url_of[u][0]))
                    ck_assert_str_eq(str(p, "proxyProductUrlRepresentation"), url_of[u][1]);
            if (!out[0] && !strcmp(str(p, "proxyProduct"), product))
                snprintf(out, len, "%s", str(agent, "instanceUid"));
        }
        json_decref(products);
    }
    json_decref(agents);
}

static void start_with_upstream(const char *extra_flag_value)
{
    char flag[256];
    snprintf(flag, sizeof flag, "vbr=http://127.0.0.1:%d/base/", upstream_port);
    const char *args[] = {"--proxy-upstream", extra_flag_value ? extra_flag_value : flag, NULL};
    server_start(&server, args);
}

START_TEST(forwarded_as_sent_answered_as_answered)
{
    upstream_start();
    start_with_upstream(NULL);
    char agent[64], path[512];
    agent_with("VeeamBackupReplication", agent, sizeof agent);
    ck_assert_msg(agent[0], "the default world has an agent with Veeam Backup & Replication");
    snprintf(path, sizeof path, "/proxy/%s/vbr/api/v1/jobs?limit=5&name=a%%20b", agent);
    answer a = call("GET", path, http_bearer(), NULL);
    ck_assert_int_eq(a.status, 201);
    ck_assert_str_eq(a.type, "application/x-echo+json");
    ck_assert_str_eq(str(a.doc, "method"), "GET");
    ck_assert_str_eq(str(a.doc, "target"), "/base/api/v1/jobs?limit=5&name=a%20b");
    json_t *h = json_object_get(a.doc, "headers");
    ck_assert_str_eq(str(h, "x-custom-header"), "kept");
    ck_assert_ptr_null(json_object_get(h, "authorization")); /* VSPC's token stays with VSPC */
    ck_assert_str_eq(str(h, "connection"), "close");
    json_decref(a.doc);
    /* a body goes as it came */
    snprintf(path, sizeof path, "/proxy/%s/VBR/api/v1/jobs/start", agent);
    a = call("POST", path, http_bearer(), "{\"x\":1}");
    ck_assert_int_eq(a.status, 201);
    ck_assert_str_eq(str(a.doc, "method"), "POST");
    ck_assert_str_eq(str(a.doc, "body"), "{\"x\":1}");
    ck_assert_str_eq(str(json_object_get(a.doc, "headers"), "content-length"), "7");
    json_decref(a.doc);
    /* without a token nothing is forwarded */
    a = call("GET", path, NULL, NULL);
    ck_assert_int_eq(a.status, 401);
    json_decref(a.doc);
    server_stop(&server);
    upstream_stop();
}
END_TEST

static const char *error_message(const answer *a)
{
    return str(json_array_get(json_object_get(a->doc, "errors"), 0), "message");
}

START_TEST(refusals)
{
    upstream_start();
    start_with_upstream(NULL);
    char vbr_agent[64], vone_agent[64], path[512];
    agent_with("VeeamBackupReplication", vbr_agent, sizeof vbr_agent);
    agent_with("VeeamONE", vone_agent, sizeof vone_agent);
    ck_assert(vbr_agent[0] && vone_agent[0]);
    /* an agent that does not exist */
    answer a = call("GET", "/proxy/00000000-0000-4000-8000-000000000001/vbr/api", http_bearer(), NULL);
    ck_assert_int_eq(a.status, 404);
    ck_assert_ptr_nonnull(strstr(error_message(&a), "00000000-0000-4000-8000-000000000001"));
    json_decref(a.doc);
    /* a product the agent does not have */
    snprintf(path, sizeof path, "/proxy/%s/nosuchproduct/api", vbr_agent);
    a = call("GET", path, http_bearer(), NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.doc);
    /* a product with no upstream: 502 */
    snprintf(path, sizeof path, "/proxy/%s/vone/api/v2/about", vone_agent);
    a = call("GET", path, http_bearer(), NULL);
    ck_assert_int_eq(a.status, 502);
    ck_assert_ptr_nonnull(strstr(error_message(&a), "--proxy-upstream vone=URL"));
    json_decref(a.doc);
    /* an incomplete path */
    a = call("GET", "/proxy/x", http_bearer(), NULL);
    ck_assert_int_eq(a.status, 404);
    json_decref(a.doc);
    /* the upstream down: 502 */
    upstream_stop();
    snprintf(path, sizeof path, "/proxy/%s/vbr/api", vbr_agent);
    a = call("GET", path, http_bearer(), NULL);
    ck_assert_int_eq(a.status, 502);
    ck_assert_str_eq(str(json_array_get(json_object_get(a.doc, "errors"), 0), "type"), "transport");
    json_decref(a.doc);
    server_stop(&server);
}
END_TEST

START_TEST(bad_upstreams_stop_the_start)
{
    static const char *const bad[] = {"vbr=ftp://x", "vbr", "vbr=http://:80", "nosuch=http://h",
                                      "vbr=http://h:99999999", "vbr=http://a,vbr=http://b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[4096];
        const char *args[] = {"--proxy-upstream", bad[i], NULL};
        ck_assert_int_ne(server_run_to_exit(args, out, sizeof out), 0);
        ck_assert_msg(strstr(out, "--proxy-upstream"), "%s: %s", bad[i], out);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_proxy");
    TCase *tc = tcase_create("http_proxy");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, forwarded_as_sent_answered_as_answered);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, bad_upstreams_stop_the_start);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
