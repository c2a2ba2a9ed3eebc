/* test_generate_values.c — generated values look like what they mean: no
 * placeholder words anywhere in the default world, well-formed e-mails,
 * hosts, IPs and product builds of the VSPC 9.1 era, paths of the right
 * platform, sizes within their capacities, one persona per record, and the
 * same seed giving the same value. */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/entities.h"
#include "contract/generate.h"
#include "contract/generate_sizes.h"
#include "contract/generate_tables.h"
#include "world/fixtures.h"
#include "store/store.h"
#include "testutil.h"
#include "world/world.h"

static contract *c;
static entity_model *m;
static json_t *fixtures;

static void setup(void)
{
    c = test_load_contract("3.6.1");
    m = test_model_of(c);
    fixtures = test_load_fixtures();
}

static void teardown(void)
{
    json_decref(fixtures);
    entities_free(m);
    contract_free(c);
}

static const json_t *schema_of(const char *entity_name)
{
    const entity *e = entities_find(m, entity_name);
    ck_assert_msg(e != NULL, "no entity %s", entity_name);
    return e->schema;
}

static json_t *gen_as(const char *entity_name, uint64_t seed)
{
    json_t *v = generate_value_as(&c->schemas, schema_of(entity_name), NULL, entity_name, seed);
    ck_assert_ptr_nonnull(v);
    return v;
}

/* ---- what a placeholder looked like ------------------------------------ */

/* The old generator's filler words: "Tundra Name 32", "Bravo Action 28",
 * "Cedar Juniper", "E:\\Shares\\Quartz", "Summit#9148!". */
static const char *const OLD_WORDS[] = {
    "Alpha", "Bravo", "Cedar", "Delta", "Everest", "Falcon", "Granite", "Harbor",
    "Indigo", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer",
    "Quartz", "Redwood", "Summit", "Tundra", "Vertex", "Willow",
};

/* Length of the old filler word text starts with (followed by a non-letter),
 * 0 if none. */
static size_t old_word_at(const char *text)
{
    for (size_t i = 0; i < sizeof OLD_WORDS / sizeof *OLD_WORDS; i++) {
        size_t n = strlen(OLD_WORDS[i]);
        if (!strncmp(text, OLD_WORDS[i], n) && !isalpha((unsigned char)text[n]))
            return n;
    }
    return 0;
}

/* True for the shapes the old generator produced: a filler word then
 * capitalised words then two digits ("Tundra Name 32"), two filler words
 * ("Cedar Juniper"), a path or job ending in one ("\\Quartz", "- Bravo"),
 * a filler password ("Summit#9148!") or file ("Lumen_0042.vbk"). */
static bool placeholder(const char *s)
{
    size_t len = strlen(s), w = old_word_at(s);
    if (w) {
        if (s[w] == '#' || s[w] == '_')
            return true;
        if (s[w] == ' ' && old_word_at(s + w + 1) && !s[w + 1 + old_word_at(s + w + 1)])
            return true;
        if (len >= 3 && isdigit((unsigned char)s[len - 1]) && isdigit((unsigned char)s[len - 2]) &&
            s[len - 3] == ' ')
            return true; /* "Tundra Name 32", "Bravo 7" has one digit and is caught below */
        if (s[w] == ' ' && isdigit((unsigned char)s[w + 1]))
            return true;
    }
    for (const char *p = s; *p; p++)
        if ((*p == '\\' || !strncmp(p, "- ", 2)) && old_word_at(p + (*p == '\\' ? 1 : 2)) &&
            !p[(*p == '\\' ? 1 : 2) + old_word_at(p + (*p == '\\' ? 1 : 2))])
            return true;
    /* "Parkside Name": a stem with nothing of its own */
    if (len > 5 && !strcmp(s + len - 5, " Name"))
        return true;
    /* "<Anything> Name 07", "<Anything> Object 39": a stem and a number */
    static const char *const stems[] = {" Name ", " Object ", " Display ", " Friendly ", " Item "};
    for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
        const char *at = strstr(s, stems[i]);
        if (at && isdigit((unsigned char)at[strlen(stems[i])]))
            return true;
    }
    return false;
}

START_TEST(placeholder_shapes_are_recognised)
{
    /* the detector must be able to fail: the old shapes are caught */
    ck_assert(placeholder("Tundra Name 32"));
    ck_assert(placeholder("Bravo Action 28"));
    ck_assert(placeholder("Cedar Juniper"));
    ck_assert(placeholder("E:\\Shares\\Quartz"));
    ck_assert(placeholder("Daily Backup - Bravo"));
    ck_assert(placeholder("Summit#9148!"));
    ck_assert(placeholder("Quartz Object 39"));
    ck_assert(placeholder("Lumen_0042.vbk"));
    ck_assert(placeholder("Parkside Name"));
    /* and real names are not, the seed's Alpha included */
    ck_assert(!placeholder("Alpha"));
    ck_assert(!placeholder("Nimbus Cloud Partners"));
    ck_assert(!placeholder("Harbor IT Services"));
    ck_assert(!placeholder("SQL Servers Daily Backup"));
    ck_assert(!placeholder("D:\\Shares\\Finance"));
}
END_TEST

