/* Unit tests: dnsmasq's TTL options in the resolver engine
 * (resolver/engine_ttl.c) — max-ttl, min-cache-ttl (capped at 3600),
 * max-cache-ttl, neg-ttl, no-negcache — and TTL 0 records, through the
 * simulated network on a virtual clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "codec/msg.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/engine.h"
#include "resolver/localdata.h"

#define UP "203.0.113.2"
#define NOSOA "203.0.113.3"

static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.1\nshort 5 A 192.0.2.5\nzero 0 A 192.0.2.0\n"
	"long 200000 A 192.0.2.9\n";
static const char *z_nosoa =
	"$ORIGIN nosoa.test.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.7\n";

struct fx {
	struct simnet *net;
	cache_t *cache;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_forwarder fw[2];
	struct res_config cfg;
	localdata *ld;
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
	assert_int_equal(simnet_add_zone(f->net, UP, z_example), 0);
	simnet_set_flags(f->net, UP, SIM_RECURSOR);
	assert_int_equal(simnet_add_zone(f->net, NOSOA, z_nosoa), 0);
	simnet_set_flags(f->net, NOSOA, SIM_RECURSOR | SIM_NOSOA);
	struct cache_config cc;
	cache_config_defaults(&cc);
	cc.max_ttl = 7 * 86400;
	f->cache = cache_new(&cc);
	memset(f->fw, 0, sizeof(f->fw));
	dns_name_root(&f->fw[0].domain);
	simnet_addr(UP, &f->fw[0].addr);
	dns_name_from_text(&f->fw[1].domain, "nosoa.test.", 11, NULL);
	simnet_addr(NOSOA, &f->fw[1].addr);
	res_config_defaults(&f->cfg);
	f->cfg.random = sim_random;
	f->cfg.mode = RES_MODE_FORWARD;
	f->cfg.fwd = f->fw;
	f->cfg.n_fwd = 2;
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
	localdata_free(f->ld);
	free(f->ans);
	free(f);
	return 0;
}

static void ask(struct fx *f, const char *name, uint16_t type, dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), name, type, DNS_C_IN, DNS_FLAG_RD,
	                        0, false);
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, m));
}

/* Ask at now + sec seconds; how many queries went upstream for name. */
static size_t ask_later(struct fx *f, unsigned sec, const char *name,
                        uint16_t type, dns_msg *m)
{
	f->clock += (uint64_t)sec * 1000;
	size_t before = resq_sent(f->net, NULL, name);
	ask(f, name, type, m);
	return resq_sent(f->net, NULL, name) - before;
}

static void test_defaults(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 3600);
	assert_int_equal(ask_later(f, 100, "www.example.com.", DNS_T_A, &m), 0);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 3500);
	assert_int_equal(ask_later(f, 6, "short.example.com.", DNS_T_A, &m), 1);
	assert_int_equal(ask_later(f, 6, "short.example.com.", DNS_T_A, &m), 1);
}

static void test_max_ttl(void **state)
{
	struct fx *f = *state;
	f->cfg.max_ttl = 60;
	restart(f);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 60);
	/* the cache keeps the true TTL: still cached after max-ttl */
	assert_int_equal(ask_later(f, 120, "www.example.com.", DNS_T_A, &m), 0);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 60);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	/* lower TTLs pass unchanged */
	ask(f, "short.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 5);
	/* negative answers: the SOA's TTL is capped too */
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_ttl(&m, DNS_SEC_AUTHORITY, DNS_T_SOA), 60);
	/* local data is not capped (dnsmasq: local TTLs are its own) */
	f->ld = localdata_new();
	localdata_set_local_ttl(f->ld, 600);
	uint8_t a[4] = { 10, 1, 1, 1 };
	assert_int_equal(localdata_add_host(f->ld, "h.lan", AF_INET, a, false), 0);
	f->cfg.local = f->ld;
	restart(f);
	ask(f, "h.lan.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 600);
}

