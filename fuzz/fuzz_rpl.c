/* Fuzz harness: the .rpl scenario loader (replay/), then the matcher and
 * the checker on what it built. Invariants:
 *  - a failed load has a negative code and a "fuzz.rpl..." message;
 *  - every entry's message is at least a header and, unless it holds
 *    records taken unchecked, parses back;
 *  - an entry's own message satisfies its MATCH criteria (except the ones
 *    a message cannot meet by itself: serial, EDE, DO, noedns, cookies, a
 *    qname criterion without a question);
 *  - the reply to its own message as a query builds (or does not fit) and
 *    parses. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "replay/rpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[RPL_PKT_MAX];
static char diff[4096];

static void check_entry(const rpl_scenario *s, const rpl_entry *e)
{
	if (e->npkts == 0)
		__builtin_trap();
	for (size_t i = 0; i < e->npkts; i++) {
		const rpl_packet *p = &e->pkts[i];
		dns_msg m;
		if (p->wire_len < DNS_HEADER_LEN)
			__builtin_trap();
		if (!p->unchecked && dns_msg_parse(&m, p->wire, p->wire_len) != 0)
			__builtin_trap();
		const uint8_t *b;
		size_t n;
		rpl_packet_bytes(p, &b, &n);
		if (!b && n)
			__builtin_trap();
	}
	const rpl_packet *p0 = &e->pkts[0];
	uint32_t skip = RPL_M_SERIAL | RPL_M_EDE | RPL_M_DO | RPL_M_NOEDNS |
	                RPL_M_CLIENT_COOKIE | RPL_M_SERVER_COOKIE;
	uint32_t qbits = RPL_M_QTYPE | RPL_M_QNAME | RPL_M_QCASE | RPL_M_SUBDOMAIN;
	bool noq = p0->count[DNS_SEC_QUESTION] == 0 && (e->match & qbits) &&
	           e->dialect != RPL_DIALECT_DECKARD;
	strbuf sb = strbuf_init(diff, sizeof diff);
	int r = rpl_check_answer(e, p0->wire, p0->wire_len, &sb);
	if (r < 0 && r != WARD_ENOMEM)
		__builtin_trap();
	if (!p0->unchecked && !(e->match & skip) && !noq && r != 0)
		__builtin_trap();
	for (size_t i = 0; i < e->npkts; i++) {
		size_t olen = 0;
		r = rpl_entry_reply(e, i, p0->wire, p0->wire_len, out, sizeof out,
		                    &olen);
		if (r != 0 && r != WARD_ESPACE)
			__builtin_trap();
		dns_msg m;
		if (r == 0 && olen && !e->pkts[i].has_raw && !e->pkts[i].unchecked &&
		    dns_msg_parse(&m, out, olen) != 0)
			__builtin_trap();
	}
	/* the matcher over every range, at the entry's own message */
	rpl_addr any = { 0 };
	for (size_t k = 0; k < s->nranges && k < 4; k++) {
		const rpl_range *rg = &s->ranges[k];
		const rpl_addr *dst = rg->naddrs ? &rg->addrs[0] : &any;
		size_t olen;
		(void)rpl_match_reply(s, rg->first, dst->family ? dst : NULL,
		                      RPL_TRANSPORT_UDP, p0->wire, p0->wire_len, out,
		                      sizeof out, &olen);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer((const char *)data, size, "fuzz.rpl",
	                                  &err);
	if (!s) {
		if (err.code >= 0 || strncmp(err.msg, "fuzz.rpl", 8) != 0)
			__builtin_trap();
		return 0;
	}
	if (s->dialect == RPL_DIALECT_AUTO)
		__builtin_trap();
	size_t budget = 64; /* entries checked per input */
	for (size_t k = 0; k < s->nranges; k++)
		for (size_t i = 0; i < s->ranges[k].nentries && budget; i++, budget--)
			check_entry(s, &s->ranges[k].entries[i]);
	size_t it = 0;
	const rpl_step *st;
	long prev = -1;
	while ((st = rpl_step_next(s, &it)) != NULL) {
		if (st->number <= prev || rpl_step_find(s, st->number) != st)
			__builtin_trap();
		prev = st->number;
		if (st->entry && budget) {
			budget--;
			check_entry(s, st->entry);
		}
	}
	rpl_free(s);
	return 0;
}
