/* ward resolver: the validator's engine-wide state (trust anchors copied
 * from the configuration, the key cache) and the small pieces the chain of
 * trust and the answer checks share: the bogus verdict, DNSKEY/DS
 * sub-queries pushed on the query's stack, cache statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "resolver/dnssec/denial.h"
#include "resolver/engine_int.h"

#define VAL_KEYCACHE_SLOTS 1024

int val_engine_new(res_engine *e, const struct res_config *cfg)
{
	e->val = NULL;
	e->cfg.trust_anchors = NULL;
	if (!cfg->dnssec) {
		e->cfg.n_trust_anchors = 0;
		return 0;
	}
	struct val_engine *v = calloc(1, sizeof(*v));
	if (!v)
		return WARD_ENOMEM;
	e->val = v;
	size_t bytes = 0, n = cfg->trust_anchors ? cfg->n_trust_anchors : 0;
	for (size_t i = 0; i < n; i++)
		bytes += cfg->trust_anchors[i].rdlen;
	v->anchors = calloc(n ? n : 1, sizeof(*v->anchors));
	v->store = malloc(bytes ? bytes : 1);
	v->keycache = dnssec_keycache_new(VAL_KEYCACHE_SLOTS);
	if (!v->anchors || !v->store || !v->keycache)
		return WARD_ENOMEM;
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		const dns_rr *a = &cfg->trust_anchors[i];
		if (a->type != DNS_T_DS && a->type != DNS_T_DNSKEY)
			continue;
		v->anchors[v->nanchors] = *a;
		memcpy(v->store + off, a->rdata, a->rdlen);
		v->anchors[v->nanchors].rdata = v->store + off;
		v->anchors[v->nanchors].rclass = DNS_C_IN;
		off += a->rdlen;
		v->nanchors++;
	}
	e->cfg.n_trust_anchors = v->nanchors;
	size_t nn = cfg->insecure_domains ? cfg->n_insecure_domains : 0;
	v->nta = calloc(nn ? nn : 1, sizeof(*v->nta));
	if (!v->nta)
		return WARD_ENOMEM;
	if (nn)
		memcpy(v->nta, cfg->insecure_domains, nn * sizeof(*v->nta));
	v->nnta = nn;
	e->cfg.insecure_domains = NULL;
	v->nsec3_max_iter = cfg->nsec3_max_iterations
	                    ? cfg->nsec3_max_iterations
	                    : DNSSEC_NSEC3_MAX_ITERATIONS_DEFAULT;
	v->bogus_ttl = cfg->bogus_ttl ? cfg->bogus_ttl : CACHE_BOGUS_TTL_DEFAULT;
	return 0;
}

void val_engine_free(res_engine *e)
{
	if (!e || !e->val)
		return;
	dnssec_keycache_free(e->val->keycache);
	free(e->val->anchors);
	free(e->val->nta);
	free(e->val->store);
	free(e->val);
	e->val = NULL;
}

/* The closest trust anchor at or above t (RFC 4035 §4.3); NULL also when
 * a negative trust anchor covers t. */
const dns_name *val_anchor_for(const res_engine *e, const dns_name *t)
{
	const dns_name *best = NULL;
	for (size_t i = 0; e->val && i < e->val->nanchors; i++) {
		const dns_name *o = &e->val->anchors[i].owner;
		if (dns_name_is_subdomain(t, o) &&
		    (!best || o->len > best->len))
			best = o;
	}
	/* a negative trust anchor at or below it wins (RFC 7646) */
	for (size_t i = 0; best && i < e->val->nnta; i++)
		if (dns_name_is_subdomain(t, &e->val->nta[i]) &&
		    e->val->nta[i].len >= best->len)
			return NULL;
	return best;
}

const char *val_type_str(uint16_t type, char buf[16])
{
	return dns_type_str(type, buf);
}

