/* Unit tests: codec/edns.c — OPT fields, the option iterator, COOKIE,
 * Extended DNS Errors, client subnet, TCP keepalive, EXPIRE, padding,
 * UTF-8 checks and the option text forms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "codec/edns.h"

static edns_opt OPT(uint16_t code, const void *data, size_t len)
{
	edns_opt o = { code, (uint16_t)len, data };
	return o;
}

static const char *text(const edns_opt *o)
{
	static char buf[1024];
	strbuf sb = strbuf_init(buf, sizeof buf);
	edns_opt_to_text(o, &sb);
	assert_int_equal(sb.err, 0);
	return buf;
}

static void test_opt_fields(void **state)
{
	(void)state;
	edns_info e;
	static const uint8_t opts[] = { 0, 3, 0, 0 }; /* empty NSID */
	uint32_t ttl = edns_ttl(1, 0, EDNS_FLAG_DO);
	assert_int_equal(ttl, 0x01008000);
	assert_int_equal(edns_from_rr(4096, ttl, opts, sizeof opts, &e), 0);
	assert_int_equal(e.udp_size, 4096);
	assert_int_equal(e.ext_rcode, 1);
	assert_int_equal(e.version, 0);
	assert_int_equal(e.flags, EDNS_FLAG_DO);
	assert_int_equal(e.opts_len, 4);
	assert_int_equal(edns_udp_size(&e), 4096);
	assert_int_equal(edns_from_rr(100, edns_ttl(0, 1, 0), NULL, 0, &e), 0);
	assert_int_equal(e.version, 1);
	assert_int_equal(edns_udp_size(&e), 512); /* RFC 6891 §6.2.5 */
	/* bad framing */
	static const uint8_t bad[] = { 0, 3, 0, 1 };
	assert_int_equal(edns_from_rr(4096, 0, bad, sizeof bad, &e), WARD_EOPT);
	assert_int_equal(edns_from_rr(4096, 0, NULL, 3, &e), WARD_EOPT);
}

static void test_iterator(void **state)
{
	(void)state;
	static const uint8_t opts[] = {
		0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, /* COOKIE */
		0, 12, 0, 0,                          /* empty padding */
		0xfd, 0xe9, 0, 2, 0xab, 0xcd,         /* 65001, unknown */
	};
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, opts, sizeof opts);
	assert_int_equal(edns_opt_iter_next(&it, &o), 1);
	assert_int_equal(o.code, EDNS_OPT_COOKIE);
	assert_int_equal(o.len, 8);
	assert_ptr_equal(o.data, opts + 4);
	assert_int_equal(edns_opt_iter_next(&it, &o), 1);
	assert_int_equal(o.code, EDNS_OPT_PADDING);
	assert_int_equal(o.len, 0);
	assert_int_equal(edns_opt_iter_next(&it, &o), 1);
	assert_int_equal(o.code, 65001);
	assert_string_equal(text(&o), "OPT=65001: abcd");
	assert_int_equal(edns_opt_iter_next(&it, &o), 0);
	assert_int_equal(edns_opt_iter_next(&it, &o), 0);
	assert_int_equal(edns_opts_check(opts, sizeof opts), 0);

	/* every truncation of the list inside an option is an error */
	for (size_t n = 1; n < sizeof opts; n++) {
		int want = (n == 12 || n == 16) ? 0 : WARD_EOPT;
		assert_int_equal(edns_opts_check(opts, n), want);
	}
	/* the error is sticky */
	edns_opt_iter_init(&it, opts, 3);
	assert_int_equal(edns_opt_iter_next(&it, &o), WARD_EOPT);
	assert_int_equal(edns_opt_iter_next(&it, &o), WARD_EOPT);
	/* empty list */
	edns_opt_iter_init(&it, NULL, 0);
	assert_int_equal(edns_opt_iter_next(&it, &o), 0);

	/* find */
	edns_info e;
	assert_int_equal(edns_from_rr(1232, 0, opts, sizeof opts, &e), 0);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_PADDING, &o), 0);
	assert_int_equal(o.code, EDNS_OPT_PADDING);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_EDE, &o), WARD_ENOTFOUND);
	assert_string_equal(edns_opt_name(EDNS_OPT_ECS), "CLIENT-SUBNET");
	assert_null(edns_opt_name(4242));
}

