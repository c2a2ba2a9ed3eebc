/* login_guard.c — see login_guard.h.
 *
 * One flat table scanned under the mutex: LOGIN_GUARD_SLOTS entries are a
 * few hundred kilobytes and a scan is microseconds, against the
 * milliseconds of the PBKDF2 every counted attempt costs anyway; a hash of
 * the key in each entry keeps the scan to integer compares.
 */
#include "auth/login_guard.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer/errors.h"

enum { KEY_MAX = 128 };

/* What an entry counts: a login name of a kind, or an address. */
enum { FOR_PASSWORD = 'P', FOR_MFA = 'M', FOR_ADDRESS = 'A' };

typedef struct entry {
    char what; /* 0: free slot */
    uint32_t hash;
    char key[KEY_MAX]; /* longer keys are cut: they share an entry, which only errs strict */
    long failures;
    long long last_ms;  /* the latest failure */
    long long until_ms; /* end of the open window, 0 if none */
} entry;

struct login_guard {
    pthread_mutex_t lock;
    login_guard_policy policy;
    login_guard_clock clock;
    void *clock_ctx;
    entry slots[LOGIN_GUARD_SLOTS];
};

static long long monotonic_ms(void *ctx)
{
    (void)ctx;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

login_guard *login_guard_new(const login_guard_policy *policy)
{
    login_guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    if (pthread_mutex_init(&g->lock, NULL) != 0) {
        free(g);
        return NULL;
    }
    login_guard_policy dflt = {LOGIN_GUARD_LOGIN_FAILURES, LOGIN_GUARD_IP_FAILURES,
                               LOGIN_GUARD_MAX_BACKOFF};
    g->policy = policy ? *policy : dflt;
    if (g->policy.login_failures < 1)
        g->policy.login_failures = 1;
    if (g->policy.ip_failures < 1)
        g->policy.ip_failures = 1;
    if (g->policy.max_backoff < 1)
        g->policy.max_backoff = 1;
    g->clock = monotonic_ms;
    return g;
}

void login_guard_free(login_guard *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->lock);
    free(g);
}

void login_guard_set_clock(login_guard *g, login_guard_clock clock, void *ctx)
{
    pthread_mutex_lock(&g->lock);
    g->clock = clock ? clock : monotonic_ms;
    g->clock_ctx = ctx;
    pthread_mutex_unlock(&g->lock);
}

/* --- keys ----------------------------------------------------------------- */

/* The login as accounts_find_user matches it: after the last '\', ASCII
 * case folded (SQLite's NOCASE folds ASCII only). */
static void login_key(const char *login, char out[KEY_MAX])
{
    const char *slash = strrchr(login, '\\');
    const char *name = slash ? slash + 1 : login;
    size_t i = 0;
    for (; name[i] && i < KEY_MAX - 1; i++)
        out[i] = (char)tolower((unsigned char)name[i]);
    out[i] = 0;
}

/* The address as counted: IPv4 as is, IPv6 by its /64 (an IPv4-mapped one
 * as its IPv4), anything unparsable as its text. */
static void address_key(const char *ip, char out[KEY_MAX])
{
    unsigned char a[16];
    if (!ip)
        ip = "";
    if (strchr(ip, ':') && inet_pton(AF_INET6, ip, a) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(a, mapped, sizeof mapped)) {
            inet_ntop(AF_INET, a + 12, out, KEY_MAX);
            return;
        }
        memset(a + 8, 0, 8);
        char text[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, a, text, sizeof text);
        snprintf(out, KEY_MAX, "%s/64", text);
        return;
    }
    snprintf(out, KEY_MAX, "%s", ip);
}

/* FNV-1a: a cheap filter before the string compare, not a security
 * boundary (a collision only costs one strcmp). */
