/* wardd: blocklists at run time (see blocklist_run.h). */
#include "daemon/blocklist_run.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/blocklist_int.h"
#include "daemon/setup_blocklist.h"
#include "daemon/wardd.h"

static void log_load(const struct bl_source *s, const struct bl_load *ld,
                     bool startup)
{
	for (size_t i = 0; i < ld->ndiag; i++)
		wlog(WLOG_WARNING, "%s", ld->diag[i]);
	const char *what = s->allow ? "allowlist" : "blocklist";
	if (ld->set && ld->err != WARD_EIO)
		wlog(WLOG_INFO, "%s %s: %zu names (%u lines, %u skipped, %u "
		     "unsupported, %u bad)%s", what, s->spec,
		     blocklist_set_count(ld->set), ld->st.lines, ld->st.skipped,
		     ld->st.unsupported, ld->st.bad, startup ? "" : ", now in force");
	if (ld->err == WARD_ELIMIT)
		wlog(WLOG_WARNING, "%s %s: %s", what, s->spec, ld->why);
}

static void uint64_seed(uint64_t *seed)
{
	wardd_random(NULL, (uint8_t *)seed, sizeof *seed);
}

int64_t blocklists_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Put a finished set in force; the old one is freed. */
void blocklists_put_in_force(struct wardd_blocklists *m, struct bl_source *s,
                             struct bl_load *ld)
{
	size_t i = (size_t)(s - m->src);
	blocklist_set *old = blocklist_swap(m->bl, i, ld->set);
	ld->set = NULL;
	blocklist_set_free(old);
	s->lines = ld->st.lines;
	s->bad = ld->st.bad;
	s->loads++;
	s->last_ms = s->ok_ms = blocklists_now_ms();
	s->err[0] = 0;
	if (ld->err == WARD_ELIMIT)
		snprintf(s->err, sizeof s->err, "%s", ld->why);
}

/* A read or fetch that failed: the list in force stays. */
static void note_failure(struct bl_source *s, const char *why)
{
	s->failures++;
	s->last_ms = blocklists_now_ms();
	snprintf(s->err, sizeof s->err, "%s", why && *why ? why : "failed");
}

static void job_work(uv_work_t *w)
{
	struct bl_job *j = w->data;
	struct bl_source *s = j->src;
	if (!s->url) {
		setup_blocklist_file(&j->ld, j->io, s->spec, s->allow, j->seed);
		return;
	}
	uint8_t *buf;
	size_t len;
	if (blocklist_fetch(s->spec, BLOCKLIST_FETCH_MAX_BYTES, j->stop, &buf,
	                    &len, j->ld.why, sizeof j->ld.why) < 0) {
		j->ld.err = WARD_EIO;
		return;
	}
	j->bytes = len;
	setup_blocklist_parse(&j->ld, s->spec, buf, len, s->allow, j->seed);
	free(buf);
	if (j->ld.set && !blocklist_parse_usable(&j->ld.st)) {
		snprintf(j->ld.why, sizeof j->ld.why, "not a list (%u names, %u "
		         "bad lines in %zu bytes)", j->ld.st.entries, j->ld.st.bad,
		         len);
		blocklist_set_free(j->ld.set);
		j->ld.set = NULL;
		j->ld.err = WARD_EIO;
	}
}

static void run_next(struct wardd_blocklists *m);
static void on_timer(uv_timer_t *t);

static void schedule(struct bl_source *s, bool failed)
{
	const ward_conf *c = s->m->d->conf;
	if (!s->timer_open || s->m->stopping)
		return;
	uint64_t refresh = (uint64_t)c->blocklist_refresh * 1000;
	uint64_t next = refresh;
	if (failed && (!refresh || refresh > BLOCKLIST_RETRY_S * 1000u))
		next = BLOCKLIST_RETRY_S * 1000u;
	if (next)
		uv_timer_start(&s->timer, on_timer, next, 0);
}

static void job_done(uv_work_t *w, int status)
{
	struct bl_job *j = w->data;
	struct bl_source *s = j->src;
	struct wardd_blocklists *m = s->m;
	m->running = NULL;
	const char *what = s->allow ? "allowlist" : "blocklist";
	bool ok = status == 0 && j->ld.set && j->ld.err != WARD_EIO;
	if (status != 0) {
		/* cancelled before it ran: wardd is stopping */
	} else if (ok) {
		log_load(s, &j->ld, false);
		blocklists_put_in_force(m, s, &j->ld);
	} else {
		for (size_t i = 0; i < j->ld.ndiag; i++)
			wlog(WLOG_WARNING, "%s", j->ld.diag[i]);
		note_failure(s, j->ld.why);
		wlog(WLOG_WARNING, "%s %s: %s %s; the list in force is kept "
		     "(%zu names)", what, s->spec,
		     s->url ? "fetch failed:" : "cannot be read:", j->ld.why,
		     blocklist_set_count(blocklist_slot(m->bl,
		                                        (size_t)(s - m->src))));
	}
	if (s->url && status == 0)
		schedule(s, !ok);
	setup_blocklist_load_free(&j->ld);
	free(j);
	run_next(m);
}

