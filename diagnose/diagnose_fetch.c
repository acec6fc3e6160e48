/* ward diagnose: where the records come from.
 *
 * Live (--server): a resolver asked with RD=1, DO=1 and CD=1, so it hands
 * over bogus data instead of SERVFAIL (RFC 4035 3.2.2), UDP then TCP when
 * the answer is truncated (diagnose/dns_transport.c).
 *
 * Offline (--pcap): the authoritative side of a captured resolution
 * (responses to RD=0 queries, as testbed/capture records them). A question
 * gets the captured authoritative response to the same question (AA=1
 * preferred). A DS question nobody asked is answered from a referral to
 * that name: the DS set it carried, or its NSEC/NSEC3 proof of no DS (RFC
 * 4035 3.1.4). A question that was asked but never answered is a timeout;
 * one never asked is "not in the capture". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "capture/capture.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "diagnose.h"
#include "dns_transport.h"

#define PCAP_MAX_RESP 100000

/* ---- live ---- */

struct diag_live {
	struct dns_server srv;
	int timeout_ms, tries;
	bool answered;
	bool dead;             /* the first question got no answer */
	int64_t deadline_ms;   /* CLOCK_MONOTONIC; 0: none */
	const atomic_bool *cancel;
};

int64_t diag_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int diag_deadline_clamp(int64_t deadline_ms, int *timeout_ms, int *tries)
{
	if (!deadline_ms)
		return 0;
	int64_t left = deadline_ms - diag_now_ms();
	if (left <= 0)
		return -1;
	if ((int64_t)*timeout_ms * *tries > left) {
		/* one try, cut to what is left: the exchange ends by the
		 * deadline (a TCP retry after TC=1 may take one more) */
		*tries = 1;
		if (*timeout_ms > left)
			*timeout_ms = (int)left;
	}
	return 0;
}

void diag_live_set_deadline(struct diag_live *l, int64_t deadline_ms)
{
	l->deadline_ms = deadline_ms;
}

void diag_live_set_cancel(struct diag_live *l, const atomic_bool *cancel)
{
	l->cancel = cancel;
}

struct diag_live *diag_live_new(const char *spec, int timeout_ms, int tries)
{
	struct diag_live *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if (dns_server_parse(spec, 53, &l->srv) < 0) {
		free(l);
		return NULL;
	}
	l->timeout_ms = timeout_ms;
	l->tries = tries;
	return l;
}

void diag_live_free(struct diag_live *l)
{
	free(l);
}

bool diag_live_answered(const struct diag_live *l)
{
	return l->answered;
}

int diag_live_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len)
{
	struct diag_live *l = ctx;
	if (l->dead)
		return DIAG_FETCH_TIMEOUT; /* never answered: do not wait again */
	uint8_t q[512];
	size_t qlen;
	uint16_t id = 0;
	if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
		id = (uint16_t)(uintptr_t)qname;
	dns_mb b;
	dns_mb_init(&b, q, sizeof q, sizeof q);
	dns_mb_set_id(&b, id);
	dns_mb_set_flags(&b, DNS_FLAG_RD | DNS_FLAG_CD);
	if (dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO) ||
	    dns_mb_question(&b, qname, qtype, DNS_C_IN) || dns_mb_finish(&b, &qlen))
		return DIAG_FETCH_TIMEOUT;
	struct dns_expect e = { id, qname, qtype };
	bool tcp;
	int timeout_ms = l->timeout_ms, tries = l->tries;
	if ((l->cancel && atomic_load(l->cancel)) ||
	    diag_deadline_clamp(l->deadline_ms, &timeout_ms, &tries) < 0)
		return DIAG_FETCH_TIMEOUT;
	ssize_t n = dns_exchange(&l->srv, q, qlen, &e, false, timeout_ms,
	                         tries, buf, cap, &tcp);
	if (n < 0) {
		l->dead = !l->answered;
		return DIAG_FETCH_TIMEOUT;
	}
	l->answered = true;
	*len = (size_t)n;
	return DIAG_FETCH_OK;
}

/* ---- offline ---- */

struct presp {
	dns_name qname;        /* lower case */
	uint16_t qtype;
	bool response;         /* false: a query that may have no answer */
	bool aa;
	bool tc;               /* truncated: the TCP retry is better */
	uint8_t *pkt;
	size_t len;
};

struct diag_pcap {
	struct presp *r;
	size_t n, cap;
	bool oom, have_t0;
	int64_t t0;
};

static void on_msg(const struct capture_msg *cm, void *user)
{
	struct diag_pcap *p = user;
	dns_msg m;
	dns_name qn;
	uint16_t qt;
	if (cm->kind != CAPTURE_DNS || p->oom || dns_msg_parse(&m, cm->data, cm->len) ||
	    dns_msg_question(&m, &qn, &qt, NULL) || (m.flags & DNS_FLAG_RD))
		return;
	if (!p->have_t0) {
		p->t0 = cm->ts.sec;
		p->have_t0 = true;
	}
	if (p->n >= PCAP_MAX_RESP)
		return;
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		struct presp *nr = realloc(p->r, nc * sizeof *nr);
		if (!nr) {
			p->oom = true;
			return;
		}
		p->r = nr;
		p->cap = nc;
	}
	struct presp *r = &p->r[p->n];
	memset(r, 0, sizeof *r);
	dns_name_lower(&qn);
	r->qname = qn;
	r->qtype = qt;
	r->response = m.flags & DNS_FLAG_QR;
	r->aa = m.flags & DNS_FLAG_AA;
	r->tc = m.flags & DNS_FLAG_TC;
	if (r->response) {
		if (!(r->pkt = malloc(cm->len))) {
			p->oom = true;
			return;
		}
		memcpy(r->pkt, cm->data, cm->len);
		r->len = cm->len;
	}
	p->n++;
}

