/* test_http_tenancy_levels.c — the write matrix by scope level, over real
 * HTTP (issue 11).
 *
 * Every default user × a level relative to its own organization × create,
 * patch and delete, on five families (companies, users, locations, backup
 * server jobs, subscription plans):
 *
 *   own      the caller's organization (for a location role: its company
 *            bound to its own location)
 *   sibling  another company of the same reseller, a company of another
 *            reseller, another reseller; for a location role also another
 *            location of its company
 *   parent   the caller's reseller, the provider
 *   child    for the provider a reseller and a company of it; for a
 *            reseller one of its companies
 *
 * Each call must answer what README "Tenancy" says VSPC answers:
 *   - a role schema/admission.json does not admit to the operation: 403;
 *   - a patch or delete of a record outside the caller's scope: 404;
 *   - a create naming an organization outside the scope in its body
 *     (organizationUid, resellerUid): 400 naming that property; a create
 *     under a path parent outside it (the backup server of a job): 404;
 *     a user outside the caller's reach or of a role it does not manage
 *     (auth/roles.h): 403;
 *   - in scope and admitted: 2xx, and the write is seen by the caller
 *     (a created record is readable, with the organization it was made
 *     for, and its owner columns put it in the caller's scope).
 * Where a write is refused the database is unchanged: every run of refused
 * calls is bracketed by two snapshots of the records and secrets tables,
 * read from copies of the server's database (it holds the file
 * exclusively).
 *
 * The levels are the test's own reading of the fixtures; each
 * representative record is checked against tenancy/scope.h (inside the
 * caller's scope exactly when its level is own or child), so a change of
 * the world that moved a record to another level fails here rather than
 * silently testing something else.
 */
#include <check.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/contract.h"
#include "contract/entities.h"
#include "httpclient.h"
#include "requests.h"
#include "store/store.h"
#include "tenancy/owners.h"
#include "tenancy/scope.h"
#include "testutil.h"

#define PROVIDER "b16fbcfb-4d3a-4d43-8c28-3868a47868ca"
#define NIMBUS "a1797b02-364e-4e31-b052-7d7db48edb4a"
#define HARBOR "b12804ec-cf1c-40ae-8b4c-2f80c5bab859"
#define ALPHA "eb866e8f-a0f5-41f4-9dd9-8cc59266ff25" /* Nimbus's */
#define BETA "279595ca-2027-4110-abc8-63619d14e25a"  /* Nimbus's */
#define FABRIKAM "f5b30ee7-720c-4680-8106-673253df19cf" /* Harbor's */

typedef enum level { OWN, SIBLING, PARENT, CHILD, NLEVELS } level;
static const char *const level_names[] = {"own", "sibling", "parent", "child"};
typedef enum verb { CREATE, PATCH, DELETE, NVERBS } verb;
static const char *const verb_names[] = {"create", "patch", "delete"};
typedef enum org_kind { K_PROVIDER, K_RESELLER, K_COMPANY } org_kind;

/* An organization at a level; loc 1: bound to the caller's own location,
 * 2: to another location of its company (location roles), 0: neither. */
typedef struct target {
    level lv;
    const char *org;
    org_kind kind;
    int loc;
} target;

typedef enum caller_kind { C_PROVIDER, C_RESELLER, C_COMPANY, C_LOCATION } caller_kind;

static const target provider_targets[] = {
    {OWN, PROVIDER, K_PROVIDER, 0}, {CHILD, HARBOR, K_RESELLER, 0}, {CHILD, FABRIKAM, K_COMPANY, 0}};
static const target reseller_targets[] = {
    {OWN, NIMBUS, K_RESELLER, 0},     {CHILD, BETA, K_COMPANY, 0},
    {SIBLING, HARBOR, K_RESELLER, 0}, {SIBLING, FABRIKAM, K_COMPANY, 0},
    {PARENT, PROVIDER, K_PROVIDER, 0}};
static const target company_targets[] = {
    {OWN, ALPHA, K_COMPANY, 0},      {SIBLING, BETA, K_COMPANY, 0},
    {SIBLING, FABRIKAM, K_COMPANY, 0}, {PARENT, NIMBUS, K_RESELLER, 0},
    {PARENT, PROVIDER, K_PROVIDER, 0}};
static const target location_targets[] = {
    {OWN, ALPHA, K_COMPANY, 1},      {SIBLING, ALPHA, K_COMPANY, 2},
    {SIBLING, BETA, K_COMPANY, 0},   {PARENT, NIMBUS, K_RESELLER, 0},
    {PARENT, PROVIDER, K_PROVIDER, 0}};

/* The default users; a role admitted to no write of the families is tried
 * at its own level only (every write there is its 403). */
static const struct caller {
    const char *login;
    caller_kind kind;
    bool writes;
} callers[] = {
    {"administrator", C_PROVIDER, true},   {"operator", C_PROVIDER, true},
    {"siteadmin", C_PROVIDER, true},       {"readonly", C_PROVIDER, false},
    {"nimbus.owner", C_RESELLER, true},    {"nimbus.admin", C_RESELLER, true},
    {"nimbus.operator", C_RESELLER, true}, {"nimbus.user", C_RESELLER, false},
    {"nimbus.auditor", C_RESELLER, false}, {"alpha.locadmin", C_LOCATION, true},
    {"alpha.locuser", C_LOCATION, false},  {"alphauser", C_COMPANY, true},
    {"alpha_admin", C_COMPANY, true},      {"alpha.tenant", C_COMPANY, true},
    {"alpha.auditor", C_COMPANY, false},   {"alpha.subtenant", C_COMPANY, false},
};
#define NCALLERS (sizeof callers / sizeof callers[0])

