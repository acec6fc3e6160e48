/* ward: parsers of the DHCPv4 options (ranges, hosts, lease file, tags:
 * classes, MACs, matches, tag-if, ignore, broadcast, script).
 * dhcp-option= is in conf_dhcpopt.c. DHCPv6 forms are recognised and
 * ignored with one warning. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf_int.h"

static bool is_word(const conf_field *f, const char *w)
{
	return !f->quoted && f->len == strlen(w) && !strcmp(f->s, w);
}

static bool ipish(const conf_field *f)
{
	return conf_looks_ipv4(f->s, f->len) || memchr(f->s, ':', f->len);
}

/* A bare legacy tag name (dnsmasq: "set:" may be omitted). */
static bool bare_tag(const conf_field *f)
{
	if (f->len == 0 || f->quoted)
		return false;
	for (size_t i = 0; i < f->len; i++) {
		char ch = f->s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.'))
			return false;
	}
	return !conf_looks_ipv4(f->s, f->len) && !conf_is_digits(f->s, f->len);
}

/* ---- dhcp-range ---- */

int conf_opt_dhcp_range(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	const char *form = "(dhcp-range=[tag:T,][set:T,]START,END|static|proxy"
	                   "[,NETMASK[,BROADCAST]][,LEASE])";
	conf_dhcp_range d;
	memset(&d, 0, sizeof d);
	d.loc = x->loc;
	conf_tag tags[16];
	size_t nt = 0, i = 0;
	for (; i < x->nf; i++) {
		const conf_field *f = &x->f[i];
		conf_tag t;
		const char *set;
		if ((r = conf_parse_tag_match(x, f, false, &t)) != 0) {
			if (r < 0)
				return r;
			if (nt == sizeof tags / sizeof tags[0])
				return conf_bad(x, "too many tags");
			tags[nt++] = t;
			continue;
		}
		if ((r = conf_parse_tag_set(x, f, false, &set)) != 0 ||
		    bare_tag(f)) {
			if (r < 0)
				return r;
			if (r == 0) {
				set = conf_arena_strndup(x->c->arena, f->s, f->len);
				if (!set)
					return WARD_ENOMEM;
			}
			if (d.set_tag)
				return conf_bad(x, "only one tag can be set here (set:%s "
				                "and set:%s)", d.set_tag, set);
			d.set_tag = set;
			continue;
		}
		if (conf_field_has_prefix(f, "interface:")) {
			conf_warn(x, "'%s' is obsolete and ignored",
			          conf_showf(x, f));
			continue;
		}
		if (conf_field_has_prefix(f, "constructor:")) {
			conf_warn_unimplemented_once(x, "DHCPv6 (constructor:)");
			return 0;
		}
		if (ipish(f))
			break;
		return conf_bad(x, "'%s' is not a tag or an address %s",
		                conf_showf(x, f), form);
	}
	if (i == x->nf)
		return conf_bad(x, "needs a start address %s", form);
	if (memchr(x->f[i].s, ':', x->f[i].len)) {
		conf_warn_unimplemented_once(x, "DHCPv6 (an IPv6 range)");
		return 0;
	}
	if ((r = conf_parse_ipv4(x, x->f[i].s, x->f[i].len, "start address",
	                         &d.start)))
		return r;
	i++;
	if (i == x->nf)
		return conf_bad(x, "needs an end address, 'static' or 'proxy' "
		                "after the start %s", form);
	const conf_field *f = &x->f[i];
	if (is_word(f, "static")) {
		d.mode = CONF_RANGE_STATIC;
		d.end = d.start;
	} else if (is_word(f, "proxy")) {
		d.mode = CONF_RANGE_PROXY;
		d.end = d.start;
	} else if (conf_looks_ipv4(f->s, f->len)) {
		if ((r = conf_parse_ipv4(x, f->s, f->len, "end address", &d.end)))
			return r;
	} else {
		return conf_bad(x, "'%s' is not an end address, 'static' or "
		                "'proxy' %s", conf_showf(x, f), form);
	}
	i++;
	unsigned naddr = 0;
	const conf_field *maskf = NULL;
	for (; i < x->nf; i++) {
		f = &x->f[i];
		if (conf_looks_ipv4(f->s, f->len)) {
			if (++naddr > 2)
				return conf_bad(x, "'%s': too many addresses %s",
				                conf_showf(x, f), form);
			uint32_t *dst = naddr == 1 ? &d.netmask : &d.broadcast;
			if (naddr == 1)
				maskf = f;
			if ((r = conf_parse_ipv4(x, f->s, f->len,
			                         naddr == 1 ? "netmask" : "broadcast",
			                         dst)))
				return r;
			continue;
		}
		uint32_t lease;
		r = conf_parse_lease(x, f->s, f->len, &lease);
		if (r < 0)
			return r;
		if (r == 0) {
			if (is_word(f, "deprecated") || is_word(f, "ra-only") ||
			    is_word(f, "slaac") || is_word(f, "ra-names") ||
			    is_word(f, "ra-stateless") || is_word(f, "off-link") ||
			    is_word(f, "ra-advrouter"))
				return conf_bad(x, "'%s' is for IPv6 ranges only",
				                conf_showf(x, f));
			return conf_bad(x, "'%s' is not a netmask, broadcast address or "
			                "lease time (like 45m, 12h, 1d, infinite)",
			                conf_showf(x, f));
		}
		if (i + 1 != x->nf)
			return conf_bad(x, "the lease time must come last %s", form);
		d.has_lease = true;
		d.lease = lease == CONF_LEASE_INFINITE ? lease :
		          conf_lease_clamp(x, lease);
	}
	if (d.netmask) {
		int p = conf_mask_prefix(d.netmask);
		if (p < 0)
			return conf_bad(x, "netmask %s is not contiguous",
			                conf_showf(x, maskf));
		if ((d.start & d.netmask) != (d.end & d.netmask))
			return conf_bad(x, "start and end are not in the same subnet "
			                "of the netmask");
	}
	if (d.start > d.end) {
		conf_warn(x, "the range ends before it starts; using it the other "
		          "way round");
		uint32_t t = d.start;
		d.start = d.end;
		d.end = t;
	}
	if ((r = conf_tags_store(x, tags, nt, &d.match)))
		return r;
	conf_dhcp_range *p = CONF_PUSH(x->c->dhcp_ranges);
	if (!p)
		return WARD_ENOMEM;
	*p = d;
	return 0;
}

