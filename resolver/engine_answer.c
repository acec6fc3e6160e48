/* ward resolver: answers to the client, built and queued — the header
 * from the client's query (EDNS size, RD/CD), errors with their EDE
 * (RFC 8914), the CNAME chain so far, and answers from the cache (the path
 * of every cache hit: its helpers stay static here so that they inline).
 * Sans-I/O: see engine.h and docs/resolver.md. */
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine.h"
#include "resolver/engine_int.h"

static uint16_t client_limit(const res_engine *e, const struct query *q)
{
	if (q->c_tcp)
		return DNS_MSG_MAXLEN;
	if (!q->c_edns)
		return 512;
	uint16_t l = q->c_udp < 512 ? 512 : q->c_udp;
	return l < e->cfg.client_edns_max ? l : e->cfg.client_edns_max;
}

static void mb_start(res_engine *e, const struct query *q, dns_mb *b,
                     uint8_t *buf, size_t cap, uint16_t rcode)
{
	dns_mb_init(b, buf, cap, client_limit(e, q));
	dns_mb_set_id(b, q->cid);
	dns_mb_set_flags(b, (uint16_t)(DNS_FLAG_QR | DNS_FLAG_RA |
	                 (q->cflags & (DNS_FLAG_RD | DNS_FLAG_CD))));
	dns_mb_set_rcode(b, rcode);
	if (q->c_edns)
		dns_mb_edns(b, e->cfg.client_edns_max, 0,
		            q->c_do ? EDNS_FLAG_DO : 0);
}

uint8_t *eng_answer_buf(res_engine *e)
{
	uint8_t *buf = e->spare;
	e->spare = NULL;
	return buf ? buf : malloc(DNS_MSG_MAXLEN);
}

/* An answer buffer with q's header in it (mb_start), or NULL when there is
 * no buffer: q then ends without an answer. */
static uint8_t *answer_start(res_engine *e, struct query *q, dns_mb *b,
                             uint16_t rcode)
{
	uint8_t *buf = eng_answer_buf(e);
	if (!buf) {
		q->used = false;
		return NULL;
	}
	mb_start(e, q, b, buf, DNS_MSG_MAXLEN, rcode);
	return buf;
}

static void emit_answer(res_engine *e, struct query *q, uint8_t *buf,
                        size_t len)
{
	if (q->internal) { /* a prefetch: nobody waits for the answer */
		free(buf);
		q->used = false;
		return;
	}
	struct act a = { .kind = RES_ACT_ANSWER, .tag = q->tag, .buf = buf,
	                 .len = len };
	eng_push_act(e, &a);
	e->st.answers++;
	q->used = false;
}

/* Answers with data from the cache or an upstream go out through
 * filter-A / filter-AAAA / filter-rr (answer_filter.h); local data, blocked
 * names and the minimal ANY are the operator's own and go as they are
 * (eng_emit_answer). */
static void emit_data(res_engine *e, struct query *q, uint8_t *buf,
                      size_t len)
{
	if (answer_filter_on(&e->cfg.filter) && !q->internal) {
		uint8_t *out = eng_answer_buf(e);
		size_t olen;
		if (out && answer_filter_apply(&e->cfg.filter, buf, len, out,
		                               DNS_MSG_MAXLEN, &olen) == 1) {
			free(buf);
			buf = out;
			len = olen;
			e->st.filtered++;
		} else {
			free(out);
		}
	}
	emit_answer(e, q, buf, len);
}

void eng_emit_data(res_engine *e, struct query *q, uint8_t *buf, size_t len)
{
	emit_data(e, q, buf, len);
}

void eng_answer_error(res_engine *e, struct query *q, uint16_t rcode,
                      uint16_t ede, const char *text)
{
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = answer_start(e, q, &b, rcode);
	if (!buf)
		return;
	dns_mb_question(&b, &q->qname_orig, q->qtype, q->qclass);
	if (rcode == DNS_RCODE_SERVFAIL && !text) /* RFC 8914: always say why */
		text = "internal error";
	if (q->c_edns && text && !e->cfg.no_ede)
		dns_mb_edns_ede(&b, ede, text, strlen(text));
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		q->used = false;
		return;
	}
	if (rcode == DNS_RCODE_SERVFAIL)
		e->st.servfail++;
	emit_answer(e, q, buf, len);
}

