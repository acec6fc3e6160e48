/* ward: NSEC denial proofs (RFC 4035 §5.4, RFC 4034 §4, RFC 6840 §4).
 *
 * An NSEC at owner O with next name N says no name exists strictly between
 * O and N in canonical order (RFC 4034 §6.1), and lists O's types. The
 * last NSEC of a zone points back to the apex. */
#include <string.h>

#include "codec/cursor.h"
#include "denial_int.h"
#include "denial_limits.h"

struct nsec {
	const dns_rr *rr;
	dns_name next;
	const uint8_t *bitmap;
	size_t bmlen;
};

/* Parse one NSEC's rdata (next name, bitmap); false if malformed. */
static bool nsec_parse(const dns_rr *rr, struct nsec *v)
{
	if (rr->type != DNS_T_NSEC || (rr->rdlen > 0 && !rr->rdata))
		return false;
	wire_rd rd = wire_rd_init(rr->rdata, rr->rdlen);
	if (dns_name_read(&rd, &v->next, false) != 0)
		return false;
	v->rr = rr;
	v->bitmap = rr->rdata + rd.pos;
	v->bmlen = rr->rdlen - rd.pos;
	return true;
}

static bool has(const struct nsec *v, uint16_t type)
{
	return denial_bitmap_has(v->bitmap, v->bmlen, type);
}

/* In canonical order owner < name < next; for the last NSEC (next <=
 * owner, the apex) names after the owner and below the apex. */
static bool covers(const struct nsec *v, const dns_name *name)
{
	const dns_name *owner = &v->rr->owner;
	if (dns_name_canon_cmp(owner, name) >= 0)
		return false;
	if (dns_name_canon_cmp(owner, &v->next) < 0)
		return dns_name_canon_cmp(name, &v->next) < 0;
	return denial_strictly_below(name, &v->next);
}

bool nsec_covers(const dns_rr *nsec, const dns_name *name)
{
	struct nsec v;
	return nsec_parse(nsec, &v) && covers(&v, name);
}

/* RFC 6840 §4.1: an NSEC at a zone cut (NS without SOA) or at a DNAME says
 * nothing about names below it: they belong to another zone. */
static bool above_cut(const struct nsec *v, const dns_name *name)
{
	return denial_strictly_below(name, &v->rr->owner) &&
	       (has(v, DNS_T_DNAME) ||
	        (has(v, DNS_T_NS) && !has(v, DNS_T_SOA)));
}

/* The usable NSECs: well formed, owner at or below the zone. */
struct nsec_set {
	struct nsec r[DENIAL_MAX_RECORDS];
	size_t n;
};

static void collect(const denial_query *q, const dns_rr *rrs, size_t n,
                    struct nsec_set *s)
{
	s->n = 0;
	for (size_t i = 0; i < n && s->n < DENIAL_MAX_RECORDS; i++) {
		struct nsec v;
		if (!nsec_parse(&rrs[i], &v))
			continue;
		/* both ends in the zone: a next name outside it would deny
		 * names of other zones (an "overreaching" NSEC) */
		if (!dns_name_is_subdomain(&rrs[i].owner, q->zone) ||
		    !dns_name_is_subdomain(&v.next, q->zone))
			continue;
		s->r[s->n++] = v;
	}
}

static const struct nsec *find_match(const struct nsec_set *s,
                                     const dns_name *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (dns_name_equal(&s->r[i].rr->owner, name))
			return &s->r[i];
	return NULL;
}

/* An NSEC covering name that may speak for it (not from above a cut). */
static const struct nsec *find_cover(const struct nsec_set *s,
                                     const dns_name *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (covers(&s->r[i], name) && !above_cut(&s->r[i], name))
			return &s->r[i];
	return NULL;
}

/* The closest encloser of a name an NSEC covers: the longest ancestor it
 * shares with the owner or the next name (both exist, so do their
 * ancestors; RFC 4592 §3.3.1). */
