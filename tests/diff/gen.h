/* ward tests: a deterministic generator of random but valid DNS messages,
 * built with libldns (ldns_pkt + rdfs, converted with ldns_pkt2wire, which
 * compresses names). Shared by the ldns differential test (tests/diff/) and
 * the codec benchmark (bench/codec.c).
 *
 * Message number `idx` of a set depends only on (seed, idx): a failing
 * message can be rebuilt alone, and any prefix of a set is the same set. */
#ifndef WARD_DIFF_GEN_H
#define WARD_DIFF_GEN_H

#include <stddef.h>
#include <stdint.h>

#define GEN_SEED_DEFAULT 0x7761726464696666ULL /* "warddiff" */
#define GEN_MAX_RECORDS 20                     /* per message, all sections */

/* splitmix64: small, fast, good enough for test data. */
typedef struct gen_rng {
	uint64_t s;
} gen_rng;

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream);
uint64_t gen_rng_u64(gen_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t gen_rng_below(gen_rng *r, uint32_t n);
/* True with probability pct/100. */
int gen_rng_pct(gen_rng *r, unsigned pct);

/* The RR types the generator builds, in report order. The last entry, 0,
 * stands for "unknown types" (private-use numbers, RFC 3597 opaque data). */
extern const uint16_t gen_types[];
extern const size_t gen_ntypes;

typedef struct gen_stats {
	unsigned long msgs;
	unsigned long records;        /* answer + authority + additional */
	unsigned long questions;
	unsigned long with_edns;
	unsigned long escaped_names;  /* names with bytes that need escaping */
	unsigned long per_type[64];   /* index as in gen_types */
	size_t bytes;                 /* total wire size */
} gen_stats;

/* Build message `idx` of the set for `seed` and convert it to wire. *wire is
 * malloc'ed (free() it). st (may be NULL) accumulates what was generated.
 * Returns 0, or -1 when ldns refused something (a generator bug; *why says
 * what). */
int gen_message(uint64_t seed, uint64_t idx, uint8_t **wire, size_t *len,
                gen_stats *st, const char **why);

#endif
