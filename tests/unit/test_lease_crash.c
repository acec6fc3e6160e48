/* Crash test: daemon/lease_store.c under SIGKILL at random moments.
 *
 * Each round forks a child that opens the store and makes lease changes as a
 * DHCP server would (random grants, renewals, releases and moves over a
 * small address pool; a client moving is released from its old address
 * before it gets the new one), compacting now and then. Before each change
 * it tells the parent what it is about to write; once the change is durable
 * — lease_store_append returned 0, or in group-commit rounds the
 * lease_store_commit of a batch of up to BATCH_MAX changes — the moment
 * wardd would send the ACKs, it reports them acknowledged. Messages are 16
 * octets, below PIPE_BUF, so each arrives whole or not at all. The parent
 * kills the child with SIGKILL after a random 2..200 ms (ROUNDS rounds),
 * then checks on disk:
 *   - FILE parses with no bad line and holds no address twice, the journal
 *     has our header (a torn tail is allowed: it is an un-ACKed change);
 *   - after reopening, the set is exactly the acknowledged state plus some
 *     prefix (maybe empty, maybe all) of the changes in flight when the
 *     child died — every acknowledged change is there, nothing else is;
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
	BATCH_MAX = 16,    /* changes per commit in group-commit rounds */
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
	bool batch;           /* group commit: stage, commit every few changes */
	unsigned staged;
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
	int rc = c->batch ? lease_store_stage(c->st, op, &l)
	                  : lease_store_append(c->st, op, &l);
	if (rc != 0) {
		send_msg(c->fd, MSG_FAIL, 0, 0, 0, 0);
		_exit(3);
	}
	/* durable: this is where wardd sends the DHCPACK */
	if (!c->batch)
		send_msg(c->fd, MSG_ACK, 0, 0, 0, 0);
	else
		c->staged++;
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
static void child_commit(struct child *c)
{
	if (lease_store_commit(c->st) != 0) {
		send_msg(c->fd, MSG_FAIL, 0, 0, 0, 0);
		_exit(3);
	}
	/* the whole batch is durable: its ACKs may go */
	send_msg(c->fd, MSG_ACK, 0, 0, 0, 0);
	c->staged = 0;
}

