/* ward resolver: the blocklist hash set and lookups (see blocklist.h).
 *
 * Pool entry at offset o: pool[o] = wire length L (root label included),
 * pool[o + 1] = flags, pool[o + 2 .. o + 2 + L) = the lowercased wire name.
 * Table: cap slots (a power of two), tag[i] = 0 for an empty slot, else
 * 1..255 from the hash's top byte; off[i] = the entry's pool offset.
 * Linear probing; the table grows at 3/4 load. */
#include "resolver/blocklist.h"

#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "resolver/resolver_limits.h"

#define BL_MIN_CAP 64u
#define BL_ENTRY_HDR 2u

struct blocklist_set {
	uint64_t seed;
	uint8_t *pool;
	size_t pool_len, pool_cap;
	uint32_t *off;
	uint8_t *tag;
	size_t cap;       /* slots, power of two (0 before the first add) */
	size_t count;
};

struct blocklist {
	size_t n;
	blocklist_set *slot[];
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* Seeded hash of a lowercased wire name (8 bytes per round). */
static uint64_t bl_hash(uint64_t seed, const uint8_t *p, size_t n)
{
	uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);
	while (n >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h = mix64(h ^ v);
		p += 8;
		n -= 8;
	}
	uint64_t v = 0;
	memcpy(&v, p, n);
	return mix64(h ^ v ^ ((uint64_t)n << 56));
}

static uint8_t hash_tag(uint64_t h)
{
	uint8_t t = (uint8_t)(h >> 56);
	return t ? t : 1;
}

blocklist_set *blocklist_set_new(uint64_t seed)
{
	blocklist_set *s = calloc(1, sizeof *s);
	if (s)
		s->seed = seed;
	return s;
}

void blocklist_set_free(blocklist_set *s)
{
	if (!s)
		return;
	free(s->pool);
	free(s->off);
	free(s->tag);
	free(s);
}

/* Slot of the name (wire w, length n, hash h), or of the empty slot where
 * it would go; *found says which. */
static size_t probe(const blocklist_set *s, const uint8_t *w, size_t n,
                    uint64_t h, bool *found)
{
	size_t mask = s->cap - 1;
	size_t i = (size_t)h & mask;
	uint8_t t = hash_tag(h);
	for (;;) {
		if (!s->tag[i]) {
			*found = false;
			return i;
		}
		if (s->tag[i] == t) {
			const uint8_t *e = s->pool + s->off[i];
			if (e[0] == n && !memcmp(e + BL_ENTRY_HDR, w, n)) {
				*found = true;
				return i;
			}
		}
		i = (i + 1) & mask;
	}
}

/* Double the table. The entries are inserted again in pool order: the
 * pool is read front to back (the old table's order would read it at
 * random, a cache miss per entry). */
static int grow(blocklist_set *s)
{
	size_t ncap = s->cap ? s->cap * 2 : BL_MIN_CAP;
	uint32_t *noff = malloc(ncap * sizeof *noff);
	uint8_t *ntag = calloc(ncap, 1);
	if (!noff || !ntag) {
		free(noff);
		free(ntag);
		return WARD_ENOMEM;
	}
	free(s->off);
	free(s->tag);
	s->off = noff;
	s->tag = ntag;
	s->cap = ncap;
	for (size_t o = 0; o < s->pool_len; o += BL_ENTRY_HDR + s->pool[o]) {
		const uint8_t *e = s->pool + o;
		uint64_t h = bl_hash(s->seed, e + BL_ENTRY_HDR, e[0]);
		bool found;
		size_t j = probe(s, e + BL_ENTRY_HDR, e[0], h, &found);
		s->tag[j] = hash_tag(h);
		s->off[j] = (uint32_t)o;
	}
	return 0;
}

static int pool_reserve(blocklist_set *s, size_t need)
{
	if (s->pool_len + need <= s->pool_cap)
		return 0;
	if (s->pool_len + need > BLOCKLIST_MAX_POOL)
		return WARD_ELIMIT;
	size_t ncap = s->pool_cap ? s->pool_cap * 2 : 4096;
	while (ncap < s->pool_len + need)
		ncap *= 2;
	if (ncap > BLOCKLIST_MAX_POOL)
		ncap = BLOCKLIST_MAX_POOL;
	uint8_t *p = realloc(s->pool, ncap);
	if (!p)
		return WARD_ENOMEM;
	s->pool = p;
	s->pool_cap = ncap;
	return 0;
}

/* The lowercased wire of n into out (n is a checked dns_name). */
static void lower_wire(const dns_name *n, uint8_t *out)
{
	for (size_t i = 0; i < n->len; i++) {
		uint8_t c = n->wire[i];
		out[i] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
	}
}

