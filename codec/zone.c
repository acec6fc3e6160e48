/* ward: zone-file parser (RFC 1035 §5.1, RFC 2308 $TTL). See zone.h.
 *
 * Two steps per entry: read_entry() joins one logical entry (a directive or a
 * record, possibly spanning lines in parentheses) into p->buf with comments
 * and parentheses removed and blanks outside quotes turned into spaces;
 * then do_directive() or parse_record() splits it into fields. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "zone.h"

#define SHOW_MAX 48     /* characters of an offending token shown in messages */
#define SHOW_BUF 256

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* blanks that separate fields; '\n' ends a line and is handled apart */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static bool word_is(const char *s, size_t n, const char *word)
{
	size_t wn = strlen(word);
	if (n != wn)
		return false;
	for (size_t i = 0; i < n; i++)
		if (upper(s[i]) != word[i])
			return false;
	return true;
}

/* An untrusted token made safe (and short) for a message: printable ASCII
 * as it is (the text as the user wrote it), anything else as \DDD. */
static const char *show(const char *s, size_t n, char out[SHOW_BUF])
{
	strbuf sb = strbuf_init(out, SHOW_BUF);
	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f)
			strbuf_putc(&sb, (char)c);
		else
			strbuf_printf(&sb, "\\%03u", c);
	}
	if (n > SHOW_MAX)
		strbuf_puts(&sb, "...");
	return out;
}

static int zfail(zone_parser *p, unsigned line, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record an error as "file:line: message" and return err. */
static int zfail(zone_parser *p, unsigned line, int err, const char *fmt, ...)
{
	strbuf sb = strbuf_init(p->errmsg, sizeof p->errmsg);
	strbuf_printf(&sb, "%s:%u: ", p->filename ? p->filename : "<input>",
	              line);
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof p->errmsg - sb.len;
	if (!sb.err && room > 1)
		vsnprintf(p->errmsg + sb.len, room, fmt, ap);
	va_end(ap);
	p->line = line;
	return err;
}

void zone_parser_init(zone_parser *p, const char *text, size_t len,
                      const dns_name *origin, int64_t default_ttl,
                      const char *filename)
{
	memset(p, 0, sizeof *p);
	p->text = text ? text : "";
	p->len = text ? len : 0;
	p->filename = filename;
	p->cur_line = 1;
	if (origin) {
		p->origin = *origin;
		p->have_origin = true;
	}
	if (default_ttl < 0)
		p->ttl_default = -1;
	else
		p->ttl_default = default_ttl > (int64_t)UINT32_MAX ?
		                 (int64_t)UINT32_MAX : default_ttl;
	p->ttl_last = -1;
	p->class_last = DNS_C_IN;
}

void zone_parser_set_line(zone_parser *p, unsigned line)
{
	p->cur_line = line ? line : 1;
}

void zone_parser_allow_include(zone_parser *p, zone_include_fn fn, void *ctx)
{
	p->include_fn = fn;
	p->include_ctx = ctx;
}

void zone_parser_free(zone_parser *p)
{
	if (p->child) {
		zone_parser_free(p->child);
		free(p->child);
		p->child = NULL;
	}
	free(p->buf);
	p->buf = NULL;
	p->buf_len = p->buf_cap = 0;
	free(p->owned_text);
	p->owned_text = NULL;
	free(p->owned_name);
	p->owned_name = NULL;
}

int zone_ttl_from_text(const char *s, size_t n, uint32_t *out)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;

	if (n == 0)
		return WARD_ESYNTAX;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		uint64_t mult;
		if (is_digit(c)) {
			cur = cur * 10 + (uint64_t)(c - '0');
			if (cur > UINT32_MAX)
				return WARD_ERANGE;
			digits = true;
			continue;
		}
		switch (upper(c)) {
		case 'S': mult = 1; break;
		case 'M': mult = 60; break;
		case 'H': mult = 3600; break;
		case 'D': mult = 86400; break;
		case 'W': mult = 604800; break;
		default: return WARD_ESYNTAX;
		}
		if (!digits)
			return WARD_ESYNTAX;
		total += cur * mult;
		if (total > UINT32_MAX)
			return WARD_ERANGE;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		if (units)
			return WARD_ESYNTAX; /* "1h30": BIND wants a unit on each */
		total = cur;
	}
	*out = (uint32_t)total;
	return 0;
}

