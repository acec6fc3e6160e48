/* wardd: client queries over UDP. One socket per listening address; each
 * datagram goes to the engine, the answer back to the sender from the same
 * socket (the engine already truncated it to the client's size, TC=1).
 *
 * Under load the socket is read WARDD_UDP_BATCH datagrams per recvmmsg
 * (libuv UV_UDP_RECVMMSG), and the answers given at once to the queries of
 * one such batch (cache hits, local data) are held and sent together with
 * one sendmmsg when the batch ends: two system calls per batch instead of
 * two per query (docs/benchmarks.md). Answers given at any other time go
 * out at once, as before. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/wardd.h"

/* libuv hands each datagram of a recvmmsg batch a 64 KiB slice */
static uint8_t rbuf[WARDD_UDP_BATCH * WARDD_UDP_RECV_MAX];

/* Answers held for one sendmmsg: only while a batch of `l` is read. */
static struct {
	struct listener *l;
	unsigned n;
	size_t used;
	struct mmsghdr msg[WARDD_UDP_SEND_BATCH];
	struct iovec iov[WARDD_UDP_SEND_BATCH];
	struct sockaddr_storage peer[WARDD_UDP_SEND_BATCH];
	uint8_t data[WARDD_UDP_SEND_BYTES];
} held;

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	(void)suggested;
	b->base = (char *)rbuf;
	b->len = sizeof rbuf;
}

struct udp_send_req {
	uv_udp_send_t req;
	uint8_t data[];
};

static void on_sent(uv_udp_send_t *req, int status)
{
	(void)status;
	free(req->data);
}

/* One answer now: at once if the socket takes it, else queued (a copy). */
static void send_one(struct listener *l, const struct sockaddr *peer,
                     const uint8_t *buf, size_t len)
{
	uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);
	int r = uv_udp_try_send(&l->udp, &b, 1, peer);
	if (r == (int)len || (r < 0 && r != UV_EAGAIN))
		return;
	/* the socket buffer is full: queue a copy */
	struct udp_send_req *q = malloc(sizeof *q + len);
	if (!q)
		return;
	memcpy(q->data, buf, len);
	q->req.data = q;
	b = uv_buf_init((char *)q->data, (unsigned)len);
	if (uv_udp_send(&q->req, &l->udp, &b, 1, peer, on_sent) < 0)
		free(q);
}

/* Send what is held: one sendmmsg; what it did not take (a full socket
 * buffer) one by one through send_one. */
static void flush_held(void)
{
	struct listener *l = held.l;
	unsigned n = held.n, done = 0;
	held.l = NULL;
	held.n = 0;
	held.used = 0;
	if (!n || !l->udp_open)
		return;
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&l->udp, &fd) == 0) {
		while (done < n) {
			int r = sendmmsg(fd, held.msg + done, n - done, MSG_DONTWAIT);
			if (r > 0)
				done += (unsigned)r;
			else if (r < 0 && errno == EINTR)
				continue;
			else
				break;
		}
	}
	for (unsigned i = done; i < n; i++)
		send_one(l, (const struct sockaddr *)&held.peer[i],
		         held.iov[i].iov_base, held.iov[i].iov_len);
}

static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *b,
                    const struct sockaddr *addr, unsigned flags)
{
	struct listener *l = h->data;
	if (flags & UV_UDP_MMSG_FREE) { /* the end of a recvmmsg batch */
		if (held.l)
			flush_held();
		return;
	}
	if (nread < 0 || !addr || (flags & UV_UDP_PARTIAL)) {
		if (nread < 0 || (flags & UV_UDP_PARTIAL))
			l->d->st.malformed++;
		return;
	}
	if (l->d->stopping)
		return;
	if (flags & UV_UDP_MMSG_CHUNK) {
		if (held.l && held.l != l)
			flush_held();
		held.l = l;
	}
	wardd_query(l->d, (const uint8_t *)b->base, (size_t)nread, false, l,
	            addr, NULL);
}

void udp_client_answer(struct listener *l, const struct sockaddr *peer,
                       const uint8_t *buf, size_t len)
{
	if (!l->udp_open)
		return;
	if (held.l != l) {
		send_one(l, peer, buf, len);
		return;
	}
	if (held.n == WARDD_UDP_SEND_BATCH ||
	    sizeof held.data - held.used < len)
		flush_held();
	if (len > sizeof held.data) {
		send_one(l, peer, buf, len);
		return;
	}
	held.l = l;
	unsigned i = held.n++;
	socklen_t plen = peer->sa_family == AF_INET6
	                 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	memcpy(&held.peer[i], peer, plen);
	memcpy(held.data + held.used, buf, len);
	held.iov[i].iov_base = held.data + held.used;
	held.iov[i].iov_len = len;
	held.used += len;
	memset(&held.msg[i], 0, sizeof held.msg[i]);
	held.msg[i].msg_hdr.msg_name = &held.peer[i];
	held.msg[i].msg_hdr.msg_namelen = plen;
	held.msg[i].msg_hdr.msg_iov = &held.iov[i];
	held.msg[i].msg_hdr.msg_iovlen = 1;
}

int udp_client_start(struct listener *l)
{
	int r = uv_udp_init_ex(l->d->loop, &l->udp, AF_UNSPEC | UV_UDP_RECVMMSG);
	if (r < 0)
		return r;
	l->udp.data = l;
	l->udp_open = true;
	unsigned flags = l->addr.ss_family == AF_INET6 ? UV_UDP_IPV6ONLY : 0;
	if ((r = uv_udp_bind(&l->udp, (const struct sockaddr *)&l->addr,
	                     flags)) < 0)
		return r;
	return uv_udp_recv_start(&l->udp, on_alloc, on_recv);
}
