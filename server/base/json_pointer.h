/* json_pointer.h — reading a member of a JSON document by a JSON Pointer
 * (RFC 6901) of plain names: "/a/b" is member b of member a. The files of
 * schema/ name members that way (entities.json, simulation.json), so "~"
 * escapes and array indexes are not read. */
#ifndef VSPC_JSON_POINTER_H
#define VSPC_JSON_POINTER_H

#include <jansson.h>

/* The member of doc at ptr (borrowed), doc itself for "", NULL when a name
 * on the way is missing or not an object's, or ptr is NULL or does not
 * start with '/'. */
json_t *json_pointer_get(const json_t *doc, const char *ptr);

#endif
