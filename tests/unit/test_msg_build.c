/* Unit tests: codec/msg_build.c — header, question, sections, name
 * compression (exact bytes), truncation by whole RRsets with TC, the OPT
 * record kept under the size limit, EDNS options and padding, misuse, and a
 * parse -> build -> parse round trip of Unbound's test packets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"

static dns_name N(const char *s)
{
	dns_name n;
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), NULL), 0);
	return n;
}

static const uint8_t A1[] = { 192, 0, 2, 1 };
static const uint8_t A2[] = { 192, 0, 2, 2 };
static const uint8_t A3[] = { 192, 0, 2, 3 };
static const uint8_t AAAA1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t AAAA2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static dns_rr RR(const char *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, size_t rdlen)
{
	dns_rr rr;
	rr.owner = N(owner);
	rr.type = type;
	rr.rclass = DNS_C_IN;
	rr.ttl = ttl;
	rr.rdata = rdata;
	rr.rdlen = (uint16_t)rdlen;
	return rr;
}

/* name rdata in uncompressed wire form, kept in static storage */
static const uint8_t *name_rdata(const char *s, size_t *len)
{
	static uint8_t store[8][DNS_NAME_MAXLEN];
	static unsigned next;
	dns_name n = N(s);
	uint8_t *p = store[next++ % 8];
	memcpy(p, n.wire, n.len);
	*len = n.len;
	return p;
}

static void start_response(dns_mb *b, uint8_t *buf, size_t cap, size_t limit)
{
	assert_int_equal(dns_mb_init(b, buf, cap, limit), 0);
	dns_mb_set_id(b, 0x1234);
	dns_mb_set_flags(b, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA);
	dns_name q = N("example.com.");
	assert_int_equal(dns_mb_question(b, &q, DNS_T_A, DNS_C_IN), 0);
}

static void test_compression_bytes(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len, l1, l2;
	start_response(&b, buf, sizeof buf, sizeof buf);
	dns_rr a = RR("example.com.", DNS_T_A, 300, A1, 4);
	const uint8_t *cn = name_rdata("example.com.", &l1);
	dns_rr c = RR("www.example.com.", DNS_T_CNAME, 300, cn, l1);
	const uint8_t *ns = name_rdata("ns1.example.com.", &l2);
	dns_rr n = RR("example.com.", DNS_T_NS, 3600, ns, l2);
	dns_rr g = RR("ns1.example.com.", DNS_T_A, 3600, A2, 4);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &a), 0);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &c), 0);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_AUTHORITY, &n), 0);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &g), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);

	static const uint8_t want[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 1, 0, 1,
		/* 12: question */
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
		/* 29: example.com. A -> pointer to the question name */
		0xC0, 12, 0, 1, 0, 1, 0, 0, 0x01, 0x2c, 0, 4, 192, 0, 2, 1,
		/* 45: www + pointer; CNAME rdata compressed (RFC 1035 type) */
		3, 'w', 'w', 'w', 0xC0, 12, 0, 5, 0, 1, 0, 0, 0x01, 0x2c, 0, 2,
		0xC0, 12,
		/* 63: NS, rdata "ns1" + pointer; the ns1 label lands at 75 */
		0xC0, 12, 0, 2, 0, 1, 0, 0, 0x0e, 0x10, 0, 6, 3, 'n', 's', '1',
		0xC0, 12,
		/* 81: glue owner points into the NS rdata */
		0xC0, 75, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 2,
	};
	assert_int_equal(len, sizeof want);
	assert_memory_equal(buf, want, sizeof want);

	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
}

/* Types not from RFC 1035 keep their rdata names uncompressed (RFC 3597
 * §4), but their owners are compressed. */