static void test_cookie(void **state)
{
	(void)state;
	uint8_t d[48];
	for (int i = 0; i < 48; i++)
		d[i] = (uint8_t)(i + 1);
	edns_cookie c;
	/* client only */
	edns_opt o = OPT(EDNS_OPT_COOKIE, d, 8);
	assert_int_equal(edns_cookie_parse(&o, &c), 0);
	assert_memory_equal(c.client, d, 8);
	assert_int_equal(c.server_len, 0);
	assert_string_equal(text(&o), "COOKIE: 0102030405060708");
	/* client + server of 8..32 */
	for (size_t n = 16; n <= 40; n++) {
		o = OPT(EDNS_OPT_COOKIE, d, n);
		assert_int_equal(edns_cookie_parse(&o, &c), 0);
		assert_int_equal(c.server_len, n - 8);
		assert_memory_equal(c.server, d + 8, n - 8);
	}
	/* every other length is malformed */
	static const size_t bad[] = { 0, 1, 7, 9, 12, 15, 41, 48 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = OPT(EDNS_OPT_COOKIE, d, bad[i]);
		assert_int_equal(edns_cookie_parse(&o, &c), WARD_EOPT);
	}
	o = OPT(EDNS_OPT_COOKIE, d, 9);
	assert_string_equal(text(&o), "COOKIE: 010203040506070809 (malformed)");
	/* encoding */
	uint8_t out[64];
	edns_cookie enc = { { 9, 9, 9, 9, 9, 9, 9, 9 }, { 1, 2, 3, 4, 5, 6, 7, 8 }, 8 };
	assert_int_equal(edns_cookie_encode(&enc, out, sizeof out), 16);
	assert_int_equal(out[8], 1);
	enc.server_len = 33;
	assert_int_equal(edns_cookie_encode(&enc, out, sizeof out), WARD_EOPT);
	enc.server_len = 4;
	assert_int_equal(edns_cookie_encode(&enc, out, sizeof out), WARD_EOPT);
	enc.server_len = 0;
	assert_int_equal(edns_cookie_encode(&enc, out, sizeof out), 8);
	assert_int_equal(edns_cookie_encode(&enc, out, 4), WARD_ESPACE);
}

