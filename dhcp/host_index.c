/* ward DHCP engine: which dhcp-host lines can match a client, without
 * looking at every line: sorted hashes of the client ids and the exact
 * hardware addresses, plus the short lists of lines with wildcard MACs and
 * of lines that match by name only. The candidates come out in
 * configuration order, so find_host's preferences are unchanged. */
#include <stdlib.h>
#include <string.h>

#include "dhcp/engine_int.h"

static uint32_t key_hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int hkey_cmp(const void *a, const void *b)
{
	const struct hkey *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->host < y->host ? -1 : x->host > y->host;
}

int host_index_build(dhcp_engine *e)
{
	const dhcp_config *c = e->cfg;
	size_t nhw = 0;
	for (size_t i = 0; i < c->nhosts; i++)
		nhw += c->hosts[i].nhw;
	e->hk_cid = calloc(c->nhosts ? c->nhosts : 1, sizeof *e->hk_cid);
	e->hk_hw = calloc(nhw ? nhw : 1, sizeof *e->hk_hw);
	e->hwild = calloc(c->nhosts ? c->nhosts : 1, sizeof *e->hwild);
	e->hname = calloc(c->nhosts ? c->nhosts : 1, sizeof *e->hname);
	e->hcand = calloc(c->nhosts ? 2 * c->nhosts : 1, sizeof *e->hcand);
	if (!e->hk_cid || !e->hk_hw || !e->hwild || !e->hname || !e->hcand)
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->nhosts; i++) {
		const dhcp_cfg_host *h = &c->hosts[i];
		if (h->cid_len)
			e->hk_cid[e->nhk_cid++] = (struct hkey){
				key_hash(h->cid, h->cid_len), (uint32_t)i };
		bool wild = false;
		for (size_t k = 0; k < h->nhw; k++) {
			if (h->hw[k].wildcard)
				wild = true;
			else
				e->hk_hw[e->nhk_hw++] = (struct hkey){
					key_hash(h->hw[k].addr, h->hw[k].len), (uint32_t)i };
		}
		if (wild)
			e->hwild[e->nhwild++] = (uint32_t)i;
		if (h->hostname && !h->nhw && !h->cid_len)
			e->hname[e->nhname++] = (uint32_t)i;
	}
	qsort(e->hk_cid, e->nhk_cid, sizeof *e->hk_cid, hkey_cmp);
	qsort(e->hk_hw, e->nhk_hw, sizeof *e->hk_hw, hkey_cmp);
	return 0;
}

void host_index_free(dhcp_engine *e)
{
	free(e->hk_cid);
	free(e->hk_hw);
	free(e->hwild);
	free(e->hname);
	free(e->hcand);
}

/* Hosts under hash h, ascending, into out. */
static size_t lookup(const struct hkey *v, size_t n, uint32_t h, uint32_t *out)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = 0;
	for (; lo < n && v[lo].h == h; lo++)
		if (!k || out[k - 1] != v[lo].host)
			out[k++] = v[lo].host;
	return k;
}

size_t host_candidates(const req_ctx *c, int pass, const uint32_t **out)
{
	dhcp_engine *e = c->e;
	uint32_t *cand = e->hcand;
	size_t n = 0;
	if (pass == 0) {
		if (c->raw_cid_len)
			n = lookup(e->hk_cid, e->nhk_cid,
			           key_hash(c->raw_cid, c->raw_cid_len), cand);
	} else if (pass == 1) {
		/* exact addresses, then merge in the wildcard lines in order */
		uint32_t *tmp = cand + e->cfg->nhosts;
		size_t m = c->hlen ? lookup(e->hk_hw, e->nhk_hw,
		                            key_hash(c->hw, c->hlen), tmp) : 0;
		size_t i = 0, j = 0;
		while (i < m || j < e->nhwild) {
			uint32_t x;
			if (j == e->nhwild || (i < m && tmp[i] <= e->hwild[j]))
				x = tmp[i++];
			else
				x = e->hwild[j++];
			if (!n || cand[n - 1] != x)
				cand[n++] = x;
		}
	} else {
		*out = e->hname;
		return e->nhname;
	}
	*out = cand;
	return n;
}
