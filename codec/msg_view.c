/* ward: reading the records of a parsed message — section iterators and
 * record views (owner and rdata uncompressed, presentation text).
 *
 * Two paths. A view marked `checked` (dns_rr_iter_next, dns_msg.opt) is a
 * record dns_msg_parse (msg.c) walked and accepted: every name in it and
 * every name its pointers reach follows the rules of msg_name_walk(), and
 * its rdata has its type's layout. Such a view is decoded by the trusted
 * readers below, which only follow that structure: no label, pointer or
 * field checks are repeated. A name the walk noted (dns_msg.notes: where
 * it ends, its length, its pointers; the owner and the first compressible
 * name of the rdata of the first DNS_MSG_NOTES records) with at most one
 * pointer is copied in two pieces without stepping over its labels; other
 * names are stepped over label by label and copied run by run; rdata is
 * copied whole around its names. (An owner copied that way may leave
 * scratch octets in its dns_name's wire past `len`, rdata in the caller's
 * buffer past its length, inside `cap`: copy_room.) A view not marked
 * checked (built by hand) goes through the validating readers
 * (dns_name_read, dns_rdata_unpack), exactly as before.
 *
 * Why the trusted readers are safe: they are used only on checked views,
 * and even there they never trust an offset or a length for memory
 * safety: every read is bounded by the message length, every write by the
 * name's 255 octets and the caller's `cap`, and pointer hops are counted,
 * so a view that does not fit its message (a caller mixing up two
 * messages) cannot make them read or write outside a buffer. Whenever
 * they meet something a validated record cannot contain they return
 * VIEW_RECHECK and the caller takes the validating path, so the result
 * (value or error) is the same as that path's. */
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "rdata_desc.h"

/* "not what dns_msg_parse accepts: decode this with the validating path" */
#define VIEW_RECHECK 1

/* ---- trusted readers (checked records only, see the top) ---- */

/* Copy n octets, n small as in names and most rdata: up to 32 octets with
 * two overlapping fixed-size copies (no call), longer ones with memcpy.
 * Reads exactly s[0..n) and writes exactly d[0..n). */
/* memcpy through a call: inlined, gcc may make a variable-size memcpy a
 * `rep movsb`, slow to start for the tens of octets of a key or a
 * signature, where the C library's copy uses vector moves. */
__attribute__((noinline)) static void copy_long(uint8_t *d, const uint8_t *s,
                                                size_t n)
{
	memcpy(d, s, n);
}

static inline void copy_short(uint8_t *d, const uint8_t *s, size_t n)
{
	if (n >= 16 && n <= 32) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8 && n < 16) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		copy_long(d, s, n);
	}
}

/* copy_short() for the copies that may write up to 32 octets past d[n):
 * when n <= 32 and both sides have 32 octets of room (droom writable at
 * d, sroom readable at s), a fixed 32 octets are copied, without the
 * branches on n that mixed lengths make hard to predict. Callers write
 * their pieces in increasing order, so each one's extra octets are
 * overwritten by the next; the last one's lie past what the result says
 * is used, inside the caller's `cap`. */
static inline __attribute__((always_inline)) void
copy_room(uint8_t *d, size_t droom, const uint8_t *s, size_t sroom, size_t n)
{
	if (n <= 32 && droom >= 32 && sroom >= 32) {
		memcpy(d, s, 16);
		memcpy(d + 16, s + 16, 16);
	} else {
		copy_short(d, s, n);
	}
}

/* Copy k octets of a name from the message at `from` into out->wire at
 * `at`. When both buffers have room, a fixed 64 octets are copied (no
 * branch on k, no call): the octets past k land in out->wire beyond what
 * the name will use, and are overwritten by the next run or left as
 * scratch past out->len. */
static inline __attribute__((always_inline)) void
name_run_copy(dns_name *out, size_t at, const dns_msg *m,
              size_t from, size_t k)
{
	if (k <= 64 && at + 64 <= sizeof out->wire && m->len - from >= 64) {
		/* four 16-octet moves (one 64-octet memcpy may become a
		 * slow `rep movs`) */
		uint8_t *d = out->wire + at;
		const uint8_t *s = m->pkt + from;
		memcpy(d, s, 16);
		memcpy(d + 16, s + 16, 16);
		memcpy(d + 32, s + 32, 16);
		memcpy(d + 48, s + 48, 16);
	} else {
		copy_short(out->wire + at, m->pkt + from, k);
	}
}

/* Where the name at pos ends in the stream (after its root label or its
 * first pointer). May return a position past len; callers check. */
