/* test_http_auth.c — authentication over real HTTP: every grant of POST
 * /token and its failures, credentials on ordinary operations (missing,
 * malformed, forged, expired, revoked, read-only), API keys, TOTP/MFA,
 * public-key login, the RSA helpers, /users/me and password reset.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "httpclient.h"
#include "crypto/rsakeys.h"
#include "testutil.h"
#include "crypto/totp.h"

static test_server server;

#define ADMIN_UID "c7d60e26-3b35-484a-8ec1-5d5d221096c5"
#define ALPHA_ADMIN_UID "955b0b80-03b2-49fd-bf38-14785ecff0a8"
#define ALPHA_TENANT_UID "416f0a2f-a20d-4320-89c9-a70bce9bfcf5"
#define NIMBUS_OWNER_UID "b0904db2-7d6e-41e5-80a5-ae06d33eca96"

/* One call with an explicit credential ("" = no Authorization header). */
#define call_as(...) http_call_as(&server, __VA_ARGS__)

/* POST /token with a form body; the answer, status in *status. */
static json_t *token_call(const char *form, long *status)
{
    return call_as("", "POST", "/token", "application/x-www-form-urlencoded", form, status);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A password login that must work: the answer (caller decrefs). */
static json_t *login(const char *user, const char *password)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=password&username=%s&password=%s", user, password);
    long st;
    json_t *j = token_call(form, &st);
    ck_assert_msg(st == 200, "login %s: %ld", user, st);
    return j;
}

/* The status of GET path with credential. */
static long get_status(const char *credential, const char *path)
{
    long st;
    json_decref(call_as(credential, "GET", path, NULL, NULL, &st));
    return st;
}

/* The single error of an envelope is a security one with this code. */
static void assert_security(json_t *j, long code)
{
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(str(e, "type"), "security");
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), code);
    json_decref(j);
}

static void assert_oauth_error(json_t *j, const char *error)
{
    ck_assert_str_eq(str(j, "error"), error);
    ck_assert_ptr_nonnull(str(j, "error_description"));
    json_decref(j);
}

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

START_TEST(password_grant_and_failures)
{
    json_t *t = login("vspc%5Cadministrator", "Password1");
    ck_assert_str_eq(str(t, "token_type"), "bearer");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "expires_in")), 3600);
    ck_assert(json_is_null(json_object_get(t, "mfa_token")));
    const char *at = str(t, "access_token");
    ck_assert_int_eq((int)(strchr(at, '.') != NULL), 1);
    ck_assert_int_eq(get_status(at, "/users/me"), 200);
    long st;
    json_t *me = call_as(at, "GET", "/users/me", NULL, NULL, &st);
    ck_assert_str_eq(str(json_object_get(me, "data"), "instanceUid"), ADMIN_UID);
    ck_assert(json_is_null(json_object_get(json_object_get(json_object_get(me, "data"),
                                                           "credentials"), "password")));
    json_decref(me);
    json_decref(t);
    /* every default user signs in with the README's password */
    json_decref(login("alpha_admin", "AlphaAdmin%232026"));
    json_decref(login("NIMBUS.OWNER", "NimbusOwner%232026"));
    assert_oauth_error(token_call("grant_type=password&username=administrator&password=nope", &st),
                       "invalid_grant");
    ck_assert_int_eq(st, 400);
    assert_oauth_error(token_call("grant_type=password&username=nobody&password=x", &st),
                       "invalid_grant");
    assert_oauth_error(token_call("grant_type=password&username=administrator", &st),
                       "invalid_request");
    assert_oauth_error(token_call("grant_type=teleport", &st), "unsupported_grant_type");
    assert_oauth_error(token_call("username=x", &st), "invalid_request");
}
END_TEST

