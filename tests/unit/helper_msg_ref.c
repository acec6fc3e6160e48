/* ward tests: the message parser as it was before the fast paths
 * (codec/msg.c at commit 3392a37, "codec: rdata of validated records
 * uncompressed field by field without re-validation"), kept verbatim but
 * for the names (ref_*), as the reference the rewritten dns_msg_parse must
 * agree with on every input: same error, same error section and offset,
 * same records parsed, same section offsets, same OPT record. Used by
 * tests/unit/test_msg_fast.c and fuzz/fuzz_msg_ref.c. */
#include <stdio.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/rdata_desc.h"
#include "helper_msg_ref.h"

/* Validate the (maybe compressed) name at rd->pos and move rd past it as it
 * appears in the stream. Same rules as dns_name_read() (name.c) plus: a
 * pointer into the 12-byte header is WARD_EPTRHDR. Returns the name's
 * uncompressed length (1..255) or a negative ward_err (also set in rd). */
static int ref_name_walk(wire_rd *rd, bool allow_ptr)
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
static size_t ref_name_skip_valid(const uint8_t *buf, size_t pos, size_t end)
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
static int ref_rdata_check(const wire_rd *msg, size_t off, uint16_t type,
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
			int r = ref_name_walk(&rd, rdf_name_decompress(k));
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

static int ref_parse_fail(dns_msg *m, enum dns_section s, size_t off, int err)
{
	m->err = err;
	m->err_section = s;
	m->err_off = off;
	for (int t = (int)s + 1; t <= DNS_SEC_ADDITIONAL; t++)
		m->sect_off[t] = off;
	return err;
}

static int ref_parse_question(wire_rd *rd)
{
	int r = ref_name_walk(rd, true);
	if (r < 0)
		return r;
	wire_rd_skip(rd, 4);
	return rd->err;
}

static int ref_parse_rr(dns_msg *m, wire_rd *rd, enum dns_section s)
{
	dns_rr_view v;
	v.owner_off = rd->pos;
	v.section = s;
	int owner_len = ref_name_walk(rd, true);
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
	return ref_rdata_check(rd, v.rdata_off, v.type, v.rdlen);
}

int ref_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len)
{
	memset(m, 0, sizeof *m);
	m->pkt = pkt;
	m->len = len;
	if (!pkt && len) {
		m->len = 0;
		return ref_parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EINVAL);
	}
	if (len < DNS_HEADER_LEN)
		return ref_parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EHEADER);

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
			return ref_parse_fail(m, s, rd.pos, WARD_ECOUNT);
		for (unsigned i = 0; i < m->count[s]; i++) {
			size_t start = rd.pos;
			int r = s == DNS_SEC_QUESTION ? ref_parse_question(&rd)
			                              : ref_parse_rr(m, &rd, s);
			if (r < 0)
				return ref_parse_fail(m, s, start, r);
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


/* The iterator as it was (dns_rr_iter_next before the notes). */
static int ref_iter_next(dns_rr_iter *it, dns_rr_view *v)
{
	const dns_msg *m = it->m;
	if ((unsigned)it->section > DNS_SEC_ADDITIONAL ||
	    it->idx >= m->parsed[it->section])
		return 0;
	wire_rd rd = wire_rd_init(m->pkt, m->len);
	rd.pos = ref_name_skip_valid(m->pkt, it->pos, m->len);
	memset(v, 0, sizeof *v);
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

#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); return -1; } while (0)

static bool same_view(const dns_rr_view *a, const dns_rr_view *b)
{
	return a->owner_off == b->owner_off && a->type == b->type &&
	       a->rclass == b->rclass && a->ttl == b->ttl &&
	       a->rdata_off == b->rdata_off && a->rdlen == b->rdlen &&
	       a->section == b->section;
}

/* One view decoded the trusted way (as the iterator made it) and the
 * validating way (checked and note cleared), with capacity cap. */
static int cmp_view(const dns_msg *m, const dns_rr_view *v, size_t cap,
                    char *why, size_t whylen)
{
	static uint8_t b1[DNS_RDATA_MAX + 1], b2[DNS_RDATA_MAX + 1];
	dns_rr_view plain = *v;
	plain.checked = false;
	plain.note = 0;
	dns_name n1, n2;
	int r1 = dns_rr_view_owner(m, v, &n1);
	int r2 = dns_rr_view_owner(m, &plain, &n2);
	if (r1 != r2 || (r1 == 0 && (n1.len != n2.len ||
	                             memcmp(n1.wire, n2.wire, n1.len))))
		FAIL("owner at %zu: %d vs %d", v->owner_off, r1, r2);
	size_t l1 = 0, l2 = 0;
	r1 = dns_rr_view_rdata(m, v, b1, cap, &l1);
	r2 = dns_rr_view_rdata(m, &plain, b2, cap, &l2);
	if (r1 != r2 || l1 != l2 || (r1 == 0 && memcmp(b1, b2, l1)))
		FAIL("rdata of type %u at %zu, cap %zu: %d/%zu vs %d/%zu",
		     v->type, v->rdata_off, cap, r1, l1, r2, l2);
	dns_rr rr1, rr2;
	r1 = dns_rr_view_to_rr(m, v, &rr1, b1, cap);
	r2 = dns_rr_view_to_rr(m, &plain, &rr2, b2, cap);
	if (r1 != r2 || (r1 == 0 &&
	    (rr1.owner.len != rr2.owner.len ||
	     memcmp(rr1.owner.wire, rr2.owner.wire, rr1.owner.len) ||
	     rr1.type != rr2.type || rr1.rclass != rr2.rclass ||
	     rr1.ttl != rr2.ttl || rr1.rdlen != rr2.rdlen ||
	     memcmp(rr1.rdata, rr2.rdata, rr1.rdlen))))
		FAIL("record of type %u at %zu, cap %zu: %d vs %d", v->type,
		     v->owner_off, cap, r1, r2);
	return r1 == 0 ? (int)rr1.rdlen : -2;
}

int ref_msg_compare(const uint8_t *pkt, size_t len, char *why, size_t whylen)
{
	dns_msg a, b;
	int ra = dns_msg_parse(&a, pkt, len);
	int rb = ref_msg_parse(&b, pkt, len);
	if (ra != rb)
		FAIL("dns_msg_parse %d, reference %d", ra, rb);
	if (a.err != b.err || a.err_section != b.err_section ||
	    a.err_off != b.err_off || a.end_off != b.end_off ||
	    a.id != b.id || a.flags != b.flags || a.has_opt != b.has_opt)
		FAIL("header or error differs (err %d/%d at %zu/%zu)", a.err,
		     b.err, a.err_off, b.err_off);
	for (int s = 0; s < 4; s++)
		if (a.count[s] != b.count[s] || a.parsed[s] != b.parsed[s] ||
		    a.sect_off[s] != b.sect_off[s])
			FAIL("section %d: parsed %u/%u, offset %zu/%zu", s,
			     a.parsed[s], b.parsed[s], a.sect_off[s],
			     b.sect_off[s]);
	if (a.has_opt && !same_view(&a.opt, &b.opt))
		FAIL("OPT record differs");
	if (a.has_opt && cmp_view(&a, &a.opt, DNS_RDATA_MAX, why, whylen) == -1)
		return -1;
	for (int s = 0; s < 4; s++) {
		dns_rr_iter i1, i2;
		dns_rr_view v1, v2;
		dns_rr_iter_init(&i1, &a, (enum dns_section)s);
		dns_rr_iter_init(&i2, &a, (enum dns_section)s);
		for (;;) {
			int n1 = dns_rr_iter_next(&i1, &v1);
			int n2 = ref_iter_next(&i2, &v2);
			if (n1 != n2)
				FAIL("section %d: iterators end apart", s);
			if (n1 != 1)
				break;
			if (!same_view(&v1, &v2))
				FAIL("section %d: views differ at %zu/%zu", s,
				     v1.owner_off, v2.owner_off);
			int full = cmp_view(&a, &v1, DNS_RDATA_MAX, why, whylen);
			if (full == -1)
				return -1;
			/* running out of room: just too small, and smaller */
			if (full > 0 &&
			    (cmp_view(&a, &v1, (size_t)full - 1, why, whylen) == -1 ||
			     cmp_view(&a, &v1, (size_t)full / 2, why, whylen) == -1))
				return -1;
		}
	}
	return 0;
}
