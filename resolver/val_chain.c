/* ward resolver: the chain of trust (RFC 4035 §5, RFC 6840 §5). From the
 * closest trust anchor down to a target name one label at a time, as
 * Unbound's validator walks: the DS set of each child name (from the
 * parent, validated with the parent's keys), then the child's DNSKEY set
 * validated by that DS set; a proven absence of DS at a delegation makes
 * everything below insecure, at a name that is no zone cut the walk goes
 * on with the same keys. Missing DNSKEY/DS sets are fetched through the
 * engine (val_fetch) and the walk starts again when they are cached. */
#include <string.h>

#include "resolver/engine_int.h"

/* The DNSKEY set of an anchor zone, checked against the anchors. */
static enum dnssec_status anchor_verify(struct vctx *c, const dns_name *z,
                                        const dns_rr *keys, size_t n,
                                        const dns_rr *sigs, size_t ns,
                                        dnssec_verdict *v)
{
	const struct val_engine *ve = c->e->val;
	dns_rr ds[VAL_MAX_SET], dk[VAL_MAX_SET];
	size_t nds = 0, ndk = 0;
	for (size_t i = 0; i < ve->nanchors; i++) {
		const dns_rr *a = &ve->anchors[i];
		if (!dns_name_equal(&a->owner, z))
			continue;
		if (a->type == DNS_T_DS && nds < VAL_MAX_SET)
			ds[nds++] = *a;
		else if (a->type == DNS_T_DNSKEY && ndk < VAL_MAX_SET)
			dk[ndk++] = *a;
	}
	enum dnssec_status st = DNSSEC_BOGUS;
	if (nds) {
		st = dnssec_dnskey_verify_ds(keys, n, sigs, ns, ds, nds, &c->env, v);
		if (st == DNSSEC_SECURE || !ndk)
			return st;
	}
	/* a DNSKEY anchor: the set must be signed by an anchor key */
	return dnssec_rrset_verify(keys, n, sigs, ns, dk, ndk, &c->env, v);
}

/* harden-algo-downgrade: every supported algorithm the DS set (or the
 * zone's trust anchors) lists must have a valid signature over the
 * DNSKEY set (Unbound's algorithm needs, RFC 6840 §5.11 made strict). */
static enum dnssec_status algo_check(struct vctx *c, const dns_name *z,
                                     const struct cache_hit *ds,
                                     const dns_rr *keys, size_t n,
                                     const dns_rr *sigs, size_t ns,
                                     dnssec_verdict *v)
{
	uint8_t algs[VAL_MAX_SET];
	size_t na = 0;
	dns_rr src[VAL_MAX_SET];
	size_t nsrc = 0;
	if (ds) {
		nsrc = val_hit_rrs(ds, src, VAL_MAX_SET, NULL, 0, NULL);
	} else {
		const struct val_engine *ve = c->e->val;
		for (size_t i = 0; i < ve->nanchors && nsrc < VAL_MAX_SET; i++)
			if (dns_name_equal(&ve->anchors[i].owner, z))
				src[nsrc++] = ve->anchors[i];
	}
	for (size_t i = 0; i < nsrc && na < VAL_MAX_SET; i++) {
		uint8_t a = 0;
		if (src[i].type == DNS_T_DS && src[i].rdlen >= 3)
			a = src[i].rdata[2];
		else if (src[i].type == DNS_T_DNSKEY && src[i].rdlen >= 4)
			a = src[i].rdata[3];
		if (a && dnssec_alg_supported(a))
			algs[na++] = a;
	}
	dnssec_env env = c->env;
	env.need_algs = algs;
	env.n_need_algs = na;
	enum dnssec_status st = dnssec_rrset_verify(keys, n, sigs, ns, keys, n,
	                                            &env, v);
	if (st != DNSSEC_SECURE)
		v->ede = DNSSEC_EDE_BOGUS; /* a downgrade, not a missing RRSIG */
	return st;
}

/* The trusted DNSKEY set of zone z into keys[]: validated by the DS set
 * ds (a cache hit, secure) or, for an anchor zone (ds NULL), the
 * anchors. */
