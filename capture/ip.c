/* ward: IPv4 and IPv6 (header checks, extension headers, fragments handed to
 * reassembly, IP-in-IP), then UDP and TCP headers. */
#include <string.h>

#include "capture_int.h"
#include "cursor.h"
#include "error.h"

#define IPV4_MIN_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8
#define TCP_MIN_HDR 20
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff
#define IPV6_FRAG_OFFSET_MASK 0xfff8
#define IPV6_FRAG_MORE 0x0001

enum {
	PROTO_HOPOPTS = 0, PROTO_IPIP = 4, PROTO_TCP = 6, PROTO_UDP = 17,
	PROTO_IPV6 = 41, PROTO_ROUTING = 43, PROTO_FRAGMENT = 44, PROTO_ESP = 50,
	PROTO_AH = 51, PROTO_NONE = 59, PROTO_DSTOPTS = 60, PROTO_MOBILITY = 135,
	PROTO_HIP = 139, PROTO_SHIM6 = 140,
};

/* A header the capture could not hold entirely is "truncated"; one that lies
 * about itself is "malformed". Both drop the packet. */
static int bad_header(struct capture *cap, bool truncated)
{
	if (truncated)
		cap->st.truncated++;
	else
		cap->st.malformed++;
	return WARD_EPKT;
}

static int udp_input(struct capture *cap, const struct cap_pkt *pkt,
                     const uint8_t *p, size_t len)
{
	wire_rd rd = wire_rd_init(p, len);
	uint16_t sport = wire_rd_u16(&rd);
	uint16_t dport = wire_rd_u16(&rd);
	uint16_t ulen = wire_rd_u16(&rd);
	wire_rd_skip(&rd, 2); /* checksum: not checked (offloading) */
	if (rd.err)
		return bad_header(cap, pkt->truncated);
	int kind = cap_port_kind(cap, sport, dport, CAPTURE_UDP);
	if (!kind) {
		cap->st.other++;
		return 0;
	}
	cap->st.udp++;
	size_t avail = wire_rd_left(&rd);
	bool truncated = pkt->truncated;
	if (ulen == 0 && pkt->family == 6) {
		/* RFC 2675 jumbogram: the IPv6 layer gave the length */
	} else if (ulen < UDP_HDR) {
		cap->st.malformed++;
		return WARD_EPKT;
	} else if ((size_t)ulen - UDP_HDR > avail) {
		/* the datagram is longer than what was captured of it */
		if (!truncated)
			cap->st.truncated++;
		truncated = true;
	} else {
		avail = (size_t)ulen - UDP_HDR;
	}
	if (avail == 0)
		return 0; /* an empty datagram carries no message */
	const uint8_t *payload = wire_rd_view(&rd, avail);
	cap_emit(cap, pkt, sport, dport, CAPTURE_UDP, (enum capture_kind)kind,
	         payload, avail, truncated);
	return 0;
}

static int tcp_input(struct capture *cap, const struct cap_pkt *pkt,
                     const uint8_t *p, size_t len)
{
	wire_rd rd = wire_rd_init(p, len);
	struct tcp_seg_in seg;
	seg.sport = wire_rd_u16(&rd);
	seg.dport = wire_rd_u16(&rd);
	seg.seq = wire_rd_u32(&rd);
	seg.ack = wire_rd_u32(&rd);
	uint16_t off_flags = wire_rd_u16(&rd);
	wire_rd_skip(&rd, 6); /* window, checksum, urgent pointer */
	if (rd.err)
		return bad_header(cap, pkt->truncated);
	size_t doff = (size_t)(off_flags >> 12) * 4;
	seg.flags = (uint8_t)(off_flags & 0xff);
	if (doff < TCP_MIN_HDR)
		return bad_header(cap, false);
	wire_rd_skip(&rd, doff - TCP_MIN_HDR); /* options */
	if (rd.err)
		return bad_header(cap, pkt->truncated);
	if (cap_port_kind(cap, seg.sport, seg.dport, CAPTURE_TCP) != CAPTURE_DNS) {
		cap->st.other++;
		return 0;
	}
	cap->st.tcp_segments++;
	seg.len = wire_rd_left(&rd);
	seg.data = wire_rd_view(&rd, seg.len);
	tcp_segment_input(cap, pkt, &seg);
	return 0;
}

