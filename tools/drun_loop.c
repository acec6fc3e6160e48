/* ward toolkit: drun_run — the sending engine of ward diff and ward replay
 * --pcap (see diff_run.h). One thread and one epoll set: `concurrency`
 * query slots, each with one connected UDP socket per server (made once,
 * reused for every query the slot takes; a fresh random ID per exchange
 * and the question checked, so a late answer to an earlier query on the
 * same socket is told apart and dropped), a deadline per exchange, the
 * pace or rate deciding when the next query may start. Exchanges over TCP
 * (a query captured over TCP, or a truncated UDP answer, RFC 7766 §5) are
 * blocking and go to a few worker threads (dns_query_tcp), which report
 * back through an eventfd; the loop never blocks on a server. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "diff_run.h"
#include "codec/msg.h"

#define DRUN_TCP_WORKERS 8
#define DRUN_TICK_MS 100 /* longest wait: drun_stop and the progress bar */

enum xstate { X_IDLE, X_UDP, X_TCP, X_DONE };

struct xchg {                   /* one query to one server */
	enum xstate state;
	int fd;                     /* connected UDP socket, -1 if none */
	uint16_t id;
	int tries_left;
	double deadline;
	atomic_bool tcp_done;       /* set by a TCP worker */
};

struct slot {
	struct drun_query *q;       /* NULL: free */
	size_t qi;
	struct xchg x[DRUN_MAX_SERVERS];
};

struct tcp_job {
	struct slot *sl;
	unsigned si;
};

struct loop {
	const struct dns_server *srv;
	unsigned nsrv;
	const struct drun_opts *o;
	struct slot *slots;
	unsigned nslots;
	int ep, evfd;
	uint8_t *buf;               /* a UDP answer */
	/* TCP: a queue of jobs for the workers */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct tcp_job *jobs;
	size_t jcap, jhead, jlen;
	bool quit;
	pthread_t th[DRUN_TCP_WORKERS];
	unsigned nth;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint16_t new_id(void)
{
	uint16_t id;
	if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id)
		id = (uint16_t)rand();
	return id;
}

/* ---- TCP workers ---- */

static void *tcp_worker(void *arg)
{
	struct loop *L = arg;
	uint8_t *reply = malloc(DNS_MSG_MAXLEN);
	for (;;) {
		pthread_mutex_lock(&L->mu);
		while (!L->quit && !L->jlen)
			pthread_cond_wait(&L->cv, &L->mu);
		if (L->quit && !L->jlen) {
			pthread_mutex_unlock(&L->mu);
			break;
		}
		struct tcp_job j = L->jobs[L->jhead];
		L->jhead = (L->jhead + 1) % L->jcap;
		L->jlen--;
		pthread_mutex_unlock(&L->mu);
		struct drun_query *q = j.sl->q;
		struct xchg *x = &j.sl->x[j.si];
		ssize_t n = -1;
		uint8_t *wire = malloc(q->wlen);
		if (reply && wire && q->wlen >= DNS_HEADER_LEN) {
			memcpy(wire, q->wire, q->wlen);
			wire[0] = (uint8_t)(x->id >> 8);
			wire[1] = (uint8_t)x->id;
			struct dns_expect e = { x->id, &q->qname, q->qtype };
			n = dns_query_tcp(&L->srv[j.si], wire, q->wlen, &e,
			                  L->o->timeout_ms, reply, DNS_MSG_MAXLEN);
		}
		free(wire);
		if (n >= DNS_HEADER_LEN) {
			uint8_t *a = malloc((size_t)n);
			if (a) {
				memcpy(a, reply, (size_t)n);
				free(q->ans[j.si]);
				q->ans[j.si] = a;
				q->alen[j.si] = (size_t)n;
			}
		}
		atomic_store(&x->tcp_done, true);
		uint64_t one = 1;
		(void)!write(L->evfd, &one, sizeof one);
	}
	free(reply);
	return NULL;
}

static int tcp_submit(struct loop *L, struct slot *sl, unsigned si)
{
	pthread_mutex_lock(&L->mu);
	if (L->jlen == L->jcap) {
		/* never more than slots x servers at once */
		pthread_mutex_unlock(&L->mu);
		return -1;
	}
	L->jobs[(L->jhead + L->jlen) % L->jcap] = (struct tcp_job){ sl, si };
	L->jlen++;
	pthread_cond_signal(&L->cv);
	pthread_mutex_unlock(&L->mu);
	return 0;
}

/* ---- UDP exchanges ---- */

static void x_finish(struct xchg *x)
{
	x->state = X_DONE;
}

static void x_to_tcp(struct loop *L, struct slot *sl, unsigned si)
{
	struct xchg *x = &sl->x[si];
	x->id = new_id();
	atomic_store(&x->tcp_done, false);
	x->state = X_TCP;
	if (tcp_submit(L, sl, si) < 0)
		x_finish(x);
}

