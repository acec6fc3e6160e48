/* Unit tests: EDNS(0) padding of encrypted answers (daemon/answer_pad.c,
 * RFC 7830, RFC 8467 §4.1): the padded message parses, is a multiple of
 * 468 octets, carries one Padding option of zeros after the options it
 * had; answers without OPT, with OPT not last, or already padded are left
 * alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/answer_pad.h"
#include "edns.h"
#include "msg.h"

/* nas.lan A answer, ID 7, then (when opt) an OPT record with a COOKIE */
static size_t answer(uint8_t *p, bool opt, bool opt_first)
{
	static const uint8_t head[] = {
		0x00, 0x07, 0x85, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x03, 'n', 'a', 's', 0x03, 'l', 'a', 'n', 0x00, 0x00, 0x01, 0x00, 0x01,
	};
	static const uint8_t a[] = {
		0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04,
		192, 168, 1, 5,
	};
	static const uint8_t o[] = {
		0x00, 0x00, 0x29, 0x04, 0xd0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c,
		0x00, 0x0a, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,   /* COOKIE */
	};
	size_t n = 0;
	memcpy(p, head, sizeof head);
	n += sizeof head;
	if (opt && opt_first) {
		/* OPT, then the A record in the additional section too */
		p[11] = 2;
		p[7] = 0;
		memcpy(p + n, o, sizeof o);
		n += sizeof o;
		memcpy(p + n, a, sizeof a);
		return n + sizeof a;
	}
	memcpy(p + n, a, sizeof a);
	n += sizeof a;
	if (opt) {
		p[11] = 1;
		memcpy(p + n, o, sizeof o);
		n += sizeof o;
	}
	return n;
}

static void test_padded(void **state)
{
	(void)state;
	uint8_t in[512], out[1024];
	size_t len = answer(in, true, false);
	size_t n = answer_pad(in, len, out, sizeof out);
	assert_int_equal(n, ANSWER_PAD_BLOCK);
	assert_memory_equal(out, in, len - 2 - 12);  /* up to the OPT RDLENGTH */
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, out, n), 0);
	edns_info e;
	assert_int_equal(edns_from_msg(&m, &e), 0);
	edns_opt o;
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_COOKIE, &o), 0);
	assert_int_equal(o.len, 8);
	assert_int_equal(edns_opt_find(&e, EDNS_OPT_PADDING, &o), 0);
	assert_int_equal(o.len, ANSWER_PAD_BLOCK - len - 4);
	for (size_t i = 0; i < o.len; i++)
		assert_int_equal(o.data[i], 0);
	assert_int_equal(e.udp_size, 1232);
	/* padding a padded answer again: left alone */
	uint8_t again[1024];
	assert_int_equal(answer_pad(out, n, again, sizeof again), 0);
	/* less room than a block: padded as far as it goes; no room for the
	 * option header: left alone */
	assert_int_equal(answer_pad(in, len, out, len + 10), len + 10);
	assert_int_equal(answer_pad(in, len, out, len + 3), 0);
}

static void test_left_alone(void **state)
{
	(void)state;
	uint8_t in[512], out[1024];
	size_t len = answer(in, false, false);          /* no EDNS */
	assert_int_equal(answer_pad(in, len, out, sizeof out), 0);
	len = answer(in, true, true);                   /* OPT not last */
	dns_msg m;
	assert_int_equal(dns_msg_parse(&m, in, len), 0);
	assert_int_equal(answer_pad(in, len, out, sizeof out), 0);
	assert_int_equal(answer_pad(in, 5, out, sizeof out), 0);  /* garbage */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_padded),
		cmocka_unit_test(test_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
