/* ward resolver: the authority and additional sections of answers when
 * full responses are configured (res_config.full_responses, Unbound's
 * minimal-responses: no). When a reply answers a question (positively or
 * negatively), the NS RRsets of its authority section that lie in the
 * zone's bailiwick, and the addresses in its additional section of the
 * names those NS sets (and answer NS/MX/SRV records) point at, are cached
 * and named in a msgref entry; answers for that question then carry them
 * from the cache, as Unbound's message cache does. */
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

static bool have_ref(const struct msgref *refs, unsigned n,
                     const dns_name *owner, uint16_t type)
{
	for (unsigned i = 0; i < n; i++)
		if (refs[i].type == type && dns_name_equal(&refs[i].owner, owner))
			return true;
	return false;
}

void eng_note_sections(res_engine *e, const struct query *q, size_t nrr,
                       const dns_name *qname, uint16_t qtype, bool positive,
                       uint64_t now_s)
{
	if (!e->cfg.full_responses || !e->mref || q->depth)
		return;
	struct msgref refs[MSGREF_MAX_REFS];
	unsigned n = 0;
	uint32_t ttl = UINT32_MAX;
	const dns_name *bail = q->fwd ? NULL : &q->zone;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] == DNS_SEC_ANSWER && r->ttl < ttl)
			ttl = r->ttl;
		if (!positive || e->rsec[i] != DNS_SEC_AUTHORITY ||
		    r->type != DNS_T_NS || n >= MSGREF_MAX_REFS ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)) ||
		    !dns_name_is_subdomain(qname, &r->owner) ||
		    have_ref(refs, n, &r->owner, DNS_T_NS))
			continue;
		eng_cache_set(e, nrr, &r->owner, DNS_T_NS, DNS_SEC_AUTHORITY,
		              RANK_AUTHORITY, now_s);
		refs[n].owner = r->owner;
		refs[n].type = DNS_T_NS;
		refs[n++].section = DNS_SEC_AUTHORITY;
		if (r->ttl < ttl)
			ttl = r->ttl;
	}
	for (size_t i = 0; i < nrr && n < MSGREF_MAX_REFS; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ADDITIONAL ||
		    (r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)) ||
		    have_ref(refs, n, &r->owner, r->type))
			continue;
		bool wanted = false;
		for (size_t j = 0; j < nrr && !wanted; j++) {
			if (e->rsec[j] == DNS_SEC_ANSWER ||
			    (e->rsec[j] == DNS_SEC_AUTHORITY &&
			     have_ref(refs, n, &e->rrs[j].owner, DNS_T_NS)))
				wanted = names_target(&e->rrs[j], &r->owner);
		}
		if (!wanted)
			continue;
		eng_cache_set(e, nrr, &r->owner, r->type, DNS_SEC_ADDITIONAL,
		              RANK_ADDITIONAL, now_s);
		refs[n].owner = r->owner;
		refs[n].type = r->type;
		refs[n++].section = DNS_SEC_ADDITIONAL;
	}
	if (ttl == UINT32_MAX)
		ttl = RES_NEG_NOSOA_TTL;
	msgref_put(e->mref, qname, qtype, refs, n, now_s + (ttl ? ttl : 1));
}

static void add_set(res_engine *e, const struct query *q, dns_mb *b,
                    const struct msgref *r, uint64_t now_s)
{
	struct cache_hit h;
	if (!cache_get(e->cache, &r->owner, r->type, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE)
		return;
	dns_rr rrs[ANS_MAX_RRS];
	size_t n = 0;
	for (size_t i = 0; i < h.n && n < ANS_MAX_RRS; i++)
		if (cache_hit_rr(&h, i, &rrs[n]) == 0)
			n++;
	if (n)
		dns_mb_rrset(b, (enum dns_section)r->section, rrs, n);
	n = 0;
	if (q->c_do)
		for (size_t i = 0; i < h.nsig && n < ANS_MAX_RRS; i++)
			if (cache_hit_rr(&h, h.n + i, &rrs[n]) == 0)
				n++;
	if (n)
		dns_mb_rrset(b, (enum dns_section)r->section, rrs, n);
}

void eng_add_sections(res_engine *e, const struct query *q, dns_mb *b,
                      bool positive, uint64_t now_s)
{
	if (!e->cfg.full_responses || !e->mref)
		return;
	const struct msgref_entry *m = NULL;
	/* the last name of the chain that a reply answered */
	for (unsigned i = q->nchain; i-- > 0 && !m;)
		m = msgref_get(e->mref, &q->chain[i], q->qtype, now_s);
	if (!m)
		return;
	for (int s = DNS_SEC_AUTHORITY; s <= DNS_SEC_ADDITIONAL; s++)
		for (unsigned i = 0; i < m->n; i++)
			if (m->refs[i].section == s &&
			    (positive || s == DNS_SEC_ADDITIONAL))
				add_set(e, q, b, &m->refs[i], now_s);
}
