/* ward replay: line reading, tokens, addresses and error messages. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec/error.h"
#include "replay/rpl_int.h"

bool rpl_next_line(rpl_parser *p, rpl_slice *line)
{
	if (p->pos >= p->len)
		return false;
	p->mark_pos = p->pos;
	p->mark_lineno = p->lineno;
	const char *start = p->text + p->pos;
	size_t left = p->len - p->pos;
	const char *nl = memchr(start, '\n', left);
	size_t n = nl ? (size_t)(nl - start) : left;
	p->pos += nl ? n + 1 : n;
	if (n && start[n - 1] == '\r')
		n--;
	p->lineno++;
	line->s = start;
	line->n = n;
	return true;
}

void rpl_unread_line(rpl_parser *p)
{
	p->pos = p->mark_pos;
	p->lineno = p->mark_lineno;
}

int rpl_fail(rpl_parser *p, unsigned line, int code, const char *fmt, ...)
{
	if (p->err && p->err->code == 0) {
		char *msg = p->err->msg;
		size_t cap = sizeof p->err->msg;
		int n = line ? snprintf(msg, cap, "%s:%u: ", p->name, line)
		             : snprintf(msg, cap, "%s: ", p->name);
		size_t at = n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg + at, cap - at, fmt, ap);
		va_end(ap);
		p->err->code = code;
		p->err->line = line;
	}
	return code;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

rpl_slice rpl_trim(rpl_slice s)
{
	while (s.n && is_blank(s.s[0])) {
		s.s++;
		s.n--;
	}
	while (s.n && is_blank(s.s[s.n - 1]))
		s.n--;
	return s;
}

rpl_slice rpl_strip_comment(rpl_slice s, bool hash_too)
{
	for (size_t i = 0; i < s.n; i++) {
		if (s.s[i] == ';' || (hash_too && s.s[i] == '#')) {
			s.n = i;
			break;
		}
	}
	return rpl_trim(s);
}

bool rpl_token(rpl_slice *rest, rpl_slice *tok)
{
	*rest = rpl_trim(*rest);
	if (!rest->n)
		return false;
	size_t i = 0;
	while (i < rest->n && !is_blank(rest->s[i]))
		i++;
	tok->s = rest->s;
	tok->n = i;
	rest->s += i;
	rest->n -= i;
	return true;
}

bool rpl_slice_is(rpl_slice s, const char *word)
{
	size_t n = strlen(word);
	return s.n == n && memcmp(s.s, word, n) == 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

bool rpl_slice_casei(rpl_slice s, const char *word)
{
	size_t n = strlen(word);
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s.s[i]) != lower(word[i]))
			return false;
	return true;
}

bool rpl_slice_prefix(rpl_slice s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.s, prefix, n) == 0;
}

bool rpl_parse_ulong(rpl_slice s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!s.n)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.s[i];
		if (c < '0' || c > '9')
			return false;
		unsigned d = (unsigned)(c - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

const char *rpl_show(rpl_slice s, char *buf, size_t cap)
{
	size_t o = 0, i = 0;
	if (cap < 8)
		return "";
	for (; i < s.n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s.s[i];
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			snprintf(buf + o, cap - o, "\\%03u", c);
			o += 4;
		}
	}
	if (i < s.n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* ---- addresses ---- */

int rpl_addr_parse(const char *s, size_t n, rpl_addr *out)
{
	char ip[64];
	size_t iplen = n;
	unsigned long port = RPL_DNS_PORT;
	const char *at = memchr(s, '@', n);

	memset(out, 0, sizeof *out);
	if (at) {
		iplen = (size_t)(at - s);
		rpl_slice ps = { at + 1, n - iplen - 1 };
		if (!rpl_parse_ulong(ps, 65535, &port))
			return WARD_EADDR;
	}
	if (iplen == 0 || iplen >= sizeof ip)
		return WARD_EADDR;
	memcpy(ip, s, iplen);
	ip[iplen] = '\0';
	if (memchr(ip, '\0', iplen))
		return WARD_EADDR;
	if (inet_pton(AF_INET, ip, out->ip) == 1) {
		out->family = 4;
	} else if (inet_pton(AF_INET6, ip, out->ip) == 1) {
		out->family = 6;
	} else {
		memset(out, 0, sizeof *out);
		return WARD_EADDR;
	}
	out->port = (uint16_t)port;
	return 0;
}

bool rpl_addr_equal(const rpl_addr *a, const rpl_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	size_t n = a->family == 4 ? 4 : a->family == 6 ? 16 : 0;
	return memcmp(a->ip, b->ip, n) == 0;
}

void rpl_addr_to_text(const rpl_addr *a, strbuf *sb)
{
	char buf[INET6_ADDRSTRLEN];
	if (a->family == 4)
		inet_ntop(AF_INET, a->ip, buf, sizeof buf);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->ip, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "(none)");
	strbuf_puts(sb, buf);
	if (a->family && a->port != RPL_DNS_PORT)
		strbuf_printf(sb, "@%u", (unsigned)a->port);
}
