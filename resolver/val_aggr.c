/* ward resolver: aggressive use of validated NSEC records (RFC 8198,
 * Unbound aggressive-nsec). Every NSEC record and zone SOA that a proof
 * validated is kept in the cache under the private class VAL_C_AGGR with
 * its RRSIGs, its owner remembered in a small ring; before a query goes
 * upstream, those of the closest zone may prove NXDOMAIN or NODATA
 * (denial.h), and the negative answer is then cached as secure and
 * served from there. NSEC only (NSEC3 hashes would have to be indexed). */
#include <string.h>

#include "resolver/dnssec/denial.h"
#include "resolver/engine_int.h"

void val_aggr_note(struct vctx *c, const dns_name *zone, const dns_rr *rr,
                   const dns_rr *sigs, size_t ns, uint32_t ttl)
{
	struct val_engine *v = c->e->val;
	/* a zone's validated SOA also serves the DS negative cache below,
	 * with or without aggressive NSEC */
	if (c->probe || (rr->type != DNS_T_SOA &&
	    (!c->e->cfg.aggressive_nsec || rr->type != DNS_T_NSEC)))
		return;
	dns_rr s[8];
	size_t k = 0;
	for (size_t i = 0; i < ns && k < 8; i++)
		if (sigs[i].rdlen >= 2 &&
		    (uint16_t)(sigs[i].rdata[0] << 8 | sigs[i].rdata[1]) == rr->type &&
		    dns_name_equal(&sigs[i].owner, &rr->owner)) {
			s[k] = sigs[i];
			s[k++].rclass = DNS_C_IN;
		}
	dns_rr r = *rr;
	r.rclass = VAL_C_AGGR; /* the cache wants the entry's class */
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &rr->owner,
	                       .type = rr->type, .rclass = VAL_C_AGGR,
	                       .rrs = &r, .n = 1, .sigs = s, .nsig = k,
	                       .ttl = ttl ? ttl : 1, .status = VAL_SECURE,
	                       .rank = RANK_AUTH_ANSWER };
	if (cache_put(c->e->cache, &p, c->now_s) < 0 || rr->type != DNS_T_NSEC)
		return;
	for (unsigned i = 0; i < v->aggr_n; i++)
		if (dns_name_equal(&v->aggr_owner[i], &rr->owner))
			return;
	v->aggr_owner[v->aggr_next] = rr->owner;
	v->aggr_zone[v->aggr_next] = *zone;
	v->aggr_next = (v->aggr_next + 1) % VAL_AGGR_MAX;
	if (v->aggr_n < VAL_AGGR_MAX)
		v->aggr_n++;
}

/* Record i of a hit into out, class IN. */
static bool hit_rr(const struct cache_hit *h, size_t i, dns_rr *out)
{
	if (cache_hit_rr(h, i, out) < 0)
		return false;
	out->rclass = DNS_C_IN;
	return true;
}

