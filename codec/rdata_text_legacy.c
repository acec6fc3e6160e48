/* ward: presentation format of the older and rarer rdata layouts — WKS
 * (RFC 1035 §3.4.2), GPOS (RFC 1712), LOC (RFC 1876), NXT (RFC 2535 §5),
 * APL (RFC 3123), ATMA (ATM Forum AF-DANS-0152), IPSECKEY (RFC 4025),
 * HIP (RFC 8005), TKEY (RFC 2930), TSIG (RFC 8945). Output as ldns prints
 * them, so the ldns/unbound vectors match. */
#include <string.h>

#include "base.h"
#include "rdata_desc.h"
#include "rdata_text_int.h"
#include "rr.h"

bool rdf_is_legacy_kind(uint8_t k)
{
	return k >= RDF_U48 && k <= RDF_NAMES;
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static bool eq_nocase(const char *p, size_t n, const char *w)
{
	size_t i = 0;
	for (; i < n; i++)
		if (w[i] == '\0' || upper(p[i]) != upper(w[i]))
			return false;
	return w[i] == '\0';
}

static uint32_t get_uint(const uint8_t *p, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* ---- mnemonic tables ---- */

struct mnem {
	uint16_t v;
	const char *name;
};

/* TSIG/TKEY error field: RCODEs and the TSIG ones (RFC 8945 §3). */
static const struct mnem tsig_errors[] = {
	{ 0, "NOERROR" }, { 1, "FORMERR" }, { 2, "SERVFAIL" },
	{ 3, "NXDOMAIN" }, { 4, "NOTIMP" }, { 5, "REFUSED" },
	{ 6, "YXDOMAIN" }, { 7, "YXRRSET" }, { 8, "NXRRSET" },
	{ 9, "NOTAUTH" }, { 10, "NOTZONE" }, { 16, "BADSIG" },
	{ 17, "BADKEY" }, { 18, "BADTIME" }, { 19, "BADMODE" },
	{ 20, "BADNAME" }, { 21, "BADALG" }, { 22, "BADTRUNC" },
	{ 23, "BADCOOKIE" }, { 4, "NOTIMPL" } /* ldns's name, input only */,
};

/* Service names accepted in WKS (the well-known ports of RFC 1700 that
 * zone files use); output is always numeric. */
static const struct mnem services[] = {
	{ 7, "echo" }, { 9, "discard" }, { 13, "daytime" }, { 20, "ftp-data" },
	{ 21, "ftp" }, { 22, "ssh" }, { 23, "telnet" }, { 25, "smtp" },
	{ 37, "time" }, { 43, "whois" }, { 53, "domain" }, { 69, "tftp" },
	{ 70, "gopher" }, { 79, "finger" }, { 80, "http" }, { 110, "pop3" },
	{ 119, "nntp" }, { 123, "ntp" }, { 143, "imap" }, { 161, "snmp" },
	{ 179, "bgp" }, { 389, "ldap" }, { 443, "https" }, { 514, "syslog" },
};

static int parse_mnem(const struct rdf_tok *t, const struct mnem *tab,
                      size_t n, uint32_t max, uint32_t *out)
{
	if (t->n && t->p[0] >= '0' && t->p[0] <= '9')
		return rdf_parse_uint(t, max, out);
	for (size_t i = 0; i < n; i++) {
		if (eq_nocase(t->p, t->n, tab[i].name)) {
			*out = tab[i].v;
			return 0;
		}
	}
	return WARD_ESYNTAX;
}

/* ---- small parsers ---- */

/* A decimal with at most `frac` fraction digits, scaled by 10^frac; an
 * optional leading '-' when neg, an optional trailing 'm' when unit. */
static int parse_fixed(const char *s, size_t n, unsigned frac, bool neg,
                       bool unit, int64_t *out)
{
	size_t i = 0;
	bool minus = false;
	int64_t v = 0;
	unsigned digits = 0, fd = 0;
	if (unit && n && (s[n - 1] == 'm' || s[n - 1] == 'M'))
		n--;
	if (neg && i < n && s[i] == '-') {
		minus = true;
		i++;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (++digits > 11)
			return WARD_ERANGE;
		v = v * 10 + (s[i] - '0');
	}
	if (digits == 0)
		return WARD_ESYNTAX;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++fd > frac)
				return WARD_ESYNTAX;
			v = v * 10 + (s[i] - '0');
		}
	}
	if (i != n)
		return WARD_ESYNTAX;
	for (; fd < frac; fd++)
		v *= 10;
	*out = minus ? -v : v;
	return 0;
}

