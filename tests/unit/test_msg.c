/* Unit tests: codec/msg.c (parse, validation, iterators, views),
 * codec/msg_print.c (dig-like text) and codec/msg_json.c (RFC 8427 JSON),
 * plus Unbound's test_packets.N files from shared/testdata. */
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

/* ---- packet construction ---- */

typedef struct pk {
	uint8_t b[8192];
	size_t n;
} pk;

static void p8(pk *p, unsigned v)
{
	assert_true(p->n < sizeof p->b);
	p->b[p->n++] = (uint8_t)v;
}

static void p16(pk *p, unsigned v)
{
	p8(p, v >> 8);
	p8(p, v & 0xff);
}

static void p32(pk *p, uint32_t v)
{
	p16(p, v >> 16);
	p16(p, v & 0xffff);
}

static void pbytes(pk *p, const void *d, size_t n)
{
	assert_true(p->n + n <= sizeof p->b);
	if (n)
		memcpy(p->b + p->n, d, n);
	p->n += n;
}

/* "www.example.com." (plain labels only) in uncompressed wire form */
static void pname(pk *p, const char *s)
{
	while (*s && strcmp(s, ".") != 0) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		p8(p, (unsigned)l);
		pbytes(p, s, l);
		s += l;
		if (*s == '.')
			s++;
	}
	p8(p, 0);
}

static void phdr(pk *p, unsigned id, unsigned flags, unsigned qd, unsigned an,
                 unsigned ns, unsigned ar)
{
	p->n = 0;
	p16(p, id);
	p16(p, flags);
	p16(p, qd);
	p16(p, an);
	p16(p, ns);
	p16(p, ar);
}

static void pq(pk *p, const char *name, unsigned type, unsigned cls)
{
	pname(p, name);
	p16(p, type);
	p16(p, cls);
}

/* type/class/ttl/rdlength/rdata after an owner already written */
static void ptail(pk *p, unsigned type, unsigned cls, uint32_t ttl,
                  const void *rdata, size_t rdlen)
{
	p16(p, type);
	p16(p, cls);
	p32(p, ttl);
	p16(p, (unsigned)rdlen);
	pbytes(p, rdata, rdlen);
}

static void prr(pk *p, const char *name, unsigned type, unsigned cls,
                uint32_t ttl, const void *rdata, size_t rdlen)
{
	pname(p, name);
	ptail(p, type, cls, ttl, rdata, rdlen);
}

static void popt(pk *p, unsigned udp, uint32_t ttl, const void *opts,
                 size_t len)
{
	p8(p, 0);
	ptail(p, DNS_T_OPT, udp, ttl, opts, len);
}

static const uint8_t A1[] = { 192, 0, 2, 1 };
static const uint8_t A2[] = { 192, 0, 2, 2 };

static char outbuf[1 << 20];

static const char *print_msg(const dns_msg *m)
{
	strbuf sb = strbuf_init(outbuf, sizeof outbuf);
	assert_int_equal(dns_msg_print(m, &sb), 0);
	return outbuf;
}

static const char *print_json(const dns_msg *m, unsigned flags)
{
	strbuf sb = strbuf_init(outbuf, sizeof outbuf);
	assert_int_equal(dns_msg_print_json_ex(m, &sb, flags), 0);
	return outbuf;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		printf("---- missing: [%s]\n---- in:\n%s\n----\n", needle, hay);
		fail();
	}
}

/* ---- a minimal strict JSON checker (RFC 8259) ---- */

static const char *js_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *js_value(const char *s, int depth);

static const char *js_string(const char *s)
{
	if (*s != '"')
		return NULL;
	for (s++; *s != '"'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == 0 || c < 0x20)
			return NULL; /* raw control characters are not allowed */
		if (c == '\\') {
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
	}
	return s + 1;
}

