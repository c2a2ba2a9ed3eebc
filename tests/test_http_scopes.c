/* test_http_scopes.c — the location and subtenant scopes over real HTTP
 * (issue 11): a location user sees its company's records bound to the
 * locations assigned to it (POST/DELETE /users/{userUid}/locations change
 * that at once) or to none; a subtenant user sees only what belongs to
 * its own subtenants: the agent whose backups go to it, that agent's jobs
 * and computer. The records named here are the fixtures'
 * (fixtures/sites.json, organizations.json, users.json).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpclient.h"
#include "testutil.h"

#define ALPHA "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25"
#define ALPHA_HQ "23305c19-cc45-4572-8078-4bb159ecbfd9"
#define ALPHA_BRANCH "43ed1fc5-bb85-4a68-aad8-d4c07d49edb6"
#define BETA_LOCATION "043927f2-da70-4648-81c6-fe80cfa00060"
#define LAPTOP_AGENT "a94527f6-a3cd-42d6-9411-104b81b322de" /* at the branch */
#define LAPTOP_JOB "c38c64de-13ca-4334-9b71-5f0a8faa8853"
#define FILESERVER_AGENT "e621f85a-1a6c-4ad4-94af-baae28948627" /* management agent, HQ */
#define LOCUSER "726d73a7-5519-4111-80b4-8acb8d9c8daf" /* assigned: the branch */
#define OWNER "bb2eacc6-7000-4d63-8f04-3e5ad3cedc33"   /* alphauser, CompanyOwner */
#define BETA "279595ca-2027-4110-abc8-63619d14e25a"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

static json_t *call(const char *token, const char *method, const char *path, long *status)
{
    return http_call_as(&server, token, method, path, NULL, NULL, status);
}

/* The instanceUids (or, with key, that member) of a 200 page at path. */
static json_t *uids_at(const char *token, const char *path, const char *key)
{
    long status = 0;
    json_t *page = call(token, "GET", path, &status);
    ck_assert_msg(status == 200, "GET %s: %ld", path, status);
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(page, "data"), i, item)
        json_array_append(out, json_object_get(item, key ? key : "instanceUid"));
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_object_get(json_object_get(page, "meta"), "pagingInfo"), "total")),
                     (json_int_t)json_array_size(out));
    json_decref(page);
    return out;
}

static bool holds(const json_t *uids, const char *uid)
{
    size_t i;
    const json_t *v;
    json_array_foreach(uids, i, v) if (json_string_value(v) && !strcmp(json_string_value(v), uid))
        return true;
    return false;
}

/* The one error of a refused call: its status, code and the name it gives. */
static void assert_refused(const char *token, const char *method, const char *path, long want,
                           const char *name)
{
    long status = 0;
    json_t *doc = call(token, method, path, &status);
    ck_assert_msg(status == want, "%s %s: %ld, not %ld", method, path, status, want);
    json_t *err = json_array_get(json_object_get(doc, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(err, "code")), want);
    if (name)
        ck_assert_str_eq(json_string_value(json_object_get(err, "parameterName")), name);
    json_decref(doc);
}

START_TEST(location_users_see_their_locations)
{
    char *locuser = server_token(&server, "alpha.locuser", "AlphaLocuser#2026");
    char *locadmin = server_token(&server, "alpha.locadmin", "AlphaLocadmin#2026");
    char *owner = server_token(&server, "alphauser", "Alphauser#2026");
    json_t *mine = uids_at(locuser, "/organizations/locations", NULL);
    ck_assert_int_eq(json_array_size(mine), 1);
    ck_assert(holds(mine, ALPHA_BRANCH));
    json_t *admins = uids_at(locadmin, "/organizations/locations", NULL);
    ck_assert_int_eq(json_array_size(admins), 2);
    ck_assert(holds(admins, ALPHA_HQ) && holds(admins, ALPHA_BRANCH));
    /* the owner sees every location of the company, assigned or not */
    json_t *all = uids_at(owner, "/organizations/locations", NULL);
    ck_assert(holds(all, ALPHA_HQ) && holds(all, ALPHA_BRANCH));
    /* a location not assigned is as if it did not exist */
    assert_refused(locuser, "GET", "/organizations/locations/" ALPHA_HQ, 404, NULL);
    /* the assignment, as the company's owner reads it */
    json_t *assigned = uids_at(owner, "/users/" LOCUSER "/locations", NULL);
    ck_assert_int_eq(json_array_size(assigned), 1);
    ck_assert(holds(assigned, ALPHA_BRANCH));
    /* what is managed through a location's management agent is bound to it:
     * the laptop's agent is at the branch */
    json_t *agents = uids_at(locuser, "/infrastructure/backupAgents", NULL);
    ck_assert(holds(agents, LAPTOP_AGENT));
    json_decref(agents);
    json_decref(mine);
    json_decref(admins);
    json_decref(all);
    json_decref(assigned);
    free(locuser);
    free(locadmin);
    free(owner);
}
END_TEST