static void closest_encloser(const struct nsec *v, const dns_name *name,
                             dns_name *ce)
{
	unsigned a = denial_common_labels(name, &v->rr->owner);
	unsigned b = denial_common_labels(name, &v->next);
	denial_name_suffix(name, a > b ? a : b, ce);
}

/* Common checks; returns false (and sets out) when the query is unusable. */
static bool start(const denial_query *q, const dns_rr *rrs, size_t n,
                  struct nsec_set *s, denial_result *out)
{
	denial_result_reset(out);
	char qb[DNS_NAME_TEXT_MAX], zb[DNS_NAME_TEXT_MAX];
	if (!dns_name_is_subdomain(q->qname, q->zone)) {
		denial_set(out, DENIAL_BOGUS, DENIAL_R_BAD_INPUT, DENIAL_EDE_BOGUS,
		           "%s is not in zone %s", dns_name_str(q->qname, qb),
		           dns_name_str(q->zone, zb));
		return false;
	}
	collect(q, rrs, n, s);
	if (s->n == 0) {
		denial_set(out, DENIAL_BOGUS, DENIAL_R_NO_RECORDS,
		           DENIAL_EDE_NSEC_MISSING, "no NSEC records of zone %s",
		           dns_name_str(q->zone, zb));
		return false;
	}
	return true;
}

static enum denial_verdict nodata_types(const denial_query *q,
                                        const struct nsec *m,
                                        denial_result *out)
{
	return denial_nodata_types(q, &m->rr->owner, "NSEC", m->bitmap,
	                           m->bmlen, out);
}

enum denial_verdict nsec_prove_nodata(const denial_query *q,
                                      const dns_rr *rrs, size_t n,
                                      denial_result *out)
{
	struct nsec_set s;
	if (!start(q, rrs, n, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX], ob[DNS_NAME_TEXT_MAX], wb[DNS_NAME_TEXT_MAX];

	const struct nsec *m = find_match(&s, q->qname);
	if (m)
		return nodata_types(q, m, out);

	const struct nsec *c = find_cover(&s, q->qname);
	if (!c)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "no NSEC matches or covers %s",
		                  dns_name_str(q->qname, qb));
	/* RFC 4035 §3.1.3.2: an empty non-terminal has no NSEC of its own;
	 * the NSEC covering it points to a name below it. */
	if (denial_strictly_below(&c->next, q->qname))
		return denial_ok(out);

	/* wildcard NODATA: qname does not exist, *.ce exists without qtype */
	dns_name ce, wc;
	closest_encloser(c, q->qname, &ce);
	out->have_encloser = true;
	out->closest_encloser = ce;
	const struct nsec *w = denial_wildcard_of(&ce, &wc) ? find_match(&s, &wc)
	                                                    : NULL;
	if (!w)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "NSEC at %s shows %s does not exist, and no NSEC "
		                  "matches the wildcard *.%s",
		                  dns_name_str(&c->rr->owner, ob),
		                  dns_name_str(q->qname, qb), dns_name_str(&ce, wb));
	return nodata_types(q, w, out);
}

enum denial_verdict nsec_prove_nxdomain(const denial_query *q,
                                        const dns_rr *rrs, size_t n,
                                        denial_result *out)
{
	struct nsec_set s;
	if (!start(q, rrs, n, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX], ob[DNS_NAME_TEXT_MAX], wb[DNS_NAME_TEXT_MAX];

	if (find_match(&s, q->qname))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS, "an NSEC shows %s exists",
		                  dns_name_str(q->qname, qb));
	const struct nsec *c = find_cover(&s, q->qname);
	if (!c)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING, "no NSEC covers %s",
		                  dns_name_str(q->qname, qb));
	if (denial_strictly_below(&c->next, q->qname))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "%s is an empty non-terminal (NSEC at %s points "
		                  "below it), not a name error",
		                  dns_name_str(q->qname, qb),
		                  dns_name_str(&c->rr->owner, ob));

	dns_name ce, wc;
	closest_encloser(c, q->qname, &ce);
	out->have_encloser = true;
	out->closest_encloser = ce;
	if (!denial_wildcard_of(&ce, &wc))
		return denial_ok(out); /* no wildcard name fits in 255 octets */
	if (find_match(&s, &wc))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_WILDCARD_NOT_DENIED,
		                  DENIAL_EDE_BOGUS,
		                  "an NSEC shows the wildcard %s exists",
		                  dns_name_str(&wc, wb));
	if (!find_cover(&s, &wc))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_WILDCARD_NOT_DENIED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "no NSEC covers the wildcard %s",
		                  dns_name_str(&wc, wb));
	return denial_ok(out);
}

