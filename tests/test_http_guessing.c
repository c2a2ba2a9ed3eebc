/* test_http_guessing.c — the guessing guard over real HTTP (login_guard.h):
 * wrong passwords close a login (the right password too) with a 429 in
 * VSPC's envelope and a Retry-After header, until the window passes and a
 * success resets the count; the address budget spans logins and is per
 * client address; MFA codes and reset codes are counted; flags set the
 * policy; guessing does not hold up other clients; and an unknown login
 * costs about what a known one does (both run one PBKDF2).
 *
 * Clients get distinct addresses by binding curl to other loopback
 * addresses (127.0.0.2, ...), which Linux routes to the server on
 * 127.0.0.1. Windows are the real ones (1 s first), so a test sleeps a
 * little over a second where it waits one out.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "httpclient.h"
#include "auth/login_guard.h"
#include "testutil.h"
#include "crypto/totp.h"

static test_server server;

#define ADMIN_UID "c7d60e26-3b35-484a-8ec1-5d5d221096c5"
#define OPERATOR_OK "Operator%232026"
#define READONLY_OK "Readonly%232026"

typedef struct answer {
    long status;
    json_t *json;      /* the body parsed, or NULL */
    long retry_header; /* Retry-After, -1 if absent */
    double seconds;    /* how long the call took */
} answer;

static size_t on_header(char *ptr, size_t size, size_t n, void *userdata)
{
    long *retry = userdata;
    size_t len = size * n;
    if (len > 12 && !strncasecmp(ptr, "Retry-After:", 12))
        *retry = strtol(ptr + 12, NULL, 10);
    return len;
}


/* One call from address `from` (NULL: 127.0.0.1) on handle c (one per
 * thread). bearer NULL: no Authorization. body NULL: none. */
static answer call_from(CURL *c, const char *from, const char *method, const char *path,
                        const char *content_type, const char *body, const char *bearer)
{
    char url[512], auth[4096], ct[128];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    if (bearer) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
        h = curl_slist_append(h, auth);
    }
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
    h = curl_slist_append(h, ct);
    answer a = {0, NULL, -1, 0};
    char *buf = NULL;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_INTERFACE, from ? from : "127.0.0.1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_collect_text);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.retry_header);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    double t0 = test_now();
    CURLcode rc = curl_easy_perform(c);
    a.seconds = test_now() - t0;
    curl_slist_free_all(h);
    ck_assert_msg(rc == CURLE_OK, "curl: %s", curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    a.json = buf ? json_loads(buf, 0, NULL) : NULL;
    free(buf);
    return a;
}

static CURL *main_handle;

/* A password grant from address `from`. */
static answer grant(const char *from, const char *user, const char *password)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=password&username=%s&password=%s", user, password);
    return call_from(main_handle, from, "POST", "/token", "application/x-www-form-urlencoded",
                     form, NULL);
}

/* The status of a password grant. */
static long grant_status(const char *from, const char *user, const char *password)
{
    answer a = grant(from, user, password);
    json_decref(a.json);
    return a.status;
}

static json_t *first_error(const answer *a)
{
    return json_array_get(json_object_get(a->json, "errors"), 0);
}

/* The answer is VSPC's throttling 429; its retryAfter. */
static long assert_throttled(answer a)
{
    ck_assert_int_eq(a.status, 429);
    json_t *e = first_error(&a);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "transport");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 429);
    long retry = (long)json_integer_value(json_object_get(e, "retryAfter"));
    ck_assert_int_ge(retry, 1);
    ck_assert_int_eq(a.retry_header, retry);
    json_decref(a.json);
    return retry;
}

static void assert_invalid_grant(answer a)
{
    ck_assert_int_eq(a.status, 400);
    ck_assert_str_eq(json_string_value(json_object_get(a.json, "error")), "invalid_grant");
    json_decref(a.json);
}

static void wait_out(long seconds)
{
    usleep((useconds_t)(seconds * 1000000 + 200000));
}

