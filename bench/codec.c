/* ward bench: DNS message parsing, ward's codec against libldns.
 *
 * The message set is every DNS message of the shared captures (through
 * tests/diff/pcapsrc.c) plus the generated set of the ldns differential
 * test (tests/diff/gen.c, same seed), keeping the messages both parse. Each
 * round runs both engines over the whole set, the order alternating from
 * round to round:
 *   ward: dns_msg_parse, then every record of every section decompressed
 *         (owner and rdata) with dns_rr_view_to_rr;
 *   ldns: ldns_wire2pkt, then every record of the four rr lists visited
 *         (owner, type, every rdf), ldns_pkt_free.
 * Reports messages per second (median round, and best) for each and the
 * ratio; the lines "RESULT key value" are for bench/run.
 *
 * Usage: codec [--rounds N] [--count N] [--only ward|ldns]
 * Environment: WARD_TESTDATA (default ../shared/testdata). --only runs one
 * engine (for perf stat). */
#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/msg.h"
#include "codec/rr.h"
#include "tests/diff/gen.h"
#include "tests/diff/pcapsrc.h"

typedef struct msgset {
	uint8_t **m;
	size_t *len;
	size_t n, cap;
	size_t bytes;
	size_t from_captures;
	size_t dropped;  /* refused by one of the two */
	size_t records;  /* per pass, all sections */
} msgset;

static int set_add(msgset *s, const uint8_t *p, size_t n)
{
	dns_msg m;
	ldns_pkt *pkt = NULL;
	bool ok = dns_msg_parse(&m, p, n) == 0 &&
	          ldns_wire2pkt(&pkt, p, n) == LDNS_STATUS_OK;
	ldns_pkt_free(pkt);
	if (!ok) {
		s->dropped++;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		uint8_t **nm = realloc(s->m, cap * sizeof *nm);
		if (!nm)
			return -1;
		s->m = nm;
		size_t *nl = realloc(s->len, cap * sizeof *nl);
		if (!nl)
			return -1;
		s->len = nl;
		s->cap = cap;
	}
	s->m[s->n] = malloc(n ? n : 1);
	if (!s->m[s->n])
		return -1;
	memcpy(s->m[s->n], p, n);
	s->len[s->n++] = n;
	s->bytes += n;
	for (int i = 0; i < 4; i++)
		s->records += m.count[i];
	return 0;
}

static int on_capture(void *arg, const char *where, const uint8_t *msg,
                      size_t len)
{
	msgset *s = arg;
	(void)where;
	return set_add(s, msg, len) < 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass of ward over the set; returns a checksum of what was read.
 * Not inlined: bench/run counts its instructions with callgrind
 * --toggle-collect=pass_ward. */
__attribute__((noinline)) static uint64_t pass_ward(const msgset *s, uint8_t *buf)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < s->n; i++) {
		dns_msg m;
		if (dns_msg_parse(&m, s->m[i], s->len[i]) < 0)
			continue;
		for (int sec = 0; sec < 4; sec++) {
			dns_rr_iter it;
			dns_rr_view v;
			dns_rr_iter_init(&it, &m, (enum dns_section)sec);
			while (dns_rr_iter_next(&it, &v) == 1) {
				dns_rr rr;
				if (dns_rr_view_to_rr(&m, &v, &rr, buf,
				                      DNS_RDATA_MAX) < 0)
					continue;
				sum += rr.owner.len + rr.type + rr.rdlen;
			}
		}
	}
	return sum;
}

static uint64_t walk_list(const ldns_rr_list *l)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		sum += ldns_rdf_size(ldns_rr_owner(rr)) + ldns_rr_get_type(rr);
		for (size_t j = 0; j < ldns_rr_rd_count(rr); j++)
			sum += ldns_rdf_size(ldns_rr_rdf(rr, j));
	}
	return sum;
}

