/* ward resolver: the DNS engine (sans-I/O). Recursive iteration from root
 * hints, or forwarding to configured servers; answers from the RRset cache.
 *
 * The engine never touches a socket, a clock or a random source: the caller
 * feeds client queries (res_query_start), upstream replies
 * (res_upstream_reply) and the time (now, milliseconds), and pulls what to
 * do next with res_next_action: send bytes upstream, answer a client.
 * res_next_wakeup tells when res_tick must be called for timeouts.
 * See docs/resolver.md. */
#ifndef WARD_RESOLVER_ENGINE_H
#define WARD_RESOLVER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "resolver/answer_filter.h"
#include "resolver/blocklist.h"
#include "resolver/cache.h"
#include "resolver/localdata.h"
#include "resolver/resolver_limits.h"

typedef struct res_engine res_engine;

/* An IPv4 (family 4) or IPv6 (family 6) address and a port. */
struct res_addr {
	uint8_t family;
	uint8_t ip[16];
	uint16_t port;
};

enum res_mode { RES_MODE_RECURSIVE = 0, RES_MODE_FORWARD };

/* One forwarding rule (dnsmasq server=): domain (root for a plain
 * server=IP), and either an address or local_only (server=/domain/). */
struct res_forwarder {
	dns_name domain;
	struct res_addr addr;
	bool local_only;
};

struct res_hint {
	dns_name name;
	struct res_addr addr;
};

/* One server of a stub or forward zone in recursive mode. */
struct res_zone_server {
	dns_name name;
	struct res_addr addr;
	bool forward;           /* forward-zone: ask with RD=1, take the answer */
	bool first;             /* stub-first / forward-first: on failure, iterate */
};

/* An address prefix: family 4 or 6, len in bits. */
struct res_prefix {
	uint8_t family;
	uint8_t ip[16];
	uint8_t len;
};

/* Random bytes for query IDs and server rotation (the caller's CSPRNG). */
typedef void (*res_random_fn)(void *ctx, uint8_t *buf, size_t n);