static const char *js_value(const char *s, int depth)
{
	if (depth > 32)
		return NULL;
	s = js_ws(s);
	if (*s == '"')
		return js_string(s);
	if (*s == '{' || *s == '[') {
		char close = *s == '{' ? '}' : ']';
		bool obj = *s == '{';
		s = js_ws(s + 1);
		if (*s == close)
			return s + 1;
		for (;;) {
			if (obj) {
				s = js_string(js_ws(s));
				if (!s)
					return NULL;
				s = js_ws(s);
				if (*s != ':')
					return NULL;
				s++;
			}
			s = js_value(s, depth + 1);
			if (!s)
				return NULL;
			s = js_ws(s);
			if (*s == ',') {
				s++;
				continue;
			}
			return *s == close ? s + 1 : NULL;
		}
	}
	if (*s == '-' || (*s >= '0' && *s <= '9')) {
		if (*s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return NULL;
		while (*s >= '0' && *s <= '9')
			s++;
		return s;
	}
	if (!strncmp(s, "true", 4) || !strncmp(s, "null", 4))
		return s + 4;
	if (!strncmp(s, "false", 5))
		return s + 5;
	return NULL;
}

static void assert_json(const char *s)
{
	const char *end = js_value(s, 0);
	if (!end || *js_ws(end) != '\0') {
		printf("---- invalid JSON near: [%.60s]\n%s\n", end ? end : "?", s);
		fail();
	}
}

/* ---- valid messages ---- */

static void build_response(pk *p)
{
	/* example.com. A: answer with a compressed owner, authority NS with a
	 * compressed rdata name, additional A for the NS, OPT with DO,
	 * COOKIE and EDE */
	phdr(p, 0x4242, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA | DNS_FLAG_AD,
	     1, 2, 1, 2);
	pq(p, "example.com.", DNS_T_A, DNS_C_IN);                /* at 12 */
	static const uint8_t ptr12[] = { 0xC0, 12 };
	pbytes(p, ptr12, 2);
	ptail(p, DNS_T_A, DNS_C_IN, 300, A1, 4);
	pbytes(p, ptr12, 2);
	ptail(p, DNS_T_A, DNS_C_IN, 300, A2, 4);
	pbytes(p, ptr12, 2);
	size_t ns_rdata = p->n + 10;
	static const uint8_t nsrd[] = { 3, 'n', 's', '1', 0xC0, 12 };
	ptail(p, DNS_T_NS, DNS_C_IN, 3600, nsrd, sizeof nsrd);
	uint8_t to_ns[2] = { 0xC0, (uint8_t)ns_rdata };
	pbytes(p, to_ns, 2);
	ptail(p, DNS_T_A, DNS_C_IN, 3600, A2, 4);
	static const uint8_t opts[] = {
		0, 10, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		0, 15, 0, 8, 0, 6, 'b', 'o', 'g', 'u', 's', '!',
	};
	popt(p, 1232, EDNS_FLAG_DO, opts, sizeof opts);
}

static void test_parse_response(void **state)
{
	(void)state;
	pk p;
	dns_msg m;
	build_response(&p);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_int_equal(m.err, 0);
	assert_int_equal(m.id, 0x4242);
	assert_int_equal(m.count[0], 1);
	assert_int_equal(m.count[1], 2);
	assert_int_equal(m.count[2], 1);
	assert_int_equal(m.count[3], 2);
	for (int s = 0; s < 4; s++)
		assert_int_equal(m.parsed[s], m.count[s]);
	assert_int_equal(m.sect_off[DNS_SEC_QUESTION], 12);
	assert_int_equal(m.sect_off[DNS_SEC_ANSWER], 12 + 13 + 4);
	assert_int_equal(m.end_off, p.n);
	assert_true(m.has_opt);
	assert_int_equal(m.opt.rclass, 1232);
	assert_int_equal(dns_msg_rcode(&m), 0);

	dns_name qn;
	uint16_t qt, qc;
	char nb[DNS_NAME_TEXT_MAX];
	assert_int_equal(dns_msg_question(&m, &qn, &qt, &qc), 0);
	assert_string_equal(dns_name_str(&qn, nb), "example.com.");
	assert_int_equal(qt, DNS_T_A);
	assert_int_equal(qc, DNS_C_IN);

	/* iterate the answer: two A records with decompressed owners */
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	int n = 0;
	while (dns_rr_iter_next(&it, &v)) {
		dns_rr rr;
		uint8_t buf[512];
		assert_int_equal(v.section, DNS_SEC_ANSWER);
		assert_int_equal(dns_rr_view_to_rr(&m, &v, &rr, buf, sizeof buf), 0);
		assert_string_equal(dns_name_str(&rr.owner, nb), "example.com.");
		assert_int_equal(rr.type, DNS_T_A);
		assert_int_equal(rr.ttl, 300);
		assert_int_equal(rr.rdlen, 4);
		assert_memory_equal(rr.rdata, n == 0 ? A1 : A2, 4);
		n++;
	}
	assert_int_equal(n, 2);
	assert_int_equal(dns_rr_iter_next(&it, &v), 0);

	/* the NS rdata comes out uncompressed */
	dns_rr_iter_init(&it, &m, DNS_SEC_AUTHORITY);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	uint8_t rd[300];
	size_t rdl;
	assert_int_equal(dns_rr_view_rdata(&m, &v, rd, sizeof rd, &rdl), 0);
	static const uint8_t ns1[] = { 3, 'n', 's', '1', 7, 'e', 'x', 'a', 'm',
	                               'p', 'l', 'e', 3, 'c', 'o', 'm', 0 };
	assert_int_equal(rdl, sizeof ns1);
	assert_memory_equal(rd, ns1, sizeof ns1);
	/* too small an output buffer is an error, not an overflow */
	assert_true(dns_rr_view_rdata(&m, &v, rd, 5, &rdl) < 0);

	char tb[256];
	strbuf sb = strbuf_init(tb, sizeof tb);
	assert_int_equal(dns_rr_view_to_text(&m, &v, &sb), 0);
	assert_string_equal(tb, "example.com.\t3600\tIN\tNS\tns1.example.com.");

	/* additional: the A of ns1 (owner through a pointer into rdata), OPT */
	dns_rr_iter_init(&it, &m, DNS_SEC_ADDITIONAL);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	sb = strbuf_init(tb, sizeof tb);
	assert_int_equal(dns_rr_view_to_text(&m, &v, &sb), 0);
	assert_string_equal(tb, "ns1.example.com.\t3600\tIN\tA\t192.0.2.2");
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	assert_int_equal(v.type, DNS_T_OPT);
	assert_int_equal(v.owner_off, m.opt.owner_off);
	assert_int_equal(dns_rr_iter_next(&it, &v), 0);

	/* question iteration yields type/class with no rdata */
	dns_rr_iter_init(&it, &m, DNS_SEC_QUESTION);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	assert_int_equal(v.type, DNS_T_A);
	assert_int_equal(v.rdlen, 0);
	assert_int_equal(v.ttl, 0);
}

static void test_print_dig(void **state)
{
	(void)state;
	pk p;
	dns_msg m;
	build_response(&p);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	const char *out = print_msg(&m);
	assert_contains(out, ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 16962\n");
	assert_contains(out, ";; flags: qr rd ra ad; QUERY: 1, ANSWER: 2, AUTHORITY: 1, ADDITIONAL: 2\n");
	assert_contains(out, "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags: do; udp: 1232\n");
	assert_contains(out, "; COOKIE: 0102030405060708090a0b0c0d0e0f10\n");
	assert_contains(out, "; EDE: 6 (DNSSEC Bogus): (bogus!)\n");
	assert_contains(out, ";; QUESTION SECTION:\n;example.com.\tIN\tA\n");
	assert_contains(out, ";; ANSWER SECTION:\nexample.com.\t300\tIN\tA\t192.0.2.1\n"
	                     "example.com.\t300\tIN\tA\t192.0.2.2\n");
	assert_contains(out, ";; AUTHORITY SECTION:\nexample.com.\t3600\tIN\tNS\tns1.example.com.\n");
	assert_contains(out, ";; ADDITIONAL SECTION:\nns1.example.com.\t3600\tIN\tA\t192.0.2.2\n");
	assert_null(strstr(out, "MALFORMED"));
	assert_null(strstr(out, "\tOPT\t")); /* OPT only as the pseudosection */
	char want[64];
	snprintf(want, sizeof want, ";; MSG SIZE  rcvd: %zu\n", p.n);
	assert_contains(out, want);
}

static void test_print_json(void **state)
{
	(void)state;
	pk p;
	dns_msg m;
	build_response(&p);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	const char *out = print_json(&m, DNS_JSON_OCTETS);
	assert_json(out);
	assert_contains(out, "{\"ID\":16962,\"QR\":1,\"Opcode\":0,\"AA\":0,\"TC\":0,"
	                     "\"RD\":1,\"RA\":1,\"AD\":1,\"CD\":0,\"RCODE\":0,"
	                     "\"QDCOUNT\":1,\"ANCOUNT\":2,\"NSCOUNT\":1,\"ARCOUNT\":2,");
	assert_contains(out, "\"QNAME\":\"example.com.\",\"QTYPE\":1,\"QTYPEname\":\"A\"");
	assert_contains(out, "\"answerRRs\":[{\"NAME\":\"example.com.\",\"TYPE\":1,"
	                     "\"TYPEname\":\"A\",\"CLASS\":1,\"CLASSname\":\"IN\","
	                     "\"TTL\":300,\"RDLENGTH\":4,\"rdataA\":\"192.0.2.1\"}");
	assert_contains(out, "\"rdataNS\":\"ns1.example.com.\"");
	assert_contains(out, "\"TYPEname\":\"OPT\",\"CLASS\":1232,\"TTL\":32768");
	assert_contains(out, "\"EDNS\":{\"version\":0,\"flags\":32768,\"DO\":1,\"udpSize\":1232");
	assert_contains(out, "\"infoCode\":6,\"purpose\":\"DNSSEC Bogus\",\"extraText\":\"bogus!\"");
	assert_contains(out, "\"messageOctetsHEX\":\"4242");
	assert_null(strstr(out, "malformed"));
	/* no octets without the flag */
	out = print_json(&m, 0);
	assert_json(out);
	assert_null(strstr(out, "messageOctetsHEX"));
}

/* JSON strings: quotes, backslashes and control characters escaped */
static void test_json_escaping(void **state)
{
	(void)state;
	pk p;
	dns_msg m;
	phdr(&p, 1, DNS_FLAG_QR, 1, 1, 0, 1);
	/* a label with '"', '\\', a control character and a high octet */
	static const uint8_t q[] = { 6, 'a', '"', '\\', 1, 0x80, 'z', 0 };
	pbytes(&p, q, sizeof q);
	p16(&p, DNS_T_TXT);
	p16(&p, DNS_C_IN);
	static const uint8_t txt[] = { 5, 'x', '"', '\\', '\n', 0x7f };
	prr(&p, "t.", DNS_T_TXT, DNS_C_IN, 1, txt, sizeof txt);
	static const uint8_t opts[] = { 0, 15, 0, 7, 0, 0, 'q', '"', 1, '\\', 0xff };
	popt(&p, 512, 0, opts, sizeof opts);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	const char *out = print_json(&m, 0);
	assert_json(out);
	/* the name as presentation text (\" \\ \001 \128), then JSON-escaped */
	assert_contains(out, "\"QNAME\":\"a\\\\\\\"\\\\\\\\\\\\001\\\\128z.\"");
	/* EDE text that is not UTF-8: controls as \u00XX, octets as \DDD */
	assert_contains(out, "\"extraText\":\"q\\\"\\u0001\\\\\\\\255\"");
	/* and the dig text keeps the terminal safe */
	out = print_msg(&m);
	assert_contains(out, "; EDE: 0 (Other Error): (q\"\\001\\092\\255)\n");
}

/* ---- names ---- */

static void expect_parse(pk *p, int err, enum dns_section s, unsigned after)
{
	dns_msg m;
	int r = dns_msg_parse(&m, p->b, p->n);
	if (r != err)
		printf("parse: got %d (%s), want %d (%s)\n", r, ward_strerror(r),
		       err, ward_strerror(err));
	assert_int_equal(r, err);
	assert_int_equal(m.err, err);
	if (err) {
		assert_int_equal(m.err_section, s);
		assert_int_equal(m.parsed[s], after);
		/* whatever happened, printing works and says why */
		const char *out = print_msg(&m);
		assert_contains(out, ";; MALFORMED: ");
		assert_contains(out, ward_strerror(err));
		assert_json(print_json(&m, DNS_JSON_OCTETS));
	}
}

static void test_pointer_self_loop(void **state)
{
	(void)state;
	pk p;
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	size_t here = p.n;
	uint8_t self[2] = { 0xC0, (uint8_t)here };
	pbytes(&p, self, 2);
	ptail(&p, 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_EPTRFWD, DNS_SEC_ANSWER, 0);
}

static void test_pointer_loop_two(void **state)
{
	(void)state;
	/* two pointers pointing at each other: one of them is forward */
	pk p;
	phdr(&p, 1, 0, 1, 2, 0, 0);
	pq(&p, "example.com.", 1, 1);
	size_t a = p.n;
	uint8_t to_b[2] = { 0xC0, (uint8_t)(a + 16) };
	pbytes(&p, to_b, 2);
	ptail(&p, 1, 1, 1, A1, 4);
	assert_int_equal(p.n, a + 16);
	uint8_t to_a[2] = { 0xC0, (uint8_t)a };
	pbytes(&p, to_a, 2);
	ptail(&p, 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_EPTRFWD, DNS_SEC_ANSWER, 0);
}

static void test_pointer_forward(void **state)
{
	(void)state;
	/* the question points to the answer's name (Unbound's packet 1) */
	pk p;
	phdr(&p, 1, 0, 1, 1, 0, 0);
	static const uint8_t fwd[] = { 0xC0, 18 };
	pbytes(&p, fwd, 2);
	p16(&p, 1);
	p16(&p, 1);
	prr(&p, "example.com.", 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_EPTRFWD, DNS_SEC_QUESTION, 0);
	/* beyond the end of the packet */
	phdr(&p, 1, 0, 1, 0, 0, 0);
	static const uint8_t far[] = { 0xC0, 0xBB };
	pbytes(&p, far, 2);
	p16(&p, 1);
	p16(&p, 1);
	expect_parse(&p, WARD_EPTRFWD, DNS_SEC_QUESTION, 0);
}

static void test_pointer_into_header(void **state)
{
	(void)state;
	pk p;
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	static const uint8_t hdr[] = { 0xC0, 4 }; /* offset 4: 00 01 -> "." */
	pbytes(&p, hdr, 2);
	ptail(&p, 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_EPTRHDR, DNS_SEC_ANSWER, 0);
	/* offset 11 is the last header octet */
	p.b[p.n - 16 + 1] = 11;
	expect_parse(&p, WARD_EPTRHDR, DNS_SEC_ANSWER, 0);
	/* offset 12 is the question name: fine */
	p.b[p.n - 16 + 1] = 12;
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
}

/* A chain of backwards pointers: at most DNS_PTR_MAXHOPS hops per name. */
static void build_chain(pk *p, unsigned hops)
{
	/* the question name sits at 12; an opaque record's rdata holds a
	 * chain of pointers, each pointing at the one before, the first at
	 * 12; the last record's owner points at the end of the chain. */
	unsigned chain = hops - 2; /* owner->last, ..., first->12 */
	phdr(p, 1, 0, 1, 2, 0, 0);
	pq(p, "example.com.", 1, 1);
	pname(p, "x.");
	p16(p, 65280);
	p16(p, 1);
	p32(p, 0);
	p16(p, (chain + 1) * 2);
	size_t first = p->n;
	p16(p, 0xC000 | 12);
	for (unsigned i = 1; i <= chain; i++)
		p16(p, 0xC000 | (unsigned)(first + 2 * (i - 1)));
	p16(p, 0xC000 | (unsigned)(first + 2 * chain));
	ptail(p, 1, 1, 1, A1, 4);
}

static void test_pointer_hop_cap(void **state)
{
	(void)state;
	pk p;
	build_chain(&p, DNS_PTR_MAXHOPS);
	expect_parse(&p, 0, DNS_SEC_ANSWER, 0);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_contains(print_msg(&m), "example.com.\t1\tIN\tA\t192.0.2.1\n");
	build_chain(&p, DNS_PTR_MAXHOPS + 1);
	expect_parse(&p, WARD_EPTRLOOP, DNS_SEC_ANSWER, 1);
}

/* a question name of n octets (wire, root included) made of labels of at
 * most `lab` octets */
static void build_long_name(pk *p, size_t total, unsigned lab)
{
	phdr(p, 1, 0, 1, 0, 0, 0);
	size_t left = total - 1;
	while (left > 0) {
		size_t l = left - 1 < lab ? left - 1 : lab;
		p8(p, (unsigned)l);
		for (size_t i = 0; i < l; i++)
			p8(p, 'a');
		left -= l + 1;
	}
	p8(p, 0);
	p16(p, 1);
	p16(p, 1);
}

static void test_name_limits(void **state)
{
	(void)state;
	pk p;
	build_long_name(&p, 255, 63);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	build_long_name(&p, 256, 63);
	expect_parse(&p, WARD_ENAMELEN, DNS_SEC_QUESTION, 0);
	/* 127 one-octet labels: 255 octets; 128: 257 */
	build_long_name(&p, 255, 1);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	build_long_name(&p, 257, 1);
	expect_parse(&p, WARD_ENAMELEN, DNS_SEC_QUESTION, 0);

	/* a 63-octet label is fine; 64 is the reserved 0x40 label type */
	phdr(&p, 1, 0, 1, 0, 0, 0);
	p8(&p, 63);
	for (int i = 0; i < 63; i++)
		p8(&p, 'x');
	p8(&p, 0);
	p16(&p, 1);
	p16(&p, 1);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	phdr(&p, 1, 0, 1, 0, 0, 0);
	p8(&p, 64);
	for (int i = 0; i < 64; i++)
		p8(&p, 'x');
	p8(&p, 0);
	p16(&p, 1);
	p16(&p, 1);
	expect_parse(&p, WARD_ELABELTYPE, DNS_SEC_QUESTION, 0);
	p.b[12] = 0x80;
	expect_parse(&p, WARD_ELABELTYPE, DNS_SEC_QUESTION, 0);

	/* a name that becomes too long only through a pointer: question of
	 * 250 octets, answer owner "abcdef" + pointer to it */
	pk q;
	build_long_name(&q, 250, 63);
	static const uint8_t own[] = { 6, 'a', 'b', 'c', 'd', 'e', 'f', 0xC0, 12 };
	q.b[7] = 1; /* ANCOUNT */
	pbytes(&q, own, sizeof own);
	ptail(&q, 1, 1, 1, A1, 4);
	expect_parse(&q, WARD_ENAMELEN, DNS_SEC_ANSWER, 0);
}

/* ---- counts, truncation, trailing bytes ---- */

static void test_counts(void **state)
{
	(void)state;
	pk p;
	/* QDCOUNT 4 with one 17-octet question: 4 * 5 > 17 */
	phdr(&p, 1, 0, 4, 0, 0, 0);
	pq(&p, "example.com.", 1, 1);
	expect_parse(&p, WARD_ECOUNT, DNS_SEC_QUESTION, 0);
	/* QDCOUNT 3 passes the count check, then runs out */
	p.b[5] = 3;
	expect_parse(&p, WARD_ETRUNC, DNS_SEC_QUESTION, 1);
	/* ANCOUNT 65535: rejected before the answer section is walked */
	phdr(&p, 1, 0, 1, 0xFFFF, 0, 0);
	pq(&p, "example.com.", 1, 1);
	prr(&p, "example.com.", 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_ECOUNT, DNS_SEC_ANSWER, 0);
	dns_msg m;
	dns_msg_parse(&m, p.b, p.n);
	assert_int_equal(m.parsed[DNS_SEC_QUESTION], 1);
	assert_int_equal(m.err_off, 12 + 17);
	const char *out = print_msg(&m);
	assert_contains(out, ";; QUESTION SECTION:\n;example.com.\tIN\tA\n");
	assert_contains(out, ";; MALFORMED: section count exceeds message size in ANSWER after 0 records (offset 29)\n");
	/* ARCOUNT 1 with nothing left (Unbound's test_packets.8) */
	phdr(&p, 1, 0, 1, 1, 0, 1);
	pq(&p, "example.com.", 1, 1);
	prr(&p, "example.com.", 1, 1, 1, A1, 4);
	expect_parse(&p, WARD_ECOUNT, DNS_SEC_ADDITIONAL, 0);
	/* exactly enough octets for the minimum sizes passes the check */
	phdr(&p, 1, 0, 0, 2, 0, 0);
	prr(&p, ".", 65280, 1, 0, NULL, 0);
	prr(&p, ".", 65280, 1, 0, NULL, 0);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
}

static void test_truncated(void **state)
{
	(void)state;
	pk p, full;
	build_response(&full);
	/* every strict prefix of a valid message fails cleanly */
	for (size_t n = 0; n < full.n; n++) {
		dns_msg m;
		int r = dns_msg_parse(&m, full.b, n);
		assert_true(r < 0);
		assert_int_equal(r, m.err);
		if (n < DNS_HEADER_LEN)
			assert_int_equal(r, WARD_EHEADER);
		else
			assert_true(r == WARD_ETRUNC || r == WARD_ECOUNT ||
			            r == WARD_ERDLEN || r == WARD_EOPT);
		strbuf sb = strbuf_init(outbuf, sizeof outbuf);
		assert_int_equal(dns_msg_print(&m, &sb), 0);
		assert_contains(outbuf, ";; MALFORMED: ");
		sb = strbuf_init(outbuf, sizeof outbuf);
		assert_int_equal(dns_msg_print_json(&m, &sb), 0);
		assert_json(outbuf);
	}
	/* RDLENGTH running past the end */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	prr(&p, "example.com.", 1, 1, 1, A1, 4);
	p.n -= 1;
	expect_parse(&p, WARD_ETRUNC, DNS_SEC_ANSWER, 0);
	dns_msg m;
	dns_msg_parse(&m, p.b, p.n);
	assert_int_equal(m.err_off, 29);
	assert_int_equal(m.end_off, 29);
	/* A record with 5 octets of rdata */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	static const uint8_t five[] = { 1, 2, 3, 4, 5 };
	prr(&p, "example.com.", 1, 1, 1, five, 5);
	expect_parse(&p, WARD_ERDLEN, DNS_SEC_ANSWER, 0);
	/* NS whose name runs past RDLENGTH */
	phdr(&p, 1, 0, 0, 1, 0, 0);
	static const uint8_t badns[] = { 3, 'n', 's', '1' }; /* no root label */
	prr(&p, "example.com.", DNS_T_NS, 1, 1, badns, sizeof badns);
	expect_parse(&p, WARD_ERDLEN, DNS_SEC_ANSWER, 0);
}

static void test_trailing(void **state)
{
	(void)state;
	pk p;
	phdr(&p, 7, DNS_FLAG_QR, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	prr(&p, "example.com.", 1, 1, 60, A1, 4);
	size_t good = p.n;
	p8(&p, 0xde);
	p8(&p, 0xad);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), WARD_ETRAILING);
	/* everything was parsed and is usable */
	assert_int_equal(m.parsed[0], 1);
	assert_int_equal(m.parsed[1], 1);
	assert_int_equal(m.end_off, good);
	assert_int_equal(m.err_off, good);
	const char *out = print_msg(&m);
	assert_contains(out, "example.com.\t60\tIN\tA\t192.0.2.1\n");
	assert_contains(out, ";; MALFORMED: trailing bytes: 2 octets after the last record\n");
	out = print_json(&m, 0);
	assert_json(out);
	assert_contains(out, "\"rdataA\":\"192.0.2.1\"");
	assert_contains(out, "\"malformed\":{\"error\":\"trailing bytes\"");
}

static void test_header(void **state)
{
	(void)state;
	static const uint8_t shortpkt[] = { 1, 2, 3, 4, 5 };
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, shortpkt, sizeof shortpkt), WARD_EHEADER);
	assert_string_equal(print_msg(&m),
	                    ";; MALFORMED: message shorter than DNS header (5 octets)\n");
	const char *out = print_json(&m, DNS_JSON_OCTETS);
	assert_json(out);
	assert_contains(out, "\"messageOctetsHEX\":\"0102030405\"");
	assert_int_equal(dns_msg_parse(&m, NULL, 0), WARD_EHEADER);
	assert_int_equal(dns_msg_parse(&m, NULL, 5), WARD_EINVAL);
	/* a bare header: no sections at all */
	static const uint8_t hdr[12] = { 0xab, 0xcd, 0x01, 0x00 };
	assert_int_equal(dns_msg_parse(&m, hdr, sizeof hdr), 0);
	assert_int_equal(m.id, 0xabcd);
	assert_true(m.flags & DNS_FLAG_RD);
	assert_int_equal(dns_msg_question(&m, NULL, NULL, NULL), WARD_ENOTFOUND);
	out = print_msg(&m);
	assert_contains(out, ";; flags: rd; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n");
	assert_null(strstr(out, "SECTION"));
}

