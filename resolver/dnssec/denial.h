/* ward: authenticated denial of existence — NSEC (RFC 4034 §4, RFC 4035
 * §5.4) and NSEC3 (RFC 5155 §8), sans-I/O.
 *
 * Every function takes the question (qname, qtype), the zone the records
 * belong to (the signer name of their RRSIGs) and the NSEC or NSEC3 records
 * of the response, and fills a denial_result: a verdict, a reason, the EDE
 * code (RFC 8914) to send with a failure and a short text naming what is
 * missing ("no NSEC covers *.example."). The return value is the verdict.
 *
 * The caller's part (these functions do no signature checking):
 *  - pass only NSEC/NSEC3 RRsets whose RRSIGs validated with a key of
 *    `zone` (signer name == zone); records of other types, other owners
 *    outside the zone, malformed rdata and (NSEC3) unknown hash algorithms
 *    or flags are ignored, as RFC 5155 §8.1-8.2 asks, and so are NSECs
 *    whose next name is outside the zone;
 *  - leave out NSEC/NSEC3 records whose RRSIG labels field is lower than
 *    their owner's label count: a record synthesised from a wildcard
 *    proves nothing (RFC 4035 §5.3.4; Unbound val_nx_failwc);
 *  - for a wildcard answer, the RRSIG labels field of the answer RRset;
 *  - pick the proof from the response: NXDOMAIN -> *_prove_nxdomain,
 *    NOERROR without answer -> *_prove_nodata, a positive answer whose
 *    RRSIG labels < labels(qname) -> *_prove_wildcard, a referral without
 *    DS -> *_prove_insecure_delegation (qname = the delegation name).
 *
 * Verdicts: DENIAL_SECURE (the proof holds), DENIAL_INSECURE (an opt-out
 * NSEC3 covers the name, or NSEC3 iterations exceed the configured
 * maximum: the answer is valid but not secure, no AD), DENIAL_BOGUS (the
 * records do not prove it: SERVFAIL with out->ede). */
#ifndef WARD_DENIAL_H
#define WARD_DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"

enum denial_verdict {
	DENIAL_SECURE = 0,
	DENIAL_INSECURE,
	DENIAL_BOGUS,
};

/* Why: the detail behind the verdict (one per rule). */
enum denial_reason {
	DENIAL_R_OK = 0,            /* secure: proof holds */
	DENIAL_R_OPTOUT,            /* insecure: opt-out NSEC3 covers the name */
	DENIAL_R_ITERATIONS,        /* insecure: NSEC3 iterations above limit */
	DENIAL_R_NO_RECORDS,        /* no usable NSEC/NSEC3 record at all */
	DENIAL_R_NOT_COVERED,       /* nothing covers / matches qname */
	DENIAL_R_WILDCARD_NOT_DENIED, /* the wildcard at the closest encloser may exist */
	DENIAL_R_NAME_EXISTS,       /* NXDOMAIN claimed but qname (or an ENT) exists */
	DENIAL_R_TYPE_EXISTS,       /* the bitmap has qtype */
	DENIAL_R_CNAME_EXISTS,      /* the bitmap has CNAME: should have been answered */
	DENIAL_R_DELEGATION,        /* NS without SOA at qname: a referral was due */
	DENIAL_R_CHILD_SIDE,        /* DS question answered by the child apex (SOA) */
	DENIAL_R_ANCESTOR_DELEGATION, /* record from above a zone cut or DNAME */
	DENIAL_R_NO_CLOSEST_ENCLOSER, /* NSEC3: no ancestor of qname matched */
	DENIAL_R_NEXT_CLOSER_NOT_COVERED, /* NSEC3: next closer name not covered */
	DENIAL_R_NOT_DELEGATION,    /* insecure delegation: no NS bit */
	DENIAL_R_DS_EXISTS,         /* insecure delegation: DS bit set */
	DENIAL_R_PARAM_MISMATCH,    /* NSEC3 records with differing parameters */
	DENIAL_R_HASH_LIMIT,        /* NSEC3 hash budget exhausted */
	DENIAL_R_BAD_INPUT,         /* qname outside the zone, labels > qname's */
};

/* EDE codes used here (RFC 8914 §4; 27 from RFC 9276). */
#define DENIAL_EDE_NONE 0
#define DENIAL_EDE_BOGUS 6
#define DENIAL_EDE_NSEC_MISSING 12
#define DENIAL_EDE_NSEC3_ITERATIONS 27

#define DENIAL_WHY_MAX 512

typedef struct denial_result {
	enum denial_verdict verdict;
	enum denial_reason reason;
	uint16_t ede;                 /* 0 when secure */
	bool have_encloser;           /* closest encloser found (NSEC3, NSEC) */
	dns_name closest_encloser;
	char why[DENIAL_WHY_MAX];     /* English, names sanitised; "" if secure */
} denial_result;

/* The question a proof is about. zone is the signer name of the records'
 * RRSIGs; qname must be at or below it. */
typedef struct denial_query {
	const dns_name *qname;
	uint16_t qtype;
	const dns_name *zone;
} denial_query;

/* Short names for logs and tests: "secure", "insecure", "bogus"; reasons
 * as "optout", "not-covered", ... */
const char *denial_verdict_str(enum denial_verdict v);
const char *denial_reason_str(enum denial_reason r);

/* True when type is in an NSEC/NSEC3 type bitmap (RFC 4034 §4.1.2);
 * malformed bitmaps answer false. */
