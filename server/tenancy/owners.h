/* owners.h — whose each stored record is: the owner columns of store.h
 * (org, reseller, loc, sub), derived from the record's references by the rules
 * of schema/tenancy.json, so that a caller's scope is one indexed
 * condition inside the list query.
 *
 * Derivation, in order: a type listed `self` owns itself (org = its UID);
 * a `locations` type is its own location; every other record takes org
 * (and loc) from the first record it refers to through the rules' `keys`
 * (in the body or among its path keys) that has an owner, repeated until
 * nothing changes, so chains resolve (a job -> its backup server -> the
 * company). A record bound to a location by `locationUid` gets loc. Then
 * reseller: the reseller the owner is, or the one the owning company
 * belongs to. Then sub (`subtenants`): a subtenant is its own, a record
 * naming one is its, an agent is the subtenant's whose backups it is the
 * source of, a record naming that agent is the same subtenant's; and a
 * record without a location takes that of the record it names through
 * `locationBindings` (an agent is where its management agent is). What no
 * rule reaches belongs to the provider organization;
 * `shared` types (reference data) belong to nobody and every caller sees
 * them.
 */
#ifndef VSPC_OWNERS_H
#define VSPC_OWNERS_H

#include <stdbool.h>
#include <stddef.h>

#include "contract/entities.h"
#include "store/store.h"

typedef struct owner_rules owner_rules;

/* The rules of schema_dir/tenancy.json for the entity models of every
 * version (models[0], the newest, resolves each key to the entity it
 * names; a key is tried on the types of any version that can carry it).
 * NULL with err on failure. */
owner_rules *owner_rules_load(const char *schema_dir, const entity_model *const *models,
                              size_t nmodels, char *err, size_t errlen);
void owner_rules_free(owner_rules *r);

/* The scope name ("provider", "reseller", "company", "location",
 * "subtenant") the
 * rules' "callers" table gives role, or NULL. */
const char *owner_rules_caller(const owner_rules *r, const char *role);
/* The type of the records that tie a user to its subtenant, and the key
 * naming the user (tenancy.json "subtenants" "users"). */
const char *owner_rules_subtenant_user_type(const owner_rules *r);
/* The type of subtenant records (tenancy.json "subtenants" "type"). */
const char *owner_rules_subtenant_type(const owner_rules *r);
const char *owner_rules_subtenant_user_key(const owner_rules *r);
/* The type every organization has a record of (the provider's type). */
const char *owner_rules_org_type(const owner_rules *r);
/* The types whose records are locations, and the first of them (the type
 * of a company's locations). */
bool owner_rules_location(const owner_rules *r, const char *type);
const char *owner_rules_location_type(const owner_rules *r);

/* The references a write must name in the caller's scope (tenancy.json
 * "checked"): a JSON array of property names. */
const json_t *owner_rules_checked(const owner_rules *r);
/* Whether records of type own themselves (organizations). */
bool owner_rules_self(const owner_rules *r, const char *type);
/* The UID of the provider's organization, into out (STORE_OWNER_LEN); ""
 * when the store has none. */
void owner_rules_provider(const owner_rules *r, store *st, char *out);

/* Whether records of type are shared reference data (no owner). */
bool owner_rules_shared(const owner_rules *r, const char *type);

/* Derives the owner columns of every record whose org is unset (all of
 * them when reset: a database of an earlier version). */
bool owners_derive_all(store *st, const owner_rules *r, bool reset);

/* Derives the owner columns of one record just stored (type, uid); the
 * records it refers to have theirs. */
bool owners_derive_one(store *st, const owner_rules *r, const char *type, const char *uid);

/* The record (type, uid) was changed in what it refers to: its owner
 * columns are derived again (and, for a company, those of everything it
 * owns follow its reseller). */
bool owners_rederive_one(store *st, const owner_rules *r, const char *type, const char *uid);

/* A company's reseller changed: the reseller column of every record the
 * company owns follows. */
bool owners_company_moved(store *st, const owner_rules *r, const char *company_uid);

#endif
