/* ward tests: the fast paths of the message codec change nothing.
 *
 * dns_msg_parse (one-compare label checks, names noted for the views) is
 * compared with the parser as it was before them (helper_msg_ref.c), and
 * every record decoded the trusted way (views of a validated message,
 * msg_view.c) with the same record decoded the validating way, on:
 * the captured packets of Unbound's test_packets.2 and .3 (shared/testdata),
 * the fuzz seeds of fuzz/corpus/msg, hand-made messages with compression
 * in every place it may be, and mutations of all of them (every byte set
 * to values that matter to names and lengths, truncation at every
 * length, random bytes from a fixed seed). Every case must agree exactly:
 * same result, same error, where and in which section, same records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/msg.h"
#include "helper_msg_ref.h"

static char testdata[4096];
static unsigned long cases;

static void check_one(const uint8_t *pkt, size_t len, const char *what)
{
	char why[256];
	cases++;
	if (ref_msg_compare(pkt, len, why, sizeof why) != 0)
		fail_msg("%s (%zu octets): %s", what, len, why);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The packet, its truncations, and mutations: at every position (or at
 * `random` random positions when positions is 0) each byte value in vals. */
static void check_mutations(const uint8_t *pkt, size_t len, const char *what,
                            bool every_position, unsigned random)
{
	static const uint8_t vals[] = { 0x00, 0x01, 0x3F, 0x40, 0xC0, 0xC0 | 0x0C,
	                                0xFF };
	static uint8_t buf[DNS_MSG_MAXLEN];
	if (len > sizeof buf)
		return;
	check_one(pkt, len, what);
	for (size_t n = 0; n < len; n++)
		check_one(pkt, n, what);
	memcpy(buf, pkt, len);
	if (every_position) {
		for (size_t i = 0; i < len; i++) {
			for (size_t k = 0; k < sizeof vals; k++) {
				buf[i] = vals[k];
				check_one(buf, len, what);
			}
			buf[i] = (uint8_t)(pkt[i] + 1);
			check_one(buf, len, what);
			buf[i] = pkt[i];
		}
	}
	for (unsigned r = 0; r < random && len > 0; r++) {
		size_t i = (size_t)(next_rand() % len);
		uint8_t old = buf[i];
		buf[i] = (uint8_t)next_rand();
		check_one(buf, len, what);
		/* and a second byte on top, sometimes kept */
		size_t j = (size_t)(next_rand() % len);
		uint8_t old2 = buf[j];
		buf[j] = vals[next_rand() % sizeof vals];
		check_one(buf, len, what);
		buf[j] = old2;
		if (next_rand() % 4)
			buf[i] = old;
	}
}

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

static size_t from_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (; *s && *s != ';'; s++) {
		int v = hexval((unsigned char)*s);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else if (n < cap) {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* Unbound's test_packets.N with one packet in hex per line. */
static unsigned check_hex_file(int no, unsigned every)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/codec/unbound/test_packets.%d",
	         testdata, no);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("SKIP test_packets.%d: %s not found (set WARD_TESTDATA)\n",
		       no, path);
		return 0;
	}
	static char line[1 << 17];
	static uint8_t pkt[1 << 16];
	unsigned packets = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == ';' || strlen(line) < 10)
			continue;
		size_t n = from_hex(line, pkt, sizeof pkt);
		char what[64];
		snprintf(what, sizeof what, "test_packets.%d #%u", no, packets);
		check_mutations(pkt, n, what, packets % every == 0, 200);
		packets++;
	}
	fclose(f);
	return packets;
}

static void test_captured_packets(void **state)
{
	(void)state;
	unsigned long before = cases;
	unsigned n = check_hex_file(2, 1) + check_hex_file(3, 1);
	printf("captured packets: %u, %lu cases agree\n", n, cases - before);
	if (n == 0)
		skip();
}

static void test_fuzz_seeds(void **state)
{
	(void)state;
	DIR *d = opendir("fuzz/corpus/msg");
	assert_non_null(d);
	struct dirent *e;
	unsigned files = 0;
	static uint8_t pkt[1 << 16];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "fuzz/corpus/msg/%s", e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		size_t n = fread(pkt, 1, sizeof pkt, f);
		fclose(f);
		check_mutations(pkt, n, path, true, 2000);
		files++;
	}
	closedir(d);
	assert_true(files >= 3);
}

/* Hand-made messages: a name with two pointers and one with three, the
 * first and the later names of SOA, MINFO, RP, NAPTR (a name after
 * strings), SRV, MX, RRSIG and NSEC with compressed names, a compressed
 * owner and rdata name that points into a record's rdata, an OPT record,
 * class NONE with empty rdata. */
