/* ward diagnose --recursive --root-hints FILE: no resolver in between. Each
 * question is asked of authoritative servers, from the root hints down the
 * referrals (RFC 1034 5.3.3), with RD=0, DO=1, CD=1: the answer that comes
 * back is exactly what the zone serves, bogus or not. A DS question goes to
 * the parent's servers (RFC 4035 3.1.4.1): the walk never follows the
 * referral to the name itself. Name servers without glue are resolved the
 * same way (at most DIAG_ITER_MAX_GLUELESS of them per referral, the NXNS
 * cap); delegations learnt are kept for the rest of the run. A server that
 * answers REFUSED/SERVFAIL or nothing is skipped for the next one; when
 * none is left the question timed out or gets the last bad answer. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/zone.h"
#include "diagnose.h"
#include "dns_transport.h"

#define DIAG_ITER_MAX_CUTS 64       /* delegations remembered */
#define DIAG_ITER_MAX_ADDRS 16      /* server addresses per delegation */
#define DIAG_ITER_MAX_REFERRALS 24  /* referrals followed per question */
#define DIAG_ITER_MAX_GLUELESS 4    /* NS names resolved per referral */
#define DIAG_ITER_MAX_DEPTH 3       /* nested NS-name resolutions */
#define DIAG_ITER_HINTS_MAX (1 << 20)

struct cut {
	dns_name zone;
	struct dns_server addr[DIAG_ITER_MAX_ADDRS];
	size_t n;
};

struct diag_iter {
	struct cut cuts[DIAG_ITER_MAX_CUTS];
	size_t ncuts;
	int timeout_ms, tries;
	bool answered;
	int64_t deadline_ms;        /* CLOCK_MONOTONIC; 0: none */
	const atomic_bool *cancel;  /* true: send nothing more */
};

static void add_addr(struct cut *c, int family, const uint8_t *ip)
{
	if (c->n >= DIAG_ITER_MAX_ADDRS)
		return;
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(family, ip, text, sizeof text))
		return;
	struct dns_server *s = &c->addr[c->n];
	if (dns_server_parse(text, 53, s) < 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->addr[i].text, s->text))
			return;
	c->n++;
}

struct diag_iter *diag_iter_new_servers(const struct dns_server *roots,
                                        size_t n, int timeout_ms, int tries)
{
	struct diag_iter *it = calloc(1, sizeof *it);
	if (!it)
		return NULL;
	it->timeout_ms = timeout_ms;
	it->tries = tries;
	struct cut *root = &it->cuts[it->ncuts++];
	dns_name_root(&root->zone);
	for (size_t i = 0; i < n && root->n < DIAG_ITER_MAX_ADDRS; i++)
		root->addr[root->n++] = roots[i];
	return it;
}

void diag_iter_set_deadline(struct diag_iter *it, int64_t deadline_ms)
{
	it->deadline_ms = deadline_ms;
}

void diag_iter_set_cancel(struct diag_iter *it, const atomic_bool *cancel)
{
	it->cancel = cancel;
}

struct diag_iter *diag_iter_new(const char *hints, int timeout_ms, int tries,
                                char *err, size_t errlen)
{
	FILE *f = fopen(hints, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", hints, strerror(errno));
		return NULL;
	}
	char *text = malloc(DIAG_ITER_HINTS_MAX);
	size_t len = text ? fread(text, 1, DIAG_ITER_HINTS_MAX, f) : 0;
	fclose(f);
	struct diag_iter *it = calloc(1, sizeof *it);
	uint8_t *buf = malloc(65536);
	if (!text || !it || !buf) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	it->timeout_ms = timeout_ms;
	it->tries = tries;
	struct cut *root = &it->cuts[it->ncuts++];
	dns_name_root(&root->zone);
	zone_parser p;
	zone_parser_init(&p, text, len, &root->zone, 3600, hints);
	dns_rr rr;
	int r;
	while ((r = zone_parser_next(&p, &rr, buf, 65536)) == 1) {
		if (rr.type == DNS_T_A && rr.rdlen == 4)
			add_addr(root, AF_INET, rr.rdata);
		else if (rr.type == DNS_T_AAAA && rr.rdlen == 16)
			add_addr(root, AF_INET6, rr.rdata);
	}
	if (r < 0)
		snprintf(err, errlen, "%s", p.errmsg);
	zone_parser_free(&p);
	if (r < 0)
		goto fail;
	if (!root->n) {
		snprintf(err, errlen, "%s: no A or AAAA record of a root server", hints);
		goto fail;
	}
	free(text);
	free(buf);
	return it;
fail:
	free(text);
	free(buf);
	free(it);
	return NULL;
}

