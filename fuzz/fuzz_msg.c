/* Fuzz harness: DNS message parse -> print -> rebuild -> re-parse.
 * Any input: the parser must not fail badly and both printers must finish.
 * A message that parses is rebuilt record by record with the builder (name
 * compression, EDNS options copied) and the result must parse again to the
 * same header, question and records.
 * Every input is also parsed by the reference parser (the parser as it was
 * before the fast paths, tests/unit/helper_msg_ref.c, compiled into this
 * harness) and must give the same result, error and records; every record
 * decoded the trusted way must equal the validating way (ref_msg_compare). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
/* the reference parser and the comparison, one file with this harness */
#include "tests/unit/helper_msg_ref.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char text[1 << 20];
static uint8_t out[DNS_MSG_MAXLEN];
static uint8_t rd1[DNS_RDATA_MAX], rd2[DNS_RDATA_MAX];

static int same_rr(const dns_msg *a, const dns_rr_view *va, const dns_msg *b,
                   const dns_rr_view *vb)
{
	dns_rr ra, rb;
	if (dns_rr_view_to_rr(a, va, &ra, rd1, sizeof rd1) ||
	    dns_rr_view_to_rr(b, vb, &rb, rd2, sizeof rd2))
		return 0;
	/* compression matches suffixes case-insensitively, so names may come
	 * back in another case: compare canonically */
	return dns_name_equal(&ra.owner, &rb.owner) && ra.type == rb.type &&
	       ra.rclass == rb.rclass && ra.ttl == rb.ttl &&
	       dns_rdata_canon_cmp(ra.type, ra.rdata, ra.rdlen, rb.rdata,
	                           rb.rdlen) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > DNS_MSG_MAXLEN)
		return 0;
	char why[256];
	if (ref_msg_compare(data, size, why, sizeof why) != 0)
		__builtin_trap();
	dns_msg m;
	int r = dns_msg_parse(&m, data, size);
	strbuf sb = strbuf_init(text, sizeof text);
	if (dns_msg_print(&m, &sb) != 0)
		__builtin_trap();
	sb = strbuf_init(text, sizeof text);
	if (dns_msg_print_json(&m, &sb) != 0)
		__builtin_trap();
	if (r != 0)
		return 0;

	dns_mb b;
	if (dns_mb_init(&b, out, sizeof out, sizeof out))
		__builtin_trap();
	dns_mb_set_id(&b, m.id);
	dns_mb_set_flags(&b, m.flags);
	dns_mb_set_rcode(&b, dns_msg_rcode(&m));
	edns_info e;
	if (m.has_opt) {
		if (edns_from_msg(&m, &e))
			__builtin_trap();
		if (dns_mb_edns(&b, e.udp_size, e.version, e.flags))
			__builtin_trap();
		edns_opt_iter it;
		edns_opt o;
		edns_opt_iter_init(&it, e.opts, e.opts_len);
		while (edns_opt_iter_next(&it, &o) == 1)
			if (dns_mb_edns_option(&b, o.code, o.data, o.len))
				return 0; /* more option bytes than the builder keeps */
	}
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_QUESTION);
	while (dns_rr_iter_next(&it, &v) == 1) {
		dns_name q;
		if (dns_rr_view_owner(&m, &v, &q))
			__builtin_trap();
		if (dns_mb_question(&b, &q, v.type, v.rclass))
			__builtin_trap();
	}
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter_init(&it, &m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v) == 1) {
			if (v.type == DNS_T_OPT)
				continue;
			dns_rr rr;
			if (dns_rr_view_to_rr(&m, &v, &rr, rd1, sizeof rd1))
				__builtin_trap();
			int rb = dns_mb_rr(&b, (enum dns_section)s, &rr);
			if (rb == WARD_ESPACE)
				return 0; /* compression may not win back what it lost */
			if (rb)
				__builtin_trap();
		}
	}
	size_t len;
	if (dns_mb_finish(&b, &len))
		__builtin_trap();
	if (dns_mb_truncated(&b))
		return 0;

	dns_msg m2;
	if (dns_msg_parse(&m2, out, len) != 0)
		__builtin_trap();
	if (m2.id != m.id || m2.has_opt != m.has_opt ||
	    dns_msg_rcode(&m2) != dns_msg_rcode(&m))
		__builtin_trap();
	for (int s = DNS_SEC_QUESTION; s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter i1, i2;
		dns_rr_view v1, v2;
		dns_rr_iter_init(&i1, &m, (enum dns_section)s);
		dns_rr_iter_init(&i2, &m2, (enum dns_section)s);
		for (;;) {
			int n1 = dns_rr_iter_next(&i1, &v1);
			while (n1 == 1 && v1.type == DNS_T_OPT)
				n1 = dns_rr_iter_next(&i1, &v1);
			int n2 = dns_rr_iter_next(&i2, &v2);
			while (n2 == 1 && v2.type == DNS_T_OPT)
				n2 = dns_rr_iter_next(&i2, &v2);
			if (n1 != n2)
				__builtin_trap();
			if (n1 != 1)
				break;
			if (s == DNS_SEC_QUESTION) {
				dns_name q1, q2;
				if (dns_rr_view_owner(&m, &v1, &q1) ||
				    dns_rr_view_owner(&m2, &v2, &q2) ||
				    !dns_name_equal(&q1, &q2) ||
				    v1.type != v2.type || v1.rclass != v2.rclass)
					__builtin_trap();
			} else if (!same_rr(&m, &v1, &m2, &v2)) {
				__builtin_trap();
			}
		}
	}
	return 0;
}
