/* test_clock.c — unit tests of sim/clock.c: the three modes, what
 * --clock refuses, a change of mode at run time, date-time text both ways
 * and month boundaries.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "sim/clock.h"
#include "testutil.h"

#define T0 1796040000000LL /* 2026-11-30T12:00:00Z */

START_TEST(test_parse_modes)
{
    clock_mode m;
    double rate;
    char err[160];
    ck_assert(clock_parse("real", &m, &rate, err, sizeof err));
    ck_assert_int_eq(m, CLOCK_REAL);
    ck_assert(clock_parse("", &m, &rate, err, sizeof err));
    ck_assert_int_eq(m, CLOCK_REAL);
    ck_assert(clock_parse("manual", &m, &rate, err, sizeof err));
    ck_assert_int_eq(m, CLOCK_MANUAL);
    ck_assert(clock_parse("fast:60", &m, &rate, err, sizeof err));
    ck_assert_int_eq(m, CLOCK_FAST);
    ck_assert(rate == 60);
    ck_assert(clock_parse("fast:0.5", &m, &rate, err, sizeof err));
    ck_assert(rate == 0.5);
}
END_TEST

static const char *const BAD[] = {"fast", "fast:", "fast:0", "fast:-3", "fast:abc", "fast:60x",
                                  "Real", "manual:1", "slow:2", "fast:1e99"};

START_TEST(test_parse_refuses)
{
    clock_mode m = CLOCK_REAL;
    double rate = 1;
    char err[160] = "";
    ck_assert_msg(!clock_parse(BAD[_i], &m, &rate, err, sizeof err), "%s accepted", BAD[_i]);
    ck_assert_ptr_nonnull(strstr(err, "--clock"));
    ck_assert_ptr_nonnull(strstr(err, BAD[_i]));
}
END_TEST

START_TEST(test_real_follows_the_wall)
{
    sim_clock c;
    clock_init(&c, CLOCK_REAL, 1, 1000, T0);
    ck_assert_int_eq(clock_at(&c, 5000), 5000);
    ck_assert(!clock_advance(&c, 1000)); /* only a manual clock is moved */
    int64_t before = clock_real_ms(), now = clock_now(&c), after = clock_real_ms();
    ck_assert(now >= before && now <= after);
    clock_destroy(&c);
}
END_TEST

START_TEST(test_fast_runs_n_times)
{
    sim_clock c;
    clock_init(&c, CLOCK_FAST, 60, 1000000, T0);
    ck_assert_int_eq(clock_at(&c, 1000000), 1000000); /* starts at the wall */
    ck_assert_int_eq(clock_at(&c, 1001000), 1000000 + 60000);
    ck_assert_int_eq(clock_at(&c, 1010000), 1000000 + 600000);
    ck_assert(!clock_advance(&c, 1000));
    char text[32];
    clock_describe(&c, text, sizeof text);
    ck_assert_str_eq(text, "fast:60");
    clock_destroy(&c);
}
END_TEST

START_TEST(test_manual_moves_when_told)
{
    sim_clock c;
    clock_init(&c, CLOCK_MANUAL, 0, 1000, T0);
    ck_assert_int_eq(clock_at(&c, 1000), T0);
    ck_assert_int_eq(clock_at(&c, 999999999), T0); /* the wall does not move it */
    ck_assert(clock_advance(&c, 90000));
    ck_assert_int_eq(clock_now(&c), T0 + 90000);
    ck_assert(!clock_advance(&c, -1));
    ck_assert_int_eq(clock_now(&c), T0 + 90000);
    clock_destroy(&c);
}
END_TEST

