/* ward tests: simulated authoritative servers + engine driver. See .h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "codec/zone.h"
#include "helper_simnet.h"

#define SIM_MAX_SERVERS 64
#define SIM_MAX_ZONES 8
#define SIM_MAX_RRS 512
#define SIM_PENDING 256

struct sim_zone {
	dns_name origin;
	dns_rr rr[SIM_MAX_RRS];
	uint8_t *data[SIM_MAX_RRS];
	size_t n;
};

struct sim_server {
	char ip[16];
	struct res_addr addr;
	unsigned flags, delay;
	struct sim_zone *zones[SIM_MAX_ZONES];
	size_t nz;
};

struct sim_pending {
	uint64_t at;
	uint32_t token;
	struct res_addr from;
	bool tcp;
	uint8_t *buf;
	size_t len;
};

struct simnet {
	struct sim_server srv[SIM_MAX_SERVERS];
	size_t ns;
	struct sim_log log[SIM_LOG_MAX];
	size_t nlog;
	struct sim_pending pend[SIM_PENDING];
	size_t npend;
};

void simnet_addr(const char *ip, struct res_addr *a)
{
	unsigned b[4] = { 0, 0, 0, 0 };
	memset(a, 0, sizeof(*a));
	sscanf(ip, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	a->family = 4;
	for (int i = 0; i < 4; i++)
		a->ip[i] = (uint8_t)b[i];
	a->port = 53;
}

struct simnet *simnet_new(void)
{
	return calloc(1, sizeof(struct simnet));
}

void simnet_free(struct simnet *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->ns; i++)
		for (size_t z = 0; z < n->srv[i].nz; z++) {
			struct sim_zone *zn = n->srv[i].zones[z];
			for (size_t r = 0; r < zn->n; r++)
				free(zn->data[r]);
			free(zn);
		}
	for (size_t i = 0; i < n->npend; i++)
		free(n->pend[i].buf);
	free(n);
}

static struct sim_server *server(struct simnet *n, const char *ip, bool create)
{
	for (size_t i = 0; i < n->ns; i++)
		if (!strcmp(n->srv[i].ip, ip))
			return &n->srv[i];
	if (!create || n->ns >= SIM_MAX_SERVERS)
		return NULL;
	struct sim_server *s = &n->srv[n->ns++];
	snprintf(s->ip, sizeof(s->ip), "%s", ip);
	simnet_addr(ip, &s->addr);
	return s;
}

int simnet_add_zone(struct simnet *n, const char *ip, const char *text)
{
	struct sim_server *s = server(n, ip, true);
	if (!s || s->nz >= SIM_MAX_ZONES)
		return WARD_ELIMIT;
	struct sim_zone *z = calloc(1, sizeof(*z));
	if (!z)
		return WARD_ENOMEM;
	zone_parser p;
	zone_parser_init(&p, text, strlen(text), NULL, 3600, "sim");
	static uint8_t rd[65535];
	dns_rr rr;
	int r;
	while ((r = zone_parser_next(&p, &rr, rd, sizeof(rd))) == 1 &&
	       z->n < SIM_MAX_RRS) {
		z->data[z->n] = malloc(rr.rdlen ? rr.rdlen : 1);
		memcpy(z->data[z->n], rr.rdata, rr.rdlen);
		rr.rdata = z->data[z->n];
		if (rr.type == DNS_T_SOA)
			z->origin = rr.owner;
		z->rr[z->n++] = rr;
	}
	zone_parser_free(&p);
	if (r < 0) {
		fprintf(stderr, "simnet zone: %s\n", p.errmsg);
		for (size_t i = 0; i < z->n; i++)
			free(z->data[i]);
		free(z);
		return r;
	}
	s->zones[s->nz++] = z;
	return 0;
}

void simnet_set_flags(struct simnet *n, const char *ip, unsigned flags)
{
	struct sim_server *s = server(n, ip, true);
	if (s)
		s->flags = flags;
}

void simnet_set_delay(struct simnet *n, const char *ip, unsigned ms)
{
	struct sim_server *s = server(n, ip, true);
	if (s)
		s->delay = ms;
}

size_t simnet_log_count(const struct simnet *n) { return n->nlog; }
const struct sim_log *simnet_log(const struct simnet *n, size_t i)
{
	return i < n->nlog ? &n->log[i] : NULL;
}
void simnet_log_clear(struct simnet *n) { n->nlog = 0; }

static void add_set(dns_mb *b, enum dns_section sec, const struct sim_zone *z,
                    const dns_name *owner, uint16_t type)
{
	for (size_t i = 0; i < z->n; i++)
		if (z->rr[i].type == type && dns_name_equal(&z->rr[i].owner, owner))
			dns_mb_rr(b, sec, &z->rr[i]);
}

/* SIM_DNSSEC: the RRSIGs covering (owner, type); all NSEC/NSEC3 records
 * of the zone with their RRSIGs (the proofs pick what they need). */
