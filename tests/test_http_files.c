/* test_http_files.c — the server's data dir is owner-only: started on a data
 * dir that does not exist yet (so the server creates it and its parent),
 * with TLS on (so it writes its certificate and key too), every directory
 * it made is 0700 and every file in it 0600 — the database with its -wal and
 * -shm, the TLS pair, the signing keys, whatever else is there — although
 * this test runs with umask 022. A database a user widened is tightened at
 * the next start.
 */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpclient.h"
#include "testutil.h"

/* Asserts the mode of path and, for a directory, of everything below it;
 * counts the regular files seen into *files. */
static void assert_owner_only(const char *path, int *files)
{
    struct stat st;
    ck_assert_msg(lstat(path, &st) == 0, "cannot stat %s", path);
    mode_t mode = st.st_mode & 07777;
    if (!S_ISDIR(st.st_mode)) {
        ck_assert_msg(S_ISREG(st.st_mode), "%s is neither a file nor a directory", path);
        ck_assert_msg(mode == 0600, "file %s has mode %04o, not 0600", path, (unsigned)mode);
        (*files)++;
        return;
    }
    ck_assert_msg(mode == 0700, "dir %s has mode %04o, not 0700", path, (unsigned)mode);
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char child[1024];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        assert_owner_only(child, files);
    }
    closedir(d);
}

static mode_t mode_of(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return test_mode_of(path);
}

START_TEST(data_dir_is_owner_only)
{
    char root[] = "/tmp/vspc-test-files-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(root));
    char top[128], data[160];
    snprintf(top, sizeof top, "%s/state", root);
    snprintf(data, sizeof data, "%s/data", top);
    test_server s;
    const char *args[] = {"--tls", "on", NULL};
    server_start_at(&s, data, args);
    /* a write, so that the database's WAL is in use */
    char url[256];
    snprintf(url, sizeof url, "%s/api/v3/about", s.base);
    http_result r;
    bool was = http_call_insecure(true);
    ck_assert(http_call("GET", url, NULL, NULL, 0, NULL, &r));
    http_call_insecure(was);
    ck_assert_int_eq(r.status, 200);
    http_result_free(&r);

    int files = 0;
    assert_owner_only(top, &files); /* both dirs the server made */
    ck_assert_uint_eq(mode_of(data, "vspc.db"), 0600);
    ck_assert_uint_eq(mode_of(data, "vspc.db-wal"), 0600);
    /* no -shm file: the WAL index lives in the server's memory (unix-excl) */
    char shm[600];
    snprintf(shm, sizeof shm, "%s/vspc.db-shm", data);
    ck_assert_int_ne(access(shm, F_OK), 0);
    ck_assert_uint_eq(mode_of(data, "cert.pem"), 0600);
    ck_assert_uint_eq(mode_of(data, "key.pem"), 0600);
    ck_assert_int_ge(files, 5);

    /* a database widened while the server was down is tightened at start */
    ck_assert_int_eq(server_halt(&s, SIGTERM), 0);
    char db[256];
    snprintf(db, sizeof db, "%s/vspc.db", data);
    ck_assert_int_eq(chmod(db, 0666), 0);
    server_start_at(&s, data, args);
    ck_assert_uint_eq(mode_of(data, "vspc.db"), 0600);
    files = 0;
    assert_owner_only(top, &files);
    ck_assert_int_eq(server_stop(&s), 0);
    test_rm_rf(root);
}
END_TEST

int main(void)
{
    umask(022); /* the usual one: the server must not rely on its parent's */
    Suite *su = suite_create("http_files");
    TCase *tc = tcase_create("files");
    tcase_add_test(tc, data_dir_is_owner_only);
    suite_add_tcase(su, tc);
    return test_run_suite(su, CK_FORK);
}
