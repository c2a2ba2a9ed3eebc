/* generate_tables.h — the word lists behind generated values.
 *
 * Const data only: business names, people, places, host roles, paths,
 * product builds of the VSPC 9.1 era, messages. generate_words.c decides
 * which list a property draws from; this module only holds the lists, so
 * that adding a believable value never touches a rule. No list holds a
 * placeholder word: every entry reads as something a VSPC shows.
 */
#ifndef VSPC_GENERATE_TABLES_H
#define VSPC_GENERATE_TABLES_H

#include <stddef.h>

typedef struct word_list {
    const char *const *items;
    size_t n;
} word_list;

/* A place with the details that belong together. */
typedef struct place {
    const char *city, *state, *zip, *country, *phone_prefix;
    const char *admin1; /* VSPC's locationAdmin1Code: "us-wa" */
} place;

extern const place TABLE_PLACES[];
extern const size_t TABLE_PLACES_N;

/* Believable business names are a first part and a line of business
 * ("Bluewater" + "Logistics"); the domain is made from both. */
extern const word_list T_COMPANY_FIRST, T_COMPANY_TRADE, T_FIRST_NAMES, T_LAST_NAMES,
    T_STREETS, T_HOST_ROLES, T_VM_NAMES, T_NETWORKS, T_OPERATING_SYSTEMS_WINDOWS,
    T_OPERATING_SYSTEMS_LINUX, T_OPERATING_SYSTEMS_MAC, T_DESCRIPTIONS, T_NOTES,
    T_MESSAGES, T_JOB_TARGETS, T_JOB_KINDS, T_POLICY_NAMES, T_REPOSITORY_NAMES,
    T_PLAN_NAMES, T_REGIONS, T_TIME_ZONES, T_CURRENCIES, T_LANGUAGES, T_EDITIONS, T_TAGS,
    T_FILE_MASKS, T_FILE_EXTENSIONS, T_WINDOWS_FOLDERS, T_POSIX_FOLDERS, T_JSON_POINTERS,
    T_IP_PREFIXES, T_NETMASKS, T_SCRIPTS, T_HINT_TOPICS, T_URL_PATHS, T_MAP_KEYS,
    T_ALARM_NAMES, T_CLAIM_TYPES, T_STORAGE_CLASSES, T_CERT_STORES, T_X509_FIND_TYPES,
    T_APPLICATIONS, T_OBJECT_TYPES, T_UTC_OFFSETS, T_SCHEDULES, T_CATEGORIES, T_SHARES,
    T_DATABASES, T_M365_GROUPS, T_M365_SITES, T_PLUGINS, T_LICENSE_PRODUCTS,
    T_OS_BUILDS_WINDOWS, T_OS_BUILDS_LINUX, T_OS_BUILDS_MAC,
    T_M365_TARGETS, T_M365_KINDS;

/* Builds of one product, oldest first. */
typedef enum product {
    PRODUCT_VSPC, PRODUCT_VBR, PRODUCT_VB365, PRODUCT_VAW, PRODUCT_VAL, PRODUCT_VAM,
    PRODUCT_VONE, PRODUCT_PUBLIC_CLOUD, PRODUCT_COUNT
} product;

extern const word_list T_BUILDS[PRODUCT_COUNT];

/* The VSPC build this emulator answers as (GET /about, management agents):
 * 9.1, as the user guide of that release names its build. */
#define VSPC_BUILD "9.1.0.30636"

extern const int TABLE_PORTS[];
extern const size_t TABLE_PORTS_N;

#endif
