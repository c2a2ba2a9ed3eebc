/* test_throttle.c — unit tests of the request limiter (throttle/throttle.c)
 * on times the test chooses: each group's per-unit and parallel limits,
 * a request let in only when it fits every group and counted nowhere when
 * refused, retryAfter as the whole seconds left of the full window, the
 * window opening again, the skip list (IPv4 also as IPv4-mapped IPv6),
 * anonymous requests counted by address only, idle members swept, exact
 * counts under threads; and the networks of the skip list
 * (throttle/networks.c).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "throttle/networks.h"
#include "throttle/throttle.h"
#include "testutil.h"

#define UNLIMITED {THROTTLE_MAX_LIMIT, THROTTLE_MAX_LIMIT, 1000}
#define ALICE "11111111-1111-1111-1111-111111111111"
#define BOB "22222222-2222-2222-2222-222222222222"

static long long t0;

/* A policy where nothing limits, for the test to narrow. */
static throttle_policy open_policy(void)
{
    throttle_policy p = {.limits = {UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED}};
    return p;
}

static struct sockaddr_storage v4(const char *text)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    ck_assert_int_eq(inet_pton(AF_INET, text, &a->sin_addr), 1);
    return ss;
}

static struct sockaddr_storage v6(const char *text)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    ck_assert_int_eq(inet_pton(AF_INET6, text, &a->sin6_addr), 1);
    return ss;
}

/* Enters and leaves at once (a quick request); its verdict. */
static throttle_verdict quick(throttle *t, const char *user, const char *ip, long long at)
{
    struct sockaddr_storage ss = strchr(ip, ':') ? v6(ip) : v4(ip);
    throttle_hold h;
    throttle_verdict v = throttle_enter(t, user, (struct sockaddr *)&ss, t0 + at, &h);
    if (!v.allowed)
        ck_assert_ptr_null(h.t); /* a refused request holds nothing */
    throttle_leave(&h);
    return v;
}

static void setup(void) { t0 = throttle_now_ms() + 1000; }

START_TEST(per_unit_limit_of_each_group)
{
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        throttle_policy p = open_policy();
        p.limits[g] = (throttle_limit){THROTTLE_MAX_LIMIT, 3, 2000};
        throttle *t = throttle_new(&p);
        for (int i = 0; i < 3; i++)
            ck_assert(quick(t, ALICE, "10.0.0.1", i).allowed);
        throttle_verdict v = quick(t, ALICE, "10.0.0.1", 500);
        ck_assert(!v.allowed);
        ck_assert_int_eq(v.group, g);
        ck_assert(!v.parallel);
        ck_assert_int_eq(v.limit, 3);
        ck_assert_int_eq(v.unit_ms, 2000);
        ck_assert_int_eq(v.retry_after, 2); /* 1.5 s left: whole seconds, up */
        ck_assert_int_eq(quick(t, ALICE, "10.0.0.1", 1001).retry_after, 1);
        /* the window opened at 0 closes at 2000: let in again */
        ck_assert(quick(t, ALICE, "10.0.0.1", 2000).allowed);
        /* which members share the count depends on the group */
        bool other_user_counts = g == THROTTLE_ALL || g == THROTTLE_IP;
        bool other_ip_counts = g == THROTTLE_ALL || g == THROTTLE_USER;
        for (int i = 0; i < 2; i++)
            ck_assert(quick(t, ALICE, "10.0.0.1", 2001 + i).allowed);
        ck_assert_int_eq(quick(t, BOB, "10.0.0.1", 2100).allowed, !other_user_counts);
        ck_assert_int_eq(quick(t, ALICE, "10.0.0.2", 2100).allowed, !other_ip_counts);
        ck_assert_int_eq(throttle_in_process(t), 0);
        throttle_free(t);
    }
}
END_TEST

