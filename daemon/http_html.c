/* wardd dashboard: a growing text buffer, HTML/URL/JSON escaping, the page
 * frame and the assets embedded in the binary (no third-party requests:
 * the pages load /static/ward.css and, on the log page, /static/log.js
 * from wardd itself; the Content-Security-Policy forbids anything else). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/http.h"

void hbuf_init(struct hbuf *b)
{
	memset(b, 0, sizeof *b);
}

void hbuf_free(struct hbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

static bool grow(struct hbuf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void hbuf_putn(struct hbuf *b, const char *s, size_t n)
{
	if (!grow(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void hbuf_puts(struct hbuf *b, const char *s)
{
	hbuf_putn(b, s, strlen(s));
}

void hbuf_printf(struct hbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		hbuf_putn(b, small, (size_t)n);
		return;
	}
	if (!grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void hbuf_html(struct hbuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': hbuf_puts(b, "&amp;"); break;
		case '<': hbuf_puts(b, "&lt;"); break;
		case '>': hbuf_puts(b, "&gt;"); break;
		case '"': hbuf_puts(b, "&quot;"); break;
		case '\'': hbuf_puts(b, "&#39;"); break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				hbuf_putn(b, (const char *)p, 1);
			else if (*p == '\n' || *p == '\t')
				hbuf_putn(b, (const char *)p, 1);
		}
	}
}

void hbuf_url(struct hbuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			hbuf_putn(b, (const char *)p, 1);
		else
			hbuf_printf(b, "%%%02X", *p);
	}
}

void hbuf_json(struct hbuf *b, const char *s)
{
	hbuf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			hbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			hbuf_printf(b, "\\u%04x", *p);
		else
			hbuf_putn(b, (const char *)p, 1);
	}
	hbuf_puts(b, "\"");
}

static const struct { enum http_page page; const char *href, *label; } nav[] = {
	{ PAGE_OVERVIEW, "/", "Overview" },
	{ PAGE_LEASES, "/leases", "DHCP leases" },
	{ PAGE_LOG, "/log", "Query log" },
	{ PAGE_DNSSEC, "/dnssec", "DNSSEC failures" },
	{ PAGE_CONFIG, "/config", "Configuration" },
	{ PAGE_BLOCKLISTS, "/blocklists", "Blocklists" },
};

void html_begin(struct hbuf *b, enum http_page cur, const char *title)
{
	hbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	          "<title>");
	hbuf_html(b, title);
	hbuf_puts(b, " — wardd</title><link rel=\"stylesheet\" href=\"/static/ward.css\">"
	          "</head><body><header><span class=\"brand\">wardd</span><nav>");
	for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
		hbuf_printf(b, "<a href=\"%s\"%s>%s</a>", nav[i].href,
		            nav[i].page == cur ? " class=\"cur\" aria-current=\"page\"" : "",
		            nav[i].label);
	hbuf_puts(b, "<a href=\"/metrics\">Metrics</a></nav></header><main><h1>");
	hbuf_html(b, title);
	hbuf_puts(b, "</h1>\n");
}

void html_end(struct hbuf *b)
{
	hbuf_puts(b, "</main><footer>ward — DNSSEC-validating resolver and DHCP "
	          "server. <a href=\"/metrics\">/metrics</a> "
	          "for Prometheus.</footer></body></html>\n");
}

const char http_css[] =
	":root{--bg:#f6f7f9;--fg:#1d2330;--mut:#5b6475;--card:#fff;--line:#dde1e8;"
	"--acc:#1f5fbf;--ok:#1b7f3b;--warn:#a86400;--bad:#b3261e}\n"
	"*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;"
	"background:var(--bg);color:var(--fg)}\n"
	"header{display:flex;gap:1.5em;align-items:center;padding:.6em 1.2em;"
	"background:#16213a;color:#fff}header .brand{font-weight:700;"
	"letter-spacing:.05em}\n"
	"nav a{color:#c9d6f2;text-decoration:none;margin-right:1em}nav a.cur{color:#fff;"
	"border-bottom:2px solid #7fb0ff}\n"
	"main{padding:1em 1.5em;max-width:1200px}h1{font-size:1.4em;margin:.2em 0 .8em}"
	"h2{font-size:1.1em;margin:1.2em 0 .5em}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));"
	"gap:.8em}.card{background:var(--card);border:1px solid var(--line);"
	"border-radius:6px;padding:.7em .9em}.card .v{font-size:1.6em;font-weight:600}"
	".card .l{color:var(--mut);font-size:.85em}\n"
	"table{border-collapse:collapse;background:var(--card);width:100%;"
	"font-size:.92em}th,td{border-bottom:1px solid var(--line);padding:.3em .6em;"
	"text-align:left;vertical-align:top}th{background:#eef1f6}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}"
	".mut{color:var(--mut)}\n"
	"pre{background:var(--card);border:1px solid var(--line);padding:.8em;"
	"overflow:auto;font-size:.9em}code{font-size:.92em}\n"
	"form.diag{display:inline;margin-right:.5em}.chain{overflow:auto;"
	"background:var(--card);border:1px solid var(--line);padding:.5em}"
	"table.diagres{width:auto}table.diagres th{background:none;width:10em}\n"
	"form.filter{display:flex;gap:.6em;flex-wrap:wrap;margin:.5em 0 1em}"
	"form.filter input{padding:.25em .4em}\n"
	"form.inline{display:inline;margin:0}button{white-space:nowrap}\n"
	".bar{display:inline-block;height:.8em;background:var(--acc);"
	"vertical-align:middle}\nsvg.spark{background:var(--card);"
	"border:1px solid var(--line);border-radius:6px}\n"
	"footer{color:var(--mut);font-size:.85em;padding:1em 1.5em}\n";

/* The live log: without JavaScript the page is a table rendered by wardd
 * (reload for news); with it, an EventSource on /log/events with the
 * page's filters adds rows at the top as answers go out. */
const char http_log_js[] =
	"(function(){\n"
	"var t=document.getElementById('qlog');if(!t||!window.EventSource)return;\n"
	"var body=t.tBodies[0],st=document.getElementById('live');\n"
	"if(st)st.textContent='connecting';\n"
	"var src=new EventSource('/log/events'+location.search+"
	"(location.search?'&':'?')+'since='+(t.dataset.last||0));\n"
	"function td(tr,txt,cls){var c=tr.insertCell(-1);c.textContent=txt;"
	"if(cls)c.className=cls;}\n"
	"src.addEventListener('query',function(ev){var e=JSON.parse(ev.data);"
	"var tr=body.insertRow(0);td(tr,new Date(e.time_ms).toLocaleTimeString());"
	"td(tr,e.client);td(tr,e.name);td(tr,e.type);"
	"td(tr,e.rcode,e.rcode=='NOERROR'?'ok':'bad');"
	"td(tr,(e.latency_us/1000).toFixed(1),'n');"
	"td(tr,e.cached?'cache':e.local?'local':'upstream');td(tr,e.dnssec);"
	"td(tr,e.ede===null?'':e.ede+(e.ede_text?' '+e.ede_text:''));\n"
	"while(body.rows.length>200)body.deleteRow(-1);});\n"
	"src.onopen=function(){if(st)st.textContent='live';};\n"
	"src.onerror=function(){if(st)st.textContent='reconnecting';};\n"
	"})();\n";
