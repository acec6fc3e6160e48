/* ward: the toolkit's entry point — dispatches to one function per
 * subcommand (tools/cmds.h). */
#include <stdio.h>
#include <string.h>

#include "cmds.h"

#ifndef WARD_VERSION
#define WARD_VERSION "0.1.0-dev"
#endif

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "decode", cmd_decode,
	  "print DNS messages (hex, --rr records, --pcap captures) like dig or as JSON" },
	{ "query", cmd_query,
	  "ask a DNS server one question, print the answer like dig" },
	{ "encode", cmd_encode,
	  "presentation-format records (--rr) to uncompressed wire hex" },
	{ "conf", cmd_conf,
	  "check or print a dnsmasq configuration as wardd reads it" },
	{ "lease", cmd_lease,
	  "check, print or compact a DHCP lease file and its journal" },
	{ "replay", cmd_replay,
	  "run .rpl scenario files through the engine (--rpl), or a capture's\n"
	  "           queries against a resolver (--pcap FILE --to SERVER)" },
	{ "diagnose", cmd_diagnose,
	  "walk the DNSSEC chain of trust of a name, say where it breaks" },
	{ "diff", cmd_diff,
	  "send the same queries to two resolvers, compare the answers" },
	{ "ctl", cmd_ctl,
	  "control a running wardd: stats, cache, leases, reload, log, verify" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: ward COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\n'ward COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ward %s\n", WARD_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ward: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
