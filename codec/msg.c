/* ward: DNS message parsing and validation (RFC 1035 §4), section
 * iterators and record views. No allocation, nothing copied while
 * parsing: names and rdata are validated in place through the cursor. */
#include <stdlib.h>
#include <string.h>

#include "edns.h"
#include "msg.h"
#include "rdata_desc.h"

/* ---- names ---- */

/* Validate the (maybe compressed) name at rd->pos and move rd past it as it
 * appears in the stream. Same rules as dns_name_read() (name.c) plus: a
 * pointer into the 12-byte header is WARD_EPTRHDR. Returns the name's
 * uncompressed length (1..255) or a negative ward_err (also set in rd). */
static int msg_name_walk(wire_rd *rd, bool allow_ptr)
{
	const uint8_t *buf = rd->buf;
	size_t pos = rd->pos;
	size_t limit = rd->end;   /* labels must lie before this */
	size_t resume = 0;        /* stream position after the first pointer */
	bool jumped = false;
	unsigned hops = 0;
	size_t n = 0;
	int err;

	if (rd->err)
		return rd->err;
	for (;;) {
		if (pos >= limit) {
			err = jumped ? WARD_EPTRLOOP : WARD_ETRUNC;
			goto fail;
		}
		uint8_t c = buf[pos];
		if (c >= 0xC0) {
			if (!allow_ptr) {
				err = WARD_ECOMPRESS;
				goto fail;
			}
			if (pos + 1 >= limit) {
				err = WARD_ETRUNC;
				goto fail;
			}
			size_t target = ((size_t)(c & 0x3F) << 8) | buf[pos + 1];
			if (!jumped) {
				resume = pos + 2;
				jumped = true;
			}
			if (target >= pos) {
				err = WARD_EPTRFWD;
				goto fail;
			}
			if (target < DNS_HEADER_LEN) {
				err = WARD_EPTRHDR;
				goto fail;
			}
			if (++hops > DNS_PTR_MAXHOPS) {
				err = WARD_EPTRLOOP;
				goto fail;
			}
			/* labels reached by a jump lie before the pointer */
			limit = pos;
			pos = target;
			continue;
		}
		if (c & 0xC0) {
			err = WARD_ELABELTYPE;
			goto fail;
		}
		if (n + 1 + c > DNS_NAME_MAXLEN) {
			err = WARD_ENAMELEN;
			goto fail;
		}
		if (pos + 1 + c > limit) {
			err = jumped ? WARD_EPTRLOOP : WARD_ETRUNC;
			goto fail;
		}
		n += (size_t)c + 1;
		pos += (size_t)c + 1;
		if (c == 0)
			break;
	}
	rd->pos = jumped ? resume : pos;
	return (int)n;
fail:
	wire_rd_fail(rd, err);
	return err;
}

/* Skip a name that was already validated (stream part only). */
static size_t name_skip_valid(const uint8_t *buf, size_t pos, size_t end)
{
	while (pos < end) {
		uint8_t c = buf[pos];
		if (c >= 0xC0)
			return pos + 2;
		pos += (size_t)c + 1;
		if (c == 0)
			break;
	}
	return pos;
}

/* ---- rdata ---- */

/* Validate rdata[0..rdlen) at rd->pos in place, field by field from the
 * type's descriptor — the same walk as dns_rdata_unpack() (rdata.c) without
 * the copy: names with msg_name_walk (pointers where the descriptor allows
 * decompression), every other field with rdf_field_len(); running out of
 * the rdata inside a field is WARD_ERDLEN, bytes after the last field too. */
static int rdata_check_inplace(const wire_rd *msg, size_t off, uint16_t type,
                               uint16_t rdlen)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	if (!d || d->nf == 0)
		return 0; /* RFC 3597 opaque */
	wire_rd rd = *msg;
	rd.pos = off;
	rd.end = off + rdlen;
	for (unsigned i = 0; i < d->nf; i++) {
		uint8_t k = d->f[i];
		if (rdf_is_name(k)) {
			int r = msg_name_walk(&rd, rdf_name_decompress(k));
			if (r < 0)
				return r == WARD_ETRUNC ? WARD_ERDLEN : r;
			continue;
		}
		int len = rdf_field_len(k, rd.buf + rd.pos, rd.end - rd.pos);
		if (len < 0)
			return len == WARD_ETRUNC ? WARD_ERDLEN : len;
		if ((size_t)len > rd.end - rd.pos)
			return WARD_ERDATA;
		rd.pos += (size_t)len;
	}
	return rd.pos == rd.end ? 0 : WARD_ERDLEN;
}