/* The roles schema/admission.json admits to each write, as "|Role|" lists. */
#define MANAGERS                                                                              \
    "|PortalAdministrator|PortalOperator|SiteAdministrator|ResellerOwner|ResellerAdministrator" \
    "|ResellerOperator|"
#define WRITERS MANAGERS "CompanyOwner|CompanyAdministrator|CompanyLocationAdministrator|CompanyTenant|"
#define ORG_MANAGERS MANAGERS "CompanyOwner|CompanyAdministrator|"
/* CreateCompany and DeleteCompany (the tag's row is managers) */
#define COMPANY_MAKERS "|PortalAdministrator|SiteAdministrator|ResellerOwner|ResellerAdministrator|"

typedef enum family { F_COMPANY, F_USER, F_LOCATION, F_JOB, F_PLAN, NFAMILIES } family;
static const struct family_info {
    const char *name, *type, *items; /* items: the collection; an item is items/uid */
    const char *admitted[NVERBS];
    const char *patch_path;           /* what the patch replaces */
    const char *reference;            /* the body property naming the organization */
} families[] = {
    {"companies", "Company", "/organizations/companies", {COMPANY_MAKERS, MANAGERS, COMPANY_MAKERS},
     "/name", "resellerUid"},
    {"users", "User", "/users", {WRITERS, WRITERS, WRITERS}, "/profile/firstName",
     "organizationUid"},
    {"locations", "OrganizationLocation", "/organizations/locations",
     {ORG_MANAGERS, ORG_MANAGERS, ORG_MANAGERS}, "/name", "organizationUid"},
    /* the create is POST .../backupServers/{backupServerUid}/jobs/backupVmJobs/vSphere */
    {"backup server jobs", "BackupServerJob", "/infrastructure/backupServers/jobs",
     {WRITERS, WRITERS, WRITERS}, "/name", NULL},
    {"subscription plans", "SubscriptionPlan", "/subscriptionPlans", {MANAGERS, MANAGERS, MANAGERS},
     "/description", "organizationUid"},
};

/* The users each organization's user family is represented by: a role
 * that reseller and portal roles manage (auth/roles.h), made in setup
 * where the fixtures have none. */
static const struct {
    const char *org, *login;
} user_reps[] = {{PROVIDER, "readonly"},     {NIMBUS, "nimbus.user"}, {ALPHA, "alpha.locuser"},
                 {BETA, "lv.beta"},          {FABRIKAM, "lv.fabrikam"}, {HARBOR, "lv.harbor"}};

/* The role of the users created in an organization of each kind, and
 * whether a role manages it (auth/roles.h: portal roles manage reseller
 * and company roles, only the portal administrator the portal's; reseller
 * owners and administrators their reseller's staff; every writer but the
 * tenant a company's location users). */
static const char *const created_role[] = {"PortalReadonlyOperator", "ResellerUser",
                                           "CompanyLocationUser"};
static bool manages(const char *role, org_kind k)
{
    static const char *const by_kind[] = {
        "|PortalAdministrator|",
        "|PortalAdministrator|PortalOperator|SiteAdministrator|ResellerOwner|ResellerAdministrator|",
        "|PortalAdministrator|PortalOperator|SiteAdministrator|ResellerOwner|ResellerAdministrator"
        "|ResellerOperator|CompanyOwner|CompanyAdministrator|CompanyLocationAdministrator|"};
    char key[64];
    snprintf(key, sizeof key, "|%s|", role);
    return strstr(by_kind[k], key) != NULL;
}

static bool admitted(family f, verb v, const char *role)
{
    char key[64];
    snprintf(key, sizeof key, "|%s|", role);
    return strstr(families[f].admitted[v], key) != NULL;
}

static test_server server;
static contract *contract361;
static entity_model *model361;
static owner_rules *rules;
static json_t *fixtures;
static char branch[64]; /* a location of Alpha no location user is assigned */
static json_t *used_jobs; /* jobs deleted so far (uid -> true) */

static void setup(void)
{
    contract361 = test_load_contract("3.6.1");
    model361 = test_model_of(contract361);
    char err[256];
    const entity_model *ms[] = {model361};
    rules = owner_rules_load(test_schema_dir(), ms, 1, err, sizeof err);
    ck_assert_msg(rules != NULL, "%s", err);
    fixtures = test_load_fixtures();
    used_jobs = json_object();
    server_start(&server, NULL);
}

static void teardown(void)
{
    server_stop(&server);
    json_decref(used_jobs);
    json_decref(fixtures);
    owner_rules_free(rules);
    entities_free(model361);
    contract_free(contract361);
}

/* One call as token: the status, the answer parsed into *answer (may be
 * NULL). */
