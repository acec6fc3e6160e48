/* Unit tests for daemon/udp_gso.c: which held UDP answers leave together as
 * one GSO send. The kernel's rules (all segments of one send the same size
 * but the last, which may be shorter; one destination; a cap on segments)
 * and ours (segments no bigger than 1232 bytes) must each split a run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daemon/udp_gso.h"

#define MAXK 160

struct batch {
	size_t len[MAXK];
	bool same[MAXK];
	unsigned k;
};

/* one client: every answer after the first goes where the one before went */
static void one_client(struct batch *b, const size_t *len, unsigned k)
{
	b->k = k;
	for (unsigned i = 0; i < k; i++) {
		b->len[i] = len[i];
		b->same[i] = i > 0;
	}
}

static unsigned group(const struct batch *b, bool gso, struct udp_gso_run *r)
{
	unsigned n = udp_gso_group(b->len, b->same, b->k, gso, r);
	/* whatever the grouping, the runs cover every answer once, in order */
	unsigned next = 0;
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(r[i].first, next);
		assert_true(r[i].n >= 1);
		size_t bytes = 0;
		for (unsigned j = r[i].first; j < r[i].first + r[i].n; j++)
			bytes += b->len[j];
		assert_int_equal(r[i].bytes, bytes);
		next += r[i].n;
	}
	assert_int_equal(next, b->k);
	return n;
}

static void test_same_size_one_run(void **state)
{
	(void)state;
	struct batch b;
	size_t len[20];
	for (unsigned i = 0; i < 20; i++)
		len[i] = 63;
	one_client(&b, len, 20);
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, true, r), 1);
	assert_int_equal(r[0].n, 20);
	assert_int_equal(r[0].seg, 63);
	assert_int_equal(r[0].bytes, 20 * 63);
}

static void test_gso_off_every_answer_alone(void **state)
{
	(void)state;
	struct batch b;
	size_t len[5] = { 63, 63, 63, 63, 63 };
	one_client(&b, len, 5);
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, false, r), 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(r[i].n, 1);
		assert_int_equal(r[i].seg, 0);
	}
}

static void test_shorter_ends_run(void **state)
{
	(void)state;
	struct batch b;
	size_t len[6] = { 50, 50, 40, 50, 50, 50 };
	one_client(&b, len, 6);
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, true, r), 2);
	assert_int_equal(r[0].n, 3); /* 50 50 40: the shorter one is the last */
	assert_int_equal(r[0].seg, 50);
	assert_int_equal(r[1].first, 3);
	assert_int_equal(r[1].n, 3);
}

static void test_longer_starts_new_run(void **state)
{
	(void)state;
	struct batch b;
	size_t len[4] = { 40, 50, 50, 60 };
	one_client(&b, len, 4);
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, true, r), 3);
	assert_int_equal(r[0].n, 1); /* 40 then 50: segments never grow */
	assert_int_equal(r[0].seg, 0);
	assert_int_equal(r[1].n, 2);
	assert_int_equal(r[1].seg, 50);
	assert_int_equal(r[2].n, 1);
}

static void test_other_client_splits(void **state)
{
	(void)state;
	struct batch b;
	size_t len[6] = { 50, 50, 50, 50, 50, 50 };
	one_client(&b, len, 6);
	b.same[2] = false; /* answers 2.. go to another client */
	b.same[5] = false; /* and 5 to a third (or back to the first) */
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, true, r), 3);
	assert_int_equal(r[0].n, 2);
	assert_int_equal(r[1].first, 2);
	assert_int_equal(r[1].n, 3);
	assert_int_equal(r[2].first, 5);
	assert_int_equal(r[2].n, 1);
}

static void test_big_answers_alone(void **state)
{
	(void)state;
	struct batch b;
	size_t len[4] = { UDP_GSO_LEN_MAX, UDP_GSO_LEN_MAX, UDP_GSO_LEN_MAX + 1,
	                  UDP_GSO_LEN_MAX + 1 };
	one_client(&b, len, 4);
	struct udp_gso_run r[MAXK];
	assert_int_equal(group(&b, true, r), 3);
	assert_int_equal(r[0].n, 2); /* 1232 is still allowed */
	assert_int_equal(r[0].seg, UDP_GSO_LEN_MAX);
	assert_int_equal(r[1].n, 1); /* bigger ones may need IP fragments */
	assert_int_equal(r[2].n, 1);
}

static void test_segment_cap(void **state)
{
	(void)state;
	struct batch b;
	size_t len[MAXK];
	for (unsigned i = 0; i < MAXK; i++)
		len[i] = 30;
	one_client(&b, len, MAXK);
	struct udp_gso_run r[MAXK];
	unsigned n = group(&b, true, r);
	assert_int_equal(n, (MAXK + UDP_GSO_SEG_MAX - 1) / UDP_GSO_SEG_MAX);
	for (unsigned i = 0; i < n; i++)
		assert_true(r[i].n <= UDP_GSO_SEG_MAX);
	assert_int_equal(r[0].n, UDP_GSO_SEG_MAX);
}

static void test_empty_and_single(void **state)
{
	(void)state;
	struct batch b;
	size_t len[1] = { 80 };
	struct udp_gso_run r[MAXK];
	one_client(&b, len, 0);
	assert_int_equal(group(&b, true, r), 0);
	one_client(&b, len, 1);
	assert_int_equal(group(&b, true, r), 1);
	assert_int_equal(r[0].n, 1);
	assert_int_equal(r[0].seg, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_size_one_run),
		cmocka_unit_test(test_gso_off_every_answer_alone),
		cmocka_unit_test(test_shorter_ends_run),
		cmocka_unit_test(test_longer_starts_new_run),
		cmocka_unit_test(test_other_client_splits),
		cmocka_unit_test(test_big_answers_alone),
		cmocka_unit_test(test_segment_cap),
		cmocka_unit_test(test_empty_and_single),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
