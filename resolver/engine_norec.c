/* ward resolver: queries without RD (RFC 1034 §4.3.1: recursion not
 * desired) are answered from the cache alone, as Unbound answers clients
 * allowed to snoop (allow_snoop): a cached answer (engine.c finds it
 * first) or, failing that, a referral to the closest cached NS set with
 * the cached addresses of its names, never a query upstream for
 * the client's question (the validator may still fetch the DNSKEY and DS
 * sets it needs). With validation, a signed NS set is validated and the
 * referral carries AD when it is secure; addresses that are not secure
 * are then left out (Unbound's val-clean-additional). Nothing cached at
 * all: REFUSED with EDE 20 (RFC 8914 §4.21: not authoritative, recursion
 * not desired). */
#include <stdlib.h>

#include "resolver/engine_int.h"

/* The closest cached NS set at or above name (for DS: above it, the
 * parent's side). */
static bool closest_cut(res_engine *e, const struct query *q,
                        const dns_name *name, uint64_t now_s, dns_name *cut)
{
	*cut = *name;
	if (q->qtype == DNS_T_DS && cut->len > 1)
		dns_name_strip_left(cut, 1);
	for (;;) {
		struct cache_hit h;
		if (cache_get(e->cache, cut, DNS_T_NS, DNS_C_IN, now_s, &h) &&
		    h.kind == CACHE_POSITIVE && h.n)
			return true;
		if (cut->len <= 1)
			return false;
		dns_name_strip_left(cut, 1);
	}
}

/* A cached RRset (and its RRSIGs when DO) into section s. */
static void put_set(const res_engine *e, const struct query *q, dns_mb *b,
                    enum dns_section s, const struct cache_hit *h)
{
	dns_rr rrs[ANS_MAX_RRS];
	size_t n = 0;
	for (size_t i = 0; i < h->n && n < ANS_MAX_RRS; i++)
		if (cache_hit_rr(h, i, &rrs[n]) == 0) {
			rrs[n].ttl = eng_ttl_client(e, rrs[n].ttl);
			n++;
		}
	if (n)
		dns_mb_rrset(b, s, rrs, n);
	n = 0;
	for (size_t i = 0; q->c_do && i < h->nsig && n < ANS_MAX_RRS; i++)
		if (cache_hit_rr(h, h->n + i, &rrs[n]) == 0) {
			rrs[n].ttl = eng_ttl_client(e, rrs[n].ttl);
			n++;
		}
	if (n)
		dns_mb_rrset(b, s, rrs, n);
}

bool eng_norec_answer(res_engine *e, struct query *q, uint64_t now)
{
	uint64_t now_s = now / 1000;
	dns_name cut;
	if (!closest_cut(e, q, &q->chain[q->nchain - 1], now_s, &cut)) {
		eng_answer_error(e, q, DNS_RCODE_REFUSED, EDE_NOT_AUTHORITATIVE,
		                 "recursion not desired and nothing cached");
		return false;
	}
	if (val_referral_prepare(e, q, &cut, now_s))
		return true; /* a DNSKEY or DS sub-query was pushed */
	if (val_answer_bogus(e, q)) {
		eng_answer_error(e, q, DNS_RCODE_SERVFAIL, q->val.ede,
		                 q->val.text);
		return false;
	}
	uint8_t *buf = malloc(DNS_MSG_MAXLEN);
	if (!buf) {
		q->used = false;
		return false;
	}
	dns_mb b;
	size_t len = 0;
	eng_mb_start(e, q, &b, buf, DNS_MSG_MAXLEN, DNS_RCODE_NOERROR);
	if (val_answer_ad(e, q))
		dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_QR | DNS_FLAG_RA |
		                 DNS_FLAG_AD | (q->cflags & DNS_FLAG_CD)));
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	struct cache_hit h;
	for (unsigned i = 0; i + 1 < q->nchain; i++) { /* the chain so far */
		if (i < q->n_local) {
			dns_rr lrr;
			eng_local_cname_rr(q, i, &lrr);
			dns_mb_rr(&b, DNS_SEC_ANSWER, &lrr);
			continue;
		}
		if (!cache_get(e->cache, &q->chain[i], DNS_T_CNAME, DNS_C_IN,
		               now_s, &h) || h.kind != CACHE_POSITIVE)
			break;
		eng_add_dname(e, q, &b, i, now_s);
		put_set(e, q, &b, DNS_SEC_ANSWER, &h);
	}
	bool secure = e->val && q->val.status == VAL_SECURE;
	dns_name names[RES_MAX_NS_NAMES];
	size_t nn = 0;
	if (cache_get(e->cache, &cut, DNS_T_NS, DNS_C_IN, now_s, &h)) {
		put_set(e, q, &b, DNS_SEC_AUTHORITY, &h);
		for (size_t i = 0; i < h.n && nn < RES_MAX_NS_NAMES; i++) {
			dns_rr rr;
			if (cache_hit_rr(&h, i, &rr) == 0 &&
			    dns_name_from_wire(&names[nn], rr.rdata, rr.rdlen) == 0)
				nn++;
		}
	}
	for (size_t i = 0; i < nn; i++)
		for (int t = 0; t < 2; t++) {
			struct cache_hit a;
			if (cache_get(e->cache, &names[i], t ? DNS_T_AAAA : DNS_T_A,
			              DNS_C_IN, now_s, &a) &&
			    a.kind == CACHE_POSITIVE &&
			    (!secure || a.status == VAL_SECURE))
				put_set(e, q, &b, DNS_SEC_ADDITIONAL, &a);
		}
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		eng_answer_error(e, q, DNS_RCODE_SERVFAIL, EDE_OTHER,
		                 "answer could not be built");
		return false;
	}
	eng_emit_data(e, q, buf, len);
	return false;
}
