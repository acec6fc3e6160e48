/* ward resolver: dnsmasq's TTL options, applied where dnsmasq applies
 * them — min-cache-ttl / max-cache-ttl when an upstream answer is cached
 * (dnsmasq cache_insert; min-cache-ttl is capped at 3600 when the engine
 * is made), neg-ttl for negative answers without a SOA, no-negcache,
 * and max-ttl on the TTLs handed to clients (the cache keeps the true
 * TTL; local data is not capped, as dnsmasq's crec_ttl). RES_TTL_UNSET
 * means not configured. */
#include "resolver/engine_int.h"

static uint32_t clamp_cache(const res_engine *e, uint32_t ttl)
{
	if (e->cfg.max_cache_ttl != RES_TTL_UNSET && e->cfg.max_cache_ttl >= 0 &&
	    ttl > (uint64_t)e->cfg.max_cache_ttl)
		ttl = (uint32_t)e->cfg.max_cache_ttl;
	if (e->cfg.min_cache_ttl != RES_TTL_UNSET && e->cfg.min_cache_ttl >= 0 &&
	    ttl < (uint64_t)e->cfg.min_cache_ttl)
		ttl = (uint32_t)e->cfg.min_cache_ttl;
	/* kept at least long enough to answer the query that fetched it */
	return ttl < RES_TTL_HOLD_MIN ? RES_TTL_HOLD_MIN : ttl;
}

/* The TTL to cache an RRset with: the smallest of its records, clamped. */
uint32_t eng_ttl_rrset(const res_engine *e, const dns_rr *rrs, size_t n)
{
	uint32_t ttl = n ? rrs[0].ttl : 0;
	for (size_t i = 1; i < n; i++)
		if (rrs[i].ttl < ttl)
			ttl = rrs[i].ttl;
	return clamp_cache(e, ttl);
}

/* True when the RRset came with TTL 0 and only the hold keeps it: clients
 * then get TTL 0, as upstream gave it (RFC 2181 §8), not the hold. */
bool eng_ttl_zero(const res_engine *e, const dns_rr *rrs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rrs[i].ttl == 0)
			return clamp_cache(e, 0) == RES_TTL_HOLD_MIN;
	return false;
}

/* A negative answer: the RFC 2308 §5 TTL from the SOA; without a SOA,
 * neg-ttl when configured, else only long enough to answer
 * (RES_NEG_NOSOA_TTL). no-negcache: kept only to answer the query that
 * fetched it (RES_TTL_HOLD_MIN). */
uint32_t eng_ttl_negative(const res_engine *e, bool have_soa, uint32_t soa_ttl)
{
	if (e->cfg.no_negcache)
		return RES_TTL_HOLD_MIN;
	uint32_t ttl = soa_ttl;
	if (!have_soa)
		ttl = e->cfg.neg_ttl != RES_TTL_UNSET && e->cfg.neg_ttl >= 0
		      ? (uint32_t)(e->cfg.neg_ttl > UINT32_MAX ? UINT32_MAX
		                                               : e->cfg.neg_ttl)
		      : RES_NEG_NOSOA_TTL;
	return clamp_cache(e, ttl);
}

/* max-ttl: the TTL a client is given for cached data. */
uint32_t eng_ttl_client(const res_engine *e, uint32_t ttl)
{
	if (e->cfg.max_ttl != RES_TTL_UNSET && e->cfg.max_ttl >= 0 &&
	    ttl > (uint64_t)e->cfg.max_ttl)
		return (uint32_t)e->cfg.max_ttl;
	return ttl;
}
