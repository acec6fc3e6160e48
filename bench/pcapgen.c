/* ward bench: writes a synthetic capture of DNS traffic for the toolkit
 * benchmark (bench/toolkit.sh): N packets, alternating a client query
 * (RD=1, EDNS with DO on one in four) from one of 4096 clients to a
 * resolver on 10.0.0.53 and the resolver's answer (one A record, or
 * NXDOMAIN with an SOA for one in eight), Ethernet + IPv4 + UDP, one
 * microsecond apart. Names: host<i % names>.zone<i % 97>.example.
 *
 * Usage: pcapgen FILE PACKETS [NAMES]   (classic pcap, microseconds) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return 4;
}

static size_t put_name(uint8_t *p, unsigned host, unsigned zone)
{
	char a[32], b[32];
	size_t o = 0;
	int la = snprintf(a, sizeof a, "host%u", host);
	int lb = snprintf(b, sizeof b, "zone%u", zone);
	p[o++] = (uint8_t)la;
	memcpy(p + o, a, (size_t)la);
	o += (size_t)la;
	p[o++] = (uint8_t)lb;
	memcpy(p + o, b, (size_t)lb);
	o += (size_t)lb;
	p[o++] = 7;
	memcpy(p + o, "example", 7);
	o += 7;
	p[o++] = 0;
	return o;
}

/* The DNS message: the query, or its answer. */
static size_t dns_msg(uint8_t *p, unsigned id, unsigned i, unsigned names, int answer)
{
	unsigned host = i % names, zone = i % 97;
	int nx = answer && i % 8 == 7, edns = i % 4 == 0;
	size_t o = 0;
	o += put16(p + o, id);
	unsigned flags = answer ? 0x8180 | (nx ? 3 : 0) : 0x0100;
	o += put16(p + o, flags);
	o += put16(p + o, 1);                     /* QDCOUNT */
	o += put16(p + o, answer && !nx);         /* ANCOUNT */
	o += put16(p + o, answer && nx);          /* NSCOUNT */
	o += put16(p + o, (unsigned)edns);        /* ARCOUNT */
	o += put_name(p + o, host, zone);
	o += put16(p + o, 1);                     /* A */
	o += put16(p + o, 1);                     /* IN */
	if (answer && !nx) {
		o += put16(p + o, 0xC00C);
		o += put16(p + o, 1);
		o += put16(p + o, 1);
		o += put32(p + o, 300);
		o += put16(p + o, 4);
		o += put32(p + o, 0x0A000000u | (i & 0xFFFFFFu));
	} else if (answer) {
		/* SOA of example., owner a pointer to "example" in the question */
		size_t ex = 12 + 1 + (size_t)p[12] + 1 + (size_t)p[13 + p[12]];
		o += put16(p + o, 0xC000 | (unsigned)ex);
		o += put16(p + o, 6);
		o += put16(p + o, 1);
		o += put32(p + o, 300);
		size_t rdl = o;
		o += 2;
		p[o++] = 2; memcpy(p + o, "ns", 2); o += 2;
		o += put16(p + o, 0xC000 | (unsigned)ex);
		p[o++] = 4; memcpy(p + o, "host", 4); o += 4;
		o += put16(p + o, 0xC000 | (unsigned)ex);
		o += put32(p + o, 2026112701);
		o += put32(p + o, 3600);
		o += put32(p + o, 900);
		o += put32(p + o, 604800);
		o += put32(p + o, 300);
		put16(p + rdl, (unsigned)(o - rdl - 2));
	}
	if (edns) {
		p[o++] = 0;                        /* root */
		o += put16(p + o, 41);
		o += put16(p + o, 1232);
		o += put32(p + o, 0x8000);         /* DO */
		o += put16(p + o, 0);
	}
	return o;
}

static uint16_t ip_csum(const uint8_t *h)
{
	uint32_t s = 0;
	for (int k = 0; k < 20; k += 2)
		s += (uint32_t)h[k] << 8 | h[k + 1];
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pcapgen FILE PACKETS [NAMES]\n");
		return 2;
	}
	unsigned long n = strtoul(argv[2], NULL, 10);
	unsigned names = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 100000;
	if (!names)
		names = 1;
	FILE *f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	static char iobuf[1 << 20];
	setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
	uint8_t gh[24] = { 0 };
	uint32_t magic = 0xa1b2c3d4, snap = 65535, link = 1; /* Ethernet */
	uint16_t vmaj = 2, vmin = 4;
	memcpy(gh, &magic, 4);
	memcpy(gh + 4, &vmaj, 2);
	memcpy(gh + 6, &vmin, 2);
	memcpy(gh + 16, &snap, 4);
	memcpy(gh + 20, &link, 4);
	fwrite(gh, 1, sizeof gh, f);
	uint8_t pkt[1600];
	for (unsigned long k = 0; k < n; k++) {
		unsigned i = (unsigned)(k / 2);
		int answer = (int)(k & 1);
		unsigned client = i % 4096;
		uint32_t cip = 0x0A010000u | client, sip = 0x0A000035u;
		unsigned cport = 1024 + (i * 7919u) % 60000, id = (i * 40503u) & 0xFFFF;
		uint8_t *eth = pkt, *ip = pkt + 14, *udp = ip + 20, *dns = udp + 8;
		size_t dl = dns_msg(dns, id, i, names, answer);
		memset(eth, 0, 12);
		eth[5] = answer ? 1 : 2;
		eth[11] = answer ? 2 : 1;
		put16(eth + 12, 0x0800);
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (unsigned)(20 + 8 + dl));
		ip[8] = 64;
		ip[9] = 17;
		put32(ip + 12, answer ? sip : cip);
		put32(ip + 16, answer ? cip : sip);
		put16(ip + 10, ip_csum(ip));
		put16(udp, answer ? 53 : cport);
		put16(udp + 2, answer ? cport : 53);
		put16(udp + 4, (unsigned)(8 + dl));
		put16(udp + 6, 0); /* no checksum (allowed over IPv4) */
		uint32_t len = (uint32_t)(14 + 20 + 8 + dl);
		uint32_t rec[4] = { 1795000000u + (uint32_t)(k / 1000000),
		                    (uint32_t)(k % 1000000), len, len };
		fwrite(rec, 1, sizeof rec, f);
		fwrite(pkt, 1, len, f);
	}
	if (fclose(f)) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
