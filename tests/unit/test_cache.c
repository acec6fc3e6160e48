/* Unit tests: resolver/cache.c — RRsets with their RRSIGs, validation status,
 * negative entries, TTL clamping, credibility ranks, LRU byte budget. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "resolver/cache.h"

static dns_name name(const char *s)
{
	dns_name n;
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), NULL), 0);
	return n;
}

static const uint8_t ip1[4] = { 192, 0, 2, 1 }, ip2[4] = { 192, 0, 2, 2 };
static const uint8_t sig[] = { 0, 1, 8, 2, 0, 0, 14, 16, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 0, 0xAA };

static dns_rr rr(const char *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, uint16_t len)
{
	dns_rr r;
	r.owner = name(owner);
	r.type = type;
	r.rclass = DNS_C_IN;
	r.ttl = ttl;
	r.rdata = rdata;
	r.rdlen = len;
	return r;
}

static cache_t *mk(size_t bytes, size_t entries)
{
	struct cache_config cfg;
	cache_config_defaults(&cfg);
	if (bytes)
		cfg.max_bytes = bytes;
	cfg.max_entries = entries;
	cache_t *c = cache_new(&cfg);
	assert_non_null(c);
	return c;
}

static void test_put_get_rrset_with_sigs(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name owner = name("www.example.com.");
	dns_rr set[2] = { rr("www.example.com.", DNS_T_A, 300, ip1, 4),
	                  rr("WWW.example.com.", DNS_T_A, 200, ip2, 4) };
	dns_rr sigs[1] = { rr("www.example.com.", DNS_T_RRSIG, 300, sig, sizeof sig) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &owner,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = set, .n = 2,
		.sigs = sigs, .nsig = 1, .status = VAL_SECURE, .rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &p, 1000), 0);

	struct cache_hit hit;
	dns_name q = name("www.EXAMPLE.com.");
	assert_true(cache_get(c, &q, DNS_T_A, DNS_C_IN, 1050, &hit));
	assert_int_equal(hit.kind, CACHE_POSITIVE);
	assert_int_equal(hit.status, VAL_SECURE);
	assert_int_equal(hit.ttl_left, 150); /* min TTL 200, 50 s later */
	assert_int_equal(hit.n, 2);
	assert_int_equal(hit.nsig, 1);
	dns_rr out;
	assert_int_equal(cache_hit_rr(&hit, 1, &out), 0);
	assert_memory_equal(out.rdata, ip2, 4);
	assert_int_equal(out.ttl, 150);
	assert_int_equal(cache_hit_rr(&hit, 2, &out), 0);
	assert_int_equal(out.type, DNS_T_RRSIG);
	assert_int_equal(out.rdlen, sizeof sig);
	assert_int_equal(cache_hit_rr(&hit, 3, &out), WARD_ENOTFOUND);

	/* other type at the same name: a miss (RRSIGs say nothing about it) */
	assert_false(cache_get(c, &q, DNS_T_AAAA, DNS_C_IN, 1050, &hit));
	assert_false(cache_get(c, &q, DNS_T_RRSIG, DNS_C_IN, 1050, &hit));
	/* expired */
	assert_false(cache_get(c, &q, DNS_T_A, DNS_C_IN, 1200, &hit));
	struct cache_stats st;
	cache_get_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.hits, 1);
	cache_free(c);
}

static void test_reject_mixed_rrset(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name owner = name("a.example.");
	dns_rr set[2] = { rr("a.example.", DNS_T_A, 300, ip1, 4),
	                  rr("b.example.", DNS_T_A, 300, ip2, 4) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &owner,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = set, .n = 2,
		.rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &p, 0), WARD_EINVAL);
	p.n = 0;
	assert_int_equal(cache_put(c, &p, 0), WARD_EINVAL);
	cache_free(c);
}

static void test_negative(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name owner = name("nx.example.");
	static const uint8_t soa[] = { 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 60 };
	dns_rr proof[1] = { rr("example.", DNS_T_SOA, 3600, soa, sizeof soa) };
	struct cache_put p = { .kind = CACHE_NXDOMAIN, .owner = &owner,
		.rclass = DNS_C_IN, .rrs = proof, .n = 1, .ttl = 60,
		.status = VAL_INSECURE, .rank = RANK_AUTH_ANSWER };
	assert_int_equal(cache_put(c, &p, 0), 0);
	struct cache_hit hit;
	/* NXDOMAIN answers every type at the name */
	assert_true(cache_get(c, &owner, DNS_T_MX, DNS_C_IN, 10, &hit));
	assert_int_equal(hit.kind, CACHE_NXDOMAIN);
	assert_int_equal(hit.ttl_left, 50);
	dns_rr out;
	assert_int_equal(cache_hit_rr(&hit, 0, &out), 0);
	assert_int_equal(out.type, DNS_T_SOA);

	/* NODATA only for its type; capped by neg_max_ttl */
	dns_name o2 = name("nodata.example.");
	struct cache_put p2 = p;
	p2.kind = CACHE_NODATA;
	p2.owner = &o2;
	p2.type = DNS_T_AAAA;
	p2.ttl = 999999;
	assert_int_equal(cache_put(c, &p2, 0), 0);
	assert_true(cache_get(c, &o2, DNS_T_AAAA, DNS_C_IN, 0, &hit));
	assert_int_equal(hit.kind, CACHE_NODATA);
	assert_int_equal(hit.ttl_left, 3600);
	assert_false(cache_get(c, &o2, DNS_T_A, DNS_C_IN, 0, &hit));
	cache_free(c);
}