void diag_iter_free(struct diag_iter *it)
{
	free(it);
}

bool diag_iter_answered(const struct diag_iter *it)
{
	return it->answered;
}

/* The deepest known cut above qname (at qname too unless for DS). */
static const struct cut *closest(const struct diag_iter *it,
                                 const dns_name *qname, bool strict)
{
	const struct cut *best = &it->cuts[0];
	for (size_t i = 1; i < it->ncuts; i++) {
		const struct cut *c = &it->cuts[i];
		if (!dns_name_is_subdomain(qname, &c->zone) ||
		    (strict && dns_name_equal(qname, &c->zone)))
			continue;
		if (c->zone.len > best->zone.len)
			best = c;
	}
	return best;
}

static ssize_t ask_one(struct diag_iter *it, const struct dns_server *s,
                       const dns_name *qname, uint16_t qtype, uint8_t *buf,
                       size_t cap)
{
	uint8_t q[512];
	size_t qlen;
	uint16_t id = 0;
	if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
		id = 0x5eed;
	dns_mb b;
	dns_mb_init(&b, q, sizeof q, sizeof q);
	dns_mb_set_id(&b, id);
	dns_mb_set_flags(&b, DNS_FLAG_CD);
	if (dns_mb_edns(&b, 1232, 0, EDNS_FLAG_DO) ||
	    dns_mb_question(&b, qname, qtype, DNS_C_IN) || dns_mb_finish(&b, &qlen))
		return -1;
	struct dns_expect e = { id, qname, qtype };
	bool tcp;
	int timeout_ms = it->timeout_ms, tries = it->tries;
	if ((it->cancel && atomic_load(it->cancel)) ||
	    diag_deadline_clamp(it->deadline_ms, &timeout_ms, &tries) < 0)
		return -1;
	return dns_exchange(s, q, qlen, &e, false, timeout_ms, tries, buf, cap,
	                    &tcp);
}

static int resolve(struct diag_iter *it, const dns_name *qname, uint16_t qtype,
                   uint8_t *buf, size_t cap, size_t *len, unsigned depth);

/* The addresses of name server `ns` (its A records, asked iteratively). */
static void ns_addrs(struct diag_iter *it, const dns_name *ns, struct cut *c,
                     unsigned depth)
{
	uint8_t *buf = malloc(DNS_MSG_MAXLEN);
	size_t len;
	dns_msg m;
	if (!buf)
		return;
	if (resolve(it, ns, DNS_T_A, buf, DNS_MSG_MAXLEN, &len, depth + 1) ==
	    DIAG_FETCH_OK && dns_msg_parse(&m, buf, len) == 0) {
		dns_rr_iter ri;
		dns_rr_view v;
		dns_rr_iter_init(&ri, &m, DNS_SEC_ANSWER);
		while (dns_rr_iter_next(&ri, &v) == 1)
			if (v.type == DNS_T_A && v.rdlen == 4)
				add_addr(c, AF_INET, m.pkt + v.rdata_off);
	}
	free(buf);
}

/* A referral in m below `zone` and above-or-at qname: the new cut (its
 * addresses from glue, or resolved), or NULL. */
