/* Scenario player (replay/player.h): small inline scenarios for each step
 * type, then Unbound's testbound iterator scenarios
 * ($WARD_TESTDATA/rpl/unbound/iter_*.rpl, default ../shared/testdata)
 * through the resolver engine. The pass count may not fall below
 * RPL_PASS_FLOOR; `RPL_VERBOSE=1` prints every scenario's verdict and the
 * first reason it failed (docs/replay.md lists them). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helper_rplcorpus.h"
#include "replay/player.h"
#include "replay/rpl.h"

#define RPL_PASS_FLOOR 103u /* raised as the engine learns more */

/* A root server that refers com. to a server answering www.example.com. */
static const char net_part[] =
	"server:\n\tqname-minimisation: no\n"
	"stub-zone:\n\tname: \".\"\n\tstub-addr: 193.0.14.129\n"
	"CONFIG_END\n"
	"SCENARIO_BEGIN inline\n"
	"RANGE_BEGIN 0 100\n\tADDRESS 193.0.14.129\n"
	"ENTRY_BEGIN\nMATCH opcode qtype qname\nADJUST copy_id\n" /* priming */
	"REPLY QR AA NOERROR\nSECTION QUESTION\n. IN NS\nSECTION ANSWER\n"
	". IN NS k.root-servers.net.\nSECTION ADDITIONAL\n"
	"k.root-servers.net. IN A 193.0.14.129\nENTRY_END\n"
	"ENTRY_BEGIN\nMATCH opcode subdomain\nADJUST copy_id copy_query\n"
	"REPLY QR NOERROR\nSECTION QUESTION\ncom. IN A\n"
	"SECTION AUTHORITY\ncom. IN NS a.gtld-servers.net.\n"
	"SECTION ADDITIONAL\na.gtld-servers.net. IN A 192.5.6.30\n"
	"ENTRY_END\nRANGE_END\n";

static const char query_step[] =
	"STEP 1 QUERY\nENTRY_BEGIN\nREPLY RD\nSECTION QUESTION\n"
	"www.example.com. IN A\nENTRY_END\n";

static rpl_run *play_text(const char *tail)
{
	char buf[8192];
	snprintf(buf, sizeof(buf), "%s%s%sSCENARIO_END\n", net_part, query_step,
	         tail);
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer(buf, strlen(buf), "inline.rpl", &err);
	if (!s)
		fprintf(stderr, "%s\n", err.msg);
	assert_non_null(s);
	rpl_run *r = rpl_play(s, NULL);
	rpl_free(s);
	assert_non_null(r);
	return r;
}

static const char answer_ok[] =
	"STEP 20 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\nREPLY QR RD RA NOERROR\n"
	"SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\n"
	"www.example.com. IN A 10.20.30.40\nENTRY_END\n";

/* CHECK_OUT_QUERY sees the query to the com. server; REPLY answers it. */
static void test_out_query_and_reply(void **state)
{
	(void)state;
	rpl_run *r = play_text(
		"STEP 10 CHECK_OUT_QUERY ADDRESS 192.5.6.30\nENTRY_BEGIN\n"
		"MATCH qname qtype opcode\nSECTION QUESTION\n"
		"www.example.com. IN A\nENTRY_END\n"
		"STEP 11 REPLY\nENTRY_BEGIN\nADJUST copy_id\nREPLY QR AA NOERROR\n"
		"SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\n"
		"www.example.com. IN A 10.20.30.40\nENTRY_END\n");
	rpl_run *bad;
	(void)bad;
	assert_int_equal(r->nsteps, 3);
	assert_int_equal(r->steps[1].verdict, RPL_V_PASS);
	assert_int_equal(r->steps[2].verdict, RPL_V_PASS);
	assert_int_equal(r->outcome, RPL_OUT_PASS);
	assert_int_equal(r->checks, 2);
	rpl_run_free(r);
	/* the answer checked too, and a wrong expectation fails */
	r = play_text(
		"STEP 11 REPLY\nENTRY_BEGIN\nADJUST copy_id\nREPLY QR AA NOERROR\n"
		"SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\n"
		"www.example.com. IN A 10.20.30.41\nENTRY_END\n"
		"STEP 20 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\nREPLY QR RD RA NOERROR\n"
		"SECTION QUESTION\nwww.example.com. IN A\nSECTION ANSWER\n"
		"www.example.com. IN A 10.20.30.40\nENTRY_END\n");
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	assert_int_equal(r->steps[2].verdict, RPL_V_FAIL);
	assert_non_null(strstr(r->steps[2].msg, "10.20.30.40"));
	rpl_run_free(r);
}

/* A CHECK_OUT_QUERY for a query never sent fails. */
static void test_out_query_mismatch(void **state)
{
	(void)state;
	rpl_run *r = play_text(
		"STEP 10 CHECK_OUT_QUERY\nENTRY_BEGIN\nMATCH qname qtype\n"
		"SECTION QUESTION\nmail.example.com. IN MX\nENTRY_END\n");
	assert_int_equal(r->steps[1].verdict, RPL_V_FAIL);
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	rpl_run_free(r);
}

