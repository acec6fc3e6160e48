/* ward: the effective configuration in dnsmasq syntax, normalised: one
 * option per line, scalars that differ from the defaults first, then every
 * list in the order it was configured. Includes are flattened. Reading the
 * output again gives the same configuration (the fuzz harness checks). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "conf_int.h"
#include "dhcp.h"
#include "rr.h"

/* ---- pieces ---- */

/* s in double quotes, with the escapes the lexer knows. */
static void put_quoted(strbuf *sb, const char *s, size_t n)
{
	strbuf_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		switch (ch) {
		case '"': strbuf_puts(sb, "\\\""); break;
		case '\\': strbuf_puts(sb, "\\\\"); break;
		case '\n': strbuf_puts(sb, "\\n"); break;
		case '\r': strbuf_puts(sb, "\\r"); break;
		case '\t': strbuf_puts(sb, "\\t"); break;
		case '\b': strbuf_puts(sb, "\\b"); break;
		case 27: strbuf_puts(sb, "\\e"); break;
		default: strbuf_putc(sb, ch); break;
		}
	}
	strbuf_putc(sb, '"');
}

void conf_dump_text(strbuf *sb, const char *s, size_t n)
{
	bool quote = n == 0 || s[0] == ' ' || s[n - 1] == ' ';
	for (size_t i = 0; i < n && !quote; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == ',' || ch == '#' || ch == '"' || ch < ' ' || ch == 127)
			quote = true;
	}
	if (quote)
		put_quoted(sb, s, n);
	else
		strbuf_putn(sb, s, n);
}

/* A name as dnsmasq would read it: blanks, ',', '#' and '"' are written
 * as they are inside double quotes (dnsmasq and ward still split labels at
 * quoted dots); '/' (the domain separator of server=) and a leading '*'
 * or '#' (wildcards) as \DDD; other escapes as dns_name_to_text makes
 * them. */
void conf_dump_name(strbuf *sb, const conf_name *n)
{
	dns_name dn;
	char buf[DNS_NAME_TEXT_MAX];
	char out[DNS_NAME_TEXT_MAX * 2];
	size_t o = 0;
	bool quote = false;
	conf_name_get(n, &dn);
	dns_name_str(&dn, buf);
	size_t len = strlen(buf);
	if (len > 1 && buf[len - 1] == '.')
		len--; /* dnsmasq style: no trailing dot, except the root */
	for (size_t i = 0; i < len && o + 8 < sizeof out; i++) {
		char ch = buf[i];
		if (ch == '\\' && i + 1 < len) {
			char e = buf[i + 1];
			if (e >= '0' && e <= '9' && i + 3 < len) {
				memcpy(out + o, buf + i, 4);
				o += 4;
				i += 3;
				continue;
			}
			i++;
			ch = e;
			if (ch == ' ' || ch == ',' || ch == '#' || ch == '"') {
				quote = true;
				out[o++] = ch;
				continue;
			}
			if (ch == '/' || (o == 0 && ch == '*')) {
				o += (size_t)snprintf(out + o, 5, "\\%03u",
				                      (unsigned char)ch);
				continue;
			}
			out[o++] = '\\';
			out[o++] = ch;
			continue;
		}
		if (ch == '/' || (o == 0 && (ch == '*' || ch == '#'))) {
			o += (size_t)snprintf(out + o, 5, "\\%03u", (unsigned char)ch);
			continue;
		}
		if (ch == ',' || ch == '#' || ch == ' ')
			quote = true;
		out[o++] = ch;
	}
	if (quote)
		put_quoted(sb, out, o);
	else
		strbuf_putn(sb, out, o);
}

void conf_dump_ipv4(strbuf *sb, uint32_t ip)
{
	strbuf_printf(sb, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255,
	              (ip >> 8) & 255, ip & 255);
}

void conf_dump_ip(strbuf *sb, const conf_ip *ip)
{
	char buf[INET6_ADDRSTRLEN];
	if (ip->family == AF_INET) {
		strbuf_printf(sb, "%u.%u.%u.%u", ip->addr[0], ip->addr[1],
		              ip->addr[2], ip->addr[3]);
		return;
	}
	if (inet_ntop(AF_INET6, ip->addr, buf, sizeof buf))
		strbuf_puts(sb, buf);
	if (ip->zone)
		strbuf_printf(sb, "%%%s", ip->zone);
}

