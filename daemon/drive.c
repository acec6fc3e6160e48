/* wardd: drives the sans-I/O engine (docs/resolver.md). Client queries go
 * into the current engine under a tag naming a slot of the pending table;
 * the engine's actions are carried out at once (SEND -> upstream.c,
 * ANSWER -> the client of the tag); one libuv timer follows
 * res_next_wakeup. SIGHUP builds a new engine and retires the old one,
 * which finishes its queries and is freed once idle. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "daemon/blocklist_run.h"
#include "daemon/dash.h"
#include "daemon/dhcp_serve.h"
#include "daemon/upstream_tls.h"
#include "daemon/wardd.h"

#define TAG_SLOT(t) ((unsigned)((t) & (WARDD_PENDING_MAX - 1)))

void wardd_random(void *ctx, uint8_t *buf, size_t n)
{
	(void)ctx;
	while (n) {
		ssize_t r = getrandom(buf, n, 0);
		if (r <= 0)
			continue;     /* EINTR; getrandom does not fail otherwise */
		buf += r;
		n -= (size_t)r;
	}
}

uint64_t wardd_now(const struct wardd *d)
{
	(void)d;
	return uv_hrtime() / 1000000u;
}

/* The engine's clock is monotonic; signature windows need the wall
 * clock (res_set_wallclock), refreshed before each call into the engine. */
static void wallclock_at(struct engine_gen *g, uint64_t now_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	res_set_wallclock(g->e, (int64_t)ts.tv_sec, now_ms);
}

void wardd_wallclock(const struct wardd *d, struct engine_gen *g)
{
	wallclock_at(g, wardd_now(d));
}

static void setup_log(void *ctx, bool warning, const char *msg)
{
	(void)ctx;
	wlog(warning ? WLOG_WARNING : WLOG_ERR, "%s", msg);
}

static struct engine_gen *gen_new(struct wardd *d, int *err)
{
	struct engine_gen *g = calloc(1, sizeof *g);
	if (!g) {
		*err = WARD_ENOMEM;
		return NULL;
	}
	int r = setup_build(&g->setup, d->dns_conf, wardd_random, NULL, setup_log, d);
	if (r) {
		free(g);
		*err = r;
		return NULL;
	}
	if (!d->cache) {
		d->cache = cache_new(&g->setup.cc);
		if (!d->cache) {
			setup_free(&g->setup);
			free(g);
			*err = WARD_ENOMEM;
			return NULL;
		}
	}
	g->setup.rc.blocklist = blocklists_view(d);
	g->e = res_engine_new(&g->setup.rc, d->cache);
	if (!g->e) {
		setup_free(&g->setup);
		free(g);
		*err = WARD_ENOMEM;
		return NULL;
	}
	return g;
}

static void gen_free(struct engine_gen *g)
{
	res_engine_free(g->e);
	setup_free(&g->setup);
	free(g);
}

static void on_timer(uv_timer_t *t);

int wardd_init(struct wardd *d, uv_loop_t *loop, ward_conf *conf)
{
	memset(d, 0, sizeof *d);
	d->loop = loop;
	d->conf = conf;
	d->dns_conf = conf;
	d->seq = 1;
	int err = blocklists_init(d);
	if (err)
		return err;
	d->gen = gen_new(d, &err);
	if (!d->gen) {
		blocklists_free(d);
		cache_free(d->cache);
		d->cache = NULL;
		return err;
	}
	uv_timer_init(loop, &d->timer);
	d->timer.data = d;
	return 0;
}

void wardd_free(struct wardd *d)
{
	if (d->gen)
		gen_free(d->gen);
	for (unsigned i = 0; i < d->nretired; i++)
		gen_free(d->retired[i]);
	d->gen = NULL;
	d->nretired = 0;
	cache_free(d->cache);
	d->cache = NULL;
	wardd_conf_prune(d, true);
	blocklists_free(d);
	free(d->listeners);
	d->listeners = NULL;
	tls_clients_free(d);
	free(d->polls);
	d->polls = NULL;
}

