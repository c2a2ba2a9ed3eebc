/* serialise_csv.c — see serialise_csv.h. */
#include "answer/serialise_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32 /* deeper members are one cell of their JSON text */
#define COLUMN_MAX 512 /* longer column names are cut */

/* Adds the flattened members of value under prefix to row (column ->
 * scalar, borrowed) and, when new, to columns (names in first-met order). */
static void flatten(const json_t *value, const char *prefix, json_t *row, json_t *columns,
                    json_t *seen, int depth)
{
    bool nested = (json_is_object(value) || json_is_array(value)) && depth < MAX_DEPTH;
    if (!nested) {
        if (!*prefix)
            prefix = "value"; /* a row that is one scalar */
        if (!json_object_get(seen, prefix)) {
            json_object_set_new(seen, prefix, json_true());
            json_array_append_new(columns, json_string(prefix));
        }
        json_object_set(row, prefix, (json_t *)value);
        return;
    }
    if (json_is_object(value)) {
        const char *key;
        const json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            char name[COLUMN_MAX];
            snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", key);
            flatten(member, name, row, columns, seen, depth + 1);
        }
        return;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(value, i, item) {
        char name[COLUMN_MAX];
        snprintf(name, sizeof name, "%s%s%zu", prefix, *prefix ? "." : "", i);
        flatten(item, name, row, columns, seen, depth + 1);
    }
}

static void put_cell(buf *b, const json_t *value)
{
    char *own = NULL;
    const char *text = "";
    size_t len = 0;
    if (json_is_string(value)) {
        text = json_string_value(value);
        len = json_string_length(value);
    } else if (value && !json_is_null(value)) {
        own = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
        text = own ? own : "";
        len = strlen(text);
    }
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
    if (!quote) {
        buf_append(b, text, len);
    } else {
        buf_puts(b, "\"");
        for (size_t i = 0; i < len; i++)
            buf_append(b, text[i] == '"' ? "\"\"" : text + i, text[i] == '"' ? 2 : 1);
        buf_puts(b, "\"");
    }
    free(own);
}

/* The resources the rows are made of (a new reference to an array). */
static json_t *rows_of(const json_t *body)
{
    const json_t *data = json_object_get(body, "data");
    if (json_is_array(data))
        return json_incref((json_t *)data);
    if (data && !json_is_null(data))
        return json_pack("[O]", data);
    const json_t *errors = json_object_get(body, "errors");
    if (json_is_array(errors))
        return json_incref((json_t *)errors);
    if (json_is_array(body))
        return json_incref((json_t *)body);
    return json_pack("[O]", body);
}

bool serialise_csv(const json_t *body, buf *out)
{
    json_t *items = rows_of(body);
    json_t *columns = json_array(), *seen = json_object(), *rows = json_array();
    if (!items || !columns || !seen || !rows) {
        json_decref(items), json_decref(columns), json_decref(seen), json_decref(rows);
        return false;
    }
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        json_t *row = json_object();
        flatten(item, "", row, columns, seen, 0);
        json_array_append_new(rows, row);
    }
    if (json_array_size(rows)) {
        size_t c;
        json_t *column;
        json_array_foreach(columns, c, column) {
            if (c)
                buf_puts(out, ",");
            put_cell(out, column);
        }
        buf_puts(out, "\r\n");
        json_t *row;
        json_array_foreach(rows, i, row) {
            json_array_foreach(columns, c, column) {
                if (c)
                    buf_puts(out, ",");
                put_cell(out, json_object_get(row, json_string_value(column)));
            }
            buf_puts(out, "\r\n");
        }
    }
    json_decref(items), json_decref(columns), json_decref(seen), json_decref(rows);
    return !out->failed;
}
