/* Unit tests for wardd's setup layer (daemon/setup*.c): configuration text
 * (dnsmasq syntax, through conf_load_buffer) -> res_config, forwarders,
 * root hints, local data and cache settings, with every file (resolv.conf,
 * root hints, hosts files) served from an in-memory file system. A second
 * build from the same configuration after the files changed is what SIGHUP
 * does. No sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <cmocka.h>

#include "codec/error.h"
#include "codec/name.h"
#include "codec/rr.h"
#include "daemon/conf.h"
#include "daemon/setup.h"

/* ---- an in-memory file system ---- */

struct mfile {
	const char *path;
	const char *text;   /* NULL: a directory */
};

static struct mfile mfs[32];
static size_t nmfs;

static void mfs_set(const char *path, const char *text)
{
	for (size_t i = 0; i < nmfs; i++)
		if (!strcmp(mfs[i].path, path)) {
			mfs[i].text = text;
			return;
		}
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
	bool found = false;
	for (size_t i = 0; i < nmfs; i++)
		if (!strcmp(mfs[i].path, path) && !mfs[i].text)
			found = true;
	if (!found) {
		*why = "Not a directory";
		return WARD_EIO;
	}
	char **v = calloc(nmfs + 1, sizeof *v);
	assert_non_null(v);
	size_t k = 0;
	for (size_t i = nmfs; i-- > 0;) {    /* reverse: setup must sort */
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
static struct wardd_setup S;
static char logbuf[8192];
static unsigned n_warn, n_err;

static void logfn(void *ctx, bool warning, const char *msg)
{
	(void)ctx;
	if (warning)
		n_warn++;
	else
		n_err++;
	size_t l = strlen(logbuf);
	snprintf(logbuf + l, sizeof logbuf - l, "%s%s\n", warning ? "W " : "E ",
	         msg);
}

static void rnd(void *ctx, uint8_t *buf, size_t n)
{
	(void)ctx;
	memset(buf, 0x5a, n);
}

static int build(const char *text)
{
	setup_free(&S);
	conf_free(&C);
	logbuf[0] = 0;
	n_warn = n_err = 0;
	assert_int_equal(conf_init(&C, &memio), 0);
	assert_int_equal(conf_load_buffer(&C, "t.conf", text, strlen(text)), 0);
	assert_int_equal(conf_finish(&C), 0);
	assert_true(conf_ok(&C));
	return setup_build(&S, &C, rnd, NULL, logfn, NULL);
}

static int rebuild(void)
{
	setup_free(&S);
	logbuf[0] = 0;
	return setup_build(&S, &C, rnd, NULL, logfn, NULL);
}

static int teardown(void **state)
{
	(void)state;
	setup_free(&S);
	conf_free(&C);
	nmfs = 0;
	return 0;
}

static void name(dns_name *n, const char *t)
{
	assert_int_equal(dns_name_from_text(n, t, strlen(t), NULL), 0);
}

/* The forwarder for domain text (first match), or NULL. */
static const struct res_forwarder *fwd_for(const char *domain, size_t nth)
{
	dns_name d;
	name(&d, domain);
	for (size_t i = 0; i < S.n_fwd; i++)
		if (dns_name_equal(&S.fwd[i].domain, &d) && nth-- == 0)
			return &S.fwd[i];
	return NULL;
}

static void assert_v4(const struct res_addr *a, const char *dotted,
                      uint16_t port)
{
	unsigned b[4];
	assert_int_equal(sscanf(dotted, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]),
	                 4);
	assert_int_equal(a->family, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(a->ip[i], b[i]);
	assert_int_equal(a->port, port);
}

/* Local answer for qname/qtype. */
static enum local_kind local(const char *qname, uint16_t qtype,
                             struct local_result *r)
{
	dns_name q;
	name(&q, qname);
	assert_int_equal(localdata_answer(S.ld, &q, qtype, r), 0);
	return r->kind;
}

static void assert_local_a(const char *qname, uint8_t a, uint8_t b, uint8_t c,
                           uint8_t d)
{
	struct local_result r;
	assert_int_equal(local(qname, DNS_T_A, &r), LOCAL_ANSWER);
	size_t k = r.n - 1;  /* CNAMEs first, the address last */
	assert_int_equal(r.rrs[k].type, DNS_T_A);
	assert_int_equal(r.rrs[k].rdlen, 4);
	const uint8_t want[4] = { a, b, c, d };
	assert_memory_equal(r.rrs[k].rdata, want, 4);
}

/* ---- forwarding ---- */

static void test_forwarding_servers(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\n"
	                       "server=192.0.2.1#5353\n"
	                       "server=192.0.2.2\n"
	                       "server=/corp.example/10.0.0.1\n"
	                       "server=/lan/\n"
	                       "local=/home.arpa/\n"
	                       "strict-order\n"), 0);
	assert_false(S.recursive);
	assert_int_equal(S.rc.mode, RES_MODE_FORWARD);
	assert_true(S.rc.strict_order);
	assert_false(S.rc.all_servers);
	assert_int_equal(S.n_upstreams, 2);
	assert_int_equal(S.n_resolv, 0);
	assert_ptr_equal(S.rc.fwd, S.fwd);
	assert_int_equal(S.rc.n_fwd, 5);
	const struct res_forwarder *f = fwd_for(".", 0);
	assert_non_null(f);
	assert_v4(&f->addr, "192.0.2.1", 5353);
	assert_false(f->local_only);
	f = fwd_for(".", 1);
	assert_non_null(f);
	assert_v4(&f->addr, "192.0.2.2", 53);
	f = fwd_for("corp.example.", 0);
	assert_non_null(f);
	assert_v4(&f->addr, "10.0.0.1", 53);
	f = fwd_for("lan.", 0);
	assert_non_null(f);
	assert_true(f->local_only);
	f = fwd_for("home.arpa.", 0);
	assert_non_null(f);
	assert_true(f->local_only);
	/* local-only domains are local data too (recursive mode honours them) */
	struct local_result r;
	assert_int_equal(local("x.lan.", DNS_T_A, &r), LOCAL_NXDOMAIN);
	assert_int_equal(local("www.example.", DNS_T_A, &r), LOCAL_NOT_LOCAL);
	assert_ptr_equal(S.rc.local, S.ld);
}

