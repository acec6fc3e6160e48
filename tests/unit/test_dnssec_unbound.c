/* Unit tests: resolver/dnssec/ against Unbound's test data, read at test
 * time from $WARD_TESTDATA (default ../shared/testdata; skipped when
 * absent):
 *  - codec/unbound/test_sigs.*, test_signatures.*: the first entry's DNSKEY
 *    RRset verifies every RRset of the later entries at the date Unbound's
 *    testcode/unitverify.c uses; an RRset is expected bogus when it has no
 *    RRSIG or its owner or the query name starts with "bogus" (Unbound's
 *    rule), secure otherwise;
 *  - codec/unbound/test_ds.*: each entry's DS matches its DNSKEY when the
 *    query name is "yes.", not when it is "no.";
 *  - rpl/unbound/val_*.rpl: every signed RRset in the scenarios' canned
 *    answers (signed with DSA and RSASHA1 keys) checked against the
 *    scenario's DNSKEYs at its val-override-date, and the DNSKEY RRset of
 *    each DS trust anchor checked against the anchor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "codec/error.h"
#include "codec/rr.h"
#include "replay/rpl.h"
#include "resolver/dnssec/dnssec.h"

#define MAXSET 512

static char testdata[4096];

static bool have_testdata(void)
{
	const char *td = getenv("WARD_TESTDATA");
	snprintf(testdata, sizeof testdata, "%s", td ? td : "../shared/testdata");
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/codec/unbound/test_ds.sha1", testdata);
	FILE *f = fopen(probe, "r");
	if (!f) {
		print_message("skip: %s is absent (set WARD_TESTDATA)\n", probe);
		return false;
	}
	fclose(f);
	return true;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* A file of bare ENTRY_BEGIN..ENTRY_END blocks (Unbound's testpkts data
 * files) loaded as a scenario with one range holding them all. */
static rpl_scenario *load_entries(const char *path)
{
	size_t n;
	char *body = slurp(path, &n);
	static const char head[] =
	    "server:\nCONFIG_END\nSCENARIO_BEGIN entries\nRANGE_BEGIN 0 100\n";
	static const char tail[] = "\nRANGE_END\nSCENARIO_END\n";
	size_t len = strlen(head) + n + strlen(tail);
	char *text = malloc(len + 1);
	assert_non_null(text);
	memcpy(text, head, strlen(head));
	memcpy(text + strlen(head), body, n);
	memcpy(text + strlen(head) + n, tail, strlen(tail) + 1);
	free(body);
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer_dialect(text, len, path,
	                                          RPL_DIALECT_TESTBOUND, &err);
	free(text);
	if (!s)
		fail_msg("%s", err.msg);
	assert_int_equal(s->nranges, 1);
	return s;
}

