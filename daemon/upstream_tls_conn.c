/* wardd: one DNS-over-TLS connection to an upstream (RFC 7858). OpenSSL
 * works on two memory BIOs: what the socket delivers is written into the
 * read BIO, what OpenSSL wants sent is drained from the write BIO into
 * uv_write. Queries asked for during the connect and handshake wait as
 * framed plain text and go out when the handshake is done. Each query
 * travels under an ID unique on this connection (RFC 7858 §3.3 wants
 * distinct IDs; two engines, or chance, could give the same one); the
 * reply gets the engine's ID back before the engine sees it. One timer:
 * the handshake deadline, then a stuck-connection check while queries
 * are in flight, then the idle timeout. */
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "daemon/upstream_tls.h"

struct uptls_write {
	uv_write_t req;
	struct uptls_conn *c;
	uint8_t data[];
};

static uint8_t read_buf[WARDD_UDP_RECV_MAX];

static struct wardd *conn_d(const struct uptls_conn *c)
{
	return c->srv->pool->d;
}

static struct uptls_stats *conn_st(const struct uptls_conn *c)
{
	return &c->srv->pool->st;
}

static void on_closed(uv_handle_t *h)
{
	struct uptls_conn *c = h->data;
	if (--c->handles_open)
		return;
	/* SSL_free marks the session of a connection not shut down in TLS
	 * terms as not resumable (shared with the server's copy): a server
	 * that closed the TCP connection, or an idle close, is no reason */
	if (c->keep_session)
		SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(c->ssl);               /* and both BIOs */
	dns_stream_rd_free(&c->rd);
	free(c->plain);
	free(c);
}

static void on_written(uv_write_t *req, int status)
{
	struct uptls_write *w = (struct uptls_write *)req;
	struct uptls_conn *c = w->c;
	free(w);
	if (status < 0 && status != UV_ECANCELED && c->state != UPTLS_CLOSING) {
		conn_st(c)->closed_error++;
		wlog(WLOG_WARNING, "TLS upstream %s: write failed: %s", c->srv->text,
		     uv_strerror(status));
		uptls_conn_close(c);
	}
}

/* What OpenSSL wrote into the write BIO goes to the socket. */
static int flush(struct uptls_conn *c)
{
	size_t n = BIO_ctrl_pending(c->wbio);
	if (!n)
		return 0;
	struct uptls_write *w = malloc(sizeof *w + n);
	if (!w)
		return WARD_ENOMEM;
	if (BIO_read(c->wbio, w->data, (int)n) != (int)n) {
		free(w);
		return WARD_EIO;
	}
	w->c = c;
	uv_buf_t b = uv_buf_init((char *)w->data, (unsigned)n);
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
		free(w);
		return WARD_EIO;
	}
	return 0;
}

static void arm_timer(struct uptls_conn *c);

static void close_error(struct uptls_conn *c, const char *what)
{
	conn_st(c)->closed_error++;
	c->keep_session = false;
	char e[200] = "";
	unsigned long code = ERR_get_error();
	if (code)
		ERR_error_string_n(code, e, sizeof e);
	ERR_clear_error();
	wlog(WLOG_WARNING, "TLS upstream %s: %s%s%s; connection closed",
	     c->srv->text, what, *e ? ": " : "", e);
	uptls_conn_close(c);
}

/* ---- replies ---- */

static struct uptls_query *slot_by_wire_id(struct uptls_conn *c, uint16_t id)
{
	for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT; i++)
		if (c->q[i].g && c->q[i].wire_id == id)
			return &c->q[i];
	return NULL;
}

static void take_reply(struct uptls_conn *c, uint8_t *m, size_t len)
{
	struct wardd *d = conn_d(c);
	wire_rd rd = wire_rd_init(m, len);
	uint16_t id = wire_rd_u16(&rd);
	struct uptls_query *q = rd.err ? NULL : slot_by_wire_id(c, id);
	if (!q) {
		conn_st(c)->stray_replies++;   /* its query expired, or a bad server */
		return;
	}
	struct engine_gen *g = q->g;
	uint32_t token = q->token;
	bool tcp = q->tcp;
	m[0] = (uint8_t)(q->orig_id >> 8);
	m[1] = (uint8_t)q->orig_id;
	q->g = NULL;                         /* the reference moves here */
	c->nq--;
	uint64_t now = wardd_now(d);
	c->last_rx = c->last_active = now;
	conn_st(c)->replies++;
	uptls_dash_reply(c->srv->pool, &c->srv->addr, q->sent_us);
	wardd_wallclock(d, g);
	res_upstream_reply(g->e, token, &c->srv->addr, tcp, m, len, now);
	g->upstreams--;
	wardd_pump(d, g);                    /* frees a retired engine when done */
}

