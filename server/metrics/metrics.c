/* metrics.c — see metrics.h: the counters the record step moves, and
 * their exposition. */
#include "metrics/metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "faults/fault_hit.h"

#define MAX_BOUNDS 16

/* A Prometheus histogram: cumulative buckets are summed at exposition, so
 * an observation moves one bucket only. sum is kept in units of `scale`
 * (microseconds for seconds) to stay an integer atomic. */
typedef struct histogram {
    const double *bounds;
    size_t nbounds;
    double scale;
    atomic_ullong buckets[MAX_BOUNDS + 1]; /* the last: above every bound */
    atomic_ullong count, sum;
} histogram;

static const double latency_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
static const double size_bounds[] = {64,    256,    1024,    4096,   16384,
                                     65536, 262144, 1048576, 4194304, 16777216};
#define NELEMS(a) (sizeof a / sizeof a[0])

/* Requests by (operationId, method, status): an open-addressed table,
 * under a lock held for one probe. Full (thousands of distinct triples),
 * further ones count under operationId "other". */
#define OP_SLOTS 4096
typedef struct op_count {
    char operation[112];
    char method[12];
    int status;
    unsigned long long n;
} op_count;

struct metrics {
    atomic_ullong total, errors, throttled;
    atomic_ullong faulted[FAULT_KINDS]; /* by the effect a fault rule had */
    atomic_llong active;
    histogram latency, post_size, put_size, sim_step;
    pthread_mutex_t lock; /* ops */
    op_count *ops;
    size_t nops;
    time_t started;
    double world_ms;
    long world_records;
};

static void histogram_init(histogram *h, const double *bounds, size_t n, double scale)
{
    h->bounds = bounds;
    h->nbounds = n;
    h->scale = scale;
}

static void histogram_observe(histogram *h, double v)
{
    size_t i = 0;
    while (i < h->nbounds && v > h->bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->buckets[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum, (unsigned long long)(v * h->scale + 0.5),
                              memory_order_relaxed);
}

metrics *metrics_new(void)
{
    metrics *m = calloc(1, sizeof *m);
    if (!m || !(m->ops = calloc(OP_SLOTS, sizeof *m->ops))) {
        free(m);
        return NULL;
    }
    histogram_init(&m->latency, latency_bounds, NELEMS(latency_bounds), 1e6);
    histogram_init(&m->sim_step, latency_bounds, NELEMS(latency_bounds), 1e6);
    histogram_init(&m->post_size, size_bounds, NELEMS(size_bounds), 1);
    histogram_init(&m->put_size, size_bounds, NELEMS(size_bounds), 1);
    pthread_mutex_init(&m->lock, NULL);
    m->started = time(NULL);
    return m;
}

void metrics_free(metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m->ops);
    free(m);
}

void metrics_enter(metrics *m)
{
    if (m)
        atomic_fetch_add_explicit(&m->active, 1, memory_order_relaxed);
}

static uint64_t hash_of(const char *op, const char *method, int status)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = op; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = method; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return (h ^ (uint64_t)status) * 1099511628211ull;
}

static void count_operation(metrics *m, const char *op, const char *method, int status)
{
    pthread_mutex_lock(&m->lock);
    if (m->nops >= OP_SLOTS * 3 / 4) /* keep probes short: the rest is "other" */
        op = "other";
    uint64_t h = hash_of(op, method, status);
    for (size_t k = 0; k < OP_SLOTS; k++) {
        op_count *c = &m->ops[(h + k) % OP_SLOTS];
        if (!c->operation[0]) {
            snprintf(c->operation, sizeof c->operation, "%s", op);
            snprintf(c->method, sizeof c->method, "%s", method);
            c->status = status;
            m->nops++;
        } else if (c->status != status || strcmp(c->operation, op) || strcmp(c->method, method)) {
            continue;
        }
        c->n++;
        break;
    }
    pthread_mutex_unlock(&m->lock);
}

void metrics_record(metrics *m, const request *req, const response *res, double duration_ms)
{
    if (!m)
        return;
    atomic_fetch_sub_explicit(&m->active, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->total, 1, memory_order_relaxed);
    if (res->status >= 400)
        atomic_fetch_add_explicit(&m->errors, 1, memory_order_relaxed);
    if (res->status == 429)
        atomic_fetch_add_explicit(&m->throttled, 1, memory_order_relaxed);
    if (req->fault.kind > FAULT_NONE && req->fault.kind < FAULT_KINDS)
        atomic_fetch_add_explicit(&m->faulted[req->fault.kind], 1, memory_order_relaxed);
    histogram_observe(&m->latency, duration_ms / 1e3);
    if (req->method == HTTP_POST)
        histogram_observe(&m->post_size, (double)req->body_len);
    else if (req->method == HTTP_PUT)
        histogram_observe(&m->put_size, (double)req->body_len);
    /* a client's own method token would be a label of its making: OTHER */
    const char *method = req->method == HTTP_METHOD_OTHER || !req->method_text ? "OTHER"
                                                                              : req->method_text;
    count_operation(m, req->op ? req->op->operation_id : "none", method, res->status);
}

