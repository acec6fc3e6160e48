/* Unit tests: capture/ — link layers, IPv4/IPv6 fragment reassembly, TCP
 * stream reassembly and DNS framing, on frames built here byte by byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture/capture.h"
#include "codec/cursor.h"

/* ---- collecting what the core hands out ---- */

#define MAX_MSGS 16
struct got_msg {
	int family;
	uint16_t sport, dport;
	enum capture_transport transport;
	enum capture_kind kind;
	bool truncated;
	size_t len;
	uint8_t data[2048];
};

struct got {
	unsigned n;
	struct got_msg m[MAX_MSGS];
};

static void collect(const struct capture_msg *msg, void *user)
{
	struct got *g = user;
	assert_true(g->n < MAX_MSGS);
	struct got_msg *o = &g->m[g->n++];
	o->family = msg->family;
	o->sport = msg->sport;
	o->dport = msg->dport;
	o->transport = msg->transport;
	o->kind = msg->kind;
	o->truncated = msg->truncated;
	o->len = msg->len;
	assert_true(msg->len <= sizeof o->data);
	memcpy(o->data, msg->data, msg->len);
}

static capture_t *new_cap(struct got *g, const struct capture_config *cfg)
{
	memset(g, 0, sizeof *g);
	capture_t *cap = capture_new(cfg, collect, g);
	assert_non_null(cap);
	return cap;
}

static capture_ts at(int64_t sec)
{
	capture_ts t = { sec, 0 };
	return t;
}

static int feed(capture_t *cap, int64_t sec, int link, const uint8_t *f,
                size_t len)
{
	return capture_frame(cap, at(sec), link, f, len, len);
}

/* ---- building frames ---- */

static const uint8_t IP4_A[4] = { 192, 0, 2, 1 };
static const uint8_t IP4_B[4] = { 192, 0, 2, 53 };
static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };

/* A DNS query for example.com. A IN with the given id (29 octets). */
static size_t dns_query(uint8_t *out, uint16_t id)
{
	static const uint8_t q[] = {
		0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0, 1, 0, 1,
	};
	memcpy(out, q, sizeof q);
	out[0] = (uint8_t)(id >> 8);
	out[1] = (uint8_t)id;
	return sizeof q;
}

static size_t udp(uint8_t *out, uint16_t sport, uint16_t dport,
                  const uint8_t *payload, size_t len)
{
	wire_wr w = wire_wr_init(out, 8 + len);
	wire_wr_u16(&w, sport);
	wire_wr_u16(&w, dport);
	wire_wr_u16(&w, (uint16_t)(8 + len));
	wire_wr_u16(&w, 0);
	wire_wr_bytes(&w, payload, len);
	assert_int_equal(w.err, 0);
	return w.pos;
}

#define TF_FIN 0x01
#define TF_SYN 0x02
#define TF_RST 0x04
#define TF_PSH 0x08
#define TF_ACK 0x10

static size_t tcp(uint8_t *out, uint16_t sport, uint16_t dport, uint32_t seq,
                  uint32_t ack, uint8_t flags, const uint8_t *payload,
                  size_t len)
{
	wire_wr w = wire_wr_init(out, 20 + len);
	wire_wr_u16(&w, sport);
	wire_wr_u16(&w, dport);
	wire_wr_u32(&w, seq);
	wire_wr_u32(&w, ack);
	wire_wr_u16(&w, (uint16_t)(5u << 12 | flags));
	wire_wr_u16(&w, 65535);
	wire_wr_u32(&w, 0);
	wire_wr_bytes(&w, payload, len);
	assert_int_equal(w.err, 0);
	return w.pos;
}

/* IPv4 header + payload; frag_off in bytes (multiple of 8). */
static size_t ipv4(uint8_t *out, const uint8_t *src, const uint8_t *dst,
                   uint8_t proto, uint16_t id, uint32_t frag_off, bool mf,
                   const uint8_t *payload, size_t len)
{
	wire_wr w = wire_wr_init(out, 20 + len);
	wire_wr_u8(&w, 0x45);
	wire_wr_u8(&w, 0);
	wire_wr_u16(&w, (uint16_t)(20 + len));
	wire_wr_u16(&w, id);
	wire_wr_u16(&w, (uint16_t)((mf ? 0x2000 : 0) | (frag_off / 8)));
	wire_wr_u8(&w, 64);
	wire_wr_u8(&w, proto);
	wire_wr_u16(&w, 0);
	wire_wr_bytes(&w, src, 4);
	wire_wr_bytes(&w, dst, 4);
	wire_wr_bytes(&w, payload, len);
	assert_int_equal(w.err, 0);
	return w.pos;
}

