/* test_login_guard.c — unit tests of login_guard.c on a clock the test
 * moves: the free budgets per login and per address, the doubling window
 * and its cap, forgetting after quiet, a success resetting the login only,
 * kinds kept apart, IPv6 counted by /64, the bounded table keeping a locked
 * login while random names are sprayed, exact counting under threads, the
 * 429 answer; and accounts_sign_in costing one PBKDF2 for an unknown login
 * as for a known one.
 */
#include <check.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/accounts.h"
#include "auth/credentials.h"
#include "answer/errors.h"
#include "auth/login_guard.h"
#include "crypto/password.h"
#include "store/store.h"
#include "testutil.h"

static long long now_ms;
static long long fake_clock(void *ctx)
{
    (void)ctx;
    return now_ms;
}

static login_guard *g;

static void setup(void)
{
    now_ms = 1000000;
    g = login_guard_new(NULL);
    ck_assert_ptr_nonnull(g);
    login_guard_set_clock(g, fake_clock, NULL);
}

static void teardown(void)
{
    login_guard_free(g);
}

static void fail_times(const char *login, const char *ip, int n)
{
    for (int i = 0; i < n; i++)
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, login, ip);
}

static long wait_for(const char *login, const char *ip)
{
    return login_guard_wait(g, LOGIN_GUARD_PASSWORD, login, ip);
}

START_TEST(login_budget_then_window)
{
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES - 1; i++) {
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.1");
        ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 0);
    }
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.1");
    /* the same login in any case, with a domain, from anywhere */
    ck_assert_int_eq(wait_for("operator", "10.0.0.1"), LOGIN_GUARD_FIRST_BACKOFF);
    ck_assert_int_eq(wait_for("VSPC\\OPERATOR", "10.9.9.9"), LOGIN_GUARD_FIRST_BACKOFF);
    /* another login, another address: free */
    ck_assert_int_eq(wait_for("readonly", "10.9.9.9"), 0);
    /* rounded up while it lasts, then open again */
    now_ms += 400;
    ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 1);
    now_ms += 600;
    ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 0);
}
END_TEST

START_TEST(window_doubles_up_to_the_cap)
{
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES);
    long expect = LOGIN_GUARD_FIRST_BACKOFF;
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(wait_for("operator", NULL), expect);
        now_ms += expect * 1000; /* the window passes; one more guess */
        ck_assert_int_eq(wait_for("operator", NULL), 0);
        /* each from its own address: only the login's count grows */
        char ip[32];
        snprintf(ip, sizeof ip, "10.1.0.%d", i);
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", ip);
        expect = expect * 2 > LOGIN_GUARD_MAX_BACKOFF ? LOGIN_GUARD_MAX_BACKOFF : expect * 2;
    }
    ck_assert_int_eq(wait_for("operator", NULL), LOGIN_GUARD_MAX_BACKOFF);
}
END_TEST

START_TEST(attempts_inside_a_window_do_not_count)
{
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES);
    /* the handler asks, is refused, and does not call failed: the window
     * stays as it was */
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 1);
    now_ms += 1000;
    ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 0);
}
END_TEST

START_TEST(success_resets_the_login_only)
{
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES);
    now_ms += 1000;
    login_guard_succeeded(g, LOGIN_GUARD_PASSWORD, "Operator");
    /* the count starts again: a whole budget before the next window */
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES - 1);
    ck_assert_int_eq(wait_for("operator", "10.0.0.1"), 0);
    /* the address kept its count: 2 * budget - 1 failures so far */
    fail_times("x", "10.0.0.1", LOGIN_GUARD_IP_FAILURES - (2 * LOGIN_GUARD_LOGIN_FAILURES - 1));
    ck_assert_int_eq(wait_for("anyone", "10.0.0.1"), 1);
}
END_TEST

START_TEST(address_budget_spans_logins)
{
    char login[32];
    for (int i = 0; i < LOGIN_GUARD_IP_FAILURES; i++) {
        ck_assert_int_eq(wait_for("fresh", "10.0.0.7"), 0);
        snprintf(login, sizeof login, "user%d", i);
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, login, "10.0.0.7");
    }
    ck_assert_int_eq(wait_for("fresh", "10.0.0.7"), 1);
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_RESET, NULL, "10.0.0.7"), 1);
    ck_assert_int_eq(wait_for("fresh", "10.0.0.8"), 0);
    /* after the window and a quiet minute, forgotten */
    now_ms += 1000 + LOGIN_GUARD_IP_QUIET * 1000LL;
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "user0", "10.0.0.7");
    ck_assert_int_eq(wait_for("fresh", "10.0.0.7"), 0);
}
END_TEST

