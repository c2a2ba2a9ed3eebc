/* test_generate.c — unit tests of generate.c: every component schema of the
 * three contract documents generates values that validate, generation is
 * deterministic and seed-dependent, and values look plausible.
 *
 * The contract is read from $VSPC_SCHEMA_DIR (default "schema").
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "contract/generate.h"
#include "base/rng.h"
#include "contract/schema.h"
#include "base/uuid.h"
#include "testutil.h"

/* ---- contract documents ------------------------------------------------- */

typedef struct contract_doc {
    const char *file;
    bool implicit_nullable;
    json_t *doc;
} contract_doc;

/* Loaded once before the forked tests run (an unchecked fixture). */
static contract_doc docs[] = {
    {"vspc-rest-3.5.1.json", true, NULL},
    {"vspc-rest-3.6.json", true, NULL},
    {"vspc-rest-3.6.1.json", false, NULL},
};
#define N_DOCS (sizeof docs / sizeof docs[0])

static void load_docs(void)
{
    const char *dir = test_schema_dir();
    for (size_t i = 0; i < N_DOCS; i++) {
        char path[1024];
        json_error_t jerr;
        snprintf(path, sizeof path, "%s/%s", dir, docs[i].file);
        docs[i].doc = json_load_file(path, 0, &jerr);
        if (!docs[i].doc)
            fprintf(stderr, "cannot load %s: %s\n", path, jerr.text);
    }
}

static void free_docs(void)
{
    for (size_t i = 0; i < N_DOCS; i++) {
        json_decref(docs[i].doc);
        docs[i].doc = NULL;
    }
}


/* ---- every schema of every document --------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Walks a generated value: every string member named "email"/"...Email"
 * holds an '@', every string member named "...Uid" is a UUID. */
static void check_plausible(const json_t *value, const char *schema_name)
{
    const char *key;
    json_t *member;
    size_t i;
    if (json_is_array(value)) {
        json_array_foreach(value, i, member)
            check_plausible(member, schema_name);
        return;
    }
    json_object_foreach((json_t *)value, key, member) {
        const char *text = json_string_value(member);
        if (text && (strcmp(key, "email") == 0 || ends_with(key, "Email")))
            ck_assert_msg(strchr(text, '@'), "%s.%s: '%s' is no e-mail address", schema_name,
                          key, text);
        if (text && ends_with(key, "Uid"))
            ck_assert_msg(uuid_valid(text), "%s.%s: '%s' is no UUID", schema_name, key, text);
        check_plausible(member, schema_name);
    }
}

/* For an enum schema whose members are not all "Unknown"/"REMOVED_...": the
 * value is none of those. */
static void check_enum_choice(const json_t *schema, const json_t *value, const char *name)
{
    const json_t *members = json_object_get(schema, "enum");
    size_t i, usable = 0;
    const json_t *member;
    json_array_foreach(members, i, member) {
        const char *text = json_string_value(member);
        usable += text && strcasecmp(text, "unknown") != 0 && strncmp(text, "REMOVED_", 8) != 0;
    }
    const char *picked = json_string_value(value);
    if (usable > 0 && picked) {
        ck_assert_msg(strcasecmp(picked, "unknown") != 0, "%s picked %s", name, picked);
        ck_assert_msg(strncmp(picked, "REMOVED_", 8) != 0, "%s picked %s", name, picked);
    }
}

static const uint64_t SEEDS[] = {1, 0x5EED, 0xC0FFEE};
#define N_SEEDS (sizeof SEEDS / sizeof SEEDS[0])

/* Generates every component schema of docs[index] with each seed, validates
 * each value, checks determinism and counts schemas whose values do not
 * depend on the seed. */
