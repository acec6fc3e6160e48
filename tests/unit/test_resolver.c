/* Unit tests: resolver/engine.c against a simulated network of
 * authoritative servers (tests/unit/helper_simnet.c) on a virtual clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/strbuf.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/engine.h"

#define ROOT "198.51.100.1"

static const char *z_root =
	"$ORIGIN .\n$TTL 3600\n"
	". SOA a.root-servers.test. h.test. 1 3600 600 86400 300\n"
	". NS a.root-servers.test.\n"
	"a.root-servers.test. A 198.51.100.1\n"
	"com. NS ns.com.\nns.com. A 198.51.100.2\n"
	"net. NS ns.net.\nns.net. A 198.51.100.3\n";
static const char *z_com =
	"$ORIGIN com.\n$TTL 3600\n"
	"@ SOA ns.com. h.com. 1 3600 600 86400 300\n"
	"@ NS ns.com.\nns A 198.51.100.2\n"
	"example NS ns1.example.com.\nns1.example A 198.51.100.10\n"
	"glueless NS ns.hoster.net.\n"
	"evil NS ns.evil.net.\nns.evil.net. A 6.6.6.6\n"
	"multi NS ns1.multi.com.\nmulti NS ns2.multi.com.\n"
	"ns1.multi A 198.51.100.40\nns2.multi A 198.51.100.41\n"
	"dead NS ns1.dead.com.\ndead NS ns2.dead.com.\n"
	"ns1.dead A 198.51.100.42\nns2.dead A 198.51.100.43\n"
	"tc NS ns.tc.com.\nns.tc A 198.51.100.50\n"
	"lame NS ns1.lame.com.\nlame NS ns2.lame.com.\n"
	"ns1.lame A 198.51.100.60\nns2.lame A 198.51.100.61\n"
	"noedns NS ns.noedns.com.\nns.noedns A 198.51.100.70\n";
static const char *z_net =
	"$ORIGIN net.\n$TTL 3600\n"
	"@ SOA ns.net. h.net. 1 3600 600 86400 300\n"
	"@ NS ns.net.\nns A 198.51.100.3\n"
	"ns.hoster A 198.51.100.30\nns.evil A 198.51.100.20\n"
	"other NS ns.other.net.\nns.other A 198.51.100.11\n"
	"example NS ns.other.net.\n";
static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns1 h 1 3600 600 86400 300\n@ NS ns1\nns1 A 198.51.100.10\n"
	"www A 192.0.2.1\nalias CNAME www.other.net.\n"
	"loop1 CNAME loop2\nloop2 CNAME loop1\n"
	"dn DNAME example.net.\n";
static const char *z_other =
	"$ORIGIN other.net.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 198.51.100.11\n"
	"www A 192.0.2.2\n";
static const char *z_example_net =
	"$ORIGIN example.net.\n$TTL 3600\n"
	"@ SOA ns.other.net. h 1 3600 600 86400 300\n@ NS ns.other.net.\n"
	"x A 192.0.2.5\n";

static const char *leaf(const char *origin, const char *ip4)
{
	static char buf[8][512];
	static int k;
	char *b = buf[k++ % 8];
	snprintf(b, 512, "$ORIGIN %s\n$TTL 3600\n@ SOA ns h 1 3600 600 86400 300\n"
	         "@ NS ns\nns A %s\nwww A %s\n", origin, "198.51.100.99", ip4);
	return b;
}

struct fx {
	struct simnet *net;
	cache_t *cache;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_hint hint;
};

static void build_net(struct fx *f)
{
	f->net = simnet_new();
	assert_non_null(f->net);
	assert_int_equal(simnet_add_zone(f->net, ROOT, z_root), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.2", z_com), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.3", z_net), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.10", z_example), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.11", z_other), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.11", z_example_net), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.30",
	                                 leaf("glueless.com.", "192.0.2.3")), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.20",
	                                 leaf("evil.com.", "192.0.2.4")), 0);
	assert_int_equal(simnet_add_zone(f->net, "6.6.6.6",
	                                 leaf("evil.com.", "6.6.6.6")), 0);
	const char *ips[] = { "198.51.100.40", "198.51.100.41" };
	for (int i = 0; i < 2; i++)
		assert_int_equal(simnet_add_zone(f->net, ips[i],
		                 leaf("multi.com.", "192.0.2.6")), 0);
	simnet_set_flags(f->net, "198.51.100.40", SIM_DROP);
	simnet_set_flags(f->net, "198.51.100.42", SIM_DROP);
	simnet_set_flags(f->net, "198.51.100.43", SIM_DROP);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.50",
	                                 leaf("tc.com.", "192.0.2.7")), 0);
	simnet_set_flags(f->net, "198.51.100.50", SIM_TC_UDP);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.60",
	                                 leaf("lame.com.", "6.6.6.6")), 0);
	simnet_set_flags(f->net, "198.51.100.60", SIM_LAME);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.61",
	                                 leaf("lame.com.", "192.0.2.8")), 0);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.70",
	                                 leaf("noedns.com.", "192.0.2.9")), 0);
	simnet_set_flags(f->net, "198.51.100.70", SIM_NOEDNS);
}

static void fx_engine(struct fx *f, const struct res_config *cfg)
{
	struct cache_config cc;
	cache_config_defaults(&cc);
	f->cache = cache_new(&cc);
	assert_non_null(f->cache);
	f->eng = res_engine_new(cfg, f->cache);
	assert_non_null(f->eng);
	f->clock = 1700000000000ull;
	f->ans = calloc(4, sizeof(*f->ans));
	assert_non_null(f->ans);
}

/* The configuration every test starts from: defaults, the simulated root,
 * simulated randomness. */
