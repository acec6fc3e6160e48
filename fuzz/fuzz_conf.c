/* Fuzz harness: the dnsmasq-syntax configuration parser (daemon/conf*.c).
 * The input is one configuration file in memory; includes find no files
 * (the harness's conf_io refuses them), so nothing outside the input is
 * read. Every configuration that loads without errors is dumped, the dump
 * loaded again, and it must load without errors and dump the same (the
 * dump is a faithful, re-readable normal form). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/conf.h"
#include "error.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_file(void *ctx, const char *path, char **text, size_t *len,
                   uint64_t id[2], const char **why)
{
	(void)ctx;
	(void)path;
	(void)text;
	(void)len;
	(void)id;
	*why = "no files while fuzzing";
	return WARD_ENOTFOUND;
}

static int no_dir(void *ctx, const char *path, char ***names, size_t *n,
                  const char **why)
{
	(void)ctx;
	(void)path;
	(void)names;
	(void)n;
	*why = "no directories while fuzzing";
	return WARD_ENOTFOUND;
}

static const conf_io fuzz_io = { no_file, no_dir, NULL };

static char d1[1 << 20], d2[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	ward_conf c;
	if (conf_init(&c, &fuzz_io))
		return 0;
	int r = conf_load_buffer(&c, "fuzz", (const char *)data, size);
	if (r == WARD_ENOMEM)
		goto out;
	conf_finish(&c);
	for (size_t i = 0; i < c.diags.n; i++)
		if (!c.diags.v[i].text || !c.diags.v[i].text[0])
			__builtin_trap(); /* every message says something */
	if (c.errors == 0) {
		strbuf sb = strbuf_init(d1, sizeof d1);
		if (conf_dump(&c, &sb) != 0)
			goto out; /* bigger than the buffer: not a bug */
		ward_conf c2;
		if (conf_init(&c2, &fuzz_io))
			goto out;
		conf_load_buffer(&c2, "dump", d1, sb.len);
		if (c2.errors)
			__builtin_trap(); /* the dump must load */
		strbuf sb2 = strbuf_init(d2, sizeof d2);
		if (conf_dump(&c2, &sb2) != 0 || sb.len != sb2.len ||
		    memcmp(d1, d2, sb.len) != 0)
			__builtin_trap(); /* ... and dump the same */
		conf_free(&c2);
	}
out:
	conf_free(&c);
	return 0;
}
