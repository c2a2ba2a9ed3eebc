/* test_files.c — unit tests for files.c: reading small text files, atomic
 * writes (their modes less the umask), syncing and creating directories,
 * existence tests and path joins, each on its success and error paths.
 * Temp dirs live under one mkdtemp root that main() removes, even when a
 * test fails.
 */
#include "base/files.h"

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define ERRLEN 512

/* Root temp dir; every test makes its own dir below it. */
static char root_dir[] = "/tmp/vspc-test-files-XXXXXX";

/* ----------------------------------------------------------- helpers */

/* Makes a fresh empty dir for one test under root_dir into buf. */
static void test_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/t-XXXXXX", root_dir);
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* buf = a/b */
static void join(char *buf, size_t n, const char *a, const char *b)
{
    int r = snprintf(buf, n, "%s/%s", a, b);
    ck_assert(r > 0 && (size_t)r < n);
}

/* Writes len bytes of data to path with mode 0600. */
static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0600), 0);
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}



static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}


/* Asserts err is a non-empty single line containing part. */
static void assert_err(const char *err, const char *part)
{
    ck_assert_msg(err[0] != '\0', "err is empty");
    ck_assert_msg(strchr(err, '\n') == NULL, "err has a newline: %s", err);
    ck_assert_msg(strstr(err, part) != NULL, "err \"%s\" lacks \"%s\"", err,
                  part);
}

/* Asserts files_read_text fails on path with an err containing part. */
static void expect_read_fails(const char *path, const char *kind,
                              size_t max_bytes, const char *part)
{
    char err[ERRLEN] = "";
    char *s = files_read_text(path, "test file", kind, max_bytes, err,
                              sizeof err);
    ck_assert_ptr_null(s);
    assert_err(err, part);
    ck_assert_ptr_nonnull(strstr(err, "test file"));
    ck_assert_ptr_nonnull(strstr(err, path));
    /* without an err buffer it still fails, quietly */
    ck_assert_ptr_null(files_read_text(path, "test file", kind, max_bytes,
                                       NULL, 0));
}

/* ------------------------------------------------------- path_join */

START_TEST(test_path_join)
{
    char *p = files_path_join("/data", "key.pem");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p, "/data/key.pem");
    free(p);
    p = files_path_join("rel/dir", "a");
    ck_assert_str_eq(p, "rel/dir/a");
    free(p);
    p = files_path_join("/data/", "x"); /* no trimming: one '/' added */
    ck_assert_str_eq(p, "/data//x");
    free(p);
    p = files_path_join("", "x");
    ck_assert_str_eq(p, "/x");
    free(p);
    p = files_path_join("d", "");
    ck_assert_str_eq(p, "d/");
    free(p);
}
END_TEST

/* ------------------------------------------------------------ read */

START_TEST(test_read_ok)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "a.txt");
    write_text(path, "hello\nworld\n");
    char err[ERRLEN] = "";
    char *s = files_read_text(path, "test file", NULL, 1024, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_str_eq(s, "hello\nworld\n");
    free(s);
    /* exactly max_bytes is still fine */
    s = files_read_text(path, "test file", "PEM", 12, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert_str_eq(s, "hello\nworld\n");
    free(s);
}
END_TEST

START_TEST(test_read_missing)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "nope");
    expect_read_fails(path, NULL, 1024, "cannot open test file");
    expect_read_fails(path, NULL, 1024, "No such file or directory");
}
END_TEST

START_TEST(test_read_not_regular)
{
    char t[1024];
    test_dir(t, sizeof t);
    expect_read_fails(t, NULL, 1024, "is not a regular file");
    if (access("/dev/null", R_OK) == 0)
        expect_read_fails("/dev/null", NULL, 1024, "is not a regular file");
}
END_TEST

START_TEST(test_read_not_a_directory_parent)
{
    char t[1024], file[1200], path[1300];
    test_dir(t, sizeof t);
    join(file, sizeof file, t, "file");
    write_text(file, "x");
    join(path, sizeof path, file, "child");
    expect_read_fails(path, NULL, 1024, "Not a directory");
}
END_TEST