struct diag_pcap *diag_pcap_load(const char *path, int64_t *t0, char *err,
                                 size_t errlen)
{
	struct diag_pcap *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	capture_t *cap = capture_new(NULL, on_msg, p);
	char why[256] = "";
	int r = cap ? capture_file_read(cap, path, why, sizeof why) : WARD_ENOMEM;
	capture_free(cap);
	if (r && r != WARD_ETRUNC) {
		snprintf(err, errlen, "%s", why[0] ? why : ward_strerror(r));
		diag_pcap_free(p);
		return NULL;
	}
	size_t nresp = 0;
	for (size_t i = 0; i < p->n; i++)
		nresp += p->r[i].response;
	if (p->oom || !nresp) {
		snprintf(err, errlen, p->oom ? "%s: out of memory" : "%s holds no "
		         "authoritative responses (answers to RD=0 queries): capture "
		         "on the resolver's upstream side", path);
		diag_pcap_free(p);
		return NULL;
	}
	*t0 = p->t0;
	return p;
}

void diag_pcap_free(struct diag_pcap *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->r[i].pkt);
	free(p->r);
	free(p);
}

/* A response to (qname, DS) made from a captured referral to qname: its
 * DS records, or its NSEC/NSEC3 proof (NODATA), with their RRSIGs. */
static int from_referral(const struct presp *r, const dns_name *qname,
                         uint8_t *buf, size_t cap, size_t *len)
{
	dns_msg m;
	if (dns_msg_parse(&m, r->pkt, r->len) || m.count[DNS_SEC_ANSWER])
		return -1;
	bool ns = false, ds = false, proof = false;
	dns_rr_iter it;
	dns_rr_view v;
	dns_name o;
	dns_rr_iter_init(&it, &m, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&it, &v) == 1) {
		if (dns_rr_view_owner(&m, &v, &o))
			continue;
		if (v.type == DNS_T_NS && dns_name_equal(&o, qname))
			ns = true;
		if (v.type == DNS_T_DS && dns_name_equal(&o, qname))
			ds = true;
		if (v.type == DNS_T_NSEC || v.type == DNS_T_NSEC3)
			proof = true;
	}
	if (!ns || (!ds && !proof))
		return -1;
	dns_mb b;
	if (dns_mb_init(&b, buf, cap, cap))
		return -1;
	dns_mb_set_id(&b, 0);
	dns_mb_set_flags(&b, DNS_FLAG_QR | DNS_FLAG_AA);
	if (dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO) ||
	    dns_mb_question(&b, qname, DNS_T_DS, DNS_C_IN))
		return -1;
	static uint8_t rd[DNS_MSG_MAXLEN];
	dns_rr_iter_init(&it, &m, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&it, &v) == 1) {
		dns_rr rr;
		if (dns_rr_view_to_rr(&m, &v, &rr, rd, sizeof rd))
			continue;
		uint16_t t = v.type == DNS_T_RRSIG && rr.rdlen >= 2
		             ? (uint16_t)(rr.rdata[0] << 8 | rr.rdata[1]) : v.type;
		if (ds && t == DNS_T_DS && dns_name_equal(&rr.owner, qname))
			dns_mb_rr(&b, DNS_SEC_ANSWER, &rr);
		else if (!ds && (t == DNS_T_NSEC || t == DNS_T_NSEC3))
			dns_mb_rr(&b, DNS_SEC_AUTHORITY, &rr);
	}
	return dns_mb_finish(&b, len) ? -1 : 0;
}

int diag_pcap_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len)
{
	struct diag_pcap *p = ctx;
	dns_name lq = *qname;
	dns_name_lower(&lq);
	const struct presp *best = NULL;
	bool asked = false;
	for (size_t i = 0; i < p->n; i++) {
		const struct presp *r = &p->r[i];
		if (r->qtype != qtype || !dns_name_equal(&r->qname, &lq))
			continue;
		asked = true;
		if (r->response && (!best || (r->aa && !best->aa) ||
		                    (best->tc && !r->tc)))
			best = r;
	}
	if (best && best->len <= cap) {
		memcpy(buf, best->pkt, best->len);
		*len = best->len;
		return DIAG_FETCH_OK;
	}
	if (qtype == DNS_T_DS)
		for (size_t i = 0; i < p->n; i++)
			if (p->r[i].response &&
			    from_referral(&p->r[i], &lq, buf, cap, len) == 0)
				return DIAG_FETCH_OK;
	return asked ? DIAG_FETCH_TIMEOUT : DIAG_FETCH_NONE;
}
