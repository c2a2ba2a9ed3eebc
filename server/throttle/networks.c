/* networks.c — see networks.h. */
#include "throttle/networks.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void map_ipv4(const unsigned char v4[4], net_address *out)
{
    memset(out->b, 0, 10);
    out->b[10] = out->b[11] = 0xff;
    memcpy(out->b + 12, v4, 4);
}

/* text without surrounding spaces, into buf; false if it does not fit. */
static bool trimmed(const char *text, char *buf, size_t len)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    if (!n || n >= len)
        return false;
    memcpy(buf, text, n);
    buf[n] = 0;
    return true;
}

/* An address already trimmed; *v4 says which family it was written in. */
static bool parse_exact(const char *text, net_address *out, bool *v4)
{
    unsigned char raw[16];
    if (inet_pton(AF_INET, text, raw) == 1) {
        map_ipv4(raw, out);
        *v4 = true;
        return true;
    }
    if (inet_pton(AF_INET6, text, raw) == 1) {
        memcpy(out->b, raw, 16);
        *v4 = false;
        return true;
    }
    return false;
}

bool net_address_parse(const char *text, net_address *out)
{
    char buf[64];
    bool v4;
    return text && trimmed(text, buf, sizeof buf) && parse_exact(buf, out, &v4);
}

bool net_address_of(const struct sockaddr *sa, net_address *out)
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        map_ipv4((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr, out);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

bool net_prefix_parse(const char *text, net_prefix *out)
{
    char buf[80];
    if (!text || !trimmed(text, buf, sizeof buf))
        return false;
    char *slash = strchr(buf, '/');
    if (!slash || !slash[1])
        return false;
    *slash = 0;
    char *end;
    unsigned long bits = strtoul(slash + 1, &end, 10);
    bool v4;
    if (*end || !isdigit((unsigned char)slash[1]) || !parse_exact(buf, &out->addr, &v4))
        return false;
    if (bits > (v4 ? 32u : 128u))
        return false;
    out->bits = (unsigned)bits + (v4 ? 96u : 0u);
    return true;
}

net_prefix net_prefix_host(const net_address *a)
{
    net_prefix p = {*a, 128};
    return p;
}

bool net_prefix_contains(const net_prefix *p, const net_address *a)
{
    unsigned whole = p->bits / 8, rest = p->bits % 8;
    if (memcmp(p->addr.b, a->b, whole))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (p->addr.b[whole] & mask) == (a->b[whole] & mask);
}
