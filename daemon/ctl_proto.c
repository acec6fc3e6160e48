/* wardd control channel: request parsing and response framing (see
 * ctl_proto.h). The request bytes are untrusted (any local process that
 * may open the socket): they are read through the codec cursor, split into
 * at most CTL_WORDS_MAX words of printable ASCII, and every argument is
 * parsed strictly (names by the codec's presentation-format parser). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "daemon/ctl_proto.h"

struct word {
	const char *s;
	size_t n;
};

static bool word_is(const struct word *w, const char *lit)
{
	size_t n = strlen(lit);
	return w->n == n && memcmp(w->s, lit, n) == 0;
}

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	if (errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* A word for a message: printable already (split checked), cut short. */
static const char *show(const struct word *w, char *buf, size_t cap)
{
	size_t n = w->n < cap - 4 ? w->n : cap - 4;
	memcpy(buf, w->s, n);
	if (n < w->n)
		memcpy(buf + n, "...", 4);
	else
		buf[n] = '\0';
	return buf;
}

/* Split into words; every octet must be printable ASCII, space or tab. */
static int split(const uint8_t *line, size_t len, struct word *w, size_t *nw,
                 char *err, size_t errlen)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len >= CTL_REQ_MAX)
		return fail(err, errlen, WARD_ELIMIT, "request longer than %u octets",
		            CTL_REQ_MAX - 1);
	wire_rd rd = wire_rd_init(line, len);
	size_t n = 0;
	size_t start = 0;
	bool in_word = false;
	while (wire_rd_left(&rd)) {
		size_t pos = rd.pos;
		uint8_t c = wire_rd_u8(&rd);
		bool sep = c == ' ' || c == '\t';
		if (!sep && (c < 0x21 || c > 0x7e))
			return fail(err, errlen, WARD_ESYNTAX, "request has a control or "
			            "non-ASCII octet (\\%03u) at offset %zu", c, pos);
		if (!sep && !in_word) {
			if (n == CTL_WORDS_MAX)
				return fail(err, errlen, WARD_ELIMIT, "more than %u words",
				            CTL_WORDS_MAX);
			start = pos;
			in_word = true;
		} else if (sep && in_word) {
			w[n].s = (const char *)line + start;
			w[n++].n = pos - start;
			in_word = false;
		}
	}
	if (rd.err)
		return fail(err, errlen, rd.err, "request unreadable");
	if (in_word) {
		w[n].s = (const char *)line + start;
		w[n++].n = len - start;
	}
	*nw = n;
	return 0;
}

