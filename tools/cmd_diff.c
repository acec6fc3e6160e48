/* ward diff: send the same queries to two resolvers and compare the
 * answers semantically (tools/diff_compare.h), respdiff-style.
 *
 *   ward diff SERVER_A SERVER_B (--queries FILE | --pcap FILE) [options]
 *   ward diff SERVER --against unbound|dnsmasq|kresd [--conf FILE] ...
 *   ward diff --conf FILE --against dnsmasq ...   (dnsmasq vs wardd)
 *
 * Exit status: 0 no difference, 1 a difference, 2 error (bad usage,
 * unreadable file, a server that answered nothing, a peer that did not
 * start). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "diff_compare.h"
#include "diff_peer.h"
#include "diff_report.h"
#include "diff_run.h"
#include "pcap_queries.h"

#define DIFF_EXIT_SAME 0
#define DIFF_EXIT_DIFFER 1
#define DIFF_EXIT_ERROR 2
#define DIFF_MAX_QUERIES_FILE (1u << 22)
#define DIFF_DEFAULT_LIST 20

static void usage(FILE *out)
{
	fputs("usage: ward diff SERVER_A[#PORT] SERVER_B[#PORT] (--queries FILE | --pcap FILE) [options]\n"
	      "       ward diff SERVER[#PORT] --against unbound|dnsmasq|kresd [--conf FILE] (--queries F | --pcap F)\n"
	      "       ward diff --conf FILE --against dnsmasq (--queries F | --pcap F)\n"
	      "\n"
	      "Sends every query to both servers and compares the answers: rcode;\n"
	      "flags AA TC RA AD CD; answer, authority and additional sections as sets\n"
	      "of RRsets (record order and TTLs ignored); EDE codes; timeouts.\n"
	      "Differences are counted by kind and listed with both answers.\n"
	      "  --queries FILE   one query a line: NAME TYPE [+dnssec] [+cd] (# comments)\n"
	      "  --pcap FILE      the client queries (RD=1) of a capture, UDP and TCP\n"
	      "  --all            with --pcap: also queries without RD\n"
	      "  --json           the summary and the differing queries as one JSON object\n"
	      "  --ttl            TTLs must be equal too\n"
	      "  --order          record order within a section matters\n"
	      "  --concurrency N  queries in flight (default 16, at most 256)\n"
	      "  --rate N         at most N queries per second (default unlimited)\n"
	      "  --timeout S      seconds per try (default 2); each query is tried twice\n"
	      "  --list N         queries listed per kind (default 20)\n"
	      "  --against PEER   start unbound, dnsmasq or kresd on 127.0.0.1 and a free\n"
	      "                   port, wired to the testbed (WARD_TB_ROOT_HINTS,\n"
	      "                   WARD_TB_ANCHOR; dnsmasq forwards to WARD_TB_UNBOUND) or\n"
	      "                   to the server= lines of --conf, and diff SERVER against it\n"
	      "  --conf FILE      a dnsmasq configuration; with --against dnsmasq and no\n"
	      "                   SERVER: dnsmasq and wardd both run from it (listening\n"
	      "                   address, port and DHCP lines replaced) and are diffed\n"
	      "\n"
	      "Exit status: 0 no difference, 1 a difference, 2 error.\n",
	      out);
}

static struct peer peers[2];

/* Stop the peers at once (their queries then fail fast), let the run end,
 * then clean up and exit 2 (cmd_diff). A second signal exits at once. */
static void on_signal(int sig)
{
	peer_kill_all();
	if (drun_stop) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	drun_stop = 1;
}

