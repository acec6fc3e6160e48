/* Fuzz harness: DHCPv4 parsing (header, cookie, options, overload, RFC 3396
 * concatenation), both printers into bounded buffers, the option value
 * decoders, and — for every packet that parses — a reply rebuilt from all
 * its options and parsed again. Invariant violations trap. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dhcp_msg msg, back;
static uint8_t reply[DHCP_MSG_MAX];
static char text[1 << 18];

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

static size_t enc_len(size_t n)
{
	return n == 0 ? 2 : n + 2 * ((n + 254) / 255);
}

/* Printing into a roomy and a tiny buffer: always terminated, in bounds,
 * and (when it fits) plain printable ASCII. */
static void check_printers(const dhcp_msg *m)
{
	strbuf sb = strbuf_init(text, sizeof text);
	int r = dhcp_msg_to_text(m, &sb);
	CHECK(r == 0 || r == WARD_ESPACE);
	CHECK(sb.len < sizeof text && text[sb.len] == '\0');
	if (r == 0)
		for (size_t i = 0; i < sb.len; i++)
			CHECK(text[i] >= 0x20 && text[i] < 0x7f);
	sb = strbuf_init(text, sizeof text);
	r = dhcp_msg_to_json(m, &sb);
	CHECK(r == 0 || r == WARD_ESPACE);
	if (r == 0) {
		CHECK(text[0] == '{' && text[sb.len - 1] == '}');
		for (size_t i = 0; i < sb.len; i++)
			CHECK(text[i] >= 0x20 && text[i] < 0x7f);
	}
	char small[64];
	sb = strbuf_init(small, sizeof small);
	dhcp_msg_to_text(m, &sb);
	CHECK(sb.len < sizeof small && small[sb.len] == '\0');
	sb = strbuf_init(small, sizeof small);
	dhcp_msg_to_json(m, &sb);
	CHECK(sb.len < sizeof small && small[sb.len] == '\0');
}

/* The decoders on raw bytes: never out of bounds, consistent counts. */
static void check_decoders(const uint8_t *v, size_t n)
{
	dhcp_route routes[8];
	int r = dhcp_routes_decode(v, n, routes, 8);
	CHECK(r == WARD_EDHCPOPT || (r >= 0 && (size_t)r * 5 <= n));
	if (r > 0 && r <= 8) {
		uint8_t enc[8 * 9];
		int e = dhcp_routes_encode(routes, (size_t)r, enc, sizeof enc);
		CHECK(e == (int)n && memcmp(enc, v, n) == 0);
	}
	dns_name names[4];
	r = dhcp_search_decode(v, n, names, 4);
	CHECK(r < 0 || (size_t)r <= n);
	for (int i = 0; i < r && i < 4; i++)
		CHECK(names[i].len >= 1 && names[i].len <= DNS_NAME_MAXLEN);
	dhcp_fqdn f;
	if (dhcp_fqdn_decode(v, n, &f) == 0)
		CHECK(strlen(f.text) < sizeof f.text && f.raw_len + 3 == n);
	dhcp_subopt_iter it = dhcp_subopt_begin(v, n);
	uint8_t c;
	const uint8_t *sv;
	size_t sl, total = 0;
	while ((r = dhcp_subopt_next(&it, &c, &sv, &sl)) == 1)
		total += 2 + sl;
	CHECK(r == WARD_EDHCPOPT || (r == 0 && total == n));
	char buf[512];
	strbuf sb = strbuf_init(buf, sizeof buf);
	dhcp_opt_value_to_text(n ? v[0] : 0, n ? v + 1 : v, n ? n - 1 : 0, &sb);
	CHECK(sb.len < sizeof buf && buf[sb.len] == '\0');
}