static void fx_config(struct fx *f, struct res_config *cfg)
{
	res_config_defaults(cfg);
	cfg->hints = &f->hint;
	cfg->n_hints = 1;
	cfg->random = sim_random;
}

/* Drop the engine setup() started (its cache and answers too), so that a
 * test can start one with its own configuration (fx_engine). */
static void fx_drop(struct fx *f)
{
	res_engine_free(f->eng);
	cache_free(f->cache);
	free(f->ans);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	build_net(f);
	dns_name_from_text(&f->hint.name, "a.root-servers.test.", 20, NULL);
	simnet_addr(ROOT, &f->hint.addr);
	struct res_config cfg;
	fx_config(f, &cfg);
	fx_engine(f, &cfg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_drop(f);
	simnet_free(f->net);
	free(f);
	return 0;
}

/* Ask name/type as client tag 0; returns the parsed answer. */
static void ask(struct fx *f, const char *name, uint16_t type, dns_msg *m)
{
	uint8_t q[512];
	size_t len = sim_make_query(q, sizeof(q), name, type, 1232, false);
	assert_true(len > 0);
	memset(&f->ans[0], 0, sizeof(f->ans[0]));
	assert_int_equal(res_query_start(f->eng, 0, q, len, false, f->clock), 0);
	simnet_run(f->net, f->eng, &f->clock, f->ans, 4, 60000);
	assert_true(f->ans[0].got);
	assert_int_equal(dns_msg_parse(m, f->ans[0].buf, f->ans[0].len), 0);
	if (getenv("SIM_DEBUG")) {
		char txt[8192];
		strbuf sb = strbuf_init(txt, sizeof(txt));
		dns_msg_print(m, &sb);
		for (size_t i = 0; i < simnet_log_count(f->net); i++)
			fprintf(stderr, "  -> %s %s %u%s\n", simnet_log(f->net, i)->dst,
			        simnet_log(f->net, i)->qname,
			        simnet_log(f->net, i)->qtype,
			        simnet_log(f->net, i)->tcp ? " tcp" : "");
		fprintf(stderr, "%.*s\n", (int)sb.len, txt);
	}
	assert_int_equal(m->id, 0x1234);
	assert_true(m->flags & DNS_FLAG_QR);
	assert_true(m->flags & DNS_FLAG_RA);
	assert_false(m->flags & DNS_FLAG_AA);
}

/* The address of the last A record in the answer, or 0. */
static uint32_t answer_a(const dns_msg *m)
{
	dns_rr_iter it;
	dns_rr_view v;
	uint32_t a = 0;
	dns_rr_iter_init(&it, m, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1)
		if (v.type == DNS_T_A && v.rdlen == 4) {
			const uint8_t *p = m->pkt + v.rdata_off;
			a = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			    (uint32_t)p[2] << 8 | p[3];
		}
	return a;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static bool log_has(const struct simnet *n, const char *dst, const char *qname)
{
	for (size_t i = 0; i < simnet_log_count(n); i++) {
		const struct sim_log *l = simnet_log(n, i);
		if ((!dst || !strcmp(l->dst, dst)) &&
		    (!qname || !strcmp(l->qname, qname)))
			return true;
	}
	return false;
}

static uint16_t ede_code(const dns_msg *m)
{
	edns_info ei;
	if (edns_from_msg(m, &ei) < 0)
		return 0xffff;
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, ei.opts, ei.opts_len);
	while (edns_opt_iter_next(&it, &o) == 1)
		if (o.code == EDNS_OPT_EDE && o.len >= 2)
			return (uint16_t)(o.data[0] << 8 | o.data[1]);
	return 0xffff;
}

static void test_simple_a(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 1));
	assert_true(log_has(f->net, ROOT, "www.example.com."));
	assert_true(log_has(f->net, "198.51.100.2", "www.example.com."));
	assert_true(log_has(f->net, "198.51.100.10", "www.example.com."));
	/* the root is primed first (RFC 8109): ". NS" */
	assert_string_equal(simnet_log(f->net, 0)->qname, ".");
	assert_int_equal(simnet_log(f->net, 0)->qtype, DNS_T_NS);
	assert_int_equal(simnet_log_count(f->net), 4);
}

