/* ward resolver: DNSSEC validation of an answer before it leaves the
 * engine (RFC 4035 §5). Every RRset the answer is built from — each CNAME
 * (or the DNAME that synthesised it) of the chain and the final RRset or
 * negative entry — is validated once and its status kept in the cache
 * beside it; the answer is as secure as its weakest link. AD only when
 * every part is secure and the client asked with DO or AD (RFC 6840
 * §5.7-5.8); bogus gives SERVFAIL with an EDE unless the client set CD
 * (RFC 4035 §3.2.2), which gets the data. A CD answer is validated all
 * the same (as Unbound does): the status is kept in the cache, and a
 * secure answer leaves out the unsigned sets beside it; it gets neither
 * AD nor the EDE of an insecure answer. */
#include <string.h>

#include "resolver/engine_int.h"

static enum vres worst(enum vres a, enum vres b)
{
	if (a == VR_WAIT || b == VR_WAIT)
		return VR_WAIT;
	return a > b ? a : b;
}

/* The zone cut an unsigned name belongs to: the closest cached NS set at
 * or above it (for DS: above it, the parent's data). */
static void cut_above(struct vctx *c, const dns_name *owner, uint16_t type,
                      dns_name *t)
{
	*t = *owner;
	if (type == DNS_T_DS && t->len > 1)
		dns_name_strip_left(t, 1);
	while (t->len > 1) {
		struct cache_hit h;
		if ((cache_get(c->e->cache, t, DNS_T_NS, DNS_C_IN, c->now_s, &h) ||
		     cache_get(c->e->cache, t, DNS_T_NS, RES_C_PARENT, c->now_s,
		               &h)) && h.kind == CACHE_POSITIVE)
			return;
		dns_name_strip_left(t, 1);
	}
}

/* The signer name of the first RRSIG among sigs[] (RFC 4034 §3.1.7). */
static bool signer_of(const dns_rr *sigs, size_t ns, dns_name *signer)
{
	for (size_t i = 0; i < ns; i++) {
		dnssec_rrsig s;
		if (dnssec_rrsig_parse(sigs[i].rdata, sigs[i].rdlen, &s) == 0) {
			*signer = s.signer;
			return true;
		}
	}
	return false;
}

/* Data without any RRSIG: insecure when no chain of trust reaches it
 * (or dnssec-check-unsigned is off), bogus under a secure zone. */
static enum vres unsigned_data(struct vctx *c, const dns_name *owner,
                               uint16_t type, const char *what)
{
	char nb[DNS_NAME_TEXT_MAX], zb[DNS_NAME_TEXT_MAX], tb[16];
	if (!c->e->cfg.dnssec_check_unsigned)
		return VR_INSECURE;
	dns_name t, z;
	dns_rr keys[VAL_MAX_SET];
	size_t nk = 0;
	/* as Unbound: down to the name itself (a zone cut without DS on
	 * the way makes it insecure) */
	t = *owner;
	if (type == DNS_T_DS && t.len > 1)
		dns_name_strip_left(&t, 1);
	(void)cut_above;
	enum vres r = val_chain_to(c, &t, &z, keys, &nk);
	if (r != VR_SECURE)
		return r;
	return val_bogus(c, DNSSEC_EDE_RRSIGS_MISSING,
	                 "%s %s: %s without RRSIG in signed zone %s",
	                 dns_name_str(owner, nb), val_type_str(type, tb), what,
	                 dns_name_str(&z, zb));
}

/* Data signed by an ancestor zone's key but below a delegation that the
 * cache already proves unsigned (an NSEC seen in an earlier response of
 * the chain; a server hosting both zones answering from the parent's):
 * insecure, as Unbound concludes from its negative cache. */
