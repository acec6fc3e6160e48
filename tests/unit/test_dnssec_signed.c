/* Unit test: zones signed by ldns-signzone, one per algorithm ldns
 * supports, made at test time by tests/cli/test_dnssec_signed.sh, which
 * sets $WARD_DNSSEC_SIGNED_DIR to a directory of NAME.signed zone files,
 * each with its keys' DS records in NAME.ds. Skips (with the reason) when
 * the variable is not set, as in a plain `tests/run-all --only unit`.
 *
 * For each zone: the DNSKEY RRset verifies against the DS RRset, every
 * signed RRset verifies against the DNSKEY RRset at the date in
 * $WARD_DNSSEC_SIGNED_NOW, and one flipped rdata bit per RRset, or a date
 * past the expiration, makes it bogus. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/error.h"
#include "codec/rr.h"
#include "codec/zone.h"
#include "resolver/dnssec/dnssec.h"

#define MAXREC 4096

typedef struct zone {
	dns_rr rr[MAXREC];
	uint8_t *data[MAXREC];
	size_t n;
} zone;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void load(zone *z, const char *path)
{
	size_t len;
	char *text = slurp(path, &len);
	zone_parser p;
	zone_parser_init(&p, text, len, NULL, 3600, path);
	uint8_t buf[DNS_RDATA_MAX];
	int r;
	while ((r = zone_parser_next(&p, &z->rr[z->n], buf, sizeof buf)) == 1) {
		assert_true(z->n < MAXREC);
		z->data[z->n] = malloc(z->rr[z->n].rdlen + 1u);
		assert_non_null(z->data[z->n]);
		memcpy(z->data[z->n], buf, z->rr[z->n].rdlen);
		z->rr[z->n].rdata = z->data[z->n];
		z->n++;
	}
	if (r < 0)
		fail_msg("%s", p.errmsg);
	zone_parser_free(&p);
	free(text);
}

static void zone_free(zone *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->data[i]);
	z->n = 0;
}

/* The records of (owner, type) into out; returns the count. */
static size_t rrset_of(const zone *z, const dns_name *owner, uint16_t type,
                       dns_rr *out)
{
	size_t n = 0;
	for (size_t i = 0; i < z->n; i++)
		if (z->rr[i].type == type && dns_name_equal(&z->rr[i].owner, owner))
			out[n++] = z->rr[i];
	return n;
}

struct counts {
	unsigned sets, tampered;
};

static void check_zone(const char *dir, const char *name, int64_t now,
                       struct counts *c)
{
	char path[4096];
	zone *z = calloc(1, sizeof *z), *dsz = calloc(1, sizeof *dsz);
	dns_rr *set = calloc(MAXREC, sizeof *set);
	dns_rr *sigs = calloc(MAXREC, sizeof *sigs);
	dns_rr *keys = calloc(64, sizeof *keys);
	assert_true(z && dsz && set && sigs && keys);
	snprintf(path, sizeof path, "%s/%s.signed", dir, name);
	load(z, path);
	snprintf(path, sizeof path, "%s/%s.ds", dir, name);
	load(dsz, path);
	assert_true(dsz->n > 0);
	const dns_name *apex = &dsz->rr[0].owner;
	dnssec_keycache *cache = dnssec_keycache_new(64);
	assert_non_null(cache);
	dnssec_env env = { .now = now, .keycache = cache };
	dnssec_verdict v;

	size_t nkeys = rrset_of(z, apex, DNS_T_DNSKEY, keys);
	size_t nks = rrset_of(z, apex, DNS_T_RRSIG, sigs);
	assert_true(nkeys > 0);
	if (dnssec_dnskey_verify_ds(keys, nkeys, sigs, nks, dsz->rr, dsz->n, &env,
	                            &v) != DNSSEC_SECURE)
		fail_msg("%s: DNSKEY RRset by DS: %s", name, v.text);

	unsigned sets = 0;
	for (size_t i = 0; i < z->n; i++) {
		const dns_rr *r = &z->rr[i];
		if (r->type == DNS_T_RRSIG)
			continue;
		bool first = true; /* each RRset once: at its first record */
		for (size_t j = 0; j < i && first; j++)
			first = !(z->rr[j].type == r->type &&
			          dns_name_equal(&z->rr[j].owner, &r->owner));
		if (!first)
			continue;
		size_t n = rrset_of(z, &r->owner, r->type, set);
		size_t ns = rrset_of(z, &r->owner, DNS_T_RRSIG, sigs);
		bool signed_here = false;
		for (size_t k = 0; k < ns; k++)
			signed_here |= (sigs[k].rdata[0] << 8 | sigs[k].rdata[1]) ==
			               r->type;
		if (!signed_here)
			continue; /* glue, delegation NS */
		if (dnssec_rrset_verify(set, n, sigs, ns, keys, nkeys, &env, &v) !=
		    DNSSEC_SECURE)
			fail_msg("%s: %s", name, v.text);
		sets++;
		/* one flipped bit in the last record's rdata */
		uint8_t copy[DNS_RDATA_MAX];
		if (set[n - 1].rdlen > 0) {
			memcpy(copy, set[n - 1].rdata, set[n - 1].rdlen);
			copy[set[n - 1].rdlen - 1] ^= 0x04;
			set[n - 1].rdata = copy;
			if (dnssec_rrset_verify(set, n, sigs, ns, keys, nkeys, &env,
			                        &v) != DNSSEC_BOGUS)
				fail_msg("%s: tampered RRset verified", name);
			c->tampered++;
		}
	}
	/* a year after the expiration nothing verifies */
	env.now = now + 40LL * 365 * 86400;
	size_t n = rrset_of(z, apex, DNS_T_SOA, set);
	size_t ns = rrset_of(z, apex, DNS_T_RRSIG, sigs);
	assert_int_equal(dnssec_rrset_verify(set, n, sigs, ns, keys, nkeys, &env,
	                                     &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_EXPIRED);
	uint64_t hits, misses;
	dnssec_keycache_stats(cache, &hits, &misses);
	dnssec_keycache_free(cache);
	print_message("  %-28s %u RRsets secure (keys built %u times)\n", name,
	              sets, (unsigned)misses);
	assert_true(hits > misses); /* the ZSK is built once, used often */
	assert_true(sets >= 3);
	c->sets += sets;
	zone_free(z);
	zone_free(dsz);
	free(z);
	free(dsz);
	free(set);
	free(sigs);
	free(keys);
}

static void test_signed_zones(void **state)
{
	(void)state;
	const char *dir = getenv("WARD_DNSSEC_SIGNED_DIR");
	const char *nows = getenv("WARD_DNSSEC_SIGNED_NOW");
	if (!dir || !nows) {
		print_message("skip: WARD_DNSSEC_SIGNED_DIR / _NOW not set "
		              "(tests/cli/test_dnssec_signed.sh sets them)\n");
		skip();
	}
	int64_t now = strtoll(nows, NULL, 10);
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	struct counts c = { 0, 0 };
	unsigned zones = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 8 || strcmp(e->d_name + l - 7, ".signed") != 0)
			continue;
		char name[256];
		snprintf(name, sizeof name, "%.*s", (int)(l - 7), e->d_name);
		check_zone(dir, name, now, &c);
		zones++;
	}
	closedir(d);
	print_message("  %u zones, %u RRsets secure, %u tampered ones bogus\n",
	              zones, c.sets, c.tampered);
	assert_true(zones > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_zones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