static void test_cache_hit(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	simnet_log_clear(f->net);
	ask(f, "WWW.Example.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 1));
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_cname_across_zones(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "alias.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(m.count[1], 2);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 2));
}

static void test_dname(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "x.dn.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(m.count[1] >= 2);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 5));
}

static void test_nxdomain_negcache(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(m.count[1], 0);
	assert_int_equal(m.count[2], 1); /* SOA */
	simnet_log_clear(f->net);
	ask(f, "nope.example.com.", DNS_T_AAAA, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_nodata(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_AAAA, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(m.count[1], 0);
	assert_int_equal(m.count[2], 1);
	simnet_log_clear(f->net);
	ask(f, "www.example.com.", DNS_T_AAAA, &m);
	assert_int_equal(m.count[2], 1);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_glueless(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.glueless.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 3));
	assert_true(log_has(f->net, "198.51.100.3", "ns.hoster.net."));
}

static void test_out_of_bailiwick_glue(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.evil.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 4));
	assert_false(log_has(f->net, "6.6.6.6", NULL));
}

static void test_timeout_failover(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	for (int i = 0; i < 3; i++) { /* whichever server is tried first */
		ask(f, i ? "www.multi.com." : "www.multi.com.", DNS_T_A, &m);
		assert_int_equal(answer_a(&m), IP(192, 0, 2, 6));
		cache_flush_all(f->cache);
	}
}

static void test_all_dead(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	uint64_t t0 = f->clock;
	ask(f, "www.dead.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_int_equal(ede_code(&m), 22);
	assert_true(f->ans[0].at - t0 <= RES_QUERY_DEADLINE_MS);
}

static void test_tc_tcp(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.tc.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 7));
	bool tcp = false;
	for (size_t i = 0; i < simnet_log_count(f->net); i++)
		if (simnet_log(f->net, i)->tcp &&
		    !strcmp(simnet_log(f->net, i)->dst, "198.51.100.50"))
			tcp = true;
	assert_true(tcp);
}

static void test_lame(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	for (int i = 0; i < 3; i++) {
		ask(f, "www.lame.com.", DNS_T_A, &m);
		assert_int_equal(answer_a(&m), IP(192, 0, 2, 8));
		cache_flush_all(f->cache);
	}
}

static void test_noedns(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "www.noedns.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 9));
}

static void test_cname_loop(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "loop1.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_true(simnet_log_count(f->net) <= RES_MAX_UPSTREAM);
}

