/* ward resolver: the RRset cache.
 *
 * RRsets are keyed by (owner, type, class), owner compared case-insensitively.
 * Each entry keeps its RRSIGs beside it and its validation status (DESIGN.md),
 * its credibility rank (RFC 2181 §5.4.1) and an absolute expiry time. Negative
 * answers (RFC 2308) are entries too: NXDOMAIN for a name, NODATA for a
 * (name, type), holding the SOA and any NSEC/NSEC3 proof with their RRSIGs.
 * The cache has a hard byte budget and an entry limit, evicting the least
 * recently used entry. Time is always passed in (`now`, seconds). */
#ifndef WARD_RESOLVER_CACHE_H
#define WARD_RESOLVER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"

typedef struct cache cache_t;

enum val_status {
	VAL_UNCHECKED = 0,  /* not validated (validation off, or CD) */
	VAL_SECURE,
	VAL_INSECURE,
	VAL_BOGUS,
	VAL_INDETERMINATE,
};

/* Credibility, lowest first (RFC 2181 §5.4.1). */
enum cache_rank {
	RANK_ADDITIONAL = 1,  /* additional section of a non-authoritative answer */
	RANK_GLUE,            /* glue / referral data */
	RANK_AUTHORITY,       /* authority section, non-authoritative */
	RANK_ANSWER,          /* answer section, non-authoritative (forwarded) */
	RANK_AUTH_ANSWER,     /* answer section of an authoritative reply */
	RANK_LOCAL,           /* configured local data */
};

enum cache_kind { CACHE_POSITIVE = 0, CACHE_NODATA, CACHE_NXDOMAIN };

struct cache_config {
	size_t max_bytes;       /* hard budget for entries and their data */
	size_t max_entries;     /* dnsmasq's cache-size (0: no entry limit) */
	uint32_t min_ttl;       /* min-cache-ttl */
	uint32_t max_ttl;       /* max-cache-ttl */
	uint32_t neg_max_ttl;   /* cap for negative entries */
	uint32_t bogus_ttl;     /* bogus data is kept only this long */
};

struct cache_stats {
	uint64_t hits, misses, inserts, replaced, refused, evicted, expired;
	size_t entries, bytes;
};

/* What to store. For CACHE_POSITIVE, rrs[0..n) is the RRset (same owner,
 * type, class) and sigs its RRSIGs. For negative kinds, rrs holds the SOA and
 * proof records (any owners/types) and sigs their RRSIGs; owner/type name the
 * entry (type ignored for NXDOMAIN). */
struct cache_put {
	enum cache_kind kind;
	const dns_name *owner;
	uint16_t type;
	uint16_t rclass;
	const dns_rr *rrs;
	size_t n;
	const dns_rr *sigs;
	size_t nsig;
	uint32_t ttl;            /* negative: the RFC 2308 §5 TTL; positive: 0 = min of rrs */
	enum val_status status;
	enum cache_rank rank;
	uint16_t ede;            /* Extended DNS Error found while validating, 0 none */
	/* the records came with TTL 0 and are kept only briefly to answer:
	 * handed out with TTL 0 (RFC 1035 §3.2.1: not to be cached) */
	bool ttl_zero;
};

/* A looked-up entry: valid until the next call that changes the cache. */
struct cache_hit {
	enum cache_kind kind;
	enum val_status status;
	enum cache_rank rank;
	uint16_t ede;
	uint32_t ttl_left;       /* seconds until expiry */
	uint32_t ttl_orig;       /* TTL it was stored with (prefetch) */
	size_t n;                /* records (RRset or SOA+proofs) */
	size_t nsig;             /* RRSIGs after them */
	const void *entry;       /* opaque, for cache_hit_rr() */
};

void cache_config_defaults(struct cache_config *cfg);
cache_t *cache_new(const struct cache_config *cfg);
void cache_free(cache_t *c);

/* Store; returns 0, WARD_ENOMEM, WARD_EINVAL (mismatched RRset, too many
 * records) or WARD_ELIMIT when the entry alone exceeds the budget. An existing
 * unexpired entry of higher rank is kept (then 1 is returned). TTLs are
 * clamped to [min_ttl, max_ttl] (bogus: bogus_ttl; negative: neg_max_ttl). */
int cache_put(cache_t *c, const struct cache_put *p, uint64_t now);

/* Positive or NODATA entry for (owner, type, class), or an NXDOMAIN entry for
 * owner. Expired entries are dropped. Returns true on a hit. */
bool cache_get(cache_t *c, const dns_name *owner, uint16_t type,
               uint16_t rclass, uint64_t now, struct cache_hit *hit);

/* Record i of a hit: i < n are the data records, n <= i < n+nsig RRSIGs.
 * TTLs are the remaining TTL (0 for a ttl_zero entry). rr->rdata points into the cache. */
int cache_hit_rr(const struct cache_hit *hit, size_t i, dns_rr *rr);

/* Change the validation status of an entry (after validating it). */
int cache_set_status(cache_t *c, const dns_name *owner, uint16_t type,
                     uint16_t rclass, enum cache_kind kind,
                     enum val_status status, uint16_t ede, uint64_t now);

/* Shorten an entry's remaining life to at most ttl seconds (the TTL a
 * signature vouches for, RFC 4035 §5.3.3; the bogus TTL). */
int cache_cap_ttl(cache_t *c, const dns_name *owner, uint16_t type,
                  uint16_t rclass, enum cache_kind kind, uint32_t ttl,
                  uint64_t now);

void cache_flush_all(cache_t *c);
/* Remove every entry owned by name (all types, and its NXDOMAIN entry);
 * returns how many were removed. */
size_t cache_flush_name(cache_t *c, const dns_name *owner);

void cache_get_stats(const cache_t *c, struct cache_stats *st);

/* Visit every unexpired entry (for `ward ctl cache dump`); stop when fn
 * returns non-zero. */
typedef int (*cache_visit_fn)(const dns_name *owner, uint16_t type,
                              const struct cache_hit *hit, void *arg);
void cache_walk(cache_t *c, uint64_t now, cache_visit_fn fn, void *arg);

#endif
