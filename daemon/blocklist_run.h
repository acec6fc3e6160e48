/* wardd: blocklists at run time (docs/blocklists.md).
 *
 * One blocklist (resolver/blocklist.h) for the whole daemon, one slot per
 * blocklist= / allowlist= source, shared by every engine generation.
 * Files are read at start (before the first query) and again on SIGHUP;
 * URLs are fetched with libcurl after start and every blocklist-refresh
 * seconds. Reading, fetching and parsing run on libuv's thread pool, one
 * list at a time; the finished set is swapped into its slot on the loop
 * thread, so a query sees the old list or the new one. A failed read or
 * fetch (unreachable, HTTP error, too big, not a list) keeps the old set
 * and is logged; a failed fetch is tried again after
 * min(refresh, BLOCKLIST_RETRY_S).
 *
 * With the dashboard on, one more source: the names added by hand on its
 * blocklists page (dashboard-blocklist=FILE, default
 * BLOCKLIST_MANUAL_DEFAULT), changed on the loop thread by
 * blocklists_manual_change (file written atomically, set swapped at
 * once) and read again with the files. */
#ifndef WARD_DAEMON_BLOCKLIST_RUN_H
#define WARD_DAEMON_BLOCKLIST_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/conf.h"
#include "resolver/blocklist.h"
#include "resolver/blocklist_entries.h"

#define BLOCKLIST_FETCH_MAX_BYTES (256u << 20)  /* one download */
#define BLOCKLIST_CONNECT_TIMEOUT_S 15
#define BLOCKLIST_FETCH_TIMEOUT_S 300           /* one whole download */
#define BLOCKLIST_RETRY_S 60                    /* after a failed fetch */
/* where the dashboard keeps hand-added names without dashboard-blocklist=
 * (dnsmasq's state directory on Debian, next to its lease file) */
#define BLOCKLIST_MANUAL_DEFAULT "/var/lib/misc/ward-dashboard.list"

struct wardd;
struct wardd_blocklists;

/* Create the blocklist and read the file sources (synchronously: the
 * lists are in force from the first query). Nothing configured: d->bl
 * stays NULL. 0 or WARD_ENOMEM. */
int blocklists_init(struct wardd *d);
/* Start fetching the URL sources and their refresh timers. */
int blocklists_start(struct wardd *d);
/* SIGHUP: read the file sources again (in the background). */
void blocklists_reload(struct wardd *d);
/* Stop timers, abort a download in progress (the loop must run once
 * more for the handles to close). */
void blocklists_stop(struct wardd *d);
void blocklists_free(struct wardd *d);
/* What the engines consult (NULL: no lists configured). */
const blocklist *blocklists_view(const struct wardd *d);
/* SIGUSR1: a line per source. */
void blocklists_log_stats(const struct wardd *d);
/* `wardd --test`: read every file source and report its bad lines. */
void blocklists_check(const ward_conf *c,
                      void (*log)(void *ctx, bool warning, const char *msg),
                      void *ctx);

/* The hand-added names' file: NULL without a dashboard. */
const char *blocklists_manual_path(const ward_conf *c);
/* Read (files, the hand-added names) or fetch (URLs) source idx again
 * now, or every source for idx -1. The number of sources queued, or
 * WARD_ENOTFOUND. */
int blocklists_refresh(struct wardd *d, long idx);
/* Source i waits for or runs a read or fetch. */
bool blocklists_busy(const struct wardd_blocklists *m, size_t i);

enum bl_change { BL_CHANGE_BLOCK, BL_CHANGE_ALLOW, BL_CHANGE_REMOVE };
/* A hand-added name (loop thread): checked (bl_entries_name), the file
 * written anew (temporary file, fsync, rename, fsync of the directory)
 * and the list put in force, in that order, so the change holds across
 * a restart once this returns 0. 1: nothing to do (the name is already
 * there). Negative ward_err: nothing changed; msg says why in a
 * sentence for the page. msg says what was done otherwise. */
int blocklists_manual_change(struct wardd *d, enum bl_change op,
                             const char *name, char *msg, size_t msglen);

/* What the dashboard shows (blocklist_status.c), copied on the loop. */
struct bl_source_status {
	char spec[1024];
	bool url, allow, manual, busy;
	size_t names;
	uint64_t loads, failures;
	unsigned lines, bad;
	int64_t last_ms, ok_ms;      /* unix ms, 0: never */
	char err[256];               /* the last read's failure, "" */
};
struct blocklists_status {
	bool on;                     /* any source (else the rest is empty) */
	bool nxdomain;
	int64_t ttl, refresh;        /* s; ttl CONF_UNSET: the default */
	size_t n;
	struct bl_source_status *src;   /* malloc()ed, n */
	long manual;                 /* index of the hand-added names, -1 */
	struct bl_entries entries;   /* their file's lines */
};
/* 0 or WARD_ENOMEM (st empty). Free with blocklists_status_free. */
int blocklists_status_get(const struct wardd *d, struct blocklists_status *st);
void blocklists_status_free(struct blocklists_status *st);

/* blocklist_fetch.c: GET an http(s) URL into a malloc()ed buffer, at most
 * max bytes; *stop set aborts it. 0, or WARD_EIO with why filled. */
int blocklist_fetch(const char *url, size_t max, const atomic_int *stop,
                    uint8_t **out, size_t *len, char *why, size_t whylen);
/* curl_global_init / cleanup (call on the main thread). */
int blocklist_fetch_global_init(void);
void blocklist_fetch_global_cleanup(void);

#endif
