/* ward: filter-A / filter-AAAA / filter-rr on answers
 * (resolver/answer_filter.h). */
#include <stdlib.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/rr.h"
#include "resolver/answer_filter.h"

#define EDE_FILTERED 17              /* RFC 8914 §4.18 */

static bool listed(const struct answer_filter *f, uint16_t t)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->types[i] == t)
			return true;
	return false;
}

bool answer_filter_drops(const struct answer_filter *f, uint16_t qtype,
                         uint16_t type, uint16_t covered)
{
	if (qtype == DNS_T_ANY && f->any) {
		/* RFC 8482 §4.3, as dnsmasq: everything but these goes (the
		 * RRSIGs too) */
		return type != DNS_T_A && type != DNS_T_AAAA &&
		       type != DNS_T_MX && type != DNS_T_CNAME;
	}
	return listed(f, type) || (type == DNS_T_RRSIG && listed(f, covered));
}

/* The type an RRSIG view covers (its first two rdata octets), else 0. */
static uint16_t covered_type(const dns_msg *m, const dns_rr_view *v)
{
	if (v->type != DNS_T_RRSIG || v->rdlen < 2)
		return 0;
	return (uint16_t)(m->pkt[v->rdata_off] << 8 | m->pkt[v->rdata_off + 1]);
}

/* Copy the records of section s (all but the dropped answers, never the
 * OPT record) into b. */
static int copy_section(const struct answer_filter *f, uint16_t qtype,
                        const dns_msg *m, enum dns_section s, dns_mb *b,
                        uint8_t *scratch)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v)) {
		if (v.type == DNS_T_OPT)
			continue;
		if (s == DNS_SEC_ANSWER &&
		    answer_filter_drops(f, qtype, v.type, covered_type(m, &v)))
			continue;
		dns_rr rr;
		int r = dns_rr_view_to_rr(m, &v, &rr, scratch, DNS_RDATA_MAX);
		if (r < 0)
			return r;
		if ((r = dns_mb_rr(b, s, &rr)) < 0)
			return r;
	}
	return 0;
}

static int rebuild(const struct answer_filter *f, const dns_msg *m,
                   uint16_t qtype, uint8_t *out, size_t cap, size_t *out_len,
                   uint8_t *scratch)
{
	dns_name qname;
	uint16_t qt, qclass;
	int r = dns_msg_question(m, &qname, &qt, &qclass);
	if (r < 0)
		return r;
	dns_mb b;
	if ((r = dns_mb_init(&b, out, cap, m->len)) < 0)
		return r;
	dns_mb_set_id(&b, m->id);
	dns_mb_set_flags(&b, m->flags);
	dns_mb_set_rcode(&b, DNS_RCODE_NOERROR);
	if (m->flags & DNS_FLAG_TC)
		dns_mb_set_tc(&b);
	if (m->has_opt) {
		edns_info e;
		if ((r = edns_from_msg(m, &e)) < 0)
			return r;
		dns_mb_edns(&b, e.udp_size, e.version, e.flags);
		edns_opt_iter oi;
		edns_opt o;
		edns_opt_iter_init(&oi, e.opts, e.opts_len);
		while ((r = edns_opt_iter_next(&oi, &o)) == 1)
			if ((r = dns_mb_edns_option(&b, o.code, o.data, o.len)) < 0)
				return r;
		if (r < 0)
			return r;
		/* no text: the answer only shrinks (a record is >= 11
		 * octets, this option 6) */
		if ((r = dns_mb_edns_ede(&b, EDE_FILTERED, NULL, 0)) < 0)
			return r;
	}
	if ((r = dns_mb_question(&b, &qname, qt, qclass)) < 0)
		return r;
	for (enum dns_section s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++)
		if ((r = copy_section(f, qtype, m, s, &b, scratch)) < 0)
			return r;
	return dns_mb_finish(&b, out_len);
}

int answer_filter_apply(const struct answer_filter *f, const uint8_t *pkt,
                        size_t len, uint8_t *out, size_t cap,
                        size_t *out_len)
{
	if (!answer_filter_on(f))
		return 0;
	dns_msg m;
	uint16_t qtype;
	if (dns_msg_parse(&m, pkt, len) < 0 ||
	    dns_msg_rcode(&m) != DNS_RCODE_NOERROR ||
	    dns_msg_question(&m, NULL, &qtype, NULL) < 0)
		return 0;
	bool any = false;
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	while (!any && dns_rr_iter_next(&it, &v))
		any = answer_filter_drops(f, qtype, v.type, covered_type(&m, &v));
	if (!any)
		return 0;
	uint8_t *scratch = malloc(DNS_RDATA_MAX);
	if (!scratch)
		return WARD_ENOMEM;
	int r = rebuild(f, &m, qtype, out, cap, out_len, scratch);
	free(scratch);
	return r < 0 ? r : 1;
}
