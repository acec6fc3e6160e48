/* wardd dashboard: the one-click diagnosis (docs/dashboard.md, issue #8).
 * Each row of the DNSSEC failures page has a "Diagnose" button: a POST
 * form to /diagnose with the name, the type and the dashboard's CSRF
 * token. The handler runs `ward diagnose`'s own walk (diagnose/, the
 * library bin/ward links too) with what wardd itself runs on, copied on
 * the event loop (http_bridge_call): its trust anchors, and its root hints
 * (recursive) or the forwarder its rules pick for the name; then draws
 * the chain with graphviz `dot` as inline SVG.
 *
 * The walk is blocking and runs in the connection's own thread
 * (MHD_USE_THREAD_PER_CONNECTION), never on the event loop. It is bounded:
 * HTTP_DIAG_TIME_MS for the walk (no exchange runs past it), HTTP_DIAG_DOT_MS
 * for `dot`, at most HTTP_DIAG_RUNNING_MAX at once (one more gets a "busy"
 * page, 503); a result is kept HTTP_DIAG_CACHE_S per (name, type).
 *
 * A diagnosis sends queries, so it is an action: POST only, with the token
 * (random per start, compared in constant time); a present Origin header
 * must name the host the request was sent to. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"
#include "daemon/upstream_tls.h"
#include "diagnose/diagnose.h"
#include "diagnose/dns_transport.h"
#include "resolver/validator.h"

#define DIAG_NAME_FIELD 1024
#define DIAG_TYPE_FIELD 24
#define DIAG_PATH_MAX 512

struct cached {
	char key[DNS_NAME_TEXT_MAX + 16];  /* "name type", name lower case */
	int64_t at_ms;                     /* monotonic; 0: empty */
	int64_t made_unix;
	char *html;
};

struct http_diag {
	atomic_bool stopping;              /* wardd stops: walks end now */
	pthread_mutex_t mu;
	unsigned running;
	uint64_t total, busy, cached;      /* diagnoses run, refused, re-shown */
	struct cached cache[HTTP_DIAG_CACHE_MAX];
};

/* ---- set-up ---- */

int http_diag_new(struct http_server *h)
{
	uint8_t r[HTTP_CSRF_BYTES];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return WARD_EIO;
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(h->csrf + 2 * i, 3, "%02x", r[i]);
	h->diag = calloc(1, sizeof *h->diag);
	if (!h->diag)
		return WARD_ENOMEM;
	atomic_init(&h->diag->stopping, false);
	pthread_mutex_init(&h->diag->mu, NULL);
	return 0;
}

void http_diag_stop(struct http_server *h)
{
	if (h->diag)
		atomic_store(&h->diag->stopping, true);
}

void http_diag_free(struct http_server *h)
{
	struct http_diag *g = h->diag;
	if (!g)
		return;
	for (size_t i = 0; i < HTTP_DIAG_CACHE_MAX; i++)
		free(g->cache[i].html);
	pthread_mutex_destroy(&g->mu);
	free(g);
	h->diag = NULL;
}

void http_diag_button(const struct http_server *h, struct hbuf *b,
                      const char *name, const char *type)
{
	hbuf_puts(b, "<form class=\"diag\" method=\"post\" action=\"/diagnose\">"
	          "<input type=\"hidden\" name=\"csrf\" value=\"");
	hbuf_html(b, h->csrf);
	hbuf_puts(b, "\"><input type=\"hidden\" name=\"name\" value=\"");
	hbuf_html(b, name);
	hbuf_puts(b, "\"><input type=\"hidden\" name=\"type\" value=\"");
	hbuf_html(b, type);
	hbuf_puts(b, "\"><button type=\"submit\">Diagnose</button></form>");
}