static struct cut *referral(struct diag_iter *it, const dns_msg *m,
                            const dns_name *zone, const dns_name *qname,
                            unsigned depth)
{
	if (m->count[DNS_SEC_ANSWER] || (m->flags & DNS_FLAG_AA) ||
	    dns_msg_rcode(m) != DNS_RCODE_NOERROR)
		return NULL;
	dns_rr_iter ri;
	dns_rr_view v;
	dns_name owner, nsn[DIAG_ITER_MAX_ADDRS];
	size_t nns = 0;
	bool have = false;
	dns_rr_iter_init(&ri, m, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&ri, &v) == 1) {
		dns_name o, t;
		if (v.type != DNS_T_NS || dns_rr_view_owner(m, &v, &o))
			continue;
		if (!dns_name_is_subdomain(qname, &o) || dns_name_equal(&o, zone) ||
		    !dns_name_is_subdomain(&o, zone) || (have && !dns_name_equal(&o, &owner)))
			continue;
		owner = o;
		have = true;
		wire_rd rd = wire_rd_init(m->pkt, m->len);
		wire_rd_skip(&rd, v.rdata_off);
		if (dns_name_read(&rd, &t, true) == 0 && nns < DIAG_ITER_MAX_ADDRS)
			nsn[nns++] = t;
	}
	if (!have || it->ncuts >= DIAG_ITER_MAX_CUTS)
		return NULL;
	struct cut *c = &it->cuts[it->ncuts];
	memset(c, 0, sizeof *c);
	c->zone = owner;
	dns_rr_iter_init(&ri, m, DNS_SEC_ADDITIONAL);
	while (dns_rr_iter_next(&ri, &v) == 1) {
		dns_name o;
		if (dns_rr_view_owner(m, &v, &o))
			continue;
		for (size_t i = 0; i < nns; i++) {
			if (!dns_name_equal(&o, &nsn[i]))
				continue;
			if (v.type == DNS_T_A && v.rdlen == 4)
				add_addr(c, AF_INET, m->pkt + v.rdata_off);
			else if (v.type == DNS_T_AAAA && v.rdlen == 16)
				add_addr(c, AF_INET6, m->pkt + v.rdata_off);
		}
	}
	it->ncuts++; /* before resolving names: no loop through it */
	c = &it->cuts[it->ncuts - 1];
	for (size_t i = 0; !c->n && i < nns && i < DIAG_ITER_MAX_GLUELESS &&
	     depth < DIAG_ITER_MAX_DEPTH; i++)
		if (!dns_name_is_subdomain(&nsn[i], &owner)) /* glueless */
			ns_addrs(it, &nsn[i], c, depth);
	return c;
}

static int resolve(struct diag_iter *it, const dns_name *qname, uint16_t qtype,
                   uint8_t *buf, size_t cap, size_t *len, unsigned depth)
{
	const struct cut *c = closest(it, qname, qtype == DNS_T_DS);
	bool got_bad = false;
	for (unsigned hop = 0; hop < DIAG_ITER_MAX_REFERRALS; hop++) {
		bool next = false;
		got_bad = false;
		for (size_t i = 0; i < c->n && !next; i++) {
			ssize_t n = ask_one(it, &c->addr[i], qname, qtype, buf, cap);
			dns_msg m;
			if (n < 0 || dns_msg_parse(&m, buf, (size_t)n))
				continue;
			it->answered = true;
			*len = (size_t)n;
			uint16_t rc = dns_msg_rcode(&m);
			if (rc != DNS_RCODE_NOERROR && rc != DNS_RCODE_NXDOMAIN) {
				got_bad = true; /* lame: try another server */
				continue;
			}
			if (qtype == DNS_T_DS && c->zone.len == qname->len &&
			    dns_name_equal(&c->zone, qname))
				return DIAG_FETCH_OK;
			const struct cut *nc = referral(it, &m, &c->zone, qname, depth);
			if (!nc)
				return DIAG_FETCH_OK; /* an answer, NXDOMAIN or NODATA */
			if (qtype == DNS_T_DS && dns_name_equal(&nc->zone, qname))
				return DIAG_FETCH_OK; /* a parent that refers instead of
				                       * answering: its NSEC/DS shows it */
			if (!nc->n)
				return DIAG_FETCH_TIMEOUT; /* no address for any server */
			/* asking the referral of the same cut again: stuck */
			if (dns_name_equal(&nc->zone, &c->zone))
				return DIAG_FETCH_OK;
			/* the referral's buffer is reused: re-read it later */
			c = nc;
			next = true;
		}
		if (!next)
			return got_bad ? DIAG_FETCH_OK : DIAG_FETCH_TIMEOUT;
	}
	return DIAG_FETCH_TIMEOUT;
}

int diag_iter_fetch(void *ctx, const dns_name *qname, uint16_t qtype,
                    uint8_t *buf, size_t cap, size_t *len)
{
	return resolve(ctx, qname, qtype, buf, cap, len, 0);
}
