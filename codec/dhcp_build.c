/* ward: DHCPv4 message builder.
 *
 * Option values are staged, unencoded, in the caller's buffer right after
 * the cookie, in the order they are added. dhcp_build_finish() plans where
 * every value goes — the options field first, then (with option 52) 'file',
 * then 'sname', RFC 2131 §4.1 order — splitting long values into 255-octet
 * instances (RFC 3396), then writes the overloaded fields and finally
 * expands the options field in place from the back, where every encoded
 * option lands at or after its staged copy. */
#include <string.h>

#include "dhcp.h"

enum { OFF_OP = 0, OFF_HTYPE = 1, OFF_HLEN = 2, OFF_HOPS = 3, OFF_XID = 4,
       OFF_SECS = 8, OFF_FLAGS = 10, OFF_CIADDR = 12, OFF_YIADDR = 16,
       OFF_SIADDR = 20, OFF_GIADDR = 24, OFF_CHADDR = 28, OFF_COOKIE = 236 };

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int fail(dhcp_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return err;
}

/* The header can be written (init succeeded far enough). */
static bool hdr_ok(const dhcp_builder *b)
{
	return b->buf && b->cap >= DHCP_BOOTP_MIN_LEN;
}

int dhcp_build_init(dhcp_builder *b, uint8_t *buf, size_t cap, uint8_t op)
{
	memset(b, 0, sizeof *b);
	b->buf = buf;
	b->cap = cap;
	b->staged = DHCP_OPTIONS_OFF;
	b->limit = DHCP_MIN_MAX_SIZE - DHCP_IPUDP_LEN;
	if (!buf)
		return fail(b, WARD_EINVAL);
	if (cap < DHCP_BOOTP_MIN_LEN)
		return fail(b, WARD_ESPACE);
	if (cap > DHCP_MSG_MAX)
		b->cap = cap = DHCP_MSG_MAX;
	memset(buf, 0, DHCP_OPTIONS_OFF);
	buf[OFF_OP] = op;
	buf[OFF_HTYPE] = 1; /* Ethernet */
	buf[OFF_HLEN] = 6;
	put_u32(buf + OFF_COOKIE, DHCP_COOKIE);
	if (op != DHCP_BOOTREQUEST && op != DHCP_BOOTREPLY)
		return fail(b, WARD_EINVAL);
	return 0;
}

int dhcp_build_reply(dhcp_builder *b, uint8_t *buf, size_t cap,
                     const dhcp_msg *req)
{
	int r = dhcp_build_init(b, buf, cap, DHCP_BOOTREPLY);
	if (r < 0)
		return r;
	if (!req || req->hlen > DHCP_CHADDR_LEN)
		return fail(b, WARD_EINVAL);
	buf[OFF_HTYPE] = req->htype;
	buf[OFF_HLEN] = req->hlen;
	put_u32(buf + OFF_XID, req->xid);
	put_u16(buf + OFF_FLAGS, req->flags);
	put_u32(buf + OFF_GIADDR, req->giaddr);
	memcpy(buf + OFF_CHADDR, req->chaddr, DHCP_CHADDR_LEN);
	uint16_t max;
	if (dhcp_opt_max_size(req, &max) == 0)
		dhcp_build_set_max_size(b, max);
	return 0;
}

void dhcp_build_set_max_size(dhcp_builder *b, size_t max_size)
{
	if (max_size < DHCP_MIN_MAX_SIZE)
		max_size = DHCP_MIN_MAX_SIZE;
	if (max_size > DHCP_MSG_MAX + DHCP_IPUDP_LEN)
		max_size = DHCP_MSG_MAX + DHCP_IPUDP_LEN;
	b->limit = max_size - DHCP_IPUDP_LEN;
}

static void set_u32(dhcp_builder *b, size_t off, uint32_t v)
{
	if (hdr_ok(b))
		put_u32(b->buf + off, v);
}

