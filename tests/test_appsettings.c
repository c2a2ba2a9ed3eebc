/* test_appsettings.c — unit tests of the appsettings.json reader
 * (app/appsettings.c) and of .NET TimeSpan text (app/timespan.c): VSPC's
 * defaults without a file, the REST overview's own example read as VSPC
 * reads it (names in any case, numbers as text), the emulator's base
 * limits, the multipliers applied, null as absent, other sections ignored,
 * and every malformed value refused with a reason naming its key; the
 * --appsettings and --throttling flags.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/appsettings.h"
#include "app/config.h"
#include "app/timespan.h"
#include "testutil.h"

static char dir[] = "/tmp/vspc-appsettings-XXXXXX";
static char path[300];

static void setup(void)
{
    strcpy(dir, "/tmp/vspc-appsettings-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/appsettings.json", dir);
}
static void teardown(void) { test_rm_rf(dir); }

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Loads text; the verdict, the reason in err. */
static bool load(const char *text, app_settings *s, char *err, size_t len)
{
    write_file(text);
    err[0] = 0;
    return appsettings_load(path, s, err, len);
}

START_TEST(timespans)
{
    static const struct {
        const char *text;
        long long ms;
    } good[] = {
        {"00:05:00", 300000},      {"01:00:00", 3600000},     {"00:01:00", 60000},
        {"0:0:1", 1000},           {" 00:00:02 ", 2000},      {"00:00:00.5", 500},
        {"00:00:00.250", 250},     {"00:00:01.0000001", 1000}, {"1.00:00:00", 86400000},
        {"1:02:03:04", 93784000},  {"2.03:04", 183840000},    {"5", 432000000},
        {"-00:00:01", -1000},      {"23:59:59.999", 86399999},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        long long ms = -7;
        ck_assert_msg(timespan_parse(good[i].text, &ms), "%s", good[i].text);
        ck_assert_msg(ms == good[i].ms, "%s: %lld", good[i].text, ms);
    }
    const char *bad[] = {"",         "abc",       "00:60:00",    "24:00:00",  "00:00:60",
                         "1.2",      "00:00:00.12345678", "00:05:00x", "1::2", "00-05-00",
                         "1.2.3:4",  "00:100:00", "999999999", ":05:00", "1:2:3:4:5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long long ms = -7;
        ck_assert_msg(!timespan_parse(bad[i], &ms), "%s", bad[i]);
        ck_assert_int_eq(ms, -7);
    }
    char out[32];
    timespan_format(300000, out, sizeof out);
    ck_assert_str_eq(out, "00:05:00");
    timespan_format(86400000 + 250, out, sizeof out);
    ck_assert_str_eq(out, "1.00:00:00.250");
}
END_TEST

START_TEST(defaults_without_a_file)
{
    app_settings s;
    char err[512];
    ck_assert(appsettings_load("", &s, err, sizeof err));
    ck_assert(!s.throttling.is_disabled);
    ck_assert(s.throttling.parallel_multiplier == 1 && s.throttling.per_unit_multiplier == 1);
    ck_assert_int_eq(s.throttling.base.nskip, 0);
    ck_assert_int_eq(s.async_action.result_expiration_ms, 5 * 60000);
    ck_assert_int_eq(s.async_action.failure_expiration_ms, 60 * 60000);
    ck_assert_int_eq(s.async_action.timer_resolution_ms, 60000);
    /* the README's table */
    static const long want[THROTTLE_GROUPS][2] = {
        [THROTTLE_ALL] = {512, 120000},
        [THROTTLE_IP] = {128, 30000},
        [THROTTLE_USER] = {64, 12000},
        [THROTTLE_USER_IP] = {16, 6000},
    };
    throttle_policy p;
    appsettings_throttle_policy(&s, &p);
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        ck_assert_int_eq(p.limits[g].parallel, want[g][0]);
        ck_assert_int_eq(p.limits[g].per_unit, want[g][1]);
        ck_assert_int_eq(p.limits[g].unit_ms, 60000);
    }
}
END_TEST

