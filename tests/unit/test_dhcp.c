/* Unit tests: codec/dhcp*.c — DHCPv4 parse (header, cookie, options, PAD/END,
 * overload, RFC 3396 concatenation), accessors (FQDN, relay agent info,
 * classless routes, domain search), the builder (splitting, overload, max
 * size, padding) and the text/JSON printers; then every DHCPv4 packet of the
 * shared tcpdump captures, checked against tshark's decoding of the same
 * packets (WARD_TESTDATA, default ../shared/testdata; skipped when absent). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "codec/dhcp.h"

static dhcp_msg M, M2; /* large: static storage */

static const uint8_t MAC[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

/* A raw message: header with xid 0x12345678 and MAC, cookie, then opts. */
static size_t mkpkt(uint8_t *buf, size_t cap, uint8_t op, const uint8_t *opts,
                    size_t optlen)
{
	assert_true(cap >= DHCP_OPTIONS_OFF + optlen);
	memset(buf, 0, DHCP_OPTIONS_OFF);
	buf[0] = op;
	buf[1] = 1;
	buf[2] = 6;
	buf[4] = 0x12; buf[5] = 0x34; buf[6] = 0x56; buf[7] = 0x78;
	memcpy(buf + 28, MAC, 6);
	buf[236] = 99; buf[237] = 130; buf[238] = 83; buf[239] = 99;
	if (optlen)
		memcpy(buf + DHCP_OPTIONS_OFF, opts, optlen);
	return DHCP_OPTIONS_OFF + optlen;
}

static void expect_opt(const dhcp_msg *m, uint8_t code, const void *val,
                       size_t len)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(m, code, &n);
	assert_non_null(p);
	assert_int_equal(n, len);
	if (len)
		assert_memory_equal(p, val, len);
}

/* ---- a tiny strict JSON checker, to hold the printer to valid JSON ---- */

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static const char *json_val(const char *s, int depth);

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	while (*s != '"') {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return NULL;
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return NULL;
			}
		}
		s++;
	}
	return s + 1;
}

static const char *json_val(const char *s, int depth)
{
	if (depth > 32)
		return NULL;
	s = json_ws(s);
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		bool obj = *s == '{';
		s = json_ws(s + 1);
		if (*s == close)
			return s + 1;
		for (;;) {
			if (obj) {
				s = json_string(json_ws(s));
				if (!s)
					return NULL;
				s = json_ws(s);
				if (*s++ != ':')
					return NULL;
			}
			s = json_val(s, depth + 1);
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s == close)
				return s + 1;
			if (*s++ != ',')
				return NULL;
		}
	}
	if (*s == '"')
		return json_string(s);
	if (!strncmp(s, "true", 4))
		return s + 4;
	if (!strncmp(s, "false", 5))
		return s + 5;
	if (!strncmp(s, "null", 4))
		return s + 4;
	const char *start = s;
	if (*s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++;
	return s > start ? s : NULL;
}

static void assert_json(const char *text)
{
	const char *end = json_val(text, 0);
	if (!end || *json_ws(end) != '\0')
		fail_msg("invalid JSON: %s", text);
}

/* ---- parsing ---- */

static void test_parse_basic(void **state)
{
	(void)state;
	const uint8_t opts[] = { 53, 1, 3, 0, 0, 50, 4, 192, 168, 1, 5,
	                         55, 4, 1, 3, 6, 121, 61, 7, 1, 0, 0x11, 0x22,
	                         0x33, 0x44, 0x55, 12, 5, 'h', 'o', 's', 't', 0,
	                         80, 0, 57, 2, 0x05, 0xdc, 255, 0, 0 };
	uint8_t pkt[400];
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, sizeof opts);
	pkt[10] = 0x80; /* broadcast */
	pkt[24] = 10; pkt[25] = 0; pkt[26] = 0; pkt[27] = 1; /* giaddr */
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(M.op, 1);
	assert_int_equal(M.htype, 1);
	assert_int_equal(M.hlen, 6);
	assert_int_equal(M.xid, 0x12345678);
	assert_int_equal(M.flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(M.giaddr, 0x0A000001);
	assert_memory_equal(M.chaddr, MAC, 6);
	assert_int_equal(M.pflags, 0);
	assert_int_equal(M.nopts, 7);
	assert_int_equal(M.order[0], 53);
	assert_int_equal(M.order[6], 57);
	assert_int_equal(dhcp_msg_type(&M), DHCP_REQUEST);

	uint32_t ip;
	assert_int_equal(dhcp_opt_requested_ip(&M, &ip), 0);
	assert_int_equal(ip, 0xC0A80105);
	assert_int_equal(dhcp_opt_server_id(&M, &ip), WARD_ENOTFOUND);
	const uint8_t *p;
	size_t n;
	assert_int_equal(dhcp_opt_prl(&M, &p, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(p[3], 121);
	assert_int_equal(dhcp_opt_client_id(&M, &p, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(p[0], 1);
	assert_int_equal(dhcp_opt_hostname(&M, &p, &n), 0);
	assert_int_equal(n, 4); /* trailing NUL dropped */
	assert_memory_equal(p, "host", 4);
	uint16_t mx;
	assert_int_equal(dhcp_opt_max_size(&M, &mx), 0);
	assert_int_equal(mx, 1500);
	assert_int_equal(dhcp_opt_rapid_commit(&M), 1);
	/* wrong lengths */
	uint32_t u32;
	uint16_t u16;
	uint8_t u8;
	assert_int_equal(dhcp_opt_u32(&M, 53, &u32), WARD_EDHCPOPT);
	assert_int_equal(dhcp_opt_u16(&M, 50, &u16), WARD_EDHCPOPT);
	assert_int_equal(dhcp_opt_u8(&M, 57, &u8), WARD_EDHCPOPT);
	assert_int_equal(dhcp_opt_u8(&M, 99, &u8), WARD_ENOTFOUND);
	assert_false(dhcp_opt_has(&M, 99));
	assert_null(dhcp_opt_get(&M, 99, &n));
	uint32_t list[2];
	assert_int_equal(dhcp_opt_iplist(&M, 50, list, 2), 1);
	assert_int_equal(list[0], 0xC0A80105);
	assert_int_equal(dhcp_opt_iplist(&M, 55, list, 2), 1); /* 4 octets */
	assert_int_equal(dhcp_opt_iplist(&M, 53, list, 2), WARD_EDHCPOPT);
}

static void test_parse_header_errors(void **state)
{
	(void)state;
	uint8_t pkt[300];
	const uint8_t opts[] = { 53, 1, 1, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, sizeof opts);
	/* truncated header */
	assert_int_equal(dhcp_parse(&M, pkt, 0), WARD_EDHCP);
	assert_int_equal(dhcp_parse(&M, pkt, 100), WARD_EDHCP);
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_HDR_LEN - 1), WARD_EDHCP);
	assert_int_equal(dhcp_parse(&M, NULL, 10), WARD_EINVAL);
	/* bad op */
	pkt[0] = 0;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCP);
	pkt[0] = 3;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCP);
	pkt[0] = 2;
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	/* hlen > 16 */
	pkt[2] = 17;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCP);
	pkt[2] = 16;
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	pkt[2] = 255;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCP);
}

static void test_parse_cookie(void **state)
{
	(void)state;
	uint8_t pkt[300];
	const uint8_t opts[] = { 53, 1, 1, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, sizeof opts);
	/* header only: plain BOOTP, no options */
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_HDR_LEN), 0);
	assert_true(M.pflags & DHCP_PF_BOOTP);
	assert_int_equal(M.nopts, 0);
	assert_int_equal(dhcp_msg_type(&M), 0);
	assert_int_equal(M.xid, 0x12345678);
	/* part of a cookie: not BOOTP-zero, not DHCP */
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_HDR_LEN + 2), WARD_ECOOKIE);
	/* wrong cookie */
	pkt[239] = 98;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_ECOOKIE);
	/* BOOTP with a zero-filled 64-octet vend area (RFC 951) */
	memset(pkt + DHCP_HDR_LEN, 0, 64);
	assert_int_equal(dhcp_parse(&M, pkt, 300), 0);
	assert_int_equal(M.pflags, DHCP_PF_BOOTP);
	assert_int_equal(M.nopts, 0);
	/* non-zero vendor data without cookie is refused */
	pkt[260] = 1;
	assert_int_equal(dhcp_parse(&M, pkt, 300), WARD_ECOOKIE);
}

