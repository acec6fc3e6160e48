/* ward: presentation-format primitives shared by the rdata text files:
 * the token lexer, <character-string> escapes, IPv4/IPv6 text, decimal
 * numbers (RFC 1035 §5.1, RFC 4291 §2.2, RFC 5952). */
#include <string.h>

#include "base.h"
#include "error.h"
#include "rdata_desc.h"
#include "rdata_text_int.h"

/* ------------------------------------------------------------------ */
/* tokens                                                              */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void rdf_lex_skip_blanks(struct rdf_lex *lx)
{
	while (lx->pos < lx->n && is_blank(lx->s[lx->pos]))
		lx->pos++;
}

bool rdf_lex_at_end(struct rdf_lex *lx)
{
	rdf_lex_skip_blanks(lx);
	return lx->pos >= lx->n;
}

/* Next token: 1 and *t, 0 at the end, or WARD_EQUOTE / WARD_ESYNTAX.
 * A backslash protects the next character (so "a\ b" is one token); the
 * escapes themselves are decoded by whoever uses the token. */
int rdf_lex_next(struct rdf_lex *lx, struct rdf_tok *t)
{
	if (rdf_lex_at_end(lx))
		return 0;
	const char *s = lx->s;
	size_t i = lx->pos;
	if (s[i] == '"') {
		size_t start = ++i;
		while (i < lx->n && s[i] != '"')
			i += (s[i] == '\\' && i + 1 < lx->n) ? 2 : 1;
		if (i >= lx->n)
			return WARD_EQUOTE;
		t->p = s + start;
		t->n = i - start;
		t->quoted = true;
		i++; /* closing quote */
		/* "a""b" is two strings (as ldns and BIND read it); "a"b is
		 * an error */
		if (i < lx->n && !is_blank(s[i]) && s[i] != '"')
			return WARD_ESYNTAX;
		lx->pos = i;
		return 1;
	}
	size_t start = i;
	while (i < lx->n && !is_blank(s[i]))
		i += (s[i] == '\\' && i + 1 < lx->n) ? 2 : 1;
	t->p = s + start;
	t->n = i - start;
	t->quoted = false;
	lx->pos = i;
	return 1;
}

/* The next token, which must exist: WARD_EMISSING otherwise. */
int rdf_lex_need(struct rdf_lex *lx, struct rdf_tok *t)
{
	int r = rdf_lex_next(lx, t);
	return r == 0 ? WARD_EMISSING : (r < 0 ? r : 0);
}

/* A bare word (numbers, mnemonics, addresses): not quoted. */
int rdf_lex_word(struct rdf_lex *lx, struct rdf_tok *t)
{
	int r = rdf_lex_need(lx, t);
	if (r < 0)
		return r;
	return t->quoted ? WARD_ESYNTAX : 0;
}


/* The rest of the line (after blanks) as one run, for base64 / hex. */
void rdf_lex_rest(struct rdf_lex *lx, const char **p, size_t *n)
{
	rdf_lex_skip_blanks(lx);
	*p = lx->s + lx->pos;
	*n = lx->n - lx->pos;
	lx->pos = lx->n;
}

/* ------------------------------------------------------------------ */
/* shared helpers (declared in rdata_desc.h)                           */

int rdf_unescape(const char *s, size_t n, uint8_t *out, size_t cap,
                 size_t *outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		uint8_t v;
		if (s[i] == '\\') {
			if (i + 1 >= n)
				return WARD_EESCAPE;
			char c1 = s[i + 1];
			if (c1 >= '0' && c1 <= '9') {
				if (i + 3 >= n)
					return WARD_EESCAPE;
				char c2 = s[i + 2], c3 = s[i + 3];
				if (c2 < '0' || c2 > '9' || c3 < '0' || c3 > '9')
					return WARD_EESCAPE;
				int val = (c1 - '0') * 100 + (c2 - '0') * 10 + (c3 - '0');
				if (val > 255)
					return WARD_EESCAPE;
				v = (uint8_t)val;
				i += 4;
			} else {
				v = (uint8_t)c1;
				i += 2;
			}
		} else {
			v = (uint8_t)s[i++];
		}
		if (o >= cap)
			return WARD_ESTRLEN;
		out[o++] = v;
	}
	*outlen = o;
	return 0;
}

void rdf_put_quoted(strbuf *sb, const uint8_t *p, size_t n)
{
	strbuf_putc(sb, '"');
	for (size_t i = 0; i < n && !sb->err; i++) {
		uint8_t c = p[i];
		if (c == '"' || c == '\\') {
			char two[2] = { '\\', (char)c };
			strbuf_putn(sb, two, 2);
		} else if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			strbuf_putc(sb, (char)c);
		} else {
			strbuf_printf(sb, "\\%03u", c);
		}
	}
	strbuf_putc(sb, '"');
}

