/* generate_words.c — plausible strings and numbers by property name.
 *
 * A property name is lower-cased and matched against ordered rules (exact
 * name, suffix, substring; first match wins) that give a kind of value
 * ("email", "host name", "storage size"...). The kind is then rendered from
 * the const word tables below with a splitmix64 stream seeded by the caller,
 * so the same name and seed always give the same text.
 */
#include "contract/generate_words.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/rng.h"
#include "base/uuid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, table) ((table)[rng_range((r), 0, (int64_t)COUNT(table) - 1)])

/* ---- word tables ------------------------------------------------------- */

static const char *const COMPANIES[] = {
    "Alpha Systems", "Northwind Traders", "Contoso", "Fabrikam", "Tailspin Toys",
    "Wide World Importers", "Adventure Works", "Litware", "Proseware", "Woodgrove Bank",
    "Blue Yonder Airlines", "Coho Winery", "Lucerne Publishing", "Trey Research",
    "Fourth Coffee", "Humongous Insurance", "Alpine Ski House", "Relecloud",
    "Consolidated Messenger", "Southridge Video", "Wingtip Toys", "Graphic Design Institute",
};

static const char *const FIRST_NAMES[] = {
    "John", "Anna", "Michael", "Laura", "David", "Sophie", "Peter", "Maria", "James",
    "Elena", "Thomas", "Olivia", "Daniel", "Emma", "Lukas", "Chloe", "Martin", "Hannah",
};

static const char *const LAST_NAMES[] = {
    "Smith", "Miller", "Johnson", "Novak", "Schneider", "Brown", "Garcia", "Wilson",
    "Dubois", "Rossi", "Svoboda", "Taylor", "Anderson", "Fischer", "Martin", "Clark",
};

/* A place with the details that belong together. */
typedef struct place {
    const char *city, *state, *zip, *country, *phone_prefix;
} place;

static const place PLACES[] = {
    {"Seattle", "WA", "98101", "United States", "+1 206"},
    {"Columbus", "OH", "43215", "United States", "+1 614"},
    {"Austin", "TX", "78701", "United States", "+1 512"},
    {"Toronto", "ON", "M5H 2N2", "Canada", "+1 416"},
    {"London", "England", "EC1A 1BB", "United Kingdom", "+44 20"},
    {"Berlin", "Berlin", "10115", "Germany", "+49 30"},
    {"Munich", "Bavaria", "80331", "Germany", "+49 89"},
    {"Paris", "Ile-de-France", "75001", "France", "+33 1"},
    {"Prague", "Prague", "110 00", "Czech Republic", "+420 2"},
    {"Amsterdam", "North Holland", "1012 JS", "Netherlands", "+31 20"},
    {"Madrid", "Madrid", "28013", "Spain", "+34 91"},
    {"Milan", "Lombardy", "20121", "Italy", "+39 02"},
    {"Zurich", "Zurich", "8001", "Switzerland", "+41 44"},
    {"Stockholm", "Stockholm", "111 52", "Sweden", "+46 8"},
    {"Sydney", "NSW", "2000", "Australia", "+61 2"},
    {"Tokyo", "Tokyo", "100-0001", "Japan", "+81 3"},
};

static const char *const STREETS[] = {
    "Main Street", "Oak Avenue", "Market Street", "Park Lane", "Baker Street",
    "Elm Road", "Lake View Drive", "Hauptstrasse", "River Road", "Station Road",
};

static const char *const WORDS[] = {
    "Alpha", "Bravo", "Cedar", "Delta", "Everest", "Falcon", "Granite", "Harbor",
    "Indigo", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer",
    "Quartz", "Redwood", "Summit", "Tundra", "Vertex", "Willow",
};

static const char *const HOST_PREFIXES[] = {
    "srv", "vbr", "vspc", "proxy", "repo", "hv", "esxi", "ws", "dc", "sql", "fs", "app",
};

static const char *const VERSIONS[] = {
    "12.1.0.2067", "12.1.2.172", "12.2.0.334", "12.3.1.1139", "12.3.2.3617",
    "11.0.1.1261", "8.1.0.3503", "9.0.0.1125", "6.1.0.254", "7.0.0.18899", "8.0.0.7622",
};

