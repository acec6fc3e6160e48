/* Unit tests for the zone-file parser (codec/zone.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"
#include "zone.h"

#define MAXREC 32

/* One parsed record, flattened for easy comparison. */
struct rec {
	char owner[DNS_NAME_TEXT_MAX];
	uint32_t ttl;
	uint16_t rclass;
	uint16_t type;
	char rdata_hex[1024];
};

/* An error seen while parsing: its code, line and message. */
struct zerr {
	int code;
	unsigned line;
	char msg[ZONE_ERRMSG_MAX];
};

struct result {
	struct rec rec[MAXREC];
	unsigned nrec;
	struct zerr err[MAXREC];
	unsigned nerr;
};

static void name_of(const char *text, dns_name *out)
{
	assert_int_equal(dns_name_from_text(out, text, strlen(text), NULL), 0);
}

/* Parse the whole text, collecting records and errors (continuing after each
 * error the way a caller reporting all errors does). */
static void parse_all(const char *text, const char *origin, int64_t ttl,
                      struct result *res)
{
	static uint8_t rdata[DNS_RDATA_MAX];
	dns_name org;
	zone_parser p;

	memset(res, 0, sizeof *res);
	if (origin)
		name_of(origin, &org);
	zone_parser_init(&p, text, strlen(text), origin ? &org : NULL, ttl,
	                 "test.zone");
	for (unsigned guard = 0; guard < 1000; guard++) {
		dns_rr rr;
		int r = zone_parser_next(&p, &rr, rdata, sizeof rdata);
		if (r == 0)
			break;
		if (r < 0) {
			assert_true(res->nerr < MAXREC);
			struct zerr *e = &res->err[res->nerr++];
			e->code = r;
			e->line = p.line;
			snprintf(e->msg, sizeof e->msg, "%s", p.errmsg);
			continue;
		}
		assert_int_equal(r, 1);
		assert_true(res->nrec < MAXREC);
		struct rec *c = &res->rec[res->nrec++];
		dns_name_str(&rr.owner, c->owner);
		c->ttl = rr.ttl;
		c->rclass = rr.rclass;
		c->type = rr.type;
		strbuf sb = strbuf_init(c->rdata_hex, sizeof c->rdata_hex);
		strbuf_hex(&sb, rr.rdata, rr.rdlen);
		assert_int_equal(sb.err, 0);
	}
	zone_parser_free(&p);
}

static void expect_rec(const struct rec *c, const char *owner, uint32_t ttl,
                       uint16_t cls, uint16_t type, const char *hex)
{
	assert_string_equal(c->owner, owner);
	assert_int_equal(c->ttl, ttl);
	assert_int_equal(c->rclass, cls);
	assert_int_equal(c->type, type);
	if (hex)
		assert_string_equal(c->rdata_hex, hex);
}

/* "test.zone:LINE: " prefix check */
static void expect_err(const struct zerr *e, int code, unsigned line)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "test.zone:%u: ", line);
	if (e->code != code || e->line != line ||
	    strncmp(e->msg, prefix, strlen(prefix)) != 0)
		print_error("got %d line %u '%s', want %d line %u\n", e->code,
		            e->line, e->msg, code, line);
	assert_int_equal(e->code, code);
	assert_int_equal(e->line, line);
	assert_memory_equal(e->msg, prefix, strlen(prefix));
	assert_true(strlen(e->msg) > strlen(prefix) + 3);
}

static void test_directives_and_names(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"$ORIGIN example.com.\n"
		"$TTL 300\n"
		"@ IN A 192.0.2.1\n"
		"www A 192.0.2.2\n"
		"abs.example.net. A 192.0.2.3\n"
		"$ORIGIN sub\n"          /* relative to example.com. */
		"host A 192.0.2.4\n"
		"@ NS ns1\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 5);
	expect_rec(&res.rec[0], "example.com.", 300, DNS_C_IN, DNS_T_A, "C0000201");
	expect_rec(&res.rec[1], "www.example.com.", 300, DNS_C_IN, DNS_T_A, "C0000202");
	expect_rec(&res.rec[2], "abs.example.net.", 300, DNS_C_IN, DNS_T_A, "C0000203");
	expect_rec(&res.rec[3], "host.sub.example.com.", 300, DNS_C_IN, DNS_T_A, NULL);
	/* NS target relative to the current origin */
	expect_rec(&res.rec[4], "sub.example.com.", 300, DNS_C_IN, DNS_T_NS, NULL);
	char want[DNS_NAME_TEXT_MAX];
	dns_name ns;
	name_of("ns1.sub.example.com.", &ns);
	strbuf sb = strbuf_init(want, sizeof want);
	strbuf_hex(&sb, ns.wire, ns.len);
	assert_string_equal(res.rec[4].rdata_hex, want);
}

