/* Crash test: daemon/lease_store.c under SIGKILL at random moments.
 *
 * Each round forks a child that opens the store and makes lease changes as a
 * DHCP server would (random grants, renewals, releases and moves over a
 * small address pool; a client moving is released from its old address
 * before it gets the new one), compacting now and then. Before each change
 * it tells the parent what it is about to append; after lease_store_append
 * returned 0 — the moment wardd would send the ACK — it reports the change
 * acknowledged. Messages are 16 octets, below PIPE_BUF, so each arrives
 * whole or not at all. The parent kills the child with SIGKILL after a
 * random 2..200 ms (at most ROUNDS rounds), then checks on disk:
 *   - FILE parses with no bad line and holds no address twice, the journal
 *     has our header (a torn tail is allowed: it is the un-ACKed change);
 *   - after reopening, every address is in its last acknowledged state, or
 *     in the state of the one change in flight when the child died;
 *   - no client holds two addresses (so no address went to two clients).
 * Kills that land inside a compaction are counted and shown.
 * SIGKILL tests the ordering of our writes, not the disk's cache: the page
 * cache survives a killed process. Power loss is argued in lease_store.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "codec/error.h"
#include "daemon/lease_store.h"

enum {
	ROUNDS = 50,
	POOL = 256,        /* addresses 10.9.0.0 .. 10.9.0.255 */
	CLIENTS = 384,     /* more clients than addresses: moves and contention */
	KILL_MIN_MS = 2,
	KILL_MAX_MS = 200,
};
#define POOL_BASE 0x0a090000u

enum msg_type { MSG_PENDING = 1, MSG_ACK, MSG_COMPACT_BEGIN, MSG_COMPACT_END, MSG_FAIL };

struct msg {
	uint8_t type;
	uint8_t op;
	uint16_t client;
	uint32_t ip;
	int64_t expires;
};

struct slot_state {
	bool held;
	uint16_t client;
	int64_t expires;
};

static char dir[256], path[300], jpath[320];

static struct dhcp_lease lease_of(uint32_t ip, uint16_t client, int64_t expires)
{
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.ip = ip;
	l.expires = expires;
	l.htype = 1;
	l.hlen = 6;
	l.hw[0] = 0x02;
	l.hw[4] = (uint8_t)(client >> 8);
	l.hw[5] = (uint8_t)client;
	l.cid_len = 7;
	l.cid[0] = 1;
	memcpy(l.cid + 1, l.hw, 6);
	if (client % 3)
		snprintf(l.hostname, sizeof(l.hostname), "host-%u", client);
	return l;
}

static uint16_t client_of(const struct dhcp_lease *l)
{
	return (uint16_t)((l->hw[4] << 8) | l->hw[5]);
}

static void send_msg(int fd, uint8_t type, uint8_t op, uint32_t ip, uint16_t client,
                     int64_t expires)
{
	struct msg m = { type, op, client, ip, expires };
	if (write(fd, &m, sizeof(m)) != (ssize_t)sizeof(m))
		_exit(4);
}

/* ---- the child: a DHCP server's lease changes, forever ---- */

struct child {
	lease_store_t *st;
	int fd;
	struct slot_state slot[POOL];
	int addr_of[CLIENTS]; /* -1: none */
};

static int child_load(void *ctx, const struct dhcp_lease *l)
{
	struct child *c = ctx;
	unsigned i = l->ip - POOL_BASE;
	uint16_t k = client_of(l);
	if (i >= POOL || k >= CLIENTS)
		_exit(5);
	c->slot[i] = (struct slot_state){ true, k, l->expires };
	c->addr_of[k] = (int)i;
	return 0;
}

static void child_change(struct child *c, enum dhcp_lease_op op, unsigned i,
                         uint16_t k, int64_t expires)
{
	struct dhcp_lease l = lease_of(POOL_BASE + i, k, expires);
	send_msg(c->fd, MSG_PENDING, (uint8_t)op, l.ip, k, expires);
	if (lease_store_append(c->st, op, &l) != 0) {
		send_msg(c->fd, MSG_FAIL, 0, 0, 0, 0);
		_exit(3);
	}
	/* durable: this is where wardd sends the DHCPACK */
	send_msg(c->fd, MSG_ACK, (uint8_t)op, l.ip, k, expires);
	if (op == DHCP_LEASE_PUT) {
		c->slot[i] = (struct slot_state){ true, k, expires };
		c->addr_of[k] = (int)i;
	} else {
		c->slot[i].held = false;
		c->addr_of[k] = -1;
	}
}

/* compact_every: compact after about one change in this many (and when
 * due); small in some rounds so that many kills land inside compactions */
