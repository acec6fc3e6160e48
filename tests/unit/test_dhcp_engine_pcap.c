/* Unit test: the DHCPv4/BOOTP packets of the shared tcpdump captures
 * (../shared/testdata/pcaps/tcpdump, WARD_TESTDATA to move it; payloads
 * extracted with tshark) replayed into a DHCP engine that serves their
 * networks, in capture order on a clock that moves a minute per packet.
 * Many are malformed on purpose. Checked for every packet: the result is
 * 0 or a documented error, at most one reply and it comes last, every
 * reply parses with the request's xid, an ACK giving a lease follows its
 * PUT, and the engine's table agrees with the PUT/DEL stream. Skipped
 * when the captures or tshark are absent. */
#include <dirent.h>

#include "dhcp_engine_util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		int a = hexval(s[0]), b = hexval(s[1]);
		if (a < 0 || b < 0)
			break;
		out[n++] = (uint8_t)(a << 4 | b);
		s += 2;
	}
	return n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* addresses the engine was told about, to compare with its table */
static uint32_t held[4096];
static size_t nheld;

static void check(const uint8_t *pkt, size_t len, int r, unsigned *replies)
{
	assert_true(r == 0 || r == WARD_EDHCPMSG || r == WARD_EDHCP ||
	            r == WARD_ECOOKIE || r == WARD_EDHCPOPT || r == WARD_EOVERLOAD);
	static dhcp_msg req;
	bool parsed = pkt && dhcp_parse(&req, pkt, len) == 0;
	for (size_t i = 0; i < OUT.n; i++) {
		const dhcp_action *a = &OUT.act[i];
		if (a->kind == DHCP_ACT_LEASE) {
			uint32_t ip = a->u.lease.lease.ip;
			size_t k = 0;
			while (k < nheld && held[k] != ip)
				k++;
			if (a->u.lease.op == DHCP_LEASE_PUT && k == nheld) {
				assert_true(nheld < 4096);
				held[nheld++] = ip;
			} else if (a->u.lease.op == DHCP_LEASE_DEL) {
				assert_true(k < nheld);
				held[k] = held[--nheld];
			}
		} else if (a->kind == DHCP_ACT_SEND) {
			assert_int_equal(i, OUT.n - 1);
			assert_true(parsed);
			(*replies)++;
			assert_int_equal(R.xid, req.xid);
			assert_int_equal(R.op, DHCP_BOOTREPLY);
			uint32_t lt;
			if (dhcp_msg_type(&R) == DHCP_ACK &&
			    dhcp_opt_lease_time(&R, &lt) == 0) {
				bool put = false;
				for (size_t k = 0; k < i; k++)
					put |= OUT.act[k].kind == DHCP_ACT_LEASE &&
					       OUT.act[k].u.lease.lease.ip == R.yiaddr;
				assert_true(put);
			}
		}
	}
	assert_int_equal(nheld, dhcp_engine_lease_count(E));
	for (size_t k = 0; k < nheld; k++)
		assert_non_null(dhcp_engine_lease_find(E, held[k]));
}

static void t_captures(void **st)
{
	(void)st;
	const char *td = getenv("WARD_TESTDATA");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/pcaps/tcpdump", td && *td ? td : "../shared/testdata");
	DIR *d = opendir(dir);
	if (!d) {
		print_message("skip: %s is absent (set WARD_TESTDATA)\n", dir);
		skip();
	}
	if (system("tshark -v >/dev/null 2>&1") != 0) {
		closedir(d);
		print_message("skip: tshark is not installed\n");
		skip();
	}
	char names[64][256];
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d)) && count < 64) {
		const char *nm = e->d_name;
		if ((strncmp(nm, "dhcp", 4) || !strncmp(nm, "dhcp6", 5) ||
		     !strncmp(nm, "dhcpv6", 6)) && strncmp(nm, "bootp", 5))
			continue;
		if (!strstr(nm, ".pcap") || strchr(nm, '\'') || strlen(nm) >= 256)
			continue;
		snprintf(names[count++], 256, "%s", nm);
	}
	closedir(d);
	qsort(names, (size_t)count, sizeof names[0], cmp_name);

	eng_setup("dhcp-range=192.168.0.10,192.168.255.250,255.255.0.0,1h\n"
	          "dhcp-range=10.0.0.10,10.255.255.250,255.0.0.0,1h\n"
	          "dhcp-range=172.16.0.10,172.31.255.250,255.240.0.0,1h\n"
	          "dhcp-option=option:ntp-server,0.0.0.0\n"
	          "domain=lan\n"
	          "dhcp-authoritative\n");
	RX.addrs[0] = (dhcp_ifaddr){ IP(192, 168, 0, 1), 0xffff0000u };
	RX.addrs[1] = (dhcp_ifaddr){ IP(10, 0, 0, 1), 0xff000000u };
	RX.addrs[2] = (dhcp_ifaddr){ IP(172, 16, 0, 1), 0xfff00000u };
	RX.naddrs = 3;
	nheld = 0;
	int64_t now = T0;
	unsigned packets = 0, requests = 0, replies = 0;
	static char line[1 << 18];
	static uint8_t pkt[DHCP_MSG_MAX];
	for (int i = 0; i < count; i++) {
		static char cmd[32768];
		snprintf(cmd, sizeof cmd, "tshark -r '%s/%s' -Y 'dhcp' -T fields "
		         "-e udp.payload 2>/dev/null", dir, names[i]);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		while (fgets(line, sizeof line, p)) {
			size_t n = unhex(line, pkt, sizeof pkt);
			if (n == 0)
				continue;
			packets++;
			requests += n > 0 && pkt[0] == DHCP_BOOTREQUEST;
			now += 60;
			RX.pkt = pkt;
			RX.len = n;
			RX.unicast = packets % 2;
			int r = dhcp_engine_input(E, &RX, now, &OUT);
			memset(&R, 0, offsetof(dhcp_msg, data));
			const dhcp_act_send *s = sent();
			if (s)
				assert_int_equal(dhcp_parse(&R, s->pkt, s->len), 0);
			if (getenv("DHCP_PCAP_VERBOSE")) {
				static dhcp_msg q;
				int qt = dhcp_parse(&q, pkt, n) == 0 ? dhcp_msg_type(&q) : -1;
				print_message("%s: r=%d type=%d reply=%d %s\n", names[i], r,
				              qt, R.op ? dhcp_msg_type(&R) : 0,
				              OUT.note ? OUT.note : "");
			}
			check(pkt, n, r, &replies);
		}
		pclose(p);
	}
	/* everything expires in the end */
	assert_int_equal(dhcp_engine_tick(E, now + 100000, &OUT), 0);
	check(NULL, 0, 0, &replies);
	assert_int_equal(dhcp_engine_lease_count(E), 0);
	print_message("captures: %d files, %u DHCPv4 packets, %u requests, %u "
	              "replies\n", count, packets, requests, replies);
	assert_true(packets > 0);
	assert_true(replies > 0);
}

static int teardown(void **st)
{
	(void)st;
	if (E)
		eng_teardown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_captures, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
