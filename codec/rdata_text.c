/* ward: rdata presentation format, both directions, driven by the
 * descriptor table (rdata_desc.c). The output follows what ldns prints
 * (RFC 1035 §5.1 and each type's RFC): names fully qualified, hex
 * uppercase, base64 without blanks, RRSIG times as YYYYMMDDHHmmSS, strings
 * quoted. Any type also reads and (when it has no descriptor) prints the
 * RFC 3597 §5 form "\# <length> <hex>". */
#include <string.h>

#include "base.h"
#include "name.h"
#include "rdata_desc.h"
#include "rdata_text_int.h"
#include "rdata_text_svcb.h"
#include "rr.h"
#include "zone.h"

static bool tok_is(const struct rdf_tok *t, const char *w)
{
	return !t->quoted && t->n == strlen(w) && memcmp(t->p, w, t->n) == 0;
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static bool tok_eq_nocase(const char *p, size_t n, const char *w)
{
	size_t i = 0;
	for (; i < n; i++)
		if (w[i] == '\0' || upper(p[i]) != upper(w[i]))
			return false;
	return w[i] == '\0';
}

/* ------------------------------------------------------------------ */
/* numbers, times, mnemonics                                           */

/* A TTL-like period: plain seconds, or BIND's units ("1w2d3h4m5s"), as in
 * zone files (zone_ttl_from_text). */
static int parse_period(const struct rdf_tok *t, uint32_t *out)
{
	if (t->quoted || t->n == 0)
		return WARD_ESYNTAX;
	return zone_ttl_from_text(t->p, t->n, out);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (y >= 1970). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = y / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, unsigned *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (unsigned)(yoe + era * 400 + (*m <= 2));
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* RFC 4034 §3.2: YYYYMMDDHHmmSS (UTC) or seconds since the epoch. Values
 * that do not fit 32 bits are refused here; the serial-number arithmetic
 * of RFC 4034 §3.1.5 is the validator's business. */
static int parse_time(const struct rdf_tok *t, uint32_t *out)
{
	if (t->quoted || t->n != 14)
		return rdf_parse_uint(t, UINT32_MAX, out);
	unsigned v[6] = { 0 };
	static const unsigned width[6] = { 4, 2, 2, 2, 2, 2 };
	size_t i = 0;
	for (int f = 0; f < 6; f++) {
		for (unsigned k = 0; k < width[f]; k++, i++) {
			char c = t->p[i];
			if (c < '0' || c > '9')
				return WARD_ESYNTAX;
			v[f] = v[f] * 10 + (unsigned)(c - '0');
		}
	}
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	                                    31, 30, 31 };
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 || v[4] > 59 ||
	    v[5] > 59)
		return WARD_ERANGE;
	unsigned md = mdays[v[1] - 1] + (v[1] == 2 && leap(v[0]));
	if (v[2] > md || v[0] < 1970)
		return WARD_ERANGE;
	int64_t secs = days_from_civil(v[0], v[1], v[2]) * 86400 +
	               (int64_t)v[3] * 3600 + v[4] * 60 + v[5];
	if (secs > (int64_t)UINT32_MAX)
		return WARD_ERANGE;
	*out = (uint32_t)secs;
	return 0;
}

static void put_time(strbuf *sb, uint32_t t)
{
	unsigned y, m, d;
	civil_from_days(t / 86400, &y, &m, &d);
	uint32_t s = t % 86400;
	strbuf_printf(sb, "%04u%02u%02u%02u%02u%02u", y, m, d,
	              (unsigned)(s / 3600), (unsigned)(s / 60 % 60),
	              (unsigned)(s % 60));
}

struct mnem {
	uint16_t v;
	const char *name;
};

/* DNSSEC algorithm mnemonics (RFC 4034 App. A.1, IANA registry). */
static const struct mnem algs[] = {
	{ 1, "RSAMD5" }, { 2, "DH" }, { 3, "DSA" }, { 5, "RSASHA1" },
	{ 6, "DSA-NSEC3-SHA1" }, { 7, "RSASHA1-NSEC3-SHA1" },
	{ 8, "RSASHA256" }, { 10, "RSASHA512" }, { 12, "ECC-GOST" },
	{ 13, "ECDSAP256SHA256" }, { 14, "ECDSAP384SHA384" },
	{ 15, "ED25519" }, { 16, "ED448" }, { 252, "INDIRECT" },
	{ 253, "PRIVATEDNS" }, { 254, "PRIVATEOID" },
};