/* ---- well-formed values ------------------------------------------------ */

static bool is_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at, '.');
    if (!dot || dot < at + 2 || strlen(dot) < 3)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("@._-+", *p))
            return false;
    return true;
}

static bool is_ipv4(const char *s)
{
    int a, b, cc, d;
    char tail;
    return sscanf(s, "%d.%d.%d.%d%c", &a, &b, &cc, &d, &tail) == 4 && a >= 0 && a <= 255 &&
           b >= 0 && b <= 255 && cc >= 0 && cc <= 255 && d >= 0 && d <= 255;
}

static bool is_host(const char *s)
{
    if (!*s || *s == '-' || *s == '.')
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
            return false;
    return true;
}

/* "12.3.1.1139" (with an optional " P20220302" patch suffix, as the seed's
 * LRSVBR11CC shows) */
static bool is_build(const char *s, int *major)
{
    int a, b, cc, d, n = 0;
    if (sscanf(s, "%d.%d.%d.%d%n", &a, &b, &cc, &d, &n) != 4)
        return false;
    *major = a;
    return s[n] == '\0' || s[n] == ' ';
}

/* Checks one string member of the world by its name; counts what it checked. */
typedef struct tally {
    long strings, emails, ips, hosts, builds, pairs;
} tally;

static void check_string(const char *type, const char *key, const char *s, tally *t)
{
    char lower[128];
    size_t n = 0;
    for (; key[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)key[n]);
    lower[n] = '\0';
    t->strings++;
    bool identifier = n > 2 && !strcmp(lower + n - 2, "id");
    ck_assert_msg(!placeholder(s), "%s.%s = \"%s\" is a placeholder", type, key, s);
    if (strstr(lower, "email") && strcmp(lower, "emailcontent") && *s) {
        ck_assert_msg(is_email(s), "%s.%s = \"%s\" is no e-mail", type, key, s);
        t->emails++;
    }
    if (strstr(lower, "ipaddress") && !identifier && *s) {
        ck_assert_msg(is_ipv4(s), "%s.%s = \"%s\" is no IPv4 address", type, key, s);
        t->ips++;
    }
    if ((strstr(lower, "hostname") || strstr(lower, "fqdn")) && *s) {
        ck_assert_msg(is_host(s), "%s.%s = \"%s\" is no host name", type, key, s);
        t->hosts++;
    }
    int major;
    if (strstr(lower, "version") && !strstr(lower, "osversion") &&
        isdigit((unsigned char)s[0]) && strchr(s, '.')) {
        ck_assert_msg(is_build(s, &major), "%s.%s = \"%s\" is no build", type, key, s);
        t->builds++;
    }
}

/* Every integer that is used/free of a capacity beside it fits it. */
static void check_sizes(const char *type, json_t *obj, tally *t)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (!json_is_integer(v) || strncmp(key, "used", 4) || !key[4])
            continue;
        /* usedStorageQuota -> storageQuota */
        char whole[128];
        snprintf(whole, sizeof whole, "%c%s", (char)tolower((unsigned char)key[4]), key + 5);
        json_t *cap = json_object_get(obj, whole);
        if (!json_is_integer(cap))
            cap = json_object_get(obj, "capacity");
        if (!json_is_integer(cap))
            continue;
        ck_assert_msg(json_integer_value(v) <= json_integer_value(cap),
                      "%s.%s = %lld exceeds %lld", type, key, (long long)json_integer_value(v),
                      (long long)json_integer_value(cap));
        t->pairs++;
    }
}

static void walk(const char *type, const char *key, json_t *v, tally *t)
{
    const char *k;
    json_t *member;
    size_t i;
    if (json_is_object(v)) {
        check_sizes(type, v, t);
        json_object_foreach(v, k, member) walk(type, k, member, t);
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, member) walk(type, key, member, t);
    } else if (json_is_string(v)) {
        check_string(type, key ? key : "", json_string_value(v), t);
    }
}

