/* test_entities.c — what the model infers from the real 3.6.1 contract. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "contract/entities.h"
#include "testutil.h"

static contract *c;
static entity_model *m;

static void setup(void)
{
    c = test_load_contract("3.6.1");
    m = test_model_of(c);
}

static void teardown(void)
{
    entities_free(m);
    contract_free(c);
}

static const binding *bound(const char *operation_id)
{
    const operation *op = contract_find_op(c, operation_id);
    ck_assert_msg(op != NULL, "%s", operation_id);
    return entities_binding(m, op);
}

START_TEST(counts)
{
    size_t k[BIND_ACTION + 1];
    entities_counts(m, k);
    ck_assert_uint_eq(m->count, 232);
    ck_assert_uint_eq(k[BIND_LIST], 395);
    /* 120 items, and 5 singular sub-resources (/users/{userUid}/backupResource) */
    ck_assert_uint_eq(k[BIND_GET], 125);
    ck_assert_uint_ge(k[BIND_CREATE], 39);
    ck_assert_uint_eq(k[BIND_PATCH], 64); /* 59, and 5 singular ones */
    ck_assert_uint_eq(k[BIND_DELETE], 54);
    ck_assert_uint_ge(k[BIND_ACTION], 60);
    printf("3.6.1: %zu entities; %zu list, %zu get, %zu create, %zu patch, %zu put, %zu delete, "
           "%zu action, %zu generated\n",
           m->count, k[BIND_LIST], k[BIND_GET], k[BIND_CREATE], k[BIND_PATCH], k[BIND_PUT],
           k[BIND_DELETE], k[BIND_ACTION], k[BIND_NONE]);
}
END_TEST

START_TEST(companies)
{
    const binding *b = bound("GetCompanies");
    ck_assert_int_eq(b->kind, BIND_LIST);
    ck_assert_str_eq(b->entity->name, "Company");
    ck_assert_str_eq(b->entity->id_prop, "instanceUid");
    ck_assert_str_eq(b->entity->id_param, "companyUid");
    b = bound("GetCompany");
    ck_assert_int_eq(b->kind, BIND_GET);
    ck_assert_str_eq(b->id_param, "companyUid");
    ck_assert_int_eq(bound("CreateCompany")->kind, BIND_CREATE);
    ck_assert_int_eq(bound("PatchCompany")->kind, BIND_PATCH);
    ck_assert_int_eq(bound("DeleteCompany")->kind, BIND_DELETE);
    ck_assert_ptr_eq(bound("DeleteCompany")->entity, b->entity);
}
END_TEST

START_TEST(jobs_and_actions)
{
    const binding *b = bound("StartBackupServerJob");
    ck_assert_int_eq(b->kind, BIND_ACTION);
    ck_assert_str_eq(b->action, "start");
    ck_assert_str_eq(b->entity->name, "BackupServerJob");
    ck_assert_str_eq(b->id_param, "jobUid");
    ck_assert_str_eq(entities_for_key(m, "jobUid")->name, "BackupServerJob");
    ck_assert_str_eq(entities_for_key(m, "backupServerUid")->name, "BackupServer");
    ck_assert_ptr_null(entities_for_key(m, "noSuchUid"));
    ck_assert_int_eq(bound("GetAboutInformation")->kind, BIND_NONE);
}
END_TEST

START_TEST(ids_from_mapping_and_parameters)
{
    ck_assert_str_eq(entities_find(m, "UserLogin")->id_prop, "id");
    ck_assert_str_eq(entities_find(m, "PluginInfo")->id_prop, "pluginId");
    ck_assert_ptr_null(entities_find(m, "NoSuchEntity"));
}
END_TEST

START_TEST(mapping_typos_are_refused)
{
    json_t *bad = json_pack("{s:{s:s}}", "ids", "Compnay", "instanceUid");
    char err[256];
    ck_assert_ptr_null(entities_build(c, bad, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "Compnay"));
    json_decref(bad);
    entity_model *plain = entities_build(c, NULL, err, sizeof err);
    ck_assert_ptr_nonnull(plain);
    entities_free(plain);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("entities");
    TCase *tc = tcase_create("entities");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, counts);
    tcase_add_test(tc, companies);
    tcase_add_test(tc, jobs_and_actions);
    tcase_add_test(tc, ids_from_mapping_and_parameters);
    tcase_add_test(tc, mapping_typos_are_refused);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
