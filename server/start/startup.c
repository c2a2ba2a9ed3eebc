/* startup.c — see startup.h: the start-up sequence that main.c and the tests share. */
#include "start/startup.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/json_file.h"
#include "auth/accounts.h"
#include "auth/token.h"
#include "base/files.h"
#include "base/log.h"
#include "base/name_list.h"
#include "contract/entity_links.h"
#include "crypto/rsakeys.h"
#include "async/actions.h"
#include "admin/admin.h"
#include "proxy/proxy.h"
#include "sim/clock.h"
#include "sim/simulation.h"
#include "swagger/swagger.h"
#include "app/default_world.h"
#include "handlers/handlers.h"
#include "journal/journal.h"
#include "metrics/metrics.h"
#include "pipeline/dispatch.h"
#include "world/fixtures.h"
#include "world/world.h"

#define DB_FILE "vspc.db"

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Contract, mapping, models, handlers. */
static bool load_model(app *a, char *err, size_t errlen)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!contract_set_load(&a->contracts, a->cfg.schema_dir, err, errlen))
        return false;
    json_t *mapping = json_file_load_in(a->cfg.schema_dir, "entities.json", 0, err, errlen);
    if (!mapping)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < a->contracts.count; i++) {
        contract *c = a->contracts.items[i];
        a->models[i] = entities_build(c, mapping, err, errlen);
        c->entities = a->models[i];
        /* and the sections that tie entity types together */
        ok = a->models[i] != NULL && entity_links_check(a->models[i], err, errlen);
    }
    /* an older version's entities on the newest's records (entities.h) */
    for (size_t i = 1; ok && i < a->contracts.count; i++)
        ok = entities_link(a->models[i], a->models[0], err, errlen);
    json_decref(mapping);
    size_t specials = 0;
    if (!ok || !handlers_bind(&a->contracts, &specials, err, errlen))
        return false;
    size_t ops = 0;
    for (size_t i = 0; i < a->contracts.count; i++)
        ops += a->contracts.items[i]->nops;
    log_info("contract: %zu documents, %zu operations, %zu entity types (%s) loaded and "
             "indexed in %.1f ms",
             a->contracts.count, ops, a->models[0]->count, a->contracts.items[0]->version,
             ms_since(&t0));
    return true;
}

/* Removes the database files for --reset. */
static void remove_database(const char *dir)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s/%s%s", dir, DB_FILE, suffixes[i]);
        unlink(path);
    }
}

static bool open_store(app *a, char *err, size_t errlen)
{
    if (!files_make_dir(a->cfg.data_dir, "data dir", err, errlen))
        return false;
    if (a->cfg.reset)
        remove_database(a->cfg.data_dir);
    char *db = files_path_join(a->cfg.data_dir, DB_FILE);
    a->store = db ? store_open(db, err, errlen) : NULL;
    free(db);
    if (!a->store)
        return false;
    a->invariants = invariants_load(a->cfg.schema_dir, err, errlen);
    if (!a->invariants)
        return false;
    long records = store_count(a->store, NULL);
    if (records > 0) {
        log_info("store: %ld records kept from the last run", records);
        return true;
    }
    world_stats total = {0};
    if (!default_world_build(a->store, a, sim_world_now(a->cfg.schema_dir, a->cfg.clock), &total,
                             err, errlen))
        return false;
    metrics_world_built(a->metrics, total.ms, total.records);
    return true;
}

/* Token keys and credential tables; the default users' passwords; the
 * guard. */
static bool open_auth(app *a, token_keys *keys, char *err, size_t errlen)
{
    a->auth = auth_open(a->store, keys, a->cfg.token_ttl, a->cfg.refresh_ttl, err, errlen);
    if (!a->auth || !accounts_seed(a->store, a->cfg.fixtures_dir, a->cfg.admin_user,
                                     a->cfg.admin_password, err, errlen))
        return false;
    login_guard_policy policy = {a->cfg.login_failures, a->cfg.ip_failures, a->cfg.lockout_max};
    a->guard = login_guard_new(&policy);
    if (!a->guard)
        snprintf(err, errlen, "out of memory");
    return a->guard != NULL;
}

/* The tenancy rules (schema/tenancy.json, schema/admission.json) for the
 * newest model, checked against every version's operations. */
static bool load_tenancy(app *a, char *err, size_t errlen)
{
    a->owners = owner_rules_load(a->cfg.schema_dir, (const entity_model *const *)a->models,
                                a->contracts.count, err, errlen);
    a->admission = a->owners ? admission_load(a->cfg.schema_dir, &a->contracts, err, errlen)
                             : NULL;
    return a->admission != NULL;
}

/* The owner columns of a world just built, or of a database of a version
 * that had none. */
static bool derive_owners(app *a, char *err, size_t errlen)
{
    if (store_owners_derived(a->store))
        return true;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!owners_derive_all(a->store, a->owners, true)) {
        snprintf(err, errlen, "cannot derive the owners of records: %s", store_errmsg(a->store));
        return false;
    }
    log_info("tenancy: owners of %ld records derived in %.0f ms", store_count(a->store, NULL),
             ms_since(&t0));
    return true;
}

/* The request limits, unless throttling is off (--throttling off, or the
 * appsettings file's Throttling.IsDisabled). */