enum denial_verdict nsec_prove_wildcard(const denial_query *q,
                                        unsigned rrsig_labels,
                                        const dns_rr *rrs, size_t n,
                                        denial_result *out)
{
	denial_result_reset(out);
	char qb[DNS_NAME_TEXT_MAX], ob[DNS_NAME_TEXT_MAX], wb[DNS_NAME_TEXT_MAX];
	unsigned ql = dns_name_labels(q->qname);
	if (rrsig_labels > ql)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_BAD_INPUT,
		                  DENIAL_EDE_BOGUS,
		                  "RRSIG labels %u exceed the %u labels of %s",
		                  rrsig_labels, ql, dns_name_str(q->qname, qb));
	/* not an expansion: the owner itself, or the literal "*" name */
	if (rrsig_labels == ql ||
	    (rrsig_labels + 1 == ql && q->qname->wire[0] == 1 &&
	     q->qname->wire[1] == '*'))
		return denial_ok(out);

	struct nsec_set s;
	if (!start(q, rrs, n, &s, out))
		return out->verdict;
	dns_name parent;
	denial_name_suffix(q->qname, rrsig_labels, &parent);
	if (find_match(&s, q->qname))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "an NSEC shows %s exists: no wildcard applies",
		                  dns_name_str(q->qname, qb));
	const struct nsec *c = find_cover(&s, q->qname);
	if (!c)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "no NSEC covers %s for the wildcard *.%s",
		                  dns_name_str(q->qname, qb),
		                  dns_name_str(&parent, wb));
	dns_name ce;
	closest_encloser(c, q->qname, &ce);
	out->have_encloser = true;
	out->closest_encloser = ce;
	if (denial_strictly_below(&c->next, q->qname) ||
	    !dns_name_equal(&ce, &parent))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NAME_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "NSEC at %s shows a closer match %s than the "
		                  "wildcard *.%s",
		                  dns_name_str(&c->rr->owner, ob),
		                  dns_name_str(&ce, qb), dns_name_str(&parent, wb));
	return denial_ok(out);
}

enum denial_verdict nsec_prove_insecure_delegation(const denial_query *q,
                                                   const dns_rr *rrs,
                                                   size_t n,
                                                   denial_result *out)
{
	struct nsec_set s;
	if (!start(q, rrs, n, &s, out))
		return out->verdict;
	char qb[DNS_NAME_TEXT_MAX];
	const struct nsec *m = find_match(&s, q->qname);
	if (!m)
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_COVERED,
		                  DENIAL_EDE_NSEC_MISSING,
		                  "no NSEC at the delegation %s",
		                  dns_name_str(q->qname, qb));
	if (!has(m, DNS_T_NS))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_NOT_DELEGATION,
		                  DENIAL_EDE_BOGUS,
		                  "NSEC at %s has no NS: not a delegation",
		                  dns_name_str(q->qname, qb));
	if (has(m, DNS_T_SOA))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_CHILD_SIDE,
		                  DENIAL_EDE_BOGUS,
		                  "NSEC at %s is a zone apex (SOA): not the "
		                  "parent's side of the delegation",
		                  dns_name_str(q->qname, qb));
	if (has(m, DNS_T_DS))
		return denial_set(out, DENIAL_BOGUS, DENIAL_R_DS_EXISTS,
		                  DENIAL_EDE_BOGUS,
		                  "NSEC at %s lists DS: the delegation is signed",
		                  dns_name_str(q->qname, qb));
	return denial_ok(out);
}
