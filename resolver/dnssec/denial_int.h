/* ward: helpers shared by nsec.c and nsec3.c (internal to resolver/dnssec). */
#ifndef WARD_DENIAL_INT_H
#define WARD_DENIAL_INT_H

#include "denial.h"

/* Start a result: bogus, "no usable records" until a proof says otherwise. */
void denial_result_reset(denial_result *out);

/* Set a secure verdict (why stays empty). */
enum denial_verdict denial_ok(denial_result *out);

/* Set a failing or insecure verdict with its EDE and a printf-style text;
 * names should be formatted with dns_name_str (escapes non-printables). */
enum denial_verdict denial_set(denial_result *out, enum denial_verdict v,
                               enum denial_reason r, uint16_t ede,
                               const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Labels a and b share from the right (the root not counted). */
unsigned denial_common_labels(const dns_name *a, const dns_name *b);

/* The name made of the rightmost `labels` labels of n. */
void denial_name_suffix(const dns_name *n, unsigned labels, dns_name *out);

/* "*." + n; false when it would be longer than 255 octets. */
bool denial_wildcard_of(const dns_name *n, dns_name *out);

/* True when n is strictly below parent. */
bool denial_strictly_below(const dns_name *n, const dns_name *parent);

/* Type checks of the record at qname (or at the wildcard that would have
 * matched it) for a NODATA answer, RFC 4035 §5.4, RFC 5155 §8.5-8.7,
 * RFC 6840 §4.4: no qtype, no CNAME; for DS not the child's apex (SOA,
 * unless qname is the root); for other types not a delegation (NS without
 * SOA: a referral was due). `what` is "NSEC" or "NSEC3" for the text. */
enum denial_verdict denial_nodata_types(const denial_query *q,
                                        const dns_name *owner,
                                        const char *what,
                                        const uint8_t *bitmap, size_t bmlen,
                                        denial_result *out);

#endif
