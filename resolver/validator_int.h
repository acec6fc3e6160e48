/* ward resolver: DNSSEC validation inside the engine (validator.c,
 * val_chain.c, val_neg.c), the hooks engine.c, engine_answer.c and
 * engine_exchange.c call and the state each client query carries.
 * docs/dnssec.md, "Validation in the engine". Not installed. */
#ifndef WARD_RESOLVER_VALIDATOR_INT_H
#define WARD_RESOLVER_VALIDATOR_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "resolver/dnssec/dnssec.h"
#include "resolver/engine.h"

#define VAL_MAX_FETCH 24      /* DNSKEY/DS sub-queries per client query */
#define VAL_TEXT_MAX 320      /* EXTRA-TEXT of a bogus answer */
#define VAL_ITEXT_MAX 160     /* EXTRA-TEXT of an insecure answer's EDE */
#define VAL_MAX_SET 64        /* records of one RRset looked at */
#define VAL_MAX_CHAIN_LABELS 128 /* labels walked from an anchor down */
#define VAL_AGGR_MAX 128      /* validated NSEC owners remembered (RFC 8198) */
#define VAL_AGGR_USE 16       /* of them tried for one synthesised answer */

struct query;

/* Per client query (inside struct query, zeroed with it). */
struct val_query {
	uint8_t status;            /* enum val_status of the whole answer */
	uint16_t ede;              /* bogus: RFC 8914 code */
	char text[VAL_TEXT_MAX];   /* bogus: names the zone, key tag, failure */
	uint16_t iede;             /* insecure because of an unsupported
	                            * algorithm (1), digest (2) or NSEC3
	                            * iterations (27): RFC 8914, RFC 9276 §3.2 */
	char itext[VAL_ITEXT_MAX]; /* its EXTRA-TEXT */
	dnssec_budget budget;      /* KeyTrap caps over the whole query */
	uint32_t tried[VAL_MAX_FETCH]; /* sub-queries sent: hash(name, type) */
	unsigned ntried;
	uint16_t fetch_ede[VAL_MAX_FETCH]; /* why sub-query i failed, 0: it did not */
};

/* Engine side: anchors (copied), the key cache. */
struct val_engine;

int val_engine_new(res_engine *e, const struct res_config *cfg);
void val_engine_free(res_engine *e);

/* Before an answer is built from the cache (depth 0): validate every
 * RRset the answer holds. true when a DNSKEY or DS sub-query was pushed
 * on q's stack (the engine resolves it and calls again); false when
 * q->val.status says what the answer is. Off (status VAL_UNCHECKED)
 * without dnssec; CD queries are validated too (only for the status). */
bool val_answer_prepare(res_engine *e, struct query *q, uint64_t now_s);
/* An RD=0 referral from the cache (engine_norec.c): validate the NS set
 * at cut when it is signed (the child's own set) and the cached address
 * sets of its names; as val_answer_prepare. The CNAME links before the
 * last name are validated too. An unsigned NS set (the parent's side of
 * the delegation, not signed by anyone) leaves the status unchecked. */
bool val_referral_prepare(res_engine *e, struct query *q, const dns_name *cut,
                          uint64_t now_s);
/* A CNAME to itself while validating (no CD): SERVFAIL, as Unbound's
 * validator cannot follow it (val_cname_loop1). */
bool val_answer_loop(const res_engine *e, const struct query *q);
/* The answer must be SERVFAIL (bogus, client without CD). */
bool val_answer_bogus(const res_engine *e, const struct query *q);
/* AD in the answer: all secure, client set DO or AD (RFC 6840 §5.7). */
bool val_answer_ad(const res_engine *e, const struct query *q);
/* An insecure answer (not CD) whose zone is unsigned for lack of a
 * supported algorithm, digest or NSEC3 iteration count carries that EDE
 * (RFC 8914 §4.2-4.3, RFC 9276 §3.2); call before the question. */
struct dns_mb;
void val_answer_edns(const res_engine *e, const struct query *q,
                     struct dns_mb *b);

/* A referral without DS for cut but with NSEC/NSEC3 records: kept as a
 * DS NODATA entry so the chain of trust need not ask again. */
void val_referral_nods(res_engine *e, size_t nrr, const dns_name *cut,
                       uint64_t now_s);

/* The NSEC/NSEC3 records (with RRSIGs) of an answer's authority section,
 * kept beside the answer for owner under class VAL_C_PROOF: a wildcard
 * expansion is proved with them (RFC 4035 §5.3.4). */
#define VAL_C_PROOF 0xFF02
/* DS NODATA seen in referrals and answers' authority sections, kept for
 * the chain of trust only (a client asking DS gets the parent's own
 * answer, with its SOA). */
#define VAL_C_NODS 0xFF03
/* Validated NSEC records and zone SOAs for aggressive use (RFC 8198). */
#define VAL_C_AGGR 0xFF04

