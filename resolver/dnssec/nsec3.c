/* ward: NSEC3 denial proofs (RFC 5155 §8, RFC 9276, CVE-2023-50868).
 *
 * An NSEC3 at H(O).zone with next hash N says no name of the zone hashes
 * strictly between H(O) and N (wrapping at the last one). Names are hashed
 * with the zone's salt and iterations; every hash is counted against the
 * caller's budget (nsec3_ctx) before it is computed. */
#include <string.h>

#include "codec/base.h"
#include "codec/cursor.h"
#include "denial_int.h"
#include "denial_limits.h"

void nsec3_ctx_init(nsec3_ctx *c)
{
	c->max_iterations = DENIAL_NSEC3_MAX_ITERATIONS;
	c->max_hashes = DENIAL_NSEC3_MAX_HASHES;
	c->hashes = 0;
}

struct n3 {
	const dns_rr *rr;
	uint8_t flags;
	uint8_t owner[NSEC3_SHA1_LEN];
	const uint8_t *next;          /* NSEC3_SHA1_LEN octets */
	const uint8_t *bitmap;
	size_t bmlen;
	/* parameters, compared across the set */
	uint8_t alg;
	uint16_t iterations;
	uint8_t saltlen;
	const uint8_t *salt;
};

#define N3_MEMO 16

struct n3_set {
	struct n3 r[DENIAL_MAX_RECORDS];
	size_t n;
	const denial_query *q;
	nsec3_ctx *ctx;
	struct {
		dns_name name;
		uint8_t h[NSEC3_SHA1_LEN];
	} memo[N3_MEMO];
	unsigned nmemo;
};

/* One NSEC3 of the zone with a known algorithm and flags (RFC 5155
 * §8.1-8.2: others are ignored); false if unusable. */
static bool n3_parse(const dns_rr *rr, const dns_name *zone, struct n3 *v)
{
	if (rr->type != DNS_T_NSEC3 || (rr->rdlen > 0 && !rr->rdata))
		return false;
	wire_rd rd = wire_rd_init(rr->rdata, rr->rdlen);
	v->alg = wire_rd_u8(&rd);
	v->flags = wire_rd_u8(&rd);
	v->iterations = wire_rd_u16(&rd);
	v->saltlen = wire_rd_u8(&rd);
	v->salt = wire_rd_view(&rd, v->saltlen);
	uint8_t hlen = wire_rd_u8(&rd);
	v->next = wire_rd_view(&rd, hlen);
	if (rd.err || v->alg != NSEC3_HASH_SHA1 ||
	    (v->flags & ~NSEC3_FLAG_OPTOUT) != 0 || hlen != NSEC3_SHA1_LEN)
		return false;
	v->bitmap = rr->rdata + rd.pos;
	v->bmlen = rr->rdlen - rd.pos;
	/* owner: base32hex(hash) as the one label above the zone */
	const dns_name *o = &rr->owner;
	if (o->wire[0] != BASE32HEX_ENCODED_LEN(NSEC3_SHA1_LEN))
		return false;
	dns_name parent = *o;
	dns_name_strip_left(&parent, 1);
	if (!dns_name_equal(&parent, zone))
		return false;
	size_t got = 0;
	if (base32hex_decode((const char *)o->wire + 1, o->wire[0], v->owner,
	                     sizeof v->owner, &got) != 0 ||
	    got != NSEC3_SHA1_LEN)
		return false;
	v->rr = rr;
	return true;
}

static bool same_params(const struct n3 *a, const struct n3 *b)
{
	return a->alg == b->alg && a->iterations == b->iterations &&
	       a->saltlen == b->saltlen &&
	       (a->saltlen == 0 || memcmp(a->salt, b->salt, a->saltlen) == 0);
}

static bool n3_has(const struct n3 *v, uint16_t type)
{
	return denial_bitmap_has(v->bitmap, v->bmlen, type);
}