static enum vres zone_keys(struct vctx *c, const dns_name *z,
                           const struct cache_hit *ds, dns_rr *keys,
                           size_t *nkeys)
{
	char nb[DNS_NAME_TEXT_MAX];
	struct cache_hit h;
	if (!cache_get(c->e->cache, z, DNS_T_DNSKEY, DNS_C_IN, c->now_s, &h))
		return val_fetch(c, z, DNS_T_DNSKEY);
	if (h.kind != CACHE_POSITIVE || !h.n)
		return val_bogus(c, DNSSEC_EDE_DNSKEY_MISSING,
		                 "%s: no DNSKEY set, but %s vouches for one",
		                 dns_name_str(z, nb),
		                 ds ? "its DS set" : "a trust anchor");
	dns_rr sigs[VAL_MAX_SET];
	size_t ns = 0;
	size_t n = val_hit_rrs(&h, keys, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	*nkeys = n;
	if (h.status != VAL_UNCHECKED)
		return val_cached(c, &h, z, DNS_T_DNSKEY);
	dnssec_verdict v;
	enum dnssec_status st;
	if (ds) {
		dns_rr dsr[VAL_MAX_SET];
		size_t nds = val_hit_rrs(ds, dsr, VAL_MAX_SET, NULL, 0, NULL);
		st = dnssec_dnskey_verify_ds(keys, n, sigs, ns, dsr, nds,
		                             &c->env, &v);
	} else {
		st = anchor_verify(c, z, keys, n, sigs, ns, &v);
	}
	if (st == DNSSEC_SECURE && c->e->cfg.harden_algo_downgrade)
		st = algo_check(c, z, ds, keys, n, sigs, ns, &v);
	enum vres r = st == DNSSEC_SECURE ? VR_SECURE
	            : st == DNSSEC_INSECURE ? VR_INSECURE : VR_BOGUS;
	if (r == VR_INSECURE) /* only unsupported algorithms or digests */
		val_insecure(c, v.ede, "%s DNSKEY (by %s): %s: insecure "
		             "(RFC 4035 §5.2)", dns_name_str(z, nb),
		             ds ? "DS" : "trust anchor", v.text);
	val_store(c, z, DNS_T_DNSKEY, CACHE_POSITIVE, r, v.ede,
	          r == VR_SECURE ? v.ttl : 0);
	if (r == VR_BOGUS)
		return val_bogus(c, v.ede, "%s DNSKEY (by %s): %s",
		                 dns_name_str(z, nb), ds ? "DS" : "trust anchor",
		                 v.text);
	return r;
}

/* A positive DS set at child ch, validated with zone z's keys. */
static enum vres ds_set(struct vctx *c, const dns_name *ch,
                        struct cache_hit *h, const dns_rr *keys, size_t nk)
{
	if (h->status != VAL_UNCHECKED)
		return val_cached(c, h, ch, DNS_T_DS);
	dns_rr set[VAL_MAX_SET], sigs[VAL_MAX_SET];
	size_t ns = 0;
	size_t n = val_hit_rrs(h, set, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	dnssec_verdict v;
	enum dnssec_status st = dnssec_rrset_verify(set, n, sigs, ns, keys, nk,
	                                            &c->env, &v);
	enum vres r = st == DNSSEC_SECURE ? VR_SECURE : VR_BOGUS;
	val_store(c, ch, DNS_T_DS, CACHE_POSITIVE, r, v.ede,
	          r == VR_SECURE ? v.ttl : 0);
	h->status = r == VR_SECURE ? VAL_SECURE : VAL_BOGUS;
	if (r == VR_BOGUS)
		return val_bogus(c, v.ede, "%s", v.text);
	return r;
}

enum vres val_chain_to(struct vctx *c, const dns_name *t, dns_name *z,
                       dns_rr *keys, size_t *nkeys)
{
	const dns_name *a = val_anchor_for(c->e, t);
	c->iede_here = 0;
	if (!a)
		return VR_INSECURE; /* no anchor above: nothing to validate */
	*z = *a;
	enum vres r = zone_keys(c, z, NULL, keys, nkeys);
	if (r != VR_SECURE)
		return r;
	dns_name p = *z;
	unsigned tl = dns_name_labels(t);
	for (unsigned guard = 0; !dns_name_equal(&p, t) &&
	     guard < VAL_MAX_CHAIN_LABELS; guard++) {
		dns_name ch = *t;
		dns_name_strip_left(&ch, tl - dns_name_labels(&p) - 1);
		struct cache_hit h;
		uint16_t cls = DNS_C_IN;
		if (!cache_get(c->e->cache, &ch, DNS_T_DS, DNS_C_IN, c->now_s,
		               &h) &&
		    cache_get(c->e->cache, &ch, DNS_T_DS, VAL_C_NODS, c->now_s,
		              &h))
			cls = VAL_C_NODS; /* from a referral */
		else if (!cache_get(c->e->cache, &ch, DNS_T_DS, DNS_C_IN,
		                    c->now_s, &h)) {
			struct cache_hit cn;
			if (cache_get(c->e->cache, &ch, DNS_T_CNAME, DNS_C_IN,
			              c->now_s, &cn) && cn.kind == CACHE_POSITIVE) {
				p = ch; /* a CNAME is no zone cut */
				continue;
			}
			if (c->probe) { /* only what is cached counts */
				p = ch;
				continue;
			}
			return val_fetch(c, &ch, DNS_T_DS);
		}
		if (h.kind == CACHE_POSITIVE && h.n) {
			r = ds_set(c, &ch, &h, keys, *nkeys);
			if (r != VR_SECURE)
				return r;
			r = zone_keys(c, &ch, &h, keys, nkeys);
			if (r != VR_SECURE)
				return r; /* INSECURE: only unsupported algorithms */
			*z = ch;
		} else {
			bool nx = h.kind == CACHE_NXDOMAIN;
			if (h.status != VAL_UNCHECKED) {
				r = val_cached(c, &h, &ch, DNS_T_DS);
			} else {
				c->store_class = cls;
				r = val_neg_prove(c, &h, &ch, DNS_T_DS, z, keys,
				                  *nkeys, true, &nx);
				c->store_class = 0;
			}
			if (r != VR_SECURE)
				return r; /* unsigned delegation, or bogus */
			if (nx)
				break; /* nothing below ch exists: z it is */
		}
		p = ch;
	}
	return VR_SECURE;
}