/* ---- LOC (RFC 1876) ---- */

#define LOC_EQUATOR 2147483648u     /* 2^31: 0 degrees */
#define LOC_ALT_BASE 10000000       /* cm: 100000 m below the spheroid */

static bool is_hemi(char c)
{
	c = upper(c);
	return c == 'N' || c == 'S' || c == 'E' || c == 'W';
}

/* LOC items: blank-separated, and a hemisphere letter glued to a number
 * ("42N", "18.3W") is an item of its own, as ldns reads them. */
static bool loc_item(const char *s, size_t n, size_t *pos, const char **it,
                     size_t *len)
{
	size_t i = *pos;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	                 s[i] == '\n'))
		i++;
	if (i >= n)
		return false;
	size_t start = i;
	if (is_hemi(s[i])) {
		i++;
	} else {
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		       s[i] != '\n' && !is_hemi(s[i]))
			i++;
	}
	*it = s + start;
	*len = i - start;
	*pos = i;
	return true;
}

/* "d [m [s]] H": the angle in milliseconds of arc from the equator or
 * meridian, signed by the hemisphere. */
static int loc_angle(const char *s, size_t n, size_t *pos, unsigned maxdeg,
                     char pos_h, char neg_h, uint32_t *out)
{
	const char *it;
	size_t len;
	int64_t part[3] = { 0, 0, 0 };
	int nparts = 0;
	int r;
	for (;;) {
		if (!loc_item(s, n, pos, &it, &len))
			return WARD_EMISSING;
		if (len == 1 && is_hemi(it[0]))
			break;
		if (nparts == 3)
			return WARD_ESYNTAX;
		/* degrees and minutes are integers, seconds have 3 decimals */
		r = parse_fixed(it, len, nparts == 2 ? 3 : 0, false, false,
		                &part[nparts]);
		if (r < 0)
			return r;
		nparts++;
	}
	char h = upper(it[0]);
	if (nparts == 0 || (h != pos_h && h != neg_h))
		return WARD_ESYNTAX;
	if (part[1] > 59 || part[2] > 59999)
		return WARD_ERANGE;
	int64_t ms = ((part[0] * 60 + part[1]) * 60) * 1000 + part[2];
	if (ms > (int64_t)maxdeg * 3600000)
		return WARD_ERANGE;
	*out = h == pos_h ? LOC_EQUATOR + (uint32_t)ms
	                  : LOC_EQUATOR - (uint32_t)ms;
	return 0;
}

/* Size and precisions: centimetres as mantissa * 10^exponent, nibbles. */
static int loc_prec(const char *it, size_t len, uint8_t *out)
{
	static const int64_t p10[10] = { 1, 10, 100, 1000, 10000, 100000,
	                                 1000000, 10000000, 100000000,
	                                 1000000000 };
	int64_t cm;
	int r = parse_fixed(it, len, 2, false, true, &cm);
	if (r < 0)
		return r;
	if (cm > 9 * p10[9])
		return WARD_ERANGE;
	unsigned e = 0;
	while (e < 9 && cm >= p10[e + 1])
		e++;
	int64_t m = cm / p10[e];
	*out = (uint8_t)((m > 9 ? 9 : m) << 4 | e);
	return 0;
}

