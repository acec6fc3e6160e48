/* Unit tests: dhcp/ engine driven by dnsmasq configuration text (through
 * conf_load_buffer and daemon/conf_dhcp_setup.c): dhcp-host reservations
 * (MAC with wildcards, client id, hostname, ignore, id:*), tags (set: on
 * ranges and hosts, dhcp-vendorclass, dhcp-userclass, dhcp-mac,
 * dhcp-match, tag-if, "known", the interface name), dhcp-option selection
 * by tags (tagged over range-tagged over untagged), dhcp-option-force,
 * empty options, 0.0.0.0 as this server, vendor:/encap: sub-options,
 * dhcp-ignore, dhcp-broadcast, domain= with a range, static ranges. */
#include "dhcp_engine_util.h"

static int teardown(void **st)
{
	(void)st;
	eng_teardown();
	return 0;
}

#define RANGE "dhcp-range=192.168.1.100,192.168.1.199\n"

static const uint8_t PRL_NTP[] = { 1, 3, 6, 15, 42 };

/* DISCOVER from client id asking for NTP; returns the offered address. */
static uint32_t offer(uint8_t id)
{
	cli(DHCP_DISCOVER, id);
	cli_opt(DHCP_OPT_PARAM_REQ, PRL_NTP, sizeof PRL_NTP);
	assert_int_equal(cli_send(T0), 0);
	return reply_type() == DHCP_OFFER ? R.yiaddr : 0;
}

static uint32_t ntp(void)
{
	uint32_t v = 0;
	if (dhcp_opt_ip(&R, DHCP_OPT_NTP_SERVER, &v) != 0)
		return 0;
	return v;
}

static void t_host_mac(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:05,192.168.1.50,printer,2h\n"
	          "dhcp-option=tag:known,option:ntp-server,192.168.1.7\n");
	assert_int_equal(offer(5), IP(192, 168, 1, 50)); /* outside the range */
	assert_int_equal(ntp(), IP(192, 168, 1, 7));      /* "known" */
	uint32_t lt;
	assert_int_equal(dhcp_opt_lease_time(&R, &lt), 0);
	assert_int_equal(lt, 7200);
	size_t n;
	const uint8_t *h = dhcp_opt_get(&R, DHCP_OPT_HOSTNAME, &n);
	assert_null(h); /* 12 not requested */
	dora(5, T0);
	assert_string_equal(dhcp_engine_lease_find(E, IP(192, 168, 1, 50))->hostname,
	                    "printer");
	/* an unknown client is not known, and never gets .50 */
	uint32_t ip = offer(6);
	assert_true(ip >= IP(192, 168, 1, 100));
	assert_int_equal(ntp(), 0);
	cli(DHCP_REQUEST, 6);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 50));
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_NAK);
}

/* A reserved address in the dynamic range is kept for its host. */
static void t_reserved_in_range(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.101\n"
	          "dhcp-host=02:00:00:00:00:09,192.168.1.100\n");
	assert_int_equal(offer(1), IP(192, 168, 1, 101));
	dora(1, T0);
	assert_int_equal(offer(2), 0); /* .100 is not for it */
	assert_int_equal(offer(9), IP(192, 168, 1, 100));
}

static void t_host_wildcard_tags(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:*,set:lab\n"
	          "dhcp-option=tag:lab,option:ntp-server,10.1.1.1\n");
	assert_true(offer(33) != 0);
	assert_int_equal(ntp(), IP(10, 1, 1, 1));
}

/* An exact MAC beats a wildcard; of two wildcards the one with fewer
 * '*' octets wins (dnsmasq's find_config), whatever the line order. */
static void t_host_exact_over_wildcard(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:*:*:*:*:*,set:wide\n"
	          "dhcp-host=02:00:00:00:00:*,set:lab\n"
	          "dhcp-host=02:00:00:00:00:40,192.168.1.40\n"
	          "dhcp-option=tag:lab,option:ntp-server,10.1.1.1\n"
	          "dhcp-option=tag:wide,option:ntp-server,10.2.2.2\n");
	assert_int_equal(offer(0x40), IP(192, 168, 1, 40));
	assert_int_equal(ntp(), 0);
	assert_true(offer(0x41) >= IP(192, 168, 1, 100));
	assert_int_equal(ntp(), IP(10, 1, 1, 1));
}