/* IPv6 header, then (optionally) a hop-by-hop header and a fragment header,
 * then the payload. frag: 0 none, else offset+1 (so offset 0 is 1). */
static size_t ipv6(uint8_t *out, uint8_t nh, bool hopopts, uint32_t frag,
                   bool more, uint32_t id, const uint8_t *payload, size_t len)
{
	size_t ext = (hopopts ? 8 : 0) + (frag ? 8 : 0);
	wire_wr w = wire_wr_init(out, 40 + ext + len);
	wire_wr_u32(&w, 0x60000000u);
	wire_wr_u16(&w, (uint16_t)(ext + len));
	uint8_t first = hopopts ? 0 : frag ? 44 : nh;
	wire_wr_u8(&w, first);
	wire_wr_u8(&w, 64);
	wire_wr_bytes(&w, IP6_A, 16);
	wire_wr_bytes(&w, IP6_B, 16);
	if (hopopts) {
		wire_wr_u8(&w, frag ? 44 : nh);
		wire_wr_u8(&w, 0);            /* 8 octets */
		static const uint8_t padn[6] = { 1, 4, 0, 0, 0, 0 };
		wire_wr_bytes(&w, padn, sizeof padn);
	}
	if (frag) {
		wire_wr_u8(&w, nh);
		wire_wr_u8(&w, 0);
		wire_wr_u16(&w, (uint16_t)(((frag - 1) & 0xfff8) | (more ? 1 : 0)));
		wire_wr_u32(&w, id);
	}
	wire_wr_bytes(&w, payload, len);
	assert_int_equal(w.err, 0);
	return w.pos;
}

/* Ethernet with VLAN tags (TPIDs given, 0-terminated) around a payload. */
static size_t ether(uint8_t *out, const uint16_t *tpids, uint16_t ethertype,
                    const uint8_t *payload, size_t len)
{
	wire_wr w = wire_wr_init(out, 2048);
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	wire_wr_bytes(&w, macs, sizeof macs);
	for (; tpids && *tpids; tpids++) {
		wire_wr_u16(&w, *tpids);
		wire_wr_u16(&w, 100); /* VLAN id */
	}
	wire_wr_u16(&w, ethertype);
	wire_wr_bytes(&w, payload, len);
	assert_int_equal(w.err, 0);
	return w.pos;
}

/* A raw IPv4 UDP DNS query frame. */
static size_t dns_udp4(uint8_t *out, uint16_t id, uint16_t dport)
{
	uint8_t q[64], u[128];
	size_t n = dns_query(q, id);
	n = udp(u, 40000, dport, q, n);
	return ipv4(out, IP4_A, IP4_B, 17, id, 0, false, u, n);
}

/* ---- link layers ---- */

static void test_raw_ipv4_udp(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t f[256], q[64];
	size_t n = dns_udp4(f, 0x1234, 53);
	assert_int_equal(feed(cap, 1, CAPTURE_LINK_RAW, f, n), 0);
	assert_int_equal(g.n, 1);
	size_t qn = dns_query(q, 0x1234);
	assert_int_equal(g.m[0].len, qn);
	assert_memory_equal(g.m[0].data, q, qn);
	assert_int_equal(g.m[0].transport, CAPTURE_UDP);
	assert_int_equal(g.m[0].kind, CAPTURE_DNS);
	assert_int_equal(g.m[0].dport, 53);
	assert_int_equal(g.m[0].family, 4);
	/* the same on other link types meaning "raw IP" */
	assert_int_equal(feed(cap, 1, CAPTURE_LINK_IPV4, f, n), 0);
	assert_int_equal(feed(cap, 1, CAPTURE_LINK_LINKTYPE_RAW, f, n), 0);
	assert_int_equal(g.n, 3);
	/* not DNS on 54; extra port only when configured */
	n = dns_udp4(f, 1, 8053);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 3);
	capture_free(cap);

	struct capture_config cfg;
	capture_config_default(&cfg);
	assert_int_equal(capture_config_add_dns_port(&cfg, 8053), 0);
	cap = new_cap(&g, &cfg);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 1);
	capture_free(cap);
}

