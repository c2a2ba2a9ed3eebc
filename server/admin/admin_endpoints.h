/* admin_endpoints.h — the handlers of the admin API's rows (admin_routes.c),
 * by the file that holds them. Each answers a value into res. */
#ifndef VSPC_ADMIN_ENDPOINTS_H
#define VSPC_ADMIN_ENDPOINTS_H

#include "admin/admin_routes.h"

/* admin_document.c: the API's own OpenAPI document, and what is running */
void admin_get_openapi(request *req, response *res, const admin_params *p);
void admin_get_status(request *req, response *res, const admin_params *p);

/* admin_clock.c: the simulation's clock and the sessions of a job */
void admin_get_clock(request *req, response *res, const admin_params *p);
void admin_set_clock(request *req, response *res, const admin_params *p);
void admin_advance_clock(request *req, response *res, const admin_params *p);
void admin_get_sessions(request *req, response *res, const admin_params *p);
/* admin_journal.c: the request journal (journal/journal.h) */
void admin_get_journal(request *req, response *res, const admin_params *p);
void admin_delete_journal(request *req, response *res, const admin_params *p);
void admin_verify_journal(request *req, response *res, const admin_params *p);
/* admin_faults.c: the fault rules (faults/faults.h): list, add, delete, clear */
void admin_list_faults(request *req, response *res, const admin_params *p);
void admin_add_fault(request *req, response *res, const admin_params *p);
void admin_delete_fault(request *req, response *res, const admin_params *p);
void admin_clear_faults(request *req, response *res, const admin_params *p);
/* admin_snapshots.c: save, list, restore and delete snapshots of the world */
void admin_post_snapshot(request *req, response *res, const admin_params *p);
void admin_get_snapshots(request *req, response *res, const admin_params *p);
void admin_post_snapshot_restore(request *req, response *res, const admin_params *p);
void admin_delete_snapshot(request *req, response *res, const admin_params *p);
/* admin_reset.c: the world back to the default one or to a snapshot */
void admin_post_reset(request *req, response *res, const admin_params *p);

#endif