START_TEST(test_read_unreadable)
{
    if (geteuid() == 0)
        return; /* root reads mode 0000 files; nothing to test */
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "secret");
    write_text(path, "x");
    ck_assert_int_eq(chmod(path, 0), 0);
    expect_read_fails(path, NULL, 1024, "cannot open test file");
}
END_TEST

START_TEST(test_read_empty)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "empty");
    write_text(path, "");
    expect_read_fails(path, NULL, 1024, "is empty");
    expect_read_fails(path, "PEM", 1024, "is empty");
}
END_TEST

START_TEST(test_read_nul_byte)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "bin");
    write_bytes(path, "-----BEGIN\0CERT", 15);
    expect_read_fails(path, "PEM", 1024, "is binary, not PEM text");
    expect_read_fails(path, NULL, 1024, "is binary, not text");
    /* a NUL as the very first byte too */
    write_bytes(path, "\0abc", 4);
    expect_read_fails(path, NULL, 1024, "is binary, not text");
}
END_TEST

START_TEST(test_read_too_large)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "big");
    write_text(path, "0123456789");
    expect_read_fails(path, "PEM", 9, "is too large to be PEM");
    char err[ERRLEN] = "";
    ck_assert_ptr_null(files_read_text(path, "test file", NULL, 9, err,
                                       sizeof err));
    char want[1400];
    snprintf(want, sizeof want, "test file %s is too large", path);
    ck_assert_str_eq(err, want);
    /* a big sparse file is refused before anything is allocated */
    ck_assert_int_eq(truncate(path, 2L * 1024 * 1024), 0);
    expect_read_fails(path, "PEM", 1024 * 1024, "too large");
    /* max_bytes 0 refuses every non-empty file */
    write_text(path, "x");
    expect_read_fails(path, NULL, 0, "too large");
}
END_TEST

START_TEST(test_read_tiny_err_buffer)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "nope");
    char tiny[8];
    memset(tiny, 'z', sizeof tiny);
    ck_assert_ptr_null(files_read_text(path, "test file", NULL, 10, tiny,
                                       sizeof tiny));
    ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
}
END_TEST

/* ----------------------------------------------------------- write */

START_TEST(test_write_creates_with_mode)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "out.txt");
    char err[ERRLEN] = "";
    ck_assert_msg(files_write_atomic(path, "first\n", 0640, err, sizeof err),
                  "%s", err);
    char *s = test_slurp(path);
    ck_assert_str_eq(s, "first\n");
    free(s);
    ck_assert_uint_eq(test_mode_of(path), 0640);
    ck_assert_int_eq(test_count_entries(t), 1); /* no temp file left */
}
END_TEST

START_TEST(test_write_replaces_content_and_mode)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "out.txt");
    write_text(path, "old content that is longer than the new one\n");
    ck_assert_int_eq(chmod(path, 0644), 0);
    struct stat before;
    ck_assert_int_eq(stat(path, &before), 0);
    char err[ERRLEN] = "";
    ck_assert_msg(files_write_atomic(path, "new\n", 0600, err, sizeof err),
                  "%s", err);
    char *s = test_slurp(path);
    ck_assert_str_eq(s, "new\n");
    free(s);
    ck_assert_uint_eq(test_mode_of(path), 0600);
    struct stat after;
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert(after.st_ino != before.st_ino); /* a new file renamed in */
    ck_assert_int_eq(test_count_entries(t), 1);
    /* an empty text makes an empty file */
    ck_assert_msg(files_write_atomic(path, "", 0644, err, sizeof err), "%s",
                  err);
    s = test_slurp(path);
    ck_assert_str_eq(s, "");
    free(s);
    ck_assert_uint_eq(test_mode_of(path), 0644);
}
END_TEST

START_TEST(test_write_honours_umask)
{
    /* the server runs with umask 077: what it asks 0644 (the certificate)
     * comes out owner-only, and the temp file is never wider either */
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "cert.pem");
    char err[ERRLEN] = "";
    mode_t old = umask(077);
    bool ok = files_write_atomic(path, "public\n", 0644, err, sizeof err);
    umask(old);
    ck_assert_msg(ok, "%s", err);
    ck_assert_uint_eq(test_mode_of(path), 0600);
    /* a wider umask never widens what was asked */
    old = umask(0);
    ok = files_write_atomic(path, "secret\n", 0600, err, sizeof err);
    umask(old);
    ck_assert_msg(ok, "%s", err);
    ck_assert_uint_eq(test_mode_of(path), 0600);
    ck_assert_int_eq(test_count_entries(t), 1);
}
END_TEST

