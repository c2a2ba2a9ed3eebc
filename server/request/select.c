/* select.c — see select.h. */
#include "request/select.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

#define MAX_PATHS 200

/* Checks that every part of "a.b.c" is a property along schema. */
static bool path_exists(const schema_ctx *ctx, const json_t *schema, const char *path)
{
    char part[128];
    const json_t *s = schema;
    for (const char *at = path;;) {
        const char *dot = strchr(at, '.');
        size_t len = dot ? (size_t)(dot - at) : strlen(at);
        if (len == 0 || len >= sizeof part)
            return false;
        memcpy(part, at, len);
        part[len] = 0;
        s = schema_property(ctx, s, part);
        if (!s)
            return false;
        if (!dot)
            return true;
        at = dot + 1;
    }
}



bool select_parse(const schema_ctx *ctx, const json_t *schema, const char *text, json_t **paths,
                  char *why, size_t whylen)
{
    json_error_t jerr;
    json_t *list = json_loads(text, JSON_DECODE_ANY, &jerr);
    *paths = NULL;
    if (!list) {
        snprintf(why, whylen, "The select is not valid JSON: %s (column %d).",
                 utf8_json_reason(&jerr), jerr.column);
        return false;
    }
    if (json_is_object(list)) { /* one path alone */
        json_t *one = json_array();
        json_array_append_new(one, list);
        list = one;
    }
    json_t *out = json_array();
    bool ok = json_is_array(list) && json_array_size(list) <= MAX_PATHS;
    if (!ok)
        snprintf(why, whylen, "The select must be an array of {\"propertyPath\": ...} objects.");
    size_t i;
    const json_t *item;
    json_array_foreach(ok ? list : NULL, i, item) {
        const char *path = json_string_value(json_object_get(item, "propertyPath"));
        if (!path)
            path = json_string_value(item); /* a bare string, leniently */
        if (!path) {
            snprintf(why, whylen, "A select item needs a 'propertyPath'.");
            ok = false;
        } else if (!path_exists(ctx, schema, path)) {
            snprintf(why, whylen, "The property '%s' does not exist.", path);
            ok = false;
        }
        if (!ok)
            break;
        json_array_append_new(out, json_string(path));
    }
    json_decref(list);
    if (!ok) {
        if (whylen)
            utf8_trim_partial(why);
        json_decref(out);
        return false;
    }
    *paths = out;
    return true;
}

/* Copies the value at "a.b.c" of from into to, creating parents. */
static void copy_path(json_t *to, const json_t *from, const char *path)
{
    char part[128];
    for (const char *at = path;;) {
        const char *dot = strchr(at, '.');
        size_t len = dot ? (size_t)(dot - at) : strlen(at);
        if (len >= sizeof part || !json_is_object(from))
            return;
        memcpy(part, at, len);
        part[len] = 0;
        json_t *value = json_object_get(from, part);
        if (!value)
            return;
        if (!dot || !json_is_object(value)) {
            json_object_set_new(to, part, json_deep_copy(value));
            return;
        }
        json_t *child = json_object_get(to, part);
        if (!json_is_object(child)) {
            child = json_object();
            json_object_set_new(to, part, child);
        }
        to = child;
        from = value;
        at = dot + 1;
    }
}

json_t *select_apply(const json_t *paths, json_t *item)
{
    if (!json_is_object(item))
        return json_incref(item);
    json_t *out = json_object();
    size_t i;
    const json_t *path;
    json_array_foreach(paths, i, path) copy_path(out, item, json_string_value(path));
    return out;
}
