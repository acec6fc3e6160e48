/* wardd: client connections over TCP, RFC 7766. Messages carry a 2-byte
 * length (RFC 1035 §4.2.2); a connection may send many queries without
 * waiting (pipelining, §6.2.1.1) and answers go back as they are ready,
 * in any order (§7). Limits keep one client from starving the others
 * (§10): WARDD_TCP_MAX_CONNS connections (at the cap, the connection idle
 * the longest is closed to make room), WARDD_TCP_IDLE_MS without traffic
 * closes a connection with nothing outstanding (§6.2.3), at most
 * WARDD_TCP_MAX_PIPELINE queries in flight per connection (reading pauses
 * beyond), and a client that does not read its answers is dropped once
 * WARDD_TCP_MAX_WRITE_BYTES are queued. */
#include <stdlib.h>
#include <string.h>

#include "daemon/wardd.h"

#define TCP_READ_CHUNK 4096
#define TCP_MSG_MAX (2u + 65535u)
#define TCP_BACKLOG 128

static void conn_close(struct tcp_conn *c);

static void on_conn_closed(uv_handle_t *h)
{
	struct tcp_conn *c = h->data;
	if (--c->handles_open)
		return;
	free(c->buf);
	free(c);
}

static void conn_unlink(struct tcp_conn *c)
{
	struct wardd *d = c->d;
	if (c->prev)
		c->prev->next = c->next;
	else
		d->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	d->nconns--;
}

static void conn_close(struct tcp_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	wardd_forget_conn(c->d, c);
	conn_unlink(c);
	uv_timer_stop(&c->idle);
	uv_close((uv_handle_t *)&c->h, on_conn_closed);
	uv_close((uv_handle_t *)&c->idle, on_conn_closed);
}

void tcp_client_close_all(struct wardd *d)
{
	while (d->conns)
		conn_close(d->conns);
}

static void on_idle(uv_timer_t *t)
{
	struct tcp_conn *c = t->data;
	if (c->outstanding) {
		/* answers are on their way (the engine answers every query by
		 * its deadline): wait for them */
		uv_timer_start(&c->idle, on_idle, WARDD_TCP_IDLE_MS, 0);
		return;
	}
	c->d->st.tcp_idle_closed++;
	conn_close(c);
}

