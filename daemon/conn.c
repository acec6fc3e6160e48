/* wardd: what client connections over TCP, DoT and DoH share (conn.h).
 * RFC 7766: messages carry a 2-byte length (RFC 1035 §4.2.2); a
 * connection may send many queries without waiting (pipelining,
 * §6.2.1.1) and answers go back as they are ready, in any order (§7).
 * Limits keep one client from starving the others (§10): a cap on
 * connections per kind (WARDD_TCP_MAX_CONNS plain, WARDD_TLS_MAX_CONNS
 * encrypted; at the cap, the connection idle the longest is closed to
 * make room), WARDD_TCP_IDLE_MS without traffic closes a connection with
 * nothing outstanding (§6.2.3), at most WARDD_TCP_MAX_PIPELINE queries in
 * flight per connection (reading pauses beyond), and a client that does
 * not read its answers is dropped once WARDD_TCP_MAX_WRITE_BYTES are
 * queued. */
#include <stdlib.h>
#include <string.h>

#include "daemon/answer_pad.h"
#include "daemon/conn.h"

#define CONN_READ_CHUNK 4096

static bool encrypted(const struct tcp_conn *c)
{
	return c->kind != CONN_TCP;
}

static void on_conn_closed(uv_handle_t *h)
{
	struct tcp_conn *c = h->data;
	if (--c->handles_open)
		return;
	if (c->ops->release)
		c->ops->release(c);
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
	if (encrypted(c))
		d->nenc_conns--;
	else
		d->nconns--;
}

void conn_close(struct tcp_conn *c)
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

static void on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

static void on_idle(uv_timer_t *t);

void conn_shutdown(struct tcp_conn *c)
{
	if (c->closing || c->shutdown.data)
		return;
	c->shutdown.data = c;    /* first: finish() may come back here */
	conn_pause_reading(c);
	c->eof = true;
	if (c->ops->finish)
		c->ops->finish(c);
	if (c->closing)
		return;
	/* a peer that takes none of the last bytes: closed by the timer */
	uv_timer_start(&c->idle, on_idle, WARDD_TCP_IDLE_MS, 0);
	if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->h, on_shutdown) < 0)
		conn_close(c);
}

static void on_idle(uv_timer_t *t)
{
	struct tcp_conn *c = t->data;
	if (c->shutdown.data) {
		conn_close(c);   /* it does not take its last bytes */
		return;
	}
	if (!c->touched) {
		/* the TLS handshake did not finish in time */
		if (c->ops->first_timeout)
			c->ops->first_timeout(c);
		conn_close(c);
		return;
	}
	if (c->outstanding) {
		/* answers are on their way (the engine answers every query by
		 * its deadline): wait for them */
		uv_timer_start(&c->idle, on_idle, WARDD_TCP_IDLE_MS, 0);
		return;
	}
	c->d->st.tcp_idle_closed++;
	/* TLS: close_notify, HTTP/2: GOAWAY first (ops->finish) */
	if (c->ops->finish)
		conn_shutdown(c);
	else
		conn_close(c);
}

void conn_touch(struct tcp_conn *c)
{
	c->touched = true;
	c->last_active = wardd_now(c->d);
	uv_timer_start(&c->idle, on_idle, WARDD_TCP_IDLE_MS, 0);
}

uv_buf_t conn_buf_room(struct tcp_conn *c)
{
	size_t want = c->len + CONN_READ_CHUNK;
	if (want > CONN_MSG_MAX)
		want = CONN_MSG_MAX;
	if (c->cap < want) {
		uint8_t *n = realloc(c->buf, want);
		if (!n)
			return uv_buf_init(NULL, 0);
		c->buf = n;
		c->cap = want;
	}
	return uv_buf_init((char *)c->buf + c->len, (unsigned)(c->cap - c->len));
}

void conn_pause_reading(struct tcp_conn *c)
{
	if (c->reading) {
		uv_read_stop((uv_stream_t *)&c->h);
		c->reading = false;
	}
}

void conn_resume_reading(struct tcp_conn *c)
{
	if (!c->reading && !c->closing && !c->eof &&
	    c->outstanding < WARDD_TCP_MAX_PIPELINE) {
		if (uv_read_start((uv_stream_t *)&c->h, c->ops->alloc,
		                  c->ops->read) == 0)
			c->reading = true;
	}
}

void conn_take_messages(struct tcp_conn *c)
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
		if (c->kind == CONN_DOT)
			c->d->st.dot_queries++;
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
		conn_pause_reading(c);
}

