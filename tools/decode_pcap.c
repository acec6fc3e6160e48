/* ward decode --pcap FILE: every DNS and DHCP message in a capture, printed
 * like dig (DNS) or one line per DHCP message, or with --json one object per
 * line (RFC 8427 keys, plus the RFC 8427 §2.5 capture keys dateString,
 * dateSeconds, srcAddress, srcPort, dstAddress, dstPort, protocol).
 *
 * Which packets are DNS or DHCP is the capture layer's rule (capture.h): DNS
 * on port 53 over UDP and TCP, DHCPv4 on 67/68. A malformed message prints as
 * far as it could be read with the reason, and decoding goes on.
 *
 * At the end one machine-readable line goes to stderr:
 *   decode: N dns messages, M dhcp messages, K malformed, F frames, ...
 * Exit status: 0 all fine, 1 some message was malformed or the file was cut
 * short, 2 the file could not be read at all (not a capture, or a link-layer
 * type ward does not decode). Packets dropped below the messages (bad
 * headers, lost TCP bytes, fragments never completed) are counted on the
 * summary line but do not change the status. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "capture/capture.h"
#include "cmds.h"
#include "codec/dhcp.h"
#include "codec/msg.h"

#define OUT_START (64u * 1024u)
#define OUT_MAX ((size_t)256 << 20)
#define HEX_SUMMARY_MAX 64   /* bytes of a malformed DHCP message shown */

struct pcap_decode {
	const struct decode_opts *o;
	char *out;                 /* rendering buffer, grown on demand */
	size_t out_cap;
	dhcp_msg *dhcp;            /* large: one, on the heap */
	uint64_t dns_bad, dhcp_bad;
	uint64_t shown;
	bool failed;               /* out of memory while printing */
};

/* "2016-09-27T14:47:05.123456Z" (nanoseconds when the capture has them). */
static void put_time(strbuf *sb, capture_ts ts)
{
	time_t t = (time_t)ts.sec;
	struct tm tm;
	uint32_t ns = ts.nsec % 1000000000u;
	if ((int64_t)t == ts.sec && gmtime_r(&t, &tm)) {
		strbuf_printf(sb, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		              tm.tm_sec);
	} else {
		strbuf_printf(sb, "@%" PRId64, ts.sec);
	}
	if (ns % 1000)
		strbuf_printf(sb, ".%09" PRIu32 "Z", ns);
	else
		strbuf_printf(sb, ".%06" PRIu32 "Z", ns / 1000);
}

static void put_addr(strbuf *sb, int family, const uint8_t *a)
{
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, text, sizeof text))
		strbuf_puts(sb, "?");
	else
		strbuf_puts(sb, text);
}

static const char *transport_name(enum capture_transport t, bool upper)
{
	if (t == CAPTURE_TCP)
		return upper ? "TCP" : "tcp";
	return upper ? "UDP" : "udp";
}

/* ";; <time> <src>#<port> -> <dst>#<port> udp|tcp <len> bytes" */
static void put_line(strbuf *sb, const struct capture_msg *m)
{
	strbuf_puts(sb, ";; ");
	put_time(sb, m->ts);
	strbuf_putc(sb, ' ');
	put_addr(sb, m->family, m->src);
	strbuf_printf(sb, "#%u -> ", m->sport);
	put_addr(sb, m->family, m->dst);
	strbuf_printf(sb, "#%u %s %zu bytes", m->dport,
	              transport_name(m->transport, false), m->len);
	if (m->kind == CAPTURE_DHCP)
		strbuf_puts(sb, " dhcp");
	if (m->truncated)
		strbuf_puts(sb, " (truncated by the capture)");
	strbuf_putc(sb, '\n');
}

/* The RFC 8427 §2.5 keys, each followed by a comma. */
static void put_json_meta(strbuf *sb, const struct capture_msg *m)
{
	strbuf_puts(sb, "\"dateString\":\"");
	put_time(sb, m->ts);
	strbuf_printf(sb, "\",\"dateSeconds\":%" PRId64 ".%06" PRIu32 ",",
	              m->ts.sec, (m->ts.nsec % 1000000000u) / 1000);
	strbuf_puts(sb, "\"srcAddress\":\"");
	put_addr(sb, m->family, m->src);
	strbuf_printf(sb, "\",\"srcPort\":%u,\"dstAddress\":\"", m->sport);
	put_addr(sb, m->family, m->dst);
	strbuf_printf(sb, "\",\"dstPort\":%u,\"protocol\":\"%s\",", m->dport,
	              transport_name(m->transport, true));
	strbuf_printf(sb, "\"kind\":\"%s\",\"messageLength\":%zu,",
	              m->kind == CAPTURE_DHCP ? "dhcp" : "dns", m->len);
	if (m->truncated)
		strbuf_puts(sb, "\"truncated\":true,");
}

/* A DHCP message that did not parse: the reason and its first octets. */
static void put_bad_dhcp(strbuf *sb, const struct capture_msg *m, int perr,
                         bool json)
{
	if (json) {
		strbuf_printf(sb, "{\"malformed\":{\"error\":\"%s\"},"
		              "\"messageOctetsHEX\":\"", ward_strerror(perr));
		strbuf_hex(sb, m->data, m->len);
		strbuf_puts(sb, "\"}");
		return;
	}
	size_t n = m->len < HEX_SUMMARY_MAX ? m->len : HEX_SUMMARY_MAX;
	strbuf_printf(sb, ";; MALFORMED DHCP: %s; first %zu of %zu octets: ",
	              ward_strerror(perr), n, m->len);
	strbuf_hex(sb, m->data, n);
	strbuf_putc(sb, '\n');
}

