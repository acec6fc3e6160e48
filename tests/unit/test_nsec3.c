/* Unit tests: resolver/dnssec/nsec3.c, nsec3_hash.c — the NSEC3 hash on
 * the hashed owner names of RFC 5155 Appendix A, and the denial proofs on
 * the responses of its Appendix B, with a negative case for every rule
 * (missing record, wrong range, iterations above the limit, mismatched
 * parameters, hash budget). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "base.h"
#include "helper_zonetext.h"
#include "resolver/dnssec/denial.h"

/* The NSEC3 chain of RFC 5155 Appendix A (zone "example.", SHA-1, opt-out
 * flag set, 12 iterations, salt aabbccdd), in hash order; the comment
 * names the owner each hash stands for. */
#define H_APEX  "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG\n" /* example */
#define H_NS1   "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. NSEC3 1 1 12 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG\n" /* ns1 */
#define H_A     "35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccdd b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG\n" /* a */
#define H_AI    "gjeqe526plbf1g8mklp59enfd789njgi.example. NSEC3 1 1 12 aabbccdd ji6neoaepv8b5o6k4ev33abha8ht9fgc A HINFO AAAA RRSIG\n" /* ai */
#define H_XW    "b4um86eghhds6nea196smvmlo4ors995.example. NSEC3 1 1 12 aabbccdd gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG\n" /* x.w */
#define H_YW    "ji6neoaepv8b5o6k4ev33abha8ht9fgc.example. NSEC3 1 1 12 aabbccdd k8udemvp1j2f7eg6jebps17vp3n8i58h\n" /* y.w (ENT) */
#define H_W     "k8udemvp1j2f7eg6jebps17vp3n8i58h.example. NSEC3 1 1 12 aabbccdd kohar7mbb8dc2ce8a9qvl8hon4k53uhi\n" /* w (ENT) */
#define H_NS2   "q04jkcevqvmu85r014c7dkba38o0ji5r.example. NSEC3 1 1 12 aabbccdd r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG\n" /* ns2 */
#define H_XX    "t644ebqk9bibcna874givr6joj62mlhv.example. NSEC3 1 1 12 aabbccdd 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A HINFO AAAA RRSIG\n" /* xx, the last */
#define H_WILD  "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example. NSEC3 1 1 12 aabbccdd t644ebqk9bibcna874givr6joj62mlhv MX RRSIG\n" /* *.w */

static zt_records z;
static denial_result res;
static nsec3_ctx ctx;

