/* test_http_versions.c — the API versions side by side, over real HTTP.
 *
 * The versions served (3.5 by the 3.5.1 document) and the error naming
 * them; a literal segment of another version's routes in a UUID position
 * is a 404, never a 400 "not a valid UUID" (every such path computed from
 * the documents); and the routes only an older version has read and write
 * the records the newest version serves at their successors' routes
 * (contract/entities.h, schema/entities.json "successors").
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "contract/contract.h"
#include "contract/entities.h"
#include "httpclient.h"
#include "testutil.h"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

#define FILL_UUID "5d7e2c1a-0000-4000-8000-00000000000a"

/* One call as version (NULL: no header); the answer parsed (NULL if not
 * JSON) and its status in *status. */
static json_t *call(const char *version, const char *method, const char *path, const char *body,
                    long *status)
{
    char url[2300], vh[64];
    snprintf(url, sizeof url, "%s/api/v3%s", server.base, path);
    snprintf(vh, sizeof vh, "X-Client-Version: %s", version ? version : "");
    const char *headers[] = {"Content-Type: application/json", version ? vh : NULL, NULL};
    http_result r;
    ck_assert(http_call(method, url, headers, body, body ? strlen(body) : 0, NULL, &r));
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    http_result_free(&r);
    return j;
}

/* The answer's data, which must be a 200 (caller decrefs the answer). */
static json_t *data_of(json_t *answer, long status, const char *what)
{
    ck_assert_msg(status == 200 && answer, "%s: %ld %s", what, status,
                  answer ? json_dumps(answer, JSON_COMPACT) : "");
    return json_object_get(answer, "data");
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

START_TEST(every_served_version_is_named)
{
    long st;
    json_t *j = call("3.4", "GET", "/about", NULL, &st);
    ck_assert_int_eq(st, 400);
    const json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_str_eq(str(e, "parameterName"), "X-Client-Version");
    ck_assert_msg(strstr(str(e, "message"), "Supported versions: 3.6.1, 3.6, 3.5.1, 3.5."),
                  "%s", str(e, "message"));
    json_decref(j);
    /* 3.5 is served by the 3.5.1 document: a path only 3.5.1 has */
    j = call("3.5", "GET", "/organizations/companies/sites", NULL, &st);
    ck_assert_int_eq(st, 200);
    ck_assert(json_is_array(json_object_get(j, "data")));
    json_decref(j);
    j = call("3.6", "GET", "/organizations/companies/sites", NULL, &st);
    ck_assert_int_eq(st, 404);
    json_decref(j);
    static const char *const refused[] = {"3", "3.5.0", "3.6.2", "3.5.1.1", "v3.6"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        j = call(refused[i], "GET", "/about", NULL, &st);
        ck_assert_msg(st == 400, "X-Client-Version %s: %ld", refused[i], st);
        json_decref(j);
    }
}
END_TEST

/* The path of op with every parameter filled by FILL_UUID. */
static void fill(const operation *op, char *out, size_t len)
{
    out[0] = 0;
    for (const char *p = op->path; *p && strlen(out) + 40 < len;) {
        if (*p == '{') {
            strcat(out, FILL_UUID);
            p = strchr(p, '}') + 1;
        } else {
            strncat(out, p++, 1);
        }
    }
}

/* Whether the route matched put a segment that is not FILL_UUID (a
 * literal of the path) into a UUID parameter of its operation. */
static bool literal_in_uuid(const route_match *m)
{
    const operation *op = m->payload;
    for (size_t i = 0; i < m->nparams; i++) {
        const op_param *p = operation_param(op, PARAM_PATH, m->names[i]);
        const char *format = json_string_value(json_object_get(p ? p->schema : NULL, "format"));
        if (format && !strcmp(format, "uuid") && strcmp(m->values[i], FILL_UUID))
            return true;
    }
    return false;
}

START_TEST(literal_of_another_version_is_not_found)
{
    long st;
    json_t *j = call("3.5.1", "GET", "/configuration/backupPolicies/mac", NULL, &st);
    ck_assert_int_eq(st, 404);
    const json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "code")), 404);
    ck_assert_str_eq(str(e, "type"), "logical");
    json_decref(j);
    /* every path of one version that another version's own index alone
     * would route by putting a literal into a UUID parameter */
    static const char *const versions[] = {"3.6.1", "3.6", "3.5.1"};
    contract *docs[3];
    for (size_t v = 0; v < 3; v++)
        docs[v] = test_load_contract(versions[v]); /* one document: no other's literals */
    size_t cases = 0;
    bool mac = false;
    for (size_t v = 0; v < 3; v++) {
        for (size_t w = 0; w < 3; w++) {
            for (size_t i = 0; v != w && i < docs[w]->nops; i++) {
                const operation *op = &docs[w]->ops[i];
                char path[1024];
                fill(op, path, sizeof path);
                route_match m;
                if (router_match(docs[v]->routes, op->method, path, &m) != ROUTE_FOUND ||
                    !literal_in_uuid(&m))
                    continue;
                cases++;
                mac = mac || !strcmp(path, "/configuration/backupPolicies/mac");
                j = call(versions[v], http_method_name(op->method), path, NULL, &st);
                ck_assert_msg(st == 404, "%s %s as %s: %ld, not 404", http_method_name(op->method),
                              path, versions[v], st);
                json_decref(j);
            }
        }
    }
    printf("%zu paths of another version with a literal in a UUID position: all 404\n", cases);
    ck_assert(mac);
    ck_assert_uint_ge(cases, 10);
    for (size_t v = 0; v < 3; v++)
        contract_free(docs[v]);
}
END_TEST

