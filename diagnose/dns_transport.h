/* ward toolkit: sending one DNS query to a server over UDP or TCP and
 * waiting for the matching answer (shared by ward query, ward diff and
 * ward replay --pcap). Blocking, one socket per exchange, safe to call
 * from several threads at once. */
#ifndef WARD_TOOLS_DNS_TRANSPORT_H
#define WARD_TOOLS_DNS_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "codec/name.h"

struct dns_server {
	struct sockaddr_storage ss;
	socklen_t sl;
	char text[80];          /* "ADDR#PORT" as given */
};

/* "ADDR", "ADDR#PORT" or "[ADDR]:PORT"-less IPv6 "ADDR#PORT"; the port
 * defaults to def_port. -1 when ADDR is not an IPv4/IPv6 literal or the
 * port is bad. */
int dns_server_parse(const char *spec, uint16_t def_port, struct dns_server *s);
/* host + port into a sockaddr; -1 when host is not an address literal. */
int dns_make_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
                  socklen_t *len);

/* The question a reply must carry to be an answer to the query. */
struct dns_expect {
	uint16_t id;
	const dns_name *qname;
	uint16_t qtype;
};

/* Is reply[0..len) a response (QR=1) with this id and question? */
bool dns_reply_matches(const uint8_t *reply, size_t len,
                       const struct dns_expect *e);

/* UDP: send q, wait timeout_ms per try, `tries` tries. Returns the reply
 * length, or -1 when nothing matching came back. */
ssize_t dns_query_udp(const struct dns_server *s, const uint8_t *q, size_t qlen,
                      const struct dns_expect *e, int timeout_ms, int tries,
                      uint8_t *reply, size_t cap);
/* TCP (RFC 7766 length framing), one connection per query. */
ssize_t dns_query_tcp(const struct dns_server *s, const uint8_t *q, size_t qlen,
                      const struct dns_expect *e, int timeout_ms,
                      uint8_t *reply, size_t cap);
/* UDP, then TCP when the answer has TC=1 (or tcp is set). *used_tcp says
 * which transport gave the answer. */
ssize_t dns_exchange(const struct dns_server *s, const uint8_t *q, size_t qlen,
                     const struct dns_expect *e, bool tcp, int timeout_ms,
                     int tries, uint8_t *reply, size_t cap, bool *used_tcp);

#endif
