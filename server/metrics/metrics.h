/* metrics.h — GET /metrics: the emulator's counters in Prometheus' text
 * exposition format (text/plain; version=0.0.4), without authentication —
 * it is what a Prometheus server scrapes. VSPC has no such path: it reports
 * its REST API metrics to InfluxDB for its "RESTful APIs" Grafana
 * dashboard; their names are used here with '.' as '_' (Prometheus names
 * have no dots), the emulator's own under vspc_emulator_.
 *
 *   name                                             type       labels
 *   vspc_rest__total_requests                        counter
 *   vspc_rest__total_requests_with_tags              counter    operationId, method, status
 *   vspc_rest__total_errors                          counter                (status >= 400)
 *   vspc_rest__total_errors_with_tags                counter    operationId, method, status
 *   vspc_rest__total_throttled_requests              counter                (429 answers)
 *   vspc_rest__active_requests                       gauge                  (in process now)
 *   vspc_rest__transactions_timer_seconds            histogram              (time to answer)
 *   vspc_rest__post_size_bytes, vspc_rest__put_size_bytes  histogram        (request bodies)
 *   vspc_rest__current_async_action_count            gauge                  (running actions)
 *   vspc_rest__current_uncleaned_async_action_count  gauge                  (finished, result kept)
 *   vspc_emulator_faults_applied_total               counter    effect     (admin API fault rules)
 *   vspc_emulator_async_actions                      gauge      status
 *   vspc_emulator_journal_entries                    gauge
 *   vspc_emulator_journal_capacity                   gauge
 *   vspc_emulator_records                            gauge      type       (the store's type_counts)
 *   vspc_emulator_world_build_seconds                gauge                  (0: kept from a last run)
 *   vspc_emulator_world_built_records                gauge
 *   vspc_emulator_simulation_step_seconds            histogram              (metrics_observe_sim_step)
 *   vspc_emulator_uptime_seconds                     gauge
 *
 * operationId is "none" for a request no operation was found for (404,
 * 405, an unsupported version). Counters are updated by the pipeline's
 * record step (metrics_record): atomics, and a short lock for the
 * per-operation table; the gauges of the store are read at scrape time.
 * Requests to /_emulator/ and /metrics are not counted. */
#ifndef VSPC_METRICS_H
#define VSPC_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "answer/response.h"
#include "request/request.h"

#define METRICS_PATH "/metrics"
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

typedef struct metrics metrics;

metrics *metrics_new(void);
void metrics_free(metrics *m);

/* A request enters the pipeline / has been answered (res serialised, in
 * duration_ms): the in-process gauge, the counters and the histograms. */
void metrics_enter(metrics *m);
void metrics_record(metrics *m, const request *req, const response *res, double duration_ms);

/* The default world was built in ms, records records (start-up). */
void metrics_world_built(metrics *m, double ms, long records);

/* The world's simulation (server/sim/simulate.c) took seconds for one
 * step: a tick of a moving clock, or a manual advance. */
void metrics_observe_sim_step(metrics *m, double seconds);

/* metrics.c's counters and histograms in the exposition format, appended
 * to out (for metrics_answer). */
struct buf;
void metrics_write_counters(metrics *m, struct buf *out);

/* When metrics_new was called (the uptime gauge). */
time_t metrics_started(const metrics *m);

/* Whether path is METRICS_PATH. */
bool metrics_is_path(const char *path);

/* Answers GET /metrics (405 for another method): the text of every metric,
 * the store's gauges read now. */
void metrics_answer(request *req, response *res);

#endif
