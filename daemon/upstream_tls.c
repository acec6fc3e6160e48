/* wardd: the DNS-over-TLS upstream pool (see upstream_tls.h). One SSL_CTX
 * for all servers: TLS 1.2 or later (RFC 8310 §9 via RFC 7525), the peer
 * verified against the system's trust store (OpenSSL's default paths,
 * /etc/ssl/certs) or tls-upstream-ca=FILE alone, never without
 * verification. Session tickets are kept per server for resumption. A
 * failure (refused, handshake, verification, closed, stuck) is logged,
 * counted and handed back to the engine as res_upstream_fail, which moves
 * on to the next server or answers SERVFAIL: a query for a server-tls=
 * address is never sent in plain text. */
#include <inttypes.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/dash.h"
#include "daemon/upstream_tls.h"

static bool same_addr(const struct res_addr *x, const struct res_addr *y)
{
	return x->family == y->family && x->port == y->port &&
	       !memcmp(x->ip, y->ip, x->family == 6 ? 16 : 4);
}

static void addr_text(const struct res_addr *a, char *buf, size_t n)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (a->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a->ip, 16);
		s6->sin6_port = htons(a->port);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a->ip, 4);
		s4->sin_port = htons(a->port);
	}
	sockaddr_text((struct sockaddr *)&ss, buf, n);
}

/* OpenSSL's error queue as one line (and emptied). */
static void ssl_errors(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();
	if (!e)
		snprintf(buf, n, "no detail");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
}

/* TLS 1.3 sends tickets after the handshake: keep the newest per server. */
static int on_new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct uptls_conn *c = SSL_get_app_data(ssl);
	if (!c)
		return 0;
	struct uptls_server *s = c->srv;
	if (s->session)
		SSL_SESSION_free(s->session);
	s->session = sess;
	return 1;            /* the reference is ours */
}

