/* Unit test: the order of daemon/lease_store.c's writes, syncs and renames —
 * what a power cut (unlike SIGKILL, which leaves the page cache intact)
 * depends on. This program defines pwrite, fsync, fdatasync, ftruncate and
 * rename itself: the store's calls land here, are recorded with the file
 * they touch (FILE, FILE.journal, FILE.tmp or the directory), and go on to
 * the C library's functions (dlsym RTLD_NEXT). Then:
 *   - a change: its record is written to the journal, then fdatasync'd, and
 *     nothing happens after the fdatasync before append returns;
 *   - a group commit: one write, one fdatasync for the whole batch;
 *   - a compaction: FILE.tmp written, fsync'd, renamed over FILE, the
 *     directory fsync'd, and only then the journal truncated and fsync'd;
 *   - a new store: the journal's header and directory entry are synced
 *     before open returns (so a record fdatasync'd later cannot vanish with
 *     the file's name);
 *   - recovery after a failed write compacts before writing the journal.
 * And a power-cut model: while a store makes changes (appends, a group
 * commit, compactions), before every recorded operation the files a power
 * cut could leave are built from what was synced so far — a file's content
 * is what it held at its last fsync/fdatasync, a name is what the directory
 * held at its last fsync (image A), or with renames already durable (image
 * B: the renamed file with only its synced content) — and each image, opened
 * by the store, must hold every acknowledged change and otherwise a prefix
 * of the changes in flight. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "codec/error.h"
#include "daemon/lease_store.h"

static char dir[256], path[300], jpath[320], tpath[320];
static char real_dir[PATH_MAX], real_path[PATH_MAX + 32], real_jpath[PATH_MAX + 48],
	real_tpath[PATH_MAX + 48];

/* ---- the recorder ---- */

#define EV_MAX 4096
static bool tracing;
static char ev[EV_MAX][48];
static unsigned nev;

static const char *fd_name(int fd)
{
	char link[64], target[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return "?";
	target[n] = '\0';
	if (!strcmp(target, real_path))
		return "main";
	if (!strcmp(target, real_jpath))
		return "journal";
	if (!strcmp(target, real_tpath))
		return "tmp";
	if (!strcmp(target, real_dir))
		return "dir";
	return "other";
}

static const char *path_name(const char *p)
{
	if (!strcmp(p, path))
		return "main";
	if (!strcmp(p, tpath))
		return "tmp";
	return "other";
}

static void record(const char *what, const char *name)
{
	if (!tracing || nev >= EV_MAX)
		return;
	snprintf(ev[nev++], sizeof(ev[0]), "%s:%s", what, name);
}

static void pc_before(const char *what, const char *name);
static void pc_after(const char *what, const char *name, int fd);

static void *next_fn(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);
	if (!f)
		abort();
	return f;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))next_fn("pwrite");
	const char *nm = fd_name(fd);
	pc_before("pwrite", nm);
	record("pwrite", nm);
	return real(fd, buf, n, off);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))next_fn("fsync");
	const char *nm = fd_name(fd);
	pc_before("fsync", nm);
	record("fsync", nm);
	int rc = real(fd);
	if (rc == 0)
		pc_after("fsync", nm, fd);
	return rc;
}

int fdatasync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))next_fn("fdatasync");
	const char *nm = fd_name(fd);
	pc_before("fdatasync", nm);
	record("fdatasync", nm);
	int rc = real(fd);
	if (rc == 0)
		pc_after("fdatasync", nm, fd);
	return rc;
}

int ftruncate(int fd, off_t len)
{
	static int (*real)(int, off_t);
	if (!real)
		real = (int (*)(int, off_t))next_fn("ftruncate");
	const char *nm = fd_name(fd);
	pc_before("ftruncate", nm);
	record("ftruncate", nm);
	return real(fd, len);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))next_fn("rename");
	char both[32];
	snprintf(both, sizeof(both), "%s>%s", path_name(from), path_name(to));
	pc_before("rename", both);
	record("rename", both);
	int rc = real(from, to);
	if (rc == 0)
		pc_after("rename", both, -1);
	return rc;
}

