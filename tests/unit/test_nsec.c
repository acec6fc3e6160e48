/* Unit tests: resolver/dnssec/nsec.c — NSEC denial proofs on the example
 * zone of RFC 4035 Appendix A and the responses of its Appendix B, plus a
 * negative case for every rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helper_zonetext.h"
#include "resolver/dnssec/denial.h"

/* The NSEC chain of RFC 4035 Appendix A (zone "example."), one record a
 * line so tests can pick the ones a response of Appendix B carries. */
#define N_APEX   "example. NSEC a.example. NS SOA MX RRSIG NSEC DNSKEY\n"
#define N_A      "a.example. NSEC ai.example. NS DS RRSIG NSEC\n"
#define N_AI     "ai.example. NSEC b.example. A HINFO AAAA RRSIG NSEC\n"
#define N_B      "b.example. NSEC ns1.example. NS RRSIG NSEC\n"
#define N_NS1    "ns1.example. NSEC ns2.example. A RRSIG NSEC\n"
#define N_NS2    "ns2.example. NSEC *.w.example. A RRSIG NSEC\n"
#define N_WILD   "*.w.example. NSEC x.w.example. MX RRSIG NSEC\n"
#define N_XW     "x.w.example. NSEC x.y.w.example. MX RRSIG NSEC\n"
#define N_XYW    "x.y.w.example. NSEC xx.example. MX RRSIG NSEC\n"
#define N_XX     "xx.example. NSEC example. A HINFO AAAA RRSIG NSEC\n"

static zt_records z;
static denial_result res;

static int count_lines(const char *text)
{
	int n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* Every line of the text is one record. */
static void load(const char *text)
{
	assert_int_equal(zt_load(&z, text), count_lines(text));
}

static enum denial_verdict nx(const char *qname, uint16_t qtype)
{
	dns_name q = zt_name(qname), zone = zt_name("example.");
	denial_query dq = { &q, qtype, &zone };
	return nsec_prove_nxdomain(&dq, z.rr, z.n, &res);
}

static enum denial_verdict nodata(const char *qname, uint16_t qtype)
{
	dns_name q = zt_name(qname), zone = zt_name("example.");
	denial_query dq = { &q, qtype, &zone };
	return nsec_prove_nodata(&dq, z.rr, z.n, &res);
}

static enum denial_verdict wild(const char *qname, uint16_t qtype,
                                unsigned labels)
{
	dns_name q = zt_name(qname), zone = zt_name("example.");
	denial_query dq = { &q, qtype, &zone };
	return nsec_prove_wildcard(&dq, labels, z.rr, z.n, &res);
}

static enum denial_verdict deleg(const char *qname)
{
	dns_name q = zt_name(qname), zone = zt_name("example.");
	denial_query dq = { &q, DNS_T_DS, &zone };
	return nsec_prove_insecure_delegation(&dq, z.rr, z.n, &res);
}

static void expect_bogus(enum denial_verdict v, enum denial_reason r,
                         uint16_t ede, const char *in_why)
{
	assert_int_equal(v, DENIAL_BOGUS);
	assert_int_equal(res.verdict, DENIAL_BOGUS);
	assert_string_equal(denial_reason_str(res.reason), denial_reason_str(r));
	assert_int_equal(res.ede, ede);
	assert_non_null(strstr(res.why, in_why));
}

static void expect_secure(enum denial_verdict v)
{
	if (v != DENIAL_SECURE)
		fprintf(stderr, "not secure: %s %s\n",
		        denial_reason_str(res.reason), res.why);
	assert_int_equal(v, DENIAL_SECURE);
	assert_int_equal(res.reason, DENIAL_R_OK);
	assert_int_equal(res.ede, 0);
	assert_string_equal(res.why, "");
}

static void test_bitmap(void **state)
{
	(void)state;
	load(N_APEX);
	/* rdata = next name (a.example.: 11 octets) + bitmap */
	const uint8_t *bm = z.rr[0].rdata + 11;
	size_t len = z.rr[0].rdlen - 11;
	assert_true(denial_bitmap_has(bm, len, DNS_T_SOA));
	assert_true(denial_bitmap_has(bm, len, DNS_T_DNSKEY));
	assert_false(denial_bitmap_has(bm, len, DNS_T_A));
	assert_false(denial_bitmap_has(bm, len, DNS_T_DS));
	assert_false(denial_bitmap_has(bm, len, DNS_T_CAA)); /* window 1 */
	const uint8_t bad[] = { 0, 0 }; /* zero-length window */
	assert_false(denial_bitmap_has(bad, sizeof bad, DNS_T_A));
	const uint8_t trunc[] = { 0, 4, 0x40 };
	assert_false(denial_bitmap_has(trunc, sizeof trunc, DNS_T_A));
}

static void test_covers(void **state)
{
	(void)state;
	load(N_A N_XX);
	dns_name n = zt_name("a.a.example."); /* a.example < a.a.example < ai */
	assert_true(nsec_covers(&z.rr[0], &n));
	n = zt_name("AA.example.");
	assert_true(nsec_covers(&z.rr[0], &n));
	n = zt_name("a.example."); /* the owner is not covered */
	assert_false(nsec_covers(&z.rr[0], &n));
	n = zt_name("ai.example."); /* nor the next name */
	assert_false(nsec_covers(&z.rr[0], &n));
	n = zt_name("b.example.");
	assert_false(nsec_covers(&z.rr[0], &n));
	/* the last NSEC wraps to the apex: names after xx.example in zone */
	n = zt_name("z.example.");
	assert_true(nsec_covers(&z.rr[1], &n));
	n = zt_name("a.xx.example.");
	assert_true(nsec_covers(&z.rr[1], &n));
	n = zt_name("example.");
	assert_false(nsec_covers(&z.rr[1], &n));
	n = zt_name("z.org."); /* outside the zone */
	assert_false(nsec_covers(&z.rr[1], &n));
	n = zt_name("b.example.");
	assert_false(nsec_covers(&z.rr[1], &n));
}

/* B.2 Name Error: ml.example. A; NSEC b.example -> ns1.example covers
 * ml.example, NSEC example -> a.example covers *.example. */
static void test_b2_name_error(void **state)
{
	(void)state;
	load(N_B N_APEX);
	expect_secure(nx("ml.example.", DNS_T_A));
	assert_true(res.have_encloser);
	dns_name ex = zt_name("example.");
	assert_true(dns_name_equal(&res.closest_encloser, &ex));

	load(N_B); /* the wildcard is not denied */
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_WILDCARD_NOT_DENIED,
	             DENIAL_EDE_NSEC_MISSING, "*.example.");
	load(N_APEX); /* ml.example not covered (example -> a.example) */
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "ml.example.");
	load(N_AI N_APEX); /* wrong range: ai -> b ends before ml */
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "no NSEC covers ml.example.");
	load(N_NS1 N_APEX); /* the name exists */
	expect_bogus(nx("ns1.example.", DNS_T_A), DENIAL_R_NAME_EXISTS,
	             DENIAL_EDE_BOGUS, "ns1.example.");
	load(N_B N_WILD "*.example. NSEC a.example. MX RRSIG NSEC\n");
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_WILDCARD_NOT_DENIED,
	             DENIAL_EDE_BOGUS, "exists");
	load("");
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_NO_RECORDS,
	             DENIAL_EDE_NSEC_MISSING, "no NSEC");
}

