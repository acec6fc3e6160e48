/* Fuzz harness: the capture core (link layers, IPv4/IPv6 and reassembly,
 * UDP, TCP stream reassembly and DNS framing) on a sequence of frames.
 *
 * Input: one byte of settings, then frames, each as
 *   [selector][length: 2 octets, big-endian][length octets]
 * selector: low 4 bits pick the link type, high 4 bits advance the capture
 * clock by that many seconds. A last frame shorter than announced takes what
 * is left. Settings bit 0: tiny limits (to reach eviction and time-out
 * paths); bit 1: 8053 is a DNS port too; bit 2: the clock jumps backwards
 * instead of forwards.
 *
 * An input that starts with a classic pcap file header is read as a pcap
 * file instead (records fed with the file's link type), so the captures of
 * the shared test data serve as seeds as they are. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture/capture.h"
#include "codec/cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int links[16] = {
	CAPTURE_LINK_ETHERNET, CAPTURE_LINK_RAW, CAPTURE_LINK_IPV4,
	CAPTURE_LINK_IPV6, CAPTURE_LINK_SLL, CAPTURE_LINK_SLL2, CAPTURE_LINK_NULL,
	CAPTURE_LINK_LOOP, CAPTURE_LINK_RAW_BSD, CAPTURE_LINK_LINKTYPE_RAW,
	CAPTURE_LINK_ETHERNET, CAPTURE_LINK_ETHERNET, CAPTURE_LINK_RAW,
	CAPTURE_LINK_RAW, 147 /* unsupported */, CAPTURE_LINK_SLL2,
};

struct sink {
	uint64_t sum;
	uint64_t msgs;
};

static void on_msg(const struct capture_msg *m, void *user)
{
	struct sink *s = user;
	/* every octet handed out must be readable */
	for (size_t i = 0; i < m->len; i++)
		s->sum += m->data[i];
	if (m->transport == CAPTURE_TCP && m->len > 65535)
		__builtin_trap();
	if (m->family != 4 && m->family != 6)
		__builtin_trap();
	s->msgs++;
}

static uint32_t rd_u32_order(wire_rd *rd, bool little)
{
	uint32_t v = wire_rd_u32(rd);
	if (little)
		v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
	return v;
}

/* A classic pcap file in memory: 1 when it was one (and was fed). */
static int feed_pcap(capture_t *cap, const uint8_t *data, size_t size)
{
	wire_rd rd = wire_rd_init(data, size);
	uint32_t magic = wire_rd_u32(&rd);
	bool little, nano;
	switch (magic) {
	case 0xa1b2c3d4u: little = false; nano = false; break;
	case 0xd4c3b2a1u: little = true; nano = false; break;
	case 0xa1b23c4du: little = false; nano = true; break;
	case 0x4d3cb2a1u: little = true; nano = true; break;
	default: return 0;
	}
	wire_rd_skip(&rd, 16); /* version, zone, sigfigs, snaplen */
	int linktype = (int)(rd_u32_order(&rd, little) & 0x0fffffff);
	while (!rd.err && wire_rd_left(&rd) >= 16) {
		capture_ts ts;
		ts.sec = rd_u32_order(&rd, little);
		uint32_t frac = rd_u32_order(&rd, little);
		ts.nsec = nano ? frac % 1000000000u : (frac % 1000000u) * 1000u;
		size_t caplen = rd_u32_order(&rd, little);
		size_t wirelen = rd_u32_order(&rd, little);
		if (caplen > wire_rd_left(&rd))
			caplen = wire_rd_left(&rd);
		const uint8_t *frame = wire_rd_view(&rd, caplen);
		capture_frame(cap, ts, linktype, frame, caplen, wirelen);
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (size >= 24) {
		struct sink psink = { 0, 0 };
		capture_t *pcap = capture_new(NULL, on_msg, &psink);
		if (!pcap)
			return 0;
		int was_pcap = feed_pcap(pcap, data, size);
		capture_flush(pcap);
		if (was_pcap && capture_get_stats(pcap)->dns +
		                capture_get_stats(pcap)->dhcp != psink.msgs)
			__builtin_trap();
		capture_free(pcap);
		if (was_pcap)
			return 0;
	}
	wire_rd rd = wire_rd_init(data, size);
	uint8_t settings = wire_rd_u8(&rd);
	struct capture_config cfg;
	capture_config_default(&cfg);
	if (settings & 1) {
		cfg.frag_max_pending = 3;
		cfg.frag_max_bytes = 8192;
		cfg.frag_timeout_ns = 2000000000LL;
		cfg.tcp_max_flows = 3;
		cfg.tcp_max_bytes = 64 * 1024;
		cfg.tcp_flow_timeout_ns = 4000000000LL;
		cfg.tcp_hole_timeout_ns = 1000000000LL;
	}
	if (settings & 2)
		capture_config_add_dns_port(&cfg, 8053);
	struct sink sink = { 0, 0 };
	capture_t *cap = capture_new(&cfg, on_msg, &sink);
	if (!cap)
		return 0;
	capture_ts ts = { 1000000, 0 };
	while (wire_rd_left(&rd) >= 3) {
		uint8_t sel = wire_rd_u8(&rd);
		size_t len = wire_rd_u16(&rd);
		if (len > wire_rd_left(&rd))
			len = wire_rd_left(&rd);
		const uint8_t *frame = wire_rd_view(&rd, len);
		if (settings & 4)
			ts.sec -= sel >> 4;
		else
			ts.sec += sel >> 4;
		ts.nsec = (ts.nsec + 1000) % 1000000000u;
		/* claim a longer frame sometimes: the "truncated by the capture"
		 * paths */
		size_t wirelen = (sel & 0x80) && (sel & 0x08) ? len + 100 : len;
		capture_frame(cap, ts, links[sel & 0x0f], frame, len, wirelen);
	}
	capture_flush(cap);
	const struct capture_stats *st = capture_get_stats(cap);
	if (st->dns + st->dhcp != sink.msgs)
		__builtin_trap();
	capture_free(cap);
	return 0;
}
