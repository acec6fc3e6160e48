/* wardd: GET /metrics in the Prometheus text exposition format (0.0.4),
 * names in the style of Knot Resolver's (resolver_request_total,
 * resolver_answer_rcode_noerror, resolver_answer_cached,
 * resolver_answer_flag_ad, the latency histogram resolver_latency_bucket),
 * plus DNSSEC verdicts, the cache, upstream servers and DHCP. The list with
 * each metric's meaning is in docs/dashboard.md. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/http.h"

void http_addr_text(const struct res_addr *a, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->ip, ip, sizeof ip);
	snprintf(buf, n, "%s#%u", ip, a->port);
}

static void metric(struct hbuf *b, const char *name, const char *type,
                   const char *help, uint64_t v)
{
	hbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name,
	            type, name, (unsigned long long)v);
}

static void counter(struct hbuf *b, const char *name, const char *help,
                    uint64_t v)
{
	metric(b, name, "counter", help, v);
}

static void gauge(struct hbuf *b, const char *name, const char *help,
                  uint64_t v)
{
	metric(b, name, "gauge", help, v);
}

uint64_t http_rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long long size = 0, res = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &size, &res) != 2)
		res = 0;
	fclose(f);
	long page = sysconf(_SC_PAGESIZE);
	return res * (uint64_t)(page > 0 ? page : 4096);
}

static void upstream_lines(struct hbuf *b, const char *name, const char *help,
                           const struct http_snap *s, int which)
{
	hbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	            which == 3 ? "gauge" : "counter");
	for (unsigned i = 0; i <= s->k.nup; i++) {
		const struct dash_upstream *u = i < s->k.nup ? &s->k.up[i]
		                                             : &s->k.up_other;
		char addr[64];
		if (i < s->k.nup)
			http_addr_text(&u->addr, addr, sizeof addr);
		else if (u->sent)
			snprintf(addr, sizeof addr, "other");
		else
			continue;
		if (which == 3) {
			hbuf_printf(b, "%s{server=\"%s\"} %.6f\n", name, addr,
			            u->srtt_us / 1e6);
			continue;
		}
		uint64_t v = which == 0 ? u->sent : which == 1 ? u->replies : u->lost;
		hbuf_printf(b, "%s{server=\"%s\"} %llu\n", name, addr,
		            (unsigned long long)v);
	}
}

void metrics_render(const struct http_snap *s, struct hbuf *b)
{
	const struct dash_counters *k = &s->k;
	counter(b, "resolver_request_total", "client queries received",
	        s->st.udp_queries + s->st.tcp_queries);
	counter(b, "resolver_request_udp", "client queries over UDP",
	        s->st.udp_queries);
	counter(b, "resolver_request_tcp", "client queries over TCP",
	        s->st.tcp_queries);
	counter(b, "resolver_request_dropped", "client queries dropped "
	        "(malformed, or too many in flight)",
	        s->st.malformed + s->st.dropped_busy);
	counter(b, "resolver_answer_total", "answers sent", k->answers);
	counter(b, "resolver_answer_cached", "answers sent without an upstream "
	        "exchange, not from local data (cache)", k->cached);
	counter(b, "resolver_answer_local", "answers from local data (hosts, "
	        "address=, DHCP names)", k->local);
	static const char *const rc[DASH_RC_SLOTS] = {
		"noerror", "nodata", "nxdomain", "servfail", "refused", "formerr",
		"other",
	};
	for (unsigned i = 0; i < DASH_RC_SLOTS; i++) {
		char name[64], help[80];
		snprintf(name, sizeof name, "resolver_answer_rcode_%s", rc[i]);
		snprintf(help, sizeof help, "answers with rcode %s%s", rc[i],
		         i == DASH_RC_NOERROR ? " (with records)" :
		         i == DASH_RC_NODATA ? " (NOERROR, no records)" : "");
		counter(b, name, help, k->rcode[i]);
	}
	const struct { const char *f; uint64_t v; } fl[] = {
		{ "aa", k->flag_aa }, { "tc", k->flag_tc }, { "rd", k->flag_rd },
		{ "ra", k->flag_ra }, { "ad", k->flag_ad }, { "cd", k->flag_cd },
	};
	for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++) {
		char name[64], help[64];
		snprintf(name, sizeof name, "resolver_answer_flag_%s", fl[i].f);
		snprintf(help, sizeof help, "answers with the %s flag set", fl[i].f);
		counter(b, name, help, fl[i].v);
	}
	hbuf_puts(b, "# HELP resolver_latency time from query to answer, seconds\n"
	          "# TYPE resolver_latency histogram\n");
	uint64_t cum = 0;
	for (unsigned i = 0; i < DASH_LATENCY_BOUNDS; i++) {
		cum += k->latency[i];
		hbuf_printf(b, "resolver_latency_bucket{le=\"%g\"} %llu\n",
		            dash_latency_ms[i] / 1000.0, (unsigned long long)cum);
	}
	cum += k->latency[DASH_LATENCY_BOUNDS];
	hbuf_printf(b, "resolver_latency_bucket{le=\"+Inf\"} %llu\n"
	            "resolver_latency_sum %.6f\nresolver_latency_count %llu\n",
	            (unsigned long long)cum, k->latency_sum_us / 1e6,
	            (unsigned long long)cum);
	counter(b, "resolver_dnssec_secure", "answers validated secure (AD)",
	        k->dnssec_secure);
	counter(b, "resolver_dnssec_insecure", "answers validated insecure "
	        "(provably unsigned)", k->dnssec_insecure);
	counter(b, "resolver_dnssec_bogus", "answers that failed validation "
	        "(SERVFAIL with a DNSSEC EDE)", k->dnssec_bogus);
	gauge(b, "resolver_cache_entries", "RRsets in the cache", s->cs.entries);
	gauge(b, "resolver_cache_bytes", "bytes the cache holds", s->cs.bytes);
	counter(b, "resolver_cache_hit", "cache lookups that hit", s->cs.hits);
	counter(b, "resolver_cache_miss", "cache lookups that missed",
	        s->cs.misses);
	counter(b, "resolver_upstream_timeouts", "upstream queries the engine "
	        "gave up waiting for", s->es.timeouts);
	upstream_lines(b, "resolver_upstream_sent", "queries sent per upstream "
	               "server", s, 0);
	upstream_lines(b, "resolver_upstream_replies", "replies accepted per "
	               "upstream server", s, 1);
	upstream_lines(b, "resolver_upstream_lost", "queries closed without an "
	               "accepted reply per upstream server", s, 2);
	upstream_lines(b, "resolver_upstream_srtt_seconds", "smoothed round-trip "
	               "time per upstream server (RFC 6298 weights)", s, 3);
	gauge(b, "ward_dhcp_enabled", "1 when wardd serves DHCP", s->dhcp);
	gauge(b, "ward_dhcp_leases_active", "DHCP leases not expired",
	      s->leases_active);
	counter(b, "ward_dhcp_leases_expired_total", "DHCP leases that ran out "
	        "(removed by the DHCP timer)", s->k.expired_total);
	counter(b, "ward_dhcp_received", "DHCP messages received", s->ds.received);
	counter(b, "ward_dhcp_replies", "DHCP replies sent", s->ds.replies);
	counter(b, "ward_dhcp_malformed", "DHCP messages that did not parse",
	        s->ds.malformed);
	gauge(b, "ward_uptime_seconds", "seconds since wardd started",
	      s->now_ms > k->started_ms ?
	      (uint64_t)(s->now_ms - k->started_ms) / 1000 : 0);
	counter(b, "ward_reloads", "SIGHUP reloads", s->st.reloads);
	gauge(b, "process_resident_memory_bytes", "resident memory of wardd",
	      http_rss_bytes());
}

unsigned page_metrics(struct http_server *h, struct hbuf *b)
{
	struct http_snap s;
	if (http_snapshot_take(&h->bridge, &s, false)) {
		hbuf_puts(b, "# wardd did not answer the snapshot request\n");
		return 503;
	}
	metrics_render(&s, b);
	http_snap_free(&s);
	http_diag_metrics(h, b);
	return 200;
}