/* ---- dhcp-host ---- */

int conf_opt_dhcp_host(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_bad(x, "needs a hardware address, id: or a host name");
	conf_dhcp_host h;
	memset(&h, 0, sizeof h);
	h.loc = x->loc;
	conf_hwaddr hw[8];
	size_t nhw = 0;
	conf_tag tags[16];
	size_t nt = 0;
	const char *sets[16];
	size_t ns = 0;
	for (size_t i = 0; i < x->nf; i++) {
		const conf_field *f = &x->f[i];
		conf_tag t;
		const char *set;
		if (f->len == 0)
			return conf_bad(x, "field %zu is empty", i + 1);
		if (conf_field_has_prefix(f, "id:")) {
			const char *s = f->s + 3;
			size_t n = f->len - 3;
			if (h.has_client_id || h.ignore_client_id)
				return conf_bad(x, "two client identifiers (id:)");
			if (n == 1 && s[0] == '*') {
				h.ignore_client_id = true;
				continue;
			}
			if (n == 0)
				return conf_bad(x, "client identifier 'id:' is empty");
			uint8_t buf[256];
			int l = memchr(s, ':', n) ?
			        conf_hex_bytes(s, n, buf, sizeof buf, NULL) : -1;
			if (l > 0) {
				h.client_id = conf_arena_memdup(x->c->arena, buf, (size_t)l);
				h.client_id_len = (uint16_t)l;
			} else {
				if (n > 255)
					return conf_bad(x, "client identifier is longer than "
					                "255 octets");
				h.client_id = conf_arena_memdup(x->c->arena, s, n);
				h.client_id_len = (uint16_t)n;
			}
			if (!h.client_id)
				return WARD_ENOMEM;
			h.has_client_id = true;
			continue;
		}
		if ((r = conf_parse_tag_set(x, f, true, &set)) != 0) {
			if (r < 0)
				return r;
			if (ns == sizeof sets / sizeof sets[0])
				return conf_bad(x, "too many tags");
			sets[ns++] = set;
			continue;
		}
		if ((r = conf_parse_tag_match(x, f, false, &t)) != 0) {
			if (r < 0)
				return r;
			if (nt == sizeof tags / sizeof tags[0])
				return conf_bad(x, "too many tags");
			tags[nt++] = t;
			continue;
		}
		if (f->s[0] == '[') {
			if (f->s[f->len - 1] != ']')
				return conf_bad(x, "'%s': an IPv6 address needs a closing "
				                "']'", conf_showf(x, f));
			h.has_ipv6 = true;
			conf_warn_unimplemented_once(x, "DHCPv6 (an [IPv6] address)");
			continue;
		}
		if (is_word(f, "ignore")) {
			h.ignore = true;
			continue;
		}
		if (conf_looks_ipv4(f->s, f->len)) {
			uint32_t ip;
			if ((r = conf_parse_ipv4(x, f->s, f->len, "address", &ip)))
				return r;
			if (h.has_ip)
				return conf_bad(x, "two IPv4 addresses (%u.%u.%u.%u and "
				                "%s)", h.ip >> 24, (h.ip >> 16) & 255,
				                (h.ip >> 8) & 255, h.ip & 255,
				                conf_showf(x, f));
			h.has_ip = true;
			h.ip = ip;
			continue;
		}
		if (memchr(f->s, ':', f->len)) {
			if (nhw == sizeof hw / sizeof hw[0])
				return conf_bad(x, "more than %zu hardware addresses",
				                sizeof hw / sizeof hw[0]);
			if ((r = conf_parse_hwaddr(x, f->s, f->len, true, &hw[nhw])) < 0)
				return r;
			nhw++;
			continue;
		}
		uint32_t lease;
		r = conf_parse_lease(x, f->s, f->len, &lease);
		if (r < 0)
			return r;
		if (r == 1) {
			if (h.has_lease)
				return conf_bad(x, "two lease times");
			h.has_lease = true;
			h.lease = lease == CONF_LEASE_INFINITE ? lease :
			          conf_lease_clamp(x, lease);
			continue;
		}
		if (h.hostname)
			return conf_bad(x, "two host names ('%s' and '%s'): one name "
			                "per dhcp-host (use cname= for aliases)",
			                h.hostname, conf_showf(x, f));
		if ((r = conf_parse_hostname(x, f->s, f->len, &h.hostname)))
			return r;
	}
	for (size_t k = 0; h.has_ip && k < x->c->dhcp_hosts.n; k++) {
		const conf_dhcp_host *o = &x->c->dhcp_hosts.v[k];
		if (o->has_ip && o->ip == h.ip)
			return conf_bad(x, "the address %u.%u.%u.%u is already given to "
			                "another host (%s:%u)", h.ip >> 24,
			                (h.ip >> 16) & 255, (h.ip >> 8) & 255,
			                h.ip & 255,
			                conf_show(x, o->loc.file, strlen(o->loc.file)),
			                o->loc.line);
	}
	if (!nhw && !h.has_client_id && !h.hostname && !h.ignore_client_id)
		return conf_bad(x, "needs a hardware address, id: or a host name "
		                "to say which client it is for");
	if (nhw) {
		h.hwaddrs = conf_arena_memdup(x->c->arena, hw, nhw * sizeof hw[0]);
		if (!h.hwaddrs)
			return WARD_ENOMEM;
		h.nhwaddrs = nhw;
	}
	if (ns) {
		const char **v = conf_arena_memdup(x->c->arena, sets,
		                                   ns * sizeof sets[0]);
		if (!v)
			return WARD_ENOMEM;
		h.set_tags = v;
		h.nset_tags = ns;
	}
	if ((r = conf_tags_store(x, tags, nt, &h.match)))
		return r;
	conf_dhcp_host *p = CONF_PUSH(x->c->dhcp_hosts);
	if (!p)
		return WARD_ENOMEM;
	*p = h;
	return 0;
}

