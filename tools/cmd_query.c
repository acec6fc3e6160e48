/* ward query: a dig-like client built on the codec.
 *   ward query [@SERVER[#PORT]] NAME [TYPE] [CLASS] [+dnssec] [+cd] [+tcp]
 *              [+short] [+norec] [+noedns] [+bufsize=N] [+timeout=S]
 *              [+tries=N] [--json]
 * Output follows dig's layout. UDP first, TCP when the answer is truncated
 * (TC=1) or with +tcp (RFC 7766). Exit status as dig: 0 an answer was
 * received, 1 usage error, 9 no reply from the server, 10 internal error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cmds.h"
#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"

#define QUERY_EXIT_USAGE 1
#define QUERY_EXIT_NOREPLY 9
#define QUERY_EXIT_INTERNAL 10

struct query_opts {
	const char *server;
	uint16_t port;
	const char *name;
	uint16_t qtype;
	uint16_t qclass;
	bool dnssec, cd, tcp, shortout, norec, noedns, json;
	uint16_t bufsize;
	int timeout_s;
	int tries;
};

static void usage(FILE *out)
{
	fputs("usage: ward query [@SERVER[#PORT]] NAME [TYPE] [CLASS] [options]\n"
	      "\n"
	      "Sends one DNS query and prints the answer in dig's layout.\n"
	      "  @SERVER[#PORT]  server address (IPv4 or IPv6), default the first\n"
	      "                  nameserver of /etc/resolv.conf; port default 53\n"
	      "  -p PORT         port\n"
	      "  +dnssec         set the DO bit (RRSIGs, NSEC/NSEC3 in the answer)\n"
	      "  +cd             set CD (checking disabled)\n"
	      "  +tcp            query over TCP\n"
	      "  +short          only the answer's rdata, one per line\n"
	      "  +norec          clear RD\n"
	      "  +noedns         no OPT record\n"
	      "  +bufsize=N      EDNS UDP size (default 1232)\n"
	      "  +timeout=S      seconds per try (default 5)\n"
	      "  +tries=N        UDP tries (default 3)\n"
	      "  --json          the answer as one RFC 8427 JSON object\n"
	      "\n"
	      "Exit status: 0 answer received, 1 usage, 9 no reply, 10 internal error.\n",
	      out);
}

static int default_server(char *buf, size_t cap)
{
	FILE *f = fopen("/etc/resolv.conf", "r");
	char line[512];
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		char addr[256];
		if (sscanf(line, " nameserver %255s", addr) == 1) {
			snprintf(buf, cap, "%s", addr);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	return -1;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct query_opts *o,
                      char *srvbuf, size_t srvcap)
{
	unsigned long v;
	bool have_type = false, have_class = false;
	memset(o, 0, sizeof *o);
	o->port = 53;
	o->qtype = DNS_T_A;
	o->qclass = DNS_C_IN;
	o->bufsize = 1232;
	o->timeout_s = 5;
	o->tries = 3;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "-p") && i + 1 < argc) {
			if (parse_uint(argv[++i], 65535, &v) || v == 0)
				return fprintf(stderr, "ward query: bad port '%s'\n", argv[i]), -1;
			o->port = (uint16_t)v;
		} else if (a[0] == '@') {
			snprintf(srvbuf, srvcap, "%s", a + 1);
			char *hash = strchr(srvbuf, '#');
			if (hash) {
				*hash = '\0';
				if (parse_uint(hash + 1, 65535, &v) || v == 0)
					return fprintf(stderr, "ward query: bad port in '%s'\n", a), -1;
				o->port = (uint16_t)v;
			}
			o->server = srvbuf;
		} else if (a[0] == '+') {
			const char *opt = a + 1;
			if (!strcmp(opt, "dnssec")) o->dnssec = true;
			else if (!strcmp(opt, "cd") || !strcmp(opt, "cdflag")) o->cd = true;
			else if (!strcmp(opt, "tcp") || !strcmp(opt, "vc")) o->tcp = true;
			else if (!strcmp(opt, "short")) o->shortout = true;
			else if (!strcmp(opt, "norec") || !strcmp(opt, "norecurse")) o->norec = true;
			else if (!strcmp(opt, "noedns")) o->noedns = true;
			else if (!strncmp(opt, "bufsize=", 8) && !parse_uint(opt + 8, 65535, &v))
				o->bufsize = (uint16_t)v;
			else if (!strncmp(opt, "timeout=", 8) && !parse_uint(opt + 8, 300, &v) && v > 0)
				o->timeout_s = (int)v;
			else if (!strncmp(opt, "tries=", 6) && !parse_uint(opt + 6, 20, &v) && v > 0)
				o->tries = (int)v;
			else
				return fprintf(stderr, "ward query: unknown option '%s'\n", a), -1;
		} else if (!o->name) {
			o->name = a;
		} else if (!have_type && dns_type_from_text(a, strlen(a), &o->qtype) == 0) {
			have_type = true;
		} else if (!have_class && dns_class_from_text(a, strlen(a), &o->qclass) == 0) {
			have_class = true;
		} else {
			return fprintf(stderr, "ward query: unexpected argument '%s'\n", a), -1;
		}
	}
	if (!o->name) {
		usage(stderr);
		return -1;
	}
	if (!o->server) {
		if (default_server(srvbuf, srvcap))
			return fprintf(stderr, "ward query: no server given and none in /etc/resolv.conf\n"), -1;
		o->server = srvbuf;
	}
	return 0;
}

static int make_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
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

static int build_query(const struct query_opts *o, const dns_name *qname,
                       uint16_t id, uint8_t *buf, size_t cap, size_t *len)
{
	dns_mb b;
	int r = dns_mb_init(&b, buf, cap, cap);
	if (r)
		return r;
	dns_mb_set_id(&b, id);
	/* dig sets AD in queries (RFC 6840 §5.7: ask for the AD bit) */
	uint16_t flags = DNS_FLAG_AD;
	if (!o->norec)
		flags |= DNS_FLAG_RD;
	if (o->cd)
		flags |= DNS_FLAG_CD;
	dns_mb_set_flags(&b, flags);
	if (!o->noedns &&
	    (r = dns_mb_edns(&b, o->bufsize, 0, o->dnssec ? EDNS_FLAG_DO : 0)))
		return r;
	if ((r = dns_mb_question(&b, qname, o->qtype, o->qclass)))
		return r;
	return dns_mb_finish(&b, len);
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

