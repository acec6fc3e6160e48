/* ward's own options for DNS-over-TLS upstreams (RFC 7858; the daemon side
 * is daemon/upstream_tls*.c, docs/encrypted-dns-upstream.md):
 *
 *   server-tls=[/DOMAIN/...]ADDR[#PORT][,AUTH-NAME]
 *   tls-upstream-ca=FILE
 *
 * A separate option, not a suffix of server=: dnsmasq's server= already
 * gives '@' (source address or interface) and '#' (port) their meanings,
 * so "server=1.2.3.4#853@tls" would read as a source interface named
 * "tls". The port defaults to 853 (RFC 7858 §3.1). AUTH-NAME is the name
 * the server's certificate must carry (RFC 8310 §8, "authentication domain
 * name"); without it the certificate must carry the address itself. */
#include <string.h>

#include "conf_int.h"

#define CONF_TLS_DEFAULT_PORT 853

/* A host name as a certificate would carry it: letters, digits, '-', '.',
 * '_' and a valid DNS name; stored without a trailing dot. */
static int tls_name(conf_ctx *x, const char *s, size_t n, const char **out)
{
	if (n == 0)
		return conf_bad(x, "the authentication name after ',' is empty");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool okc = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		           (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		           ch == '_';
		if (!okc)
			return conf_bad(x, "authentication name '%s' is not a host name",
			                conf_show(x, s, n));
	}
	conf_name nm;
	int r = conf_parse_name(x, s, n, "authentication name", &nm);
	if (r)
		return r;
	if (n > 1 && s[n - 1] == '.')
		n--;
	if (n == 1 && s[0] == '.')
		return conf_bad(x, "the authentication name cannot be the root");
	*out = conf_arena_strndup(x->c->arena, s, n);
	return *out ? 0 : WARD_ENOMEM;
}

int conf_opt_server_tls(conf_ctx *x)
{
	const conf_domain *doms;
	size_t nd;
	const char *rest;
	size_t rl;
	int r = conf_split_domains(x, &doms, &nd, &rest, &rl);
	if (r)
		return r;
	if (rl == 0)
		return conf_bad(x, "needs a server address "
		                "([/DOMAIN/]ADDR[#PORT][,AUTH-NAME])");
	conf_server sv;
	memset(&sv, 0, sizeof sv);
	sv.loc = x->loc;
	sv.origin = CONF_FROM_SERVER_TLS;
	sv.kind = CONF_SERVER_FORWARD;
	sv.domains = doms;
	sv.ndomains = nd;
	sv.tls = true;
	sv.port = CONF_TLS_DEFAULT_PORT;
	const char *comma = memchr(rest, ',', rl);
	size_t al = comma ? (size_t)(comma - rest) : rl;
	if (comma) {
		const char *nm = comma + 1;
		size_t nl = rl - al - 1;
		if (memchr(nm, ',', nl))
			return conf_bad(x, "'%s': one authentication name per server",
			                conf_show(x, rest, rl));
		if ((r = tls_name(x, nm, nl, &sv.tls_name)) != 0)
			return r;
	}
	if (memchr(rest, '@', al))
		return conf_bad(x, "'%s': server-tls takes no '@' source address "
		                "or interface", conf_show(x, rest, al));
	const char *hash = memchr(rest, '#', al);
	size_t ipl = hash ? (size_t)(hash - rest) : al;
	if (hash && (r = conf_parse_port(x, hash + 1, al - ipl - 1, 1,
	                                 &sv.port)) != 0)
		return r;
	if ((r = conf_parse_ip(x, rest, ipl, false, "server", &sv.addr)) != 0)
		return r;
	sv.has_addr = true;
	conf_server *p = CONF_PUSH(x->c->servers);
	if (!p)
		return WARD_ENOMEM;
	*p = sv;
	return 0;
}

int conf_opt_tls_upstream_ca(conf_ctx *x)
{
	return conf_parse_path(x, false, &x->c->tls_upstream_ca);
}
