/* test_differences.c — the table of version differences generated from the
 * documents (contract/differences.h), and answers shaped by it for older
 * clients (contract/conform.h, conform_to_version). */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "contract/conform.h"
#include "contract/contract.h"
#include "contract/differences.h"
#include "testutil.h"

static contract *newest, *v36, *v351;
static differences *d36, *d351;

static void setup(void)
{
    newest = test_load_contract("3.6.1");
    v36 = test_load_contract("3.6");
    v351 = test_load_contract("3.5.1");
    d36 = differences_build(&v36->schemas, &newest->schemas);
    d351 = differences_build(&v351->schemas, &newest->schemas);
    ck_assert_ptr_nonnull(d36);
    ck_assert_ptr_nonnull(d351);
}

static void teardown(void)
{
    differences_free(d36);
    differences_free(d351);
    contract_free(newest);
    contract_free(v36);
    contract_free(v351);
}

/* The node of component `name` of the older document of d. */
static const diff_node *component(const differences *d, const contract *c, const char *name)
{
    const json_t *s = schema_by_name(&c->schemas, name);
    ck_assert_msg(s != NULL, "no component %s", name);
    const diff_node *n = differences_node(d, s);
    ck_assert_msg(n != NULL, "no node for %s", name);
    return n;
}

START_TEST(rows_of_each_kind)
{
    for (int k = 0; k < DIFF_KINDS; k++)
        printf("3.6 / 3.5.1 %s: %zu / %zu\n", differences_kind_name((diff_kind)k),
               differences_count(d36, (diff_kind)k), differences_count(d351, (diff_kind)k));
    /* what the issue names, and what the documents show (differences.h) */
    ck_assert_uint_gt(differences_count(d351, DIFF_RETYPED), 0);
    ck_assert_uint_gt(differences_count(d351, DIFF_RENAMED), 0);
    ck_assert_uint_gt(differences_count(d351, DIFF_DROPPED), differences_count(d36, DIFF_DROPPED));
    ck_assert_uint_gt(differences_count(d36, DIFF_ENUM), 0);
    /* 3.6 and 3.5.1 mark nothing nullable that 3.6.1 does */
    ck_assert_uint_gt(differences_count(d36, DIFF_NULLABLE), 1000);
    ck_assert_uint_gt(differences_count(d351, DIFF_NULLABLE), 1000);
}
END_TEST

START_TEST(the_identity_provider_configuration_is_retyped)
{
    const diff_node *n = component(d351, v351, "IdentityProviderSettings");
    const diff_prop *p = differences_prop(n, "configuration");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->node->type, DT_STRING);
    ck_assert(p->node->checked);
    /* in 3.6 it is the same object as in 3.6.1: nothing to check */
    const diff_node *same = differences_prop(component(d36, v36, "IdentityProviderSettings"),
                                             "configuration")->node;
    ck_assert_int_eq(same->type, DT_OBJECT);
    ck_assert(!same->checked);
}
END_TEST

START_TEST(renames_are_found_by_likeness_and_kind)
{
    const diff_prop *p =
        differences_prop(component(d351, v351, "SingleLicenseReport"), "reportParemeters");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->from, "reportParameters");
    const diff_node *plan = component(d351, v351, "SubscriptionPlanManagedBackup");
    ck_assert_str_eq(differences_prop(plan, "freeBackupUsedSpaceUnits")->from,
                     "remoteFreeBackupUsedSpaceUnits");
    ck_assert_str_eq(differences_prop(plan, "managedVmPrice")->from, "remoteManagedVmPrice");
    /* a name of another kind is no rename: companies (a list) is not
     * companiesCount (a number) */
    ck_assert_ptr_null(differences_prop(component(d351, v351, "BackupPolicy"), "companiesCount")->from);
}
END_TEST

