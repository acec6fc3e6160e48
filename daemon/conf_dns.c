/* ward: parsers of the DNS options: listening, upstream servers
 * (server=, local=, rev-server=), resolv and hosts files, domain=,
 * address=. Local records are in conf_records.c, the cache, logging,
 * process and DNSSEC settings in conf_settings.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf_int.h"
#include "rr.h"

int conf_opt_flag(conf_ctx *x)
{
	bool *b = (bool *)(void *)((char *)x->c + x->def->off);
	*b = true;
	return 0;
}

int conf_opt_port(conf_ctx *x)
{
	if (x->len == 0) {
		x->c->port = CONF_DEFAULT_PORT;
		return 0;
	}
	uint16_t p;
	int r = conf_parse_port(x, x->val, x->len, 0, &p);
	if (r)
		return r;
	x->c->port = p;
	return 0;
}

int conf_opt_listen_address(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_bad(x, "needs at least one IP address");
	for (size_t i = 0; i < x->nf; i++) {
		conf_ip ip;
		r = conf_parse_ip(x, x->f[i].s, x->f[i].len, false, "address", &ip);
		if (r)
			return r;
		conf_listen *l = CONF_PUSH(x->c->listen_addresses);
		if (!l)
			return WARD_ENOMEM;
		l->loc = x->loc;
		l->ip = ip;
	}
	return 0;
}

static int iface_list(conf_ctx *x, void *list_v, size_t *n, size_t *cap)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	for (size_t i = 0; i < x->nf; i++) {
		const char *name;
		r = conf_parse_iface(x, x->f[i].s, x->f[i].len, true, &name);
		if (r)
			return r;
		conf_str *s = conf_list_push(list_v, n, cap, sizeof *s);
		if (!s)
			return WARD_ENOMEM;
		s->loc = x->loc;
		s->s = name;
	}
	return 0;
}

int conf_opt_interface(conf_ctx *x)
{
	ward_conf *c = x->c;
	return iface_list(x, &c->interfaces.v, &c->interfaces.n,
	                  &c->interfaces.cap);
}

int conf_opt_except_interface(conf_ctx *x)
{
	ward_conf *c = x->c;
	return iface_list(x, &c->except_interfaces.v, &c->except_interfaces.n,
	                  &c->except_interfaces.cap);
}

int conf_opt_no_dhcp_interface(conf_ctx *x)
{
	ward_conf *c = x->c;
	return iface_list(x, &c->no_dhcp_interfaces.v, &c->no_dhcp_interfaces.n,
	                  &c->no_dhcp_interfaces.cap);
}

/* ---- /domain/ lists ---- */

/* The domains of "/a/b/" (s starts after the first '/', n up to the last
 * one). */
static int parse_domains(conf_ctx *x, const char *s, size_t n,
                         const conf_domain **out, size_t *count)
{
	size_t cnt = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			cnt++;
	conf_domain *d = conf_arena_alloc(x->c->arena, cnt * sizeof *d);
	if (!d)
		return WARD_ENOMEM;
	size_t k = 0, st = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		const char *p = s + st;
		size_t l = i - st;
		st = i + 1;
		conf_domain *e = &d[k++];
		if (l == 0) {
			e->match = CONF_MATCH_UNQUALIFIED;
			continue;
		}
		if ((l == 1 && p[0] == '#') || (l == 1 && p[0] == '*')) {
			e->match = CONF_MATCH_ANY;
			continue;
		}
		e->match = CONF_MATCH_DOMAIN;
		if (p[0] == '*') {
			p++;
			l--;
			if (p[0] == '.') {
				e->match = CONF_MATCH_BELOW;
				p++;
				l--;
			} else {
				e->match = CONF_MATCH_SUFFIX;
			}
		} else if (p[0] == '.' && l > 1) {
			p++;
			l--;
		}
		if (l == 0)
			return conf_bad(x, "a domain has nothing after its wildcard "
			                "'*'");
		int r = conf_parse_name(x, p, l, "domain", &e->name);
		if (r)
			return r;
		if (conf_looks_ipv4(p, l))
			conf_warn(x, "the domain '%s' looks like an address (is there "
			          "a '/' too many?)", conf_show(x, p, l));
	}
	*out = d;
	*count = k;
	return 0;
}

