/* Unit tests: daemon/lease_store.c — the lease file plus journal on disk:
 * reopen after appends, compaction, a dnsmasq lease file read as is, every
 * crash point of compaction rebuilt by hand (stale FILE.tmp, rename done but
 * journal not emptied), a torn journal tail cut at open so later appends
 * survive, the lock, failed writes (RLIMIT_FSIZE) refused and recovered,
 * group commit, and a random model check across reopens. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "codec/error.h"
#include "daemon/lease_store.h"

static char dir[256];
static char path[300];
static char jpath[320];
static char tpath[320];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ward-lease-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/dnsmasq.leases", dir);
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	snprintf(tpath, sizeof(tpath), "%s.tmp", path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	unlink(jpath);
	unlink(tpath);
	rmdir(dir);
	return 0;
}

static struct dhcp_lease mk(uint32_t ip, uint8_t client, int64_t exp, const char *name)
{
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.ip = ip;
	l.expires = exp;
	l.htype = 1;
	l.hlen = 6;
	memcpy(l.hw, "\x52\x54\x00\x00\x00", 5);
	l.hw[5] = client;
	l.cid_len = 7;
	l.cid[0] = 1;
	memcpy(l.cid + 1, l.hw, 6);
	if (name)
		snprintf(l.hostname, sizeof(l.hostname), "%s", name);
	return l;
}

static void assert_has(lease_store_t *st, const struct dhcp_lease *want)
{
	struct dhcp_lease got;
	assert_int_equal(lease_store_get(st, want->ip, &got), 0);
	assert_memory_equal(&got, want, sizeof(got));
}

static void assert_absent(lease_store_t *st, uint32_t ip)
{
	struct dhcp_lease got;
	assert_int_equal(lease_store_get(st, ip, &got), WARD_ENOTFOUND);
}

static size_t slurp(const char *p, char *buf, size_t cap)
{
	int fd = open(p, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return (size_t)n;
}

static void spit(const char *p, const void *buf, size_t n)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
	close(fd);
}

static lease_store_t *reopen(lease_store_t *st, struct lease_store_report *rep)
{
	lease_store_close(st);
	lease_store_t *n;
	int rc = lease_store_open(path, &n, rep);
	if (rc != 0)
		fail_msg("open: %s", ward_strerror(rc));
	return n;
}

static void test_fresh_append_reopen(void **state)
{
	(void)state;
	lease_store_t *st;
	struct lease_store_report rep;
	assert_int_equal(lease_store_open(path, &st, &rep), 0);
	assert_true(rep.created);
	assert_int_equal(lease_store_count(st), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0); /* FILE exists, empty */
	assert_int_equal(sb.st_size, 0);

	struct dhcp_lease a = mk(0x0a000001, 1, 1700000000, "alpha");
	struct dhcp_lease b = mk(0x0a000002, 2, 0, NULL);
	struct dhcp_lease c = mk(0x0a000003, 3, 1700000500, "gamma");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_DEL, &a), 0);
	a.expires = 1700009999; /* renewed after being deleted: a new put */
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_DEL, &c), 0);
	assert_int_equal(lease_store_count(st), 2);
	assert_int_equal(lease_store_get_stats(st)->commits, 6);
	/* O(1) per change: FILE untouched, only the journal grew */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(lease_store_journal_records(st), 6);

	st = reopen(st, &rep);
	assert_false(rep.created);
	assert_int_equal(rep.journal.records, 6);
	assert_int_equal(rep.journal.torn_len, 0);
	assert_int_equal(lease_store_count(st), 2);
	assert_has(st, &a);
	assert_has(st, &b);
	assert_absent(st, c.ip);
	lease_store_close(st);
}