void metrics_world_built(metrics *m, double ms, long records)
{
    if (!m)
        return;
    m->world_ms = ms; /* written once at start, before the server answers */
    m->world_records = records;
}

void metrics_observe_sim_step(metrics *m, double seconds)
{
    if (m)
        histogram_observe(&m->sim_step, seconds);
}

time_t metrics_started(const metrics *m) { return m ? m->started : 0; }

bool metrics_is_path(const char *path) { return path && !strcmp(path, METRICS_PATH); }

/* --- exposition ---------------------------------------------------------- */

static void head(buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static unsigned long long load(atomic_ullong *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static void write_histogram(buf *out, const char *name, const char *help, histogram *h)
{
    head(out, name, "histogram", help);
    unsigned long long cumulative = 0;
    for (size_t i = 0; i <= h->nbounds; i++) {
        cumulative += load(&h->buckets[i]);
        if (i < h->nbounds)
            buf_printf(out, "%s_bucket{le=\"%.10g\"} %llu\n", name, h->bounds[i], cumulative);
        else
            buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, cumulative);
    }
    buf_printf(out, "%s_sum %.9g\n%s_count %llu\n", name, (double)load(&h->sum) / h->scale, name,
               load(&h->count));
}

static void write_counter(buf *out, const char *name, const char *help, unsigned long long v)
{
    head(out, name, "counter", help);
    buf_printf(out, "%s %llu\n", name, v);
}

/* The per-operation table, all of it or its errors only. The label values
 * are operationIds and methods: letters and digits, nothing to escape. */
static void write_operations(metrics *m, buf *out, const char *name, const char *help,
                             bool errors_only)
{
    head(out, name, "counter", help);
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < OP_SLOTS; i++) {
        const op_count *c = &m->ops[i];
        if (c->operation[0] && (!errors_only || c->status >= 400))
            buf_printf(out, "%s{operationId=\"%s\",method=\"%s\",status=\"%d\"} %llu\n", name,
                       c->operation, c->method, c->status, c->n);
    }
    pthread_mutex_unlock(&m->lock);
}

void metrics_write_counters(metrics *m, buf *out)
{
    write_counter(out, "vspc_rest__total_requests", "Requests answered.", load(&m->total));
    write_operations(m, out, "vspc_rest__total_requests_with_tags",
                     "Requests answered, by operation and status.", false);
    write_counter(out, "vspc_rest__total_errors", "Answers with a status of 400 or more.",
                  load(&m->errors));
    write_operations(m, out, "vspc_rest__total_errors_with_tags",
                     "Answers with a status of 400 or more, by operation and status.", true);
    write_counter(out, "vspc_rest__total_throttled_requests", "Requests answered 429.",
                  load(&m->throttled));
    head(out, "vspc_emulator_faults_applied_total", "counter",
         "Requests a fault rule of the admin API applied to, by its effect.");
    for (int k = FAULT_NONE + 1; k < FAULT_KINDS; k++)
        buf_printf(out, "vspc_emulator_faults_applied_total{effect=\"%s\"} %llu\n",
                   fault_kind_name((fault_kind)k), load(&m->faulted[k]));
    head(out, "vspc_rest__active_requests", "gauge", "Requests in process now.");
    long long active = atomic_load_explicit(&m->active, memory_order_relaxed);
    buf_printf(out, "vspc_rest__active_requests %lld\n", active > 0 ? active : 0);
    write_histogram(out, "vspc_rest__transactions_timer_seconds",
                    "Time from the request to its serialised answer, in seconds.", &m->latency);
    write_histogram(out, "vspc_rest__post_size_bytes", "Bodies of POST requests, in bytes.",
                    &m->post_size);
    write_histogram(out, "vspc_rest__put_size_bytes", "Bodies of PUT requests, in bytes.",
                    &m->put_size);
    head(out, "vspc_emulator_world_build_seconds", "gauge",
         "Time the default world took to build at start (0: kept from an earlier run).");
    buf_printf(out, "vspc_emulator_world_build_seconds %.3f\n", m->world_ms / 1e3);
    head(out, "vspc_emulator_world_built_records", "gauge", "Records the world build made.");
    buf_printf(out, "vspc_emulator_world_built_records %ld\n", m->world_records);
    write_histogram(out, "vspc_emulator_simulation_step_seconds",
                    "Time of one step of the world's simulation, in seconds.", &m->sim_step);
}