/* "/d1/d2/rest" -> domains and rest; no leading '/' -> no domains. */
static int split_domains(conf_ctx *x, const conf_domain **doms, size_t *nd,
                         const char **rest, size_t *rlen)
{
	*doms = NULL;
	*nd = 0;
	*rest = x->val;
	*rlen = x->len;
	if (x->len == 0 || x->val[0] != '/')
		return 0;
	const char *last = x->val + x->len - 1;
	while (last > x->val && *last != '/')
		last--;
	if (last == x->val)
		return conf_bad(x, "'%s': the domain needs a closing '/' "
		                "(/domain/...)", conf_show(x, x->val, x->len));
	int r = parse_domains(x, x->val + 1, (size_t)(last - x->val - 1), doms,
	                      nd);
	if (r)
		return r;
	*rest = last + 1;
	*rlen = x->len - (size_t)(last + 1 - x->val);
	return 0;
}

/* ADDR[#PORT] where ADDR is an IP literal (when host is NULL) or also a
 * host name (host non-NULL). */
static int parse_addr_port(conf_ctx *x, const char *s, size_t n, bool zone,
                           conf_ip *ip, const char **host, uint16_t *port,
                           const char *what)
{
	const char *hash = memchr(s, '#', n);
	size_t al = hash ? (size_t)(hash - s) : n;
	if (hash) {
		int r = conf_parse_port(x, hash + 1, n - al - 1, 1, port);
		if (r)
			return r;
	}
	int r = conf_ip_from_text(x->c->arena, s, al, zone, ip);
	if (r == WARD_ENOMEM)
		return r;
	if (r == 0)
		return 0;
	bool hostish = al > 0;
	for (size_t i = 0; i < al; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.' &&
		    s[i] != '_')
			hostish = false;
	if (host && hostish && !conf_looks_ipv4(s, al)) {
		conf_name nm;
		r = conf_parse_name(x, s, al, what, &nm);
		if (r)
			return r;
		*host = conf_arena_strndup(x->c->arena, s, al);
		return *host ? 0 : WARD_ENOMEM;
	}
	return conf_parse_ip(x, s, al, zone, what, ip);
}

/* Server part: ADDR[#PORT][@IFACE][@SOURCE[#PORT]]. */
static int parse_server_spec(conf_ctx *x, const char *s, size_t n,
                             conf_server *sv)
{
	if (memchr(s, ',', n))
		return conf_bad(x, "'%s': one server per line (unexpected ',')",
		                conf_show(x, s, n));
	const char *at = memchr(s, '@', n);
	size_t al = at ? (size_t)(at - s) : n;
	sv->port = 53;
	int r = parse_addr_port(x, s, al, true, &sv->addr, &sv->host, &sv->port,
	                        "server");
	if (r)
		return r;
	sv->has_addr = sv->host == NULL;
	unsigned parts = 0;
	while (at) {
		const char *p = at + 1;
		const char *end = s + n;
		at = memchr(p, '@', (size_t)(end - p));
		size_t pl = (size_t)((at ? at : end) - p);
		if (++parts > 2)
			return conf_bad(x, "'%s': at most an interface and a source "
			                "address after '@'", conf_show(x, s, n));
		if (pl == 0)
			return conf_bad(x, "'%s': nothing after '@'",
			                conf_show(x, s, n));
		conf_ip ip;
		const char *hash = memchr(p, '#', pl);
		size_t ipl = hash ? (size_t)(hash - p) : pl;
		r = conf_ip_from_text(x->c->arena, p, ipl, false, &ip);
		if (r == WARD_ENOMEM)
			return r;
		if (r == 0) {
			if (sv->has_source)
				return conf_bad(x, "'%s': two source addresses",
				                conf_show(x, s, n));
			sv->has_source = true;
			sv->source = ip;
			if (hash) {
				r = conf_parse_port(x, hash + 1, pl - ipl - 1, 0,
				                    &sv->source_port);
				if (r)
					return r;
			}
			if (sv->has_addr && ip.family != sv->addr.family)
				return conf_bad(x, "source address '%s' is not of the "
				                "server's address family",
				                conf_show(x, p, ipl));
			continue;
		}
		if (conf_looks_ipv4(p, ipl) || hash)
			return conf_parse_ip(x, p, ipl, false, "source address", &ip);
		if (sv->source_iface)
			return conf_bad(x, "'%s': two interfaces after '@'",
			                conf_show(x, s, n));
		r = conf_parse_iface(x, p, pl, false, &sv->source_iface);
		if (r)
			return r;
	}
	return 0;
}

