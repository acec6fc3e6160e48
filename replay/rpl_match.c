/* ward replay: finding the entry that answers a query (ranges by step and
 * address, entries by MATCH) and producing the reply with ADJUST applied. */
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "replay/rpl_int.h"

static bool range_serves(const rpl_range *rg, long step, const rpl_addr *dst)
{
	if (step < rg->first || step > rg->last)
		return false;
	if (!rg->naddrs || !dst)
		return true;
	for (size_t i = 0; i < rg->naddrs; i++)
		if (rpl_addr_equal(&rg->addrs[i], dst))
			return true;
	return false;
}

const rpl_entry *rpl_match_query(const rpl_scenario *s, long step,
                                 const rpl_addr *dst, enum rpl_transport t,
                                 const uint8_t *query, size_t qlen,
                                 const rpl_range **range_out)
{
	if (range_out)
		*range_out = NULL;
	if (!s || (!query && qlen))
		return NULL;
	rpl_matcher *mt = rpl_matcher_new(query, qlen);
	if (!mt)
		return NULL;
	const rpl_entry *found = NULL;
	/* testbound puts each new range at the head of its list: the last
	 * range of the file is tried first. Deckard keeps file order. */
	bool reverse = s->dialect != RPL_DIALECT_DECKARD;
	for (size_t k = 0; k < s->nranges && !found; k++) {
		const rpl_range *rg = &s->ranges[reverse ? s->nranges - 1 - k : k];
		if (!range_serves(rg, step, dst))
			continue;
		for (size_t i = 0; i < rg->nentries; i++) {
			if (rpl_matcher_check(mt, &rg->entries[i], t, NULL) == 0) {
				found = &rg->entries[i];
				if (range_out)
					*range_out = rg;
				break;
			}
		}
	}
	rpl_matcher_free(mt);
	return found;
}

/* Length of the first question at offset 12, 0 when there is none or it
 * does not parse. */
static size_t question_len(const uint8_t *pkt, size_t len)
{
	if (len < DNS_HEADER_LEN || (pkt[4] == 0 && pkt[5] == 0))
		return 0;
	wire_rd rd = wire_rd_init(pkt, len);
	rd.pos = DNS_HEADER_LEN;
	dns_name_skip(&rd);
	wire_rd_skip(&rd, 4);
	return rd.err ? 0 : rd.pos - DNS_HEADER_LEN;
}

/* testbound's copy_query on raw bytes: the query's first question replaces
 * (or is inserted as) the reply's. Unchanged when either does not parse. */
static int splice_question(uint8_t *out, size_t cap, size_t *outlen,
                           const uint8_t *query, size_t qlen)
{
	size_t qq = question_len(query, qlen);
	if (!qq || *outlen < DNS_HEADER_LEN)
		return 0;
	size_t rq = 0;
	bool insert = out[4] == 0 && out[5] == 0;
	if (!insert && !(rq = question_len(out, *outlen)))
		return 0;
	size_t newlen = *outlen - rq + qq;
	if (newlen > cap)
		return WARD_ESPACE;
	memmove(out + DNS_HEADER_LEN + qq, out + DNS_HEADER_LEN + rq,
	        *outlen - DNS_HEADER_LEN - rq);
	memcpy(out + DNS_HEADER_LEN, query + DNS_HEADER_LEN, qq);
	if (insert) {
		out[4] = 0;
		out[5] = 1;
	}
	*outlen = newlen;
	return 0;
}

/* copy_ednsdata_assume_clientsubnet: the query's EDNS options, with the
 * ECS scope prefix set to the source prefix (plus one with
 * increment_ecs_scope). */
static size_t ecs_options(const dns_msg *q, bool inc, uint8_t *buf, size_t cap)
{
	edns_info ei;
	if (edns_from_msg(q, &ei) < 0 || ei.opts_len > cap)
		return 0;
	memcpy(buf, ei.opts, ei.opts_len);
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, buf, ei.opts_len);
	while (edns_opt_iter_next(&it, &o) == 1) {
		if (o.code != EDNS_OPT_ECS || o.len < 4)
			continue;
		uint8_t *d = buf + (o.data - buf);
		unsigned scope = d[2] + (inc ? 1u : 0u);
		d[3] = (uint8_t)(scope > 255 ? 255 : scope);
	}
	return ei.opts_len;
}