void http_diag_metrics(struct http_server *h, struct hbuf *b)
{
	struct http_diag *g = h->diag;
	pthread_mutex_lock(&g->mu);
	unsigned running = g->running;
	uint64_t total = g->total, busy = g->busy, cached = g->cached;
	pthread_mutex_unlock(&g->mu);
	hbuf_printf(b, "# HELP ward_dashboard_diagnoses_running one-click "
	            "diagnoses running now\n# TYPE ward_dashboard_diagnoses_running "
	            "gauge\nward_dashboard_diagnoses_running %u\n", running);
	hbuf_printf(b, "# HELP ward_dashboard_diagnoses_total one-click diagnoses "
	            "run\n# TYPE ward_dashboard_diagnoses_total counter\n"
	            "ward_dashboard_diagnoses_total %llu\n",
	            (unsigned long long)total);
	hbuf_printf(b, "# HELP ward_dashboard_diagnoses_busy diagnoses refused "
	            "(too many running)\n# TYPE ward_dashboard_diagnoses_busy "
	            "counter\nward_dashboard_diagnoses_busy %llu\n",
	            (unsigned long long)busy);
	hbuf_printf(b, "# HELP ward_dashboard_diagnoses_cached results shown "
	            "again from the cache\n# TYPE ward_dashboard_diagnoses_cached "
	            "counter\nward_dashboard_diagnoses_cached %llu\n",
	            (unsigned long long)cached);
}

void http_diag_form(const struct http_server *h, struct hbuf *b)
{
	hbuf_puts(b, "<form class=\"filter\" method=\"post\" action=\"/diagnose\">"
	          "<input type=\"hidden\" name=\"csrf\" value=\"");
	hbuf_html(b, h->csrf);
	hbuf_puts(b, "\"><label>name <input name=\"name\" size=\"32\" "
	          "required></label><label>type <input name=\"type\" size=\"6\" "
	          "value=\"A\"></label><button type=\"submit\">Diagnose</button>"
	          "</form>");
}

/* ---- the request body ---- */

struct form {
	struct MHD_PostProcessor *pp;
	size_t body;                       /* bytes received */
	bool too_big, bad;
	char name[DIAG_NAME_FIELD];
	char type[DIAG_TYPE_FIELD];
	char csrf[2 * HTTP_CSRF_BYTES + 1];
};

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *filename,
                                  const char *content_type,
                                  const char *transfer_encoding,
                                  const char *data, uint64_t off, size_t size)
{
	struct form *f = cls;
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	char *dst = NULL;
	size_t cap = 0;
	if (!strcmp(key, "name")) {
		dst = f->name;
		cap = sizeof f->name;
	} else if (!strcmp(key, "type")) {
		dst = f->type;
		cap = sizeof f->type;
	} else if (!strcmp(key, "csrf")) {
		dst = f->csrf;
		cap = sizeof f->csrf;
	} else {
		return MHD_YES;               /* other fields: ignored */
	}
	if (off >= cap || size >= cap - off) {
		f->bad = true;                /* longer than any good value */
		return MHD_NO;
	}
	memcpy(dst + off, data, size);
	dst[off + size] = 0;
	if (memchr(data, 0, size))
		f->bad = true;
	return MHD_YES;
}

void http_diag_request_done(void **con_cls)
{
	struct form *f = *con_cls;
	if (!f)
		return;
	if (f->pp)
		MHD_destroy_post_processor(f->pp);
	free(f);
	*con_cls = NULL;
}

/* ---- what wardd runs on (copied on the event loop) ---- */

struct diag_in {
	dns_name qname;                    /* in */
	bool recursive, dnssec, local_only, builtin;
	struct res_addr srv[HTTP_DIAG_SERVERS_MAX];
	size_t nsrv;
	unsigned tls_skipped;              /* server-tls= addresses left out */
	dns_name zone;                     /* the forwarding rule's domain */
	struct res_anchors anchors;
	bool oom;
	char hints_file[DIAG_PATH_MAX], anchor_file[DIAG_PATH_MAX];
};

static void take_addr(struct wardd *d, struct diag_in *in,
                      const struct res_addr *a)
{
	const char *tls_name;
	if (upstream_tls_lookup(d, a, &tls_name)) {
		in->tls_skipped++;             /* never plain text to a DoT server */
		return;
	}
	if (in->nsrv < HTTP_DIAG_SERVERS_MAX)
		in->srv[in->nsrv++] = *a;
}

