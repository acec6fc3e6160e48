/* ward CLI: one function per subcommand, argv[0] is the subcommand name.
 * Each returns the process exit status (0 ok, 1 findings/failures, 2 error). */
#ifndef WARD_TOOLS_CMDS_H
#define WARD_TOOLS_CMDS_H

#include <stdbool.h>

int cmd_decode(int argc, char **argv);   /* tools/cmd_decode.c */
int cmd_encode(int argc, char **argv);   /* tools/cmd_rr.c */
int cmd_query(int argc, char **argv);    /* tools/cmd_query.c */
int cmd_conf(int argc, char **argv);     /* tools/cmd_conf.c */
int cmd_lease(int argc, char **argv);    /* tools/cmd_lease.c */
int cmd_replay(int argc, char **argv);   /* tools/cmd_replay.c */
int cmd_diff(int argc, char **argv);     /* tools/cmd_diff.c */
int cmd_ctl(int argc, char **argv);      /* tools/cmd_ctl.c */
/* Exit status: the verdict, 0 secure .. 3 indeterminate, 4 error. */
int cmd_diagnose(int argc, char **argv); /* tools/cmd_diagnose.c */
/* ward replay --pcap FILE --to SERVER (argv as given to cmd_replay). */
int replay_pcap_main(int argc, char **argv); /* tools/replay_pcap.c */
/* ward replay --pcap FILE --offline NAME [TYPE] (tools/replay_offline.c). */
int replay_offline_main(const char *pcap, const char *name, const char *type,
                        bool dnssec, bool cd, bool trace, bool json);

/* Pieces cmd_decode delegates to. */
struct decode_opts {
	int json;        /* --json: RFC 8427 objects, one per line */
	int quiet;       /* only summary */
	unsigned n_dns_ports;        /* --dns-port: extra ports carrying DNS */
	unsigned short dns_ports[8];
};
/* --rr: hex of one uncompressed record per line from `lines` (argv) or stdin. */
int decode_rr_main(int argc, char **argv, const struct decode_opts *o); /* tools/cmd_rr.c */
/* --pcap FILE: every DNS (and DHCP) message in a capture. */
int decode_pcap_main(const char *path, const struct decode_opts *o); /* tools/decode_pcap.c */

#endif