/* ---- the parser ---- */

static int parse_fail(dns_msg *m, enum dns_section s, size_t off, int err)
{
	m->err = err;
	m->err_section = s;
	m->err_off = off;
	for (int t = (int)s + 1; t <= DNS_SEC_ADDITIONAL; t++)
		m->sect_off[t] = off;
	return err;
}

static int parse_question(wire_rd *rd)
{
	int r = msg_name_walk(rd, true);
	if (r < 0)
		return r;
	wire_rd_skip(rd, 4);
	return rd->err;
}

static int parse_rr(dns_msg *m, wire_rd *rd, enum dns_section s)
{
	dns_rr_view v;
	v.owner_off = rd->pos;
	v.section = s;
	int owner_len = msg_name_walk(rd, true);
	if (owner_len < 0)
		return owner_len;
	v.type = wire_rd_u16(rd);
	v.rclass = wire_rd_u16(rd);
	v.ttl = wire_rd_u32(rd);
	v.rdlen = wire_rd_u16(rd);
	v.rdata_off = rd->pos;
	wire_rd_skip(rd, v.rdlen);
	if (rd->err)
		return rd->err;

	if (v.type == DNS_T_OPT) {
		if (s != DNS_SEC_ADDITIONAL || m->has_opt)
			return WARD_EMULTIOPT;
		if (owner_len != 1)
			return WARD_EOPT;
		if (edns_opts_check(rd->buf + v.rdata_off, v.rdlen) < 0)
			return WARD_EOPT;
		m->has_opt = true;
		m->opt = v;
		return 0;
	}
	/* RFC 2136 §2.4-2.5: empty rdata with class ANY/NONE in updates */
	if (v.rdlen == 0 && (v.rclass == DNS_C_ANY || v.rclass == DNS_C_NONE))
		return 0;
	return rdata_check_inplace(rd, v.rdata_off, v.type, v.rdlen);
}

int dns_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len)
{
	memset(m, 0, sizeof *m);
	m->pkt = pkt;
	m->len = len;
	if (!pkt && len) {
		m->len = 0;
		return parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EINVAL);
	}
	if (len < DNS_HEADER_LEN)
		return parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EHEADER);

	wire_rd rd = wire_rd_init(pkt, len);
	m->id = wire_rd_u16(&rd);
	m->flags = wire_rd_u16(&rd);
	for (int s = 0; s < 4; s++)
		m->count[s] = wire_rd_u16(&rd);
	m->end_off = rd.pos;

	for (int si = 0; si < 4; si++) {
		enum dns_section s = (enum dns_section)si;
		size_t min = s == DNS_SEC_QUESTION ? DNS_QUESTION_MINLEN
		                                   : DNS_RR_MINLEN;
		m->sect_off[s] = rd.pos;
		/* STYLE.md item 2: counts against the bytes left, up front */
		if (m->count[s] > wire_rd_left(&rd) / min)
			return parse_fail(m, s, rd.pos, WARD_ECOUNT);
		for (unsigned i = 0; i < m->count[s]; i++) {
			size_t start = rd.pos;
			int r = s == DNS_SEC_QUESTION ? parse_question(&rd)
			                              : parse_rr(m, &rd, s);
			if (r < 0)
				return parse_fail(m, s, start, r);
			m->parsed[s]++;
			m->end_off = rd.pos;
		}
	}
	if (rd.pos != len) {
		m->err = WARD_ETRAILING;
		m->err_section = DNS_SEC_ADDITIONAL;
		m->err_off = rd.pos;
		return m->err;
	}
	return 0;
}

uint16_t dns_msg_rcode(const dns_msg *m)
{
	uint16_t rc = DNS_RCODE(m->flags);
	if (m->has_opt)
		rc = (uint16_t)(rc | ((m->opt.ttl >> 24) << 4));
	return rc;
}

/* ---- iteration ---- */

void dns_rr_iter_init(dns_rr_iter *it, const dns_msg *m, enum dns_section s)
{
	it->m = m;
	it->section = s;
	it->idx = 0;
	it->pos = (unsigned)s <= DNS_SEC_ADDITIONAL ? m->sect_off[s] : m->len;
}