static long call(const char *token, const char *method, const char *path, const char *body,
                 json_t **answer)
{
    long st;
    json_t *doc = http_call_as(&server, token, method, path, NULL, body, &st);
    if (answer)
        *answer = doc;
    else
        json_decref(doc);
    return st;
}

/* The uid of the first record (by insertion) of type matching sql (a
 * condition over the owner columns and body, args bound), or "". */
static void first_uid(store *st, const char *type, const char *cond, json_t *args,
                      char out[STORE_OWNER_LEN])
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT uid FROM records WHERE type = ? AND %s ORDER BY seq", cond);
    json_t *all = json_pack("[s]", type), *rows = NULL;
    json_array_extend(all, args);
    json_decref(args);
    ck_assert_int_eq(store_exec(st, sql, all, 1, &rows, NULL), STORE_OK);
    json_decref(all);
    const char *uid = json_string_value(json_array_get(json_array_get(rows, 0), 0));
    snprintf(out, STORE_OWNER_LEN, "%s", uid ? uid : "");
    json_decref(rows);
}

/* What a caller is, for the matrix. */
typedef struct who {
    const struct caller *c;
    principal p;
    caller_scope scope;
    char *token;
    const target *targets;
    size_t ntargets;
} who;

/* The location target t is bound to: the caller's own (1), the branch
 * (2), none (0: NULL). */
static const char *target_loc(const who *w, const target *t)
{
    if (t->loc == 1)
        return w->scope.nlocations ? w->scope.locations[0] : "";
    return t->loc == 2 ? branch : NULL;
}

/* The condition on a job of target t's level (its organization, and its
 * location: the caller's own or none, or the branch); *args its values. */
static const char *job_condition(const who *w, const target *t, json_t **args)
{
    const char *loc = target_loc(w, t);
    *args = loc ? json_pack("[ss]", t->org, loc) : json_pack("[s]", t->org);
    return !loc ? "org = ?" : t->loc == 1 ? "org = ? AND (loc IS NULL OR loc = ?)"
                                          : "org = ? AND loc = ?";
}

/* The record representing family f at target t, from the copy st, into
 * out ("" when the family has none there). */
static void representative(store *st, const who *w, family f, const target *t,
                           char out[STORE_OWNER_LEN])
{
    out[0] = 0;
    const char *loc = target_loc(w, t);
    switch (f) {
    case F_COMPANY:
        if (t->kind == K_COMPANY && !t->loc)
            snprintf(out, STORE_OWNER_LEN, "%s", t->org);
        return;
    case F_USER:
        if (t->loc == 2)
            return;
        if (t->loc == 1) { /* a location user the caller's location holds */
            first_uid(st, "User",
                      "org = ? AND json_extract(body, '$.role') = 'CompanyLocationUser'"
                      " AND (loc IS NULL OR loc = ?)",
                      json_pack("[ss]", t->org, loc), out);
            return;
        }
        for (size_t i = 0; i < sizeof user_reps / sizeof user_reps[0]; i++)
            if (!strcmp(user_reps[i].org, t->org))
                first_uid(st, "User", "json_extract(body, '$.userName') = ?",
                          json_pack("[s]", user_reps[i].login), out);
        return;
    case F_LOCATION:
        if (loc)
            snprintf(out, STORE_OWNER_LEN, "%s", loc);
        else if (t->kind != K_RESELLER)
            first_uid(st, "OrganizationLocation", "org = ?", json_pack("[s]", t->org), out);
        return;
    case F_JOB: {
        json_t *args;
        const char *cond = job_condition(w, t, &args);
        first_uid(st, "BackupServerJob", cond, args, out);
        return;
    }
    case F_PLAN:
        if (!t->loc)
            first_uid(st, "SubscriptionPlan", "org = ?", json_pack("[s]", t->org), out);
        return;
    default:
        return;
    }
}

/* The matrix's bookkeeping: counts, problems, the snapshots. */
static long accepted[NLEVELS][NVERBS], refused[NLEVELS][NVERBS], not_applicable, no_spare_job;
static json_t *problems;       /* strings */
static json_t *baseline;       /* the database before the current run of refusals */
static json_t *pending;        /* the refused calls since baseline (strings) */
static int serial;             /* makes names unique */

static void problem(const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "levels: %s\n", text);
    json_array_append_new(problems, json_string(text));
}

/* The records and secrets of the server's database, in a stable order. */
static json_t *db_state(void)
{
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    json_t *rows = NULL, *secrets = NULL;
    ck_assert_int_eq(store_exec(st,
                                "SELECT type, uid, org, reseller, loc, scope, body FROM records"
                                " ORDER BY type, uid",
                                NULL, 10000000, &rows, NULL),
                     STORE_OK);
    ck_assert_int_eq(store_exec(st,
                                "SELECT kind, user_uid, login_id, value, expires FROM auth_secrets"
                                " ORDER BY 1, 2, 3, 4",
                                NULL, 10000000, &secrets, NULL),
                     STORE_OK);
    test_close_db_copy(st, dir);
    json_t *rows_and_secrets = json_array();
    json_array_extend(rows_and_secrets, rows);
    json_array_append_new(rows_and_secrets, json_string("-- secrets --"));
    json_array_extend(rows_and_secrets, secrets);
    json_decref(rows);
    json_decref(secrets);
    return rows_and_secrets;
}

