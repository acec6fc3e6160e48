/* ward resolver: which RRsets stood in the authority and additional
 * sections of the reply that answered (qname, qtype), so an answer can
 * carry them again (Unbound's minimal-responses: no; its message cache
 * keeps the same references). The RRsets themselves stay in the RRset
 * cache; a table entry only names them and expires with the answer. */
#ifndef WARD_RESOLVER_MSGREF_H
#define WARD_RESOLVER_MSGREF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/name.h"

#define MSGREF_SLOTS 256      /* answers remembered (oldest replaced) */
#define MSGREF_MAX_REFS 12    /* RRsets named per answer */

struct msgref {
	dns_name owner;
	uint16_t type;
	uint8_t section;          /* enum dns_section: AUTHORITY or ADDITIONAL */
};

struct msgref_entry {
	bool valid;
	dns_name qname;
	uint16_t qtype;
	uint64_t expire;          /* seconds */
	uint64_t stamp;           /* insertion order, for replacement */
	struct msgref refs[MSGREF_MAX_REFS];
	unsigned n;
};

typedef struct msgref_table {
	struct msgref_entry e[MSGREF_SLOTS];
	uint64_t stamp;
} msgref_table;

/* Remember refs for (qname, qtype) until expire (replaces an older one). */
void msgref_put(msgref_table *t, const dns_name *qname, uint16_t qtype,
                const struct msgref *refs, unsigned n, uint64_t expire);
/* The unexpired entry for (qname, qtype), or NULL. */
const struct msgref_entry *msgref_get(const msgref_table *t,
                                      const dns_name *qname, uint16_t qtype,
                                      uint64_t now_s);

#endif
