/* Unit tests: local data in the resolver engine (resolver/engine_local.c)
 * with dnsmasq's semantics, through the simulated network
 * (tests/unit/helper_simnet.c): answered before the cache and upstreams,
 * AA only for local data, domain rules against more specific server=,
 * domain-needed, bogus-priv, local CNAMEs to names that are not local. */
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

#define UP "203.0.113.2"     /* server=UP: the default forwarder */
#define SUB "203.0.113.3"    /* server=/sub.lan/ and /sub.v4.test/ */
#define REV "203.0.113.4"    /* server=/1.168.192.in-addr.arpa/ */

/* the default forwarder knows every name (a root zone): no REFUSED */
static const char *z_root =
	"$ORIGIN .\n$TTL 3600\n"
	". SOA ns.test. h.test. 1 3600 600 86400 300\n. NS ns.test.\n";
static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.1\n";
static const char *z_sub =
	"$ORIGIN sub.lan.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 10.0.0.53\n"
	"www A 10.0.0.1\n";
static const char *z_subv4 =
	"$ORIGIN sub.v4.test.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 10.0.0.53\n"
	"a A 10.0.0.2\n";
static const char *z_rev =
	"$ORIGIN 1.168.192.in-addr.arpa.\n$TTL 3600\n"
	"@ SOA ns.lan. h 1 3600 600 86400 300\n@ NS ns.lan.\n"
	"5 PTR printer.corp.\n";

struct fx {
	struct simnet *net;
	cache_t *cache;
	localdata *ld;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_forwarder fw[3];
};

static void v4(const char *s, uint8_t out[4])
{
	assert_int_equal(inet_pton(AF_INET, s, out), 1);
}

static void fill_local(localdata *ld)
{
	uint8_t a[4];
	localdata_set_local_ttl(ld, 77);
	assert_int_equal(localdata_set_domain(ld, "lan"), 0);
	localdata_set_expand_hosts(ld, true);
	localdata_set_domain_needed(ld, true);
	localdata_set_bogus_priv(ld, true);
	v4("192.168.1.10", a);
	assert_int_equal(localdata_add_host(ld, "foo", AF_INET, a, true), 0);
	v4("10.9.9.9", a);
	assert_int_equal(localdata_add_host(ld, "h.sub.lan", AF_INET, a, true), 0);
	assert_int_equal(localdata_add_local(ld, "lan"), 0);
	assert_int_equal(localdata_add_address(ld, "blk.test", 0, NULL), 0);
	v4("1.2.3.4", a);
	assert_int_equal(localdata_add_address(ld, "v4.test", AF_INET, a), 0);
	const char *c1[] = { "c1.lan" }, *ext[] = { "ext.lan" },
	           *eb[] = { "extblk.lan" }, *nx[] = { "nxt.lan" },
	           *two[] = { "two.lan" };
	assert_int_equal(localdata_add_cname(ld, c1, 1, "foo.lan", LD_TTL_DEFAULT), 0);
	assert_int_equal(localdata_add_cname(ld, ext, 1, "www.example.com", 300), 0);
	assert_int_equal(localdata_add_cname(ld, eb, 1, "x.blk.test", LD_TTL_DEFAULT), 0);
	assert_int_equal(localdata_add_cname(ld, nx, 1, "zzz.lan", LD_TTL_DEFAULT), 0);
	assert_int_equal(localdata_add_cname(ld, two, 1, "ext.lan", LD_TTL_DEFAULT), 0);
	const char *txt[] = { "hello" };
	assert_int_equal(localdata_add_txt(ld, "t.lan", txt, 1), 0);
}