static void put_domains(strbuf *sb, const conf_domain *d, size_t n)
{
	strbuf_putc(sb, '/');
	for (size_t i = 0; i < n; i++) {
		switch (d[i].match) {
		case CONF_MATCH_DOMAIN:
			conf_dump_name(sb, &d[i].name);
			break;
		case CONF_MATCH_BELOW:
			strbuf_puts(sb, "*.");
			conf_dump_name(sb, &d[i].name);
			break;
		case CONF_MATCH_SUFFIX:
			strbuf_putc(sb, '*');
			conf_dump_name(sb, &d[i].name);
			break;
		case CONF_MATCH_UNQUALIFIED:
			break;
		case CONF_MATCH_ANY:
			strbuf_putc(sb, '#');
			break;
		}
		strbuf_putc(sb, '/');
	}
}

static void put_tags(strbuf *sb, const conf_tags *t, const char *prefix)
{
	for (size_t i = 0; i < t->n; i++)
		strbuf_printf(sb, "%s%s%s,", prefix, t->v[i].negate ? "!" : "",
		              t->v[i].name);
}

static void put_lease(strbuf *sb, uint32_t secs)
{
	if (secs == CONF_LEASE_INFINITE)
		strbuf_puts(sb, "infinite");
	else if (secs && secs % 604800 == 0)
		strbuf_printf(sb, "%uw", secs / 604800);
	else if (secs && secs % 86400 == 0)
		strbuf_printf(sb, "%ud", secs / 86400);
	else if (secs && secs % 3600 == 0)
		strbuf_printf(sb, "%uh", secs / 3600);
	else if (secs && secs % 60 == 0)
		strbuf_printf(sb, "%um", secs / 60);
	else
		strbuf_printf(sb, "%u", secs);
}

static void put_hw(strbuf *sb, const conf_hwaddr *h)
{
	if (h->htype >= 0)
		strbuf_printf(sb, "%02x-", (unsigned)h->htype);
	for (unsigned i = 0; i < h->len; i++) {
		if (i)
			strbuf_putc(sb, ':');
		if (h->wildcard & (1u << i))
			strbuf_putc(sb, '*');
		else
			strbuf_printf(sb, "%02x", h->addr[i]);
	}
}

static void put_hex(strbuf *sb, const uint8_t *p, size_t n,
                    const uint8_t *wild)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(sb, ':');
		if (wild && wild[i])
			strbuf_putc(sb, '*');
		else
			strbuf_printf(sb, "%02x", p[i]);
	}
}

