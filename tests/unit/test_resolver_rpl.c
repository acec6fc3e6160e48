/* Scenario player: runs Unbound testbound iterator scenarios
 * ($WARD_TESTDATA/rpl/unbound/iter_*.rpl, default ../shared/testdata)
 * through the resolver engine. The scenario's RANGE entries play every
 * server (replies are instant); QUERY steps start client queries,
 * CHECK_ANSWER steps compare the engine's answers, TIME_PASSES moves the
 * virtual clock. Scenarios using steps the player does not support yet
 * (CHECK_OUT_QUERY, REPLY, TIMEOUT, ERROR, autotrust, ...) are skipped.
 * Reports pass counts; asserts that no scenario crashes the engine and
 * that the pass count does not fall below what it was when written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "codec/strbuf.h"
#include "helper_simnet.h"
#include "replay/rpl.h"
#include "resolver/engine.h"

#define RPL_PASS_FLOOR 17u /* raised as the engine learns more */
#define MAX_PENDING_ANSWERS 64

struct player {
	const rpl_scenario *s;
	res_engine *e;
	uint64_t clock;
	long step;
	uint8_t *ans[MAX_PENDING_ANSWERS];
	size_t alen[MAX_PENDING_ANSWERS];
	size_t nans;
};

static void to_res_addr(const rpl_addr *a, struct res_addr *r)
{
	memset(r, 0, sizeof(*r));
	r->family = a->family;
	memcpy(r->ip, a->ip, 16);
	r->port = a->port ? a->port : 53;
}

static void pump(struct player *p)
{
	static uint8_t out[65535];
	for (unsigned guard = 0; guard < 10000; guard++) {
		struct res_action a;
		bool any = false;
		while (res_next_action(p->e, p->clock, &a) == 1) {
			any = true;
			if (a.kind == RES_ACT_ANSWER) {
				if (p->nans < MAX_PENDING_ANSWERS) {
					p->ans[p->nans] = malloc(a.len);
					memcpy(p->ans[p->nans], a.buf, a.len);
					p->alen[p->nans++] = a.len;
				}
				continue;
			}
			rpl_addr dst;
			memset(&dst, 0, sizeof(dst));
			dst.family = a.dst.family;
			memcpy(dst.ip, a.dst.ip, 16);
			dst.port = a.dst.port;
			size_t olen = 0;
			uint8_t q[65535];
			size_t qlen = a.len < sizeof(q) ? a.len : sizeof(q);
			memcpy(q, a.buf, qlen);
			struct res_addr from = a.dst;
			uint32_t token = a.token;
			bool tcp = a.tcp;
			if (rpl_match_reply(p->s, p->step, &dst,
			                    tcp ? RPL_TRANSPORT_TCP : RPL_TRANSPORT_UDP,
			                    q, qlen, out, sizeof(out), &olen) == 0 &&
			    olen)
				res_upstream_reply(p->e, token, &from, tcp, out, olen,
				                   p->clock);
		}
		if (any)
			continue;
		if (p->nans)
			return;
		uint64_t w = res_next_wakeup(p->e);
		if (w == UINT64_MAX)
			return;
		if (w > p->clock)
			p->clock = w;
		res_tick(p->e, p->clock);
	}
}

static bool supported(const rpl_scenario *s)
{
	for (size_t i = 0; i < s->nsteps; i++)
		switch (s->steps[i].type) {
		case RPL_STEP_QUERY: case RPL_STEP_CHECK_ANSWER:
		case RPL_STEP_TIME_PASSES: case RPL_STEP_NOTHING:
		case RPL_STEP_TRAFFIC:
			if (s->steps[i].type == RPL_STEP_TIME_PASSES && s->steps[i].eval)
				return false;
			break;
		default:
			return false;
		}
	return true;
}