static void test_ede(void **state)
{
	(void)state;
	edns_ede e;
	/* without text */
	static const uint8_t bogus[] = { 0, 6 };
	edns_opt o = OPT(EDNS_OPT_EDE, bogus, sizeof bogus);
	assert_int_equal(edns_ede_parse(&o, &e), 0);
	assert_int_equal(e.info_code, EDE_DNSSEC_BOGUS);
	assert_null(e.text);
	assert_int_equal(e.text_len, 0);
	assert_string_equal(text(&o), "EDE: 6 (DNSSEC Bogus)");
	/* with text */
	static const uint8_t txt[] = { 0, 9, 'n', 'o', ' ', 'k', 'e', 'y' };
	o = OPT(EDNS_OPT_EDE, txt, sizeof txt);
	assert_int_equal(edns_ede_parse(&o, &e), 0);
	assert_int_equal(e.info_code, EDE_DNSKEY_MISSING);
	assert_int_equal(e.text_len, 6);
	assert_memory_equal(e.text, "no key", 6);
	assert_true(e.text_utf8);
	assert_string_equal(text(&o), "EDE: 9 (DNSKEY Missing): (no key)");
	/* a trailing NUL is dropped */
	static const uint8_t nul[] = { 0, 18, 'x', 0 };
	o = OPT(EDNS_OPT_EDE, nul, sizeof nul);
	assert_int_equal(edns_ede_parse(&o, &e), 0);
	assert_int_equal(e.text_len, 1);
	/* UTF-8 text kept; invalid UTF-8 flagged and sanitised */
	static const uint8_t utf[] = { 0, 0, 0xc3, 0xa9, 't', 0xc3, 0xa9 };
	o = OPT(EDNS_OPT_EDE, utf, sizeof utf);
	assert_int_equal(edns_ede_parse(&o, &e), 0);
	assert_true(e.text_utf8);
	assert_string_equal(text(&o), "EDE: 0 (Other Error): (\xc3\xa9t\xc3\xa9)");
	static const uint8_t inv[] = { 0, 0, 0xc3, 'x', 0x1b, '[' };
	o = OPT(EDNS_OPT_EDE, inv, sizeof inv);
	assert_int_equal(edns_ede_parse(&o, &e), 0);
	assert_false(e.text_utf8);
	assert_string_equal(text(&o), "EDE: 0 (Other Error): (\\195x\\027[)");
	/* unassigned code, and too short */
	static const uint8_t unk[] = { 0x0f, 0xa0 };
	o = OPT(EDNS_OPT_EDE, unk, sizeof unk);
	assert_string_equal(text(&o), "EDE: 4000");
	o = OPT(EDNS_OPT_EDE, unk, 1);
	assert_int_equal(edns_ede_parse(&o, &e), WARD_EOPT);
	assert_string_equal(text(&o), "EDE: 0f (malformed)");
	/* the code table */
	assert_string_equal(edns_ede_name(0), "Other Error");
	assert_string_equal(edns_ede_name(EDE_STALE_NXDOMAIN), "Stale NXDOMAIN Answer");
	assert_string_equal(edns_ede_name(EDE_NO_REACHABLE_AUTHORITY), "No Reachable Authority");
	assert_string_equal(edns_ede_name(EDE_UNSUPPORTED_NSEC3_ITER),
	                    "Unsupported NSEC3 Iterations Value");
	assert_string_equal(edns_ede_name(EDE_SYNTHESIZED), "Synthesized");
	for (unsigned c = 0; c <= EDE_INVALID_QUERY_TYPE; c++)
		assert_non_null(edns_ede_name((uint16_t)c));
	assert_null(edns_ede_name(EDE_INVALID_QUERY_TYPE + 1));
	assert_null(edns_ede_name(65535));
	/* encoding */
	uint8_t out[64];
	assert_int_equal(edns_ede_encode(EDE_BLOCKED, NULL, 0, out, sizeof out), 2);
	assert_int_equal(out[1], 15);
	assert_int_equal(edns_ede_encode(EDE_BLOCKED, "ads", 3, out, sizeof out), 5);
	assert_memory_equal(out + 2, "ads", 3);
	assert_int_equal(edns_ede_encode(EDE_BLOCKED, "\xff", 1, out, sizeof out),
	                 WARD_EINVAL);
	assert_int_equal(edns_ede_encode(EDE_BLOCKED, "abcdef", 6, out, 4), WARD_ESPACE);
}

