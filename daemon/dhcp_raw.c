/* wardd: a DHCP reply to a client that has no address yet (RFC 2131 §4.1:
 * "unicast ... to the client's hardware address and yiaddr"). A normal UDP
 * send would ARP for yiaddr, which nobody answers yet. dnsmasq instead
 * writes a permanent ARP entry (SIOCSARP) then sends normally; ward builds
 * the IPv4 and UDP headers itself (RFC 791, RFC 768 checksums) and sends
 * the datagram through an AF_PACKET/SOCK_DGRAM socket, which adds the
 * Ethernet header for the given link-layer address: no change to the
 * kernel's neighbour table, nothing left behind. The socket needs
 * CAP_NET_RAW, so it is opened before privileges are dropped. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec/error.h"
#include "daemon/dhcp_serve.h"

#define IP_HDR 20
#define UDP_HDR 8

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

size_t dhcp_raw_build(uint8_t *buf, size_t cap, uint32_t src, uint16_t sport,
                      uint32_t dst, uint16_t dport, const uint8_t *payload,
                      size_t len)
{
	size_t total = IP_HDR + UDP_HDR + len;
	if (total > cap || total > 0xffff)
		return 0;
	uint8_t *ip = buf, *udp = buf + IP_HDR;
	memset(buf, 0, IP_HDR + UDP_HDR);
	ip[0] = 0x45;                         /* version 4, IHL 5 */
	put16(ip + 2, (uint16_t)total);
	ip[8] = 64;                           /* TTL */
	ip[9] = 17;                           /* UDP */
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(0, ip, IP_HDR)));
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)(UDP_HDR + len));
	memcpy(udp + UDP_HDR, payload, len);
	/* RFC 768: the checksum covers a pseudo header (addresses, protocol,
	 * UDP length), the header and the data; 0 is sent as 0xffff */
	uint32_t acc = sum16(0, ip + 12, 8);
	acc += 17 + (uint32_t)(UDP_HDR + len);
	acc = sum16(acc, udp, UDP_HDR + len);
	uint16_t c = fold(acc);
	put16(udp + 6, c ? c : 0xffff);
	return total;
}

int dhcp_raw_open(void)
{
	/* protocol 0: the socket receives nothing; each send names ETH_P_IP */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	return fd < 0 ? WARD_EIO : fd;
}

int dhcp_raw_send(int fd, unsigned ifindex, const uint8_t mac[6],
                  const uint8_t *ipdgram, size_t len)
{
	struct sockaddr_ll ll;
	memset(&ll, 0, sizeof ll);
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = (int)ifindex;
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, mac, 6);
	ssize_t r = sendto(fd, ipdgram, len, 0, (struct sockaddr *)&ll, sizeof ll);
	return r == (ssize_t)len ? 0 : WARD_EIO;
}