static void x_send_udp(struct loop *L, struct slot *sl, unsigned si)
{
	struct xchg *x = &sl->x[si];
	struct drun_query *q = sl->q;
	uint8_t wire[DNS_MSG_MAXLEN];
	if (x->fd < 0 || q->wlen < DNS_HEADER_LEN || q->wlen > sizeof wire) {
		x_finish(x);
		return;
	}
	memcpy(wire, q->wire, q->wlen);
	wire[0] = (uint8_t)(x->id >> 8);
	wire[1] = (uint8_t)x->id;
	x->tries_left--;
	x->deadline = now_s() + L->o->timeout_ms / 1000.0;
	x->state = X_UDP;
	/* a failed send (e.g. an ICMP error queued from before) counts as a
	 * try that timed out at once */
	if (send(x->fd, wire, q->wlen, 0) < 0)
		x->deadline = 0;
}

static void x_start(struct loop *L, struct slot *sl, unsigned si)
{
	struct xchg *x = &sl->x[si];
	x->tries_left = DRUN_TRIES;
	/* one ID for every try over UDP, as dig does: a slow server's answer
	 * to the first try still counts while the second is out */
	x->id = new_id();
	if (sl->q->tcp)
		x_to_tcp(L, sl, si);
	else
		x_send_udp(L, sl, si);
}

static void x_timeout(struct loop *L, struct slot *sl, unsigned si)
{
	struct xchg *x = &sl->x[si];
	if (x->tries_left > 0)
		x_send_udp(L, sl, si);
	else
		x_finish(x);
}

static void on_udp(struct loop *L, struct slot *sl, unsigned si)
{
	struct xchg *x = &sl->x[si];
	for (;;) {
		ssize_t n = recv(x->fd, L->buf, DNS_MSG_MAXLEN, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			/* ECONNREFUSED and the like: this try failed, at once */
			if (x->state == X_UDP)
				x->deadline = 0;
			return;
		}
		if (x->state != X_UDP)
			continue; /* a late answer to an exchange that ended */
		struct dns_expect e = { x->id, &sl->q->qname, sl->q->qtype };
		if (!dns_reply_matches(L->buf, (size_t)n, &e))
			continue;
		if (L->buf[2] & 0x02) { /* TC: again over TCP */
			x_to_tcp(L, sl, si);
			return;
		}
		uint8_t *a = malloc((size_t)n);
		if (a) {
			memcpy(a, L->buf, (size_t)n);
			free(sl->q->ans[si]);
			sl->q->ans[si] = a;
			sl->q->alen[si] = (size_t)n;
		}
		x_finish(x);
		return;
	}
}

/* ---- set-up ---- */