/* The values of key over the records of a list answer, sorted, as text. */
static char *keys_of(const json_t *items, const char *key)
{
    json_t *values = json_array();
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item)
        json_array_append(values, json_object_get(item, key));
    /* order-free: the texts, sorted */
    size_t n = json_array_size(values);
    char **texts = calloc(n + 1, sizeof *texts);
    for (size_t k = 0; k < n; k++)
        texts[k] = json_dumps(json_array_get(values, k), JSON_ENCODE_ANY | JSON_COMPACT);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++)
            if (strcmp(texts[a], texts[b]) > 0) {
                char *t = texts[a];
                texts[a] = texts[b];
                texts[b] = t;
            }
    size_t len = 1;
    for (size_t k = 0; k < n; k++)
        len += strlen(texts[k]) + 1;
    char *out = calloc(len, 1);
    for (size_t k = 0; k < n; k++) {
        strcat(out, texts[k]);
        strcat(out, ",");
        free(texts[k]);
    }
    free(texts);
    json_decref(values);
    return out;
}

/* The first list template of e without path parameters, or NULL. */
static const operation *plain_list(const entity_model *m, const entity *e)
{
    for (size_t i = 0; i < m->contract->nops; i++)
        if (m->bindings[i].kind == BIND_LIST && m->bindings[i].entity == e &&
            !strchr(m->contract->ops[i].path, '{'))
            return &m->contract->ops[i];
    return NULL;
}

START_TEST(older_lists_answer_the_newest_records)
{
    contract *newest_doc = test_load_contract("3.6.1");
    entity_model *newest = test_model_of(newest_doc);
    static const char *const older[] = {"3.6", "3.5.1"};
    size_t families = 0, linked = 0;
    for (size_t v = 0; v < 2; v++) {
        contract *doc = test_load_contract(older[v]); /* its model linked as the server's */
        entity_model *m = test_model_of(doc);
        for (size_t k = 0; k < m->count; k++) {
            const entity *e = &m->entities[k];
            if (!e->successor)
                continue;
            linked++;
            const entity *next = entities_find(newest, e->successor->name);
            ck_assert_ptr_nonnull(next);
            const operation *mine = plain_list(m, e), *theirs = plain_list(newest, next);
            if (!mine || !theirs)
                continue;
            long st1, st2;
            json_t *a = call(older[v], "GET", mine->path, NULL, &st1);
            json_t *b = call("3.6.1", "GET", theirs->path, NULL, &st2);
            const json_t *da = data_of(a, st1, mine->path), *db = data_of(b, st2, theirs->path);
            ck_assert_msg(json_array_size(db) > 0, "%s: no records in the default world",
                          theirs->path);
            ck_assert_uint_eq(json_array_size(da), json_array_size(db));
            const char *id = e->successor->id_prop;
            if (id) { /* the same records, by their newest ids */
                const char *mine_id = e->id_prop && !strcmp(e->id_prop, id) ? id : NULL;
                /* an older id of another name: its successor id is renamed */
                const char *key;
                const json_t *to;
                json_object_foreach((json_t *)e->renames, key, to)
                    if (!strcmp(json_string_value(to), id))
                        mine_id = key;
                if (!mine_id)
                    mine_id = id;
                char *ka = keys_of(da, mine_id), *kb = keys_of(db, id);
                ck_assert_msg(!strcmp(ka, kb), "%s %s vs 3.6.1 %s: %s / %s", older[v],
                              mine->path, theirs->path, ka, kb);
                free(ka);
                free(kb);
            }
            families++;
            json_decref(a);
            json_decref(b);
        }
        entities_free(m);
        contract_free(doc);
    }
    printf("%zu older entities linked to their successors, %zu lists compared\n", linked,
           families);
    /* 3.5.1's nine company-site types and the credentials of 3.6 and 3.5.1; seven
     * of them listed without path parameters in both versions */
    ck_assert_uint_ge(linked, 11);
    ck_assert_uint_ge(families, 7);
    entities_free(newest);
    contract_free(newest_doc);
}
END_TEST

