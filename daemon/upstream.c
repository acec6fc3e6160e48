/* wardd: the engine's upstream queries. Each SEND gets a fresh socket: UDP
 * bound to an ephemeral port the kernel picks (randomised on Linux), or a
 * TCP connection carrying the query with its 2-byte length (RFC 1035
 * §4.2.2). A UDP datagram is handed to the engine only when it comes from
 * the address and port queried (the engine then checks ID and question:
 * the DNSpooq lessons). The socket closes when the engine accepted a
 * reply, or after WARDD_UPSTREAM_LINGER_MS; retries and timeouts are the
 * engine's business. */
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "codec/error.h"
#include "daemon/upstream_tls.h"
#include "daemon/dash.h"
#include "daemon/wardd.h"

struct upstream {
	struct wardd *d;
	struct engine_gen *g;
	uint32_t token;
	struct res_addr dst;
	bool tcp, closing;
	bool answered;             /* the engine accepted a reply */
	uint64_t sent_us;          /* uv_hrtime at the send (dashboard RTT) */
	union {
		uv_handle_t h;
		uv_udp_t udp;
		uv_tcp_t tcp;
	} s;
	uv_timer_t timer;
	uv_connect_t conn;
	uv_write_t wr;
	uv_udp_send_t send;
	unsigned handles_open;
	uint8_t *out;              /* the query (TCP: with its length) */
	size_t outlen;
	uint8_t *in;               /* TCP reply being read */
	size_t inlen, incap;
	struct upstream *prev, *next;
};

void upstream_sockaddr(const struct res_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->ip, 16);
		s6->sin6_port = htons(a->port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->ip, 4);
		s4->sin_port = htons(a->port);
	}
}

static bool from_sockaddr(const struct sockaddr *sa, struct res_addr *a)
{
	memset(a, 0, sizeof *a);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		a->family = 4;
		memcpy(a->ip, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		a->family = 6;
		memcpy(a->ip, &s6->sin6_addr, 16);
		a->port = ntohs(s6->sin6_port);
		return true;
	}
	return false;
}

static bool same_addr(const struct res_addr *x, const struct res_addr *y)
{
	return x->family == y->family && x->port == y->port &&
	       !memcmp(x->ip, y->ip, x->family == 6 ? 16 : 4);
}

static void on_closed(uv_handle_t *h)
{
	struct upstream *u = h->data;
	if (--u->handles_open)
		return;
	struct wardd *d = u->d;
	struct engine_gen *g = u->g;
	if (u->prev)
		u->prev->next = u->next;
	else
		d->upstreams = u->next;
	if (u->next)
		u->next->prev = u->prev;
	d->nupstreams--;
	g->upstreams--;
	if (d->dash && !u->answered)
		dash_upstream_lost(d->dash, &u->dst);
	free(u->out);
	free(u->in);
	free(u);
	wardd_gen_release(d, g);
}

static void up_close(struct upstream *u)
{
	if (u->closing)
		return;
	u->closing = true;
	uv_timer_stop(&u->timer);
	uv_close(&u->s.h, on_closed);
	uv_close((uv_handle_t *)&u->timer, on_closed);
}

void upstream_close_all(struct wardd *d)
{
	for (struct upstream *u = d->upstreams; u; u = u->next)
		up_close(u);
}

static void on_linger(uv_timer_t *t)
{
	up_close(t->data);
}

static void deliver(struct upstream *u, const struct res_addr *from,
                    const uint8_t *pkt, size_t len)
{
	struct wardd *d = u->d;
	wardd_wallclock(d, u->g);
	int r = res_upstream_reply(u->g->e, u->token, from, u->tcp, pkt, len,
	                           wardd_now(d));
	if (r >= 0 && d->dash && !u->answered) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		dash_upstream_reply(d->dash, &u->dst, uv_hrtime() / 1000u - u->sent_us,
		                    (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	}
	if (r >= 0)
		u->answered = true;
	if (r >= 0 || u->tcp)
		up_close(u);  /* accepted; a TCP connection carries one reply */
	wardd_pump(d, u->g);
}

/* ---- UDP ---- */

static uint8_t udp_buf[WARDD_UDP_RECV_MAX];

static void udp_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	(void)suggested;
	b->base = (char *)udp_buf;
	b->len = sizeof udp_buf;
}

static void udp_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *b,
                     const struct sockaddr *addr, unsigned flags)
{
	struct upstream *u = h->data;
	(void)flags;
	if (u->closing || nread <= 0 || !addr)
		return;   /* nothing, or an ICMP error: the engine times out */
	struct res_addr from;
	if (!from_sockaddr(addr, &from) || !same_addr(&from, &u->dst)) {
		u->d->st.upstream_bad_source++;
		return;
	}
	deliver(u, &from, (const uint8_t *)b->base, (size_t)nread);
}

static void udp_sent(uv_udp_send_t *req, int status)
{
	struct upstream *u = req->data;
	if (status < 0 && status != UV_ECANCELED) {
		u->d->st.upstream_socket_errors++;
		up_close(u);
	}
}

