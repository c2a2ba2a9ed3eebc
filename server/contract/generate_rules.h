/* generate_rules.h — what kind of value a property holds.
 *
 * Tables, not code: a property name (lower-cased; exact, suffix or
 * substring match), the component schema it is in and the record's entity
 * decide the kind of string (an e-mail, a host, a VB365 build...), the
 * product a version is of, whether paths are POSIX and what role a host
 * has. generate_words.c renders the kinds; this module only classifies.
 * Everything is const and deterministic.
 */
#ifndef VSPC_GENERATE_RULES_H
#define VSPC_GENERATE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "contract/generate_tables.h"

/* The kinds of string a property can hold. */
typedef enum kind {
    K_TEXT, K_NAMED, K_BY_OWNER, K_COMPANY, K_PERSON, K_FIRST, K_LAST, K_EMAIL, K_EMAIL_ANY,
    K_PHONE, K_CITY, K_COUNTRY, K_STREET, K_ZIP, K_STATE, K_REGION, K_LOCATION, K_WEBSITE,
    K_URL, K_USER, K_PASSWORD, K_HINT, K_HOST, K_FQDN, K_IP, K_CIDR, K_MAC, K_NETMASK,
    K_VERSION, K_DESCRIPTION, K_NOTES, K_MESSAGE, K_SUBJECT, K_PATH, K_FILE, K_FILE_PATH,
    K_FILE_MASK, K_SCRIPT, K_THUMBPRINT, K_SERIAL, K_CERT_NAME, K_TIME, K_DATE, K_DURATION,
    K_TIMEZONE, K_CURRENCY, K_LANGUAGE, K_TOKEN, K_KEY, K_SID, K_URN, K_DOMAIN, K_GUID, K_JOB,
    K_POLICY, K_REPOSITORY, K_SITE, K_PLAN, K_OS, K_CODE, K_TAG, K_EDITION, K_JSON_POINTER,
    K_VM, K_NETWORK, K_ALARM, K_CLAIM, K_STORAGE_CLASS, K_CERT_STORE, K_X509_FIND,
    K_APPLICATION, K_OBJECT_TYPES, K_UTC_OFFSET, K_SCHEDULE, K_CATEGORY, K_BUCKET, K_MOREF,
    K_LDAP, K_JSON_DOC, K_KEBAB, K_ADMIN0, K_ADMIN1, K_ADMIN2, K_SHARE, K_DATABASE,
    K_M365_GROUP, K_M365_SITE, K_PLUGIN, K_LICENSE_PRODUCT, K_INVOICE, K_HOST_ANY,
    K_FQDN_ANY, K_CA, K_OS_VERSION,
} kind;

typedef enum match { EXACT, SUFFIX, CONTAINS } match;

/* Lower-cases name into out (truncating); "" for NULL. */
void rules_lower(const char *name, char *out, size_t size);

/* True if lower matches pattern the way `how` says. */
bool rules_matches(const char *lower, match how, const char *pattern);

/* True if the camelCase name (may be NULL) holds word as a whole word. */
bool rules_has_word(const char *name, const char *word);

/* rules_has_word in the component schema's name or the entity's. */
bool rules_in_context(const char *owner, const char *entity, const char *word);

/* The kind of string for property `name` in component schema `owner` of a
 * record of `entity` (any may be NULL). */
kind rules_string_kind(const char *name, const char *owner, const char *entity);

/* The product a version property is of (VBR when nothing says). */
product rules_product(const char *name, const char *owner, const char *entity);

/* True if the schema or entity is a Linux, Mac or Unix thing. */
bool rules_posix(const char *owner, const char *entity);

/* The role a host of the schema or entity `name` has ("vbr"), or NULL. */
const char *rules_host_role(const char *name);

#endif
