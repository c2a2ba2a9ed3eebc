/* params.c — see params.h. */
#include "request/params.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer/errors.h"
#include "base/uuid.h"
#include "base/utf8.h"

const char *kv_find(const kv *pairs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(pairs[i].key, name))
            return pairs[i].value;
    return NULL;
}

/* The schema that carries type/format/enum for `schema`: follows $ref and
 * single-member allOf wrappers ({"allOf":[{"$ref":...}],"default":...}). */
static const json_t *effective(const schema_ctx *ctx, const json_t *schema)
{
    for (int hops = 0; schema && hops < 16; hops++) {
        schema = schema_resolve(ctx, schema);
        const json_t *all = json_object_get(schema, "allOf");
        if (!schema || json_object_get(schema, "type") || json_array_size(all) != 1)
            return schema;
        schema = json_array_get(all, 0);
    }
    return schema;
}

static bool coerce_integer(const char *text, json_t **out, char *why, size_t whylen)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno) {
        snprintf(why, whylen, "The value '%s' is not a valid integer.", text);
        return false;
    }
    *out = json_integer(v);
    return *out != NULL;
}

static bool coerce_number(const char *text, json_t **out, char *why, size_t whylen)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (!*text || *end || errno) {
        snprintf(why, whylen, "The value '%s' is not a valid number.", text);
        return false;
    }
    *out = json_real(v);
    return *out != NULL;
}

static bool coerce_boolean(const char *text, json_t **out, char *why, size_t whylen)
{
    if (!strcasecmp(text, "true") || !strcasecmp(text, "false")) {
        *out = json_boolean(!strcasecmp(text, "true"));
        return true;
    }
    snprintf(why, whylen, "The value '%s' is not a valid boolean: true or false is expected.", text);
    return false;
}

/* Strings: enum members (any case, answered in the contract's spelling)
 * and the formats the contract uses. */
static bool coerce_string(const json_t *s, const char *text, json_t **out, char *why,
                          size_t whylen)
{
    const json_t *members = json_object_get(s, "enum");
    if (json_is_array(members)) {
        size_t i;
        const json_t *m;
        json_array_foreach(members, i, m) {
            if (json_is_string(m) && !strcasecmp(json_string_value(m), text)) {
                *out = json_copy((json_t *)m);
                return *out != NULL;
            }
        }
        size_t used = (size_t)snprintf(why, whylen, "The value '%s' is not valid. Valid values: ", text);
        json_array_foreach(members, i, m) {
            if (used >= whylen)
                break;
            used += (size_t)snprintf(why + used, whylen - used, "%s%s", i ? ", " : "",
                                     json_string_value(m) ? json_string_value(m) : "");
        }
        if (used < whylen)
            snprintf(why + used, whylen - used, ".");
        return false;
    }
    const char *format = json_string_value(json_object_get(s, "format"));
    if (format && !strcmp(format, "uuid")) {
        if (!uuid_valid(text)) {
            snprintf(why, whylen, "The value '%s' is not a valid UUID.", text);
            return false;
        }
        /* UUIDs compare ignoring case (as .NET's Guid does); records keep
         * them lower-case */
        char lower[40];
        size_t n = strlen(text);
        for (size_t i = 0; i < n && i < sizeof lower - 1; i++)
            lower[i] = (char)tolower((unsigned char)text[i]);
        lower[n < sizeof lower - 1 ? n : sizeof lower - 1] = 0;
        *out = json_string(lower);
        return *out != NULL;
    }
    if (format && !strcmp(format, "date") && !schema_valid_date(text)) {
        snprintf(why, whylen, "The value '%s' is not a valid date (YYYY-MM-DD).", text);
        return false;
    }
    if (format && !strcmp(format, "date-time") && !schema_valid_date_time(text)) {
        snprintf(why, whylen, "The value '%s' is not a valid date and time (ISO 8601).", text);
        return false;
    }
    *out = json_string(text);
    if (!*out) { /* jansson refuses text that is not UTF-8 */
        snprintf(why, whylen, "The value is not valid UTF-8 text.");
        return false;
    }
    return true;
}