START_TEST(test_write_many_temp_names)
{
    /* the temp names are random: many writes side by side never collide
     * and leave no temp file behind */
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    char err[ERRLEN] = "";
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%d", i % 4);
        join(path, sizeof path, t, name);
        ck_assert_msg(files_write_atomic(path, "x", 0600, err, sizeof err), "%s", err);
    }
    ck_assert_int_eq(test_count_entries(t), 4);
}
END_TEST

START_TEST(test_make_dir_honours_umask)
{
    char t[1024], d[1200];
    test_dir(t, sizeof t);
    join(d, sizeof d, t, "a/b");
    char err[ERRLEN] = "";
    mode_t old = umask(077);
    bool ok = files_make_dir(d, "data dir", err, sizeof err);
    umask(old);
    ck_assert_msg(ok, "%s", err);
    ck_assert_uint_eq(test_mode_of(d), 0700);
}
END_TEST

START_TEST(test_write_missing_dir)
{
    char t[1024], path[1200];
    test_dir(t, sizeof t);
    join(path, sizeof path, t, "no/such/file");
    char err[ERRLEN] = "";
    ck_assert(!files_write_atomic(path, "x", 0600, err, sizeof err));
    char want[1300];
    snprintf(want, sizeof want, "cannot create %s.tmp-", path);
    assert_err(err, want);
    assert_err(err, "No such file or directory");
    ck_assert_int_eq(test_count_entries(t), 0);
}
END_TEST

START_TEST(test_write_not_a_directory_parent)
{
    char t[1024], file[1200], path[1300];
    test_dir(t, sizeof t);
    join(file, sizeof file, t, "file");
    write_text(file, "keep");
    join(path, sizeof path, file, "child");
    char err[ERRLEN] = "";
    ck_assert(!files_write_atomic(path, "x", 0600, err, sizeof err));
    assert_err(err, "cannot create");
    assert_err(err, "Not a directory");
    char *s = test_slurp(file);
    ck_assert_str_eq(s, "keep");
    free(s);
}
END_TEST

START_TEST(test_write_rename_fails_cleans_up)
{
    /* the target is a non-empty directory: the rename fails and the temp
     * file is removed again */
    char t[1024], target[1200], inner[1300];
    test_dir(t, sizeof t);
    join(target, sizeof target, t, "target");
    ck_assert_int_eq(mkdir(target, 0700), 0);
    join(inner, sizeof inner, target, "x");
    write_text(inner, "x");
    char err[ERRLEN] = "";
    ck_assert(!files_write_atomic(target, "x", 0600, err, sizeof err));
    assert_err(err, "cannot rename into place");
    assert_err(err, target);
    ck_assert_int_eq(test_count_entries(t), 1); /* only the target dir */
    ck_assert(is_dir(target));
    ck_assert(!files_write_atomic(target, "x", 0600, NULL, 0));
}
END_TEST

START_TEST(test_write_unwritable_dir)
{
    char err[ERRLEN] = "";
    if (geteuid() != 0) {
        char t[1024], path[1200];
        test_dir(t, sizeof t);
        ck_assert_int_eq(chmod(t, 0500), 0);
        join(path, sizeof path, t, "f");
        ck_assert(!files_write_atomic(path, "x", 0600, err, sizeof err));
        assert_err(err, "cannot create");
        ck_assert_int_eq(chmod(t, 0700), 0);
        ck_assert_int_eq(test_count_entries(t), 0);
    }
    /* even root cannot create files in /proc/self */
    if (access("/proc/self/status", F_OK) == 0) {
        ck_assert(!files_write_atomic("/proc/self/f", "x", 0600, err,
                                      sizeof err));
        assert_err(err, "cannot create /proc/self/f.tmp-");
    }
}
END_TEST

/* -------------------------------------------------------- sync_dir */