static void test_ecs(void **state)
{
	(void)state;
	edns_ecs e;
	/* 192.0.2.0/24 scope 0 */
	static const uint8_t v4[] = { 0, 1, 24, 0, 192, 0, 2 };
	edns_opt o = OPT(EDNS_OPT_ECS, v4, sizeof v4);
	assert_int_equal(edns_ecs_parse(&o, &e), 0);
	assert_int_equal(e.family, 1);
	assert_int_equal(e.source_prefix, 24);
	assert_int_equal(e.addr[2], 2);
	assert_int_equal(e.addr[3], 0);
	assert_string_equal(text(&o), "CLIENT-SUBNET: 192.0.2.0/24/0");
	/* 2001:db8:1200::/40 scope 48 (response) */
	static const uint8_t v6[] = { 0, 2, 40, 48, 0x20, 0x01, 0x0d, 0xb8, 0x12 };
	o = OPT(EDNS_OPT_ECS, v6, sizeof v6);
	assert_int_equal(edns_ecs_parse(&o, &e), 0);
	assert_string_equal(text(&o), "CLIENT-SUBNET: 2001:db8:1200::/40/48");
	/* /0: no address octets at all */
	static const uint8_t zero[] = { 0, 1, 0, 0 };
	o = OPT(EDNS_OPT_ECS, zero, sizeof zero);
	assert_int_equal(edns_ecs_parse(&o, &e), 0);
	assert_string_equal(text(&o), "CLIENT-SUBNET: 0.0.0.0/0/0");
	/* /20: the 4 bits beyond the prefix must be zero */
	static const uint8_t odd_ok[] = { 0, 1, 20, 0, 10, 1, 0xf0 };
	static const uint8_t odd_bad[] = { 0, 1, 20, 0, 10, 1, 0xf8 };
	o = OPT(EDNS_OPT_ECS, odd_ok, sizeof odd_ok);
	assert_int_equal(edns_ecs_parse(&o, &e), 0);
	o = OPT(EDNS_OPT_ECS, odd_bad, sizeof odd_bad);
	assert_int_equal(edns_ecs_parse(&o, &e), WARD_EOPT);
	/* bad prefixes and address lengths */
	static const uint8_t v4_33[] = { 0, 1, 33, 0, 1, 2, 3, 4, 5 };
	static const uint8_t v4_scope[] = { 0, 1, 8, 33, 10 };
	static const uint8_t v6_129[] = { 0, 2, 129, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	                                  10, 11, 12, 13, 14, 15, 16, 17 };
	static const uint8_t too_long[] = { 0, 1, 8, 0, 10, 0 };
	static const uint8_t too_short[] = { 0, 1, 24, 0, 10, 0 };
	static const uint8_t hdr_short[] = { 0, 1, 24 };
	const uint8_t *bads[] = { v4_33, v4_scope, v6_129, too_long, too_short,
	                          hdr_short };
	size_t badlen[] = { sizeof v4_33, sizeof v4_scope, sizeof v6_129,
	                    sizeof too_long, sizeof too_short, sizeof hdr_short };
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		o = OPT(EDNS_OPT_ECS, bads[i], badlen[i]);
		assert_int_equal(edns_ecs_parse(&o, &e), WARD_EOPT);
		assert_non_null(strstr(text(&o), "(malformed)"));
	}
	/* unknown family */
	static const uint8_t fam[] = { 0, 3, 0, 0 };
	o = OPT(EDNS_OPT_ECS, fam, sizeof fam);
	assert_int_equal(edns_ecs_parse(&o, &e), WARD_ENOTSUP);
	/* encoding truncates the address to the prefix */
	uint8_t out[32];
	edns_ecs in = { 2, 57, 0, { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 0xff, 0xff,
	                            0xff } };
	int n = edns_ecs_encode(&in, out, sizeof out);
	assert_int_equal(n, 4 + 8);
	assert_int_equal(out[4 + 7], 0x80);
	o = OPT(EDNS_OPT_ECS, out, (size_t)n);
	assert_int_equal(edns_ecs_parse(&o, &e), 0);
	in.source_prefix = 129;
	assert_int_equal(edns_ecs_encode(&in, out, sizeof out), WARD_EINVAL);
	in.family = 7;
	in.source_prefix = 8;
	assert_int_equal(edns_ecs_encode(&in, out, sizeof out), WARD_EINVAL);
}

