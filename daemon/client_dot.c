/* wardd: DNS over TLS towards clients (RFC 7858) on tls-port=: TLS
 * (tls_stream.c) around exactly what plain TCP does, the 2-byte framing,
 * pipelining and out-of-order answers of conn.c (RFC 7858 §3.3). */
#include <stdlib.h>

#include "daemon/client_tls.h"

struct dot {
	struct tls_conn tc;
};

static void dot_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct tcp_conn *c = h->data;
	(void)suggested;
	*b = tls_conn_room(&((struct dot *)c->enc)->tc);
}

/* decrypted bytes into c->buf and on to the engine, while the pipeline
 * has room (what stays in OpenSSL waits for the next answer) */
static void dot_pull(struct tcp_conn *c)
{
	struct dot *x = c->enc;
	while (!c->closing && !c->in_take &&
	       c->outstanding < WARDD_TCP_MAX_PIPELINE) {
		uv_buf_t room = conn_buf_room(c);
		if (!room.len)
			break;
		ssize_t n = tls_stream_read(&x->tc.t, (uint8_t *)room.base,
		                            room.len);
		if (n > 0) {
			c->len += (size_t)n;
			conn_take_messages(c);
			continue;
		}
		if (n == TLS_STREAM_AGAIN)
			break;
		if (n == TLS_STREAM_EOF)
			conn_read_end(c, UV_EOF);
		else
			conn_close(c);
		break;
	}
}

static void dot_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct tcp_conn *c = s->data;
	struct dot *x = c->enc;
	(void)b;
	if (c->closing || nread == 0)
		return;
	if (tls_conn_input(c, &x->tc, nread) < 0)
		return;
	if (nread < 0) {
		dot_pull(c);   /* what came before the end */
		if (!c->closing)
			conn_read_end(c, nread);
		return;
	}
	if (!x->tc.t.established)
		return;
	conn_touch(c);
	dot_pull(c);
}

static int dot_send(struct tcp_conn *c, const uv_buf_t *b, unsigned n)
{
	struct dot *x = c->enc;
	return tls_stream_write(&x->tc.t, b, n) < 0 ? -1 : 0;
}

static void dot_answer(struct tcp_conn *c, uint32_t stream,
                       const uint8_t *buf, size_t len)
{
	(void)stream;
	conn_send_framed(c, buf, len);
}

static void dot_finish(struct tcp_conn *c)
{
	struct dot *x = c->enc;
	tls_stream_close_notify(&x->tc.t);
}

static void dot_release(struct tcp_conn *c)
{
	struct dot *x = c->enc;
	if (!x)
		return;
	tls_stream_free(&x->tc.t);
	free(x);
	c->enc = NULL;
}

static int dot_start(struct tcp_conn *c)
{
	struct dot *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	c->enc = x;
	return tls_conn_start(c, &x->tc, c->d->tls_dot) < 0 ? -1 : 0;
}

static const struct conn_ops dot_ops = {
	.kind = CONN_DOT,
	.alloc = dot_alloc,
	.read = dot_read,
	.first_timeout_ms = WARDD_TLS_HANDSHAKE_MS,
	.start = dot_start,
	.answer = dot_answer,
	.send = dot_send,
	.pull = dot_pull,
	.first_timeout = tls_conn_first_timeout,
	.finish = dot_finish,
	.release = dot_release,
};

void dot_on_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	if (status < 0)
		return;
	conn_accept(l->d, server, &dot_ops);
}