static void test_forwarding_resolv_and_default_servers(void **state)
{
	(void)state;
	mfs_set("/r.conf", "# resolv\nsearch example\nnameserver 192.0.2.53\n"
	        "  nameserver\t2001:db8::53\nnameserver fe80::1%eth0\n"
	        "nameserver bogus\noptions ndots:2\n");
	mfs_set("/etc/resolv.conf", "nameserver 198.51.100.1\n");
	assert_int_equal(build("no-hosts\nresolv-file=/r.conf\n"
	                       "server=/d.example/#\nall-servers\n"), 0);
	assert_int_equal(S.rc.mode, RES_MODE_FORWARD);
	assert_true(S.rc.all_servers);
	assert_int_equal(S.n_resolv, 3);
	assert_int_equal(S.n_upstreams, 3);
	const struct res_forwarder *f = fwd_for(".", 0);
	assert_v4(&f->addr, "192.0.2.53", 53);
	f = fwd_for(".", 1);
	assert_int_equal(f->addr.family, 6);
	assert_int_equal(f->addr.ip[0], 0x20);
	assert_int_equal(f->addr.ip[15], 0x53);
	f = fwd_for(".", 2);
	assert_int_equal(f->addr.family, 6);
	assert_int_equal(f->addr.ip[0], 0xfe);
	/* server=/d/#: the standard servers, one rule each */
	assert_non_null(fwd_for("d.example.", 0));
	assert_non_null(fwd_for("d.example.", 2));
	assert_null(fwd_for("d.example.", 3));
	/* without resolv-file= the default file is read */
	assert_int_equal(build("no-hosts\n"), 0);
	assert_int_equal(S.n_resolv, 1);
	assert_v4(&fwd_for(".", 0)->addr, "198.51.100.1", 53);
	assert_false(S.recursive);
	/* an empty resolv file and no server=: forwarding with no server yet
	 * (dnsmasq waits for the file), never recursive */
	mfs_set("/empty.conf", "# nothing yet\n");
	assert_int_equal(build("no-hosts\nresolv-file=/empty.conf\n"), 0);
	assert_false(S.recursive);
	assert_int_equal(S.rc.mode, RES_MODE_FORWARD);
	assert_int_equal(S.n_upstreams, 0);
	/* an unreadable resolv file is a warning */
	assert_int_equal(build("no-hosts\nresolv-file=/missing\n"
	                       "server=192.0.2.9\n"), 0);
	assert_non_null(strstr(logbuf, "W failed to read /missing"));
	assert_int_equal(S.n_upstreams, 1);
}

