/* testutil.c — see testutil.h. */
#include "testutil.h"

#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>

const char *test_schema_dir(void)
{
    const char *dir = getenv("VSPC_SCHEMA_DIR");
    return dir ? dir : "schema";
}

void test_contract_path(const char *version, char *out, size_t len)
{
    snprintf(out, len, "%s/vspc-rest-%s.json", test_schema_dir(), version);
}

contract *test_load_contract(const char *version)
{
    char file[1024], err[512];
    test_contract_path(version, file, sizeof file);
    contract *c = contract_load(file, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    return c;
}

json_t *test_load_fixtures(void)
{
    const char *dir = getenv("VSPC_FIXTURES_DIR");
    char err[512];
    json_t *fixtures = fixtures_load(dir ? dir : "fixtures", err, sizeof err);
    ck_assert_msg(fixtures != NULL, "%s", err);
    return fixtures;
}

int test_run_suite(Suite *s, enum fork_status fork)
{
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, fork);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
