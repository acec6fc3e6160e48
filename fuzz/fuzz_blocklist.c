/* Fuzz harness: the blocklist parser (resolver/blocklist_parse.c) and the
 * hash set behind it (resolver/blocklist.c). The first byte picks the
 * mode (an allow-list or not, the hash seed); the rest is the list. Then
 * every blank-separated token of the input (and "x." + token) is looked
 * up: a name the parser took must be found with the flags its line gave,
 * and the counts must add up. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "resolver/blocklist.h"
#include "resolver/blocklist_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lookup(const blocklist *b, const char *s, size_t n)
{
	dns_name name, root;
	dns_name_root(&root);
	if (n == 0 || dns_name_from_text(&name, s, n, &root) != 0)
		return;
	enum bl_verdict v = blocklist_check(b, &name);
	if (v != BL_NONE && v != BL_BLOCKED && v != BL_ALLOWED)
		__builtin_trap();
	/* a name with entry flags matches itself unless only BELOW is set */
	unsigned f = blocklist_set_flags(blocklist_slot(b, 0), &name);
	if ((f & (BL_ALLOW_EXACT | BL_ALLOW_SUB)) && v != BL_ALLOWED)
		__builtin_trap();
	if ((f & (BL_BLOCK_EXACT | BL_BLOCK_SUB)) && v == BL_NONE)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const uint8_t *buf = data + 1;
	size_t len = size - 1;
	blocklist_set *s = blocklist_set_new((uint64_t)mode * 0x9e3779b97f4a7c15ull);
	blocklist *b = blocklist_new(1);
	if (!s || !b) {
		blocklist_set_free(s);
		blocklist_free(b);
		return 0;
	}
	struct blocklist_parse_stats st;
	int r = blocklist_parse(s, "fuzz", buf, len, (mode & 1) != 0, NULL,
	                        NULL, &st);
	if (r != 0)
		__builtin_trap(); /* a small input cannot fill a set */
	if (st.comments + st.bad > st.lines || blocklist_set_count(s) > st.entries)
		__builtin_trap();
	(void)blocklist_parse_usable(&st);
	blocklist_set_compact(s);
	blocklist_set_free(blocklist_swap(b, 0, s));
	const char *t = (const char *)buf;
	size_t i = 0, budget = 64;
	while (i < len && budget > 0) {
		while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
		                   t[i] == '\r'))
			i++;
		size_t t0 = i;
		while (i < len && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' &&
		       t[i] != '\r')
			i++;
		if (i > t0) {
			budget--;
			lookup(b, t + t0, i - t0);
			char tmp[300];
			if (i - t0 < sizeof tmp - 3) {
				memcpy(tmp, "x.", 2);
				memcpy(tmp + 2, t + t0, i - t0);
				lookup(b, tmp, i - t0 + 2);
			}
		}
	}
	blocklist_free(b);
	return 0;
}