/* The part after the domains (server=) or the network (rev-server=):
 * nothing = local only, "#" = the standard servers, else an address;
 * then append the server. */
static int push_server(conf_ctx *x, conf_server *sv, const char *spec,
                       size_t n)
{
	if (n == 0) {
		sv->kind = CONF_SERVER_LOCAL;
	} else if (n == 1 && spec[0] == '#') {
		sv->kind = CONF_SERVER_DEFAULT;
	} else {
		sv->kind = CONF_SERVER_FORWARD;
		int r = parse_server_spec(x, spec, n, sv);
		if (r)
			return r;
	}
	conf_server *p = CONF_PUSH(x->c->servers);
	if (!p)
		return WARD_ENOMEM;
	*p = *sv;
	return 0;
}

static int add_server(conf_ctx *x, enum conf_server_origin origin)
{
	const conf_domain *doms;
	size_t nd;
	const char *rest;
	size_t rl;
	int r = split_domains(x, &doms, &nd, &rest, &rl);
	if (r)
		return r;
	if (nd == 0 && rl == 0)
		return conf_empty_ignored(x);
	conf_server sv;
	memset(&sv, 0, sizeof sv);
	sv.loc = x->loc;
	sv.origin = origin;
	sv.domains = doms;
	sv.ndomains = nd;
	return push_server(x, &sv, rest, rl);
}

int conf_opt_server(conf_ctx *x)
{
	return add_server(x, CONF_FROM_SERVER);
}

int conf_opt_local(conf_ctx *x)
{
	return add_server(x, CONF_FROM_LOCAL);
}

/* The reverse zones covering net/prefix: the prefix rounded down to a
 * label boundary (8 bits IPv4, 4 bits IPv6) gives one zone; the bits in
 * between enumerate the zones one label further down. */
static int reverse_zones(conf_ctx *x, const conf_ip *net, unsigned prefix,
                         const conf_domain **out, size_t *count)
{
	bool v4 = net->family == AF_INET;
	unsigned step = v4 ? 8 : 4;
	unsigned whole = prefix / step, rem = prefix % step;
	size_t n = rem ? (size_t)1 << (step - rem) : 1;
	unsigned labels = whole + (rem ? 1 : 0);
	conf_domain *d = conf_arena_alloc(x->c->arena, n * sizeof *d);
	if (!d)
		return WARD_ENOMEM;
	for (size_t z = 0; z < n; z++) {
		char text[128];
		strbuf sb = strbuf_init(text, sizeof text);
		for (unsigned i = labels; i-- > 0;) {
			unsigned v;
			if (v4)
				v = net->addr[i];
			else
				v = (net->addr[i / 2] >> (i % 2 ? 0 : 4)) & 15;
			if (rem && i == labels - 1)
				v = (v & ~((1u << (step - rem)) - 1)) + (unsigned)z;
			strbuf_printf(&sb, v4 ? "%u." : "%x.", v);
		}
		strbuf_puts(&sb, v4 ? "in-addr.arpa." : "ip6.arpa.");
		d[z].match = CONF_MATCH_DOMAIN;
		int r = conf_parse_name(x, text, sb.len, "reverse zone", &d[z].name);
		if (r)
			return r;
	}
	*out = d;
	*count = n;
	return 0;
}

static void mask_net(conf_ip *ip, unsigned prefix)
{
	unsigned bytes = ip->family == AF_INET ? 4 : 16;
	for (unsigned i = 0; i < bytes; i++) {
		unsigned keep = prefix >= 8 * (i + 1) ? 8 :
		                prefix > 8 * i ? prefix - 8 * i : 0;
		ip->addr[i] &= (uint8_t)(0xff00u >> keep);
	}
}