static int loc_from_text(struct rdf_lex *lx, wire_wr *w)
{
	const char *s;
	size_t n, pos = 0, len;
	const char *it;
	uint32_t lat, lon;
	uint8_t prec[3] = { 0x12, 0x16, 0x13 }; /* 1m 10000m 10m (RFC 1876) */
	int64_t alt;
	int r;

	rdf_lex_rest(lx, &s, &n);
	if ((r = loc_angle(s, n, &pos, 90, 'N', 'S', &lat)) < 0 ||
	    (r = loc_angle(s, n, &pos, 180, 'E', 'W', &lon)) < 0)
		return r;
	if (!loc_item(s, n, &pos, &it, &len))
		return WARD_EMISSING;
	if ((r = parse_fixed(it, len, 2, true, true, &alt)) < 0)
		return r;
	alt += LOC_ALT_BASE;
	if (alt < 0 || alt > (int64_t)UINT32_MAX)
		return WARD_ERANGE;
	for (int i = 0; i < 3 && loc_item(s, n, &pos, &it, &len); i++)
		if ((r = loc_prec(it, len, &prec[i])) < 0)
			return r;
	if (loc_item(s, n, &pos, &it, &len))
		return WARD_ETRAILING;
	wire_wr_u8(w, 0);
	wire_wr_bytes(w, prec, 3);
	wire_wr_u32(w, lat);
	wire_wr_u32(w, lon);
	wire_wr_u32(w, (uint32_t)alt);
	return 0;
}

/* Digits 0..9, and a zero mantissa only as 0e0 (0e3 would print as "00m"
 * and come back as 0e0). */
static bool loc_prec_ok(uint8_t v)
{
	return (v >> 4) <= 9 && (v & 15) <= 9 && (v == 0 || (v >> 4) != 0);
}

/* Within maxdeg degrees of the equator / meridian (else no text). */
static bool loc_angle_ok(uint32_t v, unsigned maxdeg)
{
	uint32_t ms = v > LOC_EQUATOR ? v - LOC_EQUATOR : LOC_EQUATOR - v;
	return ms <= maxdeg * 3600000u;
}

static void loc_put_prec(strbuf *sb, uint8_t v)
{
	unsigned m = v >> 4, e = v & 15;
	if (e < 2) {
		strbuf_printf(sb, "0.%02u", e == 1 ? m * 10 : m);
	} else {
		strbuf_printf(sb, "%u", m);
		for (unsigned i = 0; i < e - 2; i++)
			strbuf_putc(sb, '0');
	}
	strbuf_putc(sb, 'm');
}

static void loc_put_angle(strbuf *sb, uint32_t v, char pos_h, char neg_h)
{
	char h;
	uint32_t ms;
	if (v > LOC_EQUATOR) {
		h = pos_h;
		ms = v - LOC_EQUATOR;
	} else {
		h = neg_h;
		ms = LOC_EQUATOR - v;
	}
	strbuf_printf(sb, "%02u %02u %02u.%03u %c", (unsigned)(ms / 3600000),
	              (unsigned)(ms / 60000 % 60), (unsigned)(ms / 1000 % 60),
	              (unsigned)(ms % 1000), h);
}

static void loc_to_text(strbuf *sb, const uint8_t *p)
{
	loc_put_angle(sb, get_uint(p + 4, 4), 'N', 'S');
	strbuf_putc(sb, ' ');
	loc_put_angle(sb, get_uint(p + 8, 4), 'E', 'W');
	int64_t alt = (int64_t)get_uint(p + 12, 4) - LOC_ALT_BASE;
	uint64_t a = (uint64_t)(alt < 0 ? -alt : alt);
	strbuf_printf(sb, " %s%llu", alt < 0 ? "-" : "",
	              (unsigned long long)(a / 100));
	if (a % 100)
		strbuf_printf(sb, ".%02u", (unsigned)(a % 100));
	strbuf_puts(sb, "m ");
	loc_put_prec(sb, p[1]);
	strbuf_putc(sb, ' ');
	loc_put_prec(sb, p[2]);
	strbuf_putc(sb, ' ');
	loc_put_prec(sb, p[3]);
}