static void check_document(size_t index)
{
    ck_assert_msg(docs[index].doc != NULL, "%s did not load", docs[index].file);
    schema_ctx ctx;
    schema_ctx_init(&ctx, docs[index].doc, docs[index].implicit_nullable);
    ck_assert_ptr_nonnull(ctx.schemas);
    double start = test_now();
    size_t n_schemas = 0, n_same = 0, n_values = 0, n_rich = 0, n_rich_same = 0;
    const char *name;
    json_t *schema;
    json_object_foreach((json_t *)ctx.schemas, name, schema) {
        json_t *first = NULL;
        bool all_same = true;
        for (size_t s = 0; s < N_SEEDS; s++) {
            json_t *value = generate_value(&ctx, schema, NULL, rng_mix(SEEDS[s], name));
            ck_assert_msg(value != NULL, "%s: %s: no value generated", docs[index].file, name);
            schema_error err;
            bool ok = schema_validate(&ctx, schema, value, &err);
            if (!ok) {
                char *text = json_dumps(value, JSON_COMPACT);
                fprintf(stderr, "%s: %s (seed %zu): %s\n", name, err.path, s, text ? text : "");
                free(text);
            }
            ck_assert_msg(ok, "%s: schema %s, seed %zu: at '%s': %s", docs[index].file, name,
                          s, err.path, err.message);
            n_values++;
            check_plausible(value, name);
            check_enum_choice(schema, value, name);
            if (s == 0)
                first = value;
            else {
                all_same = all_same && json_equal(first, value);
                json_decref(value);
            }
        }
        json_t *again = generate_value(&ctx, schema, NULL, rng_mix(SEEDS[0], name));
        ck_assert_msg(json_equal(first, again), "%s: schema %s is not deterministic",
                      docs[index].file, name);
        json_decref(again);
        n_schemas++;
        n_same += all_same;
        bool rich = json_object_size(first) >= 3; /* an object of 3+ members */
        n_rich += rich;
        n_rich_same += rich && all_same;
        json_decref(first);
    }
    double elapsed = test_now() - start;
    printf("%s: %zu schemas, %zu values generated and validated (+%zu regenerated) "
           "in %.3f s; %zu schemas gave the same value for every seed\n",
           docs[index].file, n_schemas, n_values, n_schemas, elapsed, n_same);
    ck_assert_uint_gt(n_schemas, 1900);
    /* Enums of two members, objects of one boolean and the like often give
     * the same value by chance; objects of three or more members must not. */
    ck_assert_msg(n_same * 10 < n_schemas, "%zu of %zu schemas ignore the seed", n_same,
                  n_schemas);
    ck_assert_msg(n_rich_same * 100 < n_rich, "%zu of %zu objects ignore the seed",
                  n_rich_same, n_rich);
}

START_TEST(test_every_schema_3_5_1) { check_document(0); }
END_TEST

START_TEST(test_every_schema_3_6) { check_document(1); }
END_TEST

START_TEST(test_every_schema_3_6_1) { check_document(2); }
END_TEST

/* ---- plausibility on a small document ------------------------------------ */

