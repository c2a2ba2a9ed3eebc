/* test_http_throttle.c — VSPC's throttling over HTTP (the pipeline's
 * throttle stage, throttle/throttle.h; settings from an appsettings.json,
 * app/appsettings.h), with short time units and small limits in a file
 * written to a temporary folder:
 *   - past a per-time-unit limit, 429 `transport` with retryAfter and a
 *     Retry-After header, that did nothing (a throttled PATCH changes no
 *     record), and the same request served once retryAfter has passed;
 *   - the parallel limit, held by a request whose client does not read its
 *     large answer (a request is in process until its answer is sent, as
 *     in ASP.NET, where the response is written inside the pipeline; the
 *     answer is made larger than the kernel's send buffer can grow): 429
 *     without retryAfter, for the user from every address, while another
 *     user and the skipped addresses are served; given back when the
 *     client goes;
 *   - another user, the same user from another address, and the skipped
 *     addresses and networks still served while one user is throttled;
 *   - IsDisabled and --throttling off let everything through;
 *   - the defaults: one user's burst is throttled within a minute;
 *   - a malformed appsettings file refuses the start, naming the key.
 */
#include <arpa/inet.h>
#include <check.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

/* A GET every role of the default users may call. */
#define PROBE "/organizations/companies?limit=1"

static test_server server;
static char settings_dir[64];
static char settings_path[320];