static void run_next(struct wardd_blocklists *m)
{
	if (m->running || m->stopping)
		return;
	for (size_t i = 0; i < m->n; i++) {
		struct bl_source *s = &m->src[i];
		if (!s->queued)
			continue;
		struct bl_job *j = calloc(1, sizeof *j);
		if (!j) {
			wlog(WLOG_ERR, "blocklists: out of memory");
			return;
		}
		s->queued = false;
		j->src = s;
		j->io = &m->d->conf->io;
		j->seed = m->seed;
		j->stop = &m->stop;
		j->w.data = j;
		if (uv_queue_work(m->d->loop, &j->w, job_work, job_done) < 0) {
			free(j);
			wlog(WLOG_ERR, "blocklists: cannot start a worker");
			return;
		}
		m->running = j;
		return;
	}
}

static void on_timer(uv_timer_t *t)
{
	struct bl_source *s = t->data;
	s->queued = true;
	run_next(s->m);
}

int blocklists_init(struct wardd *d)
{
	const ward_conf *c = d->conf;
	const char *manual = blocklists_manual_path(c);
	size_t nconf = c->blocklists.n + c->allowlists.n;
	size_t n = nconf + (manual != NULL);
	d->bl = NULL;
	if (!n)
		return 0;
	struct wardd_blocklists *m = calloc(1, sizeof *m);
	if (!m)
		return WARD_ENOMEM;
	m->d = d;
	m->n = n;
	m->src = calloc(n, sizeof *m->src);
	m->bl = blocklist_new(n);
	if (!m->src || !m->bl) {
		free(m->src);
		blocklist_free(m->bl);
		free(m);
		return WARD_ENOMEM;
	}
	atomic_init(&m->stop, 0);
	uint64_seed(&m->seed);
	for (size_t i = 0; i < nconf; i++) {
		struct bl_source *s = &m->src[i];
		bool allow = i >= c->blocklists.n;
		s->m = m;
		s->allow = allow;
		s->spec = allow ? c->allowlists.v[i - c->blocklists.n].s
		                : c->blocklists.v[i].s;
		s->url = setup_blocklist_is_url(s->spec);
	}
	if (manual) {
		m->msrc = &m->src[nconf];
		m->msrc->m = m;
		m->msrc->spec = manual;
		m->msrc->manual = true;
	}
	d->bl = m;
	/* files now, on this thread: in force before the first query */
	for (size_t i = 0; i < n; i++) {
		struct bl_source *s = &m->src[i];
		if (s->url)
			continue;
		if (s->manual) {
			if (blocklist_manual_load(m) < 0)
				wlog(WLOG_WARNING, "dashboard blocklist %s: %s; empty "
				     "until it can be read", s->spec, s->err);
			continue;
		}
		struct bl_load ld;
		memset(&ld, 0, sizeof ld);
		int r = setup_blocklist_file(&ld, &c->io, s->spec, s->allow,
		                             m->seed);
		if (ld.set && r != WARD_EIO) {
			log_load(s, &ld, true);
			blocklists_put_in_force(m, s, &ld);
		} else {
			note_failure(s, ld.why);
			wlog(WLOG_WARNING, "%s %s: cannot be read: %s; empty until "
			     "it can (SIGHUP)", s->allow ? "allowlist" : "blocklist",
			     s->spec, ld.why);
		}
		setup_blocklist_load_free(&ld);
		if (r == WARD_ENOMEM)
			return r;
	}
	return 0;
}

int blocklists_start(struct wardd *d)
{
	struct wardd_blocklists *m = d->bl;
	if (!m)
		return 0;
	for (size_t i = 0; i < m->n; i++) {
		struct bl_source *s = &m->src[i];
		if (!s->url)
			continue;
		if (!m->curl_init) {
			if (blocklist_fetch_global_init() < 0) {
				wlog(WLOG_ERR, "blocklists: libcurl cannot start");
				return WARD_ENOMEM;
			}
			m->curl_init = true;
		}
		uv_timer_init(d->loop, &s->timer);
		s->timer.data = s;
		s->timer_open = true;
		s->queued = true;
	}
	run_next(m);
	return 0;
}