static const char *const OPERATING_SYSTEMS[] = {
    "Microsoft Windows Server 2022 Standard", "Microsoft Windows Server 2019 Datacenter",
    "Microsoft Windows 11 Pro", "Microsoft Windows 10 Enterprise", "Ubuntu 22.04 LTS",
    "Red Hat Enterprise Linux 9", "Debian GNU/Linux 12", "macOS 14 Sonoma",
};

static const char *const DESCRIPTIONS[] = {
    "Managed backup for production servers.", "Daily protection of file servers.",
    "Offsite copy for disaster recovery.", "Created by the service provider.",
    "Protects domain controllers and SQL servers.", "Workstations of the head office.",
    "Test workload for the pilot project.", "Monthly archive to object storage.",
};

static const char *const NOTES[] = {
    "Contact the customer before maintenance.", "Renewal due next quarter.",
    "Migrated from the previous backup server.", "Billing reviewed by finance.",
    "Storage extended on customer request.", "Primary contact is the IT manager.",
};

static const char *const MESSAGES[] = {
    "Job finished successfully.", "Processing finished with warnings.",
    "Failed to connect to the backup server.", "Not enough free space on the repository.",
    "The backup agent is not responding.", "Configuration has been updated.",
    "Retention policy applied.", "Operation completed.",
};

static const char *const JOB_NAMES[] = {
    "Daily Backup", "Weekly Full Backup", "Backup Copy Job", "Replication Job",
    "File Share Backup", "SQL Servers Backup", "Exchange Backup", "Workstations Backup",
};

static const char *const POLICY_NAMES[] = {
    "Server Policy", "Workstation Policy", "Daily Protection Policy", "Gold Backup Policy",
    "Laptop Policy", "Linux Servers Policy",
};

static const char *const REPOSITORY_NAMES[] = {
    "Default Backup Repository", "Cloud Repository", "Scale-out Repository",
    "NAS Repository", "Hardened Repository", "Object Storage Repository",
};

static const char *const PLAN_NAMES[] = {
    "Gold Plan", "Silver Plan", "Bronze Plan", "Standard Subscription", "Premium Plan",
};

static const char *const REGIONS[] = {
    "eastus", "westeurope", "northeurope", "uksouth", "eu-central-1", "us-east-1",
    "us-west-2", "ap-southeast-2",
};

static const char *const TIME_ZONES[] = {
    "UTC", "W. Europe Standard Time", "Central Europe Standard Time", "GMT Standard Time",
    "Eastern Standard Time", "Pacific Standard Time", "AUS Eastern Standard Time",
    "Tokyo Standard Time",
};