/* Ends the current run of refused calls: the database must be as it was
 * before the first of them. */
static void settle(void)
{
    if (json_array_size(pending)) {
        json_t *now = db_state();
        if (!json_equal(now, baseline)) {
            size_t i = 0;
            while (i < json_array_size(now) && i < json_array_size(baseline) &&
                   json_equal(json_array_get(now, i), json_array_get(baseline, i)))
                i++;
            char *was = json_dumps(json_array_get(baseline, i), JSON_COMPACT | JSON_ENCODE_ANY);
            char *is = json_dumps(json_array_get(now, i), JSON_COMPACT | JSON_ENCODE_ANY);
            char *calls = json_dumps(pending, JSON_COMPACT);
            problem("the database changed under refused writes %s: was %.300s, is %.300s", calls,
                    was ? was : "(none)", is ? is : "(none)");
            free(was);
            free(is);
            free(calls);
        }
        json_decref(now);
    }
    json_decref(baseline);
    baseline = NULL;
    json_array_clear(pending);
}

/* A write as the matrix makes it: the status expected, the call, the
 * count, and the snapshots around refusals. The answer goes to *answer
 * (may be NULL). Returns whether it was accepted as expected. */
static bool write_as(const who *w, const target *t, family f, verb v, long expected,
                     const char *method, const char *path, const char *body, json_t **answer)
{
    bool accept = expected >= 200 && expected < 300;
    if (accept)
        settle();
    else if (!baseline)
        baseline = db_state();
    json_t *doc = NULL;
    long st = call(w->token, method, path, body, &doc);
    char label[512];
    snprintf(label, sizeof label, "%s %s %s at %s %s%s", w->c->login, verb_names[v], families[f].name,
             level_names[t->lv], t->org, t->loc == 2 ? " (branch)" : "");
    if (!accept)
        json_array_append_new(pending, json_string(label));
    bool as_expected = accept ? st >= 200 && st < 300 : st == expected;
    if (!as_expected) {
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        problem("%s (%s %s): %ld, expected %ld: %.300s", label, method, path, st, expected,
                text ? text : "");
        free(text);
    }
    /* a create outside the scope names the reference it refuses */
    const char *ref = families[f].reference;
    if (as_expected && v == CREATE && expected == 400 && ref) {
        const char *named = json_string_value(json_object_get(
            json_array_get(json_object_get(doc, "errors"), 0), "propertyName"));
        if (!named || strcmp(named, ref))
            problem("%s: the 400 names %s, not %s", label, named ? named : "nothing", ref);
    }
    if (as_expected && accept)
        accepted[t->lv][v]++;
    else if (as_expected)
        refused[t->lv][v]++;
    if (answer)
        *answer = doc;
    else
        json_decref(doc);
    return as_expected && accept;
}

/* A record the caller created, to be checked for its owner. */
typedef struct made {
    family f;
    const target *t;
    char uid[STORE_OWNER_LEN];
} made;

/* The body of a create of family f for target t as w; NULL when the
 * family cannot be made there (a company under a company, a location of
 * a reseller, a plan of a company, a job where the organization has no
 * backup server). path receives the collection to post to. */
static char *create_body(store *st, const who *w, family f, const target *t, char *path,
                         size_t pathlen)
{
    int n = ++serial;
    bool own = !strcmp(t->org, w->scope.org) || (w->c->kind == C_PROVIDER && t->kind == K_PROVIDER);
    snprintf(path, pathlen, "%s", families[f].items);
    json_t *body = NULL;
    switch (f) {
    case F_COMPANY:
        /* a company is made under the provider or a reseller; a reseller's
         * body cannot name the provider (no resellerUid: its own) */
        if (t->kind == K_COMPANY || t->loc ||
            (t->kind == K_PROVIDER && w->c->kind != C_PROVIDER))
            return NULL;
        body = json_pack("{s:{s:o}, s:{s:o, s:s}}", "organizationInput", "name",
                         json_sprintf("Level Co %d", n), "ownerCredentials", "userName",
                         json_sprintf("lv.owner.%d", n), "password", "Level#2026pass");
        if (t->kind == K_RESELLER && !own)
            json_object_set_new(body, "resellerUid", json_string(t->org));
        break;
    case F_USER:
        if (t->loc == 2)
            return NULL;
        body = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:o, s:s}}", "organizationUid", t->org,
                         "role", created_role[t->kind], "profile", "firstName", "Level", "lastName",
                         "Matrix", "email", "level@example.com", "credentials", "userName",
                         json_sprintf("lv.user.%d", n), "password", "Level#2026pass");
        break;
    case F_LOCATION:
        if (t->kind == K_RESELLER || t->loc)
            return NULL;
        body = json_pack("{s:s, s:o, s:i}", "organizationUid", t->org, "name",
                         json_sprintf("Level location %d", n), "quotaGb", 1);
        break;
    case F_JOB: {
        char server_uid[STORE_OWNER_LEN];
        if (t->loc)
            return NULL;
        first_uid(st, "BackupServer", "org = ?", json_pack("[s]", t->org), server_uid);
        if (!server_uid[0])
            return NULL;
        const operation *op = contract_find_op(contract361, "CreateBackupServerBackupVmVSphereJob");
        ck_assert_ptr_nonnull(op);
        json_t *over = json_pack("{s:s}", "backupServerUid", server_uid);
        request_builder rb = {&server, model361, model361, fixtures, over, NULL};
        char ct[128];
        size_t len;
        char *text = rq_body(&rb, op, (uint64_t)n, &len, ct, sizeof ct);
        json_decref(over);
        snprintf(path, pathlen, "/infrastructure/backupServers/%s/jobs/backupVmJobs/vSphere",
                 server_uid);
        return text;
    }
    case F_PLAN:
        if (t->kind == K_COMPANY || t->loc)
            return NULL;
        body = json_pack("{s:o, s:s, s:s, s:i, s:i}", "name", json_sprintf("Level plan %d", n),
                         "currency", "USD", "taxType", "VAT", "taxPercent", 1, "discountPercent", 0);
        /* its own organization is left out: a plan is its maker's */
        if (!own)
            json_object_set_new(body, "organizationUid", json_string(t->org));
        break;
    default:
        return NULL;
    }
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    return text;
}

