/* Unit tests: what clients see from the resolver engine
 * (resolver/engine_client.c and engine_answer.c), through
 * the simulated network: FORMERR, NOTIMP, REFUSED, BADVERS, CH TXT,
 * ANY (forwarded; RFC 8482 with deny_any), meta types, header flags, and an EDE with a reason on
 * every SERVFAIL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/engine.h"

#define UP "203.0.113.2"
#define DEAD "203.0.113.9"
#define FAIL "203.0.113.10"
#define REF "203.0.113.11"

static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.1\nloop1 CNAME loop2\nloop2 CNAME loop1\n";

struct fx {
	struct simnet *net;
	cache_t *cache;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_forwarder fw[4];
	struct res_config cfg;
};

static void forwarders(struct fx *f)
{
	memset(f->fw, 0, sizeof(f->fw));
	dns_name_from_text(&f->fw[0].domain, "example.com.", 12, NULL);
	simnet_addr(UP, &f->fw[0].addr);
	dns_name_from_text(&f->fw[1].domain, "dead.test.", 10, NULL);
	simnet_addr(DEAD, &f->fw[1].addr);
	dns_name_from_text(&f->fw[2].domain, "fail.test.", 10, NULL);
	simnet_addr(FAIL, &f->fw[2].addr);
	dns_name_from_text(&f->fw[3].domain, "ref.test.", 9, NULL);
	simnet_addr(REF, &f->fw[3].addr);
	res_config_defaults(&f->cfg);
	f->cfg.random = sim_random;
	f->cfg.mode = RES_MODE_FORWARD;
	f->cfg.fwd = f->fw;
	f->cfg.n_fwd = 4;
}

static void restart(struct fx *f)
{
	res_engine_free(f->eng);
	f->eng = res_engine_new(&f->cfg, f->cache);
	assert_non_null(f->eng);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->net = simnet_new();
	assert_int_equal(simnet_add_zone(f->net, UP, z_example), 0);
	simnet_set_flags(f->net, UP, SIM_RECURSOR);
	simnet_set_flags(f->net, DEAD, SIM_DROP);
	assert_int_equal(simnet_add_zone(f->net, FAIL, z_example), 0);
	simnet_set_flags(f->net, FAIL, SIM_SERVFAIL);
	assert_int_equal(simnet_add_zone(f->net, REF, z_example), 0);
	simnet_set_flags(f->net, REF, SIM_REFUSED);
	struct cache_config cc;
	cache_config_defaults(&cc);
	f->cache = cache_new(&cc);
	forwarders(f);
	restart(f);
	f->clock = 1700000000000ull;
	f->ans = calloc(1, sizeof(*f->ans));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	res_engine_free(f->eng);
	cache_free(f->cache);
	simnet_free(f->net);
	free(f->ans);
	free(f);
	return 0;
}

/* Send raw bytes, return the parsed answer (asserts one came). */
static void send_raw(struct fx *f, const uint8_t *q, size_t len, dns_msg *m)
{
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, m));
	assert_int_equal(m->id, 0x1234);
	assert_true(m->flags & DNS_FLAG_QR);
	assert_true(m->flags & DNS_FLAG_RA);
	assert_false(m->flags & DNS_FLAG_AA);
}

static void ask(struct fx *f, const char *name, uint16_t type, uint16_t qclass,
                uint16_t flags, int edns, dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), name, type, qclass, flags, edns,
	                        false);
	assert_true(len > 0);
	send_raw(f, q, len, m);
}

