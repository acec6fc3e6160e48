/* ward: work limits of authenticated denial (NSEC / NSEC3).
 *
 * These constants will join resolver/dnssec/dnssec_limits.h (the validator's
 * one limits header, written alongside) when the two parts are wired
 * together; they live here until then so the two can be built apart. */
#ifndef WARD_DENIAL_LIMITS_H
#define WARD_DENIAL_LIMITS_H

/* NSEC3 iterations above this make a response insecure with EDE 27
 * "Unsupported NSEC3 Iterations Value" (RFC 9276 §3.2), without hashing.
 * Unbound's default; configurable (`nsec3-max-iterations=`) through
 * nsec3_ctx.max_iterations. */
#define DENIAL_NSEC3_MAX_ITERATIONS 150

/* NSEC3 hash computations allowed per nsec3_ctx budget (CVE-2023-50868).
 * Each computation is one name hashed with (iterations + 1) SHA-1 rounds.
 * Unbound 1.19.1 allows MAX_NSEC3_CALCULATIONS = 8 per validation step and
 * at most MAX_VALIDATION_SUSPENDS = 16 suspensions, 128 per query at most;
 * ours is 64 per budget (the caller shares one budget between all proofs
 * of one response). A proof needs at most (labels of qname below the zone
 * + 2) hashes, so 64 still proves names 62 labels below their zone (an
 * ip6.arpa name has 34 labels). Exceeding it: bogus, EDE 6. */
#define DENIAL_NSEC3_MAX_HASHES 64

/* NSEC / NSEC3 records a proof looks at; more are ignored (a response
 * carries 1-3 of them; the cap bounds the per-record scans). */
#define DENIAL_MAX_RECORDS 64

#endif
