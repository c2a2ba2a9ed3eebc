/* test_http_examples.c — the REST overview's examples hold, over real HTTP.
 *
 * The seed (VSPC's REST API overview) shows the companies Alpha and Beta
 * with their organizations, and three backup servers LRSVBR10CC,
 * LRSVBR11CC and lrsvbr12; the default world answers them as shown, every
 * member the example gives (UIDs the world assigns itself aside: the
 * example's organization, location and agent UIDs name records of another
 * installation). GET /about answers a VSPC 9.1 build.
 */
#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/generate_tables.h"
#include "httpclient.h"
#include "testutil.h"

static test_server server;

static void setup(void) { server_start(&server, NULL); }
static void teardown(void) { server_stop(&server); }

/* GET path; its data, which must be there with a 200 (caller decrefs). */
static json_t *get_data(const char *path)
{
    long status;
    char url[256];
    snprintf(url, sizeof url, "/api/v3%s", path);
    json_t *answer = http_get_json(&server, url, &status);
    ck_assert_msg(status == 200 && answer, "GET %s: %ld", path, status);
    json_t *data = json_incref(json_object_get(answer, "data"));
    json_decref(answer);
    ck_assert_ptr_nonnull(data);
    return data;
}

/* Every member of expected (JSON text) is in got with the same value. */
static void assert_shows(const json_t *got, const char *expected, const char *what)
{
    json_error_t jerr;
    json_t *want = json_loads(expected, 0, &jerr);
    ck_assert_msg(want != NULL, "%s: %s", what, jerr.text);
    const char *key;
    json_t *value;
    json_object_foreach(want, key, value) {
        json_t *have = json_object_get(got, key);
        char *h = have ? json_dumps(have, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        char *w = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        ck_assert_msg(have && json_equal(have, value), "%s.%s: %s, the seed shows %s", what, key,
                      h ? h : "(missing)", w);
        free(h);
        free(w);
    }
    json_decref(want);
}

#define ALPHA "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25"
#define BETA "279595ca-2027-4110-abc8-63619d14e25a"
#define NIMBUS "a1797b02-364e-4e31-b052-7d7db48edb4a"

/* companyServices as the seed shows it for both companies */
#define SERVICES                                                                           \
    "\"companyServices\": {\"hostedServices\": {\"isVbPublicCloudManagementEnabled\": false}," \
    "\"remoteServices\": {\"isBackupResourcesEnabled\": true,"                             \
    "\"backupAgentsManagement\": {\"workstationAgentsQuota\": 20, \"serverAgentsQuota\": 20}," \
    "\"backupServersManagement\": {\"backupServerQuota\": 20},"                            \
    "\"vb365ServersManagement\": null, \"isVbPublicCloudManagementEnabled\": false}}"

START_TEST(alpha_and_beta_as_the_seed_shows)
{
    json_t *alpha = get_data("/organizations/companies/" ALPHA);
    assert_shows(alpha,
                 "{\"instanceUid\": \"" ALPHA "\", \"name\": \"Alpha\", \"status\": \"Active\","
                 " \"resellerUid\": \"" NIMBUS "\","
                 " \"subscriptionPlanUid\": \"615808c7-12ba-4cd4-a1c2-3ba78d95fbe9\","
                 " \"isRestAccessEnabled\": true, \"isAlarmDetectEnabled\": true," SERVICES ","
                 " \"loginUrl\": null,"
                 " \"ownerCredentials\": {\"userName\": \"alphauser\", \"password\": null}}",
                 "Alpha");
    json_decref(alpha);
    json_t *beta = get_data("/organizations/companies/" BETA);
    assert_shows(beta,
                 "{\"instanceUid\": \"" BETA "\", \"name\": \"Beta\", \"status\": \"Active\","
                 " \"resellerUid\": \"" NIMBUS "\", \"subscriptionPlanUid\": null,"
                 " \"isRestAccessEnabled\": true, \"isAlarmDetectEnabled\": false," SERVICES ","
                 " \"loginUrl\": null,"
                 " \"ownerCredentials\": {\"userName\": \"betauser\", \"password\": null}}",
                 "Beta");
    json_decref(beta);
    /* the plan Alpha is on is a record of its own */
    json_t *plan = get_data("/subscriptionPlans/615808c7-12ba-4cd4-a1c2-3ba78d95fbe9");
    assert_shows(plan, "{\"instanceUid\": \"615808c7-12ba-4cd4-a1c2-3ba78d95fbe9\"}", "plan");
    json_decref(plan);
}
END_TEST

START_TEST(their_organizations_as_the_seed_shows)
{
    json_t *alpha = get_data("/organizations/" ALPHA);
    assert_shows(alpha,
                 "{\"name\": \"Alpha\", \"alias\": \"alpha\", \"type\": \"Company\","
                 " \"taxId\": \"65432\", \"email\": \"t.barb@alpha.com\","
                 " \"phone\": \"916-336-1534\", \"country\": 1, \"state\": 5,"
                 " \"countryName\": \"USA\", \"regionName\": \"West\", \"city\": \"Sacramento\","
                 " \"street\": \"Awesome street\", \"locationAdmin0Code\": \"us\","
                 " \"locationAdmin1Code\": \"us-ca\", \"locationAdmin2Code\": null,"
                 " \"notes\": \"\", \"zipCode\": \"95814\", \"website\": \"www.alpha.com\","
                 " \"veeamTenantId\": \"10\"}",
                 "Alpha's organization");
    json_decref(alpha);
    json_t *beta = get_data("/organizations/" BETA);
    assert_shows(beta,
                 "{\"name\": \"Beta\", \"alias\": \"beta\", \"type\": \"Company\","
                 " \"taxId\": \"09876\", \"email\": \"m.lore@beta.com\","
                 " \"phone\": \"503-254-0212\", \"country\": 1, \"state\": 37,"
                 " \"countryName\": \"USA\", \"regionName\": \"West\", \"city\": \"Portland\","
                 " \"street\": \"5006 Gateway Road\", \"locationAdmin0Code\": \"us\","
                 " \"locationAdmin1Code\": \"us-or\", \"locationAdmin2Code\": null,"
                 " \"notes\": \"\", \"zipCode\": \"97220\", \"website\": \"www.beta.com\","
                 " \"veeamTenantId\": \"2\"}",
                 "Beta's organization");
    json_decref(beta);
}
END_TEST

START_TEST(expanded_as_the_seed_shows)
{
    /* the overview's example: companies with their organizations embedded */
    json_t *list = get_data("/organizations/companies?expand=Organization&limit=500");
    bool alpha_seen = false;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "instanceUid")), ALPHA))
            continue;
        json_t *org = json_object_get(json_object_get(item, "_embedded"), "organization");
        ck_assert_msg(json_is_object(org), "Alpha has no embedded organization");
        assert_shows(org,
                     "{\"name\": \"Alpha\", \"alias\": \"alpha\", \"taxId\": \"65432\","
                     " \"email\": \"t.barb@alpha.com\", \"city\": \"Sacramento\","
                     " \"veeamTenantId\": \"10\"}",
                     "Alpha's embedded organization");
        alpha_seen = true;
    }
    ck_assert(alpha_seen);
    json_decref(list);
}
END_TEST

