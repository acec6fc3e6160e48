/* ward DNSSEC validator: named work limits and the per-query work budget.
 *
 * KeyTrap (CVE-2023-50387): colliding key tags and many RRSIGs make a
 * validator try every signature with every key, O(keys x sigs) public-key
 * operations per RRset. The NSEC3 variant (CVE-2023-50868): many NSEC3
 * records with high iteration counts make it hash without end. Every limit
 * below is no looser than Unbound's fix (release 1.19.1, commits 882903f2
 * and 92f2a1ca), whose values are quoted next to each. Exceeding one gives a
 * bogus verdict (DNSSEC_R_LIMIT, EDE 6), never a stall. */
#ifndef WARD_DNSSEC_LIMITS_H
#define WARD_DNSSEC_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

/* Public-key verifications spent on one RRset, all RRSIGs and keys
 * together. Unbound: MAX_VALIDATE_RRSIGS 8 (validator/val_sigcrypt.c). */
#define DNSSEC_MAX_VERIFY_PER_RRSET 8

/* RRSIGs over one RRset that get as far as a key lookup; the rest are
 * ignored. Unbound counts them within MAX_VALIDATE_RRSIGS 8 as well. */
#define DNSSEC_MAX_RRSIGS_PER_RRSET 8

/* DNSKEYs with the same key tag and algorithm tried for one RRSIG (a key
 * tag collision is legal but rare, RFC 4034 §5.1). Unbound has no separate
 * cap: its 8 per RRset bounds it; ours is tighter. */
#define DNSSEC_MAX_KEYS_PER_TAG 4

/* DS records whose DNSKEY matched by digest but failed to validate the
 * DNSKEY RRset before the DNSKEY RRset is declared bogus.
 * Unbound: MAX_DS_MATCH_FAILURES 4 (validator/val_utils.c). */
#define DNSSEC_MAX_DS_MATCH_FAILURES 4

/* DNSKEY digests computed against one DS RRset (each DS x each key with
 * its tag); bounds the hashing half of a DS-side KeyTrap. */
#define DNSSEC_MAX_DS_DIGESTS 16

/* Public-key verifications for one client query, over every RRset of the
 * chain of trust. Unbound: MAX_VALIDATE_AT_ONCE 8 per run and
 * MAX_VALIDATION_SUSPENDS 16 suspends (validator/validator.c), that is at
 * most 8 x (16 + 1) = 136 per query; ours is 128. */
#define DNSSEC_MAX_VERIFY_PER_QUERY 128

/* NSEC3 hash computations for one client query. Unbound:
 * MAX_NSEC3_CALCULATIONS 8 per run (validator/val_nsec3.c) with the same
 * 16 suspends, 136 per query; ours is 128. */
#define DNSSEC_MAX_NSEC3_HASH_PER_QUERY 128

/* NSEC3 iterations above this: the denial is not trusted, the answer is
 * insecure with EDE 27 (RFC 9276 §3.2). Unbound: val-nsec3-keysize-
 * iterations "1024 150 2048 150 4096 150", i.e. 150. Configurable as
 * nsec3-max-iterations=. */
#define DNSSEC_NSEC3_MAX_ITERATIONS_DEFAULT 150

/* Key sizes accepted (larger keys cost more per verification). RSA: RFC
 * 3110 §2 allows 512..4096 bit moduli; the public exponent is capped at 64
 * bits as OpenSSL caps it for large moduli (BIND caps it at 35). DSA: RFC
 * 2536 §2, T <= 8 (P of 512..1024 bits). */
#define DNSSEC_RSA_MIN_MODULUS_BITS 512
#define DNSSEC_RSA_MAX_MODULUS_BITS 4096
#define DNSSEC_RSA_MAX_EXPONENT_BITS 64
#define DNSSEC_DSA_MAX_T 8

/* Signature validity tolerance, as Unbound's val-sig-skew-min/max: a
 * signature just outside its window is accepted within 10% of the window's
 * length, clamped to [skew_min, skew_max]. ward is strict by default
 * (dnssec_env with zeros); these are the values to pass for Unbound's. */
#define DNSSEC_UNBOUND_SKEW_MIN 3600
#define DNSSEC_UNBOUND_SKEW_MAX 86400

/* Work done so far for one client query; the caller zeroes it when the
 * query starts (dnssec_budget_init) and hands the same one to every call
 * made for that query, so the per-query caps hold across RRsets. */
typedef struct dnssec_budget {
	uint32_t verifies;     /* public-key verifications */
	uint32_t nsec3_hashes; /* NSEC3 owner-name hashes (RFC 5155 §5) */
	bool exhausted;        /* a cap was hit: the query's answer is bogus */
} dnssec_budget;

static inline void dnssec_budget_init(dnssec_budget *b)
{
	b->verifies = 0;
	b->nsec3_hashes = 0;
	b->exhausted = false;
}

/* Take one public-key verification: false (and exhausted set) when the
 * query has used DNSSEC_MAX_VERIFY_PER_QUERY already. */
static inline bool dnssec_budget_take_verify(dnssec_budget *b)
{
	if (b->verifies >= DNSSEC_MAX_VERIFY_PER_QUERY) {
		b->exhausted = true;
		return false;
	}
	b->verifies++;
	return true;
}

/* Take one NSEC3 hash computation (for the NSEC/NSEC3 code). */
static inline bool dnssec_budget_take_nsec3(dnssec_budget *b)
{
	if (b->nsec3_hashes >= DNSSEC_MAX_NSEC3_HASH_PER_QUERY) {
		b->exhausted = true;
		return false;
	}
	b->nsec3_hashes++;
	return true;
}

#endif
