/* Test helper: records from zone-file text held in the test source (RFC
 * example data), parsed with the codec's zone parser. */
#ifndef WARD_HELPER_ZONETEXT_H
#define WARD_HELPER_ZONETEXT_H

#include <stddef.h>
#include <stdint.h>

#include "codec/rr.h"

#define ZT_MAXRR 32
#define ZT_RDATA 512

typedef struct zt_records {
	dns_rr rr[ZT_MAXRR];
	uint8_t data[ZT_MAXRR][ZT_RDATA];
	size_t n;
} zt_records;

/* Parse text ($ORIGIN/$TTL allowed; default TTL 3600) into z, replacing
 * what it held. Returns the record count, or a negative ward_err (the
 * message is printed to stderr). */
int zt_load(zt_records *z, const char *text);

/* A name from presentation text (absolute); aborts the test run on error. */
dns_name zt_name(const char *text);

#endif