static void test_owner_inherited(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"a.example. 60 IN A 192.0.2.1\n"
		"           60 IN A 192.0.2.2\n"
		"\t\tIN TXT \"x\"\n"
		"b.example. 60 IN A 192.0.2.3\n"
		" A 192.0.2.4\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 5);
	expect_rec(&res.rec[1], "a.example.", 60, DNS_C_IN, DNS_T_A, "C0000202");
	expect_rec(&res.rec[2], "a.example.", 60, DNS_C_IN, DNS_T_TXT, "0178");
	expect_rec(&res.rec[4], "b.example.", 60, DNS_C_IN, DNS_T_A, "C0000204");
}

static void test_blank_owner_first_uses_origin(void **state)
{
	(void)state;
	struct result res;
	parse_all("   IN A 192.0.2.9\n", "example.org.", 3600, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 1);
	expect_rec(&res.rec[0], "example.org.", 3600, DNS_C_IN, DNS_T_A, "C0000209");
	/* no origin and no previous owner: an error naming the line */
	parse_all("\n   IN A 192.0.2.9\n", NULL, 3600, &res);
	assert_int_equal(res.nrec, 0);
	assert_int_equal(res.nerr, 1);
	expect_err(&res.err[0], WARD_ESYNTAX, 2);
}

static void test_ttl_class_order(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"a.example. 100 IN A 192.0.2.1\n"
		"b.example. IN 200 A 192.0.2.2\n"
		"c.example. CH 300 TXT \"c\"\n"
		"d.example. TXT \"d\"\n"             /* class CH inherited, TTL 300 */
		"e.example. 400 TXT \"e\"\n"
		"f.example. IN A 192.0.2.6\n"
		"g.example. CLASS1 TYPE1 \\# 4 C0000207\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 7);
	expect_rec(&res.rec[0], "a.example.", 100, DNS_C_IN, DNS_T_A, "C0000201");
	expect_rec(&res.rec[1], "b.example.", 200, DNS_C_IN, DNS_T_A, "C0000202");
	expect_rec(&res.rec[2], "c.example.", 300, DNS_C_CH, DNS_T_TXT, "0163");
	expect_rec(&res.rec[3], "d.example.", 300, DNS_C_CH, DNS_T_TXT, "0164");
	expect_rec(&res.rec[4], "e.example.", 400, DNS_C_CH, DNS_T_TXT, "0165");
	expect_rec(&res.rec[5], "f.example.", 400, DNS_C_IN, DNS_T_A, "C0000206");
	expect_rec(&res.rec[6], "g.example.", 400, DNS_C_IN, DNS_T_A, "C0000207");
}

static void test_ttl_fallbacks(void **state)
{
	(void)state;
	struct result res;
	/* caller default acts as $TTL; $TTL overrides it */
	parse_all("a.example. A 192.0.2.1\n"
	          "b.example. 5 A 192.0.2.2\n"
	          "c.example. A 192.0.2.3\n"
	          "$TTL 1h\n"
	          "d.example. A 192.0.2.4\n", NULL, 77, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 4);
	assert_int_equal(res.rec[0].ttl, 77);
	assert_int_equal(res.rec[1].ttl, 5);
	assert_int_equal(res.rec[2].ttl, 77);
	assert_int_equal(res.rec[3].ttl, 3600);

	/* no $TTL: the last explicit TTL (BIND); none at all: ENOTTL */
	parse_all("a.example. A 192.0.2.1\n"
	          "b.example. 5 A 192.0.2.2\n"
	          "c.example. A 192.0.2.3\n", NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nrec, 2);
	assert_int_equal(res.nerr, 1);
	expect_err(&res.err[0], WARD_ENOTTL, 1);
	assert_int_equal(res.rec[0].ttl, 5);
	assert_int_equal(res.rec[1].ttl, 5);
}

