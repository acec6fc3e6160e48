/* Unit tests: codec/name.c — wire decoding with compression, encoding with
 * compression, presentation format, comparison, canonical order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "codec/name.h"

static dns_name text(const char *s)
{
	dns_name n;
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), NULL), 0);
	return n;
}

static void expect_text(const dns_name *n, const char *want)
{
	char buf[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(n, buf), want);
}

static void test_read_simple(void **state)
{
	(void)state;
	const uint8_t pkt[] = { 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l',
	                        'e', 3, 'c', 'o', 'm', 0, 0xAA };
	wire_rd rd = wire_rd_init(pkt, sizeof pkt);
	dns_name n;
	assert_int_equal(dns_name_read(&rd, &n, true), 0);
	assert_int_equal(rd.pos, 17);
	assert_int_equal(n.len, 17);
	expect_text(&n, "www.example.com.");
	assert_int_equal(dns_name_labels(&n), 3);
}

static void test_read_compressed(void **state)
{
	(void)state;
	/* "example.com." at 0, then "www" + pointer to 0 at 13 */
	const uint8_t pkt[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
	                        'm', 0, 3, 'w', 'w', 'w', 0xC0, 0x00 };
	wire_rd rd = wire_rd_init(pkt, sizeof pkt);
	rd.pos = 13;
	dns_name n;
	assert_int_equal(dns_name_read(&rd, &n, true), 0);
	assert_int_equal(rd.pos, 19); /* stream continues after the pointer */
	expect_text(&n, "www.example.com.");

	rd = wire_rd_init(pkt, sizeof pkt);
	rd.pos = 13;
	assert_int_equal(dns_name_read(&rd, &n, false), WARD_ECOMPRESS);
	assert_int_equal(rd.err, WARD_ECOMPRESS);
}

static void test_read_pointer_loops(void **state)
{
	(void)state;
	dns_name n;
	/* pointer to itself */
	const uint8_t self[] = { 0, 0, 0xC0, 0x02 };
	wire_rd rd = wire_rd_init(self, sizeof self);
	rd.pos = 2;
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_EPTRFWD);

	/* forward pointer */
	const uint8_t fwd[] = { 0xC0, 0x02, 1, 'a', 0 };
	rd = wire_rd_init(fwd, sizeof fwd);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_EPTRFWD);

	/* two pointers pointing at each other: second hop goes forward */
	const uint8_t loop[] = { 0xC0, 0x02, 0xC0, 0x00 };
	rd = wire_rd_init(loop, sizeof loop);
	rd.pos = 2;
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_EPTRFWD);

	/* a label that jumps back into the middle of itself */
	const uint8_t mid[] = { 1, 'a', 0xC0, 0x00 };
	rd = wire_rd_init(mid, sizeof mid);
	rd.pos = 2;
	/* target 0 is "a", then the pointer at 2 again: a loop */
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_EPTRLOOP);

	/* pointer cut short */
	const uint8_t cut[] = { 0xC0 };
	rd = wire_rd_init(cut, sizeof cut);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ETRUNC);
}

static void test_read_hop_cap(void **state)
{
	(void)state;
	/* a long chain of pointers each one pointing 2 bytes back */
	uint8_t pkt[2 + 2 * (DNS_PTR_MAXHOPS + 5)];
	pkt[0] = 0;
	pkt[1] = 0;
	size_t n_ptrs = DNS_PTR_MAXHOPS + 5;
	for (size_t i = 0; i < n_ptrs; i++) {
		size_t at = 2 + 2 * i;
		size_t target = at - 2;
		pkt[at] = (uint8_t)(0xC0 | (target >> 8));
		pkt[at + 1] = (uint8_t)target;
	}
	wire_rd rd = wire_rd_init(pkt, sizeof pkt);
	rd.pos = sizeof pkt - 2;
	dns_name n;
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_EPTRLOOP);
	/* a short chain is fine */
	rd = wire_rd_init(pkt, sizeof pkt);
	rd.pos = 2 + 2 * 3;
	assert_int_equal(dns_name_read(&rd, &n, true), 0);
	expect_text(&n, ".");
}

