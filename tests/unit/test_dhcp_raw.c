/* Unit tests: daemon/dhcp_raw.c — the IPv4+UDP datagram wardd sends through
 * its packet socket to a client without an address: header fields, the
 * RFC 791 header checksum and the RFC 768 UDP checksum (pseudo header),
 * checked by summing the result the way a receiver does (a correct
 * checksum makes the one's-complement sum 0xffff), odd payload lengths,
 * a known vector, and the size limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/dhcp_serve.h"

static uint32_t ones_sum(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return acc;
}

/* the receiver's check of the UDP checksum: pseudo header + segment */
static uint32_t udp_verify(const uint8_t *dg, size_t n)
{
	uint8_t ph[12];
	memcpy(ph, dg + 12, 8);
	ph[8] = 0;
	ph[9] = 17;
	ph[10] = (uint8_t)((n - 20) >> 8);
	ph[11] = (uint8_t)(n - 20);
	return ones_sum(dg + 20, n - 20, ones_sum(ph, 12, 0));
}

static void test_fields_and_checksums(void **state)
{
	(void)state;
	uint8_t payload[300], dg[400];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 1; len <= sizeof payload; len += 37) {
		size_t n = dhcp_raw_build(dg, sizeof dg, 0x0a350001, 67, 0x0a350064,
		                          68, payload, len);
		assert_int_equal(n, 28 + len);
		assert_int_equal(dg[0], 0x45);
		assert_int_equal(dg[2] << 8 | dg[3], 28 + len);
		assert_int_equal(dg[9], 17);
		assert_memory_equal(dg + 12, "\x0a\x35\x00\x01\x0a\x35\x00\x64", 8);
		assert_int_equal(dg[20] << 8 | dg[21], 67);
		assert_int_equal(dg[22] << 8 | dg[23], 68);
		assert_int_equal(dg[24] << 8 | dg[25], 8 + len);
		assert_memory_equal(dg + 28, payload, len);
		assert_int_equal(ones_sum(dg, 20, 0), 0xffff);
		assert_int_not_equal(dg[26] << 8 | dg[27], 0);
		assert_int_equal(udp_verify(dg, n), 0xffff);
		/* a flipped payload bit is caught */
		dg[28 + len / 2] ^= 0x10;
		assert_int_not_equal(udp_verify(dg, n), 0xffff);
	}
}

/* A header checksum worked out by hand (RFC 1071 §1): the words of
 * 45 00 00 1d 00 00 00 00 40 11 .. .. 0a 35 00 01 ff ff ff ff */
static void test_known_header(void **state)
{
	(void)state;
	uint8_t dg[64];
	const uint8_t one = 0x42;
	size_t n = dhcp_raw_build(dg, sizeof dg, 0x0a350001, 67, 0xffffffffu, 68,
	                          &one, 1);
	assert_int_equal(n, 29);
	/* 4500+001d+4011+0a35+0001+ffff+ffff = 0x2 8f62 -> 0x8f64,
	 * complemented: 0x709b */
	assert_int_equal(dg[10] << 8 | dg[11], 0x709b);
}

static void test_too_big(void **state)
{
	(void)state;
	uint8_t payload[100], dg[120];
	memset(payload, 0, sizeof payload);
	assert_int_equal(dhcp_raw_build(dg, sizeof dg, 1, 67, 2, 68, payload, 93), 0);
	assert_int_equal(dhcp_raw_build(dg, sizeof dg, 1, 67, 2, 68, payload, 92), 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_checksums),
		cmocka_unit_test(test_known_header),
		cmocka_unit_test(test_too_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
