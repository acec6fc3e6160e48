/* ward resolver: choosing the servers to ask — the deepest zone cut with
 * usable addresses (configured stub/forward zones first, then the cache,
 * then the root hints), glueless NS names resolved as sub-queries, the
 * parent's NS set when the child's leads nowhere, a dead cut re-asked of
 * its parent once, failed servers remembered per query and zone, NAT64
 * address synthesis, and the per-address smoothed RTT (infra cache) that
 * picks among them. Forwarding mode's server rules too. Part of the
 * engine (engine_int.h); sans-I/O. */
#include <string.h>

#include "codec/error.h"
#include "resolver/engine_int.h"

static struct infra *infra_find(res_engine *e, const struct res_addr *a,
                                bool create, uint64_t now)
{
	unsigned h = 2166136261u;
	for (int i = 0; i < 16; i++)
		h = (h ^ a->ip[i]) * 16777619u;
	h = (h ^ a->port) * 16777619u;
	struct infra *victim = NULL;
	for (unsigned k = 0; k < 8; k++) { /* 8-way probe, oldest replaced */
		struct infra *x = &e->infra[(h + k) % RES_INFRA_MAX];
		if (x->valid && eng_addr_equal(&x->addr, a))
			return x;
		if (!victim || !x->valid || (victim->valid && x->used < victim->used))
			victim = x;
	}
	if (!create)
		return NULL;
	victim->valid = true;
	victim->addr = *a;
	victim->srtt = RES_RTT_UNKNOWN_MS;
	victim->used = now;
	victim->nocaps = false;
	return victim;
}

struct infra *eng_infra(res_engine *e, const struct res_addr *a, bool create,
                        uint64_t now)
{
	return infra_find(e, a, create, now);
}

/* Smoothed RTT of a server: unknown servers get RES_RTT_UNKNOWN_MS, so
 * they are probed while known fast ones exist within the band. */
static uint32_t infra_rtt(res_engine *e, const struct res_addr *a)
{
	const struct infra *x = infra_find(e, a, false, 0);
	return x ? x->srtt : RES_RTT_UNKNOWN_MS;
}

void eng_infra_update(res_engine *e, const struct res_addr *a, uint64_t rtt,
		      bool timeout, uint64_t now)
{
	struct infra *x = infra_find(e, a, true, now);
	x->used = now;
	if (timeout) {
		uint64_t p = (uint64_t)x->srtt * 2;
		if (p < rtt)
			p = rtt;
		x->srtt = (uint32_t)(p > RES_RTT_MAX_MS ? RES_RTT_MAX_MS : p);
	} else {
		if (rtt > RES_RTT_MAX_MS)
			rtt = RES_RTT_MAX_MS;
		x->srtt = (uint32_t)((7 * (uint64_t)x->srtt + rtt) / 8);
	}
}

int res_infra_set_rtt(res_engine *e, const struct res_addr *a,
                      uint32_t rtt_ms, uint64_t now_ms)
{
	if (!a || (a->family != 4 && a->family != 6))
		return WARD_EINVAL;
	struct infra *x = infra_find(e, a, true, now_ms);
	x->srtt = rtt_ms > RES_RTT_MAX_MS ? RES_RTT_MAX_MS : rtt_ms;
	x->used = now_ms;
	return 0;
}

/* Choose the next server: fewest attempts first; among those, any whose
 * smoothed RTT is within RES_RTT_BAND_MS of the fastest, at random
 * (strict-order forwarding: the first in configuration order). False when
 * every server has used its attempts. */
