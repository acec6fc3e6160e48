/* wardd: client queries over UDP. One socket per listening address; each
 * datagram goes to the engine, the answer back to the sender from the same
 * socket (the engine already truncated it to the client's size, TC=1). */
#include <stdlib.h>
#include <string.h>

#include "daemon/wardd.h"

static uint8_t rbuf[WARDD_UDP_RECV_MAX];

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	(void)h;
	(void)suggested;
	b->base = (char *)rbuf;
	b->len = sizeof rbuf;
}

static void on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *b,
                    const struct sockaddr *addr, unsigned flags)
{
	struct listener *l = h->data;
	if (nread < 0 || !addr || (flags & UV_UDP_PARTIAL)) {
		if (nread < 0 || (flags & UV_UDP_PARTIAL))
			l->d->st.malformed++;
		return;
	}
	if (l->d->stopping)
		return;
	wardd_query(l->d, (const uint8_t *)b->base, (size_t)nread, false, l,
	            addr, NULL);
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

void udp_client_answer(struct listener *l, const struct sockaddr *peer,
                       const uint8_t *buf, size_t len)
{
	if (!l->udp_open)
		return;
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

int udp_client_start(struct listener *l)
{
	int r = uv_udp_init(l->d->loop, &l->udp);
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
