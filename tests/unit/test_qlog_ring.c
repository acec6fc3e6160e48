/* Unit tests: daemon/qlog_ring.c (the dashboard's query-log ring, its
 * filters, answers read into entries) and the counters of daemon/dash.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/rr.h"
#include "daemon/dash.h"
#include "daemon/qlog_ring.h"

static struct qlog_entry entry(const char *client, const char *name,
                               uint16_t rcode)
{
	struct qlog_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.client, sizeof e.client, "%s", client);
	snprintf(e.name, sizeof e.name, "%s", name);
	e.rcode = rcode;
	return e;
}

static void test_ring_wraps(void **state)
{
	(void)state;
	struct qlog_ring r;
	assert_int_equal(qlog_ring_init(&r, 4), 0);
	assert_int_equal(qlog_ring_first(&r), 1);
	assert_null(qlog_ring_get(&r, 1));
	char name[32];
	for (int i = 1; i <= 10; i++) {
		snprintf(name, sizeof name, "n%d.example.", i);
		struct qlog_entry e = entry("192.0.2.1", name, 0);
		qlog_ring_push(&r, &e);
	}
	/* 10 pushed into 4 slots: 7..10 held */
	assert_int_equal(qlog_ring_first(&r), 7);
	assert_null(qlog_ring_get(&r, 6));
	assert_null(qlog_ring_get(&r, 11));
	for (uint64_t s = 7; s <= 10; s++) {
		const struct qlog_entry *e = qlog_ring_get(&r, s);
		assert_non_null(e);
		assert_int_equal(e->seq, s);
		snprintf(name, sizeof name, "n%d.example.", (int)s);
		assert_string_equal(e->name, name);
	}
	qlog_ring_free(&r);
	assert_int_equal(qlog_ring_init(&r, 0), WARD_EINVAL);
}

static void test_filter_parse(void **state)
{
	(void)state;
	struct qlog_filter f;
	const char *why;
	assert_int_equal(qlog_filter_parse(&f, NULL, "", NULL, &why), 0);
	assert_true(qlog_filter_empty(&f));
	assert_int_equal(qlog_filter_parse(&f, "192.0.2.", "Example", "nxdomain",
	                                   &why), 0);
	assert_string_equal(f.client, "192.0.2.");
	assert_int_equal(f.rcode, DNS_RCODE_NXDOMAIN);
	assert_int_equal(qlog_filter_parse(&f, "2001:DB8::", NULL, "2", &why), 0);
	assert_int_equal(f.rcode, 2);
	/* bad values: refused, filter reset to "everything", a reason */
	const char *bad[][3] = {
		{ "192.0.2.1; rm", NULL, NULL },        /* not an address */
		{ NULL, "a b", NULL },                   /* space */
		{ NULL, "caf\xc3\xa9", NULL },           /* not ASCII */
		{ NULL, NULL, "NOPE" },
		{ NULL, NULL, "4096" },
		{ NULL, NULL, "12x" },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef0", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(qlog_filter_parse(&f, bad[i][0], bad[i][1],
		                                   bad[i][2], &why), WARD_EINVAL);
		assert_non_null(why);
		assert_true(qlog_filter_empty(&f));
	}
	char longname[300];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	assert_int_equal(qlog_filter_parse(&f, NULL, longname, NULL, &why),
	                 WARD_EINVAL);
}

static void test_filter_match(void **state)
{
	(void)state;
	struct qlog_filter f;
	const char *why;
	struct qlog_entry a = entry("192.0.2.7", "WWW.Example.COM.", 0);
	struct qlog_entry b = entry("198.51.100.1", "bad.example.net.", 3);
	assert_int_equal(qlog_filter_parse(&f, "192.0.2", NULL, NULL, &why), 0);
	assert_true(qlog_filter_match(&f, &a));
	assert_false(qlog_filter_match(&f, &b));
	assert_int_equal(qlog_filter_parse(&f, NULL, "example.com", NULL, &why), 0);
	assert_true(qlog_filter_match(&f, &a));   /* case-insensitive */
	assert_false(qlog_filter_match(&f, &b));
	assert_int_equal(qlog_filter_parse(&f, NULL, "example", "NXDOMAIN", &why), 0);
	assert_false(qlog_filter_match(&f, &a));
	assert_true(qlog_filter_match(&f, &b));
}