/* CERT types (RFC 4398 §2.1). */
static const struct mnem cert_types[] = {
	{ 1, "PKIX" }, { 2, "SPKI" }, { 3, "PGP" }, { 4, "IPKIX" },
	{ 5, "ISPKI" }, { 6, "IPGP" }, { 7, "ACPKIX" }, { 8, "IACPKIX" },
	{ 253, "URI" }, { 254, "OID" },
};

static int parse_mnem(const struct rdf_tok *t, const struct mnem *tab, size_t n,
                      uint32_t max, uint32_t *out)
{
	if (!t->quoted && t->n && t->p[0] >= '0' && t->p[0] <= '9')
		return rdf_parse_uint(t, max, out);
	for (size_t i = 0; i < n; i++) {
		if (!t->quoted && tok_eq_nocase(t->p, t->n, tab[i].name)) {
			*out = tab[i].v;
			return 0;
		}
	}
	return WARD_ESYNTAX;
}

/* ------------------------------------------------------------------ */
/* text -> wire, one field                                             */

struct tctx {
	struct rdf_lex lx;
	const dns_name *origin;
	wire_wr w;
};


/* Decode into the writer's free space with a decoder of this shape. */
typedef int (*decode_fn)(const char *, size_t, uint8_t *, size_t, size_t *);

static int decode_into(wire_wr *w, decode_fn fn, const char *s, size_t n,
                       size_t *got)
{
	if (w->err)
		return w->err;
	int r = fn(s, n, w->buf + w->pos, w->cap - w->pos, got);
	if (r < 0)
		return r;
	w->pos += *got;
	return 0;
}

static int put_string(struct tctx *c, const struct rdf_tok *t)
{
	uint8_t buf[255];
	size_t len;
	int r = rdf_unescape(t->p, t->n, buf, sizeof buf, &len);
	if (r < 0)
		return r;
	wire_wr_u8(&c->w, (uint8_t)len);
	wire_wr_bytes(&c->w, buf, len);
	return 0;
}

static int parse_eui(const struct rdf_tok *t, uint8_t *out, size_t nbytes)
{
	/* xx-xx-...: 3 characters per octet but the last */
	if (t->quoted || t->n != nbytes * 3 - 1)
		return WARD_ESYNTAX;
	for (size_t i = 0; i < nbytes; i++) {
		int hi = hex_digit_value(t->p[3 * i]);
		int lo = hex_digit_value(t->p[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i + 1 < nbytes && t->p[3 * i + 2] != '-'))
			return WARD_ESYNTAX;
		out[i] = (uint8_t)((hi << 4) | lo);
	}
	return 0;
}

static int parse_ilnp64(const struct rdf_tok *t, uint8_t out[8])
{
	size_t i = 0;
	if (t->quoted)
		return WARD_ESYNTAX;
	for (int gi = 0; gi < 4; gi++) {
		if (gi) {
			if (i >= t->n || t->p[i] != ':')
				return WARD_ESYNTAX;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < t->n && i - start < 5 && hex_digit_value(t->p[i]) >= 0)
			v = (v << 4) | (unsigned)hex_digit_value(t->p[i++]);
		if (i == start || i - start > 4)
			return WARD_ESYNTAX;
		out[2 * gi] = (uint8_t)(v >> 8);
		out[2 * gi + 1] = (uint8_t)v;
	}
	return i == t->n ? 0 : WARD_ESYNTAX;
}

/* NSAP (RFC 1706 §5): "0x" then hex digits, '.' allowed as a separator. */
static int parse_nsap(struct tctx *c, const struct rdf_tok *t)
{
	if (t->quoted || t->n < 2 || t->p[0] != '0' || upper(t->p[1]) != 'X')
		return WARD_ESYNTAX;
	int hi = -1;
	size_t bytes = 0;
	for (size_t i = 2; i < t->n; i++) {
		if (t->p[i] == '.')
			continue;
		int v = hex_digit_value(t->p[i]);
		if (v < 0)
			return WARD_EHEX;
		if (hi < 0) {
			hi = v;
			continue;
		}
		wire_wr_u8(&c->w, (uint8_t)((hi << 4) | v));
		hi = -1;
		bytes++;
	}
	return hi >= 0 || bytes == 0 ? WARD_EHEX : 0;
}

