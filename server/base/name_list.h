/* name_list.h — a comma-separated list of names, as flags give them
 * ("--async-operations GetCompanies, CreateCompany").
 *
 * name_list_next walks it without copying: each call gives the next name
 * (leading spaces skipped; an empty name between two commas is given as
 * length 0) and moves the cursor past it and its comma. */
#ifndef VSPC_NAME_LIST_H
#define VSPC_NAME_LIST_H

#include <stdbool.h>
#include <stddef.h>

/* The next name of *cursor in *name / *len; false once the list is done
 * (*cursor NULL or at its end). */
bool name_list_next(const char **cursor, const char **name, size_t *len);

/* Whether the list holds name exactly (NULL list or name: false). */
bool name_list_has(const char *list, const char *name);

#endif