static uint32_t hash_of(char what, const char *key)
{
    uint32_t h = 2166136261u ^ (unsigned char)what;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

/* --- the table (lock held) ------------------------------------------------- */

static long long quiet_ms(char what)
{
    return (what == FOR_ADDRESS ? LOGIN_GUARD_IP_QUIET : LOGIN_GUARD_LOGIN_QUIET) * 1000LL;
}

/* Whether an entry's failures are forgotten by now: the quiet time runs
 * from the latest failure or the end of the window, whichever is later, so
 * that a client who guesses again as soon as a window closes keeps
 * doubling it. */
static bool stale(const entry *e, long long now)
{
    if (!e->what)
        return true;
    long long since = e->until_ms > e->last_ms ? e->until_ms : e->last_ms;
    return now - since >= quiet_ms(e->what);
}

static entry *find(login_guard *g, char what, const char *key, long long now)
{
    uint32_t h = hash_of(what, key);
    for (size_t i = 0; i < LOGIN_GUARD_SLOTS; i++) {
        entry *e = &g->slots[i];
        if (e->what == what && e->hash == h && !strcmp(e->key, key)) {
            if (stale(e, now)) {
                e->what = 0;
                return NULL;
            }
            return e;
        }
    }
    return NULL;
}

/* Whether a should be evicted before b: open windows last, then fewer
 * failures, then older activity. */
static bool evict_first(const entry *a, const entry *b, long long now)
{
    bool a_open = a->until_ms > now, b_open = b->until_ms > now;
    if (a_open != b_open)
        return !a_open;
    if (a->failures != b->failures)
        return a->failures < b->failures;
    return a->last_ms < b->last_ms;
}

/* The entry of key, made if missing (evicting as the header says). */
static entry *find_or_add(login_guard *g, char what, const char *key, long long now)
{
    entry *e = find(g, what, key, now);
    if (e)
        return e;
    entry *victim = NULL;
    for (size_t i = 0; i < LOGIN_GUARD_SLOTS; i++) {
        entry *c = &g->slots[i];
        if (stale(c, now)) {
            victim = c;
            break;
        }
        if (!victim || evict_first(c, victim, now))
            victim = c;
    }
    memset(victim, 0, sizeof *victim);
    victim->what = what;
    victim->hash = hash_of(what, key);
    snprintf(victim->key, sizeof victim->key, "%s", key);
    return victim;
}

/* Seconds (rounded up) until e's window ends; 0 if none is open. */
static long wait_of(const entry *e, long long now)
{
    if (!e || e->until_ms <= now)
        return 0;
    return (long)((e->until_ms - now + 999) / 1000);
}

/* One more failure on e, with that free budget: past it, a window opens,
 * LOGIN_GUARD_FIRST_BACKOFF doubled per failure beyond the budget. */
static void count_failure(const login_guard *g, entry *e, long budget, long long now)
{
    e->failures++;
    e->last_ms = now;
    if (e->failures < budget)
        return;
    long long cap = (long long)g->policy.max_backoff * 1000;
    long long window = (long long)LOGIN_GUARD_FIRST_BACKOFF * 1000;
    for (long n = e->failures - budget; n > 0 && window < cap; n--)
        window *= 2;
    e->until_ms = now + (window < cap ? window : cap);
}

static char login_what(login_guard_kind kind)
{
    return kind == LOGIN_GUARD_PASSWORD ? FOR_PASSWORD : kind == LOGIN_GUARD_MFA ? FOR_MFA : 0;
}

/* The table keys of a call: the address's always, the login's when the
 * kind counts per login (what it returns, else 0). */
static char keys_of(login_guard_kind kind, const char *login, const char *ip,
                    char lkey[KEY_MAX], char akey[KEY_MAX])
{
    char what = login ? login_what(kind) : 0;
    if (what)
        login_key(login, lkey);
    address_key(ip, akey);
    return what;
}

/* --- the three calls --------------------------------------------------------- */

long login_guard_wait(login_guard *g, login_guard_kind kind, const char *login, const char *ip)
{
    if (!g)
        return 0;
    char lkey[KEY_MAX], akey[KEY_MAX];
    char what = keys_of(kind, login, ip, lkey, akey);
    pthread_mutex_lock(&g->lock);
    long long now = g->clock(g->clock_ctx);
    long w = wait_of(find(g, FOR_ADDRESS, akey, now), now);
    if (what) {
        long lw = wait_of(find(g, what, lkey, now), now);
        w = lw > w ? lw : w;
    }
    pthread_mutex_unlock(&g->lock);
    return w;
}

bool login_guard_refuse(login_guard *g, login_guard_kind kind, const char *login,
                        const char *ip, response *res)
{
    long wait = login_guard_wait(g, kind, login, ip);
    if (wait > 0)
        error_throttled(res, wait, "Too many failed attempts: try again in %ld s.", wait);
    return wait > 0;
}

void login_guard_failed(login_guard *g, login_guard_kind kind, const char *login, const char *ip)
{
    if (!g)
        return;
    char lkey[KEY_MAX], akey[KEY_MAX];
    char what = keys_of(kind, login, ip, lkey, akey);
    pthread_mutex_lock(&g->lock);
    long long now = g->clock(g->clock_ctx);
    count_failure(g, find_or_add(g, FOR_ADDRESS, akey, now), g->policy.ip_failures, now);
    if (what)
        count_failure(g, find_or_add(g, what, lkey, now), g->policy.login_failures, now);
    pthread_mutex_unlock(&g->lock);
}

void login_guard_succeeded(login_guard *g, login_guard_kind kind, const char *login)
{
    char what = login ? login_what(kind) : 0;
    if (!g || !what)
        return;
    char lkey[KEY_MAX];
    login_key(login, lkey);
    pthread_mutex_lock(&g->lock);
    entry *e = find(g, what, lkey, g->clock(g->clock_ctx));
    if (e)
        e->what = 0;
    pthread_mutex_unlock(&g->lock);
}