/* ---- OPT ---- */

static void test_opt_rules(void **state)
{
	(void)state;
	pk p;
	/* two OPT records */
	phdr(&p, 1, 0, 1, 0, 0, 2);
	pq(&p, "example.com.", 1, 1);
	popt(&p, 4096, 0, NULL, 0);
	popt(&p, 4096, 1 << 16, NULL, 0);
	expect_parse(&p, WARD_EMULTIOPT, DNS_SEC_ADDITIONAL, 1);
	/* OPT in the answer and in the authority section */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 1, 1);
	popt(&p, 4096, 0, NULL, 0);
	expect_parse(&p, WARD_EMULTIOPT, DNS_SEC_ANSWER, 0);
	p.b[7] = 0;
	p.b[9] = 1;
	expect_parse(&p, WARD_EMULTIOPT, DNS_SEC_AUTHORITY, 0);
	/* non-root owner */
	phdr(&p, 1, 0, 1, 0, 0, 1);
	pq(&p, "example.com.", 1, 1);
	prr(&p, "example.com.", DNS_T_OPT, 4096, 0, NULL, 0);
	expect_parse(&p, WARD_EOPT, DNS_SEC_ADDITIONAL, 0);
	/* an owner that is the root through a pointer is the root */
	phdr(&p, 1, 0, 1, 0, 0, 1);
	pq(&p, "example.com.", 1, 1);
	static const uint8_t to_root[] = { 0xC0, 12 + 12 };
	pbytes(&p, to_root, 2);
	ptail(&p, DNS_T_OPT, 4096, 0, NULL, 0);
	expect_parse(&p, 0, DNS_SEC_ADDITIONAL, 0);
	/* an option running past the rdata */
	phdr(&p, 1, 0, 1, 0, 0, 1);
	pq(&p, "example.com.", 1, 1);
	static const uint8_t badopt[] = { 0, 10, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8 };
	popt(&p, 4096, 0, badopt, sizeof badopt);
	expect_parse(&p, WARD_EOPT, DNS_SEC_ADDITIONAL, 0);
	/* a lone partial option header */
	static const uint8_t halfopt[] = { 0, 10, 0 };
	phdr(&p, 1, 0, 0, 0, 0, 1);
	popt(&p, 4096, 0, halfopt, sizeof halfopt);
	expect_parse(&p, WARD_EOPT, DNS_SEC_ADDITIONAL, 0);
	/* an option whose content is bad is not a parse error (that is the
	 * resolver's call: FORMERR/BADCOOKIE), but it prints as malformed */
	static const uint8_t shortcookie[] = { 0, 10, 0, 3, 1, 2, 3 };
	phdr(&p, 1, 0, 0, 0, 0, 1);
	popt(&p, 4096, 0, shortcookie, sizeof shortcookie);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_contains(print_msg(&m), "; COOKIE: 010203 (malformed)\n");
}

