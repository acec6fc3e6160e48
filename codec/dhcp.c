/* ward: DHCPv4 message parsing and option accessors.
 * RFC 951 (BOOTP), RFC 2131 §2/§4.1 (format, overload order), RFC 2132
 * (options), RFC 3396 (long options), RFC 3046 (relay agent information),
 * RFC 3397 (domain search), RFC 3442 (classless routes), RFC 4702 (FQDN). */
#include <string.h>

#include "dhcp.h"

/* ---- walking the option areas ---- */

enum { AREA_MAIN, AREA_FILE, AREA_SNAME, AREA_DONE };

/* Iterates the options of a packet across the options field and the
 * overloaded fields, in RFC 2131 §4.1 order. PAD and END are consumed here;
 * option 52 is checked here so every walk agrees on where options are. */
typedef struct opt_walk {
	const uint8_t *pkt;
	size_t len;
	wire_rd rd;          /* over pkt, narrowed to the current area */
	unsigned area;
	uint8_t overload;
	unsigned pflags;
} opt_walk;

static void walk_enter(opt_walk *w, unsigned area)
{
	w->area = area;
	w->rd = wire_rd_init(w->pkt, w->len);
	switch (area) {
	case AREA_MAIN:
		w->rd.pos = DHCP_OPTIONS_OFF;
		break;
	case AREA_FILE:
		w->rd.pos = DHCP_FILE_OFF;
		w->rd.end = DHCP_FILE_OFF + DHCP_FILE_LEN;
		break;
	case AREA_SNAME:
		w->rd.pos = DHCP_SNAME_OFF;
		w->rd.end = DHCP_SNAME_OFF + DHCP_SNAME_LEN;
		break;
	default:
		w->rd.pos = w->rd.end;
		break;
	}
}

static void walk_next_area(opt_walk *w)
{
	unsigned next = AREA_DONE;
	if (w->area == AREA_MAIN && (w->overload & DHCP_OVERLOAD_FILE))
		next = AREA_FILE;
	else if (w->area != AREA_SNAME && (w->overload & DHCP_OVERLOAD_SNAME))
		next = AREA_SNAME;
	walk_enter(w, next);
}

static opt_walk walk_begin(const uint8_t *pkt, size_t len)
{
	opt_walk w;
	memset(&w, 0, sizeof w);
	w.pkt = pkt;
	w.len = len;
	walk_enter(&w, AREA_MAIN);
	return w;
}

/* 1 with the next option, 0 after the last area, or a negative ward_err. */
static int walk_next(opt_walk *w, uint8_t *code, const uint8_t **val,
                     uint8_t *vlen)
{
	while (w->area != AREA_DONE) {
		if (wire_rd_left(&w->rd) == 0) {
			w->pflags |= DHCP_PF_NOEND;
			walk_next_area(w);
			continue;
		}
		uint8_t c = wire_rd_u8(&w->rd);
		if (c == DHCP_OPT_PAD)
			continue;
		if (c == DHCP_OPT_END) {
			while (wire_rd_left(&w->rd) > 0) {
				if (wire_rd_u8(&w->rd) != 0) {
					w->pflags |= DHCP_PF_AFTER_END;
					break;
				}
			}
			walk_next_area(w);
			continue;
		}
		uint8_t n = wire_rd_u8(&w->rd);
		const uint8_t *v = wire_rd_view(&w->rd, n);
		if (w->rd.err || !v)
			return WARD_EDHCPOPT;
		if (c == DHCP_OPT_OVERLOAD) {
			if (w->area != AREA_MAIN || w->overload || n != 1 ||
			    v[0] < 1 || v[0] > 3)
				return WARD_EOVERLOAD;
			w->overload = v[0];
		}
		*code = c;
		*val = v;
		*vlen = n;
		return 1;
	}
	return 0;
}

/* ---- the message ---- */

static uint32_t get_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void msg_reset(dhcp_msg *m)
{
	/* everything but the (large) value buffer */
	memset(m, 0, offsetof(dhcp_msg, data));
}

static int read_header(dhcp_msg *m, wire_rd *rd)
{
	m->op = wire_rd_u8(rd);
	m->htype = wire_rd_u8(rd);
	m->hlen = wire_rd_u8(rd);
	m->hops = wire_rd_u8(rd);
	m->xid = wire_rd_u32(rd);
	m->secs = wire_rd_u16(rd);
	m->flags = wire_rd_u16(rd);
	m->ciaddr = wire_rd_u32(rd);
	m->yiaddr = wire_rd_u32(rd);
	m->siaddr = wire_rd_u32(rd);
	m->giaddr = wire_rd_u32(rd);
	wire_rd_bytes(rd, m->chaddr, sizeof m->chaddr);
	wire_rd_bytes(rd, m->sname, sizeof m->sname);
	wire_rd_bytes(rd, m->file, sizeof m->file);
	if (rd->err)
		return WARD_EDHCP;
	if (m->op != DHCP_BOOTREQUEST && m->op != DHCP_BOOTREPLY)
		return WARD_EDHCP;
	if (m->hlen > DHCP_CHADDR_LEN)
		return WARD_EDHCP;
	return 0;
}

