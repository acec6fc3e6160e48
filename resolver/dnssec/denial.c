/* ward: authenticated denial — verdict texts, type bitmaps and name helpers
 * shared by the NSEC and NSEC3 proofs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec/cursor.h"
#include "denial_int.h"

const char *denial_verdict_str(enum denial_verdict v)
{
	switch (v) {
	case DENIAL_SECURE: return "secure";
	case DENIAL_INSECURE: return "insecure";
	case DENIAL_BOGUS: return "bogus";
	}
	return "?";
}

const char *denial_reason_str(enum denial_reason r)
{
	switch (r) {
	case DENIAL_R_OK: return "ok";
	case DENIAL_R_OPTOUT: return "optout";
	case DENIAL_R_ITERATIONS: return "nsec3-iterations";
	case DENIAL_R_NO_RECORDS: return "no-records";
	case DENIAL_R_NOT_COVERED: return "not-covered";
	case DENIAL_R_WILDCARD_NOT_DENIED: return "wildcard-not-denied";
	case DENIAL_R_NAME_EXISTS: return "name-exists";
	case DENIAL_R_TYPE_EXISTS: return "type-exists";
	case DENIAL_R_CNAME_EXISTS: return "cname-exists";
	case DENIAL_R_DELEGATION: return "delegation";
	case DENIAL_R_CHILD_SIDE: return "child-side";
	case DENIAL_R_ANCESTOR_DELEGATION: return "ancestor-delegation";
	case DENIAL_R_NO_CLOSEST_ENCLOSER: return "no-closest-encloser";
	case DENIAL_R_NEXT_CLOSER_NOT_COVERED: return "next-closer-not-covered";
	case DENIAL_R_NOT_DELEGATION: return "not-delegation";
	case DENIAL_R_DS_EXISTS: return "ds-exists";
	case DENIAL_R_PARAM_MISMATCH: return "nsec3-param-mismatch";
	case DENIAL_R_HASH_LIMIT: return "nsec3-hash-limit";
	case DENIAL_R_BAD_INPUT: return "bad-input";
	}
	return "?";
}

/* RFC 4034 §4.1.2: windows of (number, length 1..32, bits); bit 0 of the
 * first octet is type window*256 + 0. */
bool denial_bitmap_has(const uint8_t *bitmap, size_t len, uint16_t type)
{
	wire_rd rd = wire_rd_init(bitmap, len);
	unsigned want_win = type >> 8, want_bit = type & 0xff;
	while (wire_rd_left(&rd) > 0) {
		unsigned win = wire_rd_u8(&rd);
		unsigned blen = wire_rd_u8(&rd);
		if (blen == 0 || blen > 32)
			return false;
		const uint8_t *bits = wire_rd_view(&rd, blen);
		if (rd.err)
			return false;
		if (win == want_win) {
			if (want_bit / 8 >= blen)
				return false;
			return (bits[want_bit / 8] & (0x80u >> (want_bit % 8))) != 0;
		}
		if (win > want_win)
			return false;
	}
	return false;
}

/* Does the bitmap list any type at all (an empty non-terminal's NSEC3
 * lists none, RFC 5155 §7.1)? */
static bool bitmap_any_type(const uint8_t *bitmap, size_t len)
{
	wire_rd rd = wire_rd_init(bitmap, len);
	while (wire_rd_left(&rd) > 0) {
		wire_rd_skip(&rd, 1);
		unsigned blen = wire_rd_u8(&rd);
		if (blen == 0 || blen > 32)
			return false;
		const uint8_t *bits = wire_rd_view(&rd, blen);
		if (rd.err)
			return false;
		for (unsigned i = 0; i < blen; i++)
			if (bits[i])
				return true;
	}
	return false;
}

void denial_result_reset(denial_result *out)
{
	out->verdict = DENIAL_BOGUS;
	out->reason = DENIAL_R_NO_RECORDS;
	out->ede = DENIAL_EDE_NSEC_MISSING;
	out->have_encloser = false;
	dns_name_root(&out->closest_encloser);
	out->why[0] = '\0';
}