int conf_opt_rev_server(conf_ctx *x)
{
	const char *comma = NULL;
	for (size_t i = 0; i < x->len; i++)
		if (x->val[i] == ',' && !(x->q[i] & CONF_Q_CHAR)) {
			comma = x->val + i;
			break;
		}
	size_t nl = comma ? (size_t)(comma - x->val) : x->len;
	while (nl && x->val[nl - 1] == ' ')
		nl--;
	if (nl == 0)
		return conf_bad(x, "needs a network (ADDRESS[/LENGTH][,SERVER])");
	conf_server sv;
	memset(&sv, 0, sizeof sv);
	sv.loc = x->loc;
	sv.origin = CONF_FROM_REV_SERVER;
	int r = conf_parse_cidr(x, x->val, nl, false, &sv.rev_net,
	                        &sv.rev_prefix);
	if (r)
		return r;
	mask_net(&sv.rev_net, sv.rev_prefix);
	r = reverse_zones(x, &sv.rev_net, sv.rev_prefix, &sv.domains,
	                  &sv.ndomains);
	if (r)
		return r;
	const char *s = comma ? comma + 1 : x->val + x->len;
	size_t sl = (size_t)(x->val + x->len - s);
	while (sl && *s == ' ') {
		s++;
		sl--;
	}
	return push_server(x, &sv, s, sl);
}

int conf_opt_resolv_file(conf_ctx *x)
{
	const char *path = "";
	if (x->has_value && x->len) {
		int r = conf_parse_path(x, false, &path);
		if (r)
			return r;
	}
	conf_str *s = CONF_PUSH(x->c->resolv_files);
	if (!s)
		return WARD_ENOMEM;
	s->loc = x->loc;
	s->s = path;
	return 0;
}

int conf_opt_root_hints(conf_ctx *x)
{
	return conf_parse_path(x, false, &x->c->root_hints);
}

int conf_opt_trust_anchor_file(conf_ctx *x)
{
	return conf_parse_path(x, false, &x->c->trust_anchor_file);
}

/* tls-port=, https-port=: 0 turns the listener off */
static int enc_port(conf_ctx *x, int32_t *port, conf_loc *loc)
{
	uint16_t p;
	int r = conf_parse_port(x, x->val, x->len, 0, &p);
	if (r)
		return r;
	*port = p;
	*loc = x->loc;
	return 0;
}

int conf_opt_tls_port(conf_ctx *x)
{
	return enc_port(x, &x->c->tls_port, &x->c->tls_port_loc);
}

int conf_opt_https_port(conf_ctx *x)
{
	return enc_port(x, &x->c->https_port, &x->c->https_port_loc);
}

int conf_opt_tls_certificate(conf_ctx *x)
{
	x->c->tls_certificate.loc = x->loc;
	return conf_parse_path(x, false, &x->c->tls_certificate.s);
}

int conf_opt_tls_key(conf_ctx *x)
{
	x->c->tls_key.loc = x->loc;
	return conf_parse_path(x, false, &x->c->tls_key.s);
}

int conf_opt_addn_hosts(conf_ctx *x)
{
	if (x->len == 0)
		return conf_empty_ignored(x);
	const char *path;
	int r = conf_parse_path(x, false, &path);
	if (r)
		return r;
	conf_str *s = CONF_PUSH(x->c->addn_hosts);
	if (!s)
		return WARD_ENOMEM;
	s->loc = x->loc;
	s->s = path;
	return 0;
}

static bool is_word(const conf_field *f, const char *w)
{
	return !f->quoted && f->len == strlen(w) && !strcmp(f->s, w);
}

