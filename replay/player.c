/* ward replay: the scenario player (player.h). One engine, one cache, a
 * virtual clock; every upstream query the engine sends is logged, answered
 * from the scenario's RANGE entries when one matches at the current step,
 * and otherwise stays outstanding until a REPLY, TIMEOUT or ERROR step (or
 * the engine's own timer, when a CHECK_ANSWER waits for an answer). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "codec/strbuf.h"
#include "replay/player_int.h"

enum sent_state { SENT_PENDING, SENT_ANSWERED, SENT_FAILED, SENT_DROPPED };

struct sent {
	uint32_t token;
	struct res_addr dst;
	bool tcp;
	uint8_t *pkt;
	size_t len;
	enum sent_state state;
	bool checked;              /* consumed by a CHECK_OUT_QUERY */
};

struct answer {
	uint64_t tag;
	uint8_t *pkt;
	size_t len;
};

struct player {
	const rpl_scenario *s;
	res_engine *e;
	cache_t *cache;
	uint64_t clock;            /* ms */
	long step;
	struct sent *sent;
	size_t nsent, capsent;
	struct answer ans[RPL_PLAY_ANSWERS_MAX];
	size_t nans;
	uint64_t rnd;
	FILE *trace;
	bool assume_ad;
	uint8_t reply[RPL_PKT_MAX];
};

/* Deterministic random bytes: a scenario plays the same way every time. */
static void player_random(void *ctx, uint8_t *buf, size_t n)
{
	uint64_t *x = ctx;
	for (size_t i = 0; i < n; i++) {
		*x = *x * 6364136223846793005ull + 1442695040888963407ull;
		buf[i] = (uint8_t)(*x >> 33);
	}
}

const char *rpl_verdict_name(enum rpl_verdict v)
{
	switch (v) {
	case RPL_V_PASS: return "pass";
	case RPL_V_FAIL: return "fail";
	case RPL_V_UNSUPPORTED: return "unsupported";
	default: return "done";
	}
}

static void to_rpl_addr(const struct res_addr *a, rpl_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	memcpy(out->ip, a->ip, sizeof(out->ip));
	out->port = a->port;
}

static void addr_text(const struct res_addr *a, char *buf, size_t cap)
{
	rpl_addr ra;
	to_rpl_addr(a, &ra);
	strbuf sb = strbuf_init(buf, cap);
	rpl_addr_to_text(&ra, &sb);
}

/* "name TYPE" of a message's question, for messages. */
static void question_text(const uint8_t *pkt, size_t len, char *buf, size_t cap)
{
	dns_msg m;
	dns_name n;
	uint16_t t = 0, c = 0;
	strbuf sb = strbuf_init(buf, cap);
	if (dns_msg_parse(&m, pkt, len) < 0 || m.count[0] < 1 ||
	    dns_msg_question(&m, &n, &t, &c) < 0) {
		strbuf_puts(&sb, "(unparsable)");
		return;
	}
	dns_name_to_text(&n, &sb);
	strbuf_printf(&sb, " type%u", (unsigned)t);
}

static int log_send(struct player *p, const struct res_action *a)
{
	if (p->nsent == p->capsent) {
		size_t nc = p->capsent ? p->capsent * 2 : 64;
		struct sent *ns = realloc(p->sent, nc * sizeof(*ns));
		if (!ns)
			return WARD_ENOMEM;
		p->sent = ns;
		p->capsent = nc;
	}
	struct sent *x = &p->sent[p->nsent];
	x->pkt = malloc(a->len ? a->len : 1);
	if (!x->pkt)
		return WARD_ENOMEM;
	memcpy(x->pkt, a->buf, a->len);
	x->len = a->len;
	x->token = a->token;
	x->dst = a->dst;
	x->tcp = a->tcp;
	x->state = SENT_PENDING;
	x->checked = false;
	p->nsent++;
	if (p->trace) {
		char q[300], d[80];
		question_text(x->pkt, x->len, q, sizeof(q));
		addr_text(&x->dst, d, sizeof(d));
		fprintf(p->trace, "step %ld: query %s to %s%s\n", p->step, q, d,
		        x->tcp ? " (tcp)" : "");
	}
	return 0;
}

