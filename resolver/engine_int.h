/* ward resolver: the engine's internal state, shared by engine.c (API,
 * client side, iteration steps), engine_answer.c (answers to the client),
 * engine_exchange.c (upstream exchanges), iter_servers.c (server choice),
 * iter_reply.c (reading upstream replies: caching, referrals, negative
 * answers) and the other engine_*.c files. Not installed. */
#ifndef WARD_RESOLVER_ENGINE_INT_H
#define WARD_RESOLVER_ENGINE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine.h"
#include "resolver/msgref.h"
#include "resolver/validator_int.h"

#define SRV_TRIES 2           /* attempts per server address per zone cut */
#define ANS_MAX_RRS 256       /* records in one answer we build */

/* The parent's (referral) NS set of a cut is also kept under this private
 * class (RFC 6895 §3.2: 0xFF00-0xFFFE), so that when the child's own NS
 * set leads nowhere the delegation can still be followed (Unbound's
 * parent-side NS). Clients cannot ask for it: only class IN is served. */
#define RES_C_PARENT 0xFF01
/* Sibling glue not used under harden-unverified-glue is kept under this
 * class: the NS name is resolved first, and only when that fails are
 * these addresses tried (Unbound's fallback). */
#define RES_C_UNVERIFIED 0xFF02

#define EDE_NO_REACHABLE EDE_NO_REACHABLE_AUTHORITY
#define EDE_NETWORK EDE_NETWORK_ERROR

struct frame {
	dns_name name;
	uint16_t type;
};

struct query {
	bool used;
	uint64_t tag;
	uint16_t cid, cflags;
	bool c_edns, c_do, c_tcp;
	uint16_t c_udp;
	dns_name qname_orig;
	uint16_t qtype, qclass;
	dns_name chain[RES_MAX_CNAME + 1];   /* chain[nchain-1]: current target */
	unsigned nchain;
	struct frame stack[RES_MAX_DEPTH];   /* glueless NS address lookups */
	unsigned depth;
	dns_name glueless[RES_MAX_GLUELESS];
	unsigned n_glueless;
	/* the upstream exchange in progress */
	bool waiting;
	uint32_t token;
	uint16_t uid;
	bool up_tcp, noedns;
	dns_name zone;                        /* the zone cut being asked */
	bool fwd;                             /* srv are forwarders (RD=1) */
	struct res_addr srv[RES_MAX_SERVERS];
	uint8_t srv_tries[RES_MAX_SERVERS];
	unsigned nsrv, cur;
	dns_name sent_name;
	uint16_t sent_type;
	uint64_t sent_at;
	uint64_t timer, deadline;
	unsigned timeout_ms;
	unsigned n_upstream, n_referrals;
	bool prime_tried;                     /* root priming query sent */
	/* servers that failed for a zone in this query (lame, refused,
	 * timed out every try): not asked for that zone again */
	struct res_addr bad[RES_MAX_BAD];
	uint32_t bad_zone[RES_MAX_BAD];       /* hash of the zone */
	unsigned nbad;
	uint32_t reparent[RES_MAX_REPARENT];  /* cuts re-asked of the parent */
	unsigned n_reparent;
	bool internal;                        /* a prefetch: no client */
	bool ns_asked;                        /* NS question sent to the zone */
	bool lame_seen, lame_ok;              /* RA-lame answers: last resort */
	bool empty_nodata;                    /* a server gave an empty NOERROR */
	/* a CNAME question the server answered NXDOMAIN for the CNAME's
	 * target (it chased it, RFC 6604 §3): the target is asked of its
	 * own authority; nxchase_at is the chain length to go back to when
	 * the target exists after all (0: not chasing) */
	bool cname_nx;
	unsigned nxchase_at;
	bool any_asked;                       /* ANY: the reply is in the cache */
	uint16_t fail_ede;                    /* why the last cut failed */
	const char *fail_why;
	/* in-flight de-duplication: waiting on another query's exchange */
	bool parked;
	uint32_t parked_on;
	/* QNAME minimisation (RFC 9156) */
	bool minimised, qmin_off;
	dns_name qmin_zone;
	unsigned qmin_n, qmin_steps;
	/* local data (engine_local.c): chain[0..n_local) are local CNAMEs,
	 * chain[i] -> chain[i+1] with TTL local_ttl[i] */
	unsigned n_local;
	uint32_t local_ttl[RES_MAX_CNAME + 1];
	/* 0x20 (engine_caps.c): the QNAME exactly as sent */
	dns_name sent_case;
	/* all-servers (engine_fwd.c): servers a broadcast went to and still
	 * owe a reply; bcast_now makes eng_send_current send to all of them */
	uint16_t bcast_mask;
	bool bcast_now;
	struct val_query val;                 /* DNSSEC (validator.c) */
};

