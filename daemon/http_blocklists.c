/* wardd dashboard: the blocklists page (docs/dashboard.md, "Blocklists").
 * GET /blocklists lists every source (blocklist=, allowlist= and the
 * names added here) with its name count, its last read and how it went,
 * the blocking mode, and the names added here; plain HTML forms (no
 * JavaScript needed) POST to /blocklists/add, /remove and /refresh, each
 * with the session's CSRF token (http_csrf.c). The state is copied and
 * every change made on the event loop (http_bridge_call, http_snapshot.c); a change that
 * worked answers 303 back to the page (post/redirect/get), one that did
 * not shows the page again with why, and nothing changed. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "daemon/blocklist_run.h"
#include "daemon/http.h"

/* ---- on the loop ---- */

struct status_call {
	struct blocklists_status st;
	uint64_t blocked;
	int rc;
};

static void status_fn(struct wardd *d, void *arg)
{
	struct status_call *sc = arg;
	sc->rc = blocklists_status_get(d, &sc->st);
	struct res_stats es;
	wardd_engine_stats(d, &es);
	sc->blocked = es.blocked;
}

struct change_call {
	enum bl_change op;
	const char *name;
	long source;               /* refresh: index, -1 all */
	bool refresh;
	char msg[320];
	int rc;
};

static void change_fn(struct wardd *d, void *arg)
{
	struct change_call *cc = arg;
	if (cc->refresh) {
		cc->rc = blocklists_refresh(d, cc->source);
		if (cc->rc < 0)
			snprintf(cc->msg, sizeof cc->msg, "no such list");
		return;
	}
	cc->rc = blocklists_manual_change(d, cc->op, cc->name, cc->msg,
	                                  sizeof cc->msg);
}

/* ---- rendering (HTTP thread) ---- */

static void when(struct hbuf *b, int64_t ms, int64_t now_ms)
{
	if (!ms) {
		hbuf_puts(b, "never");
		return;
	}
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char at[32];
	strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S UTC", &tm);
	long long ago = (long long)((now_ms - ms) / 1000);
	hbuf_printf(b, "%s <span class=\"mut\">(%llds ago)</span>", at,
	            ago < 0 ? 0 : ago);
}

static void token_field(struct hbuf *b, const char *tok)
{
	hbuf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", tok);
}

static void result_cell(struct hbuf *b, const struct bl_source_status *s)
{
	if (s->busy) {
		hbuf_printf(b, "<td class=\"warn\">%s</td>", s->url ? "fetching now"
		            : "reading now");
	} else if (s->err[0]) {
		hbuf_puts(b, "<td class=\"bad\">failed: ");
		hbuf_html(b, s->err);
		hbuf_puts(b, s->ok_ms ? "; the list in force is kept</td>" : "</td>");
	} else if (!s->loads) {
		hbuf_puts(b, "<td class=\"mut\">not read yet</td>");
	} else if (s->bad) {
		hbuf_printf(b, "<td class=\"ok\">ok <span class=\"mut\">(%u bad "
		            "lines skipped)</span></td>", s->bad);
	} else {
		hbuf_puts(b, "<td class=\"ok\">ok</td>");
	}
}

static void sources_table(struct hbuf *b, const struct blocklists_status *st,
                          const char *tok, int64_t now_ms)
{
	hbuf_puts(b, "<h2>Lists</h2><table id=\"bl-sources\"><tr><th>kind</th>"
	          "<th>source</th><th class=\"n\">names</th><th>last read</th>"
	          "<th>result</th><th class=\"n\">reads / failures</th>"
	          "<th></th></tr>");
	for (size_t i = 0; i < st->n; i++) {
		const struct bl_source_status *s = &st->src[i];
		hbuf_printf(b, "<tr><td>%s</td><td><code>", s->manual ?
		            "added here" : s->allow ? "allowlist" : "blocklist");
		hbuf_html(b, s->spec);
		hbuf_printf(b, "</code></td><td class=\"n\">%zu</td><td>", s->names);
		when(b, s->last_ms, now_ms);
		hbuf_puts(b, "</td>");
		result_cell(b, s);
		hbuf_printf(b, "<td class=\"n\">%llu / %llu</td><td><form "
		            "class=\"inline\" method=\"post\" action=\"/blocklists/"
		            "refresh\">", (unsigned long long)s->loads,
		            (unsigned long long)s->failures);
		token_field(b, tok);
		hbuf_printf(b, "<input type=\"hidden\" name=\"source\" value=\"%zu\">"
		            "<button type=\"submit\">%s now</button></form></td></tr>",
		            i, s->url ? "fetch" : "read");
	}
	hbuf_puts(b, "</table><form class=\"inline\" method=\"post\" "
	          "action=\"/blocklists/refresh\">");
	token_field(b, tok);
	hbuf_puts(b, "<input type=\"hidden\" name=\"source\" value=\"all\">"
	          "<p><button type=\"submit\" id=\"bl-refresh-all\">Read and "
	          "fetch every list now</button> <span class=\"mut\">Files are "
	          "read again, URLs fetched again; a list that fails keeps the "
	          "names in force. Reload the page to see the result.</span></p>"
	          "</form>");
}

