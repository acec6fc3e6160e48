/* wardd: the durable lease store (see lease_store.h).
 *
 * Files: FILE (dnsmasq text, every lease at the last compaction), FILE.journal
 * (header + change records since then, dhcp/lease_journal.h), FILE.tmp (only
 * while a compaction writes it).
 *
 * Invariant: the current lease set == FILE with the journal's good records
 * replayed over it, in order. Every record states one address's whole lease
 * (or its absence), so replay is idempotent: replaying records whose effect
 * FILE already holds yields the same set (for each address, the last record
 * that names it decides; an address no record names keeps FILE's lease).
 *
 * Durability of a change (commit): the records are written at the end of the
 * journal with pwrite and fdatasync'd before commit returns 0, and the caller
 * sends the ACK only then. A crash before the fdatasync returns may leave a
 * prefix of the batch, or a torn record: replay stops at the first record
 * whose length or CRC-32C does not check, and open cuts that tail off (so
 * records appended later are not stranded behind garbage). Those changes
 * were never acknowledged, so losing them breaks no promise; keeping a
 * complete one is harmless too (an un-ACKed offer the client will retry).
 *
 * Compaction, step by step, and what a crash after each step leaves:
 *   1. write the set to FILE.tmp, fsync it
 *        crash: FILE and journal untouched -> same set; open removes FILE.tmp
 *   2. rename FILE.tmp over FILE (atomic: FILE is old or new, never partial)
 *   3. fsync the directory, making the rename durable
 *        crash after 2 or 3: FILE may be old or new; the journal still holds
 *        every record -> old FILE + journal = set, and new FILE + journal =
 *        set by idempotence. Nothing lost, nothing doubled.
 *   4. truncate the journal to its header, fsync it
 *        crash: journal full (as above) or empty with FILE new and durable
 *        (step 3 finished first) -> set.
 * Appends resume at the header only after step 4's fsync returned, so a new
 * record can never land on top of a journal whose truncation is not durable.
 *
 * After a failed write or fsync of the journal its contents are unknown (a
 * failed fsync may drop dirty pages and report success next time), so the
 * store marks itself failed and the next commit first compacts: FILE is
 * rewritten from the in-memory set (committed changes only) and the journal
 * emptied, by the steps above. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/lease_store.h"
#include "daemon/lease_store_map.h"

#define WRITE_CHUNK (64u * 1024) /* compaction writes FILE in pieces this big */

struct lease_store {
	char *path, *jpath, *tmppath, *dirpath;
	int jfd;
	size_t jlen;        /* journal octets that hold good records (+ header) */
	unsigned jrecords;  /* records in the journal */
	bool failed;        /* a journal write failed: compact before appending */
	bool readonly;      /* lease_store_open_readonly: no lock, no writes */
	struct lease_map map; /* the committed set */
	uint8_t *stage;     /* encoded staged records */
	size_t stage_len, stage_cap, stage_n;
	uint8_t *spare;     /* the other staging buffer (NULL while lent to a job) */
	size_t spare_cap, job_cap;
	bool busy;          /* a job is in flight (lease_store_commit_begin) */
	struct lease_store_stats stats;
};

/* ---- small I/O helpers ---- */

static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);
	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb + 1);
	}
	return s;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return concat(".", "");
	if (slash == path)
		return concat("/", "");
	char *d = malloc((size_t)(slash - path) + 1);
	if (d) {
		memcpy(d, path, (size_t)(slash - path));
		d[slash - path] = '\0';
	}
	return d;
}