static bool below_insecure_cut(struct vctx *c, const dns_name *owner,
                               uint16_t type, const dns_name *signer)
{
	if (type == DNS_T_DS) /* the parent's data */
		return false;
	if (dns_name_labels(owner) <= dns_name_labels(signer))
		return false;
	dns_name t = *owner, z;
	dns_rr keys[VAL_MAX_SET];
	size_t nk = 0;
	c->probe = true;
	enum vres r = val_chain_to(c, &t, &z, keys, &nk);
	c->probe = false;
	return r == VR_INSECURE;
}

/* One positive RRset (owner, type) of the cache. */
static enum vres check_rrset(struct vctx *c, const dns_name *owner,
                             uint16_t type, const struct cache_hit *h)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	c->iede_here = 0;
	if (h->status != VAL_UNCHECKED)
		return val_cached(c, h, owner, type);
	dns_rr set[VAL_MAX_SET], sigs[VAL_MAX_SET], keys[VAL_MAX_SET];
	size_t ns = 0, nk = 0;
	size_t n = val_hit_rrs(h, set, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	dns_name signer, z;
	enum vres r;
	if (!signer_of(sigs, ns, &signer)) {
		r = unsigned_data(c, owner, type, "answer");
		if (r != VR_WAIT)
			val_store(c, owner, type, CACHE_POSITIVE, r,
			          c->q->val.ede, 0);
		return r;
	}
	if (!dns_name_is_subdomain(owner, &signer)) {
		r = val_bogus(c, DNSSEC_EDE_BOGUS, "%s %s: signer %s is not an "
		              "ancestor", dns_name_str(owner, nb),
		              val_type_str(type, tb),
		              dns_name_str(&signer, nb));
		val_store(c, owner, type, CACHE_POSITIVE, r, DNSSEC_EDE_BOGUS, 0);
		return r;
	}
	r = val_chain_to(c, &signer, &z, keys, &nk);
	if (r == VR_WAIT)
		return r;
	uint32_t ttl = 0;
	if (r == VR_SECURE) {
		dnssec_verdict v;
		dnssec_rrsig s;
		if (dnssec_rrset_verify(set, n, sigs, ns, keys, nk, &c->env,
		                        &v) != DNSSEC_SECURE)
			r = val_bogus(c, v.ede, "%s", v.text);
		else if (v.wildcard && v.sig_index < ns &&
		         dnssec_rrsig_parse(sigs[v.sig_index].rdata,
		                            sigs[v.sig_index].rdlen, &s) == 0)
			r = val_wildcard_prove(c, owner, s.labels, &z, keys, nk);
		if (r == VR_SECURE)
			ttl = v.ttl;
	}
	val_store(c, owner, type, CACHE_POSITIVE, r, c->q->val.ede, ttl);
	return r;
}

/* The final negative entry for (name, type). */
static enum vres check_negative(struct vctx *c, const dns_name *name,
                                uint16_t type, const struct cache_hit *h)
{
	c->iede_here = 0;
	if (h->status != VAL_UNCHECKED)
		return val_cached(c, h, name, type);
	dns_rr recs[VAL_MAX_SET], sigs[VAL_MAX_SET], keys[VAL_MAX_SET];
	size_t ns = 0, nk = 0;
	val_hit_rrs(h, recs, VAL_MAX_SET, sigs, VAL_MAX_SET, &ns);
	dns_name signer, z;
	enum vres r;
	if (!signer_of(sigs, ns, &signer)) {
		r = unsigned_data(c, name, type, h->kind == CACHE_NXDOMAIN
		                  ? "NXDOMAIN" : "no-data answer");
		if (r != VR_WAIT)
			val_store(c, name, type, h->kind, r, c->q->val.ede, 0);
		return r;
	}
	r = val_chain_to(c, &signer, &z, keys, &nk);
	if (r == VR_WAIT)
		return r;
	if (r == VR_SECURE && below_insecure_cut(c, name, type, &signer))
		r = VR_INSECURE;
	if (r != VR_SECURE) {
		val_store(c, name, type, h->kind, r, c->q->val.ede, 0);
		return r;
	}
	return val_neg_prove(c, h, name, type, &z, keys, nk, false, NULL);
}

