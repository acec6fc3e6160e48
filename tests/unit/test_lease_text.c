/* Unit tests: dhcp/lease_text.c (dnsmasq's lease-file lines, both ways) and
 * dhcp/lease_journal.c (journal records: CRC-32C, torn and corrupt tails).
 * The dnsmasq lines are written by hand from what dnsmasq's lease.c writes
 * (see docs/leases.md): "EXPIRY MAC IP NAME CLIENT-ID". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/error.h"
#include "dhcp/lease_journal.h"
#include "dhcp/lease_text.h"

static int parse1(const char *line, struct dhcp_lease *l, enum lease_line_kind *k)
{
	return lease_text_parse_line(line, strlen(line), l, k);
}

static void test_dnsmasq_ethernet_line(void **state)
{
	(void)state;
	struct dhcp_lease l;
	enum lease_line_kind k;
	assert_int_equal(parse1("1700000000 52:54:00:12:34:56 192.168.1.10 laptop "
	                        "01:52:54:00:12:34:56\n", &l, &k), 0);
	assert_int_equal(k, LEASE_LINE_V4);
	assert_int_equal(l.expires, 1700000000);
	assert_int_equal(l.htype, 1);
	assert_int_equal(l.hlen, 6);
	assert_memory_equal(l.hw, "\x52\x54\x00\x12\x34\x56", 6);
	assert_int_equal(l.ip, 0xc0a8010a);
	assert_string_equal(l.hostname, "laptop");
	assert_int_equal(l.cid_len, 7);
	assert_memory_equal(l.cid, "\x01\x52\x54\x00\x12\x34\x56", 7);
}

static void test_dnsmasq_star_fields_and_infinite(void **state)
{
	(void)state;
	struct dhcp_lease l;
	enum lease_line_kind k;
	assert_int_equal(parse1("0 aa:bb:cc:dd:ee:ff 10.0.0.2 * *", &l, &k), 0);
	assert_int_equal(k, LEASE_LINE_V4);
	assert_int_equal(l.expires, DHCP_LEASE_INFINITE);
	assert_string_equal(l.hostname, "");
	assert_int_equal(l.cid_len, 0);
	/* CRLF line ending tolerated */
	assert_int_equal(parse1("5 aa:bb:cc:dd:ee:ff 10.0.0.2 * *\r\n", &l, &k), 0);
	assert_int_equal(l.expires, 5);
}