static void add_sigs(dns_mb *b, enum dns_section sec, const struct sim_zone *z,
                     const dns_name *owner, uint16_t type)
{
	for (size_t i = 0; i < z->n; i++) {
		const dns_rr *r = &z->rr[i];
		if (r->type == DNS_T_RRSIG && r->rdlen >= 2 &&
		    (uint16_t)(r->rdata[0] << 8 | r->rdata[1]) == type &&
		    dns_name_equal(&r->owner, owner))
			dns_mb_rr(b, sec, r);
	}
}

static void add_denial(dns_mb *b, const struct sim_zone *z)
{
	for (size_t i = 0; i < z->n; i++) {
		const dns_rr *r = &z->rr[i];
		if (r->type == DNS_T_NSEC || r->type == DNS_T_NSEC3) {
			dns_mb_rr(b, DNS_SEC_AUTHORITY, r);
			add_sigs(b, DNS_SEC_AUTHORITY, z, &r->owner, r->type);
		}
	}
}

static bool has(const struct sim_zone *z, const dns_name *owner, uint16_t type)
{
	for (size_t i = 0; i < z->n; i++)
		if ((type == 0 || z->rr[i].type == type) &&
		    dns_name_equal(&z->rr[i].owner, owner))
			return true;
	return false;
}

static bool name_exists(const struct sim_zone *z, const dns_name *qn)
{
	for (size_t i = 0; i < z->n; i++)
		if (dns_name_is_subdomain(&z->rr[i].owner, qn))
			return true;
	return false;
}