/* Is this reply an answer to our query (id and question)? */
static bool matches(const uint8_t *reply, size_t len, uint16_t id,
                    const dns_name *qname, uint16_t qtype)
{
	dns_msg m;
	dns_msg_parse(&m, reply, len);
	if (len < DNS_HEADER_LEN || m.id != id || !(m.flags & DNS_FLAG_QR))
		return false;
	dns_name q;
	uint16_t t;
	if (m.count[0] == 0)
		return true; /* e.g. FORMERR without question */
	return dns_msg_question(&m, &q, &t, NULL) == 0 && t == qtype &&
	       dns_name_equal(&q, qname);
}

static ssize_t query_udp(const struct sockaddr_storage *ss, socklen_t sl,
                         const struct query_opts *o, const uint8_t *q,
                         size_t qlen, uint16_t id, const dns_name *qname,
                         uint8_t *reply, size_t cap)
{
	int fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)ss, sl) < 0) {
		close(fd);
		return -1;
	}
	for (int t = 0; t < o->tries; t++) {
		if (send(fd, q, qlen, 0) < 0)
			break;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		long left;
		while ((left = o->timeout_s * 1000L - elapsed_ms(&t0)) > 0) {
			if (wait_fd(fd, POLLIN, (int)left))
				break;
			ssize_t n = recv(fd, reply, cap, 0);
			if (n < 0)
				break; /* e.g. ECONNREFUSED: try again */
			if (matches(reply, (size_t)n, id, qname, o->qtype)) {
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

static ssize_t query_tcp(const struct sockaddr_storage *ss, socklen_t sl,
                         const struct query_opts *o, const uint8_t *q,
                         size_t qlen, uint16_t id, const dns_name *qname,
                         uint8_t *reply, size_t cap)
{
	int ms = o->timeout_s * 1000;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)ss, sl) < 0 && errno != EINPROGRESS)
		goto fail;
	if (wait_fd(fd, POLLOUT, ms))
		goto fail;
	int soerr = 0;
	socklen_t el = sizeof soerr;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) || soerr)
		goto fail;
	uint8_t out[2 + 65535];
	out[0] = (uint8_t)(qlen >> 8);
	out[1] = (uint8_t)qlen;
	memcpy(out + 2, q, qlen);
	size_t sent = 0;
	while (sent < qlen + 2) {
		if (wait_fd(fd, POLLOUT, ms))
			goto fail;
		ssize_t w = write(fd, out + sent, qlen + 2 - sent);
		if (w <= 0)
			goto fail;
		sent += (size_t)w;
	}
	/* RFC 7766 §7: answers may come out of order; skip ones not ours */
	for (int k = 0; k < 16; k++) {
		uint8_t lb[2];
		if (read_full(fd, lb, 2, ms))
			goto fail;
		size_t n = (size_t)lb[0] << 8 | lb[1];
		if (n > cap || read_full(fd, reply, n, ms))
			goto fail;
		if (matches(reply, n, id, qname, o->qtype)) {
			close(fd);
			return (ssize_t)n;
		}
	}