static void make_engine(struct fx *f, enum res_mode mode)
{
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = sim_random;
	cfg.local = f->ld;
	if (mode == RES_MODE_FORWARD) {
		memset(f->fw, 0, sizeof(f->fw));
		dns_name_root(&f->fw[0].domain);
		simnet_addr(UP, &f->fw[0].addr);
		dns_name_from_text(&f->fw[1].domain, "sub.lan.", 8, NULL);
		simnet_addr(SUB, &f->fw[1].addr);
		dns_name_from_text(&f->fw[2].domain, "1.168.192.in-addr.arpa.", 23,
		                   NULL);
		simnet_addr(REV, &f->fw[2].addr);
		cfg.mode = RES_MODE_FORWARD;
		cfg.fwd = f->fw;
		cfg.n_fwd = 3;
	} else {
		static struct res_hint hint;
		dns_name_from_text(&hint.name, "ns.test.", 8, NULL);
		simnet_addr(UP, &hint.addr);
		cfg.hints = &hint;
		cfg.n_hints = 1;
	}
	f->eng = res_engine_new(&cfg, f->cache);
	assert_non_null(f->eng);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->net = simnet_new();
	assert_int_equal(simnet_add_zone(f->net, UP, z_root), 0);
	assert_int_equal(simnet_add_zone(f->net, UP, z_example), 0);
	simnet_set_flags(f->net, UP, SIM_RECURSOR);
	assert_int_equal(simnet_add_zone(f->net, SUB, z_sub), 0);
	assert_int_equal(simnet_add_zone(f->net, SUB, z_subv4), 0);
	simnet_set_flags(f->net, SUB, SIM_RECURSOR);
	assert_int_equal(simnet_add_zone(f->net, REV, z_rev), 0);
	simnet_set_flags(f->net, REV, SIM_RECURSOR);
	struct cache_config cc;
	cache_config_defaults(&cc);
	f->cache = cache_new(&cc);
	f->ld = localdata_new();
	assert_non_null(f->ld);
	fill_local(f->ld);
	make_engine(f, RES_MODE_FORWARD);
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
	localdata_free(f->ld);
	simnet_free(f->net);
	free(f->ans);
	free(f);
	return 0;
}

static void ask(struct fx *f, const char *name, uint16_t type, dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), name, type, DNS_C_IN,
	                        DNS_FLAG_RD, 0, false);
	assert_true(len > 0);
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, m));
	assert_int_equal(m->id, 0x1234);
	assert_true(m->flags & DNS_FLAG_QR);
	assert_true(m->flags & DNS_FLAG_RA);
	assert_true(m->flags & DNS_FLAG_RD);
}

#define AA(m) (((m)->flags & DNS_FLAG_AA) != 0)

static void test_local_answer_aa(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "foo.lan.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(AA(&m));
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 168, 1, 10));
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A), 77);
	ask(f, "FOO.Lan.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 168, 1, 10));
	ask(f, "t.lan.", DNS_T_TXT, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_TXT), 1);
	assert_true(AA(&m));
	assert_int_equal(simnet_log_count(f->net), 0);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.local_answers, 3);
}

static void test_local_nodata_nxdomain(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "foo.lan.", DNS_T_TXT, &m);   /* local=/lan/, name exists */
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, 0), 0); /* no SOA */
	assert_false(AA(&m));
	ask(f, "zzz.lan.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, 0), 0);
	assert_false(AA(&m));
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_address_rules(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "x.blk.test.", DNS_T_A, &m);
	assert_true(AA(&m));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	assert_int_equal(resq_answer_a(&m), 0);
	ask(f, "a.v4.test.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(1, 2, 3, 4));
	assert_int_equal(simnet_log_count(f->net), 0);
	/* address=/v4.test/ gives only IPv4: AAAA is forwarded (dnsmasq 2.86+) */
	ask(f, "a.v4.test.", DNS_T_AAAA, &m);
	assert_int_equal(resq_sent(f->net, UP, "a.v4.test."), 1);
	assert_false(AA(&m));
}

static void test_domain_needed(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "plainname.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_false(AA(&m));
	assert_int_equal(simnet_log_count(f->net), 0);
	ask(f, "plainname.", DNS_T_MX, &m); /* only A/AAAA are kept local */
	assert_int_equal(resq_sent(f->net, UP, "plainname."), 1);
}

static void test_bogus_priv_and_server(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	/* 192.168.2.7: private, no server= for it: NXDOMAIN with AA */
	ask(f, "7.2.168.192.in-addr.arpa.", DNS_T_PTR, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(AA(&m));
	assert_int_equal(simnet_log_count(f->net), 0);
	/* 192.168.1.5: server=/1.168.192.in-addr.arpa/ is more specific */
	ask(f, "5.1.168.192.in-addr.arpa.", DNS_T_PTR, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_PTR), 1);
	assert_int_equal(resq_sent(f->net, REV, "5.1.168.192.in-addr.arpa."), 1);
	assert_false(AA(&m));
	/* the PTR of a hosts address is still local */
	ask(f, "10.1.168.192.in-addr.arpa.", DNS_T_PTR, &m);
	assert_true(AA(&m));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_PTR), 1);
	assert_int_equal(resq_sent(f->net, REV, "10.1.168.192.in-addr.arpa."), 0);
}

