/* ward DNSSEC validator, the cryptographic half: key tags, DNSKEY, RRSIG
 * and DS records, DS digests, RRSIG verification over an RRset, and the
 * DNSKEY RRset checked against a DS RRset (RFC 4033-4035, 6840).
 *
 * Sans-I/O and pure: the time is data (dnssec_env.now, unix seconds), work
 * is counted in a caller-owned budget (dnssec_limits.h), nothing is cached
 * between calls. The chain-of-trust state machine drives these functions:
 *   DS set (secure, from the parent) + DNSKEY set + its RRSIGs
 *       -> dnssec_dnskey_verify_ds()  -> the zone's keys are secure or not
 *   any RRset + its RRSIGs + the zone's secure DNSKEY set
 *       -> dnssec_rrset_verify()      -> secure / bogus with a reason
 * Records are codec dns_rr views with uncompressed rdata (codec/rr.h).
 *
 * A verdict separates the status, the reason (which maps onto an RFC 8914
 * EDE code) and a short text naming the key tag and the failure
 * (STYLE.md item 5). Errors in the arguments are never aborts. */
#ifndef WARD_DNSSEC_H
#define WARD_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"
#include "dnssec_limits.h"

/* ---- numbers (IANA registries; RFC 8624 §3 says which to validate) ---- */

enum dnssec_alg {
	DNSSEC_ALG_RSAMD5 = 1,            /* MUST NOT validate (RFC 8624) */
	DNSSEC_ALG_DSA = 3,               /* RFC 2536 */
	DNSSEC_ALG_RSASHA1 = 5,           /* RFC 3110 */
	DNSSEC_ALG_DSA_NSEC3_SHA1 = 6,    /* RFC 5155 */
	DNSSEC_ALG_RSASHA1_NSEC3_SHA1 = 7,
	DNSSEC_ALG_RSASHA256 = 8,         /* RFC 5702 */
	DNSSEC_ALG_RSASHA512 = 10,
	DNSSEC_ALG_ECCGOST = 12,          /* not supported */
	DNSSEC_ALG_ECDSAP256SHA256 = 13,  /* RFC 6605 */
	DNSSEC_ALG_ECDSAP384SHA384 = 14,
	DNSSEC_ALG_ED25519 = 15,          /* RFC 8080 */
	DNSSEC_ALG_ED448 = 16,
};

enum dnssec_digest {
	DNSSEC_DIGEST_SHA1 = 1,           /* RFC 4034 §5.1.4 */
	DNSSEC_DIGEST_SHA256 = 2,         /* RFC 4509 */
	DNSSEC_DIGEST_GOST = 3,           /* not supported */
	DNSSEC_DIGEST_SHA384 = 4,         /* RFC 6605 */
};

#define DNSKEY_F_ZONE 0x0100   /* bit 7: zone key (RFC 4034 §2.1.1) */
#define DNSKEY_F_REVOKE 0x0080 /* bit 8: revoked (RFC 5011 §3) */
#define DNSKEY_F_SEP 0x0001    /* bit 15: secure entry point */
#define DNSKEY_PROTOCOL 3      /* the only valid value (RFC 4034 §2.1.2) */

#define DNSSEC_DIGEST_MAX 48   /* SHA-384 */
#define DNSSEC_TEXT_MAX 256    /* verdict text, NUL included */

/* Signature algorithms and DS digest types this build validates. */
bool dnssec_alg_supported(uint8_t alg);
bool dnssec_digest_supported(uint8_t digest_type);
/* Digest length of a supported type, 0 otherwise. */
size_t dnssec_digest_len(uint8_t digest_type);
/* "RSASHA256", "ED25519", ... or NULL for numbers without a mnemonic. */
const char *dnssec_alg_name(uint8_t alg);

/* ---- records ---- */

/* Key tag of DNSKEY rdata (RFC 4034 Appendix B; algorithm 1 uses the
 * modulus bits, B.1). 0 for rdata shorter than 4 octets. */
uint16_t dnssec_key_tag(const uint8_t *rdata, size_t len);

typedef struct dnssec_dnskey {
	uint16_t flags;
	uint8_t protocol;
	uint8_t algorithm;
	uint16_t tag;              /* dnssec_key_tag of the whole rdata */
	const uint8_t *key;        /* public key (points into the rdata) */
	uint16_t key_len;
} dnssec_dnskey;

/* Parse DNSKEY (or CDNSKEY) rdata: 0 or WARD_ERDATA (< 4 octets). The
 * protocol and flags are reported, not judged: see dnssec_dnskey_usable. */
int dnssec_dnskey_parse(const uint8_t *rdata, size_t len, dnssec_dnskey *out);
/* May this key verify RRSIGs: protocol 3, zone key bit set, not revoked
 * (RFC 4034 §2.1.1-2.1.2, RFC 5011 §2.1). */
