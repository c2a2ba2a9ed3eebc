/* test_store.c — the SQLite store: put/get/update/delete, conflicts, scoped
 * and paged lists assembled from stored text, cascades, transactions,
 * per-thread connections, durability across reopening, the database
 * files being owner-only (0600) whatever the umask, expression indexes
 * capped (least recently used dropped, made again when needed) and the
 * indexed lookup of unique names. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "testutil.h"

static char dir[64];
static char db[128];
static store *s;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/vspc-store-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    char err[256];
    s = store_open(db, err, sizeof err);
    ck_assert_msg(s != NULL, "%s", err);
}

static void teardown(void)
{
    store_close(s);
    test_rm_rf(dir);
}

/* Puts a Company-like record {instanceUid, name, resellerUid}. */
static store_status put_company(const char *uid, const char *name, const char *reseller)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "instanceUid", uid, "name", name, "resellerUid",
                             reseller);
    store_record rec = {"Company", uid, uid, NULL, body, NULL, NULL, NULL};
    store_status st = store_put(s, &rec, false);
    json_decref(body);
    return st;
}

START_TEST(put_get_update_delete)
{
    ck_assert_int_eq(put_company("c1", "Alpha", "r1"), STORE_OK);
    ck_assert_int_eq(put_company("c1", "Alpha again", "r1"), STORE_CONFLICT);
    json_t *got, *scope;
    ck_assert_int_eq(store_get(s, "Company", "c1", &got, &scope), STORE_OK);
    ck_assert_str_eq(json_string_value(json_object_get(got, "name")), "Alpha");
    ck_assert(json_is_object(scope) && json_object_size(scope) == 0);
    json_object_set_new(got, "name", json_string("Alpha Ltd"));
    ck_assert_int_eq(store_update(s, "Company", "c1", got), STORE_OK);
    json_decref(got);
    json_decref(scope);
    buf text;
    buf_init(&text);
    ck_assert_int_eq(store_get_text(s, "Company", "c1", &text), STORE_OK);
    ck_assert_str_eq(text.data, "{\"instanceUid\":\"c1\",\"name\":\"Alpha Ltd\",\"resellerUid\":\"r1\"}");
    buf_free(&text);
    ck_assert_int_eq(store_get(s, "Company", "nope", &got, NULL), STORE_NOT_FOUND);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(store_get(s, "Reseller", "c1", &got, NULL), STORE_NOT_FOUND);
    ck_assert_int_eq(store_update(s, "Company", "nope", got), STORE_NOT_FOUND);
    ck_assert_int_eq(store_delete(s, "Company", "c1"), STORE_OK);
    ck_assert_int_eq(store_delete(s, "Company", "c1"), STORE_NOT_FOUND);
    ck_assert_int_eq(store_count(s, "Company"), 0);
}
END_TEST

START_TEST(replace_keeps_one_record)
{
    json_t *body = json_pack("{s:i}", "v", 1);
    store_record rec = {"T", "u", NULL, NULL, body, NULL, NULL, NULL};
    ck_assert_int_eq(store_put(s, &rec, true), STORE_OK);
    json_object_set_new(body, "v", json_integer(2));
    ck_assert_int_eq(store_put(s, &rec, true), STORE_OK);
    ck_assert_int_eq(store_count(s, "T"), 1);
    json_t *got;
    ck_assert_int_eq(store_get(s, "T", "u", &got, NULL), STORE_OK);
    ck_assert_int_eq(json_integer_value(json_object_get(got, "v")), 2);
    json_decref(got);
    json_decref(body);
    store_record bad = {NULL, "u", NULL, NULL, NULL, NULL, NULL, NULL};
    ck_assert_int_eq(store_put(s, &bad, false), STORE_ERROR);
}
END_TEST

