/* wardd setup: the two files the resolver reads besides hosts files —
 * resolv.conf (nameserver lines, resolv.conf(5)) and root hints (zone-file
 * syntax, the format of IANA's named.root). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/zone.h"
#include "daemon/setup.h"

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* "nameserver ADDR": IPv4 or IPv6 (an IPv6 %zone is dropped: the engine
 * has no scope ids); anything else on the line is ignored, as glibc does. */
size_t setup_parse_resolv(const char *text, size_t len, struct res_addr *out,
                          size_t max)
{
	size_t n = 0, pos = 0;
	while (pos < len && n < max) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		size_t p = pos;
		pos = end + 1;
		while (p < end && is_blank(text[p]))
			p++;
		static const char kw[] = "nameserver";
		if (end - p <= sizeof kw - 1 || memcmp(text + p, kw, sizeof kw - 1) ||
		    !is_blank(text[p + sizeof kw - 1]))
			continue;
		p += sizeof kw - 1;
		while (p < end && is_blank(text[p]))
			p++;
		size_t q = p;
		while (q < end && !is_blank(text[q]) && text[q] != '%' &&
		       text[q] != '#' && text[q] != ';')
			q++;
		char buf[64];
		if (q == p || q - p >= sizeof buf)
			continue;
		memcpy(buf, text + p, q - p);
		buf[q - p] = 0;
		struct res_addr a;
		memset(&a, 0, sizeof a);
		a.port = 53;
		if (inet_pton(AF_INET, buf, a.ip) == 1)
			a.family = 4;
		else if (inet_pton(AF_INET6, buf, a.ip) == 1)
			a.family = 6;
		else
			continue;
		out[n++] = a;
	}
	return n;
}

#define HINT_RDATA_MAX 512

int setup_parse_hints(const char *text, size_t len, const char *fname,
                      struct res_hint *out, size_t max, char *msg,
                      size_t msglen)
{
	/* two passes: NS targets first, then their addresses */
	dns_name ns[SETUP_MAX_HINTS];
	size_t nns = 0;
	size_t n = 0;
	dns_name root;
	dns_name_root(&root);
	for (int pass = 0; pass < 2; pass++) {
		zone_parser zp;
		zone_parser_init(&zp, text, len, &root, 3600, fname);
		dns_rr rr;
		uint8_t buf[HINT_RDATA_MAX];
		int r;
		while ((r = zone_parser_next(&zp, &rr, buf, sizeof buf)) != 0) {
			if (r < 0) {
				snprintf(msg, msglen, "%s", zp.errmsg);
				zone_parser_free(&zp);
				return r;
			}
			if (pass == 0) {
				if (rr.type == DNS_T_NS && nns < SETUP_MAX_HINTS &&
				    dns_name_from_wire(&ns[nns], rr.rdata, rr.rdlen) >= 0)
					nns++;
				continue;
			}
			if (rr.type != DNS_T_A && rr.type != DNS_T_AAAA)
				continue;
			bool listed = nns == 0;
			for (size_t i = 0; i < nns && !listed; i++)
				listed = dns_name_equal(&ns[i], &rr.owner);
			if (!listed || n >= max)
				continue;
			struct res_hint *h = &out[n];
			memset(h, 0, sizeof *h);
			h->name = rr.owner;
			h->addr.port = 53;
			if (rr.type == DNS_T_A && rr.rdlen == 4) {
				h->addr.family = 4;
				memcpy(h->addr.ip, rr.rdata, 4);
			} else if (rr.type == DNS_T_AAAA && rr.rdlen == 16) {
				h->addr.family = 6;
				memcpy(h->addr.ip, rr.rdata, 16);
			} else {
				continue;
			}
			n++;
		}
		zone_parser_free(&zp);
	}
	if (n == 0) {
		snprintf(msg, msglen, "%s: no root server addresses (A/AAAA of the "
		         "NS names) in the root hints", fname);
		return WARD_ENOTFOUND;
	}
	return (int)n;
}