static void test_ttl_units(void **state)
{
	(void)state;
	static const struct { const char *s; int r; uint32_t v; } cases[] = {
		{ "0", 0, 0 }, { "3600", 0, 3600 }, { "1h30m", 0, 5400 },
		{ "1H30M", 0, 5400 }, { "2d", 0, 172800 }, { "1w", 0, 604800 },
		{ "1w2d3h4m5s", 0, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
		{ "90s", 0, 90 }, { "4294967295", 0, 4294967295u },
		{ "4294967296", WARD_ERANGE, 0 }, { "7102w", WARD_ERANGE, 0 },
		{ "1h30", WARD_ESYNTAX, 0 }, { "h", WARD_ESYNTAX, 0 },
		{ "", WARD_ESYNTAX, 0 }, { "1x", WARD_ESYNTAX, 0 },
		{ "-1", WARD_ESYNTAX, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t v = 12345;
		int r = zone_ttl_from_text(cases[i].s, strlen(cases[i].s), &v);
		if (r != cases[i].r)
			print_error("TTL '%s': got %d\n", cases[i].s, r);
		assert_int_equal(r, cases[i].r);
		if (r == 0)
			assert_int_equal(v, cases[i].v);
	}
	struct result res;
	parse_all("a.example. 1h30m IN A 192.0.2.1\n"
	          "$TTL 2D\n"
	          "b.example. IN A 192.0.2.2\n"
	          "c.example. 1h30 IN A 192.0.2.3\n", NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nrec, 2);
	assert_int_equal(res.rec[0].ttl, 5400);
	assert_int_equal(res.rec[1].ttl, 172800);
	assert_int_equal(res.nerr, 1);
	expect_err(&res.err[0], WARD_ESYNTAX, 4);
}

static void test_parentheses_and_comments(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"; a comment line\n"
		"$ORIGIN example.com. ; comment after a directive\n"
		"@ 3600 IN SOA ns1 hostmaster ( ; comment inside\n"
		"      2024010101 ; serial\n"
		"      7200       ; refresh\n"
		"\n"
		"      ; a line with only a comment inside the parentheses\n"
		"      3600 1209600\n"
		"      300 )      ; minimum\n"
		"www 60 IN A ( 192.0.2.1 )\n"
		"txt 60 IN TXT ( \"first\" ; one\n"
		"                \"second\" ) ; two\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 3);
	/* ns1.example.com. hostmaster.example.com. then five u32 */
	expect_rec(&res.rec[0], "example.com.", 3600, DNS_C_IN, DNS_T_SOA,
	           "036E7331076578616D706C6503636F6D00"
	           "0A686F73746D6173746572076578616D706C6503636F6D00"
	           "78A3F175" "00001C20" "00000E10" "00127500" "0000012C");
	expect_rec(&res.rec[1], "www.example.com.", 60, DNS_C_IN, DNS_T_A, "C0000201");
	expect_rec(&res.rec[2], "txt.example.com.", 60, DNS_C_IN, DNS_T_TXT,
	           "056669727374" "067365636F6E64");
}

static void test_quotes_protect_specials(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"q.example. 60 IN TXT \"a;b\" \"(c)\" \"d\\\"e\" ; real comment\n"
		"r.example. 60 IN TXT \"semi\\;colon\" \"x y\"\n"
		"s.example. 60 IN TXT ( \"(\" \";\" )\n"
		"t.example. 60 IN TXT \"\"\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 4);
	/* "a;b" "(c)" "d\"e" */
	expect_rec(&res.rec[0], "q.example.", 60, DNS_C_IN, DNS_T_TXT,
	           "03613B62" "03286329" "03642265");
	expect_rec(&res.rec[1], "r.example.", 60, DNS_C_IN, DNS_T_TXT,
	           "0A73656D693B636F6C6F6E" "03782079");
	expect_rec(&res.rec[2], "s.example.", 60, DNS_C_IN, DNS_T_TXT, "0128013B");
	expect_rec(&res.rec[3], "t.example.", 60, DNS_C_IN, DNS_T_TXT, "00");
}

static void test_name_escapes(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"dotted\\.label.example. 60 IN A 192.0.2.1\n"
		"\\065bc.example. 60 IN A 192.0.2.2\n"
		"semi\\;colon.example. 60 IN A 192.0.2.3\n"
		"paren\\(.example. 60 IN A 192.0.2.4\n"
		"sp\\ ace.example. 60 IN A 192.0.2.5\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 5);
	assert_string_equal(res.rec[0].owner, "dotted\\.label.example.");
	assert_string_equal(res.rec[1].owner, "Abc.example.");
	assert_string_equal(res.rec[2].owner, "semi\\;colon.example.");
	assert_string_equal(res.rec[3].owner, "paren\\(.example.");
	assert_string_equal(res.rec[4].owner, "sp\\ ace.example.");
	assert_string_equal(res.rec[4].rdata_hex, "C0000205");
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	struct result res;
	parse_all("a.example. 60 IN A 192.0.2.1\r\n"
	          "b.example. 60 IN TXT \"x\"\r\n"
	          "c.example. 60 IN A 192.0.2.3", NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 3);
	assert_string_equal(res.rec[1].rdata_hex, "0178");
	assert_string_equal(res.rec[2].rdata_hex, "C0000203");
}

static void test_errors_name_their_lines(void **state)
{
	(void)state;
	struct result res;
	const char *z =
		"$TTL 60\n"                                   /* 1 */
		"good1.example. A 192.0.2.1\n"                /* 2 */
		"bad..example. A 192.0.2.1\n"                 /* 3 owner */
		"x.example. BOGUS 1.2.3.4\n"                  /* 4 type */
		"x.example. A 999.1.1.1\n"                    /* 5 rdata */
		"x.example. A ( 192.0.2.1\n"                  /* 6 */
		"  ) )\n"                                     /* 7 extra ) */
		"x.example. TXT \"unterminated\n"             /* 8 quote */
		"good2.example. A 192.0.2.2\n"                /* 9 */
		"$BOGUS foo\n"                                /* 10 */
		"$GENERATE 1-10 a$ A 1.2.3.$\n"               /* 11 */
		"$INCLUDE other.zone\n"                       /* 12 */
		"$TTL forever\n"                              /* 13 */
		"$ORIGIN\n"                                   /* 14 */
		"x.example. IN\n"                             /* 15 no type */
		"relative A 192.0.2.1\n"                      /* 16 no origin */
		"good3.example. A 192.0.2.3\n"                /* 17 */
		"x.example. TXT ( \"never closed\"\n"         /* 18 */
		"good4.example. A 192.0.2.4\n";               /* 19: eaten */
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nrec, 3);
	assert_string_equal(res.rec[0].owner, "good1.example.");
	assert_string_equal(res.rec[1].owner, "good2.example.");
	assert_string_equal(res.rec[2].owner, "good3.example.");
	assert_int_equal(res.nerr, 13);
	expect_err(&res.err[0], WARD_EEMPTYLABEL, 3);
	expect_err(&res.err[1], WARD_EUNKTYPE, 4);
	assert_non_null(strstr(res.err[1].msg, "BOGUS"));
	assert_int_equal(res.err[2].line, 5);
	assert_true(res.err[2].code < 0);
	expect_err(&res.err[3], WARD_EPAREN, 7);
	expect_err(&res.err[4], WARD_EQUOTE, 8);
	expect_err(&res.err[5], WARD_EDIRECTIVE, 10);
	expect_err(&res.err[6], WARD_ENOTSUP, 11);
	expect_err(&res.err[7], WARD_ENOTSUP, 12);
	expect_err(&res.err[8], WARD_ESYNTAX, 13);
	expect_err(&res.err[9], WARD_EDIRECTIVE, 14);
	expect_err(&res.err[10], WARD_ESYNTAX, 15);
	expect_err(&res.err[11], WARD_ENOORIGIN, 16);
	expect_err(&res.err[12], WARD_EPAREN, 18);
}

static void test_error_in_multiline_record(void **state)
{
	(void)state;
	struct result res;
	/* the error names the line where the record starts; the next record
	 * after the parentheses is parsed normally */
	const char *z =
		"a.example. 60 IN SOA ns.example. host.example. (\n"
		"    1 2 3 4\n"
		"    notanumber )\n"
		"b.example. 60 IN A 192.0.2.2\n"
		"c.example. 60 IN TXT ( \"ok\"\n"
		"    \"bad\\\n"
		"    )\n"
		"d.example. 60 IN A 192.0.2.4\n";
	parse_all(z, NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 2);
	assert_int_equal(res.err[0].line, 1);
	assert_true(res.err[0].code < 0);
	expect_err(&res.err[1], WARD_EESCAPE, 6);
	assert_int_equal(res.nrec, 2);
	assert_string_equal(res.rec[0].owner, "b.example.");
	assert_string_equal(res.rec[1].owner, "d.example.");
}

static void test_errmsg_default_filename(void **state)
{
	(void)state;
	zone_parser p;
	dns_rr rr;
	uint8_t buf[64];
	const char *z = "\n\nx.example. 60 IN NOPE 1\n";
	zone_parser_init(&p, z, strlen(z), NULL, ZONE_NO_TTL, NULL);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), WARD_EUNKTYPE);
	assert_int_equal(p.line, 3);
	assert_memory_equal(p.errmsg, "<input>:3: ", 11);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 0);
	zone_parser_free(&p);
	zone_parser_free(&p); /* twice is fine */
}

