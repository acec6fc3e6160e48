/* Unbound's validator scenarios ($WARD_TESTDATA/rpl/unbound/val_*.rpl,
 * default ../shared/testdata) through the scenario player with the
 * engine's DNSSEC validation (the scenario's trust anchors switch it on,
 * replay/player_config.c). The pass count may not fall below
 * VAL_PASS_FLOOR; `RPL_VERBOSE=1` prints every scenario's verdict and
 * the first reason it failed (docs/dnssec.md lists the categories). Some
 * scenarios are also checked by name, so that a pass means what it
 * says: AD on the secure answer, SERVFAIL on the bogus one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "helper_rplcorpus.h"
#include "replay/player.h"
#include "replay/rpl.h"

/* of 157; raised as the validator learns more. 7 fail by choice
 * (docs/dnssec.md): 2 negative-answer NSEC TTLs, 5 EDE codes (12 where
 * Unbound gives 6, and 6 where it puts a scrubber's 0 first) */
#define VAL_PASS_FLOOR 150u

/* One secure and one bogus answer, checked by the scenario itself:
 * val_secds (AD expected) and val_nodata_failsig (SERVFAIL + EDE 6). */
static void test_val_known(void **state)
{
	(void)state;
	char dir[4096], path[8192];
	rpl_corpus_dir(dir, sizeof dir);
	DIR *d = opendir(dir);
	if (!d) {
		printf("SKIP: %s not found (set WARD_TESTDATA)\n", dir);
		skip();
		return;
	}
	closedir(d);
	static const char *const known[] = { "val_secds.rpl",
	                                     "val_nodata_failsig.rpl",
	                                     "val_nsec3_b1_nameerror.rpl",
	                                     /* DS answered from the NSEC of a
	                                      * referral + a cached SOA */
	                                     "val_negcache_dssoa.rpl",
	                                     /* a client's DS question is not
	                                      * redirected by a cached CNAME */
	                                     "val_unsec_cname.rpl",
	                                     /* CNAME questions under a DNAME
	                                      * (RFC 6672 §3.2-3.4); a CNAME
	                                      * question answered NXDOMAIN for
	                                      * its target: the target asked
	                                      * (RFC 6604 §3); the target's
	                                      * NXDOMAIN from cached NSECs
	                                      * (RFC 8198) */
	                                     "val_cnameqtype.rpl",
	                                     "val_cnameqtype_qmin.rpl",
	                                     /* DNAME questions below a cached
	                                      * DNAME; the proof from NSECs the
	                                      * CNAME's response validated */
	                                     "val_dnameqtype.rpl",
	                                     "val_dnameqtype_qmin.rpl",
	                                     /* RD=0: a validated referral
	                                      * from the cache, unsigned
	                                      * addresses left out */
	                                     "val_referd.rpl",
	                                     "val_refer_unsignadd.rpl",
	                                     /* and a CD answer validated all
	                                      * the same: no unsigned glue */
	                                     "val_referglue.rpl",
	                                     /* a forwarder's NODATA with the
	                                      * zone's NS set, no SOA; the
	                                      * opt-out span of the CNAME's
	                                      * response proves it insecure */
	                                     "val_cnametooptout.rpl" };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, known[i]);
		rpl_run *r = rpl_play_file(path, NULL);
		assert_non_null(r);
		if (r->outcome != RPL_OUT_PASS)
			fail_msg("%s: %s", known[i], rpl_run_reason(r));
		assert_true(r->checks > 0);
		assert_int_equal(r->failed, 0);
		rpl_run_free(r);
	}
}

/* qtype ANY (resolver/engine_any.c): the seven ANY scenarios pass —
 * every RRset validated (val_any, val_any_cap: the first 24 RRsets),
 * a CNAME answering ANY (val_any_cname), a DNAME at the name with an
 * SRV in additional (val_any_dname), ANY asked upstream although an
 * NSEC of the name is cached (val_any_negcache, aggressive NSEC), a
 * wildcard ANY proven by NSEC3 (insecure: its iterations) and the same
 * without the proof (SERVFAIL). */
static void test_val_any(void **state)
{
	(void)state;
	char dir[4096], path[8192];
	rpl_corpus_dir(dir, sizeof dir);
	DIR *d = opendir(dir);
	if (!d) {
		printf("SKIP: %s not found (set WARD_TESTDATA)\n", dir);
		skip();
		return;
	}
	closedir(d);
	static const char *const any[] = { "val_any.rpl", "val_any_cap.rpl",
	                                   "val_any_cname.rpl",
	                                   "val_any_dname.rpl",
	                                   "val_any_negcache.rpl",
	                                   "val_nsec3_wcany.rpl",
	                                   "val_nsec3_wcany_nodeny.rpl" };
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, any[i]);
		rpl_run *r = rpl_play_file(path, NULL);
		assert_non_null(r);
		if (r->outcome != RPL_OUT_PASS)
			fail_msg("%s: %s", any[i], rpl_run_reason(r));
		assert_true(r->checks > 0);
		assert_int_equal(r->failed, 0);
		rpl_run_free(r);
	}
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *t = calloc(1, 1 << 20);
	assert_non_null(t);
	size_t len = fread(t, 1, (1 << 20) - 1, f);
	fclose(f);
	t[len] = 0;
	return t;
}

