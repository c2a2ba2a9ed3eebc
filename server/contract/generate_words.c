/* generate_words.c — plausible strings and numbers by property name.
 *
 * generate_rules.c says what kind of value a property holds ("email",
 * "host name", "storage size"...); the kind is rendered here from the word
 * lists of generate_tables.c with a splitmix64 stream seeded by the
 * caller, so the same name and seed always give the same text. Numbers
 * are drawn by the range tables below.
 *
 * What one record says about its owner holds together: its persona (a
 * company with its domain, a place, a contact person) comes from the
 * record's seed, so its name, e-mails, website, FQDNs, city and phone
 * agree. The entity and the component schema steer the rest: which
 * product a version is of, Windows or POSIX paths, a host's role.
 */
#include "contract/generate_words.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "contract/generate_rules.h"
#include "contract/generate_tables.h"
#include "base/rng.h"
#include "base/uuid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(rng *r, const word_list *list)
{
    return list->items[rng_range(r, 0, (int64_t)list->n - 1)];
}

/* ---- the record's persona ---------------------------------------------- */

/* Who a record is about: one company with its domain, place and contact. */
typedef struct persona {
    char company[64];
    char domain[64];     /* "bluewaterlogistics.com" */
    char short_name[24]; /* "bluewater": host names start with it */
    const place *pl;
    const char *first, *last;
    int host_no; /* the record's own host is <company>-<role><host_no> */
} persona;

/* Lower-case letters and digits of text appended to out. */
static void append_alnum(const char *text, char *out, size_t size)
{
    size_t n = strlen(out);
    for (const char *p = text; *p && n + 1 < size; p++)
        if (isalnum((unsigned char)*p))
            out[n++] = (char)tolower((unsigned char)*p);
    out[n] = '\0';
}

static void persona_of(uint64_t seed, persona *who)
{
    rng r;
    rng_init(&r, rng_mix(seed, "persona"));
    const char *first = pick(&r, &T_COMPANY_FIRST), *trade = pick(&r, &T_COMPANY_TRADE);
    snprintf(who->company, sizeof who->company, "%s %s", first, trade);
    who->short_name[0] = who->domain[0] = '\0';
    append_alnum(first, who->short_name, sizeof who->short_name);
    append_alnum(who->company, who->domain, sizeof who->domain - 4);
    strcat(who->domain, ".com");
    who->pl = &TABLE_PLACES[rng_range(&r, 0, (int64_t)TABLE_PLACES_N - 1)];
    who->first = pick(&r, &T_FIRST_NAMES);
    who->last = pick(&r, &T_LAST_NAMES);
    who->host_no = (int)rng_range(&r, 1, 12);
}

/* ---- rendering --------------------------------------------------------- */

/* Words of a camelCase name before its "Name" suffix, spaced and
 * capitalised: "keyPairName" -> "Key Pair"; "" if nothing is left. With
 * sep '-' the words are lower case: "key-pair". */
static void name_stem(const char *name, char sep, char *out, size_t size)
{
    size_t len = name ? strlen(name) : 0;
    if (len >= 4 && strcmp(name + len - 4, "Name") == 0)
        len -= 4;
    size_t n = 0;
    for (size_t i = 0; i < len && n + 2 < size; i++) {
        char c = name[i];
        if (i > 0 && isupper((unsigned char)c))
            out[n++] = sep;
        out[n++] = sep == '-' ? (char)tolower((unsigned char)c)
                              : i == 0 ? (char)toupper((unsigned char)c) : c;
    }
    out[n] = '\0';
}

/* The words a K_NAMED name ends with: the property's before "Name"
 * ("Key Pair" of "keyPairName"), or for a plain "name" the last two words
 * of the schema's ("Discovery Rule" of "DiscoveryRule"). */
