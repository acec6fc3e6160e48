/* Unit tests: codec/rr.c — record text line, uncompressed record wire
 * form, canonical RR form (RFC 4034 §6.2, RFC 6840 §5.1) and canonical
 * RRset order (RFC 4034 §6.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "error.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"

#define MAXRR 8

struct rrset {
	dns_rr rr[MAXRR];
	uint8_t data[MAXRR][512];
	size_t n;
};

static void add(struct rrset *s, const char *owner, uint16_t type,
                const char *rdata)
{
	assert_true(s->n < MAXRR);
	dns_rr *rr = &s->rr[s->n];
	size_t len;
	assert_int_equal(dns_name_from_text(&rr->owner, owner, strlen(owner),
	                                    NULL), 0);
	rr->type = type;
	rr->rclass = DNS_C_IN;
	rr->ttl = 3600;
	assert_int_equal(dns_rdata_from_text(type, rdata, strlen(rdata), NULL,
	                                     s->data[s->n], sizeof s->data[0],
	                                     &len), 0);
	rr->rdlen = (uint16_t)len;
	rr->rdata = s->data[s->n];
	s->n++;
}

/* The rdata texts of the set, in its current order, joined by '|'. */
static const char *order(const struct rrset *s)
{
	static char buf[4096];
	strbuf sb = strbuf_init(buf, sizeof buf);
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			strbuf_putc(&sb, '|');
		assert_int_equal(dns_rdata_to_text(s->rr[i].type, s->rr[i].rdata,
		                                   s->rr[i].rdlen, &sb), 0);
	}
	return buf;
}

static void expect_hex(const uint8_t *p, size_t n, const char *hex)
{
	uint8_t want[1024];
	size_t wl;
	assert_int_equal(hex_decode_ws(hex, strlen(hex), want, sizeof want, &wl),
	                 0);
	if (wl != n || memcmp(p, want, n) != 0) {
		char got[2048];
		strbuf sb = strbuf_init(got, sizeof got);
		strbuf_hex(&sb, p, n);
		print_error("want %s\n got  %s\n", hex, got);
	}
	assert_int_equal(n, wl);
	assert_memory_equal(p, want, n);
}

/* ---- RFC 4034 §6.2 canonical RR form ---- */

static void test_canonical_form(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	uint8_t out[1024];
	wire_wr w;

	/* owner and MX exchange lowercased, TTL replaced by the original */
	add(&s, "Foo.EXAMPLE.", DNS_T_MX, "10 Mail.Example.");
	w = wire_wr_init(out, sizeof out);
	dns_rr_write_canonical(&w, &s.rr[0], 7200);
	assert_int_equal(w.err, 0);
	expect_hex(out, w.pos,
	           "03666F6F076578616D706C6500 000F 0001 00001C20 0010"
	           "000A 046D61696C 076578616D706C6500");
	/* the record itself is not modified */
	assert_memory_equal(s.rr[0].rdata, "\x00\x0a\x04Mail", 7);

	/* RFC 6840 §5.1: NSEC next name keeps its case, RRSIG signer not */
	add(&s, "A.Example.", DNS_T_NSEC, "B.Example. A RRSIG NSEC");
	w = wire_wr_init(out, sizeof out);
	dns_rr_write_canonical(&w, &s.rr[1], 3600);
	expect_hex(out, w.pos,
	           "0161076578616D706C6500 002F 0001 00000E10 0013"
	           "0142074578616D706C6500 000640000000 0003");
	add(&s, "Example.", DNS_T_RRSIG,
	    "NSEC 8 1 3600 20140207000000 20140130230000 1 EXAMPLE. AAAA");
	w = wire_wr_init(out, sizeof out);
	dns_rr_write_canonical(&w, &s.rr[2], 3600);
	expect_hex(out, w.pos,
	           "076578616D706C6500 002E 0001 00000E10 001E"
	           "002F 08 01 00000E10 52F42200 52EAD970 0001"
	           "076578616D706C6500 000000");

	/* types after RFC 4034: names untouched (SVCB target, RFC 9460) */
	add(&s, "X.", DNS_T_SVCB, "1 Svc.Example.");
	w = wire_wr_init(out, sizeof out);
	dns_rr_write_canonical(&w, &s.rr[3], 60);
	expect_hex(out, w.pos,
	           "017800 0040 0001 0000003C 000F 0001 03537663074578616D706C6500");

	/* no room: sticky error, nothing past the buffer */
	w = wire_wr_init(out, 20);
	dns_rr_write_canonical(&w, &s.rr[0], 7200);
	assert_int_equal(w.err, WARD_ESPACE);
}

/* ---- RFC 4034 §6.3 canonical RRset order ---- */

