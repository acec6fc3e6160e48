/* ward resolver: 0x20 — random case in upstream QNAMEs (draft-vixie-
 * dnsext-dns0x20), bits from the caller's random source. A reply must
 * echo the question with exactly the case sent; one that matches only
 * case-insensitively is ignored and counted (case_mismatch).
 *
 * Fallback, in the spirit of Unbound's caps-fallback: a server that
 * answers with other case (some load balancers and old servers lowercase
 * or rebuild the question) is remembered in the infra cache (nocaps) and
 * the query is re-sent to it at once without 0x20, so such a server
 * costs one extra query instead of a timeout per name. Unbound's
 * caps-whitelist is the same list configured by hand; ward learns it.
 * A spoofer that guessed ID and port can trigger the fallback, but the
 * re-sent query has a fresh ID, so it gains no answer from it. */
#include <string.h>

#include "resolver/engine_int.h"

static bool caps_off_for(res_engine *e, const struct query *q, uint64_t now)
{
	if (q->bcast_now) {
		for (unsigned i = 0; i < q->nsrv && i < 16; i++) {
			const struct infra *x;
			if ((q->bcast_mask & (1u << i)) &&
			    (x = eng_infra(e, &q->srv[i], false, now)) && x->nocaps)
				return true;
		}
		return false;
	}
	const struct infra *x = eng_infra(e, &q->srv[q->cur], false, now);
	return x && x->nocaps;
}

void eng_caps_prepare(res_engine *e, struct query *q, uint64_t now)
{
	q->sent_case = q->sent_name;
	if (!e->cfg.case_randomise || caps_off_for(e, q, now))
		return;
	uint8_t bits[DNS_NAME_MAXLEN / 8 + 1];
	size_t nb = (size_t)(q->sent_case.len + 7) / 8;
	e->cfg.random(e->cfg.random_ctx, bits, nb);
	uint8_t *w = q->sent_case.wire;
	size_t pos = 0;
	while (pos < q->sent_case.len && w[pos]) {
		size_t ll = w[pos];
		for (size_t k = pos + 1; k <= pos + ll && k < q->sent_case.len; k++) {
			uint8_t c = w[k];
			if ((c | 0x20) < 'a' || (c | 0x20) > 'z')
				continue;
			c = (uint8_t)(c | 0x20);
			if (bits[k / 8] & (1u << (k % 8)))
				c = (uint8_t)(c & ~0x20);
			w[k] = c;
		}
		pos += ll + 1;
	}
}

int eng_caps_check(res_engine *e, struct query *q, const dns_name *qn,
                   uint64_t now)
{
	if (qn->len == q->sent_case.len &&
	    memcmp(qn->wire, q->sent_case.wire, qn->len) == 0)
		return 0;
	/* sent without 0x20: any case is fine (RFC 4343) */
	if (q->sent_case.len == q->sent_name.len &&
	    memcmp(q->sent_case.wire, q->sent_name.wire, q->sent_name.len) == 0)
		return 0;
	e->st.case_mismatch++;
	struct infra *x = eng_infra(e, &q->srv[q->cur], true, now);
	if (!x || x->nocaps)
		return -1;
	x->nocaps = true;
	e->st.caps_fallback++;
	q->waiting = false;
	if (q->n_upstream >= e->cfg.max_upstream) {
		eng_frame_fail(e, q, EDE_OTHER,
		               "upstream query limit for this query reached", now);
		return 1;
	}
	if (eng_send_current(e, q, now) < 0)
		eng_frame_fail(e, q, EDE_OTHER, "out of resources", now);
	return 1;
}
