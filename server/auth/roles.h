/* roles.h — VSPC's user roles in one table: how far each one reaches (the
 * portal, a reseller and its companies, a company, a location), which
 * roles it manages there, and whether it may only read.
 *
 * "Manages" is the right to edit a user, which is also what impersonation
 * (the `as` grant) requires, as the REST overview says. The contract leaves
 * out each operation's admitted roles, so this table is the emulator's
 * reading of VSPC's role descriptions, not a copy of them.
 */
#ifndef VSPC_ROLES_H
#define VSPC_ROLES_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/* Whether actor (a User record) may edit target (another User record):
 * target's role is one the actor's role manages, and target belongs to the
 * actor's reach (its own organization; for reseller roles also the
 * companies of that reseller, found in the store; portal roles: all). A
 * user never manages itself. */
bool roles_may_manage(store *st, const json_t *actor, const json_t *target);

/* Whether a role may only read (GET). */
bool roles_read_only(const char *role);

/* Whether role is one of the table's (the contract's UserRole, minus
 * Unknown). */
bool roles_known(const char *role);

#endif
