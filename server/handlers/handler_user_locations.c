/* handler_user_locations.c — the locations assigned to a location user,
 * which set that user's scope (tenancy/scope.h):
 *
 *   GET    /users/{userUid}/locations               the assigned locations,
 *                                                    paged, filtered and
 *                                                    sorted like any list
 *   POST   /users/{userUid}/locations?locationUid=  assigns one (again: no
 *                                                    change); answers the user
 *   DELETE /users/{userUid}/locations?locationUid=  unassigns one
 *
 * The assignment is kept in the User record's scope (SCOPE_USER_LOCATIONS),
 * not in its body: VSPC shows it only through these routes. Only users of a
 * location role (tenancy.json "callers" "location") are assigned
 * locations, and only locations of their own company; a user or location
 * the caller does not see is a 404, as if it did not exist; a caller that
 * may not manage the user (auth/roles.h) gets the 403 of users' writes.
 */
#include <stdio.h>
#include <string.h>

#include "answer/errors.h"
#include "handlers/handlers.h"
#include "base/json_list.h"

/* The user the path names, if the caller sees it (caller decrefs); else
 * NULL with the 404 in res. */
static json_t *addressed_user(request *req, response *res, json_t **scope)
{
    const char *uid = request_path_param(req, "userUid");
    json_t *user = NULL;
    *scope = NULL;
    if (!uid || !handlers_sees(req, SCOPE_USER_TYPE, uid) ||
        store_get(req->app->store, SCOPE_USER_TYPE, uid, &user, scope) != STORE_OK) {
        error_not_found(res, "User with UID '%s' does not exist.", uid ? uid : "");
        return NULL;
    }
    return user;
}

void handle_user_locations(request *req, response *res)
{
    json_t *scope = NULL, *user = addressed_user(req, res, &scope);
    if (!user)
        return;
    const char *type = owner_rules_location_type(req->app->owners);
    const entity *e = entities_find(req->contract->entities, type);
    const json_t *assigned = json_object_get(scope, SCOPE_USER_LOCATIONS);
    store_tenant tenant = {.column = "org",
                           .value = json_string_value(json_object_get(user, "organizationUid"))};
    size_t i;
    const json_t *uid;
    /* a location is its own location (owners.h): loc IN (assigned) */
    json_array_foreach(assigned, i, uid) if (tenant.nlocations < STORE_MAX_LOCATIONS &&
                                            json_string_value(uid))
        tenant.locations[tenant.nlocations++] = json_string_value(uid);
    if (tenant.nlocations == 0 || !tenant.value)
        tenant.nothing = true;
    store_filter none = {0};
    if (e)
        handlers_list(req, res, e, &none, &tenant, req->op->paginated);
    else
        error_internal(res, "The API has no %s records.", type);
    json_decref(user);
    json_decref(scope);
}

/* Checks of an assignment change: the user is a location user the caller
 * manages, the location one of its company's the caller sees. */
static bool may_assign(request *req, response *res, const json_t *user, const char *location)
{
    const char *role = json_string_value(json_object_get(user, "role"));
    const char *kind = role ? owner_rules_caller(req->app->owners, role) : NULL;
    if (!kind || strcmp(kind, "location")) {
        error_bad_parameter(res, "userUid",
                            "The user has the %s role; only location users are assigned"
                            " locations.",
                            role ? role : "no");
        return false;
    }
    if (!handlers_manages(req, res, user))
        return false;
    const char *type = owner_rules_location_type(req->app->owners);
    store_owner o;
    if (!handlers_sees(req, type, location) ||
        store_owner_get(req->app->store, type, location, &o) != STORE_OK) {
        error_not_found(res, "Location with UID '%s' does not exist.", location);
        return false;
    }
    const char *org = json_string_value(json_object_get(user, "organizationUid"));
    if (!org || strcmp(o.org, org)) {
        error_bad_parameter(res, "locationUid",
                            "The location '%s' is not a location of the user's company.",
                            location);
        return false;
    }
    return true;
}

/* Writes the user's scope back, its owner columns kept. */
static bool save_scope(request *req, const char *uid, const json_t *user, const json_t *scope)
{
    return store_update_with_scope(req->app->store, SCOPE_USER_TYPE, uid, user, scope) ==
           STORE_OK;
}

/* Assigns (add) or unassigns the location of the query. */
static void change(request *req, response *res, bool add)
{
    const char *location = request_query(req, "locationUid");
    json_t *scope = NULL, *user = addressed_user(req, res, &scope);
    if (!user)
        return;
    if (!location || !may_assign(req, res, user, location))
        goto done;
    json_t *list = json_object_get(scope, SCOPE_USER_LOCATIONS);
    if (!json_is_array(list)) {
        list = json_array();
        json_object_set_new(scope, SCOPE_USER_LOCATIONS, list);
    }
    ssize_t found = json_list_index(list, location);
    if (add && found < 0 && json_array_size(list) >= STORE_MAX_LOCATIONS) {
        error_bad_parameter(res, "locationUid",
                            "A user is assigned at most %d locations in the emulator.",
                            STORE_MAX_LOCATIONS);
        goto done;
    }
    bool changed = add ? found < 0 : found >= 0;
    if (add && changed)
        json_array_append_new(list, json_string(location));
    else if (changed)
        json_array_remove(list, (size_t)found);
    const char *uid = request_path_param(req, "userUid");
    if (changed && !save_scope(req, uid, user, scope)) {
        error_internal(res, "The locations of user '%s' could not be saved.", uid);
        goto done;
    }
    if (add)
        response_data(res, json_incref(user));
    else
        handle_generic(req, res); /* the contract's empty answer */
done:
    json_decref(user);
    json_decref(scope);
}

void handle_assign_location(request *req, response *res) { change(req, res, true); }

void handle_unassign_location(request *req, response *res) { change(req, res, false); }
