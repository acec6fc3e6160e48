/* ward DHCP engine: which dhcp-range serves a request, and which address a
 * client gets, as dnsmasq chooses (dnsmasq(8) dhcp-range, dhcp-host):
 * its dhcp-host address first, then its current lease or offer, then the
 * address it asked for, then a stable hash of its hardware address into
 * the range (dnsmasq's address_allocate), moving on to the next free
 * address. Never an address leased or offered to another client,
 * reserved for another dhcp-host, declined (quarantine), or the network,
 * broadcast or server address. */
#include <stdlib.h>
#include <string.h>

#include "dhcp/engine_int.h"

/* A relayed network without a configured netmask: the class A/B/C mask of
 * its address, as dnsmasq guesses. */
static uint32_t classful(uint32_t a)
{
	if ((a >> 31) == 0)
		return 0xff000000u;
	if ((a >> 30) == 2)
		return 0xffff0000u;
	return 0xffffff00u;
}

bool range_on_net(const req_ctx *c, size_t r, uint32_t *mask)
{
	const dhcp_cfg_range *rg = &c->e->cfg->ranges[r];
	if (c->net_given) {
		/* relayed (giaddr) or option 118: the network of that address */
		uint32_t m = rg->netmask ? rg->netmask : classful(rg->start);
		if ((c->net_addr & m) != (rg->start & m))
			return false;
		*mask = m;
		return true;
	}
	for (size_t i = 0; i < c->rx->naddrs && i < DHCP_IFADDR_MAX; i++) {
		const dhcp_ifaddr *a = &c->rx->addrs[i];
		uint32_t m = rg->netmask ? rg->netmask : a->netmask;
		if (m && (a->addr & m) == (rg->start & m)) {
			*mask = m;
			return true;
		}
	}
	return false;
}

bool range_usable(const req_ctx *c, size_t r, const tagset *tags)
{
	uint32_t mask;
	return range_on_net(c, r, &mask) &&
	       tags_match(c->e, c->e->range_match[r], tags);
}

uint32_t range_mask(const req_ctx *c, int r)
{
	uint32_t mask = 0;
	if (r >= 0 && !range_on_net(c, (size_t)r, &mask))
		mask = 0;
	return mask;
}

int range_of_addr(const req_ctx *c, uint32_t ip, const tagset *tags)
{
	const dhcp_config *cfg = c->e->cfg;
	for (size_t r = 0; r < cfg->nranges; r++)
		if (!cfg->ranges[r].is_static && ip >= cfg->ranges[r].start &&
		    ip <= cfg->ranges[r].end && range_usable(c, r, tags))
			return (int)r;
	for (size_t r = 0; r < cfg->nranges; r++) {
		uint32_t mask;
		if (range_usable(c, r, tags) && range_on_net(c, r, &mask) &&
		    (ip & mask) == (cfg->ranges[r].start & mask))
			return (int)r;
	}
	return -1;
}

bool addr_dynamic(const req_ctx *c, uint32_t ip, const tagset *tags)
{
	const dhcp_config *cfg = c->e->cfg;
	for (size_t r = 0; r < cfg->nranges; r++)
		if (!cfg->ranges[r].is_static && ip >= cfg->ranges[r].start &&
		    ip <= cfg->ranges[r].end && range_usable(c, r, tags))
			return true;
	return false;
}

static int resv_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct resv *)a)->ip, y = ((const struct resv *)b)->ip;
	return x < y ? -1 : x > y;
}

bool addr_reserved_other(const req_ctx *c, uint32_t ip)
{
	const dhcp_engine *e = c->e;
	struct resv key = { ip, 0 };
	const struct resv *p = bsearch(&key, e->resv, e->nresv, sizeof key, resv_cmp);
	if (!p)
		return false;
	/* several dhcp-host lines may name one address: any of them ours? */
	while (p > e->resv && p[-1].ip == ip)
		p--;
	for (; p < e->resv + e->nresv && p->ip == ip; p++)
		if ((int)p->host == c->host)
			return false;
	return true;
}

