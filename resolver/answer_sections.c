/* ward resolver: the authority and additional sections of answers when
 * full responses are configured (res_config.full_responses, Unbound's
 * minimal-responses: no). When a reply answers a question (positively or
 * negatively), the NS RRsets of its authority section that lie in the
 * zone's bailiwick, and the addresses in its additional section of the
 * names those NS sets (and answer NS/MX/SRV records) point at, are copied
 * into a msgref entry (with their RRSIGs); answers for that question then
 * carry them, as Unbound's message cache does. The NS set is cached for
 * iteration only when it keeps every server already known (ns_superset). */
#include <string.h>

#include "codec/msg_build.h"
#include "resolver/engine_int.h"

/* Does the rdata of r name `n` as its target (NS, MX, SRV)? */
static bool names_target(const dns_rr *r, const dns_name *n)
{
	size_t off;
	switch (r->type) {
	case DNS_T_NS: off = 0; break;
	case DNS_T_MX: off = 2; break;
	case DNS_T_SRV: off = 6; break;
	default: return false;
	}
	dns_name t;
	if (r->rdlen <= off ||
	    dns_name_from_wire(&t, r->rdata + off, r->rdlen - off) < 0)
		return false;
	return dns_name_equal(&t, n);
}

static bool have_set(const struct msgref_entry *m, const dns_name *owner,
                     uint16_t type)
{
	for (unsigned i = 0; i < m->nsets; i++)
		if (m->sets[i].type == type && dns_name_equal(&m->sets[i].owner, owner))
			return true;
	return false;
}

/* Does the reply's authority NS set for owner keep every name of the
 * cached one? Only then may it replace it: a child may add servers to
 * its delegation, but an answer must not take the known ones away
 * (Unbound's NS spoof protection, iter_ns_spoof). */
static bool ns_superset(res_engine *e, size_t nrr, const dns_name *owner,
                        uint64_t now_s)
{
	struct cache_hit h;
	if (!cache_get(e->cache, owner, DNS_T_NS, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE)
		return true;
	for (size_t k = 0; k < h.n; k++) {
		dns_rr old;
		if (cache_hit_rr(&h, k, &old) < 0)
			return false;
		bool found = false;
		for (size_t i = 0; i < nrr && !found; i++) {
			const dns_rr *r = &e->rrs[i];
			found = e->rsec[i] == DNS_SEC_AUTHORITY &&
			        r->type == DNS_T_NS &&
			        dns_name_equal(&r->owner, owner) &&
			        r->rdlen == old.rdlen &&
			        dns_rdata_canon_cmp(DNS_T_NS, r->rdata, r->rdlen,
			                            old.rdata, old.rdlen) == 0;
		}
		if (!found)
			return false;
	}
	return true;
}

/* Copy the RRset (owner, type) of section sec, then its RRSIGs. */
static void copy_set(res_engine *e, struct msgref_entry *m, size_t nrr,
                     const dns_name *owner, uint16_t type, enum dns_section sec)
{
	dns_rr set[MSGREF_MAX_RRS];
	size_t n = 0, ns = 0;
	for (int pass = 0; pass < 2; pass++) {
		n = 0;
		for (size_t i = 0; i < nrr && n < MSGREF_MAX_RRS; i++) {
			const dns_rr *r = &e->rrs[i];
			/* RRSIGs from anywhere in the reply */
			if ((pass == 0 && e->rsec[i] != sec) ||
			    !dns_name_equal(&r->owner, owner))
				continue;
			if (pass == 0 && r->type == type)
				set[n++] = *r;
			else if (pass == 1 && r->type == DNS_T_RRSIG &&
			         r->rdlen >= 2 &&
			         (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) == type)
				set[n++] = *r;
		}
		if (pass == 0 && !msgref_add(m, (uint8_t)sec, set, n))
			return;
		ns = n;
	}
	if (ns)
		msgref_add(m, (uint8_t)sec, set, ns);
}

/* Minimal responses keep the sections of a positive answer whose reply
 * carries NSEC/NSEC3 records in authority (a wildcard expansion's proof,
 * RFC 4035 §3.1.3.3): as Unbound's positive_answer(), the message is then
 * not minimised. */
static bool wildcard_proof(const res_engine *e, size_t nrr,
                           const dns_name *qname, uint16_t qtype)
{
	bool answer = false, proof = false;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] == DNS_SEC_ANSWER && r->type == qtype &&
		    dns_name_equal(&r->owner, qname))
			answer = true;
		if (e->rsec[i] == DNS_SEC_AUTHORITY &&
		    (r->type == DNS_T_NSEC || r->type == DNS_T_NSEC3))
			proof = true;
	}
	return answer && proof && qtype != DNS_T_NS;
}

