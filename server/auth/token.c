/* token.c — see token.h. */
#include "auth/token.h"

#include <limits.h>
#include <jwt.h>
#include <pthread.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "base/log.h"
#include "base/uuid.h"
#include "crypto/rsakeys.h"

/* The key pair. On a first start the pair is made by a thread of its own
 * (RSA generation takes 50-300 ms, most of a fresh start), so the server is
 * ready while it runs; the first signature or check waits for it. */
struct token_keys {
    pthread_mutex_t lock;
    pthread_t maker;
    bool making;             /* the maker thread runs or is not joined yet */
    rsakeys_status made;
    char path[4096];
    char *private_pem;
    char *public_pem;
};

static void *make_pair(void *arg)
{
    token_keys *k = arg;
    k->made = rsakeys_load_or_create(k->path, &k->private_pem, &k->public_pem);
    if (k->made != RSAKEYS_OK)
        log_error("token: %s: %s", k->path, rsakeys_message(k->made));
    return NULL;
}

/* Waits for the maker, once; false when there is no key. */
static bool keys_ready(const token_keys *key)
{
    token_keys *k = (token_keys *)key; /* the wait is not a change of the keys */
    pthread_mutex_lock(&k->lock);
    if (k->making) {
        pthread_join(k->maker, NULL);
        k->making = false;
    }
    pthread_mutex_unlock(&k->lock);
    return k->private_pem && k->public_pem;
}

token_keys *token_keys_open(const char *data_dir, char *err, size_t errlen)
{
    token_keys *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&k->lock, NULL);
    snprintf(k->path, sizeof k->path, "%s/%s", data_dir, TOKEN_KEY_FILE);
    int exists = files_exists(k->path, err, errlen);
    if (exists < 0) {
        free(k);
        return NULL;
    }
    /* a key file that is there is read now, so that a bad one stops the
     * start with its reason; a missing one is made in the background */
    if (!exists && pthread_create(&k->maker, NULL, make_pair, k) == 0) {
        k->making = true;
        return k;
    }
    k->made = rsakeys_load_or_create(k->path, &k->private_pem, &k->public_pem);
    if (k->made != RSAKEYS_OK) {
        snprintf(err, errlen, "%s: %s", k->path, rsakeys_message(k->made));
        pthread_mutex_destroy(&k->lock);
        free(k);
        return NULL;
    }
    return k;
}

void token_keys_close(token_keys *k)
{
    if (!k)
        return;
    keys_ready(k);
    if (k->private_pem) {
        OPENSSL_cleanse(k->private_pem, strlen(k->private_pem));
        free(k->private_pem);
    }
    free(k->public_pem);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

static const char *const kind_names[] = {"access", "refresh", "mfa"};
static const char *const kind_claims[] = {"3", "2", "1"};

static bool kind_ok(token_kind kind)
{
    return (unsigned)kind <= (unsigned)TOKEN_MFA;
}

const char *token_kind_name(token_kind kind)
{
    return kind_names[kind];
}

const char *token_kind_claim(token_kind kind)
{
    return kind_claims[kind];
}

const char *token_public_pem(const token_keys *k)
{
    return keys_ready(k) ? k->public_pem : NULL;
}

/* The longest decimal claim: 18 digits always fit a long long. */
#define MAX_DIGITS 18

/* n as a decimal string claim. */
static int add_number(jwt_t *j, const char *name, long long n)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", n);
    return jwt_add_grant(j, name, text);
}

