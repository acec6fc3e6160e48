/* ward resolver: the RRset cache — a chained hash table with an LRU list, a
 * byte budget and an entry limit. Each entry is one allocation: a header and
 * the records packed behind it. See cache.h. */
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "resolver_limits.h"
#include "cache.h"

struct entry {
	struct entry *hnext;               /* hash chain */
	struct entry *prev, *next;         /* LRU: head is most recent */
	uint32_t hash;
	uint16_t type;                     /* 0 for NXDOMAIN entries */
	uint16_t rclass;
	uint8_t kind, status, rank;
	bool ttl_zero;                     /* handed out with TTL 0 */
	uint16_t ede;
	uint64_t expires;
	uint32_t ttl0;                     /* TTL when stored (prefetch) */
	uint32_t n, nsig;
	size_t bytes;                      /* accounted: header + data */
	dns_name owner;
	size_t datalen;
	/* packed records: u8 namelen, name, u16 type, u16 class, u16 rdlen,
	 * rdata */
	uint8_t data[];
};

struct cache {
	struct cache_config cfg;
	struct entry **buckets;
	size_t nbuckets;                   /* power of two */
	struct entry *head, *tail;
	/* the entry the last lookup found: a cache hit looks up the same
	 * (owner, type) up to five times (the engine's step, the answer, the
	 * validator's check, the DNSSEC proofs); NULL once it is freed */
	struct entry *memo;
	struct cache_stats st;
};

static uint64_t mix(uint64_t h, uint64_t x)
{
	h = (h ^ x) * 0x9E3779B97F4A7C15u;
	return h ^ (h >> 32);
}

/* Case-insensitive hash of the key, 8 octets a step (the byte-at-a-time
 * FNV-1a it replaces was a tenth of a DNSSEC cache hit's instructions). */
static uint32_t key_hash(const dns_name *owner, uint16_t type, uint16_t rclass)
{
	uint64_t h = mix(owner->len, (uint64_t)type << 16 | rclass);
	size_t i = 0, n = owner->len;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, owner->wire + i, 8);
		h = mix(h, dns_lower8(x));
	}
	if (i < n) {
		uint64_t x = 0;
		for (unsigned k = 0; i + k < n; k++)
			x |= (uint64_t)owner->wire[i + k] << (8 * k);
		h = mix(h, dns_lower8(x));
	}
	h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9u;
	return (uint32_t)(h ^ (h >> 32));
}

void cache_config_defaults(struct cache_config *cfg)
{
	cfg->max_bytes = CACHE_DEFAULT_BYTES;
	cfg->max_entries = 0;
	cfg->min_ttl = 0;
	cfg->max_ttl = CACHE_MAX_TTL_DEFAULT;
	cfg->neg_max_ttl = CACHE_NEG_TTL_MAX;
	cfg->bogus_ttl = CACHE_BOGUS_TTL_DEFAULT;
}

cache_t *cache_new(const struct cache_config *cfg)
{
	cache_t *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->cfg = *cfg;
	c->nbuckets = 256;
	c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
	if (!c->buckets) {
		free(c);
		return NULL;
	}
	return c;
}