static const char *MINI_DOC =
    "{\"components\":{\"schemas\":{"
    "\"Person\":{\"type\":\"object\",\"properties\":{"
    "  \"email\":{\"type\":\"string\"},"
    "  \"companyUid\":{\"type\":\"string\",\"format\":\"uuid\"},"
    "  \"status\":{\"$ref\":\"#/components/schemas/Status\"},"
    "  \"port\":{\"type\":\"integer\"},"
    "  \"storageQuota\":{\"type\":\"integer\"},"
    "  \"created\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "  \"day\":{\"type\":\"string\",\"format\":\"date\"},"
    "  \"hostName\":{\"type\":\"string\"},"
    "  \"ipAddresses\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "  \"version\":{\"type\":\"string\"},"
    "  \"price\":{\"type\":\"number\"},"
    "  \"_embedded\":{\"$ref\":\"#/components/schemas/Embedded\"}},"
    " \"required\":[\"email\"],\"additionalProperties\":false},"
    "\"Status\":{\"type\":\"string\",\"enum\":[\"Unknown\",\"Active\",\"REMOVED_Old\",\"Disabled\"]},"
    "\"OnlyUnknown\":{\"type\":\"string\",\"enum\":[\"Unknown\"]},"
    "\"OnlyAvoided\":{\"type\":\"string\",\"enum\":[\"REMOVED_A\",\"Unknown\"]},"
    "\"Wrapped\":{\"allOf\":[{\"$ref\":\"#/components/schemas/Status\"}],\"default\":\"Active\"},"
    "\"Embedded\":{\"type\":\"object\",\"nullable\":true,\"properties\":{\"x\":{\"type\":\"string\"}}},"
    "\"Node\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
    "  \"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Node\"}},"
    "  \"parent\":{\"$ref\":\"#/components/schemas/NullableNode\"}}},"
    "\"NullableNode\":{\"type\":\"object\",\"nullable\":true,\"properties\":{"
    "  \"up\":{\"$ref\":\"#/components/schemas/NullableNode\"}}},"
    "\"Loop\":{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#/components/schemas/Loop\"}},"
    "  \"required\":[\"next\"]},"
    "\"A\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]},"
    "\"B\":{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"integer\"}}},"
    "\"Merged\":{\"allOf\":[{\"$ref\":\"#/components/schemas/A\"},{\"$ref\":\"#/components/schemas/B\"}]},"
    "\"Map\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
    "\"Optional\":{\"type\":\"object\",\"properties\":{\"note\":{\"type\":\"string\"},"
    "  \"_embedded\":{\"type\":\"object\"}},\"required\":[\"note\"]},"
    "\"Broken\":{\"$ref\":\"#/components/schemas/Missing\"}"
    "}}}";

static json_t *mini;

static void load_mini(void)
{
    json_error_t jerr;
    mini = json_loads(MINI_DOC, 0, &jerr);
    if (!mini)
        fprintf(stderr, "mini document: %s (column %d)\n", jerr.text, jerr.column);
}

static void free_mini(void)
{
    json_decref(mini);
    mini = NULL;
}

/* Generates schema `name` of the small document with `seed`; checks it
 * validates. The caller owns the result. */
static json_t *gen_mini(const char *name, uint64_t seed, bool implicit)
{
    ck_assert_ptr_nonnull(mini);
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, implicit);
    const json_t *schema = schema_by_name(&ctx, name);
    ck_assert_ptr_nonnull(schema);
    json_t *value = generate_value(&ctx, schema, NULL, seed);
    ck_assert_ptr_nonnull(value);
    return value;
}

static bool valid_in_mini(const char *name, const json_t *value, bool implicit)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, implicit);
    schema_error err;
    bool ok = schema_validate(&ctx, schema_by_name(&ctx, name), value, &err);
    if (!ok)
        fprintf(stderr, "%s: at '%s': %s\n", name, err.path, err.message);
    return ok;
}

START_TEST(test_person_plausible)
{
    for (uint64_t seed = 0; seed < 50; seed++) {
        json_t *p = gen_mini("Person", seed, false);
        ck_assert(valid_in_mini("Person", p, false));
        const char *email = json_string_value(json_object_get(p, "email"));
        ck_assert_ptr_nonnull(email);
        ck_assert_ptr_nonnull(strchr(email, '@'));
        ck_assert(uuid_valid(json_string_value(json_object_get(p, "companyUid"))));
        json_int_t port = json_integer_value(json_object_get(p, "port"));
        ck_assert(port >= 1 && port <= 65535);
        ck_assert(json_integer_value(json_object_get(p, "storageQuota")) >= 0);
        const char *created = json_string_value(json_object_get(p, "created"));
        ck_assert(schema_valid_date_time(created));
        ck_assert(strncmp(created, "2025-", 5) == 0 || strncmp(created, "2026-", 5) == 0);
        size_t len = strlen(created);
        ck_assert(created[len - 1] == 'Z' || strcmp(created + len - 6, "+00:00") == 0);
        ck_assert(schema_valid_date(json_string_value(json_object_get(p, "day"))));
        const char *host = json_string_value(json_object_get(p, "hostName"));
        ck_assert(host && strchr(host, '@') == NULL && strchr(host, ' ') == NULL);
        json_t *ips = json_object_get(p, "ipAddresses");
        ck_assert(json_array_size(ips) >= 1 && json_array_size(ips) <= 3);
        const char *ip = json_string_value(json_array_get(ips, 0));
        int a, b, c, d;
        ck_assert_int_eq(sscanf(ip, "%d.%d.%d.%d", &a, &b, &c, &d), 4);
        const char *version = json_string_value(json_object_get(p, "version"));
        ck_assert_int_eq(sscanf(version, "%d.%d.%d.%d", &a, &b, &c, &d), 4);
        ck_assert(json_is_real(json_object_get(p, "price")));
        ck_assert(json_is_null(json_object_get(p, "_embedded")));
        json_decref(p);
    }
}
END_TEST

