/* generate_rules.c — the tables that say what kind of value a property
 * holds (see generate_rules.h). First match wins in every table; a rule's
 * word matches a camelCase name only as a whole word ("Mac" is in
 * "MacBackupJob", not in "Machine").
 */
#include "contract/generate_rules.h"

#include <ctype.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Property names matching `pattern` (lower case) get `k`; when owner is set
 * the rule applies only inside component schemas (or entities) whose name
 * holds that word. */
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
    {"TimeZone", EXACT, "offset", K_UTC_OFFSET},
    {"Certificate", EXACT, "friendlyname", K_FQDN},
    {"Organization", EXACT, "regionname", K_STATE},
    {NULL, EXACT, "locationadmin0code", K_ADMIN0},
    {NULL, EXACT, "locationadmin1code", K_ADMIN1},
    {NULL, EXACT, "locationadmin2code", K_ADMIN2},
    {NULL, EXACT, "propertypath", K_JSON_POINTER},
    {NULL, CONTAINS, "timezone", K_TIMEZONE},
    {NULL, SUFFIX, "addressid", K_GUID}, /* not a SID though it ends so */
    {NULL, SUFFIX, "sid", K_SID},
    {NULL, SUFFIX, "uid", K_GUID},
    {NULL, SUFFIX, "uids", K_GUID},
    {NULL, SUFFIX, "id", K_GUID},
    {NULL, SUFFIX, "ids", K_GUID},
    {NULL, CONTAINS, "phone", K_PHONE},
    {NULL, EXACT, "emailcontent", K_DESCRIPTION},
    {NULL, CONTAINS, "recipient", K_EMAIL_ANY},
    {NULL, EXACT, "from", K_EMAIL_ANY},
    {NULL, EXACT, "defaultfrom", K_EMAIL_ANY},
    {NULL, EXACT, "to", K_EMAIL_ANY},
    {NULL, CONTAINS, "email", K_EMAIL},
    {NULL, EXACT, "mail", K_EMAIL},
    {NULL, CONTAINS, "website", K_WEBSITE},
    {NULL, SUFFIX, "url", K_URL},
    {NULL, SUFFIX, "uri", K_URL},
    {NULL, EXACT, "metadatalocation", K_URL},
    {NULL, EXACT, "publicorigin", K_URL},
    {NULL, EXACT, "hashedpassword", K_THUMBPRINT},
    {NULL, CONTAINS, "thumbprint", K_THUMBPRINT},
    {NULL, SUFFIX, "hash", K_THUMBPRINT},
    {NULL, CONTAINS, "serialnumber", K_SERIAL},
    {NULL, CONTAINS, "hint", K_HINT},
    {NULL, SUFFIX, "filepath", K_FILE_PATH},
    {NULL, CONTAINS, "password", K_PASSWORD},
    {NULL, CONTAINS, "passphrase", K_PASSWORD},
    {NULL, EXACT, "applicationcertificate", K_KEY},
    {NULL, EXACT, "icon", K_KEY},
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
    {NULL, CONTAINS, "knownhost", K_FQDN_ANY},
    {NULL, CONTAINS, "hierarchyrootname", K_FQDN_ANY},
    {NULL, CONTAINS, "macaddress", K_MAC},
    {NULL, CONTAINS, "subnetmask", K_NETMASK},
    {NULL, CONTAINS, "ipaddress", K_IP},
    {NULL, CONTAINS, "iplist", K_IP},
    {NULL, SUFFIX, "ip", K_IP},
    {NULL, CONTAINS, "gateway", K_IP},
    {NULL, CONTAINS, "networkaddress", K_IP},
    {NULL, EXACT, "publicaddress", K_IP},
    {NULL, EXACT, "addressspace", K_CIDR},
    {NULL, EXACT, "range", K_CIDR},
    {NULL, CONTAINS, "cidr", K_CIDR},
    {NULL, CONTAINS, "hostref", K_MOREF},
    {NULL, CONTAINS, "hierarchyref", K_MOREF},
    {NULL, CONTAINS, "hostname", K_HOST},
    {NULL, CONTAINS, "servername", K_HOST},
    {NULL, CONTAINS, "computername", K_HOST},
    {NULL, CONTAINS, "machinename", K_HOST},
    {NULL, CONTAINS, "appliancename", K_HOST},
    {NULL, EXACT, "instancename", K_HOST},
    {NULL, EXACT, "computer", K_HOST},
    {NULL, EXACT, "host", K_HOST},
    {NULL, EXACT, "hosts", K_HOST_ANY},
    {NULL, SUFFIX, "servers", K_HOST_ANY},
    {NULL, CONTAINS, "objectstoragename", K_BUCKET},
    {NULL, CONTAINS, "bucket", K_BUCKET},
    {NULL, CONTAINS, "objectname", K_VM},
    {NULL, CONTAINS, "vmname", K_VM},
    {NULL, CONTAINS, "networkname", K_NETWORK},
    {NULL, CONTAINS, "claimtype", K_CLAIM},
    {NULL, CONTAINS, "storageclass", K_STORAGE_CLASS},
    {NULL, EXACT, "storename", K_CERT_STORE},
    {NULL, CONTAINS, "findtype", K_X509_FIND},
    {NULL, CONTAINS, "application", K_APPLICATION},
    {NULL, CONTAINS, "objecttypes", K_OBJECT_TYPES},
    {NULL, CONTAINS, "scheduledisplay", K_SCHEDULE},
    {NULL, CONTAINS, "category", K_CATEGORY},
    {NULL, CONTAINS, "query", K_LDAP},
    {NULL, CONTAINS, "jsonconfiguration", K_JSON_DOC},
    {NULL, CONTAINS, "subnetname", K_KEBAB},
    {NULL, CONTAINS, "securitygroupname", K_KEBAB},
    {NULL, CONTAINS, "resourcegroupname", K_KEBAB},
    {NULL, CONTAINS, "keypairname", K_KEBAB},
    {NULL, CONTAINS, "networktagname", K_KEBAB},
    {NULL, CONTAINS, "osversion", K_OS_VERSION},
    {NULL, CONTAINS, "version", K_VERSION},
    {NULL, CONTAINS, "guestos", K_OS},
    {NULL, EXACT, "platform", K_OS},
    {NULL, EXACT, "operatingsystem", K_OS},
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
    {NULL, EXACT, "issuedby", K_CA},
    {NULL, EXACT, "issuername", K_CA},
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
    {NULL, EXACT, "backedupitems", K_PATH},
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
    {NULL, CONTAINS, "officename", K_LOCATION},
    {NULL, CONTAINS, "location", K_LOCATION},
    {NULL, CONTAINS, "datacentername", K_LOCATION},
    {NULL, CONTAINS, "domain", K_DOMAIN},
    {NULL, SUFFIX, "urn", K_URN},
    {NULL, CONTAINS, "jobname", K_JOB},
    {NULL, CONTAINS, "taskname", K_JOB},
    {NULL, CONTAINS, "policyname", K_POLICY},
    {NULL, CONTAINS, "repositoryname", K_REPOSITORY},
    {NULL, CONTAINS, "vaultname", K_REPOSITORY},
    {NULL, CONTAINS, "resourcefriendlyname", K_REPOSITORY},
    {NULL, CONTAINS, "sitename", K_SITE},
    {NULL, EXACT, "site", K_SITE},
    {NULL, CONTAINS, "subscriptionname", K_PLAN},
    {NULL, CONTAINS, "planname", K_PLAN},
    {NULL, CONTAINS, "edition", K_EDITION},
    {NULL, SUFFIX, "tag", K_TAG},
    {NULL, SUFFIX, "tags", K_TAG},
    {NULL, SUFFIX, "tagname", K_TAG},
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