static void lru_unlink(cache_t *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(cache_t *c, struct entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

static void entry_remove(cache_t *c, struct entry *e)
{
	struct entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	if (c->memo == e)
		c->memo = NULL;
	c->st.entries--;
	c->st.bytes -= e->bytes;
	free(e);
}

void cache_free(cache_t *c)
{
	if (!c)
		return;
	cache_flush_all(c);
	free(c->buckets);
	free(c);
}

void cache_flush_all(cache_t *c)
{
	struct entry *e = c->head;
	while (e) {
		struct entry *next = e->next;
		free(e);
		e = next;
	}
	memset(c->buckets, 0, c->nbuckets * sizeof *c->buckets);
	c->head = c->tail = c->memo = NULL;
	c->st.entries = 0;
	c->st.bytes = 0;
}

static struct entry *find(cache_t *c, const dns_name *owner, uint16_t type,
                          uint16_t rclass, uint32_t h)
{
	for (struct entry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->hnext)
		if (e->hash == h && e->type == type && e->rclass == rclass &&
		    dns_name_equal(&e->owner, owner))
			return e;
	return NULL;
}

static void grow(cache_t *c)
{
	size_t nb = c->nbuckets * 2;
	struct entry **b = calloc(nb, sizeof *b);
	if (!b)
		return; /* keep working with longer chains */
	for (size_t i = 0; i < c->nbuckets; i++) {
		struct entry *e = c->buckets[i];
		while (e) {
			struct entry *next = e->hnext;
			e->hnext = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
			e = next;
		}
	}
	free(c->buckets);
	c->buckets = b;
	c->nbuckets = nb;
}

static size_t record_size(const dns_rr *rr)
{
	return 1 + rr->owner.len + 2 + 2 + 2 + rr->rdlen;
}

static uint8_t *pack_record(uint8_t *p, const dns_rr *rr)
{
	*p++ = (uint8_t)rr->owner.len;
	memcpy(p, rr->owner.wire, rr->owner.len);
	p += rr->owner.len;
	*p++ = (uint8_t)(rr->type >> 8);
	*p++ = (uint8_t)rr->type;
	*p++ = (uint8_t)(rr->rclass >> 8);
	*p++ = (uint8_t)rr->rclass;
	*p++ = (uint8_t)(rr->rdlen >> 8);
	*p++ = (uint8_t)rr->rdlen;
	if (rr->rdlen)
		memcpy(p, rr->rdata, rr->rdlen);
	return p + rr->rdlen;
}

static uint32_t clamp_ttl(const cache_t *c, const struct cache_put *p)
{
	uint32_t ttl = p->ttl;
	if (p->kind == CACHE_POSITIVE && ttl == 0 && p->n > 0) {
		ttl = p->rrs[0].ttl;
		for (size_t i = 1; i < p->n; i++)
			if (p->rrs[i].ttl < ttl)
				ttl = p->rrs[i].ttl;
	}
	if (ttl > c->cfg.max_ttl)
		ttl = c->cfg.max_ttl;
	if (ttl < c->cfg.min_ttl)
		ttl = c->cfg.min_ttl;
	if (p->kind != CACHE_POSITIVE && ttl > c->cfg.neg_max_ttl)
		ttl = c->cfg.neg_max_ttl;
	if (p->status == VAL_BOGUS && ttl > c->cfg.bogus_ttl)
		ttl = c->cfg.bogus_ttl;
	return ttl;
}

static int check_put(const struct cache_put *p)
{
	if (!p->owner || p->n + p->nsig > CACHE_MAX_RRS_PER_SET)
		return WARD_EINVAL;
	if (p->kind == CACHE_POSITIVE) {
		if (p->n == 0)
			return WARD_EINVAL;
		for (size_t i = 0; i < p->n; i++)
			if (p->rrs[i].type != p->type || p->rrs[i].rclass != p->rclass ||
			    !dns_name_equal(&p->rrs[i].owner, p->owner))
				return WARD_EINVAL;
	}
	return 0;
}

int cache_put(cache_t *c, const struct cache_put *p, uint64_t now)
{
	int r = check_put(p);
	if (r)
		return r;
	uint16_t type = p->kind == CACHE_NXDOMAIN ? 0 : p->type;
	uint32_t h = key_hash(p->owner, type, p->rclass);
	struct entry *old = find(c, p->owner, type, p->rclass, h);
	if (old && old->expires > now && old->rank > p->rank) {
		c->st.refused++;
		return 1;
	}

	size_t datalen = 0;
	for (size_t i = 0; i < p->n; i++)
		datalen += record_size(&p->rrs[i]);
	for (size_t i = 0; i < p->nsig; i++)
		datalen += record_size(&p->sigs[i]);
	size_t bytes = sizeof(struct entry) + datalen;
	if (bytes > c->cfg.max_bytes)
		return WARD_ELIMIT;

	struct entry *e = malloc(bytes);
	if (!e)
		return WARD_ENOMEM;
	memset(e, 0, sizeof *e);
	e->hash = h;
	e->type = type;
	e->rclass = p->rclass;
	e->kind = (uint8_t)p->kind;
	e->status = (uint8_t)p->status;
	e->rank = (uint8_t)p->rank;
	e->ede = p->ede;
	e->ttl_zero = p->ttl_zero;
	e->ttl0 = clamp_ttl(c, p);
	e->expires = now + e->ttl0;
	e->n = (uint32_t)p->n;
	e->nsig = (uint32_t)p->nsig;
	e->bytes = bytes;
	e->owner = *p->owner;
	e->datalen = datalen;
	uint8_t *w = e->data;
	for (size_t i = 0; i < p->n; i++)
		w = pack_record(w, &p->rrs[i]);
	for (size_t i = 0; i < p->nsig; i++)
		w = pack_record(w, &p->sigs[i]);

	if (old) {
		entry_remove(c, old);
		c->st.replaced++;
	}
	/* make room: least recently used first */
	while (c->tail && (c->st.bytes + bytes > c->cfg.max_bytes ||
	                   (c->cfg.max_entries &&
	                    c->st.entries + 1 > c->cfg.max_entries))) {
		if (c->tail->expires <= now)
			c->st.expired++;
		else
			c->st.evicted++;
		entry_remove(c, c->tail);
	}
	size_t b = h & (c->nbuckets - 1);
	e->hnext = c->buckets[b];
	c->buckets[b] = e;
	lru_push_front(c, e);
	c->st.entries++;
	c->st.bytes += bytes;
	c->st.inserts++;
	if (c->st.entries > c->nbuckets * 2)
		grow(c);
	return 0;
}

static void fill_hit(const struct entry *e, uint64_t now, struct cache_hit *hit)
{
	hit->kind = (enum cache_kind)e->kind;
	hit->status = (enum val_status)e->status;
	hit->rank = (enum cache_rank)e->rank;
	hit->ede = e->ede;
	hit->ttl_left = (uint32_t)(e->expires - now);
	hit->ttl_orig = e->ttl0;
	hit->n = e->n;
	hit->nsig = e->nsig;
	hit->entry = e;
}

static struct entry *lookup_live(cache_t *c, const dns_name *owner,
                                 uint16_t type, uint16_t rclass, uint64_t now)
{
	/* keys are unique and an exact copy of the memo's owner is equal to
	 * it: the memo is the entry find() would return */
	struct entry *e = c->memo;
	if (!e || e->type != type || e->rclass != rclass ||
	    e->owner.len != owner->len ||
	    memcmp(e->owner.wire, owner->wire, owner->len) != 0)
		e = find(c, owner, type, rclass, key_hash(owner, type, rclass));
	/* a ttl_zero entry answers through the whole second it expires in
	 * (Unbound's grace for TTL 0 data: expired once past its second) */
	if (e && (e->expires < now || (e->expires == now && !e->ttl_zero))) {
		c->st.expired++;
		entry_remove(c, e);
		return NULL;
	}
	if (e)
		c->memo = e;
	return e;
}

bool cache_get(cache_t *c, const dns_name *owner, uint16_t type,
               uint16_t rclass, uint64_t now, struct cache_hit *hit)
{
	struct entry *e = lookup_live(c, owner, type, rclass, now);
	if (!e)
		e = lookup_live(c, owner, 0, rclass, now);
	if (!e) {
		c->st.misses++;
		return false;
	}
	if (c->head != e) {
		lru_unlink(c, e);
		lru_push_front(c, e);
	}
	c->st.hits++;
	fill_hit(e, now, hit);
	return true;
}

int cache_hit_rr(const struct cache_hit *hit, size_t i, dns_rr *rr)
{
	const struct entry *e = hit->entry;
	if (!e || i >= (size_t)e->n + e->nsig)
		return WARD_ENOTFOUND;
	/* The data was packed by pack_record() from validated records; still,
	 * walk it with bounds so a bug cannot read past the entry. */
	wire_rd rd = wire_rd_init(e->data, e->datalen);
	for (size_t k = 0;; k++) {
		uint8_t nl = wire_rd_u8(&rd);
		const uint8_t *name = wire_rd_view(&rd, nl);
		uint16_t type = wire_rd_u16(&rd);
		uint16_t rclass = wire_rd_u16(&rd);
		uint16_t rdlen = wire_rd_u16(&rd);
		const uint8_t *rdata = wire_rd_view(&rd, rdlen);
		if (rd.err)
			return WARD_ERDATA;
		if (k == i) {
			/* packed from a dns_name by pack_record (already a valid
			 * name): copied, not parsed again, on every cache hit */
			if (nl == 0)
				return WARD_ERDATA;
			memcpy(rr->owner.wire, name, nl);
			rr->owner.len = nl;
			rr->type = type;
			rr->rclass = rclass;
			rr->ttl = e->ttl_zero ? 0 : hit->ttl_left;
			rr->rdlen = rdlen;
			rr->rdata = rdata;
			return 0;
		}
	}
}

int cache_set_status(cache_t *c, const dns_name *owner, uint16_t type,
                     uint16_t rclass, enum cache_kind kind,
                     enum val_status status, uint16_t ede, uint64_t now)
{
	uint16_t t = kind == CACHE_NXDOMAIN ? 0 : type;
	struct entry *e = lookup_live(c, owner, t, rclass, now);
	if (!e)
		return WARD_ENOTFOUND;
	e->status = (uint8_t)status;
	e->ede = ede;
	if (status == VAL_BOGUS && e->expires > now + c->cfg.bogus_ttl)
		e->expires = now + c->cfg.bogus_ttl;
	return 0;
}

int cache_cap_ttl(cache_t *c, const dns_name *owner, uint16_t type,
                  uint16_t rclass, enum cache_kind kind, uint32_t ttl,
                  uint64_t now)
{
	uint16_t t = kind == CACHE_NXDOMAIN ? 0 : type;
	struct entry *e = lookup_live(c, owner, t, rclass, now);
	if (!e)
		return WARD_ENOTFOUND;
	if (e->expires > now + ttl)
		e->expires = now + ttl;
	return 0;
}

size_t cache_flush_name(cache_t *c, const dns_name *owner)
{
	size_t removed = 0;
	for (size_t b = 0; b < c->nbuckets; b++) {
		struct entry *e = c->buckets[b];
		while (e) {
			struct entry *next = e->hnext;
			if (dns_name_equal(&e->owner, owner)) {
				entry_remove(c, e);
				removed++;
			}
			e = next;
		}
	}
	return removed;
}

void cache_get_stats(const cache_t *c, struct cache_stats *st)
{
	*st = c->st;
}

void cache_walk(cache_t *c, uint64_t now, cache_visit_fn fn, void *arg)
{
	for (struct entry *e = c->head; e; e = e->next) {
		if (e->expires <= now)
			continue;
		struct cache_hit hit;
		fill_hit(e, now, &hit);
		if (fn(&e->owner, e->type, &hit, arg))
			return;
	}
}