static const char *const CURRENCIES[] = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "SEK", "JPY"};
static const char *const LANGUAGES[] = {"en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "ja-JP"};
static const char *const EDITIONS[] = {"Enterprise Plus", "Enterprise", "Standard", "Foundation"};
static const char *const TAGS[] = {"Production", "Test", "Development", "Critical", "Finance", "Gold"};
static const char *const FILE_MASKS[] = {"*.docx", "*.xlsx", "*.pdf", "*.tmp", "*.iso", "*.bak", "*.log", "*.vhdx"};
static const char *const FILE_EXTENSIONS[] = {"vbk", "vib", "log", "zip", "xml", "lic"};
static const char *const DRIVES[] = {"C:", "D:", "E:"};
static const char *const FOLDERS[] = {"Backups", "VeeamRepository", "Data", "Shares", "Archive"};

static const char *const JSON_POINTERS[] = {
    "/name", "/description", "/status", "/isAlarmDetectEnabled", "/loginUrl",
    "/companyServices/storageQuota", "/ownerCredentials/password",
};

static const char *const IP_PREFIXES[] = {"10.0", "10.10", "172.16", "192.168"};
static const char *const NETMASKS[] = {"255.255.255.0", "255.255.0.0", "255.255.254.0"};
static const char *const SCRIPTS[] = {"pre-freeze", "post-thaw", "pre-job", "post-job"};
static const char *const HINT_TOPICS[] = {"city", "colour", "team"};
static const int PORTS[] = {443, 1280, 2500, 3389, 5985, 6160, 6162, 6180, 8443, 9392,
                            9393, 9401, 10005};

static const char *const URL_PATHS[] = {"", "login", "portal", "api/v3", "vspc", "index.html"};

static const char *const MAP_KEYS[] = {"filter", "sort", "limit", "offset", "expand",
                                       "select", "name", "type"};

/* ---- name rules -------------------------------------------------------- */

/* The kinds of string a property can hold. */
typedef enum kind {
    K_TEXT, K_NAMED, K_BY_OWNER, K_COMPANY, K_PERSON, K_FIRST, K_LAST, K_EMAIL, K_PHONE,
    K_CITY, K_COUNTRY, K_STREET, K_ZIP, K_STATE, K_REGION, K_LOCATION, K_WEBSITE, K_URL,
    K_USER, K_PASSWORD, K_HINT, K_HOST, K_FQDN, K_IP, K_MAC, K_NETMASK, K_VERSION,
    K_DESCRIPTION, K_NOTES, K_MESSAGE, K_SUBJECT, K_PATH, K_FILE, K_FILE_MASK, K_SCRIPT,
    K_THUMBPRINT, K_CERT_NAME, K_TIME, K_DATE, K_DURATION, K_TIMEZONE, K_CURRENCY,
    K_LANGUAGE, K_TOKEN, K_KEY, K_SID, K_URN, K_DOMAIN, K_GUID, K_JOB, K_POLICY,
    K_REPOSITORY, K_SITE, K_PLAN, K_OS, K_CODE, K_TAG, K_EDITION, K_JSON_POINTER,
} kind;

typedef enum match { EXACT, SUFFIX, CONTAINS } match;

/* Property names matching `pattern` (lower case) get `k`; when owner is set
 * the rule applies only inside component schemas whose name contains it. */
typedef struct name_rule {
    const char *owner;
    match how;
    const char *pattern;
    kind k;
} name_rule;

static const name_rule STRING_RULES[] = {
    {"Patch", EXACT, "path", K_JSON_POINTER},
    {"Patch", EXACT, "from", K_JSON_POINTER},
    {"Patch", EXACT, "value", K_TEXT},
    {NULL, EXACT, "propertypath", K_JSON_POINTER},
    {NULL, CONTAINS, "timezone", K_TIMEZONE},
    {NULL, SUFFIX, "sid", K_SID},
    {NULL, SUFFIX, "uid", K_GUID},
    {NULL, SUFFIX, "uids", K_GUID},
    {NULL, SUFFIX, "id", K_GUID},
    {NULL, SUFFIX, "ids", K_GUID},
    {NULL, CONTAINS, "phone", K_PHONE},
    {NULL, EXACT, "emailcontent", K_DESCRIPTION},
    {NULL, CONTAINS, "email", K_EMAIL},
    {NULL, EXACT, "mail", K_EMAIL},
    {NULL, CONTAINS, "recipient", K_EMAIL},
    {NULL, EXACT, "from", K_EMAIL},
    {NULL, EXACT, "defaultfrom", K_EMAIL},
    {NULL, EXACT, "to", K_EMAIL},
    {NULL, CONTAINS, "website", K_WEBSITE},
    {NULL, SUFFIX, "url", K_URL},
    {NULL, SUFFIX, "uri", K_URL},
    {NULL, EXACT, "metadatalocation", K_URL},
    {NULL, EXACT, "publicorigin", K_URL},
    {NULL, EXACT, "hashedpassword", K_THUMBPRINT},
    {NULL, CONTAINS, "thumbprint", K_THUMBPRINT},
    {NULL, SUFFIX, "hash", K_THUMBPRINT},
    {NULL, CONTAINS, "hint", K_HINT},
    {NULL, CONTAINS, "password", K_PASSWORD},
    {NULL, CONTAINS, "passphrase", K_PASSWORD},
    {NULL, SUFFIX, "content", K_KEY},
    {NULL, SUFFIX, "key", K_KEY},
    {NULL, CONTAINS, "secret", K_TOKEN},
    {NULL, CONTAINS, "token", K_TOKEN},
    {NULL, CONTAINS, "currency", K_CURRENCY},
    {NULL, CONTAINS, "language", K_LANGUAGE},
    {NULL, SUFFIX, "code", K_CODE},
    {NULL, CONTAINS, "fqdn", K_FQDN},
    {NULL, EXACT, "serveraddress", K_FQDN},
    {NULL, EXACT, "externaladdress", K_FQDN},
    {NULL, CONTAINS, "macaddress", K_MAC},
    {NULL, CONTAINS, "subnetmask", K_NETMASK},
    {NULL, CONTAINS, "ipaddress", K_IP},
    {NULL, CONTAINS, "iplist", K_IP},
    {NULL, SUFFIX, "ip", K_IP},
    {NULL, CONTAINS, "gateway", K_IP},
    {NULL, CONTAINS, "networkaddress", K_IP},
    {NULL, EXACT, "publicaddress", K_IP},
    {NULL, EXACT, "addressspace", K_IP},
    {NULL, CONTAINS, "hostname", K_HOST},
    {NULL, CONTAINS, "servername", K_HOST},
    {NULL, CONTAINS, "computername", K_HOST},
    {NULL, CONTAINS, "machinename", K_HOST},
    {NULL, EXACT, "instancename", K_HOST},
    {NULL, EXACT, "computer", K_HOST},
    {NULL, EXACT, "host", K_HOST},
    {NULL, EXACT, "hosts", K_HOST},
    {NULL, SUFFIX, "servers", K_HOST},
    {NULL, CONTAINS, "version", K_VERSION},
    {NULL, CONTAINS, "guestos", K_OS},
    {NULL, EXACT, "platform", K_OS},
    {NULL, CONTAINS, "description", K_DESCRIPTION},
    {NULL, CONTAINS, "remark", K_DESCRIPTION},
    {NULL, CONTAINS, "summary", K_DESCRIPTION},
    {NULL, EXACT, "cause", K_DESCRIPTION},
    {NULL, EXACT, "resolution", K_DESCRIPTION},
    {NULL, CONTAINS, "note", K_NOTES},
    {NULL, CONTAINS, "message", K_MESSAGE},
    {NULL, CONTAINS, "error", K_MESSAGE},
    {NULL, CONTAINS, "reason", K_MESSAGE},
    {NULL, CONTAINS, "details", K_MESSAGE},
    {NULL, CONTAINS, "subject", K_SUBJECT},
    {NULL, CONTAINS, "title", K_SUBJECT},
    {NULL, EXACT, "issuedto", K_CERT_NAME},
    {NULL, EXACT, "issuedby", K_CERT_NAME},
    {NULL, EXACT, "issuername", K_CERT_NAME},
    {NULL, CONTAINS, "mask", K_FILE_MASK},
    {NULL, CONTAINS, "script", K_SCRIPT},
    {NULL, CONTAINS, "command", K_SCRIPT},
    {NULL, CONTAINS, "filename", K_FILE},
    {NULL, EXACT, "file", K_FILE},
    {NULL, CONTAINS, "path", K_PATH},
    {NULL, CONTAINS, "folder", K_PATH},
    {NULL, CONTAINS, "director", K_PATH},
    {NULL, CONTAINS, "destination", K_PATH},
    {NULL, EXACT, "volumes", K_PATH},
    {NULL, EXACT, "disks", K_PATH},
    {NULL, EXACT, "filesandfolders", K_PATH},
    {NULL, EXACT, "inclusions", K_PATH},
    {NULL, EXACT, "exclusions", K_PATH},
    {NULL, CONTAINS, "username", K_USER},
    {NULL, CONTAINS, "login", K_USER},
    {NULL, CONTAINS, "account", K_USER},
    {NULL, SUFFIX, "by", K_USER},
    {NULL, EXACT, "firstname", K_FIRST},
    {NULL, EXACT, "givenname", K_FIRST},
    {NULL, EXACT, "lastname", K_LAST},
    {NULL, EXACT, "surname", K_LAST},
    {NULL, EXACT, "contactperson", K_PERSON},
    {NULL, CONTAINS, "company", K_COMPANY},
    {NULL, CONTAINS, "organizationname", K_COMPANY},
    {NULL, CONTAINS, "tenantname", K_COMPANY},
    {NULL, CONTAINS, "providername", K_COMPANY},
    {NULL, CONTAINS, "sendername", K_COMPANY},
    {NULL, CONTAINS, "city", K_CITY},
    {NULL, CONTAINS, "country", K_COUNTRY},
    {NULL, CONTAINS, "street", K_STREET},
    {NULL, EXACT, "address", K_STREET},
    {NULL, CONTAINS, "zip", K_ZIP},
    {NULL, CONTAINS, "postal", K_ZIP},
    {NULL, EXACT, "state", K_STATE},
    {NULL, CONTAINS, "region", K_REGION},
    {NULL, CONTAINS, "location", K_LOCATION},
    {NULL, CONTAINS, "datacentername", K_LOCATION},
    {NULL, CONTAINS, "domain", K_DOMAIN},
    {NULL, SUFFIX, "urn", K_URN},
    {NULL, CONTAINS, "jobname", K_JOB},
    {NULL, CONTAINS, "taskname", K_JOB},
    {NULL, CONTAINS, "policyname", K_POLICY},
    {NULL, CONTAINS, "repositoryname", K_REPOSITORY},
    {NULL, CONTAINS, "vaultname", K_REPOSITORY},
    {NULL, CONTAINS, "sitename", K_SITE},
    {NULL, EXACT, "site", K_SITE},
    {NULL, CONTAINS, "subscriptionname", K_PLAN},
    {NULL, CONTAINS, "planname", K_PLAN},
    {NULL, CONTAINS, "edition", K_EDITION},
    {NULL, SUFFIX, "tag", K_TAG},
    {NULL, SUFFIX, "tags", K_TAG},
    {NULL, CONTAINS, "timeout", K_DURATION},
    {NULL, CONTAINS, "duration", K_DURATION},
    {NULL, CONTAINS, "time", K_TIME},
    {NULL, EXACT, "hours", K_TIME},
    {NULL, SUFFIX, "date", K_DATE},
    {NULL, EXACT, "name", K_BY_OWNER},
    {NULL, EXACT, "displayname", K_BY_OWNER},
    {NULL, EXACT, "friendlyname", K_BY_OWNER},
    {NULL, SUFFIX, "name", K_NAMED},
};

/* For K_BY_OWNER: the kind of name an object of a component schema has. */
typedef struct owner_rule {
    const char *part; /* substring of the component schema name */
    kind k;
} owner_rule;

static const owner_rule OWNER_RULES[] = {
    {"Job", K_JOB}, {"Policy", K_POLICY}, {"Repository", K_REPOSITORY},
    {"Plan", K_PLAN}, {"Location", K_LOCATION}, {"Site", K_SITE},
    {"Company", K_COMPANY}, {"Reseller", K_COMPANY}, {"Tenant", K_COMPANY},
    {"Organization", K_COMPANY}, {"Provider", K_COMPANY}, {"User", K_PERSON},
    {"Contact", K_PERSON}, {"Server", K_HOST}, {"Host", K_HOST}, {"Agent", K_HOST},
    {"Machine", K_HOST}, {"Computer", K_HOST}, {"Appliance", K_HOST}, {"Proxy", K_HOST},
};

/* Lower-cases name into out (truncating); "" for NULL. */
static void lower_copy(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (; name && name[n] && n + 1 < size; n++)
        out[n] = (char)tolower((unsigned char)name[n]);
    out[n] = '\0';
}

static bool name_matches(const char *lower, match how, const char *pattern)
{
    size_t n = strlen(lower), p = strlen(pattern);
    switch (how) {
    case EXACT:
        return strcmp(lower, pattern) == 0;
    case SUFFIX:
        return n >= p && strcmp(lower + n - p, pattern) == 0;
    case CONTAINS:
        return strstr(lower, pattern) != NULL;
    }
    return false;
}

/* The kind of string for property `name` in component schema `owner`. */
static kind string_kind(const char *name, const char *owner)
{
    char lower[128];
    lower_copy(name, lower, sizeof lower);
    kind k = K_TEXT;
    for (size_t i = 0; i < COUNT(STRING_RULES); i++) {
        const name_rule *rule = &STRING_RULES[i];
        if (rule->owner && (!owner || !strstr(owner, rule->owner)))
            continue;
        if (name_matches(lower, rule->how, rule->pattern)) {
            k = rule->k;
            break;
        }
    }
    if (k != K_BY_OWNER)
        return k;
    for (size_t i = 0; owner && i < COUNT(OWNER_RULES); i++)
        if (strstr(owner, OWNER_RULES[i].part))
            return OWNER_RULES[i].k;
    return K_NAMED;
}

/* ---- rendering --------------------------------------------------------- */

/* "Alpha Systems" -> "alphasystems.com". */
static void company_domain(const char *company, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = company; *p && n + 5 < size; p++)
        if (isalnum((unsigned char)*p))
            out[n++] = (char)tolower((unsigned char)*p);
    snprintf(out + n, size - n, ".com");
}