/* Builds the world of o and walks every string of every record. */
static tally walk_world(const world_options *o)
{
    char dir[64] = "/tmp/vspc-values-XXXXXX", db[128], err[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/vspc.db", dir);
    store *st = store_open(db, err, sizeof err);
    ck_assert_msg(st != NULL, "%s", err);
    world_stats stats;
    ck_assert_msg(world_build(st, m, o, &stats, err, sizeof err), "%s", err);
    tally t = {0};
    for (size_t k = 0; k < m->count; k++) {
        buf page;
        buf_init(&page);
        long total;
        ck_assert_int_eq(store_list(st, m->entities[k].name, NULL, 0, -1, &total, &page),
                         STORE_OK);
        json_t *records = json_loads(page.data, 0, NULL);
        buf_free(&page);
        walk(m->entities[k].name, NULL, records, &t);
        json_decref(records);
    }
    store_close(st);
    test_rm_rf(dir);
    return t;
}

START_TEST(default_world_reads_as_real)
{
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = WORLD_DEFAULT_COMPANIES,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures};
    tally t = walk_world(&o);
    printf("default world: %ld strings, %ld e-mails, %ld IPs, %ld hosts, %ld builds, "
           "%ld used/capacity pairs checked\n",
           t.strings, t.emails, t.ips, t.hosts, t.builds, t.pairs);
    /* the walk saw each kind (a rule lost would make it vacuous) */
    ck_assert_int_gt(t.strings, 5000);
    ck_assert_int_gt(t.emails, 10);
    ck_assert_int_gt(t.ips, 10);
    ck_assert_int_gt(t.hosts, 10);
    ck_assert_int_gt(t.builds, 10);
    ck_assert_int_gt(t.pairs, 3);
}
END_TEST

START_TEST(large_world_reads_as_real)
{
    /* most companies generated, not written: their names too */
    world_options o = {.seed = WORLD_DEFAULT_SEED, .companies = 1000,
                       .per_entity = WORLD_DEFAULT_PER_ENTITY, .fixtures = fixtures};
    tally t = walk_world(&o);
    printf("1,000-company world: %ld strings, %ld e-mails checked\n", t.strings, t.emails);
    ck_assert_int_gt(t.strings, 20000);
}
END_TEST

/* ---- what the entity steers -------------------------------------------- */

static const char *str_at(const json_t *v, const char *pointer)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%s", pointer);
    const json_t *at = v;
    for (char *part = strtok(copy, "/"); part && at; part = strtok(NULL, "/"))
        at = json_is_array(at) ? json_array_get(at, (size_t)atoi(part)) : json_object_get(at, part);
    return json_string_value(at);
}

START_TEST(versions_are_of_their_product)
{
    /* /about is VSPC 9.1's build; the agents it names are theirs */
    const json_t *about = json_object_get(c->schemas.schemas, "About");
    ck_assert_ptr_nonnull(about);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        json_t *a = generate_value(&c->schemas, about, "data", seed);
        ck_assert_str_eq(str_at(a, "serverVersion"), VSPC_BUILD);
        ck_assert_str_eq(str_at(a, "windowsManagementAgentVersion"), VSPC_BUILD);
        ck_assert(!strncmp(str_at(a, "actualVawVersion"), "6.", 2));
        ck_assert(!strncmp(str_at(a, "actualValVersion"), "6.", 2));
        ck_assert(!strncmp(str_at(a, "actualVamVersion"), "2.", 2));
        json_decref(a);
        int major;
        json_t *vbr = gen_as("BackupServer", seed);
        ck_assert(is_build(str_at(vbr, "version"), &major));
        ck_assert_msg(major == 12 || major == 13, "VBR %s", str_at(vbr, "version"));
        json_decref(vbr);
        json_t *vb365 = gen_as("Vb365Server", seed);
        ck_assert_msg(!strncmp(str_at(vb365, "version"), "8.", 2), "VB365 %s",
                      str_at(vb365, "version"));
        json_decref(vb365);
        json_t *vone = gen_as("VOneServer", seed);
        ck_assert_msg(!strncmp(str_at(vone, "version"), "12.", 3), "VONE %s",
                      str_at(vone, "version"));
        json_decref(vone);
    }
}
END_TEST

/* The first string of v (depth first) whose key is `key`, or NULL. */
static const char *find_string(const json_t *v, const char *key)
{
    const char *k;
    json_t *member;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k, member) {
            if (!strcmp(k, key) && json_is_string(member))
                return json_string_value(member);
            const char *found = find_string(member, key);
            if (found)
                return found;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, member) {
            const char *found = find_string(member, key);
            if (found)
                return found;
        }
    }
    return NULL;
}

