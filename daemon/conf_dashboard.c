/* ward: the options of wardd's web dashboard and /metrics
 * (docs/dashboard.md), ward's own (not dnsmasq's):
 *   dashboard-address=IP#PORT   serve HTTP there (off when not given)
 *   dashboard-password=SECRET   HTTP Basic authentication, any user name
 *   dashboard-tls-cert=FILE     PEM certificate: HTTPS instead of HTTP
 *   dashboard-tls-key=FILE      its PEM private key
 *   dashboard-blocklist=FILE    where the names added by hand on the
 *                               blocklists page are kept
 * A password travels in clear over plain HTTP, so it is refused on an
 * address other than loopback unless TLS is configured (checked at
 * conf_finish, with the password's file:line). */
#include <arpa/inet.h>
#include <string.h>

#include "conf_int.h"

int conf_opt_dashboard_address(conf_ctx *x)
{
	const char *hash = memchr(x->val, '#', x->len);
	if (!hash)
		return conf_bad(x, "'%s' needs the form IP#PORT (e.g. "
		                "127.0.0.1#8053)", conf_show(x, x->val, x->len));
	size_t iplen = (size_t)(hash - x->val);
	const char *port = hash + 1;
	size_t plen = x->len - iplen - 1;
	conf_ip ip;
	int r = conf_parse_ip(x, x->val, iplen, false, "dashboard address", &ip);
	if (r)
		return r;
	uint16_t p;
	if ((r = conf_parse_port(x, port, plen, 1, &p)))
		return r;
	x->c->dashboard = true;
	x->c->dashboard_ip = ip;
	x->c->dashboard_port = p;
	x->c->dashboard_loc = x->loc;
	return 0;
}

int conf_opt_dashboard_password(conf_ctx *x)
{
	if (x->len == 0)
		return conf_bad(x, "the password is empty (leave the option out "
		                "for no password)");
	for (size_t i = 0; i < x->len; i++) {
		unsigned char ch = (unsigned char)x->val[i];
		if (ch < 0x20 || ch == 0x7f)
			return conf_bad(x, "the password has a control character");
	}
	x->c->dashboard_password = conf_arena_strndup(x->c->arena, x->val,
	                                              x->len);
	x->c->dashboard_password_loc = x->loc;
	return x->c->dashboard_password ? 0 : WARD_ENOMEM;
}

int conf_opt_dashboard_tls_cert(conf_ctx *x)
{
	x->c->dashboard_tls_loc = x->loc;
	return conf_parse_path(x, false, &x->c->dashboard_tls_cert);
}

int conf_opt_dashboard_tls_key(conf_ctx *x)
{
	x->c->dashboard_tls_loc = x->loc;
	return conf_parse_path(x, false, &x->c->dashboard_tls_key);
}

int conf_opt_dashboard_blocklist(conf_ctx *x)
{
	return conf_parse_path(x, false, &x->c->dashboard_blocklist);
}

static bool is_loopback(const conf_ip *ip)
{
	static const uint8_t v6_loop[16] = { [15] = 1 };
	if (ip->family == AF_INET)
		return ip->addr[0] == 127;
	return !memcmp(ip->addr, v6_loop, 16);
}

void conf_dashboard_finish(ward_conf *c)
{
	bool tls = c->dashboard_tls_cert || c->dashboard_tls_key;
	if (tls && !(c->dashboard_tls_cert && c->dashboard_tls_key)) {
		conf_diag_at(c, &c->dashboard_tls_loc, CONF_ERROR, WARD_ECONFVAL,
		             c->dashboard_tls_cert ? "dashboard-tls-cert" :
		                                     "dashboard-tls-key",
		             "option '%s': needs %s too",
		             c->dashboard_tls_cert ? "dashboard-tls-cert" :
		                                     "dashboard-tls-key",
		             c->dashboard_tls_cert ? "dashboard-tls-key=" :
		                                     "dashboard-tls-cert=");
		return;
	}
	if ((tls || c->dashboard_password) && !c->dashboard) {
		conf_diag_at(c, c->dashboard_password ? &c->dashboard_password_loc
		                                      : &c->dashboard_tls_loc,
		             CONF_WARNING, 0, "dashboard-address",
		             "dashboard options without "
		             "dashboard-address=: the dashboard stays off");
		return;
	}
	if (c->dashboard && c->dashboard_password && !tls &&
	    !is_loopback(&c->dashboard_ip))
		conf_diag_at(c, &c->dashboard_password_loc, CONF_ERROR,
		             WARD_ECONFVAL, "dashboard-password",
		             "option 'dashboard-password': refused on the "
		             "non-loopback dashboard-address (%s:%u): HTTP Basic "
		             "would send the password in clear; add "
		             "dashboard-tls-cert= and dashboard-tls-key=, or listen "
		             "on 127.0.0.1 or ::1", c->dashboard_loc.file,
		             c->dashboard_loc.line);
}

void conf_dashboard_dump(const ward_conf *c, strbuf *sb)
{
	if (c->dashboard) {
		strbuf_puts(sb, "dashboard-address=");
		conf_dump_ip(sb, &c->dashboard_ip);
		strbuf_printf(sb, "#%u\n", c->dashboard_port);
	}
	const char *s[][2] = {
		{ "dashboard-password", c->dashboard_password },
		{ "dashboard-tls-cert", c->dashboard_tls_cert },
		{ "dashboard-tls-key", c->dashboard_tls_key },
		{ "dashboard-blocklist", c->dashboard_blocklist },
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		if (!s[i][1])
			continue;
		strbuf_printf(sb, "%s=", s[i][0]);
		conf_dump_text(sb, s[i][1], strlen(s[i][1]));
		strbuf_putc(sb, '\n');
	}
}
