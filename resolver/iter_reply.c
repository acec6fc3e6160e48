/* ward resolver: reading an upstream reply for the exchange in flight —
 * answers and in-bailiwick CNAME chains, DNAME synthesis, referrals with
 * glue checks, NXDOMAIN/NODATA (RFC 2308), lameness, TC and EDNS fallback.
 * Everything learnt goes into the cache; the iteration step then looks
 * again (engine.c). */
#include <string.h>

#include "codec/cursor.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "resolver/engine_int.h"

static uint32_t soa_neg_ttl(const dns_rr *soa)
{
	uint32_t min = 0;
	if (soa->rdlen >= 20) {
		wire_rd rd = wire_rd_init(soa->rdata + soa->rdlen - 4, 4);
		min = wire_rd_u32(&rd);
	}
	return soa->ttl < min ? soa->ttl : min;
}

static bool dup_rdata(const dns_rr *set, size_t n, const dns_rr *r)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].rdlen == r->rdlen &&
		    !memcmp(set[i].rdata, r->rdata, r->rdlen))
			return true;
	return false;
}

bool eng_in_prefix(const struct res_prefix *p, uint8_t family,
                   const uint8_t *ip)
{
	if (p->family != family)
		return false;
	unsigned full = p->len / 8, rest = p->len % 8;
	if (memcmp(p->ip, ip, full))
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (p->ip[full] & mask) == (ip[full] & mask);
}

static bool private_ip(const res_engine *e, uint8_t fam, const uint8_t *ip)
{
	for (size_t k = 0; k < e->cfg.n_private_addrs; k++)
		if (eng_in_prefix(&e->priv[k], fam, ip))
			return true;
	return false;
}

/* SVCB/HTTPS (RFC 9460 §7.3): an ipv4hint or ipv6hint with a private
 * address makes the record private too. */
static bool private_svcb(const res_engine *e, const dns_rr *r)
{
	wire_rd rd = wire_rd_init(r->rdata, r->rdlen);
	wire_rd_skip(&rd, 2);
	if (dns_name_skip(&rd) < 0)
		return false;
	while (!rd.err && wire_rd_left(&rd) >= 4) {
		uint16_t key = wire_rd_u16(&rd), len = wire_rd_u16(&rd);
		const uint8_t *v = wire_rd_view(&rd, len);
		if (!v)
			return false;
		size_t step = key == 4 ? 4 : key == 6 ? 16 : 0;
		for (size_t off = 0; step && off + step <= len; off += step)
			if (private_ip(e, key == 4 ? 4 : 6, v + off))
				return true;
	}
	return false;
}

/* An A/AAAA (or SVCB/HTTPS hint) record with a private-address, not under
 * a private-domain. */
static bool private_rr(const res_engine *e, const dns_rr *r)
{
	if (!e->cfg.n_private_addrs)
		return false;
	bool hit = false;
	if (r->type == DNS_T_SVCB || r->type == DNS_T_HTTPS) {
		hit = private_svcb(e, r);
	} else if (r->type == DNS_T_A || r->type == DNS_T_AAAA) {
		uint8_t fam = r->type == DNS_T_A ? 4 : 6;
		if (r->rdlen != (fam == 4 ? 4 : 16))
			return false;
		hit = private_ip(e, fam, r->rdata);
	}
	for (size_t i = 0; i < e->cfg.n_private_domains && hit; i++)
		if (dns_name_is_subdomain(&r->owner, &e->priv_dom[i]))
			hit = false;
	return hit;
}

bool eng_private_rrset(const res_engine *e, size_t nrr, const dns_name *owner,
                       uint16_t type, enum dns_section sec)
{
	bool any = false;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != sec || r->type != type ||
		    !dns_name_equal(&r->owner, owner))
			continue;
		if (!private_rr(e, r))
			return false;
		any = true;
	}
	return any; /* every record private: nothing left of the set */
}

/* Cache the RRset (owner, type) found among the reply's records in section
 * sec, with its RRSIGs. */