static void test_dnsmasq_hwtype_prefix(void **state)
{
	(void)state;
	struct dhcp_lease l;
	enum lease_line_kind k;
	/* IEEE 802 (type 6): dnsmasq writes "06-" before the octets */
	assert_int_equal(parse1("1700000000 06-00:11:22:33:44:55 10.0.0.3 printer *",
	                        &l, &k), 0);
	assert_int_equal(l.htype, 6);
	assert_int_equal(l.hlen, 6);
	assert_memory_equal(l.hw, "\x00\x11\x22\x33\x44\x55", 6);
	/* an empty hardware address is only its type */
	assert_int_equal(parse1("1700000000 01- 10.0.0.4 * 00:01", &l, &k), 0);
	assert_int_equal(l.htype, 1);
	assert_int_equal(l.hlen, 0);
	assert_int_equal(l.cid_len, 2);
	/* type 0 with octets reads as Ethernet, as dnsmasq does */
	assert_int_equal(parse1("1 00-aa:bb 10.0.0.5 * *", &l, &k), 0);
	assert_int_equal(l.htype, 1);
	/* hex groups without colons, and upper case (dnsmasq's parse_hex takes
	 * both) */
	assert_int_equal(parse1("1 AABBCCDDEEFF 10.0.0.6 * 01AB:cd", &l, &k), 0);
	assert_int_equal(l.hlen, 6);
	assert_memory_equal(l.hw, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	assert_int_equal(l.cid_len, 3);
	assert_memory_equal(l.cid, "\x01\xab\xcd", 3);
}

static void test_format_matches_dnsmasq(void **state)
{
	(void)state;
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.ip = 0xc0a8010a;
	l.expires = 1700000000;
	l.htype = 1;
	l.hlen = 6;
	memcpy(l.hw, "\x52\x54\x00\x12\x34\x56", 6);
	strcpy(l.hostname, "laptop");
	l.cid_len = 7;
	memcpy(l.cid, "\x01\x52\x54\x00\x12\x34\x56", 7);
	char buf[LEASE_TEXT_LINE_MAX];
	strbuf sb = strbuf_init(buf, sizeof(buf));
	assert_int_equal(lease_text_format(&sb, &l), 0);
	assert_string_equal(buf, "1700000000 52:54:00:12:34:56 192.168.1.10 laptop "
	                         "01:52:54:00:12:34:56\n");
	l.htype = 6;
	l.hostname[0] = '\0';
	l.cid_len = 0;
	l.expires = 0;
	sb = strbuf_init(buf, sizeof(buf));
	assert_int_equal(lease_text_format(&sb, &l), 0);
	assert_string_equal(buf, "0 06-52:54:00:12:34:56 192.168.1.10 * *\n");
	l.hlen = 0;
	l.htype = 1;
	sb = strbuf_init(buf, sizeof(buf));
	assert_int_equal(lease_text_format(&sb, &l), 0);
	assert_string_equal(buf, "0 01- 192.168.1.10 * *\n");
	/* too small a buffer: ESPACE, never an overrun */
	char small[16];
	sb = strbuf_init(small, sizeof(small));
	assert_int_equal(lease_text_format(&sb, &l), WARD_ESPACE);
}

static void random_lease(struct dhcp_lease *l, unsigned *seed)
{
	static const char name_chars[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
	memset(l, 0, sizeof(*l));
	l->ip = (uint32_t)rand_r(seed) ^ ((uint32_t)rand_r(seed) << 16);
	l->expires = rand_r(seed) % 4 ? (int64_t)rand_r(seed) * 1000 : 0;
	l->htype = (uint8_t)(1 + rand_r(seed) % 255);
	l->hlen = (uint8_t)(rand_r(seed) % (DHCP_LEASE_HWADDR_MAX + 1));
	for (unsigned i = 0; i < l->hlen; i++)
		l->hw[i] = (uint8_t)rand_r(seed);
	l->cid_len = (uint16_t)(rand_r(seed) % 3 ? rand_r(seed) % 20 : rand_r(seed) % 256);
	for (unsigned i = 0; i < l->cid_len; i++)
		l->cid[i] = (uint8_t)rand_r(seed);
	unsigned hn = (unsigned)(rand_r(seed) % 3 ? rand_r(seed) % 30 : rand_r(seed) % 256);
	for (unsigned i = 0; i < hn; i++)
		l->hostname[i] = name_chars[rand_r(seed) % (sizeof(name_chars) - 1)];
	if (hn == 1 && l->hostname[0] == '*')
		l->hostname[0] = 'a';
}

static void test_round_trip_random(void **state)
{
	(void)state;
	unsigned seed = 12345;
	for (int i = 0; i < 2000; i++) {
		struct dhcp_lease a, b;
		enum lease_line_kind k;
		random_lease(&a, &seed);
		char buf[LEASE_TEXT_LINE_MAX + 1];
		strbuf sb = strbuf_init(buf, sizeof(buf));
		assert_int_equal(lease_text_format(&sb, &a), 0);
		assert_true(sb.len <= LEASE_TEXT_LINE_MAX);
		assert_int_equal(lease_text_parse_line(buf, sb.len, &b, &k), 0);
		assert_int_equal(k, LEASE_LINE_V4);
		assert_memory_equal(&a, &b, sizeof(a));

		uint8_t rec[LEASE_JOURNAL_REC_MAX];
		size_t len, used;
		enum dhcp_lease_op op;
		assert_int_equal(lease_journal_encode(DHCP_LEASE_PUT, &a, rec, sizeof(rec), &len), 0);
		assert_int_equal(lease_journal_decode(rec, len, &op, &b, &used), 0);
		assert_int_equal(op, DHCP_LEASE_PUT);
		assert_int_equal(used, len);
		assert_memory_equal(&a, &b, sizeof(a));
	}
}

static void test_check_refuses_unstorable(void **state)
{
	(void)state;
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.htype = 1;
	assert_int_equal(lease_text_check(&l), 0);
	strcpy(l.hostname, "two words");
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_HOSTNAME);
	strcpy(l.hostname, "*");
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_HOSTNAME);
	strcpy(l.hostname, "tab\there");
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_HOSTNAME);
	memset(l.hostname, 'a', sizeof(l.hostname)); /* no NUL */
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_HOSTNAME);
	l.hostname[0] = '\0';
	l.expires = -1;
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_EXPIRY);
	l.expires = 0;
	l.hlen = DHCP_LEASE_HWADDR_MAX + 1;
	assert_int_equal(lease_text_check(&l), WARD_ELEASE_HWADDR);
	/* the journal refuses what the file could not hold */
	uint8_t rec[LEASE_JOURNAL_REC_MAX];
	size_t len;
	assert_int_equal(lease_journal_encode(DHCP_LEASE_PUT, &l, rec, sizeof(rec), &len),
	                 WARD_ELEASE_HWADDR);
	/* but a delete needs only the address */
	assert_int_equal(lease_journal_encode(DHCP_LEASE_DEL, &l, rec, sizeof(rec), &len), 0);
	assert_int_equal(len, LEASE_JOURNAL_REC_HDR + LEASE_JOURNAL_BODY_MIN);
}