int conf_opt_domain(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	conf_domain_rule d;
	memset(&d, 0, sizeof d);
	d.loc = x->loc;
	const conf_field *f = x->f;
	size_t nf = x->nf;
	if (f[0].len == 1 && f[0].s[0] == '#') {
		d.from_resolv = true;
	} else {
		r = conf_parse_name(x, f[0].s, f[0].len, "domain", &d.name);
		if (r)
			return r;
	}
	if (nf > 1 && is_word(&f[nf - 1], "local")) {
		d.local = true;
		nf--;
		if (nf == 1)
			return conf_bad(x, "'local' needs an address range before it "
			                "(domain=DOMAIN,ADDRESS/LENGTH,local)");
	}
	if (nf == 1) {
		d.scope = CONF_DOMAIN_ALL;
	} else if (memchr(f[1].s, '/', f[1].len)) {
		if (nf > 2)
			return conf_bad(x, "unexpected '%s' after the subnet",
			                conf_showf(x, &f[2]));
		d.scope = CONF_DOMAIN_SUBNET;
		r = conf_parse_cidr(x, f[1].s, f[1].len, true, &d.start, &d.prefix);
		if (r)
			return r;
		mask_net(&d.start, d.prefix);
	} else if (conf_ip_from_text(x->c->arena, f[1].s, f[1].len, false,
	                             &d.start) == 0) {
		if (nf == 2) {
			d.scope = CONF_DOMAIN_ADDR;
		} else {
			if (nf > 3)
				return conf_bad(x, "unexpected '%s' after the address "
				                "range", conf_showf(x, &f[3]));
			d.scope = CONF_DOMAIN_RANGE;
			r = conf_parse_ip(x, f[2].s, f[2].len, false,
			                  "end of the address range", &d.end);
			if (r)
				return r;
			if (d.end.family != d.start.family)
				return conf_bad(x, "the address range mixes IPv4 and IPv6");
			if (memcmp(d.start.addr, d.end.addr, 16) > 0)
				return conf_bad(x, "the address range %s,%s ends before "
				                "it starts", conf_showf(x, &f[1]),
				                conf_showf(x, &f[2]));
		}
	} else if (conf_looks_ipv4(f[1].s, f[1].len) ||
	           memchr(f[1].s, ':', f[1].len)) {
		return conf_parse_ip(x, f[1].s, f[1].len, false, "address",
		                     &d.start);
	} else {
		if (nf > 2)
			return conf_bad(x, "unexpected '%s' after the interface",
			                conf_showf(x, &f[2]));
		if (d.local)
			return conf_bad(x, "'local' needs an address range, not an "
			                "interface");
		d.scope = CONF_DOMAIN_IFACE;
		r = conf_parse_iface(x, f[1].s, f[1].len, true, &d.iface);
		if (r)
			return r;
	}
	if (d.local && d.scope != CONF_DOMAIN_SUBNET)
		conf_warn(x, "'local' only makes reverse zones local for "
		          "ADDRESS/LENGTH; here only local=/domain/ is implied");
	conf_domain_rule *p = CONF_PUSH(x->c->domains);
	if (!p)
		return WARD_ENOMEM;
	*p = d;
	return 0;
}

int conf_opt_address(conf_ctx *x)
{
	const conf_domain *doms;
	size_t nd;
	const char *rest;
	size_t rl;
	int r = split_domains(x, &doms, &nd, &rest, &rl);
	if (r)
		return r;
	if (x->len == 0)
		return conf_empty_ignored(x);
	if (nd == 0)
		return conf_bad(x, "'%s' needs /domain/ first (address=/domain/"
		                "[domain/]ADDRESS)", conf_show(x, x->val, x->len));
	conf_address a;
	memset(&a, 0, sizeof a);
	a.loc = x->loc;
	a.domains = doms;
	a.ndomains = nd;
	if (rl == 0) {
		a.kind = CONF_ADDRESS_NXDOMAIN;
	} else if (rl == 1 && rest[0] == '#') {
		a.kind = CONF_ADDRESS_NULL;
	} else {
		a.kind = CONF_ADDRESS_IP;
		r = conf_ip_from_text(x->c->arena, rest, rl, false, &a.ip);
		if (r == WARD_ENOMEM)
			return r;
		if (r)
			return conf_bad(x, "'%s' is not an IP address (one IPv4 or "
			                "IPv6 address; '#' for 0.0.0.0 and ::; nothing "
			                "for NXDOMAIN)", conf_show(x, rest, rl));
	}
	conf_address *p = CONF_PUSH(x->c->addresses);
	if (!p)
		return WARD_ENOMEM;
	*p = a;
	return 0;
}

/* ward: dnssec-nta=/domain/[domain/...] (a plain domain is taken too):
 * negative trust anchors, RFC 7646. */