static void test_vlan_stacked(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t ip[256], f[512];
	size_t n = dns_udp4(ip, 7, 53);
	static const uint16_t one[] = { 0x8100, 0 };
	static const uint16_t two[] = { 0x88a8, 0x8100, 0 };
	static const uint16_t three[] = { 0x9100, 0x88a8, 0x8100, 0 };
	size_t fn = ether(f, NULL, 0x0800, ip, n);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	fn = ether(f, one, 0x0800, ip, n);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	fn = ether(f, two, 0x0800, ip, n);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	fn = ether(f, three, 0x0800, ip, n);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	assert_int_equal(g.n, 4);
	/* ARP is not IP; a tag with nothing after it is a bad link header */
	fn = ether(f, NULL, 0x0806, ip, 28);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	fn = ether(f, one, 0x0800, ip, 0);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, 14 + 2);
	assert_int_equal(g.n, 4);
	const struct capture_stats *s = capture_get_stats(cap);
	assert_int_equal(s->non_ip, 1);
	assert_int_equal(s->bad_link, 1);
	capture_free(cap);
}

static void test_sll_sll2_null_loop(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t ip[256], f[512];
	size_t n = dns_udp4(ip, 9, 53);

	/* Linux cooked v1: 14 octets, then the protocol */
	memset(f, 0, 16);
	f[14] = 0x08;
	memcpy(f + 16, ip, n);
	feed(cap, 1, CAPTURE_LINK_SLL, f, 16 + n);
	/* v2: protocol first, then 18 octets */
	memset(f, 0, 20);
	f[0] = 0x08;
	memcpy(f + 20, ip, n);
	feed(cap, 1, CAPTURE_LINK_SLL2, f, 20 + n);
	/* DLT_NULL, AF_INET written little- and big-endian */
	static const uint8_t le[4] = { 2, 0, 0, 0 }, be[4] = { 0, 0, 0, 2 };
	memcpy(f, le, 4);
	memcpy(f + 4, ip, n);
	feed(cap, 1, CAPTURE_LINK_NULL, f, 4 + n);
	memcpy(f, be, 4);
	feed(cap, 1, CAPTURE_LINK_NULL, f, 4 + n);
	/* DLT_LOOP: network order */
	feed(cap, 1, CAPTURE_LINK_LOOP, f, 4 + n);
	assert_int_equal(g.n, 5);
	/* an unknown family, an unknown link type */
	f[3] = 99;
	feed(cap, 1, CAPTURE_LINK_LOOP, f, 4 + n);
	assert_int_equal(feed(cap, 1, 147, f, 4 + n), WARD_ELINKTYPE);
	assert_int_equal(g.n, 5);
	capture_free(cap);
}

static void test_mpls_pppoe(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t ip[256], inner[512], f[600];
	size_t n = dns_udp4(ip, 11, 53);
	/* two MPLS labels, the second bottom of stack */
	static const uint8_t labels[8] = { 0, 0x10, 0x00, 0x40, 0, 0x20, 0x01, 0x40 };
	memcpy(inner, labels, 8);
	memcpy(inner + 8, ip, n);
	size_t fn = ether(f, NULL, 0x8847, inner, 8 + n);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	/* PPPoE session, PPP protocol IPv4, then Ethernet padding */
	static const uint8_t pppoe[6] = { 0x11, 0x00, 0x12, 0x34, 0, 0 };
	memcpy(inner, pppoe, 6);
	inner[4] = (uint8_t)((n + 2) >> 8);
	inner[5] = (uint8_t)(n + 2);
	inner[6] = 0x00;
	inner[7] = 0x21;
	memcpy(inner + 8, ip, n);
	memset(inner + 8 + n, 0, 10);
	fn = ether(f, NULL, 0x8864, inner, 8 + n + 10);
	feed(cap, 1, CAPTURE_LINK_ETHERNET, f, fn);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[1].len, 29);
	capture_free(cap);
}

