/* libFuzzer harness: the resolver engine with one client query and the
 * fuzz input as every upstream reply. Input: [0..2) qtype selector and
 * flags, then reply bodies separated by "\xff\xfe"; each reply gets the
 * ID and question of the query it answers patched in half the time, so
 * the engine's deeper paths are reached. Byte 0: bits 0-2 qtype, 3
 * forwarding, 4 DO, 5 0x20, 6 all-servers (two forwarders), 7 local data
 * (the query is then ext.lan, a local CNAME to www.example.com). Byte
 * 1: bit 7 switches DNSSEC validation on, with a trust anchor for
 * example.com. (the DS of Unbound's val_* scenarios, validated at their
 * date); seeds dnssec_* are signed replies from those scenarios; bit 6
 * then asks other.example.com. without RD, answered from what the first
 * query left in the cache (a referral, engine_norec.c; RD stays clear).
 * Checked: exactly one answer, and a SERVFAIL with EDNS carries an EDE
 * with a text (RFC 8914); with validation on, AD only on answers to a
 * query with DO. Sans-I/O: no sockets, virtual clock,
 * deterministic randomness. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine.h"
#include "resolver/localdata.h"
#include "resolver/validator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_random(void *ctx, uint8_t *buf, size_t n)
{
	uint32_t *s = ctx;
	for (size_t i = 0; i < n; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
}

static bool g_validate, g_do;

/* An answer must parse, and a SERVFAIL with an OPT record must say why. */
static void check_answer(const struct res_action *a, unsigned *answers)
{
	dns_msg m;
	(*answers)++;
	if (dns_msg_parse(&m, a->buf, a->len) < 0)
		abort();
	/* AD only when validating, for a client that asked with DO */
	if ((m.flags & DNS_FLAG_AD) && (!g_validate || !g_do))
		abort();
	if (dns_msg_rcode(&m) != DNS_RCODE_SERVFAIL || !m.has_opt)
		return;
	edns_info ei;
	edns_opt o;
	if (edns_from_msg(&m, &ei) < 0 || edns_opt_find(&ei, EDNS_OPT_EDE, &o) < 0 ||
	    o.len <= 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned answers = 0;
	if (size < 2)
		return 0;
	static const uint16_t types[8] = { 1, 28, 5, 2, 15, 16, 6, 255 };
	uint16_t qtype = types[data[0] & 7];
	bool fwd = data[0] & 0x08, dobit = data[0] & 0x10;
	bool caps = data[0] & 0x20, allsrv = data[0] & 0x40, local = data[0] & 0x80;
	unsigned patch = data[1];
	g_validate = data[1] & 0x80;
	bool norec = data[1] & 0x40;
	g_do = dobit;
	data += 2;
	size -= 2;

	uint32_t seed = 1;
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = fz_random;
	cfg.max_clients = 4;
	cfg.random_ctx = &seed;
	struct res_hint hint;
	struct res_forwarder fw[2];
	memset(&hint, 0, sizeof(hint));
	memset(fw, 0, sizeof(fw));
	dns_name_root(&hint.name);
	hint.addr.family = 4;
	hint.addr.ip[0] = 127;
	hint.addr.port = 53;
	cfg.hints = &hint;
	cfg.n_hints = 1;
	if (fwd || allsrv) {
		cfg.mode = RES_MODE_FORWARD;
		dns_name_root(&fw[0].domain);
		fw[0].addr = hint.addr;
		fw[1] = fw[0];
		fw[1].addr.ip[3] = 2;
		cfg.fwd = fw;
		cfg.n_fwd = allsrv ? 2 : 1;
		cfg.all_servers = allsrv;
	}
	cfg.case_randomise = caps;
	struct res_anchors anchors = { 0 };
	if (g_validate) {
		static const char ta[] = "example.com. 3600 IN DS 2854 3 1 "
			"46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b\n";
		char err[128];
		res_anchors_parse(&anchors, ta, sizeof ta - 1, "fuzz", err,
		                  sizeof err);
		cfg.dnssec = true;
		cfg.trust_anchors = anchors.rrs;
		cfg.n_trust_anchors = anchors.n;
		cfg.dnssec_time = 1189950146; /* 2007-09-16, the scenarios' date */
	}
	localdata *ld = NULL;
	if (local) {
		ld = localdata_new();
		const char *alias[] = { "ext.lan" };
		if (ld) {
			localdata_add_local(ld, "lan");
			localdata_add_cname(ld, alias, 1, "www.example.com", 60);
		}
		cfg.local = ld;
	}
	struct cache_config cc;
	cache_config_defaults(&cc);
	cache_t *cache = cache_new(&cc);
	res_engine *e = cache ? res_engine_new(&cfg, cache) : NULL;
	res_anchors_free(&anchors);
	if (!e) {
		cache_free(cache);
		localdata_free(ld);
		return 0;
	}
	uint8_t q[512];
	dns_mb b;
	dns_name qn;
	size_t qlen = 0;
	if (local)
		dns_name_from_text(&qn, "ext.lan.", 8, NULL);
	else
		dns_name_from_text(&qn, "www.example.com.", 16, NULL);
	dns_mb_init(&b, q, sizeof(q), sizeof(q));
	dns_mb_set_id(&b, 7);
	dns_mb_set_flags(&b, DNS_FLAG_RD);
	dns_mb_edns(&b, 1232, 0, dobit ? 0x8000 : 0);
	dns_mb_question(&b, &qn, qtype, DNS_C_IN);
	dns_mb_finish(&b, &qlen);
	uint64_t now = 1000000;
	res_query_start(e, 1, q, qlen, false, now);

	static uint8_t reply[65536];
	size_t pos = 0;
	for (unsigned round = 0; round < 200; round++) {
		struct res_action a;
		bool sent = false;
		struct res_action last;
		memset(&last, 0, sizeof(last));
		uint8_t lastq[512];
		size_t lastq_len = 0;
		while (res_next_action(e, now, &a) == 1) {
			if (a.kind == RES_ACT_ANSWER)
				check_answer(&a, &answers);
			if (a.kind == RES_ACT_SEND) {
				last = a;
				lastq_len = a.len < sizeof(lastq) ? a.len : 0;
				memcpy(lastq, a.buf, lastq_len);
				sent = true;
			}
		}
		if (!sent) {
			uint64_t w = res_next_wakeup(e);
			if (w == UINT64_MAX)
				break;
			now = w;
			res_tick(e, now);
			continue;
		}
		if (pos >= size) {
			uint64_t w = res_next_wakeup(e);
			if (w == UINT64_MAX)
				break;
			now = w;
			res_tick(e, now);
			continue;
		}
		/* next chunk up to the separator */
		size_t end = pos;
		while (end + 1 < size && !(data[end] == 0xff && data[end + 1] == 0xfe))
			end++;
		if (end + 1 >= size)
			end = size;
		size_t n = end - pos;
		if (n > sizeof(reply))
			n = sizeof(reply);
		memcpy(reply, data + pos, n);
		pos = end + 2;
		if ((patch & 1) && lastq_len >= 12 && n >= 12) {
			/* the fuzz header with the query's ID and question */
			static uint8_t tmp[65536 + 512];
			dns_msg m;
			size_t qend = lastq_len;
			if (dns_msg_parse(&m, lastq, lastq_len) == 0 && m.sect_off[1])
				qend = m.sect_off[1];
			memcpy(tmp, reply, 12);
			memcpy(tmp, lastq, 2);
			tmp[2] |= 0x80;
			tmp[4] = 0;
			tmp[5] = 1;
			memcpy(tmp + 12, lastq + 12, qend - 12);
			memcpy(tmp + qend, reply + 12, n - 12);
			n = qend + n - 12;
			if (n > sizeof(reply))
				n = sizeof(reply);
			memcpy(reply, tmp, n);
		}
		patch = (patch >> 1) | ((patch & 1) << 7);
		now += 5;
		res_upstream_reply(e, last.token, &last.dst, last.tcp, reply, n, now);
	}
	/* every client query is answered by its deadline */
	res_tick(e, now + 2 * RES_QUERY_DEADLINE_MS);
	struct res_action a;
	while (res_next_action(e, now, &a) == 1)
		if (a.kind == RES_ACT_ANSWER)
			check_answer(&a, &answers);
	if (answers != 1)
		abort();
	if (norec) { /* no RD: the cache's answer or referral, never recursion */
		dns_name_from_text(&qn, "other.example.com.", 18, NULL);
		dns_mb_init(&b, q, sizeof(q), sizeof(q));
		dns_mb_set_id(&b, 8);
		dns_mb_edns(&b, 1232, 0, dobit ? 0x8000 : 0);
		dns_mb_question(&b, &qn, DNS_T_A, DNS_C_IN);
		dns_mb_finish(&b, &qlen);
		now += 2 * RES_QUERY_DEADLINE_MS;
		res_query_start(e, 2, q, qlen, false, now);
		/* the validator's own fetches go unanswered: they time out */
		for (unsigned round = 0; round < 400; round++) {
			while (res_next_action(e, now, &a) == 1)
				if (a.kind == RES_ACT_ANSWER) {
					check_answer(&a, &answers);
					if (a.len > 2 && (a.buf[2] & 0x01))
						abort(); /* RD set in the answer */
				}
			uint64_t w = res_next_wakeup(e);
			if (w == UINT64_MAX)
				break;
			now = w;
			res_tick(e, now);
		}
		res_tick(e, now + 2 * RES_QUERY_DEADLINE_MS);
		while (res_next_action(e, now, &a) == 1)
			if (a.kind == RES_ACT_ANSWER)
				check_answer(&a, &answers);
		if (answers != 2)
			abort();
	}
	res_engine_free(e);
	cache_free(cache);
	localdata_free(ld);
	return 0;
}