static void test_small_rdata_buffer(void **state)
{
	(void)state;
	zone_parser p;
	dns_rr rr;
	uint8_t buf[3];
	const char *z = "x.example. 60 IN A 192.0.2.1\n"
	                "y.example. 60 IN TXT \"ab\"\n";
	zone_parser_init(&p, z, strlen(z), NULL, ZONE_NO_TTL, "f");
	int r = zone_parser_next(&p, &rr, buf, sizeof buf);
	assert_true(r < 0);
	assert_int_equal(p.line, 1);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 1);
	assert_int_equal(rr.rdlen, 3);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 0);
	zone_parser_free(&p);
}

/* $INCLUDE through a caller-supplied loader (no file system involved). */
static int mem_loader(void *ctx, const char *path, char **text, size_t *len)
{
	unsigned *calls = ctx;
	(*calls)++;
	const char *body;
	if (strcmp(path, "inc.zone") == 0)
		body = "host A 192.0.2.10\n  A 192.0.2.11\n$ORIGIN other.\nz A 192.0.2.12\n";
	else if (strcmp(path, "bad.zone") == 0)
		body = "ok A 192.0.2.13\nbroken A 1.2.3\n";
	else if (strcmp(path, "loop.zone") == 0)
		body = "$INCLUDE loop.zone\n";
	else
		return WARD_ENOTFOUND;
	*len = strlen(body);
	*text = malloc(*len + 1);
	if (!*text)
		return WARD_ENOMEM;
	memcpy(*text, body, *len + 1);
	return 0;
}