static void test_read_limits(void **state)
{
	(void)state;
	uint8_t pkt[300];
	dns_name n;
	/* label of 64 octets -> reserved label type? 64 = 0x40 */
	memset(pkt, 'a', sizeof pkt);
	pkt[0] = 64;
	wire_rd rd = wire_rd_init(pkt, sizeof pkt);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ELABELTYPE);

	/* 63 octet label fine */
	pkt[0] = 63;
	pkt[64] = 0;
	rd = wire_rd_init(pkt, sizeof pkt);
	assert_int_equal(dns_name_read(&rd, &n, true), 0);
	assert_int_equal(n.len, 65);

	/* exactly 255 octets: 3 x 63-labels + one 61-label + root */
	size_t pos = 0;
	for (int i = 0; i < 3; i++) {
		pkt[pos] = 63;
		memset(pkt + pos + 1, 'b', 63);
		pos += 64;
	}
	pkt[pos] = 61;
	memset(pkt + pos + 1, 'c', 61);
	pos += 62;
	pkt[pos++] = 0;
	assert_int_equal(pos, 255);
	rd = wire_rd_init(pkt, pos);
	assert_int_equal(dns_name_read(&rd, &n, true), 0);
	assert_int_equal(n.len, 255);

	/* 256 octets */
	pkt[192] = 62;
	memset(pkt + 193, 'c', 62);
	pkt[255] = 0;
	rd = wire_rd_init(pkt, 256);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ENAMELEN);

	/* truncated inside a label */
	const uint8_t tr[] = { 3, 'a', 'b' };
	rd = wire_rd_init(tr, sizeof tr);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ETRUNC);
	/* missing root label */
	const uint8_t nr[] = { 1, 'a' };
	rd = wire_rd_init(nr, sizeof nr);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ETRUNC);
	/* 0x80 label type */
	const uint8_t lt[] = { 0x80, 0 };
	rd = wire_rd_init(lt, sizeof lt);
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ELABELTYPE);
}

static void test_read_limit_respects_end(void **state)
{
	(void)state;
	/* the name runs past a narrowed end (e.g. rdata bounds) */
	const uint8_t pkt[] = { 1, 'a', 0, 9 };
	wire_rd rd = wire_rd_init(pkt, sizeof pkt);
	size_t old = wire_rd_limit(&rd, 2);
	dns_name n;
	assert_int_equal(dns_name_read(&rd, &n, true), WARD_ETRUNC);
	wire_rd_unlimit(&rd, old);
	/* sticky: further reads fail */
	assert_int_equal(wire_rd_u8(&rd), 0);
	assert_int_equal(rd.err, WARD_ETRUNC);
}

static void test_text_roundtrip(void **state)
{
	(void)state;
	dns_name n = text("Www.Example.COM.");
	expect_text(&n, "Www.Example.COM.");
	n = text(".");
	assert_int_equal(n.len, 1);
	expect_text(&n, ".");

	n = text("a\\.b.c.");
	assert_int_equal(dns_name_labels(&n), 2);
	assert_int_equal(n.wire[0], 3);
	expect_text(&n, "a\\.b.c.");

	n = text("\\000\\255\\032x.");
	assert_int_equal(n.wire[0], 4);
	assert_int_equal(n.wire[1], 0);
	assert_int_equal(n.wire[2], 255);
	assert_int_equal(n.wire[3], ' ');
	expect_text(&n, "\\000\\255\\ x.");

	n = text("semi\\;colon\\\"q\\(p\\)\\@\\$\\\\.");
	expect_text(&n, "semi\\;colon\\\"q\\(p\\)\\@\\$\\\\.");
}