static int transport_input(struct capture *cap, const struct cap_pkt *pkt,
                           uint8_t proto, const uint8_t *p, size_t len)
{
	switch (proto) {
	case PROTO_UDP:
		return udp_input(cap, pkt, p, len);
	case PROTO_TCP:
		return tcp_input(cap, pkt, p, len);
	case PROTO_IPIP:
	case PROTO_IPV6:
		if (pkt->depth >= CAPTURE_MAX_TUNNEL_DEPTH) {
			cap->st.malformed++;
			return WARD_ELIMIT;
		}
		return cap_ip_input(cap, proto == PROTO_IPIP ? 4 : 6, p, len,
		                    pkt->truncated, pkt->depth + 1);
	default:
		cap->st.other++;
		return 0;
	}
}

static int ipv4_input(struct capture *cap, const uint8_t *p, size_t len,
                      bool truncated, int depth)
{
	wire_rd rd = wire_rd_init(p, len);
	struct cap_pkt pkt;
	memset(&pkt, 0, sizeof pkt);
	pkt.family = 4;
	pkt.depth = depth;
	uint8_t vihl = wire_rd_u8(&rd);
	wire_rd_skip(&rd, 1); /* DSCP/ECN */
	uint16_t totlen = wire_rd_u16(&rd);
	uint16_t id = wire_rd_u16(&rd);
	uint16_t fragw = wire_rd_u16(&rd);
	wire_rd_skip(&rd, 1); /* TTL */
	uint8_t proto = wire_rd_u8(&rd);
	wire_rd_skip(&rd, 2); /* checksum: not checked (offloading) */
	wire_rd_bytes(&rd, pkt.src, 4);
	wire_rd_bytes(&rd, pkt.dst, 4);
	if (rd.err)
		return bad_header(cap, truncated);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	if (vihl >> 4 != 4 || ihl < IPV4_MIN_HDR)
		return bad_header(cap, false);
	/* total length 0: segmentation offload, the frame gives the length */
	size_t tot = totlen ? totlen : len;
	if (tot < ihl)
		return bad_header(cap, false);
	wire_rd_skip(&rd, ihl - IPV4_MIN_HDR); /* options */
	if (rd.err)
		return bad_header(cap, truncated);
	cap->st.ipv4++;
	if (tot > len) {
		if (!truncated)
			cap->st.truncated++;
		truncated = true;
		tot = len;
	}
	pkt.truncated = truncated;
	size_t plen = tot - ihl;
	const uint8_t *payload = wire_rd_view(&rd, plen);

	uint32_t off = (uint32_t)(fragw & IPV4_OFFSET_MASK) * 8;
	bool more = (fragw & IPV4_MF) != 0;
	if (!off && !more)
		return transport_input(cap, &pkt, proto, payload, plen);

	cap->st.fragments++;
	if (truncated) {
		/* a fragment missing bytes can never complete its datagram; of
		 * the first one, show what the capture kept (as tshark does) */
		if (off == 0)
			return transport_input(cap, &pkt, proto, payload, plen);
		cap->st.frag_dropped++;
		return WARD_EFRAG;
	}
	struct frag_key k;
	memset(&k, 0, sizeof k);
	k.family = 4;
	memcpy(k.src, pkt.src, 4);
	memcpy(k.dst, pkt.dst, 4);
	k.id = id;
	k.proto = proto;
	struct frag_done done;
	int r = frag_add(cap, &k, off, more, proto, payload, plen, &done);
	if (r <= 0)
		return r;
	r = transport_input(cap, &pkt, done.proto, done.data, done.len);
	frag_done_free(&done);
	return r;
}

/* Walk IPv6 extension headers from `nh` over p[0..len) to the upper layer.
 * `reassembled`: p is a rebuilt datagram, where a fragment header may not
 * appear again. */
