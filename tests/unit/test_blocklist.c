/* Unit tests: blocklists — the list parser (resolver/blocklist_parse.c:
 * hosts, domain per line, *.wildcard, adblock ||d^ and @@||d^, comments,
 * bad lines as name:line), the hash set and its suffix matching
 * (resolver/blocklist.c), allow entries winning, swapping a slot, 100k
 * names, and the engine's blocked answers (resolver/engine_block.c:
 * 0.0.0.0 / :: / NODATA / NXDOMAIN with EDE 15, local data first, CNAME
 * chains reaching a blocked name), plus
 * the configuration options (daemon/conf_blocklist.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "daemon/conf.h"
#include "daemon/setup_blocklist.h"
#include "helper_resq.h"
#include "helper_simnet.h"
#include "resolver/blocklist.h"
#include "resolver/blocklist_parse.h"
#include "resolver/engine.h"
#include "resolver/localdata.h"

static char diag_log[8192];
static unsigned diag_count;

static void diag(void *ctx, const char *msg)
{
	(void)ctx;
	diag_count++;
	size_t l = strlen(diag_log);
	snprintf(diag_log + l, sizeof diag_log - l, "%s\n", msg);
}

static blocklist_set *parse(const char *text, bool allow,
                            struct blocklist_parse_stats *st)
{
	blocklist_set *s = blocklist_set_new(0x1234);
	assert_non_null(s);
	diag_log[0] = '\0';
	diag_count = 0;
	assert_int_equal(blocklist_parse(s, "list", (const uint8_t *)text,
	                                 strlen(text), allow, diag, NULL, st), 0);
	return s;
}

static enum bl_verdict check(const blocklist *b, const char *name)
{
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, name, strlen(name), &root), 0);
	return blocklist_check(b, &n);
}

static unsigned flags_of(const blocklist_set *s, const char *name)
{
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, name, strlen(name), &root), 0);
	return blocklist_set_flags(s, &n);
}

/* One set in a one-slot blocklist. */
static blocklist *one(blocklist_set *s)
{
	blocklist *b = blocklist_new(1);
	assert_non_null(b);
	assert_null(blocklist_swap(b, 0, s));
	return b;
}

static void test_parse_formats(void **state)
{
	(void)state;
	struct blocklist_parse_stats st;
	blocklist_set *s = parse(
		"\xef\xbb\xbf# a hosts list\r\n"
		"0.0.0.0 ads.example.com tracker.example.net # two names\r\n"
		"127.0.0.1\tlocalhost\n"
		"::1 ip6-localhost ip6-loopback\n"
		"0.0.0.0 0.0.0.0\n"
		"255.255.255.255 broadcasthost\n"
		"fe80::1%lo0 localhost\n"
		"\n"
		"   \t \n"
		"doubleclick.test\n"
		"Mixed.CASE.test.\n"
		"*.wild.test\n"
		"! adblock comment\n"
		"[Adblock Plus 2.0]\n"
		"||adblock.test^\n"
		"@@||good.adblock.test^\n"
		"example.org##.banner\n"
		"/banner/*\n"
		"||ads.test^$third-party\n"
		"||path.test/x^\n", false, &st);
	assert_int_equal(st.lines, 20);
	/* ads, tracker, doubleclick, Mixed, wild, adblock, good.adblock */
	assert_int_equal(st.entries, 7);
	assert_int_equal(blocklist_set_count(s), 7);
	assert_int_equal(st.skipped, 6);   /* localhost x2, ip6 x2, 0.0.0.0, bcast */
	assert_int_equal(st.unsupported, 4);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.comments, 5);
	assert_int_equal(diag_count, 0);
	assert_int_equal(flags_of(s, "ads.example.com."), BL_BLOCK_EXACT);
	assert_int_equal(flags_of(s, "tracker.example.net."), BL_BLOCK_EXACT);
	assert_int_equal(flags_of(s, "doubleclick.test."), BL_BLOCK_SUB);
	assert_int_equal(flags_of(s, "mixed.case.test."), BL_BLOCK_SUB);
	assert_int_equal(flags_of(s, "wild.test."), BL_BLOCK_BELOW);
	assert_int_equal(flags_of(s, "adblock.test."), BL_BLOCK_SUB);
	assert_int_equal(flags_of(s, "good.adblock.test."), BL_ALLOW_SUB);
	assert_int_equal(flags_of(s, "localhost."), 0);
	assert_int_equal(flags_of(s, "example.org."), 0);
	assert_int_equal(flags_of(s, "ads.test."), 0);
	blocklist_set_free(s);
}

