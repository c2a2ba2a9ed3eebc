/* test_rng.c — unit tests of rng.c (splitmix64 streams, seed mixing) and
 * uuid.c (seeded, random and validated UUID text).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/uuid.h"
#include "testutil.h"

/* ---- rng ------------------------------------------------------------------- */

START_TEST(test_known_sequence)
{
    /* splitmix64 from seed 0: the published reference values, so a seed
     * means the same numbers on every machine. */
    rng r;
    rng_init(&r, 0);
    ck_assert_uint_eq(rng_next(&r), 0xE220A8397B1DCDAFULL);
    ck_assert_uint_eq(rng_next(&r), 0x6E789E6AA1B965F4ULL);
    ck_assert_uint_eq(rng_next(&r), 0x06C45D188009454FULL);
}
END_TEST

START_TEST(test_same_seed_same_stream)
{
    rng a, b, c;
    rng_init(&a, 12345);
    rng_init(&b, 12345);
    rng_init(&c, 12346);
    int differing = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);
        ck_assert_uint_eq(x, rng_next(&b));
        differing += x != rng_next(&c);
    }
    ck_assert_int_eq(differing, 1000);
}
END_TEST

/* Ranges that rng_range must respect, including the extremes of int64. */
static const struct {
    int64_t lo, hi;
} RANGES[] = {
    {0, 0}, {5, 5}, {0, 1}, {1, 3}, {-10, 10}, {-5, -1}, {0, 65535},
    {INT64_MIN, INT64_MIN + 3}, {INT64_MAX - 3, INT64_MAX}, {INT64_MIN, INT64_MAX},
    {INT64_MIN, 0}, {-1, INT64_MAX},
};

START_TEST(test_range_bounds)
{
    rng r;
    rng_init(&r, (uint64_t)_i * 7919);
    int64_t lo = RANGES[_i].lo, hi = RANGES[_i].hi;
    for (int i = 0; i < 5000; i++) {
        int64_t x = rng_range(&r, lo, hi);
        ck_assert(x >= lo && x <= hi);
    }
}
END_TEST

START_TEST(test_range_hits_every_value)
{
    rng r;
    rng_init(&r, 99);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++)
        seen[rng_range(&r, -3, 3) + 3]++;
    for (int v = 0; v < 7; v++)
        ck_assert_int_gt(seen[v], 800); /* about 1000 each */
}
END_TEST

START_TEST(test_unit_interval)
{
    rng r;
    rng_init(&r, 7);
    double lowest = 1.0, highest = 0.0;
    for (int i = 0; i < 10000; i++) {
        double u = rng_unit(&r);
        ck_assert(u >= 0.0 && u < 1.0);
        lowest = u < lowest ? u : lowest;
        highest = u > highest ? u : highest;
    }
    ck_assert(lowest < 0.01 && highest > 0.99);
}
END_TEST

START_TEST(test_mix)
{
    static const char *const texts[] = {"", "a", "b", "ab", "ba", "name", "names",
                                        "instanceUid", "InstanceUid", "email"};
    size_t n = sizeof texts / sizeof texts[0];
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(rng_mix(42, texts[i]), rng_mix(42, texts[i]));
        ck_assert_uint_ne(rng_mix(42, texts[i]), rng_mix(43, texts[i]));
        for (size_t j = i + 1; j < n; j++)
            ck_assert_uint_ne(rng_mix(42, texts[i]), rng_mix(42, texts[j]));
    }
    ck_assert_uint_ne(rng_mix(0, ""), 0);
}
END_TEST

START_TEST(test_mix_u64)
{
    for (uint64_t i = 0; i < 100; i++) {
        ck_assert_uint_eq(rng_mix_u64(5, i), rng_mix_u64(5, i));
        ck_assert_uint_ne(rng_mix_u64(5, i), rng_mix_u64(6, i));
        for (uint64_t j = i + 1; j < 100; j++)
            ck_assert_uint_ne(rng_mix_u64(5, i), rng_mix_u64(5, j));
    }
}
END_TEST

/* ---- uuid ------------------------------------------------------------------ */