static void test_rank_and_bogus(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name owner = name("ns.example.");
	dns_rr a1[1] = { rr("ns.example.", DNS_T_A, 3600, ip1, 4) };
	dns_rr a2[1] = { rr("ns.example.", DNS_T_A, 3600, ip2, 4) };
	struct cache_put auth = { .kind = CACHE_POSITIVE, .owner = &owner,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a1, .n = 1,
		.rank = RANK_AUTH_ANSWER };
	struct cache_put glue = auth;
	glue.rrs = a2;
	glue.rank = RANK_GLUE;
	assert_int_equal(cache_put(c, &auth, 0), 0);
	/* glue must not replace an authoritative answer (RFC 2181 §5.4.1) */
	assert_int_equal(cache_put(c, &glue, 10), 1);
	struct cache_hit hit;
	dns_rr out;
	assert_true(cache_get(c, &owner, DNS_T_A, DNS_C_IN, 10, &hit));
	assert_int_equal(cache_hit_rr(&hit, 0, &out), 0);
	assert_memory_equal(out.rdata, ip1, 4);
	/* after expiry it may */
	assert_int_equal(cache_put(c, &glue, 4000), 0);

	/* bogus data is kept only bogus_ttl */
	struct cache_put bog = auth;
	bog.status = VAL_BOGUS;
	bog.rank = RANK_LOCAL;
	bog.ede = 6;
	assert_int_equal(cache_put(c, &bog, 5000), 0);
	assert_true(cache_get(c, &owner, DNS_T_A, DNS_C_IN, 5000, &hit));
	assert_int_equal(hit.ttl_left, 60);
	assert_int_equal(hit.ede, 6);
	/* status set later shortens the life too */
	assert_int_equal(cache_put(c, &auth, 6000), 0);
	assert_int_equal(cache_set_status(c, &owner, DNS_T_A, DNS_C_IN,
	                                  CACHE_POSITIVE, VAL_BOGUS, 7, 6000), 0);
	assert_true(cache_get(c, &owner, DNS_T_A, DNS_C_IN, 6000, &hit));
	assert_int_equal(hit.status, VAL_BOGUS);
	assert_int_equal(hit.ttl_left, 60);
	cache_free(c);
}

static void test_ttl_clamp(void **state)
{
	(void)state;
	struct cache_config cfg;
	cache_config_defaults(&cfg);
	cfg.min_ttl = 30;
	cfg.max_ttl = 100;
	cache_t *c = cache_new(&cfg);
	dns_name o = name("t.example.");
	dns_rr lo[1] = { rr("t.example.", DNS_T_A, 5, ip1, 4) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = lo, .n = 1,
		.rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &p, 0), 0);
	struct cache_hit hit;
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 0, &hit));
	assert_int_equal(hit.ttl_left, 30);
	lo[0].ttl = 100000;
	assert_int_equal(cache_put(c, &p, 0), 0);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 0, &hit));
	assert_int_equal(hit.ttl_left, 100);
	cache_free(c);
}

/* TTL 0 data held 1 s to answer: records come out with TTL 0, the entry
 * lives through its expiry second and is gone after it; a normal entry
 * expires at its second. */
static void test_ttl_zero(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name o = name("z.example."), o2 = name("n.example.");
	dns_rr z[1] = { rr("z.example.", DNS_T_A, 0, ip1, 4) };
	dns_rr n1[1] = { rr("n.example.", DNS_T_A, 1, ip2, 4) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = z, .n = 1, .ttl = 1,
		.ttl_zero = true, .rank = RANK_ANSWER };
	struct cache_put p2 = { .kind = CACHE_POSITIVE, .owner = &o2,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = n1, .n = 1,
		.rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &p, 100), 0);
	assert_int_equal(cache_put(c, &p2, 100), 0);
	struct cache_hit hit;
	dns_rr out;
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 100, &hit));
	assert_int_equal(hit.ttl_left, 1);
	assert_int_equal(cache_hit_rr(&hit, 0, &out), 0);
	assert_int_equal(out.ttl, 0);
	assert_true(cache_get(c, &o2, DNS_T_A, DNS_C_IN, 100, &hit));
	assert_int_equal(cache_hit_rr(&hit, 0, &out), 0);
	assert_int_equal(out.ttl, 1);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 101, &hit));
	assert_false(cache_get(c, &o2, DNS_T_A, DNS_C_IN, 101, &hit));
	assert_false(cache_get(c, &o, DNS_T_A, DNS_C_IN, 102, &hit));
	cache_free(c);
}

