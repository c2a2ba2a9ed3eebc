/* handlers.c — see handlers.h. The table of special cases lives here. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>

#include "entities.h"

static const handler generic = {NULL, "generic", handle_generic, false};
static const handler stored = {NULL, "store", handle_store, false};

/* VSPC behaviour the contract does not describe. One row per operation. */
static const handler specials[] = {
    {"OAuth2IssueToken", "token", handle_token, true},
};

#define N_SPECIALS (sizeof specials / sizeof specials[0])

static const handler *special_for(const char *operation_id)
{
    for (size_t i = 0; i < N_SPECIALS; i++)
        if (!strcmp(specials[i].operation_id, operation_id))
            return &specials[i];
    return NULL;
}

bool handlers_bind(contract_set *set, size_t *bound, char *err, size_t errlen)
{
    for (size_t i = 0; i < N_SPECIALS; i++) {
        if (set->count && !contract_find_op(set->items[0], specials[i].operation_id)) {
            snprintf(err, errlen, "special handler '%s' names no operation of %s",
                     specials[i].operation_id, set->items[0]->version);
            return false;
        }
    }
    size_t n = 0;
    for (size_t c = 0; c < set->count; c++) {
        contract *k = set->items[c];
        for (size_t i = 0; i < k->nops; i++) {
            const operation *op = &k->ops[i];
            const handler *h = special_for(op->operation_id);
            n += h != NULL;
            if (!h && k->entities && entities_binding(k->entities, op)->kind != BIND_NONE)
                h = &stored;
            k->ops[i].handler = h ? h : &generic;
        }
    }
    if (bound)
        *bound = n;
    return true;
}