/* ---- IPv4 fragments ---- */

/* A UDP DNS datagram (header + 29-octet query + padding to 72 octets of
 * UDP payload... kept simple: 8 + 64) cut in three fragments of 24 octets. */
struct frags {
	uint8_t udp[128];
	size_t len;
	uint8_t f[3][128];
	size_t flen[3];
};

static void make_frags(struct frags *fr, uint16_t id, const uint8_t *src)
{
	uint8_t q[64];
	size_t qn = dns_query(q, id);
	memset(q + qn, 0, sizeof q - qn);
	/* 64 octets of "DNS" (a query plus zero padding: trailing bytes) */
	fr->len = udp(fr->udp, 40000, 53, q, 64);
	assert_int_equal(fr->len, 72);
	for (int i = 0; i < 3; i++)
		fr->flen[i] = ipv4(fr->f[i], src, IP4_B, 17, id, (uint32_t)i * 24,
		                   i < 2, fr->udp + i * 24, 24);
}

static void test_ipv4_frags_in_order(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct frags fr;
	make_frags(&fr, 0x100, IP4_A);
	for (int i = 0; i < 3; i++)
		feed(cap, 1, CAPTURE_LINK_RAW, fr.f[i], fr.flen[i]);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.m[0].len, 64);
	assert_memory_equal(g.m[0].data, fr.udp + 8, 64);
	const struct capture_stats *s = capture_get_stats(cap);
	assert_int_equal(s->fragments, 3);
	assert_int_equal(s->reassembled, 1);
	capture_free(cap);
}

static void test_ipv4_frags_out_of_order(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct frags fr;
	make_frags(&fr, 0x200, IP4_A);
	static const int order[3] = { 2, 0, 1 };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(g.n, 0);
		feed(cap, 1, CAPTURE_LINK_RAW, fr.f[order[i]], fr.flen[order[i]]);
	}
	assert_int_equal(g.n, 1);
	assert_memory_equal(g.m[0].data, fr.udp + 8, 64);
	/* a duplicate of a fragment after completion starts a new datagram that
	 * never completes: dropped at the end */
	feed(cap, 2, CAPTURE_LINK_RAW, fr.f[1], fr.flen[1]);
	capture_flush(cap);
	assert_int_equal(g.n, 1);
	assert_int_equal(capture_get_stats(cap)->frag_dropped, 1);
	capture_free(cap);
}

static void test_ipv4_frags_overlap(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct frags fr;
	make_frags(&fr, 0x300, IP4_A);
	/* a rogue fragment covering 16..40 with different bytes arrives after
	 * the first one: bytes 16..24 are kept from the first, 24..40 come
	 * from the rogue one (nothing held there yet), later arrivals do not
	 * overwrite them */
	uint8_t bogus[24], rf[64];
	memset(bogus, 0xEE, sizeof bogus);
	size_t rn = ipv4(rf, IP4_A, IP4_B, 17, 0x300, 16, true, bogus, 24);
	feed(cap, 1, CAPTURE_LINK_RAW, fr.f[0], fr.flen[0]);
	feed(cap, 1, CAPTURE_LINK_RAW, rf, rn);
	feed(cap, 1, CAPTURE_LINK_RAW, fr.f[1], fr.flen[1]);
	feed(cap, 1, CAPTURE_LINK_RAW, fr.f[2], fr.flen[2]);
	assert_int_equal(g.n, 1);
	uint8_t want[72];
	memcpy(want, fr.udp, 72);
	memset(want + 24, 0xEE, 16);
	assert_memory_equal(g.m[0].data, want + 8, 64);
	assert_true(capture_get_stats(cap)->frag_overlaps >= 2);
	capture_free(cap);
}

