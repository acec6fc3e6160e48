/* Unit tests: replay/ — .rpl scenarios (testbound and Deckard dialects):
 * every file of the Unbound corpus (WARD_TESTDATA, default
 * ../shared/testdata; skipped when absent) loads, two of them checked
 * against counts read by hand; the matcher (step ranges, addresses, range
 * order, qname case, subdomain, transport, copy_id, copy_query, raw
 * answers, EXTRA_PACKET, ECS); the CHECK_ANSWER checker and its diff;
 * configuration; errors as "file:line: message". */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/zone.h"
#include "replay/rpl.h"

static char testdata[4096];

/* ---- helpers ---- */

static rpl_scenario *load(const char *text)
{
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer(text, strlen(text), "test.rpl", &err);
	if (!s)
		print_message("load failed: %s\n", err.msg);
	assert_non_null(s);
	assert_int_equal(err.code, 0);
	return s;
}

/* Loading must fail at `line` with a message naming it. */
static void load_fails(const char *text, unsigned line, const char *needle)
{
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer(text, strlen(text), "bad.rpl", &err);
	if (s)
		rpl_free(s);
	assert_null(s);
	assert_true(err.code < 0);
	char prefix[64];
	snprintf(prefix, sizeof prefix, "bad.rpl:%u: ", line);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0 ||
	    !strstr(err.msg, needle))
		print_message("got '%s', want prefix '%s' and '%s'\n", err.msg,
		              prefix, needle);
	assert_int_equal(err.line, line);
	assert_memory_equal(err.msg, prefix, strlen(prefix));
	assert_non_null(strstr(err.msg, needle));
}

static dns_name N(const char *s)
{
	dns_name n;
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), NULL), 0);
	return n;
}

static rpl_addr A(const char *s)
{
	rpl_addr a;
	assert_int_equal(rpl_addr_parse(s, strlen(s), &a), 0);
	return a;
}

/* A query; edns: -1 none, 0 without DO, 1 with DO. */
static size_t query(uint8_t *buf, size_t cap, uint16_t id, const char *name,
                    uint16_t type, int edns)
{
	dns_mb b;
	size_t len;
	dns_name qn = N(name);
	assert_int_equal(dns_mb_init(&b, buf, cap, cap), 0);
	dns_mb_set_id(&b, id);
	dns_mb_set_flags(&b, 0);
	if (edns >= 0)
		assert_int_equal(dns_mb_edns(&b, 1232, 0, edns ? EDNS_FLAG_DO : 0), 0);
	assert_int_equal(dns_mb_question(&b, &qn, type, DNS_C_IN), 0);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	return len;
}

/* A reply: flags, rcode, one question, records "owner ttl class type rdata"
 * for the answer section (NULL-terminated), then for the additional. */
static size_t reply(uint8_t *buf, size_t cap, uint16_t flags, uint16_t rcode,
                    const char *qname, uint16_t qtype, const char *const *an,
                    const char *const *ad, int edns)
{
	static uint8_t rd[DNS_RDATA_MAX];
	dns_mb b;
	size_t len;
	dns_name qn = N(qname);
	assert_int_equal(dns_mb_init(&b, buf, cap, cap), 0);
	dns_mb_set_id(&b, 77);
	dns_mb_set_flags(&b, flags);
	dns_mb_set_rcode(&b, rcode);
	if (edns >= 0)
		assert_int_equal(dns_mb_edns(&b, 1232, 0, edns ? EDNS_FLAG_DO : 0), 0);
	assert_int_equal(dns_mb_question(&b, &qn, qtype, DNS_C_IN), 0);
	for (int s = 0; s < 2; s++) {
		const char *const *list = s ? ad : an;
		for (size_t i = 0; list && list[i]; i++) {
			dns_rr rr;
			assert_int_equal(zone_parse_rr_line(list[i], NULL, &rr, rd,
			                                    sizeof rd), 0);
			assert_int_equal(dns_mb_rr(&b, s ? DNS_SEC_ADDITIONAL
			                                 : DNS_SEC_ANSWER, &rr), 0);
		}
	}
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	return len;
}

static uint16_t id_of(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The address of the first A record of the answer section, as text. */
static const char *first_a(const uint8_t *pkt, size_t len, char out[32])
{
	dns_msg m;
	dns_rr_iter it;
	dns_rr_view v;
	out[0] = '\0';
	assert_int_equal(dns_msg_parse(&m, pkt, len), 0);
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1) {
		if (v.type == DNS_T_A && v.rdlen == 4) {
			const uint8_t *a = pkt + v.rdata_off;
			snprintf(out, 32, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			break;
		}
	}
	return out;
}

/* ---- the Unbound corpus ---- */

static bool corpus_dir(char *dir, size_t cap)
{
	snprintf(dir, cap, "%s/rpl/unbound", testdata);
	DIR *d = opendir(dir);
	if (!d) {
		print_message("skip: %s is absent (set WARD_TESTDATA)\n", dir);
		return false;
	}
	closedir(d);
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .rpl file loads; a table of the ones that do not. Every entry's
 * own message satisfies its MATCH criteria (the checker agrees with the
 * builder), except criteria about things a message cannot carry by itself
 * (serial, EDE, DO, cookies) and entries with deliberately broken records. */
static void test_corpus_all_parse(void **state)
{
	(void)state;
	char dir[4200];
	if (!corpus_dir(dir, sizeof dir))
		skip();
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[2048];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 2048) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".rpl") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_str);

	size_t ok = 0, bad = 0, val = 0, iter = 0, entries = 0, steps = 0;
	size_t selfbad = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4500];
		rpl_error err;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		rpl_scenario *s = rpl_load_file(path, &err);
		if (!s) {
			if (!bad)
				print_message("%-40s %s\n", "FILE", "REASON");
			print_message("%-40s %s\n", names[i], err.msg);
			bad++;
			free(names[i]);
			continue;
		}
		ok++;
		val += strncmp(names[i], "val_", 4) == 0;
		iter += strncmp(names[i], "iter_", 5) == 0;
		assert_int_equal(s->dialect, RPL_DIALECT_TESTBOUND);
		assert_true(s->nsteps > 0);
		steps += s->nsteps;
		for (size_t k = 1; k < s->nsteps; k++)
			assert_true(s->steps[k - 1].number < s->steps[k].number);
		for (size_t r = 0; r < s->nranges; r++) {
			for (size_t j = 0; j < s->ranges[r].nentries; j++) {
				const rpl_entry *e = &s->ranges[r].entries[j];
				entries++;
				assert_true(e->npkts >= 1);
				assert_true(e->pkts[0].wire_len >= DNS_HEADER_LEN);
				uint32_t skipbits = RPL_M_SERIAL | RPL_M_EDE | RPL_M_DO |
				                    RPL_M_CLIENT_COOKIE |
				                    RPL_M_SERVER_COOKIE;
				if (e->pkts[0].unchecked || (e->match & skipbits))
					continue;
				char diff[2048];
				strbuf sb = strbuf_init(diff, sizeof diff);
				if (rpl_check_answer(e, e->pkts[0].wire,
				                     e->pkts[0].wire_len, &sb) != 0) {
					print_message("%s:%u: self-check: %s", names[i],
					              e->line, diff);
					selfbad++;
				}
			}
		}
		rpl_free(s);
		free(names[i]);
	}
	print_message("corpus: %zu files (%zu val_, %zu iter_), %zu loaded, "
	              "%zu failed; %zu range entries, %zu steps\n", n, val, iter,
	              ok, bad, entries, steps);
	assert_true(n >= 274);
	assert_int_equal(bad, 0);
	assert_int_equal(selfbad, 0);
	assert_int_equal(ok, n);
}

