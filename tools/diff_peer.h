/* ward toolkit: peer resolvers started for ward diff --against: Unbound,
 * dnsmasq or Knot Resolver (and wardd for the dnsmasq migration check),
 * each from a temporary configuration in a temporary directory, on
 * 127.0.0.1 and a free high port, wired to a given upstream:
 *  - the testbed (root hints and trust anchor: recursive; dnsmasq forwards
 *    to the testbed's Unbound as the testbed's own dnsmasq does), or
 *  - a dnsmasq configuration: its `server=IP[#PORT]` lines (and its
 *    `trust-anchor=` lines); dnsmasq and wardd run from a copy of the file
 *    itself with the listening address, port, process and DHCP lines
 *    replaced.
 * Every peer is stopped by its pid (peer_stop, also from a signal handler
 * through peer_stop_all) and its directory removed. */
#ifndef WARD_TOOLS_DIFF_PEER_H
#define WARD_TOOLS_DIFF_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diagnose/dns_transport.h"

enum peer_kind { PEER_UNBOUND, PEER_DNSMASQ, PEER_KRESD, PEER_WARDD };

#define PEER_START_TIMEOUT_MS 10000
#define PEER_MAX_UPSTREAMS 8

struct peer_upstream {
	const char *root_hints;   /* testbed: recursive from these hints */
	const char *anchor;       /* testbed: DS of the root KSK (zone format) */
	const char *dnsmasq_anchor; /* testbed: trust-anchor= line file */
	const char *tb_unbound;   /* testbed: where a dnsmasq peer forwards */
	const char *conf;         /* a dnsmasq configuration (instead) */
};

struct peer {
	enum peer_kind kind;
	pid_t pid;
	char dir[64];
	struct dns_server addr;
	char label[128];          /* "unbound 127.0.0.1#40123" */
};

/* "unbound", "dnsmasq", "kresd" (not wardd); -1 otherwise. */
int peer_kind_parse(const char *s, enum peer_kind *k);
const char *peer_kind_name(enum peer_kind k);

/* Start a peer and wait until it answers. 0, or -1 with a reason in err
 * (nothing left running). */
int peer_start(struct peer *p, enum peer_kind k, const struct peer_upstream *u,
               char *err, size_t errlen);
/* TERM, KILL after 3 s, reap, remove the directory. Safe twice. */
void peer_stop(struct peer *p);
/* Async-signal-safe: SIGKILL to every running peer (for signal handlers). */
void peer_kill_all(void);

#endif
