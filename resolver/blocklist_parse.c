/* ward resolver: blocklist text parser (see blocklist_parse.h). The input
 * is read one byte at a time through a wire_rd into a bounded line buffer;
 * each line is then taken apart with a second cursor over that buffer. */
#include "resolver/blocklist_parse.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "resolver/resolver_limits.h"

struct pctx {
	blocklist_set *s;
	const char *name;
	bool allow;
	blocklist_diag_fn diag;
	void *ctx;
	struct blocklist_parse_stats *st;
	unsigned lineno;
};

/* A token of a line: line[at .. at + len). */
struct tok {
	const uint8_t *p;
	size_t len;
};

static void report(struct pctx *x, const char *msg, const struct tok *t)
{
	x->st->bad++;
	if (!x->diag || x->st->bad > BLOCKLIST_DIAG_MAX)
		return;
	char safe[80];
	size_t n = 0;
	/* sanitise the offending bytes before they reach a log */
	for (size_t i = 0; t && i < t->len && n + 5 < sizeof safe; i++) {
		uint8_t c = t->p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
			safe[n++] = (char)c;
		} else {
			snprintf(safe + n, sizeof safe - n, "\\%03u", c);
			n += 4;
		}
	}
	safe[n] = '\0';
	char buf[512];
	if (t && t->len)
		snprintf(buf, sizeof buf, "%s:%u: %s: \"%s\"", x->name, x->lineno,
		         msg, safe);
	else
		snprintf(buf, sizeof buf, "%s:%u: %s", x->name, x->lineno, msg);
	x->diag(x->ctx, buf);
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void skip_blanks(wire_rd *rd)
{
	while (wire_rd_left(rd) && is_blank(wire_rd_peek(rd)))
		wire_rd_skip(rd, 1);
}

/* The next blank-separated token (len 0 at the end of the line). */
static struct tok next_tok(wire_rd *rd)
{
	skip_blanks(rd);
	wire_rd probe = *rd;
	size_t n = 0;
	while (wire_rd_left(&probe) && !is_blank(wire_rd_peek(&probe))) {
		wire_rd_skip(&probe, 1);
		n++;
	}
	struct tok t = { NULL, 0 };
	if (n) {
		t.p = wire_rd_view(rd, n);
		t.len = t.p ? n : 0;
	}
	return t;
}

static bool tok_is(const struct tok *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = t->p[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		if (c != (uint8_t)s[i])
			return false;
	}
	return true;
}

static bool tok_prefix(const struct tok *t, const char *s)
{
	size_t n = strlen(s);
	return t->len >= n && !memcmp(t->p, s, n);
}

static bool tok_has(const struct tok *t, uint8_t c)
{
	return t->len && memchr(t->p, c, t->len) != NULL;
}

/* Letters, digits, '-', '_' in labels of 1..63, an optional final dot:
 * what hosts and domain lists hold. Builds the wire name. */
static bool name_from_tok(const struct tok *t, dns_name *out)
{
	size_t n = t->len;
	if (n && t->p[n - 1] == '.')
		n--;
	if (n == 0 || n > DNS_NAME_MAXLEN - 2)
		return false;
	size_t w = 0, lab = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || t->p[i] == '.') {
			size_t l = i - lab;
			if (l == 0 || l > DNS_LABEL_MAXLEN)
				return false;
			out->wire[w++] = (uint8_t)l;
			memcpy(out->wire + w, t->p + lab, l);
			w += l;
			lab = i + 1;
			continue;
		}
		uint8_t c = t->p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	out->wire[w++] = 0;
	out->len = (uint16_t)w;
	return true;
}

/* An address as hosts files write them (IPv6 may carry %zone). */
static bool tok_is_addr(const struct tok *t)
{
	char buf[INET6_ADDRSTRLEN + 1];
	size_t n = t->len;
	const uint8_t *pct = memchr(t->p, '%', n);
	if (pct)
		n = (size_t)(pct - t->p);
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, t->p, n);
	buf[n] = '\0';
	uint8_t a[16];
	if (!pct && inet_pton(AF_INET, buf, a) == 1)
		return true;
	return memchr(buf, ':', n) && inet_pton(AF_INET6, buf, a) == 1;
}

