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
 * Each measurement runs for about --seconds (default 1) or a change budget,
 * whichever ends first. Reports changes per second; "RESULT key value" lines
 * are for bench/run. Files go to a fresh directory under --dir (default
 * build/bench), removed afterwards.
 *
 * Usage: lease [--dir D] [--seconds S] [--sizes N,N,...] */
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
	double ward, batch, rewrite; /* changes per second */
	unsigned long ward_n, batch_n, rewrite_n, compactions;
	double file_kb;
};

static void measure(const char *dir, uint32_t n, double secs, unsigned *seed,
                    struct result *r)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/leases-%u", dir, n);
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

	/* ward: one append + fdatasync per change */
	uint64_t comp0 = lease_store_get_stats(st)->compactions;
	double t0 = now_s(), t;
	unsigned long k = 0;
	do {
		struct dhcp_lease l = lease_n((uint32_t)rand_r(seed) % n, 1700000000 + k);
		if ((rc = lease_store_append(st, DHCP_LEASE_PUT, &l)))
			die("append", rc);
		if (lease_store_compact_due(st) && (rc = lease_store_compact(st)))
			die("compact", rc);
		k++;
		t = now_s() - t0;
	} while (t < secs && k < 200000);
	r->ward = (double)k / t;
	r->ward_n = k;
	r->compactions = (unsigned long)(lease_store_get_stats(st)->compactions - comp0);

	/* ward, group commit */
	t0 = now_s();
	k = 0;
	do {
		for (int b = 0; b < BATCH; b++) {
			struct dhcp_lease l = lease_n((uint32_t)rand_r(seed) % n, 1700000000 + k);
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
	r->batch = (double)k / t;
	r->batch_n = k;
	lease_store_close(st);

	/* rewrite: the whole file per change */
	struct dhcp_lease *set = malloc(n * sizeof(*set));
	size_t cap = (size_t)n * 128 + 4096;
	char *text = malloc(cap);
	if (!set || !text)
		die("memory", WARD_ENOMEM);
	for (uint32_t i = 0; i < n; i++)
		set[i] = lease_n(i, 1700000000);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open rewrite file", WARD_EIO);
	t0 = now_s();
	k = 0;
	do {
		set[(uint32_t)rand_r(seed) % n].expires = 1700000000 + (int64_t)k;
		strbuf sb = strbuf_init(text, cap);
		for (uint32_t i = 0; i < n; i++)
			lease_text_format(&sb, &set[i]);
		if (sb.err || ftruncate(fd, 0) < 0 ||
		    pwrite(fd, text, sb.len, 0) != (ssize_t)sb.len || fsync(fd) < 0)
			die("rewrite", WARD_EIO);
		k++;
		t = now_s() - t0;
	} while (t < secs && k < 100000);
	r->rewrite = (double)k / t;
	r->rewrite_n = k;
	close(fd);
	free(set);
	free(text);
	char jpath[620];
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	unlink(path);
	unlink(jpath);
}

int main(int argc, char **argv)
{
	const char *base = "build/bench";
	double secs = 1.0;
	uint32_t sizes[MAX_SIZES] = { 100, 10000, 100000 };
	int nsizes = 3;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			base = argv[++i];
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			secs = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			nsizes = 0;
			for (char *s = strtok(argv[++i], ","); s && nsizes < MAX_SIZES; s = strtok(NULL, ","))
				sizes[nsizes++] = (uint32_t)strtoul(s, NULL, 10);
		} else {
			fprintf(stderr, "usage: lease [--dir D] [--seconds S] [--sizes N,N,...]\n");
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
		measure(dir, sizes[s], secs, &seed, &r);
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