int conf_opt_dnssec_nta(conf_ctx *x)
{
	size_t i = 0, n = 0;
	while (i < x->len) {
		size_t j = i;
		while (j < x->len && x->val[j] != '/')
			j++;
		if (j > i) {
			conf_name *p = CONF_PUSH(x->c->dnssec_ntas);
			if (!p)
				return WARD_ENOMEM;
			int r = conf_parse_name(x, x->val + i, j - i,
			                        "negative trust anchor", p);
			if (r) {
				x->c->dnssec_ntas.n--;
				return r;
			}
			n++;
		}
		i = j + 1;
	}
	if (n == 0)
		return conf_bad(x, "no domain given (dnssec-nta=/DOMAIN/)");
	return 0;
}

/* filter-rr=TYPE[,TYPE...] (dnsmasq 2.90): a type by name or number; ANY
 * is its own rule (RFC 8482 §4.3, resolver/answer_filter.h). */
static int filter_type(conf_ctx *x, uint16_t t)
{
	for (size_t i = 0; i < x->c->filter_rr.n; i++)
		if (x->c->filter_rr.v[i] == t)
			return 0;
	uint16_t *p = CONF_PUSH(x->c->filter_rr);
	if (!p)
		return WARD_ENOMEM;
	*p = t;
	return 0;
}

int conf_opt_filter_rr(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	/* an empty list filters nothing (dnsmasq 2.90 accepts it too) */
	for (size_t i = 0; i < x->nf; i++) {
		uint16_t t = 0;
		int64_t num;
		bool digits = x->f[i].len && isdigit((unsigned char)x->f[i].s[0]);
		if (digits && conf_parse_uint(x, x->f[i].s, x->f[i].len, 1, 65535,
		                              "record type", &num) == 0)
			t = (uint16_t)num;
		else if (digits)
			return WARD_ECONFVAL;  /* conf_parse_uint said why */
		else if (dns_type_from_text(x->f[i].s, x->f[i].len, &t) < 0)
			t = 0;
		if (t == 0)
			return conf_bad(x, "'%s' is not a record type (a name such "
			                "as AAAA or TXT, or a number)",
			                conf_show(x, x->f[i].s, x->f[i].len));
		if (t == DNS_T_ANY)
			x->c->filter_rr_any = true;
		else if ((r = filter_type(x, t)))
			return r;
	}
	return 0;
}

/* bogus-nxdomain=ADDR[/LEN][,ADDR[/LEN]...] (dnsmasq -B) */
int conf_opt_bogus_nxdomain(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_bad(x, "needs an IP address (ADDR or ADDR/LEN)");
	for (size_t i = 0; i < x->nf; i++) {
		conf_cidr c;
		if ((r = conf_parse_cidr(x, x->f[i].s, x->f[i].len, false, &c.ip,
		                         &c.prefix)))
			return r;
		conf_cidr *p = CONF_PUSH(x->c->bogus_nxdomain);
		if (!p)
			return WARD_ENOMEM;
		*p = c;
	}
	return 0;
}

int conf_opt_filter_a(conf_ctx *x)
{
	return filter_type(x, DNS_T_A);
}

int conf_opt_filter_aaaa(conf_ctx *x)
{
	return filter_type(x, DNS_T_AAAA);
}

/* ward: nsec3-max-iterations=N (RFC 9276 3.2; above it: insecure). */
int conf_opt_nsec3_max_iterations(conf_ctx *x)
{
	int64_t v;
	int r = conf_parse_uint(x, x->val, x->len, 0, 65535,
	                        "NSEC3 iteration limit", &v);
	if (r)
		return r;
	x->c->nsec3_max_iterations = (unsigned)v;
	return 0;
}

int conf_opt_dnssec_timestamp(conf_ctx *x)
{
	return conf_parse_path(x, false, &x->c->dnssec_timestamp);
}

/* For ward's server-tls= (conf_tls_upstream.c): the same /domain/ lists. */
int conf_split_domains(conf_ctx *x, const conf_domain **doms, size_t *nd,
                       const char **rest, size_t *rlen)
{
	return split_domains(x, doms, nd, rest, rlen);
}
