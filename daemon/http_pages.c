/* wardd dashboard: the HTML pages. Every page is complete without
 * JavaScript (tables rendered here; the log page's script only adds live
 * rows). Numbers come from a snapshot made on the event loop
 * (http_snapshot.c), log rows from the rings (dash.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/edns.h"
#include "daemon/http.h"

static void card(struct hbuf *b, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void card(struct hbuf *b, const char *label, const char *fmt, ...)
{
	char v[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	hbuf_puts(b, "<div class=\"card\"><div class=\"v\">");
	hbuf_html(b, v);
	hbuf_puts(b, "</div><div class=\"l\">");
	hbuf_html(b, label);
	hbuf_puts(b, "</div></div>");
}

static unsigned snapshot_failed(struct hbuf *b, enum http_page p,
                                const char *title)
{
	html_begin(b, p, title);
	hbuf_puts(b, "<p class=\"bad\">wardd's event loop did not answer in "
	          "time; reload the page.</p>");
	html_end(b);
	return 503;
}

static void duration(char *buf, size_t n, uint64_t s)
{
	if (s >= 86400)
		snprintf(buf, n, "%llud %lluh", (unsigned long long)(s / 86400),
		         (unsigned long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, n, "%lluh %llum", (unsigned long long)(s / 3600),
		         (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, n, "%llum %llus", (unsigned long long)(s / 60),
		         (unsigned long long)(s % 60));
}

static void bytes_text(char *buf, size_t n, uint64_t v)
{
	if (v >= 10u << 20)
		snprintf(buf, n, "%.1f MiB", v / 1048576.0);
	else
		snprintf(buf, n, "%.0f KiB", v / 1024.0);
}

/* answers per second over the last minute, an inline SVG (no script) */
static void sparkline(struct hbuf *b, const struct dash_counters *k,
                      int64_t now_ms)
{
	const unsigned W = 600, H = 80, N = DASH_RATE_SECONDS - 1;
	int64_t now = now_ms / 1000;
	uint32_t v[DASH_RATE_SECONDS - 1], max = 1;
	for (unsigned i = 0; i < N; i++) {
		int64_t sec = now - (int64_t)(N - i);
		unsigned slot = (unsigned)(sec % DASH_RATE_SECONDS);
		v[i] = k->per_sec_at[slot] == sec ? k->per_sec[slot] : 0;
		if (v[i] > max)
			max = v[i];
	}
	hbuf_printf(b, "<svg class=\"spark\" width=\"%u\" height=\"%u\" viewBox=\"0 0 "
	            "%u %u\" role=\"img\" aria-label=\"answers per second, last "
	            "minute (max %u)\"><polyline fill=\"none\" stroke=\"#1f5fbf\" "
	            "stroke-width=\"2\" points=\"", W, H, W, H, max);
	for (unsigned i = 0; i < N; i++)
		hbuf_printf(b, "%u,%u ", i * (W - 4) / (N - 1) + 2,
		            H - 4 - (unsigned)((uint64_t)v[i] * (H - 8) / max));
	hbuf_printf(b, "\"/><text x=\"6\" y=\"14\" font-size=\"11\" fill=\"#5b6475\">"
	            "peak %u/s</text></svg>", max);
}

