/* ward: EDNS(0) OPT record and options (RFC 6891, 7873, 8914, 7830, 8467,
 * 7871, 7828, 5001, 7314). Every option is read through the cursor. */
#include <arpa/inet.h>
#include <string.h>

#include "edns.h"
#include "msg.h"

uint32_t edns_ttl(uint8_t ext_rcode, uint8_t version, uint16_t flags)
{
	return ((uint32_t)ext_rcode << 24) | ((uint32_t)version << 16) | flags;
}

int edns_from_rr(uint16_t rclass, uint32_t ttl, const uint8_t *rdata,
                 size_t rdlen, edns_info *e)
{
	memset(e, 0, sizeof *e);
	if (rdlen > UINT16_MAX || (rdlen && !rdata))
		return WARD_EOPT;
	e->udp_size = rclass;
	e->ext_rcode = (uint8_t)(ttl >> 24);
	e->version = (uint8_t)(ttl >> 16);
	e->flags = (uint16_t)ttl;
	e->opts = rdata;
	e->opts_len = (uint16_t)rdlen;
	return edns_opts_check(rdata, rdlen);
}

int edns_from_msg(const dns_msg *m, edns_info *e)
{
	if (!m->has_opt) {
		memset(e, 0, sizeof *e);
		return WARD_ENOTFOUND;
	}
	const dns_rr_view *v = &m->opt;
	return edns_from_rr(v->rclass, v->ttl, m->pkt + v->rdata_off, v->rdlen, e);
}

uint16_t edns_udp_size(const edns_info *e)
{
	return e->udp_size < EDNS_MIN_UDP ? EDNS_MIN_UDP : e->udp_size;
}

/* ---- option list ---- */

void edns_opt_iter_init(edns_opt_iter *it, const uint8_t *opts, size_t len)
{
	static const uint8_t empty[1];
	it->rd = wire_rd_init(opts ? opts : empty, opts ? len : 0);
}

int edns_opt_iter_next(edns_opt_iter *it, edns_opt *o)
{
	wire_rd *rd = &it->rd;
	if (rd->err)
		return WARD_EOPT;
	if (wire_rd_left(rd) == 0)
		return 0;
	o->code = wire_rd_u16(rd);
	o->len = wire_rd_u16(rd);
	o->data = wire_rd_view(rd, o->len);
	if (rd->err) {
		wire_rd_fail(rd, WARD_EOPT);
		return WARD_EOPT;
	}
	return 1;
}

int edns_opts_check(const uint8_t *opts, size_t len)
{
	edns_opt_iter it;
	edns_opt o;
	int r;
	edns_opt_iter_init(&it, opts, len);
	while ((r = edns_opt_iter_next(&it, &o)) > 0)
		;
	return r;
}

int edns_opt_find(const edns_info *e, uint16_t code, edns_opt *o)
{
	edns_opt_iter it;
	edns_opt_iter_init(&it, e->opts, e->opts_len);
	while (edns_opt_iter_next(&it, o) > 0)
		if (o->code == code)
			return 0;
	return WARD_ENOTFOUND;
}

const char *edns_opt_name(uint16_t code)
{
	switch ((enum edns_opt_code)code) {
	case EDNS_OPT_LLQ: return "LLQ";
	case EDNS_OPT_UL: return "UL";
	case EDNS_OPT_NSID: return "NSID";
	case EDNS_OPT_DAU: return "DAU";
	case EDNS_OPT_DHU: return "DHU";
	case EDNS_OPT_N3U: return "N3U";
	case EDNS_OPT_ECS: return "CLIENT-SUBNET";
	case EDNS_OPT_EXPIRE: return "EXPIRE";
	case EDNS_OPT_COOKIE: return "COOKIE";
	case EDNS_OPT_KEEPALIVE: return "TCP-KEEPALIVE";
	case EDNS_OPT_PADDING: return "PADDING";
	case EDNS_OPT_CHAIN: return "CHAIN";
	case EDNS_OPT_KEYTAG: return "KEY-TAG";
	case EDNS_OPT_EDE: return "EDE";
	case EDNS_OPT_CLIENT_TAG: return "CLIENT-TAG";
	case EDNS_OPT_SERVER_TAG: return "SERVER-TAG";
	case EDNS_OPT_REPORT_CHANNEL: return "REPORT-CHANNEL";
	case EDNS_OPT_ZONEVERSION: return "ZONEVERSION";
	}
	return NULL;
}

void edns_opt_write(wire_wr *w, uint16_t code, const uint8_t *data,
                    uint16_t len)
{
	if (!wire_wr_room(w, (size_t)EDNS_OPT_HDR + len))
		return;
	wire_wr_u16(w, code);
	wire_wr_u16(w, len);
	wire_wr_bytes(w, data, len);
}

