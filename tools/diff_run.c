/* ward toolkit: the queries of ward diff and ward replay --pcap (see the
 * header); the sending itself is tools/drun_loop.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_run.h"
#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"

volatile sig_atomic_t drun_stop;

int drun_query_from_line(const char *line, struct drun_query *q, char *err,
                         size_t errlen)
{
	char name[300], type[32] = "A", f1[32] = "", f2[32] = "";
	memset(q, 0, sizeof *q);
	int k = sscanf(line, "%299s %31s %31s %31s", name, type, f1, f2);
	if (k < 1) {
		snprintf(err, errlen, "expected 'NAME TYPE [+dnssec] [+cd]'");
		return -1;
	}
	bool dnssec = false, cd = false;
	const char *fl[2] = { f1, f2 };
	for (int i = 0; i < 2; i++) {
		if (!fl[i][0])
			continue;
		if (!strcmp(fl[i], "+dnssec"))
			dnssec = true;
		else if (!strcmp(fl[i], "+cd"))
			cd = true;
		else {
			snprintf(err, errlen, "unknown flag '%s' (+dnssec, +cd)", fl[i]);
			return -1;
		}
	}
	const dns_name root = { 1, { 0 } };
	if (dns_name_from_text(&q->qname, name, strlen(name), &root)) {
		snprintf(err, errlen, "bad name '%s'", name);
		return -1;
	}
	if (dns_type_from_text(type, strlen(type), &q->qtype)) {
		snprintf(err, errlen, "bad type '%s'", type);
		return -1;
	}
	uint8_t buf[600];
	dns_mb b;
	size_t len;
	dns_mb_init(&b, buf, sizeof buf, sizeof buf);
	/* RD, and AD as dig sets it (RFC 6840 §5.7) */
	dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_RD | DNS_FLAG_AD | (cd ? DNS_FLAG_CD : 0)));
	if (dns_mb_edns(&b, 1232, 0, dnssec ? EDNS_FLAG_DO : 0) ||
	    dns_mb_question(&b, &q->qname, q->qtype, DNS_C_IN) ||
	    dns_mb_finish(&b, &len)) {
		snprintf(err, errlen, "cannot build the query");
		return -1;
	}
	if (!(q->wire = malloc(len))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(q->wire, buf, len);
	q->wlen = len;
	char tb[16];
	int tl = snprintf(NULL, 0, "%s %s%s%s", name, dns_type_str(q->qtype, tb),
	                  dnssec ? " +dnssec" : "", cd ? " +cd" : "");
	if (tl < 0 || !(q->text = malloc((size_t)tl + 1))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(q->text, (size_t)tl + 1, "%s %s%s%s", name, tb,
	         dnssec ? " +dnssec" : "", cd ? " +cd" : "");
	return 0;
}

void drun_query_text(const struct drun_query *q, char *buf, size_t cap)
{
	if (q->text) {
		snprintf(buf, cap, "%s", q->text);
		return;
	}
	char nb[DNS_NAME_TEXT_MAX], tb[16];
	strbuf sb = strbuf_init(nb, sizeof nb);
	dns_name_to_text(&q->qname, &sb);
	dns_msg m;
	edns_info e;
	bool parsed = dns_msg_parse(&m, q->wire, q->wlen) == 0;
	bool dnssec = parsed && edns_from_msg(&m, &e) == 0 && (e.flags & EDNS_FLAG_DO);
	bool cd = parsed && (m.flags & DNS_FLAG_CD);
	snprintf(buf, cap, "%s %s%s%s", nb, dns_type_str(q->qtype, tb),
	         dnssec ? " +dnssec" : "", cd ? " +cd" : "");
}

void drun_query_free(struct drun_query *q)
{
	free(q->text);
	free(q->wire);
	free(q->captured);
	for (int i = 0; i < DRUN_MAX_SERVERS; i++)
		free(q->ans[i]);
	memset(q, 0, sizeof *q);
}