static void test_compact_writes_dnsmasq_text(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0xc0a8010a, 0x56, 1700000000, "laptop");
	struct dhcp_lease b = mk(0xc0a8010b, 0x57, 0, NULL);
	b.cid_len = 0;
	memset(b.cid, 0, sizeof(b.cid));
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_compact(st), 0);
	assert_int_equal(lease_store_journal_bytes(st), LEASE_JOURNAL_HDR_LEN);
	assert_int_equal(lease_store_journal_records(st), 0);
	char text[4096];
	slurp(path, text, sizeof(text));
	const char *la = "1700000000 52:54:00:00:00:56 192.168.1.10 laptop "
	                 "01:52:54:00:00:00:56\n";
	const char *lb = "0 52:54:00:00:00:57 192.168.1.11 * *\n";
	/* dnsmasq's lines, by address */
	char both[256];
	snprintf(both, sizeof(both), "%s%s", la, lb);
	assert_string_equal(text, both);
	struct lease_store_report rep;
	st = reopen(st, &rep);
	assert_int_equal(rep.file.leases, 2);
	assert_int_equal(rep.file.bad, 0);
	assert_int_equal(rep.journal.records, 0);
	assert_has(st, &a);
	assert_has(st, &b);
	lease_store_close(st);
}

/* A lease file as dnsmasq leaves it (with its DHCPv6 lines and a damaged
 * line) is read on first start; bad lines are reported, not fatal. */
static void test_reads_dnsmasq_file(void **state)
{
	(void)state;
	const char *file =
		"1700000000 52:54:00:12:34:56 192.168.1.10 laptop 01:52:54:00:12:34:56\n"
		"0 06-00:11:22:33:44:55 192.168.1.11 printer *\n"
		"1700000100 52:54:00:ab:cd:ef 192.168.1.12 phone *\n"
		"1700000200 52:54:00:ab:cd:ef 192.168.1.999 broken *\n"
		"duid 00:01:00:01:2a:2b:2c:2d:52:54:00:12:34:56\n"
		"1700000300 12345678 fd00::10 laptop6 00:01:00:01:2a:2b:2c:2d\n"
		"1700000400 52:54:00:ab:cd:ef 192.168.1.12 phone2 *\n"; /* same address */
	spit(path, file, strlen(file));
	lease_store_t *st;
	struct lease_store_report rep;
	assert_int_equal(lease_store_open(path, &st, &rep), 0);
	assert_false(rep.created);
	assert_int_equal(rep.file.leases, 4);
	assert_int_equal(rep.file.bad, 1);
	assert_int_equal(rep.bad_line[0], 4);
	assert_int_equal(rep.bad_err[0], WARD_EADDR);
	assert_int_equal(rep.file.duid, 1);
	assert_int_equal(rep.file.v6, 1);
	assert_int_equal(rep.duplicates, 1);
	assert_int_equal(lease_store_count(st), 3);
	struct dhcp_lease l;
	assert_int_equal(lease_store_get(st, 0xc0a8010b, &l), 0);
	assert_int_equal(l.htype, 6);
	assert_string_equal(l.hostname, "printer");
	assert_int_equal(lease_store_get(st, 0xc0a8010c, &l), 0);
	assert_string_equal(l.hostname, "phone2"); /* the later line wins */
	assert_int_equal(l.expires, 1700000400);
	/* the file was not rewritten by reading it */
	char text[4096];
	assert_int_equal(slurp(path, text, sizeof(text)), strlen(file));
	lease_store_close(st);
}

/* Crash in compaction step 1 (FILE.tmp written, not renamed): the old FILE
 * and the full journal still hold the set; open removes the leftover. */
static void test_crash_before_rename(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 100, "a");
	struct dhcp_lease b = mk(0x0a000002, 2, 200, "b");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_compact(st), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_DEL, &a), 0);
	static char old_file[4096], old_journal[4096], new_file[4096];
	size_t of = slurp(path, old_file, sizeof(old_file));
	size_t oj = slurp(jpath, old_journal, sizeof(old_journal));
	assert_int_equal(lease_store_compact(st), 0);
	size_t nf = slurp(path, new_file, sizeof(new_file));
	lease_store_close(st);
	/* the state just before the rename */
	spit(path, old_file, of);
	spit(jpath, old_journal, oj);
	spit(tpath, new_file, nf / 2); /* even half-written */
	struct lease_store_report rep;
	assert_int_equal(lease_store_open(path, &st, &rep), 0);
	assert_true(rep.stale_tmp);
	assert_int_equal(access(tpath, F_OK), -1);
	assert_int_equal(rep.journal.records, 2);
	assert_int_equal(lease_store_count(st), 1);
	assert_has(st, &b);
	assert_absent(st, a.ip);
	lease_store_close(st);
}

