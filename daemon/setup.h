/* wardd: from the typed configuration (daemon/conf.h) to what the resolver
 * engine runs on: a res_config (recursive or forwarding, upstream servers,
 * root hints, TTL options), a local data store (hosts files, address=,
 * host-record=, ...) and the cache settings.
 *
 * Every file (resolv.conf, root hints, /etc/hosts, addn-hosts) is read
 * through the configuration's conf_io, so this layer runs on an in-memory
 * file system under tests. SIGHUP builds a fresh setup from the same
 * ward_conf (hosts and resolv files read again) and the daemon swaps it in
 * (docs/wardd.md). */
#ifndef WARD_DAEMON_SETUP_H
#define WARD_DAEMON_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/conf.h"
#include "resolver/cache.h"
#include "resolver/engine.h"
#include "resolver/localdata.h"
#include "resolver/validator.h"

#define SETUP_DEFAULT_RESOLV "/etc/resolv.conf"
#define SETUP_DEFAULT_HOSTS "/etc/hosts"
#define SETUP_MAX_FORWARDERS 4096     /* forwarding rules kept */
#define SETUP_MAX_HINTS 64            /* root hint addresses kept */
#define SETUP_BYTES_PER_ENTRY 2048    /* cache byte budget per cache-size entry */
#define SETUP_NOCACHE_ENTRIES 1024    /* cache-size=0: RRsets held for 1 s */
#define SETUP_MIN_CACHE_BYTES (256u * 1024) /* a small cache-size still caches */
#define SETUP_MAX_NAMESERVERS 64      /* nameserver lines read per resolv file */

/* Messages for the log ("file:line: ..." or a sentence). warning: the
 * daemon goes on; otherwise the configuration cannot be used. */
typedef void (*setup_log_fn)(void *ctx, bool warning, const char *msg);

struct wardd_setup {
	struct res_config rc;         /* rc.fwd/hints/local point below */
	struct res_forwarder *fwd;
	size_t n_fwd;
	struct res_hint *hints;       /* NULL: the built-in root servers */
	size_t n_hints;
	localdata *ld;
	struct cache_config cc;
	bool recursive;
	unsigned n_upstreams;         /* default servers (server= + resolv) */
	unsigned n_resolv;            /* of which from resolv files */
	/* local data loaded, for the log */
	unsigned hosts_entries, hosts_files;
	/* 0x20 and cache-size 0: the daemon's choices */
	bool cache_off;
	struct res_anchors anchors;   /* rc.trust_anchors points here */
	dns_name *ntas;               /* rc.insecure_domains (dnssec-nta=) */
	bool timestamp_wait;          /* dnssec-timestamp= in the future */
};

/* Fill s from c (which must be conf_ok). random/random_ctx go into rc.
 * Returns 0, WARD_ECONF (a fatal problem, logged: an unreadable root hints
 * file, ...) or WARD_ENOMEM. Warnings (an unreadable hosts file, a server
 * form not supported) are logged and do not fail. */
int setup_build(struct wardd_setup *s, const ward_conf *c,
                res_random_fn random, void *random_ctx,
                setup_log_fn log, void *log_ctx);

/* Release what setup_build allocated (safe on a zeroed struct). */
void setup_free(struct wardd_setup *s);

/* The nameserver addresses of resolv.conf text (port 53), at most max.
 * Returns how many were found. */
size_t setup_parse_resolv(const char *text, size_t len,
                          struct res_addr *out, size_t max);

/* Root hints in zone-file syntax: for each NS target with A/AAAA records,
 * one hint per address (all A/AAAA owners when there is no NS record).
 * Returns the count (> 0), or a negative ward_err with msg filled. */
int setup_parse_hints(const char *text, size_t len, const char *fname,
                      struct res_hint *out, size_t max, char *msg,
                      size_t msglen);

#endif
