/* ward: dnsmasq's filter-A, filter-AAAA and filter-rr (dnsmasq 2.90): record
 * types taken out of the answer section of the answers wardd passes on
 * (forwarded, resolved, cached; not local data, which the operator wrote).
 * The answer keeps its rcode and whatever else it holds (a CNAME, the other
 * sections) and gains EDE 17 "Filtered" (RFC 8914 §4.18) when a record was
 * taken out, as dnsmasq answers. filter-rr=ANY is a rule of its own: an
 * answer to a question of type ANY keeps only A, AAAA, MX and CNAME
 * records (RFC 8482 §4.3), and then the type list does not apply to it.
 * Pure: wire in, wire out. */
#ifndef WARD_RESOLVER_ANSWER_FILTER_H
#define WARD_RESOLVER_ANSWER_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ANSWER_FILTER_TYPES 32  /* types one configuration may filter */

struct answer_filter {
	uint16_t types[ANSWER_FILTER_TYPES];
	size_t n;
	bool any;                    /* filter-rr=ANY */
};

/* Anything to do at all. */
static inline bool answer_filter_on(const struct answer_filter *f)
{
	return f->n || f->any;
}

/* Whether an answer-section record of `type` (an RRSIG: with the type it
 * `covered`) goes, in the answer to a question of qtype. An RRSIG goes with
 * the records it signs. */
bool answer_filter_drops(const struct answer_filter *f, uint16_t qtype,
                         uint16_t type, uint16_t covered);

/* Rebuild the NOERROR answer pkt[0..len) into out[0..cap) without the
 * answer-section records the filter drops (header, question, the other
 * sections and EDNS options kept; EDE 17 added when the answer has EDNS).
 * Returns 1 with *out_len when something was dropped, 0 when the answer
 * stays as it is (nothing to drop, not NOERROR, not parseable), or a
 * negative ward_err. The result is never longer than pkt. */
int answer_filter_apply(const struct answer_filter *f, const uint8_t *pkt,
                        size_t len, uint8_t *out, size_t cap,
                        size_t *out_len);

#endif
