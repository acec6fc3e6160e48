/* Unit tests for resolver/answer_filter.c (dnsmasq's filter-A, filter-AAAA,
 * filter-rr): answers built with the codec, filtered, parsed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/name.h"
#include "codec/rr.h"
#include "resolver/answer_filter.h"

static dns_name nm(const char *s)
{
	dns_name n;
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), NULL), 0);
	return n;
}

static dns_rr rec(const char *owner, uint16_t type, const uint8_t *rd,
                  uint16_t len)
{
	dns_rr r = { .owner = nm(owner), .type = type, .rclass = DNS_C_IN,
	             .ttl = 300, .rdlen = len, .rdata = rd };
	return r;
}

static const uint8_t A1[4] = { 192, 0, 2, 1 };
static const uint8_t AAAA1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t TXT1[6] = { 5, 'h', 'e', 'l', 'l', 'o' };
static uint8_t cname_rd[64], mx_rd[64];
static uint16_t cname_len, mx_len;
/* an RRSIG over AAAA: type covered, then the rest (not checked here) */
static const uint8_t SIG_AAAA[20] = { 0, 28, 13, 2, 0, 0, 1, 44 };

/* "alias.example. -> www.example." answer to qtype, EDNS when edns: the
 * CNAME, A, AAAA (+ its RRSIG), TXT, MX in the answer, an NS in the
 * authority, an A in the additional section. */
static size_t answer(uint8_t *buf, size_t cap, uint16_t qtype, uint16_t rcode,
                     bool edns)
{
	dns_name t = nm("www.example.");
	cname_len = t.len;
	memcpy(cname_rd, t.wire, cname_len);
	dns_name mx = nm("mail.example.");
	mx_rd[0] = 0;
	mx_rd[1] = 10;
	mx_len = (uint16_t)(2 + mx.len);
	memcpy(mx_rd + 2, mx.wire, mx.len);
	dns_mb b;
	assert_int_equal(dns_mb_init(&b, buf, cap, cap), 0);
	dns_mb_set_id(&b, 0x1234);
	dns_mb_set_flags(&b, DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA | DNS_FLAG_AD);
	dns_mb_set_rcode(&b, rcode);
	if (edns) {
		assert_int_equal(dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO), 0);
		assert_int_equal(dns_mb_edns_ede(&b, 3, "stale", 5), 0);
	}
	dns_name q = nm("alias.example.");
	assert_int_equal(dns_mb_question(&b, &q, qtype, DNS_C_IN), 0);
	dns_rr an[] = {
		rec("alias.example.", DNS_T_CNAME, cname_rd, cname_len),
		rec("www.example.", DNS_T_A, A1, 4),
		rec("www.example.", DNS_T_AAAA, AAAA1, 16),
		rec("www.example.", DNS_T_RRSIG, SIG_AAAA, sizeof SIG_AAAA),
		rec("www.example.", DNS_T_TXT, TXT1, sizeof TXT1),
		rec("www.example.", DNS_T_MX, mx_rd, mx_len),
	};
	for (size_t i = 0; i < sizeof an / sizeof an[0]; i++)
		assert_int_equal(dns_mb_rr(&b, DNS_SEC_ANSWER, &an[i]), 0);
	dns_rr ns = rec("example.", DNS_T_NS, cname_rd, cname_len);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_AUTHORITY, &ns), 0);
	dns_rr ad = rec("mail.example.", DNS_T_AAAA, AAAA1, 16);
	assert_int_equal(dns_mb_rr(&b, DNS_SEC_ADDITIONAL, &ad), 0);
	size_t len;
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	return len;
}

/* The types of section s, in order, as a string of type numbers. */
static void types(const dns_msg *m, enum dns_section s, char *out, size_t cap)
{
	dns_rr_iter it;
	dns_rr_view v;
	size_t o = 0;
	out[0] = 0;
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v))
		if (v.type != DNS_T_OPT)
			o += (size_t)snprintf(out + o, cap - o, "%s%u", o ? " " : "",
			                      v.type);
}

/* The EDE codes of m, "3 17" */
static void edes(const dns_msg *m, char *out, size_t cap)
{
	edns_info e;
	size_t o = 0;
	out[0] = 0;
	if (edns_from_msg(m, &e) < 0)
		return;
	edns_opt_iter it;
	edns_opt op;
	edns_opt_iter_init(&it, e.opts, e.opts_len);
	while (edns_opt_iter_next(&it, &op) == 1) {
		edns_ede d;
		if (op.code == EDNS_OPT_EDE && edns_ede_parse(&op, &d) == 0)
			o += (size_t)snprintf(out + o, cap - o, "%s%u", o ? " " : "",
			                      d.info_code);
	}
}