void eng_cache_set(res_engine *e, size_t nrr, const dns_name *owner,
                      uint16_t type, enum dns_section sec,
                      enum cache_rank rank, uint64_t now_s)
{
	dns_rr set[64], sigs[64];
	size_t n = 0, ns = 0;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		/* the RRSIGs of the set wherever they stand in the reply
		 * (as Unbound's parser gathers them) */
		if ((e->rsec[i] != sec && r->type != DNS_T_RRSIG) ||
		    r->rclass != DNS_C_IN || !dns_name_equal(&r->owner, owner))
			continue;
		if (e->rsec[i] == sec && r->type == type && n < 64 &&
		    !dup_rdata(set, n, r) &&
		    (sec != DNS_SEC_ANSWER || !private_rr(e, r)))
			set[n++] = *r; /* duplicates suppressed (RFC 2181 §5) */
		else if (r->type == DNS_T_RRSIG && r->rdlen >= 2 && ns < 64 &&
		         (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) == type &&
		         !dup_rdata(sigs, ns, r))
			sigs[ns++] = *r;
	}
	if (!n)
		return;
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = owner,
	                       .type = type, .rclass = DNS_C_IN, .rrs = set,
	                       .n = n, .sigs = sigs, .nsig = ns,
	                       .ttl = eng_ttl_rrset(e, set, n),
	                       .ttl_zero = eng_ttl_zero(e, set, n),
	                       .status = VAL_UNCHECKED, .rank = rank };
	cache_put(e->cache, &p, now_s);
}

/* keep_ns: a forwarder's NODATA without SOA keeps its NS set, which
 * the client then gets in the authority section as Unbound gives it */
static void cache_neg(res_engine *e, size_t nrr, enum cache_kind kind,
                      const dns_name *owner, uint16_t type,
                      const dns_name *zone, bool keep_ns, uint64_t now_s)
{
	dns_rr recs[24], sigs[24];
	size_t n = 0, ns = 0;
	uint32_t ttl = 0;
	bool have_soa = false;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_AUTHORITY ||
		    !dns_name_is_subdomain(&r->owner, zone))
			continue;
		if (r->type == DNS_T_NS && keep_ns && n < 24) {
			recs[n++] = *r;
		} else if (r->type == DNS_T_SOA && n < 24) {
			if (!have_soa)
				ttl = soa_neg_ttl(r);
			have_soa = true;
			recs[n++] = *r;
		} else if ((r->type == DNS_T_NSEC || r->type == DNS_T_NSEC3) &&
		           n < 24) {
			recs[n++] = *r; /* the denial proof, for the validator */
		} else if (r->type == DNS_T_RRSIG && ns < 24) {
			sigs[ns++] = *r;
		}
	}
	/* no SOA: RFC 2308 §5 says do not cache; kept just long enough to
	 * answer, or neg-ttl (engine_ttl.c) */
	ttl = eng_ttl_negative(e, have_soa, ttl);
	struct cache_put p = { .kind = kind, .owner = owner, .type = type,
	                       .rclass = DNS_C_IN, .rrs = recs, .n = n,
	                       .sigs = sigs, .nsig = ns, .ttl = ttl,
	                       .status = VAL_UNCHECKED, .rank = RANK_AUTH_ANSWER };
	cache_put(e->cache, &p, now_s);
}

/* An NS record beyond the first scrub_ns of its RRset in this section:
 * dropped, as Unbound's scrubber caps NS sets (iter-scrub-ns), so a
 * reply cannot make the engine chase hundreds of names. */
static bool ns_over_cap(const res_engine *e, size_t n, const dns_rr *r,
                        enum dns_section sec)
{
	if (r->type != DNS_T_NS || sec == DNS_SEC_ADDITIONAL)
		return false;
	unsigned cap = e->cfg.scrub_ns ? e->cfg.scrub_ns : RES_SCRUB_NS_DEFAULT;
	unsigned seen = 0;
	for (size_t i = 0; i < n; i++)
		if (e->rsec[i] == sec && e->rrs[i].type == DNS_T_NS &&
		    dns_name_equal(&e->rrs[i].owner, &r->owner) && ++seen >= cap)
			return true;
	return false;
}

/* An RRset already met in an earlier section: RFC 2181 §5 puts an RRset
 * in one section only; as Unbound's parser, the later (less trusted)
 * copy is dropped. RRSIGs go with whatever set they cover. */
static bool in_earlier_section(const res_engine *e, size_t n, const dns_rr *r,
                               enum dns_section sec)
{
	if (sec == DNS_SEC_ANSWER || r->type == DNS_T_RRSIG)
		return false;
	for (size_t i = 0; i < n && e->rsec[i] < sec; i++)
		if (e->rrs[i].type == r->type && e->rrs[i].rclass == r->rclass &&
		    dns_name_equal(&e->rrs[i].owner, &r->owner))
			return true;
	return false;
}