/* ---- APL (RFC 3123 §5: "[!]afi:address/prefix") ---- */

static int apl_from_text(struct rdf_lex *lx, wire_wr *w)
{
	struct rdf_tok t;
	int r;
	while ((r = rdf_lex_next(lx, &t)) > 0) {
		const char *s = t.p;
		size_t n = t.n, i = 0;
		bool negate = false;
		if (t.quoted)
			return WARD_ESYNTAX;
		if (n && s[0] == '!') {
			negate = true;
			i++;
		}
		const char *colon = memchr(s + i, ':', n - i);
		const char *slash = memchr(s + i, '/', n - i);
		if (!colon || !slash || slash < colon)
			return WARD_ESYNTAX;
		struct rdf_tok ft = { s + i, (size_t)(colon - (s + i)), false };
		struct rdf_tok pt = { slash + 1, (size_t)(s + n - slash - 1), false };
		uint32_t family, prefix;
		if ((r = rdf_parse_uint(&ft, 65535, &family)) < 0)
			return r;
		uint8_t addr[16];
		size_t alen;
		const char *as = colon + 1;
		size_t an = (size_t)(slash - as);
		if (family == 1) {
			alen = 4;
			r = rdf_parse_ipv4(as, an, addr);
		} else if (family == 2) {
			alen = 16;
			r = rdf_parse_ipv6(as, an, addr);
		} else {
			return WARD_ESYNTAX; /* only IPv4 and IPv6 are defined */
		}
		if (r < 0)
			return r;
		if ((r = rdf_parse_uint(&pt, family == 1 ? 32 : 128, &prefix)) < 0)
			return r;
		while (alen > 0 && addr[alen - 1] == 0)
			alen--; /* trailing zero octets are left out (RFC 3123 §4) */
		wire_wr_u16(w, (uint16_t)family);
		wire_wr_u8(w, (uint8_t)prefix);
		wire_wr_u8(w, (uint8_t)((negate ? 0x80 : 0) | alen));
		wire_wr_bytes(w, addr, alen);
	}
	return r;
}

/* Printable when every item is IPv4/IPv6 without trailing zero octets
 * (those would not survive a text round trip). */
static bool apl_printable(const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	while (wire_rd_left(&rd) > 0) {
		uint16_t family = wire_rd_u16(&rd);
		(void)wire_rd_u8(&rd);
		uint8_t afdlen = wire_rd_u8(&rd) & 0x7f;
		const uint8_t *a = wire_rd_view(&rd, afdlen);
		if (rd.err || (family != 1 && family != 2) ||
		    (afdlen && a[afdlen - 1] == 0))
			return false;
	}
	return true;
}

static void apl_to_text(strbuf *sb, const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	bool first = true;
	while (wire_rd_left(&rd) > 0) {
		uint16_t family = wire_rd_u16(&rd);
		uint8_t prefix = wire_rd_u8(&rd);
		uint8_t nl = wire_rd_u8(&rd);
		uint8_t addr[16] = { 0 };
		wire_rd_bytes(&rd, addr, nl & 0x7f);
		if (rd.err)
			return;
		strbuf_printf(sb, "%s%s%u:", first ? "" : " ", nl & 0x80 ? "!" : "",
		              (unsigned)family);
		first = false;
		if (family == 1) {
			rdf_put_ipv4(sb, addr);
		} else {
			/* ldns writes the IPv6 address in full */
			for (int i = 0; i < 8; i++)
				strbuf_printf(sb, "%s%02x%02x", i ? ":" : "", addr[2 * i],
				              addr[2 * i + 1]);
		}
		strbuf_printf(sb, "/%u", (unsigned)prefix);
	}
}

/* ---- WKS ports, NXT types ---- */