/* Hash with the set's parameters, through the memo and the budget. */
static int n3_hash(struct n3_set *s, const dns_name *name,
                   uint8_t out[NSEC3_SHA1_LEN])
{
	for (unsigned i = 0; i < s->nmemo; i++)
		if (dns_name_equal(&s->memo[i].name, name)) {
			memcpy(out, s->memo[i].h, NSEC3_SHA1_LEN);
			return 0;
		}
	if (s->ctx->hashes >= s->ctx->max_hashes)
		return WARD_ELIMIT;
	s->ctx->hashes++;
	const struct n3 *p = &s->r[0];
	int rc = nsec3_hash(p->alg, p->salt, p->saltlen, p->iterations, name,
	                    out);
	if (rc == 0 && s->nmemo < N3_MEMO) {
		s->memo[s->nmemo].name = *name;
		memcpy(s->memo[s->nmemo].h, out, NSEC3_SHA1_LEN);
		s->nmemo++;
	}
	return rc;
}

static enum denial_verdict hash_failed(const struct n3_set *s, int rc,
                                       denial_result *out)
{
	if (rc == WARD_ELIMIT)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_HASH_LIMIT,
		                  DENIAL_EDE_BOGUS,
		                  "NSEC3 work limit: %u hash computations used",
		                  s->ctx->hashes);
	return denial_set(out, DENIAL_BOGUS, DENIAL_R_BAD_INPUT,
	                  DENIAL_EDE_BOGUS, "NSEC3 hash failed: %s",
	                  ward_strerror(rc));
}

static const struct n3 *n3_match(const struct n3_set *s,
                                 const uint8_t h[NSEC3_SHA1_LEN])
{
	for (size_t i = 0; i < s->n; i++)
		if (memcmp(s->r[i].owner, h, NSEC3_SHA1_LEN) == 0)
			return &s->r[i];
	return NULL;
}

/* owner < h < next, or for the last NSEC3 (next <= owner) h past the owner
 * or before the next (RFC 5155 §1.3 "covers"). */
static const struct n3 *n3_cover(const struct n3_set *s,
                                 const uint8_t h[NSEC3_SHA1_LEN])
{
	for (size_t i = 0; i < s->n; i++) {
		const struct n3 *v = &s->r[i];
		int lo = memcmp(v->owner, h, NSEC3_SHA1_LEN);
		int hi = memcmp(h, v->next, NSEC3_SHA1_LEN);
		bool wrap = memcmp(v->owner, v->next, NSEC3_SHA1_LEN) >= 0;
		if (wrap ? (lo < 0 || hi < 0) : (lo < 0 && hi < 0))
			return v;
	}
	return NULL;
}

/* Collect the records, check parameters and iterations. False with out
 * set when no proof can be attempted. */
static bool n3_start(const denial_query *q, const dns_rr *rrs, size_t n,
                     nsec3_ctx *ctx, struct n3_set *s, denial_result *out)
{
	denial_result_reset(out);
	char qb[DNS_NAME_TEXT_MAX], zb[DNS_NAME_TEXT_MAX];
	s->n = 0;
	s->q = q;
	s->ctx = ctx;
	s->nmemo = 0;
	if (!dns_name_is_subdomain(q->qname, q->zone)) {
		denial_set(out, DENIAL_BOGUS, DENIAL_R_BAD_INPUT, DENIAL_EDE_BOGUS,
		           "%s is not in zone %s", dns_name_str(q->qname, qb),
		           dns_name_str(q->zone, zb));
		return false;
	}
	for (size_t i = 0; i < n && s->n < DENIAL_MAX_RECORDS; i++) {
		struct n3 v;
		if (!n3_parse(&rrs[i], q->zone, &v))
			continue;
		if (s->n > 0 && !same_params(&s->r[0], &v)) {
			denial_set(out, DENIAL_BOGUS, DENIAL_R_PARAM_MISMATCH,
			           DENIAL_EDE_BOGUS,
			           "NSEC3 records of %s with different salt or "
			           "iterations (%u and %u)", dns_name_str(q->zone, zb),
			           s->r[0].iterations, v.iterations);
			return false;
		}
		s->r[s->n++] = v;
	}
	if (s->n == 0) {
		denial_set(out, DENIAL_BOGUS, DENIAL_R_NO_RECORDS,
		           DENIAL_EDE_NSEC_MISSING,
		           "no usable NSEC3 records of zone %s",
		           dns_name_str(q->zone, zb));
		return false;
	}
	/* RFC 9276 §3.2: insecure, without hashing anything */
	if (s->r[0].iterations > ctx->max_iterations) {
		denial_set(out, DENIAL_INSECURE, DENIAL_R_ITERATIONS,
		           DENIAL_EDE_NSEC3_ITERATIONS,
		           "NSEC3 iterations %u of %s above the limit %u",
		           s->r[0].iterations, dns_name_str(q->zone, zb),
		           ctx->max_iterations);
		return false;
	}
	return true;
}