/* Infrastructure cache: smoothed RTT per server address. */
struct infra {
	struct res_addr addr;
	uint32_t srtt;       /* ms; timeouts double it (penalty) */
	uint64_t used;       /* last use, for replacement */
	bool valid;
	bool nocaps;         /* does not echo 0x20 case: ask it without */
};

struct act {
	enum res_action_kind kind;
	uint32_t token;
	struct res_addr dst;
	bool tcp;
	uint64_t tag;
	uint8_t *buf;
	size_t len;
	bool blocked;            /* ANSWER from engine_block.c */
};

struct res_engine {
	struct res_config cfg;
	int64_t wall_offset_s;  /* unix s - now_ms / 1000 (res_set_wallclock) */
	struct res_hint *hints;
	size_t n_hints;
	struct res_forwarder *fwd;
	size_t n_fwd;
	struct res_prefix *priv;              /* private-address */
	dns_name *priv_dom;                   /* private-domain */
	msgref_table *mref;                   /* full_responses: sections */
	struct res_zone_server *zones;        /* recursive: stub/forward zones */
	size_t n_zones;
	cache_t *cache;
	struct query *q;
	unsigned nq;
	unsigned hi;            /* every used slot is below hi */
	uint16_t gen;
	struct act acts[RES_MAX_ACTIONS];
	unsigned a_head, a_n;
	uint8_t *last_buf;
	bool last_answer;        /* last_buf is an answer's (eng_answer_buf) */
	uint8_t *spare;          /* an answer buffer to use again, or NULL */
	struct res_stats st;
	struct infra infra[RES_INFRA_MAX];
	/* scratch for one reply */
	dns_rr rrs[RES_MAX_RRS_PER_REPLY];
	enum dns_section rsec[RES_MAX_RRS_PER_REPLY];
	uint8_t pool[DNS_MSG_MAXLEN * 2];
	uint8_t scrub[DNS_MSG_MAXLEN];        /* a reply rebuilt by iter_scrub.c */
	struct val_engine *val;               /* DNSSEC (validator.c), or NULL */
};

/* engine.c: one iteration step for q (the cache, CNAMEs, then the
 * servers to ask: eng_start_exchange) until q waits or is answered. */
void eng_step(res_engine *e, struct query *q, uint64_t now);

/* engine_exchange.c: upstream exchanges */
/* Send q's question (q->sent_name/sent_type) to q->srv[q->cur]. */
int eng_send_current(res_engine *e, struct query *q, uint64_t now);
int eng_push_send(res_engine *e, struct query *q, const struct res_addr *dst,
                  uint8_t *buf, size_t len);
/* The current frame could not be resolved. */
void eng_frame_fail(res_engine *e, struct query *q, uint16_t ede,
                    const char *text, uint64_t now);
/* Ask target/ttype (minimised, RFC 9156) of q's servers, or park q on
 * another query already asking it. */
void eng_start_exchange(res_engine *e, struct query *q,
                        const dns_name *target, uint16_t ttype, uint64_t now);
/* Parked queries whose leader's exchange ended look again. */
void eng_unpark(res_engine *e, uint64_t now);
void eng_next_server(res_engine *e, struct query *q, uint64_t now,
                     uint16_t ede, const char *why);
void eng_server_bad(struct query *q);
/* q's exchange got no reply in time: next server, doubled timeout. */
void eng_exchange_timed_out(res_engine *e, struct query *q, uint64_t now_ms);

static inline bool eng_addr_equal(const struct res_addr *a,
                                  const struct res_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	return memcmp(a->ip, b->ip, a->family == 4 ? 4 : 16) == 0;
}

