/* ward DHCP engine: lease table (see lease_table.h). Chained hash indexes
 * over a growable entry array; entry indices are stable. */
#include "dhcp/lease_table.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

#define LT_INITIAL 64

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static size_t h_ip(const lease_table *t, uint32_t ip)
{
	uint32_t h = ip * 2654435761u;
	return (h ^ (h >> 16)) & (t->nb - 1);
}

static size_t h_hw(const lease_table *t, uint8_t htype, const uint8_t *hw,
                   uint8_t hlen)
{
	return fnv(fnv(2166136261u, &htype, 1), hw, hlen) & (t->nb - 1);
}

static size_t h_cid(const lease_table *t, const uint8_t *cid, size_t n)
{
	return fnv(2166136261u, cid, n) & (t->nb - 1);
}

static size_t h_name(const lease_table *t, const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		uint8_t c = (uint8_t)*s;
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h & (t->nb - 1);
}

static int32_t *alloc_buckets(size_t nb)
{
	int32_t *b = malloc(nb * sizeof *b);
	if (b)
		for (size_t i = 0; i < nb; i++)
			b[i] = -1;
	return b;
}

int lt_init(lease_table *t)
{
	memset(t, 0, sizeof *t);
	t->free_head = -1;
	t->nb = LT_INITIAL * 2;
	t->b_ip = alloc_buckets(t->nb);
	t->b_cid = alloc_buckets(t->nb);
	t->b_hw = alloc_buckets(t->nb);
	t->b_name = alloc_buckets(t->nb);
	if (!t->b_ip || !t->b_cid || !t->b_hw || !t->b_name) {
		lt_fini(t);
		return WARD_ENOMEM;
	}
	return 0;
}

void lt_fini(lease_table *t)
{
	free(t->ent);
	free(t->b_ip);
	free(t->b_cid);
	free(t->b_hw);
	free(t->b_name);
	free(t->heap);
	memset(t, 0, sizeof *t);
	t->free_head = -1;
}

static void link_hashes(lease_table *t, int32_t i)
{
	lt_ent *e = &t->ent[i];
	size_t b = h_ip(t, e->l.ip);
	e->next_ip = t->b_ip[b];
	t->b_ip[b] = i;
	e->hw_linked = e->l.hlen > 0;
	if (e->hw_linked) {
		b = h_hw(t, e->l.htype, e->l.hw, e->l.hlen);
		e->next_hw = t->b_hw[b];
		t->b_hw[b] = i;
	}
	e->cid_linked = e->l.cid_len > 0;
	if (e->cid_linked) {
		b = h_cid(t, e->l.cid, e->l.cid_len);
		e->next_cid = t->b_cid[b];
		t->b_cid[b] = i;
	}
	e->name_linked = e->kind == LT_LEASE && e->l.hostname[0];
	if (e->name_linked) {
		b = h_name(t, e->l.hostname);
		e->next_name = t->b_name[b];
		t->b_name[b] = i;
	}
}

/* Double the buckets and re-link every live entry. */
static int rehash(lease_table *t)
{
	size_t nb = t->nb * 2;
	int32_t *ip = alloc_buckets(nb), *cid = alloc_buckets(nb),
	        *hw = alloc_buckets(nb), *nm = alloc_buckets(nb);
	if (!ip || !cid || !hw || !nm) {
		free(ip);
		free(cid);
		free(hw);
		free(nm);
		return WARD_ENOMEM;
	}
	free(t->b_ip);
	free(t->b_cid);
	free(t->b_hw);
	free(t->b_name);
	t->b_ip = ip;
	t->b_cid = cid;
	t->b_hw = hw;
	t->b_name = nm;
	t->nb = nb;
	for (size_t i = 0; i < t->cap; i++)
		if (t->ent[i].kind != LT_FREE && t->ent[i].next_ip != -2)
			link_hashes(t, (int32_t)i);
	return 0;
}

int32_t lt_alloc(lease_table *t, enum lt_kind kind)
{
	if (t->free_head < 0) {
		size_t ncap = t->cap ? t->cap * 2 : LT_INITIAL;
		if (ncap > INT32_MAX / 2)
			return WARD_ENOMEM;
		lt_ent *n = realloc(t->ent, ncap * sizeof *n);
		if (!n)
			return WARD_ENOMEM;
		t->ent = n;
		for (size_t i = ncap; i-- > t->cap;) {
			memset(&n[i], 0, sizeof n[i]);
			n[i].next_ip = t->free_head;
			t->free_head = (int32_t)i;
		}
		t->cap = ncap;
		if (t->cap > t->nb && rehash(t) < 0)
			return WARD_ENOMEM;
	}
	int32_t i = t->free_head;
	lt_ent *e = &t->ent[i];
	t->free_head = e->next_ip;
	memset(e, 0, sizeof *e);
	e->kind = (uint8_t)kind;
	e->gen = ++t->gen;
	e->next_ip = -2; /* not linked */
	t->count[kind]++;
	return i;
}

static void heap_push(lease_table *t, int64_t when, int32_t idx, uint32_t gen);

void lt_link(lease_table *t, int32_t idx)
{
	link_hashes(t, idx);
	if (t->ent[idx].l.expires != DHCP_LEASE_INFINITE)
		heap_push(t, t->ent[idx].l.expires, idx, t->ent[idx].gen);
}