struct ce_proof {
	bool qname_matched;            /* qname itself has an NSEC3 */
	const struct n3 *match;        /* the record matching the encloser */
	const struct n3 *nc_cover;     /* covers the next closer (if !qname_matched) */
	dns_name ce;
	dns_name next_closer;
};

/* RFC 5155 §8.3: the longest ancestor of qname with a matching NSEC3 and
 * an NSEC3 covering the next closer name below it. Returns true with p
 * filled, or false with out set. */
static bool ce_prove(struct n3_set *s, struct ce_proof *p, denial_result *out)
{
	const denial_query *q = s->q;
	char nb[DNS_NAME_TEXT_MAX], cb[DNS_NAME_TEXT_MAX];
	dns_name name = *q->qname, child = *q->qname;
	uint8_t h[NSEC3_SHA1_LEN], child_h[NSEC3_SHA1_LEN];
	p->qname_matched = false;
	p->nc_cover = NULL;
	for (;;) {
		int rc = n3_hash(s, &name, h);
		if (rc != 0) {
			hash_failed(s, rc, out);
			return false;
		}
		const struct n3 *m = n3_match(s, h);
		if (m) {
			p->match = m;
			p->ce = name;
			out->have_encloser = true;
			out->closest_encloser = name;
			if (name.len == q->qname->len) {
				p->qname_matched = true;
				return true;
			}
			/* an encloser at a zone cut or DNAME is the parent's
			 * view: names below belong elsewhere */
			if (n3_has(m, DNS_T_DNAME) ||
			    (n3_has(m, DNS_T_NS) && !n3_has(m, DNS_T_SOA))) {
				denial_set(out, DENIAL_BOGUS,
				           DENIAL_R_ANCESTOR_DELEGATION,
				           DENIAL_EDE_BOGUS,
				           "closest encloser %s is a delegation or "
				           "DNAME", dns_name_str(&name, cb));
				return false;
			}
			p->next_closer = child;
			p->nc_cover = n3_cover(s, child_h);
			if (!p->nc_cover) {
				denial_set(out, DENIAL_BOGUS,
				           DENIAL_R_NEXT_CLOSER_NOT_COVERED,
				           DENIAL_EDE_NSEC_MISSING,
				           "no NSEC3 covers the next closer name %s "
				           "(closest encloser %s)",
				           dns_name_str(&child, nb),
				           dns_name_str(&name, cb));
				return false;
			}
			return true;
		}
		if (name.len <= q->zone->len)
			break;
		child = name;
		memcpy(child_h, h, sizeof h);
		dns_name_strip_left(&name, 1);
	}
	denial_set(out, DENIAL_BOGUS, DENIAL_R_NO_CLOSEST_ENCLOSER,
	           DENIAL_EDE_NSEC_MISSING,
	           "no NSEC3 matches %s or any ancestor up to %s",
	           dns_name_str(q->qname, nb), dns_name_str(q->zone, cb));
	return false;
}

static bool optout(const struct n3 *v)
{
	return v && (v->flags & NSEC3_FLAG_OPTOUT);
}

/* RFC 5155 §9.2: an opt-out span may hide unsigned delegations, so a proof
 * resting on it is not secure (Unbound: no AD). */
