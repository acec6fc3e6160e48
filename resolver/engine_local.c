/* ward resolver: local data (resolver/localdata.h, dnsmasq semantics) in
 * front of the cache and the upstreams for every client query.
 *
 * - LOCAL_ANSWER / NODATA / NXDOMAIN are answered at once, AA as
 *   localdata says (dnsmasq: set on local answers and bogus-priv, clear
 *   on local=/domain-needed NXDOMAIN), no SOA, TTLs as configured (not
 *   capped by max-ttl: dnsmasq's crec_ttl leaves local records alone).
 * - A more specific server=/sub.domain/ wins over the domain rule that
 *   produced a result (local=, address=, domain-needed, bogus-priv):
 *   dnsmasq keeps them all in one server list and takes the longest
 *   match. Names from hosts/host-record/cname=... always answer.
 * - A local CNAME chain that ends at a name that is not local data is
 *   followed through the normal resolution: the client gets the local
 *   CNAMEs, then what the cache/upstreams say about the target. A target
 *   that is local but lacks the type keeps dnsmasq's answer (the CNAME
 *   alone); a target under address=/local= takes that rule's answer.
 * See docs/resolver.md "Local data". */
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine_int.h"

/* A more specific forwarding rule overrides a domain-rule result. */
static bool fwd_wins(const res_engine *e, const dns_name *name,
                     const struct local_result *r)
{
	if (!r->from_rule || e->cfg.mode != RES_MODE_FORWARD)
		return false;
	const struct res_forwarder *f = eng_fwd_longest(e, name);
	return f && dns_name_labels(&f->domain) > r->rule_labels;
}

/* Local result for name/type, NOT_LOCAL when a forwarder overrides it. */
static int lookup(const res_engine *e, const dns_name *name, uint16_t type,
                  struct local_result *r)
{
	int rc = localdata_answer(e->cfg.local, name, type, r);
	if (rc < 0)
		return rc;
	if (r->kind != LOCAL_NOT_LOCAL && fwd_wins(e, name, r))
		r->kind = LOCAL_NOT_LOCAL;
	return 0;
}

static void answer_local(res_engine *e, struct query *q, uint16_t rcode,
                         bool aa, const struct local_result *const *parts,
                         size_t nparts)
{
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = eng_answer_start(e, q, &b, rcode);
	if (!buf)
		return;
	if (aa)
		dns_mb_set_flags(&b, (uint16_t)(b.flags | DNS_FLAG_AA));
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	for (size_t p = 0; p < nparts; p++)
		for (size_t i = 0; i < parts[p]->n; i++)
			if (dns_mb_rr(&b, DNS_SEC_ANSWER, &parts[p]->rrs[i]) < 0 &&
			    dns_mb_truncated(&b))
				break;
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		eng_answer_error(e, q, DNS_RCODE_SERVFAIL, EDE_OTHER,
		                 "local answer could not be built");
		return;
	}
	e->st.local_answers++;
	eng_emit_answer(e, q, buf, len);
}

static uint16_t kind_rcode(enum local_kind k)
{
	return k == LOCAL_NXDOMAIN ? DNS_RCODE_NXDOMAIN : DNS_RCODE_NOERROR;
}

/* True when the answer is a CNAME chain whose last target had nothing of
 * the type in local data. */
static bool dangling_cname(const struct local_result *r, uint16_t qtype)
{
	if (r->kind != LOCAL_ANSWER || !r->n || qtype == DNS_T_CNAME ||
	    qtype == DNS_T_ANY)
		return false;
	for (size_t i = 0; i < r->n; i++)
		if (r->rrs[i].type != DNS_T_CNAME)
			return false;
	return true;
}

/* Put the local CNAMEs in front of the resolution of their last target. */
static bool follow(struct query *q, const struct local_result *r,
                   const dns_name *target)
{
	if (r->n > RES_MAX_CNAME)
		return false;
	q->chain[0] = q->qname_orig;
	for (size_t i = 0; i < r->n; i++) {
		if (i + 1 < r->n) {
			if (dns_name_from_wire(&q->chain[i + 1], r->rrs[i].rdata,
			                       r->rrs[i].rdlen) < 0)
				return false;
		} else {
			q->chain[i + 1] = *target;
		}
		q->local_ttl[i] = r->rrs[i].ttl;
	}
	q->n_local = (unsigned)r->n;
	q->nchain = (unsigned)r->n + 1;
	return true;
}

/* The CNAME chain in r ends at target, which has nothing of the type in
 * local data: answer from a rule covering target, keep dnsmasq's
 * CNAME-alone answer for a local target, or put the chain in front of
 * the resolution of target. True when answered. */
static bool local_cname_tail(res_engine *e, struct query *q,
                             const struct local_result *r,
                             const dns_name *target)
{
	/* two more results (~10 KB each): off the stack, and only here */
	struct local_result *x = malloc(2 * sizeof(*x));
	if (!x) {
		eng_answer_error(e, q, DNS_RCODE_SERVFAIL, EDE_OTHER,
		                 "out of memory for local data");
		return true;
	}
	bool done = true;
	/* a local name without the type: dnsmasq's CNAME-alone answer
	 * (an ANY probe answers for every name with local records) */
	if (localdata_answer(e->cfg.local, target, DNS_T_ANY, &x[0]) == 0 &&
	    x[0].kind == LOCAL_ANSWER && !x[0].from_rule) {
		const struct local_result *parts[1] = { r };
		answer_local(e, q, DNS_RCODE_NOERROR, r->aa, parts, 1);
	} else if (lookup(e, target, q->qtype, &x[1]) == 0 &&
	           x[1].kind != LOCAL_NOT_LOCAL) {
		/* the target under a rule: the rule answers it */
		const struct local_result *parts[2] = { r, &x[1] };
		answer_local(e, q, kind_rcode(x[1].kind), r->aa && x[1].aa,
		             parts, 2);
	} else {
		/* not local: resolve the target, the CNAMEs go in front */
		done = false;
		if (!follow(q, r, target)) {
			q->nchain = 1;
			q->n_local = 0;
			q->chain[0] = q->qname_orig;
		}
	}
	free(x);
	return done;
}

bool eng_local_answer(res_engine *e, struct query *q, uint64_t now)
{
	(void)now;
	if (!e->cfg.local)
		return false;
	struct local_result r; /* its records point into the store and into r */
	if (lookup(e, &q->qname_orig, q->qtype, &r) < 0 ||
	    r.kind == LOCAL_NOT_LOCAL)
		return false;
	if (!dangling_cname(&r, q->qtype)) {
		const struct local_result *parts[1] = { &r };
		answer_local(e, q, kind_rcode(r.kind), r.aa, parts, 1);
		return true;
	}
	const dns_rr *last = &r.rrs[r.n - 1];
	dns_name target;
	if (dns_name_from_wire(&target, last->rdata, last->rdlen) < 0)
		return false;
	return local_cname_tail(e, q, &r, &target);
}

void eng_local_cname_rr(const struct query *q, unsigned i, dns_rr *rr)
{
	memset(rr, 0, sizeof(*rr));
	rr->owner = i ? q->chain[i] : q->qname_orig;
	rr->type = DNS_T_CNAME;
	rr->rclass = DNS_C_IN;
	rr->ttl = q->local_ttl[i];
	rr->rdlen = q->chain[i + 1].len;
	rr->rdata = q->chain[i + 1].wire;
}
