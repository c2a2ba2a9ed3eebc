/* generate.h — plausible, schema-valid values for any contract schema.
 *
 * Deterministic: the same schema, property name and seed always give the
 * same value. The property name (and the component schema it is in, and
 * with generate_value_as the entity) steers the choice of strings and numbers
 * ("name", "email", "phone", "city", "...Uid", "version", "hostName", "port",
 * "...Quota", "...Date"...); formats give UUIDs and dates; enums give a
 * member (never "Unknown" or a "REMOVED_" member unless it is the only one).
 * Every value generate_value() returns validates with schema_validate()
 * against the same schema and context.
 *
 * A nullable property called "password" is always null: VSPC never sends
 * passwords back (the seed's ownerCredentials {"userName", "password": null}).
 *
 * Depth is bounded (GENERATE_MAX_DEPTH): below it, optional objects become
 * null where nullable, arrays become empty, and recursive schemas end.
 */
#ifndef VSPC_GENERATE_H
#define VSPC_GENERATE_H

#include <jansson.h>
#include <stdint.h>

#include "contract/schema.h"

#define GENERATE_MAX_DEPTH 8

/* A new value (the caller owns the reference) for schema, as the value of a
 * property called prop_name (NULL when not a property). NULL only when
 * allocation fails or the schema cannot be resolved. */
json_t *generate_value(const schema_ctx *ctx, const json_t *schema,
                       const char *prop_name, uint64_t seed);

/* generate_value for a record of the entity entity_name (NULL: none): the
 * entity steers what its strings are (a Linux thing's paths are POSIX, a
 * VB365 thing's versions are VB365's, a backup server's host is a "vbr"),
 * and everything the value says about people, its company, hosts and
 * places agrees with one persona drawn from seed. */
json_t *generate_value_as(const schema_ctx *ctx, const json_t *schema, const char *prop_name,
                          const char *entity_name, uint64_t seed);

#endif
