/* rng.h — deterministic pseudo-random numbers for the generator and fixtures.
 *
 * Not for secrets (see uuid.h for those). Same seed, same sequence, on every
 * machine: splitmix64 for the stream, FNV-1a to derive a seed from text.
 */
#ifndef VSPC_RNG_H
#define VSPC_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t state;
} rng;

/* Starts a stream at `seed`. */
void rng_init(rng *r, uint64_t seed);
/* Next 64 random bits. */
uint64_t rng_next(rng *r);
/* Uniform integer in [lo, hi] (inclusive); lo <= hi. */
int64_t rng_range(rng *r, int64_t lo, int64_t hi);
/* Uniform double in [0, 1). */
double rng_unit(rng *r);
/* Mixes `text` into `seed` (FNV-1a then splitmix finaliser): derives the seed
 * of a child value (a property, an array item) from its parent's seed. */
uint64_t rng_mix(uint64_t seed, const char *text);
/* Same as rng_mix for an integer (array index, record number). */
uint64_t rng_mix_u64(uint64_t seed, uint64_t n);

#endif