/* Take the engine's queued actions: answers kept, sends logged. */
static int drain(struct player *p)
{
	struct res_action a;
	int n = 0;
	while (res_next_action(p->e, p->clock, &a) == 1) {
		n++;
		if (a.kind == RES_ACT_ANSWER) {
			if (p->nans >= RPL_PLAY_ANSWERS_MAX)
				continue;
			uint8_t *b = malloc(a.len ? a.len : 1);
			if (!b)
				return WARD_ENOMEM;
			memcpy(b, a.buf, a.len);
			if (p->trace) {
				dns_msg m;
				fprintf(p->trace, "step %ld: answer to the query of "
				        "step %llu, rcode %d\n", p->step,
				        (unsigned long long)a.client_tag,
				        dns_msg_parse(&m, b, a.len) == 0
				        ? (int)dns_msg_rcode(&m) : -1);
			}
			p->ans[p->nans].tag = a.client_tag;
			p->ans[p->nans].pkt = b;
			p->ans[p->nans++].len = a.len;
		} else if (a.kind == RES_ACT_SEND) {
			if (log_send(p, &a) < 0)
				return WARD_ENOMEM;
		}
	}
	return n;
}

/* testbound hands a reply to the query that is waiting for it whatever
 * its ID (fake_event.c calls the query's callback), so entries without
 * ADJUST copy_id still answer; the engine checks IDs, so the player
 * writes the query's ID into testbound replies. */
static void fix_id(struct player *p, const struct sent *x, size_t olen)
{
	if (p->s->dialect != RPL_DIALECT_TESTBOUND || olen < 2 || x->len < 2)
		return;
	memcpy(p->reply, x->pkt, 2);
}

/* Answer sent query x with packet 0 of entry en. */
static void deliver(struct player *p, struct sent *x, const rpl_entry *en)
{
	size_t olen = 0;
	x->state = SENT_ANSWERED;
	if (p->trace)
		fprintf(p->trace, "step %ld:   reply: entry at line %u\n", p->step,
		        en->line);
	if (rpl_entry_reply(en, 0, x->pkt, x->len, p->reply, sizeof(p->reply),
	                    &olen) < 0 || !olen) {
		x->state = SENT_DROPPED; /* do_not_answer: the engine times out */
		return;
	}
	fix_id(p, x, olen);
	res_upstream_reply(p->e, x->token, &x->dst, x->tcp, p->reply, olen,
	                   p->clock);
}

/* Let traffic flow: drain the engine, answer outstanding queries from the
 * ranges active at this step, until nothing moves. */
static int pump(struct player *p)
{
	for (unsigned guard = 0; guard < RPL_PLAY_PUMP_MAX; guard++) {
		int n = drain(p);
		if (n < 0)
			return n;
		bool moved = n > 0;
		for (size_t i = 0; i < p->nsent; i++) {
			struct sent *x = &p->sent[i];
			if (x->state != SENT_PENDING)
				continue;
			rpl_addr dst;
			to_rpl_addr(&x->dst, &dst);
			const rpl_entry *en = rpl_match_query(
				p->s, p->step, &dst,
				x->tcp ? RPL_TRANSPORT_TCP : RPL_TRANSPORT_UDP,
				x->pkt, x->len, NULL);
			if (!en)
				continue;
			deliver(p, x, en);
			moved = true;
		}
		if (!moved)
			return 0;
	}
	return WARD_ELIMIT;
}

/* The newest outstanding query (testbound settles its pending list's head),
 * optionally only those to addr and those the entry matches. */
static struct sent *newest_pending(struct player *p, const rpl_step *st,
                                   const rpl_entry *match)
{
	for (size_t i = p->nsent; i-- > 0;) {
		struct sent *x = &p->sent[i];
		if (x->state != SENT_PENDING)
			continue;
		if (st->has_addr) {
			rpl_addr d;
			to_rpl_addr(&x->dst, &d);
			if (!rpl_addr_equal(&d, &st->addr))
				continue;
		}
		if (match && match->match &&
		    rpl_entry_match(match, x->pkt, x->len,
		                    x->tcp ? RPL_TRANSPORT_TCP : RPL_TRANSPORT_UDP,
		                    NULL) != 0)
			continue;
		return x;
	}
	return NULL;
}

