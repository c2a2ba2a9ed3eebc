/* fault_hit.c — see fault_hit.h. */
#include "faults/fault_hit.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* The effects by name, as schema/faults.json and the admin API call them. */
static const struct {
    const char *name;
    fault_kind kind;
} kinds[] = {{"latency", FAULT_LATENCY}, {"status", FAULT_STATUS}, {"throttle", FAULT_THROTTLE},
             {"async", FAULT_ASYNC},     {"drop", FAULT_DROP},     {"truncate", FAULT_TRUNCATE}};

fault_kind fault_kind_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i].name, name))
            return kinds[i].kind;
    return FAULT_NONE;
}

const char *fault_kind_name(fault_kind kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return NULL;
}

bool fault_glob(const char *pattern, const char *text)
{
    const char *star = NULL, *resume = NULL;
    while (*text) {
        if (*pattern == '*') {
            star = pattern++;
            resume = text;
        } else if (*pattern && tolower((unsigned char)*pattern) == tolower((unsigned char)*text)) {
            pattern++, text++;
        } else if (star) { /* the last star takes one more character */
            pattern = star + 1;
            text = ++resume;
        } else {
            return false;
        }
    }
    while (*pattern == '*')
        pattern++;
    return !*pattern;
}
