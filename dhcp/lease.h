/* ward DHCP: one lease, as the engine keeps it and the lease file stores it
 * (dnsmasq's lease-file line: "EXPIRY MAC IP HOSTNAME CLIENT-ID").
 * Shared by the sans-I/O engine (dhcp/), the lease-file text codec
 * (dhcp/lease_text.c) and the durable store (daemon/lease_store.c). */
#ifndef WARD_DHCP_LEASE_H
#define WARD_DHCP_LEASE_H

#include <stdbool.h>
#include <stdint.h>

#define DHCP_LEASE_HWADDR_MAX 16    /* chaddr is 16 octets (RFC 2131 §2) */
#define DHCP_LEASE_CLIENTID_MAX 255 /* option 61 length is one octet */
#define DHCP_LEASE_HOSTNAME_MAX 255 /* a DNS name in text (RFC 1035 §2.3.4) */
#define DHCP_LEASE_INFINITE 0       /* expiry 0: infinite, as dnsmasq writes it */

struct dhcp_lease {
	uint32_t ip;                     /* host byte order */
	int64_t expires;                 /* unix seconds, DHCP_LEASE_INFINITE */
	uint8_t htype;                   /* ARP hardware type (1: Ethernet) */
	uint8_t hlen;                    /* octets used in hw[] */
	uint8_t hw[DHCP_LEASE_HWADDR_MAX];
	uint16_t cid_len;                /* 0: no client identifier */
	uint8_t cid[DHCP_LEASE_CLIENTID_MAX];
	char hostname[DHCP_LEASE_HOSTNAME_MAX + 1]; /* "" when none ("*" in the file) */
};

/* A change the engine reports; the daemon makes it durable before it sends
 * the reply that depends on it (an ACK only after the lease is on disk). */
enum dhcp_lease_op {
	DHCP_LEASE_PUT = 1,   /* add or replace the lease for lease.ip */
	DHCP_LEASE_DEL,       /* remove the lease for lease.ip */
};

#endif