static void test_order_a(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	add(&s, "x.", DNS_T_A, "192.0.2.10");
	add(&s, "x.", DNS_T_A, "192.0.2.9");
	add(&s, "x.", DNS_T_A, "192.0.2.100");
	add(&s, "x.", DNS_T_A, "10.0.0.1");
	dns_rrset_canon_sort(s.rr, s.n);
	assert_string_equal(order(&s), "10.0.0.1|192.0.2.9|192.0.2.10|192.0.2.100");
}

static void test_order_octets(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	/* TXT: compared as octets, length octet first */
	add(&s, "x.", DNS_T_TXT, "\"b\"");
	add(&s, "x.", DNS_T_TXT, "\"ab\"");
	add(&s, "x.", DNS_T_TXT, "\"\"");
	add(&s, "x.", DNS_T_TXT, "\"a\"");
	add(&s, "x.", DNS_T_TXT, "\"a\" \"\"");
	dns_rrset_canon_sort(s.rr, s.n);
	assert_string_equal(order(&s), "\"\"|\"a\"|\"a\" \"\"|\"b\"|\"ab\"");

	/* "the absence of an octet sorts before a zero octet" */
	struct rrset u = { .n = 0 };
	add(&u, "x.", 65280, "\\# 2 0100");
	add(&u, "x.", 65280, "\\# 1 01");
	add(&u, "x.", 65280, "\\# 0");
	add(&u, "x.", 65280, "\\# 1 00");
	add(&u, "x.", 65280, "\\# 2 00FF");
	dns_rrset_canon_sort(u.rr, u.n);
	assert_string_equal(order(&u),
	                    "\\# 0|\\# 1 00|\\# 2 00FF|\\# 1 01|\\# 2 0100");
}

static void test_order_names(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	/* names in MX are lowercased before comparing */
	add(&s, "x.", DNS_T_MX, "10 B.example.");
	add(&s, "x.", DNS_T_MX, "10 a.example.");
	add(&s, "x.", DNS_T_MX, "5 z.example.");
	add(&s, "x.", DNS_T_MX, "10 A.example.");
	add(&s, "x.", DNS_T_MX, "10 a.example.com.");
	dns_rrset_canon_sort(s.rr, s.n);
	/* wire order: 0005 < 000A; then \001a\007example\000 before
	 * \001a\007example\003com, and both before \001b */
	const char *got = order(&s);
	assert_true(strncmp(got, "5 z.example.|", 13) == 0);
	assert_true(strstr(got, "|10 B.example.") != NULL);
	assert_true(strcmp(strstr(got, "|10 B.example."), "|10 B.example.") == 0);
	/* the duplicates "a" / "A" compare equal and end up adjacent */
	assert_int_equal(dns_rdata_canon_cmp(DNS_T_MX, s.rr[1].rdata,
	                                     s.rr[1].rdlen, s.rr[2].rdata,
	                                     s.rr[2].rdlen), 0);
	assert_true(dns_rdata_canon_cmp(DNS_T_MX, s.rr[2].rdata, s.rr[2].rdlen,
	                                s.rr[3].rdata, s.rr[3].rdlen) < 0);
	expect_hex(s.rr[3].rdata, s.rr[3].rdlen,
	           "000A 0161 076578616D706C65 03636F6D 00");

	/* NSEC next names are compared as they are (RFC 6840 §5.1):
	 * 'B' (0x42) sorts before 'a' (0x61) */
	struct rrset n = { .n = 0 };
	add(&n, "x.", DNS_T_NSEC, "a.example. A");
	add(&n, "x.", DNS_T_NSEC, "B.example. A");
	dns_rrset_canon_sort(n.rr, n.n);
	assert_string_equal(order(&n), "B.example. A|a.example. A");

	/* the same two in an RP record are lowercased: a < b */
	struct rrset r = { .n = 0 };
	add(&r, "x.", DNS_T_RP, "b.example. .");
	add(&r, "x.", DNS_T_RP, "A.example. .");
	dns_rrset_canon_sort(r.rr, r.n);
	assert_string_equal(order(&r), "A.example. .|b.example. .");
}

static void test_canon_cmp_basics(void **state)
{
	(void)state;
	const uint8_t a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 }, c[] = { 1, 2 };
	assert_int_equal(dns_rdata_canon_cmp(DNS_T_A, a, 3, a, 3), 0);
	assert_true(dns_rdata_canon_cmp(65280, a, 3, b, 3) < 0);
	assert_true(dns_rdata_canon_cmp(65280, b, 3, a, 3) > 0);
	assert_true(dns_rdata_canon_cmp(65280, c, 2, a, 3) < 0);
	assert_true(dns_rdata_canon_cmp(65280, a, 3, c, 2) > 0);
	assert_int_equal(dns_rdata_canon_cmp(65280, a, 0, b, 0), 0);
	/* malformed rdata compares as plain octets, no crash */
	const uint8_t m1[] = { 0, 1, 9, 'A' }, m2[] = { 0, 1, 9, 'a' };
	assert_true(dns_rdata_canon_cmp(DNS_T_MX, m1, 4, m2, 4) < 0);
	/* sorting zero or one record is a no-op */
	dns_rrset_canon_sort(NULL, 0);
}

