/* Unit tests: dhcp/ engine — the RFC 2131 message flow. DISCOVER/OFFER,
 * REQUEST in SELECTING, INIT-REBOOT, RENEWING and REBINDING, NAK when
 * authoritative, DECLINE and quarantine, RELEASE, INFORM, rapid commit,
 * relayed requests with option 82, dhcp-lease-max, expiry on a virtual
 * clock, leases loaded at start, client id over MAC, names, reply
 * addressing (RFC 2131 §4.1), option order, overload and long options.
 * Packets are built with the codec; configurations are dnsmasq text. */
#include "dhcp_engine_util.h"

#define BASE "dhcp-range=192.168.1.100,192.168.1.199,12h\ndomain=lan\n"

static int teardown(void **st)
{
	(void)st;
	eng_teardown();
	return 0;
}

static void t_dora(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 1);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	uint32_t ip = R.yiaddr;
	assert_true(ip >= IP(192, 168, 1, 100) && ip <= IP(192, 168, 1, 199));
	assert_int_equal(reply_ip(DHCP_OPT_SERVER_ID), SERVER);
	assert_int_equal(reply_ip(DHCP_OPT_SUBNET_MASK), 0xffffff00u);
	assert_int_equal(reply_ip(DHCP_OPT_BROADCAST), IP(192, 168, 1, 255));
	uint32_t v;
	assert_int_equal(dhcp_opt_lease_time(&R, &v), 0);
	assert_int_equal(v, 43200);
	assert_int_equal(dhcp_opt_t1(&R, &v), 0);
	assert_int_equal(v, 21600);
	assert_int_equal(dhcp_opt_t2(&R, &v), 0);
	assert_int_equal(v, 37800);
	assert_int_equal(R.xid, 0x1001);
	/* an OFFER changes no lease; it goes to the MAC (no broadcast bit) */
	assert_int_equal(find_act(DHCP_ACT_LEASE, 0), -1);
	const dhcp_act_send *s = sent();
	assert_non_null(s);
	assert_int_equal(s->dest, DHCP_DEST_HWADDR);
	assert_int_equal(s->ip, ip);
	assert_int_equal(s->port, 68);
	assert_int_equal(s->src, SERVER);
	assert_int_equal(s->hlen, 6);
	assert_int_equal(s->chaddr[5], 1);
	assert_true(dhcp_engine_addr_held(E, ip, T0));
	assert_int_equal(dhcp_engine_lease_count(E), 0);

	cli(DHCP_REQUEST, 1);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	assert_int_equal(cli_send(T0 + 1), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(R.yiaddr, ip);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	int snd = find_act(DHCP_ACT_SEND, 0);
	assert_true(put >= 0 && snd > put); /* durable before the ACK */
	const struct dhcp_lease *l = &OUT.act[put].u.lease.lease;
	assert_int_equal(l->ip, ip);
	assert_int_equal(l->expires, T0 + 1 + 43200);
	assert_int_equal(l->hlen, 6);
	assert_int_equal(l->hw[5], 1);
	assert_int_equal(l->cid_len, 0);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	assert_non_null(dhcp_engine_lease_find(E, ip));
	assert_int_equal(OUT.wakeup, T0 + 1 + 43200);
}

static void t_broadcast_flag(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 2);
	dhcp_build_set_flags(&B, DHCP_FLAG_BROADCAST);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(sent()->dest, DHCP_DEST_BROADCAST);
	assert_int_equal(sent()->ip, 0xffffffffu);
	assert_int_equal(R.flags, DHCP_FLAG_BROADCAST);
}

/* The same client gets the same address; a restart (new engine) too: the
 * address comes from a hash of the MAC, not from order of arrival. */
static void t_stable_address(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 7);
	cli_send(T0);
	uint32_t a = R.yiaddr;
	cli(DHCP_DISCOVER, 8);
	cli_send(T0);
	uint32_t b = R.yiaddr;
	assert_int_not_equal(a, b);
	cli(DHCP_DISCOVER, 7);
	cli_send(T0 + 5);
	assert_int_equal(R.yiaddr, a);
	eng_teardown();
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 8); /* other order */
	cli_send(T0);
	assert_int_equal(R.yiaddr, b);
	cli(DHCP_DISCOVER, 7);
	cli_send(T0);
	assert_int_equal(R.yiaddr, a);
}