static int parse_bitmap(struct tctx *c, bool allow_empty)
{
	uint8_t bits[8192]; /* one bit per type */
	struct rdf_tok t;
	int r;
	bool any = false;
	memset(bits, 0, sizeof bits);
	while ((r = rdf_lex_next(&c->lx, &t)) > 0) {
		uint16_t type;
		if (t.quoted)
			return WARD_ESYNTAX;
		r = dns_type_from_text(t.p, t.n, &type);
		if (r < 0)
			return r;
		bits[type >> 3] |= (uint8_t)(0x80 >> (type & 7));
		any = true;
	}
	if (r < 0)
		return r;
	if (!any)
		return allow_empty ? 0 : WARD_EMISSING;
	for (unsigned win = 0; win < 256; win++) {
		const uint8_t *wb = bits + win * 32;
		int len = 32;
		while (len > 0 && wb[len - 1] == 0)
			len--;
		if (len == 0)
			continue;
		wire_wr_u8(&c->w, (uint8_t)win);
		wire_wr_u8(&c->w, (uint8_t)len);
		wire_wr_bytes(&c->w, wb, (size_t)len);
	}
	return 0;
}

static int field_from_text(struct tctx *c, uint8_t k)
{
	struct rdf_tok t;
	uint32_t v;
	int r;

	if (rdf_is_legacy_kind(k))
		return rdf_legacy_from_text(k, &c->lx, c->origin, &c->w);
	switch (k) {
	case RDF_U8:
	case RDF_U16:
	case RDF_U32: {
		uint32_t max = k == RDF_U8 ? 0xff : k == RDF_U16 ? 0xffff :
		               UINT32_MAX;
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 || (r = rdf_parse_uint(&t, max, &v)) < 0)
			return r;
		break;
	}
	case RDF_PERIOD:
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 || (r = parse_period(&t, &v)) < 0)
			return r;
		break;
	case RDF_TIME:
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 || (r = parse_time(&t, &v)) < 0)
			return r;
		break;
	case RDF_ALG:
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 ||
		    (r = parse_mnem(&t, algs, sizeof algs / sizeof algs[0], 0xff,
		                    &v)) < 0)
			return r;
		break;
	case RDF_CERTTYPE:
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 ||
		    (r = parse_mnem(&t, cert_types,
		                    sizeof cert_types / sizeof cert_types[0], 0xffff,
		                    &v)) < 0)
			return r;
		break;
	case RDF_TYPE: {
		uint16_t ty;
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 ||
		    (r = dns_type_from_text(t.p, t.n, &ty)) < 0)
			return r;
		v = ty;
		break;
	}
	case RDF_A:
	case RDF_AAAA: {
		uint8_t a[16];
		if ((r = rdf_lex_word(&c->lx, &t)) < 0)
			return r;
		r = k == RDF_A ? rdf_parse_ipv4(t.p, t.n, a) :
		                 rdf_parse_ipv6(t.p, t.n, a);
		if (r < 0)
			return r;
		wire_wr_bytes(&c->w, a, k == RDF_A ? 4 : 16);
		return 0;
	}
	case RDF_EUI48:
	case RDF_EUI64:
	case RDF_ILNP64: {
		uint8_t a[8];
		size_t len = k == RDF_EUI48 ? 6 : 8;
		if ((r = rdf_lex_word(&c->lx, &t)) < 0)
			return r;
		r = k == RDF_ILNP64 ? parse_ilnp64(&t, a) : parse_eui(&t, a, len);
		if (r < 0)
			return r;
		wire_wr_bytes(&c->w, a, len);
		return 0;
	}
	case RDF_NAME_C:
	case RDF_NAME_D:
	case RDF_NAME_N:
	case RDF_NAME: {
		dns_name n;
		if ((r = rdf_lex_word(&c->lx, &t)) < 0 ||
		    (r = dns_name_from_text(&n, t.p, t.n, c->origin)) < 0)
			return r;
		dns_name_write(&c->w, &n);
		return 0;
	}
	case RDF_STR_OPT:
		if (rdf_lex_at_end(&c->lx))
			return 0;
		/* fall through */
	case RDF_STR:
		if ((r = rdf_lex_need(&c->lx, &t)) < 0)
			return r;
		return put_string(c, &t);
	case RDF_STRS:
		if ((r = rdf_lex_need(&c->lx, &t)) < 0)
			return r;
		do {
			if ((r = put_string(c, &t)) < 0)
				return r;
		} while ((r = rdf_lex_next(&c->lx, &t)) > 0);
		return r;
	case RDF_LSTR: {
		size_t got;
		if ((r = rdf_lex_need(&c->lx, &t)) < 0)
			return r;
		if (c->w.err)
			return c->w.err;
		r = rdf_unescape(t.p, t.n, c->w.buf + c->w.pos, c->w.cap - c->w.pos,
		                 &got);
		if (r < 0)
			return r == WARD_ESTRLEN ? WARD_ESPACE : r;
		c->w.pos += got;
		return 0;
	}
	case RDF_TAG: {
		uint8_t buf[255];
		size_t len;
		if ((r = rdf_lex_need(&c->lx, &t)) < 0)
			return r;
		if ((r = rdf_unescape(t.p, t.n, buf, sizeof buf, &len)) < 0)
			return r;
		if (len == 0)
			return WARD_ESYNTAX;
		for (size_t i = 0; i < len; i++) {
			uint8_t ch = buf[i];
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			      (ch >= 'A' && ch <= 'Z')))
				return WARD_ESYNTAX;
		}
		wire_wr_u8(&c->w, (uint8_t)len);
		wire_wr_bytes(&c->w, buf, len);
		return 0;
	}
	case RDF_HEXLEN:
	case RDF_B32LEN: {
		uint8_t buf[255];
		size_t len = 0;
		if ((r = rdf_lex_word(&c->lx, &t)) < 0)
			return r;
		if (k == RDF_HEXLEN && t.n == 1 && t.p[0] == '-')
			len = 0; /* empty salt, RFC 5155 §3.3 */
		else if (k == RDF_HEXLEN)
			r = hex_decode(t.p, t.n, buf, sizeof buf, &len);
		else
			r = base32hex_decode(t.p, t.n, buf, sizeof buf, &len);
		if (r == WARD_ESPACE)
			return WARD_ESTRLEN;
		if (r < 0)
			return r;
		if (k == RDF_B32LEN && len == 0)
			return WARD_EBASE32;
		wire_wr_u8(&c->w, (uint8_t)len);
		wire_wr_bytes(&c->w, buf, len);
		return 0;
	}
	case RDF_HEX:
	case RDF_B64: {
		const char *p;
		size_t n, got;
		if (rdf_lex_at_end(&c->lx))
			return WARD_EMISSING;
		rdf_lex_rest(&c->lx, &p, &n);
		r = decode_into(&c->w, k == RDF_HEX ? hex_decode_ws : base64_decode_ws,
		                p, n, &got);
		if (r < 0)
			return r;
		return got ? 0 : WARD_EMISSING;
	}
	case RDF_NSAP:
		if ((r = rdf_lex_need(&c->lx, &t)) < 0)
			return r;
		return parse_nsap(c, &t);
	case RDF_BITMAP:
	case RDF_BITMAP0:
		return parse_bitmap(c, k == RDF_BITMAP0);
	case RDF_SVCPARAMS: {
		const char *p;
		size_t n;
		rdf_lex_rest(&c->lx, &p, &n);
		return rdf_svcparams_from_text(p, n, &c->w);
	}
	default: /* RDF_OPAQUE, RDF_EDNSOPTS: only the \# form */
		return WARD_ESYNTAX;
	}
	if (k == RDF_U8 || k == RDF_ALG)
		wire_wr_u8(&c->w, (uint8_t)v);
	else if (k == RDF_U16 || k == RDF_TYPE || k == RDF_CERTTYPE)
		wire_wr_u16(&c->w, (uint16_t)v);
	else
		wire_wr_u32(&c->w, v);
	return 0;
}