static void test_no_rdata_compression_for_new_types(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len, l;
	start_response(&b, buf, sizeof buf, sizeof buf);
	/* SRV: priority, weight, port, target */
	uint8_t srv[6 + DNS_NAME_MAXLEN] = { 0, 1, 0, 2, 0, 53 };
	const uint8_t *t = name_rdata("example.com.", &l);
	memcpy(srv + 6, t, l);
	dns_rr r = RR("_dns._udp.example.com.", DNS_T_SRV, 60, srv, 6 + l);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &r), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	/* owner: _dns _udp + pointer (5 + 5 + 2 octets); rdata verbatim */
	size_t rr_at = 29;
	assert_int_equal(len, rr_at + 12 + 10 + 6 + l);
	assert_memory_equal(buf + len - l, t, l);
	assert_int_equal(buf[rr_at + 10], 0xC0);
	assert_int_equal(buf[rr_at + 11], 12);
	assert_int_equal(buf[rr_at + 12 + 8], 0);      /* RDLENGTH */
	assert_int_equal(buf[rr_at + 12 + 9], 6 + l);
}

static void test_truncation_whole_rrsets(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len;
	/* 12 + 17 question = 29; each compressed A record is 16 octets, each
	 * AAAA 28; the OPT record 11. Limit 100: 29 + 48 + 11 = 88 fits,
	 * adding the AAAA RRset (56) would not. */
	start_response(&b, buf, sizeof buf, 100);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO), 0);
	dns_rr as[3] = { RR("example.com.", DNS_T_A, 60, A1, 4),
	                 RR("example.com.", DNS_T_A, 60, A2, 4),
	                 RR("example.com.", DNS_T_A, 60, A3, 4) };
	dns_rr aaaas[2] = { RR("example.com.", DNS_T_AAAA, 60, AAAA1, 16),
	                    RR("example.com.", DNS_T_AAAA, 60, AAAA2, 16) };
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, as, 3), 0);
	assert_int_equal(dns_mb_len(&b), 77);
	assert_false(dns_mb_truncated(&b));
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, aaaas, 2), WARD_ESPACE);
	assert_true(dns_mb_truncated(&b));
	assert_int_equal(dns_mb_len(&b), 77); /* nothing of it left behind */
	/* after TC, nothing else goes in, not even a small record */
	dns_rr glue = RR("ns.example.com.", DNS_T_A, 60, A1, 4);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &glue), WARD_ESPACE);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 88);

	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	assert_true(m.flags & DNS_FLAG_TC);
	assert_int_equal(m.count[DNS_SEC_ANSWER], 3);
	assert_int_equal(m.count[DNS_SEC_AUTHORITY], 0);
	assert_int_equal(m.count[DNS_SEC_ADDITIONAL], 1);
	assert_true(m.has_opt); /* the OPT record was kept */
	edns_info e;
	assert_int_equal(edns_from_msg(&m, &e), 0);
	assert_int_equal(e.udp_size, 1232);
	assert_int_equal(e.flags, EDNS_FLAG_DO);

	/* authority truncation sets TC too */
	start_response(&b, buf, sizeof buf, 100);
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, as, 3), 0);
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_AUTHORITY, aaaas, 2), WARD_ESPACE);
	assert_true(dns_mb_truncated(&b));
}

static void test_additional_dropped_without_tc(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len;
	start_response(&b, buf, sizeof buf, 100);
	dns_rr as[3] = { RR("example.com.", DNS_T_A, 60, A1, 4),
	                 RR("example.com.", DNS_T_A, 60, A2, 4),
	                 RR("example.com.", DNS_T_A, 60, A3, 4) };
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, as, 3), 0);
	/* a new name in a group that is dropped: its labels must not stay
	 * in the compression table */
	dns_rr big[2] = { RR("zzz.example.com.", DNS_T_AAAA, 60, AAAA1, 16),
	                  RR("zzz.example.com.", DNS_T_AAAA, 60, AAAA2, 16) };
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ADDITIONAL, big, 2), WARD_ESPACE);
	assert_false(dns_mb_truncated(&b));
	dns_rr small = RR("zzz.example.com.", DNS_T_A, 60, A1, 4);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &small), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 77 + 4 + 2 + 10 + 4);

	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	assert_false(m.flags & DNS_FLAG_TC);
	assert_int_equal(m.count[DNS_SEC_ADDITIONAL], 1);
	dns_rr_iter it;
	dns_rr_view v;
	dns_name owner;
	char nb[DNS_NAME_TEXT_MAX];
	dns_rr_iter_init(&it, &m, DNS_SEC_ADDITIONAL);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	assert_int_equal(dns_rr_view_owner(&m, &v, &owner), 0);
	assert_string_equal(dns_name_str(&owner, nb), "zzz.example.com.");
}