/* ---- simple ones ---- */

int conf_opt_dhcp_leasefile(conf_ctx *x)
{
	if (!x->has_value || x->len == 0) {
		x->c->dhcp_leasefile = NULL;
		return 0;
	}
	return conf_parse_path(x, false, &x->c->dhcp_leasefile);
}

int conf_opt_dhcp_lease_max(conf_ctx *x)
{
	return conf_parse_uint(x, x->val, x->len, 0, INT32_MAX,
	                       "number of leases", &x->c->dhcp_lease_max);
}

int conf_opt_dhcp_script(conf_ctx *x)
{
	int r = conf_parse_path(x, false, &x->c->dhcp_script);
	if (!r && x->c->dhcp_script[0] != '/')
		conf_warn(x, "'%s' is not an absolute path (the script is run "
		          "without a PATH search)", conf_show(x, x->val, x->len));
	return r;
}

/* A list of tag matches (tag:, net:, bare legacy names). */
static int tag_list(conf_ctx *x, bool wildcard, size_t from, conf_tags *out)
{
	conf_tag tags[32];
	size_t nt = 0;
	for (size_t i = from; i < x->nf; i++) {
		const conf_field *f = &x->f[i];
		conf_tag t;
		int r = conf_parse_tag_match(x, f, wildcard, &t);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!bare_tag(f))
				return conf_bad(x, "'%s' is not a tag (tag:NAME or "
				                "tag:!NAME)", conf_showf(x, f));
			t.negate = false;
			t.name = conf_arena_strndup(x->c->arena, f->s, f->len);
			if (!t.name)
				return WARD_ENOMEM;
		}
		if (nt == sizeof tags / sizeof tags[0])
			return conf_bad(x, "too many tags");
		tags[nt++] = t;
	}
	return conf_tags_store(x, tags, nt, out);
}