/* Words of a camelCase property name before its "Name" suffix, spaced and
 * capitalised: "keyPairName" -> "Key Pair"; "" if nothing is left. */
static void name_stem(const char *name, char *out, size_t size)
{
    size_t len = name ? strlen(name) : 0;
    if (len >= 4 && strcmp(name + len - 4, "Name") == 0)
        len -= 4;
    size_t n = 0;
    for (size_t i = 0; i < len && n + 2 < size; i++) {
        char c = name[i];
        if (i > 0 && isupper((unsigned char)c))
            out[n++] = ' ';
        out[n++] = i == 0 ? (char)toupper((unsigned char)c) : c;
    }
    out[n] = '\0';
}

static void render_hex(rng *r, int digits, bool upper, char *out, size_t size)
{
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    for (int i = 0; i < digits && n + 1 < size; i++)
        out[n++] = hex[rng_range(r, 0, 15)];
    out[n] = '\0';
}

static void render_host(rng *r, char *out, size_t size)
{
    snprintf(out, size, "%s-%02d", PICK(r, HOST_PREFIXES), (int)rng_range(r, 1, 24));
}

static void render_fqdn(rng *r, char *out, size_t size)
{
    char host[32], domain[64];
    render_host(r, host, sizeof host);
    company_domain(PICK(r, COMPANIES), domain, sizeof domain);
    snprintf(out, size, "%s.%s", host, domain);
}