static void test_parse_bad_lines(void **state)
{
	(void)state;
	struct blocklist_parse_stats st;
	char longline[BLOCKLIST_LINE_MAX + 20];
	memset(longline, 'a', sizeof longline);
	longline[sizeof longline - 1] = '\0';
	char text[BLOCKLIST_LINE_MAX + 400];
	snprintf(text, sizeof text,
	         "good.test\n"
	         "two names.test\n"
	         "bad_\x01name.test\n"
	         "0.0.0.0\n"
	         "1.2.3.999 x.test\n"
	         "a..b.test\n"
	         "%s\n"
	         "0.0.0.0 ok.test bad!name.test\n"
	         "last.test", longline);
	blocklist_set *s = parse(text, false, &st);
	assert_int_equal(st.lines, 9);
	assert_int_equal(st.entries, 3);   /* good, ok, last */
	assert_int_equal(st.bad, 7);
	assert_int_equal(diag_count, 7);
	assert_non_null(strstr(diag_log, "list:2: more than one name"));
	assert_non_null(strstr(diag_log, "list:3: bad name: \"bad_\\001name.test\""));
	assert_non_null(strstr(diag_log, "list:4: address without a name"));
	assert_non_null(strstr(diag_log, "list:5: bad address"));
	assert_non_null(strstr(diag_log, "list:6: bad name"));
	assert_non_null(strstr(diag_log, "list:7: line too long"));
	assert_non_null(strstr(diag_log, "list:8: bad name: \"bad!name.test\""));
	assert_int_equal(flags_of(s, "ok.test."), BL_BLOCK_EXACT);
	assert_int_equal(flags_of(s, "last.test."), BL_BLOCK_SUB);
	assert_false(blocklist_parse_usable(&st)); /* 7 bad > 3 names */
	blocklist_set_free(s);
}

static void test_parse_diag_cap(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 30; i++)
		strcat(text, "x y\n");
	strcat(text, "a.test\n");
	struct blocklist_parse_stats st;
	blocklist_set *s = parse(text, false, &st);
	assert_int_equal(st.bad, 30);
	/* the first BLOCKLIST_DIAG_MAX, then one summary line */
	assert_int_equal(diag_count, BLOCKLIST_DIAG_MAX + 1);
	assert_non_null(strstr(diag_log, "20 more bad lines not shown"));
	blocklist_set_free(s);
}

static void test_parse_usable(void **state)
{
	(void)state;
	struct blocklist_parse_stats st;
	blocklist_set *s = parse("<html>\n<body>Not Found</body>\n</html>\n",
	                         false, &st);
	assert_int_equal(st.entries, 0);
	assert_false(blocklist_parse_usable(&st));
	blocklist_set_free(s);
	s = parse("", false, &st);
	assert_false(blocklist_parse_usable(&st));
	blocklist_set_free(s);
	s = parse("a.test\nb c\n", false, &st);
	assert_true(blocklist_parse_usable(&st));
	blocklist_set_free(s);
}

static void test_suffix_and_exact(void **state)
{
	(void)state;
	blocklist *b = one(parse("0.0.0.0 exact.test\n"
	                         "domain.test\n"
	                         "*.below.test\n", false, NULL));
	assert_int_equal(check(b, "exact.test."), BL_BLOCKED);
	assert_int_equal(check(b, "EXACT.Test."), BL_BLOCKED);
	assert_int_equal(check(b, "sub.exact.test."), BL_NONE); /* hosts: exact */
	assert_int_equal(check(b, "domain.test."), BL_BLOCKED);
	assert_int_equal(check(b, "a.b.c.domain.test."), BL_BLOCKED);
	assert_int_equal(check(b, "notdomain.test."), BL_NONE);
	assert_int_equal(check(b, "test."), BL_NONE);
	assert_int_equal(check(b, "below.test."), BL_NONE);
	assert_int_equal(check(b, "x.below.test."), BL_BLOCKED);
	assert_int_equal(check(b, "y.x.below.test."), BL_BLOCKED);
	assert_int_equal(check(b, "."), BL_NONE);
	assert_int_equal(blocklist_check(NULL, NULL), BL_NONE);
	blocklist_free(b);
}