static void test_bad_lines_one_by_one(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		int err;
	} bad[] = {
		{ "1700000000 52:54:00:12:34:56 192.168.1.10 laptop", WARD_ELEASE_FIELDS },
		{ "1 2 3 4 5 6", WARD_ELEASE_FIELDS },
		{ "-5 52:54:00:12:34:56 10.0.0.1 * *", WARD_ELEASE_EXPIRY },
		{ "99999999999999999999 52:54:00:12:34:56 10.0.0.1 * *", WARD_ELEASE_EXPIRY },
		{ "12x 52:54:00:12:34:56 10.0.0.1 * *", WARD_ELEASE_EXPIRY },
		{ "1 52:54:zz:12:34:56 10.0.0.1 * *", WARD_ELEASE_HWADDR },
		{ "1 52::54 10.0.0.1 * *", WARD_ELEASE_HWADDR },
		{ "1 52:54: 10.0.0.1 * *", WARD_ELEASE_HWADDR },
		{ "1 123-52:54 10.0.0.1 * *", WARD_ELEASE_HWADDR },
		{ "1 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00 10.0.0.1 * *",
		  WARD_ELEASE_HWADDR },
		{ "1 52:54:00:12:34:56 10.0.0.256 * *", WARD_EADDR },
		{ "1 52:54:00:12:34:56 10.0.1 * *", WARD_EADDR },
		{ "1 52:54:00:12:34:56 010.0.0.1 * *", WARD_EADDR },
		{ "1 52:54:00:12:34:56 10.0.0.1 * 01:*", WARD_ELEASE_CLIENTID },
		{ "1 52:54:00:12:34:56 10.0.0.1 * 01-02-0g", WARD_ELEASE_CLIENTID },
		{ "1 52:54:00:12:34:56 10.0.0.1 na\x01me *", WARD_ELEASE_HOSTNAME },
		{ "1 123 fe80:::1 * *", WARD_EADDR },
		{ "duid", WARD_ELEASE_FIELDS },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dhcp_lease l;
		enum lease_line_kind k;
		int rc = parse1(bad[i].line, &l, &k);
		if (rc != bad[i].err)
			fail_msg("line \"%s\": got %d, want %d", bad[i].line, rc, bad[i].err);
	}
}