START_TEST(vspc_example_and_emulator_section)
{
    app_settings s;
    char err[512];
    /* the REST overview's example, in a file with other sections, names in
     * other cases, and the emulator's section */
    ck_assert_msg(load("{\"Logging\":{\"LogLevel\":{\"Default\":\"Warning\"}},\"AllowedHosts\":\"*\","
                       "\"Throttling\": {\"IsDisabled\": false,"
                       "\"MaxParallelRequestsMultiplier\": \"5\","
                       "\"maxrequestpertimeunitmultiplier\": 2.5,"
                       "\"SkipIpAddresses\": \"192.168.0.1, 192.168.0.2\","
                       "\"SkipIpNetworks\": [\"192.10.100.14/24\",\"198.126.10.0/22\"]},"
                       "\"asyncAction\": {\"ResultExpirationTime\": \"00:00:03\","
                       "\"FailureExpirationTime\": \"00:00:07\", \"TimerResolution\": \"00:00:00.5\"},"
                       "\"VspcEmulator\": {\"Throttling\": {\"User\": {\"MaxParallelRequests\": 3,"
                       "\"MaxRequestsPerTimeUnit\": \"10\", \"TimeUnit\": \"00:00:02\"},"
                       "\"allrequests\": {\"MaxParallelRequests\": null}}}}",
                       &s, err, sizeof err),
                  "%s", err);
    ck_assert(!s.throttling.is_disabled);
    ck_assert_int_eq(s.async_action.result_expiration_ms, 3000);
    ck_assert_int_eq(s.async_action.failure_expiration_ms, 7000);
    ck_assert_int_eq(s.async_action.timer_resolution_ms, 500);
    throttle_policy p;
    appsettings_throttle_policy(&s, &p);
    ck_assert_int_eq(p.limits[THROTTLE_USER].parallel, 15);
    ck_assert_int_eq(p.limits[THROTTLE_USER].per_unit, 25); /* 10 × 2.5 */
    ck_assert_int_eq(p.limits[THROTTLE_USER].unit_ms, 2000);
    ck_assert_int_eq(p.limits[THROTTLE_ALL].parallel, 512 * 5); /* null: the default */
    ck_assert_int_eq(p.limits[THROTTLE_IP].per_unit, 75000); /* 30,000 × 2.5 */
    ck_assert_int_eq(p.nskip, 4);
    net_address a;
    ck_assert(net_address_parse("192.168.0.2", &a));
    ck_assert(net_prefix_contains(&p.skip[1], &a));
    ck_assert(net_address_parse("192.10.100.99", &a));
    ck_assert(net_prefix_contains(&p.skip[2], &a));
    ck_assert(!net_prefix_contains(&p.skip[0], &a));

    ck_assert(load("{\"Throttling\":{\"IsDisabled\":\"True\"}}", &s, err, sizeof err));
    ck_assert(s.throttling.is_disabled);
    /* a multiplier rounds down but never below 1 */
    ck_assert(load("{\"Throttling\":{\"MaxParallelRequestsMultiplier\":\"0.001\"},"
                   "\"VspcEmulator\":{\"Throttling\":{\"UserAndIpAddress\":{\"MaxParallelRequests\":5}}}}",
                   &s, err, sizeof err));
    appsettings_throttle_policy(&s, &p);
    ck_assert_int_eq(p.limits[THROTTLE_USER_IP].parallel, 1);
    ck_assert_int_eq(p.limits[THROTTLE_ALL].parallel, 1);
    /* unknown names of VSPC's sections are ignored, as VSPC does */
    ck_assert_msg(load("{\"Throttling\":{\"SomethingNew\":1},\"AsyncAction\":{\"Other\":2}}", &s,
                       err, sizeof err), "%s", err);
}
END_TEST

