/* ward DNSSEC: internal helpers shared by resolver/dnssec/ files. */
#ifndef WARD_DNSSEC_INT_H
#define WARD_DNSSEC_INT_H

#include "dnssec.h"

/* Empty verdict: BOGUS / DNSSEC_R_NO_RRSIG, no key, no text. */
void dnssec_verdict_init(dnssec_verdict *v);

/* Fill status, reason, EDE, key tag (from sig, may be NULL) and the text
 * "owner TYPE: key tag N alg NAME: reason (validity) (detail)"; about and
 * detail may be NULL. now only formats validity dates. */
void dnssec_verdict_set(dnssec_verdict *v, enum dnssec_status st,
                        enum dnssec_reason r, const dns_rr *about,
                        const dnssec_rrsig *sig, int64_t now,
                        const char *detail);

#endif