static void test_compression_everywhere(void **state)
{
	(void)state;
	static const uint8_t msg[] = {
		0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x09, 0x00, 0x01,
		0x00, 0x01,
		/* 12: question www.example.com. A IN */
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'c', 'o', 'm', 0, 0x00, 0x01, 0x00, 0x01,
		/* 33: www.example.com CNAME a.b.example.com (a.b + ptr 16) */
		0xC0, 12, 0x00, 0x05, 0x00, 0x01, 0, 0, 0x0e, 0x10, 0x00, 0x06,
		1, 'a', 1, 'b', 0xC0, 16,
		/* 51: a.b.example.com (ptr to 45) A 192.0.2.1 */
		0xC0, 45, 0x00, 0x01, 0x00, 0x01, 0, 0, 0x0e, 0x10, 0x00, 0x04,
		192, 0, 2, 1,
		/* 67: x.a.b.example.com (x + ptr 45: two pointers) MX 10 a.b */
		1, 'x', 0xC0, 45, 0x00, 0x0f, 0x00, 0x01, 0, 0, 0, 60,
		0x00, 0x04, 0x00, 10, 0xC0, 45,
		/* 85: y.x.a.b.example.com (y + ptr 67: three pointers) SRV
		 * 0 1 2 53 z.y.x... (z + ptr to the owner's pointer) */
		1, 'y', 0xC0, 67, 0x00, 0x21, 0x00, 0x01, 0, 0, 0, 60,
		0x00, 0x0a, 0x00, 1, 0x00, 2, 0x00, 53, 1, 'z', 0xC0, 87,
		/* 109: example.com SOA ns.example.com (121) mail.x.a.b... (126) */
		0xC0, 16, 0x00, 0x06, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x20,
		2, 'n', 's', 0xC0, 16, 4, 'm', 'a', 'i', 'l', 0xC0, 67,
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
		/* 153: example.com NAPTR 1 2 "u" "E2U" "" ns.example.com */
		0xC0, 16, 0x00, 0x23, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x0d,
		0x00, 0x01, 0x00, 0x02, 1, 'u', 3, 'E', '2', 'U', 0,
		0xC0, 121,
		/* 178: example.com RRSIG A 8 2 60 ... signer example.com sig */
		0xC0, 16, 0x00, 0x2e, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x18,
		0x00, 0x01, 8, 2, 0, 0, 0, 60, 0x60, 0, 0, 0, 0x5f, 0, 0, 0,
		0x12, 0x34, 0xC0, 16, 0xde, 0xad, 0xbe, 0xef,
		/* 214: example.com NSEC a.b.example.com A RRSIG */
		0xC0, 16, 0x00, 0x2f, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x08,
		0xC0, 45, 0x00, 0x04, 0x40, 0x00, 0x00, 0x02,
		/* 234: example.com RP mail.x... x.a.b... (names 2 and 1 ptrs) */
		0xC0, 16, 0x00, 0x11, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04,
		0xC0, 126, 0xC0, 67,
		/* 250: authority: example.com NS class NONE, empty rdata */
		0xC0, 16, 0x00, 0x02, 0x00, 0xfe, 0, 0, 0, 0, 0x00, 0x00,
		/* 262: additional: OPT */
		0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
	};
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, msg, sizeof msg), 0);
	assert_int_equal(m.parsed[DNS_SEC_ANSWER], 9);
	/* the notes the fast paths use: pointers counted per owner */
	assert_int_equal(m.notes[1].owner.ptrs, 1);  /* CNAME */
	assert_int_equal(m.notes[1].owner.len, 17);
	assert_int_equal(m.notes[2].owner.ptrs, 2);  /* A */
	assert_int_equal(m.notes[3].owner.ptrs, 2);  /* MX */
	assert_int_equal(m.notes[3].owner.len, 19);
	assert_int_equal(m.notes[4].owner.ptrs, 2);  /* SRV: three */
	assert_int_equal(m.notes[4].owner.len, 21);
	assert_int_equal(m.notes[1].rdname.ptrs, 1); /* CNAME a.b+ptr */
	assert_int_equal(m.notes[1].rdname.len, 17);
	check_mutations(msg, sizeof msg, "compression everywhere", true, 20000);
}

int main(void)
{
	const char *env = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s",
	         env && *env ? env : "../shared/testdata");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compression_everywhere),
		cmocka_unit_test(test_fuzz_seeds),
		cmocka_unit_test(test_captured_packets),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	printf("%lu cases compared\n", cases);
	return r;
}