bool denial_bitmap_has(const uint8_t *bitmap, size_t len, uint16_t type);

/* ---- NSEC (RFC 4035 §5.4, RFC 4034 §4) ---------------------------------- */

/* True when the NSEC record `nsec` covers `name` in canonical order
 * (owner < name < next, or past the owner in the last NSEC of the zone,
 * whose next is the apex). A record that is not a well-formed NSEC covers
 * nothing. */
bool nsec_covers(const dns_rr *nsec, const dns_name *name);

/* NXDOMAIN: an NSEC covers qname (qname is not an empty non-terminal) and
 * an NSEC covers the wildcard at the closest encloser. */
enum denial_verdict nsec_prove_nxdomain(const denial_query *q,
                                        const dns_rr *rrs, size_t n,
                                        denial_result *out);

/* NODATA: an NSEC at qname without qtype and CNAME (for DS: no DS, and
 * not the child apex unless qname is the root; otherwise not a
 * delegation), or qname is an empty non-terminal (an NSEC covers qname and
 * its next name is below qname, RFC 4035 §3.1.3.2), or wildcard NODATA
 * (qname covered, *.closest-encloser matched without qtype and CNAME). */
enum denial_verdict nsec_prove_nodata(const denial_query *q,
                                      const dns_rr *rrs, size_t n,
                                      denial_result *out);

/* Wildcard answer (RFC 4035 §5.3.4): the answer's RRSIG has `rrsig_labels`
 * labels, fewer than qname's; an NSEC must show qname does not exist and
 * that the closest encloser is the wildcard's parent (no closer match). */
enum denial_verdict nsec_prove_wildcard(const denial_query *q,
                                        unsigned rrsig_labels,
                                        const dns_rr *rrs, size_t n,
                                        denial_result *out);

/* Referral without DS (RFC 4035 §5.2, RFC 6840 §4.4): the NSEC at the
 * delegation qname has NS and neither DS nor SOA. Secure = provably
 * unsigned delegation. */
enum denial_verdict nsec_prove_insecure_delegation(const denial_query *q,
                                                   const dns_rr *rrs,
                                                   size_t n,
                                                   denial_result *out);

/* ---- NSEC3 (RFC 5155 §8) ------------------------------------------------ */

#define NSEC3_HASH_SHA1 1
#define NSEC3_SHA1_LEN 20
#define NSEC3_FLAG_OPTOUT 0x01

/* Limits and the hash budget. Initialise with nsec3_ctx_init(); share one
 * ctx between the proofs of one response so the budget is per response.
 * `hashes` counts computations so far. */
typedef struct nsec3_ctx {
	unsigned max_iterations;  /* DENIAL_NSEC3_MAX_ITERATIONS by default */
	unsigned max_hashes;      /* DENIAL_NSEC3_MAX_HASHES by default */
	unsigned hashes;          /* used so far */
} nsec3_ctx;

void nsec3_ctx_init(nsec3_ctx *c);

/* RFC 5155 §5: IH(salt, name, iterations) with SHA-1 over the lowercased
 * wire name. out gets NSEC3_SHA1_LEN octets. Returns 0, WARD_ENOTSUP for
 * an algorithm other than 1, WARD_ENOMEM if OpenSSL fails. No budget: the
 * proofs count their calls. */
int nsec3_hash(uint8_t alg, const uint8_t *salt, size_t saltlen,
               uint16_t iterations, const dns_name *name,
               uint8_t out[NSEC3_SHA1_LEN]);

/* NXDOMAIN (§8.4): closest encloser proof for qname (an ancestor matched,
 * the next closer covered) and the wildcard at it covered. An opt-out
 * NSEC3 covering the next closer makes it insecure (the name may be an
 * unsigned delegation), as Unbound does. */
enum denial_verdict nsec3_prove_nxdomain(const denial_query *q,
                                         const dns_rr *rrs, size_t n,
                                         nsec3_ctx *ctx, denial_result *out);

/* NODATA (§8.5-8.7): an NSEC3 matching qname without qtype and CNAME
 * (for DS: without DS and not the child apex; for other types not a
 * delegation); else wildcard NODATA (closest encloser proof and *.ce
 * matched without qtype and CNAME); else, for DS only, an opt-out NSEC3
 * covering the next closer (§8.6) -> insecure. */
enum denial_verdict nsec3_prove_nodata(const denial_query *q,
                                       const dns_rr *rrs, size_t n,
                                       nsec3_ctx *ctx, denial_result *out);

/* Wildcard answer (§8.8): the closest encloser is qname's rightmost
 * rrsig_labels labels; an NSEC3 must cover the next closer name. */
enum denial_verdict nsec3_prove_wildcard(const denial_query *q,
                                         unsigned rrsig_labels,
                                         const dns_rr *rrs, size_t n,
                                         nsec3_ctx *ctx, denial_result *out);

/* Referral without DS (§8.9, RFC 6840 §4.4): an NSEC3 matching the
 * delegation with NS and neither DS nor SOA (secure: provably unsigned),
 * or a closest encloser proof whose next closer is covered by an opt-out
 * NSEC3 (insecure, opt-out). */
enum denial_verdict nsec3_prove_insecure_delegation(const denial_query *q,
                                                    const dns_rr *rrs,
                                                    size_t n, nsec3_ctx *ctx,
                                                    denial_result *out);

#endif