static int64_t when(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	assert_int_equal(sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
	                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static bool starts_bogus(const dns_name *n)
{
	return n->len > 6 && memcmp(n->wire + 1, "bogus", 5) == 0;
}

/* The records of one section as RRsets (owner, type, class), RRSIGs
 * apart, in first-appearance order. */
typedef struct rrsets {
	dns_rr rrs[MAXSET];      /* grouped: set i is rrs[start[i]..+len[i]] */
	size_t start[MAXSET], len[MAXSET], nsets, nrrs;
	dns_rr sigs[MAXSET];
	size_t nsigs;
} rrsets;

static void group(const rpl_rr *in, size_t n, rrsets *g)
{
	g->nsets = g->nrrs = g->nsigs = 0;
	bool used[MAXSET] = { false };
	assert_true(n <= MAXSET);
	for (size_t i = 0; i < n; i++) {
		const dns_rr *r = &in[i].rr;
		if (r->type == DNS_T_RRSIG) {
			g->sigs[g->nsigs++] = *r;
			continue;
		}
		if (used[i])
			continue;
		g->start[g->nsets] = g->nrrs;
		for (size_t j = i; j < n; j++) {
			const dns_rr *o = &in[j].rr;
			if (!used[j] && o->type == r->type && o->rclass == r->rclass &&
			    dns_name_equal(&o->owner, &r->owner)) {
				used[j] = true;
				g->rrs[g->nrrs++] = *o;
			}
		}
		g->len[g->nsets] = g->nrrs - g->start[g->nsets];
		g->nsets++;
	}
}

static bool has_cover(const rrsets *g, size_t set)
{
	const dns_rr *r = &g->rrs[g->start[set]];
	for (size_t i = 0; i < g->nsigs; i++)
		if (g->sigs[i].rdlen >= 2 &&
		    (g->sigs[i].rdata[0] << 8 | g->sigs[i].rdata[1]) == r->type &&
		    dns_name_equal(&g->sigs[i].owner, &r->owner))
			return true;
	return false;
}

/* ---- codec/unbound/test_sigs.*, test_signatures.* ---- */

struct sigfile {
	const char *name;
	const char *date;
};

/* files and dates of Unbound's testcode/unitverify.c (GOST skipped: not
 * supported, RFC 8624 §3.1 MUST NOT) */
static const struct sigfile sigfiles[] = {
	{ "test_signatures.1", "20070818005004" },
	{ "test_signatures.2", "20080414005004" },
	{ "test_signatures.3", "20080416005004" },
	{ "test_signatures.4", "20080416005004" },
	{ "test_signatures.5", "20080416005004" },
	{ "test_signatures.6", "20080416005004" },
	{ "test_signatures.7", "20070829144150" },
	{ "test_signatures.8", "20070829144150" },
	{ "test_sigs.rsasha256", "20070829144150" },
	{ "test_sigs.sha1_and_256", "20070829144150" },
	{ "test_sigs.rsasha256_draft", "20090101000000" },
	{ "test_sigs.rsasha512_draft", "20070829144150" },
	{ "test_signatures.9", "20171215000000" },
	{ "test_sigs.hinfo", "20090107100022" },
	{ "test_sigs.revoked", "20080414005004" },
	{ "test_sigs.ecdsa_p256", "20100908100439" },
	{ "test_sigs.ecdsa_p384", "20100908100439" },
	{ "test_sigs.ed25519", "20170530140439" },
	{ "test_sigs.ed448", "20180408143630" },
};

static void verify_file(const struct sigfile *sf, unsigned *secure,
                        unsigned *bogus)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/codec/unbound/%s", testdata, sf->name);
	rpl_scenario *s = load_entries(path);
	const rpl_range *rg = &s->ranges[0];
	assert_true(rg->nentries >= 2);
	rrsets *keys = calloc(1, sizeof *keys), *g = calloc(1, sizeof *g);
	assert_non_null(keys);
	assert_non_null(g);
	const rpl_packet *kp = &rg->entries[0].pkts[0];
	group(kp->rrs[1], kp->count[1], keys);
	size_t ks = 0;
	while (ks < keys->nsets && keys->rrs[keys->start[ks]].type != DNS_T_DNSKEY)
		ks++;
	assert_true(ks < keys->nsets);
	const dns_rr *key = &keys->rrs[keys->start[ks]];
	size_t nkey = keys->len[ks];

	/* as unitverify.c: every algorithm of the key set is needed */
	uint8_t algs[MAXSET];
	size_t nalgs = 0;
	for (size_t i = 0; i < nkey; i++)
		if (key[i].rdlen >= 4)
			algs[nalgs++] = key[i].rdata[3];
	dnssec_env env = { .now = when(sf->date), .need_algs = algs,
	                   .n_need_algs = nalgs };
	for (size_t e = 1; e < rg->nentries; e++) {
		const rpl_packet *p = &rg->entries[e].pkts[0];
		bool qbogus = p->count[0] && starts_bogus(&p->rrs[0][0].rr.owner);
		for (int sec = 1; sec < 4; sec++) {
			group(p->rrs[sec], p->count[sec], g);
			for (size_t i = 0; i < g->nsets; i++) {
				const dns_rr *set = &g->rrs[g->start[i]];
				bool want_bogus = qbogus || !has_cover(g, i) ||
				                  starts_bogus(&set->owner);
				dnssec_verdict v;
				enum dnssec_status st = dnssec_rrset_verify(
				    set, g->len[i], g->sigs, g->nsigs, key, nkey, &env, &v);
				if (want_bogus ? st != DNSSEC_BOGUS : st != DNSSEC_SECURE)
					fail_msg("%s line %u: expected %s, got %s: %s",
					         sf->name, rg->entries[e].line,
					         want_bogus ? "bogus" : "secure",
					         dnssec_status_str(st), v.text);
				if (want_bogus)
					(*bogus)++;
				else
					(*secure)++;
			}
		}
	}
	free(keys);
	free(g);
	rpl_free(s);
}

static void test_unbound_signatures(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	unsigned secure = 0, bogus = 0;
	for (size_t i = 0; i < sizeof sigfiles / sizeof sigfiles[0]; i++) {
		unsigned s0 = secure, b0 = bogus;
		verify_file(&sigfiles[i], &secure, &bogus);
		print_message("  %-26s %u secure, %u bogus as expected\n",
		              sigfiles[i].name, secure - s0, bogus - b0);
	}
	/* every file has something to verify */
	assert_true(secure > 60);
	assert_true(bogus > 10);
}

/* ---- codec/unbound/test_ds.* ---- */

static void ds_file(const char *name, unsigned *yes, unsigned *no)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/codec/unbound/%s", testdata, name);
	rpl_scenario *s = load_entries(path);
	const rpl_range *rg = &s->ranges[0];
	for (size_t e = 0; e < rg->nentries; e++) {
		const rpl_packet *p = &rg->entries[e].pkts[0];
		const dns_rr *ds = NULL, *key = NULL;
		for (size_t i = 0; i < p->count[1]; i++) {
			if (p->rrs[1][i].rr.type == DNS_T_DS)
				ds = &p->rrs[1][i].rr;
			if (p->rrs[1][i].rr.type == DNS_T_DNSKEY)
				key = &p->rrs[1][i].rr;
		}
		assert_non_null(ds);
		assert_non_null(key);
		char q[DNS_NAME_TEXT_MAX];
		dns_name_str(&p->rrs[0][0].rr.owner, q);
		dnssec_ds d;
		assert_int_equal(dnssec_ds_parse(ds->rdata, ds->rdlen, &d), 0);
		enum dnssec_ds_match m =
		    dnssec_ds_match(&key->owner, &d, key->rdata, key->rdlen);
		if (strcmp(q, "yes.") == 0) {
			if (m != DNSSEC_DS_MATCH)
				fail_msg("%s line %u: DS should match", name,
				         rg->entries[e].line);
			(*yes)++;
		} else {
			assert_string_equal(q, "no.");
			if (m == DNSSEC_DS_MATCH)
				fail_msg("%s line %u: DS should not match", name,
				         rg->entries[e].line);
			(*no)++;
		}
	}
	rpl_free(s);
}

