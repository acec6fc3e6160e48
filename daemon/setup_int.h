/* wardd setup: state shared by setup.c and setup_local.c. Not installed. */
#ifndef WARD_DAEMON_SETUP_INT_H
#define WARD_DAEMON_SETUP_INT_H

#include "daemon/setup.h"

struct setup_ctx {
	struct wardd_setup *s;
	const ward_conf *c;
	setup_log_fn log;
	void *log_ctx;
	size_t fwd_cap;
	bool fwd_full_warned;
	const char *why;      /* setup_read's reason on failure */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void setup_logf(struct setup_ctx *x, bool warning, const char *fmt, ...);
/* A whole file through the configuration's conf_io; x->why on failure. */
int setup_read(struct setup_ctx *x, const char *path, char **text,
               size_t *len);
/* local=/d/ into the local data store too (recursive mode honours it). */
int setup_local_only(struct setup_ctx *x, const dns_name *d);
/* dnssec, trust-anchor=, trust-anchor-file=, dnssec-check-unsigned,
 * dnssec-no-timecheck (setup_dnssec.c). */
int setup_dnssec(struct setup_ctx *x);
/* Everything else of local data (hosts files and records). */
int setup_local(struct setup_ctx *x);

#endif