static void named_stem(const char *name, const char *owner, char *out, size_t size)
{
    char lower[32];
    rules_lower(name, lower, sizeof lower);
    bool plain = !strcmp(lower, "name") || !strcmp(lower, "displayname") ||
                 !strcmp(lower, "friendlyname");
    name_stem(plain ? owner : name, ' ', out, size);
    if (!plain)
        return;
    char *last = strrchr(out, ' '), *cut = NULL;
    if (last) {
        *last = '\0';
        cut = strrchr(out, ' ');
        *last = ' ';
    }
    if (cut)
        memmove(out, cut + 1, strlen(cut + 1) + 1);
}

static void render_hex(rng *r, int digits, bool upper, char *out, size_t size)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    for (int i = 0; i < digits && n + 1 < size; i++)
        out[n++] = hex[rng_range(r, 0, 15)];
    out[n] = '\0';
}

/* "bluewater-sql02": the company's prefix, a role and a number. The
 * record's own host (primary: its hostName, FQDN, certificate) is one
 * name wherever it is said, its role the entity's; any other host (lists
 * of servers) has the role its schema says and a number of its own. */
static void render_host(rng *r, const persona *who, const char *owner, const char *entity,
                        bool primary, char *out, size_t size)
{
    const char *role = primary ? rules_host_role(entity) : rules_host_role(owner);
    if (!role)
        role = primary ? rules_host_role(owner) : rules_host_role(entity);
    if (!role) {
        rng own;
        rng_init(&own, (uint64_t)who->host_no * 7919u + (uint64_t)strlen(who->company));
        role = pick(primary ? &own : r, &T_HOST_ROLES);
    }
    int number = primary ? who->host_no : (int)rng_range(r, 1, 12);
    snprintf(out, size, "%s-%s%02d", who->short_name, role, number);
}

/* A password as an admin would set one: 14 characters of every class. */
static void render_password(rng *r, char *out, size_t size)
{
    static const char *const classes[] = {"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz",
                                          "23456789", "#!$%&*+-?@"};
    static const int pattern[] = {0, 1, 1, 2, 3, 1, 0, 1, 2, 1, 1, 3, 2, 0};
    size_t n = 0;
    for (size_t i = 0; i < COUNT(pattern) && n + 1 < size; i++) {
        const char *set = classes[pattern[i]];
        out[n++] = set[rng_range(r, 0, (int64_t)strlen(set) - 1)];
    }
    out[n] = '\0';
}

/* A folder: Windows' or, for a Linux or Mac thing, POSIX. */
static const char *folder(rng *r, bool posix)
{
    return pick(r, posix ? &T_POSIX_FOLDERS : &T_WINDOWS_FOLDERS);
}

/* Renders the kinds about people, places and organisations; false if k is
 * not one of them. */
