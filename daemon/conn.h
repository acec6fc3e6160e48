/* wardd: connections that carry DNS messages to clients (RFC 7766), over
 * three transports:
 *   client_tcp.c  plain TCP, port=
 *   client_dot.c  DNS over TLS (RFC 7858), tls-port=
 *   client_doh.c  DNS over HTTPS (RFC 8484, HTTP/2), https-port=
 * conn.c has what they share: accepting under a connection cap (at the
 * cap the connection idle the longest makes room), the idle timer, the
 * pending-query count with reading paused when the pipeline is full, the
 * 2-byte framing of TCP and DoT (pipelining, answers in any order), the
 * write-queue limit for clients that do not read, and the close paths. A
 * transport gives its socket read callbacks and how an answer goes out. */
#ifndef WARD_DAEMON_CONN_H
#define WARD_DAEMON_CONN_H

#include "daemon/wardd.h"

#define CONN_MSG_MAX (2u + 65535u)   /* a length and the longest message */

struct conn_ops {
	enum conn_kind kind;
	uv_alloc_cb alloc;               /* the socket's read callbacks */
	uv_read_cb read;
	unsigned first_timeout_ms;       /* from accept until the first touch
	                                  * (TLS: the handshake must finish) */
	/* after accept: 0, or < 0 to close at once */
	int (*start)(struct tcp_conn *c);
	/* the answer to a query of this connection (stream: what
	 * wardd_query_stream was given) */
	void (*answer)(struct tcp_conn *c, uint32_t stream, const uint8_t *buf,
	               size_t len);
	/* bytes of framed answers (TCP, DoT): 0 or < 0 */
	int (*send)(struct tcp_conn *c, const uv_buf_t *b, unsigned n);
	/* room in the pipeline again: messages the transport holds go on
	 * (NULL: the ones in c->buf) */
	void (*pull)(struct tcp_conn *c);
	/* the timer ran out before the first touch (NULL: nothing to count) */
	void (*first_timeout)(struct tcp_conn *c);
	/* last words before a graceful close (TLS close_notify), may be NULL */
	void (*finish)(struct tcp_conn *c);
	/* free the transport's state (c->enc), may be NULL */
	void (*release)(struct tcp_conn *c);
};

/* A new connection on listening socket `server`, or a refusal when the
 * cap of its kind is reached and nobody can make room. */
void conn_accept(struct wardd *d, uv_stream_t *server,
                 const struct conn_ops *ops);
void conn_close(struct tcp_conn *c);
/* Close once the queued writes are out (after ops->finish). */
void conn_shutdown(struct tcp_conn *c);
/* Traffic: the idle timer starts again. */
void conn_touch(struct tcp_conn *c);
void conn_pause_reading(struct tcp_conn *c);
void conn_resume_reading(struct tcp_conn *c);
/* Free space at the end of c->buf (grown to CONN_MSG_MAX at most). */
uv_buf_t conn_buf_room(struct tcp_conn *c);
/* Every whole framed message of c->buf to the engine (TCP, DoT). */
void conn_take_messages(struct tcp_conn *c);
/* The peer finished sending (nread UV_EOF) or the read failed. */
void conn_read_end(struct tcp_conn *c, ssize_t nread);
/* An answer with its 2-byte length through ops->send (TCP, DoT). */
void conn_send_framed(struct tcp_conn *c, const uint8_t *buf, size_t len);
/* Is the write queue of a client that does not read over the limit? */
bool conn_write_full(struct tcp_conn *c);

#endif