/* ---- text line and uncompressed wire form ---- */

static void test_rr_to_text(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	char buf[512];
	add(&s, "www.example.com.", DNS_T_A, "192.0.2.1");
	strbuf sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(dns_rr_to_text(&s.rr[0], &sb), 0);
	assert_string_equal(buf, "www.example.com.\t3600\tIN\tA\t192.0.2.1");

	add(&s, ".", 65280, "\\# 2 ABCD");
	s.rr[1].rclass = DNS_C_CH;
	s.rr[1].ttl = 4294967295u;
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(dns_rr_to_text(&s.rr[1], &sb), 0);
	assert_string_equal(buf, ".\t4294967295\tCH\tTYPE65280\t\\# 2 ABCD");

	s.rr[1].rclass = 2;
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(dns_rr_to_text(&s.rr[1], &sb), 0);
	assert_string_equal(buf, ".\t4294967295\tCLASS2\tTYPE65280\t\\# 2 ABCD");

	/* too small a buffer */
	sb = strbuf_init(buf, 10);
	assert_int_equal(dns_rr_to_text(&s.rr[0], &sb), WARD_ESPACE);
	/* malformed rdata: printed generically, reported */
	uint8_t bad[3] = { 1, 2, 3 };
	s.rr[0].rdata = bad;
	s.rr[0].rdlen = 3;
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(dns_rr_to_text(&s.rr[0], &sb), WARD_ERDATA);
	assert_string_equal(buf, "www.example.com.\t3600\tIN\tA\t\\# 3 010203");
}

static void test_rr_wire(void **state)
{
	(void)state;
	struct rrset s = { .n = 0 };
	uint8_t out[512];
	add(&s, "Ns1.all.rr.org.", DNS_T_A, "10.1.0.52");
	wire_wr w = wire_wr_init(out, sizeof out);
	dns_rr_write(&w, &s.rr[0]);
	assert_int_equal(w.err, 0);
	/* test_ldnsrr.c4, record 2 (case kept) */
	expect_hex(out, w.pos, "034E733103616C6C027272036F7267000001000100000E1000"
	           "040A010034");

	wire_rd rd = wire_rd_init(out, w.pos);
	dns_rr rr;
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), 0);
	assert_int_equal(rd.pos, w.pos);
	assert_true(dns_name_equal(&rr.owner, &s.rr[0].owner));
	assert_int_equal(rr.owner.len, s.rr[0].owner.len);
	assert_memory_equal(rr.owner.wire, s.rr[0].owner.wire, rr.owner.len);
	assert_int_equal(rr.type, DNS_T_A);
	assert_int_equal(rr.rclass, DNS_C_IN);
	assert_int_equal(rr.ttl, 3600);
	assert_int_equal(rr.rdlen, 4);
	assert_ptr_equal(rr.rdata, out + w.pos - 4);

	/* every prefix is truncated */
	for (size_t n = 0; n < w.pos; n++) {
		rd = wire_rd_init(out, n);
		int r = dns_rr_read_uncompressed(&rd, &rr);
		assert_int_equal(r, WARD_ETRUNC);
	}
	/* rdata not matching the type */
	uint8_t badlen[] = { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3 };
	rd = wire_rd_init(badlen, sizeof badlen);
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), WARD_ERDLEN);
	assert_int_equal(rd.err, WARD_ERDLEN);
	uint8_t badtxt[] = { 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0 };
	rd = wire_rd_init(badtxt, sizeof badtxt);
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), WARD_ERDATA);
	/* no compression in the owner */
	uint8_t ptr[] = { 0, 0xc0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
	rd = wire_rd_init(ptr, sizeof ptr);
	rd.pos = 1;
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), WARD_ECOMPRESS);
	/* two records back to back */
	w = wire_wr_init(out, sizeof out);
	add(&s, "x.", DNS_T_TXT, "\"hello\"");
	dns_rr_write(&w, &s.rr[0]);
	dns_rr_write(&w, &s.rr[1]);
	rd = wire_rd_init(out, w.pos);
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), 0);
	assert_int_equal(dns_rr_read_uncompressed(&rd, &rr), 0);
	assert_int_equal(rr.type, DNS_T_TXT);
	assert_int_equal(wire_rd_left(&rd), 0);
	/* writer overflow is sticky */
	w = wire_wr_init(out, 8);
	dns_rr_write(&w, &s.rr[0]);
	assert_int_equal(w.err, WARD_ESPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_form),
		cmocka_unit_test(test_order_a),
		cmocka_unit_test(test_order_octets),
		cmocka_unit_test(test_order_names),
		cmocka_unit_test(test_canon_cmp_basics),
		cmocka_unit_test(test_rr_to_text),
		cmocka_unit_test(test_rr_wire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
