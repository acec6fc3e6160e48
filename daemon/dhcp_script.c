/* wardd: dhcp-script=, as dnsmasq calls it (dnsmasq(8) --dhcp-script):
 *   SCRIPT add|old|del MAC IP [HOSTNAME]
 * with, in an otherwise empty environment (PATH aside), DNSMASQ_INTERFACE
 * (not for an expiry), DNSMASQ_CLIENT_ID (when the client sent one),
 * DNSMASQ_LEASE_EXPIRES and DNSMASQ_TIME_REMAINING (not for an infinite
 * lease). The other DNSMASQ_* variables are not given yet.
 * "add": a new lease; "old": a lease that existed and was written again
 * (renewal, new name), and, as dnsmasq does, every lease found at start;
 * "del": a lease released or expired.
 * Calls run one at a time, in order, like dnsmasq's script helper, through
 * libuv (fork+exec, the child reaped by its exit callback) so the loop
 * never waits; at most WARDD_DHCP_SCRIPT_QUEUE wait, later ones are dropped
 * and counted. A call is queued only once its lease change is durable. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"

#include "daemon/dhcp_serve.h"
#include "daemon/wardd.h"

static void hex_join(char *out, size_t cap, const uint8_t *b, size_t n)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && o + 4 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, i ? ":%02x" : "%02x", b[i]);
}

static void start_next(struct wardd_dhcp *dh);
static bool feed_startup(struct wardd_dhcp *dh);

static void on_closed(uv_handle_t *h)
{
	struct wardd_dhcp *dh = h->data;
	dh->script_running = false;
	start_next(dh);
}

static void script_exited(uv_process_t *p, int64_t status, int sig)
{
	struct wardd_dhcp *dh = p->data;
	if (status || sig)
		wlog(WLOG_WARNING, "dhcp-script %s exited with status %" PRId64
		     "%s%d", dh->script, status, sig ? ", signal " : "", sig);
	if (!uv_is_closing((uv_handle_t *)p))
		uv_close((uv_handle_t *)p, on_closed);
}

static void start_next(struct wardd_dhcp *dh)
{
	while (!dh->script_running && !dh->d->stopping &&
	       (dh->qlen || feed_startup(dh))) {
		struct dhcp_script_job *j = &dh->queue[dh->qhead];
		dh->qhead = (dh->qhead + 1) % WARDD_DHCP_SCRIPT_QUEUE;
		dh->qlen--;
		char *args[6];
		int na = 0;
		args[na++] = (char *)dh->script;
		args[na++] = j->action;
		args[na++] = j->mac;
		args[na++] = j->ip;
		if (j->host[0])
			args[na++] = j->host;
		args[na] = NULL;
		static char env[WARDD_DHCP_SCRIPT_ENV][1024];
		char *envp[WARDD_DHCP_SCRIPT_ENV + 1];
		int ne = 0;
		snprintf(env[ne], sizeof env[ne], "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
		envp[ne] = env[ne];
		ne++;
		if (j->ifname[0]) {
			snprintf(env[ne], sizeof env[ne], "DNSMASQ_INTERFACE=%s", j->ifname);
			envp[ne] = env[ne];
			ne++;
		}
		if (j->cid[0]) {
			snprintf(env[ne], sizeof env[ne], "DNSMASQ_CLIENT_ID=%s", j->cid);
			envp[ne] = env[ne];
			ne++;
		}
		if (j->expires) {
			snprintf(env[ne], sizeof env[ne], "DNSMASQ_LEASE_EXPIRES=%" PRId64,
			         j->expires);
			envp[ne] = env[ne];
			ne++;
			snprintf(env[ne], sizeof env[ne], "DNSMASQ_TIME_REMAINING=%" PRId64,
			         j->remaining);
			envp[ne] = env[ne];
			ne++;
		}
		envp[ne] = NULL;
		uv_process_options_t o;
		memset(&o, 0, sizeof o);
		o.file = dh->script;
		o.args = args;
		o.env = envp;
		o.exit_cb = script_exited;
		uv_stdio_container_t io[3] = {
			{ .flags = UV_IGNORE }, { .flags = UV_INHERIT_FD, .data.fd = 1 },
			{ .flags = UV_INHERIT_FD, .data.fd = 2 },
		};
		o.stdio = io;
		o.stdio_count = 3;
		dh->proc.data = dh;
		int r = uv_spawn(dh->d->loop, &dh->proc, &o);
		dh->st_.script_runs++;
		if (r) {
			wlog(WLOG_WARNING, "cannot run dhcp-script %s: %s", dh->script,
			     uv_strerror(r));
			dh->script_running = true;
			uv_close((uv_handle_t *)&dh->proc, on_closed);
			return;
		}
		dh->script_running = true;
	}
}

static void fill_job(struct dhcp_script_job *j, const char *action,
                     const struct dhcp_lease *l, const char *ifname, int64_t now)
{
	memset(j, 0, sizeof *j);
	snprintf(j->action, sizeof j->action, "%s", action);
	hex_join(j->mac, sizeof j->mac, l->hw, l->hlen);
	if (l->htype != 1) { /* dnsmasq: the type first when not Ethernet */
		snprintf(j->mac, sizeof j->mac, "%02x-", l->htype);
		hex_join(j->mac + 3, sizeof j->mac - 3, l->hw, l->hlen);
	}
	snprintf(j->ip, sizeof j->ip, "%u.%u.%u.%u", l->ip >> 24,
	         (l->ip >> 16) & 255, (l->ip >> 8) & 255, l->ip & 255);
	snprintf(j->host, sizeof j->host, "%s", l->hostname);
	snprintf(j->ifname, sizeof j->ifname, "%s", ifname ? ifname : "");
	hex_join(j->cid, sizeof j->cid, l->cid, l->cid_len);
	j->expires = l->expires;
	j->remaining = l->expires > now ? l->expires - now : 0;
}

