/* ward: building blocks of the configuration parser: the arena, lists,
 * and the value parsers every option shares (numbers, TTLs, lease times,
 * addresses, networks, names, hardware addresses, tags). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdalign.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base.h"
#include "conf_int.h"
#include "name.h"

/* ---- arena ---- */

#define ARENA_BLOCK (64u * 1024u)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

struct conf_arena {
	struct arena_block *head;
};

conf_arena *conf_arena_new(void)
{
	return calloc(1, sizeof(conf_arena));
}

void conf_arena_free(conf_arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *conf_arena_alloc(conf_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	struct arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
		struct arena_block *nb = malloc(sizeof *nb + cap);
		if (!nb)
			return NULL;
		nb->used = 0;
		nb->cap = cap;
		if (cap == n && b) {
			/* a big one: keep filling the current block afterwards */
			nb->next = b->next;
			b->next = nb;
			nb->used = n;
			memset(nb->data, 0, n);
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *conf_arena_strndup(conf_arena *a, const char *s, size_t n)
{
	char *p = conf_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void *conf_arena_memdup(conf_arena *a, const void *p, size_t n)
{
	void *d = conf_arena_alloc(a, n);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

void *conf_list_push(void *arrp, size_t *n, size_t *cap, size_t elem)
{
	void *v;
	memcpy(&v, arrp, sizeof v);
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		if (ncap > SIZE_MAX / elem)
			return NULL;
		void *nv = realloc(v, ncap * elem);
		if (!nv)
			return NULL;
		v = nv;
		*cap = ncap;
		memcpy(arrp, &v, sizeof v);
	}
	unsigned char *e = (unsigned char *)v + *n * elem;
	memset(e, 0, elem);
	(*n)++;
	return e;
}

int conf_empty_ignored(conf_ctx *x)
{
	conf_warn(x, "empty value; ignored");
	return 0;
}

/* ---- numbers ---- */

bool conf_is_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int conf_parse_uint(conf_ctx *x, const char *s, size_t n, int64_t lo,
                    int64_t hi, const char *what, int64_t *out)
{
	if (n == 0)
		return conf_bad(x, "%s is empty", what);
	if (!conf_is_digits(s, n))
		return conf_bad(x, "%s '%s' is not a decimal number", what,
		                conf_show(x, s, n));
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > hi)
			return conf_bad(x, "%s %s is out of range (%lld..%lld)", what,
			                conf_show(x, s, n), (long long)lo,
			                (long long)hi);
	}
	if (v < lo)
		return conf_bad(x, "%s %s is out of range (%lld..%lld)", what,
		                conf_show(x, s, n), (long long)lo, (long long)hi);
	*out = v;
	return 0;
}

int conf_parse_ttl(conf_ctx *x, const char *s, size_t n, const char *what,
                   int64_t *out)
{
	return conf_parse_uint(x, s, n, 0, CONF_TTL_MAX, what, out);
}

int conf_parse_lease(conf_ctx *x, const char *s, size_t n, uint32_t *out)
{
	if (n == 8 && !strncasecmp(s, "infinite", 8)) {
		*out = CONF_LEASE_INFINITE;
		return 1;
	}
	size_t digits = 0;
	while (digits < n && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (digits == 0 || n - digits > 1)
		return 0;
	uint64_t mult = 1;
	if (n - digits == 1) {
		switch (tolower((unsigned char)s[digits])) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 604800; break;
		default: return 0;
		}
	}
	uint64_t v = 0;
	for (size_t i = 0; i < digits; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > UINT32_MAX)
			break;
	}
	v *= mult;
	if (v >= CONF_LEASE_INFINITE)
		return conf_bad(x, "lease time %s is too long (the most is "
		                "4294967294 seconds; use 'infinite')",
		                conf_show(x, s, n));
	*out = (uint32_t)v;
	return 1;
}

uint32_t conf_lease_clamp(conf_ctx *x, uint32_t secs)
{
	if (secs < CONF_LEASE_MIN) {
		conf_warn(x, "lease time %u s is below the minimum of 2 minutes; "
		          "using 120 s", secs);
		return CONF_LEASE_MIN;
	}
	return secs;
}

/* ---- addresses ---- */

bool conf_looks_ipv4(const char *s, size_t n)
{
	bool dot = false;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			dot = true;
		else if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return dot;
}

bool conf_ipv4_from_text(const char *s, size_t n, uint32_t *host_order)
{
	uint32_t v = 0;
	unsigned parts = 0;
	size_t i = 0;
	while (parts < 4) {
		size_t st = i;
		unsigned part = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 3) {
			part = part * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == st || part > 255)
			return false;
		if (i - st > 1 && s[st] == '0')
			return false; /* no octal-looking "010" */
		v = (v << 8) | part;
		parts++;
		if (parts < 4) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	if (i != n)
		return false;
	*host_order = v;
	return true;
}

int conf_ip_from_text(conf_arena *a, const char *s, size_t n, bool allow_zone,
                      conf_ip *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	memset(out, 0, sizeof *out);
	uint32_t v4;
	if (conf_ipv4_from_text(s, n, &v4)) {
		out->family = AF_INET;
		out->addr[0] = (uint8_t)(v4 >> 24);
		out->addr[1] = (uint8_t)(v4 >> 16);
		out->addr[2] = (uint8_t)(v4 >> 8);
		out->addr[3] = (uint8_t)v4;
		return 0;
	}
	size_t alen = n;
	const char *pct = memchr(s, '%', n);
	if (pct) {
		if (!allow_zone)
			return WARD_EADDR;
		alen = (size_t)(pct - s);
		size_t zlen = n - alen - 1;
		if (zlen == 0 || zlen > 15)
			return WARD_EADDR;
	}
	if (alen == 0 || alen >= sizeof buf || !memchr(s, ':', alen))
		return WARD_EADDR;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET6, buf, out->addr) != 1)
		return WARD_EADDR;
	out->family = AF_INET6;
	if (pct) {
		out->zone = conf_arena_strndup(a, pct + 1, n - alen - 1);
		if (!out->zone)
			return WARD_ENOMEM;
	}
	return 0;
}