static bool render_social(kind k, rng *r, const persona *who, const char *name,
                          const char *owner, char *out, size_t size)
{
    const place *pl = who->pl;
    char stem[64];
    switch (k) {
    case K_COMPANY:   snprintf(out, size, "%s", who->company); break;
    case K_PERSON:    snprintf(out, size, "%s %s", who->first, who->last); break;
    case K_FIRST:     snprintf(out, size, "%s", who->first); break;
    case K_LAST:      snprintf(out, size, "%s", who->last); break;
    case K_EMAIL:     snprintf(out, size, "%s.%s@%s", who->first, who->last, who->domain);
                      rules_lower(out, out, size); break;
    case K_EMAIL_ANY: snprintf(out, size, "%s.%s@%s", pick(r, &T_FIRST_NAMES),
                               pick(r, &T_LAST_NAMES), who->domain);
                      rules_lower(out, out, size); break;
    case K_PHONE:     snprintf(out, size, "%s %03d %04d", pl->phone_prefix,
                               (int)rng_range(r, 200, 999), (int)rng_range(r, 0, 9999)); break;
    case K_CITY:      snprintf(out, size, "%s", pl->city); break;
    case K_ADMIN0:    snprintf(out, size, "%.2s", pl->admin1); break;
    case K_ADMIN1:    snprintf(out, size, "%s", pl->admin1); break;
    case K_ADMIN2:    snprintf(out, size, "%s-%s", pl->admin1, pl->city);
                      rules_lower(out, out, size); break;
    case K_COUNTRY:   snprintf(out, size, "%s", pl->country); break;
    case K_STATE:     snprintf(out, size, "%s", pl->state); break;
    case K_ZIP:       snprintf(out, size, "%s", pl->zip); break;
    case K_STREET:    snprintf(out, size, "%d %s", (int)rng_range(r, 1, 250), pick(r, &T_STREETS)); break;
    case K_LOCATION:  snprintf(out, size, "%s Office", pl->city); break;
    case K_REGION:    snprintf(out, size, "%s", pick(r, &T_REGIONS)); break;
    case K_WEBSITE:   snprintf(out, size, "www.%s", who->domain); break;
    case K_DOMAIN:    snprintf(out, size, "%s", who->domain); break;
    case K_USER:      snprintf(out, size, "%c%s", who->first[0], who->last);
                      rules_lower(out, out, size); break;
    case K_TEXT:      snprintf(out, size, "%s", pick(r, &T_TAGS)); break;
    case K_NAMED:     named_stem(name, owner, stem, sizeof stem);
                      snprintf(out, size, "%s %s", who->short_name, stem[0] ? stem : "Office");
                      out[0] = (char)toupper((unsigned char)out[0]); break;
    case K_SHARE:     snprintf(out, size, "\\\\%s-fs%02d\\%s", who->short_name, (int)rng_range(r, 1, 4),
                               pick(r, &T_SHARES)); break;
    case K_DATABASE:  snprintf(out, size, "%s", pick(r, &T_DATABASES)); break;
    case K_M365_GROUP:snprintf(out, size, "%s", pick(r, &T_M365_GROUPS)); break;
    case K_M365_SITE: snprintf(out, size, "%s", pick(r, &T_M365_SITES)); break;
    case K_PLUGIN:    snprintf(out, size, "%s", pick(r, &T_PLUGINS)); break;
    case K_LICENSE_PRODUCT: snprintf(out, size, "%s", pick(r, &T_LICENSE_PRODUCTS)); break;
    case K_INVOICE:   snprintf(out, size, "INV-%d-%05d", (int)rng_range(r, 2025, 2026),
                               (int)rng_range(r, 1, 99999)); break;
    case K_KEBAB:     name_stem(name, '-', stem, sizeof stem);
                      snprintf(out, size, "%s-%s", who->short_name, stem[0] ? stem : "prod"); break;
    case K_BUCKET:    snprintf(out, size, "%s-veeam-%s", who->short_name, pick(r, &T_REGIONS)); break;
    case K_JOB:       snprintf(out, size, "%s %s", /* VB365 jobs protect Microsoft 365 */
                               pick(r, rules_has_word(owner, "Vb365") ? &T_M365_TARGETS : &T_JOB_TARGETS),
                               pick(r, rules_has_word(owner, "Vb365") ? &T_M365_KINDS : &T_JOB_KINDS)); break;
    case K_POLICY:    snprintf(out, size, "%s", pick(r, &T_POLICY_NAMES)); break;
    case K_REPOSITORY:snprintf(out, size, "%s %02d", pick(r, &T_REPOSITORY_NAMES), (int)rng_range(r, 1, 9)); break;
    case K_SITE:      snprintf(out, size, "Cloud Connect %s", pl->city); break;
    case K_PLAN:      snprintf(out, size, "%s", pick(r, &T_PLAN_NAMES)); break;
    case K_ALARM:     snprintf(out, size, "%s", pick(r, &T_ALARM_NAMES)); break;
    case K_SUBJECT:   snprintf(out, size, "[%s] %s", who->company, pick(r, &T_MESSAGES)); break;
    default:          return false;
    }
    return true;
}

