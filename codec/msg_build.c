/* ward: DNS message builder with name compression, a size limit that
 * truncates whole RRsets (RFC 2181 §9) and an always-kept OPT record. */
#include <stddef.h>
#include <string.h>

#include "msg_build.h"

/* Room the OPT record needs at the end of the message. */
static size_t opt_reserve(bool edns, size_t opt_len, bool pad)
{
	if (!edns)
		return 0;
	return EDNS_OPT_RR_LEN + opt_len + (pad ? EDNS_OPT_HDR : 0);
}

/* Let records use limit - reserve octets; fails when more is written. */
static int set_reserve(dns_mb *b, size_t reserve)
{
	if (reserve > b->limit || b->w.pos > b->limit - reserve)
		return WARD_ESPACE;
	b->w.cap = b->limit - reserve;
	return 0;
}

_Static_assert(offsetof(dns_mb, comp) < offsetof(dns_mb, id) &&
               offsetof(dns_mb, id) < offsetof(dns_mb, opt_data) &&
               sizeof(dns_mb) - offsetof(dns_mb, opt_data) - DNS_MB_OPT_MAX <
               _Alignof(dns_mb),
               "dns_mb_init relies on this field order");

int dns_mb_init(dns_mb *b, uint8_t *buf, size_t cap, size_t limit)
{
	/* everything but the compression offsets and the option bytes (1.5
	 * of its 1.6 KB), which are read only below comp.n and opt_len */
	memset(b, 0, offsetof(dns_mb, comp));
	dns_compress_init(&b->comp);
	memset(&b->id, 0, offsetof(dns_mb, opt_data) - offsetof(dns_mb, id));
	if (limit > cap)
		limit = cap;
	if (limit > DNS_MSG_MAXLEN)
		limit = DNS_MSG_MAXLEN;
	if (!buf || limit < DNS_HEADER_LEN) {
		b->err = WARD_EINVAL;
		return b->err;
	}
	b->w = wire_wr_init(buf, limit);
	b->limit = limit;
	b->section = DNS_SEC_QUESTION;
	dns_compress_init(&b->comp);
	static const uint8_t zero[DNS_HEADER_LEN];
	wire_wr_bytes(&b->w, zero, sizeof zero);
	return 0;
}

void dns_mb_set_id(dns_mb *b, uint16_t id)
{
	b->id = id;
}

void dns_mb_set_flags(dns_mb *b, uint16_t flags)
{
	b->flags = (uint16_t)(flags & ~(DNS_FLAG_TC | 0x000F));
}

void dns_mb_set_rcode(dns_mb *b, uint16_t rcode)
{
	b->rcode = rcode & 0x0FFF;
}

void dns_mb_set_tc(dns_mb *b)
{
	b->tc_forced = true;
}

bool dns_mb_truncated(const dns_mb *b)
{
	return b->tc;
}

size_t dns_mb_len(const dns_mb *b)
{
	return b->w.pos;
}

/* Forget compression targets in bytes that were taken back. */
static void comp_rollback(dns_compress *c, size_t pos)
{
	unsigned k = 0;
	for (unsigned i = 0; i < c->n; i++)
		if (c->off[i] < pos)
			c->off[k++] = c->off[i];
	c->n = k;
}

static void rollback(dns_mb *b, size_t pos)
{
	b->w.pos = pos;
	b->w.err = 0;
	comp_rollback(&b->comp, pos);
}

int dns_mb_question(dns_mb *b, const dns_name *qname, uint16_t qtype,
                    uint16_t qclass)
{
	if (b->err)
		return b->err;
	if (b->done || b->section != DNS_SEC_QUESTION)
		return WARD_EINVAL;
	if (b->count[DNS_SEC_QUESTION] == UINT16_MAX)
		return WARD_ESPACE;
	size_t save = b->w.pos;
	dns_name_write_compressed(&b->w, qname, &b->comp);
	wire_wr_u16(&b->w, qtype);
	wire_wr_u16(&b->w, qclass);
	if (b->w.err) {
		rollback(b, save);
		return WARD_ESPACE;
	}
	b->count[DNS_SEC_QUESTION]++;
	return 0;
}

/* One record; the caller checks w.err. WARD_EINVAL when the packed rdata
 * would not fit RDLENGTH. */
static int put_rr(dns_mb *b, const dns_rr *rr)
{
	wire_wr *w = &b->w;
	dns_name_write_compressed(w, &rr->owner, &b->comp);
	wire_wr_u16(w, rr->type);
	wire_wr_u16(w, rr->rclass);
	wire_wr_u32(w, rr->ttl);
	size_t rdlen_at = w->pos;
	wire_wr_u16(w, 0);
	size_t start = w->pos;
	if (rr->rdlen)
		dns_rdata_pack(w, rr->type, rr->rdata, rr->rdlen, &b->comp);
	if (w->err)
		return 0;
	if (w->pos - start > UINT16_MAX)
		return WARD_EINVAL;
	wire_wr_put_u16_at(w, rdlen_at, (uint16_t)(w->pos - start));
	return 0;
}

