/* wardd: the commands of `ward ctl` (docs/ctl.md), run on the event loop
 * thread like every other access to the engines, the cache and the lease
 * store. Each writes data lines into the response and returns its status. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/error.h"
#include "codec/rr.h"
#include "daemon/ctl.h"
#include "daemon/dhcp_serve.h"

#define CTL_DELETE_MAX 64   /* leases one `leases delete MAC` ends */

static enum ctl_code done(char *msg, size_t msglen, enum ctl_code code,
                          const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum ctl_code done(char *msg, size_t msglen, enum ctl_code code,
                          const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return code;
}

/* ---- stats ---- */

struct stat_item {
	const char *group, *name;
	uint64_t v;
};

#define STATS_MAX 64

static size_t stats_collect(struct wardd *d, struct stat_item *it)
{
	size_t n = 0;
#define PUT(g, k, val) do { if (n < STATS_MAX) { it[n].group = g; \
	it[n].name = k; it[n].v = (uint64_t)(val); n++; } } while (0)
	struct cache_stats cs;
	cache_get_stats(d->cache, &cs);
	struct res_stats es;
	wardd_engine_stats(d, &es);
	int64_t size = d->conf->cache_size < 0 ? CONF_DEFAULT_CACHE_SIZE
	                                       : d->conf->cache_size;
	uint64_t local = d->st.answers_at_once;
	uint64_t fwd = d->st.answers_sent > local ? d->st.answers_sent - local : 0;
	/* dnsmasq's SIGUSR1 lines first, then ward's counters (as SIGUSR1) */
	PUT("dnsmasq", "cache_size", size);
	PUT("dnsmasq", "cache_evictions", cs.evicted);
	PUT("dnsmasq", "cache_insertions", cs.inserts);
	PUT("dnsmasq", "queries_forwarded", fwd);
	PUT("dnsmasq", "queries_answered_locally", local);
	PUT("engine", "client_queries", es.client_queries);
	PUT("engine", "answers", es.answers);
	PUT("engine", "upstream_sent", es.upstream_sent);
	PUT("engine", "upstream_replies", es.upstream_replies);
	PUT("engine", "ignored_replies", es.ignored_replies);
	PUT("engine", "timeouts", es.timeouts);
	PUT("engine", "servfail", es.servfail);
	PUT("engine", "cache_answers", es.cache_answers);
	PUT("engine", "local_answers", es.local_answers);
	PUT("engine", "deduplicated", es.dedup);
	PUT("engine", "filtered", es.filtered);
	PUT("engine", "bogus_nxdomain", es.bogus_nx);
	PUT("cache", "entries", cs.entries);
	PUT("cache", "bytes", cs.bytes);
	PUT("cache", "hits", cs.hits);
	PUT("cache", "misses", cs.misses);
	PUT("cache", "evicted", cs.evicted);
	PUT("cache", "expired", cs.expired);
	PUT("daemon", "udp_queries", d->st.udp_queries);
	PUT("daemon", "tcp_queries", d->st.tcp_queries);
	PUT("daemon", "malformed", d->st.malformed);
	PUT("daemon", "udp_gso_sends", d->st.udp_gso_sends);
	PUT("daemon", "udp_gso_answers", d->st.udp_gso_answers);
	PUT("daemon", "dropped_busy", d->st.dropped_busy);
	PUT("daemon", "tcp_connections", d->st.tcp_conns);
	PUT("daemon", "tcp_refused", d->st.tcp_refused);
	PUT("daemon", "tcp_idle_closed", d->st.tcp_idle_closed);
	PUT("daemon", "upstream_socket_errors", d->st.upstream_socket_errors);
	PUT("daemon", "upstream_dropped", d->st.upstream_dropped);
	PUT("daemon", "replies_wrong_source", d->st.upstream_bad_source);
	PUT("daemon", "reloads", d->st.reloads);
	PUT("daemon", "queries_in_flight", d->npending);
	if (d->dhcp) {
		const struct wardd_dhcp_stats *s = &d->dhcp->st_;
		PUT("dhcp", "leases", dhcp_engine_lease_count(d->dhcp->e));
		PUT("dhcp", "received", s->received);
		PUT("dhcp", "replies", s->replies);
		PUT("dhcp", "malformed", s->malformed);
		PUT("dhcp", "dropped_commit", s->dropped_commit);
		PUT("dhcp", "send_errors", s->send_errors);
		PUT("dhcp", "commits", s->commits);
		PUT("dhcp", "compactions", s->compactions);
		PUT("dhcp", "script_runs", s->script_runs);
	}
	const struct ctl_server_stats *c = ctl_server_get_stats(d);
	if (c) {
		PUT("control", "connections", c->accepted);
		PUT("control", "refused_busy", c->refused_busy);
		PUT("control", "refused_peer", c->refused_peer);
		PUT("control", "bad_requests", c->bad_requests);
		PUT("control", "commands", c->commands);
		PUT("control", "timeouts", c->timeouts);
		PUT("control", "truncated", c->truncated);
	}
