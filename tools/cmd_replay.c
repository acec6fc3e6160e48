/* ward replay --rpl: run testbound / Deckard scenario files through the
 * resolver engine on a simulated network and a virtual clock (the player of
 * replay/player.h, the same code the test suite runs).
 *
 *   ward replay --rpl [--json] [--quiet] [--stop] FILE...
 *   ward replay --pcap FILE --to SERVER[#PORT] ...  (tools/replay_pcap.c)
 *
 * Exit status: 0 every check of every file passed, 1 a check failed (or a
 * step the player cannot run), 2 a file could not be run or bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "replay/player.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ward replay --rpl [--json] [--quiet] [--stop] [--trace] [--assume-ad] FILE...\n"
	        "       ward replay --pcap FILE --to SERVER[#PORT] [options]  (ward replay --pcap --help)\n"
	        "\n"
	        "Plays .rpl scenario files (Unbound testbound or Deckard dialect)\n"
	        "against ward's resolver engine: the scenario's RANGE entries are\n"
	        "the only servers, time is virtual, no packet leaves the process.\n"
	        "Prints every step's verdict (pass, fail, unsupported, done) and a\n"
	        "summary.\n"
	        "  --rpl    the files are scenario files (the only mode so far)\n"
	        "  --json   one JSON object: files, their steps, a summary\n"
	        "  --quiet  only failed or unsupported steps and the summary\n"
	        "  --stop   stop a file at its first failed check\n"
	        "  --trace  every upstream query, reply, timeout and answer on\n"
	        "           standard error\n"
	        "  --assume-ad  set AD in answers where the check expects it\n"
	        "           (to see what else differs while ward has no validator)\n"
	        "Exit status: 0 every check passed, 1 a check failed or a step\n"
	        "is unsupported, 2 a file could not be run or bad usage.\n");
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static const char *outcome_name(enum rpl_outcome o)
{
	return o == RPL_OUT_PASS ? "pass" : o == RPL_OUT_FAIL ? "fail" : "error";
}

static void print_text(const rpl_run *r, bool quiet)
{
	for (size_t i = 0; i < r->nsteps; i++) {
		const rpl_step_result *st = &r->steps[i];
		bool bad = st->verdict == RPL_V_FAIL ||
		           st->verdict == RPL_V_UNSUPPORTED;
		if (quiet && !bad)
			continue;
		printf("  step %-6ld %-16s %s", st->number,
		       rpl_step_type_name(st->type), rpl_verdict_name(st->verdict));
		if (st->msg[0]) {
			/* a multi-line diff: indented under the step */
			printf(":");
			const char *m = st->msg;
			while (*m) {
				size_t n = strcspn(m, "\n");
				printf("\n      %.*s", (int)n, m);
				m += n;
				if (*m)
					m++;
			}
		}
		printf("\n");
	}
	if (r->outcome == RPL_OUT_ERROR)
		printf("%s: ERROR: %s\n", r->name, r->error);
	else
		printf("%s: %s (%u checks: %u passed, %u failed; %u steps "
		       "unsupported)\n", r->name,
		       r->outcome == RPL_OUT_PASS ? "PASS" : "FAIL", r->checks,
		       r->passed, r->failed, r->unsupported);
	if (r->ignored[0] && !quiet)
		printf("  options not applied: %s\n", r->ignored);
}