/* Decrypt what has arrived; hand out every whole message. */
static void read_plain(struct uptls_conn *c)
{
	uint8_t chunk[UPTLS_READ_CHUNK];
	for (;;) {
		int n = SSL_read(c->ssl, chunk, (int)sizeof chunk);
		if (n <= 0) {
			int e = SSL_get_error(c->ssl, n);
			if (e == SSL_ERROR_WANT_READ)
				break;
			if (e == SSL_ERROR_ZERO_RETURN) {   /* close_notify */
				conn_st(c)->closed_peer++;
				uptls_conn_close(c);
				return;
			}
			close_error(c, "TLS error while reading");
			return;
		}
		if (dns_stream_rd_feed(&c->rd, chunk, (size_t)n) < 0) {
			close_error(c, "reply stream out of step");
			return;
		}
		uint8_t *m;
		size_t ml;
		int k;
		while ((k = dns_stream_rd_next(&c->rd, &m, &ml)) == 1) {
			take_reply(c, m, ml);
			if (c->state == UPTLS_CLOSING)
				return;
		}
		if (k < 0) {
			conn_st(c)->protocol_errors++;
			close_error(c, "sent a message shorter than a DNS header");
			return;
		}
	}
	if (flush(c) < 0) {
		close_error(c, "cannot write");
		return;
	}
	arm_timer(c);
}

/* ---- handshake ---- */

static void handshake_failed(struct uptls_conn *c)
{
	struct uptls_server *s = c->srv;
	long v = SSL_get_verify_result(c->ssl);
	if (v != X509_V_OK) {
		/* never a fall back to plain text: the queries fail */
		conn_st(c)->verify_failed++;
		wlog(WLOG_ERR, "TLS upstream %s: certificate verification failed "
		     "(expected %s%s): %s", s->text, s->name ? "name " : "address",
		     s->name ? s->name : "", X509_verify_cert_error_string(v));
		ERR_clear_error();
	} else {
		conn_st(c)->handshake_failed++;
		char e[200] = "closed by the server";
		unsigned long code = ERR_get_error();
		if (code)
			ERR_error_string_n(code, e, sizeof e);
		ERR_clear_error();
		wlog(WLOG_WARNING, "TLS upstream %s: handshake failed: %s", s->text,
		     e);
	}
	flush(c);                            /* the alert, if any */
	uptls_server_backoff(s, wardd_now(conn_d(c)));
	uptls_conn_close(c);
}

static void handshake_done(struct uptls_conn *c)
{
	struct uptls_server *s = c->srv;
	c->state = UPTLS_READY;
	c->keep_session = true;
	conn_st(c)->handshakes++;
	if (SSL_session_reused(c->ssl))
		conn_st(c)->resumed++;
	s->backoff_ms = 0;
	s->backoff_until = 0;
	c->last_active = wardd_now(conn_d(c));
	if (c->plain_len) {
		int n = SSL_write(c->ssl, c->plain, (int)c->plain_len);
		free(c->plain);
		c->plain = NULL;
		c->plain_len = c->plain_cap = 0;
		if (n <= 0) {
			close_error(c, "TLS write failed");
			return;
		}
	}
	read_plain(c);                       /* flushes, arms the timer */
}

static void handshake(struct uptls_conn *c)
{
	int r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		handshake_done(c);
		return;
	}
	int e = SSL_get_error(c->ssl, r);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
		handshake_failed(c);
		return;
	}
	if (flush(c) < 0)
		close_error(c, "cannot write");
}

/* ---- the socket ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	(void)suggested;
	b->base = (char *)read_buf;
	b->len = sizeof read_buf;
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct uptls_conn *c = st->data;
	if (c->state == UPTLS_CLOSING || nread == 0)
		return;
	if (nread < 0) {
		if (c->state == UPTLS_HANDSHAKE) {
			handshake_failed(c);
			return;
		}
		if (nread == UV_EOF) {
			conn_st(c)->closed_peer++;
			uptls_conn_close(c);
		} else {
			close_error(c, uv_strerror((int)nread));
		}
		return;
	}
	if (BIO_write(c->rbio, b->base, (int)nread) != (int)nread) {
		close_error(c, "out of memory");
		return;
	}
	if (c->state == UPTLS_HANDSHAKE)
		handshake(c);
	else
		read_plain(c);
}

static void on_connected(uv_connect_t *req, int status)
{
	struct uptls_conn *c = req->data;
	if (c->state == UPTLS_CLOSING)
		return;
	if (status < 0) {
		conn_st(c)->connect_failed++;
		wlog(WLOG_WARNING, "TLS upstream %s: connect failed: %s",
		     c->srv->text, uv_strerror(status));
		uptls_server_backoff(c->srv, wardd_now(conn_d(c)));
		uptls_conn_close(c);
		return;
	}
	c->state = UPTLS_HANDSHAKE;
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0) {
		close_error(c, "cannot read");
		return;
	}
	handshake(c);
}

/* ---- timers ---- */