static void test_include(void **state)
{
	(void)state;
	static uint8_t rdata[512];
	const char *z =
		"$ORIGIN example.com.\n"                  /* 1 */
		"$TTL 60\n"                               /* 2 */
		"$INCLUDE inc.zone\n"                     /* 3 */
		"back A 192.0.2.1\n"                      /* 4: origin restored */
		"$INCLUDE \"inc.zone\" sub.example.net.\n"/* 5 */
		"$INCLUDE missing.zone\n"                 /* 6 */
		"$INCLUDE bad.zone\n"                     /* 7 */
		"$INCLUDE loop.zone\n"                    /* 8 */
		"last A 192.0.2.2\n";                     /* 9 */
	const char *want[] = {
		"host.example.com.", "host.example.com.", "z.other.",
		"back.example.com.",
		"host.sub.example.net.", "host.sub.example.net.", "z.other.",
		"ok.example.com.", "last.example.com.",
	};
	zone_parser p;
	unsigned calls = 0, nrec = 0, nerr = 0;
	zone_parser_init(&p, z, strlen(z), NULL, ZONE_NO_TTL, "main.zone");
	zone_parser_allow_include(&p, mem_loader, &calls);
	for (;;) {
		dns_rr rr;
		char name[DNS_NAME_TEXT_MAX];
		int r = zone_parser_next(&p, &rr, rdata, sizeof rdata);
		if (r == 0)
			break;
		if (r < 0) {
			nerr++;
			if (nerr == 1) {
				assert_int_equal(r, WARD_ENOTFOUND);
				assert_int_equal(p.line, 6);
				assert_memory_equal(p.errmsg, "main.zone:6: ", 13);
			} else if (nerr == 2) {
				assert_int_equal(p.line, 2);
				assert_memory_equal(p.errmsg, "bad.zone:2: ", 12);
			} else {
				assert_int_equal(r, WARD_ELIMIT);
				assert_memory_equal(p.errmsg, "loop.zone:1: ", 13);
			}
			continue;
		}
		assert_true(nrec < sizeof want / sizeof want[0]);
		assert_string_equal(dns_name_str(&rr.owner, name), want[nrec]);
		assert_int_equal(rr.ttl, 60);
		nrec++;
	}
	assert_int_equal(nrec, sizeof want / sizeof want[0]);
	assert_int_equal(nerr, 3);
	assert_int_equal(calls, 4 + ZONE_INCLUDE_MAX_DEPTH - 1);
	zone_parser_free(&p);
}