/* iter_auth_tc.rpl, read by hand: 3 ranges (2, 2 and 4 entries) at
 * 193.0.14.129, 192.5.6.30, 1.2.3.4; STEP 1 QUERY and STEP 10
 * CHECK_ANSWER (MATCH all, QR RD RA SERVFAIL); a stub zone "." and
 * qname-minimisation no. */
static void test_corpus_iter_auth_tc(void **state)
{
	(void)state;
	char dir[4200], path[4500];
	if (!corpus_dir(dir, sizeof dir))
		skip();
	snprintf(path, sizeof path, "%s/iter_auth_tc.rpl", dir);
	rpl_error err;
	rpl_scenario *s = rpl_load_file(path, &err);
	assert_non_null(s);
	assert_string_equal(s->title,
	                    "Test authoritative response with erroneous TC flag");
	assert_int_equal(s->config.qname_minimisation, 0);
	assert_int_equal(s->config.nzones, 1);
	assert_string_equal(s->config.zones[0].name_text, ".");
	assert_false(s->config.zones[0].forward);
	assert_int_equal(s->config.zones[0].naddrs, 1);
	rpl_addr k = A("193.0.14.129");
	assert_true(rpl_addr_equal(&s->config.zones[0].addrs[0], &k));
	assert_string_equal(rpl_config_get(&s->config, "target-fetch-policy"),
	                    "0 0 0 0 0");
	assert_int_equal(rpl_config_bool(&s->config, "minimal-responses", -1), 0);
	assert_false(s->config.have_date);

	assert_int_equal(s->nranges, 3);
	static const size_t counts[3] = { 2, 2, 4 };
	static const char *const addrs[3] = { "193.0.14.129", "192.5.6.30",
	                                      "1.2.3.4" };
	for (int i = 0; i < 3; i++) {
		rpl_addr a = A(addrs[i]);
		assert_int_equal(s->ranges[i].first, 0);
		assert_int_equal(s->ranges[i].last, 100);
		assert_int_equal(s->ranges[i].naddrs, 1);
		assert_true(rpl_addr_equal(&s->ranges[i].addrs[0], &a));
		assert_int_equal(s->ranges[i].nentries, counts[i]);
	}
	const rpl_entry *e = &s->ranges[0].entries[0];
	assert_int_equal(e->line, 17);
	assert_int_equal(e->match, RPL_M_OPCODE | RPL_M_QTYPE | RPL_M_QNAME);
	assert_int_equal(e->adjust, RPL_A_COPY_ID);
	assert_int_equal(e->pkts[0].count[DNS_SEC_ANSWER], 1);
	assert_int_equal(e->pkts[0].count[DNS_SEC_ADDITIONAL], 1);
	/* no TTL in the file: 3600 */
	assert_int_equal(e->pkts[0].rrs[DNS_SEC_ADDITIONAL][0].rr.ttl, 3600);
	/* the second entry of the second range: MATCH opcode subdomain,
	 * ADJUST copy_id copy_query */
	e = &s->ranges[1].entries[1];
	assert_int_equal(e->match, RPL_M_OPCODE | RPL_M_SUBDOMAIN);
	assert_int_equal(e->adjust, RPL_A_COPY_ID | RPL_A_COPY_QUERY);
	/* the erroneous TC: the last entry of the last range */
	e = &s->ranges[2].entries[3];
	assert_true(e->pkts[0].flags & DNS_FLAG_TC);
	assert_true(e->pkts[0].wire[2] & 0x02); /* TC on the wire */
	assert_int_equal(e->pkts[0].count[DNS_SEC_ANSWER], 1);
	assert_int_equal(e->pkts[0].count[DNS_SEC_AUTHORITY], 1);

	assert_int_equal(s->nsteps, 2);
	assert_int_equal(s->steps[0].number, 1);
	assert_int_equal(s->steps[0].type, RPL_STEP_QUERY);
	rpl_addr lo = A("127.0.0.1");
	assert_true(s->steps[0].has_addr);
	assert_true(rpl_addr_equal(&s->steps[0].addr, &lo));
	assert_int_equal(s->steps[0].entry->pkts[0].flags, DNS_FLAG_RD);
	assert_false(s->steps[0].entry->pkts[0].edns);
	const rpl_step *chk = rpl_step_find(s, 10);
	assert_non_null(chk);
	assert_ptr_equal(chk, &s->steps[1]);
	assert_null(rpl_step_find(s, 5));
	assert_int_equal(chk->type, RPL_STEP_CHECK_ANSWER);
	assert_int_equal(chk->entry->match, RPL_M_ALL);
	assert_int_equal(chk->entry->pkts[0].rcode, DNS_RCODE_SERVFAIL);
	assert_int_equal(chk->entry->pkts[0].flags,
	                 DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA);

	size_t it = 0, nsteps = 0;
	while (rpl_step_next(s, &it))
		nsteps++;
	assert_int_equal(nsteps, 2);

	/* the resolver's expected SERVFAIL passes the check, NOERROR not */
	uint8_t buf[512];
	size_t len = reply(buf, sizeof buf, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA,
	                   DNS_RCODE_SERVFAIL, "www.example.com.", DNS_T_A, NULL,
	                   NULL, -1);
	assert_int_equal(rpl_check_answer(chk->entry, buf, len, NULL), 0);
	len = reply(buf, sizeof buf, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA,
	            DNS_RCODE_NOERROR, "www.example.com.", DNS_T_A, NULL, NULL, -1);
	assert_int_equal(rpl_check_answer(chk->entry, buf, len, NULL),
	                 RPL_MISMATCH);
	rpl_free(s);
}

/* val_nsec3_b1_nameerror.rpl (RFC 5155 B.1), read by hand: a DNSKEY trust
 * anchor written with parentheses, val-override-date 20120420235959, two
 * ranges (2 and 3 entries), STEP 1 QUERY with DO, STEP 10 CHECK_ANSWER
 * NXDOMAIN with 8 authority records. */
