/* ward resolver: blocklists (docs/blocklists.md) — names the resolver
 * refuses to resolve, and allow-list names that override them.
 *
 * A blocklist_set holds the entries of one list (one file or URL): a
 * compact open-addressing hash set keyed by the lowercased wire name, each
 * name with flag bits saying how it matches (the name only, the name and
 * every name below it, or only the names below it) and whether it blocks
 * or allows. Names live back to back in one byte pool; the table is an
 * array of 32-bit pool offsets plus one tag byte per slot, so a lookup
 * that misses rarely touches the pool, and an entry costs its wire name
 * plus about 8 bytes.
 *
 * A blocklist is what the engine consults: a fixed number of slots, one
 * per configured list, each holding a set or NULL. The caller swaps a
 * slot's set when a list is read again (blocklist_swap); the engine sees
 * the old set or the new one, never a half-built one (sets are built
 * completely before the swap, and the engine runs on the caller's
 * thread). A lookup costs one hash probe per set per label of the name,
 * however many entries there are.
 *
 * Sans-I/O: the hash seed comes from the caller (lists are fetched from
 * the network, so their names must not be able to pick collisions). */
#ifndef WARD_RESOLVER_BLOCKLIST_H
#define WARD_RESOLVER_BLOCKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"

typedef struct blocklist_set blocklist_set;
typedef struct blocklist blocklist;

/* Entry flags (bits; one name may carry several). */
#define BL_BLOCK_EXACT 0x01u  /* the name only (hosts format) */
#define BL_BLOCK_SUB   0x02u  /* the name and below (domain lists, ||d^) */
#define BL_BLOCK_BELOW 0x04u  /* only below (*.d) */
#define BL_ALLOW_EXACT 0x10u
#define BL_ALLOW_SUB   0x20u
#define BL_ALLOW_BELOW 0x40u
#define BL_BLOCK_ANY (BL_BLOCK_EXACT | BL_BLOCK_SUB | BL_BLOCK_BELOW)
#define BL_ALLOW_ANY (BL_ALLOW_EXACT | BL_ALLOW_SUB | BL_ALLOW_BELOW)

enum bl_verdict {
	BL_NONE = 0,     /* no entry matches */
	BL_BLOCKED,      /* a block entry matches and no allow entry */
	BL_ALLOWED,      /* an allow entry matches (it wins over blocks) */
};

/* An empty set (NULL on ENOMEM). seed keys the hash. */
blocklist_set *blocklist_set_new(uint64_t seed);
void blocklist_set_free(blocklist_set *s);

/* Add flags to a name (uncompressed wire, absolute; any case). Adding a
 * name twice ORs the flags. WARD_ELIMIT past BLOCKLIST_MAX_ENTRIES or
 * BLOCKLIST_MAX_POOL bytes, WARD_EINVAL for a bad name, WARD_ENOMEM. */
int blocklist_set_add(blocklist_set *s, const dns_name *name, unsigned flags);
/* The flags of exactly this name (0 when it is not in the set). */
unsigned blocklist_set_flags(const blocklist_set *s, const dns_name *name);
/* Release the spare room left by growing (call once the set is built). */
void blocklist_set_compact(blocklist_set *s);
/* Distinct names / bytes held (pool and table). */
size_t blocklist_set_count(const blocklist_set *s);
size_t blocklist_set_bytes(const blocklist_set *s);

/* A blocklist with nslots empty slots (NULL on ENOMEM). Freeing it frees
 * the sets in it. */
blocklist *blocklist_new(size_t nslots);
void blocklist_free(blocklist *b);
size_t blocklist_slots(const blocklist *b);
/* Put s into slot i (s may be NULL: empty); returns the set it held, for
 * the caller to free. */
blocklist_set *blocklist_swap(blocklist *b, size_t i, blocklist_set *s);
const blocklist_set *blocklist_slot(const blocklist *b, size_t i);
/* Names in all slots (a name in two lists counts twice). */
size_t blocklist_count(const blocklist *b);

/* What the lists say about qname: every suffix of it is looked up, from
 * the name itself up to its top-level label; at the name itself EXACT and
 * SUB entries match, at a parent SUB and BELOW entries. Any allow match
 * gives BL_ALLOWED. b may be NULL (BL_NONE). */
enum bl_verdict blocklist_check(const blocklist *b, const dns_name *qname);

#endif
