/* admin_routes.h — the table of the admin API's endpoints (admin.h): method,
 * path pattern and handler, one row each, documented in the same order in
 * schema/admin-openapi.json (tests/test_admin_routes.c holds the two to
 * each other).
 *
 * A pattern is a path under /_emulator whose "{name}" segments match any one
 * segment; the matched text is given to the handler by name. */
#ifndef VSPC_ADMIN_ROUTES_H
#define VSPC_ADMIN_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "request/request.h"
#include "answer/response.h"

#define ADMIN_MAX_PARAMS 4

typedef struct admin_params {
    size_t n;
    char names[ADMIN_MAX_PARAMS][32];
    char values[ADMIN_MAX_PARAMS][256];
} admin_params;

typedef void (*admin_handler)(request *req, response *res, const admin_params *p);

typedef struct admin_route {
    const char *method;  /* "GET", "POST", "DELETE", ... */
    const char *pattern; /* "/_emulator/snapshots/{name}" */
    admin_handler handler;
} admin_route;

extern const admin_route admin_routes[];
extern const size_t admin_nroutes;

/* The row for method and path: *p gets its parameters. NULL when none;
 * then allow holds the methods of the rows that have the path ("GET,
 * POST"; "" when none has it). */
const admin_route *admin_route_find(const char *method, const char *path, admin_params *p,
                                    char *allow, size_t allowlen);

/* The value of parameter name, or NULL. */
const char *admin_param(const admin_params *p, const char *name);

#endif