static void start_with(const char *const *args)
{
    server_start(&server, args);
    main_handle = curl_easy_init();
    ck_assert_ptr_nonnull(main_handle);
}

static void setup(void) { start_with(NULL); }
static void teardown(void)
{
    curl_easy_cleanup(main_handle);
    server_stop(&server);
}

START_TEST(wrong_passwords_close_the_login)
{
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES; i++)
        assert_invalid_grant(grant(NULL, "operator", "wrong"));
    /* the right password too, and the same login spelt otherwise */
    long retry = assert_throttled(grant(NULL, "operator", OPERATOR_OK));
    ck_assert_int_eq(retry, LOGIN_GUARD_FIRST_BACKOFF);
    assert_throttled(grant(NULL, "VSPC%5COPERATOR", OPERATOR_OK));
    assert_throttled(grant("127.0.0.2", "operator", OPERATOR_OK));
    /* another login from the same address still works */
    ck_assert_int_eq(grant_status(NULL, "readonly", READONLY_OK), 200);
    wait_out(retry);
    ck_assert_int_eq(grant_status(NULL, "operator", OPERATOR_OK), 200);
    /* the success reset the count: a whole budget again before a 429
     * (without the reset, the next failure would already close it) */
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES - 1; i++)
        assert_invalid_grant(grant(NULL, "operator", "wrong"));
    ck_assert_int_eq(grant_status(NULL, "operator", OPERATOR_OK), 200);
}
END_TEST

START_TEST(the_window_doubles)
{
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES; i++)
        assert_invalid_grant(grant(NULL, "operator", "wrong"));
    wait_out(assert_throttled(grant(NULL, "operator", "wrong")));
    assert_invalid_grant(grant(NULL, "operator", "wrong"));
    ck_assert_int_eq(assert_throttled(grant(NULL, "operator", OPERATOR_OK)),
                     2 * LOGIN_GUARD_FIRST_BACKOFF);
}
END_TEST

START_TEST(unknown_logins_are_counted_alike)
{
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES; i++)
        assert_invalid_grant(grant(NULL, "nobody.at.all", "wrong"));
    assert_throttled(grant(NULL, "nobody.at.all", "wrong"));
}
END_TEST

START_TEST(address_budget_spans_logins)
{
    /* spread over logins, each below its own budget */
    int per = LOGIN_GUARD_LOGIN_FAILURES - 1, done = 0;
    for (int n = 0; done < LOGIN_GUARD_IP_FAILURES; n++) {
        char login[32];
        snprintf(login, sizeof login, "sprayed%d", n);
        for (int i = 0; i < per && done < LOGIN_GUARD_IP_FAILURES; i++, done++)
            assert_invalid_grant(grant(NULL, login, "wrong"));
    }
    long retry = assert_throttled(grant(NULL, "readonly", READONLY_OK));
    /* another client is not concerned */
    ck_assert_int_eq(grant_status("127.0.0.2", "readonly", READONLY_OK), 200);
    wait_out(retry);
    ck_assert_int_eq(grant_status(NULL, "readonly", READONLY_OK), 200);
}
END_TEST

/* --- guessing holds nobody up ------------------------------------------------ */

static atomic_int stop_guessing;

/* What one guessing thread saw. */
typedef struct guesser {
    pthread_t thread;
    int throttled;
    double slowest_429;
} guesser;

static void *guess_on(void *arg)
{
    guesser *g = arg;
    CURL *c = curl_easy_init();
    while (c && !atomic_load(&stop_guessing)) {
        answer a = call_from(c, "127.0.0.3", "POST", "/token",
                             "application/x-www-form-urlencoded",
                             "grant_type=password&username=operator&password=wrong", NULL);
        if (a.status == 429) {
            g->throttled++;
            if (a.seconds > g->slowest_429)
                g->slowest_429 = a.seconds;
        }
        json_decref(a.json);
    }
    curl_easy_cleanup(c);
    return NULL;
}

