/* Unit tests: the bounds the dashboard's one-click diagnosis relies on
 * (diagnose/): an exchange fitted into what is left before a deadline,
 * fetchers that ask nothing once it passed, and the chain picture made in
 * memory by `dot -Tsvg` with a time and size limit (diagnose_svg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/rr.h"
#include "diagnose/diagnose.h"
#include "diagnose/dns_transport.h"

static void test_clamp(void **state)
{
	(void)state;
	int t = 2000, n = 2;
	assert_int_equal(diag_deadline_clamp(0, &t, &n), 0);
	assert_int_equal(t, 2000);
	assert_int_equal(n, 2);
	/* plenty left: unchanged */
	assert_int_equal(diag_deadline_clamp(diag_now_ms() + 60000, &t, &n), 0);
	assert_int_equal(t, 2000);
	assert_int_equal(n, 2);
	/* 500 ms left: one try, cut to what is left */
	assert_int_equal(diag_deadline_clamp(diag_now_ms() + 500, &t, &n), 0);
	assert_int_equal(n, 1);
	assert_true(t > 0 && t <= 500);
	/* 3 s left for 2 x 2 s: one try of 2 s */
	t = 2000;
	n = 2;
	assert_int_equal(diag_deadline_clamp(diag_now_ms() + 3000, &t, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(t, 2000);
	/* passed: nothing may be sent */
	assert_int_equal(diag_deadline_clamp(diag_now_ms() - 1, &t, &n), -1);
}

static void test_fetch_after_deadline(void **state)
{
	(void)state;
	dns_name q;
	const dns_name root = { 1, { 0 } };
	assert_int_equal(dns_name_from_text(&q, "example.", 8, &root), 0);
	uint8_t buf[512];
	size_t len = 0;
	int64_t t0 = diag_now_ms();
	struct diag_live *l = diag_live_new("127.0.0.1#9", 2000, 3);
	assert_non_null(l);
	diag_live_set_deadline(l, t0 - 1);
	assert_int_equal(diag_live_fetch(l, &q, DNS_T_A, buf, sizeof buf, &len),
	                 DIAG_FETCH_TIMEOUT);
	assert_false(diag_live_answered(l));
	diag_live_free(l);
	struct dns_server s;
	assert_int_equal(dns_server_parse("127.0.0.1#9", 53, &s), 0);
	struct diag_iter *it = diag_iter_new_servers(&s, 1, 2000, 2);
	assert_non_null(it);
	diag_iter_set_deadline(it, t0 - 1);
	assert_int_equal(diag_iter_fetch(it, &q, DNS_T_A, buf, sizeof buf, &len),
	                 DIAG_FETCH_TIMEOUT);
	assert_false(diag_iter_answered(it));
	diag_iter_free(it);
	/* cancelled (another thread's flag): nothing is sent either */
	atomic_bool cancel;
	atomic_init(&cancel, true);
	l = diag_live_new("127.0.0.1#9", 2000, 3);
	assert_non_null(l);
	diag_live_set_cancel(l, &cancel);
	assert_int_equal(diag_live_fetch(l, &q, DNS_T_A, buf, sizeof buf, &len),
	                 DIAG_FETCH_TIMEOUT);
	diag_live_free(l);
	it = diag_iter_new_servers(&s, 1, 2000, 2);
	assert_non_null(it);
	diag_iter_set_cancel(it, &cancel);
	assert_int_equal(diag_iter_fetch(it, &q, DNS_T_A, buf, sizeof buf, &len),
	                 DIAG_FETCH_TIMEOUT);
	diag_iter_free(it);
	/* none waited for a try */
	assert_true(diag_now_ms() - t0 < 1000);
}

static struct diag_model *small_model(void)
{
	struct diag_model *m = calloc(1, sizeof *m);
	assert_non_null(m);
	const dns_name root = { 1, { 0 } };
	assert_int_equal(dns_name_from_text(&m->qname, "www.<b>.example.", 16,
	                                    &root), 0);
	m->qtype = DNS_T_A;
	m->verdict = DIAG_BOGUS;
	m->ede = DIAG_NO_EDE;
	m->nzones = 1;
	dns_name_root(&m->zones[0].name);
	m->zones[0].parent = -1;
	m->zones[0].anchor = true;
	m->zones[0].state = DIAG_Z_BOGUS;
	snprintf(m->zones[0].why, sizeof m->zones[0].why, "no DNSKEY & <no> luck");
	return m;
}

static void test_svg(void **state)
{
	(void)state;
	struct diag_model *m = small_model();
	char *svg = NULL, err[256] = "";
	size_t len = 0;
	int r = diag_graph_svg(m, 10000, 1 << 20, &svg, &len, err, sizeof err);
	if (r < 0 && strstr(err, "cannot run")) {
		free(m);
		skip();    /* graphviz is in scripts/deps; not installed here */
	}
	assert_int_equal(r, 0);
	assert_non_null(svg);
	assert_int_equal(strlen(svg), len);
	assert_memory_equal(svg, "<svg", 4);   /* no XML prolog inline */
	assert_non_null(strstr(svg, "</svg>"));
	/* the labels are there, XML-escaped by dot */
	assert_non_null(strstr(svg, "no DNSKEY &amp; &lt;no&gt; luck"));
	assert_null(strstr(svg, "<no>"));
	free(svg);
	free(m);
}

static void test_svg_limits(void **state)
{
	(void)state;
	struct diag_model *m = small_model();
	char *svg = (char *)"x", err[256] = "";
	size_t len = 1;
	/* too big: cut off, and an error, never a truncated picture */
	int r = diag_graph_svg(m, 10000, 64, &svg, &len, err, sizeof err);
	if (r < 0 && strstr(err, "cannot run")) {
		free(m);
		skip();
	}
	assert_int_equal(r, -1);
	assert_null(svg);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err, "more than 64 bytes"));
	/* no time at all: dot is killed */
	r = diag_graph_svg(m, 0, 1 << 20, &svg, &len, err, sizeof err);
	assert_int_equal(r, -1);
	assert_null(svg);
	assert_non_null(strstr(err, "took more than 0 ms"));
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_fetch_after_deadline),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_svg_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