static void test_nxns(void **state)
{
	struct fx *f = *state;
	static char z[16384];
	size_t o = (size_t)snprintf(z, sizeof(z),
		"$ORIGIN com.\n$TTL 3600\n@ SOA ns.com. h.com. 1 3600 600 86400 300\n"
		"@ NS ns.com.\nns A 198.51.100.2\n");
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(z + o, sizeof(z) - o,
		                      "nxns NS ns%d.victim.net.\n", i);
	simnet_free(f->net);
	f->net = simnet_new();
	simnet_add_zone(f->net, ROOT, z_root);
	assert_int_equal(simnet_add_zone(f->net, "198.51.100.2", z), 0);
	simnet_add_zone(f->net, "198.51.100.3", z_net);
	dns_msg m;
	ask(f, "www.nxns.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_SERVFAIL);
	assert_true(simnet_log_count(f->net) <= RES_MAX_UPSTREAM);
	/* distinct victim names looked up: bounded by the glueless limit */
	size_t victim = 0;
	for (size_t i = 0; i < simnet_log_count(f->net); i++) {
		const char *qn = simnet_log(f->net, i)->qname;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(simnet_log(f->net, j)->qname, qn))
				seen = true;
		if (strstr(qn, "victim.net") && !seen)
			victim++;
	}
	assert_true(victim >= 1);
	assert_true(victim <= RES_MAX_GLUELESS);
}

static void test_formerr(void **state)
{
	struct fx *f = *state;
	uint8_t q[64];
	size_t len = sim_make_query(q, sizeof(q), "www.example.com.", DNS_T_A, 0,
	                            false);
	memset(&f->ans[0], 0, sizeof(f->ans[0]));
	assert_int_equal(res_query_start(f->eng, 0, q, len - 3, false, f->clock), 0);
	simnet_run(f->net, f->eng, &f->clock, f->ans, 4, 1000);
	assert_true(f->ans[0].got);
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, f->ans[0].buf, f->ans[0].len), 0);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_FORMERR);
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(simnet_log_count(f->net), 0);
	/* garbage shorter than a header: dropped */
	assert_true(res_query_start(f->eng, 1, q, 5, false, f->clock) < 0);
}

/* Upstream queries for (qname, qtype) in the log (to dst, NULL: to
 * anyone), and how many went over TCP. */
static size_t sent_as(const struct simnet *n, const char *dst,
                      const char *qname, uint16_t qtype, size_t *tcp)
{
	size_t c = 0;
	if (tcp)
		*tcp = 0;
	for (size_t i = 0; i < simnet_log_count(n); i++) {
		const struct sim_log *l = simnet_log(n, i);
		if (l->qtype != qtype || strcasecmp(l->qname, qname) ||
		    (dst && strcmp(l->dst, dst)))
			continue;
		c++;
		if (tcp && l->tcp)
			(*tcp)++;
	}
	return c;
}

/* The same question from two clients at once (the second finds the first
 * in flight); both answers parsed into m[0], m[1]. */
static void ask_twice(struct fx *f, const char *name, uint16_t type,
                      dns_msg m[2])
{
	uint8_t q[512];
	size_t len = sim_make_query(q, sizeof(q), name, type, 1232, false);
	assert_int_equal(res_query_start(f->eng, 0, q, len, false, f->clock), 0);
	assert_int_equal(res_query_start(f->eng, 1, q, len, false, f->clock), 0);
	simnet_run(f->net, f->eng, &f->clock, f->ans, 4, 60000);
	for (int i = 0; i < 2; i++) {
		assert_true(f->ans[i].got);
		assert_int_equal(dns_msg_parse(&m[i], f->ans[i].buf, f->ans[i].len),
		                 0);
	}
}

/* qtype ANY is resolved (docs/resolver.md, "ANY"): asked upstream as
 * ANY, every RRset at the name answered, each cached on its own (an SOA
 * question is then a cache hit) while ANY itself is asked again; a CNAME
 * answers ANY (not followed, RFC 1034 §4.3.2); NXDOMAIN passed on; a
 * truncated reply is asked again over TCP. */
