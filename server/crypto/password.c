/* password.c — salted PBKDF2-HMAC-SHA256 password hashes (see password.h).
 *
 * The stored text is parsed strictly: the exact prefix, a decimal iteration
 * count in range, and canonical padded base64 for salt and hash (checked by
 * re-encoding the decoded bytes, which also catches what EVP_DecodeBlock
 * would silently accept: white space, non-zero trailing bits).
 */
#include "crypto/password.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

static const char PREFIX[] = "pbkdf2-sha256$";

enum {
    SALT_BYTES = 16,
    MAX_SALT_BYTES = 64,
    HASH_BYTES = 32,
    /* base64 of MAX_SALT_BYTES: 4 * ceil(64 / 3) */
    MAX_B64_CHARS = 88,
};

static atomic_ulong derivations;

/* PBKDF2-HMAC-SHA256 of password over salt into out[HASH_BYTES]. */
static bool derive(const char *password, const unsigned char *salt, size_t saltlen,
                   unsigned iterations, unsigned char out[HASH_BYTES])
{
    size_t pwlen = strlen(password);
    if (pwlen > INT_MAX || saltlen > INT_MAX || iterations > INT_MAX)
        return false;
    atomic_fetch_add(&derivations, 1);
    const EVP_MD *md = EVP_sha256();
    if (!md)
        return false;
    if (PKCS5_PBKDF2_HMAC(password, (int)pwlen, salt, (int)saltlen, (int)iterations, md,
                          HASH_BYTES, out) != 1) {
        OPENSSL_cleanse(out, HASH_BYTES);
        return false;
    }
    return true;
}

char *password_hash(const char *password)
{
    return password_hash_iter(password, PASSWORD_ITERATIONS);
}

char *password_hash_iter(const char *password, unsigned iterations)
{
    if (!password || iterations < 1 || iterations > PASSWORD_MAX_ITERATIONS)
        return NULL;
    unsigned char salt[SALT_BYTES], hash[HASH_BYTES];
    char salt64[4 * ((SALT_BYTES + 2) / 3) + 1], hash64[4 * ((HASH_BYTES + 2) / 3) + 1];
    char *text = NULL;
    if (RAND_bytes(salt, (int)sizeof salt) != 1 ||
        !derive(password, salt, sizeof salt, iterations, hash))
        goto done;
    if (EVP_EncodeBlock((unsigned char *)salt64, salt, (int)sizeof salt) !=
            (int)sizeof salt64 - 1 ||
        EVP_EncodeBlock((unsigned char *)hash64, hash, (int)sizeof hash) != (int)sizeof hash64 - 1)
        goto done;
    int n = snprintf(NULL, 0, "%s%u$%s$%s", PREFIX, iterations, salt64, hash64);
    if (n < 0)
        goto done;
    text = malloc((size_t)n + 1);
    if (text && snprintf(text, (size_t)n + 1, "%s%u$%s$%s", PREFIX, iterations, salt64, hash64) !=
                    n) {
        free(text);
        text = NULL;
    }
done:
    OPENSSL_cleanse(hash, sizeof hash);
    OPENSSL_cleanse(hash64, sizeof hash64);
    return text;
}

/* Decodes len chars of canonical padded base64 into out (at most cap
 * bytes); returns the true number of bytes, or -1 if the text is not the
 * exact encoding of some 1..cap bytes. */
static long b64_decode(const char *text, size_t len, unsigned char *out, size_t cap)
{
    if (len == 0 || len % 4 != 0 || len > MAX_B64_CHARS)
        return -1;
    unsigned char raw[MAX_B64_CHARS / 4 * 3];
    char again[MAX_B64_CHARS + 1];
    long result = -1;
    int n = EVP_DecodeBlock(raw, (const unsigned char *)text, (int)len);
    if (n < 0 || (size_t)n != len / 4 * 3)
        goto done;
    /* DecodeBlock counts the padding as zero bytes: drop them. */
    size_t pad = text[len - 1] == '=' ? (text[len - 2] == '=' ? 2 : 1) : 0;
    size_t bytes = (size_t)n - pad;
    if (bytes == 0 || bytes > cap)
        goto done;
    /* memcmp is fine here: both sides are the stored text (a canonical
     * form check), nothing a client sent */
    if (EVP_EncodeBlock((unsigned char *)again, raw, (int)bytes) != (int)len ||
        memcmp(again, text, len) != 0)
        goto done;
    memcpy(out, raw, bytes);
    result = (long)bytes;
done:
    OPENSSL_cleanse(raw, sizeof raw);
    return result;
}

/* The decimal iteration count of text[0..len): digits only, no leading
 * zero, 1..PASSWORD_MAX_ITERATIONS; 0 if invalid. */
static unsigned parse_iterations(const char *text, size_t len)
{
    if (len == 0 || len > 8 || text[0] == '0')
        return 0;
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(text[i] - '0');
    }
    return v <= PASSWORD_MAX_ITERATIONS ? (unsigned)v : 0;
}

bool password_verify(const char *password, const char *stored)
{
    if (!password || !stored || strncmp(stored, PREFIX, sizeof PREFIX - 1) != 0)
        return false;
    const char *iter = stored + sizeof PREFIX - 1;
    const char *salt64 = strchr(iter, '$');
    if (!salt64)
        return false;
    salt64++;
    const char *hash64 = strchr(salt64, '$');
    if (!hash64)
        return false;
    hash64++;
    unsigned iterations = parse_iterations(iter, (size_t)(salt64 - 1 - iter));
    if (iterations == 0)
        return false;
    unsigned char salt[MAX_SALT_BYTES], want[HASH_BYTES], got[HASH_BYTES];
    bool ok = false;
    long saltlen = b64_decode(salt64, (size_t)(hash64 - 1 - salt64), salt, sizeof salt);
    if (saltlen > 0 && b64_decode(hash64, strlen(hash64), want, sizeof want) == HASH_BYTES &&
        derive(password, salt, (size_t)saltlen, iterations, got))
        ok = CRYPTO_memcmp(got, want, HASH_BYTES) == 0;
    OPENSSL_cleanse(got, sizeof got);
    OPENSSL_cleanse(want, sizeof want);
    return ok;
}

/* --- the dummy hash ---------------------------------------------------------- */

/* Fixed size: the text of a hash made here is about 90 characters. */
static char dummy[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    unsigned char secret[16];
    char text[2 * sizeof secret + 1];
    if (RAND_bytes(secret, (int)sizeof secret) != 1)
        memset(secret, 0x5a, sizeof secret); /* still a full-cost check */
    for (size_t i = 0; i < sizeof secret; i++)
        snprintf(text + 2 * i, 3, "%02x", secret[i]);
    char *hash = password_hash(text);
    if (hash && strlen(hash) < sizeof dummy)
        strcpy(dummy, hash);
    free(hash);
    OPENSSL_cleanse(secret, sizeof secret);
    OPENSSL_cleanse(text, sizeof text);
}

void password_init(void)
{
    pthread_once(&dummy_once, make_dummy);
}

bool password_verify_dummy(const char *password)
{
    password_init();
    if (dummy[0]) {
        password_verify(password ? password : "", dummy);
        return false;
    }
    /* no dummy could be made (no randomness): pay the derivation anyway */
    unsigned char salt[SALT_BYTES] = {0}, out[HASH_BYTES];
    derive(password ? password : "", salt, sizeof salt, PASSWORD_ITERATIONS, out);
    OPENSSL_cleanse(out, sizeof out);
    return false;
}

unsigned long password_derivations(void)
{
    return atomic_load(&derivations);
}
