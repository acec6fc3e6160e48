/* ward toolkit: starting and stopping peer resolvers (see the header). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff_peer.h"
#include "codec/msg.h"
#include "codec/msg_build.h"

#define PEER_MAX 4
static volatile pid_t running[PEER_MAX];

static void reg_pid(pid_t pid)
{
	for (int i = 0; i < PEER_MAX; i++)
		if (!running[i]) {
			running[i] = pid;
			return;
		}
}

static void unreg_pid(pid_t pid)
{
	for (int i = 0; i < PEER_MAX; i++)
		if (running[i] == pid)
			running[i] = 0;
}

void peer_kill_all(void)
{
	for (int i = 0; i < PEER_MAX; i++)
		if (running[i] > 0)
			kill(running[i], SIGKILL);
}

int peer_kind_parse(const char *s, enum peer_kind *k)
{
	if (!strcmp(s, "unbound"))
		*k = PEER_UNBOUND;
	else if (!strcmp(s, "dnsmasq"))
		*k = PEER_DNSMASQ;
	else if (!strcmp(s, "kresd"))
		*k = PEER_KRESD;
	else
		return -1;
	return 0;
}

#define PEER_PORT_LOW 20000  /* peers listen on a port in [LOW, HIGH) */
#define PEER_PORT_HIGH 32000

const char *peer_kind_name(enum peer_kind k)
{
	static const char *const n[] = { "unbound", "dnsmasq", "kresd", "wardd" };
	return n[k];
}

/* A port free for both UDP and TCP on 127.0.0.1. Chosen at random below
 * the kernel's ephemeral range (32768 and up on Linux): a port the kernel
 * hands out could be taken again, by any process's outgoing socket, between
 * this check and the peer's own bind. */
static int free_port(void)
{
	for (int attempt = 0; attempt < 64; attempt++) {
		uint16_t r = 0;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (uint16_t)(getpid() * 7919u + (unsigned)attempt * 104729u);
		struct sockaddr_in sa = { .sin_family = AF_INET };
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa.sin_port = htons((uint16_t)(PEER_PORT_LOW +
		                               r % (PEER_PORT_HIGH - PEER_PORT_LOW)));
		int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (u < 0)
			return -1;
		int ok = bind(u, (struct sockaddr *)&sa, sizeof sa) == 0;
		int t = ok ? socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
		ok = ok && t >= 0 && bind(t, (struct sockaddr *)&sa, sizeof sa) == 0;
		if (t >= 0)
			close(t);
		close(u);
		if (ok)
			return ntohs(sa.sin_port);
	}
	return -1;
}

/* The server= upstreams of a dnsmasq configuration ("IP#PORT" / "IP"),
 * and its trust-anchor= values. */
struct conf_up {
	char up[PEER_MAX_UPSTREAMS][64];
	int n;
	char anchors[4][256];
	int na;
	bool dnssec;
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

static int read_conf_upstreams(const char *path, struct conf_up *c, char *err,
                               size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	memset(c, 0, sizeof *c);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line);
		if (!strncmp(s, "server=", 7) && s[7] != '/' && c->n < PEER_MAX_UPSTREAMS) {
			/* server=IP[#port][@source]: only plain upstreams */
			char *v = s + 7;
			v[strcspn(v, "@")] = '\0';
			struct dns_server tmp;
			if (dns_server_parse(v, 53, &tmp) == 0)
				snprintf(c->up[c->n++], sizeof c->up[0], "%s", v);
		} else if (!strncmp(s, "trust-anchor=", 13) && c->na < 4) {
			snprintf(c->anchors[c->na++], sizeof c->anchors[0], "%s", s + 13);
		} else if (!strcmp(s, "dnssec")) {
			c->dnssec = true;
		}
	}
	fclose(f);
	if (c->n == 0) {
		snprintf(err, errlen, "%s: no server=IP[#PORT] line to forward to", path);
		return -1;
	}
	return 0;
}

/* "IP#PORT" to unbound's "IP@PORT" / kresd's "IP@PORT". */
static void at_form(const char *up, char *out, size_t cap)
{
	snprintf(out, cap, "%s", up);
	char *h = strchr(out, '#');
	if (h)
		*h = '@';
}

/* Options a copy of a dnsmasq configuration must not keep: where and how
 * it listens, the process, and DHCP (the check is about DNS). */
