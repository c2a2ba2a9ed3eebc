/* appsettings.c — see appsettings.h. Each section is a table of its names
 * and what reads each; a reader fails with the reason, and the caller puts
 * the file and the key's path in front of it. */
#include "app/appsettings.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/timespan.h"
#include "base/json_file.h"
#include "base/log.h"

/* The emulator's base limits: VSPC publishes none. A time unit of a
 * minute, as the REST overview's example suggests (a retryAfter of 25 s).
 * Chosen so that a client waiting for each answer, at up to 100 requests a
 * second, never meets them, while one user keeping up a few hundred a
 * second from one address does within 10-20 s (and the test suite's
 * sweeps, ~3,000 requests of one user in a minute, do not); the wider
 * groups leave room for several such clients. The README's table lists
 * them. */
static const throttle_limit default_limits[THROTTLE_GROUPS] = {
    [THROTTLE_ALL] = {512, 120000, 60000},
    [THROTTLE_IP] = {128, 30000, 60000},
    [THROTTLE_USER] = {64, 12000, 60000},
    [THROTTLE_USER_IP] = {16, 6000, 60000},
};

/* The names of the groups in the emulator's section. */
static const char *const group_keys[THROTTLE_GROUPS] = {
    [THROTTLE_ALL] = "AllRequests",
    [THROTTLE_IP] = "IpAddress",
    [THROTTLE_USER] = "User",
    [THROTTLE_USER_IP] = "UserAndIpAddress",
};

#define MAX_MULTIPLIER 1000000.0
#define MAX_DURATION_MS (366LL * 86400 * 1000) /* a year: longer is surely a slip */

void appsettings_defaults(app_settings *s)
{
    memset(s, 0, sizeof *s);
    s->throttling.parallel_multiplier = 1;
    s->throttling.per_unit_multiplier = 1;
    memcpy(s->throttling.base.limits, default_limits, sizeof default_limits);
    s->async_action.result_expiration_ms = 5 * 60 * 1000;
    s->async_action.failure_expiration_ms = 60 * 60 * 1000;
    s->async_action.timer_resolution_ms = 60 * 1000;
}

/* A value as .NET's configuration sees it: its text. NULL for null (the
 * key is then absent) and for objects and arrays (*structured set). */
static const char *value_text(const json_t *v, char *buf, size_t len, bool *structured)
{
    *structured = false;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, len, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, len, "%.17g", json_real_value(v));
        return buf;
    }
    if (json_is_boolean(v))
        return json_is_true(v) ? "true" : "false";
    *structured = !json_is_null(v);
    return NULL;
}

/* Readers: false with the reason in why. */
typedef bool (*reader)(const json_t *v, void *field, char *why, size_t len);

/* The text of a scalar value; false (with why) for objects and arrays;
 * *absent for null. */
static bool scalar(const json_t *v, char *buf, size_t len, const char **text, char *why,
                   size_t wlen)
{
    bool structured;
    *text = value_text(v, buf, len, &structured);
    if (structured)
        snprintf(why, wlen, "must be a single value, not an object or a list");
    return !structured;
}

static bool read_bool(const json_t *v, void *field, char *why, size_t len)
{
    char buf[64];
    const char *text;
    if (!scalar(v, buf, sizeof buf, &text, why, len))
        return false;
    if (!text)
        return true;
    if (!strcasecmp(text, "true") || !strcasecmp(text, "false")) {
        *(bool *)field = !strcasecmp(text, "true");
        return true;
    }
    snprintf(why, len, "'%s' is not true or false", text);
    return false;
}

static bool read_multiplier(const json_t *v, void *field, char *why, size_t len)
{
    char buf[64];
    const char *text;
    if (!scalar(v, buf, sizeof buf, &text, why, len))
        return false;
    if (!text)
        return true;
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (!*text || *end || errno || !isfinite(d) || d <= 0 || d > MAX_MULTIPLIER) {
        snprintf(why, len, "'%s' is not a number above 0 and at most %.0f", text, MAX_MULTIPLIER);
        return false;
    }
    *(double *)field = d;
    return true;
}

static bool read_limit(const json_t *v, void *field, char *why, size_t len)
{
    char buf[64];
    const char *text;
    if (!scalar(v, buf, sizeof buf, &text, why, len))
        return false;
    if (!text)
        return true;
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (!*text || *end || errno || n < 1 || n > THROTTLE_MAX_LIMIT) {
        snprintf(why, len, "'%s' is not a whole number from 1 to %ld", text, THROTTLE_MAX_LIMIT);
        return false;
    }
    *(long *)field = n;
    return true;
}

