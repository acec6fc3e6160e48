/* ward: DNS messages (RFC 1035 §4) as zero-copy views into the packet.
 *
 * dns_msg_parse() checks the whole message once (header, every name, every
 * rdata against its type's layout, at most one OPT and only in the additional
 * section, no trailing bytes) and records where each section starts. After a
 * successful parse the iterators below cannot fail on bounds. On failure the
 * view still says how far parsing got (`parsed`, per-section counts read) so a
 * printer can show what could be read and why it stopped. */
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
} dns_rr_view;

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
} dns_msg;

/* Parse and validate pkt[0..len). Returns 0 or a negative ward_err (also in
 * m->err). m is always initialised, also on failure. */
int dns_msg_parse(dns_msg *m, const uint8_t *pkt, size_t len);

/* Full rcode including the EDNS extended bits (RFC 6891 §6.1.3). */
uint16_t dns_msg_rcode(const dns_msg *m);

/* The first question (qname, qtype, qclass). WARD_ENOTFOUND if QDCOUNT=0. */
int dns_msg_question(const dns_msg *m, dns_name *qname, uint16_t *qtype,
                     uint16_t *qclass);

/* Iterate the records of one section (QUESTION yields views with rdlen 0,
 * ttl 0). Only the records successfully parsed are visited. */
typedef struct dns_rr_iter {
	const dns_msg *m;
	enum dns_section section;
	unsigned idx;
	size_t pos;
} dns_rr_iter;

void dns_rr_iter_init(dns_rr_iter *it, const dns_msg *m, enum dns_section s);
/* 1 and fills v while there is a record, 0 at the end. */
int dns_rr_iter_next(dns_rr_iter *it, dns_rr_view *v);

/* Decompress the owner of a record view. */
int dns_rr_view_owner(const dns_msg *m, const dns_rr_view *v, dns_name *out);
/* The rdata of a view, uncompressed, into out (up to DNS_RDATA_MAX). */
int dns_rr_view_rdata(const dns_msg *m, const dns_rr_view *v, uint8_t *out,
                      size_t cap, size_t *outlen);
/* Owner + uncompressed rdata into a dns_rr (rdata stored in buf). */
int dns_rr_view_to_rr(const dns_msg *m, const dns_rr_view *v, dns_rr *rr,
                      uint8_t *buf, size_t cap);

/* ---- printing ---- */

/* dig-like text: header line, flags, EDNS pseudosection (with EDE, cookie,
 * ...), then each section. On a partial parse prints what was read and a
 * ";; MALFORMED: <reason> (in <section>, after N records)" line. */
int dns_msg_print(const dns_msg *m, strbuf *sb);
/* One JSON object in the style of RFC 8427 (no trailing newline). */
int dns_msg_print_json(const dns_msg *m, strbuf *sb);

#endif
