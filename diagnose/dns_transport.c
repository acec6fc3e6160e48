/* ward toolkit: blocking DNS exchanges over UDP and TCP (see the header).
 * Moved out of tools/cmd_query.c so that ward diff and ward replay --pcap
 * send exactly as ward query does. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dns_transport.h"
#include "codec/msg.h"

int dns_make_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
                  socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof *s4;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof *s6;
		return 0;
	}
	return -1;
}

int dns_server_parse(const char *spec, uint16_t def_port, struct dns_server *s)
{
	char host[64];
	unsigned long port = def_port;
	const char *hash = strchr(spec, '#');
	size_t hl = hash ? (size_t)(hash - spec) : strlen(spec);
	if (hl == 0 || hl >= sizeof host)
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (hash) {
		char *end;
		errno = 0;
		port = strtoul(hash + 1, &end, 10);
		if (errno || end == hash + 1 || *end || port == 0 || port > 65535)
			return -1;
	}
	if (dns_make_addr(host, (uint16_t)port, &s->ss, &s->sl))
		return -1;
	snprintf(s->text, sizeof s->text, "%s#%lu", host, port);
	return 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Wait for fd to become readable/writable within ms. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { fd, events, 0 };
	int r;
	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r > 0 ? 0 : -1;
}

bool dns_reply_matches(const uint8_t *reply, size_t len,
                       const struct dns_expect *e)
{
	dns_msg m;
	dns_msg_parse(&m, reply, len);
	if (len < DNS_HEADER_LEN || m.id != e->id || !(m.flags & DNS_FLAG_QR))
		return false;
	dns_name q;
	uint16_t t;
	if (m.count[0] == 0)
		return true; /* e.g. FORMERR without question */
	return dns_msg_question(&m, &q, &t, NULL) == 0 && t == e->qtype &&
	       dns_name_equal(&q, e->qname);
}

ssize_t dns_query_udp(const struct dns_server *s, const uint8_t *q, size_t qlen,
                      const struct dns_expect *e, int timeout_ms, int tries,
                      uint8_t *reply, size_t cap)
{
	int fd = socket(s->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&s->ss, s->sl) < 0) {
		close(fd);
		return -1;
	}
	for (int t = 0; t < tries; t++) {
		if (send(fd, q, qlen, 0) < 0)
			break;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		long left;
		while ((left = timeout_ms - elapsed_ms(&t0)) > 0) {
			if (wait_fd(fd, POLLIN, (int)left))
				break;
			ssize_t n = recv(fd, reply, cap, 0);
			if (n < 0)
				break; /* e.g. ECONNREFUSED: try again */
			if (dns_reply_matches(reply, (size_t)n, e)) {
				close(fd);
				return n;
			}
		}
	}
	close(fd);
	return -1;
}

static int read_full(int fd, uint8_t *p, size_t n, int ms)
{
	size_t got = 0;
	while (got < n) {
		if (wait_fd(fd, POLLIN, ms))
			return -1;
		ssize_t r = read(fd, p + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

ssize_t dns_query_tcp(const struct dns_server *s, const uint8_t *q, size_t qlen,
                      const struct dns_expect *e, int timeout_ms,
                      uint8_t *reply, size_t cap)
{
	int ms = timeout_ms;
	if (qlen > 65535)
		return -1;
	int fd = socket(s->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&s->ss, s->sl) < 0 && errno != EINPROGRESS)
		goto fail;
	if (wait_fd(fd, POLLOUT, ms))
		goto fail;
	int soerr = 0;
	socklen_t el = sizeof soerr;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) || soerr)
		goto fail;
	uint8_t *out = malloc(qlen + 2);
	if (!out)
		goto fail;
	out[0] = (uint8_t)(qlen >> 8);
	out[1] = (uint8_t)qlen;
	memcpy(out + 2, q, qlen);
	size_t sent = 0;
	while (sent < qlen + 2) {
		ssize_t w = -1;
		if (!wait_fd(fd, POLLOUT, ms))
			w = write(fd, out + sent, qlen + 2 - sent);
		if (w <= 0) {
			free(out);
			goto fail;
		}
		sent += (size_t)w;
	}
	free(out);
	/* RFC 7766 §7: answers may come out of order; skip ones not ours */
	for (int k = 0; k < 16; k++) {
		uint8_t lb[2];
		if (read_full(fd, lb, 2, ms))
			goto fail;
		size_t n = (size_t)lb[0] << 8 | lb[1];
		if (n > cap || read_full(fd, reply, n, ms))
			goto fail;
		if (dns_reply_matches(reply, n, e)) {
			close(fd);
			return (ssize_t)n;
		}
	}
fail:
	close(fd);
	return -1;
}

ssize_t dns_exchange(const struct dns_server *s, const uint8_t *q, size_t qlen,
                     const struct dns_expect *e, bool tcp, int timeout_ms,
                     int tries, uint8_t *reply, size_t cap, bool *used_tcp)
{
	ssize_t n = -2;
	*used_tcp = false;
	if (!tcp) {
		n = dns_query_udp(s, q, qlen, e, timeout_ms, tries, reply, cap);
		if (n < DNS_HEADER_LEN || !(reply[2] & 0x02))
			return n;
	}
	*used_tcp = true;
	return dns_query_tcp(s, q, qlen, e, timeout_ms, reply, cap);
}