static void test_ext_rcode(void **state)
{
	(void)state;
	pk p;
	dns_msg m;
	/* BADVERS: header rcode 0, extended rcode 1 -> 16 */
	phdr(&p, 9, DNS_FLAG_QR, 0, 0, 0, 1);
	popt(&p, 1232, edns_ttl(1, 0, 0), NULL, 0);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_BADVERS);
	const char *out = print_msg(&m);
	assert_contains(out, "status: BADVERS, id: 9\n");
	assert_contains(out, "; EDNS: version: 0, flags:; udp: 1232\n");
	/* BADCOOKIE: 23 = 1 << 4 | 7 */
	phdr(&p, 9, DNS_FLAG_QR | 7, 0, 0, 0, 1);
	popt(&p, 1232, edns_ttl(1, 0, EDNS_FLAG_DO | 0x10), NULL, 0);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_BADCOOKIE);
	out = print_msg(&m);
	assert_contains(out, "status: BADCOOKIE");
	assert_contains(out, "; EDNS: version: 0, flags: do; MBZ: 0x0010; udp: 1232\n");
	/* without OPT the rcode is the header's */
	phdr(&p, 9, DNS_FLAG_QR | 3, 0, 0, 0, 0);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_contains(print_msg(&m), "status: NXDOMAIN");
	/* unassigned codes print as numbers */
	phdr(&p, 9, DNS_FLAGS_OPCODE(9) | 13, 0, 0, 0, 0);
	assert_int_equal(dns_msg_parse(&m, p.b, p.n), 0);
	assert_contains(print_msg(&m), "opcode: OPCODE9, status: RCODE13");
	assert_string_equal(dns_rcode_name(DNS_RCODE_REFUSED), "REFUSED");
	assert_null(dns_rcode_name(4000));
	assert_string_equal(dns_opcode_name(DNS_OPCODE_NOTIFY), "NOTIFY");
}

