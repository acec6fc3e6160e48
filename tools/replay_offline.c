/* ward replay --pcap FILE --offline NAME [TYPE]: the frozen Internet. The
 * authoritative side of a captured resolution (responses to RD=0 queries,
 * e.g. testbed/capture or tcpdump on a resolver) becomes a simulated
 * network, and ward's own engine resolves NAME against it on a virtual
 * clock starting at the capture's time. No packet leaves the process.
 *
 * A query of the engine to server S for (qname, qtype) gets the response S
 * gave in the capture to the same question (ID rewritten). Failing that, a
 * referral S gave for a zone above qname is used with the question
 * replaced (a referral holds for every name below the cut). Otherwise the
 * query times out. The root hints are the servers asked the priming query
 * (". NS") in the capture, else the server of the first RD=0 query.
 *
 * No validation yet: the engine on this branch has no validator, so a
 * bogus domain resolves to its data (as with CD=1).
 *
 * Exit status: 0 an answer (any rcode), 1 no answer, 2 error. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "capture/capture.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/cache.h"
#include "resolver/engine.h"

#define OFF_MAX_RESP 100000    /* responses kept from one capture */
#define OFF_MAX_HINTS 16
#define OFF_MAX_STEPS 100000   /* engine actions per run */
#define OFF_MAX_VIRTUAL_MS (600u * 1000u)

struct off_resp {
	struct res_addr from;
	dns_name qname;         /* lower case */
	uint16_t qtype;
	uint8_t *pkt;
	size_t len;
	bool referral;          /* no answer, NS records in authority */
	dns_name cut;           /* the referral's zone (NS owner) */
};

struct off_load {
	struct off_resp *r;
	size_t n, cap;
	struct res_hint hints[OFF_MAX_HINTS];
	size_t n_hints;
	struct res_addr first_dst;
	bool have_first;
	capture_ts t0;
	bool have_t0;
	bool oom;
};

static void lower_name(dns_name *n)
{
	for (size_t i = 0; i < n->len;) {
		uint8_t l = n->wire[i];
		for (size_t j = i + 1; j <= i + l && j < n->len; j++)
			n->wire[j] = (uint8_t)tolower(n->wire[j]);
		i += (size_t)l + 1;
		if (!l)
			break;
	}
}

static void to_addr(struct res_addr *a, int family, const uint8_t *ip, uint16_t port)
{
	memset(a, 0, sizeof *a);
	a->family = (uint8_t)family;
	memcpy(a->ip, ip, family == 6 ? 16 : 4);
	a->port = port;
}

static bool addr_eq(const struct res_addr *a, const struct res_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4);
}

static void add_hint(struct off_load *L, const struct res_addr *a)
{
	for (size_t i = 0; i < L->n_hints; i++)
		if (addr_eq(&L->hints[i].addr, a))
			return;
	if (L->n_hints == OFF_MAX_HINTS)
		return;
	struct res_hint *h = &L->hints[L->n_hints];
	char text[64];
	snprintf(text, sizeof text, "hint%zu.offline.", L->n_hints);
	const dns_name root = { 1, { 0 } };
	dns_name_from_text(&h->name, text, strlen(text), &root);
	h->addr = *a;
	L->n_hints++;
}

