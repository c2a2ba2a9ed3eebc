/* generate_sizes.c — see generate_sizes.h.
 *
 * Names decide: a member is a capacity when its name holds one of
 * CAPACITY_WORDS, a part when it holds one of PART_WORDS (a part wins:
 * "usedStorageQuota" is a part), and what a part's name is after its
 * leading part word is a capacity too ("sourceSize" of "usedSourceSize").
 * A part pairs with the capacity with the longest name its own contains
 * ("storagequota" in "usedstoragequota"), else with the only capacity of
 * its unit, else with one named like "capacity".
 */
#include "contract/generate_sizes.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "base/rng.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_MEMBERS 64

static const char *const CAPACITY_WORDS[] = {"capacity", "quota", "totalspace", "totalsize",
                                             "totalstorage"};
static const char *const PART_WORDS[] = {"used", "free", "usage", "consumed", "remaining",
                                         "available", "occupied"};
/* parts that are the rest of the capacity, not a share of it */
static const char *const REST_WORDS[] = {"free", "remaining", "available"};
/* capacities a part pairs with when no name says better */
static const char *const PLAIN_CAPACITIES[] = {"capacity", "totalspace", "totalsize",
                                               "totalcapacity", "quota"};

static bool has_any(const char *lower, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(lower, words[i]))
            return true;
    return false;
}

static int unit_of(const char *lower)
{
    return strstr(lower, "gb") ? 1 : strstr(lower, "mb") ? 2 : strstr(lower, "tb") ? 3 : 0;
}

typedef struct member {
    const char *key;
    char lower[64];
    int unit;
    bool part, capacity;
} member;

static void lower_copy(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (; name[n] && n + 1 < size; n++)
        out[n] = (char)tolower((unsigned char)name[n]);
    out[n] = '\0';
}

/* The capacity part p belongs to, or NULL. */
static const member *capacity_of(const member *p, const member *all, size_t n)
{
    const member *only = NULL, *plain = NULL, *named = NULL;
    size_t same_unit = 0;
    for (size_t i = 0; i < n; i++) {
        const member *c = &all[i];
        if (!c->capacity || c->unit != p->unit)
            continue;
        /* the longest name the part's holds: "sourcesize" over "size" */
        if (strstr(p->lower, c->lower) && (!named || strlen(c->lower) > strlen(named->lower)))
            named = c;
        same_unit++;
        only = c;
        if (has_any(c->lower, PLAIN_CAPACITIES, COUNT(PLAIN_CAPACITIES)) && !plain)
            plain = c;
    }
    return named ? named : same_unit == 1 ? only : plain;
}

void sizes_fit(json_t *obj, uint64_t seed)
{
    member all[MAX_MEMBERS];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        if (!json_is_integer(value) || n == MAX_MEMBERS)
            continue;
        member *m = &all[n];
        m->key = key;
        lower_copy(key, m->lower, sizeof m->lower);
        m->part = has_any(m->lower, PART_WORDS, COUNT(PART_WORDS));
        m->capacity = !m->part && has_any(m->lower, CAPACITY_WORDS, COUNT(CAPACITY_WORDS));
        m->unit = unit_of(m->lower);
        n++;
    }
    /* "usedSourceSize" makes "sourceSize" its capacity, whatever its name */
    for (size_t i = 0; i < n; i++)
        for (size_t w = 0; all[i].part && w < COUNT(PART_WORDS); w++) {
            size_t len = strlen(PART_WORDS[w]);
            if (strncmp(all[i].lower, PART_WORDS[w], len))
                continue;
            for (size_t j = 0; j < n; j++)
                if (!all[j].part && !strcmp(all[j].lower, all[i].lower + len))
                    all[j].capacity = true;
        }
    /* shares first, then rests: a rest is what the shares leave over */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const member *p = &all[i];
            bool rest = has_any(p->lower, REST_WORDS, COUNT(REST_WORDS));
            if (!p->part || rest != (pass == 1))
                continue;
            const member *c = capacity_of(p, all, n);
            if (!c)
                continue;
            json_int_t cap = json_integer_value(json_object_get(obj, c->key));
            if (cap <= 0)
                continue;
            json_int_t fitted, taken = -1;
            if (rest) {
                for (size_t j = 0; j < n; j++)
                    if (all[j].part && capacity_of(&all[j], all, n) == c &&
                        !has_any(all[j].lower, REST_WORDS, COUNT(REST_WORDS)) &&
                        strstr(all[j].lower, "used"))
                        taken = json_integer_value(json_object_get(obj, all[j].key));
            }
            if (taken >= 0 && taken <= cap) {
                fitted = cap - taken;
            } else {
                rng r;
                rng_init(&r, rng_mix(seed, p->key));
                fitted = (json_int_t)((double)cap * (0.05 + 0.9 * rng_unit(&r)));
            }
            json_object_set_new(obj, p->key, json_integer(fitted < 0 ? 0 : fitted));
        }
    }
}