/* The SOA minimum (RFC 2308 §5) of SOA rdata, or UINT32_MAX. */
static uint32_t soa_minimum(const dns_rr *soa)
{
	if (soa->rdlen < 4)
		return UINT32_MAX;
	const uint8_t *m = soa->rdata + soa->rdlen - 4;
	return (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	       (uint32_t)m[2] << 8 | m[3];
}

/* A client's DS question for a delegation the chain of trust has already
 * proved unsigned: the NSEC at the cut (kept from a referral, VAL_C_NODS,
 * validated with the parent's keys: NS, no DS, no SOA) and the parent
 * zone's validated SOA are cached, so the NODATA answer is made from
 * them without asking, as Unbound's DS negative cache does (RFC 4035
 * §5.2: that NSEC proves there is no DS; RFC 2308 §5 for the TTL). */
static bool synth_ds(res_engine *e, const dns_name *name, uint64_t now_s)
{
	struct cache_hit h, sh;
	dns_rr recs[2], sigs[16];
	size_t ns = 0;
	dnssec_rrsig rs;
	/* INSECURE here: proved unsigned with secure keys (val_neg_prove);
	 * an EDE would mean NSEC3 beyond the iteration limit */
	if (!cache_get(e->cache, name, DNS_T_DS, VAL_C_NODS, now_s, &h) ||
	    h.kind != CACHE_NODATA || h.status != VAL_INSECURE || h.ede ||
	    h.n != 1 || !h.nsig || !hit_rr(&h, 0, &recs[1]) ||
	    recs[1].type != DNS_T_NSEC ||
	    !dns_name_equal(&recs[1].owner, name))
		return false;
	for (size_t i = 0; i < h.nsig && ns < 8; i++)
		if (hit_rr(&h, h.n + i, &sigs[ns]))
			ns++;
	if (!ns || dnssec_rrsig_parse(sigs[0].rdata, sigs[0].rdlen, &rs) < 0)
		return false;
	denial_query dq = { .qname = name, .qtype = DNS_T_DS, .zone = &rs.signer };
	denial_result d;
	if (nsec_prove_nodata(&dq, &recs[1], 1, &d) != DENIAL_SECURE ||
	    !cache_get(e->cache, &rs.signer, DNS_T_SOA, VAL_C_AGGR, now_s, &sh) ||
	    sh.status != VAL_SECURE || !sh.n || !hit_rr(&sh, 0, &recs[0]))
		return false;
	for (size_t i = 0; i < sh.nsig && ns < 16; i++)
		if (hit_rr(&sh, sh.n + i, &sigs[ns]))
			ns++;
	uint32_t ttl = h.ttl_left < sh.ttl_left ? h.ttl_left : sh.ttl_left;
	if (soa_minimum(&recs[0]) < ttl)
		ttl = soa_minimum(&recs[0]);
	struct cache_put p = { .kind = CACHE_NODATA, .owner = name,
	                       .type = DNS_T_DS, .rclass = DNS_C_IN,
	                       .rrs = recs, .n = 2, .sigs = sigs, .nsig = ns,
	                       .ttl = ttl ? ttl : 1, .status = VAL_SECURE,
	                       .rank = RANK_AUTH_ANSWER };
	return cache_put(e->cache, &p, now_s) == 0;
}

bool val_synth_negative(res_engine *e, const struct query *q,
                        const dns_name *name, uint16_t type, uint64_t now_s)
{
	struct val_engine *v = e->val;
	if (!v || (q->cflags & DNS_FLAG_CD) || !val_anchor_for(e, name))
		return false; /* nothing to prove under a negative anchor */
	if (type == DNS_T_DS)
		return synth_ds(e, name, now_s);
	if (!e->cfg.aggressive_nsec || !v->aggr_n)
		return false;
	const dns_name *zone = NULL;
	for (unsigned i = 0; i < v->aggr_n; i++)
		if (dns_name_is_subdomain(name, &v->aggr_zone[i]) &&
		    (!zone || v->aggr_zone[i].len > zone->len))
			zone = &v->aggr_zone[i];
	if (!zone)
		return false;
	struct cache_hit sh;
	dns_rr recs[VAL_AGGR_USE + 1], sigs[8 * (VAL_AGGR_USE + 1)];
	size_t n = 0, ns = 0;
	if (!cache_get(e->cache, zone, DNS_T_SOA, VAL_C_AGGR, now_s, &sh) ||
	    !sh.n || !hit_rr(&sh, 0, &recs[0]))
		return false;
	uint32_t ttl = sh.ttl_left;
	n = 1;
	for (size_t i = 0; i < sh.nsig && ns < 8; i++)
		if (hit_rr(&sh, sh.n + i, &sigs[ns]))
			ns++;
	/* the NSECs of that zone still in the cache */
	dns_rr nsec[VAL_AGGR_USE];
	size_t nn = 0;
	for (unsigned i = 0; i < v->aggr_n && nn < VAL_AGGR_USE; i++) {
		struct cache_hit h;
		if (!dns_name_equal(&v->aggr_zone[i], zone) ||
		    !cache_get(e->cache, &v->aggr_owner[i], DNS_T_NSEC, VAL_C_AGGR,
		               now_s, &h) || !h.n || !hit_rr(&h, 0, &nsec[nn]))
			continue;
		if (h.ttl_left < ttl)
			ttl = h.ttl_left;
		nn++;
	}
	if (!nn)
		return false;
	denial_query dq = { .qname = name, .qtype = type, .zone = zone };
	denial_result d;
	enum cache_kind kind = CACHE_NXDOMAIN;
	if (nsec_prove_nxdomain(&dq, nsec, nn, &d) != DENIAL_SECURE) {
		kind = CACHE_NODATA;
		if (nsec_prove_nodata(&dq, nsec, nn, &d) != DENIAL_SECURE)
			return false;
	}
	/* the answer carries the NSECs that take part: at or covering the
	 * name, or the wildcard at the closest encloser */
	dns_name wc;
	bool have_wc = false;
	if (d.have_encloser) {
		static const uint8_t star[] = { '*' };
		wc = d.closest_encloser;
		have_wc = dns_name_prepend_label(&wc, star, 1) == 0;
	}
	for (size_t i = 0; i < nn; i++) {
		if (!dns_name_equal(&nsec[i].owner, name) &&
		    !nsec_covers(&nsec[i], name) &&
		    !(have_wc && (dns_name_equal(&nsec[i].owner, &wc) ||
		                  nsec_covers(&nsec[i], &wc))))
			continue;
		recs[n++] = nsec[i];
		struct cache_hit h;
		if (cache_get(e->cache, &nsec[i].owner, DNS_T_NSEC, VAL_C_AGGR,
		              now_s, &h))
			for (size_t k = 0; k < h.nsig && ns < 8 * (VAL_AGGR_USE + 1); k++)
				if (hit_rr(&h, h.n + k, &sigs[ns]))
					ns++;
	}
	/* RFC 8198 §5.4: no longer than the SOA's negative TTL */
	if (soa_minimum(&recs[0]) < ttl)
		ttl = soa_minimum(&recs[0]);
	struct cache_put p = { .kind = kind, .owner = name, .type = type,
	                       .rclass = DNS_C_IN, .rrs = recs, .n = n,
	                       .sigs = sigs, .nsig = ns, .ttl = ttl ? ttl : 1,
	                       .status = VAL_SECURE, .rank = RANK_AUTH_ANSWER };
	return cache_put(e->cache, &p, now_s) == 0;
}
