/* ward resolver: local data — the answers wardd gives without asking anyone,
 * with dnsmasq's semantics (hosts files, expand-hosts + domain=, local=,
 * address=, host-record=, cname=, txt-record=, srv-host=, mx-host=,
 * ptr-record=, domain-needed, bogus-priv, local-ttl=, DHCP lease names).
 * docs/localdata.md has the semantics table, confirmed against dnsmasq 2.90.
 *
 * The store is filled through the typed calls below (the config layer and the
 * DHCP engine call them) and queried with localdata_answer(). Names are kept
 * in one hash table keyed by the lowercased wire name; domain rules (address=,
 * local=) live on the same nodes, so a lookup costs O(labels of qname) hash
 * probes however many rules there are. Names given as text are absolute with
 * or without a trailing dot. Every rdata the result points at belongs to the
 * store: it stays valid until the store is next modified or freed. */
#ifndef WARD_RESOLVER_LOCALDATA_H
#define WARD_RESOLVER_LOCALDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"

typedef struct localdata localdata;

/* TTL argument meaning "use local-ttl". */
#define LD_TTL_DEFAULT (-1)
/* Records in one local_result; more are dropped and `truncated` set. */
#define LOCAL_RESULT_MAX 32
/* PTR targets expanded with domain= held in the result itself. */
#define LOCAL_PTR_BUFS 4
/* CNAME hops followed inside local data (as dnsmasq, a small fixed bound). */
#define LOCAL_CNAME_MAXHOPS 10

enum local_kind {
	LOCAL_NOT_LOCAL = 0, /* not answered here: resolve/forward */
	LOCAL_ANSWER,        /* rrs[0..n) is the answer section (CNAMEs first) */
	LOCAL_NODATA,        /* name exists locally, not with this type; no SOA */
	LOCAL_NXDOMAIN,      /* local-only domain, address=/d/, bogus-priv,
	                      * domain-needed: no SOA either */
};

/* Domain rule that matched qname (longest match), for the engine to weigh
 * against a more specific server=/sub.domain/. Bit flags. */
enum local_rule {
	LD_RULE_NONE = 0,
	LD_RULE_LOCAL = 1,   /* local=/d/ or address=/d/ (no address) */
	LD_RULE_ADDRESS = 2, /* address=/d/IP or address=/d/# */
};

struct local_result {
	enum local_kind kind;
	bool aa;             /* dnsmasq sets AA on local answers */
	bool truncated;      /* more than LOCAL_RESULT_MAX records */
	size_t n;
	dns_rr rrs[LOCAL_RESULT_MAX];
	unsigned rule;       /* enum local_rule bits of the matched domain rule */
	unsigned rule_labels;/* labels of the rule's domain (0: address=/#/) */
	dns_name rule_domain;/* valid when rule != LD_RULE_NONE */
	bool from_rule;      /* the result comes from a domain rule, domain-needed
	                      * or bogus-priv, not from a local name: a more
	                      * specific server=/sub.domain/ overrides it */
	/* storage for expanded PTR targets some rrs[].rdata point into: do not
	 * copy a local_result by value while using its rrs */
	size_t nptr;
	dns_name ptr_names[LOCAL_PTR_BUFS];
};

/* Diagnostics sink for file loading: one "file:line: message" per call. */
typedef void (*localdata_diag_fn)(void *ctx, const char *msg);

struct localdata_load_stats {
	unsigned lines;      /* lines read */
	unsigned entries;    /* name -> address pairs added */
	unsigned bad;        /* lines reported (each still loads what it can) */
	unsigned files;      /* files read (addn-hosts directory) */
};

/* A new, empty store (NULL on ENOMEM) / free it (NULL is fine). */
localdata *localdata_new(void);
void localdata_free(localdata *ld);

/* Settings: local-ttl= (default 0), domain= (NULL clears; WARD_ESYNTAX for a
 * bad name), expand-hosts, domain-needed, bogus-priv. */