static void on_msg(const struct capture_msg *cm, void *user)
{
	struct off_load *L = user;
	dns_msg m;
	dns_name qn;
	uint16_t qt;
	if (cm->kind != CAPTURE_DNS || L->oom || dns_msg_parse(&m, cm->data, cm->len) ||
	    dns_msg_question(&m, &qn, &qt, NULL) || (m.flags & DNS_FLAG_RD))
		return;
	if (!L->have_t0) {
		L->t0 = cm->ts;
		L->have_t0 = true;
	}
	if (!(m.flags & DNS_FLAG_QR)) {
		struct res_addr dst;
		to_addr(&dst, cm->family, cm->dst, cm->dport);
		if (!L->have_first) {
			L->first_dst = dst;
			L->have_first = true;
		}
		if (qn.len == 1 && qt == DNS_T_NS)
			add_hint(L, &dst);
		return;
	}
	if (L->n >= OFF_MAX_RESP)
		return;
	if (L->n == L->cap) {
		size_t nc = L->cap ? L->cap * 2 : 64;
		struct off_resp *nr = realloc(L->r, nc * sizeof *nr);
		if (!nr) {
			L->oom = true;
			return;
		}
		L->r = nr;
		L->cap = nc;
	}
	struct off_resp *r = &L->r[L->n];
	memset(r, 0, sizeof *r);
	to_addr(&r->from, cm->family, cm->src, cm->sport);
	lower_name(&qn);
	r->qname = qn;
	r->qtype = qt;
	if (!(r->pkt = malloc(cm->len))) {
		L->oom = true;
		return;
	}
	memcpy(r->pkt, cm->data, cm->len);
	r->len = cm->len;
	if (m.count[DNS_SEC_ANSWER] == 0 && DNS_RCODE(m.flags) == DNS_RCODE_NOERROR) {
		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, &m, DNS_SEC_AUTHORITY);
		while (dns_rr_iter_next(&it, &v) == 1)
			if (v.type == DNS_T_NS && dns_rr_view_owner(&m, &v, &r->cut) == 0) {
				lower_name(&r->cut);
				r->referral = true;
				break;
			}
	}
	L->n++;
}

/* Is n at or below zone (both lower case)? */
static bool name_under(const dns_name *n, const dns_name *zone)
{
	if (zone->len > n->len)
		return false;
	/* compare label-aligned suffixes */
	size_t off = 0;
	while (n->len - off > zone->len) {
		off += (size_t)n->wire[off] + 1;
		if (off >= n->len)
			return false;
	}
	return n->len - off == zone->len && !memcmp(n->wire + off, zone->wire, zone->len);
}

/* The captured response `r` as an answer to query (id, qname, qtype):
 * the question replaced, every record copied. */
static int rebuild(const struct off_resp *r, uint16_t id, const dns_name *qname,
                   uint16_t qtype, uint8_t *out, size_t cap, size_t *len)
{
	dns_msg m;
	if (dns_msg_parse(&m, r->pkt, r->len))
		return -1;
	dns_mb b;
	int e = dns_mb_init(&b, out, cap, cap);
	if (e)
		return e;
	dns_mb_set_id(&b, id);
	dns_mb_set_flags(&b, m.flags);
	dns_mb_set_rcode(&b, DNS_RCODE(m.flags));
	if (m.has_opt) {
		edns_info ei;
		if (edns_from_msg(&m, &ei) == 0 && (e = dns_mb_edns(&b, ei.udp_size, 0, ei.flags)))
			return e;
	}
	if ((e = dns_mb_question(&b, qname, qtype, DNS_C_IN)))
		return e;
	uint8_t *rd = malloc(DNS_MSG_MAXLEN);
	if (!rd)
		return WARD_ENOMEM;
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL && !e; s++) {
		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, &m, (enum dns_section)s);
		while (!e && dns_rr_iter_next(&it, &v) == 1) {
			dns_rr rr;
			if (v.type == DNS_T_OPT)
				continue;
			if ((e = dns_rr_view_to_rr(&m, &v, &rr, rd, DNS_MSG_MAXLEN)))
				break;
			int a = dns_mb_rr(&b, (enum dns_section)s, &rr);
			if (a && a != WARD_ESPACE)
				e = a;
		}
	}
	free(rd);
	return e ? e : dns_mb_finish(&b, len);
}

