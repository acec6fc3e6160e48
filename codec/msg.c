/* ward: DNS message parsing and validation (RFC 1035 §4), and the names
 * of codes. No allocation, nothing copied while parsing: names and rdata
 * are validated in place through the cursor. Reading the records out of a
 * parsed message (iterators, record views) is in msg_view.c. */
#include <stddef.h>
#include <string.h>

#include "edns.h"
#include "msg.h"
#include "rdata_desc.h"

/* ---- names ---- */

/* Names this parse already validated (RFC 1035 §4.1.4: pointers lead
 * back to them, again and again to the same few): where a name starts in
 * the stream or where the first pointer of one leads. A pointer to one of
 * them takes its length and pointers at once instead of walking its labels
 * again. Direct-mapped on the low bits of the offset; key 0 is an empty
 * slot (no name starts in the header). Entry i: the name at key[i]; its
 * first run of labels ends at end[i] (after its root label or its first
 * pointer); it is len[i] octets long uncompressed and follows hops[i]
 * pointers. */
#define NAME_MEMO 16
struct name_memo {
	uint32_t key[NAME_MEMO];
	uint32_t end[NAME_MEMO];
	uint8_t len[NAME_MEMO];
	uint8_t hops[NAME_MEMO];
};

static inline void memo_put(struct name_memo *memo, size_t key, size_t end,
                            size_t len, unsigned hops)
{
	if (key >= 0x4000)
		return; /* no pointer reaches it (and end < key + 258) */
	unsigned i = (unsigned)key & (NAME_MEMO - 1);
	memo->key[i] = (uint32_t)key;
	memo->end[i] = (uint32_t)end;
	memo->len[i] = (uint8_t)len;
	memo->hops[i] = (uint8_t)hops;
}

/* Validate the (maybe compressed) name at rd->pos and move rd past it as it
 * appears in the stream. Same rules as dns_name_read() (name.c) plus: a
 * pointer into the 12-byte header is WARD_EPTRHDR. Returns the name's
 * uncompressed length (1..255) or a negative ward_err (also set in rd);
 * *nptrs gets the number of pointers followed. A pointer to a name in
 * `memo` is taken from there (see struct name_memo); a name accepted is
 * put there, and so is what its first pointer leads to.
 *
 * The checks of one plain label are, in this order: the label starts
 * before `limit`, its type is 0b00, the name stays <= 255 octets, the label
 * ends by `limit`. Inside a run of labels between pointers the name grows
 * exactly as pos does, so the last two become one compare against `stop`
 * (the nearer of the two bounds). The inner loop takes the labels of 1..63
 * octets that end before `stop` (so the next one starts inside the
 * buffer); the root label, a label reaching `stop`, a pointer or a
 * reserved label type leave it, and the checks after it give the same
 * error, in the same order, as checking every label one by one. */
static inline __attribute__((always_inline)) int
msg_name_walk(wire_rd *rd, bool allow_ptr, unsigned *nptrs,
              struct name_memo *memo)
{
	const uint8_t *buf = rd->buf;
	size_t pos = rd->pos;
	const size_t start = pos;
	size_t limit = rd->end;   /* labels must lie before this */
	size_t resume = 0;        /* stream position after the first pointer */
	unsigned hops = 0;
	size_t n = 0;             /* octets of the name before `run` */
	/* the first pointer's target when it was walked (0: not), the octets
	 * before it, where the run there ended */
	size_t t1 = 0, n1 = 0, e1 = 0;
	size_t run = pos;         /* where the current run of labels started */
	/* the name is n + (pos - run) octets long: pos <= run + 255 - n */
	size_t stop = run + DNS_NAME_MAXLEN < limit ? run + DNS_NAME_MAXLEN
	                                            : limit;
	int err;

