/* Unit tests for codec/dns_stream.c: DNS messages framed by a 2-octet
 * length on a byte stream (RFC 1035 §4.2.2, RFC 7858 §3.3), as wardd's
 * TLS upstream connections read them: whole messages from any split of
 * the bytes, several per feed, a length below a header is a sticky error,
 * the buffer is bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dns_stream.h"
#include "error.h"

/* a fake message of n bytes whose first two bytes are id */
static size_t framed(uint8_t *out, uint16_t id, size_t n)
{
	uint8_t msg[512];
	assert_true(n <= sizeof msg && n >= 2);
	for (size_t i = 0; i < n; i++)
		msg[i] = (uint8_t)(i * 7 + id);
	msg[0] = (uint8_t)(id >> 8);
	msg[1] = (uint8_t)id;
	int r = dns_stream_frame(out, msg, n);
	assert_int_equal(r, (int)n + 2);
	assert_int_equal(out[0] << 8 | out[1], (int)n);
	return (size_t)r;
}

static void test_whole_and_pipelined(void **state)
{
	(void)state;
	uint8_t buf[2048];
	size_t n = framed(buf, 0x1234, 40);
	n += framed(buf + n, 0x0001, 12);
	n += framed(buf + n, 0xbeef, 300);
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	assert_int_equal(dns_stream_rd_feed(&r, buf, n), 0);
	uint8_t *m[3];
	size_t l[3];
	for (int i = 0; i < 3; i++)
		assert_int_equal(dns_stream_rd_next(&r, &m[i], &l[i]), 1);
	assert_int_equal(dns_stream_rd_next(&r, &m[0], &l[0]), 0);
	/* all three stay valid until the next feed */
	assert_int_equal(l[0], 40);
	assert_int_equal(l[1], 12);
	assert_int_equal(l[2], 300);
	assert_int_equal(m[0][0] << 8 | m[0][1], 0x1234);
	assert_int_equal(m[1][0] << 8 | m[1][1], 0x0001);
	assert_int_equal(m[2][0] << 8 | m[2][1], 0xbeef);
	assert_memory_equal(m[2], buf + 2 + 40 + 2 + 12 + 2, 300);
	assert_int_equal(dns_stream_rd_partial(&r), 0);
	dns_stream_rd_free(&r);
}

static void test_byte_by_byte(void **state)
{
	(void)state;
	uint8_t buf[1024];
	size_t n = framed(buf, 0x4242, 200);
	n += framed(buf + n, 0x4343, 13);
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	uint8_t *m;
	size_t l;
	int got = 0;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(dns_stream_rd_feed(&r, buf + i, 1), 0);
		int k;
		while ((k = dns_stream_rd_next(&r, &m, &l)) == 1) {
			got++;
			/* a message is complete exactly at its last byte */
			assert_int_equal(i + 1, got == 1 ? 202u : n);
			assert_int_equal(l, got == 1 ? 200u : 13u);
			assert_int_equal(m[1], got == 1 ? 0x42 : 0x43);
		}
		assert_int_equal(k, 0);
	}
	assert_int_equal(got, 2);
	dns_stream_rd_free(&r);
}

static void test_partial_and_empty(void **state)
{
	(void)state;
	uint8_t buf[128];
	size_t n = framed(buf, 7, 30);
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	uint8_t *m;
	size_t l;
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 0);   /* nothing yet */
	assert_int_equal(dns_stream_rd_feed(&r, buf, 0), 0);
	assert_int_equal(dns_stream_rd_feed(&r, buf, n - 1), 0);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 0);
	assert_int_equal(dns_stream_rd_partial(&r), n - 1);  /* cut mid-message */
	assert_int_equal(dns_stream_rd_feed(&r, buf + n - 1, 1), 0);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 1);
	assert_int_equal(l, 30);
	assert_int_equal(dns_stream_rd_partial(&r), 0);
	dns_stream_rd_free(&r);
}

static void test_short_length_is_sticky(void **state)
{
	(void)state;
	/* a length of 11: no DNS message is that short (RFC 1035 §4.1.1) */
	uint8_t bad[] = { 0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	uint8_t good[64];
	size_t gn = framed(good, 1, 20);
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	uint8_t *m;
	size_t l;
	assert_int_equal(dns_stream_rd_feed(&r, good, gn), 0);
	assert_int_equal(dns_stream_rd_feed(&r, bad, sizeof bad), 0);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 1);  /* before it: fine */
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), WARD_EHEADER);
	assert_int_equal(dns_stream_rd_feed(&r, good, gn), WARD_EHEADER);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), WARD_EHEADER);
	dns_stream_rd_free(&r);
	/* a zero length too */
	dns_stream_rd_init(&r);
	uint8_t zero[] = { 0, 0 };
	assert_int_equal(dns_stream_rd_feed(&r, zero, 2), 0);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), WARD_EHEADER);
	dns_stream_rd_free(&r);
}

static void test_bounds(void **state)
{
	(void)state;
	dns_stream_rd r;
	dns_stream_rd_init(&r);
	uint8_t *big = calloc(1, DNS_STREAM_FEED_MAX + 1);
	assert_non_null(big);
	assert_int_equal(dns_stream_rd_feed(&r, big, DNS_STREAM_FEED_MAX + 1),
	                 WARD_ELIMIT);
	/* a maximal message (65535) arrives whole */
	big[0] = 0xff;
	big[1] = 0xff;
	assert_int_equal(dns_stream_rd_feed(&r, big, DNS_STREAM_FEED_MAX), 0);
	uint8_t *m;
	size_t l;
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 0);  /* 1 byte short */
	assert_int_equal(dns_stream_rd_feed(&r, big, 1), 0);
	assert_int_equal(dns_stream_rd_next(&r, &m, &l), 1);
	assert_int_equal(l, 65535);
	/* a caller that never drains hits the cap, not unbounded memory:
	 * zero bytes read as a length of 0 only once drained, so use 0xff */
	memset(big, 0xff, DNS_STREAM_FEED_MAX);
	int r1 = 0;
	for (int i = 0; i < 4 && r1 == 0; i++)
		r1 = dns_stream_rd_feed(&r, big, DNS_STREAM_FEED_MAX);
	assert_int_equal(r1, WARD_ELIMIT);
	assert_true(dns_stream_rd_partial(&r) <= DNS_STREAM_BUF_MAX);
	dns_stream_rd_free(&r);
	uint8_t out[4];
	assert_int_equal(dns_stream_frame(out, big, DNS_STREAM_MSG_MAX + 1),
	                 WARD_ELIMIT);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_and_pipelined),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_partial_and_empty),
		cmocka_unit_test(test_short_length_is_sticky),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
