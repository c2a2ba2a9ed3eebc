/* scope.h — what a caller may see and change: the scope of its role
 * (schema/tenancy.json "callers") over the owner columns of records
 * (owners.h).
 *
 *   provider  every record
 *   reseller  records whose reseller column is the caller's organization
 *   company   records whose org is the caller's company
 *   location  the company's records bound to one of the caller's
 *             locations or to none. A location user's locations are those
 *             assigned to it (POST /users/{userUid}/locations), kept in
 *             its User record's scope as SCOPE_USER_LOCATIONS; with none
 *             assigned, only the records bound to no location.
 *   subtenant the company's records of one of the caller's subtenants
 *             (owners.h: the sub column), which are those of its backup
 *             resources (UserBackupResource); with none, nothing.
 *
 * A role the table does not name sees nothing. Shared types (reference
 * data) are seen by every scope. An impersonated caller (the `as` grant)
 * has the scope of the user it acts as: the principal is that user.
 */
#ifndef VSPC_SCOPE_H
#define VSPC_SCOPE_H

#include <stdbool.h>

#include "auth/auth.h"
#include "store/store.h"
#include "tenancy/owners.h"

typedef enum scope_kind {
    SCOPE_NOTHING,
    SCOPE_PROVIDER,
    SCOPE_RESELLER,
    SCOPE_COMPANY,
    SCOPE_LOCATION,
    SCOPE_SUBTENANT
} scope_kind;

/* Where a user's assigned locations are kept: a JSON array of location
 * UIDs under this key of its record's scope. */
#define SCOPE_USER_TYPE "User"
#define SCOPE_USER_LOCATIONS "locationUids"

typedef struct caller_scope {
    scope_kind kind;
    char org[STORE_OWNER_LEN]; /* the caller's organization */
    char locations[STORE_MAX_LOCATIONS][STORE_OWNER_LEN];
    size_t nlocations;
    char subtenants[STORE_MAX_LOCATIONS][STORE_OWNER_LEN];
    size_t nsubtenants;
} caller_scope;

/* The scope of who (an authenticated principal); false on a store error
 * (the caller then gets SCOPE_NOTHING). */
bool scope_of(store *st, const owner_rules *rules, const principal *who, caller_scope *out);

/* The condition a list of type must carry for the caller. */
void scope_tenant(const caller_scope *s, const owner_rules *rules, const char *type,
                  store_tenant *out);

/* Whether the caller's scope holds a record of type with owner o. */
bool scope_holds(const caller_scope *s, const owner_rules *rules, const char *type,
                 const store_owner *o);

/* Whether the caller's scope holds the organization org (a company,
 * reseller or the provider): the check of a reference in a request body. */
bool scope_holds_org(store *st, const owner_rules *rules, const caller_scope *s, const char *org);

#endif
