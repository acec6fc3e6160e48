/* ward: DNS messages (RFC 1035 §4) as zero-copy views into the packet.
 *
 * dns_msg_parse() checks the whole message once (header, every name, every
 * rdata against its type's layout, at most one OPT and only in the additional
 * section, no trailing bytes) and records where each section starts. After a
 * successful parse the iterators below cannot fail on bounds. On failure the
 * view still says how far parsing got (`parsed`, per-section counts read) so a
 * printer can show what could be read and why it stopped.
 *
 * Checks done by dns_msg_parse (STYLE.md items 1-3):
 *  - a section count larger than the bytes left allow (a question needs >= 5
 *    octets, a record >= 11) is WARD_ECOUNT before that section is walked;
 *  - names: labels <= 63, names <= 255, no reserved label types, pointers
 *    strictly backwards, never into the 12-byte header (WARD_EPTRHDR), at
 *    most DNS_PTR_MAXHOPS hops, labels reached through a pointer lie before
 *    that pointer;
 *  - rdata: validated in place against its type's descriptor (names may be
 *    compressed only where RFC 3597 §4 allows decompression); RDLENGTH 0 is
 *    accepted for class ANY/NONE (RFC 2136 update prerequisites/deletes);
 *    unknown types are opaque;
 *  - OPT: at most one, only in the additional section (WARD_EMULTIOPT), owner
 *    the root name and options framed correctly (WARD_EOPT);
 *  - bytes after the last record: WARD_ETRAILING.
 *
 * Trailing bytes: dns_msg_parse returns WARD_ETRAILING, but then every
 * section has been parsed completely and all views are valid (parsed[] ==
 * count[]); a caller that wants to be lenient may accept the message, the
 * printers show the whole message followed by a MALFORMED line. */
#ifndef WARD_MSG_H
#define WARD_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "name.h"
#include "rr.h"
#include "strbuf.h"

#define DNS_HEADER_LEN 12
#define DNS_MSG_MAXLEN 65535
#define DNS_QUESTION_MINLEN 5  /* root name + qtype + qclass */
#define DNS_RR_MINLEN 11       /* root name + type, class, ttl, rdlength */

enum dns_section { DNS_SEC_QUESTION = 0, DNS_SEC_ANSWER = 1,
                   DNS_SEC_AUTHORITY = 2, DNS_SEC_ADDITIONAL = 3 };

/* header flag bits (in the 16-bit flags word) */
#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_RA 0x0080
#define DNS_FLAG_Z  0x0040
#define DNS_FLAG_AD 0x0020
#define DNS_FLAG_CD 0x0010
#define DNS_OPCODE(flags) (((flags) >> 11) & 0xf)
#define DNS_RCODE(flags) ((flags) & 0xf)
#define DNS_FLAGS_OPCODE(op) ((uint16_t)(((op) & 0xf) << 11))

enum dns_opcode {
	DNS_OPCODE_QUERY = 0, DNS_OPCODE_IQUERY = 1, DNS_OPCODE_STATUS = 2,
	DNS_OPCODE_NOTIFY = 4, DNS_OPCODE_UPDATE = 5, DNS_OPCODE_DSO = 6,
};

enum dns_rcode {
	DNS_RCODE_NOERROR = 0, DNS_RCODE_FORMERR = 1, DNS_RCODE_SERVFAIL = 2,
	DNS_RCODE_NXDOMAIN = 3, DNS_RCODE_NOTIMP = 4, DNS_RCODE_REFUSED = 5,
	DNS_RCODE_YXDOMAIN = 6, DNS_RCODE_YXRRSET = 7, DNS_RCODE_NXRRSET = 8,
	DNS_RCODE_NOTAUTH = 9, DNS_RCODE_NOTZONE = 10, DNS_RCODE_BADVERS = 16,
	DNS_RCODE_BADCOOKIE = 23,
};

/* One record as found in the packet (a view: offsets into dns_msg.pkt). */
typedef struct dns_rr_view {
	size_t owner_off;   /* where the (maybe compressed) owner starts */
	uint16_t type;
	uint16_t rclass;    /* for OPT: the UDP payload size */
	uint32_t ttl;       /* for OPT: extended rcode, version, flags */
	size_t rdata_off;
	uint16_t rdlen;
	enum dns_section section;
	/* true when the record comes from a successful validating walk
	 * (dns_rr_iter_next, dns_msg.opt): the view functions then decode it
	 * without checking it again (msg_view.c). A view built by hand (false)
	 * is validated as it is read. */
	bool checked;
	/* 1 + the index of what that walk noted about the record's names
	 * (dns_msg.notes), 0 when nothing was noted */
	uint8_t note;
} dns_rr_view;

