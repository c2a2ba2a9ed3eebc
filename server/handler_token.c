/* handler_token.c — POST /token, the OAuth 2.0 token endpoint.
 *
 * This first version knows the default portal administrator (--admin-user,
 * --admin-password; VSPC also accepts the login with a domain part, as in
 * "vspc\administrator") and the password grant. It issues opaque random
 * tokens in VSPC's OAuth2Result shape. The other grants (refresh_token, as,
 * mfa, public_key, authorization_code) answer unsupported_grant_type until
 * the authentication module lands (signed JWTs, refresh, impersonation, MFA).
 */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "handlers.h"

#define ACCESS_TOKEN_SECONDS 3600

static const char *field(const request *req, const char *name)
{
    return json_string_value(json_object_get(req->json_body, name));
}

/* True if login names the administrator, with or without a domain part. */
static bool is_admin_login(const char *login, const char *admin)
{
    if (!login)
        return false;
    const char *slash = strrchr(login, '\\');
    return !strcasecmp(slash ? slash + 1 : login, admin);
}

/* 48 random bytes as hex: an opaque bearer token. */
static bool random_token(char out[97])
{
    unsigned char bytes[48];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return true;
}

void handle_token(request *req, response *res)
{
    const char *grant = field(req, "grant_type");
    if (!grant || strcmp(grant, "password") != 0) {
        error_oauth(res, "unsupported_grant_type",
                    "The grant type '%s' is not supported by this emulator yet.",
                    grant ? grant : "");
        return;
    }
    const char *user = field(req, "username"), *password = field(req, "password");
    if (!user || !password) {
        error_oauth(res, "invalid_request", "The username and password fields are required.");
        return;
    }
    const config *cfg = &req->app->cfg;
    if (!is_admin_login(user, cfg->admin_user) || strcmp(password, cfg->admin_password) != 0) {
        error_oauth(res, "invalid_grant", "The user name or password is incorrect.");
        return;
    }
    char access[97], refresh[97];
    if (!random_token(access) || !random_token(refresh)) {
        error_internal(res, "The token could not be issued.");
        return;
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:n, s:n, s:i}", "access_token", access,
                             "token_type", "bearer", "refresh_token", refresh, "mfa_token",
                             "encrypted_code", "expires_in", ACCESS_TOKEN_SECONDS);
    response_json(res, 200, body);
}
