/* ward resolver: reverse names (in-addr.arpa, ip6.arpa) and dnsmasq's
 * bogus-priv address set, for the local data store (localdata.h). */
#include "resolver/localdata.h"

#include <string.h>
#include <sys/socket.h>

#include "codec/error.h"

int localdata_reverse_name(int family, const uint8_t *addr, dns_name *out)
{
	char buf[80];
	size_t p = 0;
	static const char hex[] = "0123456789abcdef";
	if (family == AF_INET) {
		for (int i = 3; i >= 0; i--) {
			unsigned v = addr[i];
			if (v >= 100)
				buf[p++] = (char)('0' + v / 100);
			if (v >= 10)
				buf[p++] = (char)('0' + (v / 10) % 10);
			buf[p++] = (char)('0' + v % 10);
			buf[p++] = '.';
		}
		memcpy(buf + p, "in-addr.arpa.", 13);
		p += 13;
	} else if (family == AF_INET6) {
		for (int i = 15; i >= 0; i--) {
			buf[p++] = hex[addr[i] & 15];
			buf[p++] = '.';
			buf[p++] = hex[addr[i] >> 4];
			buf[p++] = '.';
		}
		memcpy(buf + p, "ip6.arpa.", 9);
		p += 9;
	} else {
		return WARD_EINVAL;
	}
	return dns_name_from_text(out, buf, p, NULL);
}

static bool label_is(const uint8_t *l, const char *s)
{
	size_t n = strlen(s);
	if (l[0] != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = l[1 + i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + 32);
		if (c != (uint8_t)s[i])
			return false;
	}
	return true;
}

/* Reverse name -> address. With partial, fewer labels than a full address
 * are accepted and the rest is zero (dnsmasq treats 10.in-addr.arpa as
 * 10.0.0.0 for bogus-priv: confirmed against dnsmasq 2.90). */
static int reverse_parse(const dns_name *n, uint8_t addr[16], bool partial)
{
	const uint8_t *lab[DNS_NAME_MAXLABELS];
	unsigned nl = 0;
	size_t i = 0;
	while (i < n->len && n->wire[i] != 0 && nl < DNS_NAME_MAXLABELS) {
		lab[nl++] = &n->wire[i];
		i += (size_t)n->wire[i] + 1;
	}
	memset(addr, 0, 16);
	if (nl >= 3 && nl <= 6 && label_is(lab[nl - 2], "in-addr") &&
	    label_is(lab[nl - 1], "arpa")) {
		unsigned cnt = nl - 2;
		if (cnt == 0 || (cnt != 4 && !partial))
			return 0;
		for (unsigned k = 0; k < cnt; k++) {
			const uint8_t *l = lab[k];
			if (l[0] < 1 || l[0] > 3 || (l[0] > 1 && l[1] == '0'))
				return 0;
			unsigned v = 0;
			for (unsigned j = 1; j <= l[0]; j++) {
				if (l[j] < '0' || l[j] > '9')
					return 0;
				v = v * 10 + (unsigned)(l[j] - '0');
			}
			if (v > 255)
				return 0;
			addr[cnt - 1 - k] = (uint8_t)v;
		}
		return AF_INET;
	}
	if (nl >= 3 && nl <= 34 && label_is(lab[nl - 2], "ip6") &&
	    label_is(lab[nl - 1], "arpa")) {
		unsigned cnt = nl - 2;
		if (cnt != 32 && !partial)
			return 0;
		for (unsigned k = 0; k < cnt; k++) {
			const uint8_t *l = lab[k];
			if (l[0] != 1)
				return 0;
			unsigned c = l[1], v;
			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				return 0;
			unsigned nib = cnt - 1 - k; /* nibble index from the left */
			addr[nib / 2] |= (uint8_t)((nib & 1) ? v : v << 4);
		}
		return AF_INET6;
	}
	return 0;
}

int localdata_reverse_parse(const dns_name *n, uint8_t addr[16])
{
	return reverse_parse(n, addr, false);
}

int localdata_reverse_parse_prefix(const dns_name *n, uint8_t addr[16])
{
	return reverse_parse(n, addr, true);
}

static bool in_net(const uint8_t *a, const uint8_t *net, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	if (memcmp(a, net, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((a[full] & mask) != (net[full] & mask))
			return false;
	}
	return true;
}

bool localdata_addr_is_private(int family, const uint8_t *addr)
{
	/* dnsmasq's private_net(): RFC 1918, loopback, link-local, "this"
	 * network, RFC 6303 (TEST-NETs, broadcast). 100.64/10 and 192.0.0/24
	 * are not in it; fd00::/8 is but fc00::/8 is not; fec0::/10 is
	 * (each confirmed against dnsmasq 2.90). */
	static const struct { uint8_t net[4]; unsigned bits; } v4[] = {
		{ { 0, 0, 0, 0 }, 8 },       { { 10, 0, 0, 0 }, 8 },
		{ { 127, 0, 0, 0 }, 8 },     { { 169, 254, 0, 0 }, 16 },
		{ { 172, 16, 0, 0 }, 12 },   { { 192, 168, 0, 0 }, 16 },
		{ { 192, 0, 2, 0 }, 24 },
		{ { 198, 51, 100, 0 }, 24 }, { { 203, 0, 113, 0 }, 24 },
		{ { 255, 255, 255, 255 }, 32 },
	};
	if (family == AF_INET) {
		for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			if (in_net(addr, v4[i].net, v4[i].bits))
				return true;
		return false;
	}
	if (family != AF_INET6)
		return false;
	static const uint8_t zero[16] = { 0 };
	static const uint8_t fe80[16] = { 0xfe, 0x80 };
	static const uint8_t fd00[16] = { 0xfd, 0x00 };
	static const uint8_t fec0[16] = { 0xfe, 0xc0 };
	static const uint8_t db8[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (in_net(addr, zero, 127)) /* :: and ::1 */
		return true;
	if (in_net(addr, fe80, 10) || in_net(addr, fec0, 10) ||
	    in_net(addr, fd00, 8) ||
	    in_net(addr, db8, 32))
		return true;
	if (in_net(addr, mapped, 96))
		return localdata_addr_is_private(AF_INET, addr + 12);
	return false;
}