static int portmap_from_text(struct rdf_lex *lx, wire_wr *w)
{
	uint8_t bits[8192];
	size_t len = 0;
	struct rdf_tok t;
	int r;
	memset(bits, 0, sizeof bits);
	while ((r = rdf_lex_next(lx, &t)) > 0) {
		uint32_t port;
		if (t.quoted)
			return WARD_ESYNTAX;
		r = parse_mnem(&t, services, sizeof services / sizeof services[0],
		               65535, &port);
		if (r < 0)
			return r;
		bits[port >> 3] |= (uint8_t)(0x80 >> (port & 7));
		if (port / 8 + 1 > len)
			len = port / 8 + 1;
	}
	if (r < 0)
		return r;
	wire_wr_bytes(w, bits, len);
	return 0;
}

static int nxtmap_from_text(struct rdf_lex *lx, wire_wr *w)
{
	uint8_t bits[16];
	size_t len = 0;
	struct rdf_tok t;
	int r;
	memset(bits, 0, sizeof bits);
	while ((r = rdf_lex_next(lx, &t)) > 0) {
		uint16_t type;
		if (t.quoted)
			return WARD_ESYNTAX;
		if ((r = dns_type_from_text(t.p, t.n, &type)) < 0)
			return r;
		if (type == 0 || type > 127)
			return WARD_ERANGE; /* the old bitmap holds 1..127 */
		bits[type >> 3] |= (uint8_t)(0x80 >> (type & 7));
		if ((size_t)(type / 8 + 1) > len)
			len = (size_t)(type / 8 + 1);
	}
	if (r < 0)
		return r;
	wire_wr_bytes(w, bits, len);
	return 0;
}

/* Bits set in p[0..n) as numbers (ports) or type mnemonics. */
static void bits_to_text(strbuf *sb, const uint8_t *p, size_t n, bool types)
{
	bool first = true;
	for (size_t i = 0; i < n * 8; i++) {
		if (!(p[i >> 3] & (0x80 >> (i & 7))))
			continue;
		if (!first)
			strbuf_putc(sb, ' ');
		first = false;
		if (types)
			dns_type_to_text((uint16_t)i, sb);
		else
			strbuf_printf(sb, "%zu", i);
	}
}

/* ---- ATMA ---- */

static int atma_from_text(struct rdf_lex *lx, wire_wr *w)
{
	struct rdf_tok t;
	int r = rdf_lex_word(lx, &t);
	if (r < 0)
		return r;
	if (t.n && t.p[0] == '+') {
		/* E.164: '+' and digits, dots as separators */
		size_t digits = 0;
		wire_wr_u8(w, 1);
		for (size_t i = 1; i < t.n; i++) {
			if (t.p[i] == '.')
				continue;
			if (t.p[i] < '0' || t.p[i] > '9')
				return WARD_ESYNTAX;
			wire_wr_u8(w, (uint8_t)t.p[i]);
			digits++;
		}
		return digits ? 0 : WARD_ESYNTAX;
	}
	/* AESA: hex digits, dots as separators */
	int hi = -1;
	size_t bytes = 0;
	wire_wr_u8(w, 0);
	for (size_t i = 0; i < t.n; i++) {
		if (t.p[i] == '.')
			continue;
		int v = hex_digit_value(t.p[i]);
		if (v < 0)
			return WARD_EHEX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		wire_wr_u8(w, (uint8_t)(hi << 4 | v));
		hi = -1;
		bytes++;
	}
	return hi >= 0 || bytes == 0 ? WARD_EHEX : 0;
}

static bool atma_printable(const uint8_t *p, size_t n)
{
	if (n < 2 || p[0] > 1)
		return false;
	if (p[0] == 1)
		for (size_t i = 1; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return false;
	return true;
}

/* ---- GPOS ---- */

static bool gpos_ok(const uint8_t *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.' || p[i] == '-' ||
		      p[i] == '+'))
			return false;
	return true;
}