int dns_rr_iter_next(dns_rr_iter *it, dns_rr_view *v)
{
	const dns_msg *m = it->m;
	if ((unsigned)it->section > DNS_SEC_ADDITIONAL ||
	    it->idx >= m->parsed[it->section])
		return 0;
	/* The record was validated by dns_msg_parse; the cursor still
	 * guards every read. */
	wire_rd rd = wire_rd_init(m->pkt, m->len);
	rd.pos = name_skip_valid(m->pkt, it->pos, m->len);
	v->owner_off = it->pos;
	v->section = it->section;
	v->type = wire_rd_u16(&rd);
	v->rclass = wire_rd_u16(&rd);
	if (it->section == DNS_SEC_QUESTION) {
		v->ttl = 0;
		v->rdlen = 0;
		v->rdata_off = rd.pos;
	} else {
		v->ttl = wire_rd_u32(&rd);
		v->rdlen = wire_rd_u16(&rd);
		v->rdata_off = rd.pos;
		wire_rd_skip(&rd, v->rdlen);
	}
	if (rd.err)
		return 0;
	it->pos = rd.pos;
	it->idx++;
	return 1;
}

/* ---- views ---- */

int dns_rr_view_owner(const dns_msg *m, const dns_rr_view *v, dns_name *out)
{
	wire_rd rd = wire_rd_init(m->pkt, m->len);
	rd.pos = v->owner_off;
	return dns_name_read(&rd, out, true);
}

/* Octets of a fixed-size field kind, 0 for variable-size kinds and names. */
static size_t rdf_fixed_len(uint8_t k)
{
	switch (k) {
	case RDF_U8: case RDF_ALG: case RDF_PROTO:
		return 1;
	case RDF_U16: case RDF_TYPE: case RDF_CERTTYPE: case RDF_TSIGERR:
		return 2;
	case RDF_U32: case RDF_PERIOD: case RDF_TIME: case RDF_A:
		return 4;
	case RDF_EUI48: case RDF_U48:
		return 6;
	case RDF_EUI64: case RDF_ILNP64:
		return 8;
	case RDF_AAAA:
		return 16;
	default:
		return 0;
	}
}

/* Uncompress the rdata of a record dns_msg_parse already validated: fixed
 * fields are copied, names decompressed, and once no name is left the rest
 * is copied at once (NS, CNAME, MX, SOA, SRV, RRSIG, NSEC, ...). Layouts with
 * a name after a variable-size field (NAPTR, ...) return 1: the caller takes
 * the general path. Every copy is still bounded by the rdata and `cap`. */
static int view_rdata_fast(const dns_msg *m, const dns_rr_view *v,
                           const struct rdata_desc *d, uint8_t *out,
                           size_t cap, size_t *outlen)
{
	size_t pos = v->rdata_off, end = v->rdata_off + v->rdlen, o = 0;
	for (unsigned i = 0; i < d->nf; i++) {
		uint8_t k = d->f[i];
		if (rdf_is_name(k)) {
			wire_rd rd = wire_rd_init(m->pkt, m->len);
			rd.pos = pos;
			dns_name n;
			int r = dns_name_read(&rd, &n, rdf_name_decompress(k));
			if (r < 0)
				return r;
			if (rd.pos > end)
				return WARD_ERDLEN;
			if (cap - o < n.len)
				return WARD_ESPACE;
			memcpy(out + o, n.wire, n.len);
			o += n.len;
			pos = rd.pos;
			continue;
		}
		size_t fl = rdf_fixed_len(k);
		if (fl == 0) {
			/* variable size: fine when no name follows */
			for (unsigned j = i + 1; j < d->nf; j++)
				if (rdf_is_name(d->f[j]))
					return 1;
			break;
		}
		if (end - pos < fl)
			return WARD_ERDLEN;
		if (cap - o < fl)
			return WARD_ESPACE;
		memcpy(out + o, m->pkt + pos, fl);
		o += fl;
		pos += fl;
	}
	if (cap - o < end - pos)
		return WARD_ESPACE;
	memcpy(out + o, m->pkt + pos, end - pos);
	*outlen = o + (end - pos);
	return 0;
}

int dns_rr_view_rdata(const dns_msg *m, const dns_rr_view *v, uint8_t *out,
                      size_t cap, size_t *outlen)
{
	*outlen = 0;
	if ((size_t)v->rdata_off + v->rdlen > m->len)
		return WARD_ETRUNC;
	if (v->rdlen == 0)
		return 0;
	const struct rdata_desc *d = rdata_desc_get(v->type);
	bool ptrs = false;
	for (unsigned i = 0; d && i < d->nf; i++)
		ptrs |= rdf_name_decompress(d->f[i]);
	if (v->type == DNS_T_OPT || !ptrs) {
		/* no names inside: the rdata is already uncompressed */
		if (cap < v->rdlen)
			return WARD_ESPACE;
		memcpy(out, m->pkt + v->rdata_off, v->rdlen);
		*outlen = v->rdlen;
		return 0;
	}
	int r = view_rdata_fast(m, v, d, out, cap, outlen);
	if (r <= 0)
		return r;
	wire_rd rd = wire_rd_init(m->pkt, m->len);
	rd.pos = v->rdata_off;
	return dns_rdata_unpack(&rd, v->type, v->rdlen, out, cap, outlen);
}

