/* ward resolver: a reply whose records do not all parse is rebuilt without
 * the records whose rdata does not fit their type (an A record of 3
 * octets, an SVCB with broken SvcParams), as Unbound's scrubber removes
 * them, instead of the whole reply being dropped. Only the rdata of a
 * record may be bad: a broken header, question, name or record framing
 * still makes the reply unusable. */
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine_int.h"

int eng_scrub_reply(res_engine *e, const uint8_t *pkt, size_t len,
                    size_t *outlen)
{
	wire_rd rd = wire_rd_init(pkt, len);
	uint16_t id = wire_rd_u16(&rd);
	uint16_t flags = wire_rd_u16(&rd);
	uint16_t cnt[4];
	for (int i = 0; i < 4; i++)
		cnt[i] = wire_rd_u16(&rd);
	if (rd.err || cnt[0] != 1)
		return WARD_EINVAL;
	dns_name qn;
	if (dns_name_read(&rd, &qn, true) < 0)
		return WARD_EINVAL;
	uint16_t qt = wire_rd_u16(&rd), qc = wire_rd_u16(&rd);
	dns_mb b;
	if (rd.err || dns_mb_init(&b, e->scrub, sizeof(e->scrub),
	                          sizeof(e->scrub)) < 0)
		return WARD_EINVAL;
	dns_mb_set_id(&b, id);
	dns_mb_set_flags(&b, flags);
	uint16_t rcode = DNS_RCODE(flags);
	if (dns_mb_question(&b, &qn, qt, qc) < 0)
		return WARD_EINVAL;
	unsigned dropped = 0;
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		for (unsigned i = 0; i < cnt[s]; i++) {
			dns_rr rr;
			memset(&rr, 0, sizeof(rr));
			if (dns_name_read(&rd, &rr.owner, true) < 0)
				return WARD_EINVAL;
			rr.type = wire_rd_u16(&rd);
			rr.rclass = wire_rd_u16(&rd);
			rr.ttl = wire_rd_u32(&rd);
			uint16_t rdlen = wire_rd_u16(&rd);
			if (rd.err || wire_rd_left(&rd) < rdlen)
				return WARD_EINVAL;
			wire_rd sub = rd;
			size_t olen = 0;
			int r = dns_rdata_unpack(&sub, rr.type, rdlen, e->pool,
			                         sizeof(e->pool), &olen);
			wire_rd_skip(&rd, rdlen);
			if (rr.type == DNS_T_OPT) {
				/* keep EDNS (flags, extended rcode), not its options */
				rcode = (uint16_t)((rr.ttl >> 24) << 4 | rcode);
				dns_mb_edns(&b, rr.rclass, (uint8_t)(rr.ttl >> 16),
				            (uint16_t)rr.ttl);
				continue;
			}
			if (r < 0) {
				dropped++;
				continue;
			}
			rr.rdata = e->pool;
			rr.rdlen = (uint16_t)olen;
			if (dns_mb_rr(&b, (enum dns_section)s, &rr) < 0 &&
			    s != DNS_SEC_ADDITIONAL)
				return WARD_ESPACE;
		}
	}
	if (!dropped)
		return WARD_EINVAL; /* the reply was bad for another reason */
	dns_mb_set_rcode(&b, rcode);
	return dns_mb_finish(&b, outlen);
}