static enum denial_verdict optout_insecure(const struct ce_proof *p,
                                           denial_result *out)
{
	char nb[DNS_NAME_TEXT_MAX];
	return denial_set(out, DENIAL_INSECURE, DENIAL_R_OPTOUT,
	                  DENIAL_EDE_NONE,
	                  "opt-out NSEC3 covers the next closer name %s",
	                  dns_name_str(&p->next_closer, nb));
}

enum denial_verdict nsec3_prove_nxdomain(const denial_query *q,
                                         const dns_rr *rrs, size_t n,
                                         nsec3_ctx *ctx, denial_result *out)
{
	struct n3_set s;
	if (!n3_start(q, rrs, n, ctx, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX], wb[DNS_NAME_TEXT_MAX];
	struct ce_proof p;
	if (!ce_prove(&s, &p, out))
		return out->verdict;
	if (p.qname_matched)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS, "an NSEC3 matches %s: it exists",
		                  dns_name_str(q->qname, qb));
	dns_name wc;
	if (denial_wildcard_of(&p.ce, &wc)) {
		uint8_t h[NSEC3_SHA1_LEN];
		int rc = n3_hash(&s, &wc, h);
		if (rc != 0)
			return hash_failed(&s, rc, out);
		if (n3_match(&s, h))
			return denial_set(out, DENIAL_BOGUS,
			                  DENIAL_R_WILDCARD_NOT_DENIED,
			                  DENIAL_EDE_BOGUS,
			                  "an NSEC3 matches the wildcard %s: it "
			                  "exists", dns_name_str(&wc, wb));
		if (!n3_cover(&s, h))
			return denial_set(out, DENIAL_BOGUS,
			                  DENIAL_R_WILDCARD_NOT_DENIED,
			                  DENIAL_EDE_NSEC_MISSING,
			                  "no NSEC3 covers the wildcard %s",
			                  dns_name_str(&wc, wb));
	}
	if (optout(p.nc_cover))
		return optout_insecure(&p, out);
	return denial_ok(out);
}

enum denial_verdict nsec3_prove_nodata(const denial_query *q,
                                       const dns_rr *rrs, size_t n,
                                       nsec3_ctx *ctx, denial_result *out)
{
	struct n3_set s;
	if (!n3_start(q, rrs, n, ctx, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX], wb[DNS_NAME_TEXT_MAX];
	struct ce_proof p;
	if (!ce_prove(&s, &p, out))
		return out->verdict;
	/* §8.5 (and §8.6 with a match): the NSEC3 at qname, an ENT's too */
	if (p.qname_matched)
		return denial_nodata_types(q, &p.match->rr->owner, "NSEC3",
		                           p.match->bitmap, p.match->bmlen, out);
	/* §8.7 wildcard NODATA */
	dns_name wc;
	if (denial_wildcard_of(&p.ce, &wc)) {
		uint8_t h[NSEC3_SHA1_LEN];
		int rc = n3_hash(&s, &wc, h);
		if (rc != 0)
			return hash_failed(&s, rc, out);
		const struct n3 *w = n3_match(&s, h);
		if (w) {
			if (denial_nodata_types(q, &w->rr->owner, "NSEC3",
			                        w->bitmap, w->bmlen,
			                        out) != DENIAL_SECURE)
				return out->verdict;
			if (optout(p.nc_cover))
				return optout_insecure(&p, out);
			return denial_ok(out);
		}
	}
	/* §8.6 DS under opt-out; likewise an empty non-terminal that only
	 * exists for unsigned delegations in an opt-out span (Unbound) */
	if (optout(p.nc_cover))
		return optout_insecure(&p, out);
	return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
	                  DENIAL_EDE_NSEC_MISSING,
	                  "no NSEC3 matches %s or the wildcard *.%s, and the "
	                  "next closer is not opt-out",
	                  dns_name_str(q->qname, qb), dns_name_str(&p.ce, wb));
}