/* For K_BY_OWNER: the kind of name an object of a component schema (or,
 * failing that, of the entity) has; a word of its name, first match wins. */
typedef struct owner_rule {
    const char *word;
    kind k;
} owner_rule;

static const owner_rule OWNER_RULES[] = {
    {"Alarm", K_ALARM}, {"Policy", K_POLICY}, {"Country", K_COUNTRY}, {"UsaState", K_STATE},
    {"FailoverPlanObject", K_VM}, {"FailoverPlan", K_NAMED}, {"HardwarePlan", K_NAMED},
    {"ObjectStorageBackupJobObject", K_BUCKET}, {"JobObject", K_VM},
    {"JobItemUser", K_PERSON}, {"JobItemGroup", K_M365_GROUP}, {"JobItemSite", K_M365_SITE},
    {"Plugin", K_PLUGIN}, {"LicenseProduct", K_LICENSE_PRODUCT}, {"Invoice", K_INVOICE},
    {"MappingRule", K_NAMED}, {"NetworkAppliance", K_HOST}, {"DataCenter", K_LOCATION},
    {"OrganizationUser", K_USER},
    {"Currency", K_CURRENCY}, {"FileShare", K_SHARE}, {"Database", K_DATABASE},
    {"Vb365ProtectedObject", K_PERSON}, {"Gateway", K_HOST}, {"Accelerator", K_HOST},
    {"EnterpriseManager", K_HOST}, {"Job", K_JOB}, {"Repository", K_REPOSITORY},
    {"Vault", K_REPOSITORY}, {"Plan", K_PLAN}, {"Location", K_LOCATION}, {"Site", K_SITE},
    {"Company", K_COMPANY}, {"Reseller", K_COMPANY}, {"Tenant", K_COMPANY},
    {"Organization", K_COMPANY}, {"Provider", K_COMPANY}, {"User", K_PERSON},
    {"Contact", K_PERSON}, {"TimeZone", K_TIMEZONE}, {"Tag", K_TAG}, {"Network", K_NETWORK},
    {"Subnet", K_KEBAB}, {"Certificate", K_FQDN}, {"Vm", K_VM}, {"VirtualMachine", K_VM},
    {"Server", K_HOST}, {"Host", K_HOST}, {"Agent", K_HOST}, {"Machine", K_HOST},
    {"Computer", K_HOST}, {"Appliance", K_HOST}, {"Proxy", K_HOST},
    {"Bucket", K_BUCKET},
};