static void test_allow_wins(void **state)
{
	(void)state;
	blocklist *b = blocklist_new(3);
	assert_non_null(b);
	assert_null(blocklist_swap(b, 0, parse("ads.test\n"
	                                       "0.0.0.0 exact.ads2.test\n"
	                                       "ads2.test\n", false, NULL)));
	/* slot 1 empty; slot 2 the allow-list */
	assert_null(blocklist_swap(b, 2, parse("ok.ads.test\n"
	                                       "0.0.0.0 exact.ads2.test\n",
	                                       true, NULL)));
	assert_int_equal(check(b, "ads.test."), BL_BLOCKED);
	assert_int_equal(check(b, "x.ads.test."), BL_BLOCKED);
	/* a domain allow entry covers the name and below */
	assert_int_equal(check(b, "ok.ads.test."), BL_ALLOWED);
	assert_int_equal(check(b, "deep.ok.ads.test."), BL_ALLOWED);
	/* an exact allow entry only the name: its children stay blocked */
	assert_int_equal(check(b, "exact.ads2.test."), BL_ALLOWED);
	assert_int_equal(check(b, "x.exact.ads2.test."), BL_BLOCKED);
	assert_int_equal(blocklist_count(b), 5);
	/* an allow entry of a parent beats a block entry of the child */
	blocklist_set *old = blocklist_swap(b, 1, parse("0.0.0.0 a.b.test\n",
	                                                false, NULL));
	assert_null(old);
	old = blocklist_swap(b, 2, parse("b.test\n", true, NULL));
	assert_non_null(old);
	blocklist_set_free(old);
	assert_int_equal(check(b, "a.b.test."), BL_ALLOWED);
	assert_int_equal(check(b, "ok.ads.test."), BL_BLOCKED); /* old allow gone */
	blocklist_free(b);
}

static void test_swap_and_empty(void **state)
{
	(void)state;
	blocklist *b = blocklist_new(1);
	assert_int_equal(check(b, "v1.test."), BL_NONE);
	assert_null(blocklist_swap(b, 0, parse("v1.test\n", false, NULL)));
	assert_int_equal(check(b, "v1.test."), BL_BLOCKED);
	blocklist_set *old = blocklist_swap(b, 0, parse("v2.test\n", false, NULL));
	assert_int_equal(flags_of(old, "v1.test."), BL_BLOCK_SUB);
	blocklist_set_free(old);
	assert_int_equal(check(b, "v1.test."), BL_NONE);
	assert_int_equal(check(b, "v2.test."), BL_BLOCKED);
	/* out of range: the set is handed back, nothing changes */
	blocklist_set *s = blocklist_set_new(1);
	assert_ptr_equal(blocklist_swap(b, 5, s), s);
	blocklist_set_free(s);
	assert_int_equal(blocklist_slots(b), 1);
	blocklist_free(b);
}

static void test_set_add_rules(void **state)
{
	(void)state;
	blocklist_set *s = blocklist_set_new(7);
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, "A.Test.", 7, &root), 0);
	assert_int_equal(blocklist_set_add(s, &n, 0), WARD_EINVAL);
	assert_int_equal(blocklist_set_add(s, &n, BL_BLOCK_EXACT), 0);
	assert_int_equal(blocklist_set_add(s, &n, BL_ALLOW_SUB), 0);
	assert_int_equal(blocklist_set_count(s), 1);     /* flags merged */
	assert_int_equal(flags_of(s, "a.test."), BL_BLOCK_EXACT | BL_ALLOW_SUB);
	blocklist_set_free(s);
}

/* 100k names: every one found, none of 100k others, with little memory
 * per name (each name is "nNNNNN.example.test", 21 wire octets). */
static void test_100k(void **state)
{
	(void)state;
	enum { N = 100000 };
	blocklist_set *s = blocklist_set_new(0xfeed);
	dns_name n, root;
	dns_name_root(&root);
	char buf[64];
	for (int i = 0; i < N; i++) {
		int l = snprintf(buf, sizeof buf, "n%06d.example.test", i);
		assert_int_equal(dns_name_from_text(&n, buf, (size_t)l, &root), 0);
		assert_int_equal(blocklist_set_add(s, &n, BL_BLOCK_SUB), 0);
	}
	blocklist_set_compact(s);
	assert_int_equal(blocklist_set_count(s), N);
	size_t per = blocklist_set_bytes(s) / N;
	/* 23 pool octets + 5 per slot at <= 3/4 load: well under dnsmasq's
	 * ~100 octets per address=/d/ or hosts entry */
	assert_true(per < 40);
	blocklist *b = one(s);
	unsigned hits = 0, misses = 0;
	for (int i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "www.n%06d.example.test.", i);
		hits += check(b, buf) == BL_BLOCKED;
		snprintf(buf, sizeof buf, "m%06d.example.test.", i);
		misses += check(b, buf) == BL_NONE;
	}
	assert_int_equal(hits, N);
	assert_int_equal(misses, N);
	blocklist_free(b);
}

