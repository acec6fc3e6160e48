/* wardd: the dashboard's counters and rings, recorded on the event loop
 * (dash.h says which thread touches what). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/msg.h"
#include "daemon/dash.h"

const unsigned dash_latency_ms[DASH_LATENCY_BOUNDS] = {
	1, 10, 50, 100, 250, 500, 1000, 1500
};

struct dash *dash_new(bool dnssec, int64_t now_ms)
{
	struct dash *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->dnssec = dnssec;
	k->c.started_ms = now_ms;
	if (qlog_ring_init(&k->log, QLOG_RING_SIZE) ||
	    qlog_ring_init(&k->bogus, QLOG_BOGUS_SIZE)) {
		qlog_ring_free(&k->log);
		free(k);
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&k->mu, NULL);
	return k;
}

void dash_free(struct dash *k)
{
	if (!k)
		return;
	qlog_ring_free(&k->log);
	qlog_ring_free(&k->bogus);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	free(k);
}

static void client_text(const struct sockaddr *sa, char *buf, size_t n)
{
	snprintf(buf, n, "?");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
		          (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		          buf, (socklen_t)n);
}

static void count(struct dash_counters *c, const struct qlog_entry *e,
                  uint64_t latency_us, int64_t now_ms)
{
	c->answers++;
	if (e->cached)
		c->cached++;
	if (e->local)
		c->local++;
	enum dash_rcode_slot s = DASH_RC_OTHER;
	switch (e->rcode) {
	case DNS_RCODE_NOERROR: s = e->nodata ? DASH_RC_NODATA : DASH_RC_NOERROR; break;
	case DNS_RCODE_NXDOMAIN: s = DASH_RC_NXDOMAIN; break;
	case DNS_RCODE_SERVFAIL: s = DASH_RC_SERVFAIL; break;
	case DNS_RCODE_REFUSED: s = DASH_RC_REFUSED; break;
	case DNS_RCODE_FORMERR: s = DASH_RC_FORMERR; break;
	default: break;
	}
	c->rcode[s]++;
	c->flag_aa += e->aa;
	c->flag_tc += e->tc;
	c->flag_rd += e->rd;
	c->flag_ra += e->ra;
	c->flag_ad += e->ad;
	c->flag_cd += e->cd;
	unsigned b = 0;
	while (b < DASH_LATENCY_BOUNDS && latency_us > dash_latency_ms[b] * 1000ull)
		b++;
	c->latency[b]++;
	c->latency_sum_us += latency_us;
	if (e->verdict == QLOG_DNSSEC_SECURE)
		c->dnssec_secure++;
	else if (e->verdict == QLOG_DNSSEC_INSECURE)
		c->dnssec_insecure++;
	else if (e->verdict == QLOG_DNSSEC_BOGUS)
		c->dnssec_bogus++;
	int64_t sec = now_ms / 1000;
	unsigned i = (unsigned)(sec % DASH_RATE_SECONDS);
	if (c->per_sec_at[i] != sec) {
		c->per_sec_at[i] = sec;
		c->per_sec[i] = 0;
	}
	c->per_sec[i]++;
}

void dash_answer(struct dash *k, const uint8_t *pkt, size_t len,
                 const struct sockaddr *client, bool tcp, bool at_once,
                 uint64_t latency_us, int64_t now_ms)
{
	struct qlog_entry e;
	memset(&e, 0, sizeof e);
	if (qlog_entry_from_answer(&e, pkt, len, k->dnssec) < 0)
		return;
	e.time_ms = now_ms;
	e.latency_us = latency_us > UINT32_MAX ? UINT32_MAX : (uint32_t)latency_us;
	e.tcp = tcp;
	e.local = e.aa;               /* only local data sets AA */
	e.cached = at_once && !e.aa;
	client_text(client, e.client, sizeof e.client);
	count(&k->c, &e, latency_us, now_ms);
	pthread_mutex_lock(&k->mu);
	qlog_ring_push(&k->log, &e);
	if (e.verdict == QLOG_DNSSEC_BOGUS)
		qlog_ring_push(&k->bogus, &e);
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
}

/* ---- upstream servers ---- */

static bool same_addr(const struct res_addr *x, const struct res_addr *y)
{
	return x->family == y->family && x->port == y->port &&
	       !memcmp(x->ip, y->ip, x->family == 6 ? 16 : 4);
}