START_TEST(lists_page_and_scope)
{
    char uid[16], name[16];
    for (int i = 0; i < 25; i++) {
        snprintf(uid, sizeof uid, "c%02d", i);
        snprintf(name, sizeof name, "Company %d", i);
        ck_assert_int_eq(put_company(uid, name, i % 2 ? "r1" : "r2"), STORE_OK);
    }
    /* a record reachable through a key it does not carry */
    json_t *scope = json_pack("{s:s}", "siteUid", "s9"), *body = json_pack("{s:s}", "instanceUid", "x");
    store_record rec = {"Company", "x", NULL, scope, body, NULL, NULL, NULL};
    ck_assert_int_eq(store_put(s, &rec, false), STORE_OK);
    json_decref(scope);
    json_decref(body);

    buf page;
    buf_init(&page);
    long total;
    ck_assert_int_eq(store_list(s, "Company", NULL, 10, 3, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 26);
    json_t *arr = json_loads(page.data, 0, NULL);
    ck_assert_uint_eq(json_array_size(arr), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 0), "instanceUid")), "c10");
    json_decref(arr);
    buf_free(&page);

    store_filter by_reseller = {1, {"resellerUid"}, {"r1"}};
    ck_assert_int_eq(store_list(s, "Company", &by_reseller, 0, 100, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 12);
    buf_free(&page);
    /* totals are remembered, and forgotten by the next write */
    ck_assert_int_eq(put_company("late", "Late", "r1"), STORE_OK);
    ck_assert_int_eq(store_list(s, "Company", &by_reseller, 0, 100, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 13);
    buf_free(&page);
    ck_assert_int_eq(store_delete(s, "Company", "late"), STORE_OK);
    ck_assert_int_eq(store_list(s, "Company", &by_reseller, 0, 100, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 12);
    buf_free(&page);
    ck_assert_int_eq(store_list(s, "Company", NULL, 0, 1, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 26); /* the per-type count kept by triggers */
    buf_free(&page);
    store_filter by_site = {1, {"siteUid"}, {"s9"}};
    ck_assert_int_eq(store_list(s, "Company", &by_site, 0, 100, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 1);
    ck_assert_str_eq(page.data, "[{\"instanceUid\":\"x\"}]");
    buf_free(&page);
    /* past the end: empty page, total still right */
    ck_assert_int_eq(store_list(s, "Company", &by_reseller, 50, 10, &total, &page), STORE_OK);
    ck_assert_str_eq(page.data, "[]");
    ck_assert_int_eq(total, 12);
    buf_free(&page);
    /* a value that looks like SQL is only a value; a key must be a name */
    store_filter nasty = {1, {"name"}, {"' OR '1'='1"}};
    ck_assert_int_eq(store_list(s, "Company", &nasty, 0, 100, &total, &page), STORE_OK);
    ck_assert_int_eq(total, 0);
    buf_free(&page);
    store_filter bad_key = {1, {"name') OR 1=1 --"}, {"x"}};
    ck_assert_int_eq(store_list(s, "Company", &bad_key, 0, 100, &total, &page), STORE_ERROR);
    ck_assert_int_eq(store_delete_where(s, "Company", "a.b", "x", NULL), STORE_ERROR);
    buf_free(&page);

    long n;
    ck_assert_int_eq(store_delete_where(s, "Company", "resellerUid", "r2", &n), STORE_OK);
    ck_assert_int_eq(n, 13);
    ck_assert_int_eq(store_count(s, "Company"), 13);
    ck_assert_int_eq(store_count(s, NULL), 13);
}
END_TEST

START_TEST(transactions)
{
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("a", "A", "r"), STORE_OK);
    store_rollback(s);
    ck_assert_int_eq(store_count(s, "Company"), 0);
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("a", "A", "r"), STORE_OK);
    ck_assert(store_commit(s));
    ck_assert_int_eq(store_count(s, "Company"), 1);
    ck_assert(!store_commit(s)); /* no transaction open */
}
END_TEST

/* A rewrite of body and scope keeps the owner columns. */
START_TEST(update_with_scope_keeps_owners)
{
    ck_assert_int_eq(put_company("a", "A", "r"), STORE_OK);
    json_t *body = json_pack("{s:s}", "name", "A2"), *scope = json_pack("{s:s}", "k", "v");
    ck_assert_int_eq(store_update_with_scope(s, "Company", "a", body, scope), STORE_OK);
    ck_assert_int_eq(store_update_with_scope(s, "Company", "none", body, scope), STORE_NOT_FOUND);
    json_decref(body);
    json_decref(scope);
    json_t *got = NULL, *got_scope = NULL;
    ck_assert_int_eq(store_get(s, "Company", "a", &got, &got_scope), STORE_OK);
    ck_assert_str_eq(json_string_value(json_object_get(got, "name")), "A2");
    ck_assert_str_eq(json_string_value(json_object_get(got_scope, "k")), "v");
    json_decref(got);
    json_decref(got_scope);
    store_owner o;
    ck_assert_int_eq(store_owner_get(s, "Company", "a", &o), STORE_OK);
    ck_assert_str_eq(o.org, "a");
}
END_TEST

/* A begin within a transaction is a savepoint: its rollback undoes only
 * its own writes, and what it commits lands only with the outer commit. */
START_TEST(nested_transactions)
{
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("a", "A", "r"), STORE_OK);
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("b", "B", "r"), STORE_OK);
    store_rollback(s); /* b only */
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("c", "C", "r"), STORE_OK);
    ck_assert(store_commit(s)); /* c kept for the outer transaction */
    ck_assert(store_commit(s));
    ck_assert_int_eq(store_count(s, "Company"), 2);
    json_t *body = NULL;
    ck_assert_int_eq(store_get(s, "Company", "b", &body, NULL), STORE_NOT_FOUND);
    ck_assert(store_begin(s));
    ck_assert(store_begin(s));
    ck_assert_int_eq(put_company("d", "D", "r"), STORE_OK);
    ck_assert(store_commit(s));
    store_rollback(s); /* the outer one undoes the inner one's commit */
    ck_assert_int_eq(store_count(s, "Company"), 2);
    ck_assert(!store_commit(s));
}
END_TEST

