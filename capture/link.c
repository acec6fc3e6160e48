/* ward: link-layer decoding down to the IP packet — Ethernet (802.3/LLC-SNAP,
 * stacked 802.1Q/802.1ad tags), Linux cooked v1/v2, BSD loopback in either
 * byte order, raw IP, MPLS and PPPoE sessions on top of those. */
#include "capture_int.h"
#include "cursor.h"
#include "error.h"

#define ETH_ADDRS_LEN 12
#define ETH_MAX_LENGTH_FIELD 1500   /* <= this: IEEE 802.3 length, not a type */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_VLAN 0x8100       /* 802.1Q */
#define ETHERTYPE_QINQ 0x88A8       /* 802.1ad */
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MC 0x8848
#define ETHERTYPE_PPPOE 0x8864
#define LLC_SNAP_SAP 0xAA
#define LLC_UI 0x03
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057
#define MPLS_BOTTOM 0x100           /* bottom-of-stack bit in a label entry */
#define SLL_HDR_SKIP 14             /* pkttype, hatype, halen, 8 address bytes */
#define SLL2_HDR_SKIP 18            /* after the protocol: reserved, ifindex, hatype, pkttype, halen, address */
/* address families found in DLT_NULL/DLT_LOOP headers */
#define BSD_AF_INET 2
#define BSD_AF_INET6_LINUX 10
#define BSD_AF_INET6_BSD 24
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

static int link_bad(struct capture *cap)
{
	cap->st.bad_link++;
	return WARD_EPKT;
}

static int non_ip(struct capture *cap)
{
	cap->st.non_ip++;
	return WARD_ENOTSUP;
}

/* The rest of the reader holds an IP packet of the given version (0: any). */
static int to_ip(struct capture *cap, wire_rd *rd, int version, bool truncated)
{
	if (rd->err)
		return link_bad(cap);
	size_t left = wire_rd_left(rd);
	const uint8_t *p = wire_rd_view(rd, left);
	return cap_ip_input(cap, version, p, left, truncated, 0);
}

static int mpls_input(struct capture *cap, wire_rd *rd, bool truncated)
{
	for (int i = 0; i < CAPTURE_MAX_MPLS_LABELS; i++) {
		uint32_t entry = wire_rd_u32(rd);
		if (rd->err)
			return link_bad(cap);
		if (entry & MPLS_BOTTOM) {
			if (wire_rd_left(rd) == 0)
				return non_ip(cap);
			uint8_t v = wire_rd_peek(rd) >> 4;
			if (v != 4 && v != 6)
				return non_ip(cap); /* pseudowire, control word, ... */
			return to_ip(cap, rd, v, truncated);
		}
	}
	return link_bad(cap);
}

static int pppoe_input(struct capture *cap, wire_rd *rd, bool truncated)
{
	wire_rd_skip(rd, 4);               /* version/type, code, session id */
	uint16_t plen = wire_rd_u16(rd);   /* PPP protocol + payload */
	uint16_t proto = wire_rd_u16(rd);
	if (rd->err || plen < 2)
		return link_bad(cap);
	if (wire_rd_left(rd) > (size_t)plen - 2)
		wire_rd_limit(rd, (size_t)plen - 2); /* trim Ethernet padding */
	if (proto == PPP_IPV4)
		return to_ip(cap, rd, 4, truncated);
	if (proto == PPP_IPV6)
		return to_ip(cap, rd, 6, truncated);
	return non_ip(cap);
}

static bool is_vlan(uint16_t et)
{
	return et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ || et == ETHERTYPE_QINQ_OLD;
}

/* `et` was just read; the reader is at the payload it announces. */
static int ethertype_input(struct capture *cap, uint16_t et, wire_rd *rd,
                           bool truncated)
{
	for (int tags = 0; is_vlan(et); tags++) {
		if (tags >= CAPTURE_MAX_VLAN_TAGS)
			return link_bad(cap);
		wire_rd_skip(rd, 2); /* priority, DEI, VLAN id */
		et = wire_rd_u16(rd);
		if (rd->err)
			return link_bad(cap);
	}
	switch (et) {
	case ETHERTYPE_IPV4: return to_ip(cap, rd, 4, truncated);
	case ETHERTYPE_IPV6: return to_ip(cap, rd, 6, truncated);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MC: return mpls_input(cap, rd, truncated);
	case ETHERTYPE_PPPOE: return pppoe_input(cap, rd, truncated);
	default: return non_ip(cap);
	}
}

