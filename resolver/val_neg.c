/* ward resolver: validating a negative answer (NXDOMAIN, NODATA, a DS
 * lookup of the chain of trust). Every RRset of the entry (SOA, NSEC,
 * NSEC3) is verified with the signer zone's keys, NSEC/NSEC3 records
 * expanded from a wildcard are left out (RFC 4035 §5.3.4), then the
 * denial is proved by resolver/dnssec/denial.h. */
#include <string.h>

#include "resolver/dnssec/denial.h"
#include "resolver/engine_int.h"

static bool seen_set(const dns_rr *rrs, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (rrs[j].type == rrs[i].type &&
		    dns_name_equal(&rrs[j].owner, &rrs[i].owner))
			return true;
	return false;
}

/* Verify every RRset of recs[]; the NSEC/NSEC3 ones that are fit for a
 * proof go to prf[]. */
static enum vres verify_sets(struct vctx *c, const dns_name *zone,
                             const dns_rr *recs, size_t n,
                             const dns_rr *sigs, size_t ns,
                             const dns_rr *keys, size_t nk, dns_rr *prf,
                             size_t *nprf, uint32_t *ttl)
{
	*nprf = 0;
	for (size_t i = 0; i < n; i++) {
		if (seen_set(recs, i))
			continue;
		dns_rr set[VAL_MAX_SET];
		size_t k = 0;
		for (size_t j = i; j < n && k < VAL_MAX_SET; j++)
			if (recs[j].type == recs[i].type &&
			    dns_name_equal(&recs[j].owner, &recs[i].owner))
				set[k++] = recs[j];
		dnssec_verdict v;
		if (dnssec_rrset_verify(set, k, sigs, ns, keys, nk, &c->env,
		                        &v) != DNSSEC_SECURE)
			return val_bogus(c, v.ede, "%s", v.text);
		if (v.ttl < *ttl)
			*ttl = v.ttl;
		if (!v.wildcard) /* RFC 8198: kept for aggressive use */
			for (size_t j = 0; j < k; j++)
				val_aggr_note(c, zone, &set[j], sigs, ns, v.ttl);
		if (set[0].type != DNS_T_NSEC && set[0].type != DNS_T_NSEC3)
			continue;
		if (v.wildcard)
			continue; /* expanded from a wildcard: proves nothing */
		for (size_t j = 0; j < k && *nprf < VAL_MAX_SET; j++)
			prf[(*nprf)++] = set[j];
	}
	return VR_SECURE;
}

/* A proof that fails because no record covers or matches a name it must
 * deny (the denial module's EDE 12, NSEC Missing: "a covering NSEC or NSEC3
 * was not provided", RFC 8914 §4.13) keeps that code; one that the records
 * contradict (the name or type exists, a delegation) is 6, DNSSEC Bogus.
 * Unbound gives 6 for both. */
static enum vres from_denial(struct vctx *c, const denial_result *d)
{
	if (d->verdict == DENIAL_SECURE)
		return VR_SECURE;
	if (d->verdict == DENIAL_INSECURE) /* EDE 27 or opt-out (none) */
		return val_insecure(c, d->ede, "%s: insecure (RFC 9276 §3.2)",
		                    d->why);
	return val_bogus(c, d->ede ? d->ede : DNSSEC_EDE_BOGUS, "%s", d->why);
}

/* NXDOMAIN for an empty non-terminal: the client gets NOERROR/NODATA,
 * as Unbound answers (val_nodata_entnx). */
static void ent_nodata(struct vctx *c, const dns_name *qname, uint16_t qtype,
                       const dns_rr *recs, size_t n, const dns_rr *sigs,
                       size_t ns, bool secure, uint32_t ttl)
{
	struct cache_put p = { .kind = CACHE_NODATA, .owner = qname,
	                       .type = qtype, .rclass = DNS_C_IN, .rrs = recs,
	                       .n = n, .sigs = sigs, .nsig = ns, .ttl = ttl,
	                       .status = secure ? VAL_SECURE : VAL_INSECURE,
	                       .rank = RANK_AUTH_ANSWER };
	cache_put(c->e->cache, &p, c->now_s);
}