/* Renders the kinds about people, places and organisations; false if k is
 * not one of them. */
static bool render_social(kind k, rng *r, const char *name, char *out, size_t size)
{
    const place *pl = &PLACES[rng_range(r, 0, (int64_t)COUNT(PLACES) - 1)];
    const char *first = PICK(r, FIRST_NAMES), *last = PICK(r, LAST_NAMES);
    char domain[64], stem[64];
    company_domain(PICK(r, COMPANIES), domain, sizeof domain);
    switch (k) {
    case K_COMPANY:   snprintf(out, size, "%s", PICK(r, COMPANIES)); break;
    case K_PERSON:    snprintf(out, size, "%s %s", first, last); break;
    case K_FIRST:     snprintf(out, size, "%s", first); break;
    case K_LAST:      snprintf(out, size, "%s", last); break;
    case K_EMAIL:     snprintf(out, size, "%s.%s@%s", first, last, domain);
                      lower_copy(out, out, size); break;
    case K_PHONE:     snprintf(out, size, "%s %03d %04d", pl->phone_prefix,
                               (int)rng_range(r, 200, 999), (int)rng_range(r, 0, 9999)); break;
    case K_CITY:      snprintf(out, size, "%s", pl->city); break;
    case K_COUNTRY:   snprintf(out, size, "%s", pl->country); break;
    case K_STATE:     snprintf(out, size, "%s", pl->state); break;
    case K_ZIP:       snprintf(out, size, "%s", pl->zip); break;
    case K_STREET:    snprintf(out, size, "%d %s", (int)rng_range(r, 1, 250), PICK(r, STREETS)); break;
    case K_LOCATION:  snprintf(out, size, "%s Office", pl->city); break;
    case K_REGION:    snprintf(out, size, "%s", PICK(r, REGIONS)); break;
    case K_WEBSITE:   snprintf(out, size, "https://www.%s", domain); break;
    case K_DOMAIN:    snprintf(out, size, "%s", domain); break;
    case K_USER:      snprintf(out, size, "%c%s", first[0], last);
                      lower_copy(out, out, size); break;
    case K_TEXT:      snprintf(out, size, "%s %s", PICK(r, WORDS), PICK(r, WORDS)); break;
    case K_NAMED:     name_stem(name, stem, sizeof stem);
                      snprintf(out, size, "%s %s %02d", PICK(r, WORDS), stem[0] ? stem : "Item",
                               (int)rng_range(r, 1, 40)); break;
    case K_JOB:       snprintf(out, size, "%s - %s", PICK(r, JOB_NAMES), PICK(r, WORDS)); break;
    case K_POLICY:    snprintf(out, size, "%s", PICK(r, POLICY_NAMES)); break;
    case K_REPOSITORY:snprintf(out, size, "%s %02d", PICK(r, REPOSITORY_NAMES), (int)rng_range(r, 1, 9)); break;
    case K_SITE:      snprintf(out, size, "Cloud Connect %s", pl->city); break;
    case K_PLAN:      snprintf(out, size, "%s", PICK(r, PLAN_NAMES)); break;
    default:          return false;
    }
    return true;
}