static void arm_timer(struct wardd *d)
{
	if (d->stopping)
		return;
	uint64_t due = res_next_wakeup(d->gen->e);
	for (unsigned i = 0; i < d->nretired; i++) {
		uint64_t w = res_next_wakeup(d->retired[i]->e);
		if (w < due)
			due = w;
	}
	if (due == UINT64_MAX) {
		uv_timer_stop(&d->timer);
		d->timer_due = 0;
		return;
	}
	if (d->timer_due == due && uv_is_active((uv_handle_t *)&d->timer))
		return;
	uint64_t now = wardd_now(d);
	d->timer_due = due;
	uv_timer_start(&d->timer, on_timer, due > now ? due - now : 0, 0);
}

/* A retired engine with nothing left to do is freed. */
void wardd_gen_release(struct wardd *d, struct engine_gen *g)
{
	if (g == d->gen || g->clients || g->upstreams)
		return;
	for (unsigned i = 0; i < d->nretired; i++) {
		if (d->retired[i] != g)
			continue;
		d->retired[i] = d->retired[--d->nretired];
		gen_free(g);
		wardd_conf_prune(d, false);
		return;
	}
}

static void on_timer(uv_timer_t *t)
{
	struct wardd *d = t->data;
	d->timer_due = 0;
	uint64_t now = wardd_now(d);
	wardd_wallclock(d, d->gen);
	res_tick(d->gen->e, now);
	wardd_pump(d, d->gen);
	for (unsigned i = d->nretired; i-- > 0;) {
		struct engine_gen *g = d->retired[i];
		wardd_wallclock(d, g);
		res_tick(g->e, now);
		wardd_pump(d, g);
	}
}