static SSL_CTX *ctx_new(const char *ca_file, char *why, size_t whylen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		ssl_errors(why, whylen);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	int ok = ca_file ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
	                 : SSL_CTX_set_default_verify_paths(ctx);
	if (ok != 1) {
		char e[200];
		ssl_errors(e, sizeof e);
		snprintf(why, whylen, "%s%s: %s", ca_file ? "tls-upstream-ca=" :
		         "the system's trust store", ca_file ? ca_file : "", e);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	                               SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(ctx, on_new_session);
	return ctx;
}

int upstream_tls_check(const ward_conf *c, char *why, size_t whylen)
{
	bool any = false;
	for (size_t i = 0; i < c->servers.n; i++)
		any |= c->servers.v[i].tls;
	if (!any)
		return 0;
	SSL_CTX *ctx = ctx_new(c->tls_upstream_ca, why, whylen);
	if (!ctx)
		return WARD_ECONF;
	SSL_CTX_free(ctx);
	return 0;
}

static struct uptls_server *find_server(struct uptls_pool *p,
                                        const struct res_addr *a)
{
	for (size_t i = 0; i < p->nsrv; i++)
		if (same_addr(&p->srv[i].addr, a))
			return &p->srv[i];
	return NULL;
}

int upstream_tls_lookup(const struct wardd *d, const struct res_addr *a,
                        const char **name)
{
	struct uptls_server *s = d->tls ? find_server(d->tls, a) : NULL;
	if (!s)
		return 0;
	*name = s->name;
	return 1;
}

static void conf_addr(struct res_addr *a, const conf_server *sv)
{
	memset(a, 0, sizeof *a);
	a->family = sv->addr.family == AF_INET6 ? 6 : 4;
	memcpy(a->ip, sv->addr.addr, a->family == 6 ? 16 : 4);
	a->port = sv->port;
}

static void on_defer(uv_timer_t *t);

int upstream_tls_start(struct wardd *d)
{
	const ward_conf *c = d->conf;
	size_t n = 0;
	for (size_t i = 0; i < c->servers.n; i++)
		n += c->servers.v[i].tls;
	if (!n) {
		if (c->tls_upstream_ca)
			wlog(WLOG_WARNING, "tls-upstream-ca=%s: there is no server-tls=; "
			     "not used", c->tls_upstream_ca);
		return 0;
	}
	struct uptls_pool *p = calloc(1, sizeof *p);
	if (!p || !(p->srv = calloc(n < UPTLS_MAX_SERVERS ? n :
	                            UPTLS_MAX_SERVERS, sizeof *p->srv))) {
		free(p);
		return WARD_ENOMEM;
	}
	p->d = d;
	char why[512];
	if (!(p->ctx = ctx_new(c->tls_upstream_ca, why, sizeof why))) {
		wlog(WLOG_ERR, "server-tls: cannot set up TLS: %s", why);
		free(p->srv);
		free(p);
		return WARD_ECONF;
	}
	int r = 0;
	for (size_t i = 0; i < c->servers.n && !r; i++) {
		const conf_server *sv = &c->servers.v[i];
		if (!sv->tls)
			continue;
		struct res_addr a;
		conf_addr(&a, sv);
		struct uptls_server *s = find_server(p, &a);
		if (s) {
			/* one address, one identity: two names would make the
			 * check depend on which rule the engine picked */
			bool same = (!s->name && !sv->tls_name) ||
			            (s->name && sv->tls_name &&
			             !strcasecmp(s->name, sv->tls_name));
			if (!same) {
				wlog(WLOG_ERR, "%s:%u: server-tls: %s is given with two "
				     "authentication names (%s and %s)", sv->loc.file,
				     sv->loc.line, s->text, s->name ? s->name : "none",
				     sv->tls_name ? sv->tls_name : "none");
				r = WARD_ECONF;
			}
			continue;
		}
		if (p->nsrv >= UPTLS_MAX_SERVERS) {
			wlog(WLOG_ERR, "more than %u server-tls= addresses",
			     UPTLS_MAX_SERVERS);
			r = WARD_ELIMIT;
			break;
		}
		s = &p->srv[p->nsrv++];
		s->pool = p;
		s->addr = a;
		s->name = sv->tls_name;
		addr_text(&a, s->text, sizeof s->text);
	}
	/* a plain server= at the same address and port goes over TLS too */
	for (size_t i = 0; i < c->servers.n && !r; i++) {
		const conf_server *sv = &c->servers.v[i];
		if (sv->tls || sv->kind != CONF_SERVER_FORWARD || !sv->has_addr)
			continue;
		struct res_addr a;
		conf_addr(&a, sv);
		if (find_server(p, &a))
			wlog(WLOG_WARNING, "%s:%u: server=%s is a server-tls= address "
			     "too: queries to it go over TLS", sv->loc.file,
			     sv->loc.line, find_server(p, &a)->text);
	}
	if (r || uv_timer_init(d->loop, &p->defer_timer) < 0) {
		SSL_CTX_free(p->ctx);
		free(p->srv);
		free(p);
		return r ? r : WARD_EIO;
	}
	p->defer_timer.data = p;
	p->defer_timer_open = true;
	d->tls = p;
	return 0;
}

void uptls_query_release(struct uptls_pool *p, struct uptls_query *q)
{
	struct engine_gen *g = q->g;
	q->g = NULL;
	if (!g)
		return;
	g->upstreams--;
	wardd_gen_release(p->d, g);
}

static void defer_push(struct uptls_pool *p, struct engine_gen *g,
                       uint32_t token)
{
	p->st.failed++;
	if (p->ndeferred == p->deferred_cap) {
		size_t cap = p->deferred_cap ? p->deferred_cap * 2 : 32;
		struct uptls_deferred *v = NULL;
		if (cap <= UPTLS_MAX_DEFERRED)
			v = realloc(p->deferred, cap * sizeof *v);
		if (!v) {
			/* the engine's own timeout moves on instead */
			g->upstreams--;
			wardd_gen_release(p->d, g);
			return;
		}
		p->deferred = v;
		p->deferred_cap = cap;
	}
	p->deferred[p->ndeferred].g = g;
	p->deferred[p->ndeferred].token = token;
	p->ndeferred++;
	if (!p->stopping && !uv_is_active((uv_handle_t *)&p->defer_timer))
		uv_timer_start(&p->defer_timer, on_defer, 0, 0);
}

void uptls_query_defer_fail(struct uptls_pool *p, struct uptls_query *q)
{
	struct engine_gen *g = q->g;
	q->g = NULL;
	if (g)
		defer_push(p, g, q->token);
}

/* Failures reach the engine here, one loop turn after they happened:
 * never inside the engine's own call that asked for the send. */
static void on_defer(uv_timer_t *t)
{
	struct uptls_pool *p = t->data;
	struct wardd *d = p->d;
	size_t n = p->ndeferred;
	struct uptls_deferred *v = p->deferred;
	p->deferred = NULL;
	p->ndeferred = p->deferred_cap = 0;
	for (size_t i = 0; i < n; i++) {
		struct engine_gen *g = v[i].g;
		if (p->stopping) {
			g->upstreams--;
			wardd_gen_release(d, g);
			continue;
		}
		wardd_wallclock(d, g);
		res_upstream_fail(g->e, v[i].token, false, wardd_now(d));
		g->upstreams--;
		wardd_pump(d, g);      /* frees a retired engine that is done */
	}
	free(v);
}

void uptls_dash_sent(struct uptls_pool *p, const struct res_addr *a)
{
	if (p->d->dash)
		dash_upstream_sent(p->d->dash, a);
}

void uptls_dash_reply(struct uptls_pool *p, const struct res_addr *a,
                      uint64_t sent_us)
{
	if (!p->d->dash)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	dash_upstream_reply(p->d->dash, a, uv_hrtime() / 1000u - sent_us,
	                    (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

void uptls_dash_lost(struct uptls_pool *p, const struct res_addr *a)
{
	if (p->d->dash)
		dash_upstream_lost(p->d->dash, a);
}

void uptls_server_backoff(struct uptls_server *s, uint64_t now)
{
	unsigned b = s->backoff_ms ? s->backoff_ms * 2 : UPTLS_BACKOFF_MIN_MS;
	if (b > UPTLS_BACKOFF_MAX_MS)
		b = UPTLS_BACKOFF_MAX_MS;
	s->backoff_ms = b;
	s->backoff_until = now + b;
}

/* The connection for one more query: the first open one with room (RFC
 * 7858 §3.4: reuse, pipeline), else a new one while under the limit. */
static struct uptls_conn *pick_conn(struct uptls_server *s, uint64_t now)
{
	for (struct uptls_conn *c = s->conns; c; c = c->next)
		if (c->state != UPTLS_CLOSING && c->nq < UPTLS_MAX_INFLIGHT)
			return c;
	if (s->nconns >= UPTLS_MAX_CONNS || now < s->backoff_until)
		return NULL;
	return uptls_conn_open(s);
}

bool upstream_tls_send(struct wardd *d, struct engine_gen *g,
                       const struct res_action *a)
{
	struct uptls_pool *p = d->tls;
	if (!p)
		return false;
	struct uptls_server *s = find_server(p, &a->dst);
	if (!s)
		return false;
	if (d->conf->log_queries && !g->setup.recursive) {
		char to[96];
		snprintf(to, sizeof to, "%s (TLS)", s->text);
		querylog_forwarded(a->buf, a->len, to);
	}
	g->upstreams++;            /* held until the query is over */
	if (p->stopping || a->len < DNS_STREAM_MSG_MIN) {
		p->st.dropped++;
		defer_push(p, g, a->token);
		return true;
	}
	/* counted as upstream.c counts a UDP/TCP send: before the socket
	 * (here the connection) is known to work; a failure is a loss */
	uptls_dash_sent(p, &s->addr);
	uint64_t now = wardd_now(d);
	struct uptls_conn *c = pick_conn(s, now);
	if (!c || uptls_conn_query(c, g, a) < 0) {
		if (!c && now >= s->backoff_until)
			p->st.dropped++;   /* every connection full */
		uptls_dash_lost(p, &s->addr);
		defer_push(p, g, a->token);
	}
	return true;
}

void upstream_tls_close_all(struct wardd *d)
{
	struct uptls_pool *p = d->tls;
	if (!p)
		return;
	p->stopping = true;
	for (size_t i = 0; i < p->nsrv; i++) {
		struct uptls_conn *next;
		for (struct uptls_conn *c = p->srv[i].conns; c; c = next) {
			next = c->next;
			uptls_conn_close(c);
		}
	}
	if (p->defer_timer_open) {
		uv_timer_stop(&p->defer_timer);
		uv_close((uv_handle_t *)&p->defer_timer, NULL);
		p->defer_timer_open = false;
	}
	on_defer(&p->defer_timer);  /* references dropped, engine not told */
}

void upstream_tls_free(struct wardd *d)
{
	struct uptls_pool *p = d->tls;
	if (!p)
		return;
	for (size_t i = 0; i < p->nsrv; i++)
		if (p->srv[i].session)
			SSL_SESSION_free(p->srv[i].session);
	free(p->deferred);
	SSL_CTX_free(p->ctx);
	free(p->srv);
	free(p);
	d->tls = NULL;
}

void upstream_tls_log_stats(struct wardd *d)
{
	struct uptls_pool *p = d->tls;
	if (!p)
		return;
	const struct uptls_stats *s = &p->st;
	unsigned open = 0;
	for (size_t i = 0; i < p->nsrv; i++)
		open += p->srv[i].nconns;
	wlog(WLOG_INFO, "tls upstream: connections %" PRIu64 " (open %u, "
	     "handshakes %" PRIu64 ", resumed %" PRIu64 ", connect failed %"
	     PRIu64 ", handshake failed %" PRIu64 ", verification failed %"
	     PRIu64 ", closed idle %" PRIu64 ", closed by server %" PRIu64
	     ", closed on error %" PRIu64 ", stuck %" PRIu64 "), queries %"
	     PRIu64 " (on a reused connection %" PRIu64 "), replies %" PRIu64
	     ", failed %" PRIu64 ", dropped %" PRIu64 ", stray replies %" PRIu64
	     ", protocol errors %" PRIu64, s->connects, open, s->handshakes,
	     s->resumed, s->connect_failed, s->handshake_failed,
	     s->verify_failed, s->closed_idle, s->closed_peer, s->closed_error,
	     s->stuck, s->queries, s->queries_reused, s->replies, s->failed,
	     s->dropped, s->stray_replies, s->protocol_errors);
}