/* One round of waiting for a CHECK_ANSWER: the oldest outstanding query
 * times out (the clock moves to when the engine would have noticed), or
 * the engine's next timer fires. False when nothing can happen. */
static bool wait_round(struct player *p)
{
	uint64_t w = res_next_wakeup(p->e);
	for (size_t i = 0; i < p->nsent; i++) {
		struct sent *x = &p->sent[i];
		if (x->state != SENT_PENDING)
			continue;
		x->state = SENT_FAILED;
		if (p->trace) {
			char q[300];
			question_text(x->pkt, x->len, q, sizeof(q));
			fprintf(p->trace, "step %ld:   timeout: %s (no range entry)\n",
			        p->step, q);
		}
		if (w != UINT64_MAX && w > p->clock)
			p->clock = w;
		if (res_upstream_fail(p->e, x->token, true, p->clock) == 0)
			return true;
	}
	if (w == UINT64_MAX)
		return false;
	if (w > p->clock)
		p->clock = w;
	res_tick(p->e, p->clock);
	return true;
}

static void drop_answer(struct player *p, size_t i)
{
	free(p->ans[i].pkt);
	memmove(&p->ans[i], &p->ans[i + 1], (p->nans - i - 1) * sizeof(p->ans[0]));
	p->nans--;
}