static void test_seq_parse(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_int_equal(qlog_seq_parse("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(qlog_seq_parse("9999999999999999999", &v), 0);
	assert_true(v == 9999999999999999999ull);
	assert_int_equal(qlog_seq_parse("", &v), WARD_EINVAL);
	assert_int_equal(qlog_seq_parse(NULL, &v), WARD_EINVAL);
	assert_int_equal(qlog_seq_parse("-1", &v), WARD_EINVAL);
	assert_int_equal(qlog_seq_parse("12a", &v), WARD_EINVAL);
	assert_int_equal(qlog_seq_parse("99999999999999999999", &v), WARD_EINVAL);
}

/* An answer for name/A with the given flags, rcode, answer records and,
 * when ede >= 0, an EDE option with text. */
static size_t answer(uint8_t *buf, size_t cap, const char *name,
                     uint16_t flags, uint16_t rcode, int nans, int ede,
                     const char *text)
{
	dns_mb b;
	dns_name q;
	assert_int_equal(dns_mb_init(&b, buf, cap, cap), 0);
	assert_int_equal(dns_name_from_text(&q, name, strlen(name), NULL), 0);
	dns_mb_set_flags(&b, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA | flags);
	dns_mb_set_rcode(&b, rcode);
	assert_int_equal(dns_mb_question(&b, &q, DNS_T_A, DNS_C_IN), 0);
	for (int i = 0; i < nans; i++) {
		static const uint8_t ip[4] = { 192, 0, 2, 1 };
		dns_rr rr;
		memset(&rr, 0, sizeof rr);
		rr.owner = q;
		rr.type = DNS_T_A;
		rr.rclass = DNS_C_IN;
		rr.ttl = 60;
		rr.rdlen = 4;
		rr.rdata = ip;
		assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &rr), 0);
	}
	if (ede >= 0) {
		assert_int_equal(dns_mb_edns(&b, 1232, 0, 0), 0);
		assert_int_equal(dns_mb_edns_ede(&b, (uint16_t)ede, text,
		                                 text ? strlen(text) : 0), 0);
	}
	size_t len;
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	return len;
}

static void test_entry_from_answer(void **state)
{
	(void)state;
	uint8_t buf[512];
	struct qlog_entry e;
	memset(&e, 0, sizeof e);
	size_t n = answer(buf, sizeof buf, "www.example.", DNS_FLAG_AD, 0, 1, -1,
	                  NULL);
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, true), 0);
	assert_string_equal(e.name, "www.example.");
	assert_string_equal(e.type, "A");
	assert_int_equal(e.rcode, 0);
	assert_true(e.ad && e.rd && e.ra && !e.aa && !e.nodata);
	assert_int_equal(e.verdict, QLOG_DNSSEC_SECURE);
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, false), 0);
	assert_int_equal(e.verdict, QLOG_DNSSEC_NONE);

	n = answer(buf, sizeof buf, "nodata.example.", 0, 0, 0, -1, NULL);
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, true), 0);
	assert_true(e.nodata);
	assert_int_equal(e.verdict, QLOG_DNSSEC_INSECURE);

	/* SERVFAIL + DNSSEC EDE: bogus, with the text sanitised */
	n = answer(buf, sizeof buf, "bogus.example.", 0, DNS_RCODE_SERVFAIL, 0,
	           EDE_RRSIGS_MISSING, "no sigs\x01");
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, true), 0);
	assert_true(e.has_ede);
	assert_int_equal(e.ede, EDE_RRSIGS_MISSING);
	assert_int_equal(e.verdict, QLOG_DNSSEC_BOGUS);
	assert_null(strchr(e.ede_text, '\x01'));
	assert_non_null(strstr(e.ede_text, "no sigs"));
	/* SERVFAIL with a non-DNSSEC EDE: no verdict */
	n = answer(buf, sizeof buf, "down.example.", 0, DNS_RCODE_SERVFAIL, 0,
	           EDE_NO_REACHABLE_AUTHORITY, NULL);
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, true), 0);
	assert_int_equal(e.verdict, QLOG_DNSSEC_NONE);
	/* local data (AA): never validated */
	n = answer(buf, sizeof buf, "nas.lan.", DNS_FLAG_AA, 0, 1, -1, NULL);
	assert_int_equal(qlog_entry_from_answer(&e, buf, n, true), 0);
	assert_int_equal(e.verdict, QLOG_DNSSEC_NONE);

	/* garbage: a header's rcode, "?" for the rest; < 12 octets refused */
	uint8_t junk[14] = { 0, 1, 0x81, 0x83, 0, 5, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	assert_int_equal(qlog_entry_from_answer(&e, junk, sizeof junk, true), 0);
	assert_int_equal(e.rcode, DNS_RCODE_NXDOMAIN);
	assert_string_equal(e.name, "?");
	assert_int_equal(qlog_entry_from_answer(&e, junk, 11, true), WARD_EINVAL);
}

