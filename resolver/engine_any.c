/* ward resolver: qtype ANY, resolved (docs/resolver.md, "ANY"). The
 * question is asked upstream every time (the cache cannot know whether
 * it holds every type of a name); each RRset of the reply's answer
 * section owned by the name is cached on its own, with its RRSIGs, and
 * validated on its own like any answer RRset; the list of their types is
 * kept at (name, ANY) so that the answer can be built from them. A
 * negative ANY answer is an ordinary NXDOMAIN/NODATA entry. With
 * deny_any the RFC 8482 §4.2 HINFO is answered instead (engine_client.c). */
#include <string.h>

#include "codec/msg_build.h"
#include "resolver/engine_int.h"

static bool have_type(const uint16_t *types, size_t n, uint16_t t)
{
	for (size_t i = 0; i < n; i++)
		if (types[i] == t)
			return true;
	return false;
}

bool eng_any_reply(res_engine *e, size_t nrr, const dns_name *target,
                   enum cache_rank rank, uint64_t now_s)
{
	uint16_t types[RES_ANY_MAX_TYPES];
	size_t nt = 0;
	uint32_t ttl = UINT32_MAX;
	for (size_t i = 0; i < nrr && nt < RES_ANY_MAX_TYPES; i++) {
		const dns_rr *r = &e->rrs[i];
		if (e->rsec[i] != DNS_SEC_ANSWER || r->rclass != DNS_C_IN ||
		    r->type == DNS_T_RRSIG || r->type == DNS_T_ANY ||
		    !dns_name_equal(&r->owner, target))
			continue;
		if (r->ttl < ttl)
			ttl = r->ttl;
		if (have_type(types, nt, r->type))
			continue;
		/* rebinding protection drops the set, not the answer */
		if (eng_private_rrset(e, nrr, target, r->type, DNS_SEC_ANSWER))
			continue;
		eng_cache_set(e, nrr, target, r->type, DNS_SEC_ANSWER, rank, now_s);
		types[nt++] = r->type;
	}
	if (!nt)
		return false;
	uint8_t rd[2 * RES_ANY_MAX_TYPES];
	for (size_t i = 0; i < nt; i++) {
		rd[2 * i] = (uint8_t)(types[i] >> 8);
		rd[2 * i + 1] = (uint8_t)types[i];
	}
	/* the list lives no longer than the shortest of its sets */
	dns_rr list = { .owner = *target, .type = DNS_T_ANY,
	                .rclass = DNS_C_IN, .ttl = ttl,
	                .rdlen = (uint16_t)(2 * nt), .rdata = rd };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = target,
	                       .type = DNS_T_ANY, .rclass = DNS_C_IN,
	                       .rrs = &list, .n = 1,
	                       .ttl = eng_ttl_rrset(e, &list, 1),
	                       .ttl_zero = eng_ttl_zero(e, &list, 1),
	                       .status = VAL_UNCHECKED, .rank = rank };
	return cache_put(e->cache, &p, now_s) >= 0;
}

size_t eng_any_types(const struct cache_hit *h, uint16_t *types, size_t cap)
{
	dns_rr list;
	size_t n = 0;
	if (h->kind != CACHE_POSITIVE || !h->n || cache_hit_rr(h, 0, &list) < 0)
		return 0;
	for (size_t i = 0; i + 1 < list.rdlen && n < cap; i += 2)
		types[n++] = (uint16_t)(list.rdata[i] << 8 | list.rdata[i + 1]);
	return n;
}