int dhcp_parse(dhcp_msg *m, const uint8_t *pkt, size_t len)
{
	if (!m || (!pkt && len))
		return WARD_EINVAL;
	msg_reset(m);
	if (len > DHCP_MSG_MAX)
		return WARD_EDHCP;
	m->wire_len = len;
	wire_rd rd = wire_rd_init(pkt, len);
	int r = read_header(m, &rd);
	if (r < 0)
		return r;

	/* RFC 951's vendor area: the RFC 1048 cookie, or nothing we know */
	size_t vend = wire_rd_left(&rd);
	if (vend < 4 || wire_rd_u32(&rd) != DHCP_COOKIE) {
		if (!all_zero(pkt + DHCP_HDR_LEN, vend))
			return WARD_ECOOKIE;
		m->pflags |= DHCP_PF_BOOTP;
		return 0;
	}

	/* pass 1: validate everything and size each code's value */
	opt_walk w = walk_begin(pkt, len);
	uint8_t code, n;
	const uint8_t *v;
	while ((r = walk_next(&w, &code, &v, &n)) == 1) {
		dhcp_optval *o = &m->opt[code];
		if (o->count == 0)
			m->order[m->nopts++] = code;
		else
			m->pflags |= DHCP_PF_CONCAT;
		o->count++;
		o->len += n;
	}
	if (r < 0)
		return r;
	m->pflags |= w.pflags;
	m->overload = w.overload;

	/* value offsets in order of appearance; the total is below len */
	uint32_t off = 0;
	for (unsigned i = 0; i < m->nopts; i++) {
		dhcp_optval *o = &m->opt[m->order[i]];
		o->off = off;
		off += o->len;
	}
	m->data_len = off;

	/* pass 2: concatenate (cannot fail: pass 1 walked the same bytes) */
	uint32_t fill[256] = { 0 };
	w = walk_begin(pkt, len);
	while (walk_next(&w, &code, &v, &n) == 1) {
		dhcp_optval *o = &m->opt[code];
		if (n) {
			memcpy(m->data + o->off + fill[code], v, n);
			fill[code] += n;
		}
	}
	return 0;
}

/* ---- accessors ---- */

const uint8_t *dhcp_opt_get(const dhcp_msg *m, uint8_t code, size_t *len)
{
	const dhcp_optval *o = &m->opt[code];
	if (o->count == 0) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = o->len;
	return m->data + o->off;
}

bool dhcp_opt_has(const dhcp_msg *m, uint8_t code)
{
	return m->opt[code].count != 0;
}

/* The value of `code` when its length is exactly `want`. */
static int opt_fixed(const dhcp_msg *m, uint8_t code, size_t want,
                     const uint8_t **p)
{
	size_t n;
	*p = dhcp_opt_get(m, code, &n);
	if (!*p)
		return WARD_ENOTFOUND;
	return n == want ? 0 : WARD_EDHCPOPT;
}

int dhcp_opt_u8(const dhcp_msg *m, uint8_t code, uint8_t *out)
{
	const uint8_t *p;
	int r = opt_fixed(m, code, 1, &p);
	if (r == 0)
		*out = p[0];
	return r;
}

int dhcp_opt_u16(const dhcp_msg *m, uint8_t code, uint16_t *out)
{
	const uint8_t *p;
	int r = opt_fixed(m, code, 2, &p);
	if (r == 0)
		*out = (uint16_t)((p[0] << 8) | p[1]);
	return r;
}

int dhcp_opt_u32(const dhcp_msg *m, uint8_t code, uint32_t *out)
{
	const uint8_t *p;
	int r = opt_fixed(m, code, 4, &p);
	if (r == 0)
		*out = get_u32(p);
	return r;
}

int dhcp_opt_ip(const dhcp_msg *m, uint8_t code, uint32_t *out)
{
	return dhcp_opt_u32(m, code, out);
}

int dhcp_opt_iplist(const dhcp_msg *m, uint8_t code, uint32_t *out, size_t max)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(m, code, &n);
	if (!p)
		return WARD_ENOTFOUND;
	if (n == 0 || n % 4 != 0)
		return WARD_EDHCPOPT;
	for (size_t i = 0; i < n / 4 && i < max; i++)
		out[i] = get_u32(p + 4 * i);
	return (int)(n / 4);
}