static int load_queries_file(const char *path, struct drun_query **out, size_t *n)
{
	FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(stderr, "ward diff: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct drun_query *q = NULL;
	size_t cnt = 0, cap = 0;
	char line[1024];
	unsigned lineno = 0;
	int rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == '\r' || !*s)
			continue;
		if (cnt >= DIFF_MAX_QUERIES_FILE) {
			fprintf(stderr, "ward diff: %s: more than %u queries\n", path,
			        DIFF_MAX_QUERIES_FILE);
			rc = -1;
			break;
		}
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct drun_query *nq = realloc(q, nc * sizeof *nq);
			if (!nq) {
				fprintf(stderr, "ward diff: out of memory\n");
				rc = -1;
				break;
			}
			q = nq;
			cap = nc;
		}
		char err[160];
		if (drun_query_from_line(s, &q[cnt], err, sizeof err)) {
			fprintf(stderr, "ward diff: %s:%u: %s\n", path, lineno, err);
			rc = -1;
			break;
		}
		cnt++;
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		for (size_t i = 0; i < cnt; i++)
			drun_query_free(&q[i]);
		free(q);
		return -1;
	}
	*out = q;
	*n = cnt;
	return 0;
}

static int parse_num(const char *opt, const char *v, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double d = v ? strtod(v, &end) : 0;
	if (!v || errno || end == v || *end || d < min || d > max) {
		fprintf(stderr, "ward diff: bad value for %s: '%s'\n", opt, v ? v : "");
		return -1;
	}
	*out = d;
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	const char *srv_text[2] = { 0 }, *queries = NULL, *pcap = NULL;
	const char *against = NULL, *conf = NULL;
	bool json = false, all = false;
	struct diff_opts dop = { 0 };
	struct drun_opts rop = { DRUN_DEFAULT_CONCURRENCY, 0, 0, DRUN_DEFAULT_TIMEOUT_MS,
	                         false, NULL };
	double list = DIFF_DEFAULT_LIST;
	int nsrv = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		double d;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return DIFF_EXIT_SAME;
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--ttl")) {
			dop.ttl = true;
		} else if (!strcmp(a, "--order")) {
			dop.order = true;
		} else if (!strcmp(a, "--all")) {
			all = true;
		} else if (!strcmp(a, "--queries") && v) {
			queries = argv[++i];
		} else if (!strcmp(a, "--pcap") && v) {
			pcap = argv[++i];
		} else if (!strcmp(a, "--against") && v) {
			against = argv[++i];
		} else if (!strcmp(a, "--conf") && v) {
			conf = argv[++i];
		} else if (!strcmp(a, "--concurrency")) {
			if (parse_num(a, v, 1, DRUN_MAX_CONCURRENCY, &d))
				return DIFF_EXIT_ERROR;
			rop.concurrency = (unsigned)d;
			i++;
		} else if (!strcmp(a, "--rate")) {
			if (parse_num(a, v, 0, 1e7, &d))
				return DIFF_EXIT_ERROR;
			rop.rate = d;
			i++;
		} else if (!strcmp(a, "--timeout")) {
			if (parse_num(a, v, 0.05, 60, &d))
				return DIFF_EXIT_ERROR;
			rop.timeout_ms = (int)(d * 1000);
			i++;
		} else if (!strcmp(a, "--list")) {
			if (parse_num(a, v, 0, 1e9, &list))
				return DIFF_EXIT_ERROR;
			i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ward diff: unknown option '%s' (ward diff --help)\n", a);
			return DIFF_EXIT_ERROR;
		} else if (nsrv < 2) {
			srv_text[nsrv++] = a;
		} else {
			fprintf(stderr, "ward diff: unexpected argument '%s'\n", a);
			return DIFF_EXIT_ERROR;
		}
	}
	if (!queries == !pcap) {
		fprintf(stderr, "ward diff: give one of --queries FILE or --pcap FILE\n");
		usage(stderr);
		return DIFF_EXIT_ERROR;
	}
	enum peer_kind pk = PEER_UNBOUND;
	int want_srv = 2;
	if (against) {
		if (peer_kind_parse(against, &pk)) {
			fprintf(stderr, "ward diff: --against takes unbound, dnsmasq or kresd\n");
			return DIFF_EXIT_ERROR;
		}
		/* --conf FILE --against dnsmasq alone: dnsmasq vs wardd */
		want_srv = (conf && pk == PEER_DNSMASQ && nsrv == 0) ? 0 : 1;
	} else if (conf) {
		fprintf(stderr, "ward diff: --conf goes with --against\n");
		return DIFF_EXIT_ERROR;
	}
	if (nsrv != want_srv) {
		fprintf(stderr, "ward diff: expected %d server%s, got %d\n", want_srv,
		        want_srv == 1 ? "" : "s", nsrv);
		usage(stderr);
		return DIFF_EXIT_ERROR;
	}
	struct dns_server srv[2];
	char label[2][160];
	for (int i = 0; i < nsrv; i++) {
		if (dns_server_parse(srv_text[i], 53, &srv[i])) {
			fprintf(stderr, "ward diff: '%s' is not ADDRESS[#PORT]\n", srv_text[i]);
			return DIFF_EXIT_ERROR;
		}
		snprintf(label[i], sizeof label[i], "%s", srv[i].text);
	}

	struct drun_query *q = NULL;
	size_t n = 0;
	if (queries) {
		if (load_queries_file(queries, &q, &n))
			return DIFF_EXIT_ERROR;
	} else {
		struct pcapq_opts po = { .all = all };
		struct pcapq_stats ps;
		char err[512];
		if (pcapq_load(pcap, &po, &q, &n, &ps, err, sizeof err)) {
			fprintf(stderr, "ward diff: %s\n", err);
			return DIFF_EXIT_ERROR;
		}
		if (ps.cut)
			fprintf(stderr, "ward diff: warning: %s ends early (damaged); using the "
			        "%zu queries before that\n", pcap, n);
	}
	int rc = DIFF_EXIT_ERROR;
	if (n == 0) {
		fprintf(stderr, "ward diff: no queries in %s\n", queries ? queries : pcap);
		goto out;
	}

	if (against) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		struct peer_upstream up = {
			.root_hints = getenv("WARD_TB_ROOT_HINTS"),
			.anchor = getenv("WARD_TB_ANCHOR"),
			.dnsmasq_anchor = getenv("WARD_TB_DNSMASQ_ANCHOR"),
			.tb_unbound = getenv("WARD_TB_UNBOUND"),
			.conf = conf,
		};
		enum peer_kind kinds[2] = { PEER_WARDD, pk };
		/* the peers fill the places SERVER did not */
		int first = want_srv;    /* 1: peer is B; 0: wardd is A, dnsmasq B */
		for (int i = first; i < 2; i++) {
			char err[512];
			if (peer_start(&peers[i], kinds[i], &up, err, sizeof err)) {
				fprintf(stderr, "ward diff: cannot start %s: %s\n",
				        peer_kind_name(kinds[i]), err);
				goto out;
			}
			srv[i] = peers[i].addr;
			snprintf(label[i], sizeof label[i], "%s", peers[i].label);
		}
	}

	rop.progress = isatty(2);
	if (drun_run(srv, 2, q, n, &rop)) {
		fprintf(stderr, "ward diff: cannot start threads\n");
		goto out;
	}
	if (drun_stop) {
		fprintf(stderr, "ward diff: interrupted; peers stopped\n");
		goto out;
	}
	struct diff_report r = { .label = { label[0], label[1] }, .q = q, .n = n,
	                         .max_list = (unsigned)list };
	diff_report_count(&r, &dop);
	for (int i = 0; i < 2; i++)
		if (r.answered[i] == 0) {
			fprintf(stderr, "ward diff: %s answered none of the %zu queries "
			        "(unreachable or not a DNS server)\n", label[i], n);
			goto out;
		}
	if (json)
		diff_report_json(stdout, &r);
	else
		diff_report_text(stdout, &r);
	rc = r.differing ? DIFF_EXIT_DIFFER : DIFF_EXIT_SAME;
out:
	for (int i = 0; i < 2; i++)
		peer_stop(&peers[i]);
	for (size_t i = 0; i < n; i++)
		drun_query_free(&q[i]);
	free(q);
	return rc;
}