/* Two clients never share an address: a tiny range fills up. */
static void t_exhaustion(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.10,192.168.1.12\n");
	uint32_t got[3];
	for (uint8_t i = 0; i < 3; i++) {
		got[i] = dora((uint8_t)(20 + i), T0);
		for (uint8_t k = 0; k < i; k++)
			assert_int_not_equal(got[i], got[k]);
	}
	cli(DHCP_DISCOVER, 30);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), 0);
	assert_non_null(OUT.note);
	/* authoritative or not, a SELECTING REQUEST for a taken address: NAK */
	cli(DHCP_REQUEST, 30);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, got[0]);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	assert_int_equal(sent()->dest, DHCP_DEST_BROADCAST);
	assert_int_equal(R.yiaddr, 0);
	assert_non_null(dhcp_opt_get(&R, DHCP_OPT_MESSAGE, &(size_t){ 0 }));
	assert_int_equal(find_act(DHCP_ACT_LEASE, 0), -1);
}

static void t_other_server(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 3);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	assert_true(dhcp_engine_addr_held(E, ip, T0));
	cli(DHCP_REQUEST, 3);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, IP(192, 168, 1, 2));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(OUT.n, 0);
	assert_non_null(OUT.note);
	/* the client went elsewhere: the held offer is let go */
	assert_false(dhcp_engine_addr_held(E, ip, T0));
}

static void t_init_reboot(void **st)
{
	(void)st;
	eng_setup(BASE);
	uint32_t ip = dora(4, T0);
	cli(DHCP_REQUEST, 4);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	assert_int_equal(cli_send(T0 + 100), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(R.yiaddr, ip);
	/* remembers another address: NAK */
	cli(DHCP_REQUEST, 4);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip == IP(192, 168, 1, 150) ?
	       IP(192, 168, 1, 151) : IP(192, 168, 1, 150));
	assert_int_equal(cli_send(T0 + 100), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	/* an unknown client, not authoritative: silence (RFC 2131 §4.3.2) */
	cli(DHCP_REQUEST, 5);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 150));
	assert_int_equal(cli_send(T0 + 100), 0);
	assert_int_equal(OUT.n, 0);
	/* REBINDING (broadcast) a lease we do not have: it may be another
	 * server's, silence; RENEWING it (unicast to us): NAK */
	cli(DHCP_REQUEST, 5);
	dhcp_build_set_ciaddr(&B, IP(192, 168, 1, 150));
	assert_int_equal(cli_send(T0 + 100), 0);
	assert_int_equal(OUT.n, 0);
	cli(DHCP_REQUEST, 5);
	dhcp_build_set_ciaddr(&B, IP(192, 168, 1, 150));
	RX.unicast = true;
	assert_int_equal(cli_send(T0 + 100), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	RX.unicast = false;
}

static void t_authoritative(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.199\ndhcp-authoritative\n");
	/* unknown client, free address in range: a lost lease database is
	 * recovered (dnsmasq) */
	cli(DHCP_REQUEST, 5);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 150));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_true(find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT) >= 0);
	/* an address of another network: NAK */
	cli(DHCP_REQUEST, 6);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(10, 9, 9, 9));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	/* outside the dynamic range on our network: NAK */
	cli(DHCP_REQUEST, 6);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 20));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	/* RENEWING an address another client holds: NAK, broadcast */
	cli(DHCP_REQUEST, 6);
	dhcp_build_set_ciaddr(&B, IP(192, 168, 1, 150));
	RX.unicast = true;
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	assert_int_equal(sent()->dest, DHCP_DEST_BROADCAST);
	/* RENEWING a free address we have no lease for: taken over (dnsmasq
	 * in authoritative mode rebuilds a lost lease database this way) */
	cli(DHCP_REQUEST, 6);
	dhcp_build_set_ciaddr(&B, IP(192, 168, 1, 151));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(sent()->dest, DHCP_DEST_UNICAST);
	RX.unicast = false;
}