/* ---- COOKIE, RFC 7873 §4 ---- */

int edns_cookie_parse(const edns_opt *o, edns_cookie *c)
{
	memset(c, 0, sizeof *c);
	size_t n = o->len;
	if (n != EDNS_COOKIE_CLIENT_LEN &&
	    (n < EDNS_COOKIE_CLIENT_LEN + EDNS_COOKIE_SERVER_MIN ||
	     n > EDNS_COOKIE_CLIENT_LEN + EDNS_COOKIE_SERVER_MAX))
		return WARD_EOPT;
	wire_rd rd = wire_rd_init(o->data, n);
	wire_rd_bytes(&rd, c->client, EDNS_COOKIE_CLIENT_LEN);
	c->server_len = (uint8_t)wire_rd_left(&rd);
	wire_rd_bytes(&rd, c->server, c->server_len);
	return rd.err ? WARD_EOPT : 0;
}

int edns_cookie_encode(const edns_cookie *c, uint8_t *out, size_t cap)
{
	if (c->server_len != 0 && (c->server_len < EDNS_COOKIE_SERVER_MIN ||
	                           c->server_len > EDNS_COOKIE_SERVER_MAX))
		return WARD_EOPT;
	wire_wr w = wire_wr_init(out, cap);
	wire_wr_bytes(&w, c->client, EDNS_COOKIE_CLIENT_LEN);
	wire_wr_bytes(&w, c->server, c->server_len);
	return w.err ? w.err : (int)w.pos;
}

/* ---- Extended DNS Errors, RFC 8914 ---- */

static const char *const ede_names[] = {
	[EDE_OTHER] = "Other Error",
	[EDE_UNSUPPORTED_DNSKEY_ALG] = "Unsupported DNSKEY Algorithm",
	[EDE_UNSUPPORTED_DS_DIGEST] = "Unsupported DS Digest Type",
	[EDE_STALE_ANSWER] = "Stale Answer",
	[EDE_FORGED_ANSWER] = "Forged Answer",
	[EDE_DNSSEC_INDETERMINATE] = "DNSSEC Indeterminate",
	[EDE_DNSSEC_BOGUS] = "DNSSEC Bogus",
	[EDE_SIG_EXPIRED] = "Signature Expired",
	[EDE_SIG_NOT_YET_VALID] = "Signature Not Yet Valid",
	[EDE_DNSKEY_MISSING] = "DNSKEY Missing",
	[EDE_RRSIGS_MISSING] = "RRSIGs Missing",
	[EDE_NO_ZONE_KEY_BIT] = "No Zone Key Bit Set",
	[EDE_NSEC_MISSING] = "NSEC Missing",
	[EDE_CACHED_ERROR] = "Cached Error",
	[EDE_NOT_READY] = "Not Ready",
	[EDE_BLOCKED] = "Blocked",
	[EDE_CENSORED] = "Censored",
	[EDE_FILTERED] = "Filtered",
	[EDE_PROHIBITED] = "Prohibited",
	[EDE_STALE_NXDOMAIN] = "Stale NXDOMAIN Answer",
	[EDE_NOT_AUTHORITATIVE] = "Not Authoritative",
	[EDE_NOT_SUPPORTED] = "Not Supported",
	[EDE_NO_REACHABLE_AUTHORITY] = "No Reachable Authority",
	[EDE_NETWORK_ERROR] = "Network Error",
	[EDE_INVALID_DATA] = "Invalid Data",
	[EDE_SIG_EXPIRED_BEFORE_VALID] = "Signature Expired before Valid",
	[EDE_TOO_EARLY] = "Too Early",
	[EDE_UNSUPPORTED_NSEC3_ITER] = "Unsupported NSEC3 Iterations Value",
	[EDE_UNABLE_TO_CONFORM] = "Unable to conform to policy",
	[EDE_SYNTHESIZED] = "Synthesized",
	[EDE_INVALID_QUERY_TYPE] = "Invalid Query Type",
};

const char *edns_ede_name(uint16_t info_code)
{
	if (info_code < sizeof ede_names / sizeof ede_names[0])
		return ede_names[info_code];
	return NULL;
}

int edns_ede_parse(const edns_opt *o, edns_ede *e)
{
	memset(e, 0, sizeof *e);
	wire_rd rd = wire_rd_init(o->data, o->len);
	e->info_code = wire_rd_u16(&rd);
	if (rd.err)
		return WARD_EOPT;
	e->text_len = wire_rd_left(&rd);
	e->text = e->text_len ? wire_rd_view(&rd, e->text_len) : NULL;
	/* RFC 8914 §2: SHOULD NOT be NUL-terminated; tolerate one */
	if (e->text_len && e->text[e->text_len - 1] == 0)
		e->text_len--;
	if (!e->text_len)
		e->text = NULL;
	e->text_utf8 = edns_utf8_valid(e->text, e->text_len);
	return 0;
}