START_TEST(quiet_forgets_a_login)
{
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES - 1);
    now_ms += (LOGIN_GUARD_LOGIN_QUIET - 1) * 1000LL;
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.2");
    ck_assert_int_eq(wait_for("operator", NULL), 1); /* not quiet long enough */
    now_ms += 1000 + LOGIN_GUARD_LOGIN_QUIET * 1000LL;
    fail_times("operator", "10.0.0.3", LOGIN_GUARD_LOGIN_FAILURES - 1);
    ck_assert_int_eq(wait_for("operator", NULL), 0);
}
END_TEST

START_TEST(kinds_are_apart)
{
    const char *uid = "c7d60e26-3b35-484a-8ec1-5d5d221096c5";
    for (int i = 0; i < LOGIN_GUARD_LOGIN_FAILURES; i++)
        login_guard_failed(g, LOGIN_GUARD_MFA, uid, "10.0.0.1");
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_MFA, uid, "10.0.0.2"), 1);
    ck_assert_int_eq(wait_for(uid, "10.0.0.2"), 0);
    /* a right password does not reset the codes guessed */
    login_guard_succeeded(g, LOGIN_GUARD_PASSWORD, uid);
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_MFA, uid, "10.0.0.2"), 1);
    login_guard_succeeded(g, LOGIN_GUARD_MFA, uid);
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_MFA, uid, "10.0.0.2"), 0);
    /* reset codes count the address only */
    for (int i = 0; i < LOGIN_GUARD_IP_FAILURES; i++)
        login_guard_failed(g, LOGIN_GUARD_RESET, NULL, "10.0.0.9");
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_RESET, NULL, "10.0.0.9"), 1);
    ck_assert_int_eq(login_guard_wait(g, LOGIN_GUARD_RESET, NULL, "10.0.0.10"), 0);
}
END_TEST

START_TEST(ipv6_counts_by_its_64)
{
    for (int i = 0; i < LOGIN_GUARD_IP_FAILURES; i++) {
        char ip[64], login[32];
        snprintf(ip, sizeof ip, "2001:db8:1:2::%x", i + 1);
        snprintf(login, sizeof login, "user%d", i);
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, login, ip);
    }
    ck_assert_int_eq(wait_for("fresh", "2001:db8:1:2:ffff::1"), 1);
    ck_assert_int_eq(wait_for("fresh", "2001:db8:1:3::1"), 0);
    /* an IPv4-mapped address is its IPv4 */
    fail_times("v4", "::ffff:192.0.2.1", LOGIN_GUARD_IP_FAILURES - 1);
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "v4b", "192.0.2.1");
    ck_assert_int_eq(wait_for("fresh", "192.0.2.1"), 1);
}
END_TEST

START_TEST(spraying_does_not_evict_a_locked_login)
{
    /* a 64 s window, the oldest entry of all by the end */
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES + 6);
    ck_assert_int_eq(wait_for("operator", NULL), 64);
    char login[32], ip[32];
    for (int i = 0; i < 2 * LOGIN_GUARD_SLOTS; i++) {
        now_ms += 5;
        snprintf(login, sizeof login, "random%d", i);
        snprintf(ip, sizeof ip, "10.%d.%d.%d", 100 + i / 65536, i / 256 % 256, i % 256);
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, login, ip);
    }
    ck_assert_int_ge(wait_for("operator", "10.200.0.1"), 1);
    ck_assert_int_eq(wait_for("fresh", "10.0.0.1"), 0);
}
END_TEST

enum { THREADS = 8, EACH = 250 };

static void *hammer(void *arg)
{
    (void)arg;
    for (int i = 0; i < EACH; i++)
        login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.1");
    return NULL;
}

START_TEST(counts_exactly_under_threads)
{
    login_guard_free(g);
    login_guard_policy p = {THREADS * EACH, 1000000, 300};
    g = login_guard_new(&p);
    login_guard_set_clock(g, fake_clock, NULL);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    /* the last failure of the budget opens the first window: one lost
     * update would leave it closed */
    ck_assert_int_eq(wait_for("operator", NULL), 1);
}
END_TEST

START_TEST(policy_from_flags)
{
    login_guard_free(g);
    login_guard_policy p = {2, 3, 1};
    g = login_guard_new(&p);
    login_guard_set_clock(g, fake_clock, NULL);
    fail_times("operator", "10.0.0.1", 2);
    ck_assert_int_eq(wait_for("operator", NULL), 1);
    now_ms += 1000;
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.2");
    ck_assert_int_eq(wait_for("operator", NULL), 1); /* capped at 1 s */
    ck_assert_int_eq(wait_for("other", "10.0.0.1"), 0);
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "x", "10.0.0.1");
    login_guard_failed(g, LOGIN_GUARD_PASSWORD, "y", "10.0.0.1");
    ck_assert_int_eq(wait_for("other", "10.0.0.1"), 1);
}
END_TEST