static void test_keepalive_expire_nsid(void **state)
{
	(void)state;
	bool has;
	uint16_t t;
	uint32_t v;
	static const uint8_t two[] = { 0x01, 0x2c };
	edns_opt o = OPT(EDNS_OPT_KEEPALIVE, NULL, 0);
	assert_int_equal(edns_keepalive_parse(&o, &has, &t), 0);
	assert_false(has);
	o = OPT(EDNS_OPT_KEEPALIVE, two, 2);
	assert_int_equal(edns_keepalive_parse(&o, &has, &t), 0);
	assert_true(has);
	assert_int_equal(t, 300);
	assert_string_equal(text(&o), "TCP-KEEPALIVE: 30.0 secs");
	o = OPT(EDNS_OPT_KEEPALIVE, two, 1);
	assert_int_equal(edns_keepalive_parse(&o, &has, &t), WARD_EOPT);
	static const uint8_t four[] = { 0, 0, 0x0e, 0x10 };
	o = OPT(EDNS_OPT_EXPIRE, four, 4);
	assert_int_equal(edns_expire_parse(&o, &has, &v), 0);
	assert_int_equal(v, 3600);
	assert_string_equal(text(&o), "EXPIRE: 3600");
	o = OPT(EDNS_OPT_EXPIRE, four, 3);
	assert_int_equal(edns_expire_parse(&o, &has, &v), WARD_EOPT);
	static const uint8_t nsid[] = { 'n', 's', '1', 0x07 };
	o = OPT(EDNS_OPT_NSID, nsid, sizeof nsid);
	assert_string_equal(text(&o), "NSID: 6e733107 (\"ns1\\007\")");
	static const uint8_t pad[7] = { 0 };
	o = OPT(EDNS_OPT_PADDING, pad, sizeof pad);
	assert_string_equal(text(&o), "PADDING: (7 bytes)");
	static const uint8_t algs[] = { 8, 13, 15 };
	o = OPT(EDNS_OPT_DAU, algs, sizeof algs);
	assert_string_equal(text(&o), "DAU: 8 13 15");
}

static void test_padding_len(void **state)
{
	(void)state;
	/* 100 + 4 header -> 128 */
	assert_int_equal(edns_padding_len(100, 128, 1232), 24);
	/* already a multiple with the header */
	assert_int_equal(edns_padding_len(124, 128, 1232), 0);
	assert_int_equal(edns_padding_len(60, 468, 1232), 404);
	/* capped by the maximum */
	assert_int_equal(edns_padding_len(500, 468, 600), 96);
	assert_int_equal(edns_padding_len(598, 468, 600), 0);
	assert_int_equal(edns_padding_len(100, 0, 1232), 0);
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(edns_utf8_valid((const uint8_t *)"", 0));
	assert_true(edns_utf8_valid((const uint8_t *)"abc", 3));
	assert_true(edns_utf8_valid((const uint8_t *)"\xe2\x82\xac", 3));     /* € */
	assert_true(edns_utf8_valid((const uint8_t *)"\xf0\x9f\x98\x80", 4)); /* U+1F600 */
	assert_false(edns_utf8_valid((const uint8_t *)"\xc0\xaf", 2));        /* overlong */
	assert_false(edns_utf8_valid((const uint8_t *)"\xe0\x80\xaf", 3));    /* overlong */
	assert_false(edns_utf8_valid((const uint8_t *)"\xed\xa0\x80", 3));    /* surrogate */
	assert_false(edns_utf8_valid((const uint8_t *)"\xf4\x90\x80\x80", 4)); /* > 10FFFF */
	assert_false(edns_utf8_valid((const uint8_t *)"\xe2\x82", 2));        /* cut short */
	assert_false(edns_utf8_valid((const uint8_t *)"\x80", 1));
	char buf[128];
	strbuf sb = strbuf_init(buf, sizeof buf);
	/* C1 control U+0085 and DEL are escaped, U+00E9 kept, '\\' escaped */
	edns_text_put_sanitized(&sb, (const uint8_t *)"a\xc2\x85\x7f\xc3\xa9\\", 7);
	assert_string_equal(buf, "a\\194\\133\\127\xc3\xa9\\092");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt_fields),
		cmocka_unit_test(test_iterator),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_ede),
		cmocka_unit_test(test_ecs),
		cmocka_unit_test(test_keepalive_expire_nsid),
		cmocka_unit_test(test_padding_len),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests_name("edns", tests, NULL, NULL);
}