static uint32_t be(const uint8_t *p, unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Raw bytes of unknown type: one byte as a number, printable text in
 * quotes, anything else as hex. */
static void put_generic(strbuf *sb, const uint8_t *v, size_t n)
{
	bool text = n >= 2;
	for (size_t i = 0; i < n && text; i++)
		text = v[i] >= 0x20 && v[i] < 0x7f;
	if (n == 1)
		strbuf_printf(sb, "%u", v[0]);
	else if (text)
		put_quoted(sb, (const char *)v, n);
	else
		put_hex(sb, v, n, NULL);
}

static bool text_ok(const uint8_t *v, size_t n)
{
	return n > 0 && !memchr(v, 0, n);
}

/* An option value as dhcp-option syntax that encodes to the same bytes.
 * The value came from conf_dhcpopt_encode(), so it has its type's layout
 * except where the generic rules were used (strings given as numbers). */
static void put_optval(strbuf *sb, unsigned code, bool typed,
                       const uint8_t *v, size_t n)
{
	enum dhcp_vtype vt = !typed ? DHCP_VT_HEX :
	                     code == 255 ? DHCP_VT_IP :
	                     dhcp_option_vtype((uint8_t)code);
	switch (vt) {
	case DHCP_VT_IP:
	case DHCP_VT_IPLIST:
	case DHCP_VT_IPPAIRS:
		for (size_t i = 0; i + 4 <= n; i += 4) {
			strbuf_putc(sb, ',');
			conf_dump_ipv4(sb, be(v + i, 4));
		}
		return;
	case DHCP_VT_U8:
	case DHCP_VT_U16:
	case DHCP_VT_U32:
	case DHCP_VT_TIME:
		strbuf_printf(sb, ",%u", be(v, (unsigned)n));
		return;
	case DHCP_VT_S32:
		strbuf_printf(sb, ",%d", (int32_t)be(v, 4));
		return;
	case DHCP_VT_BOOL:
		strbuf_printf(sb, ",%u", v[0]);
		return;
	case DHCP_VT_U16LIST:
		for (size_t i = 0; i + 2 <= n; i += 2)
			strbuf_printf(sb, ",%u", be(v + i, 2));
		return;
	case DHCP_VT_STRING:
		strbuf_putc(sb, ',');
		if (text_ok(v, n)) {
			/* always quoted: a quoted value is text, never a number */
			put_quoted(sb, (const char *)v, n);
		} else if (n == 4) {
			conf_dump_ipv4(sb, be(v, 4));
		} else {
			strbuf_printf(sb, "%u%c", be(v, (unsigned)n),
			              n == 1 ? 'b' : n == 2 ? 's' : 'i');
		}
		return;
	case DHCP_VT_SEARCH:
	case DHCP_VT_SIP: {
		dns_name names[64];
		if (vt == DHCP_VT_SIP && n >= 1 && v[0] == 1) {
			for (size_t i = 1; i + 4 <= n; i += 4) {
				strbuf_putc(sb, ',');
				conf_dump_ipv4(sb, be(v + i, 4));
			}
			return;
		}
		size_t off = vt == DHCP_VT_SIP ? 1 : 0;
		int k = dhcp_search_decode(v + off, n - off, names, 64);
		for (int i = 0; i < k && i < 64; i++) {
			conf_name cn = { names[i].wire, names[i].len };
			strbuf_putc(sb, ',');
			size_t at = sb->len;
			conf_dump_name(sb, &cn);
			/* a SIP server name that reads as an address is quoted,
			 * or it would come back as an address */
			if (vt == DHCP_VT_SIP && !sb->err &&
			    conf_looks_ipv4(sb->buf + at, sb->len - at)) {
				char tmp[DNS_NAME_TEXT_MAX];
				size_t l = sb->len - at;
				memcpy(tmp, sb->buf + at, l);
				strbuf_truncate(sb, at);
				put_quoted(sb, tmp, l);
			}
		}
		return;
	}
	case DHCP_VT_ROUTES: {
		dhcp_route rt[64];
		int k = dhcp_routes_decode(v, n, rt, 64);
		for (int i = 0; i < k && i < 64; i++) {
			strbuf_putc(sb, ',');
			conf_dump_ipv4(sb, rt[i].dest);
			strbuf_printf(sb, "/%u,", rt[i].prefix);
			conf_dump_ipv4(sb, rt[i].router);
		}
		return;
	}
	default:
		strbuf_putc(sb, ',');
		put_generic(sb, v, n);
		return;
	}
}

static void put_code(strbuf *sb, unsigned code, bool plain)
{
	const char *nm = plain ? dhcp_option_dnsmasq_name((uint8_t)code) : NULL;
	if (nm)
		strbuf_printf(sb, "option:%s", nm);
	else
		strbuf_printf(sb, "%u", code);
}

static void put_server_spec(strbuf *sb, const conf_server *s)
{
	if (s->kind == CONF_SERVER_DEFAULT) {
		strbuf_putc(sb, '#');
		return;
	}
	if (s->kind == CONF_SERVER_LOCAL)
		return;
	if (s->host)
		strbuf_puts(sb, s->host);
	else
		conf_dump_ip(sb, &s->addr);
	if (s->port != (s->tls ? 853 : 53))
		strbuf_printf(sb, "#%u", s->port);
	if (s->tls_name)
		strbuf_printf(sb, ",%s", s->tls_name);
	if (s->source_iface)
		strbuf_printf(sb, "@%s", s->source_iface);
	if (s->has_source) {
		strbuf_putc(sb, '@');
		conf_dump_ip(sb, &s->source);
		if (s->source_port)
			strbuf_printf(sb, "#%u", s->source_port);
	}
}

/* ---- the whole configuration ---- */

#define LINE(...) strbuf_printf(sb, __VA_ARGS__)

static void flag(strbuf *sb, bool on, const char *name)
{
	if (on)
		LINE("%s\n", name);
}

static void str_opt(strbuf *sb, const char *name, const char *v)
{
	if (!v)
		return;
	LINE("%s=", name);
	if (*v)
		conf_dump_text(sb, v, strlen(v));
	strbuf_putc(sb, '\n');
}

static void str_list(strbuf *sb, const char *name, const conf_str *v,
                     size_t n)
{
	for (size_t i = 0; i < n; i++)
		str_opt(sb, name, v[i].s);
}

static void num_opt(strbuf *sb, const char *name, int64_t v, int64_t dflt)
{
	if (v != dflt)
		LINE("%s=%lld\n", name, (long long)v);
}

static void dump_dns(const ward_conf *c, strbuf *sb)
{
	num_opt(sb, "port", c->port, CONF_DEFAULT_PORT);
	for (size_t i = 0; i < c->listen_addresses.n; i++) {
		LINE("listen-address=");
		conf_dump_ip(sb, &c->listen_addresses.v[i].ip);
		strbuf_putc(sb, '\n');
	}
	str_list(sb, "interface", c->interfaces.v, c->interfaces.n);
	str_list(sb, "except-interface", c->except_interfaces.v,
	         c->except_interfaces.n);
	str_list(sb, "no-dhcp-interface", c->no_dhcp_interfaces.v,
	         c->no_dhcp_interfaces.n);
	flag(sb, c->bind_interfaces, "bind-interfaces");
	flag(sb, c->bind_dynamic, "bind-dynamic");
	flag(sb, c->no_resolv, "no-resolv");
	str_list(sb, "resolv-file", c->resolv_files.v, c->resolv_files.n);
	flag(sb, c->strict_order, "strict-order");
	flag(sb, c->all_servers, "all-servers");
	flag(sb, c->no_poll, "no-poll");
	flag(sb, c->recursive, "recursive");
	flag(sb, c->resolve_any, "resolve-any");
	if (c->filter_rr.n || c->filter_rr_any) {
		char tb[16];
		strbuf_puts(sb, "filter-rr=");
		for (size_t i = 0; i < c->filter_rr.n; i++)
			strbuf_printf(sb, "%s%s", i ? "," : "",
			              dns_type_str(c->filter_rr.v[i], tb));
		if (c->filter_rr_any)
			strbuf_printf(sb, "%sANY", c->filter_rr.n ? "," : "");
		strbuf_puts(sb, "\n");
	}
	for (size_t i = 0; i < c->bogus_nxdomain.n; i++) {
		const conf_cidr *b = &c->bogus_nxdomain.v[i];
		strbuf_puts(sb, "bogus-nxdomain=");
		conf_dump_ip(sb, &b->ip);
		if (b->prefix != (b->ip.family == AF_INET ? 32 : 128))
			strbuf_printf(sb, "/%u", b->prefix);
		strbuf_puts(sb, "\n");
	}
	str_opt(sb, "root-hints", c->root_hints);
	str_opt(sb, "tls-upstream-ca", c->tls_upstream_ca);
	num_opt(sb, "tls-port", c->tls_port, 0);
	num_opt(sb, "https-port", c->https_port, 0);
	str_opt(sb, "tls-certificate", c->tls_certificate.s);
	str_opt(sb, "tls-key", c->tls_key.s);
	flag(sb, c->no_hosts, "no-hosts");
	str_list(sb, "addn-hosts", c->addn_hosts.v, c->addn_hosts.n);
	flag(sb, c->expand_hosts, "expand-hosts");
	flag(sb, c->domain_needed, "domain-needed");
	flag(sb, c->bogus_priv, "bogus-priv");
	num_opt(sb, "local-ttl", c->local_ttl, 0);
	num_opt(sb, "neg-ttl", c->neg_ttl, CONF_UNSET);
	num_opt(sb, "max-ttl", c->max_ttl, CONF_UNSET);
	num_opt(sb, "min-cache-ttl", c->min_cache_ttl, CONF_UNSET);
	num_opt(sb, "max-cache-ttl", c->max_cache_ttl, CONF_UNSET);
	num_opt(sb, "cache-size", c->cache_size, CONF_DEFAULT_CACHE_SIZE);
	num_opt(sb, "edns-packet-max", c->edns_packet_max,
	        CONF_DEFAULT_EDNS_PACKET_MAX);
	flag(sb, c->no_negcache, "no-negcache");
	if (c->log_queries)
		LINE("log-queries%s\n",
		     c->log_queries == CONF_LOG_QUERIES_EXTRA ? "=extra" :
		     c->log_queries == CONF_LOG_QUERIES_PROTO ? "=proto" : "");
	str_opt(sb, "log-facility", c->log_facility);
	flag(sb, c->keep_in_foreground, "keep-in-foreground");
	flag(sb, c->no_daemon, "no-daemon");
	str_opt(sb, "pid-file", c->pid_file);
	str_opt(sb, "control-socket", c->control_socket);
	str_opt(sb, "user", c->user);
	str_opt(sb, "group", c->group);
	flag(sb, c->dnssec, "dnssec");
	flag(sb, c->dnssec_no_timecheck, "dnssec-no-timecheck");
	str_opt(sb, "trust-anchor-file", c->trust_anchor_file);
	if (!c->dnssec_check_unsigned)
		LINE("dnssec-check-unsigned=no\n");
	flag(sb, c->proxy_dnssec, "proxy-dnssec");
	str_opt(sb, "dnssec-timestamp", c->dnssec_timestamp);
	if (c->nsec3_max_iterations)
		LINE("nsec3-max-iterations=%u\n", c->nsec3_max_iterations);
	flag(sb, c->aggressive_nsec, "aggressive-nsec");
	str_list(sb, "blocklist", c->blocklists.v, c->blocklists.n);
	str_list(sb, "allowlist", c->allowlists.v, c->allowlists.n);
	if (c->blocklist_nxdomain)
		LINE("blocklist-mode=nxdomain\n");
	num_opt(sb, "blocklist-refresh", c->blocklist_refresh,
	        CONF_DEFAULT_BLOCKLIST_REFRESH);
	num_opt(sb, "blocklist-ttl", c->blocklist_ttl, CONF_UNSET);
	for (size_t i = 0; i < c->dnssec_ntas.n; i++) {
		LINE("dnssec-nta=/");
		conf_dump_name(sb, &c->dnssec_ntas.v[i]);
		LINE("/\n");
	}
	for (size_t i = 0; i < c->trust_anchors.n; i++) {
		const conf_trust_anchor *t = &c->trust_anchors.v[i];
		LINE("trust-anchor=");
		conf_dump_name(sb, &t->name);
		LINE(",%u,%u,%u,", t->key_tag, t->algorithm, t->digest_type);
		strbuf_hex(sb, t->digest, t->digest_len);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->servers.n; i++) {
		const conf_server *s = &c->servers.v[i];
		if (s->origin == CONF_FROM_REV_SERVER) {
			LINE("rev-server=");
			conf_dump_ip(sb, &s->rev_net);
			LINE("/%u", s->rev_prefix);
			if (s->kind != CONF_SERVER_LOCAL)
				strbuf_putc(sb, ',');
		} else {
			LINE("%s=", s->origin == CONF_FROM_LOCAL ? "local" :
			     s->tls ? "server-tls" : "server");
			if (s->ndomains)
				put_domains(sb, s->domains, s->ndomains);
		}
		put_server_spec(sb, s);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->domains.n; i++) {
		const conf_domain_rule *d = &c->domains.v[i];
		LINE("domain=");
		if (d->from_resolv)
			strbuf_putc(sb, '#');
		else
			conf_dump_name(sb, &d->name);
		switch (d->scope) {
		case CONF_DOMAIN_ALL:
			break;
		case CONF_DOMAIN_RANGE:
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &d->start);
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &d->end);
			break;
		case CONF_DOMAIN_ADDR:
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &d->start);
			break;
		case CONF_DOMAIN_SUBNET:
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &d->start);
			LINE("/%u", d->prefix);
			break;
		case CONF_DOMAIN_IFACE:
			strbuf_putc(sb, ',');
			conf_dump_text(sb, d->iface, strlen(d->iface));
			break;
		}
		if (d->local)
			LINE(",local");
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->addresses.n; i++) {
		const conf_address *a = &c->addresses.v[i];
		LINE("address=");
		put_domains(sb, a->domains, a->ndomains);
		if (a->kind == CONF_ADDRESS_NULL)
			strbuf_putc(sb, '#');
		else if (a->kind == CONF_ADDRESS_IP)
			conf_dump_ip(sb, &a->ip);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->host_records.n; i++) {
		const conf_host_record *h = &c->host_records.v[i];
		LINE("host-record=");
		for (size_t k = 0; k < h->nnames; k++) {
			if (k)
				strbuf_putc(sb, ',');
			conf_dump_name(sb, &h->names[k]);
		}
		if (h->has_v4) {
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &h->v4);
		}
		if (h->has_v6) {
			strbuf_putc(sb, ',');
			conf_dump_ip(sb, &h->v6);
		}
		if (h->ttl != CONF_UNSET)
			LINE(",%lld", (long long)h->ttl);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->cnames.n; i++) {
		const conf_cname *cn = &c->cnames.v[i];
		LINE("cname=");
		for (size_t k = 0; k < cn->naliases; k++) {
			conf_dump_name(sb, &cn->aliases[k]);
			strbuf_putc(sb, ',');
		}
		conf_dump_name(sb, &cn->target);
		if (cn->ttl != CONF_UNSET)
			LINE(",%lld", (long long)cn->ttl);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->txt_records.n; i++) {
		const conf_txt *t = &c->txt_records.v[i];
		LINE("txt-record=");
		conf_dump_name(sb, &t->name);
		if (t->nstrings) {
			for (size_t o = 0; o < t->rdlen;) {
				size_t l = t->rdata[o];
				strbuf_putc(sb, ',');
				conf_dump_text(sb, (const char *)t->rdata + o + 1, l);
				o += 1 + l;
			}
		}
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->srv_records.n; i++) {
		const conf_srv *s = &c->srv_records.v[i];
		LINE("srv-host=");
		conf_dump_name(sb, &s->name);
		if (!s->has_target && s->port == 1 && !s->priority && !s->weight) {
			strbuf_putc(sb, '\n');
			continue;
		}
		strbuf_putc(sb, ',');
		if (s->has_target)
			conf_dump_name(sb, &s->target);
		LINE(",%u,%u,%u\n", s->port, s->priority, s->weight);
	}
	for (size_t i = 0; i < c->mx_records.n; i++) {
		const conf_mx *m = &c->mx_records.v[i];
		LINE("mx-host=");
		conf_dump_name(sb, &m->name);
		strbuf_putc(sb, ',');
		if (m->has_target) {
			conf_dump_name(sb, &m->target);
			strbuf_putc(sb, ',');
		}
		LINE("%u\n", m->preference);
	}
	for (size_t i = 0; i < c->ptr_records.n; i++) {
		const conf_ptr *p = &c->ptr_records.v[i];
		LINE("ptr-record=");
		conf_dump_name(sb, &p->name);
		if (p->has_target) {
			strbuf_putc(sb, ',');
			conf_dump_name(sb, &p->target);
		}
		strbuf_putc(sb, '\n');
	}
}