static int open_udp(struct loop *L, unsigned k, unsigned si)
{
	const struct dns_server *s = &L->srv[si];
	int fd = socket(s->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&s->ss, s->sl) < 0) {
		close(fd);
		return -1;
	}
	struct epoll_event ev = { .events = EPOLLIN,
	                          .data.u64 = (uint64_t)k * DRUN_MAX_SERVERS + si + 1 };
	if (epoll_ctl(L->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void loop_free(struct loop *L)
{
	if (L->nth) {
		pthread_mutex_lock(&L->mu);
		L->quit = true;
		pthread_cond_broadcast(&L->cv);
		pthread_mutex_unlock(&L->mu);
		for (unsigned i = 0; i < L->nth; i++)
			pthread_join(L->th[i], NULL);
	}
	if (L->slots)
		for (unsigned k = 0; k < L->nslots; k++)
			for (unsigned s = 0; s < DRUN_MAX_SERVERS; s++)
				if (L->slots[k].x[s].fd >= 0)
					close(L->slots[k].x[s].fd);
	free(L->slots);
	free(L->jobs);
	free(L->buf);
	if (L->ep >= 0)
		close(L->ep);
	if (L->evfd >= 0)
		close(L->evfd);
	pthread_mutex_destroy(&L->mu);
	pthread_cond_destroy(&L->cv);
}

static int loop_init(struct loop *L)
{
	L->ep = epoll_create1(EPOLL_CLOEXEC);
	L->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	L->slots = calloc(L->nslots, sizeof *L->slots);
	L->jcap = (size_t)L->nslots * DRUN_MAX_SERVERS;
	L->jobs = calloc(L->jcap, sizeof *L->jobs);
	L->buf = malloc(DNS_MSG_MAXLEN);
	if (L->ep < 0 || L->evfd < 0 || !L->slots || !L->jobs || !L->buf)
		return -1;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
	if (epoll_ctl(L->ep, EPOLL_CTL_ADD, L->evfd, &ev) < 0)
		return -1;
	for (unsigned k = 0; k < L->nslots; k++)
		for (unsigned s = 0; s < DRUN_MAX_SERVERS; s++) {
			L->slots[k].x[s].fd = -1;
			atomic_init(&L->slots[k].x[s].tcp_done, false);
		}
	for (unsigned k = 0; k < L->nslots; k++)
		for (unsigned s = 0; s < L->nsrv; s++)
			/* a socket that cannot be made: that server's exchanges
			 * of this slot end unanswered */
			L->slots[k].x[s].fd = open_udp(L, k, s);
	for (; L->nth < DRUN_TCP_WORKERS; L->nth++)
		if (pthread_create(&L->th[L->nth], NULL, tcp_worker, L))
			break;
	return L->nth ? 0 : -1;
}

/* ---- the loop ---- */

static void draw_bar(size_t done, size_t n, double elapsed)
{
	int width = 40;
	int fill = n ? (int)((double)done * width / (double)n) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu %.1fs", fill,
	        "########################################", width - fill, "",
	        done, n, elapsed);
	fflush(stderr);
}

/* When query i may start (seconds on the monotonic clock). */
static double due_at(const struct drun_opts *o, const struct drun_query *q,
                     size_t i, double t0)
{
	double t = t0;
	if (o->speed > 0 && t0 + q->at / o->speed > t)
		t = t0 + q->at / o->speed;
	if (o->rate > 0 && t0 + (double)i / o->rate > t)
		t = t0 + (double)i / o->rate;
	return t;
}

int drun_run(const struct dns_server *srv, unsigned nsrv, struct drun_query *q,
             size_t n, const struct drun_opts *o)
{
	struct loop L = { .srv = srv, .nsrv = nsrv, .o = o, .ep = -1, .evfd = -1 };
	if (nsrv == 0 || nsrv > DRUN_MAX_SERVERS)
		return -1;
	unsigned nt = o->concurrency ? o->concurrency : DRUN_DEFAULT_CONCURRENCY;
	if (nt > DRUN_MAX_CONCURRENCY)
		nt = DRUN_MAX_CONCURRENCY;
	if (nt > n)
		nt = n ? (unsigned)n : 1;
	L.nslots = nt;
	pthread_mutex_init(&L.mu, NULL);
	pthread_cond_init(&L.cv, NULL);
	if (loop_init(&L) < 0) {
		loop_free(&L);
		return -1;
	}
	double t0 = now_s();
	size_t next = 0, done = 0;
	unsigned busy = 0;
	bool drawn = false;
	double drawn_at = 0;
	struct epoll_event evs[64];
	while (done < n && !(drun_stop && busy == 0)) {
		double now = now_s();
		/* start what is due, in free slots */
		for (unsigned k = 0; k < L.nslots && next < n && !drun_stop; k++) {
			struct slot *sl = &L.slots[k];
			if (sl->q)
				continue;
			if (due_at(o, &q[next], next, t0) > now)
				break;
			sl->q = &q[next];
			sl->qi = next++;
			busy++;
			for (unsigned s = 0; s < nsrv; s++)
				x_start(&L, sl, s);
		}
		/* deadlines, TCP results, finished slots */
		double wake = now + DRUN_TICK_MS / 1000.0;
		if (next < n && busy < L.nslots) {
			double d = due_at(o, &q[next], next, t0);
			if (d < wake)
				wake = d;
		}
		for (unsigned k = 0; k < L.nslots; k++) {
			struct slot *sl = &L.slots[k];
			if (!sl->q)
				continue;
			bool all = true;
			for (unsigned s = 0; s < nsrv; s++) {
				struct xchg *x = &sl->x[s];
				if (x->state == X_UDP && x->deadline <= now)
					x_timeout(&L, sl, s);
				else if (x->state == X_TCP && atomic_load(&x->tcp_done))
					x_finish(x);
				if (x->state == X_UDP && x->deadline < wake)
					wake = x->deadline;
				if (x->state != X_DONE)
					all = false;
			}
			if (all) {
				for (unsigned s = 0; s < nsrv; s++)
					sl->x[s].state = X_IDLE;
				sl->q = NULL;
				busy--;
				done++;
				if (next < n && due_at(o, &q[next], next, t0) <= now)
					wake = now; /* a slot is free for a due query */
			}
		}
		if (o->progress && now - t0 > 1.0 && now - drawn_at >= 0.1) {
			draw_bar(done, n, now - t0);
			drawn = true;
			drawn_at = now;
		}
		if (done >= n)
			break;
		int ms = wake > now ? (int)((wake - now) * 1000.0) + 1 : 0;
		int ne = epoll_wait(L.ep, evs, 64, ms);
		for (int e = 0; e < ne; e++) {
			uint64_t d = evs[e].data.u64;
			if (d == 0) {
				uint64_t v;
				(void)!read(L.evfd, &v, sizeof v);
				continue;
			}
			unsigned k = (unsigned)((d - 1) / DRUN_MAX_SERVERS);
			unsigned s = (unsigned)((d - 1) % DRUN_MAX_SERVERS);
			struct slot *sl = &L.slots[k];
			if (sl->q)
				on_udp(&L, sl, s);
			else { /* drain a late answer to a slot now free */
				while (recv(sl->x[s].fd, L.buf, DNS_MSG_MAXLEN, MSG_DONTWAIT) >= 0)
					;
			}
		}
	}
	double took = now_s() - t0;
	if (drawn) {
		draw_bar(done, n, took);
		fputc('\n', stderr);
	}
	if (o->elapsed)
		*o->elapsed = took;
	loop_free(&L);
	return 0;
}