	if (rd->err)
		return rd->err;
	for (;;) {
		if (pos >= limit) {
			err = resume ? WARD_EPTRLOOP : WARD_ETRUNC;
			goto fail;
		}
		uint8_t c = buf[pos];
		size_t next = pos + 1 + (size_t)c;
		while ((uint8_t)(c - 1) < DNS_LABEL_MAXLEN && next < stop) {
			pos = next; /* < stop <= limit: inside the buffer */
			c = buf[pos];
			next = pos + 1 + (size_t)c;
		}
		if (c < 0x40) {
			/* the root label, or a label that reaches stop */
			if (next <= stop) {
				pos = next;
				if (c == 0) {
					if (hops == 1)
						e1 = pos;
					break;
				}
				continue;
			}
			if (n + (next - run) > DNS_NAME_MAXLEN)
				err = WARD_ENAMELEN;
			else
				err = resume ? WARD_EPTRLOOP : WARD_ETRUNC;
			goto fail;
		}
		if (c < 0xC0) {
			err = WARD_ELABELTYPE;
			goto fail;
		}
		if (!allow_ptr) {
			err = WARD_ECOMPRESS;
			goto fail;
		}
		if (pos + 1 >= limit) {
			err = WARD_ETRUNC;
			goto fail;
		}
		size_t target = ((size_t)(c & 0x3F) << 8) | buf[pos + 1];
		if (!resume)
			resume = pos + 2; /* > 0: also says "jumped" */
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
		n += pos - run;
		/* A name validated before, whose octets in the stream end by
		 * this pointer: the walk from the target would accept it the
		 * same way (same octets, its later runs bounded by its own
		 * pointers), if the whole name stays within 255 octets and
		 * the pointers within DNS_PTR_MAXHOPS. Otherwise walk it. */
		if (hops == 2)
			e1 = pos + 2;
		unsigned mi = (unsigned)target & (NAME_MEMO - 1);
		if (memo->key[mi] == target && memo->end[mi] <= pos &&
		    n + memo->len[mi] <= DNS_NAME_MAXLEN &&
		    hops + memo->hops[mi] <= DNS_PTR_MAXHOPS) {
			n += memo->len[mi];
			hops += memo->hops[mi];
			pos = run = 0;
			goto done;
		}
		if (hops == 1) {
			t1 = target;
			n1 = n;
		}
		limit = pos;
		pos = run = target;
		stop = run + (DNS_NAME_MAXLEN - n) < limit
		     ? run + (DNS_NAME_MAXLEN - n) : limit;
	}
	n += pos - run;
done:
	rd->pos = resume ? resume : pos;
	*nptrs = hops;
	memo_put(memo, start, rd->pos, n, hops);
	if (t1)
		memo_put(memo, t1, e1, n - n1, hops - 1);
	return (int)n;
fail:
	wire_rd_fail(rd, err);
	return err;
}

/* Fill a name note (msg.h) from what msg_name_walk returned. */
static inline void note_name(struct dns_name_note *nn, size_t end, int len,
                             unsigned ptrs)
{
	nn->end = (uint16_t)end;
	nn->len = (uint8_t)len;
	nn->ptrs = (uint8_t)(ptrs < 2 ? ptrs : 2);
}

/* ---- rdata ---- */

/* Validate rdata[0..rdlen) at rd->pos in place, field by field from the
 * type's descriptor — the same walk as dns_rdata_unpack() (rdata.c) without
 * the copy: names with msg_name_walk (pointers where the descriptor allows
 * decompression), every other field as rdf_field_len() says; running out
 * of the rdata inside a field is WARD_ERDLEN, bytes after the last field
 * too. The leading fixed-size fields are taken at once (d->fixlen): any of
 * them running out is that same WARD_ERDLEN. */
