/* The built-in root trust anchors (res_anchors_add_root) against the copy
 * Debian's dns-root-data publishes (/usr/share/dns/root.ds, from IANA's
 * root-anchors.xml): same key tags, algorithms, digest types and digests.
 * Skipped, with the reason printed, when the package is not installed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "resolver/validator.h"

#define ROOT_DS "/usr/share/dns/root.ds"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(65536);
	*len = buf ? fread(buf, 1, 65535, f) : 0;
	fclose(f);
	return buf;
}

static bool has_same(const struct res_anchors *a, const dns_rr *rr)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->rrs[i].type == rr->type && a->rrs[i].rdlen == rr->rdlen &&
		    memcmp(a->rrs[i].rdata, rr->rdata, rr->rdlen) == 0 &&
		    dns_name_equal(&a->rrs[i].owner, &rr->owner))
			return true;
	return false;
}

static void test_builtin_matches_dns_root_data(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = slurp(ROOT_DS, &len);
	if (!text) {
		printf("skip: %s not present (Debian package dns-root-data)\n",
		       ROOT_DS);
		skip();
	}
	struct res_anchors pub, builtin;
	memset(&pub, 0, sizeof pub);
	memset(&builtin, 0, sizeof builtin);
	char err[256];
	assert_int_equal(res_anchors_parse(&pub, text, len, ROOT_DS, err,
	                                   sizeof err), 0);
	free(text);
	assert_int_equal(res_anchors_add_root(&builtin), 0);
	assert_true(pub.n >= 1);
	/* every published DS is built in, and nothing else is */
	for (size_t i = 0; i < pub.n; i++)
		assert_true(has_same(&builtin, &pub.rrs[i]));
	assert_int_equal(builtin.n, pub.n);
	res_anchors_free(&pub);
	res_anchors_free(&builtin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_matches_dns_root_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