/* When the queue is empty: the next lease found at start still there. */
static bool feed_startup(struct wardd_dhcp *dh)
{
	while (dh->startup_pos < dh->nstartup) {
		uint32_t ip = dh->script_startup[dh->startup_pos++];
		struct dhcp_lease l;
		if (!dh->st || lease_store_get(dh->st, ip, &l) != 0)
			continue;   /* gone since */
		fill_job(&dh->queue[dh->qhead], "old", &l, NULL, (int64_t)time(NULL));
		dh->qlen = 1;
		return true;
	}
	return false;
}

static int collect_ip(void *ctx, const struct dhcp_lease *l)
{
	struct wardd_dhcp *dh = ctx;
	if (dh->nstartup < lease_store_count(dh->st))
		dh->script_startup[dh->nstartup++] = l->ip;
	return 0;
}

int dhcp_script_startup(struct wardd_dhcp *dh)
{
	size_t n = dh->st ? lease_store_count(dh->st) : 0;
	if (!n)
		return 0;
	dh->script_startup = malloc(n * sizeof *dh->script_startup);
	if (!dh->script_startup)
		return WARD_ENOMEM;
	(void)lease_store_foreach(dh->st, collect_ip, dh);
	start_next(dh);
	return 0;
}

void dhcp_script_queue(struct wardd_dhcp *dh, const char *action,
                       const struct dhcp_lease *l, const char *ifname,
                       int64_t now)
{
	if (dh->qlen >= WARDD_DHCP_SCRIPT_QUEUE) {
		if (!dh->st_.script_dropped++)
			wlog(WLOG_WARNING, "dhcp-script: more than %u calls waiting; "
			     "calls dropped", WARDD_DHCP_SCRIPT_QUEUE);
		return;
	}
	fill_job(&dh->queue[(dh->qhead + dh->qlen) % WARDD_DHCP_SCRIPT_QUEUE],
	         action, l, ifname, now);
	dh->qlen++;
	start_next(dh);
}

void dhcp_script_stop(struct wardd_dhcp *dh)
{
	dh->qlen = 0;
	if (dh->script_running && !uv_is_closing((uv_handle_t *)&dh->proc))
		uv_close((uv_handle_t *)&dh->proc, NULL);
}