START_TEST(site_resources_are_tenants)
{
    long st;
    /* a 3.5.1 site resource: company, site and the tenant it is */
    json_t *sites = call("3.5.1", "GET", "/organizations/companies/sites", NULL, &st);
    const json_t *site = json_array_get(data_of(sites, st, "sites"), 0);
    ck_assert_ptr_nonnull(site);
    char company[64], site_uid[64], tenant[64], path[512], path2[512];
    snprintf(company, sizeof company, "%s", str(site, "companyUid"));
    snprintf(site_uid, sizeof site_uid, "%s", str(site, "siteUid"));
    snprintf(tenant, sizeof tenant, "%s", str(site, "cloudTenantUid"));
    ck_assert(uuid_valid(company) && uuid_valid(site_uid) && uuid_valid(tenant));
    ck_assert_ptr_null(json_object_get(site, "credentials")); /* named as 3.5.1 names it */
    ck_assert_ptr_nonnull(json_object_get(site, "ownerCredentials"));
    json_decref(sites);

    /* a 3.6.1 change is what 3.5.1 reads, and a 3.5.1 change what 3.6.1 reads */
    snprintf(path, sizeof path, "/infrastructure/sites/tenants/%s", tenant);
    json_decref(call("3.6.1", "PATCH", path,
                     "[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"Set by 3.6.1\"}]",
                     &st));
    ck_assert_int_eq(st, 200);
    snprintf(path2, sizeof path2, "/organizations/companies/%s/sites/%s", company, site_uid);
    json_t *j = call("3.5.1", "GET", path2, NULL, &st);
    const json_t *d = data_of(j, st, path2);
    ck_assert_str_eq(str(d, "description"), "Set by 3.6.1");
    ck_assert_str_eq(str(d, "cloudTenantUid"), tenant);
    ck_assert_str_eq(str(d, "companyUid"), company);
    json_decref(j);
    json_decref(call("3.5.1", "PATCH", path2,
                     "[{\"op\":\"replace\",\"path\":\"/throttlingEnabled\",\"value\":false},"
                     "{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"Set by 3.5.1\"}]",
                     &st));
    ck_assert_int_eq(st, 200);
    j = call("3.6.1", "GET", path, NULL, &st);
    d = data_of(j, st, path);
    ck_assert_str_eq(str(d, "description"), "Set by 3.5.1");
    ck_assert(json_is_false(json_object_get(d, "isThrottlingEnabled")));
    /* the newest shape stays: no 3.5.1 names written into the record */
    ck_assert_ptr_null(json_object_get(d, "throttlingEnabled"));
    ck_assert_ptr_null(json_object_get(d, "ownerCredentials"));
    json_decref(j);
    /* another company's path does not reach the tenant */
    snprintf(path2, sizeof path2, "/organizations/companies/%s/sites/%s", FILL_UUID, site_uid);
    json_decref(call("3.5.1", "GET", path2, NULL, &st));
    ck_assert_int_eq(st, 404);

    /* a backup resource made through 3.5.1 is the tenant's in 3.6.1 */
    json_t *pools = call("3.6.1", "GET", "/infrastructure/sites/tenants/backupResources", NULL, &st);
    const char *repo = str(json_array_get(data_of(pools, st, "backup resources"), 0), "repositoryUid");
    ck_assert_ptr_nonnull(repo);
    char body[512];
    snprintf(body, sizeof body,
             "{\"cloudRepositoryName\":\"Made by 3.5.1\",\"storageQuota\":1073741824,"
             "\"repositoryUid\":\"%s\"}", repo);
    json_decref(pools);
    snprintf(path2, sizeof path2, "/organizations/companies/%s/sites/%s/backupResources", company,
             site_uid);
    j = call("3.5.1", "POST", path2, body, &st);
    char made[64];
    snprintf(made, sizeof made, "%s", str(data_of(j, st, path2), "instanceUid"));
    json_decref(j);
    snprintf(path, sizeof path, "/infrastructure/sites/tenants/%s/backupResources/%s", tenant, made);
    j = call("3.6.1", "GET", path, NULL, &st);
    d = data_of(j, st, path);
    ck_assert_str_eq(str(d, "cloudRepositoryName"), "Made by 3.5.1");
    ck_assert_str_eq(str(d, "tenantUid"), tenant);
    json_decref(j);
    /* and the 3.5.1 list under the company and site holds it */
    j = call("3.5.1", "GET", path2, NULL, &st);
    char *ids = keys_of(data_of(j, st, path2), "instanceUid");
    ck_assert_msg(strstr(ids, made), "%s", ids);
    free(ids);
    json_decref(j);
    /* deleted through 3.6.1, gone for 3.5.1 */
    json_decref(call("3.6.1", "DELETE", path, NULL, &st));
    ck_assert_int_eq(st, 200);
    snprintf(path2, sizeof path2, "/organizations/companies/%s/sites/%s/backupResources/%s",
             company, site_uid, made);
    json_decref(call("3.5.1", "GET", path2, NULL, &st));
    ck_assert_int_eq(st, 404);

    /* the tenant's network extension appliances, under the company and site */
    snprintf(path, sizeof path,
             "/infrastructure/sites/tenants/%s/replicationResources/networkextensionAppliance", tenant);
    snprintf(path2, sizeof path2,
             "/organizations/companies/%s/sites/%s/replicationResources/networkextensionAppliance",
             company, site_uid);
    json_t *a = call("3.6.1", "GET", path, NULL, &st);
    const json_t *da = data_of(a, st, path);
    json_t *b = call("3.5.1", "GET", path2, NULL, &st);
    const json_t *db = data_of(b, st, path2);
    char *ka = keys_of(da, "instanceUid"), *kb = keys_of(db, "instanceUid");
    ck_assert_str_eq(ka, kb);
    free(ka);
    free(kb);
    json_decref(a);
    json_decref(b);
}
END_TEST

