/* wardd: drives the DHCP engine (docs/dhcp.md, docs/wardd.md "DHCP").
 * Group commit: the messages of one read burst (at most WARDD_DHCP_BATCH)
 * go through the engine one by one; their lease changes are staged in the
 * store and their replies held; then one commit (one write, one
 * fdatasync) makes every change durable and only then are the replies
 * sent. If the commit fails no reply of the batch is sent (the clients
 * retry; the engine keeps its view, so each is offered the same address
 * again). The write and fdatasync run on libuv's thread pool while the
 * loop goes on: DNS is answered, and the next batch fills (one commit in
 * flight at a time; its replies go out after this one's, in order; a full
 * batch stops the reading until then) — the slower the disk, the more
 * changes share one fdatasync. Names go into the resolver's local data at
 * once; dhcp-script calls are queued after the commit. Once the replies
 * are out, the lease file is compacted when due (on the loop: O(leases),
 * once per LEASE_STORE_COMPACT_RATIO x leases changes). Timer ticks
 * (expiry) take the same path. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec/dhcp.h"
#include "codec/error.h"
#include "daemon/dash.h"
#include "daemon/dhcp_serve.h"
#include "daemon/wardd.h"

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

static const char *ip_text(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static localdata *current_ld(struct wardd_dhcp *dh)
{
	return dh->d->gen ? dh->d->gen->setup.ld : NULL;
}

static void name_apply(struct wardd_dhcp *dh, const dhcp_act_name *n)
{
	localdata *ld = current_ld(dh);
	if (!ld || !n->host[0])
		return;
	if (n->add) {
		uint32_t be = htonl(n->ip);
		int r = localdata_lease_add(ld, n->host, AF_INET, &be);
		if (r)
			wlog(WLOG_WARNING, "DHCP: name %s not added to DNS: %s", n->host,
			     ward_strerror(r));
	} else {
		(void)localdata_lease_remove(ld, n->host);
	}
}

static void names_cb(void *ctx, const dhcp_act_name *n)
{
	name_apply(ctx, n);
}

void dhcp_serve_names(struct wardd_dhcp *dh)
{
	dhcp_engine_names(dh->e, names_cb, dh);
}

static void arm_timer(struct wardd_dhcp *dh, int64_t wakeup, int64_t now);

static const char *type_name(uint8_t t)
{
	switch (t) {
	case DHCP_OFFER: return "DHCPOFFER";
	case DHCP_ACK: return "DHCPACK";
	case DHCP_NAK: return "DHCPNAK";
	default: return "DHCP";
	}
}

static void queue_script(struct wardd_dhcp *dh, const char *kind,
                         const struct dhcp_lease *l, const struct dhcp_if *in)
{
	if (!dh->script)
		return;
	struct dhcp_batch *b = &dh->batch[dh->cur];
	if (b->nscripts >= WARDD_DHCP_BATCH_SCRIPTS) {
		dh->st_.script_dropped++;
		return;
	}
	struct dhcp_pending_script *p = &b->scripts[b->nscripts++];
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	snprintf(p->ifname, sizeof p->ifname, "%s", in ? in->name : "");
	p->l = *l;
}

static bool batch_full(const struct dhcp_batch *b)
{
	return b->nsends >= WARDD_DHCP_BATCH ||
	       b->nscripts + DHCP_OUT_MAX > WARDD_DHCP_BATCH_SCRIPTS;
}

/* Stage dh->out: lease changes into the store (not yet durable), names
 * into local data, the reply held for dhcp_serve_flush. in is the
 * interface of the request (NULL: a tick). */
