/* test_http_world_filled.c — nothing the product would show is empty.
 *
 * Against the default world, over real HTTP, as the portal administrator:
 *   - every collection GET of 3.6.1 (an operation bound as LIST) answers
 *     200 with a non-empty data array, path parameters being the first
 *     records of the entities they name (tests/requests.h), except the
 *     routes of the tables below, each with its reason;
 *   - for every item GET, the first record of its collection (the list on
 *     its template less the last segment, else the entity's shortest list)
 *     answers 200 at the item route, with that record's id.
 * A client that lists, then reads what it listed, never meets a dead end.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "contract/entities.h"
#include "contract/entity_links.h"
#include "httpclient.h"
#include "requests.h"
#include "testutil.h"

static test_server server;
static contract *c;
static entity_model *model;
static json_t *fixtures;

/* Collections a fresh VSPC legitimately shows empty (operationId, why).
 * Keep it tiny: each is something only a client's own request creates. */
static const struct {
    const char *operation_id, *why;
} legitimately_empty[] = {
    /* async actions exist only for requests that ran as async actions */
    {"GetAsyncActionsInfo", "no request has run as an async action yet"},
};

/* Collections still empty in the default world: printed on every run, and
 * a route listed here that fills up fails the test (remove it then). */
static const struct {
    const char *operation_id, *why;
} known_gaps[] = {
    {"", ""}, /* none left */
};

/* Parents a client would pick where the first record is one that has
 * nothing under it in VSPC too: the first user is the portal
 * administrator, whose role has no locations; a location user has some. */
static const struct {
    const char *operation_id, *param, *login;
} parents[] = {
    {"GetUserLocations", "userUid", "alpha.locuser"},
};

static const char *reason_in(const char *id, int table)
{
    if (table == 0) {
        for (size_t i = 0; i < sizeof legitimately_empty / sizeof legitimately_empty[0]; i++)
            if (!strcmp(legitimately_empty[i].operation_id, id))
                return legitimately_empty[i].why;
    } else {
        for (size_t i = 0; i < sizeof known_gaps / sizeof known_gaps[0]; i++)
            if (!strcmp(known_gaps[i].operation_id, id))
                return known_gaps[i].why;
    }
    return NULL;
}

static void setup(void)
{
    server_start(&server, NULL);
    c = test_load_contract("3.6.1");
    model = test_model_of(c);
    fixtures = test_load_fixtures();
}

static void teardown(void)
{
    json_decref(fixtures);
    entities_free(model);
    contract_free(c);
    server_stop(&server);
}

/* The path values op needs beyond first records (a new object):
 * the table above, and the mapping's pathMembers (a key that is a member
 * of the listed record, as /licensing/reports/{date}), taken from the first
 * record of the entity's shortest list. */
static const operation *shortest_list(const entity *e);
static json_t *get(const operation *op, const json_t *overrides, long *status, char *url,
                   size_t len);
static json_t *plausible_params(const operation *op, const entity *e)
{
    json_t *over = json_object();
    for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++)
        if (!strcmp(parents[i].operation_id, op->operation_id))
            json_object_set(over, parents[i].param,
                            json_object_get(test_fixture_user(fixtures, parents[i].login),
                                            "instanceUid"));
    const json_t *members =
        json_object_get(json_object_get(model->mapping, "pathMembers"), e ? e->name : "");
    const char *key;
    const json_t *pointer;
    json_object_foreach((json_t *)members, key, pointer) {
        const operation *list = shortest_list(e);
        char url[4096];
        long status;
        json_t *page = list && list != op ? get(list, NULL, &status, url, sizeof url) : NULL;
        const json_t *v = json_array_get(json_object_get(page, "data"), 0);
        char path[256];
        snprintf(path, sizeof path, "%s", json_string_value(pointer));
        for (char *t = strtok(path, "/"); t && v; t = strtok(NULL, "/"))
            v = json_object_get(v, t);
        if (json_is_string(v))
            json_object_set(over, key, (json_t *)v);
        json_decref(page);
    }
    return over;
}

/* GET of op with the given path overrides; the answer parsed (NULL when
 * not JSON), its status in *status and the URL in url. */
static json_t *get(const operation *op, const json_t *overrides, long *status, char *url,
                   size_t len)
{
    request_builder rb = {&server, model, model, fixtures, overrides, NULL};
    rq_url(&rb, op, 42, url, len);
    http_result r;
    ck_assert_msg(http_call("GET", url, NULL, NULL, 0, NULL, &r), "transport failure on %s", url);
    *status = r.status;
    json_t *j = json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL);
    http_result_free(&r);
    return j;
}

