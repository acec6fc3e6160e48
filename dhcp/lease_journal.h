/* ward DHCP: the lease journal's record format (sans-I/O).
 *
 * The journal is an append-only file of lease changes made since the lease
 * file (dnsmasq text, lease_text.h) was last rewritten. Layout:
 *
 *   header  8 octets  "WARDLJ1\n"
 *   record  u16 len | u32 crc | body[len]           (big-endian)
 *     crc   CRC-32C (Castagnoli, RFC 3720 §B.4) over the two len octets
 *           and the body, so a damaged length is caught too
 *     body  u8 op (1 put, 2 delete) | u32 ip
 *           put only: u64 expires | u8 htype | u8 hlen | hw[hlen]
 *                     | u8 cid_len | cid | u8 name_len | name
 *
 * Each record states the whole lease of one address (or its absence), so
 * replaying a record twice, or over a lease file that already holds its
 * effect, changes nothing: that is what makes compaction crash-safe
 * (daemon/lease_store.c). A record that is cut short, fails its checksum or
 * does not decode ends the journal: it and everything after it is the torn
 * tail of a write that never completed, reported and ignored. */
#ifndef WARD_DHCP_LEASE_JOURNAL_H
#define WARD_DHCP_LEASE_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "dhcp/lease.h"

#define LEASE_JOURNAL_MAGIC "WARDLJ1\n"
#define LEASE_JOURNAL_HDR_LEN 8
#define LEASE_JOURNAL_REC_HDR 6 /* u16 len + u32 crc */
#define LEASE_JOURNAL_BODY_MIN 5 /* a delete: op + ip */
/* a put with every field at its largest */
#define LEASE_JOURNAL_BODY_MAX                                                 \
	(1 + 4 + 8 + 1 + 1 + DHCP_LEASE_HWADDR_MAX + 1 + DHCP_LEASE_CLIENTID_MAX + \
	 1 + DHCP_LEASE_HOSTNAME_MAX)
#define LEASE_JOURNAL_REC_MAX (LEASE_JOURNAL_REC_HDR + LEASE_JOURNAL_BODY_MAX)

/* CRC-32C of p[0..n), continuing from crc (start with 0). */
uint32_t lease_crc32c(uint32_t crc, const uint8_t *p, size_t n);

/* Encode one change into buf (at least LEASE_JOURNAL_REC_MAX octets is
 * always enough); the length written goes to *len. Puts are checked with
 * lease_text_check, so every journalled lease can be written to the text
 * file at compaction. 0 or a negative ward_err. */
int lease_journal_encode(enum dhcp_lease_op op, const struct dhcp_lease *l,
                         uint8_t *buf, size_t cap, size_t *len);

/* Decode the record at the start of buf[0..n): 0 with *op, *l (zeroed
 * first; a delete fills only l->ip) and *used set; WARD_ETRUNC when the
 * buffer ends inside the record; WARD_ELEASE_TORN when the length is out of
 * range, the checksum fails or the body does not decode. */
int lease_journal_decode(const uint8_t *buf, size_t n, enum dhcp_lease_op *op,
                         struct dhcp_lease *l, size_t *used);

/* What a replay found. */
struct lease_journal_scan {
	unsigned records;  /* good records replayed */
	size_t valid_len;  /* octets up to the end of the last good record
	                      (the header counts): truncate the file here */
	size_t torn_len;   /* octets after it, ignored (0: clean end) */
	int tail_err;      /* why the tail was ignored (0: clean end) */
};

/* Replay a whole journal image: check the header, then hand every good
 * record to `apply` in order until the end or the first bad record.
 * An image shorter than the header that is a prefix of it (a journal
 * created but never completed) is an empty journal. Returns 0 (a torn tail is
 * reported in *scan, not an error), WARD_ELEASE_JMAGIC when the header is
 * someone else's, or apply's negative value. */
int lease_journal_replay(const uint8_t *buf, size_t n,
                         int (*apply)(void *ctx, enum dhcp_lease_op op,
                                      const struct dhcp_lease *l),
                         void *ctx, struct lease_journal_scan *scan);

#endif