/* Renders the technical kinds (hosts, paths, versions, keys...). */
static void render_technical(kind k, rng *r, char *out, size_t size)
{
    char buf[64];
    switch (k) {
    case K_URL:        render_fqdn(r, buf, sizeof buf);
                       snprintf(out, size, "https://%s/%s", buf, PICK(r, URL_PATHS)); break;
    case K_HOST:       render_host(r, out, size); break;
    case K_FQDN:       render_fqdn(r, out, size); break;
    case K_IP:         snprintf(out, size, "%s.%d.%d", PICK(r, IP_PREFIXES),
                                (int)rng_range(r, 0, 254), (int)rng_range(r, 1, 254)); break;
    case K_MAC:        snprintf(out, size, "00:50:56:%02x:%02x:%02x", (int)rng_range(r, 0, 255),
                                (int)rng_range(r, 0, 255), (int)rng_range(r, 0, 255)); break;
    case K_NETMASK:    snprintf(out, size, "%s", PICK(r, NETMASKS)); break;
    case K_VERSION:    snprintf(out, size, "%s", PICK(r, VERSIONS)); break;
    case K_OS:         snprintf(out, size, "%s", PICK(r, OPERATING_SYSTEMS)); break;
    case K_DESCRIPTION:snprintf(out, size, "%s", PICK(r, DESCRIPTIONS)); break;
    case K_NOTES:      snprintf(out, size, "%s", PICK(r, NOTES)); break;
    case K_MESSAGE:    snprintf(out, size, "%s", PICK(r, MESSAGES)); break;
    case K_SUBJECT:    snprintf(out, size, "[%s] %s", PICK(r, COMPANIES), PICK(r, MESSAGES)); break;
    case K_PATH:       snprintf(out, size, "%s\\%s\\%s", PICK(r, DRIVES), PICK(r, FOLDERS), PICK(r, WORDS)); break;
    case K_FILE:       snprintf(out, size, "%s_%04d.%s", PICK(r, WORDS), (int)rng_range(r, 1, 9999),
                                PICK(r, FILE_EXTENSIONS)); break;
    case K_FILE_MASK:  snprintf(out, size, "%s", PICK(r, FILE_MASKS)); break;
    case K_SCRIPT:     snprintf(out, size, "C:\\Scripts\\%s.cmd",
                                PICK(r, SCRIPTS)); break;
    case K_THUMBPRINT: render_hex(r, 40, true, out, size); break;
    case K_CERT_NAME:  render_fqdn(r, buf, sizeof buf); snprintf(out, size, "CN=%s", buf); break;
    case K_TIME:       snprintf(out, size, "%02d:%02d", (int)rng_range(r, 0, 23), (int)rng_range(r, 0, 11) * 5); break;
    case K_DATE:       words_date(rng_next(r), out, size); break;
    case K_DURATION:   snprintf(out, size, "%02d:%02d:00", (int)rng_range(r, 0, 4), (int)rng_range(r, 0, 59)); break;
    case K_TIMEZONE:   snprintf(out, size, "%s", PICK(r, TIME_ZONES)); break;
    case K_CURRENCY:   snprintf(out, size, "%s", PICK(r, CURRENCIES)); break;
    case K_LANGUAGE:   snprintf(out, size, "%s", PICK(r, LANGUAGES)); break;
    case K_TOKEN:      render_hex(r, 64, false, out, size); break;
    case K_KEY:        words_base64(rng_next(r), out, size); break;
    case K_SID:        snprintf(out, size, "S-1-5-21-%u-%u-%u-%u", (unsigned)rng_range(r, 1000000, 999999999),
                                (unsigned)rng_range(r, 1000000, 999999999),
                                (unsigned)rng_range(r, 1000000, 999999999), (unsigned)rng_range(r, 1000, 9999)); break;
    case K_URN:        uuid_from_seed(rng_next(r), buf); snprintf(out, size, "urn:vcloud:org:%s", buf); break;
    case K_GUID:       uuid_from_seed(rng_next(r), buf); snprintf(out, size, "%s", buf); break;
    case K_PASSWORD:   snprintf(out, size, "%s#%04d!", PICK(r, WORDS), (int)rng_range(r, 0, 9999)); break;
    case K_HINT:       snprintf(out, size, "Favourite %s plus year", PICK(r, HINT_TOPICS)); break;
    case K_CODE:       render_hex(r, 8, true, out, size); break;
    case K_TAG:        snprintf(out, size, "%s", PICK(r, TAGS)); break;
    case K_EDITION:    snprintf(out, size, "%s", PICK(r, EDITIONS)); break;
    case K_JSON_POINTER: snprintf(out, size, "%s", PICK(r, JSON_POINTERS)); break;
    default:           snprintf(out, size, "%s %d", PICK(r, WORDS), (int)rng_range(r, 1, 99)); break;
    }
}

