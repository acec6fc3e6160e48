/* ward resolver: the authority and additional sections of the reply that
 * answered (qname, qtype), kept so an answer can carry them again
 * (Unbound's minimal-responses: no, which its message cache serves). The
 * records are copied here rather than looked up in the RRset cache: a
 * child's additional data must not replace the parent's glue the iterator
 * relies on (RFC 2181 §5.4.1). Entries expire with their shortest TTL. */
#ifndef WARD_RESOLVER_MSGREF_H
#define WARD_RESOLVER_MSGREF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"
#include "codec/rr.h"

#define MSGREF_SLOTS 256      /* answers remembered (oldest replaced) */
#define MSGREF_MAX_SETS 12    /* RRsets per answer */
#define MSGREF_MAX_RRS 32     /* records per answer */
#define MSGREF_DATA_MAX 1536  /* rdata octets per answer */

struct msgref_set {
	dns_name owner;
	uint16_t type;
	uint8_t section;          /* enum dns_section: AUTHORITY or ADDITIONAL */
};

struct msgref_rr {
	uint8_t set;              /* index into sets */
	uint32_t ttl;
	uint16_t rdlen;
	uint16_t off;             /* into data */
};

struct msgref_entry {
	bool valid;
	dns_name qname;
	uint16_t qtype;
	uint64_t stored, expire;  /* seconds */
	uint64_t stamp;           /* insertion order, for replacement */
	struct msgref_set sets[MSGREF_MAX_SETS];
	unsigned nsets;
	struct msgref_rr rrs[MSGREF_MAX_RRS];
	unsigned nrrs;
	uint8_t data[MSGREF_DATA_MAX];
	unsigned dlen;
};

typedef struct msgref_table {
	struct msgref_entry e[MSGREF_SLOTS];
	uint64_t stamp;
} msgref_table;

/* Start the entry for (qname, qtype) (replacing an older one); fill it
 * with msgref_add, then msgref_commit. */
struct msgref_entry *msgref_begin(msgref_table *t, const dns_name *qname,
                                  uint16_t qtype, uint64_t now_s);
/* Add an RRset (all of rrs[0..n), same owner and type). False when it
 * does not fit (nothing added). */
bool msgref_add(struct msgref_entry *m, uint8_t section, const dns_rr *rrs,
                size_t n);
/* Make the entry visible until the shortest TTL of its records (at least
 * min_ttl when it has none). */
void msgref_commit(msgref_table *t, struct msgref_entry *m, uint32_t min_ttl);
/* The unexpired entry for (qname, qtype), or NULL. */
const struct msgref_entry *msgref_get(const msgref_table *t,
                                      const dns_name *qname, uint16_t qtype,
                                      uint64_t now_s);
/* Record i of set s of an entry as a dns_rr with its TTL counted down to
 * now_s; false past the last record of the set. *k is the cursor (start 0). */
bool msgref_next_rr(const struct msgref_entry *m, unsigned s, unsigned *k,
                    uint64_t now_s, dns_rr *rr);

#endif
