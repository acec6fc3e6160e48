/* ward replay: the scenario player. Runs a loaded .rpl scenario against a
 * fresh resolver engine (resolver/engine.h) with a simulated network and a
 * virtual clock: QUERY steps are client queries, the scenario's RANGE
 * entries play every upstream server, CHECK_ANSWER compares the engine's
 * answers, CHECK_OUT_QUERY its upstream queries, REPLY / TIMEOUT / ERROR
 * settle an outstanding upstream query, TIME_PASSES moves the clock. No
 * packet leaves the process. Used by `ward replay --rpl` and the unit
 * tests; docs/replay.md describes the semantics. */
#ifndef WARD_RPL_PLAYER_H
#define WARD_RPL_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/rpl.h"

#define RPL_PLAY_MSG_MAX 1024        /* text kept per step result */
#define RPL_PLAY_PENDING_MAX 64      /* upstream queries outstanding at once */
#define RPL_PLAY_ANSWERS_MAX 64      /* client answers not yet checked */
#define RPL_PLAY_PUMP_MAX 20000      /* actions handled per step (loop bound) */
#define RPL_PLAY_WAIT_ROUNDS 64      /* timeouts waited for one CHECK_ANSWER */
#define RPL_PLAY_START_TIME 1700000000 /* clock (s) when the scenario has no date */

/* What happened at one step. */
enum rpl_verdict {
	RPL_V_DONE = 0,        /* executed, nothing to check (QUERY, TIME_PASSES) */
	RPL_V_PASS,            /* a check that held */
	RPL_V_FAIL,            /* a check that did not hold */
	RPL_V_UNSUPPORTED,     /* a step type the player cannot run */
};

typedef struct rpl_step_result {
	long number;
	enum rpl_step_type type;
	enum rpl_verdict verdict;
	char msg[RPL_PLAY_MSG_MAX]; /* why it failed / what was skipped; "" */
} rpl_step_result;

/* Outcome of a whole scenario. */
enum rpl_outcome {
	RPL_OUT_PASS = 0,      /* every check held, no step unsupported */
	RPL_OUT_FAIL = 1,      /* a check failed or a step was unsupported */
	RPL_OUT_ERROR = 2,     /* could not be run (load error, no servers) */
};

typedef struct rpl_run {
	const char *name;            /* the scenario's file name (copy) */
	enum rpl_outcome outcome;
	rpl_step_result *steps;      /* one per scenario step, in order */
	size_t nsteps;
	unsigned checks, passed, failed, unsupported;
	char error[RPL_ERRMSG_MAX];  /* RPL_OUT_ERROR: why */
	/* configuration options the player did not apply (key names, one
	 * per line; "" when none) */
	char ignored[RPL_ERRMSG_MAX];
	uint64_t upstream_sent;      /* upstream queries the engine sent */
} rpl_run;

typedef struct rpl_play_opts {
	/* stop at the first failed check (the remaining steps are not run) */
	bool stop_at_fail;
	/* when not NULL: one line per upstream query, reply, timeout and
	 * client answer, for following a scenario by hand */
	FILE *trace;
	/* diagnosis without a validator: where the expected answer has AD=1,
	 * set it in the engine's answer before comparing, so that what else
	 * differs shows (never for the pass count of the test suite) */
	bool assume_ad;
} rpl_play_opts;

/* Run a loaded scenario. Returns a run (free with rpl_run_free) or NULL
 * when out of memory. opts may be NULL. */
rpl_run *rpl_play(const rpl_scenario *s, const rpl_play_opts *opts);
/* Load and run a file; a load error gives a run with RPL_OUT_ERROR. */
rpl_run *rpl_play_file(const char *path, const rpl_play_opts *opts);
void rpl_run_free(rpl_run *r);

/* "pass", "fail", "unsupported", "done" */
const char *rpl_verdict_name(enum rpl_verdict v);

/* The first failed or unsupported step's message (or the error), "" when
 * the run passed. */
const char *rpl_run_reason(const rpl_run *r);

#endif