bool eng_pick_server(res_engine *e, struct query *q)
{
	unsigned bt = SRV_TRIES;
	for (unsigned i = 0; i < q->nsrv; i++)
		if (q->srv_tries[i] < bt)
			bt = q->srv_tries[i];
	if (bt == SRV_TRIES)
		return false;
	if (e->cfg.strict_order && e->cfg.mode == RES_MODE_FORWARD) {
		/* dnsmasq strict-order: configured order, whatever the RTT */
		for (unsigned i = 0; i < q->nsrv; i++)
			if (q->srv_tries[i] == bt) {
				q->cur = i;
				q->srv_tries[i]++;
				return true;
			}
	}
	unsigned cand[RES_MAX_SERVERS] = { 0 }, nc = 0;
	uint32_t fastest = UINT32_MAX;
	for (unsigned i = 0; i < q->nsrv; i++)
		if (q->srv_tries[i] == bt && infra_rtt(e, &q->srv[i]) < fastest)
			fastest = infra_rtt(e, &q->srv[i]);
	for (unsigned i = 0; i < q->nsrv; i++)
		if (q->srv_tries[i] == bt &&
		    infra_rtt(e, &q->srv[i]) <= fastest + RES_RTT_BAND_MS)
			cand[nc++] = i;
	if (!nc)
		return false;
	unsigned pick = cand[0];
	if (!(e->cfg.strict_order && e->cfg.mode == RES_MODE_FORWARD) && nc > 1)
		pick = cand[eng_rnd16(e) % nc];
	q->cur = pick;
	q->srv_tries[pick]++;
	return true;
}

static bool glueless_tried(const struct query *q, const dns_name *n)
{
	for (unsigned i = 0; i < q->n_glueless; i++)
		if (dns_name_equal(&q->glueless[i], n))
			return true;
	return false;
}