/* Before asking upstream for (name, type) at depth 0: with
 * aggressive_nsec, a validated NSEC in the cache may prove NXDOMAIN or
 * NODATA; the negative entry is cached (secure) and true returned. */
bool val_synth_negative(res_engine *e, const struct query *q,
                        const dns_name *name, uint16_t type, uint64_t now_s);
void val_note_proof(res_engine *e, size_t nrr, const dns_name *owner,
                    uint64_t now_s);
/* DO answers: those proofs in the authority section, for each name of
 * the answer that has one (RFC 4035 §3.1.3.3). */
void val_add_proofs(res_engine *e, const struct query *q, struct dns_mb *b,
                    uint64_t now_s);

/* ---- between the validator's own files ---- */

enum vres { VR_SECURE = 0, VR_INSECURE, VR_BOGUS, VR_WAIT };

/* One validation pass over a query's answer. */
struct vctx {
	res_engine *e;
	struct query *q;
	uint64_t now_s;
	dnssec_env env;
	uint16_t store_class;      /* val_store: 0 is IN (VAL_C_NODS entries) */
	bool probe;                /* val_chain_to from the cache only: no
	                            * fetch, no bogus text (VR_WAIT: unknown) */
	uint16_t iede_here;        /* EDE of the insecure verdict being made
	                            * (val_insecure), stored with it */
};

struct val_engine {
	dns_rr *anchors;           /* DS / DNSKEY, rdata in store */
	size_t nanchors;
	uint8_t *store;
	dnssec_keycache *keycache;
	dns_name *nta;             /* negative trust anchors */
	size_t nnta;
	/* aggressive NSEC (val_aggr.c): owners of validated NSEC records
	 * kept in the cache under VAL_C_AGGR, and their zones (a ring) */
	dns_name aggr_owner[VAL_AGGR_MAX], aggr_zone[VAL_AGGR_MAX];
	unsigned aggr_n, aggr_next;
	unsigned nsec3_max_iter;
	uint32_t bogus_ttl;
};

/* val_engine.c */
const dns_name *val_anchor_for(const res_engine *e, const dns_name *t);
enum vres val_bogus(struct vctx *c, uint16_t ede, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Insecure for a reason with an EDE (unsupported algorithm or digest,
 * NSEC3 iterations): the first one found is reported with the answer. */
enum vres val_insecure(struct vctx *c, uint16_t ede, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A cached verdict (status + EDE) of name/type: VR_*, with the EDE of a
 * cached insecure verdict noted as by val_insecure. */
enum vres val_cached(struct vctx *c, const struct cache_hit *h,
                     const dns_name *name, uint16_t type);
enum vres val_fetch(struct vctx *c, const dns_name *name, uint16_t type);
void val_fetch_failed(struct query *q, const dns_name *name, uint16_t type,
                      uint16_t ede);
/* A cache hit's data records and its RRSIGs (views into the cache). */
size_t val_hit_rrs(const struct cache_hit *h, dns_rr *rrs, size_t cap,
                   dns_rr *sigs, size_t scap, size_t *nsig);
void val_store(struct vctx *c, const dns_name *owner, uint16_t type,
               enum cache_kind kind, enum vres r, uint16_t ede, uint32_t ttl);
const char *val_type_str(uint16_t type, char buf[16]);

/* val_chain.c: from the anchor above t down to t. SECURE: *z is the
 * deepest secure zone at or above t and keys[0..*nkeys) its DNSKEYs. */
enum vres val_chain_to(struct vctx *c, const dns_name *t, dns_name *z,
                       dns_rr *keys, size_t *nkeys);

/* val_aggr.c: keep a validated NSEC (with its RRSIGs among sigs) or a
 * zone's SOA for aggressive use. */
void val_aggr_note(struct vctx *c, const dns_name *zone, const dns_rr *rr,
                   const dns_rr *sigs, size_t ns, uint32_t ttl);

/* val_neg.c: the wildcard expansion of owner (RRSIG labels field
 * `labels`) proved by the NSEC/NSEC3 kept with it (VAL_C_PROOF). */
enum vres val_wildcard_prove(struct vctx *c, const dns_name *owner,
                             unsigned labels, const dns_name *z,
                             const dns_rr *keys, size_t nkeys);

/* val_neg.c: a negative entry (SOA, NSEC, NSEC3 and RRSIGs) for
 * (qname, qtype): every RRset verified with zone z's keys, then the
 * denial proved. ds_walk: a DS lookup of the chain of trust, where
 * SECURE means "not a zone cut" and INSECURE "unsigned delegation".
 * *nx_proved (may be NULL): the name does not exist (not an empty
 * non-terminal answered NXDOMAIN). */
enum vres val_neg_prove(struct vctx *c, const struct cache_hit *h,
                        const dns_name *qname, uint16_t qtype,
                        const dns_name *z, const dns_rr *keys, size_t nkeys,
                        bool ds_walk, bool *nx_proved);

#endif