static size_t read_records(res_engine *e, const dns_msg *m)
{
	size_t n = 0, used = 0;
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while (n < RES_MAX_RRS_PER_REPLY && dns_rr_iter_next(&it, &v) == 1) {
			if (v.type == DNS_T_OPT)
				continue;
			if (dns_rr_view_to_rr(m, &v, &e->rrs[n], e->pool + used,
			                      sizeof(e->pool) - used) < 0)
				continue;
			if (ns_over_cap(e, n, &e->rrs[n], (enum dns_section)s) ||
			    in_earlier_section(e, n, &e->rrs[n], (enum dns_section)s))
				continue;
			used += e->rrs[n].rdlen;
			e->rsec[n] = (enum dns_section)s;
			n++;
		}
	}
	return n;
}

/* A DNAME in the answer: synthesise and cache the CNAME (RFC 6672 §3.3). */
static bool apply_dname(res_engine *e, size_t nrr, const dns_name *target,
                        const dns_name *zone, uint64_t now_s)
{
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ANSWER || r->type != DNS_T_DNAME ||
		    !dns_name_is_subdomain(&r->owner, zone) ||
		    !dns_name_is_subdomain(target, &r->owner) ||
		    dns_name_equal(target, &r->owner))
			continue;
		dns_name dt, syn;
		if (dns_name_from_wire(&dt, r->rdata, r->rdlen) < 0)
			return false;
		size_t plen = (size_t)(target->len - r->owner.len);
		if (dns_name_concat(&syn, target->wire, plen, &dt) < 0)
			return false;
		eng_cache_set(e, nrr, &r->owner, DNS_T_DNAME, DNS_SEC_ANSWER,
		          RANK_AUTH_ANSWER, now_s);
		dns_rr c = { .owner = *target, .type = DNS_T_CNAME,
		             .rclass = DNS_C_IN, .ttl = r->ttl,
		             .rdlen = syn.len, .rdata = syn.wire };
		struct cache_put p = { .kind = CACHE_POSITIVE, .owner = target,
		                       .type = DNS_T_CNAME, .rclass = DNS_C_IN,
		                       .rrs = &c, .n = 1,
		                       .ttl = eng_ttl_rrset(e, &c, 1),
		                       .ttl_zero = eng_ttl_zero(e, &c, 1),
		                       .status = VAL_UNCHECKED,
		                       .rank = RANK_AUTH_ANSWER };
		cache_put(e->cache, &p, now_s);
		return true;
	}
	return false;
}

/* An NS answer: the addresses of its NS names from the additional
 * section, when in bailiwick (the root priming reply, RFC 8109 §4). */
static void cache_ns_addrs(res_engine *e, size_t nrr, const dns_name *owner,
                           const dns_name *bail, uint64_t now_s)
{
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ADDITIONAL ||
		    (r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
		    (bail && !dns_name_is_subdomain(&r->owner, bail)))
			continue;
		for (size_t j = 0; j < nrr; j++) {
			const dns_rr *n = &e->rrs[j];
			dns_name nn;
			if (e->rsec[j] == DNS_SEC_ANSWER && n->type == DNS_T_NS &&
			    dns_name_equal(&n->owner, owner) &&
			    dns_name_from_wire(&nn, n->rdata, n->rdlen) == 0 &&
			    dns_name_equal(&nn, &r->owner)) {
				eng_cache_set(e, nrr, &r->owner, r->type,
				              DNS_SEC_ADDITIONAL, RANK_ADDITIONAL,
				              now_s);
				break;
			}
		}
	}
}

/* The referral's NS set, again under RES_C_PARENT. */
static void cache_parent_ns(res_engine *e, size_t nrr, const dns_name *cut,
                            uint64_t now_s)
{
	dns_rr set[64];
	size_t n = 0;
	for (size_t i = 0; i < nrr && n < 64; i++)
		if (e->rsec[i] == DNS_SEC_AUTHORITY && e->rrs[i].type == DNS_T_NS &&
		    e->rrs[i].rclass == DNS_C_IN &&
		    dns_name_equal(&e->rrs[i].owner, cut)) {
			set[n] = e->rrs[i];
			set[n++].rclass = RES_C_PARENT;
		}
	if (!n)
		return;
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = cut,
	                       .type = DNS_T_NS, .rclass = RES_C_PARENT,
	                       .rrs = set, .n = n, .status = VAL_UNCHECKED,
	                       .rank = RANK_GLUE };
	cache_put(e->cache, &p, now_s);
}

