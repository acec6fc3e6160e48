/* ward tests: DNS messages from the shared capture files, for the ldns
 * differential test and the codec benchmark.
 *
 * Frames are read with libpcap and handed to ward's capture core
 * (capture/capture.h: link layers, IP reassembly, TCP streams), one
 * capture_t per file, with 8053 added to the DNS ports (the tcpdump test
 * captures use it). */
#ifndef WARD_DIFF_PCAPSRC_H
#define WARD_DIFF_PCAPSRC_H

#include <stddef.h>
#include <stdint.h>

typedef struct pcapsrc_stats {
	unsigned long files;         /* capture files read */
	unsigned long files_bad;     /* files libpcap could not open */
	unsigned long frames;        /* frames read */
	unsigned long dns_udp;       /* DNS messages from UDP */
	unsigned long dns_tcp;       /* DNS messages from TCP streams */
	unsigned long truncated;     /* of those, cut short by the snap length */
	unsigned long reassembled;   /* IP datagrams rebuilt from fragments */
} pcapsrc_stats;

/* Called for each DNS message; `where` is "folder/file.pcap#N" (N: number
 * of the frame that completed the message, from 1). Return non-zero to stop
 * the walk. */
typedef int (*pcapsrc_fn)(void *arg, const char *where, const uint8_t *msg,
                          size_t len);

/* Walk the capture files of dir/tcpdump, dir/dnscap, dir/tcpreplay (names
 * ending in .pcap or .pcapng, in sorted order). Returns 0, or -1 when dir
 * cannot be read or capture_new() fails. */
int pcapsrc_walk(const char *dir, pcapsrc_fn fn, void *arg, pcapsrc_stats *st);

#endif
