/* Unit tests for ward's DNS-over-TLS upstream options (daemon/
 * conf_tls_upstream.c): server-tls=[/DOMAIN/...]ADDR[#PORT][,AUTH-NAME] and
 * tls-upstream-ca=FILE: good and bad forms with their messages, the dump
 * round trip, the command line, and what setup makes of them (forwarders
 * at port 853). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "daemon/setup.h"
#include "error.h"
#include "name.h"
#include "strbuf.h"

static int no_read(void *ctx, const char *path, char **text, size_t *len,
                   uint64_t id[2], const char **why)
{
	(void)ctx; (void)path; (void)text; (void)len; (void)id;
	*why = "No such file or directory";
	return WARD_EIO;
}

static int no_list(void *ctx, const char *path, char ***names, size_t *n,
                   const char **why)
{
	(void)ctx; (void)path; (void)names; (void)n;
	*why = "No such file or directory";
	return WARD_EIO;
}

static const conf_io memio = { no_read, no_list, NULL };

static ward_conf C;
static bool C_live;

static int load(const char *text)
{
	if (C_live)
		conf_free(&C);
	assert_int_equal(conf_init(&C, &memio), 0);
	C_live = true;
	return conf_load_buffer(&C, "t.conf", text, strlen(text));
}

static int teardown(void **state)
{
	(void)state;
	if (C_live)
		conf_free(&C);
	C_live = false;
	return 0;
}

static void show_diags(void)
{
	for (size_t i = 0; i < C.diags.n; i++)
		fprintf(stderr, "    diag: %s\n", C.diags.v[i].text);
}

static void ok_(const char *text, int line)
{
	load(text);
	if (C.errors || C.warnings) {
		fprintf(stderr, "test line %d: '%s' should load cleanly\n", line,
		        text);
		show_diags();
	}
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.warnings, 0);
}
#define ok(t) ok_(t, __LINE__)

static void bad_(const char *text, const char *want, int line)
{
	load(text);
	bool found = C.diags.n >= 1 && C.diags.v[C.diags.n - 1].severity ==
	             CONF_ERROR && strstr(C.diags.v[C.diags.n - 1].text, want);
	if (C.errors != 1 || !found) {
		fprintf(stderr, "test line %d: '%s' should fail with '%s'\n", line,
		        text, want);
		show_diags();
	}
	assert_int_equal(C.errors, 1);
	assert_true(found);
}
#define bad(t, w) bad_(t, w, __LINE__)

static void name_is(const conf_name *n, const char *text)
{
	dns_name want, got;
	assert_int_equal(dns_name_from_text(&want, text, strlen(text), NULL), 0);
	conf_name_get(n, &got);
	assert_true(dns_name_equal(&want, &got));
}

static void test_good_forms(void **state)
{
	(void)state;
	ok("server-tls=192.0.2.1\n"
	   "server-tls=192.0.2.2#8853,dns.example.\n"
	   "server-tls=/corp.test/lab.test/2001:db8::53,NS1.Corp.Test\n"
	   "server-tls=2001:db8::54\n"
	   "tls-upstream-ca=/etc/ward/ca.pem\n");
	assert_int_equal(C.servers.n, 4);
	const conf_server *s = C.servers.v;
	assert_true(s[0].tls);
	assert_int_equal(s[0].origin, CONF_FROM_SERVER_TLS);
	assert_int_equal(s[0].kind, CONF_SERVER_FORWARD);
	assert_true(s[0].has_addr);
	assert_int_equal(s[0].addr.family, AF_INET);
	assert_memory_equal(s[0].addr.addr, "\xc0\x00\x02\x01", 4);
	assert_int_equal(s[0].port, 853);          /* RFC 7858 §3.1 */
	assert_null(s[0].tls_name);
	assert_int_equal(s[0].ndomains, 0);
	assert_int_equal(s[1].port, 8853);
	assert_string_equal(s[1].tls_name, "dns.example");  /* no trailing dot */
	assert_int_equal(s[2].addr.family, AF_INET6);
	assert_string_equal(s[2].tls_name, "NS1.Corp.Test");
	assert_int_equal(s[2].ndomains, 2);
	name_is(&s[2].domains[0].name, "corp.test.");
	name_is(&s[2].domains[1].name, "lab.test.");
	assert_int_equal(s[3].addr.family, AF_INET6);
	assert_int_equal(s[3].port, 853);
	assert_string_equal(C.tls_upstream_ca, "/etc/ward/ca.pem");
	/* a plain server= next to it keeps its own meaning */
	ok("server=192.0.2.9\nserver-tls=192.0.2.9\n");
	assert_false(C.servers.v[0].tls);
	assert_int_equal(C.servers.v[0].port, 53);
	assert_true(C.servers.v[1].tls);
}