static void touch(struct tcp_conn *c)
{
	c->last_active = wardd_now(c->d);
	uv_timer_start(&c->idle, on_idle, WARDD_TCP_IDLE_MS, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct tcp_conn *c = h->data;
	(void)suggested;
	size_t want = c->len + TCP_READ_CHUNK;
	if (want > TCP_MSG_MAX)
		want = TCP_MSG_MAX;
	if (c->cap < want) {
		uint8_t *n = realloc(c->buf, want);
		if (!n) {
			b->base = NULL;
			b->len = 0;
			return;
		}
		c->buf = n;
		c->cap = want;
	}
	b->base = (char *)c->buf + c->len;
	b->len = c->cap - c->len;
}

static void pause_reading(struct tcp_conn *c)
{
	if (c->reading) {
		uv_read_stop((uv_stream_t *)&c->h);
		c->reading = false;
	}
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b);

static void resume_reading(struct tcp_conn *c)
{
	if (!c->reading && !c->closing && !c->eof &&
	    c->outstanding < WARDD_TCP_MAX_PIPELINE) {
		if (uv_read_start((uv_stream_t *)&c->h, on_alloc, on_read) == 0)
			c->reading = true;
	}
}

/* Hand every whole message in the buffer to the engine. */
static void take_messages(struct tcp_conn *c)
{
	/* an answer given synchronously from inside the loop below comes
	 * back here: the outer loop goes on with the buffer */
	if (c->in_take)
		return;
	c->in_take = true;
	size_t off = 0;
	while (!c->closing && c->len - off >= 2 &&
	       c->outstanding < WARDD_TCP_MAX_PIPELINE) {
		size_t mlen = (size_t)(c->buf[off] << 8 | c->buf[off + 1]);
		if (mlen == 0) {
			/* a zero-length message cannot be answered: drop them */
			c->d->st.malformed++;
			c->in_take = false;
			conn_close(c);
			return;
		}
		if (c->len - off < 2 + mlen)
			break;
		c->outstanding++;
		/* the engine may answer at once (cache, local data, FORMERR) */
		if (!wardd_query(c->d, c->buf + off + 2, mlen, true, NULL,
		                 (const struct sockaddr *)&c->peer, c))
			c->outstanding--;
		off += 2 + mlen;
	}
	c->in_take = false;
	if (c->closing)
		return;
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	if (c->outstanding >= WARDD_TCP_MAX_PIPELINE)
		pause_reading(c);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct tcp_conn *c = s->data;
	(void)b;
	if (c->closing)
		return;
	if (nread < 0) {
		/* EOF: answer what is outstanding, then close (RFC 7766 §6.2.4) */
		pause_reading(c);
		c->eof = true;
		if (!c->outstanding || nread != UV_EOF)
			conn_close(c);
		return;
	}
	if (nread == 0)
		return;
	c->len += (size_t)nread;
	touch(c);
	take_messages(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_close(req->data);
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

void tcp_client_answer(struct tcp_conn *c, const uint8_t *buf, size_t len)
{
	if (c->closing || len > 65535)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->h) >
	    WARDD_TCP_MAX_WRITE_BYTES) {
		conn_close(c);   /* it does not read its answers */
		return;
	}
	struct tcp_write *w = malloc(sizeof *w + len + 2);
	if (!w) {
		conn_close(c);
		return;
	}
	w->data[0] = (uint8_t)(len >> 8);
	w->data[1] = (uint8_t)len;
	memcpy(w->data + 2, buf, len);
	w->req.data = w;
	uv_buf_t ub = uv_buf_init((char *)w->data, (unsigned)len + 2);
	if (uv_write(&w->req, (uv_stream_t *)&c->h, &ub, 1, on_written) < 0) {
		free(w);
		conn_close(c);
		return;
	}
	touch(c);
	if (c->eof && !c->outstanding) {
		/* the client is done sending and has every answer: close once
		 * the queued writes are out (uv_close would cancel them) */
		c->shutdown.data = c;
		if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->h, on_shutdown) < 0)
			conn_close(c);
		return;
	}
	/* messages left in the buffer while the pipeline was full */
	take_messages(c);
	resume_reading(c);
}

/* At the cap: close the connection idle the longest that has nothing
 * outstanding (a staller), so one client cannot hold every slot. */
static bool make_room(struct wardd *d)
{
	struct tcp_conn *victim = NULL;
	for (struct tcp_conn *c = d->conns; c; c = c->next)
		if (!c->outstanding &&
		    (!victim || c->last_active < victim->last_active))
			victim = c;
	if (!victim)
		return false;
	d->st.tcp_idle_closed++;
	conn_close(victim);
	return true;
}

static void on_refused_closed(uv_handle_t *h)
{
	free(h);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct listener *l = server->data;
	struct wardd *d = l->d;
	if (status < 0)
		return;
	if (d->stopping || (d->nconns >= WARDD_TCP_MAX_CONNS && !make_room(d))) {
		uv_tcp_t *t = malloc(sizeof *t);
		if (!t)
			return;
		uv_tcp_init(d->loop, t);
		if (uv_accept(server, (uv_stream_t *)t) == 0)
			d->st.tcp_refused++;
		uv_close((uv_handle_t *)t, on_refused_closed);
		return;
	}
	struct tcp_conn *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->d = d;
	uv_tcp_init(d->loop, &c->h);
	uv_timer_init(d->loop, &c->idle);
	c->h.data = c;
	c->idle.data = c;
	c->handles_open = 2;
	c->next = d->conns;
	if (c->next)
		c->next->prev = c;
	d->conns = c;
	d->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->h) < 0) {
		conn_close(c);
		return;
	}
	d->st.tcp_conns++;
	int plen = sizeof c->peer;
	uv_tcp_getpeername(&c->h, (struct sockaddr *)&c->peer, &plen);
	uv_tcp_nodelay(&c->h, 1);
	touch(c);
	resume_reading(c);
	if (!c->reading)
		conn_close(c);
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
