/* app.h — what the whole server shares once started: the configuration,
 * the loaded contract with one entity model per version, the store, the
 * credential checks and the guard against guessing them.
 * Owned by main.c (app_open / app_close). */
#ifndef VSPC_APP_H
#define VSPC_APP_H

#include "auth.h"
#include "config.h"
#include "contract.h"
#include "entities.h"
#include "login_guard.h"
#include "query_cache.h"
#include "store.h"

typedef struct app {
    config cfg;
    contract_set contracts;
    entity_model *models[CONTRACT_MAX_VERSIONS]; /* models[i] of contracts.items[i] */
    store *store;
    query_cache *queries; /* compiled filters and sorts, by their text */
    auth *auth;           /* token keys, credential checks */
    login_guard *guard;   /* failed sign-ins, per login and address (thread-safe) */
} app;

/* After config_load: loads the contract and its models, binds handlers,
 * opens the store in the data dir (emptied first with --reset) and builds
 * the default world into it when it is empty, then the token keys, the
 * default users' passwords and the guard (--login-failures...). Logs what
 * it did. */
bool app_open(app *a, char *err, size_t errlen);
void app_close(app *a);

#endif
