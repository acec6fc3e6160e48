/* ward resolver: section references of answered questions (msgref.h). */
#include <string.h>

#include "resolver/msgref.h"

static unsigned slot_of(const dns_name *n, uint16_t type)
{
	uint32_t h = 2166136261u;
	for (unsigned i = 0; i < n->len; i++) {
		uint8_t c = n->wire[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	h = (h ^ type) * 16777619u;
	return h % MSGREF_SLOTS;
}

#define MSGREF_PROBE 4

void msgref_put(msgref_table *t, const dns_name *qname, uint16_t qtype,
                const struct msgref *refs, unsigned n, uint64_t expire)
{
	unsigned s = slot_of(qname, qtype);
	struct msgref_entry *victim = NULL;
	for (unsigned k = 0; k < MSGREF_PROBE; k++) {
		struct msgref_entry *x = &t->e[(s + k) % MSGREF_SLOTS];
		if (x->valid && x->qtype == qtype &&
		    dns_name_equal(&x->qname, qname)) {
			victim = x;
			break;
		}
		if (!victim || !x->valid ||
		    (victim->valid && x->stamp < victim->stamp))
			victim = x;
	}
	if (n > MSGREF_MAX_REFS)
		n = MSGREF_MAX_REFS;
	victim->valid = true;
	victim->qname = *qname;
	victim->qtype = qtype;
	victim->expire = expire;
	victim->stamp = ++t->stamp;
	memcpy(victim->refs, refs, n * sizeof(*refs));
	victim->n = n;
}

const struct msgref_entry *msgref_get(const msgref_table *t,
                                      const dns_name *qname, uint16_t qtype,
                                      uint64_t now_s)
{
	unsigned s = slot_of(qname, qtype);
	for (unsigned k = 0; k < MSGREF_PROBE; k++) {
		const struct msgref_entry *x = &t->e[(s + k) % MSGREF_SLOTS];
		if (x->valid && x->qtype == qtype &&
		    dns_name_equal(&x->qname, qname))
			return x->expire > now_s ? x : NULL;
	}
	return NULL;
}
