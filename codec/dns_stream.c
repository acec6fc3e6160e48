/* ward: DNS messages over a byte stream, 2-octet length framing (see
 * dns_stream.h). The length is read through the cursor (wire_rd). */
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "dns_stream.h"
#include "error.h"

void dns_stream_rd_init(dns_stream_rd *r)
{
	memset(r, 0, sizeof *r);
}

void dns_stream_rd_free(dns_stream_rd *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}

int dns_stream_rd_feed(dns_stream_rd *r, const uint8_t *p, size_t n)
{
	if (r->err)
		return r->err;
	if (n > DNS_STREAM_FEED_MAX)
		return WARD_ELIMIT;
	if (r->off) {
		/* drop what was handed out: the messages given before are no
		 * longer valid (documented) */
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (n == 0)
		return 0;
	if (r->len + n > DNS_STREAM_BUF_MAX)
		return WARD_ELIMIT;
	if (r->len + n > r->cap) {
		size_t cap = r->cap ? r->cap : 1024;
		while (cap < r->len + n)
			cap *= 2;
		if (cap > DNS_STREAM_BUF_MAX)
			cap = DNS_STREAM_BUF_MAX;
		uint8_t *b = realloc(r->buf, cap);
		if (!b)
			return WARD_ENOMEM;
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	return 0;
}

int dns_stream_rd_next(dns_stream_rd *r, uint8_t **msg, size_t *len)
{
	if (r->err)
		return r->err;
	if (r->len - r->off < 2)
		return 0;                 /* not even the length yet (buf may be NULL) */
	wire_rd rd = wire_rd_init(r->buf + r->off, r->len - r->off);
	uint16_t l = wire_rd_u16(&rd);
	if (l < DNS_STREAM_MSG_MIN) {
		r->err = WARD_EHEADER;
		return r->err;
	}
	if (!wire_rd_need(&rd, l))
		return 0;
	*msg = r->buf + r->off + 2;
	*len = l;
	r->off += 2u + l;
	return 1;
}

size_t dns_stream_rd_partial(const dns_stream_rd *r)
{
	return r->len - r->off;
}

int dns_stream_frame(uint8_t *out, const uint8_t *msg, size_t len)
{
	if (len > DNS_STREAM_MSG_MAX)
		return WARD_ELIMIT;
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	memmove(out + 2, msg, len);
	return (int)len + 2;
}