unsigned page_overview(struct http_server *h, struct hbuf *b)
{
	struct http_snap s;
	if (http_snapshot_take(&h->bridge, &s, false))
		return snapshot_failed(b, PAGE_OVERVIEW, "Overview");
	const struct dash_counters *k = &s.k;
	html_begin(b, PAGE_OVERVIEW, "Overview");
	hbuf_puts(b, "<div class=\"cards\">");
	card(b, "queries/s (last 10 s)", "%.1f", dash_rate(k, s.now_ms, 10));
	card(b, "queries received", "%llu",
	     (unsigned long long)(s.st.udp_queries + s.st.tcp_queries));
	uint64_t lookups = s.cs.hits + s.cs.misses;
	if (lookups)
		card(b, "cache hit rate", "%.1f %%", 100.0 * s.cs.hits / lookups);
	else
		card(b, "cache hit rate", "-");
	card(b, "answered from cache", "%llu", (unsigned long long)k->cached);
	char t[64];
	duration(t, sizeof t, s.now_ms > k->started_ms ?
	         (uint64_t)(s.now_ms - k->started_ms) / 1000 : 0);
	card(b, "uptime", "%s", t);
	bytes_text(t, sizeof t, http_rss_bytes());
	card(b, "memory (resident)", "%s", t);
	bytes_text(t, sizeof t, s.cs.bytes);
	char lbl[64];
	snprintf(lbl, sizeof lbl, "cache memory (%zu RRsets)", s.cs.entries);
	card(b, lbl, "%s", t);
	card(b, "mode", "%s%s", s.recursive ? "recursive" : "forwarding",
	     s.dnssec ? ", DNSSEC" : "");
	hbuf_puts(b, "</div>\n<h2>Answers per second, last minute</h2>");
	sparkline(b, k, s.now_ms);

	hbuf_puts(b, "<h2>Answers by rcode</h2><table><tr><th>rcode</th>"
	          "<th class=\"n\">answers</th><th>share</th></tr>");
	static const char *const rc[DASH_RC_SLOTS] = {
		"NOERROR", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR",
		"other",
	};
	for (unsigned i = 0; i < DASH_RC_SLOTS; i++) {
		unsigned pct = k->answers ? (unsigned)(k->rcode[i] * 100 / k->answers) : 0;
		hbuf_printf(b, "<tr><td>%s</td><td class=\"n\">%llu</td><td><svg "
		            "width=\"300\" height=\"10\" aria-hidden=\"true\"><rect "
		            "width=\"%u\" height=\"10\" fill=\"#1f5fbf\"/></svg> %u %%"
		            "</td></tr>", rc[i], (unsigned long long)k->rcode[i],
		            pct * 3, pct);
	}
	hbuf_puts(b, "</table>");

	hbuf_puts(b, "<h2>DNSSEC</h2>");
	if (!s.dnssec)
		hbuf_puts(b, "<p class=\"mut\">Validation is off (no <code>dnssec</code> "
		          "option).</p>");
	hbuf_printf(b, "<table><tr><th>verdict</th><th class=\"n\">answers</th></tr>"
	            "<tr><td class=\"ok\">secure</td><td class=\"n\">%llu</td></tr>"
	            "<tr><td>insecure</td><td class=\"n\">%llu</td></tr>"
	            "<tr><td class=\"bad\">bogus</td><td class=\"n\">%llu</td></tr>"
	            "</table><p><a href=\"/dnssec\">Every bogus answer with its "
	            "Extended DNS Error</a></p>",
	            (unsigned long long)k->dnssec_secure,
	            (unsigned long long)k->dnssec_insecure,
	            (unsigned long long)k->dnssec_bogus);

	hbuf_puts(b, "<h2>Upstream servers</h2>");
	if (k->nup == 0)
		hbuf_puts(b, "<p class=\"mut\">No upstream query sent yet.</p>");
	else
		hbuf_puts(b, "<table><tr><th>server</th><th class=\"n\">sent</th>"
		          "<th class=\"n\">replies</th><th class=\"n\">no reply</th>"
		          "<th class=\"n\">smoothed RTT</th><th>last reply</th>"
		          "<th>health</th></tr>");
	for (unsigned i = 0; i <= k->nup && k->nup; i++) {
		const struct dash_upstream *u = i < k->nup ? &k->up[i] : &k->up_other;
		char addr[64];
		if (i < k->nup)
			http_addr_text(&u->addr, addr, sizeof addr);
		else if (u->sent)
			snprintf(addr, sizeof addr, "(%s more)", "others");
		else
			continue;
		char last[32] = "never";
		if (u->last_reply_ms)
			snprintf(last, sizeof last, "%llds ago",
			         (long long)((s.now_ms - u->last_reply_ms) / 1000));
		uint64_t done = u->replies + u->lost;
		const char *health = done == 0 ? "waiting" :
		                     u->replies * 10 >= done * 9 ? "good" :
		                     u->replies * 2 >= done ? "degraded" : "failing";
		const char *cls = health[0] == 'g' ? "ok" : health[0] == 'f' ? "bad" :
		                  health[0] == 'd' ? "warn" : "mut";
		hbuf_puts(b, "<tr><td>");
		hbuf_html(b, addr);
		hbuf_printf(b, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
		            "<td class=\"n\">%llu</td><td class=\"n\">%.1f ms</td>"
		            "<td>%s</td><td class=\"%s\">%s</td></tr>",
		            (unsigned long long)u->sent, (unsigned long long)u->replies,
		            (unsigned long long)u->lost, u->srtt_us / 1000.0, last, cls,
		            health);
	}
	if (k->nup)
		hbuf_puts(b, "</table>");
	hbuf_printf(b, "<p class=\"mut\">Engine: %llu upstream queries, %llu "
	            "timeouts, %llu SERVFAIL. DHCP: %s.</p>",
	            (unsigned long long)s.es.upstream_sent,
	            (unsigned long long)s.es.timeouts,
	            (unsigned long long)s.es.servfail,
	            s.dhcp ? "on (see DHCP leases)" : "off");
	html_end(b);
	http_snap_free(&s);
	return 200;
}

