/* wardd: client connections over plain TCP (RFC 7766); the framing,
 * pipelining, limits and timers are conn.c's, shared with DoT and DoH. */
#include <stdlib.h>
#include <string.h>

#include "daemon/conn.h"

#define TCP_BACKLOG 128

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)suggested;
	*b = conn_buf_room(h->data);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct tcp_conn *c = s->data;
	(void)b;
	if (c->closing)
		return;
	if (nread < 0) {
		conn_read_end(c, nread);
		return;
	}
	if (nread == 0)
		return;
	c->len += (size_t)nread;
	conn_touch(c);
	conn_take_messages(c);
}

struct tcp_write {
	uv_write_t req;
	uint8_t data[];
};

static void on_written(uv_write_t *req, int status)
{
	(void)status;
	free(req->data);
}

static int tcp_send(struct tcp_conn *c, const uv_buf_t *b, unsigned n)
{
	size_t total = 0;
	for (unsigned i = 0; i < n; i++)
		total += b[i].len;
	struct tcp_write *w = malloc(sizeof *w + total);
	if (!w)
		return -1;
	size_t off = 0;
	for (unsigned i = 0; i < n; i++) {
		memcpy(w->data + off, b[i].base, b[i].len);
		off += b[i].len;
	}
	w->req.data = w;
	uv_buf_t ub = uv_buf_init((char *)w->data, (unsigned)total);
	if (uv_write(&w->req, (uv_stream_t *)&c->h, &ub, 1, on_written) < 0) {
		free(w);
		return -1;
	}
	return 0;
}

static void tcp_answer(struct tcp_conn *c, uint32_t stream,
                       const uint8_t *buf, size_t len)
{
	(void)stream;
	conn_send_framed(c, buf, len);
}

static const struct conn_ops tcp_ops = {
	.kind = CONN_TCP,
	.alloc = on_alloc,
	.read = on_read,
	.answer = tcp_answer,
	.send = tcp_send,
};

static void on_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	if (status < 0)
		return;
	conn_accept(l->d, server, &tcp_ops);
}

int tcp_client_start(struct listener *l)
{
	int r = uv_tcp_init(l->d->loop, &l->tcp);
	if (r < 0)
		return r;
	l->tcp.data = l;
	l->tcp_open = true;
	unsigned flags = l->addr.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
	if ((r = uv_tcp_bind(&l->tcp, (const struct sockaddr *)&l->addr,
	                     flags)) < 0)
		return r;
	return uv_listen((uv_stream_t *)&l->tcp, TCP_BACKLOG, on_connection);
}