/* The captured reply for one engine query, into out; 0, or -1 (none). */
static int lookup(const struct off_load *L, const struct res_addr *dst,
                  const uint8_t *q, size_t qlen, uint8_t *out, size_t cap,
                  size_t *len, bool *used_referral)
{
	dns_msg m;
	dns_name qn, lq;
	uint16_t qt;
	if (dns_msg_parse(&m, q, qlen) || dns_msg_question(&m, &qn, &qt, NULL))
		return -1;
	lq = qn;
	lower_name(&lq);
	const struct off_resp *best = NULL;
	*used_referral = false;
	for (size_t i = 0; i < L->n; i++) {
		const struct off_resp *r = &L->r[i];
		if (addr_eq(&r->from, dst) && r->qtype == qt && dns_name_equal(&r->qname, &lq)) {
			best = r;
			break;
		}
	}
	if (!best) {
		/* the deepest referral from this server that covers qname */
		for (size_t i = 0; i < L->n; i++) {
			const struct off_resp *r = &L->r[i];
			if (r->referral && addr_eq(&r->from, dst) && name_under(&lq, &r->cut) &&
			    (!best || r->cut.len > best->cut.len))
				best = r;
		}
		if (!best)
			return -1;
		*used_referral = true;
	}
	return rebuild(best, m.id, &qn, qt, out, cap, len) ? -1 : 0;
}

static void offline_random(void *ctx, uint8_t *buf, size_t n)
{
	uint32_t *s = ctx;
	for (size_t i = 0; i < n; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
}

static void addr_text(const struct res_addr *a, char *buf, size_t cap)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->ip, ip, sizeof ip);
	snprintf(buf, cap, "%s#%u", ip, a->port);
}