START_TEST(refusal_is_a_429)
{
    fail_times("operator", "10.0.0.1", LOGIN_GUARD_LOGIN_FAILURES + 2);
    response r;
    response_init(&r);
    ck_assert(login_guard_refuse(g, LOGIN_GUARD_PASSWORD, "operator", "10.0.0.5", &r));
    ck_assert_int_eq(r.status, 429);
    ck_assert_int_eq(r.retry_after, 4);
    response_serialise(&r);
    json_t *body = json_loadb(r.body, r.len, 0, NULL);
    json_t *e = json_array_get(json_object_get(body, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "type")), "transport");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 429);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "retryAfter")), 4);
    json_decref(body);
    response_clear(&r);
    response_init(&r);
    ck_assert(!login_guard_refuse(g, LOGIN_GUARD_PASSWORD, "readonly", "10.0.0.5", &r));
    ck_assert_int_eq(r.retry_after, 0);
    response_clear(&r);
    /* no guard: nothing is held back */
    ck_assert(!login_guard_refuse(NULL, LOGIN_GUARD_PASSWORD, "operator", NULL, &r));
    login_guard_failed(NULL, LOGIN_GUARD_PASSWORD, "operator", NULL);
    login_guard_succeeded(NULL, LOGIN_GUARD_PASSWORD, "operator");
}
END_TEST

/* --- accounts_sign_in: one PBKDF2 on every path -------------------------------- */

static void put_user(store *st, const char *uid, const char *name, const char *status,
                     const char *password)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "instanceUid", uid, "userName", name, "status",
                             status);
    store_record rec = {"User", uid, uid, NULL, body, NULL, NULL, NULL};
    ck_assert_int_eq(store_put(st, &rec, false), STORE_OK);
    json_decref(body);
    if (password) {
        char *hash = password_hash(password);
        ck_assert(credentials_put(st, "password", uid, 1, hash, 0));
        free(hash);
    }
}

/* The derivations accounts_sign_in ran, and whether it signed in. */
static unsigned long cost_of(store *st, const char *login, const char *password, bool *in)
{
    unsigned long before = password_derivations();
    json_t *user = accounts_sign_in(st, login, password);
    unsigned long after = password_derivations();
    *in = user != NULL;
    json_decref(user);
    return after - before;
}

START_TEST(unknown_logins_cost_one_pbkdf2)
{
    char dir[] = "/tmp/vspc-guard-XXXXXX", db[64], err[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    ck_assert(credentials_init(st));
    put_user(st, "u-1", "operator", "Enabled", "Right#1");
    put_user(st, "u-2", "gone", "Disabled", "Right#2");
    put_user(st, "u-3", "nohash", "Enabled", NULL);
    password_init();
    bool in;
    ck_assert_uint_eq(cost_of(st, "vspc\\OPERATOR", "Right#1", &in), 1);
    ck_assert(in);
    ck_assert_uint_eq(cost_of(st, "operator", "wrong", &in), 1);
    ck_assert(!in);
    ck_assert_uint_eq(cost_of(st, "nobody", "wrong", &in), 1);
    ck_assert(!in);
    ck_assert_uint_eq(cost_of(st, "nohash", "wrong", &in), 1);
    ck_assert(!in);
    ck_assert_uint_eq(cost_of(st, "gone", "Right#2", &in), 1);
    ck_assert(!in);
    /* the dummy has the real iteration count */
    ck_assert(!password_verify_dummy("anything"));
    store_close(st);
    test_rm_rf(dir);
}
END_TEST

static Suite *guard_suite(void)
{
    Suite *s = suite_create("login_guard");
    TCase *tc = tcase_create("guard");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, login_budget_then_window);
    tcase_add_test(tc, window_doubles_up_to_the_cap);
    tcase_add_test(tc, attempts_inside_a_window_do_not_count);
    tcase_add_test(tc, success_resets_the_login_only);
    tcase_add_test(tc, address_budget_spans_logins);
    tcase_add_test(tc, quiet_forgets_a_login);
    tcase_add_test(tc, kinds_are_apart);
    tcase_add_test(tc, ipv6_counts_by_its_64);
    tcase_add_test(tc, spraying_does_not_evict_a_locked_login);
    tcase_add_test(tc, counts_exactly_under_threads);
    tcase_add_test(tc, policy_from_flags);
    tcase_add_test(tc, refusal_is_a_429);
    suite_add_tcase(s, tc);
    TCase *cost = tcase_create("cost");
    tcase_add_test(cost, unknown_logins_cost_one_pbkdf2);
    suite_add_tcase(s, cost);
    return s;
}

int main(void)
{
    return test_run_suite(guard_suite(), CK_FORK);
}
