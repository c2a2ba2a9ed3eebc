/* fault_hit.h — the terms a fault rule and the rest of the server share:
 * what a rule sees of a request (fault_request) and matches its path with
 * (fault_glob), and what it does to one (fault_hit, an effect of
 * fault_kind, named as schema/faults.json names them). The pipeline and
 * the transport carry a fault_hit out; faults.h draws it. */
#ifndef VSPC_FAULT_HIT_H
#define VSPC_FAULT_HIT_H

#include <stdbool.h>

typedef enum fault_kind {
    FAULT_NONE,
    FAULT_LATENCY,  /* the answer is held delay_ms before it is sent */
    FAULT_STATUS,   /* an error envelope with status, nothing done */
    FAULT_THROTTLE, /* 429 with retryAfter, nothing done */
    FAULT_ASYNC,    /* accepted as an async action: 202 */
    FAULT_DROP,     /* the connection closed without an answer */
    FAULT_TRUNCATE, /* the body cut after truncate_bytes (< 0: half of it) */
    FAULT_KINDS,    /* how many there are (not an effect) */
} fault_kind;

/* An effect's name as schema/faults.json and the admin API write it
 * ("latency"...); NULL for FAULT_NONE. The journal and the metrics name
 * the effect a request got by it. */
const char *fault_kind_name(fault_kind kind);

/* What a rule does to one request. */
typedef struct fault_hit {
    fault_kind kind;     /* FAULT_NONE: no rule applies */
    long rule_id;
    long delay_ms;       /* latency */
    int status;          /* status: 400-599 */
    long retry_after;    /* throttle: seconds */
    bool after;          /* drop: once the request has been processed */
    long truncate_bytes; /* truncate: bytes of the body sent, < 0: half */
    char message[256];   /* status, throttle: the error's message */
} fault_hit;

/* The request as rules see it. user: the caller's login, NULL when not
 * known (an anonymous operation, a credential that does not pass). */
typedef struct fault_request {
    const char *method;
    const char *path;         /* "/api/v3/companies" */
    const char *operation_id; /* may be NULL */
    const char *user;
} fault_request;

/* The effect a name of schema/faults.json stands for; FAULT_NONE when the
 * code has none of that name (faults_open refuses such a table). */
fault_kind fault_kind_named(const char *name);

/* Case-insensitive glob: "*" matches any run of characters, "/" included. */
bool fault_glob(const char *pattern, const char *text);

#endif