static void check_msg(const dhcp_msg *m, size_t size)
{
	CHECK(m->op == DHCP_BOOTREQUEST || m->op == DHCP_BOOTREPLY);
	CHECK(m->hlen <= DHCP_CHADDR_LEN && m->overload <= 3);
	CHECK(m->wire_len == size && m->data_len <= size);
	CHECK(m->nopts <= 254);
	if (m->pflags & DHCP_PF_BOOTP)
		CHECK(m->nopts == 0);
	size_t sum = 0;
	for (unsigned i = 0; i < m->nopts; i++) {
		uint8_t code = m->order[i];
		CHECK(code != DHCP_OPT_PAD && code != DHCP_OPT_END);
		CHECK(m->opt[code].count > 0);
		CHECK(m->opt[code].off == sum);
		sum += m->opt[code].len;
	}
	CHECK(sum == m->data_len);
	unsigned present = 0;
	for (unsigned c = 0; c < 256; c++)
		present += m->opt[c].count > 0;
	CHECK(present == m->nopts);
	if (m->overload)
		CHECK(dhcp_opt_has(m, DHCP_OPT_OVERLOAD));
}

/* Rebuild a reply carrying every option (except 52) and parse it back. */
static void check_rebuild(const dhcp_msg *m, size_t max_size)
{
	dhcp_builder b;
	CHECK(dhcp_build_reply(&b, reply, sizeof reply, m) == 0);
	if (max_size)
		dhcp_build_set_max_size(&b, max_size);
	size_t need = 0;
	for (unsigned i = 0; i < m->nopts; i++) {
		uint8_t code = m->order[i];
		size_t n;
		const uint8_t *v = dhcp_opt_get(m, code, &n);
		if (code == DHCP_OPT_OVERLOAD)
			continue;
		CHECK(dhcp_build_opt(&b, code, v, n) == 0);
		need += enc_len(n);
	}
	size_t limit = b.limit < sizeof reply ? b.limit : sizeof reply;
	int n = dhcp_build_finish(&b);
	if (n < 0) {
		CHECK(n == WARD_ESPACE);
		CHECK(need > limit - DHCP_OPTIONS_OFF - 1); /* it did not fit */
		return;
	}
	CHECK(n >= DHCP_BOOTP_MIN_LEN && (size_t)n <= limit);
	CHECK(dhcp_parse(&back, reply, (size_t)n) == 0);
	CHECK(!(back.pflags & (DHCP_PF_NOEND | DHCP_PF_AFTER_END | DHCP_PF_BOOTP)));
	CHECK(back.op == DHCP_BOOTREPLY && back.xid == m->xid);
	CHECK(back.flags == m->flags && back.giaddr == m->giaddr);
	CHECK(memcmp(back.chaddr, m->chaddr, DHCP_CHADDR_LEN) == 0);
	if (need <= limit - DHCP_OPTIONS_OFF - 1)
		CHECK(back.overload == 0);
	unsigned j = 0;
	for (unsigned i = 0; i < back.nopts; i++) {
		uint8_t code = back.order[i];
		if (code == DHCP_OPT_OVERLOAD)
			continue;
		while (j < m->nopts && m->order[j] == DHCP_OPT_OVERLOAD)
			j++;
		CHECK(j < m->nopts && m->order[j] == code); /* same order */
		j++;
		size_t l1, l2;
		const uint8_t *v1 = dhcp_opt_get(m, code, &l1);
		const uint8_t *v2 = dhcp_opt_get(&back, code, &l2);
		CHECK(v1 && v2 && l1 == l2 && (l1 == 0 || memcmp(v1, v2, l1) == 0));
	}
	while (j < m->nopts && m->order[j] == DHCP_OPT_OVERLOAD)
		j++;
	CHECK(j == m->nopts);
	check_printers(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decoders(data, size);
	int r = dhcp_parse(&msg, data, size);
	if (r != 0) {
		CHECK(r == WARD_EDHCP || r == WARD_ECOOKIE || r == WARD_EDHCPOPT ||
		      r == WARD_EOVERLOAD);
		return 0;
	}
	check_msg(&msg, size);
	check_printers(&msg);
	for (unsigned i = 0; i < msg.nopts; i++) {
		size_t n;
		const uint8_t *v = dhcp_opt_get(&msg, msg.order[i], &n);
		check_decoders(v, n);
	}
	check_rebuild(&msg, 0);          /* the request's option 57 or 576 */
	check_rebuild(&msg, 65535);      /* as large as UDP allows */
	return 0;
}