static void set_msg(rpl_step_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_msg(rpl_step_result *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
}

static void check_answer(struct player *p, const rpl_step *st,
                         rpl_step_result *res)
{
	pump(p);
	for (unsigned r = 0; !p->nans && r < RPL_PLAY_WAIT_ROUNDS; r++) {
		if (!wait_round(p))
			break;
		pump(p);
	}
	if (!p->nans) {
		res->verdict = RPL_V_FAIL;
		set_msg(res, "no answer from the engine");
		return;
	}
	if (p->assume_ad && (st->entry->pkts[0].flags & DNS_FLAG_AD))
		for (size_t i = 0; i < p->nans; i++)
			if (p->ans[i].len >= 4)
				p->ans[i].pkt[3] |= DNS_FLAG_AD & 0xff;
	/* as testbound: any answer not yet checked may be the one */
	for (size_t i = 0; i < p->nans; i++)
		if (rpl_check_answer(st->entry, p->ans[i].pkt, p->ans[i].len,
		                     NULL) == 0) {
			drop_answer(p, i);
			res->verdict = RPL_V_PASS;
			return;
		}
	char d[RPL_PLAY_MSG_MAX];
	strbuf sb = strbuf_init(d, sizeof(d));
	rpl_check_answer(st->entry, p->ans[0].pkt, p->ans[0].len, &sb);
	while (sb.len && d[sb.len - 1] == '\n')
		sb.len--;
	res->verdict = RPL_V_FAIL;
	set_msg(res, "%.*s", (int)sb.len, d);
	drop_answer(p, 0);
}

static void check_out_query(struct player *p, const rpl_step *st,
                            rpl_step_result *res)
{
	pump(p);
	struct sent *first = NULL;
	for (size_t i = 0; i < p->nsent; i++) {
		struct sent *x = &p->sent[i];
		if (x->checked)
			continue;
		if (st->has_addr) {
			rpl_addr d;
			to_rpl_addr(&x->dst, &d);
			if (!rpl_addr_equal(&d, &st->addr))
				continue;
		}
		if (!first)
			first = x;
		if (rpl_entry_match(st->entry, x->pkt, x->len,
		                    x->tcp ? RPL_TRANSPORT_TCP : RPL_TRANSPORT_UDP,
		                    NULL) == 0) {
			/* the queries before it were checked by passing over */
			for (struct sent *y = p->sent; y <= x; y++)
				y->checked = true;
			res->verdict = RPL_V_PASS;
			return;
		}
	}
	res->verdict = RPL_V_FAIL;
	if (!first) {
		set_msg(res, "no upstream query was sent");
		return;
	}
	char q[300], a[80], d[RPL_PLAY_MSG_MAX / 2];
	question_text(first->pkt, first->len, q, sizeof(q));
	addr_text(&first->dst, a, sizeof(a));
	strbuf sb = strbuf_init(d, sizeof(d));
	rpl_entry_match(st->entry, first->pkt, first->len,
	                first->tcp ? RPL_TRANSPORT_TCP : RPL_TRANSPORT_UDP, &sb);
	while (sb.len && d[sb.len - 1] == '\n')
		sb.len--;
	set_msg(res, "no upstream query matches; next was %s to %s: %.*s", q, a,
	        (int)sb.len, d);
}

static void settle(struct player *p, const rpl_step *st, rpl_step_result *res)
{
	pump(p);
	const rpl_entry *m = st->type == RPL_STEP_REPLY ? st->entry : NULL;
	for (;;) {
		struct sent *x = newest_pending(p, st, m);
		if (!x && m)
			x = newest_pending(p, st, NULL);
		if (!x)
			break;
		int r;
		if (st->type == RPL_STEP_REPLY) {
			size_t olen = 0;
			x->state = SENT_ANSWERED;
			r = rpl_entry_reply(st->entry, 0, x->pkt, x->len, p->reply,
			                    sizeof(p->reply), &olen);
			if (r == 0 && olen) {
				fix_id(p, x, olen);
				r = res_upstream_reply(p->e, x->token, &x->dst, x->tcp,
				                       p->reply, olen, p->clock);
			}
		} else {
			x->state = SENT_FAILED;
			r = res_upstream_fail(p->e, x->token,
			                      st->type == RPL_STEP_TIMEOUT, p->clock);
		}
		if (r == WARD_ENOTFOUND)
			continue; /* the engine had given up on it already */
		pump(p);
		return;
	}
	if (st->type == RPL_STEP_REPLY) {
		res->verdict = RPL_V_FAIL;
		set_msg(res, "no outstanding upstream query to reply to");
	} else {
		/* the engine retries less often than Unbound: not a check */
		set_msg(res, "no outstanding upstream query (nothing to do)");
	}
}

static void run_step(struct player *p, const rpl_step *st, rpl_step_result *res)
{
	p->step = st->number;
	switch (st->type) {
	case RPL_STEP_NOTHING:
		break;
	case RPL_STEP_QUERY: {
		const uint8_t *b;
		size_t l;
		rpl_packet_bytes(&st->entry->pkts[0], &b, &l);
		if (res_query_start(p->e, (uint64_t)st->number, b, l,
		                    st->entry->transport == RPL_TRANSPORT_TCP,
		                    p->clock) < 0)
			set_msg(res, "the engine dropped the query");
		pump(p);
		break;
	}
	case RPL_STEP_CHECK_ANSWER:
		check_answer(p, st, res);
		break;
	case RPL_STEP_CHECK_OUT_QUERY:
		check_out_query(p, st, res);
		break;
	case RPL_STEP_REPLY:
	case RPL_STEP_TIMEOUT:
	case RPL_STEP_ERROR:
		settle(p, st, res);
		break;
	case RPL_STEP_TIME_PASSES:
		if (st->eval) {
			res->verdict = RPL_V_UNSUPPORTED;
			set_msg(res, "TIME_PASSES EVAL (macros) not supported");
			break;
		}
		p->clock += (uint64_t)(st->elapse_us / 1000);
		res_tick(p->e, p->clock);
		pump(p);
		break;
	case RPL_STEP_TRAFFIC:
		pump(p);
		break;
	case RPL_STEP_INFRA_RTT: {
		/* "zone rtt": ward keeps RTTs per address, not per zone */
		const char *v = st->value ? strrchr(st->value, ' ') : NULL;
		char *end = NULL;
		unsigned long rtt = v ? strtoul(v + 1, &end, 10) : 0;
		struct res_addr a;
		memset(&a, 0, sizeof(a));
		a.family = st->addr.family;
		memcpy(a.ip, st->addr.ip, sizeof(a.ip));
		a.port = st->addr.port ? st->addr.port : RPL_DNS_PORT;
		if (!v || !end || *end ||
		    res_infra_set_rtt(p->e, &a, (uint32_t)rtt, p->clock) < 0) {
			res->verdict = RPL_V_FAIL;
			set_msg(res, "INFRA_RTT: cannot read '%s'",
			        st->value ? st->value : "");
		}
		break;
	}
	default:
		res->verdict = RPL_V_UNSUPPORTED;
		set_msg(res, "%s steps not supported by the player",
		        rpl_step_type_name(st->type));
		break;
	}
	if (st->type == RPL_STEP_CHECK_ANSWER ||
	    st->type == RPL_STEP_CHECK_OUT_QUERY || st->type == RPL_STEP_REPLY) {
		if (res->verdict == RPL_V_DONE)
			res->verdict = RPL_V_PASS;
	}
}

static rpl_run *run_new(const char *name, size_t nsteps)
{
	rpl_run *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->name = strdup(name ? name : "");
	r->steps = calloc(nsteps ? nsteps : 1, sizeof(*r->steps));
	if (!r->name || !r->steps) {
		rpl_run_free(r);
		return NULL;
	}
	return r;
}

void rpl_run_free(rpl_run *r)
{
	if (!r)
		return;
	free((char *)r->name);
	free(r->steps);
	free(r);
}

const char *rpl_run_reason(const rpl_run *r)
{
	if (r->outcome == RPL_OUT_ERROR)
		return r->error;
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].verdict == RPL_V_FAIL ||
		    r->steps[i].verdict == RPL_V_UNSUPPORTED)
			return r->steps[i].msg;
	return "";
}

