/* appsettings.h — the settings VSPC reads from its appsettings.json, read
 * from a file of the same shape (--appsettings FILE), with the emulator's
 * own section for what VSPC does not publish (its base limits):
 *
 *   "Throttling":  { "IsDisabled": false,
 *                    "MaxParallelRequestsMultiplier": "1",
 *                    "MaxRequestPerTimeUnitMultiplier": "1",
 *                    "SkipIpAddresses": "192.168.0.1,192.168.0.2",
 *                    "SkipIpNetworks": ["10.0.0.0/8"] },
 *   "AsyncAction": { "ResultExpirationTime": "00:05:00",
 *                    "FailureExpirationTime": "01:00:00",
 *                    "TimerResolution": "00:01:00" },
 *   "VspcEmulator": { "Throttling": { GROUP: { "MaxParallelRequests": N,
 *                    "MaxRequestsPerTimeUnit": N, "TimeUnit": "00:00:01" } } }
 *   with GROUP one of AllRequests, IpAddress, User, UserAndIpAddress.
 *
 * Read the way .NET's configuration reads JSON: names ignoring case, every
 * value as its text ("5" and 5 alike, booleans true or false, durations as
 * TimeSpan text: app/timespan.h), null as absent. Other sections (Logging,
 * Kestrel...) are ignored, and so are unknown names inside VSPC's two
 * sections, with a warning, as VSPC ignores them; an unknown name in the
 * emulator's own section is refused (a misspelt limit would keep its
 * default unseen). Anything malformed refuses the whole file with a reason
 * naming the key ("Throttling.SkipIpNetworks[1]"). Every setting absent
 * keeps its default (appsettings_defaults; the README lists them).
 */
#ifndef VSPC_APPSETTINGS_H
#define VSPC_APPSETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "throttle/throttle.h"

typedef struct throttling_settings {
    bool is_disabled;           /* IsDisabled */
    double parallel_multiplier; /* MaxParallelRequestsMultiplier, > 0 */
    double per_unit_multiplier; /* MaxRequestPerTimeUnitMultiplier, > 0 */
    /* the base limits (VspcEmulator.Throttling), and SkipIpAddresses then
     * SkipIpNetworks as the skip list */
    throttle_policy base;
} throttling_settings;

/* VSPC's AsyncAction section, in milliseconds: kept for the async actions. */
typedef struct async_action_settings {
    long long result_expiration_ms;  /* ResultExpirationTime: succeeded results kept */
    long long failure_expiration_ms; /* FailureExpirationTime: failed results kept */
    long long timer_resolution_ms;   /* TimerResolution: between expiry checks */
} async_action_settings;

typedef struct app_settings {
    throttling_settings throttling;
    async_action_settings async_action;
} app_settings;

/* VSPC's defaults, and the emulator's base limits. */
void appsettings_defaults(app_settings *s);

/* The defaults, then what the file at path sets. False with "path: reason"
 * in err when it cannot be read or anything in it is malformed. */
bool appsettings_load(const char *path, app_settings *s, char *err, size_t errlen);

/* The limits the limiter applies: each base limit times its multiplier,
 * rounded down, at least 1 and at most THROTTLE_MAX_LIMIT; the skip list. */
void appsettings_throttle_policy(const app_settings *s, throttle_policy *out);

#endif