static void t_renew_rebind(void **st)
{
	(void)st;
	eng_setup(BASE);
	uint32_t ip = dora(9, T0);
	cli(DHCP_REQUEST, 9);
	dhcp_build_set_ciaddr(&B, ip);
	RX.unicast = true;
	assert_int_equal(cli_send(T0 + 20000), 0);
	RX.unicast = false;
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(R.ciaddr, ip);
	assert_int_equal(sent()->dest, DHCP_DEST_UNICAST);
	assert_int_equal(sent()->ip, ip);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	assert_true(put >= 0);
	assert_int_equal(OUT.act[put].u.lease.lease.expires, T0 + 20000 + 43200);
	/* REBINDING: broadcast, same answer */
	cli(DHCP_REQUEST, 9);
	dhcp_build_set_ciaddr(&B, ip);
	assert_int_equal(cli_send(T0 + 40000), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	/* a client asking for less gets less, but not under 2 minutes */
	cli(DHCP_REQUEST, 9);
	dhcp_build_set_ciaddr(&B, ip);
	dhcp_build_opt_u32(&B, DHCP_OPT_LEASE_TIME, 30);
	assert_int_equal(cli_send(T0 + 40001), 0);
	uint32_t v;
	assert_int_equal(dhcp_opt_lease_time(&R, &v), 0);
	assert_int_equal(v, 120);
}

static void t_decline(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.101\n");
	uint32_t ip = dora(10, T0);
	cli(DHCP_DECLINE, 10);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	assert_int_equal(cli_send(T0 + 1), 0);
	assert_int_equal(sent(), NULL);
	int del = find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL);
	assert_true(del >= 0);
	assert_int_equal(OUT.act[del].u.lease.lease.ip, ip);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
	assert_true(dhcp_engine_addr_held(E, ip, T0 + 1));
	/* the client comes back: the other address */
	cli(DHCP_DISCOVER, 10);
	cli_send(T0 + 2);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_int_not_equal(R.yiaddr, ip);
	uint32_t other = R.yiaddr;
	dora(10, T0 + 2);
	/* a third client: nothing left while the quarantine lasts */
	cli(DHCP_DISCOVER, 11);
	cli_send(T0 + 3);
	assert_int_equal(reply_type(), 0);
	/* after it, the declined address is given again */
	assert_int_equal(dhcp_engine_tick(E, T0 + 1 + DHCP_DECLINE_QUARANTINE, &OUT), 0);
	assert_false(dhcp_engine_addr_held(E, ip, T0 + 1 + DHCP_DECLINE_QUARANTINE));
	cli(DHCP_DISCOVER, 11);
	cli_send(T0 + 1 + DHCP_DECLINE_QUARANTINE);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_int_equal(R.yiaddr, ip);
	assert_int_not_equal(other, ip);
}

static void t_release(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 12);
	cli_opt(DHCP_OPT_HOSTNAME, "laptop", 6);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, 12);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_HOSTNAME, "laptop", 6);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	/* a RELEASE naming another server is not ours */
	cli(DHCP_RELEASE, 12);
	dhcp_build_set_ciaddr(&B, ip);
	cli_ip(DHCP_OPT_SERVER_ID, IP(192, 168, 1, 2));
	cli_send(T0 + 10);
	assert_int_equal(OUT.n, 0);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	cli(DHCP_RELEASE, 12);
	dhcp_build_set_ciaddr(&B, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	assert_int_equal(cli_send(T0 + 10), 0);
	assert_int_equal(sent(), NULL);
	int del = find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL);
	int nm = find_act(DHCP_ACT_NAME, 0);
	assert_true(del >= 0 && nm > del);
	assert_string_equal(OUT.act[nm].u.name.host, "laptop");
	assert_string_equal(OUT.act[nm].u.name.domain, "lan");
	assert_int_equal(OUT.act[nm].u.name.ip, ip);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
}

/* ward ctl leases delete: the same actions as the client's RELEASE (DEL,
 * then the name), and only for an active lease (not an offer) */
static void t_admin_delete(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 12);
	cli_opt(DHCP_OPT_HOSTNAME, "laptop", 6);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, 12);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_HOSTNAME, "laptop", 6);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	cli(DHCP_DISCOVER, 13);
	cli_send(T0);
	uint32_t offered = R.yiaddr;
	assert_true(offered != 0 && offered != ip);
	assert_int_equal(dhcp_engine_lease_delete(E, offered, T0 + 5, &OUT),
	                 WARD_ENOTFOUND);
	assert_int_equal(OUT.n, 0);
	assert_true(dhcp_engine_addr_held(E, offered, T0 + 5));
	assert_int_equal(dhcp_engine_lease_delete(E, IP(192, 168, 1, 250),
	                                          T0 + 5, &OUT), WARD_ENOTFOUND);
	assert_int_equal(dhcp_engine_lease_delete(E, ip, T0 + 10, &OUT), 0);
	int del = find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL);
	int nm = find_act(DHCP_ACT_NAME, 0);
	assert_true(del >= 0 && nm > del);
	assert_int_equal(OUT.act[del].u.lease.lease.ip, ip);
	assert_string_equal(OUT.act[nm].u.name.host, "laptop");
	assert_int_equal(OUT.act[nm].u.name.ip, ip);
	assert_int_equal(find_act(DHCP_ACT_SEND, 0), -1);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
	assert_null(dhcp_engine_lease_find(E, ip));
	assert_int_equal(dhcp_engine_lease_delete(E, ip, T0 + 11, &OUT),
	                 WARD_ENOTFOUND);
	/* the address is free again: a new client may get it */
	assert_false(dhcp_engine_addr_held(E, ip, T0 + 11));
}