/* Renders the technical kinds (hosts, paths, versions, keys...). */
static void render_technical(kind k, rng *r, const persona *who, const char *name,
                             const char *owner, const char *entity, char *out, size_t size)
{
    char buf[96];
    bool posix = rules_posix(owner, entity);
    switch (k) {
    case K_URL:        render_host(r, who, owner, entity, true, buf, sizeof buf);
                       snprintf(out, size, "https://%s.%s/%s", buf, who->domain, pick(r, &T_URL_PATHS)); break;
    case K_HOST:
    case K_HOST_ANY:   render_host(r, who, owner, entity, k == K_HOST, out, size); break;
    case K_FQDN:
    case K_FQDN_ANY:   render_host(r, who, owner, entity, k == K_FQDN, buf, sizeof buf);
                       snprintf(out, size, "%s.%s", buf, who->domain); break;
    case K_IP:         snprintf(out, size, "%s.%d.%d", pick(r, &T_IP_PREFIXES),
                                (int)rng_range(r, 0, 254), (int)rng_range(r, 1, 254)); break;
    case K_CIDR:       snprintf(out, size, "%s.%d.0/24", pick(r, &T_IP_PREFIXES), (int)rng_range(r, 0, 254)); break;
    case K_MAC:        snprintf(out, size, "00:50:56:%02x:%02x:%02x", (int)rng_range(r, 0, 255),
                                (int)rng_range(r, 0, 255), (int)rng_range(r, 0, 255)); break;
    case K_NETMASK:    snprintf(out, size, "%s", pick(r, &T_NETMASKS)); break;
    case K_VERSION:    snprintf(out, size, "%s", pick(r, &T_BUILDS[rules_product(name, owner, entity)])); break;
    case K_OS:         snprintf(out, size, "%s", pick(r, !posix ? &T_OPERATING_SYSTEMS_WINDOWS
                                                   : rules_in_context(owner, entity, "Mac") ? &T_OPERATING_SYSTEMS_MAC
                                                   : &T_OPERATING_SYSTEMS_LINUX)); break;
    case K_DESCRIPTION:snprintf(out, size, "%s", pick(r, &T_DESCRIPTIONS)); break;
    case K_NOTES:      snprintf(out, size, "%s", pick(r, &T_NOTES)); break;
    case K_MESSAGE:    snprintf(out, size, "%s", pick(r, &T_MESSAGES)); break;
    case K_PATH:       snprintf(out, size, "%s", folder(r, posix)); break;
    case K_FILE:       snprintf(out, size, "%s_%04d.%s", who->short_name, (int)rng_range(r, 1, 9999),
                                pick(r, &T_FILE_EXTENSIONS)); break;
    case K_FILE_PATH:  snprintf(out, size, posix ? "/etc/veeam/%s.conf" : "C:\\ProgramData\\Veeam\\%s.cfg",
                                who->short_name); break;
    case K_FILE_MASK:  snprintf(out, size, "%s", pick(r, &T_FILE_MASKS)); break;
    case K_SCRIPT:     snprintf(out, size, posix ? "/opt/veeam/scripts/%s.sh" : "C:\\Scripts\\%s.cmd",
                                pick(r, &T_SCRIPTS)); break;
    case K_THUMBPRINT: render_hex(r, 40, true, out, size); break;
    case K_SERIAL:     render_hex(r, 32, true, out, size); break;
    case K_CERT_NAME:  render_host(r, who, owner, entity, true, buf, sizeof buf);
                       snprintf(out, size, "CN=%s.%s", buf, who->domain); break;
    case K_CA:         snprintf(out, size, "CN=%s Issuing CA", who->company); break;
    case K_OS_VERSION: snprintf(out, size, "%s", pick(r, !posix ? &T_OS_BUILDS_WINDOWS
                                                   : rules_in_context(owner, entity, "Mac") ? &T_OS_BUILDS_MAC
                                                   : &T_OS_BUILDS_LINUX)); break;
    case K_TIME:       snprintf(out, size, "%02d:%02d", (int)rng_range(r, 0, 23), (int)rng_range(r, 0, 11) * 5); break;
    case K_DATE:       words_date(rng_next(r), out, size); break;
    case K_DURATION:   snprintf(out, size, "%02d:%02d:00", (int)rng_range(r, 0, 4), (int)rng_range(r, 0, 59)); break;
    case K_TIMEZONE:   snprintf(out, size, "%s", pick(r, &T_TIME_ZONES)); break;
    case K_UTC_OFFSET: snprintf(out, size, "%s", pick(r, &T_UTC_OFFSETS)); break;
    case K_CURRENCY:   snprintf(out, size, "%s", pick(r, &T_CURRENCIES)); break;
    case K_LANGUAGE:   snprintf(out, size, "%s", pick(r, &T_LANGUAGES)); break;
    case K_TOKEN:      render_hex(r, 64, false, out, size); break;
    case K_KEY:        words_base64(rng_next(r), out, size); break;
    case K_SID:        snprintf(out, size, "S-1-5-21-%u-%u-%u-%u", (unsigned)rng_range(r, 1000000, 999999999),
                                (unsigned)rng_range(r, 1000000, 999999999),
                                (unsigned)rng_range(r, 1000000, 999999999), (unsigned)rng_range(r, 1000, 9999)); break;
    case K_URN:        uuid_from_seed(rng_next(r), buf); snprintf(out, size, "urn:vcloud:org:%s", buf); break;
    case K_GUID:       uuid_from_seed(rng_next(r), buf); snprintf(out, size, "%s", buf); break;
    case K_PASSWORD:   render_password(r, out, size); break;
    case K_HINT:       snprintf(out, size, "Favourite %s plus year", pick(r, &T_HINT_TOPICS)); break;
    case K_CODE:       render_hex(r, 8, true, out, size); break;
    case K_TAG:        snprintf(out, size, "%s", pick(r, &T_TAGS)); break;
    case K_EDITION:    snprintf(out, size, "%s", pick(r, &T_EDITIONS)); break;
    case K_JSON_POINTER: snprintf(out, size, "%s", pick(r, &T_JSON_POINTERS)); break;
    case K_VM:         snprintf(out, size, "%s", pick(r, &T_VM_NAMES)); break;
    case K_NETWORK:    snprintf(out, size, "%s", pick(r, &T_NETWORKS)); break;
    case K_CLAIM:      snprintf(out, size, "%s", pick(r, &T_CLAIM_TYPES)); break;
    case K_STORAGE_CLASS: snprintf(out, size, "%s", pick(r, &T_STORAGE_CLASSES)); break;
    case K_CERT_STORE: snprintf(out, size, "%s", pick(r, &T_CERT_STORES)); break;
    case K_X509_FIND:  snprintf(out, size, "%s", pick(r, &T_X509_FIND_TYPES)); break;
    case K_APPLICATION:snprintf(out, size, "%s", pick(r, &T_APPLICATIONS)); break;
    case K_OBJECT_TYPES: snprintf(out, size, "%s", pick(r, &T_OBJECT_TYPES)); break;
    case K_SCHEDULE:   snprintf(out, size, "%s", pick(r, &T_SCHEDULES)); break;
    case K_CATEGORY:   snprintf(out, size, "%s", pick(r, &T_CATEGORIES)); break;
    case K_MOREF:      snprintf(out, size, "%s-%d", strstr(name ? name : "", "ost") ? "host" : "vm",
                                (int)rng_range(r, 10, 4999)); break;
    case K_LDAP:       snprintf(out, size, "(&(objectCategory=computer)(memberOf=CN=Backup,OU=Servers,DC=%s,DC=local))",
                                who->short_name); break;
    case K_JSON_DOC:   snprintf(out, size, "{\"type\":\"service_account\",\"project_id\":\"%s-backup\"}",
                                who->short_name); break;
    default:           snprintf(out, size, "%s", pick(r, &T_TAGS)); break;
    }
}

