/* schema.h — the JSON Schema subset of OpenAPI 3.0 that the contract uses.
 *
 * A schema_ctx wraps one loaded contract document (borrowed, never copied).
 * It resolves "$ref" ("#/components/schemas/Name") and validates any JSON
 * value against any schema of that document, stopping at the first violation
 * and reporting where it is. Keywords understood: $ref, type (object, array,
 * string, integer, number, boolean), format (uuid, date-time, date; binary
 * and unknown formats are not checked), maxLength (with defaults, below),
 * enum, required, nullable, items, properties, additionalProperties (true,
 * false or a schema), allOf, default (ignored by validation).
 *
 * Nullability: a value null is accepted where the schema, or the schema its
 * $ref/allOf names, says "nullable": true. The 3.5.1 and 3.6 documents carry
 * no nullable at all though the real API sends nulls, so a context made with
 * implicit_nullable accepts null for every property that is not required.
 */
#ifndef VSPC_SCHEMA_H
#define VSPC_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>

typedef struct schema_ctx {
    const json_t *doc;       /* the whole OpenAPI document (borrowed) */
    const json_t *schemas;   /* doc.components.schemas (borrowed) */
    bool implicit_nullable;  /* see above */
} schema_ctx;

/* Points ctx at doc. doc must outlive ctx. */
void schema_ctx_init(schema_ctx *ctx, const json_t *doc, bool implicit_nullable);

/* The schema named `name` in components.schemas, or NULL. */
const json_t *schema_by_name(const schema_ctx *ctx, const char *name);

/* Follows a chain of "$ref" from schema to the first schema that is not a
 * bare reference. Returns schema itself when it has no $ref; NULL when a
 * reference dangles or loops. */
const json_t *schema_resolve(const schema_ctx *ctx, const json_t *schema);

/* The name of the component schema that `schema` refers to ("Company" for
 * {"$ref":"#/components/schemas/Company"}), or NULL if it is not a $ref. */
const char *schema_ref_name(const json_t *schema);

/* True if `schema` (or what it refers to, or any allOf member) is nullable. */
bool schema_is_nullable(const schema_ctx *ctx, const json_t *schema);

/* The effective "type" of schema after $ref and allOf ("object" when it has
 * properties and no type), or NULL when it accepts any type. */
const char *schema_type(const schema_ctx *ctx, const json_t *schema);

/* The schema of property `name` of an object schema, looking through $ref
 * and allOf members; NULL when the schema does not describe it. */
const json_t *schema_property(const schema_ctx *ctx, const json_t *schema, const char *name);

typedef struct schema_error {
    /* Where the first violation is, as a property path: "" for the value
     * itself, "name", "companyServices.backupAgentsQuota.serverAgentsQuota",
     * "scopes[1]", "items[2].name". Truncated with "..." if too long. */
    char path[256];
    /* What is wrong, in one English sentence without the path, e.g.
     * "Value must be of type integer.", "The property is required.",
     * "Value must be one of: Active, Disabled.", "Value is not a valid UUID." */
    char message[256];
} schema_error;

/* Validates value against schema. True if valid; otherwise false, and err
 * (when not NULL) says where and what. Never allocates on the happy path. */
bool schema_validate(const schema_ctx *ctx, const json_t *schema,
                     const json_t *value, schema_error *err);

/* String lengths. The contract's maxLength applies where it gives one (none
 * of the 3.6.1, 3.6 and 3.5.1 documents does); elsewhere a string property
 * gets the emulator's default by what the property holds, so that no client
 * stores a 30 MB company name that every list then answers. Lengths are
 * counted in characters (UTF-8 code points), not bytes.
 *   - names and logins: "name", "...Name", "username", "email", "mail": 256
 *   - content: a property whose name holds content, certificate, key,
 *     token, secret, script, xml, json, configuration, query, body,
 *     template, license, hash, list or value (JSON Patch values are the
 *     text of any member), or of format byte or binary: 1,048,576
 *   - any other text (notes, descriptions, addresses, URLs, paths): 4,096
 * A string that is not a property (a parameter, a whole body) or that an
 * enum bounds gets no default. Over the limit is a violation like any other
 * ("Value must be at most 256 characters long (it has 100000)."). */
#define SCHEMA_NAME_MAX_LENGTH 256
#define SCHEMA_CONTENT_MAX_LENGTH 1048576
#define SCHEMA_TEXT_MAX_LENGTH 4096

/* Format checks shared with the query parameter parser. */
bool schema_valid_date_time(const char *s); /* RFC 3339 / ISO 8601 date-time */
bool schema_valid_date(const char *s);      /* YYYY-MM-DD, a real calendar day */

#endif
