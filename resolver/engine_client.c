/* ward resolver: what a client query must pass before it is resolved —
 * header and count checks (RFC 1035 §4.1.1: FORMERR, NOTIMP), the EDNS
 * version (RFC 6891 §6.1.3: BADVERS), classes (REFUSED; CH TXT
 * version.bind / id.server), meta query types, and the RFC 8482 answer to
 * ANY. The order of the checks is Unbound's (daemon/worker.c
 * worker_check_request, worker_handle_request); docs/resolver.md. */
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine_int.h"

/* An answer without records: the opcode is echoed (RFC 1035 §4.1.1), the
 * question only when it could be read. */
static void answer_plain(res_engine *e, struct query *q, uint16_t rcode,
                         bool question, uint16_t ede, const char *text)
{
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = eng_answer_start(e, q, &b, rcode);
	if (!buf)
		return;
	dns_mb_set_flags(&b, (uint16_t)(b.flags |
	                 DNS_FLAGS_OPCODE(DNS_OPCODE(q->cflags))));
	if (question)
		dns_mb_question(&b, &q->qname_orig, q->qtype, q->qclass);
	if (q->c_edns && text)
		dns_mb_edns_ede(&b, ede, text, strlen(text));
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		q->used = false;
		return;
	}
	eng_emit_answer(e, q, buf, len);
}

static bool name_is(const dns_name *n, const char *text)
{
	dns_name t;
	return dns_name_from_text(&t, text, strlen(text), NULL) == 0 &&
	       dns_name_equal(n, &t);
}

/* One TXT record of class CH (Unbound's chaos_replystr: TTL 0, no AA). */
static void answer_chaos_txt(res_engine *e, struct query *q, const char *str)
{
	uint8_t rdata[256];
	size_t sl = strlen(str);
	if (sl > 255)
		sl = 255;
	rdata[0] = (uint8_t)sl;
	memcpy(rdata + 1, str, sl);
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = eng_answer_start(e, q, &b, DNS_RCODE_NOERROR);
	if (!buf)
		return;
	dns_mb_question(&b, &q->qname_orig, q->qtype, q->qclass);
	dns_rr rr = { .owner = q->qname_orig, .type = DNS_T_TXT,
	              .rclass = DNS_C_CH, .ttl = RES_CHAOS_TTL,
	              .rdlen = (uint16_t)(sl + 1), .rdata = rdata };
	dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		q->used = false;
		return;
	}
	eng_emit_answer(e, q, buf, len);
}

/* Class CH: version.bind/version.server and id.server/hostname.bind TXT
 * (or ANY) as Unbound answers them, when configured; REFUSED otherwise
 * (Unbound too: its iterator has no root hints for CH, priming fails and
 * it answers REFUSED — iterator.c processInitRequest). */
static void answer_chaos(res_engine *e, struct query *q)
{
	const char *str = NULL;
	bool txt = q->qtype == DNS_T_TXT || q->qtype == DNS_T_ANY;
	if (txt && (name_is(&q->qname_orig, "version.bind.") ||
	            name_is(&q->qname_orig, "version.server.")))
		str = e->cfg.chaos_version;
	else if (txt && (name_is(&q->qname_orig, "id.server.") ||
	                 name_is(&q->qname_orig, "hostname.bind.")))
		str = e->cfg.chaos_identity;
	if (str) {
		answer_chaos_txt(e, q, str);
		return;
	}
	answer_plain(e, q, DNS_RCODE_REFUSED, true, EDE_NOT_SUPPORTED,
	             "class CH: only version.bind and id.server TXT, when configured");
}

bool eng_client_check(res_engine *e, struct query *q, const uint8_t *pkt,
                      size_t len)
{
	dns_msg m;
	uint8_t version = 0;
	int r = dns_msg_parse(&m, pkt, len);
	if (r == 0 && m.has_opt) {
		edns_info ei;
		if (edns_from_msg(&m, &ei) == 0) {
			q->c_edns = true;
			q->c_udp = edns_udp_size(&ei);
			q->c_do = (ei.flags & EDNS_FLAG_DO) != 0;
			version = ei.version;
		}
	}
	bool have_q = r == 0 && m.count[0] == 1 &&
	              dns_msg_question(&m, &q->qname_orig, &q->qtype,
	                               &q->qclass) == 0;
	/* the opcode before the counts, as Unbound: NOTIMP also for an
	 * UPDATE or NOTIFY whose body we do not read */
	if (DNS_OPCODE(q->cflags) != DNS_OPCODE_QUERY) {
		answer_plain(e, q, DNS_RCODE_NOTIMP, have_q, 0, NULL);
		return true;
	}
	/* unreadable, QDCOUNT != 1, records in answer/authority, TC set in
	 * a query: FORMERR without the question (it may not be there) */
	if (!have_q || m.count[1] || m.count[2] || (q->cflags & DNS_FLAG_TC)) {
		q->qtype = 0;
		answer_plain(e, q, DNS_RCODE_FORMERR, false, 0, NULL);
		return true;
	}
	/* RFC 6891 §6.1.3: a version we do not speak gets BADVERS with our
	 * version (0) in the OPT record */
	if (q->c_edns && version > EDNS_VERSION) {
		answer_plain(e, q, DNS_RCODE_BADVERS, true, 0, NULL);
		return true;
	}
	if (q->qclass == DNS_C_CH) {
		answer_chaos(e, q);
		return true;
	}
	if (q->qclass != DNS_C_IN) {
		answer_plain(e, q, DNS_RCODE_REFUSED, true, EDE_NOT_SUPPORTED,
		             "only class IN is served");
		return true;
	}
	switch (q->qtype) {
	case DNS_T_AXFR: case DNS_T_IXFR: /* Unbound: REFUSED */
		answer_plain(e, q, DNS_RCODE_REFUSED, true, EDE_NOT_SUPPORTED,
		             "zone transfers are not served by a resolver");
		return true;
	case DNS_T_OPT: case DNS_T_TSIG: case DNS_T_TKEY: case DNS_T_MAILA:
	case DNS_T_MAILB: /* meta types: Unbound answers FORMERR */
		answer_plain(e, q, DNS_RCODE_FORMERR, true, EDE_INVALID_QUERY_TYPE,
		             "meta query type");
		return true;
	default:
		if (q->qtype >= 128 && q->qtype <= 248) { /* RFC 6895 §3.1 */
			answer_plain(e, q, DNS_RCODE_FORMERR, true,
			             EDE_INVALID_QUERY_TYPE, "meta query type");
			return true;
		}
		return false;
	}
}

/* RFC 8482 §4.2: ANY is answered with one synthesised HINFO "RFC8482" "",
 * without asking anyone (docs/resolver.md says why not §4.1). */
void eng_answer_any(res_engine *e, struct query *q)
{
	static const uint8_t hinfo[] = { 7, 'R', 'F', 'C', '8', '4', '8', '2', 0 };
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = eng_answer_start(e, q, &b, DNS_RCODE_NOERROR);
	if (!buf)
		return;
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	dns_rr rr = { .owner = q->qname_orig, .type = DNS_T_HINFO,
	              .rclass = DNS_C_IN, .ttl = eng_ttl_client(e, 3600),
	              .rdlen = sizeof(hinfo), .rdata = hinfo };
	dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		q->used = false;
		return;
	}
	eng_emit_answer(e, q, buf, len);
}