static inline size_t valid_name_skip(const uint8_t *buf, size_t len,
                                     size_t pos)
{
	uint8_t c;
	/* plain labels: c in 1..0xBF (0 ends the name, >= 0xC0 points) */
	while (pos < len && (uint8_t)((c = buf[pos]) - 1) < 0xBF)
		pos += (size_t)c + 1;
	if (pos >= len)
		return pos;
	return buf[pos] == 0 ? pos + 1 : pos + 2;
}

/* Decompress the name at pos into dst (room octets): each run of labels
 * between pointers is copied in one piece, labels are only stepped over.
 * Sets *nlen and *after (stream position after the name). Returns 0,
 * WARD_ESPACE when the name does not fit in room, or VIEW_RECHECK. */
static inline int valid_name_copy(const uint8_t *buf, size_t len, size_t pos,
                                  uint8_t *dst, size_t room, size_t *nlen,
                                  size_t *after)
{
	size_t n = 0, run = pos, resume = 0, k;
	unsigned hops = 0;
	uint8_t c;
	for (;;) {
		while (pos < len && (uint8_t)((c = buf[pos]) - 1) < 0xBF)
			pos += (size_t)c + 1;
		if (pos >= len)
			return VIEW_RECHECK;
		if (c == 0)
			break;
		/* a pointer: copy the run before it, jump */
		if (pos + 1 >= len || ++hops > DNS_PTR_MAXHOPS)
			return VIEW_RECHECK;
		k = pos - run;
		if (n + k > DNS_NAME_MAXLEN)
			return VIEW_RECHECK;
		if (n + k > room)
			return WARD_ESPACE;
		copy_short(dst + n, buf + run, k);
		n += k;
		if (!resume)
			resume = pos + 2;
		pos = run = ((size_t)(c & 0x3F) << 8) | buf[pos + 1];
	}
	/* the root label: the run [run, pos] lies inside buf */
	k = pos + 1 - run;
	if (n + k > DNS_NAME_MAXLEN)
		return VIEW_RECHECK;
	if (n + k > room)
		return WARD_ESPACE;
	copy_short(dst + n, buf + run, k);
	*nlen = n + k;
	*after = resume ? resume : pos + 1;
	return 0;
}

/* Decompress the name at `start`, of which the validating walk noted where
 * it ends, its length and its pointers (msg.h, struct dns_name_note): with
 * no pointer it is the octets up to that end, with one pointer the octets
 * before the pointer and then, at the target, the rest of its length
 * (the walk found plain labels up to the root there). Into `name` when
 * not NULL (its wire may take scratch octets past the name, see
 * name_run_copy), else into dst (room octets, exactly the name written).
 * Sets *nlen. Returns 0, WARD_ESPACE or VIEW_RECHECK (two pointers or
 * more, nothing noted, or a note that does not fit the message). */
static inline __attribute__((always_inline)) int
noted_name_copy(const dns_msg *m, size_t start,
                const struct dns_name_note *nn, dns_name *name, uint8_t *dst,
                size_t room, size_t *nlen)
{
	size_t end = nn->end, len = nn->len;
	if (len == 0 || nn->ptrs > 1 || end <= start || end > m->len)
		return VIEW_RECHECK;
	size_t here = end - start; /* octets in the stream */
	size_t before = here, target = 0;
	if (nn->ptrs == 1) {
		if (here < 2 || here - 2 >= len)
			return VIEW_RECHECK;
		before = here - 2;
		target = ((size_t)(m->pkt[end - 2] & 0x3F) << 8) |
		         m->pkt[end - 1];
		if (target > m->len || m->len - target < len - before)
			return VIEW_RECHECK;
	} else if (here != len) {
		return VIEW_RECHECK;
	}
	if (name) {
		name_run_copy(name, 0, m, start, before);
		if (nn->ptrs)
			name_run_copy(name, before, m, target, len - before);
	} else if (len > room) {
		return WARD_ESPACE;
	} else {
		copy_room(dst, room, m->pkt + start, m->len - start, before);
		if (nn->ptrs)
			copy_room(dst + before, room - before, m->pkt + target,
			          m->len - target, len - before);
	}
	*nlen = len;
	return 0;
}

/* Length of a variable-size field of validated rdata at p[0..left), for
 * the kinds a name a pointer may compress can follow (NAPTR's strings,
 * ...); a length past `left` for the others (the caller rechecks). */
