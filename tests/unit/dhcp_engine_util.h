/* Shared by tests/unit/test_dhcp_engine_*.c: a DHCP engine made from
 * dnsmasq configuration text (conf_load_buffer + dhcp_setup_from_conf),
 * client packets built with the codec's builder, replies parsed back. */
#ifndef WARD_TEST_DHCP_ENGINE_UTIL_H
#define WARD_TEST_DHCP_ENGINE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/dhcp.h"
#include "daemon/conf.h"
#include "daemon/dhcp_setup.h"
#include "dhcp/engine.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
                        (uint32_t)(c) << 8 | (uint32_t)(d))
#define SERVER IP(192, 168, 1, 1)
#define T0 1700000000

static ward_conf C;
static dhcp_setup S;
static dhcp_engine *E;
static dhcp_out OUT;
static dhcp_msg R;            /* the last reply, parsed */
static dhcp_builder B;
static uint8_t PKT[2048];
static dhcp_rx RX;

static inline void eng_setup(const char *text)
{
	assert_int_equal(conf_init(&C, NULL), 0);
	int r = conf_load_buffer(&C, "test.conf", text, strlen(text));
	if (r != 0 || !conf_ok(&C)) {
		for (size_t i = 0; i < C.diags.n; i++)
			fprintf(stderr, "%s\n", C.diags.v[i].text);
		fail_msg("configuration rejected");
	}
	assert_int_equal(conf_finish(&C), 0);
	assert_int_equal(dhcp_setup_from_conf(&C, &S), 0);
	assert_int_equal(dhcp_engine_new(&S.cfg, &E), 0);
	memset(&RX, 0, sizeof RX);
	RX.ifname = "eth0";
	RX.addrs[0] = (dhcp_ifaddr){ SERVER, 0xffffff00u };
	RX.naddrs = 1;
}

static inline void eng_teardown(void)
{
	dhcp_engine_free(E);
	E = NULL;
	dhcp_setup_free(&S);
	conf_free(&C);
}

/* A client message from MAC 02:00:00:00:00:<id>, xid = id. */
static inline void cli(uint8_t type, uint8_t id)
{
	assert_int_equal(dhcp_build_init(&B, PKT, sizeof PKT, DHCP_BOOTREQUEST), 0);
	dhcp_build_set_max_size(&B, 1500);
	uint8_t mac[6] = { 2, 0, 0, 0, 0, id };
	dhcp_build_set_chaddr(&B, 1, mac, 6);
	dhcp_build_set_xid(&B, 0x1000u + id);
	dhcp_build_opt_u8(&B, DHCP_OPT_MSG_TYPE, type);
}

static inline void cli_opt(uint8_t code, const void *v, size_t n)
{
	assert_int_equal(dhcp_build_opt(&B, code, v, n), 0);
}

static inline void cli_ip(uint8_t code, uint32_t ip)
{
	assert_int_equal(dhcp_build_opt_ip(&B, code, ip), 0);
}

/* Send it; returns the engine's result. R holds the reply when there is
 * one (SEND action), else R.op is 0. */
static inline int cli_send(int64_t now)
{
	int n = dhcp_build_finish(&B);
	assert_true(n > 0);
	RX.pkt = PKT;
	RX.len = (size_t)n;
	int r = dhcp_engine_input(E, &RX, now, &OUT);
	memset(&R, 0, offsetof(dhcp_msg, data));
	for (size_t i = 0; i < OUT.n; i++)
		if (OUT.act[i].kind == DHCP_ACT_SEND)
			assert_int_equal(dhcp_parse(&R, OUT.act[i].u.send.pkt,
			                            OUT.act[i].u.send.len), 0);
	return r;
}

static inline const dhcp_act_send *sent(void)
{
	for (size_t i = 0; i < OUT.n; i++)
		if (OUT.act[i].kind == DHCP_ACT_SEND)
			return &OUT.act[i].u.send;
	return NULL;
}

static inline int reply_type(void)
{
	return R.op ? dhcp_msg_type(&R) : 0;
}

/* Index of the first action of kind (and lease op / name add), -1. */
static inline int find_act(enum dhcp_action_kind k, int sub)
{
	for (size_t i = 0; i < OUT.n; i++) {
		const dhcp_action *a = &OUT.act[i];
		if (a->kind != k)
			continue;
		if (k == DHCP_ACT_LEASE && sub && (int)a->u.lease.op != sub)
			continue;
		if (k == DHCP_ACT_NAME && sub >= 0 && a->u.name.add != (sub == 1))
			continue;
		return (int)i;
	}
	return -1;
}

static inline uint32_t reply_ip(uint8_t code)
{
	uint32_t v = 0;
	assert_int_equal(dhcp_opt_ip(&R, code, &v), 0);
	return v;
}

/* DISCOVER then REQUEST (SELECTING) for client id: the ACKed address. */
static inline uint32_t dora(uint8_t id, int64_t now)
{
	cli(DHCP_DISCOVER, id);
	assert_int_equal(cli_send(now), 0);
	assert_int_equal(reply_type(), DHCP_OFFER);
	uint32_t ip = R.yiaddr;
	cli(DHCP_REQUEST, id);
	cli_ip(DHCP_OPT_REQUESTED_ADDR, ip);
	cli_ip(DHCP_OPT_SERVER_ID, SERVER);
	assert_int_equal(cli_send(now), 0);
	assert_int_equal(reply_type(), DHCP_ACK);
	assert_int_equal(R.yiaddr, ip);
	return ip;
}

#endif