static void test_text_errors(void **state)
{
	(void)state;
	dns_name n, origin = text("example.org.");
	assert_int_equal(dns_name_from_text(&n, "a..b.", 5, NULL), WARD_EEMPTYLABEL);
	assert_int_equal(dns_name_from_text(&n, ".a.", 3, NULL), WARD_EEMPTYLABEL);
	assert_int_equal(dns_name_from_text(&n, "", 0, NULL), WARD_ESYNTAX);
	assert_int_equal(dns_name_from_text(&n, "a\\25", 4, NULL), WARD_EESCAPE);
	assert_int_equal(dns_name_from_text(&n, "a\\256.", 6, NULL), WARD_EESCAPE);
	assert_int_equal(dns_name_from_text(&n, "a\\", 2, NULL), WARD_EESCAPE);
	assert_int_equal(dns_name_from_text(&n, "rel", 3, NULL), WARD_ENOORIGIN);
	assert_int_equal(dns_name_from_text(&n, "@", 1, NULL), WARD_ENOORIGIN);

	assert_int_equal(dns_name_from_text(&n, "www", 3, &origin), 0);
	expect_text(&n, "www.example.org.");
	assert_int_equal(dns_name_from_text(&n, "@", 1, &origin), 0);
	expect_text(&n, "example.org.");

	char lab[70];
	memset(lab, 'x', 64);
	lab[64] = '.';
	assert_int_equal(dns_name_from_text(&n, lab, 65, NULL), WARD_ELABEL);
	assert_int_equal(dns_name_from_text(&n, lab, 63, NULL), WARD_ENOORIGIN);
	lab[63] = '.';
	assert_int_equal(dns_name_from_text(&n, lab, 64, NULL), 0);

	/* 4 x 63-octet labels = 257 octets */
	char big[300];
	size_t p = 0;
	for (int i = 0; i < 4; i++) {
		memset(big + p, 'y', 63);
		p += 63;
		big[p++] = '.';
	}
	assert_int_equal(dns_name_from_text(&n, big, p, NULL), WARD_ENAMELEN);
	/* 253 characters of text -> 255 octets fits */
	p = 0;
	for (int i = 0; i < 3; i++) {
		memset(big + p, 'y', 63);
		p += 63;
		big[p++] = '.';
	}
	memset(big + p, 'z', 61);
	p += 61;
	big[p++] = '.';
	assert_int_equal(dns_name_from_text(&n, big, p, NULL), 0);
	assert_int_equal(n.len, 255);
	/* relative name that becomes too long with its origin */
	assert_int_equal(dns_name_from_text(&n, big, p - 1, &origin), WARD_ENAMELEN);
}

static void test_equal_and_subdomain(void **state)
{
	(void)state;
	dns_name a = text("WWW.example.COM."), b = text("www.EXAMPLE.com.");
	dns_name c = text("example.com."), d = text("xample.com.");
	dns_name root = text(".");
	assert_true(dns_name_equal(&a, &b));
	assert_false(dns_name_equal(&a, &c));
	assert_true(dns_name_is_subdomain(&a, &c));
	assert_true(dns_name_is_subdomain(&c, &c));
	assert_true(dns_name_is_subdomain(&c, &root));
	assert_false(dns_name_is_subdomain(&c, &a));
	assert_false(dns_name_is_subdomain(&c, &d));
	assert_false(dns_name_is_subdomain(&d, &c));
	dns_name_lower(&a);
	expect_text(&a, "www.example.com.");
	dns_name_strip_left(&a, 1);
	assert_true(dns_name_equal(&a, &c));
	dns_name_strip_left(&a, 5);
	assert_true(dns_name_equal(&a, &root));
	assert_int_equal(dns_name_prepend_label(&a, (const uint8_t *)"com", 3), 0);
	expect_text(&a, "com.");
	dns_name e;
	assert_int_equal(dns_name_concat(&e, (const uint8_t *)"\1x", 2, &c), 0);
	expect_text(&e, "x.example.com.");
}

/* RFC 4034 §6.1 example, in canonical order */
static void test_canon_order(void **state)
{
	(void)state;
	const char *order[] = {
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
		"zABC.a.EXAMPLE.", "z.example.", "\\001.z.example.",
		"*.z.example.", "\\200.z.example.",
	};
	size_t n = sizeof order / sizeof order[0];
	for (size_t i = 0; i < n; i++) {
		dns_name a = text(order[i]);
		assert_int_equal(dns_name_canon_cmp(&a, &a), 0);
		for (size_t j = i + 1; j < n; j++) {
			dns_name b = text(order[j]);
			assert_true(dns_name_canon_cmp(&a, &b) < 0);
			assert_true(dns_name_canon_cmp(&b, &a) > 0);
		}
	}
	dns_name x = text("A.Example."), y = text("a.example.");
	assert_int_equal(dns_name_canon_cmp(&x, &y), 0);
	dns_name r = text("."), t = text("example.");
	assert_true(dns_name_canon_cmp(&r, &t) < 0);
}