static void test_opt_kept_at_limit(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len;
	uint8_t cookie_data[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	                            15, 16 };
	/* exact fit: 29 + 3 * 16 + OPT (11 + 20 cookie) = 108 */
	start_response(&b, buf, sizeof buf, 108);
	assert_int_equal(dns_mb_edns(&b, 4096, 0, 0), 0);
	assert_int_equal(dns_mb_edns_option(&b, EDNS_OPT_COOKIE, cookie_data, 16), 0);
	dns_rr as[3] = { RR("example.com.", DNS_T_A, 60, A1, 4),
	                 RR("example.com.", DNS_T_A, 60, A2, 4),
	                 RR("example.com.", DNS_T_A, 60, A3, 4) };
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, as, 3), 0);
	/* full now: one octet more does not fit */
	dns_rr one = RR("example.com.", DNS_T_A, 60, A1, 4);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &one), WARD_ESPACE);
	/* an option added now would not fit either */
	assert_int_equal(dns_mb_edns_option(&b, EDNS_OPT_NSID, NULL, 0), WARD_ESPACE);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 108);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	assert_false(m.flags & DNS_FLAG_TC);
	edns_info e;
	edns_opt o;
	edns_cookie c;
	assert_int_equal(edns_from_msg(&m, &e), 0);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_COOKIE, &o), 0);
	assert_int_equal(edns_cookie_parse(&o, &c), 0);
	assert_memory_equal(c.client, cookie_data, 8);
	assert_int_equal(c.server_len, 8);
	assert_memory_equal(c.server, cookie_data + 8, 8);

	/* EDNS asked for after the records filled the message: refused */
	start_response(&b, buf, sizeof buf, 29 + 48 + 5);
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ANSWER, as, 3), 0);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, 0), WARD_ESPACE);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	assert_false(m.has_opt);
}

static void test_edns_options_and_rcode(void **state)
{
	(void)state;
	uint8_t buf[1024];
	dns_mb b;
	size_t len;
	start_response(&b, buf, sizeof buf, sizeof buf);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO), 0);
	assert_int_equal(dns_mb_edns_ede(&b, EDE_DNSSEC_BOGUS, "no valid sig", 12), 0);
	edns_ecs ecs = { EDNS_ECS_FAMILY_IPV4, 24, 0, { 192, 0, 2, 77 } };
	assert_int_equal(dns_mb_edns_ecs(&b, &ecs), 0);
	edns_cookie ck = { { 1, 2, 3, 4, 5, 6, 7, 8 }, { 0 }, 0 };
	assert_int_equal(dns_mb_edns_cookie(&b, &ck), 0);
	ck.server_len = 7;
	assert_int_equal(dns_mb_edns_cookie(&b, &ck), WARD_EOPT);
	dns_mb_set_rcode(&b, DNS_RCODE_BADCOOKIE);
	assert_int_equal(dns_mb_finish(&b, &len), 0);

	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	assert_int_equal(DNS_RCODE(m.flags), DNS_RCODE_BADCOOKIE & 0xF);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_BADCOOKIE);
	edns_info e;
	edns_opt o;
	assert_int_equal(edns_from_msg(&m, &e), 0);
	assert_int_equal(e.ext_rcode, DNS_RCODE_BADCOOKIE >> 4);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_EDE, &o), 0);
	edns_ede ede;
	assert_int_equal(edns_ede_parse(&o, &ede), 0);
	assert_int_equal(ede.info_code, EDE_DNSSEC_BOGUS);
	assert_int_equal(ede.text_len, 12);
	assert_memory_equal(ede.text, "no valid sig", 12);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_ECS, &o), 0);
	assert_int_equal(o.len, 4 + 3); /* address truncated to /24 */
	edns_ecs got;
	assert_int_equal(edns_ecs_parse(&o, &got), 0);
	assert_int_equal(got.addr[3], 0);
	assert_int_equal(got.addr[2], 2);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_COOKIE, &o), 0);
	assert_int_equal(o.len, 8);

	/* an rcode > 15 needs EDNS */
	start_response(&b, buf, sizeof buf, sizeof buf);
	dns_mb_set_rcode(&b, DNS_RCODE_BADVERS);
	assert_int_equal(dns_mb_finish(&b, &len), WARD_EINVAL);
	/* options need dns_mb_edns first */
	start_response(&b, buf, sizeof buf, sizeof buf);
	assert_int_equal(dns_mb_edns_option(&b, EDNS_OPT_NSID, NULL, 0), WARD_EINVAL);
	/* the option buffer has a fixed size */
	assert_int_equal(dns_mb_edns(&b, 1232, 0, 0), 0);
	static uint8_t blob[DNS_MB_OPT_MAX];
	assert_int_equal(dns_mb_edns_option(&b, 65001, blob, DNS_MB_OPT_MAX - 4), WARD_ESPACE);
}

