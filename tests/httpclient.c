/* httpclient.c — see httpclient.h. */
#include "httpclient.h"
#include "testutil.h"

#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
    fprintf(stderr, "test harness: %s\n", what);
    exit(2);
}

void server_start(test_server *s, const char *const *extra_args)
{
    char dir[] = "/tmp/vspc-test-XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp failed");
    server_start_at(s, dir, extra_args);
}

void server_start_at(test_server *s, const char *data_dir, const char *const *extra_args)
{
    const char *binary = getenv("VSPC_BINARY");
    if (!binary)
        binary = "build/vspc-emulator";
    if (data_dir != s->data_dir)
        snprintf(s->data_dir, sizeof s->data_dir, "%s", data_dir);
    int out[2];
    if (pipe(out))
        die("pipe failed");
    /* plain HTTP unless the extra arguments say --tls on (a later flag wins);
     * every operation answered at once unless they give --async-after (the
     * async tests do): the other tests check answers, not their timing */
    /* a still world unless VSPC_TEST_CLOCK or the extra arguments say
     * otherwise: the tests assert on records a moving clock would change;
     * the admin API opens with TEST_ADMIN_SECRET unless they give another */
    const char *clock = getenv("VSPC_TEST_CLOCK");
    const char *argv[64] = {binary, "--port", "0", "--bind", "127.0.0.1", "--data-dir",
                            s->data_dir, "--log-level", "warn", "--tls", "off",
                            "--async-after", "86400", "--clock", clock && *clock ? clock : "manual",
                            "--admin-secret", TEST_ADMIN_SECRET};
    size_t argc = 17;
    s->tls = false;
    for (size_t i = 0; extra_args && extra_args[i] && argc < 62; i++) {
        argv[argc++] = extra_args[i];
        if (!strcmp(extra_args[i], "on") && i > 0 && !strcmp(extra_args[i - 1], "--tls"))
            s->tls = true;
    }
    argv[argc] = NULL;
    s->pid = fork();
    if (s->pid < 0)
        die("fork failed");
    if (s->pid == 0) {
        /* a test that fails without forking (CK_NOFORK) never stops its
         * server; it must not outlive the test, nor hold meson's pipe of
         * the test's stderr open until the timeout */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(127);
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execv(binary, (char *const *)argv);
        perror(binary);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[512];
    s->port = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *url = strstr(line, "URL:");
        char *colon = url ? strstr(url, "://") : NULL;
        colon = colon ? strchr(colon + 3, ':') : NULL;
        if (colon) {
            s->port = atoi(colon + 1);
            break;
        }
    }
    if (f)
        fclose(f); /* the server writes nothing more after its banner */
    if (s->port <= 0)
        die("the server did not print its URL");
    snprintf(s->base, sizeof s->base, "%s://127.0.0.1:%d", s->tls ? "https" : "http", s->port);
    server_sign_in(s, "administrator", "Password1");
}

