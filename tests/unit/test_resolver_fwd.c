/* Unit tests: forwarding details of the resolver engine — strict-order,
 * all-servers (resolver/engine_fwd.c), moving on after SERVFAIL/REFUSED —
 * and 0x20 case randomisation with its per-server fallback
 * (resolver/engine_caps.c), through the simulated network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/engine.h"

static const char *ips[4] = { "203.0.113.1", "203.0.113.2", "203.0.113.3",
                              "203.0.113.4" };

static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.1\nlonger-name-with-letters A 192.0.2.2\n";

struct fx {
	struct simnet *net;
	cache_t *cache;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_forwarder fw[4];
	struct res_config cfg;
};

static void restart(struct fx *f)
{
	res_engine_free(f->eng);
	cache_flush_all(f->cache);
	f->eng = res_engine_new(&f->cfg, f->cache);
	assert_non_null(f->eng);
	simnet_log_clear(f->net);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->net = simnet_new();
	for (int i = 0; i < 4; i++) {
		assert_int_equal(simnet_add_zone(f->net, ips[i], z_example), 0);
		simnet_set_flags(f->net, ips[i], SIM_RECURSOR);
	}
	struct cache_config cc;
	cache_config_defaults(&cc);
	f->cache = cache_new(&cc);
	memset(f->fw, 0, sizeof(f->fw));
	for (int i = 0; i < 4; i++) {
		dns_name_root(&f->fw[i].domain);
		simnet_addr(ips[i], &f->fw[i].addr);
	}
	res_config_defaults(&f->cfg);
	f->cfg.random = sim_random;
	f->cfg.mode = RES_MODE_FORWARD;
	f->cfg.fwd = f->fw;
	f->cfg.n_fwd = 3;
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

static void ask(struct fx *f, const char *name, dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), name, DNS_T_A, DNS_C_IN,
	                        DNS_FLAG_RD, 0, false);
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, m));
}

/* SERVFAIL for servers that fail or refuse: EDE 22 or 23 (RFC 8914 allows
 * both; which one is the iterator's choice). */
static bool upstream_failed_ede(const dns_msg *m)
{
	char text[128];
	uint16_t c = resq_ede(m, text, sizeof(text));
	return (c == EDE_NO_REACHABLE_AUTHORITY || c == EDE_NETWORK_ERROR) &&
	       text[0];
}

static void test_strict_order(void **state)
{
	struct fx *f = *state;
	f->cfg.strict_order = true;
	simnet_set_delay(f->net, ips[0], 300); /* slow but fine */
	restart(f);
	dns_msg m;
	for (int i = 0; i < 5; i++) {
		ask(f, "www.example.com.", &m);
		assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
		cache_flush_all(f->cache);
	}
	assert_int_equal(resq_sent(f->net, ips[0], NULL), 5);
	assert_int_equal(simnet_log_count(f->net), 5);
	/* a SERVFAIL from the first: the next one in order, every time */
	simnet_set_flags(f->net, ips[0], SIM_SERVFAIL);
	simnet_set_flags(f->net, ips[1], SIM_REFUSED);
	simnet_log_clear(f->net);
	for (int i = 0; i < 3; i++) {
		ask(f, "www.example.com.", &m);
		assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
		cache_flush_all(f->cache);
	}
	assert_int_equal(simnet_log_count(f->net), 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(simnet_log(f->net, i)->dst, ips[i % 3]);
}

static void test_rtt_order_without_strict(void **state)
{
	struct fx *f = *state;
	simnet_set_delay(f->net, ips[0], 700);
	dns_msg m;
	for (int i = 0; i < 8; i++) {
		ask(f, "www.example.com.", &m);
		assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
		cache_flush_all(f->cache);
	}
	assert_true(resq_sent(f->net, ips[0], NULL) <= 2);
}

static void test_refused_servfail_next(void **state)
{
	struct fx *f = *state;
	simnet_set_flags(f->net, ips[0], SIM_REFUSED);
	simnet_set_flags(f->net, ips[1], SIM_SERVFAIL);
	dns_msg m;
	for (int i = 0; i < 4; i++) {
		simnet_log_clear(f->net);
		ask(f, "www.example.com.", &m);
		assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
		assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
		assert_true(resq_sent(f->net, ips[0], NULL) <= 1);
		assert_true(resq_sent(f->net, ips[1], NULL) <= 1);
		assert_int_equal(resq_sent(f->net, ips[2], NULL), 1);
		cache_flush_all(f->cache);
	}
	/* all of them failing: SERVFAIL with an EDE, without a timeout */
	simnet_set_flags(f->net, ips[2], SIM_SERVFAIL);
	uint64_t t0 = f->clock;
	ask(f, "www.example.com.", &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_true(upstream_failed_ede(&m));
	assert_true(f->ans->at - t0 < 1000);
}

static void test_all_servers(void **state)
{
	struct fx *f = *state;
	f->cfg.all_servers = true;
	restart(f);
	simnet_set_delay(f->net, ips[0], 50);
	simnet_set_delay(f->net, ips[1], 20);
	simnet_set_flags(f->net, ips[2], SIM_DROP);
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), "www.example.com.", DNS_T_A,
	                        DNS_C_IN, DNS_FLAG_RD, 0, false);
	memset(f->ans, 0, sizeof(*f->ans));
	uint64_t t0 = f->clock;
	assert_int_equal(res_query_start(f->eng, 0, q, len, false, f->clock), 0);
	/* all three queries are out before any reply: same ID and question */
	struct res_action a;
	uint16_t id = 0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(res_next_action(f->eng, f->clock, &a), 1);
		assert_int_equal(a.kind, RES_ACT_SEND);
		uint16_t aid = (uint16_t)(a.buf[0] << 8 | a.buf[1]);
		if (i)
			assert_int_equal(aid, id);
		id = aid;
	}
	assert_int_equal(res_next_action(f->eng, f->clock, &a), 0);
	restart(f);
	dns_msg m;
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, &m));
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 3);
	assert_int_equal(f->ans->at - t0, 20); /* the fastest reply won */
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.upstream_sent, 3);
	assert_int_equal(st.upstream_replies, 1);
	assert_true(st.ignored_replies >= 1); /* the slower one */
}