rpl_run *rpl_play(const rpl_scenario *s, const rpl_play_opts *opts)
{
	rpl_run *r = run_new(s->name, s->nsteps);
	if (!r)
		return NULL;
	struct player_cfg pc;
	struct player *p = calloc(1, sizeof(*p));
	if (!p) {
		rpl_run_free(r);
		return NULL;
	}
	if (rpl_player_config(s, &pc, r) < 0) {
		r->outcome = RPL_OUT_ERROR;
		free(p);
		return r;
	}
	p->s = s;
	p->rnd = 0x5eed;
	p->trace = opts ? opts->trace : NULL;
	p->assume_ad = opts && opts->assume_ad;
	pc.cfg.random = player_random;
	pc.cfg.random_ctx = &p->rnd;
	pc.cfg.max_clients = RPL_PLAY_ANSWERS_MAX;
	struct cache_config cc;
	cache_config_defaults(&cc);
	p->cache = cache_new(&cc);
	p->e = p->cache ? res_engine_new(&pc.cfg, p->cache) : NULL;
	res_anchors_free(&pc.anchors); /* copied by the engine */
	if (!p->e) {
		r->outcome = RPL_OUT_ERROR;
		snprintf(r->error, sizeof(r->error), "%s: cannot start an engine",
		         s->name);
		goto out;
	}
	p->clock = (uint64_t)(s->config.have_date && s->config.date > 0
	                      ? s->config.date : RPL_PLAY_START_TIME) * 1000;
	for (size_t i = 0; i < s->nsteps; i++) {
		const rpl_step *st = &s->steps[i];
		rpl_step_result *res = &r->steps[r->nsteps++];
		res->number = st->number;
		res->type = st->type;
		run_step(p, st, res);
		switch (res->verdict) {
		case RPL_V_PASS: r->checks++; r->passed++; break;
		case RPL_V_FAIL: r->checks++; r->failed++; break;
		case RPL_V_UNSUPPORTED: r->unsupported++; break;
		default: break;
		}
		if (res->verdict == RPL_V_FAIL && opts && opts->stop_at_fail)
			break;
	}
	r->outcome = (r->failed || r->unsupported) ? RPL_OUT_FAIL : RPL_OUT_PASS;
	struct res_stats rs;
	res_get_stats(p->e, &rs);
	r->upstream_sent = rs.upstream_sent;
out:
	for (size_t i = 0; i < p->nsent; i++)
		free(p->sent[i].pkt);
	free(p->sent);
	for (size_t i = 0; i < p->nans; i++)
		free(p->ans[i].pkt);
	res_engine_free(p->e);
	cache_free(p->cache);
	free(p);
	return r;
}

rpl_run *rpl_play_file(const char *path, const rpl_play_opts *opts)
{
	rpl_error err;
	rpl_scenario *s = rpl_load_file(path, &err);
	if (!s) {
		rpl_run *r = run_new(path, 0);
		if (!r)
			return NULL;
		r->outcome = RPL_OUT_ERROR;
		snprintf(r->error, sizeof(r->error), "%s", err.msg);
		return r;
	}
	rpl_run *r = rpl_play(s, opts);
	rpl_free(s);
	return r;
}