START_TEST(guessing_holds_nobody_up)
{
    guesser g[2] = {{0}}; /* as many guessers as the server has workers */
    atomic_store(&stop_guessing, 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&g[i].thread, NULL, guess_on, &g[i]), 0);
    double slowest = 0;
    for (int i = 0; i < 40; i++) {
        answer a = call_from(main_handle, "127.0.0.1", "GET", "/users/me", NULL, NULL,
                             http_bearer());
        ck_assert_int_eq(a.status, 200);
        json_decref(a.json);
        if (a.seconds > slowest)
            slowest = a.seconds;
        usleep(50000);
    }
    atomic_store(&stop_guessing, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(g[i].thread, NULL);
    /* the guard was engaged the whole time, and answered at once: a
     * refusal that slept for its window would take >= 1 s */
    ck_assert_int_gt(g[0].throttled + g[1].throttled, 10);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(g[i].slowest_429 < 0.5, "a 429 took %.3f s", g[i].slowest_429);
    ck_assert_msg(slowest < 0.5, "another client's GET took %.3f s", slowest);
}
END_TEST

/* --- MFA and reset codes ------------------------------------------------------- */

static void code_at(const char *secret, time_t t, char out[9])
{
    unsigned char key[64];
    long n = base32_decode(secret, key, sizeof key);
    ck_assert_int_gt(n, 0);
    ck_assert(totp_code(key, (size_t)n, TOTP_SHA1, (uint64_t)t, 30, 6, out));
}

/* A six-digit code valid at none of the steps around now. */
static void wrong_code(const char *secret, char out[9])
{
    char near[3][9];
    time_t now = time(NULL);
    for (int i = 0; i < 3; i++)
        code_at(secret, now + 30 * (i - 1), near[i]);
    for (unsigned v = 111111;; v += 1) {
        snprintf(out, 9, "%06u", v % 1000000);
        if (strcmp(out, near[0]) && strcmp(out, near[1]) && strcmp(out, near[2]))
            return;
    }
}

static answer mfa_grant(const char *mfa_token, const char *code)
{
    char form[8192];
    snprintf(form, sizeof form, "grant_type=mfa&mfa_token=%s&mfa_code=%s", mfa_token, code);
    return call_from(main_handle, NULL, "POST", "/token", "application/x-www-form-urlencoded",
                     form, NULL);
}

START_TEST(mfa_codes_are_counted)
{
    answer s = call_from(main_handle, NULL, "GET", "/authentication/keys/totp-secret", NULL,
                         NULL, http_bearer());
    ck_assert_int_eq(s.status, 200);
    char secret[64], path[512], code[9];
    snprintf(secret, sizeof secret, "%s",
             json_string_value(json_object_get(json_object_get(s.json, "data"), "secret")));
    json_decref(s.json);
    code_at(secret, time(NULL), code);
    snprintf(path, sizeof path,
             "/users/%s/logins/totp?secretUrl=otpauth%%3A%%2F%%2Ftotp%%2Fx%%3Fsecret%%3D%s"
             "&code=%s&description=MFA&scopes=ui",
             ADMIN_UID, secret, code);
    answer id = call_from(main_handle, NULL, "POST", path, NULL, NULL, http_bearer());
    ck_assert_int_eq(id.status, 200);
    json_decref(id.json);
    answer first = grant(NULL, "administrator", "Password1");
    ck_assert_int_eq(first.status, 200);
    char mfa[4096];
    snprintf(mfa, sizeof mfa, "%s",
             json_string_value(json_object_get(first.json, "mfa_token")));
    json_decref(first.json);
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES; i++) {
        wrong_code(secret, code);
        assert_invalid_grant(mfa_grant(mfa, code));
    }
    code_at(secret, time(NULL), code);
    long retry = assert_throttled(mfa_grant(mfa, code));
    /* a right password does not reset the codes' count */
    answer again = grant(NULL, "administrator", "Password1");
    ck_assert_int_eq(again.status, 200);
    json_decref(again.json);
    assert_throttled(mfa_grant(mfa, code));
    wait_out(retry);
    code_at(secret, time(NULL), code);
    answer done = mfa_grant(mfa, code);
    ck_assert_int_eq(done.status, 200);
    ck_assert_ptr_nonnull(json_string_value(json_object_get(done.json, "access_token")));
    json_decref(done.json);
}
END_TEST