/* Writes json as the appsettings file of a new temporary folder. */
static void write_settings(const char *json)
{
    snprintf(settings_dir, sizeof settings_dir, "/tmp/vspc-throttle-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(settings_dir));
    snprintf(settings_path, sizeof settings_path, "%s/appsettings.json", settings_dir);
    FILE *f = fopen(settings_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
}

static void start_with(const char *json, const char *const *more)
{
    write_settings(json);
    const char *args[16] = {"--appsettings", settings_path};
    size_t n = 2;
    for (size_t i = 0; more && more[i] && n < 15; i++)
        args[n++] = more[i];
    args[n] = NULL;
    server_start(&server, args);
}

static void stop(void)
{
    server_stop(&server);
    test_rm_rf(settings_dir);
}

/* One call with token, from source (NULL: 127.0.0.1); the status, the
 * parsed body in *body when body is not NULL, Retry-After in retry. */
static long call(const char *token, const char *source, const char *method, const char *path,
                 const char *json, json_t **body, char *retry, size_t retry_len)
{
    char url[512], auth[4096];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    http_call_from(source);
    http_result r;
    bool ok = http_call(method, url, headers, json, json ? strlen(json) : 0, NULL, &r);
    http_call_from(NULL);
    ck_assert_msg(ok, "%s %s failed", method, path);
    if (body)
        *body = json_loadb(r.body, r.len, 0, NULL);
    if (retry)
        snprintf(retry, retry_len, "%s", r.retry_after);
    long status = r.status;
    http_result_free(&r);
    return status;
}

static long get(const char *token, const char *source, const char *path)
{
    return call(token, source, "GET", path, NULL, NULL, NULL, 0);
}

/* Asserts body is the overview's 429: one error of type transport and code
 * 429 whose message contains part; returns its retryAfter (0 when none). */
static long assert_throttled(json_t *body, const char *part)
{
    json_t *errors = json_object_get(body, "errors");
    ck_assert_int_eq(json_array_size(errors), 1);
    json_t *e = json_array_get(errors, 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "transport");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 429);
    const char *message = json_string_value(json_object_get(e, "message"));
    ck_assert_msg(message && strstr(message, part), "message '%s' lacks '%s'", message, part);
    json_t *retry = json_object_get(e, "retryAfter");
    ck_assert(!retry || json_is_integer(retry));
    return retry ? (long)json_integer_value(retry) : 0;
}

/* --- a server with small limits --------------------------------------- */

/* The user+IP group takes 3 × 2 = 6 requests every 3 s; a user may have
 * one request in process; 127.0.0.3 and 127.0.4.0/24 are skipped. */
static const char *small_limits =
    "{\"Logging\": {\"LogLevel\": {\"Default\": \"Warning\"}},"
    " \"Throttling\": {\"IsDisabled\": false, \"MaxParallelRequestsMultiplier\": \"1\","
    "   \"MaxRequestPerTimeUnitMultiplier\": \"2\", \"SkipIpAddresses\": \"127.0.0.3\","
    "   \"SkipIpNetworks\": [\"127.0.4.0/24\"]},"
    " \"VspcEmulator\": {\"Throttling\": {"
    "   \"User\": {\"MaxParallelRequests\": 1, \"MaxRequestsPerTimeUnit\": 1000,"
    "              \"TimeUnit\": \"00:00:01\"},"
    "   \"UserAndIpAddress\": {\"MaxRequestsPerTimeUnit\": 3, \"TimeUnit\": \"00:00:03\"}}}}";

/* Companies in the world of the small-limits server: their page (with
 * each organization embedded, ~1.4 kB a company) is larger than the most
 * a loopback socket's send buffer grows to (tcp_wmem's maximum), so that
 * it cannot all be handed to the kernel while its client reads nothing. */
static long big_page;

static long companies_for_a_big_page(void)
{
    long low, dflt, max = 4 * 1024 * 1024;
    FILE *f = fopen("/proc/sys/net/ipv4/tcp_wmem", "r");
    if (f) {
        if (fscanf(f, "%ld %ld %ld", &low, &dflt, &max) != 3)
            max = 4 * 1024 * 1024;
        fclose(f);
    }
    return (max + 2 * 1024 * 1024) / 1400;
}

static void start_small(void)
{
    big_page = companies_for_a_big_page();
    char scale[64], page[32];
    snprintf(scale, sizeof scale, "companies=%ld", big_page);
    snprintf(page, sizeof page, "%ld", big_page + 100);
    const char *more[] = {"--scale", scale, "--max-page-size", page, NULL};
    start_with(small_limits, more);
}

START_TEST(per_unit_limit_then_served_after_retry_after)
{
    char *tok = server_token(&server, "operator", "Operator#2026");
    json_t *page;
    ck_assert_int_eq(call(tok, NULL, "GET", "/organizations/companies?limit=1", NULL, &page, NULL, 0),
                     200);
    const char *uid_text =
        json_string_value(json_object_get(json_array_get(json_object_get(page, "data"), 0), "instanceUid"));
    ck_assert_ptr_nonnull(uid_text);
    char uid[64], path[128];
    snprintf(uid, sizeof uid, "%s", uid_text);
    json_decref(page);
    snprintf(path, sizeof path, "/organizations/companies/%s", uid);
    for (int i = 0; i < 5; i++) /* six in all: 3 × MaxRequestPerTimeUnitMultiplier */
        ck_assert_int_eq(get(tok, NULL, PROBE), 200);
    /* the seventh does nothing: a PATCH that would rename the company */
    json_t *body;
    char retry[32];
    ck_assert_int_eq(call(tok, NULL, "PATCH", path,
                          "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Throttled\"}]", &body,
                          retry, sizeof retry),
                     429);
    long after = assert_throttled(body, "at most 6");
    json_decref(body);
    ck_assert_int_ge(after, 1);
    ck_assert_int_le(after, 3);
    ck_assert_int_eq(atol(retry), after);
    ck_assert_int_eq(call(tok, NULL, "GET", PROBE, NULL, &body, retry, sizeof retry), 429);
    ck_assert_int_le(assert_throttled(body, "user and client address"), after);
    json_decref(body);
    sleep((unsigned)after);
    ck_assert_int_eq(call(tok, NULL, "GET", path, NULL, &body, NULL, 0), 200);
    const char *name = json_string_value(json_object_get(json_object_get(body, "data"), "name"));
    ck_assert_ptr_nonnull(name);
    ck_assert_str_ne(name, "Throttled");
    json_decref(body);
    free(tok);
}
END_TEST

/* A connection that takes almost nothing in: its receive buffer is made
 * small before connecting, and nothing is read. */
static int unread_connection(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    int small = 2048;
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small), 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    return fd;
}