/* Replace the first `from` in *t (heap, NUL-terminated) by `to`. */
static void text_replace(char **t, const char *from, const char *to)
{
	char *at = strstr(*t, from);
	assert_non_null(at);
	size_t pre = (size_t)(at - *t), fl = strlen(from), tl = strlen(to);
	size_t rest = strlen(at + fl);
	char *n = malloc(pre + tl + rest + 1);
	assert_non_null(n);
	memcpy(n, *t, pre);
	memcpy(n + pre, to, tl);
	memcpy(n + pre + tl, at + fl, rest + 1);
	free(*t);
	*t = n;
}

/* An opt-out NSEC3 span carried by a CNAME's response proves the CNAME
 * target's zone an unsigned delegation (RFC 5155 §8.9), without a DS
 * lookup: val_cnametooptout (checked by name with the forwarder's bare
 * NS-only NODATA) played here with that NODATA given an (unsigned) SOA.
 * The answer: NOERROR without AD, the NSEC3 proof in the authority
 * section, no DS query (the scenario has no answer for one). */
static void test_val_optout_from_cname(void **state)
{
	(void)state;
	char dir[4096], path[8192];
	rpl_corpus_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/val_cnametooptout.rpl", dir);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("SKIP: %s not found (set WARD_TESTDATA)\n", path);
		skip();
		return;
	}
	char *t = calloc(1, 1 << 20);
	assert_non_null(t);
	size_t len = fread(t, 1, (1 << 20) - 1, f);
	fclose(f);
	t[len] = 0;
	static const char soa[] = "content.hud.gov. 3600 IN SOA ns.content.hud.gov. "
	                          "h.content.hud.gov. 1 2 3 4 5\n";
	char from[128], to[256];
	snprintf(from, sizeof from, "www.content.hud.gov. IN AAAA\nSECTION ANSWER\n"
	         "SECTION AUTHORITY\n");
	snprintf(to, sizeof to, "%s%s", from, soa);
	text_replace(&t, from, to); /* the forwarder's NODATA */
	const char *exp = strstr(t, "STEP 10 CHECK_ANSWER");
	assert_non_null(exp);
	char *tail = strdup(exp);
	assert_non_null(tail);
	t[exp - t] = 0;
	static const char ns1[] = "content.hud.gov.        86400   IN      NS      "
	                          "drfswitch.hud.gov.\n";
	static const char ns2[] = "content.hud.gov.        86400   IN      NS      "
	                          "lanswitch.hud.gov.\n";
	text_replace(&tail, ns1, soa); /* the expected answer: SOA, not NS */
	text_replace(&tail, ns2, "");
	size_t hl = strlen(t), tl2 = strlen(tail);
	char *all = malloc(hl + tl2 + 1);
	assert_non_null(all);
	memcpy(all, t, hl);
	memcpy(all + hl, tail, tl2 + 1);
	rpl_error err;
	rpl_scenario *sc = rpl_load_buffer(all, hl + tl2, "cnametooptout-soa", &err);
	assert_non_null(sc);
	rpl_run *r = rpl_play(sc, NULL);
	assert_non_null(r);
	if (r->outcome != RPL_OUT_PASS)
		fail_msg("%s", rpl_run_reason(r));
	assert_int_equal(r->checks, 1);
	rpl_run_free(r);
	rpl_free(sc);
	free(all);
	free(tail);
	free(t);
}

/* val_any.rpl with `deny-any: yes` (RFC 8482 §4.2): the check fails,
 * the answer (the synthesised HINFO) has none of the zone's RRsets and
 * no AD. */
static void test_val_any_denied(void **state)
{
	(void)state;
	char dir[4096], path[8192];
	rpl_corpus_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/val_any.rpl", dir);
	char *t = read_text(path);
	if (!t) {
		printf("SKIP: %s not found (set WARD_TESTDATA)\n", path);
		skip();
		return;
	}
	text_replace(&t, "server:\n", "server:\n\tdeny-any: yes\n");
	rpl_error err;
	rpl_scenario *sc = rpl_load_buffer(t, strlen(t), "any-denied", &err);
	assert_non_null(sc);
	rpl_run *r = rpl_play(sc, NULL);
	assert_non_null(r);
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	bool denied = false;
	for (size_t k = 0; k < r->nsteps; k++)
		if (r->steps[k].number == 10 && r->steps[k].verdict == RPL_V_FAIL)
			denied = strstr(r->steps[k].msg, "got qr rd ra\n") &&
			         strstr(r->steps[k].msg, "ANSWER: missing");
	if (!denied)
		fail_msg("%s", rpl_run_reason(r));
	rpl_run_free(r);
	rpl_free(sc);
	free(t);
}

static void test_rpl_val(void **state)
{
	(void)state;
	struct rpl_tally t;
	if (rpl_corpus_play("val_", &t) < 0) {
		char dir[4096];
		printf("SKIP: %s not found (set WARD_TESTDATA)\n",
		       rpl_corpus_dir(dir, sizeof dir));
		skip();
		return;
	}
	printf("rpl val_*: %zu scenarios: %u pass, %u fail, %u could not run\n",
	       t.n, t.pass, t.fail, t.err);
	assert_int_equal(t.err, 0);
	assert_true(t.pass >= VAL_PASS_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_val_known),
		cmocka_unit_test(test_val_optout_from_cname),
		cmocka_unit_test(test_val_any),
		cmocka_unit_test(test_val_any_denied),
		cmocka_unit_test(test_rpl_val),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
