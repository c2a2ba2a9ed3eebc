/* config.h — the emulator's settings, from flags and VSPC_* variables.
 *
 * Precedence: built-in default < environment variable < command-line flag.
 * Every option is one row of the table in config.c, which also prints
 * --help, so flags, variables and help text cannot drift apart.
 */
#ifndef VSPC_CONFIG_H
#define VSPC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "app/appsettings.h"
#include "base/log.h"

typedef struct config {
    char bind[64];          /* --bind, VSPC_BIND: listen address */
    int port;               /* --port, VSPC_PORT */
    bool tls;               /* --tls on|off, VSPC_TLS */
    char cert_file[512];    /* --cert, VSPC_CERT: PEM certificate ("" = own) */
    char key_file[512];     /* --key, VSPC_KEY: PEM private key */
    char data_dir[512];     /* --data-dir, VSPC_DATA_DIR */
    char schema_dir[512];   /* --schema-dir, VSPC_SCHEMA_DIR: contract docs */
    char fixtures_dir[512]; /* --fixtures, VSPC_FIXTURES */
    char swagger_dir[512];  /* --swagger-dir, VSPC_SWAGGER_DIR: swagger-ui-dist's files */
    log_level log_level;    /* --log-level, VSPC_LOG_LEVEL */
    long max_body;          /* --max-body, VSPC_MAX_BODY: request body bytes */
    long max_page_size;     /* --max-page-size, VSPC_MAX_PAGE_SIZE: largest limit */
    int threads;            /* --threads, VSPC_THREADS: HTTP worker threads */
    long max_connections;   /* --max-connections: open connections in all */
    long max_connections_per_ip; /* --max-connections-per-ip: from one address */
    long header_timeout;    /* --header-timeout: seconds to send a request's headers */
    char admin_user[128];   /* --admin-user, VSPC_ADMIN_USER */
    char admin_password[128]; /* --admin-password, VSPC_ADMIN_PASSWORD */
    char admin_secret[129];   /* --admin-secret, VSPC_ADMIN_SECRET: bearer of /_emulator/ ("": made at start) */
    char proxy_upstream[2048]; /* --proxy-upstream, VSPC_PROXY_UPSTREAM: vbr=URL,vb365=URL,vone=URL */
    char admin_bind[512];     /* --admin-bind, VSPC_ADMIN_BIND: addresses allowed there ("": loopback) */
    long token_ttl;         /* --token-ttl, VSPC_TOKEN_TTL: access token seconds */
    long refresh_ttl;       /* --refresh-ttl, VSPC_REFRESH_TTL: refresh token seconds */
    long login_failures;    /* --login-failures, VSPC_LOGIN_FAILURES: free failures per login */
    long ip_failures;       /* --ip-failures, VSPC_IP_FAILURES: free failures per address */
    long lockout_max;       /* --lockout-max, VSPC_LOCKOUT_MAX: longest backoff, seconds */
    bool reset;             /* --reset: start again from the default world */
    char scale[128];        /* --scale, VSPC_SCALE: companies=N[,agentsPerCompany=M] */
    long seed;              /* --seed, VSPC_SEED: the world's random seed */
    char clock[64];         /* --clock, VSPC_CLOCK: real | fast:N | manual (sim/clock.h) */
    bool bench_routes;      /* --bench-routes: GET /__bench/bytes/N (benchmarks) */
    char appsettings_file[512]; /* --appsettings, VSPC_APPSETTINGS: VSPC-shaped settings ("": none) */
    bool throttling;        /* --throttling on|off, VSPC_THROTTLING (off also by IsDisabled) */
    long async_after;       /* --async-after, VSPC_ASYNC_AFTER: seconds an operation may take
                             * before it answers 202 (0: any that takes time) */
    char async_operations[2048]; /* --async-operations, VSPC_ASYNC_OPERATIONS: operationIds
                                  * always async, comma-separated */
    long journal_size;      /* --journal-size, VSPC_JOURNAL_SIZE: requests kept (0: none) */
    app_settings settings;  /* read from appsettings_file by config_load (defaults without) */
    bool show_help;         /* --help */
    bool show_version;      /* --version */
} config;

/* Fills cfg with defaults, then the environment, then argv, then reads
 * the --appsettings file into cfg->settings (app/appsettings.h). False on a
 * bad flag or value or a malformed file, with a one-line reason in err. */
bool config_load(config *cfg, int argc, char **argv, char *err, size_t errlen);

/* Writes the --help text (usage, every option with its variable and
 * default) to the stream. */
void config_print_help(void *stream, const char *program);

#endif
