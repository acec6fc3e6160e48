/* Unit tests for the dnsmasq-syntax configuration parser (daemon/conf*.c):
 * the line grammar, the option table, every implemented option's good and
 * bad forms, file:line in messages, one warning per unimplemented option,
 * includes (loops, depth, conf-dir filtering and order), command-line
 * arguments equal to file lines, and the dump round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "dhcp.h"
#include "error.h"
#include "name.h"
#include "strbuf.h"

/* ---- an in-memory file system for includes ---- */

struct mfile {
	const char *path;
	const char *text;   /* NULL: a directory */
};

static struct mfile mfs[32];
static size_t nmfs;

static void mfs_reset(void)
{
	nmfs = 0;
}

static void mfs_add(const char *path, const char *text)
{
	assert_true(nmfs < sizeof mfs / sizeof mfs[0]);
	mfs[nmfs].path = path;
	mfs[nmfs].text = text;
	nmfs++;
}

static int mem_read(void *ctx, const char *path, char **text, size_t *len,
                    uint64_t id[2], const char **why)
{
	(void)ctx;
	for (size_t i = 0; i < nmfs; i++) {
		if (strcmp(mfs[i].path, path))
			continue;
		if (!mfs[i].text) {
			*why = "is a directory";
			return WARD_EIO;
		}
		*len = strlen(mfs[i].text);
		*text = malloc(*len + 1);
		assert_non_null(*text);
		memcpy(*text, mfs[i].text, *len + 1);
		id[0] = 1;
		id[1] = i + 1;
		return 0;
	}
	*why = "No such file or directory";
	return WARD_EIO;
}

static int mem_list(void *ctx, const char *path, char ***names, size_t *n,
                    const char **why)
{
	(void)ctx;
	size_t pl = strlen(path);
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	bool found = false;
	for (size_t i = 0; i < nmfs; i++)
		if (!strncmp(mfs[i].path, path, pl) && !mfs[i].path[pl] &&
		    !mfs[i].text)
			found = true;
	if (!found) {
		*why = "No such file or directory";
		return WARD_EIO;
	}
	char **v = calloc(nmfs + 1, sizeof *v);
	assert_non_null(v);
	size_t k = 0;
	/* reverse order on purpose: the parser must sort */
	for (size_t i = nmfs; i-- > 0;) {
		const char *p = mfs[i].path;
		if (mfs[i].text && !strncmp(p, path, pl) && p[pl] == '/' &&
		    !strchr(p + pl + 1, '/'))
			v[k++] = strdup(p + pl + 1);
	}
	*names = v;
	*n = k;
	return 0;
}

static const conf_io memio = { mem_read, mem_list, NULL };

/* ---- helpers ---- */

static ward_conf C;
static bool C_live;

static void fresh(void)
{
	if (C_live)
		conf_free(&C);
	assert_int_equal(conf_init(&C, &memio), 0);
	C_live = true;
}

static int load(const char *text)
{
	fresh();
	return conf_load_buffer(&C, "t.conf", text, strlen(text));
}

static int teardown(void **state)
{
	(void)state;
	if (C_live)
		conf_free(&C);
	C_live = false;
	mfs_reset();
	return 0;
}

static void show_diags(void)
{
	for (size_t i = 0; i < C.diags.n; i++)
		fprintf(stderr, "    diag: %s\n", C.diags.v[i].text);
}

/* The line loads without errors or warnings. */
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

/* The text gives exactly one error whose message contains `want`. */
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

/* The text loads without errors and gives one warning containing want. */
static void warns_(const char *text, const char *want, int line)
{
	load(text);
	bool found = false;
	for (size_t i = 0; i < C.diags.n; i++)
		if (C.diags.v[i].severity == CONF_WARNING &&
		    strstr(C.diags.v[i].text, want))
			found = true;
	if (C.errors || !found) {
		fprintf(stderr, "test line %d: '%s' should warn '%s'\n", line, text,
		        want);
		show_diags();
	}
	assert_int_equal(C.errors, 0);
	assert_true(found);
}
#define warns(t, w) warns_(t, w, __LINE__)

static char dumpbuf[1 << 16];

static const char *dump(const ward_conf *c)
{
	strbuf sb = strbuf_init(dumpbuf, sizeof dumpbuf);
	assert_int_equal(conf_dump(c, &sb), 0);
	return dumpbuf;
}

/* The text dumps as `want` (the normalised form). */
static void dumps_(const char *text, const char *want, int line)
{
	load(text);
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const char *got = dump(&C);
	if (strcmp(got, want))
		fprintf(stderr, "test line %d: '%s'\n  got:  %s  want: %s", line,
		        text, got, want);
	assert_string_equal(got, want);
}
#define dumps(t, w) dumps_(t, w, __LINE__)

static void name_is(const conf_name *n, const char *text)
{
	dns_name dn;
	char buf[DNS_NAME_TEXT_MAX];
	conf_name_get(n, &dn);
	assert_string_equal(dns_name_str(&dn, buf), text);
}

static uint32_t ip4(const conf_ip *ip)
{
	assert_int_equal(ip->family, AF_INET);
	return (uint32_t)ip->addr[0] << 24 | (uint32_t)ip->addr[1] << 16 |
	       (uint32_t)ip->addr[2] << 8 | ip->addr[3];
}

/* ---- the line grammar ---- */