static int ipv6_walk(struct capture *cap, const struct cap_pkt *pkt, uint8_t nh,
                     const uint8_t *p, size_t len, bool reassembled)
{
	wire_rd rd = wire_rd_init(p, len);
	for (int i = 0; i <= CAPTURE_IPV6_MAX_EXT; i++) {
		switch (nh) {
		case PROTO_HOPOPTS:
		case PROTO_ROUTING:
		case PROTO_DSTOPTS:
		case PROTO_MOBILITY:
		case PROTO_HIP:
		case PROTO_SHIM6: {
			uint8_t next = wire_rd_u8(&rd);
			size_t hlen = ((size_t)wire_rd_u8(&rd) + 1) * 8;
			wire_rd_skip(&rd, hlen - 2);
			if (rd.err)
				return bad_header(cap, pkt->truncated);
			nh = next;
			continue;
		}
		case PROTO_AH: {
			uint8_t next = wire_rd_u8(&rd);
			size_t hlen = ((size_t)wire_rd_u8(&rd) + 2) * 4;
			wire_rd_skip(&rd, hlen - 2);
			if (rd.err)
				return bad_header(cap, pkt->truncated);
			nh = next;
			continue;
		}
		case PROTO_FRAGMENT: {
			uint8_t next = wire_rd_u8(&rd);
			wire_rd_skip(&rd, 1);
			uint16_t offw = wire_rd_u16(&rd);
			uint32_t id = wire_rd_u32(&rd);
			if (rd.err)
				return bad_header(cap, pkt->truncated);
			uint32_t off = offw & IPV6_FRAG_OFFSET_MASK;
			bool more = (offw & IPV6_FRAG_MORE) != 0;
			if (!off && !more) { /* atomic fragment (RFC 6946) */
				nh = next;
				continue;
			}
			if (reassembled)
				return bad_header(cap, false);
			cap->st.fragments++;
			if (pkt->truncated) {
				if (off == 0) {
					size_t rest = wire_rd_left(&rd);
					const uint8_t *up = wire_rd_view(&rd, rest);
					return ipv6_walk(cap, pkt, next, up, rest, true);
				}
				cap->st.frag_dropped++;
				return WARD_EFRAG;
			}
			struct frag_key k;
			memset(&k, 0, sizeof k);
			k.family = 6;
			memcpy(k.src, pkt->src, 16);
			memcpy(k.dst, pkt->dst, 16);
			k.id = id;
			size_t rest = wire_rd_left(&rd);
			const uint8_t *frag = wire_rd_view(&rd, rest);
			struct frag_done done;
			int r = frag_add(cap, &k, off, more, next, frag, rest, &done);
			if (r <= 0)
				return r;
			r = ipv6_walk(cap, pkt, done.proto, done.data, done.len, true);
			frag_done_free(&done);
			return r;
		}
		case PROTO_NONE:
			cap->st.other++;
			return 0;
		case PROTO_ESP:
			cap->st.other++; /* encrypted */
			return 0;
		default: {
			size_t rest = wire_rd_left(&rd);
			const uint8_t *up = wire_rd_view(&rd, rest);
			return transport_input(cap, pkt, nh, up, rest);
		}
		}
	}
	cap->st.malformed++;
	return WARD_ELIMIT;
}

static int ipv6_input(struct capture *cap, const uint8_t *p, size_t len,
                      bool truncated, int depth)
{
	wire_rd rd = wire_rd_init(p, len);
	struct cap_pkt pkt;
	memset(&pkt, 0, sizeof pkt);
	pkt.family = 6;
	pkt.depth = depth;
	uint32_t vtf = wire_rd_u32(&rd);
	uint16_t plen = wire_rd_u16(&rd);
	uint8_t nh = wire_rd_u8(&rd);
	wire_rd_skip(&rd, 1); /* hop limit */
	wire_rd_bytes(&rd, pkt.src, 16);
	wire_rd_bytes(&rd, pkt.dst, 16);
	if (rd.err)
		return bad_header(cap, truncated);
	if (vtf >> 28 != 6)
		return bad_header(cap, false);
	cap->st.ipv6++;
	size_t avail = wire_rd_left(&rd);
	/* payload length 0: a jumbogram or segmentation offload */
	if (plen != 0) {
		if (plen > avail) {
			if (!truncated)
				cap->st.truncated++;
			truncated = true;
		} else {
			avail = plen;
		}
	}
	pkt.truncated = truncated;
	const uint8_t *payload = wire_rd_view(&rd, avail);
	return ipv6_walk(cap, &pkt, nh, payload, avail, false);
}

int cap_ip_input(struct capture *cap, int version, const uint8_t *p,
                 size_t len, bool truncated, int depth)
{
	if (len == 0 || !p)
		return bad_header(cap, truncated);
	int v = p[0] >> 4;
	if (version && v != version)
		return bad_header(cap, false);
	if (v == 4)
		return ipv4_input(cap, p, len, truncated, depth);
	if (v == 6)
		return ipv6_input(cap, p, len, truncated, depth);
	cap->st.non_ip++;
	return WARD_ENOTSUP;
}