int edns_ede_encode(uint16_t info_code, const char *text, size_t text_len,
                    uint8_t *out, size_t cap)
{
	if (!text)
		text_len = 0;
	if (!edns_utf8_valid((const uint8_t *)text, text_len) ||
	    text_len > UINT16_MAX - 2)
		return WARD_EINVAL;
	wire_wr w = wire_wr_init(out, cap);
	wire_wr_u16(&w, info_code);
	wire_wr_bytes(&w, text, text_len);
	return w.err ? w.err : (int)w.pos;
}

/* ---- Client subnet, RFC 7871 §6 ---- */

static int ecs_family_bits(uint16_t family)
{
	switch (family) {
	case EDNS_ECS_FAMILY_IPV4: return 32;
	case EDNS_ECS_FAMILY_IPV6: return 128;
	}
	return -1;
}

int edns_ecs_parse(const edns_opt *o, edns_ecs *e)
{
	memset(e, 0, sizeof *e);
	wire_rd rd = wire_rd_init(o->data, o->len);
	e->family = wire_rd_u16(&rd);
	e->source_prefix = wire_rd_u8(&rd);
	e->scope_prefix = wire_rd_u8(&rd);
	if (rd.err)
		return WARD_EOPT;
	int bits = ecs_family_bits(e->family);
	if (bits < 0)
		return WARD_ENOTSUP;
	if (e->source_prefix > bits || e->scope_prefix > bits)
		return WARD_EOPT;
	size_t alen = ((size_t)e->source_prefix + 7) / 8;
	if (wire_rd_left(&rd) != alen)
		return WARD_EOPT;
	wire_rd_bytes(&rd, e->addr, alen);
	/* bits beyond SOURCE PREFIX-LENGTH must be zero */
	if (e->source_prefix % 8 &&
	    (e->addr[alen - 1] & (0xFFu >> (e->source_prefix % 8))))
		return WARD_EOPT;
	return rd.err ? WARD_EOPT : 0;
}

int edns_ecs_encode(const edns_ecs *e, uint8_t *out, size_t cap)
{
	int bits = ecs_family_bits(e->family);
	if (bits < 0 || e->source_prefix > bits || e->scope_prefix > bits)
		return WARD_EINVAL;
	size_t alen = ((size_t)e->source_prefix + 7) / 8;
	uint8_t addr[16];
	memcpy(addr, e->addr, alen);
	if (e->source_prefix % 8)
		addr[alen - 1] &= (uint8_t)(0xFFu << (8 - e->source_prefix % 8));
	wire_wr w = wire_wr_init(out, cap);
	wire_wr_u16(&w, e->family);
	wire_wr_u8(&w, e->source_prefix);
	wire_wr_u8(&w, e->scope_prefix);
	wire_wr_bytes(&w, addr, alen);
	return w.err ? w.err : (int)w.pos;
}

/* ---- TCP keepalive (RFC 7828), EXPIRE (RFC 7314) ---- */

int edns_keepalive_parse(const edns_opt *o, bool *has_timeout,
                         uint16_t *timeout)
{
	*has_timeout = false;
	*timeout = 0;
	if (o->len == 0)
		return 0;
	if (o->len != 2)
		return WARD_EOPT;
	wire_rd rd = wire_rd_init(o->data, o->len);
	*timeout = wire_rd_u16(&rd);
	*has_timeout = true;
	return rd.err ? WARD_EOPT : 0;
}

int edns_expire_parse(const edns_opt *o, bool *has_value, uint32_t *value)
{
	*has_value = false;
	*value = 0;
	if (o->len == 0)
		return 0;
	if (o->len != 4)
		return WARD_EOPT;
	wire_rd rd = wire_rd_init(o->data, o->len);
	*value = wire_rd_u32(&rd);
	*has_value = true;
	return rd.err ? WARD_EOPT : 0;
}

/* ---- Padding, RFC 7830 / RFC 8467 ---- */

size_t edns_padding_len(size_t msg_len, size_t block, size_t max_len)
{
	if (block == 0 || msg_len + EDNS_OPT_HDR > max_len)
		return 0;
	size_t with_hdr = msg_len + EDNS_OPT_HDR;
	size_t pad = (block - with_hdr % block) % block;
	if (with_hdr + pad > max_len)
		pad = max_len - with_hdr;
	if (pad > UINT16_MAX)
		pad = UINT16_MAX;
	return pad;
}

/* ---- UTF-8 and text ---- */

/* Length of the valid UTF-8 sequence at p[0..n) (RFC 3629 §4), 0 if
 * invalid; sets *cp to the code point. */