struct collect {
	unsigned n;
	uint32_t ip[16];
	unsigned line[16];
	unsigned nbad;
	unsigned bad_line[16];
	int bad_err[16];
};

static int collect_lease(void *ctx, const struct dhcp_lease *l, unsigned line)
{
	struct collect *c = ctx;
	if (c->n < 16) {
		c->ip[c->n] = l->ip;
		c->line[c->n] = line;
	}
	c->n++;
	return 0;
}

static void collect_bad(void *ctx, unsigned line, int err)
{
	struct collect *c = ctx;
	if (c->nbad < 16) {
		c->bad_line[c->nbad] = line;
		c->bad_err[c->nbad] = err;
	}
	c->nbad++;
}

/* A lease file as dnsmasq with DHCPv6 and extras would leave it, with
 * damage: good lines are kept, bad ones reported with their line numbers. */
static void test_whole_file_with_damage(void **state)
{
	(void)state;
	const char *file =
		"1700000000 52:54:00:12:34:56 192.168.1.10 laptop 01:52:54:00:12:34:56\n" /* 1 */
		"1700000100 52:54:00:ab:cd:ef 192.168.1.300 phone *\n"                   /* 2 bad */
		"0 06-00:11:22:33:44:55 192.168.1.11 printer *\n"                        /* 3 */
		"1700000200 52:54:00:ab:cd:ef 192.168.1.12\n"                            /* 4 bad */
		"\n"                                                                     /* 5 */
		"duid 00:01:00:01:2a:2b:2c:2d:52:54:00:12:34:56\n"                       /* 6 */
		"1700000300 12345678 fd00::10 laptop6 00:01:00:01:2a:2b:2c:2d\n"         /* 7 */
		"1700000400 T87654321 fd00::11 * *\n"                                    /* 8 */
		"vendorclass 192.168.1.10 4d:53:46:54\n"                                 /* 9 */
		"1700000500 zz:zz 192.168.1.13 * *\n"                                    /* 10 bad */
		"1700000600 52:54:00:00:00:01 192.168.1.14 last *";                      /* 11, no \n */
	struct collect c;
	memset(&c, 0, sizeof(c));
	struct lease_text_sink sink = { collect_lease, collect_bad, &c };
	struct lease_text_stats st;
	assert_int_equal(lease_text_parse(file, strlen(file), &sink, &st), 0);
	assert_int_equal(st.lines, 11);
	assert_int_equal(st.leases, 3);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ip[0], 0xc0a8010a);
	assert_int_equal(c.line[0], 1);
	assert_int_equal(c.ip[1], 0xc0a8010b);
	assert_int_equal(c.line[1], 3);
	assert_int_equal(c.ip[2], 0xc0a8010e);
	assert_int_equal(c.line[2], 11);
	assert_int_equal(st.bad, 3);
	assert_int_equal(c.nbad, 3);
	assert_int_equal(c.bad_line[0], 2);
	assert_int_equal(c.bad_err[0], WARD_EADDR);
	assert_int_equal(c.bad_line[1], 4);
	assert_int_equal(c.bad_err[1], WARD_ELEASE_FIELDS);
	assert_int_equal(c.bad_line[2], 10);
	assert_int_equal(c.bad_err[2], WARD_ELEASE_HWADDR);
	assert_int_equal(st.first_bad, 2);
	assert_int_equal(st.first_err, WARD_EADDR);
	assert_int_equal(st.duid, 1);
	assert_int_equal(st.v6, 2);
	assert_int_equal(st.extra, 1);
}

static void test_overlong_line(void **state)
{
	(void)state;
	size_t n = LEASE_TEXT_LINE_MAX + 10;
	char *buf = malloc(n + 1);
	assert_non_null(buf);
	memset(buf, 'a', n);
	buf[n] = '\0';
	struct lease_text_stats st;
	assert_int_equal(lease_text_parse(buf, n, NULL, &st), 0);
	assert_int_equal(st.bad, 1);
	assert_int_equal(st.first_err, WARD_ELIMIT);
	free(buf);
}

/* ---- journal ---- */

