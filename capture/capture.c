/* ward: the capture context — configuration, counters, the frame entry point
 * and the hand-off of messages to the caller. */
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"
#include "error.h"

#define DNS_PORT 53
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

void capture_config_default(struct capture_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->frag_max_pending = CAPTURE_FRAG_MAX_PENDING;
	cfg->frag_max_bytes = CAPTURE_FRAG_MAX_BYTES;
	cfg->frag_timeout_ns = CAPTURE_FRAG_TIMEOUT_SEC * CAPTURE_NS_PER_SEC;
	cfg->tcp_max_flows = CAPTURE_TCP_MAX_FLOWS;
	cfg->tcp_max_bytes = CAPTURE_TCP_MAX_BYTES;
	cfg->tcp_flow_timeout_ns = CAPTURE_TCP_FLOW_TIMEOUT_SEC * CAPTURE_NS_PER_SEC;
	cfg->tcp_hole_timeout_ns = CAPTURE_TCP_HOLE_TIMEOUT_SEC * CAPTURE_NS_PER_SEC;
}

int capture_config_add_dns_port(struct capture_config *cfg, uint16_t port)
{
	for (unsigned i = 0; i < cfg->n_dns_ports; i++)
		if (cfg->dns_ports[i] == port)
			return 0;
	if (cfg->n_dns_ports >= sizeof cfg->dns_ports / sizeof cfg->dns_ports[0])
		return WARD_ELIMIT;
	cfg->dns_ports[cfg->n_dns_ports++] = port;
	return 0;
}

capture_t *capture_new(const struct capture_config *cfg, capture_msg_fn cb,
                       void *user)
{
	struct capture *cap = calloc(1, sizeof *cap);
	if (!cap)
		return NULL;
	if (cfg)
		cap->cfg = *cfg;
	else
		capture_config_default(&cap->cfg);
	if (cap->cfg.n_dns_ports > sizeof cap->cfg.dns_ports / sizeof cap->cfg.dns_ports[0])
		cap->cfg.n_dns_ports = sizeof cap->cfg.dns_ports / sizeof cap->cfg.dns_ports[0];
	if (cap->cfg.frag_max_pending == 0)
		cap->cfg.frag_max_pending = 1;
	if (cap->cfg.tcp_max_flows == 0)
		cap->cfg.tcp_max_flows = 1;
	cap->cb = cb;
	cap->user = user;
	if (tcp_table_init(&cap->tcp) != 0) {
		free(cap);
		return NULL;
	}
	return cap;
}

void capture_free(capture_t *cap)
{
	if (!cap)
		return;
	frag_clear(cap);
	tcp_table_free(&cap->tcp);
	free(cap);
}

const struct capture_stats *capture_get_stats(const capture_t *cap)
{
	return &cap->st;
}

static bool is_dns_port(const struct capture *cap, uint16_t port)
{
	if (port == DNS_PORT)
		return true;
	for (unsigned i = 0; i < cap->cfg.n_dns_ports; i++)
		if (cap->cfg.dns_ports[i] == port)
			return true;
	return false;
}

int cap_port_kind(const struct capture *cap, uint16_t sport, uint16_t dport,
                  enum capture_transport t)
{
	if (is_dns_port(cap, sport) || is_dns_port(cap, dport))
		return CAPTURE_DNS;
	if (t == CAPTURE_UDP &&
	    (sport == DHCP_SERVER_PORT || sport == DHCP_CLIENT_PORT ||
	     dport == DHCP_SERVER_PORT || dport == DHCP_CLIENT_PORT))
		return CAPTURE_DHCP;
	return 0;
}

void cap_emit(struct capture *cap, const struct cap_pkt *pkt, uint16_t sport,
              uint16_t dport, enum capture_transport t, enum capture_kind k,
              const uint8_t *data, size_t len, bool truncated)
{
	struct capture_msg m;
	memset(&m, 0, sizeof m);
	m.ts = cap->now;
	m.frame = cap->frame_no;
	m.family = pkt->family;
	memcpy(m.src, pkt->src, sizeof m.src);
	memcpy(m.dst, pkt->dst, sizeof m.dst);
	m.sport = sport;
	m.dport = dport;
	m.transport = t;
	m.kind = k;
	m.data = data;
	m.len = len;
	m.truncated = truncated;
	if (k == CAPTURE_DNS)
		cap->st.dns++;
	else
		cap->st.dhcp++;
	if (cap->cb)
		cap->cb(&m, cap->user);
}

int capture_frame(capture_t *cap, capture_ts ts, int linktype,
                  const uint8_t *frame, size_t caplen, size_t wirelen)
{
	cap->st.frames++;
	cap->st.bytes += caplen;
	cap->frame_no++;
	cap->now = ts;
	frag_expire(cap);
	tcp_expire(cap);
	static const uint8_t empty[1];
	if (!frame) {
		frame = empty;
		caplen = 0;
	}
	bool truncated = wirelen > caplen;
	if (truncated)
		cap->st.truncated++;
	return cap_link_input(cap, linktype, frame, caplen, truncated);
}

void capture_flush(capture_t *cap)
{
	tcp_flush_all(cap);
	frag_clear(cap);
}
