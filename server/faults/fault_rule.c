/* fault_rule.c — see fault_rule.h. */
#include "faults/fault_rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_V3 "/api/v3"

/* Writes the property at fault and why; returns NULL for the caller. */
static void *refuse(char *prop, size_t proplen, const char *name, char *why, size_t whylen,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void *refuse(char *prop, size_t proplen, const char *name, char *why, size_t whylen,
                    const char *fmt, ...)
{
    snprintf(prop, proplen, "%s", name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return NULL;
}

void fault_rule_free(fault_rule *r)
{
    if (!r)
        return;
    free(r->pattern);
    free(r->operation_id);
    free(r->user);
    json_decref(r->given);
    free(r);
}

static char *dup_text(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? strdup(s) : NULL;
}

/* An integer property of rule, or dflt when absent; false when it is not
 * an integer within [min, max]. */
static bool integer_in(const json_t *v, long min, long max, long *out)
{
    if (!json_is_integer(v))
        return false;
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return false;
    *out = (long)n;
    return true;
}

/* The effect object against its row of the table: every property known,
 * in range, required ones present; defaults filled in (effect is the
 * rule's own copy). */
static bool check_effect(const json_t *effects, json_t *effect, const json_t **row, char *prop,
                         size_t proplen, char *why, size_t whylen)
{
    if (!json_is_object(effect))
        return refuse(prop, proplen, "effect", why, whylen,
                      "The effect must be an object with a \"type\".");
    const char *type = json_string_value(json_object_get(effect, "type"));
    *row = type ? json_object_get(effects, type) : NULL;
    if (!*row) {
        char known[256] = "";
        const char *name;
        const json_t *v;
        size_t used = 0;
        json_object_foreach((json_t *)effects, name, v) used +=
            (size_t)snprintf(known + used, used < sizeof known ? sizeof known - used : 0, "%s%s",
                             used ? ", " : "", name);
        return refuse(prop, proplen, "effect.type", why, whylen,
                      "The effect type must be one of: %s.", known);
    }
    const char *name;
    json_t *v;
    char path[96];
    json_object_foreach(effect, name, v) {
        if (!strcmp(name, "type"))
            continue;
        const json_t *spec = json_object_get(*row, name);
        snprintf(path, sizeof path, "effect.%s", name);
        if (!spec)
            return refuse(prop, proplen, path, why, whylen,
                          "The %s effect has no property '%s'.", type, name);
        const char *kind = json_string_value(json_object_get(spec, "type"));
        if (kind && !strcmp(kind, "integer")) {
            long n, min = (long)json_integer_value(json_object_get(spec, "min")),
                    max = (long)json_integer_value(json_object_get(spec, "max"));
            if (!integer_in(v, min, max, &n))
                return refuse(prop, proplen, path, why, whylen,
                              "The value must be an integer from %ld to %ld.", min, max);
        } else {
            const json_t *allowed = json_object_get(spec, "enum");
            if (!json_is_string(v))
                return refuse(prop, proplen, path, why, whylen, "The value must be a string.");
            bool ok = !allowed;
            size_t i;
            const json_t *a;
            json_array_foreach(allowed, i, a) ok = ok || !strcmp(json_string_value(a),
                                                                 json_string_value(v));
            if (!ok)
                return refuse(prop, proplen, path, why, whylen,
                              "The value '%s' is not allowed here.", json_string_value(v));
        }
    }
    json_object_foreach((json_t *)*row, name, v) {
        snprintf(path, sizeof path, "effect.%s", name);
        if (json_object_get(effect, name))
            continue;
        if (json_is_true(json_object_get(v, "required")))
            return refuse(prop, proplen, path, why, whylen, "The %s effect needs '%s'.", type,
                          name);
        const json_t *dflt = json_object_get(v, "default");
        if (dflt)
            json_object_set(effect, name, (json_t *)dflt);
    }
    return true;
}

/* The effect's fields in r->effect, from the checked effect object. */
static bool take_effect(fault_rule *r, const json_t *effect, char *prop, size_t proplen,
                        char *why, size_t whylen)
{
    const char *type = json_string_value(json_object_get(effect, "type"));
    fault_hit *e = &r->effect;
    e->kind = fault_kind_named(type);
    if (e->kind == FAULT_NONE)
        return refuse(prop, proplen, "effect.type", why, whylen,
                      "The emulator cannot apply effects of type '%s'.", type);
    const json_t *ms = json_object_get(effect, "ms"), *lo = json_object_get(effect, "minMs"),
                 *hi = json_object_get(effect, "maxMs");
    if (e->kind == FAULT_LATENCY) {
        if (ms && (lo || hi))
            return refuse(prop, proplen, "effect.ms", why, whylen,
                          "Give either ms, or minMs and maxMs.");
        if (!ms && (!lo || !hi))
            return refuse(prop, proplen, lo ? "effect.maxMs" : "effect.minMs", why, whylen,
                          "A latency needs ms, or both minMs and maxMs.");
        e->delay_ms = (long)json_integer_value(ms ? ms : lo);
        r->max_ms = (long)json_integer_value(ms ? ms : hi);
        if (r->max_ms < e->delay_ms)
            return refuse(prop, proplen, "effect.maxMs", why, whylen,
                          "maxMs must not be less than minMs.");
    }
    e->status = (int)json_integer_value(json_object_get(effect, "status"));
    e->retry_after = (long)json_integer_value(json_object_get(effect, "retryAfter"));
    const char *when = json_string_value(json_object_get(effect, "when"));
    e->after = when && !strcmp(when, "after");
    const json_t *bytes = json_object_get(effect, "bytes");
    e->truncate_bytes = bytes ? (long)json_integer_value(bytes) : -1;
    const char *message = json_string_value(json_object_get(effect, "message"));
    snprintf(e->message, sizeof e->message, "%s", message ? message : "");
    return true;
}

/* The members of a rule besides the effect. */
static bool take_match(fault_rule *r, const json_t *rule, char *prop, size_t proplen, char *why,
                       size_t whylen)
{
    static const char *const known[] = {"method", "path", "operationId", "user",
                                        "probability", "seed", "count", "effect"};
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)rule, name, v) {
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            ok = ok || !strcmp(known[i], name);
        if (!ok)
            return refuse(prop, proplen, name, why, whylen, "A fault rule has no property '%s'.",
                          name);
    }
    const json_t *method = json_object_get(rule, "method");
    static const char *const methods[] = {"*", "GET", "POST", "PUT", "PATCH", "DELETE"};
    snprintf(r->method, sizeof r->method, "%s", "*");
    if (method) {
        bool ok = false;
        for (size_t i = 0; i < sizeof methods / sizeof methods[0] && !ok; i++)
            if (json_is_string(method) && !strcasecmp(methods[i], json_string_value(method))) {
                snprintf(r->method, sizeof r->method, "%s", methods[i]);
                ok = true;
            }
        if (!ok)
            return refuse(prop, proplen, "method", why, whylen,
                          "The method must be \"*\", GET, POST, PUT, PATCH or DELETE.");
    }
    const json_t *path = json_object_get(rule, "path"), *op = json_object_get(rule, "operationId");
    if ((path && !json_is_string(path)) || (op && !json_is_string(op)))
        return refuse(prop, proplen, path && !json_is_string(path) ? "path" : "operationId", why,
                      whylen, "The value must be a string.");
    if (!path && !op)
        return refuse(prop, proplen, "path", why, whylen,
                      "A fault rule matches a path pattern or an operationId (\"path\": \"*\" "
                      "matches every route).");
    if (path) {
        const char *p = json_string_value(path);
        if (p[0] != '/' && p[0] != '*')
            return refuse(prop, proplen, "path", why, whylen,
                          "A path pattern starts with '/' or '*'.");
        bool under_api = !strncasecmp(p, "/api/", 5);
        size_t len = strlen(p) + sizeof API_V3;
        if (!(r->pattern = malloc(len)))
            return refuse(prop, proplen, "", why, whylen, "Out of memory.");
        snprintf(r->pattern, len, "%s%s", under_api ? "" : API_V3, p);
    }
    r->operation_id = dup_text(op);
    const json_t *user = json_object_get(rule, "user");
    if (user && (!json_is_string(user) || !json_string_length(user)))
        return refuse(prop, proplen, "user", why, whylen, "The user is a login (a string).");
    r->user = dup_text(user);
    const json_t *p = json_object_get(rule, "probability");
    r->probability = p ? json_number_value(p) : 1.0;
    if (p && (!json_is_number(p) || !(r->probability >= 0 && r->probability <= 1)))
        return refuse(prop, proplen, "probability", why, whylen,
                      "The probability must be a number from 0 to 1.");
    long count = -1;
    const json_t *c = json_object_get(rule, "count");
    if (c && !integer_in(c, 1, 1000000000, &count))
        return refuse(prop, proplen, "count", why, whylen,
                      "The count must be an integer from 1 to 1000000000.");
    r->count = count;
    const json_t *s = json_object_get(rule, "seed");
    if (s && (!json_is_integer(s) || json_integer_value(s) < 0))
        return refuse(prop, proplen, "seed", why, whylen,
                      "The seed must be a non-negative integer.");
    return true;
}