int blocklist_set_add(blocklist_set *s, const dns_name *name, unsigned flags)
{
	if (!s || !name || name->len < 1 || name->len > DNS_NAME_MAXLEN ||
	    !(flags & (BL_BLOCK_ANY | BL_ALLOW_ANY)))
		return WARD_EINVAL;
	uint8_t w[DNS_NAME_MAXLEN];
	lower_wire(name, w);
	size_t n = name->len;
	if (s->count + 1 > s->cap / 4 * 3) {
		if (s->count >= BLOCKLIST_MAX_ENTRIES)
			return WARD_ELIMIT;
		int r = grow(s);
		if (r)
			return r;
	}
	uint64_t h = bl_hash(s->seed, w, n);
	bool found;
	size_t i = probe(s, w, n, h, &found);
	if (found) {
		s->pool[s->off[i] + 1] |= (uint8_t)flags;
		return 0;
	}
	if (s->count >= BLOCKLIST_MAX_ENTRIES)
		return WARD_ELIMIT;
	int r = pool_reserve(s, BL_ENTRY_HDR + n);
	if (r)
		return r;
	uint8_t *e = s->pool + s->pool_len;
	e[0] = (uint8_t)n;
	e[1] = (uint8_t)flags;
	memcpy(e + BL_ENTRY_HDR, w, n);
	s->off[i] = (uint32_t)s->pool_len;
	s->tag[i] = hash_tag(h);
	s->pool_len += BL_ENTRY_HDR + n;
	s->count++;
	return 0;
}

/* Flags of the lowercased wire w[0..n) with hash h. */
static unsigned flags_at(const blocklist_set *s, const uint8_t *w, size_t n,
                         uint64_t h)
{
	if (!s->count)
		return 0;
	bool found;
	size_t i = probe(s, w, n, h, &found);
	return found ? s->pool[s->off[i] + 1] : 0;
}

unsigned blocklist_set_flags(const blocklist_set *s, const dns_name *name)
{
	if (!s || !name || !s->count)
		return 0;
	uint8_t w[DNS_NAME_MAXLEN];
	lower_wire(name, w);
	return flags_at(s, w, name->len, bl_hash(s->seed, w, name->len));
}

void blocklist_set_compact(blocklist_set *s)
{
	if (!s || !s->pool_len || s->pool_len == s->pool_cap)
		return;
	uint8_t *p = realloc(s->pool, s->pool_len);
	if (p) {
		s->pool = p;
		s->pool_cap = s->pool_len;
	}
}

size_t blocklist_set_count(const blocklist_set *s)
{
	return s ? s->count : 0;
}

size_t blocklist_set_bytes(const blocklist_set *s)
{
	if (!s)
		return 0;
	return sizeof *s + s->pool_cap + s->cap * (sizeof *s->off + 1);
}

blocklist *blocklist_new(size_t nslots)
{
	blocklist *b = calloc(1, sizeof *b + nslots * sizeof b->slot[0]);
	if (b)
		b->n = nslots;
	return b;
}

void blocklist_free(blocklist *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		blocklist_set_free(b->slot[i]);
	free(b);
}

size_t blocklist_slots(const blocklist *b)
{
	return b ? b->n : 0;
}

blocklist_set *blocklist_swap(blocklist *b, size_t i, blocklist_set *s)
{
	if (!b || i >= b->n)
		return s; /* nowhere to put it: the caller frees it */
	blocklist_set *old = b->slot[i];
	b->slot[i] = s;
	return old;
}

const blocklist_set *blocklist_slot(const blocklist *b, size_t i)
{
	return b && i < b->n ? b->slot[i] : NULL;
}

size_t blocklist_count(const blocklist *b)
{
	size_t n = 0;
	for (size_t i = 0; b && i < b->n; i++)
		n += blocklist_set_count(b->slot[i]);
	return n;
}

enum bl_verdict blocklist_check(const blocklist *b, const dns_name *qname)
{
	if (!b || !qname || qname->len <= 1)
		return BL_NONE;
	bool any = false;
	for (size_t i = 0; i < b->n && !any; i++)
		any = b->slot[i] && b->slot[i]->count;
	if (!any)
		return BL_NONE;
	uint8_t w[DNS_NAME_MAXLEN];
	lower_wire(qname, w);
	size_t n = qname->len;
	enum bl_verdict v = BL_NONE;
	/* each suffix, from the name itself to its top-level label */
	for (size_t at = 0; at + 1 < n; at += (size_t)w[at] + 1) {
		bool self = at == 0;
		unsigned f = 0;
		uint64_t h = 0, hseed = 0;
		bool have_h = false;
		for (size_t k = 0; k < b->n; k++) {
			const blocklist_set *s = b->slot[k];
			if (!s || !s->count)
				continue;
			if (!have_h || hseed != s->seed) {
				h = bl_hash(s->seed, w + at, n - at);
				hseed = s->seed;
				have_h = true;
			}
			f |= flags_at(s, w + at, n - at, h);
		}
		unsigned allow = self ? BL_ALLOW_EXACT | BL_ALLOW_SUB
		                      : BL_ALLOW_SUB | BL_ALLOW_BELOW;
		unsigned block = self ? BL_BLOCK_EXACT | BL_BLOCK_SUB
		                      : BL_BLOCK_SUB | BL_BLOCK_BELOW;
		if (f & allow)
			return BL_ALLOWED;
		if (f & block)
			v = BL_BLOCKED;
	}
	return v;
}