static void stage_actions(struct wardd_dhcp *dh, struct dhcp_if *in, int64_t now)
{
	dhcp_out *o = &dh->out;
	struct dhcp_batch *b = &dh->batch[dh->cur];
	for (size_t i = 0; i < o->n; i++) {
		const dhcp_action *a = &o->act[i];
		if (a->kind == DHCP_ACT_LEASE) {
			const struct dhcp_lease *l = &a->u.lease.lease;
			bool del = a->u.lease.op == DHCP_LEASE_DEL;
			if (del && !in && dh->d->dash)   /* a tick: the lease ran out */
				dash_lease_expired(dh->d->dash, l);
			if (!dh->st) {
				queue_script(dh, del ? "del" : "add", l, in);
				continue;
			}
			/* the script's action from the store's view before the
			 * change (staged changes of this batch aside): a new
			 * address is "add", a rewritten one "old" */
			struct dhcp_lease before;
			bool had = lease_store_get(dh->st, l->ip, &before) == 0;
			int r = lease_store_stage(dh->st, a->u.lease.op, l);
			if (r) {
				char ip[INET_ADDRSTRLEN];
				wlog(WLOG_ERR, "DHCP: lease %s cannot be stored: %s",
				     ip_text(l->ip, ip), ward_strerror(r));
				b->failed = true;
				continue;
			}
			if (del && had)
				queue_script(dh, "del", &before, in);
			else if (!del)
				queue_script(dh, had ? "old" : "add", l, in);
		} else if (a->kind == DHCP_ACT_NAME) {
			name_apply(dh, &a->u.name);
		} else if (a->kind == DHCP_ACT_SEND && in) {
			if (b->nsends >= WARDD_DHCP_BATCH) {
				/* not reached: dhcp_io.c reads nothing while full */
				dh->st_.send_errors++;
				continue;
			}
			struct dhcp_pending_send *p = &b->sends[b->nsends++];
			p->in = in;
			p->s = a->u.send;
			memcpy(p->pkt, a->u.send.pkt, a->u.send.len);
			p->s.pkt = p->pkt;
		}
	}
	if (o->note && in)
		wlog(WLOG_INFO, "DHCP(%s): %s", in->name, o->note);
	arm_timer(dh, o->wakeup, now);
	/* a full batch is flushed before the next message is read */
	if (batch_full(b))
		dhcp_serve_flush(dh);
}

bool dhcp_serve_full(const struct wardd_dhcp *dh)
{
	return batch_full(&dh->batch[dh->cur]);
}

/* Send the batch's replies (if durable), queue its script calls, empty it;
 * then compact when due. */
static void batch_send(struct wardd_dhcp *dh, struct dhcp_batch *b, bool durable)
{
	if (b->nsends > 1)
		dh->st_.batched += b->nsends;
	int64_t now = now_s();
	for (unsigned i = 0; i < b->nsends; i++) {
		struct dhcp_pending_send *p = &b->sends[i];
		if (!durable) {
			dh->st_.dropped_commit++;
			continue;
		}
		if (dh->d->stopping)
			continue; /* the sockets are closed: the client asks again */
		/* yiaddr of our own reply (RFC 2131 §2: octets 16-19) */
		uint32_t yi = p->s.len >= 20 ? (uint32_t)p->pkt[16] << 24 |
		              (uint32_t)p->pkt[17] << 16 | (uint32_t)p->pkt[18] << 8 |
		              p->pkt[19] : 0;
		char ip[INET_ADDRSTRLEN];
		wlog(WLOG_INFO, "%s(%s) %s %02x:%02x:%02x:%02x:%02x:%02x",
		     type_name(p->s.msg_type), p->in->name, ip_text(yi, ip),
		     p->s.chaddr[0], p->s.chaddr[1], p->s.chaddr[2], p->s.chaddr[3],
		     p->s.chaddr[4], p->s.chaddr[5]);
		dhcp_io_send(dh, p->in, &p->s);
	}
	if (durable && !dh->d->stopping)
		for (unsigned i = 0; i < b->nscripts; i++) {
			struct dhcp_pending_script *p = &b->scripts[i];
			dhcp_script_queue(dh, p->kind, &p->l,
			                  p->ifname[0] ? p->ifname : NULL, now);
		}
	b->nsends = 0;
	b->nscripts = 0;
	b->failed = false;
	/* after the replies: the O(leases) rewrite when the journal has grown */
	if (dh->st && !dh->inflight && lease_store_compact_due(dh->st)) {
		if (lease_store_compact(dh->st) == 0)
			dh->st_.compactions++;
		else
			wlog(WLOG_WARNING, "DHCP: compacting %s failed: %m", dh->leasefile);
	}
}