/* ---- the engine ---- */

#define UP "203.0.113.2"

static const char *z_root =
	"$ORIGIN .\n$TTL 3600\n"
	". SOA ns.test. h.test. 1 3600 600 86400 300\n. NS ns.test.\n";
static const char *z_example =
	"$ORIGIN example.com.\n$TTL 3600\n"
	"@ SOA ns h 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.53\n"
	"www A 192.0.2.1\nads A 192.0.2.2\nok.ads A 192.0.2.3\n"
	"alias CNAME hop\nhop CNAME x.ads\nx.ads A 192.0.2.4\n"
	"alias2 CNAME x.ads\n";

struct fx {
	struct simnet *net;
	cache_t *cache;
	localdata *ld;
	blocklist *bl;
	res_engine *eng;
	uint64_t clock;
	struct sim_answer *ans;
	struct res_forwarder fw;
};

static void make_engine(struct fx *f, bool nxdomain)
{
	res_engine_free(f->eng);
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = sim_random;
	cfg.local = f->ld;
	cfg.blocklist = f->bl;
	cfg.blocklist_nxdomain = nxdomain;
	memset(&f->fw, 0, sizeof f->fw);
	dns_name_root(&f->fw.domain);
	simnet_addr(UP, &f->fw.addr);
	cfg.mode = RES_MODE_FORWARD;
	cfg.fwd = &f->fw;
	cfg.n_fwd = 1;
	f->eng = res_engine_new(&cfg, f->cache);
	assert_non_null(f->eng);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->net = simnet_new();
	assert_int_equal(simnet_add_zone(f->net, UP, z_root), 0);
	assert_int_equal(simnet_add_zone(f->net, UP, z_example), 0);
	simnet_set_flags(f->net, UP, SIM_RECURSOR);
	struct cache_config cc;
	cache_config_defaults(&cc);
	f->cache = cache_new(&cc);
	f->ld = localdata_new();
	uint8_t a[4] = { 192, 168, 1, 7 };
	assert_int_equal(localdata_add_host(f->ld, "local.ads.example.com",
	                                    AF_INET, a, false), 0);
	f->bl = blocklist_new(2);
	assert_null(blocklist_swap(f->bl, 0, parse("ads.example.com\n", false,
	                                           NULL)));
	assert_null(blocklist_swap(f->bl, 1, parse("ok.ads.example.com\n"
	                                           "0.0.0.0 alias2.example.com\n",
	                                           true, NULL)));
	make_engine(f, false);
	f->clock = 1700000000000ull;
	f->ans = calloc(1, sizeof *f->ans);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	res_engine_free(f->eng);
	cache_free(f->cache);
	localdata_free(f->ld);
	blocklist_free(f->bl);
	simnet_free(f->net);
	free(f->ans);
	free(f);
	return 0;
}

static void ask(struct fx *f, const char *name, uint16_t type, int edns,
                dns_msg *m)
{
	uint8_t q[512];
	size_t len = resq_build(q, sizeof q, name, type, DNS_C_IN, DNS_FLAG_RD,
	                        edns, false);
	assert_true(len > 0);
	assert_true(resq_run(f->net, f->eng, &f->clock, f->ans, q, len, m));
	assert_int_equal(m->id, 0x1234);
}

static void test_engine_null_mode(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	char text[128];
	ask(f, "x.ads.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_A), 1);
	assert_int_equal(resq_answer_a(&m), 0);
	assert_int_equal(resq_ttl(&m, DNS_SEC_ANSWER, DNS_T_A),
	                 BLOCKLIST_TTL_DEFAULT);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_BLOCKED);
	assert_true(m.flags & DNS_FLAG_AA);
	ask(f, "ads.example.com.", DNS_T_AAAA, 0, &m);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_AAAA), 1);
	ask(f, "ads.example.com.", DNS_T_MX, 0, &m);   /* NODATA */
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_BLOCKED);
	/* no EDNS in the query: no OPT, so no EDE */
	ask(f, "ads.example.com.", DNS_T_A, RESQ_NO_EDNS, &m);
	assert_int_equal(resq_ede(&m, text, sizeof text), 0xffff);
	assert_int_equal(resq_answer_a(&m), 0);
	/* nothing went upstream */
	assert_int_equal(simnet_log_count(f->net), 0);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.blocked, 4);
}

static void test_engine_nxdomain_mode(void **state)
{
	struct fx *f = *state;
	make_engine(f, true);
	dns_msg m;
	char text[128];
	ask(f, "ads.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NXDOMAIN);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, 0), 0);
	assert_int_equal(resq_count(&m, DNS_SEC_AUTHORITY, 0), 0);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_BLOCKED);
	assert_non_null(strstr(text, "blocklist"));
	assert_int_equal(simnet_log_count(f->net), 0);
}