__attribute__((noinline)) static uint64_t pass_ldns(const msgset *s)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < s->n; i++) {
		ldns_pkt *p = NULL;
		if (ldns_wire2pkt(&p, s->m[i], s->len[i]) != LDNS_STATUS_OK)
			continue;
		sum += walk_list(ldns_pkt_question(p));
		sum += walk_list(ldns_pkt_answer(p));
		sum += walk_list(ldns_pkt_authority(p));
		sum += walk_list(ldns_pkt_additional(p));
		ldns_pkt_free(p);
	}
	return sum;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	unsigned rounds = 15;
	unsigned long count = 10000;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: %s [--rounds N] [--count N] "
			        "[--only ward|ldns]\n", argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || rounds > 1000)
		rounds = 15;

	msgset s;
	memset(&s, 0, sizeof s);
	const char *td = getenv("WARD_TESTDATA");
	char pcaps[1024];
	pcapsrc_stats ps;
	snprintf(pcaps, sizeof pcaps, "%s/pcaps", td && *td ? td
	         : "../shared/testdata");
	if (pcapsrc_walk(pcaps, on_capture, &s, &ps) < 0)
		fprintf(stderr, "note: %s absent, generated messages only\n",
		        pcaps);
	s.from_captures = s.n;
	for (unsigned long i = 0; i < count; i++) {
		uint8_t *w;
		size_t n;
		const char *why;
		if (gen_message(GEN_SEED_DEFAULT, i, &w, &n, NULL, &why) < 0) {
			fprintf(stderr, "generator: %s\n", why);
			return 1;
		}
		int r = set_add(&s, w, n);
		free(w);
		if (r < 0) {
			fprintf(stderr, "out of memory\n");
			return 1;
		}
	}
	if (s.n == 0) {
		fprintf(stderr, "no messages\n");
		return 1;
	}

	uint8_t *buf = malloc(DNS_RDATA_MAX + 1);
	double *tw = calloc(rounds, sizeof *tw);
	double *tl = calloc(rounds, sizeof *tl);
	if (!buf || !tw || !tl)
		return 1;
	bool do_ward = !only || !strcmp(only, "ward");
	bool do_ldns = !only || !strcmp(only, "ldns");
	uint64_t sw = 0, sl = 0;
	/* one warm-up pass each (page faults, caches, lazy allocations) */
	if (do_ward)
		sw += pass_ward(&s, buf);
	if (do_ldns)
		sl += pass_ldns(&s);
	for (unsigned r = 0; r < rounds; r++) {
		for (int k = 0; k < 2; k++) {
			bool ward_now = (k == 0) == (r % 2 == 0);
			double t0 = now_s();
			if (ward_now && do_ward)
				sw += pass_ward(&s, buf);
			else if (!ward_now && do_ldns)
				sl += pass_ldns(&s);
			else
				continue;
			double dt = now_s() - t0;
			(ward_now ? tw : tl)[r] = dt;
		}
	}

	double mw = do_ward ? median(tw, rounds) : 0;
	double ml = do_ldns ? median(tl, rounds) : 0;
	/* median() sorted the times: [0] is the best round */
	double bw = do_ward ? tw[0] : 0, bl = do_ldns ? tl[0] : 0;
	double rw = mw > 0 ? (double)s.n / mw : 0;
	double rl = ml > 0 ? (double)s.n / ml : 0;
	printf("messages: %zu (%zu from captures, %zu generated; %zu octets, "
	       "%zu records; %zu refused by one side and left out)\n", s.n,
	       s.from_captures, s.n - s.from_captures, s.bytes, s.records,
	       s.dropped);
	printf("rounds: %u, interleaved\n", rounds);
	if (do_ward)
		printf("ward: %.0f msgs/s median, %.0f best, %.1f ns/msg "
		       "(checksum %llu)\n", rw, (double)s.n / bw,
		       mw * 1e9 / (double)s.n, (unsigned long long)sw);
	if (do_ldns)
		printf("ldns: %.0f msgs/s median, %.0f best, %.1f ns/msg "
		       "(checksum %llu)\n", rl, (double)s.n / bl,
		       ml * 1e9 / (double)s.n, (unsigned long long)sl);
	if (do_ward && do_ldns)
		printf("ratio ward/ldns: %.2f (target >= 5: %s)\n", rw / rl,
		       rw / rl >= 5 ? "met" : "NOT met");
	printf("RESULT ldns_version %s\n", ldns_version());
	printf("RESULT messages %zu\n", s.n);
	printf("RESULT captures %zu\n", s.from_captures);
	printf("RESULT generated %zu\n", s.n - s.from_captures);
	printf("RESULT octets %zu\n", s.bytes);
	printf("RESULT records %zu\n", s.records);
	printf("RESULT dropped %zu\n", s.dropped);
	printf("RESULT rounds %u\n", rounds);
	if (do_ward)
		printf("RESULT ward_msgs_per_s %.0f\nRESULT ward_best %.0f\n", rw,
		       (double)s.n / bw);
	if (do_ldns)
		printf("RESULT ldns_msgs_per_s %.0f\nRESULT ldns_best %.0f\n", rl,
		       (double)s.n / bl);
	if (do_ward && do_ldns)
		printf("RESULT ratio %.2f\n", rw / rl);
	for (size_t i = 0; i < s.n; i++)
		free(s.m[i]);
	free(s.m);
	free(s.len);
	free(buf);
	free(tw);
	free(tl);
	return 0;
}