enum vres val_bogus(struct vctx *c, uint16_t ede, const char *fmt, ...)
{
	struct val_query *vq = &c->q->val;
	if (c->probe)
		return VR_BOGUS;
	if (!vq->text[0]) { /* the first failure found is the one reported */
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(vq->text, sizeof(vq->text), fmt, ap);
		va_end(ap);
		vq->ede = ede;
	}
	return VR_BOGUS;
}

enum vres val_insecure(struct vctx *c, uint16_t ede, const char *fmt, ...)
{
	struct val_query *vq = &c->q->val;
	/* also while probing: an insecure step ends the walk, so the
	 * probe's verdict is this one */
	if (!ede)
		return VR_INSECURE;
	c->iede_here = ede;
	if (vq->iede)
		return VR_INSECURE;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(vq->itext, sizeof(vq->itext), fmt, ap);
	va_end(ap);
	vq->iede = ede;
	return VR_INSECURE;
}

static const char *insecure_why(uint16_t ede)
{
	switch (ede) {
	case DNSSEC_EDE_UNSUPPORTED_DNSKEY_ALG:
		return "no supported DNSKEY algorithm";
	case DNSSEC_EDE_UNSUPPORTED_DS_DIGEST:
		return "no supported DS digest type";
	case DENIAL_EDE_NSEC3_ITERATIONS:
		return "NSEC3 iterations above the limit";
	default:
		return "";
	}
}

enum vres val_cached(struct vctx *c, const struct cache_hit *h,
                     const dns_name *name, uint16_t type)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	switch (h->status) {
	case VAL_SECURE:
		return VR_SECURE;
	case VAL_INSECURE:
		if (h->ede)
			val_insecure(c, h->ede, "%s %s: insecure, %s",
			             dns_name_str(name, nb),
			             val_type_str(type, tb), insecure_why(h->ede));
		return VR_INSECURE;
	default:
		return val_bogus(c, h->ede ? h->ede : DNSSEC_EDE_BOGUS,
		                 "%s %s: bogus (cached verdict)",
		                 dns_name_str(name, nb), val_type_str(type, tb));
	}
}