static void ip_text(uint32_t ip, char *buf, size_t n)
{
	struct in_addr a = { htonl(ip) };
	inet_ntop(AF_INET, &a, buf, (socklen_t)n);
}

static int lease_cmp(const void *x, const void *y)
{
	const struct http_lease *a = x, *b = y;
	return a->ip < b->ip ? -1 : a->ip > b->ip;
}

static void lease_rows(struct hbuf *b, const struct http_snap *s, bool expired)
{
	int64_t now = s->now_ms / 1000;
	hbuf_puts(b, "<table><tr><th>address</th><th>MAC</th><th>host name</th>"
	          "<th>expires</th></tr>");
	unsigned n = 0;
	for (size_t i = 0; i < s->nleases; i++) {
		const struct http_lease *l = &s->leases[i];
		bool exp = l->expires != DHCP_LEASE_INFINITE && l->expires <= now;
		if (exp != expired)
			continue;
		n++;
		char ip[INET_ADDRSTRLEN], when[128] = "never (infinite)";
		ip_text(l->ip, ip, sizeof ip);
		if (l->expires != DHCP_LEASE_INFINITE) {
			time_t t = (time_t)l->expires;
			struct tm tm;
			gmtime_r(&t, &tm);
			char rel[32];
			duration(rel, sizeof rel, (uint64_t)(exp ? now - l->expires
			                                         : l->expires - now));
			char at[32];
			strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S UTC", &tm);
			snprintf(when, sizeof when, exp ? "%s (%s ago)" : "%s (in %s)",
			         at, rel);
		}
		hbuf_printf(b, "<tr><td>%s</td><td><code>", ip);
		hbuf_html(b, l->mac);
		hbuf_puts(b, "</code></td><td>");
		hbuf_html(b, l->host[0] ? l->host : "-");
		hbuf_puts(b, "</td><td>");
		hbuf_html(b, when);
		hbuf_puts(b, "</td></tr>");
	}
	if (!n)
		hbuf_puts(b, "<tr><td colspan=\"4\" class=\"mut\">none</td></tr>");
	hbuf_puts(b, "</table>");
}

