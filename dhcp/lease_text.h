/* ward DHCP: dnsmasq's lease-file text format, both ways (sans-I/O).
 *
 * One IPv4 lease per line, five fields separated by blanks:
 *   EXPIRY MAC IP HOSTNAME CLIENT-ID
 * EXPIRY is unix seconds (0: infinite); MAC is hex octets joined by ':',
 * prefixed "HH-" (hardware type in hex) when the type is not Ethernet (1) or
 * the address is empty; HOSTNAME and CLIENT-ID are "*" when absent, the
 * client-id hex octets joined by ':'. This is what dnsmasq's lease.c writes
 * and reads (its "duid" line and IPv6 lease lines, and its "vendorclass" /
 * "agent-info" extra lines, are recognised, skipped and counted: ward keeps
 * IPv4 leases only). */
#ifndef WARD_DHCP_LEASE_TEXT_H
#define WARD_DHCP_LEASE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "codec/strbuf.h"
#include "dhcp/lease.h"

/* Longest line written or accepted: 20 digits of expiry, "hh-" + 16 octets,
 * a dotted quad, a 255-octet hostname, 255 client-id octets as "hh:", four
 * blanks and the newline (20 + 50 + 15 + 255 + 764 + 5 = 1109), rounded up. */
#define LEASE_TEXT_LINE_MAX 1152
#define LEASE_HTYPE_ETHER 1 /* ARP hardware type Ethernet (RFC 1700) */

enum lease_line_kind {
	LEASE_LINE_V4 = 1, /* an IPv4 lease: *out is filled */
	LEASE_LINE_BLANK,  /* empty or only blanks */
	LEASE_LINE_DUID,   /* "duid HEX": dnsmasq's DHCPv6 server DUID */
	LEASE_LINE_V6,     /* an IPv6 lease ("EXPIRY [T]IAID IPV6 NAME CLID") */
	LEASE_LINE_EXTRA,  /* "vendorclass IP HEX" / "agent-info IP HEX" */
};

/* Parse one line (without or with its trailing newline; a CR before it is
 * tolerated). Returns 0 and sets *kind, filling *out (zeroed first) for
 * LEASE_LINE_V4; a negative ward_err for a malformed line. */
int lease_text_parse_line(const char *s, size_t n, struct dhcp_lease *out,
                          enum lease_line_kind *kind);

/* Whether a lease can be written to the file and read back unchanged:
 * expiry >= 0, hlen <= 16, cid_len <= 255, hostname NUL-terminated, made of
 * printable ASCII without blanks, and not "*". 0 or a negative ward_err. */
int lease_text_check(const struct dhcp_lease *l);

/* Append one line (with '\n') for *l. WARD_ELEASE_* when lease_text_check
 * refuses it, WARD_ESPACE (sticky in sb) when the buffer is full. */
int lease_text_format(strbuf *sb, const struct dhcp_lease *l);

/* Counts from a whole-file parse. */
struct lease_text_stats {
	unsigned lines;      /* lines seen */
	unsigned leases;     /* IPv4 leases handed to the callback */
	unsigned bad;        /* malformed lines (skipped) */
	unsigned first_bad;  /* line number of the first malformed line, 0: none */
	int first_err;       /* its error */
	unsigned duid;       /* "duid" lines skipped */
	unsigned v6;         /* IPv6 lease lines skipped */
	unsigned extra;      /* vendorclass / agent-info lines skipped */
};

struct lease_text_sink {
	/* Each IPv4 lease, with its 1-based line number. A negative return stops
	 * the parse and is returned by lease_text_parse. */
	int (*lease)(void *ctx, const struct dhcp_lease *l, unsigned line);
	/* Each malformed line (optional, may be NULL). */
	void (*bad_line)(void *ctx, unsigned line, int err);
	void *ctx;
};

/* Parse a whole lease file held in memory. Malformed lines are reported and
 * skipped, never fatal; a final line without newline is parsed too. Returns 0
 * or the callback's negative value. */
int lease_text_parse(const char *buf, size_t len,
                     const struct lease_text_sink *sink,
                     struct lease_text_stats *st);

#endif