static size_t utf8_seq(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c = p[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1Fu, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0Fu, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

bool edns_utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t l = utf8_seq(p + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

void edns_text_put_sanitized(strbuf *sb, const uint8_t *p, size_t n)
{
	size_t i = 0;
	uint32_t cp;
	while (i < n && !sb->err) {
		size_t l = utf8_seq(p + i, n - i, &cp);
		if (l == 1 && cp >= 0x20 && cp < 0x7F && cp != '\\') {
			strbuf_putc(sb, (char)cp);
		} else if (l > 1 && cp >= 0xA0) {
			strbuf_putn(sb, (const char *)p + i, l);
		} else {
			strbuf_printf(sb, "\\%03u", p[i]);
			l = 1;
		}
		i += l;
	}
}

static void put_hex_lower(strbuf *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n && !sb->err; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		strbuf_putn(sb, two, 2);
	}
}

static void ecs_to_text(const edns_ecs *e, strbuf *sb)
{
	char buf[INET6_ADDRSTRLEN];
	int af = e->family == EDNS_ECS_FAMILY_IPV4 ? AF_INET : AF_INET6;
	if (!inet_ntop(af, e->addr, buf, sizeof buf))
		buf[0] = '\0';
	strbuf_printf(sb, "%s/%u/%u", buf, e->source_prefix, e->scope_prefix);
}

/* Known options' decoded forms; returns false if the decoder refused it. */
static bool opt_known_text(const edns_opt *o, strbuf *sb)
{
	switch (o->code) {
	case EDNS_OPT_COOKIE: {
		edns_cookie c;
		if (edns_cookie_parse(o, &c) < 0)
			return false;
		put_hex_lower(sb, c.client, sizeof c.client);
		put_hex_lower(sb, c.server, c.server_len);
		return true;
	}
	case EDNS_OPT_EDE: {
		edns_ede e;
		if (edns_ede_parse(o, &e) < 0)
			return false;
		const char *name = edns_ede_name(e.info_code);
		strbuf_printf(sb, "%u", e.info_code);
		if (name)
			strbuf_printf(sb, " (%s)", name);
		if (e.text_len) {
			strbuf_puts(sb, ": (");
			edns_text_put_sanitized(sb, e.text, e.text_len);
			strbuf_putc(sb, ')');
		}
		return true;
	}
	case EDNS_OPT_ECS: {
		edns_ecs e;
		if (edns_ecs_parse(o, &e) < 0)
			return false;
		ecs_to_text(&e, sb);
		return true;
	}
	case EDNS_OPT_KEEPALIVE: {
		bool has;
		uint16_t t;
		if (edns_keepalive_parse(o, &has, &t) < 0)
			return false;
		if (has)
			strbuf_printf(sb, "%u.%u secs", t / 10, t % 10);
		else
			strbuf_puts(sb, "(no timeout)");
		return true;
	}
	case EDNS_OPT_EXPIRE: {
		bool has;
		uint32_t v;
		if (edns_expire_parse(o, &has, &v) < 0)
			return false;
		if (has)
			strbuf_printf(sb, "%u", v);
		else
			strbuf_puts(sb, "(empty)");
		return true;
	}
	case EDNS_OPT_PADDING:
		strbuf_printf(sb, "(%u bytes)", o->len);
		return true;
	case EDNS_OPT_NSID:
		put_hex_lower(sb, o->data, o->len);
		if (o->len) {
			strbuf_puts(sb, " (\"");
			edns_text_put_sanitized(sb, o->data, o->len);
			strbuf_puts(sb, "\")");
		}
		return true;
	case EDNS_OPT_DAU: case EDNS_OPT_DHU: case EDNS_OPT_N3U:
		for (size_t i = 0; i < o->len; i++)
			strbuf_printf(sb, "%s%u", i ? " " : "", o->data[i]);
		return true;
	case EDNS_OPT_KEYTAG:
		if (o->len % 2)
			return false;
		for (size_t i = 0; i + 1 < o->len; i += 2)
			strbuf_printf(sb, "%s%u", i ? " " : "",
			              (unsigned)((o->data[i] << 8) | o->data[i + 1]));
		return true;
	}
	put_hex_lower(sb, o->data, o->len);
	return true;
}

void edns_opt_to_text(const edns_opt *o, strbuf *sb)
{
	const char *name = edns_opt_name(o->code);
	if (name)
		strbuf_printf(sb, "%s: ", name);
	else
		strbuf_printf(sb, "OPT=%u: ", o->code);
	size_t mark = sb->len;
	if (!opt_known_text(o, sb) && !sb->err) {
		strbuf_truncate(sb, mark);
		put_hex_lower(sb, o->data, o->len);
		strbuf_puts(sb, " (malformed)");
	}
}
