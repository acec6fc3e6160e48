/* ward resolver: authority/additional sections of answered questions
 * (msgref.h). */
#include <string.h>

#include "resolver/msgref.h"

#define MSGREF_PROBE 4

/* Case-insensitive, 8 octets a step (dns_lower8): looked up for every
 * answer given from the cache when an entry may exist. */
static unsigned slot_of(const dns_name *n, uint16_t type)
{
	uint64_t h = (uint64_t)type * 0x9E3779B97F4A7C15u;
	size_t i = 0;
	for (; i + 8 <= n->len; i += 8) {
		uint64_t x;
		memcpy(&x, n->wire + i, 8);
		h = (h ^ dns_lower8(x)) * 0x9E3779B97F4A7C15u;
		h ^= h >> 32;
	}
	uint64_t x = 0;
	for (unsigned s = 0; i < n->len; i++, s += 8)
		x |= (uint64_t)n->wire[i] << s;
	h = (h ^ dns_lower8(x)) * 0xBF58476D1CE4E5B9u;
	return (unsigned)((h ^ (h >> 31)) % MSGREF_SLOTS);
}

struct msgref_entry *msgref_begin(msgref_table *t, const dns_name *qname,
                                  uint16_t qtype, uint64_t now_s)
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
	victim->valid = false;
	victim->qname = *qname;
	victim->qtype = qtype;
	victim->stored = now_s;
	victim->nsets = victim->nrrs = victim->dlen = 0;
	return victim;
}

bool msgref_add(struct msgref_entry *m, uint8_t section, const dns_rr *rrs,
                size_t n)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++)
		bytes += rrs[i].rdlen;
	if (!n || m->nsets >= MSGREF_MAX_SETS ||
	    m->nrrs + n > MSGREF_MAX_RRS || m->dlen + bytes > MSGREF_DATA_MAX)
		return false;
	struct msgref_set *s = &m->sets[m->nsets];
	s->owner = rrs[0].owner;
	s->type = rrs[0].type;
	s->section = section;
	for (size_t i = 0; i < n; i++) {
		struct msgref_rr *r = &m->rrs[m->nrrs++];
		r->set = (uint8_t)m->nsets;
		r->ttl = rrs[i].ttl;
		r->rdlen = rrs[i].rdlen;
		r->off = (uint16_t)m->dlen;
		memcpy(m->data + m->dlen, rrs[i].rdata, rrs[i].rdlen);
		m->dlen += rrs[i].rdlen;
	}
	m->nsets++;
	return true;
}

void msgref_commit(msgref_table *t, struct msgref_entry *m, uint32_t min_ttl)
{
	uint32_t ttl = UINT32_MAX;
	for (unsigned i = 0; i < m->nrrs; i++)
		if (m->rrs[i].ttl < ttl)
			ttl = m->rrs[i].ttl;
	if (ttl == UINT32_MAX || ttl > min_ttl)
		ttl = ttl == UINT32_MAX ? min_ttl : ttl;
	m->expire = m->stored + (ttl ? ttl : 1);
	m->stamp = ++t->stamp;
	m->valid = true;
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

bool msgref_next_rr(const struct msgref_entry *m, unsigned s, unsigned *k,
                    uint64_t now_s, dns_rr *rr)
{
	for (; *k < m->nrrs; (*k)++) {
		const struct msgref_rr *r = &m->rrs[*k];
		if (r->set != s)
			continue;
		uint64_t age = now_s > m->stored ? now_s - m->stored : 0;
		memset(rr, 0, sizeof(*rr));
		rr->owner = m->sets[s].owner;
		rr->type = m->sets[s].type;
		rr->rclass = DNS_C_IN;
		rr->ttl = r->ttl > age ? (uint32_t)(r->ttl - age) : 0;
		rr->rdlen = r->rdlen;
		rr->rdata = m->data + r->off;
		(*k)++;
		return true;
	}
	return false;
}