/* ---- the dispatch ---- */

static int int16data_from_text(struct rdf_lex *lx, wire_wr *w)
{
	struct rdf_tok t;
	uint32_t len;
	int r;
	if ((r = rdf_lex_word(lx, &t)) < 0 || (r = rdf_parse_uint(&t, 65535, &len)) < 0)
		return r;
	wire_wr_u16(w, (uint16_t)len);
	if (len == 0)
		return 0;
	size_t got;
	if ((r = rdf_lex_word(lx, &t)) < 0)
		return r;
	if (w->err)
		return w->err;
	r = base64_decode(t.p, t.n, w->buf + w->pos, w->cap - w->pos, &got);
	if (r < 0)
		return r;
	w->pos += got;
	return got == len ? 0 : WARD_ERDLEN;
}

static int ipsecgw_from_text(struct rdf_lex *lx, const dns_name *origin,
                             wire_wr *w)
{
	struct rdf_tok t;
	uint32_t gtype, alg;
	int r;
	if ((r = rdf_lex_word(lx, &t)) < 0 || (r = rdf_parse_uint(&t, 3, &gtype)) < 0)
		return r;
	if ((r = rdf_lex_word(lx, &t)) < 0 || (r = rdf_parse_uint(&t, 255, &alg)) < 0)
		return r;
	wire_wr_u8(w, (uint8_t)gtype);
	wire_wr_u8(w, (uint8_t)alg);
	if ((r = rdf_lex_word(lx, &t)) < 0)
		return r;
	uint8_t a[16];
	dns_name name;
	switch (gtype) {
	case 0: /* no gateway: "." (RFC 4025 §3.1) */
		return t.n == 1 && t.p[0] == '.' ? 0 : WARD_ESYNTAX;
	case 1:
		if ((r = rdf_parse_ipv4(t.p, t.n, a)) < 0)
			return r;
		wire_wr_bytes(w, a, 4);
		return 0;
	case 2:
		if ((r = rdf_parse_ipv6(t.p, t.n, a)) < 0)
			return r;
		wire_wr_bytes(w, a, 16);
		return 0;
	default:
		if ((r = dns_name_from_text(&name, t.p, t.n, origin)) < 0)
			return r;
		dns_name_write(w, &name);
		return 0;
	}
}

static int hip_from_text(struct rdf_lex *lx, wire_wr *w)
{
	struct rdf_tok t;
	uint32_t alg;
	uint8_t hit[255];
	size_t hitlen, pklen;
	int r;
	if ((r = rdf_lex_word(lx, &t)) < 0 || (r = rdf_parse_uint(&t, 255, &alg)) < 0)
		return r;
	if ((r = rdf_lex_word(lx, &t)) < 0)
		return r;
	r = hex_decode(t.p, t.n, hit, sizeof hit, &hitlen);
	if (r == WARD_ESPACE)
		return WARD_ESTRLEN;
	if (r < 0)
		return r;
	if (hitlen == 0)
		return WARD_EHEX;
	if ((r = rdf_lex_word(lx, &t)) < 0)
		return r;
	wire_wr_u8(w, (uint8_t)hitlen);
	wire_wr_u8(w, (uint8_t)alg);
	size_t lenpos = w->pos;
	wire_wr_u16(w, 0);
	wire_wr_bytes(w, hit, hitlen);
	if (w->err)
		return w->err;
	r = base64_decode(t.p, t.n, w->buf + w->pos, w->cap - w->pos, &pklen);
	if (r < 0)
		return r;
	if (pklen == 0 || pklen > 65535)
		return pklen ? WARD_ERANGE : WARD_EBASE64;
	w->pos += pklen;
	wire_wr_put_u16_at(w, lenpos, (uint16_t)pklen);
	return 0;
}