START_TEST(parallel_limit_of_each_group)
{
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        throttle_policy p = open_policy();
        p.limits[g] = (throttle_limit){2, THROTTLE_MAX_LIMIT, 1000};
        throttle *t = throttle_new(&p);
        struct sockaddr_storage a = v4("10.0.0.1");
        throttle_hold h1, h2, h3;
        ck_assert(throttle_enter(t, ALICE, (struct sockaddr *)&a, t0, &h1).allowed);
        ck_assert(throttle_enter(t, ALICE, (struct sockaddr *)&a, t0, &h2).allowed);
        throttle_verdict v = throttle_enter(t, ALICE, (struct sockaddr *)&a, t0, &h3);
        ck_assert(!v.allowed);
        ck_assert(v.parallel);
        ck_assert_int_eq(v.group, g);
        ck_assert_int_eq(v.limit, 2);
        ck_assert_int_eq(v.retry_after, 0); /* no time to tell */
        ck_assert_int_eq(throttle_in_process(t), 2);
        throttle_leave(&h1);
        ck_assert(throttle_enter(t, ALICE, (struct sockaddr *)&a, t0, &h3).allowed);
        throttle_leave(&h2);
        throttle_leave(&h3);
        throttle_leave(&h3); /* emptied: a second leave gives nothing back */
        ck_assert_int_eq(throttle_in_process(t), 0);
        throttle_free(t);
    }
}
END_TEST

/* Refused by a later group, a request gives back what earlier groups
 * counted: with the user's limit at 3 and the address's at 2, the user
 * still has one request left at another address. */
START_TEST(refused_requests_count_nowhere)
{
    throttle_policy p = open_policy();
    p.limits[THROTTLE_USER] = (throttle_limit){THROTTLE_MAX_LIMIT, 3, 10000};
    p.limits[THROTTLE_IP] = (throttle_limit){THROTTLE_MAX_LIMIT, 2, 10000};
    throttle *t = throttle_new(&p);
    ck_assert(quick(t, ALICE, "10.0.0.1", 0).allowed);
    ck_assert(quick(t, ALICE, "10.0.0.1", 1).allowed);
    for (int i = 0; i < 5; i++) {
        throttle_verdict v = quick(t, ALICE, "10.0.0.1", 2 + i);
        ck_assert(!v.allowed);
        ck_assert_int_eq(v.group, THROTTLE_IP);
    }
    ck_assert(quick(t, ALICE, "10.0.0.2", 10).allowed);
    throttle_verdict v = quick(t, ALICE, "10.0.0.3", 11);
    ck_assert(!v.allowed);
    ck_assert_int_eq(v.group, THROTTLE_USER);
    /* and the all-requests group, refused last, gives back the others */
    throttle_policy q = open_policy();
    q.limits[THROTTLE_ALL] = (throttle_limit){1, THROTTLE_MAX_LIMIT, 1000};
    q.limits[THROTTLE_USER] = (throttle_limit){THROTTLE_MAX_LIMIT, 1, 10000};
    throttle *u = throttle_new(&q);
    struct sockaddr_storage a = v4("10.0.0.1");
    throttle_hold held, h;
    ck_assert(throttle_enter(u, BOB, (struct sockaddr *)&a, t0, &held).allowed);
    ck_assert(!throttle_enter(u, ALICE, (struct sockaddr *)&a, t0, &h).allowed);
    throttle_leave(&held);
    ck_assert(throttle_enter(u, ALICE, (struct sockaddr *)&a, t0, &h).allowed);
    throttle_leave(&h);
    throttle_free(u);
    throttle_free(t);
}
END_TEST

START_TEST(anonymous_requests_count_by_address)
{
    throttle_policy p = open_policy();
    p.limits[THROTTLE_USER] = (throttle_limit){THROTTLE_MAX_LIMIT, 1, 10000};
    p.limits[THROTTLE_USER_IP] = (throttle_limit){THROTTLE_MAX_LIMIT, 1, 10000};
    p.limits[THROTTLE_IP] = (throttle_limit){THROTTLE_MAX_LIMIT, 4, 10000};
    throttle *t = throttle_new(&p);
    for (int i = 0; i < 4; i++)
        ck_assert(quick(t, NULL, "10.0.0.1", i).allowed);
    throttle_verdict v = quick(t, NULL, "10.0.0.1", 5);
    ck_assert(!v.allowed);
    ck_assert_int_eq(v.group, THROTTLE_IP);
    /* no address known: the user groups and all requests only */
    throttle_hold h;
    ck_assert(throttle_enter(t, BOB, NULL, t0, &h).allowed);
    throttle_leave(&h);
    ck_assert(!throttle_enter(t, BOB, NULL, t0, &h).allowed);
    throttle_free(t);
}
END_TEST

