/* ward resolver: every limit of the engine, named, in one place
 * (DESIGN.md "Limits are named constants"). Defaults are no looser than
 * Unbound's where Unbound has the same limit. */
#ifndef WARD_RESOLVER_LIMITS_H
#define WARD_RESOLVER_LIMITS_H

/* cache */
#define CACHE_DEFAULT_BYTES (32u * 1024 * 1024) /* byte budget */
#define CACHE_DEFAULT_ENTRIES 150               /* dnsmasq's cache-size default */
#define CACHE_MAX_TTL_DEFAULT 86400             /* Unbound cache-max-ttl */
#define CACHE_BOGUS_TTL_DEFAULT 60              /* Unbound val-bogus-ttl */
#define CACHE_NEG_TTL_MAX 3600                  /* RFC 2308 §5: cap negative TTL (Unbound cache-max-negative-ttl) */
#define CACHE_MAX_RRS_PER_SET 512               /* refuse absurd RRsets */

#endif