int rdf_legacy_from_text(uint8_t k, struct rdf_lex *lx,
                         const dns_name *origin, wire_wr *w)
{
	struct rdf_tok t;
	uint32_t v;
	int r;

	switch (k) {
	case RDF_U48: {
		uint64_t x = 0;
		if ((r = rdf_lex_word(lx, &t)) < 0)
			return r;
		if (t.n == 0)
			return WARD_ESYNTAX;
		for (size_t i = 0; i < t.n; i++) {
			if (t.p[i] < '0' || t.p[i] > '9')
				return WARD_ESYNTAX;
			x = x * 10 + (uint64_t)(t.p[i] - '0');
			if (x > 0xffffffffffffull)
				return WARD_ERANGE;
		}
		wire_wr_u16(w, (uint16_t)(x >> 32));
		wire_wr_u32(w, (uint32_t)x);
		return 0;
	}
	case RDF_TSIGERR:
		if ((r = rdf_lex_word(lx, &t)) < 0 ||
		    (r = parse_mnem(&t, tsig_errors,
		                    sizeof tsig_errors / sizeof tsig_errors[0],
		                    65535, &v)) < 0)
			return r;
		wire_wr_u16(w, (uint16_t)v);
		return 0;
	case RDF_PROTO:
		if ((r = rdf_lex_word(lx, &t)) < 0)
			return r;
		if (eq_nocase(t.p, t.n, "tcp"))
			v = 6;
		else if (eq_nocase(t.p, t.n, "udp"))
			v = 17;
		else if ((r = rdf_parse_uint(&t, 255, &v)) < 0)
			return r;
		wire_wr_u8(w, (uint8_t)v);
		return 0;
	case RDF_INT16DATA:
		return int16data_from_text(lx, w);
	case RDF_GPOSSTR: {
		uint8_t buf[255];
		size_t len;
		if ((r = rdf_lex_need(lx, &t)) < 0)
			return r;
		if ((r = rdf_unescape(t.p, t.n, buf, sizeof buf, &len)) < 0)
			return r;
		if (!gpos_ok(buf, len))
			return WARD_ESYNTAX;
		wire_wr_u8(w, (uint8_t)len);
		wire_wr_bytes(w, buf, len);
		return 0;
	}
	case RDF_IPSECGW:
		return ipsecgw_from_text(lx, origin, w);
	case RDF_HIP:
		return hip_from_text(lx, w);
	case RDF_PORTMAP:
		return portmap_from_text(lx, w);
	case RDF_NXTMAP:
		return nxtmap_from_text(lx, w);
	case RDF_LOC:
		return loc_from_text(lx, w);
	case RDF_APL:
		return apl_from_text(lx, w);
	case RDF_ATMA:
		return atma_from_text(lx, w);
	case RDF_B64_OPT: {
		const char *p;
		size_t n, got;
		if (rdf_lex_at_end(lx))
			return 0;
		rdf_lex_rest(lx, &p, &n);
		if (w->err)
			return w->err;
		r = base64_decode_ws(p, n, w->buf + w->pos, w->cap - w->pos, &got);
		if (r < 0)
			return r;
		w->pos += got;
		return 0;
	}
	case RDF_NAMES:
		while ((r = rdf_lex_next(lx, &t)) > 0) {
			dns_name name;
			if (t.quoted)
				return WARD_ESYNTAX;
			if ((r = dns_name_from_text(&name, t.p, t.n, origin)) < 0)
				return r;
			dns_name_write(w, &name);
		}
		return r;
	default:
		return WARD_EINVAL;
	}
}