int server_halt(test_server *s, int sig)
{
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, sig);
        waitpid(s->pid, &status, 0);
        s->pid = 0;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int server_run_to_exit(const char *const *extra_args, char *out, size_t len)
{
    const char *binary = getenv("VSPC_BINARY") ? getenv("VSPC_BINARY") : "build/vspc-emulator";
    char data[] = "/tmp/vspc-refused-data-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(data));
    const char *argv[64] = {binary, "--port", "0", "--bind", "127.0.0.1", "--tls", "off",
                            "--data-dir", data};
    size_t n = 9;
    for (size_t i = 0; extra_args && extra_args[i] && n < 63; i++)
        argv[n++] = extra_args[i];
    argv[n] = NULL;
    int pipefd[2];
    ck_assert_int_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t got_total = 0;
    ssize_t got;
    struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
    while (got_total + 1 < len && poll(&p, 1, 20000) == 1 &&
           (got = read(pipefd[0], out + got_total, len - 1 - got_total)) > 0) {
        got_total += (size_t)got;
        out[got_total] = 0;
        if (strstr(out, "ready in"))
            break;
    }
    out[got_total] = 0;
    close(pipefd[0]);
    int status = 0;
    if (strstr(out, "ready in"))
        kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    test_rm_rf(data);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int server_stop(test_server *s)
{
    int status = server_halt(s, SIGTERM);
    test_rm_rf(s->data_dir);
    return status;
}

/* Growing buffer for curl's write callback. */
typedef struct buffer {
    char *data;
    size_t len;
} buffer;

static size_t on_body(char *ptr, size_t size, size_t n, void *userdata)
{
    buffer *b = userdata;
    size_t add = size * n;
    char *grown = realloc(b->data, b->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->len, ptr, add);
    b->data = grown;
    b->len += add;
    b->data[b->len] = 0;
    return add;
}

size_t http_collect_text(char *ptr, size_t size, size_t n, void *userdata)
{
    char **text = userdata;
    size_t have = *text ? strlen(*text) : 0, more = size * n;
    char *grown = realloc(*text, have + more + 1);
    if (!grown)
        return 0;
    memcpy(grown + have, ptr, more);
    grown[have + more] = 0;
    *text = grown;
    return more;
}

static size_t on_header(char *ptr, size_t size, size_t n, void *userdata)
{
    http_result *r = userdata;
    size_t len = size * n;
    char line[256];
    size_t copy = len < sizeof line - 1 ? len : sizeof line - 1;
    memcpy(line, ptr, copy);
    line[copy] = 0;
    line[strcspn(line, "\r\n")] = 0;
    if (!strncasecmp(line, "Content-Type: ", 14))
        snprintf(r->content_type, sizeof r->content_type, "%.127s", line + 14);
    else if (!strncasecmp(line, "Allow: ", 7))
        snprintf(r->allow, sizeof r->allow, "%.127s", line + 7);
    else if (!strncasecmp(line, "Location: ", 10))
        snprintf(r->location, sizeof r->location, "%.200s", line + 10);
    else if (!strncasecmp(line, "Retry-After: ", 13))
        snprintf(r->retry_after, sizeof r->retry_after, "%.31s", line + 13);
    else if (!strncasecmp(line, "Cache-Control: ", 15))
        snprintf(r->cache_control, sizeof r->cache_control, "%.63s", line + 15);
    return len;
}

/* One easy handle per process, so connections are kept alive. */
static CURL *handle(void)
{
    static CURL *curl;
    if (!curl) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        curl = curl_easy_init();
        if (!curl)
            die("curl_easy_init failed");
    }
    return curl;
}

/* The credential http_call sends unless told otherwise. */
static char bearer[16384];

void http_set_bearer(const char *credential)
{
    snprintf(bearer, sizeof bearer, "%s", credential ? credential : "");
}

const char *http_bearer(void)
{
    return bearer;
}

char *server_token(const test_server *s, const char *login, const char *password)
{
    for (size_t i = 0; !password && i < test_ndefault_users; i++)
        if (!strcmp(test_default_users[i].login, login))
            password = test_default_users[i].password;
    ck_assert_msg(password, "no default user %s", login);
    char *was = strdup(bearer);
    ck_assert_msg(server_sign_in(s, login, password), "sign-in of %s", login);
    char *token = strdup(bearer);
    http_set_bearer(was);
    free(was);
    return token;
}

bool server_sign_in(const test_server *s, const char *user, const char *password)
{
    char url[256], body[512];
    snprintf(url, sizeof url, "%s/api/v3/token", s->base);
    snprintf(body, sizeof body, "grant_type=password&username=%s&password=%s", user, password);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Authorization:", NULL};
    http_result r;
    bearer[0] = 0;
    bool insecure_ok = http_call_insecure(true);
    bool ok = http_call("POST", url, headers, body, strlen(body), NULL, &r) && r.status == 200;
    http_call_insecure(insecure_ok);
    json_t *doc = ok ? json_loads(r.body, 0, NULL) : NULL;
    const char *token = json_string_value(json_object_get(doc, "access_token"));
    if (token)
        http_set_bearer(token);
    else
        fprintf(stderr, "sign-in of %s at %s: %ld %s\n", user, s->base, r.status,
                r.body ? r.body : "");
    json_decref(doc);
    http_result_free(&r);
    return token != NULL;
}