#undef PUT
	return n;
}

static enum ctl_code cmd_stats(struct wardd *d, const struct ctl_req *req,
                               strbuf *out)
{
	struct stat_item it[STATS_MAX];
	size_t n = stats_collect(d, it);
	if (!req->json) {
		for (size_t i = 0; i < n; i++)
			ctl_put_linef(out, "%s.%s %llu", it[i].group, it[i].name,
			              (unsigned long long)it[i].v);
		return CTL_OK;
	}
	/* one JSON object on one data line: {"group":{"name":v,...},...} */
	strbuf_putc(out, ' ');
	strbuf_putc(out, '{');
	for (size_t i = 0; i < n; i++) {
		bool first = i == 0 || strcmp(it[i].group, it[i - 1].group);
		if (first)
			strbuf_printf(out, "%s\"%s\":{", i ? "}," : "", it[i].group);
		strbuf_printf(out, "%s\"%s\":%llu", first ? "" : ",", it[i].name,
		              (unsigned long long)it[i].v);
	}
	strbuf_puts(out, n ? "}}\n" : "}\n");
	return CTL_OK;
}

/* ---- cache ---- */

static const char *kind_text(enum cache_kind k)
{
	return k == CACHE_NXDOMAIN ? "nxdomain" : k == CACHE_NODATA ? "nodata"
	                                                           : "rrset";
}

static const char *status_text(enum val_status s)
{
	switch (s) {
	case VAL_SECURE: return "secure";
	case VAL_INSECURE: return "insecure";
	case VAL_BOGUS: return "bogus";
	case VAL_INDETERMINATE: return "indeterminate";
	default: return "unchecked";
	}
}

struct dump_ctx {
	strbuf *out;
	const dns_name *only;
	size_t n;
};

static int dump_cb(const dns_name *owner, uint16_t type,
                   const struct cache_hit *hit, void *arg)
{
	struct dump_ctx *x = arg;
	if (x->only && !dns_name_equal(owner, x->only))
		return 0;
	char name[DNS_NAME_TEXT_MAX], t[16];
	dns_name_str(owner, name);
	/* NXDOMAIN entries cover every type of the name */
	ctl_put_linef(x->out, "%s %s %u %s %s", name,
	              hit->kind == CACHE_NXDOMAIN ? "-" : dns_type_str(type, t),
	              hit->ttl_left, kind_text(hit->kind),
	              status_text(hit->status));
	x->n++;
	return x->out->err ? 1 : 0;
}

static enum ctl_code cmd_cache(struct wardd *d, const struct ctl_req *req,
                               strbuf *out, char *msg, size_t msglen)
{
	uint64_t now_s = wardd_now(d) / 1000;   /* the engine's cache clock */
	char name[DNS_NAME_TEXT_MAX];
	if (req->has_name)
		dns_name_str(&req->name, name);
	if (req->cmd == CTL_CACHE_DUMP) {
		struct dump_ctx x = { out, req->has_name ? &req->name : NULL, 0 };
		cache_walk(d->cache, now_s, dump_cb, &x);
		return done(msg, msglen, CTL_OK, "%zu entr%s", x.n,
		            x.n == 1 ? "y" : "ies");
	}
	if (req->has_name) {
		size_t n = cache_flush_name(d->cache, &req->name);
		wlog(WLOG_INFO, "control: cache flushed for %s (%zu entries)", name, n);
		return done(msg, msglen, CTL_OK, "%zu entr%s removed for %s", n,
		            n == 1 ? "y" : "ies", name);
	}
	struct cache_stats cs;
	cache_get_stats(d->cache, &cs);
	cache_flush_all(d->cache);
	wlog(WLOG_INFO, "control: cache flushed (%zu entries)", cs.entries);
	return done(msg, msglen, CTL_OK, "%zu entr%s removed", cs.entries,
	            cs.entries == 1 ? "y" : "ies");
}