/* ---- step 1: one logical entry into p->buf ---- */

static int buf_put(zone_parser *p, char c)
{
	if (p->buf_len + 2 > p->buf_cap) {
		if (p->buf_cap >= (size_t)ZONE_RECORD_TEXT_MAX + 2)
			return WARD_ELIMIT;
		size_t ncap = p->buf_cap ? p->buf_cap * 2 : 256;
		if (ncap > (size_t)ZONE_RECORD_TEXT_MAX + 2)
			ncap = (size_t)ZONE_RECORD_TEXT_MAX + 2;
		char *nb = realloc(p->buf, ncap);
		if (!nb)
			return WARD_ENOMEM;
		p->buf = nb;
		p->buf_cap = ncap;
	}
	p->buf[p->buf_len++] = c;
	return 0;
}

/* State of one read_entry() call: keeps the first error only. */
struct entry_scan {
	int err;
	bool full;          /* stop appending (too long / no memory) */
};

static void scan_fail(zone_parser *p, struct entry_scan *es, unsigned line,
                      int err, const char *what)
{
	if (!es->err)
		es->err = zfail(p, line, err, "%s", what);
}

static void scan_put(zone_parser *p, struct entry_scan *es, char c)
{
	if (es->full)
		return;
	int r = buf_put(p, c);
	if (r < 0) {
		es->full = true;
		scan_fail(p, es, p->cur_line, r, r == WARD_ELIMIT ?
		          "record text too long" : "out of memory");
	}
}

/* Read the next non-empty entry. Returns 1 (p->buf holds it, NUL-terminated,
 * p->line is its first line, *lead tells whether it began with a blank), 0 at
 * the end of input, or a negative error after consuming the whole entry. */
static int read_entry(zone_parser *p, bool *lead)
{
	const char *t = p->text;

	while (p->pos < p->len) {
		struct entry_scan es = { 0, false };
		unsigned paren_line = 0;
		unsigned depth = 0;
		bool in_quote = false;
		bool nonblank = false;

		p->buf_len = 0;
		p->line = p->cur_line;
		*lead = is_blank(t[p->pos]);
		while (p->pos < p->len) {
			char c = t[p->pos];
			if (c == '\n') {
				if (in_quote) {
					scan_fail(p, &es, p->cur_line, WARD_EQUOTE,
					          "unterminated quoted string");
					in_quote = false;
				}
				p->pos++;
				p->cur_line++;
				if (depth == 0)
					break;
				scan_put(p, &es, ' ');
				continue;
			}
			if (c == '\0') {
				scan_fail(p, &es, p->cur_line, WARD_ESYNTAX,
				          "NUL byte in the text");
				p->pos++;
				continue;
			}
			if (c == '\\') {
				if (p->pos + 1 >= p->len || t[p->pos + 1] == '\n' ||
				    t[p->pos + 1] == '\0') {
					scan_fail(p, &es, p->cur_line, WARD_EESCAPE,
					          "backslash at the end of a line");
					p->pos++;
					continue;
				}
				scan_put(p, &es, c);
				scan_put(p, &es, t[p->pos + 1]);
				nonblank = true;
				p->pos += 2;
				continue;
			}
			p->pos++;
			if (in_quote) {
				if (c == '"')
					in_quote = false;
				scan_put(p, &es, c);
				continue;
			}
			switch (c) {
			case '"':
				in_quote = true;
				nonblank = true;
				scan_put(p, &es, c);
				break;
			case ';':
				while (p->pos < p->len && t[p->pos] != '\n')
					p->pos++;
				break;
			case '(':
				if (depth++ == 0)
					paren_line = p->cur_line;
				scan_put(p, &es, ' ');
				break;
			case ')':
				if (depth == 0)
					scan_fail(p, &es, p->cur_line, WARD_EPAREN,
					          "')' without '('");
				else
					depth--;
				scan_put(p, &es, ' ');
				break;
			default:
				if (is_blank(c)) {
					scan_put(p, &es, ' ');
				} else {
					nonblank = true;
					scan_put(p, &es, c);
				}
			}
		}
		if (in_quote)
			scan_fail(p, &es, p->cur_line, WARD_EQUOTE,
			          "unterminated quoted string");
		if (depth > 0 && !es.err)
			es.err = zfail(p, paren_line, WARD_EPAREN,
			               "'(' is never closed");
		if (es.err)
			return es.err;
		if (!nonblank)
			continue;
		p->buf[p->buf_len] = '\0'; /* buf_put() keeps room for it */
		return 1;
	}
	return 0;
}