static void test_crc32c_vector(void **state)
{
	(void)state;
	/* RFC 3720 §B.4 CRC-32C check value of "123456789" */
	assert_int_equal(lease_crc32c(0, (const uint8_t *)"123456789", 9), 0xe3069283u);
	/* 32 zero octets: RFC 3720 §B.4 */
	uint8_t z[32] = { 0 };
	assert_int_equal(lease_crc32c(0, z, 32), 0x8a9136aau);
	/* incremental equals one shot */
	uint32_t c = lease_crc32c(0, (const uint8_t *)"1234", 4);
	assert_int_equal(lease_crc32c(c, (const uint8_t *)"56789", 5), 0xe3069283u);
}

struct jlog {
	unsigned n;
	enum dhcp_lease_op op[8];
	struct dhcp_lease l[8];
};

static int jlog_apply(void *ctx, enum dhcp_lease_op op, const struct dhcp_lease *l)
{
	struct jlog *j = ctx;
	if (j->n < 8) {
		j->op[j->n] = op;
		j->l[j->n] = *l;
	}
	j->n++;
	return 0;
}

/* header + three records: put A, put B, delete A; returns the length, the
 * start of the last record in *last */
static size_t build_journal(uint8_t *buf, size_t cap, struct dhcp_lease *a,
                            struct dhcp_lease *b, size_t *last)
{
	unsigned seed = 7;
	random_lease(a, &seed);
	random_lease(b, &seed);
	memcpy(buf, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN);
	size_t pos = LEASE_JOURNAL_HDR_LEN, len;
	assert_int_equal(lease_journal_encode(DHCP_LEASE_PUT, a, buf + pos, cap - pos, &len), 0);
	pos += len;
	assert_int_equal(lease_journal_encode(DHCP_LEASE_PUT, b, buf + pos, cap - pos, &len), 0);
	pos += len;
	*last = pos;
	assert_int_equal(lease_journal_encode(DHCP_LEASE_DEL, a, buf + pos, cap - pos, &len), 0);
	return pos + len;
}

static void test_journal_replay_clean(void **state)
{
	(void)state;
	uint8_t buf[4 * LEASE_JOURNAL_REC_MAX];
	struct dhcp_lease a, b;
	size_t last;
	size_t n = build_journal(buf, sizeof(buf), &a, &b, &last);
	struct jlog j;
	memset(&j, 0, sizeof(j));
	struct lease_journal_scan sc;
	assert_int_equal(lease_journal_replay(buf, n, jlog_apply, &j, &sc), 0);
	assert_int_equal(sc.records, 3);
	assert_int_equal(sc.valid_len, n);
	assert_int_equal(sc.torn_len, 0);
	assert_int_equal(sc.tail_err, 0);
	assert_int_equal(j.n, 3);
	assert_int_equal(j.op[0], DHCP_LEASE_PUT);
	assert_memory_equal(&j.l[0], &a, sizeof(a));
	assert_memory_equal(&j.l[1], &b, sizeof(b));
	assert_int_equal(j.op[2], DHCP_LEASE_DEL);
	assert_int_equal(j.l[2].ip, a.ip);
}

/* Every cut inside the last record: the first two replay, the rest is a
 * torn tail reported with the offset to truncate at. */
static void test_journal_torn_tail_every_cut(void **state)
{
	(void)state;
	uint8_t buf[4 * LEASE_JOURNAL_REC_MAX];
	struct dhcp_lease a, b;
	size_t last;
	size_t n = build_journal(buf, sizeof(buf), &a, &b, &last);
	for (size_t cut = last + 1; cut < n; cut++) {
		struct jlog j;
		memset(&j, 0, sizeof(j));
		struct lease_journal_scan sc;
		assert_int_equal(lease_journal_replay(buf, cut, jlog_apply, &j, &sc), 0);
		assert_int_equal(j.n, 2);
		assert_int_equal(sc.records, 2);
		assert_int_equal(sc.valid_len, last);
		assert_int_equal(sc.torn_len, cut - last);
		assert_int_equal(sc.tail_err, WARD_ETRUNC);
	}
}

