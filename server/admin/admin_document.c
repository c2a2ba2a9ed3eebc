/* admin_document.c — GET /_emulator/openapi.json (the admin API's own
 * document) and GET /_emulator/status (what is running: version, contract
 * versions, seed, records, uptime). */
#include <time.h>

#include "admin/admin.h"
#include "admin/admin_endpoints.h"
#include "answer/errors.h"
#include "app/app.h"

void admin_get_openapi(request *req, response *res, const admin_params *p)
{
    (void)p;
    response_json(res, 200, json_deep_copy(admin_document(req->app->admin)));
}

void admin_get_status(request *req, response *res, const admin_params *p)
{
    (void)p;
    const app *a = req->app;
    json_t *versions = json_array();
    for (size_t i = 0; i < a->contracts.count; i++)
        json_array_append_new(versions, json_string(a->contracts.items[i]->version));
    json_t *rows = NULL;
    long records = 0;
    if (store_exec(a->store, "SELECT total(n) FROM type_counts", NULL, 1, &rows, NULL) == STORE_OK)
        records = (long)json_number_value(json_array_get(json_array_get(rows, 0), 0));
    json_decref(rows);
    response_data(res, json_pack("{s:s, s:o, s:I, s:I, s:I}", "version", VSPC_VERSION,
                                 "contractVersions", versions, "seed", (json_int_t)a->cfg.seed,
                                 "records", (json_int_t)records, "uptimeSeconds",
                                 (json_int_t)(time(NULL) - admin_started(a->admin))));
}
