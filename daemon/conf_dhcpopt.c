/* ward: dhcp-option= and dhcp-option-force=: the selectors (tag:, encap:,
 * vi-encap:, vendor:), the option (a number or option:NAME from
 * codec/dhcp.h's table) and the value, encoded to wire form by the
 * option's type (address list, number, boolean, string, domain search,
 * SIP servers, classless routes) or, for options without a known type and
 * encapsulated sub-options, by dnsmasq's generic rules. */
#include <string.h>
#include <strings.h>

#include "conf_int.h"
#include "dhcp.h"

#define OPTVAL_MAX 4096   /* one configured option value, in octets */

static bool plain_tag_name(const conf_field *f)
{
	if (f->len == 0)
		return false;
	for (size_t i = 0; i < f->len; i++) {
		char ch = f->s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		      ch == '.'))
			return false;
	}
	return true;
}

int conf_dhcpopt_code(conf_ctx *x, const conf_field *f, unsigned *code)
{
	if (conf_field_has_prefix(f, "option:")) {
		int c = dhcp_option_by_name(f->s + 7);
		if (c < 0)
			return conf_bad(x, "'%s' is not a DHCP option name (see "
			                "'dnsmasq --help dhcp')",
			                conf_show(x, f->s + 7, f->len - 7));
		*code = (unsigned)c;
		return 0;
	}
	if (conf_is_digits(f->s, f->len)) {
		int64_t v;
		int r = conf_parse_uint(x, f->s, f->len, 0, 255, "option number",
		                        &v);
		if (!r)
			*code = (unsigned)v;
		return r;
	}
	if (dhcp_option_by_name(f->s) >= 0)
		return conf_bad(x, "'%s' is not an option number (write "
		                "option:%s)", conf_showf(x, f), conf_showf(x, f));
	return conf_bad(x, "'%s' is not an option number or option:NAME",
	                conf_showf(x, f));
}

struct out {
	uint8_t *p;
	size_t len, cap;
	bool full;
};