/* Every server times out: the client gets SERVFAIL. */
static void test_timeouts(void **state)
{
	(void)state;
	rpl_run *r = play_text(
		"STEP 11 TIMEOUT\nSTEP 12 TIMEOUT\nSTEP 13 ERROR\n"
		"STEP 20 CHECK_ANSWER\nENTRY_BEGIN\nMATCH opcode rcode flags\n"
		"REPLY QR RD RA SERVFAIL\nSECTION QUESTION\n"
		"www.example.com. IN A\nENTRY_END\n");
	assert_int_equal(r->steps[4].verdict, RPL_V_PASS);
	assert_int_equal(r->outcome, RPL_OUT_PASS);
	rpl_run_free(r);
	/* and the answer a REPLY would have given is not there */
	r = play_text("STEP 11 TIMEOUT\nSTEP 12 TIMEOUT\nSTEP 13 TIMEOUT\n"
	              "STEP 14 TIMEOUT\n" "STEP 20 CHECK_ANSWER\nENTRY_BEGIN\n"
	              "MATCH all\nREPLY QR RD RA NOERROR\nSECTION QUESTION\n"
	              "www.example.com. IN A\nSECTION ANSWER\n"
	              "www.example.com. IN A 10.20.30.40\nENTRY_END\n");
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	rpl_run_free(r);
	(void)answer_ok;
}

/* Steps the player cannot run are reported, never passed. */
static void test_unsupported(void **state)
{
	(void)state;
	rpl_run *r = play_text("STEP 5 TIME_PASSES EVAL ${$t0 + 10}\n");
	assert_int_equal(r->steps[1].verdict, RPL_V_UNSUPPORTED);
	assert_int_equal(r->unsupported, 1);
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	rpl_run_free(r);
	/* options the player does not apply are named, once */
	const char *cfg = "server:\n\tharden-referral-path: yes\n"
	                  "\tharden-referral-path: yes\n\tminimal-responses: no\n"
	                  "CONFIG_END\nSCENARIO_BEGIN x\nSCENARIO_END\n";
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer(cfg, strlen(cfg), "cfg.rpl", &err);
	assert_non_null(s);
	r = rpl_play(s, NULL);
	rpl_free(s);
	assert_non_null(r);
	assert_string_equal(r->ignored, "harden-referral-path");
	assert_int_equal(r->outcome, RPL_OUT_PASS);
	rpl_run_free(r);
	r = rpl_play_file("/nonexistent/x.rpl", NULL);
	assert_non_null(r);
	assert_int_equal(r->outcome, RPL_OUT_ERROR);
	rpl_run_free(r);
}

/* Deckard's dialect: flat configuration (stub-addr, query-minimization),
 * entries without MATCH/ADJUST (Deckard's defaults). */
static rpl_run *play_deckard(const char *addr)
{
	char buf[4096];
	snprintf(buf, sizeof(buf),
	         "\tquery-minimization: off\n\tstub-addr: 193.0.14.129\n"
	         "CONFIG_END\nSCENARIO_BEGIN deckard player\n"
	         "RANGE_BEGIN 0 100\n\tADDRESS 193.0.14.129\n"
	         "ENTRY_BEGIN\nREPLY QR AA NOERROR\nSECTION QUESTION\n. IN NS\n"
	         "SECTION ANSWER\n. IN NS k.root-servers.net.\n"
	         "SECTION ADDITIONAL\nk.root-servers.net. IN A 193.0.14.129\n"
	         "ENTRY_END\n"
	         "ENTRY_BEGIN\nREPLY QR AA NOERROR\nSECTION QUESTION\n"
	         "www.example. IN A\nSECTION ANSWER\nwww.example. IN A 192.0.2.7\n"
	         "ENTRY_END\nRANGE_END\n"
	         "STEP 1 QUERY\nENTRY_BEGIN\nREPLY RD\nSECTION QUESTION\n"
	         "www.example. IN A\nENTRY_END\n"
	         "STEP 2 CHECK_ANSWER\nENTRY_BEGIN\nMATCH all\n"
	         "REPLY QR RD RA NOERROR\nSECTION QUESTION\nwww.example. IN A\n"
	         "SECTION ANSWER\nwww.example. IN A %s\nENTRY_END\n"
	         "SCENARIO_END\n", addr);
	rpl_error err;
	rpl_scenario *s = rpl_load_buffer(buf, strlen(buf), "deckard.rpl", &err);
	if (!s)
		fprintf(stderr, "%s\n", err.msg);
	assert_non_null(s);
	assert_int_equal(s->dialect, RPL_DIALECT_DECKARD);
	rpl_run *r = rpl_play(s, NULL);
	rpl_free(s);
	assert_non_null(r);
	return r;
}

static void test_deckard(void **state)
{
	(void)state;
	rpl_run *r = play_deckard("192.0.2.7");
	assert_int_equal(r->outcome, RPL_OUT_PASS);
	assert_int_equal(r->passed, 1);
	rpl_run_free(r);
	r = play_deckard("192.0.2.8");
	assert_int_equal(r->outcome, RPL_OUT_FAIL);
	rpl_run_free(r);
}

static void test_rpl_iter(void **state)
{
	(void)state;
	struct rpl_tally t;
	if (rpl_corpus_play("iter_", &t) < 0) {
		char dir[4096];
		printf("SKIP: %s not found (set WARD_TESTDATA)\n",
		       rpl_corpus_dir(dir, sizeof dir));
		skip();
		return;
	}
	printf("rpl iter_*: %zu scenarios: %u pass, %u fail, %u could not run\n",
	       t.n, t.pass, t.fail, t.err);
	assert_int_equal(t.err, 0);
	assert_true(t.pass >= RPL_PASS_FLOOR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_query_and_reply),
		cmocka_unit_test(test_out_query_mismatch),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_deckard),
		cmocka_unit_test(test_rpl_iter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