START_TEST(malformed_files_name_the_key)
{
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"{\"Throttling\":{\"IsDisabled\":\"maybe\"}}", "Throttling.IsDisabled: 'maybe'"},
        {"{\"Throttling\":{\"MaxParallelRequestsMultiplier\":\"abc\"}}",
         "Throttling.MaxParallelRequestsMultiplier: 'abc' is not a number"},
        {"{\"Throttling\":{\"MaxRequestPerTimeUnitMultiplier\":0}}",
         "Throttling.MaxRequestPerTimeUnitMultiplier: '0'"},
        {"{\"Throttling\":{\"MaxRequestPerTimeUnitMultiplier\":\"-2\"}}",
         "Throttling.MaxRequestPerTimeUnitMultiplier: '-2'"},
        {"{\"Throttling\":{\"MaxParallelRequestsMultiplier\":[5]}}",
         "Throttling.MaxParallelRequestsMultiplier: must be a single value"},
        {"{\"Throttling\":{\"SkipIpAddresses\":\"10.0.0.1,10.0.0.300\"}}",
         "Throttling.SkipIpAddresses: '10.0.0.300' is not an IP address"},
        {"{\"Throttling\":{\"SkipIpNetworks\":[\"10.0.0.0/8\",\"10.0.0.0/33\"]}}",
         "Throttling.SkipIpNetworks[1]: \"10.0.0.0/33\" is not a network"},
        {"{\"Throttling\":{\"SkipIpNetworks\":\"10.0.0.0/8\"}}",
         "Throttling.SkipIpNetworks: must be a list"},
        {"{\"Throttling\":[]}", "Throttling: must be an object"},
        {"{\"AsyncAction\":{\"ResultExpirationTime\":\"5 minutes\"}}",
         "AsyncAction.ResultExpirationTime: '5 minutes' is not a TimeSpan"},
        {"{\"AsyncAction\":{\"TimerResolution\":\"00:00:00\"}}",
         "AsyncAction.TimerResolution: '00:00:00' must be longer than 0"},
        {"{\"AsyncAction\":{\"FailureExpirationTime\":\"-01:00:00\"}}",
         "AsyncAction.FailureExpirationTime"},
        {"{\"VspcEmulator\":{\"Throttling\":{\"User\":{\"MaxRequestsPerTimeUnit\":0}}}}",
         "VspcEmulator.Throttling.User.MaxRequestsPerTimeUnit: '0' is not a whole number"},
        {"{\"VspcEmulator\":{\"Throttling\":{\"User\":{\"MaxParallelRequests\":2.5}}}}",
         "VspcEmulator.Throttling.User.MaxParallelRequests: '2.5'"},
        {"{\"VspcEmulator\":{\"Throttling\":{\"IpAddress\":{\"TimeUnit\":\"fast\"}}}}",
         "VspcEmulator.Throttling.IpAddress.TimeUnit: 'fast'"},
        {"{\"VspcEmulator\":{\"Throttling\":{\"User\":{\"MaxParalelRequests\":2}}}}",
         "VspcEmulator.Throttling.User.MaxParalelRequests: unknown setting"},
        {"{\"VspcEmulator\":{\"Throttling\":{\"Users\":{}}}}",
         "VspcEmulator.Throttling.Users: unknown group"},
        {"{\"VspcEmulator\":{\"Throtling\":{}}}", "VspcEmulator.Throtling: unknown setting"},
        {"{\"Throttling\":{\"IsDisabled\":false,}}", ":1:"},
        {"[1]", "must hold a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app_settings s;
        char err[512];
        ck_assert_msg(!load(cases[i].text, &s, err, sizeof err), "%s accepted", cases[i].text);
        ck_assert_msg(strstr(err, cases[i].says) && strstr(err, path), "%s: %s", cases[i].text,
                      err);
    }
    app_settings s;
    char err[512];
    ck_assert(!appsettings_load("/nonexistent/appsettings.json", &s, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/appsettings.json"));
}
END_TEST

START_TEST(flags)
{
    config cfg;
    char err[512];
    char *plain[] = {"vspc-emulator", NULL};
    ck_assert(config_load(&cfg, 1, plain, err, sizeof err));
    ck_assert(cfg.throttling); /* on by default, as in VSPC */
    write_file("{\"Throttling\":{\"IsDisabled\":true},"
               "\"AsyncAction\":{\"ResultExpirationTime\":\"00:00:09\"}}");
    char *args[] = {"vspc-emulator", "--appsettings", path, "--throttling", "off", NULL};
    ck_assert_msg(config_load(&cfg, 5, args, err, sizeof err), "%s", err);
    ck_assert(!cfg.throttling);
    ck_assert(cfg.settings.throttling.is_disabled);
    ck_assert_int_eq(cfg.settings.async_action.result_expiration_ms, 9000);
    write_file("{\"Throttling\":{\"IsDisabled\":1}}");
    char *bad[] = {"vspc-emulator", "--appsettings", path, NULL};
    ck_assert(!config_load(&cfg, 3, bad, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "Throttling.IsDisabled"));
    char *maybe[] = {"vspc-emulator", "--throttling", "maybe", NULL};
    ck_assert(!config_load(&cfg, 3, maybe, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "--throttling"));
}
END_TEST

static Suite *appsettings_suite(void)
{
    Suite *s = suite_create("appsettings");
    TCase *tc = tcase_create("appsettings");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, timespans);
    tcase_add_test(tc, defaults_without_a_file);
    tcase_add_test(tc, vspc_example_and_emulator_section);
    tcase_add_test(tc, malformed_files_name_the_key);
    tcase_add_test(tc, flags);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(appsettings_suite(), CK_FORK);
}
