/* wardd: DHCP sockets. One UDP socket on 0.0.0.0:67 per interface served,
 * tied to it with SO_BINDTODEVICE (so broadcasts arrive on the socket of
 * their interface and 255.255.255.255 replies leave by it) and IP_PKTINFO
 * (the destination address tells a unicast request from a broadcast one,
 * RFC 2131 §4.3.2, and sets the source of the reply).
 * Interfaces served, as dnsmasq chooses them: those with an IPv4 address,
 * not loopback, matching interface= when any is given (a trailing '*' is a
 * prefix), minus except-interface= and no-dhcp-interface=. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/dhcp_serve.h"
#include "daemon/wardd.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define RECV_BATCH WARDD_DHCP_BATCH /* datagrams read per readiness callback */
/* Receive buffer: requests that arrive while a commit's fdatasync holds
 * the loop wait here (at 40 000 messages/s a 5 ms fsync is 200 of them;
 * the default ~200 KB buffer drops some). SO_RCVBUFFORCE as root, else
 * what net.core.rmem_max allows. */
#define RCVBUF_BYTES (8 * 1024 * 1024)

static bool name_matches(const char *pattern, const char *name)
{
	size_t pl = strlen(pattern);
	if (pl && pattern[pl - 1] == '*')
		return !strncmp(pattern, name, pl - 1);
	return !strcmp(pattern, name);
}

static bool listed(const conf_str *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (name_matches(v[i].s, name))
			return true;
	return false;
}

static bool served(const ward_conf *c, const char *name)
{
	if (c->interfaces.n && !listed(c->interfaces.v, c->interfaces.n, name))
		return false;
	return !listed(c->except_interfaces.v, c->except_interfaces.n, name) &&
	       !listed(c->no_dhcp_interfaces.v, c->no_dhcp_interfaces.n, name);
}

static struct dhcp_if *find_or_add(struct wardd_dhcp *dh, const char *name)
{
	for (unsigned i = 0; i < dh->nifs; i++)
		if (!strcmp(dh->ifs[i].name, name))
			return &dh->ifs[i];
	if (dh->nifs >= WARDD_DHCP_IF_MAX || strlen(name) >= sizeof dh->ifs[0].name)
		return NULL;
	struct dhcp_if *f = &dh->ifs[dh->nifs++];
	memset(f, 0, sizeof *f);
	f->dh = dh;
	f->fd = -1;
	strcpy(f->name, name);
	f->ifindex = if_nametoindex(name);
	return f;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct dhcp_if *f = p->data;
	if (status < 0 || !(events & UV_READABLE))
		return;
	for (int n = 0; n < RECV_BATCH; n++) {
		if (dhcp_serve_full(f->dh)) {
			/* resumed when the commit in flight ends */
			dhcp_io_pause(f->dh);
			break;
		}
		struct sockaddr_in from;
		union {
			char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} cm;
		struct iovec iov = { f->dh->buf, sizeof f->dh->buf };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof from,
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cm.b, .msg_controllen = sizeof cm.b,
		};
		ssize_t r = recvmsg(f->fd, &mh, 0);
		if (r < 0)
			break;    /* EAGAIN: drained */
		if (mh.msg_flags & MSG_TRUNC) {
			f->dh->st_.malformed++;
			continue;
		}
		uint32_t dst = 0;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				dst = ntohl(pi.ipi_addr.s_addr);
			}
		bool unicast = false;
		for (size_t i = 0; i < f->naddrs; i++)
			if (f->addrs[i].addr == dst)
				unicast = true;
		dhcp_serve_packet(f, f->dh->buf, (size_t)r, unicast);
	}
	dhcp_serve_flush(f->dh);
}

static int open_socket(struct dhcp_if *f)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(DHCP_SERVER_PORT);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, f->name,
	               (socklen_t)strlen(f->name) + 1) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	int rb = RCVBUF_BYTES;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof rb) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
	return fd;
}

