/* Unit tests: resolver/hosts.c — /etc/hosts format from a buffer, from a file
 * and from an addn-hosts directory; bad lines reported as file:line and the
 * rest still loaded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "codec/error.h"
#include "resolver/hosts.h"

static char diag_log[4096];
static unsigned diag_count;

static void diag(void *ctx, const char *msg)
{
	(void)ctx;
	diag_count++;
	size_t l = strlen(diag_log);
	snprintf(diag_log + l, sizeof(diag_log) - l, "%s\n", msg);
}

static struct local_result res;

static enum local_kind ask(const localdata *ld, const char *q, uint16_t t)
{
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, q, strlen(q), &root), 0);
	assert_int_equal(localdata_answer(ld, &n, t, &res), 0);
	return res.kind;
}

static void assert_a(size_t i, const char *text)
{
	uint8_t a[16];
	assert_true(i < res.n);
	if (res.rrs[i].type == DNS_T_A) {
		assert_int_equal(inet_pton(AF_INET, text, a), 1);
		assert_memory_equal(res.rrs[i].rdata, a, 4);
	} else {
		assert_int_equal(inet_pton(AF_INET6, text, a), 1);
		assert_memory_equal(res.rrs[i].rdata, a, 16);
	}
}

static localdata *load(const char *text, struct localdata_load_stats *st)
{
	localdata *ld = localdata_new();
	assert_non_null(ld);
	diag_log[0] = '\0';
	diag_count = 0;
	memset(st, 0, sizeof(*st));
	assert_int_equal(hosts_load_buffer(ld, "h.txt", text, strlen(text), diag,
	                                   NULL, st), 0);
	return ld;
}

static void test_basic(void **state)
{
	(void)state;
	struct localdata_load_stats st;
	localdata *ld = load(
		"# full-line comment\n"
		"\n"
		"127.0.0.1\tlocalhost localhost.localdomain\n"
		"::1 localhost ip6-localhost   # trailing comment\n"
		"192.0.2.5  Web.Example.ORG. web   www\r\n"
		"2001:db8::5 web.example.org\n"
		"192.0.2.6 multi\n"
		"192.0.2.7 multi", /* no final newline */
		&st);
	assert_int_equal(st.bad, 0);
	assert_int_equal(diag_count, 0);
	assert_int_equal(st.lines, 8);
	assert_int_equal(st.entries, 10);
	assert_int_equal(ask(ld, "LOCALHOST", DNS_T_A), LOCAL_ANSWER);
	assert_a(0, "127.0.0.1");
	assert_int_equal(ask(ld, "localhost", DNS_T_AAAA), LOCAL_ANSWER);
	assert_a(0, "::1");
	assert_int_equal(ask(ld, "web.example.org.", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "web.example.org", DNS_T_AAAA), LOCAL_ANSWER);
	assert_a(0, "2001:db8::5");
	assert_int_equal(ask(ld, "www", DNS_T_A), LOCAL_ANSWER);
	/* one name on two lines: both addresses */
	assert_int_equal(ask(ld, "multi", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.n, 2);
	/* PTR to the first name of the line, case as written */
	assert_int_equal(ask(ld, "5.2.0.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_int_equal(res.n, 1);
	dns_name want, got, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&want, "web.example.org.", 16, &root), 0);
	assert_int_equal(dns_name_from_wire(&got, res.rrs[0].rdata, res.rrs[0].rdlen), 0);
	assert_true(dns_name_equal(&got, &want));
	assert_int_equal(ask(ld, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
	                     DNS_T_PTR), LOCAL_ANSWER);
	localdata_free(ld);
}