/* The product a version belongs to: a word of the property name (lower
 * case, anywhere), else a word of the component schema or entity. */
typedef struct product_rule {
    bool in_name;      /* pattern is a lower-case part of the property name */
    const char *word;
    product p;
} product_rule;

static const product_rule PRODUCT_RULES[] = {
    {true, "vaw", PRODUCT_VAW},   {true, "val", PRODUCT_VAL},   {true, "vam", PRODUCT_VAM},
    {true, "managementagent", PRODUCT_VSPC}, {true, "windowsagent", PRODUCT_VAW},
    {true, "linuxagent", PRODUCT_VAL}, {true, "macagent", PRODUCT_VAM},
    {true, "vb365", PRODUCT_VB365}, {true, "vone", PRODUCT_VONE},
    {true, "backupserver", PRODUCT_VBR}, {true, "vbr", PRODUCT_VBR},
    {false, "About", PRODUCT_VSPC}, {false, "ManagementAgent", PRODUCT_VSPC},
    {false, "Plugin", PRODUCT_VSPC}, {false, "Vb365", PRODUCT_VB365},
    {false, "VOne", PRODUCT_VONE}, {false, "PublicCloud", PRODUCT_PUBLIC_CLOUD},
    {false, "Linux", PRODUCT_VAL}, {false, "Mac", PRODUCT_VAM}, {false, "Windows", PRODUCT_VAW},
    {false, "BackupAgent", PRODUCT_VAW}, {false, "Agent", PRODUCT_VAW},
};

/* Words of an entity's or schema's name that mean its files live on a
 * POSIX file system (the rest are Windows'). */
static const char *const POSIX_WORDS[] = {"Linux", "Mac", "Unix", "Aix", "Solaris"};