void conn_read_end(struct tcp_conn *c, ssize_t nread)
{
	/* EOF: answer what is outstanding, then close (RFC 7766 §6.2.4) */
	conn_pause_reading(c);
	c->eof = true;
	if (!c->outstanding || nread != UV_EOF)
		conn_close(c);
}

bool conn_write_full(struct tcp_conn *c)
{
	return uv_stream_get_write_queue_size((uv_stream_t *)&c->h) >
	       WARDD_TCP_MAX_WRITE_BYTES;
}

void conn_answer(struct tcp_conn *c, uint32_t stream, const uint8_t *buf,
                 size_t len)
{
	if (c->closing)
		return;
	if (!encrypted(c)) {
		c->ops->answer(c, stream, buf, len);
		return;
	}
	/* DoT, DoH: EDNS(0) padding (answer_pad.h) */
	size_t cap = len + 4 + ANSWER_PAD_BLOCK;
	uint8_t *p = malloc(cap);
	size_t n = p ? answer_pad(buf, len, p, cap) : 0;
	c->ops->answer(c, stream, n ? p : buf, n ? n : len);
	free(p);
}

void conn_send_framed(struct tcp_conn *c, const uint8_t *buf, size_t len)
{
	if (c->closing || len > 65535)
		return;
	if (conn_write_full(c)) {
		conn_close(c);   /* it does not read its answers */
		return;
	}
	uint8_t hdr[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	uv_buf_t b[2] = { uv_buf_init((char *)hdr, 2),
	                  uv_buf_init((char *)buf, (unsigned)len) };
	if (c->ops->send(c, b, 2) < 0) {
		conn_close(c);
		return;
	}
	conn_touch(c);
	if (c->eof && !c->outstanding) {
		/* the client is done sending and has every answer: close once
		 * the queued writes are out (uv_close would cancel them) */
		conn_shutdown(c);
		return;
	}
	/* messages left while the pipeline was full */
	if (c->ops->pull)
		c->ops->pull(c);
	else
		conn_take_messages(c);
	conn_resume_reading(c);
}

/* At the cap: close the connection of the same kind (plain or encrypted)
 * idle the longest that has nothing outstanding (a staller), so one
 * client cannot hold every slot. */
static bool make_room(struct wardd *d, bool enc)
{
	struct tcp_conn *victim = NULL;
	for (struct tcp_conn *c = d->conns; c; c = c->next)
		if (encrypted(c) == enc && !c->outstanding &&
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

void conn_accept(struct wardd *d, uv_stream_t *server,
                 const struct conn_ops *ops)
{
	bool enc = ops->kind != CONN_TCP;
	unsigned n = enc ? d->nenc_conns : d->nconns;
	unsigned cap = enc ? WARDD_TLS_MAX_CONNS : WARDD_TCP_MAX_CONNS;
	if (d->stopping || (n >= cap && !make_room(d, enc))) {
		uv_tcp_t *t = malloc(sizeof *t);
		if (!t)
			return;
		uv_tcp_init(d->loop, t);
		if (uv_accept(server, (uv_stream_t *)t) == 0) {
			if (enc)
				d->st.tls_refused++;
			else
				d->st.tcp_refused++;
		}
		uv_close((uv_handle_t *)t, on_refused_closed);
		return;
	}
	struct tcp_conn *c = calloc(1, sizeof *c);
	if (!c)
		return;
	c->d = d;
	c->ops = ops;
	c->kind = ops->kind;
	uv_tcp_init(d->loop, &c->h);
	uv_timer_init(d->loop, &c->idle);
	c->h.data = c;
	c->idle.data = c;
	c->handles_open = 2;
	c->next = d->conns;
	if (c->next)
		c->next->prev = c;
	d->conns = c;
	if (enc)
		d->nenc_conns++;
	else
		d->nconns++;
	if (uv_accept(server, (uv_stream_t *)&c->h) < 0) {
		conn_close(c);
		return;
	}
	if (enc)
		d->st.tls_conns++;
	else
		d->st.tcp_conns++;
	int plen = sizeof c->peer;
	uv_tcp_getpeername(&c->h, (struct sockaddr *)&c->peer, &plen);
	uv_tcp_nodelay(&c->h, 1);
	if (ops->first_timeout_ms) {
		c->last_active = wardd_now(d);
		uv_timer_start(&c->idle, on_idle, ops->first_timeout_ms, 0);
	} else {
		conn_touch(c);
	}
	if (ops->start && ops->start(c) < 0) {
		conn_close(c);
		return;
	}
	conn_resume_reading(c);
	if (!c->reading)
		conn_close(c);
}