START_TEST(missing_malformed_and_forged_credentials)
{
    long st;
    assert_security(call_as("", "GET", "/organizations/companies", NULL, NULL, &st), 401);
    ck_assert_int_eq(st, 401);
    ck_assert_int_eq(get_status("garbage", "/about"), 401);
    ck_assert_int_eq(get_status("a.b.c", "/about"), 401);
    json_t *t = login("administrator", "Password1");
    const char *at = str(t, "access_token");
    ck_assert_int_eq(get_status(at, "/about"), 200);
    /* the refresh token is not an access token */
    ck_assert_int_eq(get_status(str(t, "refresh_token"), "/about"), 401);
    /* Basic instead of Bearer */
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/about", server.base);
    const char *basic[] = {"Authorization: Basic YWRtaW5pc3RyYXRvcjpQYXNzd29yZDE=", NULL};
    http_result r;
    ck_assert(http_call("GET", url, basic, NULL, 0, NULL, &r));
    ck_assert_int_eq(r.status, 401);
    http_result_free(&r);

    /* split the token, forge variants */
    char *copy = strdup(at);
    char *dot1 = strchr(copy, '.'), *dot2 = strrchr(copy, '.');
    *dot1 = 0;
    *dot2 = 0;
    const char *payload = dot1 + 1, *signature = dot2 + 1;
    char forged[16384];
    /* alg none: {"alg":"none","typ":"JWT"}, no signature */
    snprintf(forged, sizeof forged, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%s.", payload);
    ck_assert_int_eq(get_status(forged, "/about"), 401);
    /* edited claims: one payload character changed, signature kept */
    char edited[8192];
    snprintf(edited, sizeof edited, "%s", payload);
    edited[10] = edited[10] == 'A' ? 'B' : 'A';
    snprintf(forged, sizeof forged, "%s.%s.%s", copy, edited, signature);
    ck_assert_int_eq(get_status(forged, "/about"), 401);
    /* signed with another key */
    char *priv = NULL, *pub = NULL;
    ck_assert_int_eq(rsakeys_new_pair(2048, &priv, &pub), RSAKEYS_OK);
    jwt_t *j = NULL;
    ck_assert_int_eq(jwt_new(&j), 0);
    jwt_add_grant(j, "sub", ADMIN_UID);
    jwt_add_grant(j, "jti", "00000000-0000-4000-8000-000000000000");
    jwt_add_grant_int(j, "iat", (long)time(NULL));
    jwt_add_grant_int(j, "exp", (long)time(NULL) + 3600);
    jwt_add_grant(j, "name", "administrator");
    jwt_add_grant(j, "role", "PortalAdministrator");
    jwt_add_grant_int(j, "lid", 1);
    jwt_add_grant_bool(j, "ro", 0);
    jwt_add_grant(j, "kind", "access");
    ck_assert_int_eq(jwt_set_alg(j, JWT_ALG_RS256, (unsigned char *)priv, (int)strlen(priv)), 0);
    char *other = jwt_encode_str(j);
    ck_assert_ptr_nonnull(other);
    ck_assert_int_eq(get_status(other, "/about"), 401);
    free(other);
    jwt_free(j);
    free(priv);
    free(pub);
    free(copy);
    json_decref(t);
}
END_TEST

START_TEST(refresh_is_single_use)
{
    json_t *t = login("administrator", "Password1");
    char form[16384];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", str(t, "refresh_token"));
    long st;
    json_t *t2 = token_call(form, &st);
    ck_assert_int_eq(st, 200);
    ck_assert_str_ne(str(t2, "access_token"), str(t, "access_token"));
    ck_assert_int_eq(get_status(str(t2, "access_token"), "/about"), 200);
    assert_oauth_error(token_call(form, &st), "invalid_grant"); /* used */
    ck_assert_int_eq(st, 400);
    /* an access token is not a refresh token */
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", str(t, "access_token"));
    assert_oauth_error(token_call(form, &st), "invalid_grant");
    json_decref(t);
    json_decref(t2);
}
END_TEST

START_TEST(impersonation_follows_roles)
{
    json_t *admin = login("administrator", "Password1");
    char form[16384];
    long st;
    snprintf(form, sizeof form, "grant_type=as&refresh_token=%s&userUid=%s",
             str(admin, "refresh_token"), ALPHA_ADMIN_UID);
    json_t *as = token_call(form, &st);
    ck_assert_int_eq(st, 200);
    json_t *me = call_as(str(as, "access_token"), "GET", "/users/me", NULL, NULL, &st);
    ck_assert_str_eq(str(json_object_get(me, "data"), "userName"), "alpha_admin");
    json_decref(me);
    json_decref(as);
    /* a company administrator may not impersonate a reseller owner, but
     * may impersonate a tenant of its company */
    json_t *alpha = login("alpha_admin", "AlphaAdmin%232026");
    snprintf(form, sizeof form, "grant_type=as&refresh_token=%s&userUid=%s",
             str(alpha, "refresh_token"), NIMBUS_OWNER_UID);
    assert_oauth_error(token_call(form, &st), "unauthorized_client");
    ck_assert_int_eq(st, 400);
    snprintf(form, sizeof form, "grant_type=as&refresh_token=%s&userUid=%s",
             str(alpha, "refresh_token"), ALPHA_TENANT_UID);
    json_decref(token_call(form, &st));
    ck_assert_int_eq(st, 200);
    snprintf(form, sizeof form, "grant_type=as&refresh_token=%s&userUid=%s",
             str(alpha, "refresh_token"), "11111111-2222-4333-8444-555555555555");
    assert_oauth_error(token_call(form, &st), "invalid_grant");
    json_decref(alpha);
    json_decref(admin);
}
END_TEST

START_TEST(read_only_and_revocation)
{
    long st;
    json_t *ro = token_call("grant_type=password&username=administrator&password=Password1"
                            "&readOnly=true",
                            &st);
    ck_assert_int_eq(st, 200);
    const char *rt = str(ro, "access_token");
    ck_assert_int_eq(get_status(rt, "/organizations/companies"), 200);
    assert_security(call_as(rt, "POST", "/organizations/locations", NULL, "{}", &st), 403);
    ck_assert_int_eq(st, 403);
    /* revocation of every token of the user: 401 at once */
    json_t *t = login("administrator", "Password1");
    const char *at = str(t, "access_token");
    char path[256];
    snprintf(path, sizeof path, "/users/%s/tokens", ADMIN_UID);
    json_t *res = call_as(at, "DELETE", path, NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    ck_assert(json_is_true(json_object_get(res, "data")));
    json_decref(res);
    ck_assert_int_eq(get_status(at, "/about"), 401);
    ck_assert_int_eq(get_status(rt, "/about"), 401);
    char form[16384];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", str(t, "refresh_token"));
    assert_oauth_error(token_call(form, &st), "invalid_grant");
    /* by identity: revoking another identity leaves this one alone */
    json_t *t2 = login("administrator", "Password1");
    snprintf(path, sizeof path, "/users/%s/tokens?userLoginId=999", ADMIN_UID);
    json_decref(call_as(str(t2, "access_token"), "DELETE", path, NULL, NULL, &st));
    ck_assert_int_eq(st, 200);
    ck_assert_int_eq(get_status(str(t2, "access_token"), "/about"), 200);
    snprintf(path, sizeof path, "/users/%s/tokens?userLoginId=1", ADMIN_UID);
    json_decref(call_as(str(t2, "access_token"), "DELETE", path, NULL, NULL, &st));
    ck_assert_int_eq(get_status(str(t2, "access_token"), "/about"), 401);
    json_decref(t2);
    json_decref(t);
    json_decref(ro);
}
END_TEST

START_TEST(tokens_expire)
{
    test_server short_lived;
    const char *args[] = {"--token-ttl", "1", NULL};
    server_start(&short_lived, args);
    test_server keep = server;
    server = short_lived;
    json_t *t = login("administrator", "Password1");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "expires_in")), 1);
    ck_assert_int_eq(get_status(str(t, "access_token"), "/about"), 200);
    sleep(2);
    ck_assert_int_eq(get_status(str(t, "access_token"), "/about"), 401);
    json_decref(t);
    server = keep;
    server_stop(&short_lived);
}
END_TEST