START_TEST(parallel_limit_counts_an_unread_answer)
{
    char *admin = strdup(http_bearer());
    char *other = server_token(&server, "readonly", "Readonly#2026");
    char request[4096];
    int n = snprintf(request, sizeof request,
                     "GET /api/v3/organizations/companies?limit=%ld&expand=organization "
                     "HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
                     big_page + 100, admin);
    int fd = unread_connection();
    ck_assert_int_eq(send(fd, request, (size_t)n, MSG_NOSIGNAL), n);
    /* the first bytes of the answer: the request has been let in and is
     * being sent, slower than the client reads (not at all) */
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 20000), 1);
    char head[16] = {0};
    ck_assert_int_eq(recv(fd, head, 12, MSG_PEEK), 12);
    ck_assert_str_eq(head, "HTTP/1.1 200");

    json_t *body;
    char retry[32];
    ck_assert_int_eq(call(admin, NULL, "GET", PROBE, NULL, &body, retry, sizeof retry), 429);
    ck_assert_int_eq(assert_throttled(body, "in process at once for the user group"), 0);
    ck_assert_str_eq(retry, ""); /* no time to tell */
    json_decref(body);
    /* the user's group counts it from any address */
    ck_assert_int_eq(get(admin, "127.0.0.2", PROBE), 429);
    /* another user, and the skipped address and network, are served */
    ck_assert_int_eq(get(other, NULL, PROBE), 200);
    ck_assert_int_eq(get(admin, "127.0.0.3", PROBE), 200);
    ck_assert_int_eq(get(admin, "127.0.4.20", PROBE), 200);

    close(fd); /* the client goes: its place is given back */
    long status = 0;
    double until = test_now() + 10;
    while ((status = get(admin, NULL, PROBE)) == 429 && test_now() < until)
        usleep(20000);
    ck_assert_int_eq(status, 200);
    free(admin);
    free(other);
}
END_TEST

START_TEST(others_served_while_one_user_is_throttled)
{
    char *tok = server_token(&server, "siteadmin", "Siteadmin#2026");
    char *other = server_token(&server, "nimbus.admin", "NimbusAdmin#2026");
    int served = 0;
    while (get(tok, NULL, PROBE) == 200)
        ck_assert_int_le(++served, 6);
    ck_assert_int_eq(served, 6);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(get(other, NULL, PROBE), 200);
    ck_assert_int_eq(get(tok, "127.0.0.2", PROBE), 200); /* the user at another address */
    for (int i = 0; i < 10; i++) /* neither limited nor counted */
        ck_assert_int_eq(get(tok, "127.0.0.3", PROBE), 200);
    ck_assert_int_eq(get(tok, "127.0.4.9", PROBE), 200);
    ck_assert_int_eq(get(tok, NULL, PROBE), 429);
    free(tok);
    free(other);
}
END_TEST

/* --- switched off ------------------------------------------------------ */

/* Two requests a minute from one user at one address. */
static const char *two_a_minute =
    "{\"Throttling\": {\"IsDisabled\": %s},"
    " \"VspcEmulator\": {\"Throttling\": {\"UserAndIpAddress\":"
    "   {\"MaxRequestsPerTimeUnit\": 2, \"TimeUnit\": \"00:01:00\"}}}}";

/* The number of 200s of 20 requests as the administrator. */
static int served_of_twenty(void)
{
    int served = 0;
    for (int i = 0; i < 20; i++)
        served += get(http_bearer(), NULL, PROBE) == 200;
    return served;
}

START_TEST(is_disabled_lets_everything_through)
{
    char json[512];
    snprintf(json, sizeof json, two_a_minute, "false");
    start_with(json, NULL);
    ck_assert_int_eq(served_of_twenty(), 2); /* the same file, enabled: the limit bites */
    stop();
    snprintf(json, sizeof json, two_a_minute, "true");
    start_with(json, NULL);
    ck_assert_int_eq(served_of_twenty(), 20);
    stop();
}
END_TEST

START_TEST(throttling_off_lets_everything_through)
{
    char json[512];
    snprintf(json, sizeof json, two_a_minute, "false");
    const char *off[] = {"--throttling", "off", NULL};
    start_with(json, off);
    ck_assert_int_eq(served_of_twenty(), 20);
    stop();
}
END_TEST

/* --- the defaults -------------------------------------------------------- */