static void entries_table(struct hbuf *b, const struct blocklists_status *st,
                          const char *tok)
{
	hbuf_puts(b, "<h2>Names added here</h2>");
	if (st->manual < 0)
		return;
	const struct bl_entries *e = &st->entries;
	hbuf_puts(b, "<table id=\"bl-entries\"><tr><th>name</th><th>what</th>"
	          "<th></th></tr>");
	size_t shown = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct bl_entry *x = &e->v[i];
		if (x->kind == BL_ENTRY_OTHER)
			continue;
		shown++;
		hbuf_puts(b, "<tr><td>");
		hbuf_html(b, x->text);
		hbuf_printf(b, "</td><td class=\"%s\">%s, and every name below it"
		            "</td><td><form class=\"inline\" method=\"post\" "
		            "action=\"/blocklists/remove\">",
		            x->kind == BL_ENTRY_ALLOW ? "ok" : "bad",
		            x->kind == BL_ENTRY_ALLOW ? "allowed" : "blocked");
		token_field(b, tok);
		hbuf_puts(b, "<input type=\"hidden\" name=\"name\" value=\"");
		hbuf_html(b, x->text);
		hbuf_puts(b, "\"><button type=\"submit\">remove</button></form>"
		          "</td></tr>");
	}
	if (!shown)
		hbuf_puts(b, "<tr><td colspan=\"3\" class=\"mut\">none yet</td></tr>");
	hbuf_puts(b, "</table><p class=\"mut\">Kept in <code>");
	hbuf_html(b, st->src[st->manual].spec);
	hbuf_puts(b, "</code> (<code>dashboard-blocklist=</code>), an ordinary "
	          "list read with the others: it survives a reload and a "
	          "restart.");
	size_t other = 0;           /* lines that are not ours nor comments */
	for (size_t i = 0; i < e->n; i++)
		other += e->v[i].kind == BL_ENTRY_OTHER && e->v[i].text[0] &&
		         e->v[i].text[0] != '#' && e->v[i].text[0] != '!';
	if (other)
		hbuf_printf(b, " %zu other line%s of the file (comments, names in "
		            "other formats) %s kept as they are.", other,
		            other == 1 ? "" : "s", other == 1 ? "is" : "are");
	hbuf_puts(b, "</p>");
}

static void add_form(struct hbuf *b, const char *tok, const char *value,
                     bool allow)
{
	hbuf_puts(b, "<h2>Block or allow a name</h2><form class=\"filter\" "
	          "id=\"bl-add-form\" method=\"post\" action=\"/blocklists/add\">");
	token_field(b, tok);
	hbuf_puts(b, "<label>name <input id=\"bl-name\" name=\"name\" size=\"32\" "
	          "placeholder=\"ads.example.com\" value=\"");
	hbuf_html(b, value ? value : "");
	hbuf_printf(b, "\"></label><label><input type=\"radio\" name=\"kind\" "
	            "value=\"block\"%s> block</label><label><input type=\"radio\" "
	            "name=\"kind\" value=\"allow\"%s> allow</label><button "
	            "type=\"submit\" id=\"bl-add\">Add</button></form><p "
	            "class=\"mut\">The name and every name below it; in force at "
	            "once, for the next query. An allowed name wins over every "
	            "list.</p>", allow ? "" : " checked", allow ? " checked" : "");
}