static void dump_dhcp(const ward_conf *c, strbuf *sb)
{
	flag(sb, c->dhcp_authoritative, "dhcp-authoritative");
	flag(sb, c->dhcp_rapid_commit, "dhcp-rapid-commit");
	str_opt(sb, "dhcp-leasefile", c->dhcp_leasefile);
	num_opt(sb, "dhcp-lease-max", c->dhcp_lease_max,
	        CONF_DEFAULT_LEASE_MAX);
	str_opt(sb, "dhcp-script", c->dhcp_script);
	for (size_t i = 0; i < c->dhcp_ranges.n; i++) {
		const conf_dhcp_range *d = &c->dhcp_ranges.v[i];
		LINE("dhcp-range=");
		put_tags(sb, &d->match, "tag:");
		if (d->set_tag)
			LINE("set:%s,", d->set_tag);
		conf_dump_ipv4(sb, d->start);
		strbuf_putc(sb, ',');
		if (d->mode == CONF_RANGE_STATIC)
			LINE("static");
		else if (d->mode == CONF_RANGE_PROXY)
			LINE("proxy");
		else
			conf_dump_ipv4(sb, d->end);
		if (d->netmask || d->broadcast) {
			strbuf_putc(sb, ',');
			conf_dump_ipv4(sb, d->netmask);
			if (d->broadcast) {
				strbuf_putc(sb, ',');
				conf_dump_ipv4(sb, d->broadcast);
			}
		}
		if (d->has_lease) {
			strbuf_putc(sb, ',');
			put_lease(sb, d->lease);
		}
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->dhcp_hosts.n; i++) {
		const conf_dhcp_host *h = &c->dhcp_hosts.v[i];
		LINE("dhcp-host=");
		size_t mark = sb->len;
		for (size_t k = 0; k < h->nhwaddrs; k++) {
			put_hw(sb, &h->hwaddrs[k]);
			strbuf_putc(sb, ',');
		}
		if (h->ignore_client_id)
			LINE("id:*,");
		if (h->has_client_id) {
			LINE("id:");
			bool text = true;
			for (size_t k = 0; k < h->client_id_len; k++) {
				uint8_t ch = h->client_id[k];
				text &= ch > 0x20 && ch < 0x7f && ch != ':' && ch != ',' &&
				        ch != '"' && ch != '#' && ch != '\\';
			}
			if (text && !(h->client_id_len == 1 &&
			              h->client_id[0] == '*')) {
				strbuf_putn(sb, (const char *)h->client_id,
				            h->client_id_len);
			} else if (h->client_id_len >= 2) {
				put_hex(sb, h->client_id, h->client_id_len, NULL);
			} else {
				/* one octet: as text, quoted so nothing is special */
				put_quoted(sb, (const char *)h->client_id, 1);
			}
			strbuf_putc(sb, ',');
		}
		for (size_t k = 0; k < h->nset_tags; k++)
			LINE("set:%s,", h->set_tags[k]);
		put_tags(sb, &h->match, "tag:");
		if (h->has_ip) {
			conf_dump_ipv4(sb, h->ip);
			strbuf_putc(sb, ',');
		}
		if (h->hostname)
			LINE("%s,", h->hostname);
		if (h->has_lease) {
			put_lease(sb, h->lease);
			strbuf_putc(sb, ',');
		}
		if (h->ignore)
			LINE("ignore,");
		if (sb->len > mark && !sb->err)
			strbuf_truncate(sb, sb->len - 1); /* the last ',' */
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->dhcp_options.n; i++) {
		const conf_dhcp_option *o = &c->dhcp_options.v[i];
		LINE("%s=", o->force ? "dhcp-option-force" : "dhcp-option");
		put_tags(sb, &o->match, "tag:");
		switch (o->kind) {
		case CONF_DHCPOPT_PLAIN: break;
		case CONF_DHCPOPT_ENCAP: LINE("encap:%u,", o->encap); break;
		case CONF_DHCPOPT_VI_ENCAP: LINE("vi-encap:%u,", o->encap); break;
		case CONF_DHCPOPT_VENDOR:
			LINE("vendor:");
			conf_dump_text(sb, o->vendor, strlen(o->vendor));
			strbuf_putc(sb, ',');
			break;
		}
		put_code(sb, o->code, o->kind == CONF_DHCPOPT_PLAIN);
		if (o->len)
			put_optval(sb, o->code, o->kind == CONF_DHCPOPT_PLAIN,
			           o->value, o->len);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->dhcp_ignore.n; i++) {
		LINE("dhcp-ignore=");
		size_t mark = sb->len;
		put_tags(sb, &c->dhcp_ignore.v[i].match, "tag:");
		if (sb->len > mark && !sb->err)
			strbuf_truncate(sb, sb->len - 1);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->dhcp_broadcast.n; i++) {
		const conf_tags *t = &c->dhcp_broadcast.v[i].match;
		LINE("dhcp-broadcast%s", t->n ? "=" : "");
		size_t mark = sb->len;
		put_tags(sb, t, "tag:");
		if (sb->len > mark && !sb->err)
			strbuf_truncate(sb, sb->len - 1);
		strbuf_putc(sb, '\n');
	}
	for (int pass = 0; pass < 2; pass++) {
		const conf_dhcp_class *v = pass ? c->dhcp_userclasses.v :
		                                  c->dhcp_vendorclasses.v;
		size_t n = pass ? c->dhcp_userclasses.n : c->dhcp_vendorclasses.n;
		for (size_t i = 0; i < n; i++) {
			LINE("%s=set:%s,", pass ? "dhcp-userclass" : "dhcp-vendorclass",
			     v[i].set_tag);
			if (v[i].enterprise)
				LINE("enterprise:%u,", v[i].enterprise);
			conf_dump_text(sb, (const char *)v[i].data, v[i].len);
			strbuf_putc(sb, '\n');
		}
	}
	for (size_t i = 0; i < c->dhcp_macs.n; i++) {
		LINE("dhcp-mac=set:%s,", c->dhcp_macs.v[i].set_tag);
		put_hw(sb, &c->dhcp_macs.v[i].hw);
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->dhcp_matches.n; i++) {
		const conf_dhcp_match *m = &c->dhcp_matches.v[i];
		LINE("dhcp-match=set:%s,", m->set_tag);
		if (m->vi_encap)
			LINE("vi-encap:%u", m->code);
		else
			put_code(sb, m->code, true);
		switch (m->kind) {
		case CONF_DHCPMATCH_PRESENT:
			break;
		case CONF_DHCPMATCH_PREFIX:
			strbuf_putc(sb, ',');
			put_hex(sb, m->value, m->len, m->wildcard);
			break;
		case CONF_DHCPMATCH_SUBSTRING:
			strbuf_putc(sb, ',');
			put_quoted(sb, (const char *)m->value, m->len);
			break;
		case CONF_DHCPMATCH_ELEMENT: {
			enum dhcp_vtype vt = m->vi_encap ? DHCP_VT_HEX :
			                     dhcp_option_vtype((uint8_t)m->code);
			for (size_t k = 0; m->elem_size && k + m->elem_size <= m->len;
			     k += m->elem_size) {
				uint32_t v = be(m->value + k, m->elem_size);
				strbuf_putc(sb, ',');
				if (m->elem_size == 4 && (vt == DHCP_VT_IP ||
				    vt == DHCP_VT_IPLIST || vt == DHCP_VT_IPPAIRS))
					conf_dump_ipv4(sb, v);
				else if (vt == DHCP_VT_BOOL)
					strbuf_printf(sb, "%u", v);
				else
					strbuf_printf(sb, "%u%c", v, m->elem_size == 1 ? 'b' :
					              m->elem_size == 2 ? 's' : 'i');
			}
			break;
		}
		}
		strbuf_putc(sb, '\n');
	}
	for (size_t i = 0; i < c->tag_ifs.n; i++) {
		LINE("tag-if=");
		put_tags(sb, &c->tag_ifs.v[i].set, "set:");
		put_tags(sb, &c->tag_ifs.v[i].match, "tag:");
		if (!sb->err && sb->len)
			strbuf_truncate(sb, sb->len - 1);
		strbuf_putc(sb, '\n');
	}
}

int conf_dump(const ward_conf *c, strbuf *sb)
{
	dump_dns(c, sb);
	dump_dhcp(c, sb);
	conf_dashboard_dump(c, sb);
	return sb->err ? WARD_ESPACE : 0;
}