int dhcp_opt_string(const dhcp_msg *m, uint8_t code, const uint8_t **s,
                    size_t *len)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(m, code, &n);
	if (!p)
		return WARD_ENOTFOUND;
	while (n > 0 && p[n - 1] == 0)
		n--;
	if (n == 0)
		return WARD_EDHCPOPT;
	*s = p;
	*len = n;
	return 0;
}

int dhcp_msg_type(const dhcp_msg *m)
{
	uint8_t t;
	int r = dhcp_opt_u8(m, DHCP_OPT_MSG_TYPE, &t);
	if (r == WARD_ENOTFOUND)
		return 0;
	if (r < 0)
		return r;
	return t == 0 ? WARD_EDHCPOPT : t;
}

int dhcp_opt_prl(const dhcp_msg *m, const uint8_t **codes, size_t *n)
{
	const uint8_t *p = dhcp_opt_get(m, DHCP_OPT_PARAM_REQ, n);
	if (!p)
		return WARD_ENOTFOUND;
	if (*n == 0)
		return WARD_EDHCPOPT;
	*codes = p;
	return 0;
}

int dhcp_opt_client_id(const dhcp_msg *m, const uint8_t **id, size_t *len)
{
	const uint8_t *p = dhcp_opt_get(m, DHCP_OPT_CLIENT_ID, len);
	if (!p)
		return WARD_ENOTFOUND;
	if (*len < 2)
		return WARD_EDHCPOPT;
	*id = p;
	return 0;
}

int dhcp_opt_hostname(const dhcp_msg *m, const uint8_t **s, size_t *len)
{
	return dhcp_opt_string(m, DHCP_OPT_HOSTNAME, s, len);
}

int dhcp_opt_max_size(const dhcp_msg *m, uint16_t *out)
{
	return dhcp_opt_u16(m, DHCP_OPT_MAX_SIZE, out);
}

int dhcp_opt_rapid_commit(const dhcp_msg *m)
{
	size_t n;
	if (!dhcp_opt_get(m, DHCP_OPT_RAPID_COMMIT, &n))
		return 0;
	return n == 0 ? 1 : WARD_EDHCPOPT;
}

/* ---- client FQDN (RFC 4702) ---- */

/* Label text: '.', '\\', '"' and non-printables as \DDD. */
static void put_label(strbuf *sb, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] > 0x20 && p[i] < 0x7f && p[i] != '.' && p[i] != '\\' &&
		    p[i] != '"')
			strbuf_putc(sb, (char)p[i]);
		else
			strbuf_printf(sb, "\\%03u", p[i]);
	}
}

int dhcp_fqdn_decode(const uint8_t *val, size_t len, dhcp_fqdn *out)
{
	memset(out, 0, offsetof(dhcp_fqdn, text));
	out->text[0] = '\0';
	wire_rd rd = wire_rd_init(val, len);
	out->flags = wire_rd_u8(&rd);
	out->rcode1 = wire_rd_u8(&rd);
	out->rcode2 = wire_rd_u8(&rd);
	if (rd.err)
		return WARD_EDHCPOPT;
	out->wire = (out->flags & DHCP_FQDN_E) != 0;
	out->raw = val + rd.pos;
	out->raw_len = wire_rd_left(&rd);
	strbuf sb = strbuf_init(out->text, sizeof out->text);

	if (!out->wire) {
		/* deprecated ASCII form; receivers drop trailing NULs */
		size_t n = out->raw_len;
		while (n > 0 && out->raw[n - 1] == 0)
			n--;
		out->partial = !(n > 0 && out->raw[n - 1] == '.');
		if (!out->partial)
			n--;
		strbuf_put_sanitized(&sb, out->raw, n);
		return sb.err ? WARD_EDHCPOPT : 0;
	}
	if (out->raw_len > DNS_NAME_MAXLEN)
		return WARD_EDHCPOPT;
	out->partial = true;
	while (wire_rd_left(&rd) > 0) {
		uint8_t ll = wire_rd_u8(&rd);
		if (ll == 0) {
			out->partial = false;
			break;
		}
		if (ll > DNS_LABEL_MAXLEN)
			return WARD_EDHCPOPT; /* compression or reserved type */
		const uint8_t *label = wire_rd_view(&rd, ll);
		if (!label)
			return WARD_EDHCPOPT;
		if (out->labels++)
			strbuf_putc(&sb, '.');
		put_label(&sb, label, ll);
	}
	/* the root label ends the name: nothing may follow it */
	if (wire_rd_left(&rd) > 0 || sb.err)
		return WARD_EDHCPOPT;
	return 0;
}

