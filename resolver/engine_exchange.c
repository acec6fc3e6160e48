/* ward resolver: upstream exchanges — the query sent to the chosen server
 * (and its copies), in-flight de-duplication (parked queries), QNAME
 * minimisation's question (RFC 9156), replies matched to their exchange,
 * timeouts and network errors moving on to the next server. Reading a
 * matching reply is iter_reply.c's job. Sans-I/O: see engine.h. */
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine.h"
#include "resolver/engine_int.h"

/* ---- sending ---- */

int eng_send_current(res_engine *e, struct query *q, uint64_t now)
{
	uint8_t *buf = malloc(DNS_MSG_MAXLEN);
	if (!buf)
		return WARD_ENOMEM;
	dns_mb b;
	size_t len = 0;
	q->uid = eng_rnd16(e);
	eng_caps_prepare(e, q, now);
	dns_mb_init(&b, buf, DNS_MSG_MAXLEN, DNS_MSG_MAXLEN);
	dns_mb_set_id(&b, q->uid);
	dns_mb_set_flags(&b, q->fwd ? (uint16_t)(DNS_FLAG_RD | DNS_FLAG_CD) : 0);
	if (!q->noedns)
		dns_mb_edns(&b, e->cfg.edns_size, 0, EDNS_FLAG_DO);
	dns_mb_question(&b, &q->sent_case, q->sent_type, DNS_C_IN);
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		return WARD_EINVAL;
	}
	e->gen++;
	unsigned slot = (unsigned)(q - e->q);
	q->token = (uint32_t)e->gen << 16 | (slot & 0xffff);
	if (!q->bcast_now)
		q->bcast_mask = 0;
	else if (eng_send_copies(e, q, buf, len) < 0) { /* all-servers */
		free(buf);
		return WARD_ELIMIT;
	}
	struct act a = { .kind = RES_ACT_SEND, .token = q->token,
	                 .dst = q->srv[q->cur], .tcp = q->up_tcp, .buf = buf,
	                 .len = len };
	if (eng_push_act(e, &a) < 0)
		return WARD_ELIMIT;
	q->waiting = true;
	q->sent_at = now;
	q->timer = now + q->timeout_ms;
	q->n_upstream++;
	if (!q->depth && q->sent_type == DNS_T_NS &&
	    dns_name_equal(&q->zone, &q->sent_name))
		q->ns_asked = true; /* asked of the zone's own servers */
	e->st.upstream_sent++;
	return 0;
}

int eng_push_send(res_engine *e, struct query *q, const struct res_addr *dst,
                  uint8_t *buf, size_t len)
{
	struct act a = { .kind = RES_ACT_SEND, .token = q->token, .dst = *dst,
	                 .tcp = q->up_tcp, .buf = buf, .len = len };
	return eng_push_act(e, &a);
}

/* ---- exchanges: start, park, fail ---- */

/* The current frame could not be resolved. */
void eng_frame_fail(res_engine *e, struct query *q, uint16_t ede,
                       const char *text, uint64_t now)
{
	q->waiting = false;
	if (q->depth) {
		q->depth--;
		const struct frame *f = &q->stack[q->depth];
		val_fetch_failed(q, &f->name, f->type, ede);
		if (f->type == DNS_T_NS && f->name.len == 1)
			/* priming failed: the hints themselves are still worth
			 * asking the real question (it comes first in a query,
			 * so nothing else is forgotten) */
			q->nbad = 0;
		eng_step(e, q, now);
		return;
	}
	if (q->nxchase_at) { /* the chased target failed: the CNAME alone */
		q->nchain = q->nxchase_at;
		q->nxchase_at = 0;
		eng_step(e, q, now);
		return;
	}
	eng_servfail(e, q, ede, text);
}

/* Another client query already asking name/type upstream. */
static struct query *find_leader(res_engine *e, const struct query *self,
                                 const dns_name *name, uint16_t type)
{
	for (unsigned i = 0; i < e->hi; i++) {
		struct query *o = &e->q[i];
		if (o != self && o->used && o->waiting && o->sent_type == type &&
		    dns_name_equal(&o->sent_name, name))
			return o;
	}
	return NULL;
}

