/* ward resolver: NSEC/NSEC3 records that came with a positive answer,
 * kept beside it in the cache (class VAL_C_PROOF, which clients cannot
 * ask for) so that a wildcard expansion can be proved (RFC 4035 §5.3.4,
 * RFC 5155 §8.8) and DO answers carry the proof (RFC 4035 §3.1.3.3). */
#include <string.h>

#include "codec/base.h"
#include "codec/msg_build.h"
#include "resolver/dnssec/denial.h"
#include "resolver/engine_int.h"

#define PROOF_MAX 24

/* An NSEC at a delegation without DS (NS, no DS, no SOA) that came in
 * an answer's authority section: kept as the DS NODATA of its owner, so
 * the chain of trust finds the unsigned delegation without asking (as
 * Unbound's negative cache does). Validated when used. */
static void nods_from_nsec(res_engine *e, const dns_rr *nsec,
                           const dns_rr *sigs, size_t ns, uint64_t now_s)
{
	if (nsec->type != DNS_T_NSEC)
		return;
	dns_name next;
	int nl = dns_name_check(nsec->rdata, nsec->rdlen);
	if (nl <= 0 || dns_name_from_wire(&next, nsec->rdata, (size_t)nl) < 0)
		return;
	const uint8_t *bm = nsec->rdata + nl;
	size_t bl = nsec->rdlen - (size_t)nl;
	if (!denial_bitmap_has(bm, bl, DNS_T_NS) ||
	    denial_bitmap_has(bm, bl, DNS_T_DS) ||
	    denial_bitmap_has(bm, bl, DNS_T_SOA))
		return;
	struct cache_hit h;
	if (cache_get(e->cache, &nsec->owner, DNS_T_DS, DNS_C_IN, now_s, &h) ||
	    cache_get(e->cache, &nsec->owner, DNS_T_DS, VAL_C_NODS, now_s, &h))
		return;
	dns_rr s[PROOF_MAX];
	size_t k = 0;
	for (size_t i = 0; i < ns && k < PROOF_MAX; i++)
		if (dns_name_equal(&sigs[i].owner, &nsec->owner))
			s[k++] = sigs[i];
	struct cache_put p = { .kind = CACHE_NODATA, .owner = &nsec->owner,
	                       .type = DNS_T_DS, .rclass = VAL_C_NODS,
	                       .rrs = nsec, .n = 1, .sigs = s, .nsig = k,
	                       .ttl = nsec->ttl ? nsec->ttl : 1,
	                       .status = VAL_UNCHECKED, .rank = RANK_GLUE };
	cache_put(e->cache, &p, now_s);
}

/* The same for an NSEC3 record: it names no owner, so the names it may
 * stand for are hashed (RFC 5155 §5): the CNAME targets of the answer and
 * their ancestors in the zone, at most NODS_HASH_MAX of them. */
#define NODS_HASH_MAX 8

static void nods_from_nsec3(res_engine *e, size_t nrr, const dns_rr *n3,
                            const dns_rr *sigs, size_t ns, uint64_t now_s)
{
	if (n3->type != DNS_T_NSEC3)
		return;
	/* RFC 5155 §3.2: alg, flags, iterations, salt, next hash, bitmap */
	wire_rd rd = wire_rd_init(n3->rdata, n3->rdlen);
	uint8_t alg = wire_rd_u8(&rd);
	wire_rd_skip(&rd, 1);
	uint16_t iter = wire_rd_u16(&rd);
	size_t sl = wire_rd_u8(&rd);
	const uint8_t *salt = wire_rd_view(&rd, sl);
	size_t hl = wire_rd_u8(&rd);
	wire_rd_skip(&rd, hl);
	size_t bl = wire_rd_left(&rd);
	const uint8_t *bm = wire_rd_view(&rd, bl);
	if (rd.err || alg != NSEC3_HASH_SHA1 || iter > e->val->nsec3_max_iter)
		return;
	if (!denial_bitmap_has(bm, bl, DNS_T_NS) ||
	    denial_bitmap_has(bm, bl, DNS_T_DS) ||
	    denial_bitmap_has(bm, bl, DNS_T_SOA))
		return;
	uint8_t own[NSEC3_SHA1_LEN + 8];
	size_t ol = 0;
	const uint8_t *lab = n3->owner.wire;
	if (base32hex_decode((const char *)lab + 1, lab[0], own, sizeof own,
	                     &ol) < 0 || ol != NSEC3_SHA1_LEN)
		return;
	dns_name zone = n3->owner;
	dns_name_strip_left(&zone, 1);
	unsigned budget = NODS_HASH_MAX;
	for (size_t i = 0; i < nrr && budget; i++) {
		const dns_rr *r = &e->rrs[i];
		dns_name t;
		if (e->rsec[i] != DNS_SEC_ANSWER || r->type != DNS_T_CNAME ||
		    dns_name_from_wire(&t, r->rdata, r->rdlen) < 0)
			continue;
		for (; budget && t.len > zone.len &&
		     dns_name_is_subdomain(&t, &zone); dns_name_strip_left(&t, 1)) {
			uint8_t h[NSEC3_SHA1_LEN];
			budget--;
			if (nsec3_hash(alg, salt, sl, iter, &t, h) < 0 ||
			    memcmp(h, own, NSEC3_SHA1_LEN))
				continue;
			struct cache_hit ch;
			if (cache_get(e->cache, &t, DNS_T_DS, DNS_C_IN, now_s, &ch) ||
			    cache_get(e->cache, &t, DNS_T_DS, VAL_C_NODS, now_s, &ch))
				return;
			dns_rr s3[PROOF_MAX];
			size_t k = 0;
			for (size_t j = 0; j < ns && k < PROOF_MAX; j++)
				if (dns_name_equal(&sigs[j].owner, &n3->owner))
					s3[k++] = sigs[j];
			struct cache_put p = { .kind = CACHE_NODATA, .owner = &t,
			                       .type = DNS_T_DS, .rclass = VAL_C_NODS,
			                       .rrs = n3, .n = 1, .sigs = s3,
			                       .nsig = k,
			                       .ttl = n3->ttl ? n3->ttl : 1,
			                       .status = VAL_UNCHECKED,
			                       .rank = RANK_GLUE };
			cache_put(e->cache, &p, now_s);
			return;
		}
	}
}