static void t_inform(void **st)
{
	(void)st;
	eng_setup(BASE "dhcp-option=option:ntp-server,192.168.1.5\n");
	cli(DHCP_INFORM, 13);
	dhcp_build_set_ciaddr(&B, IP(192, 168, 1, 33));
	uint8_t prl[] = { 1, 42, 15 };
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	RX.unicast = true;
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(R.yiaddr, 0);
	assert_int_equal(R.ciaddr, IP(192, 168, 1, 33));
	assert_false(dhcp_opt_has(&R, DHCP_OPT_LEASE_TIME));
	assert_false(dhcp_opt_has(&R, DHCP_OPT_T1));
	assert_int_equal(reply_ip(DHCP_OPT_NTP_SERVER), IP(192, 168, 1, 5));
	size_t n;
	const uint8_t *d = dhcp_opt_get(&R, DHCP_OPT_DOMAIN_NAME, &n);
	assert_non_null(d);
	assert_memory_equal(d, "lan", 3);
	assert_int_equal(sent()->dest, DHCP_DEST_UNICAST);
	assert_int_equal(sent()->ip, IP(192, 168, 1, 33));
	assert_int_equal(find_act(DHCP_ACT_LEASE, 0), -1);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
}

static void t_rapid_commit(void **st)
{
	(void)st;
	eng_setup(BASE);
	cli(DHCP_DISCOVER, 14);
	cli_opt(DHCP_OPT_RAPID_COMMIT, NULL, 0);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_OFFER); /* not configured */
	eng_teardown();
	eng_setup(BASE "dhcp-rapid-commit\n");
	cli(DHCP_DISCOVER, 14);
	cli_opt(DHCP_OPT_RAPID_COMMIT, NULL, 0);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(dhcp_opt_rapid_commit(&R), 1);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	assert_true(put >= 0 && find_act(DHCP_ACT_SEND, 0) > put);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	/* without option 80 from the client: the usual OFFER */
	cli(DHCP_DISCOVER, 15);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_OFFER);
}

static void t_relay(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.199\n"
	          "dhcp-range=10.0.5.100,10.0.5.200,255.255.255.0,1h\n");
	static const uint8_t rai[] = { 1, 4, 'p', 'o', 'r', 't', 2, 2, 0xab, 0xcd };
	cli(DHCP_DISCOVER, 16);
	dhcp_build_set_giaddr(&B, IP(10, 0, 5, 1));
	dhcp_build_set_hops(&B, 1);
	uint8_t prl[] = { 3, 1 };
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	cli_opt(DHCP_OPT_RELAY_AGENT, rai, sizeof rai);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_true(R.yiaddr >= IP(10, 0, 5, 100) && R.yiaddr <= IP(10, 0, 5, 200));
	assert_int_equal(R.giaddr, IP(10, 0, 5, 1));
	assert_int_equal(sent()->dest, DHCP_DEST_RELAY);
	assert_int_equal(sent()->ip, IP(10, 0, 5, 1));
	assert_int_equal(sent()->port, 67);
	assert_int_equal(reply_ip(DHCP_OPT_ROUTER), IP(10, 0, 5, 1));
	assert_int_equal(reply_ip(DHCP_OPT_SUBNET_MASK), 0xffffff00u);
	size_t n;
	const uint8_t *v = dhcp_opt_get(&R, DHCP_OPT_RELAY_AGENT, &n);
	assert_non_null(v);
	assert_int_equal(n, sizeof rai);
	assert_memory_equal(v, rai, sizeof rai);
	assert_int_equal(R.order[R.nopts - 1], DHCP_OPT_RELAY_AGENT); /* last */
	/* a relayed NAK goes to the relay with the broadcast bit */
	cli(DHCP_REQUEST, 16);
	dhcp_build_set_giaddr(&B, IP(10, 0, 5, 1));
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 150));
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_RELAY_AGENT, rai, sizeof rai);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	assert_int_equal(sent()->dest, DHCP_DEST_RELAY);
	assert_true(R.flags & DHCP_FLAG_BROADCAST);
	assert_true(dhcp_opt_has(&R, DHCP_OPT_RELAY_AGENT));
	/* RFC 3527 link selection in option 82 picks the network, the reply
	 * still goes to the relay */
	static const uint8_t rai5[] = { 5, 4, 192, 168, 1, 0 };
	cli(DHCP_DISCOVER, 18);
	dhcp_build_set_giaddr(&B, IP(10, 0, 5, 1));
	cli_opt(DHCP_OPT_RELAY_AGENT, rai5, sizeof rai5);
	assert_int_equal(cli_send(T0), 0);
	assert_true(R.yiaddr >= IP(192, 168, 1, 100) && R.yiaddr <= IP(192, 168, 1, 199));
	assert_int_equal(sent()->dest, DHCP_DEST_RELAY);
	/* from a network we do not serve: no answer */
	cli(DHCP_DISCOVER, 17);
	dhcp_build_set_giaddr(&B, IP(172, 16, 0, 1));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(OUT.n, 0);
}

