/* ward DNSSEC: a DNSKEY RRset authenticated by its parent's DS RRset
 * (RFC 4035 §5.2; algorithm rules of RFC 6840 §5.11; digest preference of
 * RFC 4509 §3), with the DS-side KeyTrap caps of dnssec_limits.h. */
#include "dnssec.h"
#include "dnssec_int.h"

/* Preference among supported digests: the strongest present is the only
 * one used (RFC 4509 §3: ignore SHA-1 when SHA-256 is there). */
static int digest_rank(uint8_t t)
{
	switch (t) {
	case DNSSEC_DIGEST_SHA1: return 1;
	case DNSSEC_DIGEST_SHA256: return 2;
	case DNSSEC_DIGEST_SHA384: return 3;
	default: return 0;
	}
}

enum dnssec_status dnssec_dnskey_verify_ds(const dns_rr *keys, size_t nkeys,
                                           const dns_rr *sigs, size_t nsigs,
                                           const dns_rr *ds, size_t nds,
                                           const dnssec_env *env,
                                           dnssec_verdict *v)
{
	dnssec_verdict_init(v);
	const dns_rr *about = nkeys ? &keys[0] : nds ? &ds[0] : NULL;

	/* which digest type to use; and if none, why the zone is insecure */
	int best = 0;
	bool alg_ok_digest_bad = false, any_ds = false;
	for (size_t i = 0; i < nds; i++) {
		dnssec_ds d;
		if (ds[i].type != DNS_T_DS ||
		    dnssec_ds_parse(ds[i].rdata, ds[i].rdlen, &d) < 0)
			continue;
		any_ds = true;
		if (!dnssec_alg_supported(d.algorithm))
			continue;
		if (!dnssec_digest_supported(d.digest_type))
			alg_ok_digest_bad = true;
		else if (digest_rank(d.digest_type) > best)
			best = digest_rank(d.digest_type);
	}
	if (!any_ds) {
		dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_MALFORMED, about, NULL,
		                   env->now, "no usable DS record");
		return v->status;
	}
	if (best == 0) {
		dnssec_verdict_set(v, DNSSEC_INSECURE,
		                   alg_ok_digest_bad ? DNSSEC_R_UNSUPPORTED_DIGEST
		                                     : DNSSEC_R_UNSUPPORTED_ALG,
		                   about, NULL, env->now,
		                   "no DS with a supported algorithm and digest");
		return v->status;
	}

	enum dnssec_reason why = DNSSEC_R_DS_NO_MATCH;
	dnssec_verdict last;
	bool have_last = false, revoked = false;
	unsigned digests = 0, failures = 0;
	for (size_t i = 0; i < nds; i++) {
		dnssec_ds d;
		if (ds[i].type != DNS_T_DS ||
		    dnssec_ds_parse(ds[i].rdata, ds[i].rdlen, &d) < 0 ||
		    !dnssec_alg_supported(d.algorithm) ||
		    digest_rank(d.digest_type) != best)
			continue;
		for (size_t k = 0; k < nkeys; k++) {
			const dns_rr *kr = &keys[k];
			dnssec_dnskey pk;
			if (kr->type != DNS_T_DNSKEY ||
			    dnssec_dnskey_parse(kr->rdata, kr->rdlen, &pk) < 0 ||
			    pk.algorithm != d.algorithm || pk.tag != d.key_tag ||
			    !dns_name_equal(&kr->owner, &ds[i].owner))
				continue;
			if (++digests > DNSSEC_MAX_DS_DIGESTS) {
				dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_LIMIT,
				                   about, NULL, env->now,
				                   "too many DS digests");
				return v->status;
			}
			if (dnssec_ds_match(&kr->owner, &d, kr->rdata, kr->rdlen) !=
			    DNSSEC_DS_MATCH)
				continue;
			/* RFC 5011 2.1: a revoked key validates nothing but its
			 * own revocation: it is no secure entry point */
			if (pk.flags & DNSKEY_F_REVOKE) {
				revoked = true;
				continue;
			}
			/* this key is vouched for: does it sign the key set? */
			if (dnssec_rrset_verify(keys, nkeys, sigs, nsigs, kr, 1, env,
			                        v) == DNSSEC_SECURE)
				return v->status;
			if (v->reason == DNSSEC_R_LIMIT)
				return v->status; /* the budget ran out */
			last = *v;
			have_last = true;
			if (++failures >= DNSSEC_MAX_DS_MATCH_FAILURES) {
				why = DNSSEC_R_LIMIT;
				goto bogus;
			}
		}
	}
bogus:
	if (have_last && why != DNSSEC_R_LIMIT) {
		*v = last; /* the matched key's own failure says most */
		return v->status;
	}
	dnssec_verdict_set(v, DNSSEC_BOGUS, why, about, NULL, env->now,
	                   why == DNSSEC_R_LIMIT ? "too many DS match failures"
	                   : revoked ? "the DS names only a revoked key (RFC 5011)"
	                             : NULL);
	return v->status;
}
