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

#include "replay/player.h"
#include "replay/rpl.h"

#define VAL_PASS_FLOOR 136u /* of 157; raised as the validator learns more */

static const char *data_dir(char *dir, size_t cap)
{
	const char *base = getenv("WARD_TESTDATA");
	snprintf(dir, cap, "%s/rpl/unbound", base ? base : "../shared/testdata");
	return dir;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One secure and one bogus answer, checked by the scenario itself:
 * val_secds (AD expected) and val_nodata_failsig (SERVFAIL + EDE 6). */
static void test_val_known(void **state)
{
	(void)state;
	char dir[4096], path[8192];
	data_dir(dir, sizeof dir);
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
	char dir[4096];
	data_dir(dir, sizeof dir);
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
		if (!strncmp(de->d_name, "val_", 4) && l > 4 &&
		    !strcmp(de->d_name + l - 4, ".rpl"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	unsigned pass = 0, fail = 0, err = 0;
	bool verbose = getenv("RPL_VERBOSE") != NULL;
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rpl_run *r = rpl_play_file(path, NULL);
		assert_non_null(r);
		if (r->outcome == RPL_OUT_PASS)
			pass++;
		else if (r->outcome == RPL_OUT_FAIL)
			fail++;
		else
			err++;
		if (verbose) {
			const char *why = rpl_run_reason(r);
			printf("%-44s %s %.*s\n", names[i],
			       r->outcome == RPL_OUT_PASS ? "PASS" :
			       r->outcome == RPL_OUT_FAIL ? "FAIL" : "ERROR",
			       (int)strcspn(why, "\n"), why);
		}
		rpl_run_free(r);
		free(names[i]);
	}
	printf("rpl val_*: %zu scenarios: %u pass, %u fail, %u could not run\n",
	       n, pass, fail, err);
	assert_int_equal(err, 0);
	assert_true(pass >= VAL_PASS_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_val_known),
		cmocka_unit_test(test_rpl_val),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