static void put(struct out *o, const void *d, size_t n)
{
	if (o->cap - o->len < n) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static void put_be(struct out *o, uint64_t v, unsigned size)
{
	uint8_t b[4];
	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
	put(o, b, size);
}

static int ipv4_field(conf_ctx *x, const conf_field *f, struct out *o)
{
	uint32_t ip;
	int r = conf_parse_ipv4(x, f->s, f->len, "address", &ip);
	if (!r)
		put_be(o, ip, 4);
	return r;
}

/* A number with an optional b/s/i size letter; size 0 = by value. */
static int number_field(conf_ctx *x, const conf_field *f, bool allow_neg,
                        int64_t *v, unsigned *size)
{
	const char *s = f->s;
	size_t n = f->len;
	*size = 0;
	if (n > 1 && (s[n - 1] == 'b' || s[n - 1] == 's' || s[n - 1] == 'i')) {
		*size = s[n - 1] == 'b' ? 1 : s[n - 1] == 's' ? 2 : 4;
		n--;
	}
	bool neg = allow_neg && n > 1 && s[0] == '-';
	int r = conf_parse_uint(x, s + neg, n - neg, 0,
	                        neg ? (int64_t)INT32_MAX + 1 : UINT32_MAX,
	                        "number", v);
	if (r)
		return r;
	if (neg)
		*v = -*v;
	return 0;
}

static bool is_number(const conf_field *f)
{
	size_t n = f->len;
	if (f->quoted || n == 0)
		return false;
	if (n > 1 && (f->s[n - 1] == 'b' || f->s[n - 1] == 's' ||
	              f->s[n - 1] == 'i'))
		n--;
	if (n > 1 && f->s[0] == '-')
		return conf_is_digits(f->s + 1, n - 1);
	return conf_is_digits(f->s, n);
}

/* One number of a fixed size (typed options). */
static int typed_number(conf_ctx *x, const conf_field *f, unsigned size,
                        bool sgn, struct out *o)
{
	int64_t v;
	unsigned sz;
	int r = number_field(x, f, sgn, &v, &sz);
	if (r)
		return r;
	if (sz && sz != size)
		return conf_bad(x, "'%s': this option is %u octet%s long",
		                conf_showf(x, f), size, size == 1 ? "" : "s");
	int64_t lo = sgn ? -((int64_t)1 << (8 * size - 1)) : 0;
	int64_t hi = sgn ? ((int64_t)1 << (8 * size - 1)) - 1 :
	             ((int64_t)1 << (8 * size)) - 1;
	if (v < lo || v > hi)
		return conf_bad(x, "%s is out of range (%lld..%lld)",
		                conf_showf(x, f), (long long)lo, (long long)hi);
	put_be(o, (uint64_t)v, size);
	return 0;
}

/* RFC 3442 destination: prefix length, then the significant octets. */
static int route_dest(conf_ctx *x, const conf_field *f, dhcp_route *rt)
{
	const char *slash = memchr(f->s, '/', f->len);
	if (!slash)
		return conf_bad(x, "'%s' needs a prefix length (NETWORK/LENGTH)",
		                conf_showf(x, f));
	size_t al = (size_t)(slash - f->s);
	uint32_t ip;
	int r = conf_parse_ipv4(x, f->s, al, "route destination", &ip);
	if (r)
		return r;
	int64_t p;
	r = conf_parse_uint(x, slash + 1, f->len - al - 1, 0, 32,
	                    "prefix length", &p);
	if (r)
		return r;
	uint32_t mask = p ? 0xffffffffu << (32 - p) : 0;
	if (ip & ~mask)
		return conf_bad(x, "'%s' has address bits set past the prefix "
		                "length", conf_showf(x, f));
	rt->dest = ip;
	rt->prefix = (uint8_t)p;
	return 0;
}

/* dnsmasq's rules for a value of unknown type. */
static int generic(conf_ctx *x, const conf_field *f, size_t n, struct out *o)
{
	bool all_ip = true, all_num = true, any_q = false;
	for (size_t i = 0; i < n; i++) {
		any_q |= f[i].quoted;
		if (f[i].quoted || !conf_looks_ipv4(f[i].s,
		    memchr(f[i].s, '/', f[i].len) ?
		    (size_t)((const char *)memchr(f[i].s, '/', f[i].len) - f[i].s) :
		    f[i].len))
			all_ip = false;
		if (!is_number(&f[i]))
			all_num = false;
	}
	if (!any_q && all_ip) {
		for (size_t i = 0; i < n; i++) {
			if (memchr(f[i].s, '/', f[i].len)) {
				dhcp_route rt;
				int r = route_dest(x, &f[i], &rt);
				if (r)
					return r;
				uint8_t b[5];
				b[0] = rt.prefix;
				for (unsigned k = 0; k < ((unsigned)rt.prefix + 7) / 8; k++)
					b[1 + k] = (uint8_t)(rt.dest >> (24 - 8 * k));
				put(o, b, 1 + ((size_t)rt.prefix + 7) / 8);
				continue;
			}
			int r = ipv4_field(x, &f[i], o);
			if (r)
				return r;
		}
		return 0;
	}
	if (!any_q && all_num) {
		for (size_t i = 0; i < n; i++) {
			int64_t v;
			unsigned sz;
			int r = number_field(x, &f[i], true, &v, &sz);
			if (r)
				return r;
			if (!sz)
				sz = v < 0 ? (v >= -128 ? 1 : v >= -32768 ? 2 : 4) :
				     v <= 255 ? 1 : v <= 65535 ? 2 : 4;
			put_be(o, (uint64_t)v, sz);
		}
		return 0;
	}
	if (n == 1 && !any_q && memchr(f->s, ':', f->len)) {
		uint8_t buf[OPTVAL_MAX];
		int l = conf_hex_bytes(f->s, f->len, buf, sizeof buf, NULL);
		if (l > 0) {
			put(o, buf, (size_t)l);
			return 0;
		}
	}
	/* text: the fields again joined with ',' */
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(o, ",", 1);
		put(o, f[i].s, f[i].len);
	}
	return 0;
}