static void test_lru_budget(void **state)
{
	(void)state;
	cache_t *c = mk(0, 3); /* at most 3 entries */
	dns_name names[5];
	char buf[32];
	for (int i = 0; i < 5; i++) {
		snprintf(buf, sizeof buf, "h%d.example.", i);
		names[i] = name(buf);
	}
	struct cache_hit hit;
	for (int i = 0; i < 5; i++) {
		dns_rr a[1];
		a[0] = rr(buf, DNS_T_A, 300, ip1, 4);
		a[0].owner = names[i];
		struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &names[i],
			.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a, .n = 1,
			.rank = RANK_ANSWER };
		assert_int_equal(cache_put(c, &p, 0), 0);
		if (i == 2) /* touch h0 so h1 is the least recently used */
			assert_true(cache_get(c, &names[0], DNS_T_A, DNS_C_IN, 0, &hit));
	}
	assert_true(cache_get(c, &names[0], DNS_T_A, DNS_C_IN, 0, &hit));
	assert_false(cache_get(c, &names[1], DNS_T_A, DNS_C_IN, 0, &hit));
	assert_false(cache_get(c, &names[2], DNS_T_A, DNS_C_IN, 0, &hit));
	assert_true(cache_get(c, &names[3], DNS_T_A, DNS_C_IN, 0, &hit));
	assert_true(cache_get(c, &names[4], DNS_T_A, DNS_C_IN, 0, &hit));
	struct cache_stats st;
	cache_get_stats(c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evicted, 2);
	cache_free(c);

	/* byte budget: an entry bigger than the budget is refused, others evict */
	c = mk(600, 0);
	static uint8_t big[1000];
	dns_rr b[1] = { rr("big.example.", DNS_T_TXT, 300, big, sizeof big) };
	dns_name bo = name("big.example.");
	struct cache_put pb = { .kind = CACHE_POSITIVE, .owner = &bo,
		.type = DNS_T_TXT, .rclass = DNS_C_IN, .rrs = b, .n = 1,
		.rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &pb, 0), WARD_ELIMIT);
	b[0].rdlen = 200;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(cache_put(c, &pb, 0), 0);
		b[0].owner = names[i];
		pb.owner = &names[i];
	}
	cache_get_stats(c, &st);
	assert_true(st.bytes <= 600);
	assert_true(st.evicted > 0);
	cache_free(c);
}

static int count_cb(const dns_name *o, uint16_t t, const struct cache_hit *h, void *arg)
{
	(void)o; (void)t; (void)h;
	(*(int *)arg)++;
	return 0;
}

static void test_flush_and_walk(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name o = name("f.example."), o2 = name("g.example.");
	dns_rr a[1] = { rr("f.example.", DNS_T_A, 300, ip1, 4) };
	dns_rr aaaa[1] = { rr("f.example.", DNS_T_AAAA, 300, sig, 16) };
	dns_rr g[1] = { rr("g.example.", DNS_T_A, 300, ip1, 4) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a, .n = 1, .rank = RANK_ANSWER };
	assert_int_equal(cache_put(c, &p, 0), 0);
	p.type = DNS_T_AAAA;
	p.rrs = aaaa;
	assert_int_equal(cache_put(c, &p, 0), 0);
	p.owner = &o2;
	p.type = DNS_T_A;
	p.rrs = g;
	assert_int_equal(cache_put(c, &p, 0), 0);
	int n = 0;
	cache_walk(c, 0, count_cb, &n);
	assert_int_equal(n, 3);
	dns_name up = name("F.EXAMPLE.");
	assert_int_equal(cache_flush_name(c, &up), 2);
	n = 0;
	cache_walk(c, 0, count_cb, &n);
	assert_int_equal(n, 1);
	cache_flush_all(c);
	struct cache_stats st;
	cache_get_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.bytes, 0);
	cache_free(c);
}

static void test_many_entries_grow(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	char buf[64];
	for (int i = 0; i < 3000; i++) {
		snprintf(buf, sizeof buf, "n%d.grow.example.", i);
		dns_name o = name(buf);
		dns_rr a[1] = { rr(buf, DNS_T_A, 300, ip1, 4) };
		struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
			.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a, .n = 1, .rank = RANK_ANSWER };
		assert_int_equal(cache_put(c, &p, 0), 0);
	}
	struct cache_hit hit;
	for (int i = 0; i < 3000; i += 7) {
		snprintf(buf, sizeof buf, "N%d.GROW.example.", i);
		dns_name o = name(buf);
		assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 1, &hit));
	}
	cache_free(c);
}