static inline uint16_t eng_rnd16(res_engine *e)
{
	uint8_t b[2] = { 0, 0 };
	e->cfg.random(e->cfg.random_ctx, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* iter_servers.c: server choice */
/* Fill q->zone and q->srv for target: 1 servers found, 2 a sub-query
 * frame was pushed (glueless NS name or root priming), 3 the cut has no
 * usable address left, 0 nothing (no root hints). */
int eng_find_servers(res_engine *e, struct query *q, const dns_name *target,
                     uint64_t now_s);
/* Forwarding mode: the longest-matching rule's servers into q->srv. */
const struct res_forwarder *eng_fwd_match(res_engine *e,
                                          const dns_name *target,
                                          struct query *q);
/* Next server by attempts and smoothed RTT into q->cur; false when every
 * server has used its tries. */
bool eng_pick_server(res_engine *e, struct query *q);
/* A reply (rtt) or a timeout for a server address. */
void eng_infra_update(res_engine *e, const struct res_addr *a, uint64_t rtt,
                      bool timeout, uint64_t now);
/* The infra cache's entry for a (created when create), or NULL. */
struct infra *eng_infra(res_engine *e, const struct res_addr *a, bool create,
                        uint64_t now);
/* Remember that a failed for zone in this query. */
void eng_mark_bad(struct query *q, const struct res_addr *a,
                  const dns_name *zone);

/* engine.c: the action queue res_next_action pops. Inline: every answer
 * and every upstream send is pushed here (the cache-hit path). Takes buf
 * (freed when the queue is full). */
static inline int eng_push_act(res_engine *e, const struct act *a)
{
	if (e->a_n >= RES_MAX_ACTIONS) {
		free(a->buf);
		return WARD_ELIMIT;
	}
	e->acts[(e->a_head + e->a_n) % RES_MAX_ACTIONS] = *a;
	e->a_n++;
	return 0;
}

/* engine_answer.c: answers to the client */
void eng_mb_start(res_engine *e, const struct query *q, dns_mb *b,
                  uint8_t *buf, size_t cap, uint16_t rcode);
/* A buffer of DNS_MSG_MAXLEN octets for an answer (the one the daemon took
 * last, when it has been handed back: no malloc per cache hit), or NULL.
 * Every answer goes out in such a buffer: eng_emit_answer takes it. */
uint8_t *eng_answer_buf(res_engine *e);
/* Such a buffer with q's header written into b (eng_mb_start), or NULL when
 * there is none: q then ends without an answer. */
uint8_t *eng_answer_start(res_engine *e, struct query *q, dns_mb *b,
                          uint16_t rcode);
void eng_emit_answer(res_engine *e, struct query *q, uint8_t *buf, size_t len);
/* The same for an answer with cached or upstream data: filter-A/AAAA/rr
 * first (answer_filter.h). */
void eng_emit_data(res_engine *e, struct query *q, uint8_t *buf, size_t len);
void eng_answer_error(res_engine *e, struct query *q, uint16_t rcode,
                      uint16_t ede, const char *text);
/* SERVFAIL with its EDE (a text is always given: RFC 8914). */
void eng_servfail(res_engine *e, struct query *q, uint16_t ede,
                  const char *text);
/* q's answer from the cache: q->chain's CNAMEs, then the final lookup
 * (or SERVFAIL when the cache lost part of it meanwhile). */
void eng_answer_from_cache(res_engine *e, struct query *q, uint64_t now_s);
/* Answer the client now with rcode, the CNAME chain so far and rrs. */
void eng_answer_rcode_rrs(res_engine *e, struct query *q, uint16_t rcode,
                          const dns_rr *rrs, size_t n, uint64_t now_s);

/* engine.c: pieces the other engine files build on */
const struct res_forwarder *eng_fwd_longest(const res_engine *e,
                                            const dns_name *name);

/* engine_client.c: checks on a client query (RFC 1035 §4.1.1, RFC 6891
 * §6.1.3, RFC 8482, CH class). Fills q's question and EDNS fields;
 * returns true when q was answered (or dropped) already. */
bool eng_client_check(res_engine *e, struct query *q, const uint8_t *pkt,
                      size_t len);
void eng_answer_any(res_engine *e, struct query *q);

/* engine_any.c: qtype ANY resolved. reply: cache every RRset owned by
 * target in the reply's answer section (e->rrs[0..nrr)) and the list of
 * their types at (target, ANY); true when there was one. types: the
 * types of a cached (name, ANY) list. */
bool eng_any_reply(res_engine *e, size_t nrr, const dns_name *target,
                   enum cache_rank rank, uint64_t now_s);
size_t eng_any_types(const struct cache_hit *h, uint16_t *types, size_t cap);

/* answer_sections.c: the names of a cached NS set (at most cap; a record
 * whose rdata is not a name is skipped). */
size_t eng_ns_names(const struct cache_hit *h, dns_name *names, size_t cap);

/* engine_local.c: local data first (dnsmasq). True when q was answered;
 * false to resolve q->chain[q->nchain - 1] (local CNAMEs may have been
 * put in front of it). */
bool eng_local_answer(res_engine *e, struct query *q, uint64_t now);
/* The local CNAME chain[i] -> chain[i+1] as a record (i < n_local). */
void eng_local_cname_rr(const struct query *q, unsigned i, dns_rr *rr);

/* engine_block.c: true when q's name is blocked (q answered); _cname:
 * when the CNAME target the chain reached is (q answered). */
bool eng_blocked(res_engine *e, struct query *q);
bool eng_blocked_cname(res_engine *e, struct query *q, const dns_name *target);

/* engine_norec.c: a query without RD that the cache does not answer:
 * a referral from the cache (or REFUSED). True when a validator
 * sub-query was pushed (step again), false when q was answered. */
bool eng_norec_answer(res_engine *e, struct query *q, uint64_t now);

/* engine_ttl.c: dnsmasq's TTL options */
uint32_t eng_ttl_rrset(const res_engine *e, const dns_rr *rrs, size_t n);
bool eng_ttl_zero(const res_engine *e, const dns_rr *rrs, size_t n);
uint32_t eng_ttl_negative(const res_engine *e, bool have_soa,
                          uint32_t soa_ttl);
uint32_t eng_ttl_client(const res_engine *e, uint32_t ttl);

/* engine_fwd.c: all-servers. start: true when it sent the query to every
 * server of the rule; next: true when the exchange goes on (other
 * servers still owe a reply, or a new round was sent). */
bool eng_fwd_all_start(res_engine *e, struct query *q, uint64_t now);
bool eng_fwd_all_next(res_engine *e, struct query *q, uint64_t now);
/* Push the query in buf to every server of q->bcast_mask but q->cur (whose
 * copy eng_send_current pushes itself). */
int eng_send_copies(res_engine *e, struct query *q, const uint8_t *buf,
                    size_t len);
/* Index of the server `from` for q's exchange, -1 when it is none. */
int eng_reply_server(const struct query *q, const struct res_addr *from);

/* engine_caps.c: 0x20. prepare fills q->sent_case for the next send;
 * check: 0 when the reply's QNAME has the exact case sent, else the
 * reply is ignored (counted) and, for a server that does not echo case,
 * the query re-sent without 0x20 (returns 1 then). */
void eng_caps_prepare(res_engine *e, struct query *q, uint64_t now);
int eng_caps_check(res_engine *e, struct query *q, const dns_name *qn,
                   uint64_t now);

/* iter_reply.c: a matching reply for q's exchange */
void eng_handle_reply(res_engine *e, struct query *q, const dns_msg *m,
                      uint64_t now);
/* Cache the RRset (owner, type) of section sec of the reply being read
 * (e->rrs[0..nrr)), with its RRSIGs. */
void eng_cache_set(res_engine *e, size_t nrr, const dns_name *owner,
                   uint16_t type, enum dns_section sec, enum cache_rank rank,
                   uint64_t now_s);

/* iter_scrub.c: rebuild a reply that does not parse into e->scrub without
 * its records whose rdata does not fit their type. 0 with *outlen when at
 * least one record was left out and the rest could be read. */
int eng_scrub_reply(res_engine *e, const uint8_t *pkt, size_t len,
                    size_t *outlen);

/* iter_reply.c: synthesise the CNAME for name from a cached DNAME above
 * it; true when one was cached. */
bool eng_dname_synth(res_engine *e, const dns_name *name, uint64_t now_s);
/* iter_reply.c: is ip (family 4 or 6) inside prefix p? */
bool eng_in_prefix(const struct res_prefix *p, uint8_t family,
                   const uint8_t *ip);
/* engine_bogus.c: the reply (its nrr records in e->rrs) is the answer to
 * q's own question and holds a bogus-nxdomain address: q is answered
 * NXDOMAIN (true). */
bool eng_bogus_nx(res_engine *e, struct query *q, size_t nrr,
                  uint64_t now_s);
/* iter_reply.c: is this A/AAAA RRset (owner, type) of the reply one to
 * drop under private-address? */
bool eng_private_rrset(const res_engine *e, size_t nrr, const dns_name *owner,
                       uint16_t type, enum dns_section sec);

/* answer_sections.c (full_responses, and wildcard answers when
 * validating): remember the authority/additional RRsets of the reply
 * answering (qname, qtype); add them to an answer, authority then
 * additional (after the proofs, val_add_proofs). */
void eng_note_sections(res_engine *e, const struct query *q, size_t nrr,
                       const dns_name *qname, uint16_t qtype, bool positive,
                       bool aa, uint64_t now_s);
void eng_add_sections(res_engine *e, const struct query *q, dns_mb *b,
                      bool positive, uint64_t now_s);
/* The cached DNAME that synthesised the CNAME at chain[i], into the answer. */
void eng_add_dname(res_engine *e, const struct query *q, dns_mb *b,
                   unsigned i, uint64_t now_s);

#endif