static bool inside(level lv)
{
    return lv == OWN || lv == CHILD;
}

/* What VSPC answers a create of family f at t (see the head comment). */
static long expected_create(const who *w, family f, const target *t)
{
    if (!admitted(f, CREATE, w->p.role))
        return 403;
    if (f == F_USER)
        return inside(t->lv) && manages(w->p.role, t->kind) ? 200 : 403;
    if (!inside(t->lv))
        return f == F_JOB ? 404 : 400;
    return 200;
}

/* ... and a patch or delete of a record of family f at t. */
static long expected_item(const who *w, family f, verb v, const target *t)
{
    if (!admitted(f, v, w->p.role))
        return 403;
    if (!inside(t->lv))
        return 404;
    if (f == F_USER && !manages(w->p.role, t->kind))
        return 403;
    return 200;
}

/* After an accepted create: the caller reads the record, made for the
 * organization it named. */
static void check_created(const who *w, family f, const target *t, const json_t *answer,
                          made *m)
{
    const char *uid =
        json_string_value(json_object_get(json_object_get(answer, "data"), "instanceUid"));
    if (!uid) {
        problem("%s: created %s answer no instanceUid", w->c->login, families[f].name);
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/%s", families[f].items, uid);
    json_t *doc = NULL;
    long st = call(w->token, "GET", path, NULL, &doc);
    const json_t *data = json_object_get(doc, "data");
    if (st != 200)
        problem("%s cannot read the %s it created at %s (%s): %ld", w->c->login, families[f].name,
                level_names[t->lv], uid, st);
    /* the organization it was made for */
    const char *key = f == F_COMPANY ? "resellerUid" : "organizationUid";
    const char *want = f == F_COMPANY && t->kind == K_PROVIDER ? NULL : t->org;
    const json_t *have = json_object_get(data, key);
    bool omitted_plan = f == F_PLAN && t->kind == K_PROVIDER && json_is_null(have);
    if (st == 200 && !omitted_plan &&
        (want ? !json_is_string(have) || strcmp(json_string_value(have), want) : !json_is_null(have)))
        problem("%s's %s at %s has %s %s, not %s", w->c->login, families[f].name,
                level_names[t->lv], key, json_is_string(have) ? json_string_value(have) : "null",
                want ? want : "null");
    json_decref(doc);
    m->f = f;
    m->t = t;
    snprintf(m->uid, sizeof m->uid, "%s", uid);
}

/* The owner columns of what w created put it in w's scope, at the
 * organization it was made for. */
static void check_owners(const who *w, const made *mades, size_t n)
{
    if (!n)
        return;
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    for (size_t i = 0; i < n; i++) {
        const made *m = &mades[i];
        const char *type = families[m->f].type;
        store_owner o;
        if (store_owner_get(st, type, m->uid, &o) != STORE_OK) {
            problem("%s's %s %s has no owner columns", w->c->login, type, m->uid);
            continue;
        }
        const char *org = m->f == F_COMPANY ? m->uid : m->t->org;
        if (strcmp(o.org, org))
            problem("%s's %s %s is owned by '%s', not %s", w->c->login, type, m->uid, o.org, org);
        if (m->f == F_COMPANY &&
            strcmp(o.reseller, m->t->kind == K_RESELLER ? m->t->org : ""))
            problem("%s's company %s has reseller '%s'", w->c->login, m->uid, o.reseller);
        if (!scope_holds(&w->scope, rules, type, &o))
            problem("%s's %s %s is outside its scope", w->c->login, type, m->uid);
    }
    test_close_db_copy(st, dir);
}

/* A job of target t's level that no representative is and nothing has
 * deleted yet, for an accepted delete; false when none is left. */
static bool spare_job(store *st, const who *w, const target *t, const json_t *reps,
                      char out[STORE_OWNER_LEN])
{
    json_t *args, *rows = NULL;
    const char *cond = job_condition(w, t, &args);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT uid FROM records WHERE type = 'BackupServerJob' AND %s ORDER BY seq DESC", cond);
    ck_assert_int_eq(store_exec(st, sql, args, 100000, &rows, NULL), STORE_OK);
    json_decref(args);
    bool found = false;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *uid = json_string_value(json_array_get(row, 0));
        if (uid && !json_object_get(reps, uid) && !json_object_get(used_jobs, uid)) {
            snprintf(out, STORE_OWNER_LEN, "%s", uid);
            json_object_set_new(used_jobs, uid, json_true());
            found = true;
            break;
        }
    }
    json_decref(rows);
    return found;
}