static void t_lease_max(void **st)
{
	(void)st;
	eng_setup(BASE "dhcp-lease-max=2\ndhcp-authoritative\n");
	uint32_t a = dora(18, T0);
	dora(19, T0);
	cli(DHCP_DISCOVER, 20);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), 0);
	cli(DHCP_REQUEST, 20);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 160));
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_NAK);
	assert_int_equal(dhcp_engine_lease_count(E), 2);
	/* a client with a lease still renews */
	cli(DHCP_REQUEST, 18);
	dhcp_build_set_ciaddr(&B, a);
	RX.unicast = true;
	assert_int_equal(cli_send(T0 + 60), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
}

static void t_expiry(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.199,2m\ndomain=lan\n");
	cli(DHCP_DISCOVER, 21);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, 21);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_HOSTNAME, "phone", 5);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(OUT.wakeup, T0 + 120);
	assert_int_equal(dhcp_engine_tick(E, T0 + 119, &OUT), 0);
	assert_int_equal(OUT.n, 0);
	assert_int_equal(OUT.wakeup, T0 + 120);
	assert_int_equal(dhcp_engine_tick(E, T0 + 120, &OUT), 0);
	int del = find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL);
	assert_true(del >= 0);
	assert_int_equal(OUT.act[del].u.lease.lease.ip, ip);
	int nm = find_act(DHCP_ACT_NAME, 0);
	assert_true(nm > del);
	assert_string_equal(OUT.act[nm].u.name.host, "phone");
	assert_int_equal(dhcp_engine_lease_count(E), 0);
	assert_int_equal(OUT.wakeup, 0);
	/* a renewal moves the expiry: nothing expires at the old time */
	dora(22, T0 + 200);
	cli(DHCP_REQUEST, 22);
	dhcp_build_set_ciaddr(&B, R.yiaddr);
	RX.unicast = true;
	cli_send(T0 + 300);
	assert_int_equal(dhcp_engine_tick(E, T0 + 320, &OUT), 0);
	assert_int_equal(OUT.n, 0);
	assert_int_equal(OUT.wakeup, T0 + 420);
	/* an expired lease is also dropped while handling a packet */
	cli(DHCP_DISCOVER, 23);
	assert_int_equal(cli_send(T0 + 500), 0);
	assert_true(find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL) >= 0);
	assert_true(find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL) <
	            find_act(DHCP_ACT_SEND, 0));
}

/* Many leases due at once: each tick returns what fits in dhcp_out and
 * asks to be called again at once (wakeup == now) until all are gone. */
static void t_expiry_batches(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.10,192.168.1.250,2m\n");
	for (uint8_t i = 1; i <= 100; i++) {
		cli(DHCP_REQUEST, i);
		cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 10 + i));
		cli_ip(DHCP_OPT_SERVER_ID, SERVER);
		cli_opt(DHCP_OPT_HOSTNAME, "h", 1);
		assert_int_equal(cli_send(T0), 0);
		assert_int_equal(reply_type(), DHCP_ACK);
	}
	assert_int_equal(dhcp_engine_lease_count(E), 100);
	size_t dels = 0, ticks = 0;
	int64_t now = T0 + 120;
	do {
		assert_int_equal(dhcp_engine_tick(E, now, &OUT), 0);
		assert_true(OUT.n <= DHCP_OUT_MAX);
		for (size_t i = 0; i < OUT.n; i++)
			dels += OUT.act[i].kind == DHCP_ACT_LEASE &&
			        OUT.act[i].u.lease.op == DHCP_LEASE_DEL;
		ticks++;
	} while (OUT.wakeup == now && ticks < 100);
	assert_int_equal(dels, 100);
	assert_true(ticks > 1);
	assert_int_equal(OUT.wakeup, 0);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
}