static bool coerce_scalar(const schema_ctx *ctx, const json_t *schema, const char *text,
                          json_t **out, char *why, size_t whylen)
{
    const json_t *s = effective(ctx, schema);
    const char *type = json_string_value(json_object_get(s, "type"));
    if (!type)
        type = schema_type(ctx, schema);
    if (type && !strcmp(type, "integer"))
        return coerce_integer(text, out, why, whylen);
    if (type && !strcmp(type, "number"))
        return coerce_number(text, out, why, whylen);
    if (type && !strcmp(type, "boolean"))
        return coerce_boolean(text, out, why, whylen);
    if (type && (!strcmp(type, "object") || !strcmp(type, "array"))) {
        json_error_t jerr;
        *out = json_loads(text, JSON_DECODE_ANY, &jerr);
        if (!*out) {
            snprintf(why, whylen, "The value is not valid JSON: %s.", utf8_json_reason(&jerr));
            return false;
        }
        return true;
    }
    return coerce_string(s, text, out, why, whylen);
}

/* Text of one JSON array item, for coercion by the item schema: a string
 * as it is, anything else as its JSON text in *owned (caller frees), whole
 * however long. */
static const char *item_text(const json_t *item, char **owned)
{
    *owned = NULL;
    if (json_is_string(item))
        return json_string_value(item);
    *owned = json_dumps(item, JSON_ENCODE_ANY | JSON_COMPACT);
    return *owned ? *owned : "";
}

static bool coerce_array(const schema_ctx *ctx, const json_t *s, const char *const *texts,
                         size_t n, json_t **out, char *why, size_t whylen)
{
    const json_t *items = json_object_get(s, "items");
    json_t *arr = json_array();
    json_t *parsed = NULL;
    if (!arr)
        return false;
    /* One value that is a JSON array: its members are the items. */
    if (n == 1 && texts[0][0] == '[') {
        json_error_t jerr;
        parsed = json_loads(texts[0], 0, &jerr);
        if (!json_is_array(parsed)) {
            snprintf(why, whylen, "The value is not a valid JSON array: %s.",
                     utf8_json_reason(&jerr));
            json_decref(parsed);
            json_decref(arr);
            return false;
        }
    }
    size_t count = parsed ? json_array_size(parsed) : n;
    for (size_t i = 0; i < count; i++) {
        char *owned = NULL;
        const char *text = parsed ? item_text(json_array_get(parsed, i), &owned) : texts[i];
        json_t *v = NULL;
        bool ok = coerce_scalar(ctx, items, text, &v, why, whylen) && !json_array_append_new(arr, v);
        free(owned);
        if (!ok) {
            json_decref(parsed);
            json_decref(arr);
            return false;
        }
    }
    json_decref(parsed);
    *out = arr;
    return true;
}



/* params_coerce on texts known to be UTF-8. */
static bool coerce(const schema_ctx *ctx, const json_t *schema, const char *const *texts,
                   size_t n, json_t **out, char *why, size_t whylen)
{
    const json_t *s = effective(ctx, schema);
    const char *type = json_string_value(json_object_get(s, "type"));
    bool ok;
    if (type && !strcmp(type, "array"))
        ok = coerce_array(ctx, s, texts, n, out, why, whylen);
    else if (n != 1) {
        snprintf(why, whylen, "The parameter must be given once.");
        ok = false;
    } else
        ok = coerce_scalar(ctx, schema, texts[0], out, why, whylen);
    if (!ok)
        return false;
    schema_error serr;
    if (!schema_validate(ctx, schema, *out, &serr)) {
        snprintf(why, whylen, "%s%s%s", serr.path, serr.path[0] ? ": " : "", serr.message);
        json_decref(*out);
        *out = NULL;
        return false;
    }
    return true;
}

