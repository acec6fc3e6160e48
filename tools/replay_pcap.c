/* ward replay --pcap FILE --to SERVER[#PORT]: the client queries of a
 * capture (tools/pcap_queries.h: UDP and TCP, RD=1) sent to a resolver at
 * the captured pace, scaled (--speed 10x) or as fast as allowed (--rate N,
 * --concurrency N), each answer compared with the capture's answer to that
 * query when it holds one, differences classified as ward diff does.
 *
 * Exit status: 0 every query answered and no difference, 1 a difference or
 * a query left unanswered, 2 error (bad usage, unreadable capture, a
 * server that answered none of the queries). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "diff_compare.h"
#include "diff_report.h"
#include "diff_run.h"
#include "pcap_queries.h"

#define REPLAY_MAX_SPEED 1e6
#define REPLAY_DEFAULT_LIST 20

static void usage(FILE *out)
{
	fputs("usage: ward replay --pcap FILE --to SERVER[#PORT] [options]\n"
	      "\n"
	      "Sends the client queries of a capture (RD=1, UDP and TCP; each over the\n"
	      "transport it was captured on) to SERVER and compares each answer with the\n"
	      "answer the capture holds, if any, as ward diff does (A = the capture,\n"
	      "B = SERVER).\n"
	      "  --speed Nx       the captured pace, N times faster (default 1x)\n"
	      "  --rate N         as fast as allowed: at most N queries per second\n"
	      "                   (0: no limit), the capture's timing ignored\n"
	      "  --concurrency N  queries in flight (default 16, at most 256)\n"
	      "  --timeout S      seconds per try (default 2); each query is tried twice\n"
	      "  --all            also the queries without RD (a resolver's own)\n"
	      "  --dns-port P     another port carrying DNS in the capture (besides 53)\n"
	      "  --ttl, --order   TTLs / record order matter\n"
	      "  --list N         queries listed per kind of difference (default 20)\n"
	      "  --json           summary and differing queries as one JSON object\n"
	      "  --stats          without --to: only read the capture and print what\n"
	      "                   would be replayed (messages, client queries, answers)\n"
	      "\n"
	      "Exit status: 0 all answered, no difference; 1 a difference or an\n"
	      "unanswered query; 2 error (unreadable capture, unreachable server).\n"
	      "\n"
	      "       ward replay --pcap FILE --offline NAME [TYPE] [+dnssec] [+cd] [--trace] [--json]\n"
	      "The frozen Internet: the capture's authoritative responses (to RD=0\n"
	      "queries) are the only servers; ward's engine resolves NAME against\n"
	      "them on a virtual clock from the capture's time and prints the answer.\n"
	      "--trace shows each upstream query. Exit 0 an answer, 1 none, 2 error.\n",
	      out);
}

static int num(const char *opt, const char *v, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (v && *end == 'x' && !strcmp(opt, "--speed"))
		end++;
	if (!v || errno || end == v || *end || d < min || d > max) {
		fprintf(stderr, "ward replay: bad value for %s: '%s'\n", opt, v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

/* --stats: what would be replayed, nothing sent (also what the toolkit
 * benchmark times: reading, parsing and pairing a capture) */
