/* wardd: the durable lease store — dnsmasq's lease file plus a journal.
 *
 * FILE (dhcp-leasefile=) holds every lease in dnsmasq's text format
 * (dhcp/lease_text.h), so a dnsmasq lease file is read as is and dnsmasq can
 * read ours. FILE.journal (dhcp/lease_journal.h) holds the changes made
 * since FILE was last written. A change costs one append and one fdatasync
 * of the journal (O(1) disk work); when the journal outgrows the lease set,
 * lease_store_compact() writes the whole set to FILE.tmp, renames it over
 * FILE and empties the journal. Why no crash loses or duplicates anything:
 * see lease_store.c and docs/leases.md.
 *
 * Use: lease_store_open(), read the set with lease_store_foreach(); for each
 * change the engine reports, lease_store_append() — or lease_store_stage()
 * for each change of a batch then one lease_store_commit() (group commit) —
 * and send the replies that depend on them (DHCPACK) only after it returned
 * 0. After the replies are out: if lease_store_compact_due(), compact.
 * Not thread-safe; one process per FILE (enforced with flock). */
#ifndef WARD_DAEMON_LEASE_STORE_H
#define WARD_DAEMON_LEASE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dhcp/lease.h"
#include "dhcp/lease_journal.h"
#include "dhcp/lease_text.h"

/* Largest lease file or journal read at open (a bigger one: WARD_ELEASE_TOOBIG). */
#define LEASE_STORE_FILE_MAX (256u * 1024 * 1024)
/* Compaction is due when the journal holds more than
 * LEASE_STORE_COMPACT_RATIO records per live lease and at least
 * LEASE_STORE_COMPACT_MIN octets (so a small set is not rewritten every few
 * changes), or when it reaches LEASE_STORE_JOURNAL_HIGH octets whatever the
 * set. The rewrite costs O(leases), paid once per RATIO x leases changes:
 * O(1) per change, amortised. */
#define LEASE_STORE_COMPACT_RATIO 4
#define LEASE_STORE_COMPACT_MIN (64u * 1024)
#define LEASE_STORE_JOURNAL_HIGH (64u * 1024 * 1024)
#define LEASE_STORE_BAD_KEPT 8 /* bad lines of FILE remembered for the log */

typedef struct lease_store lease_store_t;

/* What open found. */
struct lease_store_report {
	struct lease_text_stats file;     /* FILE: lines, leases, bad, skipped */
	unsigned bad_line[LEASE_STORE_BAD_KEPT]; /* first bad lines of FILE */
	int bad_err[LEASE_STORE_BAD_KEPT];       /* and their errors */
	unsigned duplicates;              /* FILE lines for an address seen before
	                                     (the later line wins) */
	struct lease_journal_scan journal; /* records replayed, torn tail */
	bool created;                     /* FILE did not exist: written empty */
	bool stale_tmp;                   /* a FILE.tmp of a crashed compaction removed */
};

/* Counters since open. */
struct lease_store_stats {
	uint64_t commits;     /* successful journal writes + fdatasync */
	uint64_t records;     /* changes made durable */
	uint64_t compactions; /* successful rewrites of FILE */
	uint64_t failures;    /* failed writes (changes refused) */
};

/* Open (creating if needed) FILE and FILE.journal, take the lock, load FILE,
 * replay the journal and cut a torn tail off it. *rep may be NULL.
 * Errors: WARD_EIO (errno set), WARD_ELEASE_LOCKED, WARD_ELEASE_JMAGIC,
 * WARD_ELEASE_TOOBIG, WARD_ENOMEM. Bad lines of FILE are not errors: they
 * are skipped and reported in *rep. */
int lease_store_open(const char *path, lease_store_t **out,
                     struct lease_store_report *rep);
/* Read FILE and FILE.journal as they are, for inspection (ward lease): no
 * lock (works while wardd runs), nothing created, truncated or removed; a
 * torn tail is only reported. Changes and compaction are refused
 * (WARD_EINVAL). WARD_EIO with errno ENOENT when neither file exists. */
int lease_store_open_readonly(const char *path, lease_store_t **out,
                              struct lease_store_report *rep);
void lease_store_close(lease_store_t *st);