bool rdf_legacy_printable(uint8_t k, const uint8_t *p, size_t n)
{
	switch (k) {
	case RDF_GPOSSTR:
		return gpos_ok(p + 1, n - 1);
	case RDF_HIP:
		return get_uint(p + 2, 2) > 0; /* an empty public key has no text */
	case RDF_PORTMAP:
	case RDF_NXTMAP:
		return n == 0 || p[n - 1] != 0; /* trailing zeros would be lost */
	case RDF_LOC:
		return p[0] == 0 && loc_prec_ok(p[1]) && loc_prec_ok(p[2]) &&
		       loc_prec_ok(p[3]) && loc_angle_ok(get_uint(p + 4, 4), 90) &&
		       loc_angle_ok(get_uint(p + 8, 4), 180);
	case RDF_APL:
		return apl_printable(p, n);
	case RDF_ATMA:
		return atma_printable(p, n);
	default:
		return true;
	}
}

void rdf_legacy_to_text(strbuf *sb, uint8_t k, const uint8_t *p, size_t n)
{
	switch (k) {
	case RDF_U48:
		strbuf_printf(sb, "%llu",
		              (unsigned long long)get_uint(p, 2) << 32 |
		              get_uint(p + 2, 4));
		break;
	case RDF_TSIGERR: {
		uint16_t v = (uint16_t)get_uint(p, 2);
		for (size_t i = 0; i < sizeof tsig_errors / sizeof tsig_errors[0];
		     i++) {
			if (tsig_errors[i].v == v) {
				strbuf_puts(sb, tsig_errors[i].name);
				return;
			}
		}
		strbuf_printf(sb, "%u", (unsigned)v);
		break;
	}
	case RDF_PROTO:
		if (p[0] == 6)
			strbuf_puts(sb, "tcp");
		else if (p[0] == 17)
			strbuf_puts(sb, "udp");
		else
			strbuf_printf(sb, "%u", p[0]);
		break;
	case RDF_INT16DATA:
		strbuf_printf(sb, "%u", (unsigned)(n - 2));
		if (n > 2) {
			strbuf_putc(sb, ' ');
			base64_encode(sb, p + 2, n - 2);
		}
		break;
	case RDF_GPOSSTR:
		strbuf_putn(sb, (const char *)p + 1, n - 1);
		break;
	case RDF_IPSECGW:
		strbuf_printf(sb, "%u %u ", p[0], p[1]);
		if (p[0] == 0) {
			strbuf_putc(sb, '.');
		} else if (p[0] == 1) {
			rdf_put_ipv4(sb, p + 2);
		} else if (p[0] == 2) {
			rdf_put_ipv6(sb, p + 2);
		} else {
			dns_name name;
			if (dns_name_from_wire(&name, p + 2, n - 2) == 0)
				dns_name_to_text(&name, sb);
		}
		break;
	case RDF_HIP: {
		size_t hitlen = p[0], pklen = get_uint(p + 2, 2);
		strbuf_printf(sb, "%u ", p[1]);
		strbuf_hex(sb, p + 4, hitlen);
		strbuf_putc(sb, ' ');
		base64_encode(sb, p + 4 + hitlen, pklen);
		break;
	}
	case RDF_PORTMAP:
		bits_to_text(sb, p, n, false);
		break;
	case RDF_NXTMAP:
		bits_to_text(sb, p, n, true);
		break;
	case RDF_LOC:
		loc_to_text(sb, p);
		break;
	case RDF_APL:
		apl_to_text(sb, p, n);
		break;
	case RDF_ATMA:
		if (p[0] == 1) {
			strbuf_putc(sb, '+');
			strbuf_putn(sb, (const char *)p + 1, n - 1);
		} else {
			strbuf_hex(sb, p + 1, n - 1);
		}
		break;
	case RDF_B64_OPT:
		base64_encode(sb, p, n);
		break;
	case RDF_NAMES: {
		size_t pos = 0;
		bool first = true;
		while (pos < n) {
			dns_name name;
			int len = dns_name_check(p + pos, n - pos);
			if (len < 0 || dns_name_from_wire(&name, p + pos, (size_t)len) < 0)
				break;
			if (!first)
				strbuf_putc(sb, ' ');
			first = false;
			dns_name_to_text(&name, sb);
			pos += (size_t)len;
		}
		break;
	}
	default:
		break;
	}
}
