/* wardd: the blocklists' state, shared by blocklist_run.c (reading and
 * fetching), blocklist_manual.c (the dashboard's hand-added names) and
 * blocklist_status.c (the copy the dashboard shows). Loop thread only. */
#ifndef WARD_DAEMON_BLOCKLIST_INT_H
#define WARD_DAEMON_BLOCKLIST_INT_H

#include <stdatomic.h>
#include <uv.h>

#include "daemon/blocklist_run.h"
#include "daemon/setup_blocklist.h"
#include "resolver/blocklist_entries.h"

struct bl_source {
	struct wardd_blocklists *m;
	const char *spec;
	bool url, allow;
	bool manual;               /* the dashboard's hand-added names */
	bool queued;               /* waits for its turn on the worker */
	uv_timer_t timer;          /* URLs: the next fetch */
	bool timer_open;
	uint64_t loads, failures;  /* completed / failed reads */
	unsigned lines, bad;       /* of the list in force */
	int64_t last_ms;           /* unix ms of the last read or fetch, 0: none */
	int64_t ok_ms;             /* of the last one that succeeded */
	char err[256];             /* why the last one failed ("" when it did not) */
};

struct bl_job {
	uv_work_t w;
	struct bl_source *src;
	const conf_io *io;
	uint64_t seed;
	atomic_int *stop;
	struct bl_load ld;
	size_t bytes;              /* URLs: downloaded */
};

struct wardd_blocklists {
	struct wardd *d;
	blocklist *bl;
	struct bl_source *src;
	size_t n;
	uint64_t seed;
	struct bl_job *running;    /* one list at a time */
	atomic_int stop;
	bool curl_init, stopping;
	struct bl_entries manual;  /* the hand-added names' file, as lines */
	struct bl_source *msrc;    /* its source (the last), NULL: none */
	bool manual_read;          /* m->manual is the file's content (the last
	                            * read worked): changes may rewrite it */
};

/* blocklist_run.c: put a finished set into s's slot (the old one freed). */
void blocklists_put_in_force(struct wardd_blocklists *m, struct bl_source *s,
                             struct bl_load *ld);
/* unix ms now */
int64_t blocklists_now_ms(void);

/* blocklist_manual.c: read the hand-added names' file into m->manual and
 * its slot (a missing file is an empty list). 0, or a negative ward_err
 * with s->err set (the list in force is kept). */
int blocklist_manual_load(struct wardd_blocklists *m);

#endif