void dhcp_build_set_xid(dhcp_builder *b, uint32_t xid) { set_u32(b, OFF_XID, xid); }
void dhcp_build_set_ciaddr(dhcp_builder *b, uint32_t ip) { set_u32(b, OFF_CIADDR, ip); }
void dhcp_build_set_yiaddr(dhcp_builder *b, uint32_t ip) { set_u32(b, OFF_YIADDR, ip); }
void dhcp_build_set_siaddr(dhcp_builder *b, uint32_t ip) { set_u32(b, OFF_SIADDR, ip); }
void dhcp_build_set_giaddr(dhcp_builder *b, uint32_t ip) { set_u32(b, OFF_GIADDR, ip); }

void dhcp_build_set_secs(dhcp_builder *b, uint16_t secs)
{
	if (hdr_ok(b))
		put_u16(b->buf + OFF_SECS, secs);
}

void dhcp_build_set_flags(dhcp_builder *b, uint16_t flags)
{
	if (hdr_ok(b))
		put_u16(b->buf + OFF_FLAGS, flags);
}

void dhcp_build_set_hops(dhcp_builder *b, uint8_t hops)
{
	if (hdr_ok(b))
		b->buf[OFF_HOPS] = hops;
}

int dhcp_build_set_chaddr(dhcp_builder *b, uint8_t htype, const uint8_t *addr,
                          uint8_t hlen)
{
	if (hlen > DHCP_CHADDR_LEN || (hlen && !addr))
		return fail(b, WARD_EINVAL);
	if (!hdr_ok(b))
		return fail(b, WARD_EINVAL);
	b->buf[OFF_HTYPE] = htype;
	b->buf[OFF_HLEN] = hlen;
	memset(b->buf + OFF_CHADDR, 0, DHCP_CHADDR_LEN);
	if (hlen)
		memcpy(b->buf + OFF_CHADDR, addr, hlen);
	return 0;
}

/* A NUL-terminated string in a fixed field of `size` octets. */
static int set_field(dhcp_builder *b, size_t off, size_t size, const char *s,
                     size_t n, bool *used)
{
	if (n >= size || (n && !s) || !hdr_ok(b))
		return fail(b, WARD_EINVAL);
	memset(b->buf + off, 0, size);
	if (n)
		memcpy(b->buf + off, s, n);
	*used = n > 0;
	return 0;
}

int dhcp_build_set_sname(dhcp_builder *b, const char *s, size_t n)
{
	return set_field(b, DHCP_SNAME_OFF, DHCP_SNAME_LEN, s, n, &b->sname_used);
}

int dhcp_build_set_file(dhcp_builder *b, const char *s, size_t n)
{
	return set_field(b, DHCP_FILE_OFF, DHCP_FILE_LEN, s, n, &b->file_used);
}

int dhcp_build_opt(dhcp_builder *b, uint8_t code, const void *val, size_t len)
{
	if (b->err)
		return b->err;
	if (code == DHCP_OPT_PAD || code == DHCP_OPT_END ||
	    code == DHCP_OPT_OVERLOAD || (len && !val))
		return fail(b, WARD_EINVAL);
	if (b->have[code / 8] & (1u << (code % 8)))
		return fail(b, WARD_EINVAL);
	if (b->n >= DHCP_BUILD_MAXOPTS)
		return fail(b, WARD_ELIMIT);
	if (len > b->cap - b->staged)
		return fail(b, WARD_ESPACE);
	if (len)
		memcpy(b->buf + b->staged, val, len);
	b->opt[b->n].code = code;
	b->opt[b->n].off = (uint32_t)b->staged;
	b->opt[b->n].len = (uint32_t)len;
	b->n++;
	b->staged += len;
	b->have[code / 8] |= (uint8_t)(1u << (code % 8));
	return 0;
}

int dhcp_build_opt_u8(dhcp_builder *b, uint8_t code, uint8_t v)
{
	return dhcp_build_opt(b, code, &v, 1);
}

int dhcp_build_opt_u16(dhcp_builder *b, uint8_t code, uint16_t v)
{
	uint8_t p[2];
	put_u16(p, v);
	return dhcp_build_opt(b, code, p, sizeof p);
}

