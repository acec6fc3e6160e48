/* ward: building DNS messages (RFC 1035 §4) into a caller's buffer.
 *
 * Order: dns_mb_init, optionally dns_mb_edns (+ options) — before the
 * records, so the OPT record's room is reserved —, the question, then
 * records section by section (answer, authority, additional; going back to
 * an earlier section is WARD_EINVAL), then dns_mb_finish, which writes the
 * OPT record last and patches the header.
 *
 * Names are compressed (dns_name_write_compressed, and dns_rdata_pack for
 * the rdata names RFC 3597 §4 allows).
 *
 * Size limit and truncation (RFC 2181 §9, RFC 4035 §3.1.1): records are
 * added one RRset (or one group, e.g. an RRset and its RRSIGs) at a time,
 * all or nothing. When a group does not fit into the answer or authority
 * section it is left out, TC is set and every later record is refused;
 * a group that does not fit into the additional section is dropped
 * silently (no TC). The OPT record always fits: its room is reserved when
 * dns_mb_edns / dns_mb_edns_option are called. */
#ifndef WARD_MSG_BUILD_H
#define WARD_MSG_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "edns.h"
#include "msg.h"
#include "name.h"
#include "rr.h"

#define DNS_MB_OPT_MAX 1024  /* option bytes (without padding) one OPT holds */

typedef struct dns_mb {
	wire_wr w;              /* w.cap is lowered to limit - reserved room */
	size_t limit;           /* maximum message size */
	dns_compress comp;
	uint16_t id;
	uint16_t flags;         /* header flags without TC and RCODE */
	uint16_t rcode;         /* full 12-bit rcode */
	uint16_t count[4];
	enum dns_section section; /* last section written to */
	bool tc;                /* an answer/authority group did not fit */
	bool tc_forced;         /* dns_mb_set_tc was called */
	int err;                /* sticky misuse error */
	bool done;              /* dns_mb_finish ran */
	/* EDNS */
	bool edns;
	uint16_t udp_size;
	uint8_t version;
	uint16_t edns_flags;
	uint16_t pad_block;     /* RFC 8467 block size, 0: no padding */
	uint16_t opt_len;
	uint8_t opt_data[DNS_MB_OPT_MAX];
} dns_mb;

/* Start a message in buf[0..cap); the message will be at most `limit`
 * octets (clamped to cap and 65535). WARD_EINVAL when limit < 12. */
int dns_mb_init(dns_mb *b, uint8_t *buf, size_t cap, size_t limit);
void dns_mb_set_id(dns_mb *b, uint16_t id);
/* Header flags: QR, opcode (DNS_FLAGS_OPCODE), AA, RD, RA, AD, CD. TC and
 * the rcode bits are ignored here: TC comes from truncation (or
 * dns_mb_set_tc), the rcode from dns_mb_set_rcode. */
void dns_mb_set_flags(dns_mb *b, uint16_t flags);
/* Full rcode; values > 15 need EDNS (checked by dns_mb_finish). */
void dns_mb_set_rcode(dns_mb *b, uint16_t rcode);
/* Force TC=1 in the header (e.g. a response known to be incomplete);
 * records can still be added. */
void dns_mb_set_tc(dns_mb *b);

/* Add a question. WARD_ESPACE when it does not fit (nothing written),
 * WARD_EINVAL after records were added. */
int dns_mb_question(dns_mb *b, const dns_name *qname, uint16_t qtype,
                    uint16_t qclass);

/* Add rrs[0..n) to section s (ANSWER, AUTHORITY or ADDITIONAL) all or
 * nothing. Returns 0 when added, WARD_ESPACE when left out (TC set for the
 * answer and authority sections), WARD_EINVAL for a bad section, a section
 * going backwards, an OPT record (use dns_mb_edns) or rdata > 65535. */
int dns_mb_rrset(dns_mb *b, enum dns_section s, const dns_rr *rrs, size_t n);
/* One record (a group of one). */
int dns_mb_rr(dns_mb *b, enum dns_section s, const dns_rr *rr);

/* Ask for an OPT record (RFC 6891): reserves its 11 octets. Calling it
 * again updates the fields. WARD_ESPACE when the records already written
 * leave no room for it. */
int dns_mb_edns(dns_mb *b, uint16_t udp_size, uint8_t version,
                uint16_t edns_flags);
/* Append one option to the OPT record (dns_mb_edns first). WARD_ESPACE
 * when the message or the builder's option buffer has no room left. */
int dns_mb_edns_option(dns_mb *b, uint16_t code, const uint8_t *data,
                       uint16_t len);
/* Convenience wrappers around the edns.h encoders. */
int dns_mb_edns_cookie(dns_mb *b, const edns_cookie *c);
int dns_mb_edns_ede(dns_mb *b, uint16_t info_code, const char *text,
                    size_t text_len);
int dns_mb_edns_ecs(dns_mb *b, const edns_ecs *e);
/* Pad the finished message to a multiple of `block` octets (RFC 7830,
 * RFC 8467: 128 for queries, 468 for responses), never beyond the limit.
 * Reserves the 4-octet option header. */
int dns_mb_edns_padding(dns_mb *b, uint16_t block);

/* True once an answer/authority group was left out (TC will be set). */
bool dns_mb_truncated(const dns_mb *b);
/* Octets written so far (without the OPT record). */
size_t dns_mb_len(const dns_mb *b);

/* Write the OPT record, patch the header; *len gets the message length.
 * Returns 0, the sticky error, or WARD_EINVAL for an rcode > 15 without
 * EDNS. */
int dns_mb_finish(dns_mb *b, size_t *len);

#endif