fault_rule *fault_rule_parse(const json_t *effects, uint64_t world_seed, const json_t *rule,
                             char *prop, size_t proplen, char *why, size_t whylen)
{
    if (!json_is_object(rule))
        return refuse(prop, proplen, "", why, whylen, "A fault rule is a JSON object.");
    fault_rule *r = calloc(1, sizeof *r);
    if (!r)
        return refuse(prop, proplen, "", why, whylen, "Out of memory.");
    r->given = json_deep_copy(rule);
    json_t *effect = json_object_get(r->given, "effect");
    const json_t *row;
    if (!r->given || !take_match(r, rule, prop, proplen, why, whylen) ||
        !check_effect(effects, effect, &row, prop, proplen, why, whylen) ||
        !take_effect(r, effect, prop, proplen, why, whylen)) {
        fault_rule_free(r);
        return NULL;
    }
    const json_t *s = json_object_get(rule, "seed");
    if (s) {
        r->seed = (uint64_t)json_integer_value(s);
    } else { /* the same rule again draws the same way: seeded by its text */
        char *text = json_dumps(r->given, JSON_COMPACT | JSON_SORT_KEYS);
        r->seed = rng_mix(world_seed, text ? text : "") & 0x7fffffffffffffffull;
        free(text);
    }
    rng_init(&r->stream, r->seed);
    return r;
}