static struct dash_upstream *upstream(struct dash_counters *c,
                                      const struct res_addr *a)
{
	for (unsigned i = 0; i < c->nup; i++)
		if (same_addr(&c->up[i].addr, a))
			return &c->up[i];
	if (c->nup < DASH_UPSTREAM_MAX) {
		struct dash_upstream *u = &c->up[c->nup++];
		memset(u, 0, sizeof *u);
		u->addr = *a;
		return u;
	}
	return &c->up_other;
}

void dash_upstream_sent(struct dash *k, const struct res_addr *a)
{
	upstream(&k->c, a)->sent++;
}

void dash_upstream_reply(struct dash *k, const struct res_addr *a,
                         uint64_t rtt_us, int64_t now_ms)
{
	struct dash_upstream *u = upstream(&k->c, a);
	u->replies++;
	u->last_reply_ms = now_ms;
	uint32_t r = rtt_us > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt_us;
	/* RFC 6298 §2: SRTT <- 7/8 SRTT + 1/8 R */
	u->srtt_us = u->srtt_us ? (uint32_t)(((uint64_t)u->srtt_us * 7 + r) / 8) : r;
}

void dash_upstream_lost(struct dash *k, const struct res_addr *a)
{
	upstream(&k->c, a)->lost++;
}

void dash_lease_expired(struct dash *k, const struct dhcp_lease *l)
{
	k->c.expired[k->c.expired_total % DASH_EXPIRED_MAX] = *l;
	k->c.expired_total++;
}

double dash_rate(const struct dash_counters *c, int64_t now_ms,
                 unsigned seconds)
{
	if (seconds == 0 || seconds >= DASH_RATE_SECONDS)
		return 0;
	int64_t now = now_ms / 1000;
	uint64_t n = 0;
	/* the current second is still filling: the whole seconds before it */
	for (unsigned i = 0; i < DASH_RATE_SECONDS; i++)
		if (c->per_sec_at[i] < now && c->per_sec_at[i] >= now - seconds)
			n += c->per_sec[i];
	return (double)n / seconds;
}

/* ---- rings (HTTP threads) ---- */

size_t dash_ring_copy(struct dash *k, bool bogus, uint64_t after,
                      const struct qlog_filter *f, struct qlog_entry *out,
                      size_t max, uint64_t *upto)
{
	size_t n = 0;
	pthread_mutex_lock(&k->mu);
	const struct qlog_ring *r = bogus ? &k->bogus : &k->log;
	uint64_t s = qlog_ring_first(r);
	if (s <= after)
		s = after + 1;
	*upto = after;
	for (; s < r->next_seq && n < max; s++) {
		const struct qlog_entry *e = qlog_ring_get(r, s);
		if (e && qlog_filter_match(f, e))
			out[n++] = *e;
		*upto = s;
	}
	pthread_mutex_unlock(&k->mu);
	return n;
}

uint64_t dash_log_last(struct dash *k)
{
	pthread_mutex_lock(&k->mu);
	uint64_t s = k->log.next_seq - 1;
	pthread_mutex_unlock(&k->mu);
	return s;
}

size_t dash_ring_tail(struct dash *k, bool bogus, const struct qlog_filter *f,
                      struct qlog_entry *out, size_t max)
{
	size_t n = 0;
	if (max == 0)
		return 0;
	pthread_mutex_lock(&k->mu);
	const struct qlog_ring *r = bogus ? &k->bogus : &k->log;
	uint64_t first = qlog_ring_first(r);
	/* newest first into out, then reversed */
	for (uint64_t s = r->next_seq; s-- > first && n < max;) {
		const struct qlog_entry *e = qlog_ring_get(r, s);
		if (e && qlog_filter_match(f, e))
			out[n++] = *e;
	}
	pthread_mutex_unlock(&k->mu);
	for (size_t i = 0; i < n / 2; i++) {
		struct qlog_entry t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

bool dash_log_wait(struct dash *k, uint64_t after, unsigned timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&k->mu);
	while (!k->closing && k->log.next_seq <= after + 1) {
		if (pthread_cond_timedwait(&k->cv, &k->mu, &until) == ETIMEDOUT)
			break;
	}
	bool news = !k->closing && k->log.next_seq > after + 1;
	pthread_mutex_unlock(&k->mu);
	return news;
}

void dash_close(struct dash *k)
{
	pthread_mutex_lock(&k->mu);
	k->closing = true;
	pthread_cond_broadcast(&k->cv);
	pthread_mutex_unlock(&k->mu);
}