static void test_parse_rr_line(void **state)
{
	(void)state;
	dns_name org;
	dns_rr rr;
	uint8_t buf[512];
	name_of("example.", &org);

	assert_int_equal(zone_parse_rr_line("www 300 IN A 192.0.2.1", &org, &rr,
	                                    buf, sizeof buf), 0);
	char name[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(&rr.owner, name), "www.example.");
	assert_int_equal(rr.ttl, 300);
	assert_int_equal(rr.type, DNS_T_A);
	assert_int_equal(rr.rdlen, 4);
	assert_memory_equal(rr.rdata, "\xC0\x00\x02\x01", 4);

	assert_int_equal(zone_parse_rr_line("mx 1h IN MX ( 10 ; pref\n mail )  ; c",
	                                    &org, &rr, buf, sizeof buf), 0);
	assert_int_equal(rr.ttl, 3600);
	assert_int_equal(rr.type, DNS_T_MX);

	assert_int_equal(zone_parse_rr_line("www IN A 192.0.2.1", &org, &rr, buf,
	                                    sizeof buf), WARD_ENOTTL);
	assert_int_equal(zone_parse_rr_line("   ; nothing", &org, &rr, buf,
	                                    sizeof buf), WARD_ESYNTAX);
	assert_int_equal(zone_parse_rr_line("", &org, &rr, buf, sizeof buf),
	                 WARD_ESYNTAX);
	assert_int_equal(zone_parse_rr_line("a 1 A 192.0.2.1\nb 1 A 192.0.2.2",
	                                    &org, &rr, buf, sizeof buf),
	                 WARD_ETRAILING);
	assert_int_equal(zone_parse_rr_line("rel 1 A 192.0.2.1", NULL, &rr, buf,
	                                    sizeof buf), WARD_ENOORIGIN);
	assert_int_equal(zone_parse_rr_line("a. 1 A 192.0.2.1", NULL, NULL, buf,
	                                    sizeof buf), WARD_EINVAL);
}

static void test_generic_rdata_and_unknown_type(void **state)
{
	(void)state;
	struct result res;
	parse_all("a.example. 60 IN A \\# 4 C0000201\n"
	          "b.example. 60 IN TYPE65280 \\# 3 ( 01 02\n 03 )\n"
	          "c.example. 60 IN TYPE65281 \\# 0\n", NULL, ZONE_NO_TTL, &res);
	assert_int_equal(res.nerr, 0);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res.rec[0], "a.example.", 60, DNS_C_IN, DNS_T_A, "C0000201");
	expect_rec(&res.rec[1], "b.example.", 60, DNS_C_IN, 65280, "010203");
	expect_rec(&res.rec[2], "c.example.", 60, DNS_C_IN, 65281, "");
}

static void test_nul_byte_and_garbage(void **state)
{
	(void)state;
	zone_parser p;
	dns_rr rr;
	uint8_t buf[64];
	static const char z[] = "a.example. 60 IN A 192.0.2.1\n"
	                        "b.exa\0mple. 60 IN A 192.0.2.2\n"
	                        "c.example. 60 IN A 192.0.2.3\n";
	zone_parser_init(&p, z, sizeof z - 1, NULL, ZONE_NO_TTL, "nul");
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 1);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), WARD_ESYNTAX);
	assert_int_equal(p.line, 2);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 1);
	assert_int_equal(zone_parser_next(&p, &rr, buf, sizeof buf), 0);
	zone_parser_free(&p);

	/* random bytes: never crash, always terminate */
	uint32_t seed = 12345;
	char junk[512];
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof junk; i++) {
			seed = seed * 1103515245u + 12345u;
			static const char alpha[] = "ab.; ()\"\\\n\t$@1IN A TXT";
			junk[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		zone_parser_init(&p, junk, sizeof junk, NULL, 60, "junk");
		int steps = 0;
		while (zone_parser_next(&p, &rr, buf, sizeof buf) != 0)
			assert_true(++steps < 10000);
		zone_parser_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directives_and_names),
		cmocka_unit_test(test_owner_inherited),
		cmocka_unit_test(test_blank_owner_first_uses_origin),
		cmocka_unit_test(test_ttl_class_order),
		cmocka_unit_test(test_ttl_fallbacks),
		cmocka_unit_test(test_ttl_units),
		cmocka_unit_test(test_parentheses_and_comments),
		cmocka_unit_test(test_quotes_protect_specials),
		cmocka_unit_test(test_name_escapes),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_errors_name_their_lines),
		cmocka_unit_test(test_error_in_multiline_record),
		cmocka_unit_test(test_errmsg_default_filename),
		cmocka_unit_test(test_small_rdata_buffer),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_parse_rr_line),
		cmocka_unit_test(test_generic_rdata_and_unknown_type),
		cmocka_unit_test(test_nul_byte_and_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