static void test_lines_comments_blanks(void **state)
{
	(void)state;
	ok("");
	ok("\n\n   \n\t\n");
	ok("# a comment\n   # indented comment\n");
	ok("port=5353 # trailing comment\n");
	ok("port=5353\t#tab then comment\n");
	ok("  port = 5353  \n");
	ok("port=5353\r\n");          /* CRLF */
	ok("port=5353");              /* no final newline */
	load("port=5353\nno-resolv\n");
	assert_int_equal(C.port, 5353);
	assert_true(C.no_resolv);
	/* '#' without a blank before it is data: server#port, address #, */
	load("server=1.2.3.4#5353\naddress=/x.test/#\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.servers.v[0].port, 5353);
	assert_int_equal(C.addresses.v[0].kind, CONF_ADDRESS_NULL);
	/* "port=53#x": the comment needs a blank, so this is a bad port */
	bad("port=53#x", "port '53#x' is not a decimal number");
}

static void test_lines_quotes(void **state)
{
	(void)state;
	load("txt-record=t.test,\"a, b # c\",\"q\\\"r\\\\s\\tt\",x\"y\"z,\"\"\n");
	assert_int_equal(C.errors, 0);
	const conf_txt *t = &C.txt_records.v[0];
	assert_int_equal(t->nstrings, 4);
	static const uint8_t want[] = {
		8, 'a', ',', ' ', 'b', ' ', '#', ' ', 'c',
		7, 'q', '"', 'r', '\\', 's', '\t', 't',
		3, 'x', 'y', 'z',
		0,
	};
	assert_int_equal(t->rdlen, sizeof want);
	assert_memory_equal(t->rdata, want, sizeof want);
	/* unquoted blanks around fields go, quoted ones stay */
	load("txt-record=t.test ,  a b  ,\"  c \"\n");
	static const uint8_t want2[] = { 3, 'a', ' ', 'b', 4, ' ', ' ', 'c', ' ' };
	assert_int_equal(C.txt_records.v[0].rdlen, sizeof want2);
	assert_memory_equal(C.txt_records.v[0].rdata, want2, sizeof want2);
	/* dnsmasq accepts the quotes anywhere, even around the whole line */
	load("\"port=5353\"\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.port, 5353);
	bad("txt-record=a,\"unterminated", "t.conf:1: unterminated quoted "
	    "string");
	bad("\n\ntxt-record=a,\"x\\\"", "t.conf:3: unterminated");
}

static void test_lines_names_and_presence(void **state)
{
	(void)state;
	bad("prot=53", "t.conf:1: unknown option 'prot' (did you mean 'port'?)");
	bad("\nfrobnicate", "t.conf:2: unknown option 'frobnicate'");
	bad("--port=53", "unknown option '--port' (write 'port' without the "
	    "leading '--' in a file)");
	bad("=53", "missing option name");
	bad("no-resolv=1", "t.conf:1: option 'no-resolv': takes no value");
	bad("no-resolv=", "option 'no-resolv': takes no value");
	bad("port", "t.conf:1: option 'port': needs a value (port=...)");
	bad("Port=53", "unknown option 'Port'"); /* case matters, as dnsmasq */
	load("port=5353\n\x01\x02\n");
	assert_int_equal(C.errors, 1);
	load("port=53\nbad\0line\nno-resolv\n");
	/* strlen stops at the NUL: use the explicit length */
	fresh();
	static const char nul[] = "port=5353\nbad\0line\nno-resolv\n";
	conf_load_buffer(&C, "n.conf", nul, sizeof nul - 1);
	assert_int_equal(C.errors, 1);
	assert_non_null(strstr(C.diags.v[0].text, "n.conf:2: line has a NUL"));
	assert_true(C.no_resolv);
	/* every bad line is reported, parsing goes on */
	load("port=x\nnope\nport=53\ncache-size=-1\n");
	assert_int_equal(C.errors, 3);
	assert_non_null(strstr(C.diags.v[0].text, "t.conf:1:"));
	assert_non_null(strstr(C.diags.v[1].text, "t.conf:2:"));
	assert_non_null(strstr(C.diags.v[2].text, "t.conf:4:"));
}

static void test_unimplemented_once(void **state)
{
	(void)state;
	mfs_add("other.conf", "log-async\nlog-async=10\nfilterwin2k\n");
	load("log-async\nlocalise-queries\nlog-async=5\nconf-file=other.conf\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.warnings, 3);
	assert_string_equal(C.diags.v[0].text, "t.conf:1: warning: option "
	                    "'log-async' is not implemented by ward yet; ignored");
	assert_string_equal(C.diags.v[1].text, "t.conf:2: warning: option "
	                    "'localise-queries' is not implemented by ward yet; "
	                    "ignored");
	assert_string_equal(C.diags.v[2].text, "other.conf:3: warning: option "
	                    "'filterwin2k' is not implemented by ward yet; "
	                    "ignored");
	assert_string_equal(C.diags.v[0].unimplemented, "log-async");
	/* the value's presence is still checked, as dnsmasq does */
	bad("dhcp-boot", "option 'dhcp-boot': needs a value");
	bad("filterwin2k=1", "option 'filterwin2k': takes no value");
	/* a part of an option: DHCPv6 */
	load("dhcp-range=1234::2,1234::500,64,12h\ndhcp-range=::,ra-only\n"
	     "dhcp-option=option6:dns-server,[1234::77]\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.warnings, 2);
	assert_string_equal(C.diags.v[0].unimplemented,
	                    "dhcp-range: DHCPv6 (an IPv6 range)");
	assert_int_equal(C.dhcp_ranges.n, 0);
}

static void test_table(void **state)
{
	(void)state;
	size_t n = 0, parsed = 0;
	const conf_option_info *prev = NULL;
	for (const conf_option_info *o; (o = conf_option_at(n)) != NULL; n++) {
		if (prev)
			assert_true(strcmp(prev->name, o->name) < 0); /* sorted */
		prev = o;
		assert_ptr_equal(conf_option_find(o->name, strlen(o->name)), o);
		if (o->status == CONF_ST_PARSED || o->status == CONF_ST_WARD)
			parsed++;
	}
	assert_true(n >= 190);     /* every dnsmasq 2.90 option */
	assert_true(parsed >= 60);
	assert_null(conf_option_find("nope", 4));
	const conf_option_info *a = conf_option_find("dhcp-lease", 10);
	assert_non_null(a);
	assert_string_equal(a->alias_of, "dhcp-leasefile");
	assert_int_equal(conf_option_find("recursive", 9)->status, CONF_ST_WARD);
	assert_int_equal(conf_option_find("resolve-any", 11)->status, CONF_ST_WARD);
	assert_int_equal(conf_option_find("resolve-any", 11)->arg, CONF_ARG_NONE);
	assert_int_equal(conf_option_find("server", 6)->shortopt, 'S');
	assert_int_equal(conf_option_find("port", 4)->arg, CONF_ARG_REQUIRED);
	assert_int_equal(conf_option_find("no-resolv", 9)->arg, CONF_ARG_NONE);
	assert_int_equal(conf_option_find("log-queries", 11)->arg,
	                 CONF_ARG_OPTIONAL);
}

static void test_once_only(void **state)
{
	(void)state;
	bad("port=1\nport=2\n", "t.conf:2: option 'port': is given more than "
	    "once (first at t.conf:1)");
	bad("pid-file=/a\npid-file\n", "is given more than once");
	bad("dhcp-leasefile=/a\ndhcp-lease=/b\n", "more than once"); /* alias */
	ok("log-queries\nlog-queries=extra\n"); /* repeatable */
	/* files override the command line, in either order */
	fresh();
	assert_int_equal(conf_apply_arg(&C, "--port=1"), 0);
	assert_int_equal(conf_load_buffer(&C, "f.conf", "port=2\n", 7), 0);
	assert_int_equal(C.port, 2);
	assert_int_equal(C.errors, 0);
	fresh();
	conf_load_buffer(&C, "f.conf", "port=2\n", 7);
	assert_int_equal(conf_apply_arg(&C, "--port=1"), 0);
	assert_int_equal(C.port, 2);
	assert_int_equal(C.warnings, 1);
	assert_non_null(strstr(C.diags.v[0].text, "command line: warning: option "
	                       "'port': ignored: the configuration file sets it "
	                       "(f.conf:1)"));
	fresh();
	char *argv[] = { "wardd", "--port=1", "-p", "2", NULL };
	assert_int_equal(conf_apply_argv(&C, 4, argv), WARD_ECONF);
	assert_non_null(strstr(C.diags.v[0].text, "command line: option 'port': "
	                       "is given more than once"));
}

/* ---- DNS options ---- */

static void test_listen_interfaces(void **state)
{
	(void)state;
	load("listen-address=127.0.0.1,::1\nlisten-address=192.0.2.1\n"
	     "interface=eth0,wlan*\nexcept-interface=lo\nno-dhcp-interface=eth1\n"
	     "bind-interfaces\nbind-dynamic\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.listen_addresses.n, 3);
	assert_int_equal(C.listen_addresses.v[1].ip.family, AF_INET6);
	assert_int_equal(C.listen_addresses.v[2].loc.line, 2);
	assert_int_equal(C.interfaces.n, 2);
	assert_string_equal(C.interfaces.v[1].s, "wlan*");
	assert_string_equal(C.except_interfaces.v[0].s, "lo");
	assert_string_equal(C.no_dhcp_interfaces.v[0].s, "eth1");
	assert_true(C.bind_interfaces && C.bind_dynamic);
	bad("listen-address=", "needs at least one IP address");
	bad("listen-address=1.2.3", "address '1.2.3' is not an IPv4 or IPv6");
	bad("listen-address=256.1.1.1", "is not an IPv4 or IPv6");
	bad("listen-address=fe80::1%lo", "an interface scope (%) is not allowed");
	bad("interface=a b", "interface name 'a b' has the character ' '");
	bad("interface=averyveryverylongname", "longer than 15");
	bad("interface=e*th", "a wildcard '*' only at the end");
	warns("interface=", "option 'interface': empty value; ignored");
	ok("port=0");
	ok("port=65535");
	bad("port=65536", "port 65536 is out of range (0..65535)");
	bad("port=-1", "is not a decimal number");
	load("port=");
	assert_int_equal(C.port, 53);
}

static void test_server(void **state)
{
	(void)state;
	load("server=192.0.2.1\n"
	     "server=2001:db8::1#5353\n"
	     "server=fe80::1%eth0\n"
	     "server=/example.com/192.0.2.2\n"
	     "server=/a.test/b.test/192.0.2.3#54@eth0@192.0.2.9#5000\n"
	     "server=/local.test/\n"
	     "server=/www.example.com/#\n"
	     "server=//192.0.2.4\n"
	     "server=/*google.com/192.0.2.5\n"
	     "server=/*.sub.test/192.0.2.6\n"
	     "server=/.dot.test/192.0.2.7\n"
	     "server=/#/192.0.2.8\n"
	     "local=/lan/\n"
	     "server=dns.example.net\n"
	     "server=#\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_server *s = C.servers.v;
	assert_int_equal(C.servers.n, 15);
	assert_int_equal(s[0].kind, CONF_SERVER_FORWARD);
	assert_int_equal(s[0].ndomains, 0);
	assert_int_equal(ip4(&s[0].addr), 0xC0000201);
	assert_int_equal(s[0].port, 53);
	assert_int_equal(s[1].addr.family, AF_INET6);
	assert_int_equal(s[1].port, 5353);
	assert_string_equal(s[2].addr.zone, "eth0");
	assert_int_equal(s[3].ndomains, 1);
	name_is(&s[3].domains[0].name, "example.com.");
	assert_int_equal(s[4].ndomains, 2);
	assert_int_equal(s[4].port, 54);
	assert_string_equal(s[4].source_iface, "eth0");
	assert_true(s[4].has_source);
	assert_int_equal(ip4(&s[4].source), 0xC0000209);
	assert_int_equal(s[4].source_port, 5000);
	assert_int_equal(s[5].kind, CONF_SERVER_LOCAL);
	assert_int_equal(s[6].kind, CONF_SERVER_DEFAULT);
	assert_int_equal(s[7].domains[0].match, CONF_MATCH_UNQUALIFIED);
	assert_int_equal(s[8].domains[0].match, CONF_MATCH_SUFFIX);
	name_is(&s[8].domains[0].name, "google.com.");
	assert_int_equal(s[9].domains[0].match, CONF_MATCH_BELOW);
	name_is(&s[9].domains[0].name, "sub.test.");
	assert_int_equal(s[10].domains[0].match, CONF_MATCH_DOMAIN);
	name_is(&s[10].domains[0].name, "dot.test.");
	assert_int_equal(s[11].domains[0].match, CONF_MATCH_ANY);
	assert_int_equal(s[12].origin, CONF_FROM_LOCAL);
	assert_int_equal(s[12].kind, CONF_SERVER_LOCAL);
	assert_string_equal(s[13].host, "dns.example.net");
	assert_false(s[13].has_addr);
	assert_int_equal(s[14].kind, CONF_SERVER_DEFAULT);

	bad("server=1.2.3.4#99999", "port 99999 is out of range");
	bad("server=1.2.3.4#x", "port 'x' is not a decimal number");
	bad("server=1.2.3", "server '1.2.3' is not an IPv4 or IPv6 address");
	bad("server=/example.com", "the domain needs a closing '/'");
	bad("server=/x/1.2.3.4,5", "one server per line");
	bad("server=/exa..mple.com/1.2.3.4", "domain 'exa..mple.com' is not a "
	    "valid domain name (empty label)");
	bad("server=1.2.3.4@1.2.3.5@1.2.3.6", "two source addresses");
	bad("server=1.2.3.4@", "nothing after '@'");
	bad("server=1.2.3.4@::1", "not of the server's address family");
	bad("server=/*./1.2.3.4", "nothing after its wildcard");
	warns("server=/example.com/1.2.3.4/", "the domain '1.2.3.4' looks like "
	      "an address");
	warns("server=", "empty value; ignored");
}

static void test_rev_server(void **state)
{
	(void)state;
	load("rev-server=192.168.3.0/24,10.1.2.3\n"
	     "rev-server=10.0.0.0/20,10.1.2.3#5353@eth0\n"
	     "rev-server=1.2.3.4,10.1.2.3\n"
	     "rev-server=fd00:1::/48,::1\n"
	     "rev-server=fd00:1::/47\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_server *s = C.servers.v;
	assert_int_equal(s[0].ndomains, 1);
	name_is(&s[0].domains[0].name, "3.168.192.in-addr.arpa.");
	assert_int_equal(s[0].rev_prefix, 24);
	/* /20: the 16 /24 zones it covers */
	assert_int_equal(s[1].ndomains, 16);
	name_is(&s[1].domains[0].name, "0.0.10.in-addr.arpa.");
	name_is(&s[1].domains[15].name, "15.0.10.in-addr.arpa.");
	assert_int_equal(s[1].port, 5353);
	name_is(&s[2].domains[0].name, "4.3.2.1.in-addr.arpa.");
	name_is(&s[3].domains[0].name, "0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa.");
	assert_int_equal(s[4].ndomains, 2);
	name_is(&s[4].domains[0].name, "0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa.");
	name_is(&s[4].domains[1].name, "1.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa.");
	assert_int_equal(s[4].kind, CONF_SERVER_LOCAL);
	bad("rev-server=1.2.3.0/33,1.1.1.1", "prefix length 33 is out of range "
	    "(1..32)");
	bad("rev-server=1.2.3.0/0,1.1.1.1", "prefix length 0 is out of range");
	bad("rev-server=foo,1.1.1.1", "network address 'foo' is not an IPv4");
	bad("rev-server=", "needs a network");
	dumps("rev-server=10.0.0.99/20,10.1.2.3\n",
	      "rev-server=10.0.0.0/20,10.1.2.3\n");
}

static void test_address(void **state)
{
	(void)state;
	load("address=/double-click.net/127.0.0.1\n"
	     "address=/www.example.com/fe80::20d:60ff:fe36:f83\n"
	     "address=/ads.test/tracker.test/\n"
	     "address=/null.test/#\n"
	     "address=/#/192.0.2.1\n");
	assert_int_equal(C.errors, 0);
	const conf_address *a = C.addresses.v;
	assert_int_equal(C.addresses.n, 5);
	assert_int_equal(a[0].kind, CONF_ADDRESS_IP);
	assert_int_equal(ip4(&a[0].ip), 0x7f000001);
	assert_int_equal(a[1].ip.family, AF_INET6);
	assert_int_equal(a[2].kind, CONF_ADDRESS_NXDOMAIN);
	assert_int_equal(a[2].ndomains, 2);
	assert_int_equal(a[3].kind, CONF_ADDRESS_NULL);
	assert_int_equal(a[4].domains[0].match, CONF_MATCH_ANY);
	bad("address=/x.com/1.2.3.4#53", "'1.2.3.4#53' is not an IP address");
	bad("address=/x.com/foo", "'foo' is not an IP address");
	bad("address=/x.com/1.2.3.4,5.6.7.8", "is not an IP address");
	bad("address=1.2.3.4", "needs /domain/ first");
}

static void test_local_records(void **state)
{
	(void)state;
	load("host-record=laptop,laptop.example.com,192.0.2.1,1234::100\n"
	     "host-record=h.test,::1,300\n"
	     "cname=alias.test,other.test,target.test\n"
	     "cname=c.test,target.test,77\n"
	     "txt-record=example.com,\"v=spf1 a -all\"\n"
	     "txt-record=empty.test\n"
	     "srv-host=_ldap._tcp.example.com,ldap.example.com,389,1,2\n"
	     "srv-host=_ldap._tcp,ldap.example.com,389\n"
	     "srv-host=_gone._tcp.example.com\n"
	     "mx-host=maildomain.com,servermachine.com,50\n"
	     "mx-host=m.test,5\n"
	     "mx-host=m2.test\n"
	     "ptr-record=_http._tcp.dns-sd-services,\"New Employee Page._http."
	     "_tcp.dns-sd-services\"\n"
	     "ptr-record=4.3.2.1.in-addr.arpa\n"
	     "domain=example.com\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_host_record *h = C.host_records.v;
	assert_int_equal(h[0].nnames, 2);
	name_is(&h[0].names[1], "laptop.example.com.");
	assert_true(h[0].has_v4 && h[0].has_v6);
	assert_int_equal(h[0].ttl, CONF_UNSET);
	assert_int_equal(h[1].ttl, 300);
	assert_false(h[1].has_v4);
	const conf_cname *cn = C.cnames.v;
	assert_int_equal(cn[0].naliases, 2);
	name_is(&cn[0].target, "target.test.");
	assert_int_equal(cn[1].ttl, 77);
	assert_int_equal(C.txt_records.v[0].rdlen, 14);
	assert_int_equal(C.txt_records.v[1].rdlen, 1); /* one empty string */
	const conf_srv *s = C.srv_records.v;
	assert_int_equal(s[0].port, 389);
	assert_int_equal(s[0].priority, 1);
	assert_int_equal(s[0].weight, 2);
	assert_false(s[0].relative);
	assert_true(s[1].relative);
	assert_false(s[2].has_target);
	assert_int_equal(s[2].port, 1);
	const conf_mx *m = C.mx_records.v;
	assert_int_equal(m[0].preference, 50);
	assert_false(m[1].has_target);
	assert_int_equal(m[1].preference, 5);
	assert_int_equal(m[2].preference, 1);
	name_is(&C.ptr_records.v[0].target,
	        "New\\ Employee\\ Page._http._tcp.dns-sd-services.");
	assert_false(C.ptr_records.v[1].has_target);

	bad("host-record=a.b", "needs an IPv4 or IPv6 address");
	bad("host-record=1.2.3.4", "needs a name");
	bad("host-record=a.b,1.2.3.4,c.d", "name 'c.d' after the addresses");
	bad("host-record=a.b,1.2.3.4,99999999999", "TTL 99999999999 is out of "
	    "range");
	bad("host-record=a..b,1.2.3.4", "name 'a..b' is not a valid domain");
	warns("host-record=a.b,1.2.3.4,5.6.7.8", "replaces the first");
	bad("cname=a", "needs an alias and a target");
	bad("cname=a,a", "would be an alias of itself");
	bad("mx-host=a,b,x", "preference 'x' is not a decimal number");
	bad("mx-host=a,b,70000", "preference 70000 is out of range");
	bad("mx-host=a,b,1,2", "too many fields");
	bad("srv-host=_a._tcp.x,t,x", "port 'x' is not a decimal number");
	bad("srv-host=_a._tcp.x,t,70000", "port 70000 is out of range");
	bad("srv-host=_a._tcp.x,t,80,1,2,3", "too many fields");
	bad("ptr-record=a,b,c", "too many fields");
	char big[400];
	memset(big, 'x', sizeof big);
	memcpy(big, "txt-record=l.test,", 18);
	big[sizeof big - 1] = '\0';
	load(big);
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.txt_records.v[0].rdlen, 381 + 2); /* 255 + 126 */
	assert_int_equal(C.txt_records.v[0].rdata[0], 255);
	/* checks across options happen in conf_finish() */
	load("srv-host=_a._tcp,t.test\n");
	assert_int_equal(C.warnings, 0);
	assert_int_equal(conf_finish(&C), 0);
	assert_int_equal(C.warnings, 1);
	assert_non_null(strstr(C.diags.v[0].text, "t.conf:1: warning: option "
	                       "'srv-host': the name has no domain and no "
	                       "domain= is set"));
	load("srv-host=_a._tcp,t.test\ndomain=example.com\n");
	assert_int_equal(conf_finish(&C), 0);
	assert_int_equal(C.warnings, 0);
}

static void test_domain(void **state)
{
	(void)state;
	load("domain=thekelleys.org.uk\n"
	     "domain=wireless.example,192.168.2.0/24\n"
	     "domain=reserved.example,192.168.3.100,192.168.3.200\n"
	     "domain=one.example,192.168.4.1\n"
	     "domain=lan.example,192.168.5.0/24,local\n"
	     "domain=if.example,eth0\n"
	     "domain=#\n"
	     "domain-suffix=alias.example\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_domain_rule *d = C.domains.v;
	assert_int_equal(d[0].scope, CONF_DOMAIN_ALL);
	assert_int_equal(d[1].scope, CONF_DOMAIN_SUBNET);
	assert_int_equal(d[1].prefix, 24);
	assert_int_equal(d[2].scope, CONF_DOMAIN_RANGE);
	assert_int_equal(ip4(&d[2].end), 0xC0A803C8);
	assert_int_equal(d[3].scope, CONF_DOMAIN_ADDR);
	assert_true(d[4].local);
	assert_int_equal(d[5].scope, CONF_DOMAIN_IFACE);
	assert_string_equal(d[5].iface, "eth0");
	assert_true(d[6].from_resolv);
	name_is(&d[7].name, "alias.example.");
	bad("domain=x.com,1.2.3.0/33", "prefix length 33 is out of range");
	bad("domain=x.com,1.2.3.0/24,foo", "unexpected 'foo' after the subnet");
	bad("domain=x.com,1.2.3.0/24,local,x", "unexpected");
	bad("domain=x.com,1.2.3.9,1.2.3.1", "ends before it starts");
	bad("domain=x.com,1.2.3.4,::1", "mixes IPv4 and IPv6");
	bad("domain=x..com", "not a valid domain name");
	bad("domain=x.com,local", "'local' needs an address range");
	warns("domain=x.com,1.2.3.4,1.2.3.9,local", "'local' only makes reverse "
	      "zones local");
}

static void test_files_and_flags(void **state)
{
	(void)state;
	load("resolv-file=/etc/resolv.dnsmasq\nresolv-file=/etc/ppp/resolv.conf\n"
	     "no-resolv\nstrict-order\nall-servers\nno-poll\nrecursive\n"
	     "root-hints=/usr/share/dns/root.hints\nno-hosts\n"
	     "addn-hosts=/etc/banner_add_hosts\naddn-hosts=/etc/hosts.d\n"
	     "expand-hosts\ndomain-needed\nbogus-priv\nno-negcache\n"
	     "keep-in-foreground\nno-daemon\ndnssec\nproxy-dnssec\n"
	     "dhcp-authoritative\ndhcp-rapid-commit\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.resolv_files.n, 2);
	assert_true(C.no_resolv && C.strict_order && C.all_servers && C.no_poll);
	assert_true(C.recursive);
	assert_false(C.resolve_any); /* ANY: RFC 8482 minimal unless asked */
	assert_false(C.aggressive_nsec); /* RFC 8198 use only when asked */
	assert_string_equal(C.root_hints, "/usr/share/dns/root.hints");
	assert_true(C.no_hosts && C.expand_hosts && C.domain_needed);
	assert_int_equal(C.addn_hosts.n, 2);
	assert_true(C.bogus_priv && C.no_negcache && C.keep_in_foreground);
	assert_true(C.no_daemon && C.dnssec && C.proxy_dnssec);
	assert_true(C.dhcp_authoritative && C.dhcp_rapid_commit);
	/* a path is the whole value, commas and all (as dnsmasq) */
	load("addn-hosts=/a,b\n");
	assert_string_equal(C.addn_hosts.v[0].s, "/a,b");
	load("resolv-file=\n");
	assert_string_equal(C.resolv_files.v[0].s, "");
	load("resolve-any\n");
	assert_int_equal(C.errors, 0);
	assert_true(C.resolve_any);
	bad("root-hints=", "file name is empty");
	bad("root-hints=/a\nroot-hints=/b", "more than once");
}

static void test_ttls_and_sizes(void **state)
{
	(void)state;
	load("local-ttl=60\nneg-ttl=30\nmax-ttl=3600\nmin-cache-ttl=10\n"
	     "max-cache-ttl=86400\ncache-size=10000\nedns-packet-max=4096\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.local_ttl, 60);
	assert_int_equal(C.neg_ttl, 30);
	assert_int_equal(C.max_ttl, 3600);
	assert_int_equal(C.min_cache_ttl, 10);
	assert_int_equal(C.max_cache_ttl, 86400);
	assert_int_equal(C.cache_size, 10000);
	assert_int_equal(C.edns_packet_max, 4096);
	load("local-ttl=\ncache-size=0\n");
	assert_int_equal(C.local_ttl, 0);
	assert_int_equal(C.cache_size, 0);
	bad("local-ttl=1h", "TTL '1h' is not a decimal number");
	bad("neg-ttl=x", "TTL 'x' is not a decimal number");
	bad("max-ttl=2147483648", "TTL 2147483648 is out of range "
	    "(0..2147483647)");
	bad("cache-size=-1", "not a decimal number");
	bad("edns-packet-max=511", "packet size 511 is out of range "
	    "(512..65535)");
	bad("edns-packet-max=100000", "out of range");
	warns("min-cache-ttl=3601", "above the limit of one hour");
	assert_int_equal(C.min_cache_ttl, 3600);
}

static void test_logging_process(void **state)
{
	(void)state;
	load("log-queries=extra\nlog-facility=LOCAL3\npid-file=/run/w.pid\n"
	     "user=nobody\ngroup=dip\n");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.log_queries, CONF_LOG_QUERIES_EXTRA);
	assert_string_equal(C.log_facility, "LOCAL3");
	assert_string_equal(C.pid_file, "/run/w.pid");
	assert_string_equal(C.user, "nobody");
	assert_string_equal(C.group, "dip");
	load("log-queries\nlog-facility=/var/log/w.log\npid-file\nuser=\n");
	assert_int_equal(C.log_queries, CONF_LOG_QUERIES_ON);
	assert_string_equal(C.log_facility, "/var/log/w.log");
	assert_string_equal(C.pid_file, "");     /* no pid file */
	assert_string_equal(C.user, "");         /* do not change user */
	assert_null(C.group);
	load("log-queries=proto\nlog-facility=-\n");
	assert_int_equal(C.log_queries, CONF_LOG_QUERIES_PROTO);
	bad("log-queries=foo", "'foo' is not 'extra' or 'proto'");
	bad("log-facility=", "needs a syslog facility");
	bad("log-facility=zz9", "'zz9' is not a syslog facility");
	bad("user=a b", "is not a valid user or group name");
}

static void test_dnssec(void **state)
{
	(void)state;
	const char *ds = "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237"
	                 "C7F8EC8D";
	char line[512];
	snprintf(line, sizeof line, "trust-anchor=.,20326,8,2,%s\n"
	         "trust-anchor=example.com,IN,1,8,1,0123456789abcdef0123456789abcdef"
	         "01234567\ndnssec-check-unsigned=no\n", ds);
	load(line);
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_trust_anchor *t = C.trust_anchors.v;
	name_is(&t[0].name, ".");
	assert_int_equal(t[0].key_tag, 20326);
	assert_int_equal(t[0].algorithm, 8);
	assert_int_equal(t[0].digest_type, 2);
	assert_int_equal(t[0].digest_len, 32);
	assert_int_equal(t[0].digest[0], 0xE0);
	assert_int_equal(t[1].digest_len, 20);
	assert_false(C.dnssec_check_unsigned);
	load("dnssec-check-unsigned\n");
	assert_true(C.dnssec_check_unsigned);
	snprintf(line, sizeof line, "trust-anchor=IN,.,20326,8,2,%s", ds);
	bad(line, "class '.': only IN is supported"); /* the class comes second */
	snprintf(line, sizeof line, "trust-anchor=.,CH,20326,8,2,%s", ds);
	bad(line, "class 'CH': only IN is supported");
	bad("trust-anchor=.,20326,8,2,XYZ", "non-hex character 'X'");
	bad("trust-anchor=.,20326,8,2", "too few fields");
	snprintf(line, sizeof line, "trust-anchor=.,70000,8,2,%s", ds);
	bad(line, "key tag 70000 is out of range");
	snprintf(line, sizeof line, "trust-anchor=.,20326,300,2,%s", ds);
	bad(line, "algorithm 300 is out of range");
	snprintf(line, sizeof line, "trust-anchor=.,20326,8,2,%s00", ds);
	bad(line, "a digest of type 2 has 32 octets, not 33");
	snprintf(line, sizeof line, "trust-anchor=.,20326,8,2,%s,x", ds);
	bad(line, "too many fields");
	bad("trust-anchor=.,20326,RSASHA256,2,00", "algorithm 'RSASHA256' is not "
	    "a decimal number");
	bad("dnssec-check-unsigned=yes", "the only value is 'no'");
	/* ward: negative trust anchors, NSEC3 limit; dnsmasq: timestamp */
	load("dnssec-nta=/a.example/b.example/\ndnssec-nta=c.example\n"
	     "nsec3-max-iterations=100\ndnssec-timestamp=/var/lib/ts\n"
	     "aggressive-nsec\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.dnssec_ntas.n, 3);
	name_is(&C.dnssec_ntas.v[0], "a.example.");
	name_is(&C.dnssec_ntas.v[2], "c.example.");
	assert_int_equal(C.nsec3_max_iterations, 100);
	assert_string_equal(C.dnssec_timestamp, "/var/lib/ts");
	assert_true(C.aggressive_nsec);
	bad("dnssec-nta=//", "no domain given");
	bad("nsec3-max-iterations=x", "is not a decimal number");
	bad("nsec3-max-iterations=70000", "out of range");
}

/* ---- DHCP ---- */

static void test_dhcp_range(void **state)
{
	(void)state;
	load("dhcp-range=192.168.0.50,192.168.0.150,12h\n"
	     "dhcp-range=192.168.1.50,192.168.1.150,255.255.255.0,"
	     "192.168.1.255,infinite\n"
	     "dhcp-range=set:red,192.168.2.50,192.168.2.150\n"
	     "dhcp-range=tag:green,tag:!blue,set:x,192.168.3.50,192.168.3.150,45m\n"
	     "dhcp-range=192.168.4.0,static\n"
	     "dhcp-range=192.168.5.0,proxy,255.255.255.0\n"
	     "dhcp-range=legacy,192.168.6.10,192.168.6.20,1d\n"
	     "dhcp-range=net:old,192.168.7.10,192.168.7.20,2w\n"
	     "dhcp-range=192.168.8.10,192.168.8.20,1H\n"
	     "dhcp-range=192.168.9.10,192.168.9.20,90s\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_dhcp_range *r = C.dhcp_ranges.v;
	assert_int_equal(C.dhcp_ranges.n, 10);
	assert_int_equal(r[0].start, 0xC0A80032);
	assert_int_equal(r[0].end, 0xC0A80096);
	assert_true(r[0].has_lease);
	assert_int_equal(r[0].lease, 43200);
	assert_int_equal(r[1].netmask, 0xFFFFFF00);
	assert_int_equal(r[1].broadcast, 0xC0A801FF);
	assert_int_equal(r[1].lease, CONF_LEASE_INFINITE);
	assert_string_equal(r[2].set_tag, "red");
	assert_false(r[2].has_lease);
	assert_int_equal(r[3].match.n, 2);
	assert_true(r[3].match.v[1].negate);
	assert_string_equal(r[3].set_tag, "x");
	assert_int_equal(r[3].lease, 2700);
	assert_int_equal(r[4].mode, CONF_RANGE_STATIC);
	assert_int_equal(r[5].mode, CONF_RANGE_PROXY);
	assert_string_equal(r[6].set_tag, "legacy");
	assert_string_equal(r[7].match.v[0].name, "old");
	assert_int_equal(r[7].lease, 1209600);
	assert_int_equal(r[8].lease, 3600);
	assert_int_equal(r[9].lease, 120); /* raised to the minimum ... */
	assert_int_equal(C.warnings, 1);  /* ... with a warning */

	bad("dhcp-range=192.168.0.50", "needs an end address, 'static' or "
	    "'proxy'");
	bad("dhcp-range=", "needs a start address");
	bad("dhcp-range=192.168.0.50,192.168.0.150,1x", "'1x' is not a netmask, "
	    "broadcast address or lease time");
	bad("dhcp-range=192.168.0.50,192.168.0.150,1h30m", "'1h30m' is not a");
	bad("dhcp-range=192.168.0.50,192.168.0.150,255.255.0.255",
	    "netmask 255.255.0.255 is not contiguous");
	bad("dhcp-range=192.168.0.50,192.168.1.150,255.255.255.0",
	    "start and end are not in the same subnet");
	bad("dhcp-range=set:a,set:b,192.168.0.50,192.168.0.150",
	    "only one tag can be set here");
	bad("dhcp-range=192.168.0.50,192.168.0.150,255.255.255.0,1.2.3.4,"
	    "5.6.7.8", "too many addresses");
	bad("dhcp-range=192.168.0.50,192.168.0.150,12h,255.255.255.0",
	    "the lease time must come last");
	bad("dhcp-range=192.168.0.50,192.168.0.150,1h,2h", "the lease time "
	    "must come last");
	bad("dhcp-range=192.168.0.50,192.168.0.150,99999999999", "is too long");
	bad("dhcp-range=192.168.0.50,192.168.0.150,deprecated", "for IPv6 "
	    "ranges only");
	bad("dhcp-range=192.168.0.500,192.168.0.150", "start address "
	    "'192.168.0.500' is not an IPv4 address");
	warns("dhcp-range=192.168.0.150,192.168.0.50", "ends before it starts");
	assert_int_equal(C.dhcp_ranges.v[0].start, 0xC0A80032);
	warns("dhcp-range=interface:eth0,192.168.0.50,192.168.0.150",
	      "'interface:eth0' is obsolete");
}

static void test_dhcp_host(void **state)
{
	(void)state;
	load("dhcp-host=11:22:33:44:55:66,192.168.0.60\n"
	     "dhcp-host=11:22:33:44:55:66,fred,192.168.0.61,45m\n"
	     "dhcp-host=11:22:33:44:55:66,12:34:56:78:90:12,192.168.0.62\n"
	     "dhcp-host=bert,192.168.0.70,infinite\n"
	     "dhcp-host=id:01:02:02:04,192.168.0.71\n"
	     "dhcp-host=id:marjorie,192.168.0.72\n"
	     "dhcp-host=judge\n"
	     "dhcp-host=11:22:33:44:55:66,ignore\n"
	     "dhcp-host=11:22:33:44:55:66,id:*\n"
	     "dhcp-host=11:22:33:*:*:*,set:red,set:blue,tag:lan\n"
	     "dhcp-host=06-00:20:e0:3b:13:af,192.168.0.73\n"
	     "dhcp-host=aa:bb:cc:dd:ee:ff,net:old,host_1\n"
	     "dhcp-host=aa:bb:cc:dd:ee:fe,45\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	const conf_dhcp_host *h = C.dhcp_hosts.v;
	assert_int_equal(h[0].nhwaddrs, 1);
	assert_int_equal(h[0].hwaddrs[0].len, 6);
	assert_int_equal(h[0].hwaddrs[0].addr[5], 0x66);
	assert_int_equal(h[0].hwaddrs[0].htype, -1);
	assert_int_equal(h[0].ip, 0xC0A8003C);
	assert_string_equal(h[1].hostname, "fred");
	assert_int_equal(h[1].lease, 2700);
	assert_int_equal(h[2].nhwaddrs, 2);
	assert_int_equal(h[3].lease, CONF_LEASE_INFINITE);
	assert_int_equal(h[4].client_id_len, 4);
	assert_int_equal(h[4].client_id[3], 4);
	assert_int_equal(h[5].client_id_len, 8);
	assert_memory_equal(h[5].client_id, "marjorie", 8);
	assert_string_equal(h[6].hostname, "judge");
	assert_true(h[7].ignore);
	assert_true(h[8].ignore_client_id);
	assert_int_equal(h[9].hwaddrs[0].wildcard, 0x38);
	assert_int_equal(h[9].nset_tags, 2);
	assert_string_equal(h[9].set_tags[1], "blue");
	assert_string_equal(h[9].match.v[0].name, "lan");
	assert_int_equal(h[10].hwaddrs[0].htype, 6);
	assert_string_equal(h[11].set_tags[0], "old"); /* net: is set: here */
	assert_string_equal(h[11].hostname, "host_1");
	assert_int_equal(h[12].lease, 120);

	bad("dhcp-host=11:22:33:44:55:6g,1.2.3.4", "hardware address "
	    "'11:22:33:44:55:6g' is malformed");
	bad("dhcp-host=11:22:33:44:55:66,-fred", "has a label starting with '-'");
	bad("dhcp-host=11:22:33:44:55:66,*", "has the character '*'");
	bad("dhcp-host=11:22:33:44:55:66,1.2.3.4,5.6.7.8",
	    "two IPv4 addresses (1.2.3.4 and 5.6.7.8)");
	bad("dhcp-host=11:22:33:44:55:66,fred,barney", "two host names");
	bad("dhcp-host=11:22:33:44:55:66,1.2.3", "address '1.2.3' is not an IPv4");
	bad("dhcp-host=1.2.3.4", "needs a hardware address, id: or a host name");
	bad("dhcp-host=id:,1.2.3.4", "client identifier 'id:' is empty");
	bad("dhcp-host=a,1h,2h", "two lease times");
	bad("dhcp-host=a,,1.2.3.4", "field 2 is empty");
	bad("dhcp-host=a,1.2.3.4\ndhcp-host=b,1.2.3.4\n",
	    "t.conf:2: option 'dhcp-host': the address 1.2.3.4 is already given "
	    "to another host (t.conf:1)");
	warns("dhcp-host=id:00:01,fred,[1234::5]", "DHCPv6 (an [IPv6] address)");
	assert_true(C.dhcp_hosts.v[0].has_ipv6);
}

static const conf_dhcp_option *opt1(const char *line)
{
	load(line);
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.dhcp_options.n, 1);
	return &C.dhcp_options.v[0];
}

static void optval(const char *line, unsigned code, const char *hex)
{
	const conf_dhcp_option *o = opt1(line);
	assert_int_equal(o->code, code);
	char got[1024];
	strbuf sb = strbuf_init(got, sizeof got);
	strbuf_hex(&sb, o->value, o->len);
	if (strcmp(got, hex))
		fprintf(stderr, "'%s': got %s want %s\n", line, got, hex);
	assert_string_equal(got, hex);
}

static void test_dhcp_option(void **state)
{
	(void)state;
	optval("dhcp-option=3,1.2.3.4", 3, "01020304");
	optval("dhcp-option=option:router,1.2.3.4,5.6.7.8", 3,
	       "0102030405060708");
	optval("dhcp-option = option:router", 3, "");
	optval("dhcp-option=option:ntp-server,192.168.0.4,10.10.0.5", 42,
	       "C0A800040A0A0005");
	optval("dhcp-option=option:T1,1m", 58, "0000003C");
	optval("dhcp-option=option:lease-time,infinite", 51, "FFFFFFFF");
	optval("dhcp-option=40,welly", 40, "77656C6C79");
	optval("dhcp-option=23,50", 23, "32");
	optval("dhcp-option=option:mtu,1500", 26, "05DC");
	optval("dhcp-option=option:mtu,1500s", 26, "05DC");
	optval("dhcp-option=2,-3600", 2, "FFFFF1F0");
	optval("dhcp-option=19,0", 19, "00");
	optval("dhcp-option=128,e4:45:74:68:00:00", 128, "E44574680000");
	optval("dhcp-option=252,\"\\n\"", 252, "0A");
	optval("dhcp-option=option:domain-search,eng.apple.com,marketing."
	       "apple.com", 119,
	       "03656E67056170706C6503636F6D00096D61726B6574696E67C004");
	optval("dhcp-option=121,192.168.1.0/24,1.2.3.4,10.0.0.0/8,5.6.7.8", 121,
	       "18C0A80101020304080A05060708");
	optval("dhcp-option=option:sip-server,1.2.3.4", 120, "0101020304");
	optval("dhcp-option=option:sip-server,sip.example.com", 120,
	       "0003736970076578616D706C6503636F6D00");
	optval("dhcp-option=66,\"1.2.3.4\"", 66, "312E322E332E34");
	optval("dhcp-option=option:client-arch,0,7", 93, "00000007");
	optval("dhcp-option=12,host name", 12, "686F7374206E616D65");
	optval("dhcp-option=15,\"a,b\"", 15, "612C62");
	/* generic (unknown) options: dnsmasq's rules */
	optval("dhcp-option=200,1.2.3.4,5.6.7.8", 200, "0102030405060708");
	optval("dhcp-option=200,1,300,70000", 200, "01012C00011170");
	optval("dhcp-option=200,1i", 200, "00000001");
	optval("dhcp-option=200,text,more", 200, "746578742C6D6F7265");
	optval("dhcp-option=200,\"42\"", 200, "3432");
	/* a dotted quad for a string option goes out as an address, as
	 * dnsmasq does, with a warning */
	load("dhcp-option=66,1.2.3.4");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.warnings, 1);
	assert_int_equal(C.dhcp_options.v[0].len, 4);

	const conf_dhcp_option *o = opt1("dhcp-option=tag:red,tag:!blue,"
	                                 "option:router,1.2.3.4");
	assert_int_equal(o->match.n, 2);
	assert_true(o->match.v[1].negate);
	o = opt1("dhcp-option=red,3,1.2.3.4"); /* legacy bare tag */
	assert_string_equal(o->match.v[0].name, "red");
	o = opt1("dhcp-option=vendor:PXEClient,1,0.0.0.0");
	assert_int_equal(o->kind, CONF_DHCPOPT_VENDOR);
	assert_string_equal(o->vendor, "PXEClient");
	assert_int_equal(o->len, 4);
	o = opt1("dhcp-option=vendor:,1,0.0.0.0");
	assert_string_equal(o->vendor, "");
	o = opt1("dhcp-option=encap:175,190,user");
	assert_int_equal(o->kind, CONF_DHCPOPT_ENCAP);
	assert_int_equal(o->encap, 175);
	o = opt1("dhcp-option=vi-encap:2,10,text");
	assert_int_equal(o->kind, CONF_DHCPOPT_VI_ENCAP);
	o = opt1("dhcp-option-force=208,f1:00:74:7e");
	assert_true(o->force);
	o = opt1("dhcp-option=option:server-ip-address,192.0.2.9");
	assert_int_equal(o->code, 255);

	bad("dhcp-option=option:nosuch,1", "'nosuch' is not a DHCP option name");
	bad("dhcp-option=256,1", "option number 256 is out of range");
	bad("dhcp-option=0,1", "option 0 cannot be sent");
	bad("dhcp-option=3,1.2.3.4.5", "address '1.2.3.4.5' is not an IPv4");
	bad("dhcp-option=3,foo", "address 'foo' is not an IPv4");
	bad("dhcp-option=1,1.2.3.4,5.6.7.8", "subnet-mask takes one IPv4");
	bad("dhcp-option=26,70000", "70000 is out of range (0..65535)");
	bad("dhcp-option=26,x", "mtu takes a number, not 'x'");
	bad("dhcp-option=option:mtu,1500b", "this option is 2 octets long");
	bad("dhcp-option=19,2", "ip-forward-enable takes 0 or 1, not '2'");
	bad("dhcp-option=80,1", "rapid-commit takes no value");
	bad("dhcp-option=option:T1,1x", "T1 takes a time");
	bad("dhcp-option=121,10.0.0.0/33,1.2.3.4", "prefix length 33 is out of "
	    "range");
	bad("dhcp-option=121,10.0.0.1/8,1.2.3.4", "has address bits set past");
	bad("dhcp-option=121,10.0.0.0/8", "takes pairs");
	bad("dhcp-option=119,bad..name", "is not a valid domain name");
	bad("dhcp-option=encap:175,vendor:x,190,user", "only one of encap:");
	bad("dhcp-option=router,1.2.3.4", "'router' is not an option number "
	    "(write option:router)");
	bad("dhcp-option=tag:a", "needs an option number");
	bad("dhcp-option=53,1", "is the server's own");
	bad("dhcp-option=set:a,3,1.2.3.4", "set: has no meaning here");
	warns("dhcp-option=option6:dns-server,[1234::77]", "DHCPv6 (option6:)");
}

static void test_dhcp_tags_and_misc(void **state)
{
	(void)state;
	load("dhcp-leasefile=/var/lib/misc/dnsmasq.leases\ndhcp-lease-max=150\n"
	     "dhcp-ignore=tag:!known\ndhcp-ignore=legacy,tag:x\n"
	     "dhcp-broadcast\ndhcp-broadcast=tag:old\n"
	     "dhcp-vendorclass=set:printers,Hewlett-Packard JetDirect\n"
	     "dhcp-vendorclass=set:ms,enterprise:311,MSFT\n"
	     "dhcp-vendorclass=red,Linux\n"
	     "dhcp-userclass=set:acc,accounts\n"
	     "dhcp-mac=set:3com,01:34:23:*:*:*\n"
	     "dhcp-match=set:ipxe,175\n"
	     "dhcp-match=set:efi-ia32,option:client-arch,6\n"
	     "dhcp-match=set:v,vi-encap:311,1\n"
	     "dhcp-match=pxe,60,\"PXEClient\"\n"
	     "dhcp-match=set:p,60,01:*:02\n"
	     "tag-if=set:a,set:b,tag:c,tag:!d\n"
	     "tag-if=set:ppp,tag:ppp*\n"
	     "tag-if=set:always\n"
	     "dhcp-script=/bin/echo\n");
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	assert_string_equal(C.dhcp_leasefile, "/var/lib/misc/dnsmasq.leases");
	assert_int_equal(C.dhcp_lease_max, 150);
	assert_true(C.dhcp_ignore.v[0].match.v[0].negate);
	assert_string_equal(C.dhcp_ignore.v[1].match.v[0].name, "legacy");
	assert_int_equal(C.dhcp_broadcast.n, 2);
	assert_int_equal(C.dhcp_broadcast.v[0].match.n, 0);
	assert_int_equal(C.dhcp_vendorclasses.v[0].len, 25);
	assert_int_equal(C.dhcp_vendorclasses.v[1].enterprise, 311);
	assert_string_equal(C.dhcp_vendorclasses.v[2].set_tag, "red");
	assert_string_equal(C.dhcp_userclasses.v[0].set_tag, "acc");
	assert_int_equal(C.dhcp_macs.v[0].hw.wildcard, 0x38);
	const conf_dhcp_match *m = C.dhcp_matches.v;
	assert_int_equal(m[0].kind, CONF_DHCPMATCH_PRESENT);
	assert_int_equal(m[0].code, 175);
	assert_int_equal(m[1].kind, CONF_DHCPMATCH_ELEMENT);
	assert_int_equal(m[1].code, 93);
	assert_int_equal(m[1].len, 2);
	assert_int_equal(m[1].value[1], 6);
	assert_true(m[2].vi_encap);
	assert_int_equal(m[2].code, 311);
	assert_int_equal(m[3].kind, CONF_DHCPMATCH_SUBSTRING);
	assert_string_equal(m[3].set_tag, "pxe");
	assert_int_equal(m[4].kind, CONF_DHCPMATCH_PREFIX);
	assert_int_equal(m[4].len, 3);
	assert_int_equal(m[4].wildcard[1], 1);
	assert_int_equal(C.tag_ifs.v[0].set.n, 2);
	assert_int_equal(C.tag_ifs.v[0].match.n, 2);
	assert_string_equal(C.tag_ifs.v[1].match.v[0].name, "ppp*");
	assert_int_equal(C.tag_ifs.v[2].match.n, 0);
	assert_string_equal(C.dhcp_script, "/bin/echo");

	bad("dhcp-lease-max=x", "number of leases 'x' is not a decimal");
	bad("dhcp-ignore=", "needs at least one tag");
	bad("dhcp-ignore=tag:", "tag name is empty");
	bad("dhcp-ignore=tag:a b", "tag name 'a b' has the character ' '");
	bad("dhcp-vendorclass=set:red", "needs the class");
	bad("dhcp-vendorclass=set:red,Linux,x", "too many fields");
	bad("dhcp-mac=set:red,zz", "'zz' is not a MAC address");
	bad("dhcp-mac=set:red,00:60:8c:*:*:zz", "is malformed");
	bad("dhcp-match=set:a", "needs the option to match");
	bad("dhcp-match=set:a,option:nosuch", "is not a DHCP option name");
	bad("tag-if=tag:b", "needs at least one set:TAG");
	bad("tag-if=set:a,x", "'x' is neither set:TAG nor tag:TAG");
	bad("dhcp-script=", "file name is empty");
	warns("dhcp-script=rel/path", "is not an absolute path");
}

/* ---- includes ---- */

static void test_conf_file(void **state)
{
	(void)state;
	mfs_add("a.conf", "port=5353\nconf-file=b.conf\n");
	mfs_add("b.conf", "no-resolv\nbogus\n");
	load("conf-file=a.conf\ncache-size=1\n");
	assert_int_equal(C.port, 5353);
	assert_true(C.no_resolv);
	assert_int_equal(C.cache_size, 1);
	assert_int_equal(C.errors, 1);
	assert_string_equal(C.diags.v[0].text, "b.conf:2: unknown option 'bogus'");
	assert_true(C.conf_file_given);

	bad("\nconf-file=missing.conf", "t.conf:2: option 'conf-file': cannot "
	    "read 'missing.conf': No such file or directory");

	/* a loop: warned and skipped, as dnsmasq skips it silently */
	mfs_reset();
	mfs_add("loop1.conf", "conf-file=loop2.conf\nport=1\n");
	mfs_add("loop2.conf", "conf-file=loop1.conf\n");
	fresh();
	assert_int_equal(conf_load_file(&C, "loop1.conf"), 0);
	assert_int_equal(C.port, 1);
	assert_int_equal(C.warnings, 1);
	assert_string_equal(C.diags.v[0].text, "loop2.conf:1: warning: option "
	                    "'conf-file': 'loop1.conf' is already being read "
	                    "(include loop: loop1.conf -> loop2.conf -> "
	                    "loop1.conf); skipped");
	/* itself */
	mfs_reset();
	mfs_add("self.conf", "conf-file=self.conf\n");
	fresh();
	conf_load_file(&C, "self.conf");
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.warnings, 1);
	/* read twice (not a loop) */
	mfs_reset();
	mfs_add("x.conf", "domain-needed\n");
	warns("conf-file=x.conf\nconf-file=x.conf\n", "'x.conf' was already "
	      "read (x.conf); skipped");
	/* too deep */
	mfs_reset();
	static char names[20][16], texts[20][32];
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof names[i], "d%d.conf", i);
		snprintf(texts[i], sizeof texts[i], "conf-file=d%d.conf\n", i + 1);
		mfs_add(names[i], texts[i]);
	}
	fresh();
	assert_int_equal(conf_load_file(&C, "d0.conf"), WARD_ECONF);
	assert_int_equal(C.errors, 1);
	assert_non_null(strstr(C.diags.v[0].text, "d15.conf:1: option "
	                       "'conf-file': 'd16.conf' is nested more than 16 "
	                       "files deep"));
	/* the top file missing */
	fresh();
	assert_int_equal(conf_load_file(&C, "nope.conf"), WARD_ECONF);
	assert_string_equal(C.diags.v[0].text, "nope.conf: cannot read the "
	                    "configuration file: No such file or directory");
	/* conf-file alone: no default file, nothing read */
	load("conf-file\n");
	assert_int_equal(C.errors, 0);
	assert_true(C.conf_file_given);
}

static void test_conf_dir(void **state)
{
	(void)state;
	mfs_add("d", NULL);
	mfs_add("d/b.conf", "txt-record=b.test\n");
	mfs_add("d/a.conf", "txt-record=a.test\n");
	mfs_add("d/C.conf", "txt-record=upper.test\n");
	mfs_add("d/z.bak", "txt-record=bak.test\n");
	mfs_add("d/y.conf~", "bogus-tilde\n");
	mfs_add("d/.hidden.conf", "bogus-hidden\n");
	mfs_add("d/#emacs#", "bogus-emacs\n");
	mfs_add("d/notes", "txt-record=notes.test\n");

	load("conf-dir=d\n");
	assert_int_equal(C.errors, 0);
	/* sorted, byte order (upper case first); ~ . #..# skipped */
	assert_int_equal(C.txt_records.n, 5);
	name_is(&C.txt_records.v[0].name, "upper.test.");
	name_is(&C.txt_records.v[1].name, "a.test.");
	name_is(&C.txt_records.v[2].name, "b.test.");
	name_is(&C.txt_records.v[3].name, "notes.test.");
	name_is(&C.txt_records.v[4].name, "bak.test.");
	assert_string_equal(C.txt_records.v[1].loc.file, "d/a.conf");

	load("conf-dir=d,.bak\n");     /* skip .bak */
	assert_int_equal(C.txt_records.n, 4);
	load("conf-dir=d/,*.conf\n");  /* only .conf */
	assert_int_equal(C.errors, 0);
	assert_int_equal(C.txt_records.n, 3);
	assert_string_equal(C.txt_records.v[0].loc.file, "d/C.conf");
	load("conf-dir=d,*.conf,.bak,*.bak\n");
	assert_int_equal(C.txt_records.n, 3);
	bad("conf-dir=nodir", "option 'conf-dir': cannot read directory 'nodir'");
	bad("conf-dir=", "directory name is empty");
	bad("conf-dir=d,", "extension 1 is empty");
}

/* conf-dir on a real directory through conf_io_posix. */
static void test_conf_dir_posix(void **state)
{
	(void)state;
	char dir[] = "/tmp/ward-conf-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *files[][2] = {
		{ "20-b.conf", "mx-host=b.test\n" },
		{ "10-a.conf", "mx-host=a.test\n" },
		{ "30-c.conf.dpkg-old", "bogus\n" },
		{ "x~", "bogus\n" },
	};
	char path[256];
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	char main_conf[300], text[400];
	snprintf(main_conf, sizeof main_conf, "%s/main", dir);
	snprintf(text, sizeof text, "conf-dir=%s,.dpkg-old\nconf-file=%s/10-a.conf\n",
	         dir, dir);
	FILE *f = fopen(main_conf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);

	if (C_live)
		conf_free(&C);
	assert_int_equal(conf_init(&C, NULL), 0);
	C_live = true;
	/* main sits in the directory too, but without an extension filter
	 * the directory read includes main itself: dnsmasq skips a file read
	 * twice, so do we (with a warning) */
	int r = conf_load_file(&C, main_conf);
	if (r)
		show_diags();
	assert_int_equal(r, 0);
	assert_int_equal(C.mx_records.n, 2);
	name_is(&C.mx_records.v[0].name, "a.test.");
	name_is(&C.mx_records.v[1].name, "b.test.");
	assert_int_equal(C.warnings, 2); /* main again, 10-a.conf again */

	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/sub", dir);
	rmdir(path);
	unlink(main_conf);
	rmdir(dir);
	/* a directory as conf-file */
	fresh();
	conf_free(&C);
	assert_int_equal(conf_init(&C, NULL), 0);
	assert_int_equal(conf_load_file(&C, "/"), WARD_ECONF);
	assert_non_null(strstr(C.diags.v[0].text, "is a directory"));
}

/* ---- command line ---- */

static void test_command_line(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"port=5353", "no-resolv", "server=/example.com/192.0.2.1#5353",
		"address=/ads.test/#", "txt-record=t.test,\"a, b\",c",
		"dhcp-range=set:red,192.168.0.50,192.168.0.150,255.255.255.0,12h",
		"dhcp-host=11:22:33:44:55:66,fred,192.168.0.60,45m",
		"dhcp-option=tag:red,option:router,192.168.0.1",
		"log-queries=extra", "cname=a.test,b.test,60", "local-ttl=60",
		("trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E880409"
		 "BBC683457104237C7F8EC8D"),
	};
	size_t n = sizeof lines / sizeof lines[0];
	char file[2048] = "";
	for (size_t i = 0; i < n; i++) {
		strcat(file, lines[i]);
		strcat(file, "\n");
	}
	load(file);
	assert_int_equal(C.errors, 0);
	char from_file[sizeof dumpbuf];
	strcpy(from_file, dump(&C));

	/* --opt=value, one by one */
	fresh();
	char arg[512];
	for (size_t i = 0; i < n; i++) {
		snprintf(arg, sizeof arg, "--%s", lines[i]);
		assert_int_equal(conf_apply_arg(&C, arg), 0);
	}
	assert_string_equal(dump(&C), from_file);

	/* a whole argv, with "--opt value" and short options */
	fresh();
	char *argv[] = {
		"wardd", "-p", "5353", "-R", "-S", "/example.com/192.0.2.1#5353",
		"--address", "/ads.test/#", "--txt-record=t.test,\"a, b\",c",
		"-F", "set:red,192.168.0.50,192.168.0.150,255.255.255.0,12h",
		"-G11:22:33:44:55:66,fred,192.168.0.60,45m",
		"--dhcp-option=tag:red,option:router,192.168.0.1",
		"--log-queries=extra", "--cname", "a.test,b.test,60", "-T", "60",
		("--trust-anchor=.,20326,8,2,E06D44B80B8F1D39A95C0B0D7C65D08458E8804"
		 "09BBC683457104237C7F8EC8D"),
	};
	int argc = (int)(sizeof argv / sizeof argv[0]);
	int r = conf_apply_argv(&C, argc, argv);
	if (r)
		show_diags();
	assert_int_equal(r, 0);
	assert_string_equal(dump(&C), from_file);

	/* bundled flags and the errors */
	fresh();
	char *argv2[] = { "wardd", "-kdq", "--no-hosts", NULL };
	assert_int_equal(conf_apply_argv(&C, 3, argv2), 0);
	assert_true(C.keep_in_foreground && C.no_daemon && C.no_hosts);
	assert_int_equal(C.log_queries, CONF_LOG_QUERIES_ON);
	fresh();
	char *argv3[] = { "wardd", "stray", "--bogus", "-%", "--port", NULL };
	assert_int_equal(conf_apply_argv(&C, 5, argv3), WARD_ECONF);
	assert_int_equal(C.errors, 4);
	assert_string_equal(C.diags.v[0].text, "command line: unexpected "
	                    "argument 'stray'");
	assert_string_equal(C.diags.v[1].text, "command line: unknown option "
	                    "'bogus'");
	assert_string_equal(C.diags.v[2].text, "command line: unknown option "
	                    "'-%'");
	assert_string_equal(C.diags.v[3].text, "command line: option 'port': "
	                    "needs a value (port=...)");
	/* '#' is data on the command line */
	fresh();
	assert_int_equal(conf_apply_arg(&C, "--server=1.2.3.4 #5"), WARD_ECONF);
	/* conf-file on the command line is read after the other arguments,
	 * and the file wins over the command line (dnsmasq) */
	mfs_add("cl.conf", "port=7\n");
	fresh();
	char *argv4[] = { "wardd", "--conf-file=cl.conf", "--port=8", NULL };
	assert_int_equal(conf_apply_argv(&C, 3, argv4), 0);
	assert_int_equal(C.port, 7);
	assert_int_equal(C.errors, 0);
}

/* ---- dump ---- */

static void test_dump_roundtrip(void **state)
{
	(void)state;
	dumps("no-resolv\nport=5353\n", "port=5353\nno-resolv\n");
	dumps("resolve-any\n", "resolve-any\n");
	dumps("aggressive-nsec\n", "aggressive-nsec\n");
	dumps("server=/a.test/b.test/192.0.2.1#54@eth0@192.0.2.9#5000\n",
	      "server=/a.test/b.test/192.0.2.1#54@eth0@192.0.2.9#5000\n");
	dumps("server=/*x.test/*.y.test//#/::1\n",
	      "server=/*x.test/*.y.test//#/::1\n");
	dumps("dhcp-range=192.168.0.50,192.168.0.150,720m\n",
	      "dhcp-range=192.168.0.50,192.168.0.150,12h\n");
	dumps("dhcp-option=option:T1,1m\n", "dhcp-option=option:T1,60\n");
	dumps("dhcp-option=252,\"\\n\"\n", "dhcp-option=252,\"\\n\"\n");
	dumps("dhcp-host=id:marjorie,fred\n", "dhcp-host=id:marjorie,fred\n");
	dumps("txt-record=t.test,\"a,b\", c \n", "txt-record=t.test,\"a,b\",c\n");
	dumps("ptr-record=p.test,\"New Employee.x\"\n",
	      "ptr-record=p.test,\"New Employee.x\"\n");
	dumps("pid-file=\nuser=\n", "pid-file=\nuser=\n");
	/* values whose normal form must not change their meaning */
	dumps("dhcp-option=120,\"1.2.3.4\"\n",
	      "dhcp-option=option:sip-server,\"1.2.3.4\"\n");
	dumps("dhcp-match=set:v,vi-encap:311,1,2\n",
	      "dhcp-match=set:v,vi-encap:311,1b,2b\n");
	dumps("dhcp-match=set:a,option:client-arch,6,7\n",
	      "dhcp-match=set:a,option:client-arch,6s,7s\n");
	dumps("dhcp-match=set:a,option:router,1.2.3.4\n",
	      "dhcp-match=set:a,option:router,1.2.3.4\n");
	dumps("dhcp-option=200,-5\n", "dhcp-option=200,251\n");
	dumps("dhcp-option=200,\"x\"\n", "dhcp-option=200,120\n");
	dumps("dhcp-option=200,41:42\n", "dhcp-option=200,\"AB\"\n");
	dumps("server=/a\\.b.test/1.2.3.4\n", "server=/a\\.b.test/1.2.3.4\n");
	load("dhcp-option=12,10.0.0.1\n");
	assert_string_equal(dump(&C), "dhcp-option=option:hostname,10.0.0.1\n");
	bad("dhcp-match=set:a,option:client-arch,1,x", "the value to match is "
	    "one hex pattern");
	bad("dhcp-match=set:a,vi-encap:1,1,300", "different sizes");

	/* a larger configuration: dump, parse the dump, dump again */
	const char *big =
	        "port=5353\nlisten-address=127.0.0.1\ninterface=eth0\n"
	        "server=/lan/192.168.0.1\nlocal=/lan/\nrev-server=10.0.0.0/8,"
	        "10.0.0.1\naddress=/ads.test/\naddress=/x.test/::\n"
	        "host-record=h.test,1.2.3.4,::1,60\ncname=c.test,h.test\n"
	        "txt-record=t.test,\"q\\\"uote\",x#y\nsrv-host=_s._tcp.t,h.t,80\n"
	        "mx-host=m.t,h.t,5\nmx-host=m2.t,9\ndomain=lan,192.168.0.0/24,local\n"
	        "log-queries\ndnssec\ntrust-anchor=.,20326,8,2,E06D44B80B8F1D39A9"
	        "5C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
	        "dhcp-range=tag:a,set:b,192.168.0.10,192.168.0.20,255.255.255.0,"
	        "192.168.0.255,infinite\n"
	        "dhcp-host=06-aa:bb:cc:*:*:*,id:01:02,set:x,tag:!y,192.168.0.5,"
	        "h1,1d,ignore\n"
	        "dhcp-option=vendor:PXE,1,0.0.0.0\ndhcp-option=encap:175,190,user\n"
	        "dhcp-option-force=option:domain-search,a.test,b.test\n"
	        "dhcp-option=121,10.0.0.0/8,1.2.3.4\ndhcp-option=200,1,2\n"
	        "dhcp-option=option:sip-server,sip.test\n"
	        "dhcp-option=option:sip-server,1.2.3.4\n"
	        "dhcp-option=66,1.2.3.4\n"
	        "dhcp-ignore=tag:!known\ndhcp-broadcast\n"
	        "dhcp-vendorclass=set:v,enterprise:311,MS FT\n"
	        "dhcp-mac=set:m,01:*:03\ndhcp-match=set:e,option:client-arch,6\n"
	        "dhcp-match=set:p,60,\"PXE\"\ndhcp-match=set:q,60,01:*:02\n"
	        "tag-if=set:a,tag:b*\n";
	load(big);
	if (C.errors)
		show_diags();
	assert_int_equal(C.errors, 0);
	char first[sizeof dumpbuf];
	strcpy(first, dump(&C));
	load(first);
	if (C.errors || C.warnings)
		show_diags();
	assert_int_equal(C.errors, 0);
	assert_string_equal(dump(&C), first);
}

/* control-socket= (ward ctl, docs/ctl.md): an absolute path that fits a
 * unix socket address, or empty for none; errors name file:line */
static void test_control_socket(void **state)
{
	(void)state;
	load("control-socket=/run/wardd.sock\n");
	assert_int_equal(C.errors, 0);
	assert_string_equal(C.control_socket, "/run/wardd.sock");
	load("control-socket=\n");
	assert_int_equal(C.errors, 0);
	assert_string_equal(C.control_socket, "");
	load("control-socket\n");
	assert_int_equal(C.errors, 0);
	assert_string_equal(C.control_socket, "");
	load("port=53\n");
	assert_null(C.control_socket);      /* the daemon's default */
	bad("port=53\ncontrol-socket=run/wardd.sock", "t.conf:2: option "
	    "'control-socket': 'run/wardd.sock' is not an absolute path");
	char line[200];
	snprintf(line, sizeof line, "control-socket=/%0*d", 106, 0);
	load(line);
	assert_int_equal(C.errors, 0);      /* 107 octets: sun_path and its NUL */
	assert_int_equal(strlen(C.control_socket), 107);
	snprintf(line, sizeof line, "control-socket=/%0*d", 107, 0);
	bad(line, "path is 108 octets long; a unix socket path holds at most 107");
	bad("control-socket=/a\001b", "path has a control character");
	bad("control-socket=/a\ncontrol-socket=/b", "given more than once");
	dumps("control-socket=/tmp/w.sock\n", "control-socket=/tmp/w.sock\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lines_comments_blanks, teardown),
		cmocka_unit_test_teardown(test_lines_quotes, teardown),
		cmocka_unit_test_teardown(test_lines_names_and_presence, teardown),
		cmocka_unit_test_teardown(test_unimplemented_once, teardown),
		cmocka_unit_test_teardown(test_table, teardown),
		cmocka_unit_test_teardown(test_once_only, teardown),
		cmocka_unit_test_teardown(test_listen_interfaces, teardown),
		cmocka_unit_test_teardown(test_server, teardown),
		cmocka_unit_test_teardown(test_rev_server, teardown),
		cmocka_unit_test_teardown(test_address, teardown),
		cmocka_unit_test_teardown(test_local_records, teardown),
		cmocka_unit_test_teardown(test_domain, teardown),
		cmocka_unit_test_teardown(test_files_and_flags, teardown),
		cmocka_unit_test_teardown(test_ttls_and_sizes, teardown),
		cmocka_unit_test_teardown(test_logging_process, teardown),
		cmocka_unit_test_teardown(test_dnssec, teardown),
		cmocka_unit_test_teardown(test_dhcp_range, teardown),
		cmocka_unit_test_teardown(test_dhcp_host, teardown),
		cmocka_unit_test_teardown(test_dhcp_option, teardown),
		cmocka_unit_test_teardown(test_dhcp_tags_and_misc, teardown),
		cmocka_unit_test_teardown(test_conf_file, teardown),
		cmocka_unit_test_teardown(test_conf_dir, teardown),
		cmocka_unit_test_teardown(test_conf_dir_posix, teardown),
		cmocka_unit_test_teardown(test_command_line, teardown),
		cmocka_unit_test_teardown(test_dump_roundtrip, teardown),
		cmocka_unit_test_teardown(test_control_socket, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
