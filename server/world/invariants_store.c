/* invariants_store.c — the rules between records (kind same_as_ref): a
 * record's "member" equals "targetMember" of the "target" record its "ref"
 * names (an invoice is in its subscription plan's currency). Walked over
 * every record of the rule's types once the world stands; a record whose
 * reference names nothing is the reference checker's business, not this. */
#include "world/invariants.h"

#include <stdlib.h>
#include <string.h>

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
        json_object_get(body, json_string_value(json_object_get(r->def, "targetMember"))));
    json_decref(body);
    return v;
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
            json_t *have = json_object_get(rec, member);
            const char *uid = json_string_value(json_object_get(rec, idm ? idm : "instanceUid"));
            if (want && !json_is_null(want) && have && !json_equal(want, have) && uid) {
                if (keep) {
                    json_object_set(rec, member, want);
                    if (store_update(st, json_string_value(type), uid, rec) != STORE_OK) {
                        json_decref(want);
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
            json_decref(want);
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