static void test_parse_option_errors(void **state)
{
	(void)state;
	uint8_t pkt[400];
	/* length past the end of the packet */
	const uint8_t past[] = { 53, 1, 1, 12, 10, 'a', 'b' };
	size_t len = mkpkt(pkt, sizeof pkt, 1, past, sizeof past);
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCPOPT);
	/* code without its length octet */
	const uint8_t nolen[] = { 53, 1, 1, 12 };
	len = mkpkt(pkt, sizeof pkt, 1, nolen, sizeof nolen);
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCPOPT);
	/* exactly at the end is fine (but END is missing) */
	const uint8_t exact[] = { 53, 1, 1, 12, 2, 'a', 'b' };
	len = mkpkt(pkt, sizeof pkt, 1, exact, sizeof exact);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_true(M.pflags & DHCP_PF_NOEND);
	expect_opt(&M, 12, "ab", 2);
}

static void test_parse_end_and_pad(void **state)
{
	(void)state;
	uint8_t pkt[400];
	/* missing END: tolerated, flagged */
	const uint8_t noend[] = { 53, 1, 1, 0, 0, 0 };
	size_t len = mkpkt(pkt, sizeof pkt, 1, noend, sizeof noend);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(M.pflags, DHCP_PF_NOEND);
	assert_int_equal(dhcp_msg_type(&M), DHCP_DISCOVER);
	/* cookie and nothing else */
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_OPTIONS_OFF), 0);
	assert_int_equal(M.pflags, DHCP_PF_NOEND);
	assert_int_equal(M.nopts, 0);
	/* options after END are not options; non-zero bytes are flagged */
	const uint8_t after[] = { 53, 1, 1, 255, 0, 12, 3, 'a', 'b', 'c' };
	len = mkpkt(pkt, sizeof pkt, 1, after, sizeof after);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(M.pflags, DHCP_PF_AFTER_END);
	assert_false(dhcp_opt_has(&M, 12));
	assert_int_equal(M.nopts, 1);
	/* zero padding after END is normal */
	const uint8_t padded[] = { 53, 1, 1, 255, 0, 0, 0, 0 };
	len = mkpkt(pkt, sizeof pkt, 1, padded, sizeof padded);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(M.pflags, 0);
}

/* RFC 3396: instances of a code concatenate in order. */
static void test_parse_concat(void **state)
{
	(void)state;
	uint8_t pkt[400];
	const uint8_t opts[] = { 43, 3, 'a', 'b', 'c', 53, 1, 5, 43, 2, 'd', 'e',
	                         0, 43, 0, 43, 1, 'f', 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 2, opts, sizeof opts);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_true(M.pflags & DHCP_PF_CONCAT);
	expect_opt(&M, 43, "abcdef", 6);
	assert_int_equal(M.opt[43].count, 4);
	assert_int_equal(M.nopts, 2);
	assert_int_equal(M.order[0], 43);
	assert_int_equal(M.order[1], 53);
	/* a fixed-size option split in two is still one value */
	const uint8_t split_ip[] = { 54, 2, 10, 0, 54, 2, 0, 1, 255 };
	len = mkpkt(pkt, sizeof pkt, 2, split_ip, sizeof split_ip);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	uint32_t ip;
	assert_int_equal(dhcp_opt_server_id(&M, &ip), 0);
	assert_int_equal(ip, 0x0A000001);
}

/* Option 52: options continue in file then sname (RFC 2131 §4.1), and
 * RFC 3396 concatenation runs across the three areas in that order. */
static void test_parse_overload(void **state)
{
	(void)state;
	uint8_t pkt[400];
	const uint8_t opts[] = { 53, 1, 2, 52, 1, 3, 43, 2, 'm', '1', 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 2, opts, sizeof opts);
	const uint8_t file[] = { 43, 2, 'f', '1', 15, 3, 'e', 'x', 'a', 255 };
	const uint8_t sname[] = { 43, 2, 's', '1', 0, 0, 6, 4, 9, 9, 9, 9, 255 };
	memcpy(pkt + DHCP_FILE_OFF, file, sizeof file);
	memcpy(pkt + DHCP_SNAME_OFF, sname, sizeof sname);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(M.overload, 3);
	assert_int_equal(M.pflags, DHCP_PF_CONCAT);
	expect_opt(&M, 43, "m1f1s1", 6);
	expect_opt(&M, 15, "exa", 3);
	const uint8_t dns[] = { 9, 9, 9, 9 };
	expect_opt(&M, 6, dns, 4);
	assert_int_equal(M.order[3], 15);
	assert_int_equal(M.order[4], 6);

	/* file only: sname is a server name, not options */
	pkt[DHCP_OPTIONS_OFF + 5] = 1;
	memcpy(pkt + DHCP_SNAME_OFF, "server", 7);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	expect_opt(&M, 43, "m1f1", 4);
	assert_false(dhcp_opt_has(&M, 6));
	/* sname only */
	pkt[DHCP_OPTIONS_OFF + 5] = 2;
	memcpy(pkt + DHCP_SNAME_OFF, sname, sizeof sname);
	memcpy(pkt + DHCP_FILE_OFF, "pxelinux.0", 11);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	expect_opt(&M, 43, "m1s1", 4);
	assert_false(dhcp_opt_has(&M, 15));
	/* an overloaded field without END: flagged */
	memset(pkt + DHCP_SNAME_OFF, 0, DHCP_SNAME_LEN);
	memcpy(pkt + DHCP_SNAME_OFF, sname, 4);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_true(M.pflags & DHCP_PF_NOEND);
}

static void test_parse_overload_errors(void **state)
{
	(void)state;
	uint8_t pkt[400];
	/* the fields hold a name and a path, not options */
	const uint8_t opts[] = { 53, 1, 2, 52, 1, 3, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 2, opts, sizeof opts);
	memcpy(pkt + DHCP_SNAME_OFF, "myserver.example.com", 21);
	memcpy(pkt + DHCP_FILE_OFF, "/tftpboot/pxelinux.0", 21);
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCPOPT);
	pkt[DHCP_OPTIONS_OFF + 5] = 2;
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCPOPT);
	/* an option may not cross from one field into the next */
	memset(pkt + DHCP_SNAME_OFF, 0, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	pkt[DHCP_SNAME_OFF + 62] = 15;
	pkt[DHCP_SNAME_OFF + 63] = 4;
	memcpy(pkt + DHCP_FILE_OFF, "abcd", 4);
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EDHCPOPT);
	memset(pkt + DHCP_SNAME_OFF, 0, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	/* bad values of option 52 */
	const uint8_t bad[][8] = {
		{ 53, 1, 2, 52, 1, 4, 255 },      /* value 4 */
		{ 53, 1, 2, 52, 1, 0, 255 },      /* value 0 */
		{ 53, 1, 2, 52, 2, 1, 1, 255 },   /* length 2 */
		{ 53, 1, 2, 52, 0, 255 },         /* length 0 */
		{ 52, 1, 1, 52, 1, 1, 255 },      /* twice */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		len = mkpkt(pkt, sizeof pkt, 2, bad[i], sizeof bad[i]);
		assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EOVERLOAD);
	}
	/* option 52 inside an overloaded field */
	len = mkpkt(pkt, sizeof pkt, 2, opts, sizeof opts);
	const uint8_t inner[] = { 52, 1, 2, 255 };
	memcpy(pkt + DHCP_FILE_OFF, inner, sizeof inner);
	assert_int_equal(dhcp_parse(&M, pkt, len), WARD_EOVERLOAD);
}

