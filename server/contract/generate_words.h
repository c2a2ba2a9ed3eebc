/* generate_words.h — plausible scalar values chosen by property name.
 *
 * The helpers of generate.c holding the rules that map a property name
 * such as "email", "hostName" or "storageQuota", the component schema it is
 * in and the record's entity to a kind of value, rendered from the word
 * lists of generate_tables.h. All tables are const; every function is
 * deterministic in its seeds.
 */
#ifndef VSPC_GENERATE_WORDS_H
#define VSPC_GENERATE_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* What steers the strings of one record: the entity it is of (NULL for
 * none) and the seed of its persona (the company, place and contact person
 * its names, e-mails, hosts and phone numbers agree on). */
typedef struct words_ctx {
    const char *entity;
    uint64_t persona;
} words_ctx;

/* Writes a plausible string for the property `name` (NULL for none) of an
 * object of the component schema `owner` (NULL for none) into out; w may
 * be NULL (no entity, the persona of seed). */
void words_string_as(const words_ctx *w, const char *name, const char *owner, uint64_t seed,
                     char *out, size_t size);

/* words_string_as without a record: no entity, the persona of seed. */
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