/* Loop thread: only copies. */
static void gather(struct wardd *d, void *arg)
{
	struct diag_in *in = arg;
	const struct wardd_setup *s = &d->gen->setup;
	const ward_conf *c = d->dns_conf ? d->dns_conf : d->conf;
	in->dnssec = s->rc.dnssec;
	for (size_t i = 0; i < s->anchors.n; i++)
		if (res_anchors_add(&in->anchors, &s->anchors.rrs[i]) == WARD_ENOMEM)
			in->oom = true;
	if (c->trust_anchor_file)
		snprintf(in->anchor_file, sizeof in->anchor_file, "%s",
		         c->trust_anchor_file);
	/* the forwarding rule the engine would pick: the longest domain at
	 * or above the name (server=/d/IP, or the plain server= at the root) */
	int best = -1;
	for (size_t i = 0; i < s->n_fwd; i++) {
		const struct res_forwarder *f = &s->fwd[i];
		if (!dns_name_is_subdomain(&in->qname, &f->domain))
			continue;
		if (best < 0 || f->domain.len > s->fwd[best].domain.len)
			best = (int)i;
	}
	bool forward = best >= 0 && (!s->recursive || s->fwd[best].domain.len > 1);
	if (forward) {
		in->zone = s->fwd[best].domain;
		for (size_t i = 0; i < s->n_fwd; i++) {
			const struct res_forwarder *f = &s->fwd[i];
			if (!dns_name_equal(&f->domain, &in->zone))
				continue;
			if (f->local_only)
				in->local_only = true;
			else
				take_addr(d, in, &f->addr);
		}
		return;
	}
	in->recursive = true;
	if (s->hints) {
		for (size_t i = 0; i < s->n_hints && in->nsrv < HTTP_DIAG_SERVERS_MAX; i++)
			in->srv[in->nsrv++] = s->hints[i].addr;
		if (c->root_hints)
			snprintf(in->hints_file, sizeof in->hints_file, "%s",
			         c->root_hints);
	} else {
		in->builtin = true;
		in->nsrv = res_root_hints_builtin(in->srv, HTTP_DIAG_SERVERS_MAX);
	}
}

static int to_server(const struct res_addr *a, struct dns_server *out)
{
	char ip[INET6_ADDRSTRLEN];
	if (!inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->ip, ip, sizeof ip))
		return -1;
	char spec[INET6_ADDRSTRLEN + 8];
	snprintf(spec, sizeof spec, "%s#%u", ip, a->port ? a->port : 53);
	return dns_server_parse(spec, 53, out);
}

/* ---- the walk, bounded ---- */

struct bounded {
	diag_fetch_fn inner;
	void *ctx;
	int64_t deadline;
	bool hit;
	atomic_bool *stopping;
};

static int bounded_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                         uint8_t *buf, size_t cap, size_t *len)
{
	struct bounded *bd = ctx;
	if (atomic_load(bd->stopping))
		return DIAG_FETCH_TIMEOUT;     /* wardd stops: no more questions */
	if (diag_now_ms() >= bd->deadline) {
		bd->hit = true;
		return DIAG_FETCH_TIMEOUT;
	}
	int r = bd->inner(bd->ctx, qname, qtype, buf, cap, len);
	if (r != DIAG_FETCH_OK && diag_now_ms() >= bd->deadline)
		bd->hit = true;
	return r;
}

static void page_error(struct hbuf *b, const char *title, const char *msg)
{
	html_begin(b, PAGE_DNSSEC, title);
	hbuf_puts(b, "<p class=\"bad\">");
	hbuf_html(b, msg);
	hbuf_puts(b, "</p><p><a href=\"/dnssec\">Back to the DNSSEC failures"
	          "</a></p>");
	html_end(b);
}