static void test_parse_size_limits(void **state)
{
	(void)state;
	static uint8_t big[DHCP_MSG_MAX + 1];
	mkpkt(big, sizeof big, 1, NULL, 0);
	/* one code, 255-octet instances, filling a maximal UDP payload */
	size_t pos = DHCP_OPTIONS_OFF;
	size_t total = 0;
	while (pos + 257 + 1 <= DHCP_MSG_MAX) {
		big[pos] = 43;
		big[pos + 1] = 255;
		memset(big + pos + 2, (int)(total / 255) & 0xFF, 255);
		pos += 257;
		total += 255;
	}
	big[pos++] = 255;
	assert_int_equal(dhcp_parse(&M, big, pos), 0);
	size_t n;
	const uint8_t *v = dhcp_opt_get(&M, 43, &n);
	assert_int_equal(n, total);
	assert_int_equal(v[n - 1], (uint8_t)((total - 1) / 255));
	assert_int_equal(M.opt[43].count, total / 255);
	assert_int_equal(dhcp_parse(&M, big, DHCP_MSG_MAX + 1), WARD_EDHCP);
}

/* ---- option values ---- */

static void test_fqdn(void **state)
{
	(void)state;
	dhcp_fqdn f;
	/* wire form, fully qualified */
	const uint8_t wire[] = { 0x05, 0, 0, 4, 'h', 'o', 's', 't', 7, 'e', 'x',
	                         'a', 'm', 'p', 'l', 'e', 0 };
	assert_int_equal(dhcp_fqdn_decode(wire, sizeof wire, &f), 0);
	assert_true(f.wire);
	assert_false(f.partial);
	assert_int_equal(f.flags, DHCP_FQDN_S | DHCP_FQDN_E);
	assert_int_equal(f.labels, 2);
	assert_string_equal(f.text, "host.example");
	/* partial: no root label */
	assert_int_equal(dhcp_fqdn_decode(wire, 8, &f), 0);
	assert_true(f.partial);
	assert_string_equal(f.text, "host");
	/* truncated label, compression, data after the root */
	assert_int_equal(dhcp_fqdn_decode(wire, 7, &f), WARD_EDHCPOPT);
	const uint8_t comp[] = { 0x04, 0, 0, 1, 'a', 0xC0, 3 };
	assert_int_equal(dhcp_fqdn_decode(comp, sizeof comp, &f), WARD_EDHCPOPT);
	const uint8_t after[] = { 0x04, 0, 0, 1, 'a', 0, 1 };
	assert_int_equal(dhcp_fqdn_decode(after, sizeof after, &f), WARD_EDHCPOPT);
	/* odd octets in a label are escaped */
	const uint8_t odd[] = { 0x04, 0, 0, 3, 'a', '.', 1, 0 };
	assert_int_equal(dhcp_fqdn_decode(odd, sizeof odd, &f), 0);
	assert_string_equal(f.text, "a\\046\\001");
	/* ASCII form (deprecated), with a trailing NUL */
	const uint8_t ascii[] = { 0x00, 255, 255, 'p', 'c', '.', 'l', 'a', 'n',
	                          '.', 0 };
	assert_int_equal(dhcp_fqdn_decode(ascii, sizeof ascii, &f), 0);
	assert_false(f.wire);
	assert_false(f.partial);
	assert_int_equal(f.rcode1, 255);
	assert_string_equal(f.text, "pc.lan");
	assert_int_equal(dhcp_fqdn_decode(ascii, 5, &f), 0);
	assert_true(f.partial);
	assert_string_equal(f.text, "pc");
	/* flags only */
	assert_int_equal(dhcp_fqdn_decode(ascii, 3, &f), 0);
	assert_string_equal(f.text, "");
	assert_int_equal(dhcp_fqdn_decode(ascii, 2, &f), WARD_EDHCPOPT);

	/* through a message */
	uint8_t pkt[400];
	uint8_t opts[64] = { 81, sizeof wire };
	memcpy(opts + 2, wire, sizeof wire);
	opts[2 + sizeof wire] = 255;
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, 3 + sizeof wire);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(dhcp_opt_fqdn(&M, &f), 0);
	assert_string_equal(f.text, "host.example");
	assert_int_equal(f.raw_len, sizeof wire - 3);
}

static void test_relay_agent(void **state)
{
	(void)state;
	uint8_t pkt[400];
	const uint8_t opts[] = { 53, 1, 1, 82, 14, 1, 4, 'e', 't', 'h', '0', 2, 6,
	                         0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, sizeof opts);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	const uint8_t *v;
	size_t n;
	assert_int_equal(dhcp_opt_rai_find(&M, DHCP_RAI_CIRCUIT_ID, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(v, "eth0", 4);
	assert_int_equal(dhcp_opt_rai_find(&M, DHCP_RAI_REMOTE_ID, &v, &n), 0);
	assert_int_equal(n, 6);
	assert_int_equal(v[5], 0xff);
	assert_int_equal(dhcp_opt_rai_find(&M, 5, &v, &n), WARD_ENOTFOUND);

	/* a sub-option running past the option */
	const uint8_t bad[] = { 82, 6, 1, 2, 'x', 'y', 2, 9, 255 };
	len = mkpkt(pkt, sizeof pkt, 1, bad, sizeof bad);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	assert_int_equal(dhcp_opt_rai_find(&M, 1, &v, &n), WARD_EDHCPOPT);
	dhcp_subopt_iter it = dhcp_subopt_begin(bad + 2, 6);
	uint8_t c;
	assert_int_equal(dhcp_subopt_next(&it, &c, &v, &n), 1);
	assert_int_equal(c, 1);
	assert_int_equal(dhcp_subopt_next(&it, &c, &v, &n), WARD_EDHCPOPT);
	assert_int_equal(dhcp_subopt_next(&it, &c, &v, &n), WARD_EDHCPOPT);
	/* missing option */
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_OPTIONS_OFF), 0);
	assert_int_equal(dhcp_opt_rai_find(&M, 1, &v, &n), WARD_ENOTFOUND);
}