static int count_lines(const char *text)
{
	int n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* Every line is one record; with optout false the flags become 0. */
static void load_flags(const char *text, bool optout)
{
	char buf[4096];
	assert_true(strlen(text) < sizeof buf);
	strcpy(buf, text);
	if (!optout)
		for (char *p = buf; (p = strstr(p, "NSEC3 1 1 ")) != NULL; p++)
			p[8] = '0';
	assert_int_equal(zt_load(&z, buf), count_lines(buf));
	nsec3_ctx_init(&ctx);
}

static void load(const char *text)
{
	load_flags(text, true);
}

static denial_query query(dns_name *q, dns_name *zone, const char *qname,
                          uint16_t qtype)
{
	*q = zt_name(qname);
	*zone = zt_name("example.");
	denial_query dq = { q, qtype, zone };
	return dq;
}

static enum denial_verdict nx(const char *qname)
{
	dns_name q, zone;
	denial_query dq = query(&q, &zone, qname, DNS_T_A);
	return nsec3_prove_nxdomain(&dq, z.rr, z.n, &ctx, &res);
}

static enum denial_verdict nodata(const char *qname, uint16_t qtype)
{
	dns_name q, zone;
	denial_query dq = query(&q, &zone, qname, qtype);
	return nsec3_prove_nodata(&dq, z.rr, z.n, &ctx, &res);
}

static enum denial_verdict wild(const char *qname, unsigned labels)
{
	dns_name q, zone;
	denial_query dq = query(&q, &zone, qname, DNS_T_MX);
	return nsec3_prove_wildcard(&dq, labels, z.rr, z.n, &ctx, &res);
}

static enum denial_verdict deleg(const char *qname)
{
	dns_name q, zone;
	denial_query dq = query(&q, &zone, qname, DNS_T_DS);
	return nsec3_prove_insecure_delegation(&dq, z.rr, z.n, &ctx, &res);
}

static void expect(enum denial_verdict v, enum denial_verdict want,
                   enum denial_reason r, uint16_t ede, const char *in_why)
{
	if (v != want || res.reason != r)
		fprintf(stderr, "got %s/%s: %s\n", denial_verdict_str(v),
		        denial_reason_str(res.reason), res.why);
	assert_int_equal(v, want);
	assert_int_equal(res.verdict, want);
	assert_string_equal(denial_reason_str(res.reason), denial_reason_str(r));
	assert_int_equal(res.ede, ede);
	assert_non_null(strstr(res.why, in_why));
}

static void expect_secure(enum denial_verdict v)
{
	expect(v, DENIAL_SECURE, DENIAL_R_OK, 0, "");
	assert_string_equal(res.why, "");
}

static void expect_ce(const char *name)
{
	dns_name n = zt_name(name);
	assert_true(res.have_encloser);
	assert_true(dns_name_equal(&res.closest_encloser, &n));
}

/* RFC 5155 Appendix A: the hashed owner names of the example zone (and
 * the next closer / wildcard names quoted in Appendix B). */
static void test_hash_appendix_a(void **state)
{
	(void)state;
	static const struct {
		const char *name, *hash;
	} v[] = {
		{ "example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom" },
		{ "a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl" },
		{ "ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi" },
		{ "ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr" },
		{ "ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r" },
		{ "w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h" },
		{ "*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en" },
		{ "x.w.example.", "b4um86eghhds6nea196smvmlo4ors995" },
		{ "y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc" },
		{ "x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s" },
		{ "xx.example.", "t644ebqk9bibcna874givr6joj62mlhv" },
		{ "XX.Example.", "t644ebqk9bibcna874givr6joj62mlhv" },
		{ "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.",
		  "kohar7mbb8dc2ce8a9qvl8hon4k53uhi" },
		{ "c.x.w.example.", "0va5bpr2ou0vk0lbqeeljri88laipsfh" },
		{ "*.x.w.example.", "92pqneegtaue7pjatc3l3qnk738c6v5m" },
		{ "c.example.", "4g6p9u5gvfshp30pqecj98b3maqbn1ck" },
		{ "z.w.example.", "qlu7gtfaeh0ek0c05ksfhdpbcgglbe03" },
	};
	const uint8_t salt[] = { 0xaa, 0xbb, 0xcc, 0xdd };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		dns_name n = zt_name(v[i].name);
		uint8_t h[NSEC3_SHA1_LEN];
		assert_int_equal(nsec3_hash(1, salt, sizeof salt, 12, &n, h), 0);
		char text[64];
		strbuf sb = strbuf_init(text, sizeof text);
		base32hex_encode(&sb, h, sizeof h);
		assert_string_equal(text, v[i].hash);
	}
	dns_name n = zt_name("example.");
	uint8_t h[NSEC3_SHA1_LEN];
	assert_int_equal(nsec3_hash(2, salt, sizeof salt, 12, &n, h),
	                 WARD_ENOTSUP);
}

/* IH(salt, x, 0) = H(x || salt), IH(k) = H(IH(k-1) || salt), checked
 * against SHA-1 computed here step by step (no salt and with one). */
