/* Unit tests: the dashboard's hand-added blocklist names
 * (resolver/blocklist_entries.c): the file's lines parsed into entries
 * and other lines kept verbatim, written back unchanged, names typed by a
 * person checked and normalised, add and remove, the limits, and the
 * written text read by the ordinary list parser with the meaning the
 * page promises (a blocked name and below, an allowed name winning). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/error.h"
#include "codec/name.h"
#include "resolver/blocklist.h"
#include "resolver/blocklist_entries.h"
#include "resolver/blocklist_parse.h"

static int parse_str(struct bl_entries *e, const char *s)
{
	return bl_entries_parse(e, (const uint8_t *)s, strlen(s));
}

static void test_parse_kinds(void **state)
{
	(void)state;
	struct bl_entries e;
	bl_entries_init(&e);
	const char *text =
		"\xef\xbb\xbf# my list\r\n"
		"Ads.Example.\r\n"
		"  @@||good.ads.example^  \n"
		"\n"
		"0.0.0.0 hosts.example\n"
		"*.wild.example\n"
		"localhost\n"
		"tracker.example";
	assert_int_equal(parse_str(&e, text), 0);
	assert_int_equal(e.n, 8);
	assert_int_equal(e.v[0].kind, BL_ENTRY_OTHER);
	assert_string_equal(e.v[0].text, "# my list");
	assert_int_equal(e.v[1].kind, BL_ENTRY_BLOCK);
	assert_string_equal(e.v[1].text, "ads.example");
	assert_int_equal(e.v[2].kind, BL_ENTRY_ALLOW);
	assert_string_equal(e.v[2].text, "good.ads.example");
	assert_int_equal(e.v[3].kind, BL_ENTRY_OTHER);
	assert_string_equal(e.v[3].text, "");
	assert_int_equal(e.v[4].kind, BL_ENTRY_OTHER);
	assert_string_equal(e.v[4].text, "0.0.0.0 hosts.example");
	assert_int_equal(e.v[5].kind, BL_ENTRY_OTHER);   /* a wildcard */
	assert_int_equal(e.v[6].kind, BL_ENTRY_OTHER);   /* never blocked */
	assert_int_equal(e.v[7].kind, BL_ENTRY_BLOCK);
	assert_string_equal(e.v[7].text, "tracker.example");
	assert_int_equal(bl_entries_count(&e, BL_ENTRY_BLOCK), 2);
	assert_int_equal(bl_entries_count(&e, BL_ENTRY_ALLOW), 1);
	assert_int_equal(bl_entries_count(&e, BL_ENTRY_OTHER), 5);
	assert_int_equal(bl_entries_find(&e, "tracker.example"), 7);
	assert_int_equal(bl_entries_find(&e, "good.ads.example"), 2);
	assert_int_equal(bl_entries_find(&e, "hosts.example"), -1);

	/* written back: our lines normalised, the others as they were */
	char *out;
	size_t len;
	assert_int_equal(bl_entries_format(&e, &out, &len), 0);
	assert_string_equal(out, "# my list\nads.example\n@@||good.ads.example^\n"
	                    "\n0.0.0.0 hosts.example\n*.wild.example\nlocalhost\n"
	                    "tracker.example\n");
	assert_int_equal(len, strlen(out));
	/* and read again: the same entries */
	struct bl_entries again;
	bl_entries_init(&again);
	assert_int_equal(bl_entries_parse(&again, (const uint8_t *)out, len), 0);
	assert_int_equal(again.n, e.n);
	for (size_t i = 0; i < e.n; i++) {
		assert_int_equal(again.v[i].kind, e.v[i].kind);
		assert_string_equal(again.v[i].text, e.v[i].text);
	}
	free(out);
	bl_entries_free(&again);
	bl_entries_free(&e);
	assert_null(e.v);
	assert_int_equal(e.n, 0);
}