static size_t valid_field_len(uint8_t k, const uint8_t *p, size_t left)
{
	switch (k) {
	case RDF_STR_OPT:
		if (left == 0)
			return 0;
		/* fall through */
	case RDF_STR: case RDF_GPOSSTR: case RDF_HEXLEN: case RDF_B32LEN:
	case RDF_TAG:
		return left >= 1 ? 1 + (size_t)p[0] : left + 1;
	case RDF_INT16DATA:
		return left >= 2 ? 2 + (size_t)wire_be16(p) : left + 1;
	default:
		return left + 1;
	}
}

/* The rdata of a checked view whose type has a name a pointer may compress
 * (d->ndc > 0), uncompressed into out: the octets between such names are
 * copied in one piece, the first such name from its note (when there is
 * one, noted_name_copy), others with valid_name_copy(), and everything
 * after the last one at once (the descriptor's ndc says where that is).
 * Returns 0, WARD_ESPACE (more than cap octets) or VIEW_RECHECK. */
static __attribute__((noinline)) int
view_rdata_checked(const dns_msg *m, const dns_rr_view *v,
                   const struct rdata_desc *d, uint8_t *out, size_t cap,
                   size_t *outlen)
{
	const uint8_t *pkt = m->pkt;
	size_t pos = v->rdata_off, end = v->rdata_off + v->rdlen;
	size_t span = pos, o = 0; /* [span, pos) not copied yet */
	unsigned ndc = d->ndc;

	if (d->fixlen > v->rdlen)
		return VIEW_RECHECK;
	pos += d->fixlen;
	/* the first name a pointer may compress was noted by the walk */
	const struct dns_name_note *nn =
		v->note && v->note <= m->nnotes && v->note <= DNS_MSG_NOTES
		? &m->notes[v->note - 1].rdname : NULL;
	for (unsigned i = d->nfix; i < ndc; i++) {
		uint8_t k = d->f[i];
		size_t fl = rdf_fixed_size(k);
		if (fl == 0 && rdf_name_decompress(k)) {
			size_t nl, after;
			if (cap - o < pos - span)
				return WARD_ESPACE;
			copy_short(out + o, pkt + span, pos - span);
			o += pos - span;
			int r = VIEW_RECHECK;
			if (nn) {
				r = noted_name_copy(m, pos, nn, NULL, out + o,
				                    cap - o, &nl);
				after = nn->end;
				nn = NULL;
			}
			if (r == VIEW_RECHECK)
				r = valid_name_copy(pkt, m->len, pos, out + o,
				                    cap - o, &nl, &after);
			if (r)
				return r;
			if (after > end)
				return VIEW_RECHECK;
			o += nl;
			pos = span = after;
			continue;
		}
		if (fl == 0 && rdf_is_name(k)) /* never compressed */
			fl = valid_name_skip(pkt, end, pos) - pos;
		else if (fl == 0)
			fl = valid_field_len(k, pkt + pos, end - pos);
		if (fl > end - pos)
			return VIEW_RECHECK;
		pos += fl;
	}
	if (cap - o < end - span)
		return WARD_ESPACE;
	copy_short(out + o, pkt + span, end - span);
	*outlen = o + (end - span);
	return 0;
}

/* The rdata of a checked view whose only name a pointer may compress comes
 * right after the leading fixed-size fields (NS, CNAME, PTR, MX, SRV,
 * RRSIG, NSEC, ...: d->ndc == d->nfix + 1) and was noted by the walk:
 * the fixed fields, the name from its note, the rest as it is. Returns 0,
 * WARD_ESPACE or VIEW_RECHECK. */
static inline __attribute__((always_inline)) int
rdata_one_name(const dns_msg *m, const dns_rr_view *v,
               const struct rdata_desc *d, const struct dns_name_note *nn,
               uint8_t *out, size_t cap, size_t *outlen)
{
	size_t fix = d->fixlen, end = v->rdata_off + v->rdlen, nl;
	/* (a cap below the fixed fields: the general path says ESPACE) */
	if (fix > v->rdlen || nn->end > end || cap < fix)
		return VIEW_RECHECK;
	/* in increasing order (copy_room); on an error the caller starts
	 * over */
	copy_room(out, cap, m->pkt + v->rdata_off, m->len - v->rdata_off,
	          fix);
	int r = noted_name_copy(m, v->rdata_off + fix, nn, NULL, out + fix,
	                        cap - fix, &nl);
	if (r)
		return r;
	size_t tail = end - nn->end;
	if (cap - fix - nl < tail)
		return WARD_ESPACE;
	copy_room(out + fix + nl, cap - fix - nl, m->pkt + nn->end,
	          m->len - nn->end, tail);
	*outlen = fix + nl + tail;
	return 0;
}

/* ---- iteration ---- */