static void test_formerr(void **state)
{
	struct fx *f = *state;
	uint8_t q[512];
	dns_msg m;
	size_t len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_A,
	                        DNS_C_IN, DNS_FLAG_RD | DNS_FLAG_CD, 0, false);
	/* body cut short: header echoed, no question */
	send_raw(f, q, len - 5, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	assert_int_equal(m.count[0], 0);
	assert_true(m.flags & DNS_FLAG_RD);
	assert_true(m.flags & DNS_FLAG_CD);
	/* QDCOUNT 0 */
	uint8_t h[12] = { 0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
	send_raw(f, h, sizeof(h), &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	assert_int_equal(m.count[0], 0);
	/* QDCOUNT 2: the question twice */
	len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_A, DNS_C_IN,
	                 DNS_FLAG_RD, RESQ_NO_EDNS, false);
	uint8_t q2[600];
	memcpy(q2, q, len);
	memcpy(q2 + len, q + 12, len - 12);
	q2[5] = 2;
	send_raw(f, q2, len + len - 12, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	/* an answer record in a query */
	dns_mb b;
	dns_name n;
	dns_name_from_text(&n, "www.example.com.", 16, NULL);
	static const uint8_t a4[4] = { 1, 2, 3, 4 };
	dns_rr rr = { .owner = n, .type = DNS_T_A, .rclass = DNS_C_IN,
	              .ttl = 1, .rdlen = 4, .rdata = a4 };
	dns_mb_init(&b, q, sizeof(q), sizeof(q));
	dns_mb_set_id(&b, 0x1234);
	dns_mb_question(&b, &n, DNS_T_A, DNS_C_IN);
	dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
	assert_int_equal(dns_mb_finish(&b, &len), 0);
	send_raw(f, q, len, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	/* TC set in a query (Unbound: FORMERR) */
	len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_A, DNS_C_IN,
	                 DNS_FLAG_RD, 0, false);
	q[2] |= 0x02;
	send_raw(f, q, len, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	assert_int_equal(simnet_log_count(f->net), 0);
	/* QR=1 and short packets are dropped */
	q[2] |= 0x80;
	assert_true(res_query_start(f->eng, 0, q, len, false, f->clock) < 0);
	assert_true(res_query_start(f->eng, 0, q, 11, false, f->clock) < 0);
}

static void test_notimp(void **state)
{
	struct fx *f = *state;
	static const uint8_t ops[] = { DNS_OPCODE_IQUERY, DNS_OPCODE_STATUS,
	                               DNS_OPCODE_NOTIFY, DNS_OPCODE_UPDATE, 3,
	                               DNS_OPCODE_DSO, 15 };
	for (size_t i = 0; i < sizeof(ops); i++) {
		uint8_t q[512];
		dns_msg m;
		size_t len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_SOA,
		                        DNS_C_IN, DNS_FLAGS_OPCODE(ops[i]), 0, false);
		send_raw(f, q, len, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOTIMP);
		assert_int_equal(DNS_OPCODE(m.flags), ops[i]);
		assert_int_equal(m.count[0], 1); /* readable: echoed */
		/* a body that does not parse: still NOTIMP (opcode first) */
		send_raw(f, q, len - 3, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOTIMP);
		assert_int_equal(m.count[0], 0);
	}
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_refused_classes(void **state)
{
	struct fx *f = *state;
	static const uint16_t classes[] = { DNS_C_HS, DNS_C_ANY, DNS_C_NONE, 2, 77 };
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		dns_msg m;
		char text[128];
		ask(f, "www.example.com.", DNS_T_A, classes[i], DNS_FLAG_RD, 0, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
		assert_int_equal(resq_ede(&m, text, sizeof(text)), EDE_NOT_SUPPORTED);
		assert_true(strlen(text) > 0);
		uint16_t qc = 0;
		assert_int_equal(dns_msg_question(&m, NULL, NULL, &qc), 0);
		assert_int_equal(qc, classes[i]);
	}
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_badvers(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, DNS_FLAG_RD, 1, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_BADVERS);
	edns_info ei;
	assert_int_equal(edns_from_msg(&m, &ei), 0);
	assert_int_equal(ei.version, 0);
	assert_int_equal(m.count[0], 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, DNS_FLAG_RD, 255, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_BADVERS);
	assert_int_equal(simnet_log_count(f->net), 0);
	/* version 0 is served */
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, DNS_FLAG_RD, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
}

/* The TXT string of the first answer record. */
static void txt_of(const dns_msg *m, char *out, size_t cap)
{
	dns_rr_iter it;
	dns_rr_view v;
	out[0] = 0;
	dns_rr_iter_init(&it, m, DNS_SEC_ANSWER);
	if (dns_rr_iter_next(&it, &v) == 1 && v.type == DNS_T_TXT && v.rdlen) {
		size_t l = m->pkt[v.rdata_off];
		if (l >= cap)
			l = cap - 1;
		memcpy(out, m->pkt + v.rdata_off + 1, l);
		out[l] = 0;
		assert_int_equal(v.rclass, DNS_C_CH);
		assert_int_equal(v.ttl, 0);
	}
}

static void test_chaos(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	char s[300];
	ask(f, "version.bind.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	txt_of(&m, s, sizeof(s));
	assert_string_equal(s, "ward");
	ask(f, "VERSION.SERVER.", DNS_T_ANY, DNS_C_CH, 0, RESQ_NO_EDNS, &m);
	txt_of(&m, s, sizeof(s));
	assert_string_equal(s, "ward");
	/* identity: not configured by default */
	ask(f, "id.server.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	assert_int_equal(resq_ede(&m, NULL, 0), EDE_NOT_SUPPORTED);
	/* other CH names and types */
	ask(f, "version.bind.", DNS_T_A, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	ask(f, "authors.bind.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	/* configured: identity answered, version hidden */
	f->cfg.chaos_identity = "resolver-1.lan";
	f->cfg.chaos_version = NULL;
	restart(f);
	ask(f, "hostname.bind.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	txt_of(&m, s, sizeof(s));
	assert_string_equal(s, "resolver-1.lan");
	ask(f, "version.bind.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	/* a string longer than one TXT string: cut at 255 */
	static char longv[400];
	memset(longv, 'v', sizeof(longv) - 1);
	f->cfg.chaos_version = longv;
	restart(f);
	ask(f, "version.bind.", DNS_T_TXT, DNS_C_CH, DNS_FLAG_RD, 0, &m);
	txt_of(&m, s, sizeof(s));
	assert_int_equal(strlen(s), 255);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_any_and_meta(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	char text[128];
	/* ANY is forwarded as ANY (dnsmasq does) and the answer passed on */
	ask(f, "www.example.com.", DNS_T_ANY, DNS_C_IN, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_HINFO), 0);
	assert_int_equal(simnet_log_count(f->net), 1);
	assert_int_equal(simnet_log(f->net, 0)->qtype, DNS_T_ANY);
	assert_int_equal(resq_sent(f->net, UP, "www.example.com."), 1);
	/* deny_any: RFC 8482 §4.2, one synthesised HINFO, nothing asked */
	f->cfg.deny_any = true;
	restart(f);
	simnet_log_clear(f->net);
	ask(f, "www.example.com.", DNS_T_ANY, DNS_C_IN, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 1);
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	assert_int_equal(v.type, DNS_T_HINFO);
	assert_memory_equal(m.pkt + v.rdata_off, "\7RFC8482\0", 9);
	ask(f, "example.com.", DNS_T_AXFR, DNS_C_IN, 0, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	assert_int_equal(resq_ede(&m, text, sizeof(text)), EDE_NOT_SUPPORTED);
	ask(f, "example.com.", DNS_T_IXFR, DNS_C_IN, 0, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	static const uint16_t meta[] = { DNS_T_OPT, DNS_T_TSIG, DNS_T_TKEY,
	                                 DNS_T_MAILA, DNS_T_MAILB, 128, 248 };
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		ask(f, "example.com.", meta[i], DNS_C_IN, DNS_FLAG_RD, 0, &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
		assert_int_equal(resq_ede(&m, NULL, 0), EDE_INVALID_QUERY_TYPE);
	}
	assert_int_equal(simnet_log_count(f->net), 0);
	/* 249 (TKEY) is meta, 127 and 249+ others are not refused here */
	ask(f, "www.example.com.", 127, DNS_C_IN, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
}

static void test_header_flags(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	/* RD=0: from the cache only (engine_norec.c); nothing cached yet,
	 * nothing asked upstream */
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, 0, 0, &m);
	assert_false(m.flags & DNS_FLAG_RD);
	assert_false(m.flags & DNS_FLAG_CD);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	assert_int_equal(resq_ede(&m, NULL, 0), EDE_NOT_AUTHORITATIVE);
	assert_int_equal(simnet_log_count(f->net), 0);
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN,
	    DNS_FLAG_RD | DNS_FLAG_CD, 0, &m);
	assert_true(m.flags & DNS_FLAG_RD);
	assert_true(m.flags & DNS_FLAG_CD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	size_t asked = simnet_log_count(f->net);
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, 0, 0, &m); /* cached */
	assert_false(m.flags & DNS_FLAG_RD);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), asked);
	/* EDNS answered only to EDNS queries; DO echoed */
	ask(f, "www.example.com.", DNS_T_A, DNS_C_IN, DNS_FLAG_RD, RESQ_NO_EDNS, &m);
	assert_false(m.has_opt);
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_A,
	                        DNS_C_IN, DNS_FLAG_RD, 0, true);
	send_raw(f, q, len, &m);
	edns_info ei;
	assert_int_equal(edns_from_msg(&m, &ei), 0);
	assert_true(ei.flags & EDNS_FLAG_DO);
}

/* Upstream servers that answer SERVFAIL/REFUSED: RFC 8914 allows 22 (No
 * Reachable Authority, "or they potentially refused to reply") and 23
 * (Network Error); the code is the iterator's choice, the text is ours. */
#define EDE_UPSTREAM_FAILED 0xfffe

/* Every SERVFAIL carries an EDE with a reason (when the client used
 * EDNS), and none carries an OPT record without it. */
static void expect_servfail(struct fx *f, const char *name, uint16_t code)
{
	dns_msg m;
	char text[256];
	ask(f, name, DNS_T_A, DNS_C_IN, DNS_FLAG_RD, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	uint16_t c = resq_ede(&m, text, sizeof(text));
	if (code == EDE_UPSTREAM_FAILED)
		assert_true(c == EDE_NO_REACHABLE_AUTHORITY || c == EDE_NETWORK_ERROR);
	else
		assert_int_equal(c, code);
	assert_true(strlen(text) >= 8);
	cache_flush_all(f->cache);
	ask(f, name, DNS_T_A, DNS_C_IN, DNS_FLAG_RD, RESQ_NO_EDNS, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_false(m.has_opt);
	cache_flush_all(f->cache);
}

static void test_servfail_always_says_why(void **state)
{
	struct fx *f = *state;
	expect_servfail(f, "x.dead.test.", EDE_NO_REACHABLE_AUTHORITY);
	expect_servfail(f, "x.fail.test.", EDE_UPSTREAM_FAILED);
	expect_servfail(f, "x.ref.test.", EDE_UPSTREAM_FAILED);
	expect_servfail(f, "loop1.example.com.", EDE_OTHER);
	expect_servfail(f, "no.rule.test.", EDE_NO_REACHABLE_AUTHORITY);
	/* upstream limit */
	f->cfg.max_upstream = 1;
	restart(f);
	expect_servfail(f, "x.dead.test.", EDE_NO_REACHABLE_AUTHORITY);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.servfail, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_formerr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notimp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_badvers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chaos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_and_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_servfail_always_says_why, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