enum vres val_neg_prove(struct vctx *c, const struct cache_hit *h,
                        const dns_name *qname, uint16_t qtype,
                        const dns_name *z, const dns_rr *keys, size_t nkeys,
                        bool ds_walk, bool *nx_proved)
{
	if (nx_proved)
		*nx_proved = false;
	char nb[DNS_NAME_TEXT_MAX], zb[DNS_NAME_TEXT_MAX], tb[16];
	dns_rr recs[VAL_MAX_SET], sigs[VAL_MAX_SET], prf[VAL_MAX_SET];
	size_t ns = 0, nprf = 0;
	size_t n = val_hit_rrs(h, recs, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	for (size_t i = 0; i < n; i++) /* entries kept under a private class */
		recs[i].rclass = DNS_C_IN;
	for (size_t i = 0; i < ns; i++)
		sigs[i].rclass = DNS_C_IN;
	uint32_t ttl = h->ttl_left;
	enum cache_kind kind = h->kind;
	enum vres r = verify_sets(c, z, recs, n, sigs, ns, keys, nkeys, prf, &nprf,
	                          &ttl);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any |= recs[i].type == DNS_T_NSEC || recs[i].type == DNS_T_NSEC3;
	if (r == VR_SECURE && !nprf)
		r = val_bogus(c, any ? DNSSEC_EDE_BOGUS : 12, "%s %s: %s without NSEC or NSEC3 proof "
		              "(zone %s is signed)", dns_name_str(qname, nb),
		              val_type_str(qtype, tb),
		              kind == CACHE_NXDOMAIN ? "NXDOMAIN" : "no data",
		              dns_name_str(z, zb));
	if (r == VR_SECURE) {
		bool n3 = false;
		for (size_t i = 0; i < nprf; i++)
			n3 |= prf[i].type == DNS_T_NSEC3;
		denial_query dq = { .qname = qname, .qtype = qtype, .zone = z };
		denial_result d;
		nsec3_ctx x;
		nsec3_ctx_init(&x);
		x.max_iterations = c->e->val->nsec3_max_iter;
		if (ds_walk && kind == CACHE_NODATA) {
			/* the NSEC(3) at a delegation without DS: unsigned */
			enum denial_verdict dv = n3
				? nsec3_prove_insecure_delegation(&dq, prf, nprf, &x, &d)
				: nsec_prove_insecure_delegation(&dq, prf, nprf, &d);
			if (dv == DENIAL_SECURE)
				r = VR_INSECURE;
			else if (dv == DENIAL_INSECURE)
				r = from_denial(c, &d);
			else if (n3)
				r = from_denial(c, (nsec3_prove_nodata(&dq, prf,
				                nprf, &x, &d), &d));
			else
				r = from_denial(c, (nsec_prove_nodata(&dq, prf,
				                nprf, &d), &d));
		} else if (kind == CACHE_NXDOMAIN) {
			enum denial_verdict dv = n3
				? nsec3_prove_nxdomain(&dq, prf, nprf, &x, &d)
				: nsec_prove_nxdomain(&dq, prf, nprf, &d);
			/* qname is an empty non-terminal: NODATA proves it
			 * (Unbound val_nodata_entnx) */
			if (nx_proved)
				*nx_proved = dv != DENIAL_BOGUS;
			if (dv == DENIAL_BOGUS && d.reason == DENIAL_R_NAME_EXISTS) {
				dv = n3 ? nsec3_prove_nodata(&dq, prf, nprf, &x, &d)
				        : nsec_prove_nodata(&dq, prf, nprf, &d);
				if (dv != DENIAL_BOGUS)
					ent_nodata(c, qname, qtype, recs, n, sigs, ns,
					           dv == DENIAL_SECURE, ttl);
			}
			r = from_denial(c, &d);
		} else {
			if (n3)
				nsec3_prove_nodata(&dq, prf, nprf, &x, &d);
			else
				nsec_prove_nodata(&dq, prf, nprf, &d);
			r = from_denial(c, &d);
		}
	}
	val_store(c, qname, qtype, kind, r, c->q->val.ede,
	          r == VR_SECURE ? ttl : 0);
	return r;
}

enum vres val_wildcard_prove(struct vctx *c, const dns_name *owner,
                             unsigned labels, const dns_name *z,
                             const dns_rr *keys, size_t nkeys)
{
	char nb[DNS_NAME_TEXT_MAX];
	struct cache_hit h;
	if (!cache_get(c->e->cache, owner, DNS_T_NSEC, VAL_C_PROOF, c->now_s,
	               &h))
		return val_bogus(c, DNSSEC_EDE_BOGUS, "%s: wildcard answer "
		                 "without NSEC/NSEC3 proof of no closer match",
		                 dns_name_str(owner, nb));
	dns_rr recs[VAL_MAX_SET], sigs[VAL_MAX_SET], prf[VAL_MAX_SET];
	size_t ns = 0, nprf = 0;
	size_t n = val_hit_rrs(&h, recs, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	for (size_t i = 0; i < n; i++)
		recs[i].rclass = DNS_C_IN;
	for (size_t i = 0; i < ns; i++)
		sigs[i].rclass = DNS_C_IN;
	uint32_t ttl = h.ttl_left;
	enum vres r = verify_sets(c, z, recs, n, sigs, ns, keys, nkeys, prf, &nprf,
	                          &ttl);
	if (r != VR_SECURE)
		return r;
	bool n3 = false;
	for (size_t i = 0; i < nprf; i++)
		n3 |= prf[i].type == DNS_T_NSEC3;
	denial_query dq = { .qname = owner, .qtype = 0, .zone = z };
	denial_result d;
	nsec3_ctx x;
	nsec3_ctx_init(&x);
	x.max_iterations = c->e->val->nsec3_max_iter;
	if (n3)
		nsec3_prove_wildcard(&dq, labels, prf, nprf, &x, &d);
	else
		nsec_prove_wildcard(&dq, labels, prf, nprf, &d);
	return from_denial(c, &d);
}
