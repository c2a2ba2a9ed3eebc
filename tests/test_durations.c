/* test_durations.c — the processing-time table (contract/durations.h):
 * its pattern syntax, what it gives the operations VSPC is known to take
 * time for, the contract's async-capable set, and that a stale rule or
 * operationId stops the server instead of being ignored. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "contract/contract.h"
#include "contract/durations.h"
#include "testutil.h"

static contract_set set;
static durations *table;

static void setup(void)
{
    char err[256];
    ck_assert_msg(contract_set_load(&set, test_schema_dir(), err, sizeof err), "%s", err);
    table = durations_load(test_schema_dir(), &set, err, sizeof err);
    ck_assert_msg(table != NULL, "%s", err);
}

static void teardown(void)
{
    durations_free(table);
    contract_set_free(&set);
}

static double seconds_of(const char *operation_id)
{
    const operation *op = contract_find_op(set.items[0], operation_id);
    ck_assert_msg(op != NULL, "no %s", operation_id);
    return durations_of(table, op);
}

START_TEST(patterns)
{
    ck_assert(durations_match("POST **/start", "POST", "/discovery/rules/{ruleUid}/start"));
    ck_assert(durations_match("POST **/start", "POST", "/start"));
    ck_assert(!durations_match("POST **/start", "GET", "/discovery/rules/{ruleUid}/start"));
    ck_assert(!durations_match("POST **/start", "POST", "/discovery/rules/{ruleUid}/started"));
    ck_assert(durations_match("DELETE /organizations/companies/*", "DELETE",
                              "/organizations/companies/{companyUid}"));
    ck_assert(!durations_match("DELETE /organizations/companies/*", "DELETE",
                               "/organizations/companies/{companyUid}/locations"));
    ck_assert(durations_match("POST /discovery/computers/*/install*", "POST",
                              "/discovery/computers/{computerUid}/installBackupServer"));
    ck_assert(durations_match("GET **", "GET", "/about"));
    ck_assert(!durations_match("GET", "GET", "/about")); /* no pattern */
}
END_TEST

/* What the REST overview and the user guide say takes time does; reads
 * take none. */
START_TEST(known_times)
{
    double start = seconds_of("StartBackupServerJob");
    ck_assert(start >= 1 && start <= 2); /* handed to the backup server */
    ck_assert(seconds_of("StartWindowsBackupAgentJob") >= 1);
    ck_assert(seconds_of("DeleteCompany") > 5); /* async at the default threshold */
    ck_assert(seconds_of("GenerateInvoice") > 5);
    ck_assert(seconds_of("DownloadWindowsManagementPackage") > 5);
    ck_assert(seconds_of("GetCompanies") == 0);
    ck_assert(seconds_of("GetBackupServerJobs") == 0);
    ck_assert(seconds_of("CreateCompany") == 0);
    /* every operation of every version has a time, none negative */
    for (size_t v = 0; v < set.count; v++)
        for (size_t i = 0; i < set.items[v]->nops; i++)
            ck_assert(durations_of(table, &set.items[v]->ops[i]) >= 0);
}
END_TEST

/* The contract's 202s: all of 3.6.1's operations but the nine VSPC never
 * registers as async actions. */
START_TEST(async_capable)
{
    const contract *c = set.items[0];
    size_t capable = 0;
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        bool yes = durations_async_capable(table, op);
        capable += yes;
        bool exempt = !strncmp(op->path, "/asyncActions", 13) || !strcmp(op->path, "/token") ||
                      !strcmp(op->path, "/authentication/keys/rsa");
        ck_assert_msg(yes != exempt, "%s %s", op->operation_id, yes ? "async" : "not async");
    }
    ck_assert_uint_eq(c->nops, 942);
    ck_assert_uint_eq(capable, 933);
}
END_TEST

/* A table naming what does not exist is refused, naming the entry. */
static void assert_refused(const char *json, const char *needle)
{
    char dir[] = "/tmp/vspc-durations-XXXXXX";
    ck_assert(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/durations.json", dir);
    FILE *f = fopen(path, "w");
    ck_assert(f != NULL);
    fputs(json, f);
    fclose(f);
    char err[256] = "";
    durations *d = durations_load(dir, &set, err, sizeof err);
    ck_assert(d == NULL);
    ck_assert_msg(strstr(err, needle) != NULL, "%s", err);
    test_rm_rf(dir);
}

START_TEST(stale_entries_refused)
{
    assert_refused("{\"default\": 0, \"rules\": [{\"match\": \"GET /nothing/here\", \"seconds\": 1}],"
                   " \"operations\": {}}",
                   "rules[0]");
    assert_refused("{\"default\": 0, \"rules\": [], \"operations\": {\"NoSuchOperation\": 3}}",
                   "NoSuchOperation");
    assert_refused("{\"default\": 0, \"rules\": [{\"match\": \"GET **\", \"seconds\": -1}],"
                   " \"operations\": {}}",
                   "rules[0]");
    assert_refused("{\"rules\": []}", "default");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("durations");
    TCase *tc = tcase_create("durations");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, patterns);
    tcase_add_test(tc, known_times);
    tcase_add_test(tc, async_capable);
    tcase_add_test(tc, stale_entries_refused);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
