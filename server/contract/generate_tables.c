/* generate_tables.c — the word lists (see generate_tables.h). */
#include "contract/generate_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(name, ...)                                      \
    static const char *const name##_items[] = {__VA_ARGS__}; \
    const word_list name = {name##_items, COUNT(name##_items)}

const place TABLE_PLACES[] = {
    {"Seattle", "WA", "98101", "USA", "+1 206", "us-wa"},
    {"Columbus", "OH", "43215", "USA", "+1 614", "us-oh"},
    {"Austin", "TX", "78701", "USA", "+1 512", "us-tx"},
    {"Chicago", "IL", "60601", "USA", "+1 312", "us-il"},
    {"Toronto", "ON", "M5H 2N2", "Canada", "+1 416", "ca-on"},
    {"London", "England", "EC1A 1BB", "United Kingdom", "+44 20", "gb-eng"},
    {"Manchester", "England", "M1 1AE", "United Kingdom", "+44 161", "gb-eng"},
    {"Berlin", "Berlin", "10115", "Germany", "+49 30", "de-be"},
    {"Munich", "Bavaria", "80331", "Germany", "+49 89", "de-by"},
    {"Paris", "Ile-de-France", "75001", "France", "+33 1", "fr-idf"},
    {"Prague", "Prague", "110 00", "Czech Republic", "+420 2", "cz-10"},
    {"Amsterdam", "North Holland", "1012 JS", "Netherlands", "+31 20", "nl-nh"},
    {"Madrid", "Madrid", "28013", "Spain", "+34 91", "es-md"},
    {"Milan", "Lombardy", "20121", "Italy", "+39 02", "it-25"},
    {"Zurich", "Zurich", "8001", "Switzerland", "+41 44", "ch-zh"},
    {"Stockholm", "Stockholm", "111 52", "Sweden", "+46 8", "se-ab"},
    {"Sydney", "NSW", "2000", "Australia", "+61 2", "au-nsw"},
    {"Singapore", "Singapore", "018956", "Singapore", "+65 6", "sg-01"},
};
const size_t TABLE_PLACES_N = COUNT(TABLE_PLACES);

LIST(T_COMPANY_FIRST, "Bluewater", "Crestline", "Northgate", "Silverline", "Brightpath",
     "Oakridge", "Riverside", "Stonebridge", "Westfield", "Evergreen", "Lakeshore", "Ironwood",
     "Clearview", "Greenfield", "Hillcrest", "Maple Leaf", "Sunrise", "Blackstone", "Copperline",
     "Highland", "Bayview", "Fairmont", "Kingsway", "Lighthouse", "Parkside", "Rosewood",
     "Starling", "Thornbury", "Waverly", "Ashford");
LIST(T_COMPANY_TRADE, "Logistics", "Dental", "Legal", "Manufacturing", "Health", "Insurance",
     "Engineering", "Architects", "Accounting", "Retail", "Foods", "Hotels", "Pharma",
     "Media", "Energy", "Consulting", "Freight", "Clinics", "Realty", "Motors");
LIST(T_FIRST_NAMES, "John", "Anna", "Michael", "Laura", "David", "Sophie", "Peter", "Maria",
     "James", "Elena", "Thomas", "Olivia", "Daniel", "Emma", "Lukas", "Chloe", "Martin",
     "Hannah", "Robert", "Julia", "Carlos", "Aisha", "Kenji", "Ingrid");
LIST(T_LAST_NAMES, "Smith", "Miller", "Johnson", "Novak", "Schneider", "Brown", "Garcia",
     "Wilson", "Dubois", "Rossi", "Svoboda", "Taylor", "Anderson", "Fischer", "Martin",
     "Clark", "Nakamura", "Lindqvist", "Okafor", "Moreau");
LIST(T_STREETS, "Main Street", "Oak Avenue", "Market Street", "Park Lane", "Baker Street",
     "Elm Road", "Lake View Drive", "Hauptstrasse", "River Road", "Station Road",
     "High Street", "Church Lane", "Mill Road", "King Street");
/* roles of a host, as admins name them: <company>-<role><NN> */
LIST(T_HOST_ROLES, "vbr", "proxy", "repo", "sql", "fs", "dc", "app", "web", "hv", "esx",
     "exch", "ws");
LIST(T_VM_NAMES, "SQL-PROD-01", "SQL-PROD-02", "EXCH01", "DC01", "DC02", "FS01", "WEB-FE-01",
     "WEB-FE-02", "APP-ERP-01", "APP-CRM-01", "RDS01", "PRINT01", "VCENTER01", "JUMPHOST",
     "BUILD-AGENT-03", "SHAREPOINT01");
LIST(T_NETWORKS, "VM Network", "Production LAN", "DMZ", "Backup VLAN 120", "Management",
     "Storage Network", "Office LAN", "Guest Wi-Fi");
LIST(T_OPERATING_SYSTEMS_WINDOWS, "Microsoft Windows Server 2022 Standard",
     "Microsoft Windows Server 2019 Datacenter", "Microsoft Windows Server 2025 Standard",
     "Microsoft Windows 11 Pro", "Microsoft Windows 10 Enterprise");
LIST(T_OPERATING_SYSTEMS_LINUX, "Ubuntu 22.04 LTS", "Ubuntu 24.04 LTS",
     "Red Hat Enterprise Linux 9", "Debian GNU/Linux 12", "Rocky Linux 9",
     "SUSE Linux Enterprise Server 15");
LIST(T_OPERATING_SYSTEMS_MAC, "macOS 14 Sonoma", "macOS 15 Sequoia", "macOS 13 Ventura");
LIST(T_DESCRIPTIONS, "Managed backup for production servers.", "Daily protection of file servers.",
     "Offsite copy for disaster recovery.", "Created by the service provider.",
     "Protects domain controllers and SQL servers.", "Workstations of the head office.",
     "Test workload for the pilot project.", "Monthly archive to object storage.");
LIST(T_NOTES, "Contact the customer before maintenance.", "Renewal due next quarter.",
     "Migrated from the previous backup server.", "Billing reviewed by finance.",
     "Storage extended on customer request.", "Primary contact is the IT manager.");
LIST(T_MESSAGES, "Job finished successfully.", "Processing finished with warnings.",
     "Failed to connect to the backup server.", "Not enough free space on the repository.",
     "The backup agent is not responding.", "Configuration has been updated.",
     "Retention policy applied.", "Operation completed.");
LIST(T_JOB_TARGETS, "SQL Servers", "File Servers", "Exchange", "Domain Controllers",
     "Web Farm", "Workstations", "ERP", "Hyper-V Cluster", "vSphere Production",
     "Laptops", "Linux Servers", "Microsoft 365");
LIST(T_M365_TARGETS, "Exchange Online", "OneDrive", "SharePoint Sites", "Teams", "All Users",
     "Executive Mailboxes");
LIST(T_M365_KINDS, "Backup", "Daily Backup", "Backup Copy", "Archive Copy");
LIST(T_JOB_KINDS, "Daily Backup", "Weekly Full Backup", "Backup Copy", "Replication",
     "Nightly Backup", "GFS Archive");
LIST(T_POLICY_NAMES, "Server Policy", "Workstation Policy", "Daily Protection Policy",
     "Gold Backup Policy", "Laptop Policy", "Linux Servers Policy");
LIST(T_REPOSITORY_NAMES, "Default Backup Repository", "Cloud Repository", "Scale-out Repository",
     "NAS Repository", "Hardened Repository", "Object Storage Repository");
LIST(T_PLAN_NAMES, "Gold Plan", "Silver Plan", "Bronze Plan", "Standard Subscription",
     "Premium Plan");
LIST(T_REGIONS, "eastus", "westeurope", "northeurope", "uksouth", "eu-central-1", "us-east-1",
     "us-west-2", "ap-southeast-2");
LIST(T_TIME_ZONES, "UTC", "W. Europe Standard Time", "Central Europe Standard Time",
     "GMT Standard Time", "Eastern Standard Time", "Pacific Standard Time",
     "AUS Eastern Standard Time", "Tokyo Standard Time");
LIST(T_CURRENCIES, "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "SEK", "JPY");
LIST(T_LANGUAGES, "en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "ja-JP");
LIST(T_EDITIONS, "Enterprise Plus", "Enterprise", "Standard", "Foundation");
LIST(T_TAGS, "Production", "Test", "Development", "Critical", "Finance", "Gold");
LIST(T_FILE_MASKS, "*.docx", "*.xlsx", "*.pdf", "*.tmp", "*.iso", "*.bak", "*.log", "*.vhdx");
LIST(T_FILE_EXTENSIONS, "vbk", "vib", "log", "zip", "xml", "lic");
LIST(T_WINDOWS_FOLDERS, "C:\\Users\\Public\\Documents", "D:\\Shares\\Finance",
     "D:\\Shares\\Projects", "E:\\Backups", "E:\\VeeamRepository", "C:\\ProgramData\\Veeam",
     "D:\\SQLData", "C:\\inetpub\\wwwroot", "D:\\Exchange\\Mailbox", "F:\\Archive");
LIST(T_POSIX_FOLDERS, "/home", "/etc", "/var/lib/mysql", "/var/www", "/opt/app",
     "/srv/data", "/var/log", "/mnt/backup", "/var/lib/pgsql", "/Users/Shared");
LIST(T_JSON_POINTERS, "/name", "/description", "/status", "/isAlarmDetectEnabled", "/loginUrl",
     "/companyServices/storageQuota", "/ownerCredentials/password");
LIST(T_IP_PREFIXES, "10.0", "10.10", "172.16", "192.168");
LIST(T_NETMASKS, "255.255.255.0", "255.255.0.0", "255.255.254.0");
LIST(T_SCRIPTS, "pre-freeze", "post-thaw", "pre-job", "post-job");
LIST(T_HINT_TOPICS, "city", "colour", "team");
LIST(T_URL_PATHS, "", "login", "portal", "api/v3", "vspc", "index.html");
LIST(T_MAP_KEYS, "filter", "sort", "limit", "offset", "expand", "select", "name", "type");
LIST(T_ALARM_NAMES, "Job state", "Backup agent job state", "Repository free space",
     "Backup server state", "Management agent heartbeat", "Cloud repository quota",
     "License expiration", "Failed VM backup", "Suspicious incremental backup size",
     "Malware activity detected", "Backup copy job state", "VB365 job state");
LIST(T_CLAIM_TYPES, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
     "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
     "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
     "http://schemas.microsoft.com/ws/2008/06/identity/claims/role");
LIST(T_STORAGE_CLASSES, "STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "Hot", "Cool");
LIST(T_CERT_STORES, "My", "Root", "WebHosting", "TrustedPeople");
LIST(T_X509_FIND_TYPES, "FindByThumbprint", "FindBySubjectName", "FindBySerialNumber");
LIST(T_APPLICATIONS, "Veeam Backup for Microsoft 365", "Microsoft SQL Server",
     "Microsoft Exchange", "Microsoft SharePoint", "Oracle Database", "PostgreSQL", "MySQL");
LIST(T_OBJECT_TYPES, "Mailbox", "Mailbox, Archive", "OneDrive", "Site", "Team",
     "Mailbox, OneDrive, Site");
LIST(T_UTC_OFFSETS, "+00:00", "+01:00", "+02:00", "-05:00", "-08:00", "+10:00");
LIST(T_SCHEDULES, "Daily at 22:00", "Every 4 hours", "Weekdays at 23:30",
     "Monthly on the first Sunday", "Continuously", "Not scheduled");
LIST(T_SHARES, "Finance", "Projects", "HR", "Public", "Engineering", "Scans");
LIST(T_DATABASES, "SalesDB", "ERP_PROD", "CRM", "HRPayroll", "Inventory", "webshop", "reporting",
     "AdventureWorks2022");
LIST(T_M365_GROUPS, "All Staff", "Finance Team", "Sales", "Engineering", "Marketing",
     "Executive Board");
LIST(T_M365_SITES, "Intranet", "Projects", "HR Portal", "Sales Team Site", "Document Center");
LIST(T_PLUGINS, "VCSP Pulse", "Grafana Labs", "ConnectWise Manage", "ConnectWise Automate",
     "Datto Autotask PSA", "Veeam Backup for Public Clouds");
LIST(T_LICENSE_PRODUCTS, "Veeam Data Platform Foundation", "Veeam Data Platform Advanced",
     "Veeam Backup & Replication Universal License", "Veeam Backup for Microsoft 365",
     "Veeam Agent for Microsoft Windows Server", "Veeam ONE");
LIST(T_OS_BUILDS_WINDOWS, "10.0.17763", "10.0.20348", "10.0.26100", "10.0.22631", "10.0.19045");
LIST(T_OS_BUILDS_LINUX, "5.15.0-105-generic", "6.8.0-45-generic", "5.14.0-427.el9.x86_64",
     "6.1.0-21-amd64");
LIST(T_OS_BUILDS_MAC, "14.6.1", "15.1", "13.6.9");
LIST(T_CATEGORIES, "Backup", "Public Cloud", "Monitoring", "Billing", "Security");

/* Builds of the VSPC 9.1 era: the products a 9.1 console manages. */
LIST(BUILDS_VSPC, VSPC_BUILD);
LIST(BUILDS_VBR, "12.3.0.310", "12.3.1.1139", "12.3.2.3617", "13.0.0.4967", "13.0.1.1071");
LIST(BUILDS_VB365, "8.0.5.20", "8.1.0.331", "8.1.1.50", "8.2.0.187");
LIST(BUILDS_VAW, "6.3.0.177", "6.3.1.1074", "6.3.2.1205");
LIST(BUILDS_VAL, "6.3.0.1023", "6.3.1.1146", "6.3.2.1207");
LIST(BUILDS_VAM, "2.3.0.372", "2.3.1.1082");
LIST(BUILDS_VONE, "12.3.0.4165", "12.3.1.5311");
LIST(BUILDS_PUBLIC_CLOUD, "8.0.0.1125", "8.1.0.1440", "9.0.0.1102");

const word_list T_BUILDS[PRODUCT_COUNT] = {
    [PRODUCT_VSPC] = {BUILDS_VSPC_items, COUNT(BUILDS_VSPC_items)},
    [PRODUCT_VBR] = {BUILDS_VBR_items, COUNT(BUILDS_VBR_items)},
    [PRODUCT_VB365] = {BUILDS_VB365_items, COUNT(BUILDS_VB365_items)},
    [PRODUCT_VAW] = {BUILDS_VAW_items, COUNT(BUILDS_VAW_items)},
    [PRODUCT_VAL] = {BUILDS_VAL_items, COUNT(BUILDS_VAL_items)},
    [PRODUCT_VAM] = {BUILDS_VAM_items, COUNT(BUILDS_VAM_items)},
    [PRODUCT_VONE] = {BUILDS_VONE_items, COUNT(BUILDS_VONE_items)},
    [PRODUCT_PUBLIC_CLOUD] = {BUILDS_PUBLIC_CLOUD_items, COUNT(BUILDS_PUBLIC_CLOUD_items)},
};

const int TABLE_PORTS[] = {443, 1280, 2500, 3389, 5985, 6160, 6162, 6180, 8443, 9392, 9393,
                           9401, 10005};
const size_t TABLE_PORTS_N = COUNT(TABLE_PORTS);