/* ---- step 2: fields of the joined entry ---- */

typedef struct tok {
	const char *s;
	size_t n;
} tok;

/* Next space-separated field of p->buf from *i (quotes and escapes kept). */
static bool next_tok(const zone_parser *p, size_t *i, tok *t)
{
	const char *b = p->buf;
	size_t n = p->buf_len;
	bool in_quote = false;

	while (*i < n && b[*i] == ' ')
		(*i)++;
	if (*i >= n)
		return false;
	t->s = b + *i;
	while (*i < n) {
		char c = b[*i];
		if (c == '\\' && *i + 1 < n) {
			*i += 2;
			continue;
		}
		if (c == '"')
			in_quote = !in_quote;
		else if (c == ' ' && !in_quote)
			break;
		(*i)++;
	}
	t->n = (size_t)(b + *i - t->s);
	return true;
}

/* The rest of the entry after *i, without the blanks around it (a trailing
 * escaped space "\ " is kept). */
static tok rest_of(const zone_parser *p, size_t i)
{
	const char *b = p->buf;
	size_t e = p->buf_len;
	tok t;

	while (i < e && b[i] == ' ')
		i++;
	while (e > i && b[e - 1] == ' ') {
		size_t bs = 0;
		while (e - 1 - bs > i && b[e - 2 - bs] == '\\')
			bs++;
		if (bs % 2)
			break;
		e--;
	}
	t.s = b + i;
	t.n = e - i;
	return t;
}

static const dns_name *cur_origin(const zone_parser *p)
{
	return p->have_origin ? &p->origin : NULL;
}

static int include_file(zone_parser *p, const tok *file, const tok *origin)
{
	char show_buf[SHOW_BUF];
	dns_name org;

	if (!p->include_fn)
		return zfail(p, p->line, WARD_ENOTSUP,
		             "$INCLUDE is not enabled here");
	if (p->depth + 1 >= ZONE_INCLUDE_MAX_DEPTH)
		return zfail(p, p->line, WARD_ELIMIT,
		             "$INCLUDE nested more than %d deep",
		             ZONE_INCLUDE_MAX_DEPTH);
	if (origin) {
		int r = dns_name_from_text(&org, origin->s, origin->n,
		                           cur_origin(p));
		if (r < 0)
			return zfail(p, p->line, r, "bad $INCLUDE origin '%s': %s",
			             show(origin->s, origin->n, show_buf),
			             ward_strerror(r));
	} else if (p->have_origin) {
		org = p->origin;
	}

	/* the path, without quotes, "\X" -> X */
	char *path = malloc(file->n + 1);
	if (!path)
		return zfail(p, p->line, WARD_ENOMEM, "out of memory");
	size_t pn = 0;
	for (size_t i = 0; i < file->n; i++) {
		char c = file->s[i];
		if (c == '"')
			continue;
		if (c == '\\' && i + 1 < file->n)
			c = file->s[++i];
		path[pn++] = c;
	}
	path[pn] = '\0';

	char *text = NULL;
	size_t len = 0;
	int r = p->include_fn(p->include_ctx, path, &text, &len);
	if (r < 0) {
		zfail(p, p->line, r, "$INCLUDE %s: %s",
		      show(path, pn, show_buf), ward_strerror(r));
		free(path);
		return r;
	}
	zone_parser *c = calloc(1, sizeof *c);
	if (!c) {
		free(text);
		free(path);
		return zfail(p, p->line, WARD_ENOMEM, "out of memory");
	}
	zone_parser_init(c, text, len, (origin || p->have_origin) ? &org : NULL,
	                 p->ttl_default, path);
	c->ttl_last = p->ttl_last;
	c->class_last = p->class_last;
	c->have_prev_owner = p->have_prev_owner;
	c->prev_owner = p->prev_owner;
	c->include_fn = p->include_fn;
	c->include_ctx = p->include_ctx;
	c->depth = p->depth + 1;
	c->owned_text = text;
	c->owned_name = path;
	p->child = c;
	return 0;
}