START_TEST(test_sync_dir)
{
    char t[1024], file[1200], missing[1200];
    test_dir(t, sizeof t);
    char err[ERRLEN] = "";
    ck_assert_msg(files_sync_dir(t, err, sizeof err), "%s", err);
    ck_assert(files_sync_dir(t, NULL, 0));

    join(missing, sizeof missing, t, "missing");
    ck_assert(!files_sync_dir(missing, err, sizeof err));
    assert_err(err, "cannot open dir");
    assert_err(err, "No such file or directory");

    join(file, sizeof file, t, "file");
    write_text(file, "x");
    err[0] = '\0';
    ck_assert(!files_sync_dir(file, err, sizeof err));
    assert_err(err, "Not a directory");
    ck_assert(!files_sync_dir(file, NULL, 0));
}
END_TEST

/* -------------------------------------------------------- make_dir */

START_TEST(test_make_dir_nested)
{
    char t[1024], a[1200], abc[1300];
    test_dir(t, sizeof t);
    join(a, sizeof a, t, "a");
    join(abc, sizeof abc, a, "b/c");
    char err[ERRLEN] = "";
    ck_assert_msg(files_make_dir(abc, "data dir", err, sizeof err), "%s",
                  err);
    ck_assert(is_dir(abc));
    ck_assert_uint_eq(test_mode_of(a), 0700);
    ck_assert_uint_eq(test_mode_of(abc), 0700);
    /* again: an existing directory is fine */
    ck_assert_msg(files_make_dir(abc, "data dir", err, sizeof err), "%s",
                  err);
}
END_TEST

START_TEST(test_make_dir_existing_left_alone)
{
    char t[1024], d[1200];
    test_dir(t, sizeof t);
    join(d, sizeof d, t, "d");
    ck_assert_int_eq(mkdir(d, 0700), 0);
    ck_assert_int_eq(chmod(d, 0755), 0);
    char err[ERRLEN] = "";
    ck_assert_msg(files_make_dir(d, "data dir", err, sizeof err), "%s", err);
    ck_assert_uint_eq(test_mode_of(d), 0755);
    ck_assert_msg(files_make_dir(t, "data dir", err, sizeof err), "%s", err);
}
END_TEST

START_TEST(test_make_dir_slashes)
{
    char t[1024], p[1300], want[1300];
    test_dir(t, sizeof t);
    /* doubled and trailing slashes */
    snprintf(p, sizeof p, "%s/x//y/", t);
    char err[ERRLEN] = "";
    ck_assert_msg(files_make_dir(p, "data dir", err, sizeof err), "%s", err);
    join(want, sizeof want, t, "x/y");
    ck_assert(is_dir(want));
    /* "/" already exists */
    ck_assert_msg(files_make_dir("/", "data dir", err, sizeof err), "%s",
                  err);
}
END_TEST

START_TEST(test_make_dir_relative)
{
    char t[1024], cwd[4096];
    test_dir(t, sizeof t);
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(t), 0);
    char err[ERRLEN] = "";
    bool ok = files_make_dir("rel/sub", "data dir", err, sizeof err);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(ok, "%s", err);
    char want[1200];
    join(want, sizeof want, t, "rel/sub");
    ck_assert(is_dir(want));
}
END_TEST

START_TEST(test_make_dir_file_in_the_way)
{
    char t[1024], file[1200], below[1300];
    test_dir(t, sizeof t);
    join(file, sizeof file, t, "file");
    write_text(file, "x");
    char err[ERRLEN] = "";
    /* a regular file where the dir itself should be */
    ck_assert(!files_make_dir(file, "data dir", err, sizeof err));
    char want[1300];
    snprintf(want, sizeof want, "cannot create data dir %s: Not a directory",
             file);
    ck_assert_str_eq(err, want);
    /* ... and where a parent should be */
    join(below, sizeof below, file, "sub/data");
    ck_assert(!files_make_dir(below, "key dir", err, sizeof err));
    assert_err(err, "cannot create key dir");
    assert_err(err, "Not a directory");
    ck_assert(!files_make_dir(below, "key dir", NULL, 0));
    char *s = test_slurp(file);
    ck_assert_str_eq(s, "x");
    free(s);
}
END_TEST