/* A CNAME link; one synthesised from a DNAME (no RRSIG of its own) is
 * as good as the DNAME (RFC 6672 §5.3.1). */
static enum vres check_link(struct vctx *c, const dns_name *owner,
                            const struct cache_hit *h)
{
	if (h->nsig || h->status != VAL_UNCHECKED)
		return check_rrset(c, owner, DNS_T_CNAME, h);
	dns_name anc = *owner;
	while (anc.len > 1) {
		dns_name_strip_left(&anc, 1);
		struct cache_hit d;
		if (cache_get(c->e->cache, &anc, DNS_T_DNAME, DNS_C_IN, c->now_s,
		              &d) && d.kind == CACHE_POSITIVE && d.n)
			return check_rrset(c, &anc, DNS_T_DNAME, &d);
	}
	return check_rrset(c, owner, DNS_T_CNAME, h);
}

/* An ANY answer (engine_any.c): every RRset of it on its own, as
 * Unbound's validate_any_response; one bogus set makes it bogus, and a
 * wildcard-expanded set needs its proof like any wildcard answer. */
static enum vres check_any(struct vctx *c, const dns_name *owner,
                           const struct cache_hit *list)
{
	uint16_t types[RES_ANY_MAX_TYPES];
	size_t nt = eng_any_types(list, types, RES_ANY_MAX_TYPES);
	enum vres all = VR_SECURE;
	/* the first bogus set decides: the rest is not worth the work */
	for (size_t i = 0; i < nt && all != VR_WAIT && all != VR_BOGUS; i++) {
		struct cache_hit h;
		if (!cache_get(c->e->cache, owner, types[i], DNS_C_IN, c->now_s,
		               &h) || h.kind != CACHE_POSITIVE)
			continue; /* answer_from_cache reports it */
		all = worst(all, types[i] == DNS_T_CNAME ? check_link(c, owner, &h)
		                 : check_rrset(c, owner, types[i], &h));
	}
	return all;
}

/* The context of one validation of q's answer at now_s. */
static void vctx_start(struct vctx *c, res_engine *e, struct query *q,
                       uint64_t now_s)
{
	*c = (struct vctx){ .e = e, .q = q, .now_s = now_s };
	c->env.now = e->cfg.dnssec_time ? e->cfg.dnssec_time
	                                : (int64_t)now_s + e->wall_offset_s;
	c->env.skew_min = e->cfg.sig_skew_min;
	c->env.skew_max = e->cfg.sig_skew_max;
	c->env.ignore_time = e->cfg.dnssec_no_timecheck;
	c->env.budget = &q->val.budget;
	c->env.keycache = e->val->keycache;
}

/* The verdict of q's CNAME chain up to its last name: every cached link
 * checked (a missing one is answer_from_cache's to report), local data
 * insecure (it is not signed). */
static enum vres chain_links(struct vctx *c)
{
	struct query *q = c->q;
	enum vres all = VR_SECURE;
	for (unsigned i = q->n_local; i + 1 < q->nchain && all != VR_WAIT; i++) {
		struct cache_hit h;
		if (!cache_get(c->e->cache, &q->chain[i], DNS_T_CNAME, DNS_C_IN,
		               c->now_s, &h) || h.kind != CACHE_POSITIVE)
			break;
		all = worst(all, check_link(c, &q->chain[i], &h));
	}
	if (q->n_local)
		all = worst(all, VR_INSECURE);
	return all;
}

/* q's status from the combined verdict; true while a sub-query is still
 * needed (VR_WAIT). A bogus verdict without a reason gets a generic one. */
static bool verdict(struct vctx *c, enum vres all)
{
	if (all == VR_WAIT)
		return true;
	c->q->val.status = all == VR_SECURE ? VAL_SECURE
	                 : all == VR_INSECURE ? VAL_INSECURE : VAL_BOGUS;
	if (all == VR_BOGUS && !c->q->val.text[0])
		val_bogus(c, DNSSEC_EDE_BOGUS, "validation failed");
	return false;
}