START_TEST(skipped_addresses_are_neither_limited_nor_counted)
{
    throttle_policy p = open_policy();
    p.limits[THROTTLE_ALL] = (throttle_limit){1, 2, 10000};
    ck_assert(net_prefix_parse("192.168.10.0/24", &p.skip[p.nskip++]));
    net_address host;
    ck_assert(net_address_parse("10.9.9.9", &host));
    p.skip[p.nskip++] = net_prefix_host(&host);
    ck_assert(net_prefix_parse("fd00::/8", &p.skip[p.nskip++]));
    throttle *t = throttle_new(&p);
    throttle_hold held[8];
    const char *skipped[] = {"192.168.10.7", "::ffff:192.168.10.8", "10.9.9.9", "fd12::1"};
    for (int i = 0; i < 4; i++) {
        struct sockaddr_storage a = strchr(skipped[i], ':') ? v6(skipped[i]) : v4(skipped[i]);
        ck_assert_msg(throttle_enter(t, ALICE, (struct sockaddr *)&a, t0, &held[i]).allowed, "%s",
                      skipped[i]);
        ck_assert_ptr_null(held[i].t); /* holds nothing */
    }
    ck_assert_int_eq(throttle_in_process(t), 0);
    ck_assert(quick(t, ALICE, "192.168.11.1", 0).allowed);
    ck_assert(quick(t, ALICE, "10.9.9.8", 1).allowed);
    ck_assert(!quick(t, ALICE, "10.9.9.8", 2).allowed);
    ck_assert(quick(t, ALICE, "192.168.10.200", 3).allowed);
    throttle_free(t);
}
END_TEST

START_TEST(idle_members_are_swept)
{
    throttle_policy p = open_policy();
    p.limits[THROTTLE_IP] = (throttle_limit){THROTTLE_MAX_LIMIT, 5, 1000};
    throttle *t = throttle_new(&p);
    char ip[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(ip, sizeof ip, "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
        ck_assert(quick(t, NULL, ip, 0).allowed);
    }
    ck_assert_int_ge(throttle_members(t), 20000 / 2);
    /* a second later their windows have closed: new members sweep them */
    for (int i = 0; i < 20000; i++) {
        snprintf(ip, sizeof ip, "11.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
        ck_assert(quick(t, NULL, ip, 5000 + i / 4).allowed);
    }
    ck_assert_int_lt(throttle_members(t), 25000); /* the first 20,000 are gone */
    /* a held member survives any sweep */
    throttle_policy q = open_policy();
    q.limits[THROTTLE_USER] = (throttle_limit){1, THROTTLE_MAX_LIMIT, 1};
    throttle *u = throttle_new(&q);
    struct sockaddr_storage a = v4("10.0.0.1");
    throttle_hold h, h2;
    ck_assert(throttle_enter(u, ALICE, (struct sockaddr *)&a, t0, &h).allowed);
    char user[40];
    for (int i = 0; i < 5000; i++) {
        snprintf(user, sizeof user, "user-%d", i);
        throttle_hold x;
        ck_assert(throttle_enter(u, user, NULL, t0 + 100 + i, &x).allowed);
        throttle_leave(&x);
    }
    ck_assert(!throttle_enter(u, ALICE, (struct sockaddr *)&a, t0 + 10000, &h2).allowed);
    throttle_leave(&h);
    ck_assert(throttle_enter(u, ALICE, (struct sockaddr *)&a, t0 + 10000, &h2).allowed);
    throttle_leave(&h2);
    throttle_free(u);
    throttle_free(t);
}
END_TEST

/* Threads enter and leave at one time: exactly the limit is let in, and
 * nothing stays held. */
#define THREADS 8
#define TRIES 2000
static throttle *shared;
static int admitted[THREADS];

static void *hammer(void *arg)
{
    int id = (int)(long)arg;
    char user[40];
    snprintf(user, sizeof user, "user-%d", id % 2);
    struct sockaddr_storage a = v4(id % 4 < 2 ? "10.0.0.1" : "10.0.0.2");
    for (int i = 0; i < TRIES; i++) {
        throttle_hold h;
        if (throttle_enter(shared, user, (struct sockaddr *)&a, t0, &h).allowed)
            admitted[id]++;
        throttle_leave(&h);
    }
    return NULL;
}

START_TEST(exact_under_threads)
{
    throttle_policy p = open_policy();
    p.limits[THROTTLE_ALL] = (throttle_limit){THROTTLE_MAX_LIMIT, 5000, 60000};
    p.limits[THROTTLE_USER] = (throttle_limit){THROTTLE_MAX_LIMIT, 3000, 60000};
    shared = throttle_new(&p);
    pthread_t th[THREADS];
    for (long i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, hammer, (void *)i), 0);
    int total = 0, user0 = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        total += admitted[i];
        user0 += i % 2 ? 0 : admitted[i];
    }
    /* 16,000 tries: each user is held to 3,000, all of them to 5,000 */
    ck_assert_int_eq(total, 5000);
    ck_assert_int_le(user0, 3000);
    ck_assert_int_ge(user0, 2000);
    ck_assert_int_eq(throttle_in_process(shared), 0);
    throttle_free(shared);
}
END_TEST

