/* Fuzz harness: dnsmasq's lease-file text (dhcp/lease_text.c). The input is
 * a whole lease file. Every lease the parser accepts must format to a line
 * of at most LEASE_TEXT_LINE_MAX octets that parses back to the same lease
 * (the writer and the reader agree), and must encode to a journal record
 * that decodes back to it. Counts must add up. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/error.h"
#include "dhcp/lease_journal.h"
#include "dhcp/lease_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_lease(void *ctx, const struct dhcp_lease *l, unsigned line)
{
	(void)ctx;
	if (line == 0)
		__builtin_trap();
	char buf[LEASE_TEXT_LINE_MAX + 1];
	strbuf sb = strbuf_init(buf, sizeof(buf));
	if (lease_text_format(&sb, l) != 0 || sb.len > LEASE_TEXT_LINE_MAX)
		__builtin_trap();
	struct dhcp_lease back;
	enum lease_line_kind kind;
	if (lease_text_parse_line(buf, sb.len, &back, &kind) != 0 || kind != LEASE_LINE_V4)
		__builtin_trap();
	if (memcmp(&back, l, sizeof(back)) != 0)
		__builtin_trap();
	uint8_t rec[LEASE_JOURNAL_REC_MAX];
	size_t len, used;
	enum dhcp_lease_op op;
	if (lease_journal_encode(DHCP_LEASE_PUT, l, rec, sizeof(rec), &len) != 0)
		__builtin_trap();
	if (lease_journal_decode(rec, len, &op, &back, &used) != 0 || used != len ||
	    op != DHCP_LEASE_PUT || memcmp(&back, l, sizeof(back)) != 0)
		__builtin_trap();
	return 0;
}

static void on_bad(void *ctx, unsigned line, int err)
{
	(void)ctx;
	if (line == 0 || err >= 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lease_text_sink sink = { on_lease, on_bad, NULL };
	struct lease_text_stats st;
	if (lease_text_parse((const char *)data, size, &sink, &st) != 0)
		__builtin_trap();
	if (st.leases + st.bad + st.duid + st.v6 + st.extra > st.lines)
		__builtin_trap();
	if ((st.bad == 0) != (st.first_bad == 0))
		__builtin_trap();
	return 0;
}