void words_string(const char *name, const char *owner, uint64_t seed, char *out, size_t size)
{
    if (size == 0)
        return;
    rng r;
    rng_init(&r, seed);
    kind k = string_kind(name, owner);
    if (!render_social(k, &r, name, out, size))
        render_technical(k, &r, out, size);
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
    lower_copy(name, lower, sizeof lower);
    rng r;
    rng_init(&r, seed);
    size_t n = strlen(lower);
    if (n >= 4 && strcmp(lower + n - 4, "port") == 0 && strcmp(lower, "sshport") != 0)
        return PICK(&r, PORTS);
    for (size_t i = 0; i < COUNT(INTEGER_RULES); i++) {
        const int_rule *rule = &INTEGER_RULES[i];
        if (name_matches(lower, rule->how, rule->pattern))
            return rng_range(&r, rule->lo, rule->hi) * rule->scale;
    }
    return rng_range(&r, 0, 100); /* counts, quotas and everything else */
}

double words_number(const char *name, uint64_t seed)
{
    char lower[128];
    lower_copy(name, lower, sizeof lower);
    rng r;
    rng_init(&r, seed);
    int64_t quarters_hi = 4000; /* 0 .. 1000 */
    if (strstr(lower, "price"))
        quarters_hi = 400;
    else if (strstr(lower, "percent") || strstr(lower, "tax") || strstr(lower, "discount"))
        quarters_hi = 400;
    else if (strstr(lower, "multiplier") || strstr(lower, "weight") || strstr(lower, "rate"))
        quarters_hi = 20;
    return (double)rng_range(&r, 1, quarters_hi) / 4.0;
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
    return MAP_KEYS[(seed % COUNT(MAP_KEYS) + index) % COUNT(MAP_KEYS)];
}
