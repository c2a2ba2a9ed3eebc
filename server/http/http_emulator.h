/* http_emulator.h — the emulator's own routes, outside VSPC's paths
 * (provisional: the admin API of issue 15 will take /_emulator/ over, with
 * a secret of its own). Answered only to loopback clients (others get 404,
 * as for any path VSPC does not have), without a token:
 *   GET  /_emulator/clock                      the simulated clock
 *   POST /_emulator/clock/advance?seconds=N    moves a --clock manual server
 *                                              N seconds on, every step run
 *   GET  /_emulator/sessions?jobUid=U[&limit=N] the sessions of a job
 */
#ifndef VSPC_HTTP_EMULATOR_H
#define VSPC_HTTP_EMULATOR_H

#include <stdbool.h>
#include <stddef.h>

#include "answer/response.h"
#include "app/app.h"
#include "request/params.h"

#define EMULATOR_PREFIX "/_emulator/"

struct sockaddr;

/* Whether path is one of these three routes (any other path, also under
 * /_emulator/, goes on to the pipeline); if so res holds the answer. */
bool http_emulator_route(const app *a, const char *method, const char *path, const kv *query,
                         size_t nquery, const struct sockaddr *peer, response *res);

#endif