bool params_coerce(const schema_ctx *ctx, const json_t *schema, const char *const *texts,
                   size_t n, json_t **out, char *why, size_t whylen)
{
    *out = NULL;
    /* why quotes the text, and goes into a JSON error body: text that is
     * not UTF-8 cannot be quoted there (nor be a JSON string value) */
    for (size_t i = 0; i < n; i++) {
        if (!utf8_valid(texts[i])) {
            snprintf(why, whylen, "The value is not valid UTF-8 text.");
            return false;
        }
    }
    bool ok = coerce(ctx, schema, texts, n, out, why, whylen);
    if (!ok && whylen > 0)
        utf8_trim_partial(why); /* a long quoted value may have been cut inside a character */
    return ok;
}

/* VSPC's paging rules on top of the contract's integer type. */
static bool check_paging(const char *name, const json_t *v, long max_page, response *r)
{
    bool is_limit = !strcasecmp(name, "limit"), is_offset = !strcasecmp(name, "offset");
    if (!is_limit && !is_offset)
        return true;
    json_int_t n = json_integer_value(v);
    if (n < 0) {
        error_bad_parameter(r, name, "Property value must be larger or equal to 0.");
        return false;
    }
    if (is_limit && max_page > 0 && n > max_page) {
        error_bad_parameter(r, name, "Property value must be less or equal to %ld.", max_page);
        return false;
    }
    return true;
}

/* Collects the texts of parameter p from its source; returns the count. */
static size_t gather(const op_param *p, const param_input *in, const char **texts, size_t max)
{
    size_t n = 0;
    if (p->in == PARAM_PATH) {
        for (size_t i = 0; in->route && i < in->route->nparams && n < max; i++)
            if (!strcasecmp(in->route->names[i], p->name))
                texts[n++] = in->route->values[i];
    } else {
        const kv *pairs = p->in == PARAM_QUERY ? in->query : in->headers;
        size_t np = p->in == PARAM_QUERY ? in->nquery : in->nheaders;
        for (size_t i = 0; i < np && n < max; i++)
            if (!strcasecmp(pairs[i].key, p->name))
                texts[n++] = pairs[i].value ? pairs[i].value : "";
    }
    return n;
}

bool params_parse(const operation *op, const param_input *in, json_t **out, response *r)
{
    const schema_ctx *ctx = &op->contract->schemas;
    json_t *values = json_object();
    if (!values) {
        error_internal(r, "Out of memory.");
        return false;
    }
    for (size_t i = 0; i < op->nparams; i++) {
        const op_param *p = &op->params[i];
        const char *texts[64];
        size_t n = gather(p, in, texts, sizeof texts / sizeof texts[0]);
        if (n == 0) {
            if (p->required) {
                error_bad_parameter(r, p->name, "The %s parameter is required.", p->name);
                goto fail;
            }
            const json_t *dflt = json_object_get(schema_resolve(ctx, p->schema), "default");
            if (dflt && p->in == PARAM_QUERY)
                json_object_set_new(values, p->name, json_deep_copy(dflt));
            continue;
        }
        json_t *v;
        char why[512];
        if (!params_coerce(ctx, p->schema, texts, n, &v, why, sizeof why)) {
            error_bad_parameter(r, p->name, "%s", why);
            goto fail;
        }
        json_object_set_new(values, p->name, v);
        if (!check_paging(p->name, v, in->max_page_size, r))
            goto fail;
    }
    *out = values;
    return true;
fail:
    json_decref(values);
    *out = NULL;
    return false;
}

bool params_coerce_object(const schema_ctx *ctx, const json_t *schema, json_t *obj,
                          char *prop, size_t proplen, char *why, size_t whylen)
{
    const json_t *props = json_object_get(effective(ctx, schema), "properties");
    const char *key;
    json_t *value;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, value) {
        const json_t *ps = json_object_get(props, key);
        if (!ps || !json_is_string(value))
            continue;
        const char *type = schema_type(ctx, ps);
        if (!type || !strcmp(type, "string"))
            continue; /* stays text; the validator checks format and enum */
        const char *text = json_string_value(value);
        json_t *typed;
        if (!params_coerce(ctx, ps, &text, 1, &typed, why, whylen)) {
            snprintf(prop, proplen, "%s", key);
            return false;
        }
        json_object_set_new(obj, key, typed);
    }
    return true;
}
