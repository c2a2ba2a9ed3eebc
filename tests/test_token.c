/* test_token.c — unit tests for token.c: the claims a signed token carries
 * (VSPC's set, every value a string, the kind values), what token_verify
 * takes back, and what it refuses — tokens of another kind, expired or
 * future ones, claims of the wrong type or form (string-malformed numbers,
 * integers where VSPC sends strings), an altered payload, alg none, HS256
 * keyed with the public key, another key. The server key is made once in
 * main(); claims the tests write themselves are signed with its private
 * half, so that only the claim checks can refuse them.
 */
#include "auth/token.h"

#include <check.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/uuid.h"
#include "crypto/rsakeys.h"
#include "testutil.h"

#define TS "72947deb-f3f6-48ea-aa4d-092a9fd70f42"
#define SUB "c7d60e26-3b35-484a-8ec1-5d5d221096c5"

static char dir[] = "/tmp/vspc-test-token-XXXXXX";
static token_keys *keys;
static char *private_pem;

/* ----------------------------------------------------------- helpers */

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Claims as the server issues them (ts shared by the caller). */
static token_claims claims(token_kind kind, long long now)
{
    token_claims c = {.kind = kind, .sub = SUB, .ts = TS, .name = "VSPC\\administrator",
                      .iat = now, .exp = now + 3600, .lid = 8, .uid = 7};
    ck_assert(uuid_random(c.jti));
    return c;
}

/* A valid claims object as VSPC's tokens carry them, for the tests to
 * spoil (caller decrefs). */
static json_t *good_payload(long long now)
{
    char iat[24], exp[24];
    snprintf(iat, sizeof iat, "%lld", now);
    snprintf(exp, sizeof exp, "%lld", now + 3600);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "iat", iat, "exp",
                     exp, "sub", SUB, "jti", "a05b8e70-5584-4c6e-a0ef-96b94dca3d65", "name",
                     "VSPC\\administrator", "lid", "8", "uid", "7", "ts", TS, "scope", "2",
                     "kind", "3");
}

/* payload signed with alg (RS256: the server's private key; HS256: the
 * server's public key as the secret; none: no key), or with pem. */
static char *sign_with(const json_t *payload, jwt_alg_t alg, const char *pem)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    jwt_t *j = NULL;
    ck_assert_int_eq(jwt_new(&j), 0);
    ck_assert_int_eq(jwt_add_grants_json(j, text), 0);
    const char *key = pem ? pem
                      : alg == JWT_ALG_RS256 ? private_pem
                      : alg == JWT_ALG_HS256 ? token_public_pem(keys)
                                             : NULL;
    ck_assert_int_eq(jwt_set_alg(j, alg, (const unsigned char *)key, key ? (int)strlen(key) : 0),
                     0);
    char *out = jwt_encode_str(j);
    ck_assert_ptr_nonnull(out);
    jwt_free(j);
    free(text);
    return out;
}

/* Whether payload, signed by the server's key, verifies as an access
 * token now. */
static bool accepted(const json_t *payload, long long now)
{
    char *jwt = sign_with(payload, JWT_ALG_RS256, NULL);
    token_claims c;
    bool ok = token_verify(keys, jwt, TOKEN_ACCESS, now, &c);
    free(jwt);
    return ok;
}

/* Whether the good payload with key set to value (NULL: removed) is
 * accepted. value is stolen. */
static bool accepted_with(const char *key, json_t *value)
{
    long long now = (long long)time(NULL);
    json_t *p = good_payload(now);
    if (value)
        json_object_set_new(p, key, value);
    else
        json_object_del(p, key);
    bool ok = accepted(p, now);
    json_decref(p);
    return ok;
}

/* ------------------------------------------------------------- tests */