/* Build the authoritative answer; returns the rcode used. */
static void answer(const struct sim_server *s, const dns_name *qn,
                   uint16_t qt, dns_mb *b)
{
	const struct sim_zone *z = NULL;
	/* SIM_DNSSEC: the DS of a zone's apex is the parent zone's data */
	bool ds_parent = (s->flags & SIM_DNSSEC) && qt == DNS_T_DS && qn->len > 1;
	for (size_t i = 0; i < s->nz; i++)
		if (dns_name_is_subdomain(qn, &s->zones[i]->origin) &&
		    !(ds_parent && dns_name_equal(qn, &s->zones[i]->origin)) &&
		    (!z || s->zones[i]->origin.len > z->origin.len))
			z = s->zones[i];
	if (!z || (s->flags & SIM_REFUSED)) {
		dns_mb_set_rcode(b, DNS_RCODE_REFUSED);
		return;
	}
	if (s->flags & SIM_SERVFAIL) {
		dns_mb_set_rcode(b, DNS_RCODE_SERVFAIL);
		return;
	}
	if (s->flags & SIM_LAME) {
		dns_name root;
		dns_name_root(&root);
		static const uint8_t nsname[] = { 1, 'a', 0 };
		dns_rr rr = { .owner = root, .type = DNS_T_NS, .rclass = DNS_C_IN,
		              .ttl = 3600, .rdlen = 3, .rdata = nsname };
		dns_mb_rr(b, DNS_SEC_AUTHORITY, &rr);
		return;
	}
	bool sec = (s->flags & SIM_DNSSEC) != 0;
	unsigned zl = dns_name_labels(&z->origin), ql = dns_name_labels(qn);
	/* delegations and DNAMEs between the origin and the name */
	for (unsigned l = zl; l <= ql; l++) {
		dns_name d = *qn;
		dns_name_strip_left(&d, ql - l);
		/* DS is the parent's: answered, not referred (RFC 4035 §3.1.4.1) */
		if (l > zl && has(z, &d, DNS_T_NS) &&
		    !(sec && qt == DNS_T_DS && l == ql)) {
			add_set(b, DNS_SEC_AUTHORITY, z, &d, DNS_T_NS);
			add_set(b, DNS_SEC_AUTHORITY, z, &d, DNS_T_DS);
			if (sec && has(z, &d, DNS_T_DS))
				add_sigs(b, DNS_SEC_AUTHORITY, z, &d, DNS_T_DS);
			else if (sec)
				add_denial(b, z);
			for (size_t i = 0; i < z->n; i++) {
				if (z->rr[i].type != DNS_T_NS ||
				    !dns_name_equal(&z->rr[i].owner, &d))
					continue;
				dns_name ns;
				dns_name_from_wire(&ns, z->rr[i].rdata, z->rr[i].rdlen);
				add_set(b, DNS_SEC_ADDITIONAL, z, &ns, DNS_T_A);
				add_set(b, DNS_SEC_ADDITIONAL, z, &ns, DNS_T_AAAA);
			}
			return;
		}
		if (l < ql && has(z, &d, DNS_T_DNAME)) {
			dns_mb_set_flags(b, (uint16_t)(b->flags | DNS_FLAG_AA));
			add_set(b, DNS_SEC_ANSWER, z, &d, DNS_T_DNAME);
			for (size_t i = 0; i < z->n; i++) {
				if (z->rr[i].type != DNS_T_DNAME ||
				    !dns_name_equal(&z->rr[i].owner, &d))
					continue;
				dns_name t, syn;
				dns_name_from_wire(&t, z->rr[i].rdata, z->rr[i].rdlen);
				if (dns_name_concat(&syn, qn->wire,
				                    (size_t)(qn->len - d.len), &t) < 0)
					return;
				dns_rr c = { .owner = *qn, .type = DNS_T_CNAME,
				             .rclass = DNS_C_IN, .ttl = z->rr[i].ttl,
				             .rdlen = syn.len, .rdata = syn.wire };
				dns_mb_rr(b, DNS_SEC_ANSWER, &c);
				break;
			}
			return;
		}
	}
	dns_mb_set_flags(b, (uint16_t)(b->flags | DNS_FLAG_AA));
	if (qt == DNS_T_ANY && has(z, qn, 0)) { /* every record at the name */
		for (size_t i = 0; i < z->n; i++)
			if (dns_name_equal(&z->rr[i].owner, qn))
				dns_mb_rr(b, DNS_SEC_ANSWER, &z->rr[i]);
		return;
	}
	if (qt != DNS_T_CNAME && has(z, qn, DNS_T_CNAME)) {
		add_set(b, DNS_SEC_ANSWER, z, qn, DNS_T_CNAME);
		if (sec)
			add_sigs(b, DNS_SEC_ANSWER, z, qn, DNS_T_CNAME);
		return;
	}
	if (has(z, qn, qt)) {
		add_set(b, DNS_SEC_ANSWER, z, qn, qt);
		add_set(b, DNS_SEC_ANSWER, z, qn, DNS_T_RRSIG);
		return;
	}
	if (!name_exists(z, qn))
		dns_mb_set_rcode(b, DNS_RCODE_NXDOMAIN);
	if (!(s->flags & SIM_NOSOA))
		add_set(b, DNS_SEC_AUTHORITY, z, &z->origin, DNS_T_SOA);
	if (sec) {
		add_sigs(b, DNS_SEC_AUTHORITY, z, &z->origin, DNS_T_SOA);
		add_denial(b, z);
	}
}