static void test_padding(void **state)
{
	(void)state;
	uint8_t buf[2048];
	dns_mb b;
	size_t len;
	start_response(&b, buf, sizeof buf, 1232);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, 0), 0);
	assert_int_equal(dns_mb_edns_padding(&b, 468), 0);
	dns_rr a = RR("example.com.", DNS_T_A, 60, A1, 4);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &a), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 468);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	edns_info e;
	edns_opt o;
	assert_int_equal(edns_from_msg(&m, &e), 0);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_PADDING, &o), 0);
	assert_int_equal(o.len, 468 - (29 + 16 + 11 + 4));
	for (size_t i = 0; i < o.len; i++)
		assert_int_equal(o.data[i], 0);
	/* a limit below the next block: padded up to the limit */
	start_response(&b, buf, sizeof buf, 300);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, 0), 0);
	assert_int_equal(dns_mb_edns_padding(&b, 468), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 300);
	assert_int_equal(dns_msg_parse(&m, buf, len), 0);
	/* block 128 for a query */
	assert_int_equal(dns_mb_init(&b, buf, sizeof buf, sizeof buf), 0);
	dns_name q = N("a.example.");
	assert_int_equal(dns_mb_question(&b, &q, DNS_T_AAAA, DNS_C_IN), 0);
	assert_int_equal(dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO), 0);
	assert_int_equal(dns_mb_edns_padding(&b, 128), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 128);
}

static void test_misuse(void **state)
{
	(void)state;
	uint8_t buf[512];
	dns_mb b;
	size_t len;
	assert_int_equal(dns_mb_init(&b, buf, sizeof buf, 11), WARD_EINVAL);
	assert_int_equal(dns_mb_init(&b, buf, 5, 512), WARD_EINVAL);
	assert_int_equal(dns_mb_finish(&b, &len), WARD_EINVAL);

	start_response(&b, buf, sizeof buf, sizeof buf);
	dns_rr a = RR("example.com.", DNS_T_A, 60, A1, 4);
	dns_rr opt = RR(".", DNS_T_OPT, 0, NULL, 0);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &opt), WARD_EINVAL);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_QUESTION, &a), WARD_EINVAL);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_AUTHORITY, &a), 0);
	/* no going back to the answer, nor to the question */
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &a), WARD_EINVAL);
	dns_name q = N("example.com.");
	assert_int_equal(dns_mb_question(&b, &q, 1, 1), WARD_EINVAL);
	assert_int_equal(dns_mb_rrset(&b, DNS_SEC_ADDITIONAL, NULL, 0), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(dns_mb_finish(&b, &len), WARD_EINVAL);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &a), WARD_EINVAL);

	/* a question that does not fit leaves nothing behind */
	assert_int_equal(dns_mb_init(&b, buf, sizeof buf, 20), 0);
	assert_int_equal(dns_mb_question(&b, &q, 1, 1), WARD_ESPACE);
	assert_int_equal(dns_mb_len(&b), 12);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(len, 12);

	/* TC forced, flags' TC and rcode bits ignored by set_flags */
	start_response(&b, buf, sizeof buf, sizeof buf);
	dns_mb_set_flags(&b, DNS_FLAG_QR | DNS_FLAG_TC | 5);
	dns_mb_set_tc(&b);
	dns_mb_set_rcode(&b, DNS_RCODE_REFUSED);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	assert_int_equal(buf[2], 0x82);
	assert_int_equal(buf[3], 0x05);
}

