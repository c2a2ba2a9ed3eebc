/* test_http_token_claims.c — the claims of the tokens POST /token answers,
 * over real HTTP: VSPC's set with string values, the kind of each token,
 * the session (ts) an access and a refresh token share and that a refresh
 * or an MFA step keeps, a new session for every login and impersonation,
 * the user's stable uid, and our own act and ro claims where they apply.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/uuid.h"
#include "crypto/totp.h"
#include "httpclient.h"
#include "testutil.h"

static test_server server;

#define ADMIN_UID "c7d60e26-3b35-484a-8ec1-5d5d221096c5"
#define ALPHA_ADMIN_UID "955b0b80-03b2-49fd-bf38-14785ecff0a8"

static const char *const vspc_claims[] = {"iat", "exp", "sub", "jti",   "name",
                                          "lid", "uid", "ts",  "scope", "kind"};
#define N_VSPC (sizeof vspc_claims / sizeof vspc_claims[0])

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* One call with an explicit credential ("" = no Authorization header). */
#define call_as(...) http_call_as(&server, __VA_ARGS__)

/* POST /token with form, which must answer 200 (caller decrefs). */
static json_t *grant(const char *form)
{
    long st;
    json_t *j = call_as("", "POST", "/token", "application/x-www-form-urlencoded", form, &st);
    ck_assert_msg(st == 200, "POST /token %.40s...: %ld", form, st);
    return j;
}

static json_t *login(const char *user, const char *password, const char *extra)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=password&username=%s&password=%s%s", user, password,
             extra ? extra : "");
    return grant(form);
}

static json_t *refresh(const char *refresh_token)
{
    char form[16384];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", refresh_token);
    return grant(form);
}

