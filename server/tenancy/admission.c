/* admission.c — see admission.h. */
#include "tenancy/admission.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_file.h"

/* The roles of the contract's UserRole, as bits of a mask. */
static const char *const roles[] = {
    "PortalAdministrator", "PortalOperator", "PortalReadonlyOperator", "SiteAdministrator",
    "ResellerOwner", "ResellerAdministrator", "ResellerOperator", "ResellerUser",
    "ResellerInvoiceAuditor", "CompanyOwner", "CompanyAdministrator",
    "CompanyLocationAdministrator", "CompanyLocationUser", "CompanyInvoiceAuditor",
    "CompanySubtenant", "CompanyTenant",
};
#define NROLES (sizeof roles / sizeof roles[0])

/* A role mask per operation, by the operation's place in its contract:
 * the check of every request is an index, not a lookup by name. */
struct admission {
    size_t count;
    const contract *contracts[CONTRACT_MAX_VERSIONS];
    uint32_t *masks[CONTRACT_MAX_VERSIONS]; /* masks[v][i]: contracts[v]->ops[i] */
};

static int role_bit(const char *name)
{
    for (size_t i = 0; name && i < NROLES; i++)
        if (!strcmp(roles[i], name))
            return (int)i;
    return -1;
}

/* The mask of a list of role and group names; false (with err) on an
 * unknown name. */
static bool mask_of(const json_t *groups, const json_t *list, const char *where, uint32_t *mask,
                    char *err, size_t errlen)
{
    *mask = 0;
    if (!json_is_array(list)) {
        snprintf(err, errlen, "admission.json: %s must be an array of roles or groups", where);
        return false;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v) {
        const char *name = json_string_value(v);
        int bit = role_bit(name);
        const json_t *group = name ? json_object_get(groups, name) : NULL;
        if (bit >= 0) {
            *mask |= 1u << bit;
        } else if (json_is_array(group)) {
            size_t j;
            const json_t *r;
            json_array_foreach(group, j, r) {
                int b = role_bit(json_string_value(r));
                if (b < 0) {
                    snprintf(err, errlen, "admission.json: group %s: '%s' is not a role", name,
                             json_string_value(r) ? json_string_value(r) : "?");
                    return false;
                }
                *mask |= 1u << b;
            }
        } else {
            snprintf(err, errlen, "admission.json: %s: '%s' is neither a role nor a group", where,
                     name ? name : "?");
            return false;
        }
    }
    return true;
}

/* The row that applies to op: its exception, else its tag's. */
static const json_t *row_for(const json_t *doc, const operation *op)
{
    const json_t *ex = json_object_get(json_object_get(doc, "operations"), op->operation_id);
    return ex ? ex : json_object_get(json_object_get(doc, "tags"), op->tag ? op->tag : "");
}

admission *admission_load(const char *schema_dir, const contract_set *contracts, char *err,
                          size_t errlen)
{
    json_t *doc = json_file_load_in(schema_dir, "admission.json", JSON_REJECT_DUPLICATES, err,
                                    errlen);
    if (!doc)
        return NULL;
    admission *a = calloc(1, sizeof *a);
    bool ok = a != NULL && contracts->count <= CONTRACT_MAX_VERSIONS;
    for (size_t v = 0; ok && v < contracts->count; v++) {
        a->contracts[v] = contracts->items[v];
        a->masks[v] = calloc(contracts->items[v]->nops + 1, sizeof *a->masks[v]);
        a->count = v + 1;
        ok = a->masks[v] != NULL;
    }
    if (!ok)
        snprintf(err, errlen, "out of memory");
    const json_t *groups = json_object_get(doc, "groups");
    /* every exception names an operation of some version */
    const char *id;
    json_t *row;
    json_object_foreach(json_object_get(doc, "operations"), id, row) {
        bool found = false;
        for (size_t v = 0; !found && v < contracts->count; v++)
            found = contract_find_op(contracts->items[v], id) != NULL;
        if (ok && !found) {
            snprintf(err, errlen, "admission.json: operations: %s is not an operation", id);
            ok = false;
        }
    }
    for (size_t v = 0; ok && v < contracts->count; v++) {
        const contract *c = contracts->items[v];
        for (size_t i = 0; ok && i < c->nops; i++) {
            const operation *op = &c->ops[i];
            const json_t *r = row_for(doc, op);
            const char *which = op->method == HTTP_GET ? "read" : "write";
            char where[300];
            snprintf(where, sizeof where, "%s (%s, tag %s) %s", op->operation_id, c->version,
                     op->tag ? op->tag : "none", which);
            uint32_t mask = 0;
            if (!r) {
                snprintf(err, errlen, "admission.json: no row for tag '%s' (%s)",
                         op->tag ? op->tag : "", op->operation_id);
                ok = false;
            } else {
                ok = mask_of(groups, json_object_get(r, which), where, &mask, err, errlen);
            }
            a->masks[v][i] = mask;
        }
    }
    json_decref(doc);
    if (!ok) {
        admission_free(a);
        return NULL;
    }
    return a;
}

void admission_free(admission *a)
{
    if (!a)
        return;
    for (size_t v = 0; v < a->count; v++)
        free(a->masks[v]);
    free(a);
}

bool admission_allows(const admission *a, const char *role, const operation *op)
{
    int bit = role_bit(role);
    for (size_t v = 0; bit >= 0 && v < a->count; v++) {
        const contract *c = a->contracts[v];
        if (c == op->contract && op >= c->ops && op < c->ops + c->nops)
            return (a->masks[v][op - c->ops] >> bit) & 1u;
    }
    return false;
}