/* RFC 3442 §3 encodings. */
static void test_classless_routes(void **state)
{
	(void)state;
	dhcp_route r[8];
	const uint8_t ok[] = { 0, 10, 0, 0, 1,            /* default via 10.0.0.1 */
	                       8, 10, 10, 0, 0, 2,        /* 10/8 */
	                       24, 192, 168, 7, 10, 0, 0, 3, /* 192.168.7/24 */
	                       32, 1, 2, 3, 4, 10, 0, 0, 4, /* host */
	                       9, 129, 0, 10, 0, 0, 5 };  /* 129.0/9 */
	assert_int_equal(dhcp_routes_decode(ok, sizeof ok, r, 8), 5);
	assert_int_equal(r[0].prefix, 0);
	assert_int_equal(r[0].dest, 0);
	assert_int_equal(r[0].router, 0x0A000001);
	assert_int_equal(r[1].dest, 0x0A000000);
	assert_int_equal(r[2].dest, 0xC0A80700);
	assert_int_equal(r[2].prefix, 24);
	assert_int_equal(r[3].dest, 0x01020304);
	assert_int_equal(r[4].dest, 0x81000000);
	assert_int_equal(r[4].prefix, 9);
	assert_int_equal(dhcp_routes_decode(ok, sizeof ok, NULL, 0), 5);
	assert_int_equal(dhcp_routes_decode(ok, sizeof ok, r, 2), 5);
	assert_int_equal(dhcp_routes_decode(ok, 0, r, 8), 0);
	/* bad prefix lengths */
	const uint8_t p33[] = { 33, 1, 2, 3, 4, 0, 10, 0, 0, 1 };
	assert_int_equal(dhcp_routes_decode(p33, sizeof p33, r, 8), WARD_EDHCPOPT);
	const uint8_t p255[] = { 255, 1, 2, 3, 4, 10, 0, 0, 1 };
	assert_int_equal(dhcp_routes_decode(p255, sizeof p255, r, 8), WARD_EDHCPOPT);
	/* prefix 24 with only 2 significant octets: the router is short */
	const uint8_t shortr[] = { 24, 192, 168, 10, 0, 0, 1 };
	assert_int_equal(dhcp_routes_decode(shortr, sizeof shortr, r, 8),
	                 WARD_EDHCPOPT);
	/* truncated after the prefix, and bits set past the prefix */
	assert_int_equal(dhcp_routes_decode(ok, 4, r, 8), WARD_EDHCPOPT);
	const uint8_t host[] = { 8, 10, 0, 0, 0 };
	assert_int_equal(dhcp_routes_decode(host, 1, r, 8), WARD_EDHCPOPT);
	const uint8_t bits[] = { 9, 129, 64, 10, 0, 0, 5 };
	assert_int_equal(dhcp_routes_decode(bits, sizeof bits, r, 8), WARD_EDHCPOPT);
	/* encode round trip */
	uint8_t out[64];
	assert_int_equal(dhcp_routes_decode(ok, sizeof ok, r, 8), 5);
	assert_int_equal(dhcp_routes_encode(r, 5, out, sizeof out), (int)sizeof ok);
	assert_memory_equal(out, ok, sizeof ok);
	assert_int_equal(dhcp_routes_encode(r, 5, out, 10), WARD_ESPACE);
	r[0].prefix = 33;
	assert_int_equal(dhcp_routes_encode(r, 1, out, sizeof out), WARD_EINVAL);
	r[0].prefix = 8;
	r[0].dest = 0x0A000001;
	assert_int_equal(dhcp_routes_encode(r, 1, out, sizeof out), WARD_EINVAL);
	/* printed */
	char text[256];
	strbuf sb = strbuf_init(text, sizeof text);
	dhcp_opt_value_to_text(121, ok, sizeof ok, &sb);
	assert_string_equal(text, "0.0.0.0/0 via 10.0.0.1, 10.0.0.0/8 via 10.0.0.2, "
	                          "192.168.7.0/24 via 10.0.0.3, 1.2.3.4/32 via 10.0.0.4, "
	                          "129.0.0.0/9 via 10.0.0.5");
	sb = strbuf_init(text, sizeof text);
	dhcp_opt_value_to_text(121, p33, sizeof p33, &sb);
	assert_string_equal(text, "malformed 0x2101020304000A000001");
}

/* RFC 3397 §3 example, plus strict pointer rules. */
static void test_domain_search(void **state)
{
	(void)state;
	dns_name names[4];
	char text[DNS_NAME_TEXT_MAX];
	const uint8_t ok[] = { 3, 'e', 'n', 'g', 5, 'a', 'p', 'p', 'l', 'e', 3,
	                       'c', 'o', 'm', 0, 9, 'm', 'a', 'r', 'k', 'e', 't',
	                       'i', 'n', 'g', 0xC0, 4 };
	assert_int_equal(dhcp_search_decode(ok, sizeof ok, names, 4), 2);
	assert_string_equal(dns_name_str(&names[0], text), "eng.apple.com.");
	assert_string_equal(dns_name_str(&names[1], text), "marketing.apple.com.");
	assert_int_equal(dhcp_search_decode(ok, sizeof ok, NULL, 0), 2);
	assert_int_equal(dhcp_search_decode(ok, 0, names, 4), 0);
	/* forward pointer */
	const uint8_t fwd[] = { 1, 'a', 0xC0, 4, 1, 'b', 0 };
	assert_int_equal(dhcp_search_decode(fwd, sizeof fwd, names, 4), WARD_EPTRFWD);
	/* pointer to itself, and two pointers at each other */
	const uint8_t self[] = { 1, 'a', 0, 0xC0, 3 };
	assert_int_equal(dhcp_search_decode(self, sizeof self, names, 4), WARD_EPTRFWD);
	const uint8_t loop[] = { 0xC0, 2, 0xC0, 0 };
	assert_int_equal(dhcp_search_decode(loop, sizeof loop, names, 4), WARD_EPTRFWD);
	/* a label that jumps back into its own middle */
	const uint8_t mid[] = { 1, 'a', 0xC0, 1 };
	assert_true(dhcp_search_decode(mid, sizeof mid, names, 4) < 0);
	/* pointers beyond the option data (not into the DHCP message) */
	const uint8_t out[] = { 1, 'a', 0xC0, 0x40 };
	assert_true(dhcp_search_decode(out, sizeof out, names, 4) < 0);
	/* truncated, reserved label type */
	assert_int_equal(dhcp_search_decode(ok, 10, names, 4), WARD_ETRUNC);
	const uint8_t rsv[] = { 0x40, 0 };
	assert_int_equal(dhcp_search_decode(rsv, sizeof rsv, names, 4), WARD_ELABELTYPE);
	/* encode, then split over two instances: pointers are relative to the
	 * concatenated value (RFC 3396 + RFC 3397 §2) */
	uint8_t enc[64];
	assert_int_equal(dhcp_search_decode(ok, sizeof ok, names, 4), 2);
	assert_int_equal(dhcp_search_encode(names, 2, enc, sizeof enc), (int)sizeof ok);
	assert_memory_equal(enc, ok, sizeof ok);
	assert_int_equal(dhcp_search_encode(names, 2, enc, 5), WARD_ESPACE);
	uint8_t pkt[400];
	uint8_t opts[64] = { 119, 10 };
	memcpy(opts + 2, ok, 10);
	opts[12] = 119;
	opts[13] = sizeof ok - 10;
	memcpy(opts + 14, ok + 10, sizeof ok - 10);
	opts[14 + sizeof ok - 10] = 255;
	size_t len = mkpkt(pkt, sizeof pkt, 2, opts, 15 + sizeof ok - 10);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	size_t n;
	const uint8_t *v = dhcp_opt_get(&M, 119, &n);
	assert_int_equal(dhcp_search_decode(v, n, names, 4), 2);
	assert_string_equal(dns_name_str(&names[1], text), "marketing.apple.com.");
	char buf[256];
	strbuf sb = strbuf_init(buf, sizeof buf);
	dhcp_opt_value_to_text(119, v, n, &sb);
	assert_string_equal(buf, "eng.apple.com., marketing.apple.com.");
	sb = strbuf_init(buf, sizeof buf);
	dhcp_opt_value_to_text(119, fwd, sizeof fwd, &sb);
	assert_string_equal(buf, "malformed 0x0161C004016200");
}

/* ---- building ---- */