size_t dns_msg_owner_end(const dns_msg *m, size_t pos)
{
	return valid_name_skip(m->pkt, m->len, pos);
}

/* ---- views ---- */

/* The owner of a view the fast way does not take: a checked view with no
 * usable note is decompressed by valid_name_copy(), anything else (or
 * anything valid_name_copy() does not expect) by dns_name_read(). */
static __attribute__((noinline)) int view_owner_walk(const dns_msg *m,
                                                      const dns_rr_view *v,
                                                      dns_name *out)
{
	if (v->checked) {
		size_t n, after;
		if (valid_name_copy(m->pkt, m->len, v->owner_off, out->wire,
		                    DNS_NAME_MAXLEN, &n, &after) == 0) {
			out->len = (uint16_t)n;
			return 0;
		}
	}
	wire_rd rd = wire_rd_init(m->pkt, m->len);
	rd.pos = v->owner_off;
	return dns_name_read(&rd, out, true);
}

static inline __attribute__((always_inline)) int
view_owner(const dns_msg *m, const dns_rr_view *v, dns_name *out)
{
	size_t n;
	if (v->checked && v->note && v->note <= m->nnotes &&
	    v->note <= DNS_MSG_NOTES && noted_name_copy(m, v->owner_off, &m->notes[v->note - 1].owner,
	                    out, NULL, 0, &n) == 0) {
		out->len = (uint16_t)n;
		return 0;
	}
	return view_owner_walk(m, v, out);
}

int dns_rr_view_owner(const dns_msg *m, const dns_rr_view *v, dns_name *out)
{
	return view_owner(m, v, out);
}

/* Uncompress the rdata of a view that is not marked checked, names read
 * with the validating dns_name_read(): fixed fields are copied, names
 * decompressed, and once no name is left the rest is copied at once (NS,
 * CNAME, MX, SOA, SRV, RRSIG, NSEC, ...). Layouts with a name after a
 * variable-size field (NAPTR, ...) return 1: the caller takes the general
 * path. Every copy is still bounded by the rdata and `cap`. */
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
		size_t fl = rdf_fixed_size(k);
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

/* dns_rr_view_rdata() for a view that is not marked checked (or that the
 * trusted path sends back). */
static __attribute__((noinline)) int view_rdata_validate(const dns_msg *m, const dns_rr_view *v,
                               uint8_t *out, size_t cap, size_t *outlen)
{
	const struct rdata_desc *d = rdata_desc_get(v->type);
	if (v->type == DNS_T_OPT || !d || d->ndc == 0) {
		/* no names a pointer may compress: already uncompressed */
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

static inline __attribute__((always_inline)) int
view_rdata(const dns_msg *m, const dns_rr_view *v, uint8_t *out, size_t cap,
           size_t *outlen)
{
	*outlen = 0;
	if ((size_t)v->rdata_off + v->rdlen > m->len)
		return WARD_ETRUNC;
	if (v->rdlen == 0)
		return 0;
	if (v->checked) {
		const struct rdata_desc *d = rdata_desc_get(v->type);
		if (!d || d->ndc == 0 || v->type == DNS_T_OPT) {
			/* no name a pointer may compress: copied as it is */
			if (cap < v->rdlen)
				return WARD_ESPACE;
			copy_room(out, cap, m->pkt + v->rdata_off,
			          m->len - v->rdata_off, v->rdlen);
			*outlen = v->rdlen;
			return 0;
		}
		int r = VIEW_RECHECK;
		if (d->ndc == d->nfix + 1 && v->note && v->note <= m->nnotes &&
		    v->note <= DNS_MSG_NOTES)
			r = rdata_one_name(m, v, d, &m->notes[v->note - 1].rdname,
			                   out, cap, outlen);
		if (r == VIEW_RECHECK)
			r = view_rdata_checked(m, v, d, out, cap, outlen);
		if (r <= 0)
			return r;
		*outlen = 0;
	}
	return view_rdata_validate(m, v, out, cap, outlen);
}

int dns_rr_view_rdata(const dns_msg *m, const dns_rr_view *v, uint8_t *out,
                      size_t cap, size_t *outlen)
{
	return view_rdata(m, v, out, cap, outlen);
}

int dns_rr_view_to_rr(const dns_msg *m, const dns_rr_view *v, dns_rr *rr,
                      uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int r = view_owner(m, v, &rr->owner);
	if (r < 0)
		return r;
	rr->type = v->type;
	rr->rclass = v->rclass;
	rr->ttl = v->ttl;
	r = view_rdata(m, v, buf, cap, &n);
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