static bool conf_line_dropped(const char *s)
{
	static const char *const keys[] = {
		"listen-address", "port", "interface", "except-interface",
		"bind-interfaces", "bind-dynamic", "pid-file", "user", "group",
		"log-facility", "keep-in-foreground", "no-daemon", "dhcp-",
		"enable-ra", "auth-server", "no-dhcp-interface", "log-async",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t n = strlen(keys[i]);
		if (!strncmp(s, keys[i], n) &&
		    (keys[i][n - 1] == '-' || s[n] == '=' || s[n] == '\0'))
			return true;
	}
	return false;
}

/* A peer's configuration file, created for writing (err set on failure). */
static FILE *conf_create(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

/* Close what conf_create opened: 0, or -1 with err when a write failed. */
static int conf_finish(FILE *f, const char *path, char *err, size_t errlen)
{
	if (fclose(f)) {
		snprintf(err, errlen, "%s: write failed", path);
		return -1;
	}
	return 0;
}

static int peer_port(const struct peer *p)
{
	return ntohs(((const struct sockaddr_in *)&p->addr.ss)->sin_port);
}

#define PEER_DS_TEXT_MAX 512
/* dnsmasq's trust-anchor=NAME,TAG,ALG,DIGEST-TYPE,DIGEST as the text of a
 * DS record ("NAME DS TAG ALG DT DIGEST"); false when it does not parse. */
static bool anchor_ds(const char *anchor, char *out, size_t cap)
{
	char n[256], tag[16], alg[16], dt[16], dg[160];
	if (sscanf(anchor, "%255[^,],%15[^,],%15[^,],%15[^,],%159s",
	           n, tag, alg, dt, dg) != 5)
		return false;
	snprintf(out, cap, "%s DS %s %s %s %s", n, tag, alg, dt, dg);
	return true;
}

static int write_dnsmasq_copy(const char *src, const char *dst, int port,
                              const char *dir, bool for_wardd, char *err,
                              size_t errlen)
{
	FILE *in = fopen(src, "r");
	if (!in) {
		snprintf(err, errlen, "%s: %s", src, strerror(errno));
		return -1;
	}
	FILE *out = conf_create(dst, err, errlen);
	if (!out) {
		fclose(in);
		return -1;
	}
	char line[4096];
	fprintf(out, "# copy of %s made by ward diff\n", src);
	while (fgets(line, sizeof line, in)) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s", line);
		if (conf_line_dropped(trim(tmp)))
			fprintf(out, "# (ward diff) %s", line);
		else
			fputs(line, out);
	}
	fprintf(out, "\nlisten-address=127.0.0.1\nport=%d\nbind-interfaces\n"
	        "keep-in-foreground\npid-file=\nuser=%s\n"
	        "log-facility=%s/%s.log\n",
	        port, for_wardd ? "" : "root", dir, for_wardd ? "wardd" : "dnsmasq");
	if (!for_wardd)
		fputs("group=root\n", out);
	fclose(in);
	return conf_finish(out, dst, err, errlen);
}

static int write_unbound(const struct peer *p, const struct peer_upstream *u,
                         const char *path, char *err, size_t errlen)
{
	struct conf_up c;
	if (u->conf && read_conf_upstreams(u->conf, &c, err, errlen))
		return -1;
	FILE *f = conf_create(path, err, errlen);
	if (!f)
		return -1;
	int port = peer_port(p);
	fprintf(f, "server:\n  interface: 127.0.0.1\n  port: %d\n  do-ip6: no\n"
	        "  do-daemonize: no\n  username: \"\"\n  chroot: \"\"\n"
	        "  directory: \"%s\"\n  pidfile: \"\"\n  logfile: \"%s/unbound.log\"\n"
	        "  use-syslog: no\n  num-threads: 1\n  so-reuseport: no\n"
	        "  access-control: 127.0.0.0/8 allow\n  do-not-query-localhost: no\n"
	        "  ede: yes\n  val-bogus-ttl: 0\n  infra-cache-max-rtt: 3000\n"
	        "  discard-timeout: 0\n  prefetch: no\n  minimal-responses: no\n",
	        port, p->dir, p->dir);
	if (!u->conf) {
		fprintf(f, "  root-hints: \"%s\"\n  trust-anchor-file: \"%s\"\n"
		        "  module-config: \"validator iterator\"\n", u->root_hints, u->anchor);
	} else {
		/* dnsmasq's trust-anchor=.,tag,alg,dt,digest as a DS */
		bool ta = false;
		for (int i = 0; i < c.na; i++) {
			char ds[PEER_DS_TEXT_MAX];
			if (anchor_ds(c.anchors[i], ds, sizeof ds)) {
				fprintf(f, "  trust-anchor: \"%s\"\n", ds);
				ta = true;
			}
		}
		fprintf(f, "  module-config: \"%s\"\n",
		        ta && c.dnssec ? "validator iterator" : "iterator");
		fputs("forward-zone:\n  name: \".\"\n", f);
		for (int i = 0; i < c.n; i++) {
			char a[80];
			at_form(c.up[i], a, sizeof a);
			fprintf(f, "  forward-addr: %s\n", a);
		}
	}
	fputs("remote-control:\n  control-enable: no\n", f);
	return conf_finish(f, path, err, errlen);
}