static void name_cb(void *ctx, const dhcp_act_name *n)
{
	dhcp_act_name *got = ctx;
	assert_int_equal(got->ip, 0); /* once */
	*got = *n;
}

static void t_lease_load(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.101\ndomain=lan\n");
	struct dhcp_lease l;
	memset(&l, 0, sizeof l);
	l.ip = IP(192, 168, 1, 101);
	l.expires = T0 + 1000;
	l.htype = 1;
	l.hlen = 6;
	l.hw[0] = 2;
	l.hw[5] = 40;
	strcpy(l.hostname, "nas");
	assert_int_equal(dhcp_engine_lease_load(E, &l, T0), 0);
	struct dhcp_lease old = l;
	old.ip = IP(192, 168, 1, 100);
	old.expires = T0 - 1;
	old.hw[5] = 41;
	assert_int_equal(dhcp_engine_lease_load(E, &old, T0), 0); /* expired */
	old.ip = 0;
	assert_int_equal(dhcp_engine_lease_load(E, &old, T0), WARD_EINVAL);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	/* its owner gets it back; nobody else does */
	cli(DHCP_DISCOVER, 40);
	cli_send(T0);
	assert_int_equal(R.yiaddr, IP(192, 168, 1, 101));
	cli(DHCP_DISCOVER, 42);
	cli_send(T0);
	assert_int_equal(R.yiaddr, IP(192, 168, 1, 100));
	cli(DHCP_DISCOVER, 43);
	cli_send(T0);
	assert_int_equal(reply_type(), 0);
	/* the names for the resolver at start */
	dhcp_act_name got;
	memset(&got, 0, sizeof got);
	dhcp_engine_names(E, name_cb, &got);
	assert_true(got.add);
	assert_int_equal(got.ip, IP(192, 168, 1, 101));
	assert_string_equal(got.host, "nas");
	assert_string_equal(got.domain, "lan");
}

static void t_client_id(void **st)
{
	(void)st;
	eng_setup(BASE);
	static const uint8_t cid[] = { 0, 'h', 'o', 's', 't', '-', '1' };
	cli(DHCP_DISCOVER, 24);
	cli_opt(DHCP_OPT_CLIENT_ID, cid, sizeof cid);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, 24);
	cli_opt(DHCP_OPT_CLIENT_ID, cid, sizeof cid);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	assert_int_equal(OUT.act[put].u.lease.lease.cid_len, sizeof cid);
	assert_memory_equal(OUT.act[put].u.lease.lease.cid, cid, sizeof cid);
	/* same client id from another MAC: the same lease */
	cli(DHCP_REQUEST, 25);
	cli_opt(DHCP_OPT_CLIENT_ID, cid, sizeof cid);
	dhcp_build_set_ciaddr(&B, ip);
	RX.unicast = true;
	cli_send(T0 + 10);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	assert_int_equal(dhcp_engine_lease_find(E, ip)->hw[5], 25);
	/* the old MAC without the client id is another client */
	cli(DHCP_DISCOVER, 24);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	RX.unicast = false;
	cli_send(T0 + 10);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_int_not_equal(R.yiaddr, ip);
}

static void t_names(void **st)
{
	(void)st;
	eng_setup(BASE);
	uint8_t prl[] = { 12, 15, 81 };
	/* option 81 (ASCII, client wants to do its own update: S=0) */
	static const uint8_t fq[] = { 0, 0, 0, 'p', 'c', '.', 'e', 'x', 'a', 'm',
	                              'p', 'l', 'e' };
	cli(DHCP_DISCOVER, 26);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, 26);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	cli_opt(DHCP_OPT_CLIENT_FQDN, fq, sizeof fq);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	assert_string_equal(OUT.act[put].u.lease.lease.hostname, "pc");
	int nm = find_act(DHCP_ACT_NAME, 1);
	assert_true(nm > put);
	assert_string_equal(OUT.act[nm].u.name.host, "pc");
	assert_string_equal(OUT.act[nm].u.name.domain, "lan");
	size_t n;
	const uint8_t *v = dhcp_opt_get(&R, DHCP_OPT_CLIENT_FQDN, &n);
	assert_non_null(v);
	assert_int_equal(v[0], DHCP_FQDN_S | DHCP_FQDN_O); /* we do the update */
	assert_int_equal(n, 3 + 6);
	assert_memory_equal(v + 3, "pc.lan", 6);
	v = dhcp_opt_get(&R, DHCP_OPT_HOSTNAME, &n);
	assert_non_null(v);
	assert_memory_equal(v, "pc", 2);
	/* another client with that name takes it (dnsmasq): the first lease
	 * loses its name, on disk and in DNS, before the new name goes in */
	cli(DHCP_DISCOVER, 27);
	cli_send(T0);
	uint32_t ip2 = R.yiaddr;
	cli(DHCP_REQUEST, 27);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip2);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_HOSTNAME, "PC", 2);
	cli_send(T0);
	int del_name = find_act(DHCP_ACT_NAME, 0);
	int add_name = find_act(DHCP_ACT_NAME, 1);
	assert_true(del_name >= 0 && add_name > del_name);
	assert_int_equal(OUT.act[del_name].u.name.ip, ip);
	assert_int_equal(OUT.act[add_name].u.name.ip, ip2);
	assert_string_equal(dhcp_engine_lease_find(E, ip)->hostname, "");
	assert_string_equal(dhcp_engine_lease_find(E, ip2)->hostname, "PC");
	/* an illegal name is not used */
	cli(DHCP_REQUEST, 27);
	dhcp_build_set_ciaddr(&B, ip2);
	cli_opt(DHCP_OPT_HOSTNAME, "bad name!", 9);
	RX.unicast = true;
	cli_send(T0 + 5);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_string_equal(dhcp_engine_lease_find(E, ip2)->hostname, "");
	assert_true(find_act(DHCP_ACT_NAME, 0) >= 0);
}