static bool read_duration(const json_t *v, void *field, char *why, size_t len)
{
    char buf[64];
    const char *text;
    if (!scalar(v, buf, sizeof buf, &text, why, len))
        return false;
    if (!text)
        return true;
    long long ms;
    if (!timespan_parse(text, &ms)) {
        snprintf(why, len, "'%s' is not a TimeSpan such as \"00:05:00\"", text);
        return false;
    }
    if (ms < 1 || ms > MAX_DURATION_MS) {
        snprintf(why, len, "'%s' must be longer than 0 and at most 366 days", text);
        return false;
    }
    *(long long *)field = ms;
    return true;
}

/* SkipIpAddresses: one text of comma-separated addresses. */
static bool read_skip_addresses(const json_t *v, void *field, char *why, size_t len)
{
    throttle_policy *p = field;
    char buf[64];
    const char *text;
    if (!scalar(v, buf, sizeof buf, &text, why, len))
        return false;
    for (const char *item = text; item && *item;) {
        const char *comma = strchr(item, ',');
        size_t n = comma ? (size_t)(comma - item) : strlen(item);
        char one[80];
        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), item);
        net_address a;
        if (!net_address_parse(one, &a) || n >= sizeof one) {
            snprintf(why, len, "'%s' is not an IP address", one);
            return false;
        }
        if (p->nskip == THROTTLE_MAX_SKIP) {
            snprintf(why, len, "more than %d addresses and networks", THROTTLE_MAX_SKIP);
            return false;
        }
        p->skip[p->nskip++] = net_prefix_host(&a);
        item = comma ? comma + 1 : NULL;
    }
    return true;
}

/* SkipIpNetworks: a list of CIDR texts. The key's path gets the index. */
static bool read_skip_networks(const json_t *v, void *field, char *why, size_t len)
{
    throttle_policy *p = field;
    if (json_is_null(v))
        return true;
    if (!json_is_array(v)) {
        snprintf(why, len, "must be a list of networks such as [\"10.0.0.0/8\"]");
        return false;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) {
        net_prefix net;
        if (!json_is_string(item) || !net_prefix_parse(json_string_value(item), &net)) {
            char *text = json_dumps(item, JSON_ENCODE_ANY);
            snprintf(why, len, "[%zu]: %s is not a network in CIDR notation such as "
                               "\"10.0.0.0/8\"", i, text ? text : "?");
            free(text);
            return false;
        }
        if (p->nskip == THROTTLE_MAX_SKIP) {
            snprintf(why, len, "more than %d addresses and networks", THROTTLE_MAX_SKIP);
            return false;
        }
        p->skip[p->nskip++] = net;
    }
    return true;
}

/* One name of a section: what reads it into which field. */
typedef struct setting {
    const char *name;
    reader read;
    void *field;
} setting;

typedef struct section_ctx {
    const char *path; /* the file */
    char *err;
    size_t errlen;
} section_ctx;

/* Reads the members of obj (the section at `where`) by the table; unknown
 * names warn (strict false) or fail (strict true). */
static bool read_section(const section_ctx *c, const char *where, const json_t *obj,
                         const setting *table, size_t n, bool strict)
{
    if (!obj || json_is_null(obj))
        return true;
    if (!json_is_object(obj)) {
        snprintf(c->err, c->errlen, "%s: %s: must be an object", c->path, where);
        return false;
    }
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)obj, name, v) {
        const setting *s = NULL;
        for (size_t i = 0; i < n && !s; i++)
            if (!strcasecmp(table[i].name, name))
                s = &table[i];
        if (!s && strict) {
            snprintf(c->err, c->errlen, "%s: %s.%s: unknown setting", c->path, where, name);
            return false;
        }
        if (!s) {
            log_warn("%s: %s.%s: not a setting the emulator knows; ignored", c->path, where,
                     name);
            continue;
        }
        char why[256];
        if (!s->read(v, s->field, why, sizeof why)) {
            /* a list's reason starts with the item's index, after the key */
            snprintf(c->err, c->errlen, "%s: %s.%s%s%s", c->path, where, s->name,
                     why[0] == '[' ? "" : ": ", why);
            return false;
        }
    }
    return true;
}

/* The member of obj named name ignoring case (the last, as .NET keeps). */
static const json_t *member(const json_t *obj, const char *name)
{
    const char *key;
    const json_t *v, *found = NULL;
    json_object_foreach((json_t *)obj, key, v) if (!strcasecmp(key, name)) found = v;
    return found;
}

