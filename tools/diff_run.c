/* ward toolkit: bounded, paced sending of many queries (see the header). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "diff_run.h"
#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"

volatile sig_atomic_t drun_stop;

struct drun_state {
	const struct dns_server *srv;
	unsigned nsrv;
	struct drun_query *q;
	size_t n;
	const struct drun_opts *o;
	pthread_mutex_t mu;
	size_t next;             /* next query to take */
	size_t done;             /* queries finished */
	struct timespec start;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Sleep until t in slices of at most 100 ms, so that drun_stop is seen. */
static void sleep_until(double t)
{
	double d;
	while (!drun_stop && (d = t - now_s()) > 0) {
		if (d > 0.1)
			d = 0.1;
		struct timespec ts = { 0, (long)(d * 1e9) };
		nanosleep(&ts, NULL);
	}
}

static void one_exchange(const struct dns_server *s, struct drun_query *q,
                         unsigned si, int timeout_ms)
{
	uint8_t *wire = malloc(q->wlen);
	uint8_t *reply = malloc(DNS_MSG_MAXLEN);
	uint16_t id = 0;
	if (!wire || !reply || q->wlen < DNS_HEADER_LEN)
		goto out;
	if (getrandom(&id, sizeof id, 0) != sizeof id)
		id = (uint16_t)rand();
	memcpy(wire, q->wire, q->wlen);
	wire[0] = (uint8_t)(id >> 8);
	wire[1] = (uint8_t)id;
	struct dns_expect e = { id, &q->qname, q->qtype };
	bool used_tcp;
	ssize_t n = dns_exchange(s, wire, q->wlen, &e, q->tcp, timeout_ms,
	                         DRUN_TRIES, reply, DNS_MSG_MAXLEN, &used_tcp);
	if (n >= DNS_HEADER_LEN) {
		q->ans[si] = realloc(reply, (size_t)n);
		if (!q->ans[si])
			q->ans[si] = reply;
		q->alen[si] = (size_t)n;
		reply = NULL;
	}
out:
	free(wire);
	free(reply);
}

static void *worker(void *arg)
{
	struct drun_state *st = arg;
	const struct drun_opts *o = st->o;
	double t0 = (double)st->start.tv_sec + st->start.tv_nsec / 1e9;
	for (;;) {
		pthread_mutex_lock(&st->mu);
		size_t i = st->next < st->n && !drun_stop ? st->next++ : st->n;
		pthread_mutex_unlock(&st->mu);
		if (i >= st->n)
			break;
		struct drun_query *q = &st->q[i];
		if (o->speed > 0)
			sleep_until(t0 + q->at / o->speed);
		if (o->rate > 0)
			sleep_until(t0 + (double)i / o->rate);
		for (unsigned s = 0; s < st->nsrv && !drun_stop; s++)
			one_exchange(&st->srv[s], q, s, o->timeout_ms);
		pthread_mutex_lock(&st->mu);
		st->done++;
		pthread_mutex_unlock(&st->mu);
	}
	return NULL;
}

static void draw_bar(size_t done, size_t n, double elapsed)
{
	int width = 40;
	int fill = n ? (int)((double)done * width / (double)n) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu %.1fs", fill,
	        "########################################", width - fill, "",
	        done, n, elapsed);
	fflush(stderr);
}