static void test_unbound_ds(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	unsigned yes = 0, no = 0;
	ds_file("test_ds.sha1", &yes, &no);
	ds_file("test_ds.sha384", &yes, &no);
	print_message("  %u DS matches, %u mismatches as expected\n", yes, no);
	assert_true(yes >= 3);
	assert_true(no >= 1);
}

/* ---- rpl/unbound/val_*.rpl ---- */

/* Scenarios whose canned answers are all correctly signed. */
static const char *const clean_scenarios[] = {
	"val_positive.rpl", "val_secds.rpl", "val_nx.rpl", "val_nodata.rpl",
	"val_cnametopos.rpl", "val_positive_wc.rpl", "val_referd.rpl",
	"val_any.rpl", "val_dnametopos.rpl", "val_wild_pos.rpl",
};
/* Scenarios that serve deliberately broken signatures. */
static const char *const broken_scenarios[] = {
	"val_nodata_failsig.rpl",
};

typedef struct keypool {
	dns_rr rrs[MAXSET];
	size_t n;
} keypool;

static void collect_keys(const rpl_packet *p, keypool *kp)
{
	for (int sec = 1; sec < 4; sec++)
		for (size_t i = 0; i < p->count[sec]; i++) {
			const dns_rr *r = &p->rrs[sec][i].rr;
			if (r->type != DNS_T_DNSKEY)
				continue;
			bool dup = false;
			for (size_t k = 0; k < kp->n && !dup; k++)
				dup = kp->rrs[k].rdlen == r->rdlen &&
				      dns_name_equal(&kp->rrs[k].owner, &r->owner) &&
				      memcmp(kp->rrs[k].rdata, r->rdata, r->rdlen) == 0;
			if (!dup && kp->n < MAXSET)
				kp->rrs[kp->n++] = *r;
		}
}

struct tally {
	unsigned secure, bogus, anchors;
	char first_bogus[DNSSEC_TEXT_MAX + 64];
};

static void check_packet(const rpl_packet *p, const keypool *kp,
                         const dnssec_env *env, rrsets *g, struct tally *t)
{
	for (int sec = 1; sec < 4; sec++) {
		group(p->rrs[sec], p->count[sec], g);
		for (size_t i = 0; i < g->nsets; i++) {
			if (!has_cover(g, i))
				continue;
			dnssec_verdict v;
			if (dnssec_rrset_verify(&g->rrs[g->start[i]], g->len[i], g->sigs,
			                        g->nsigs, kp->rrs, kp->n, env,
			                        &v) == DNSSEC_SECURE) {
				t->secure++;
			} else {
				if (!t->bogus)
					snprintf(t->first_bogus, sizeof t->first_bogus,
					         "line %u: %s", p->line, v.text);
				t->bogus++;
			}
		}
	}
}

