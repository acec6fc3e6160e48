/* ward lease: look at a lease file (dnsmasq's format) and its journal the
 * way wardd reads them, and fold the journal into the file.
 *
 *   ward lease check FILE     report: leases, bad lines (FILE:LINE: error),
 *                             skipped lines, journal records, torn tail
 *   ward lease dump FILE      the current leases (FILE + FILE.journal) as
 *                             dnsmasq lease-file lines, by address
 *   ward lease compact FILE   write the current leases to FILE and empty
 *                             the journal (takes the lock: not while wardd
 *                             runs on FILE)
 *
 * check and dump never write (they work while wardd runs).
 * Exit status: 0 clean, 1 bad lines or a torn journal tail found, 2 error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "daemon/lease_store.h"
#include "error.h"
#include "strbuf.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ward lease check FILE\n"
	        "       ward lease dump FILE\n"
	        "       ward lease compact FILE\n"
	        "\n"
	        "FILE is a DHCP lease file in dnsmasq's format (dhcp-leasefile=);\n"
	        "wardd keeps its changes since the last rewrite in FILE.journal.\n"
	        "  check    leases, bad lines (FILE:LINE), skipped DHCPv6 lines,\n"
	        "           journal records and a torn journal tail\n"
	        "  dump     the current leases as lease-file lines, by address\n"
	        "  compact  fold the journal into FILE (not while wardd runs)\n"
	        "Exit status: 0 clean, 1 bad lines or torn journal tail, 2 error.\n");
}

static void report(FILE *out, const char *path, const struct lease_store_report *r,
                   size_t count)
{
	unsigned kept = r->file.bad < LEASE_STORE_BAD_KEPT ? r->file.bad : LEASE_STORE_BAD_KEPT;
	for (unsigned i = 0; i < kept; i++)
		fprintf(out, "%s:%u: %s\n", path, r->bad_line[i], ward_strerror(r->bad_err[i]));
	if (r->file.bad > kept)
		fprintf(out, "%s: %u more bad lines\n", path, r->file.bad - kept);
	fprintf(out, "%s: %u lines, %u leases, %u bad, %u duplicate addresses; "
	        "skipped %u duid, %u DHCPv6, %u extra lines\n", path, r->file.lines,
	        r->file.leases, r->file.bad, r->duplicates, r->file.duid, r->file.v6,
	        r->file.extra);
	fprintf(out, "%s.journal: %u records", path, r->journal.records);
	if (r->journal.torn_len)
		fprintf(out, ", torn tail of %zu octets at offset %zu (%s)",
		        r->journal.torn_len, r->journal.valid_len,
		        ward_strerror(r->journal.tail_err));
	fprintf(out, "\n%zu leases now\n", count);
}

static int collect(void *ctx, const struct dhcp_lease *l)
{
	struct { struct dhcp_lease *v; size_t n; } *c = ctx;
	c->v[c->n++] = *l;
	return 0;
}

static int by_ip(const void *a, const void *b)
{
	uint32_t x = ((const struct dhcp_lease *)a)->ip, y = ((const struct dhcp_lease *)b)->ip;
	return x < y ? -1 : x > y;
}

static int dump(lease_store_t *st)
{
	size_t n = lease_store_count(st);
	struct { struct dhcp_lease *v; size_t n; } c = { malloc((n ? n : 1) * sizeof(struct dhcp_lease)), 0 };
	if (!c.v)
		return 2;
	lease_store_foreach(st, collect, &c);
	qsort(c.v, c.n, sizeof(*c.v), by_ip);
	char line[LEASE_TEXT_LINE_MAX + 1];
	for (size_t i = 0; i < c.n; i++) {
		strbuf sb = strbuf_init(line, sizeof(line));
		if (lease_text_format(&sb, &c.v[i]) == 0)
			fputs(line, stdout);
	}
	free(c.v);
	return 0;
}

int cmd_lease(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	const char *what = argv[1], *path = argv[2];
	bool compact = !strcmp(what, "compact");
	if (!compact && strcmp(what, "check") && strcmp(what, "dump")) {
		usage(stderr);
		return 2;
	}
	lease_store_t *st;
	struct lease_store_report rep;
	int rc = compact ? lease_store_open(path, &st, &rep)
	                 : lease_store_open_readonly(path, &st, &rep);
	if (rc < 0) {
		fprintf(stderr, "ward lease: %s: %s%s%s\n", path, ward_strerror(rc),
		        rc == WARD_EIO ? ": " : "", rc == WARD_EIO ? strerror(errno) : "");
		return 2;
	}
	int status = rep.file.bad || rep.journal.torn_len ? 1 : 0;
	if (!strcmp(what, "dump")) {
		if (dump(st))
			status = 2;
		if (rep.file.bad || rep.journal.torn_len)
			report(stderr, path, &rep, lease_store_count(st));
	} else {
		report(stdout, path, &rep, lease_store_count(st));
		if (compact) {
			rc = lease_store_compact(st);
			if (rc < 0) {
				fprintf(stderr, "ward lease: compact %s: %s: %s\n", path,
				        ward_strerror(rc), strerror(errno));
				status = 2;
			} else {
				printf("%s: rewritten with %zu leases, journal emptied\n", path,
				       lease_store_count(st));
			}
		}
	}
	lease_store_close(st);
	return status;
}