/* Does the reply carry RRSIGs for (owner, type)? */
static bool reply_signed(const res_engine *e, size_t nrr, const dns_name *owner,
                         uint16_t type)
{
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (r->type == DNS_T_RRSIG && r->rdlen >= 2 &&
		    (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) == type &&
		    dns_name_equal(&r->owner, owner))
			return true;
	}
	return false;
}

/* Validating: the zone's own signed NS set (authority) and the signed
 * addresses of its names (additional) replace the unsigned copies a
 * referral left in the cache, minimal responses or not, so that a
 * referral from the cache (engine_norec.c) can be validated, as
 * Unbound's validated RRsets replace its glue. In bailiwick only. */
static void keep_signed_sets(res_engine *e, const struct query *q, size_t nrr,
                             const dns_name *qname, bool aa, uint64_t now_s)
{
	const dns_name *bail = &q->zone;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_AUTHORITY || r->type != DNS_T_NS ||
		    !dns_name_is_subdomain(&r->owner, bail) ||
		    !dns_name_is_subdomain(qname, &r->owner) ||
		    !reply_signed(e, nrr, &r->owner, DNS_T_NS))
			continue;
		if (ns_superset(e, nrr, &r->owner, now_s))
			eng_cache_set(e, nrr, &r->owner, DNS_T_NS, DNS_SEC_AUTHORITY,
			              aa ? RANK_ANSWER : RANK_AUTHORITY, now_s);
		break;
	}
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ADDITIONAL ||
		    (r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
		    !dns_name_is_subdomain(&r->owner, bail) ||
		    !reply_signed(e, nrr, &r->owner, r->type))
			continue;
		bool named = false;
		for (size_t j = 0; j < nrr && !named; j++)
			named = e->rsec[j] == DNS_SEC_AUTHORITY &&
			        names_target(&e->rrs[j], &r->owner);
		struct cache_hit h;
		if (named && (!cache_get(e->cache, &r->owner, r->type, DNS_C_IN,
		                         now_s, &h) ||
		              (h.rank <= RANK_GLUE && !h.nsig)) &&
		    !eng_private_rrset(e, nrr, &r->owner, r->type,
		                       DNS_SEC_ADDITIONAL))
			eng_cache_set(e, nrr, &r->owner, r->type, DNS_SEC_ADDITIONAL,
			              RANK_GLUE, now_s);
	}
}

void eng_note_sections(res_engine *e, const struct query *q, size_t nrr,
                       const dns_name *qname, uint16_t qtype, bool positive,
                       bool aa, uint64_t now_s)
{

	if (e->val && !q->fwd &&
	    (!q->depth || qtype == DNS_T_DNSKEY || qtype == DNS_T_DS))
		keep_signed_sets(e, q, nrr, qname, aa, now_s);
	/* sub-queries: the validator's DNSKEY/DS fetches only (their
	 * replies answer later client queries for the same, as Unbound's
	 * message cache does) */
	if (!e->mref ||
	    (q->depth && qtype != DNS_T_DNSKEY && qtype != DNS_T_DS))
		return;
	/* an ANY answer is never minimised either (no RRset of type ANY:
	 * Unbound's positive_answer() is false) */
	if (!e->cfg.full_responses && !(positive && qtype == DNS_T_ANY) &&
	    !(positive && wildcard_proof(e, nrr, qname, qtype)))
		return;
	struct msgref_entry *m = msgref_begin(e->mref, qname, qtype, now_s);
	const dns_name *bail = q->fwd ? NULL : &q->zone;
	uint32_t ttl = UINT32_MAX;
	bool soa = false;
	for (size_t i = 0; i < nrr; i++)
		if (e->rsec[i] == DNS_SEC_AUTHORITY && e->rrs[i].type == DNS_T_SOA)
			soa = true;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] == DNS_SEC_ANSWER && r->ttl < ttl)
			ttl = r->ttl;
		/* a negative answer's authority is its SOA (from the negative
		 * cache entry); without one, the NS set as the reply had it */
		if ((!positive && soa) || e->rsec[i] != DNS_SEC_AUTHORITY ||
		    r->type != DNS_T_NS ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)) ||
		    !dns_name_is_subdomain(qname, &r->owner) ||
		    have_set(m, &r->owner, DNS_T_NS))
			continue;
		/* a forwarder's NS sets are not cuts to iterate to */
		if (!q->fwd && ns_superset(e, nrr, &r->owner, now_s))
			eng_cache_set(e, nrr, &r->owner, DNS_T_NS, DNS_SEC_AUTHORITY,
			              aa ? RANK_ANSWER : RANK_AUTHORITY, now_s);
		copy_set(e, m, nrr, &r->owner, DNS_T_NS, DNS_SEC_AUTHORITY);
	}
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ADDITIONAL ||
		    (r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)) ||
		    have_set(m, &r->owner, r->type))
			continue;
		bool wanted = false;
		for (size_t j = 0; j < nrr && !wanted; j++)
			if (e->rsec[j] == DNS_SEC_ANSWER ||
			    (e->rsec[j] == DNS_SEC_AUTHORITY &&
			     have_set(m, &e->rrs[j].owner, DNS_T_NS)))
				wanted = names_target(&e->rrs[j], &r->owner);
		if (wanted && !eng_private_rrset(e, nrr, &r->owner, r->type,
		                                 DNS_SEC_ADDITIONAL))
			copy_set(e, m, nrr, &r->owner, r->type, DNS_SEC_ADDITIONAL);
	}
	for (size_t i = 0; i < nrr && e->cfg.keep_unknown_additional; i++) {
		const dns_rr *r = &e->rrs[i];
		/* as Unbound's scrubber: never names or cuts to follow */
		if (e->rsec[i] != DNS_SEC_ADDITIONAL || r->type == DNS_T_A ||
		    r->type == DNS_T_AAAA || r->type == DNS_T_RRSIG ||
		    r->type == DNS_T_CNAME || r->type == DNS_T_DNAME ||
		    r->type == DNS_T_NS || r->rclass != DNS_C_IN ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)) ||
		    have_set(m, &r->owner, r->type))
			continue;
		copy_set(e, m, nrr, &r->owner, r->type, DNS_SEC_ADDITIONAL);
	}
	msgref_commit(e->mref, m, ttl == UINT32_MAX ? RES_NEG_NOSOA_TTL : ttl);
}