static void commit_failed_log(struct wardd_dhcp *dh, int r, unsigned nsends)
{
	wlog(WLOG_ERR, "DHCP: cannot write the lease file %s: %s (%m); "
	     "%u repl%s not sent", dh->leasefile, ward_strerror(r),
	     nsends, nsends == 1 ? "y" : "ies");
}

/* libuv's thread pool: only the job (its buffer and the journal's
 * descriptor) is touched here */
static void commit_work(uv_work_t *w)
{
	struct wardd_dhcp *dh = w->data;
	lease_store_commit_io(&dh->job);
}

static void commit_done(uv_work_t *w, int status)
{
	(void)status; /* never cancelled */
	struct wardd_dhcp *dh = w->data;
	struct dhcp_batch *b = &dh->batch[dh->cur ^ 1];
	dh->inflight = false;
	int r = lease_store_commit_end(dh->st, &dh->job);
	dh->st_.commits++;
	if (r)
		commit_failed_log(dh, r, b->nsends);
	batch_send(dh, b, r == 0 && !b->failed);
	if (dh->d->stopping)
		return; /* what is staged was never answered: dropped at exit */
	dhcp_io_resume(dh);
	const struct dhcp_batch *c = &dh->batch[dh->cur];
	if (c->nsends || c->nscripts || c->failed || lease_store_staged(dh->st))
		dhcp_serve_flush(dh);
}

void dhcp_serve_flush(struct wardd_dhcp *dh)
{
	if (dh->inflight)
		return; /* this batch goes when the commit in flight ends */
	struct dhcp_batch *b = &dh->batch[dh->cur];
	if (dh->st && lease_store_staged(dh->st)) {
		int r = lease_store_commit_begin(dh->st, &dh->job);
		if (r == 0 && dh->job.n) {
			dh->inflight = true;
			dh->cur ^= 1;
			dh->work.data = dh;
			if (uv_queue_work(dh->d->loop, &dh->work, commit_work,
			                  commit_done) < 0) {
				/* no worker: commit here */
				commit_work(&dh->work);
				commit_done(&dh->work, 0);
			}
			return;
		}
		if (r) {
			dh->st_.commits++;
			commit_failed_log(dh, r, b->nsends);
			batch_send(dh, b, false);
			return;
		}
	}
	batch_send(dh, b, !b->failed);
}

int dhcp_serve_delete(struct wardd_dhcp *dh, uint32_t ip)
{
	/* the control client waits for the answer, so this commit is made
	 * here, on the loop; with one in flight the store cannot take it */
	if (dh->inflight)
		return WARD_ELEASE_BUSY;
	int64_t now = now_s();
	int r = dhcp_engine_lease_delete(dh->e, ip, now, &dh->out);
	if (r) {
		arm_timer(dh, dh->out.wakeup, now);
		return r;
	}
	stage_actions(dh, NULL, now);
	if (dh->inflight)
		return 0; /* a full batch went to a commit, the DEL with it */
	struct dhcp_batch *b = &dh->batch[dh->cur];
	bool failed = b->failed;
	r = 0;
	if (dh->st && lease_store_staged(dh->st)) {
		r = lease_store_commit(dh->st);
		dh->st_.commits++;
		if (r)
			commit_failed_log(dh, r, b->nsends);
	}
	batch_send(dh, b, r == 0 && !failed);
	return r ? r : failed ? WARD_ELEASE_WRITE : 0;
}

void dhcp_serve_packet(struct dhcp_if *in, const uint8_t *pkt, size_t len,
                       bool unicast)
{
	struct wardd_dhcp *dh = in->dh;
	dh->st_.received++;
	dhcp_rx rx;
	memset(&rx, 0, sizeof rx);
	rx.pkt = pkt;
	rx.len = len;
	rx.ifname = in->name;
	memcpy(rx.addrs, in->addrs, sizeof rx.addrs);
	rx.naddrs = in->naddrs;
	rx.unicast = unicast;
	int64_t now = now_s();
	int r = dhcp_engine_input(dh->e, &rx, now, &dh->out);
	if (r < 0) {
		dh->st_.malformed++;
		return;
	}
	stage_actions(dh, in, now);
}

