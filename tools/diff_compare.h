/* ward toolkit: semantic comparison of two DNS answers to the same query
 * (ward diff, ward replay --pcap). Differences are classified by kind as
 * respdiff does: rcode, flags (AA TC RA AD CD), answer, authority,
 * additional (each section a set of RRsets: record order and TTLs ignored
 * unless asked), EDE codes (RFC 8914), and timeout (one side gave no
 * answer). */
#ifndef WARD_TOOLS_DIFF_COMPARE_H
#define WARD_TOOLS_DIFF_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum diff_kind {
	DIFF_TIMEOUT = 0, DIFF_RCODE, DIFF_FLAGS, DIFF_ANSWER, DIFF_AUTHORITY,
	DIFF_ADDITIONAL, DIFF_EDE, DIFF_NKINDS
};
#define DIFF_BIT(k) (1u << (k))

/* Flags that are compared (RFC 1035 §4.1.1, RFC 4035 §3.2). */
#define DIFF_FLAG_MASK 0x06b0u /* AA TC RA AD CD */

struct diff_opts {
	bool ttl;     /* --ttl: TTLs must be equal too */
	bool order;   /* --order: record order within a section matters */
};

/* "timeout", "rcode", "flags", "answer", "authority", "additional", "ede". */
const char *diff_kind_name(enum diff_kind k);

/* Compare answers a and b (NULL / len 0: no answer). Returns a bit set of
 * DIFF_BIT(kind); 0 when they agree (also when neither side answered). An
 * answer that does not parse is compared as far as it could be read. */
unsigned diff_compare(const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, const struct diff_opts *o);

/* The short form of one answer, for listings: a "status/flags/EDE" line,
 * then the records of the sections in `sections` (a DIFF_BIT set of
 * DIFF_ANSWER, DIFF_AUTHORITY, DIFF_ADDITIONAL), each line prefixed with
 * `indent`. "no answer (timeout)" when a is NULL. */
void diff_print_short(FILE *out, const char *indent, const uint8_t *a,
                      size_t alen, unsigned sections);

/* The same as JSON: {"rcode":..,"flags":[..],"ede":[..],"answer":[..],...}
 * or null. */
void diff_print_json(FILE *out, const uint8_t *a, size_t alen);

/* A JSON string literal of s (quotes, escapes). */
void diff_json_str(FILE *out, const char *s);

#endif