static void test_write_compressed(void **state)
{
	(void)state;
	uint8_t buf[512];
	wire_wr w = wire_wr_init(buf, sizeof buf);
	dns_compress c;
	dns_compress_init(&c);
	wire_wr_bytes(&w, "\0\0\0\0\0\0\0\0\0\0\0\0", 12); /* fake header */
	dns_name a = text("www.example.com."), b = text("mail.EXAMPLE.com.");
	dns_name d = text("www.example.com."), e = text("com."), f = text("org.");
	dns_name_write_compressed(&w, &a, &c);
	assert_int_equal(w.pos, 12 + 17);
	dns_name_write_compressed(&w, &b, &c);
	/* "mail" label + pointer to "example.com" at 16 */
	assert_int_equal(w.pos, 29 + 5 + 2);
	assert_int_equal(buf[34], 0xC0);
	assert_int_equal(buf[35], 16);
	dns_name_write_compressed(&w, &d, &c);
	assert_int_equal(w.pos, 36 + 2);
	assert_int_equal(buf[37], 12);
	dns_name_write_compressed(&w, &e, &c);
	assert_int_equal(w.pos, 38 + 2);
	assert_int_equal(buf[39], 24);
	dns_name_write_compressed(&w, &f, &c);
	assert_int_equal(w.pos, 40 + 5);
	assert_int_equal(w.err, 0);

	/* every name decodes back */
	wire_rd rd = wire_rd_init(buf, w.pos);
	rd.pos = 12;
	const dns_name *want[] = { &a, &b, &d, &e, &f };
	for (int i = 0; i < 5; i++) {
		dns_name got;
		assert_int_equal(dns_name_read(&rd, &got, true), 0);
		assert_true(dns_name_equal(&got, want[i]));
	}
	assert_int_equal(rd.pos, w.pos);

	/* no room: sticky ESPACE */
	uint8_t small[10];
	w = wire_wr_init(small, sizeof small);
	dns_compress_init(&c);
	dns_name_write_compressed(&w, &a, &c);
	assert_int_equal(w.err, WARD_ESPACE);
}

static void test_check_and_from_wire(void **state)
{
	(void)state;
	const uint8_t ok[] = { 1, 'a', 0 };
	const uint8_t ptr[] = { 1, 'a', 0xC0, 0 };
	dns_name n;
	assert_int_equal(dns_name_check(ok, sizeof ok), 3);
	assert_int_equal(dns_name_check(ptr, sizeof ptr), WARD_ECOMPRESS);
	assert_int_equal(dns_name_check(ok, 2), WARD_ETRUNC);
	assert_int_equal(dns_name_from_wire(&n, ok, sizeof ok), 0);
	expect_text(&n, "a.");
}

/* dns_name_lower works 8 octets at a time: every octet value at every
 * position of names of every length up to 40, against the one-octet rule. */
static void test_lower_every_octet(void **state)
{
	(void)state;
	for (unsigned len = 1; len <= 40; len++)
		for (unsigned pos = 0; pos < len; pos++)
			for (unsigned v = 0; v < 256; v++) {
				dns_name n = { .len = (uint16_t)len };
				for (unsigned k = 0; k < len; k++)
					n.wire[k] = (uint8_t)(k == pos ? v : 'A' + (k * 7) % 60);
				n.wire[len] = 'Q'; /* past the end: left alone */
				dns_name want = n;
				for (unsigned k = 0; k < len; k++)
					if (want.wire[k] >= 'A' && want.wire[k] <= 'Z')
						want.wire[k] = (uint8_t)(want.wire[k] + 32);
				dns_name_lower(&n);
				assert_memory_equal(n.wire, want.wire, len + 1);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_simple),
		cmocka_unit_test(test_read_compressed),
		cmocka_unit_test(test_read_pointer_loops),
		cmocka_unit_test(test_read_hop_cap),
		cmocka_unit_test(test_read_limits),
		cmocka_unit_test(test_read_limit_respects_end),
		cmocka_unit_test(test_text_roundtrip),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_equal_and_subdomain),
		cmocka_unit_test(test_canon_order),
		cmocka_unit_test(test_write_compressed),
		cmocka_unit_test(test_check_and_from_wire),
		cmocka_unit_test(test_lower_every_octet),
	};
	return cmocka_run_group_tests_name("name", tests, NULL, NULL);
}