static int udp_start(struct upstream *u, const struct sockaddr *dst)
{
	uv_udp_t *s = &u->s.udp;
	int r = uv_udp_init(u->d->loop, s);
	if (r < 0)
		return r;
	u->handles_open++;
	struct sockaddr_storage any;
	memset(&any, 0, sizeof any);
	any.ss_family = dst->sa_family;   /* port 0: the kernel's ephemeral */
	if ((r = uv_udp_bind(s, (struct sockaddr *)&any, 0)) < 0 ||
	    (r = uv_udp_recv_start(s, udp_alloc, udp_recv)) < 0)
		return r;
	uv_buf_t b = uv_buf_init((char *)u->out, (unsigned)u->outlen);
	r = uv_udp_try_send(s, &b, 1, dst);
	if (r == (int)u->outlen)
		return 0;
	if (r >= 0 || r == UV_EAGAIN) {
		u->send.data = u;
		return uv_udp_send(&u->send, s, &b, 1, dst, udp_sent);
	}
	return r;
}

/* ---- TCP ---- */

static void tcp_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct upstream *u = h->data;
	(void)suggested;
	size_t want = 2;
	if (u->inlen >= 2)
		want = 2u + (size_t)(u->in[0] << 8 | u->in[1]);
	if (want <= u->inlen)
		want = u->inlen + 1;
	if (u->incap < want) {
		uint8_t *n = realloc(u->in, want);
		if (!n) {
			b->base = NULL;
			b->len = 0;
			return;
		}
		u->in = n;
		u->incap = want;
	}
	b->base = (char *)u->in + u->inlen;
	b->len = u->incap - u->inlen;
}

static void tcp_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct upstream *u = st->data;
	(void)b;
	if (u->closing)
		return;
	if (nread < 0) {
		up_close(u);      /* EOF or error before a whole reply */
		return;
	}
	u->inlen += (size_t)nread;
	if (u->inlen < 2)
		return;
	size_t need = 2u + (size_t)(u->in[0] << 8 | u->in[1]);
	if (u->inlen < need)
		return;
	deliver(u, &u->dst, u->in + 2, need - 2);
}

static void tcp_written(uv_write_t *req, int status)
{
	struct upstream *u = req->data;
	if (status < 0 && status != UV_ECANCELED) {
		u->d->st.upstream_socket_errors++;
		up_close(u);
	}
}

static void tcp_connected(uv_connect_t *req, int status)
{
	struct upstream *u = req->data;
	if (u->closing)
		return;
	if (status < 0) {
		u->d->st.upstream_socket_errors++;
		up_close(u);
		return;
	}
	uv_buf_t b = uv_buf_init((char *)u->out, (unsigned)u->outlen);
	u->wr.data = u;
	if (uv_write(&u->wr, (uv_stream_t *)&u->s.tcp, &b, 1, tcp_written) < 0 ||
	    uv_read_start((uv_stream_t *)&u->s.tcp, tcp_alloc, tcp_read) < 0) {
		u->d->st.upstream_socket_errors++;
		up_close(u);
	}
}

static int tcp_start(struct upstream *u, const struct sockaddr *dst)
{
	int r = uv_tcp_init(u->d->loop, &u->s.tcp);
	if (r < 0)
		return r;
	u->handles_open++;
	u->conn.data = u;
	return uv_tcp_connect(&u->conn, &u->s.tcp, dst, tcp_connected);
}

void upstream_send(struct wardd *d, struct engine_gen *g,
                   const struct res_action *a)
{
	if (upstream_tls_send(d, g, a))
		return;    /* a server-tls= address: over TLS, never plain */
	if (d->stopping || d->nupstreams >= WARDD_UPSTREAM_MAX) {
		d->st.upstream_dropped++;   /* the engine's timeout moves on */
		return;
	}
	struct upstream *u = calloc(1, sizeof *u);
	size_t off = a->tcp ? 2 : 0;
	if (!u || !(u->out = malloc(a->len + off))) {
		free(u);
		d->st.upstream_dropped++;
		return;
	}
	u->d = d;
	u->g = g;
	u->token = a->token;
	u->dst = a->dst;
	u->tcp = a->tcp;
	if (a->tcp) {
		u->out[0] = (uint8_t)(a->len >> 8);
		u->out[1] = (uint8_t)a->len;
	}
	memcpy(u->out + off, a->buf, a->len);
	u->outlen = a->len + off;
	u->s.h.data = u;
	u->timer.data = u;
	u->next = d->upstreams;
	if (u->next)
		u->next->prev = u;
	d->upstreams = u;
	d->nupstreams++;
	g->upstreams++;
	uv_timer_init(d->loop, &u->timer);
	u->handles_open++;
	uv_timer_start(&u->timer, on_linger, WARDD_UPSTREAM_LINGER_MS, 0);
	struct sockaddr_storage ss;
	upstream_sockaddr(&a->dst, &ss);
	if (d->conf->log_queries && !g->setup.recursive) {
		char to[64];
		sockaddr_text((struct sockaddr *)&ss, to, sizeof to);
		char *hash = strrchr(to, '#');
		if (hash && !strcmp(hash, "#53"))
			*hash = 0;     /* dnsmasq shows the port only when not 53 */
		querylog_forwarded(a->buf, a->len, to);
	}
	u->sent_us = uv_hrtime() / 1000u;
	if (d->dash)
		dash_upstream_sent(d->dash, &a->dst);
	int r = a->tcp ? tcp_start(u, (struct sockaddr *)&ss)
	               : udp_start(u, (struct sockaddr *)&ss);
	if (r < 0) {
		d->st.upstream_socket_errors++;
		if (u->handles_open == 2) {
			up_close(u);
		} else {
			/* the socket handle never initialised: close the timer only */
			u->closing = true;
			uv_close((uv_handle_t *)&u->timer, on_closed);
		}
	}
}