/* The list operation of e on template tpl (exactly), or NULL. */
static const operation *list_on(const entity *e, const char *tpl, size_t tlen)
{
    for (size_t i = 0; i < c->nops; i++) {
        const binding *b = &model->bindings[i];
        if (b->kind == BIND_LIST && b->entity == e && c->ops[i].method == HTTP_GET &&
            strlen(c->ops[i].path) == tlen && !strncmp(c->ops[i].path, tpl, tlen))
            return &c->ops[i];
    }
    return NULL;
}

/* The shortest list operation of e, or NULL. */
static const operation *shortest_list(const entity *e)
{
    const operation *best = NULL;
    for (size_t i = 0; i < c->nops; i++) {
        const binding *b = &model->bindings[i];
        if (b->kind == BIND_LIST && b->entity == e &&
            (!best || strlen(c->ops[i].path) < strlen(best->path)))
            best = &c->ops[i];
    }
    return best;
}

START_TEST(every_collection_has_records)
{
    size_t lists = 0, filled = 0, legit = 0, gaps = 0;
    char failures[8192] = "";
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        if (op->method != HTTP_GET || model->bindings[i].kind != BIND_LIST)
            continue;
        lists++;
        char url[4096];
        long status;
        json_t *over = plausible_params(op, model->bindings[i].entity);
        json_t *j = get(op, over, &status, url, sizeof url);
        json_decref(over);
        size_t n = json_array_size(json_object_get(j, "data"));
        json_decref(j);
        const char *legit_why = reason_in(op->operation_id, 0);
        const char *gap_why = reason_in(op->operation_id, 1);
        if (status == 200 && n > 0) {
            filled++;
            ck_assert_msg(!legit_why && !gap_why, "%s is filled: take it off its table",
                          op->operation_id);
            continue;
        }
        if (status == 200 && (legit_why || gap_why)) {
            legit += legit_why != NULL;
            gaps += gap_why != NULL;
            if (gap_why)
                printf("known gap: %s %s (%s)\n", op->operation_id, op->path, gap_why);
            continue;
        }
        size_t used = strlen(failures);
        snprintf(failures + used, sizeof failures - used, "%s %s -> %ld, %zu records\n",
                 op->operation_id, url, status, n);
        fprintf(stderr, "empty: %s %s -> %ld\n", op->operation_id, url, status);
    }
    printf("3.6.1: %zu collection GETs, %zu with records, %zu legitimately empty, %zu known "
           "gaps\n",
           lists, filled, legit, gaps);
    ck_assert_msg(failures[0] == 0, "collections empty or failing:\n%s", failures);
    ck_assert_uint_eq(filled + legit + gaps, lists);
    ck_assert_uint_gt(filled, 200);
}
END_TEST

/* The id of the first record of op's answer as path text, or NULL. */
static char *first_id(const entity *e, const json_t *answer)
{
    const json_t *first = json_array_get(json_object_get(answer, "data"), 0);
    const json_t *id = e->id_prop ? json_object_get(first, e->id_prop) : NULL;
    return id ? rq_value_text(id) : NULL;
}

START_TEST(every_item_of_a_list_reads)
{
    size_t items = 0, read = 0, no_list = 0;
    char failures[8192] = "";
    for (size_t i = 0; i < c->nops; i++) {
        const operation *op = &c->ops[i];
        const binding *b = &model->bindings[i];
        if (op->method != HTTP_GET || b->kind != BIND_GET || b->by_key || !b->id_param)
            continue;
        items++;
        const char *slash = strrchr(op->path, '/');
        const operation *list = list_on(b->entity, op->path, (size_t)(slash - op->path));
        if (!list)
            list = shortest_list(b->entity);
        if (!list || reason_in(list->operation_id, 0)) { /* nothing to read */
            no_list++;
            continue;
        }
        char url[4096];
        long status;
        json_t *over = plausible_params(list, b->entity);
        json_t *page = get(list, over, &status, url, sizeof url);
        json_decref(over);
        char *id = first_id(b->entity, page);
        json_decref(page);
        char note[4800] = "";
        if (!id) {
            snprintf(note, sizeof note, "%s: its list %s has no first record\n",
                     op->operation_id, url);
        } else {
            json_t *over = json_pack("{ss}", b->id_param, id);
            json_t *one = get(op, over, &status, url, sizeof url);
            if (status == 200 && json_is_object(json_object_get(one, "data")))
                read++;
            else
                snprintf(note, sizeof note, "%s %s -> %ld\n", op->operation_id, url, status);
            json_decref(one);
            json_decref(over);
        }
        free(id);
        if (note[0]) {
            fputs(note, stderr);
            size_t used = strlen(failures);
            snprintf(failures + used, sizeof failures - used, "%s", note);
        }
    }
    printf("3.6.1: %zu item GETs, %zu read from their list's first record, %zu of no or an "
           "empty list\n",
           items, read, no_list);
    ck_assert_msg(failures[0] == 0, "items not readable from their list:\n%s", failures);
    ck_assert_uint_gt(read, 100);
}
END_TEST