static void test_rev_server(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "rev-server=192.168.1.0/24,10.0.0.1#5300\n"), 0);
	const struct res_forwarder *f = fwd_for("1.168.192.in-addr.arpa.", 0);
	assert_non_null(f);
	assert_v4(&f->addr, "10.0.0.1", 5300);
}

/* ---- recursive ---- */

static const char hints[] =
	".\t3600000\tNS\tA.ROOT-SERVERS.TESTBED.\n"
	".\t3600000\tNS\tb.root-servers.testbed.\n"
	"a.root-servers.testbed.\t3600000\tA\t127.53.0.1\n"
	"b.root-servers.testbed.\t3600000\tA\t127.53.0.2\n"
	"b.root-servers.testbed.\t3600000\tAAAA\t2001:db8::2\n"
	"other.testbed.\t3600000\tA\t127.53.9.9\n";

static void test_recursive_modes(void **state)
{
	(void)state;
	mfs_set("/hints", hints);
	/* no upstream at all: recursive, where dnsmasq would refuse */
	assert_int_equal(build("no-resolv\nno-hosts\nroot-hints=/hints\n"), 0);
	assert_true(S.recursive);
	assert_int_equal(S.rc.mode, RES_MODE_RECURSIVE);
	assert_int_equal(S.n_hints, 3);    /* other.testbed is no NS target */
	assert_ptr_equal(S.rc.hints, S.hints);
	assert_int_equal(S.rc.n_hints, 3);
	assert_v4(&S.hints[0].addr, "127.53.0.1", 53);
	dns_name n;
	name(&n, "a.root-servers.testbed.");
	assert_true(dns_name_equal(&S.hints[0].name, &n));
	assert_int_equal(S.hints[2].addr.family, 6);
	/* `recursive` wins over servers */
	assert_int_equal(build("no-resolv\nno-hosts\nrecursive\n"
	                       "server=192.0.2.1\nroot-hints=/hints\n"), 0);
	assert_int_equal(S.rc.mode, RES_MODE_RECURSIVE);
	/* only local-only rules: still no upstream, recursive */
	assert_int_equal(build("no-resolv\nno-hosts\nlocal=/lan/\n"
	                       "root-hints=/hints\n"), 0);
	assert_int_equal(S.rc.mode, RES_MODE_RECURSIVE);
	/* no root-hints: the engine's built-in root servers */
	assert_int_equal(build("no-resolv\nno-hosts\n"), 0);
	assert_true(S.recursive);
	assert_null(S.rc.hints);
	/* root-hints in forwarding mode: a warning, hints unused */
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "root-hints=/hints\n"), 0);
	assert_int_equal(S.rc.mode, RES_MODE_FORWARD);
	assert_int_equal(n_warn, 1);
}