static void on_timer(uv_timer_t *t)
{
	struct uptls_conn *c = t->data;
	uint64_t now = wardd_now(conn_d(c));
	if (c->state == UPTLS_CONNECTING || c->state == UPTLS_HANDSHAKE) {
		conn_st(c)->handshake_failed++;
		wlog(WLOG_WARNING, "TLS upstream %s: no connection within %u ms",
		     c->srv->text, UPTLS_HANDSHAKE_MS);
		uptls_server_backoff(c->srv, now);
		uptls_conn_close(c);
		return;
	}
	if (c->state != UPTLS_READY)
		return;
	if (c->nq == 0) {
		if (now >= c->last_active + UPTLS_IDLE_MS) {
			conn_st(c)->closed_idle++;
			SSL_shutdown(c->ssl);        /* close_notify, best effort */
			flush(c);
			uptls_conn_close(c);
			return;
		}
		arm_timer(c);
		return;
	}
	for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT; i++) {
		struct uptls_query *q = &c->q[i];
		if (!q->g || now < q->sent + UPTLS_QUERY_MS)
			continue;
		if (c->last_rx < q->sent) {
			/* nothing at all came back since: the connection is dead
			 * in a way TCP does not tell (RFC 7766 §6.2.3 spirit) */
			conn_st(c)->stuck++;
			wlog(WLOG_WARNING, "TLS upstream %s: no reply in %u ms; "
			     "connection closed", c->srv->text, UPTLS_QUERY_MS);
			uptls_conn_close(c);
			return;
		}
		/* the server answers others: this one is slow, and the engine
		 * has given up on it long ago */
		conn_st(c)->expired++;
		uptls_dash_lost(c->srv->pool, &c->srv->addr);
		uptls_query_release(c->srv->pool, q);
		c->nq--;
	}
	arm_timer(c);
}

static void arm_timer(struct uptls_conn *c)
{
	if (c->state == UPTLS_CLOSING)
		return;
	uint64_t due;
	if (c->state != UPTLS_READY) {
		due = c->started + UPTLS_HANDSHAKE_MS;
	} else if (c->nq) {
		due = UINT64_MAX;
		for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT; i++)
			if (c->q[i].g && c->q[i].sent + UPTLS_QUERY_MS < due)
				due = c->q[i].sent + UPTLS_QUERY_MS;
	} else {
		due = c->last_active + UPTLS_IDLE_MS;
	}
	uint64_t now = wardd_now(conn_d(c));
	uv_timer_start(&c->timer, on_timer, due > now ? due - now : 0, 0);
}

/* ---- open, query, close ---- */

/* The identity the certificate must show (RFC 8310 §8): the configured
 * name (also sent as SNI), else the address. */
static int set_identity(SSL *ssl, const struct uptls_server *s)
{
	X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
	if (s->name) {
		X509_VERIFY_PARAM_set_hostflags(vp,
		                                X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (X509_VERIFY_PARAM_set1_host(vp, s->name, 0) != 1 ||
		    SSL_set_tlsext_host_name(ssl, s->name) != 1)
			return WARD_EINVAL;
		return 0;
	}
	return X509_VERIFY_PARAM_set1_ip(vp, s->addr.ip,
	                                 s->addr.family == 6 ? 16 : 4) == 1
	       ? 0 : WARD_EINVAL;
}

struct uptls_conn *uptls_conn_open(struct uptls_server *s)
{
	struct uptls_pool *p = s->pool;
	struct wardd *d = p->d;
	struct uptls_conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->srv = s;
	dns_stream_rd_init(&c->rd);
	c->ssl = SSL_new(p->ctx);
	BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
	if (!c->ssl || !rb || !wb) {
		BIO_free(rb);
		BIO_free(wb);
		goto fail;
	}
	BIO_set_mem_eof_return(rb, -1);      /* empty: "want read", not EOF */
	SSL_set_bio(c->ssl, rb, wb);
	c->rbio = rb;
	c->wbio = wb;
	SSL_set_app_data(c->ssl, c);
	SSL_set_connect_state(c->ssl);
	if (set_identity(c->ssl, s) < 0)
		goto fail;
	if (s->session)
		SSL_set_session(c->ssl, s->session);
	if (uv_tcp_init(d->loop, &c->tcp) < 0)
		goto fail;
	uv_timer_init(d->loop, &c->timer);
	c->handles_open = 2;
	c->tcp.data = c;
	c->timer.data = c;
	c->creq.data = c;
	c->started = c->last_active = wardd_now(d);
	c->next = s->conns;
	s->conns = c;
	s->nconns++;
	p->st.connects++;
	uv_tcp_nodelay(&c->tcp, 1);
	struct sockaddr_storage ss;
	upstream_sockaddr(&s->addr, &ss);
	int r = uv_tcp_connect(&c->creq, &c->tcp, (struct sockaddr *)&ss,
	                       on_connected);
	if (r < 0) {
		p->st.connect_failed++;
		wlog(WLOG_WARNING, "TLS upstream %s: connect failed: %s", s->text,
		     uv_strerror(r));
		uptls_server_backoff(s, c->started);
		uptls_conn_close(c);
		return NULL;
	}
	arm_timer(c);
	return c;
fail:
	ERR_clear_error();
	SSL_free(c->ssl);
	free(c);
	return NULL;
}

static bool wire_id_used(const struct uptls_conn *c, uint16_t id)
{
	for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT; i++)
		if (c->q[i].g && c->q[i].wire_id == id)
			return true;
	return false;
}

