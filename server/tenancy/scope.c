/* scope.c — see scope.h. */
#include "tenancy/scope.h"

#include <stdio.h>
#include <string.h>

static bool copy_uid(char *dst, const char *src)
{
    if (!src || strlen(src) >= STORE_OWNER_LEN)
        return false;
    strcpy(dst, src);
    return true;
}

/* Runs sql (args taken) and puts the UIDs of its first column in list
 * (at most STORE_MAX_LOCATIONS); false on a store error. */
static bool query_uids(store *st, const char *sql, json_t *args, char list[][STORE_OWNER_LEN],
                       size_t *n)
{
    json_t *rows = NULL;
    store_status s = args ? store_exec(st, sql, args, STORE_MAX_LOCATIONS, &rows, NULL)
                          : STORE_ERROR;
    json_decref(args);
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
        if (*n < STORE_MAX_LOCATIONS &&
            copy_uid(list[*n], json_string_value(json_array_get(row, 0))))
            (*n)++;
    json_decref(rows);
    return s == STORE_OK;
}

/* A location user's locations: those assigned to it (its User record's
 * SCOPE_USER_LOCATIONS) that are its company's. */
static bool locations_of(store *st, const owner_rules *rules, const principal *who,
                         caller_scope *out)
{
    return query_uids(st,
                      "SELECT l.uid FROM records AS u, json_each(u.scope, '$."
                      SCOPE_USER_LOCATIONS "') AS j, records AS l"
                      " WHERE u.type = '" SCOPE_USER_TYPE "' AND u.uid = ?1"
                      " AND l.type = ?2 AND l.org = ?3 AND l.uid = j.value ORDER BY l.seq",
                      json_pack("[sss]", who->user_uid, owner_rules_location_type(rules),
                                who->org_uid),
                      out->locations, &out->nlocations);
}

/* A subtenant user's subtenants: those of its backup resources. */
static bool subtenants_of(store *st, const owner_rules *rules, const principal *who,
                          caller_scope *out)
{
    char key[160];
    snprintf(key, sizeof key, "$.%s", owner_rules_subtenant_user_key(rules));
    return query_uids(st,
                      "SELECT DISTINCT sub FROM records WHERE type = ?1"
                      " AND org = ?2 AND sub IS NOT NULL"
                      " AND coalesce(json_extract(body, ?3), json_extract(scope, ?3)) = ?4",
                      json_pack("[ssss]", owner_rules_subtenant_user_type(rules), who->org_uid,
                                key, who->user_uid),
                      out->subtenants, &out->nsubtenants);
}

bool scope_of(store *st, const owner_rules *rules, const principal *who, caller_scope *out)
{
    memset(out, 0, sizeof *out);
    const char *kind = who && who->known ? owner_rules_caller(rules, who->role) : NULL;
    if (!kind)
        return true; /* SCOPE_NOTHING */
    if (!strcmp(kind, "provider")) {
        out->kind = SCOPE_PROVIDER;
        return true;
    }
    if (!copy_uid(out->org, who->org_uid) || !out->org[0])
        return true; /* no organization: nothing */
    if (!strcmp(kind, "reseller"))
        out->kind = SCOPE_RESELLER;
    else if (!strcmp(kind, "company"))
        out->kind = SCOPE_COMPANY;
    else if (!strcmp(kind, "location")) {
        out->kind = SCOPE_LOCATION;
        if (!locations_of(st, rules, who, out)) {
            out->kind = SCOPE_NOTHING;
            return false;
        }
        /* none assigned: only the company's records bound to no location */
    } else if (!strcmp(kind, "subtenant")) {
        out->kind = SCOPE_SUBTENANT;
        if (!subtenants_of(st, rules, who, out)) {
            out->kind = SCOPE_NOTHING;
            return false;
        }
    }
    return true;
}

void scope_tenant(const caller_scope *s, const owner_rules *rules, const char *type,
                  store_tenant *out)
{
    memset(out, 0, sizeof *out);
    if (s->kind == SCOPE_PROVIDER || owner_rules_shared(rules, type))
        return;
    switch (s->kind) {
    case SCOPE_RESELLER:
        out->column = "reseller";
        out->value = s->org;
        return;
    case SCOPE_LOCATION:
        for (size_t i = 0; i < s->nlocations; i++)
            out->locations[out->nlocations++] = s->locations[i];
        /* none assigned: bound to none ("" is no location's UID) */
        if (s->nlocations == 0)
            out->locations[out->nlocations++] = "";
        out->column = "org";
        out->value = s->org;
        return;
    case SCOPE_SUBTENANT:
        if (s->nsubtenants == 0) {
            out->nothing = true;
            return;
        }
        for (size_t i = 0; i < s->nsubtenants; i++)
            out->subtenants[out->nsubtenants++] = s->subtenants[i];
        /* fall through */
    case SCOPE_COMPANY:
        out->column = "org";
        out->value = s->org;
        return;
    default:
        out->nothing = true;
    }
}

bool scope_holds(const caller_scope *s, const owner_rules *rules, const char *type,
                 const store_owner *o)
{
    if (s->kind == SCOPE_PROVIDER || owner_rules_shared(rules, type))
        return true;
    switch (s->kind) {
    case SCOPE_RESELLER:
        return s->org[0] && !strcmp(o->reseller, s->org);
    case SCOPE_COMPANY:
        return s->org[0] && !strcmp(o->org, s->org);
    case SCOPE_LOCATION:
        if (!s->org[0] || strcmp(o->org, s->org))
            return false;
        if (!o->loc[0])
            return true;
        for (size_t i = 0; i < s->nlocations; i++)
            if (!strcmp(o->loc, s->locations[i]))
                return true;
        return false;
    case SCOPE_SUBTENANT:
        if (!s->org[0] || strcmp(o->org, s->org) || !o->sub[0])
            return false;
        for (size_t i = 0; i < s->nsubtenants; i++)
            if (!strcmp(o->sub, s->subtenants[i]))
                return true;
        return false;
    default:
        return false;
    }
}

bool scope_holds_org(store *st, const owner_rules *rules, const caller_scope *s, const char *org)
{
    if (s->kind == SCOPE_PROVIDER)
        return true;
    store_owner o;
    if (!org || store_owner_get(st, owner_rules_org_type(rules), org, &o) != STORE_OK)
        return false;
    return scope_holds(s, rules, owner_rules_org_type(rules), &o);
}