int dhcp_opt_fqdn(const dhcp_msg *m, dhcp_fqdn *out)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(m, DHCP_OPT_CLIENT_FQDN, &n);
	if (!p)
		return WARD_ENOTFOUND;
	return dhcp_fqdn_decode(p, n, out);
}

/* ---- sub-options (RFC 3046 §2) ---- */

int dhcp_subopt_next(dhcp_subopt_iter *it, uint8_t *code, const uint8_t **val,
                     size_t *len)
{
	if (it->rd.err)
		return WARD_EDHCPOPT;
	if (wire_rd_left(&it->rd) == 0)
		return 0;
	uint8_t c = wire_rd_u8(&it->rd);
	uint8_t n = wire_rd_u8(&it->rd);
	const uint8_t *v = wire_rd_view(&it->rd, n);
	if (it->rd.err || !v) {
		wire_rd_fail(&it->rd, WARD_EDHCPOPT);
		return WARD_EDHCPOPT;
	}
	*code = c;
	*val = v;
	*len = n;
	return 1;
}

int dhcp_opt_rai_find(const dhcp_msg *m, uint8_t sub, const uint8_t **val,
                      size_t *len)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(m, DHCP_OPT_RELAY_AGENT, &n);
	if (!p)
		return WARD_ENOTFOUND;
	dhcp_subopt_iter it = dhcp_subopt_begin(p, n);
	uint8_t c;
	const uint8_t *v;
	size_t vl;
	int r, found = 0;
	/* the whole option must be well-formed, even past the match */
	while ((r = dhcp_subopt_next(&it, &c, &v, &vl)) == 1) {
		if (c == sub && !found) {
			*val = v;
			*len = vl;
			found = 1;
		}
	}
	if (r < 0)
		return r;
	return found ? 0 : WARD_ENOTFOUND;
}

/* ---- classless static routes (RFC 3442 §3) ---- */

static uint32_t prefix_mask(unsigned prefix)
{
	return prefix == 0 ? 0 : 0xFFFFFFFFu << (32 - prefix);
}

int dhcp_routes_decode(const uint8_t *val, size_t len, dhcp_route *out,
                       size_t max)
{
	wire_rd rd = wire_rd_init(val, len);
	size_t count = 0;
	while (wire_rd_left(&rd) > 0) {
		uint8_t prefix = wire_rd_u8(&rd);
		if (prefix > 32)
			return WARD_EDHCPOPT;
		uint8_t dst[4] = { 0 };
		wire_rd_bytes(&rd, dst, ((size_t)prefix + 7) / 8);
		uint32_t router = wire_rd_u32(&rd);
		if (rd.err)
			return WARD_EDHCPOPT;
		uint32_t dest = get_u32(dst);
		if (dest & ~prefix_mask(prefix))
			return WARD_EDHCPOPT;
		if (out && count < max) {
			out[count].dest = dest;
			out[count].prefix = prefix;
			out[count].router = router;
		}
		count++;
	}
	return (int)count;
}

int dhcp_routes_encode(const dhcp_route *r, size_t n, uint8_t *out, size_t cap)
{
	wire_wr w = wire_wr_init(out, cap);
	for (size_t i = 0; i < n; i++) {
		if (r[i].prefix > 32 || (r[i].dest & ~prefix_mask(r[i].prefix)))
			return WARD_EINVAL;
		wire_wr_u8(&w, r[i].prefix);
		uint8_t dst[4] = { (uint8_t)(r[i].dest >> 24),
		                   (uint8_t)(r[i].dest >> 16),
		                   (uint8_t)(r[i].dest >> 8), (uint8_t)r[i].dest };
		wire_wr_bytes(&w, dst, ((size_t)r[i].prefix + 7) / 8);
		wire_wr_u32(&w, r[i].router);
	}
	if (w.err)
		return w.err;
	if (w.pos > (size_t)DHCP_MSG_MAX)
		return WARD_ESPACE;
	return (int)w.pos;
}

/* ---- domain search (RFC 3397) ---- */

int dhcp_search_decode(const uint8_t *val, size_t len, dns_name *out, size_t max)
{
	wire_rd rd = wire_rd_init(val, len);
	size_t count = 0;
	dns_name tmp;
	while (wire_rd_left(&rd) > 0) {
		int r = dns_name_read(&rd, out && count < max ? &out[count] : &tmp,
		                      true);
		if (r < 0)
			return r;
		count++;
	}
	return (int)count;
}

int dhcp_search_encode(const dns_name *names, size_t n, uint8_t *out, size_t cap)
{
	wire_wr w = wire_wr_init(out, cap);
	dns_compress c;
	dns_compress_init(&c);
	for (size_t i = 0; i < n; i++)
		dns_name_write_compressed(&w, &names[i], &c);
	if (w.err)
		return w.err;
	return (int)w.pos;
}