int dns_rr_view_to_rr(const dns_msg *m, const dns_rr_view *v, dns_rr *rr,
                      uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int r = dns_rr_view_owner(m, v, &rr->owner);
	if (r < 0)
		return r;
	rr->type = v->type;
	rr->rclass = v->rclass;
	rr->ttl = v->ttl;
	r = dns_rr_view_rdata(m, v, buf, cap, &n);
	if (r < 0)
		return r;
	if (n > DNS_RDATA_MAX)
		return WARD_ERDATA;
	rr->rdlen = (uint16_t)n;
	rr->rdata = buf;
	return 0;
}

/* The uncompressed rdata can be longer than RDLENGTH by what the
 * compressed names expand to; bounded by the descriptor's field count. */
#define VIEW_STACK_BUF 2048

static size_t rdata_unpacked_max(const dns_rr_view *v)
{
	size_t need = (size_t)v->rdlen + (size_t)RDESC_MAXF * DNS_NAME_MAXLEN;
	return need > DNS_RDATA_MAX ? DNS_RDATA_MAX : need;
}

static int view_text(const dns_msg *m, const dns_rr_view *v, strbuf *sb,
                     bool whole)
{
	uint8_t small[VIEW_STACK_BUF];
	uint8_t *buf = small;
	size_t cap = rdata_unpacked_max(v);
	if (cap > sizeof small) {
		buf = malloc(cap);
		if (!buf)
			return WARD_ENOMEM;
	} else {
		cap = sizeof small;
	}
	dns_rr rr;
	int r = dns_rr_view_to_rr(m, v, &rr, buf, cap);
	if (r == 0) {
		if (whole)
			r = dns_rr_to_text(&rr, sb);
		else
			r = dns_rdata_to_text(rr.type, rr.rdata, rr.rdlen, sb);
	}
	if (buf != small)
		free(buf);
	return r;
}

int dns_rr_view_to_text(const dns_msg *m, const dns_rr_view *v, strbuf *sb)
{
	return view_text(m, v, sb, true);
}

int dns_rr_view_rdata_to_text(const dns_msg *m, const dns_rr_view *v,
                              strbuf *sb)
{
	return view_text(m, v, sb, false);
}

int dns_msg_question(const dns_msg *m, dns_name *qname, uint16_t *qtype,
                     uint16_t *qclass)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, m, DNS_SEC_QUESTION);
	if (!dns_rr_iter_next(&it, &v))
		return WARD_ENOTFOUND;
	if (qname) {
		int r = dns_rr_view_owner(m, &v, qname);
		if (r < 0)
			return r;
	}
	if (qtype)
		*qtype = v.type;
	if (qclass)
		*qclass = v.rclass;
	return 0;
}

/* ---- names of codes ---- */

const char *dns_opcode_name(unsigned opcode)
{
	switch (opcode) {
	case DNS_OPCODE_QUERY: return "QUERY";
	case DNS_OPCODE_IQUERY: return "IQUERY";
	case DNS_OPCODE_STATUS: return "STATUS";
	case DNS_OPCODE_NOTIFY: return "NOTIFY";
	case DNS_OPCODE_UPDATE: return "UPDATE";
	case DNS_OPCODE_DSO: return "DSO";
	}
	return NULL;
}

const char *dns_rcode_name(unsigned rcode)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE", "DSOTYPENI", NULL, NULL, NULL, NULL,
		"BADVERS", "BADKEY", "BADTIME", "BADMODE", "BADNAME",
		"BADALG", "BADTRUNC", "BADCOOKIE",
	};
	if (rcode < sizeof names / sizeof names[0])
		return names[rcode];
	return NULL;
}

const char *dns_section_name(enum dns_section s, bool update)
{
	static const char *const plain[] = { "QUESTION", "ANSWER", "AUTHORITY",
	                                     "ADDITIONAL" };
	static const char *const upd[] = { "ZONE", "PREREQUISITE", "UPDATE",
	                                   "ADDITIONAL" };
	if ((unsigned)s > DNS_SEC_ADDITIONAL)
		return "?";
	return update ? upd[s] : plain[s];
}