fail:
	close(fd);
	return -1;
}

static void print_short(const dns_msg *m)
{
	dns_rr_iter it;
	dns_rr_view v;
	char buf[1 << 16];
	dns_rr_iter_init(&it, m, DNS_SEC_ANSWER);
	while (dns_rr_iter_next(&it, &v) == 1) {
		strbuf sb = strbuf_init(buf, sizeof buf);
		if (dns_rr_view_rdata_to_text(m, &v, &sb) == 0)
			printf("%s\n", buf);
	}
}

static int print_answer(const struct query_opts *o, const dns_msg *m,
                        const char *proto, long ms)
{
	size_t cap = 1 << 20;
	char *out = malloc(cap);
	if (!out)
		return QUERY_EXIT_INTERNAL;
	strbuf sb = strbuf_init(out, cap);
	if (o->shortout) {
		print_short(m);
	} else if (o->json) {
		dns_msg_print_json(m, &sb);
		printf("%s\n", out);
	} else {
		char tbuf[16], cbuf[16];
		printf("; <<>> ward query <<>> @%s %s %s %s\n", o->server, o->name,
		       dns_type_str(o->qtype, tbuf), dns_class_str(o->qclass, cbuf));
		dns_msg_print(m, &sb);
		fputs(out, stdout);
		char when[64];
		time_t now = time(NULL);
		strftime(when, sizeof when, "%a %b %d %H:%M:%S UTC %Y", gmtime(&now));
		printf(";; Query time: %ld msec\n;; SERVER: %s#%u(%s) (%s)\n;; WHEN: %s\n\n",
		       ms, o->server, o->port, o->server, proto, when);
	}
	free(out);
	return 0;
}

int cmd_query(int argc, char **argv)
{
	struct query_opts o;
	char srv[256];
	if (parse_args(argc, argv, &o, srv, sizeof srv))
		return QUERY_EXIT_USAGE;
	dns_name qname;
	const dns_name root = { 1, { 0 } };
	if (dns_name_from_text(&qname, o.name, strlen(o.name), &root)) {
		fprintf(stderr, "ward query: bad name '%s'\n", o.name);
		return QUERY_EXIT_USAGE;
	}
	struct sockaddr_storage ss;
	socklen_t sl;
	if (make_addr(o.server, o.port, &ss, &sl)) {
		fprintf(stderr, "ward query: '%s' is not an IPv4 or IPv6 address\n", o.server);
		return QUERY_EXIT_USAGE;
	}
	uint16_t id;
	if (getrandom(&id, sizeof id, 0) != sizeof id) {
		fprintf(stderr, "ward query: no random bytes: %s\n", strerror(errno));
		return QUERY_EXIT_INTERNAL;
	}
	uint8_t q[4096];
	size_t qlen;
	int r = build_query(&o, &qname, id, q, sizeof q, &qlen);
	if (r) {
		fprintf(stderr, "ward query: cannot build query: %s\n", ward_strerror(r));
		return QUERY_EXIT_INTERNAL;
	}
	static uint8_t reply[65535];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *proto = "UDP";
	ssize_t n = -1;
	if (!o.tcp) {
		n = query_udp(&ss, sl, &o, q, qlen, id, &qname, reply, sizeof reply);
		if (n >= DNS_HEADER_LEN && (reply[2] & 0x02)) {
			if (!o.shortout && !o.json)
				printf(";; Truncated, retrying in TCP mode.\n");
			n = -2;
		}
	}
	if (o.tcp || n == -2) {
		proto = "TCP";
		n = query_tcp(&ss, sl, &o, q, qlen, id, &qname, reply, sizeof reply);
	}
	long ms = elapsed_ms(&t0);
	if (n < 0) {
		fprintf(stderr, ";; communications error to %s#%u: %s\n", o.server,
		        o.port, "no reply (timed out or refused)");
		return QUERY_EXIT_NOREPLY;
	}
	dns_msg m;
	dns_msg_parse(&m, reply, (size_t)n);
	return print_answer(&o, &m, proto, ms);
}