START_TEST(assignments_change_the_scope)
{
    char *owner = server_token(&server, "alphauser", "Alphauser#2026");
    char *locuser = server_token(&server, "alpha.locuser", "AlphaLocuser#2026");
    long status = 0;
    json_t *doc = call(owner, "DELETE", "/users/" LOCUSER "/locations?locationUid=" ALPHA_BRANCH,
                       &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    /* the same token: the scope is the user's as it is now */
    json_t *none = uids_at(locuser, "/organizations/locations", NULL);
    ck_assert_int_eq(json_array_size(none), 0);
    json_t *agents = uids_at(locuser, "/infrastructure/backupAgents", NULL);
    ck_assert(!holds(agents, LAPTOP_AGENT));
    json_decref(none);
    json_decref(agents);
    doc = call(owner, "POST", "/users/" LOCUSER "/locations?locationUid=" ALPHA_HQ, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "data"),
                                                       "instanceUid")),
                     LOCUSER);
    json_decref(doc);
    /* assigning again changes nothing */
    doc = call(owner, "POST", "/users/" LOCUSER "/locations?locationUid=" ALPHA_HQ, &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    json_t *hq = uids_at(locuser, "/organizations/locations", NULL);
    ck_assert_int_eq(json_array_size(hq), 1);
    ck_assert(holds(hq, ALPHA_HQ));
    json_decref(hq);
    json_t *listed = uids_at(owner, "/users/" LOCUSER "/locations", NULL);
    ck_assert_int_eq(json_array_size(listed), 1);
    json_decref(listed);
    free(owner);
    free(locuser);
}
END_TEST

START_TEST(assignments_refused)
{
    char *owner = server_token(&server, "alphauser", "Alphauser#2026");
    /* an administrator of another company */
    long status = 0;
    char *admin = server_token(&server, "administrator", "Password1");
    json_t *made = http_call_as(&server, admin, "POST", "/users", NULL,
                                "{\"organizationUid\": \"" BETA "\", \"role\":"
                                " \"CompanyAdministrator\", \"profile\": {\"firstName\": \"Bea\","
                                " \"lastName\": \"Beta\", \"email\": \"bea@example.com\"},"
                                " \"credentials\": {\"userName\": \"beta.admin\","
                                " \"password\": \"BetaAdmin#2026\"}}",
                                &status);
    ck_assert_msg(status == 200, "create beta.admin: %ld", status);
    json_decref(made);
    free(admin);
    char *beta = server_token(&server, "beta.admin", "BetaAdmin#2026");
    char *locuser = server_token(&server, "alpha.locuser", "AlphaLocuser#2026");
    /* another company's location */
    assert_refused(owner, "POST", "/users/" LOCUSER "/locations?locationUid=" BETA_LOCATION, 404,
                   NULL);
    /* a user of a role that has no locations */
    assert_refused(owner, "POST", "/users/" OWNER "/locations?locationUid=" ALPHA_HQ, 400,
                   "userUid");
    /* another company's user is as if it did not exist */
    assert_refused(beta, "POST", "/users/" LOCUSER "/locations?locationUid=" ALPHA_HQ, 404, NULL);
    assert_refused(beta, "GET", "/users/" LOCUSER "/locations", 404, NULL);
    /* a read-only role writes nothing */
    assert_refused(locuser, "POST", "/users/" LOCUSER "/locations?locationUid=" ALPHA_HQ, 403,
                   NULL);
    /* the location is required */
    assert_refused(owner, "POST", "/users/" LOCUSER "/locations", 400, "locationUid");
    /* nothing changed */
    json_t *assigned = uids_at(owner, "/users/" LOCUSER "/locations", NULL);
    ck_assert_int_eq(json_array_size(assigned), 1);
    ck_assert(holds(assigned, ALPHA_BRANCH));
    json_decref(assigned);
    free(owner);
    free(beta);
    free(locuser);
}
END_TEST