int rpl_entry_reply(const rpl_entry *e, size_t index, const uint8_t *query,
                    size_t qlen, uint8_t *out, size_t cap, size_t *outlen)
{
	if (!e || !out || !outlen || index >= e->npkts || (!query && qlen))
		return WARD_EINVAL;
	*outlen = 0;
	if (e->adjust & RPL_A_DO_NOT_ANSWER)
		return 0;
	const rpl_packet *pkt = &e->pkts[index];
	bool copy_id = (e->adjust & RPL_A_COPY_ID) && qlen >= 2;

	if (pkt->has_raw) {
		if (pkt->raw_len > cap)
			return WARD_ESPACE;
		memcpy(out, pkt->raw, pkt->raw_len);
		*outlen = pkt->raw_len;
		if ((e->adjust & RPL_A_COPY_QUERY) && query &&
		    e->dialect != RPL_DIALECT_DECKARD) {
			int r = splice_question(out, cap, outlen, query, qlen);
			if (r < 0)
				return r;
		}
		if ((copy_id || ((e->adjust & RPL_A_RAW_ID) && qlen >= 2)) &&
		    *outlen >= 2) {
			out[0] = query[0];
			out[1] = query[1];
		}
		return 0;
	}

	rpl_build_over ov;
	memset(&ov, 0, sizeof ov);
	if (copy_id) {
		ov.set_id = true;
		ov.id = (uint16_t)(query[0] << 8 | query[1]);
	}
	dns_msg qm;
	bool qok = false;
	if (query && (e->adjust & (RPL_A_COPY_ID | RPL_A_COPY_QUERY |
	                           RPL_A_COPY_ECS))) {
		int r = dns_msg_parse(&qm, query, qlen);
		qok = r == 0 || r == WARD_ETRAILING;
	}
	dns_name qname;
	uint16_t qtype, qclass;
	bool have_q = qok && dns_msg_question(&qm, &qname, &qtype, &qclass) == 0;
	if ((e->adjust & RPL_A_COPY_QUERY) && have_q) {
		ov.set_question = true;
		ov.qname = qname;
		ov.qtype = qtype;
		ov.qclass = qclass;
	} else if (e->dialect == RPL_DIALECT_DECKARD && copy_id && have_q &&
	           pkt->count[DNS_SEC_QUESTION]) {
		/* Deckard's copy_id also copies the query name's letter case */
		const dns_rr *q0 = &pkt->rrs[DNS_SEC_QUESTION][0].rr;
		ov.set_question = true;
		ov.qname = qname;
		ov.qtype = q0->type;
		ov.qclass = q0->rclass;
	}
	if (e->dialect == RPL_DIALECT_DECKARD && qok &&
	    (e->adjust & (RPL_A_COPY_ID | RPL_A_COPY_QUERY))) {
		/* Deckard answers with the query's EDNS version and flags */
		edns_info qe;
		ov.set_edns = true;
		ov.edns = edns_from_msg(&qm, &qe) == 0;
		ov.udp_size = pkt->udp_size;
		ov.edns_version = ov.edns ? qe.version : 0;
		ov.edns_flags = ov.edns ? qe.flags : 0;
		ov.opts = pkt->has_ednsdata ? pkt->ednsdata : NULL;
		ov.opts_len = pkt->has_ednsdata ? pkt->ednsdata_len : 0;
	}
	uint8_t ecs[DNS_MB_OPT_MAX];
	if ((e->adjust & RPL_A_COPY_ECS) && qok && qm.has_opt) {
		ov.set_edns = true;
		ov.edns = true;
		ov.udp_size = pkt->udp_size;
		ov.edns_version = pkt->edns_version;
		ov.edns_flags = pkt->edns_flags;
		ov.opts = ecs;
		ov.opts_len = ecs_options(&qm, (e->adjust & RPL_A_INC_ECS_SCOPE) != 0,
		                          ecs, sizeof ecs);
	}
	return rpl_packet_build(pkt, &ov, out, cap, outlen);
}

int rpl_match_reply(const rpl_scenario *s, long step, const rpl_addr *dst,
                    enum rpl_transport t, const uint8_t *query, size_t qlen,
                    uint8_t *out, size_t cap, size_t *outlen)
{
	if (outlen)
		*outlen = 0;
	const rpl_entry *e = rpl_match_query(s, step, dst, t, query, qlen, NULL);
	if (!e)
		return WARD_ENOTFOUND;
	return rpl_entry_reply(e, 0, query, qlen, out, cap, outlen);
}
