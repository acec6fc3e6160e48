/* wardd: encrypted DNS towards clients (docs/encrypted-dns.md): the
 * certificate and key of tls-certificate= and tls-key=, read once at
 * startup (before privileges are dropped), one TLS context for DNS over
 * TLS (ALPN "dot", RFC 7858 and RFC 8310) and one for DNS over HTTPS
 * (ALPN "h2", RFC 8484); a DoT socket on tls-port= and a DoH socket on
 * https-port= for every address listen.c listens on; the statistics. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "codec/error.h"
#include "daemon/client_tls.h"

#define TLS_BACKLOG 128

static void where(const conf_loc *loc, char *buf, size_t n)
{
	if (loc->line)
		snprintf(buf, n, "%s:%u", loc->file, loc->line);
	else
		snprintf(buf, n, "%s", loc->file ? loc->file : "command line");
}

/* "FILE:LINE: tls-key=PATH: why": the option whose file is at fault */
static int refuse(const ward_conf *c, const char *why)
{
	const conf_str *o = &c->tls_certificate;
	const char *name = "tls-certificate";
	size_t kl = strlen(c->tls_key.s);
	if (!strncmp(why, c->tls_key.s, kl) && (why[kl] == ':' || why[kl] == ' ') &&
	    strcmp(c->tls_key.s, c->tls_certificate.s)) {
		o = &c->tls_key;
		name = "tls-key";
	}
	size_t pl = strlen(o->s);
	if (!strncmp(why, o->s, pl) && why[pl] == ':' && why[pl + 1] == ' ')
		why += pl + 2;   /* the path is in the message already */
	char at[300];
	where(&o->loc, at, sizeof at);
	wlog(WLOG_ERR, "%s: %s=%s: %s; encrypted DNS cannot start", at, name,
	     o->s, why);
	return WARD_ECONF;
}

static int load(const ward_conf *c, const char *alpn, void **ctx)
{
	if (!c->tls_certificate.s || !c->tls_key.s)
		return WARD_ECONF;     /* conf_finish said so already */
	char why[512];
	*ctx = tls_ctx_server(c->tls_certificate.s, c->tls_key.s, alpn, why,
	                      sizeof why);
	return *ctx ? 0 : refuse(c, why);
}

int tls_clients_setup(struct wardd *d)
{
	const ward_conf *c = d->conf;
	int r = 0;
	if (c->tls_port)
		r = load(c, "dot", &d->tls_dot);
	if (!r && c->https_port)
		r = load(c, "h2", &d->tls_doh);
	return r;
}

/* New connections get the new context; the open ones keep theirs (an
 * SSL holds a reference to its SSL_CTX). */
static bool reload_one(struct wardd *d, const char *alpn, void **slot)
{
	const ward_conf *c = d->conf;
	char why[512];
	void *ctx = tls_ctx_server(c->tls_certificate.s, c->tls_key.s, alpn,
	                           why, sizeof why);
	if (!ctx) {
		wlog(WLOG_WARNING, "SIGHUP: %s; the certificate loaded before "
		     "stays in use", why);
		return false;
	}
	tls_ctx_free(*slot);
	*slot = ctx;
	return true;
}

void tls_clients_reload(struct wardd *d)
{
	bool ok = true;
	if (d->tls_dot)
		ok = reload_one(d, "dot", &d->tls_dot);
	if (ok && d->tls_doh)
		ok = reload_one(d, "h2", &d->tls_doh);
	if (ok && (d->tls_dot || d->tls_doh))
		wlog(WLOG_INFO, "SIGHUP: TLS certificate %s read again",
		     d->conf->tls_certificate.s);
}

int tls_clients_check(const ward_conf *c)
{
	void *ctx = NULL;
	if (!c->tls_port && !c->https_port)
		return 0;
	int r = load(c, "dot", &ctx);
	tls_ctx_free(ctx);
	return r;
}