/* Looks like an address (digits and dots, or hex and colons)? */
static bool tok_addr_like(const struct tok *t)
{
	bool colon = false, digit = false;
	for (size_t i = 0; i < t->len; i++) {
		uint8_t c = t->p[i];
		if (c == ':')
			colon = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else if (c == '.' || c == '%')
			;
		else if (!colon && !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return colon || (digit && tok_has(t, '.'));
}

/* Names hosts lists carry for the machine itself, never blocked. */
static bool skip_name(const struct tok *t)
{
	static const char *const names[] = {
		"localhost", "localhost.", "localhost.localdomain", "local",
		"broadcasthost", "ip6-localhost", "ip6-loopback", "ip6-localnet",
		"ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
		"ip6-allhosts", "0.0.0.0",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (tok_is(t, names[i]))
			return true;
	for (size_t i = 0; i < t->len; i++) /* an IPv4 address as a name */
		if (!((t->p[i] >= '0' && t->p[i] <= '9') || t->p[i] == '.'))
			return false;
	return true;
}

static int add(struct pctx *x, const dns_name *n, unsigned flags)
{
	if (x->allow)
		flags = flags << 4; /* BL_BLOCK_* -> BL_ALLOW_* */
	int r = blocklist_set_add(x->s, n, flags);
	if (r == 0)
		x->st->entries++;
	return r;
}

/* True when the rest of the line is blank or a comment. */
static bool rest_empty(wire_rd *lr)
{
	struct tok t = next_tok(lr);
	return t.len == 0 || t.p[0] == '#';
}

/* ||name^ and @@||name^ (the only adblock rules a DNS server can
 * follow); anything else adblock-shaped is unsupported. */
static int adblock(struct pctx *x, const struct tok *t, wire_rd *lr)
{
	bool exception = tok_prefix(t, "@@");
	size_t skip = exception ? 4 : 2;
	if ((exception && !tok_prefix(t, "@@||")) ||t->len < skip + 2 || t->p[t->len - 1] != '^' || !rest_empty(lr)) {
		x->st->unsupported++;
		return 0;
	}
	struct tok nt = { t->p + skip, t->len - skip - 1 };
	dns_name n;
	if (!name_from_tok(&nt, &n)) {
		x->st->unsupported++; /* wildcards, paths: not for DNS */
		return 0;
	}
	if (exception) {
		int r = blocklist_set_add(x->s, &n, BL_ALLOW_SUB);
		if (r == 0)
			x->st->entries++;
		return r;
	}
	return add(x, &n, BL_BLOCK_SUB);
}

static int hosts_line(struct pctx *x, const struct tok *addr, wire_rd *lr)
{
	if (!tok_is_addr(addr)) {
		report(x, "bad address", addr);
		return 0;
	}
	unsigned names = 0;
	bool bad = false;
	for (;;) {
		struct tok t = next_tok(lr);
		if (t.len == 0 || t.p[0] == '#')
			break;
		names++;
		if (skip_name(&t)) {
			x->st->skipped++;
			continue;
		}
		dns_name n;
		if (!name_from_tok(&t, &n)) {
			if (!bad)
				report(x, "bad name", &t);
			bad = true;
			continue;
		}
		int r = add(x, &n, BL_BLOCK_EXACT);
		if (r == WARD_ENOMEM || r == WARD_ELIMIT)
			return r;
	}
	if (!names)
		report(x, "address without a name", addr);
	return 0;
}

static int parse_line(struct pctx *x, const uint8_t *line, size_t len)
{
	wire_rd lr = wire_rd_init(line, len);
	struct tok t = next_tok(&lr);
	if (t.len == 0 || t.p[0] == '#' || t.p[0] == '!' || t.p[0] == '[') {
		x->st->comments++;
		return 0;
	}
	if (tok_prefix(&t, "||") || tok_prefix(&t, "@@"))
		return adblock(x, &t, &lr);
	if (t.p[0] == '|' || t.p[0] == '/' || tok_has(&t, '#') ||
	    tok_has(&t, '$') || tok_has(&t, '^')) {
		x->st->unsupported++; /* other adblock rules */
		return 0;
	}
	wire_rd peek = lr;
	bool more = !rest_empty(&peek);
	if (tok_addr_like(&t) && (more || tok_is_addr(&t)))
		return hosts_line(x, &t, &lr);
	/* one name per line; "*.name": the names below it */
	unsigned flags = BL_BLOCK_SUB;
	struct tok nt = t;
	if (tok_prefix(&t, "*.")) {
		flags = BL_BLOCK_BELOW;
		nt.p += 2;
		nt.len -= 2;
	}
	if (more) {
		report(x, "more than one name on a line (hosts lines start with "
		       "an address)", &t);
		return 0;
	}
	dns_name n;
	if (skip_name(&nt)) {
		x->st->skipped++;
		return 0;
	}
	if (!name_from_tok(&nt, &n)) {
		report(x, "bad name", &t);
		return 0;
	}
	int r = add(x, &n, flags);
	return r == WARD_EINVAL ? 0 : r;
}

int blocklist_parse(blocklist_set *s, const char *name, const uint8_t *buf,
                    size_t len, bool allow, blocklist_diag_fn diag,
                    void *ctx, struct blocklist_parse_stats *st)
{
	struct blocklist_parse_stats dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof *st);
	if (!s || (!buf && len))
		return WARD_EINVAL;
	struct pctx x = { s, name ? name : "(buffer)", allow, diag, ctx, st, 0 };
	wire_rd rd = wire_rd_init(buf, len);
	static const uint8_t bom[3] = { 0xef, 0xbb, 0xbf };
	if (len >= 3 && !memcmp(buf, bom, 3))
		wire_rd_skip(&rd, 3);
	uint8_t line[BLOCKLIST_LINE_MAX];
	int r = 0;
	while (r == 0 && wire_rd_left(&rd)) {
		size_t n = 0;
		bool too_long = false;
		while (wire_rd_left(&rd)) {
			uint8_t c = wire_rd_u8(&rd);
			if (c == '\n')
				break;
			if (n < sizeof line)
				line[n++] = c;
			else
				too_long = true;
		}
		x.lineno++;
		st->lines++;
		if (too_long) {
			report(&x, "line too long", NULL);
			continue;
		}
		r = parse_line(&x, line, n);
	}
	if (diag && st->bad > BLOCKLIST_DIAG_MAX) {
		char msg[256];
		snprintf(msg, sizeof msg, "%s: %u more bad lines not shown",
		         x.name, st->bad - BLOCKLIST_DIAG_MAX);
		diag(ctx, msg);
	}
	return r;
}

bool blocklist_parse_usable(const struct blocklist_parse_stats *st)
{
	return st && st->entries > 0 && st->bad <= st->entries;
}