static int tagged(conf_ctx *x, bool need_one, void *listp, size_t *n,
                  size_t *cap)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (need_one && x->nf == 0)
		return conf_bad(x, "needs at least one tag:NAME");
	conf_tagged t;
	memset(&t, 0, sizeof t);
	t.loc = x->loc;
	if ((r = tag_list(x, false, 0, &t.match)))
		return r;
	conf_tagged *p = conf_list_push(listp, n, cap, sizeof *p);
	if (!p)
		return WARD_ENOMEM;
	*p = t;
	return 0;
}

int conf_opt_dhcp_ignore(conf_ctx *x)
{
	ward_conf *c = x->c;
	return tagged(x, true, &c->dhcp_ignore.v, &c->dhcp_ignore.n,
	              &c->dhcp_ignore.cap);
}

int conf_opt_dhcp_broadcast(conf_ctx *x)
{
	ward_conf *c = x->c;
	return tagged(x, false, &c->dhcp_broadcast.v, &c->dhcp_broadcast.n,
	              &c->dhcp_broadcast.cap);
}

/* The leading set:TAG (or a bare legacy name) of the tag-mapping options. */
static int leading_set(conf_ctx *x, const char *form, const char **tag)
{
	if (x->nf == 0)
		return conf_bad(x, "needs set:TAG first %s", form);
	const conf_field *f = &x->f[0];
	int r = conf_parse_tag_set(x, f, false, tag);
	if (r < 0)
		return r;
	if (r == 1)
		return 0;
	if (bare_tag(f)) {
		*tag = conf_arena_strndup(x->c->arena, f->s, f->len);
		return *tag ? 0 : WARD_ENOMEM;
	}
	return conf_bad(x, "'%s' is not set:TAG %s", conf_showf(x, f), form);
}

