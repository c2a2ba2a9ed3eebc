/* config.c — see config.h. One table row per option. */
#include "app/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef VSPC_DEFAULT_SCHEMA_DIR
#define VSPC_DEFAULT_SCHEMA_DIR "schema"
#endif
#ifndef VSPC_DEFAULT_SWAGGER_DIR
#define VSPC_DEFAULT_SWAGGER_DIR "web/node_modules/swagger-ui-dist"
#endif
#ifndef VSPC_DEFAULT_FIXTURES_DIR
#define VSPC_DEFAULT_FIXTURES_DIR "fixtures"
#endif

typedef enum { OPT_COUNT, OPT_STRING, OPT_PORT, OPT_BOOL, OPT_LEVEL, OPT_SIZE, OPT_PAGE, OPT_SEED, OPT_THREADS, OPT_SECONDS, OPT_WAIT, OPT_ENTRIES, OPT_FLAG } opt_kind;

typedef struct option_row {
    const char *flag;  /* "--port" */
    const char *env;   /* "VSPC_PORT" or NULL */
    opt_kind kind;
    size_t offset;     /* offsetof(config, field) */
    size_t size;       /* buffer size for OPT_STRING */
    const char *dflt;  /* default, as text */
    const char *help;
} option_row;

#define STR(field) OPT_STRING, offsetof(config, field), sizeof(((config *)0)->field)
#define VAL(kind, field) kind, offsetof(config, field), 0

