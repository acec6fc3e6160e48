/* ward resolver: blocklists (resolver/blocklist.h) for client queries,
 * after local data and before the cache and the upstreams.
 *
 * Order, weighed against dnsmasq and Pi-hole: Pi-hole's FTL consults its
 * gravity lists inside dnsmasq's forwarding path, after dnsmasq's own
 * configuration (hosts files, address=, local=) has had its say, so a
 * name the administrator configured locally answers even when a list
 * names it; the cache is not consulted first, so a name blocked after it
 * was cached is blocked at once. ward does the same.
 *
 * The answer (docs/blocklists.md): blocklist-mode=null (the default, as
 * Pi-hole's NULL mode): A 0.0.0.0, AAAA ::, NOERROR without records for
 * other types; blocklist-mode=nxdomain: NXDOMAIN for every type. No SOA;
 * AA set (a locally made answer, as dnsmasq and Pi-hole set it); EDE 15
 * "Blocked" (RFC 8914 §4.16) when the client sent EDNS. A CNAME chain
 * from the upstreams that reaches a blocked name gets the same answer
 * (eng_blocked_cname), as Pi-hole's CNAME inspection does. */
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/msg_build.h"
#include "resolver/blocklist.h"
#include "resolver/engine_int.h"

#define BLOCKED_TEXT "blocked by a blocklist"

/* Answer q as blocked. */
static void answer_blocked(res_engine *e, struct query *q)
{
	bool nx = e->cfg.blocklist_nxdomain;
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = eng_answer_start(e, q, &b, nx ? DNS_RCODE_NXDOMAIN
	                                             : DNS_RCODE_NOERROR);
	if (!buf)
		return;
	dns_mb_set_flags(&b, (uint16_t)(b.flags | DNS_FLAG_AA));
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	if (q->c_edns && !e->cfg.no_ede)
		dns_mb_edns_ede(&b, EDE_BLOCKED, BLOCKED_TEXT,
		                strlen(BLOCKED_TEXT));
	static const uint8_t zero[16];
	if (!nx && (q->qtype == DNS_T_A || q->qtype == DNS_T_AAAA)) {
		dns_rr rr;
		memset(&rr, 0, sizeof rr);
		rr.owner = q->qname_orig;
		rr.type = q->qtype;
		rr.rclass = DNS_C_IN;
		rr.ttl = e->cfg.blocklist_ttl;
		rr.rdlen = q->qtype == DNS_T_A ? 4 : 16;
		rr.rdata = zero;
		dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
	}
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		eng_answer_error(e, q, DNS_RCODE_SERVFAIL, EDE_OTHER,
		                 "blocked answer could not be built");
		return;
	}
	e->st.blocked++;
	unsigned queued = e->a_n;
	eng_emit_answer(e, q, buf, len);
	if (e->a_n > queued) /* pushed: mark it for the caller (query log) */
		e->acts[(e->a_head + e->a_n - 1) % RES_MAX_ACTIONS].blocked = true;
}

bool eng_blocked(res_engine *e, struct query *q)
{
	if (!e->cfg.blocklist || q->qclass != DNS_C_IN)
		return false;
	if (blocklist_check(e->cfg.blocklist, &q->qname_orig) != BL_BLOCKED)
		return false;
	answer_blocked(e, q);
	return true;
}

/* CNAME inspection (Pi-hole's "deep CNAME inspection"): a chain that
 * reaches a blocked name is blocked, unless the name asked is on an
 * allow-list. */
bool eng_blocked_cname(res_engine *e, struct query *q, const dns_name *target)
{
	if (!e->cfg.blocklist || q->internal)
		return false;
	if (blocklist_check(e->cfg.blocklist, target) != BL_BLOCKED ||
	    blocklist_check(e->cfg.blocklist, &q->qname_orig) == BL_ALLOWED)
		return false;
	answer_blocked(e, q);
	return true;
}