/* ---- rdata validation ---- */

static void test_rdata_checks(void **state)
{
	(void)state;
	pk p;
	/* MX with a compressed exchange name is fine (RFC 1035 type) */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", DNS_T_MX, 1);
	static const uint8_t mx[] = { 0, 10, 2, 'm', 'x', 0xC0, 12 };
	prr(&p, "example.com.", DNS_T_MX, 1, 1, mx, sizeof mx);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	dns_msg m;
	dns_msg_parse(&m, p.b, p.n);
	assert_contains(print_msg(&m), "example.com.\t1\tIN\tMX\t10 mx.example.com.\n");
	/* a pointer where the type forbids compression (SVCB target) */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 64, 1);
	static const uint8_t svcb[] = { 0, 1, 0xC0, 12 };
	prr(&p, "example.com.", 64, 1, 1, svcb, sizeof svcb);
	expect_parse(&p, WARD_ECOMPRESS, DNS_SEC_ANSWER, 0);
	/* a forward pointer inside rdata */
	phdr(&p, 1, 0, 1, 1, 0, 0);
	pq(&p, "example.com.", 2, 1);
	static const uint8_t fwd[] = { 0xC0, 0x60 };
	prr(&p, "example.com.", DNS_T_CNAME, 1, 1, fwd, sizeof fwd);
	expect_parse(&p, WARD_EPTRFWD, DNS_SEC_ANSWER, 0);
	/* opaque (unknown) types take anything, including nothing */
	phdr(&p, 1, 0, 0, 2, 0, 0);
	static const uint8_t junk[] = { 0xC0, 0xFF, 0x40 };
	prr(&p, "x.", 65280, 1, 1, junk, sizeof junk);
	prr(&p, "x.", 65281, 1, 1, NULL, 0);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	dns_msg_parse(&m, p.b, p.n);
	assert_contains(print_msg(&m), "x.\t1\tIN\tTYPE65280\t\\# 3 C0FF40\n");
	/* RFC 2136 update: empty rdata with class ANY / NONE */
	phdr(&p, 1, DNS_FLAGS_OPCODE(DNS_OPCODE_UPDATE), 1, 0, 2, 0);
	pq(&p, "example.com.", DNS_T_SOA, 1);
	prr(&p, "a.example.com.", DNS_T_A, DNS_C_ANY, 0, NULL, 0);
	prr(&p, "b.example.com.", DNS_T_MX, DNS_C_NONE, 0, NULL, 0);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	dns_msg_parse(&m, p.b, p.n);
	const char *out = print_msg(&m);
	assert_contains(out, ";; flags:; ZONE: 1, PREREQ: 0, UPDATE: 2, ADDITIONAL: 0\n");
	assert_contains(out, ";; ZONE SECTION:\n;example.com.\tIN\tSOA\n");
	assert_contains(out, ";; UPDATE SECTION:\na.example.com.\t0\tANY\tA\t");
	/* ... but empty A rdata in class IN is not */
	phdr(&p, 1, 0, 0, 1, 0, 0);
	prr(&p, "a.example.com.", DNS_T_A, DNS_C_IN, 0, NULL, 0);
	expect_parse(&p, WARD_ERDLEN, DNS_SEC_ANSWER, 0);
	/* SOA with its 20 octets */
	phdr(&p, 1, 0, 0, 0, 1, 0);
	uint8_t soa[64];
	size_t sl = 0;
	soa[sl++] = 0xC0 | 0;
	soa[sl++] = 12 + 0; /* mname -> the owner */
	soa[sl++] = 0;      /* rname: root */
	for (int i = 0; i < 20; i++)
		soa[sl++] = (uint8_t)i;
	prr(&p, "example.com.", DNS_T_SOA, 1, 1, soa, sl);
	expect_parse(&p, 0, DNS_SEC_QUESTION, 0);
	p.b[p.n - sl - 1] = (uint8_t)(sl - 1); /* one octet short */
	p.n--;
	expect_parse(&p, WARD_ERDLEN, DNS_SEC_AUTHORITY, 0);
}

