/* ward diagnose NAME [TYPE] (--server ADDR | --pcap FILE) [--anchor FILE]
 *               [--at TIME] [--json] [--graph FILE.svg|.png|.dot]
 * Walks the chain of trust from the trust anchor to the answer and says
 * where it breaks (tools/diagnose_walk.c). Exit status: the verdict (0
 * secure, 1 insecure, 2 bogus, 3 indeterminate) or 4 for an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "diagnose/diagnose.h"
#include "resolver/validator.h"

#define DIAG_ANCHOR_FILE_MAX (1 << 20)

struct diag_opts {
	const char *name, *type, *server, *pcap, *anchor, *at, *graph, *hints;
	bool json, recursive;
	int timeout_s;
};

static void usage(FILE *out)
{
	fputs("usage: ward diagnose NAME [TYPE] (--server ADDR[#PORT] | --pcap FILE |\n"
	      "                                    --recursive --root-hints FILE)\n"
	      "                     [--anchor FILE] [--at TIME] [--json] [--graph FILE]\n"
	      "\n"
	      "Walks the DNSSEC chain of trust from the trust anchor to the answer\n"
	      "and reports every zone cut: the DS set, the DNSKEY set, which DS\n"
	      "matches which key, each RRSIG and its result, the denial proofs, and\n"
	      "the verdict with its RFC 8914 EDE code and the first break.\n"
	      "  --server ADDR   a resolver, asked with RD=1 DO=1 CD=1 (it must hand\n"
	      "                  over bogus data: CD=1)\n"
	      "  --pcap FILE     offline: the authoritative responses of a capture of\n"
	      "                  a resolution (testbed/capture); validated at the\n"
	      "                  capture's time unless --at is given\n"
	      "  --recursive --root-hints FILE\n"
	      "                  no resolver: ask the authoritative servers from\n"
	      "                  these root hints down (RD=0 DO=1 CD=1)\n"
	      "  --anchor FILE   trust anchors, zone-file DS/DNSKEY lines (default: the\n"
	      "                  root KSKs IANA publishes)\n"
	      "  --at TIME       validation time: unix seconds, YYYYMMDDHHMMSS or\n"
	      "                  YYYY-MM-DDTHH:MM:SSZ (default: now, or the capture's)\n"
	      "  --json          one JSON object instead of text\n"
	      "  --graph FILE    draw the chain (FILE.svg, FILE.png with graphviz dot;\n"
	      "                  FILE.dot: the DOT text)\n"
	      "  --timeout S     seconds per try with --server (default 3, 3 tries)\n"
	      "\n"
	      "Exit status: 0 secure, 1 insecure, 2 bogus, 3 indeterminate, 4 error.\n",
	      out);
}

static int parse_time(const char *s, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	char *end;
	size_t n = strlen(s);
	if (n == 14 && strspn(s, "0123456789") == 14) {
		if (!strptime(s, "%Y%m%d%H%M%S", &tm))
			return -1;
	} else if (strchr(s, '-')) {
		end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
		if (!end || (*end && strcmp(end, "Z")))
			return -1;
	} else {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno || end == s || *end || v < 0)
			return -1;
		*out = v;
		return 0;
	}
	*out = (int64_t)timegm(&tm);
	return 0;
}

static int load_anchors(const char *path, struct res_anchors *a)
{
	if (!path)
		return res_anchors_add_root(a);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "ward diagnose: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *text = malloc(DIAG_ANCHOR_FILE_MAX);
	size_t len = text ? fread(text, 1, DIAG_ANCHOR_FILE_MAX, f) : 0;
	bool err = !text || ferror(f) || len == DIAG_ANCHOR_FILE_MAX;
	fclose(f);
	if (err) {
		fprintf(stderr, "ward diagnose: %s: unreadable or too large\n", path);
		free(text);
		return -1;
	}
	char why[512] = "";
	int r = res_anchors_parse(a, text, len, path, why, sizeof why);
	free(text);
	if (r < 0 || !a->n) {
		fprintf(stderr, "ward diagnose: %s\n", r < 0 ? why
		        : "the anchor file holds no DS or DNSKEY record");
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct diag_opts *o)
{
	memset(o, 0, sizeof o[0]);
	o->timeout_s = 3;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--recursive")) {
			o->recursive = true;
		} else if (!strcmp(a, "--server")) {
			val = &o->server;
		} else if (!strcmp(a, "--pcap")) {
			val = &o->pcap;
		} else if (!strcmp(a, "--anchor")) {
			val = &o->anchor;
		} else if (!strcmp(a, "--at")) {
			val = &o->at;
		} else if (!strcmp(a, "--graph")) {
			val = &o->graph;
		} else if (!strcmp(a, "--root-hints")) {
			val = &o->hints;
		} else if (!strcmp(a, "--timeout")) {
			if (i + 1 >= argc || (o->timeout_s = atoi(argv[++i])) <= 0 ||
			    o->timeout_s > 60)
				return fprintf(stderr, "ward diagnose: --timeout takes 1..60 "
				               "seconds\n"), -1;
		} else if (a[0] == '-' && a[1]) {
			return fprintf(stderr, "ward diagnose: unknown option '%s'\n", a), -1;
		} else if (!o->name) {
			o->name = a;
		} else if (!o->type) {
			o->type = a;
		} else {
			return fprintf(stderr, "ward diagnose: unexpected '%s'\n", a), -1;
		}
		if (val) {
			if (i + 1 >= argc)
				return fprintf(stderr, "ward diagnose: %s needs a value\n", a), -1;
			*val = argv[++i];
		}
	}
	if (!o->name)
		return fprintf(stderr, "ward diagnose: NAME missing\n"), -1;
	if (o->recursive != !!o->hints)
		return fprintf(stderr, "ward diagnose: --recursive and --root-hints "
		               "FILE go together (no built-in root hints: the walk "
		               "goes where the hints say)\n"), -1;
	if (o->graph) {
		size_t gl = strlen(o->graph);
		if (gl < 5 || (strcmp(o->graph + gl - 4, ".svg") &&
		               strcmp(o->graph + gl - 4, ".png") &&
		               strcmp(o->graph + gl - 4, ".dot")))
			return fprintf(stderr, "ward diagnose: --graph %s: the picture "
			               "is FILE.svg, FILE.png or FILE.dot\n", o->graph), -1;
	}
	if (!!o->server + !!o->pcap + o->recursive != 1)
		return fprintf(stderr, "ward diagnose: give one of --server ADDR, "
		               "--pcap FILE or --recursive --root-hints FILE\n"), -1;
	return 0;
}

/* A progress line on stderr (a terminal only) once a walk has taken more
 * than a second: the queries so far and the one under way. */