/* Sibling glue set aside (verify_sibling_glue): the addresses of glue
 * owner kept under RES_C_UNVERIFIED, the fallback when resolving the NS
 * name fails. */
static void cache_unverified(res_engine *e, size_t nrr, const dns_rr *glue,
                             uint64_t now_s)
{
	dns_rr set[16];
	size_t n = 0;
	for (size_t i = 0; i < nrr && n < 16; i++)
		if (e->rsec[i] == DNS_SEC_ADDITIONAL && e->rrs[i].type == glue->type &&
		    e->rrs[i].rclass == DNS_C_IN &&
		    dns_name_equal(&e->rrs[i].owner, &glue->owner)) {
			set[n] = e->rrs[i];
			set[n++].rclass = RES_C_UNVERIFIED;
		}
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &glue->owner,
	                       .type = glue->type, .rclass = RES_C_UNVERIFIED,
	                       .rrs = set, .n = n, .status = VAL_UNCHECKED,
	                       .rank = RANK_GLUE };
	if (n)
		cache_put(e->cache, &p, now_s);
}

/* A delegation learnt from a zone's servers lives no longer than the
 * delegation to that zone: its NS set, DS and glue get at most the time
 * the cached NS set of the zone asked has left, so a zone removed from
 * its parent cannot keep a subtree alive under it (ghost domain names,
 * NDSS 2012; draft-ietf-dnsop-ns-revalidation caps child-side delegation
 * data at the parent's TTL; Unbound's iter_ghost_ns_childapex.rpl). */
static void cap_referral_ttl(res_engine *e, size_t nrr, const struct query *q,
                             uint64_t now_s)
{
	struct cache_hit h;
	if (q->zone.len <= 1 ||
	    !cache_get(e->cache, &q->zone, DNS_T_NS, DNS_C_IN, now_s, &h) ||
	    h.kind != CACHE_POSITIVE)
		return;
	for (size_t i = 0; i < nrr; i++)
		if (e->rsec[i] != DNS_SEC_ANSWER && e->rrs[i].ttl > h.ttl_left)
			e->rrs[i].ttl = h.ttl_left;
}

/* DNAMEs above the target that came with the server's own CNAME: cached
 * too, for the answer and for later names under them. */
static void keep_dnames(res_engine *e, size_t nrr, const dns_name *target,
                        const dns_name *bail, uint64_t now_s)
{
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] == DNS_SEC_ANSWER && r->type == DNS_T_DNAME &&
		    (!bail || dns_name_is_subdomain(&r->owner, bail)) &&
		    dns_name_is_subdomain(target, &r->owner) &&
		    !dns_name_equal(target, &r->owner))
			eng_cache_set(e, nrr, &r->owner, DNS_T_DNAME, DNS_SEC_ANSWER,
			              RANK_AUTH_ANSWER, now_s);
	}
}

/* A cached, validated DNAME above name: synthesise and cache the CNAME
 * for name (RFC 6672 §3.3), as Unbound answers from its cached DNAME. */
bool eng_dname_synth(res_engine *e, const dns_name *name, uint64_t now_s)
{
	dns_name anc = *name;
	while (anc.len > 1) {
		dns_name_strip_left(&anc, 1);
		struct cache_hit h;
		if (!cache_get(e->cache, &anc, DNS_T_DNAME, DNS_C_IN, now_s, &h) ||
		    h.kind != CACHE_POSITIVE || !h.n)
			continue;
		/* as Unbound: only a validated DNAME speaks for names it was
		 * not asked about (an insecure one could be a spoof) */
		if (h.status != VAL_SECURE)
			return false;
		dns_rr d;
		dns_name t, syn;
		if (cache_hit_rr(&h, 0, &d) < 0 ||
		    dns_name_from_wire(&t, d.rdata, d.rdlen) < 0 ||
		    dns_name_concat(&syn, name->wire,
		                    (size_t)(name->len - anc.len), &t) < 0)
			return false; /* too long: YXDOMAIN territory */
		dns_rr c = { .owner = *name, .type = DNS_T_CNAME,
		             .rclass = DNS_C_IN, .ttl = d.ttl,
		             .rdlen = syn.len, .rdata = syn.wire };
		struct cache_put p = { .kind = CACHE_POSITIVE, .owner = name,
		                       .type = DNS_T_CNAME, .rclass = DNS_C_IN,
		                       .rrs = &c, .n = 1,
		                       /* no longer than the DNAME it
		                        * comes from (RFC 6672 §3.3) */
		                       .ttl = h.ttl_left ? h.ttl_left : 1,
		                       .ttl_zero = d.ttl == 0,
		                       .status = VAL_UNCHECKED,
		                       .rank = RANK_AUTH_ANSWER };
		return cache_put(e->cache, &p, now_s) == 0;
	}
	return false;
}