static void t_host_client_id(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=id:01:02:00:00:00:00:07,192.168.1.60\n"
	          "dhcp-host=id:myclient,192.168.1.61\n");
	static const uint8_t cid[] = { 1, 2, 0, 0, 0, 0, 7 };
	cli(DHCP_DISCOVER, 70);
	cli_opt(DHCP_OPT_CLIENT_ID, cid, sizeof cid);
	cli_send(T0);
	assert_int_equal(R.yiaddr, IP(192, 168, 1, 60));
	cli(DHCP_DISCOVER, 71);
	cli_opt(DHCP_OPT_CLIENT_ID, "myclient", 8);
	cli_send(T0);
	assert_int_equal(R.yiaddr, IP(192, 168, 1, 61));
	/* the MAC alone does not match a client-id reservation */
	assert_true(offer(7) >= IP(192, 168, 1, 100));
}

static void t_host_name(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=gizmo,192.168.1.62\n");
	cli(DHCP_DISCOVER, 72);
	cli_opt(DHCP_OPT_HOSTNAME, "gizmo", 5);
	cli_send(T0);
	assert_int_equal(R.yiaddr, IP(192, 168, 1, 62));
	cli(DHCP_DISCOVER, 73);
	cli_opt(DHCP_OPT_HOSTNAME, "other", 5);
	cli_send(T0);
	assert_true(R.yiaddr >= IP(192, 168, 1, 100));
}

/* id:* — the client id is ignored, the MAC is the identity. */
static void t_host_ignore_cid(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:44,id:*,192.168.1.44\n");
	cli(DHCP_DISCOVER, 0x44);
	cli_opt(DHCP_OPT_CLIENT_ID, "\x01one", 4);
	cli_send(T0);
	uint32_t ip = R.yiaddr;
	assert_int_equal(ip, IP(192, 168, 1, 44));
	cli(DHCP_REQUEST, 0x44);
	cli_opt(DHCP_OPT_CLIENT_ID, "\x01one", 4);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_send(T0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(dhcp_engine_lease_find(E, ip)->cid_len, 0);
	/* another client id from the same MAC: the same lease */
	cli(DHCP_REQUEST, 0x44);
	cli_opt(DHCP_OPT_CLIENT_ID, "\x01two", 4);
	dhcp_build_set_ciaddr(&B, ip);
	RX.unicast = true;
	cli_send(T0 + 5);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
}

static void t_ignore(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:50,ignore\n"
	          "dhcp-host=02:00:00:00:00:51,192.168.1.51\n"
	          "dhcp-ignore=tag:!known\n");
	assert_int_equal(offer(0x50), 0);
	assert_int_equal(offer(0x52), 0); /* unknown */
	assert_int_equal(offer(0x51), IP(192, 168, 1, 51));
}

/* dnsmasq(8): a tag from dhcp-range is second class, so a host's tag
 * overrides it, and either overrides an untagged line. */
static void t_option_precedence(void **st)
{
	(void)st;
	eng_setup("dhcp-range=set:r1,192.168.1.100,192.168.1.199\n"
	          "dhcp-option=tag:vip,option:ntp-server,3.3.3.3\n"
	          "dhcp-option=option:ntp-server,1.1.1.1\n"
	          "dhcp-option=tag:r1,option:ntp-server,2.2.2.2\n"
	          "dhcp-host=02:00:00:00:00:09,set:vip\n"
	          "dhcp-option=tag:nope,option:ntp-server,4.4.4.4\n");
	offer(9);
	assert_int_equal(ntp(), IP(3, 3, 3, 3));
	offer(8);
	assert_int_equal(ntp(), IP(2, 2, 2, 2));
	eng_teardown();
	eng_setup(RANGE "dhcp-option=option:ntp-server,1.1.1.1\n"
	          "dhcp-option=tag:!vip,option:dns-server,5.5.5.5\n");
	offer(8);
	assert_int_equal(ntp(), IP(1, 1, 1, 1));
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), IP(5, 5, 5, 5));
}

