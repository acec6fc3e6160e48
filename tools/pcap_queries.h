/* ward toolkit: the client queries of a capture, each with the capture's
 * answer to it when it holds one (ward diff --pcap, ward replay --pcap).
 *
 * A client query is a DNS query (QR=0, opcode QUERY, one question, parses)
 * with RD=1: stub resolvers set RD, a resolver's own iterative queries to
 * authoritative servers do not (RFC 1034 §5.3.1), so in a capture taken
 * on a resolver only what its clients asked is taken. `all` takes RD=0
 * queries too. The answer is the first response on the reverse flow
 * (addresses and ports swapped) with the same ID and question. */
#ifndef WARD_TOOLS_PCAP_QUERIES_H
#define WARD_TOOLS_PCAP_QUERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff_run.h"

struct pcapq_opts {
	bool all;                 /* also queries with RD=0 */
	unsigned n_ports;         /* extra DNS ports besides 53 */
	uint16_t ports[8];
};

struct pcapq_stats {
	uint64_t dns;             /* DNS messages in the capture */
	uint64_t queries;         /* client queries taken */
	uint64_t udp, tcp;        /* of which over UDP / TCP */
	uint64_t not_client;      /* queries left out (RD=0, not QUERY, ...) */
	uint64_t malformed;       /* messages that did not parse */
	uint64_t answered;        /* queries whose answer the capture holds */
	bool cut;                 /* the file ended early (damaged) */
};

/* Reads path; *out gets an array of *n queries (free each with
 * drun_query_free, then the array). 0, or -1 with a one-line reason in err
 * (unreadable file, not a capture, out of memory). */
int pcapq_load(const char *path, const struct pcapq_opts *o,
               struct drun_query **out, size_t *n, struct pcapq_stats *st,
               char *err, size_t errlen);

#endif