static void test_build_roundtrip(void **state)
{
	(void)state;
	uint8_t req[400];
	const uint8_t opts[] = { 53, 1, 3, 55, 3, 1, 3, 6, 255 };
	size_t len = mkpkt(req, sizeof req, 1, opts, sizeof opts);
	req[10] = 0x80;
	req[24] = 10; req[27] = 1;
	req[3] = 1; /* hops */
	assert_int_equal(dhcp_parse(&M, req, len), 0);

	uint8_t buf[DHCP_MSG_MAX];
	dhcp_builder b;
	assert_int_equal(dhcp_build_reply(&b, buf, sizeof buf, &M), 0);
	dhcp_build_set_yiaddr(&b, 0xC0A80105);
	dhcp_build_set_siaddr(&b, 0xC0A80101);
	assert_int_equal(dhcp_build_opt_u8(&b, 53, DHCP_ACK), 0);
	assert_int_equal(dhcp_build_opt_ip(&b, 54, 0xC0A80101), 0);
	assert_int_equal(dhcp_build_opt_u32(&b, 51, 3600), 0);
	assert_int_equal(dhcp_build_opt_ip(&b, 1, 0xFFFFFF00), 0);
	const uint8_t routers[] = { 192, 168, 1, 1, 192, 168, 1, 2 };
	assert_int_equal(dhcp_build_opt(&b, 3, routers, sizeof routers), 0);
	assert_int_equal(dhcp_build_opt_u16(&b, 26, 1500), 0);
	assert_int_equal(dhcp_build_opt(&b, 80, NULL, 0), 0);
	int n = dhcp_build_finish(&b);
	assert_int_equal(n, DHCP_BOOTP_MIN_LEN); /* padded */
	assert_int_equal(buf[0], 2);
	assert_int_equal(buf[3], 0); /* hops not copied */
	assert_int_equal(buf[DHCP_OPTIONS_OFF], 53); /* order kept */

	assert_int_equal(dhcp_parse(&M2, buf, (size_t)n), 0);
	assert_int_equal(M2.op, DHCP_BOOTREPLY);
	assert_int_equal(M2.xid, 0x12345678);
	assert_int_equal(M2.flags, DHCP_FLAG_BROADCAST);
	assert_int_equal(M2.giaddr, 0x0A000001);
	assert_int_equal(M2.yiaddr, 0xC0A80105);
	assert_int_equal(M2.siaddr, 0xC0A80101);
	assert_int_equal(M2.ciaddr, 0);
	assert_memory_equal(M2.chaddr, MAC, 6);
	assert_int_equal(M2.pflags, 0);
	assert_int_equal(M2.overload, 0);
	assert_int_equal(dhcp_msg_type(&M2), DHCP_ACK);
	uint32_t v;
	assert_int_equal(dhcp_opt_lease_time(&M2, &v), 0);
	assert_int_equal(v, 3600);
	uint32_t list[4];
	assert_int_equal(dhcp_opt_iplist(&M2, 3, list, 4), 2);
	assert_int_equal(list[1], 0xC0A80102);
	assert_int_equal(dhcp_opt_rapid_commit(&M2), 1);
	assert_int_equal(M2.nopts, 7);
	const uint8_t order[] = { 53, 54, 51, 1, 3, 26, 80 };
	assert_memory_equal(M2.order, order, sizeof order);
}

static void test_build_errors(void **state)
{
	(void)state;
	uint8_t buf[600];
	dhcp_builder b;
	assert_int_equal(dhcp_build_init(&b, buf, 299, 2), WARD_ESPACE);
	assert_int_equal(dhcp_build_finish(&b), WARD_ESPACE);
	assert_int_equal(dhcp_build_init(&b, NULL, 600, 2), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 3), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_opt(&b, 52, "\1", 1), WARD_EINVAL);
	assert_int_equal(dhcp_build_finish(&b), WARD_EINVAL); /* sticky */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_opt(&b, 0, "\1", 1), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_opt(&b, 255, NULL, 0), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_opt_u8(&b, 53, 1), 0);
	assert_int_equal(dhcp_build_opt_u8(&b, 53, 1), WARD_EINVAL); /* twice */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_set_chaddr(&b, 1, MAC, 17), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	char longname[80];
	memset(longname, 'x', sizeof longname);
	assert_int_equal(dhcp_build_set_sname(&b, longname, 64), WARD_EINVAL);
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_set_file(&b, longname, 63), 0);
	assert_int_equal(dhcp_build_set_sname(&b, longname, 63), 0);
	/* staging beyond the buffer */
	uint8_t big[400] = { 0 };
	assert_int_equal(dhcp_build_opt(&b, 43, big, 300), 0);
	assert_int_equal(dhcp_build_opt(&b, 44, big, 100), WARD_ESPACE);
	assert_int_equal(dhcp_build_finish(&b), WARD_ESPACE);
	/* too much even with overload (sname and file taken) */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_set_file(&b, "boot", 4), 0);
	assert_int_equal(dhcp_build_set_sname(&b, "srv", 3), 0);
	assert_int_equal(dhcp_build_opt(&b, 43, big, 306), 0);
	assert_int_equal(dhcp_build_finish(&b), WARD_ESPACE);
	/* 303 octets fit 548 exactly: 240 + 255+2 + 48+2 + END */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 1), 0);
	assert_int_equal(dhcp_build_opt(&b, 43, big, 303), 0);
	assert_int_equal(dhcp_build_finish(&b), 548);
	assert_int_equal(dhcp_parse(&M, buf, 548), 0);
	assert_int_equal(M.overload, 0);
	assert_int_equal(M.opt[43].len, 303);
	assert_int_equal(M.opt[43].count, 2);
	/* too many distinct options */
	static uint8_t huge[DHCP_MSG_MAX];
	assert_int_equal(dhcp_build_init(&b, huge, sizeof huge, 1), 0);
	for (unsigned c = 1; c <= 254; c++)
		if (c != 52)
			assert_int_equal(dhcp_build_opt_u8(&b, (uint8_t)c, 1), 0);
	assert_int_equal(b.n, 253);
}