bool val_answer_prepare(res_engine *e, struct query *q, uint64_t now_s)
{
	q->val.status = VAL_UNCHECKED;
	if (!e->val)
		return false;
	if (q->qtype == DNS_T_RRSIG) { /* RRSIGs are not signed themselves */
		q->val.status = VAL_INSECURE;
		return false;
	}
	struct vctx c;
	vctx_start(&c, e, q, now_s);
	enum vres all = chain_links(&c);
	struct cache_hit h;
	const dns_name *last = &q->chain[q->nchain - 1];
	if (all != VR_WAIT && q->qtype == DNS_T_ANY &&
	    cache_get(e->cache, last, q->qtype, DNS_C_IN, now_s, &h) &&
	    h.kind == CACHE_POSITIVE)
		all = worst(all, check_any(&c, last, &h));
	else if (all != VR_WAIT &&
	    cache_get(e->cache, last, q->qtype, DNS_C_IN, now_s, &h))
		all = worst(all, h.kind != CACHE_POSITIVE
		            ? check_negative(&c, last, q->qtype, &h)
		            : q->qtype == DNS_T_CNAME ? check_link(&c, last, &h)
		            : check_rrset(&c, last, q->qtype, &h));
	return verdict(&c, all);
}

bool val_referral_prepare(res_engine *e, struct query *q, const dns_name *cut,
                          uint64_t now_s)
{
	q->val.status = VAL_UNCHECKED;
	struct cache_hit h;
	if (!e->val || (q->cflags & DNS_FLAG_CD) ||
	    !cache_get(e->cache, cut, DNS_T_NS, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE || !h.nsig)
		return false;
	struct vctx c;
	vctx_start(&c, e, q, now_s);
	enum vres all = chain_links(&c);
	if (all != VR_WAIT)
		all = worst(all, check_rrset(&c, cut, DNS_T_NS, &h));
	/* the addresses: each keeps its own status; the referral leaves
	 * out those that are not secure (engine_norec.c) */
	dns_name names[RES_MAX_NS_NAMES];
	size_t nn = eng_ns_names(&h, names, RES_MAX_NS_NAMES);
	for (size_t i = 0; i < nn && all != VR_WAIT; i++)
		for (int t = 0; t < 2 && all != VR_WAIT; t++) {
			uint16_t type = t ? DNS_T_AAAA : DNS_T_A;
			struct cache_hit a;
			if (!cache_get(e->cache, &names[i], type, DNS_C_IN, now_s,
			               &a) || a.kind != CACHE_POSITIVE || !a.nsig)
				continue; /* unsigned: left out beside a secure set */
			if (check_rrset(&c, &names[i], type, &a) == VR_WAIT)
				all = VR_WAIT;
		}
	return verdict(&c, all);
}

bool val_answer_bogus(const res_engine *e, const struct query *q)
{
	return e->val && q->val.status == VAL_BOGUS &&
	       !(q->cflags & DNS_FLAG_CD);
}

bool val_answer_ad(const res_engine *e, const struct query *q)
{
	return e->val && q->val.status == VAL_SECURE &&
	       !(q->cflags & DNS_FLAG_CD) &&
	       (q->c_do || (q->cflags & DNS_FLAG_AD));
}

void val_answer_edns(const res_engine *e, const struct query *q,
                     struct dns_mb *b)
{
	if (!e->val || q->val.status != VAL_INSECURE || !q->val.iede ||
	    (q->cflags & DNS_FLAG_CD) ||
	    !q->c_edns || e->cfg.no_ede)
		return;
	dns_mb_edns_ede(b, q->val.iede, q->val.itext, strlen(q->val.itext));
}

bool val_answer_loop(const res_engine *e, const struct query *q)
{
	return e->val && !(q->cflags & DNS_FLAG_CD) && !q->internal;
}
