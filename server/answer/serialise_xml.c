/* serialise_xml.c — see serialise_xml.h. */
#include "answer/serialise_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64 /* deeper JSON is written without schema names */

/* An XML name from any text: letters, digits, "_", "-", "." kept (ASCII
 * or not), anything else "_"; a leading digit, "-" or "." gets "_" first. */
static void put_name(buf *b, const char *name)
{
    if (!*name || strchr("0123456789-.", *name))
        buf_puts(b, "_");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.' || *p >= 0x80;
        buf_append(b, ok ? (const char *)p : "_", 1);
    }
}

/* Text content: escaped; control characters XML 1.0 forbids are U+FFFD
 * (jansson's strings are valid UTF-8 already). */
static void put_text(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                buf_puts(b, "\xEF\xBF\xBD");
            else
                buf_append(b, s + i, 1);
        }
    }
}

/* The element name of one item of an array of schema `items`. */
static const char *item_name(const schema_ctx *ctx, const json_t *items, const json_t *value)
{
    const char *ref = schema_ref_name(items);
    const json_t *all = json_object_get(items, "allOf");
    if (!ref && json_array_size(all) == 1)
        ref = schema_ref_name(json_array_get(all, 0));
    if (ref)
        return ref;
    const char *type = ctx && items ? schema_type(ctx, items) : NULL;
    if (!type) /* no schema: from the value itself */
        type = json_is_string(value) ? "string" : json_is_integer(value) ? "integer"
             : json_is_real(value) ? "number" : json_is_boolean(value) ? "boolean" : NULL;
    if (!type)
        return "item";
    if (!strcmp(type, "integer"))
        return "int";
    if (!strcmp(type, "number"))
        return "double";
    if (!strcmp(type, "string") || !strcmp(type, "boolean"))
        return type;
    return "item";
}

static void put_element(buf *b, const char *name, const json_t *value, const schema_ctx *ctx,
                        const json_t *schema, int depth);

/* The children of an element holding value. */
static void put_content(buf *b, const json_t *value, const schema_ctx *ctx, const json_t *schema,
                        int depth)
{
    if (depth >= MAX_DEPTH)
        ctx = NULL;
    if (json_is_object(value)) {
        const char *key;
        const json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            const json_t *sub = ctx && schema ? schema_property(ctx, schema, key) : NULL;
            put_element(b, key, member, ctx, sub, depth + 1);
        }
    } else if (json_is_array(value)) {
        const json_t *resolved = ctx && schema ? schema_resolve(ctx, schema) : NULL;
        const json_t *items = json_object_get(resolved, "items");
        size_t i;
        const json_t *item;
        json_array_foreach(value, i, item)
            put_element(b, item_name(ctx, items, item), item, ctx, items, depth + 1);
    } else if (json_is_string(value)) {
        put_text(b, json_string_value(value), json_string_length(value));
    } else if (json_is_true(value) || json_is_false(value)) {
        buf_puts(b, json_is_true(value) ? "true" : "false");
    } else if (json_is_integer(value)) {
        buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
    } else if (json_is_real(value)) {
        char *text = json_dumps(value, JSON_ENCODE_ANY);
        buf_puts(b, text ? text : "0");
        free(text);
    }
}

static void put_element(buf *b, const char *name, const json_t *value, const schema_ctx *ctx,
                        const json_t *schema, int depth)
{
    buf_puts(b, "<");
    put_name(b, name);
    if (json_is_null(value)) {
        buf_puts(b, " xsi:nil=\"true\"/>");
        return;
    }
    buf_puts(b, ">");
    put_content(b, value, ctx, schema, depth);
    buf_puts(b, "</");
    put_name(b, name);
    buf_puts(b, ">");
}

bool serialise_xml(const json_t *body, const schema_ctx *schemas, const json_t *schema,
                   const char *root, buf *out)
{
    if (!root)
        root = "Response";
    buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<");
    put_name(out, root);
    buf_puts(out, " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    put_content(out, body, schemas, schema, 0);
    buf_puts(out, "</");
    put_name(out, root);
    buf_puts(out, ">\n");
    return !out->failed;
}