static void test_more_specific_server_wins(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	/* local=/lan/ but server=/sub.lan/: forwarded */
	ask(f, "www.sub.lan.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(10, 0, 0, 1));
	assert_int_equal(resq_sent(f->net, SUB, "www.sub.lan."), 1);
	assert_false(AA(&m));
	/* a hosts name under it is still answered locally (dnsmasq: hosts
	 * are in the cache, looked at before any forwarding) */
	ask(f, "h.sub.lan.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(10, 9, 9, 9));
	assert_true(AA(&m));
	/* the rest of lan. stays local */
	ask(f, "other.lan.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_sent(f->net, NULL, "other.lan."), 0);
}

static void test_address_vs_server(void **state)
{
	struct fx *f = *state;
	res_engine_free(f->eng);
	struct res_forwarder fw[2];
	memset(fw, 0, sizeof(fw));
	dns_name_root(&fw[0].domain);
	simnet_addr(UP, &fw[0].addr);
	dns_name_from_text(&fw[1].domain, "sub.v4.test.", 12, NULL);
	simnet_addr(SUB, &fw[1].addr);
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = sim_random;
	cfg.local = f->ld;
	cfg.mode = RES_MODE_FORWARD;
	cfg.fwd = fw;
	cfg.n_fwd = 2;
	f->eng = res_engine_new(&cfg, f->cache);
	dns_msg m;
	ask(f, "a.sub.v4.test.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(10, 0, 0, 2));
	assert_int_equal(resq_sent(f->net, SUB, "a.sub.v4.test."), 1);
	ask(f, "b.v4.test.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(1, 2, 3, 4));
	assert_true(AA(&m));
}

static void test_cname_to_upstream(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "ext.lan.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 300);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(resq_sent(f->net, UP, "www.example.com."), 1);
	assert_int_equal(resq_sent(f->net, NULL, "ext.lan."), 0);
	assert_false(AA(&m)); /* part of it came from upstream */
	/* two local links, then upstream (answered from the cache now) */
	simnet_log_clear(f->net);
	ask(f, "two.lan.", DNS_T_A, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 2);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 0);
	/* a CNAME to a local name: all local, AA */
	ask(f, "c1.lan.", DNS_T_A, &m);
	assert_true(AA(&m));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 168, 1, 10));
	/* ... and to a local name without the type: the CNAME alone */
	ask(f, "c1.lan.", DNS_T_TXT, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 1);
	/* a target under address=: that rule answers it */
	ask(f, "extblk.lan.", DNS_T_A, &m);
	assert_true(AA(&m));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	/* a target under local=/lan/ that does not exist: NXDOMAIN + CNAME */
	ask(f, "nxt.lan.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	assert_int_equal(resq_sent(f->net, NULL, "zzz.lan."), 0);
}

static void test_any_local_and_not(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "foo.lan.", DNS_T_ANY, &m);   /* local data answers ANY */
	assert_true(AA(&m));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_HINFO), 0);
	assert_int_equal(simnet_log_count(f->net), 0);
	ask(f, "www.example.com.", DNS_T_ANY, &m); /* resolved otherwise */
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_HINFO), 0);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	assert_true(simnet_log_count(f->net) >= 1);
}

static void test_recursive_mode(void **state)
{
	struct fx *f = *state;
	res_engine_free(f->eng);
	make_engine(f, RES_MODE_RECURSIVE);
	dns_msg m;
	ask(f, "foo.lan.", DNS_T_A, &m);
	assert_true(AA(&m));
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 168, 1, 10));
	ask(f, "www.sub.lan.", DNS_T_A, &m); /* no server= rules: local wins */
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_no_local_data(void **state)
{
	struct fx *f = *state;
	res_engine_free(f->eng);
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = sim_random;
	cfg.mode = RES_MODE_FORWARD;
	cfg.fwd = f->fw;
	cfg.n_fwd = 1;
	f->eng = res_engine_new(&cfg, f->cache);
	dns_msg m;
	ask(f, "foo.lan.", DNS_T_A, &m); /* without local data: forwarded */
	assert_int_equal(resq_sent(f->net, UP, "foo.lan."), 1);
	assert_false(AA(&m));
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.local_answers, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_answer_aa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_nodata_nxdomain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bogus_priv_and_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_more_specific_server_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_vs_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cname_to_upstream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_local_and_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recursive_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_local_data, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
