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

/* A location user's locations: those assigned to it, else its company's
 * first one. */
static bool locations_of(store *st, const owner_rules *rules, const principal *who,
                         caller_scope *out)
{
    const char *type = owner_rules_location_type(rules);
    json_t *rows = NULL;
    json_t *args = type ? json_pack("[sss]", type, who->org_uid, who->user_uid) : NULL;
    store_status s = args ? store_exec(st,
                                       "SELECT uid FROM records WHERE type = ?1"
                                       " AND org = ?2 AND json_extract(scope, '$.userUid') = ?3"
                                       " ORDER BY seq",
                                       args, STORE_MAX_LOCATIONS, &rows, NULL)
                          : STORE_ERROR;
    json_decref(args);
    if (s == STORE_OK && json_array_size(rows) == 0) {
        json_decref(rows);
        rows = NULL;
        args = json_pack("[ss]", type, who->org_uid);
        s = args ? store_exec(st,
                              "SELECT uid FROM records WHERE type = ?1"
                              " AND org = ?2 ORDER BY seq LIMIT 1",
                              args, 1, &rows, NULL)
                 : STORE_ERROR;
        json_decref(args);
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        if (copy_uid(out->locations[out->nlocations], json_string_value(json_array_get(row, 0))))
            out->nlocations++;
    json_decref(rows);
    return s == STORE_OK;
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
        if (out->nlocations == 0)
            out->kind = SCOPE_COMPANY; /* a company without locations */
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