/* TLS without verification, for the harness's own sign-in. */
static bool insecure;
/* The local address of the next calls (http_call_from); "" for any. */
static char source[64];

void http_call_from(const char *source_ip)
{
    snprintf(source, sizeof source, "%s", source_ip ? source_ip : "");
}

bool http_call_insecure(bool on)
{
    bool was = insecure;
    insecure = on;
    return was;
}

bool http_call(const char *method, const char *url, const char *const *headers,
               const char *body, size_t body_len, const char *ca_file, http_result *out)
{
    memset(out, 0, sizeof *out);
    CURL *curl = handle();
    buffer b = {0};
    struct curl_slist *list = NULL;
    bool has_auth = false;
    for (size_t i = 0; headers && headers[i]; i++) {
        has_auth = has_auth || !strncasecmp(headers[i], "Authorization:", 14);
        list = curl_slist_append(list, headers[i]);
    }
    if (!has_auth && bearer[0]) {
        char line[sizeof bearer + 32];
        snprintf(line, sizeof line, "Authorization: Bearer %s", bearer);
        list = curl_slist_append(list, line);
    }
    list = curl_slist_append(list, "Expect:"); /* no 100-continue round trip */
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    if (source[0]) {
        char iface[80];
        snprintf(iface, sizeof iface, "host!%s", source);
        curl_easy_setopt(curl, CURLOPT_INTERFACE, iface);
        /* never a kept-alive connection of another address, nor kept for one */
        curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    }
    if (insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (ca_file) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(list);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl %s %s: %s\n", method, url, curl_easy_strerror(rc));
        free(b.data);
        return false;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &out->new_connections);
    out->body = b.data ? b.data : strdup("");
    out->len = b.len;
    return true;
}

void http_result_free(http_result *r)
{
    free(r->body);
    r->body = NULL;
}

json_t *server_admin_call(const test_server *s, const char *credential, const char *method,
                          const char *path, const char *body, long *status)
{
    char url[1024], auth[256];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    if (!credential)
        credential = TEST_ADMIN_SECRET;
    snprintf(auth, sizeof auth, credential[0] ? "Authorization: Bearer %s" : "Authorization:",
             credential);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, body, body ? strlen(body) : 0, NULL, &r));
    *status = r.status;
    json_t *doc = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return doc;
}

json_t *http_get_json(const test_server *s, const char *path, long *status)
{
    char url[2048];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    http_result r;
    if (!http_call("GET", url, NULL, NULL, 0, NULL, &r))
        return NULL;
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return j;
}

json_t *http_call_as(const test_server *s, const char *credential, const char *method,
                     const char *path, const char *content_type, const char *body, long *status)
{
    char url[4096], auth[16384], ct[128];
    snprintf(url, sizeof url, "%s/api/v3%s", s->base, path);
    if (credential[0])
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", credential);
    else
        snprintf(auth, sizeof auth, "Authorization:");
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
    const char *headers[] = {auth, ct, NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, body, body ? strlen(body) : 0, NULL, &r));
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return j;
}

char *http_scrape_metrics(const test_server *s)
{
    char url[256];
    snprintf(url, sizeof url, "%s/metrics", s->base);
    const char *headers[] = {"Authorization:", NULL}; /* none: Prometheus sends none */
    http_result r;
    ck_assert(http_call("GET", url, headers, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    char *text = r.body;
    r.body = NULL;
    http_result_free(&r);
    return text;
}

const char *http_metric_sample(const char *text, const char *series)
{
    size_t len = strlen(series);
    for (const char *p = text; (p = strstr(p, series)) != NULL; p += len)
        if ((p == text || p[-1] == '\n') && p[len] == ' ')
            return p + len + 1;
    return NULL;
}

double http_metric_value(const char *text, const char *series)
{
    const char *v = http_metric_sample(text, series);
    return v ? strtod(v, NULL) : 0;
}