/* Parked queries whose leader's exchange ended (answered, failed, moved
 * on) look again: the reply is in the cache now, or they ask themselves. */
void eng_unpark(res_engine *e, uint64_t now)
{
	for (unsigned round = 0; round < 4; round++) {
		bool any = false;
		unsigned last = 0;
		for (unsigned i = 0; i < e->hi; i++) {
			struct query *o = &e->q[i];
			if (o->used)
				last = i + 1;
			if (!o->used || !o->parked)
				continue;
			const struct query *l = &e->q[(o->parked_on & 0xffff) % e->nq];
			if (l->used && l->waiting && l->token == o->parked_on)
				continue;
			o->parked = false;
			any = true;
			eng_step(e, o, now);
		}
		if (!any) {
			e->hi = last;
			break;
		}
	}
}

void eng_start_exchange(res_engine *e, struct query *q,
                        const dns_name *target, uint16_t ttype, uint64_t now)
{
	dns_name mname = *target;
	uint16_t type = ttype;
	const dns_name *name = &mname;
	q->minimised = false;
	if (e->cfg.qname_minimisation && !q->qmin_off && !q->fwd) {
		unsigned zl = dns_name_labels(&q->zone);
		unsigned tl = dns_name_labels(target);
		if (!dns_name_equal(&q->zone, &q->qmin_zone) || q->qmin_n <= zl) {
			q->qmin_zone = q->zone;
			q->qmin_n = zl + 1;
		}
		/* as Unbound: an AAAA question is minimised down to the full
		 * name asked with type A, then asked with AAAA */
		bool last = q->qmin_n == tl && ttype == DNS_T_AAAA;
		if ((q->qmin_n < tl || last) &&
		    q->qmin_steps < RES_MAX_QMIN_STEPS) {
			dns_name_strip_left(&mname, tl - q->qmin_n);
			type = DNS_T_A; /* RFC 9156 §2.1: hide the real QTYPE */
			q->minimised = true;
			q->qmin_steps++;
		}
	}
	struct query *lead = find_leader(e, q, name, type);
	if (lead) {
		q->parked = true;
		q->parked_on = lead->token;
		/* ANY is asked upstream every time (engine_any.c), but an
		 * identical question in flight answers this one too: once
		 * unparked it takes what the leader's reply cached */
		if (type == DNS_T_ANY)
			q->any_asked = true;
		q->sent_name = *name;
		q->sent_type = type;
		e->st.dedup++;
		return;
	}
	q->sent_name = *name;
	q->sent_type = type;
	q->up_tcp = false;
	q->noedns = false;
	q->timeout_ms = RES_UDP_TIMEOUT_MS;
	q->cur = 0;
	if (q->n_upstream >= e->cfg.max_upstream) {
		eng_frame_fail(e, q, EDE_OTHER,
		           "upstream query limit for this query reached", now);
		return;
	}
	if (eng_fwd_all_start(e, q, now))
		return;
	if (q->nsrv)
		eng_pick_server(e, q);
	if (eng_send_current(e, q, now) < 0)
		eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
}

/* ---- upstream replies ---- */

/* Try the next server of the cut, or give up on the frame. */
void eng_next_server(res_engine *e, struct query *q, uint64_t now,
                        uint16_t ede, const char *why)
{
	if (eng_fwd_all_next(e, q, now))
		return;
	q->waiting = false;
	q->up_tcp = false;
	q->noedns = false;
	if (q->n_upstream >= e->cfg.max_upstream) {
		eng_frame_fail(e, q, EDE_NO_REACHABLE,
		           "upstream query limit for this query reached", now);
		return;
	}
	bool picked = eng_pick_server(e, q);
	if (!picked && q->minimised && !q->qmin_off) {
		/* a minimised query nobody answers: ask the full name
		 * (RFC 9156 §2.3, relaxed) */
		q->qmin_off = true;
		eng_step(e, q, now);
		return;
	}
	if (!picked) {
		/* every address of the cut failed: remember them, then look
		 * again — NS names without addresses may still be resolved */
		for (unsigned i = 0; i < q->nsrv; i++)
			eng_mark_bad(q, &q->srv[i], &q->zone);
		q->fail_ede = ede;
		q->fail_why = why;
		eng_step(e, q, now);
		return;
	}
	if (eng_send_current(e, q, now) < 0)
		eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
}

