/* Fuzz harness: NSEC / NSEC3 denial proofs (resolver/dnssec/denial.h) on
 * arbitrary records and questions. Every proof function runs on the same
 * input; the harness checks the result is consistent (verdict, reason and
 * EDE agree, the text is terminated, the hash budget holds).
 *
 * Input layout:
 *   u8 qtype selector, u8 RRSIG labels, u8 zone strip count,
 *   u8 max NSEC3 iterations (mod 32, to keep runs fast), qname (wire,
 *   uncompressed), then records until the input ends, each:
 *   u8 flags (bit 0: NSEC3 else NSEC; bit 1: owner = one label + zone),
 *   owner (u8 length + label octets, or a wire name), u16 rdlength, rdata. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/cursor.h"
#include "resolver/dnssec/denial.h"

#define MAX_RECORDS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum denial_verdict v, const denial_result *r)
{
	if (v != r->verdict || v > DENIAL_BOGUS)
		__builtin_trap();
	if (memchr(r->why, '\0', sizeof r->why) == NULL)
		__builtin_trap();
	switch (v) {
	case DENIAL_SECURE:
		if (r->ede != 0 || r->reason != DENIAL_R_OK || r->why[0])
			__builtin_trap();
		break;
	case DENIAL_INSECURE:
		if (r->reason != DENIAL_R_OPTOUT &&
		    r->reason != DENIAL_R_ITERATIONS)
			__builtin_trap();
		break;
	case DENIAL_BOGUS:
		if (r->ede == 0 || r->reason == DENIAL_R_OK || !r->why[0])
			__builtin_trap();
		break;
	}
	if (r->have_encloser && r->closest_encloser.len == 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = {
		DNS_T_A, DNS_T_MX, DNS_T_DS, DNS_T_AAAA, DNS_T_CNAME,
		DNS_T_NS, DNS_T_SOA, DNS_T_TXT,
	};
	wire_rd rd = wire_rd_init(data, size);
	uint8_t tsel = wire_rd_u8(&rd);
	unsigned labels = wire_rd_u8(&rd);
	unsigned strip = wire_rd_u8(&rd);
	unsigned maxit = wire_rd_u8(&rd) % 32;
	dns_name qname, zone;
	if (rd.err || dns_name_read(&rd, &qname, false) != 0)
		return 0;
	zone = qname;
	dns_name_strip_left(&zone, strip % (dns_name_labels(&qname) + 1));

	dns_rr rrs[MAX_RECORDS];
	size_t n = 0;
	while (n < MAX_RECORDS && wire_rd_left(&rd) > 0) {
		dns_rr *rr = &rrs[n];
		uint8_t flags = wire_rd_u8(&rd);
		if (flags & 2) {
			uint8_t len = wire_rd_u8(&rd) & 63;
			const uint8_t *label = wire_rd_view(&rd, len);
			rr->owner = zone;
			if (rd.err || len == 0 ||
			    dns_name_prepend_label(&rr->owner, label, len) != 0)
				break;
		} else if (dns_name_read(&rd, &rr->owner, false) != 0) {
			break;
		}
		rr->type = (flags & 1) ? DNS_T_NSEC3 : DNS_T_NSEC;
		rr->rclass = DNS_C_IN;
		rr->ttl = 0;
		rr->rdlen = wire_rd_u16(&rd);
		rr->rdata = wire_rd_view(&rd, rr->rdlen);
		if (rd.err)
			break;
		n++;
	}

	denial_query q = { &qname, types[tsel % 8], &zone };
	if (tsel >= 8)
		q.qtype = tsel;
	denial_result r;
	check(nsec_prove_nxdomain(&q, rrs, n, &r), &r);
	check(nsec_prove_nodata(&q, rrs, n, &r), &r);
	check(nsec_prove_wildcard(&q, labels, rrs, n, &r), &r);
	check(nsec_prove_insecure_delegation(&q, rrs, n, &r), &r);
	for (size_t i = 0; i < n; i++)
		(void)nsec_covers(&rrs[i], &qname);

	nsec3_ctx ctx;
	nsec3_ctx_init(&ctx);
	ctx.max_iterations = maxit;
	check(nsec3_prove_nxdomain(&q, rrs, n, &ctx, &r), &r);
	check(nsec3_prove_nodata(&q, rrs, n, &ctx, &r), &r);
	check(nsec3_prove_wildcard(&q, labels, rrs, n, &ctx, &r), &r);
	check(nsec3_prove_insecure_delegation(&q, rrs, n, &ctx, &r), &r);
	if (ctx.hashes > ctx.max_hashes)
		__builtin_trap();
	return 0;
}