/* An opt-out NSEC3 span of the response covering a CNAME target's
 * ancestor directly below the NSEC3 zone (the next closer name, with the
 * zone as closest encloser): the RFC 5155 §8.9 proof that it may be an
 * unsigned delegation, kept as its DS NODATA with every NSEC3 of the
 * response (as Unbound's negative cache keeps it). Validated when used
 * (val_neg_prove); unsigned data below it is then insecure. */
static void nods_optout(res_engine *e, size_t nrr, const dns_rr *recs,
                        size_t n, const dns_rr *sigs, size_t ns,
                        uint32_t ttl, uint64_t now_s)
{
	dns_rr n3[PROOF_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (recs[i].type == DNS_T_NSEC3)
			n3[k++] = recs[i];
	if (!k)
		return;
	dns_name zone = n3[0].owner;
	dns_name_strip_left(&zone, 1);
	unsigned zl = dns_name_labels(&zone);
	nsec3_ctx x;
	nsec3_ctx_init(&x);
	x.max_iterations = e->val->nsec3_max_iter;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		dns_name t;
		if (e->rsec[i] != DNS_SEC_ANSWER || r->type != DNS_T_CNAME ||
		    dns_name_from_wire(&t, r->rdata, r->rdlen) < 0 ||
		    !dns_name_is_subdomain(&t, &zone) ||
		    dns_name_labels(&t) <= zl)
			continue;
		dns_name_strip_left(&t, dns_name_labels(&t) - zl - 1);
		struct cache_hit ch;
		if (cache_get(e->cache, &t, DNS_T_DS, DNS_C_IN, now_s, &ch) ||
		    cache_get(e->cache, &t, DNS_T_DS, VAL_C_NODS, now_s, &ch))
			continue;
		denial_query dq = { .qname = &t, .qtype = DNS_T_DS, .zone = &zone };
		denial_result d;
		if (nsec3_prove_insecure_delegation(&dq, n3, k, &x, &d) !=
		    DENIAL_INSECURE || d.reason != DENIAL_R_OPTOUT)
			continue;
		struct cache_put p = { .kind = CACHE_NODATA, .owner = &t,
		                       .type = DNS_T_DS, .rclass = VAL_C_NODS,
		                       .rrs = n3, .n = k, .sigs = sigs,
		                       .nsig = ns, .ttl = ttl ? ttl : 1,
		                       .status = VAL_UNCHECKED,
		                       .rank = RANK_GLUE };
		cache_put(e->cache, &p, now_s);
	}
}

void val_note_proof(res_engine *e, size_t nrr, const dns_name *owner,
                    uint64_t now_s)
{
	if (!e->val)
		return;
	dns_rr recs[PROOF_MAX], sigs[PROOF_MAX];
	size_t n = 0, ns = 0;
	uint32_t ttl = UINT32_MAX;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_AUTHORITY || r->rclass != DNS_C_IN)
			continue;
		if ((r->type == DNS_T_NSEC || r->type == DNS_T_NSEC3) &&
		    n < PROOF_MAX) {
			recs[n++] = *r;
			if (r->ttl < ttl)
				ttl = r->ttl;
		} else if (r->type == DNS_T_RRSIG && r->rdlen >= 2 &&
		           ns < PROOF_MAX) {
			uint16_t tc = (uint16_t)(r->rdata[0] << 8 | r->rdata[1]);
			if (tc == DNS_T_NSEC || tc == DNS_T_NSEC3)
				sigs[ns++] = *r;
		}
	}
	if (!n)
		return;
	for (size_t i = 0; i < n; i++) {
		nods_from_nsec(e, &recs[i], sigs, ns, now_s);
		nods_from_nsec3(e, nrr, &recs[i], sigs, ns, now_s);
	}
	nods_optout(e, nrr, recs, n, sigs, ns, ttl, now_s);
	struct cache_put p = { .kind = CACHE_NODATA, .owner = owner,
	                       .type = DNS_T_NSEC, .rclass = VAL_C_PROOF,
	                       .rrs = recs, .n = n, .sigs = sigs, .nsig = ns,
	                       .ttl = ttl ? ttl : 1, .status = VAL_UNCHECKED,
	                       .rank = RANK_AUTH_ANSWER };
	cache_put(e->cache, &p, now_s);
}