/* 1 pass, 0 fail, -1 skipped */
static int play(const rpl_scenario *s, char *why, size_t whylen)
{
	if (!supported(s)) {
		snprintf(why, whylen, "unsupported step type");
		return -1;
	}
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = sim_random;
	cfg.max_clients = 64;
	struct res_hint hints[RES_MAX_SERVERS];
	struct res_forwarder fw[RES_MAX_SERVERS];
	size_t nh = 0, nf = 0;
	for (size_t z = 0; z < s->config.nzones; z++) {
		const rpl_zone_cfg *zc = &s->config.zones[z];
		for (size_t i = 0; i < zc->naddrs; i++) {
			if (zc->forward && nf < RES_MAX_SERVERS) {
				fw[nf].domain = zc->name;
				fw[nf].local_only = false;
				to_res_addr(&zc->addrs[i], &fw[nf++].addr);
			} else if (!zc->forward && zc->name.len == 1 &&
			           nh < RES_MAX_SERVERS) {
				dns_name_root(&hints[nh].name);
				to_res_addr(&zc->addrs[i], &hints[nh++].addr);
			}
		}
	}
	if (nf) {
		cfg.mode = RES_MODE_FORWARD;
		cfg.fwd = fw;
		cfg.n_fwd = nf;
	} else if (nh) {
		cfg.hints = hints;
		cfg.n_hints = nh;
	} else {
		snprintf(why, whylen, "no root stub or forwarder");
		return -1;
	}
	if (s->config.qname_minimisation == 1 ||
	    rpl_config_bool(&s->config, "qname-minimisation", 0))
		cfg.qname_minimisation = true;
	struct cache_config cc;
	cache_config_defaults(&cc);
	cache_t *cache = cache_new(&cc);
	struct player p;
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.e = res_engine_new(&cfg, cache);
	p.clock = (s->config.have_date ? (uint64_t)s->config.date : 1700000000) * 1000;
	int result = 1;
	for (size_t i = 0; i < s->nsteps && result == 1; i++) {
		const rpl_step *st = &s->steps[i];
		p.step = st->number;
		switch (st->type) {
		case RPL_STEP_QUERY: {
			const uint8_t *b;
			size_t l;
			rpl_packet_bytes(&st->entry->pkts[0], &b, &l);
			res_query_start(p.e, (uint64_t)st->number, b, l, false, p.clock);
			break;
		}
		case RPL_STEP_CHECK_ANSWER: {
			pump(&p);
			if (!p.nans) {
				snprintf(why, whylen, "step %ld: no answer", st->number);
				result = 0;
				break;
			}
			char d[2048];
			strbuf sb = strbuf_init(d, sizeof(d));
			if (rpl_check_answer(st->entry, p.ans[0], p.alen[0], &sb) != 0) {
				snprintf(why, whylen, "step %ld: %.*s", st->number,
				         (int)(sb.len > 300 ? 300 : sb.len), d);
				result = 0;
			}
			free(p.ans[0]);
			memmove(p.ans, p.ans + 1, (p.nans - 1) * sizeof(p.ans[0]));
			memmove(p.alen, p.alen + 1, (p.nans - 1) * sizeof(p.alen[0]));
			p.nans--;
			break;
		}
		case RPL_STEP_TIME_PASSES:
			p.clock += (uint64_t)(st->elapse_us / 1000);
			res_tick(p.e, p.clock);
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < p.nans; i++)
		free(p.ans[i]);
	res_engine_free(p.e);
	cache_free(cache);
	return result;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_rpl_iter(void **state)
{
	(void)state;
	const char *base = getenv("WARD_TESTDATA");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/rpl/unbound",
	         base ? base : "../shared/testdata");
	DIR *d = opendir(dir);
	if (!d) {
		printf("SKIP: %s not found (set WARD_TESTDATA)\n", dir);
		skip();
		return;
	}
	char *names[1024];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 1024) {
		size_t l = strlen(de->d_name);
		if (!strncmp(de->d_name, "iter_", 5) && l > 4 &&
		    !strcmp(de->d_name + l - 4, ".rpl"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	unsigned pass = 0, fail = 0, skipped = 0, loaderr = 0;
	bool verbose = getenv("RPL_VERBOSE") != NULL;
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rpl_error err;
		rpl_scenario *s = rpl_load_file(path, &err);
		char why[512] = "";
		int r;
		if (!s) {
			loaderr++;
			r = -2;
			snprintf(why, sizeof(why), "%s", err.msg);
		} else {
			r = play(s, why, sizeof(why));
			rpl_free(s);
		}
		if (r == 1)
			pass++;
		else if (r == 0)
			fail++;
		else if (r == -1)
			skipped++;
		if (verbose)
			printf("%-40s %s %s\n", names[i],
			       r == 1 ? "PASS" : r == 0 ? "FAIL" : "SKIP", why);
		free(names[i]);
	}
	printf("rpl iter_*: %zu scenarios: %u pass, %u fail, %u skipped "
	       "(unsupported steps), %u not loadable\n",
	       n, pass, fail, skipped, loaderr);
	assert_true(pass >= RPL_PASS_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpl_iter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
