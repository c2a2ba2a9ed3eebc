/* throttle.c — see throttle.h.
 *
 * The all-requests group: an atomic count of requests in process and one
 * atomic word for its window, (start << 24) | count, start in milliseconds
 * since the limiter was made (40 bits: 34 years), changed by compare and
 * swap. The other groups: entries in THROTTLE_SHARDS chained hash tables
 * picked by the key's hash, each table under its own mutex. Entries are
 * allocated one by one, so a held pointer stays good while the table
 * grows; an entry is freed only by a sweep, and only when nothing holds it
 * and its window has closed. A place is taken under the shard's lock and
 * given back by an atomic decrement, so the end of a request takes no lock
 * (a sweep, under the lock, sees a count that can only fall).
 */
#include "throttle/throttle.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT_BITS 24
#define COUNT_MASK ((UINT64_C(1) << COUNT_BITS) - 1)
#define SWEEP_MIN 256 /* entries a shard holds before its first sweep */

/* One member of a group: a user, an address, a user at an address. Zeroed
 * before filling, so that keys compare with memcmp and hash as eight
 * words. */
typedef struct key {
    net_address addr;
    char user[40];
    uint32_t group;
    uint32_t unused;
} key;

_Static_assert(sizeof(key) == 64, "a key is eight 64-bit words");

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    key k;
    long long start; /* the open window's start (ms since the limiter's epoch) */
    long count;      /* requests let in during it; 0: no window open */
    _Atomic long parallel; /* requests in process: taken under the shard's
                              lock, given back without it */
} entry;

typedef struct shard {
    pthread_mutex_t lock;
    entry **slots;
    size_t nslots; /* a power of two */
    size_t count;
    size_t sweep_at;
    char pad[64]; /* a shard's lock apart from its neighbour's cache line */
} shard;

struct throttle {
    throttle_policy policy;
    long long epoch_ms;
    _Atomic long all_parallel;
    char pad1[64];
    _Atomic uint64_t all_window;
    char pad2[64];
    shard shards[THROTTLE_SHARDS];
};

const char *throttle_group_name(throttle_group g)
{
    static const char *const names[THROTTLE_GROUPS] = {
        [THROTTLE_ALL] = "all requests",
        [THROTTLE_IP] = "client address",
        [THROTTLE_USER] = "user",
        [THROTTLE_USER_IP] = "user and client address",
    };
    return (unsigned)g < THROTTLE_GROUPS ? names[g] : "";
}

long long throttle_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long clamp(long v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : v; }

throttle *throttle_new(const throttle_policy *p)
{
    throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->policy = *p;
    if (t->policy.nskip > THROTTLE_MAX_SKIP)
        t->policy.nskip = THROTTLE_MAX_SKIP;
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        throttle_limit *l = &t->policy.limits[g];
        l->parallel = clamp(l->parallel, 1, THROTTLE_MAX_LIMIT);
        l->per_unit = clamp(l->per_unit, 1, THROTTLE_MAX_LIMIT);
        if (l->unit_ms < 1)
            l->unit_ms = 1;
    }
    t->epoch_ms = throttle_now_ms();
    atomic_init(&t->all_parallel, 0);
    atomic_init(&t->all_window, 0);
    for (int i = 0; i < THROTTLE_SHARDS; i++) {
        shard *s = &t->shards[i];
        pthread_mutex_init(&s->lock, NULL);
        s->nslots = 16;
        s->sweep_at = SWEEP_MIN;
        s->slots = calloc(s->nslots, sizeof *s->slots);
        if (!s->slots) {
            throttle_free(t);
            return NULL;
        }
    }
    return t;
}

void throttle_free(throttle *t)
{
    if (!t)
        return;
    for (int i = 0; i < THROTTLE_SHARDS; i++) {
        shard *s = &t->shards[i];
        for (size_t j = 0; s->slots && j < s->nslots; j++)
            for (entry *e = s->slots[j], *next; e; e = next) {
                next = e->next;
                free(e);
            }
        free(s->slots);
        pthread_mutex_destroy(&s->lock);
    }
    free(t);
}

/* The key's eight words, each mixed in by a multiply, then a final mix so
 * that the top bits, which pick the shard, depend on every byte. */
static uint64_t hash_key(const key *k)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15);
    for (size_t i = 0; i < sizeof *k; i += 8) {
        uint64_t w;
        memcpy(&w, (const char *)k + i, 8);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 29;
    }
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

static shard *shard_of(throttle *t, uint64_t hash)
{
    return &t->shards[hash >> 58]; /* the top 6 bits: THROTTLE_SHARDS = 64 */
}

/* Whether a window that opened at start with count requests is still open. */
static bool window_open(long long start, long count, long long now, long long unit)
{
    return count > 0 && now < start + unit;
}