static void test_ipv4_frags_too_many_pending(void **state)
{
	(void)state;
	struct capture_config cfg;
	capture_config_default(&cfg);
	cfg.frag_max_pending = 4;
	struct got g;
	capture_t *cap = new_cap(&g, &cfg);
	struct frags fr[5];
	for (int i = 0; i < 5; i++) {
		make_frags(&fr[i], (uint16_t)(0x400 + i), IP4_A);
		feed(cap, 1, CAPTURE_LINK_RAW, fr[i].f[0], fr[i].flen[0]);
	}
	/* the oldest was given up to make room for the fifth */
	assert_int_equal(capture_get_stats(cap)->frag_dropped, 1);
	/* the four others complete */
	for (int i = 1; i < 5; i++) {
		feed(cap, 1, CAPTURE_LINK_RAW, fr[i].f[1], fr[i].flen[1]);
		feed(cap, 1, CAPTURE_LINK_RAW, fr[i].f[2], fr[i].flen[2]);
	}
	assert_int_equal(g.n, 4);
	for (unsigned k = 0; k < g.n; k++)
		assert_int_equal(g.m[k].data[1], k + 1); /* ids 0x401..0x404 */
	/* the rest of the first can no longer complete it */
	feed(cap, 1, CAPTURE_LINK_RAW, fr[0].f[1], fr[0].flen[1]);
	feed(cap, 1, CAPTURE_LINK_RAW, fr[0].f[2], fr[0].flen[2]);
	assert_int_equal(g.n, 4);
	capture_flush(cap);
	assert_int_equal(capture_get_stats(cap)->frag_dropped, 2);
	capture_free(cap);
}

static void test_ipv4_frag_timeout(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct frags fr;
	make_frags(&fr, 0x500, IP4_A);
	feed(cap, 10, CAPTURE_LINK_RAW, fr.f[0], fr.flen[0]);
	feed(cap, 11, CAPTURE_LINK_RAW, fr.f[1], fr.flen[1]);
	feed(cap, 100, CAPTURE_LINK_RAW, fr.f[2], fr.flen[2]);
	assert_int_equal(g.n, 0);
	assert_int_equal(capture_get_stats(cap)->frag_dropped, 1);
	capture_flush(cap);
	assert_int_equal(capture_get_stats(cap)->frag_dropped, 2);
	capture_free(cap);
}

/* ---- IPv6 ---- */

static void test_ipv6_ext_and_fragments(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t q[64], u[128], f[256];
	size_t qn = dns_query(q, 0x600);
	memset(q + qn, 0, sizeof q - qn);
	size_t un = udp(u, 40000, 53, q, 64); /* 72 */

	/* unfragmented, behind a hop-by-hop header */
	size_t n = ipv6(f, 17, true, 0, false, 0, u, un);
	feed(cap, 1, CAPTURE_LINK_IPV6, f, n);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.m[0].family, 6);

	/* two fragments, the second first */
	size_t n2 = ipv6(f, 17, true, 32 + 1, false, 77, u + 32, un - 32);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n2);
	assert_int_equal(g.n, 1);
	n = ipv6(f, 17, true, 0 + 1, true, 77, u, 32);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.m[1].len, 64);
	assert_memory_equal(g.m[1].data, q, 64);

	/* an atomic fragment (offset 0, M clear) is no fragment at all */
	n = ipv6(f, 17, false, 0 + 1, false, 78, u, un);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 3);

	/* a partial overlap discards the datagram (RFC 5722) */
	n = ipv6(f, 17, false, 0 + 1, true, 79, u, 40);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	n = ipv6(f, 17, false, 32 + 1, false, 79, u + 32, un - 32);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 3);
	assert_int_equal(capture_get_stats(cap)->reassembled, 1);
	capture_free(cap);
}

/* ---- TCP ---- */

struct flow {
	capture_t *cap;
	uint32_t cseq, sseq; /* next client / server sequence numbers */
	int64_t t;
};

static void seg(struct flow *fl, bool from_client, uint32_t seq, uint8_t flags,
                const uint8_t *data, size_t len)
{
	uint8_t t[4096], f[4200];
	uint32_t ack = from_client ? fl->sseq : fl->cseq;
	size_t n = tcp(t, from_client ? 40001 : 53, from_client ? 53 : 40001, seq,
	               ack, flags | TF_ACK, data, len);
	n = ipv4(f, from_client ? IP4_A : IP4_B, from_client ? IP4_B : IP4_A, 6,
	         0, 0, false, t, n);
	capture_frame(fl->cap, at(fl->t), CAPTURE_LINK_RAW, f, n, n);
}