static int dhcp_class(conf_ctx *x, bool vendor)
{
	const char *form = vendor ?
	        "(dhcp-vendorclass=set:TAG,[enterprise:NUMBER,]CLASS)" :
	        "(dhcp-userclass=set:TAG,CLASS)";
	int r = conf_split(x);
	if (r)
		return r;
	conf_dhcp_class c;
	memset(&c, 0, sizeof c);
	c.loc = x->loc;
	if ((r = leading_set(x, form, &c.set_tag)))
		return r;
	size_t i = 1;
	if (vendor && x->nf > 2 && conf_field_has_prefix(&x->f[1], "enterprise:")) {
		int64_t v;
		const conf_field *f = &x->f[1];
		if ((r = conf_parse_uint(x, f->s + 11, f->len - 11, 0, UINT32_MAX,
		                         "enterprise number", &v)))
			return r;
		c.enterprise = (uint32_t)v;
		i = 2;
	}
	if (x->nf != i + 1)
		return conf_bad(x, "%s %s", x->nf <= i ? "needs the class" :
		                "too many fields (quote a class with commas)", form);
	const conf_field *f = &x->f[i];
	if (f->len == 0)
		return conf_bad(x, "the class is empty");
	if (f->len > 255)
		return conf_bad(x, "the class is longer than 255 octets");
	c.data = conf_arena_memdup(x->c->arena, f->s, f->len);
	if (!c.data)
		return WARD_ENOMEM;
	c.len = (uint16_t)f->len;
	conf_dhcp_class *p = vendor ? CONF_PUSH(x->c->dhcp_vendorclasses) :
	                              CONF_PUSH(x->c->dhcp_userclasses);
	if (!p)
		return WARD_ENOMEM;
	*p = c;
	return 0;
}

int conf_opt_dhcp_vendorclass(conf_ctx *x)
{
	return dhcp_class(x, true);
}

int conf_opt_dhcp_userclass(conf_ctx *x)
{
	return dhcp_class(x, false);
}

int conf_opt_dhcp_mac(conf_ctx *x)
{
	const char *form = "(dhcp-mac=set:TAG,MAC with * wildcards)";
	int r = conf_split(x);
	if (r)
		return r;
	conf_dhcp_mac m;
	memset(&m, 0, sizeof m);
	m.loc = x->loc;
	if ((r = leading_set(x, form, &m.set_tag)))
		return r;
	if (x->nf != 2)
		return conf_bad(x, "needs exactly a tag and a MAC address %s", form);
	r = conf_parse_hwaddr(x, x->f[1].s, x->f[1].len, true, &m.hw);
	if (r < 0)
		return r;
	if (r == 0)
		return conf_bad(x, "'%s' is not a MAC address %s",
		                conf_showf(x, &x->f[1]), form);
	conf_dhcp_mac *p = CONF_PUSH(x->c->dhcp_macs);
	if (!p)
		return WARD_ENOMEM;
	*p = m;
	return 0;
}

/* A number (with dnsmasq's b/s/i size letter) or an IPv4 address. */
static bool numeric(const conf_field *f)
{
	if (f->len == 0)
		return false;
	return conf_is_digits(f->s, f->len) || conf_looks_ipv4(f->s, f->len) ||
	       (f->len > 1 && conf_is_digits(f->s, f->len - 1) &&
	        strchr("bsi", f->s[f->len - 1]));
}