bool dnssec_dnskey_usable(const dnssec_dnskey *k);

typedef struct dnssec_rrsig {
	uint16_t type_covered;
	uint8_t algorithm;
	uint8_t labels;
	uint32_t orig_ttl;
	uint32_t expiration;       /* serial-number time (RFC 4034 §3.1.5) */
	uint32_t inception;
	uint16_t key_tag;
	dns_name signer;           /* case as received */
	const uint8_t *sig;        /* points into the rdata */
	uint16_t sig_len;
	const uint8_t *rdata;      /* the whole rdata */
	uint16_t prefix_len;       /* octets before the signature */
} dnssec_rrsig;

/* Parse RRSIG rdata (uncompressed): 0, WARD_ERDATA, or a name error. */
int dnssec_rrsig_parse(const uint8_t *rdata, size_t len, dnssec_rrsig *out);

typedef struct dnssec_ds {
	uint16_t key_tag;
	uint8_t algorithm;
	uint8_t digest_type;
	const uint8_t *digest;     /* points into the rdata */
	uint16_t digest_len;
} dnssec_ds;

/* Parse DS (or CDS) rdata: 0 or WARD_ERDATA (< 4 octets). */
int dnssec_ds_parse(const uint8_t *rdata, size_t len, dnssec_ds *out);

/* Digest of a DNSKEY for a DS (RFC 4034 §5.1.4: digest(owner in canonical
 * form | DNSKEY rdata)): 0 with *outlen, WARD_ENOTSUP (digest type not
 * supported), WARD_ESPACE (cap too small), WARD_ENOMEM (OpenSSL failed). */
int dnssec_ds_digest(const dns_name *owner, const uint8_t *dnskey,
                     size_t dnskey_len, uint8_t digest_type, uint8_t *out,
                     size_t cap, size_t *outlen);

enum dnssec_ds_match {
	DNSSEC_DS_MATCH = 0,       /* tag, algorithm and digest agree */
	DNSSEC_DS_MISMATCH,        /* tag, algorithm, length or digest differ */
	DNSSEC_DS_UNSUPPORTED,     /* digest type not supported */
};

/* Does the DS vouch for this DNSKEY (owner is the DNSKEY's owner)? */
enum dnssec_ds_match dnssec_ds_match(const dns_name *owner,
                                     const dnssec_ds *ds,
                                     const uint8_t *dnskey, size_t len);

/* ---- verdicts ---- */

enum dnssec_status {
	DNSSEC_SECURE = 0,
	DNSSEC_INSECURE,           /* provably unsigned, or only unsupported
	                            * algorithms/digests (RFC 4035 §5.2) */
	DNSSEC_BOGUS,
};

/* Why a verdict is what it is; each maps onto one EDE code (RFC 8914). */
enum dnssec_reason {
	DNSSEC_R_OK = 0,           /* secure (no EDE) */
	DNSSEC_R_NO_RRSIG,         /* no RRSIG covers the RRset: EDE 10 */
	DNSSEC_R_NO_DNSKEY,        /* no DNSKEY with the RRSIG's tag: EDE 9 */
	DNSSEC_R_NO_ZONE_KEY,      /* matching key without zone key bit: EDE 11 */
	DNSSEC_R_KEY_REVOKED,      /* matching key has REVOKE set: EDE 6 */
	DNSSEC_R_BAD_PROTOCOL,     /* matching key's protocol is not 3: EDE 6 */
	DNSSEC_R_SIG_EXPIRED,      /* now after expiration: EDE 7 */
	DNSSEC_R_SIG_NOT_YET_VALID,/* now before inception: EDE 8 */
	DNSSEC_R_SIG_WINDOW,       /* inception after expiration: EDE 6 */
	DNSSEC_R_SIG_BAD,          /* cryptographic check failed: EDE 6 */
	DNSSEC_R_BAD_KEY,          /* key material malformed: EDE 6 */
	DNSSEC_R_BAD_SIG_FORMAT,   /* signature field malformed (length): EDE 6 */
	DNSSEC_R_SIGNER,           /* signer is not the zone / an ancestor: 6 */
	DNSSEC_R_LABELS,           /* labels field > owner's labels: EDE 6 */
	DNSSEC_R_MALFORMED,        /* RRSIG/DNSKEY/DS rdata unparsable: EDE 6 */
	DNSSEC_R_UNSUPPORTED_ALG,  /* algorithm not supported: EDE 1 */
	DNSSEC_R_UNSUPPORTED_DIGEST, /* DS digest type not supported: EDE 2 */
	DNSSEC_R_DS_NO_MATCH,      /* no DNSKEY matches a usable DS: EDE 9 */
	DNSSEC_R_LIMIT,            /* a work limit was hit (KeyTrap): EDE 6 */
	DNSSEC_R_INTERNAL,         /* OpenSSL failed (memory): EDE 0 */
};

