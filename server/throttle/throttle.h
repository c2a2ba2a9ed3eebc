/* throttle.h — VSPC's request limits (the REST overview's "Throttling").
 *
 * Every request belongs to the group of all requests and to the group of
 * its client address; an authenticated one also to the group of its user
 * and to that of its user at that address. Each group has a limit of
 * requests in process at once (parallel) and of requests per time unit. A
 * request is let in only if it fits every group it belongs to, and then
 * counts in each; a refused one counts nowhere. Addresses of the policy's
 * skip list are neither limited nor counted.
 *
 * Time units are fixed windows, one per group member (per user, per
 * address...): a window opens with the first request after the previous
 * one closed and lasts the unit. A request over a per-unit limit learns the
 * whole seconds until that window closes (VSPC's retryAfter); over a
 * parallel limit there is no such time.
 *
 * A let-in request holds a place in each group's parallel count until
 * throttle_leave, which the transport calls once its answer has been sent
 * (pipeline/dispatch.h): a client slow to read a large answer is still a
 * request in process.
 *
 * Cost: O(1) per request (amortised), and no lock that every request takes:
 * the all-requests group is two atomics; users and addresses live in
 * THROTTLE_SHARDS hash tables, each behind its own mutex, held for one
 * lookup and two additions when a request enters; throttle_leave takes no
 * lock (atomic decrements). Entries of idle members are swept when a shard
 * has doubled since its last sweep, so memory follows the active users and
 * addresses. Thread-safe.
 */
#ifndef VSPC_THROTTLE_H
#define VSPC_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>

#include "throttle/networks.h"

struct sockaddr;

#define THROTTLE_SHARDS 64
#define THROTTLE_MAX_LIMIT 16777215L /* largest limit of either kind (2^24 - 1) */
#define THROTTLE_MAX_SKIP 256        /* skipped addresses and networks */

typedef enum throttle_group {
    THROTTLE_ALL,     /* every request */
    THROTTLE_IP,      /* requests from one client address */
    THROTTLE_USER,    /* requests of one user, from anywhere */
    THROTTLE_USER_IP, /* requests of one user from one address */
    THROTTLE_GROUPS
} throttle_group;

/* "all requests", "client address", "user", "user and client address". */
const char *throttle_group_name(throttle_group g);

typedef struct throttle_limit {
    long parallel; /* requests in process at once, 1..THROTTLE_MAX_LIMIT */
    long per_unit; /* requests per time unit, 1..THROTTLE_MAX_LIMIT */
    long long unit_ms; /* the time unit, >= 1 ms */
} throttle_limit;

typedef struct throttle_policy {
    throttle_limit limits[THROTTLE_GROUPS];
    net_prefix skip[THROTTLE_MAX_SKIP]; /* never limited nor counted */
    size_t nskip;
} throttle_policy;

typedef struct throttle throttle;

/* A limiter with that policy (limits outside their range are brought to
 * it); NULL when out of memory. */
throttle *throttle_new(const throttle_policy *p);
void throttle_free(throttle *t);

/* What a let-in request holds: its places in the parallel counts. All
 * zero: nothing (a skipped address, a refused request). */
typedef struct throttle_hold {
    throttle *t;
    void *members[THROTTLE_GROUPS]; /* the group members counted, or NULL */
} throttle_hold;

typedef struct throttle_verdict {
    bool allowed;
    throttle_group group; /* refused: the group whose limit is reached */
    bool parallel;        /* refused: it was the parallel limit */
    long limit;           /* refused: that limit */
    long long unit_ms;    /* refused: the group's time unit */
    long retry_after;     /* refused by a per-unit limit: whole seconds until
                             its window closes (>= 1); else 0 */
} throttle_verdict;

/* Milliseconds of a monotonic clock: the `now` of throttle_enter. */
long long throttle_now_ms(void);

/* Lets in or refuses a request of user_uid (NULL: not authenticated) from
 * client (NULL: unknown, then no address groups) at now_ms. Let in: *hold
 * is what it holds until throttle_leave. Refused: *hold holds nothing. */
throttle_verdict throttle_enter(throttle *t, const char *user_uid, const struct sockaddr *client,
                                long long now_ms, throttle_hold *hold);
/* Gives back what hold holds, and empties it; an empty hold is a no-op. */
void throttle_leave(throttle_hold *hold);

/* For tests: requests in process in the all-requests group, and the group
 * members kept in the tables. */
long throttle_in_process(const throttle *t);
size_t throttle_members(throttle *t);

#endif
