/* ward: does a run of bytes look like one DNS message? Only used to find a
 * message boundary again in a TCP stream after bytes went missing; messages
 * found in step are handed out whatever they hold. */
#include "capture_int.h"
#include "cursor.h"
#include "name.h"

#define DNS_HDR 12
#define MIN_QUESTION 5   /* root name + type + class */
#define MIN_RR 11        /* root name + type, class, TTL, RDLENGTH */

static bool opcode_known(unsigned opcode)
{
	/* QUERY, IQUERY, STATUS, NOTIFY, UPDATE, DSO */
	return opcode <= 2 || (opcode >= 4 && opcode <= 6);
}

bool cap_dns_header_plausible(const uint8_t *hdr, size_t msglen)
{
	if (msglen < DNS_HDR)
		return false;
	wire_rd rd = wire_rd_init(hdr, DNS_HDR);
	wire_rd_skip(&rd, 2); /* id */
	uint16_t flags = wire_rd_u16(&rd);
	uint64_t qd = wire_rd_u16(&rd);
	uint64_t rrs = wire_rd_u16(&rd);
	rrs += wire_rd_u16(&rd);
	rrs += wire_rd_u16(&rd);
	if (rd.err || !opcode_known((flags >> 11) & 0xf))
		return false;
	return qd * MIN_QUESTION + rrs * MIN_RR <= msglen - DNS_HDR;
}

bool cap_dns_plausible(const uint8_t *p, size_t len)
{
	if (len < DNS_HDR || !cap_dns_header_plausible(p, len))
		return false;
	wire_rd rd = wire_rd_init(p, len);
	wire_rd_skip(&rd, 4);
	unsigned qd = wire_rd_u16(&rd);
	unsigned rrs = (unsigned)wire_rd_u16(&rd) + wire_rd_u16(&rd) +
	               wire_rd_u16(&rd);
	for (unsigned i = 0; i < qd && !rd.err; i++) {
		if (dns_name_skip(&rd) != 0)
			return false;
		wire_rd_skip(&rd, 4);
	}
	for (unsigned i = 0; i < rrs && !rd.err; i++) {
		if (dns_name_skip(&rd) != 0)
			return false;
		wire_rd_skip(&rd, 8);
		uint16_t rdlen = wire_rd_u16(&rd);
		wire_rd_skip(&rd, rdlen);
	}
	return !rd.err && rd.pos == len;
}