static int names_list(conf_ctx *x, const conf_field *f, size_t n,
                      struct out *o, bool sip)
{
	enum { MAXN = 64 };
	dns_name names[MAXN];
	if (n > MAXN)
		return conf_bad(x, "more than %d names", MAXN);
	for (size_t i = 0; i < n; i++) {
		conf_name cn;
		int r = conf_parse_name(x, f[i].s, f[i].len, "domain", &cn);
		if (r)
			return r;
		conf_name_get(&cn, &names[i]);
	}
	if (sip)
		put(o, "\0", 1);
	int l = dhcp_search_encode(names, n, o->p + o->len, o->cap - o->len);
	if (l < 0) {
		o->full = true;
		return 0;
	}
	o->len += (size_t)l;
	return 0;
}

int conf_dhcpopt_encode(conf_ctx *x, unsigned code, bool typed,
                        const conf_field *f, size_t n, uint8_t *buf,
                        size_t cap)
{
	struct out o = { buf, 0, cap, false };
	int r = 0;
	if (n == 0)
		return 0;
	enum dhcp_vtype vt = DHCP_VT_HEX;
	if (typed)
		vt = code == 255 ? DHCP_VT_IP : dhcp_option_vtype((uint8_t)code);
	const char *name = typed ? dhcp_option_name((uint8_t)code) : NULL;
	if (!name)
		name = "this option";
	switch (vt) {
	case DHCP_VT_IP:
		if (n != 1)
			return conf_bad(x, "%s takes one IPv4 address", name);
		r = ipv4_field(x, f, &o);
		break;
	case DHCP_VT_IPLIST:
		for (size_t i = 0; i < n && !r; i++)
			r = ipv4_field(x, &f[i], &o);
		break;
	case DHCP_VT_IPPAIRS:
		if (n % 2)
			return conf_bad(x, "%s takes pairs of IPv4 addresses", name);
		for (size_t i = 0; i < n && !r; i++)
			r = ipv4_field(x, &f[i], &o);
		break;
	case DHCP_VT_U8:
	case DHCP_VT_U16:
	case DHCP_VT_U32:
	case DHCP_VT_S32:
		if (n != 1)
			return conf_bad(x, "%s takes one number", name);
		if (!is_number(f))
			return conf_bad(x, "%s takes a number, not '%s'", name,
			                conf_showf(x, f));
		r = typed_number(x, f, vt == DHCP_VT_U8 ? 1 : vt == DHCP_VT_U16 ?
		                 2 : 4, vt == DHCP_VT_S32, &o);
		break;
	case DHCP_VT_TIME: {
		if (n != 1)
			return conf_bad(x, "%s takes one time", name);
		uint32_t secs;
		r = conf_parse_lease(x, f->s, f->len, &secs);
		if (r < 0)
			return r;
		if (r == 0 && is_number(f))
			return typed_number(x, f, 4, false, &o) ? WARD_ECONFVAL :
			       (int)o.len;
		if (r == 0)
			return conf_bad(x, "%s takes a time in seconds (or with m, h, "
			                "d, w; or 'infinite'), not '%s'", name,
			                conf_showf(x, f));
		r = 0;
		put_be(&o, secs, 4);
		break;
	}
	case DHCP_VT_BOOL: {
		if (n != 1)
			return conf_bad(x, "%s takes 0 or 1", name);
		static const char *const yes[] = { "1", "true", "yes", "on" };
		static const char *const no[] = { "0", "false", "no", "off" };
		int v = -1;
		for (size_t i = 0; i < 4; i++) {
			if (!strcasecmp(f->s, yes[i]))
				v = 1;
			if (!strcasecmp(f->s, no[i]))
				v = 0;
		}
		if (v < 0)
			return conf_bad(x, "%s takes 0 or 1, not '%s'", name,
			                conf_showf(x, f));
		put_be(&o, (uint64_t)v, 1);
		break;
	}
	case DHCP_VT_STRING:
		if (n == 1 && !f->quoted &&
		    (conf_looks_ipv4(f->s, f->len) || is_number(f))) {
			conf_warn(x, "'%s' goes out as %s, not as text, as dnsmasq "
			          "does; write \"%s\" for text", conf_showf(x, f),
			          is_number(f) ? "a number" : "an IPv4 address",
			          conf_showf(x, f));
			r = generic(x, f, n, &o);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			if (i)
				put(&o, ",", 1);
			put(&o, f[i].s, f[i].len);
		}
		if (o.len == 0)
			return conf_bad(x, "%s takes a non-empty string", name);
		break;
	case DHCP_VT_U16LIST:
		for (size_t i = 0; i < n && !r; i++) {
			if (!is_number(&f[i]))
				return conf_bad(x, "%s takes numbers, not '%s'", name,
				                conf_showf(x, &f[i]));
			r = typed_number(x, &f[i], 2, false, &o);
		}
		break;
	case DHCP_VT_EMPTY:
		return conf_bad(x, "%s takes no value", name);
	case DHCP_VT_SEARCH:
		r = names_list(x, f, n, &o, false);
		break;
	case DHCP_VT_SIP: {
		bool all_ip = true;
		for (size_t i = 0; i < n; i++)
			if (f[i].quoted || !conf_looks_ipv4(f[i].s, f[i].len))
				all_ip = false;
		if (all_ip) {
			put(&o, "\1", 1);
			for (size_t i = 0; i < n && !r; i++)
				r = ipv4_field(x, &f[i], &o);
		} else {
			r = names_list(x, f, n, &o, true);
		}
		break;
	}
	case DHCP_VT_ROUTES: {
		enum { MAXR = 64 };
		dhcp_route rt[MAXR];
		if (n % 2)
			return conf_bad(x, "%s takes pairs NETWORK/LENGTH,ROUTER", name);
		if (n / 2 > MAXR)
			return conf_bad(x, "more than %d routes", MAXR);
		for (size_t i = 0; i < n && !r; i += 2) {
			r = route_dest(x, &f[i], &rt[i / 2]);
			if (!r)
				r = conf_parse_ipv4(x, f[i + 1].s, f[i + 1].len, "router",
				                    &rt[i / 2].router);
		}
		if (r)
			return r;
		int l = dhcp_routes_encode(rt, n / 2, o.p, o.cap);
		if (l < 0)
			o.full = true;
		else
			o.len = (size_t)l;
		break;
	}
	default:
		r = generic(x, f, n, &o);
		break;
	}
	if (r)
		return r;
	if (o.full)
		return conf_bad(x, "the value is longer than %zu octets", cap);
	return (int)o.len;
}