/* Dotted quad, each part 0..255 without leading zeros beyond one digit. */
static int parse_ipv4(const struct word *w, uint32_t *out)
{
	wire_rd rd = wire_rd_init((const uint8_t *)w->s, w->n);
	uint32_t ip = 0;
	for (int part = 0; part < 4; part++) {
		if (part && wire_rd_u8(&rd) != '.')
			return WARD_EADDR;
		unsigned v = 0, digits = 0;
		while (wire_rd_left(&rd) && rd.buf[rd.pos] >= '0' &&
		       rd.buf[rd.pos] <= '9') {
			uint8_t c = wire_rd_u8(&rd);
			if (digits == 1 && v == 0)
				return WARD_EADDR;  /* "01": ambiguous (octal) */
			v = v * 10 + (unsigned)(c - '0');
			if (++digits > 3 || v > 255)
				return WARD_EADDR;
		}
		if (!digits)
			return WARD_EADDR;
		ip = ip << 8 | v;
	}
	if (rd.err || wire_rd_left(&rd))
		return WARD_EADDR;
	*out = ip;
	return 0;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hardware address: 1..16 octets of two hex digits separated by ':' or
 * '-' (aa:bb:cc:dd:ee:ff, as the lease file writes it). */
static int parse_mac(const struct word *w, uint8_t *out, uint8_t *olen)
{
	wire_rd rd = wire_rd_init((const uint8_t *)w->s, w->n);
	uint8_t n = 0;
	uint8_t sepc = 0;
	while (wire_rd_left(&rd)) {
		if (n) {
			uint8_t s = wire_rd_u8(&rd);
			if ((s != ':' && s != '-') || (sepc && s != sepc))
				return WARD_EHEX;
			sepc = s;
		}
		if (n == DHCP_LEASE_HWADDR_MAX)
			return WARD_EHEX;
		int hi = hexval(wire_rd_u8(&rd));
		int lo = hexval(wire_rd_u8(&rd));
		if (rd.err || hi < 0 || lo < 0)
			return WARD_EHEX;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	if (n < 2)  /* one octet is not a MAC, and "ab" would shadow nothing */
		return WARD_EHEX;
	*olen = n;
	return 0;
}

static int parse_on_off(const struct word *w, bool *on)
{
	if (word_is(w, "on"))
		*on = true;
	else if (word_is(w, "off"))
		*on = false;
	else
		return WARD_ESYNTAX;
	return 0;
}

static int parse_name(const struct word *w, struct ctl_req *req, char *err,
                      size_t errlen)
{
	dns_name root;
	dns_name_root(&root);
	/* relative names are taken as absolute ("example.com" = "example.com.") */
	int r = dns_name_from_text(&req->name, w->s, w->n, &root);
	if (r) {
		char b[80];
		return fail(err, errlen, r, "'%s' is not a domain name: %s",
		            show(w, b, sizeof b), ward_strerror(r));
	}
	req->has_name = true;
	return 0;
}

static int parse_cmd(const struct word *w, size_t n, struct ctl_req *req,
                     char *err, size_t errlen)
{
	char b[80];
	if (word_is(&w[0], "ping") || word_is(&w[0], "reload") ||
	    word_is(&w[0], "verify")) {
		req->cmd = word_is(&w[0], "ping") ? CTL_PING :
		           word_is(&w[0], "reload") ? CTL_RELOAD : CTL_VERIFY;
		if (n > 1)
			return fail(err, errlen, WARD_ESYNTAX, "'%s' takes no argument",
			            show(&w[0], b, sizeof b));
		return 0;
	}
	if (word_is(&w[0], "stats")) {
		req->cmd = CTL_STATS;
		if (n == 2 && word_is(&w[1], "--json"))
			req->json = true;
		else if (n != 1)
			return fail(err, errlen, WARD_ESYNTAX, "usage: stats [--json]");
		return 0;
	}
	if (word_is(&w[0], "cache")) {
		if (n < 2 || n > 3 ||
		    (!word_is(&w[1], "dump") && !word_is(&w[1], "flush")))
			return fail(err, errlen, WARD_ESYNTAX,
			            "usage: cache dump [NAME] | cache flush [NAME]");
		req->cmd = word_is(&w[1], "dump") ? CTL_CACHE_DUMP : CTL_CACHE_FLUSH;
		return n == 3 ? parse_name(&w[2], req, err, errlen) : 0;
	}
	if (word_is(&w[0], "leases")) {
		if (n >= 2 && word_is(&w[1], "list")) {
			req->cmd = CTL_LEASES_LIST;
			if (n == 3 && word_is(&w[2], "--json"))
				req->json = true;
			else if (n != 2)
				return fail(err, errlen, WARD_ESYNTAX,
				            "usage: leases list [--json]");
			return 0;
		}
		if (n == 3 && word_is(&w[1], "delete")) {
			req->cmd = CTL_LEASES_DELETE;
			if (parse_ipv4(&w[2], &req->ip) == 0)
				return 0;
			if (parse_mac(&w[2], req->mac, &req->mac_len) == 0) {
				req->by_mac = true;
				return 0;
			}
			return fail(err, errlen, WARD_EADDR, "'%s' is neither an IPv4 "
			            "address nor a MAC address (aa:bb:cc:dd:ee:ff)",
			            show(&w[2], b, sizeof b));
		}
		return fail(err, errlen, WARD_ESYNTAX,
		            "usage: leases list [--json] | leases delete IP|MAC");
	}
	if (word_is(&w[0], "blocklist")) {
		static const char usage_bl[] = "usage: blocklist list | blocklist "
		        "block|allow|remove NAME | blocklist refresh [N|all]";
		if (n == 2 && word_is(&w[1], "list")) {
			req->cmd = CTL_BLOCKLIST_LIST;
			return 0;
		}
		if (n >= 2 && n <= 3 && word_is(&w[1], "refresh")) {
			req->cmd = CTL_BLOCKLIST_REFRESH;
			req->bl_index = -1;
			if (n == 2 || word_is(&w[2], "all"))
				return 0;
			long v = 0;
			for (size_t i = 0; i < w[2].n; i++) {
				char c = w[2].s[i];
				if (c < '0' || c > '9' || i >= 6)
					return fail(err, errlen, WARD_ESYNTAX, "'%s': a list's "
					            "number (blocklist list shows them) or "
					            "'all'", show(&w[2], b, sizeof b));
				v = v * 10 + (c - '0');
			}
			req->bl_index = v;
			return 0;
		}
		if (n == 3 && (word_is(&w[1], "block") || word_is(&w[1], "allow") ||
		               word_is(&w[1], "remove"))) {
			req->cmd = CTL_BLOCKLIST_CHANGE;
			req->bl_op = word_is(&w[1], "block") ? CTL_BL_BLOCK :
			             word_is(&w[1], "allow") ? CTL_BL_ALLOW :
			                                       CTL_BL_REMOVE;
			return parse_name(&w[2], req, err, errlen);
		}
		return fail(err, errlen, WARD_ESYNTAX, "%s", usage_bl);
	}
	if (word_is(&w[0], "log")) {
		req->cmd = CTL_LOG;
		if (n != 3 || (!word_is(&w[1], "queries") && !word_is(&w[1], "debug")) ||
		    parse_on_off(&w[2], &req->on))
			return fail(err, errlen, WARD_ESYNTAX,
			            "usage: log queries on|off | log debug on|off");
		req->log_what = word_is(&w[1], "queries") ? CTL_LOG_QUERIES
		                                          : CTL_LOG_DEBUG;
		return 0;
	}
	return fail(err, errlen, WARD_ESYNTAX, "unknown command '%s' (stats, "
	            "cache, leases, reload, log, verify, blocklist, ping)",
	            show(&w[0], b, sizeof b));
}

int ctl_parse(const uint8_t *line, size_t len, struct ctl_req *req,
              char *err, size_t errlen)
{
	memset(req, 0, sizeof *req);
	if (errlen)
		err[0] = '\0';
	struct word w[CTL_WORDS_MAX];
	size_t n = 0;
	int r = split(line, len, w, &n, err, errlen);
	if (r)
		return r;
	if (n == 0)
		return fail(err, errlen, WARD_ESYNTAX, "empty request");
	r = parse_cmd(w, n, req, err, errlen);
	if (r)
		memset(req, 0, sizeof *req);
	return r;
}

int ctl_request_format(strbuf *sb, int nwords, char *const *words)
{
	size_t start = sb->len;
	for (int i = 0; i < nwords; i++) {
		const unsigned char *p = (const unsigned char *)words[i];
		if (!*p)
			return WARD_EINVAL;
		for (; *p; p++)
			if (*p < 0x21 || *p > 0x7e)
				return WARD_EINVAL;
		if (i)
			strbuf_putc(sb, ' ');
		strbuf_puts(sb, words[i]);
	}
	strbuf_putc(sb, '\n');
	if (sb->err || sb->len - start > CTL_REQ_MAX)
		return WARD_ESPACE;
	return 0;
}

static void put_clean(strbuf *sb, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p > 0x7e)
			strbuf_printf(sb, "\\%03u", *p);
		else
			strbuf_putc(sb, (char)*p);
	}
}