/* dnssec-nta=, nsec3-max-iterations=, dnssec-timestamp= into res_config */
static void test_dnssec_options(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\ndnssec\n"
	                       "dnssec-nta=/corp.example/lab.test/\n"
	                       "dnssec-nta=other.example\n"
	                       "nsec3-max-iterations=50\n"), 0);
	assert_true(S.rc.dnssec);
	assert_int_equal(S.rc.n_insecure_domains, 3);
	dns_name n;
	name(&n, "corp.example.");
	assert_true(dns_name_equal(&S.rc.insecure_domains[0], &n));
	name(&n, "lab.test.");
	assert_true(dns_name_equal(&S.rc.insecure_domains[1], &n));
	name(&n, "other.example.");
	assert_true(dns_name_equal(&S.rc.insecure_domains[2], &n));
	assert_int_equal(S.rc.nsec3_max_iterations, 50);
	assert_false(S.rc.dnssec_no_timecheck);
	/* without dnssec the NTAs are not used */
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "dnssec-nta=/corp.example/\n"), 0);
	assert_false(S.rc.dnssec);
	assert_int_equal(S.rc.n_insecure_domains, 0);
	/* dnssec-timestamp: a file dated in the future turns time checks
	 * off (and warns); one in the past, or a missing one, does not */
	char path[] = "/tmp/ward-ts-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct utimbuf ut = { .actime = time(NULL) + 86400,
	                      .modtime = time(NULL) + 86400 };
	assert_int_equal(utime(path, &ut), 0);
	char text[256];
	snprintf(text, sizeof text, "no-resolv\nno-hosts\nserver=192.0.2.1\n"
	         "dnssec\ndnssec-timestamp=%s\n", path);
	assert_int_equal(build(text), 0);
	assert_true(S.rc.dnssec_no_timecheck);
	assert_true(S.timestamp_wait);
	assert_int_equal(n_warn, 1);
	ut.actime = ut.modtime = time(NULL) - 86400;
	assert_int_equal(utime(path, &ut), 0);
	assert_int_equal(rebuild(), 0);
	assert_false(S.rc.dnssec_no_timecheck);
	unlink(path);
	assert_int_equal(rebuild(), 0);
	assert_false(S.rc.dnssec_no_timecheck);
}

static void test_recursive_bad_hints(void **state)
{
	(void)state;
	mfs_set("/bad", ". 3600 NS a.root.\na.root. 3600 A 300.1.1.1\n");
	mfs_set("/empty", "; nothing\n");
	assert_int_equal(build("no-resolv\nno-hosts\nroot-hints=/bad\n"),
	                 WARD_ECONF);
	assert_non_null(strstr(logbuf, "E root-hints: /bad:2:"));
	assert_int_equal(build("no-resolv\nno-hosts\nroot-hints=/empty\n"),
	                 WARD_ECONF);
	assert_non_null(strstr(logbuf, "no root server addresses"));
	assert_int_equal(build("no-resolv\nno-hosts\nroot-hints=/nope\n"),
	                 WARD_ECONF);
	assert_non_null(strstr(logbuf, "E root-hints: /nope: No such file"));
	assert_null(S.ld);   /* nothing left allocated after a failure */
}

/* ---- local data ---- */