START_TEST(api_keys)
{
    json_t *t = login("alpha_admin", "AlphaAdmin%232026");
    const char *at = str(t, "access_token");
    long st;
    char path[512];
    snprintf(path, sizeof path,
             "/users/%s/logins/apikey?description=CI%%20key&scopes=integration&scopes=rest",
             ALPHA_ADMIN_UID);
    json_t *k = call_as(at, "POST", path, NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    json_t *d = json_object_get(k, "data");
    ck_assert_str_eq(str(d, "identityProviderName"), "AK");
    ck_assert_str_eq(str(d, "status"), "enabled");
    const char *key = str(d, "parameters");
    ck_assert_uint_eq(strlen(key), 128);
    long id = (long)json_integer_value(json_object_get(d, "id"));
    ck_assert_int_eq(get_status(key, "/users/me"), 200);
    /* not shown again */
    snprintf(path, sizeof path, "/users/%s/logins/%ld", ALPHA_ADMIN_UID, id);
    json_t *again = call_as(at, "GET", path, NULL, NULL, &st);
    ck_assert_str_eq(str(json_object_get(again, "data"), "parameters"), "");
    json_decref(again);
    /* disabled: refused; enabled again: works */
    json_decref(call_as(at, "PATCH", path, NULL,
                        "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"disabled\"}]", &st));
    ck_assert_int_eq(st, 200);
    ck_assert_int_eq(get_status(key, "/users/me"), 401);
    json_decref(call_as(at, "PATCH", path, NULL,
                        "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"enabled\"}]", &st));
    ck_assert_int_eq(get_status(key, "/users/me"), 200);
    /* a read-only key may only GET */
    snprintf(path, sizeof path,
             "/users/%s/logins/apikey?description=ro&scopes=rest&isReadAccessOnly=true",
             ALPHA_ADMIN_UID);
    json_t *rk = call_as(at, "POST", path, NULL, NULL, &st);
    const char *rkey = str(json_object_get(rk, "data"), "parameters");
    ck_assert_int_eq(get_status(rkey, "/users/me"), 200);
    assert_security(call_as(rkey, "POST", "/organizations/locations", NULL, "{}", &st), 403);
    /* deleted: refused */
    snprintf(path, sizeof path, "/users/%s/logins/%ld", ALPHA_ADMIN_UID, id);
    json_decref(call_as(at, "DELETE", path, NULL, NULL, &st));
    ck_assert_int_eq(st, 200);
    ck_assert_int_eq(get_status(key, "/users/me"), 401);
    /* another organization's user may not be given a key by alpha_admin:
     * outside its scope, that user does not exist for it (issue 11) */
    snprintf(path, sizeof path, "/users/%s/logins/apikey?description=x&scopes=rest",
             NIMBUS_OWNER_UID);
    json_decref(call_as(at, "POST", path, NULL, NULL, &st));
    ck_assert_int_eq(st, 404);
    json_decref(rk);
    json_decref(k);
    json_decref(t);
}
END_TEST

/* The current 6-digit code of a base32 secret. */
static void current_code(const char *secret, char out[9])
{
    unsigned char key[64];
    long n = base32_decode(secret, key, sizeof key);
    ck_assert_int_gt(n, 0);
    ck_assert(totp_code(key, (size_t)n, TOTP_SHA1, (uint64_t)time(NULL), 30, 6, out));
}

START_TEST(totp_and_mfa_login)
{
    json_t *t = login("alpha_admin", "AlphaAdmin%232026");
    const char *at = str(t, "access_token");
    long st;
    json_t *s = call_as(at, "GET", "/authentication/keys/totp-secret", NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    const char *secret = str(json_object_get(s, "data"), "secret");
    const char *url = str(json_object_get(s, "data"), "secretUrl");
    ck_assert_uint_eq(strlen(secret), 32);
    ck_assert(!strncmp(url, "otpauth://totp/vspc%5Calpha_admin?secret=", 41));
    char path[1024], code[9];
    /* a wrong code: 1207 */
    snprintf(path, sizeof path,
             "/users/%s/logins/totp?secretUrl=otpauth%%3A%%2F%%2Ftotp%%2Fx%%3Fsecret%%3D%s"
             "&code=000000&description=MFA&scopes=ui",
             ALPHA_ADMIN_UID, secret);
    current_code(secret, code);
    if (!strcmp(code, "000000"))
        sleep(30);
    json_t *bad = call_as(at, "POST", path, NULL, NULL, &st);
    ck_assert_int_eq(st, 400);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(bad, "errors"), 0), "code")),
                     1207);
    json_decref(bad);
    current_code(secret, code);
    snprintf(path, sizeof path,
             "/users/%s/logins/totp?secretUrl=otpauth%%3A%%2F%%2Ftotp%%2Fx%%3Fsecret%%3D%s"
             "&code=%s&description=MFA&scopes=ui",
             ALPHA_ADMIN_UID, secret, code);
    json_t *ident = call_as(at, "POST", path, NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    ck_assert_str_eq(str(json_object_get(ident, "data"), "identityProviderName"), "TOTP");
    json_decref(ident);
    /* the password login now answers an mfa_token only */
    json_t *first = login("alpha_admin", "AlphaAdmin%232026");
    ck_assert(json_is_null(json_object_get(first, "access_token")));
    const char *mfa = str(first, "mfa_token");
    ck_assert_ptr_nonnull(mfa);
    ck_assert_int_eq(get_status(mfa, "/about"), 401);
    char form[16384];
    snprintf(form, sizeof form, "grant_type=mfa&mfa_token=%s&mfa_code=%s", mfa,
             strcmp(code, "123456") ? "123456" : "654321");
    assert_oauth_error(token_call(form, &st), "invalid_grant");
    current_code(secret, code);
    snprintf(form, sizeof form, "grant_type=mfa&mfa_token=%s&mfa_code=%s", mfa, code);
    json_t *done = token_call(form, &st);
    ck_assert_int_eq(st, 200);
    ck_assert_int_eq(get_status(str(done, "access_token"), "/users/me"), 200);
    assert_oauth_error(token_call(form, &st), "invalid_grant"); /* single use */
    json_decref(done);
    json_decref(first);
    json_decref(s);
    json_decref(t);
}
END_TEST

