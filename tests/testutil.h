/* testutil.h — what every test program shares: where the contract is and
 * how a suite is run. */
#ifndef VSPC_TEST_UTIL_H
#define VSPC_TEST_UTIL_H

#include <check.h>
#include <stddef.h>

#include "auth/auth.h"
#include "contract/contract.h"
#include "store/store.h"

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

/* A copy of the database of the server running on data_dir, opened: the
 * server holds its file exclusively (SQLite's unix-excl VFS), so tests read
 * a copy of vspc.db and its WAL, which SQLite recovers on open as after a
 * crash. The copy lives in a new folder whose path goes into dir (at least
 * 32 bytes); test_close_db_copy closes it and removes the folder. Fails the
 * running test if it cannot be made. */
store *test_open_db_copy(const char *data_dir, char *dir, size_t len);
void test_close_db_copy(store *st, const char *dir);

/* The 16 default users of README "Default credentials", one per role. */
typedef struct test_login {
    const char *login, *password;
} test_login;
extern const test_login test_default_users[];
extern const size_t test_ndefault_users;
/* The fixture User record of login (fails the running test when there is
 * none), and the principal a sign-in of it makes. */
const json_t *test_fixture_user(const json_t *fixtures, const char *login);
principal test_principal_of(const json_t *fixtures, const char *login);

#endif
