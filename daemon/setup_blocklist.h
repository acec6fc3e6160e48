/* wardd setup: blocklists (docs/blocklists.md) — one list's bytes (a file
 * read through the configuration's conf_io, or a download) into a
 * blocklist_set, with what went wrong collected as text for the caller to
 * log. No logging and no shared state here: the daemon runs it on a
 * worker thread (daemon/blocklist_run.c), `wardd --test` on its own. */
#ifndef WARD_DAEMON_SETUP_BLOCKLIST_H
#define WARD_DAEMON_SETUP_BLOCKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/setup.h"
#include "resolver/blocklist.h"
#include "resolver/blocklist_parse.h"
#include "resolver/resolver_limits.h"

struct bl_load {
	blocklist_set *set;            /* the result (NULL after a failure) */
	struct blocklist_parse_stats st;
	int err;                       /* 0, WARD_EIO, WARD_ENOMEM, WARD_ELIMIT
	                                * (set kept: the first names of it) */
	char why[256];                 /* what failed, when err */
	char *diag[BLOCKLIST_DIAG_MAX + 1]; /* bad lines, "name:line: ..." */
	size_t ndiag;
};

/* Parse buf into ld->set (a new set keyed by seed). Returns ld->err. */
int setup_blocklist_parse(struct bl_load *ld, const char *name,
                          const uint8_t *buf, size_t len, bool allow,
                          uint64_t seed);
/* Read a file through io and parse it. Returns ld->err. */
int setup_blocklist_file(struct bl_load *ld, const conf_io *io,
                         const char *path, bool allow, uint64_t seed);
/* Free what ld holds (the set too unless the caller took it: NULL it). */
void setup_blocklist_load_free(struct bl_load *ld);
/* http:// or https:// */
bool setup_blocklist_is_url(const char *spec);
/* blocklist-mode= and blocklist-ttl= into rc (setup_build calls it). */
void setup_blocklist_options(struct wardd_setup *s, const ward_conf *c);

#endif