/* The records of a message whose names dns_msg_parse notes. */
#define DNS_MSG_NOTES 32

/* What the validating walk found about one name: where it ends in the
 * stream, its uncompressed length (0: nothing noted) and the pointers it
 * follows (2: two or more). With that a name of at most one pointer is
 * decompressed without stepping over its labels. */
struct dns_name_note {
	uint16_t end;
	uint8_t len;
	uint8_t ptrs;
};

typedef struct dns_msg {
	const uint8_t *pkt;
	size_t len;
	uint16_t id;
	uint16_t flags;
	uint16_t count[4];        /* QD, AN, NS, AR as in the header */
	size_t sect_off[4];       /* start of each section (valid when parsed) */
	size_t end_off;           /* end of the last record parsed */
	/* EDNS (RFC 6891): the OPT record, if any */
	bool has_opt;
	dns_rr_view opt;
	/* how far a failed parse got */
	int err;                  /* 0, or what stopped the parse */
	enum dns_section err_section;
	unsigned parsed[4];       /* records fully parsed per section */
	size_t err_off;           /* where the failing item starts (err != 0) */
	/* Internal to the codec (dns_rr_iter_next, the record views): the
	 * owner and the first name of the rdata that may be compressed of
	 * each of the first DNS_MSG_NOTES records (all sections in order),
	 * noted for messages up to 65535 octets; valid for the records
	 * counted in parsed[] only: the first `nnotes`. */
	unsigned nnotes;
	struct dns_msg_note {
		struct dns_name_note owner, rdname;
	} notes[DNS_MSG_NOTES];
} dns_msg;

/* Parse and validate pkt[0..len). Returns 0 or a negative ward_err (also in
 * m->err). m is always initialised, also on failure. The packet is not
 * copied: it must outlive m. No allocation. */
int dns_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len);

/* Full rcode including the EDNS extended bits (RFC 6891 §6.1.3). */
uint16_t dns_msg_rcode(const dns_msg *m);

/* The first question (qname, qtype, qclass); each out pointer may be NULL.
 * WARD_ENOTFOUND if QDCOUNT=0 (or the question was not parsed). */
int dns_msg_question(const dns_msg *m, dns_name *qname, uint16_t *qtype,
                     uint16_t *qclass);

/* Iterate the records of one section (QUESTION yields views with rdlen 0,
 * ttl 0). Only the records successfully parsed are visited. */
typedef struct dns_rr_iter {
	const dns_msg *m;
	enum dns_section section;
	unsigned idx;
	size_t pos;
	unsigned base;            /* records in the sections before */
} dns_rr_iter;

/* Internal to the iterator below: where the owner name at pos of a
 * record dns_msg_parse accepted ends (records past the notes). */
size_t dns_msg_owner_end(const dns_msg *m, size_t pos);

/* (Inline: the iterator runs once per record, and what it does is a few
 * loads from what dns_msg_parse noted.) */
static inline void dns_rr_iter_init(dns_rr_iter *it, const dns_msg *m,
                                    enum dns_section s)
{
	it->m = m;
	it->section = s;
	it->idx = 0;
	it->pos = (unsigned)s <= DNS_SEC_ADDITIONAL ? m->sect_off[s] : m->len;
	it->base = 0;
	for (unsigned t = 0; t < (unsigned)s && t <= DNS_SEC_ADDITIONAL; t++)
		it->base += m->parsed[t];
}