/* clock_set: a change of mode keeps the simulated time where it was. */
START_TEST(test_set_changes_speed_without_a_jump)
{
    sim_clock c;
    clock_init(&c, CLOCK_MANUAL, 0, 1000, T0);
    /* manual -> fast:60 at wall 5000: on from T0, 60 times the wall */
    ck_assert(clock_set(&c, CLOCK_FAST, 60, 5000));
    ck_assert_int_eq(clock_mode_of(&c), CLOCK_FAST);
    ck_assert_int_eq(clock_at(&c, 5000), T0);
    ck_assert_int_eq(clock_at(&c, 6000), T0 + 60000);
    /* fast -> manual at wall 7000: stops at T0 + 2 min */
    ck_assert(clock_set(&c, CLOCK_MANUAL, 0, 7000));
    ck_assert_int_eq(clock_at(&c, 99999), T0 + 120000);
    ck_assert(clock_advance(&c, 1000));
    ck_assert_int_eq(clock_at(&c, 1), T0 + 121000);
    /* -> real: refused while the simulated time is ahead of the wall... */
    ck_assert(!clock_set(&c, CLOCK_REAL, 1, T0));
    ck_assert_int_eq(clock_mode_of(&c), CLOCK_MANUAL);
    ck_assert_int_eq(clock_at(&c, 1), T0 + 121000);
    /* ...and follows the wall once it is not */
    ck_assert(clock_set(&c, CLOCK_REAL, 1, T0 + 200000));
    ck_assert_int_eq(clock_at(&c, T0 + 300000), T0 + 300000);
    ck_assert(clock_rate(&c) == 1);
    char text[32];
    clock_describe(&c, text, sizeof text);
    ck_assert_str_eq(text, "real");
    clock_destroy(&c);
}
END_TEST

START_TEST(test_time_text)
{
    char text[CLOCK_TEXT_LEN];
    clock_format(T0 + 123, text, sizeof text);
    ck_assert_str_eq(text, "2026-11-30T12:00:00.1230000+00:00");
    int64_t ms;
    ck_assert(clock_parse_time(text, &ms));
    ck_assert_int_eq(ms, T0 + 123);
    ck_assert(clock_parse_time("2026-11-30T12:00:00Z", &ms));
    ck_assert_int_eq(ms, T0);
    ck_assert(clock_parse_time("2026-11-30T14:00:00+02:00", &ms));
    ck_assert_int_eq(ms, T0);
    ck_assert(clock_parse_time("2026-11-30T12:00:00.1234567+00:00", &ms));
    ck_assert_int_eq(ms, T0 + 123);
    ck_assert(!clock_parse_time("2026-11-30", &ms));
    ck_assert(!clock_parse_time("2026-11-30T12:00:00", &ms));
    ck_assert(!clock_parse_time("2026-13-30T12:00:00Z", &ms));
    ck_assert(!clock_parse_time("2026-11-30T12:00:00Zjunk", &ms));
    ck_assert(!clock_parse_time(NULL, &ms));
}
END_TEST

START_TEST(test_months)
{
    int64_t ms;
    ck_assert(clock_parse_time("2026-12-01T00:00:00Z", &ms));
    ck_assert_int_eq(clock_next_month(T0), ms);
    ck_assert_int_eq(clock_month_start(ms), ms);
    int64_t nov;
    ck_assert(clock_parse_time("2026-11-01T00:00:00Z", &nov));
    ck_assert_int_eq(clock_month_start(T0), nov);
    int64_t jan;
    ck_assert(clock_parse_time("2027-01-01T00:00:00Z", &jan));
    ck_assert_int_eq(clock_next_month(ms), jan); /* over the year's end */
}
END_TEST

static Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, test_parse_modes);
    tcase_add_loop_test(tc, test_parse_refuses, 0, (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, test_real_follows_the_wall);
    tcase_add_test(tc, test_fast_runs_n_times);
    tcase_add_test(tc, test_manual_moves_when_told);
    tcase_add_test(tc, test_set_changes_speed_without_a_jump);
    tcase_add_test(tc, test_time_text);
    tcase_add_test(tc, test_months);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(clock_suite(), CK_FORK);
}