int conf_parse_ip(conf_ctx *x, const char *s, size_t n, bool allow_zone,
                  const char *what, conf_ip *out)
{
	int r = conf_ip_from_text(x->c->arena, s, n, allow_zone, out);
	if (r == WARD_ENOMEM)
		return r;
	if (r) {
		if (n == 0)
			return conf_bad(x, "%s is missing", what);
		if (!allow_zone && memchr(s, '%', n) && memchr(s, ':', n))
			return conf_bad(x, "%s '%s': an interface scope (%%) is not "
			                "allowed here", what, conf_show(x, s, n));
		return conf_bad(x, "%s '%s' is not an IPv4 or IPv6 address", what,
		                conf_show(x, s, n));
	}
	return 0;
}

int conf_parse_ipv4(conf_ctx *x, const char *s, size_t n, const char *what,
                    uint32_t *out)
{
	if (n == 0)
		return conf_bad(x, "%s is missing", what);
	if (!conf_ipv4_from_text(s, n, out))
		return conf_bad(x, "%s '%s' is not an IPv4 address", what,
		                conf_show(x, s, n));
	return 0;
}

int conf_parse_cidr(conf_ctx *x, const char *s, size_t n, bool need_prefix,
                    conf_ip *ip, uint8_t *prefix)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	int r = conf_parse_ip(x, s, alen, false, "network address", ip);
	if (r)
		return r;
	unsigned max = ip->family == AF_INET ? 32 : 128;
	if (!slash) {
		if (need_prefix)
			return conf_bad(x, "'%s' needs a prefix length (ADDRESS/LENGTH)",
			                conf_show(x, s, n));
		*prefix = (uint8_t)max;
		return 0;
	}
	int64_t p;
	r = conf_parse_uint(x, slash + 1, n - alen - 1, 1, max, "prefix length",
	                    &p);
	if (r)
		return r;
	*prefix = (uint8_t)p;
	return 0;
}

int conf_mask_prefix(uint32_t mask)
{
	int p = 0;
	while (p < 32 && (mask & (0x80000000u >> p)))
		p++;
	if (p < 32 && (mask << p) != 0)
		return -1;
	return p;
}

int conf_parse_port(conf_ctx *x, const char *s, size_t n, int64_t lo,
                    uint16_t *out)
{
	int64_t v;
	int r = conf_parse_uint(x, s, n, lo, 65535, "port", &v);
	if (r)
		return r;
	*out = (uint16_t)v;
	return 0;
}

/* ---- names ---- */