static void test_dash_counts(void **state)
{
	(void)state;
	int64_t t0 = 1700000000000;
	struct dash *k = dash_new(true, t0);
	assert_non_null(k);
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &sin.sin_addr);
	uint8_t buf[512];
	size_t n = answer(buf, sizeof buf, "a.example.", 0, 0, 1, -1, NULL);
	/* 3 answers in one second, 2 ms, 20 ms, 2 s */
	dash_answer(k, buf, n, (struct sockaddr *)&sin, false, true, 2000, t0);
	dash_answer(k, buf, n, (struct sockaddr *)&sin, false, false, 20000, t0 + 10);
	n = answer(buf, sizeof buf, "b.example.", 0, DNS_RCODE_SERVFAIL, 0,
	           EDE_DNSSEC_BOGUS, "x");
	dash_answer(k, buf, n, (struct sockaddr *)&sin, true, false, 2000000, t0 + 20);
	const struct dash_counters *c = &k->c;
	assert_int_equal(c->answers, 3);
	assert_int_equal(c->cached, 1);
	assert_int_equal(c->rcode[DASH_RC_NOERROR], 2);
	assert_int_equal(c->rcode[DASH_RC_SERVFAIL], 1);
	assert_int_equal(c->dnssec_insecure, 2);
	assert_int_equal(c->dnssec_bogus, 1);
	assert_int_equal(c->latency[1], 1);                    /* <= 10 ms */
	assert_int_equal(c->latency[2], 1);                    /* <= 50 ms */
	assert_int_equal(c->latency[DASH_LATENCY_BOUNDS], 1);  /* > 1.5 s */
	/* the rate counts whole seconds before now */
	assert_true(dash_rate(c, t0 + 500, 10) == 0.0);
	assert_true(dash_rate(c, t0 + 1500, 10) == 0.3);
	/* the rings */
	struct qlog_filter f;
	const char *why;
	qlog_filter_parse(&f, NULL, NULL, NULL, &why);
	struct qlog_entry out[8];
	uint64_t upto;
	assert_int_equal(dash_ring_copy(k, false, 0, &f, out, 8, &upto), 3);
	assert_int_equal(upto, 3);
	assert_string_equal(out[0].client, "192.0.2.9");
	assert_true(out[2].tcp);
	assert_int_equal(dash_ring_copy(k, true, 0, &f, out, 8, &upto), 1);
	assert_string_equal(out[0].name, "b.example.");
	qlog_filter_parse(&f, NULL, "b.example", NULL, &why);
	assert_int_equal(dash_ring_tail(k, false, &f, out, 8), 1);
	/* a filter that matches nothing still moves past what it saw */
	qlog_filter_parse(&f, NULL, "zzz", NULL, &why);
	assert_int_equal(dash_ring_copy(k, false, 1, &f, out, 8, &upto), 0);
	assert_int_equal(upto, 3);
	assert_false(dash_log_wait(k, 3, 10));   /* nothing new: times out */
	assert_true(dash_log_wait(k, 2, 10));
	dash_close(k);
	assert_false(dash_log_wait(k, 0, 1000)); /* closing: at once */
	/* upstream table */
	struct res_addr up = { .family = 4, .ip = { 192, 0, 2, 53 }, .port = 53 };
	dash_upstream_sent(k, &up);
	dash_upstream_sent(k, &up);
	dash_upstream_reply(k, &up, 8000, t0);
	dash_upstream_lost(k, &up);
	assert_int_equal(c->nup, 1);
	assert_int_equal(c->up[0].sent, 2);
	assert_int_equal(c->up[0].replies, 1);
	assert_int_equal(c->up[0].lost, 1);
	assert_int_equal(c->up[0].srtt_us, 8000);
	dash_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_wraps),
		cmocka_unit_test(test_filter_parse),
		cmocka_unit_test(test_filter_match),
		cmocka_unit_test(test_seq_parse),
		cmocka_unit_test(test_entry_from_answer),
		cmocka_unit_test(test_dash_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
