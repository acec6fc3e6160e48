/* Fuzz harness: the two files wardd's setup reads besides hosts files
 * (daemon/setup_files.c): resolv.conf nameserver lines and root hints in
 * zone-file syntax. Checks the counts stay within the caller's array and
 * every address has a family and port 53. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "daemon/setup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct res_addr ns[8];
	size_t n = setup_parse_resolv((const char *)data, size, ns, 8);
	if (n > 8)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if ((ns[i].family != 4 && ns[i].family != 6) || ns[i].port != 53)
			__builtin_trap();
	struct res_hint h[4];
	char msg[640];
	int r = setup_parse_hints((const char *)data, size, "fuzz", h, 4, msg,
	                          sizeof msg);
	if (r > 4 || r == 0)
		__builtin_trap();
	for (int i = 0; i < r; i++)
		if (h[i].addr.family != 4 && h[i].addr.family != 6)
			__builtin_trap();
	if (r < 0 && !memchr(msg, 0, sizeof msg))
		__builtin_trap();
	return 0;
}