static void test_all_servers_failures(void **state)
{
	struct fx *f = *state;
	f->cfg.all_servers = true;
	f->cfg.n_fwd = 2;
	restart(f);
	/* a fast SERVFAIL does not win over a slower good reply */
	simnet_set_flags(f->net, ips[0], SIM_SERVFAIL);
	simnet_set_delay(f->net, ips[0], 5);
	simnet_set_delay(f->net, ips[1], 80);
	dns_msg m;
	ask(f, "www.example.com.", &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	/* every server refusing: SERVFAIL at once, not after a timeout */
	simnet_set_flags(f->net, ips[0], SIM_REFUSED);
	simnet_set_flags(f->net, ips[1], SIM_REFUSED);
	restart(f);
	uint64_t t0 = f->clock;
	ask(f, "www.example.com.", &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_true(upstream_failed_ede(&m));
	assert_true(f->ans->at - t0 < 1000);
	assert_int_equal(simnet_log_count(f->net), 2);
	/* every server silent: rounds until the attempts are used up */
	simnet_set_flags(f->net, ips[0], SIM_DROP);
	simnet_set_flags(f->net, ips[1], SIM_DROP);
	restart(f);
	ask(f, "www.example.com.", &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(resq_ede(&m, NULL, 0), EDE_NO_REACHABLE_AUTHORITY);
	assert_int_equal(simnet_log_count(f->net), 4); /* 2 rounds of 2 */
}

/* ---- 0x20 ---- */

static bool has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static void test_caps_random_case(void **state)
{
	struct fx *f = *state;
	f->cfg.case_randomise = true;
	f->cfg.n_fwd = 1;
	restart(f);
	dns_msg m;
	ask(f, "longer-name-with-letters.example.com.", &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 2));
	ask(f, "www.example.com.", &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 2);
	const char *q0 = simnet_log(f->net, 0)->qname;
	assert_true(has_upper(q0));
	assert_int_equal(strcasecmp(q0, "longer-name-with-letters.example.com."), 0);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.case_mismatch, 0);
	assert_int_equal(st.caps_fallback, 0);
	/* without the option the name goes out as the client wrote it */
	f->cfg.case_randomise = false;
	restart(f);
	ask(f, "longer-name-with-letters.example.com.", &m);
	assert_string_equal(simnet_log(f->net, 0)->qname,
	                    "longer-name-with-letters.example.com.");
}

/* A reply made from the query with QR set and the given qname case. */
static size_t forge(const struct res_action *a, uint8_t *out, bool lower)
{
	memcpy(out, a->buf, a->len);
	out[2] |= 0x80;
	if (lower)
		for (size_t i = 12; i < a->len && out[i]; i += out[i] + 1u)
			for (size_t k = i + 1; k <= i + out[i]; k++)
				if (out[k] >= 'A' && out[k] <= 'Z')
					out[k] = (uint8_t)(out[k] | 0x20);
	return a->len;
}

static void test_caps_mismatch_ignored(void **state)
{
	struct fx *f = *state;
	f->cfg.case_randomise = true;
	f->cfg.n_fwd = 1;
	restart(f);
	uint8_t q[512], r[512];
	size_t len = resq_build(q, sizeof(q), "longer-name-with-letters.example.com.",
	                        DNS_T_A, DNS_C_IN, DNS_FLAG_RD, 0, false);
	assert_int_equal(res_query_start(f->eng, 0, q, len, false, f->clock), 0);
	struct res_action a;
	assert_int_equal(res_next_action(f->eng, f->clock, &a), 1);
	assert_int_equal(a.kind, RES_ACT_SEND);
	/* a.buf lives until the next call into the engine: keep a copy */
	struct res_action first = a;
	uint8_t firstq[512];
	memcpy(firstq, a.buf, a.len);
	first.buf = firstq;
	size_t rl = forge(&first, r, true);
	assert_true(res_upstream_reply(f->eng, first.token, &first.dst, false, r,
	                               rl, f->clock + 5) < 0);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.case_mismatch, 1);
	assert_int_equal(st.ignored_replies, 1);
	assert_int_equal(st.upstream_replies, 0);
	/* fallback: the same server again, without 0x20, a fresh ID */
	assert_int_equal(res_next_action(f->eng, f->clock, &a), 1);
	assert_int_equal(a.kind, RES_ACT_SEND);
	assert_int_not_equal(a.token, first.token);
	dns_msg sm;
	dns_name sn;
	assert_int_equal(dns_msg_parse(&sm, a.buf, a.len), 0);
	assert_int_equal(dns_msg_question(&sm, &sn, NULL, NULL), 0);
	char txt[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(&sn, txt),
	                    "longer-name-with-letters.example.com.");
	/* a reply to the old query is not accepted any more */
	rl = forge(&first, r, false);
	assert_true(res_upstream_reply(f->eng, first.token, &first.dst, false, r,
	                               rl, f->clock + 6) < 0);
	res_get_stats(f->eng, &st);
	assert_int_equal(st.caps_fallback, 1);
}

