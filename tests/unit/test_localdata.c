/* Unit tests: resolver/localdata.c — dnsmasq local-data semantics. Outcomes
 * marked "confirmed against dnsmasq" were observed on dnsmasq 2.90 (the
 * version installed; the brief named 2.89) on 127.0.0.53 with a test
 * configuration: see docs/localdata.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "codec/error.h"
#include "resolver/hosts.h"
#include "resolver/localdata.h"

static dns_name name(const char *s)
{
	dns_name n, root;
	dns_name_root(&root);
	assert_int_equal(dns_name_from_text(&n, s, strlen(s), &root), 0);
	return n;
}

static struct local_result res;

static enum local_kind ask(const localdata *ld, const char *q, uint16_t t)
{
	dns_name n = name(q);
	assert_int_equal(localdata_answer(ld, &n, t, &res), 0);
	return res.kind;
}

static void v4(const char *s, uint8_t out[4])
{
	assert_int_equal(inet_pton(AF_INET, s, out), 1);
}

static void v6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void assert_addr(size_t i, const char *text)
{
	uint8_t a[16];
	assert_true(i < res.n);
	if (res.rrs[i].type == DNS_T_A) {
		v4(text, a);
		assert_int_equal(res.rrs[i].rdlen, 4);
		assert_memory_equal(res.rrs[i].rdata, a, 4);
	} else {
		assert_int_equal(res.rrs[i].type, DNS_T_AAAA);
		v6(text, a);
		assert_int_equal(res.rrs[i].rdlen, 16);
		assert_memory_equal(res.rrs[i].rdata, a, 16);
	}
}

static void assert_rdname(size_t i, size_t skip, const char *text)
{
	assert_true(i < res.n);
	dns_name want = name(text), got;
	assert_int_equal(dns_name_from_wire(&got, res.rrs[i].rdata + skip,
	                                    res.rrs[i].rdlen - skip), 0);
	assert_true(dns_name_equal(&got, &want));
}

static void assert_owner(size_t i, const char *text)
{
	dns_name want = name(text);
	assert_true(i < res.n);
	assert_true(dns_name_equal(&res.rrs[i].owner, &want));
	/* case is preserved as asked */
	assert_memory_equal(res.rrs[i].owner.wire, want.wire, want.len);
}

static const char hosts_txt[] =
	"192.168.1.10 foo Foo2 # comment\n"
	"fd00::10 foo\n"
	"10.0.0.5 bar.example.com bar\n";

/* the configuration used against dnsmasq (docs/localdata.md) */
static localdata *setup_conf(void)
{
	localdata *ld = localdata_new();
	assert_non_null(ld);
	assert_int_equal(localdata_set_domain(ld, "lan"), 0);
	localdata_set_expand_hosts(ld, true);
	localdata_set_domain_needed(ld, true);
	localdata_set_bogus_priv(ld, true);
	assert_int_equal(hosts_load_buffer(ld, "hosts", hosts_txt,
	                                   sizeof(hosts_txt) - 1, NULL, NULL, NULL), 0);
	assert_int_equal(localdata_add_local(ld, "lan"), 0);
	assert_int_equal(localdata_add_local(ld, "loc"), 0);
	assert_int_equal(localdata_add_address(ld, "blk.test", 0, NULL), 0);
	uint8_t a[16];
	v4("1.2.3.4", a);
	assert_int_equal(localdata_add_address(ld, "v4.test", AF_INET, a), 0);
	assert_int_equal(localdata_add_local(ld, "nx.test"), 0);
	const char *hr[] = { "hr.loc", "hr2.loc" };
	uint8_t h4[4], h6[16];
	v4("10.9.9.9", h4);
	v6("fd00::99", h6);
	assert_int_equal(localdata_add_host_record(ld, hr, 2, h4, h6, LD_TTL_DEFAULT), 0);
	const char *cn[] = { "c1.loc", "c2.loc" };
	assert_int_equal(localdata_add_cname(ld, cn, 2, "foo.lan", LD_TTL_DEFAULT), 0);
	const char *txt[] = { "hello", "world" };
	assert_int_equal(localdata_add_txt(ld, "t.loc", txt, 2), 0);
	assert_int_equal(localdata_add_mx(ld, "loc", "mail.loc", 5), 0);
	assert_int_equal(localdata_add_srv(ld, "_sip._udp.loc", "sip.loc", 5060, 1, 2), 0);
	assert_int_equal(localdata_add_ptr(ld, "p.loc", "target.loc"), 0);
	return ld;
}

