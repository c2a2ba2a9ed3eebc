/* roles.c — see roles.h. */
#include "auth/roles.h"

#include <string.h>

typedef enum reach { REACH_PORTAL, REACH_RESELLER, REACH_COMPANY, REACH_NONE } reach;

#define COMPANY_STAFF                                                                         \
    "CompanyAdministrator", "CompanyLocationAdministrator", "CompanyLocationUser",            \
        "CompanyInvoiceAuditor", "CompanySubtenant", "CompanyTenant"
#define RESELLER_STAFF "ResellerOperator", "ResellerUser", "ResellerInvoiceAuditor"

static const struct role_row {
    const char *role;
    reach reach;
    bool read_only;
    const char *manages[20];
} table[] = {
    {"PortalAdministrator", REACH_PORTAL, false,
     {"PortalAdministrator", "PortalOperator", "PortalReadonlyOperator", "SiteAdministrator",
      "ResellerOwner", "ResellerAdministrator", RESELLER_STAFF, "CompanyOwner", COMPANY_STAFF}},
    {"PortalOperator", REACH_PORTAL, false,
     {"ResellerOwner", "ResellerAdministrator", RESELLER_STAFF, "CompanyOwner", COMPANY_STAFF}},
    {"SiteAdministrator", REACH_PORTAL, false,
     {"ResellerOwner", "ResellerAdministrator", RESELLER_STAFF, "CompanyOwner", COMPANY_STAFF}},
    {"PortalReadonlyOperator", REACH_NONE, true, {NULL}},
    {"ResellerOwner", REACH_RESELLER, false,
     {"ResellerAdministrator", RESELLER_STAFF, "CompanyOwner", COMPANY_STAFF}},
    {"ResellerAdministrator", REACH_RESELLER, false,
     {RESELLER_STAFF, "CompanyOwner", COMPANY_STAFF}},
    {"ResellerOperator", REACH_RESELLER, false, {"CompanyOwner", COMPANY_STAFF}},
    {"ResellerUser", REACH_NONE, false, {NULL}},
    {"ResellerInvoiceAuditor", REACH_NONE, false, {NULL}},
    {"CompanyOwner", REACH_COMPANY, false, {COMPANY_STAFF}},
    {"CompanyAdministrator", REACH_COMPANY, false,
     {"CompanyLocationAdministrator", "CompanyLocationUser", "CompanyInvoiceAuditor",
      "CompanySubtenant", "CompanyTenant"}},
    {"CompanyLocationAdministrator", REACH_COMPANY, false,
     {"CompanyLocationUser", "CompanySubtenant"}},
    {"CompanyLocationUser", REACH_NONE, false, {NULL}},
    {"CompanyInvoiceAuditor", REACH_NONE, false, {NULL}},
    {"CompanySubtenant", REACH_NONE, false, {NULL}},
    {"CompanyTenant", REACH_NONE, false, {NULL}},
};

static const struct role_row *row_of(const char *role)
{
    for (size_t i = 0; role && i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].role, role))
            return &table[i];
    return NULL;
}

bool roles_known(const char *role)
{
    return row_of(role) != NULL;
}

bool roles_read_only(const char *role)
{
    const struct role_row *r = row_of(role);
    return r && r->read_only;
}

static const char *text(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Whether the organization org is a company of reseller. */
static bool company_of(store *st, const char *org, const char *reseller)
{
    json_t *company = NULL;
    if (store_get(st, "Company", org, &company, NULL) != STORE_OK)
        return false;
    const char *r = text(company, "resellerUid");
    bool yes = r && !strcmp(r, reseller);
    json_decref(company);
    return yes;
}

bool roles_may_manage(store *st, const json_t *actor, const json_t *target)
{
    const struct role_row *r = row_of(text(actor, "role"));
    const char *target_role = text(target, "role");
    const char *a_uid = text(actor, "instanceUid"), *t_uid = text(target, "instanceUid");
    if (!r || !target_role || !a_uid || !t_uid || !strcmp(a_uid, t_uid))
        return false;
    bool manages = false;
    for (size_t i = 0; !manages && i < sizeof r->manages / sizeof r->manages[0] && r->manages[i];
         i++)
        manages = !strcmp(r->manages[i], target_role);
    if (!manages)
        return false;
    const char *a_org = text(actor, "organizationUid"), *t_org = text(target, "organizationUid");
    switch (r->reach) {
    case REACH_PORTAL:
        return true;
    case REACH_RESELLER:
        return a_org && t_org && (!strcmp(a_org, t_org) || company_of(st, t_org, a_org));
    case REACH_COMPANY:
        return a_org && t_org && !strcmp(a_org, t_org);
    default:
        return false;
    }
}