static void render(const char *tok, const struct status_call *sc,
                   const char *ok, const char *err, const char *value,
                   bool allow, struct hbuf *b)
{
	const struct blocklists_status *st = &sc->st;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	html_begin(b, PAGE_BLOCKLISTS, "Blocklists");
	if (ok) {
		hbuf_puts(b, "<p class=\"ok\" id=\"bl-msg\" role=\"status\">");
		hbuf_html(b, ok);
		hbuf_puts(b, "</p>");
	}
	if (err) {
		hbuf_puts(b, "<p class=\"bad\" id=\"bl-err\" role=\"alert\">");
		hbuf_html(b, err);
		hbuf_puts(b, " Nothing was changed.</p>");
	}
	size_t names = 0;
	for (size_t i = 0; i < st->n; i++)
		names += st->src[i].names;
	hbuf_printf(b, "<div class=\"cards\"><div class=\"card\"><div class=\"v\">"
	            "%zu</div><div class=\"l\">names in %zu lists</div></div>"
	            "<div class=\"card\"><div class=\"v\">%llu</div><div "
	            "class=\"l\">queries blocked since start</div></div>"
	            "<div class=\"card\"><div class=\"v\">%s</div><div class=\"l\">"
	            "blocking mode (blocklist-mode=)</div></div></div>",
	            names, st->n, (unsigned long long)sc->blocked,
	            st->nxdomain ? "NXDOMAIN" : "null");
	hbuf_printf(b, "<p class=\"mut\">A blocked name is answered at once: %s, "
	            "TTL %lld s, with Extended DNS Error 15 (Blocked). URLs are "
	            "fetched again %s.</p>", st->nxdomain ? "NXDOMAIN" :
	            "0.0.0.0 for A, :: for AAAA, no records for other types",
	            (long long)(st->ttl >= 0 ? st->ttl : 2),
	            st->refresh ? "on schedule (blocklist-refresh=)" :
	                          "only at start (blocklist-refresh=0)");
	add_form(b, tok, value, allow);
	entries_table(b, st, tok);
	if (st->n)
		sources_table(b, st, tok, now_ms);
	html_end(b);
}

static int show(struct http_server *h, struct MHD_Connection *c,
                 unsigned status, const char *ok, const char *err,
                 const char *value, bool allow, struct hbuf *b,
                 struct http_reply *rep)
{
	char tok[HTTP_CSRF_LEN + 1];
	http_csrf_page(h, c, rep, tok);
	struct status_call sc;
	memset(&sc, 0, sizeof sc);
	if (http_bridge_call(&h->bridge, status_fn, &sc) < 0 || sc.rc < 0) {
		html_begin(b, PAGE_BLOCKLISTS, "Blocklists");
		hbuf_puts(b, "<p class=\"bad\">wardd's event loop did not answer in "
		          "time; reload the page.</p>");
		html_end(b);
		rep->status = 503;
		blocklists_status_free(&sc.st);
		return 0;
	}
	render(tok, &sc, ok, err, value, allow, b);
	blocklists_status_free(&sc.st);
	rep->status = status;
	return 0;
}

void page_blocklists(struct http_server *h, struct MHD_Connection *c,
                     const char *done, const char *name,
                     struct hbuf *b, struct http_reply *rep)
{
	char nm[BL_ENTRY_NAME_MAX + 1] = "";
	char ok[BL_ENTRY_NAME_MAX + 96];
	const char *msg = NULL;
	bool named = name && bl_entries_name(name, nm, NULL) == 0;
	if (done && !strcmp(done, "refresh")) {
		msg = "Lists queued to be read again; reload the page to see how "
		      "it went.";
	} else if (done && named) {
		const char *what = !strcmp(done, "blocked") ? "is now blocked" :
		                   !strcmp(done, "allowed") ? "is now allowed" :
		                   !strcmp(done, "removed") ? "was removed" :
		                   !strcmp(done, "same") ? "was already there" : NULL;
		if (what) {
			snprintf(ok, sizeof ok, "%s %s.", nm, what);
			msg = ok;
		}
	}
	(void)show(h, c, 200, msg, NULL, NULL, false, b, rep);
}