struct progress {
	diag_fetch_fn inner;
	void *ctx;
	struct timespec t0;
	unsigned n;
	bool drawn;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int progress_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                          uint8_t *buf, size_t cap, size_t *len)
{
	struct progress *p = ctx;
	p->n++;
	double el = since(&p->t0);
	if (el > 1.0) {
		char nb[DNS_NAME_TEXT_MAX], tb[16];
		fprintf(stderr, "\r\033[K[diagnose] %.1fs, %u queries: %.60s %s", el,
		        p->n, dns_name_str(qname, nb), dns_type_str(qtype, tb));
		fflush(stderr);
		p->drawn = true;
	}
	return p->inner(p->ctx, qname, qtype, buf, cap, len);
}

int cmd_diagnose(int argc, char **argv)
{
	struct diag_opts o;
	if (parse_args(argc, argv, &o) < 0) {
		fprintf(stderr, "(ward diagnose --help for the usage)\n");
		return DIAG_EXIT_ERROR;
	}
	dns_name qname;
	uint16_t qtype = DNS_T_A;
	const dns_name root = { 1, { 0 } };
	if (dns_name_from_text(&qname, o.name, strlen(o.name), &root)) {
		fprintf(stderr, "ward diagnose: bad name '%s'\n", o.name);
		return DIAG_EXIT_ERROR;
	}
	if (o.type && dns_type_from_text(o.type, strlen(o.type), &qtype)) {
		fprintf(stderr, "ward diagnose: bad type '%s'\n", o.type);
		return DIAG_EXIT_ERROR;
	}
	int64_t at = (int64_t)time(NULL);
	if (o.at && parse_time(o.at, &at) < 0) {
		fprintf(stderr, "ward diagnose: bad time '%s' (unix seconds, "
		        "YYYYMMDDHHMMSS or YYYY-MM-DDTHH:MM:SSZ)\n", o.at);
		return DIAG_EXIT_ERROR;
	}
	struct res_anchors anchors = { 0 };
	struct diag_live *live = NULL;
	struct diag_pcap *pc = NULL;
	struct diag_iter *iter = NULL;
	struct diag_model *m = NULL;
	int rc = DIAG_EXIT_ERROR;
	char src[600];
	if (load_anchors(o.anchor, &anchors) < 0)
		goto out;
	struct diag_walk w = { .anchors = anchors.rrs, .nanchors = anchors.n,
	                       .at = at };
	if (o.server) {
		if (!(live = diag_live_new(o.server, o.timeout_s * 1000, 3))) {
			fprintf(stderr, "ward diagnose: bad server '%s' (ADDR or "
			        "ADDR#PORT, an IPv4 or IPv6 address)\n", o.server);
			goto out;
		}
		w.fetch = diag_live_fetch;
		w.fetch_ctx = live;
		snprintf(src, sizeof src, "server %s", o.server);
	} else if (o.recursive) {
		char err[512];
		if (!(iter = diag_iter_new(o.hints, o.timeout_s * 1000, 2, err,
		                           sizeof err))) {
			fprintf(stderr, "ward diagnose: --root-hints %s\n", err);
			goto out;
		}
		w.fetch = diag_iter_fetch;
		w.fetch_ctx = iter;
		snprintf(src, sizeof src, "recursive from %s", o.hints);
	} else {
		char err[512];
		int64_t t0;
		if (!(pc = diag_pcap_load(o.pcap, &t0, err, sizeof err))) {
			fprintf(stderr, "ward diagnose: %s\n", err);
			goto out;
		}
		if (!o.at)
			w.at = t0;
		w.fetch = diag_pcap_fetch;
		w.fetch_ctx = pc;
		snprintf(src, sizeof src, "capture %s", o.pcap);
	}
	if (!(m = calloc(1, sizeof *m))) {
		fprintf(stderr, "ward diagnose: out of memory\n");
		goto out;
	}
	m->source = src;
	struct progress prog = { .inner = w.fetch, .ctx = w.fetch_ctx };
	clock_gettime(CLOCK_MONOTONIC, &prog.t0);
	if (isatty(2)) {
		w.fetch = progress_fetch;
		w.fetch_ctx = &prog;
	}
	int e = diag_walk_run(&w, &qname, qtype, m);
	if (prog.drawn)
		fputs("\r\033[K", stderr);
	if (e < 0) {
		fprintf(stderr, "ward diagnose: %s\n", m->sentence);
		goto out;
	}
	if (live && !diag_live_answered(live)) {
		fprintf(stderr, "ward diagnose: %s did not answer (unreachable or "
		        "not a DNS server)\n", o.server);
		goto out;
	}
	if (iter && !diag_iter_answered(iter)) {
		fprintf(stderr, "ward diagnose: no root server of %s answered\n",
		        o.hints);
		goto out;
	}
	if (o.json)
		diag_report_json(m, stdout);
	else
		diag_report_text(m, stdout);
	fflush(stdout);
	if (o.graph) {
		char err[512];
		if (diag_graph_write(m, o.graph, err, sizeof err) < 0) {
			fprintf(stderr, "ward diagnose: --graph: %s\n", err);
			goto out;
		}
	}
	rc = (int)m->verdict;
out:
	if (m)
		diag_model_free(m);
	free(m);
	diag_live_free(live);
	diag_pcap_free(pc);
	diag_iter_free(iter);
	res_anchors_free(&anchors);
	return rc;
}