START_TEST(credentials_of_3_6_are_the_newest)
{
    long st;
    json_t *servers = call(NULL, "GET", "/infrastructure/backupServers", NULL, &st);
    const json_t *list = data_of(servers, st, "backup servers");
    size_t compared = 0, i;
    const json_t *s;
    json_array_foreach(list, i, s) {
        char path[256];
        snprintf(path, sizeof path, "/infrastructure/backupServers/%s/credentials",
                 str(s, "instanceUid"));
        json_t *a = call("3.6", "GET", path, NULL, &st);
        const json_t *da = data_of(a, st, path);
        json_t *b = call("3.6.1", "GET", path, NULL, &st);
        const json_t *db = data_of(b, st, path);
        char *ka = keys_of(da, "instanceUid"), *kb = keys_of(db, "instanceUid");
        ck_assert_msg(!strcmp(ka, kb), "%s: %s / %s", path, ka, kb);
        compared += json_array_size(db);
        free(ka);
        free(kb);
        json_decref(a);
        json_decref(b);
    }
    ck_assert_uint_gt(compared, 0);
    json_decref(servers);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_versions");
    TCase *tc = tcase_create("versions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_served_version_is_named);
    tcase_add_test(tc, literal_of_another_version_is_not_found);
    tcase_add_test(tc, older_lists_answer_the_newest_records);
    tcase_add_test(tc, site_resources_are_tenants);
    tcase_add_test(tc, credentials_of_3_6_are_the_newest);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