/* Frees the entries nothing holds whose window has closed. */
static void sweep(throttle *t, shard *s, long long now)
{
    for (size_t j = 0; j < s->nslots; j++)
        for (entry **link = &s->slots[j]; *link;) {
            entry *e = *link;
            if (!atomic_load_explicit(&e->parallel, memory_order_acquire) &&
                !window_open(e->start, e->count, now, t->policy.limits[e->k.group].unit_ms)) {
                *link = e->next;
                free(e);
                s->count--;
            } else {
                link = &e->next;
            }
        }
    s->sweep_at = s->count * 2 > SWEEP_MIN ? s->count * 2 : SWEEP_MIN;
}

/* Doubles the slots when the chains grow longer than one on average. */
static void grow(shard *s)
{
    size_t n = s->nslots * 2;
    entry **slots = calloc(n, sizeof *slots);
    if (!slots)
        return; /* longer chains, still correct */
    for (size_t j = 0; j < s->nslots; j++)
        for (entry *e = s->slots[j], *next; e; e = next) {
            next = e->next;
            size_t i = e->hash & (n - 1);
            e->next = slots[i];
            slots[i] = e;
        }
    free(s->slots);
    s->slots = slots;
    s->nslots = n;
}

/* The entry of k in s (locked), made if new; NULL when out of memory. */
static entry *find(throttle *t, shard *s, const key *k, uint64_t hash, long long now)
{
    for (entry *e = s->slots[hash & (s->nslots - 1)]; e; e = e->next)
        if (e->hash == hash && !memcmp(&e->k, k, sizeof *k))
            return e;
    if (s->count >= s->sweep_at)
        sweep(t, s, now);
    if (s->count >= s->nslots)
        grow(s);
    entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    atomic_init(&e->parallel, 0);
    e->hash = hash;
    e->k = *k;
    size_t i = hash & (s->nslots - 1);
    e->next = s->slots[i];
    s->slots[i] = e;
    s->count++;
    return e;
}

static long seconds_left(long long start, long long unit, long long now)
{
    long long ms = start + unit - now;
    long s = (long)((ms + 999) / 1000);
    return s < 1 ? 1 : s;
}

static void refuse(throttle_verdict *v, throttle_group g, const throttle_limit *l, bool parallel,
                   long retry_after)
{
    v->allowed = false;
    v->group = g;
    v->parallel = parallel;
    v->limit = parallel ? l->parallel : l->per_unit;
    v->unit_ms = l->unit_ms;
    v->retry_after = parallel ? 0 : retry_after;
}

/* Takes a place for k in its group at now (ms since the epoch); NULL and
 * *v filled when it does not fit. *start: the window counted in (for
 * undo). Out of memory lets the request in uncounted, *counted false. */
