/* rng.c — splitmix64 streams and FNV-1a seed derivation (see rng.h).
 *
 * Everything here is pure integer arithmetic on fixed-width types, so a seed
 * gives the same numbers on every platform and compiler.
 */
#include "base/rng.h"

#define SPLITMIX_GAMMA 0x9E3779B97F4A7C15ULL
#define FNV_OFFSET 0xCBF29CE484222325ULL
#define FNV_PRIME 0x00000100000001B3ULL

/* The splitmix64 output function: a bijective 64-bit finaliser. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void rng_init(rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t rng_next(rng *r)
{
    r->state += SPLITMIX_GAMMA;
    return mix64(r->state);
}

/* lo plus an offset in [0, hi - lo], computed without signed overflow. */
static int64_t add_offset(int64_t lo, int64_t hi, uint64_t offset, uint64_t span_minus_1)
{
    if (offset <= (uint64_t)INT64_MAX)
        return lo + (int64_t)offset;
    /* The offset is past INT64_MAX: count down from hi instead. */
    return hi - (int64_t)(span_minus_1 - offset);
}

int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span_minus_1 = (uint64_t)hi - (uint64_t)lo;
    if (span_minus_1 == UINT64_MAX) /* the whole int64 range */
        return add_offset(lo, hi, rng_next(r), span_minus_1);
    uint64_t span = span_minus_1 + 1;
    /* Rejection sampling: drop the few values that would bias the modulo. */
    uint64_t threshold = (0 - span) % span;
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x < threshold);
    return add_offset(lo, hi, x % span, span_minus_1);
}

double rng_unit(rng *r)
{
    /* The top 53 bits fill a double's mantissa exactly. */
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t rng_mix(uint64_t seed, const char *text)
{
    uint64_t h = FNV_OFFSET ^ seed;
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        h ^= *p;
        h *= FNV_PRIME;
    }
    return mix64(h + SPLITMIX_GAMMA);
}

uint64_t rng_mix_u64(uint64_t seed, uint64_t n)
{
    return mix64(seed ^ mix64(n + SPLITMIX_GAMMA));
}