static int start_one(struct listener *l, uv_tcp_t *h, bool *open,
                     uint16_t port, uv_connection_cb cb, const char *what)
{
	struct sockaddr_storage ss = l->addr;
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	char t[INET6_ADDRSTRLEN + 8];
	sockaddr_text((struct sockaddr *)&ss, t, sizeof t);
	int r = uv_tcp_init(l->d->loop, h);
	if (r < 0)
		return r;
	h->data = l;
	*open = true;
	unsigned flags = ss.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
	if ((r = uv_tcp_bind(h, (const struct sockaddr *)&ss, flags)) < 0 ||
	    (r = uv_listen((uv_stream_t *)h, TLS_BACKLOG, cb)) < 0) {
		wlog(WLOG_ERR, "failed to create the %s socket for %s: %s", what,
		     t, uv_strerror(r));
		return r;
	}
	wlog(WLOG_INFO, "listening on %s (%s)", t, what);
	return 0;
}

int tls_clients_start(struct listener *l)
{
	const ward_conf *c = l->d->conf;
	int r = 0;
	if (c->tls_port && l->d->tls_dot)
		r = start_one(l, &l->dot, &l->dot_open, (uint16_t)c->tls_port,
		              dot_on_connection, "DNS over TLS");
	if (r >= 0 && c->https_port && l->d->tls_doh)
		r = start_one(l, &l->doh, &l->doh_open, (uint16_t)c->https_port,
		              doh_on_connection, "DNS over HTTPS");
	return r;
}

static void on_closed(uv_handle_t *h)
{
	(void)h;
}

void tls_clients_close(struct listener *l)
{
	if (l->dot_open && !uv_is_closing((uv_handle_t *)&l->dot))
		uv_close((uv_handle_t *)&l->dot, on_closed);
	if (l->doh_open && !uv_is_closing((uv_handle_t *)&l->doh))
		uv_close((uv_handle_t *)&l->doh, on_closed);
	l->dot_open = l->doh_open = false;
}

void tls_clients_free(struct wardd *d)
{
	tls_ctx_free(d->tls_dot);
	tls_ctx_free(d->tls_doh);
	d->tls_dot = d->tls_doh = NULL;
}

void tls_clients_log_stats(struct wardd *d)
{
	if (!d->conf->tls_port && !d->conf->https_port)
		return;
	wlog(WLOG_INFO, "encrypted: DoT queries %" PRIu64 ", DoH queries %"
	     PRIu64 " (HTTP errors %" PRIu64 "), TLS connections %" PRIu64
	     " (refused %" PRIu64 "), TLS handshakes %" PRIu64 ", failed %"
	     PRIu64, d->st.dot_queries, d->st.doh_queries, d->st.doh_errors,
	     d->st.tls_conns, d->st.tls_refused, d->st.tls_handshakes,
	     d->st.tls_failures);
}

/* ---- per connection (client_tls.h) ---- */

int tls_conn_start(struct tcp_conn *c, struct tls_conn *tc, void *ssl_ctx)
{
	return tls_stream_init(&tc->t, ssl_ctx, (uv_stream_t *)&c->h, true);
}

uv_buf_t tls_conn_room(struct tls_conn *tc)
{
	return uv_buf_init((char *)tc->rbuf, sizeof tc->rbuf);
}

void tls_conn_first_timeout(struct tcp_conn *c)
{
	c->d->st.tls_failures++;
}

int tls_conn_input(struct tcp_conn *c, struct tls_conn *tc, ssize_t nread)
{
	bool was = tc->t.established;
	if (nread < 0) {
		if (was)
			return 0;
		c->d->st.tls_failures++;   /* gone before the handshake ended */
		conn_close(c);
		return -1;
	}
	if (tls_stream_feed(&tc->t, tc->rbuf, (size_t)nread) < 0) {
		if (!was)
			c->d->st.tls_failures++;
		conn_shutdown(c);   /* the alert goes out first */
		return -1;
	}
	if (!was && tc->t.established) {
		c->d->st.tls_handshakes++;
		conn_touch(c);       /* from the handshake timer to the idle one */
		return 1;
	}
	return 0;
}