static int write_all(int fd, const void *buf, size_t n, off_t off)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t w = pwrite(fd, p, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

/* Whole file into a malloc'd buffer (NULL, 0 when it does not exist). */
static int read_file(int fd, uint8_t **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		return WARD_EIO;
	if ((uint64_t)sb.st_size > LEASE_STORE_FILE_MAX)
		return WARD_ELEASE_TOOBIG;
	size_t size = (size_t)sb.st_size;
	uint8_t *b = malloc(size ? size : 1);
	if (!b)
		return WARD_ENOMEM;
	size_t got = 0;
	while (got < size) {
		ssize_t r = pread(fd, b + got, size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return WARD_EIO;
		}
		if (r == 0)
			break; /* shrank meanwhile: take what is there */
		got += (size_t)r;
	}
	*buf = b;
	*len = got;
	return 0;
}

static int fsync_dir(const lease_store_t *st)
{
	int fd = open(st->dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* ---- open ---- */

struct load_ctx {
	lease_store_t *st;
	struct lease_store_report *rep;
};

static int load_line(void *ctx, const struct dhcp_lease *l, unsigned line)
{
	struct load_ctx *c = ctx;
	(void)line;
	if (lease_map_has(&c->st->map, l->ip))
		c->rep->duplicates++;
	int rc = lease_map_apply(&c->st->map, DHCP_LEASE_PUT, l);
	/* a line the parser accepted but the journal cannot hold (not expected:
	 * both use lease_text_check's rules) is dropped like a bad line */
	return rc == WARD_ENOMEM ? rc : 0;
}

static void load_bad(void *ctx, unsigned line, int err)
{
	struct load_ctx *c = ctx;
	unsigned k = c->rep->file.bad - 1; /* the parser counted it already */
	if (k < LEASE_STORE_BAD_KEPT) {
		c->rep->bad_line[k] = line;
		c->rep->bad_err[k] = err;
	}
}

static int load_main(lease_store_t *st, struct lease_store_report *rep,
                     bool *exists)
{
	int fd = open(st->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*exists = false;
		return errno == ENOENT ? 0 : WARD_EIO;
	}
	*exists = true;
	uint8_t *buf;
	size_t len;
	int rc = read_file(fd, &buf, &len);
	close(fd);
	if (rc < 0)
		return rc;
	struct load_ctx c = { st, rep };
	struct lease_text_sink sink = { load_line, load_bad, &c };
	rc = lease_text_parse((const char *)buf, len, &sink, &rep->file);
	free(buf);
	return rc;
}

static int replay_apply(void *ctx, enum dhcp_lease_op op, const struct dhcp_lease *l)
{
	lease_store_t *st = ctx;
	return lease_map_apply(&st->map, op, l);
}

static int load_journal(lease_store_t *st, struct lease_store_report *rep)
{
	uint8_t *buf;
	size_t len;
	int rc = read_file(st->jfd, &buf, &len);
	if (rc < 0)
		return rc;
	rc = lease_journal_replay(buf, len, replay_apply, st, &rep->journal);
	free(buf);
	if (rc < 0)
		return rc;
	st->jrecords = rep->journal.records;
	st->jlen = rep->journal.valid_len;
	if (st->readonly)
		return 0;
	/* cut a torn tail (and complete a header never finished) before any
	 * append, or new records would sit behind garbage replay stops at */
	if (rep->journal.torn_len || st->jlen < LEASE_JOURNAL_HDR_LEN) {
		if (ftruncate(st->jfd, (off_t)st->jlen) < 0)
			return WARD_EIO;
		if (st->jlen < LEASE_JOURNAL_HDR_LEN) {
			if (write_all(st->jfd, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN, 0) < 0)
				return WARD_EIO;
			st->jlen = LEASE_JOURNAL_HDR_LEN;
		}
		if (fsync(st->jfd) < 0 || fsync_dir(st) < 0)
			return WARD_EIO;
	}
	return 0;
}

static int open_store(const char *path, bool readonly, lease_store_t **out,
                      struct lease_store_report *rep)
{
	struct lease_store_report scratch;
	if (!rep)
		rep = &scratch;
	memset(rep, 0, sizeof(*rep));
	*out = NULL;
	if (!path || !*path)
		return WARD_EINVAL;
	lease_store_t *st = calloc(1, sizeof(*st));
	if (!st)
		return WARD_ENOMEM;
	st->jfd = -1;
	st->readonly = readonly;
	st->path = concat(path, "");
	st->jpath = concat(path, ".journal");
	st->tmppath = concat(path, ".tmp");
	st->dirpath = dir_of(path);
	int rc = WARD_ENOMEM;
	if (!st->path || !st->jpath || !st->tmppath || !st->dirpath)
		goto fail;

	rc = WARD_EIO;
	if (readonly) {
		/* a look at the files, even while wardd runs: no lock, nothing
		 * written; a torn tail (a write in progress) is just reported */
		bool exists;
		st->jfd = open(st->jpath, O_RDONLY | O_CLOEXEC);
		if (st->jfd < 0 && errno != ENOENT)
			goto fail;
		rc = load_main(st, rep, &exists);
		if (rc == 0 && !exists && st->jfd < 0) {
			errno = ENOENT;
			rc = WARD_EIO;
		}
		if (rc == 0 && st->jfd >= 0)
			rc = load_journal(st, rep);
		if (rc < 0)
			goto fail;
		*out = st;
		return 0;
	}
	/* the journal's inode is never replaced (truncated in place), so a lock
	 * on it excludes a second wardd for the whole life of the store */
	st->jfd = open(st->jpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->jfd < 0)
		goto fail;
	if (flock(st->jfd, LOCK_EX | LOCK_NB) < 0) {
		rc = errno == EWOULDBLOCK ? WARD_ELEASE_LOCKED : WARD_EIO;
		goto fail;
	}
	if (unlink(st->tmppath) == 0)
		rep->stale_tmp = true;
	else if (errno != ENOENT)
		goto fail;

	bool exists;
	rc = load_main(st, rep, &exists);
	if (rc < 0)
		goto fail;
	rc = load_journal(st, rep);
	if (rc < 0)
		goto fail;
	if (!exists) {
		rep->created = true;
		rc = lease_store_compact(st);
		if (rc < 0)
			goto fail;
	}
	*out = st;
	return 0;
fail:;
	int e = errno;
	lease_store_close(st);
	errno = e;
	return rc;
}

int lease_store_open(const char *path, lease_store_t **out,
                     struct lease_store_report *rep)
{
	return open_store(path, false, out, rep);
}

int lease_store_open_readonly(const char *path, lease_store_t **out,
                              struct lease_store_report *rep)
{
	return open_store(path, true, out, rep);
}

void lease_store_close(lease_store_t *st)
{
	if (!st)
		return;
	if (st->jfd >= 0)
		close(st->jfd); /* releases the flock */
	lease_map_free(&st->map);
	free(st->stage);
	free(st->spare);
	free(st->path);
	free(st->jpath);
	free(st->tmppath);
	free(st->dirpath);
	free(st);
}

/* ---- reading the set ---- */

size_t lease_store_count(const lease_store_t *st)
{
	return st->map.count;
}

int lease_store_get(const lease_store_t *st, uint32_t ip, struct dhcp_lease *out)
{
	return lease_map_get(&st->map, ip, out);
}

int lease_store_foreach(const lease_store_t *st,
                        int (*cb)(void *ctx, const struct dhcp_lease *l),
                        void *ctx)
{
	for (size_t i = 0; i < st->map.cap; i++) {
		if (!st->map.slots[i].rec)
			continue;
		struct dhcp_lease l;
		int rc = lease_map_slot_lease(&st->map.slots[i], &l);
		if (rc == 0)
			rc = cb(ctx, &l);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- changes ---- */

int lease_store_stage(lease_store_t *st, enum dhcp_lease_op op,
                      const struct dhcp_lease *l)
{
	if (st->readonly)
		return WARD_EINVAL;
	uint8_t rec[LEASE_JOURNAL_REC_MAX];
	size_t len;
	int rc = lease_journal_encode(op, l, rec, sizeof(rec), &len);
	if (rc < 0)
		return rc;
	if (st->stage_len + len > st->stage_cap) {
		size_t ncap = st->stage_cap ? st->stage_cap * 2 : 4096;
		while (ncap < st->stage_len + len)
			ncap *= 2;
		uint8_t *n = realloc(st->stage, ncap);
		if (!n)
			return WARD_ENOMEM;
		st->stage = n;
		st->stage_cap = ncap;
	}
	memcpy(st->stage + st->stage_len, rec, len);
	st->stage_len += len;
	st->stage_n++;
	return 0;
}

size_t lease_store_staged(const lease_store_t *st)
{
	return st->stage_n;
}

static void stage_clear(lease_store_t *st)
{
	st->stage_len = 0;
	st->stage_n = 0;
}

int lease_store_commit_begin(lease_store_t *st, struct lease_store_job *job)
{
	memset(job, 0, sizeof *job);
	job->fd = -1;
	if (st->readonly)
		return WARD_EINVAL;
	if (st->busy)
		return WARD_ELEASE_BUSY;
	if (!st->stage_n)
		return 0;
	/* a failed journal cannot be appended to; one past the high mark is
	 * compacted here even if the caller never asks (a safety net: open
	 * reads the journal whole, so it must not grow without bound) */
	if ((st->failed || st->jlen >= LEASE_STORE_JOURNAL_HIGH) &&
	    lease_store_compact(st) < 0) {
		int e = errno;
		stage_clear(st);
		errno = e;
		return WARD_ELEASE_WRITE; /* counted as a failure by compact */
	}
	job->buf = st->stage;
	job->len = st->stage_len;
	job->n = st->stage_n;
	job->fd = st->jfd;
	job->off = st->jlen;
	/* staging goes on in the other buffer while the job is out */
	st->job_cap = st->stage_cap;
	st->stage = st->spare;
	st->stage_cap = st->spare_cap;
	st->spare = NULL;
	st->spare_cap = 0;
	stage_clear(st);
	st->busy = true;
	return 0;
}

void lease_store_commit_io(struct lease_store_job *job)
{
	job->rc = 0;
	job->err = 0;
	if (write_all(job->fd, job->buf, job->len, (off_t)job->off) < 0 ||
	    fdatasync(job->fd) < 0) {
		job->err = errno;
		job->rc = WARD_ELEASE_WRITE;
	}
}

int lease_store_commit_end(lease_store_t *st, struct lease_store_job *job)
{
	if (!job->n)
		return 0;
	st->busy = false;
	st->spare = job->buf;
	st->spare_cap = st->job_cap;
	job->buf = NULL;
	if (job->rc < 0) {
		/* the journal's contents are unknown now: compact before the
		 * next append (see the top) */
		st->failed = true;
		st->stats.failures++;
		errno = job->err;
		return WARD_ELEASE_WRITE;
	}
	/* durable: now the set may change */
	st->jlen += job->len;
	st->jrecords += (unsigned)job->n;
	st->stats.commits++;
	st->stats.records += job->n;
	for (size_t pos = 0; pos < job->len;) {
		enum dhcp_lease_op op;
		struct dhcp_lease l;
		size_t used;
		if (lease_journal_decode(st->spare + pos, job->len - pos, &op, &l,
		                         &used) < 0)
			break; /* not reachable: we encoded these bytes */
		if (lease_map_apply(&st->map, op, &l) < 0)
			/* out of memory after the change is durable: the set in
			 * memory lags the disk; a restart reads it back */
			return WARD_ENOMEM;
		pos += used;
	}
	return 0;
}

bool lease_store_busy(const lease_store_t *st)
{
	return st->busy;
}

int lease_store_commit(lease_store_t *st)
{
	struct lease_store_job job;
	int rc = lease_store_commit_begin(st, &job);
	if (rc < 0 || !job.n)
		return rc;
	lease_store_commit_io(&job);
	return lease_store_commit_end(st, &job);
}

int lease_store_append(lease_store_t *st, enum dhcp_lease_op op,
                       const struct dhcp_lease *l)
{
	if (st->busy)
		return WARD_ELEASE_BUSY;
	int rc = lease_store_stage(st, op, l);
	if (rc < 0)
		return rc;
	return lease_store_commit(st);
}

int lease_store_expire(lease_store_t *st, int64_t now)
{
	if (st->busy)
		return WARD_ELEASE_BUSY;
	int n = 0;
	for (size_t i = 0; i < st->map.cap; i++) {
		struct dhcp_lease l;
		if (!st->map.slots[i].rec || lease_map_slot_lease(&st->map.slots[i], &l) < 0)
			continue;
		if (l.expires == DHCP_LEASE_INFINITE || l.expires > now)
			continue;
		int rc = lease_store_stage(st, DHCP_LEASE_DEL, &l);
		if (rc < 0)
			return rc;
		n++;
	}
	int rc = lease_store_commit(st);
	return rc < 0 ? rc : n;
}

/* ---- compaction ---- */

bool lease_store_compact_due(const lease_store_t *st)
{
	size_t body = st->jlen > LEASE_JOURNAL_HDR_LEN ? st->jlen - LEASE_JOURNAL_HDR_LEN : 0;
	if (st->failed || body >= LEASE_STORE_JOURNAL_HIGH)
		return true;
	return body >= LEASE_STORE_COMPACT_MIN &&
	       st->jrecords > LEASE_STORE_COMPACT_RATIO * (st->map.count + 1);
}

static int slot_by_ip(const void *a, const void *b)
{
	uint32_t x = (*(const struct lease_slot *const *)a)->ip;
	uint32_t y = (*(const struct lease_slot *const *)b)->ip;
	return x < y ? -1 : x > y;
}

/* Step 1: the set as dnsmasq text in FILE.tmp, by address, fsync'd. */
static int write_tmp(lease_store_t *st)
{
	int fd = open(st->tmppath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	char *chunk = malloc(WRITE_CHUNK);
	size_t want = st->map.count ? st->map.count : 1;
	const struct lease_slot **order = malloc(want * sizeof(*order));
	if (!chunk || !order) {
		free(chunk);
		free(order);
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	size_t n = 0;
	for (size_t i = 0; i < st->map.cap && n < st->map.count; i++)
		if (st->map.slots[i].rec)
			order[n++] = &st->map.slots[i];
	qsort(order, n, sizeof(*order), slot_by_ip);
	strbuf sb = strbuf_init(chunk, WRITE_CHUNK);
	off_t off = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct dhcp_lease l;
		if (lease_map_slot_lease(order[i], &l) < 0)
			continue;
		if (sb.len + LEASE_TEXT_LINE_MAX > WRITE_CHUNK) {
			rc = write_all(fd, chunk, sb.len, off);
			off += (off_t)sb.len;
			sb = strbuf_init(chunk, WRITE_CHUNK);
		}
		if (rc == 0 && lease_text_format(&sb, &l) < 0) {
			errno = EINVAL; /* not reachable: records passed the check */
			rc = -1;
		}
	}
	if (rc == 0 && sb.len)
		rc = write_all(fd, chunk, sb.len, off);
	if (rc == 0)
		rc = fsync(fd);
	int e = errno;
	free(chunk);
	free(order);
	if (close(fd) < 0 && rc == 0) {
		e = errno;
		rc = -1;
	}
	errno = e;
	return rc;
}

int lease_store_compact(lease_store_t *st)
{
	if (st->readonly)
		return WARD_EINVAL;
	if (st->busy)
		return WARD_ELEASE_BUSY;
	if (write_tmp(st) < 0) {
		int e = errno;
		unlink(st->tmppath);
		errno = e;
		st->stats.failures++;
		return WARD_ELEASE_WRITE;
	}
	if (rename(st->tmppath, st->path) < 0) {
		int e = errno;
		unlink(st->tmppath);
		errno = e;
		st->stats.failures++;
		return WARD_ELEASE_WRITE;
	}
	/* FILE now holds the whole set; the journal still holds every record,
	 * and replaying it over the new FILE changes nothing (idempotent) */
	if (fsync_dir(st) < 0) {
		st->stats.failures++;
		return WARD_ELEASE_WRITE;
	}
	if (ftruncate(st->jfd, LEASE_JOURNAL_HDR_LEN) < 0 ||
	    write_all(st->jfd, LEASE_JOURNAL_MAGIC, LEASE_JOURNAL_HDR_LEN, 0) < 0 ||
	    fsync(st->jfd) < 0) {
		/* the journal's length is unknown now: appends must not resume at
		 * st->jlen; the next commit compacts again first */
		st->failed = true;
		st->stats.failures++;
		return WARD_ELEASE_WRITE;
	}
	st->jlen = LEASE_JOURNAL_HDR_LEN;
	st->jrecords = 0;
	st->failed = false;
	st->stats.compactions++;
	return 0;
}

size_t lease_store_journal_bytes(const lease_store_t *st)
{
	return st->jlen;
}

unsigned lease_store_journal_records(const lease_store_t *st)
{
	return st->jrecords;
}

const struct lease_store_stats *lease_store_get_stats(const lease_store_t *st)
{
	return &st->stats;
}