static int write_kresd(const struct peer *p, const struct peer_upstream *u,
                       const char *path, char *err, size_t errlen)
{
	struct conf_up c;
	if (u->conf && read_conf_upstreams(u->conf, &c, err, errlen))
		return -1;
	FILE *f = conf_create(path, err, errlen);
	if (!f)
		return -1;
	int port = peer_port(p);
	fprintf(f, "net.ipv6 = false\nnet.listen('127.0.0.1', %d, { kind = 'dns' })\n"
	        "option('ALLOW_LOCAL', true)\ncache.open(10 * MB, 'lmdb://%s/cache')\n"
	        "log_level('notice')\n", port, p->dir);
	if (!u->conf) {
		fprintf(f, "modules.load('hints > iterate')\nhints.root_file('%s')\n"
		        "trust_anchors.remove('.')\ntrust_anchors.add_file('%s', true)\n",
		        u->root_hints, u->anchor);
	} else {
		fputs("trust_anchors.remove('.')\n", f);
		for (int i = 0; i < c.na; i++) {
			char ds[PEER_DS_TEXT_MAX];
			if (c.dnssec && anchor_ds(c.anchors[i], ds, sizeof ds))
				fprintf(f, "trust_anchors.add('%s')\n", ds);
		}
		fputs("policy.add(policy.all(policy.FORWARD({", f);
		for (int i = 0; i < c.n; i++) {
			char a[80];
			at_form(c.up[i], a, sizeof a);
			fprintf(f, "%s'%s'", i ? ", " : "", a);
		}
		fputs("})))\n", f);
	}
	return conf_finish(f, path, err, errlen);
}

static int write_dnsmasq_testbed(const struct peer *p, const struct peer_upstream *u,
                                 const char *path, char *err, size_t errlen)
{
	if (!u->tb_unbound || !u->dnsmasq_anchor) {
		snprintf(err, errlen, "a dnsmasq peer on the testbed forwards to its Unbound: "
		         "WARD_TB_UNBOUND and WARD_TB_DNSMASQ_ANCHOR are not set (eval \"$(testbed/up)\")");
		return -1;
	}
	FILE *f = conf_create(path, err, errlen);
	if (!f)
		return -1;
	int port = peer_port(p);
	fprintf(f, "port=%d\nlisten-address=127.0.0.1\nbind-interfaces\nno-resolv\n"
	        "no-hosts\nserver=%s\ndnssec\nconf-file=%s\ndnssec-check-unsigned\n"
	        "pid-file=\nkeep-in-foreground\nlog-facility=%s/dnsmasq.log\n"
	        "cache-size=1000\nuser=root\ngroup=root\n",
	        port, u->tb_unbound, u->dnsmasq_anchor, p->dir);
	return conf_finish(f, path, err, errlen);
}