/* The hash folds case 8 octets at a time: names of every length up to 20
 * octets, every octet value in the first label, found again with A-Z and
 * a-z swapped (and only them: '@' and '[' differ from '`' and '{'). */
static void test_case_fold_every_octet(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	struct cache_hit hit;
	for (unsigned len = 1; len <= 20; len++)
		for (unsigned v = 0; v < 256; v++) {
			dns_name o = { .len = (uint16_t)(len + 2) };
			o.wire[0] = (uint8_t)len;
			for (unsigned k = 0; k < len; k++)
				o.wire[1 + k] = (uint8_t)(k == len / 2 ? v : 'a' + k);
			o.wire[len + 1] = 0;
			dns_rr a[1] = { { .owner = o, .type = DNS_T_A,
			                  .rclass = DNS_C_IN, .ttl = 300,
			                  .rdata = ip1, .rdlen = 4 } };
			struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
				.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a, .n = 1,
				.rank = RANK_ANSWER };
			assert_int_equal(cache_put(c, &p, 0), 0);
			dns_name sw = o;
			for (unsigned k = 1; k <= len; k++) {
				uint8_t ch = sw.wire[k];
				if (ch >= 'a' && ch <= 'z')
					sw.wire[k] = (uint8_t)(ch - 32);
				else if (ch >= 'A' && ch <= 'Z')
					sw.wire[k] = (uint8_t)(ch + 32);
			}
			assert_true(cache_get(c, &sw, DNS_T_A, DNS_C_IN, 1, &hit));
			assert_int_equal(hit.n, 1);
			if (v == '@' || v == '[' || v == 0xC1 || v == 0xE1) {
				dns_name other = o; /* one bit apart, not a case */
				other.wire[1 + len / 2] = (uint8_t)(v ^ 0x20);
				assert_false(cache_get(c, &other, DNS_T_A, DNS_C_IN, 1,
				                       &hit));
			}
			assert_int_equal(cache_flush_name(c, &o), 1);
		}
	cache_free(c);
}

/* Lookups of one key repeat (the memo of the last hit): a replaced, expired
 * or flushed entry is never handed out again. */
static void test_repeat_lookup_after_change(void **state)
{
	(void)state;
	cache_t *c = mk(0, 0);
	dns_name o = name("www.example.com.");
	dns_rr a1[1] = { rr("www.example.com.", DNS_T_A, 300, ip1, 4) };
	dns_rr a2[1] = { rr("www.example.com.", DNS_T_A, 30, ip2, 4) };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
		.type = DNS_T_A, .rclass = DNS_C_IN, .rrs = a1, .n = 1,
		.rank = RANK_ANSWER };
	struct cache_hit hit;
	dns_rr got;
	assert_int_equal(cache_put(c, &p, 0), 0);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 1, &hit));
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 2, &hit));
	assert_int_equal(hit.ttl_left, 298);
	assert_false(cache_get(c, &o, DNS_T_AAAA, DNS_C_IN, 2, &hit));
	p.rrs = a2; /* replaced */
	assert_int_equal(cache_put(c, &p, 2), 0);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 3, &hit));
	assert_int_equal(cache_hit_rr(&hit, 0, &got), 0);
	assert_memory_equal(got.rdata, ip2, 4);
	assert_int_equal(hit.ttl_left, 29);
	assert_false(cache_get(c, &o, DNS_T_A, DNS_C_IN, 40, &hit)); /* expired */
	assert_false(cache_get(c, &o, DNS_T_A, DNS_C_IN, 3, &hit));  /* and gone */
	assert_int_equal(cache_put(c, &p, 100), 0);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 101, &hit));
	assert_int_equal(cache_flush_name(c, &o), 1);
	assert_false(cache_get(c, &o, DNS_T_A, DNS_C_IN, 101, &hit));
	assert_int_equal(cache_put(c, &p, 100), 0);
	assert_true(cache_get(c, &o, DNS_T_A, DNS_C_IN, 101, &hit));
	cache_flush_all(c);
	assert_false(cache_get(c, &o, DNS_T_A, DNS_C_IN, 101, &hit));
	cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_rrset_with_sigs),
		cmocka_unit_test(test_reject_mixed_rrset),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_rank_and_bogus),
		cmocka_unit_test(test_ttl_clamp),
		cmocka_unit_test(test_ttl_zero),
		cmocka_unit_test(test_lru_budget),
		cmocka_unit_test(test_flush_and_walk),
		cmocka_unit_test(test_many_entries_grow),
		cmocka_unit_test(test_case_fold_every_octet),
		cmocka_unit_test(test_repeat_lookup_after_change),
	};
	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