/* An authoritative YXDOMAIN with the DNAME whose substitution would make
 * the name too long: the client gets the same (Unbound propagates it). */
static bool yxdomain(res_engine *e, struct query *q, const dns_msg *m,
                     uint64_t now)
{
	size_t nrr = read_records(e, m);
	dns_rr d[16];
	size_t n = 0;
	for (size_t i = 0; i < nrr && n < 16; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] == DNS_SEC_ANSWER && r->type == DNS_T_DNAME &&
		    dns_name_is_subdomain(&r->owner, &q->zone) &&
		    dns_name_is_subdomain(&q->sent_name, &r->owner) &&
		    !dns_name_equal(&q->sent_name, &r->owner))
			d[n++] = *r;
	}
	if (!n)
		return false;
	/* their RRSIGs for DO clients (not validated: no AD) */
	size_t nd = n;
	for (size_t i = 0; i < nrr && n < 16 && q->c_do; i++) {
		const dns_rr *r = &e->rrs[i];
		bool of_dname = false;
		for (size_t k = 0; k < nd && !of_dname; k++)
			of_dname = dns_name_equal(&r->owner, &d[k].owner);
		if (e->rsec[i] == DNS_SEC_ANSWER && r->type == DNS_T_RRSIG &&
		    r->rdlen >= 2 && of_dname &&
		    (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) == DNS_T_DNAME)
			d[n++] = *r;
	}
	eng_answer_rcode_rrs(e, q, DNS_RCODE_YXDOMAIN, d, n, now / 1000);
	return true;
}

/* Every NS set of the authority section is owned by target or an
 * ancestor of it inside the forwarded zone, below the root (an NS set
 * above the zone, or the root's, is a lame server's upward referral). */
static bool own_zone_ns(const res_engine *e, size_t nrr, const dns_name *target,
                        const dns_name *zone)
{
	bool any = false;
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_AUTHORITY || r->type != DNS_T_NS)
			continue;
		if (r->owner.len <= 1 || !dns_name_is_subdomain(target, &r->owner) ||
		    !dns_name_is_subdomain(&r->owner, zone))
			return false;
		any = true;
	}
	return any;
}