static void handshake(struct flow *fl, capture_t *cap)
{
	fl->cap = cap;
	fl->t = 1;
	fl->cseq = 1000;
	fl->sseq = 5000;
	uint8_t t[64], f[128];
	size_t n = tcp(t, 40001, 53, fl->cseq, 0, TF_SYN, NULL, 0);
	n = ipv4(f, IP4_A, IP4_B, 6, 0, 0, false, t, n);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	fl->cseq++;
	seg(fl, false, fl->sseq, TF_SYN, NULL, 0);
	fl->sseq++;
	seg(fl, true, fl->cseq, 0, NULL, 0);
}

/* Length-prefixed queries with ids id0, id0+1, ... into out. */
static size_t stream(uint8_t *out, uint16_t id0, int count)
{
	size_t n = 0;
	for (int i = 0; i < count; i++) {
		size_t qn = dns_query(out + n + 2, (uint16_t)(id0 + i));
		out[n] = 0;
		out[n + 1] = (uint8_t)qn;
		n += 2 + qn;
	}
	return n;
}

static void expect_ids(const struct got *g, const uint16_t *ids, unsigned n)
{
	assert_int_equal(g->n, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(g->m[i].transport, CAPTURE_TCP);
		assert_int_equal(g->m[i].len, 29);
		assert_int_equal((g->m[i].data[0] << 8) | g->m[i].data[1], ids[i]);
	}
}

static void test_tcp_two_in_one_segment(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	size_t n = stream(s, 0x10, 2);
	seg(&fl, true, fl.cseq, TF_PSH, s, n);
	static const uint16_t ids[] = { 0x10, 0x11 };
	expect_ids(&g, ids, 2);
	assert_int_equal(g.m[0].sport, 40001);
	assert_int_equal(g.m[0].dport, 53);
	capture_free(cap);
}

static void test_tcp_one_across_three(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	size_t n = stream(s, 0x20, 1); /* 31 octets */
	seg(&fl, true, fl.cseq, 0, s, 1);          /* half the prefix */
	seg(&fl, true, fl.cseq + 1, 0, s + 1, 15);
	assert_int_equal(g.n, 0);
	seg(&fl, true, fl.cseq + 16, TF_PSH, s + 16, n - 16);
	static const uint16_t ids[] = { 0x20 };
	expect_ids(&g, ids, 1);
	capture_free(cap);
}

static void test_tcp_out_of_order(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	size_t n = stream(s, 0x30, 3); /* 93 octets, 31 per message */
	seg(&fl, true, fl.cseq + 62, 0, s + 62, 31);
	seg(&fl, true, fl.cseq + 20, 0, s + 20, 42);
	assert_int_equal(g.n, 0);
	seg(&fl, true, fl.cseq, 0, s, 20);
	static const uint16_t ids[] = { 0x30, 0x31, 0x32 };
	expect_ids(&g, ids, 3);
	assert_int_equal(capture_get_stats(cap)->tcp_out_of_order, 2);
	(void)n;
	capture_free(cap);
}

static void test_tcp_retransmission(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	stream(s, 0x40, 2);
	seg(&fl, true, fl.cseq, 0, s, 31);
	seg(&fl, true, fl.cseq, 0, s, 31);        /* again: ignored */
	seg(&fl, true, fl.cseq + 20, 0, s + 20, 42); /* overlaps 11 octets */
	static const uint16_t ids[] = { 0x40, 0x41 };
	expect_ids(&g, ids, 2);
	assert_int_equal(capture_get_stats(cap)->tcp_retransmits, 2);
	capture_free(cap);
}

static void test_tcp_missing_segment(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	stream(s, 0x50, 4); /* messages at 0, 31, 62, 93 */
	seg(&fl, true, fl.cseq, 0, s, 31);               /* message 0 */
	seg(&fl, true, fl.cseq + 31, 0, s + 31, 10);     /* start of 1 */
	/* 41..62 never captured; 2 and 3 arrive and wait */
	seg(&fl, true, fl.cseq + 62, 0, s + 62, 31);
	seg(&fl, true, fl.cseq + 93, 0, s + 93, 31);
	assert_int_equal(g.n, 1);
	/* the server acknowledges everything: the hole is a gap */
	fl.cseq += 124;
	seg(&fl, false, fl.sseq, 0, NULL, 0);
	static const uint16_t ids[] = { 0x50, 0x52, 0x53 };
	expect_ids(&g, ids, 3);
	const struct capture_stats *st = capture_get_stats(cap);
	assert_int_equal(st->tcp_gaps, 1);
	assert_int_equal(st->tcp_lost_bytes, 21);
	assert_int_equal(st->tcp_incomplete, 1);
	capture_free(cap);
}