json_t *fault_rule_json(const fault_rule *r)
{
    json_t *out = json_deep_copy(r->given);
    if (!out)
        return NULL;
    json_object_set_new(out, "id", json_integer(r->id));
    json_object_set_new(out, "method", json_string(r->method));
    json_object_set_new(out, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(out, "probability", json_real(r->probability));
    json_object_set_new(out, "matched", json_integer(r->matched));
    json_object_set_new(out, "applied", json_integer(r->applied));
    return out;
}

static bool matches(const fault_rule *r, const fault_request *q)
{
    if (strcmp(r->method, "*") && strcasecmp(r->method, q->method))
        return false;
    if (r->operation_id && (!q->operation_id || strcmp(r->operation_id, q->operation_id)))
        return false;
    if (r->pattern && !fault_glob(r->pattern, q->path))
        return false;
    return !r->user || (q->user && !strcasecmp(r->user, q->user));
}

void fault_rule_draw(fault_rule *r, const fault_request *q, fault_hit *hit)
{
    if ((r->count >= 0 && r->applied >= r->count) || !matches(r, q))
        return;
    r->matched++;
    if (!(rng_unit(&r->stream) < r->probability))
        return;
    r->applied++;
    *hit = r->effect;
    hit->rule_id = r->id;
    if (hit->kind == FAULT_LATENCY && r->max_ms > hit->delay_ms)
        hit->delay_ms = (long)rng_range(&r->stream, hit->delay_ms, r->max_ms);
}