/* A record of 3.6.1's IdentityProviderSettings answered to 3.5.1. */
START_TEST(an_answer_in_the_older_shape)
{
    json_t *record = json_pack(
        "{s:s, s:s, s:{s:s}, s:s, s:s, s:b, s:n, s:i, s:b, s:b, s:s, s:s}", "name", "adfs",
        "displayName", "ADFS", "configuration", "entityId", "urn:x", "template", "ADFS", "type",
        "SAML2", "configurationValidationSucceeded", 1, "errorMessage", "rulesCount", 2,
        "configurationCompleted", 1, "enabled", 1, "organizationUid",
        "a1797b02-364e-4e31-b052-7d7db48edb4a", "newestOnly", "kept by 3.6.1 alone");
    const json_t *schema = schema_by_name(&v351->schemas, "IdentityProviderSettings");
    json_t *shaped = conform_to_version(d351, schema, record, 7);
    schema_ctx strict;
    schema_ctx_init(&strict, v351->doc, false);
    schema_error e;
    ck_assert_msg(schema_validate(&strict, schema, shaped, &e), "%s: %s", e.path, e.message);
    ck_assert_str_eq(json_string_value(json_object_get(shaped, "configuration")),
                     "{\"entityId\":\"urn:x\"}");
    ck_assert_ptr_null(json_object_get(shaped, "errorMessage")); /* optional null: left out */
    ck_assert_ptr_null(json_object_get(shaped, "newestOnly"));   /* the version lacks it */
    ck_assert_str_eq(json_string_value(json_object_get(shaped, "name")), "adfs");
    json_decref(shaped);
}
END_TEST

/* Renamed members take the record's value; a required null gets a value of
 * its type; an enum member the version lacks reads Unknown. */
START_TEST(renamed_required_and_enum_members)
{
    const json_t *report = schema_by_name(&v351->schemas, "SingleLicenseReport");
    json_t *record = json_pack("{s:{s:s}}", "reportParameters", "reportName", "march");
    json_t *shaped = conform_to_version(d351, report, record, 1);
    ck_assert_ptr_nonnull(json_object_get(shaped, "reportParemeters"));
    ck_assert_ptr_null(json_object_get(shaped, "reportParameters"));
    json_decref(shaped);

    /* OwnerCredentials.password is optional: a null one is left out;
     * Credentials.password is required: "" (never a password back) */
    const json_t *owner = schema_by_name(&v36->schemas, "OwnerCredentials");
    shaped = conform_to_version(d36, owner, json_pack("{s:s, s:n}", "userName", "a", "password"), 1);
    ck_assert_ptr_null(json_object_get(shaped, "password"));
    json_decref(shaped);
    const json_t *creds = schema_by_name(&v36->schemas, "Credentials");
    shaped = conform_to_version(d36, creds, json_pack("{s:s, s:n}", "userName", "a", "password"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(shaped, "password")), "");
    json_decref(shaped);

    /* 3.6 lacks DeploymentTask.type HaClusterSecondaryNodeAgentDeploy */
    const json_t *task = schema_by_name(&v36->schemas, "DeploymentTask");
    const diff_node *tn = differences_prop(differences_node(d36, task), "type")->node;
    ck_assert(tn->checked);
    json_t *v = conform_to_version(d36, tn->schema, json_string("HaClusterSecondaryNodeAgentDeploy"), 1);
    ck_assert_str_eq(json_string_value(v), tn->has_unknown ? "Unknown" : json_string_value(v));
    ck_assert_int_ne(strcmp(json_string_value(v), "HaClusterSecondaryNodeAgentDeploy"), 0);
    json_decref(v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("differences");
    TCase *tc = tcase_create("table");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, rows_of_each_kind);
    tcase_add_test(tc, the_identity_provider_configuration_is_retyped);
    tcase_add_test(tc, renames_are_found_by_likeness_and_kind);
    tcase_add_test(tc, an_answer_in_the_older_shape);
    tcase_add_test(tc, renamed_required_and_enum_members);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