static int do_directive(zone_parser *p)
{
	char show_buf[SHOW_BUF];
	size_t i = 0;
	tok name, arg[2];
	unsigned nargs = 0;
	int r;

	next_tok(p, &i, &name);
	if (word_is(name.s, name.n, "$GENERATE"))
		return zfail(p, p->line, WARD_ENOTSUP, "$GENERATE is not supported");
	if (!word_is(name.s, name.n, "$ORIGIN") &&
	    !word_is(name.s, name.n, "$TTL") &&
	    !word_is(name.s, name.n, "$INCLUDE"))
		return zfail(p, p->line, WARD_EDIRECTIVE, "unknown directive '%s'",
		             show(name.s, name.n, show_buf));
	for (tok t; next_tok(p, &i, &t);) {
		if (nargs == 2)
			return zfail(p, p->line, WARD_EDIRECTIVE,
			             "too many arguments to %s",
			             show(name.s, name.n, show_buf));
		arg[nargs++] = t;
	}

	if (word_is(name.s, name.n, "$ORIGIN")) {
		if (nargs != 1)
			return zfail(p, p->line, WARD_EDIRECTIVE,
			             "$ORIGIN takes one domain name");
		dns_name org;
		r = dns_name_from_text(&org, arg[0].s, arg[0].n, cur_origin(p));
		if (r < 0)
			return zfail(p, p->line, r, "bad $ORIGIN '%s': %s",
			             show(arg[0].s, arg[0].n, show_buf),
			             ward_strerror(r));
		p->origin = org;
		p->have_origin = true;
		return 0;
	}
	if (word_is(name.s, name.n, "$TTL")) {
		uint32_t ttl;
		if (nargs != 1)
			return zfail(p, p->line, WARD_EDIRECTIVE,
			             "$TTL takes one TTL");
		r = zone_ttl_from_text(arg[0].s, arg[0].n, &ttl);
		if (r < 0)
			return zfail(p, p->line, r, "bad $TTL '%s': %s",
			             show(arg[0].s, arg[0].n, show_buf),
			             ward_strerror(r));
		p->ttl_default = ttl;
		return 0;
	}
	/* $INCLUDE */
	if (nargs < 1)
		return zfail(p, p->line, WARD_EDIRECTIVE,
		             "$INCLUDE takes a file name and an optional origin");
	return include_file(p, &arg[0], nargs == 2 ? &arg[1] : NULL);
}