static void test_local_records(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "domain=lan\nlocal-ttl=30\n"
	                       "host-record=nas,nas.lan,192.168.1.5,fd00::5\n"
	                       "address=/ads.example/0.0.0.0\n"
	                       "address=/blocked.example/\n"
	                       "address=/null.example/#\n"
	                       "cname=files.lan,nas.lan\n"
	                       "txt-record=info.lan,\"hello\",\"world\"\n"
	                       "srv-host=_ldap._tcp,nas.lan,389,1,2\n"
	                       "mx-host=lan,nas.lan,10\n"
	                       "ptr-record=_http._tcp.lan,web._http._tcp.lan\n"
	                       "domain-needed\nbogus-priv\n"), 0);
	struct local_result r;
	assert_local_a("nas.lan.", 192, 168, 1, 5);
	assert_local_a("nas.", 192, 168, 1, 5);
	assert_true(local("nas.lan.", DNS_T_A, &r) == LOCAL_ANSWER && r.aa);
	assert_int_equal(r.rrs[0].ttl, 30);
	assert_int_equal(local("nas.lan.", DNS_T_AAAA, &r), LOCAL_ANSWER);
	assert_int_equal(r.rrs[0].rdata[0], 0xfd);
	assert_local_a("x.ads.example.", 0, 0, 0, 0);
	assert_int_equal(local("blocked.example.", DNS_T_A, &r), LOCAL_NXDOMAIN);
	assert_local_a("null.example.", 0, 0, 0, 0);
	assert_int_equal(local("files.lan.", DNS_T_A, &r), LOCAL_ANSWER);
	assert_int_equal(r.rrs[0].type, DNS_T_CNAME);
	assert_int_equal(local("info.lan.", DNS_T_TXT, &r), LOCAL_ANSWER);
	assert_int_equal(r.rrs[0].rdlen, 12);
	assert_memory_equal(r.rrs[0].rdata, "\5hello\5world", 12);
	/* the relative srv-host got the domain= suffix */
	assert_int_equal(local("_ldap._tcp.lan.", DNS_T_SRV, &r), LOCAL_ANSWER);
	assert_int_equal(r.rrs[0].rdata[5], 389 & 0xff);
	assert_int_equal(local("lan.", DNS_T_MX, &r), LOCAL_ANSWER);
	assert_int_equal(local("_http._tcp.lan.", DNS_T_PTR, &r), LOCAL_ANSWER);
	/* PTR of the host-record address, domain-needed, bogus-priv */
	assert_int_equal(local("5.1.168.192.in-addr.arpa.", DNS_T_PTR, &r),
	                 LOCAL_ANSWER);
	assert_int_equal(local("plainname.", DNS_T_A, &r), LOCAL_NXDOMAIN);
	assert_int_equal(local("9.9.168.192.in-addr.arpa.", DNS_T_PTR, &r),
	                 LOCAL_NXDOMAIN);
	assert_int_equal(n_warn, 0);
}

static void test_hosts_files_and_reload(void **state)
{
	(void)state;
	mfs_set("/etc/hosts", "127.0.0.1 localhost\n192.0.2.10 printer\n");
	mfs_set("/h1", "192.0.2.20 one.example\nnot-an-ip bad\n");
	mfs_set("/hd", NULL);
	mfs_set("/hd/b", "192.0.2.32 b.example\n");
	mfs_set("/hd/a", "192.0.2.31 a.example b.example\n");
	assert_int_equal(build("no-resolv\nserver=192.0.2.1\naddn-hosts=/h1\n"
	                       "addn-hosts=/hd\naddn-hosts=/gone\n"
	                       "expand-hosts\ndomain=home\n"), 0);
	assert_local_a("printer.", 192, 0, 2, 10);
	assert_local_a("printer.home.", 192, 0, 2, 10);
	assert_local_a("one.example.", 192, 0, 2, 20);
	assert_local_a("a.example.", 192, 0, 2, 31);
	struct local_result r;
	assert_int_equal(local("b.example.", DNS_T_A, &r), LOCAL_ANSWER);
	assert_int_equal(r.n, 2);      /* both files, read in name order */
	assert_int_equal(S.hosts_files, 4);
	/* the bad line and the missing file are warnings with where */
	assert_non_null(strstr(logbuf, "W /h1:2:"));
	assert_non_null(strstr(logbuf, "W failed to load names from /gone"));
	/* SIGHUP: the same configuration, files read again */
	mfs_set("/h1", "192.0.2.21 one.example\n192.0.2.22 two.example\n");
	assert_int_equal(rebuild(), 0);
	assert_local_a("one.example.", 192, 0, 2, 21);
	assert_local_a("two.example.", 192, 0, 2, 22);
	/* no-hosts: /etc/hosts is not read */
	assert_int_equal(build("no-resolv\nserver=192.0.2.1\nno-hosts\n"), 0);
	assert_int_equal(local("printer.", DNS_T_A, &r), LOCAL_NOT_LOCAL);
	assert_int_equal(S.hosts_files, 0);
}

/* ---- cache, EDNS, TTL options ---- */