static void child_run(int fd, unsigned seed, unsigned compact_every)
{
	static struct child c;
	/* never outlive the test: the parent kills us within KILL_MAX_MS, but
	 * if its checks fail (longjmp out of cmocka) or it dies, we go too */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(10);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	for (unsigned k = 0; k < CLIENTS; k++)
		c.addr_of[k] = -1;
	if (lease_store_open(path, &c.st, NULL) != 0)
		_exit(2);
	lease_store_foreach(c.st, child_load, &c);
	for (uint64_t n = 0;; n++) {
		unsigned i = (unsigned)rand_r(&seed) % POOL;
		int64_t expires = 1700000000 + (int64_t)(rand_r(&seed) % 86400);
		if (c.slot[i].held) {
			uint16_t k = c.slot[i].client;
			if (rand_r(&seed) % 2)
				child_change(&c, DHCP_LEASE_PUT, i, k, expires); /* renew */
			else
				child_change(&c, DHCP_LEASE_DEL, i, k, 0);      /* release */
		} else {
			uint16_t k = (uint16_t)(rand_r(&seed) % CLIENTS);
			if (c.addr_of[k] >= 0) /* a move: old address released first */
				child_change(&c, DHCP_LEASE_DEL, (unsigned)c.addr_of[k], k, 0);
			child_change(&c, DHCP_LEASE_PUT, i, k, expires);
		}
		if (rand_r(&seed) % compact_every == 0 || lease_store_compact_due(c.st)) {
			send_msg(fd, MSG_COMPACT_BEGIN, 0, 0, 0, 0);
			if (lease_store_compact(c.st) != 0) {
				send_msg(fd, MSG_FAIL, 0, 0, 0, 0);
				_exit(3);
			}
			send_msg(fd, MSG_COMPACT_END, 0, 0, 0, 0);
		}
	}
}

/* ---- the parent: the model of what was acknowledged ---- */

struct model {
	struct slot_state slot[POOL];
	bool pending;
	struct msg pend;
	bool in_compaction;
	uint64_t acks;
};

