/* handlers.h — who answers each operation.
 *
 * Every operation the entity model binds to records (entities.h) is
 * answered from the store (handler_store.c); every other one by the generic,
 * contract-driven handler (handler_generic.c); unless it is listed in the
 * table of special cases in handlers.c — the one place where VSPC behaviour that the contract cannot
 * express is wired in (the token endpoint, and later async actions, job
 * runs...). handlers_bind() checks that every row of that table names a real
 * operation, so the table cannot rot silently.
 */
#ifndef VSPC_HANDLERS_H
#define VSPC_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>

#include "contract/contract.h"
#include "request/request.h"
#include "answer/response.h"

typedef void (*handler_fn)(request *req, response *res);

typedef struct handler {
    const char *operation_id; /* NULL for the generic handler */
    const char *name;         /* for logs */
    handler_fn fn;
    bool oauth_errors;        /* request errors in the OAuth 2.0 shape */
    bool anonymous;           /* answers without credentials */
} handler;

/* A file download's content, for an operation path ending in suffix. */
typedef struct download {
    const char *suffix;       /* "/pdf" */
    const char *content_type;
    const char *filename;     /* Content-Disposition */
    const char *bytes;
} download;

/* The download for an octet-stream operation's path template, or NULL. */
const download *handlers_download_for(const char *path);

/* Points every operation of every contract at its handler. False, with a
 * reason in err, if a special case names an operation the newest contract
 * lacks. *specials receives the number of operations bound to special
 * handlers (may be NULL). */
bool handlers_bind(contract_set *set, size_t *specials, char *err, size_t errlen);

/* The handlers themselves. */
void handle_generic(request *req, response *res);
void handle_store(request *req, response *res);
/* Where the record (type, uid) stands for the caller (tenancy/scope.h):
 * not stored, stored outside its scope, or inside it. */
typedef enum record_seen { SEEN_NONE, SEEN_OUTSIDE, SEEN_INSIDE } record_seen;
record_seen handlers_seen(const request *req, const char *type, const char *uid);
/* Whether the caller may see (type, uid): a portal role sees everything
 * (no lookup), any other a stored record inside its scope. A record
 * outside it is answered as if it did not exist. */
bool handlers_sees(const request *req, const char *type, const char *uid);
/* Whether every record the path keys name (/organizations/{organizationUid}/
 * locations, /infrastructure/backupServers/{backupServerUid}/jobs/...) that
 * is stored is inside the caller's scope: one outside it is answered as if
 * it did not exist (false, with the 404 in res), whatever the operation. */
bool handlers_parents_seen(request *req, response *res);
/* The 404 of (e, uid): not stored, or outside the caller's scope. */
void handlers_not_found(response *res, const entity *e, const char *uid);
/* The store's answer to a list of e, restricted to the records f and
 * tenant select; paged: with the request's offset, limit, filter and sort
 * and the paging information (the operation's x-veeam-pagination, as a
 * rule). */
void handlers_list(request *req, response *res, const entity *e, const store_filter *f,
                   const store_tenant *tenant, bool paged);
/* Whether the caller may manage target (a User record, or a create's
 * body: its role and organizationUid), as auth/roles.h says; the 403 in
 * res when not. */
bool handlers_manages(request *req, response *res, const json_t *target);
void handle_token(request *req, response *res);
/* handler_logins.c: identities and tokens of a user */
void handle_add_api_key(request *req, response *res);
void handle_add_totp(request *req, response *res);
void handle_add_public_key(request *req, response *res);
void handle_delete_login(request *req, response *res);
void handle_revoke_tokens(request *req, response *res);
/* handler_keys.c: /authentication/keys/... */
void handle_totp_secret(request *req, response *res);
void handle_rsa_pair(request *req, response *res);
void handle_pkcs12(request *req, response *res);
void handle_pkcs12_decrypt(request *req, response *res);
/* handler_accounts.c: users as accounts */
void handle_current_user(request *req, response *res);
void handle_create_user(request *req, response *res);
void handle_patch_user(request *req, response *res);
void handle_delete_user(request *req, response *res);
void handle_reset_request(request *req, response *res);
void handle_reset_complete(request *req, response *res);
/* handler_companies.c: a company's owner and default location; a
 * company's last location */
void handle_create_company(request *req, response *res);
/* Stores a new record of entity name (the newest version's shape) built
 * from input (input's members win), with its owner columns derived;
 * false on failure. */
bool handlers_put_new(request *req, const char *name, const char *uid, json_t *input);
/* handler_subtenants.c: the subtenant a new CompanySubtenant user gets
 * from its backupResource. subtenant_check runs before the user is
 * stored (the 400 in res when the resource is wrong; *resource receives
 * what subtenant_make needs — the tenant's backup resource and the one
 * asked for —, or NULL when none is asked for); subtenant_make after, for
 * the stored user. */
bool subtenant_check(request *req, response *res, json_t **resource);
bool subtenant_make(request *req, const json_t *user, const json_t *resource);
/* handler_async.c: the /asyncActions routes (async/actions.h) */
void handle_async_list(request *req, response *res);
void handle_async_get(request *req, response *res);
void handle_async_cancel(request *req, response *res);
void handle_async_request_data(request *req, response *res);
void handle_async_result(request *req, response *res);
void handle_async_clear(request *req, response *res);
void handle_async_config(request *req, response *res);
/* handler_user_locations.c: a location user's assigned locations */
void handle_user_locations(request *req, response *res);
void handle_assign_location(request *req, response *res);
void handle_unassign_location(request *req, response *res);
void handle_delete_location(request *req, response *res);

#endif