/* Whether s is a decimal number without sign or leading zero. */
static bool decimal(const char *s)
{
    if (!s || !s[0] || (s[0] == '0' && s[1]))
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Checks a token's claims as VSPC's: every claim of VSPC's set present
 * and a string, numbers decimal, the kind and the fixed scope; our own
 * extra claims are only `act` and `ro`. Returns the claims (caller
 * decrefs). */
static json_t *vspc_token(const char *jwt, const char *kind)
{
    json_t *c = test_jwt_payload(jwt);
    for (size_t i = 0; i < N_VSPC; i++)
        ck_assert_msg(json_is_string(json_object_get(c, vspc_claims[i])), "%s is a string",
                      vspc_claims[i]);
    const char *key;
    json_t *v;
    json_object_foreach(c, key, v) {
        bool known = !strcmp(key, "act") || !strcmp(key, "ro");
        for (size_t i = 0; i < N_VSPC; i++)
            known = known || !strcmp(key, vspc_claims[i]);
        ck_assert_msg(known, "unexpected claim %s", key);
        ck_assert_msg(json_is_string(v), "%s is a string", key);
    }
    ck_assert(decimal(str(c, "iat")) && decimal(str(c, "exp")) && decimal(str(c, "lid")) &&
              decimal(str(c, "uid")));
    ck_assert_int_gt(atol(str(c, "uid")), 0);
    ck_assert_int_gt(atoll(str(c, "exp")), atoll(str(c, "iat")));
    ck_assert(uuid_valid(str(c, "ts")) && uuid_valid(str(c, "jti")) && uuid_valid(str(c, "sub")));
    ck_assert_str_eq(str(c, "scope"), "2");
    ck_assert_str_eq(str(c, "kind"), kind);
    return c;
}

static void current_code(const char *secret, char out[9])
{
    unsigned char key[64];
    long n = base32_decode(secret, key, sizeof key);
    ck_assert_int_gt(n, 0);
    ck_assert(totp_code(key, (size_t)n, TOTP_SHA1, (uint64_t)time(NULL), 30, 6, out));
}

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* ------------------------------------------------------------- tests */

START_TEST(a_login_pair_shares_a_session)
{
    json_t *t = login("administrator", "Password1", NULL);
    json_t *a = vspc_token(str(t, "access_token"), "3");
    json_t *r = vspc_token(str(t, "refresh_token"), "2");
    /* a plain login's tokens carry VSPC's set and nothing else */
    ck_assert_uint_eq(json_object_size(a), N_VSPC);
    ck_assert_uint_eq(json_object_size(r), N_VSPC);
    ck_assert_str_eq(str(a, "sub"), ADMIN_UID);
    ck_assert_str_eq(str(a, "name"), "VSPC\\administrator");
    ck_assert_str_eq(str(a, "lid"), "1"); /* fixtures/logins.json */
    ck_assert_str_eq(str(a, "ts"), str(r, "ts"));
    ck_assert_str_ne(str(a, "jti"), str(r, "jti"));
    ck_assert_str_eq(str(a, "uid"), str(r, "uid"));
    ck_assert_str_eq(str(a, "iat"), str(r, "iat"));
    ck_assert_int_eq(atoll(str(a, "exp")) - atoll(str(a, "iat")),
                     json_integer_value(json_object_get(t, "expires_in")));
    /* another login: another session, the same user number */
    json_t *t2 = login("vspc%5Cadministrator", "Password1", NULL);
    json_t *a2 = vspc_token(str(t2, "access_token"), "3");
    ck_assert_str_eq(str(a2, "name"), "VSPC\\administrator");
    ck_assert_str_ne(str(a2, "ts"), str(a, "ts"));
    ck_assert_str_eq(str(a2, "uid"), str(a, "uid"));
    /* another user: another number */
    json_t *t3 = login("operator", "Operator%232026", NULL);
    json_t *a3 = vspc_token(str(t3, "access_token"), "3");
    ck_assert_str_eq(str(a3, "name"), "VSPC\\operator");
    ck_assert_str_ne(str(a3, "uid"), str(a, "uid"));
    json_decref(a3);
    json_decref(t3);
    json_decref(a2);
    json_decref(t2);
    json_decref(a);
    json_decref(r);
    json_decref(t);
}
END_TEST

START_TEST(refresh_keeps_the_session)
{
    json_t *t = login("administrator", "Password1", NULL);
    json_t *first = vspc_token(str(t, "refresh_token"), "2");
    json_t *t2 = refresh(str(t, "refresh_token"));
    json_t *a2 = vspc_token(str(t2, "access_token"), "3");
    json_t *r2 = vspc_token(str(t2, "refresh_token"), "2");
    ck_assert_str_eq(str(a2, "ts"), str(first, "ts"));
    ck_assert_str_eq(str(r2, "ts"), str(first, "ts"));
    ck_assert_str_ne(str(r2, "jti"), str(first, "jti"));
    ck_assert_str_eq(str(a2, "lid"), str(first, "lid"));
    ck_assert_str_eq(str(a2, "uid"), str(first, "uid"));
    /* and again, from the new refresh token */
    json_t *t3 = refresh(str(t2, "refresh_token"));
    json_t *a3 = vspc_token(str(t3, "access_token"), "3");
    ck_assert_str_eq(str(a3, "ts"), str(first, "ts"));
    long st;
    json_decref(call_as(str(t3, "access_token"), "GET", "/about", NULL, NULL, &st));
    ck_assert_int_eq(st, 200);
    /* a session of its own for a login in between */
    json_t *other = login("administrator", "Password1", NULL);
    json_t *oa = vspc_token(str(other, "access_token"), "3");
    ck_assert_str_ne(str(oa, "ts"), str(first, "ts"));
    json_decref(oa);
    json_decref(other);
    json_decref(a3);
    json_decref(t3);
    json_decref(a2);
    json_decref(r2);
    json_decref(t2);
    json_decref(first);
    json_decref(t);
}
END_TEST

START_TEST(impersonation_and_read_only)
{
    json_t *admin = login("administrator", "Password1", NULL);
    json_t *ar = vspc_token(str(admin, "refresh_token"), "2");
    char form[16384];
    snprintf(form, sizeof form, "grant_type=as&refresh_token=%s&userUid=%s",
             str(admin, "refresh_token"), ALPHA_ADMIN_UID);
    json_t *as = grant(form);
    json_t *a = vspc_token(str(as, "access_token"), "3");
    json_t *r = vspc_token(str(as, "refresh_token"), "2");
    ck_assert_str_eq(str(a, "sub"), ALPHA_ADMIN_UID);
    ck_assert_str_eq(str(a, "name"), "VSPC\\alpha_admin");
    ck_assert_str_eq(str(a, "act"), ADMIN_UID);
    ck_assert_str_eq(str(a, "lid"), "0"); /* no identity of the target was used */
    ck_assert_str_eq(str(a, "ts"), str(r, "ts"));
    ck_assert_str_ne(str(a, "ts"), str(ar, "ts"));
    /* its refresh keeps the impersonator and the session */
    json_t *as2 = refresh(str(as, "refresh_token"));
    json_t *a2 = vspc_token(str(as2, "access_token"), "3");
    ck_assert_str_eq(str(a2, "act"), ADMIN_UID);
    ck_assert_str_eq(str(a2, "ts"), str(a, "ts"));
    json_decref(a2);
    json_decref(as2);
    /* a read-only login says so in a string claim */
    json_t *ro = login("administrator", "Password1", "&readOnly=true");
    json_t *roa = vspc_token(str(ro, "access_token"), "3");
    ck_assert_str_eq(str(roa, "ro"), "1");
    json_decref(roa);
    json_decref(ro);
    json_decref(a);
    json_decref(r);
    json_decref(as);
    json_decref(ar);
    json_decref(admin);
}
END_TEST

START_TEST(mfa_token_and_its_pair)
{
    json_t *t = login("alpha_admin", "AlphaAdmin%232026", NULL);
    const char *at = str(t, "access_token");
    long st;
    json_t *s = call_as(at, "GET", "/authentication/keys/totp-secret", NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    const char *secret = str(json_object_get(s, "data"), "secret");
    char path[1024], code[9];
    current_code(secret, code);
    snprintf(path, sizeof path,
             "/users/%s/logins/totp?secretUrl=otpauth%%3A%%2F%%2Ftotp%%2Fx%%3Fsecret%%3D%s"
             "&code=%s&description=MFA&scopes=ui",
             ALPHA_ADMIN_UID, secret, code);
    json_decref(call_as(at, "POST", path, NULL, NULL, &st));
    ck_assert_int_eq(st, 200);
    json_t *first = login("alpha_admin", "AlphaAdmin%232026", NULL);
    json_t *m = vspc_token(str(first, "mfa_token"), "1");
    ck_assert_str_eq(str(m, "sub"), ALPHA_ADMIN_UID);
    char form[16384];
    current_code(secret, code);
    snprintf(form, sizeof form, "grant_type=mfa&mfa_token=%s&mfa_code=%s", str(first, "mfa_token"),
             code);
    json_t *done = grant(form);
    json_t *a = vspc_token(str(done, "access_token"), "3");
    json_t *r = vspc_token(str(done, "refresh_token"), "2");
    /* the two steps are one login: one session */
    ck_assert_str_eq(str(a, "ts"), str(m, "ts"));
    ck_assert_str_eq(str(r, "ts"), str(m, "ts"));
    ck_assert_str_eq(str(a, "lid"), str(m, "lid"));
    json_decref(a);
    json_decref(r);
    json_decref(done);
    json_decref(m);
    json_decref(first);
    json_decref(s);
    json_decref(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_token_claims");
    TCase *tc = tcase_create("claims");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_login_pair_shares_a_session);
    tcase_add_test(tc, refresh_keeps_the_session);
    tcase_add_test(tc, impersonation_and_read_only);
    tcase_add_test(tc, mfa_token_and_its_pair);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
