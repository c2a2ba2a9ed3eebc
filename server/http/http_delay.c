/* http_delay.c — see http_delay.h. The held connections are a small
 * unsorted list: a test holds tens, and one scan per wake-up is cheaper
 * than keeping a heap. */
#include "http/http_delay.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

typedef struct held {
    struct MHD_Connection *conn;
    long long due_ms; /* CLOCK_MONOTONIC */
} held;

struct delays {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a new hold, or stop */
    pthread_t thread;
    held *items;
    size_t n, cap;
    bool stopping;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes the held connections that are due (all when stopping) out of the
 * list into out (room for d->n); how many. Under the lock. */
static size_t take_due(delays *d, struct MHD_Connection **out, long long now, long long *next)
{
    size_t k = 0, taken = 0;
    *next = -1;
    for (size_t i = 0; i < d->n; i++) {
        if (d->stopping || d->items[i].due_ms <= now) {
            out[taken++] = d->items[i].conn;
            continue;
        }
        if (*next < 0 || d->items[i].due_ms < *next)
            *next = d->items[i].due_ms;
        d->items[k++] = d->items[i];
    }
    d->n = k;
    return taken;
}

/* Resumes outside the lock: libmicrohttpd takes its own, and a connection
 * out of the list is this thread's alone to resume. */
static void resume_all(struct MHD_Connection **conns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        MHD_resume_connection(conns[i]);
}

static void *timer_main(void *arg)
{
    delays *d = arg;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        long long next;
        struct MHD_Connection **due = d->n ? malloc(d->n * sizeof *due) : NULL;
        size_t n = due ? take_due(d, due, mono_ms(), &next) : 0;
        if (!due)
            next = -1;
        if (n) {
            pthread_mutex_unlock(&d->lock);
            resume_all(due, n);
            free(due);
            pthread_mutex_lock(&d->lock);
            continue; /* look again: time has passed */
        }
        free(due);
        if (d->stopping && !d->n)
            break;
        if (next < 0) {
            pthread_cond_wait(&d->wake, &d->lock);
        } else {
            struct timespec ts = {.tv_sec = next / 1000, .tv_nsec = (next % 1000) * 1000000};
            pthread_cond_timedwait(&d->wake, &d->lock, &ts);
        }
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

delays *delays_start(void)
{
    delays *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&d->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&d->lock, NULL);
    if (pthread_create(&d->thread, NULL, timer_main, d)) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

bool delays_hold(delays *d, struct MHD_Connection *conn, long ms)
{
    pthread_mutex_lock(&d->lock);
    if (d->stopping) {
        pthread_mutex_unlock(&d->lock);
        return false;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        held *grown = realloc(d->items, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&d->lock);
            return false;
        }
        d->items = grown;
        d->cap = cap;
    }
    /* suspended before it is listed: the timer resumes only what is listed */
    MHD_suspend_connection(conn);
    d->items[d->n++] = (held){conn, mono_ms() + ms};
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    return true;
}

void delays_release_all(delays *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    /* the timer resumes what is listed and ends once the list is empty */
    pthread_join(d->thread, NULL);
}

void delays_free(delays *d)
{
    if (!d)
        return;
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d->items);
    free(d);
}

/* --- truncated bodies ---------------------------------------------------- */

typedef struct cut_body {
    char *body;
    size_t len, cut;
} cut_body;

static ssize_t read_cut(void *cls, uint64_t pos, char *buf, size_t max)
{
    const cut_body *c = cls;
    if (pos >= c->cut)
        return pos >= c->len ? MHD_CONTENT_READER_END_OF_STREAM
                             : MHD_CONTENT_READER_END_WITH_ERROR; /* closes it */
    size_t n = c->cut - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, c->body + pos, n);
    return (ssize_t)n;
}

static void free_cut(void *cls)
{
    cut_body *c = cls;
    free(c->body);
    free(c);
}

struct MHD_Response *delays_truncated_response(char *body, size_t len, long cut)
{
    cut_body *c = malloc(sizeof *c);
    if (!c) {
        free(body);
        return NULL;
    }
    c->body = body;
    c->len = len;
    c->cut = cut < 0 ? len / 2 : ((size_t)cut < len ? (size_t)cut : len);
    struct MHD_Response *mr = MHD_create_response_from_callback(len, 4096, read_cut, c, free_cut);
    if (!mr)
        free_cut(c);
    return mr;
}