void eng_server_bad(struct query *q)
{
	q->srv_tries[q->cur] = SRV_TRIES;
	eng_mark_bad(q, &q->srv[q->cur], &q->zone);
}

int res_upstream_reply(res_engine *e, uint32_t token,
                       const struct res_addr *from, bool tcp,
                       const uint8_t *pkt, size_t len, uint64_t now_ms)
{
	unsigned slot = token & 0xffff;
	if (slot >= e->nq) {
		e->st.ignored_replies++;
		return WARD_ENOTFOUND;
	}
	struct query *q = &e->q[slot];
	int si = q->used && from ? eng_reply_server(q, from) : -1;
	if (!q->used || !q->waiting || q->token != token || q->up_tcp != tcp ||
	    si < 0) {
		e->st.ignored_replies++;
		return WARD_ENOTFOUND;
	}
	dns_msg m;
	dns_name qn;
	uint16_t qt = 0, qc = 0;
	int r = dns_msg_parse(&m, pkt, len);
	size_t slen = 0;
	if (r < 0 && r != WARD_ETRAILING &&
	    eng_scrub_reply(e, pkt, len, &slen) == 0) {
		pkt = e->scrub; /* malformed records left out */
		len = slen;
		r = dns_msg_parse(&m, pkt, len);
	}
	if (r == 0 && m.count[0] == 1) {
		r = dns_msg_question(&m, &qn, &qt, &qc);
	} else if (r == 0 && m.count[0] == 0 &&
	           (dns_msg_rcode(&m) == DNS_RCODE_FORMERR ||
	            dns_msg_rcode(&m) == DNS_RCODE_NOTIMP)) {
		/* many servers answer FORMERR to EDNS without the question */
		qn = q->sent_case;
		qt = q->sent_type;
		qc = DNS_C_IN;
	} else if (r == 0) {
		r = WARD_EINVAL;
	}
	if (r < 0 || !(m.flags & DNS_FLAG_QR) || m.id != q->uid ||
	    qt != q->sent_type || qc != DNS_C_IN ||
	    !dns_name_equal(&qn, &q->sent_name)) {
		/* spoofed or garbage: keep waiting (the timeout covers it) */
		e->st.ignored_replies++;
		return WARD_ENOTFOUND;
	}
	q->cur = (unsigned)si;
	if (eng_caps_check(e, q, &qn, now_ms) != 0) {
		e->st.ignored_replies++;
		return WARD_ENOTFOUND;
	}
	e->st.upstream_replies++;
	eng_infra_update(e, &q->srv[q->cur], now_ms - q->sent_at, false, now_ms);
	eng_handle_reply(e, q, &m, now_ms);
	eng_unpark(e, now_ms);
	return 0;
}

void eng_exchange_timed_out(res_engine *e, struct query *q,
                            uint64_t now_ms)
{
	e->st.timeouts++;
	eng_infra_update(e, &q->srv[q->cur], now_ms - q->sent_at, true, now_ms);
	q->timeout_ms *= 2;
	if (q->timeout_ms > RES_TIMEOUT_MAX_MS)
		q->timeout_ms = RES_TIMEOUT_MAX_MS;
	eng_next_server(e, q, now_ms, EDE_NO_REACHABLE,
	                "no reachable authority: all servers timed out");
}

int res_upstream_fail(res_engine *e, uint32_t token, bool timed_out,
                      uint64_t now_ms)
{
	unsigned slot = token & 0xffff;
	if (slot >= e->nq)
		return WARD_ENOTFOUND;
	struct query *q = &e->q[slot];
	if (!q->used || !q->waiting || q->token != token)
		return WARD_ENOTFOUND;
	if (timed_out) {
		eng_exchange_timed_out(e, q, now_ms);
	} else {
		/* a network error: this server is not tried again */
		eng_infra_update(e, &q->srv[q->cur], now_ms - q->sent_at, true, now_ms);
		eng_server_bad(q);
		eng_next_server(e, q, now_ms, EDE_NETWORK,
		                "network error talking to every server");
	}
	eng_unpark(e, now_ms);
	return 0;
}