void eng_answer_rcode_rrs(res_engine *e, struct query *q, uint16_t rcode,
                          const dns_rr *rrs, size_t n, uint64_t now_s)
{
	dns_mb b;
	size_t len = 0;
	uint8_t *buf = answer_start(e, q, &b, rcode);
	if (!buf)
		return;
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	for (unsigned i = 0; i + 1 < q->nchain; i++) { /* the chain so far */
		struct cache_hit c;
		if (!cache_get(e->cache, &q->chain[i], DNS_T_CNAME, DNS_C_IN,
		               now_s, &c) || c.kind != CACHE_POSITIVE)
			break;
		eng_add_dname(e, q, &b, i, now_s);
		for (size_t k = 0; k < c.n; k++) {
			dns_rr rr;
			if (cache_hit_rr(&c, k, &rr) == 0)
				dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
		}
	}
	for (size_t i = 0, j; i < n; i = j) { /* one RRset per run */
		for (j = i + 1; j < n && rrs[j].type == rrs[i].type &&
		                dns_name_equal(&rrs[j].owner, &rrs[i].owner); j++)
			;
		dns_mb_rrset(&b, DNS_SEC_ANSWER, rrs + i, j - i);
	}
	q->waiting = false;
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		q->used = false;
		return;
	}
	emit_data(e, q, buf, len);
}

void eng_servfail(res_engine *e, struct query *q, uint16_t ede,
                  const char *text)
{
	eng_answer_error(e, q, DNS_RCODE_SERVFAIL, ede, text);
}

/* Add a cached entry's records (and RRSIGs when DO) to a section. */
static int add_hit(const res_engine *e, const struct query *q, dns_mb *b,
                   enum dns_section s, const struct cache_hit *h)
{
	dns_rr rrs[ANS_MAX_RRS];
	size_t n = 0, nsig = 0;
	for (size_t i = 0; i < h->n && n < ANS_MAX_RRS; i++)
		if (cache_hit_rr(h, i, &rrs[n]) == 0) {
			if (!q->c_do && h->kind != CACHE_POSITIVE &&
			    (rrs[n].type == DNS_T_NSEC || rrs[n].type == DNS_T_NSEC3))
				continue; /* denial proofs only with DO (RFC 4035 §3.2.1) */
			rrs[n].ttl = eng_ttl_client(e, rrs[n].ttl); /* max-ttl */
			n++;
		}
	if (n && dns_mb_rrset(b, s, rrs, n) < 0 && !dns_mb_truncated(b))
		return WARD_ESPACE;
	if (q->c_do) {
		for (size_t i = 0; i < h->nsig && nsig < ANS_MAX_RRS; i++)
			if (cache_hit_rr(h, h->n + i, &rrs[nsig]) == 0) {
				rrs[nsig].ttl = eng_ttl_client(e, rrs[nsig].ttl);
				nsig++;
			}
		if (nsig)
			dns_mb_rrset(b, s, rrs, nsig);
	}
	return 0;
}