struct res_config {
	enum res_mode mode;
	const struct res_hint *hints;     /* NULL: the built-in root servers */
	size_t n_hints;
	const struct res_forwarder *fwd;  /* forwarding mode */
	size_t n_fwd;
	bool strict_order;                /* dnsmasq strict-order */
	bool all_servers;                 /* dnsmasq all-servers */
	bool qname_minimisation;          /* RFC 9156 (relaxed) */
	uint16_t edns_size;               /* advertised upstream, default 1232 */
	uint16_t client_edns_max;         /* answers never exceed this (1232) */
	unsigned max_upstream;            /* per client query (RES_MAX_UPSTREAM) */
	unsigned max_clients;             /* concurrent client queries */
	res_random_fn random;
	void *random_ctx;
	/* local data (dnsmasq semantics, docs/localdata.md), consulted before
	 * the cache and upstreams; borrowed, may be NULL */
	const localdata *local;
	/* dnsmasq TTL options (seconds); RES_TTL_UNSET when not configured */
	int64_t neg_ttl;        /* neg-ttl: negative answers without a SOA */
	int64_t max_ttl;        /* max-ttl: cap on TTLs given to clients */
	int64_t min_cache_ttl;  /* min-cache-ttl: floor when caching */
	int64_t max_cache_ttl;  /* max-cache-ttl: cap when caching */
	bool no_negcache;       /* no-negcache: do not cache negative answers */
	bool case_randomise;    /* 0x20 bits in upstream QNAMEs (ward's option) */
	/* CH TXT version.bind/version.server and id.server/hostname.bind
	 * (Unbound's version/identity): the TXT string answered, NULL to
	 * refuse. Defaults: version "ward", identity NULL (the engine knows
	 * no hostname; the daemon may set it). Borrowed. */
	const char *chaos_version;
	const char *chaos_identity;
	/* recursive mode: stub and forward zones (Unbound stub-zone: /
	 * forward-zone:); names at or below a zone are asked of its servers */
	const struct res_zone_server *zones;
	size_t n_zones;
	/* answers carry the zone's NS set in authority and the addresses of
	 * the names in additional, as the last upstream reply had them
	 * (Unbound minimal-responses: no); default minimal */
	bool full_responses;
	/* ANY answered with one synthesised HINFO, nothing asked (RFC 8482
	 * §4.2; Unbound deny-any: yes); default resolved: asked upstream,
	 * every RRset of the answer cached and validated (engine_any.c) */
	bool deny_any;
	/* dnsmasq filter-A / filter-AAAA / filter-rr (resolver/answer_filter.h):
	 * applied to every answer but local data's and the minimal ANY */
	struct answer_filter filter;
	/* dnsmasq bogus-nxdomain=IP[/LEN]: an upstream answer to a client's
	 * question that holds an A or AAAA record in one of these prefixes
	 * becomes NXDOMAIN with EDE 15, nothing of it cached */
	struct res_prefix bogus_nx[RES_BOGUS_NX_MAX];
	size_t n_bogus_nx;
	/* with full responses (and ANY answers), additional RRsets of other
	 * types than A/AAAA in the zone's bailiwick are kept too (Unbound
	 * harden-unknown-additional: no); default only addresses */
	bool keep_unknown_additional;
	/* accept referral glue outside the referring zone's bailiwick
	 * (Unbound harden-glue: no); default refused */
	bool glue_any_zone;
	/* sibling glue (addresses below the referring zone but outside the
	 * delegated one) not used: the NS name is resolved itself (Unbound
	 * harden-unverified-glue; RFC 9471 §2.2); default used */
	bool verify_sibling_glue;
	/* NS records kept per NS RRset of a reply (Unbound iter-scrub-ns,
	 * overload protection); 0: RES_SCRUB_NS_DEFAULT */
	unsigned scrub_ns;
	/* reach IPv4-only servers through NAT64 (RFC 6052 address synthesis;
	 * Unbound do-nat64): prefix length 32/40/48/56/64/96, 0 = the
	 * well-known 64:ff9b::/96 */
	/* refresh answers served in the last tenth of their TTL in the
	 * background (Unbound prefetch) */
	bool prefetch;
	/* no Extended DNS Errors in answers (Unbound's default, ede: no);
	 * ward sends them by default */
	bool no_ede;
	bool nat64;
	uint8_t nat64_prefix[16];
	uint8_t nat64_len;
	/* DNS rebinding protection (Unbound private-address / private-domain,
	 * dnsmasq stop-dns-rebind): A/AAAA RRsets from upstream with an
	 * address in these prefixes are dropped, except for names at or
	 * below a private domain. Copied by res_engine_new. */
	const struct res_prefix *private_addrs;
	size_t n_private_addrs;
	const dns_name *private_domains;
	size_t n_private_domains;
	/* DNSSEC validation (docs/dnssec.md, "Validation in the engine") */
	bool dnssec;                      /* validate (dnsmasq dnssec) */
	/* trust anchors: DS or DNSKEY records (uncompressed rdata), borrowed,
	 * copied by res_engine_new; see res_anchors_parse (validator.h) */
	const dns_rr *trust_anchors;
	size_t n_trust_anchors;
	unsigned nsec3_max_iterations;    /* 0: DNSSEC_NSEC3_MAX_ITERATIONS_DEFAULT */
	uint32_t bogus_ttl;               /* 0: CACHE_BOGUS_TTL_DEFAULT (val-bogus-ttl) */
	/* unsigned answers: prove them insecure (dnsmasq dnssec-check-unsigned,
	 * default on); off: unsigned data is taken as insecure unchecked */
	bool dnssec_check_unsigned;
	/* a DNSKEY set that cannot be had at all (the servers fail, time
	 * out) makes its zone insecure instead of bogus (Unbound
	 * harden-dnssec-stripped: no; a downgrade risk, off by default) */
	bool dnssec_stripped_ok;
	bool dnssec_no_timecheck;         /* dnsmasq dnssec-no-timecheck */
	uint32_t sig_skew_min, sig_skew_max; /* 0/0: strict (dnssec_env) */
	/* validation time in unix seconds instead of now_ms / 1000 (a
	 * scenario's val-override-date); 0: the engine's clock */
	int64_t dnssec_time;
	/* negative trust anchors (ward dnssec-nta=/domain/, Unbound
	 * domain-insecure): names at or below are not validated. Copied. */
	const dns_name *insecure_domains;
	size_t n_insecure_domains;
	/* RFC 8198: NXDOMAIN/NODATA synthesised from validated NSEC records
	 * in the cache (Unbound aggressive-nsec); default off */
	bool aggressive_nsec;
	/* every algorithm of the DS set (or trust anchor) must sign the
	 * DNSKEY set (Unbound harden-algo-downgrade); default off: any one
	 * suffices (RFC 6840 §5.11) */
	bool harden_algo_downgrade;
	/* blocklists (resolver/blocklist.h, docs/blocklists.md): client
	 * queries for a blocked name are answered after local data, before
	 * the cache. Borrowed, may be NULL; the caller may swap the sets in
	 * it between calls into the engine. */
	const blocklist *blocklist;
	bool blocklist_nxdomain;          /* NXDOMAIN, else 0.0.0.0 / :: */
	uint32_t blocklist_ttl;           /* of 0.0.0.0 / :: (BLOCKLIST_TTL_DEFAULT) */
};


