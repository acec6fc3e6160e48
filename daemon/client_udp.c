/* wardd: client queries over UDP. One socket per listening address; each
 * datagram goes to the engine, the answer back to the sender from the same
 * socket (the engine already truncated it to the client's size, TC=1).
 *
 * Under load the socket is read WARDD_UDP_BATCH datagrams per recvmmsg
 * (libuv UV_UDP_RECVMMSG), and the answers given at once to the queries of
 * one such batch (cache hits, local data) are held and sent together with
 * one sendmmsg when the batch ends: two system calls per batch instead of
 * two per query (docs/benchmarks.md). Answers of one batch to the same client
 * of the same size leave as one UDP GSO send (daemon/udp_gso.h): one trip
 * down the IP stack for all of them. Answers given at any other time go out
 * at once, as before. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "daemon/udp_gso.h"
#include "daemon/wardd.h"

/* libuv hands each datagram of a recvmmsg batch a 64 KiB slice */
static uint8_t rbuf[WARDD_UDP_BATCH * WARDD_UDP_RECV_MAX];

/* Answers held for one sendmmsg: only while a batch of `l` is read. */
static struct {
	struct listener *l;
	unsigned n;
	size_t used;
	struct sockaddr_storage peer[WARDD_UDP_SEND_BATCH];
	socklen_t peerlen[WARDD_UDP_SEND_BATCH];
	size_t off[WARDD_UDP_SEND_BATCH];      /* answer i is data[off[i]..] */
	size_t len[WARDD_UDP_SEND_BATCH];
	bool same_prev[WARDD_UDP_SEND_BATCH];  /* same client as the one before */
	uint8_t data[WARDD_UDP_SEND_BYTES];
} held;

/* What flush_held hands sendmmsg: one message per run of udp_gso_group. */
static struct {
	struct udp_gso_run run[WARDD_UDP_SEND_BATCH];
	struct mmsghdr msg[WARDD_UDP_SEND_BATCH];
	struct iovec iov[WARDD_UDP_SEND_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} ctl[WARDD_UDP_SEND_BATCH];
} out;

/* Set when the kernel refuses UDP_SEGMENT (older than 4.18, a device or an
 * IPsec path that cannot): from then on every answer leaves alone. */
static bool gso_refused;

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

/* Build out.msg[r] for run r of the held answers; their bytes lie one after
 * another in held.data, so one iovec covers a run. */
static void out_message(unsigned r)
{
	const struct udp_gso_run *run = &out.run[r];
	struct msghdr *m = &out.msg[r].msg_hdr;
	out.iov[r] = (struct iovec){ held.data + held.off[run->first], run->bytes };
	*m = (struct msghdr){ .msg_name = &held.peer[run->first],
	                      .msg_namelen = held.peerlen[run->first],
	                      .msg_iov = &out.iov[r], .msg_iovlen = 1 };
	if (run->n < 2)
		return;
	m->msg_control = out.ctl[r].buf;
	m->msg_controllen = sizeof out.ctl[r].buf;
	struct cmsghdr *c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
	memcpy(CMSG_DATA(c), &run->seg, sizeof run->seg);
}

/* The errors by which a kernel says it cannot do UDP_SEGMENT here; any
 * other (a full buffer, a firewall) is about the datagrams, not GSO. */
static bool gso_refusal(int err)
{
	return err == EINVAL || err == EIO || err == EOPNOTSUPP ||
	       err == ENOPROTOOPT || err == EMSGSIZE;
}

/* Send what is held: one sendmmsg of its runs; what it did not take (a full
 * socket buffer, GSO refused) one by one through send_one. */
static void flush_held(void)
{
	struct listener *l = held.l;
	unsigned n = held.n, done = 0;
	held.l = NULL;
	held.n = 0;
	held.used = 0;
	if (!n || !l->udp_open)
		return;
	unsigned nruns = udp_gso_group(held.len, held.same_prev, n,
	                               !gso_refused, out.run);
	for (unsigned r = 0; r < nruns; r++)
		out_message(r);
	unsigned sent = 0;
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&l->udp, &fd) == 0) {
		while (sent < nruns) {
			int r = sendmmsg(fd, out.msg + sent, nruns - sent, MSG_DONTWAIT);
			if (r > 0) {
				for (unsigned i = sent; i < sent + (unsigned)r; i++)
					if (out.run[i].n > 1) {
						l->d->st.udp_gso_sends++;
						l->d->st.udp_gso_answers += out.run[i].n;
					}
				sent += (unsigned)r;
			} else if (r < 0 && errno == EINTR) {
				continue;
			} else {
				if (r < 0 && out.run[sent].n > 1 && gso_refusal(errno)) {
					gso_refused = true;
					wlog(WLOG_WARNING, "UDP GSO refused (%s): answers "
					     "are sent one by one from now on",
					     strerror(errno));
				}
				break;
			}
		}
		done = sent < nruns ? out.run[sent].first : n;
	}
	for (unsigned i = done; i < n; i++)
		send_one(l, (const struct sockaddr *)&held.peer[i],
		         held.data + held.off[i], held.len[i]);
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
	held.peerlen[i] = plen;
	held.same_prev[i] = i > 0 && held.peerlen[i - 1] == plen &&
	                    memcmp(&held.peer[i - 1], peer, plen) == 0;
	memcpy(held.data + held.used, buf, len);
	held.off[i] = held.used;
	held.len[i] = len;
	held.used += len;
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
