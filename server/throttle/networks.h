/* networks.h — client addresses, and the addresses and CIDR networks that
 * VSPC's SkipIpAddresses and SkipIpNetworks exempt from throttling.
 *
 * An address is kept as 16 bytes: IPv6 as it is, IPv4 in its IPv4-mapped
 * form (::ffff:a.b.c.d), so that 127.0.0.1 and ::ffff:127.0.0.1 (how a
 * dual-stack listener sees an IPv4 client) are one address and an IPv4
 * network matches both. */
#ifndef VSPC_NETWORKS_H
#define VSPC_NETWORKS_H

#include <stdbool.h>
#include <stddef.h>

struct sockaddr;

typedef struct net_address {
    unsigned char b[16];
} net_address;

/* A network: the first `bits` bits (0-128, of the 16-byte form) of addr. */
typedef struct net_prefix {
    net_address addr;
    unsigned bits;
} net_prefix;

/* "10.0.0.1", "::1" (surrounding spaces allowed). */
bool net_address_parse(const char *text, net_address *out);
/* The address of an AF_INET or AF_INET6 peer; false for NULL or another
 * family. */
bool net_address_of(const struct sockaddr *sa, net_address *out);
/* "10.1.0.0/16", "fe80::/10" (spaces allowed around). Host bits may be
 * set, as in the REST overview's own example "192.10.100.14/24": they are
 * ignored. A bare address is not a network. */
bool net_prefix_parse(const char *text, net_prefix *out);
/* One address as a network of one. */
net_prefix net_prefix_host(const net_address *a);
bool net_prefix_contains(const net_prefix *p, const net_address *a);

#endif