static void print_json(const rpl_run *r, bool first)
{
	printf("%s\n  {\"file\": ", first ? "" : ",");
	json_str(stdout, r->name);
	printf(", \"outcome\": \"%s\"", outcome_name(r->outcome));
	if (r->outcome == RPL_OUT_ERROR) {
		printf(", \"error\": ");
		json_str(stdout, r->error);
	}
	printf(", \"checks\": %u, \"passed\": %u, \"failed\": %u, "
	       "\"unsupported\": %u, \"upstream_queries\": %llu, "
	       "\"ignored_options\": [",
	       r->checks, r->passed, r->failed, r->unsupported,
	       (unsigned long long)r->upstream_sent);
	const char *p = r->ignored;
	bool f = true;
	while (*p) {
		size_t n = strcspn(p, " ");
		char key[128];
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		printf("%s", f ? "" : ", ");
		json_str(stdout, key);
		f = false;
		p += n;
		while (*p == ' ')
			p++;
	}
	printf("], \"steps\": [");
	for (size_t i = 0; i < r->nsteps; i++) {
		const rpl_step_result *st = &r->steps[i];
		printf("%s\n    {\"step\": %ld, \"type\": \"%s\", \"verdict\": \"%s\"",
		       i ? "," : "", st->number, rpl_step_type_name(st->type),
		       rpl_verdict_name(st->verdict));
		if (st->msg[0]) {
			printf(", \"message\": ");
			json_str(stdout, st->msg);
		}
		printf("}");
	}
	printf("]}");
}

int cmd_replay(int argc, char **argv)
{
	/* --pcap FILE --to SERVER: tools/replay_pcap.c */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--pcap"))
			return replay_pcap_main(argc, argv);
	bool rpl = false, json = false, quiet = false;
	rpl_play_opts opts = { .stop_at_fail = false };
	int nfiles = 0;
	char **files = calloc((size_t)argc + 1, sizeof(*files));
	if (!files)
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(files);
			return 0;
		} else if (!strcmp(a, "--rpl")) {
			rpl = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = true;
		} else if (!strcmp(a, "--assume-ad")) {
			opts.assume_ad = true;
		} else if (!strcmp(a, "--trace")) {
			opts.trace = stderr;
		} else if (!strcmp(a, "--stop")) {
			opts.stop_at_fail = true;
		} else if (!strcmp(a, "--pcap")) {
			fprintf(stderr, "ward replay: --pcap is not implemented yet "
			        "(only --rpl)\n");
			free(files);
			return 2;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ward replay: unknown option '%s'\n", a);
			usage(stderr);
			free(files);
			return 2;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!rpl || !nfiles) {
		fprintf(stderr, "ward replay: %s\n",
		        !rpl ? "give --rpl (the only mode so far)" : "no FILE given");
		usage(stderr);
		free(files);
		return 2;
	}
	bool progress = !json && nfiles > 1 && isatty(2) && quiet;
	unsigned pass = 0, fail = 0, err = 0, checks = 0, cpass = 0, cfail = 0,
	         unsup = 0;
	if (json)
		printf("{\"files\": [");
	for (int i = 0; i < nfiles; i++) {
		if (progress)
			fprintf(stderr, "\r[%d/%d] %-60.60s", i + 1, nfiles, files[i]);
		rpl_run *r = rpl_play_file(files[i], &opts);
		if (!r) {
			fprintf(stderr, "ward replay: out of memory\n");
			free(files);
			return 2;
		}
		if (json)
			print_json(r, i == 0);
		else
			print_text(r, quiet);
		if (r->outcome == RPL_OUT_PASS)
			pass++;
		else if (r->outcome == RPL_OUT_FAIL)
			fail++;
		else
			err++;
		checks += r->checks;
		cpass += r->passed;
		cfail += r->failed;
		unsup += r->unsupported;
		rpl_run_free(r);
	}
	if (progress)
		fprintf(stderr, "\r%-72s\r", "");
	if (json)
		printf("\n], \"summary\": {\"files\": %d, \"passed\": %u, "
		       "\"failed\": %u, \"errors\": %u, \"checks\": %u, "
		       "\"checks_passed\": %u, \"checks_failed\": %u, "
		       "\"steps_unsupported\": %u}}\n", nfiles, pass, fail, err,
		       checks, cpass, cfail, unsup);
	else
		printf("%d files: %u passed, %u failed, %u could not run; "
		       "%u checks: %u passed, %u failed; %u steps unsupported\n",
		       nfiles, pass, fail, err, checks, cpass, cfail, unsup);
	free(files);
	return err ? 2 : fail ? 1 : 0;
}