/* Render one message (text or JSON) into sb; dm is the parsed DNS message
 * (kind DNS), st->dhcp the parsed DHCP one; perr the parse result. Returns
 * WARD_ESPACE when sb is too small. */
static int render(struct pcap_decode *st, const struct capture_msg *m,
                  const dns_msg *dm, int perr, strbuf *sb)
{
	const struct decode_opts *o = st->o;
	if (o->json) {
		strbuf_putc(sb, '{');
		put_json_meta(sb, m);
		size_t body = sb->len;
		if (m->kind == CAPTURE_DNS)
			dns_msg_print_json(dm, sb);
		else if (perr == 0)
			dhcp_msg_to_json(st->dhcp, sb);
		else
			put_bad_dhcp(sb, m, perr, true);
		if (sb->err)
			return sb->err;
		/* splice: drop the message object's own '{' (and our trailing
		 * comma when that object is empty) */
		if (sb->buf[body] == '{') {
			bool empty = sb->buf[body + 1] == '}';
			size_t from = body + 1, to = empty ? body - 1 : body;
			memmove(sb->buf + to, sb->buf + from, sb->len - from + 1);
			sb->len -= from - to;
		}
		strbuf_putc(sb, '\n');
		return sb->err;
	}
	if (o->quiet) {
		if (!perr)
			return 0;
		put_line(sb, m);
		strbuf_printf(sb, ";; MALFORMED: %s\n", ward_strerror(perr));
		return sb->err;
	}
	if (st->shown)
		strbuf_putc(sb, '\n');
	put_line(sb, m);
	if (m->kind == CAPTURE_DNS) {
		dns_msg_print(dm, sb);
	} else if (perr == 0) {
		dhcp_msg_to_text(st->dhcp, sb);
		strbuf_putc(sb, '\n');
	} else {
		put_bad_dhcp(sb, m, perr, false);
	}
	return sb->err;
}

static void on_msg(const struct capture_msg *m, void *user)
{
	struct pcap_decode *st = user;
	dns_msg dm;
	int perr;
	memset(&dm, 0, sizeof dm);
	if (m->kind == CAPTURE_DNS) {
		perr = dns_msg_parse(&dm, m->data, m->len);
		if (perr < 0)
			st->dns_bad++;
	} else {
		perr = dhcp_parse(st->dhcp, m->data, m->len);
		if (perr < 0)
			st->dhcp_bad++;
	}
	if (perr > 0)
		perr = 0;
	if (st->failed)
		return;
	for (;;) {
		if (!st->out) {
			st->out = malloc(st->out_cap);
			if (!st->out) {
				st->failed = true;
				return;
			}
		}
		strbuf sb = strbuf_init(st->out, st->out_cap);
		int r = render(st, m, &dm, perr, &sb);
		if (r == 0 || st->out_cap >= OUT_MAX) {
			fwrite(sb.buf, 1, sb.len, stdout);
			if (r != 0)
				fputs("\n;; (output cut: message too large to print)\n",
				      stdout);
			if (sb.len)
				st->shown++;
			return;
		}
		free(st->out);
		st->out = NULL;
		st->out_cap *= 2;
	}
}

int decode_pcap_main(const char *path, const struct decode_opts *o)
{
	struct pcap_decode st;
	memset(&st, 0, sizeof st);
	st.o = o;
	st.out_cap = OUT_START;
	st.dhcp = malloc(sizeof *st.dhcp);
	struct capture_config cfg;
	capture_config_default(&cfg);
	for (unsigned i = 0; i < o->n_dns_ports; i++)
		if (capture_config_add_dns_port(&cfg, o->dns_ports[i]) != 0) {
			free(st.dhcp);
			fprintf(stderr, "ward decode: too many DNS ports\n");
			return 2;
		}
	capture_t *cap = st.dhcp ? capture_new(&cfg, on_msg, &st) : NULL;
	if (!cap) {
		free(st.dhcp);
		fprintf(stderr, "ward decode: out of memory\n");
		return 2;
	}
	char err[512];
	int r = capture_file_read(cap, path, err, sizeof err);
	fflush(stdout);
	if (r == WARD_EPCAP || r == WARD_ELINKTYPE) {
		fprintf(stderr, "ward decode: %s\n", err);
		capture_free(cap);
		free(st.dhcp);
		free(st.out);
		return 2;
	}
	if (r < 0)
		fprintf(stderr, "ward decode: warning: reading stopped early: %s\n",
		        err);
	if (st.failed)
		fprintf(stderr, "ward decode: out of memory while printing\n");

	const struct capture_stats *s = capture_get_stats(cap);
	uint64_t bad = st.dns_bad + st.dhcp_bad;
	fprintf(stderr,
	        "decode: %" PRIu64 " dns messages, %" PRIu64 " dhcp messages, "
	        "%" PRIu64 " malformed, %" PRIu64 " frames, %" PRIu64 " non-ip, "
	        "%" PRIu64 " bad link, %" PRIu64 " bad packets, %" PRIu64
	        " truncated, %" PRIu64 " fragments, %" PRIu64 " reassembled, %"
	        PRIu64 " fragments dropped, %" PRIu64 " tcp flows, %" PRIu64
	        " tcp gaps, %" PRIu64 " tcp bytes lost, %" PRIu64
	        " tcp messages incomplete\n",
	        s->dns, s->dhcp, bad, s->frames, s->non_ip, s->bad_link,
	        s->malformed, s->truncated, s->fragments, s->reassembled,
	        s->frag_dropped, s->tcp_flows, s->tcp_gaps, s->tcp_lost_bytes,
	        s->tcp_incomplete);
	capture_free(cap);
	free(st.dhcp);
	free(st.out);
	if (st.failed)
		return 2;
	return bad || r < 0 ? 1 : 0;
}