static void text_row(struct hbuf *b, const char *th, const char *cls,
                     const char *td)
{
	hbuf_puts(b, "<tr><th>");
	hbuf_html(b, th);
	hbuf_printf(b, "</th><td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "",
	            cls ? "\"" : "");
	hbuf_html(b, td);
	hbuf_puts(b, "</td></tr>");
}

/* The result (everything under the title) into b; the caller caches it. */
static void render(struct hbuf *b, const struct diag_model *m,
                   const struct diag_in *in, bool hit, double took_s,
                   const char *svg, const char *svg_err)
{
	char nb[DNS_NAME_TEXT_MAX], tb[16], line[DIAG_TEXT_MAX + 64];
	const char *v = diag_verdict_str(m->verdict);
	const char *cls = m->verdict == DIAG_SECURE ? "ok" : m->verdict ==
	                  DIAG_BOGUS ? "bad" : m->verdict == DIAG_INSECURE ? NULL
	                  : "warn";
	hbuf_puts(b, "<table class=\"diagres\">");
	snprintf(line, sizeof line, "%s %s", dns_name_str(&m->qname, nb),
	         dns_type_str(m->qtype, tb));
	text_row(b, "name", NULL, line);
	text_row(b, "verdict", cls, v);
	text_row(b, m->verdict == DIAG_SECURE || m->verdict == DIAG_INSECURE ?
	         "why" : "first break", NULL, m->sentence);
	if (m->ede != DIAG_NO_EDE)
		snprintf(line, sizeof line, "%u (%s)", m->ede, diag_ede_name(m->ede));
	else
		snprintf(line, sizeof line, "none");
	text_row(b, "Extended DNS Error", NULL, line);
	snprintf(line, sizeof line, "%s; %u queries in %.1f s", m->source,
	         m->queries, took_s);
	text_row(b, "walked", NULL, line);
	hbuf_puts(b, "</table>");
	if (hit)
		hbuf_printf(b, "<p class=\"warn\">The walk reached its time limit "
		            "(%u s): what was not fetched by then counts as a "
		            "timeout.</p>", HTTP_DIAG_TIME_MS / 1000);
	hbuf_puts(b, "<h2>Chain of trust</h2>");
	if (svg) {
		hbuf_puts(b, "<div class=\"chain\">");
		hbuf_puts(b, svg);
		hbuf_puts(b, "</div>");
	} else {
		hbuf_puts(b, "<p class=\"warn\">No picture: ");
		hbuf_html(b, svg_err);
		hbuf_puts(b, "</p>");
	}
	/* the full report, as `ward diagnose` prints it */
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	if (f) {
		diag_report_text(m, f);
		fclose(f);
	}
	if (text) {
		hbuf_puts(b, "<details><summary>The full report (as <code>ward "
		          "diagnose</code> prints it)</summary><pre>");
		hbuf_html(b, text);
		hbuf_puts(b, "</pre></details>");
	}
	free(text);
	/* the command line that gives the same walk */
	hbuf_puts(b, "<p class=\"mut\">From a shell: <code>ward diagnose ");
	hbuf_html(b, dns_name_str(&m->qname, nb));
	hbuf_puts(b, " ");
	hbuf_html(b, dns_type_str(m->qtype, tb));
	if (!in->recursive) {
		char ip[INET6_ADDRSTRLEN] = "?";
		inet_ntop(in->srv[0].family == 6 ? AF_INET6 : AF_INET, in->srv[0].ip,
		          ip, sizeof ip);
		hbuf_printf(b, " --server %s#%u", ip, in->srv[0].port);
	} else if (in->hints_file[0]) {
		hbuf_puts(b, " --recursive --root-hints ");
		hbuf_html(b, in->hints_file);
	} else {
		hbuf_puts(b, " --recursive --root-hints FILE");
	}
	if (in->anchor_file[0]) {
		hbuf_puts(b, " --anchor ");
		hbuf_html(b, in->anchor_file);
	}
	hbuf_puts(b, "</code></p>");
}

/* Run one diagnosis: the result fragment into out (0), or a message in
 * err (-1). */
