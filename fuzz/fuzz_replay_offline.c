/* libFuzzer harness: ward replay --pcap --offline (tools/replay_offline.c)
 * on an untrusted capture: the responses found in it are served to the
 * engine as they are, or rebuilt with another question. The input is the
 * capture file; NAME is www.alg13.nsec. A, the name the seeds (testbed
 * captures) resolve. The answer goes to /dev/null (stdout). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tools/cmds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	if (!init) {
		if (!freopen("/dev/null", "w", stdout))
			return 0;
		init = true;
	}
	int fd = memfd_create("capture", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		replay_offline_main(path, "www.alg13.nsec.", "A", true, false, false, false);
	}
	close(fd);
	return 0;
}