static void child_run(int fd, unsigned seed, unsigned compact_every, bool batch)
{
	static struct child c;
	/* never outlive the test: the parent kills us within KILL_MAX_MS, but
	 * if its checks fail (longjmp out of cmocka) or it dies, we go too */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(10);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.batch = batch;
	unsigned batch_len = 1 + (unsigned)rand_r(&seed) % BATCH_MAX;
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
		if (c.batch && c.staged < batch_len)
			continue;
		if (c.batch) {
			child_commit(&c);
			batch_len = 1 + (unsigned)rand_r(&seed) % BATCH_MAX;
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
	struct slot_state slot[POOL]; /* the acknowledged state */
	unsigned npend;               /* changes written, not acknowledged */
	struct msg pend[BATCH_MAX + 1];
	bool in_compaction;
	uint64_t acks, commits;
};

static void apply_msg(struct slot_state *slot, const struct msg *g)
{
	unsigned i = g->ip - POOL_BASE;
	assert_true(i < POOL);
	if (g->op == DHCP_LEASE_PUT)
		slot[i] = (struct slot_state){ true, g->client, g->expires };
	else
		slot[i].held = false;
}

static void model_msg(struct model *m, const struct msg *g)
{
	switch (g->type) {
	case MSG_PENDING:
		/* a move is two changes; a batch at most BATCH_MAX + 1 */
		assert_true(m->npend < BATCH_MAX + 1);
		m->pend[m->npend++] = *g;
		break;
	case MSG_ACK:
		assert_true(m->npend > 0);
		for (unsigned k = 0; k < m->npend; k++)
			apply_msg(m->slot, &m->pend[k]);
		m->acks += m->npend;
		m->commits++;
		m->npend = 0;
		break;
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
	unsigned torn, in_compaction, kills_in_flight, prefix_kept, prefix_full;
};

static bool same_state(const struct slot_state *a, const struct slot_state *b)
{
	return a->held == b->held &&
	       (!a->held || (a->client == b->client && a->expires == b->expires));
}

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
	static struct slot_state disk[POOL];
	int holder[CLIENTS];
	for (unsigned k = 0; k < CLIENTS; k++)
		holder[k] = -1;
	for (unsigned i = 0; i < POOL; i++) {
		struct dhcp_lease l;
		int g = lease_store_get(st, POOL_BASE + i, &l);
		assert_true(g == 0 || g == WARD_ENOTFOUND);
		disk[i] = (struct slot_state){ g == 0, g == 0 ? client_of(&l) : 0,
		                               g == 0 ? l.expires : 0 };
		if (g != 0)
			continue;
		/* the whole lease, not just its owner */
		struct dhcp_lease want = lease_of(POOL_BASE + i, disk[i].client, disk[i].expires);
		assert_memory_equal(&l, &want, sizeof(l));
		assert_true(disk[i].client < CLIENTS);
		if (holder[disk[i].client] >= 0)
			fail_msg("client %u holds 10.9.0.%d and 10.9.0.%u", disk[i].client,
			         holder[disk[i].client], i);
		holder[disk[i].client] = (int)i;
	}
	lease_store_close(st);

	/* the acknowledged state plus a prefix of the changes in flight */
	static struct slot_state want[POOL];
	memcpy(want, m->slot, sizeof(want));
	unsigned first_diff = POOL;
	for (unsigned p = 0;; p++) {
		unsigned i;
		for (i = 0; i < POOL && same_state(&disk[i], &want[i]); i++)
			;
		if (i == POOL) {
			memcpy(m->slot, want, sizeof(want)); /* durable, ACK or not */
			if (m->npend)
				rs->kills_in_flight++;
			if (p > 0)
				rs->prefix_kept++;
			if (p > 0 && p == m->npend)
				rs->prefix_full++;
			m->npend = 0;
			return;
		}
		if (p == 0)
			first_diff = i;
		if (p == m->npend)
			break;
		apply_msg(want, &m->pend[p]);
	}
	unsigned i = first_diff;
	fail_msg("10.9.0.%u: disk (held %d client %u expires %lld) is not the "
	         "acknowledged state (held %d client %u expires %lld) plus a prefix "
	         "of the %u changes in flight", i, disk[i].held, disk[i].client,
	         (long long)disk[i].expires, m->slot[i].held, m->slot[i].client,
	         (long long)m->slot[i].expires, m->npend);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/ward-crash-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/leases", dir);
	snprintf(jpath, sizeof(jpath), "%s.journal", path);
	return 0;
}

/* runs after a failed check too */
static int teardown(void **state)
{
	(void)state;
	char tpath[330];
	snprintf(tpath, sizeof(tpath), "%s.tmp", path);
	unlink(path);
	unlink(jpath);
	unlink(tpath);
	rmdir(dir);
	return 0;
}

static void test_sigkill_rounds(void **state)
{
	(void)state;

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
	struct round_stats rs = { 0, 0, 0, 0, 0 };
	uint64_t t0 = now_ms();
	for (int round = 0; round < ROUNDS; round++) {
		int pfd[2];
		assert_int_equal(pipe(pfd), 0);
		unsigned child_seed = (unsigned)rand_r(&seed);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(pfd[0]);
			/* one round in three compacts constantly, one in three
			 * commits in batches (group commit) */
			child_run(pfd[1], child_seed, round % 3 == 0 ? 2 : 25, round % 3 == 1);
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
	print_message("%d kills, %llu acknowledged changes (%llu commits) all found, "
	              "%u kills inside a compaction, %u with changes in flight (kept: "
	              "some %u, all %u), %u torn journal tails, %llu ms\n", ROUNDS,
	              (unsigned long long)m.acks, (unsigned long long)m.commits,
	              rs.in_compaction, rs.kills_in_flight, rs.prefix_kept,
	              rs.prefix_full, rs.torn, (unsigned long long)(now_ms() - t0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sigkill_rounds, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