/* ---- Unbound's test packets ---- */

static char testdata[4096];

struct ubfile {
	int no;
	bool drill;                /* packets separated by ";--" lines */
	unsigned packets;          /* how many the file holds */
	unsigned bad;              /* how many we refuse */
	int bad_err;               /* ... all with this error (0: see below) */
};

/* Expected outcome of each packet of test_packets.5 (hand-made compression
 * cases): see the comments in the file. */
static const int ub5_expect[] = {
	0,              /* 0.  valid */
	0,              /* 0b. compression from answer to question */
	WARD_EPTRFWD,   /* 1.  question points forward into the answer */
	WARD_EPTRFWD,   /* 2.  answer 1 points forward to answer 2 */
	0,              /* 2b. answer 2 points back to answer 1: valid */
	WARD_EPTRFWD,   /* 3.  pointer to itself */
	WARD_EPTRHDR,   /* 4.  pointer into the header */
	WARD_EPTRFWD,   /* 5.  pointer beyond the packet */
	WARD_EMULTIOPT, /* 6.  two OPT records */
};

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

/* Unbound's hex reader: whitespace skipped, ';' to end of line is a
 * comment. */
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

/* Every view of a parsed message converts and prints. */
static void check_views(const dns_msg *m)
{
	static uint8_t rbuf[DNS_RDATA_MAX + 1];
	for (int s = 0; s < 4; s++) {
		dns_rr_iter it;
		dns_rr_view v;
		unsigned n = 0;
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v)) {
			dns_name owner;
			assert_int_equal(dns_rr_view_owner(m, &v, &owner), 0);
			if (s != DNS_SEC_QUESTION) {
				dns_rr rr;
				assert_int_equal(dns_rr_view_to_rr(m, &v, &rr, rbuf,
				                                   sizeof rbuf), 0);
				assert_int_equal(dns_rdata_check(rr.type, rr.rdata,
				                                 rr.rdlen), 0);
			}
			n++;
		}
		assert_int_equal(n, m->parsed[s]);
	}
}