char *token_sign(const token_keys *k, const token_claims *c)
{
    if (!c->sub[0] || !c->jti[0] || !c->name[0] || !uuid_valid(c->ts) || c->iat < 0 ||
        c->exp < 0 || c->lid < 0 || c->uid < 1 || !kind_ok(c->kind))
        return NULL;
    jwt_t *j = NULL;
    if (!keys_ready(k) || jwt_new(&j) != 0)
        return NULL;
    /* VSPC's claims, every value a string (libjwt writes them sorted by
     * name, not in VSPC's order: order has no meaning in a JSON object) */
    int bad = add_number(j, "iat", c->iat) | add_number(j, "exp", c->exp) |
              jwt_add_grant(j, "sub", c->sub) | jwt_add_grant(j, "jti", c->jti) |
              jwt_add_grant(j, "name", c->name) | add_number(j, "lid", c->lid) |
              add_number(j, "uid", c->uid) | jwt_add_grant(j, "ts", c->ts) |
              jwt_add_grant(j, "scope", TOKEN_SCOPE) |
              jwt_add_grant(j, "kind", token_kind_claim(c->kind));
    /* ours, only when they apply */
    if (c->act[0])
        bad |= jwt_add_grant(j, "act", c->act);
    if (c->ro)
        bad |= jwt_add_grant(j, "ro", "1");
    bad |= jwt_set_alg(j, JWT_ALG_RS256, (const unsigned char *)k->private_pem,
                       (int)strlen(k->private_pem));
    char *out = bad ? NULL : jwt_encode_str(j);
    jwt_free(j);
    return out;
}

/* A string claim copied into out; false if it is too long, not a string
 * or (when required) absent or empty. */
static bool get_text(jwt_t *j, const char *name, char *out, size_t len, bool required)
{
    out[0] = 0;
    const char *v = jwt_get_grant(j, name);
    if (!v) { /* absent, or not a string */
        if (required)
            return false;
        char *other = jwt_get_grants_json(j, name);
        bool absent = other == NULL;
        free(other);
        return absent;
    }
    if (strlen(v) >= len || (required && !v[0]))
        return false;
    strcpy(out, v);
    return true;
}

/* A claim that is a string of decimal digits (no sign, blank or leading
 * zero; at most MAX_DIGITS) into *out. */
static bool get_number(jwt_t *j, const char *name, long long *out)
{
    const char *v = jwt_get_grant(j, name);
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n > MAX_DIGITS || (v[0] == '0' && n > 1))
        return false;
    long long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        x = x * 10 + (v[i] - '0');
    }
    *out = x;
    return true;
}

/* A string claim that must be exactly want. */
static bool has_value(jwt_t *j, const char *name, const char *want)
{
    const char *v = jwt_get_grant(j, name);
    return v && !strcmp(v, want);
}

bool token_verify(const token_keys *k, const char *text, token_kind kind, long long now,
                  token_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!text || strlen(text) > 8192 || !kind_ok(kind) || !keys_ready(k))
        return false;
    jwt_t *j = NULL;
    if (jwt_decode(&j, text, (const unsigned char *)k->public_pem, (int)strlen(k->public_pem)) !=
            0 ||
        !j)
        return false;
    /* only what we sign: "none" and HS256 keyed with our public key fail */
    bool ok = jwt_get_alg(j) == JWT_ALG_RS256;
    long long iat = 0, exp = 0, lid = 0, uid = 0;
    char ro[2] = {0};
    ok = ok && get_number(j, "iat", &iat) && get_number(j, "exp", &exp) &&
         get_text(j, "sub", out->sub, sizeof out->sub, true) &&
         get_text(j, "jti", out->jti, sizeof out->jti, true) &&
         get_text(j, "name", out->name, sizeof out->name, true) &&
         get_number(j, "lid", &lid) && get_number(j, "uid", &uid) &&
         get_text(j, "ts", out->ts, sizeof out->ts, true) && uuid_valid(out->ts) &&
         has_value(j, "scope", TOKEN_SCOPE) && has_value(j, "kind", token_kind_claim(kind)) &&
         get_text(j, "act", out->act, sizeof out->act, false) &&
         get_text(j, "ro", ro, sizeof ro, false) && (!ro[0] || !strcmp(ro, "1")) &&
         lid <= LONG_MAX && uid >= 1 && uid <= LONG_MAX && exp > now && iat <= now + 60;
    jwt_free(j);
    if (!ok) {
        memset(out, 0, sizeof *out);
        return false;
    }
    out->kind = kind;
    out->iat = iat;
    out->exp = exp;
    out->lid = (long)lid;
    out->uid = (long)uid;
    out->ro = ro[0] == '1';
    return true;
}