/* ---- helpers ---- */

static void trace_start(void)
{
	nev = 0;
	tracing = true;
}

static void trace_stop(void)
{
	tracing = false;
}

/* Index of the first event equal to e at or after `from`, or -1. */
static int find_ev(const char *e, unsigned from)
{
	for (unsigned i = from; i < nev; i++)
		if (!strcmp(ev[i], e))
			return (int)i;
	return -1;
}

static unsigned count_ev(const char *e)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nev; i++)
		n += !strcmp(ev[i], e);
	return n;
}

static void dump_events(void)
{
	for (unsigned i = 0; i < nev; i++)
		print_message("  %u %s\n", i, ev[i]);
}

/* Each of the events, in this order (others may come between). */
static void assert_order(const char *const *seq, size_t n)
{
	unsigned from = 0;
	for (size_t k = 0; k < n; k++) {
		int at = find_ev(seq[k], from);
		if (at < 0) {
			dump_events();
			fail_msg("event %s missing or out of order", seq[k]);
		}
		from = (unsigned)at + 1;
	}
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ward-sync-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir) || !realpath(dir, real_dir))
		return -1;
	snprintf(path, sizeof(path), "%s/leases", dir);
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	snprintf(tpath, sizeof(tpath), "%s.tmp", path);
	snprintf(real_path, sizeof(real_path), "%s/leases", real_dir);
	snprintf(real_jpath, sizeof(real_jpath), "%s.journal", real_path);
	snprintf(real_tpath, sizeof(real_tpath), "%s.tmp", real_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	trace_stop();
	unlink(path);
	unlink(jpath);
	unlink(tpath);
	char ip[400];
	snprintf(ip, sizeof(ip), "%s/image", dir);
	unlink(ip);
	snprintf(ip, sizeof(ip), "%s/image.journal", dir);
	unlink(ip);
	snprintf(ip, sizeof(ip), "%s/image.tmp", dir);
	unlink(ip);
	rmdir(dir);
	return 0;
}

static struct dhcp_lease mk(uint32_t ip)
{
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.ip = ip;
	l.expires = 1700000000;
	l.htype = 1;
	l.hlen = 6;
	l.hw[5] = (uint8_t)ip;
	return l;
}

/* ---- the power-cut model ---- */

struct blob {
	bool exists;
	uint8_t *p;
	size_t n;
};

struct image {
	struct blob main, journal;
	unsigned nacked, ninflight; /* changes acknowledged / written, not yet */
	char at[48];                /* the operation it precedes, and A or B */
};

static struct {
	bool on;
	struct blob main_cur;  /* synced content of the file named FILE now */
	struct blob main_dur;  /* ... and of the one the synced directory names */
	struct blob tmp_synced;
	struct blob j_synced;  /* the journal at its last sync */
	bool j_exists, j_name_durable;
	unsigned nacked, ninflight;
	struct image *img;
	size_t nimg, cap;
} pc;

static struct blob blob_copy(const struct blob *b)
{
	struct blob c = { b->exists, NULL, b->n };
	if (b->n) {
		c.p = malloc(b->n);
		if (!c.p)
			abort();
		memcpy(c.p, b->p, b->n);
	}
	return c;
}

static void blob_set(struct blob *dst, const struct blob *src)
{
	free(dst->p);
	*dst = blob_copy(src);
}

/* What the file open on fd holds now (read through /proc: the store may
 * have it write-only). */
