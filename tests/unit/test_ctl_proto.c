/* Unit tests: daemon/ctl_proto.c, the `ward ctl` protocol (docs/ctl.md):
 * every command and its arguments, each kind of malformed request (the
 * bytes come from any process allowed to open the socket), the request
 * writer of the client, and the response framing both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec/error.h"
#include "daemon/ctl_proto.h"

static char err[256];

static int parse(const char *line, struct ctl_req *r)
{
	return ctl_parse((const uint8_t *)line, strlen(line), r, err, sizeof err);
}

static void expect_bad(const char *line, const char *msg_part)
{
	struct ctl_req r;
	int rc = parse(line, &r);
	if (rc >= 0)
		fail_msg("accepted: '%s'", line);
	if (!strstr(err, msg_part))
		fail_msg("'%s': message '%s' lacks '%s'", line, err, msg_part);
	assert_int_equal(r.cmd, 0);   /* nothing half-filled */
}

static void test_simple_commands(void **state)
{
	(void)state;
	struct ctl_req r;
	assert_int_equal(parse("ping", &r), 0);
	assert_int_equal(r.cmd, CTL_PING);
	assert_int_equal(parse("reload", &r), 0);
	assert_int_equal(r.cmd, CTL_RELOAD);
	assert_int_equal(parse("verify\r", &r), 0);   /* CR before LF */
	assert_int_equal(r.cmd, CTL_VERIFY);
	assert_int_equal(parse("  \tstats  ", &r), 0);
	assert_int_equal(r.cmd, CTL_STATS);
	assert_false(r.json);
	assert_int_equal(parse("stats --json", &r), 0);
	assert_true(r.json);
	expect_bad("ping now", "takes no argument");
	expect_bad("stats --xml", "usage: stats");
	expect_bad("stats --json --json", "usage: stats");
	expect_bad("STATS", "unknown command 'STATS'");
}

static void test_cache(void **state)
{
	(void)state;
	struct ctl_req r;
	assert_int_equal(parse("cache dump", &r), 0);
	assert_int_equal(r.cmd, CTL_CACHE_DUMP);
	assert_false(r.has_name);
	assert_int_equal(parse("cache flush", &r), 0);
	assert_int_equal(r.cmd, CTL_CACHE_FLUSH);
	assert_false(r.has_name);
	/* relative and absolute names are the same absolute name */
	assert_int_equal(parse("cache flush www.Example.com", &r), 0);
	assert_true(r.has_name);
	dns_name want;
	assert_int_equal(dns_name_from_text(&want, "www.example.com.", 16, NULL), 0);
	assert_true(dns_name_equal(&r.name, &want));
	assert_int_equal(parse("cache dump www.example.com.", &r), 0);
	assert_int_equal(r.cmd, CTL_CACHE_DUMP);
	assert_true(dns_name_equal(&r.name, &want));
	assert_int_equal(parse("cache dump .", &r), 0);   /* the root */
	assert_int_equal(r.name.len, 1);
	/* escapes are the presentation format's */
	assert_int_equal(parse("cache dump a\\.b.example", &r), 0);
	assert_int_equal(dns_name_labels(&r.name), 2);
	char label64[80];
	memset(label64, 'a', 64);
	snprintf(label64 + 64, sizeof label64 - 64, ".com");
	char line[128];
	snprintf(line, sizeof line, "cache dump %s", label64);
	expect_bad(line, "is not a domain name");
	expect_bad("cache dump a..b", "is not a domain name");
	expect_bad("cache", "usage: cache");
	expect_bad("cache show", "usage: cache");
	expect_bad("cache dump a b", "usage: cache");
}

