/* http_conns.c — see http_conns.h. */
#include "http/http_conns.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

struct conn_entry {
    conn_entry *prev, *next;
    int fd;
    bool in_request;
    bool reaped;
    struct timespec deadline; /* CLOCK_MONOTONIC */
};

struct conns {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t reaper;
    bool stopping;
    int timeout;
    conn_entry head; /* circular list sentinel */
};

static struct timespec deadline_from_now(int seconds)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += seconds;
    return t;
}

static bool passed(const struct timespec *deadline, const struct timespec *now)
{
    return now->tv_sec > deadline->tv_sec ||
           (now->tv_sec == deadline->tv_sec && now->tv_nsec >= deadline->tv_nsec);
}

static void *reaper_main(void *arg)
{
    conns *c = arg;
    pthread_mutex_lock(&c->lock);
    while (!c->stopping) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        for (conn_entry *e = c->head.next; e != &c->head; e = e->next) {
            if (!e->in_request && !e->reaped && passed(&e->deadline, &now)) {
                /* the entry is registered, so libmicrohttpd has not closed
                 * fd yet: it is still this connection's socket */
                shutdown(e->fd, SHUT_RDWR);
                e->reaped = true;
            }
        }
        /* a quarter of a second is precise enough for deadlines of seconds */
        struct timespec wait;
        clock_gettime(CLOCK_MONOTONIC, &wait);
        wait.tv_nsec += 250 * 1000 * 1000;
        if (wait.tv_nsec >= 1000000000L) {
            wait.tv_sec++;
            wait.tv_nsec -= 1000000000L;
        }
        int rc;
        do
            rc = pthread_cond_timedwait(&c->wake, &c->lock, &wait);
        while (rc == EINTR);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

conns *conns_start(int header_timeout_seconds)
{
    conns *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->timeout = header_timeout_seconds;
    c->head.next = c->head.prev = &c->head;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&c->reaper, NULL, reaper_main, c)) {
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    return c;
}

void conns_stop(conns *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->reaper, NULL);
    while (c->head.next != &c->head) {
        conn_entry *e = c->head.next;
        c->head.next = e->next;
        free(e);
    }
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

conn_entry *conns_opened(conns *c, int fd)
{
    conn_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->fd = fd;
    e->deadline = deadline_from_now(c->timeout);
    pthread_mutex_lock(&c->lock);
    e->next = c->head.next;
    e->prev = &c->head;
    c->head.next->prev = e;
    c->head.next = e;
    pthread_mutex_unlock(&c->lock);
    return e;
}

void conns_request_started(conns *c, conn_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&c->lock);
    e->in_request = true;
    pthread_mutex_unlock(&c->lock);
}

void conns_request_done(conns *c, conn_entry *e)
{
    if (!e)
        return;
    struct timespec deadline = deadline_from_now(c->timeout);
    pthread_mutex_lock(&c->lock);
    e->in_request = false;
    e->deadline = deadline;
    pthread_mutex_unlock(&c->lock);
}

void conns_closed(conns *c, conn_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&c->lock);
    e->prev->next = e->next;
    e->next->prev = e->prev;
    pthread_mutex_unlock(&c->lock);
    free(e);
}