static void test_hash_definition(void **state)
{
	(void)state;
	dns_name n = zt_name("Example.");
	const uint8_t lower[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	uint8_t want[NSEC3_SHA1_LEN], got[NSEC3_SHA1_LEN];
	unsigned len;
	assert_true(EVP_Digest(lower, sizeof lower, want, &len, EVP_sha1(), NULL));
	assert_int_equal(nsec3_hash(1, NULL, 0, 0, &n, got), 0);
	assert_memory_equal(got, want, sizeof want);

	const uint8_t salt[] = { 0x01, 0x02 };
	uint8_t buf[NSEC3_SHA1_LEN + sizeof salt];
	memcpy(buf, lower, 0);
	uint8_t in[sizeof lower + sizeof salt];
	memcpy(in, lower, sizeof lower);
	memcpy(in + sizeof lower, salt, sizeof salt);
	assert_true(EVP_Digest(in, sizeof in, want, &len, EVP_sha1(), NULL));
	for (int k = 0; k < 2; k++) {
		memcpy(buf, want, NSEC3_SHA1_LEN);
		memcpy(buf + NSEC3_SHA1_LEN, salt, sizeof salt);
		assert_true(EVP_Digest(buf, sizeof buf, want, &len, EVP_sha1(),
		                       NULL));
	}
	assert_int_equal(nsec3_hash(1, salt, sizeof salt, 2, &n, got), 0);
	assert_memory_equal(got, want, sizeof want);
}

/* B.1 Name Error: a.c.x.w.example.; closest encloser x.w.example (b4um),
 * next closer c.x.w.example covered by 0p9m -> 2t7b, *.x.w.example covered
 * by 35mt -> b4um. The covering record is opt-out, so the answer is
 * insecure (RFC 5155 §9.2; Unbound: no AD); without opt-out, secure. */
#define B1 H_APEX H_XW H_A

static void test_b1_name_error(void **state)
{
	(void)state;
	load(B1);
	expect(nx("a.c.x.w.example."), DENIAL_INSECURE, DENIAL_R_OPTOUT, 0,
	       "c.x.w.example.");
	expect_ce("x.w.example.");
	/* a.c.x.w, c.x.w, x.w and *.x.w: each hashed once */
	assert_int_equal(ctx.hashes, 4);

	load_flags(B1, false);
	expect_secure(nx("a.c.x.w.example."));
	expect_ce("x.w.example.");
}

static void test_b1_negative(void **state)
{
	(void)state;
	/* no wildcard denial (35mt missing) */
	load_flags(H_APEX H_XW, false);
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS,
	       DENIAL_R_WILDCARD_NOT_DENIED, DENIAL_EDE_NSEC_MISSING,
	       "*.x.w.example.");
	/* no closest encloser match (b4um missing): example matches, but
	 * its next closer w.example is not covered */
	load_flags(H_APEX H_A, false);
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "w.example.");
	/* no next closer cover (0p9m missing) */
	load_flags(H_XW H_A, false);
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "c.x.w.example.");
	/* wrong range: ns1 -> x.y.w does not cover c.x.w (0va5) */
	load_flags(H_NS1 H_XW H_A, false);
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "c.x.w.example.");
	/* nothing matches any ancestor */
	load_flags(H_A, false);
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS,
	       DENIAL_R_NO_CLOSEST_ENCLOSER, DENIAL_EDE_NSEC_MISSING,
	       "a.c.x.w.example.");
	/* the name exists */
	load_flags(H_NS1, false);
	expect(nx("ns1.example."), DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
	       DENIAL_EDE_BOGUS, "ns1.example.");
	/* the wildcard exists: q04j..r53b covers z.w, r53b is *.w */
	load_flags(H_W H_NS2 H_WILD, false);
	expect(nx("a.z.w.example."), DENIAL_BOGUS, DENIAL_R_WILDCARD_NOT_DENIED,
	       DENIAL_EDE_BOGUS, "*.w.example.");
	/* a closest encloser at a delegation (a.example: NS, no SOA) */
	load_flags(H_A H_APEX, false);
	expect(nx("b.a.example."), DENIAL_BOGUS, DENIAL_R_ANCESTOR_DELEGATION,
	       DENIAL_EDE_BOGUS, "a.example.");
	load("");
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_NO_RECORDS,
	       DENIAL_EDE_NSEC_MISSING, "no usable NSEC3");
}

/* The last NSEC3 (t644 -> 0p9m) wraps around: H(f.example) = vh6o...
 * is past it. H(*.example) = jhsv... lies in gjeq -> ji6n. A hash equal to
 * a record's next hash is not covered. */
