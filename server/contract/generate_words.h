/* generate_words.h — plausible scalar values chosen by property name.
 *
 * The helpers of generate.c that hold the word tables (companies, people,
 * places, hosts, versions...) and the rules mapping a property name such as
 * "email", "hostName" or "storageQuota" to a kind of value. All tables are
 * const; every function is deterministic in its seed.
 */
#ifndef VSPC_GENERATE_WORDS_H
#define VSPC_GENERATE_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* Writes a plausible string for the property `name` (NULL for none) of an
 * object of the component schema `owner` (NULL for none) into out. */
void words_string(const char *name, const char *owner, uint64_t seed,
                  char *out, size_t size);

/* A plausible non-negative integer for the property `name` (may be NULL). */
int64_t words_integer(const char *name, uint64_t seed);

/* A plausible non-negative real for the property `name` (may be NULL); a
 * multiple of 0.25, so that it prints exactly. */
double words_number(const char *name, uint64_t seed);

/* A date-time in 2025-2026: "2025-03-14T09:26:53Z" or, at random, with
 * seven fraction digits and "+00:00" as .NET writes them. */
void words_date_time(uint64_t seed, char *out, size_t size);

/* A calendar day in 2025-2026: "2025-03-14". */
void words_date(uint64_t seed, char *out, size_t size);

/* Base64 text of a few dozen random bytes (format "binary"). */
void words_base64(uint64_t seed, char *out, size_t size);

/* A key for an entry of a map (a schema with additionalProperties only). */
const char *words_map_key(uint64_t seed, uint64_t index);

#endif