int conf_opt_dhcp_match(conf_ctx *x)
{
	const char *form = "(dhcp-match=set:TAG,OPTION|option:NAME|"
	                   "vi-encap:ENTERPRISE[,VALUE])";
	int r = conf_split(x);
	if (r)
		return r;
	conf_dhcp_match m;
	memset(&m, 0, sizeof m);
	m.loc = x->loc;
	if ((r = leading_set(x, form, &m.set_tag)))
		return r;
	if (x->nf < 2)
		return conf_bad(x, "needs the option to match %s", form);
	const conf_field *f = &x->f[1];
	unsigned code = 0;
	if (conf_field_has_prefix(f, "vi-encap:")) {
		int64_t v;
		if ((r = conf_parse_uint(x, f->s + 9, f->len - 9, 0, UINT32_MAX,
		                         "enterprise number", &v)))
			return r;
		m.vi_encap = true;
		m.code = (uint32_t)v;
	} else if (conf_field_has_prefix(f, "option6:")) {
		conf_warn_unimplemented_once(x, "DHCPv6 (option6:)");
		return 0;
	} else {
		if ((r = conf_dhcpopt_code(x, f, &code)))
			return r;
		m.code = code;
	}
	if (x->nf == 2) {
		m.kind = CONF_DHCPMATCH_PRESENT;
	} else {
		const conf_field *v = &x->f[2];
		uint8_t buf[256], wild[256];
		int l = -1;
		if (x->nf == 3 && !v->quoted && memchr(v->s, ':', v->len))
			l = conf_hex_bytes(v->s, v->len, buf, sizeof buf, wild);
		if (l > 0) {
			m.kind = CONF_DHCPMATCH_PREFIX;
			m.value = conf_arena_memdup(x->c->arena, buf, (size_t)l);
			m.len = (uint16_t)l;
			bool any = false;
			for (int i = 0; i < l; i++)
				any |= wild[i] != 0;
			if (any) {
				m.wildcard = conf_arena_memdup(x->c->arena, wild, (size_t)l);
				if (!m.wildcard)
					return WARD_ENOMEM;
			}
		} else if (x->nf == 3 && (v->quoted || !numeric(v))) {
			m.kind = CONF_DHCPMATCH_SUBSTRING;
			if (v->len == 0)
				return conf_bad(x, "the string to match is empty");
			m.value = conf_arena_memdup(x->c->arena, v->s, v->len);
			m.len = (uint16_t)(v->len > 255 ? 255 : v->len);
		} else {
			/* numbers or addresses: each one element of the option's
			 * array, all of one size */
			m.kind = CONF_DHCPMATCH_ELEMENT;
			size_t off = 0;
			for (size_t i = 2; i < x->nf; i++) {
				const conf_field *e = &x->f[i];
				if (e->quoted || !numeric(e))
					return conf_bad(x, "'%s': the value to match is one "
					                "hex pattern (01:*:02), one string, "
					                "or numbers and addresses",
					                conf_showf(x, e));
				l = conf_dhcpopt_encode(x, m.vi_encap ? 0 : code,
				                        !m.vi_encap, e, 1, buf + off,
				                        sizeof buf - off);
				if (l < 0)
					return l;
				if (l != 1 && l != 2 && l != 4)
					return conf_bad(x, "'%s' does not make an element of "
					                "1, 2 or 4 octets for option %u",
					                conf_showf(x, e), m.code);
				if (i > 2 && (size_t)l != m.elem_size)
					return conf_bad(x, "the values to match have different "
					                "sizes");
				m.elem_size = (uint16_t)l;
				off += (size_t)l;
			}
			m.value = conf_arena_memdup(x->c->arena, buf, off);
			m.len = (uint16_t)off;
		}
		if (!m.value)
			return WARD_ENOMEM;
	}
	conf_dhcp_match *p = CONF_PUSH(x->c->dhcp_matches);
	if (!p)
		return WARD_ENOMEM;
	*p = m;
	return 0;
}

int conf_opt_tag_if(conf_ctx *x)
{
	const char *form = "(tag-if=set:TAG[,set:TAG...][,tag:TAG...])";
	int r = conf_split(x);
	if (r)
		return r;
	conf_tag sets[16], tags[16];
	size_t ns = 0, nt = 0;
	for (size_t i = 0; i < x->nf; i++) {
		const conf_field *f = &x->f[i];
		const char *set;
		conf_tag t;
		if ((r = conf_parse_tag_set(x, f, false, &set)) != 0) {
			if (r < 0)
				return r;
			if (ns == 16)
				return conf_bad(x, "too many tags");
			sets[ns].name = set;
			sets[ns++].negate = false;
			continue;
		}
		if ((r = conf_parse_tag_match(x, f, true, &t)) != 0) {
			if (r < 0)
				return r;
			if (nt == 16)
				return conf_bad(x, "too many tags");
			tags[nt++] = t;
			continue;
		}
		return conf_bad(x, "'%s' is neither set:TAG nor tag:TAG %s",
		                conf_showf(x, f), form);
	}
	if (ns == 0)
		return conf_bad(x, "needs at least one set:TAG %s", form);
	conf_tag_if ti;
	memset(&ti, 0, sizeof ti);
	ti.loc = x->loc;
	if ((r = conf_tags_store(x, sets, ns, &ti.set)) ||
	    (r = conf_tags_store(x, tags, nt, &ti.match)))
		return r;
	conf_tag_if *p = CONF_PUSH(x->c->tag_ifs);
	if (!p)
		return WARD_ENOMEM;
	*p = ti;
	return 0;
}
