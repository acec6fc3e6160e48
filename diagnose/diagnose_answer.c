/* ward diagnose: the answer, once the walk has reached its zone. Each
 * RRset of the CNAME/DNAME chain is checked with the keys of its own zone
 * (RFC 4035 5.3; a DNAME's synthesised CNAME is unsigned, the DNAME is
 * what counts, RFC 6672 5.3.1), a wildcard expansion needs its proof of no
 * closer match (RFC 4035 5.3.4, RFC 5155 8.8), a negative answer its
 * NSEC/NSEC3 denial (RFC 4035 5.4, RFC 5155 8). A CNAME target missing from
 * the response (an authoritative server's) is asked for; a loop is no
 * answer at all (RFC 1034 3.6.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "diagnose_int.h"

/* ---- the answer ---- */

static struct diag_link *link_new(struct diag_model *m)
{
	if (m->nlinks >= DIAG_MAX_LINKS)
		return NULL;
	struct diag_link *l = &m->links[m->nlinks++];
	memset(l, 0, sizeof *l);
	l->ede = DIAG_NO_EDE;
	return l;
}

static void link_set(struct wctx *c, struct diag_link *l, enum diag_zstate st,
                     uint16_t ede, const char *why)
{
	l->state = st;
	l->ede = ede;
	snprintf(l->why, sizeof l->why, "%s", why);
	dw_brk(c, st, ede, why);
}

/* Validate one answer RRset (owner, type) of the response. */
static int link_check(struct wctx *c, const struct resp *r,
                      const dns_name *owner, uint16_t type)
{
	struct diag_model *m = c->m;
	struct diag_link *l = link_new(m);
	if (!l)
		return -1;
	dw_collect(m, &r->msg, DNS_SEC_ANSWER, owner, type, &l->set);
	int zi = dw_walk_to(c, owner);
	if (zi < 0)
		return zi;
	l->zone = zi;
	const struct diag_zone *z = &m->zones[zi];
	if (z->state != DIAG_Z_SECURE) {
		l->state = z->state; /* the break is the zone's */
		l->ede = z->ede;
		dw_check_sigs(c, &l->set, z->dnskey.rr, z->dnskey.n);
		return 0;
	}
	dnssec_verdict v;
	if (dw_verify_set(c, &l->set, z->dnskey.rr, z->dnskey.n, &v) != DNSSEC_SECURE) {
		link_set(c, l, DIAG_Z_BOGUS, v.ede, v.text);
		return 0;
	}
	if (!v.wildcard)
		return 0;
	/* an expansion: prove no closer match (RFC 4035 5.3.4) */
	dnssec_rrsig p;
	unsigned labels = 0;
	if (!dnssec_rrsig_parse(l->set.sig[v.sig_index].rdata,
	                        l->set.sig[v.sig_index].rdlen, &p))
		labels = p.labels;
	dns_rr use[DIAG_MAX_PROOF];
	dnssec_verdict bad;
	bool failed;
	size_t nuse = dw_proof_records(c, &r->msg, z, &l->wild, use, &bad, &failed);
	enum denial_verdict dv = dw_prove(c, &l->wild, P_WILDCARD, owner, type,
	                               &z->name, labels, use, nuse);
	char why[DIAG_TEXT_MAX], nb[DNS_NAME_TEXT_MAX];
	if (failed) {
		link_set(c, l, DIAG_Z_BOGUS, bad.ede, bad.text);
	} else if (dv == DENIAL_BOGUS) {
		snprintf(why, sizeof why, "wildcard answer %.200s: %.280s",
		         dns_name_str(owner, nb), l->wild.result.why);
		link_set(c, l, DIAG_Z_BOGUS, dw_denial_ede(&l->wild.result), why);
	} else if (dv == DENIAL_INSECURE) {
		snprintf(why, sizeof why, "wildcard answer %.200s: %.280s",
		         dns_name_str(owner, nb), l->wild.result.why);
		link_set(c, l, DIAG_Z_INSECURE, dw_denial_ede(&l->wild.result), why);
	}
	return 0;
}

