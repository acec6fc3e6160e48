/* Unit tests: the NSEC / NSEC3 proofs against Unbound's verdicts on its
 * validator scenarios (../shared/testdata/rpl/unbound/val_*.rpl).
 *
 * For each scenario listed below, whose outcome is decided by the denial
 * proof of one response, the test finds the simulated server's response
 * to the client's question that carries NSEC/NSEC3 records, takes those
 * records and their signer, runs the proof the response calls for and
 * compares the verdict with the scenario's CHECK_ANSWER: AD -> secure,
 * SERVFAIL -> bogus, otherwise insecure. For a referral without DS the
 * delegation proof's secure (provably unsigned) and insecure (opt-out)
 * both mean an insecure answer. Signatures are not checked here (the
 * scenarios whose outcome depends on them are not listed). The data is
 * under WARD_TESTDATA (default ../shared/testdata); skips when absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "codec/msg.h"
#include "replay/rpl.h"
#include "resolver/dnssec/denial.h"

static char rpl_dir[512];

static const char *const scenarios[] = {
	"val_nsec3_b1_nameerror", "val_nsec3_b1_nameerror_noce",
	"val_nsec3_b1_nameerror_nonc", "val_nsec3_b1_nameerror_nowc",
	"val_nsec3_b21_nodataent", "val_nsec3_b21_nodataent_wr",
	"val_nsec3_b2_nodata", "val_nsec3_b3_optout",
	"val_nsec3_b3_optout_noce", "val_nsec3_b3_optout_nonc",
	"val_nsec3_b4_wild", "val_nsec3_b4_wild_wr", "val_nsec3_b5_wcnodata",
	"val_nsec3_b5_wcnodata_noce", "val_nsec3_b5_wcnodata_nonc",
	"val_nsec3_b5_wcnodata_nowc", "val_nsec3_entnodata_optout",
	"val_nsec3_entnodata_optout_badopt", "val_nsec3_entnodata_optout_match",
	"val_nsec3_iter_high", "val_nsec3_nods", "val_nsec3_nods_badopt",
	"val_nsec3_nods_soa", "val_nsec3_optout_ad", "val_nx_nsec3_params",
	"val_nx", "val_nx_nodeny", "val_nx_nowc", "val_nx_overreach",
	"val_nodata", "val_nodata_ent", "val_nodata_entwc",
	"val_nodata_hasdata", "val_nodata_zonecut", "val_nodatawc",
	"val_nodatawc_badce", "val_nodatawc_nodeny", "val_nodatawc_one",
	/* the same proofs met again through the negative cache, a DS query
	 * or a trust anchor below the root */
	"val_anchor_nx", "val_dsnsec", "val_negcache_ds",
	"val_negcache_ds_nsec3", "val_negcache_dssoa", "val_negcache_nodata",
	"val_negcache_nxdomain", "val_nsec3_b3_optout_negcache",
	"val_nsec3_nods_negcache", "val_nsec3_optout_cache", "val_nsec3_wcany",
	"val_nsec3_cname_par", "val_nsec3_cname_sub", "val_positive_wc",
	"val_unsecds", "val_unsecds_negcache", "val_unsecds_qtypeds",
};

enum expect { EXP_SECURE, EXP_INSECURE, EXP_BOGUS };

/* The signer name of an RRSIG's rdata (after 18 fixed octets). */
static bool rrsig_signer(const dns_rr *rr, dns_name *out)
{
	return rr->rdlen > 18 &&
	       dns_name_check(rr->rdata + 18, rr->rdlen - 18u) > 0 &&
	       dns_name_from_wire(out, rr->rdata + 18, rr->rdlen - 18u) == 0;
}

static bool has_denial(const rpl_packet *p)
{
	for (size_t i = 0; i < p->count[DNS_SEC_AUTHORITY]; i++) {
		uint16_t t = p->rrs[DNS_SEC_AUTHORITY][i].rr.type;
		if (t == DNS_T_NSEC || t == DNS_T_NSEC3)
			return true;
	}
	return false;
}