/* VspcEmulator.Throttling: a section a group. */
static bool read_groups(const section_ctx *c, const json_t *obj, throttle_policy *base)
{
    const char *where = "VspcEmulator.Throttling";
    if (!obj || json_is_null(obj))
        return true;
    if (!json_is_object(obj)) {
        snprintf(c->err, c->errlen, "%s: %s: must be an object", c->path, where);
        return false;
    }
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)obj, name, v) {
        int g = -1;
        for (int i = 0; i < THROTTLE_GROUPS && g < 0; i++)
            if (!strcasecmp(group_keys[i], name))
                g = i;
        if (g < 0) {
            snprintf(c->err, c->errlen,
                     "%s: %s.%s: unknown group (AllRequests, IpAddress, User, UserAndIpAddress)",
                     c->path, where, name);
            return false;
        }
        throttle_limit *l = &base->limits[g];
        const setting table[] = {
            {"MaxParallelRequests", read_limit, &l->parallel},
            {"MaxRequestsPerTimeUnit", read_limit, &l->per_unit},
            {"TimeUnit", read_duration, &l->unit_ms},
        };
        char at[96];
        snprintf(at, sizeof at, "%s.%s", where, group_keys[g]);
        if (!read_section(c, at, v, table, sizeof table / sizeof table[0], true))
            return false;
    }
    return true;
}

bool appsettings_load(const char *path, app_settings *s, char *err, size_t errlen)
{
    appsettings_defaults(s);
    if (!path || !*path)
        return true;
    json_error_t jerr;
    json_t *root = json_file_load(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (jerr.line < 0)
            snprintf(err, errlen, "%s: %s", path, jerr.text);
        else
            snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return false;
    }
    section_ctx c = {path, err, errlen};
    throttling_settings *t = &s->throttling;
    async_action_settings *a = &s->async_action;
    const setting throttling[] = {
        {"IsDisabled", read_bool, &t->is_disabled},
        {"MaxParallelRequestsMultiplier", read_multiplier, &t->parallel_multiplier},
        {"MaxRequestPerTimeUnitMultiplier", read_multiplier, &t->per_unit_multiplier},
        {"SkipIpAddresses", read_skip_addresses, &t->base},
        {"SkipIpNetworks", read_skip_networks, &t->base},
    };
    const setting async_action[] = {
        {"ResultExpirationTime", read_duration, &a->result_expiration_ms},
        {"FailureExpirationTime", read_duration, &a->failure_expiration_ms},
        {"TimerResolution", read_duration, &a->timer_resolution_ms},
    };
    bool ok = json_is_object(root);
    if (!ok)
        snprintf(err, errlen, "%s: the file must hold a JSON object", path);
    ok = ok && read_section(&c, "Throttling", member(root, "Throttling"), throttling,
                            sizeof throttling / sizeof throttling[0], false);
    ok = ok && read_section(&c, "AsyncAction", member(root, "AsyncAction"), async_action,
                            sizeof async_action / sizeof async_action[0], false);
    const json_t *emulator = ok ? member(root, "VspcEmulator") : NULL;
    if (ok && emulator && !json_is_null(emulator)) {
        const json_t *groups = json_is_object(emulator) ? member(emulator, "Throttling") : NULL;
        const char *name;
        const json_t *v;
        if (!json_is_object(emulator)) {
            snprintf(err, errlen, "%s: VspcEmulator: must be an object", path);
            ok = false;
        } else
            json_object_foreach((json_t *)emulator, name, v) if (ok && strcasecmp(name, "Throttling")) {
                snprintf(err, errlen, "%s: VspcEmulator.%s: unknown setting", path, name);
                ok = false;
            }
        ok = ok && read_groups(&c, groups, &t->base);
    }
    json_decref(root);
    return ok;
}

/* base × multiplier, rounded down, within 1..THROTTLE_MAX_LIMIT. */
static long scaled(long base, double multiplier)
{
    double v = floor((double)base * multiplier);
    return v < 1 ? 1 : v > (double)THROTTLE_MAX_LIMIT ? THROTTLE_MAX_LIMIT : (long)v;
}

void appsettings_throttle_policy(const app_settings *s, throttle_policy *out)
{
    const throttling_settings *t = &s->throttling;
    *out = t->base;
    for (int g = 0; g < THROTTLE_GROUPS; g++) {
        out->limits[g].parallel = scaled(t->base.limits[g].parallel, t->parallel_multiplier);
        out->limits[g].per_unit = scaled(t->base.limits[g].per_unit, t->per_unit_multiplier);
    }
}