static void test_cache_and_ttls(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"), 0);
	assert_int_equal(S.cc.max_entries, CONF_DEFAULT_CACHE_SIZE);
	assert_true(S.cc.max_bytes >= SETUP_MIN_CACHE_BYTES);
	assert_false(S.cache_off);
	assert_int_equal(S.rc.client_edns_max, CONF_DEFAULT_EDNS_PACKET_MAX);
	assert_int_equal(S.rc.neg_ttl, RES_TTL_UNSET);
	assert_int_equal(S.rc.max_ttl, RES_TTL_UNSET);
	assert_false(S.rc.no_negcache);
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "cache-size=10000\nedns-packet-max=4096\n"
	                       "neg-ttl=60\nmax-ttl=300\nmin-cache-ttl=20\n"
	                       "max-cache-ttl=900\nno-negcache\n"), 0);
	assert_int_equal(S.cc.max_entries, 10000);
	assert_int_equal(S.cc.max_bytes, 10000u * SETUP_BYTES_PER_ENTRY);
	assert_int_equal(S.rc.client_edns_max, 4096);
	assert_int_equal(S.rc.neg_ttl, 60);
	assert_int_equal(S.rc.max_ttl, 300);
	assert_int_equal(S.rc.min_cache_ttl, 20);
	assert_int_equal(S.rc.max_cache_ttl, 900);
	assert_int_equal(S.cc.min_ttl, 20);
	assert_int_equal(S.cc.max_ttl, 900);
	assert_true(S.rc.no_negcache);
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "cache-size=0\n"), 0);
	assert_true(S.cache_off);
	/* the cache built from it keeps nothing */
	cache_t *c = cache_new(&S.cc);
	assert_non_null(c);
	dns_name o;
	name(&o, "x.example.");
	uint8_t a[4] = { 192, 0, 2, 1 };
	dns_rr rr = { .owner = o, .type = DNS_T_A, .rclass = 1, .ttl = 60,
	              .rdlen = 4, .rdata = a };
	struct cache_put p = { .kind = CACHE_POSITIVE, .owner = &o,
	                       .type = DNS_T_A, .rclass = 1, .rrs = &rr, .n = 1,
	                       .rank = RANK_ANSWER };
	cache_put(c, &p, 0);
	struct cache_hit h;
	assert_false(cache_get(c, &o, DNS_T_A, 1, 1, &h));
	cache_free(c);
}

static void test_unsupported_forms_warned(void **state)
{
	(void)state;
	assert_int_equal(build("no-resolv\nno-hosts\nserver=192.0.2.1\n"
	                       "server=//10.0.0.1\n"
	                       "address=/*ads.example/1.2.3.4\n"), 0);
	assert_int_equal(n_warn, 2);
	assert_non_null(strstr(logbuf, "W t.conf:4: server: this domain"));
	assert_non_null(strstr(logbuf, "W t.conf:5: address: this domain"));
}

static void test_parse_resolv_limits(void **state)
{
	(void)state;
	struct res_addr out[2];
	const char *t = "nameserver 192.0.2.1\nnameserver 192.0.2.2\n"
	                "nameserver 192.0.2.3\nnameserver";
	assert_int_equal(setup_parse_resolv(t, strlen(t), out, 2), 2);
	assert_v4(&out[1], "192.0.2.2", 53);
	const char *u = "nameservers 192.0.2.1\nxnameserver 192.0.2.1\n";
	assert_int_equal(setup_parse_resolv(u, strlen(u), out, 2), 0);
	/* no trailing newline, a missing NUL: length bounded */
	assert_int_equal(setup_parse_resolv("nameserver 192.0.2.7XXXX", 20, out,
	                                    2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_forwarding_servers, teardown),
		cmocka_unit_test_teardown(test_forwarding_resolv_and_default_servers,
		                          teardown),
		cmocka_unit_test_teardown(test_rev_server, teardown),
		cmocka_unit_test_teardown(test_recursive_modes, teardown),
		cmocka_unit_test_teardown(test_recursive_bad_hints, teardown),
		cmocka_unit_test_teardown(test_dnssec_options, teardown),
		cmocka_unit_test_teardown(test_local_records, teardown),
		cmocka_unit_test_teardown(test_hosts_files_and_reload, teardown),
		cmocka_unit_test_teardown(test_cache_and_ttls, teardown),
		cmocka_unit_test_teardown(test_unsupported_forms_warned, teardown),
		cmocka_unit_test_teardown(test_parse_resolv_limits, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