/* Serve one query; returns the reply length, 0 to drop. */
static size_t serve(struct simnet *n, struct sim_server *s, bool tcp,
                    const uint8_t *q, size_t len, uint8_t *out, size_t cap)
{
	dns_msg m;
	dns_name qn;
	uint16_t qt, qc;
	if (dns_msg_parse(&m, q, len) < 0 ||
	    dns_msg_question(&m, &qn, &qt, &qc) < 0)
		return 0;
	if (n->nlog < SIM_LOG_MAX) {
		struct sim_log *l = &n->log[n->nlog++];
		char buf[DNS_NAME_TEXT_MAX];
		snprintf(l->dst, sizeof(l->dst), "%s", s ? s->ip : "?");
		snprintf(l->qname, sizeof(l->qname), "%s", dns_name_str(&qn, buf));
		l->qtype = qt;
		l->tcp = tcp;
		l->rd = (m.flags & DNS_FLAG_RD) != 0;
		l->id = m.id;
	}
	if (!s || (s->flags & SIM_DROP))
		return 0;
	dns_mb b;
	size_t olen = 0;
	dns_mb_init(&b, out, cap, tcp ? 65535 : (m.has_opt ? 1232 : 512));
	dns_mb_set_id(&b, m.id);
	dns_mb_set_flags(&b, (uint16_t)(DNS_FLAG_QR | (m.flags & DNS_FLAG_RD)));
	if ((s->flags & SIM_NOEDNS) && m.has_opt) {
		dns_mb_set_rcode(&b, DNS_RCODE_FORMERR);
	} else if ((s->flags & SIM_TC_UDP) && !tcp) {
		dns_mb_set_tc(&b);
		dns_mb_question(&b, &qn, qt, qc);
	} else {
		if (m.has_opt)
			dns_mb_edns(&b, 1232, 0, 0);
		dns_name echo = qn;
		if (s->flags & SIM_NOCASE)
			dns_name_lower(&echo);
		dns_mb_question(&b, &echo, qt, qc);
		answer(s, &qn, qt, &b);
		if (s->flags & SIM_RECURSOR)
			b.flags = (uint16_t)(b.flags & ~DNS_FLAG_AA);
	}
	if (dns_mb_finish(&b, &olen) < 0)
		return 0;
	return olen;
}

size_t simnet_run(struct simnet *n, res_engine *e, uint64_t *clock,
                  struct sim_answer *answers, size_t n_answers,
                  uint64_t max_ms)
{
	static uint8_t out[65535];
	uint64_t end = *clock + max_ms;
	size_t handled = 0;
	for (unsigned guard = 0; guard < 100000; guard++) {
		struct res_action a;
		while (res_next_action(e, *clock, &a) == 1) {
			handled++;
			if (a.kind == RES_ACT_ANSWER) {
				if (a.client_tag < n_answers) {
					struct sim_answer *s = &answers[a.client_tag];
					s->got = true;
					memcpy(s->buf, a.buf, a.len);
					s->len = a.len;
					s->at = *clock;
				}
				continue;
			}
			struct sim_server *s = NULL;
			for (size_t i = 0; i < n->ns; i++)
				if (!memcmp(n->srv[i].addr.ip, a.dst.ip, 4) &&
				    a.dst.family == 4)
					s = &n->srv[i];
			size_t len = serve(n, s, a.tcp, a.buf, a.len, out, sizeof(out));
			if (!len || n->npend >= SIM_PENDING)
				continue;
			struct sim_pending *p = &n->pend[n->npend++];
			p->at = *clock + (s->delay ? s->delay : 10);
			p->token = a.token;
			p->from = a.dst;
			p->tcp = a.tcp;
			p->buf = malloc(len);
			memcpy(p->buf, out, len);
			p->len = len;
		}
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < n->npend; i++)
			if (best == SIZE_MAX || n->pend[i].at < n->pend[best].at)
				best = i;
		uint64_t wake = res_next_wakeup(e);
		if (best != SIZE_MAX && n->pend[best].at <= wake) {
			struct sim_pending p = n->pend[best];
			n->pend[best] = n->pend[--n->npend];
			if (p.at > *clock)
				*clock = p.at;
			res_upstream_reply(e, p.token, &p.from, p.tcp, p.buf, p.len,
			                   *clock);
			free(p.buf);
			continue;
		}
		if (wake == UINT64_MAX || wake > end)
			break;
		if (wake > *clock)
			*clock = wake;
		res_tick(e, *clock);
	}
	return handled;
}

size_t sim_make_query(uint8_t *buf, size_t cap, const char *name,
                      uint16_t qtype, uint16_t udp_size, bool do_bit)
{
	dns_mb b;
	dns_name qn;
	size_t len = 0;
	if (dns_name_from_text(&qn, name, strlen(name), NULL) < 0)
		return 0;
	dns_mb_init(&b, buf, cap, cap);
	dns_mb_set_id(&b, 0x1234);
	dns_mb_set_flags(&b, DNS_FLAG_RD);
	if (udp_size)
		dns_mb_edns(&b, udp_size, 0, do_bit ? EDNS_FLAG_DO : 0);
	dns_mb_question(&b, &qn, qtype, DNS_C_IN);
	if (dns_mb_finish(&b, &len) < 0)
		return 0;
	return len;
}

void sim_random(void *ctx, uint8_t *buf, size_t n)
{
	static uint32_t st = 12345;
	uint32_t *s = ctx ? ctx : &st;
	for (size_t i = 0; i < n; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
}
