/* token.c — see token.h. */
#include "auth/token.h"

#include <errno.h>
#include <jwt.h>
#include <pthread.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "base/log.h"
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

const char *token_kind_name(token_kind kind)
{
    return kind_names[kind];
}

const char *token_public_pem(const token_keys *k)
{
    return keys_ready(k) ? k->public_pem : NULL;
}

char *token_sign(const token_keys *k, const token_claims *c)
{
    jwt_t *j = NULL;
    if (!keys_ready(k) || jwt_new(&j) != 0)
        return NULL;
    int bad = jwt_add_grant(j, "sub", c->sub) | jwt_add_grant(j, "jti", c->jti) |
              jwt_add_grant_int(j, "iat", (long)c->iat) |
              jwt_add_grant_int(j, "exp", (long)c->exp) | jwt_add_grant(j, "name", c->name) |
              jwt_add_grant(j, "role", c->role) | jwt_add_grant_int(j, "lid", c->lid) |
              jwt_add_grant_bool(j, "ro", c->ro) |
              jwt_add_grant(j, "kind", token_kind_name(c->kind));
    if (c->act[0])
        bad |= jwt_add_grant(j, "act", c->act);
    bad |= jwt_set_alg(j, JWT_ALG_RS256, (const unsigned char *)k->private_pem,
                       (int)strlen(k->private_pem));
    char *out = bad ? NULL : jwt_encode_str(j);
    jwt_free(j);
    return out;
}

/* A string claim copied into out; false if absent or too long. */
static bool get_text(jwt_t *j, const char *name, char *out, size_t len, bool required)
{
    const char *v = jwt_get_grant(j, name);
    if (!v) {
        out[0] = 0;
        return !required;
    }
    if (strlen(v) >= len)
        return false;
    strcpy(out, v);
    return true;
}

static bool get_int(jwt_t *j, const char *name, long *out)
{
    errno = 0;
    *out = jwt_get_grant_int(j, name);
    return errno == 0;
}

bool token_verify(const token_keys *k, const char *text, token_kind kind, long long now,
                  token_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!text || strlen(text) > 8192 || !keys_ready(k))
        return false;
    jwt_t *j = NULL;
    if (jwt_decode(&j, text, (const unsigned char *)k->public_pem, (int)strlen(k->public_pem)) !=
            0 ||
        !j)
        return false;
    /* only what we sign: "none" and HS256 keyed with our public key fail */
    bool ok = jwt_get_alg(j) == JWT_ALG_RS256;
    long iat = 0, exp = 0, lid = 0;
    char kname[16];
    ok = ok && get_text(j, "sub", out->sub, sizeof out->sub, true) &&
         get_text(j, "jti", out->jti, sizeof out->jti, true) &&
         get_text(j, "act", out->act, sizeof out->act, false) &&
         get_text(j, "name", out->name, sizeof out->name, true) &&
         get_text(j, "role", out->role, sizeof out->role, true) &&
         get_text(j, "kind", kname, sizeof kname, true) && get_int(j, "iat", &iat) &&
         get_int(j, "exp", &exp) && get_int(j, "lid", &lid);
    if (ok) {
        errno = 0;
        int ro = jwt_get_grant_bool(j, "ro");
        ok = errno == 0 && !strcmp(kname, token_kind_name(kind)) && exp > now && iat <= now + 60;
        out->ro = ro == 1;
    }
    jwt_free(j);
    out->kind = kind;
    out->iat = iat;
    out->exp = exp;
    out->lid = lid;
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}