/* confirmed against dnsmasq 2.90: hosts names, both address families, AA */
static void test_hosts_names(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "foo", DNS_T_A), LOCAL_ANSWER);
	assert_true(res.aa);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.rrs[0].ttl, 0); /* local-ttl default 0 */
	assert_addr(0, "192.168.1.10");
	assert_int_equal(ask(ld, "foo", DNS_T_AAAA), LOCAL_ANSWER);
	assert_addr(0, "fd00::10");
	/* expand-hosts: plain names answer as name.domain too, any case */
	assert_int_equal(ask(ld, "foo.lan", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.168.1.10");
	assert_int_equal(ask(ld, "FOO.LAN.", DNS_T_AAAA), LOCAL_ANSWER);
	assert_owner(0, "FOO.LAN.");
	assert_int_equal(ask(ld, "foo2.lan", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "bar", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "bar.example.com", DNS_T_A), LOCAL_ANSWER);
	/* dotted names are not expanded: bar.example.com.lan is NXDOMAIN
	 * (local=/lan/), no AA */
	assert_int_equal(ask(ld, "bar.example.com.lan", DNS_T_A), LOCAL_NXDOMAIN);
	assert_false(res.aa);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: other types of a hosts name */
static void test_hosts_other_types(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	/* foo MX: not in a local= domain -> forwarded */
	assert_int_equal(ask(ld, "foo", DNS_T_MX), LOCAL_NOT_LOCAL);
	/* A-only name asked AAAA, outside local domains: forwarded */
	assert_int_equal(ask(ld, "bar.example.com", DNS_T_AAAA), LOCAL_NOT_LOCAL);
	/* ... but a plain name under domain-needed: NODATA ("NODATA-IPv6") */
	assert_int_equal(ask(ld, "bar", DNS_T_AAAA), LOCAL_NODATA);
	assert_false(res.aa);
	assert_int_equal(ask(ld, "foo2", DNS_T_AAAA), LOCAL_NODATA);
	/* inside local=/lan/: NODATA, without AA and without SOA */
	assert_int_equal(ask(ld, "foo.lan", DNS_T_TXT), LOCAL_NODATA);
	assert_false(res.aa);
	assert_int_equal(res.n, 0);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: local=/d/ */
static void test_local_domain(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "zzz.lan", DNS_T_A), LOCAL_NXDOMAIN);
	assert_false(res.aa);
	assert_int_equal(res.rule, LD_RULE_LOCAL);
	assert_int_equal(res.rule_labels, 1);
	assert_int_equal(ask(ld, "nothing.loc", DNS_T_A), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "mail.loc", DNS_T_MX), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "hr.loc", DNS_T_TXT), LOCAL_NODATA);
	assert_int_equal(ask(ld, "deep.sub.nothing.loc", DNS_T_A), LOCAL_NXDOMAIN);
	assert_int_equal(res.rule_labels, 1);
	/* address=/nx.test/ is local= */
	assert_int_equal(ask(ld, "nx.test", DNS_T_A), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "a.nx.test", DNS_T_TXT), LOCAL_NXDOMAIN);
	/* outside any rule */
	assert_int_equal(ask(ld, "example.org", DNS_T_A), LOCAL_NOT_LOCAL);
	assert_int_equal(res.rule, LD_RULE_NONE);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: address=/d/IP and address=/d/# */