int conf_parse_name(conf_ctx *x, const char *s, size_t n, const char *what,
                    conf_name *out)
{
	dns_name root, name;
	dns_name_root(&root);
	if (n == 0)
		return conf_bad(x, "%s is missing", what);
	int r = dns_name_from_text(&name, s, n, &root);
	if (r || (n == 1 && s[0] == '@'))
		return conf_bad(x, "%s '%s' is not a valid domain name (%s)", what,
		                conf_show(x, s, n),
		                r ? ward_strerror(r) : "'@' has no meaning here");
	out->wire = conf_arena_memdup(x->c->arena, name.wire, name.len);
	if (!out->wire)
		return WARD_ENOMEM;
	out->len = name.len;
	return 0;
}

void conf_name_get(const conf_name *n, dns_name *out)
{
	if (!n->len || dns_name_from_wire(out, n->wire, n->len) != 0)
		dns_name_root(out);
}

int conf_parse_hostname(conf_ctx *x, const char *s, size_t n,
                        const char **out)
{
	if (n == 0)
		return conf_bad(x, "host name is empty");
	if (n > 253)
		return conf_bad(x, "host name '%s' is longer than 253 characters",
		                conf_show(x, s, n));
	size_t lab = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (lab == 0)
				return conf_bad(x, "host name '%s' has an empty label",
				                conf_show(x, s, n));
			if (lab > 63)
				return conf_bad(x, "host name '%s' has a label longer "
				                "than 63 characters", conf_show(x, s, n));
			if (i < n && i + 1 == n)
				break; /* one trailing dot is fine */
			lab = 0;
			continue;
		}
		unsigned char ch = (unsigned char)s[i];
		if (!isalnum(ch) && ch != '-' && ch != '_')
			return conf_bad(x, "host name '%s' has the character '%s' "
			                "(letters, digits, '-' and '_' only)",
			                conf_show(x, s, n), conf_show(x, s + i, 1));
		if (lab == 0 && ch == '-')
			return conf_bad(x, "host name '%s' has a label starting "
			                "with '-'", conf_show(x, s, n));
		lab++;
	}
	*out = conf_arena_strndup(x->c->arena, s, n);
	return *out ? 0 : WARD_ENOMEM;
}

int conf_parse_iface(conf_ctx *x, const char *s, size_t n, bool wildcard,
                     const char **out)
{
	if (n == 0)
		return conf_bad(x, "interface name is empty");
	if (n > 15)
		return conf_bad(x, "interface name '%s' is longer than 15 "
		                "characters", conf_show(x, s, n));
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ' || ch == '/' || ch >= 127 ||
		    (ch == '*' && (!wildcard || i + 1 != n)))
			return conf_bad(x, "interface name '%s' has the character "
			                "'%s'%s", conf_show(x, s, n),
			                conf_show(x, s + i, 1),
			                ch == '*' ? " (a wildcard '*' only at the end)"
			                          : "");
	}
	*out = conf_arena_strndup(x->c->arena, s, n);
	return *out ? 0 : WARD_ENOMEM;
}

/* ---- hex and hardware addresses ---- */

int conf_hex_bytes(const char *s, size_t n, uint8_t *out, size_t cap,
                   uint8_t *wild)
{
	size_t len = 0;
	if (n == 0)
		return -1;
	if (!memchr(s, ':', n)) {
		/* "01020a": an even number of hex digits */
		if (n % 2)
			return -1;
		for (size_t i = 0; i < n; i += 2) {
			int a = hex_digit_value(s[i]), b = hex_digit_value(s[i + 1]);
			if (a < 0 || b < 0 || len >= cap)
				return -1;
			if (wild)
				wild[len] = 0;
			out[len++] = (uint8_t)(a << 4 | b);
		}
		return (int)len;
	}
	size_t i = 0;
	for (;;) {
		size_t st = i;
		while (i < n && s[i] != ':')
			i++;
		size_t pl = i - st;
		if (len >= cap)
			return -1;
		if (pl == 1 && s[st] == '*' && wild) {
			wild[len] = 1;
			out[len++] = 0;
		} else if (pl == 1 || pl == 2) {
			int a = hex_digit_value(s[st]);
			int b = pl == 2 ? hex_digit_value(s[st + 1]) : 0;
			if (a < 0 || b < 0)
				return -1;
			if (wild)
				wild[len] = 0;
			out[len++] = (uint8_t)(pl == 2 ? (a << 4 | b) : a);
		} else {
			return -1;
		}
		if (i == n)
			break;
		i++; /* ':' */
		if (i == n)
			return -1; /* trailing ':' */
	}
	return (int)len;
}

