/* testutil.c — see testutil.h. */
#include "testutil.h"

#include "contract/entities.h"
#include "contract/entity_links.h"
#include "world/fixtures.h"

#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

entity_model *test_model_of(const contract *c)
{
    char mapping_file[1024], err[256];
    snprintf(mapping_file, sizeof mapping_file, "%s/entities.json", test_schema_dir());
    json_t *mapping = json_load_file(mapping_file, 0, NULL);
    ck_assert_msg(mapping != NULL, "cannot read %s", mapping_file);
    entity_model *m = entities_build(c, mapping, err, sizeof err);
    json_decref(mapping);
    ck_assert_msg(m != NULL && entity_links_check(m, err, sizeof err), "%s", err);
    /* an older version's model is linked to the newest's, as the server
     * links it (entities_link); the newest model lives to the end */
    static contract *newest_doc;
    static entity_model *newest;
    if (strcmp(c->version, "3.6.1")) {
        if (!newest) {
            newest_doc = test_load_contract("3.6.1");
            newest = test_model_of(newest_doc);
        }
        ck_assert_msg(entities_link(m, newest, err, sizeof err), "%s", err);
    }
    return m;
}

json_t *test_load_fixtures(void)
{
    const char *dir = getenv("VSPC_FIXTURES_DIR");
    char err[512];
    json_t *fixtures = fixtures_load(dir ? dir : "fixtures", err, sizeof err);
    ck_assert_msg(fixtures != NULL, "%s", err);
    return fixtures;
}

void test_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700); /* in case a test took permissions away */
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            test_rm_rf(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
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

char *test_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert(n >= 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

unsigned test_mode_of(const char *path)
{
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "%s missing", path);
    return st.st_mode & 07777;
}

int test_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

double test_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

json_t *test_jwt_payload(const char *jwt)
{
    ck_assert_ptr_nonnull(jwt);
    const char *a = strchr(jwt, '.'), *b = a ? strchr(a + 1, '.') : NULL;
    ck_assert_ptr_nonnull(b);
    size_t n = (size_t)(b - a - 1);
    char *text = malloc(n + 4);
    unsigned char *raw = malloc(n + 4);
    ck_assert(text && raw);
    for (size_t i = 0; i < n; i++)
        text[i] = a[1 + i] == '-' ? '+' : a[1 + i] == '_' ? '/' : a[1 + i];
    while (n % 4)
        text[n++] = '=';
    text[n] = 0;
    int len = EVP_DecodeBlock(raw, (unsigned char *)text, (int)n);
    ck_assert_int_gt(len, 0);
    while (len > 0 && raw[len - 1] == 0) /* the padding's zero bytes */
        len--;
    json_t *j = json_loadb((const char *)raw, (size_t)len, 0, NULL);
    ck_assert_ptr_nonnull(j);
    free(text);
    free(raw);
    return j;
}

store *test_open_db_copy(const char *data_dir, char *dir, size_t len)
{
    ck_assert_uint_ge(len, 32);
    snprintf(dir, len, "/tmp/vspc-dbcopy-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[1400], db[512], err[256];
    snprintf(cmd, sizeof cmd,
             "cp '%s/vspc.db' '%s/' && { [ ! -f '%s/vspc.db-wal' ] || cp '%s/vspc.db-wal' '%s/'; }",
             data_dir, dir, data_dir, data_dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    return st;
}

void test_close_db_copy(store *st, const char *dir)
{
    store_close(st);
    test_rm_rf(dir);
}

const test_login test_default_users[] = {
    {"administrator", "Password1"},        {"operator", "Operator#2026"},
    {"readonly", "Readonly#2026"},         {"siteadmin", "Siteadmin#2026"},
    {"nimbus.owner", "NimbusOwner#2026"},  {"nimbus.admin", "NimbusAdmin#2026"},
    {"nimbus.operator", "NimbusOperator#2026"}, {"nimbus.user", "NimbusUser#2026"},
    {"nimbus.auditor", "NimbusAuditor#2026"},   {"alphauser", "Alphauser#2026"},
    {"alpha_admin", "AlphaAdmin#2026"},    {"alpha.locadmin", "AlphaLocadmin#2026"},
    {"alpha.locuser", "AlphaLocuser#2026"}, {"alpha.auditor", "AlphaAuditor#2026"},
    {"alpha.subtenant", "AlphaSubtenant#2026"}, {"alpha.tenant", "AlphaTenant#2026"},
};
const size_t test_ndefault_users = sizeof test_default_users / sizeof test_default_users[0];

const json_t *test_fixture_user(const json_t *fixtures, const char *login)
{
    size_t i;
    const json_t *u;
    json_array_foreach(json_object_get(fixtures, "User"), i, u)
        if (!strcmp(json_string_value(json_object_get(u, "userName")), login))
            return u;
    ck_abort_msg("no fixture user %s", login);
    return NULL;
}

principal test_principal_of(const json_t *fixtures, const char *login)
{
    const json_t *u = test_fixture_user(fixtures, login);
    principal p = {.known = true};
    snprintf(p.user_uid, sizeof p.user_uid, "%s",
             json_string_value(json_object_get(u, "instanceUid")));
    snprintf(p.user_name, sizeof p.user_name, "%s", login);
    snprintf(p.role, sizeof p.role, "%s", json_string_value(json_object_get(u, "role")));
    snprintf(p.org_uid, sizeof p.org_uid, "%s",
             json_string_value(json_object_get(u, "organizationUid")));
    return p;
}
