/* conform.h — make a JSON value valid for a schema, keeping what already is.
 *
 * The store holds records in the shape of the newest contract; a client of
 * an older version (X-Client-Version: 3.5.1) must still get bodies valid in
 * its own version. VSPC answers such clients "Unknown" for enum members
 * their version does not know (x-extensible-enum); conform_value does that,
 * and fills what the older schema requires but the record lacks (or holds
 * as null) with generated values. A value that is already valid comes back
 * unchanged (the same reference).
 */
#ifndef VSPC_CONFORM_H
#define VSPC_CONFORM_H

#include <jansson.h>
#include <stdint.h>

#include "contract/schema.h"

/* A new reference to a value valid for schema: value itself when it is
 * valid, else a repaired copy (seed makes generated parts deterministic). */
json_t *conform_value(const schema_ctx *ctx, const json_t *schema, json_t *value, uint64_t seed);

#endif