static void test_leases(void **state)
{
	(void)state;
	struct ctl_req r;
	assert_int_equal(parse("leases list", &r), 0);
	assert_int_equal(r.cmd, CTL_LEASES_LIST);
	assert_false(r.json);
	assert_int_equal(parse("leases list --json", &r), 0);
	assert_true(r.json);
	assert_int_equal(parse("leases delete 192.168.1.10", &r), 0);
	assert_int_equal(r.cmd, CTL_LEASES_DELETE);
	assert_false(r.by_mac);
	assert_int_equal(r.ip, 0xc0a8010a);
	assert_int_equal(parse("leases delete 0.0.0.0", &r), 0);
	assert_int_equal(r.ip, 0);
	assert_int_equal(parse("leases delete 255.255.255.255", &r), 0);
	assert_int_equal(r.ip, 0xffffffffu);
	assert_int_equal(parse("leases delete 52:54:00:AB:cd:0f", &r), 0);
	assert_true(r.by_mac);
	assert_int_equal(r.mac_len, 6);
	assert_memory_equal(r.mac, "\x52\x54\x00\xab\xcd\x0f", 6);
	assert_int_equal(parse("leases delete 52-54-00-ab-cd-0f", &r), 0);
	assert_int_equal(r.mac_len, 6);
	/* 16 octets: the most chaddr holds; 17 is too many */
	assert_int_equal(parse("leases delete 00:01:02:03:04:05:06:07:08:09:0a:0b:"
	                       "0c:0d:0e:0f", &r), 0);
	assert_int_equal(r.mac_len, 16);
	expect_bad("leases delete 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10",
	           "neither");
	const char *bad[] = {
		"10.0.0.256", "10.0.0", "10.0.0.1.2", "10.0.0.01", "1.2.3.4x",
		"-1.2.3.4", "1..2.3", "52:54:00:ab:cd:0", /* odd digits */
		"52:54-00:ab:cd:0f", "5254.00ab.cd0f", "ab", "zz:zz", "52:54:",
		":52:54", "1234:5678",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "leases delete %s", bad[i]);
		struct ctl_req x;
		if (parse(line, &x) >= 0)
			fail_msg("accepted: '%s'", line);
		assert_non_null(strstr(err, "neither an IPv4 address nor a MAC"));
	}
	/* five octets is a (short) hardware address, not an error */
	assert_int_equal(parse("leases delete 52:54:00:ab:cd", &r), 0);
	assert_int_equal(r.mac_len, 5);
	expect_bad("leases", "usage: leases");
	expect_bad("leases delete", "usage: leases");
	expect_bad("leases list --json x", "usage: leases list");
	expect_bad("leases remove 1.2.3.4", "usage: leases");
}

static void test_log(void **state)
{
	(void)state;
	struct ctl_req r;
	assert_int_equal(parse("log queries on", &r), 0);
	assert_int_equal(r.cmd, CTL_LOG);
	assert_int_equal(r.log_what, CTL_LOG_QUERIES);
	assert_true(r.on);
	assert_int_equal(parse("log debug off", &r), 0);
	assert_int_equal(r.log_what, CTL_LOG_DEBUG);
	assert_false(r.on);
	expect_bad("log queries", "usage: log");
	expect_bad("log queries yes", "usage: log");
	expect_bad("log dhcp on", "usage: log");
	expect_bad("log queries on now", "usage: log");
}

static void test_blocklist(void **state)
{
	(void)state;
	struct ctl_req r;
	assert_int_equal(parse("blocklist list", &r), 0);
	assert_int_equal(r.cmd, CTL_BLOCKLIST_LIST);
	assert_int_equal(parse("blocklist block Ads.Example", &r), 0);
	assert_int_equal(r.cmd, CTL_BLOCKLIST_CHANGE);
	assert_int_equal(r.bl_op, CTL_BL_BLOCK);
	assert_true(r.has_name);
	char b[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(&r.name, b), "Ads.Example.");
	assert_int_equal(parse("blocklist allow ok.example.", &r), 0);
	assert_int_equal(r.bl_op, CTL_BL_ALLOW);
	assert_int_equal(parse("blocklist remove ok.example", &r), 0);
	assert_int_equal(r.bl_op, CTL_BL_REMOVE);
	assert_int_equal(parse("blocklist refresh", &r), 0);
	assert_int_equal(r.cmd, CTL_BLOCKLIST_REFRESH);
	assert_int_equal(r.bl_index, -1);
	assert_int_equal(parse("blocklist refresh all", &r), 0);
	assert_int_equal(r.bl_index, -1);
	assert_int_equal(parse("blocklist refresh 12", &r), 0);
	assert_int_equal(r.bl_index, 12);
	expect_bad("blocklist refresh -1", "a list's number");
	expect_bad("blocklist refresh 1234567", "a list's number");
	expect_bad("blocklist refresh x1", "a list's number");
	expect_bad("blocklist block", "usage: blocklist");
	expect_bad("blocklist block a.example b.example", "usage: blocklist");
	expect_bad("blocklist list --json", "usage: blocklist");
	expect_bad("blocklist add a.example", "usage: blocklist");
	expect_bad("blocklist block a..example", "not a domain name");
}

static void test_malformed_bytes(void **state)
{
	(void)state;
	struct ctl_req r;
	expect_bad("", "empty request");
	expect_bad(" \t ", "empty request");
	expect_bad("\r", "empty request");
	expect_bad("stats\x01", "control or non-ASCII octet (\\001) at offset 5");
	expect_bad("stats\x7f", "(\\127)");
	expect_bad("st\xc3\xa4ts", "(\\195) at offset 2");
	expect_bad("stats\r\r", "(\\013)");   /* one CR only */
	/* a NUL inside the line */
	const uint8_t nul[] = { 'p', 'i', 'n', 'g', 0, 'x' };
	assert_true(ctl_parse(nul, sizeof nul, &r, err, sizeof err) < 0);
	assert_non_null(strstr(err, "(\\000) at offset 4"));
	expect_bad("a b c d e f g h i", "more than 8 words");
	/* the size limit */
	char *big = malloc(CTL_REQ_MAX + 8);
	assert_non_null(big);
	memset(big, 'x', CTL_REQ_MAX + 7);
	big[CTL_REQ_MAX + 7] = 0;
	expect_bad(big, "request longer than");
	/* the longest request allowed: CTL_REQ_MAX - 1 octets */
	memcpy(big, "cache dump ", 11);
	memset(big + 11, 'a', CTL_REQ_MAX - 1 - 11);
	big[CTL_REQ_MAX - 1] = 0;
	assert_true(parse(big, &r) < 0);
	assert_non_null(strstr(err, "is not a domain name")); /* not a size */
	free(big);
	/* the message shows a long word cut short, never the raw bytes */
	expect_bad("bogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogusbogus",
	           "...'");
	/* errlen 0: no message written, still refused */
	assert_true(ctl_parse((const uint8_t *)"nope", 4, &r, NULL, 0) < 0);
}