static void test_corpus_nsec3_b1(void **state)
{
	(void)state;
	char dir[4200], path[4500];
	if (!corpus_dir(dir, sizeof dir))
		skip();
	snprintf(path, sizeof path, "%s/val_nsec3_b1_nameerror.rpl", dir);
	rpl_error err;
	rpl_scenario *s = rpl_load_file(path, &err);
	assert_non_null(s);
	const rpl_config *c = &s->config;
	assert_int_equal(c->nanchors, 1);
	assert_int_equal(c->anchors[0].rr.type, DNS_T_DNSKEY);
	assert_int_equal(c->anchors[0].line, 3);
	/* flags 257, protocol 3, algorithm 7 */
	assert_int_equal(c->anchors[0].rr.rdata[0], 0x01);
	assert_int_equal(c->anchors[0].rr.rdata[1], 0x01);
	assert_int_equal(c->anchors[0].rr.rdata[3], 7);
	assert_true(c->have_date);
	assert_false(c->date_ignore);
	assert_int_equal(c->date, 1334966399); /* 2012-04-20 23:59:59 UTC */

	assert_int_equal(s->nranges, 2);
	assert_int_equal(s->ranges[0].nentries, 2);
	assert_int_equal(s->ranges[1].nentries, 3);
	const rpl_entry *nx = &s->ranges[1].entries[2];
	assert_int_equal(nx->line, 75);
	assert_int_equal(nx->pkts[0].rcode, DNS_RCODE_NXDOMAIN);
	assert_true(nx->pkts[0].edns);
	assert_int_equal(nx->pkts[0].edns_flags, EDNS_FLAG_DO);
	assert_int_equal(nx->pkts[0].udp_size, RPL_TB_EDNS_UDP);
	assert_int_equal(nx->pkts[0].count[DNS_SEC_AUTHORITY], 8);

	assert_int_equal(s->nsteps, 2);
	const rpl_entry *q = s->steps[0].entry;
	assert_true(q->pkts[0].edns);
	assert_int_equal(q->pkts[0].edns_flags, EDNS_FLAG_DO);
	const rpl_entry *ck = s->steps[1].entry;
	assert_int_equal(ck->pkts[0].count[DNS_SEC_AUTHORITY], 8);

	/* the server's NXDOMAIN with the resolver's flags would pass; with
	 * its own (aa, no rd ra) only the flags differ */
	char diff[2048];
	strbuf sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(ck, nx->pkts[0].wire,
	                                  nx->pkts[0].wire_len, &sb),
	                 RPL_MISMATCH);
	assert_string_equal(diff, "flags: expected qr rd ra, got qr aa\n");

	/* the root server answers a.c.x.w.example A with the referral
	 * (MATCH opcode qtype, copy_query) */
	uint8_t qb[512], out[RPL_PKT_MAX];
	size_t qlen = query(qb, sizeof qb, 0xbeef, "a.c.x.w.example.", DNS_T_A, 1);
	rpl_addr root = A("193.0.14.129");
	const rpl_range *rg;
	const rpl_entry *e = rpl_match_query(s, 1, &root, RPL_TRANSPORT_UDP, qb,
	                                     qlen, &rg);
	assert_ptr_equal(e, &s->ranges[0].entries[1]);
	assert_ptr_equal(rg, &s->ranges[0]);
	size_t olen;
	assert_int_equal(rpl_match_reply(s, 1, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 out, sizeof out, &olen), 0);
	dns_msg m;
	dns_name qn;
	uint16_t qt;
	assert_int_equal(dns_msg_parse(&m, out, olen), 0);
	assert_int_equal(m.id, 0xbeef);
	assert_int_equal(dns_msg_question(&m, &qn, &qt, NULL), 0);
	dns_name want = N("a.c.x.w.example.");
	assert_true(dns_name_equal(&qn, &want));
	assert_int_equal(qt, DNS_T_A);
	assert_int_equal(m.count[DNS_SEC_AUTHORITY], 1);
	/* and ns1.example has the NXDOMAIN for it */
	rpl_addr ns1 = A("192.0.2.1");
	assert_ptr_equal(rpl_match_query(s, 1, &ns1, RPL_TRANSPORT_UDP, qb, qlen,
	                                 NULL), nx);
	rpl_free(s);
}

/* ---- the matcher ---- */

static const char matcher_rpl[] =
	"; a handcrafted scenario\n"
	"server:\n"
	"\tqname-minimisation: no\n"
	"\tval-override-date: \"20070916134226\"\n"
	"\tharden-glue: yes\n"
	"\tharden-dnssec-stripped: no # a comment\n"
	"stub-zone:\n"
	"\tname: \".\"\n"
	"\tstub-addr: 192.0.2.1\n"
	"forward-zone:\n"
	"\tname: \"example.net\"\n"
	"\tforward-addr: 2001:db8::53@5353\n"
	"\tforward-first: yes\n"
	"CONFIG_END\n"
	"\n"
	"SCENARIO_BEGIN matcher test\n"
	"; the root, steps 0..10\n"
	"RANGE_BEGIN 0 10\n"
	"\tADDRESS 192.0.2.1\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode qtype qname\n"
	"ADJUST copy_id\n"
	"REPLY QR AA NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. 300 IN A 10.0.0.1\n"
	"ENTRY_END\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode subdomain\n"
	"ADJUST copy_id copy_query\n"
	"REPLY QR NOERROR\n"
	"SECTION QUESTION\n"
	"example.com. IN NS\n"
	"SECTION AUTHORITY\n"
	"example.com. IN NS ns.example.com.\n"
	"ENTRY_END\n"
	"RANGE_END\n"
	"; the same server later\n"
	"RANGE_BEGIN 11 20\n"
	"\tADDRESS 192.0.2.1\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode qtype qname\n"
	"ADJUST copy_id\n"
	"REPLY QR AA NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. 300 IN A 10.0.0.2\n"
	"ENTRY_END\n"
	"RANGE_END\n"
	"; another server, TCP only, no copy_id\n"
	"RANGE_BEGIN 0 100\n"
	"\tADDRESS 192.0.2.2\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode qtype qname TCP\n"
	"REPLY QR NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. IN A 10.0.0.3\n"
	"ENTRY_END\n"
	"RANGE_END\n"
	"; defined last, overlapping the first: testbound tries it first\n"
	"RANGE_BEGIN 5 6\n"
	"\tADDRESS 192.0.2.1\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode qtype qname\n"
	"ADJUST copy_id\n"
	"REPLY QR AA NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. 300 IN A 10.0.0.9\n"
	"ENTRY_END\n"
	"RANGE_END\n"
	"\n"
	"STEP 1 QUERY\n"
	"ENTRY_BEGIN\n"
	"REPLY RD\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"ENTRY_END\n"
	"STEP 2 TIME_PASSES ELAPSE 1.5\n"
	"STEP 12 CHECK_ANSWER\n"
	"ENTRY_BEGIN\n"
	"MATCH all\n"
	"REPLY QR RD RA NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. 300 IN A 10.0.0.1\n"
	"ENTRY_END\n"
	"STEP 13 CHECK_ANSWER\n"
	"ENTRY_BEGIN\n"
	"MATCH all ttl\n"
	"REPLY QR RD RA NOERROR\n"
	"SECTION QUESTION\n"
	"www.example.com. IN A\n"
	"SECTION ANSWER\n"
	"www.example.com. 300 IN A 10.0.0.1\n"
	"ENTRY_END\n"
	"SCENARIO_END\n";

/* The A record the matcher answers with (or "" when it finds none). */
static const char *answer_at(const rpl_scenario *s, long step,
                             const char *dst, enum rpl_transport t,
                             const char *name, uint16_t id, char out[32])
{
	uint8_t qb[512], rb[RPL_PKT_MAX];
	size_t qlen = query(qb, sizeof qb, id, name, DNS_T_A, -1), rlen;
	rpl_addr a = A(dst);
	int r = rpl_match_reply(s, step, &a, t, qb, qlen, rb, sizeof rb, &rlen);
	out[0] = '\0';
	if (r == WARD_ENOTFOUND)
		return out;
	assert_int_equal(r, 0);
	return first_a(rb, rlen, out);
}

