/* wardd: the resolver + DHCP daemon.
 *
 * The daemon itself is issue #4 and not built yet: this entry point only
 * answers --version/--help and refuses to start, so nobody mistakes it for a
 * working resolver. */
#include <stdio.h>
#include <string.h>

#ifndef WARD_VERSION
#define WARD_VERSION "0.1.0-dev"
#endif

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("wardd %s\n", WARD_VERSION);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: wardd [--conf-file=FILE]\n"
		       "The resolver daemon is not implemented yet (see README).\n");
		return 0;
	}
	fprintf(stderr, "wardd: the resolver daemon is not implemented yet; "
	                "nothing was started\n");
	return 1;
}