void lt_unlink(lease_table *t, int32_t idx)
{
	lt_ent *e = &t->ent[idx];
	if (e->next_ip == -2)
		return;
	int32_t *p = &t->b_ip[h_ip(t, e->l.ip)];
	while (*p >= 0 && *p != idx)
		p = &t->ent[*p].next_ip;
	if (*p == idx)
		*p = e->next_ip;
	if (e->hw_linked) {
		p = &t->b_hw[h_hw(t, e->l.htype, e->l.hw, e->l.hlen)];
		while (*p >= 0 && *p != idx)
			p = &t->ent[*p].next_hw;
		if (*p == idx)
			*p = e->next_hw;
	}
	if (e->cid_linked) {
		p = &t->b_cid[h_cid(t, e->l.cid, e->l.cid_len)];
		while (*p >= 0 && *p != idx)
			p = &t->ent[*p].next_cid;
		if (*p == idx)
			*p = e->next_cid;
	}
	if (e->name_linked) {
		p = &t->b_name[h_name(t, e->l.hostname)];
		while (*p >= 0 && *p != idx)
			p = &t->ent[*p].next_name;
		if (*p == idx)
			*p = e->next_name;
	}
	e->next_ip = -2;
	e->hw_linked = e->cid_linked = e->name_linked = false;
}

void lt_release(lease_table *t, int32_t idx)
{
	lt_unlink(t, idx);
	lt_ent *e = &t->ent[idx];
	t->count[e->kind]--;
	e->kind = LT_FREE;
	e->next_ip = t->free_head;
	t->free_head = idx;
}

int32_t lt_find_ip(const lease_table *t, uint32_t ip)
{
	for (int32_t i = t->b_ip[h_ip(t, ip)]; i >= 0; i = t->ent[i].next_ip)
		if (t->ent[i].l.ip == ip)
			return i;
	return -1;
}

int32_t lt_find_client(const lease_table *t, uint8_t htype, const uint8_t *hw,
                       uint8_t hlen, const uint8_t *cid, size_t cid_len)
{
	if (cid_len) {
		for (int32_t i = t->b_cid[h_cid(t, cid, cid_len)]; i >= 0;
		     i = t->ent[i].next_cid) {
			const lt_ent *e = &t->ent[i];
			if ((e->kind == LT_LEASE || e->kind == LT_OFFER) &&
			    e->l.cid_len == cid_len && !memcmp(e->l.cid, cid, cid_len))
				return i;
		}
	}
	if (!hlen)
		return -1;
	for (int32_t i = t->b_hw[h_hw(t, htype, hw, hlen)]; i >= 0;
	     i = t->ent[i].next_hw) {
		const lt_ent *e = &t->ent[i];
		if ((e->kind == LT_LEASE || e->kind == LT_OFFER) &&
		    (!e->l.cid_len || !cid_len) && e->l.htype == htype &&
		    e->l.hlen == hlen && !memcmp(e->l.hw, hw, hlen))
			return i;
	}
	return -1;
}

int32_t lt_find_name(const lease_table *t, const char *name)
{
	for (int32_t i = t->b_name[h_name(t, name)]; i >= 0;
	     i = t->ent[i].next_name)
		if (t->ent[i].kind == LT_LEASE &&
		    !strcasecmp(t->ent[i].l.hostname, name))
			return i;
	return -1;
}

/* ---- expiry heap ---- */

static bool item_live(const lease_table *t, const lt_heap_item *h)
{
	const lt_ent *e = &t->ent[h->idx];
	return e->kind != LT_FREE && e->gen == h->gen && e->l.expires == h->t;
}

static void sift_up(lt_heap_item *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h[p].t <= h[i].t)
			break;
		lt_heap_item x = h[p];
		h[p] = h[i];
		h[i] = x;
		i = p;
	}
}

static void sift_down(lt_heap_item *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && h[l].t < h[m].t)
			m = l;
		if (l + 1 < n && h[l + 1].t < h[m].t)
			m = l + 1;
		if (m == i)
			return;
		lt_heap_item x = h[m];
		h[m] = h[i];
		h[i] = x;
		i = m;
	}
}

/* Drop stale items when they outnumber the live entries. */
static void heap_compact(lease_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->hn; i++)
		if (item_live(t, &t->heap[i]))
			t->heap[n++] = t->heap[i];
	t->hn = n;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(t->heap, n, i);
}

static void heap_push(lease_table *t, int64_t when, int32_t idx, uint32_t gen)
{
	if (t->hn == t->hcap) {
		size_t live = t->count[LT_LEASE] + t->count[LT_OFFER] +
		              t->count[LT_DECLINED];
		if (t->hn > 2 * live + 64) {
			heap_compact(t);
		} else {
			size_t nc = t->hcap ? t->hcap * 2 : 64;
			lt_heap_item *n = realloc(t->heap, nc * sizeof *n);
			if (!n)
				return; /* out of memory: this expiry is not scheduled */
			t->heap = n;
			t->hcap = nc;
		}
		if (t->hn == t->hcap)
			return;
	}
	t->heap[t->hn] = (lt_heap_item){ when, idx, gen };
	sift_up(t->heap, t->hn++);
}

void lt_set_expiry(lease_table *t, int32_t idx, int64_t expires)
{
	lt_ent *e = &t->ent[idx];
	e->l.expires = expires;
	if (expires != DHCP_LEASE_INFINITE && e->next_ip != -2)
		heap_push(t, expires, idx, e->gen);
}

static void heap_pop(lease_table *t)
{
	t->heap[0] = t->heap[--t->hn];
	sift_down(t->heap, t->hn, 0);
}

int32_t lt_pop_expired(lease_table *t, int64_t now)
{
	while (t->hn) {
		lt_heap_item top = t->heap[0];
		if (!item_live(t, &top)) {
			heap_pop(t);
			continue;
		}
		if (top.t > now)
			return -1;
		heap_pop(t);
		return top.idx;
	}
	return -1;
}

int64_t lt_next_expiry(lease_table *t)
{
	while (t->hn && !item_live(t, &t->heap[0]))
		heap_pop(t);
	return t->hn ? t->heap[0].t : 0;
}
