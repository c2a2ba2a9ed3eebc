/* http_emulator.c — see http_emulator.h. */
#include "http/http_emulator.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "answer/errors.h"
#include "sim/simulation.h"

static bool loopback(const struct sockaddr *sa)
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127);
    }
    return false;
}

static const char *query_value(const kv *query, size_t nquery, const char *key)
{
    for (size_t i = 0; i < nquery; i++)
        if (!strcmp(query[i].key, key))
            return query[i].value;
    return NULL;
}

static bool number(const char *text, long long *out)
{
    if (!text || !*text)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool ours(const char *rest)
{
    return !strcmp(rest, "clock") || !strcmp(rest, "clock/advance") || !strcmp(rest, "sessions");
}

bool http_emulator_route(const app *a, const char *method, const char *path, const kv *query,
                         size_t nquery, const struct sockaddr *peer, response *res)
{
    if (strncmp(path, EMULATOR_PREFIX, strlen(EMULATOR_PREFIX)))
        return false;
    const char *rest = path + strlen(EMULATOR_PREFIX);
    /* only these three: the rest of /_emulator/ is the admin API's (issue 15) */
    if (!ours(rest))
        return false;
    bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
    if (!loopback(peer) || !a->sim) {
        error_answer(res, E_NOT_FOUND, NULL, "The path %s does not exist.", path);
        return true;
    }
    if (!strcmp(rest, "clock") && get) {
        response_data(res, sim_clock_json(a->sim));
    } else if (!strcmp(rest, "clock/advance") && post) {
        long long seconds;
        char err[160];
        if (!number(query_value(query, nquery, "seconds"), &seconds))
            error_answer(res, E_BAD_PARAMETER, "seconds", "seconds must be a whole number.");
        else if (!sim_advance(a->sim, seconds, err, sizeof err))
            error_answer(res, E_BAD_PARAMETER, "seconds", "%s", err);
        else
            response_data(res, sim_clock_json(a->sim));
    } else if (!strcmp(rest, "sessions") && get) {
        const char *job = query_value(query, nquery, "jobUid");
        long long limit = 100;
        const char *lt = query_value(query, nquery, "limit");
        if (!job || (lt && (!number(lt, &limit) || limit < 1 || limit > 1000)))
            error_answer(res, E_BAD_PARAMETER, job ? "limit" : "jobUid",
                         "jobUid is required; limit is 1 to 1000.");
        else
            response_data(res, sim_sessions_json(a->sim, job, (long)limit));
    } else {
        error_answer(res, E_METHOD_NOT_ALLOWED, NULL, "The method %s is not allowed here.", method);
    }
    return true;
}