/* RFC 3597 §5: "\#" <length> <hex...>; the data must then be valid for
 * the type when the type is known. */
static int generic_from_text(struct tctx *c, uint16_t type)
{
	struct rdf_tok t;
	uint32_t len;
	const char *p;
	size_t n, got = 0;
	int r;

	if ((r = rdf_lex_word(&c->lx, &t)) < 0 || (r = rdf_parse_uint(&t, 65535, &len)) < 0)
		return r;
	rdf_lex_rest(&c->lx, &p, &n);
	size_t start = c->w.pos;
	if ((r = decode_into(&c->w, hex_decode_ws, p, n, &got)) < 0)
		return r;
	if (got != len)
		return WARD_ERDLEN;
	if (dns_rdata_check(type, c->w.buf + start, got) < 0)
		return WARD_ERDATA;
	return 0;
}

int dns_rdata_from_text(uint16_t type, const char *text, size_t n,
                        const dns_name *origin, uint8_t *out, size_t cap,
                        size_t *outlen)
{
	struct tctx c = { { text, n, 0 }, origin,
	                  wire_wr_init(out, cap < DNS_RDATA_MAX ? cap
	                                                        : DNS_RDATA_MAX) };
	const struct rdata_desc *d = rdata_desc_get(type);
	struct rdf_lex peek = c.lx;
	struct rdf_tok t;
	int r;

	r = rdf_lex_next(&peek, &t);
	if (r > 0 && tok_is(&t, "\\#")) {
		c.lx = peek;
		r = generic_from_text(&c, type);
	} else if (r < 0) {
		return r;
	} else if (!d || rdata_desc_generic_text(d)) {
		return r == 0 ? WARD_EMISSING : WARD_ESYNTAX; /* needs \# */
	} else {
		r = 0;
		for (unsigned i = 0; i < d->nf && r >= 0; i++)
			r = field_from_text(&c, d->f[i]);
		if (r >= 0 && !rdf_lex_at_end(&c.lx))
			r = WARD_ETRAILING;
	}
	if (r >= 0 && c.w.err)
		r = c.w.err;
	if (r == WARD_ESPACE && cap >= DNS_RDATA_MAX)
		r = WARD_ELIMIT; /* more than 65535 octets of rdata */
	if (r < 0)
		return r;
	*outlen = c.w.pos;
	return 0;
}