void localdata_set_local_ttl(localdata *ld, uint32_t ttl);
int localdata_set_domain(localdata *ld, const char *domain);
void localdata_set_expand_hosts(localdata *ld, bool on);
void localdata_set_domain_needed(localdata *ld, bool on);
void localdata_set_bogus_priv(localdata *ld, bool on);

/* One hosts entry: name -> address (family AF_INET: 4 bytes, AF_INET6: 16),
 * plus the reverse PTR when make_ptr (only the first PTR per address is kept,
 * as dnsmasq answers with the first name). Plain names are answered also as
 * name.domain when expand-hosts is on. */
int localdata_add_host(localdata *ld, const char *name, int family,
                       const void *addr, bool make_ptr);

/* local=/domain/ and address=/domain/ (no address): answer from local data
 * only. "#" or "" for domain means every name. */
int localdata_add_local(localdata *ld, const char *domain);

/* address=/domain/IP: family AF_INET or AF_INET6 with the address, or 0 for
 * '#' (0.0.0.0 and ::). Matches the domain and all subdomains. */
int localdata_add_address(localdata *ld, const char *domain, int family,
                          const void *addr);

/* host-record=names...,[v4],[v6][,ttl]: A/AAAA for each name, PTR to the
 * first name. v4 (4 bytes) / v6 (16 bytes) may be NULL, not both. */
int localdata_add_host_record(localdata *ld, const char *const *names,
                              size_t nnames, const uint8_t *v4,
                              const uint8_t *v6, int64_t ttl);

/* cname=aliases...,target[,ttl]. */
int localdata_add_cname(localdata *ld, const char *const *aliases,
                        size_t naliases, const char *target, int64_t ttl);

/* txt-record=name[,"text"...] (strings unquoted; each <= 255 octets; none
 * given: one empty string, as dnsmasq). */
int localdata_add_txt(localdata *ld, const char *name,
                      const char *const *strings, size_t nstrings);

/* srv-host=name,[target,port,priority,weight]; target NULL: "." (service
 * not available). */
int localdata_add_srv(localdata *ld, const char *name, const char *target,
                      uint16_t port, uint16_t priority, uint16_t weight);

/* mx-host=name,[target],pref; target NULL: name itself. */
int localdata_add_mx(localdata *ld, const char *name, const char *target,
                     uint16_t preference);

/* ptr-record=name,target. */
int localdata_add_ptr(localdata *ld, const char *name, const char *target);

/* DHCP lease names: hostname (plain) -> address, answered as hostname and
 * hostname.domain, with PTR to hostname.domain (hostname without a domain).
 * Remove drops every lease record of hostname (WARD_ENOTFOUND if none). */
int localdata_lease_add(localdata *ld, const char *hostname, int family,
                        const void *addr);
int localdata_lease_remove(localdata *ld, const char *hostname);

/* Answer qname/qtype from local data (class IN is the caller's check).
 * Returns 0 (out filled, out->kind says what) or a negative ward_err. */
int localdata_answer(const localdata *ld, const dns_name *qname,
                     uint16_t qtype, struct local_result *out);

/* True when the address (AF_INET 4 bytes / AF_INET6 16 bytes) is in dnsmasq's
 * bogus-priv set (RFC 1918, RFC 6303 and the IPv6 private ranges). */
bool localdata_addr_is_private(int family, const uint8_t *addr);

/* Parse an in-addr.arpa / ip6.arpa name of a full address: family or 0. */
int localdata_reverse_parse(const dns_name *n, uint8_t addr[16]);
/* Same, also accepting fewer labels (a network: 10.in-addr.arpa is
 * 10.0.0.0, as dnsmasq's bogus-priv reads it); the rest is zero. */
int localdata_reverse_parse_prefix(const dns_name *n, uint8_t addr[16]);

/* The reverse name of an address. */
int localdata_reverse_name(int family, const uint8_t *addr, dns_name *out);

/* Names and rules stored (for stats and tests). */
size_t localdata_count(const localdata *ld);

#endif