/* The role a host plays, from a word of the schema or entity name. */
typedef struct role_rule {
    const char *word, *role;
} role_rule;

static const role_rule ROLE_RULES[] = {
    {"WanAccelerator", "wan"}, {"EnterpriseManager", "em"}, {"NetworkAppliance", "nea"},
    {"BackupServer", "vbr"}, {"Proxy", "proxy"}, {"Repository", "repo"}, {"Vb365", "vb365"},
    {"VOne", "vone"}, {"Site", "cc"}, {"CloudConnect", "cc"}, {"Gateway", "cgw"},
    {"HyperV", "hv"}, {"Hyperv", "hv"}, {"Vsphere", "esx"}, {"Esx", "esx"},
    {"Appliance", "vbaws"}, {"Linux", "lnx"}, {"Mac", "mac"}, {"ManagementAgent", "srv"},
    {"Agent", "ws"}, {"Computer", "ws"},
};

/* Lower-cases name into out (truncating); "" for NULL. */
void rules_lower(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (; name && name[n] && n + 1 < size; n++)
        out[n] = (char)tolower((unsigned char)name[n]);
    out[n] = '\0';
}

bool rules_matches(const char *lower, match how, const char *pattern)
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

/* True if the camelCase name holds word as a whole word: "Mac" is in
 * "MacBackupJob", not in "Machine". */
bool rules_has_word(const char *name, const char *word)
{
    size_t w = strlen(word);
    for (const char *at = name ? strstr(name, word) : NULL; at; at = strstr(at + 1, word)) {
        char next = at[w];
        if (!next || isupper((unsigned char)next) || !isalpha((unsigned char)next))
            return true;
    }
    return false;
}

/* has_word in the component schema's name, then in the entity's. */
bool rules_in_context(const char *owner, const char *entity, const char *word)
{
    return rules_has_word(owner, word) || rules_has_word(entity, word);
}

/* The kind of string for property `name` in component schema `owner` of a
 * record of `entity`. */
kind rules_string_kind(const char *name, const char *owner, const char *entity)
{
    char lower[128];
    rules_lower(name, lower, sizeof lower);
    kind k = K_TEXT;
    for (size_t i = 0; i < COUNT(STRING_RULES); i++) {
        const name_rule *rule = &STRING_RULES[i];
        if (rule->owner && !rules_in_context(owner, NULL, rule->owner))
            continue;
        if (rules_matches(lower, rule->how, rule->pattern)) {
            k = rule->k;
            break;
        }
    }
    if (k != K_BY_OWNER)
        return k;
    for (size_t i = 0; i < COUNT(OWNER_RULES); i++)
        if (rules_has_word(owner, OWNER_RULES[i].word))
            return OWNER_RULES[i].k;
    for (size_t i = 0; i < COUNT(OWNER_RULES); i++)
        if (rules_has_word(entity, OWNER_RULES[i].word))
            return OWNER_RULES[i].k;
    return K_NAMED;
}

product rules_product(const char *name, const char *owner, const char *entity)
{
    char lower[128];
    rules_lower(name, lower, sizeof lower);
    for (size_t i = 0; i < COUNT(PRODUCT_RULES); i++) {
        const product_rule *rule = &PRODUCT_RULES[i];
        if (rule->in_name ? strstr(lower, rule->word) != NULL
                          : rules_in_context(owner, entity, rule->word))
            return rule->p;
    }
    return PRODUCT_VBR; /* what a VSPC mostly reports versions of */
}

bool rules_posix(const char *owner, const char *entity)
{
    for (size_t i = 0; i < COUNT(POSIX_WORDS); i++)
        if (rules_in_context(owner, entity, POSIX_WORDS[i]))
            return true;
    return false;
}

/* The role a schema or entity name says a host has, or NULL. */
const char *rules_host_role(const char *name)
{
    for (size_t i = 0; i < COUNT(ROLE_RULES); i++)
        if (rules_has_word(name, ROLE_RULES[i].word))
            return ROLE_RULES[i].role;
    return NULL;
}