void words_string_as(const words_ctx *w, const char *name, const char *owner, uint64_t seed,
                     char *out, size_t size)
{
    if (size == 0)
        return;
    rng r;
    rng_init(&r, seed);
    const char *entity = w ? w->entity : NULL;
    /* a record's strings ask for one persona many times in a row */
    static _Thread_local struct {
        bool set;
        uint64_t seed;
        persona who;
    } last;
    uint64_t persona_seed = w ? w->persona : seed;
    if (!last.set || last.seed != persona_seed) {
        persona_of(persona_seed, &last.who);
        last.seed = persona_seed;
        last.set = true;
    }
    const persona *who = &last.who;
    kind k = rules_string_kind(name, owner, entity);
    if (!render_social(k, &r, who, name, owner ? owner : entity, out, size))
        render_technical(k, &r, who, name, owner, entity, out, size);
}

void words_string(const char *name, const char *owner, uint64_t seed, char *out, size_t size)
{
    words_string_as(NULL, name, owner, seed, out, size);
}

/* ---- numbers ----------------------------------------------------------- */

/* Integer properties whose lower-case name matches `pattern` lie in [lo, hi];
 * `scale` multiplies the drawn value (bytes from mebibytes). */
typedef struct int_rule {
    match how;
    const char *pattern;
    int64_t lo, hi, scale;
} int_rule;