static void filtered(const struct answer_filter *f, uint16_t qtype, bool edns,
                     const char *want_an, const char *want_ede)
{
	uint8_t in[2048], out[2048];
	size_t len = answer(in, sizeof in, qtype, DNS_RCODE_NOERROR, edns), olen;
	assert_int_equal(answer_filter_apply(f, in, len, out, sizeof out, &olen), 1);
	assert_true(olen < len);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, out, olen), 0);
	char got[128];
	types(&m, DNS_SEC_ANSWER, got, sizeof got);
	assert_string_equal(got, want_an);
	types(&m, DNS_SEC_AUTHORITY, got, sizeof got);
	assert_string_equal(got, "2");          /* NS kept */
	types(&m, DNS_SEC_ADDITIONAL, got, sizeof got);
	assert_string_equal(got, "28");         /* only the answer is filtered */
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(m.flags & 0x87b0, DNS_FLAG_QR | DNS_FLAG_RD |
	                 DNS_FLAG_RA | DNS_FLAG_AD);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	dns_name q;
	uint16_t qt;
	assert_int_equal(dns_msg_question(&m, &q, &qt, NULL), 0);
	dns_name want_q = nm("alias.example.");
	assert_true(dns_name_equal(&q, &want_q));
	assert_int_equal(qt, qtype);
	assert_int_equal(m.has_opt, edns);
	edes(&m, got, sizeof got);
	assert_string_equal(got, want_ede);
	if (edns) {
		edns_info e;
		assert_int_equal(edns_from_msg(&m, &e), 0);
		assert_int_equal(e.flags, EDNS_FLAG_DO);
		assert_int_equal(e.udp_size, 1232);
	}
}

static void test_filter_aaaa(void **state)
{
	(void)state;
	struct answer_filter f = { .types = { DNS_T_AAAA }, .n = 1 };
	/* the AAAA and its RRSIG go, EDE 17 joins the EDE already there */
	filtered(&f, DNS_T_AAAA, true, "5 1 16 15", "3 17");
	filtered(&f, DNS_T_AAAA, false, "5 1 16 15", "");
}

static void test_filter_several(void **state)
{
	(void)state;
	struct answer_filter f = { .types = { DNS_T_TXT, DNS_T_A }, .n = 2 };
	filtered(&f, DNS_T_A, true, "5 28 46 15", "3 17");
}

static void test_filter_any(void **state)
{
	(void)state;
	/* filter-rr=ANY: an ANY answer keeps A, AAAA, MX, CNAME; the type
	 * list does not apply to it (dnsmasq 2.90) */
	struct answer_filter f = { .types = { DNS_T_AAAA }, .n = 1, .any = true };
	filtered(&f, DNS_T_ANY, true, "5 1 28 15", "3 17");
	/* other questions: the type list */
	filtered(&f, DNS_T_A, true, "5 1 16 15", "3 17");
	assert_true(answer_filter_drops(&f, DNS_T_ANY, DNS_T_RRSIG, DNS_T_A));
	assert_false(answer_filter_drops(&f, DNS_T_ANY, DNS_T_MX, 0));
	assert_false(answer_filter_drops(&f, DNS_T_TXT, DNS_T_TXT, 0));
}

static void test_left_alone(void **state)
{
	(void)state;
	uint8_t in[2048], out[2048];
	size_t olen = 0, len;
	struct answer_filter none = { .n = 0 };
	len = answer(in, sizeof in, DNS_T_A, DNS_RCODE_NOERROR, true);
	assert_int_equal(answer_filter_apply(&none, in, len, out, sizeof out, &olen), 0);
	/* nothing of the type in the answer */
	struct answer_filter srv = { .types = { DNS_T_SRV }, .n = 1 };
	assert_int_equal(answer_filter_apply(&srv, in, len, out, sizeof out, &olen), 0);
	/* not NOERROR */
	struct answer_filter f = { .types = { DNS_T_AAAA }, .n = 1 };
	len = answer(in, sizeof in, DNS_T_AAAA, DNS_RCODE_NXDOMAIN, true);
	assert_int_equal(answer_filter_apply(&f, in, len, out, sizeof out, &olen), 0);
	/* not a message */
	static const uint8_t junk[5] = { 1, 2, 3, 4, 5 };
	assert_int_equal(answer_filter_apply(&f, junk, sizeof junk, out, sizeof out,
	                                     &olen), 0);
	/* ANY without filter-rr=ANY: only the type list */
	len = answer(in, sizeof in, DNS_T_ANY, DNS_RCODE_NOERROR, false);
	assert_int_equal(answer_filter_apply(&f, in, len, out, sizeof out, &olen), 1);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, out, olen), 0);
	char got[128];
	types(&m, DNS_SEC_ANSWER, got, sizeof got);
	assert_string_equal(got, "5 1 16 15");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_aaaa),
		cmocka_unit_test(test_filter_several),
		cmocka_unit_test(test_filter_any),
		cmocka_unit_test(test_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