START_TEST(test_enum_avoids_unknown)
{
    bool seen_active = false, seen_disabled = false;
    for (uint64_t seed = 0; seed < 200; seed++) {
        json_t *v = gen_mini(seed % 2 ? "Status" : "Wrapped", seed, false);
        const char *text = json_string_value(v);
        ck_assert_ptr_nonnull(text);
        ck_assert_str_ne(text, "Unknown");
        ck_assert(strncmp(text, "REMOVED_", 8) != 0);
        seen_active = seen_active || strcmp(text, "Active") == 0;
        seen_disabled = seen_disabled || strcmp(text, "Disabled") == 0;
        json_decref(v);
    }
    ck_assert(seen_active && seen_disabled);
    json_t *only = gen_mini("OnlyUnknown", 3, false);
    ck_assert_str_eq(json_string_value(only), "Unknown");
    json_decref(only);
    json_t *avoided = gen_mini("OnlyAvoided", 3, false);
    ck_assert(valid_in_mini("OnlyAvoided", avoided, false));
    json_decref(avoided);
}
END_TEST

/* Checks that no "children" array deeper than the limit has items and
 * returns the depth of the deepest node. */
static int node_depth(const json_t *node, int depth)
{
    int deepest = depth;
    const json_t *children = json_object_get(node, "children");
    if (depth > GENERATE_MAX_DEPTH)
        ck_assert_uint_eq(json_array_size(children), 0);
    size_t i;
    const json_t *child;
    json_array_foreach(children, i, child) {
        int d = node_depth(child, depth + 1);
        deepest = d > deepest ? d : deepest;
    }
    return deepest;
}

START_TEST(test_recursive_schemas_end)
{
    for (uint64_t seed = 0; seed < 5; seed++) {
        json_t *tree = gen_mini("Node", seed, false);
        ck_assert(valid_in_mini("Node", tree, false));
        ck_assert_int_le(node_depth(tree, 0), GENERATE_MAX_DEPTH + 1);
        json_decref(tree);
    }
    /* A cycle of required objects has no finite valid value; it must still
     * end. */
    json_t *loop = gen_mini("Loop", 1, false);
    ck_assert(json_is_object(loop));
    json_decref(loop);
}
END_TEST

START_TEST(test_all_of_and_maps)
{
    json_t *merged = gen_mini("Merged", 9, false);
    ck_assert(json_is_string(json_object_get(merged, "a")));
    ck_assert(json_is_integer(json_object_get(merged, "b")));
    ck_assert(valid_in_mini("Merged", merged, false));
    json_decref(merged);
    json_t *map = gen_mini("Map", 9, false);
    ck_assert_uint_ge(json_object_size(map), 1);
    ck_assert(valid_in_mini("Map", map, false));
    json_decref(map);
}
END_TEST

START_TEST(test_implicit_nullable_embedded)
{
    /* Implicit mode: an optional "_embedded" is nullable, so it is null. */
    json_t *v = gen_mini("Optional", 4, true);
    ck_assert(json_is_null(json_object_get(v, "_embedded")));
    ck_assert(json_is_string(json_object_get(v, "note")));
    ck_assert(valid_in_mini("Optional", v, true));
    json_decref(v);
    /* Explicit mode: not nullable, so it is generated. */
    v = gen_mini("Optional", 4, false);
    ck_assert(json_is_object(json_object_get(v, "_embedded")));
    json_decref(v);
}
END_TEST