static int parse_record(zone_parser *p, bool lead, dns_rr *rr, uint8_t *out,
                        size_t cap)
{
	char show_buf[SHOW_BUF];
	const dns_name *org = cur_origin(p);
	dns_name owner;
	size_t i = 0;
	tok t;
	int r;

	if (!lead) {
		next_tok(p, &i, &t);
		r = dns_name_from_text(&owner, t.s, t.n, org);
		if (r < 0)
			return zfail(p, p->line, r, "bad owner name '%s': %s",
			             show(t.s, t.n, show_buf), ward_strerror(r));
		p->prev_owner = owner;
		p->have_prev_owner = true;
	} else if (p->have_prev_owner) {
		owner = p->prev_owner;
	} else if (org) {
		owner = *org;
	} else {
		return zfail(p, p->line, WARD_ESYNTAX,
		             "no owner name: the line starts with a blank and "
		             "there is no previous record or $ORIGIN");
	}

	bool have_ttl = false, have_class = false;
	uint32_t ttl = 0;
	uint16_t cls = 0, type = 0;
	for (;;) {
		if (!next_tok(p, &i, &t))
			return zfail(p, p->line, WARD_ESYNTAX, "missing RR type");
		if (!have_ttl && is_digit(t.s[0])) {
			r = zone_ttl_from_text(t.s, t.n, &ttl);
			if (r < 0)
				return zfail(p, p->line, r, "bad TTL '%s'",
				             show(t.s, t.n, show_buf));
			have_ttl = true;
			continue;
		}
		if (!have_class && dns_class_from_text(t.s, t.n, &cls) >= 0) {
			have_class = true;
			continue;
		}
		if (dns_type_from_text(t.s, t.n, &type) >= 0)
			break;
		return zfail(p, p->line, WARD_EUNKTYPE, "unknown RR type '%s'",
		             show(t.s, t.n, show_buf));
	}

	if (have_ttl)
		p->ttl_last = ttl;
	else if (p->ttl_default >= 0)
		ttl = (uint32_t)p->ttl_default;
	else if (p->ttl_last >= 0)
		ttl = (uint32_t)p->ttl_last;
	else
		return zfail(p, p->line, WARD_ENOTTL,
		             "record without TTL and no $TTL before it");
	if (have_class)
		p->class_last = cls;
	else
		cls = p->class_last;

	tok rd = rest_of(p, i);
	size_t outlen = 0;
	size_t lim = cap < DNS_RDATA_MAX ? cap : DNS_RDATA_MAX;
	r = dns_rdata_from_text(type, rd.s, rd.n, org, out, lim, &outlen);
	if (r >= 0 && outlen > DNS_RDATA_MAX)
		r = WARD_ERDLEN;
	if (r < 0) {
		char tbuf[16];
		return zfail(p, p->line, r, "bad %s rdata '%s': %s",
		             dns_type_str(type, tbuf), show(rd.s, rd.n, show_buf),
		             ward_strerror(r));
	}

	rr->owner = owner;
	rr->type = type;
	rr->rclass = cls;
	rr->ttl = ttl;
	rr->rdlen = (uint16_t)outlen;
	rr->rdata = out;
	return 1;
}

int zone_parser_next(zone_parser *p, dns_rr *rr, uint8_t *rdata_buf,
                     size_t cap)
{
	if (!p || !rr || (!rdata_buf && cap))
		return WARD_EINVAL;
	p->errmsg[0] = '\0';
	for (;;) {
		if (p->child) {
			int r = zone_parser_next(p->child, rr, rdata_buf, cap);
			if (r != 0) {
				p->line = p->child->line;
				if (r < 0)
					memcpy(p->errmsg, p->child->errmsg,
					       sizeof p->errmsg);
				return r;
			}
			zone_parser_free(p->child);
			free(p->child);
			p->child = NULL;
			continue;
		}
		bool lead = false;
		int r = read_entry(p, &lead);
		if (r <= 0)
			return r;
		if (!lead && p->buf[0] == '$') {
			r = do_directive(p);
			if (r < 0)
				return r;
			continue;
		}
		return parse_record(p, lead, rr, rdata_buf, cap);
	}
}

int zone_parse_rr_line(const char *line, const dns_name *origin, dns_rr *rr,
                       uint8_t *buf, size_t cap)
{
	zone_parser p;

	if (!line || !rr)
		return WARD_EINVAL;
	zone_parser_init(&p, line, strlen(line), origin, ZONE_NO_TTL, NULL);
	int r = zone_parser_next(&p, rr, buf, cap);
	if (r == 0) {
		r = WARD_ESYNTAX;
	} else if (r == 1) {
		bool lead;
		r = read_entry(&p, &lead) == 0 ? 0 : WARD_ETRAILING;
	}
	zone_parser_free(&p);
	return r;
}
