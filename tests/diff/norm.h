/* ward tests: normalisation of record texts for the ldns differential test.
 *
 * ward's dns_rr_to_text and ldns_rr2str print the same presentation format
 * except for a few known differences, each a rule below. norm_record()
 * rewrites one record text ("owner\tttl\tCLASS\tTYPE\trdata", or a question
 * "owner\tCLASS\tTYPE") so that equal records compare equal: rdata fields
 * are split (quoted strings kept whole) and joined by single spaces, then
 * each rule is applied to the fields it concerns, by type. */
#ifndef WARD_DIFF_NORM_H
#define WARD_DIFF_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum norm_rule {
	NORM_SPACES,    /* ldns: trailing blank, double blank in NSEC3 */
	NORM_HEXCASE,   /* hex digits: ward upper case, ldns lower case */
	NORM_NAMEESC,   /* name escapes of '@' '$' '"' and space */
	NORM_B32PAD,    /* ldns pads the NSEC3 next hashed owner with '=' */
	NORM_EMPTYLAST, /* ldns omits an empty CAA value */
	NORM_SVCQUOTE,  /* optional quotes around opaque SvcParam values */
	NORM_TIME,      /* RRSIG times past now + 68 years */
	NORM_WKS,       /* ldns names WKS protocols and ports */
	NORM_ALPNESC,   /* ',' and '\' inside an alpn id */
	NORM_METATYPE,  /* IXFR..ANY inside rdata (RRSIG, bitmaps) */
	NORM_NRULES
};

extern const char *const norm_rule_names[NORM_NRULES];

/* Normalise the text s (NUL-terminated, at most cap octets with the NUL) of
 * a record of `type` in place; from_ldns says who printed it. counts[r] is
 * incremented for each rule r that changed something. */
void norm_record(char *s, size_t cap, uint16_t type, bool from_ldns,
                 unsigned long counts[NORM_NRULES]);

/* Free the scratch buffer norm_record keeps between calls. */
void norm_cleanup(void);

#endif