int uptls_conn_query(struct uptls_conn *c, struct engine_gen *g,
                     const struct res_action *a)
{
	if (c->state == UPTLS_CLOSING || c->nq >= UPTLS_MAX_INFLIGHT ||
	    a->len < DNS_STREAM_MSG_MIN || a->len > DNS_STREAM_MSG_MAX)
		return WARD_ELIMIT;
	struct uptls_query *q = NULL;
	for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT && !q; i++)
		if (!c->q[i].g)
			q = &c->q[i];
	if (!q)
		return WARD_ELIMIT;
	uint16_t id;
	do
		wardd_random(NULL, (uint8_t *)&id, sizeof id);
	while (wire_id_used(c, id));
	size_t flen = a->len + 2;
	uint8_t *out;
	uint8_t *tmp = NULL;
	if (c->state == UPTLS_READY) {
		if (!(tmp = malloc(flen)))
			return WARD_ENOMEM;
		out = tmp;
	} else {
		if (c->plain_len + flen > c->plain_cap) {
			size_t cap = c->plain_cap ? c->plain_cap * 2 : 1024;
			while (cap < c->plain_len + flen)
				cap *= 2;
			uint8_t *v = realloc(c->plain, cap);
			if (!v)
				return WARD_ENOMEM;
			c->plain = v;
			c->plain_cap = cap;
		}
		out = c->plain + c->plain_len;
	}
	dns_stream_frame(out, a->buf, a->len);
	out[2] = (uint8_t)(id >> 8);
	out[3] = (uint8_t)id;
	if (tmp) {
		int n = SSL_write(c->ssl, tmp, (int)flen);
		free(tmp);
		if (n != (int)flen) {
			close_error(c, "TLS write failed");
			return WARD_EIO;
		}
		if (flush(c) < 0) {
			close_error(c, "cannot write");
			return WARD_EIO;
		}
	} else {
		c->plain_len += flen;
	}
	struct uptls_stats *st = conn_st(c);
	st->queries++;
	if (c->sent++)
		st->queries_reused++;
	q->g = g;
	q->token = a->token;
	q->wire_id = id;
	q->orig_id = (uint16_t)(a->buf[0] << 8 | a->buf[1]);
	q->tcp = a->tcp;
	q->sent = wardd_now(conn_d(c));
	q->sent_us = uv_hrtime() / 1000u;
	c->nq++;
	arm_timer(c);
	return 0;
}

void uptls_conn_close(struct uptls_conn *c)
{
	if (c->state == UPTLS_CLOSING)
		return;
	c->state = UPTLS_CLOSING;
	struct uptls_server *s = c->srv;
	struct uptls_pool *p = s->pool;
	for (unsigned i = 0; i < UPTLS_MAX_INFLIGHT; i++) {
		if (!c->q[i].g)
			continue;
		uptls_dash_lost(p, &s->addr);
		if (p->stopping)
			uptls_query_release(p, &c->q[i]);
		else
			uptls_query_defer_fail(p, &c->q[i]);
	}
	c->nq = 0;
	for (struct uptls_conn **pp = &s->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			s->nconns--;
			break;
		}
	}
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_closed);
	uv_close((uv_handle_t *)&c->tcp, on_closed);
}
