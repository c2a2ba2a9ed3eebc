/* test_world_progress.c — the world build's progress lines
 * (server/world/world_progress.h): what a line says, and how often one is
 * due. */
#include <check.h>
#include <string.h>

#include "testutil.h"
#include "world/world_progress.h"

START_TEST(a_line_says_records_rate_and_time_left)
{
    char line[160];
    world_progress_format(line, sizeof line, 120000, 1200000, 40000.0);
    ck_assert_str_eq(line,
                     "world: 120000 of 1200000 records (10%), 40000 records/s, about 27 s left");
    /* beyond 90 s, minutes */
    world_progress_format(line, sizeof line, 10000, 1210000, 10000.0);
    ck_assert_str_eq(line, "world: 10000 of 1210000 records (1%), 10000 records/s, about 2 min left");
    /* done: no time left to tell */
    world_progress_format(line, sizeof line, 500, 500, 250.0);
    ck_assert_str_eq(line, "world: 500 of 500 records (100%), 250 records/s");
    /* no rate yet: no guess */
    world_progress_format(line, sizeof line, 0, 500, 0);
    ck_assert_str_eq(line, "world: 0 of 500 records (0%), 0 records/s");
    /* a short buffer is cut, never overrun */
    char small[16];
    world_progress_format(small, sizeof small, 120000, 1200000, 40000.0);
    ck_assert_int_eq(strlen(small), sizeof small - 1);
}
END_TEST

START_TEST(at_most_once_a_second)
{
    world_progress p = {0};
    ck_assert(!world_progress_due(&p, 100.0)); /* the start */
    ck_assert(!world_progress_due(&p, 100.5));
    ck_assert(!world_progress_due(&p, 100.99));
    ck_assert(world_progress_due(&p, 101.0));
    ck_assert(!world_progress_due(&p, 101.7)); /* counted from the last line */
    ck_assert(world_progress_due(&p, 102.2));
    ck_assert(world_progress_due(&p, 110.0));
    ck_assert_int_eq(p.lines, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("world_progress");
    TCase *tc = tcase_create("world_progress");
    tcase_add_test(tc, a_line_says_records_rate_and_time_left);
    tcase_add_test(tc, at_most_once_a_second);
    suite_add_tcase(s, tc);
    return test_run_suite(s, CK_FORK);
}