static void test_tcp_gap_mid_message_resync(void **state)
{
	(void)state;
	struct got g;
	struct flow fl;
	capture_t *cap = new_cap(&g, NULL);
	handshake(&fl, cap);
	uint8_t s[256];
	stream(s, 0x60, 3);
	/* the first 20 octets are lost; the rest of message 0 arrives as a
	 * segment of its own (not a boundary), then 1 and 2 */
	seg(&fl, true, fl.cseq + 20, 0, s + 20, 11);
	seg(&fl, true, fl.cseq + 31, 0, s + 31, 31);
	seg(&fl, true, fl.cseq + 62, 0, s + 62, 31);
	assert_int_equal(g.n, 0);
	capture_flush(cap); /* end of capture: the hole becomes a gap */
	static const uint16_t ids[] = { 0x61, 0x62 };
	expect_ids(&g, ids, 2);
	assert_int_equal(capture_get_stats(cap)->tcp_skipped, 11);
	capture_free(cap);
}

static void test_tcp_no_syn_and_fin(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct flow fl = { cap, 777, 888, 1 };
	uint8_t s[256];
	stream(s, 0x70, 2);
	seg(&fl, true, 777, 0, s, 62);
	static const uint16_t ids[] = { 0x70, 0x71 };
	expect_ids(&g, ids, 2);
	/* half a message and a FIN: counted incomplete */
	seg(&fl, true, 777 + 62, TF_FIN, s, 10);
	assert_int_equal(capture_get_stats(cap)->tcp_incomplete, 1);
	/* an RST from the server ends the flow */
	seg(&fl, false, 888, TF_RST, NULL, 0);
	capture_flush(cap);
	assert_int_equal(g.n, 2);
	capture_free(cap);
}

static void test_tcp_resync_candidates(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	struct flow fl = { cap, 100, 900, 1 };
	/* picked up mid-stream: 40 segments that each look like the start of
	 * a 65535-octet message (plausible header, never complete), then a
	 * real message: the oldest candidates are given up, the real one wins */
	uint8_t fake[14], s[64];
	memset(fake, 0, sizeof fake);
	fake[0] = 0xff;
	fake[1] = 0xff;
	uint32_t seq = 100;
	for (int i = 0; i < 40; i++, seq += sizeof fake)
		seg(&fl, true, seq, 0, fake, sizeof fake);
	assert_int_equal(g.n, 0);
	size_t n = stream(s, 0x90, 1);
	seg(&fl, true, seq, 0, s, n);
	seq += (uint32_t)n;
	n = stream(s, 0x91, 1);
	seg(&fl, true, seq, 0, s, n);
	static const uint16_t ids[] = { 0x90, 0x91 };
	expect_ids(&g, ids, 2);
	assert_int_equal(capture_get_stats(cap)->tcp_skipped, 40 * sizeof fake);
	capture_free(cap);
}

static void test_tcp_memory_budget(void **state)
{
	(void)state;
	struct capture_config cfg;
	capture_config_default(&cfg);
	cfg.tcp_max_bytes = 6000;
	struct got g;
	capture_t *cap = new_cap(&g, &cfg);
	uint8_t big[1500], t[1600], f[1700];
	memset(big, 0, sizeof big);
	/* each flow queues 1500 octets behind a hole */
	for (uint16_t port = 1; port <= 4; port++) {
		size_t n = tcp(t, port, 53, 100, 0, TF_SYN, NULL, 0);
		n = ipv4(f, IP4_A, IP4_B, 6, 0, 0, false, t, n);
		feed(cap, 1, CAPTURE_LINK_RAW, f, n);
		n = tcp(t, port, 53, 5000, 0, TF_ACK, big, sizeof big);
		n = ipv4(f, IP4_A, IP4_B, 6, 0, 0, false, t, n);
		feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	}
	const struct capture_stats *st = capture_get_stats(cap);
	assert_true(st->tcp_evicted >= 1);
	assert_true(st->tcp_out_of_order == 4);
	capture_flush(cap);
	capture_free(cap);
}

