/* conform.h — make a JSON value valid for a schema, keeping what already is.
 *
 * The store holds records in the shape of the newest contract; a client of
 * an older version (X-Client-Version: 3.5.1) must still get bodies valid in
 * its own version. VSPC answers such clients "Unknown" for enum members
 * their version does not know (x-extensible-enum); conform_value does that,
 * and fills what the older schema requires but the record lacks (or holds
 * as null) with generated values. A value that is already valid comes back
 * unchanged (the same reference). Answers to older clients take
 * conform_to_version, which follows the table of differences instead of
 * validating every value.
 */
#ifndef VSPC_CONFORM_H
#define VSPC_CONFORM_H

#include <jansson.h>
#include <stdint.h>

#include "contract/differences.h"
#include "contract/schema.h"

/* A new reference to a value valid for schema: value itself when it is
 * valid, else a repaired copy (seed makes generated parts deterministic). */
json_t *conform_value(const schema_ctx *ctx, const json_t *schema, json_t *value, uint64_t seed);

/* An answer's value in the newest version's shape (a record, or what a
 * handler built), in the shape of the older version whose table of
 * differences is d, for its schema there (an operation's data, or one item
 * of it). Takes value and returns the shaped one (the same, changed in
 * place, unless a replacement was needed); the walk follows the table:
 *   - a null where the version allows none: left out when optional; when
 *     required, a value of its type (generated; "" for a password, which
 *     VSPC never sends back);
 *   - a member the version does not describe is left out, a renamed one
 *     is answered under the version's name, a required one missing is
 *     filled (from the renamed member, else generated);
 *   - on checked nodes, a value of another type is converted where it can
 *     be (an object as its JSON text for a string, "12" for an integer),
 *     an enum member the version lacks reads "Unknown" where the version
 *     has it, and anything else is generated for the version's schema.
 * seed makes generated parts deterministic. */
json_t *conform_to_version(const differences *d, const json_t *schema, json_t *value,
                           uint64_t seed);

#endif