START_TEST(limits_are_brought_into_range)
{
    throttle_policy p = {.limits = {{0, 0, 0}, {-5, THROTTLE_MAX_LIMIT * 4, -1}}};
    throttle *t = throttle_new(&p);
    ck_assert(quick(t, ALICE, "10.0.0.1", 0).allowed); /* a limit of 1, not 0 */
    throttle_verdict v = quick(t, ALICE, "10.0.0.1", 0);
    ck_assert(!v.allowed);
    ck_assert_int_eq(v.limit, 1);
    ck_assert_int_eq(v.unit_ms, 1);
    throttle_free(t);
}
END_TEST

START_TEST(networks)
{
    net_address a, b;
    net_prefix p;
    ck_assert(net_address_parse(" 127.0.0.1 ", &a));
    ck_assert(net_address_parse("::ffff:127.0.0.1", &b));
    ck_assert_mem_eq(a.b, b.b, 16);
    ck_assert(!net_address_parse("127.0.0.256", &a));
    ck_assert(!net_address_parse("", &a));
    ck_assert(!net_address_parse("10.0.0.0/8", &a));
    /* the REST overview's own example sets host bits */
    ck_assert(net_prefix_parse("192.10.100.14/24", &p));
    ck_assert(net_address_parse("192.10.100.250", &a));
    ck_assert(net_prefix_contains(&p, &a));
    ck_assert(net_address_parse("192.10.101.1", &a));
    ck_assert(!net_prefix_contains(&p, &a));
    ck_assert(net_prefix_parse("198.126.10.0/22", &p)); /* 198.126.8.0-198.126.11.255 */
    ck_assert(net_address_parse("198.126.8.0", &a));
    ck_assert(net_prefix_contains(&p, &a));
    ck_assert(net_address_parse("198.126.11.255", &a));
    ck_assert(net_prefix_contains(&p, &a));
    ck_assert(net_address_parse("198.126.12.0", &a));
    ck_assert(!net_prefix_contains(&p, &a));
    ck_assert(net_prefix_parse("0.0.0.0/0", &p));
    ck_assert(net_prefix_contains(&p, &a));
    ck_assert(net_address_parse("2001:db8::1", &b));
    ck_assert(!net_prefix_contains(&p, &b)); /* IPv4's /0 is not every IPv6 address */
    ck_assert(net_prefix_parse("2001:db8::/33", &p));
    ck_assert(net_prefix_contains(&p, &b));
    ck_assert(net_address_parse("2001:db8:8000::1", &b));
    ck_assert(!net_prefix_contains(&p, &b));
    const char *bad[] = {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0", "10.0.0.0/8x", "/8",
                         "::/129", "10.0.0.0/-1", "host/8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!net_prefix_parse(bad[i], &p), "%s", bad[i]);
}
END_TEST

static Suite *throttle_suite(void)
{
    Suite *s = suite_create("throttle");
    TCase *tc = tcase_create("limiter");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, per_unit_limit_of_each_group);
    tcase_add_test(tc, parallel_limit_of_each_group);
    tcase_add_test(tc, refused_requests_count_nowhere);
    tcase_add_test(tc, anonymous_requests_count_by_address);
    tcase_add_test(tc, skipped_addresses_are_neither_limited_nor_counted);
    tcase_add_test(tc, idle_members_are_swept);
    tcase_add_test(tc, exact_under_threads);
    tcase_add_test(tc, limits_are_brought_into_range);
    tcase_add_test(tc, networks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(throttle_suite(), CK_FORK);
}