int dhcp_io_open(struct wardd_dhcp *dh)
{
	const ward_conf *c = dh->d->conf;
	struct ifaddrs *ifa0;
	if (getifaddrs(&ifa0) < 0) {
		wlog(WLOG_ERR, "DHCP: cannot list interfaces: %m");
		return WARD_EIO;
	}
	for (struct ifaddrs *a = ifa0; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET ||
		    (a->ifa_flags & IFF_LOOPBACK) || !served(c, a->ifa_name))
			continue;
		struct dhcp_if *f = find_or_add(dh, a->ifa_name);
		if (!f) {
			wlog(WLOG_WARNING, "DHCP: interface %s not served (more than "
			     "%u interfaces, or a long name)", a->ifa_name,
			     WARDD_DHCP_IF_MAX);
			continue;
		}
		if (f->naddrs >= DHCP_IFADDR_MAX)
			continue;
		f->addrs[f->naddrs].addr =
			ntohl(((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr);
		f->addrs[f->naddrs].netmask = a->ifa_netmask ?
			ntohl(((struct sockaddr_in *)a->ifa_netmask)->sin_addr.s_addr) : 0;
		f->naddrs++;
	}
	freeifaddrs(ifa0);
	if (!dh->nifs) {
		wlog(WLOG_ERR, "DHCP: no interface with an IPv4 address to serve "
		     "(interface=, except-interface=, no-dhcp-interface=)");
		return WARD_ECONF;
	}
	for (unsigned i = 0; i < dh->nifs; i++) {
		struct dhcp_if *f = &dh->ifs[i];
		f->fd = open_socket(f);
		if (f->fd < 0) {
			wlog(WLOG_ERR, "failed to create DHCP socket on %s: %m", f->name);
			return WARD_EIO;
		}
		uv_poll_init(dh->d->loop, &f->poll, f->fd);
		f->poll.data = f;
		f->poll_open = true;
		uv_poll_start(&f->poll, UV_READABLE, on_readable);
		char ip[INET_ADDRSTRLEN];
		struct in_addr ia = { htonl(f->addrs[0].addr) };
		wlog(WLOG_INFO, "DHCP on %s (%s, %zu address%s)", f->name,
		     inet_ntop(AF_INET, &ia, ip, sizeof ip), f->naddrs,
		     f->naddrs == 1 ? "" : "es");
	}
	return 0;
}

void dhcp_io_pause(struct wardd_dhcp *dh)
{
	if (dh->paused)
		return;
	dh->paused = true;
	for (unsigned i = 0; i < dh->nifs; i++)
		if (dh->ifs[i].poll_open)
			uv_poll_stop(&dh->ifs[i].poll);
}

void dhcp_io_resume(struct wardd_dhcp *dh)
{
	if (!dh->paused)
		return;
	dh->paused = false;
	for (unsigned i = 0; i < dh->nifs; i++)
		if (dh->ifs[i].poll_open)
			uv_poll_start(&dh->ifs[i].poll, UV_READABLE, on_readable);
}

static void on_closed(uv_handle_t *h)
{
	struct dhcp_if *f = h->data;
	close(f->fd);
	f->fd = -1;
}

void dhcp_io_close(struct wardd_dhcp *dh)
{
	for (unsigned i = 0; i < dh->nifs; i++) {
		struct dhcp_if *f = &dh->ifs[i];
		if (f->poll_open) {
			uv_poll_stop(&f->poll);
			uv_close((uv_handle_t *)&f->poll, on_closed);
			f->poll_open = false;
		} else if (f->fd >= 0) {
			close(f->fd);
			f->fd = -1;
		}
	}
}

static int udp_send(struct dhcp_if *f, uint32_t src, uint32_t dst,
                    uint16_t port, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in to;
	memset(&to, 0, sizeof to);
	to.sin_family = AF_INET;
	to.sin_port = htons(port);
	to.sin_addr.s_addr = htonl(dst);
	union {
		char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cm;
	memset(&cm, 0, sizeof cm);
	struct iovec iov = { (void *)pkt, len };
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof to,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cm.b, .msg_controllen = sizeof cm.b,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.ipi_ifindex = (int)f->ifindex;
	pi.ipi_spec_dst.s_addr = htonl(src);
	memcpy(CMSG_DATA(c), &pi, sizeof pi);
	return sendmsg(f->fd, &mh, 0) == (ssize_t)len ? 0 : WARD_EIO;
}

void dhcp_io_send(struct wardd_dhcp *dh, struct dhcp_if *in,
                  const dhcp_act_send *a)
{
	int r;
	switch (a->dest) {
	case DHCP_DEST_RELAY:
		r = udp_send(in, a->src, a->ip, DHCP_SERVER_PORT, a->pkt, a->len);
		break;
	case DHCP_DEST_UNICAST:
		r = udp_send(in, a->src, a->ip, DHCP_CLIENT_PORT, a->pkt, a->len);
		break;
	case DHCP_DEST_HWADDR:
		if (dh->raw_fd >= 0 && a->htype == 1 && a->hlen == 6) {
			uint8_t dg[20 + 8 + DHCP_REPLY_MAX];
			size_t n = dhcp_raw_build(dg, sizeof dg, a->src, DHCP_SERVER_PORT,
			                          a->ip, DHCP_CLIENT_PORT, a->pkt, a->len);
			r = n ? dhcp_raw_send(dh->raw_fd, in->ifindex, a->chaddr, dg, n)
			      : WARD_EINVAL;
			if (!r) {
				dh->st_.raw_sent++;
				break;
			}
		}
		/* not Ethernet, or no packet socket: broadcast, as dnsmasq
		 * does for hardware it cannot address */
		/* fall through */
	case DHCP_DEST_BROADCAST:
	default:
		r = udp_send(in, a->src, 0xffffffffu, DHCP_CLIENT_PORT, a->pkt, a->len);
		break;
	}
	if (r) {
		dh->st_.send_errors++;
		wlog(WLOG_WARNING, "DHCP: cannot send a reply on %s: %m", in->name);
	} else {
		dh->st_.replies++;
	}
}