/* Crash after the rename, before the journal is emptied: the new FILE plus
 * the old journal replayed over it (idempotent) is the same set. */
static void test_crash_after_rename(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 100, "a");
	struct dhcp_lease b = mk(0x0a000002, 2, 200, "b");
	struct dhcp_lease c = mk(0x0a000003, 3, 300, "c");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_DEL, &a), 0);
	a.expires = 150;
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_DEL, &b), 0);
	static char old_journal[4096];
	size_t oj = slurp(jpath, old_journal, sizeof(old_journal));
	assert_int_equal(lease_store_compact(st), 0);
	lease_store_close(st);
	spit(jpath, old_journal, oj); /* the truncation never happened */
	struct lease_store_report rep;
	assert_int_equal(lease_store_open(path, &st, &rep), 0);
	assert_int_equal(rep.file.leases, 2);
	assert_int_equal(rep.journal.records, 6);
	assert_int_equal(lease_store_count(st), 2);
	assert_has(st, &a);
	assert_has(st, &c);
	assert_absent(st, b.ip);
	/* and a compaction from there converges */
	assert_int_equal(lease_store_compact(st), 0);
	st = reopen(st, &rep);
	assert_int_equal(rep.journal.records, 0);
	assert_int_equal(lease_store_count(st), 2);
	assert_has(st, &a);
	assert_has(st, &c);
	lease_store_close(st);
}

/* A torn last record is cut off at open, so a change appended after the
 * restart is not stranded behind it. */
static void test_torn_tail_cut_then_append(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 100, "a");
	struct dhcp_lease b = mk(0x0a000002, 2, 200, "b");
	struct dhcp_lease c = mk(0x0a000003, 3, 300, "c");
	struct dhcp_lease d = mk(0x0a000004, 4, 400, "d");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	size_t full = lease_store_journal_bytes(st);
	lease_store_close(st);
	assert_int_equal(truncate(jpath, (off_t)full - 5), 0);
	struct lease_store_report rep;
	assert_int_equal(lease_store_open(path, &st, &rep), 0);
	assert_int_equal(rep.journal.records, 2);
	assert_true(rep.journal.torn_len > 0);
	assert_int_equal(rep.journal.tail_err, WARD_ETRUNC);
	assert_absent(st, c.ip);
	struct stat sb;
	assert_int_equal(stat(jpath, &sb), 0);
	assert_int_equal((size_t)sb.st_size, rep.journal.valid_len); /* cut */
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &d), 0);
	st = reopen(st, &rep);
	assert_int_equal(rep.journal.records, 3);
	assert_int_equal(rep.journal.torn_len, 0);
	assert_has(st, &a);
	assert_has(st, &b);
	assert_has(st, &d);
	assert_absent(st, c.ip);
	lease_store_close(st);
}

static void test_lock_and_foreign_journal(void **state)
{
	(void)state;
	lease_store_t *st, *st2;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	assert_int_equal(lease_store_open(path, &st2, NULL), WARD_ELEASE_LOCKED);
	assert_null(st2);
	lease_store_close(st);
	/* a journal that is not ours is refused and left alone */
	const char *foreign = "this is not a ward journal\n";
	spit(jpath, foreign, strlen(foreign));
	assert_int_equal(lease_store_open(path, &st, NULL), WARD_ELEASE_JMAGIC);
	char buf[128];
	assert_int_equal(slurp(jpath, buf, sizeof(buf)), strlen(foreign));
	assert_int_equal(lease_store_open("", &st, NULL), WARD_EINVAL);
}

