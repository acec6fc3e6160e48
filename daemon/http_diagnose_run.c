/* wardd dashboard: one diagnosis for http_diagnose.c (the POST handler,
 * token, bounds on how many run, cache). What wardd runs on is copied on
 * the event loop (http_bridge_call): its trust anchors, and its root hints
 * (recursive) or the forwarder its rules pick for the name; then
 * `ward diagnose`'s walk (diagnose/) runs here, in the connection's
 * thread, bounded by HTTP_DIAG_TIME_MS and the stop flag, and the result
 * (verdict, first break, EDE, the chain as inline SVG from `dot`, the full
 * report) is rendered as HTML. */
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"
#include "daemon/upstream_tls.h"
#include "diagnose/diagnose.h"
#include "diagnose/dns_transport.h"
#include "resolver/validator.h"

#define DIAG_PATH_MAX 512

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
	bool under_nta;                    /* qname at or below a dnssec-nta= */
	size_t used;                       /* forwarding: the srv[] asked */
	dns_name nta;
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
	/* a negative trust anchor: wardd does not validate below it, the walk
	 * still does (what is wrong there is what the diagnosis is for) */
	for (size_t i = 0; i < s->rc.n_insecure_domains; i++) {
		const dns_name *n = &s->rc.insecure_domains[i];
		if (dns_name_is_subdomain(&in->qname, n) &&
		    (!in->under_nta || n->len > in->nta.len)) {
			in->under_nta = true;
			in->nta = *n;
		}
	}
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

/* Forwarding mode: wardd's forwarders for the name, asked in turn as wardd
 * would (docs/dashboard.md): the walk moves to the next one when the one
 * it asks has never answered; one that answered once is kept. */
struct fwd_walk {
	const struct dns_server *srv;
	size_t n, cur;
	struct diag_live *live;            /* for srv[cur] */
	int64_t deadline;
	atomic_bool *stopping;
};

static struct diag_live *fwd_open(struct fwd_walk *f)
{
	diag_live_free(f->live);
	f->live = diag_live_new(f->srv[f->cur].text, HTTP_DIAG_TRY_MS, 2);
	if (f->live) {
		diag_live_set_deadline(f->live, f->deadline);
		diag_live_set_cancel(f->live, f->stopping);
	}
	return f->live;
}

static int fwd_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                     uint8_t *buf, size_t cap, size_t *len)
{
	struct fwd_walk *f = ctx;
	for (;;) {
		if (!f->live)
			return DIAG_FETCH_TIMEOUT;
		int r = diag_live_fetch(f->live, qname, qtype, buf, cap, len);
		if (r == DIAG_FETCH_OK || diag_live_answered(f->live) ||
		    f->cur + 1 == f->n || diag_now_ms() >= f->deadline ||
		    atomic_load(f->stopping))
			return r;
		f->cur++;                      /* never answered: the next one */
		fwd_open(f);
	}
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
	char tb2[DNS_NAME_TEXT_MAX];
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
	if (in->under_nta && in->dnssec) {
		/* the domain as dnssec-nta= spells it: no final dot */
		dns_name_str(&in->nta, tb2);
		size_t l = strlen(tb2);
		if (l > 1 && tb2[l - 1] == '.')
			tb2[l - 1] = '\0';
		hbuf_puts(b, "<p class=\"warn\">");
		hbuf_html(b, dns_name_str(&m->qname, nb));
		hbuf_puts(b, " is under the negative trust anchor <code>dnssec-nta=/");
		hbuf_html(b, tb2);
		hbuf_puts(b, "/</code>: wardd does not validate it and answers it "
		          "insecure, whatever this walk finds.</p>");
	}
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
		const struct res_addr *a = &in->srv[in->used];
		inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->ip, ip, sizeof ip);
		hbuf_printf(b, " --server %s#%u", ip, a->port);
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
               atomic_bool *stopping, struct hbuf *out, char *err,
               size_t errlen)
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
	size_t ns = 0, from[HTTP_DIAG_SERVERS_MAX]; /* srv[k] is in->srv[from[k]] */
	for (size_t i = 0; i < in->nsrv; i++)
		if (to_server(&in->srv[i], &srv[ns]) == 0)
			from[ns++] = i;
	if (!ns) {
		snprintf(err, errlen, "no usable server address");
		return -1;
	}
	int64_t t0 = diag_now_ms();
	struct bounded bd = { .deadline = t0 + HTTP_DIAG_TIME_MS,
	                      .stopping = stopping };
	struct diag_iter *it = NULL;
	struct fwd_walk fw = { .srv = srv, .n = ns, .deadline = bd.deadline,
	                       .stopping = stopping };
	char src[256] = "", zb[DNS_NAME_TEXT_MAX];
	if (in->recursive) {
		/* one try per server: the next root or name server is the
		 * retry, and a stop waits for one try at most */
		it = diag_iter_new_servers(srv, ns, HTTP_DIAG_TRY_MS, 1);
		if (it) {
			diag_iter_set_deadline(it, bd.deadline);
			diag_iter_set_cancel(it, stopping);
		}
		bd.inner = diag_iter_fetch;
		bd.ctx = it;
		snprintf(src, sizeof src, "recursive from wardd's %s (%zu "
		         "address%s)", in->builtin ? "built-in root hints"
		         : "root hints", ns, ns == 1 ? "" : "es");
	} else {
		/* src names the forwarder the walk ends with (below) */
		bd.inner = fwd_fetch;
		bd.ctx = fwd_open(&fw) ? &fw : NULL;
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
	if (atomic_load(stopping)) {
		snprintf(err, errlen, "wardd is stopping");
		goto out;
	}
	if (!in->recursive) { /* the forwarder the walk ended with */
		in->used = from[fw.cur];
		snprintf(src, sizeof src, "server %s (wardd's forwarder for %s%s)",
		         srv[fw.cur].text, dns_name_str(&in->zone, zb),
		         fw.cur ? "; the ones before it did not answer" : "");
	}
	if ((it && !diag_iter_answered(it)) ||
	    (fw.live && !diag_live_answered(fw.live))) {
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
	diag_live_free(fw.live);
	return rc;
}

int http_diag_run(struct http_server *h, const dns_name *qname, uint16_t qtype,
                  atomic_bool *stopping, struct hbuf *out, char *err,
                  size_t errlen)
{
	struct diag_in *in = calloc(1, sizeof *in);
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	in->qname = *qname;
	int r = run(h, in, qtype, stopping, out, err, errlen);
	res_anchors_free(&in->anchors);
	free(in);
	return r;
}
