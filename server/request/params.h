/* params.h — query, path and header parameters, and form fields: from text
 * to typed JSON values checked against the contract.
 *
 * Text is coerced by the parameter's schema: integer and number (strict
 * decimal), boolean (true/false, any case), string formats uuid, date and
 * date-time, enums (matched ignoring case, answered in the contract's own
 * spelling, as ASP.NET binds them), arrays (the parameter repeated, or one
 * JSON array such as scopes=["integration","rest"]) and objects (JSON text).
 * Names match ignoring case. Parameters the operation does not declare are
 * ignored, as VSPC does. Paging parameters (limit, offset) also get VSPC's
 * range rules. Any failure is a 400 naming the parameter.
 */
#ifndef VSPC_PARAMS_H
#define VSPC_PARAMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/contract.h"
#include "answer/response.h"
#include "contract/router.h"

/* One name/value pair from the query string or the headers. */
typedef struct kv {
    const char *key;
    const char *value;
} kv;

typedef struct param_input {
    const kv *query;
    size_t nquery;
    const kv *headers;
    size_t nheaders;
    const route_match *route; /* path parameter values */
    long max_page_size;       /* largest limit accepted (VSPC: 500) */
} param_input;

/* Checks every parameter op declares. On success *out is a new object
 * holding each parameter present (typed) and the default of each query
 * parameter absent that has one; on failure r holds the 400 answer. */
bool params_parse(const operation *op, const param_input *in, json_t **out, response *r);

/* Coerces n texts (n > 1 only for arrays) to a value of schema. On failure
 * writes a sentence into why ("The value 'x' is not a valid UUID."). */
bool params_coerce(const schema_ctx *ctx, const json_t *schema, const char *const *texts,
                   size_t n, json_t **out, char *why, size_t whylen);

/* Form bodies carry text only: replaces each string member of obj whose
 * property in schema is not a string by its coerced value. On failure
 * `prop` names the property and why says what is wrong. */
bool params_coerce_object(const schema_ctx *ctx, const json_t *schema, json_t *obj,
                          char *prop, size_t proplen, char *why, size_t whylen);

/* The value of header `name` (any case) among pairs, or NULL. */
const char *kv_find(const kv *pairs, size_t n, const char *name);

#endif