static int run(struct http_server *h, struct diag_in *in, uint16_t qtype,
               struct hbuf *out, char *err, size_t errlen)
{
	if (http_bridge_call(&h->bridge, gather, in) < 0) {
		snprintf(err, errlen, "wardd's event loop did not answer in time; "
		         "try again");
		return -1;
	}
	if (in->oom) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (in->local_only) {
		snprintf(err, errlen, "this name is answered from local data only "
		         "(local=/server=/domain/): nothing is validated, there is "
		         "no chain to walk");
		return -1;
	}
	if (!in->nsrv) {
		snprintf(err, errlen, in->tls_skipped ? "the name is forwarded over "
		         "DNS-over-TLS (server-tls=) only; the diagnosis asks with "
		         "plain DNS and never sends that to a server-tls= address"
		         : "no server to ask for this name");
		return -1;
	}
	if (!in->anchors.n && res_anchors_add_root(&in->anchors) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct dns_server srv[HTTP_DIAG_SERVERS_MAX];
	size_t ns = 0;
	for (size_t i = 0; i < in->nsrv; i++)
		if (to_server(&in->srv[i], &srv[ns]) == 0)
			ns++;
	if (!ns) {
		snprintf(err, errlen, "no usable server address");
		return -1;
	}
	int64_t t0 = diag_now_ms();
	struct bounded bd = { .deadline = t0 + HTTP_DIAG_TIME_MS,
	                      .stopping = &h->diag->stopping };
	struct diag_iter *it = NULL;
	struct diag_live *live = NULL;
	char src[256];
	if (in->recursive) {
		/* one try per server: the next root or name server is the
		 * retry, and a stop waits for one try at most */
		it = diag_iter_new_servers(srv, ns, HTTP_DIAG_TRY_MS, 1);
		if (it) {
			diag_iter_set_deadline(it, bd.deadline);
			diag_iter_set_cancel(it, &h->diag->stopping);
		}
		bd.inner = diag_iter_fetch;
		bd.ctx = it;
		snprintf(src, sizeof src, "recursive from wardd's %s (%zu "
		         "address%s)", in->builtin ? "built-in root hints"
		         : "root hints", ns, ns == 1 ? "" : "es");
	} else {
		live = diag_live_new(srv[0].text, HTTP_DIAG_TRY_MS, 2);
		if (live) {
			diag_live_set_deadline(live, bd.deadline);
			diag_live_set_cancel(live, &h->diag->stopping);
		}
		bd.inner = diag_live_fetch;
		bd.ctx = live;
		char zb[DNS_NAME_TEXT_MAX];
		snprintf(src, sizeof src, "server %s (wardd's forwarder for %s)",
		         srv[0].text, dns_name_str(&in->zone, zb));
	}
	struct diag_model *m = calloc(1, sizeof *m);
	int rc = -1;
	if (!m || !bd.ctx) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	m->source = src;
	struct diag_walk w = { .fetch = bounded_fetch, .fetch_ctx = &bd,
	                       .anchors = in->anchors.rrs,
	                       .nanchors = in->anchors.n,
	                       .at = (int64_t)time(NULL) };
	if (diag_walk_run(&w, &in->qname, qtype, m) < 0) {
		snprintf(err, errlen, "%s", m->sentence);
		goto out;
	}
	if (atomic_load(&h->diag->stopping)) {
		snprintf(err, errlen, "wardd is stopping");
		goto out;
	}
	if ((it && !diag_iter_answered(it)) || (live && !diag_live_answered(live))) {
		if (bd.hit)
			snprintf(err, errlen, "no server answered within the time "
			         "limit (%d s; %s)", HTTP_DIAG_TIME_MS / 1000, src);
		else
			snprintf(err, errlen, "no server answered (%s)", src);
		goto out;
	}
	double took = (double)(diag_now_ms() - t0) / 1000.0;
	char *svg = NULL;
	size_t svglen;
	char svg_err[256] = "";
	diag_graph_svg(m, HTTP_DIAG_DOT_MS, HTTP_DIAG_SVG_MAX, &svg, &svglen,
	               svg_err, sizeof svg_err);
	render(out, m, in, bd.hit, took, svg, svg_err);
	free(svg);
	rc = 0;
out:
	if (m)
		diag_model_free(m);
	free(m);
	diag_iter_free(it);
	diag_live_free(live);
	return rc;
}

/* ---- the cache ---- */

static bool result_get(struct http_diag *g, const char *key, struct hbuf *b,
                      int64_t *made)
{
	int64_t now = diag_now_ms();
	bool found = false;
	pthread_mutex_lock(&g->mu);
	for (size_t i = 0; i < HTTP_DIAG_CACHE_MAX && !found; i++) {
		struct cached *e = &g->cache[i];
		if (e->at_ms && e->html && !strcmp(e->key, key) &&
		    now - e->at_ms < HTTP_DIAG_CACHE_S * 1000) {
			hbuf_puts(b, e->html);
			*made = e->made_unix;
			found = true;
		}
	}
	pthread_mutex_unlock(&g->mu);
	return found;
}

static void result_put(struct http_diag *g, const char *key, const char *html)
{
	char *copy = strdup(html);
	if (!copy)
		return;
	pthread_mutex_lock(&g->mu);
	struct cached *slot = &g->cache[0];
	for (size_t i = 0; i < HTTP_DIAG_CACHE_MAX; i++) {
		struct cached *e = &g->cache[i];
		if (!strcmp(e->key, key) || !e->at_ms) {
			slot = e;
			break;
		}
		if (e->at_ms < slot->at_ms)
			slot = e;                  /* the oldest goes */
	}
	free(slot->html);
	snprintf(slot->key, sizeof slot->key, "%s", key);
	slot->html = copy;
	slot->at_ms = diag_now_ms();
	slot->made_unix = (int64_t)time(NULL);
	pthread_mutex_unlock(&g->mu);
}

/* ---- POST /diagnose ---- */

/* Constant time in the token's length. */
static bool token_ok(const char *want, const char *got)
{
	size_t wl = strlen(want), gl = strlen(got);
	unsigned diff = (unsigned)(wl ^ gl);
	for (size_t i = 0; i < wl; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)(i < gl ? got[i] : 0);
	return diff == 0;
}

/* Besides the token: a browser's own word on where the form came from.
 * Sec-Fetch-Site, when sent, must be same-origin; an Origin header, when
 * sent, must be this host (scheme://Host) or "null" (what a browser sends
 * under the dashboard's Referrer-Policy: no-referrer, Fetch 3.2.5). */
static bool origin_ok(struct MHD_Connection *c)
{
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                               "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin"))
		return false;
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                                 "Origin");
	if (!origin || !strcmp(origin, "null"))
		return true;
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_HOST);
	const char *p = strstr(origin, "://");
	return host && p && !strcmp(p + 3, host);
}

