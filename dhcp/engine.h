/* ward DHCP engine: a sans-I/O DHCPv4 server (RFC 2131, 2132) that follows
 * dnsmasq's behaviour and configuration (docs/dhcp.md).
 *
 * The caller hands it a received packet, the interface it arrived on and
 * the time; the engine hands back actions, in the order they must happen:
 *   - lease changes (PUT / DEL of a struct dhcp_lease): make each durable
 *     before acting on anything after it — an ACK always follows the PUT
 *     it depends on;
 *   - name changes (hostname <-> address) for the resolver's local data;
 *   - at most one packet to send, with its destination (RFC 2131 §4.1).
 * and a wake-up time (lease expiry, offer and quarantine holds).
 * No sockets, no clock, no randomness. */
#ifndef WARD_DHCP_ENGINE_H
#define WARD_DHCP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/dhcp_config.h"
#include "dhcp/dhcp_limits.h"
#include "dhcp/lease.h"

typedef struct dhcp_engine dhcp_engine;

/* One IPv4 address of the receiving interface. */
typedef struct dhcp_ifaddr {
	uint32_t addr, netmask;
} dhcp_ifaddr;

/* A received packet and where it came in. */
typedef struct dhcp_rx {
	const uint8_t *pkt;       /* UDP payload */
	size_t len;
	const char *ifname;       /* interface name (also a tag), or NULL */
	dhcp_ifaddr addrs[DHCP_IFADDR_MAX]; /* addrs[0] is the primary one:
	                           * our server identifier on that link */
	size_t naddrs;            /* >= 1 */
	bool unicast;             /* sent to our address, not broadcast */
} dhcp_rx;

enum dhcp_action_kind {
	DHCP_ACT_LEASE = 1,       /* u.lease */
	DHCP_ACT_NAME,            /* u.name */
	DHCP_ACT_SEND,            /* u.send */
};

typedef struct dhcp_act_lease {
	enum dhcp_lease_op op;    /* DHCP_LEASE_PUT / DHCP_LEASE_DEL */
	struct dhcp_lease lease;
} dhcp_act_lease;

/* A name the resolver answers for (A and PTR) while the lease lives:
 * host.domain, and host alone, as dnsmasq does. */
typedef struct dhcp_act_name {
	bool add;                 /* false: remove */
	uint32_t ip;
	char host[DHCP_HOSTNAME_LABEL_MAX + 1];
	char domain[256];         /* "" when no domain= applies */
} dhcp_act_name;

/* How the reply goes out (RFC 2131 §4.1). */
enum dhcp_dest {
	DHCP_DEST_RELAY = 1,      /* to giaddr, UDP port 67 */
	DHCP_DEST_UNICAST,        /* to ciaddr, port 68 */
	DHCP_DEST_BROADCAST,      /* 255.255.255.255 port 68 on the interface */
	DHCP_DEST_HWADDR,         /* to yiaddr, port 68, link-layer unicast to
	                           * chaddr (the client has no address yet:
	                           * needs a raw/packet socket or an ARP entry) */
};

typedef struct dhcp_act_send {
	enum dhcp_dest dest;
	uint32_t ip;              /* destination address (255.255.255.255 for
	                           * BROADCAST) */
	uint16_t port;            /* 67 or 68 */
	uint32_t src;             /* our address to send from (server id) */
	uint8_t htype, hlen;      /* chaddr for DHCP_DEST_HWADDR */
	uint8_t chaddr[16];
	uint8_t msg_type;         /* DHCP_OFFER, DHCP_ACK, DHCP_NAK */
	const uint8_t *pkt;       /* points into dhcp_out.pkt */
	size_t len;
} dhcp_act_send;

typedef struct dhcp_action {
	enum dhcp_action_kind kind;
	union {
		dhcp_act_lease lease;
		dhcp_act_name name;
		dhcp_act_send send;
	} u;
} dhcp_action;

/* What one call produced. Large: keep it in static or heap storage. */
typedef struct dhcp_out {
	size_t n;
	dhcp_action act[DHCP_OUT_MAX];
	int64_t wakeup;           /* call dhcp_engine_tick at this time; 0:
	                           * nothing pending */
	const char *note;         /* why a request got no reply or a NAK
	                           * (static text for the log), or NULL */
	uint8_t pkt[DHCP_REPLY_MAX];
} dhcp_out;

/* Create an engine for cfg (which must outlive it). Returns 0,
 * WARD_EDHCPCFG (a range with start > end, more than DHCP_TAGS_MAX tag
 * names) or WARD_ENOMEM. */
int dhcp_engine_new(const dhcp_config *cfg, dhcp_engine **out);
void dhcp_engine_free(dhcp_engine *e);

/* Insert a lease read from the lease file at start. Leases already
 * expired at `now` are skipped (returns 0); a second lease for the same
 * address replaces the first. WARD_EINVAL for address 0; WARD_ENOMEM. */
int dhcp_engine_lease_load(dhcp_engine *e, const struct dhcp_lease *l,
                           int64_t now);

/* Handle one received packet at `now` (unix seconds). out is reset, then
 * filled. Returns 0 (out may hold no reply: ignored or silent, out->note
 * says why), a codec error for an unparsable packet (WARD_EDHCP, ...), or
 * WARD_EDHCPMSG (not a DHCP client message: op 2, BOOTP, unknown type). */
int dhcp_engine_input(dhcp_engine *e, const dhcp_rx *rx, int64_t now,
                      dhcp_out *out);

/* Expire leases and holds due at `now`: lease DELs and name removals. */
int dhcp_engine_tick(dhcp_engine *e, int64_t now, dhcp_out *out);

/* Remove the active lease on ip the way a DHCPRELEASE of its client does
 * (an administrator's `ward ctl leases delete`): out is reset, then gets
 * the lease DEL and the name removal, and the next wake-up. 0, or
 * WARD_ENOTFOUND when ip has no active lease (out empty). */
int dhcp_engine_lease_delete(dhcp_engine *e, uint32_t ip, int64_t now,
                             dhcp_out *out);

/* Names for the resolver at start: call fn for each lease with a name
 * (what DHCP_ACT_NAME add actions would have said). */
void dhcp_engine_names(const dhcp_engine *e,
                       void (*fn)(void *ctx, const dhcp_act_name *n),
                       void *ctx);

/* Active leases (offers and declined addresses not counted). */
size_t dhcp_engine_lease_count(const dhcp_engine *e);
/* The active lease on ip, or NULL. */
const struct dhcp_lease *dhcp_engine_lease_find(const dhcp_engine *e,
                                                uint32_t ip);
/* Call fn for every active lease (for compacting the lease file). */
void dhcp_engine_lease_foreach(const dhcp_engine *e,
                               void (*fn)(void *ctx, const struct dhcp_lease *l),
                               void *ctx);
/* Is ip held (declined address in quarantine, or an offer)? */
bool dhcp_engine_addr_held(const dhcp_engine *e, uint32_t ip, int64_t now);

#endif
