/* wardd: the lease store's in-memory set — address -> the lease as its
 * journal record (lease_journal.h), so 100 000 leases take a few MB, not
 * 100 000 struct dhcp_lease. Open addressing with linear probing, backward
 * shift on delete (no tombstones). Internal to daemon/lease_store.c. */
#ifndef WARD_DAEMON_LEASE_STORE_MAP_H
#define WARD_DAEMON_LEASE_STORE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/lease.h"

struct lease_slot {
	uint8_t *rec;  /* the PUT record (lease_journal format); NULL: empty */
	uint32_t ip;
	uint16_t len;
};

struct lease_map {
	struct lease_slot *slots; /* cap slots, cap a power of 2 (or 0) */
	size_t cap, count;
};

/* Put (insert or replace) or delete the lease of l->ip. 0, WARD_ENOMEM, or
 * an encoding error for a lease the file cannot hold. */
int lease_map_apply(struct lease_map *m, enum dhcp_lease_op op,
                    const struct dhcp_lease *l);
bool lease_map_has(const struct lease_map *m, uint32_t ip);
/* The lease of ip: 0 or WARD_ENOTFOUND. */
int lease_map_get(const struct lease_map *m, uint32_t ip, struct dhcp_lease *out);
/* Decode the lease of a used slot (walks go over slots[0..cap)). */
int lease_map_slot_lease(const struct lease_slot *s, struct dhcp_lease *out);
void lease_map_free(struct lease_map *m);

#endif