unsigned page_leases(struct http_server *h, struct hbuf *b)
{
	struct http_snap s;
	if (http_snapshot_take(&h->bridge, &s, true))
		return snapshot_failed(b, PAGE_LEASES, "DHCP leases");
	html_begin(b, PAGE_LEASES, "DHCP leases");
	if (!s.dhcp) {
		hbuf_puts(b, "<p class=\"mut\">DHCP is off (no <code>dhcp-range</code> "
		          "option).</p>");
	} else {
		qsort(s.leases, s.nleases, sizeof *s.leases, lease_cmp);
		hbuf_puts(b, "<div class=\"cards\">");
		card(b, "active leases", "%zu", s.leases_active);
		card(b, "leases ran out since start", "%llu",
		     (unsigned long long)s.k.expired_total);
		card(b, "DHCP messages received", "%llu",
		     (unsigned long long)s.ds.received);
		card(b, "replies sent", "%llu", (unsigned long long)s.ds.replies);
		hbuf_puts(b, "</div><h2>Active</h2>");
		lease_rows(b, &s, false);
		hbuf_printf(b, "<h2>Expired</h2><p class=\"mut\">The last %u leases "
		            "whose time ran out (wardd removes them then, as dnsmasq "
		            "does).</p>", DASH_EXPIRED_MAX);
		lease_rows(b, &s, true);
		if (s.leases_truncated)
			hbuf_printf(b, "<p class=\"warn\">Only the first %u leases are "
			            "listed.</p>", HTTP_LEASES_MAX);
	}
	html_end(b);
	http_snap_free(&s);
	return 200;
}

/* dnssec_page: the failures page's row, with the form token of its
 * diagnose button (NULL: the query log's row) */