/* ---- leases ---- */

struct lease_vec {
	const struct dhcp_lease **v;
	size_t n, cap;
};

static void collect_cb(void *ctx, const struct dhcp_lease *l)
{
	struct lease_vec *x = ctx;
	if (x->n < x->cap)
		x->v[x->n++] = l;
}

static int by_ip(const void *a, const void *b)
{
	uint32_t x = (*(const struct dhcp_lease *const *)a)->ip;
	uint32_t y = (*(const struct dhcp_lease *const *)b)->ip;
	return x < y ? -1 : x > y;
}

static void mac_text(const struct dhcp_lease *l, char *buf, size_t cap)
{
	strbuf sb = strbuf_init(buf, cap);
	for (unsigned i = 0; i < l->hlen && i < DHCP_LEASE_HWADDR_MAX; i++)
		strbuf_printf(&sb, "%s%02x", i ? ":" : "", l->hw[i]);
}

static const char *ip_text(uint32_t ip, char *buf)
{
	struct in_addr a = { htonl(ip) };
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void lease_line(strbuf *out, const struct dhcp_lease *l, int64_t now,
                       bool json, bool last)
{
	char ip[INET_ADDRSTRLEN], mac[3 * DHCP_LEASE_HWADDR_MAX + 1];
	ip_text(l->ip, ip);
	mac_text(l, mac, sizeof mac);
	int64_t left = l->expires == DHCP_LEASE_INFINITE ? -1 :
	               l->expires > now ? l->expires - now : 0;
	char cid[3 * DHCP_LEASE_CLIENTID_MAX + 2];
	strbuf cb = strbuf_init(cid, sizeof cid);
	for (unsigned i = 0; i < l->cid_len; i++)
		strbuf_printf(&cb, "%s%02x", i ? ":" : "", l->cid[i]);
	if (!json) {
		/* IP MAC HOSTNAME EXPIRES SECONDS-LEFT CLIENT-ID: the lease file's
		 * fields ("*" for none) with the time left (-1: infinite) */
		ctl_put_linef(out, "%s %s %s %lld %lld %s", ip, mac,
		              l->hostname[0] ? l->hostname : "*",
		              (long long)l->expires, (long long)left,
		              l->cid_len ? cid : "*");
		return;
	}
	strbuf_puts(out, " {\"ip\":");
	ctl_json_str(out, ip);
	strbuf_puts(out, ",\"mac\":");
	ctl_json_str(out, mac);
	strbuf_puts(out, ",\"hostname\":");
	if (l->hostname[0])
		ctl_json_str(out, l->hostname);
	else
		strbuf_puts(out, "null");
	strbuf_printf(out, ",\"expires\":%lld,\"seconds_left\":%lld,"
	              "\"client_id\":", (long long)l->expires, (long long)left);
	if (l->cid_len)
		ctl_json_str(out, cid);
	else
		strbuf_puts(out, "null");
	strbuf_printf(out, "}%s\n", last ? "" : ",");
}

static enum ctl_code cmd_leases_list(struct wardd *d, const struct ctl_req *req,
                                     strbuf *out, char *msg, size_t msglen)
{
	struct wardd_dhcp *dh = d->dhcp;
	size_t count = dhcp_engine_lease_count(dh->e);
	struct lease_vec x = { NULL, 0, count };
	if (count && !(x.v = calloc(count, sizeof *x.v)))
		return done(msg, msglen, CTL_FAILED, "out of memory");
	dhcp_engine_lease_foreach(dh->e, collect_cb, &x);
	qsort(x.v, x.n, sizeof *x.v, by_ip);
	int64_t now = (int64_t)time(NULL);
	if (req->json)
		ctl_put_line(out, "{\"leases\":[");
	for (size_t i = 0; i < x.n; i++)
		lease_line(out, x.v[i], now, req->json, i + 1 == x.n);
	if (req->json)
		ctl_put_line(out, "]}");
	free(x.v);
	return done(msg, msglen, CTL_OK, "%zu lease%s", x.n, x.n == 1 ? "" : "s");
}

struct mac_match {
	const struct ctl_req *req;
	uint32_t ip[CTL_DELETE_MAX];
	size_t n;
};

static void mac_cb(void *ctx, const struct dhcp_lease *l)
{
	struct mac_match *m = ctx;
	if (l->hlen == m->req->mac_len && m->n < CTL_DELETE_MAX &&
	    !memcmp(l->hw, m->req->mac, l->hlen))
		m->ip[m->n++] = l->ip;
}

static enum ctl_code cmd_leases_delete(struct wardd *d,
                                       const struct ctl_req *req, strbuf *out,
                                       char *msg, size_t msglen)
{
	struct wardd_dhcp *dh = d->dhcp;
	struct mac_match m = { req, { 0 }, 0 };
	if (req->by_mac)
		dhcp_engine_lease_foreach(dh->e, mac_cb, &m);
	else
		m.ip[m.n++] = req->ip;
	size_t deleted = 0;
	int err = 0;
	for (size_t i = 0; i < m.n; i++) {
		char ip[INET_ADDRSTRLEN], mac[3 * DHCP_LEASE_HWADDR_MAX + 1] = "";
		char host[DHCP_LEASE_HOSTNAME_MAX + 1] = "";
		const struct dhcp_lease *l = dhcp_engine_lease_find(dh->e, m.ip[i]);
		ip_text(m.ip[i], ip);
		if (l) {
			mac_text(l, mac, sizeof mac);
			snprintf(host, sizeof host, "%s", l->hostname);
		}
		int r = dhcp_serve_delete(dh, m.ip[i]);
		if (r == WARD_ENOTFOUND)
			continue;
		if (r) {
			err = r;
			ctl_put_linef(out, "%s not deleted: %s", ip, ward_strerror(r));
			continue;
		}
		deleted++;
		wlog(WLOG_INFO, "control: lease %s %s %s deleted", ip, mac,
		     host[0] ? host : "*");
		ctl_put_linef(out, "deleted %s %s %s", ip, mac, host[0] ? host : "*");
	}
	if (err)
		return done(msg, msglen, CTL_FAILED, "the lease file could not be "
		            "written: %s", ward_strerror(err));
	if (!deleted)
		return done(msg, msglen, CTL_FAILED, "no active lease for that %s",
		            req->by_mac ? "MAC address" : "address");
	return done(msg, msglen, CTL_OK, "%zu lease%s deleted", deleted,
	            deleted == 1 ? "" : "s");
}

/* ---- configuration: verify, reload ---- */

/* Read the configuration again from wardd's command line; every
 * diagnostic and the summary line into out. NULL when out of memory. */
static ward_conf *conf_again(struct wardd *d, strbuf *out)
{
	ward_conf *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (conf_init(c, NULL)) {
		free(c);
		return NULL;
	}
	if (wardd_conf_read(c, d->conf_argc, d->conf_argv) == WARD_ENOMEM) {
		conf_free(c);
		free(c);
		return NULL;
	}
	for (size_t i = 0; i < c->diags.n; i++)
		ctl_put_line(out, c->diags.v[i].text);
	unsigned total = c->errors + c->warnings;
	if (total > c->diags.n)
		ctl_put_linef(out, "(%u more messages not kept)",
		              total - (unsigned)c->diags.n);
	char line[8192];
	strbuf sb = strbuf_init(line, sizeof line);
	conf_check_summary(c, &sb);
	if (sb.len && line[sb.len - 1] == '\n')
		line[--sb.len] = '\0';
	ctl_put_line(out, line);
	return c;
}

static enum ctl_code cmd_verify(struct wardd *d, strbuf *out, char *msg,
                                size_t msglen)
{
	ward_conf *c = conf_again(d, out);
	if (!c)
		return done(msg, msglen, CTL_FAILED, "out of memory");
	unsigned errors = c->errors;
	conf_free(c);
	free(c);
	if (errors)
		return done(msg, msglen, CTL_BAD, "the configuration has %u error%s",
		            errors, errors == 1 ? "" : "s");
	return done(msg, msglen, CTL_OK, "configuration OK (nothing applied)");
}

static enum ctl_code cmd_reload(struct wardd *d, strbuf *out, char *msg,
                                size_t msglen)
{
	if (d->nold_confs >= WARDD_MAX_OLD_CONFS)
		return done(msg, msglen, CTL_FAILED, "reload refused: older "
		            "configurations are still finishing their queries");
	ward_conf *c = conf_again(d, out);
	if (!c)
		return done(msg, msglen, CTL_FAILED, "out of memory");
	if (!conf_ok(c)) {
		unsigned errors = c->errors;
		conf_free(c);
		free(c);
		return done(msg, msglen, CTL_BAD, "not reloaded: the configuration "
		            "has %u error%s; the running one stays", errors,
		            errors == 1 ? "" : "s");
	}
	wlog(WLOG_INFO, "control: reloading the configuration, clearing the "
	     "cache, reading hosts and resolv files again");
	ward_conf *prev = d->dns_conf;
	d->dns_conf = c;
	int r = wardd_reload(d, true);
	if (r) {
		d->dns_conf = prev;
		conf_free(c);
		free(c);
		return done(msg, msglen, CTL_FAILED, "reload failed: %s; the running "
		            "configuration stays", ward_strerror(r));
	}
	/* the new files' log-queries holds from now on */
	d->conf->log_queries = c->log_queries;
	if (prev != d->conf)
		d->old_confs[d->nold_confs++] = prev;
	wardd_conf_prune(d, false);
	const struct wardd_setup *s = &d->gen->setup;
	return done(msg, msglen, CTL_OK, "reloaded: cache cleared, %u hosts "
	            "entries from %u files, %u nameservers from resolv files",
	            s->hosts_entries, s->hosts_files, s->n_resolv);
}

/* ---- dispatch ---- */

enum ctl_code ctl_cmd_run(struct wardd *d, const struct ctl_req *req,
                          strbuf *out, char *msg, size_t msglen)
{
	msg[0] = '\0';
	switch (req->cmd) {
	case CTL_PING:
		return done(msg, msglen, CTL_OK, "pong");
	case CTL_STATS:
		return cmd_stats(d, req, out);
	case CTL_CACHE_DUMP:
	case CTL_CACHE_FLUSH:
		return cmd_cache(d, req, out, msg, msglen);
	case CTL_LEASES_LIST:
	case CTL_LEASES_DELETE:
		if (!d->dhcp)
			return done(msg, msglen, CTL_FAILED, "DHCP is not enabled "
			            "(no dhcp-range=)");
		return req->cmd == CTL_LEASES_LIST
		       ? cmd_leases_list(d, req, out, msg, msglen)
		       : cmd_leases_delete(d, req, out, msg, msglen);
	case CTL_RELOAD:
		return cmd_reload(d, out, msg, msglen);
	case CTL_LOG:
		if (req->log_what == CTL_LOG_QUERIES) {
			d->conf->log_queries = req->on ? CONF_LOG_QUERIES_ON
			                               : CONF_LOG_QUERIES_OFF;
		} else {
			wlog_set_debug(req->on);
		}
		wlog(WLOG_INFO, "control: %s logging %s",
		     req->log_what == CTL_LOG_QUERIES ? "query" : "debug",
		     req->on ? "on" : "off");
		return done(msg, msglen, CTL_OK, "%s logging %s",
		            req->log_what == CTL_LOG_QUERIES ? "query" : "debug",
		            req->on ? "on" : "off");
	case CTL_VERIFY:
		return cmd_verify(d, out, msg, msglen);
	case CTL_BLOCKLIST_LIST:
	case CTL_BLOCKLIST_CHANGE:
	case CTL_BLOCKLIST_REFRESH:
		return ctl_cmd_blocklist(d, req, out, msg, msglen);
	}
	return done(msg, msglen, CTL_BAD, "unknown command");
}
