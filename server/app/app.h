/* app.h — what the whole server shares once started: the configuration,
 * the loaded contract with one entity model per version, the store, the
 * credential checks and the guard against guessing them, the tenancy
 * rules (owners of records, admission of roles) and the request limits.
 * Owned by main.c; made and released by start/startup.h (app_open /
 * app_close). */
#ifndef VSPC_APP_H
#define VSPC_APP_H

#include "auth/auth.h"
#include "app/config.h"
#include "contract/contract.h"
#include "contract/entities.h"
#include "auth/login_guard.h"
#include "store/query_cache.h"
#include "store/store.h"
#include "tenancy/admission.h"
#include "tenancy/owners.h"
#include "throttle/throttle.h"
#include "contract/durations.h"
#include "world/invariants.h"
#include "faults/faults.h"

typedef struct app {
    config cfg;
    contract_set contracts;
    entity_model *models[CONTRACT_MAX_VERSIONS]; /* models[i] of contracts.items[i] */
    store *store;
    query_cache *queries; /* compiled filters and sorts, by their text */
    auth *auth;           /* token keys, credential checks */
    login_guard *guard;   /* failed sign-ins, per login and address (thread-safe) */
    owner_rules *owners;  /* whose each record is (schema/tenancy.json) */
    admission *admission; /* which role may call which operation */
    throttle *throttle;   /* VSPC's request limits; NULL when throttling is off */
    durations *durations; /* how long VSPC takes to answer each operation */
    invariants *invariants; /* what a believable record obeys (schema/invariants.json):
                             * the world and the server's own defaults keep it */
    struct async_actions *async; /* async/actions.h (a layer above): the
                                  * operations answered 202 and run later */
    struct proxy_settings *proxy; /* proxy/proxy.h (a layer above): request
                                   * proxying's products and upstreams */
    struct admin *admin;  /* admin/admin.h (a layer above): the emulator's
                           * own API under /_emulator/ */
    struct simulation *sim; /* sim/simulation.h (a layer above): the clock
                             * and what moves on it */
    struct journal *journal; /* journal/journal.h (a layer above): the requests
                              * clients sent, for tests to read */
    struct metrics *metrics; /* metrics/metrics.h (a layer above): GET /metrics */
    faults *faults;       /* the fault rules of /_emulator/faults (thread-safe) */
    struct swagger *swagger; /* swagger/swagger.h (a layer above): Swagger UI
                              * at /api/swagger/ */
} app;

#endif
