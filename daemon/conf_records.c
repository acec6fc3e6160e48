/* ward: parsers of the local DNS records: host-record=, cname=,
 * txt-record=, srv-host=, mx-host=, ptr-record=. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf_int.h"

static int store_names(conf_ctx *x, const conf_name *v, size_t n,
                       const conf_name **out)
{
	*out = conf_arena_memdup(x->c->arena, v, n * sizeof *v);
	return *out ? 0 : WARD_ENOMEM;
}

int conf_opt_host_record(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	conf_host_record h;
	memset(&h, 0, sizeof h);
	h.loc = x->loc;
	h.ttl = CONF_UNSET;
	conf_name *names = calloc(x->nf ? x->nf : 1, sizeof *names);
	if (!names)
		return WARD_ENOMEM;
	size_t nn = 0;
	for (size_t i = 0; i < x->nf && !r; i++) {
		const conf_field *f = &x->f[i];
		conf_ip ip;
		if (f->len == 0)
			continue;
		if (i + 1 == x->nf && i > 0 && conf_is_digits(f->s, f->len)) {
			r = conf_parse_ttl(x, f->s, f->len, "TTL", &h.ttl);
			continue;
		}
		r = conf_ip_from_text(x->c->arena, f->s, f->len, false, &ip);
		if (r == WARD_ENOMEM)
			break;
		if (r == 0) {
			bool v4 = ip.family == AF_INET;
			if (v4 ? h.has_v4 : h.has_v6)
				conf_warn(x, "a second IPv%c address '%s' replaces the "
				          "first (one of each family)", v4 ? '4' : '6',
				          conf_showf(x, f));
			if (v4) {
				h.has_v4 = true;
				h.v4 = ip;
			} else {
				h.has_v6 = true;
				h.v6 = ip;
			}
			continue;
		}
		r = 0;
		if (conf_looks_ipv4(f->s, f->len) || memchr(f->s, ':', f->len)) {
			r = conf_parse_ip(x, f->s, f->len, false, "address", &ip);
			continue;
		}
		if (h.has_v4 || h.has_v6) {
			r = conf_bad(x, "name '%s' after the addresses (names first, "
			             "then addresses, then the TTL)", conf_showf(x, f));
			continue;
		}
		r = conf_parse_name(x, f->s, f->len, "name", &names[nn]);
		if (!r)
			nn++;
	}
	if (!r && nn == 0)
		r = conf_bad(x, "needs a name (host-record=NAME[,NAME...],ADDRESS"
		             "[,ADDRESS][,TTL])");
	if (!r && !h.has_v4 && !h.has_v6)
		r = conf_bad(x, "needs an IPv4 or IPv6 address");
	if (!r) {
		h.nnames = nn;
		r = store_names(x, names, nn, &h.names);
	}
	free(names);
	if (r)
		return r;
	conf_host_record *p = CONF_PUSH(x->c->host_records);
	if (!p)
		return WARD_ENOMEM;
	*p = h;
	return 0;
}

int conf_opt_cname(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	conf_cname cn;
	memset(&cn, 0, sizeof cn);
	cn.loc = x->loc;
	cn.ttl = CONF_UNSET;
	size_t nf = x->nf;
	if (nf >= 3 && conf_is_digits(x->f[nf - 1].s, x->f[nf - 1].len)) {
		r = conf_parse_ttl(x, x->f[nf - 1].s, x->f[nf - 1].len, "TTL",
		                   &cn.ttl);
		if (r)
			return r;
		nf--;
	}
	if (nf < 2)
		return conf_bad(x, "needs an alias and a target (cname=ALIAS"
		                "[,ALIAS...],TARGET[,TTL])");
	conf_name *names = calloc(nf, sizeof *names);
	if (!names)
		return WARD_ENOMEM;
	for (size_t i = 0; i < nf && !r; i++)
		r = conf_parse_name(x, x->f[i].s, x->f[i].len,
		                    i + 1 == nf ? "target" : "alias", &names[i]);
	if (!r) {
		cn.target = names[nf - 1];
		cn.naliases = nf - 1;
		for (size_t i = 0; i + 1 < nf && !r; i++)
			if (names[i].len == cn.target.len &&
			    !strncasecmp((const char *)names[i].wire,
			                 (const char *)cn.target.wire, cn.target.len))
				r = conf_bad(x, "'%s' would be an alias of itself",
				             conf_showf(x, &x->f[i]));
	}
	if (!r)
		r = store_names(x, names, nf - 1, &cn.aliases);
	free(names);
	if (r)
		return r;
	conf_cname *p = CONF_PUSH(x->c->cnames);
	if (!p)
		return WARD_ENOMEM;
	*p = cn;
	return 0;
}

int conf_opt_txt_record(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	conf_txt t;
	memset(&t, 0, sizeof t);
	t.loc = x->loc;
	r = conf_parse_name(x, x->f[0].s, x->f[0].len, "name", &t.name);
	if (r)
		return r;
	size_t total = 0;
	for (size_t i = 1; i < x->nf; i++) {
		size_t l = x->f[i].len;
		total += (l ? (l + 254) / 255 : 1) + l;
	}
	if (x->nf == 1)
		total = 1; /* one empty string */
	if (total > 65535)
		return conf_bad(x, "the strings are longer than a TXT record can "
		                "hold (65535 octets)");
	uint8_t *rd = conf_arena_alloc(x->c->arena, total);
	if (!rd)
		return WARD_ENOMEM;
	size_t o = 0;
	for (size_t i = 1; i < x->nf; i++) {
		const char *s = x->f[i].s;
		size_t l = x->f[i].len;
		do {
			size_t chunk = l > 255 ? 255 : l;
			rd[o++] = (uint8_t)chunk;
			memcpy(rd + o, s, chunk);
			o += chunk;
			s += chunk;
			l -= chunk;
		} while (l);
	}
	if (x->nf == 1)
		rd[o++] = 0;
	t.rdata = rd;
	t.rdlen = (uint16_t)o;
	t.nstrings = (uint16_t)(x->nf - 1);
	conf_txt *p = CONF_PUSH(x->c->txt_records);
	if (!p)
		return WARD_ENOMEM;
	*p = t;
	return 0;
}

