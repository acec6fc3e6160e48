/* Fuzz harness: the zone-file parser and the rdata text codec. Every record
 * that parses is printed, the text parsed again, and both records must be
 * the same on the wire (presentation format round trip). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/rr.h"
#include "codec/zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t rdata[DNS_RDATA_MAX + 1];
static uint8_t rdata2[DNS_RDATA_MAX + 1];
static char text[8 * DNS_RDATA_MAX];
static uint8_t w1[DNS_RDATA_MAX + 512], w2[DNS_RDATA_MAX + 512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	dns_name origin;
	if (dns_name_from_text(&origin, "example.", 8, NULL))
		__builtin_trap();
	zone_parser p;
	zone_parser_init(&p, (const char *)data, size, &origin, 3600, "fuzz");
	dns_rr rr;
	int r;
	unsigned records = 0, errors = 0;
	while ((r = zone_parser_next(&p, &rr, rdata, sizeof rdata)) != 0) {
		if (r < 0) {
			if (p.errmsg[0] == '\0')
				__builtin_trap(); /* every error names file:line */
			if (++errors > 1000)
				break;
			continue;
		}
		if (++records > 1000)
			break;
		if (dns_rdata_check(rr.type, rr.rdata, rr.rdlen) != 0)
			__builtin_trap();
		strbuf sb = strbuf_init(text, sizeof text);
		if (dns_rr_to_text(&rr, &sb) != 0 || sb.err)
			__builtin_trap();
		dns_rr back;
		if (zone_parse_rr_line(text, &origin, &back, rdata2, sizeof rdata2) != 0)
			__builtin_trap();
		wire_wr a = wire_wr_init(w1, sizeof w1), b = wire_wr_init(w2, sizeof w2);
		dns_rr_write(&a, &rr);
		dns_rr_write(&b, &back);
		if (a.err || b.err || a.pos != b.pos || memcmp(w1, w2, a.pos) != 0)
			__builtin_trap();
	}
	zone_parser_free(&p);
	return 0;
}
