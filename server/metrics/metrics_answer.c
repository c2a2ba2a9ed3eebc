/* metrics_answer.c — GET /metrics (metrics.h): the counters of the record
 * step, then the gauges read now — the journal, async actions by status
 * and records per type from the store. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answer/errors.h"
#include "app/app.h"
#include "async/actions.h"
#include "base/buf.h"
#include "journal/journal.h"
#include "metrics/metrics.h"

static void head(buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value as the format wants it: \, " and newlines escaped. */
static void label_value(buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            buf_printf(out, "\\%c", *s);
        else if (*s == '\n')
            buf_puts(out, "\\n");
        else
            buf_append(out, s, 1);
    }
}

/* Records of each type, from the store's type_counts (kept by triggers). */
static void write_records(const app *a, buf *out)
{
    head(out, "vspc_emulator_records", "gauge", "Records stored, by entity type.");
    json_t *rows = NULL;
    if (store_exec(a->store, "SELECT type, n FROM type_counts WHERE n > 0 ORDER BY type", NULL,
                   100000, &rows, NULL) != STORE_OK) {
        json_decref(rows);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *type = json_string_value(json_array_get(row, 0));
        if (!type)
            continue;
        buf_puts(out, "vspc_emulator_records{type=\"");
        label_value(out, type);
        buf_printf(out, "\"} %lld\n", (long long)json_integer_value(json_array_get(row, 1)));
    }
    json_decref(rows);
}

/* Async actions by status (async/actions.h): running ones are VSPC's
 * current count, finished ones whose result is still kept its uncleaned
 * count. */
static void write_async(const app *a, buf *out)
{
    static const char *const statuses[] = {"running", "succeed", "failed", "canceled"};
    long long by[4] = {0};
    json_t *args = json_pack("[s]", ASYNC_TYPE), *rows = NULL;
    if (store_exec(a->store,
                   "SELECT json_extract(body, '$.status'), count(*) FROM records WHERE type = ? "
                   "GROUP BY 1",
                   args, 16, &rows, NULL) == STORE_OK) {
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row) {
            const char *status = json_string_value(json_array_get(row, 0));
            for (size_t k = 0; status && k < 4; k++)
                if (!strcmp(status, statuses[k]))
                    by[k] += json_integer_value(json_array_get(row, 1));
        }
    }
    json_decref(rows);
    json_decref(args);
    head(out, "vspc_rest__current_async_action_count", "gauge", "Async actions running.");
    buf_printf(out, "vspc_rest__current_async_action_count %lld\n", by[0]);
    head(out, "vspc_rest__current_uncleaned_async_action_count", "gauge",
         "Async actions finished whose results are not yet deleted.");
    buf_printf(out, "vspc_rest__current_uncleaned_async_action_count %lld\n",
               by[1] + by[2] + by[3]);
    head(out, "vspc_emulator_async_actions", "gauge", "Async actions kept, by status.");
    for (size_t k = 0; k < 4; k++)
        buf_printf(out, "vspc_emulator_async_actions{status=\"%s\"} %lld\n", statuses[k], by[k]);
}

void metrics_answer(request *req, response *res)
{
    if (req->method != HTTP_GET) {
        snprintf(res->allow, sizeof res->allow, "GET");
        error_answer(res, E_METHOD_NOT_ALLOWED, NULL,
                     "The %s method is not allowed for the resource '%s'. Allowed: GET.",
                     req->method_text, req->path);
        return;
    }
    const app *a = req->app;
    buf out;
    buf_init(&out);
    metrics_write_counters(a->metrics, &out);
    write_async(a, &out);
    head(&out, "vspc_emulator_journal_entries", "gauge", "Requests kept in the journal now.");
    buf_printf(&out, "vspc_emulator_journal_entries %zu\n", journal_count(a->journal));
    head(&out, "vspc_emulator_journal_capacity", "gauge", "Size of the journal (--journal-size).");
    buf_printf(&out, "vspc_emulator_journal_capacity %zu\n", journal_capacity(a->journal));
    write_records(a, &out);
    head(&out, "vspc_emulator_uptime_seconds", "gauge", "Seconds since the server started.");
    buf_printf(&out, "vspc_emulator_uptime_seconds %lld\n",
               (long long)(time(NULL) - metrics_started(a->metrics)));
    size_t len = 0;
    char *text = buf_take(&out, &len);
    if (!text) {
        error_internal(res, "Out of memory.");
        return;
    }
    response_bytes(res, 200, METRICS_CONTENT_TYPE, text, len);
    free(text);
}