#define MIB 1048576

static const int_rule INTEGER_RULES[] = {
    {EXACT, "sshport", 22, 22, 1},
    {CONTAINS, "percent", 0, 100, 1},
    {CONTAINS, "gb", 10, 4096, 1},
    {CONTAINS, "kb", 1024, 10485760, 1},
    {CONTAINS, "memory", 2048, 131072, 1},
    {CONTAINS, "bytes", 1, 2097152, MIB},
    {EXACT, "storagequota", 1, 2097152, MIB},
    {CONTAINS, "size", 1, 2097152, MIB},
    {CONTAINS, "space", 1, 2097152, MIB},
    {CONTAINS, "capacity", 1, 2097152, MIB},
    {CONTAINS, "usage", 1, 2097152, MIB},
    {CONTAINS, "data", 1, 2097152, MIB},
    {CONTAINS, "keep", 1, 30, 1},
    {CONTAINS, "retention", 1, 30, 1},
    {CONTAINS, "restorepoints", 1, 30, 1},
    {CONTAINS, "dayofmonth", 1, 28, 1},
    {EXACT, "hours", 0, 23, 1}, /* hours of a day in a schedule */
    {EXACT, "hour", 0, 23, 1},
    {EXACT, "minute", 0, 59, 1},
    {EXACT, "day", 1, 28, 1},
    {CONTAINS, "sec", 1, 3600, 1},
    {CONTAINS, "min", 1, 1440, 1},
    {CONTAINS, "hour", 1, 168, 1},
    {CONTAINS, "interval", 1, 3600, 1},
    {CONTAINS, "duration", 1, 3600, 1},
    {CONTAINS, "delay", 1, 3600, 1},
    {CONTAINS, "timeout", 1, 3600, 1},
    {CONTAINS, "period", 1, 365, 1},
    {CONTAINS, "expir", 300, 3600, 1},
    {CONTAINS, "expires", 300, 3600, 1},
    {CONTAINS, "retry", 0, 5, 1},
    {CONTAINS, "repeat", 0, 5, 1},
    {CONTAINS, "month", 1, 12, 1},
    {CONTAINS, "year", 1, 10, 1},
    {CONTAINS, "offset", 0, 720, 1},
    {CONTAINS, "priority", 1, 10, 1},
    {CONTAINS, "cpu", 1, 64, 1},
    {CONTAINS, "cores", 1, 64, 1},
    {CONTAINS, "speed", 1, 1000, 1},
    {CONTAINS, "bandwidth", 1, 1000, 1},
    {CONTAINS, "throttling", 1, 1000, 1},
    {CONTAINS, "version", 1, 12, 1},
    {SUFFIX, "id", 1, 99999, 1},
    {CONTAINS, "revision", 1, 500, 1},
    {EXACT, "code", 1, 9999, 1},
    {EXACT, "country", 1, 250, 1},
    {EXACT, "state", 1, 60, 1},
};