static void model_msg(struct model *m, const struct msg *g)
{
	switch (g->type) {
	case MSG_PENDING:
		assert_false(m->pending); /* one change in flight at a time */
		m->pending = true;
		m->pend = *g;
		break;
	case MSG_ACK: {
		assert_true(m->pending);
		assert_int_equal(g->ip, m->pend.ip);
		unsigned i = g->ip - POOL_BASE;
		assert_true(i < POOL);
		if (g->op == DHCP_LEASE_PUT)
			m->slot[i] = (struct slot_state){ true, g->client, g->expires };
		else
			m->slot[i].held = false;
		m->pending = false;
		m->acks++;
		break;
	}
	case MSG_COMPACT_BEGIN: m->in_compaction = true; break;
	case MSG_COMPACT_END: m->in_compaction = false; break;
	default: fail_msg("child reported a failed write (message %u)", g->type);
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Read messages until the deadline (or EOF), feeding the model. */
static bool pump(int fd, struct model *m, uint8_t *buf, size_t *have, int64_t deadline)
{
	for (;;) {
		int wait = -1;
		if (deadline >= 0) {
			int64_t left = deadline - (int64_t)now_ms();
			if (left <= 0)
				return true;
			wait = (int)left;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		int pr = poll(&p, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		assert_true(pr >= 0);
		if (pr == 0)
			continue;
		ssize_t r = read(fd, buf + *have, 4096 - *have);
		if (r < 0 && errno == EINTR)
			continue;
		assert_true(r >= 0);
		if (r == 0)
			return false; /* EOF */
		*have += (size_t)r;
		size_t off = 0;
		for (; *have - off >= sizeof(struct msg); off += sizeof(struct msg)) {
			struct msg g;
			memcpy(&g, buf + off, sizeof(g));
			model_msg(m, &g);
		}
		memmove(buf, buf + off, *have - off);
		*have -= off;
	}
}

struct file_check {
	uint8_t seen[POOL];
	unsigned dups, outside;
};

static int file_line(void *ctx, const struct dhcp_lease *l, unsigned line)
{
	struct file_check *f = ctx;
	(void)line;
	unsigned i = l->ip - POOL_BASE;
	if (i >= POOL) {
		f->outside++;
		return 0;
	}
	if (f->seen[i]++)
		f->dups++;
	return 0;
}

static uint8_t *read_all(const char *p, size_t *n)
{
	int fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	off_t size = lseek(fd, 0, SEEK_END);
	assert_true(size >= 0);
	uint8_t *b = malloc((size_t)size + 1);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, (size_t)size, 0), size);
	close(fd);
	*n = (size_t)size;
	return b;
}

struct round_stats {
	unsigned torn, in_compaction, pending_kept, pending_lost;
};

/* After the kill: the files as the child left them, then the store. */
static void check_disk(struct model *m, struct round_stats *rs)
{
	size_t n;
	uint8_t *text = read_all(path, &n);
	struct file_check fc;
	memset(&fc, 0, sizeof(fc));
	struct lease_text_sink sink = { file_line, NULL, &fc };
	struct lease_text_stats ts;
	assert_int_equal(lease_text_parse((const char *)text, n, &sink, &ts), 0);
	free(text);
	assert_int_equal(ts.bad, 0);
	assert_int_equal(fc.dups, 0);
	assert_int_equal(fc.outside, 0);

	uint8_t *jr = read_all(jpath, &n);
	struct lease_journal_scan sc;
	assert_int_equal(lease_journal_replay(jr, n, NULL, NULL, &sc), 0);
	free(jr);
	if (sc.torn_len)
		rs->torn++;

	lease_store_t *st;
	int rc = lease_store_open(path, &st, NULL);
	if (rc != 0)
		fail_msg("reopen after kill: %s", ward_strerror(rc));
	bool kept = false;
	int holder[CLIENTS];
	for (unsigned k = 0; k < CLIENTS; k++)
		holder[k] = -1;
	for (unsigned i = 0; i < POOL; i++) {
		struct dhcp_lease l;
		int g = lease_store_get(st, POOL_BASE + i, &l);
		assert_true(g == 0 || g == WARD_ENOTFOUND);
		struct slot_state got = { g == 0, g == 0 ? client_of(&l) : 0,
		                          g == 0 ? l.expires : 0 };
		if (g == 0) {
			/* the whole lease, not just its owner */
			struct dhcp_lease want = lease_of(POOL_BASE + i, got.client, got.expires);
			assert_memory_equal(&l, &want, sizeof(l));
			assert_true(got.client < CLIENTS);
			if (holder[got.client] >= 0)
				fail_msg("client %u holds 10.9.0.%d and 10.9.0.%u", got.client,
				         holder[got.client], i);
			holder[got.client] = (int)i;
		}
		const struct slot_state *want = &m->slot[i];
		bool same = got.held == want->held &&
		            (!got.held || (got.client == want->client && got.expires == want->expires));
		if (same)
			continue;
		/* only the one change in flight may differ, and only to its value */
		if (!m->pending || m->pend.ip != POOL_BASE + i)
			fail_msg("10.9.0.%u: acknowledged state lost (held %d client %u "
			         "expires %lld, disk held %d client %u expires %lld)", i,
			         want->held, want->client, (long long)want->expires,
			         got.held, got.client, (long long)got.expires);
		bool pend_put = m->pend.op == DHCP_LEASE_PUT;
		bool is_pending = got.held == pend_put &&
		                  (!pend_put || (got.client == m->pend.client &&
		                                 got.expires == m->pend.expires));
		if (!is_pending)
			fail_msg("10.9.0.%u: state on disk is neither acknowledged nor in flight", i);
		m->slot[i] = got; /* durable without its ACK: allowed */
		rs->pending_kept++;
		kept = true;
	}
	if (m->pending && !kept)
		rs->pending_lost++;
	m->pending = false;
	lease_store_close(st);
}

static void test_sigkill_rounds(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ward-crash-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/leases", dir);
	snprintf(jpath, sizeof(jpath), "%s.journal", path);

	/* start from a dnsmasq-format file made by hand: 3 leases of the pool */
	struct model m;
	memset(&m, 0, sizeof(m));
	{
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		for (unsigned i = 0; i < 3; i++) {
			struct dhcp_lease l = lease_of(POOL_BASE + i, (uint16_t)(100 + i), 1700000000);
			char line[LEASE_TEXT_LINE_MAX];
			strbuf sb = strbuf_init(line, sizeof(line));
			assert_int_equal(lease_text_format(&sb, &l), 0);
			fputs(line, f);
			m.slot[i] = (struct slot_state){ true, (uint16_t)(100 + i), 1700000000 };
		}
		fclose(f);
	}

	unsigned seed = (unsigned)time(NULL);
	if (getenv("WARD_CRASH_SEED"))
		seed = (unsigned)strtoul(getenv("WARD_CRASH_SEED"), NULL, 10);
	print_message("seed %u (WARD_CRASH_SEED to repeat)\n", seed);
	struct round_stats rs = { 0, 0, 0, 0 };
	uint64_t t0 = now_ms();
	for (int round = 0; round < ROUNDS; round++) {
		int pfd[2];
		assert_int_equal(pipe(pfd), 0);
		unsigned child_seed = (unsigned)rand_r(&seed);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(pfd[0]);
			child_run(pfd[1], child_seed, round % 3 == 0 ? 2 : 25);
			_exit(0);
		}
		close(pfd[1]);
		uint8_t buf[4096];
		size_t have = 0;
		int64_t delay = KILL_MIN_MS + rand_r(&seed) % (KILL_MAX_MS - KILL_MIN_MS + 1);
		bool alive = pump(pfd[0], &m, buf, &have, (int64_t)now_ms() + delay);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (alive)
			pump(pfd[0], &m, buf, &have, -1); /* drain to EOF */
		close(pfd[0]);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("round %d: child ended by itself (status %d)", round, status);
		if (m.in_compaction)
			rs.in_compaction++;
		m.in_compaction = false;
		check_disk(&m, &rs);
	}
	assert_true(m.acks > 0);
	print_message("%d kills, %llu acknowledged changes all found, %u kills inside a "
	              "compaction, %u torn journal tails, in-flight change kept %u / lost %u, "
	              "%llu ms\n", ROUNDS, (unsigned long long)m.acks, rs.in_compaction,
	              rs.torn, rs.pending_kept, rs.pending_lost,
	              (unsigned long long)(now_ms() - t0));
	unlink(path);
	unlink(jpath);
	char tpath[330];
	snprintf(tpath, sizeof(tpath), "%s.tmp", path);
	unlink(tpath);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_rounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