void ctl_put_line(strbuf *sb, const char *text)
{
	strbuf_putc(sb, ' ');
	put_clean(sb, text);
	strbuf_putc(sb, '\n');
}

void ctl_put_linef(strbuf *sb, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ctl_put_line(sb, buf);
}

void ctl_put_status(strbuf *sb, enum ctl_code code, const char *text)
{
	strbuf_printf(sb, "end %d", (int)code);
	if (text && *text) {
		strbuf_putc(sb, ' ');
		put_clean(sb, text);
	}
	strbuf_putc(sb, '\n');
}

int ctl_response_line(const char *line, size_t len, int *code,
                      const char **data, size_t *dlen)
{
	if (len >= 1 && line[0] == ' ') {
		*data = line + 1;
		*dlen = len - 1;
		return 1;
	}
	/* "end D" or "end D text" */
	if (len < 5 || memcmp(line, "end ", 4) != 0 || line[4] < '0' ||
	    line[4] > '9' || (len > 5 && line[5] != ' '))
		return WARD_ESYNTAX;
	*code = line[4] - '0';
	*data = len > 6 ? line + 6 : line + len;
	*dlen = len > 6 ? len - 6 : 0;
	return 0;
}

void ctl_json_str(strbuf *sb, const char *text)
{
	strbuf_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_printf(sb, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			strbuf_printf(sb, "\\u%04x", *p);
		else
			strbuf_putc(sb, (char)*p);
	}
	strbuf_putc(sb, '"');
}