static void test_wrap_and_bounds(void **state)
{
	(void)state;
	load_flags(H_APEX H_XX H_AI, false);
	expect_secure(nx("f.example."));
	expect_ce("example.");
	load_flags(H_APEX H_AI, false);
	expect(nx("f.example."), DENIAL_BOGUS, DENIAL_R_NEXT_CLOSER_NOT_COVERED,
	       DENIAL_EDE_NSEC_MISSING, "f.example.");
	load_flags(H_APEX H_XX, false);
	expect(nx("f.example."), DENIAL_BOGUS, DENIAL_R_WILDCARD_NOT_DENIED,
	       DENIAL_EDE_NSEC_MISSING, "*.example.");
	/* H(ns1.example) is the apex record's next hash: not covered */
	load_flags(H_APEX H_AI, false);
	expect(nx("ns1.example."), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "ns1.example.");
}

/* RFC 9276 §3.2: iterations above the limit -> insecure, EDE 27, nothing
 * hashed. */
static void test_iterations_limit(void **state)
{
	(void)state;
	load(B1);
	ctx.max_iterations = 11;
	expect(nx("a.c.x.w.example."), DENIAL_INSECURE, DENIAL_R_ITERATIONS,
	       DENIAL_EDE_NSEC3_ITERATIONS, "12");
	assert_int_equal(ctx.hashes, 0);
	expect(nodata("ns1.example.", DNS_T_MX), DENIAL_INSECURE,
	       DENIAL_R_ITERATIONS, DENIAL_EDE_NSEC3_ITERATIONS, "limit 11");
	ctx.max_iterations = 12; /* at the limit: allowed */
	expect(nx("a.c.x.w.example."), DENIAL_INSECURE, DENIAL_R_OPTOUT, 0, "");
	/* the default is 150, as Unbound */
	load("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 1 0 151 aabbccdd "
	     "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA\n");
	assert_int_equal(ctx.max_iterations, 150);
	expect(nodata("example.", DNS_T_MX), DENIAL_INSECURE,
	       DENIAL_R_ITERATIONS, DENIAL_EDE_NSEC3_ITERATIONS, "151");
}

/* All NSEC3 records of the zone must share salt and iterations. */
static void test_param_mismatch(void **state)
{
	(void)state;
	load(H_APEX H_XW
	     "35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 1 12 aabbccde "
	     "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG\n");
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_PARAM_MISMATCH,
	       DENIAL_EDE_BOGUS, "different");
	assert_int_equal(ctx.hashes, 0);
	load(H_APEX
	     "b4um86eghhds6nea196smvmlo4ors995.example. NSEC3 1 1 13 aabbccdd "
	     "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG\n");
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_PARAM_MISMATCH,
	       DENIAL_EDE_BOGUS, "12 and 13");
}

/* RFC 5155 §8.1-8.2: unknown algorithm or flags -> the record is ignored;
 * so are records owned outside the zone or not one hash label deep. */
static void test_ignored_records(void **state)
{
	(void)state;
	load("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 2 1 12 aabbccdd "
	     "2t7b4g4vsa5smi47k61mv5bv1a22bojr MX NS SOA\n"
	     "b4um86eghhds6nea196smvmlo4ors995.example. NSEC3 1 3 12 aabbccdd "
	     "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG\n"
	     "35mthgpgcu1qg68fab165klnsnk3dpvl.example.org. NSEC3 1 1 12 aabbccdd "
	     "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG\n"
	     "35mthgpgcu1qg68fab165klnsnk3dpvl.a.example. NSEC3 1 1 12 aabbccdd "
	     "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG\n"
	     "notahash.example. NSEC3 1 1 12 aabbccdd "
	     "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG\n");
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_NO_RECORDS,
	       DENIAL_EDE_NSEC_MISSING, "no usable NSEC3");
	/* one good record among ignored ones with other parameters is used */
	load("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. NSEC3 2 1 99 ff "
	     "2t7b4g4vsa5smi47k61mv5bv1a22bojr MX NS SOA\n" H_NS1);
	expect_secure(nodata("ns1.example.", DNS_T_MX));
}

