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
 *   - recovery after a failed write compacts before writing the journal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
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
	record("pwrite", fd_name(fd));
	return real(fd, buf, n, off);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))next_fn("fsync");
	record("fsync", fd_name(fd));
	return real(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))next_fn("fdatasync");
	record("fdatasync", fd_name(fd));
	return real(fd);
}

int ftruncate(int fd, off_t len)
{
	static int (*real)(int, off_t);
	if (!real)
		real = (int (*)(int, off_t))next_fn("ftruncate");
	record("ftruncate", fd_name(fd));
	return real(fd, len);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))next_fn("rename");
	char both[32];
	snprintf(both, sizeof(both), "%s>%s", path_name(from), path_name(to));
	record("rename", both);
	return real(from, to);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_store_synced_before_open_returns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_write_then_fdatasync_then_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_one_write_one_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_compacts_first, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