START_TEST(public_key_login_and_rsa_helpers)
{
    json_t *t = login("administrator", "Password1");
    const char *at = str(t, "access_token");
    long st;
    json_t *pair = call_as(at, "GET", "/authentication/keys/rsa", NULL, NULL, &st);
    ck_assert_int_eq(st, 200);
    const char *priv = str(json_object_get(pair, "data"), "privateKey");
    const char *pub = str(json_object_get(pair, "data"), "publicKey");
    ck_assert(strstr(priv, "BEGIN PRIVATE KEY") != NULL);
    char path[512];
    snprintf(path, sizeof path, "/users/%s/logins/asymmetricalgorithm?description=k&scopes=rest",
             ALPHA_ADMIN_UID);
    json_decref(call_as(at, "POST", path, "application/octet-stream", pub, &st));
    ck_assert_int_eq(st, 200);
    json_t *dup = call_as(at, "POST", path, "application/octet-stream", pub, &st);
    ck_assert_int_eq(st, 409); /* 1202: already assigned */
    json_decref(dup);
    json_decref(call_as(at, "POST", path, "application/octet-stream", "not a key", &st));
    ck_assert_int_eq(st, 400); /* 1205 */
    /* the grant: an encrypted code, decrypted with the private key */
    char form[8192];
    char *escaped = curl_easy_escape(NULL, pub, 0);
    snprintf(form, sizeof form, "grant_type=public_key&public_key=%s", escaped);
    curl_free(escaped);
    json_t *c = token_call(form, &st);
    ck_assert_int_eq(st, 200);
    unsigned char *code = NULL;
    size_t len = 0;
    ck_assert_int_eq(rsakeys_decrypt(priv, str(c, "encrypted_code"), &code, &len), RSAKEYS_OK);
    snprintf(form, sizeof form, "grant_type=authorization_code&code=%.*s", (int)len, code);
    json_t *done = token_call(form, &st);
    ck_assert_int_eq(st, 200);
    json_t *me = call_as(str(done, "access_token"), "GET", "/users/me", NULL, NULL, &st);
    ck_assert_str_eq(str(json_object_get(me, "data"), "userName"), "alpha_admin");
    assert_oauth_error(token_call(form, &st), "invalid_grant"); /* once */
    free(code);
    json_decref(me);
    json_decref(done);
    json_decref(c);
    /* PKCS#12: issued, then opened; a certificate-only container is 1210 */
    json_t *p12 = call_as(at, "GET", "/authentication/keys/rsa-pkcs12?subject=alpha", NULL,
                          NULL, &st);
    ck_assert_int_eq(st, 200);
    char body[16384];
    snprintf(body, sizeof body, "{\"certificateContent\":\"%s\"}",
             str(json_object_get(p12, "data"), "privateKey"));
    json_t *opened = call_as(at, "POST", "/authentication/keys/rsa-pkcs12/decrypt", NULL, body, &st);
    ck_assert_int_eq(st, 200);
    ck_assert_str_eq(str(json_object_get(opened, "data"), "publicKey"),
                     str(json_object_get(p12, "data"), "publicKey"));
    json_decref(opened);
    json_t *bad = call_as(at, "POST", "/authentication/keys/rsa-pkcs12/decrypt", NULL,
                          "{\"certificateContent\":\"bm90IGEgY29udGFpbmVy\"}", &st);
    ck_assert_int_eq(st, 400);
    json_decref(bad);
    json_decref(p12);
    json_decref(pair);
    json_decref(t);
}
END_TEST