static unsigned finish(struct http_server *h, struct MHD_Connection *c,
                       struct form *f, struct hbuf *b)
{
	if (f->pp) {
		if (MHD_destroy_post_processor(f->pp) != MHD_YES)
			f->bad = true;
		f->pp = NULL;
	}
	if (!origin_ok(c) || !f->csrf[0] || !token_ok(h->csrf, f->csrf)) {
		page_error(b, "Diagnosis refused", "The form's token is missing or "
		           "wrong (or the request came from another site). Start "
		           "again from the DNSSEC failures page.");
		return MHD_HTTP_FORBIDDEN;
	}
	struct diag_in *in = calloc(1, sizeof *in);
	if (!in) {
		page_error(b, "Diagnosis", "out of memory");
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	const dns_name root = { 1, { 0 } };
	uint16_t qtype = DNS_T_A;
	if (f->too_big || f->bad || !f->name[0] ||
	    dns_name_from_text(&in->qname, f->name, strlen(f->name), &root) ||
	    (f->type[0] && dns_type_from_text(f->type, strlen(f->type), &qtype))) {
		free(in);
		page_error(b, "Diagnosis", "The form needs a domain name and a "
		           "record type.");
		return MHD_HTTP_BAD_REQUEST;
	}
	char nb[DNS_NAME_TEXT_MAX], tb[16], key[DNS_NAME_TEXT_MAX + 16];
	dns_name_str(&in->qname, nb);
	for (char *p = nb; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	snprintf(key, sizeof key, "%s %s", nb, dns_type_str(qtype, tb));
	struct hbuf res;
	hbuf_init(&res);
	int64_t made = 0;
	struct http_diag *g = h->diag;
	bool cached = result_get(g, key, &res, &made);
	if (cached) {
		pthread_mutex_lock(&g->mu);
		g->cached++;
		pthread_mutex_unlock(&g->mu);
	}
	if (!cached) {
		pthread_mutex_lock(&g->mu);
		bool busy = g->running >= HTTP_DIAG_RUNNING_MAX;
		if (!busy) {
			g->running++;
			g->total++;
		} else {
			g->busy++;
		}
		pthread_mutex_unlock(&g->mu);
		if (busy) {
			free(in);
			hbuf_free(&res);
			html_begin(b, PAGE_DNSSEC, "Diagnosis: busy");
			hbuf_printf(b, "<p class=\"warn\" id=\"busy\">%u diagnoses are "
			            "running, the most wardd runs at once. Try again in "
			            "a few seconds (each takes at most %u s).</p><p><a "
			            "href=\"/dnssec\">Back to the DNSSEC failures</a></p>",
			            HTTP_DIAG_RUNNING_MAX, HTTP_DIAG_TIME_MS / 1000);
			html_end(b);
			return MHD_HTTP_SERVICE_UNAVAILABLE;
		}
		char err[512] = "";
		int r = run(h, in, qtype, &res, err, sizeof err);
		pthread_mutex_lock(&g->mu);
		g->running--;
		pthread_mutex_unlock(&g->mu);
		if (r < 0 || res.oom) {
			res_anchors_free(&in->anchors);
			free(in);
			hbuf_free(&res);
			page_error(b, "Diagnosis failed", err[0] ? err : "out of memory");
			return MHD_HTTP_SERVICE_UNAVAILABLE;
		}
		result_put(g, key, res.p ? res.p : "");
	}
	res_anchors_free(&in->anchors);
	free(in);
	html_begin(b, PAGE_DNSSEC, "Diagnosis");
	if (cached)
		hbuf_printf(b, "<p class=\"mut\">The result of %lld s ago (kept "
		            "%u s).</p>", (long long)((int64_t)time(NULL) - made),
		            HTTP_DIAG_CACHE_S);
	hbuf_putn(b, res.p ? res.p : "", res.len);
	hbuf_puts(b, "<p><a href=\"/dnssec\">Back to the DNSSEC failures</a></p>");
	html_end(b);
	hbuf_free(&res);
	return MHD_HTTP_OK;
}

unsigned http_diag_post(struct http_server *h, struct MHD_Connection *c,
                        void **con_cls, const char *upload,
                        size_t *upload_size, struct hbuf *b)
{
	struct form *f = *con_cls;
	if (!f) {                          /* the headers: set up */
		if (!(f = calloc(1, sizeof *f))) {
			page_error(b, "Diagnosis", "out of memory");
			return MHD_HTTP_SERVICE_UNAVAILABLE;
		}
		f->pp = MHD_create_post_processor(c, 1024, form_field, f);
		if (!f->pp)
			f->bad = true;             /* not a form body */
		*con_cls = f;
		return 0;
	}
	if (*upload_size) {                /* a piece of the body */
		f->body += *upload_size;
		if (f->body > HTTP_DIAG_FORM_MAX)
			f->too_big = true;
		else if (f->pp && !f->bad &&
		         MHD_post_process(f->pp, upload, *upload_size) != MHD_YES)
			f->bad = true;
		*upload_size = 0;
		return 0;
	}
	return finish(h, c, f, b);
}