/* ---- round trip of Unbound's packets ---- */

static char testdata[4096];

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t ub_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		if (*s == ';') {
			while (*s && *s != '\n')
				s++;
			if (!*s)
				break;
			continue;
		}
		int v = hexval((unsigned char)*s);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			assert_true(n < cap);
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

static uint8_t rdA[DNS_RDATA_MAX + 1], rdB[DNS_RDATA_MAX + 1];

/* Rebuild a parsed message with the builder; 1 when rebuilt. */
static int rebuild(const dns_msg *m, uint8_t *out, size_t cap, size_t *len)
{
	dns_mb b;
	dns_rr_iter it;
	dns_rr_view v;
	assert_int_equal(dns_mb_init(&b, out, cap, cap), 0);
	dns_mb_set_id(&b, m->id);
	dns_mb_set_flags(&b, m->flags);
	if (m->flags & DNS_FLAG_TC)
		dns_mb_set_tc(&b);
	dns_mb_set_rcode(&b, dns_msg_rcode(m));
	if (m->has_opt) {
		edns_info e;
		edns_opt o;
		edns_opt_iter oi;
		assert_int_equal(edns_from_msg(m, &e), 0);
		assert_int_equal(dns_mb_edns(&b, e.udp_size, e.version, e.flags), 0);
		edns_opt_iter_init(&oi, e.opts, e.opts_len);
		while (edns_opt_iter_next(&oi, &o) > 0)
			assert_int_equal(dns_mb_edns_option(&b, o.code, o.data, o.len), 0);
	}
	dns_rr_iter_init(&it, m, DNS_SEC_QUESTION);
	while (dns_rr_iter_next(&it, &v)) {
		dns_name q;
		assert_int_equal(dns_rr_view_owner(m, &v, &q), 0);
		assert_int_equal(dns_mb_question(&b, &q, v.type, v.rclass), 0);
	}
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v)) {
			if (v.type == DNS_T_OPT)
				continue;
			dns_rr rr;
			assert_int_equal(dns_rr_view_to_rr(m, &v, &rr, rdA, sizeof rdA), 0);
			assert_int_equal(dns_mb_rr(&b, (enum dns_section)s, &rr), 0);
		}
	}
	assert_int_equal(dns_mb_finish(&b, len), 0);
	return 1;
}

