/* ward: parsers of the cache, TTL, logging, process and DNSSEC settings:
 * local-ttl= and the other TTLs, cache-size=, edns-packet-max=,
 * log-queries=, log-facility=, pid-file=, control-socket=, user=, group=,
 * trust-anchor=,
 * dnssec-check-unsigned=. */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

int conf_opt_ttl(conf_ctx *x)
{
	int64_t *field = (int64_t *)(void *)((char *)x->c + x->def->off);
	bool local = x->def->off == offsetof(ward_conf, local_ttl);
	if (x->len == 0) {
		*field = local ? 0 : CONF_UNSET;
		return 0;
	}
	int64_t v;
	int r = conf_parse_ttl(x, x->val, x->len, "TTL", &v);
	if (r)
		return r;
	if (x->def->off == offsetof(ward_conf, min_cache_ttl) &&
	    v > CONF_MIN_CACHE_TTL_MAX) {
		conf_warn(x, "%lld s is above the limit of one hour; using 3600",
		          (long long)v);
		v = CONF_MIN_CACHE_TTL_MAX;
	}
	*field = v;
	return 0;
}

int conf_opt_cache_size(conf_ctx *x)
{
	if (x->len == 0) {
		x->c->cache_size = CONF_DEFAULT_CACHE_SIZE;
		return 0;
	}
	return conf_parse_uint(x, x->val, x->len, 0, INT32_MAX, "cache size",
	                       &x->c->cache_size);
}

int conf_opt_edns_packet_max(conf_ctx *x)
{
	if (x->len == 0) {
		x->c->edns_packet_max = CONF_DEFAULT_EDNS_PACKET_MAX;
		return 0;
	}
	return conf_parse_uint(x, x->val, x->len, 512, 65535, "packet size",
	                       &x->c->edns_packet_max);
}

int conf_opt_log_queries(conf_ctx *x)
{
	if (!x->has_value || x->len == 0)
		x->c->log_queries = CONF_LOG_QUERIES_ON;
	else if (!strcmp(x->val, "extra"))
		x->c->log_queries = CONF_LOG_QUERIES_EXTRA;
	else if (!strcmp(x->val, "proto"))
		x->c->log_queries = CONF_LOG_QUERIES_PROTO;
	else
		return conf_bad(x, "'%s' is not 'extra' or 'proto'",
		                conf_show(x, x->val, x->len));
	return 0;
}

int conf_opt_log_facility(conf_ctx *x)
{
	static const char *const fac[] = {
		"KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS",
		"UUCP", "CRON", "AUTHPRIV", "FTP", "LOCAL0", "LOCAL1", "LOCAL2",
		"LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7",
	};
	if (x->len == 0)
		return conf_bad(x, "needs a syslog facility, '-' or a file name");
	if (memchr(x->val, '/', x->len) || (x->len == 1 && x->val[0] == '-'))
		return conf_parse_path(x, false, &x->c->log_facility);
	for (size_t i = 0; i < sizeof fac / sizeof fac[0]; i++)
		if (!strcasecmp(x->val, fac[i]) && strlen(fac[i]) == x->len)
			return conf_parse_path(x, false, &x->c->log_facility);
	return conf_bad(x, "'%s' is not a syslog facility (DAEMON, LOCAL0.."
	                "LOCAL7, ...), '-' or a file name with a '/'",
	                conf_show(x, x->val, x->len));
}

static int optional_string(conf_ctx *x, const char **out)
{
	if (!x->has_value || x->len == 0) {
		*out = "";
		return 0;
	}
	return conf_parse_path(x, false, out);
}

int conf_opt_pid_file(conf_ctx *x)
{
	return optional_string(x, &x->c->pid_file);
}

/* ward: control-socket=PATH for `ward ctl` (docs/ctl.md); empty: no
 * control socket. An absolute path that fits a unix socket address
 * (sun_path: 108 octets with its NUL). */
int conf_opt_control_socket(conf_ctx *x)
{
	if (!x->has_value || x->len == 0)
		return optional_string(x, &x->c->control_socket);
	if (x->val[0] != '/')
		return conf_bad(x, "'%s' is not an absolute path",
		                conf_show(x, x->val, x->len));
	if (x->len > CONF_CONTROL_SOCKET_MAX)
		return conf_bad(x, "path is %zu octets long; a unix socket path "
		                "holds at most %u", x->len,
		                (unsigned)CONF_CONTROL_SOCKET_MAX);
	for (size_t i = 0; i < x->len; i++) {
		unsigned char ch = (unsigned char)x->val[i];
		if (ch < ' ' || ch == 127)
			return conf_bad(x, "path has a control character");
	}
	return conf_parse_path(x, false, &x->c->control_socket);
}

