/* libFuzzer harness: the resolver engine's client side — the fuzz input
 * is the client query itself (after one config byte), so the checks of
 * resolver/engine_client.c (FORMERR, NOTIMP, BADVERS, classes, CH TXT,
 * meta types, ANY) and local data (engine_local.c) see arbitrary bytes.
 * Config byte: bit 0 forwarding, 1 local data, 2 CH identity set, 3 0x20,
 * 4 deny_any (RFC 8482's HINFO for ANY).
 * Upstream queries are never answered (the engine times them out).
 * Checked: at most one answer, exactly one unless the query was dropped
 * (res_query_start < 0), it parses, echoes the ID, has QR and RA, AA only
 * with local data, and a SERVFAIL with EDNS carries an EDE with a text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/msg.h"
#include "resolver/engine.h"
#include "resolver/localdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fz_random(void *ctx, uint8_t *buf, size_t n)
{
	uint32_t *s = ctx;
	for (size_t i = 0; i < n; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
}

static localdata *make_local(void)
{
	localdata *ld = localdata_new();
	if (!ld)
		return NULL;
	static const uint8_t a[4] = { 192, 168, 1, 10 };
	const char *alias[] = { "ext.lan" }, *txt[] = { "hello" };
	localdata_set_domain(ld, "lan");
	localdata_set_expand_hosts(ld, true);
	localdata_set_domain_needed(ld, true);
	localdata_set_bogus_priv(ld, true);
	localdata_add_host(ld, "foo", AF_INET, a, true);
	localdata_add_local(ld, "lan");
	localdata_add_address(ld, "blk.test", 0, NULL);
	localdata_add_cname(ld, alias, 1, "www.example.com", 60);
	localdata_add_txt(ld, "t.lan", txt, 1);
	return ld;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t conf = data[0];
	data++;
	size--;
	uint32_t seed = 1;
	struct res_config cfg;
	res_config_defaults(&cfg);
	cfg.random = fz_random;
	cfg.random_ctx = &seed;
	cfg.max_clients = 2;
	struct res_hint hint;
	struct res_forwarder fw;
	memset(&hint, 0, sizeof(hint));
	memset(&fw, 0, sizeof(fw));
	dns_name_root(&hint.name);
	hint.addr.family = 4;
	hint.addr.ip[0] = 127;
	hint.addr.port = 53;
	cfg.hints = &hint;
	cfg.n_hints = 1;
	if (conf & 1) {
		cfg.mode = RES_MODE_FORWARD;
		dns_name_root(&fw.domain);
		fw.addr = hint.addr;
		cfg.fwd = &fw;
		cfg.n_fwd = 1;
	}
	localdata *ld = (conf & 2) ? make_local() : NULL;
	cfg.local = ld;
	if (conf & 4)
		cfg.chaos_identity = "fuzz-host";
	cfg.case_randomise = (conf & 8) != 0;
	cfg.deny_any = (conf & 16) != 0;
	struct cache_config cc;
	cache_config_defaults(&cc);
	cache_t *cache = cache_new(&cc);
	res_engine *e = cache ? res_engine_new(&cfg, cache) : NULL;
	if (!e) {
		cache_free(cache);
		localdata_free(ld);
		return 0;
	}
	uint64_t now = 1000000;
	int r = res_query_start(e, 9, data, size, false, now);
	unsigned answers = 0;
	for (unsigned round = 0; round < 64; round++) {
		struct res_action a;
		while (res_next_action(e, now, &a) == 1) {
			if (a.kind != RES_ACT_ANSWER)
				continue;
			answers++;
			dns_msg m;
			if (a.client_tag != 9 || dns_msg_parse(&m, a.buf, a.len) < 0 ||
			    m.id != (uint16_t)(data[0] << 8 | data[1]) ||
			    !(m.flags & DNS_FLAG_QR) || !(m.flags & DNS_FLAG_RA) ||
			    ((m.flags & DNS_FLAG_AA) && !ld))
				abort();
			edns_info ei;
			edns_opt o;
			if (dns_msg_rcode(&m) == DNS_RCODE_SERVFAIL && m.has_opt &&
			    (edns_from_msg(&m, &ei) < 0 ||
			     edns_opt_find(&ei, EDNS_OPT_EDE, &o) < 0 || o.len <= 2))
				abort();
		}
		uint64_t w = res_next_wakeup(e);
		if (w == UINT64_MAX)
			break;
		now = w;
		res_tick(e, now);
	}
	if (answers > 1 || (r == 0 && answers != 1) || (r < 0 && answers))
		abort();
	res_engine_free(e);
	cache_free(cache);
	localdata_free(ld);
	return 0;
}