static void test_any(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask(f, "example.com.", DNS_T_ANY, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_SOA), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_NS), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_HINFO), 0);
	/* root, com., example.com.: the full name all the way down */
	assert_int_equal(sent_as(f->net, NULL, "example.com.", DNS_T_ANY, NULL), 3);
	simnet_log_clear(f->net);
	ask(f, "example.com.", DNS_T_SOA, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_SOA), 1);
	assert_int_equal(simnet_log_count(f->net), 0);
	ask(f, "example.com.", DNS_T_ANY, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_SOA), 1);
	assert_int_equal(sent_as(f->net, NULL, "example.com.", DNS_T_ANY, NULL),
	                 1);
	simnet_log_clear(f->net);
	ask(f, "alias.example.com.", DNS_T_ANY, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 1);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	assert_int_equal(resq_sent(f->net, NULL, "www.other.net."), 0);
	ask(f, "nope.example.com.", DNS_T_ANY, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, DNS_T_SOA), 1);
	simnet_log_clear(f->net);
	size_t tcp = 0;
	ask(f, "www.tc.com.", DNS_T_ANY, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 7));
	assert_int_equal(sent_as(f->net, "198.51.100.50", "www.tc.com.",
	                         DNS_T_ANY, &tcp), 2);
	assert_int_equal(tcp, 1);
}

/* Two identical ANY questions at once: one exchange per server, the second
 * question parked on the first and answered from what its reply cached. */
static void test_any_dedup(void **state)
{
	struct fx *f = *state;
	dns_msg m[2];
	ask_twice(f, "example.com.", DNS_T_ANY, m);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(dns_msg_rcode(&m[i]), DNS_RCODE_NOERROR);
		assert_int_equal(resq_count(&m[i], DNS_SEC_ANSWER, DNS_T_SOA), 1);
		assert_int_equal(resq_count(&m[i], DNS_SEC_ANSWER, DNS_T_NS), 1);
	}
	/* root, com., example.com.: once each, not twice */
	assert_int_equal(sent_as(f->net, NULL, "example.com.", DNS_T_ANY, NULL), 3);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_true(st.dedup >= 1);
}

/* deny_any (RFC 8482 §4.2): one synthesised HINFO, nobody asked. */
static void test_any_denied(void **state)
{
	struct fx *f = *state;
	fx_drop(f);
	struct res_config cfg;
	fx_config(f, &cfg);
	cfg.deny_any = true;
	fx_engine(f, &cfg);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_ANY, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(m.count[1], 1);
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, &m, DNS_SEC_ANSWER);
	assert_int_equal(dns_rr_iter_next(&it, &v), 1);
	assert_int_equal(v.type, DNS_T_HINFO);
	assert_memory_equal(m.pkt + v.rdata_off, "\7RFC8482\0", 9);
	assert_int_equal(simnet_log_count(f->net), 0);
	/* other types are resolved as ever */
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
}

