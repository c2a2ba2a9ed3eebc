/* uuid.h — UUID text helpers.
 *
 * uuid_random() draws from OpenSSL's CSPRNG (RAND_bytes): use it for
 * identifiers a client will see as assigned by the server. uuid_from_seed()
 * is deterministic (generated worlds, fixtures). Output is the canonical
 * 36-character lower-case form, version 4, RFC 4122 variant.
 */
#ifndef VSPC_UUID_H
#define VSPC_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_STR_LEN 37 /* 36 characters and the terminating NUL */

/* Writes a random UUID into out; false if the CSPRNG failed. */
bool uuid_random(char out[UUID_STR_LEN]);
/* Writes the UUID determined by seed into out. */
void uuid_from_seed(uint64_t seed, char out[UUID_STR_LEN]);
/* True if s is a UUID: 8-4-4-4-12 hexadecimal digits, either case, with
 * hyphens (the form ASP.NET's Guid parser accepts in URLs and JSON). */
bool uuid_valid(const char *s);

#endif
