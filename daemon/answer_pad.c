/* wardd: EDNS(0) padding of encrypted answers; see answer_pad.h. */
#include <string.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "daemon/answer_pad.h"

size_t answer_pad(const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
	dns_msg m;
	if (dns_msg_parse(&m, msg, len) < 0)
		return 0;
	dns_rr_iter it;
	dns_rr_view v, opt;
	memset(&opt, 0, sizeof opt);
	bool found = false;
	dns_rr_iter_init(&it, &m, DNS_SEC_ADDITIONAL);
	while (dns_rr_iter_next(&it, &v) == 1) {
		found = v.type == DNS_T_OPT;
		opt = v;
	}
	/* the OPT record must be the last record: its rdata grows in place */
	if (!found || opt.rdata_off + opt.rdlen != len || opt.rdata_off < 2)
		return 0;
	edns_info e;
	edns_opt o;
	if (edns_from_msg(&m, &e) < 0 ||
	    edns_opt_find(&e, EDNS_OPT_PADDING, &o) == 0)
		return 0;
	size_t max = cap < DNS_MSG_MAXLEN ? cap : DNS_MSG_MAXLEN;
	size_t pad = edns_padding_len(len, ANSWER_PAD_BLOCK, max);
	size_t total = len + 4 + pad;
	if (total > max || (size_t)opt.rdlen + 4 + pad > UINT16_MAX)
		return 0;
	memcpy(out, msg, len);
	out[len] = 0;
	out[len + 1] = EDNS_OPT_PADDING;
	out[len + 2] = (uint8_t)(pad >> 8);
	out[len + 3] = (uint8_t)pad;
	memset(out + len + 4, 0, pad);
	size_t rdl = (size_t)opt.rdlen + 4 + pad;
	out[opt.rdata_off - 2] = (uint8_t)(rdl >> 8);
	out[opt.rdata_off - 1] = (uint8_t)rdl;
	return total;
}