/* bin/wardd next to this bin/ward. */
static int wardd_path(char *out, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	size_t sl = strlen(self);
	if (sl + sizeof "/wardd" > cap)
		return -1;
	memcpy(out, self, sl);
	memcpy(out + sl, "/wardd", sizeof "/wardd");
	return access(out, X_OK);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Any answer at all means the peer listens. */
static bool answers(const struct dns_server *s)
{
	uint8_t q[64], reply[DNS_MSG_MAXLEN];
	dns_mb b;
	size_t len;
	const dns_name root = { 1, { 0 } };
	dns_mb_init(&b, q, sizeof q, sizeof q);
	dns_mb_set_id(&b, 0x5744);
	dns_mb_set_flags(&b, DNS_FLAG_RD);
	if (dns_mb_question(&b, &root, DNS_T_SOA, DNS_C_IN) || dns_mb_finish(&b, &len))
		return false;
	struct dns_expect e = { 0x5744, &root, DNS_T_SOA };
	return dns_query_udp(s, q, len, &e, 300, 1, reply, sizeof reply) > 0;
}

int peer_start(struct peer *p, enum peer_kind k, const struct peer_upstream *u,
               char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->kind = k;
	snprintf(p->dir, sizeof p->dir, "/tmp/ward-diff-XXXXXX");
	if (!mkdtemp(p->dir)) {
		snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
		p->dir[0] = '\0';
		return -1;
	}
	int port = free_port();
	char spec[32];
	snprintf(spec, sizeof spec, "127.0.0.1#%d", port);
	if (port < 0 || dns_server_parse(spec, 53, &p->addr)) {
		snprintf(err, errlen, "no free port on 127.0.0.1");
		goto fail;
	}
	snprintf(p->label, sizeof p->label, "%s %s", peer_kind_name(k), p->addr.text);
	if (!u->conf && (!u->root_hints || !u->anchor) && k != PEER_DNSMASQ) {
		snprintf(err, errlen, "no upstream for %s: give --conf FILE (its server= lines) "
		         "or start the testbed (WARD_TB_ROOT_HINTS and WARD_TB_ANCHOR)",
		         peer_kind_name(k));
		goto fail;
	}
	char conf[128], exe[PATH_MAX];
	const char *argv[8] = { 0 };
	int r = 0;
	switch (k) {
	case PEER_UNBOUND:
		snprintf(conf, sizeof conf, "%s/unbound.conf", p->dir);
		r = write_unbound(p, u, conf, err, errlen);
		argv[0] = "unbound"; argv[1] = "-d"; argv[2] = "-c"; argv[3] = conf;
		break;
	case PEER_KRESD:
		snprintf(conf, sizeof conf, "%s/kresd.conf", p->dir);
		r = write_kresd(p, u, conf, err, errlen);
		argv[0] = "kresd"; argv[1] = "-n"; argv[2] = "-c"; argv[3] = conf;
		argv[4] = p->dir;
		break;
	case PEER_DNSMASQ:
		snprintf(conf, sizeof conf, "%s/dnsmasq.conf", p->dir);
		r = u->conf ? write_dnsmasq_copy(u->conf, conf, port, p->dir, false, err, errlen)
		            : write_dnsmasq_testbed(p, u, conf, err, errlen);
		argv[0] = "dnsmasq"; argv[1] = "-C"; argv[2] = conf;
		break;
	case PEER_WARDD:
		if (!u->conf) {
			snprintf(err, errlen, "wardd is started only from a --conf FILE");
			goto fail;
		}
		if (wardd_path(exe, sizeof exe)) {
			snprintf(err, errlen, "wardd not found next to this ward binary");
			goto fail;
		}
		snprintf(conf, sizeof conf, "%s/wardd.conf", p->dir);
		r = write_dnsmasq_copy(u->conf, conf, port, p->dir, true, err, errlen);
		argv[0] = exe;
		static char cf[160];
		snprintf(cf, sizeof cf, "--conf-file=%s", conf);
		argv[1] = cf;
		break;
	}
	if (r)
		goto fail;
	char logp[128];
	snprintf(logp, sizeof logp, "%s/stderr.log", p->dir);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0) {
			dup2(nul, 0);
			close(nul);
		}
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	p->pid = pid;
	reg_pid(pid);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			unreg_pid(pid);
			p->pid = 0;
			char tail[200] = "";
			FILE *lf = fopen(logp, "r");
			if (lf) {
				char line[200];
				while (fgets(line, sizeof line, lf))
					if (line[0] != '\n')
						snprintf(tail, sizeof tail, "%s", trim(line));
				fclose(lf);
			}
			snprintf(err, errlen, "%s exited at startup (%s)", peer_kind_name(k),
			         tail[0] ? tail : "no message");
			goto fail;
		}
		if (answers(&p->addr))
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >
		    PEER_START_TIMEOUT_MS) {
			snprintf(err, errlen, "%s did not answer on %s within %d s (log: %s)",
			         peer_kind_name(k), p->addr.text, PEER_START_TIMEOUT_MS / 1000, logp);
			goto fail;
		}
	}
fail:
	peer_stop(p);
	return -1;
}

void peer_stop(struct peer *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		int st;
		for (int i = 0; i < 30; i++) {
			if (waitpid(p->pid, &st, WNOHANG) == p->pid)
				goto reaped;
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &st, 0);
reaped:
		unreg_pid(p->pid);
		p->pid = 0;
	}
	if (p->dir[0] && !getenv("WARD_DIFF_KEEP")) {
		nftw(p->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
		p->dir[0] = '\0';
	}
}