static void t_vendor_user_class(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-vendorclass=set:msft,MSFT\n"
	          "dhcp-userclass=set:acct,accounting\n"
	          "dhcp-option=tag:msft,option:ntp-server,6.6.6.6\n"
	          "dhcp-option=tag:acct,option:dns-server,7.7.7.7\n");
	cli(DHCP_DISCOVER, 10);
	cli_opt(DHCP_OPT_PARAM_REQ, PRL_NTP, sizeof PRL_NTP);
	cli_opt(DHCP_OPT_VENDOR_CLASS, "MSFT 5.0", 8);
	cli_send(T0);
	assert_int_equal(ntp(), IP(6, 6, 6, 6));
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), SERVER);
	static const uint8_t uc[] = { 4, 'l', 'a', 'b', 's', 10, 'a', 'c', 'c', 'o',
	                              'u', 'n', 't', 'i', 'n', 'g' };
	cli(DHCP_DISCOVER, 11);
	cli_opt(DHCP_OPT_PARAM_REQ, PRL_NTP, sizeof PRL_NTP);
	cli_opt(DHCP_OPT_USER_CLASS, uc, sizeof uc);
	cli_send(T0);
	assert_int_equal(ntp(), 0);
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), IP(7, 7, 7, 7));
}

static void t_mac_match_tagif(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-mac=set:vm,02:00:00:00:00:*\n"
	          "dhcp-match=set:ipxe,175\n"
	          "tag-if=set:both,tag:vm,tag:ipxe\n"
	          "dhcp-option=tag:both,option:ntp-server,8.8.4.4\n"
	          "dhcp-option=tag:vm,option:dns-server,9.9.9.9\n");
	offer(12);
	assert_int_equal(ntp(), 0);
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), IP(9, 9, 9, 9));
	cli(DHCP_DISCOVER, 12);
	cli_opt(DHCP_OPT_PARAM_REQ, PRL_NTP, sizeof PRL_NTP);
	cli_opt(175, "\x01\x01\x01", 3);
	cli_send(T0);
	assert_int_equal(ntp(), IP(8, 8, 4, 4));
}

static void t_interface_tag(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-option=tag:eth1,option:ntp-server,1.2.3.4\n");
	offer(13);
	assert_int_equal(ntp(), 0);
	RX.ifname = "eth1";
	offer(13);
	assert_int_equal(ntp(), IP(1, 2, 3, 4));
}

static void t_broadcast_tag(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-mac=set:old,02:00:00:00:00:0e\n"
	          "dhcp-broadcast=tag:old\n");
	offer(14);
	assert_int_equal(sent()->dest, DHCP_DEST_BROADCAST);
	offer(15);
	assert_int_equal(sent()->dest, DHCP_DEST_HWADDR);
}

static void t_domain_range(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.100,192.168.1.149\n"
	          "dhcp-range=192.168.1.150,192.168.1.199\n"
	          "domain=other.example\n"
	          "domain=lan,192.168.1.100,192.168.1.149\n"
	          "dhcp-host=02:00:00:00:00:10,192.168.1.120\n"
	          "dhcp-host=02:00:00:00:00:11,192.168.1.170\n");
	offer(0x10);
	size_t n;
	const uint8_t *d = dhcp_opt_get(&R, DHCP_OPT_DOMAIN_NAME, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(d, "lan", 3);
	offer(0x11);
	d = dhcp_opt_get(&R, DHCP_OPT_DOMAIN_NAME, &n);
	assert_int_equal(n, 13);
	assert_memory_equal(d, "other.example", 13);
	cli(DHCP_REQUEST, 0x10);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, IP(192, 168, 1, 120));
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	cli_opt(DHCP_OPT_HOSTNAME, "desk", 4);
	cli_send(T0);
	int nm = find_act(DHCP_ACT_NAME, 1);
	assert_true(nm >= 0);
	assert_string_equal(OUT.act[nm].u.name.host, "desk");
	assert_string_equal(OUT.act[nm].u.name.domain, "lan");
}