/* Live leases (committed changes only). */
size_t lease_store_count(const lease_store_t *st);
/* The lease for ip (host order): 0 or WARD_ENOTFOUND. */
int lease_store_get(const lease_store_t *st, uint32_t ip, struct dhcp_lease *out);
/* Every lease, in no particular order; a negative return of cb stops the
 * walk and is returned. */
int lease_store_foreach(const lease_store_t *st,
                        int (*cb)(void *ctx, const struct dhcp_lease *l),
                        void *ctx);

/* Make one change durable: journal record written and fdatasync'd before it
 * returns 0. On error nothing of it counts (the caller must not send the
 * ACK): WARD_ELEASE_WRITE (errno set), or a WARD_ELEASE_* / WARD_EINVAL for a
 * lease the file cannot hold. Any staged changes are committed with it. */
int lease_store_append(lease_store_t *st, enum dhcp_lease_op op,
                       const struct dhcp_lease *l);

/* Group commit: stage checks and buffers a change (not durable, not yet in
 * the set); commit writes every staged change with one write and one
 * fdatasync. On a commit error none of them is durable or applied, and the
 * next commit first rewrites FILE from the set (the journal cannot be
 * trusted after a failed write or fsync). */
int lease_store_stage(lease_store_t *st, enum dhcp_lease_op op,
                      const struct dhcp_lease *l);
int lease_store_commit(lease_store_t *st);

/* The same group commit in three steps, so that the write and fdatasync
 * run on another thread while the owner goes on staging (wardd's event
 * loop keeps answering; the changes staged meanwhile form the next commit):
 *   lease_store_commit_begin  owner's thread: the staged changes move into
 *       *job (the store stages anew into its other buffer); a journal that
 *       failed or passed LEASE_STORE_JOURNAL_HIGH is compacted first, here.
 *       0 with job->n == 0 when nothing is staged; WARD_ELEASE_BUSY while
 *       another job is in flight; WARD_ELEASE_WRITE when that compaction
 *       failed (the staged changes are dropped, as lease_store_commit does).
 *   lease_store_commit_io     any thread: write + fdatasync of the job's
 *       records; touches only *job and the journal's descriptor.
 *   lease_store_commit_end    owner's thread: the job's result; on success
 *       its changes enter the set. 0, WARD_ELEASE_WRITE or WARD_ENOMEM, as
 *       lease_store_commit.
 * While a job is in flight, lease_store_commit, _append, _expire and
 * _compact return WARD_ELEASE_BUSY; stage, get, foreach and the counters
 * work (get and foreach see committed changes only). */
struct lease_store_job {
	uint8_t *buf;  /* the job's records (the store's buffer, lent) */
	size_t len;
	size_t n;      /* changes in it */
	int fd;        /* the journal */
	size_t off;    /* where they go in the journal */
	int rc;        /* lease_store_commit_io's result */
	int err;       /* its errno */
};
int lease_store_commit_begin(lease_store_t *st, struct lease_store_job *job);
void lease_store_commit_io(struct lease_store_job *job);
int lease_store_commit_end(lease_store_t *st, struct lease_store_job *job);
/* Whether a job is in flight. */
bool lease_store_busy(const lease_store_t *st);
/* Staged changes not yet committed. */
size_t lease_store_staged(const lease_store_t *st);

/* Delete every lease that has ended at `now` (expires != 0 and <= now, as
 * dnsmasq prunes): one staged DEL each, then one commit. For start-up, when
 * the engine skips expired leases instead of reporting DELs. Returns the
 * number deleted (>= 0) or a commit error. */
int lease_store_expire(lease_store_t *st, int64_t now);

/* Whether the journal has outgrown the set (see LEASE_STORE_COMPACT_*). */
bool lease_store_compact_due(const lease_store_t *st);
/* Write the set to FILE.tmp, fsync, rename over FILE, fsync the directory,
 * empty the journal. 0 or WARD_ELEASE_WRITE (errno set); on error FILE and
 * the journal still hold every committed change. Staged changes stay staged. */
int lease_store_compact(lease_store_t *st);

/* Journal size in octets (header included) and records in it. */
size_t lease_store_journal_bytes(const lease_store_t *st);
unsigned lease_store_journal_records(const lease_store_t *st);
const struct lease_store_stats *lease_store_get_stats(const lease_store_t *st);

#endif