/* CVE-2023-50868: hashes are counted; the budget ends the proof. */
static void test_hash_budget(void **state)
{
	(void)state;
	load(B1);
	ctx.max_hashes = 3; /* B.1 needs 4 */
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_HASH_LIMIT,
	       DENIAL_EDE_BOGUS, "3 hash");
	assert_int_equal(ctx.hashes, 3);
	/* a budget shared by proofs of one response runs out across them */
	load(B1);
	ctx.max_hashes = 5;
	expect(nx("a.c.x.w.example."), DENIAL_INSECURE, DENIAL_R_OPTOUT, 0, "");
	expect(nodata("c.x.w.example.", DNS_T_A), DENIAL_BOGUS,
	       DENIAL_R_HASH_LIMIT, DENIAL_EDE_BOGUS, "hash");
	/* a deep name costs one hash per label up to the encloser */
	load(B1);
	expect(nx("a.b.c.d.e.f.g.h.i.j.c.x.w.example."), DENIAL_INSECURE,
	       DENIAL_R_OPTOUT, 0, "");
	assert_int_equal(ctx.hashes, 13);
	/* the default budget is finite: a 100-label name under a zone with
	 * no matching records stops at it */
	char deep[256] = "";
	for (int i = 0; i < 100; i++)
		strcat(deep, "a.");
	strcat(deep, "example.");
	load_flags(H_A, false);
	expect(nx(deep), DENIAL_BOGUS, DENIAL_R_HASH_LIMIT, DENIAL_EDE_BOGUS,
	       "64 hash");
	assert_int_equal(ctx.hashes, 64);
}

/* B.2 No Data Error: ns1.example. MX; the NSEC3 at ns1 has no MX. */
static void test_b2_no_data(void **state)
{
	(void)state;
	load(H_NS1);
	expect_secure(nodata("ns1.example.", DNS_T_MX));
	assert_int_equal(ctx.hashes, 1);
	expect(nodata("ns1.example.", DNS_T_A), DENIAL_BOGUS,
	       DENIAL_R_TYPE_EXISTS, DENIAL_EDE_BOGUS, "type A");
	expect(nodata("ns1.example.", DNS_T_ANY), DENIAL_BOGUS, /* has data */
	       DENIAL_R_TYPE_EXISTS, DENIAL_EDE_BOGUS, "ANY has an answer");
	load(H_NS2); /* missing: ns1 neither matched nor encloser-proven */
	expect(nodata("ns1.example.", DNS_T_MX), DENIAL_BOGUS,
	       DENIAL_R_NO_CLOSEST_ENCLOSER, DENIAL_EDE_NSEC_MISSING,
	       "ns1.example.");
	load("2t7b4g4vsa5smi47k61mv5bv1a22bojr.example. NSEC3 1 1 12 aabbccdd "
	     "2vptu5timamqttgl4luu9kg21e0aor3s CNAME RRSIG\n");
	expect(nodata("ns1.example.", DNS_T_MX), DENIAL_BOGUS,
	       DENIAL_R_CNAME_EXISTS, DENIAL_EDE_BOGUS, "CNAME");
	/* NODATA at a delegation (a.example: NS DS, no SOA) */
	load(H_A);
	expect(nodata("a.example.", DNS_T_MX), DENIAL_BOGUS,
	       DENIAL_R_DELEGATION, DENIAL_EDE_BOGUS, "referral");
}

/* B.2.1 No Data Error, Empty Non-Terminal: y.w.example. A; its NSEC3 has
 * an empty type bitmap. */
static void test_b21_no_data_ent(void **state)
{
	(void)state;
	load(H_YW);
	expect_secure(nodata("y.w.example.", DNS_T_A));
	expect_ce("y.w.example.");
	expect_secure(nodata("y.w.example.", DNS_T_ANY)); /* no data at all */
	load(H_W); /* the wrong ENT's record */
	expect(nodata("y.w.example.", DNS_T_A), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "y.w.example.");
}

/* B.3 Referral to an Opt-Out Unsigned Zone: mc.c.example.; closest
 * encloser example, next closer c.example covered by the opt-out 35mt. */