static int refused(struct hbuf *b, struct http_reply *rep, unsigned status,
                    const char *why)
{
	html_begin(b, PAGE_BLOCKLISTS, "Blocklists");
	hbuf_puts(b, "<p class=\"bad\" id=\"bl-err\" role=\"alert\">");
	hbuf_html(b, why);
	hbuf_puts(b, " Nothing was changed.</p><p><a href=\"/blocklists\">Back "
	          "to the blocklists</a></p>");
	html_end(b);
	rep->status = status;
	return 0;
}

static int post(struct http_server *h, struct MHD_Connection *c,
                const char *url, const struct http_form *f, struct hbuf *b,
                struct http_reply *rep);

void post_blocklists(struct http_server *h, struct MHD_Connection *c,
                     const char *url, const struct http_form *f,
                     struct hbuf *b, struct http_reply *rep)
{
	(void)post(h, c, url, f, b, rep);
}

static int post(struct http_server *h, struct MHD_Connection *c,
                const char *url, const struct http_form *f, struct hbuf *b,
                struct http_reply *rep)
{
	char sid[HTTP_SID_LEN + 1];
	if (f->too_big)
		return refused(b, rep, 413, "The form is too long or malformed.");
	if (!http_csrf_session(c, sid) || !http_csrf_ok(&h->csrf, sid, f->csrf))
		return refused(b, rep, 403, "The form's security token does not "
		               "belong to this browser session (the page is older "
		               "than wardd's last start, or the request came from "
		               "another site). Reload the page and try again.");
	struct change_call cc;
	memset(&cc, 0, sizeof cc);
	bool allow = !strcmp(f->kind, "allow");
	if (!strcmp(url, "/blocklists/add")) {
		if (f->kind[0] && !allow && strcmp(f->kind, "block"))
			return show(h, c, 400, NULL, "Choose block or allow.", f->name,
			            false, b, rep);
		cc.op = allow ? BL_CHANGE_ALLOW : BL_CHANGE_BLOCK;
	} else if (!strcmp(url, "/blocklists/remove")) {
		cc.op = BL_CHANGE_REMOVE;
	} else if (!strcmp(url, "/blocklists/refresh")) {
		cc.refresh = true;
		char *end;
		cc.source = strtol(f->source, &end, 10);
		if (!strcmp(f->source, "all"))
			cc.source = -1;
		else if (!f->source[0] || *end || cc.source < 0)
			return show(h, c, 400, NULL, "No such list.", NULL, false, b,
			            rep);
	} else {
		return refused(b, rep, 404, "No such action.");
	}
	cc.name = f->name;
	if (http_bridge_call(&h->bridge, change_fn, &cc) < 0)
		return refused(b, rep, 503, "wardd's event loop did not answer in "
		               "time; try again.");
	if (cc.rc < 0) {
		unsigned st = cc.rc == WARD_EINVAL || cc.rc == WARD_ENOTFOUND ||
		              cc.rc == WARD_ELIMIT ? 400 : 500;
		char msg[sizeof cc.msg + 2];
		snprintf(msg, sizeof msg, "%s.", cc.msg);
		msg[0] = (char)(msg[0] >= 'a' && msg[0] <= 'z' ? msg[0] - 32 : msg[0]);
		return show(h, c, st, NULL, msg, cc.op == BL_CHANGE_REMOVE ? NULL :
		            f->name, allow, b, rep);
	}
	struct hbuf loc;
	hbuf_init(&loc);
	if (cc.refresh) {
		hbuf_puts(&loc, "/blocklists?done=refresh");
	} else {
		char nm[BL_ENTRY_NAME_MAX + 1];
		bl_entries_name(f->name, nm, NULL);
		hbuf_printf(&loc, "/blocklists?done=%s&name=", cc.rc == 1 ? "same" :
		            cc.op == BL_CHANGE_REMOVE ? "removed" :
		            allow ? "allowed" : "blocked");
		hbuf_url(&loc, nm);
	}
	snprintf(rep->location, sizeof rep->location, "%s",
	         loc.p && !loc.oom ? loc.p : "/blocklists");
	hbuf_free(&loc);
	rep->status = 303;
	hbuf_puts(b, "Done: see /blocklists\n");
	return 0;
}
