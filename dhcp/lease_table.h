/* ward DHCP engine: the table of leases, offers and declined addresses,
 * with O(1) lookup by address and by client identity (client identifier,
 * else hardware address, as dnsmasq matches them) and a min-heap of expiry
 * times. Internal to dhcp/. */
#ifndef WARD_DHCP_LEASE_TABLE_H
#define WARD_DHCP_LEASE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/lease.h"

enum lt_kind {
	LT_FREE = 0,
	LT_LEASE,        /* an acknowledged lease (durable) */
	LT_OFFER,        /* an address offered and held for a client */
	LT_DECLINED,     /* an address in quarantine after DHCPDECLINE */
};

typedef struct lt_ent {
	struct dhcp_lease l;
	uint8_t kind;
	bool hw_linked, cid_linked;
	bool name_linked;
	int32_t next_ip, next_cid, next_hw, next_name; /* hash chains, -1 ends */
	uint32_t gen;
} lt_ent;

typedef struct lt_heap_item {
	int64_t t;
	int32_t idx;
	uint32_t gen;
} lt_heap_item;

typedef struct lease_table {
	lt_ent *ent;
	size_t cap;
	int32_t free_head;
	size_t count[4];         /* per lt_kind */
	int32_t *b_ip, *b_cid, *b_hw, *b_name;
	size_t nb;               /* buckets, a power of two */
	lt_heap_item *heap;
	size_t hn, hcap;
	uint32_t gen;
} lease_table;

int lt_init(lease_table *t);
void lt_fini(lease_table *t);
/* A zeroed entry of `kind`, not yet indexed: fill e->l, then lt_link. */
int32_t lt_alloc(lease_table *t, enum lt_kind kind);
/* Index the entry by its address, hardware address and client id, and
 * schedule its expiry. */
void lt_link(lease_table *t, int32_t idx);
/* Take it out of the indexes (before changing ip or identity). */
void lt_unlink(lease_table *t, int32_t idx);
/* Unlink and free. */
void lt_release(lease_table *t, int32_t idx);
static inline lt_ent *lt_get(lease_table *t, int32_t idx)
{
	return &t->ent[idx];
}
/* The entry holding ip (any kind), or -1. */
int32_t lt_find_ip(const lease_table *t, uint32_t ip);
/* The lease or offer of a client: by client id when it has one (a lease
 * with that id), else by hardware address among leases without a client
 * id or when the request has none (dnsmasq's lease_find_by_client). */
int32_t lt_find_client(const lease_table *t, uint8_t htype, const uint8_t *hw,
                       uint8_t hlen, const uint8_t *cid, size_t cid_len);
/* The lease whose hostname is `name` (case-insensitive), or -1. */
int32_t lt_find_name(const lease_table *t, const char *name);
/* Change an entry's expiry (0: never). */
void lt_set_expiry(lease_table *t, int32_t idx, int64_t expires);
/* An entry whose expiry is <= now, or -1. */
int32_t lt_pop_expired(lease_table *t, int64_t now);
/* The earliest expiry scheduled, 0 if none. */
int64_t lt_next_expiry(lease_table *t);

#endif
