/* handlers.c — see handlers.h. The table of special cases lives here. */
#include "handlers.h"

#include <stdio.h>
#include <string.h>

static const handler generic = {NULL, "generic", handle_generic, false};

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
            const handler *h = special_for(k->ops[i].operation_id);
            k->ops[i].handler = h ? h : &generic;
            n += h != NULL;
        }
    }
    if (bound)
        *bound = n;
    return true;
}