START_TEST(issued_claims_are_vspc_strings)
{
    long long now = (long long)time(NULL);
    token_claims c = claims(TOKEN_ACCESS, now);
    char *jwt = token_sign(keys, &c);
    ck_assert_ptr_nonnull(jwt);
    json_t *p = test_jwt_payload(jwt);
    static const char *const names[] = {"iat", "exp", "sub", "jti", "name",
                                        "lid", "uid", "ts",  "scope", "kind"};
    /* exactly VSPC's claims, every one a string */
    ck_assert_uint_eq(json_object_size(p), sizeof names / sizeof names[0]);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_msg(json_is_string(json_object_get(p, names[i])), "%s is a string", names[i]);
    char want[24];
    snprintf(want, sizeof want, "%lld", now);
    ck_assert_str_eq(str(p, "iat"), want);
    snprintf(want, sizeof want, "%lld", now + 3600);
    ck_assert_str_eq(str(p, "exp"), want);
    ck_assert_str_eq(str(p, "sub"), SUB);
    ck_assert_str_eq(str(p, "jti"), c.jti);
    ck_assert_str_eq(str(p, "name"), "VSPC\\administrator");
    ck_assert_str_eq(str(p, "lid"), "8");
    ck_assert_str_eq(str(p, "uid"), "7");
    ck_assert_str_eq(str(p, "ts"), TS);
    ck_assert_str_eq(str(p, "scope"), "2");
    ck_assert_str_eq(str(p, "kind"), "3");
    json_decref(p);
    free(jwt);
}
END_TEST

START_TEST(header_is_rs256_jwt)
{
    token_claims c = claims(TOKEN_ACCESS, (long long)time(NULL));
    char *jwt = token_sign(keys, &c);
    ck_assert_ptr_nonnull(jwt);
    /* turn "header.payload.sig" into "x.header.y" to decode the header */
    char *dot = strchr(jwt, '.');
    *dot = 0;
    char shifted[512];
    snprintf(shifted, sizeof shifted, "x.%s.y", jwt);
    json_t *h = test_jwt_payload(shifted);
    ck_assert_str_eq(str(h, "alg"), "RS256");
    ck_assert_str_eq(str(h, "typ"), "JWT");
    json_decref(h);
    free(jwt);
}
END_TEST

START_TEST(kind_values)
{
    long long now = (long long)time(NULL);
    static const char *const want[] = {"3", "2", "1"};
    for (int k = TOKEN_ACCESS; k <= TOKEN_MFA; k++) {
        token_claims c = claims((token_kind)k, now);
        char *jwt = token_sign(keys, &c);
        ck_assert_ptr_nonnull(jwt);
        json_t *p = test_jwt_payload(jwt);
        ck_assert_str_eq(str(p, "kind"), want[k]);
        ck_assert_str_eq(token_kind_claim((token_kind)k), want[k]);
        json_decref(p);
        /* accepted as its own kind only */
        for (int asked = TOKEN_ACCESS; asked <= TOKEN_MFA; asked++) {
            token_claims back;
            ck_assert_int_eq(token_verify(keys, jwt, (token_kind)asked, now, &back), asked == k);
        }
        free(jwt);
    }
    ck_assert_str_eq(token_kind_name(TOKEN_ACCESS), "access");
    ck_assert_str_eq(token_kind_name(TOKEN_REFRESH), "refresh");
    ck_assert_str_eq(token_kind_name(TOKEN_MFA), "mfa");
}
END_TEST

START_TEST(verify_gives_the_claims_back)
{
    long long now = (long long)time(NULL);
    token_claims c = claims(TOKEN_REFRESH, now);
    c.ro = true;
    snprintf(c.act, sizeof c.act, "%s", "955b0b80-03b2-49fd-bf38-14785ecff0a8");
    char *jwt = token_sign(keys, &c);
    ck_assert_ptr_nonnull(jwt);
    json_t *p = test_jwt_payload(jwt);
    ck_assert_str_eq(str(p, "ro"), "1"); /* ours: strings too */
    ck_assert_str_eq(str(p, "act"), c.act);
    json_decref(p);
    token_claims back;
    ck_assert(token_verify(keys, jwt, TOKEN_REFRESH, now, &back));
    ck_assert_int_eq(back.kind, TOKEN_REFRESH);
    ck_assert_str_eq(back.sub, c.sub);
    ck_assert_str_eq(back.jti, c.jti);
    ck_assert_str_eq(back.ts, c.ts);
    ck_assert_str_eq(back.act, c.act);
    ck_assert_str_eq(back.name, c.name);
    ck_assert_int_eq(back.iat, c.iat);
    ck_assert_int_eq(back.exp, c.exp);
    ck_assert_int_eq(back.lid, 8);
    ck_assert_int_eq(back.uid, 7);
    ck_assert(back.ro);
    free(jwt);
    /* lid 0 (the `as` grant) is a valid "0" */
    c = claims(TOKEN_ACCESS, now);
    c.lid = 0;
    jwt = token_sign(keys, &c);
    p = test_jwt_payload(jwt);
    ck_assert_str_eq(str(p, "lid"), "0");
    json_decref(p);
    ck_assert(token_verify(keys, jwt, TOKEN_ACCESS, now, &back));
    ck_assert_int_eq(back.lid, 0);
    ck_assert(!back.ro);
    ck_assert_str_eq(back.act, "");
    free(jwt);
}
END_TEST