START_TEST(test_make_dir_empty_path)
{
    char err[ERRLEN] = "";
    ck_assert(!files_make_dir("", "data dir", err, sizeof err));
    assert_err(err, "cannot create data dir");
}
END_TEST

START_TEST(test_make_dir_unwritable_parent)
{
    if (geteuid() == 0)
        return; /* root may create anywhere; nothing to test */
    char t[1024], d[1200];
    test_dir(t, sizeof t);
    ck_assert_int_eq(chmod(t, 0500), 0);
    join(d, sizeof d, t, "d");
    char err[ERRLEN] = "";
    bool ok = files_make_dir(d, "data dir", err, sizeof err);
    ck_assert_int_eq(chmod(t, 0700), 0);
    ck_assert(!ok);
    assert_err(err, "Permission denied");
}
END_TEST

/* ---------------------------------------------------------- exists */

START_TEST(test_exists)
{
    char t[1024], file[1200], missing[1200], below[1300];
    test_dir(t, sizeof t);
    join(file, sizeof file, t, "file");
    write_text(file, "x");
    join(missing, sizeof missing, t, "missing");
    char err[ERRLEN] = "";
    ck_assert_int_eq(files_exists(file, err, sizeof err), 1);
    ck_assert_int_eq(files_exists(t, err, sizeof err), 1);
    ck_assert_int_eq(files_exists(missing, err, sizeof err), 0);
    ck_assert_str_eq(err, ""); /* no error for a plain "no" */
    /* below a regular file: cannot tell, so an error */
    join(below, sizeof below, file, "x");
    ck_assert_int_eq(files_exists(below, err, sizeof err), -1);
    char want[1400];
    snprintf(want, sizeof want, "cannot stat %s: Not a directory", below);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(files_exists(below, NULL, 0), -1);
}
END_TEST

/* ------------------------------------------------------------- main */

static Suite *files_suite(void)
{
    Suite *s = suite_create("files");

    TCase *tc = tcase_create("path_join");
    tcase_add_test(tc, test_path_join);
    suite_add_tcase(s, tc);

    tc = tcase_create("read");
    tcase_add_test(tc, test_read_ok);
    tcase_add_test(tc, test_read_missing);
    tcase_add_test(tc, test_read_not_regular);
    tcase_add_test(tc, test_read_not_a_directory_parent);
    tcase_add_test(tc, test_read_unreadable);
    tcase_add_test(tc, test_read_empty);
    tcase_add_test(tc, test_read_nul_byte);
    tcase_add_test(tc, test_read_too_large);
    tcase_add_test(tc, test_read_tiny_err_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("write");
    tcase_add_test(tc, test_write_creates_with_mode);
    tcase_add_test(tc, test_write_replaces_content_and_mode);
    tcase_add_test(tc, test_write_honours_umask);
    tcase_add_test(tc, test_write_many_temp_names);
    tcase_add_test(tc, test_write_missing_dir);
    tcase_add_test(tc, test_write_not_a_directory_parent);
    tcase_add_test(tc, test_write_rename_fails_cleans_up);
    tcase_add_test(tc, test_write_unwritable_dir);
    suite_add_tcase(s, tc);

    tc = tcase_create("dirs");
    tcase_add_test(tc, test_sync_dir);
    tcase_add_test(tc, test_make_dir_nested);
    tcase_add_test(tc, test_make_dir_honours_umask);
    tcase_add_test(tc, test_make_dir_existing_left_alone);
    tcase_add_test(tc, test_make_dir_slashes);
    tcase_add_test(tc, test_make_dir_relative);
    tcase_add_test(tc, test_make_dir_file_in_the_way);
    tcase_add_test(tc, test_make_dir_empty_path);
    tcase_add_test(tc, test_make_dir_unwritable_parent);
    tcase_add_test(tc, test_exists);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    umask(022); /* so that 0700 directories come out as 0700 */
    if (!mkdtemp(root_dir)) {
        perror("test_files: mkdtemp");
        return EXIT_FAILURE;
    }
    int status = test_run_suite(files_suite(), CK_FORK);
    test_rm_rf(root_dir);
    return status;
}
