/* ward: SVCB/HTTPS SvcParams presentation format (RFC 9460 §2.1, §7,
 * Appendix A) — internal to codec/rdata_text.c. */
#ifndef WARD_RDATA_TEXT_SVCB_H
#define WARD_RDATA_TEXT_SVCB_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "strbuf.h"

/* Parse "key[=value] ..." (s[0..n), the rest of the rdata line) and append
 * the SvcParams in wire form, sorted by key, to w. Errors: WARD_ESVCPARAM
 * (unknown key name, duplicate key, bad value, mandatory inconsistent),
 * WARD_EQUOTE, WARD_EESCAPE, WARD_EADDR, WARD_EBASE64, WARD_ENOMEM. */
int rdf_svcparams_from_text(const char *s, size_t n, wire_wr *w);

/* Print validated SvcParams p[0..n) (ascending keys), separated by blanks. */
void rdf_svcparams_to_text(strbuf *sb, const uint8_t *p, size_t n);

#endif
