/* LD_PRELOAD shim for wardd_transport.sh: sendmmsg fails with EIO on the
 * first message that carries a UDP_SEGMENT control message, as a kernel
 * without UDP GSO (or a path without checksum offload) does, so the test
 * sees wardd fall back to one datagram per answer and lose none. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

static int has_gso(const struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c;
	     c = CMSG_NXTHDR((struct msghdr *)m, c))
		if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_SEGMENT)
			return 1;
	return 0;
}

int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	static int (*real)(int, struct mmsghdr *, unsigned int, int);
	if (!real)
		real = (int (*)(int, struct mmsghdr *, unsigned int, int))
			dlsym(RTLD_NEXT, "sendmmsg");
	unsigned int k = 0;
	while (k < n && !has_gso(&v[k].msg_hdr))
		k++;
	if (k == 0 && n > 0) {
		errno = EIO;
		return -1;
	}
	return real(fd, v, k, flags);
}