START_TEST(subtenant_sees_its_own)
{
    char *sub = server_token(&server, "alpha.subtenant", "AlphaSubtenant#2026");
    char *owner = server_token(&server, "alphauser", "Alphauser#2026");
    json_t *agents = uids_at(sub, "/infrastructure/backupAgents", NULL);
    ck_assert_int_eq(json_array_size(agents), 1);
    ck_assert(holds(agents, LAPTOP_AGENT));
    json_t *jobs = uids_at(sub, "/infrastructure/backupAgents/jobs", NULL);
    ck_assert_int_eq(json_array_size(jobs), 1);
    ck_assert(holds(jobs, LAPTOP_JOB));
    json_t *computers = uids_at(sub, "/protectedWorkloads/computersManagedByConsole",
                                "backupAgentUid");
    ck_assert_int_eq(json_array_size(computers), 1);
    ck_assert(holds(computers, LAPTOP_AGENT));
    /* the company's other agents are as if they did not exist */
    json_t *company = uids_at(owner, "/infrastructure/backupAgents", NULL);
    ck_assert_int_gt(json_array_size(company), 1);
    size_t i;
    const json_t *v;
    json_array_foreach(company, i, v) {
        if (!strcmp(json_string_value(v), LAPTOP_AGENT))
            continue;
        char path[128];
        snprintf(path, sizeof path, "/infrastructure/backupAgents/%s", json_string_value(v));
        assert_refused(sub, "GET", path, 404, NULL);
    }
    /* its own agent it reads */
    long status = 0;
    json_t *doc = call(sub, "GET", "/infrastructure/backupAgents/" LAPTOP_AGENT, &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    /* its backup resource names its subtenant */
    doc = call(owner, "GET", "/users/6c8babfc-6338-405e-8216-70814514cff3/backupResource", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "data"),
                                                       "resourceFriendlyName")),
                     "ALPHA-LT-07 cloud quota");
    json_decref(doc);
    /* and the company's management agents are not its own */
    assert_refused(sub, "GET", "/infrastructure/managementAgents/" FILESERVER_AGENT, 403, NULL);
    json_decref(agents);
    json_decref(jobs);
    json_decref(computers);
    json_decref(company);
    free(sub);
    free(owner);
}
END_TEST

/* A Subtenant user made with a backup resource gets its own subtenant of
 * the company's cloud tenant, and a user of another role cannot have one. */