static void test_engine_allow_local_and_swap(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	/* the allow-list: resolved upstream */
	ask(f, "ok.ads.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 3));
	assert_int_equal(simnet_log_count(f->net), 1);
	/* local data answers before the blocklists */
	ask(f, "local.ads.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 168, 1, 7));
	/* unlisted */
	ask(f, "www.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 1));
	/* a new list swapped in under the running engine: in force at once,
	 * even for a name already in the cache */
	blocklist_set_free(blocklist_swap(f->bl, 0, parse("www.example.com\n",
	                                                  false, NULL)));
	ask(f, "www.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), 0);
	ask(f, "ads.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 2));
}

/* A CNAME chain from upstream that reaches a blocked name is blocked
 * (Pi-hole's CNAME inspection), unless the name asked is allowed. */
static void test_engine_cname_inspection(void **state)
{
	struct fx *f = *state;
	dns_msg m;
	char text[128];
	ask(f, "alias.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(dns_msg_rcode(&m), DNS_RCODE_NOERROR);
	assert_int_equal(resq_answer_a(&m), 0);
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 0);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_BLOCKED);
	assert_true(simnet_log_count(f->net) >= 1); /* it was asked upstream */
	/* again, now from the cache: still blocked */
	ask(f, "alias.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), 0);
	assert_int_equal(resq_ede(&m, text, sizeof text), EDE_BLOCKED);
	/* the name asked is on the allow-list: the chain is followed */
	ask(f, "alias2.example.com.", DNS_T_A, 0, &m);
	assert_int_equal(resq_answer_a(&m), RESQ_IP(192, 0, 2, 4));
	assert_int_equal(resq_count(&m, DNS_SEC_ANSWER, DNS_T_CNAME), 1);
	struct res_stats st;
	res_get_stats(f->eng, &st);
	assert_int_equal(st.blocked, 2);
}

/* ---- configuration ---- */

static void test_conf_options(void **state)
{
	(void)state;
	ward_conf c;
	assert_int_equal(conf_init(&c, NULL), 0);
	const char *good =
		"blocklist=/etc/ward/ads.txt\n"
		"blocklist=http://127.0.0.1:8080/list.txt\n"
		"allowlist=HTTPS://example.test/allow\n"
		"blocklist-mode=nxdomain\n"
		"blocklist-refresh=2h\n"
		"blocklist-ttl=30\n";
	assert_int_equal(conf_load_buffer(&c, "good.conf", good, strlen(good)), 0);
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.blocklists.n, 2);
	assert_int_equal(c.allowlists.n, 1);
	assert_true(c.blocklist_nxdomain);
	assert_int_equal(c.blocklist_refresh, 7200);
	assert_int_equal(c.blocklist_ttl, 30);
	assert_true(setup_blocklist_is_url(c.blocklists.v[1].s));
	assert_true(setup_blocklist_is_url(c.allowlists.v[0].s));
	assert_false(setup_blocklist_is_url(c.blocklists.v[0].s));
	conf_free(&c);

	assert_int_equal(conf_init(&c, NULL), 0);
	const char *bad =
		"blocklist=ftp://example.test/x\n"
		"blocklist-mode=drop\n"
		"blocklist-refresh=soon\n"
		"blocklist=\n"
		"allowlist=http://\n"
		"blocklist-ttl=-1\n";
	assert_int_equal(conf_load_buffer(&c, "bad.conf", bad, strlen(bad)),
	                 WARD_ECONF);
	assert_int_equal(c.errors, 6);
	for (unsigned i = 0; i < 6; i++) {
		char loc[32];
		snprintf(loc, sizeof loc, "bad.conf:%u:", i + 1);
		assert_int_equal(strncmp(c.diags.v[i].text, loc, strlen(loc)), 0);
	}
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_parse_bad_lines),
		cmocka_unit_test(test_parse_diag_cap),
		cmocka_unit_test(test_parse_usable),
		cmocka_unit_test(test_suffix_and_exact),
		cmocka_unit_test(test_allow_wins),
		cmocka_unit_test(test_swap_and_empty),
		cmocka_unit_test(test_set_add_rules),
		cmocka_unit_test(test_100k),
		cmocka_unit_test_setup_teardown(test_engine_null_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_nxdomain_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_allow_local_and_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_cname_inspection, setup, teardown),
		cmocka_unit_test(test_conf_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