static int rdata_check_inplace(const wire_rd *msg, size_t off, uint16_t type,
                               uint16_t rdlen, struct dns_name_note *nn,
                               struct name_memo *memo)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	if (!d)
		return 0; /* RFC 3597 opaque */
	if (d->fixlen > rdlen)
		return WARD_ERDLEN;
	wire_rd rd = *msg;
	rd.pos = off + d->fixlen;
	rd.end = off + rdlen;
	for (unsigned i = d->nfix; i < d->nf; i++) {
		uint8_t k = d->f[i];
		if (rdf_is_name(k)) {
			unsigned ptrs;
			int r = msg_name_walk(&rd, rdf_name_decompress(k),
			                      &ptrs, memo);
			if (r < 0)
				return r == WARD_ETRUNC ? WARD_ERDLEN : r;
			if (nn && nn->len == 0 && rdf_name_decompress(k))
				note_name(nn, rd.pos, r, ptrs);
			continue;
		}
		size_t fixed = rdf_fixed_size(k);
		if (fixed) {
			if (fixed > rd.end - rd.pos)
				return WARD_ERDLEN;
			rd.pos += fixed;
			continue;
		}
		switch (k) {
		case RDF_HEX: case RDF_B64: case RDF_LSTR: case RDF_OPAQUE:
		case RDF_PORTMAP: case RDF_B64_OPT:
			/* any octets up to the end (as rdf_field_len says) */
			rd.pos = rd.end;
			continue;
		default:
			break;
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

/* How many notes are valid once g records were parsed (msg.h). */
static inline unsigned notes_valid(const dns_msg *m, unsigned g)
{
	if (m->len > UINT16_MAX)
		return 0;
	return g < DNS_MSG_NOTES ? g : DNS_MSG_NOTES;
}

static int parse_fail(dns_msg *m, enum dns_section s, size_t off, int err,
                      unsigned g)
{
	m->nnotes = notes_valid(m, g);
	m->err = err;
	m->err_section = s;
	m->err_off = off;
	for (int t = (int)s + 1; t <= DNS_SEC_ADDITIONAL; t++)
		m->sect_off[t] = off;
	return err;
}

/* The note of record number g (all sections), NULL when not kept: g not
 * below nmax (DNS_MSG_NOTES, or 0 for messages over 65535 octets). */
static inline struct dns_msg_note *note_of(dns_msg *m, unsigned g,
                                           unsigned nmax)
{
	return g < nmax ? &m->notes[g] : NULL;
}

static int parse_question(dns_msg *m, wire_rd *rd, unsigned g,
                          unsigned nmax, struct name_memo *memo)
{
	unsigned ptrs;
	int len = msg_name_walk(rd, true, &ptrs, memo);
	if (len < 0)
		return len;
	size_t end = rd->pos;
	wire_rd_skip(rd, 4);
	if (rd->err)
		return rd->err;
	struct dns_msg_note *note = note_of(m, g, nmax);
	if (note) {
		note_name(&note->owner, end, len, ptrs);
		note->rdname.len = 0;
	}
	return 0;
}

static int parse_rr(dns_msg *m, wire_rd *rd, enum dns_section s, unsigned g,
                    unsigned nmax, struct name_memo *memo)
{
	size_t owner_off = rd->pos;
	unsigned ptrs;
	int owner_len = msg_name_walk(rd, true, &ptrs, memo);
	if (owner_len < 0)
		return owner_len;
	/* noted now, but it counts only once parsed[] says the record is */
	struct dns_msg_note *note = note_of(m, g, nmax);
	if (note) {
		note_name(&note->owner, rd->pos, owner_len, ptrs);
		note->rdname.len = 0;
	}
	/* type, class, ttl, rdlength in one bounds check, the rdata in a
	 * second one against the same octets left */
	size_t left = wire_rd_left(rd);
	if (left < 10) {
		wire_rd_fail(rd, WARD_ETRUNC);
		return rd->err;
	}
	const uint8_t *f = rd->buf + rd->pos;
	uint16_t type = wire_be16(f);
	uint16_t rclass = wire_be16(f + 2);
	uint16_t rdlen = wire_be16(f + 8);
	size_t rdata_off = rd->pos + 10;
	rd->pos = rdata_off;
	if (left - 10 < rdlen) {
		wire_rd_fail(rd, WARD_ETRUNC);
		return rd->err;
	}
	rd->pos += rdlen;

	if (type == DNS_T_OPT) {
		dns_rr_view v = {
			.owner_off = owner_off, .type = type, .rclass = rclass,
			.ttl = wire_be32(f + 4), .rdata_off = rdata_off,
			.rdlen = rdlen, .section = s, .checked = true,
			.note = (uint8_t)(note ? g + 1 : 0),
		};
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
	if (rdlen == 0 && (rclass == DNS_C_ANY || rclass == DNS_C_NONE))
		return 0;
	return rdata_check_inplace(rd, rdata_off, type, rdlen,
	                           note ? &note->rdname : NULL, memo);
}

int dns_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len)
{
	/* all but notes[], which is written as records are parsed (field by
	 * field: a memset of this size may become a slow-starting `rep
	 * stos`) */
	static const dns_rr_view no_view;
	m->pkt = pkt;
	m->len = len;
	m->id = m->flags = 0;
	for (int s = 0; s < 4; s++) {
		m->count[s] = 0;
		m->sect_off[s] = 0;
		m->parsed[s] = 0;
	}
	m->end_off = 0;
	m->has_opt = false;
	m->opt = no_view;
	m->err = 0;
	m->err_section = DNS_SEC_QUESTION;
	m->err_off = 0;
	m->nnotes = 0;
	if (!pkt && len) {
		m->len = 0;
		return parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EINVAL, 0);
	}
	if (len < DNS_HEADER_LEN)
		return parse_fail(m, DNS_SEC_QUESTION, 0, WARD_EHEADER, 0);

	wire_rd rd = wire_rd_init(pkt, len);
	const uint8_t *h = wire_rd_view(&rd, DNS_HEADER_LEN); /* len >= 12 */
	m->id = wire_be16(h);
	m->flags = wire_be16(h + 2);
	for (int s = 0; s < 4; s++)
		m->count[s] = wire_be16(h + 4 + 2 * s);
	m->end_off = rd.pos;

	unsigned nmax = len <= UINT16_MAX ? DNS_MSG_NOTES : 0;
	struct name_memo memo;
	memset(memo.key, 0, sizeof memo.key); /* the other fields: when keyed */
	unsigned g = 0; /* records parsed, all sections */
	for (int si = 0; si < 4; si++) {
		enum dns_section s = (enum dns_section)si;
		size_t min = s == DNS_SEC_QUESTION ? DNS_QUESTION_MINLEN
		                                   : DNS_RR_MINLEN;
		m->sect_off[s] = rd.pos;
		/* STYLE.md item 2: counts against the bytes left, up front
		 * (count > left / min, without the division) */
		unsigned count = m->count[s];
		if ((size_t)count * min > wire_rd_left(&rd)) {
			m->end_off = rd.pos;
			return parse_fail(m, s, rd.pos, WARD_ECOUNT, g);
		}
		/* parsed[] and end_off written once per section (records are
		 * back to back: the last one parsed ends where the next
		 * starts) */
		for (unsigned i = 0; i < count; i++, g++) {
			size_t start = rd.pos;
			int r = s == DNS_SEC_QUESTION
			        ? parse_question(m, &rd, g, nmax, &memo)
			        : parse_rr(m, &rd, s, g, nmax, &memo);
			if (r < 0) {
				m->parsed[s] = i;
				m->end_off = start;
				return parse_fail(m, s, start, r, g);
			}
		}
		m->parsed[s] = count;
	}
	m->end_off = rd.pos;
	m->nnotes = notes_valid(m, g);
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