START_TEST(sign_refuses_what_would_not_verify)
{
    long long now = (long long)time(NULL);
    token_claims c = claims(TOKEN_ACCESS, now);
    snprintf(c.ts, sizeof c.ts, "not-a-uuid");
    ck_assert_ptr_null(token_sign(keys, &c));
    c = claims(TOKEN_ACCESS, now);
    c.uid = 0;
    ck_assert_ptr_null(token_sign(keys, &c));
    c = claims(TOKEN_ACCESS, now);
    c.lid = -1;
    ck_assert_ptr_null(token_sign(keys, &c));
    c = claims(TOKEN_ACCESS, now);
    c.sub[0] = 0;
    ck_assert_ptr_null(token_sign(keys, &c));
}
END_TEST

START_TEST(the_good_payload_is_accepted)
{
    long long now = (long long)time(NULL);
    json_t *p = good_payload(now);
    ck_assert(accepted(p, now));
    json_decref(p);
}
END_TEST

START_TEST(numbers_must_be_decimal_strings)
{
    long long now = (long long)time(NULL);
    char text[32];
    /* integers where VSPC sends strings */
    ck_assert(!accepted_with("exp", json_integer(now + 3600)));
    ck_assert(!accepted_with("iat", json_integer(now)));
    ck_assert(!accepted_with("lid", json_integer(8)));
    ck_assert(!accepted_with("uid", json_integer(7)));
    ck_assert(!accepted_with("scope", json_integer(2)));
    ck_assert(!accepted_with("kind", json_integer(3)));
    /* malformed exp strings */
    static const char *const bad[] = {"", "abc", " 1", "+1", "-1", "1e10", "0x10", "12 ",
                                      "9999999999999999999999", "1.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(!accepted_with("exp", json_string(bad[i])), "exp \"%s\"", bad[i]);
        ck_assert_msg(!accepted_with("iat", json_string(bad[i])), "iat \"%s\"", bad[i]);
        ck_assert_msg(!accepted_with("lid", json_string(bad[i])), "lid \"%s\"", bad[i]);
    }
    /* a leading zero */
    snprintf(text, sizeof text, "0%lld", now + 3600);
    ck_assert(!accepted_with("exp", json_string(text)));
    ck_assert(!accepted_with("lid", json_string("08")));
    /* other types */
    ck_assert(!accepted_with("exp", json_null()));
    ck_assert(!accepted_with("exp", json_true()));
    ck_assert(!accepted_with("exp", json_real((double)now + 3600)));
    ck_assert(!accepted_with("uid", json_string("0")));
}
END_TEST

START_TEST(every_claim_is_required_and_typed)
{
    static const char *const names[] = {"iat", "exp", "sub", "jti", "name",
                                        "lid", "uid", "ts",  "scope", "kind"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ck_assert_msg(!accepted_with(names[i], NULL), "without %s", names[i]);
        ck_assert_msg(!accepted_with(names[i], json_pack("[s]", "x")), "%s an array", names[i]);
    }
    ck_assert(!accepted_with("ts", json_string("72947deb")));
    ck_assert(!accepted_with("scope", json_string("3")));
    ck_assert(!accepted_with("kind", json_string("access"))); /* the old form */
    ck_assert(!accepted_with("kind", json_string("2")));      /* a refresh token */
    ck_assert(!accepted_with("sub", json_string("")));
    ck_assert(!accepted_with("ro", json_true()));
    ck_assert(!accepted_with("ro", json_string("true")));
    ck_assert(!accepted_with("act", json_integer(1)));
    ck_assert(accepted_with("ro", json_string("1")));
    ck_assert(accepted_with("act", json_string(SUB)));
    ck_assert(accepted_with("role", json_string("PortalAdministrator"))); /* extra: ignored */
}
END_TEST

START_TEST(time_limits)
{
    long long now = (long long)time(NULL);
    token_claims c = claims(TOKEN_ACCESS, now);
    char *jwt = token_sign(keys, &c);
    token_claims back;
    ck_assert(token_verify(keys, jwt, TOKEN_ACCESS, now + 3599, &back));
    ck_assert(!token_verify(keys, jwt, TOKEN_ACCESS, now + 3600, &back)); /* expired */
    ck_assert(!token_verify(keys, jwt, TOKEN_ACCESS, now - 61, &back));  /* from the future */
    ck_assert_str_eq(back.sub, ""); /* nothing is left in *out on failure */
    free(jwt);
}
END_TEST