static void test_caps_fallback_server(void **state)
{
	struct fx *f = *state;
	f->cfg.case_randomise = true;
	f->cfg.n_fwd = 1;
	simnet_set_flags(f->net, ips[0], SIM_RECURSOR | SIM_NOCASE);
	restart(f);
	dns_msg m;
	ask(f, "longer-name-with-letters.example.com.", &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 2));
	assert_int_equal(simnet_log_count(f->net), 2); /* 0x20, then without */
	assert_true(has_upper(simnet_log(f->net, 0)->qname));
	assert_false(has_upper(simnet_log(f->net, 1)->qname));
	/* remembered: the next names go out without 0x20 at once */
	ask(f, "www.example.com.", &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 3);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.caps_fallback, 1);
	assert_int_equal(st.case_mismatch, 1);
	/* the other servers keep 0x20 */
	f->cfg.fwd = &f->fw[1];
	res_engine_free(f->eng);
	f->eng = res_engine_new(&f->cfg, f->cache);
	cache_flush_all(f->cache);
	simnet_log_clear(f->net);
	ask(f, "longer-name-with-letters.example.com.", &m);
	assert_int_equal(simnet_log_count(f->net), 1);
	assert_true(has_upper(simnet_log(f->net, 0)->qname));
}

static void test_nocase_server_without_0x20(void **state)
{
	struct fx *f = *state;
	f->cfg.n_fwd = 1;
	simnet_set_flags(f->net, ips[0], SIM_RECURSOR | SIM_NOCASE);
	restart(f);
	dns_msg m;
	ask(f, "WWW.Example.COM.", &m); /* lowercased echo: fine without 0x20 */
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 1);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.case_mismatch, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_strict_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtt_order_without_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_servfail_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_servers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_servers_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_random_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_mismatch_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_fallback_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nocase_server_without_0x20, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