START_TEST(subtenant_users_get_a_subtenant)
{
    char *owner = server_token(&server, "alphauser", "Alphauser#2026");
    json_t *resources = uids_at(owner, "/infrastructure/sites/tenants/backupResources", NULL);
    ck_assert_int_ge(json_array_size(resources), 1);
    char body[1024];
    const char *resource = json_string_value(json_array_get(resources, 0));
    snprintf(body, sizeof body,
             "{\"organizationUid\": \"" ALPHA "\", \"role\": \"%s\", \"profile\":"
             " {\"firstName\": \"Sam\", \"lastName\": \"Sub\", \"email\": \"sam@example.com\"},"
             " \"credentials\": {\"userName\": \"%s\", \"password\": \"AlphaSam#2026\"},"
             " \"backupResource\": {\"tenantBackupResourceUid\": \"%s\","
             " \"resourceFriendlyName\": \"Sam's quota\", \"storageQuota\": 1073741824,"
             " \"isStorageQuotaUnlimited\": false}}",
             "CompanyAdministrator", "alpha.sam0", resource);
    long status = 0;
    /* another role's backupResource is ignored: no subtenant */
    json_t *doc = http_call_as(&server, owner, "POST", "/users", NULL, body, &status);
    ck_assert_int_eq(status, 200);
    json_decref(doc);
    /* a tenant resource of another company is refused, naming it */
    snprintf(body, sizeof body,
             "{\"organizationUid\": \"" ALPHA "\", \"role\": \"CompanySubtenant\", \"profile\":"
             " {\"firstName\": \"Sam\", \"lastName\": \"Sub\", \"email\": \"sam@example.com\"},"
             " \"credentials\": {\"userName\": \"alpha.sam1\", \"password\": \"AlphaSam#2026\"},"
             " \"backupResource\": {\"tenantBackupResourceUid\": \"%s\","
             " \"resourceFriendlyName\": \"Sam's quota\"}}",
             BETA);
    doc = http_call_as(&server, owner, "POST", "/users", NULL, body, &status);
    ck_assert_int_eq(status, 400);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(doc, "errors"), 0), "propertyName")),
                     "backupResource.tenantBackupResourceUid");
    json_decref(doc);
    doc = call(owner, "GET", "/users?filter=%5B%7B%22property%22%3A%22userName%22%2C%22operation%22%3A%22equals%22%2C%22value%22%3A%22alpha.sam1%22%7D%5D", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "data")), 0); /* nothing stored */
    json_decref(doc);
    snprintf(body, sizeof body,
             "{\"organizationUid\": \"" ALPHA "\", \"role\": \"CompanySubtenant\", \"profile\":"
             " {\"firstName\": \"Sam\", \"lastName\": \"Sub\", \"email\": \"sam@example.com\"},"
             " \"credentials\": {\"userName\": \"alpha.sam\", \"password\": \"AlphaSam#2026\"},"
             " \"backupResource\": {\"tenantBackupResourceUid\": \"%s\","
             " \"resourceFriendlyName\": \"Sam's quota\", \"storageQuota\": 1073741824,"
             " \"isStorageQuotaUnlimited\": false}}",
             resource);
    doc = http_call_as(&server, owner, "POST", "/users", NULL, body, &status);
    ck_assert_int_eq(status, 200);
    char user[64];
    snprintf(user, sizeof user, "%s",
             json_string_value(json_object_get(json_object_get(doc, "data"), "instanceUid")));
    json_decref(doc);
    /* its subtenant, named after the login, of the resource's tenant */
    doc = call(owner, "GET", "/infrastructure/sites/tenants/subtenants?limit=500", &status);
    ck_assert_int_eq(status, 200);
    const char *subtenant = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(doc, "data"), i, item)
        if (!strcmp(json_string_value(json_object_get(item, "name")), "alpha.sam"))
            subtenant = json_string_value(json_object_get(item, "instanceUid"));
    ck_assert_msg(subtenant != NULL, "no subtenant alpha.sam");
    /* and the user's backup resource naming it, as asked */
    json_t *mine = NULL;
    json_t *all = call(owner, "GET", "/users/backupResources?limit=500", &status);
    ck_assert_int_eq(status, 200);
    json_array_foreach(json_object_get(all, "data"), i, item)
        if (!strcmp(json_string_value(json_object_get(item, "userUid")), user))
            mine = item;
    ck_assert_msg(mine != NULL, "no backup resource of the new user");
    ck_assert_str_eq(json_string_value(json_object_get(mine, "subtenantUid")), subtenant);
    ck_assert_str_eq(json_string_value(json_object_get(mine, "tenantBackupResourceUid")),
                     resource);
    ck_assert_int_eq(json_integer_value(json_object_get(mine, "storageQuota")), 1073741824);
    json_decref(all);
    /* the same record at the user's own route */
    char path[128];
    snprintf(path, sizeof path, "/users/%s/backupResource", user);
    json_t *one = call(owner, "GET", path, &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(one, "data"),
                                                       "subtenantUid")),
                     subtenant);
    json_decref(one);
    json_decref(doc);
    /* a new subtenant has no agent yet: it sees nothing of the company's */
    char *sam = server_token(&server, "alpha.sam", "AlphaSam#2026");
    json_t *agents = uids_at(sam, "/infrastructure/backupAgents", NULL);
    ck_assert_int_eq(json_array_size(agents), 0);
    json_decref(agents);
    json_decref(resources);
    free(sam);
    free(owner);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("http_scopes");
    TCase *tc = tcase_create("scopes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, location_users_see_their_locations);
    tcase_add_test(tc, assignments_change_the_scope);
    tcase_add_test(tc, assignments_refused);
    tcase_add_test(tc, subtenant_sees_its_own);
    tcase_add_test(tc, subtenant_users_get_a_subtenant);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_run_suite(suite(), CK_FORK); }