static bool same_rr(const dns_rr *a, const dns_rr *b)
{
	return a->type == b->type && a->rdlen == b->rdlen &&
	       dns_name_equal(&a->owner, &b->owner) &&
	       !memcmp(a->rdata, b->rdata, a->rdlen);
}

/* Records already in the authority section (the final negative entry's
 * and the proofs added so far): not added twice. */
struct seen {
	dns_rr rr[2 * PROOF_MAX + 16];
	size_t n;
};

static bool seen_add(struct seen *s, const dns_rr *rr)
{
	for (size_t i = 0; i < s->n; i++)
		if (same_rr(&s->rr[i], rr))
			return false;
	if (s->n < sizeof(s->rr) / sizeof(s->rr[0]))
		s->rr[s->n++] = *rr;
	return true;
}

static void add_proof_of(res_engine *e, struct dns_mb *b,
                         const dns_name *owner, struct seen *sn,
                         uint64_t now_s)
{
	struct cache_hit h;
	if (!cache_get(e->cache, owner, DNS_T_NSEC, VAL_C_PROOF, now_s, &h))
		return;
	for (size_t i = 0; i < h.n + h.nsig; i++) {
		dns_rr rr;
		if (cache_hit_rr(&h, i, &rr) == 0) {
			rr.rclass = DNS_C_IN;
			if (seen_add(sn, &rr))
				dns_mb_rr(b, DNS_SEC_AUTHORITY, &rr);
		}
	}
}

/* Only for RRsets that are wildcard expansions: their RRSIG's labels
 * field is below the owner's label count. */
static bool expanded(res_engine *e, const dns_name *owner, uint16_t type,
                     uint64_t now_s)
{
	struct cache_hit h;
	if (!cache_get(e->cache, owner, type, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE)
		return false;
	if (type == DNS_T_ANY) { /* an ANY answer: any set of it */
		uint16_t types[RES_ANY_MAX_TYPES];
		size_t nt = eng_any_types(&h, types, RES_ANY_MAX_TYPES);
		for (size_t i = 0; i < nt; i++)
			if (types[i] != DNS_T_ANY &&
			    expanded(e, owner, types[i], now_s))
				return true;
		return false;
	}
	unsigned labels = dns_name_labels(owner);
	for (size_t i = 0; i < h.nsig; i++) {
		dns_rr rr;
		if (cache_hit_rr(&h, h.n + i, &rr) < 0)
			continue;
		/* only the labels field (RFC 4034 §3.1.3), after type covered
		 * and algorithm: the cached RRSIG was parsed when it was
		 * validated, a whole parse per DO=1 cache hit is not needed */
		wire_rd rd = wire_rd_init(rr.rdata, rr.rdlen);
		wire_rd_skip(&rd, 3);
		uint8_t l = wire_rd_u8(&rd);
		wire_rd_skip(&rd, 14); /* TTL, expiration, inception, key tag */
		if (!rd.err && l < labels)
			return true;
	}
	return false;
}

void val_add_proofs(res_engine *e, const struct query *q, struct dns_mb *b,
                    uint64_t now_s)
{
	if (!e->val || !q->c_do)
		return;
	struct seen sn;
	sn.n = 0;
	struct cache_hit h;
	const dns_name *last = &q->chain[q->nchain - 1];
	if (cache_get(e->cache, last, q->qtype, DNS_C_IN, now_s, &h) &&
	    h.kind != CACHE_POSITIVE)
		for (size_t i = 0; i < h.n + h.nsig; i++) {
			dns_rr rr;
			if (cache_hit_rr(&h, i, &rr) == 0)
				seen_add(&sn, &rr);
		}
	/* a CNAME's response's NSEC/NSEC3 (as Unbound keeps them), and the
	 * wildcard proof of an expanded final RRset */
	for (unsigned i = q->n_local; i < q->nchain; i++) {
		uint16_t t = i + 1 < q->nchain ? DNS_T_CNAME : q->qtype;
		if (i + 1 < q->nchain || expanded(e, &q->chain[i], t, now_s))
			add_proof_of(e, b, &q->chain[i], &sn, now_s);
	}
}
