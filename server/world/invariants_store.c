/* invariants_store.c — the rules between records (kind same_as_ref): a
 * record's "member" equals "targetMember" of the "target" record its "ref"
 * names (an invoice is in its subscription plan's currency); with "part":
 * "domain", only the domains of two e-mail addresses (a user's address is
 * at its organization's domain). Members may be paths ("profile/email").
 * Walked over every record of the rule's types once the world stands; a
 * record whose reference names nothing is the reference checker's
 * business, not this. */
#include "world/invariants.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "world/invariants_internal.h"

static json_t *all_of(store *st, const char *type)
{
    buf page;
    buf_init(&page);
    long total;
    json_t *arr = NULL;
    if (store_list(st, type, NULL, 0, -1, &total, &page) == STORE_OK)
        arr = json_loads(page.data ? page.data : "[]", 0, NULL);
    buf_free(&page);
    return arr;
}

/* The target's value for record rec, or NULL (a new reference). */
static json_t *wanted(const inv_rule *r, store *st, json_t *rec)
{
    const char *ref = json_string_value(json_object_get(rec, json_string_value(
                                                                  json_object_get(r->def, "ref"))));
    const char *target = json_string_value(json_object_get(r->def, "target"));
    json_t *body = NULL;
    if (!ref || !target || store_get(st, target, ref, &body, NULL) != STORE_OK)
        return NULL;
    json_t *v = json_incref(
        inv_path_first(body, json_string_value(json_object_get(r->def, "targetMember")), NULL));
    json_decref(body);
    return v;
}

/* The domain of an e-mail address, or NULL. */
static const char *domain_of(const json_t *v)
{
    const char *at_sign = json_string_value(v) ? strchr(json_string_value(v), '@') : NULL;
    return at_sign && at_sign[1] ? at_sign + 1 : NULL;
}

/* What member should be, given the target's value (a new reference), or
 * NULL when it already is or cannot say. */
static json_t *corrected(const inv_rule *r, const json_t *have, const json_t *want)
{
    if (!want || json_is_null(want) || !have || json_equal(want, have))
        return NULL;
    const char *part = json_string_value(json_object_get(r->def, "part"));
    if (!part)
        return json_incref((json_t *)want);
    const char *hd = domain_of(have), *wd = domain_of(want);
    if (!hd || !wd || !strcasecmp(hd, wd))
        return NULL;
    const char *text = json_string_value(have);
    return json_sprintf("%.*s@%s", (int)(hd - 1 - text), text, wd);
}

/* One pass of rule r over its types: reports (out) or repairs (keep). */
static bool pass(const inv_rule *r, store *st, json_t *out, bool keep)
{
    const char *member = json_string_value(json_object_get(r->def, "member"));
    /* the member holding the record's UID: "idProperty", else instanceUid */
    const char *idm = json_string_value(json_object_get(r->def, "idProperty"));
    size_t t;
    const json_t *type;
    json_array_foreach(r->types, t, type) {
        json_t *records = all_of(st, json_string_value(type));
        if (!records)
            return false;
        size_t i;
        json_t *rec;
        json_array_foreach(records, i, rec) {
            if (!inv_rule_applies(r, rec))
                continue;
            json_t *want = wanted(r, st, rec);
            inv_slot slot;
            json_t *fix = corrected(r, inv_path_first(rec, member, &slot), want);
            json_decref(want);
            const char *uid = json_string_value(json_object_get(rec, idm ? idm : "instanceUid"));
            if (fix && uid) {
                if (keep) {
                    inv_slot_set(&slot, json_incref(fix));
                    if (store_update(st, json_string_value(type), uid, rec) != STORE_OK) {
                        json_decref(fix);
                        json_decref(records);
                        return false;
                    }
                } else if (out) {
                    json_t *v = json_object();
                    json_object_set_new(v, "rule", json_string(r->id));
                    json_object_set_new(v, "type", json_string(json_string_value(type)));
                    json_object_set_new(v, "uid", json_string(uid));
                    json_object_set_new(v, "at", json_sprintf("/%s", member));
                    json_array_append_new(out, v);
                }
            }
            json_decref(fix);
        }
        json_decref(records);
    }
    return true;
}

static bool each(const invariants *iv, store *st, json_t *out, bool keep)
{
    for (size_t i = 0; iv && i < iv->n; i++)
        if (iv->rules[i].kind->between_records && !pass(&iv->rules[i], st, out, keep))
            return false;
    return true;
}

bool invariants_check_store(const invariants *iv, store *st, time_t now, json_t *out)
{
    (void)now;
    return each(iv, st, out, false);
}

bool invariants_keep_store(const invariants *iv, store *st, time_t now)
{
    (void)now;
    return each(iv, st, NULL, true);
}