/* The patched property's value in data (patch_path is one or two
 * segments). */
static const json_t *patched(const json_t *data, const char *path)
{
    char a[64], b[64];
    if (sscanf(path, "/%63[^/]/%63s", a, b) == 2)
        return json_object_get(json_object_get(data, a), b);
    return json_object_get(data, path + 1);
}

/* The whole matrix for one caller. st: a copy of the database taken
 * after setup (representatives); reps: every representative (uid -> true),
 * which no accepted delete takes. */
static void run_caller(who *w, store *st, const json_t *reps)
{
    size_t nt = w->c->writes ? w->ntargets : 1;
    made mades[64];
    memset(mades, 0, sizeof mades);
    size_t nmade = 0;
    /* the record each (target, family) create made, for its patch and delete */
    char created[8][NFAMILIES][STORE_OWNER_LEN];
    memset(created, 0, sizeof created);
    char rep[8][NFAMILIES][STORE_OWNER_LEN];
    ck_assert_uint_le(nt, 8);

    for (size_t ti = 0; ti < nt; ti++)
        for (int f = 0; f < NFAMILIES; f++) {
            const target *t = &w->targets[ti];
            representative(st, w, (family)f, t, rep[ti][f]);
            /* the level the test gives a record is the level scope.h gives it */
            store_owner o;
            if (rep[ti][f][0] && w->c->writes &&
                (store_owner_get(st, families[f].type, rep[ti][f], &o) != STORE_OK ||
                 scope_holds(&w->scope, rules, families[f].type, &o) != inside(t->lv)))
                problem("%s: the %s %s taken as %s is %s its scope", w->c->login, families[f].type,
                        rep[ti][f], level_names[t->lv], inside(t->lv) ? "outside" : "inside");
        }

    /* creates */
    for (size_t ti = 0; ti < nt; ti++)
        for (int f = 0; f < NFAMILIES; f++) {
            const target *t = &w->targets[ti];
            char path[256];
            char *body = create_body(st, w, (family)f, t, path, sizeof path);
            if (!body) {
                not_applicable++;
                continue;
            }
            json_t *answer = NULL;
            long want = expected_create(w, (family)f, t);
            bool made_it = write_as(w, t, (family)f, CREATE, want, "POST", path, body, &answer);
            free(body);
            /* a vSphere job create is answered from the contract: nothing
             * is stored to read back */
            if (made_it && f != F_JOB && nmade < sizeof mades / sizeof mades[0]) {
                check_created(w, (family)f, t, answer, &mades[nmade]);
                if (mades[nmade].uid[0]) {
                    snprintf(created[ti][f], STORE_OWNER_LEN, "%s", mades[nmade].uid);
                    nmade++;
                }
            }
            json_decref(answer);
        }
    settle();
    check_owners(w, mades, nmade);

    /* patches: the representative, else (inside) what the caller made */
    for (size_t ti = 0; ti < nt; ti++)
        for (int f = 0; f < NFAMILIES; f++) {
            const target *t = &w->targets[ti];
            const char *uid = rep[ti][f][0] ? rep[ti][f] : created[ti][f];
            if (!uid[0]) {
                not_applicable++;
                continue;
            }
            char path[256], body[256], value[64];
            snprintf(path, sizeof path, "%s/%s", families[f].items, uid);
            snprintf(value, sizeof value, "Level patch %d", ++serial);
            snprintf(body, sizeof body, "[{\"op\":\"replace\",\"path\":\"%s\",\"value\":\"%s\"}]",
                     families[f].patch_path, value);
            long want = expected_item(w, (family)f, PATCH, t);
            if (write_as(w, t, (family)f, PATCH, want, "PATCH", path, body, NULL)) {
                json_t *doc = NULL;
                long st2 = call(w->token, "GET", path, NULL, &doc);
                const json_t *now = patched(json_object_get(doc, "data"), families[f].patch_path);
                if (st2 != 200 || !json_is_string(now) || strcmp(json_string_value(now), value))
                    problem("%s's patch of %s %s is not read back (%ld)", w->c->login,
                            families[f].type, uid, st2);
                json_decref(doc);
            }
        }

    /* deletes: inside, what the caller made (a spare job for jobs) — or,
     * where the delete is refused anyway, the representative; outside,
     * the representative */
    for (size_t ti = 0; ti < nt; ti++)
        for (int f = 0; f < NFAMILIES; f++) {
            const target *t = &w->targets[ti];
            long want = expected_item(w, (family)f, DELETE, t);
            char uid[STORE_OWNER_LEN] = "";
            if (!inside(t->lv) || want != 200)
                snprintf(uid, sizeof uid, "%s", rep[ti][f][0] ? rep[ti][f] : created[ti][f]);
            else if (f == F_JOB) {
                if (!spare_job(st, w, t, reps, uid))
                    no_spare_job++;
            } else
                snprintf(uid, sizeof uid, "%s", created[ti][f]);
            if (!uid[0]) {
                not_applicable++;
                continue;
            }
            char path[256];
            /* DeleteCompany requires removeAllAgents */
            snprintf(path, sizeof path, "%s/%s%s", families[f].items, uid,
                     f == F_COMPANY ? "?removeAllAgents=false" : "");
            if (write_as(w, t, (family)f, DELETE, want, "DELETE", path, NULL, NULL)) {
                snprintf(path, sizeof path, "%s/%s", families[f].items, uid);
                long st2 = call(w->token, "GET", path, NULL, NULL);
                if (st2 != 404)
                    problem("%s deleted %s %s, which still reads %ld", w->c->login,
                            families[f].type, uid, st2);
            }
        }
    settle();
}