/* Every option comes back with its value; the message respects the limit. */
static void check_built(const uint8_t *buf, int n, size_t limit,
                        const dhcp_builder *b, const uint8_t *vals)
{
	assert_true(n >= DHCP_BOOTP_MIN_LEN);
	assert_true((size_t)n <= limit);
	assert_int_equal(dhcp_parse(&M2, buf, (size_t)n), 0);
	assert_int_equal(M2.pflags & (DHCP_PF_NOEND | DHCP_PF_AFTER_END), 0);
	assert_int_equal(M2.nopts, b->n + (M2.overload ? 1 : 0));
	for (unsigned i = 0; i < b->n; i++)
		expect_opt(&M2, b->opt[i].code, vals + b->opt[i].off - DHCP_OPTIONS_OFF,
		           b->opt[i].len);
	/* the codes appear in the order they were added */
	unsigned j = 0;
	for (unsigned i = 0; i < M2.nopts; i++) {
		if (M2.order[i] == DHCP_OPT_OVERLOAD)
			continue;
		assert_int_equal(M2.order[i], b->opt[j].code);
		j++;
	}
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

static void test_build_overload(void **state)
{
	(void)state;
	static uint8_t buf[2048], vals[2048];
	dhcp_builder b;
	/* 548 octets: 240 header+cookie, 308 for options. Five 70-octet
	 * options (72 each = 360) cannot all fit: the last go to file. */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
	for (unsigned i = 0; i < 5; i++) {
		fill(vals + 70 * i, 70, i);
		assert_int_equal(dhcp_build_opt(&b, (uint8_t)(200 + i), vals + 70 * i, 70), 0);
	}
	int n = dhcp_build_finish(&b);
	assert_int_equal(n, 240 + 4 * 72 + 3 + 1);
	check_built(buf, n, 548, &b, vals);
	assert_int_equal(M2.overload, DHCP_OVERLOAD_FILE);
	assert_int_equal(buf[DHCP_FILE_OFF], 204);
	assert_int_equal(buf[DHCP_FILE_OFF + 72], 255);
	assert_int_equal(buf[DHCP_SNAME_OFF], 0); /* sname untouched */
	/* option 52 is in the options field, right before END */
	assert_int_equal(M2.order[4], DHCP_OPT_OVERLOAD);
	assert_int_equal(buf[240 + 4 * 72], DHCP_OPT_OVERLOAD);
	assert_int_equal(buf[240 + 4 * 72 + 3], DHCP_OPT_END);

	/* file taken by a boot file name: sname gets the overflow */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
	assert_int_equal(dhcp_build_set_file(&b, "pxelinux.0", 10), 0);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(dhcp_build_opt(&b, (uint8_t)(200 + i), vals + 70 * i,
		                                 i == 4 ? 50 : 70), 0);
	n = dhcp_build_finish(&b);
	assert_true(n > 0);
	check_built(buf, n, 548, &b, vals);
	assert_int_equal(M2.overload, DHCP_OVERLOAD_SNAME);
	assert_string_equal((const char *)M2.file, "pxelinux.0");
	assert_int_equal(buf[DHCP_SNAME_OFF], 204);

	/* both fields */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
	for (unsigned i = 0; i < 6; i++) {
		fill(vals + 70 * i, 70, i + 10);
		assert_int_equal(dhcp_build_opt(&b, (uint8_t)(200 + i), vals + 70 * i,
		                                 i == 5 ? 60 : 70), 0);
	}
	n = dhcp_build_finish(&b);
	assert_int_equal(n, 240 + 4 * 72 + 3 + 1);
	check_built(buf, n, 548, &b, vals);
	assert_int_equal(M2.overload, 3);
	assert_int_equal(buf[DHCP_FILE_OFF], 204);
	assert_int_equal(buf[DHCP_SNAME_OFF], 205);

	/* a long option split across the options field and file (RFC 3396
	 * across areas): 600 octets with room for ~300 + 127 + 63 is too much */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
	fill(vals, 600, 3);
	assert_int_equal(dhcp_build_opt(&b, 43, vals, 600), 0);
	assert_int_equal(dhcp_build_finish(&b), WARD_ESPACE);
	/* 450 octets: fits only when split over all three areas */
	assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
	assert_int_equal(dhcp_build_opt_u8(&b, 53, DHCP_OFFER), 0);
	assert_int_equal(dhcp_build_opt(&b, 43, vals + 1, 450), 0);
	n = dhcp_build_finish(&b);
	assert_int_equal(n, 548);
	assert_int_equal(dhcp_parse(&M2, buf, (size_t)n), 0);
	assert_int_equal(M2.overload, 3);
	expect_opt(&M2, 43, vals + 1, 450);
	assert_true(M2.opt[43].count >= 4);
	assert_int_equal(buf[DHCP_FILE_OFF], 43);
	assert_int_equal(buf[DHCP_SNAME_OFF], 43);
}

/* Option 57 from the request sets the size; the default is 576 - 28. */
static void test_build_max_size(void **state)
{
	(void)state;
	static uint8_t buf[4096], vals[4096];
	uint8_t req[400];
	const uint8_t opts[] = { 53, 1, 1, 57, 2, 0x04, 0x00, 255 }; /* 1024 */
	size_t len = mkpkt(req, sizeof req, 1, opts, sizeof opts);
	assert_int_equal(dhcp_parse(&M, req, len), 0);
	fill(vals, 4096, 9);
	dhcp_builder b;
	/* 900 octets fit a 1024 limit without overload */
	assert_int_equal(dhcp_build_reply(&b, buf, sizeof buf, &M), 0);
	assert_int_equal(b.limit, 1024 - 28);
	assert_int_equal(dhcp_build_opt(&b, 43, vals, 700), 0);
	assert_int_equal(dhcp_build_opt(&b, 224, vals + 700, 40), 0);
	int n = dhcp_build_finish(&b);
	assert_true(n > 0 && n <= 1024 - 28);
	check_built(buf, n, 1024 - 28, &b, vals);
	assert_int_equal(M2.overload, 0);
	/* the same options without option 57: overload, still within 548 */
	const uint8_t noopt[] = { 53, 1, 1, 255 };
	len = mkpkt(req, sizeof req, 1, noopt, sizeof noopt);
	assert_int_equal(dhcp_parse(&M, req, len), 0);
	assert_int_equal(dhcp_build_reply(&b, buf, sizeof buf, &M), 0);
	assert_int_equal(dhcp_build_opt(&b, 43, vals, 400), 0);
	assert_int_equal(n = dhcp_build_finish(&b), 548);
	assert_int_equal(dhcp_parse(&M2, buf, 548), 0);
	assert_true(M2.overload != 0);
	expect_opt(&M2, 43, vals, 400);
	/* option 57 below 576 is clamped up; values above 65535 cannot occur */
	const uint8_t small[] = { 53, 1, 1, 57, 2, 0x01, 0x00, 255 };
	len = mkpkt(req, sizeof req, 1, small, sizeof small);
	assert_int_equal(dhcp_parse(&M, req, len), 0);
	assert_int_equal(dhcp_build_reply(&b, buf, sizeof buf, &M), 0);
	assert_int_equal(b.limit, 548);
	/* the caller's buffer bounds the message too */
	dhcp_build_set_max_size(&b, 65535);
	assert_int_equal(b.limit, 65535 - 28);
	assert_int_equal(dhcp_build_init(&b, buf, 900, 2), 0);
	dhcp_build_set_max_size(&b, 1500);
	assert_int_equal(dhcp_build_opt(&b, 43, vals, 600), 0);
	assert_int_equal(dhcp_build_opt(&b, 44, vals + 600, 58), 0);
	n = dhcp_build_finish(&b);
	assert_int_equal(n, 850); /* 240 + 606 + 60 + 1 > 900: 44 -> file */
	assert_int_equal(dhcp_parse(&M2, buf, (size_t)n), 0);
	expect_opt(&M2, 44, vals + 600, 58);
	assert_int_equal(M2.overload, DHCP_OVERLOAD_FILE);
	assert_int_equal(dhcp_parse(&M2, buf, (size_t)n), 0);
	expect_opt(&M2, 43, vals, 600);

	/* sweep: sizes and option mixes; success means limit honoured and
	 * every value intact, failure must be WARD_ESPACE */
	unsigned seed = 1;
	for (unsigned round = 0; round < 400; round++) {
		seed = seed * 1103515245u + 12345u;
		size_t max = 576 + (seed >> 8) % 1200;
		assert_int_equal(dhcp_build_init(&b, buf, sizeof buf, 2), 0);
		dhcp_build_set_max_size(&b, max);
		if (round % 3 == 1)
			dhcp_build_set_file(&b, "f", 1);
		if (round % 5 == 2)
			dhcp_build_set_sname(&b, "s", 1);
		unsigned nopt = 1 + (seed >> 4) % 12;
		size_t off = 0, enc = 0;
		for (unsigned i = 0; i < nopt; i++) {
			seed = seed * 1103515245u + 12345u;
			size_t l = (seed >> 9) % (i % 4 == 0 ? 600 : 90);
			assert_int_equal(dhcp_build_opt(&b, (uint8_t)(100 + i), vals + off, l), 0);
			off += l;
			enc += l + 2 * (l == 0 ? 1 : (l + 254) / 255);
		}
		n = dhcp_build_finish(&b);
		if (n < 0) {
			assert_int_equal(n, WARD_ESPACE);
			/* it really did not fit in the options field alone */
			assert_true(enc > max - 28 - 240 - 1);
			continue;
		}
		check_built(buf, n, max - 28, &b, vals);
	}
}

/* ---- names and printers ---- */

static void test_option_names(void **state)
{
	(void)state;
	assert_int_equal(dhcp_option_by_name("router"), 3);
	assert_int_equal(dhcp_option_by_name("Router"), 3);
	assert_int_equal(dhcp_option_by_name("netmask"), 1);
	assert_int_equal(dhcp_option_by_name("subnet-mask"), 1);
	assert_int_equal(dhcp_option_by_name("dns-server"), 6);
	assert_int_equal(dhcp_option_by_name("parameter-request"), 55);
	assert_int_equal(dhcp_option_by_name("parameter-request-list"), 55);
	assert_int_equal(dhcp_option_by_name("T1"), 58);
	assert_int_equal(dhcp_option_by_name("classless-static-route"), 121);
	assert_int_equal(dhcp_option_by_name("domain-search"), 119);
	assert_int_equal(dhcp_option_by_name("FQDN"), 81);
	assert_int_equal(dhcp_option_by_name("agent-id"), 82);
	assert_int_equal(dhcp_option_by_name("tftp-server-address"), 150);
	assert_int_equal(dhcp_option_by_name("server-ip-address"), 255);
	assert_int_equal(dhcp_option_by_name("no-such-option"), WARD_ENOTFOUND);
	assert_int_equal(dhcp_option_by_name(""), WARD_ENOTFOUND);
	assert_string_equal(dhcp_option_name(3), "router");
	assert_string_equal(dhcp_option_name(55), "parameter-request-list");
	assert_string_equal(dhcp_option_dnsmasq_name(1), "netmask");
	assert_null(dhcp_option_dnsmasq_name(4));
	assert_null(dhcp_option_name(0));
	assert_null(dhcp_option_name(255));
	assert_null(dhcp_option_name(230));
	assert_string_equal(dhcp_msg_type_name(DHCP_INFORM), "INFORM");
	assert_null(dhcp_msg_type_name(0));
	assert_null(dhcp_msg_type_name(200));
	/* every name maps back to its code, both ways */
	for (unsigned c = 0; c < 256; c++) {
		const char *name = dhcp_option_name((uint8_t)c);
		if (name)
			assert_int_equal(dhcp_option_by_name(name), (int)c);
		name = dhcp_option_dnsmasq_name((uint8_t)c);
		if (name)
			assert_int_equal(dhcp_option_by_name(name), (int)c);
	}
	/* the codes `dnsmasq --help dhcp` lists all have dnsmasq names */
	const uint8_t dnsmasq_codes[] = { 1, 2, 3, 6, 7, 9, 13, 15, 16, 17, 18, 19,
		20, 21, 22, 23, 26, 27, 31, 32, 33, 34, 35, 36, 37, 38, 40, 41, 42,
		44, 45, 46, 47, 48, 49, 58, 59, 60, 64, 65, 66, 67, 68, 69, 70, 71,
		74, 77, 80, 93, 94, 97, 100, 101, 108, 119, 120, 121, 125, 150 };
	for (size_t i = 0; i < sizeof dnsmasq_codes; i++)
		assert_non_null(dhcp_option_dnsmasq_name(dnsmasq_codes[i]));
}

static void test_print_text(void **state)
{
	(void)state;
	uint8_t pkt[400];
	const uint8_t opts[] = { 53, 1, 3, 50, 4, 192, 168, 1, 5, 55, 5, 1, 3, 6,
	                         15, 230, 12, 4, 'p', 'c', 1, '"', 61, 7, 1, 0,
	                         0x11, 0x22, 0x33, 0x44, 0x55, 51, 4, 0, 0, 14, 16,
	                         81, 7, 0x05, 0, 0, 2, 'p', 'c', 0, 80, 0,
	                         231, 2, 0xde, 0xad, 54, 3, 1, 2, 3, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 1, opts, sizeof opts);
	pkt[10] = 0x80;
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	char text[2048];
	strbuf sb = strbuf_init(text, sizeof text);
	assert_int_equal(dhcp_msg_to_text(&M, &sb), 0);
	assert_string_equal(text,
		"DHCP REQUEST xid 0x12345678 from 00:11:22:33:44:55 broadcast; "
		"options: 53 message-type REQUEST; 50 requested-address 192.168.1.5; "
		"55 parameter-request-list: subnet-mask, router, dns-server, "
		"domain-name, 230; 12 hostname \"pc\\001\\034\"; "
		"61 client-id type 1 00:11:22:33:44:55; 51 lease-time 3600s; "
		"81 client-fqdn flags [SE] rcode 0/0 \"pc.\"; 80 rapid-commit; "
		"231 unknown 0xDEAD; 54 server-identifier malformed 0x010203");
	/* too small a buffer: WARD_ESPACE, still terminated */
	char small[40];
	sb = strbuf_init(small, sizeof small);
	assert_int_equal(dhcp_msg_to_text(&M, &sb), WARD_ESPACE);
	assert_true(strlen(small) < sizeof small);

	/* BOOTP without cookie, a reply with addresses and a server name */
	len = mkpkt(pkt, sizeof pkt, 2, NULL, 0);
	memset(pkt + DHCP_HDR_LEN, 0, 4);
	pkt[16] = 10; pkt[19] = 7; /* yiaddr */
	memcpy(pkt + DHCP_SNAME_OFF, "boot\tsrv", 8);
	memcpy(pkt + DHCP_FILE_OFF, "/boot/x", 7);
	assert_int_equal(dhcp_parse(&M, pkt, DHCP_HDR_LEN), 0);
	sb = strbuf_init(text, sizeof text);
	assert_int_equal(dhcp_msg_to_text(&M, &sb), 0);
	assert_string_equal(text,
		"BOOTP REPLY xid 0x12345678 to 00:11:22:33:44:55 yiaddr 10.0.0.7 "
		"sname \"boot\\009srv\" file \"/boot/x\"; no options (no magic cookie)");
}

static void test_print_json(void **state)
{
	(void)state;
	uint8_t pkt[600];
	const uint8_t sname[] = { 2, 4, 0, 0, 0x0e, 0x10, 255 };
	const uint8_t good[] = { 53, 1, 5, 1, 4, 255, 255, 255, 0, 3, 8, 10, 0, 0,
	                         1, 10, 0, 0, 2, 15, 6, 'a', '\\', 'b', '"', 1, 0x80,
	                         121, 6, 8, 10, 10, 0, 0, 1, 82, 4, 1, 2, 'x', 'y',
	                         119, 6, 1, 'a', 0, 1, 'b', 0, 77, 4, 3, 'a', 'b',
	                         'c', 52, 1, 2, 255 };
	size_t len = mkpkt(pkt, sizeof pkt, 2, good, sizeof good);
	memcpy(pkt + DHCP_SNAME_OFF, sname, sizeof sname);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	static char json[8192];
	strbuf sb = strbuf_init(json, sizeof json);
	assert_int_equal(dhcp_msg_to_json(&M, &sb), 0);
	assert_json(json);
	assert_non_null(strstr(json, "\"proto\":\"dhcp\",\"op\":\"reply\",\"type\":\"ACK\""));
	assert_non_null(strstr(json, "\"xid\":\"0x12345678\""));
	assert_non_null(strstr(json, "\"chaddr\":\"00:11:22:33:44:55\""));
	assert_non_null(strstr(json, "\"sname\":null"));
	assert_non_null(strstr(json, "\"overload\":2"));
	assert_non_null(strstr(json, "{\"code\":1,\"name\":\"subnet-mask\",\"len\":4,"
	                             "\"parts\":1,\"data\":\"FFFFFF00\","
	                             "\"value\":\"255.255.255.0\"}"));
	assert_non_null(strstr(json, "\"value\":[\"10.0.0.1\",\"10.0.0.2\"]"));
	/* sanitised, then JSON-escaped: a\b"<01><80> */
	assert_non_null(strstr(json, "\"value\":\"a\\\\092b\\\\034\\\\001\\\\128\""));
	assert_non_null(strstr(json, "\"value\":[{\"dest\":\"10.0.0.0/8\","
	                             "\"router\":\"10.0.0.1\"}]"));
	assert_non_null(strstr(json, "\"value\":[{\"code\":1,\"name\":\"circuit-id\","
	                             "\"data\":\"7879\"}]"));
	assert_non_null(strstr(json, "\"value\":[\"a.\",\"b.\"]"));
	assert_non_null(strstr(json, "\"value\":[\"abc\"]"));
	assert_non_null(strstr(json, "{\"code\":2,\"name\":\"time-offset\",\"len\":4,"
	                             "\"parts\":1,\"data\":\"00000E10\",\"value\":3600}"));

	/* a JSON printer that runs out of room says so */
	char small[100];
	sb = strbuf_init(small, sizeof small);
	assert_int_equal(dhcp_msg_to_json(&M, &sb), WARD_ESPACE);

	/* every octet value in every string position stays valid JSON */
	uint8_t opts2[300];
	size_t o = 0;
	opts2[o++] = 12;
	opts2[o++] = 255;
	for (unsigned i = 0; i < 255; i++)
		opts2[o++] = (uint8_t)(i + 1);
	opts2[o++] = 255;
	len = mkpkt(pkt, sizeof pkt, 1, opts2, o);
	for (unsigned i = 0; i < 63; i++)
		pkt[DHCP_SNAME_OFF + i] = (uint8_t)(0x80 + i);
	assert_int_equal(dhcp_parse(&M, pkt, len), 0);
	sb = strbuf_init(json, sizeof json);
	assert_int_equal(dhcp_msg_to_json(&M, &sb), 0);
	assert_json(json);
	char text[4096];
	sb = strbuf_init(text, sizeof text);
	assert_int_equal(dhcp_msg_to_text(&M, &sb), 0);
	for (const char *c = text; *c; c++)
		assert_true(*c >= 0x20 && *c < 0x7f);
}

/* ---- the shared captures, against tshark ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *n)
{
	size_t len = 0;
	int hi = -1;
	for (const char *p = hex; *p; p++) {
		if (*p == ':')
			continue; /* older tshark separates octets */
		int v = hexval(*p);
		if (v < 0)
			return false;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (len >= cap)
			return false;
		out[len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	*n = len;
	return hi < 0;
}

/* Split a tab-separated line in place into at most max fields. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	char *nl = strchr(f[n - 1], '\n');
	if (nl)
		*nl = '\0';
	return n;
}

static int parse_list(const char *s, unsigned long *out, int max)
{
	int n = 0;
	while (*s && n < max) {
		char *end;
		out[n++] = strtoul(s, &end, 0);
		if (end == s)
			return -1;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

struct pcap_stats {
	unsigned files, packets, parsed, options;
};

static void check_capture_packet(char **f, struct pcap_stats *st)
{
	static uint8_t pkt[DHCP_MSG_MAX];
	size_t len = 0;
	assert_true(hex_decode(f[0], pkt, sizeof pkt, &len));
	st->packets++;
	int r = dhcp_parse(&M, pkt, len);
	const char *xid = f[1], *types = f[2], *lens = f[3], *mtype = f[4];

	if (!*xid) {
		/* tshark could not read the header either */
		assert_true(r < 0);
		return;
	}
	if (!*types) {
		/* no options for tshark: BOOTP, or a cookie we refuse */
		assert_true(r == WARD_ECOOKIE || (r == 0 && (M.pflags & DHCP_PF_BOOTP)));
		if (r < 0)
			return;
	} else {
		if (r != 0)
			fail_msg("parse failed (%s) where tshark decoded xid %s",
			         ward_strerror(r), xid);
	}
	st->parsed++;
	assert_int_equal(M.xid, strtoul(xid, NULL, 16));
	if (*mtype)
		assert_int_equal(dhcp_msg_type(&M), (int)strtoul(mtype, NULL, 10));

	/* option codes and summed lengths agree with tshark's */
	unsigned long codes[300], lengths[300];
	int nc = parse_list(types, codes, 300);
	int nl = parse_list(lens, lengths, 300);
	assert_true(nc >= 0 && nl >= 0);
	unsigned long sum[256] = { 0 };
	bool seen[256] = { false };
	int real = 0, distinct = 0;
	for (int i = 0; i < nc; i++) {
		if (codes[i] == 0 || codes[i] == 255)
			continue;
		assert_true(codes[i] < 256);
		if (real < nl)
			sum[codes[i]] += lengths[real];
		real++;
		if (!seen[codes[i]])
			distinct++;
		seen[codes[i]] = true;
	}
	assert_int_equal(M.nopts, distinct);
	for (unsigned c = 1; c < 255; c++) {
		assert_int_equal(dhcp_opt_has(&M, (uint8_t)c), seen[c]);
		if (seen[c] && real == nl)
			assert_int_equal(M.opt[c].len, sum[c]);
	}
	st->options += (unsigned)distinct;

	/* both printers work on it, and the JSON is valid */
	static char out[1 << 17];
	strbuf sb = strbuf_init(out, sizeof out);
	assert_int_equal(dhcp_msg_to_text(&M, &sb), 0);
	assert_true(!strncmp(out, "DHCP ", 5) || !strncmp(out, "BOOTP ", 6));
	char want[32];
	snprintf(want, sizeof want, "xid 0x%08lx", (unsigned long)M.xid);
	assert_non_null(strstr(out, want));
	sb = strbuf_init(out, sizeof out);
	assert_int_equal(dhcp_msg_to_json(&M, &sb), 0);
	assert_json(out);

	/* a reply echoing every option parses back to the same values */
	static uint8_t reply[DHCP_MSG_MAX];
	dhcp_builder b;
	assert_int_equal(dhcp_build_reply(&b, reply, sizeof reply, &M), 0);
	dhcp_build_set_max_size(&b, 1500);
	for (unsigned i = 0; i < M.nopts; i++) {
		uint8_t c = M.order[i];
		size_t n;
		const uint8_t *v = dhcp_opt_get(&M, c, &n);
		if (c != DHCP_OPT_OVERLOAD)
			assert_int_equal(dhcp_build_opt(&b, c, v, n), 0);
	}
	int n = dhcp_build_finish(&b);
	assert_true(n >= DHCP_BOOTP_MIN_LEN);
	assert_int_equal(dhcp_parse(&M2, reply, (size_t)n), 0);
	assert_int_equal(M2.xid, M.xid);
	assert_memory_equal(M2.chaddr, M.chaddr, DHCP_CHADDR_LEN);
	for (unsigned i = 0; i < M.nopts; i++) {
		uint8_t c = M.order[i];
		size_t vn;
		const uint8_t *v = dhcp_opt_get(&M, c, &vn);
		if (c != DHCP_OPT_OVERLOAD)
			expect_opt(&M2, c, v, vn);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_captures(void **state)
{
	(void)state;
	const char *td = getenv("WARD_TESTDATA");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/pcaps/tcpdump", td && *td ? td : "../shared/testdata");
	DIR *d = opendir(dir);
	if (!d) {
		print_message("skip: %s is absent (set WARD_TESTDATA)\n", dir);
		skip();
	}
	if (system("tshark -v >/dev/null 2>&1") != 0) {
		closedir(d);
		print_message("skip: tshark is not installed\n");
		skip();
	}
	/* sorted list of the DHCPv4/BOOTP captures */
	char names[64][256];
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 64) {
		const char *nm = e->d_name;
		if (strncmp(nm, "dhcp", 4) && strncmp(nm, "bootp", 5))
			continue;
		if (!strstr(nm, ".pcap") || strchr(nm, '\'') || strlen(nm) >= 256)
			continue;
		snprintf(names[count++], 256, "%s", nm);
	}
	closedir(d);
	qsort(names, (size_t)count, sizeof names[0], cmp_name);

	struct pcap_stats st = { 0, 0, 0, 0 };
	static char line[1 << 18];
	for (int i = 0; i < count; i++) {
		static char cmd[32768];
		snprintf(cmd, sizeof cmd,
		         "tshark -r '%s/%s' -Y 'dhcp' -T fields -E separator=/t "
		         "-E occurrence=a -E aggregator=, -e udp.payload -e dhcp.id "
		         "-e dhcp.option.type -e dhcp.option.length "
		         "-e dhcp.option.dhcp 2>/dev/null", dir, names[i]);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		st.files++;
		unsigned before = st.packets;
		while (fgets(line, sizeof line, p)) {
			char *f[5] = { "", "", "", "", "" };
			split_tabs(line, f, 5);
			if (!*f[0])
				continue;
			check_capture_packet(f, &st);
		}
		pclose(p);
		print_message("%-36s %u DHCPv4 packets\n", names[i], st.packets - before);
	}
	print_message("captures: %u files, %u packets, %u parsed, %u option codes "
	              "matched tshark\n", st.files, st.packets, st.parsed, st.options);
	assert_true(st.files >= 1);
	assert_true(st.parsed >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_header_errors),
		cmocka_unit_test(test_parse_cookie),
		cmocka_unit_test(test_parse_option_errors),
		cmocka_unit_test(test_parse_end_and_pad),
		cmocka_unit_test(test_parse_concat),
		cmocka_unit_test(test_parse_overload),
		cmocka_unit_test(test_parse_overload_errors),
		cmocka_unit_test(test_parse_size_limits),
		cmocka_unit_test(test_fqdn),
		cmocka_unit_test(test_relay_agent),
		cmocka_unit_test(test_classless_routes),
		cmocka_unit_test(test_domain_search),
		cmocka_unit_test(test_build_roundtrip),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_build_overload),
		cmocka_unit_test(test_build_max_size),
		cmocka_unit_test(test_option_names),
		cmocka_unit_test(test_print_text),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_captures),
	};
	return cmocka_run_group_tests_name("dhcp", tests, NULL, NULL);
}