static uint32_t fetch_hash(const dns_name *n, uint16_t type)
{
	uint32_t h = 2166136261u ^ type;
	for (uint16_t i = 0; i < n->len; i++) {
		uint8_t ch = n->wire[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (uint8_t)(ch + 32);
		h = (h ^ ch) * 16777619u;
	}
	return h;
}

/* Ask for (name, type) through the engine's own iteration: a frame on the
 * query's stack, popped once the cache holds an answer. Once per query:
 * asked before and still missing means it cannot be had. */
enum vres val_fetch(struct vctx *c, const dns_name *name, uint16_t type)
{
	struct query *q = c->q;
	if (c->probe)
		return VR_WAIT; /* not cached: unknown, nothing asked */
	uint32_t h = fetch_hash(name, type);
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	for (unsigned i = 0; i < q->val.ntried; i++)
		if (q->val.tried[i] == h && type == DNS_T_DNSKEY &&
		    c->e->cfg.dnssec_stripped_ok)
			return VR_INSECURE;
		else if (q->val.tried[i] == h)
			/* the lookup's own failure (RFC 8914: a network
			 * error, no reachable authority) when it had one */
			return val_bogus(c, q->val.fetch_ede[i]
			                 ? q->val.fetch_ede[i]
			                 : type == DNS_T_DNSKEY
			                 ? DNSSEC_EDE_DNSKEY_MISSING : DNSSEC_EDE_BOGUS,
			                 "%s %s could not be fetched for validation",
			                 dns_name_str(name, nb), val_type_str(type, tb));
	if (q->val.ntried >= VAL_MAX_FETCH || q->depth >= RES_MAX_DEPTH)
		return val_bogus(c, DNSSEC_EDE_BOGUS,
		                 "validation needs too many lookups (at %s %s)",
		                 dns_name_str(name, nb), val_type_str(type, tb));
	q->val.fetch_ede[q->val.ntried] = 0;
	q->val.tried[q->val.ntried++] = h;
	q->stack[q->depth].name = *name;
	q->stack[q->depth].type = type;
	q->depth++;
	return VR_WAIT;
}

/* A sub-query's frame failed with ede: remember it for the verdict. */
void val_fetch_failed(struct query *q, const dns_name *name, uint16_t type,
                      uint16_t ede)
{
	if (type != DNS_T_DS) /* a missing DNSKEY set says EDE 9 itself */
		return;
	uint32_t h = fetch_hash(name, type);
	for (unsigned i = 0; i < q->val.ntried; i++)
		if (q->val.tried[i] == h)
			q->val.fetch_ede[i] = ede;
}

size_t val_hit_rrs(const struct cache_hit *h, dns_rr *rrs, size_t cap,
                   dns_rr *sigs, size_t scap, size_t *nsig)
{
	size_t n = 0, ns = 0;
	for (size_t i = 0; i < h->n && n < cap; i++)
		if (cache_hit_rr(h, i, &rrs[n]) == 0)
			n++;
	for (size_t i = 0; sigs && i < h->nsig && ns < scap; i++)
		if (cache_hit_rr(h, h->n + i, &sigs[ns]) == 0)
			ns++;
	if (nsig)
		*nsig = ns;
	return n;
}

void val_store(struct vctx *c, const dns_name *owner, uint16_t type,
               enum cache_kind kind, enum vres r, uint16_t ede, uint32_t ttl)
{
	enum val_status st = r == VR_SECURE ? VAL_SECURE
	                   : r == VR_INSECURE ? VAL_INSECURE : VAL_BOGUS;
	cache_t *ca = c->e->cache;
	uint16_t cls = c->store_class ? c->store_class : DNS_C_IN;
	if (st == VAL_INSECURE) /* why it is insecure, when it says */
		ede = c->iede_here;
	cache_set_status(ca, owner, type, cls, kind, st, ede, c->now_s);
	if (st == VAL_BOGUS) /* kept briefly, so a fixed zone recovers */
		ttl = c->e->val->bogus_ttl;
	if (ttl)
		cache_cap_ttl(ca, owner, type, cls, kind, ttl, c->now_s);
}

/* A referral's NSEC/NSEC3 records saying the cut has no DS (RFC 4035
 * §5.2), kept as a DS NODATA entry for the chain of trust. */
void val_referral_nods(res_engine *e, size_t nrr, const dns_name *cut,
                       uint64_t now_s)
{
	if (!e->val)
		return;
	dns_rr recs[24], sigs[24];
	size_t n = 0, ns = 0;
	uint32_t ttl = UINT32_MAX;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_AUTHORITY || r->rclass != DNS_C_IN)
			continue;
		if (r->type == DNS_T_DS && dns_name_equal(&r->owner, cut))
			return; /* a signed delegation: the DS set is cached */
		if ((r->type == DNS_T_NSEC || r->type == DNS_T_NSEC3) && n < 24) {
			recs[n++] = *r;
			if (r->ttl < ttl)
				ttl = r->ttl;
		} else if (r->type == DNS_T_RRSIG && ns < 24) {
			sigs[ns++] = *r;
		}
	}
	if (!n)
		return;
	if (ttl > CACHE_NEG_TTL_MAX)
		ttl = CACHE_NEG_TTL_MAX;
	struct cache_put p = { .kind = CACHE_NODATA, .owner = cut,
	                       .type = DNS_T_DS, .rclass = VAL_C_NODS,
	                       .rrs = recs, .n = n, .sigs = sigs, .nsig = ns,
	                       .ttl = ttl ? ttl : 1, .status = VAL_UNCHECKED,
	                       .rank = RANK_GLUE };
	cache_put(e->cache, &p, now_s);
}
