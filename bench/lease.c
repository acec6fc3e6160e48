/* ward bench: the cost of making one lease change durable.
 *
 * For N existing leases (100, 10 000, 100 000 by default), each change is a
 * renewal of a random lease (a new expiry), made durable before the next:
 *   ward        lease_store_append: one journal record, pwrite + fdatasync
 *               (compaction included whenever it comes due, as wardd runs it);
 *   ward-batch  lease_store_stage x 64, then one lease_store_commit
 *               (group commit: 64 changes per fdatasync);
 *   rewrite     the whole set formatted as dnsmasq's lease file, the file
 *               truncated, written and fsync'd for every change — the way
 *               dnsmasq's lease_update_file works. This is a model of that
 *               strategy written here (same text, same syscalls), not dnsmasq.
 * Each size gets --seconds per method (default 1), cut into --rounds
 * (default 5) slices with the three methods interleaved; the median slice
 * is reported, in changes per second; "RESULT key value" lines
 * are for bench/run. Files go to a fresh directory under --dir (default
 * build/bench), removed afterwards.
 *
 * Usage: lease [--dir D] [--seconds S] [--rounds R] [--sizes N,N,...] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "codec/error.h"
#include "daemon/lease_store.h"

#define BATCH 64
#define MAX_SIZES 8

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct dhcp_lease lease_n(uint32_t i, int64_t expires)
{
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.ip = 0x0a000000u + i;
	l.expires = expires;
	l.htype = 1;
	l.hlen = 6;
	l.hw[0] = 0x02;
	l.hw[3] = (uint8_t)(i >> 16);
	l.hw[4] = (uint8_t)(i >> 8);
	l.hw[5] = (uint8_t)i;
	l.cid_len = 7;
	l.cid[0] = 1;
	memcpy(l.cid + 1, l.hw, 6);
	snprintf(l.hostname, sizeof(l.hostname), "host-%u", i);
	return l;
}

static void die(const char *what, int rc)
{
	fprintf(stderr, "lease bench: %s: %s (%s)\n", what, ward_strerror(rc), strerror(errno));
	exit(1);
}

struct result {
	double ward, batch, rewrite; /* changes per second, median round */
	unsigned long ward_n, batch_n, rewrite_n, compactions;
	double file_kb;
};