START_TEST(defaults_throttle_a_burst_of_one_user)
{
    server_start(&server, NULL);
    const char *admin = http_bearer();
    long served = 0, status;
    json_t *body = NULL;
    while ((status = call(admin, NULL, "GET", PROBE, NULL, &body, NULL, 0)) == 200 &&
           served < 7000) {
        served++;
        json_decref(body);
        body = NULL;
    }
    ck_assert_int_eq(status, 429);
    ck_assert_int_eq(served, 6000); /* a minute's worth of one user at one address */
    long after = assert_throttled(body, "at most 6000 every 60 s");
    ck_assert_int_ge(after, 1);
    ck_assert_int_le(after, 60);
    json_decref(body);
    ck_assert_int_eq(get(admin, "127.0.0.2", PROBE), 200);
    char *other = server_token(&server, "operator", "Operator#2026");
    ck_assert_int_eq(get(other, NULL, PROBE), 200);
    free(other);
    server_stop(&server);
}
END_TEST

/* --- refused at start ---------------------------------------------------- */

/* Runs the server on the settings file; its exit status, what it wrote. */
static int run_refused(char *out, size_t len)
{
    const char *args[] = {"--appsettings", settings_path, NULL};
    return server_run_to_exit(args, out, len);
}

START_TEST(malformed_appsettings_refused_at_start)
{
    static const struct {
        const char *json, *names;
    } cases[] = {
        {"{\"Throttling\": {\"MaxParallelRequestsMultiplier\": \"five\"}}",
         "Throttling.MaxParallelRequestsMultiplier: 'five'"},
        {"{\"Throttling\": {\"SkipIpNetworks\": [\"10.0.0.0/8\", \"300.0.0.0/8\"]}}",
         "Throttling.SkipIpNetworks[1]"},
        {"{\"Throttling\": {\"SkipIpAddresses\": \"127.0.0.1;127.0.0.2\"}}",
         "Throttling.SkipIpAddresses"},
        {"{\"AsyncAction\": {\"ResultExpirationTime\": \"5m\"}}",
         "AsyncAction.ResultExpirationTime: '5m' is not a TimeSpan"},
        {"{\"VspcEmulator\": {\"Throttling\": {\"User\": {\"MaxRequestsPerTimeUnit\": -1}}}}",
         "VspcEmulator.Throttling.User.MaxRequestsPerTimeUnit"},
        {"{\"Throttling\": {\"IsDisabled\": no}}", "appsettings.json:1:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_settings(cases[i].json);
        char out[4096];
        int status = run_refused(out, sizeof out);
        ck_assert_msg(status == 2, "%s: exit %d: %s", cases[i].json, status, out);
        ck_assert_msg(strstr(out, cases[i].names) && strstr(out, settings_path), "%s: %s",
                      cases[i].json, out);
        ck_assert_ptr_null(strstr(out, "ready in"));
        test_rm_rf(settings_dir);
    }
    /* a file that is not there */
    write_settings("{}");
    char missing[400];
    snprintf(missing, sizeof missing, "%s", settings_path);
    unlink(settings_path);
    char out[4096];
    ck_assert_int_eq(run_refused(out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, missing));
    test_rm_rf(settings_dir);
}
END_TEST

static Suite *throttle_suite(void)
{
    Suite *s = suite_create("http_throttle");
    TCase *small = tcase_create("small limits");
    tcase_add_unchecked_fixture(small, start_small, stop);
    tcase_add_test(small, per_unit_limit_then_served_after_retry_after);
    tcase_add_test(small, parallel_limit_counts_an_unread_answer);
    tcase_add_test(small, others_served_while_one_user_is_throttled);
    tcase_set_timeout(small, 120);
    suite_add_tcase(s, small);
    TCase *off = tcase_create("off");
    tcase_add_test(off, is_disabled_lets_everything_through);
    tcase_add_test(off, throttling_off_lets_everything_through);
    tcase_add_test(off, defaults_throttle_a_burst_of_one_user);
    tcase_add_test(off, malformed_appsettings_refused_at_start);
    tcase_set_timeout(off, 180);
    suite_add_tcase(s, off);
    return s;
}

int main(void)
{
    return test_run_suite(throttle_suite(), CK_FORK);
}
