/* uuid.c — random (OpenSSL CSPRNG) and seeded version-4 UUIDs, and the check
 * of UUID text (see uuid.h).
 */
#include "base/uuid.h"

#include <openssl/rand.h>
#include <stddef.h>

#include "base/rng.h"

/* Sets the version (4) and RFC 4122 variant bits, then writes the canonical
 * lower-case 8-4-4-4-12 text of the 16 bytes. */
static void format_v4(unsigned char b[16], char out[UUID_STR_LEN])
{
    static const char hex[] = "0123456789abcdef";
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0F];
    }
    out[o] = '\0';
}

bool uuid_random(char out[UUID_STR_LEN])
{
    unsigned char b[16];
    if (RAND_bytes(b, (int)sizeof b) != 1) {
        out[0] = '\0';
        return false;
    }
    format_v4(b, out);
    return true;
}

void uuid_from_seed(uint64_t seed, char out[UUID_STR_LEN])
{
    rng r;
    rng_init(&r, seed);
    unsigned char b[16];
    for (int half = 0; half < 2; half++) {
        uint64_t x = rng_next(&r);
        for (int i = 0; i < 8; i++)
            b[half * 8 + i] = (unsigned char)(x >> (8 * i));
    }
    format_v4(b, out);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool uuid_valid(const char *s)
{
    if (!s)
        return false;
    for (int i = 0; i < 36; i++) {
        bool hyphen_pos = (i == 8 || i == 13 || i == 18 || i == 23);
        if (hyphen_pos ? s[i] != '-' : !is_hex(s[i]))
            return false; /* also stops at an early NUL */
    }
    return s[36] == '\0';
}
