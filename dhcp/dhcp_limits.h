/* ward DHCP engine: every limit and fixed time in one place (DESIGN.md). */
#ifndef WARD_DHCP_LIMITS_H
#define WARD_DHCP_LIMITS_H

/* Distinct tag names in a configuration (set:, tag:, interface names used
 * as tags, "known"...). A tag set is a bitmap of this many bits. */
#define DHCP_TAGS_MAX 256

/* A declined address (DHCPDECLINE, RFC 2131 §4.3.3) is not offered again
 * for this long; dnsmasq's DECLINE_BACKOFF is 600 s. */
#define DHCP_DECLINE_QUARANTINE 600
/* Declined addresses held at once; past it the oldest hold is dropped. */
#define DHCP_DECLINE_MAX 1024

/* An OFFERed address is held for the client this long (not on disk), so
 * two clients in DISCOVER at the same time are not offered one address. */
#define DHCP_OFFER_HOLD 60
/* Offers held at once; past it an offer is made without holding. */
#define DHCP_OFFER_MAX 4096

/* The shortest lease we give (dnsmasq raises shorter ones to 2 minutes). */
#define DHCP_LEASE_MIN_TIME 120

/* Largest reply we build (UDP payload): an Ethernet frame's worth, also
 * when the client's option 57 allows more. */
#define DHCP_REPLY_MAX 1472

/* Actions one engine call can return (lease changes, names, one packet). */
#define DHCP_OUT_MAX 64
/* Expired leases handled inside one dhcp_engine_input call; the rest are
 * left to dhcp_engine_tick (out->wakeup is then `now`). */
#define DHCP_EXPIRE_BATCH 8

/* Addresses tried when looking for a free one in a range. */
#define DHCP_ADDR_SCAN_MAX (1u << 24)

/* Addresses of one interface passed with a packet. */
#define DHCP_IFADDR_MAX 8

/* A client hostname as we keep it (one DNS label, RFC 1035 §2.3.4). */
#define DHCP_HOSTNAME_LABEL_MAX 63

#endif