static void t_option_values(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-option=option:dns-server,0.0.0.0,8.8.8.8\n"
	          "dhcp-option=3\n"
	          "dhcp-option-force=option:ntp-server,192.168.1.9\n"
	          "dhcp-option=vendor:PXEClient,1,0.0.0.0\n"
	          "dhcp-option=encap:175,190,\"user\"\n");
	uint8_t prl[] = { 3, 6, 43, 175 };
	cli(DHCP_DISCOVER, 16);
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	cli_opt(DHCP_OPT_VENDOR_CLASS, "PXEClient:Arch:00000", 20);
	cli_send(T0);
	uint32_t dns[2];
	assert_int_equal(dhcp_opt_iplist(&R, DHCP_OPT_DNS_SERVER, dns, 2), 2);
	assert_int_equal(dns[0], SERVER);
	assert_int_equal(dns[1], IP(8, 8, 8, 8));
	assert_false(dhcp_opt_has(&R, DHCP_OPT_ROUTER)); /* emptied */
	assert_int_equal(ntp(), IP(192, 168, 1, 9));     /* forced */
	size_t n;
	const uint8_t *v = dhcp_opt_get(&R, DHCP_OPT_VENDOR_ENCAP, &n);
	static const uint8_t sub[] = { 1, 4, 0, 0, 0, 0 }; /* not replaced */
	assert_non_null(v);
	assert_int_equal(n, sizeof sub);
	assert_memory_equal(v, sub, sizeof sub);
	v = dhcp_opt_get(&R, 175, &n);
	assert_non_null(v);
	static const uint8_t sub2[] = { 190, 4, 'u', 's', 'e', 'r' };
	assert_int_equal(n, sizeof sub2);
	assert_memory_equal(v, sub2, sizeof sub2);
	/* another vendor: no option 43 */
	cli(DHCP_DISCOVER, 17);
	cli_opt(DHCP_OPT_PARAM_REQ, prl, sizeof prl);
	cli_opt(DHCP_OPT_VENDOR_CLASS, "udhcp 1.30", 10);
	cli_send(T0);
	assert_false(dhcp_opt_has(&R, DHCP_OPT_VENDOR_ENCAP));
}

static void t_static_range(void **st)
{
	(void)st;
	eng_setup("dhcp-range=192.168.1.0,static\n"
	          "dhcp-host=02:00:00:00:00:20,192.168.1.20\n");
	assert_int_equal(offer(0x20), IP(192, 168, 1, 20));
	assert_int_equal(offer(0x21), 0); /* no dynamic addresses */
}

static void t_range_tags(void **st)
{
	(void)st;
	eng_setup("dhcp-range=tag:guest,192.168.1.200,192.168.1.250\n"
	          "dhcp-range=tag:!guest,192.168.1.100,192.168.1.150\n"
	          "dhcp-host=02:00:00:00:00:31,set:guest\n");
	uint32_t ip = offer(0x31);
	assert_true(ip >= IP(192, 168, 1, 200) && ip <= IP(192, 168, 1, 250));
	ip = offer(0x41);
	assert_true(ip >= IP(192, 168, 1, 100) && ip <= IP(192, 168, 1, 150));
}

/* A dhcp-host on another network only says "known-othernet"; of two
 * matching entries the tagged one is used (dnsmasq(8)). */
static void t_host_othernet_tagged(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:21,10.9.9.9\n"
	          "dhcp-option=tag:known-othernet,option:ntp-server,1.0.0.1\n"
	          "dhcp-option=tag:known,option:dns-server,1.0.0.2\n"
	          "dhcp-host=02:00:00:00:00:22,192.168.1.22\n"
	          "dhcp-host=tag:eth1,02:00:00:00:00:22,192.168.1.23\n");
	uint32_t ip = offer(0x21);
	assert_true(ip >= IP(192, 168, 1, 100));
	assert_int_equal(ntp(), IP(1, 0, 0, 1));
	assert_int_equal(reply_ip(DHCP_OPT_DNS_SERVER), SERVER); /* not known */
	assert_int_equal(offer(0x22), IP(192, 168, 1, 22));
	RX.ifname = "eth1";
	assert_int_equal(offer(0x22), IP(192, 168, 1, 23));
}

/* dnsmasq(8): a dhcp-host with two MACs gives its address to whichever
 * asks, abandoning the other's lease (laptop: wired and wireless). */
static void t_host_two_macs(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-host=02:00:00:00:00:61,02:00:00:00:00:62,"
	          "192.168.1.66,laptop\n");
	assert_int_equal(dora(0x61, T0), IP(192, 168, 1, 66));
	assert_int_equal(dora(0x62, T0 + 10), IP(192, 168, 1, 66));
	int del = find_act(DHCP_ACT_LEASE, DHCP_LEASE_DEL);
	int put = find_act(DHCP_ACT_LEASE, DHCP_LEASE_PUT);
	assert_true(del >= 0 && put > del);
	assert_int_equal(OUT.act[del].u.lease.lease.hw[5], 0x61);
	assert_int_equal(dhcp_engine_lease_count(E), 1);
	assert_int_equal(dhcp_engine_lease_find(E, IP(192, 168, 1, 66))->hw[5], 0x62);
}

/* port=0 (no DNS): no default DNS server option; infinite leases have no
 * expiry, no T1/T2; configured T1/T2 are used. */