static struct blob blob_of_fd(int fd)
{
	struct blob b = { true, NULL, 0 };
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	int rfd = open(link, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (rfd < 0 || fstat(rfd, &sb) < 0)
		abort();
	b.n = (size_t)sb.st_size;
	b.p = malloc(b.n ? b.n : 1);
	if (!b.p || pread(rfd, b.p, b.n, 0) != (ssize_t)b.n)
		abort();
	close(rfd);
	return b;
}

static void pc_image(const char *at, const struct blob *main, const struct blob *journal)
{
	if (pc.nimg == pc.cap) {
		pc.cap = pc.cap ? pc.cap * 2 : 256;
		pc.img = realloc(pc.img, pc.cap * sizeof(*pc.img));
		if (!pc.img)
			abort();
	}
	struct image *im = &pc.img[pc.nimg++];
	im->main = blob_copy(main);
	im->journal = blob_copy(journal);
	im->nacked = pc.nacked;
	im->ninflight = pc.ninflight;
	snprintf(im->at, sizeof(im->at), "%s", at);
}

static void pc_before(const char *what, const char *name)
{
	if (!pc.on)
		return;
	char at[48];
	struct blob none = { false, NULL, 0 };
	struct blob j = pc.j_synced;
	j.exists = pc.j_exists;
	snprintf(at, sizeof(at), "A before %s:%s", what, name);
	pc_image(at, &pc.main_dur, pc.j_name_durable ? &j : &none);
	snprintf(at, sizeof(at), "B before %s:%s", what, name);
	pc_image(at, &pc.main_cur, &j);
	if (!strcmp(name, "journal"))
		pc.j_exists = true; /* created by open, first touched now */
}

static void pc_after(const char *what, const char *name, int fd)
{
	if (!pc.on)
		return;
	struct blob none = { false, NULL, 0 };
	if (!strcmp(name, "journal")) {
		struct blob b = blob_of_fd(fd);
		blob_set(&pc.j_synced, &b);
		free(b.p);
	} else if (!strcmp(name, "tmp")) {
		struct blob b = blob_of_fd(fd);
		blob_set(&pc.tmp_synced, &b);
		free(b.p);
	} else if (!strcmp(what, "rename") && !strcmp(name, "tmp>main")) {
		blob_set(&pc.main_cur, &pc.tmp_synced);
		pc.main_cur.exists = true;
		blob_set(&pc.tmp_synced, &none);
	} else if (!strcmp(name, "dir")) {
		blob_set(&pc.main_dur, &pc.main_cur);
		if (pc.j_exists)
			pc.j_name_durable = true;
	}
}

/* ---- tests ---- */

static void test_new_store_synced_before_open_returns(void **state)
{
	(void)state;
	lease_store_t *st;
	trace_start();
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	trace_stop();
	/* the journal header written and synced, its name made durable (dir),
	 * and FILE created by the compaction path (tmp, fsync, rename, dir) */
	static const char *const seq[] = { "pwrite:journal", "fsync:journal", "fsync:dir" };
	assert_order(seq, 3);
	static const char *const seq2[] = { "fsync:tmp", "rename:tmp>main", "fsync:dir" };
	assert_order(seq2, 3);
	lease_store_close(st);
}

static void test_append_write_then_fdatasync_then_return(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease l = mk(0x0a000001);
	for (int i = 0; i < 3; i++) {
		trace_start();
		assert_int_equal(lease_store_append(st, i == 1 ? DHCP_LEASE_DEL : DHCP_LEASE_PUT, &l), 0);
		trace_stop();
		/* exactly: the record, then its fdatasync; nothing after it */
		if (nev != 2 || strcmp(ev[0], "pwrite:journal") || strcmp(ev[1], "fdatasync:journal")) {
			dump_events();
			fail_msg("append %d: expected pwrite:journal, fdatasync:journal", i);
		}
	}
	lease_store_close(st);
}

static void test_group_commit_one_write_one_sync(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	trace_start();
	for (uint32_t i = 0; i < 50; i++) {
		struct dhcp_lease l = mk(0x0a000100 + i);
		assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &l), 0);
	}
	assert_int_equal(nev, 0); /* staging touches no file */
	assert_int_equal(lease_store_commit(st), 0);
	trace_stop();
	assert_int_equal(nev, 2);
	assert_string_equal(ev[0], "pwrite:journal");
	assert_string_equal(ev[1], "fdatasync:journal");
	lease_store_close(st);
}