static void test_parse_edges(void **state)
{
	(void)state;
	struct bl_entries e;
	bl_entries_init(&e);
	assert_int_equal(bl_entries_parse(&e, NULL, 0), 0);
	assert_int_equal(e.n, 0);
	/* a NUL byte cuts the line: classified as cut, so it reads back */
	static const uint8_t nul[] = "x.example\0junk\nnext.example\n";
	assert_int_equal(bl_entries_parse(&e, nul, sizeof nul - 1), 0);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.v[0].kind, BL_ENTRY_BLOCK);
	assert_string_equal(e.v[0].text, "x.example");
	/* parse empties what was there */
	assert_int_equal(parse_str(&e, "# only\n"), 0);
	assert_int_equal(e.n, 1);
	/* too many lines: refused whole */
	size_t n = BL_ENTRIES_MAX + 1;
	char *big = malloc(n * 2 + 1);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		memcpy(big + 2 * i, "#\n", 2);
	assert_int_equal(bl_entries_parse(&e, (const uint8_t *)big, n * 2),
	                 WARD_ELIMIT);
	assert_int_equal(e.n, 0);
	assert_int_equal(bl_entries_parse(&e, (const uint8_t *)big,
	                                  BL_ENTRIES_MAX * 2), 0);
	assert_int_equal(e.n, BL_ENTRIES_MAX);
	free(big);
	assert_int_equal(bl_entries_parse(&e, (const uint8_t *)"x",
	                                  BL_ENTRIES_FILE_MAX + 1), WARD_ELIMIT);
	bl_entries_free(&e);
}

static void test_name_check(void **state)
{
	(void)state;
	char out[BL_ENTRY_NAME_MAX + 1];
	const char *why = NULL;
	assert_int_equal(bl_entries_name("  Ads.Example.COM. ", out, &why), 0);
	assert_string_equal(out, "ads.example.com");
	assert_int_equal(bl_entries_name("_dmarc.x-y.example", out, &why), 0);
	assert_string_equal(out, "_dmarc.x-y.example");
	assert_int_equal(bl_entries_name("lan", out, &why), 0);

	static const char *const bad[] = {
		"", "   ", ".", "a..b", ".a.b", "bad name!", "http://x.example/",
		"*.x.example", "a/b", "localhost", "LOCALHOST.", "192.168.1.1",
		"caf\xc3\xa9.example", "x\ty.example",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(bl_entries_name(bad[i], out, &why), WARD_EINVAL);
		assert_non_null(why);
		assert_true(strlen(why) > 5);
	}
	assert_int_equal(bl_entries_name(NULL, out, NULL), WARD_EINVAL);
	/* label and name lengths */
	char s[300];
	memset(s, 'a', 63);
	strcpy(s + 63, ".example");
	assert_int_equal(bl_entries_name(s, out, &why), 0);
	memset(s, 'a', 64);
	strcpy(s + 64, ".example");
	assert_int_equal(bl_entries_name(s, out, &why), WARD_EINVAL);
	assert_non_null(strstr(why, "63"));
	/* 4 labels of 63 = 255 characters with the dots: too long */
	for (int i = 0; i < 4; i++) {
		memset(s + 64 * i, 'b', 63);
		s[64 * i + 63] = '.';
	}
	s[64 * 4 - 1] = 0;
	assert_int_equal(bl_entries_name(s, out, &why), WARD_EINVAL);
	assert_non_null(strstr(why, "253"));
	s[64 * 3 + 61] = 0;       /* 253 characters */
	assert_int_equal(strlen(s), 253);
	assert_int_equal(bl_entries_name(s, out, &why), 0);
}

