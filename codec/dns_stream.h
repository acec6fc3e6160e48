/* ward: DNS messages over a byte stream (TCP, TLS): each message is
 * preceded by its length in two octets, network order (RFC 1035 §4.2.2,
 * RFC 7766 §8, RFC 7858 §3.3). The reader reassembles whole messages from
 * the pieces a stream delivers; it trusts nothing it is fed.
 *
 *   dns_stream_rd r;  dns_stream_rd_init(&r);
 *   on bytes:  dns_stream_rd_feed(&r, p, n);
 *              while ((k = dns_stream_rd_next(&r, &msg, &len)) == 1) ...;
 *              k < 0: the stream is out of step (close it)
 *   dns_stream_rd_free(&r); */
#ifndef WARD_DNS_STREAM_H
#define WARD_DNS_STREAM_H

#include <stddef.h>
#include <stdint.h>

/* A message shorter than a DNS header cannot be one: the peer is not
 * speaking DNS over this stream. */
#define DNS_STREAM_MSG_MIN 12
#define DNS_STREAM_MSG_MAX 65535
/* bytes buffered at most: one whole message with its length, plus one
 * feed of up to DNS_STREAM_FEED_MAX (the caller drains between feeds) */
#define DNS_STREAM_FEED_MAX 65536
#define DNS_STREAM_BUF_MAX (2 + DNS_STREAM_MSG_MAX + DNS_STREAM_FEED_MAX)

typedef struct dns_stream_rd {
	uint8_t *buf;
	size_t len;      /* bytes held */
	size_t off;      /* bytes already handed out as messages */
	size_t cap;
	int err;         /* sticky: the first error */
} dns_stream_rd;

void dns_stream_rd_init(dns_stream_rd *r);
void dns_stream_rd_free(dns_stream_rd *r);
/* Append n bytes (n <= DNS_STREAM_FEED_MAX) read from the stream. 0,
 * WARD_ENOMEM, WARD_ELIMIT (n too big, or more than DNS_STREAM_BUF_MAX held:
 * the caller did not drain), or the sticky error. */
int dns_stream_rd_feed(dns_stream_rd *r, const uint8_t *p, size_t n);
/* The next whole message: 1 with *msg (writable, valid until the next
 * feed) and *len; 0 when more bytes are needed; WARD_EHEADER (sticky) for
 * a length below DNS_STREAM_MSG_MIN. */
int dns_stream_rd_next(dns_stream_rd *r, uint8_t **msg, size_t *len);
/* Bytes held that are not yet a whole message (a stream that closes with
 * some is cut mid-message). */
size_t dns_stream_rd_partial(const dns_stream_rd *r);

/* Write msg with its 2-octet length into out (room for len + 2).
 * Returns len + 2, or WARD_ELIMIT for len > DNS_STREAM_MSG_MAX. */
int dns_stream_frame(uint8_t *out, const uint8_t *msg, size_t len);

#endif
