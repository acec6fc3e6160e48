/* ward resolver: dnsmasq's bogus-nxdomain=IP[/LEN]. Some registries and
 * ISPs answer names that do not exist with the address of a page of
 * theirs (a wildcard); an answer to a client's question holding such an
 * A or AAAA record is turned into NXDOMAIN, as dnsmasq 2.90 does: no
 * records, EDE 15 (Blocked) naming the address; the name is then cached
 * as NXDOMAIN for that record's TTL (dnsmasq too: every type of the name
 * is NXDOMAIN meanwhile; those answers from the cache carry no EDE). */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>

#include "resolver/engine_int.h"

/* The first A/AAAA record of the answer section with an address in one of
 * the configured prefixes, or NULL. */
static const dns_rr *bogus_record(const res_engine *e, size_t nrr)
{
	for (size_t i = 0; i < nrr; i++) {
		const dns_rr *r = &e->rrs[i];
		uint8_t fam = r->type == DNS_T_A && r->rdlen == 4 ? 4
		              : r->type == DNS_T_AAAA && r->rdlen == 16 ? 6 : 0;
		if (e->rsec[i] != DNS_SEC_ANSWER || !fam)
			continue;
		for (size_t k = 0; k < e->cfg.n_bogus_nx; k++)
			if (eng_in_prefix(&e->cfg.bogus_nx[k], fam, r->rdata))
				return r;
	}
	return NULL;
}

bool eng_bogus_nx(res_engine *e, struct query *q, size_t nrr,
                  uint64_t now_s)
{
	/* only the reply to the client's own question (not a minimised
	 * step, not a name server's address) */
	if (!e->cfg.n_bogus_nx || q->depth || q->sent_type != q->qtype ||
	    !dns_name_equal(&q->sent_name, &q->chain[q->nchain - 1]))
		return false;
	const dns_rr *r = bogus_record(e, nrr);
	if (!r)
		return false;
	char ip[INET6_ADDRSTRLEN] = "?", text[96];
	inet_ntop(r->type == DNS_T_A ? AF_INET : AF_INET6, r->rdata, ip,
	          sizeof ip);
	snprintf(text, sizeof text, "%s is a bogus-nxdomain address", ip);
	/* not validated (there is nothing to validate): insecure, so that a
	 * validating engine does not judge the entry bogus for want of a
	 * denial proof */
	struct cache_put p = { .kind = CACHE_NXDOMAIN, .owner = &q->sent_name,
	                       .type = q->sent_type, .rclass = DNS_C_IN,
	                       .ttl = eng_ttl_negative(e, true, r->ttl),
	                       .status = VAL_INSECURE, .rank = RANK_ANSWER };
	cache_put(e->cache, &p, now_s);
	q->waiting = false;
	e->st.bogus_nx++;
	eng_answer_error(e, q, DNS_RCODE_NXDOMAIN, EDE_BLOCKED, text);
	return true;
}