/* RFC 8914 info-codes used here. */
#define DNSSEC_EDE_OTHER 0
#define DNSSEC_EDE_UNSUPPORTED_DNSKEY_ALG 1
#define DNSSEC_EDE_UNSUPPORTED_DS_DIGEST 2
#define DNSSEC_EDE_BOGUS 6
#define DNSSEC_EDE_SIG_EXPIRED 7
#define DNSSEC_EDE_SIG_NOT_YET_VALID 8
#define DNSSEC_EDE_DNSKEY_MISSING 9
#define DNSSEC_EDE_RRSIGS_MISSING 10
#define DNSSEC_EDE_NO_ZONE_KEY_BIT 11

/* The EDE info-code for a reason (DNSSEC_R_OK: 0, meaningless). */
uint16_t dnssec_reason_ede(enum dnssec_reason r);
/* "signature expired", ... (never NULL). */
const char *dnssec_reason_str(enum dnssec_reason r);
const char *dnssec_status_str(enum dnssec_status s);

typedef struct dnssec_verdict {
	enum dnssec_status status;
	enum dnssec_reason reason;
	uint16_t ede;              /* dnssec_reason_ede(reason) */
	bool has_key_tag;          /* key_tag/algorithm name the key concerned */
	uint16_t key_tag;
	uint8_t algorithm;
	uint32_t ttl;              /* secure: TTL for the RRset and its RRSIG,
	                            * min(RR TTLs, RRSIG TTL, original TTL,
	                            * expiration - now), RFC 4035 §5.3.3 */
	bool wildcard;             /* secure from a wildcard expansion (labels <
	                            * owner labels, RFC 4035 §5.3.4): the caller
	                            * must prove no closer match existed */
	dns_name source;           /* that wildcard ("*.example."), if wildcard */
	size_t sig_index;          /* secure: index of the RRSIG in sigs[] */
	char text[DNSSEC_TEXT_MAX];/* "example.com. A: key tag 12345 alg 8:
	                            * signature expired (20240101000000)" */
} dnssec_verdict;

/* Public keys built for OpenSSL, kept between verifications: building an
 * RSA key costs about as much as verifying with it. Direct-mapped, keyed
 * by algorithm and key octets; owned by the caller (one per engine thread:
 * not locked), bounded by its slot count. */
typedef struct dnssec_keycache dnssec_keycache;
#define DNSSEC_KEYCACHE_MAX_SLOTS 65536

/* NULL when slots is 0 or above DNSSEC_KEYCACHE_MAX_SLOTS, or no memory. */
dnssec_keycache *dnssec_keycache_new(size_t slots);
void dnssec_keycache_free(dnssec_keycache *c);
/* Lookups that found / did not find their key (c may be NULL: 0, 0). */
void dnssec_keycache_stats(const dnssec_keycache *c, uint64_t *hits,
                           uint64_t *misses);

/* What every verification needs from its caller. */
typedef struct dnssec_env {
	int64_t now;               /* unix seconds, the validation time */
	uint32_t skew_min;         /* tolerance outside the validity window */
	uint32_t skew_max;         /* (both 0: strict; see DNSSEC_UNBOUND_SKEW) */
	bool ignore_time;          /* dnsmasq dnssec-no-timecheck */
	dnssec_budget *budget;     /* per client query; NULL: per-RRset caps only */
	dnssec_keycache *keycache; /* may be NULL: keys built for each use */
	const uint8_t *need_algs;  /* harden-algo-downgrade: when not empty, an */
	size_t n_need_algs;        /* RRset is secure only with a valid RRSIG of
	                            * every supported algorithm listed (Unbound's
	                            * algorithm needs; RFC 6840 §5.11 otherwise:
	                            * any one suffices) */
} dnssec_env;

/* ---- signatures ---- */

/* Is `now` inside the RRSIG's validity window, RFC 1982 serial arithmetic
 * on 32-bit times (RFC 4034 §3.1.5), with env's skew? DNSSEC_R_OK,
 * DNSSEC_R_SIG_EXPIRED, DNSSEC_R_SIG_NOT_YET_VALID or DNSSEC_R_SIG_WINDOW. */
enum dnssec_reason dnssec_rrsig_check_time(const dnssec_rrsig *sig,
                                           const dnssec_env *env);