START_TEST(test_determinism_and_seeds)
{
    json_t *a = gen_mini("Person", 42, false);
    json_t *b = gen_mini("Person", 42, false);
    json_t *c = gen_mini("Person", 43, false);
    ck_assert(json_equal(a, b));
    ck_assert(!json_equal(a, c));
    json_decref(a);
    json_decref(b);
    json_decref(c);
    /* The property name steers the value: same seed, different names. */
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    json_t *string_schema = json_pack("{s:s}", "type", "string");
    json_t *email = generate_value(&ctx, string_schema, "email", 7);
    json_t *city = generate_value(&ctx, string_schema, "city", 7);
    ck_assert_ptr_nonnull(strchr(json_string_value(email), '@'));
    ck_assert_ptr_null(strchr(json_string_value(city), '@'));
    json_decref(email);
    json_decref(city);
    json_decref(string_schema);
}
END_TEST

START_TEST(test_unresolvable_gives_null_pointer)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, mini, false);
    ck_assert_ptr_null(generate_value(&ctx, schema_by_name(&ctx, "Broken"), NULL, 1));
    ck_assert_ptr_null(generate_value(&ctx, NULL, NULL, 1));
}
END_TEST

/* ---- real contract schemas ----------------------------------------------- */

START_TEST(test_company_plausible)
{
    schema_ctx ctx;
    schema_ctx_init(&ctx, docs[2].doc, false);
    const json_t *company = schema_by_name(&ctx, "Company");
    ck_assert_ptr_nonnull(company);
    for (uint64_t seed = 0; seed < 20; seed++) {
        json_t *v = generate_value(&ctx, company, NULL, seed);
        ck_assert(schema_validate(&ctx, company, v, NULL));
        ck_assert(uuid_valid(json_string_value(json_object_get(v, "instanceUid"))));
        const char *status = json_string_value(json_object_get(v, "status"));
        ck_assert(strcmp(status, "Active") == 0 || strcmp(status, "Disabled") == 0);
        const char *name = json_string_value(json_object_get(v, "name"));
        ck_assert(name && name[0] != '\0' && strpbrk(name, "0123456789@") == NULL);
        json_t *owner = json_object_get(v, "ownerCredentials");
        ck_assert(json_is_string(json_object_get(owner, "userName")));
        ck_assert(json_is_null(json_object_get(v, "_embedded")));
        json_decref(v);
    }
    /* 3.5.1 has no nullable: the optional _embedded is implicitly nullable. */
    schema_ctx_init(&ctx, docs[0].doc, true);
    json_t *v = generate_value(&ctx, schema_by_name(&ctx, "Company"), NULL, 5);
    ck_assert(json_is_null(json_object_get(v, "_embedded")));
    json_decref(v);
}
END_TEST

static Suite *generate_suite(void)
{
    Suite *s = suite_create("generate");
    TCase *all = tcase_create("every schema");
    tcase_add_unchecked_fixture(all, load_docs, free_docs);
    tcase_set_timeout(all, 120);
    tcase_add_test(all, test_every_schema_3_5_1);
    tcase_add_test(all, test_every_schema_3_6);
    tcase_add_test(all, test_every_schema_3_6_1);
    tcase_add_test(all, test_company_plausible);
    suite_add_tcase(s, all);
    TCase *small = tcase_create("plausibility");
    tcase_add_unchecked_fixture(small, load_mini, free_mini);
    tcase_add_test(small, test_person_plausible);
    tcase_add_test(small, test_enum_avoids_unknown);
    tcase_add_test(small, test_recursive_schemas_end);
    tcase_add_test(small, test_all_of_and_maps);
    tcase_add_test(small, test_implicit_nullable_embedded);
    tcase_add_test(small, test_determinism_and_seeds);
    tcase_add_test(small, test_unresolvable_gives_null_pointer);
    suite_add_tcase(s, small);
    return s;
}

int main(void)
{
    return test_run_suite(generate_suite(), CK_FORK);
}
