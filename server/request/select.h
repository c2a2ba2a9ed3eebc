/* select.h — VSPC's select query parameter: select=[{"propertyPath":"a.b"}]
 * returns only the named properties of each resource (nested paths keep
 * their parents), on every GET. Paths are checked against the resource's
 * schema first: an unknown one is a 400 naming "select".
 */
#ifndef VSPC_SELECT_H
#define VSPC_SELECT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "contract/schema.h"

/* Parses the parameter's text and checks each path against the item
 * schema; *paths receives an array of path strings (caller owns it). */
bool select_parse(const schema_ctx *ctx, const json_t *schema, const char *text, json_t **paths,
                  char *why, size_t whylen);

/* A new value holding only the selected paths of item (an object); other
 * values are returned as they are (a new reference). */
json_t *select_apply(const json_t *paths, json_t *item);

#endif