START_TEST(paths_follow_the_platform)
{
    long posix = 0, windows = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        json_t *lin = gen_as("LinuxBackupPolicy", seed), *win = gen_as("WindowsBackupPolicy", seed);
        const char *lp = find_string(lin, "localPath"), *wp = find_string(win, "localPath");
        if (lp) {
            ck_assert_msg(lp[0] == '/', "Linux path %s", lp);
            posix++;
        }
        if (wp) {
            ck_assert_msg(isupper((unsigned char)wp[0]) && wp[1] == ':' && wp[2] == '\\',
                          "Windows path %s", wp);
            windows++;
        }
        json_decref(lin);
        json_decref(win);
    }
    ck_assert_int_gt(posix, 0);
    ck_assert_int_gt(windows, 0);
}
END_TEST

START_TEST(one_persona_per_record)
{
    /* an organization's e-mail and website are at one domain, and the
     * Company perspective (same seed: same UID) has the same name */
    for (uint64_t seed = 1; seed <= 20; seed++) {
        json_t *org = gen_as("Organization", seed), *co = gen_as("Company", seed);
        const char *email = str_at(org, "email"), *site = str_at(org, "website");
        ck_assert(is_email(email));
        ck_assert_msg(!strncmp(site, "www.", 4) && !strcmp(strchr(email, '@') + 1, site + 4),
                      "%s and %s", email, site);
        ck_assert_str_eq(str_at(org, "name"), str_at(co, "name"));
        /* a computer's host name and FQDN name one host */
        json_t *agent = gen_as("ManagementAgent", seed);
        const char *host = str_at(agent, "computerInfo/hostName");
        const char *fqdn = str_at(agent, "computerInfo/fqdn");
        ck_assert_ptr_nonnull(host);
        ck_assert_ptr_nonnull(fqdn);
        ck_assert_msg(!strncmp(fqdn, host, strlen(host)) && fqdn[strlen(host)] == '.', "%s and %s",
                      host, fqdn);
        json_decref(agent);
        ck_assert(!placeholder(str_at(org, "name")));
        json_decref(org);
        json_decref(co);
    }
}
END_TEST

START_TEST(every_entity_valid_as_itself)
{
    /* steering by entity never breaks the schema */
    for (size_t k = 0; k < m->count; k++) {
        const entity *e = &m->entities[k];
        for (uint64_t seed = 1; seed <= 3; seed++) {
            json_t *v = generate_value_as(&c->schemas, e->schema, NULL, e->name, seed);
            ck_assert_ptr_nonnull(v);
            schema_error err;
            ck_assert_msg(schema_validate(&c->schemas, e->schema, v, &err), "%s: %s: %s",
                          e->name, err.path, err.message);
            json_decref(v);
        }
    }
}
END_TEST

START_TEST(same_seed_same_value)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        json_t *a = gen_as("BackupServerJob", seed), *b = gen_as("BackupServerJob", seed);
        ck_assert(json_equal(a, b));
        json_t *other = gen_as("BackupServerJob", seed + 100);
        ck_assert(!json_equal(a, other));
        json_decref(a);
        json_decref(b);
        json_decref(other);
    }
}
END_TEST

START_TEST(sizes_fit_their_capacity)
{
    for (uint64_t seed = 1; seed <= 50; seed++) {
        json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "capacityBytes",
                              (json_int_t)1000000, "usedSpaceBytes", (json_int_t)9000000,
                              "freeSpaceBytes", (json_int_t)9000000, "storageQuota",
                              (json_int_t)500, "usedStorageQuota", (json_int_t)700, "vmsQuota",
                              (json_int_t)10);
        sizes_fit(o, seed);
        json_int_t used = json_integer_value(json_object_get(o, "usedSpaceBytes"));
        json_int_t free_ = json_integer_value(json_object_get(o, "freeSpaceBytes"));
        ck_assert(used >= 0 && used <= 1000000);
        ck_assert_int_eq(used + free_, 1000000);
        ck_assert(json_integer_value(json_object_get(o, "usedStorageQuota")) <= 500);
        ck_assert_int_eq(json_integer_value(json_object_get(o, "vmsQuota")), 10);
        json_decref(o);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("generate_values");
    TCase *tc = tcase_create("values");
    tcase_add_unchecked_fixture(tc, setup, teardown); /* the contract, once */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, placeholder_shapes_are_recognised);
    tcase_add_test(tc, default_world_reads_as_real);
    tcase_add_test(tc, large_world_reads_as_real);
    tcase_add_test(tc, versions_are_of_their_product);
    tcase_add_test(tc, paths_follow_the_platform);
    tcase_add_test(tc, one_persona_per_record);
    tcase_add_test(tc, every_entity_valid_as_itself);
    tcase_add_test(tc, same_seed_same_value);
    tcase_add_test(tc, sizes_fit_their_capacity);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_NOFORK);
}