bool addr_free(const req_ctx *c, uint32_t ip, int32_t self, int range)
{
	if (ip == 0 || ip == 0xffffffffu)
		return false;
	for (size_t i = 0; i < c->rx->naddrs && i < DHCP_IFADDR_MAX; i++)
		if (c->rx->addrs[i].addr == ip)
			return false;
	if (c->relayed && ip == c->net_addr)
		return false;
	uint32_t mask = range_mask(c, range);
	if (mask && mask != 0xffffffffu && mask != 0xfffffffeu &&
	    ((ip & ~mask) == 0 || (ip & ~mask) == ~mask))
		return false;     /* network or broadcast address */
	int32_t i = lt_find_ip(&c->e->lt, ip);
	if (i >= 0 && i != self) {
		const lt_ent *x = &c->e->lt.ent[i];
		bool stale_offer = x->kind == LT_OFFER && x->l.expires <= c->now;
		if (!stale_offer && !lease_abandonable(c, i, ip))
			return false;
	}
	return !addr_reserved_other(c, ip);
}

bool lease_abandonable(const req_ctx *c, int32_t i, uint32_t ip)
{
	if (c->host < 0)
		return false;
	const dhcp_cfg_host *h = &c->e->cfg->hosts[c->host];
	const lt_ent *x = &c->e->lt.ent[i];
	if (x->kind != LT_LEASE || !h->has_ip || h->ip != ip || h->nhw < 2)
		return false;
	for (size_t k = 0; k < h->nhw; k++)
		if (hwaddr_match(&h->hw[k], x->l.htype, x->l.hw, x->l.hlen))
			return true;
	return false;
}

int engine_resv_build(dhcp_engine *e)
{
	size_t n = 0;
	for (size_t i = 0; i < e->cfg->nhosts; i++)
		n += e->cfg->hosts[i].has_ip;
	e->resv = calloc(n ? n : 1, sizeof *e->resv);
	if (!e->resv)
		return WARD_ENOMEM;
	for (size_t i = 0; i < e->cfg->nhosts; i++)
		if (e->cfg->hosts[i].has_ip)
			e->resv[e->nresv++] = (struct resv){ e->cfg->hosts[i].ip,
			                                     (uint32_t)i };
	qsort(e->resv, e->nresv, sizeof *e->resv, resv_cmp);
	return 0;
}

/* A stable hash of the client's identity. dnsmasq uses SDBM, which maps
 * MACs that differ in their last octets (one vendor, perfdhcp) to
 * overlapping runs of addresses, so finding a free one degrades to a long
 * scan; FNV-1a with murmur3's finaliser spreads them evenly. */
static uint32_t identity_hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

uint32_t addr_choose(req_ctx *c, int32_t self, const tagset *tags)
{
	const dhcp_config *cfg = c->e->cfg;
	if (c->host >= 0 && cfg->hosts[c->host].has_ip) {
		uint32_t ip = cfg->hosts[c->host].ip;
		int r = range_of_addr(c, ip, tags);
		if (r >= 0 && addr_free(c, ip, self, r))
			return ip;
	}
	if (self >= 0) {
		uint32_t ip = c->e->lt.ent[self].l.ip;
		if (addr_dynamic(c, ip, tags) &&
		    addr_free(c, ip, self, range_of_addr(c, ip, tags)))
			return ip;
	}
	uint32_t want;
	if (dhcp_opt_requested_ip(c->m, &want) == 0 && addr_dynamic(c, want, tags) &&
	    addr_free(c, want, self, range_of_addr(c, want, tags)))
		return want;
	uint32_t h = c->hlen ? identity_hash(c->hw, c->hlen)
	                     : identity_hash(c->cid, c->cid_len);
	for (size_t r = 0; r < cfg->nranges; r++) {
		const dhcp_cfg_range *rg = &cfg->ranges[r];
		if (rg->is_static || !range_usable(c, r, tags))
			continue;
		uint64_t size = (uint64_t)rg->end - rg->start + 1;
		uint32_t off = (uint32_t)(h % size);
		uint64_t tries = size < DHCP_ADDR_SCAN_MAX ? size : DHCP_ADDR_SCAN_MAX;
		for (uint64_t k = 0; k < tries; k++) {
			uint32_t ip = rg->start + (uint32_t)((off + k) % size);
			if (addr_free(c, ip, self, (int)r))
				return ip;
		}
	}
	return 0;
}