/* Option 81 in DNS wire form (E): the reply answers in wire form, with
 * S kept (the client asked us to update) and the name under domain=. */
static void t_fqdn_wire(void **st)
{
	(void)st;
	eng_setup(BASE);
	static const uint8_t fq[] = { DHCP_FQDN_S | DHCP_FQDN_E, 0, 0,
	                              4, 'b', 'o', 'x', '1', 0 };
	cli(DHCP_DISCOVER, 31);
	cli_opt(DHCP_OPT_CLIENT_FQDN, fq, sizeof fq);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	size_t n;
	const uint8_t *v = dhcp_opt_get(&R, DHCP_OPT_CLIENT_FQDN, &n);
	static const uint8_t want[] = { DHCP_FQDN_S | DHCP_FQDN_E, 255, 255,
	                                4, 'b', 'o', 'x', '1', 3, 'l', 'a', 'n', 0 };
	assert_non_null(v);
	assert_int_equal(n, sizeof want);
	assert_memory_equal(v, want, sizeof want);
	dhcp_fqdn f;
	assert_int_equal(dhcp_opt_fqdn(&R, &f), 0);
	assert_string_equal(f.text, "box1.lan");
}

/* Options in the order of the client's list, after the server's own. */
static void t_prl_order(void **st)
{
	(void)st;
	eng_setup(BASE "dhcp-option=option:ntp-server,192.168.1.5\n");
	uint8_t prl[] = { 42, 6, 15, 3, 1, 28 };
	cli(DHCP_DISCOVER, 28);
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	static const uint8_t want[] = { 53, 54, 51, 58, 59, 42, 6, 15, 3, 1, 28 };
	assert_int_equal(R.nopts, sizeof want);
	assert_memory_equal(R.order, want, sizeof want);
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), SERVER);
	assert_int_equal(reply_ip(DHCP_OPT_ROUTER), SERVER);
	/* not requested: not sent (netmask and broadcast always are) */
	uint8_t prl2[] = { 1 };
	cli(DHCP_DISCOVER, 28);
	cli_opt(DHCP_OPT_PARAM_REQ, prl2, sizeof prl2);
	cli_send(T0);
	assert_false(dhcp_opt_has(&R, DHCP_OPT_NTP_SERVER));
	assert_false(dhcp_opt_has(&R, DHCP_OPT_ROUTER));
	assert_true(dhcp_opt_has(&R, DHCP_OPT_BROADCAST));
}

/* Options in a small reply: option 52 overload into file/sname within
 * the client's option 57; a long option split (RFC 3396) when the client
 * takes large replies; and a reply that cannot hold every option still
 * goes out with the ones that matter. */