void eng_answer_from_cache(res_engine *e, struct query *q, uint64_t now_s)
{
	uint8_t *buf = eng_answer_buf(e);
	if (!buf) {
		q->used = false;
		return;
	}
	dns_mb b;
	size_t len = 0;
	struct cache_hit h;
	uint16_t rcode = DNS_RCODE_NOERROR;
	const dns_name *last = &q->chain[q->nchain - 1];
	/* the final lookup decides the rcode before anything is written */
	bool have = cache_get(e->cache, last, q->qtype, DNS_C_IN, now_s, &h);
	if (have && h.kind == CACHE_NXDOMAIN)
		rcode = DNS_RCODE_NXDOMAIN;
	if (val_answer_bogus(e, q)) { /* DNSSEC: SERVFAIL with the reason */
		free(buf);
		eng_servfail(e, q, q->val.ede, q->val.text);
		return;
	}
	mb_start(e, q, &b, buf, DNS_MSG_MAXLEN, rcode);
	val_answer_edns(e, q, &b); /* insecure: EDE 1, 2 or 27 */
	if (val_answer_ad(e, q))
		dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_QR | DNS_FLAG_RA |
		                 DNS_FLAG_AD | (q->cflags & (DNS_FLAG_RD | DNS_FLAG_CD))));
	dns_mb_question(&b, &q->qname_orig, q->qtype, DNS_C_IN);
	for (unsigned i = 0; i + 1 < q->nchain; i++) {
		struct cache_hit c;
		if (i < q->n_local) { /* local CNAMEs in front (engine_local.c) */
			dns_rr lrr;
			eng_local_cname_rr(q, i, &lrr);
			dns_mb_rr(&b, DNS_SEC_ANSWER, &lrr);
			continue;
		}
		if (!cache_get(e->cache, &q->chain[i], DNS_T_CNAME, DNS_C_IN,
		               now_s, &c) || c.kind != CACHE_POSITIVE) {
			free(buf);
			eng_servfail(e, q, EDE_OTHER, "CNAME chain left the cache");
			return;
		}
		eng_add_dname(e, q, &b, i, now_s);
		add_hit(e, q, &b, DNS_SEC_ANSWER, &c);
	}
	if (!have)
		have = cache_get(e->cache, last, q->qtype, DNS_C_IN, now_s, &h);
	if (!have) {
		free(buf);
		eng_servfail(e, q, EDE_OTHER, "answer left the cache");
		return;
	}
	if (q->qtype == DNS_T_CNAME && h.kind == CACHE_POSITIVE) /* RFC 6672 §3.4 */
		eng_add_dname(e, q, &b, q->nchain - 1, now_s);
	if (q->qtype == DNS_T_ANY && h.kind == CACHE_POSITIVE) {
		/* an ANY answer: its RRsets, each from its own entry */
		uint16_t types[RES_ANY_MAX_TYPES];
		size_t nt = eng_any_types(&h, types, RES_ANY_MAX_TYPES);
		for (size_t i = 0; i < nt; i++) {
			struct cache_hit s;
			if (!cache_get(e->cache, last, types[i], DNS_C_IN, now_s,
			               &s) || s.kind != CACHE_POSITIVE) {
				free(buf);
				eng_servfail(e, q, EDE_OTHER, "answer left the cache");
				return;
			}
			add_hit(e, q, &b, DNS_SEC_ANSWER, &s);
		}
	} else {
		add_hit(e, q, &b, h.kind == CACHE_POSITIVE ? DNS_SEC_ANSWER
		                                        : DNS_SEC_AUTHORITY, &h);
	}
	/* DO: wildcard NSEC/NSEC3 first, so that a size limit cuts the NS
	 * set rather than the proofs (TC either way, RFC 4035 §3.1.1) */
	val_add_proofs(e, q, &b, now_s);
	eng_add_sections(e, q, &b, h.kind == CACHE_POSITIVE, now_s);
	if (dns_mb_finish(&b, &len) < 0) {
		free(buf);
		eng_servfail(e, q, EDE_OTHER, "answer could not be built");
		return;
	}
	emit_data(e, q, buf, len);
}

/* ---- for the other engine files (engine_int.h) ---- */

void eng_mb_start(res_engine *e, const struct query *q, dns_mb *b,
                  uint8_t *buf, size_t cap, uint16_t rcode)
{
	mb_start(e, q, b, buf, cap, rcode);
}

uint8_t *eng_answer_start(res_engine *e, struct query *q, dns_mb *b,
                          uint16_t rcode)
{
	return answer_start(e, q, b, rcode);
}

void eng_emit_answer(res_engine *e, struct query *q, uint8_t *buf, size_t len)
{
	emit_answer(e, q, buf, len);
}
