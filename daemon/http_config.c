/* wardd dashboard: the configuration page — the effective configuration
 * as `ward conf dump` prints it (the password hidden), the diagnostics
 * wardd started with, and a fresh check of the configuration file as
 * `ward conf check FILE` prints it (run on each visit, in the HTTP thread:
 * the parser reads only the files; nothing of the running daemon). */
#include <stdlib.h>
#include <string.h>

#include "daemon/http.h"

void conf_check_text(const ward_conf *c, struct hbuf *b)
{
	const char *unimpl[64];
	size_t nu = 0;
	for (size_t i = 0; i < c->diags.n; i++) {
		hbuf_puts(b, c->diags.v[i].text);
		hbuf_puts(b, "\n");
		if (c->diags.v[i].unimplemented && nu < 64)
			unimpl[nu++] = c->diags.v[i].unimplemented;
	}
	/* the summary line of tools/cmd_conf.c's cmd_check */
	hbuf_printf(b, "ward conf: %u error%s, %u warning%s", c->errors,
	            c->errors == 1 ? "" : "s", c->warnings,
	            c->warnings == 1 ? "" : "s");
	if (nu) {
		hbuf_puts(b, "; not implemented by ward yet:");
		for (size_t k = 0; k < nu; k++)
			hbuf_printf(b, "%s %s", k ? "," : "", unimpl[k]);
	}
	hbuf_printf(b, "%s\n", c->errors ? "" : c->warnings ? "; usable" : "; OK");
}

static void pre(struct hbuf *b, const char *text)
{
	hbuf_puts(b, "<pre>");
	hbuf_html(b, text);
	hbuf_puts(b, "</pre>");
}

unsigned page_config(struct http_server *h, struct hbuf *b)
{
	html_begin(b, PAGE_CONFIG, "Configuration");
	hbuf_puts(b, "<h2>Effective configuration</h2><p class=\"mut\">What "
	          "wardd runs with, one option a line, as <code>ward conf "
	          "dump</code> prints it (defaults left out).</p>");
	pre(b, h->conf_dump[0] ? h->conf_dump : "(all defaults)\n");
	hbuf_puts(b, "<h2>Diagnostics at start</h2>");
	pre(b, h->conf_diags);
	hbuf_puts(b, "<h2>Configuration file check</h2>");
	if (!h->conf_path) {
		hbuf_puts(b, "<p class=\"mut\">wardd was started without a "
		          "configuration file.</p>");
	} else {
		hbuf_puts(b, "<p class=\"mut\">The file as it is now (edits since "
		          "the start included), as <code>ward conf check ");
		hbuf_html(b, h->conf_path);
		hbuf_puts(b, "</code> shows it. Command-line options are not part "
		          "of this check.</p>");
		ward_conf c;
		struct hbuf out;
		hbuf_init(&out);
		if (conf_init(&c, NULL) == 0) {
			conf_load_file(&c, h->conf_path);
			conf_finish(&c);
			conf_check_text(&c, &out);
		} else {
			hbuf_puts(&out, "out of memory\n");
		}
		conf_free(&c);
		pre(b, out.p ? out.p : "");
		hbuf_free(&out);
	}
	html_end(b);
	return 200;
}