static void set_fsize(rlim_t soft)
{
	struct rlimit rl;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = soft;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

/* A write that fails (here: past RLIMIT_FSIZE, EFBIG) is refused — not in
 * the set, not after a restart — and the store recovers by a rewrite. */
static void test_failed_write_refused_and_recovered(void **state)
{
	(void)state;
	struct rlimit saved;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1u << 20)
		skip();
	signal(SIGXFSZ, SIG_IGN);
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 100, "a");
	struct dhcp_lease b = mk(0x0a000002, 2, 200, "b");
	struct dhcp_lease c = mk(0x0a000003, 3, 300, "c");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	set_fsize(lease_store_journal_bytes(st) + 4);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), WARD_ELEASE_WRITE);
	assert_int_equal(errno, EFBIG);
	assert_absent(st, b.ip);
	assert_int_equal(lease_store_get_stats(st)->failures, 1);
	/* still failing: the recovery rewrite fails too, change refused */
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), WARD_ELEASE_WRITE);
	assert_absent(st, c.ip);
	set_fsize(saved.rlim_cur);
	/* the next change first rewrites FILE, then goes to a fresh journal */
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	assert_true(lease_store_get_stats(st)->compactions >= 1);
	assert_int_equal(lease_store_journal_records(st), 1);
	struct lease_store_report rep;
	st = reopen(st, &rep);
	assert_has(st, &a);
	assert_has(st, &c);
	assert_absent(st, b.ip);
	/* a compaction that cannot write FILE.tmp fails and loses nothing */
	set_fsize(16);
	assert_int_equal(lease_store_compact(st), WARD_ELEASE_WRITE);
	set_fsize(saved.rlim_cur);
	assert_int_equal(access(tpath, F_OK), -1);
	st = reopen(st, &rep);
	assert_int_equal(lease_store_count(st), 2);
	assert_has(st, &a);
	assert_has(st, &c);
	lease_store_close(st);
	signal(SIGXFSZ, SIG_DFL);
}

static void test_group_commit(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	for (uint32_t i = 0; i < 100; i++) {
		struct dhcp_lease l = mk(0x0a000100 + i, (uint8_t)i, 1000 + i, "host");
		assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &l), 0);
	}
	struct dhcp_lease bad = mk(0x0a0000ff, 1, 1, "has space");
	assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &bad), WARD_ELEASE_HOSTNAME);
	assert_int_equal(lease_store_staged(st), 100);
	assert_int_equal(lease_store_count(st), 0); /* not before the commit */
	assert_int_equal(lease_store_commit(st), 0);
	assert_int_equal(lease_store_staged(st), 0);
	assert_int_equal(lease_store_count(st), 100);
	assert_int_equal(lease_store_get_stats(st)->commits, 1);
	assert_int_equal(lease_store_get_stats(st)->records, 100);
	struct lease_store_report rep;
	st = reopen(st, &rep);
	assert_int_equal(lease_store_count(st), 100);
	struct dhcp_lease l = mk(0x0a000100 + 42, 42, 1042, "host");
	assert_has(st, &l);
	lease_store_close(st);
}

/* The commit in three steps (wardd runs the middle one on a worker
 * thread): changes staged while a job is in flight wait for the next
 * commit, the set changes only at the end, everything that would touch the
 * journal meanwhile is refused, and both commits survive a reopen. */