static void same_records(const dns_msg *a, const dns_msg *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(dns_msg_rcode(a), dns_msg_rcode(b));
	assert_int_equal(a->has_opt, b->has_opt);
	for (int s = 0; s < 4; s++) {
		dns_rr_iter ia, ib;
		dns_rr_view va, vb;
		assert_int_equal(a->count[s], b->count[s]);
		dns_rr_iter_init(&ia, a, (enum dns_section)s);
		dns_rr_iter_init(&ib, b, (enum dns_section)s);
		/* the OPT record moves to the end of the additional section */
		for (;;) {
			int ha = dns_rr_iter_next(&ia, &va);
			while (ha && va.type == DNS_T_OPT)
				ha = dns_rr_iter_next(&ia, &va);
			int hb = dns_rr_iter_next(&ib, &vb);
			while (hb && vb.type == DNS_T_OPT)
				hb = dns_rr_iter_next(&ib, &vb);
			assert_int_equal(ha, hb);
			if (!ha)
				break;
			dns_name na, nb;
			assert_int_equal(dns_rr_view_owner(a, &va, &na), 0);
			assert_int_equal(dns_rr_view_owner(b, &vb, &nb), 0);
			assert_int_equal(na.len, nb.len);
			assert_memory_equal(na.wire, nb.wire, na.len);
			assert_int_equal(va.type, vb.type);
			assert_int_equal(va.rclass, vb.rclass);
			assert_int_equal(va.ttl, vb.ttl);
			size_t la, lb;
			assert_int_equal(dns_rr_view_rdata(a, &va, rdA, sizeof rdA, &la), 0);
			assert_int_equal(dns_rr_view_rdata(b, &vb, rdB, sizeof rdB, &lb), 0);
			assert_int_equal(la, lb);
			assert_memory_equal(rdA, rdB, la);
		}
	}
	if (a->has_opt) {
		assert_int_equal(a->opt.rclass, b->opt.rclass);
		assert_int_equal(a->opt.ttl, b->opt.ttl);
		assert_int_equal(a->opt.rdlen, b->opt.rdlen);
		assert_memory_equal(a->pkt + a->opt.rdata_off,
		                    b->pkt + b->opt.rdata_off, a->opt.rdlen);
	}
}

static unsigned roundtrips;

static void roundtrip_one(const uint8_t *pkt, size_t n)
{
	static uint8_t out[DNS_MSG_MAXLEN];
	dns_msg m, m2;
	if (dns_msg_parse(&m, pkt, n) != 0)
		return;
	size_t len;
	rebuild(&m, out, sizeof out, &len);
	assert_int_equal(dns_msg_parse(&m2, out, len), 0);
	same_records(&m, &m2);
	roundtrips++;
}

static void test_roundtrip_unbound(void **state)
{
	(void)state;
	static char line[1 << 17];
	static char block[1 << 18];
	static uint8_t pkt[1 << 17];
	unsigned files = 0;
	roundtrips = 0;
	for (int no = 2; no <= 9; no++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/codec/unbound/test_packets.%d",
		         testdata, no);
		FILE *f = fopen(path, "r");
		if (!f) {
			printf("SKIP test_packets.%d: %s not found (set WARD_TESTDATA)\n",
			       no, path);
			continue;
		}
		files++;
		size_t bl = 0;
		bool drill = no >= 4;
		while (fgets(line, sizeof line, f)) {
			size_t ll = strlen(line);
			if (!drill) {
				if (line[0] != ';' && ll >= 10)
					roundtrip_one(pkt, ub_hex(line, pkt, sizeof pkt));
				continue;
			}
			if (!strncmp(line, ";--", 3)) {
				block[bl] = '\0';
				roundtrip_one(pkt, ub_hex(block, pkt, sizeof pkt));
				bl = 0;
				continue;
			}
			if (line[0] == ';')
				continue;
			assert_true(bl + ll < sizeof block);
			memcpy(block + bl, line, ll);
			bl += ll;
		}
		if (drill) {
			block[bl] = '\0';
			roundtrip_one(pkt, ub_hex(block, pkt, sizeof pkt));
		}
		fclose(f);
	}
	if (!files)
		skip();
	printf("round trips: %u messages\n", roundtrips);
	assert_true(roundtrips >= 200);
}

int main(void)
{
	const char *env = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s",
	         env && *env ? env : "../shared/testdata");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compression_bytes),
		cmocka_unit_test(test_no_rdata_compression_for_new_types),
		cmocka_unit_test(test_truncation_whole_rrsets),
		cmocka_unit_test(test_additional_dropped_without_tc),
		cmocka_unit_test(test_opt_kept_at_limit),
		cmocka_unit_test(test_edns_options_and_rcode),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_roundtrip_unbound),
	};
	return cmocka_run_group_tests_name("msg_build", tests, NULL, NULL);
}
