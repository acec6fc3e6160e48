/* wardd: the lease store's in-memory set (see lease_store_map.h). */
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/lease_store_map.h"
#include "dhcp/lease_journal.h"

#define MAP_MIN_CAP 64

static size_t slot_home(const struct lease_map *m, uint32_t ip)
{
	return (size_t)((ip * 2654435761u) & (uint32_t)(m->cap - 1));
}

static struct lease_slot *map_find(const struct lease_map *m, uint32_t ip)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_home(m, ip);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].rec)
			return NULL;
		if (m->slots[i].ip == ip)
			return &m->slots[i];
	}
}

static int map_grow(struct lease_map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : MAP_MIN_CAP;
	struct lease_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return WARD_ENOMEM;
	struct lease_slot *old = m->slots;
	size_t ocap = m->cap;
	m->slots = ns;
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].rec)
			continue;
		size_t j = slot_home(m, old[i].ip);
		while (ns[j].rec)
			j = (j + 1) & (ncap - 1);
		ns[j] = old[i];
	}
	free(old);
	return 0;
}

/* Insert or replace; takes a copy of rec. */
static int map_put(struct lease_map *m, uint32_t ip, const uint8_t *rec, size_t len)
{
	uint8_t *copy = malloc(len);
	if (!copy)
		return WARD_ENOMEM;
	memcpy(copy, rec, len);
	struct lease_slot *s = map_find(m, ip);
	if (s) {
		free(s->rec);
		s->rec = copy;
		s->len = (uint16_t)len;
		return 0;
	}
	if ((m->count + 1) * 2 > m->cap && map_grow(m) < 0) {
		free(copy);
		return WARD_ENOMEM;
	}
	size_t i = slot_home(m, ip);
	while (m->slots[i].rec)
		i = (i + 1) & (m->cap - 1);
	m->slots[i].rec = copy;
	m->slots[i].ip = ip;
	m->slots[i].len = (uint16_t)len;
	m->count++;
	return 0;
}

/* Remove with backward shift, so lookups need no tombstones. */
static void map_del(struct lease_map *m, uint32_t ip)
{
	struct lease_slot *s = map_find(m, ip);
	if (!s)
		return;
	size_t mask = m->cap - 1;
	size_t hole = (size_t)(s - m->slots);
	free(s->rec);
	s->rec = NULL;
	m->count--;
	for (size_t i = (hole + 1) & mask; m->slots[i].rec; i = (i + 1) & mask) {
		size_t home = slot_home(m, m->slots[i].ip);
		/* move the entry into the hole unless its home lies in (hole, i] */
		bool stays = hole <= i ? (home > hole && home <= i)
		                       : (home > hole || home <= i);
		if (stays)
			continue;
		m->slots[hole] = m->slots[i];
		m->slots[i].rec = NULL;
		hole = i;
	}
}

int lease_map_apply(struct lease_map *m, enum dhcp_lease_op op,
                    const struct dhcp_lease *l)
{
	if (op == DHCP_LEASE_DEL) {
		map_del(m, l->ip);
		return 0;
	}
	uint8_t rec[LEASE_JOURNAL_REC_MAX];
	size_t len;
	int rc = lease_journal_encode(DHCP_LEASE_PUT, l, rec, sizeof(rec), &len);
	if (rc < 0)
		return rc;
	return map_put(m, l->ip, rec, len);
}

void lease_map_free(struct lease_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].rec);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

bool lease_map_has(const struct lease_map *m, uint32_t ip)
{
	return map_find(m, ip) != NULL;
}

int lease_map_slot_lease(const struct lease_slot *s, struct dhcp_lease *out)
{
	enum dhcp_lease_op op;
	size_t used;
	return lease_journal_decode(s->rec, s->len, &op, out, &used);
}

int lease_map_get(const struct lease_map *m, uint32_t ip, struct dhcp_lease *out)
{
	const struct lease_slot *s = map_find(m, ip);
	if (!s)
		return WARD_ENOTFOUND;
	return lease_map_slot_lease(s, out);
}