static int account(conf_ctx *x, const char **out)
{
	for (size_t i = 0; i < x->len; i++) {
		unsigned char ch = (unsigned char)x->val[i];
		if (ch <= ' ' || ch >= 127 || ch == ':' || ch == '/')
			return conf_bad(x, "'%s' is not a valid user or group name",
			                conf_show(x, x->val, x->len));
	}
	return optional_string(x, out);
}

int conf_opt_user(conf_ctx *x)
{
	return account(x, &x->c->user);
}

int conf_opt_group(conf_ctx *x)
{
	return account(x, &x->c->group);
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int conf_opt_trust_anchor(conf_ctx *x)
{
	int r = conf_split(x);
	if (r)
		return r;
	const char *form = "(trust-anchor=DOMAIN[,CLASS],KEYTAG,ALGORITHM,"
	                   "DIGESTTYPE,DIGEST)";
	conf_trust_anchor t;
	memset(&t, 0, sizeof t);
	t.loc = x->loc;
	t.rclass = 1;
	if (x->nf < 5)
		return conf_bad(x, "too few fields %s", form);
	r = conf_parse_name(x, x->f[0].s, x->f[0].len, "domain", &t.name);
	if (r)
		return r;
	size_t i = 1;
	if (!conf_is_digits(x->f[1].s, x->f[1].len)) {
		if (strcasecmp(x->f[1].s, "IN"))
			return conf_bad(x, "class '%s': only IN is supported %s",
			                conf_showf(x, &x->f[1]), form);
		i = 2;
	}
	if (x->nf != i + 4)
		return conf_bad(x, "%s fields %s", x->nf < i + 4 ? "too few" :
		                "too many", form);
	int64_t v;
	if ((r = conf_parse_uint(x, x->f[i].s, x->f[i].len, 0, 65535, "key tag",
	                         &v)))
		return r;
	t.key_tag = (uint16_t)v;
	if ((r = conf_parse_uint(x, x->f[i + 1].s, x->f[i + 1].len, 0, 255,
	                         "algorithm", &v)))
		return r;
	t.algorithm = (uint8_t)v;
	if ((r = conf_parse_uint(x, x->f[i + 2].s, x->f[i + 2].len, 0, 255,
	                         "digest type", &v)))
		return r;
	t.digest_type = (uint8_t)v;
	const conf_field *d = &x->f[i + 3];
	uint8_t *dg = conf_arena_alloc(x->c->arena, d->len / 2 + 1);
	if (!dg)
		return WARD_ENOMEM;
	size_t nd = 0, digits = 0;
	int hi = 0;
	for (size_t k = 0; k < d->len; k++) {
		if (d->s[k] == ' ')
			continue;
		int h = hexv(d->s[k]);
		if (h < 0)
			return conf_bad(x, "digest has the non-hex character '%s'",
			                conf_show(x, d->s + k, 1));
		if (digits++ % 2 == 0) {
			hi = h;
		} else {
			dg[nd++] = (uint8_t)(hi << 4 | h);
		}
	}
	if (digits == 0 || digits % 2)
		return conf_bad(x, "digest has %zu hex digits (an even number is "
		                "needed)", digits);
	size_t want = t.digest_type == 1 ? 20 : t.digest_type == 2 ? 32 :
	              t.digest_type == 3 ? 32 : t.digest_type == 4 ? 48 : 0;
	if (want && nd != want)
		return conf_bad(x, "a digest of type %u has %zu octets, not %zu",
		                t.digest_type, want, nd);
	t.digest = dg;
	t.digest_len = (uint16_t)nd;
	conf_trust_anchor *p = CONF_PUSH(x->c->trust_anchors);
	if (!p)
		return WARD_ENOMEM;
	*p = t;
	return 0;
}

int conf_opt_dnssec_check_unsigned(conf_ctx *x)
{
	if (!x->has_value) {
		x->c->dnssec_check_unsigned = true;
		return 0;
	}
	if (!strcmp(x->val, "no")) {
		x->c->dnssec_check_unsigned = false;
		return 0;
	}
	return conf_bad(x, "'%s': the only value is 'no'",
	                conf_show(x, x->val, x->len));
}
