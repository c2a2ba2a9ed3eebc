/* main.c — vspc-emulator: start-up, the ready banner, and shutdown on
 * SIGINT/SIGTERM. Everything else lives in the modules main wires together:
 * config (settings), app (contract, entity models, store and world),
 * tls (certificate), http (transport).
 *
 * The process umask is 077 before anything is created: the data dir holds
 * the database (password hashes, API key digests), the TLS and signing
 * keys, so every file the server makes is 0600 and every directory 0700,
 * whichever module makes it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/app.h"
#include "base/log.h"
#include "http/http.h"
#include "http/tls.h"
#include "start/startup.h"

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void print_banner(const app *a, int port, bool tls, double ready_ms)
{
    const char *host = strcmp(a->cfg.bind, "0.0.0.0") && strcmp(a->cfg.bind, "::")
                           ? a->cfg.bind
                           : "localhost";
    printf("vspc-emulator %s ready in %.0f ms\n", VSPC_VERSION, ready_ms);
    printf("  URL:          %s://%s:%d/api/v3\n", tls ? "https" : "http", host, port);
    printf("  API versions: ");
    for (size_t i = 0; i < a->contracts.count; i++)
        printf("%s%s (%zu operations)%s", i ? ", " : "", a->contracts.items[i]->version,
               a->contracts.items[i]->nops, a->contracts.items[i] == a->contracts.latest ? " default" : "");
    printf("\n  Login:        %s / %s  (POST /api/v3/token, grant_type=password)\n",
           a->cfg.admin_user, a->cfg.admin_password);
    printf("  Data dir:     %s\n", a->cfg.data_dir);
    fflush(stdout);
}

/* Blocks until SIGINT or SIGTERM (both blocked in every thread). */
static void wait_for_stop(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: stopping", sig);
}

int main(int argc, char **argv)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* first, so that no file is ever created readable by others (see the
     * header comment) */
    umask(077);
    static app a; /* large; lives for the whole run */
    char err[512];
    if (!config_load(&a.cfg, argc, argv, err, sizeof err)) {
        fprintf(stderr, "vspc-emulator: %s\n", err);
        return 2;
    }
    if (a.cfg.show_help) {
        config_print_help(stdout, argv[0]);
        return 0;
    }
    if (a.cfg.show_version) {
        printf("vspc-emulator %s\n", VSPC_VERSION);
        return 0;
    }
    log_set_level(a.cfg.log_level);

    /* Block the stop signals before any thread starts, so that only
     * sigwait() sees them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    int status = 1;
    tls_material tls = {0};
    http_server *srv = NULL;
    if (!app_open(&a, err, sizeof err)) {
        log_error("%s", err);
        goto out;
    }
    if (a.cfg.tls) {
        bool created = false;
        if (!tls_load_or_create(a.cfg.data_dir, a.cfg.cert_file, a.cfg.key_file, &tls, &created,
                                err, sizeof err)) {
            log_error("tls: %s", err);
            goto out;
        }
        if (created)
            log_info("tls: created a self-signed certificate in %s", a.cfg.data_dir);
    }
    srv = http_start(&a, a.cfg.tls ? &tls : NULL, err, sizeof err);
    if (!srv) {
        log_error("http: %s", err);
        goto out;
    }
    print_banner(&a, http_port(srv), a.cfg.tls, ms_since(&t0));
    wait_for_stop();
    status = 0;
out:
    http_stop(srv);
    tls_free(&tls);
    app_close(&a);
    return status;
}