static int replay_stats_main(const char *pcap, const struct pcapq_opts *po,
                             bool json)
{
	struct drun_query *q;
	size_t n;
	struct pcapq_stats ps;
	char err[512];
	if (pcapq_load(pcap, po, &q, &n, &ps, err, sizeof err)) {
		fprintf(stderr, "ward replay: %s\n", err);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		drun_query_free(&q[i]);
	free(q);
	if (json) {
		fputs("{\"file\":", stdout);
		diff_json_str(stdout, pcap);
		printf(",\"dns\":%llu,\"queries\":%zu,\"udp\":%llu,"
		       "\"tcp\":%llu,\"answered\":%llu,\"left_out\":%llu,"
		       "\"malformed\":%llu,\"cut\":%s}\n",
		       (unsigned long long)ps.dns, n, (unsigned long long)ps.udp,
		       (unsigned long long)ps.tcp, (unsigned long long)ps.answered,
		       (unsigned long long)ps.not_client,
		       (unsigned long long)ps.malformed, ps.cut ? "true" : "false");
	} else
		printf("%s: %llu dns messages, %zu client queries (%llu udp, %llu tcp), "
		       "%llu with a captured answer, %llu other queries left out, "
		       "%llu malformed%s\n", pcap, (unsigned long long)ps.dns, n,
		       (unsigned long long)ps.udp, (unsigned long long)ps.tcp,
		       (unsigned long long)ps.answered,
		       (unsigned long long)ps.not_client,
		       (unsigned long long)ps.malformed,
		       ps.cut ? " (the file ends early: damaged)" : "");
	return 0;
}

int replay_pcap_main(int argc, char **argv)
{
	const char *pcap = NULL, *to = NULL, *offline = NULL, *otype = NULL;
	bool odnssec = false, ocd = false, otrace = false;
	bool json = false, paced = true, stats_only = false;
	struct diff_opts dop = { 0 };
	double took = 0;
	struct drun_opts rop = { DRUN_DEFAULT_CONCURRENCY, 0, 1.0, DRUN_DEFAULT_TIMEOUT_MS,
	                         false, &took };
	struct pcapq_opts po = { 0 };
	double list = REPLAY_DEFAULT_LIST, d;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--pcap") && v) {
			pcap = argv[++i];
		} else if (!strcmp(a, "--to") && v) {
			to = argv[++i];
		} else if (!strcmp(a, "--offline") && v) {
			offline = argv[++i];
		} else if (offline && !otype && a[0] != '-' && a[0] != '+') {
			otype = a;
		} else if (!strcmp(a, "+dnssec")) {
			odnssec = true;
		} else if (!strcmp(a, "+cd")) {
			ocd = true;
		} else if (!strcmp(a, "--trace")) {
			otrace = true;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--stats")) {
			stats_only = true;
		} else if (!strcmp(a, "--ttl")) {
			dop.ttl = true;
		} else if (!strcmp(a, "--order")) {
			dop.order = true;
		} else if (!strcmp(a, "--all")) {
			po.all = true;
		} else if (!strcmp(a, "--speed")) {
			if (num(a, v, 0.001, REPLAY_MAX_SPEED, &d))
				return 2;
			rop.speed = d;
			i++;
		} else if (!strcmp(a, "--rate")) {
			if (num(a, v, 0, 1e7, &d))
				return 2;
			rop.rate = d;
			paced = false;
			i++;
		} else if (!strcmp(a, "--concurrency")) {
			if (num(a, v, 1, DRUN_MAX_CONCURRENCY, &d))
				return 2;
			rop.concurrency = (unsigned)d;
			i++;
		} else if (!strcmp(a, "--timeout")) {
			if (num(a, v, 0.05, 60, &d))
				return 2;
			rop.timeout_ms = (int)(d * 1000);
			i++;
		} else if (!strcmp(a, "--list")) {
			if (num(a, v, 0, 1e9, &list))
				return 2;
			i++;
		} else if (!strcmp(a, "--dns-port")) {
			if (num(a, v, 1, 65535, &d) || po.n_ports >= 8)
				return 2;
			po.ports[po.n_ports++] = (uint16_t)d;
			i++;
		} else {
			fprintf(stderr, "ward replay: unknown or incomplete option '%s' "
			        "(ward replay --pcap --help)\n", a);
			return 2;
		}
	}
	if (pcap && offline && !to)
		return replay_offline_main(pcap, offline, otype, odnssec, ocd, otrace, json);
	if (pcap && stats_only && !to && !offline)
		return replay_stats_main(pcap, &po, json);
	if (!pcap || !to) {
		fprintf(stderr, "ward replay: --pcap FILE needs --to SERVER[#PORT]\n");
		usage(stderr);
		return 2;
	}
	struct dns_server srv;
	if (dns_server_parse(to, 53, &srv)) {
		fprintf(stderr, "ward replay: '%s' is not ADDRESS[#PORT]\n", to);
		return 2;
	}
	if (!paced)
		rop.speed = 0;
	struct drun_query *q;
	size_t n;
	struct pcapq_stats ps;
	char err[512];
	if (pcapq_load(pcap, &po, &q, &n, &ps, err, sizeof err)) {
		fprintf(stderr, "ward replay: %s\n", err);
		return 2;
	}
	if (ps.cut)
		fprintf(stderr, "ward replay: warning: %s ends early (damaged); replaying "
		        "the %zu queries before that\n", pcap, n);
	fprintf(stderr, "replay: %s: %llu dns messages, %zu client queries (%llu udp, "
	        "%llu tcp), %llu with a captured answer, %llu other queries left out, "
	        "%llu malformed\n", pcap, (unsigned long long)ps.dns, n,
	        (unsigned long long)ps.udp, (unsigned long long)ps.tcp,
	        (unsigned long long)ps.answered, (unsigned long long)ps.not_client,
	        (unsigned long long)ps.malformed);
	int rc = 2;
	if (n == 0) {
		fprintf(stderr, "ward replay: no client queries in %s\n", pcap);
		goto out;
	}
	rop.progress = isatty(2);
	if (drun_run(&srv, 1, q, n, &rop)) {
		fprintf(stderr, "ward replay: cannot start threads\n");
		goto out;
	}
	fprintf(stderr, "replay: %zu queries sent in %.3f s (%.0f/s)\n", n, took,
	        took > 0 ? (double)n / took : 0.0);
	char label_a[600];
	snprintf(label_a, sizeof label_a, "capture %s", pcap);
	struct diff_report r = { .label = { label_a, srv.text }, .q = q, .n = n,
	                         .replay = true, .max_list = (unsigned)list };
	diff_report_count(&r, &dop);
	if (r.answered[1] == 0) {
		fprintf(stderr, "ward replay: %s answered none of the %zu queries "
		        "(unreachable or not a DNS server)\n", srv.text, n);
		goto out;
	}
	if (json)
		diff_report_json(stdout, &r);
	else
		diff_report_text(stdout, &r);
	rc = (r.differing || r.answered[1] < n) ? 1 : 0;
out:
	for (size_t i = 0; i < n; i++)
		drun_query_free(&q[i]);
	free(q);
	return rc;
}