/* What the matrix needs beyond the fixtures, made as the administrator: a
 * user in each organization that has none (its family's representative),
 * a location of Alpha that no location user is assigned (the location
 * roles' sibling), and Alpha's jobs bound to a location user's own
 * location and to that one. */
static void prepare_world(const char *admin, const caller_scope *locadmin)
{
    static const struct {
        const char *org, *role, *login;
    } made_users[] = {{BETA, "CompanyLocationUser", "lv.beta"},
                      {FABRIKAM, "CompanyLocationUser", "lv.fabrikam"},
                      {HARBOR, "ResellerUser", "lv.harbor"}};
    for (size_t i = 0; i < sizeof made_users / sizeof made_users[0]; i++) {
        json_t *body = json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s}}", "organizationUid",
                                 made_users[i].org, "role", made_users[i].role, "profile",
                                 "firstName", "Level", "lastName", "Target", "email",
                                 "target@example.com", "credentials", "userName",
                                 made_users[i].login, "password", "Target#2026pass");
        char *text = json_dumps(body, JSON_COMPACT);
        ck_assert_int_eq(call(admin, "POST", "/users", text, NULL), 200);
        free(text);
        json_decref(body);
    }
    json_t *doc = NULL;
    ck_assert_int_eq(call(admin, "POST", "/organizations/locations",
                          "{\"organizationUid\":\"" ALPHA "\",\"name\":\"Branch office\","
                          "\"quotaGb\":1}",
                          &doc),
                     200);
    snprintf(branch, sizeof branch, "%s",
             json_string_value(json_object_get(json_object_get(doc, "data"), "instanceUid")));
    json_decref(doc);
    ck_assert_uint_ge(locadmin->nlocations, 1);
    /* Alpha's jobs: the first at the branch, the others at the location
     * administrator's own location */
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    json_t *args = json_pack("[s]", ALPHA), *rows = NULL;
    ck_assert_int_eq(store_exec(st,
                                "SELECT uid FROM records WHERE type = 'BackupServerJob' AND org = ?"
                                " ORDER BY seq",
                                args, 1000, &rows, NULL),
                     STORE_OK);
    json_decref(args);
    test_close_db_copy(st, dir);
    ck_assert_uint_ge(json_array_size(rows), 3);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        char path[256], body[256];
        snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s",
                 json_string_value(json_array_get(row, 0)));
        snprintf(body, sizeof body,
                 "[{\"op\":\"replace\",\"path\":\"/locationUid\",\"value\":\"%s\"}]",
                 i == 1 ? branch : locadmin->locations[0]);
        ck_assert_int_eq(call(admin, "PATCH", path, body, NULL), 200);
    }
    json_decref(rows);
}