/* The item GET operation of e (its shortest), or NULL. */
static const operation *item_get(const entity *e)
{
    const operation *best = NULL;
    for (size_t i = 0; i < c->nops; i++) {
        const binding *b = &model->bindings[i];
        if (b->kind == BIND_GET && b->entity == e && !b->by_key && b->id_param &&
            (!best || strlen(c->ops[i].path) < strlen(best->path)))
            best = &c->ops[i];
    }
    return best;
}

/* All records of e's shortest list, as a client pages them. */
static json_t *records_of(const entity *e)
{
    const operation *list = shortest_list(e);
    ck_assert_ptr_nonnull(list);
    char url[4096], path[1024];
    snprintf(path, sizeof path, "/api/v3%s?limit=500", list->path);
    long status;
    json_t *page = http_get_json(&server, path, &status);
    ck_assert_msg(status == 200, "%s -> %ld", path, status);
    json_t *data = json_incref(json_object_get(page, "data"));
    json_decref(page);
    (void)url;
    return data;
}

/* A client reads one thing under each of its types by one UID: every
 * backup server, VB365 server, site, Veeam ONE server has its licence at
 * /licensing/.../{its uid} (the mapping's sameAs sharing an id), and the
 * proxyable products of a management agent are those of the servers on
 * it (its derived rules). */
START_TEST(one_thing_one_uid)
{
    size_t licences = 0, products = 0;
    const char *type, *member;
    json_t *row, *target;
    json_object_foreach(json_object_get(model->mapping, "sameAs"), type, row) {
        const entity *x = entities_find(model, type);
        if (json_object_size(row) != 1 || !json_object_get(row, x->id_prop))
            continue; /* several parents: each combination, test_world.c */
        const entity *y = entities_find(model, json_string_value(json_object_get(row, x->id_prop)));
        const operation *item = item_get(x);
        ck_assert_ptr_nonnull(item);
        json_t *all = records_of(y);
        size_t i;
        json_t *r;
        json_array_foreach(all, i, r) {
            const char *uid = json_string_value(json_object_get(r, y->id_prop));
            json_t *over = json_pack("{ss}", model->bindings[item - c->ops].id_param, uid);
            char url[4096];
            long status;
            json_t *one = get(item, over, &status, url, sizeof url);
            ck_assert_msg(status == 200, "%s of %s %s: %s -> %ld", type, y->name, uid, url, status);
            ck_assert_str_eq(json_string_value(json_object_get(json_object_get(one, "data"), x->id_prop)), uid);
            json_decref(one);
            json_decref(over);
            licences++;
        }
        json_decref(all);
    }
    json_t *rules;
    json_object_foreach(json_object_get(model->mapping, "derived"), type, rules) {
        const entity *x = entities_find(model, type);
        const operation *list = shortest_list(x);
        size_t i, k;
        json_t *rule, *r;
        json_array_foreach(rules, i, rule) {
            const entity *y = entities_find(model, json_string_value(json_object_get(rule, "from")));
            json_t *all = records_of(y);
            json_array_foreach(all, k, r) {
                json_t *over = json_object();
                json_t *v;
                json_object_foreach(json_object_get(rule, "copy"), member, v)
                    json_object_set(over, member, json_object_get(r, json_string_value(v)));
                char url[4096];
                long status;
                json_t *page = get(list, over, &status, url, sizeof url);
                bool found = false;
                size_t j;
                json_t *item;
                json_array_foreach(json_object_get(page, "data"), j, item) {
                    bool all_set = true;
                    json_object_foreach(json_object_get(rule, "set"), member, v)
                        all_set = all_set && json_equal(json_object_get(item, member), v);
                    found = found || all_set;
                }
                ck_assert_msg(status == 200 && found, "%s lacks the %s's product: %s -> %ld",
                              url, y->name, url, status);
                json_decref(page);
                json_decref(over);
                products++;
            }
            json_decref(all);
        }
    }
    (void)target;
    printf("3.6.1: %zu licence records read by their server's UID, %zu products found on "
           "their servers' agents\n",
           licences, products);
    ck_assert_uint_gt(licences, 10);
    ck_assert_uint_gt(products, 5);
}
END_TEST

