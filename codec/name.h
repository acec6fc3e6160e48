/* ward: DNS names (RFC 1035 §3.1, §4.1.4; RFC 4034 §6.1).
 *
 * A dns_name holds one name in uncompressed wire form, always absolute (ends
 * with the root label), case preserved. Decoding from a message follows
 * compression pointers strictly backwards with a hop cap; every name is
 * checked for labels <= 63 and total length <= 255. */
#ifndef WARD_NAME_H
#define WARD_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "strbuf.h"

#define DNS_NAME_MAXLEN 255   /* octets in wire form, root label included */
#define DNS_LABEL_MAXLEN 63
#define DNS_NAME_MAXLABELS 128
#define DNS_PTR_MAXHOPS 64    /* compression pointers followed per name */
#define DNS_NAME_TEXT_MAX 1024 /* worst case presentation: 255 * \DDD < 1024 */

typedef struct dns_name {
	uint16_t len;                   /* octets used in wire, >= 1 */
	uint8_t wire[DNS_NAME_MAXLEN];
} dns_name;

/* The root name ".". */
void dns_name_root(dns_name *out);

/* Read a possibly compressed name at rd->pos; pointers are offsets into
 * rd->buf[0..rd->len) and must point strictly before the current label.
 * With allow_compression false a pointer is WARD_ECOMPRESS. Advances rd past
 * the name as it appears in the stream. Returns 0 or a negative ward_err. */
int dns_name_read(wire_rd *rd, dns_name *out, bool allow_compression);

/* Skip a name without copying it (still fully validated). */
int dns_name_skip(wire_rd *rd);

/* Check uncompressed wire form in p[0..n): returns the name's length (>0) or
 * a negative ward_err. */
int dns_name_check(const uint8_t *p, size_t n);

/* Build from uncompressed wire (validated). */
int dns_name_from_wire(dns_name *out, const uint8_t *p, size_t n);

/* Write uncompressed. */
void dns_name_write(wire_wr *w, const dns_name *n);

/* Compression table for building one message (RFC 1035 §4.1.4). Offsets
 * must be < 0x4000 to be pointer targets. */
#define DNS_COMPRESS_MAX 256
typedef struct dns_compress {
	uint16_t off[DNS_COMPRESS_MAX]; /* where labels of written names start */
	unsigned n;
} dns_compress;

static inline void dns_compress_init(dns_compress *c) { c->n = 0; }

/* Write n into w, replacing the longest suffix already in the message by a
 * pointer; c may be NULL (no compression). Records the new labels in c. */
void dns_name_write_compressed(wire_wr *w, const dns_name *n, dns_compress *c);

/* Presentation format -> name. Absolute when it ends in '.'; otherwise origin
 * is appended (origin NULL -> WARD_ENOORIGIN). "@" is the origin. Handles
 * \DDD and \X escapes. */
int dns_name_from_text(dns_name *out, const char *s, size_t slen,
                       const dns_name *origin);

/* Name -> presentation format, fully qualified (trailing dot), escaping
 * '.', '\\', '"', '(', ')', ';', '@', '$', ' ' as \X and non-printables as
 * \DDD. */
void dns_name_to_text(const dns_name *n, strbuf *sb);
/* Convenience: into a fixed buffer of DNS_NAME_TEXT_MAX, returns buf. */
const char *dns_name_str(const dns_name *n, char buf[DNS_NAME_TEXT_MAX]);

/* Number of labels, not counting the root label ("." has 0). */
unsigned dns_name_labels(const dns_name *n);

/* ASCII case-insensitive equality (RFC 4343). */
bool dns_name_equal(const dns_name *a, const dns_name *b);

/* Canonical DNS name order (RFC 4034 §6.1): <0, 0, >0. */
int dns_name_canon_cmp(const dns_name *a, const dns_name *b);

/* Lowercase in place (canonical form, RFC 4034 §6.2). */
void dns_name_lower(dns_name *n);

/* 8 octets at once (in any byte order) with ASCII A-Z made a-z and every
 * other octet as it is: the high bit of each octet of `low7 + k` says
 * whether its low 7 bits reach k (no carry crosses an octet, 0x7f + 0x3f
 * < 0x100), octets with their own high bit set are left alone. */
static inline uint64_t dns_lower8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, high = ones * 0x80u;
	uint64_t low7 = x & ~high;
	uint64_t ge_a = low7 + ones * (0x80u - 'A');
	uint64_t gt_z = low7 + ones * (0x80u - 'Z' - 1u);
	return x | ((ge_a & ~gt_z & ~x & high) >> 2);
}

/* True when n is parent or below it (case-insensitive). */
bool dns_name_is_subdomain(const dns_name *n, const dns_name *parent);

/* Drop the leftmost `count` labels (stops at the root). */
void dns_name_strip_left(dns_name *n, unsigned count);

/* Prepend one label. WARD_ELABEL / WARD_ENAMELEN on overflow. */
int dns_name_prepend_label(dns_name *n, const uint8_t *label, size_t len);

/* Concatenate a relative wire prefix (labels without root) and a suffix. */
int dns_name_concat(dns_name *out, const uint8_t *prefix, size_t plen,
                    const dns_name *suffix);

#endif