static void for_each_packet(const rpl_scenario *s,
                            void (*fn)(const rpl_packet *, void *), void *ctx)
{
	for (size_t r = 0; r < s->nranges; r++)
		for (size_t e = 0; e < s->ranges[r].nentries; e++)
			for (size_t k = 0; k < s->ranges[r].entries[e].npkts; k++)
				fn(&s->ranges[r].entries[e].pkts[k], ctx);
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].entry)
			for (size_t k = 0; k < s->steps[i].entry->npkts; k++)
				fn(&s->steps[i].entry->pkts[k], ctx);
}

struct scen_ctx {
	keypool *kp;
	rrsets *g;
	dnssec_env env;
	struct tally t;
	const rpl_scenario *s;
};

static void keys_cb(const rpl_packet *p, void *ctx)
{
	collect_keys(p, ((struct scen_ctx *)ctx)->kp);
}

static void check_cb(const rpl_packet *p, void *ctx)
{
	struct scen_ctx *c = ctx;
	check_packet(p, c->kp, &c->env, c->g, &c->t);
}

/* The DNSKEY RRset at a DS anchor's owner, with its RRSIGs, from the
 * first packet that has both. */
static void anchor_cb(const rpl_packet *p, void *ctx)
{
	struct scen_ctx *c = ctx;
	for (size_t a = 0; a < c->s->config.nanchors; a++) {
		const dns_rr *ds = &c->s->config.anchors[a].rr;
		if (ds->type != DNS_T_DS)
			continue;
		for (int sec = 1; sec < 4; sec++) {
			group(p->rrs[sec], p->count[sec], c->g);
			for (size_t i = 0; i < c->g->nsets; i++) {
				const dns_rr *set = &c->g->rrs[c->g->start[i]];
				if (set->type != DNS_T_DNSKEY ||
				    !dns_name_equal(&set->owner, &ds->owner) ||
				    !has_cover(c->g, i))
					continue;
				dnssec_verdict v;
				if (dnssec_dnskey_verify_ds(set, c->g->len[i], c->g->sigs,
				                            c->g->nsigs, ds, 1, &c->env,
				                            &v) != DNSSEC_SECURE)
					fail_msg("%s line %u: anchor does not validate "
					         "the DNSKEY RRset: %s",
					         c->s->name, p->line, v.text);
				c->t.anchors++;
			}
		}
	}
}

static struct tally run_scenario(const char *file)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/rpl/unbound/%s", testdata, file);
	rpl_error err;
	rpl_scenario *s = rpl_load_file(path, &err);
	if (!s)
		fail_msg("%s", err.msg);
	assert_true(s->config.have_date);
	struct scen_ctx c = { .kp = calloc(1, sizeof(keypool)),
	                      .g = calloc(1, sizeof(rrsets)),
	                      .env = { .now = s->config.date },
	                      .s = s };
	assert_non_null(c.kp);
	assert_non_null(c.g);
	for_each_packet(s, keys_cb, &c);
	for_each_packet(s, check_cb, &c);
	for_each_packet(s, anchor_cb, &c);
	free(c.kp);
	free(c.g);
	rpl_free(s);
	return c.t;
}

static void test_unbound_scenarios(void **state)
{
	(void)state;
	if (!have_testdata())
		skip();
	unsigned secure = 0, anchors = 0;
	for (size_t i = 0; i < sizeof clean_scenarios / sizeof clean_scenarios[0];
	     i++) {
		struct tally t = run_scenario(clean_scenarios[i]);
		print_message("  %-24s %u secure RRsets, %u anchor checks\n",
		              clean_scenarios[i], t.secure, t.anchors);
		if (t.bogus)
			fail_msg("%s: %u bogus, first %s", clean_scenarios[i], t.bogus,
			         t.first_bogus);
		assert_true(t.secure > 0);
		secure += t.secure;
		anchors += t.anchors;
	}
	assert_true(anchors > 0);
	for (size_t i = 0;
	     i < sizeof broken_scenarios / sizeof broken_scenarios[0]; i++) {
		struct tally t = run_scenario(broken_scenarios[i]);
		print_message("  %-24s %u secure, %u bogus (%s)\n",
		              broken_scenarios[i], t.secure, t.bogus, t.first_bogus);
		assert_true(t.bogus > 0);
	}
	print_message("  %u RRsets secure in clean scenarios\n", secure);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbound_signatures),
		cmocka_unit_test(test_unbound_ds),
		cmocka_unit_test(test_unbound_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
