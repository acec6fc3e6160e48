/* Test helper: a family of scenario files through the player (see
 * helper_rplcorpus.h). */
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

#define RPL_CORPUS_MAX 1024 /* scenario files read from the directory */

const char *rpl_corpus_dir(char *dir, size_t cap)
{
	const char *base = getenv("WARD_TESTDATA");
	snprintf(dir, cap, "%s/rpl/unbound", base ? base : "../shared/testdata");
	return dir;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void print_verdict(const char *name, const rpl_run *r)
{
	const char *why = rpl_run_reason(r);
	long at = -1;
	for (size_t k = 0; k < r->nsteps; k++)
		if (r->steps[k].verdict == RPL_V_FAIL ||
		    r->steps[k].verdict == RPL_V_UNSUPPORTED) {
			at = r->steps[k].number;
			break;
		}
	printf("%-44s %s", name,
	       r->outcome == RPL_OUT_PASS ? "PASS" :
	       r->outcome == RPL_OUT_FAIL ? "FAIL" : "ERROR");
	if (at >= 0)
		printf(" step %ld:", at);
	printf(" %.*s\n", (int)strcspn(why, "\n"), why);
}

int rpl_corpus_play(const char *prefix, struct rpl_tally *t)
{
	char dir[4096];
	rpl_corpus_dir(dir, sizeof dir);
	memset(t, 0, sizeof *t);
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char *names[RPL_CORPUS_MAX];
	size_t n = 0, plen = strlen(prefix);
	struct dirent *de;
	while ((de = readdir(d)) && n < RPL_CORPUS_MAX) {
		size_t l = strlen(de->d_name);
		if (!strncmp(de->d_name, prefix, plen) && l > 4 &&
		    !strcmp(de->d_name + l - 4, ".rpl"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	bool verbose = getenv("RPL_VERBOSE") != NULL;
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rpl_run *r = rpl_play_file(path, NULL);
		assert_non_null(r);
		if (r->outcome == RPL_OUT_PASS)
			t->pass++;
		else if (r->outcome == RPL_OUT_FAIL)
			t->fail++;
		else
			t->err++;
		if (verbose)
			print_verdict(names[i], r);
		rpl_run_free(r);
		free(names[i]);
	}
	t->n = n;
	return 0;
}
