/* jsonpatch.h — JSON Patch (RFC 6902) over JSON Pointer (RFC 6901), with
 * the leniencies VSPC clients rely on, applied atomically and checked
 * against the contract's schema of the patched document.
 *
 * Contract of jsonpatch_apply:
 *  - `doc` is never modified. On success the result is a NEW document (the
 *    caller owns the reference); on any failure the result is NULL, nothing
 *    was changed and `err` (when not NULL) says which operation failed and
 *    why. So a patch applies entirely or not at all.
 *  - `patch` is an array of operations {op, path, value, from} (add, remove,
 *    replace, move, copy, test) or one bare operation object. Operation
 *    names match ignoring case, as ASP.NET's JsonPatch does.
 *  - `path` and `from` are JSON Pointers: "" is the whole document, any
 *    other pointer starts with '/'. A path without it ("mfaPolicyStatus")
 *    fails like any other bad operation.
 *  - The contract types JsonPatch.value as a string, so a string value whose
 *    target property the schema types otherwise (integer, number, boolean,
 *    object, array, or an enum string) is coerced: "450" -> 450, "true" ->
 *    true, "disabled" -> "Disabled" (the contract's spelling), "{...}" ->
 *    an object. Non-string values are taken as they are, and so are values
 *    for paths the schema does not describe. "test" coerces the same way and
 *    compares by JSON equality (numbers by value: 1 equals 1.0).
 *  - With a `schema` (the schema of the whole document, e.g. Company), the
 *    result must validate against it (schema_validate) or the patch fails.
 *    With schema NULL there is no coercion and no validation; ctx may then
 *    be NULL too.
 *  - Bounds: at most JSONPATCH_MAX_OPS operations; documents and pointers at
 *    most JSONPATCH_MAX_DEPTH levels deep; the values that add, replace and
 *    copy insert hold at most JSONPATCH_MAX_NODES JSON values in all. Every
 *    recursion is bounded by JSONPATCH_MAX_DEPTH.
 */
#ifndef VSPC_JSONPATCH_H
#define VSPC_JSONPATCH_H

#include <jansson.h>

#include "contract/schema.h"

#define JSONPATCH_MAX_OPS 1000
#define JSONPATCH_MAX_DEPTH 128    /* levels of a document; tokens of a pointer */
#define JSONPATCH_MAX_NODES 100000 /* JSON values one patch may insert */

typedef struct jsonpatch_error {
    /* The failing operation, counted from 0; -1 when the failure belongs to
     * no single operation (the patch is not an array or object, it has too
     * many operations, the document is too deep, the result violates the
     * schema). */
    long index;
    /* That operation's "path" as sent; "" when there is none. Cut with "..."
     * when too long. */
    char path[256];
    /* One self-contained English sentence, e.g. "The path '/nme' does not
     * exist." or "The value 'abc' is not valid for '/x': an integer is
     * expected." Suitable for VSPC error 1001 as it is. */
    char message[512];
} jsonpatch_error;

/* Applies patch to a copy of doc; see the contract above. */
json_t *jsonpatch_apply(const schema_ctx *ctx, const json_t *schema, const json_t *doc,
                        const json_t *patch, jsonpatch_error *err);

#endif