/* The data an RRSIG signs (RFC 4034 §3.1.8.1): the RRSIG rdata without the
 * signature (signer lowercased), then the RRset's records in canonical form
 * and order (§6.2, §6.3, duplicates once) with the original TTL, the owner
 * reduced to "*." + the rightmost `labels` labels when the RRSIG's labels
 * field is smaller (RFC 4035 §5.3.2). All rrs have the same owner, type and
 * class. Writes out[0..cap) and sets *len to the length needed; returns 0,
 * WARD_ESPACE (cap too small, *len says how much), WARD_EINVAL (n == 0, or
 * labels larger than the owner's), WARD_ENOMEM. */
int dnssec_signed_data(const dns_rr *rrs, size_t n, const dnssec_rrsig *sig,
                       uint8_t *out, size_t cap, size_t *len);

/* The raw public-key operation: does sig verify over data with this DNSKEY
 * public key field? DNSSEC_R_OK, DNSSEC_R_SIG_BAD, DNSSEC_R_BAD_KEY,
 * DNSSEC_R_BAD_SIG_FORMAT, DNSSEC_R_UNSUPPORTED_ALG or DNSSEC_R_INTERNAL. */
enum dnssec_reason dnssec_verify_raw(uint8_t alg, const uint8_t *key,
                                     size_t key_len, const uint8_t *sig,
                                     size_t sig_len, const uint8_t *data,
                                     size_t data_len);

/* The same with keys kept in cache (may be NULL). */
enum dnssec_reason dnssec_verify_cached(dnssec_keycache *cache, uint8_t alg,
                                        const uint8_t *key, size_t key_len,
                                        const uint8_t *sig, size_t sig_len,
                                        const uint8_t *data, size_t data_len);

/* One RRSIG, one DNSKEY, one RRset: every check of RFC 4035 §5.3.1 (owner,
 * class and type covered, signer is an ancestor of the owner and the
 * DNSKEY's owner, labels, key tag and algorithm, zone key bit, not revoked
 * (unless the RRset is the DNSKEY RRset holding that key, RFC 5011 §2.1),
 * validity window) then the signature itself. Takes one verification from
 * env->budget (DNSSEC_R_LIMIT when spent). Fills v (status SECURE or
 * BOGUS) and returns v->reason. env->need_algs is not used here. */
enum dnssec_reason dnssec_rrsig_verify(const dns_rr *rrs, size_t n,
                                       const dns_rr *rrsig,
                                       const dns_rr *dnskey,
                                       const dnssec_env *env,
                                       dnssec_verdict *v);

/* ---- RRsets and key sets ---- */

/* Verify an RRset (n records, same owner/type/class) with the RRSIGs among
 * sigs[] that cover it (others are ignored) against a DNSKEY set (the
 * zone's keys, already trusted). Tries RRSIGs in order and, for each, the
 * keys with its tag and algorithm, within DNSSEC_MAX_RRSIGS_PER_RRSET,
 * DNSSEC_MAX_KEYS_PER_TAG, DNSSEC_MAX_VERIFY_PER_RRSET and env->budget.
 * SECURE as soon as one verifies, or with env->need_algs once one per
 * listed algorithm does (v->ttl, v->wildcard, v->sig_index set);
 * otherwise BOGUS with the reason of the RRSIG that got furthest (no RRSIG:
 * DNSSEC_R_NO_RRSIG; only unsupported algorithms:
 * DNSSEC_R_UNSUPPORTED_ALG). Returns v->status. */
enum dnssec_status dnssec_rrset_verify(const dns_rr *rrs, size_t n,
                                       const dns_rr *sigs, size_t nsigs,
                                       const dns_rr *keys, size_t nkeys,
                                       const dnssec_env *env,
                                       dnssec_verdict *v);

/* Verify a DNSKEY RRset against the DS RRset for its owner (RFC 4035 §5.2):
 * SECURE when a DNSKEY matched by a DS (supported algorithm and digest,
 * zone key bit, not revoked) signs the DNSKEY RRset. Only the strongest
 * supported digest type present is used (RFC 4509 §3). INSECURE when no DS
 * has both a supported algorithm and digest (RFC 6840 §5.11; reason
 * UNSUPPORTED_ALG or UNSUPPORTED_DIGEST). Otherwise BOGUS: no key matches
 * (DNSSEC_R_DS_NO_MATCH), the matched keys' signatures fail (their
 * reason), or DNSSEC_MAX_DS_MATCH_FAILURES / DNSSEC_MAX_DS_DIGESTS were
 * reached (DNSSEC_R_LIMIT). Returns v->status. */
enum dnssec_status dnssec_dnskey_verify_ds(const dns_rr *keys, size_t nkeys,
                                           const dns_rr *sigs, size_t nsigs,
                                           const dns_rr *ds, size_t nds,
                                           const dnssec_env *env,
                                           dnssec_verdict *v);

#endif
