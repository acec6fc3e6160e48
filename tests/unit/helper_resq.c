/* ward tests: client queries and answers for the engine tests. See .h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "codec/edns.h"
#include "codec/msg_build.h"
#include "helper_resq.h"

size_t resq_build(uint8_t *buf, size_t cap, const char *name, uint16_t qtype,
                  uint16_t qclass, uint16_t flags, int edns_version,
                  bool do_bit)
{
	dns_mb b;
	dns_name qn;
	size_t len = 0;
	if (dns_name_from_text(&qn, name, strlen(name), NULL) < 0 ||
	    dns_mb_init(&b, buf, cap, cap) < 0)
		return 0;
	dns_mb_set_id(&b, 0x1234);
	dns_mb_set_flags(&b, flags);
	if (edns_version >= 0)
		dns_mb_edns(&b, 1232, (uint8_t)edns_version,
		            do_bit ? EDNS_FLAG_DO : 0);
	dns_mb_question(&b, &qn, qtype, qclass);
	if (dns_mb_finish(&b, &len) < 0)
		return 0;
	return len;
}

bool resq_run(struct simnet *n, res_engine *e, uint64_t *clock,
              struct sim_answer *ans, const uint8_t *q, size_t len,
              dns_msg *m)
{
	memset(ans, 0, sizeof(*ans));
	if (res_query_start(e, 0, q, len, false, *clock) < 0)
		return false;
	simnet_run(n, e, clock, ans, 1, 60000);
	if (!ans->got)
		return false;
	return dns_msg_parse(m, ans->buf, ans->len) == 0;
}

unsigned resq_count(const dns_msg *m, enum dns_section s, uint16_t type)
{
	dns_rr_iter it;
	dns_rr_view v;
	unsigned c = 0;
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v) == 1)
		if ((!type || v.type == type) && v.type != DNS_T_OPT)
			c++;
	return c;
}

uint32_t resq_answer_a(const dns_msg *m)
{
	dns_rr_iter it;
	dns_rr_view v;
	uint32_t a = 0;
	dns_rr_iter_init(&it, m, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1)
		if (v.type == DNS_T_A && v.rdlen == 4) {
			const uint8_t *p = m->pkt + v.rdata_off;
			a = RESQ_IP(p[0], p[1], p[2], p[3]);
		}
	return a;
}

uint32_t resq_ttl(const dns_msg *m, enum dns_section s, uint16_t type)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v) == 1)
		if (v.type == type)
			return v.ttl;
	return UINT32_MAX;
}

uint16_t resq_ede(const dns_msg *m, char *text, size_t cap)
{
	edns_info ei;
	if (text && cap)
		text[0] = 0;
	if (edns_from_msg(m, &ei) < 0)
		return 0xffff;
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, ei.opts, ei.opts_len);
	while (edns_opt_iter_next(&it, &o) == 1)
		if (o.code == EDNS_OPT_EDE && o.len >= 2) {
			if (text && cap) {
				size_t tl = o.len - 2u < cap - 1 ? o.len - 2u : cap - 1;
				memcpy(text, o.data + 2, tl);
				text[tl] = 0;
			}
			return (uint16_t)(o.data[0] << 8 | o.data[1]);
		}
	return 0xffff;
}

size_t resq_sent(const struct simnet *n, const char *dst, const char *qname)
{
	size_t c = 0;
	for (size_t i = 0; i < simnet_log_count(n); i++) {
		const struct sim_log *l = simnet_log(n, i);
		if ((!dst || !strcmp(l->dst, dst)) &&
		    (!qname || !strcasecmp(l->qname, qname)))
			c++;
	}
	return c;
}
