/* wardd: the HTTP threads' view of wardd's state (http.h). A handler asks
 * for a snapshot: it sets the target under the bridge's mutex, wakes the
 * event loop with uv_async_send and waits on the condition variable; the
 * loop's async callback copies the counters (and, when asked, the leases)
 * into the target and signals. The loop never blocks on the HTTP side; a
 * handler gives up after HTTP_SNAPSHOT_WAIT_MS (the loop is busy or
 * stopping) and clears the target first, so a late callback writes
 * nowhere. Chosen over a mutex around the counters because the engine's,
 * the cache's and the DHCP engine's state is not ours to lock: copying it
 * on its own thread keeps every engine call single-threaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"

struct lease_walk {
	struct http_snap *s;
	int64_t now;
	size_t cap;
};

static void mac_text(const struct dhcp_lease *l, char *buf, size_t n)
{
	size_t pos = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < l->hlen && i < DHCP_LEASE_HWADDR_MAX; i++) {
		int w = snprintf(buf + pos, n - pos, "%s%02x", i ? ":" : "", l->hw[i]);
		if (w < 0 || (size_t)w >= n - pos)
			break;
		pos += (size_t)w;
	}
}

static void lease_cb(void *ctx, const struct dhcp_lease *l)
{
	struct lease_walk *w = ctx;
	struct http_snap *s = w->s;
	bool expired = l->expires != DHCP_LEASE_INFINITE && l->expires <= w->now;
	if (expired)
		s->leases_due++;
	else
		s->leases_active++;
	if (!w->cap)
		return;
	if (s->nleases >= w->cap) {
		s->leases_truncated = true;
		return;
	}
	struct http_lease *o = &s->leases[s->nleases++];
	o->ip = l->ip;
	o->expires = l->expires;
	mac_text(l, o->mac, sizeof o->mac);
	snprintf(o->host, sizeof o->host, "%s", l->hostname);
}

/* On the loop thread. */
static void fill(struct wardd *d, struct http_snap *s, bool want_leases)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	s->now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (d->dash)
		s->k = d->dash->c;
	s->st = d->st;
	wardd_engine_stats(d, &s->es);
	cache_get_stats(d->cache, &s->cs);
	s->dnssec = d->conf->dnssec;
	s->recursive = d->gen->setup.recursive;
	s->n_upstreams = d->gen->setup.n_upstreams;
	s->dhcp = d->dhcp != NULL;
	if (!d->dhcp || !d->dhcp->e)
		return;
	s->ds = d->dhcp->st_;
	struct lease_walk w = { s, ts.tv_sec, 0 };
	if (want_leases) {
		s->leases = calloc(HTTP_LEASES_MAX, sizeof *s->leases);
		if (s->leases)
			w.cap = HTTP_LEASES_MAX;
	}
	dhcp_engine_lease_foreach(d->dhcp->e, lease_cb, &w);
	/* the leases that ran out (their expiry is in the past: listed as
	 * expired, not counted as active) */
	const struct dash_counters *k = &s->k;
	uint64_t n = k->expired_total < DASH_EXPIRED_MAX ? k->expired_total
	                                                 : DASH_EXPIRED_MAX;
	for (uint64_t i = 0; i < n && w.cap; i++) {
		const struct dhcp_lease *l =
		        &k->expired[(k->expired_total - 1 - i) % DASH_EXPIRED_MAX];
		if (s->nleases >= w.cap) {
			s->leases_truncated = true;
			break;
		}
		struct http_lease *o = &s->leases[s->nleases++];
		o->ip = l->ip;
		o->expires = l->expires;
		mac_text(l, o->mac, sizeof o->mac);
		snprintf(o->host, sizeof o->host, "%s", l->hostname);
	}
}

static void on_async(uv_async_t *a)
{
	struct http_bridge *b = a->data;
	pthread_mutex_lock(&b->mu);
	if ((b->target || b->fn) && b->done < b->asked) {
		if (b->target)
			fill(b->d, b->target, b->want_leases);
		if (b->fn)
			b->fn(b->d, b->fn_arg);
		b->done = b->asked;
		pthread_cond_broadcast(&b->cv);
	}
	pthread_mutex_unlock(&b->mu);
}

int http_bridge_init(struct http_bridge *b, struct wardd *d)
{
	memset(b, 0, sizeof *b);
	b->d = d;
	int r = uv_async_init(d->loop, &b->async, on_async);
	if (r < 0)
		return r;
	b->async.data = b;
	b->async_open = true;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&b->mu, NULL);
	pthread_mutex_init(&b->take_mu, NULL);
	return 0;
}

void http_bridge_close(struct http_bridge *b)
{
	pthread_mutex_lock(&b->mu);
	b->closed = true;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	if (b->async_open && !uv_is_closing((uv_handle_t *)&b->async))
		uv_close((uv_handle_t *)&b->async, NULL);
}

void http_bridge_free(struct http_bridge *b)
{
	if (!b->async_open)
		return;
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	pthread_mutex_destroy(&b->take_mu);
	b->async_open = false;
}

/* Ask the loop for a snapshot into s and/or a call of fn, and wait. */
static int bridge_ask(struct http_bridge *b, struct http_snap *s,
                      bool want_leases, http_loop_fn fn, void *arg)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += HTTP_SNAPSHOT_WAIT_MS / 1000;
	until.tv_nsec += (long)(HTTP_SNAPSHOT_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&b->take_mu);
	pthread_mutex_lock(&b->mu);
	int rc = 0;
	if (b->closed) {
		rc = WARD_EINVAL;
		goto out;
	}
	b->target = s;
	b->want_leases = want_leases;
	b->fn = fn;
	b->fn_arg = arg;
	uint64_t mine = ++b->asked;
	uv_async_send(&b->async);   /* thread-safe (libuv) */
	while (b->done < mine && !b->closed) {
		if (pthread_cond_timedwait(&b->cv, &b->mu, &until) == ETIMEDOUT)
			break;
	}
	if (b->done < mine)
		rc = b->closed ? WARD_EINVAL : WARD_ELIMIT;
	else if (s && want_leases && s->dhcp && !s->leases &&
	         s->leases_active + s->leases_due + s->k.expired_total)
		rc = WARD_ENOMEM;
	b->target = NULL;
	b->fn = NULL;
	b->done = b->asked;        /* a late callback finds nothing to do */
out:
	pthread_mutex_unlock(&b->mu);
	pthread_mutex_unlock(&b->take_mu);
	return rc;
}

int http_snapshot_take(struct http_bridge *b, struct http_snap *s,
                       bool want_leases)
{
	memset(s, 0, sizeof *s);
	int rc = bridge_ask(b, s, want_leases, NULL, NULL);
	if (rc)
		http_snap_free(s);
	return rc;
}

int http_bridge_call(struct http_bridge *b, http_loop_fn fn, void *arg)
{
	return bridge_ask(b, NULL, false, fn, arg);
}

void http_snap_free(struct http_snap *s)
{
	free(s->leases);
	s->leases = NULL;
	s->nleases = 0;
}
