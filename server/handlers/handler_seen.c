/* handler_seen.c — what a caller sees of the stored records (tenancy/
 * scope.h): a record outside its scope is answered 404 as if it did not
 * exist, on its own route and under a nested one whose path names it, so
 * that no tenant learns another's UIDs. See handlers.h. */
#include "answer/errors.h"
#include "handlers/handlers.h"
#include "store/store.h"
#include "tenancy/scope.h"

void handlers_not_found(response *res, const entity *e, const char *uid)
{
    error_not_found(res, "%s with UID '%s' does not exist.", e->name, uid ? uid : "");
}

record_seen handlers_seen(const request *req, const char *type, const char *uid)
{
    store_owner o;
    if (!uid || store_owner_get(req->app->store, type, uid, &o) != STORE_OK)
        return SEEN_NONE;
    return scope_holds(&req->scope, req->app->owners, type, &o) ? SEEN_INSIDE : SEEN_OUTSIDE;
}

bool handlers_sees(const request *req, const char *type, const char *uid)
{
    return req->scope.kind == SCOPE_PROVIDER || handlers_seen(req, type, uid) == SEEN_INSIDE;
}

bool handlers_parents_seen(request *req, response *res)
{
    if (req->scope.kind == SCOPE_PROVIDER)
        return true;
    for (size_t i = 0; i < req->route.nparams; i++) {
        const entity *parent = entities_for_key(req->contract->entities, req->route.names[i]);
        const char *uid = req->route.values[i];
        if (parent && handlers_seen(req, parent->name, uid) == SEEN_OUTSIDE) {
            handlers_not_found(res, parent, uid);
            return false;
        }
    }
    return true;
}