int64_t words_integer(const char *name, uint64_t seed)
{
    char lower[128];
    rules_lower(name, lower, sizeof lower);
    rng r;
    rng_init(&r, seed);
    size_t n = strlen(lower);
    if (n >= 4 && strcmp(lower + n - 4, "port") == 0 && strcmp(lower, "sshport") != 0)
        return TABLE_PORTS[rng_range(&r, 0, (int64_t)TABLE_PORTS_N - 1)];
    for (size_t i = 0; i < COUNT(INTEGER_RULES); i++) {
        const int_rule *rule = &INTEGER_RULES[i];
        if (rules_matches(lower, rule->how, rule->pattern))
            return rng_range(&r, rule->lo, rule->hi) * rule->scale;
    }
    return rng_range(&r, 0, 100); /* counts, quotas and everything else */
}

/* Real properties whose lower-case name holds `part` lie in [lo, hi]
 * quarters (multiples of 0.25 print exactly); first match wins. */
typedef struct real_rule {
    const char *part;
    int64_t lo, hi;
} real_rule;

static const real_rule REAL_RULES[] = {
    {"tax", 0, 100},      /* 0-25 %: VAT, GST, sales tax */
    {"discount", 0, 120}, /* 0-30 % */
    {"price", 1, 400},    /* per unit and month, 0.25-100 */
    {"percent", 0, 400},
    {"multiplier", 1, 20},
    {"weight", 1, 20},
    {"rate", 1, 20},
};

double words_number(const char *name, uint64_t seed)
{
    char lower[128];
    rules_lower(name, lower, sizeof lower);
    rng r;
    rng_init(&r, seed);
    int64_t lo = 1, hi = 4000; /* 0.25 .. 1000 */
    for (size_t i = 0; i < COUNT(REAL_RULES); i++)
        if (strstr(lower, REAL_RULES[i].part)) {
            lo = REAL_RULES[i].lo;
            hi = REAL_RULES[i].hi;
            break;
        }
    return (double)rng_range(&r, lo, hi) / 4.0;
}

/* ---- dates and binary -------------------------------------------------- */

/* A random day of 2025-2026 as year, month, day. */
static void random_day(rng *r, int *y, int *m, int *d)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = (int)rng_range(r, 2025, 2026); /* neither is a leap year */
    *m = (int)rng_range(r, 1, 12);
    *d = (int)rng_range(r, 1, days[*m - 1]);
}

void words_date_time(uint64_t seed, char *out, size_t size)
{
    rng r;
    rng_init(&r, seed);
    int y, m, d;
    random_day(&r, &y, &m, &d);
    int hh = (int)rng_range(&r, 0, 23), mm = (int)rng_range(&r, 0, 59);
    int ss = (int)rng_range(&r, 0, 59);
    if (rng_range(&r, 0, 1) == 0)
        snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
    else
        snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%07d+00:00", y, m, d, hh, mm, ss,
                 (int)rng_range(&r, 0, 9999999));
}

void words_date(uint64_t seed, char *out, size_t size)
{
    rng r;
    rng_init(&r, seed);
    int y, m, d;
    random_day(&r, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

void words_base64(uint64_t seed, char *out, size_t size)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    rng r;
    rng_init(&r, seed);
    /* 24-48 random bytes: whole 3-byte groups, so no padding is needed. */
    size_t groups = (size_t)rng_range(&r, 8, 16), n = 0;
    for (size_t g = 0; g < groups && n + 4 < size; g++) {
        uint64_t bits = rng_next(&r) & 0xFFFFFF;
        for (int shift = 18; shift >= 0; shift -= 6)
            out[n++] = alphabet[(bits >> shift) & 0x3F];
    }
    out[n] = '\0';
}

const char *words_map_key(uint64_t seed, uint64_t index)
{
    return T_MAP_KEYS.items[(seed % T_MAP_KEYS.n + index) % T_MAP_KEYS.n];
}