enum denial_verdict nsec3_prove_wildcard(const denial_query *q,
                                         unsigned rrsig_labels,
                                         const dns_rr *rrs, size_t n,
                                         nsec3_ctx *ctx, denial_result *out)
{
	denial_result_reset(out);
	char qb[DNS_NAME_TEXT_MAX], nb[DNS_NAME_TEXT_MAX];
	unsigned ql = dns_name_labels(q->qname);
	if (rrsig_labels > ql)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_BAD_INPUT,
		                  DENIAL_EDE_BOGUS,
		                  "RRSIG labels %u exceed the %u labels of %s",
		                  rrsig_labels, ql, dns_name_str(q->qname, qb));
	if (rrsig_labels == ql ||
	    (rrsig_labels + 1 == ql && q->qname->wire[0] == 1 &&
	     q->qname->wire[1] == '*'))
		return denial_ok(out);
	struct n3_set s;
	if (!n3_start(q, rrs, n, ctx, &s, out))
		return out->verdict;
	struct ce_proof p;
	p.nc_cover = NULL;
	denial_name_suffix(q->qname, rrsig_labels, &p.ce);
	denial_name_suffix(q->qname, rrsig_labels + 1, &p.next_closer);
	out->have_encloser = true;
	out->closest_encloser = p.ce;
	uint8_t h[NSEC3_SHA1_LEN];
	int rc = n3_hash(&s, &p.next_closer, h);
	if (rc != 0)
		return hash_failed(&s, rc, out);
	if (n3_match(&s, h))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "an NSEC3 matches %s: no wildcard applies below it",
		                  dns_name_str(&p.next_closer, nb));
	p.nc_cover = n3_cover(&s, h);
	if (!p.nc_cover)
		return denial_set(out, DENIAL_BOGUS,
		                  DENIAL_R_NEXT_CLOSER_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "no NSEC3 covers the next closer name %s of the "
		                  "wildcard answer %s",
		                  dns_name_str(&p.next_closer, nb),
		                  dns_name_str(q->qname, qb));
	if (optout(p.nc_cover))
		return optout_insecure(&p, out);
	return denial_ok(out);
}

enum denial_verdict nsec3_prove_insecure_delegation(const denial_query *q,
                                                    const dns_rr *rrs,
                                                    size_t n, nsec3_ctx *ctx,
                                                    denial_result *out)
{
	struct n3_set s;
	if (!n3_start(q, rrs, n, ctx, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX], nb[DNS_NAME_TEXT_MAX];
	uint8_t h[NSEC3_SHA1_LEN];
	int rc = n3_hash(&s, q->qname, h);
	if (rc != 0)
		return hash_failed(&s, rc, out);
	const struct n3 *m = n3_match(&s, h);
	if (m) {
		out->have_encloser = true;
		out->closest_encloser = *q->qname;
		if (!n3_has(m, DNS_T_NS))
			return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_DELEGATION,
			                  DENIAL_EDE_BOGUS,
			                  "NSEC3 at %s has no NS: not a delegation",
			                  dns_name_str(q->qname, qb));
		if (n3_has(m, DNS_T_SOA))
			return denial_set(out, DENIAL_BOGUS, DENIAL_R_CHILD_SIDE,
			                  DENIAL_EDE_BOGUS,
			                  "NSEC3 at %s is a zone apex (SOA): not the "
			                  "parent's side of the delegation",
			                  dns_name_str(q->qname, qb));
		if (n3_has(m, DNS_T_DS))
			return denial_set(out, DENIAL_BOGUS, DENIAL_R_DS_EXISTS,
			                  DENIAL_EDE_BOGUS,
			                  "NSEC3 at %s lists DS: the delegation is "
			                  "signed", dns_name_str(q->qname, qb));
		return denial_ok(out);
	}
	/* §8.9 / §6: no NSEC3 of its own, so it must lie in an opt-out span */
	struct ce_proof p;
	if (!ce_prove(&s, &p, out))
		return out->verdict;
	if (!optout(p.nc_cover))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_DELEGATION,
		                  DENIAL_EDE_BOGUS,
		                  "no NSEC3 at %s and the NSEC3 covering %s is not "
		                  "opt-out: the delegation does not exist",
		                  dns_name_str(q->qname, qb),
		                  dns_name_str(&p.next_closer, nb));
	return optout_insecure(&p, out);
}