int conf_parse_hwaddr(conf_ctx *x, const char *s, size_t n, bool wildcards,
                      conf_hwaddr *out)
{
	memset(out, 0, sizeof *out);
	out->htype = -1;
	if (!memchr(s, ':', n))
		return 0;
	const char *p = s;
	size_t len = n;
	/* "06-00:20:..": an ARP hardware type in hex, then '-' */
	const char *dash = memchr(s, '-', n);
	if (dash) {
		const char *colon = memchr(s, ':', n);
		size_t tl = (size_t)(dash - s);
		if (dash > colon || tl == 0 || tl > 2 || hex_digit_value(s[0]) < 0 ||
		    (tl == 2 && hex_digit_value(s[1]) < 0))
			return conf_bad(x, "hardware address '%s' is malformed "
			                "(write [TYPE-]HH:HH:HH:HH:HH:HH)",
			                conf_show(x, s, n));
		out->htype = (int16_t)(tl == 2 ? hex_digit_value(s[0]) << 4 | hex_digit_value(s[1])
		                               : hex_digit_value(s[0]));
		p = dash + 1;
		len = n - tl - 1;
	}
	uint8_t wild[16];
	int r = conf_hex_bytes(p, len, out->addr, sizeof out->addr,
	                       wildcards ? wild : NULL);
	if (r < 1 || !memchr(p, ':', len))
		return conf_bad(x, "hardware address '%s' is malformed (hex "
		                "bytes separated by ':'%s, at most 16)",
		                conf_show(x, s, n), wildcards ? ", '*' for any" : "");
	out->len = (uint8_t)r;
	if (wildcards)
		for (int i = 0; i < r; i++)
			if (wild[i])
				out->wildcard |= (uint16_t)(1u << i);
	return 1;
}

/* ---- tags ---- */

int conf_check_tag_name(conf_ctx *x, const char *s, size_t n, bool wildcard)
{
	if (n == 0)
		return conf_bad(x, "tag name is empty");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.')
			continue;
		if (ch == '*' && wildcard)
			continue;
		return conf_bad(x, "tag name '%s' has the character '%s'",
		                conf_show(x, s, n), conf_show(x, s + i, 1));
	}
	return 0;
}

bool conf_field_has_prefix(const conf_field *f, const char *p)
{
	size_t n = strlen(p);
	if (f->len < n || strncmp(f->s, p, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (f->q[i] & CONF_Q_CHAR)
			return false; /* "tag:x" in quotes is just text */
	return true;
}

int conf_parse_tag_match(conf_ctx *x, const conf_field *f, bool wildcard,
                         conf_tag *t)
{
	size_t skip;
	if (conf_field_has_prefix(f, "tag:"))
		skip = 4;
	else if (conf_field_has_prefix(f, "net:"))
		skip = 4;
	else
		return 0;
	const char *s = f->s + skip;
	size_t n = f->len - skip;
	t->negate = false;
	if (n && (s[0] == '!' || s[0] == '#')) {
		t->negate = true;
		s++;
		n--;
	}
	int r = conf_check_tag_name(x, s, n, wildcard);
	if (r)
		return r;
	t->name = conf_arena_strndup(x->c->arena, s, n);
	return t->name ? 1 : WARD_ENOMEM;
}

int conf_parse_tag_set(conf_ctx *x, const conf_field *f, bool net_is_set,
                       const char **name)
{
	size_t skip;
	if (conf_field_has_prefix(f, "set:"))
		skip = 4;
	else if (net_is_set && conf_field_has_prefix(f, "net:"))
		skip = 4;
	else
		return 0;
	int r = conf_check_tag_name(x, f->s + skip, f->len - skip, false);
	if (r)
		return r;
	*name = conf_arena_strndup(x->c->arena, f->s + skip, f->len - skip);
	return *name ? 1 : WARD_ENOMEM;
}

int conf_tags_store(conf_ctx *x, const conf_tag *t, size_t n, conf_tags *out)
{
	out->n = n;
	out->v = NULL;
	if (!n)
		return 0;
	out->v = conf_arena_memdup(x->c->arena, t, n * sizeof *t);
	return out->v ? 0 : WARD_ENOMEM;
}

/* ---- paths ---- */

int conf_parse_path(conf_ctx *x, bool allow_empty, const char **out)
{
	if (x->len == 0 && !allow_empty)
		return conf_bad(x, "file name is empty");
	if (memchr(x->val, '\0', x->len))
		return conf_bad(x, "file name has a NUL byte");
	*out = conf_arena_strndup(x->c->arena, x->val, x->len);
	return *out ? 0 : WARD_ENOMEM;
}