static uint32_t zone_hash(const dns_name *n)
{
	uint32_t h = 2166136261u;
	for (unsigned i = 0; i < n->len; i++) {
		uint8_t c = n->wire[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static bool is_bad(const struct query *q, const struct res_addr *a,
                   const dns_name *zone)
{
	uint32_t zh = zone_hash(zone);
	for (unsigned i = 0; i < q->nbad; i++)
		if (q->bad_zone[i] == zh && eng_addr_equal(&q->bad[i], a))
			return true;
	return false;
}

void eng_mark_bad(struct query *q, const struct res_addr *a,
		  const dns_name *zone)
{
	if (is_bad(q, a, zone))
		return;
	unsigned i = q->nbad < RES_MAX_BAD ? q->nbad++ : RES_MAX_BAD - 1;
	q->bad[i] = *a;
	q->bad_zone[i] = zone_hash(zone);
}

/* Add srv unless it failed for zone in this query. */
static void add_srv(struct query *q, const struct res_addr *a,
                    const dns_name *zone)
{
	if (q->nsrv >= RES_MAX_SERVERS || is_bad(q, a, zone))
		return;
	for (unsigned i = 0; i < q->nsrv; i++)
		if (eng_addr_equal(&q->srv[i], a))
			return;
	q->srv[q->nsrv] = *a;
	q->srv_tries[q->nsrv++] = 0;
}

/* An IPv4 address as its NAT64 IPv6 address (RFC 6052 §2.2: the four
 * octets follow the prefix, skipping bits 64-71). */
static void nat64_map(const res_engine *e, struct res_addr *a)
{
	static const uint8_t wkp[12] = { 0, 0x64, 0xff, 0x9b };
	uint8_t v4[4], out[16] = { 0 };
	unsigned plen = e->cfg.nat64_len;
	memcpy(v4, a->ip, 4);
	if (plen != 32 && plen != 40 && plen != 48 && plen != 56 &&
	    plen != 64 && plen != 96) {
		memcpy(out, wkp, sizeof(wkp));
		plen = 96;
	} else {
		memcpy(out, e->cfg.nat64_prefix, plen / 8);
	}
	unsigned pos = plen / 8;
	for (unsigned i = 0; i < 4; i++, pos++) {
		if (pos == 8)
			pos++;
		out[pos] = v4[i];
	}
	a->family = 6;
	memcpy(a->ip, out, 16);
}

static bool glueless_tried(const struct query *q, const dns_name *n);

/* Add the cached addresses of NS name ns; returns how many there are,
 * counting those that failed in this query too. */
static unsigned add_addrs(res_engine *e, struct query *q, const dns_name *ns,
                          const dns_name *zone, uint64_t now_s)
{
	unsigned seen = 0;
	static const uint16_t types[2] = { DNS_T_A, DNS_T_AAAA };
	unsigned before = q->nsrv;
	for (int k = 0; k < 4; k++) {
		/* k 2, 3: the sibling glue set aside (RES_C_UNVERIFIED), once
		 * resolving the name itself has given nothing */
		if (k == 2 && (q->nsrv != before || !glueless_tried(q, ns)))
			break;
		struct cache_hit h;
		if (!cache_get(e->cache, ns, types[k & 1],
		               k < 2 ? DNS_C_IN : RES_C_UNVERIFIED, now_s, &h) ||
		    h.kind != CACHE_POSITIVE)
			continue;
		for (size_t i = 0; i < h.n && q->nsrv < RES_MAX_SERVERS; i++) {
			dns_rr rr;
			if (cache_hit_rr(&h, i, &rr) < 0)
				continue;
			struct res_addr a;
			memset(&a, 0, sizeof(a));
			if (rr.type == DNS_T_A && rr.rdlen == 4) {
				a.family = 4;
				memcpy(a.ip, rr.rdata, 4);
			} else if (rr.type == DNS_T_AAAA && rr.rdlen == 16) {
				a.family = 6;
				memcpy(a.ip, rr.rdata, 16);
			} else {
				continue;
			}
			a.port = 53;
			if (a.family == 4 && e->cfg.nat64)
				nat64_map(e, &a);
			add_srv(q, &a, zone);
			seen++;
		}
	}
	return seen;
}

/* A configured stub or forward zone at cut: 1 with its servers, 3 when
 * they all failed (stub-first / forward-first: 0, iterate instead), 0 when
 * no zone is configured there. */
static int zone_servers(res_engine *e, struct query *q, const dns_name *cut)
{
	bool have = false, first = false;
	for (size_t i = 0; i < e->n_zones; i++) {
		const struct res_zone_server *z = &e->zones[i];
		if (!dns_name_equal(&z->name, cut))
			continue;
		have = true;
		first = first || z->first;
		add_srv(q, &z->addr, cut);
		q->fwd = z->forward;
	}
	if (!have)
		return 0;
	q->zone = *cut;
	if (q->nsrv)
		return 1;
	q->fwd = false;
	return first ? 0 : 3;
}

/* True the first time a cut is given up for its parent in this query. */
static bool reparent_once(struct query *q, const dns_name *cut)
{
	uint32_t h = zone_hash(cut);
	for (unsigned i = 0; i < q->n_reparent; i++)
		if (q->reparent[i] == h)
			return false;
	if (q->n_reparent >= RES_MAX_REPARENT)
		return false;
	q->reparent[q->n_reparent++] = h;
	return true;
}

/* Add the addresses of the NS names of h; the first name without an
 * address that was not looked up yet becomes *cand. */
static void scan_ns(res_engine *e, struct query *q, const struct cache_hit *h,
                    const dns_name *cut, uint64_t now_s, dns_name *cand,
                    bool *have_cand, bool *usable)
{
	for (size_t i = 0; i < h->n && i < RES_MAX_NS_NAMES; i++) {
		dns_rr rr;
		dns_name ns;
		if (cache_hit_rr(h, i, &rr) < 0 ||
		    dns_name_from_wire(&ns, rr.rdata, rr.rdlen) < 0)
			continue;
		unsigned before = q->nsrv;
		/* an out-of-zone name, or any address at all (even one that
		 * failed): the cut is not useless */
		if (add_addrs(e, q, &ns, cut, now_s) ||
		    !dns_name_is_subdomain(&ns, cut))
			*usable = true;
		if (q->nsrv == before && !*have_cand && !glueless_tried(q, &ns)) {
			*cand = ns;
			*have_cand = true;
		}
	}
}

/* Fill q->zone and q->srv for target: the deepest cached zone cut with
 * addresses. Returns 1 when servers were found, 2 when a glueless NS
 * lookup was pushed, 3 when the deepest cut has no usable address left,
 * 0 when nothing (no root hints). */
int eng_find_servers(res_engine *e, struct query *q, const dns_name *target,
		     uint64_t now_s)
{
	dns_name cut = *target;
	q->nsrv = 0;
	q->fwd = false;
	for (;;) {
		struct cache_hit h;
		int zr = zone_servers(e, q, &cut);
		if (zr)
			return zr;
		if (cache_get(e->cache, &cut, DNS_T_NS, DNS_C_IN, now_s, &h) &&
		    h.kind == CACHE_POSITIVE) {
			dns_name cand;
			bool have_cand = false, usable = false;
			scan_ns(e, q, &h, &cut, now_s, &cand, &have_cand, &usable);
			/* the child's NS set leads nowhere: the parent's */
			if (!q->nsrv && !have_cand &&
			    cache_get(e->cache, &cut, DNS_T_NS, RES_C_PARENT, now_s,
			              &h) && h.kind == CACHE_POSITIVE)
				scan_ns(e, q, &h, &cut, now_s, &cand, &have_cand,
				        &usable);
			/* no address, and every server is named inside the
			 * zone: only the zone itself could say where they are,
			 * so the cut is useless and the parent is asked for the
			 * name instead (Unbound's iter_dp_is_useless; it also
			 * lets a parent that dropped the zone say NXDOMAIN) */
			if (!q->nsrv && !usable && cut.len > 1) {
				dns_name_strip_left(&cut, 1);
				continue;
			}
			if (!q->nsrv && cut.len == 1)
				/* root NS names without addresses: the hints */
				for (size_t i = 0; i < e->n_hints; i++)
					add_srv(q, &e->hints[i].addr, &cut);
			if (q->nsrv) {
				q->zone = cut;
				return 1;
			}
			if (have_cand && q->n_glueless < RES_MAX_GLUELESS &&
			    q->depth < RES_MAX_DEPTH) {
				q->glueless[q->n_glueless++] = cand;
				q->stack[q->depth].name = cand;
				q->stack[q->depth].type = DNS_T_A;
				q->depth++;
				return 2;
			}
			/* a cut whose servers cannot be reached: ask the
			 * parent once for the delegation again (fresh glue);
			 * more often would only be referred back here */
			if (cut.len > 1 && reparent_once(q, &cut)) {
				q->nsrv = 0;
				dns_name_strip_left(&cut, 1);
				continue;
			}
			q->zone = cut;
			return 3;
		}
		if (cut.len <= 1)
			break;
		dns_name_strip_left(&cut, 1);
	}
	dns_name_root(&q->zone);
	/* no root NS cached: prime first (RFC 8109), once per client query */
	if (!q->prime_tried && q->depth < RES_MAX_DEPTH && e->n_hints) {
		q->prime_tried = true;
		dns_name_root(&q->stack[q->depth].name);
		q->stack[q->depth].type = DNS_T_NS;
		q->depth++;
		return 2;
	}
	for (size_t i = 0; i < e->n_hints; i++)
		add_srv(q, &e->hints[i].addr, &q->zone);
	return q->nsrv ? 1 : e->n_hints ? 3 : 0;
}

const struct res_forwarder *eng_fwd_match(res_engine *e,
					  const dns_name *target,
					  struct query *q)
{
	unsigned best = 0;
	const struct res_forwarder *bf = NULL;
	for (size_t i = 0; i < e->n_fwd; i++) {
		const struct res_forwarder *f = &e->fwd[i];
		if (!dns_name_is_subdomain(target, &f->domain))
			continue;
		unsigned l = dns_name_labels(&f->domain) + 1;
		if (l > best) {
			best = l;
			bf = f;
		}
	}
	q->nsrv = 0;
	if (!bf)
		return NULL;
	q->zone = bf->domain;
	if (bf->local_only)
		return bf;
	for (size_t i = 0; i < e->n_fwd && q->nsrv < RES_MAX_SERVERS; i++) {
		const struct res_forwarder *f = &e->fwd[i];
		if (!f->local_only && dns_name_equal(&f->domain, &bf->domain))
			add_srv(q, &f->addr, &bf->domain);
	}
	return bf;
}