static void test_add_remove(void **state)
{
	(void)state;
	struct bl_entries e;
	bl_entries_init(&e);
	assert_int_equal(bl_entries_add(&e, "ads.example", false), 0);
	/* the first name brings a comment line saying what the file is */
	assert_int_equal(e.n, 2);
	assert_int_equal(e.v[0].kind, BL_ENTRY_OTHER);
	assert_true(e.v[0].text[0] == '#');
	assert_int_equal(bl_entries_add(&e, "ok.ads.example", true), 0);
	assert_int_equal(bl_entries_add(&e, "ads.example", false), 1);
	assert_int_equal(bl_entries_add(&e, "ads.example", true), 1);
	assert_int_equal(e.n, 3);
	char *out;
	size_t len;
	assert_int_equal(bl_entries_format(&e, &out, &len), 0);
	assert_non_null(strstr(out, "\nads.example\n@@||ok.ads.example^\n"));
	free(out);

	struct bl_entries copy;
	bl_entries_init(&copy);
	assert_int_equal(bl_entries_copy(&copy, &e), 0);
	assert_int_equal(bl_entries_remove(&copy, "ads.example"), 0);
	assert_int_equal(bl_entries_remove(&copy, "ads.example"), WARD_ENOTFOUND);
	assert_int_equal(bl_entries_find(&copy, "ads.example"), -1);
	assert_int_equal(bl_entries_find(&e, "ads.example"), 1); /* a copy */
	assert_int_equal(bl_entries_remove(&copy, "ok.ads.example"), 0);
	assert_int_equal(copy.n, 1);                  /* the comment stays */
	/* duplicates in a hand-edited file all go */
	assert_int_equal(parse_str(&copy, "d.example\n#x\nD.example.\n"), 0);
	assert_int_equal(bl_entries_remove(&copy, "d.example"), 0);
	assert_int_equal(copy.n, 1);
	assert_string_equal(copy.v[0].text, "#x");
	bl_entries_free(&copy);
	bl_entries_free(&e);
}

static void test_limit_on_add(void **state)
{
	(void)state;
	struct bl_entries e;
	bl_entries_init(&e);
	char nm[32];
	int r = 0;
	size_t i;
	for (i = 0; i < BL_ENTRIES_MAX + 5 && r == 0; i++) {
		snprintf(nm, sizeof nm, "n%zu.example", i);
		r = bl_entries_add(&e, nm, false);
	}
	assert_int_equal(r, WARD_ELIMIT);
	assert_int_equal(e.n, BL_ENTRIES_MAX);
	bl_entries_free(&e);
}

/* the written file means to the list parser what the page says */
static unsigned verdict(const blocklist *b, const char *name)
{
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, name, strlen(name), &root), 0);
	return blocklist_check(b, &n);
}

static void test_file_is_a_list(void **state)
{
	(void)state;
	struct bl_entries e;
	bl_entries_init(&e);
	assert_int_equal(bl_entries_add(&e, "ads.example", false), 0);
	assert_int_equal(bl_entries_add(&e, "ok.ads.example", true), 0);
	char *out;
	size_t len;
	assert_int_equal(bl_entries_format(&e, &out, &len), 0);
	blocklist_set *s = blocklist_set_new(42);
	blocklist *b = blocklist_new(1);
	assert_non_null(s);
	assert_non_null(b);
	struct blocklist_parse_stats st;
	assert_int_equal(blocklist_parse(s, "dash", (const uint8_t *)out, len,
	                                 false, NULL, NULL, &st), 0);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.entries, 2);
	blocklist_swap(b, 0, s);
	assert_int_equal(verdict(b, "ads.example"), BL_BLOCKED);
	assert_int_equal(verdict(b, "x.y.ads.example"), BL_BLOCKED);
	assert_int_equal(verdict(b, "ok.ads.example"), BL_ALLOWED);
	assert_int_equal(verdict(b, "a.ok.ads.example"), BL_ALLOWED);
	assert_int_equal(verdict(b, "example"), BL_NONE);
	assert_int_equal(verdict(b, "xads.example"), BL_NONE);
	blocklist_free(b);
	free(out);
	bl_entries_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_edges),
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_add_remove),
		cmocka_unit_test(test_limit_on_add),
		cmocka_unit_test(test_file_is_a_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