/* Name errors past the last NSEC, and below names (RFC 4034 §4.1.1). */
static void test_name_error_wrap(void **state)
{
	(void)state;
	load(N_XX N_APEX);
	expect_secure(nx("z.example.", DNS_T_A));
	/* ce = xx.example, its wildcard *.xx.example after xx.example */
	expect_secure(nx("a.b.xx.example.", DNS_T_A));
	dns_name xx = zt_name("xx.example.");
	assert_true(dns_name_equal(&res.closest_encloser, &xx));
	/* records of another zone are ignored; qname outside is refused */
	load("xx.example.org. NSEC example.org. A RRSIG NSEC\n" N_APEX);
	expect_bogus(nx("z.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "z.example.");
	expect_bogus(nx("z.example.org.", DNS_T_A), DENIAL_R_BAD_INPUT,
	             DENIAL_EDE_BOGUS, "not in zone");
}

/* An empty non-terminal is not a name error (RFC 4035 §3.1.3.2): w.example
 * only exists because *.w.example and x.w.example do. */
static void test_ent(void **state)
{
	(void)state;
	load(N_NS2 N_APEX);
	expect_bogus(nx("w.example.", DNS_T_A), DENIAL_R_NAME_EXISTS,
	             DENIAL_EDE_BOGUS, "empty non-terminal");
	expect_secure(nodata("w.example.", DNS_T_A));
	expect_secure(nodata("w.example.", DNS_T_ANY)); /* no data at all */
	load(N_XW); /* y.w.example: x.w.example -> x.y.w.example */
	expect_secure(nodata("y.w.example.", DNS_T_TXT));
	load(N_NS1); /* ns1 -> ns2 does not cover w.example */
	expect_bogus(nodata("w.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "w.example.");
}

/* NSEC at a zone cut or DNAME cannot deny names below it (RFC 6840 §4.1). */
static void test_ancestor_delegation(void **state)
{
	(void)state;
	load(N_B N_APEX); /* b.example -> ns1.example covers foo.b.example */
	expect_bogus(nx("foo.b.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "foo.b.example.");
	load("d.example. NSEC ns1.example. DNAME RRSIG NSEC\n" N_APEX);
	expect_bogus(nx("x.d.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "x.d.example.");
	/* an NSEC whose next name leaves the zone ("overreaching", Unbound
	 * val_nx_overreach) is not used: it would deny other zones' names */
	load("wab.example. NSEC wzz.foo.org. A RRSIG NSEC\n" N_APEX);
	expect_bogus(nx("wac.example.", DNS_T_A), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "wac.example.");
	/* the apex (NS with SOA) may deny names below it */
	load(N_APEX);
	expect_secure(nx("0.example.", DNS_T_A)); /* example < *, 0 < a */
}

/* B.3 No Data Error: ns1.example. MX; NSEC ns1.example -> ns2.example. */
static void test_b3_no_data(void **state)
{
	(void)state;
	load(N_NS1);
	expect_secure(nodata("ns1.example.", DNS_T_MX));
	expect_bogus(nodata("ns1.example.", DNS_T_A), DENIAL_R_TYPE_EXISTS,
	             DENIAL_EDE_BOGUS, "type A");
	/* ANY: the name has data (the NSEC itself at least) */
	expect_bogus(nodata("ns1.example.", DNS_T_ANY), DENIAL_R_TYPE_EXISTS,
	             DENIAL_EDE_BOGUS, "ANY has an answer");
	load("ns1.example. NSEC ns2.example. CNAME RRSIG NSEC\n");
	expect_bogus(nodata("ns1.example.", DNS_T_MX), DENIAL_R_CNAME_EXISTS,
	             DENIAL_EDE_BOGUS, "CNAME");
	load(N_NS2); /* no NSEC for ns1.example at all */
	expect_bogus(nodata("ns1.example.", DNS_T_MX), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "ns1.example.");
	/* a NODATA at a delegation point: a referral was due */
	load(N_B);
	expect_bogus(nodata("b.example.", DNS_T_MX), DENIAL_R_DELEGATION,
	             DENIAL_EDE_BOGUS, "delegation");
}

/* B.4 Referral to Signed Zone (mc.a.example.): a.example has a DS, so its
 * NSEC does not prove an unsigned delegation. */
static void test_b4_referral_signed(void **state)
{
	(void)state;
	load(N_A);
	expect_bogus(deleg("a.example."), DENIAL_R_DS_EXISTS, DENIAL_EDE_BOGUS,
	             "lists DS");
}

/* B.5 Referral to Unsigned Zone (mc.b.example.): NSEC b.example has NS,
 * no DS, no SOA (RFC 4035 §5.2, RFC 6840 §4.4). */
static void test_b5_referral_unsigned(void **state)
{
	(void)state;
	load(N_B);
	expect_secure(deleg("b.example."));
	load(N_NS1); /* no NS bit */
	expect_bogus(deleg("ns1.example."), DENIAL_R_NOT_DELEGATION,
	             DENIAL_EDE_BOGUS, "no NS");
	load(N_APEX); /* NS and SOA: the child's apex, not a delegation */
	expect_bogus(deleg("example."), DENIAL_R_CHILD_SIDE, DENIAL_EDE_BOGUS,
	             "apex");
	load(N_A N_AI); /* nothing at b.example */
	expect_bogus(deleg("b.example."), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "b.example.");
}

/* B.6 Wildcard Expansion: a.z.w.example. MX from *.w.example (RRSIG labels
 * 2); NSEC x.y.w.example -> xx.example proves no closer match. */
static void test_b6_wildcard(void **state)
{
	(void)state;
	load(N_XYW);
	expect_secure(wild("a.z.w.example.", DNS_T_MX, 2));
	dns_name w = zt_name("w.example.");
	assert_true(dns_name_equal(&res.closest_encloser, &w));
	/* labels 1 claims *.example: but w.example exists (closer match) */
	expect_bogus(wild("a.z.w.example.", DNS_T_MX, 1), DENIAL_R_NAME_EXISTS,
	             DENIAL_EDE_BOGUS, "closer match w.example.");
	/* not an expansion: nothing to prove */
	load("");
	expect_secure(wild("x.w.example.", DNS_T_MX, 3));
	expect_secure(wild("*.w.example.", DNS_T_MX, 2));
	expect_bogus(wild("x.w.example.", DNS_T_MX, 4), DENIAL_R_BAD_INPUT,
	             DENIAL_EDE_BOGUS, "RRSIG labels");
	expect_bogus(wild("a.z.w.example.", DNS_T_MX, 2), DENIAL_R_NO_RECORDS,
	             DENIAL_EDE_NSEC_MISSING, "no NSEC");
	load(N_XW); /* x.w -> x.y.w does not cover a.z.w.example */
	expect_bogus(wild("a.z.w.example.", DNS_T_MX, 2), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "a.z.w.example.");
	load(N_XW); /* the name exists: no wildcard applies */
	expect_bogus(wild("x.w.example.", DNS_T_MX, 2), DENIAL_R_NAME_EXISTS,
	             DENIAL_EDE_BOGUS, "x.w.example.");
}

/* B.7 Wildcard No Data Error: a.z.w.example. AAAA; NSEC x.y.w.example
 * covers qname, NSEC *.w.example has no AAAA. */
static void test_b7_wildcard_no_data(void **state)
{
	(void)state;
	load(N_XYW N_WILD);
	expect_secure(nodata("a.z.w.example.", DNS_T_AAAA));
	dns_name w = zt_name("w.example.");
	assert_true(dns_name_equal(&res.closest_encloser, &w));
	expect_bogus(nodata("a.z.w.example.", DNS_T_MX), DENIAL_R_TYPE_EXISTS,
	             DENIAL_EDE_BOGUS, "*.w.example.");
	load(N_XYW); /* the wildcard's NSEC is missing */
	expect_bogus(nodata("a.z.w.example.", DNS_T_AAAA), DENIAL_R_NOT_COVERED,
	             DENIAL_EDE_NSEC_MISSING, "*.w.example.");
}

/* B.8 DS Child Zone No Data Error: example. DS answered by the child with
 * its apex NSEC (SOA set). That NSEC is the child's: it cannot prove the
 * parent has no DS (RFC 4035 §5.4 / RFC 6840 §4.4, as Unbound). The parent
 * side NSEC at a delegation without DS proves it. */
static void test_b8_ds_child_no_data(void **state)
{
	(void)state;
	load(N_APEX);
	expect_bogus(nodata("example.", DNS_T_DS), DENIAL_R_CHILD_SIDE,
	             DENIAL_EDE_BOGUS, "child zone");
	/* the same records do prove NODATA for other types at the apex */
	expect_secure(nodata("example.", DNS_T_A));
	load(N_B);
	expect_secure(nodata("b.example.", DNS_T_DS));
	load(N_A);
	expect_bogus(nodata("a.example.", DNS_T_DS), DENIAL_R_TYPE_EXISTS,
	             DENIAL_EDE_BOGUS, "DS");
	/* the root has no parent: its apex NSEC may deny a DS */
	load(". NSEC aaa. NS SOA RRSIG NSEC DNSKEY\n");
	dns_name root = zt_name(".");
	denial_query dq = { &root, DNS_T_DS, &root };
	expect_secure(nsec_prove_nodata(&dq, z.rr, z.n, &res));
}

/* Malformed or foreign records never prove anything. */
static void test_junk_records(void **state)
{
	(void)state;
	load("ml.example. TXT \"not an nsec\"\n" N_B);
	/* the NSEC's next name truncated: a label runs past the rdata */
	static const uint8_t bad[] = { 3, 'n', 's', '1', 7, 'e', 'x' };
	z.rr[1].rdata = bad;
	z.rr[1].rdlen = sizeof bad;
	expect_bogus(nx("ml.example.", DNS_T_A), DENIAL_R_NO_RECORDS,
	             DENIAL_EDE_NSEC_MISSING, "no NSEC");
	assert_false(nsec_covers(&z.rr[1], &z.rr[0].owner));
	assert_false(nsec_covers(&z.rr[0], &z.rr[0].owner));
	assert_string_equal(denial_verdict_str(DENIAL_INSECURE), "insecure");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_b2_name_error),
		cmocka_unit_test(test_name_error_wrap),
		cmocka_unit_test(test_ent),
		cmocka_unit_test(test_ancestor_delegation),
		cmocka_unit_test(test_b3_no_data),
		cmocka_unit_test(test_b4_referral_signed),
		cmocka_unit_test(test_b5_referral_unsigned),
		cmocka_unit_test(test_b6_wildcard),
		cmocka_unit_test(test_b7_wildcard_no_data),
		cmocka_unit_test(test_b8_ds_child_no_data),
		cmocka_unit_test(test_junk_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
