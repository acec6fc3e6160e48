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

/* engine */
#define RES_MAX_CLIENTS_DEFAULT 1024   /* concurrent client queries */
#define RES_MAX_UPSTREAM 32            /* upstream queries per client query (NXNSAttack; Unbound max-sent-count 32) */
#define RES_MAX_GLUELESS 5             /* glueless NS lookups per client query (NXNSAttack) */
#define RES_MAX_DEPTH 6                /* nested sub-queries (glueless NS) */
#define RES_MAX_CNAME 11               /* CNAME/DNAME links followed (Unbound 11) */
#define RES_MAX_REFERRALS 30           /* referrals followed per client query (TsuNAME) */
#define RES_MAX_SERVERS 13             /* server addresses considered per zone cut */
#define RES_MAX_REPARENT 4             /* dead cuts re-asked of their parent per client query */
#define RES_MAX_BAD 16                 /* failed (server, zone) pairs remembered per client query */
#define RES_SCRUB_NS_DEFAULT 20        /* NS records kept per NS RRset of a reply (Unbound iter-scrub-ns 20) */
#define RES_MAX_NS_NAMES 20            /* NS names looked at per zone cut */
#define RES_UDP_TIMEOUT_MS 1000        /* first timeout per upstream attempt */
#define RES_TIMEOUT_MAX_MS 4000        /* backoff cap */
#define RES_QUERY_DEADLINE_MS 12000    /* a client query is answered SERVFAIL by then */
#define RES_EDNS_SIZE 1232             /* advertised upstream (DNS flag day 2020) */
#define RES_CLIENT_EDNS_MAX 1232       /* answers over UDP at most this big */
#define RES_MAX_RRS_PER_REPLY 256      /* records read from one upstream reply */
#define RES_ANY_MAX_TYPES 24           /* RRsets of one ANY answer kept, the first ones of the
                                        * reply (validation work per query); Unbound's answer in
                                        * val_any_cap.rpl keeps the same first 24 of 38 */
#define RES_BOGUS_NX_MAX 32            /* bogus-nxdomain= prefixes kept (a warning past it) */
#define RES_MAX_QMIN_STEPS 10          /* RFC 9156 MAX_MINIMISE_COUNT */
#define RES_MAX_ACTIONS 4096           /* queued actions before refusing work */
#define RES_INFRA_MAX 1024             /* server addresses with RTT state (LRU-ish replacement) */
#define RES_RTT_UNKNOWN_MS 376         /* assumed RTT of a server never asked (Unbound UNKNOWN_SERVER_NICENESS) */
#define RES_RTT_BAND_MS 400            /* servers within this of the fastest are equally good (Unbound RTT_BAND) */
#define RES_RTT_MAX_MS 120000          /* smoothed RTT / penalty cap */
#define RES_PREFETCH_MIN_TTL 10       /* answers with a shorter TTL are not prefetched (Unbound: 10 s) */
#define RES_NEG_NOSOA_TTL 5            /* negative answer without SOA (Unbound NORR_TTL) */
#define RES_MIN_CACHE_TTL_MAX 3600     /* min-cache-ttl is capped here, as dnsmasq does */
#define RES_TTL_HOLD_MIN 1             /* seconds anything cached is kept at least, so the
                                        * query that fetched it (TTL 0, no-negcache) is answered */
#define RES_CHAOS_VERSION "ward"       /* CH TXT version.bind default answer */
#define RES_CHAOS_TTL 0                /* TTL of CH TXT answers (Unbound: 0) */

/* blocklists (resolver/blocklist.h) */
#define BLOCKLIST_MAX_ENTRIES (16u * 1024 * 1024) /* distinct names in one list */
#define BLOCKLIST_MAX_POOL (1u << 30)  /* bytes of names in one list (offsets are 32-bit) */
#define BLOCKLIST_LINE_MAX 4096        /* longer lines are reported and skipped */
#define BLOCKLIST_DIAG_MAX 10          /* bad lines reported per list read (all counted) */
#define BLOCKLIST_TTL_DEFAULT 2        /* TTL of blocked answers (Pi-hole's blockTTL) */

#endif
