/* libFuzzer harness: tools/diff_compare.c on two untrusted answers.
 * Input: a 2-octet big-endian length of answer A, A, then answer B. Both
 * are compared (set and ordered, with and without TTLs) and printed in
 * the short and the JSON form. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/diff_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (size < 2 || !sink)
		return 0;
	size_t alen = (size_t)data[0] << 8 | data[1];
	if (alen > size - 2)
		alen = size - 2;
	const uint8_t *a = data + 2, *b = a + alen;
	size_t blen = size - 2 - alen;
	struct diff_opts o1 = { false, false }, o2 = { true, true };
	unsigned k1 = diff_compare(a, alen, b, blen, &o1);
	unsigned k2 = diff_compare(a, alen, b, blen, &o2);
	/* TTLs and order only add differences */
	if ((k1 & ~k2) != 0)
		__builtin_trap();
	if (diff_compare(a, alen, a, alen, &o1) != 0)
		__builtin_trap(); /* an answer agrees with itself */
	diff_print_short(sink, "  ", a, alen, 0xff);
	diff_print_json(sink, b, blen);
	return 0;
}