/* 1 and fills v while there is a record, 0 at the end (v then cleared). */
static inline int dns_rr_iter_next(dns_rr_iter *it, dns_rr_view *v)
{
	static const dns_rr_view none;
	const dns_msg *m = it->m;
	unsigned s = (unsigned)it->section;
	if (s > DNS_SEC_ADDITIONAL || it->idx >= m->parsed[s])
		goto end;
	/* The record was validated by dns_msg_parse (parsed[] counts only
	 * those, and the sections before this one were parsed whole): take
	 * where its owner ends from what the parse noted, or step over the
	 * owner, then read the fixed fields; every offset is still bounded
	 * by the message length. */
	unsigned g = it->base + it->idx;
	size_t pos;
	uint8_t note = 0;
	if (g < m->nnotes && g < DNS_MSG_NOTES) {
		pos = m->notes[g].owner.end;
		note = (uint8_t)(g + 1);
	} else {
		pos = dns_msg_owner_end(m, it->pos);
	}
	bool question = s == DNS_SEC_QUESTION;
	size_t fixed = question ? 4 : 10; /* type, class (, ttl, rdlength) */
	if (pos > m->len || m->len - pos < fixed)
		goto end;
	const uint8_t *f = m->pkt + pos;
	pos += fixed;
	uint16_t rdlen = question ? 0 : wire_be16(f + 8);
	if (rdlen > m->len - pos)
		goto end;
	v->owner_off = it->pos;
	v->section = it->section;
	v->type = wire_be16(f);
	v->rclass = wire_be16(f + 2);
	v->ttl = question ? 0 : wire_be32(f + 4);
	v->rdata_off = pos;
	v->rdlen = rdlen;
	v->checked = true;
	v->note = note;
	it->pos = pos + rdlen;
	it->idx++;
	return 1;
end:
	/* once per section: callers (and the compiler) see v set */
	*v = none;
	return 0;
}

/* Decompress the owner of a record view. */
int dns_rr_view_owner(const dns_msg *m, const dns_rr_view *v, dns_name *out);
/* The rdata of a view, uncompressed, into out (up to DNS_RDATA_MAX). The
 * octets of out past *outlen (inside cap) may be overwritten too. */
int dns_rr_view_rdata(const dns_msg *m, const dns_rr_view *v, uint8_t *out,
                      size_t cap, size_t *outlen);
/* Owner + uncompressed rdata into a dns_rr (rdata stored in buf; buf past
 * rr->rdlen, inside cap, may be overwritten too). */
int dns_rr_view_to_rr(const dns_msg *m, const dns_rr_view *v, dns_rr *rr,
                      uint8_t *buf, size_t cap);
/* "owner\tttl\tCLASS\tTYPE\trdata" (dns_rr_to_text) of a view, no newline.
 * Uses a small stack buffer, a heap one only for large rdata. */
int dns_rr_view_to_text(const dns_msg *m, const dns_rr_view *v, strbuf *sb);
/* Only the rdata presentation text (dns_rdata_to_text) of a view. */
int dns_rr_view_rdata_to_text(const dns_msg *m, const dns_rr_view *v,
                              strbuf *sb);

/* ---- names of codes ---- */

/* "QUERY", "NOTIFY", "UPDATE", ...; NULL when unassigned. */
const char *dns_opcode_name(unsigned opcode);
/* "NOERROR", "NXDOMAIN", ..., "BADVERS", "BADCOOKIE"; NULL when unassigned.
 * Takes the full 12-bit rcode (16 is BADVERS, as in a response with OPT). */
const char *dns_rcode_name(unsigned rcode);
/* "QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL" (or for UPDATE messages,
 * RFC 2136 §2: "ZONE", "PREREQUISITE", "UPDATE", "ADDITIONAL"). */
const char *dns_section_name(enum dns_section s, bool update);

/* ---- printing ---- */

/* dig-like text: header line, flags, EDNS pseudosection (with EDE, cookie,
 * ...), then each section, then ";; MSG SIZE  rcvd: N". On a partial parse
 * prints what was read and then
 *   ";; MALFORMED: <ward_strerror> in <section> after N records (offset O)"
 * (";; MALFORMED: trailing bytes: N octets after the last record" for
 * WARD_ETRAILING, after the complete message). Ends with a newline.
 * Returns 0, or WARD_ESPACE when sb was too small (m->err is not returned). */
int dns_msg_print(const dns_msg *m, strbuf *sb);

/* One JSON object in the style of RFC 8427 (no trailing newline): ID, QR,
 * Opcode, AA, TC, RD, RA, AD, CD, RCODE, QDCOUNT..ARCOUNT, QNAME, QTYPE,
 * QCLASS, questionRRs/answerRRs/authorityRRs/additionalRRs (NAME, TYPE,
 * TYPEname, CLASS, CLASSname, TTL, RDLENGTH, "rdata<TYPE>" presentation text
 * or RDATAHEX for unknown types and OPT), an "EDNS" object when there is an
 * OPT record, and for a malformed message a "malformed" object and a
 * "comment". Returns 0 or WARD_ESPACE. */
int dns_msg_print_json(const dns_msg *m, strbuf *sb);
#define DNS_JSON_OCTETS 0x1  /* add "messageOctetsHEX" */
int dns_msg_print_json_ex(const dns_msg *m, strbuf *sb, unsigned flags);

#endif
