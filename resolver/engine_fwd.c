/* ward resolver: dnsmasq's all-servers — a forwarded query goes to every
 * server of the matching rule at once (same ID and question) and the
 * first good reply wins. A SERVFAIL/REFUSED (or otherwise unusable) reply
 * from one of them is dropped while others still owe a reply, as dnsmasq
 * does (forward.c: a failed reply counts down forwardall); when all have
 * failed or the timeout passes, another round goes to the servers with
 * attempts left. Without all-servers the engine asks one server at a time
 * (strict-order: in configured order; else by RTT) and moves on to the
 * next on a timeout or a SERVFAIL/REFUSED (engine_exchange.c eng_next_server). */
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "resolver/engine_int.h"

static bool same_addr(const struct res_addr *a, const struct res_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->ip, b->ip, a->family == 4 ? 4 : 16) == 0;
}

/* Send to every server with attempts left. False when there is none. */
static bool round_send(res_engine *e, struct query *q, uint64_t now)
{
	uint16_t mask = 0;
	int first = -1;
	for (unsigned i = 0; i < q->nsrv && i < 16; i++) {
		if (q->srv_tries[i] >= SRV_TRIES)
			continue;
		q->srv_tries[i]++;
		mask = (uint16_t)(mask | 1u << i);
		if (first < 0)
			first = (int)i;
	}
	if (!mask)
		return false;
	q->cur = (unsigned)first;
	q->bcast_mask = mask;
	q->bcast_now = true;
	int r = eng_send_current(e, q, now);
	q->bcast_now = false;
	if (r < 0)
		eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
	return true;
}

bool eng_fwd_all_start(res_engine *e, struct query *q, uint64_t now)
{
	if (!e->cfg.all_servers || e->cfg.mode != RES_MODE_FORWARD ||
	    q->nsrv < 2)
		return false;
	return round_send(e, q, now);
}

bool eng_fwd_all_next(res_engine *e, struct query *q, uint64_t now)
{
	if (!q->bcast_mask)
		return false;
	if (now < q->timer) {
		/* a bad reply from q->cur: wait for the others */
		q->bcast_mask = (uint16_t)(q->bcast_mask & ~(1u << q->cur));
		if (q->bcast_mask) {
			q->waiting = true;
			return true;
		}
	}
	q->bcast_mask = 0;
	q->waiting = false;
	q->up_tcp = false;
	q->noedns = false;
	if (q->n_upstream >= e->cfg.max_upstream)
		return false; /* eng_next_server fails the frame */
	return round_send(e, q, now);
}

int eng_send_copies(res_engine *e, struct query *q, const uint8_t *buf,
                    size_t len)
{
	for (unsigned i = 0; i < q->nsrv && i < 16; i++) {
		if (i == q->cur || !(q->bcast_mask & (1u << i)))
			continue;
		uint8_t *copy = malloc(len);
		if (!copy)
			return WARD_ENOMEM;
		memcpy(copy, buf, len);
		if (eng_push_send(e, q, &q->srv[i], copy, len) < 0)
			return WARD_ELIMIT;
		q->n_upstream++;
		e->st.upstream_sent++;
	}
	return 0;
}

int eng_reply_server(const struct query *q, const struct res_addr *from)
{
	if (q->bcast_mask) {
		for (unsigned i = 0; i < q->nsrv && i < 16; i++)
			if ((q->bcast_mask & (1u << i)) &&
			    same_addr(from, &q->srv[i]))
				return (int)i;
		return -1;
	}
	return q->cur < q->nsrv && same_addr(from, &q->srv[q->cur])
	       ? (int)q->cur : -1;
}