static void on_timer(uv_timer_t *t)
{
	struct wardd_dhcp *dh = t->data;
	int64_t now = now_s();
	dh->wakeup = 0;
	if (dhcp_engine_tick(dh->e, now, &dh->out) == 0) {
		stage_actions(dh, NULL, now);
		dhcp_serve_flush(dh);
	}
}

static void arm_timer(struct wardd_dhcp *dh, int64_t wakeup, int64_t now)
{
	if (!dh->timer_open || dh->d->stopping)
		return;
	if (wakeup <= 0) {
		/* the engine's earliest event is in wakeup after every call; none */
		uv_timer_stop(&dh->timer);
		dh->wakeup = 0;
		return;
	}
	if (wakeup == dh->wakeup && uv_is_active((uv_handle_t *)&dh->timer))
		return;
	dh->wakeup = wakeup;
	uint64_t ms = wakeup > now ? (uint64_t)(wakeup - now) * 1000u : 0;
	uv_timer_start(&dh->timer, on_timer, ms, 0);
}

static int load_cb(void *ctx, const struct dhcp_lease *l)
{
	struct wardd_dhcp *dh = ctx;
	int r = dhcp_engine_lease_load(dh->e, l, now_s());
	return r == WARD_ENOMEM ? r : 0;
}

static int open_store(struct wardd_dhcp *dh)
{
	struct lease_store_report rep;
	memset(&rep, 0, sizeof rep);
	int r = lease_store_open(dh->leasefile, &dh->st, &rep);
	if (r) {
		wlog(WLOG_ERR, "cannot open or create lease file %s: %s (%m)",
		     dh->leasefile, ward_strerror(r));
		return r;
	}
	for (unsigned i = 0; i < rep.file.bad && i < LEASE_STORE_BAD_KEPT; i++)
		wlog(WLOG_WARNING, "%s:%u: lease line skipped: %s", dh->leasefile,
		     rep.bad_line[i], ward_strerror(rep.bad_err[i]));
	if (rep.file.v6 || rep.file.duid)
		wlog(WLOG_WARNING, "%s: %u DHCPv6 lease lines skipped (ward serves "
		     "DHCPv4 only; they are dropped at the next rewrite)",
		     dh->leasefile, rep.file.v6 + rep.file.duid);
	if (rep.journal.torn_len)
		wlog(WLOG_WARNING, "%s.journal: %zu octets of an unfinished write "
		     "cut off", dh->leasefile, rep.journal.torn_len);
	int n = lease_store_expire(dh->st, now_s());
	if (n < 0)
		wlog(WLOG_WARNING, "%s: expired leases not removed: %s",
		     dh->leasefile, ward_strerror(n));
	r = lease_store_foreach(dh->st, load_cb, dh);
	if (r)
		return r;
	wlog(WLOG_INFO, "DHCP: %zu leases from %s (%u journal records replayed)",
	     dhcp_engine_lease_count(dh->e), dh->leasefile, rep.journal.records);
	return 0;
}