struct ubresult {
	unsigned packets, bad;
	int errs[64];
	int first_bad_err;
	bool same_err;
};

static void ub_one(const uint8_t *pkt, size_t n, struct ubresult *res)
{
	dns_msg m;
	int r = dns_msg_parse(&m, pkt, n);
	if (res->packets < 64)
		res->errs[res->packets] = r;
	res->packets++;
	strbuf sb = strbuf_init(outbuf, sizeof outbuf);
	assert_int_equal(dns_msg_print(&m, &sb), 0);
	sb = strbuf_init(outbuf, sizeof outbuf);
	assert_int_equal(dns_msg_print_json(&m, &sb), 0);
	assert_json(outbuf);
	if (r == 0) {
		check_views(&m);
		return;
	}
	if (res->bad == 0) {
		res->first_bad_err = r;
		res->same_err = true;
	} else if (r != res->first_bad_err) {
		res->same_err = false;
	}
	res->bad++;
}

static bool ub_read(int no, struct ubresult *res)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/codec/unbound/test_packets.%d", testdata, no);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("SKIP test_packets.%d: %s not found (set WARD_TESTDATA)\n",
		       no, path);
		return false;
	}
	memset(res, 0, sizeof *res);
	static char line[1 << 17];
	static char block[1 << 18];
	static uint8_t pkt[1 << 17];
	size_t bl = 0;
	bool drill = no >= 4;
	while (fgets(line, sizeof line, f)) {
		size_t ll = strlen(line);
		if (!drill) {
			/* one packet per line; short lines are packet numbers */
			if (line[0] == ';' || ll < 10)
				continue;
			ub_one(pkt, ub_hex(line, pkt, sizeof pkt), res);
			continue;
		}
		if (!strncmp(line, ";--", 3)) {
			block[bl] = '\0';
			size_t n = ub_hex(block, pkt, sizeof pkt);
			if (n)
				ub_one(pkt, n, res);
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
		size_t n = ub_hex(block, pkt, sizeof pkt);
		if (n)
			ub_one(pkt, n, res);
	}
	fclose(f);
	return true;
}