static void *writer(void *arg)
{
    int base = *(int *)arg;
    for (int i = 0; i < 50; i++) {
        char uid[32];
        snprintf(uid, sizeof uid, "t%d-%d", base, i);
        if (put_company(uid, uid, "r") != STORE_OK)
            return (void *)1;
    }
    return NULL;
}

START_TEST(threads_have_their_own_connections)
{
    pthread_t t[4];
    int base[4] = {0, 1, 2, 3};
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, writer, &base[i]);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        ck_assert_ptr_null(r);
    }
    ck_assert_int_eq(store_count(s, "Company"), 200);
}
END_TEST

START_TEST(survives_reopening)
{
    ck_assert_int_eq(put_company("p", "Persistent", "r"), STORE_OK);
    store_close(s);
    char err[256];
    s = store_open(db, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    json_t *got;
    ck_assert_int_eq(store_get(s, "Company", "p", &got, NULL), STORE_OK);
    json_decref(got);
}
END_TEST

START_TEST(bad_path)
{
    char err[256];
    ck_assert_ptr_null(store_open("/nonexistent/dir/vspc.db", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir/vspc.db"));
}
END_TEST

/* Permission bits of db plus suffix ("", "-wal", "-shm"). */
static mode_t db_mode(const char *suffix)
{
    char path[160];
    snprintf(path, sizeof path, "%s%s", db, suffix);
    struct stat st;
    ck_assert_msg(stat(path, &st) == 0, "%s missing", path);
    return st.st_mode & 07777;
}

START_TEST(files_are_owner_only)
{
    /* main() set umask 022, under which SQLite alone would make 0644 */
    ck_assert_int_eq(put_company("m", "Mode", "r"), STORE_OK);
    ck_assert_uint_eq(db_mode(""), 0600);
    ck_assert_uint_eq(db_mode("-wal"), 0600);
    /* and no -shm: the WAL index is in this process's memory (STORE_VFS) */
    char shm[160];
    snprintf(shm, sizeof shm, "%s-shm", db);
    ck_assert_int_ne(access(shm, F_OK), 0);
}
END_TEST

START_TEST(wider_files_are_tightened)
{
    /* files left wider (an older version, a copy): opening tightens both */
    ck_assert_int_eq(put_company("w", "Wide", "r"), STORE_OK);
    static const char *const suffixes[] = {"", "-wal"};
    for (size_t i = 0; i < 2; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        ck_assert_int_eq(chmod(path, 0644), 0);
    }
    char err[256];
    store *again = store_open(db, err, sizeof err);
    ck_assert_msg(again != NULL, "%s", err);
    for (size_t i = 0; i < 2; i++)
        ck_assert_uint_eq(db_mode(suffixes[i]), 0600);
    json_t *got;
    ck_assert_int_eq(store_get(again, "Company", "w", &got, NULL), STORE_OK);
    json_decref(got);
    store_close(again);
}
END_TEST

/* ---- expression indexes: bounded, least recently used dropped ---------- */

#define FIELDS (STORE_MAX_INDEXES + 24)

/* Records r0..r29 of type Item, each with f0..f<FIELDS-1> = i % 5. */
static void put_items(void)
{
    for (int i = 0; i < 30; i++) {
        char uid[16], key[16];
        snprintf(uid, sizeof uid, "r%d", i);
        json_t *body = json_pack("{s:s}", "instanceUid", uid);
        for (int k = 0; k < FIELDS; k++) {
            snprintf(key, sizeof key, "f%d", k);
            json_object_set_new(body, key, json_integer(i % 5));
        }
        store_record rec = {"Item", uid, NULL, NULL, body, NULL, NULL, NULL};
        ck_assert_int_eq(store_put(s, &rec, false), STORE_OK);
        json_decref(body);
    }
}

/* The index columns of field k, as query.c writes them. */
static json_t *field_columns(int k)
{
    char col[64];
    snprintf(col, sizeof col, "json_extract(body, '$.\"f%d\"')", k);
    return json_pack("[s]", col);
}

/* Asks the store for the index of field k; returns its name. */
static const char *ensure_field(int k)
{
    static char name[32];
    json_t *cols = field_columns(k);
    json_t *list = json_pack("[O]", cols);
    ck_assert(store_ensure_indexes(s, list));
    store_index_name(cols, name, sizeof name);
    json_decref(list);
    json_decref(cols);
    return name;
}

/* Expression indexes in the database file. */
static long indexes_in_file(void)
{
    json_t *rows = NULL;
    ck_assert_int_eq(store_exec(s, "SELECT count(*) FROM sqlite_master"
                                   " WHERE type = 'index' AND name GLOB 'ix_*'",
                                NULL, 1, &rows, NULL),
                     STORE_OK);
    long n = (long)json_integer_value(json_array_get(json_array_get(rows, 0), 0));
    json_decref(rows);
    return n;
}

/* Items whose field k is v, walking index (may be NULL): their count, and
 * the list's total. */
static void items_where(int k, int v, const char *index, size_t *count, long *total)
{
    char where[64];
    snprintf(where, sizeof where, "json_extract(r.body, '$.\"f%d\"') = ?", k);
    json_t *args = json_pack("[i]", v);
    store_query q = {.where = where, .where_args = args, .use_index = index};
    buf out;
    buf_init(&out);
    ck_assert_int_eq(store_query_list(s, "Item", &q, 0, 100, total, &out), STORE_OK);
    json_t *page = json_loads(out.data, 0, NULL);
    *count = json_array_size(page);
    json_decref(page);
    buf_free(&out);
    json_decref(args);
}

START_TEST(indexes_are_capped_least_recently_used_first)
{
    put_items();
    store_index_budget(s, 1000, 1); /* the cap, not the pace, is tested here */
    char first[32], kept[32];
    snprintf(first, sizeof first, "%s", ensure_field(1));
    snprintf(kept, sizeof kept, "%s", ensure_field(0));
    for (int k = 2; k < FIELDS; k++) {
        ensure_field(k);
        ensure_field(0); /* used all along: never the one dropped */
        ck_assert_int_le(indexes_in_file(), STORE_MAX_INDEXES);
    }
    ck_assert_int_eq(indexes_in_file(), STORE_MAX_INDEXES);
    ck_assert(store_index_made(s, kept));
    ck_assert(!store_index_made(s, first));
    /* a query naming the dropped index still answers, without it */
    size_t count;
    long total;
    items_where(1, 3, first, &count, &total);
    ck_assert_uint_eq(count, 6);
    ck_assert_int_eq(total, 6);
    /* needed again, it is made again, and the cap holds */
    ck_assert_str_eq(ensure_field(1), first);
    ck_assert(store_index_made(s, first));
    ck_assert_int_eq(indexes_in_file(), STORE_MAX_INDEXES);
    items_where(1, 3, first, &count, &total);
    ck_assert_uint_eq(count, 6);
    ck_assert_int_eq(total, 6);
    items_where(FIELDS - 1, 0, NULL, &count, &total);
    ck_assert_uint_eq(count, 6);
}
END_TEST

START_TEST(indexes_of_an_earlier_run_count)
{
    put_items();
    store_index_budget(s, 1000, 1);
    for (int k = 0; k < STORE_MAX_INDEXES; k++)
        ensure_field(k);
    store_close(s);
    char err[256];
    s = store_open(db, err, sizeof err);
    ck_assert_ptr_nonnull(s);
    store_index_budget(s, 1000, 1);
    /* found in the file, they count against the cap: a new one drops one */
    char name[32];
    snprintf(name, sizeof name, "%s", ensure_field(FIELDS - 1));
    ck_assert(store_index_made(s, name));
    ck_assert_int_eq(indexes_in_file(), STORE_MAX_INDEXES);
    size_t count;
    long total;
    items_where(FIELDS - 1, 4, name, &count, &total);
    ck_assert_uint_eq(count, 6);
}
END_TEST

/* Builds are rationed in time: a client cycling through new query shapes
 * gets answers without new indexes once the burst is spent, and a build
 * again after the pace's interval. */
START_TEST(index_builds_are_rationed)
{
    put_items();
    store_index_budget(s, 3, 0.5);
    for (int k = 0; k < 8; k++)
        ensure_field(k);
    ck_assert_int_eq(indexes_in_file(), 3);
    size_t count;
    long total;
    char name[32];
    snprintf(name, sizeof name, "%s", ensure_field(7)); /* not built: answered without it */
    ck_assert(!store_index_made(s, name));
    items_where(7, 3, name, &count, &total);
    ck_assert_uint_eq(count, 6);
    ck_assert_int_eq(total, 6);
    usleep(600 * 1000);
    ensure_field(7);
    ck_assert(store_index_made(s, name));
    ck_assert_int_eq(indexes_in_file(), 4);
}
END_TEST

START_TEST(index_limits_per_call)
{
    put_items();
    /* one call makes at most STORE_NEW_INDEXES_PER_CALL new ones */
    json_t *list = json_array();
    for (int k = 0; k < 10; k++)
        json_array_append_new(list, field_columns(k));
    ck_assert(store_ensure_indexes(s, list));
    json_decref(list);
    ck_assert_int_eq(indexes_in_file(), STORE_NEW_INDEXES_PER_CALL);
    /* an index of too many columns is not made */
    json_t *wide = json_array();
    for (int k = 0; k <= STORE_MAX_INDEX_COLUMNS; k++) {
        json_t *cols = field_columns(k);
        json_array_extend(wide, cols);
        json_decref(cols);
    }
    list = json_pack("[O]", wide);
    ck_assert(store_ensure_indexes(s, list));
    char name[32];
    store_index_name(wide, name, sizeof name);
    ck_assert(!store_index_made(s, name));
    ck_assert_int_eq(indexes_in_file(), STORE_NEW_INDEXES_PER_CALL);
    json_decref(list);
    json_decref(wide);
}
END_TEST

START_TEST(find_by_a_unique_property)
{
    ck_assert_int_eq(put_company("u1", "Alpha", "r"), STORE_OK);
    ck_assert_int_eq(put_company("u2", "Beta", "r"), STORE_OK);
    char *uid = NULL;
    ck_assert_int_eq(store_find_by(s, "Company", "name", "Beta", &uid), STORE_OK);
    ck_assert_str_eq(uid, "u2");
    free(uid);
    ck_assert_int_eq(store_find_by(s, "Company", "name", "Gamma", &uid), STORE_NOT_FOUND);
    ck_assert_ptr_null(uid);
    ck_assert_int_eq(store_find_by(s, "Reseller", "name", "Beta", &uid), STORE_NOT_FOUND);
    /* a name that is not a property name is never SQL */
    ck_assert_int_eq(store_find_by(s, "Company", "name') OR 1 --", "x", &uid), STORE_ERROR);
    /* served by its index, not by a scan of the type */
    json_t *rows = NULL, *args = json_pack("[s, s]", "Company", "Beta");
    ck_assert_int_eq(store_exec(s, "EXPLAIN QUERY PLAN SELECT uid FROM records WHERE type = ?"
                                   " AND json_extract(body, '$.\"name\"') = ? ORDER BY seq LIMIT 1",
                                args, 8, &rows, NULL),
                     STORE_OK);
    json_decref(args);
    char *plan = json_dumps(rows, 0);
    ck_assert_msg(strstr(plan, "ux_name") != NULL, "%s", plan);
    free(plan);
    json_decref(rows);
}
END_TEST

int main(void)
{
    umask(022); /* the usual one, wider than the store allows */
    Suite *su = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, put_get_update_delete);
    tcase_add_test(tc, replace_keeps_one_record);
    tcase_add_test(tc, lists_page_and_scope);
    tcase_add_test(tc, nested_transactions);
    tcase_add_test(tc, update_with_scope_keeps_owners);
    tcase_add_test(tc, transactions);
    tcase_add_test(tc, threads_have_their_own_connections);
    tcase_add_test(tc, survives_reopening);
    tcase_add_test(tc, bad_path);
    tcase_add_test(tc, files_are_owner_only);
    tcase_add_test(tc, wider_files_are_tightened);
    tcase_add_test(tc, indexes_are_capped_least_recently_used_first);
    tcase_add_test(tc, indexes_of_an_earlier_run_count);
    tcase_add_test(tc, index_builds_are_rationed);
    tcase_add_test(tc, index_limits_per_call);
    tcase_add_test(tc, find_by_a_unique_property);
    suite_add_tcase(su, tc);
    return test_run_suite(su, CK_FORK);
}