static void test_async_commit(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000101, 1, 1001, "a");
	struct dhcp_lease b = mk(0x0a000102, 2, 1002, "b");
	struct lease_store_job job;
	assert_int_equal(lease_store_commit_begin(st, &job), 0);
	assert_int_equal(job.n, 0); /* nothing staged */
	assert_false(lease_store_busy(st));
	assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_commit_begin(st, &job), 0);
	assert_int_equal(job.n, 1);
	assert_true(lease_store_busy(st));
	assert_int_equal(lease_store_staged(st), 0);
	/* staging goes on; the rest waits */
	assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_staged(st), 1);
	struct lease_store_job other;
	assert_int_equal(lease_store_commit_begin(st, &other), WARD_ELEASE_BUSY);
	assert_int_equal(lease_store_commit(st), WARD_ELEASE_BUSY);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), WARD_ELEASE_BUSY);
	assert_int_equal(lease_store_compact(st), WARD_ELEASE_BUSY);
	assert_int_equal(lease_store_expire(st, 5000), WARD_ELEASE_BUSY);
	assert_int_equal(lease_store_staged(st), 1); /* the refused append staged nothing */
	assert_absent(st, a.ip);
	lease_store_commit_io(&job);
	assert_int_equal(job.rc, 0);
	assert_absent(st, a.ip); /* durable, not yet in the set */
	assert_int_equal(lease_store_commit_end(st, &job), 0);
	assert_false(lease_store_busy(st));
	assert_has(st, &a);
	assert_absent(st, b.ip);
	assert_int_equal(lease_store_commit(st), 0);
	assert_has(st, &b);
	assert_int_equal(lease_store_get_stats(st)->commits, 2);
	st = reopen(st, NULL);
	assert_has(st, &a);
	assert_has(st, &b);
	lease_store_close(st);
}

/* A job whose write fails (the descriptor gone, as a failed disk would
 * answer): nothing of it enters the set, the store compacts before the
 * next commit, and what was committed before and after is on disk. */
static void test_async_commit_failure(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000101, 1, 1001, "a");
	struct dhcp_lease b = mk(0x0a000102, 2, 1002, "b");
	struct dhcp_lease c = mk(0x0a000103, 3, 1003, "c");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &b), 0);
	struct lease_store_job job;
	assert_int_equal(lease_store_commit_begin(st, &job), 0);
	job.fd = -1; /* EBADF */
	lease_store_commit_io(&job);
	assert_int_equal(job.rc, WARD_ELEASE_WRITE);
	assert_int_equal(job.err, EBADF);
	assert_int_equal(lease_store_commit_end(st, &job), WARD_ELEASE_WRITE);
	assert_false(lease_store_busy(st));
	assert_absent(st, b.ip);
	assert_true(lease_store_compact_due(st));
	assert_int_equal(lease_store_get_stats(st)->failures, 1);
	uint64_t compactions = lease_store_get_stats(st)->compactions;
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	assert_int_equal(lease_store_get_stats(st)->compactions, compactions + 1);
	assert_false(lease_store_compact_due(st));
	st = reopen(st, NULL);
	assert_has(st, &a);
	assert_absent(st, b.ip);
	assert_has(st, &c);
	lease_store_close(st);
}

/* ward lease's view: works while the store is open (locked) elsewhere,
 * changes nothing on disk, reports a torn tail without cutting it. */
static void test_readonly(void **state)
{
	(void)state;
	lease_store_t *st, *ro;
	assert_int_equal(lease_store_open_readonly(path, &ro, NULL), WARD_EIO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(path, F_OK), -1); /* nothing created */
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 100, "a");
	struct dhcp_lease b = mk(0x0a000002, 2, 200, "b");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	size_t full = lease_store_journal_bytes(st);
	struct lease_store_report rep;
	assert_int_equal(lease_store_open_readonly(path, &ro, &rep), 0);
	assert_int_equal(lease_store_count(ro), 2);
	assert_has(ro, &a);
	assert_int_equal(lease_store_append(ro, DHCP_LEASE_DEL, &a), WARD_EINVAL);
	assert_int_equal(lease_store_compact(ro), WARD_EINVAL);
	lease_store_close(ro);
	lease_store_close(st);
	assert_int_equal(truncate(jpath, (off_t)full - 3), 0);
	assert_int_equal(lease_store_open_readonly(path, &ro, &rep), 0);
	assert_int_equal(rep.journal.records, 1);
	assert_int_equal(rep.journal.torn_len, full - 3 - rep.journal.valid_len);
	lease_store_close(ro);
	struct stat sb;
	assert_int_equal(stat(jpath, &sb), 0);
	assert_int_equal((size_t)sb.st_size, full - 3); /* not cut */
}