static void test_address(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "x.blk.test", DNS_T_A), LOCAL_ANSWER);
	assert_true(res.aa);
	assert_addr(0, "0.0.0.0");
	assert_owner(0, "x.blk.test.");
	assert_int_equal(ask(ld, "blk.test", DNS_T_AAAA), LOCAL_ANSWER);
	assert_addr(0, "::");
	/* other types: forwarded since dnsmasq 2.86 (man page, and seen) */
	assert_int_equal(ask(ld, "blk.test", DNS_T_MX), LOCAL_NOT_LOCAL);
	assert_int_equal(res.rule, LD_RULE_ADDRESS);
	assert_int_equal(res.rule_labels, 2);
	assert_int_equal(ask(ld, "a.v4.test", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "1.2.3.4");
	/* only IPv4 given: AAAA is forwarded (2.86+), not NODATA */
	assert_int_equal(ask(ld, "v4.test", DNS_T_AAAA), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "x.v4.test", DNS_T_TXT), LOCAL_NOT_LOCAL);
	/* the pre-2.86 behaviour: address= plus local= */
	assert_int_equal(localdata_add_local(ld, "v4.test"), 0);
	assert_int_equal(ask(ld, "v4.test", DNS_T_AAAA), LOCAL_NXDOMAIN);
	assert_int_equal(res.rule, LD_RULE_ADDRESS | LD_RULE_LOCAL);
	assert_int_equal(ask(ld, "v4.test", DNS_T_A), LOCAL_ANSWER);
	/* a name that merely ends like the domain does not match */
	assert_int_equal(ask(ld, "xv4.test", DNS_T_A), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

static void test_address_longest_match_and_all(void **state)
{
	(void)state;
	localdata *ld = localdata_new();
	uint8_t a[4], b[4], c6[16];
	v4("192.0.2.1", a);
	v4("192.0.2.2", b);
	v6("2001:db8::1", c6);
	assert_int_equal(localdata_add_address(ld, "example.com", AF_INET, a), 0);
	assert_int_equal(localdata_add_address(ld, "sub.example.com.", AF_INET, b), 0);
	assert_int_equal(localdata_add_address(ld, "sub.example.com", AF_INET6, c6), 0);
	assert_int_equal(ask(ld, "www.example.com", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.0.2.1");
	assert_int_equal(ask(ld, "A.Sub.Example.COM", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.0.2.2");
	assert_int_equal(res.rule_labels, 3);
	assert_int_equal(ask(ld, "a.sub.example.com", DNS_T_AAAA), LOCAL_ANSWER);
	assert_addr(0, "2001:db8::1");
	assert_int_equal(ask(ld, "example.net", DNS_T_A), LOCAL_NOT_LOCAL);
	/* address=/#/ matches every name, with depth 0 */
	assert_int_equal(localdata_add_address(ld, "#", AF_INET, b), 0);
	assert_int_equal(ask(ld, "example.net", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.rule_labels, 0);
	assert_int_equal(ask(ld, "www.example.com", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.0.2.1");
	/* hosts entries override address= for their names (man page) */
	assert_int_equal(localdata_add_host(ld, "h.example.com", AF_INET, b, true), 0);
	assert_int_equal(ask(ld, "h.example.com", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.0.2.2");
	localdata_free(ld);
}

static void test_address_many(void **state)
{
	(void)state;
	localdata *ld = localdata_new();
	char buf[64];
	for (int i = 0; i < 100000; i++) {
		snprintf(buf, sizeof(buf), "d%d.block.example", i);
		assert_int_equal(localdata_add_address(ld, buf, 0, NULL), 0);
	}
	assert_int_equal(localdata_count(ld), 100000);
	assert_int_equal(ask(ld, "ads.d99999.block.example", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "d100000.block.example", DNS_T_A), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: host-record and PTRs */
static void test_host_record_ptr(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "hr.loc", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "10.9.9.9");
	assert_int_equal(ask(ld, "hr2.loc", DNS_T_AAAA), LOCAL_ANSWER);
	assert_addr(0, "fd00::99");
	assert_int_equal(ask(ld, "9.9.9.10.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_true(res.aa);
	assert_int_equal(res.n, 1);
	assert_rdname(0, 0, "hr.loc.");
	assert_int_equal(ask(ld, "9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa",
	                     DNS_T_PTR), LOCAL_ANSWER);
	assert_rdname(0, 0, "hr.loc.");
	/* hosts: first name of the line, expanded with the domain */
	assert_int_equal(ask(ld, "10.1.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_int_equal(res.n, 1);
	assert_rdname(0, 0, "foo.lan.");
	assert_int_equal(ask(ld, "5.0.0.10.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_rdname(0, 0, "bar.example.com.");
	/* ptr-record */
	assert_int_equal(ask(ld, "p.loc", DNS_T_PTR), LOCAL_ANSWER);
	assert_rdname(0, 0, "target.loc.");
	localdata_free(ld);
}

static void test_host_record_ttl(void **state)
{
	(void)state;
	localdata *ld = localdata_new();
	localdata_set_local_ttl(ld, 60);
	uint8_t a[4];
	v4("192.0.2.7", a);
	const char *n[] = { "ttl.example" };
	assert_int_equal(localdata_add_host_record(ld, n, 1, a, NULL, 3600), 0);
	assert_int_equal(localdata_add_host(ld, "plain.example", AF_INET, a, true), 0);
	assert_int_equal(ask(ld, "ttl.example", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].ttl, 3600);
	assert_int_equal(ask(ld, "plain.example", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].ttl, 60);
	/* the first PTR wins: host-record came first */
	assert_int_equal(ask(ld, "7.2.0.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_int_equal(res.n, 1);
	assert_rdname(0, 0, "ttl.example.");
	assert_int_equal(localdata_add_host_record(ld, n, 1, NULL, NULL, 1), WARD_EINVAL);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: cname chain to a hosts name */
static void test_cname(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "c1.loc", DNS_T_A), LOCAL_ANSWER);
	assert_true(res.aa);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.rrs[0].type, DNS_T_CNAME);
	assert_owner(0, "c1.loc.");
	assert_rdname(0, 0, "foo.lan.");
	assert_owner(1, "foo.lan.");
	assert_addr(1, "192.168.1.10");
	assert_int_equal(ask(ld, "c2.loc", DNS_T_AAAA), LOCAL_ANSWER);
	assert_int_equal(res.n, 2);
	assert_addr(1, "fd00::10");
	/* a type the target lacks: the CNAME alone, NOERROR */
	assert_int_equal(ask(ld, "c1.loc", DNS_T_TXT), LOCAL_ANSWER);
	assert_int_equal(res.n, 1);
	assert_int_equal(ask(ld, "c1.loc", DNS_T_CNAME), LOCAL_ANSWER);
	assert_int_equal(res.n, 1);
	/* a two-step chain */
	const char *c3[] = { "c3.loc" };
	assert_int_equal(localdata_add_cname(ld, c3, 1, "c1.loc", 30), 0);
	assert_int_equal(ask(ld, "c3.loc", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.rrs[0].ttl, 30);
	assert_owner(1, "c1.loc.");
	assert_addr(2, "192.168.1.10");
	/* a loop stays bounded */
	const char *la[] = { "l1.loc" }, *lb[] = { "l2.loc" };
	assert_int_equal(localdata_add_cname(ld, la, 1, "l2.loc", LD_TTL_DEFAULT), 0);
	assert_int_equal(localdata_add_cname(ld, lb, 1, "l1.loc", LD_TTL_DEFAULT), 0);
	assert_int_equal(ask(ld, "l1.loc", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(res.n, LOCAL_CNAME_MAXHOPS);
	assert_int_equal(localdata_add_cname(ld, la, 1, "l1.loc", LD_TTL_DEFAULT), WARD_EINVAL);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: txt, srv (mx: see below) */
static void test_txt_mx_srv(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "t.loc", DNS_T_TXT), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].rdlen, 12);
	assert_memory_equal(res.rrs[0].rdata, "\005hello\005world", 12);
	/* NOT confirmed: dnsmasq 2.90 forwarded "loc MX" (and "loc A") for
	 * mx-host=loc,mail.loc,5 with local=/loc/ — a single-label owner that
	 * is also the local= domain; not mimicked, we answer the MX */
	assert_int_equal(ask(ld, "loc", DNS_T_MX), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].rdata[1], 5);
	assert_rdname(0, 2, "mail.loc.");
	assert_int_equal(ask(ld, "_sip._udp.loc", DNS_T_SRV), LOCAL_ANSWER);
	static const uint8_t srvhead[6] = { 0, 1, 0, 2, 0x13, 0xc4 };
	assert_memory_equal(res.rrs[0].rdata, srvhead, 6);
	assert_rdname(0, 6, "sip.loc.");
	/* defaults */
	assert_int_equal(localdata_add_txt(ld, "empty.loc", NULL, 0), 0);
	assert_int_equal(ask(ld, "empty.loc", DNS_T_TXT), LOCAL_ANSWER);
	assert_int_equal(res.rrs[0].rdlen, 1);
	assert_int_equal(localdata_add_mx(ld, "self.loc", NULL, 1), 0);
	assert_int_equal(ask(ld, "self.loc", DNS_T_MX), LOCAL_ANSWER);
	assert_rdname(0, 2, "self.loc.");
	assert_int_equal(localdata_add_srv(ld, "_x._tcp.loc", NULL, 0, 0, 0), 0);
	assert_int_equal(ask(ld, "_x._tcp.loc", DNS_T_SRV), LOCAL_ANSWER);
	assert_rdname(0, 6, ".");
	char big[300];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char *bs[] = { big };
	assert_int_equal(localdata_add_txt(ld, "big.loc", bs, 1), WARD_ESTRLEN);
	/* ANY gives every non-CNAME record */
	assert_int_equal(ask(ld, "foo", DNS_T_ANY), LOCAL_ANSWER);
	assert_int_equal(res.n, 2);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: domain-needed */
static void test_domain_needed(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	assert_int_equal(ask(ld, "plainname", DNS_T_A), LOCAL_NXDOMAIN);
	assert_false(res.aa);
	assert_int_equal(ask(ld, "plainname", DNS_T_AAAA), LOCAL_NXDOMAIN);
	/* only A/AAAA: other types of plain names go upstream */
	assert_int_equal(ask(ld, "plainname", DNS_T_MX), LOCAL_NOT_LOCAL);
	localdata_set_domain_needed(ld, false);
	assert_int_equal(ask(ld, "plainname", DNS_T_A), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

/* confirmed against dnsmasq 2.90: bogus-priv ranges */
static void test_bogus_priv(void **state)
{
	(void)state;
	localdata *ld = setup_conf();
	const char *priv[] = {
		"3.2.1.10.in-addr.arpa", "1.0.16.172.in-addr.arpa",
		"1.1.254.169.in-addr.arpa", "5.0.0.127.in-addr.arpa",
		"1.99.168.192.in-addr.arpa", "1.2.0.192.in-addr.arpa",
		"4.3.2.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa",
		"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.IP6.ARPA",
	};
	for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
		assert_int_equal(ask(ld, priv[i], DNS_T_PTR), LOCAL_NXDOMAIN);
		assert_true(res.aa); /* bogus-priv NXDOMAIN carries AA */
	}
	/* 100.64/10 is not in dnsmasq's list, public space neither */
	assert_int_equal(ask(ld, "1.0.64.100.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "8.8.8.8.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	/* 31.172/16 is outside 172.16/12 */
	assert_int_equal(ask(ld, "1.0.32.172.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	/* partial reverse names count as the zero-filled address */
	assert_int_equal(ask(ld, "10.in-addr.arpa", DNS_T_PTR), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "168.192.in-addr.arpa", DNS_T_PTR), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "8.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "d.f.ip6.arpa", DNS_T_PTR), LOCAL_NXDOMAIN);
	assert_int_equal(ask(ld, "in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	/* malformed labels are not addresses */
	assert_int_equal(ask(ld, "01.0.0.10.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "1.2.3.4.10.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	/* only PTR (and ANY): other types are forwarded */
	assert_int_equal(ask(ld, "3.2.1.10.in-addr.arpa", DNS_T_TXT), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "3.2.1.10.in-addr.arpa", DNS_T_ANY), LOCAL_NXDOMAIN);
	/* local data wins over bogus-priv */
	assert_int_equal(ask(ld, "10.1.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	localdata_set_bogus_priv(ld, false);
	assert_int_equal(ask(ld, "3.2.1.10.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	localdata_free(ld);
}

static void test_reverse_helpers(void **state)
{
	(void)state;
	uint8_t a[16], b[16];
	dns_name n;
	v6("2001:db8::abcd", a);
	assert_int_equal(localdata_reverse_name(AF_INET6, a, &n), 0);
	assert_int_equal(localdata_reverse_parse(&n, b), AF_INET6);
	assert_memory_equal(a, b, 16);
	assert_true(localdata_addr_is_private(AF_INET6, a));
	v4("192.0.2.200", a);
	assert_int_equal(localdata_reverse_name(AF_INET, a, &n), 0);
	assert_int_equal(localdata_reverse_parse(&n, b), AF_INET);
	assert_memory_equal(a, b, 4);
	v6("::ffff:192.168.0.1", a);
	assert_true(localdata_addr_is_private(AF_INET6, a));
	v6("2a00::1", a);
	assert_false(localdata_addr_is_private(AF_INET6, a));
	/* confirmed against dnsmasq 2.90 */
	static const char *const priv6[] = { "2001:db8::1", "fec0::1", "::ffff:10.0.0.1",
	                                     "::", "::1", "fd12::1", "fe80::1" };
	static const char *const pub6[] = { "fc00::1", "::ffff:8.8.8.8", "64:ff9b::a00:1",
	                                    "100::1" };
	for (size_t i = 0; i < sizeof(priv6) / sizeof(priv6[0]); i++) {
		v6(priv6[i], a);
		assert_true(localdata_addr_is_private(AF_INET6, a));
	}
	for (size_t i = 0; i < sizeof(pub6) / sizeof(pub6[0]); i++) {
		v6(pub6[i], a);
		assert_false(localdata_addr_is_private(AF_INET6, a));
	}
	static const char *const priv4[] = { "198.51.100.1", "203.0.113.1", "0.0.0.1",
	                                     "169.254.1.1", "172.31.255.255" };
	static const char *const pub4[] = { "192.0.0.1", "100.64.0.1", "8.8.8.8",
	                                    "11.0.0.1" };
	for (size_t i = 0; i < sizeof(priv4) / sizeof(priv4[0]); i++) {
		v4(priv4[i], a);
		assert_true(localdata_addr_is_private(AF_INET, a));
	}
	for (size_t i = 0; i < sizeof(pub4) / sizeof(pub4[0]); i++) {
		v4(pub4[i], a);
		assert_false(localdata_addr_is_private(AF_INET, a));
	}
	v4("255.255.255.255", a);
	assert_true(localdata_addr_is_private(AF_INET, a));
	v4("172.32.0.1", a);
	assert_false(localdata_addr_is_private(AF_INET, a));
}

static void test_leases(void **state)
{
	(void)state;
	localdata *ld = localdata_new();
	assert_int_equal(localdata_set_domain(ld, "home.arpa"), 0);
	uint8_t a[4];
	v4("192.168.7.20", a);
	assert_int_equal(localdata_lease_add(ld, "laptop", AF_INET, a), 0);
	assert_int_equal(ask(ld, "laptop", DNS_T_A), LOCAL_ANSWER);
	assert_int_equal(ask(ld, "LAPTOP.home.arpa", DNS_T_A), LOCAL_ANSWER);
	assert_addr(0, "192.168.7.20");
	assert_int_equal(ask(ld, "20.7.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_ANSWER);
	assert_rdname(0, 0, "laptop.home.arpa.");
	assert_int_equal(localdata_lease_remove(ld, "laptop"), 0);
	assert_int_equal(ask(ld, "laptop.home.arpa", DNS_T_A), LOCAL_NOT_LOCAL);
	assert_int_equal(ask(ld, "20.7.168.192.in-addr.arpa", DNS_T_PTR), LOCAL_NOT_LOCAL);
	assert_int_equal(localdata_lease_remove(ld, "laptop"), WARD_ENOTFOUND);
	assert_int_equal(localdata_lease_add(ld, "a.b", AF_INET, a), WARD_EINVAL);
	localdata_free(ld);
}

static void test_bad_args(void **state)
{
	(void)state;
	localdata *ld = localdata_new();
	uint8_t a[4] = { 1, 2, 3, 4 };
	assert_int_equal(localdata_add_host(ld, "a..b", AF_INET, a, true), WARD_EEMPTYLABEL);
	assert_int_equal(localdata_add_host(ld, "ok", 99, a, true), WARD_EINVAL);
	assert_int_equal(localdata_add_address(ld, "x", AF_INET, NULL), WARD_EINVAL);
	assert_int_equal(localdata_set_domain(ld, ""), WARD_ESYNTAX);
	localdata_free(NULL);
	localdata_free(ld);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts_names),
		cmocka_unit_test(test_hosts_other_types),
		cmocka_unit_test(test_local_domain),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_longest_match_and_all),
		cmocka_unit_test(test_address_many),
		cmocka_unit_test(test_host_record_ptr),
		cmocka_unit_test(test_host_record_ttl),
		cmocka_unit_test(test_cname),
		cmocka_unit_test(test_txt_mx_srv),
		cmocka_unit_test(test_domain_needed),
		cmocka_unit_test(test_bogus_priv),
		cmocka_unit_test(test_reverse_helpers),
		cmocka_unit_test(test_leases),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