static bool open_throttle(app *a, char *err, size_t errlen)
{
    if (!a->cfg.throttling || a->cfg.settings.throttling.is_disabled) {
        log_info("throttling: off");
        return true;
    }
    throttle_policy policy;
    appsettings_throttle_policy(&a->cfg.settings, &policy);
    a->throttle = throttle_new(&policy);
    if (!a->throttle) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const throttle_limit *l = policy.limits;
    log_info("throttling: on; per time unit / in process: all %ld/%ld, address %ld/%ld, user "
             "%ld/%ld, user at address %ld/%ld",
             l[THROTTLE_ALL].per_unit, l[THROTTLE_ALL].parallel, l[THROTTLE_IP].per_unit,
             l[THROTTLE_IP].parallel, l[THROTTLE_USER].per_unit, l[THROTTLE_USER].parallel,
             l[THROTTLE_USER_IP].per_unit, l[THROTTLE_USER_IP].parallel);
    return true;
}

/* Every operationId of the comma-separated list names an operation. */
static bool operations_known(const contract *c, const char *list, char *err, size_t errlen)
{
    char name[128];
    const char *item;
    size_t len;
    for (const char *p = list; name_list_next(&p, &item, &len);) {
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), item);
        if (name[0] && !contract_find_op(c, name)) {
            snprintf(err, errlen, "--async-operations: '%s' names no operation of %s", name,
                     c->version);
            return false;
        }
    }
    return true;
}

/* How long each operation takes VSPC (schema/durations.json), and the
 * async actions of those that take longer than --async-after: their worker
 * starts here, after failing what an earlier run left running. */
static bool open_async(app *a, char *err, size_t errlen)
{
    const char *forced = a->cfg.async_operations[0] ? a->cfg.async_operations : NULL;
    if (!operations_known(a->contracts.latest, forced, err, errlen))
        return false;
    a->durations = durations_load(a->cfg.schema_dir, &a->contracts, err, errlen);
    if (!a->durations)
        return false;
    const async_action_settings *as = &a->cfg.settings.async_action;
    async_settings s = {.after_seconds = (double)a->cfg.async_after,
                        .forced = forced,
                        .result_ttl_ms = (long)as->result_expiration_ms,
                        .failure_ttl_ms = (long)as->failure_expiration_ms,
                        .timer_ms = (long)as->timer_resolution_ms};
    a->async = async_open(a, a->durations, &s, dispatch_deferred, err, errlen);
    return a->async != NULL;
}

/* The request journal and the metrics (first: the world build is one). */
static bool open_journal(app *a, char *err, size_t errlen)
{
    a->journal = journal_open(a->cfg.schema_dir, (size_t)a->cfg.journal_size, err, errlen);
    if (a->journal && !(a->metrics = metrics_new()))
        snprintf(err, errlen, "out of memory");
    return a->metrics != NULL;
}

bool app_open(app *a, char *err, size_t errlen)
{
    clock_mode mode; /* a bad --clock stops the start before any work */
    double rate;
    if (!clock_parse(a->cfg.clock, &mode, &rate, err, errlen))
        return false;
    a->queries = query_cache_new(256);
    bool ok = a->queries && open_journal(a, err, errlen) && open_throttle(a, err, errlen) && load_model(a, err, errlen) && load_tenancy(a, err, errlen) &&
              open_store(a, err, errlen) && derive_owners(a, err, errlen) &&
              open_async(a, err, errlen) &&
              (a->sim = sim_open(a, a->cfg.clock, err, errlen)) != NULL;
    /* the signing key last: a missing one is made by a thread of its own
     * while the server already answers (token.h). Made at the start it
     * took the cores from the contract load and the world build: ready
     * came 160-350 ms later and the first token no sooner (bench/startup.sh) */
    ok = ok && open_auth(a, token_keys_open(a->cfg.data_dir, err, errlen), err, errlen);
    if (ok && !(a->admin = admin_open(&a->cfg, err, errlen)))
        return false;
    if (ok && !(a->proxy = proxy_open(a->cfg.schema_dir, a->cfg.proxy_upstream, err, errlen)))
        return false;
    if (ok && !(a->faults = faults_open(a->cfg.schema_dir, a->cfg.seed, err, errlen)))
        return false;
    if (ok && !(a->swagger = swagger_open(&a->cfg))) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (ok && !a->cfg.admin_secret[0])
        log_info("admin API: %s/ with the bearer token %s", ADMIN_PREFIX, admin_secret(a->admin));
    return ok;
}

void app_close(app *a)
{
    admin_close(a->admin);
    a->admin = NULL;
    proxy_close(a->proxy);
    a->proxy = NULL;
    faults_close(a->faults);
    a->faults = NULL;
    swagger_close(a->swagger);
    a->swagger = NULL;
    async_close(a->async); /* first: its worker runs requests */
    a->async = NULL;
    sim_close(a->sim); /* then what moves the world (actions call it) */
    a->sim = NULL;
    durations_free(a->durations);
    a->durations = NULL;
    invariants_free(a->invariants);
    a->invariants = NULL;
    throttle_free(a->throttle);
    a->throttle = NULL;
    admission_free(a->admission);
    a->admission = NULL;
    owner_rules_free(a->owners);
    a->owners = NULL;
    login_guard_free(a->guard);
    a->guard = NULL;
    auth_close(a->auth);
    a->auth = NULL;
    store_close(a->store);
    a->store = NULL;
    query_cache_free(a->queries);
    a->queries = NULL;
    metrics_free(a->metrics);
    a->metrics = NULL;
    journal_free(a->journal);
    a->journal = NULL;
    for (size_t i = 0; i < CONTRACT_MAX_VERSIONS; i++) {
        entities_free(a->models[i]);
        a->models[i] = NULL;
    }
    contract_set_free(&a->contracts);
}