int drun_run(const struct dns_server *srv, unsigned nsrv, struct drun_query *q,
             size_t n, const struct drun_opts *o)
{
	struct drun_state st = { .srv = srv, .nsrv = nsrv, .q = q, .n = n, .o = o };
	unsigned nt = o->concurrency ? o->concurrency : DRUN_DEFAULT_CONCURRENCY;
	if (nt > DRUN_MAX_CONCURRENCY)
		nt = DRUN_MAX_CONCURRENCY;
	if (nt > n)
		nt = n ? (unsigned)n : 1;
	pthread_t th[DRUN_MAX_CONCURRENCY];
	pthread_mutex_init(&st.mu, NULL);
	clock_gettime(CLOCK_MONOTONIC, &st.start);
	double t0 = now_s();
	unsigned started = 0;
	for (; started < nt; started++)
		if (pthread_create(&th[started], NULL, worker, &st))
			break;
	if (started == 0) {
		pthread_mutex_destroy(&st.mu);
		return -1;
	}
	bool drawn = false;
	for (;;) {
		pthread_mutex_lock(&st.mu);
		size_t done = st.done, taken = st.next;
		pthread_mutex_unlock(&st.mu);
		if (done >= n || (drun_stop && done >= taken))
			break;
		double el = now_s() - t0;
		/* only for runs longer than a second */
		if (o->progress && el > 1.0) {
			draw_bar(done, n, el);
			drawn = true;
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (drawn) {
		draw_bar(n, n, now_s() - t0);
		fputc('\n', stderr);
	}
	pthread_mutex_destroy(&st.mu);
	return 0;
}

int drun_query_from_line(const char *line, struct drun_query *q, char *err,
                         size_t errlen)
{
	char name[300], type[32] = "A", f1[32] = "", f2[32] = "";
	memset(q, 0, sizeof *q);
	int k = sscanf(line, "%299s %31s %31s %31s", name, type, f1, f2);
	if (k < 1) {
		snprintf(err, errlen, "expected 'NAME TYPE [+dnssec] [+cd]'");
		return -1;
	}
	bool dnssec = false, cd = false;
	const char *fl[2] = { f1, f2 };
	for (int i = 0; i < 2; i++) {
		if (!fl[i][0])
			continue;
		if (!strcmp(fl[i], "+dnssec"))
			dnssec = true;
		else if (!strcmp(fl[i], "+cd"))
			cd = true;
		else {
			snprintf(err, errlen, "unknown flag '%s' (+dnssec, +cd)", fl[i]);
			return -1;
		}
	}
	const dns_name root = { 1, { 0 } };
	if (dns_name_from_text(&q->qname, name, strlen(name), &root)) {
		snprintf(err, errlen, "bad name '%s'", name);
		return -1;
	}
	if (dns_type_from_text(type, strlen(type), &q->qtype)) {
		snprintf(err, errlen, "bad type '%s'", type);
		return -1;
	}
	uint8_t buf[600];
	dns_mb b;
	size_t len;
	dns_mb_init(&b, buf, sizeof buf, sizeof buf);
	/* RD, and AD as dig sets it (RFC 6840 §5.7) */
	dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_RD | DNS_FLAG_AD | (cd ? DNS_FLAG_CD : 0)));
	if (dns_mb_edns(&b, 1232, 0, dnssec ? EDNS_FLAG_DO : 0) ||
	    dns_mb_question(&b, &q->qname, q->qtype, DNS_C_IN) ||
	    dns_mb_finish(&b, &len)) {
		snprintf(err, errlen, "cannot build the query");
		return -1;
	}
	if (!(q->wire = malloc(len))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(q->wire, buf, len);
	q->wlen = len;
	char tb[16];
	int tl = snprintf(NULL, 0, "%s %s%s%s", name, dns_type_str(q->qtype, tb),
	                  dnssec ? " +dnssec" : "", cd ? " +cd" : "");
	if (tl < 0 || !(q->text = malloc((size_t)tl + 1))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(q->text, (size_t)tl + 1, "%s %s%s%s", name, tb,
	         dnssec ? " +dnssec" : "", cd ? " +cd" : "");
	return 0;
}

void drun_query_text(const struct drun_query *q, char *buf, size_t cap)
{
	if (q->text) {
		snprintf(buf, cap, "%s", q->text);
		return;
	}
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	strbuf sb = strbuf_init(nb, sizeof nb);
	dns_name_to_text(&q->qname, &sb);
	dns_msg m;
	edns_info e;
	bool parsed = dns_msg_parse(&m, q->wire, q->wlen) == 0;
	bool dnssec = parsed && edns_from_msg(&m, &e) == 0 && (e.flags & EDNS_FLAG_DO);
	bool cd = parsed && (m.flags & DNS_FLAG_CD);
	snprintf(buf, cap, "%s %s%s%s", nb, dns_type_str(q->qtype, tb),
	         dnssec ? " +dnssec" : "", cd ? " +cd" : "");
}

void drun_query_free(struct drun_query *q)
{
	free(q->text);
	free(q->wire);
	free(q->captured);
	for (int i = 0; i < DRUN_MAX_SERVERS; i++)
		free(q->ans[i]);
	memset(q, 0, sizeof *q);
}
