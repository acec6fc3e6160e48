/* ward: internals of the capture layer, shared by its files only. */
#ifndef WARD_CAPTURE_INT_H
#define WARD_CAPTURE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "capture_limits.h"

/* Network-layer facts about the packet being decoded. */
struct cap_pkt {
	int family;               /* 4 or 6 */
	uint8_t src[16], dst[16];
	bool truncated;           /* captured bytes end before the IP packet does */
	int depth;                /* tunnel nesting */
};

/* ---- IP fragment reassembly (frag.c) ---- */

struct frag_dgram;

struct frag_table {
	struct frag_dgram *oldest, *newest; /* in order of the first fragment */
	unsigned n;
	size_t bytes;
};

struct frag_key {
	int family;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;            /* IPv4: part of the key; IPv6: unused */
};

/* Result of a completed reassembly; data is owned by the frag_done and
 * released with frag_done_free(). */
struct frag_done {
	uint8_t *data;
	size_t len;
	uint8_t proto;            /* upper-layer protocol of the datagram */
};

/* Add one fragment carrying payload bytes [off, off+len). `proto` is the
 * next-header/protocol value this fragment announces (IPv6: taken from the
 * fragment at offset 0). Returns 1 and fills *done when the datagram is
 * complete, 0 while incomplete, or a negative ward_err when the fragment was
 * refused (the counters tell). */
int frag_add(struct capture *cap, const struct frag_key *k, uint32_t off,
             bool more, uint8_t proto, const uint8_t *p, size_t len,
             struct frag_done *done);
void frag_done_free(struct frag_done *done);
/* Drop datagrams whose first fragment is older than the time-out. */
void frag_expire(struct capture *cap);
/* Drop everything pending (counted as dropped). */
void frag_clear(struct capture *cap);

/* ---- TCP stream reassembly (tcp.c) ---- */

struct tcp_flow;

struct tcp_table {
	struct tcp_flow **bucket;    /* CAPTURE_TCP_HASH_BUCKETS chains */
	struct tcp_flow *lru_head;   /* most recently active */
	struct tcp_flow *lru_tail;   /* least recently active */
	unsigned n;
	size_t bytes;                /* buffered over all flows */
};

/* One TCP segment (header already parsed by ip.c). */
struct tcp_seg_in {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *data;
	size_t len;
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

int tcp_table_init(struct tcp_table *t);
void tcp_segment_input(struct capture *cap, const struct cap_pkt *pkt,
                       const struct tcp_seg_in *seg);
void tcp_expire(struct capture *cap);
/* Flush every flow (holes become gaps, leftovers are counted) and free. */
void tcp_flush_all(struct capture *cap);
void tcp_table_free(struct tcp_table *t);

/* ---- the context ---- */

struct capture {
	struct capture_config cfg;
	capture_msg_fn cb;
	void *user;
	struct capture_stats st;
	struct frag_table frags;
	struct tcp_table tcp;
	capture_ts now;           /* time of the frame being decoded */
	uint64_t frame_no;
};

static inline int64_t cap_ts_ns(capture_ts t)
{
	/* saturate instead of overflowing on absurd capture times */
	if (t.sec > INT64_MAX / CAPTURE_NS_PER_SEC - 1)
		return INT64_MAX;
	if (t.sec < INT64_MIN / CAPTURE_NS_PER_SEC + 1)
		return INT64_MIN;
	return t.sec * CAPTURE_NS_PER_SEC + (int64_t)(t.nsec % CAPTURE_NS_PER_SEC);
}

/* True when `then` lies more than `timeout` before `now`. */
static inline bool cap_ts_expired(capture_ts then, capture_ts now,
                                  int64_t timeout)
{
	int64_t a = cap_ts_ns(then), b = cap_ts_ns(now);
	if (b <= a)
		return false;
	/* b - a may overflow when the two are far apart: then it has expired */
	if (a < 0 && b > INT64_MAX + a)
		return true;
	return b - a > timeout;
}

/* link.c: decode a link-layer frame down to IP. */
int cap_link_input(struct capture *cap, int linktype, const uint8_t *p,
                   size_t len, bool truncated);
/* ip.c: an IP packet; version 0 = tell by the first nibble. */
int cap_ip_input(struct capture *cap, int version, const uint8_t *p,
                 size_t len, bool truncated, int depth);
/* What a UDP/TCP port pair carries: CAPTURE_DNS, CAPTURE_DHCP or 0. */
int cap_port_kind(const struct capture *cap, uint16_t sport, uint16_t dport,
                  enum capture_transport t);
/* Hand one message to the callback (and count it). */
void cap_emit(struct capture *cap, const struct cap_pkt *pkt, uint16_t sport,
              uint16_t dport, enum capture_transport t, enum capture_kind k,
              const uint8_t *data, size_t len, bool truncated);
/* dnscheck.c: does p[0..len) have the structure of one DNS message (header,
 * counts, names, record framing, ending exactly at len)? Used to find a
 * message boundary in a TCP stream after a hole. */
bool cap_dns_plausible(const uint8_t *p, size_t len);
/* Only the 12-byte header (len = the announced message length). */
bool cap_dns_header_plausible(const uint8_t *hdr, size_t msglen);

#endif