static void test_match_ranges(void **state)
{
	(void)state;
	char a[32];
	rpl_scenario *s = load(matcher_rpl);
	assert_int_equal(s->dialect, RPL_DIALECT_TESTBOUND);
	assert_int_equal(s->nranges, 4);
	const int U = RPL_TRANSPORT_UDP;
	/* step bounds */
	assert_string_equal(answer_at(s, 0, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.1");
	assert_string_equal(answer_at(s, 10, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.1");
	assert_string_equal(answer_at(s, 11, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.2");
	assert_string_equal(answer_at(s, 20, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.2");
	assert_string_equal(answer_at(s, 21, "192.0.2.1", U, "www.example.com.", 1, a), "");
	/* the range defined last wins where ranges overlap */
	assert_string_equal(answer_at(s, 5, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.9");
	assert_string_equal(answer_at(s, 6, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.9");
	assert_string_equal(answer_at(s, 7, "192.0.2.1", U, "www.example.com.", 1, a), "10.0.0.1");
	/* addresses, ports */
	assert_string_equal(answer_at(s, 1, "192.0.2.9", U, "www.example.com.", 1, a), "");
	assert_string_equal(answer_at(s, 1, "192.0.2.1@5353", U, "www.example.com.", 1, a), "");
	assert_string_equal(answer_at(s, 1, "192.0.2.1@53", U, "www.example.com.", 1, a), "10.0.0.1");
	/* qname compares case-insensitively; other names do not match */
	assert_string_equal(answer_at(s, 1, "192.0.2.1", U, "WWW.Example.COM.", 1, a), "10.0.0.1");
	assert_string_equal(answer_at(s, 1, "192.0.2.1", U, "www.example.org.", 1, a), "");
	/* MATCH TCP */
	assert_string_equal(answer_at(s, 1, "192.0.2.2", U, "www.example.com.", 1, a), "");
	assert_string_equal(answer_at(s, 1, "192.0.2.2", RPL_TRANSPORT_TCP, "www.example.com.", 1, a), "10.0.0.3");
	/* qtype */
	uint8_t qb[512];
	size_t qlen = query(qb, sizeof qb, 1, "www.example.com.", DNS_T_AAAA, -1);
	rpl_addr root = A("192.0.2.1");
	/* AAAA at www.example.com falls to the subdomain entry of range 1 */
	const rpl_entry *e = rpl_match_query(s, 1, &root, RPL_TRANSPORT_UDP, qb,
	                                     qlen, NULL);
	assert_ptr_equal(e, &s->ranges[0].entries[1]);
	rpl_free(s);
}

static void test_match_adjust(void **state)
{
	(void)state;
	rpl_scenario *s = load(matcher_rpl);
	uint8_t qb[512], rb[RPL_PKT_MAX];
	size_t qlen, rlen;
	rpl_addr root = A("192.0.2.1"), other = A("192.0.2.2");
	dns_msg m;
	dns_name qn;
	uint16_t qt;

	/* copy_id */
	qlen = query(qb, sizeof qb, 0x4321, "www.example.com.", DNS_T_A, -1);
	assert_int_equal(rpl_match_reply(s, 1, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(id_of(rb), 0x4321);
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	assert_int_equal(m.flags & (DNS_FLAG_QR | DNS_FLAG_AA),
	                 DNS_FLAG_QR | DNS_FLAG_AA);
	/* without copy_id the ID stays 0 */
	assert_int_equal(rpl_match_reply(s, 1, &other, RPL_TRANSPORT_TCP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(id_of(rb), 0);

	/* subdomain + copy_query: the query's question in the reply */
	qlen = query(qb, sizeof qb, 0x1111, "deep.Below.example.com.", DNS_T_MX, -1);
	assert_int_equal(rpl_match_reply(s, 3, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	assert_int_equal(m.id, 0x1111);
	assert_int_equal(dns_msg_question(&m, &qn, &qt, NULL), 0);
	char txt[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(&qn, txt), "deep.Below.example.com.");
	assert_int_equal(qt, DNS_T_MX);
	assert_int_equal(m.count[DNS_SEC_AUTHORITY], 1);
	/* the name itself is "at or below" */
	qlen = query(qb, sizeof qb, 2, "example.com.", DNS_T_NS, -1);
	assert_int_equal(rpl_match_reply(s, 3, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	/* a name that only ends in the same letters is not */
	qlen = query(qb, sizeof qb, 2, "badexample.com.", DNS_T_NS, -1);
	assert_int_equal(rpl_match_reply(s, 3, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), WARD_ENOTFOUND);
	/* a malformed query matches nothing */
	assert_int_equal(rpl_match_reply(s, 3, &root, RPL_TRANSPORT_UDP, qb, 5,
	                                 rb, sizeof rb, &rlen), WARD_ENOTFOUND);
	/* a buffer too small for the reply */
	qlen = query(qb, sizeof qb, 2, "www.example.com.", DNS_T_A, -1);
	assert_int_equal(rpl_match_reply(s, 1, &root, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, 20, &rlen), WARD_ESPACE);
	rpl_free(s);
}

static void test_steps_and_config(void **state)
{
	(void)state;
	rpl_scenario *s = load(matcher_rpl);
	assert_string_equal(s->title, "matcher test");
	assert_int_equal(s->nsteps, 4);
	assert_int_equal(s->steps[1].type, RPL_STEP_TIME_PASSES);
	assert_int_equal(s->steps[1].elapse_us, 1500000);
	assert_null(s->steps[1].entry);
	assert_string_equal(rpl_step_type_name(s->steps[1].type), "TIME_PASSES");

	const rpl_config *c = &s->config;
	assert_int_equal(c->qname_minimisation, 0);
	assert_true(c->have_date);
	assert_int_equal(c->date, 1189950146); /* 2007-09-16 13:42:26 UTC */
	assert_int_equal(c->nharden, 2);
	assert_string_equal(c->harden[0]->key, "harden-glue");
	assert_string_equal(c->harden[1]->key, "harden-dnssec-stripped");
	assert_string_equal(c->harden[1]->value, "no");
	assert_int_equal(rpl_config_bool(c, "harden-glue", -1), 1);
	assert_int_equal(rpl_config_bool(c, "harden-dnssec-stripped", -1), 0);
	assert_int_equal(rpl_config_bool(c, "harden-referral-path", -1), -1);
	assert_null(rpl_config_get(c, "no-such-option"));
	assert_int_equal(c->nzones, 2);
	assert_string_equal(c->zones[1].name_text, "example.net");
	assert_true(c->zones[1].forward);
	assert_int_equal(c->zones[1].first, 1);
	assert_int_equal(c->zones[1].naddrs, 1);
	assert_int_equal(c->zones[1].addrs[0].family, 6);
	assert_int_equal(c->zones[1].addrs[0].port, 5353);
	dns_name en = N("example.net.");
	assert_true(dns_name_equal(&c->zones[1].name, &en));
	/* options keep their clause and line */
	assert_int_equal(c->nopts, 9);
	assert_string_equal(c->opts[6].clause, "forward-zone");
	assert_string_equal(c->opts[6].key, "name");
	assert_int_equal(c->opts[6].line, 11);
	rpl_free(s);
}

/* ---- the checker ---- */

static void test_check_answer(void **state)
{
	(void)state;
	rpl_scenario *s = load(matcher_rpl);
	const rpl_entry *all = rpl_step_find(s, 12)->entry;
	const rpl_entry *allttl = rpl_step_find(s, 13)->entry;
	const uint16_t F = DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA;
	uint8_t b[1024];
	size_t n;
	char diff[2048];
	strbuf sb;
	const char *good[] = { "www.example.com. 300 IN A 10.0.0.1", NULL };
	const char *other_ttl[] = { "WWW.EXAMPLE.COM. 42 IN A 10.0.0.1", NULL };
	const char *other_rr[] = { "www.example.com. 300 IN A 10.0.0.7", NULL };
	const char *two[] = { "www.example.com. 300 IN A 10.0.0.2",
	                      "www.example.com. 300 IN A 10.0.0.1", NULL };
	const char *glue[] = { "ns.example.com. 300 IN A 10.0.0.53", NULL };

	/* a reply that matches (the ID is the player's business) */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, good, NULL, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), 0);
	assert_string_equal(diff, "");

	/* flags differ */
	n = reply(b, sizeof b, DNS_FLAG_QR | DNS_FLAG_RD, 0, "www.example.com.",
	          DNS_T_A, good, NULL, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "flags: expected qr rd ra, got qr rd\n");
	assert_int_equal(rpl_check_answer(all, b, n, NULL), RPL_MISMATCH);

	/* rcode differs */
	n = reply(b, sizeof b, F, DNS_RCODE_SERVFAIL, "www.example.com.",
	          DNS_T_A, good, NULL, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "rcode: expected NOERROR, got SERVFAIL\n");

	/* an RR differs */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, other_rr, NULL,
	          -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff,
	    "ANSWER: missing    www.example.com.\t300\tIN\tA\t10.0.0.1\n"
	    "ANSWER: unexpected www.example.com.\t300\tIN\tA\t10.0.0.7\n");

	/* an extra record in the answer, one in the additional section */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, two, glue, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_non_null(strstr(diff, "ANSWER: unexpected www.example.com.\t300\tIN\tA\t10.0.0.2\n"));
	assert_non_null(strstr(diff, "ADDITIONAL: unexpected ns.example.com."));
	assert_null(strstr(diff, "missing"));

	/* the TTL and the owner's case: ignored without `ttl` ... */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, other_ttl, NULL,
	          -1);
	assert_int_equal(rpl_check_answer(all, b, n, NULL), 0);
	/* ... a difference with it */
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(allttl, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "ANSWER: TTL 42 instead of 300: "
	                          "www.example.com.\t300\tIN\tA\t10.0.0.1\n");
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, good, NULL, -1);
	assert_int_equal(rpl_check_answer(allttl, b, n, NULL), 0);

	/* the question */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_AAAA, good, NULL,
	          -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_non_null(strstr(diff, "QUESTION: missing    www.example.com.\tIN\tA\n"));

	/* EDNS where the entry has none (no REPLY DO) */
	n = reply(b, sizeof b, F, 0, "www.example.com.", DNS_T_A, good, NULL, 1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "EDNS: expected no OPT record, got one\n");

	/* several differences are all listed */
	n = reply(b, sizeof b, DNS_FLAG_QR, DNS_RCODE_REFUSED, "www.example.com.",
	          DNS_T_A, NULL, NULL, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, n, &sb), RPL_MISMATCH);
	assert_non_null(strstr(diff, "flags: "));
	assert_non_null(strstr(diff, "rcode: expected NOERROR, got REFUSED\n"));
	assert_non_null(strstr(diff, "ANSWER: missing "));

	/* a malformed reply */
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(all, b, 7, &sb), RPL_MISMATCH);
	assert_non_null(strstr(diff, "malformed packet"));
	rpl_free(s);
}

/* MATCH criteria other than `all`, on a CHECK_ANSWER entry. */
static void test_check_criteria(void **state)
{
	(void)state;
	static const char text[] =
		"server:\n"
		"CONFIG_END\n"
		"SCENARIO_BEGIN criteria\n"
		"STEP 1 CHECK_ANSWER\n"
		"ENTRY_BEGIN\n"
		"MATCH opcode qname rcode DO ede=6\n"
		"REPLY QR SERVFAIL DO\n"
		"SECTION QUESTION\n"
		"bogus.example. IN A\n"
		"ENTRY_END\n"
		"STEP 2 CHECK_ANSWER\n"
		"ENTRY_BEGIN\n"
		"MATCH answer noedns\n"
		"REPLY QR NOERROR\n"
		"SECTION ANSWER\n"
		"a.example. IN A 192.0.2.1\n"
		"a.example. IN A 192.0.2.2\n"
		"ENTRY_END\n"
		"SCENARIO_END\n";
	rpl_scenario *s = load(text);
	const rpl_entry *e1 = s->steps[0].entry, *e2 = s->steps[1].entry;
	assert_int_equal(e1->match, RPL_M_OPCODE | RPL_M_QNAME | RPL_M_RCODE |
	                            RPL_M_DO | RPL_M_EDE);
	assert_int_equal(e1->ede_code, 6);
	assert_false(e1->ede_any);

	/* SERVFAIL with DO and EDE 6 (flags are not compared) */
	uint8_t b[1024];
	dns_mb mb;
	size_t n;
	dns_name qn = N("BOGUS.example.");
	char diff[1024];
	strbuf sb;
	assert_int_equal(dns_mb_init(&mb, b, sizeof b, sizeof b), 0);
	dns_mb_set_flags(&mb, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA);
	dns_mb_set_rcode(&mb, DNS_RCODE_SERVFAIL);
	assert_int_equal(dns_mb_edns(&mb, 1232, 0, EDNS_FLAG_DO), 0);
	assert_int_equal(dns_mb_edns_ede(&mb, EDE_DNSSEC_BOGUS, "x", 1), 0);
	assert_int_equal(dns_mb_question(&mb, &qn, DNS_T_A, DNS_C_IN), 0);
	assert_int_equal(dns_mb_finish(&mb, &n), 0);
	assert_int_equal(rpl_check_answer(e1, b, n, NULL), 0);
	/* another EDE code */
	assert_int_equal(dns_mb_init(&mb, b, sizeof b, sizeof b), 0);
	dns_mb_set_flags(&mb, DNS_FLAG_QR);
	dns_mb_set_rcode(&mb, DNS_RCODE_SERVFAIL);
	assert_int_equal(dns_mb_edns(&mb, 1232, 0, 0), 0);
	assert_int_equal(dns_mb_edns_ede(&mb, EDE_RRSIGS_MISSING, NULL, 0), 0);
	assert_int_equal(dns_mb_question(&mb, &qn, DNS_T_A, DNS_C_IN), 0);
	assert_int_equal(dns_mb_finish(&mb, &n), 0);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(e1, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "DO: expected the DO bit, it is clear\n"
	                          "ede: expected EDE 6, got 10\n");

	/* the answer as a set, in any order; noedns */
	const char *rev[] = { "a.example. 5 IN A 192.0.2.2",
	                      "a.example. 7 IN A 192.0.2.1", NULL };
	n = reply(b, sizeof b, DNS_FLAG_QR, 0, "other.example.", DNS_T_MX, rev,
	          NULL, -1);
	assert_int_equal(rpl_check_answer(e2, b, n, NULL), 0);
	n = reply(b, sizeof b, DNS_FLAG_QR, 0, "other.example.", DNS_T_MX, rev,
	          NULL, 0);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(e2, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff, "noedns: expected no OPT record, got one\n");
	const char *one[] = { "a.example. 5 IN A 192.0.2.2", NULL };
	n = reply(b, sizeof b, DNS_FLAG_QR, 0, "other.example.", DNS_T_MX, one,
	          NULL, -1);
	sb = strbuf_init(diff, sizeof diff);
	assert_int_equal(rpl_check_answer(e2, b, n, &sb), RPL_MISMATCH);
	assert_string_equal(diff,
	    "ANSWER: missing    a.example.\t3600\tIN\tA\t192.0.2.1\n");
	rpl_free(s);
}

/* ---- entries: raw answers, EXTRA_PACKET, ECS, $ORIGIN ---- */

static void test_entry_forms(void **state)
{
	(void)state;
	static const char text[] =
		"server:\n"
		"CONFIG_END\n"
		"SCENARIO_BEGIN entry forms\n"
		"RANGE_BEGIN 0 100\n"
		"ENTRY_BEGIN\n"
		"MATCH opcode qtype qname\n"
		"ADJUST copy_id\n"
		"SECTION QUESTION\n"
		"raw.example. IN A\n"
		"HEX_ANSWER_BEGIN\n"
		"; id    flags  qd    an    ns    ar\n"
		"  0000  8180   0000  0000  0000  0000 ; header only\n"
		"HEX_ANSWER_END\n"
		"ENTRY_END\n"
		"ENTRY_BEGIN\n"
		"MATCH opcode qtype qname\n"
		"ADJUST copy_id packet_sleep=2 sleep=1\n"
		"REPLY QR TC NOERROR\n"
		"SECTION QUESTION\n"
		"two.example. IN TXT\n"
		"EXTRA_PACKET\n"
		"REPLY QR AA NOERROR\n"
		"SECTION ANSWER\n"
		"two.example. IN TXT \"second\"\n"
		"ENTRY_END\n"
		"$ORIGIN ecs.example.\n"
		"$TTL 60\n"
		"ENTRY_BEGIN\n"
		"MATCH opcode qname\n"
		"ADJUST copy_id copy_ednsdata_assume_clientsubnet\n"
		"REPLY QR NOERROR\n"
		"SECTION QUESTION\n"
		"@ IN A\n"
		"SECTION ANSWER\n"
		"@ IN A 192.0.2.5\n"
		"ENTRY_END\n"
		"RANGE_END\n"
		"STEP 1 NOTHING\n"
		"SCENARIO_END\n";
	rpl_scenario *s = load(text);
	const rpl_range *rg = &s->ranges[0];
	assert_int_equal(rg->naddrs, 0); /* answers any address */
	uint8_t qb[512], rb[RPL_PKT_MAX];
	size_t qlen, rlen;
	rpl_addr any = A("203.0.113.1");

	/* HEX_ANSWER: the bytes as written, the ID copied */
	const rpl_entry *hex = &rg->entries[0];
	assert_true(hex->pkts[0].has_raw);
	assert_int_equal(hex->pkts[0].raw_len, 12);
	qlen = query(qb, sizeof qb, 0xabcd, "raw.example.", DNS_T_A, -1);
	assert_int_equal(rpl_match_reply(s, 1, &any, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	static const uint8_t want[12] = { 0xab, 0xcd, 0x81, 0x80 };
	assert_int_equal(rlen, 12);
	assert_memory_equal(rb, want, 12);

	/* EXTRA_PACKET: two messages; sleeps kept for the player */
	const rpl_entry *two = &rg->entries[1];
	assert_int_equal(two->npkts, 2);
	assert_int_equal(two->sleep, 1);
	assert_int_equal(two->pkts[0].packet_sleep, 2);
	assert_true(two->pkts[0].flags & DNS_FLAG_TC);
	assert_int_equal(two->pkts[1].count[DNS_SEC_ANSWER], 1);
	qlen = query(qb, sizeof qb, 9, "two.example.", DNS_T_TXT, -1);
	assert_ptr_equal(rpl_match_query(s, 1, &any, RPL_TRANSPORT_TCP, qb, qlen,
	                                 NULL), two);
	assert_int_equal(rpl_entry_reply(two, 1, qb, qlen, rb, sizeof rb, &rlen), 0);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	assert_int_equal(m.id, 9);
	assert_int_equal(m.flags & DNS_FLAG_AA, DNS_FLAG_AA);
	assert_int_equal(m.count[DNS_SEC_ANSWER], 1);
	assert_int_equal(rpl_entry_reply(two, 2, qb, qlen, rb, sizeof rb, &rlen),
	                 WARD_EINVAL);

	/* $ORIGIN and $TTL apply to the entries after them; the ECS option of
	 * the query comes back with scope = source prefix */
	const rpl_entry *ecs = &rg->entries[2];
	dns_name en = N("ecs.example.");
	assert_true(dns_name_equal(&ecs->pkts[0].rrs[DNS_SEC_ANSWER][0].rr.owner,
	                           &en));
	assert_int_equal(ecs->pkts[0].rrs[DNS_SEC_ANSWER][0].rr.ttl, 60);
	dns_mb mb;
	edns_ecs e = { EDNS_ECS_FAMILY_IPV4, 24, 0, { 192, 0, 2, 0 } };
	assert_int_equal(dns_mb_init(&mb, qb, sizeof qb, sizeof qb), 0);
	dns_mb_set_id(&mb, 5);
	assert_int_equal(dns_mb_edns(&mb, 1232, 0, 0), 0);
	assert_int_equal(dns_mb_edns_ecs(&mb, &e), 0);
	assert_int_equal(dns_mb_question(&mb, &en, DNS_T_A, DNS_C_IN), 0);
	assert_int_equal(dns_mb_finish(&mb, &qlen), 0);
	assert_int_equal(rpl_match_reply(s, 1, &any, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	edns_info ei;
	edns_opt o;
	edns_ecs got;
	assert_int_equal(edns_from_msg(&m, &ei), 0);
	assert_int_equal(edns_opt_find(&ei, EDNS_OPT_ECS, &o), 0);
	assert_int_equal(edns_ecs_parse(&o, &got), 0);
	assert_int_equal(got.source_prefix, 24);
	assert_int_equal(got.scope_prefix, 24);
	rpl_free(s);
}

/* ---- Deckard ---- */

static const char deckard_rpl[] =
	"; Deckard: flat configuration\n"
	"\tquery-minimization: off\n"
	"\tstub-addr: 193.0.14.129 \t; K.ROOT-SERVERS.NET.\n"
	"\ttrust-anchor: \". 3600 IN DS 20326 8 2 "
	"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\"\n"
	"\tval-override-timestamp: \"1442323400\"\n"
	"\tharden-glue: on\n"
	"CONFIG_END\n"
	"\n"
	"SCENARIO_BEGIN deckard dialect\n"
	"RANGE_BEGIN 0 100 193.0.14.129\n"
	"\tADDRESS 193.0.14.130\n"
	"ENTRY_BEGIN\n"
	"REPLY QR NOERROR\n"
	"SECTION QUESTION\n"
	". IN NS\n"
	"SECTION ANSWER\n"
	". IN NS k.root-servers.net.\n"
	"ENTRY_END\n"
	"ENTRY_BEGIN\n"
	"MATCH opcode qname\n"
	"ADJUST raw_id\n"
	"SECTION QUESTION\n"
	"raw.example. A\n"
	"RAW\n"
	"b5c9ca3d50104320f4120000000000000000\n"
	"ENTRY_END\n"
	"RANGE_END\n"
	"STEP 1 QUERY\n"
	"ENTRY_BEGIN\n"
	"REPLY RD\n"
	"SECTION QUESTION\n"
	". IN NS\n"
	"ENTRY_END\n"
	"STEP 2 CHECK_ANSWER\n"
	"ENTRY_BEGIN\n"
	"MATCH all\n"
	"REPLY QR RD RA NOERROR\n"
	"SECTION QUESTION\n"
	". IN NS\n"
	"SECTION ANSWER\n"
	". IN NS k.root-servers.net.\n"
	"ENTRY_END\n"
	"STEP 3 TIME_PASSES ELAPSE 10\n"
	"SCENARIO_END\n";

static void test_deckard(void **state)
{
	(void)state;
	rpl_scenario *s = load(deckard_rpl);
	assert_int_equal(s->dialect, RPL_DIALECT_DECKARD);
	const rpl_config *c = &s->config;
	assert_int_equal(c->qname_minimisation, 0);
	assert_int_equal(c->nzones, 1);
	assert_string_equal(c->zones[0].name_text, ".");
	assert_int_equal(c->zones[0].naddrs, 1);
	assert_int_equal(c->nanchors, 1);
	assert_int_equal(c->anchors[0].rr.type, DNS_T_DS);
	assert_true(c->have_date);
	assert_int_equal(c->date, 1442323400);
	assert_int_equal(rpl_config_bool(c, "harden-glue", -1), 1);
	assert_string_equal(c->opts[0].clause, "");

	const rpl_range *rg = &s->ranges[0];
	assert_int_equal(rg->naddrs, 2);
	/* defaults: MATCH opcode qtype qname, ADJUST copy_id, EDNS 4096 */
	const rpl_entry *e = &rg->entries[0];
	assert_int_equal(e->dialect, RPL_DIALECT_DECKARD);
	assert_int_equal(e->match, RPL_M_OPCODE | RPL_M_QTYPE | RPL_M_QNAME);
	assert_int_equal(e->adjust, RPL_A_COPY_ID);
	assert_true(e->pkts[0].edns);
	assert_int_equal(e->pkts[0].udp_size, RPL_DECKARD_EDNS_UDP);
	/* `all` is opcode qtype qname flags rcode answer authority additional */
	const rpl_entry *ck = s->steps[1].entry;
	assert_int_equal(ck->match, RPL_M_OPCODE | RPL_M_QTYPE | RPL_M_QNAME |
	                            RPL_M_FLAGS | RPL_M_RCODE | RPL_M_ANSWER |
	                            RPL_M_AUTHORITY | RPL_M_ADDITIONAL);
	/* QUERY has no default client address in Deckard */
	assert_false(s->steps[0].has_addr);
	assert_int_equal(s->steps[2].elapse_us, 10000000);

	/* the second address of the range; the reply mirrors the query's
	 * EDNS: none for a query without it, DO for a query with DO */
	uint8_t qb[512], rb[RPL_PKT_MAX];
	size_t qlen, rlen;
	dns_msg m;
	rpl_addr a2 = A("193.0.14.130");
	qlen = query(qb, sizeof qb, 0x7777, ".", DNS_T_NS, -1);
	assert_int_equal(rpl_match_reply(s, 1, &a2, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	assert_int_equal(m.id, 0x7777);
	assert_false(m.has_opt);
	qlen = query(qb, sizeof qb, 0x7778, ".", DNS_T_NS, 1);
	assert_int_equal(rpl_match_reply(s, 1, &a2, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(dns_msg_parse(&m, rb, rlen), 0);
	edns_info ei;
	assert_int_equal(edns_from_msg(&m, &ei), 0);
	assert_int_equal(ei.flags, EDNS_FLAG_DO);
	/* the expected answer is checked without EDNS */
	assert_int_equal(rpl_check_answer(ck, rb, rlen, NULL), RPL_MISMATCH);
	rb[2] |= 0x01; /* RD */
	rb[3] |= 0x80; /* RA */
	assert_int_equal(rpl_check_answer(ck, rb, rlen, NULL), 0);

	/* RAW with raw_id */
	const rpl_entry *raw = &rg->entries[1];
	assert_true(raw->pkts[0].has_raw);
	assert_int_equal(raw->pkts[0].raw_len, 18);
	qlen = query(qb, sizeof qb, 0x0102, "raw.example.", DNS_T_AAAA, -1);
	assert_int_equal(rpl_match_reply(s, 1, &a2, RPL_TRANSPORT_UDP, qb, qlen,
	                                 rb, sizeof rb, &rlen), 0);
	assert_int_equal(rlen, 18);
	assert_int_equal(id_of(rb), 0x0102);
	assert_int_equal(rb[2], 0xca);
	rpl_free(s);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	const char *head = "server:\nCONFIG_END\nSCENARIO_BEGIN t\n";
	char text[2048];

#define BAD(body, line, needle)                                           \
	do {                                                              \
		snprintf(text, sizeof text, "%s%s", head, body);          \
		load_fails(text, line, needle);                           \
	} while (0)

	BAD("STEP 1 WIGGLE\nSCENARIO_END\n", 4, "unknown step type 'WIGGLE'");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nMATCH qname sometimes\nENTRY_END\n"
	    "SCENARIO_END\n", 6, "unknown MATCH keyword 'sometimes'");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nREPLY QR MAYBE\nENTRY_END\n", 6,
	    "unknown REPLY keyword 'MAYBE'");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nADJUST copy_everything\nENTRY_END\n", 6,
	    "unknown ADJUST keyword");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nREPLY RD\nSTEP 2 NOTHING\n", 7,
	    "inside the entry that starts at line 5");
	BAD("STEP 5 NOTHING\nSTEP 5 NOTHING\nSCENARIO_END\n", 5,
	    "step numbers must increase");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nSECTION ANSWER\n"
	    "www.example. IN A 300.1.2.3\nENTRY_END\nSCENARIO_END\n", 7,
	    "bad A rdata");
	BAD("RANGE_BEGIN 0 10\nENTRY_BEGIN\nHEX_ANSWER_BEGIN\n00 0\n"
	    "HEX_ANSWER_END\nENTRY_END\nRANGE_END\n", 8, "odd number of hex");
	BAD("RANGE_BEGIN 0 10\nENTRY_BEGIN\nHEX_ANSWER_BEGIN\n00 zz\n", 7,
	    "bad character 'z' in hex");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nSECTION ANSWER\n"
	    "www.example. IN A ${$addr}\nENTRY_END\n", 7, "macros");
	BAD("RANGE_BEGIN 0 10\n\tADDRESS 999.1.1.1\nRANGE_END\n", 5,
	    "bad ADDRESS");
	BAD("RANGE_BEGIN 10 0\nRANGE_END\n", 4, "first step after the last");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\nSECTION QUESTION\nwww.example.\n"
	    "ENTRY_END\n", 7, "a question is");
	BAD("STEP 1 QUERY\nENTRY_BEGIN\n", 5, "missing ENTRY_END");
	BAD("STEP 1 NOTHING\n", 4, "end of file before SCENARIO_END");
	BAD("STEP 1 TIME_PASSES ELAPSE soon\nSCENARIO_END\n", 4, "bad ELAPSE");
	BAD("BOGUS_KEYWORD\n", 4, "unexpected 'BOGUS_KEYWORD'");
	BAD("STEP 1 QUERY\nSTEP 2 NOTHING\n", 5, "expected ENTRY_BEGIN");
#undef BAD
	/* configuration */
	load_fails("server:\n\tstub-addr\nCONFIG_END\nSCENARIO_BEGIN t\n"
	           "SCENARIO_END\n", 2, "expected 'key: value'");
	load_fails("server:\n\tval-override-date: \"2007-09-16\"\nCONFIG_END\n"
	           "SCENARIO_BEGIN t\nSCENARIO_END\n", 2, "bad date");
	load_fails("server:\n\troot-hints:\n\tverbosity: 1\nCONFIG_END\n"
	           "SCENARIO_BEGIN t\nSCENARIO_END\n", 2, "'root-hints:' has no value");
	load_fails("stub-zone:\n\tstub-addr: 1.2.3.4\nCONFIG_END\n"
	           "SCENARIO_BEGIN t\nSCENARIO_END\n", 1, "stub-zone without a name");
	load_fails("server:\n\ttrust-anchor: \"example. DS 1 2\"\nCONFIG_END\n"
	           "SCENARIO_BEGIN t\nSCENARIO_END\n", 2, "DS");
	load_fails("server:\nSTEP 1 QUERY\n", 2, "expected 'key: value'");

	/* a missing file */
	rpl_error err;
	assert_null(rpl_load_file("/nonexistent/x.rpl", &err));
	assert_int_equal(err.code, WARD_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/x.rpl"));
	/* NULL error argument and an empty buffer */
	assert_null(rpl_load_buffer("", 0, NULL, NULL));
	rpl_free(NULL);
}

/* Leniencies the corpus needs: testbound's other spellings. */
static void test_lenient_forms(void **state)
{
	(void)state;
	static const char text[] =
		"server:\n"
		"\tval-override-date: \"-1\"\n"
		"\tdirectory: \"\"\n"
		"\troot-hints:\n"
		"TEMPFILE_NAME hints.zone\n"
		"TEMPFILE_CONTENTS hints.zone\n"
		". 3600 NS k.root-servers.net.\n"
		"TEMPFILE_END\n"
		"AUTOTRUST_FILE example.key\n"
		"example. 3600 IN DS 1 3 1 00\n"
		"AUTOTRUST_END\n"
		"COMMANDLINE -v\n"
		"remote-control: control-enable: no\n"
		"CONFIG_END\n"
		"SCENARIO_BEGIN lenient\n"
		"RANGE_BEGIN 0 10\n"
		"ENTRY_BEGIN\n"
		"MATCH opcode qname serial=42\n"
		"REPLY QR NOERROR\n"
		"SECTION QUESTION\n"
		"x.example. IN A\n"
		"SECTION ANSWER\n"
		"x.example. IN A \\# 3 010203\n"
		"x.example. IN RRSIG A 8 2 3600 20301231000000 20200101000000 "
		"1 example. \n"
		"ENTRY_END\n"
		"RANGE_END\n"
		"RANGE_END\n"
		"STEP 1 INFRA_RTT 192.0.2.1 example. 900\n"
		"STEP 2 ASSIGN x = 3\n"
		"STEP 3 CHECK_AUTOTRUST example.key\n"
		"FILE_BEGIN\n"
		"; autotrust file\n"
		"FILE_END\n"
		"STEP 4 QUERY ADDRESS 2001:db8::2\n"
		"ENTRY_BEGIN\n"
		"SECTION QUESTION\n"
		"x.example. CH TXT\n"
		"ENTRY_END\n"
		"STEP 5 TIMEOUT\n"
		"STEP 6 TRAFFIC\n"
		"STEP 7 TIME_PASSES EVAL ${$x + 1}\n"
		"SCENARIO_END\n"
		"trailing text is ignored\n";
	rpl_scenario *s = load(text);
	const rpl_config *c = &s->config;
	assert_true(c->have_date);
	assert_true(c->date_ignore);
	assert_string_equal(rpl_config_get(c, "directory"), "");
	assert_string_equal(rpl_config_get(c, "root-hints"), "hints.zone");
	assert_int_equal(c->nfiles, 2);
	assert_string_equal(c->files[0].name, "hints.zone");
	assert_string_equal(c->files[0].content, ". 3600 NS k.root-servers.net.\n");
	assert_true(c->files[1].autotrust);
	assert_int_equal(c->nanchor_files, 1);
	assert_string_equal(c->anchor_files[0], "example.key");
	assert_int_equal(c->ncmdline, 1);
	assert_string_equal(c->cmdline[0], "-v");
	/* "clause: key: value" on one line */
	assert_string_equal(c->opts[c->nopts - 1].clause, "remote-control");
	assert_string_equal(c->opts[c->nopts - 1].key, "control-enable");
	assert_int_equal(rpl_config_bool(c, "control-enable", -1), 0);

	const rpl_entry *e = &s->ranges[0].entries[0];
	assert_true(e->match & RPL_M_SERIAL);
	assert_int_equal(e->serial, 42);
	/* "\# 3 010203" for an A record and an RRSIG without signature: kept
	 * as written, marked unchecked */
	const rpl_packet *p = &e->pkts[0];
	assert_true(p->unchecked);
	assert_true(p->rrs[DNS_SEC_ANSWER][0].unchecked);
	assert_int_equal(p->rrs[DNS_SEC_ANSWER][0].rr.type, DNS_T_A);
	assert_int_equal(p->rrs[DNS_SEC_ANSWER][0].rr.rdlen, 3);
	assert_int_equal(p->rrs[DNS_SEC_ANSWER][1].rr.type, DNS_T_RRSIG);
	assert_int_equal(p->rrs[DNS_SEC_ANSWER][1].rr.rdlen, 18 + 9);
	/* it still answers by its question */
	uint8_t qb[512], rb[RPL_PKT_MAX];
	size_t qlen = query(qb, sizeof qb, 3, "x.example.", DNS_T_A, -1), rlen;
	rpl_addr any = A("192.0.2.1");
	assert_ptr_equal(rpl_match_query(s, 1, &any, RPL_TRANSPORT_UDP, qb, qlen,
	                                 NULL), NULL); /* serial 0 != 42 */

	assert_int_equal(s->nsteps, 7);
	assert_int_equal(s->steps[0].type, RPL_STEP_INFRA_RTT);
	assert_string_equal(s->steps[0].value, "example. 900");
	assert_string_equal(s->steps[1].var, "x");
	assert_string_equal(s->steps[1].value, "3");
	assert_string_equal(s->steps[2].id, "example.key");
	assert_int_equal(s->steps[2].nlines, 1);
	assert_int_equal(s->steps[3].addr.family, 6);
	assert_int_equal(s->steps[3].entry->pkts[0].rrs[0][0].rr.rclass, DNS_C_CH);
	assert_string_equal(s->steps[6].eval, "${$x + 1}");
	(void)rb;
	(void)rlen;
	rpl_free(s);
}

int main(void)
{
	const char *env = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s",
	         env && *env ? env : "../shared/testdata");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_all_parse),
		cmocka_unit_test(test_corpus_iter_auth_tc),
		cmocka_unit_test(test_corpus_nsec3_b1),
		cmocka_unit_test(test_match_ranges),
		cmocka_unit_test(test_match_adjust),
		cmocka_unit_test(test_steps_and_config),
		cmocka_unit_test(test_check_answer),
		cmocka_unit_test(test_check_criteria),
		cmocka_unit_test(test_entry_forms),
		cmocka_unit_test(test_deckard),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_lenient_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