static void test_request_format(void **state)
{
	(void)state;
	char buf[CTL_REQ_MAX + 64];
	strbuf sb = strbuf_init(buf, sizeof buf);
	char *w[] = { "cache", "flush", "example.com" };
	assert_int_equal(ctl_request_format(&sb, 3, w), 0);
	assert_string_equal(buf, "cache flush example.com\n");
	/* what the client writes, the daemon reads back */
	struct ctl_req r;
	assert_int_equal(ctl_parse((const uint8_t *)buf, sb.len - 1, &r, err,
	                           sizeof err), 0);
	assert_int_equal(r.cmd, CTL_CACHE_FLUSH);
	char *sp[] = { "cache", "dump", "a b" };
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(ctl_request_format(&sb, 3, sp), WARD_EINVAL);
	char *empty[] = { "ping", "" };
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(ctl_request_format(&sb, 2, empty), WARD_EINVAL);
	char *nl[] = { "ping\n" };
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(ctl_request_format(&sb, 1, nl), WARD_EINVAL);
	char longw[CTL_REQ_MAX + 1];
	memset(longw, 'a', CTL_REQ_MAX);
	longw[CTL_REQ_MAX] = 0;
	char *lw[] = { longw };
	sb = strbuf_init(buf, sizeof buf);
	assert_int_equal(ctl_request_format(&sb, 1, lw), WARD_ESPACE);
}

static void test_response_framing(void **state)
{
	(void)state;
	char buf[512];
	strbuf sb = strbuf_init(buf, sizeof buf);
	ctl_put_line(&sb, "www.example. A 300");
	ctl_put_line(&sb, "end 0 looks like a status");   /* data, not status */
	ctl_put_line(&sb, "tab\there\nnewline");
	ctl_put_linef(&sb, "%d entries", 3);
	ctl_put_status(&sb, CTL_FAILED, "no lease\nfor 10.0.0.9");
	assert_string_equal(buf,
		" www.example. A 300\n"
		" end 0 looks like a status\n"
		" tab\\009here\\010newline\n"
		" 3 entries\n"
		"end 1 no lease\\010for 10.0.0.9\n");
	/* read back line by line as the client does */
	const char *want_data[] = { "www.example. A 300", "end 0 looks like a status",
	                            "tab\\009here\\010newline", "3 entries" };
	char *p = buf;
	for (int i = 0; i < 5; i++) {
		char *nl = strchr(p, '\n');
		assert_non_null(nl);
		int code = -1;
		const char *data;
		size_t dlen;
		int k = ctl_response_line(p, (size_t)(nl - p), &code, &data, &dlen);
		if (i < 4) {
			assert_int_equal(k, 1);
			assert_int_equal(dlen, strlen(want_data[i]));
			assert_memory_equal(data, want_data[i], dlen);
		} else {
			assert_int_equal(k, 0);
			assert_int_equal(code, 1);
			assert_int_equal(dlen, strlen("no lease\\010for 10.0.0.9"));
		}
		p = nl + 1;
	}
	int code;
	const char *data;
	size_t dlen;
	assert_int_equal(ctl_response_line("end 0", 5, &code, &data, &dlen), 0);
	assert_int_equal(code, 0);
	assert_int_equal(dlen, 0);
	assert_int_equal(ctl_response_line("end 2 x", 7, &code, &data, &dlen), 0);
	assert_int_equal(code, 2);
	assert_int_equal(dlen, 1);
	const char *bad[] = { "", "end", "end ", "end x", "end 12", "end 0x",
	                      "END 0", "ok", "\tdata" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (ctl_response_line(bad[i], strlen(bad[i]), &code, &data,
		                      &dlen) >= 0)
			fail_msg("accepted response line '%s'", bad[i]);
	/* JSON strings escape quotes, backslashes and control octets */
	sb = strbuf_init(buf, sizeof buf);
	ctl_json_str(&sb, "a\"b\\c\x01\xff");
	assert_string_equal(buf, "\"a\\\"b\\\\c\\u0001\\u00ff\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_commands),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_leases),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_blocklist),
		cmocka_unit_test(test_malformed_bytes),
		cmocka_unit_test(test_request_format),
		cmocka_unit_test(test_response_framing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
