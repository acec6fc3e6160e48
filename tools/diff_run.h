/* ward toolkit: send a list of queries to one or two servers with bounded
 * concurrency and rate, at a captured pace if asked, and keep the answers
 * (ward diff, ward replay --pcap). One event loop (tools/drun_loop.c):
 * each query is tried twice (one retry) over UDP, then TCP when an answer
 * is truncated; TCP exchanges run on a few worker threads. */
#ifndef WARD_TOOLS_DIFF_RUN_H
#define WARD_TOOLS_DIFF_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diagnose/dns_transport.h"
#include "codec/name.h"

#define DRUN_MAX_SERVERS 2
#define DRUN_MAX_CONCURRENCY 256
#define DRUN_DEFAULT_CONCURRENCY 16
#define DRUN_DEFAULT_TIMEOUT_MS 2000
#define DRUN_TRIES 2

/* One query: its wire form (the ID is replaced when sent), the question
 * for matching and display, and for replay the captured answer. */
#define DRUN_QUERY_TEXT_MAX 1100 /* a name in presentation form (\\DDD) + type + flags */

struct drun_query {
	uint8_t *wire;
	size_t wlen;
	dns_name qname;
	uint16_t qtype;
	char *text;              /* "name TYPE [+dnssec] [+cd]" as the queries
	                          * file gave it, or NULL (a capture's query:
	                          * drun_query_text makes it from the wire) */
	bool tcp;                /* captured over TCP: send over TCP */
	double at;               /* seconds after the first query (pace) */
	uint8_t *captured;       /* the capture's answer, or NULL */
	size_t captured_len;
	/* results, one per server */
	uint8_t *ans[DRUN_MAX_SERVERS];
	size_t alen[DRUN_MAX_SERVERS];
	unsigned kinds;          /* filled by the caller's comparison */
};

struct drun_opts {
	unsigned concurrency;    /* parallel exchanges */
	double rate;             /* queries per second, 0: unlimited */
	double speed;            /* > 0: send at `at / speed` (captured pace) */
	int timeout_ms;
	bool progress;           /* draw a progress bar on stderr */
	double *elapsed;         /* if not NULL: the seconds the sending took */
};

/* Set (e.g. from a signal handler) to stop sending: workers take no new
 * query, drun_run returns once the exchanges under way end. */
#include <signal.h>
extern volatile sig_atomic_t drun_stop;

/* Send every query to each of the nsrv servers; fills ans/alen (ans NULL
 * when a server did not answer). Returns 0, or -1 when the loop could not
 * be set up (nothing sent). */
int drun_run(const struct dns_server *srv, unsigned nsrv, struct drun_query *q,
             size_t n, const struct drun_opts *o);

/* Build the wire form of "NAME TYPE [+dnssec] [+cd]" (RD, AD, EDNS 1232).
 * 0, or -1 with a reason in err. */
int drun_query_from_line(const char *line, struct drun_query *q, char *err,
                         size_t errlen);

void drun_query_free(struct drun_query *q);
/* The query as a line "name TYPE [+dnssec] [+cd]" into buf. */
void drun_query_text(const struct drun_query *q, char *buf, size_t cap);

#endif