static void test_b3_optout_referral(void **state)
{
	(void)state;
	load(H_A H_APEX);
	expect(deleg("c.example."), DENIAL_INSECURE, DENIAL_R_OPTOUT, 0,
	       "c.example.");
	expect_ce("example.");
	load_flags(H_A H_APEX, false); /* not opt-out: c.example cannot exist */
	expect(deleg("c.example."), DENIAL_BOGUS, DENIAL_R_NOT_DELEGATION,
	       DENIAL_EDE_BOGUS, "not opt-out");
	load(H_A); /* no closest encloser */
	expect(deleg("c.example."), DENIAL_BOGUS, DENIAL_R_NO_CLOSEST_ENCLOSER,
	       DENIAL_EDE_NSEC_MISSING, "c.example.");
	load(H_APEX); /* no next closer cover */
	expect(deleg("c.example."), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "c.example.");
	/* a matching NSEC3: a.example has DS -> signed, not insecure */
	load(H_A);
	expect(deleg("a.example."), DENIAL_BOGUS, DENIAL_R_DS_EXISTS,
	       DENIAL_EDE_BOGUS, "DS");
	load(H_NS1);
	expect(deleg("ns1.example."), DENIAL_BOGUS, DENIAL_R_NOT_DELEGATION,
	       DENIAL_EDE_BOGUS, "no NS");
	load(H_APEX);
	expect(deleg("example."), DENIAL_BOGUS, DENIAL_R_CHILD_SIDE,
	       DENIAL_EDE_BOGUS, "apex");
	/* a delegation with its own NSEC3 (NS, no DS): provably unsigned */
	load("35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 0 12 aabbccdd "
	     "b4um86eghhds6nea196smvmlo4ors995 NS RRSIG\n");
	expect_secure(deleg("a.example."));
}

/* B.4 Wildcard Expansion: a.z.w.example. MX from *.w.example (labels 2);
 * next closer z.w.example covered by q04j -> r53b (opt-out: insecure, as
 * Unbound). */
static void test_b4_wildcard(void **state)
{
	(void)state;
	load(H_NS2);
	expect(wild("a.z.w.example.", 2), DENIAL_INSECURE, DENIAL_R_OPTOUT, 0,
	       "z.w.example.");
	assert_int_equal(ctx.hashes, 1);
	load_flags(H_NS2, false);
	expect_secure(wild("a.z.w.example.", 2));
	expect_ce("w.example.");
	/* labels 1 (*.example): next closer w.example is not covered */
	expect(wild("a.z.w.example.", 1), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "w.example.");
	load_flags(H_W, false); /* w.example exists: no *.example for it */
	expect(wild("a.z.w.example.", 1), DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
	       DENIAL_EDE_BOGUS, "w.example.");
	load_flags(H_APEX, false); /* wrong range */
	expect(wild("a.z.w.example.", 2), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "z.w.example.");
	/* not an expansion / bad labels */
	expect_secure(wild("x.w.example.", 3));
	expect(wild("x.w.example.", 5), DENIAL_BOGUS, DENIAL_R_BAD_INPUT,
	       DENIAL_EDE_BOGUS, "RRSIG labels");
}

/* B.5 Wildcard No Data Error: a.z.w.example. AAAA; encloser w.example
 * (k8ud), next closer z.w.example (q04j, opt-out), *.w.example (r53b)
 * without AAAA. */
#define B5 H_W H_NS2 H_WILD

static void test_b5_wildcard_no_data(void **state)
{
	(void)state;
	load(B5);
	expect(nodata("a.z.w.example.", DNS_T_AAAA), DENIAL_INSECURE,
	       DENIAL_R_OPTOUT, 0, "z.w.example.");
	load_flags(B5, false);
	expect_secure(nodata("a.z.w.example.", DNS_T_AAAA));
	expect_ce("w.example.");
	expect(nodata("a.z.w.example.", DNS_T_MX), DENIAL_BOGUS,
	       DENIAL_R_TYPE_EXISTS, DENIAL_EDE_BOGUS, "MX");
	load_flags(H_W H_NS2, false); /* no wildcard match */
	expect(nodata("a.z.w.example.", DNS_T_AAAA), DENIAL_BOGUS,
	       DENIAL_R_NOT_COVERED, DENIAL_EDE_NSEC_MISSING, "*.w.example.");
	load(H_W H_NS2); /* opt-out: may be an ENT of unsigned delegations */
	expect(nodata("a.z.w.example.", DNS_T_AAAA), DENIAL_INSECURE,
	       DENIAL_R_OPTOUT, 0, "");
	load_flags(H_W H_WILD, false); /* no next closer cover */
	expect(nodata("a.z.w.example.", DNS_T_AAAA), DENIAL_BOGUS,
	       DENIAL_R_NEXT_CLOSER_NOT_COVERED, DENIAL_EDE_NSEC_MISSING,
	       "z.w.example.");
}