int dhcp_build_opt_u32(dhcp_builder *b, uint8_t code, uint32_t v)
{
	uint8_t p[4];
	put_u32(p, v);
	return dhcp_build_opt(b, code, p, sizeof p);
}

int dhcp_build_opt_ip(dhcp_builder *b, uint8_t code, uint32_t ip)
{
	return dhcp_build_opt_u32(b, code, ip);
}

/* ---- layout ---- */

enum { AREAS_MAX = 3 };

typedef struct layout {
	unsigned nareas;
	size_t start[AREAS_MAX]; /* where each area begins in buf */
	size_t room[AREAS_MAX];  /* octets for options, END excluded */
	uint8_t kind[AREAS_MAX]; /* 0 options field, else DHCP_OVERLOAD_* */
	/* value octets of option i that go into area a, in area order */
	uint32_t part[DHCP_BUILD_MAXOPTS][AREAS_MAX];
	uint8_t where[DHCP_BUILD_MAXOPTS]; /* bit a: option i has an instance in a */
} layout;

/* Encoded size of n value octets as 255-octet instances. */
static size_t enc_len(size_t n)
{
	return n == 0 ? 2 : n + 2 * ((n + DHCP_OPT_MAXLEN - 1) / DHCP_OPT_MAXLEN);
}

/* The most value octets whose instances fit in `left` octets. */
static size_t fit_len(size_t left)
{
	size_t full = left / (DHCP_OPT_MAXLEN + 2);
	size_t rest = left % (DHCP_OPT_MAXLEN + 2);
	return full * DHCP_OPT_MAXLEN + (rest > 2 ? rest - 2 : 0);
}

static bool fits_later(const layout *l, unsigned a, size_t n)
{
	for (unsigned i = a + 1; i < l->nareas; i++)
		if (enc_len(n) <= l->room[i])
			return true;
	return false;
}

/* Place the options in order, moving forward through the areas. An option
 * that does not fit the rest of an area moves whole to the next one when a
 * later area can hold it and it needs no splitting anyway; otherwise it is
 * split (RFC 3396) across areas. */
static int plan(const dhcp_builder *b, layout *l)
{
	unsigned a = 0;
	size_t used = 0;
	memset(l->part, 0, sizeof l->part);
	memset(l->where, 0, sizeof l->where);
	for (unsigned i = 0; i < b->n; i++) {
		size_t rest = b->opt[i].len;
		for (;;) {
			if (a >= l->nareas)
				return WARD_ESPACE;
			size_t left = l->room[a] - used;
			if (enc_len(rest) <= left) {
				l->part[i][a] += (uint32_t)rest;
				l->where[i] |= (uint8_t)(1u << a);
				used += enc_len(rest);
				break;
			}
			size_t k = fit_len(left);
			if (!(rest <= DHCP_OPT_MAXLEN && fits_later(l, a, rest)) && k > 0) {
				l->part[i][a] += (uint32_t)k;
				l->where[i] |= (uint8_t)(1u << a);
				rest -= k;
			}
			a++;
			used = 0;
		}
	}
	return 0;
}

/* Write n value octets from src as instances at dst (no overlap). */
static size_t put_instances(uint8_t *dst, uint8_t code, const uint8_t *src,
                            size_t n)
{
	size_t pos = 0;
	do {
		size_t c = n > DHCP_OPT_MAXLEN ? DHCP_OPT_MAXLEN : n;
		dst[pos] = code;
		dst[pos + 1] = (uint8_t)c;
		memcpy(dst + pos + 2, src, c);
		pos += c + 2;
		src += c;
		n -= c;
	} while (n > 0);
	return pos;
}

/* Fill an overloaded field: its instances, END, zero padding. */
static void write_field(dhcp_builder *b, const layout *l, unsigned a)
{
	uint8_t *field = b->buf + l->start[a];
	size_t pos = 0;
	for (unsigned i = 0; i < b->n; i++) {
		if (!(l->where[i] & (1u << a)))
			continue;
		size_t skip = 0; /* octets of this value placed in earlier areas */
		for (unsigned e = 0; e < a; e++)
			skip += l->part[i][e];
		pos += put_instances(field + pos, b->opt[i].code,
		                     b->buf + b->opt[i].off + skip, l->part[i][a]);
	}
	field[pos++] = DHCP_OPT_END;
	memset(field + pos, 0, l->room[a] + 1 - pos);
}