/* The denial of (name, qtype) in the final response. */
static int denial_check(struct wctx *c, const struct resp *r,
                        const dns_name *name, uint16_t qtype)
{
	struct diag_model *m = c->m;
	int zi = dw_walk_to(c, name);
	if (zi < 0)
		return zi;
	m->denial_zone = zi;
	const struct diag_zone *z = &m->zones[zi];
	if (z->state != DIAG_Z_SECURE)
		return 0;
	dns_rr use[DIAG_MAX_PROOF];
	dnssec_verdict bad;
	bool failed;
	bool nx = dns_msg_rcode(&r->msg) == DNS_RCODE_NXDOMAIN;
	size_t nuse = dw_proof_records(c, &r->msg, z, &m->denial, use, &bad, &failed);
	enum denial_verdict dv = dw_prove(c, &m->denial, nx ? P_NXDOMAIN : P_NODATA,
	                               name, qtype, &z->name, 0, use, nuse);
	char why[DIAG_TEXT_MAX], nb[DNS_NAME_TEXT_MAX], tb[16];
	if (failed) {
		snprintf(why, sizeof why, "the denial of %.200s %s: %.250s",
		         dns_name_str(name, nb), dns_type_str(qtype, tb), bad.text);
		dw_brk(c, DIAG_Z_BOGUS, bad.ede, why);
	} else if (dv != DENIAL_SECURE) {
		snprintf(why, sizeof why, "%s %.200s %s: %.280s", nx ? "NXDOMAIN" : "NODATA",
		         dns_name_str(name, nb), dns_type_str(qtype, tb),
		         m->denial.result.why);
		dw_brk(c, dv == DENIAL_BOGUS ? DIAG_Z_BOGUS : DIAG_Z_INSECURE,
		    dw_denial_ede(&m->denial.result), why);
	}
	return 0;
}

static bool rrset_in(const dns_msg *msg, const dns_name *owner, uint16_t type,
                     dns_rr *first)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, msg, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1) {
		static uint8_t tmp[DNS_MSG_MAXLEN];
		if (v.type != type || dns_rr_view_to_rr(msg, &v, first, tmp, sizeof tmp))
			continue;
		if (dns_name_equal(&first->owner, owner))
			return true;
	}
	return false;
}

/* A DNAME at an ancestor of name in the answer: its owner and the
 * synthesised target. */
static bool dname_for(const dns_msg *msg, const dns_name *name, dns_name *owner,
                      dns_name *target)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, msg, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1) {
		static uint8_t tmp[DNS_MSG_MAXLEN];
		dns_rr rr;
		dns_name dt;
		if (v.type != DNS_T_DNAME || dns_rr_view_to_rr(msg, &v, &rr, tmp, sizeof tmp) ||
		    !dns_name_is_subdomain(name, &rr.owner) ||
		    dns_name_equal(name, &rr.owner) ||
		    dns_name_from_wire(&dt, rr.rdata, rr.rdlen) < 0)
			continue;
		size_t plen = name->len - rr.owner.len;
		if (dns_name_concat(target, name->wire, plen, &dt))
			return false;
		*owner = rr.owner;
		return true;
	}
	return false;
}

/* Does the response speak about name: a record owned by it in the
 * answer, a DNAME above it, or an SOA in the authority section of a zone
 * that holds it (a denial)? */
static bool about(const dns_msg *msg, const dns_name *name)
{
	dns_rr_iter it;
	dns_rr_view v;
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_AUTHORITY; s++) {
		dns_rr_iter_init(&it, msg, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v) == 1) {
			dns_name o;
			if (dns_rr_view_owner(msg, &v, &o))
				continue;
			if (s == DNS_SEC_ANSWER && (dns_name_equal(&o, name) ||
			    (v.type == DNS_T_DNAME && dns_name_is_subdomain(name, &o))))
				return true;
			if (s == DNS_SEC_AUTHORITY && v.type == DNS_T_SOA &&
			    dns_name_is_subdomain(name, &o))
				return true;
		}
	}
	return false;
}

/* A CNAME loop in the answer (its targets asked for when the response
 * does not hold them): no answer at all, whatever the signatures say. */
int dw_loop_check(struct wctx *c)
{
	struct diag_model *m = c->m;
	dns_name name = m->qname, seen[DIAG_MAX_LINKS];
	size_t nseen = 0;
	struct resp r;
	uint16_t qt = m->qtype;
	int rc = dw_ask(c, &name, qt, &r);
	if (rc != DIAG_FETCH_OK)
		return rc == WARD_ENOMEM ? rc : 0;
	if (dns_msg_rcode(&r.msg) == DNS_RCODE_SERVFAIL && qt != DNS_T_CNAME) {
		/* a resolver gives up on a loop: follow the CNAMEs one by one */
		dw_resp_free(&r);
		qt = DNS_T_CNAME;
		if ((rc = dw_ask(c, &name, qt, &r)) != DIAG_FETCH_OK)
			return rc == WARD_ENOMEM ? rc : 0;
	}
	for (unsigned step = 0; step < 2 * DIAG_MAX_LINKS; step++) {
		for (size_t i = 0; i < nseen; i++)
			if (dns_name_equal(&seen[i], &name)) {
				char nb[DNS_NAME_TEXT_MAX], why[DIAG_TEXT_MAX];
				snprintf(why, sizeof why, "the CNAME chain loops back to "
				         "%s (RFC 1034 3.6.2): no answer",
				         dns_name_str(&name, nb));
				/* EDE 0 (Other): no RFC 8914 code names a loop */
				dw_brk(c, DIAG_Z_INDETERMINATE, 0, why);
				dw_resp_free(&r);
				return 0;
			}
		if (nseen == DIAG_MAX_LINKS)
			break;
		seen[nseen++] = name;
		dns_rr first;
		if ((m->qtype == DNS_T_CNAME && qt == m->qtype) ||
		    !rrset_in(&r.msg, &name, DNS_T_CNAME, &first))
			break;
		dns_name next;
		if (dns_name_from_wire(&next, first.rdata, first.rdlen) < 0)
			break;
		name = next;
		if (!about(&r.msg, &name) || qt == DNS_T_CNAME) {
			dw_resp_free(&r);
			if ((rc = dw_ask(c, &name, qt, &r)) != DIAG_FETCH_OK)
				return rc == WARD_ENOMEM ? rc : 0;
		}
	}
	dw_resp_free(&r);
	return 0;
}

