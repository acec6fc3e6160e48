/* wardd: log-queries lines in dnsmasq's words:
 *   query[A] www.example.com from 192.0.2.7
 *   reply www.example.com is 192.0.2.1        (one line per record)
 *   reply www.example.com is NXDOMAIN / NODATA / SERVFAIL / <CNAME>
 * Queries that do not parse are logged as "query[?] malformed from ...". */
#include <stdio.h>
#include <string.h>

#include "codec/msg.h"
#include "codec/rr.h"
#include "daemon/wardd.h"

#define QUERYLOG_MAX_RECORDS 8   /* reply lines per answer */

static bool question(const dns_msg *m, char *name, size_t nlen, char *type)
{
	dns_name q;
	uint16_t qt, qc;
	if (m->count[0] < 1 || dns_msg_question(m, &q, &qt, &qc) < 0)
		return false;
	char buf[DNS_NAME_TEXT_MAX];
	dns_name_str(&q, buf);
	size_t l = strlen(buf);
	if (l > 1 && buf[l - 1] == '.')
		buf[l - 1] = 0;    /* dnsmasq writes names without the dot */
	snprintf(name, nlen, "%s", buf);
	dns_type_str(qt, type);
	return true;
}

void querylog_query(const uint8_t *pkt, size_t len, const struct sockaddr *peer,
                    bool tcp)
{
	char from[INET6_ADDRSTRLEN + 8];
	sockaddr_text(peer, from, sizeof from);
	char *hash = strrchr(from, '#');
	if (hash)
		*hash = 0;         /* dnsmasq shows the address only */
	dns_msg m;
	char name[DNS_NAME_TEXT_MAX], type[16];
	if (dns_msg_parse(&m, pkt, len) < 0 && m.parsed[0] < 1) {
		wlog(WLOG_INFO, "query[?] malformed (%zu bytes) from %s%s", len,
		     from, tcp ? " (tcp)" : "");
		return;
	}
	if (!question(&m, name, sizeof name, type)) {
		wlog(WLOG_INFO, "query[?] without a question from %s", from);
		return;
	}
	wlog(WLOG_INFO, "query[%s] %s from %s%s", type, name, from,
	     tcp ? " (tcp)" : "");
}

void querylog_reply(const uint8_t *pkt, size_t len)
{
	dns_msg m;
	char name[DNS_NAME_TEXT_MAX] = "error", type[16];
	int pr = dns_msg_parse(&m, pkt, len);
	if (len < DNS_HEADER_LEN)
		return;
	question(&m, name, sizeof name, type);
	unsigned rcode = DNS_RCODE(m.flags);
	if (pr < 0 && m.parsed[0] < 1) {
		wlog(WLOG_INFO, "reply %s is %s", name, dns_rcode_name(rcode));
		return;
	}
	if (rcode == DNS_RCODE_NXDOMAIN) {
		wlog(WLOG_INFO, "reply %s is NXDOMAIN", name);
		return;
	}
	if (rcode != DNS_RCODE_NOERROR) {
		wlog(WLOG_INFO, "reply %s is %s", name, dns_rcode_name(rcode));
		return;
	}
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	unsigned n = 0;
	while (n < QUERYLOG_MAX_RECORDS && dns_rr_iter_next(&it, &v) == 1) {
		char owner[DNS_NAME_TEXT_MAX] = "?";
		dns_name o;
		if (dns_rr_view_owner(&m, &v, &o) >= 0) {
			dns_name_str(&o, owner);
			size_t l = strlen(owner);
			if (l > 1 && owner[l - 1] == '.')
				owner[l - 1] = 0;
		}
		if (v.type == DNS_T_CNAME || v.type == DNS_T_RRSIG ||
		    v.type == DNS_T_DNAME) {
			wlog(WLOG_INFO, "reply %s is <%s>", owner,
			     dns_type_str(v.type, type));
		} else {
			char text[512];
			strbuf sb = strbuf_init(text, sizeof text);
			if (dns_rr_view_rdata_to_text(&m, &v, &sb) < 0)
				snprintf(text, sizeof text, "<%s>", dns_type_str(v.type, type));
			wlog(WLOG_INFO, "reply %s is %s", owner, text);
		}
		n++;
	}
	if (n == 0)
		wlog(WLOG_INFO, "reply %s is NODATA", name);
}