int replay_offline_main(const char *pcap, const char *name, const char *type,
                        bool dnssec, bool cd, bool trace, bool json)
{
	struct off_load L;
	memset(&L, 0, sizeof L);
	int rc = 2;
	uint16_t qtype = DNS_T_A;
	dns_name qname;
	if (type && dns_type_from_text(type, strlen(type), &qtype)) {
		fprintf(stderr, "ward replay: bad type '%s'\n", type);
		return 2;
	}
	const dns_name root = { 1, { 0 } };
	if (dns_name_from_text(&qname, name, strlen(name), &root)) {
		fprintf(stderr, "ward replay: bad name '%s'\n", name);
		return 2;
	}
	capture_t *cap = capture_new(NULL, on_msg, &L);
	char why[256] = "";
	int r = cap ? capture_file_read(cap, pcap, why, sizeof why) : WARD_ENOMEM;
	capture_free(cap);
	cache_t *cache = NULL;
	res_engine *e = NULL;
	if (r && r != WARD_ETRUNC) {
		fprintf(stderr, "ward replay: %s\n", why[0] ? why : ward_strerror(r));
		goto out;
	}
	if (L.oom) {
		fprintf(stderr, "ward replay: %s: out of memory\n", pcap);
		goto out;
	}
	if (!L.n_hints && L.have_first)
		add_hint(&L, &L.first_dst);
	if (!L.n_hints || !L.n) {
		fprintf(stderr, "ward replay: %s holds no authoritative side (no responses "
		        "to RD=0 queries): capture on the resolver's upstream side\n", pcap);
		goto out;
	}
	struct res_config cfg;
	res_config_defaults(&cfg);
	uint32_t seed = 0x0ff1;
	cfg.mode = RES_MODE_RECURSIVE;
	cfg.hints = L.hints;
	cfg.n_hints = L.n_hints;
	cfg.random = offline_random;
	cfg.random_ctx = &seed;
	struct cache_config cc;
	cache_config_defaults(&cc);
	cache = cache_new(&cc);
	e = cache ? res_engine_new(&cfg, cache) : NULL;
	if (!e) {
		fprintf(stderr, "ward replay: cannot start an engine\n");
		goto out;
	}
	uint8_t q[512];
	size_t qlen;
	dns_mb b;
	dns_mb_init(&b, q, sizeof q, sizeof q);
	dns_mb_set_id(&b, 0x0ff1);
	dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_RD | DNS_FLAG_AD | (cd ? DNS_FLAG_CD : 0)));
	if (dns_mb_edns(&b, 1232, 0, dnssec ? EDNS_FLAG_DO : 0) ||
	    dns_mb_question(&b, &qname, qtype, DNS_C_IN) || dns_mb_finish(&b, &qlen)) {
		fprintf(stderr, "ward replay: cannot build the query\n");
		goto out;
	}
	uint64_t start = (uint64_t)L.t0.sec * 1000u + L.t0.nsec / 1000000u;
	uint64_t now = start;
	static uint8_t reply[DNS_MSG_MAXLEN];
	unsigned asked = 0, exact = 0, referral = 0, missing = 0;
	bool answered = false;
	res_query_start(e, 1, q, qlen, false, now);
	for (int steps = 0; steps < OFF_MAX_STEPS && !answered; steps++) {
		struct res_action a;
		if (res_next_action(e, now, &a) == 1) {
			if (a.kind == RES_ACT_ANSWER) {
				dns_msg m;
				dns_msg_parse(&m, a.buf, a.len);
				char *out = malloc(1 << 20);
				if (out) {
					strbuf sb = strbuf_init(out, 1 << 20);
					if (json) {
						dns_msg_print_json(&m, &sb);
						printf("%s\n", out);
					} else {
						dns_msg_print(&m, &sb);
						printf("; <<>> ward replay --offline <<>> %s %s (capture %s)\n%s",
						       name, type ? type : "A", pcap, out);
					}
					free(out);
				}
				answered = true;
			} else if (a.kind == RES_ACT_SEND) {
				char at[160];
				size_t rl;
				bool ref;
				uint32_t token = a.token;
				struct res_addr dst = a.dst;
				bool tcp = a.tcp;
				asked++;
				addr_text(&dst, at, sizeof at);
				if (trace) {
					/* "ADDR NAME TYPE" for the trace lines */
					dns_msg qm;
					dns_name tn;
					uint16_t tt;
					char nb[DNS_NAME_TEXT_MAX], tb[16];
					size_t al = strlen(at);
					if (dns_msg_parse(&qm, a.buf, a.len) == 0 &&
					    dns_msg_question(&qm, &tn, &tt, NULL) == 0)
						snprintf(at + al, sizeof at - al, " %.40s %s",
						         dns_name_str(&tn, nb), dns_type_str(tt, tb));
				}
				if (lookup(&L, &dst, a.buf, a.len, reply, sizeof reply, &rl, &ref) == 0) {
					ref ? referral++ : exact++;
					if (trace)
						fprintf(stderr, ";; %s: %s\n", at, ref ? "referral from the capture" : "captured reply");
					res_upstream_reply(e, token, &dst, tcp, reply, rl, now);
				} else {
					missing++;
					if (trace)
						fprintf(stderr, ";; %s: not in the capture, timed out\n", at);
					res_upstream_fail(e, token, true, now);
				}
			}
			continue;
		}
		uint64_t w = res_next_wakeup(e);
		if (w == UINT64_MAX || w - start > OFF_MAX_VIRTUAL_MS)
			break;
		now = w > now ? w : now + 1;
		res_tick(e, now);
	}
	fprintf(stderr, "replay --offline: %zu captured responses from %zu hint server%s; "
	        "the engine asked %u: %u captured replies, %u referrals reused, %u not in the capture\n",
	        L.n, L.n_hints, L.n_hints == 1 ? "" : "s", asked, exact, referral, missing);
	if (!answered)
		fprintf(stderr, "ward replay: the engine gave no answer\n");
	rc = answered ? 0 : 1;
out:
	res_engine_free(e);
	cache_free(cache);
	for (size_t i = 0; i < L.n; i++)
		free(L.r[i].pkt);
	free(L.r);
	return rc;
}
