/* Fuzz harness: the hosts-file parser (resolver/hosts.c) from a buffer, then
 * lookups in the store of every whitespace-separated token of the input as a
 * name (several types) and of the reverse names of the addresses it loaded.
 * The first byte picks the settings (expand-hosts, domain-needed, bogus-priv,
 * a local=/ and address=/ rule). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "resolver/hosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct local_result *r)
{
	if (r->n > LOCAL_RESULT_MAX)
		__builtin_trap();
	for (size_t i = 0; i < r->n; i++)
		if (r->rrs[i].rdlen > 0 && !r->rrs[i].rdata)
			__builtin_trap();
	if (r->kind != LOCAL_ANSWER && r->n != 0)
		__builtin_trap();
}

static void lookup(const localdata *ld, const char *s, size_t n)
{
	static const uint16_t types[] = { 1, 28, 12, 5, 16, 15, 33, 255 };
	dns_name name, root;
	struct local_result r;
	dns_name_root(&root);
	if (n == 0 || dns_name_from_text(&name, s, n, &root) != 0)
		return;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		if (localdata_answer(ld, &name, types[t], &r) != 0)
			__builtin_trap();
		check(&r);
		uint8_t a[16];
		int fam = localdata_reverse_parse(&name, a);
		if (fam) {
			dns_name back;
			if (localdata_reverse_name(fam, a, &back) != 0)
				__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	localdata *ld = localdata_new();
	if (!ld)
		return 0;
	if (mode & 1) {
		localdata_set_domain(ld, "lan");
		localdata_set_expand_hosts(ld, true);
	}
	localdata_set_domain_needed(ld, (mode & 2) != 0);
	localdata_set_bogus_priv(ld, (mode & 4) != 0);
	if (mode & 8)
		localdata_add_local(ld, "lan");
	if (mode & 16)
		localdata_add_address(ld, "example", 0, NULL);
	struct localdata_load_stats st = { 0 };
	if (hosts_load_buffer(ld, "fuzz", buf, len, NULL, NULL, &st) != 0)
		goto out;
	if (st.bad > st.lines)
		__builtin_trap();
	/* every token as a name, and name.lan */
	size_t i = 0, budget = 64;
	while (i < len && budget > 0) {
		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
			i++;
		size_t t0 = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n')
			i++;
		if (i > t0) {
			budget--;
			lookup(ld, buf + t0, i - t0);
			char tmp[300];
			if (i - t0 < sizeof(tmp) - 5) {
				memcpy(tmp, buf + t0, i - t0);
				memcpy(tmp + (i - t0), ".lan", 4);
				lookup(ld, tmp, i - t0 + 4);
			}
		}
	}
	if (mode & 32)
		localdata_lease_add(ld, "fuzzhost", AF_INET, "\x0a\x00\x00\x01");
	if (mode & 64)
		localdata_lease_remove(ld, "fuzzhost");
out:
	localdata_free(ld);
	return 0;
}
