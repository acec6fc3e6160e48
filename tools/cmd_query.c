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
#include "diagnose/dns_transport.h"

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
	struct dns_server srvaddr;
	if (dns_make_addr(o.server, o.port, &srvaddr.ss, &srvaddr.sl)) {
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
	struct dns_expect expect = { id, &qname, o.qtype };
	static uint8_t reply[65535];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *proto = "UDP";
	ssize_t n = -1;
	if (!o.tcp) {
		n = dns_query_udp(&srvaddr, q, qlen, &expect, o.timeout_s * 1000,
		                  o.tries, reply, sizeof reply);
		if (n >= DNS_HEADER_LEN && (reply[2] & 0x02)) {
			if (!o.shortout && !o.json)
				printf(";; Truncated, retrying in TCP mode.\n");
			n = -2;
		}
	}
	if (o.tcp || n == -2) {
		proto = "TCP";
		n = dns_query_tcp(&srvaddr, q, qlen, &expect, o.timeout_s * 1000,
		                  reply, sizeof reply);
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
