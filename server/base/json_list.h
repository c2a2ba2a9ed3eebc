/* json_list.h — where a string stands in a JSON array of strings.
 *
 * The mapping files (the JSON files in schema/) list names as arrays: required
 * properties, enum members, shared types, roles, a user's locations.
 * Members that are not strings are skipped; a NULL name or a list that is
 * not an array is in no list. */
#ifndef VSPC_JSON_LIST_H
#define VSPC_JSON_LIST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

/* The index of the first member of list equal to name, or -1. */
ssize_t json_list_index(const json_t *list, const char *name);

/* Whether list holds name. */
bool json_list_has(const json_t *list, const char *name);

#endif
