/* wardd dashboard: the one-click diagnosis (docs/dashboard.md, issue #8).
 * Each row of the DNSSEC failures page has a "Diagnose" button: a POST
 * form to /diagnose with the name, the type and the session's CSRF
 * token. The handler runs `ward diagnose`'s own walk (diagnose/, the
 * library bin/ward links too) with what wardd itself runs on, copied on
 * the event loop (http_bridge_call): its trust anchors, and its root hints
 * (recursive) or the forwarder its rules pick for the name; then draws
 * the chain with graphviz `dot` as inline SVG.
 *
 * The walk (http_diagnose_run.c) is blocking and runs in the connection's
 * own thread (MHD_USE_THREAD_PER_CONNECTION), never on the event loop. It
 * is bounded:
 * HTTP_DIAG_TIME_MS for the walk (no exchange runs past it), HTTP_DIAG_DOT_MS
 * for `dot`, at most HTTP_DIAG_RUNNING_MAX at once (one more gets a "busy"
 * page, 503); a result is kept HTTP_DIAG_CACHE_S per (name, type).
 *
 * A diagnosis sends queries, so it is an action: POST only, with the
 * token of the browser's session (http_csrf.c, as every dashboard form); a
 * browser's
 * Sec-Fetch-Site and Origin headers, when sent, must say the form came
 * from the dashboard itself. */
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/http.h"
#include "diagnose/diagnose.h"
#include "resolver/validator.h"

#define DIAG_NAME_FIELD 1024
#define DIAG_TYPE_FIELD 24

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

void http_diag_button(const char *tok, struct hbuf *b, const char *name,
                      const char *type)
{
	hbuf_puts(b, "<form class=\"diag\" method=\"post\" action=\"/diagnose\">"
	          "<input type=\"hidden\" name=\"csrf\" value=\"");
	hbuf_html(b, tok);
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

void http_diag_form(const char *tok, struct hbuf *b)
{
	hbuf_puts(b, "<form class=\"filter\" method=\"post\" action=\"/diagnose\">"
	          "<input type=\"hidden\" name=\"csrf\" value=\"");
	hbuf_html(b, tok);
	hbuf_puts(b, "\"><label>name <input name=\"name\" size=\"32\" "
	          "required></label><label>type <input name=\"type\" size=\"6\" "
	          "value=\"A\"></label><button type=\"submit\">Diagnose</button>"
	          "</form>");
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

unsigned http_diag_post(struct http_server *h, struct MHD_Connection *c,
                        const struct http_form *f, struct hbuf *b)
{
	char sid[HTTP_SID_LEN + 1];
	if (!origin_ok(c) || !http_csrf_session(c, sid) ||
	    !http_csrf_ok(&h->csrf, sid, f->csrf)) {
		page_error(b, "Diagnosis refused", "The form's token is missing or "
		           "wrong (or the request came from another site). Start "
		           "again from the DNSSEC failures page.");
		return MHD_HTTP_FORBIDDEN;
	}
	const dns_name root = { 1, { 0 } };
	dns_name qname;
	uint16_t qtype = DNS_T_A;
	if (f->too_big || !f->name[0] ||
	    dns_name_from_text(&qname, f->name, strlen(f->name), &root) ||
	    (f->type[0] && dns_type_from_text(f->type, strlen(f->type), &qtype))) {
		page_error(b, "Diagnosis", "The form needs a domain name and a "
		           "record type.");
		return MHD_HTTP_BAD_REQUEST;
	}
	char nb[DNS_NAME_TEXT_MAX], tb[16], key[DNS_NAME_TEXT_MAX + 16];
	dns_name_str(&qname, nb);
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
		int r = http_diag_run(h, &qname, qtype, &g->stopping, &res, err,
		                      sizeof err);
		pthread_mutex_lock(&g->mu);
		g->running--;
		pthread_mutex_unlock(&g->mu);
		if (r < 0 || res.oom) {
			hbuf_free(&res);
			page_error(b, "Diagnosis failed", err[0] ? err : "out of memory");
			return MHD_HTTP_SERVICE_UNAVAILABLE;
		}
		result_put(g, key, res.p ? res.p : "");
	}
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