static void test_bad_forms(void **state)
{
	(void)state;
	bad("server-tls=/x.test/", "needs a server address");
	bad("server-tls=dns.example", "server 'dns.example' is not an IPv4 or "
	    "IPv6 address");
	bad("server-tls=192.0.2.1@eth0", "server-tls takes no '@' source");
	bad("server-tls=192.0.2.1#53@192.0.2.7", "server-tls takes no '@'");
	bad("server-tls=192.0.2.1#0", "port 0 is out of range");
	bad("server-tls=192.0.2.1#x", "port 'x' is not a decimal number");
	bad("server-tls=192.0.2.1,", "the authentication name after ',' is "
	    "empty");
	bad("server-tls=192.0.2.1,a b", "authentication name 'a b' is not a "
	    "host name");
	bad("server-tls=192.0.2.1,a.test,b.test", "one authentication name per "
	    "server");
	bad("server-tls=192.0.2.1,exa..mple", "authentication name 'exa..mple' "
	    "is not a valid domain name");
	bad("server-tls=192.0.2.1,.", "cannot be the root");
	bad("server-tls=fe80::1%eth0", "an interface scope (%) is not allowed");
	bad("server-tls=/corp.test192.0.2.1", "the domain needs a closing '/'");
	bad("tls-upstream-ca=", "file name is empty");
	bad("tls-upstream-ca=/a.pem\ntls-upstream-ca=/b.pem", "tls-upstream-ca");
}

static char dumpbuf[1 << 14];

static const char *dump(void)
{
	strbuf sb = strbuf_init(dumpbuf, sizeof dumpbuf);
	assert_int_equal(conf_dump(&C, &sb), 0);
	return dumpbuf;
}

static void test_dump_roundtrip(void **state)
{
	(void)state;
	ok("server-tls=/a.test/192.0.2.1#853,dns.a.test.\n"
	   "server-tls=192.0.2.2#8853\n"
	   "server=192.0.2.3#853\n"
	   "tls-upstream-ca=/x.pem\n");
	char first[sizeof dumpbuf];
	snprintf(first, sizeof first, "%s", dump());
	assert_non_null(strstr(first, "server-tls=/a.test/192.0.2.1,dns.a.test\n"));
	assert_non_null(strstr(first, "server-tls=192.0.2.2#8853\n"));
	assert_non_null(strstr(first, "\nserver=192.0.2.3#853\n"));
	assert_non_null(strstr(first, "tls-upstream-ca=/x.pem\n"));
	ok(first);
	assert_string_equal(dump(), first);
	assert_true(C.servers.v[0].tls);
	assert_false(C.servers.v[2].tls);
}

static void test_table_and_command_line(void **state)
{
	(void)state;
	const conf_option_info *i = conf_option_find("server-tls", 10);
	assert_non_null(i);
	assert_int_equal(i->status, CONF_ST_WARD);
	assert_int_equal(i->arg, CONF_ARG_REQUIRED);
	i = conf_option_find("tls-upstream-ca", 15);
	assert_non_null(i);
	assert_int_equal(i->status, CONF_ST_WARD);
	load("");
	assert_int_equal(conf_apply_arg(&C, "--server-tls=192.0.2.9,x.test"), 0);
	assert_int_equal(C.servers.n, 1);
	assert_string_equal(C.servers.v[0].tls_name, "x.test");
	assert_int_equal(conf_apply_arg(&C, "--server-tls=192.0.2.9@lo"),
	                 WARD_ECONF);
}

static void logfn(void *ctx, bool warning, const char *msg)
{
	(void)ctx; (void)warning; (void)msg;
}

static void rnd(void *ctx, uint8_t *buf, size_t n)
{
	(void)ctx;
	memset(buf, 0x5a, n);
}

/* setup: server-tls= addresses are forwarders like server= (the daemon
 * decides by address and port that they go over TLS) */
static void test_setup_forwarders(void **state)
{
	(void)state;
	ok("no-resolv\nno-hosts\nserver-tls=192.0.2.1,dns.test\n"
	   "server-tls=/corp.test/192.0.2.2#8853\n");
	assert_int_equal(conf_finish(&C), 0);
	struct wardd_setup s;
	assert_int_equal(setup_build(&s, &C, rnd, NULL, logfn, NULL), 0);
	assert_false(s.recursive);
	assert_int_equal(s.rc.mode, RES_MODE_FORWARD);
	assert_int_equal(s.n_fwd, 2);
	assert_int_equal(s.n_upstreams, 1);
	assert_int_equal(s.fwd[0].addr.port, 853);
	assert_int_equal(s.fwd[0].addr.family, 4);
	assert_memory_equal(s.fwd[0].addr.ip, "\xc0\x00\x02\x01", 4);
	assert_int_equal(s.fwd[0].domain.len, 1);          /* the root */
	assert_int_equal(s.fwd[1].addr.port, 8853);
	dns_name corp;
	assert_int_equal(dns_name_from_text(&corp, "corp.test.", 10, NULL), 0);
	assert_true(dns_name_equal(&s.fwd[1].domain, &corp));
	setup_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_good_forms, teardown),
		cmocka_unit_test_teardown(test_bad_forms, teardown),
		cmocka_unit_test_teardown(test_dump_roundtrip, teardown),
		cmocka_unit_test_teardown(test_table_and_command_line, teardown),
		cmocka_unit_test_teardown(test_setup_forwarders, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