static void test_min_cache_ttl(void **state)
{
	struct fx *f = *state;
	f->cfg.min_cache_ttl = 30;
	restart(f);
	dns_msg m;
	ask(f, "short.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 30);
	assert_int_equal(ask_later(f, 20, "short.example.com.", DNS_T_A, &m), 0);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 10);
	assert_int_equal(ask_later(f, 11, "short.example.com.", DNS_T_A, &m), 1);
	/* above 3600 it is capped at 3600, as dnsmasq does */
	f->cfg.min_cache_ttl = 7200;
	restart(f);
	ask(f, "short.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 3600);
	assert_int_equal(ask_later(f, 3599, "short.example.com.", DNS_T_A, &m), 0);
	assert_int_equal(ask_later(f, 2, "short.example.com.", DNS_T_A, &m), 1);
}

static void test_max_cache_ttl(void **state)
{
	struct fx *f = *state;
	f->cfg.max_cache_ttl = 10;
	restart(f);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 10);
	assert_int_equal(ask_later(f, 9, "www.example.com.", DNS_T_A, &m), 0);
	assert_int_equal(ask_later(f, 2, "www.example.com.", DNS_T_A, &m), 1);
	/* negative entries too (SOA minimum 300 here) */
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(ask_later(f, 11, "nope.example.com.", DNS_T_A, &m), 1);
	/* without it, a 200000 s TTL is kept as long as the cache allows */
	f->cfg.max_cache_ttl = RES_TTL_UNSET;
	restart(f);
	ask(f, "long.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 200000);
}

static void test_neg_ttl(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	/* NXDOMAIN without SOA: by default kept only RES_NEG_NOSOA_TTL */
	ask(f, "nx.nosoa.test.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, 0), 0);
	assert_int_equal(ask_later(f, RES_NEG_NOSOA_TTL - 1, "nx.nosoa.test.",
	                           DNS_T_A, &m), 0);
	assert_int_equal(ask_later(f, 2, "nx.nosoa.test.", DNS_T_A, &m), 1);
	/* neg-ttl=60 */
	f->cfg.neg_ttl = 60;
	restart(f);
	ask(f, "nx.nosoa.test.", DNS_T_A, &m);
	assert_int_equal(ask_later(f, 59, "nx.nosoa.test.", DNS_T_A, &m), 0);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(ask_later(f, 2, "nx.nosoa.test.", DNS_T_A, &m), 1);
	/* NODATA without SOA as well */
	ask(f, "www.nosoa.test.", DNS_T_AAAA, &m);
	assert_int_equal(ask_later(f, 30, "www.nosoa.test.", DNS_T_AAAA, &m), 0);
	/* with a SOA, the SOA rules (RFC 2308 §5: min(TTL, MINIMUM) = 300) */
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_ttl(&m, DNS_SEC_AUTHORITY, DNS_T_SOA), 300);
	assert_int_equal(ask_later(f, 200, "nope.example.com.", DNS_T_A, &m), 0);
}

static void test_no_negcache(void **state)
{
	struct fx *f = *state;
	f->cfg.no_negcache = true;
	restart(f);
	dns_msg m;
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_SOA), 1);
	assert_int_equal(ask_later(f, 2, "nope.example.com.", DNS_T_A, &m), 1);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	ask(f, "www.example.com.", DNS_T_AAAA, &m); /* NODATA */
	assert_int_equal(ask_later(f, 2, "www.example.com.", DNS_T_AAAA, &m), 1);
	/* positive answers are still cached */
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(ask_later(f, 2, "www.example.com.", DNS_T_A, &m), 0);
}

static void test_ttl_zero(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "zero.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 0));
	assert_true(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A) <= RES_TTL_HOLD_MIN);
	assert_int_equal(ask_later(f, 2, "zero.example.com.", DNS_T_A, &m), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_cache_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_cache_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neg_ttl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_negcache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ttl_zero, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