void eng_handle_reply(res_engine *e, struct query *q, const dns_msg *m,
                         uint64_t now)
{
	uint64_t now_s = now / 1000;
	uint16_t rcode = dns_msg_rcode(m);
	bool aa = (m->flags & DNS_FLAG_AA) != 0;
	const dns_name *target = &q->sent_name;
	bool fwd = q->fwd;

	if ((m->flags & DNS_FLAG_TC) && q->up_tcp) {
		/* truncated over TCP: nothing more to be had from it */
		eng_server_bad(q);
		eng_next_server(e, q, now, EDE_NETWORK,
		                "truncated replies over TCP");
		return;
	}
	if ((m->flags & DNS_FLAG_TC) && !q->up_tcp) {
		q->up_tcp = true;
		if (eng_send_current(e, q, now) < 0)
			eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
		return;
	}
	if ((rcode == DNS_RCODE_FORMERR || rcode == DNS_RCODE_NOTIMP) &&
	    !q->noedns) {
		q->noedns = true;
		if (eng_send_current(e, q, now) < 0)
			eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
		return;
	}
	/* AA not required: the DNAME must be in bailiwick (as Unbound) */
	if (rcode == DNS_RCODE_YXDOMAIN && !q->depth && !fwd &&
	    yxdomain(e, q, m, now)) /* RFC 6672 §2.2: DNAME result too long */
		return;
	if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN &&
	    q->minimised && !q->qmin_off) {
		/* servers that refuse or fail minimised names: ask the full
		 * name (RFC 9156 §2.3, relaxed) */
		q->qmin_off = true;
		q->waiting = false;
		eng_step(e, q, now);
		return;
	}
	if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN) {
		eng_server_bad(q);
		/* REFUSED from a server we iterate to: it does not serve the
		 * zone (lame), so no authority is reachable (RFC 8914 22) */
		eng_next_server(e, q, now,
		            rcode == DNS_RCODE_REFUSED && !fwd ? EDE_NO_REACHABLE
		                                               : EDE_NETWORK,
		            rcode == DNS_RCODE_REFUSED
		            ? "all servers refused" : "all servers failed");
		return;
	}
	size_t nrr = read_records(e, m);
	if (rcode == DNS_RCODE_NOERROR && eng_bogus_nx(e, q, nrr, now_s))
		return; /* answered NXDOMAIN (bogus-nxdomain, engine_bogus.c) */
	if (!fwd && !aa && (m->flags & DNS_FLAG_RA) && m->count[DNS_SEC_ANSWER] &&
	    !q->lame_ok) {
		q->lame_seen = true;
		/* an answer with RA but not AA from a server we iterate to:
		 * a recursive resolver, not the zone's authority (lame) */
		eng_server_bad(q);
		eng_next_server(e, q, now, EDE_NO_REACHABLE,
		                "lame servers (recursion available, not authoritative)");
		return;
	}
	enum cache_rank arank = (aa && !fwd) ? RANK_AUTH_ANSWER : RANK_ANSWER;
	const dns_name *bail = fwd ? NULL : &q->zone;
	bool any_answer = false;
	/* answer section: the chain from target on, as far as it is in bailiwick */
	dns_name cur = *target;
	if (q->sent_type == DNS_T_ANY && !q->depth &&
	    (!bail || dns_name_is_subdomain(target, bail)))
		/* every RRset at the name, a CNAME too (not followed) */
		any_answer = eng_any_reply(e, nrr, target, arank, now_s);
	for (unsigned hop = 0; hop <= RES_MAX_CNAME &&
	     q->sent_type != DNS_T_ANY; hop++) {
		bool moved = false;
		if (bail && !dns_name_is_subdomain(&cur, bail))
			break;
		/* as Unbound's scrubber: what follows the first CNAME is
		 * data about another name, not vouched for by this query;
		 * the target is asked for itself */
		if (hop > 0)
			break;
		for (size_t i = 0; i < nrr; i++) {
			const dns_rr *r = &e->rrs[i];
			if (e->rsec[i] != DNS_SEC_ANSWER ||
			    !dns_name_equal(&r->owner, &cur))
				continue;
			if (r->type == q->sent_type &&
			    eng_private_rrset(e, nrr, &cur, r->type,
			                      DNS_SEC_ANSWER)) {
				break; /* rebinding protection: dropped */
			} else if (r->type == q->sent_type) {
				eng_cache_set(e, nrr, &cur, r->type, DNS_SEC_ANSWER,
				          arank, now_s);
				any_answer = true;
			} else if (r->type == DNS_T_CNAME) {
				eng_cache_set(e, nrr, &cur, DNS_T_CNAME, DNS_SEC_ANSWER,
				          arank, now_s);
				any_answer = true;
				dns_name nx;
				if (dns_name_from_wire(&nx, r->rdata, r->rdlen) == 0 &&
				    !dns_name_equal(&nx, &cur)) {
					cur = nx;
					moved = true;
				}
				break;
			}
		}
		if (!moved)
			break;
	}
	if (!any_answer &&
	    apply_dname(e, nrr, target, bail ? bail : target, now_s))
		any_answer = true;
	else if (any_answer)
		keep_dnames(e, nrr, target, bail, now_s);
	if (any_answer && q->sent_type == DNS_T_NS)
		cache_ns_addrs(e, nrr, target, bail, now_s);
	if (any_answer && rcode == DNS_RCODE_NXDOMAIN && !q->depth &&
	    q->qtype == DNS_T_CNAME && q->sent_type == DNS_T_CNAME &&
	    dns_name_equal(target, &q->chain[q->nchain - 1]))
		q->cname_nx = true; /* eng_step asks the target itself */
	if (any_answer) {
		val_note_proof(e, nrr, target, now_s); /* wildcard proofs */
		eng_note_sections(e, q, nrr, target, q->sent_type, true, aa, now_s);
		q->any_asked |= q->sent_type == DNS_T_ANY;
		q->waiting = false;
		if (q->minimised)
			q->qmin_n++;
		eng_step(e, q, now);
		return;
	}
	if (rcode == DNS_RCODE_NXDOMAIN && q->minimised) {
		/* relaxed mode (RFC 9156 §2.3): ask the full name instead */
		q->qmin_off = true;
		q->waiting = false;
		eng_step(e, q, now);
		return;
	}
	if (rcode == DNS_RCODE_NXDOMAIN) {
		bool denial = false; /* a SOA or NSEC(3) speaks for the zone */
		for (size_t i = 0; i < nrr; i++)
			if (e->rsec[i] == DNS_SEC_AUTHORITY &&
			    (e->rrs[i].type == DNS_T_SOA || e->rrs[i].type == DNS_T_NSEC ||
			     e->rrs[i].type == DNS_T_NSEC3))
				denial = true;
		if (!fwd && !aa && !denial) {
			eng_server_bad(q);
			eng_next_server(e, q, now, EDE_NETWORK, "lame servers");
			return;
		}
		dns_name root;
		dns_name_root(&root);
		/* a forwarder vouches for the whole tree: any SOA is taken */
		cache_neg(e, nrr, CACHE_NXDOMAIN, target, q->sent_type,
		          fwd ? &root : &q->zone, false, now_s);
		eng_note_sections(e, q, nrr, target, q->sent_type, false, aa, now_s);
		q->any_asked |= q->sent_type == DNS_T_ANY;
		q->waiting = false;
		eng_step(e, q, now);
		return;
	}
	/* referral? When validating, AA set on a referral without SOA (as
	 * RFC 5155 B.3's server does) is still a referral, as Unbound
	 * classifies it (for the iterator alone that loses 4 iter_*.rpl) */
	bool auth_soa = false;
	for (size_t i = 0; i < nrr; i++)
		if (e->rsec[i] == DNS_SEC_AUTHORITY && e->rrs[i].type == DNS_T_SOA)
			auth_soa = true;
	bool rec_lame = false; /* a recursive server's NODATA, last resort */
	/* AA, no SOA, and an NS set above the zone asked: an upward
	 * referral, so the server is lame for this name (RFC 8499 "lame
	 * delegation"; Unbound's response classification says LAME whatever
	 * AA says). The server stays usable for other questions. */
	if (!fwd && aa && !auth_soa) {
		for (size_t i = 0; i < nrr; i++) {
			const dns_rr *r = &e->rrs[i];
			if (e->rsec[i] != DNS_SEC_AUTHORITY || r->type != DNS_T_NS)
				continue;
			if (!dns_name_equal(&r->owner, &q->zone) &&
			    dns_name_is_subdomain(&q->zone, &r->owner)) {
				eng_server_bad(q);
				eng_next_server(e, q, now, EDE_NO_REACHABLE,
				                "lame delegation (referral upwards)");
				return;
			}
			break;
		}
	}
	if (!fwd && (!aa || (!auth_soa && e->val))) {
		const dns_rr *ns = NULL;
		for (size_t i = 0; i < nrr; i++) {
			const dns_rr *r = &e->rrs[i];
			if (e->rsec[i] == DNS_SEC_AUTHORITY && r->type == DNS_T_NS) {
				ns = r;
				break;
			}
		}
		/* AA with the zone's own NS set and no SOA: the zone speaks
		 * for itself, a NODATA without SOA (RFC 2308 §2.2), not a
		 * referral back to it (Unbound classifies it so) */
		if (ns && aa && dns_name_equal(&ns->owner, &q->zone))
			ns = NULL;
		/* RA, no AA, no answer, the zone's own NS set: a recursive
		 * server answering from its cache, not the zone's authority
		 * (Unbound's REC_LAME). Other servers first; when only such
		 * answers can be had, its NODATA is taken (last resort). */
		if (ns && !aa && (m->flags & DNS_FLAG_RA) && !auth_soa &&
		    !m->count[DNS_SEC_ANSWER] && dns_name_equal(&ns->owner, &q->zone)) {
			if (!q->lame_ok) {
				q->lame_seen = true;
				eng_server_bad(q);
				eng_next_server(e, q, now, EDE_NO_REACHABLE,
				                "lame servers (recursion available, not authoritative)");
				return;
			}
			ns = NULL;
			rec_lame = true;
		}
		if (ns) {
			if (!dns_name_is_subdomain(target, &ns->owner) ||
			    !dns_name_is_subdomain(&ns->owner, &q->zone) ||
			    dns_name_equal(&ns->owner, &q->zone)) {
				eng_server_bad(q); /* upward or sideways: lame */
				eng_next_server(e, q, now, EDE_NO_REACHABLE,
				            "lame delegation (referral upwards)");
				return;
			}
			if (++q->n_referrals > RES_MAX_REFERRALS) {
				eng_frame_fail(e, q, EDE_OTHER, "too many referrals", now);
				return;
			}
			dns_name cut = ns->owner;
			cap_referral_ttl(e, nrr, q, now_s);
			eng_cache_set(e, nrr, &cut, DNS_T_NS, DNS_SEC_AUTHORITY,
			          RANK_GLUE, now_s);
			cache_parent_ns(e, nrr, &cut, now_s);
			eng_cache_set(e, nrr, &cut, DNS_T_DS, DNS_SEC_AUTHORITY,
			          RANK_GLUE, now_s);
			val_referral_nods(e, nrr, &cut, now_s);
			/* glue: addresses of the NS names, only below the
			 * referring zone (bailiwick) */
			for (size_t i = 0; i < nrr; i++) {
				const dns_rr *r = &e->rrs[i];
				if (e->rsec[i] != DNS_SEC_ADDITIONAL ||
				    (r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
				    (!e->cfg.glue_any_zone &&
				     !dns_name_is_subdomain(&r->owner, &q->zone)))
					continue;
				bool sibling = e->cfg.verify_sibling_glue &&
				               !dns_name_is_subdomain(&r->owner, &cut);
				bool is_ns = false;
				for (size_t j = 0; j < nrr && !is_ns; j++) {
					const dns_rr *n2 = &e->rrs[j];
					dns_name nn;
					if (e->rsec[j] == DNS_SEC_AUTHORITY &&
					    n2->type == DNS_T_NS &&
					    dns_name_from_wire(&nn, n2->rdata, n2->rdlen) == 0 &&
					    dns_name_equal(&nn, &r->owner))
						is_ns = true;
				}
				if (is_ns && sibling)
					cache_unverified(e, nrr, r, now_s);
				else if (is_ns)
					eng_cache_set(e, nrr, &r->owner, r->type,
					          DNS_SEC_ADDITIONAL, RANK_GLUE, now_s);
			}
			q->waiting = false;
			eng_step(e, q, now);
			return;
		}
	}
	/* NODATA: authoritative (or forwarded) NOERROR with no answer */
	bool soa = false, empty = true, ns = false;
	for (size_t i = 0; i < nrr; i++) {
		/* an NSEC/NSEC3 denial without SOA still says NODATA (as
		 * Unbound's response classification) */
		if (e->rsec[i] == DNS_SEC_AUTHORITY && (e->rrs[i].type == DNS_T_SOA ||
		    e->rrs[i].type == DNS_T_NSEC || e->rrs[i].type == DNS_T_NSEC3))
			soa = true;
		if (e->rsec[i] == DNS_SEC_AUTHORITY && e->rrs[i].type == DNS_T_NS)
			ns = true;
		if (e->rsec[i] != DNS_SEC_ADDITIONAL)
			empty = false;
	}
	/* a forwarder's NOERROR with only the NS set of the name's own zone
	 * (in the forwarded zone, below the root) in authority: its NODATA without SOA, as
	 * Unbound and dnsmasq take it (a recursive server does not refer);
	 * no SOA, so it is kept only briefly (RFC 2308 §5, neg-ttl) */
	bool fwd_ns = fwd && ns && !soa && own_zone_ns(e, nrr, target, &q->zone);
	if (fwd_ns)
		ns = false;
	if (fwd && ns && !soa) {
		/* a forwarder that refers instead of answering is lame */
		eng_server_bad(q);
		eng_next_server(e, q, now, EDE_NETWORK,
		                "lame forwarders (referral instead of an answer)");
		return;
	}
	/* a reply with nothing in it says nothing: another server may know
	 * (Unbound ignores empty responses the same way) */
	if (empty && !fwd && !soa) {
		/* if no other server answers better, this is the answer */
		q->empty_nodata = !q->depth;
		eng_server_bad(q);
		eng_next_server(e, q, now, EDE_NO_REACHABLE, "empty responses");
		return;
	}
	if (aa || fwd || soa || rec_lame) {
		dns_name root;
		dns_name_root(&root);
		cache_neg(e, nrr, CACHE_NODATA, target, q->sent_type,
		          fwd ? &root : &q->zone, fwd_ns, now_s);
		eng_note_sections(e, q, nrr, target, q->sent_type, false, aa, now_s);
		q->any_asked |= q->sent_type == DNS_T_ANY;
		q->waiting = false;
		if (q->minimised)
			q->qmin_n++;
		eng_step(e, q, now);
		return;
	}
	eng_server_bad(q);
	eng_next_server(e, q, now, EDE_NO_REACHABLE, "lame servers");
}