static void log_row(struct hbuf *b, const struct qlog_entry *e,
                    const char *dnssec_page)
{
	time_t t = (time_t)(e->time_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char at[32], rcb[8];
	strftime(at, sizeof at, "%H:%M:%S", &tm);
	const char *rc = qlog_rcode_str(e->rcode, rcb);
	hbuf_printf(b, "<tr><td>%s</td><td>", at);
	hbuf_html(b, e->client);
	hbuf_puts(b, "</td><td>");
	hbuf_html(b, e->name);
	hbuf_puts(b, "</td><td>");
	hbuf_html(b, e->type);
	hbuf_printf(b, "</td><td class=\"%s\">%s%s</td>",
	            e->rcode == 0 ? "ok" : "bad", rc, e->nodata ? " (NODATA)" : "");
	if (!dnssec_page)
		hbuf_printf(b, "<td class=\"n\">%.1f</td><td>%s</td><td>%s</td>",
		            e->latency_us / 1000.0,
		            e->cached ? "cache" : e->local ? "local" : "upstream",
		            qlog_verdict_name(e->verdict));
	hbuf_puts(b, "<td>");
	if (e->has_ede) {
		const char *nm = edns_ede_name(e->ede);
		hbuf_printf(b, "%u", e->ede);
		if (nm)
			hbuf_printf(b, " (%s)", nm);
		if (e->ede_text[0]) {
			hbuf_puts(b, ": ");
			hbuf_html(b, e->ede_text);
		}
	}
	hbuf_puts(b, "</td>");
	if (dnssec_page) {
		/* the one-click diagnosis (http_diagnose.c), and the command */
		hbuf_puts(b, "<td>");
		http_diag_button(dnssec_page, b, e->name, e->type);
		hbuf_puts(b, "<code>ward diagnose ");
		hbuf_html(b, e->name);
		hbuf_puts(b, " ");
		hbuf_html(b, e->type);
		hbuf_puts(b, "</code></td>");
	}
	hbuf_puts(b, "</tr>\n");
}

unsigned page_log(struct http_server *h, const struct http_query *q,
                  struct hbuf *b)
{
	struct qlog_filter f;
	const char *why = NULL;
	unsigned status = 200;
	if (qlog_filter_parse(&f, q->client, q->name, q->rcode, &why) < 0)
		status = 400;
	html_begin(b, PAGE_LOG, "Query log");
	hbuf_puts(b, "<form class=\"filter\" method=\"get\" action=\"/log\">"
	          "<label>client <input name=\"client\" size=\"16\" value=\"");
	hbuf_html(b, q->client && status == 200 ? q->client : "");
	hbuf_puts(b, "\"></label><label>name contains <input name=\"name\" "
	          "size=\"24\" value=\"");
	hbuf_html(b, q->name && status == 200 ? q->name : "");
	hbuf_puts(b, "\"></label><label>rcode <input name=\"rcode\" size=\"9\" "
	          "value=\"");
	hbuf_html(b, q->rcode && status == 200 ? q->rcode : "");
	hbuf_puts(b, "\"></label><button type=\"submit\">Filter</button> "
	          "<a href=\"/log\">clear</a></form>");
	if (why) {
		hbuf_puts(b, "<p class=\"bad\">");
		hbuf_html(b, why);
		hbuf_puts(b, "</p>");
	}
	struct qlog_entry *rows = calloc(HTTP_PAGE_ROWS, sizeof *rows);
	size_t n = rows ? dash_ring_tail(h->dash, false, &f, rows, HTTP_PAGE_ROWS)
	                : 0;
	uint64_t last = dash_log_last(h->dash);
	hbuf_printf(b, "<p class=\"mut\">The last %u answers are kept; newest "
	            "first. <span id=\"live\">Reload for new queries (live with "
	            "JavaScript).</span></p>", QLOG_RING_SIZE);
	hbuf_printf(b, "<table id=\"qlog\" data-last=\"%llu\"><thead><tr><th>time "
	            "(UTC)</th><th>client</th><th>name</th><th>type</th>"
	            "<th>rcode</th><th class=\"n\">ms</th><th>from</th>"
	            "<th>DNSSEC</th><th>EDE</th></tr></thead><tbody>",
	            (unsigned long long)last);
	for (size_t i = n; i-- > 0;)
		log_row(b, &rows[i], NULL);
	hbuf_puts(b, "</tbody></table><script src=\"/static/log.js\"></script>");
	free(rows);
	html_end(b);
	return status;
}

unsigned page_dnssec(struct http_server *h, const char *tok, struct hbuf *b)
{
	struct qlog_filter f;
	const char *why;
	qlog_filter_parse(&f, NULL, NULL, NULL, &why);
	html_begin(b, PAGE_DNSSEC, "DNSSEC failures");
	if (!h->dash->dnssec)
		hbuf_puts(b, "<p class=\"mut\">Validation is off (no <code>dnssec</code> "
		          "option): no answer is judged bogus.</p>");
	hbuf_printf(b, "<p>Every answer that failed validation (SERVFAIL with a "
	            "DNSSEC Extended DNS Error, RFC 8914), newest first; the last "
	            "%u are kept. A client that sent no EDNS gets no EDE, so its "
	            "failures show as SERVFAIL in the query log only. To find out "
	            "why a domain fails, press Diagnose: wardd walks its chain "
	            "of trust as <code>ward diagnose</code> does (the command "
	            "beside it) and draws it. Any other name:</p>",
	            QLOG_BOGUS_SIZE);
	http_diag_form(tok, b);
	struct qlog_entry *rows = calloc(HTTP_PAGE_ROWS, sizeof *rows);
	size_t n = rows ? dash_ring_tail(h->dash, true, &f, rows, HTTP_PAGE_ROWS)
	                : 0;
	hbuf_puts(b, "<table><tr><th>time (UTC)</th><th>client</th><th>name</th>"
	          "<th>type</th><th>rcode</th><th>Extended DNS Error</th>"
	          "<th>diagnose</th></tr>");
	for (size_t i = n; i-- > 0;)
		log_row(b, &rows[i], tok);
	if (!n)
		hbuf_puts(b, "<tr><td colspan=\"7\" class=\"mut\">no bogus answer "
		          "yet</td></tr>");
	hbuf_puts(b, "</table>");
	free(rows);
	html_end(b);
	return 200;
}
