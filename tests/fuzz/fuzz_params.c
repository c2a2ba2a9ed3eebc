/* fuzz_params.c — params_parse for a few 3.6.1 operations chosen for their
 * parameter types: arrays, paging, UUIDs, dates, date-times, booleans,
 * integers and enums, in the path, the query and the headers.
 *
 * Input: one byte choosing the operation, then lines. "/text" is the value
 * of the operation's next path parameter; ":name=value" a header;
 * "name=value" (or "name" alone) a query parameter. On success every value
 * is one the parameter's schema accepts; on failure the answer is a 400. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "request/params.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const op_ids[] = {
    "GetCompanies",              /* expand array, limit, offset, headers */
    "GetActivityLogs",           /* date-times, UUIDs, enums */
    "GetVb365Organizations",     /* two arrays */
    "DeleteLinuxBackupAgentJob", /* two path UUIDs, a required boolean */
    "GetLicensingReportsForDate", /* a path date */
    "DownloadLicensingReportCsv", /* a path integer */
    "StartBackupFailoverPlan",   /* a query date and boolean */
    "GetBackupServerVirtualServerTags", /* enum by $ref, path UUIDs */
};
#define NOPS (sizeof op_ids / sizeof op_ids[0])
static const operation *ops[NOPS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const contract *c = fuzz_contract("3.6.1");
    for (size_t i = 0; i < NOPS; i++) {
        ops[i] = contract_find_op(c, op_ids[i]);
        fuzz_require(ops[i] != NULL, "every operation of the harness is in the contract");
    }
    return 0;
}

#define MAX_PAIRS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const operation *op = ops[data[0] % NOPS];
    char *text = fuzz_text(data + 1, size - 1);
    kv query[MAX_PAIRS], headers[MAX_PAIRS];
    param_input in = {.query = query, .headers = headers, .max_page_size = 500};
    route_match route;
    memset(&route, 0, offsetof(route_match, buf));
    size_t next_path = 0;
    for (char *line = text, *end; line; line = end) {
        end = strchr(line, '\n');
        if (end)
            *end++ = '\0';
        if (line[0] == '/') {
            while (next_path < op->nparams && op->params[next_path].in != PARAM_PATH)
                next_path++;
            if (next_path < op->nparams && route.nparams < ROUTER_MAX_PARAMS) {
                route.names[route.nparams] = op->params[next_path++].name;
                route.values[route.nparams++] = line + 1;
            }
            continue;
        }
        bool header = line[0] == ':';
        char *key = line + header, *eq = strchr(key, '=');
        if (eq)
            *eq = '\0';
        kv *list = header ? headers : query;
        size_t *n = header ? &in.nheaders : &in.nquery;
        if (*n < MAX_PAIRS)
            list[(*n)++] = (kv){key, eq ? eq + 1 : NULL};
    }
    in.route = &route;
    json_t *out = NULL;
    response r;
    response_init(&r);
    const schema_ctx *ctx = &op->contract->schemas;
    if (params_parse(op, &in, &out, &r)) {
        fuzz_require(json_is_object(out), "parsed parameters are an object");
        for (size_t i = 0; i < op->nparams; i++) {
            const json_t *v = json_object_get(out, op->params[i].name);
            fuzz_require(!v || schema_validate(ctx, op->params[i].schema, v, NULL),
                         "every parsed value is valid for its parameter");
        }
        json_decref(out);
    } else {
        response_serialise(&r); /* the bytes a client would get */
        fuzz_require(out == NULL && r.status == 400 && r.len > 0, "a refusal is a 400 with a body");
        /* the message made it into the body: when a message cannot be put
         * in JSON, errors.c answers a fixed body of code 500 instead */
        json_t *body = json_loadb(r.body, r.len, 0, NULL);
        json_t *e = json_array_get(json_object_get(body, "errors"), 0);
        fuzz_require(json_integer_value(json_object_get(e, "code")) == 400 &&
                         json_is_string(json_object_get(e, "parameterName")),
                     "a refusal is VSPC's error body for a 400 naming the parameter");
        json_decref(body);
    }
    response_clear(&r);
    free(text);
    return 0;
}