static void t_overload_long(void **st)
{
	(void)st;
	char text[1200], a[301], b[201];
	memset(a, 'a', 200);
	a[200] = '\0';
	memset(b, 'b', 150);
	b[150] = '\0';
	snprintf(text, sizeof text, "%sdhcp-option-force=224,\"%s\"\n"
	         "dhcp-option-force=225,\"%s\"\n", BASE, a, b);
	eng_setup(text);
	cli(DHCP_DISCOVER, 29);
	dhcp_build_opt_u16(&B, DHCP_OPT_MAX_SIZE, 576);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_true(sent()->len <= 576 - 28);
	assert_true(R.overload != 0);
	size_t n;
	const uint8_t *v = dhcp_opt_get(&R, 224, &n);
	assert_non_null(v);
	assert_int_equal(n, 200);
	assert_memory_equal(v, a, 200);
	v = dhcp_opt_get(&R, 225, &n);
	assert_non_null(v);
	assert_int_equal(n, 150);
	assert_memory_equal(v, b, 150);
	eng_teardown();

	memset(a, 'a', 300);
	a[300] = '\0';
	memset(b, 'b', 200);
	b[200] = '\0';
	snprintf(text, sizeof text, "%sdhcp-option-force=224,\"%s\"\n"
	         "dhcp-option-force=225,\"%s\"\n", BASE, a, b);
	eng_setup(text);
	cli(DHCP_DISCOVER, 29);
	dhcp_build_opt_u16(&B, DHCP_OPT_MAX_SIZE, 1500);
	cli_send(T0);
	assert_int_equal(R.overload, 0);
	assert_true(sent()->len > 576 - 28);
	v = dhcp_opt_get(&R, 224, &n);
	assert_non_null(v);
	assert_int_equal(n, 300);
	assert_int_equal(R.opt[224].count, 2); /* two instances: 255 + 45 */
	assert_memory_equal(v, a, 300);
	/* too much for 576: the forced extras go, the lease facts stay */
	uint8_t prl[] = { 1, 3 };
	cli(DHCP_DISCOVER, 29);
	dhcp_build_opt_u16(&B, DHCP_OPT_MAX_SIZE, 576);
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	assert_true(sent()->len <= 576 - 28);
	assert_false(dhcp_opt_has(&R, 224));
	assert_true(dhcp_opt_has(&R, DHCP_OPT_ROUTER));
	assert_true(dhcp_opt_has(&R, DHCP_OPT_LEASE_TIME));
}

static void t_not_requests(void **st)
{
	(void)st;
	eng_setup(BASE);
	assert_int_equal(dhcp_build_init(&B, PKT, sizeof PKT, DHCP_BOOTREPLY), 0);
	dhcp_build_opt_u8(&B, DHCP_OPT_MSG_TYPE, DHCP_OFFER);
	assert_int_equal(cli_send(T0), WARD_EDHCPMSG);
	assert_int_equal(OUT.n, 0);
	uint8_t junk[20] = { 1, 2, 3 };
	RX.pkt = junk;
	RX.len = sizeof junk;
	assert_int_equal(dhcp_engine_input(E, &RX, T0, &OUT), WARD_EDHCP);
	/* a server message type from a client: ignored */
	cli(DHCP_ACK, 1);
	assert_int_equal(cli_send(T0), 0);
	assert_int_equal(OUT.n, 0);
	/* a BOOTP request (no option 53) */
	assert_int_equal(dhcp_build_init(&B, PKT, sizeof PKT, DHCP_BOOTREQUEST), 0);
	assert_int_equal(cli_send(T0), WARD_EDHCPMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_dora, teardown),
		cmocka_unit_test_teardown(t_broadcast_flag, teardown),
		cmocka_unit_test_teardown(t_stable_address, teardown),
		cmocka_unit_test_teardown(t_exhaustion, teardown),
		cmocka_unit_test_teardown(t_other_server, teardown),
		cmocka_unit_test_teardown(t_init_reboot, teardown),
		cmocka_unit_test_teardown(t_authoritative, teardown),
		cmocka_unit_test_teardown(t_renew_rebind, teardown),
		cmocka_unit_test_teardown(t_decline, teardown),
		cmocka_unit_test_teardown(t_release, teardown),
		cmocka_unit_test_teardown(t_inform, teardown),
		cmocka_unit_test_teardown(t_rapid_commit, teardown),
		cmocka_unit_test_teardown(t_relay, teardown),
		cmocka_unit_test_teardown(t_lease_max, teardown),
		cmocka_unit_test_teardown(t_expiry, teardown),
		cmocka_unit_test_teardown(t_expiry_batches, teardown),
		cmocka_unit_test_teardown(t_lease_load, teardown),
		cmocka_unit_test_teardown(t_admin_delete, teardown),
		cmocka_unit_test_teardown(t_client_id, teardown),
		cmocka_unit_test_teardown(t_names, teardown),
		cmocka_unit_test_teardown(t_fqdn_wire, teardown),
		cmocka_unit_test_teardown(t_prl_order, teardown),
		cmocka_unit_test_teardown(t_overload_long, teardown),
		cmocka_unit_test_teardown(t_not_requests, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
