/* admin.h — the emulator's own API under /_emulator/: what an integration
 * tester drives between tests (reset, snapshots, clock, journal, faults,
 * ...), never a VSPC path. Described by schema/admin-openapi.json, served
 * at GET /_emulator/openapi.json.
 *
 * Who may call it: a request from an allowed address (loopback, unless
 * --admin-bind lists the addresses and networks allowed instead, or "any") with the admin
 * secret as its bearer token (--admin-secret / VSPC_ADMIN_SECRET; made at
 * start and logged when not given). Refusals use VSPC's error envelope:
 * another address 403, a missing or wrong secret 401, an unknown path 404,
 * a known path with another method 405 — in that order, so nothing about
 * the API is learned without the secret.
 *
 * The endpoints are rows of admin_routes.c; each is a handler that answers
 * a value (answer/response.h), as VSPC's handlers do. */
#ifndef VSPC_ADMIN_H
#define VSPC_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <jansson.h>

#include "app/config.h"
#include "request/request.h"
#include "answer/response.h"

#define ADMIN_PREFIX "/_emulator"

typedef struct admin admin;

/* From the configuration: the secret (made when none is given) and the
 * addresses allowed; the API's document from schema_dir. NULL with err. */
admin *admin_open(const config *cfg, char *err, size_t errlen);
void admin_close(admin *a);

/* The secret callers must send (for the start-up log). */
const char *admin_secret(const admin *a);

/* The API's OpenAPI document (borrowed), and when the server started. */
const json_t *admin_document(const admin *a);
time_t admin_started(const admin *a);

/* Whether path lies under ADMIN_PREFIX ("/_emulator" or "/_emulator/..."). */
bool admin_is_path(const char *path);

/* Answers a request for a path under ADMIN_PREFIX (not serialised). */
void admin_dispatch(request *req, response *res);

#endif