int dw_answer_check(struct wctx *c)
{
	struct diag_model *m = c->m;
	char nb[DNS_NAME_TEXT_MAX], tb[16], why[DIAG_TEXT_MAX];
	struct resp r;
	int rc = dw_ask(c, &m->qname, m->qtype, &r);
	if (rc == WARD_ENOMEM)
		return rc;
	if (rc != DIAG_FETCH_OK) {
		snprintf(why, sizeof why, "%s %s: %s", dns_name_str(&m->qname, nb),
		         dns_type_str(m->qtype, tb), rc == DIAG_FETCH_NONE
		         ? "not in the capture" : "no response (no reachable authority)");
		dw_brk(c, DIAG_Z_INDETERMINATE, 22, why);
		return 0;
	}
	m->answered = true;
	m->rcode = dns_msg_rcode(&r.msg);
	if (m->rcode != DNS_RCODE_NOERROR && m->rcode != DNS_RCODE_NXDOMAIN) {
		snprintf(why, sizeof why, "%s %s: %s from the server",
		         dns_name_str(&m->qname, nb), dns_type_str(m->qtype, tb),
		         dns_rcode_name(m->rcode));
		dw_brk(c, DIAG_Z_INDETERMINATE, 22, why);
		dw_resp_free(&r);
		return 0;
	}
	dns_name name = m->qname, seen[DIAG_MAX_LINKS];
	size_t nseen = 0;
	int e = 0;
	for (unsigned step = 0; step < DIAG_MAX_LINKS && !e; step++) {
		dns_rr first;
		for (size_t i = 0; i < nseen; i++)
			if (dns_name_equal(&seen[i], &name)) {
				snprintf(why, sizeof why, "the CNAME chain loops back to "
				         "%s (RFC 1034 3.6.2): no answer",
				         dns_name_str(&name, nb));
				/* EDE 0 (Other): no RFC 8914 code names a loop */
				dw_brk(c, DIAG_Z_INDETERMINATE, 0, why);
				dw_resp_free(&r);
				return 0;
			}
		seen[nseen++] = name;
		if (rrset_in(&r.msg, &name, m->qtype, &first)) {
			e = link_check(c, &r, &name, m->qtype);
			break;
		}
		dns_name downer, target;
		if (dname_for(&r.msg, &name, &downer, &target)) {
			/* the synthesised CNAME is unsigned; the DNAME is checked
			 * (RFC 6672 5.3.1) */
			if ((e = link_check(c, &r, &downer, DNS_T_DNAME)))
				break;
			name = target;
			continue;
		}
		if (m->qtype != DNS_T_CNAME && rrset_in(&r.msg, &name, DNS_T_CNAME, &first)) {
			dns_name next;
			if ((e = link_check(c, &r, &name, DNS_T_CNAME)) ||
			    dns_name_from_wire(&next, first.rdata, first.rdlen) < 0)
				break;
			name = next;
			continue;
		}
		if (nseen > 1 && !about(&r.msg, &name)) {
			/* the target is not in this response (an authoritative
			 * server's, offline): ask for it */
			dw_resp_free(&r);
			int rr = dw_ask(c, &name, m->qtype, &r);
			if (rr == WARD_ENOMEM)
				return rr;
			if (rr != DIAG_FETCH_OK) {
				snprintf(why, sizeof why, "%s %s: %s",
				         dns_name_str(&name, nb), dns_type_str(m->qtype, tb),
				         rr == DIAG_FETCH_NONE ? "not in the capture"
				         : "no response (no reachable authority)");
				dw_brk(c, DIAG_Z_INDETERMINATE, 22, why);
				return 0;
			}
			m->rcode = dns_msg_rcode(&r.msg);
			nseen--; /* look at name again in the new response */
			step--;
			continue;
		}
		e = denial_check(c, &r, &name, m->qtype);
		break;
	}
	if (nseen >= DIAG_MAX_LINKS && !e)
		/* EDE 0 (Other), as wardd gives: no RFC 8914 code names it */
		dw_brk(c, DIAG_Z_INDETERMINATE, 0, "the CNAME chain is too long");
	dw_resp_free(&r);
	return e > 0 ? 0 : e;
}

