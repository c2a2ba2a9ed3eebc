/* test_world.c — the default world: built deterministically from its seed,
 * every ...Uid reference pointing to an existing record, perspectives
 * sharing their root's UIDs, and every entity type populated. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json_pointer.h"
#include "contract/entities.h"
#include "contract/entity_links.h"
#include "world/fixtures.h"
#include "store/store.h"
#include "testutil.h"
#include "base/uuid.h"
#include "world/world.h"

static contract *c;
static entity_model *m;
static json_t *fixtures;

static void setup(void)
{
    c = test_load_contract("3.6.1");
    m = test_model_of(c);
    char err[256];
    fixtures = test_load_fixtures();
    ck_assert_msg(fixtures_check(fixtures, m, err, sizeof err), "%s", err);
}

static void teardown(void)
{
    json_decref(fixtures);
    entities_free(m);
    contract_free(c);
}

/* Builds a world into a new store in a temporary folder. */
static store *build(char *dir, size_t dirlen, const world_options *o, world_stats *stats)
{
    snprintf(dir, dirlen, "/tmp/vspc-world-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char db[128], err[256];
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    ck_assert_msg(world_build(st, m, o, stats, err, sizeof err), "%s", err);
    return st;
}

static void destroy(store *st, const char *dir)
{
    store_close(st);
    test_rm_rf(dir);
}

/* All records of a type as a JSON array. */
static json_t *all_of(store *st, const char *type)
{
    buf page;
    buf_init(&page);
    long total;
    ck_assert_int_eq(store_list(st, type, NULL, 0, -1, &total, &page), STORE_OK);
    json_t *arr = json_loads(page.data, 0, NULL);
    buf_free(&page);
    ck_assert_ptr_nonnull(arr);
    return arr;
}

/* Whether a record of t has the id: its UID, or the id property clients
 * address it by (a reseller's site resource by its siteUid). */
static bool resolves(store *st, const entity *t, const char *id)
{
    json_t *found = NULL;
    char *uid = NULL;
    bool ok = store_get(st, t->name, id, &found, NULL) == STORE_OK;
    if (!ok && t->id_prop) {
        store_filter f = {1, {t->id_prop}, {id}};
        ok = store_find(st, t->name, &f, &uid, &found, NULL) == STORE_OK;
    }
    free(uid);
    json_decref(found);
    return ok;
}

/* Walks v: every string property ...Uid that names an entity must be the
 * UID of a record of that entity; counts checked references. */
static void check_refs(store *st, const entity *owner, json_t *v, long *checked, int depth)
{
    const char *key;
    json_t *member;
    size_t i;
    if (json_is_array(v)) {
        json_array_foreach(v, i, member) check_refs(st, owner, member, checked, depth + 1);
        return;
    }
    json_object_foreach(v, key, member) {
        if (json_is_object(member) || json_is_array(member)) {
            check_refs(st, owner, member, checked, depth + 1);
            continue;
        }
        size_t len = strlen(key);
        bool own_id = depth == 0 && owner->id_prop && !strcmp(key, owner->id_prop);
        /* at the top, a key of the type's list routes names a parent of
         * one of the types it names there */
        size_t parents = 0;
        if (depth == 0 && !own_id && json_is_string(member))
            entities_for_member(m, owner, key, 0, &parents);
        if (parents > 0) {
            bool found = false;
            for (size_t k = 0; k < parents && !found; k++)
                found = resolves(st, entities_for_member(m, owner, key, k, &parents),
                                 json_string_value(member));
            ck_assert_msg(found, "%s.%s = %s: no parent of its list routes has that UID",
                          owner->name, key, json_string_value(member));
            (*checked)++;
            continue;
        }
        const entity *target = !own_id && len > 3 && json_is_string(member)
                                   ? entities_for_reference(m, key)
                                   : NULL;
        if (!target)
            continue;
        ck_assert_msg(resolves(st, target, json_string_value(member)),
                      "%s.%s = %s: no %s with that UID", owner->name, key,
                      json_string_value(member), target->name);
        (*checked)++;
    }
}

/* The mapping's typedReferences of record r of e: the UID at each rule's
 * pointer is a record of the entity its type member names. */
static void check_typed(store *st, const entity *e, const json_t *r, long *checked)
{
    const char *pointer;
    const json_t *rule;
    json_object_foreach((json_t *)entity_links_of(m, "typedReferences", e), pointer, rule) {
        const char *uid = json_string_value(json_pointer_get(r, pointer));
        const char *type = json_string_value(
            json_pointer_get(r, json_string_value(json_object_get(rule, "by"))));
        const json_t *target = json_object_get(json_object_get(rule, "types"), type ? type : "");
        ck_assert_msg(uid && target, "%s%s = %s of type %s: no entity for that type", e->name,
                      pointer, uid ? uid : "null", type ? type : "null");
        const entity *t = entities_find(m, json_string_value(target));
        ck_assert_msg(resolves(st, t, uid), "%s%s = %s: no %s with that UID", e->name, pointer,
                      uid, type);
        (*checked)++;
        /* and its names are the target's */
        json_t *found = NULL;
        if (store_get(st, t->name, uid, &found, NULL) != STORE_OK)
            continue;
        const char *at;
        const json_t *members;
        json_object_foreach(json_object_get(rule, "names"), at, members) {
            size_t k;
            const json_t *name;
            json_array_foreach(members, k, name) {
                const char *want = json_string_value(json_object_get(found, json_string_value(name)));
                if (!want || !want[0])
                    continue;
                ck_assert_str_eq(json_string_value(json_pointer_get(r, at)), want);
                break;
            }
        }
        json_decref(found);
    }
}

/* fixtures_load: an empty folder is an empty world; a missing one is an
 * error naming it (a mistyped --fixtures must not start a world without
 * its users). */
START_TEST(fixtures_folder_missing_or_empty)
{
    char err[512] = "";
    ck_assert_ptr_null(fixtures_load("/nonexistent/vspc-fixtures", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/vspc-fixtures"));
    char dir[] = "/tmp/vspc-fixtures-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    json_t *none = fixtures_load(dir, err, sizeof err);
    ck_assert_ptr_nonnull(none);
    ck_assert_uint_eq(json_object_size(none), 0);
    json_decref(none);
    rmdir(dir);
}
END_TEST

START_TEST(references_resolve)
{
    char dir[64];
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures};
    world_stats stats;
    store *st = build(dir, sizeof dir, &o, &stats);
    long checked = 0, empty = 0;
    for (size_t k = 0; k < m->count; k++) {
        json_t *records = all_of(st, m->entities[k].name);
        empty += json_array_size(records) == 0;
        size_t i;
        json_t *r;
        json_array_foreach(records, i, r) {
            check_refs(st, &m->entities[k], r, &checked, 0);
            check_typed(st, &m->entities[k], r, &checked);
        }
        json_decref(records);
    }
    printf("default world: %ld records of %ld types in %.0f ms; %ld references checked\n",
           stats.records, stats.entities, stats.ms, checked);
    /* empty: only the types the mapping gives no record (async actions) */
    long none = 0;
    const char *type;
    json_t *n;
    json_object_foreach(json_object_get(json_object_get(m->mapping, "world"), "counts"), type, n)
        none += json_integer_value(n) == 0 && entities_find(m, type);
    ck_assert_int_eq(none, 1);
    ck_assert_int_eq(empty, none);
    ck_assert_int_gt(checked, 1000);
    destroy(st, dir);
}
END_TEST

/* sameAs: one record per combination of the named types' records, each
 * member holding one's UID (a shared id: the same UID); derived: for every
 * source record a record with the rule's members. */
START_TEST(cross_type_identity)
{
    char dir[64];
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures};
    store *st = build(dir, sizeof dir, &o, NULL);
    long combos = 0, derived = 0;
    const char *type, *member;
    json_t *row, *target;
    json_object_foreach(json_object_get(m->mapping, "sameAs"), type, row) {
        /* every combination: walked as an odometer over the members' records */
        size_t n = json_object_size(row), k = 0, at[8] = {0};
        json_t *lists[8];
        json_object_foreach(row, member, target) lists[k++] = all_of(st, json_string_value(target));
        const entity *x = entities_find(m, type), *y = NULL;
        size_t expected = 1;
        for (k = 0; k < n; k++)
            expected *= json_array_size(lists[k]);
        ck_assert_int_eq(store_count(st, type), (long)expected);
        for (size_t c = 0; c < expected; c++) {
            store_filter f = {0};
            k = 0;
            json_object_foreach(row, member, target) {
                y = entities_find(m, json_string_value(target));
                f.keys[f.n] = member;
                f.values[f.n++] = json_string_value(
                    json_object_get(json_array_get(lists[k], at[k]), y->id_prop));
                k++;
            }
            char *uid = NULL;
            json_t *body = NULL;
            ck_assert_msg(store_find(st, type, &f, &uid, &body, NULL) == STORE_OK,
                          "no %s with %s = %s", type, f.keys[0], f.values[0]);
            if (n == 1 && !strcmp(f.keys[0], x->id_prop)) /* one thing, one UID */
                ck_assert_str_eq(uid, f.values[0]);
            free(uid);
            json_decref(body);
            combos++;
            for (k = n; k-- > 0 && ++at[k] == json_array_size(lists[k]);)
                at[k] = 0;
        }
        for (k = 0; k < n; k++)
            json_decref(lists[k]);
    }
    json_t *rules;
    json_object_foreach(json_object_get(m->mapping, "derived"), type, rules) {
        size_t i, j;
        json_t *rule, *source;
        json_array_foreach(rules, i, rule) {
            json_t *sources = all_of(st, json_string_value(json_object_get(rule, "from")));
            json_array_foreach(sources, j, source) {
                store_filter f = {0};
                json_t *v;
                json_object_foreach(json_object_get(rule, "set"), member, v) {
                    f.keys[f.n] = member;
                    f.values[f.n++] = json_string_value(v);
                }
                json_object_foreach(json_object_get(rule, "copy"), member, v) {
                    f.keys[f.n] = member;
                    f.values[f.n++] = json_string_value(json_object_get(source, json_string_value(v)));
                }
                char *uid = NULL;
                json_t *body = NULL;
                ck_assert_msg(store_find(st, type, &f, &uid, &body, NULL) == STORE_OK,
                              "no %s with %s = %s for a %s", type, f.keys[0], f.values[0],
                              json_string_value(json_object_get(rule, "from")));
                free(uid);
                json_decref(body);
                derived++;
            }
            json_decref(sources);
        }
    }
    printf("cross-type identity: %ld sameAs combinations, %ld derived records checked\n", combos,
           derived);
    ck_assert_int_gt(combos, 10);
    ck_assert_int_gt(derived, 5);
    destroy(st, dir);
}
END_TEST

/* A sameAs, derived or typedReferences row naming what the model lacks
 * stops the start, naming it. */
START_TEST(links_mapping_is_checked)
{
    static const char *const bad[][2] = {
        {"{\"sameAs\":{\"NoSuchLicense\":{\"backupServerUid\":\"BackupServer\"}}}", "NoSuchLicense"},
        {"{\"sameAs\":{\"BackupServerLicense\":{\"serverUid\":\"BackupServer\"}}}", "serverUid"},
        {"{\"sameAs\":{\"BackupServerLicense\":{\"backupServerUid\":\"BackupSrv\"}}}", "BackupSrv"},
        {"{\"derived\":{\"ProxyProductInformation\":[{\"from\":\"BackupServer\",\"copy\":"
         "{\"agentUid\":\"managementAgentUid\"}}]}}", "agentUid"},
        {"{\"typedReferences\":{\"ActiveAlarm\":{\"/object/objectUid\":{\"by\":\"/kind\","
         "\"types\":{}}}}}", "/kind"},
        {"{\"typedReferences\":{\"ActiveAlarm\":{\"/object/objectUid\":{\"by\":\"/object/type\","
         "\"types\":{\"Site\":\"Sites\"}}}}}", "Sites"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *mapping = json_loads(bad[i][0], 0, NULL);
        ck_assert_ptr_nonnull(mapping);
        json_object_set_new(mapping, "version", json_string("3.6.1"));
        char err[256] = "";
        entity_model *x = entities_build(c, mapping, err, sizeof err);
        json_decref(mapping);
        ck_assert_msg(x != NULL, "%s", err); /* the model itself builds */
        ck_assert_msg(!entity_links_check(x, err, sizeof err), "accepted %s", bad[i][0]);
        entities_free(x);
        ck_assert_msg(strstr(err, bad[i][1]), "'%s' does not name %s", err, bad[i][1]);
    }
}
END_TEST

START_TEST(perspectives_share_their_root)
{
    char dir[64];
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures};
    store *st = build(dir, sizeof dir, &o, NULL);
    const entity *company = entities_find(m, "Company");
    ck_assert_ptr_nonnull(company->root);
    ck_assert_str_eq(company->root->name, "Organization");
    json_t *companies = all_of(st, "Company");
    ck_assert_uint_eq(json_array_size(companies), WORLD_DEFAULT_COMPANIES);
    size_t i;
    json_t *co;
    json_array_foreach(companies, i, co) {
        json_t *org;
        const char *uid = json_string_value(json_object_get(co, "instanceUid"));
        ck_assert_int_eq(store_get(st, "Organization", uid, &org, NULL), STORE_OK);
        ck_assert_str_eq(json_string_value(json_object_get(org, "name")),
                         json_string_value(json_object_get(co, "name")));
        ck_assert_str_eq(json_string_value(json_object_get(org, "type")), "Company");
        json_decref(org);
    }
    json_decref(companies);
    /* every job perspective is a BackupServerJob too */
    json_t *vm_jobs = all_of(st, "BackupServerBackupVmJob");
    ck_assert_uint_gt(json_array_size(vm_jobs), 0);
    json_t *job;
    ck_assert_int_eq(store_get(st, "BackupServerJob",
                               json_string_value(json_object_get(json_array_get(vm_jobs, 0), "instanceUid")),
                               &job, NULL),
                     STORE_OK);
    json_decref(job);
    json_decref(vm_jobs);
    destroy(st, dir);
}
END_TEST

START_TEST(same_seed_same_world)
{
    char a[64], b[64], d[64];
    world_options o = {.seed = 7, .companies = 5, .per_entity = 2},
                  other = {.seed = 8, .companies = 5, .per_entity = 2};
    store *sa = build(a, sizeof a, &o, NULL), *sb = build(b, sizeof b, &o, NULL);
    store *sd = build(d, sizeof d, &other, NULL);
    const char *types[] = {"Company", "BackupServerJob", "User", "ActiveAlarm"};
    for (size_t i = 0; i < 4; i++) {
        json_t *x = all_of(sa, types[i]), *y = all_of(sb, types[i]), *z = all_of(sd, types[i]);
        ck_assert_msg(json_equal(x, y), "%s differs with the same seed", types[i]);
        ck_assert_msg(!json_equal(x, z), "%s is the same with another seed", types[i]);
        json_decref(x);
        json_decref(y);
        json_decref(z);
    }
    char uid[128];
    world_uid(m, entities_find(m, "Company"), 0, &o, uid, sizeof uid);
    json_t *got;
    ck_assert_int_eq(store_get(sa, "Company", uid, &got, NULL), STORE_OK);
    json_decref(got);
    destroy(sa, a);
    destroy(sb, b);
    destroy(sd, d);
}
END_TEST

START_TEST(ten_thousand_companies)
{
    char dir[64];
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = 10000,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .agents_per_company = 2,
                       .fixtures = fixtures};
    world_stats stats;
    store *st = build(dir, sizeof dir, &o, &stats);
    ck_assert_int_eq(store_count(st, "Company"), 10000);
    ck_assert_int_ge(store_count(st, "Organization"), 10000);
    printf("10,000-company world: %ld records in %.0f ms\n", stats.records, stats.ms);
    destroy(st, dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("world");
    TCase *tc = tcase_create("world");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, fixtures_folder_missing_or_empty);
    tcase_add_test(tc, references_resolve);
    tcase_add_test(tc, perspectives_share_their_root);
    tcase_add_test(tc, cross_type_identity);
    tcase_add_test(tc, links_mapping_is_checked);
    tcase_add_test(tc, same_seed_same_world);
    tcase_add_test(tc, ten_thousand_companies);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
