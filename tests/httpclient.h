/* httpclient.h — test helpers: start build/vspc-emulator as a child process
 * on a free port and talk to it over real HTTP(S) with libcurl. */
#ifndef VSPC_TEST_HTTPCLIENT_H
#define VSPC_TEST_HTTPCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct test_server {
    pid_t pid;
    int port;
    bool tls;
    char base[128];     /* "http://127.0.0.1:PORT" */
    char data_dir[256]; /* a fresh temporary folder, removed by server_stop */
} test_server;

/* Starts the server with --port 0 --bind 127.0.0.1 --data-dir <tmp> --tls off
 * --async-after 86400 (nothing async: a later flag wins) --clock manual (a
 * still world; VSPC_TEST_CLOCK gives another clock) and the extra arguments (NULL-terminated list, may be NULL); waits for its
 * banner and reads the port from it. Aborts the test run on failure. */
/* The admin secret (--admin-secret) server_start gives its servers. */
#define TEST_ADMIN_SECRET "vspc-test-admin-secret"
void server_start(test_server *s, const char *const *extra_args);
/* The same, on an existing data dir (a restart keeps the state). */
void server_start_at(test_server *s, const char *data_dir, const char *const *extra_args);
/* Sends sig (SIGTERM, SIGKILL) and waits; the data dir stays. Returns the
 * exit status (-1 when killed by a signal). */
int server_halt(test_server *s, int sig);
/* SIGTERM, wait, remove the data dir; returns the exit status. */
int server_stop(test_server *s);
/* Runs the server on a fresh data directory with extra_args (NULL-ended)
 * until it exits, or until it says it is ready (then it is stopped): its
 * exit status (-1 if killed by a signal), what it wrote in out. For flags
 * that must stop the start. */
int server_run_to_exit(const char *const *extra_args, char *out, size_t len);

typedef struct http_result {
    long status;
    char *body;  /* NUL-terminated, owned */
    size_t len;
    char content_type[128];
    char allow[128];
    char location[256]; /* the Location header (202 answers) */
    char retry_after[32]; /* the Retry-After header, "" when none */
    char cache_control[64]; /* the Cache-Control header, "" when none */
    long new_connections; /* connections curl had to open for this call */
} http_result;

/* curl's write callback for a text body of a test's own curl handle:
 * appends to the NUL-terminated string at *(char **)userdata (NULL to
 * begin with; the caller frees it). */
size_t http_collect_text(char *ptr, size_t size, size_t n, void *userdata);

/* One request on a kept-alive connection. `headers` is a NULL-terminated
 * list of "Name: value" lines (may be NULL). `ca_file` verifies TLS against
 * that certificate (NULL: plain HTTP). False if curl itself failed. */
bool http_call(const char *method, const char *url, const char *const *headers,
               const char *body, size_t body_len, const char *ca_file, http_result *out);
void http_result_free(http_result *r);

/* The bearer credential http_call adds as "Authorization: Bearer ..." when
 * the caller's headers have no Authorization line (an "Authorization:"
 * line with no value sends none). server_start signs in as the default
 * administrator and sets it; "" sends nothing. */
void http_set_bearer(const char *credential);
const char *http_bearer(void);
/* Password grant against s; on success its access token becomes the
 * bearer. */
bool server_sign_in(const test_server *s, const char *user, const char *password);
/* An access token of login (the caller frees it), by a password grant
 * against s; password NULL: the default user's (test_default_users). The
 * bearer is left as it was. Fails the running test when the grant does. */
char *server_token(const test_server *s, const char *login, const char *password);
/* The next calls leave from this local address ("127.0.0.2": any of
 * 127/8 reaches a server on 127.0.0.1), each on a connection of its own;
 * NULL or "" goes back to the default, on kept-alive connections. */
void http_call_from(const char *source_ip);
/* Skips TLS verification (on) for the next calls; returns the old setting. */
bool http_call_insecure(bool on);

/* One call to s with an explicit credential ("" = no Authorization
 * header): path under /api/v3, content_type NULL for JSON; the answer
 * parsed (NULL if not JSON) and its status in *status. */
struct json_t;
struct json_t *http_call_as(const test_server *s, const char *credential, const char *method,
                            const char *path, const char *content_type, const char *body,
                            long *status);

/* One call to s's admin API (path from the server's root: "/_emulator/faults")
 * with "Authorization: Bearer credential" (NULL: TEST_ADMIN_SECRET; "": no
 * Authorization header) and a JSON body (or NULL); the answer parsed (NULL
 * if not JSON), its status in *status. */
struct json_t *server_admin_call(const test_server *s, const char *credential, const char *method,
                                 const char *path, const char *body, long *status);

/* Convenience: GET base+path, JSON parsed (NULL if not JSON). */
struct json_t;
struct json_t *http_get_json(const test_server *s, const char *path, long *status);

/* GET /metrics of s without a credential, as Prometheus scrapes it: 200 in
 * the text format's content type (asserted); the body, which the caller
 * frees. */
char *http_scrape_metrics(const test_server *s);
/* The value text of the sample whose name and labels are exactly series
 * ("vspc_rest__total_requests", "x{a=\"b\"}") in a scrape, or NULL when it
 * is absent; and that value as a number (0 when absent). */
const char *http_metric_sample(const char *text, const char *series);
double http_metric_value(const char *text, const char *series);

#endif