struct rewrite_ctx {
	int fd;
	struct dhcp_lease *set;
	uint32_t n;
	char *text;
	size_t cap;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One slice of each method; returns changes made, rate in *rate. */
static unsigned long run_ward(lease_store_t *st, uint32_t n, double secs,
                              unsigned *seed, double *rate)
{
	double t0 = now_s(), t;
	unsigned long k = 0;
	int rc;
	do {
		struct dhcp_lease l = lease_n((uint32_t)rand_r(seed) % n, 1700000000 + (int64_t)k);
		if ((rc = lease_store_append(st, DHCP_LEASE_PUT, &l)))
			die("append", rc);
		if (lease_store_compact_due(st) && (rc = lease_store_compact(st)))
			die("compact", rc);
		k++;
		t = now_s() - t0;
	} while (t < secs && k < 200000);
	*rate = (double)k / t;
	return k;
}

static unsigned long run_batch(lease_store_t *st, uint32_t n, double secs,
                               unsigned *seed, double *rate)
{
	double t0 = now_s(), t;
	unsigned long k = 0;
	int rc;
	do {
		for (int b = 0; b < BATCH; b++) {
			struct dhcp_lease l = lease_n((uint32_t)rand_r(seed) % n, 1700000000 + (int64_t)k);
			if ((rc = lease_store_stage(st, DHCP_LEASE_PUT, &l)))
				die("stage", rc);
			k++;
		}
		if ((rc = lease_store_commit(st)))
			die("commit", rc);
		if (lease_store_compact_due(st) && (rc = lease_store_compact(st)))
			die("compact", rc);
		t = now_s() - t0;
	} while (t < secs && k < 2000000);
	*rate = (double)k / t;
	return k;
}

static unsigned long run_rewrite(struct rewrite_ctx *w, double secs, unsigned *seed,
                                 double *rate)
{
	double t0 = now_s(), t;
	unsigned long k = 0;
	do {
		w->set[(uint32_t)rand_r(seed) % w->n].expires = 1700000000 + (int64_t)k;
		strbuf sb = strbuf_init(w->text, w->cap);
		for (uint32_t i = 0; i < w->n; i++)
			lease_text_format(&sb, &w->set[i]);
		if (sb.err || ftruncate(w->fd, 0) < 0 ||
		    pwrite(w->fd, w->text, sb.len, 0) != (ssize_t)sb.len || fsync(w->fd) < 0)
			die("rewrite", WARD_EIO);
		k++;
		t = now_s() - t0;
	} while (t < secs && k < 100000);
	*rate = (double)k / t;
	return k;
}

/* `rounds` rounds, each a slice of secs/rounds per method, the methods
 * interleaved so that a change in the machine's load hits all three. */
static void measure(const char *dir, uint32_t n, double secs, int rounds,
                    unsigned *seed, struct result *r)
{
	char path[600], rwpath[620], jpath[620];
	snprintf(path, sizeof(path), "%s/leases-%u", dir, n);
	snprintf(rwpath, sizeof(rwpath), "%s.rewrite", path);
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	lease_store_t *st;
	int rc = lease_store_open(path, &st, NULL);
	if (rc)
		die("open", rc);
	for (uint32_t i = 0; i < n; i++) {
		struct dhcp_lease l = lease_n(i, 1700000000);
		if ((rc = lease_store_stage(st, DHCP_LEASE_PUT, &l)))
			die("stage", rc);
	}
	if ((rc = lease_store_commit(st)) || (rc = lease_store_compact(st)))
		die("fill", rc);
	struct stat fst;
	stat(path, &fst);
	r->file_kb = (double)fst.st_size / 1024;

	struct rewrite_ctx w = { -1, malloc(n * sizeof(struct dhcp_lease)), n,
	                         NULL, (size_t)n * 128 + 4096 };
	w.text = malloc(w.cap);
	if (!w.set || !w.text)
		die("memory", WARD_ENOMEM);
	for (uint32_t i = 0; i < n; i++)
		w.set[i] = lease_n(i, 1700000000);
	w.fd = open(rwpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w.fd < 0)
		die("open rewrite file", WARD_EIO);

	double rw[16], rb[16], rr[16];
	uint64_t comp0 = lease_store_get_stats(st)->compactions;
	r->ward_n = r->batch_n = r->rewrite_n = 0;
	double slice = secs / rounds;
	for (int i = 0; i < rounds; i++) {
		r->ward_n += run_ward(st, n, slice, seed, &rw[i]);
		r->batch_n += run_batch(st, n, slice, seed, &rb[i]);
		r->rewrite_n += run_rewrite(&w, slice, seed, &rr[i]);
	}
	r->compactions = (unsigned long)(lease_store_get_stats(st)->compactions - comp0);
	r->ward = median(rw, rounds);
	r->batch = median(rb, rounds);
	r->rewrite = median(rr, rounds);
	lease_store_close(st);
	close(w.fd);
	free(w.set);
	free(w.text);
	unlink(path);
	unlink(jpath);
	unlink(rwpath);
}

int main(int argc, char **argv)
{
	const char *base = "build/bench";
	double secs = 1.0;
	int rounds = 5;
	uint32_t sizes[MAX_SIZES] = { 100, 10000, 100000 };
	int nsizes = 3;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			base = argv[++i];
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = atoi(argv[++i]);
			if (rounds < 1 || rounds > 16)
				rounds = 5;
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			secs = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			nsizes = 0;
			for (char *s = strtok(argv[++i], ","); s && nsizes < MAX_SIZES; s = strtok(NULL, ","))
				sizes[nsizes++] = (uint32_t)strtoul(s, NULL, 10);
		} else {
			fprintf(stderr, "usage: lease [--dir D] [--seconds S] [--rounds R] "
			        "[--sizes N,N,...]\n");
			return 2;
		}
	}
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/lease-XXXXXX", base);
	mkdir(base, 0755);
	if (!mkdtemp(dir)) {
		perror(dir);
		return 1;
	}
	unsigned seed = 1;
	printf("%-8s %10s %12s %14s %14s %8s\n", "leases", "file KiB", "ward ch/s",
	       "ward-batch/s", "rewrite ch/s", "ratio");
	for (int s = 0; s < nsizes; s++) {
		if (sizes[s] == 0)
			continue;
		struct result r;
		measure(dir, sizes[s], secs, rounds, &seed, &r);
		printf("%-8u %10.0f %12.0f %14.0f %14.1f %8.1f\n", sizes[s], r.file_kb,
		       r.ward, r.batch, r.rewrite, r.ward / r.rewrite);
		printf("RESULT n%u_file_kb %.0f\n", sizes[s], r.file_kb);
		printf("RESULT n%u_ward %.0f\n", sizes[s], r.ward);
		printf("RESULT n%u_ward_changes %lu\n", sizes[s], r.ward_n);
		printf("RESULT n%u_compactions %lu\n", sizes[s], r.compactions);
		printf("RESULT n%u_batch %.0f\n", sizes[s], r.batch);
		printf("RESULT n%u_rewrite %.1f\n", sizes[s], r.rewrite);
		printf("RESULT n%u_rewrite_changes %lu\n", sizes[s], r.rewrite_n);
		printf("RESULT n%u_ratio %.1f\n", sizes[s], r.ward / r.rewrite);
	}
	rmdir(dir);
	return 0;
}
