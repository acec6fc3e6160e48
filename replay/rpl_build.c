/* ward replay: an entry's message into wire format with the codec's
 * builder, with what ADJUST changes for one reply. */
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg_build.h"
#include "replay/rpl_int.h"

int rpl_packet_build(const rpl_packet *pkt, const rpl_build_over *ov,
                     uint8_t *out, size_t cap, size_t *outlen)
{
	dns_mb b;
	size_t limit = cap < RPL_PKT_MAX ? cap : RPL_PKT_MAX;
	int r = dns_mb_init(&b, out, cap, limit);
	if (r < 0)
		return r;
	dns_mb_set_id(&b, ov && ov->set_id ? ov->id : 0);
	dns_mb_set_flags(&b, pkt->flags);
	if (pkt->flags & DNS_FLAG_TC)
		dns_mb_set_tc(&b);
	dns_mb_set_rcode(&b, pkt->rcode);

	bool edns = pkt->edns;
	const uint8_t *opts = pkt->has_ednsdata ? pkt->ednsdata : NULL;
	size_t opts_len = pkt->has_ednsdata ? pkt->ednsdata_len : 0;
	uint16_t udp = pkt->udp_size, eflags = pkt->edns_flags;
	uint8_t ver = pkt->edns_version;
	if (ov && ov->set_edns) {
		edns = ov->edns;
		opts = ov->opts;
		opts_len = ov->opts_len;
		udp = ov->udp_size;
		eflags = ov->edns_flags;
		ver = ov->edns_version;
	}
	if (edns) {
		r = dns_mb_edns(&b, udp, ver, eflags);
		edns_opt_iter it;
		edns_opt o;
		edns_opt_iter_init(&it, opts, opts_len);
		while (r == 0 && (r = edns_opt_iter_next(&it, &o)) == 1)
			r = dns_mb_edns_option(&b, o.code, o.data, o.len);
		if (r < 0)
			return r;
	}

	size_t nq = pkt->count[DNS_SEC_QUESTION];
	if (ov && ov->set_question) {
		r = dns_mb_question(&b, &ov->qname, ov->qtype, ov->qclass);
		if (r < 0)
			return r;
	}
	for (size_t i = (ov && ov->set_question) ? 1 : 0; i < nq; i++) {
		const dns_rr *q = &pkt->rrs[DNS_SEC_QUESTION][i].rr;
		r = dns_mb_question(&b, &q->owner, q->type, q->rclass);
		if (r < 0)
			return r;
	}
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		for (size_t i = 0; i < pkt->count[s]; i++) {
			r = dns_mb_rr(&b, (enum dns_section)s, &pkt->rrs[s][i].rr);
			if (r < 0)
				return r;
		}
	}
	if (dns_mb_truncated(&b))
		return WARD_ESPACE;
	return dns_mb_finish(&b, outlen);
}

void rpl_packet_bytes(const rpl_packet *p, const uint8_t **bytes, size_t *len)
{
	if (p->has_raw) {
		*bytes = p->raw;
		*len = p->raw_len;
	} else {
		*bytes = p->wire;
		*len = p->wire_len;
	}
}