int dhcp_serve_start(struct wardd *d, struct wardd_dhcp **out)
{
	*out = NULL;
	const ward_conf *c = d->conf;
	if (!c->dhcp_ranges.n)
		return 0;
	struct wardd_dhcp *dh = calloc(1, sizeof *dh);
	if (!dh)
		return WARD_ENOMEM;
	dh->d = d;
	dh->raw_fd = -1;
	for (unsigned i = 0; i < WARDD_DHCP_IF_MAX; i++)
		dh->ifs[i].fd = -1;
	*out = dh;
	int r = dhcp_setup_from_conf(c, &dh->setup);
	if (r)
		return r;
	if (dh->setup.skipped)
		wlog(WLOG_WARNING, "DHCP: %u configuration items not used (proxy "
		     "ranges, domain=...,interface, domain=#)", dh->setup.skipped);
	r = dhcp_engine_new(&dh->setup.cfg, &dh->e);
	if (r) {
		wlog(WLOG_ERR, "DHCP configuration not usable: %s", ward_strerror(r));
		return r;
	}
	dh->leasefile = c->dhcp_leasefile ? c->dhcp_leasefile
	                                  : WARDD_DHCP_DEFAULT_LEASEFILE;
	if (*dh->leasefile && (r = open_store(dh)) != 0) {
		dh->store_failed = true;
		return r;
	}
	if (!*dh->leasefile)
		wlog(WLOG_WARNING, "DHCP: no lease file (dhcp-leasefile=\"\"): "
		     "leases are lost at exit");
	dhcp_serve_names(dh);
	dh->script = c->dhcp_script;
	dh->raw_fd = dhcp_raw_open();
	if (dh->raw_fd < 0)
		wlog(WLOG_WARNING, "DHCP: no packet socket (%m): replies to clients "
		     "without an address are broadcast");
	if ((r = dhcp_io_open(dh)) != 0)
		return r;
	uv_timer_init(d->loop, &dh->timer);
	dh->timer.data = dh;
	dh->timer_open = true;
	/* expiries due while wardd was down, and the first wake-up */
	if (dhcp_engine_tick(dh->e, now_s(), &dh->out) == 0) {
		stage_actions(dh, NULL, now_s());
		dhcp_serve_flush(dh);
	}
	return 0;
}

void dhcp_serve_stop(struct wardd_dhcp *dh)
{
	if (!dh)
		return;
	dhcp_script_stop(dh);
	dhcp_io_close(dh);
	if (dh->timer_open) {
		uv_timer_stop(&dh->timer);
		uv_close((uv_handle_t *)&dh->timer, NULL);
		dh->timer_open = false;
	}
}

void dhcp_serve_free(struct wardd_dhcp *dh)
{
	if (!dh)
		return;
	if (dh->raw_fd >= 0)
		close(dh->raw_fd);
	if (dh->st) {
		/* a clean stop leaves FILE whole: dnsmasq can take it back */
		if (lease_store_journal_records(dh->st) &&
		    lease_store_compact(dh->st) < 0)
			wlog(WLOG_WARNING, "DHCP: compacting %s at exit failed: %m",
			     dh->leasefile);
		lease_store_close(dh->st);
	}
	dhcp_engine_free(dh->e);
	dhcp_setup_free(&dh->setup);
	free(dh->script_startup);
	free(dh);
}

void dhcp_serve_ready(struct wardd_dhcp *dh)
{
	if (!dh || !dh->st)
		return;
	if (dh->script && dhcp_script_startup(dh) < 0)
		wlog(WLOG_WARNING, "dhcp-script: out of memory; no \"old\" calls "
		     "for the leases found at start");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", dh->leasefile);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = 0;
	else if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof dir, ".");
	/* compaction writes FILE.tmp there and renames it over FILE */
	if (access(dir, W_OK | X_OK) < 0 || access(dh->leasefile, W_OK) < 0)
		wlog(WLOG_WARNING, "DHCP: %s or its directory %s is not writable by "
		     "the user wardd runs as: the lease file cannot be compacted "
		     "(make the directory that user's, or set user=)",
		     dh->leasefile, dir);
}

void dhcp_serve_log_stats(const struct wardd_dhcp *dh)
{
	if (!dh)
		return;
	const struct wardd_dhcp_stats *s = &dh->st_;
	wlog(WLOG_INFO, "DHCP: %zu leases, %llu messages received, %llu replies "
	     "(%llu by packet socket), %llu malformed, %llu replies dropped "
	     "(lease not durable), %llu send errors, %llu commits (%llu replies "
	     "sent in batches), %llu compactions, %llu script runs (%llu "
	     "dropped)", dhcp_engine_lease_count(dh->e),
	     (unsigned long long)s->received, (unsigned long long)s->replies,
	     (unsigned long long)s->raw_sent, (unsigned long long)s->malformed,
	     (unsigned long long)s->dropped_commit,
	     (unsigned long long)s->send_errors,
	     (unsigned long long)s->commits, (unsigned long long)s->batched,
	     (unsigned long long)s->compactions,
	     (unsigned long long)s->script_runs,
	     (unsigned long long)s->script_dropped);
}
