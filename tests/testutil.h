/* testutil.h — what every test program shares: where the contract is and
 * how a suite is run. */
#ifndef VSPC_TEST_UTIL_H
#define VSPC_TEST_UTIL_H

#include <check.h>
#include <stddef.h>

#include "contract/contract.h"

/* $VSPC_SCHEMA_DIR (default "schema") */
const char *test_schema_dir(void);
/* Writes the path of the document of `version` ("3.6.1") into out. */
void test_contract_path(const char *version, char *out, size_t len);
/* Loads the contract of `version`; fails the running test if it cannot. */
contract *test_load_contract(const char *version);
/* The entity model of contract c with the project's mapping file
 * (schema/entities.json); fails the running test if it cannot be built. */
struct entity_model *test_model_of(const contract *c);
/* The default world's fixtures ($VSPC_FIXTURES_DIR, default "fixtures");
 * fails the running test if they cannot be read. Caller owns the value. */
json_t *test_load_fixtures(void);
/* Removes path and everything below it (also what a test made
 * unreadable). */
void test_rm_rf(const char *path);
/* The contents of path as a new string (caller frees); fails the running
 * test if it cannot be read. */
char *test_slurp(const char *path);
/* Permission bits of path; fails the running test if it does not exist. */
unsigned test_mode_of(const char *path);
/* Entries of dir other than . and .. */
int test_count_entries(const char *dir);
/* Seconds on the monotonic clock. */
double test_now(void);
/* Runs every test of s (forking or not) and returns the exit status:
 * 0 when all passed. */
/* The payload of a JWT (its second, base64url part), parsed; caller
 * decrefs. Fails the test when it is not a JWT of JSON. */
json_t *test_jwt_payload(const char *jwt);

int test_run_suite(Suite *s, enum fork_status fork);

#endif
