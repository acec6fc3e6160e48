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
 * min(refresh, BLOCKLIST_RETRY_S). */
#ifndef WARD_DAEMON_BLOCKLIST_RUN_H
#define WARD_DAEMON_BLOCKLIST_RUN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/conf.h"
#include "resolver/blocklist.h"

#define BLOCKLIST_FETCH_MAX_BYTES (256u << 20)  /* one download */
#define BLOCKLIST_CONNECT_TIMEOUT_S 15
#define BLOCKLIST_FETCH_TIMEOUT_S 300           /* one whole download */
#define BLOCKLIST_RETRY_S 60                    /* after a failed fetch */

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

/* blocklist_fetch.c: GET an http(s) URL into a malloc()ed buffer, at most
 * max bytes; *stop set aborts it. 0, or WARD_EIO with why filled. */
int blocklist_fetch(const char *url, size_t max, const atomic_int *stop,
                    uint8_t **out, size_t *len, char *why, size_t whylen);
/* curl_global_init / cleanup (call on the main thread). */
int blocklist_fetch_global_init(void);
void blocklist_fetch_global_cleanup(void);

#endif
