/* Fuzz harness: DNS name decoding (compression, limits) and the text and
 * compressed-wire round trips of every name that decodes. The first byte
 * picks the start offset, the rest is the "message". */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t start = data[0];
	const uint8_t *msg = data + 1;
	size_t len = size - 1;
	wire_rd rd = wire_rd_init(msg, len);
	rd.pos = start < len ? start : len;
	dns_name n;
	if (dns_name_read(&rd, &n, true) != 0) {
		if (rd.err == 0)
			__builtin_trap(); /* an error must be sticky */
		return 0;
	}
	if (n.len == 0 || n.len > DNS_NAME_MAXLEN || rd.pos > len)
		__builtin_trap();

	/* text round trip */
	char text[DNS_NAME_TEXT_MAX];
	dns_name_str(&n, text);
	dns_name back;
	if (dns_name_from_text(&back, text, strlen(text), NULL) != 0)
		__builtin_trap();
	if (back.len != n.len || memcmp(back.wire, n.wire, n.len) != 0)
		__builtin_trap();

	/* compressed wire round trip, twice in one buffer */
	uint8_t out[2 * DNS_NAME_MAXLEN + 16];
	wire_wr w = wire_wr_init(out, sizeof out);
	dns_compress c;
	dns_compress_init(&c);
	dns_name_write_compressed(&w, &n, &c);
	dns_name_write_compressed(&w, &n, &c);
	if (w.err)
		__builtin_trap();
	wire_rd r2 = wire_rd_init(out, w.pos);
	dns_name a, b;
	if (dns_name_read(&r2, &a, true) || dns_name_read(&r2, &b, true))
		__builtin_trap();
	if (!dns_name_equal(&a, &n) || !dns_name_equal(&b, &n) || r2.pos != w.pos)
		__builtin_trap();

	/* canonical comparison is a consistent order */
	dns_name lowered = n;
	dns_name_lower(&lowered);
	if (dns_name_canon_cmp(&lowered, &n) != 0 || !dns_name_is_subdomain(&n, &lowered))
		__builtin_trap();
	return 0;
}
