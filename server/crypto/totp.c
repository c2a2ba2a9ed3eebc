/* totp.c — RFC 4648 base32 and RFC 6238 TOTP codes (see totp.h).
 *
 * HOTP (RFC 4226): HMAC of the 8-byte big-endian counter, then dynamic
 * truncation — 31 bits taken at the offset given by the low nibble of the
 * last MAC byte — modulo 10^digits. The MAC is OpenSSL's one-shot HMAC().
 */
#include "crypto/totp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static const char B32_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

enum {
    SECRET_BYTES = 20,
    VERIFY_DIGITS = 6,
    VERIFY_STEP = 30,
};

size_t base32_encode(const unsigned char *data, size_t len, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return 0;
    out[0] = '\0';
    if (len > 0 && !data)
        return 0;
    /* ceil(8 * len / 5) without overflowing 8 * len */
    size_t need = len / 5 * 8 + (len % 5 * 8 + 4) / 5;
    if (need >= outlen)
        return 0;
    size_t o = 0;
    unsigned acc = 0; /* pending bits, at most 12 */
    unsigned bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = B32_ALPHABET[(acc >> bits) & 0x1F];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[o++] = B32_ALPHABET[(acc << (5 - bits)) & 0x1F];
    out[o] = '\0';
    return o;
}

/* Value 0..31 of a base32 character (either case), or -1. */
static int b32_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

long base32_decode(const char *text, unsigned char *out, size_t outlen)
{
    if (!text || (outlen > 0 && !out))
        return -1;
    size_t n = 0;
    unsigned acc = 0; /* pending bits, at most 12 */
    unsigned bits = 0;
    bool padding = false;
    for (const char *p = text; *p; p++) {
        if (is_space(*p))
            continue;
        if (*p == '=') {
            padding = true;
            continue;
        }
        int v = b32_value(*p);
        if (v < 0 || padding)
            return -1;
        acc = (acc << 5) | (unsigned)v;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (n >= outlen || n >= (size_t)LONG_MAX)
                return -1;
            out[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return (long)n;
}

static const EVP_MD *hash_md(totp_hash hash)
{
    switch (hash) {
    case TOTP_SHA1:
        return EVP_sha1();
    case TOTP_SHA256:
        return EVP_sha256();
    case TOTP_SHA512:
        return EVP_sha512();
    }
    return NULL;
}

/* RFC 4226 HOTP value of counter, as digits decimal digits into out. */
static bool hotp(const unsigned char *key, size_t keylen, const EVP_MD *md, uint64_t counter,
                 unsigned digits, char out[9])
{
    unsigned char msg[8];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (unsigned char)(counter & 0xFF);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    if (!HMAC(md, key, (int)keylen, msg, sizeof msg, mac, &maclen) || maclen < 20 ||
        maclen > sizeof mac) {
        OPENSSL_cleanse(mac, sizeof mac);
        return false;
    }
    unsigned off = mac[maclen - 1] & 0x0F;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7F) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    OPENSSL_cleanse(mac, sizeof mac);
    uint32_t mod = 1;
    for (unsigned i = 0; i < digits; i++)
        mod *= 10;
    int w = snprintf(out, 9, "%0*lu", (int)digits, (unsigned long)(bin % mod));
    return w == (int)digits;
}

bool totp_code(const unsigned char *key, size_t keylen, totp_hash hash, uint64_t t,
               unsigned step, unsigned digits, char out[9])
{
    if (!out)
        return false;
    out[0] = '\0';
    const EVP_MD *md = hash_md(hash);
    if (!key || keylen == 0 || keylen > INT_MAX || step == 0 || digits < 6 || digits > 8 || !md)
        return false;
    if (!hotp(key, keylen, md, t / step, digits, out)) {
        out[0] = '\0';
        return false;
    }
    return true;
}

bool totp_secret_new(char out[33])
{
    if (!out)
        return false;
    out[0] = '\0';
    unsigned char key[SECRET_BYTES];
    bool ok = RAND_bytes(key, (int)sizeof key) == 1 && base32_encode(key, sizeof key, out, 33) == 32;
    OPENSSL_cleanse(key, sizeof key);
    if (!ok)
        out[0] = '\0';
    return ok;
}

static bool six_digits(const char *code)
{
    for (int i = 0; i < VERIFY_DIGITS; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return code[VERIFY_DIGITS] == '\0';
}

bool totp_verify(const char *secret_base32, const char *code, time_t now, unsigned drift)
{
    if (!secret_base32 || !code || now < 0 || !six_digits(code))
        return false;
    size_t len = strlen(secret_base32);
    size_t cap = len / 8 * 5 + 5; /* at least the decoded size */
    unsigned char *key = malloc(cap);
    if (!key)
        return false;
    long keylen = base32_decode(secret_base32, key, cap);
    bool ok = false;
    if (keylen > 0 && (unsigned long)keylen <= INT_MAX) {
        uint64_t counter = (uint64_t)now / VERIFY_STEP;
        uint64_t first = counter >= drift ? counter - drift : 0;
        uint64_t last = counter + drift; /* counter < 2^59: cannot wrap */
        bool failed = false;
        for (uint64_t c = first; c <= last && !failed; c++) {
            char want[9];
            if (!hotp(key, (size_t)keylen, EVP_sha1(), c, VERIFY_DIGITS, want))
                failed = true;
            else
                ok |= CRYPTO_memcmp(want, code, VERIFY_DIGITS) == 0;
            OPENSSL_cleanse(want, sizeof want);
        }
        if (failed)
            ok = false;
    }
    OPENSSL_cleanse(key, cap);
    free(key);
    return ok;
}
