/* ward: DNS and DHCP messages out of packet captures.
 *
 * A sans-I/O core: the caller hands in frames (capture time, link-layer type,
 * bytes) and the core calls back once per DNS or DHCP message it finds, after
 * link-layer decoding (Ethernet with stacked VLAN tags, Linux SLL/SLL2, raw
 * IP, BSD loopback, MPLS, PPPoE), IPv4/IPv6 (extension headers, fragment
 * reassembly, IP-in-IP) and UDP or TCP (per-flow stream reassembly, RFC 7766
 * length-prefixed framing). capture_file_read() is the thin libpcap wrapper.
 *
 * Port rule: a UDP datagram or TCP stream is DNS when either port is 53 or
 * one of the configured extra ports (none by default; 8053 is a common test
 * port). mDNS (5353) and LLMNR (5355) are not unicast DNS and are not taken.
 * UDP to/from 67 or 68 is DHCPv4 (BOOTP); DHCPv6 is not extracted.
 *
 * Every limit is bounded (limits.h) and every time-out runs on capture time,
 * never the wall clock, so the same capture always gives the same output. */
#ifndef WARD_CAPTURE_H
#define WARD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link-layer types accepted by capture_frame(): libpcap DLT_ values and the
 * pcap-file LINKTYPE_ values where they differ. */
enum capture_link {
	CAPTURE_LINK_NULL = 0,       /* BSD loopback, family in host order */
	CAPTURE_LINK_ETHERNET = 1,   /* DLT_EN10MB */
	CAPTURE_LINK_RAW = 12,       /* DLT_RAW (Linux value) */
	CAPTURE_LINK_RAW_BSD = 14,   /* DLT_RAW on OpenBSD */
	CAPTURE_LINK_LINKTYPE_RAW = 101,
	CAPTURE_LINK_LOOP = 108,     /* OpenBSD loopback, family in network order */
	CAPTURE_LINK_SLL = 113,      /* Linux cooked v1 */
	CAPTURE_LINK_IPV4 = 228,
	CAPTURE_LINK_IPV6 = 229,
	CAPTURE_LINK_SLL2 = 276,     /* Linux cooked v2 */
};

/* Capture time: seconds and nanoseconds since the epoch. */
typedef struct capture_ts {
	int64_t sec;
	uint32_t nsec;
} capture_ts;

enum capture_transport { CAPTURE_UDP = 17, CAPTURE_TCP = 6 };
enum capture_kind { CAPTURE_DNS = 1, CAPTURE_DHCP = 2 };

/* One extracted message; every pointer is valid only during the callback. */
struct capture_msg {
	capture_ts ts;            /* time of the frame that completed it */
	uint64_t frame;           /* that frame's number, 1-based */
	int family;               /* 4 or 6 */
	uint8_t src[16], dst[16]; /* IPv4 addresses use the first 4 bytes */
	uint16_t sport, dport;
	enum capture_transport transport;
	enum capture_kind kind;
	const uint8_t *data;      /* the DNS message (TCP: without the length */
	size_t len;               /* prefix) or the BOOTP/DHCP message */
	bool truncated;           /* the capture held fewer bytes than the UDP/IP
	                             headers announced (snap length, cut file) */
};

typedef void (*capture_msg_fn)(const struct capture_msg *msg, void *user);

/* Counters, all monotonic over the life of a capture_t. */
struct capture_stats {
	uint64_t frames;          /* frames handed in */
	uint64_t bytes;           /* their captured bytes */
	uint64_t non_ip;          /* link layer fine, payload not IP (ARP, ...) */
	uint64_t bad_link;        /* unsupported link type or truncated link header */
	uint64_t malformed;       /* bad IPv4/IPv6/UDP/TCP header, dropped */
	uint64_t truncated;       /* packets cut short by the capture */
	uint64_t ipv4, ipv6;      /* IP packets seen (outer and tunnelled) */
	uint64_t other;           /* IP packets that carry neither DNS nor DHCP */
	uint64_t fragments;       /* IP fragments seen */
	uint64_t reassembled;     /* datagrams rebuilt from fragments */
	uint64_t frag_dropped;    /* pending datagrams given up: time-out, limits,
	                             inconsistent or overlapping (IPv6) fragments,
	                             still incomplete at the end */
	uint64_t frag_overlaps;   /* fragments overlapping data already held */
	uint64_t udp;             /* UDP datagrams on DNS/DHCP ports */
	uint64_t tcp_segments;    /* TCP segments on DNS ports */
	uint64_t tcp_flows;       /* TCP flows tracked */
	uint64_t tcp_out_of_order;/* segments held until the bytes before arrived */
	uint64_t tcp_retransmits; /* segments (or parts) already seen, ignored */
	uint64_t tcp_gaps;        /* holes given up on (bytes never captured) */
	uint64_t tcp_lost_bytes;  /* stream bytes in those holes */
	uint64_t tcp_skipped;     /* captured stream bytes skipped while looking for
	                             a message boundary after a hole */
	uint64_t tcp_incomplete;  /* messages cut off by a hole, FIN/RST or the end */
	uint64_t tcp_evicted;     /* flows dropped early (flow or memory limit) */
	uint64_t dns;             /* DNS messages handed to the callback */
	uint64_t dhcp;            /* DHCP messages handed to the callback */
};

/* Tunables; capture_config_default() fills in the limits.h values. */
struct capture_config {
	uint16_t dns_ports[8];    /* extra DNS ports besides 53 */
	unsigned n_dns_ports;
	unsigned frag_max_pending;   /* datagrams being reassembled at once */
	size_t frag_max_bytes;       /* bytes held for them in total */
	int64_t frag_timeout_ns;
	unsigned tcp_max_flows;
	size_t tcp_max_bytes;        /* bytes buffered over all flows */
	int64_t tcp_flow_timeout_ns; /* idle flows are flushed and dropped */
	int64_t tcp_hole_timeout_ns; /* a hole older than this is a gap */
};

typedef struct capture capture_t;

void capture_config_default(struct capture_config *cfg);
/* Add an extra DNS port; WARD_ELIMIT when the table is full. */
int capture_config_add_dns_port(struct capture_config *cfg, uint16_t port);

/* A new context (cfg NULL = defaults); NULL when out of memory. */
capture_t *capture_new(const struct capture_config *cfg, capture_msg_fn cb,
                       void *user);
void capture_free(capture_t *cap);

/* True when capture_frame() decodes this link-layer type. */
bool capture_link_supported(int linktype);

/* Feed one frame: caplen bytes were captured of a wirelen-byte frame.
 * Returns 0, or a negative ward_err saying why the frame gave nothing
 * (WARD_ELINKTYPE, WARD_EPKT, ...); the counters say the same. Running out
 * of memory drops data, which the counters show (lost bytes, evictions,
 * dropped fragments); it never stops the capture. */
int capture_frame(capture_t *cap, capture_ts ts, int linktype,
                  const uint8_t *frame, size_t caplen, size_t wirelen);

/* End of input: give up on every hole, deliver what can still be framed,
 * count what is left incomplete, and free all pending state. */
void capture_flush(capture_t *cap);

const struct capture_stats *capture_get_stats(const capture_t *cap);

/* Read a pcap or pcapng file with libpcap and feed every frame, then flush.
 * Returns 0; WARD_EPCAP when the file cannot be opened or is not a capture,
 * WARD_ELINKTYPE when its link-layer type is not supported (nothing was fed
 * in both cases); WARD_ETRUNC when reading stopped early on a damaged file
 * (what came before was fed). err gets a one-line reason. */
int capture_file_read(capture_t *cap, const char *path, char *err,
                      size_t errlen);

#endif