enum denial_verdict denial_ok(denial_result *out)
{
	out->verdict = DENIAL_SECURE;
	out->reason = DENIAL_R_OK;
	out->ede = DENIAL_EDE_NONE;
	out->why[0] = '\0';
	return DENIAL_SECURE;
}

enum denial_verdict denial_set(denial_result *out, enum denial_verdict v,
                               enum denial_reason r, uint16_t ede,
                               const char *fmt, ...)
{
	out->verdict = v;
	out->reason = r;
	out->ede = ede;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->why, sizeof out->why, fmt, ap);
	va_end(ap);
	return v;
}

unsigned denial_common_labels(const dns_name *a, const dns_name *b)
{
	unsigned la = dns_name_labels(a), lb = dns_name_labels(b);
	unsigned lo = 0, hi = la < lb ? la : lb;
	/* the shared suffixes form a prefix of label counts: find the longest */
	while (lo < hi) {
		unsigned mid = (lo + hi + 1) / 2;
		dns_name sa, sb;
		denial_name_suffix(a, mid, &sa);
		denial_name_suffix(b, mid, &sb);
		if (dns_name_equal(&sa, &sb))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void denial_name_suffix(const dns_name *n, unsigned labels, dns_name *out)
{
	*out = *n;
	unsigned have = dns_name_labels(n);
	if (labels < have)
		dns_name_strip_left(out, have - labels);
}

bool denial_wildcard_of(const dns_name *n, dns_name *out)
{
	*out = *n;
	return dns_name_prepend_label(out, (const uint8_t *)"*", 1) == 0;
}

bool denial_strictly_below(const dns_name *n, const dns_name *parent)
{
	return n->len > parent->len && dns_name_is_subdomain(n, parent);
}

enum denial_verdict denial_nodata_types(const denial_query *q,
                                        const dns_name *owner,
                                        const char *what,
                                        const uint8_t *bitmap, size_t bmlen,
                                        denial_result *out)
{
	char ob[DNS_NAME_TEXT_MAX], tb[16];
	if (denial_bitmap_has(bitmap, bmlen, q->qtype))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_TYPE_EXISTS,
		                  DENIAL_EDE_BOGUS, "%s at %s lists type %s", what,
		                  dns_name_str(owner, ob),
		                  dns_type_str(q->qtype, tb));
	/* ANY: any type at the name is an answer to it (an NSEC lists
	 * itself); only an empty non-terminal has no data for ANY */
	if (q->qtype == DNS_T_ANY && bitmap_any_type(bitmap, bmlen))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_TYPE_EXISTS,
		                  DENIAL_EDE_BOGUS, "%s at %s lists types: ANY "
		                  "has an answer", what, dns_name_str(owner, ob));
	if (denial_bitmap_has(bitmap, bmlen, DNS_T_CNAME))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_CNAME_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "%s at %s lists CNAME: the CNAME is missing", what,
		                  dns_name_str(owner, ob));
	bool ns = denial_bitmap_has(bitmap, bmlen, DNS_T_NS);
	bool soa = denial_bitmap_has(bitmap, bmlen, DNS_T_SOA);
	if (q->qtype == DNS_T_DS) {
		/* the DS lives in the parent: an apex record is the child's */
		if (soa && q->qname->len > 1)
			return denial_set(out, DENIAL_BOGUS, DENIAL_R_CHILD_SIDE,
			                  DENIAL_EDE_BOGUS,
			                  "%s at %s is the child zone's apex: no DS "
			                  "proof from the parent", what,
			                  dns_name_str(owner, ob));
	} else if (ns && !soa) {
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_DELEGATION,
		                  DENIAL_EDE_BOGUS,
		                  "%s at %s is a delegation: a referral was due",
		                  what, dns_name_str(owner, ob));
	}
	return denial_ok(out);
}
