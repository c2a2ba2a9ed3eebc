/* login_guard.h — slows down guessing of passwords, MFA codes and reset
 * codes: failures are counted per login name and per client address, and
 * past a free budget the next attempts are refused for a backoff window.
 *
 * Policy (numbers below; the budgets and the cap are flags, config.h):
 *   - a login's first LOGIN_GUARD_LOGIN_FAILURES failures answer normally;
 *     from then on each failure closes that login for a window: 1 s after
 *     the budget is spent, doubling with every further failure up to
 *     LOGIN_GUARD_MAX_BACKOFF seconds;
 *   - the same for a client address, with a budget of
 *     LOGIN_GUARD_IP_FAILURES, whatever the logins it tries (so spraying
 *     many logins from one address is slowed as well); an IPv6 address
 *     counts by its /64, which one client usually owns whole;
 *   - an attempt inside a window is refused before anything is checked,
 *     the right secret included (else guessing would just go on), and is
 *     not itself a failure: it does not lengthen the window;
 *   - a success forgets the login's failures (not the address's: else one
 *     account of one's own would reset the budget for guessing others);
 *   - failures are forgotten after a quiet time, counted from the latest
 *     failure or the end of the last window, whichever is later:
 *     LOGIN_GUARD_LOGIN_QUIET for a login, LOGIN_GUARD_IP_QUIET for an
 *     address (so "20 failures, then at least a minute of quiet").
 *
 * Logins are compared ignoring case, with a "domain\" prefix dropped, as
 * accounts_find_user does; unknown logins are counted exactly like known
 * ones, so a refusal says nothing about who exists. Counts are kept apart
 * by kind: MFA codes per user (a correct password must not reset the MFA
 * count), password grants per login, reset codes per address only.
 *
 * Memory is bounded: one table of LOGIN_GUARD_SLOTS entries. When it is
 * full, a forgotten entry is reused first, then the one with the fewest
 * failures and the oldest activity, entries inside a window last — so
 * spraying random names evicts other sprayed names, not a locked login.
 *
 * Thread-safe (one mutex, held for a scan of the table and never across
 * I/O). Nothing sleeps: a refusal is an answer (429 with retryAfter), so
 * other clients are never held up. The clock is injectable for tests. A
 * NULL guard lets everything through (an app opened without one).
 */
#ifndef VSPC_LOGIN_GUARD_H
#define VSPC_LOGIN_GUARD_H

#include <stdbool.h>

#include "answer/response.h"

#define LOGIN_GUARD_LOGIN_FAILURES 5  /* free failures per login */
#define LOGIN_GUARD_IP_FAILURES 20    /* free failures per address */
#define LOGIN_GUARD_FIRST_BACKOFF 1   /* seconds: the first window */
#define LOGIN_GUARD_MAX_BACKOFF 300   /* seconds: the cap of a window */
#define LOGIN_GUARD_LOGIN_QUIET 900   /* seconds without failure: forgotten */
#define LOGIN_GUARD_IP_QUIET 60
#define LOGIN_GUARD_SLOTS 4096        /* entries, logins and addresses together */

typedef enum login_guard_kind {
    LOGIN_GUARD_PASSWORD, /* password grant, keyed by login name */
    LOGIN_GUARD_MFA,      /* mfa grant, keyed by user UID */
    LOGIN_GUARD_RESET,    /* reset code, no login: the address only */
} login_guard_kind;

typedef struct login_guard_policy {
    long login_failures; /* >= 1 */
    long ip_failures;    /* >= 1 */
    long max_backoff;    /* seconds, >= 1 */
} login_guard_policy;

/* Milliseconds on a clock that never goes back. */
typedef long long (*login_guard_clock)(void *ctx);

typedef struct login_guard login_guard;

/* A guard with that policy (NULL: the defaults above) on the monotonic
 * clock; NULL when out of memory. */
login_guard *login_guard_new(const login_guard_policy *policy);
void login_guard_free(login_guard *g);
/* Tests: another clock. */
void login_guard_set_clock(login_guard *g, login_guard_clock clock, void *ctx);

/* 0 if an attempt of that kind for login (may be NULL) from ip (may be
 * NULL: counted as one unknown address) may be checked now; else the
 * seconds (>= 1, rounded up) until it may. */
long login_guard_wait(login_guard *g, login_guard_kind kind, const char *login, const char *ip);
/* login_guard_wait, answered: when the attempt must wait, the 429 of the
 * REST overview's throttling (errors.h error_throttled: retryAfter and a
 * Retry-After header) goes in res and the result is true. */
bool login_guard_refuse(login_guard *g, login_guard_kind kind, const char *login,
                        const char *ip, response *res);
/* A checked attempt failed: counts it for the login and the address. */
void login_guard_failed(login_guard *g, login_guard_kind kind, const char *login,
                        const char *ip);
/* A checked attempt succeeded: the login's failures are forgotten. */
void login_guard_succeeded(login_guard *g, login_guard_kind kind, const char *login);

#endif
