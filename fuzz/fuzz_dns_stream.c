/* Fuzz harness: the DNS-over-stream framing reader (codec/dns_stream.c)
 * that wardd's TLS upstream connections feed with what the server sends.
 * The first byte picks how the rest is cut into feeds (1..256 bytes at a
 * time, varying), so every split of length prefixes and messages is
 * tried. Invariants: every message handed out is at least a header long,
 * lies inside what was fed, and the messages plus their prefixes add up
 * to the bytes consumed; an error is sticky. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cursor.h"
#include "codec/dns_stream.h"
#include "codec/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t step = data[0];
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	size_t fed = 0, consumed = 0;
	int err = 0;
	while (fed < n && !err) {
		size_t chunk = 1u + (size_t)((step + fed) & 0xff);
		if (chunk > n - fed)
			chunk = n - fed;
		int f = dns_stream_rd_feed(&r, p + fed, chunk);
		if (f < 0) {
			err = f;
			break;
		}
		fed += chunk;
		uint8_t *m;
		size_t ml;
		int k;
		while ((k = dns_stream_rd_next(&r, &m, &ml)) == 1) {
			if (ml < DNS_STREAM_MSG_MIN || ml > DNS_STREAM_MSG_MAX)
				__builtin_trap();
			/* the message is the fed bytes right after its prefix */
			if (consumed + 2 + ml > fed ||
			    memcmp(m, p + consumed + 2, ml) != 0)
				__builtin_trap();
			wire_rd rd = wire_rd_init(m, ml);
			uint16_t id = wire_rd_u16(&rd);
			if (rd.err || id != (uint16_t)(p[consumed + 2] << 8 |
			                               p[consumed + 3]))
				__builtin_trap();
			/* what wardd does to a reply: put the engine's ID back */
			m[0] = (uint8_t)~m[0];
			consumed += 2 + ml;
		}
		if (k < 0)
			err = k;
		if (!err && consumed + dns_stream_rd_partial(&r) != fed)
			__builtin_trap();
	}
	if (err) {
		uint8_t *m;
		size_t ml;
		if (err != WARD_EHEADER && err != WARD_ELIMIT && err != WARD_ENOMEM)
			__builtin_trap();
		if (err == WARD_EHEADER &&
		    (dns_stream_rd_next(&r, &m, &ml) != err ||
		     dns_stream_rd_feed(&r, p, n ? 1 : 0) != err))
			__builtin_trap();     /* sticky */
	}
	dns_stream_rd_free(&r);
	return 0;
}