static void test_expire(void **state)
{
	(void)state;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	struct dhcp_lease a = mk(0x0a000001, 1, 1000, "a"); /* ends at 1000 */
	struct dhcp_lease b = mk(0x0a000002, 2, 0, "b");    /* infinite */
	struct dhcp_lease c = mk(0x0a000003, 3, 1001, "c");
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &a), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &b), 0);
	assert_int_equal(lease_store_append(st, DHCP_LEASE_PUT, &c), 0);
	assert_int_equal(lease_store_expire(st, 999), 0);
	assert_int_equal(lease_store_count(st), 3);
	assert_int_equal(lease_store_expire(st, 1000), 1);
	assert_absent(st, a.ip);
	assert_int_equal(lease_store_count(st), 2);
	struct lease_store_report rep;
	st = reopen(st, &rep);
	assert_absent(st, a.ip);
	assert_has(st, &b);
	assert_has(st, &c);
	lease_store_close(st);
}

struct count_ctx {
	size_t n;
	const uint8_t *present; /* model: 1 where a lease is expected */
	uint32_t base;
};

static int count_cb(void *ctx, const struct dhcp_lease *l)
{
	struct count_ctx *c = ctx;
	if (l->ip < c->base || !c->present[l->ip - c->base])
		return -1;
	c->n++;
	return 0;
}

/* Random puts/deletes over a small pool with compactions and reopens at
 * random: the store always equals a plain array model, and compaction comes
 * due as the journal outgrows the set. */
static void test_random_model(void **state)
{
	(void)state;
	enum { POOL = 64, STEPS = 6000 };
	static struct dhcp_lease model[POOL];
	static uint8_t present[POOL];
	memset(present, 0, sizeof(present));
	unsigned seed = 99;
	lease_store_t *st;
	assert_int_equal(lease_store_open(path, &st, NULL), 0);
	unsigned due_seen = 0;
	for (int step = 0; step < STEPS; step++) {
		unsigned i = (unsigned)rand_r(&seed) % POOL;
		struct dhcp_lease l = mk(0x0a010000 + i, (uint8_t)rand_r(&seed),
		                         rand_r(&seed) % 100000, rand_r(&seed) % 2 ? "n" : NULL);
		if (rand_r(&seed) % 3 == 0) {
			assert_int_equal(lease_store_stage(st, DHCP_LEASE_DEL, &l), 0);
			present[i] = 0;
		} else {
			assert_int_equal(lease_store_stage(st, DHCP_LEASE_PUT, &l), 0);
			model[i] = l;
			present[i] = 1;
		}
		if (rand_r(&seed) % 50 == 0 || step == STEPS - 1) {
			assert_int_equal(lease_store_commit(st), 0);
			if (lease_store_compact_due(st)) {
				due_seen++;
				assert_int_equal(lease_store_compact(st), 0);
				assert_false(lease_store_compact_due(st));
			}
			if (rand_r(&seed) % 10 == 0) {
				struct lease_store_report rep;
				st = reopen(st, &rep);
			}
			size_t n = 0;
			for (unsigned k = 0; k < POOL; k++) {
				if (present[k]) {
					assert_has(st, &model[k]);
					n++;
				} else {
					assert_absent(st, 0x0a010000 + k);
				}
			}
			assert_int_equal(lease_store_count(st), n);
			struct count_ctx cc = { 0, present, 0x0a010000 };
			assert_int_equal(lease_store_foreach(st, count_cb, &cc), 0);
			assert_int_equal(cc.n, n);
		}
	}
	/* 6000 changes of ~40 octets over <= 64 leases pass 64 KiB */
	assert_true(due_seen >= 1);
	lease_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_append_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact_writes_dnsmasq_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_dnsmasq_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_before_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_after_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_cut_then_append, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_and_foreign_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_refused_and_recovered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_commit_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_model, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