static void t_no_dns_infinite(void **st)
{
	(void)st;
	eng_setup("port=0\ndhcp-range=192.168.1.100,192.168.1.199,infinite\n");
	cli(DHCP_DISCOVER, 0x30);
	cli_opt(DHCP_OPT_PARAM_REQ, PRL_NTP, sizeof PRL_NTP);
	cli_send(T0);
	assert_false(dhcp_opt_has(&R, DHCP_OPT_DNS_SERVER));
	assert_true(dhcp_opt_has(&R, DHCP_OPT_ROUTER));
	uint32_t v;
	assert_int_equal(dhcp_opt_lease_time(&R, &v), 0);
	assert_int_equal(v, 0xffffffffu);
	assert_false(dhcp_opt_has(&R, DHCP_OPT_T1));
	assert_false(dhcp_opt_has(&R, DHCP_OPT_T2));
	uint32_t ip = dora(0x30, T0);
	assert_int_equal(dhcp_engine_lease_find(E, ip)->expires, DHCP_LEASE_INFINITE);
	assert_int_equal(OUT.wakeup, 0);
	assert_int_equal(dhcp_engine_tick(E, T0 + 100000000, &OUT), 0);
	assert_int_equal(OUT.n, 0);
	eng_teardown();
	eng_setup(RANGE "dhcp-option=58,1000\ndhcp-option=option:T2,2000\n");
	offer(0x31);
	assert_int_equal(dhcp_opt_t1(&R, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(dhcp_opt_t2(&R, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(OUT.wakeup, T0 + DHCP_OFFER_HOLD); /* the offer hold */
}

/* Option 118 (RFC 3011) picks the subnet, as giaddr does. */
static void t_subnet_selection(void **st)
{
	(void)st;
	eng_setup(RANGE "dhcp-range=10.0.7.10,10.0.7.20,255.255.255.0\n");
	cli(DHCP_DISCOVER, 0x32);
	cli_ip(DHCP_OPT_SUBNET_SELECT, IP(10, 0, 7, 0));
	cli_send(T0);
	assert_true(R.yiaddr >= IP(10, 0, 7, 10) && R.yiaddr <= IP(10, 0, 7, 20));
	assert_int_equal(sent()->dest, DHCP_DEST_HWADDR);
}

static void t_setup_errors(void **st)
{
	(void)st;
	dhcp_config c;
	dhcp_config_init(&c);
	dhcp_cfg_range r = { .start = IP(10, 0, 0, 9), .end = IP(10, 0, 0, 1),
	                     .lease = 3600 };
	c.ranges = &r;
	c.nranges = 1;
	dhcp_engine *e = NULL;
	assert_int_equal(dhcp_engine_new(&c, &e), WARD_EDHCPCFG);
	assert_null(e);
	r.end = IP(10, 0, 0, 20);
	assert_int_equal(dhcp_engine_new(&c, &e), 0);
	dhcp_engine_free(e);
	assert_string_equal(ward_strerror(WARD_EDHCPCFG),
	                    "invalid DHCP server configuration");
	eng_setup(RANGE); /* for the teardown */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_host_mac, teardown),
		cmocka_unit_test_teardown(t_reserved_in_range, teardown),
		cmocka_unit_test_teardown(t_host_wildcard_tags, teardown),
		cmocka_unit_test_teardown(t_host_exact_over_wildcard, teardown),
		cmocka_unit_test_teardown(t_host_client_id, teardown),
		cmocka_unit_test_teardown(t_host_name, teardown),
		cmocka_unit_test_teardown(t_host_ignore_cid, teardown),
		cmocka_unit_test_teardown(t_ignore, teardown),
		cmocka_unit_test_teardown(t_option_precedence, teardown),
		cmocka_unit_test_teardown(t_vendor_user_class, teardown),
		cmocka_unit_test_teardown(t_mac_match_tagif, teardown),
		cmocka_unit_test_teardown(t_interface_tag, teardown),
		cmocka_unit_test_teardown(t_broadcast_tag, teardown),
		cmocka_unit_test_teardown(t_domain_range, teardown),
		cmocka_unit_test_teardown(t_option_values, teardown),
		cmocka_unit_test_teardown(t_static_range, teardown),
		cmocka_unit_test_teardown(t_range_tags, teardown),
		cmocka_unit_test_teardown(t_host_othernet_tagged, teardown),
		cmocka_unit_test_teardown(t_host_two_macs, teardown),
		cmocka_unit_test_teardown(t_no_dns_infinite, teardown),
		cmocka_unit_test_teardown(t_subnet_selection, teardown),
		cmocka_unit_test_teardown(t_setup_errors, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