static const option_row options[] = {
    {"--bind", "VSPC_BIND", STR(bind), "0.0.0.0", "address to listen on"},
    {"--port", "VSPC_PORT", VAL(OPT_PORT, port), "1280", "TCP port"},
    {"--tls", "VSPC_TLS", VAL(OPT_BOOL, tls), "on",
     "on: HTTPS (self-signed certificate made on first start), off: plain HTTP"},
    {"--cert", "VSPC_CERT", STR(cert_file), "", "PEM certificate to use instead of the self-signed one"},
    {"--key", "VSPC_KEY", STR(key_file), "", "PEM private key of --cert"},
    {"--data-dir", "VSPC_DATA_DIR", STR(data_dir), "./data",
     "state: SQLite database, keys, certificate"},
    {"--schema-dir", "VSPC_SCHEMA_DIR", STR(schema_dir), VSPC_DEFAULT_SCHEMA_DIR,
     "folder of the contract documents vspc-rest-<version>.json"},
    {"--fixtures", "VSPC_FIXTURES", STR(fixtures_dir), VSPC_DEFAULT_FIXTURES_DIR,
     "folder of the default world"},
    {"--swagger-dir", "VSPC_SWAGGER_DIR", STR(swagger_dir), VSPC_DEFAULT_SWAGGER_DIR,
     "folder of swagger-ui-dist's files, served at /api/swagger/ (./dev.sh web installs them)"},
    {"--log-level", "VSPC_LOG_LEVEL", VAL(OPT_LEVEL, log_level), "info", "error, warn, info or debug"},
    {"--max-body", "VSPC_MAX_BODY", VAL(OPT_SIZE, max_body), "33554432",
     "largest request body accepted, in bytes (larger: 413)"},
    {"--max-page-size", "VSPC_MAX_PAGE_SIZE", VAL(OPT_PAGE, max_page_size), "500",
     "largest page a client may ask for with limit (VSPC's MaxPageSize)"},
    {"--threads", "VSPC_THREADS", VAL(OPT_THREADS, threads), "2", "HTTP worker threads"},
    {"--max-connections", "VSPC_MAX_CONNECTIONS", VAL(OPT_COUNT, max_connections), "4096",
     "open connections in all (more wait in the listen queue)"},
    {"--max-connections-per-ip", "VSPC_MAX_CONNECTIONS_PER_IP", VAL(OPT_COUNT, max_connections_per_ip),
     "256", "open connections from one client address (more are refused)"},
    {"--header-timeout", "VSPC_HEADER_TIMEOUT", VAL(OPT_SECONDS, header_timeout), "30",
     "seconds a client has to send a request's headers, from connecting or from the previous answer"},
    {"--admin-user", "VSPC_ADMIN_USER", STR(admin_user), "administrator",
     "login of the default portal administrator"},
    {"--admin-password", "VSPC_ADMIN_PASSWORD", STR(admin_password), "Password1",
     "password of the default portal administrator"},
    {"--admin-secret", "VSPC_ADMIN_SECRET", STR(admin_secret), "",
     "bearer token of the emulator's admin API under /_emulator/ (made and logged at start when "
     "empty)"},
    {"--admin-bind", "VSPC_ADMIN_BIND", STR(admin_bind), "",
     "addresses and networks (a.b.c.d/n), comma-separated, or \"any\", that may reach /_emulator/ "
     "(\"\": loopback only)"},
    {"--proxy-upstream", "VSPC_PROXY_UPSTREAM", STR(proxy_upstream), "",
     "where /proxy/{managementAgentUid}/{product}/... goes, per product: vbr=URL,vb365=URL,vone=URL "
     "(a product without one answers 502)"},
    {"--token-ttl", "VSPC_TOKEN_TTL", VAL(OPT_SECONDS, token_ttl), "3600",
     "lifetime of an access token, in seconds"},
    {"--refresh-ttl", "VSPC_REFRESH_TTL", VAL(OPT_SECONDS, refresh_ttl), "172800",
     "lifetime of a refresh token, in seconds (single use)"},
    /* the guessing guard (login_guard.h); the defaults are its constants */
    {"--login-failures", "VSPC_LOGIN_FAILURES", VAL(OPT_COUNT, login_failures), "5",
     "failed sign-ins of one login answered normally before each further one closes it for a "
     "doubling time"},
    {"--ip-failures", "VSPC_IP_FAILURES", VAL(OPT_COUNT, ip_failures), "20",
     "the same for one client address, whatever the logins (a minute of quiet forgets them)"},
    {"--lockout-max", "VSPC_LOCKOUT_MAX", VAL(OPT_SECONDS, lockout_max), "300",
     "longest time a login or address is closed after failed sign-ins, in seconds"},
    {"--seed", "VSPC_SEED", VAL(OPT_SEED, seed), "1", "seed of the generated default world"},
    {"--scale", "VSPC_SCALE", STR(scale), "",
     "size of the default world: companies=N[,agentsPerCompany=M]"},
    {"--clock", "VSPC_CLOCK", STR(clock), "real",
     "simulated time: real, fast:N (N simulated seconds a second) or manual (moved only by "
     "POST /_emulator/clock/advance?seconds=N)"},
    {"--reset", NULL, VAL(OPT_FLAG, reset), NULL,
     "drop the stored state and start again from the default world"},
    {"--bench-routes", NULL, VAL(OPT_FLAG, bench_routes), NULL,
     "also answer GET /__bench/bytes/N with N prebuilt bytes (the benchmarks' baseline)"},
    {"--appsettings", "VSPC_APPSETTINGS", STR(appsettings_file), "",
     "a JSON file shaped like VSPC's appsettings.json: its Throttling and AsyncAction sections, "
     "and VspcEmulator.Throttling's base limits (README)"},
    {"--throttling", "VSPC_THROTTLING", VAL(OPT_BOOL, throttling), "on",
     "VSPC's request limits, 429 beyond them (off also when the file's Throttling.IsDisabled "
     "is true)"},
    {"--async-after", "VSPC_ASYNC_AFTER", VAL(OPT_WAIT, async_after), "5",
     "operations VSPC takes longer than this many seconds to answer run as async actions (202)"},
    {"--async-operations", "VSPC_ASYNC_OPERATIONS", STR(async_operations), "",
     "operationIds that always run as async actions, comma-separated"},
    {"--journal-size", "VSPC_JOURNAL_SIZE", VAL(OPT_ENTRIES, journal_size), "10000",
     "requests kept in the journal of GET /_emulator/journal (0: none, for load runs)"},
    {"--help", NULL, VAL(OPT_FLAG, show_help), NULL, "print this help and exit"},
    {"--version", NULL, VAL(OPT_FLAG, show_version), NULL, "print the version and exit"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

/* Parses a decimal integer within [lo, hi]; false otherwise. */
static bool parse_long(const char *text, long lo, long hi, long *out)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Stores `value` into the field of `row`. */
static bool apply(config *cfg, const option_row *row, const char *value, char *err, size_t errlen)
{
    char *field = (char *)cfg + row->offset;
    long n;
    switch (row->kind) {
    case OPT_STRING:
        if (strlen(value) >= row->size) {
            snprintf(err, errlen, "%s: value too long", row->flag);
            return false;
        }
        strcpy(field, value);
        return true;
    case OPT_PORT:
        if (!parse_long(value, 0, 65535, &n))
            break;
        *(int *)field = (int)n;
        return true;
    case OPT_THREADS:
        if (!parse_long(value, 1, 64, &n))
            break;
        *(int *)field = (int)n;
        return true;
    case OPT_SIZE:
        if (!parse_long(value, 1024, LONG_MAX, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_COUNT:
        if (!parse_long(value, 1, 1000000L, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_PAGE:
        if (!parse_long(value, 1, 2147483647L, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_WAIT: /* none to a day */
        if (!parse_long(value, 0, 86400L, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_ENTRIES: /* none to a million */
        if (!parse_long(value, 0, 1000000L, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_SECONDS: /* a second to ten years */
        if (!parse_long(value, 1, 315360000L, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_SEED:
        if (!parse_long(value, 0, LONG_MAX, &n))
            break;
        *(long *)field = n;
        return true;
    case OPT_BOOL:
        if (!strcasecmp(value, "on") || !strcasecmp(value, "true") || !strcmp(value, "1")) {
            *(bool *)field = true;
            return true;
        }
        if (!strcasecmp(value, "off") || !strcasecmp(value, "false") || !strcmp(value, "0")) {
            *(bool *)field = false;
            return true;
        }
        break;
    case OPT_LEVEL:
        if (log_level_parse(value, (log_level *)field))
            return true;
        break;
    case OPT_FLAG:
        *(bool *)field = true;
        return true;
    }
    snprintf(err, errlen, "%s: invalid value '%s'", row->flag, value);
    return false;
}

static const option_row *find_flag(const char *flag, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].flag) == len && strncmp(options[i].flag, flag, len) == 0)
            return &options[i];
    return NULL;
}

bool config_load(config *cfg, int argc, char **argv, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].dflt && !apply(cfg, &options[i], options[i].dflt, err, errlen))
            return false;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *v = options[i].env ? getenv(options[i].env) : NULL;
        if (v && *v && !apply(cfg, &options[i], v, err, errlen)) {
            snprintf(err, errlen, "%s: invalid value '%s'", options[i].env, v);
            return false;
        }
    }
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        const char *eq = strchr(arg, '=');
        size_t flen = eq ? (size_t)(eq - arg) : strlen(arg);
        const option_row *row = find_flag(arg, flen);
        if (!row) {
            snprintf(err, errlen, "unknown option '%s' (see --help)", arg);
            return false;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (row->kind == OPT_FLAG) {
            if (value) {
                snprintf(err, errlen, "%s takes no value", row->flag);
                return false;
            }
            value = "1";
        } else if (!value) {
            if (a + 1 >= argc) {
                snprintf(err, errlen, "%s needs a value", row->flag);
                return false;
            }
            value = argv[++a];
        }
        if (!apply(cfg, row, value, err, errlen))
            return false;
    }
    if ((cfg->cert_file[0] != 0) != (cfg->key_file[0] != 0)) {
        snprintf(err, errlen, "--cert and --key must be given together");
        return false;
    }
    return appsettings_load(cfg->appsettings_file, &cfg->settings, err, errlen);
}

void config_print_help(void *stream, const char *program)
{
    FILE *out = stream;
    fprintf(out,
            "Usage: %s [options]\n"
            "Veeam Service Provider Console REST API v3 emulator.\n\n"
            "Options (flag, environment variable, default):\n",
            program);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option_row *o = &options[i];
        fprintf(out, "  %-18s %-20s %s", o->flag, o->env ? o->env : "",
                o->help);
        if (o->dflt && *o->dflt && o->kind != OPT_FLAG)
            fprintf(out, " [%s]", o->dflt);
        fputc('\n', out);
    }
}