static void test_compaction_order(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	for (uint32_t i = 0; i < 20; i++) {
		struct dhcp_lease l = mk(0x0a000200 + i);
		assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &l), 0);
	}
	trace_start();
	assert_int_equal(lease_store_compact(st), 0);
	trace_stop();
	static const char *const seq[] = {
		"pwrite:tmp",      /* 1. the set into FILE.tmp */
		"fsync:tmp",       /*    made durable */
		"rename:tmp>main", /* 2. atomically over FILE */
		"fsync:dir",       /* 3. the rename made durable */
		"ftruncate:journal", /* 4. only now the journal emptied */
		"fsync:journal",   /*    and that made durable */
	};
	assert_order(seq, sizeof(seq) / sizeof(seq[0]));
	/* nothing touches the journal before the directory is synced */
	int dsync = find_ev("fsync:dir", 0);
	for (int i = 0; i < dsync; i++)
		if (strstr(ev[i], ":journal")) {
			dump_events();
			fail_msg("journal touched before the rename was durable: %s", ev[i]);
		}
	/* and the next append comes after all of it */
	trace_start();
	struct dhcp_lease l = mk(0x0a0002ff);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &l), 0);
	trace_stop();
	assert_int_equal(nev, 2);
	lease_store_close(st);
}

/* After a failed write the next commit rewrites FILE (tmp, fsync, rename,
 * dir, journal emptied and synced) before it writes the journal again. */
static void test_recovery_compacts_first(void **state)
{
	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit saved, rl;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1u << 20)
		skip();
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000301), b = mk(0x0a000302);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	rl = saved;
	rl.rlim_cur = lease_store_journal_bytes(st) + 4;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), WARD_ELEASE_WRITE);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	trace_start();
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	trace_stop();
	static const char *const seq[] = { "fsync:tmp", "rename:tmp>main", "fsync:dir",
	                                   "ftruncate:journal", "fsync:journal",
	                                   "pwrite:journal", "fdatasync:journal" };
	assert_order(seq, sizeof(seq) / sizeof(seq[0]));
	assert_int_equal(count_ev("fdatasync:journal"), 1);
	assert_string_equal(ev[nev - 1], "fdatasync:journal");
	lease_store_close(st);
	signal(SIGXFSZ, SIG_DFL);
}

enum { PC_POOL = 12, PC_STEPS = 60, PC_MAX_CHANGES = 128 };

struct change {
	enum dhcp_lease_op op;
	struct dhcp_lease l;
};

static struct change changes[PC_MAX_CHANGES];
static unsigned nchanges;

static void spit_blob(const char *p, const struct blob *b)
{
	unlink(p);
	if (!b->exists)
		return;
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	if (b->n)
		assert_int_equal(fwrite(b->p, 1, b->n, f), b->n);
	fclose(f);
}

/* The set after the first k changes, as present[] / lease[]. */
static void model_after(unsigned k, bool *present, struct dhcp_lease *lease)
{
	memset(present, 0, PC_POOL * sizeof(*present));
	for (unsigned c = 0; c < k; c++) {
		unsigned i = changes[c].l.ip - 0x0a000400;
		present[i] = changes[c].op == DHCP_LEASE_PUT;
		lease[i] = changes[c].l;
	}
}

static bool image_matches(lease_store_t *st, unsigned k)
{
	bool present[PC_POOL];
	struct dhcp_lease lease[PC_POOL];
	model_after(k, present, lease);
	if (lease_store_count(st) > PC_POOL)
		return false;
	size_t n = 0;
	for (unsigned i = 0; i < PC_POOL; i++) {
		struct dhcp_lease got;
		int rc = lease_store_get(st, 0x0a000400 + i, &got);
		if (present[i] != (rc == 0))
			return false;
		if (rc == 0) {
			n++;
			if (memcmp(&got, &lease[i], sizeof(got)) != 0)
				return false;
		}
	}
	return n == lease_store_count(st);
}