/* True if s is canonical lower-case version-4 RFC 4122 text. */
static bool canonical_v4(const char *s)
{
    if (strlen(s) != 36 || !uuid_valid(s))
        return false;
    for (int i = 0; i < 36; i++)
        if (s[i] >= 'A' && s[i] <= 'F')
            return false;
    return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

START_TEST(test_uuid_from_seed)
{
    char a[UUID_STR_LEN], b[UUID_STR_LEN], c[UUID_STR_LEN];
    for (uint64_t seed = 0; seed < 500; seed++) {
        uuid_from_seed(seed, a);
        uuid_from_seed(seed, b);
        uuid_from_seed(seed + 1, c);
        ck_assert_msg(canonical_v4(a), "not canonical v4: %s", a);
        ck_assert_str_eq(a, b);
        ck_assert_str_ne(a, c);
    }
}
END_TEST

static const struct {
    const char *text;
    bool valid;
} UUID_CASES[] = {
    {"eb866e8f-a0f5-41f4-9dd9-8cc59266ff25", true},
    {"EB866E8F-A0F5-41F4-9DD9-8CC59266FF25", true},
    {"Eb866e8f-A0f5-41F4-9dd9-8cc59266ff25", true},
    {"00000000-0000-0000-0000-000000000000", true},
    {"", false},
    {"eb866e8f-a0f5-41f4-9dd9-8cc59266ff2", false},   /* too short */
    {"eb866e8f-a0f5-41f4-9dd9-8cc59266ff255", false}, /* too long */
    {"eb866e8fa0f541f49dd98cc59266ff25", false},      /* no hyphens */
    {"{eb866e8f-a0f5-41f4-9dd9-8cc59266ff25}", false},
    {"eb866e8f-a0f5-41f4-9dd9_8cc59266ff25", false},
    {"eb866e8f-a0f5-41f4-9dd98-cc59266ff25", false},  /* hyphen moved */
    {"gb866e8f-a0f5-41f4-9dd9-8cc59266ff25", false},  /* not hex */
    {"eb866e8f-a0f5-41f4-9dd9-8cc59266ff2 ", false},
    {" eb866e8f-a0f5-41f4-9dd9-8cc59266ff25", false},
    {"eb866e8f-a0f5-41f4-9dd9-8cc59266ff25\n", false},
};

START_TEST(test_uuid_valid_table)
{
    ck_assert_msg(uuid_valid(UUID_CASES[_i].text) == UUID_CASES[_i].valid, "uuid_valid(\"%s\")",
                  UUID_CASES[_i].text);
}
END_TEST

START_TEST(test_uuid_valid_null)
{
    ck_assert(!uuid_valid(NULL));
}
END_TEST

START_TEST(test_uuid_random)
{
    enum { N = 200 };
    static char seen[N][UUID_STR_LEN];
    for (int i = 0; i < N; i++) {
        ck_assert(uuid_random(seen[i]));
        ck_assert_msg(canonical_v4(seen[i]), "not canonical v4: %s", seen[i]);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(seen[i], seen[j]);
    }
}
END_TEST

static Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tr = tcase_create("rng");
    tcase_add_test(tr, test_known_sequence);
    tcase_add_test(tr, test_same_seed_same_stream);
    tcase_add_loop_test(tr, test_range_bounds, 0, (int)(sizeof RANGES / sizeof RANGES[0]));
    tcase_add_test(tr, test_range_hits_every_value);
    tcase_add_test(tr, test_unit_interval);
    tcase_add_test(tr, test_mix);
    tcase_add_test(tr, test_mix_u64);
    suite_add_tcase(s, tr);
    TCase *tu = tcase_create("uuid");
    tcase_add_test(tu, test_uuid_from_seed);
    tcase_add_loop_test(tu, test_uuid_valid_table, 0,
                        (int)(sizeof UUID_CASES / sizeof UUID_CASES[0]));
    tcase_add_test(tu, test_uuid_valid_null);
    tcase_add_test(tu, test_uuid_random);
    suite_add_tcase(s, tu);
    return s;
}

int main(void)
{
    return test_run_suite(rng_suite(), CK_FORK);
}