static int ethernet_input(struct capture *cap, wire_rd *rd, bool truncated)
{
	wire_rd_skip(rd, ETH_ADDRS_LEN);
	uint16_t et = wire_rd_u16(rd);
	if (rd->err)
		return link_bad(cap);
	if (et <= ETH_MAX_LENGTH_FIELD) {
		/* IEEE 802.3 + 802.2 LLC; only SNAP carries an EtherType */
		uint8_t dsap = wire_rd_u8(rd), ssap = wire_rd_u8(rd);
		uint8_t ctl = wire_rd_u8(rd);
		if (rd->err)
			return link_bad(cap);
		if (dsap != LLC_SNAP_SAP || ssap != LLC_SNAP_SAP || ctl != LLC_UI)
			return non_ip(cap);
		wire_rd_skip(rd, 3); /* OUI */
		et = wire_rd_u16(rd);
		if (rd->err)
			return link_bad(cap);
	}
	return ethertype_input(cap, et, rd, truncated);
}

static int family_input(struct capture *cap, uint32_t family, wire_rd *rd,
                        bool truncated)
{
	switch (family) {
	case BSD_AF_INET: return to_ip(cap, rd, 4, truncated);
	case BSD_AF_INET6_LINUX:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN: return to_ip(cap, rd, 6, truncated);
	default: return non_ip(cap);
	}
}

/* DLT_NULL: a 4-byte address family in the byte order of the machine that
 * captured; family values are small, so the zero half tells the order. */
static int null_input(struct capture *cap, wire_rd *rd, bool truncated)
{
	uint8_t b[4];
	wire_rd_bytes(rd, b, sizeof b);
	if (rd->err)
		return link_bad(cap);
	uint32_t family;
	if (b[0] == 0 && b[1] == 0)
		family = ((uint32_t)b[2] << 8) | b[3];
	else
		family = ((uint32_t)b[1] << 8) | b[0];
	return family_input(cap, family, rd, truncated);
}

bool capture_link_supported(int linktype)
{
	switch (linktype) {
	case CAPTURE_LINK_NULL:
	case CAPTURE_LINK_ETHERNET:
	case CAPTURE_LINK_RAW:
	case CAPTURE_LINK_RAW_BSD:
	case CAPTURE_LINK_LINKTYPE_RAW:
	case CAPTURE_LINK_LOOP:
	case CAPTURE_LINK_SLL:
	case CAPTURE_LINK_IPV4:
	case CAPTURE_LINK_IPV6:
	case CAPTURE_LINK_SLL2:
		return true;
	default:
		return false;
	}
}

int cap_link_input(struct capture *cap, int linktype, const uint8_t *p,
                   size_t len, bool truncated)
{
	wire_rd rd = wire_rd_init(p, len);
	switch (linktype) {
	case CAPTURE_LINK_ETHERNET:
		return ethernet_input(cap, &rd, truncated);
	case CAPTURE_LINK_SLL: {
		wire_rd_skip(&rd, SLL_HDR_SKIP);
		uint16_t proto = wire_rd_u16(&rd);
		if (rd.err)
			return link_bad(cap);
		return ethertype_input(cap, proto, &rd, truncated);
	}
	case CAPTURE_LINK_SLL2: {
		uint16_t proto = wire_rd_u16(&rd);
		wire_rd_skip(&rd, SLL2_HDR_SKIP);
		if (rd.err)
			return link_bad(cap);
		return ethertype_input(cap, proto, &rd, truncated);
	}
	case CAPTURE_LINK_NULL:
		return null_input(cap, &rd, truncated);
	case CAPTURE_LINK_LOOP: {
		uint32_t family = wire_rd_u32(&rd);
		if (rd.err)
			return link_bad(cap);
		return family_input(cap, family, &rd, truncated);
	}
	case CAPTURE_LINK_RAW:
	case CAPTURE_LINK_RAW_BSD:
	case CAPTURE_LINK_LINKTYPE_RAW:
		return to_ip(cap, &rd, 0, truncated);
	case CAPTURE_LINK_IPV4:
		return to_ip(cap, &rd, 4, truncated);
	case CAPTURE_LINK_IPV6:
		return to_ip(cap, &rd, 6, truncated);
	default:
		cap->st.bad_link++;
		return WARD_ELINKTYPE;
	}
}