int conf_opt_dhcp_option(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	const char *form = "([tag:T,][encap:N,|vi-encap:E,|vendor:CLASS,]"
	                   "OPTION|option:NAME[,VALUE...])";
	conf_dhcp_option d;
	memset(&d, 0, sizeof d);
	d.loc = x->loc;
	d.force = !strcmp(x->def->info.name, "dhcp-option-force");
	conf_tag tags[16];
	size_t nt = 0, i = 0;
	bool have_kind = false;
	for (; i < x->nf; i++) {
		const conf_field *f = &x->f[i];
		conf_tag t;
		if ((r = conf_parse_tag_match(x, f, false, &t)) != 0) {
			if (r < 0)
				return r;
			if (nt == sizeof tags / sizeof tags[0])
				return conf_bad(x, "too many tags");
			tags[nt++] = t;
			continue;
		}
		if (conf_field_has_prefix(f, "option6:")) {
			conf_warn_unimplemented_once(x, "DHCPv6 (option6:)");
			return 0;
		}
		if (conf_field_has_prefix(f, "encap:") || conf_field_has_prefix(f, "vi-encap:") ||
		    conf_field_has_prefix(f, "vendor:")) {
			if (have_kind)
				return conf_bad(x, "only one of encap:, vi-encap: and "
				                "vendor: can be given");
			have_kind = true;
			if (f->s[0] == 'v' && f->s[1] == 'e') {
				d.kind = CONF_DHCPOPT_VENDOR;
				d.vendor = conf_arena_strndup(x->c->arena, f->s + 7,
				                              f->len - 7);
				if (!d.vendor)
					return WARD_ENOMEM;
				continue;
			}
			bool vi = f->s[0] == 'v';
			size_t skip = vi ? 9 : 6;
			int64_t v;
			if ((r = conf_parse_uint(x, f->s + skip, f->len - skip, vi ? 0 : 1,
			                         vi ? UINT32_MAX : 254,
			                         vi ? "enterprise number" :
			                              "encapsulating option", &v)))
				return r;
			d.kind = vi ? CONF_DHCPOPT_VI_ENCAP : CONF_DHCPOPT_ENCAP;
			d.encap = (uint32_t)v;
			continue;
		}
		if (conf_field_has_prefix(f, "option:") || conf_is_digits(f->s, f->len))
			break;
		if (conf_field_has_prefix(f, "set:"))
			return conf_bad(x, "'%s': set: has no meaning here (tag:%s "
			                "matches a tag)", conf_showf(x, f),
			                conf_show(x, f->s + 4, f->len - 4));
		/* a bare legacy tag ("red,3,1.2.3.4") when an option follows */
		const conf_field *nx = i + 1 < x->nf ? &x->f[i + 1] : NULL;
		bool next_is_opt = nx && (conf_field_has_prefix(nx, "option:") ||
		                          conf_field_has_prefix(nx, "encap:") ||
		                          conf_field_has_prefix(nx, "vi-encap:") ||
		                          conf_field_has_prefix(nx, "vendor:") ||
		                          conf_field_has_prefix(nx, "tag:") ||
		                          conf_is_digits(nx->s, nx->len));
		if (next_is_opt && !f->quoted && plain_tag_name(f)) {
			t.negate = false;
			t.name = conf_arena_strndup(x->c->arena, f->s, f->len);
			if (!t.name)
				return WARD_ENOMEM;
			if (nt == sizeof tags / sizeof tags[0])
				return conf_bad(x, "too many tags");
			tags[nt++] = t;
			continue;
		}
		break;
	}
	if (i == x->nf)
		return conf_bad(x, "needs an option number or option:NAME %s", form);
	unsigned code;
	if (d.kind != CONF_DHCPOPT_PLAIN && conf_field_has_prefix(&x->f[i], "option:"))
		return conf_bad(x, "an encapsulated option is given by number");
	if ((r = conf_dhcpopt_code(x, &x->f[i], &code)))
		return r;
	if (code == 0 || (code == 255 && d.kind != CONF_DHCPOPT_PLAIN))
		return conf_bad(x, "option %u cannot be sent (pad/end)", code);
	if (d.kind == CONF_DHCPOPT_PLAIN &&
	    (code == DHCP_OPT_OVERLOAD || code == DHCP_OPT_MSG_TYPE))
		return conf_bad(x, "option %u (%s) is the server's own", code,
		                dhcp_option_name((uint8_t)code));
	d.code = (uint16_t)code;
	uint8_t buf[OPTVAL_MAX];
	int l = conf_dhcpopt_encode(x, code, d.kind == CONF_DHCPOPT_PLAIN,
	                            &x->f[i + 1], x->nf - i - 1, buf, sizeof buf);
	if (l < 0)
		return l;
	if (code == 255 && l == 0)
		return conf_bad(x, "server-ip-address needs an address");
	if (l) {
		d.value = conf_arena_memdup(x->c->arena, buf, (size_t)l);
		if (!d.value)
			return WARD_ENOMEM;
	}
	d.len = (uint16_t)l;
	if ((r = conf_tags_store(x, tags, nt, &d.match)))
		return r;
	conf_dhcp_option *p = CONF_PUSH(x->c->dhcp_options);
	if (!p)
		return WARD_ENOMEM;
	*p = d;
	return 0;
}