START_TEST(the_three_backup_servers_as_the_seed_shows)
{
    static const char *const servers[][2] = {
        {"86238779-5bb3-4a2c-8578-466dedf635a3",
         "{\"name\": \"LRSVBR10CC\", \"version\": \"10.0.1.4854\","
         " \"displayVersion\": \"10.0.1.4854\", \"backupServerRoleType\": \"CloudConnect\","
         " \"status\": \"Healthy\", \"inHighAvailabilityCluster\": false}"},
        {"592a9947-235f-4234-b8e8-5c8a559d6d3a",
         "{\"name\": \"LRSVBR11CC\", \"version\": \"11.0.1.1261\","
         " \"displayVersion\": \"11.0.1.1261 P20220302\","
         " \"backupServerRoleType\": \"CloudConnect\","
         " \"status\": \"Healthy\", \"inHighAvailabilityCluster\": false}"},
        {"d8c5132a-30e1-4cf7-bea3-f0bc10bcaa96",
         "{\"name\": \"lrsvbr12\", \"version\": \"12.1.0.2067\","
         " \"displayVersion\": \"12.1.0.2067\", \"backupServerRoleType\": \"Hosted\","
         " \"status\": \"Healthy\", \"inHighAvailabilityCluster\": false}"},
    };
    json_t *list = get_data("/infrastructure/backupServers?limit=500");
    for (size_t s = 0; s < sizeof servers / sizeof *servers; s++) {
        char path[128];
        snprintf(path, sizeof path, "/infrastructure/backupServers/%s", servers[s][0]);
        json_t *one = get_data(path);
        assert_shows(one, servers[s][1], servers[s][0]);
        json_decref(one);
        /* and the collection lists it with the same members */
        bool listed = false;
        size_t i;
        json_t *item;
        json_array_foreach(list, i, item) {
            if (strcmp(json_string_value(json_object_get(item, "instanceUid")), servers[s][0]))
                continue;
            assert_shows(item, servers[s][1], servers[s][0]);
            listed = true;
        }
        ck_assert_msg(listed, "%s is not in GET /infrastructure/backupServers", servers[s][0]);
    }
    json_decref(list);
}
END_TEST

START_TEST(about_is_a_vspc_9_1_build)
{
    json_t *about = get_data("/about");
    const char *server_version = json_string_value(json_object_get(about, "serverVersion"));
    ck_assert_ptr_nonnull(server_version);
    ck_assert_str_eq(server_version, VSPC_BUILD);
    ck_assert(!strncmp(server_version, "9.1.", 4));
    static const char *const agents[] = {"windowsManagementAgentVersion",
                                         "linuxManagementAgentVersion",
                                         "macManagementAgentVersion"};
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(json_string_value(json_object_get(about, agents[i])), VSPC_BUILD);
    /* asked again, the same answer */
    json_t *again = get_data("/about");
    ck_assert(json_equal(about, again));
    json_decref(again);
    json_decref(about);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_examples");
    TCase *tc = tcase_create("seed");
    tcase_add_unchecked_fixture(tc, setup, teardown); /* one server for all */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, alpha_and_beta_as_the_seed_shows);
    tcase_add_test(tc, their_organizations_as_the_seed_shows);
    tcase_add_test(tc, expanded_as_the_seed_shows);
    tcase_add_test(tc, the_three_backup_servers_as_the_seed_shows);
    tcase_add_test(tc, about_is_a_vspc_9_1_build);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