static void test_unbound_packets(void **state)
{
	(void)state;
	/* test_packets.2/.3 are captured traffic; the packets we refuse are
	 * TCP segments and ICMP junk with absurd counts (Unbound answers
	 * FORMERR to them too): all WARD_ECOUNT. test_packets.8 has ARCOUNT 1
	 * without the record: Unbound accepts that leniently, we do not. */
	static const struct ubfile files[] = {
		{ 2, false, 25, 8, WARD_ECOUNT },
		{ 3, false, 233, 37, WARD_ECOUNT },
		{ 4, true, 16, 0, 0 },
		{ 5, true, 9, 6, 0 },
		{ 6, true, 2, 0, 0 },
		{ 7, true, 2, 0, 0 },
		{ 8, true, 1, 1, WARD_ECOUNT },
		{ 9, true, 1, 0, 0 },
	};
	unsigned seen = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct ubresult res;
		if (!ub_read(files[i].no, &res))
			continue;
		seen++;
		printf("test_packets.%d: %u packets, %u refused%s%s\n", files[i].no,
		       res.packets, res.bad, res.bad ? ": " : "",
		       res.bad ? ward_strerror(res.first_bad_err) : "");
		assert_int_equal(res.packets, files[i].packets);
		assert_int_equal(res.bad, files[i].bad);
		if (files[i].bad_err) {
			assert_true(res.same_err);
			assert_int_equal(res.first_bad_err, files[i].bad_err);
		}
		if (files[i].no == 5) {
			for (size_t k = 0; k < sizeof ub5_expect / sizeof ub5_expect[0]; k++)
				assert_int_equal(res.errs[k], ub5_expect[k]);
		}
	}
	if (!seen)
		skip();
}

/* ---- robustness: mutated packets never break the invariants ---- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_mutations(void **state)
{
	(void)state;
	pk base;
	build_response(&base);
	static uint8_t buf[8192];
	unsigned ok = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = base.n;
		memcpy(buf, base.b, n);
		int flips = 1 + (int)(rng() % 4);
		for (int k = 0; k < flips; k++)
			buf[rng() % n] = (uint8_t)rng();
		if (rng() % 4 == 0)
			n = rng() % (n + 1);
		dns_msg m;
		int r = dns_msg_parse(&m, buf, n);
		assert_int_equal(r, m.err);
		strbuf sb = strbuf_init(outbuf, sizeof outbuf);
		assert_int_equal(dns_msg_print(&m, &sb), 0);
		sb = strbuf_init(outbuf, sizeof outbuf);
		assert_int_equal(dns_msg_print_json(&m, &sb), 0);
		if (r == 0 || r == WARD_ETRAILING) {
			check_views(&m);
			ok++;
		}
	}
	assert_true(ok > 100); /* the mutations do not all fail */
}

static void test_section_names(void **state)
{
	(void)state;
	assert_string_equal(dns_section_name(DNS_SEC_ANSWER, false), "ANSWER");
	assert_string_equal(dns_section_name(DNS_SEC_AUTHORITY, true), "UPDATE");
	assert_string_equal(dns_section_name(DNS_SEC_QUESTION, true), "ZONE");
	assert_string_equal(dns_section_name((enum dns_section)7, false), "?");
}

int main(void)
{
	const char *env = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s",
	         env && *env ? env : "../shared/testdata");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_response),
		cmocka_unit_test(test_print_dig),
		cmocka_unit_test(test_print_json),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_pointer_self_loop),
		cmocka_unit_test(test_pointer_loop_two),
		cmocka_unit_test(test_pointer_forward),
		cmocka_unit_test(test_pointer_into_header),
		cmocka_unit_test(test_pointer_hop_cap),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_opt_rules),
		cmocka_unit_test(test_ext_rcode),
		cmocka_unit_test(test_rdata_checks),
		cmocka_unit_test(test_unbound_packets),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_section_names),
	};
	return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