void rdf_put_ipv4(strbuf *sb, const uint8_t p[4])
{
	strbuf_printf(sb, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

/* RFC 5952 §4: lowercase, no leading zeros, the longest run (first one on
 * a tie) of two or more zero groups as "::". Like glibc's inet_ntop (and so
 * ldns), an address whose first 96 bits are zero or that is IPv4-mapped is
 * printed with a dotted quad (::1.2.3.4, ::ffff:1.2.3.4); :: and ::1 not. */
void rdf_put_ipv6(strbuf *sb, const uint8_t p[16])
{
	unsigned g[8];
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8; i++)
		g[i] = ((unsigned)p[2 * i] << 8) | p[2 * i + 1];
	for (int i = 0; i < 8;) {
		if (g[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}
	if (bestlen < 2)
		best = -1;
	bool v4 = best == 0 && (bestlen == 6 || (bestlen == 5 && g[5] == 0xffff));
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			strbuf_putc(sb, ':');
			if (i == 0)
				strbuf_putc(sb, ':');
			i += bestlen - 1;
			continue;
		}
		if (v4 && i == 6) {
			rdf_put_ipv4(sb, p + 12);
			break;
		}
		strbuf_printf(sb, "%x", g[i]);
		if (i < 7)
			strbuf_putc(sb, ':');
	}
}

/* Dotted quad, exactly four decimal parts 0..255, no leading zeros (as
 * inet_pton: "010.1.1.1" could mean octal elsewhere, so it is refused). */
int rdf_parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= n || s[i] != '.')
				return WARD_EADDR;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		size_t len = i - start;
		if (len == 0 || len > 3 || v > 255 || (len > 1 && s[start] == '0'))
			return WARD_EADDR;
		out[part] = (uint8_t)v;
	}
	return i == n ? 0 : WARD_EADDR;
}

/* RFC 4291 §2.2 text forms: eight groups of 1-4 hex digits, at most one
 * "::", optionally ending in a dotted quad worth two groups. */
int rdf_parse_ipv6(const char *s, size_t n, uint8_t out[16])
{
	uint16_t g[8];
	int ng = 0;          /* groups parsed */
	int gap = -1;        /* index where "::" stands */
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (n >= 1 && s[0] == ':') {
		return WARD_EADDR;
	}
	while (i < n) {
		if (ng >= 8)
			return WARD_EADDR;
		/* a dotted quad may end the address */
		size_t j = i;
		while (j < n && s[j] != ':' && s[j] != '.')
			j++;
		if (j < n && s[j] == '.') {
			uint8_t v4[4];
			if (ng > 6 || rdf_parse_ipv4(s + i, n - i, v4) < 0)
				return WARD_EADDR;
			g[ng++] = (uint16_t)((v4[0] << 8) | v4[1]);
			g[ng++] = (uint16_t)((v4[2] << 8) | v4[3]);
			i = n;
			break;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < n && hex_digit_value(s[i]) >= 0 && i - start < 5) {
			v = (v << 4) | (unsigned)hex_digit_value(s[i]);
			i++;
		}
		if (i == start || i - start > 4)
			return WARD_EADDR;
		g[ng++] = (uint16_t)v;
		if (i == n)
			break;
		if (s[i] != ':')
			return WARD_EADDR;
		i++;
		if (i < n && s[i] == ':') {
			if (gap >= 0)
				return WARD_EADDR; /* a second "::" */
			gap = ng;
			i++;
		} else if (i == n) {
			return WARD_EADDR; /* trailing single ':' */
		}
	}
	if (gap < 0 && ng != 8)
		return WARD_EADDR;
	if (gap >= 0 && ng > 7)
		return WARD_EADDR; /* "::" must stand for at least one group */
	int fill = 8 - ng;
	int k = 0;
	for (int x = 0; x < ng; x++) {
		if (x == gap)
			for (int z = 0; z < fill; z++)
				out[2 * k] = out[2 * k + 1] = 0, k++;
		out[2 * k] = (uint8_t)(g[x] >> 8);
		out[2 * k + 1] = (uint8_t)g[x];
		k++;
	}
	if (gap == ng)
		for (int z = 0; z < fill; z++)
			out[2 * k] = out[2 * k + 1] = 0, k++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* numbers                                                             */


int rdf_parse_uint(const struct rdf_tok *t, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (t->quoted || t->n == 0)
		return WARD_ESYNTAX;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->p[i];
		if (c < '0' || c > '9')
			return WARD_ESYNTAX;
		v = v * 10 + (uint64_t)(c - '0');
		if (v > max)
			return WARD_ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}