/* The response to (qname, qtype) carrying NSEC/NSEC3: an entry for exactly
 * that question, else one that answers a whole subtree (MATCH subdomain,
 * a referral) above qname. */
static const rpl_packet *find_response(const rpl_scenario *s,
                                       const dns_name *qname, uint16_t qtype)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < s->nranges; r++)
			for (size_t e = 0; e < s->ranges[r].nentries; e++) {
				const rpl_entry *en = &s->ranges[r].entries[e];
				const rpl_packet *p = &en->pkts[0];
				if (p->count[DNS_SEC_QUESTION] != 1 || !has_denial(p))
					continue;
				const dns_rr *q = &p->rrs[DNS_SEC_QUESTION][0].rr;
				if (pass == 0 && q->type == qtype &&
				    dns_name_equal(&q->owner, qname))
					return p;
				if (pass == 1 && (en->match & RPL_M_SUBDOMAIN) &&
				    dns_name_is_subdomain(qname, &q->owner))
					return p;
			}
	return NULL;
}

/* Run the proof for one scenario; returns true when it agrees. */
static bool run(const char *name, char *line, size_t cap)
{
	char path[768];
	snprintf(path, sizeof path, "%s/%s.rpl", rpl_dir, name);
	rpl_error err;
	rpl_scenario *s = rpl_load_file(path, &err);
	if (!s) {
		snprintf(line, cap, "%s: load failed: %s", name, err.msg);
		return false;
	}
	const rpl_step *query = NULL, *check = NULL;
	size_t it = 0;
	for (const rpl_step *st; (st = rpl_step_next(s, &it)) != NULL;) {
		if (st->type == RPL_STEP_QUERY && !query)
			query = st;
		if (st->type == RPL_STEP_CHECK_ANSWER && !check)
			check = st;
	}
	assert_non_null(query);
	assert_non_null(check);
	const dns_rr *q = &query->entry->pkts[0].rrs[DNS_SEC_QUESTION][0].rr;
	const rpl_packet *want = &check->entry->pkts[0];
	enum expect exp = want->rcode == DNS_RCODE_SERVFAIL ? EXP_BOGUS
	                  : (want->flags & DNS_FLAG_AD)     ? EXP_SECURE
	                                                    : EXP_INSECURE;
	const rpl_packet *p = find_response(s, &q->owner, q->type);
	if (!p) {
		snprintf(line, cap, "%s: no response with NSEC/NSEC3", name);
		rpl_free(s);
		return false;
	}

	dns_rr rrs[64];
	size_t n = 0;
	dns_name zone, cut;
	bool have_zone = false, have_cut = false, have_soa = false;
	for (size_t i = 0; i < p->count[DNS_SEC_AUTHORITY] && n < 64; i++) {
		const dns_rr *rr = &p->rrs[DNS_SEC_AUTHORITY][i].rr;
		if (rr->type == DNS_T_NSEC || rr->type == DNS_T_NSEC3)
			rrs[n++] = *rr;
		if (rr->type == DNS_T_RRSIG && !have_zone && rr->rdlen >= 2 &&
		    ((rr->rdata[0] << 8 | rr->rdata[1]) == DNS_T_NSEC ||
		     (rr->rdata[0] << 8 | rr->rdata[1]) == DNS_T_NSEC3))
			have_zone = rrsig_signer(rr, &zone);
		if (rr->type == DNS_T_NS && !have_cut) {
			cut = rr->owner;
			have_cut = true;
		}
		if (rr->type == DNS_T_SOA)
			have_soa = true;
	}
	unsigned wild_labels = 0;
	for (size_t i = 0; i < p->count[DNS_SEC_ANSWER]; i++) {
		const dns_rr *rr = &p->rrs[DNS_SEC_ANSWER][i].rr;
		if (rr->type == DNS_T_RRSIG && rr->rdlen > 3 &&
		    dns_name_equal(&rr->owner, &q->owner) &&
		    rr->rdata[3] < dns_name_labels(&q->owner))
			wild_labels = rr->rdata[3] ? rr->rdata[3] : 0xffff;
	}
	assert_true(have_zone);

	nsec3_ctx ctx;
	nsec3_ctx_init(&ctx);
	/* older Unbound: limits by key size ("1024 100 2048 200 ..."); the
	 * scenarios' keys are the smallest, so the first limit applies */
	const char *ki = rpl_config_get(&s->config, "val-nsec3-keysize-iterations");
	unsigned keybits, limit;
	if (ki && sscanf(ki, "%u %u", &keybits, &limit) == 2)
		ctx.max_iterations = limit;
	denial_result res;
	bool nsec3 = rrs[0].type == DNS_T_NSEC3;
	const char *proof;
	enum denial_verdict v;
	bool referral = have_cut && !have_soa && p->count[DNS_SEC_ANSWER] == 0;
	denial_query dq = { &q->owner, q->type, &zone };
	if (referral) {
		proof = "delegation";
		dq.qname = &cut;
		dq.qtype = DNS_T_DS;
		v = nsec3 ? nsec3_prove_insecure_delegation(&dq, rrs, n, &ctx, &res)
		          : nsec_prove_insecure_delegation(&dq, rrs, n, &res);
		/* provably unsigned or opt-out: the answer is insecure */
		if (v == DENIAL_SECURE)
			v = DENIAL_INSECURE;
	} else if (p->count[DNS_SEC_ANSWER] > 0) {
		proof = "wildcard";
		v = nsec3 ? nsec3_prove_wildcard(&dq, wild_labels, rrs, n, &ctx, &res)
		          : nsec_prove_wildcard(&dq, wild_labels, rrs, n, &res);
	} else if (p->rcode == DNS_RCODE_NXDOMAIN) {
		proof = "nxdomain";
		v = nsec3 ? nsec3_prove_nxdomain(&dq, rrs, n, &ctx, &res)
		          : nsec_prove_nxdomain(&dq, rrs, n, &res);
	} else {
		proof = "nodata";
		v = nsec3 ? nsec3_prove_nodata(&dq, rrs, n, &ctx, &res)
		          : nsec_prove_nodata(&dq, rrs, n, &res);
	}
	static const char *const exp_text[] = { "secure", "insecure", "bogus" };
	bool ok = (int)v == (int)exp;
	snprintf(line, cap, "%-36s %-10s %-5s unbound %-8s ward %-8s %s %s",
	         name, proof, nsec3 ? "NSEC3" : "NSEC", exp_text[exp],
	         denial_verdict_str(v), denial_reason_str(res.reason), res.why);
	rpl_free(s);
	return ok;
}

static void test_unbound_scenarios(void **state)
{
	(void)state;
	const char *td = getenv("WARD_TESTDATA");
	snprintf(rpl_dir, sizeof rpl_dir, "%s/rpl/unbound",
	         td && *td ? td : "../shared/testdata");
	char probe[600];
	snprintf(probe, sizeof probe, "%s/val_nx.rpl", rpl_dir);
	if (access(probe, R_OK) != 0) {
		fprintf(stderr, "skip: %s is absent (set WARD_TESTDATA)\n", rpl_dir);
		skip();
	}
	unsigned bad = 0, total = sizeof scenarios / sizeof scenarios[0];
	for (unsigned i = 0; i < total; i++) {
		char line[1024];
		bool ok = run(scenarios[i], line, sizeof line);
		fprintf(stderr, "%s %s\n", ok ? "  " : "XX", line);
		bad += !ok;
	}
	fprintf(stderr, "%u of %u scenarios agree with unbound\n", total - bad,
	        total);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbound_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
