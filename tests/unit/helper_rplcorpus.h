/* Test helper: play a whole family of Unbound's scenario files
 * ($WARD_TESTDATA/rpl/unbound/PREFIX*.rpl, default ../shared/testdata)
 * through the scenario player and count the outcomes. Shared by the
 * iterator and validator scenario tests. */
#ifndef WARD_TEST_HELPER_RPLCORPUS_H
#define WARD_TEST_HELPER_RPLCORPUS_H

#include <stddef.h>

struct rpl_tally {
	size_t n;                 /* scenarios played */
	unsigned pass, fail, err; /* err: could not be run */
};

/* The scenario directory into dir (cap bytes); returns dir. */
const char *rpl_corpus_dir(char *dir, size_t cap);

/* Play every PREFIX*.rpl file of the directory in name order into *t;
 * with RPL_VERBOSE set, print each verdict and the first failing step.
 * Returns 0, or -1 when the directory cannot be opened (the caller
 * skips). */
int rpl_corpus_play(const char *prefix, struct rpl_tally *t);

#endif
