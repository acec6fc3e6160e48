/* Fuzz harness: resolver/answer_filter.c (filter-A/AAAA/rr) on arbitrary
 * bytes. The first byte picks the filter (bit 0 A, 1 AAAA, 2 TXT, 3 RRSIG,
 * 4 ANY), the rest is the answer. A rewritten answer must parse, be no
 * longer than the input and hold none of the dropped records. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "codec/msg.h"
#include "codec/rr.h"
#include "resolver/answer_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct answer_filter f = { .n = 0 };
	static const uint16_t pick[] = { DNS_T_A, DNS_T_AAAA, DNS_T_TXT,
	                                 DNS_T_RRSIG };
	for (unsigned i = 0; i < 4; i++)
		if (data[0] & (1u << i))
			f.types[f.n++] = pick[i];
	f.any = data[0] & 16;
	const uint8_t *pkt = data + 1;
	size_t len = size - 1;
	static uint8_t out[DNS_MSG_MAXLEN];
	size_t olen = 0;
	int r = answer_filter_apply(&f, pkt, len, out, sizeof out, &olen);
	if (r != 1)
		return 0;
	if (olen > len)
		__builtin_trap();
	dns_msg m;
	if (dns_msg_parse(&m, out, olen) != 0)
		__builtin_trap();
	uint16_t qtype;
	if (dns_msg_question(&m, NULL, &qtype, NULL) != 0)
		__builtin_trap();
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v)) {
		uint16_t cov = v.type == DNS_T_RRSIG && v.rdlen >= 2
		               ? (uint16_t)(out[v.rdata_off] << 8 | out[v.rdata_off + 1])
		               : 0;
		if (answer_filter_drops(&f, qtype, v.type, cov))
			__builtin_trap();
	}
	return 0;
}