START_TEST(new_users_and_password_reset)
{
    json_t *t = login("administrator", "Password1");
    const char *at = str(t, "access_token");
    long st;
    const char *body =
        "{\"organizationUid\":\"eb866e8f-a0f5-41f4-9dd9-8cc59266ff25\",\"role\":\"CompanyTenant\","
        "\"profile\":{\"firstName\":\"New\",\"lastName\":\"User\",\"email\":\"new@example.com\"},"
        "\"credentials\":{\"userName\":\"new.user\",\"password\":\"First%Pass1\"}}";
    json_t *u = call_as(at, "POST", "/users", NULL, body, &st);
    ck_assert_int_eq(st, 200);
    json_t *d = json_object_get(u, "data");
    ck_assert(json_is_null(json_object_get(json_object_get(d, "credentials"), "password")));
    ck_assert_str_eq(str(d, "status"), "Enabled");
    char uid[64], path[256];
    snprintf(uid, sizeof uid, "%s", str(d, "instanceUid"));
    json_decref(u);
    json_decref(login("new.user", "First%25Pass1"));
    /* a password patch sets the password, never the record */
    snprintf(path, sizeof path, "/users/%s", uid);
    json_t *p = call_as(at, "PATCH", path, NULL,
                        "[{\"op\":\"replace\",\"path\":\"/credentials/password\","
                        "\"value\":\"Second1\"}]",
                        &st);
    ck_assert_int_eq(st, 200);
    ck_assert(json_is_null(json_object_get(
        json_object_get(json_object_get(p, "data"), "credentials"), "password")));
    json_decref(p);
    json_decref(login("new.user", "Second1"));
    /* disabling a user ends its sessions */
    json_t *nt = login("new.user", "Second1");
    json_decref(call_as(at, "PATCH", path, NULL,
                        "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"Disabled\"}]", &st));
    ck_assert_int_eq(st, 200);
    ck_assert_int_eq(get_status(str(nt, "access_token"), "/about"), 401);
    json_decref(nt);
    /* reset: anonymous, answers true whoever asks; a bad code is refused */
    json_t *r = call_as("", "POST", "/users/resetpassword", NULL,
                        "{\"email\":\"administrator@example.com\",\"userName\":\"administrator\"}",
                        &st);
    ck_assert_int_eq(st, 200);
    ck_assert(json_is_true(json_object_get(r, "data")));
    json_decref(r);
    json_t *bad = call_as("", "PUT", "/users/resetpassword", NULL,
                          "{\"code\":\"nope\",\"newPassword\":\"x\"}", &st);
    ck_assert_int_eq(st, 400);
    ck_assert_str_eq(str(json_array_get(json_object_get(bad, "errors"), 0), "propertyName"),
                     "code");
    json_decref(bad);
    /* deleted users cannot sign in */
    json_decref(call_as(at, "DELETE", path, NULL, NULL, &st));
    ck_assert_int_eq(st, 200);
    char form[256];
    snprintf(form, sizeof form, "grant_type=password&username=new.user&password=Second1");
    assert_oauth_error(token_call(form, &st), "invalid_grant");
    json_decref(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_auth");
    TCase *tc = tcase_create("auth");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, password_grant_and_failures);
    tcase_add_test(tc, missing_malformed_and_forged_credentials);
    tcase_add_test(tc, refresh_is_single_use);
    tcase_add_test(tc, impersonation_follows_roles);
    tcase_add_test(tc, read_only_and_revocation);
    tcase_add_test(tc, tokens_expire);
    tcase_add_test(tc, api_keys);
    tcase_add_test(tc, totp_and_mfa_login);
    tcase_add_test(tc, public_key_login_and_rsa_helpers);
    tcase_add_test(tc, new_users_and_password_reset);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