#define RES_TTL_UNSET (-1)

enum res_action_kind { RES_ACT_NONE = 0, RES_ACT_SEND, RES_ACT_ANSWER };

/* What the caller must do. buf is owned by the engine and valid until the
 * next call into the engine. */
struct res_action {
	enum res_action_kind kind;
	uint32_t token;          /* SEND: pass back to res_upstream_reply */
	struct res_addr dst;     /* SEND */
	bool tcp;                /* SEND: over TCP (with the 2-byte length: the caller's job) */
	uint64_t client_tag;     /* ANSWER */
	const uint8_t *buf;
	size_t len;
	bool blocked;            /* ANSWER: a blocklist's answer (docs/blocklists.md) */
};

void res_config_defaults(struct res_config *cfg);
/* The built-in root server addresses (hints == NULL), at most max; for
 * wardd's dashboard diagnosis, which walks from the same roots. */
size_t res_root_hints_builtin(struct res_addr *out, size_t max);
/* The cache is borrowed (may be shared); NULL config fields get defaults. */
res_engine *res_engine_new(const struct res_config *cfg, cache_t *cache);
void res_engine_free(res_engine *e);

/* A client query (wire bytes). Always leads to exactly one ANSWER for the
 * tag, except for unparseable garbage (< 12 bytes, or QR=1), which is
 * dropped (returns WARD_EINVAL). */
int res_query_start(res_engine *e, uint64_t client_tag, const uint8_t *query,
                    size_t len, bool tcp, uint64_t now_ms);

/* An upstream reply for a SEND token, from `from`. Replies that do not
 * match (token, ID, question, address) are ignored (WARD_ENOTFOUND). */
int res_upstream_reply(res_engine *e, uint32_t token,
                       const struct res_addr *from, bool tcp,
                       const uint8_t *pkt, size_t len, uint64_t now_ms);

/* The exchange of a SEND token failed without a reply: timed_out (the
 * caller's own timer, e.g. a scenario's TIMEOUT step) or a network error
 * (ICMP unreachable, TCP connection closed). The engine moves on as it does
 * on its own timeout. WARD_ENOTFOUND when the token is not in flight. */
int res_upstream_fail(res_engine *e, uint32_t token, bool timed_out,
                      uint64_t now_ms);

/* Set the smoothed RTT the engine keeps for a server address (restoring
 * saved state; a scenario's INFRA_RTT step). 0 or WARD_EINVAL. */
int res_infra_set_rtt(res_engine *e, const struct res_addr *a,
                      uint32_t rtt_ms, uint64_t now_ms);

/* Handle timeouts due at now_ms. */
void res_tick(res_engine *e, uint64_t now_ms);
/* The wall clock for DNSSEC signature windows (RFC 4035 5.3.1) when the
 * caller's now_ms is a monotonic clock: unix_s is the current unix time
 * at now_ms; validation then uses unix_s + (later now_ms - now_ms) / 1000.
 * Not called: now_ms / 1000 is taken as unix time (the scenario player). */
void res_set_wallclock(res_engine *e, int64_t unix_s, uint64_t now_ms);
/* The earliest time res_tick has work, UINT64_MAX when none. */
uint64_t res_next_wakeup(const res_engine *e);
/* 1 and fills a while there is something to do, 0 when not. */
int res_next_action(res_engine *e, uint64_t now_ms, struct res_action *a);

struct res_stats {
	uint64_t client_queries, answers, upstream_sent, upstream_replies,
	         ignored_replies, timeouts, servfail, cache_answers, dedup,
	         prefetches;
	uint64_t local_answers;   /* answered from local data (AA) */
	uint64_t case_mismatch;   /* 0x20: replies whose QNAME case differed */
	uint64_t caps_fallback;   /* 0x20: re-sent without it to such a server */
	uint64_t blocked;         /* answered from a blocklist */
	uint64_t filtered;        /* answers with records taken out by
	                           * filter-A/AAAA/rr */
	uint64_t bogus_nx;        /* answers turned NXDOMAIN (bogus-nxdomain) */
};
void res_get_stats(const res_engine *e, struct res_stats *st);

#endif