START_TEST(reset_codes_are_counted)
{
    const char *body = "{\"code\":\"0123456789abcdef0123456789abcdef\",\"newPassword\":\"x\"}";
    for (int i = 0; i < LOGIN_GUARD_IP_FAILURES; i++) {
        answer a = call_from(main_handle, NULL, "PUT", "/users/resetpassword", NULL, body, NULL);
        ck_assert_int_eq(a.status, 400);
        json_decref(a.json);
    }
    assert_throttled(call_from(main_handle, NULL, "PUT", "/users/resetpassword", NULL, body,
                               NULL));
    /* the same address is closed for password grants too */
    assert_throttled(grant(NULL, "operator", OPERATOR_OK));
    answer other = call_from(main_handle, "127.0.0.2", "PUT", "/users/resetpassword", NULL,
                             body, NULL);
    ck_assert_int_eq(other.status, 400);
    json_decref(other.json);
}
END_TEST

/* --- flags ------------------------------------------------------------------------ */

START_TEST(flags_set_the_policy)
{
    teardown();
    const char *args[] = {"--login-failures", "2", "--ip-failures", "3", "--lockout-max", "1",
                          NULL};
    start_with(args);
    assert_invalid_grant(grant(NULL, "operator", "wrong"));
    assert_invalid_grant(grant(NULL, "operator", "wrong"));
    wait_out(assert_throttled(grant(NULL, "operator", OPERATOR_OK)));
    assert_invalid_grant(grant(NULL, "operator", "wrong"));
    /* would be 2 s uncapped; the third failure also spent the address's budget */
    ck_assert_int_eq(assert_throttled(grant("127.0.0.2", "operator", OPERATOR_OK)), 1);
    assert_throttled(grant(NULL, "readonly", READONLY_OK));
    ck_assert_int_eq(grant_status("127.0.0.2", "readonly", READONLY_OK), 200);
}
END_TEST

/* --- the same cost for an unknown login --------------------------------------------- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median time of n wrong password grants for login. */
static double median_grant(const char *login, int n)
{
    double t[64];
    for (int i = 0; i < n; i++) {
        answer a = grant(NULL, login, "wrong");
        ck_assert_int_eq(a.status, 400);
        json_decref(a.json);
        t[i] = a.seconds;
    }
    qsort(t, (size_t)n, sizeof t[0], by_value);
    return t[n / 2];
}

START_TEST(unknown_login_costs_like_a_known_one)
{
    teardown();
    const char *args[] = {"--login-failures", "1000", "--ip-failures", "1000", NULL};
    start_with(args);
    double unknown = median_grant("nobody.at.all", 21), known = median_grant("operator", 21);
    /* before the dummy hash the ratio was about 0.1; one PBKDF2 each makes
     * it about 1. A loose bound: no flaky timing */
    ck_assert_msg(unknown >= 0.5 * known, "unknown %.4f s, known %.4f s", unknown, known);
}
END_TEST

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Suite *s = suite_create("http_guessing");
    TCase *tc = tcase_create("guard");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, wrong_passwords_close_the_login);
    tcase_add_test(tc, the_window_doubles);
    tcase_add_test(tc, unknown_logins_are_counted_alike);
    tcase_add_test(tc, address_budget_spans_logins);
    tcase_add_test(tc, guessing_holds_nobody_up);
    tcase_add_test(tc, mfa_codes_are_counted);
    tcase_add_test(tc, reset_codes_are_counted);
    tcase_add_test(tc, flags_set_the_policy);
    tcase_add_test(tc, unknown_login_costs_like_a_known_one);
    suite_add_tcase(s, tc);
    int rc = test_run_suite(s, CK_NOFORK);
    curl_global_cleanup();
    return rc;
}
