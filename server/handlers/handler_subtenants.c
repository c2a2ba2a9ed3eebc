/* handler_subtenants.c — a CompanySubtenant user and its subtenant.
 *
 * In VSPC a Subtenant user is made with a backup resource: a quota carved
 * from one of its company's cloud tenant backup resources
 * (backupResource.tenantBackupResourceUid), which Cloud Connect keeps as a
 * subtenant of that tenant. POST /users with a backupResource therefore
 * also stores the subtenant (CloudSubTenant, named after the login) and
 * the user's backup resource (UserBackupResource, GET
 * /users/{userUid}/backupResource) naming it; the user's scope is that
 * subtenant (tenancy/scope.h). A backupResource on a user of another role
 * is ignored (the input schema describes it as the Subtenant user's); one
 * naming a tenant resource the caller does not see or of another company
 * is a 400 naming the property, before anything is stored.
 */
#include <stdio.h>
#include <string.h>

#include "answer/errors.h"
#include "base/uuid.h"
#include "handlers/handlers.h"

/* The entity backupResource.tenantBackupResourceUid names. */
#define TENANT_RESOURCE_TYPE "TenantBackupResource"

bool subtenant_check(request *req, response *res, json_t **resource)
{
    *resource = NULL;
    const json_t *given = json_object_get(req->json_body, "backupResource");
    if (!given || json_is_null(given))
        return true;
    const char *role = json_string_value(json_object_get(req->json_body, "role"));
    const char *kind = role ? owner_rules_caller(req->app->owners, role) : NULL;
    if (!kind || strcmp(kind, "subtenant"))
        return true; /* only a Subtenant user has one: ignored, as VSPC's own input says */
    const char *uid = json_string_value(json_object_get(given, "tenantBackupResourceUid"));
    const char *org = json_string_value(json_object_get(req->json_body, "organizationUid"));
    store_owner o;
    json_t *tenant = NULL;
    if (!uid || !handlers_sees(req, TENANT_RESOURCE_TYPE, uid) ||
        store_owner_get(req->app->store, TENANT_RESOURCE_TYPE, uid, &o) != STORE_OK ||
        store_get(req->app->store, TENANT_RESOURCE_TYPE, uid, &tenant, NULL) != STORE_OK) {
        error_bad_property(res, "backupResource.tenantBackupResourceUid",
                           "The cloud tenant backup resource '%s' does not exist.",
                           uid ? uid : "");
        return false;
    }
    if (org && strcmp(o.org, org)) {
        json_decref(tenant);
        error_bad_property(res, "backupResource.tenantBackupResourceUid",
                           "The cloud tenant backup resource '%s' is not one of the user's"
                           " company.",
                           uid);
        return false;
    }
    /* what was asked, kept: the store's create reshapes the request body */
    json_t *copy = json_deep_copy(given);
    *resource = json_pack("{s:o, s:o}", "tenant", tenant, "given", copy);
    return *resource != NULL;
}

/* member of from, copied into to when given. */
static void copy_member(json_t *to, const json_t *from, const char *member)
{
    json_t *v = json_object_get(from, member);
    if (v)
        json_object_set(to, member, v);
}

bool subtenant_make(request *req, const json_t *user, const json_t *resource)
{
    if (!resource)
        return true;
    const json_t *given = json_object_get(resource, "given");
    resource = json_object_get(resource, "tenant");
    const char *user_uid = json_string_value(json_object_get(user, "instanceUid"));
    const char *login = json_string_value(json_object_get(user, "userName"));
    const char *tenant = json_string_value(json_object_get(resource, "tenantUid"));
    char sub_uid[UUID_STR_LEN], resource_uid[UUID_STR_LEN];
    if (!user_uid || !uuid_random(sub_uid) || !uuid_random(resource_uid))
        return false;
    json_t *sub = json_pack("{s:s, s:s, s:s, s:b}", "tenantUid", tenant ? tenant : "", "name",
                            login ? login : user_uid, "description", "Subtenant of a portal user",
                            "isEnabled", 1);
    bool ok = sub && handlers_put_new(req, owner_rules_subtenant_type(req->app->owners), sub_uid,
                                      sub);
    json_decref(sub);
    json_t *mine = ok ? json_pack("{s:s, s:s}", "userUid", user_uid, "subtenantUid", sub_uid)
                      : NULL;
    static const char *const members[] = {"tenantBackupResourceUid", "resourceFriendlyName",
                                          "siteUid", "description", "vcdUserId",
                                          "storageQuota", "isStorageQuotaUnlimited"};
    for (size_t i = 0; mine && i < sizeof members / sizeof members[0]; i++)
        copy_member(mine, given, members[i]);
    if (mine && !json_is_string(json_object_get(mine, "siteUid")))
        copy_member(mine, resource, "siteUid"); /* the tenant resource's site */
    ok = mine && handlers_put_new(req, owner_rules_subtenant_user_type(req->app->owners),
                                  resource_uid, mine);
    json_decref(mine);
    return ok;
}