/* A flipped bit anywhere in a record is caught by the checksum (or the
 * length check): replay stops before that record. A zero-filled tail (what
 * a filesystem may show after a crash) is torn too. */
static void test_journal_corruption(void **state)
{
	(void)state;
	uint8_t buf[4 * LEASE_JOURNAL_REC_MAX];
	struct dhcp_lease a, b;
	size_t last;
	size_t n = build_journal(buf, sizeof(buf), &a, &b, &last);
	size_t first_end;
	{
		struct lease_journal_scan sc;
		assert_int_equal(lease_journal_replay(buf, last, NULL, NULL, &sc), 0);
		enum dhcp_lease_op op;
		struct dhcp_lease l;
		assert_int_equal(lease_journal_decode(buf + LEASE_JOURNAL_HDR_LEN,
		                                      n - LEASE_JOURNAL_HDR_LEN, &op, &l,
		                                      &first_end), 0);
		first_end += LEASE_JOURNAL_HDR_LEN;
	}
	for (size_t at = first_end; at < last; at++) {
		for (int bit = 0; bit < 8; bit++) {
			buf[at] ^= (uint8_t)(1u << bit);
			struct jlog j;
			memset(&j, 0, sizeof(j));
			struct lease_journal_scan sc;
			assert_int_equal(lease_journal_replay(buf, n, jlog_apply, &j, &sc), 0);
			assert_int_equal(j.n, 1);
			assert_int_equal(sc.valid_len, first_end);
			assert_true(sc.tail_err == WARD_ELEASE_TORN || sc.tail_err == WARD_ETRUNC);
			buf[at] ^= (uint8_t)(1u << bit);
		}
	}
	uint8_t z[64];
	memcpy(z, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN);
	memset(z + LEASE_JOURNAL_HDR_LEN, 0, sizeof(z) - LEASE_JOURNAL_HDR_LEN);
	struct lease_journal_scan sc;
	assert_int_equal(lease_journal_replay(z, sizeof(z), NULL, NULL, &sc), 0);
	assert_int_equal(sc.records, 0);
	assert_int_equal(sc.valid_len, LEASE_JOURNAL_HDR_LEN);
	assert_int_equal(sc.tail_err, WARD_ELEASE_TORN);
}

static void test_journal_header(void **state)
{
	(void)state;
	struct lease_journal_scan sc;
	/* a header cut short (journal created, never completed): empty */
	assert_int_equal(lease_journal_replay((const uint8_t *)"WARD", 4, NULL, NULL, &sc), 0);
	assert_int_equal(sc.valid_len, 0);
	assert_int_equal(sc.torn_len, 4);
	assert_int_equal(lease_journal_replay((const uint8_t *)"", 0, NULL, NULL, &sc), 0);
	/* someone else's file */
	assert_int_equal(lease_journal_replay((const uint8_t *)"1700000000 aa", 13, NULL,
	                                      NULL, &sc), WARD_ELEASE_JMAGIC);
	assert_int_equal(lease_journal_replay((const uint8_t *)"XY", 2, NULL, NULL, &sc),
	                 WARD_ELEASE_JMAGIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dnsmasq_ethernet_line),
		cmocka_unit_test(test_dnsmasq_star_fields_and_infinite),
		cmocka_unit_test(test_dnsmasq_hwtype_prefix),
		cmocka_unit_test(test_format_matches_dnsmasq),
		cmocka_unit_test(test_round_trip_random),
		cmocka_unit_test(test_check_refuses_unstorable),
		cmocka_unit_test(test_bad_lines_one_by_one),
		cmocka_unit_test(test_whole_file_with_damage),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_crc32c_vector),
		cmocka_unit_test(test_journal_replay_clean),
		cmocka_unit_test(test_journal_torn_tail_every_cut),
		cmocka_unit_test(test_journal_corruption),
		cmocka_unit_test(test_journal_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
