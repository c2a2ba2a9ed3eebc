/* fuzz_token.c — token_verify, with the server's key made once at start.
 *
 * Input: one byte choosing the mode, then text. Even: the text is a JWT as a
 * client would send it. Odd: the text is a claims object that the harness
 * signs with the server's own key (libjwt, RS256), so that the claim checks
 * behind the signature are reached too. Checks token.h's promises: a token
 * is accepted only for the kind asked for and before it expires, and the
 * claims it yields are NUL-terminated within their fields. */
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "auth/token.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static token_keys *keys;
static char *private_pem;

static char *sign_claims(const char *claims);

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    fuzz_require(f != NULL, "the key file can be read");
    char *text = calloc(1, 16384);
    fuzz_require(text != NULL, "out of memory");
    size_t n = fread(text, 1, 16383, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[256], path[4200];
    keys = token_keys_open(fuzz_temp_dir(), err, sizeof err);
    if (!keys)
        fprintf(stderr, "fuzz: %s\n", err);
    fuzz_require(keys != NULL, "the token keys are made");
    /* a new key is made in the background: wait for it before the file */
    fuzz_require(token_public_pem(keys) != NULL, "the new key pair is made");
    snprintf(path, sizeof path, "%s/jwt-key.pem", fuzz_temp_dir());
    private_pem = read_file(path);
    /* the harness is sound only if a token the server signs verifies */
    token_claims c = {.kind = TOKEN_ACCESS, .sub = "s", .jti = "j", .name = "n",
                      .ts = "72947deb-f3f6-48ea-aa4d-092a9fd70f42", .uid = 1,
                      .iat = (long long)time(NULL), .exp = (long long)time(NULL) + 60};
    char *jwt = token_sign(keys, &c);
    token_claims back;
    fuzz_require(jwt && token_verify(keys, jwt, TOKEN_ACCESS, (long long)time(NULL), &back),
                 "a signed token verifies");
    free(jwt);
    char claims[512];
    snprintf(claims, sizeof claims,
             "{\"iat\":\"%lld\",\"exp\":\"%lld\",\"sub\":\"s\",\"jti\":\"j\",\"name\":\"n\","
             "\"lid\":\"1\",\"uid\":\"1\",\"ts\":\"72947deb-f3f6-48ea-aa4d-092a9fd70f42\","
             "\"scope\":\"2\",\"kind\":\"1\",\"ro\":\"1\"}",
             (long long)time(NULL), (long long)time(NULL) + 60);
    jwt = sign_claims(claims);
    fuzz_require(jwt && token_verify(keys, jwt, TOKEN_MFA, (long long)time(NULL), &back),
                 "claims the harness signs verify");
    free(jwt);
    return 0;
}

/* A JWT of the claims text, signed RS256 with the server's key; NULL when
 * libjwt refuses the text. */
static char *sign_claims(const char *claims)
{
    jwt_t *j = NULL;
    if (jwt_new(&j) != 0)
        return NULL;
    char *out = NULL;
    if (jwt_add_grants_json(j, claims) == 0 &&
        jwt_set_alg(j, JWT_ALG_RS256, (const unsigned char *)private_pem,
                    (int)strlen(private_pem)) == 0)
        out = jwt_encode_str(j);
    jwt_free(j);
    return out;
}

static bool terminated(const char *field, size_t size)
{
    return memchr(field, '\0', size) != NULL;
}

static void check(const char *jwt)
{
    long long now = (long long)time(NULL);
    for (int k = TOKEN_ACCESS; k <= TOKEN_MFA; k++) {
        token_claims c;
        if (!token_verify(keys, jwt, (token_kind)k, now, &c))
            continue;
        fuzz_require(c.kind == (token_kind)k && c.exp > now, "an accepted token is current");
        fuzz_require(terminated(c.sub, sizeof c.sub) && terminated(c.jti, sizeof c.jti) &&
                         terminated(c.act, sizeof c.act) && terminated(c.name, sizeof c.name) &&
                         terminated(c.ts, sizeof c.ts),
                     "the claims fit their fields");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = fuzz_text(data + 1, size - 1);
    if (data[0] % 2 == 0) {
        check(text);
    } else {
        char *jwt = sign_claims(text);
        if (jwt)
            check(jwt);
        free(jwt);
    }
    free(text);
    return 0;
}