/* ------------------------------------------------------------------ */
/* wire -> text                                                        */

static void put_generic(strbuf *sb, const uint8_t *rdata, size_t len)
{
	strbuf_printf(sb, "\\# %zu", len);
	if (len) {
		strbuf_putc(sb, ' ');
		strbuf_hex(sb, rdata, len);
	}
}

static void put_bitmap(strbuf *sb, const uint8_t *p, size_t n, bool *first)
{
	wire_rd rd = wire_rd_init(p, n);
	while (wire_rd_left(&rd) > 0) {
		uint8_t win = wire_rd_u8(&rd);
		uint8_t len = wire_rd_u8(&rd);
		const uint8_t *bits = wire_rd_view(&rd, len);
		if (!bits)
			return;
		for (unsigned i = 0; i < (unsigned)len * 8; i++) {
			if (!(bits[i >> 3] & (0x80 >> (i & 7))))
				continue;
			if (!*first)
				strbuf_putc(sb, ' ');
			*first = false;
			dns_type_to_text((uint16_t)(win * 256 + i), sb);
		}
	}
}

static const char *mnem_name(const struct mnem *tab, size_t n, uint16_t v)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].v == v)
			return tab[i].name;
	return NULL;
}

static uint32_t get_uint(const uint8_t *p, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Print one field p[0..n) of kind k (already validated). */
static void field_to_text(strbuf *sb, uint8_t k, const uint8_t *p, size_t n)
{
	switch (k) {
	case RDF_U8: case RDF_U16: case RDF_U32: case RDF_PERIOD: case RDF_ALG:
		strbuf_printf(sb, "%u", (unsigned)get_uint(p, n));
		break;
	case RDF_TYPE:
		dns_type_to_text((uint16_t)get_uint(p, 2), sb);
		break;
	case RDF_CERTTYPE: {
		uint16_t v = (uint16_t)get_uint(p, 2);
		const char *name = mnem_name(cert_types,
		                             sizeof cert_types / sizeof cert_types[0],
		                             v);
		if (name)
			strbuf_puts(sb, name);
		else
			strbuf_printf(sb, "%u", (unsigned)v);
		break;
	}
	case RDF_TIME:
		put_time(sb, get_uint(p, 4));
		break;
	case RDF_A:
		rdf_put_ipv4(sb, p);
		break;
	case RDF_AAAA:
		rdf_put_ipv6(sb, p);
		break;
	case RDF_EUI48:
	case RDF_EUI64:
		for (size_t i = 0; i < n; i++)
			strbuf_printf(sb, i ? "-%02x" : "%02x", p[i]);
		break;
	case RDF_ILNP64:
		strbuf_printf(sb, "%04x:%04x:%04x:%04x", (unsigned)get_uint(p, 2),
		              (unsigned)get_uint(p + 2, 2), (unsigned)get_uint(p + 4, 2),
		              (unsigned)get_uint(p + 6, 2));
		break;
	case RDF_NAME_C: case RDF_NAME_D: case RDF_NAME_N: case RDF_NAME: {
		dns_name name;
		if (dns_name_from_wire(&name, p, n) == 0)
			dns_name_to_text(&name, sb);
		break;
	}
	case RDF_STR:
	case RDF_STR_OPT:
		rdf_put_quoted(sb, p + 1, n - 1);
		break;
	case RDF_STRS: {
		wire_rd rd = wire_rd_init(p, n);
		bool first = true;
		while (wire_rd_left(&rd) > 0) {
			uint8_t len = wire_rd_u8(&rd);
			const uint8_t *s = wire_rd_view(&rd, len);
			if (rd.err)
				break;
			if (!first)
				strbuf_putc(sb, ' ');
			first = false;
			rdf_put_quoted(sb, s, len);
		}
		break;
	}
	case RDF_LSTR:
		rdf_put_quoted(sb, p, n);
		break;
	case RDF_TAG:
		strbuf_putn(sb, (const char *)p + 1, n - 1);
		break;
	case RDF_HEXLEN:
		if (n == 1)
			strbuf_putc(sb, '-');
		else
			strbuf_hex(sb, p + 1, n - 1);
		break;
	case RDF_B32LEN:
		base32hex_encode(sb, p + 1, n - 1);
		break;
	case RDF_HEX:
		strbuf_hex(sb, p, n);
		break;
	case RDF_B64:
		base64_encode(sb, p, n);
		break;
	case RDF_NSAP:
		strbuf_puts(sb, "0x");
		strbuf_hex(sb, p, n);
		break;
	case RDF_SVCPARAMS:
		rdf_svcparams_to_text(sb, p, n);
		break;
	default:
		if (rdf_is_legacy_kind(k))
			rdf_legacy_to_text(sb, k, p, n);
		break;
	}
}

/* Fields with no text of their own when empty: their separator goes too. */
static bool field_silent_when_empty(uint8_t k)
{
	return k == RDF_STR_OPT || k == RDF_BITMAP0 || k == RDF_SVCPARAMS ||
	       k == RDF_B64_OPT || k == RDF_NAMES || k == RDF_PORTMAP ||
	       k == RDF_NXTMAP || k == RDF_APL;
}

/* False for valid fields that have no exact text (an empty digest or key
 * would not parse back, ...): the record is then printed in the RFC 3597
 * form. */
static bool field_printable(uint8_t k, const uint8_t *p, size_t n)
{
	if (k == RDF_HEX || k == RDF_B64)
		return n > 0;
	if (rdf_is_legacy_kind(k))
		return rdf_legacy_printable(k, p, n);
	return true;
}

int dns_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t len,
                      strbuf *sb)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	size_t off[RDESC_MAXF + 1];
	size_t pos = 0;
	int bad = 0;

	if (!d) {
		put_generic(sb, rdata, len);
		return sb->err;
	}
	/* validate the whole rdata first, then see whether it has text */
	for (unsigned i = 0; i < d->nf && !bad; i++) {
		int fl = rdf_field_len(d->f[i], rdata + pos, len - pos);
		if (fl < 0)
			bad = WARD_ERDATA;
		off[i] = pos;
		pos += fl < 0 ? 0 : (size_t)fl;
	}
	if (bad || pos != len) {
		bad = WARD_ERDATA;
		goto generic;
	}
	off[d->nf] = pos;
	if (rdata_desc_generic_text(d))
		goto generic;
	for (unsigned i = 0; i < d->nf; i++)
		if (!field_printable(d->f[i], rdata + off[i], off[i + 1] - off[i]))
			goto generic;
	bool first = true;
	for (unsigned i = 0; i < d->nf; i++) {
		size_t flen = off[i + 1] - off[i];
		if (flen == 0 && field_silent_when_empty(d->f[i]))
			continue;
		if (!first)
			strbuf_putc(sb, ' ');
		first = false;
		if (d->f[i] == RDF_BITMAP || d->f[i] == RDF_BITMAP0) {
			bool f2 = true;
			put_bitmap(sb, rdata + off[i], flen, &f2);
		} else {
			field_to_text(sb, d->f[i], rdata + off[i], flen);
		}
	}
	return sb->err;
generic:
	put_generic(sb, rdata, len);
	return bad ? bad : sb->err;
}