static void pc_change(lease_store_t *st, unsigned *seed, bool stage_only)
{
	assert_true(nchanges < PC_MAX_CHANGES);
	unsigned i = (unsigned)rand_r(seed) % PC_POOL;
	bool present[PC_POOL];
	struct dhcp_lease lease[PC_POOL];
	model_after(nchanges, present, lease);
	struct change *c = &changes[nchanges];
	c->l = mk(0x0a000400 + i);
	c->l.expires = 1700000000 + (int64_t)nchanges;
	c->op = present[i] && rand_r(seed) % 2 ? DHCP_LEASE_DEL : DHCP_LEASE_PUT;
	if (c->op == DHCP_LEASE_DEL)
		c->l = lease[i];
	nchanges++;
	pc.ninflight++;
	if (stage_only) {
		assert_int_equal(lease_store_stage(st, c->op, &c->l), 0);
		return;
	}
	assert_int_equal(lease_store_append(st, c->op, &c->l), 0);
	pc.nacked += pc.ninflight; /* acknowledged: append returned */
	pc.ninflight = 0;
}

static void test_power_cut_images(void **state)
{
	(void)state;
	memset(&pc, 0, sizeof(pc));
	nchanges = 0;
	unsigned seed = 4242;
	lease_store_t *st;
	pc.on = true;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	for (int step = 0; step < PC_STEPS; step++) {
		if (step % 9 == 4) { /* a group commit of three */
			for (int k = 0; k < 3; k++)
				pc_change(st, &seed, true);
			assert_int_equal(lease_store_commit(st), 0);
			pc.nacked += pc.ninflight;
			pc.ninflight = 0;
		} else {
			pc_change(st, &seed, false);
		}
		if (step % 7 == 6)
			assert_int_equal(lease_store_compact(st), 0);
	}
	pc_before("end", "-");
	pc.on = false;
	lease_store_close(st);

	/* every image, opened by the store */
	char ipath[400], ijpath[420];
	snprintf(ipath, sizeof(ipath), "%s/image", dir);
	snprintf(ijpath, sizeof(ijpath), "%s.journal", ipath);
	unsigned lost_some = 0;
	for (size_t k = 0; k < pc.nimg; k++) {
		struct image *im = &pc.img[k];
		spit_blob(ipath, &im->main);
		spit_blob(ijpath, &im->journal);
		lease_store_t *is;
		int rc = lease_store_open(ipath, &is, NULL);
		if (rc != 0)
			fail_msg("image %zu (%s): open: %s", k, im->at, ward_strerror(rc));
		bool ok = false;
		for (unsigned p = 0; p <= im->ninflight && !ok; p++)
			ok = image_matches(is, im->nacked + p);
		size_t count = lease_store_count(is);
		lease_store_close(is);
		if (!ok)
			fail_msg("image %zu (%s): not the %u acknowledged changes plus a "
			         "prefix of the %u in flight (%zu leases)", k, im->at,
			         im->nacked, im->ninflight, count);
		lost_some += im->ninflight > 0;
		free(im->main.p);
		free(im->journal.p);
	}
	unlink(ipath);
	unlink(ijpath);
	print_message("%zu power-cut images checked (%u with changes in flight), "
	              "%u changes\n", pc.nimg, lost_some, nchanges);
	assert_true(pc.nimg > 4 * PC_STEPS);
	free(pc.img);
	free(pc.main_cur.p);
	free(pc.main_dur.p);
	free(pc.tmp_synced.p);
	free(pc.j_synced.p);
	memset(&pc, 0, sizeof(pc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_store_synced_before_open_returns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_write_then_fdatasync_then_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_one_write_one_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_compacts_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cut_images, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