static entry *take_member(throttle *t, const key *k, long long now, throttle_verdict *v,
                          long long *start, bool *counted)
{
    const throttle_limit *l = &t->policy.limits[k->group];
    uint64_t hash = hash_key(k);
    shard *s = shard_of(t, hash);
    pthread_mutex_lock(&s->lock);
    entry *e = find(t, s, k, hash, now);
    *counted = e != NULL;
    if (e) {
        if (!window_open(e->start, e->count, now, l->unit_ms)) {
            e->start = now;
            e->count = 0;
        }
        if (e->count >= l->per_unit) {
            refuse(v, k->group, l, false, seconds_left(e->start, l->unit_ms, now));
            e = NULL;
        } else if (atomic_load_explicit(&e->parallel, memory_order_relaxed) >= l->parallel) {
            refuse(v, k->group, l, true, 0);
            e = NULL;
        } else {
            e->count++;
            atomic_fetch_add_explicit(&e->parallel, 1, memory_order_relaxed);
            *start = e->start;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return e;
}

/* Undoes take_member for a request refused by a later group: its place
 * and its count in the window it counted in (start). */
static void undo_member(throttle *t, entry *e, long long start)
{
    shard *s = shard_of(t, e->hash);
    pthread_mutex_lock(&s->lock);
    atomic_fetch_sub_explicit(&e->parallel, 1, memory_order_relaxed);
    if (e->start == start && e->count > 0)
        e->count--;
    pthread_mutex_unlock(&s->lock);
}

/* The all-requests group at now (ms since the epoch): false and *v filled
 * when it does not fit; *window: the window counted in. */
static bool take_all(throttle *t, long long now, throttle_verdict *v, uint64_t *window)
{
    const throttle_limit *l = &t->policy.limits[THROTTLE_ALL];
    uint64_t rel = (uint64_t)now;
    uint64_t old = atomic_load_explicit(&t->all_window, memory_order_relaxed);
    for (;;) {
        uint64_t start = old >> COUNT_BITS, count = old & COUNT_MASK, next;
        if (!window_open((long long)start, (long)count, (long long)rel, l->unit_ms))
            next = (rel << COUNT_BITS) | 1;
        else if (count >= (uint64_t)l->per_unit) {
            refuse(v, THROTTLE_ALL, l, false,
                   seconds_left((long long)start, l->unit_ms, (long long)rel));
            return false;
        } else
            next = old + 1;
        if (atomic_compare_exchange_weak_explicit(&t->all_window, &old, next,
                                                  memory_order_relaxed, memory_order_relaxed)) {
            *window = next >> COUNT_BITS;
            break;
        }
    }
    long in = atomic_fetch_add_explicit(&t->all_parallel, 1, memory_order_relaxed);
    if (in < l->parallel)
        return true;
    atomic_fetch_sub_explicit(&t->all_parallel, 1, memory_order_relaxed);
    uint64_t cur = atomic_load_explicit(&t->all_window, memory_order_relaxed);
    while ((cur >> COUNT_BITS) == *window && (cur & COUNT_MASK) > 0 &&
           !atomic_compare_exchange_weak_explicit(&t->all_window, &cur, cur - 1,
                                                  memory_order_relaxed, memory_order_relaxed))
        ;
    refuse(v, THROTTLE_ALL, l, true, 0);
    return false;
}

static bool skipped(const throttle *t, const net_address *a)
{
    for (size_t i = 0; i < t->policy.nskip; i++)
        if (net_prefix_contains(&t->policy.skip[i], a))
            return true;
    return false;
}

throttle_verdict throttle_enter(throttle *t, const char *user_uid, const struct sockaddr *client,
                                long long now_ms, throttle_hold *hold)
{
    throttle_verdict v = {.allowed = true};
    memset(hold, 0, sizeof *hold);
    net_address addr;
    bool have_addr = net_address_of(client, &addr);
    if (have_addr && skipped(t, &addr))
        return v;
    bool have_user = user_uid && *user_uid;
    /* the most particular group first: the refusal names the narrowest
     * limit reached */
    key keys[3];
    size_t nkeys = 0;
    static const throttle_group order[] = {THROTTLE_USER_IP, THROTTLE_USER, THROTTLE_IP};
    for (size_t i = 0; i < 3; i++) {
        throttle_group g = order[i];
        bool wants_user = g != THROTTLE_IP, wants_addr = g != THROTTLE_USER;
        if ((wants_user && !have_user) || (wants_addr && !have_addr))
            continue;
        key *k = &keys[nkeys++];
        memset(k, 0, sizeof *k);
        k->group = (uint32_t)g;
        if (wants_addr)
            k->addr = addr;
        if (wants_user) {
            size_t n = strlen(user_uid);
            memcpy(k->user, user_uid, n < sizeof k->user - 1 ? n : sizeof k->user - 1);
        }
    }
    long long now = now_ms > t->epoch_ms ? now_ms - t->epoch_ms : 0; /* since the epoch */
    entry *taken[3] = {0};
    long long starts[3] = {0};
    size_t i = 0;
    for (; i < nkeys; i++) {
        bool counted;
        taken[i] = take_member(t, &keys[i], now, &v, &starts[i], &counted);
        if (!taken[i] && counted)
            break;
    }
    uint64_t window;
    if (i == nkeys && take_all(t, now, &v, &window)) {
        hold->t = t;
        hold->members[THROTTLE_ALL] = t;
        for (size_t j = 0; j < nkeys; j++)
            hold->members[keys[j].group] = taken[j];
        return v;
    }
    for (size_t j = 0; j < i; j++) /* refused: undo what the request took */
        if (taken[j])
            undo_member(t, taken[j], starts[j]);
    return v;
}

void throttle_leave(throttle_hold *hold)
{
    throttle *t = hold->t;
    if (!t)
        return;
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        if (!hold->members[g])
            continue;
        if (g == THROTTLE_ALL)
            atomic_fetch_sub_explicit(&t->all_parallel, 1, memory_order_relaxed);
        else /* the last touch of the entry: a sweep may free it after */
            atomic_fetch_sub_explicit(&((entry *)hold->members[g])->parallel, 1,
                                      memory_order_release);
    }
    memset(hold, 0, sizeof *hold);
}

long throttle_in_process(const throttle *t)
{
    return atomic_load(&((throttle *)t)->all_parallel);
}

size_t throttle_members(throttle *t)
{
    size_t n = 0;
    for (int i = 0; i < THROTTLE_SHARDS; i++) {
        pthread_mutex_lock(&t->shards[i].lock);
        n += t->shards[i].count;
        pthread_mutex_unlock(&t->shards[i].lock);
    }
    return n;
}