/* B.6 DS Child Zone No Data Error: example. DS answered with the apex
 * NSEC3 (SOA): the child's view, no proof of the parent's DS absence
 * (RFC 6840 §4.4, as Unbound). §8.6: a DS query under opt-out. */
static void test_b6_ds_no_data(void **state)
{
	(void)state;
	load(H_APEX);
	expect(nodata("example.", DNS_T_DS), DENIAL_BOGUS, DENIAL_R_CHILD_SIDE,
	       DENIAL_EDE_BOGUS, "child zone");
	expect_secure(nodata("example.", DNS_T_A));
	/* §8.6: no NSEC3 at c.example, next closer covered by opt-out */
	load(H_A H_APEX);
	expect(nodata("c.example.", DNS_T_DS), DENIAL_INSECURE,
	       DENIAL_R_OPTOUT, 0, "c.example.");
	load_flags(H_A H_APEX, false);
	expect(nodata("c.example.", DNS_T_DS), DENIAL_BOGUS,
	       DENIAL_R_NOT_COVERED, DENIAL_EDE_NSEC_MISSING, "c.example.");
	/* a parent-side NSEC3 at a delegation without DS */
	load("35mthgpgcu1qg68fab165klnsnk3dpvl.example. NSEC3 1 0 12 aabbccdd "
	     "b4um86eghhds6nea196smvmlo4ors995 NS RRSIG\n");
	expect_secure(nodata("a.example.", DNS_T_DS));
	load(H_A);
	expect(nodata("a.example.", DNS_T_DS), DENIAL_BOGUS,
	       DENIAL_R_TYPE_EXISTS, DENIAL_EDE_BOGUS, "DS");
}

static void test_bad_input(void **state)
{
	(void)state;
	load(B1);
	dns_name q = zt_name("a.example.org."), zone = zt_name("example.");
	denial_query dq = { &q, DNS_T_A, &zone };
	expect(nsec3_prove_nxdomain(&dq, z.rr, z.n, &ctx, &res), DENIAL_BOGUS,
	       DENIAL_R_BAD_INPUT, DENIAL_EDE_BOGUS, "not in zone");
	/* truncated rdata is ignored */
	static const uint8_t bad[] = { 1, 1, 0, 12, 4, 0xaa };
	z.rr[0].rdata = bad;
	z.rr[0].rdlen = sizeof bad;
	z.n = 1;
	expect(nx("a.c.x.w.example."), DENIAL_BOGUS, DENIAL_R_NO_RECORDS,
	       DENIAL_EDE_NSEC_MISSING, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_appendix_a),
		cmocka_unit_test(test_hash_definition),
		cmocka_unit_test(test_b1_name_error),
		cmocka_unit_test(test_b1_negative),
		cmocka_unit_test(test_wrap_and_bounds),
		cmocka_unit_test(test_iterations_limit),
		cmocka_unit_test(test_param_mismatch),
		cmocka_unit_test(test_ignored_records),
		cmocka_unit_test(test_hash_budget),
		cmocka_unit_test(test_b2_no_data),
		cmocka_unit_test(test_b21_no_data_ent),
		cmocka_unit_test(test_b3_optout_referral),
		cmocka_unit_test(test_b4_wildcard),
		cmocka_unit_test(test_b5_wildcard_no_data),
		cmocka_unit_test(test_b6_ds_no_data),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
