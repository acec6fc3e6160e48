/* wardd: what the dashboard and /metrics count, recorded on the event loop
 * (docs/dashboard.md).
 *
 * Two kinds of state, two ways across threads:
 *  - counters (answers by rcode and flag, latency histogram, DNSSEC
 *    verdicts, queries per second, upstream servers): plain fields written
 *    only by the loop thread; the HTTP thread never reads them directly but
 *    gets a copy made on the loop (http_snapshot.c, uv_async);
 *  - the query log and the DNSSEC failure list (two qlog rings): under
 *    dash.mu, because the server-sent-events streams wait for new entries
 *    on dash.cv. The loop holds the lock for one ring push per answer.
 * The engine itself is never touched from the HTTP thread. */
#ifndef WARD_DAEMON_DASH_H
#define WARD_DAEMON_DASH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "daemon/qlog_ring.h"
#include "dhcp/lease.h"
#include "resolver/engine.h"

/* latency histogram bounds in ms (Knot Resolver's: 1, 10, 50, 100, 250,
 * 500, 1000, 1500 ms, then the rest) */
#define DASH_LATENCY_BOUNDS 8
#define DASH_UPSTREAM_MAX 16      /* servers listed one by one; the rest summed */
#define DASH_RATE_SECONDS 60      /* per-second answer counts kept */
#define DASH_EXPIRED_MAX 32       /* expired DHCP leases listed */

struct dash_upstream {
	struct res_addr addr;
	uint64_t sent, replies, lost;  /* lost: closed without a reply */
	uint32_t srtt_us;              /* smoothed (RFC 6298 weights, 1/8) */
	int64_t last_reply_ms;         /* unix ms, 0: never */
};

enum dash_rcode_slot {
	DASH_RC_NOERROR, DASH_RC_NODATA, DASH_RC_NXDOMAIN, DASH_RC_SERVFAIL,
	DASH_RC_REFUSED, DASH_RC_FORMERR, DASH_RC_OTHER, DASH_RC_SLOTS
};

struct dash_counters {
	uint64_t answers, cached, local;
	uint64_t rcode[DASH_RC_SLOTS];
	uint64_t flag_aa, flag_tc, flag_rd, flag_ra, flag_ad, flag_cd;
	uint64_t latency[DASH_LATENCY_BOUNDS + 1];  /* per bucket, not cumulative */
	uint64_t latency_sum_us;
	uint64_t dnssec_secure, dnssec_insecure, dnssec_bogus;
	uint32_t per_sec[DASH_RATE_SECONDS];     /* answers in unix second ... */
	int64_t per_sec_at[DASH_RATE_SECONDS];   /* ... per_sec_at[i] */
	struct dash_upstream up[DASH_UPSTREAM_MAX];
	unsigned nup;
	struct dash_upstream up_other;           /* servers past the table */
	int64_t started_ms;                      /* unix ms */
	/* DHCP leases that ran out (removed by the DHCP timer): a ring of the
	 * last DASH_EXPIRED_MAX, expired_total counts them all */
	struct dhcp_lease expired[DASH_EXPIRED_MAX];
	uint64_t expired_total;
};

struct dash {
	struct dash_counters c;                  /* loop thread only */
	bool dnssec;
	pthread_mutex_t mu;
	pthread_cond_t cv;                       /* signalled on each push */
	struct qlog_ring log, bogus;             /* under mu */
	bool closing;                            /* under mu: streams end */
};

extern const unsigned dash_latency_ms[DASH_LATENCY_BOUNDS];

/* NULL when out of memory. */
struct dash *dash_new(bool dnssec, int64_t now_ms);
void dash_free(struct dash *k);

/* One answer sent to a client (loop thread). at_once: no upstream exchange
 * was needed (cache, local data, an error). */
void dash_answer(struct dash *k, const uint8_t *pkt, size_t len,
                 const struct sockaddr *client, bool tcp, bool at_once,
                 uint64_t latency_us, int64_t now_ms);
/* Upstream exchanges (loop thread). */
void dash_upstream_sent(struct dash *k, const struct res_addr *a);
void dash_upstream_reply(struct dash *k, const struct res_addr *a,
                         uint64_t rtt_us, int64_t now_ms);
void dash_upstream_lost(struct dash *k, const struct res_addr *a);

/* A DHCP lease the DHCP timer removed because its time was up. */
void dash_lease_expired(struct dash *k, const struct dhcp_lease *l);

/* Answers in the last `seconds` whole seconds before now_ms, per second. */
double dash_rate(const struct dash_counters *c, int64_t now_ms,
                 unsigned seconds);

/* HTTP side, under mu: copy up to max entries of a ring (log or bogus)
 * with seq > after that match f, oldest first; returns how many. *upto:
 * the last seq looked at (pass it as `after` next time). */
size_t dash_ring_copy(struct dash *k, bool bogus, uint64_t after,
                      const struct qlog_filter *f, struct qlog_entry *out,
                      size_t max, uint64_t *upto);
/* The newest seq of the log (0: empty). */
uint64_t dash_log_last(struct dash *k);
/* The newest `max` matching entries, oldest first (for a page). */
size_t dash_ring_tail(struct dash *k, bool bogus, const struct qlog_filter *f,
                      struct qlog_entry *out, size_t max);
/* Wait until the log has an entry with seq > after, closing is set, or
 * timeout_ms passes. Returns true when there is something new. */
bool dash_log_wait(struct dash *k, uint64_t after, unsigned timeout_ms);
/* Wake every waiting stream and make them end (before the server stops). */
void dash_close(struct dash *k);

#endif
