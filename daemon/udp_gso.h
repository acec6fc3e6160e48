/* wardd: which held UDP answers leave together as one UDP GSO send
 * (UDP_SEGMENT, Linux 4.18). Pure: lengths and "same client as the one
 * before" in, runs out; client_udp.c does the sending. */
#ifndef WARD_DAEMON_UDP_GSO_H
#define WARD_DAEMON_UDP_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDP_GSO_SEG_MAX 64   /* segments per send (UDP_MAX_SEGMENTS of 4.18) */
#define UDP_GSO_LEN_MAX 1232 /* a segment fits any path unfragmented
                              * (RFC 8085 §3.2, the DNS flag day size) */

/* n answers starting at first; one datagram when n == 1, else a GSO send
 * of segments seg bytes long (the last one may be shorter) */
struct udp_gso_run {
	unsigned first, n;
	size_t bytes;
	uint16_t seg;
};

/* Split k answers, held one after another, into runs: answers to the same
 * client (same_prev[i]: answer i goes where answer i-1 goes) of the same
 * length, the last of a run possibly shorter (the kernel's rule), at most
 * UDP_GSO_SEG_MAX and each at most UDP_GSO_LEN_MAX; with gso false every
 * answer is its own run. Writes at most k runs; returns how many. */
unsigned udp_gso_group(const size_t *len, const bool *same_prev, unsigned k,
                       bool gso, struct udp_gso_run *runs);

#endif