size_t eng_ns_names(const struct cache_hit *h, dns_name *names, size_t cap)
{
	size_t nn = 0;
	for (size_t i = 0; i < h->n && nn < cap; i++) {
		dns_rr rr;
		if (cache_hit_rr(h, i, &rr) == 0 &&
		    dns_name_from_wire(&names[nn], rr.rdata, rr.rdlen) == 0)
			nn++;
	}
	return nn;
}

/* An NS answer built from the cache alone: the cached addresses of its
 * names in the additional section (as Unbound builds it from its RRset
 * cache). */
static void ns_addresses(res_engine *e, const struct query *q, dns_mb *b,
                         uint64_t now_s)
{
	const dns_name *owner = &q->chain[q->nchain - 1];
	struct cache_hit h;
	if (!cache_get(e->cache, owner, DNS_T_NS, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE)
		return;
	dns_name names[RES_MAX_NS_NAMES];
	size_t nn = eng_ns_names(&h, names, RES_MAX_NS_NAMES);
	static const uint16_t types[2] = { DNS_T_A, DNS_T_AAAA };
	for (size_t i = 0; i < nn; i++)
		for (int t = 0; t < 2; t++) {
			struct cache_hit a;
			if (!cache_get(e->cache, &names[i], types[t], DNS_C_IN,
			               now_s, &a) || a.kind != CACHE_POSITIVE)
				continue;
			dns_rr rrs[ANS_MAX_RRS];
			size_t n = 0;
			for (size_t k = 0; k < a.n + (q->c_do ? a.nsig : 0) &&
			                   n < ANS_MAX_RRS; k++)
				if (cache_hit_rr(&a, k, &rrs[n]) == 0)
					n++;
			if (n)
				dns_mb_rrset(b, DNS_SEC_ADDITIONAL, rrs, n);
		}
}

/* Does set s come with RRSIGs in the entry (same owner and section)? */
static bool signed_set(const struct msgref_entry *m, unsigned s)
{
	for (unsigned i = 0; i < m->nsets; i++)
		if (m->sets[i].type == DNS_T_RRSIG &&
		    m->sets[i].section == m->sets[s].section &&
		    dns_name_equal(&m->sets[i].owner, &m->sets[s].owner))
			return true;
	return false;
}

void eng_add_sections(res_engine *e, const struct query *q, dns_mb *b,
                      bool positive, uint64_t now_s)
{
	const struct msgref_entry *m = NULL;
	/* the last name of the chain that a reply answered (minimal: only
	 * wildcard answers have an entry); looked up once for both sections */
	for (unsigned i = q->nchain; e->mref && i-- > 0 && !m;)
		m = msgref_get(e->mref, &q->chain[i], q->qtype, now_s);
	if (!m) {
		/* an NS answer is never minimised: the addresses of the
		 * names save the client the next round trip (priming, RFC
		 * 8109 §3.3; Unbound's positive_answer() keeps them too) */
		if (positive && q->qtype == DNS_T_NS)
			ns_addresses(e, q, b, now_s);
		return;
	}
	/* a validated answer carries no unsigned data beside it (Unbound's
	 * val_check_nonsecure, val-clean-additional) */
	bool secure = e->val && q->val.status == VAL_SECURE;
	for (int sec = DNS_SEC_AUTHORITY; sec <= DNS_SEC_ADDITIONAL; sec++) {
		for (unsigned s = 0; s < m->nsets; s++) {
			if (m->sets[s].section != sec ||
			    m->sets[s].type == DNS_T_RRSIG ||
			    (secure && !signed_set(m, s)))
				continue;
			/* the set and its RRSIGs (copy_set put them right
			 * after it) as one group: both or neither fit */
			dns_rr rrs[2 * MSGREF_MAX_RRS];
			size_t n = 0;
			unsigned k = 0;
			while (n < MSGREF_MAX_RRS &&
			       msgref_next_rr(m, s, &k, now_s, &rrs[n]))
				n++;
			unsigned g = s + 1;
			k = 0;
			if (n && q->c_do && g < m->nsets &&
			    m->sets[g].type == DNS_T_RRSIG &&
			    m->sets[g].section == sec &&
			    dns_name_equal(&m->sets[g].owner, &m->sets[s].owner))
				while (n < 2 * MSGREF_MAX_RRS &&
				       msgref_next_rr(m, g, &k, now_s, &rrs[n]))
					n++;
			if (n)
				dns_mb_rrset(b, (enum dns_section)sec, rrs, n);
		}
	}
}

/* The cached DNAME above chain[i] that synthesises chain[i+1] (for the
 * last name, a CNAME question: its cached CNAME's target): its owner in
 * *owner and its hit in *hit. */
static bool link_dname(res_engine *e, const struct query *q, unsigned i,
                       uint64_t now_s, dns_name *owner, struct cache_hit *hit)
{
	dns_name next;
	if (i + 1 < q->nchain) {
		next = q->chain[i + 1];
	} else {
		dns_rr cn;
		if (q->qtype != DNS_T_CNAME ||
		    !cache_get(e->cache, &q->chain[i], DNS_T_CNAME, DNS_C_IN,
		               now_s, hit) || hit->kind != CACHE_POSITIVE ||
		    !hit->n || cache_hit_rr(hit, 0, &cn) < 0 ||
		    dns_name_from_wire(&next, cn.rdata, cn.rdlen) < 0)
			return false;
	}
	dns_name anc = q->chain[i];
	while (anc.len > 1) {
		dns_name_strip_left(&anc, 1);
		if (!cache_get(e->cache, &anc, DNS_T_DNAME, DNS_C_IN, now_s, hit) ||
		    hit->kind != CACHE_POSITIVE || !hit->n)
			continue;
		dns_rr rr;
		dns_name t, syn;
		if (cache_hit_rr(hit, 0, &rr) < 0 ||
		    dns_name_from_wire(&t, rr.rdata, rr.rdlen) < 0 ||
		    dns_name_concat(&syn, q->chain[i].wire,
		                    (size_t)(q->chain[i].len - anc.len), &t) < 0 ||
		    !dns_name_equal(&syn, &next))
			return false;
		*owner = anc;
		return true;
	}
	return false;
}

/* Before the CNAME at chain[i]: the DNAME it was synthesised from, if
 * one is cached and not already in the answer (RFC 6672 §3.4: the DNAME
 * goes into the answer too, once). */
void eng_add_dname(res_engine *e, const struct query *q, dns_mb *b,
                   unsigned i, uint64_t now_s)
{
	dns_name owner, other;
	struct cache_hit h, h2;
	if (!link_dname(e, q, i, now_s, &owner, &h))
		return;
	for (unsigned k = 0; k < i; k++)
		if (link_dname(e, q, k, now_s, &other, &h2) &&
		    dns_name_equal(&other, &owner))
			return;
	/* h may have been overwritten by the lookups above */
	if (!cache_get(e->cache, &owner, DNS_T_DNAME, DNS_C_IN, now_s, &h))
		return;
	dns_rr rrs[ANS_MAX_RRS];
	size_t n = 0;
	for (size_t k = 0; k < h.n + (q->c_do ? h.nsig : 0) && n < ANS_MAX_RRS;
	     k++)
		if (cache_hit_rr(&h, k, &rrs[n]) == 0)
			n++;
	if (n)
		dns_mb_rrset(b, DNS_SEC_ANSWER, rrs, n);
}