static void test_forwarding(void **state)
{
	struct fx *f = *state;
	fx_drop(f);
	/* forwarders: .1 dead, .2 a full view, corp.test -> .3, local.test local */
	simnet_add_zone(f->net, "203.0.113.2", z_example);
	simnet_set_flags(f->net, "203.0.113.2", SIM_RECURSOR);
	simnet_set_flags(f->net, "203.0.113.1", SIM_DROP);
	simnet_add_zone(f->net, "203.0.113.3", leaf("corp.test.", "10.0.0.1"));
	struct res_forwarder fw[4];
	memset(fw, 0, sizeof(fw));
	dns_name_root(&fw[0].domain);
	simnet_addr("203.0.113.1", &fw[0].addr);
	dns_name_root(&fw[1].domain);
	simnet_addr("203.0.113.2", &fw[1].addr);
	dns_name_from_text(&fw[2].domain, "corp.test.", 10, NULL);
	simnet_addr("203.0.113.3", &fw[2].addr);
	dns_name_from_text(&fw[3].domain, "local.test.", 11, NULL);
	fw[3].local_only = true;
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.mode = RES_MODE_FORWARD;
	cfg.fwd = fw;
	cfg.n_fwd = 4;
	cfg.strict_order = true;
	cfg.random = sim_random;
	fx_engine(f, &cfg);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 1));
	assert_true(log_has(f->net, "203.0.113.1", "www.example.com."));
	assert_true(log_has(f->net, "203.0.113.2", "www.example.com."));
	assert_true(simnet_log(f->net, 0)->rd);
	ask(f, "nope.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(m.count[2], 1); /* the forwarder's SOA */
	ask(f, "www.corp.test.", DNS_T_A, &m);
	assert_int_equal(answer_a(&m), IP(10, 0, 0, 1));
	assert_true(log_has(f->net, "203.0.113.3", "www.corp.test."));
	simnet_log_clear(f->net);
	ask(f, "x.local.test.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_spoofed_reply_ignored(void **state)
{
	struct fx *f = *state;
	uint8_t q[512];
	size_t len = sim_make_query(q, sizeof(q), "www.example.com.", DNS_T_A,
	                            1232, false);
	assert_int_equal(res_query_start(f->eng, 0, q, len, false, f->clock), 0);
	struct res_action a;
	assert_int_equal(res_next_action(f->eng, f->clock, &a), 1);
	assert_int_equal(a.kind, RES_ACT_SEND);
	uint8_t copy[512];
	memcpy(copy, a.buf, a.len);
	copy[2] |= 0x80; /* QR */
	struct res_addr wrong;
	simnet_addr("192.0.2.66", &wrong);
	assert_true(res_upstream_reply(f->eng, a.token, &wrong, false, copy,
	                               a.len, f->clock) < 0);
	copy[0] ^= 0xff; /* wrong ID */
	assert_true(res_upstream_reply(f->eng, a.token, &a.dst, false, copy,
	                               a.len, f->clock) < 0);
	assert_int_equal(res_next_action(f->eng, f->clock, &a), 0);
}

static void test_dedup(void **state)
{
	struct fx *f = *state;
	dns_msg m[2];
	ask_twice(f, "www.example.com.", DNS_T_A, m);
	for (int i = 0; i < 2; i++)
		assert_int_equal(answer_a(&m[i]), IP(192, 0, 2, 1));
	size_t to_leaf = 0;
	for (size_t i = 0; i < simnet_log_count(f->net); i++)
		if (!strcmp(simnet_log(f->net, i)->dst, "198.51.100.10"))
			to_leaf++;
	assert_int_equal(to_leaf, 1);
	assert_int_equal(simnet_log_count(f->net), 4); /* priming + 3 */
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_true(st.dedup >= 1);
}

static void reengine_qmin(struct fx *f)
{
	fx_drop(f);
	struct res_config cfg;
	fx_config(f, &cfg);
	cfg.qname_minimisation = true;
	fx_engine(f, &cfg);
}

/* bogus-nxdomain (engine_bogus.c): the answer holding the address becomes
 * NXDOMAIN with EDE 15, and the name is NXDOMAIN from the cache for the
 * record's TTL, whatever the type; other names are untouched. */
static void test_bogus_nxdomain(void **state)
{
	struct fx *f = *state;
	fx_drop(f);
	struct res_config cfg;
	fx_config(f, &cfg);
	cfg.bogus_nx[0] = (struct res_prefix){ .family = 4,
	                                       .ip = { 192, 0, 2, 1 }, .len = 32 };
	cfg.n_bogus_nx = 1;
	fx_engine(f, &cfg);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(m.count[DNS_SEC_ANSWER], 0);
	assert_int_equal(ede_code(&m), EDE_BLOCKED);
	size_t sent = simnet_log_count(f->net);
	ask(f, "www.example.com.", DNS_T_AAAA, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(simnet_log_count(f->net), sent); /* from the cache */
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.bogus_nx, 1);
}

static void test_qname_minimisation(void **state)
{
	struct fx *f = *state;
	reengine_qmin(f);
	dns_msg m;
	ask(f, "www.example.com.", DNS_T_AAAA, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(simnet_log_count(f->net), 5);
	const struct sim_log *l = simnet_log(f->net, 0);
	assert_string_equal(l->qname, "."); /* priming */
	l = simnet_log(f->net, 1);
	assert_string_equal(l->dst, ROOT);
	assert_string_equal(l->qname, "com.");
	assert_int_equal(l->qtype, DNS_T_A);
	l = simnet_log(f->net, 2);
	assert_string_equal(l->dst, "198.51.100.2");
	assert_string_equal(l->qname, "example.com.");
	/* AAAA: the full name is asked with A first, as Unbound does */
	l = simnet_log(f->net, 3);
	assert_string_equal(l->dst, "198.51.100.10");
	assert_string_equal(l->qname, "www.example.com.");
	assert_int_equal(l->qtype, DNS_T_A);
	l = simnet_log(f->net, 4);
	assert_string_equal(l->dst, "198.51.100.10");
	assert_string_equal(l->qname, "www.example.com.");
	assert_int_equal(l->qtype, DNS_T_AAAA);
	/* a deeper non-existent name: minimised, then relaxed fallback */
	simnet_log_clear(f->net);
	ask(f, "a.b.www.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_true(log_has(f->net, "198.51.100.10", "b.www.example.com."));
	assert_true(log_has(f->net, "198.51.100.10", "a.b.www.example.com."));
}

/* A query without RD (dig +norec), answered from the cache only. */
static void ask_norec(struct fx *f, const char *name, uint16_t type,
                      dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof(q), name, type, DNS_C_IN, 0, 0, false);
	assert_true(len > 0);
	assert_true(resq_run(f->net, f->eng, &f->clock, &f->ans[0], q, len, m));
	assert_false(m->flags & DNS_FLAG_RD);
	assert_false(m->flags & DNS_FLAG_AA);
}

/* The owner of the first NS record of the authority section is name. */
static bool referral_to(const dns_msg *m, const char *name)
{
	dns_rr_iter it;
	dns_rr_view v;
	dns_name want, got;
	dns_name_from_text(&want, name, strlen(name), NULL);
	dns_rr_iter_init(&it, m, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&it, &v) == 1)
		if (v.type == DNS_T_NS)
			return dns_rr_view_owner(m, &v, &got) == 0 &&
			       dns_name_equal(&got, &want);
	return false;
}

/* RD=0 (RFC 1034 §4.3.1): the cache's answer, else a referral to the
 * closest cached NS set with the addresses of its names, never a query
 * upstream; REFUSED with EDE 20 when nothing is cached (engine_norec.c). */
static void test_norec(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	ask_norec(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_REFUSED);
	assert_int_equal(ede_code(&m), EDE_NOT_AUTHORITATIVE);
	assert_int_equal(simnet_log_count(f->net), 0);
	ask(f, "www.example.com.", DNS_T_A, &m); /* RD=1 fills the cache */
	simnet_log_clear(f->net);
	ask_norec(f, "www.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(answer_a(&m), IP(192, 0, 2, 1));
	/* not cached: the zone's NS set and the address of ns1 */
	ask_norec(f, "nothere.example.com.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	assert_true(referral_to(&m, "example.com."));
	assert_int_equal(resq_count(&m, DNS_SEC_ADDITIONAL, DNS_T_A), 1);
	/* another TLD: only the root's NS set is cached */
	ask_norec(f, "www.other.net.", DNS_T_A, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_true(referral_to(&m, "."));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_rtt_avoids_dead_server(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	for (int i = 0; i < 6; i++) {
		ask(f, "www.multi.com.", DNS_T_A, &m);
		assert_int_equal(answer_a(&m), IP(192, 0, 2, 6));
		cache_flush_all(f->cache); /* the infra cache stays */
	}
	size_t dead = 0;
	for (size_t i = 0; i < simnet_log_count(f->net); i++)
		if (!strcmp(simnet_log(f->net, i)->dst, "198.51.100.40"))
			dead++;
	assert_true(dead <= 1); /* probed once at most, then avoided */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_simple_a, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_hit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cname_across_zones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dname, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nxdomain_negcache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nodata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_glueless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_bailiwick_glue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_failover, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_dead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tc_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_noedns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cname_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nxns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formerr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_denied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forwarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spoofed_reply_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bogus_nxdomain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtt_avoids_dead_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qname_minimisation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_norec, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