static void test_tcp_flow_limit(void **state)
{
	(void)state;
	struct capture_config cfg;
	capture_config_default(&cfg);
	cfg.tcp_max_flows = 2;
	struct got g;
	capture_t *cap = new_cap(&g, &cfg);
	uint8_t s[256], t[512], f[600];
	stream(s, 0x80, 1);
	/* five flows each with half a message: only two are held at once */
	for (uint16_t port = 1; port <= 5; port++) {
		size_t n = tcp(t, port, 53, 100, 0, TF_ACK, s, 20);
		n = ipv4(f, IP4_A, IP4_B, 6, 0, 0, false, t, n);
		feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	}
	const struct capture_stats *st = capture_get_stats(cap);
	assert_int_equal(st->tcp_flows, 5);
	assert_int_equal(st->tcp_evicted, 3);
	capture_free(cap);
}

/* ---- DHCP, malformed input ---- */

static void test_dhcp_and_bad_headers(void **state)
{
	(void)state;
	struct got g;
	capture_t *cap = new_cap(&g, NULL);
	uint8_t b[300], u[400], f[512];
	memset(b, 0, sizeof b);
	b[0] = 1;
	size_t n = udp(u, 68, 67, b, sizeof b);
	n = ipv4(f, IP4_A, IP4_B, 17, 1, 0, false, u, n);
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.m[0].kind, CAPTURE_DHCP);

	/* a bad IHL, a UDP length below 8, a cut IPv4 header */
	f[0] = 0x44;
	assert_int_equal(feed(cap, 1, CAPTURE_LINK_RAW, f, n), WARD_EPKT);
	f[0] = 0x45;
	f[24] = 0;
	f[25] = 4;
	feed(cap, 1, CAPTURE_LINK_RAW, f, n);
	feed(cap, 1, CAPTURE_LINK_RAW, f, 10);
	assert_int_equal(g.n, 1);
	/* cut by the capture: handed out, flagged */
	n = dns_udp4(f, 5, 53);
	capture_frame(cap, at(1), CAPTURE_LINK_RAW, f, n - 5, n);
	assert_int_equal(g.n, 2);
	assert_true(g.m[1].truncated);
	assert_int_equal(g.m[1].len, 24);
	/* nothing at all, garbage for every link type */
	uint8_t junk[64];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	static const int links[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		for (size_t len = 0; len <= sizeof junk; len++)
			capture_frame(cap, at(2), links[i], len ? junk : NULL, len, len);
	capture_flush(cap);
	capture_free(cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_ipv4_udp),
		cmocka_unit_test(test_vlan_stacked),
		cmocka_unit_test(test_sll_sll2_null_loop),
		cmocka_unit_test(test_mpls_pppoe),
		cmocka_unit_test(test_ipv4_frags_in_order),
		cmocka_unit_test(test_ipv4_frags_out_of_order),
		cmocka_unit_test(test_ipv4_frags_overlap),
		cmocka_unit_test(test_ipv4_frags_too_many_pending),
		cmocka_unit_test(test_ipv4_frag_timeout),
		cmocka_unit_test(test_ipv6_ext_and_fragments),
		cmocka_unit_test(test_tcp_two_in_one_segment),
		cmocka_unit_test(test_tcp_one_across_three),
		cmocka_unit_test(test_tcp_out_of_order),
		cmocka_unit_test(test_tcp_retransmission),
		cmocka_unit_test(test_tcp_missing_segment),
		cmocka_unit_test(test_tcp_gap_mid_message_resync),
		cmocka_unit_test(test_tcp_no_syn_and_fin),
		cmocka_unit_test(test_tcp_resync_candidates),
		cmocka_unit_test(test_tcp_memory_budget),
		cmocka_unit_test(test_tcp_flow_limit),
		cmocka_unit_test(test_dhcp_and_bad_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