/* Whether a record of the list at path has member == value. */
static bool listed(const char *path, const char *member, const char *value)
{
    long status;
    json_t *page = http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status);
    ck_assert_msg(status == 200, "%s -> %ld", path, status);
    bool found = false;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(page, "data"), i, r) {
        const char *v = json_string_value(json_object_get(r, member));
        found = found || (v && !strcasecmp(v, value));
    }
    json_decref(page);
    return found;
}

static long delete_path(const char *path)
{
    long status;
    json_t *j = http_call_as(&server, http_bearer(), "DELETE", path, NULL, NULL, &status);
    json_decref(j);
    return status;
}

/* A delete keeps references whole: what hangs off the record goes with it
 * (the mapping's cascade). Runs last: it removes records. */
START_TEST(a_delete_takes_its_dependants)
{
    /* a reseller takes its site resources */
    json_t *rs = records_of(entities_find(model, "Reseller"));
    const char *reseller = json_string_value(json_object_get(json_array_get(rs, 1), "instanceUid"));
    ck_assert(listed("/organizations/resellers/sites?limit=500", "resellerUid", reseller));
    char path[256];
    snprintf(path, sizeof path, "/organizations/resellers/%s", reseller);
    ck_assert_int_eq(delete_path(path), 200);
    ck_assert(!listed("/organizations/resellers/sites?limit=500", "resellerUid", reseller));
    ck_assert(!listed("/organizations/resellers/sites/backupResources?limit=500", "resellerUid",
                      reseller));
    json_decref(rs);
    /* a management agent takes the products it proxied */
    json_t *servers = records_of(entities_find(model, "BackupServer"));
    const char *agent =
        json_string_value(json_object_get(json_array_get(servers, 0), "managementAgentUid"));
    snprintf(path, sizeof path, "/infrastructure/managementAgents/%s/proxyableProducts", agent);
    ck_assert(listed(path, "proxyProduct", "VeeamBackupReplication"));
    char item[256];
    snprintf(item, sizeof item, "/infrastructure/managementAgents/%s", agent);
    ck_assert_int_eq(delete_path(item), 200);
    ck_assert(!listed(path, "proxyProduct", "VeeamBackupReplication"));
    json_decref(servers);
    /* a VB365 server takes its licence record */
    json_t *vb = records_of(entities_find(model, "Vb365Server"));
    const char *vb365 = json_string_value(json_object_get(json_array_get(vb, 0), "instanceUid"));
    snprintf(path, sizeof path, "/licensing/vb365Servers/%s", vb365);
    long status;
    json_decref(http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status));
    ck_assert_int_eq(status, 200);
    snprintf(item, sizeof item, "/infrastructure/vb365Servers/%s", vb365);
    ck_assert_int_eq(delete_path(item), 200);
    json_decref(http_call_as(&server, http_bearer(), "GET", path, NULL, NULL, &status));
    ck_assert_int_eq(status, 404);
    json_decref(vb);
    /* an alarm template takes its activations */
    json_t *alarms = records_of(entities_find(model, "ActiveAlarm"));
    const char *tpl =
        json_string_value(json_object_get(json_array_get(alarms, 0), "alarmTemplateUid"));
    ck_assert(listed("/alarms/active?limit=500", "alarmTemplateUid", tpl));
    snprintf(path, sizeof path, "/alarms/templates/%s", tpl);
    ck_assert_int_eq(delete_path(path), 200);
    ck_assert(!listed("/alarms/active?limit=500", "alarmTemplateUid", tpl));
    json_decref(alarms);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_world_filled");
    TCase *tc = tcase_create("world");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_collection_has_records);
    tcase_add_test(tc, every_item_of_a_list_reads);
    tcase_add_test(tc, one_thing_one_uid);
    tcase_add_test(tc, a_delete_takes_its_dependants); /* last: it deletes */
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
