/* Fuzz harness: the DHCP engine (dhcp/) configured from dnsmasq text with
 * ranges, reservations, tags, options, authoritative mode, a small lease
 * limit and rapid commit. The input is a sequence of records
 *   <len:2> <flags:1> <dt:1> <packet:len-2>
 * (flags bit 0: unicast, bit 1: interface eth1, bit 2: a tick instead of
 * the packet); each is fed to one engine at a clock moving dt seconds.
 * Invariants (trap on violation): results in the documented set; at most
 * one packet and it comes last; every reply parses, is a BOOTREPLY with
 * the request's xid and fits DHCP_REPLY_MAX; every ACK that gives an
 * address follows the PUT of that lease; the engine's lease table agrees
 * with the PUT/DEL stream; never more leases than dhcp-lease-max; no
 * address leased twice (one table entry per address, checked through the
 * shadow copy). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dhcp.h"
#include "daemon/conf.h"
#include "daemon/dhcp_setup.h"
#include "dhcp/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)
#define LEASE_MAX 6

static const char CONF[] =
	"dhcp-range=set:lan,192.168.1.100,192.168.1.110,2m\n"
	"dhcp-range=10.0.5.10,10.0.5.20,255.255.255.0,1h\n"
	"dhcp-range=tag:guest,192.168.1.200,192.168.1.202\n"
	"dhcp-range=192.168.1.0,static\n"
	"dhcp-host=02:00:00:00:00:05,192.168.1.50,printer\n"
	"dhcp-host=02:00:00:00:00:*,set:lab\n"
	"dhcp-host=id:client7,192.168.1.107\n"
	"dhcp-host=gizmo,192.168.1.60,set:guest\n"
	"dhcp-host=02:00:00:00:00:99,ignore\n"
	"dhcp-host=02:00:00:00:00:61,02:00:00:00:00:62,192.168.1.66,laptop\n"
	"dhcp-option=option:ntp-server,0.0.0.0,192.168.1.9\n"
	"dhcp-option=tag:lab,option:ntp-server,192.168.1.8\n"
	"dhcp-option=tag:lan,option:domain-search,lan,example.com\n"
	"dhcp-option-force=224,\"a long forced option value to fill the reply up a "
	"little more than usual and then some more text\"\n"
	"dhcp-option=vendor:PXEClient,1,0.0.0.0\n"
	"dhcp-option=3\n"
	"dhcp-vendorclass=set:msft,MSFT\n"
	"dhcp-userclass=set:acct,accounting\n"
	"dhcp-match=set:ipxe,175\n"
	"tag-if=set:both,tag:lab,tag:ipxe\n"
	"dhcp-ignore=tag:both,tag:msft\n"
	"dhcp-broadcast=tag:acct\n"
	"domain=lan,192.168.1.100,192.168.1.110\n"
	"domain=example.org\n"
	"dhcp-authoritative\n"
	"dhcp-rapid-commit\n"
	"dhcp-lease-max=6\n";

static ward_conf C;
static dhcp_setup S;
static bool ready;
static dhcp_out out;
static dhcp_msg req, rep;

struct shadow { uint32_t ip; bool used; };
static struct shadow shadow[64];

static void init(void)
{
	if (ready)
		return;
	CHECK(conf_init(&C, NULL) == 0);
	CHECK(conf_load_buffer(&C, "fuzz.conf", CONF, sizeof CONF - 1) == 0);
	CHECK(conf_finish(&C) == 0 && conf_ok(&C));
	CHECK(dhcp_setup_from_conf(&C, &S) == 0);
	ready = true;
}

static int shadow_find(uint32_t ip)
{
	for (int i = 0; i < 64; i++)
		if (shadow[i].used && shadow[i].ip == ip)
			return i;
	return -1;
}

static void check_out(dhcp_engine *e, const dhcp_rx *rx, bool tick)
{
	CHECK(out.n <= DHCP_OUT_MAX);
	for (size_t i = 0; i < out.n; i++) {
		const dhcp_action *a = &out.act[i];
		switch (a->kind) {
		case DHCP_ACT_LEASE: {
			const struct dhcp_lease *l = &a->u.lease.lease;
			int k = shadow_find(l->ip);
			if (a->u.lease.op == DHCP_LEASE_PUT) {
				if (k < 0) {
					for (k = 0; k < 64 && shadow[k].used; k++)
						;
					CHECK(k < 64);
					shadow[k] = (struct shadow){ l->ip, true };
				}
			} else {
				CHECK(a->u.lease.op == DHCP_LEASE_DEL);
				CHECK(k >= 0); /* only leases we were told about go */
				shadow[k].used = false;
			}
			break;
		}
		case DHCP_ACT_NAME:
			CHECK(strlen(a->u.name.host) > 0);
			CHECK(strlen(a->u.name.host) <= DHCP_HOSTNAME_LABEL_MAX);
			break;
		case DHCP_ACT_SEND: {
			CHECK(!tick && i == out.n - 1);
			const dhcp_act_send *s = &a->u.send;
			CHECK(s->len >= DHCP_BOOTP_MIN_LEN && s->len <= DHCP_REPLY_MAX);
			CHECK(s->pkt == out.pkt);
			CHECK(dhcp_parse(&rep, s->pkt, s->len) == 0);
			CHECK(rep.op == DHCP_BOOTREPLY && rep.xid == req.xid);
			CHECK(dhcp_msg_type(&rep) == s->msg_type);
			CHECK(s->src == rx->addrs[0].addr);
			uint32_t lt;
			if (s->msg_type == DHCP_ACK &&
			    dhcp_opt_lease_time(&rep, &lt) == 0) {
				/* an ACK that gives a lease follows its PUT */
				bool put = false;
				for (size_t k = 0; k < i; k++)
					put |= out.act[k].kind == DHCP_ACT_LEASE &&
					       out.act[k].u.lease.op == DHCP_LEASE_PUT &&
					       out.act[k].u.lease.lease.ip == rep.yiaddr;
				CHECK(put);
			}
			if (s->dest == DHCP_DEST_RELAY)
				CHECK(s->port == 67 && s->ip == req.giaddr);
			break;
		}
		default:
			CHECK(0);
		}
	}
	/* the table and the stream agree */
	size_t n = 0;
	for (int k = 0; k < 64; k++)
		if (shadow[k].used) {
			n++;
			CHECK(dhcp_engine_lease_find(e, shadow[k].ip) != NULL);
		}
	CHECK(n == dhcp_engine_lease_count(e));
	CHECK(n <= LEASE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	dhcp_engine *e;
	CHECK(dhcp_engine_new(&S.cfg, &e) == 0);
	memset(shadow, 0, sizeof shadow);
	int64_t now = 1700000000;
	size_t pos = 0;
	for (int rec = 0; rec < 32 && pos + 4 <= size; rec++) {
		size_t len = (size_t)data[pos] << 8 | data[pos + 1];
		uint8_t flags = data[pos + 2];
		now += data[pos + 3];
		pos += 4;
		if (len > size - pos)
			len = size - pos;
		const uint8_t *pkt = data + pos;
		pos += len;
		dhcp_rx rx;
		memset(&rx, 0, sizeof rx);
		rx.pkt = pkt;
		rx.len = len;
		rx.unicast = flags & 1;
		rx.ifname = flags & 2 ? "eth1" : "eth0";
		rx.addrs[0] = (dhcp_ifaddr){ 0xC0A80101u, 0xffffff00u };
		rx.naddrs = 1;
		if (flags & 4) {
			CHECK(dhcp_engine_tick(e, now, &out) == 0);
			check_out(e, &rx, true);
			continue;
		}
		int r = dhcp_engine_input(e, &rx, now, &out);
		CHECK(r == 0 || r == WARD_EDHCPMSG || r == WARD_EDHCP ||
		      r == WARD_ECOOKIE || r == WARD_EDHCPOPT || r == WARD_EOVERLOAD);
		if (r == 0 || r == WARD_EDHCPMSG)
			CHECK(dhcp_parse(&req, pkt, len) == 0);
		if (r != 0)
			for (size_t i = 0; i < out.n; i++)
				CHECK(out.act[i].kind != DHCP_ACT_SEND);
		check_out(e, &rx, false);
		CHECK(out.wakeup == 0 || out.wakeup >= now);
	}
	dhcp_engine_free(e);
	return 0;
}