void blocklists_reload(struct wardd *d)
{
	struct wardd_blocklists *m = d->bl;
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		if (!m->src[i].url && !m->src[i].manual)
			m->src[i].queued = true;
	if (m->msrc && blocklist_manual_load(m) < 0)
		wlog(WLOG_WARNING, "dashboard blocklist %s: %s; the list in force "
		     "is kept", m->msrc->spec, m->msrc->err);
	run_next(m);
}

int blocklists_refresh(struct wardd *d, long idx)
{
	struct wardd_blocklists *m = d->bl;
	if (!m || m->stopping || idx >= (long)m->n)
		return WARD_ENOTFOUND;
	int n = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct bl_source *s = &m->src[i];
		if (idx >= 0 && (size_t)idx != i)
			continue;
		n++;
		if (s->manual) {
			if (blocklist_manual_load(m) < 0)
				wlog(WLOG_WARNING, "dashboard blocklist %s: %s; the "
				     "list in force is kept", s->spec, s->err);
		} else if (!(m->running && m->running->src == s)) {
			s->queued = true;
		}
	}
	run_next(m);
	return n;
}

bool blocklists_busy(const struct wardd_blocklists *m, size_t i)
{
	return m->src[i].queued || (m->running && m->running->src == &m->src[i]);
}

void blocklists_stop(struct wardd *d)
{
	struct wardd_blocklists *m = d->bl;
	if (!m)
		return;
	m->stopping = true;
	atomic_store(&m->stop, 1);
	if (m->running)
		uv_cancel((uv_req_t *)&m->running->w);
	for (size_t i = 0; i < m->n; i++) {
		struct bl_source *s = &m->src[i];
		if (s->timer_open) {
			uv_timer_stop(&s->timer);
			uv_close((uv_handle_t *)&s->timer, NULL);
			s->timer_open = false;
		}
	}
}

void blocklists_free(struct wardd *d)
{
	struct wardd_blocklists *m = d->bl;
	if (!m)
		return;
	/* the loop ran after blocklists_stop: no job is left */
	blocklist_free(m->bl);
	bl_entries_free(&m->manual);
	if (m->curl_init)
		blocklist_fetch_global_cleanup();
	free(m->src);
	free(m);
	d->bl = NULL;
}

const blocklist *blocklists_view(const struct wardd *d)
{
	return d->bl ? d->bl->bl : NULL;
}

void blocklists_log_stats(const struct wardd *d)
{
	const struct wardd_blocklists *m = d->bl;
	if (!m)
		return;
	size_t bytes = 0;
	for (size_t i = 0; i < m->n; i++)
		bytes += blocklist_set_bytes(blocklist_slot(m->bl, i));
	wlog(WLOG_INFO, "blocklists: %zu names in %zu lists, %zu KiB",
	     blocklist_count(m->bl), m->n, bytes / 1024);
	for (size_t i = 0; i < m->n; i++) {
		const struct bl_source *s = &m->src[i];
		wlog(WLOG_INFO, "%s %s: %zu names, read %" PRIu64 " times, %"
		     PRIu64 " failures", s->manual ? "dashboard blocklist" :
		     s->allow ? "allowlist" : "blocklist",
		     s->spec, blocklist_set_count(blocklist_slot(m->bl, i)),
		     s->loads, s->failures);
	}
}

void blocklists_check(const ward_conf *c,
                      void (*log)(void *ctx, bool warning, const char *msg),
                      void *ctx)
{
	size_t n = c->blocklists.n + c->allowlists.n;
	for (size_t i = 0; i < n; i++) {
		bool allow = i >= c->blocklists.n;
		const char *spec = allow ? c->allowlists.v[i - c->blocklists.n].s
		                         : c->blocklists.v[i].s;
		if (setup_blocklist_is_url(spec))
			continue; /* not fetched by --test */
		struct bl_load ld;
		memset(&ld, 0, sizeof ld);
		setup_blocklist_file(&ld, &c->io, spec, allow, 0);
		for (size_t k = 0; k < ld.ndiag; k++)
			log(ctx, true, ld.diag[k]);
		char msg[512];
		if (ld.err == WARD_EIO)
			snprintf(msg, sizeof msg, "%s %s: cannot be read: %s",
			         allow ? "allowlist" : "blocklist", spec, ld.why);
		else
			snprintf(msg, sizeof msg, "%s %s: %zu names", allow ?
			         "allowlist" : "blocklist", spec,
			         blocklist_set_count(ld.set));
		log(ctx, ld.err == WARD_EIO, msg);
		setup_blocklist_load_free(&ld);
	}
}