static void test_bad_lines(void **state)
{
	(void)state;
	struct localdata_load_stats st;
	localdata *ld = load(
		"192.0.2.1 good1\n"
		"999.1.1.1 badaddr\n"
		"192.0.2.2\n"
		"not-an-ip name\n"
		"192.0.2.3 ok3 bad\001name also3\n"
		"192.0.2.4 a..b\n"
		"fe80::1%eth0 scoped\n"
		"192.0.2.9 good9\n",
		&st);
	assert_int_equal(st.bad, 6);
	assert_int_equal(diag_count, 6);
	assert_non_null(strstr(diag_log, "h.txt:2: bad address: \"999.1.1.1\""));
	assert_non_null(strstr(diag_log, "h.txt:3: address without a name"));
	assert_non_null(strstr(diag_log, "h.txt:4: bad address"));
	/* control characters are escaped in the message */
	assert_non_null(strstr(diag_log, "h.txt:5: bad name: \"bad\\001name\""));
	assert_non_null(strstr(diag_log, "h.txt:6: bad name"));
	assert_non_null(strstr(diag_log, "h.txt:7: bad address"));
	/* the rest is loaded, including the good names of a bad line */
	assert_int_equal(ask(ld, "good1", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "good9", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "ok3", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "also3", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "badaddr", DNS_T_A), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

static void test_long_line_and_nul(void **state)
{
	(void)state;
	size_t n = HOSTS_LINE_MAX + 100;
	char *buf = malloc(n + 64);
	assert_non_null(buf);
	memset(buf, 'a', n);
	memcpy(buf, "192.0.2.1 ", 10);
	size_t p = n;
	const char tail[] = "\n192.0.2.2 after\n";
	memcpy(buf + p, tail, sizeof(tail) - 1);
	p += sizeof(tail) - 1;
	localdata *ld = localdata_new();
	struct localdata_load_stats st = { 0 };
	diag_log[0] = '\0';
	diag_count = 0;
	assert_int_equal(hosts_load_buffer(ld, "long", buf, p, diag, NULL, &st), 0);
	assert_int_equal(st.bad, 1);
	assert_non_null(strstr(diag_log, "long:1: line too long"));
	assert_int_equal(ask(ld, "after", DNS_T_A), LOCAL_ANSWER);
	/* an embedded NUL is a bad name, not the end of the buffer */
	static const char nul[] = "192.0.2.3 x\0y\n192.0.2.4 z\n";
	assert_int_equal(hosts_load_buffer(ld, "nul", nul, sizeof(nul) - 1, diag,
	                                   NULL, &st), 0);
	assert_int_equal(ask(ld, "z", DNS_T_A), LOCAL_ANSWER);
	localdata_free(ld);
	free(buf);
}

/* confirmed against dnsmasq 2.90: expand-hosts with domain= */
static void test_expand_hosts(void **state)
{
	(void)state;
	struct localdata_load_stats st;
	localdata *ld = load("192.168.1.10 foo\n10.0.0.5 bar.example.com bar\n", &st);
	/* off: foo.lan is unknown */
	assert_int_equal(localdata_set_domain(ld, "lan."), 0);
	assert_int_equal(ask(ld, "foo.lan", DNS_T_A), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "10.1.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].rdlen, 5); /* "foo." */
	localdata_set_expand_hosts(ld, true);
	assert_int_equal(ask(ld, "foo.lan", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "foo", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "bar.lan", DNS_T_A), LOCAL_ANSWER);
	/* names with dots are not expanded */
	assert_int_equal(ask(ld, "bar.example.com.lan", DNS_T_A), LOCAL_NOT_LOCAL);
	/* two labels below the domain: no */
	assert_int_equal(ask(ld, "x.foo.lan", DNS_T_A), LOCAL_NOT_LOCAL);
	/* the PTR of a plain name is name.domain */
	assert_int_equal(ask(ld, "10.1.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	dns_name got, want, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&want, "foo.lan.", 8, &root), 0);
	assert_int_equal(dns_name_from_wire(&got, res.rrs[0].rdata, res.rrs[0].rdlen), 0);
	assert_true(dns_name_equal(&got, &want));
	/* non-hosts records are not expanded */
	const char *cn[] = { "alias" };
	assert_int_equal(localdata_add_cname(ld, cn, 1, "foo", LD_TTL_DEFAULT), 0);
	assert_int_equal(ask(ld, "alias.lan", DNS_T_A), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_files_and_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-hosts-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p1[64], p2[64], p3[64], sub[64];
	snprintf(p1, sizeof(p1), "%s/20-b", dir);
	snprintf(p2, sizeof(p2), "%s/10-a", dir);
	snprintf(p3, sizeof(p3), "%s/.hidden", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	write_file(p1, "192.0.2.2 first\nbogus line\n");
	write_file(p2, "192.0.2.1 first\n");
	write_file(p3, "192.0.2.3 hidden\n");
	assert_int_equal(mkdir(sub, 0700), 0);

	localdata *ld = localdata_new();
	struct localdata_load_stats st = { 0 };
	diag_log[0] = '\0';
	diag_count = 0;
	assert_int_equal(hosts_load_path(ld, dir, diag, NULL, &st), 0);
	assert_int_equal(st.files, 2);
	assert_int_equal(st.bad, 1);
	char want[128];
	snprintf(want, sizeof(want), "%s:2: bad address", p1);
	assert_non_null(strstr(diag_log, want));
	/* sorted order: 10-a first, so its PTR wins and its A comes first */
	assert_int_equal(ask(ld, "first", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.n, 2);
	assert_a(0, "192.0.2.1");
	assert_int_equal(ask(ld, "hidden", DNS_T_A), LOCAL_NOT_LOCAL);

	/* a single file, and a missing one */
	assert_int_equal(hosts_load_path(ld, p2, diag, NULL, &st), 0);
	char missing[80];
	snprintf(missing, sizeof(missing), "%s/missing", dir);
	assert_int_equal(hosts_load_path(ld, missing, diag, NULL, NULL), WARD_EIO);
	assert_non_null(strstr(diag_log, "cannot read"));
	localdata_free(ld);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_long_line_and_nul),
		cmocka_unit_test(test_expand_hosts),
		cmocka_unit_test(test_files_and_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