int dns_mb_rrset(dns_mb *b, enum dns_section s, const dns_rr *rrs, size_t n)
{
	if (b->err)
		return b->err;
	if (b->done || s < DNS_SEC_ANSWER || s > DNS_SEC_ADDITIONAL ||
	    s < b->section || (n && !rrs))
		return WARD_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (rrs[i].type == DNS_T_OPT || (rrs[i].rdlen && !rrs[i].rdata))
			return WARD_EINVAL;
	b->section = s;
	if (b->tc)
		return WARD_ESPACE;
	if (n == 0)
		return 0;

	size_t save = b->w.pos;
	int r = 0;
	if (n > (size_t)(UINT16_MAX - b->count[s])) {
		b->w.err = WARD_ESPACE;
	} else {
		for (size_t i = 0; i < n && !b->w.err && r == 0; i++)
			r = put_rr(b, &rrs[i]);
	}
	if (r < 0) {
		rollback(b, save);
		return r;
	}
	if (b->w.err) {
		rollback(b, save);
		/* RFC 2181 §9: TC for answer/authority, not for additional */
		if (s != DNS_SEC_ADDITIONAL)
			b->tc = true;
		return WARD_ESPACE;
	}
	b->count[s] = (uint16_t)(b->count[s] + n);
	return 0;
}

int dns_mb_rr(dns_mb *b, enum dns_section s, const dns_rr *rr)
{
	return dns_mb_rrset(b, s, rr, 1);
}

int dns_mb_edns(dns_mb *b, uint16_t udp_size, uint8_t version,
                uint16_t edns_flags)
{
	if (b->err)
		return b->err;
	if (b->done)
		return WARD_EINVAL;
	if (set_reserve(b, opt_reserve(true, b->opt_len, b->pad_block)) < 0)
		return WARD_ESPACE;
	b->edns = true;
	b->udp_size = udp_size;
	b->version = version;
	b->edns_flags = edns_flags;
	return 0;
}

int dns_mb_edns_option(dns_mb *b, uint16_t code, const uint8_t *data,
                       uint16_t len)
{
	if (b->err)
		return b->err;
	if (b->done || !b->edns || (len && !data))
		return WARD_EINVAL;
	size_t add = (size_t)EDNS_OPT_HDR + len;
	if (b->opt_len + add > DNS_MB_OPT_MAX)
		return WARD_ESPACE;
	if (set_reserve(b, opt_reserve(true, b->opt_len + add, b->pad_block)) < 0)
		return WARD_ESPACE;
	wire_wr ow = wire_wr_init(b->opt_data, sizeof b->opt_data);
	ow.pos = b->opt_len;
	edns_opt_write(&ow, code, data, len);
	if (ow.err)
		return WARD_ESPACE;
	b->opt_len = (uint16_t)ow.pos;
	return 0;
}

int dns_mb_edns_cookie(dns_mb *b, const edns_cookie *c)
{
	uint8_t data[EDNS_COOKIE_CLIENT_LEN + EDNS_COOKIE_SERVER_MAX];
	int n = edns_cookie_encode(c, data, sizeof data);
	if (n < 0)
		return n;
	return dns_mb_edns_option(b, EDNS_OPT_COOKIE, data, (uint16_t)n);
}

int dns_mb_edns_ede(dns_mb *b, uint16_t info_code, const char *text,
                    size_t text_len)
{
	uint8_t data[DNS_MB_OPT_MAX];
	int n = edns_ede_encode(info_code, text, text_len, data, sizeof data);
	if (n < 0)
		return n;
	return dns_mb_edns_option(b, EDNS_OPT_EDE, data, (uint16_t)n);
}

int dns_mb_edns_ecs(dns_mb *b, const edns_ecs *e)
{
	uint8_t data[4 + 16];
	int n = edns_ecs_encode(e, data, sizeof data);
	if (n < 0)
		return n;
	return dns_mb_edns_option(b, EDNS_OPT_ECS, data, (uint16_t)n);
}

int dns_mb_edns_padding(dns_mb *b, uint16_t block)
{
	if (b->err)
		return b->err;
	if (b->done || !b->edns)
		return WARD_EINVAL;
	if (set_reserve(b, opt_reserve(true, b->opt_len, block != 0)) < 0)
		return WARD_ESPACE;
	b->pad_block = block;
	return 0;
}

static void put_opt(dns_mb *b)
{
	wire_wr *w = &b->w;
	wire_wr_u8(w, 0); /* root owner */
	wire_wr_u16(w, DNS_T_OPT);
	wire_wr_u16(w, b->udp_size);
	wire_wr_u32(w, edns_ttl((uint8_t)(b->rcode >> 4), b->version,
	                        b->edns_flags));
	size_t rdlen_at = w->pos;
	wire_wr_u16(w, 0);
	size_t start = w->pos;
	wire_wr_bytes(w, b->opt_data, b->opt_len);
	if (b->pad_block) {
		size_t pad = edns_padding_len(w->pos, b->pad_block, b->limit);
		wire_wr_u16(w, EDNS_OPT_PADDING);
		wire_wr_u16(w, (uint16_t)pad);
		if (wire_wr_room(w, pad)) {
			memset(w->buf + w->pos, 0, pad);
			w->pos += pad;
		}
	}
	wire_wr_put_u16_at(w, rdlen_at, (uint16_t)(w->pos - start));
	b->count[DNS_SEC_ADDITIONAL]++;
}

int dns_mb_finish(dns_mb *b, size_t *len)
{
	*len = 0;
	if (b->err)
		return b->err;
	if (b->done)
		return WARD_EINVAL;
	if (b->rcode > 0xF && !b->edns)
		return WARD_EINVAL;
	b->w.cap = b->limit;
	if (b->edns)
		put_opt(b);
	if (b->w.err)
		return b->w.err;
	uint16_t flags = (uint16_t)(b->flags | (b->rcode & 0xF) |
	                            (b->tc || b->tc_forced ? DNS_FLAG_TC : 0));
	wire_wr_put_u16_at(&b->w, 0, b->id);
	wire_wr_put_u16_at(&b->w, 2, flags);
	for (int s = 0; s < 4; s++)
		wire_wr_put_u16_at(&b->w, 4 + 2 * (size_t)s, b->count[s]);
	b->done = true;
	*len = b->w.pos;
	return 0;
}
