/* handler_keys.c — GET /authentication/keys/totp-secret, /rsa,
 * /rsa-pkcs12 and POST /rsa-pkcs12/decrypt: fresh key material made with
 * OpenSSL (rsakeys.h, totp.h), nothing stored.
 *
 * totp-secret answers a base32 secret and its otpauth:// URL, labelled
 * with the caller's login and issued by the provider's name. rsa answers a
 * PEM pair (PKCS#8 private, SPKI public) of keySize bits. rsa-pkcs12
 * answers a PKCS#12 container (base64; CN = subject; protected by password
 * if given; a 2048-bit key whatever keySize says) as privateKey, and its
 * public key PEM.
 * decrypt opens a container: 1210 when it holds no private key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer/errors.h"
#include "handlers/handlers.h"
#include "crypto/rsakeys.h"
#include "crypto/totp.h"

static void answer_pair(response *res, char *private_part, char *public_pem)
{
    response_data(res, json_pack("{s:s, s:s}", "privateKey", private_part, "publicKey",
                                 public_pem));
    free(private_part);
    free(public_pem);
}

/* Percent-encodes text for a URL component. */
static void url_encode(const char *text, char *out, size_t len)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 4 < len; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, len - n, "%%%02X", *p);
    }
    out[n] = 0;
}

/* The provider organization's name: the issuer of TOTP secrets. */
static void issuer_name(const request *req, char *out, size_t len)
{
    store_filter f = {1, {"type"}, {"Provider"}};
    char *uid = NULL;
    json_t *org = NULL;
    const char *name = NULL;
    if (store_find(req->app->store, "Organization", &f, &uid, &org, NULL) == STORE_OK)
        name = json_string_value(json_object_get(org, "name"));
    snprintf(out, len, "%s", name ? name : "Veeam Service Provider Console");
    free(uid);
    json_decref(org);
}

void handle_totp_secret(request *req, response *res)
{
    char secret[33], label[512], issuer[256], issuer_enc[768], url[1600];
    if (!totp_secret_new(secret)) {
        error_internal(res, "No TOTP secret could be drawn.");
        return;
    }
    char login[300];
    snprintf(login, sizeof login, "vspc\\%s", req->who.user_name);
    url_encode(login, label, sizeof label);
    issuer_name(req, issuer, sizeof issuer);
    url_encode(issuer, issuer_enc, sizeof issuer_enc);
    snprintf(url, sizeof url, "otpauth://totp/%s?secret=%s&issuer=%s", label, secret, issuer_enc);
    response_data(res, json_pack("{s:s, s:s}", "secret", secret, "secretUrl", url));
}

/* keySize: 2048 unless given, 1024 to 8192 bits. */
static bool key_size(const request *req, response *res, int *bits)
{
    long n = request_param_long(req, "keySize", 2048);
    if (n < 1024 || n > 8192) {
        error_bad_parameter(res, "keySize", "The key size must be between 1024 and 8192 bits.");
        return false;
    }
    *bits = (int)n;
    return true;
}

void handle_rsa_pair(request *req, response *res)
{
    char *private_pem = NULL, *public_pem = NULL;
    int bits;
    if (!key_size(req, res, &bits))
        return;
    if (rsakeys_new_pair(bits, &private_pem, &public_pem) != RSAKEYS_OK) {
        error_internal(res, "No RSA key pair could be made.");
        return;
    }
    answer_pair(res, private_pem, public_pem);
}

void handle_pkcs12(request *req, response *res)
{
    char *p12 = NULL, *public_pem = NULL;
    int bits;
    if (!key_size(req, res, &bits)) /* checked; the container's key is 2048 bits */
        return;
    const char *subject = json_string_value(request_param(req, "subject"));
    const char *password = json_string_value(request_param(req, "password"));
    rsakeys_status st = rsakeys_new_pkcs12(subject, password, &p12, &public_pem);
    if (st == RSAKEYS_BAD_FORMAT) {
        error_bad_parameter(res, "subject", "The subject must be 1 to 64 characters.");
        return;
    }
    if (st != RSAKEYS_OK) {
        error_internal(res, "No PKCS#12 container could be made.");
        return;
    }
    answer_pair(res, p12, public_pem);
}

void handle_pkcs12_decrypt(request *req, response *res)
{
    const char *content = json_string_value(json_object_get(req->json_body, "certificateContent"));
    const char *password = json_string_value(json_object_get(req->json_body, "password"));
    char *private_pem = NULL, *public_pem = NULL;
    rsakeys_status st = rsakeys_open_pkcs12(content, password, &private_pem, &public_pem);
    switch (st) {
    case RSAKEYS_OK:
        answer_pair(res, private_pem, public_pem);
        return;
    case RSAKEYS_NO_PRIVATE_KEY:
        error_answer(res, E_NO_PRIVATE_KEY, "certificateContent", NULL);
        return;
    case RSAKEYS_BAD_PASSWORD:
        error_bad_property(res, "password", "The password of the container is incorrect.");
        return;
    case RSAKEYS_NOT_RSA:
        error_answer(res, E_KEY_NOT_RSA, "certificateContent", NULL);
        return;
    case RSAKEYS_FAILED:
        error_internal(res, "The container could not be opened.");
        return;
    default:
        error_bad_property(res, "certificateContent",
                           "The certificateContent is not a base64 PKCS#12 container.");
    }
}