START_TEST(altered_exp_is_refused)
{
    long long now = (long long)time(NULL);
    token_claims c = claims(TOKEN_ACCESS, now);
    char *jwt = token_sign(keys, &c);
    ck_assert_ptr_nonnull(jwt);
    /* the same claims with a later exp, re-encoded, with the old signature */
    json_t *p = test_jwt_payload(jwt);
    char later[24];
    snprintf(later, sizeof later, "%lld", now + 999999);
    json_object_set_new(p, "exp", json_string(later));
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    size_t n = strlen(text);
    unsigned char *b64 = malloc(4 * (n / 3 + 2));
    int len = EVP_EncodeBlock(b64, (unsigned char *)text, (int)n);
    while (len > 0 && b64[len - 1] == '=')
        len--;
    for (int i = 0; i < len; i++)
        b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
    b64[len] = 0;
    const char *d1 = strchr(jwt, '.'), *d2 = strrchr(jwt, '.');
    char forged[16384];
    snprintf(forged, sizeof forged, "%.*s.%s%s", (int)(d1 - jwt), jwt, (char *)b64, d2);
    token_claims back;
    ck_assert(token_verify(keys, jwt, TOKEN_ACCESS, now, &back));
    ck_assert(!token_verify(keys, forged, TOKEN_ACCESS, now, &back));
    /* and a string-malformed exp, signed by us, is refused too */
    ck_assert(!accepted_with("exp", json_string("later")));
    free(b64);
    free(text);
    free(jwt);
}
END_TEST

START_TEST(only_our_rs256_signature)
{
    long long now = (long long)time(NULL);
    json_t *p = good_payload(now);
    token_claims back;
    char *none = sign_with(p, JWT_ALG_NONE, NULL);
    ck_assert(!token_verify(keys, none, TOKEN_ACCESS, now, &back));
    char *hs = sign_with(p, JWT_ALG_HS256, NULL);
    ck_assert(!token_verify(keys, hs, TOKEN_ACCESS, now, &back));
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_new_pair(1024, &priv, &pub), RSAKEYS_OK);
    char *other = sign_with(p, JWT_ALG_RS256, priv);
    ck_assert(!token_verify(keys, other, TOKEN_ACCESS, now, &back));
    ck_assert(!token_verify(keys, "", TOKEN_ACCESS, now, &back));
    ck_assert(!token_verify(keys, "a.b.c", TOKEN_ACCESS, now, &back));
    ck_assert(!token_verify(keys, NULL, TOKEN_ACCESS, now, &back));
    free(none);
    free(hs);
    free(other);
    free(priv);
    free(pub);
    json_decref(p);
}
END_TEST

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char err[256], path[sizeof dir + 32];
    keys = token_keys_open(dir, err, sizeof err);
    if (!keys || !token_public_pem(keys)) { /* the latter waits for the key */
        fprintf(stderr, "token keys: %s\n", keys ? "not made" : err);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, TOKEN_KEY_FILE);
    FILE *f = fopen(path, "rb");
    private_pem = calloc(1, 16384);
    size_t n = f && private_pem ? fread(private_pem, 1, 16383, f) : 0;
    if (f)
        fclose(f);
    if (n == 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }

    Suite *s = suite_create("token");
    TCase *tc = tcase_create("token");
    tcase_add_test(tc, issued_claims_are_vspc_strings);
    tcase_add_test(tc, header_is_rs256_jwt);
    tcase_add_test(tc, kind_values);
    tcase_add_test(tc, verify_gives_the_claims_back);
    tcase_add_test(tc, sign_refuses_what_would_not_verify);
    tcase_add_test(tc, the_good_payload_is_accepted);
    tcase_add_test(tc, numbers_must_be_decimal_strings);
    tcase_add_test(tc, every_claim_is_required_and_typed);
    tcase_add_test(tc, time_limits);
    tcase_add_test(tc, altered_exp_is_refused);
    tcase_add_test(tc, only_our_rs256_signature);
    suite_add_tcase(s, tc);
    int rc = test_run_suite(s, CK_NOFORK);
    token_keys_close(keys);
    free(private_pem);
    test_rm_rf(dir);
    return rc;
}