/* Expand the options field in place, last option first: each encoded
 * option starts at or after its staged value, so nothing unread is hit. */
static size_t write_main(dhcp_builder *b, const layout *l)
{
	uint32_t at[DHCP_BUILD_MAXOPTS];
	size_t pos = DHCP_OPTIONS_OFF;
	unsigned last = 0;
	for (unsigned i = 0; i < b->n; i++) {
		if (!(l->where[i] & 1u))
			break; /* the options field holds a prefix of the options */
		at[i] = (uint32_t)pos;
		pos += enc_len(l->part[i][0]);
		last = i + 1;
	}
	for (unsigned i = last; i-- > 0;) {
		size_t n = l->part[i][0];
		size_t chunks = n == 0 ? 1 : (n + DHCP_OPT_MAXLEN - 1) / DHCP_OPT_MAXLEN;
		for (size_t c = chunks; c-- > 0;) {
			size_t src = b->opt[i].off + c * DHCP_OPT_MAXLEN;
			size_t csz = n - c * DHCP_OPT_MAXLEN;
			if (csz > DHCP_OPT_MAXLEN)
				csz = DHCP_OPT_MAXLEN;
			size_t dst = at[i] + c * (DHCP_OPT_MAXLEN + 2);
			memmove(b->buf + dst + 2, b->buf + src, csz);
			b->buf[dst] = b->opt[i].code;
			b->buf[dst + 1] = (uint8_t)csz;
		}
	}
	return pos;
}

int dhcp_build_finish(dhcp_builder *b)
{
	if (b->err)
		return b->err;
	size_t limit = b->limit < b->cap ? b->limit : b->cap;
	if (limit < DHCP_BOOTP_MIN_LEN)
		return fail(b, WARD_ESPACE);
	layout l; /* ~3 KiB */

	/* everything in the options field, or overload */
	l.nareas = 1;
	l.kind[0] = 0;
	l.start[0] = DHCP_OPTIONS_OFF;
	l.room[0] = limit - DHCP_OPTIONS_OFF - 1;
	bool overload = false;
	if (plan(b, &l) < 0) {
		overload = true;
		l.room[0] -= 3; /* option 52 */
		if (!b->file_used) {
			l.kind[l.nareas] = DHCP_OVERLOAD_FILE;
			l.start[l.nareas] = DHCP_FILE_OFF;
			l.room[l.nareas++] = DHCP_FILE_LEN - 1;
		}
		if (!b->sname_used) {
			l.kind[l.nareas] = DHCP_OVERLOAD_SNAME;
			l.start[l.nareas] = DHCP_SNAME_OFF;
			l.room[l.nareas++] = DHCP_SNAME_LEN - 1;
		}
		if (l.nareas == 1 || plan(b, &l) < 0)
			return fail(b, WARD_ESPACE);
	}

	/* the overloaded fields first: they read staged values that the
	 * options field expansion may overwrite */
	uint8_t ovl = 0;
	for (unsigned a = 1; a < l.nareas; a++) {
		bool any = false;
		for (unsigned i = 0; i < b->n && !any; i++)
			any = (l.where[i] & (1u << a)) != 0;
		if (any) {
			write_field(b, &l, a);
			ovl |= l.kind[a];
		}
	}
	size_t pos = write_main(b, &l);
	if (overload && ovl) {
		b->buf[pos++] = DHCP_OPT_OVERLOAD;
		b->buf[pos++] = 1;
		b->buf[pos++] = ovl;
	}
	b->buf[pos++] = DHCP_OPT_END;
	size_t len = pos < DHCP_BOOTP_MIN_LEN ? DHCP_BOOTP_MIN_LEN : pos;
	memset(b->buf + pos, 0, len - pos);
	return (int)len;
}