START_TEST(write_matrix_by_level)
{
    double started = test_now();
    problems = json_array();
    pending = json_array();
    char *admin = strdup(http_bearer());
    who ws[NCALLERS];
    memset(ws, 0, sizeof ws);
    /* scopes first: the location administrator's own location shapes the world */
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    for (size_t i = 0; i < NCALLERS; i++) {
        ws[i].c = &callers[i];
        ws[i].p = test_principal_of(fixtures, callers[i].login);
        ck_assert(scope_of(st, rules, &ws[i].p, &ws[i].scope));
    }
    test_close_db_copy(st, dir);
    const caller_scope *locadmin = NULL;
    for (size_t i = 0; i < NCALLERS; i++)
        if (!strcmp(callers[i].login, "alpha.locadmin"))
            locadmin = &ws[i].scope;
    ck_assert_ptr_nonnull(locadmin);
    ck_assert_int_eq(locadmin->kind, SCOPE_LOCATION);
    prepare_world(admin, locadmin);

    st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    json_t *reps = json_object();
    for (size_t i = 0; i < NCALLERS; i++) {
        who *w = &ws[i];
        switch (w->c->kind) {
        case C_PROVIDER: w->targets = provider_targets; w->ntargets = 3; break;
        case C_RESELLER: w->targets = reseller_targets; w->ntargets = 5; break;
        case C_COMPANY: w->targets = company_targets; w->ntargets = 5; break;
        case C_LOCATION: w->targets = location_targets; w->ntargets = 5; break;
        }
        for (size_t ti = 0; ti < w->ntargets; ti++) {
            char uid[STORE_OWNER_LEN];
            representative(st, w, F_JOB, &w->targets[ti], uid);
            if (uid[0])
                json_object_set_new(reps, uid, json_true());
        }
        w->token = server_token(&server, w->c->login, NULL);
    }
    for (size_t i = 0; i < NCALLERS; i++)
        run_caller(&ws[i], st, reps);
    test_close_db_copy(st, dir);
    json_decref(reps);

    long acc[NLEVELS] = {0}, ref[NLEVELS] = {0};
    char line[1024] = "";
    for (int lv = 0; lv < NLEVELS; lv++) {
        for (int v = 0; v < NVERBS; v++) {
            acc[lv] += accepted[lv][v];
            ref[lv] += refused[lv][v];
        }
        size_t used = strlen(line);
        snprintf(line + used, sizeof line - used,
                 "%s%s %ld accepted (%ld/%ld/%ld), %ld refused (%ld/%ld/%ld)", lv ? "; " : "",
                 level_names[lv], acc[lv], accepted[lv][CREATE], accepted[lv][PATCH],
                 accepted[lv][DELETE], ref[lv], refused[lv][CREATE], refused[lv][PATCH],
                 refused[lv][DELETE]);
    }
    fprintf(stderr,
            "tenancy levels (creates/patches/deletes): %s; %ld not applicable, %ld deletes "
            "without a spare job; %zu problems; %.1f s\n",
            line, not_applicable, no_spare_job, json_array_size(problems), test_now() - started);
    size_t nproblems = json_array_size(problems);
    char *first = nproblems ? strdup(json_string_value(json_array_get(problems, 0))) : NULL;
    json_decref(problems);
    json_decref(pending);
    json_decref(baseline);
    baseline = NULL;
    for (size_t i = 0; i < NCALLERS; i++)
        free(ws[i].token);
    free(admin);
    ck_assert_msg(nproblems == 0, "%zu problems, the first: %s", nproblems, first);
    free(first);
    /* floors (measured: own 27/31/28 accepted, 25/31/31 refused; sibling
     * 33/52/52 refused; parent 40/36/36 refused; child 23/38/28 accepted):
     * the matrix cannot silently shrink */
    static const long floor_accepted[NLEVELS][NVERBS] = {{24, 28, 24}, {0}, {0}, {20, 34, 24}};
    static const long floor_refused[NLEVELS][NVERBS] = {{22, 28, 28}, {30, 46, 46}, {36, 32, 32}};
    for (int lv = 0; lv < NLEVELS; lv++)
        for (int v = 0; v < NVERBS; v++) {
            ck_assert_msg(accepted[lv][v] >= floor_accepted[lv][v], "%s %ss accepted: %ld < %ld",
                          level_names[lv], verb_names[v], accepted[lv][v], floor_accepted[lv][v]);
            ck_assert_msg(refused[lv][v] >= floor_refused[lv][v], "%s %ss refused: %ld < %ld",
                          level_names[lv], verb_names[v], refused[lv][v], floor_refused[lv][v]);
        }
    ck_assert_int_eq(acc[SIBLING] + acc[PARENT], 0);
}
END_TEST

/* A patch that removes a record's location reference moves the record:
 * a job of Alpha bound to a location the location administrator is not
 * assigned is outside its scope until the reference is removed, then
 * bound to none, inside it (its owner columns are derived again). */
START_TEST(removed_reference_moves_the_record)
{
    char *admin = strdup(http_bearer());
    char *locadmin = server_token(&server, "alpha.locadmin", NULL);
    json_t *doc = NULL;
    ck_assert_int_eq(call(admin, "POST", "/organizations/locations",
                          "{\"organizationUid\":\"" ALPHA "\",\"name\":\"Annex\",\"quotaGb\":1}",
                          &doc),
                     200);
    char annex[64], job[STORE_OWNER_LEN], path[256], body[256];
    snprintf(annex, sizeof annex, "%s",
             json_string_value(json_object_get(json_object_get(doc, "data"), "instanceUid")));
    json_decref(doc);
    char dir[64];
    store *st = test_open_db_copy(server.data_dir, dir, sizeof dir);
    first_uid(st, "BackupServerJob", "org = ?", json_pack("[s]", ALPHA), job);
    test_close_db_copy(st, dir);
    ck_assert(job[0]);
    snprintf(path, sizeof path, "/infrastructure/backupServers/jobs/%s", job);
    snprintf(body, sizeof body, "[{\"op\":\"replace\",\"path\":\"/locationUid\",\"value\":\"%s\"}]",
             annex);
    ck_assert_int_eq(call(admin, "PATCH", path, body, NULL), 200);
    ck_assert_int_eq(call(locadmin, "GET", path, NULL, NULL), 404);
    ck_assert_int_eq(call(admin, "PATCH", path, "[{\"op\":\"remove\",\"path\":\"/locationUid\"}]",
                          NULL),
                     200);
    ck_assert_int_eq(call(locadmin, "GET", path, NULL, NULL), 200);
    free(locadmin);
    free(admin);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http_tenancy_levels");
    TCase *tc = tcase_create("levels");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, write_matrix_by_level);
    tcase_add_test(tc, removed_reference_moves_the_record);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