static int u16_field(conf_ctx *x, const conf_field *f, const char *what,
                     uint16_t *out)
{
	int64_t v;
	int r = conf_parse_uint(x, f->s, f->len, 0, 65535, what, &v);
	if (!r)
		*out = (uint16_t)v;
	return r;
}

int conf_opt_srv_host(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	if (x->nf > 5)
		return conf_bad(x, "too many fields (srv-host=_SERVICE._PROTO"
		                "[.DOMAIN][,TARGET[,PORT[,PRIORITY[,WEIGHT]]]])");
	conf_srv s;
	memset(&s, 0, sizeof s);
	s.loc = x->loc;
	s.port = 1;
	r = conf_parse_name(x, x->f[0].s, x->f[0].len, "service name", &s.name);
	if (r)
		return r;
	/* written without a domain: every label starts with '_' */
	s.relative = true;
	for (size_t i = 0; i < s.name.len && s.name.wire[i];
	     i += (size_t)s.name.wire[i] + 1)
		if (s.name.wire[i + 1] != '_')
			s.relative = false;
	if (x->nf > 1 && x->f[1].len) {
		s.has_target = true;
		r = conf_parse_name(x, x->f[1].s, x->f[1].len, "target", &s.target);
		if (r)
			return r;
	}
	if (x->nf > 2 && (r = u16_field(x, &x->f[2], "port", &s.port)))
		return r;
	if (x->nf > 3 && (r = u16_field(x, &x->f[3], "priority", &s.priority)))
		return r;
	if (x->nf > 4 && (r = u16_field(x, &x->f[4], "weight", &s.weight)))
		return r;
	conf_srv *p = CONF_PUSH(x->c->srv_records);
	if (!p)
		return WARD_ENOMEM;
	*p = s;
	return 0;
}

int conf_opt_mx_host(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	if (x->nf > 3)
		return conf_bad(x, "too many fields (mx-host=NAME[,TARGET]"
		                "[,PREFERENCE])");
	conf_mx m;
	memset(&m, 0, sizeof m);
	m.loc = x->loc;
	m.preference = 1;
	r = conf_parse_name(x, x->f[0].s, x->f[0].len, "name", &m.name);
	if (r)
		return r;
	size_t pi = 0;
	if (x->nf == 2 && conf_is_digits(x->f[1].s, x->f[1].len)) {
		pi = 1;
	} else if (x->nf >= 2) {
		if (x->f[1].len) {
			m.has_target = true;
			r = conf_parse_name(x, x->f[1].s, x->f[1].len, "target",
			                    &m.target);
			if (r)
				return r;
		}
		if (x->nf == 3)
			pi = 2;
	}
	if (pi && (r = u16_field(x, &x->f[pi], "preference", &m.preference)))
		return r;
	conf_mx *p = CONF_PUSH(x->c->mx_records);
	if (!p)
		return WARD_ENOMEM;
	*p = m;
	return 0;
}

int conf_opt_ptr_record(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	if (x->nf == 0)
		return conf_empty_ignored(x);
	if (x->nf > 2)
		return conf_bad(x, "too many fields (ptr-record=NAME[,TARGET])");
	conf_ptr pr;
	memset(&pr, 0, sizeof pr);
	pr.loc = x->loc;
	r = conf_parse_name(x, x->f[0].s, x->f[0].len, "name", &pr.name);
	if (r)
		return r;
	if (x->nf == 2 && x->f[1].len) {
		pr.has_target = true;
		r = conf_parse_name(x, x->f[1].s, x->f[1].len, "target", &pr.target);
		if (r)
			return r;
	}
	conf_ptr *p = CONF_PUSH(x->c->ptr_records);
	if (!p)
		return WARD_ENOMEM;
	*p = pr;
	return 0;
}
