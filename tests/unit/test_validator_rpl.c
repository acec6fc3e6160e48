/* Unbound's validator scenarios ($WARD_TESTDATA/rpl/unbound/val_*.rpl,
 * default ../shared/testdata) through the scenario player with the
 * engine's DNSSEC validation (the scenario's trust anchors switch it on,
 * replay/player_config.c). The pass count may not fall below
 * VAL_PASS_FLOOR; `RPL_VERBOSE=1` prints every scenario's verdict and
 * the first reason it failed (docs/dnssec.md lists the categories). One
 * scenario is also checked step by step, so that a pass means what it
 * says: AD on the secure answer, SERVFAIL on the bogus one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "helper_rplcorpus.h"
#include "replay/player.h"
#include "replay/rpl.h"

#define VAL_PASS_FLOOR 136u /* of 157; raised as the validator learns more */

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
	                                     "val_nsec3_b1_nameerror.rpl" };
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
		cmocka_unit_test(test_rpl_val),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