static void deliver(struct wardd *d, const struct res_action *a)
{
	struct pending *p = &d->pending[TAG_SLOT(a->client_tag)];
	if (p->tag != a->client_tag || p->tag == 0)
		return;       /* its TCP connection is gone, or a stale tag */
	bool aa = false;
	if (a->len >= DNS_HEADER_LEN) {
		uint16_t flags = (uint16_t)(a->buf[2] << 8 | a->buf[3]);
		aa = flags & DNS_FLAG_AA;
		if (aa)
			d->st.answers_local++;   /* only local data sets AA */
		if (DNS_RCODE(flags) == DNS_RCODE_FORMERR)
			d->st.malformed++;
	}
	bool at_once = a->client_tag == d->starting_tag;
	d->st.answers_sent++;
	if (at_once)
		d->st.answers_at_once++;   /* no upstream exchange: cache or local */
	if (d->conf->log_queries)
		querylog_reply(a->buf, a->len, a->blocked ? "blocked" :
		               aa ? "config" : at_once ? "cached" : "reply");
	if (d->dash) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t now_us = uv_hrtime() / 1000u;
		dash_answer(d->dash, a->buf, a->len, (const struct sockaddr *)&p->peer,
		            p->tcp, at_once, now_us - p->start_us,
		            (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	}
	if (p->tcp) {
		struct tcp_conn *c = p->conn;
		if (c) {
			c->outstanding--;
			conn_answer(c, p->stream, a->buf, a->len);
		}
	} else {
		udp_client_answer(p->l, (const struct sockaddr *)&p->peer, a->buf,
		                  a->len);
	}
	struct engine_gen *g = p->gen;
	p->tag = 0;
	p->conn = NULL;
	d->npending--;
	g->clients--;
}

static void pump_at(struct wardd *d, struct engine_gen *g, uint64_t now)
{
	struct res_action a;
	while (res_next_action(g->e, now, &a) == 1) {
		if (a.kind == RES_ACT_SEND)
			upstream_send(d, g, &a);
		else if (a.kind == RES_ACT_ANSWER)
			deliver(d, &a);
	}
	wardd_gen_release(d, g);
	arm_timer(d);
}

void wardd_pump(struct wardd *d, struct engine_gen *g)
{
	pump_at(d, g, wardd_now(d));
}

static struct pending *slot_get(struct wardd *d)
{
	if (d->npending >= WARDD_PENDING_MAX)
		return NULL;
	/* the tag is a sequence number (never 0, never reused) whose low bits
	 * name the slot; busy slots are skipped */
	for (unsigned n = 0; n < WARDD_PENDING_MAX; n++) {
		uint64_t seq = d->seq++;
		struct pending *p = &d->pending[TAG_SLOT(seq)];
		if (p->tag)
			continue;
		p->tag = seq;
		d->npending++;
		return p;
	}
	return NULL;
}

static bool query_start(struct wardd *d, const uint8_t *pkt, size_t len,
                        bool tcp, struct listener *l,
                        const struct sockaddr *peer, struct tcp_conn *conn,
                        uint32_t stream)
{
	if (!tcp)
		d->st.udp_queries++;
	else if (!conn || conn->kind == CONN_TCP)
		d->st.tcp_queries++;  /* DoT and DoH are counted by their own */
	if (d->conf->log_queries)
		querylog_query(pkt, len, peer, tcp);
	struct pending *p = slot_get(d);
	if (!p) {
		d->st.dropped_busy++;
		return false;
	}
	struct engine_gen *g = d->gen;
	p->gen = g;
	p->tcp = tcp;
	p->l = l;
	p->conn = conn;
	p->stream = stream;
	memset(&p->peer, 0, sizeof p->peer);
	if (peer)
		memcpy(&p->peer, peer, peer->sa_family == AF_INET6 ?
		       sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	/* one reading of the monotonic clock for the query's arrival, the
	 * engine and the actions it gives (a cache hit is over in
	 * microseconds; each reading was ~1% of the daemon's time) */
	uint64_t now_ns = uv_hrtime(), now = now_ns / 1000000u;
	p->start_us = now_ns / 1000u;
	g->clients++;
	uint64_t tag = p->tag;
	uint64_t outer = d->starting_tag;  /* a TCP answer can start another */
	d->starting_tag = tag;
	wallclock_at(g, now);
	int r = res_query_start(g->e, tag, pkt, len, tcp, now);
	if (r < 0 && d->pending[TAG_SLOT(tag)].tag == tag) {
		/* garbage (< 12 bytes, QR=1), or the engine is full
		 * (WARD_ELIMIT): dropped, no answer will come */
		if (r == WARD_ELIMIT)
			d->st.dropped_busy++;
		else
			d->st.malformed++;
		p->tag = 0;
		p->conn = NULL;
		d->npending--;
		g->clients--;
		d->starting_tag = outer;
		pump_at(d, g, now);
		return false;
	}
	pump_at(d, g, now);
	d->starting_tag = outer;
	return true;
}

bool wardd_query(struct wardd *d, const uint8_t *pkt, size_t len, bool tcp,
                 struct listener *l, const struct sockaddr *peer,
                 struct tcp_conn *conn)
{
	return query_start(d, pkt, len, tcp, l, peer, conn, 0);
}

bool wardd_query_stream(struct wardd *d, const uint8_t *pkt, size_t len,
                        struct tcp_conn *conn, uint32_t stream)
{
	return query_start(d, pkt, len, true, NULL,
	                   (const struct sockaddr *)&conn->peer, conn, stream);
}

void wardd_forget_conn(struct wardd *d, struct tcp_conn *c)
{
	for (unsigned i = 0; i < WARDD_PENDING_MAX && c->outstanding; i++) {
		struct pending *p = &d->pending[i];
		if (p->tag && p->tcp && p->conn == c) {
			p->conn = NULL;
			c->outstanding--;
		}
	}
}

int wardd_reload(struct wardd *d, bool clear_cache)
{
	if (d->nretired >= WARDD_MAX_RETIRED) {
		wlog(WLOG_WARNING, "reload refused: %u older configurations are "
		     "still finishing their queries", d->nretired);
		return WARD_ELIMIT;
	}
	int err = 0;
	struct engine_gen *g = gen_new(d, &err);
	if (!g) {
		wlog(WLOG_ERR, "reload failed (%s); the old configuration stays",
		     ward_strerror(err));
		return err;
	}
	if (clear_cache)
		cache_flush_all(d->cache);
	struct engine_gen *old = d->gen;
	d->gen = g;
	d->retired[d->nretired++] = old;
	d->st.reloads++;
	if (d->dhcp)   /* the new local data has no lease names yet */
		dhcp_serve_names(d->dhcp);
	wlog(WLOG_INFO, "reloaded: %s%u hosts entries from %u files, "
	     "%u nameservers from resolv files",
	     clear_cache ? "cache cleared, " : "", g->setup.hosts_entries,
	     g->setup.hosts_files, g->setup.n_resolv);
	wardd_gen_release(d, old);
	arm_timer(d);
	return 0;
}

void wardd_engine_stats(const struct wardd *d, struct res_stats *es)
{
	memset(es, 0, sizeof *es);
	res_get_stats(d->gen->e, es);
	/* the retired engines' work counts too */
	for (unsigned i = 0; i < d->nretired; i++) {
		struct res_stats r;
		res_get_stats(d->retired[i]->e, &r);
		es->client_queries += r.client_queries;
		es->answers += r.answers;
		es->upstream_sent += r.upstream_sent;
		es->upstream_replies += r.upstream_replies;
		es->ignored_replies += r.ignored_replies;
		es->timeouts += r.timeouts;
		es->servfail += r.servfail;
		es->cache_answers += r.cache_answers;
		es->dedup += r.dedup;
		es->prefetches += r.prefetches;
		es->local_answers += r.local_answers;
		es->case_mismatch += r.case_mismatch;
		es->caps_fallback += r.caps_fallback;
		es->blocked += r.blocked;
		es->filtered += r.filtered;
		es->bogus_nx += r.bogus_nx;
	}
}

void wardd_log_stats(struct wardd *d)
{
	struct cache_stats cs;
	cache_get_stats(d->cache, &cs);
	struct res_stats es;
	wardd_engine_stats(d, &es);
	int64_t size = d->conf->cache_size < 0 ? CONF_DEFAULT_CACHE_SIZE
	                                       : d->conf->cache_size;
	/* dnsmasq's two counts: answered without asking anyone (cache, local
	 * data, errors) and the rest */
	uint64_t local = d->st.answers_at_once;
	uint64_t fwd = d->st.answers_sent > local ? d->st.answers_sent - local : 0;
	wlog(WLOG_INFO, "cache size %" PRId64 ", %" PRIu64 "/%" PRIu64
	     " cache insertions re-used unexpired cache entries.", size,
	     cs.evicted, cs.inserts);
	wlog(WLOG_INFO, "queries forwarded %" PRIu64 ", queries answered "
	     "locally %" PRIu64, fwd, local);
	wlog(WLOG_INFO, "engine: client queries %" PRIu64 ", answers %" PRIu64
	     ", upstream sent %" PRIu64 ", upstream replies %" PRIu64
	     ", ignored replies %" PRIu64 ", timeouts %" PRIu64 ", servfail %"
	     PRIu64 ", cache answers %" PRIu64 ", deduplicated %" PRIu64,
	     es.client_queries, es.answers, es.upstream_sent,
	     es.upstream_replies, es.ignored_replies, es.timeouts, es.servfail,
	     es.cache_answers, es.dedup);
	wlog(WLOG_INFO, "cache: entries %zu, bytes %zu, hits %" PRIu64
	     ", misses %" PRIu64 ", evicted %" PRIu64 ", expired %" PRIu64,
	     cs.entries, cs.bytes, cs.hits, cs.misses, cs.evicted, cs.expired);
	wlog(WLOG_INFO, "daemon: udp queries %" PRIu64 ", tcp queries %" PRIu64
	     ", malformed %" PRIu64 ", dropped (busy) %" PRIu64
	     ", tcp connections %" PRIu64 " (refused %" PRIu64 ", idle closed %"
	     PRIu64 "), upstream socket errors %" PRIu64 ", upstream dropped %"
	     PRIu64 ", replies from wrong source %" PRIu64 ", reloads %" PRIu64
	     ", answers in UDP GSO sends %" PRIu64 " (%" PRIu64 " sends)",
	     d->st.udp_queries, d->st.tcp_queries, d->st.malformed,
	     d->st.dropped_busy, d->st.tcp_conns, d->st.tcp_refused,
	     d->st.tcp_idle_closed, d->st.upstream_socket_errors,
	     d->st.upstream_dropped, d->st.upstream_bad_source, d->st.reloads,
	     d->st.udp_gso_answers, d->st.udp_gso_sends);
	upstream_tls_log_stats(d);
	tls_clients_log_stats(d);
	if (es.bogus_nx)
		wlog(WLOG_INFO, "answers turned NXDOMAIN by bogus-nxdomain %"
		     PRIu64, es.bogus_nx);
	if (es.filtered)
		wlog(WLOG_INFO, "answers with records filtered out (filter-rr) %"
		     PRIu64, es.filtered);
	if (d->bl) {
		wlog(WLOG_INFO, "blocked %" PRIu64 " queries", es.blocked);
		blocklists_log_stats(d);
	}
	dhcp_serve_log_stats(d->dhcp);
}
