/* ward replay: comparing a packet with an entry by its MATCH criteria — the
 * matcher of the simulated servers and the CHECK_ANSWER checker share it.
 *
 * Names compare case-insensitively (testbound lowercases both packets),
 * rdata in canonical form (RFC 4034 §6.2 names lowercased), sections as
 * multisets of records, TTLs only with MATCH ttl. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "replay/rpl_int.h"

#define FLAG_MASK (DNS_FLAG_QR | DNS_FLAG_AA | DNS_FLAG_TC | DNS_FLAG_RD | \
                   DNS_FLAG_RA | DNS_FLAG_AD | DNS_FLAG_CD)
#define MAX_OPTS 64                /* EDNS options compared per message */

/* One record of a section, ready for comparison. */
struct cmp_rr {
	dns_rr rr;                 /* as in the packet, rdata uncompressed */
	dns_name lower;            /* owner lowercased */
	const uint8_t *canon;      /* rdata in canonical form */
	bool used;
};

struct cmp_msg {
	dns_msg m;
	bool sec_done[4];
	struct cmp_rr *rr[4];
	size_t n[4];
};

struct chk {
	const rpl_entry *e;
	strbuf *diff;
	bool bad;
	int err;                   /* ENOMEM while extracting */
	rpl_arena scratch;
	uint8_t rdbuf[DNS_RDATA_MAX + 1];
};

/* Note a difference; true when the caller should stop (no diff wanted). */
__attribute__((format(printf, 2, 3)))
static bool fail(struct chk *c, const char *fmt, ...)
{
	c->bad = true;
	if (!c->diff)
		return true;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	strbuf_puts(c->diff, line);
	strbuf_putc(c->diff, '\n');
	return false;
}

static bool stop(const struct chk *c)
{
	return c->err || (c->bad && !c->diff);
}

static const char *sec_name(int s)
{
	return dns_section_name((enum dns_section)s, false);
}

static int extract(struct chk *c, struct cmp_msg *cm, int s)
{
	if (cm->sec_done[s])
		return 0;
	cm->sec_done[s] = true;
	unsigned cnt = cm->m.parsed[s];
	if (!cnt)
		return 0;
	struct cmp_rr *v = rpl_arena_array(&c->scratch, cnt, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	dns_rr_iter it;
	dns_rr_view rv;
	size_t n = 0;
	dns_rr_iter_init(&it, &cm->m, (enum dns_section)s);
	while (n < cnt && dns_rr_iter_next(&it, &rv) == 1) {
		if (rv.type == DNS_T_OPT && s == DNS_SEC_ADDITIONAL)
			continue;
		struct cmp_rr *x = &v[n];
		int r;
		if (s == DNS_SEC_QUESTION) {
			memset(&x->rr, 0, sizeof x->rr);
			r = dns_rr_view_owner(&cm->m, &rv, &x->rr.owner);
			x->rr.type = rv.type;
			x->rr.rclass = rv.rclass;
		} else {
			r = dns_rr_view_to_rr(&cm->m, &rv, &x->rr, c->rdbuf,
			                      sizeof c->rdbuf);
		}
		if (r < 0)
			continue; /* cannot happen after a successful parse */
		uint8_t *rd = NULL, *canon = NULL;
		if (x->rr.rdlen) {
			rd = rpl_arena_memdup(&c->scratch, x->rr.rdata, x->rr.rdlen);
			canon = rpl_arena_memdup(&c->scratch, x->rr.rdata,
			                         x->rr.rdlen);
			if (!rd || !canon)
				return WARD_ENOMEM;
			dns_rdata_canonicalize(x->rr.type, canon, x->rr.rdlen);
		}
		x->rr.rdata = rd;
		x->canon = canon;
		x->lower = x->rr.owner;
		dns_name_lower(&x->lower);
		x->used = false;
		n++;
	}
	cm->rr[s] = v;
	cm->n[s] = n;
	return 0;
}

static bool rr_equal(const struct cmp_rr *a, const struct cmp_rr *b,
                     bool ttl)
{
	return a->lower.len == b->lower.len &&
	       memcmp(a->lower.wire, b->lower.wire, a->lower.len) == 0 &&
	       a->rr.type == b->rr.type && a->rr.rclass == b->rr.rclass &&
	       a->rr.rdlen == b->rr.rdlen &&
	       (!a->rr.rdlen || memcmp(a->canon, b->canon, a->rr.rdlen) == 0) &&
	       (!ttl || a->rr.ttl == b->rr.ttl);
}

static void rr_text(int s, const struct cmp_rr *x, char *buf, size_t cap)
{
	strbuf sb = strbuf_init(buf, cap);
	if (s == DNS_SEC_QUESTION) {
		char t[16], k[16];
		dns_name_to_text(&x->rr.owner, &sb);
		strbuf_printf(&sb, "\t%s\t%s", dns_class_str(x->rr.rclass, k),
		              dns_type_str(x->rr.type, t));
	} else {
		dns_rr_to_text(&x->rr, &sb);
	}
	if (sb.err && cap > 4)
		memcpy(buf + cap - 4, "...", 4);
}

/* Compare a section of both messages as multisets. */
static void cmp_section(struct chk *c, struct cmp_msg *exp,
                        struct cmp_msg *act, int s, bool ttl)
{
	char text[400];
	int r = extract(c, exp, s);
	if (r == 0)
		r = extract(c, act, s);
	if (r < 0) {
		c->err = r;
		return;
	}
	if (s == DNS_SEC_QUESTION)
		ttl = false;
	struct cmp_rr *e = exp->rr[s], *a = act->rr[s];
	size_t ne = exp->n[s], na = act->n[s];
	for (size_t i = 0; i < ne; i++)
		e[i].used = false;
	for (size_t j = 0; j < na; j++)
		a[j].used = false;
	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < na && !e[i].used; j++)
			if (!a[j].used && rr_equal(&e[i], &a[j], ttl))
				e[i].used = a[j].used = true;
	if (ttl) {
		for (size_t i = 0; i < ne; i++) {
			for (size_t j = 0; j < na && !e[i].used; j++) {
				if (a[j].used || !rr_equal(&e[i], &a[j], false))
					continue;
				e[i].used = a[j].used = true;
				rr_text(s, &e[i], text, sizeof text);
				if (fail(c, "%s: TTL %u instead of %u: %s", sec_name(s),
				         (unsigned)a[j].rr.ttl, (unsigned)e[i].rr.ttl,
				         text))
					return;
			}
		}
	}
	for (size_t i = 0; i < ne; i++) {
		if (e[i].used)
			continue;
		rr_text(s, &e[i], text, sizeof text);
		if (fail(c, "%s: missing    %s", sec_name(s), text))
			return;
	}
	for (size_t j = 0; j < na; j++) {
		if (a[j].used)
			continue;
		rr_text(s, &a[j], text, sizeof text);
		if (fail(c, "%s: unexpected %s", sec_name(s), text))
			return;
	}
}

static void flags_text(uint16_t f, char *buf, size_t cap)
{
	static const struct { uint16_t bit; const char *name; } fl[] = {
		{ DNS_FLAG_QR, "qr" }, { DNS_FLAG_AA, "aa" }, { DNS_FLAG_TC, "tc" },
		{ DNS_FLAG_RD, "rd" }, { DNS_FLAG_RA, "ra" }, { DNS_FLAG_AD, "ad" },
		{ DNS_FLAG_CD, "cd" },
	};
	strbuf sb = strbuf_init(buf, cap);
	for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
		if (f & fl[i].bit)
			strbuf_printf(&sb, "%s%s", sb.len ? " " : "", fl[i].name);
	if (!sb.len)
		strbuf_puts(&sb, "(none)");
}

static void rcode_text(unsigned rc, char *buf, size_t cap)
{
	const char *n = dns_rcode_name(rc);
	if (n)
		snprintf(buf, cap, "%s", n);
	else
		snprintf(buf, cap, "RCODE%u", rc);
}

/* The first question of a message, false when there is none. */
static bool first_question(const dns_msg *m, dns_name *qname, uint16_t *qtype)
{
	return dns_msg_question(m, qname, qtype, NULL) == 0;
}

/* EDNS options of a message, filtered for the `all` comparison. */
struct opt_list {
	edns_opt o[MAX_OPTS];
	size_t n;
	bool more;                 /* more than MAX_OPTS */
};

static void opts_of(const dns_msg *m, uint16_t skip1, uint16_t skip2,
                    struct opt_list *l)
{
	edns_info ei;
	l->n = 0;
	l->more = false;
	if (edns_from_msg(m, &ei) < 0)
		return;
	edns_opt_iter it;
	edns_opt o;
	edns_opt_iter_init(&it, ei.opts, ei.opts_len);
	while (edns_opt_iter_next(&it, &o) == 1) {
		if ((skip1 && o.code == skip1) || (skip2 && o.code == skip2))
			continue;
		if (l->n == MAX_OPTS) {
			l->more = true;
			break;
		}
		l->o[l->n++] = o;
	}
}

static bool opts_equal(const struct opt_list *a, const struct opt_list *b)
{
	if (a->n != b->n || a->more || b->more)
		return a->n == b->n && a->more == b->more;
	for (size_t i = 0; i < a->n; i++)
		if (a->o[i].code != b->o[i].code || a->o[i].len != b->o[i].len ||
		    (a->o[i].len && memcmp(a->o[i].data, b->o[i].data, a->o[i].len)))
			return false;
	return true;
}

static void opts_text(const struct opt_list *l, char *buf, size_t cap)
{
	strbuf sb = strbuf_init(buf, cap);
	strbuf_putc(&sb, '[');
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strbuf_puts(&sb, "; ");
		edns_opt_to_text(&l->o[i], &sb);
	}
	strbuf_puts(&sb, l->more ? " ...]" : "]");
	if (sb.err && cap > 5)
		memcpy(buf + cap - 5, "...]", 5);
}

/* The first option with this code (data, len), false when absent. */
static bool find_opt(const dns_msg *m, uint16_t code, edns_opt *o)
{
	edns_info ei;
	return edns_from_msg(m, &ei) == 0 && edns_opt_find(&ei, code, o) == 0;
}

static uint32_t soa_serial(const dns_msg *m)
{
	dns_rr_iter it;
	dns_rr_view v;
	uint8_t rd[2 * DNS_NAME_MAXLEN + 20];
	dns_rr_iter_init(&it, m, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&it, &v) == 1) {
		size_t len;
		if (v.type != DNS_T_SOA ||
		    dns_rr_view_rdata(m, &v, rd, sizeof rd, &len) < 0)
			continue;
		wire_rd r = wire_rd_init(rd, len);
		dns_name_skip(&r);
		dns_name_skip(&r);
		uint32_t serial = wire_rd_u32(&r);
		return r.err ? 0 : serial;
	}
	return 0;
}

static void check_edns_all(struct chk *c, const dns_msg *exp,
                           const dns_msg *act)
{
	char a[512], b[512];
	if (exp->has_opt != act->has_opt) {
		fail(c, "EDNS: expected %s, got %s",
		     exp->has_opt ? "an OPT record" : "no OPT record",
		     act->has_opt ? "one" : "none");
		return;
	}
	if (!exp->has_opt)
		return;
	edns_info ee, ea;
	if (edns_from_msg(exp, &ee) < 0 || edns_from_msg(act, &ea) < 0) {
		fail(c, "EDNS: malformed OPT record");
		return;
	}
	if (ee.version != ea.version &&
	    fail(c, "EDNS: version %u instead of %u", (unsigned)ea.version,
	         (unsigned)ee.version))
		return;
	if (ee.flags != ea.flags &&
	    fail(c, "EDNS: flags 0x%04x (DO=%d) instead of 0x%04x (DO=%d)",
	         (unsigned)ea.flags, !!(ea.flags & EDNS_FLAG_DO),
	         (unsigned)ee.flags, !!(ee.flags & EDNS_FLAG_DO)))
		return;
	uint16_t s1 = (c->e->match & RPL_M_EDE) ? EDNS_OPT_EDE : 0;
	uint16_t s2 = (c->e->match & (RPL_M_CLIENT_COOKIE | RPL_M_SERVER_COOKIE))
	                  ? EDNS_OPT_COOKIE : 0;
	struct opt_list le, la;
	opts_of(exp, s1, s2, &le);
	opts_of(act, s1, s2, &la);
	if (!opts_equal(&le, &la)) {
		opts_text(&le, a, sizeof a);
		opts_text(&la, b, sizeof b);
		fail(c, "EDNS options: expected %s, got %s", a, b);
	}
}

static void check_criteria(struct chk *c, struct cmp_msg *exp,
                           struct cmp_msg *act, enum rpl_transport t)
{
	const rpl_entry *e = c->e;
	uint32_t m = e->match;
	bool all = (m & (RPL_M_ALL | RPL_M_ALL_NOEDNS)) != 0;
	bool ttl = (m & RPL_M_TTL) != 0;
	char x[DNS_NAME_TEXT_MAX], y[DNS_NAME_TEXT_MAX];

	if (e->transport != RPL_TRANSPORT_ANY && t != RPL_TRANSPORT_ANY &&
	    t != e->transport &&
	    fail(c, "transport: expected %s, got %s",
	         e->transport == RPL_TRANSPORT_TCP ? "TCP" : "UDP",
	         t == RPL_TRANSPORT_TCP ? "TCP" : "UDP"))
		return;
	if ((m & RPL_M_OPCODE) || all) {
		unsigned oe = DNS_OPCODE(exp->m.flags), oa = DNS_OPCODE(act->m.flags);
		const char *ne = dns_opcode_name(oe), *na = dns_opcode_name(oa);
		if (oe != oa && fail(c, "opcode: expected %s, got %s",
		                     ne ? ne : "?", na ? na : "?"))
			return;
	}
	if ((m & RPL_M_FLAGS) || all) {
		uint16_t fe = exp->m.flags & FLAG_MASK, fa = act->m.flags & FLAG_MASK;
		if (fe != fa) {
			flags_text(fe, x, sizeof x);
			flags_text(fa, y, sizeof y);
			if (fail(c, "flags: expected %s, got %s", x, y))
				return;
		}
	}
	if ((m & RPL_M_RCODE) || all) {
		unsigned re = dns_msg_rcode(&exp->m), ra = dns_msg_rcode(&act->m);
		if (re != ra) {
			rcode_text(re, x, sizeof x);
			rcode_text(ra, y, sizeof y);
			if (fail(c, "rcode: expected %s, got %s", x, y))
				return;
		}
	}

	dns_name qe, qa;
	uint16_t te = 0, ta = 0;
	bool he = first_question(&exp->m, &qe, &te);
	bool ha = first_question(&act->m, &qa, &ta);
	/* Deckard: an entry without a question does not check it */
	bool qcheck = he || e->dialect != RPL_DIALECT_DECKARD;
	if (qcheck && (m & (RPL_M_QTYPE | RPL_M_QNAME | RPL_M_QCASE |
	                    RPL_M_SUBDOMAIN))) {
		if (!he || !ha) {
			if (fail(c, "question: %s has no question",
			         he ? "the packet" : "the entry"))
				return;
		} else {
			char t1[16], t2[16];
			dns_name_str(&qe, x);
			dns_name_str(&qa, y);
			if ((m & RPL_M_QTYPE) && te != ta &&
			    fail(c, "qtype: expected %s, got %s", dns_type_str(te, t1),
			         dns_type_str(ta, t2)))
				return;
			if ((m & RPL_M_QNAME) && !dns_name_equal(&qe, &qa) &&
			    fail(c, "qname: expected %s, got %s", x, y))
				return;
			if ((m & RPL_M_QCASE) &&
			    (qe.len != qa.len || memcmp(qe.wire, qa.wire, qe.len)) &&
			    fail(c, "qname (case-sensitive): expected %s, got %s", x, y))
				return;
			if ((m & RPL_M_SUBDOMAIN) && !dns_name_is_subdomain(&qa, &qe) &&
			    fail(c, "subdomain: %s is not at or below %s", y, x))
				return;
		}
	}

	if ((m & RPL_M_QUESTION) || all) {
		cmp_section(c, exp, act, DNS_SEC_QUESTION, false);
		if (stop(c))
			return;
	}
	static const uint32_t secbit[4] = { 0, RPL_M_ANSWER, RPL_M_AUTHORITY,
	                                    RPL_M_ADDITIONAL };
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		if ((m & secbit[s]) || all) {
			cmp_section(c, exp, act, s, ttl);
			if (stop(c))
				return;
		}
	}
	if (m & RPL_M_ALL) {
		check_edns_all(c, &exp->m, &act->m);
		if (stop(c))
			return;
	}

	edns_info ea;
	bool aedns = edns_from_msg(&act->m, &ea) == 0;
	if ((m & RPL_M_DO) && !(aedns && (ea.flags & EDNS_FLAG_DO)) &&
	    fail(c, "DO: expected the DO bit, %s",
	         aedns ? "it is clear" : "there is no OPT record"))
		return;
	if ((m & RPL_M_NOEDNS) && act->m.has_opt &&
	    fail(c, "noedns: expected no OPT record, got one"))
		return;
	if (m & RPL_M_EDNSDATA) {
		edns_info ee;
		bool eedns = edns_from_msg(&exp->m, &ee) == 0;
		size_t le = eedns ? ee.opts_len : 0, la = aedns ? ea.opts_len : 0;
		if ((le || la) &&
		    (le != la || memcmp(ee.opts, ea.opts, le) != 0) &&
		    fail(c, "ednsdata: the OPT rdata differs (%zu octets expected, "
		         "%zu got)", le, la))
			return;
	}
	if ((m & RPL_M_SERIAL) && soa_serial(&act->m) != e->serial &&
	    fail(c, "serial: expected %u, got %u", (unsigned)e->serial,
	         (unsigned)soa_serial(&act->m)))
		return;
	if (m & RPL_M_EDE) {
		edns_opt o;
		if (!find_opt(&act->m, EDNS_OPT_EDE, &o) || o.len < 2) {
			if (fail(c, "ede: expected EDE %s%u, got none",
			         e->ede_any ? "(any) " : "",
			         (unsigned)e->ede_code))
				return;
		} else {
			unsigned code = (unsigned)(o.data[0] << 8 | o.data[1]);
			if (!e->ede_any && code != e->ede_code &&
			    fail(c, "ede: expected EDE %u, got %u",
			         (unsigned)e->ede_code, code))
				return;
		}
	}
	if (m & (RPL_M_CLIENT_COOKIE | RPL_M_SERVER_COOKIE)) {
		edns_opt o;
		size_t want = (m & RPL_M_SERVER_COOKIE) ? 24 : 8;
		bool have = find_opt(&act->m, EDNS_OPT_COOKIE, &o);
		if ((!have || o.len != want) &&
		    fail(c, "cookie: expected a %zu-octet COOKIE option, got %s",
		         want, have ? "another length" : "none"))
			return;
	}
	if (m & RPL_M_EDNS) {
		edns_info ee;
		bool eedns = edns_from_msg(&exp->m, &ee) == 0;
		if (eedns != aedns) {
			if (fail(c, "edns: expected %s, got %s",
			         eedns ? "EDNS" : "no EDNS", aedns ? "EDNS" : "none"))
				return;
		} else if (eedns && (ee.version != ea.version ||
		                     ee.udp_size != ea.udp_size)) {
			if (fail(c, "edns: expected version %u size %u, got %u %u",
			         (unsigned)ee.version, (unsigned)ee.udp_size,
			         (unsigned)ea.version, (unsigned)ea.udp_size))
				return;
		}
	}
	if (m & RPL_M_NSID) {
		edns_opt oe, oa;
		bool he2 = find_opt(&exp->m, EDNS_OPT_NSID, &oe);
		bool ha2 = find_opt(&act->m, EDNS_OPT_NSID, &oa);
		if ((he2 != ha2 || (he2 && (oe.len != oa.len ||
		                            memcmp(oe.data, oa.data, oe.len)))) &&
		    fail(c, "nsid: the NSID option differs"))
			return;
	}
}

/* A packet parsed once and compared with any number of entries. */
struct rpl_matcher {
	struct chk c;
	struct cmp_msg act;
	struct cmp_msg exp;
	int perr;                  /* parse error of the packet */
};

rpl_matcher *rpl_matcher_new(const uint8_t *pkt, size_t len)
{
	rpl_matcher *mt = malloc(sizeof *mt);
	if (!mt)
		return NULL;
	memset(&mt->act, 0, sizeof mt->act);
	rpl_arena_init(&mt->c.scratch);
	int r = dns_msg_parse(&mt->act.m, pkt, len);
	mt->perr = r == WARD_ETRAILING ? 0 : r;
	return mt;
}

void rpl_matcher_free(rpl_matcher *mt)
{
	if (!mt)
		return;
	rpl_arena_free(&mt->c.scratch);
	free(mt);
}

int rpl_matcher_check(rpl_matcher *mt, const rpl_entry *e,
                      enum rpl_transport t, strbuf *diff)
{
	struct chk *c = &mt->c;
	if (!e || !e->npkts)
		return WARD_EINVAL;
	c->e = e;
	c->diff = diff;
	c->bad = false;
	c->err = 0;
	if (mt->perr < 0) {
		fail(c, "malformed packet: %s", ward_strerror(mt->perr));
		return RPL_MISMATCH;
	}
	const rpl_packet *p0 = &e->pkts[0];
	memset(&mt->exp, 0, sizeof mt->exp);
	/* an entry with unchecked records may not parse to the end: what
	 * does parse (the question, usually) is compared */
	if (dns_msg_parse(&mt->exp.m, p0->wire, p0->wire_len) < 0 &&
	    !p0->unchecked)
		return WARD_EINVAL;
	check_criteria(c, &mt->exp, &mt->act, t);
	return c->err ? c->err : c->bad ? RPL_MISMATCH : 0;
}

int rpl_entry_match(const rpl_entry *e, const uint8_t *pkt, size_t len,
                    enum rpl_transport t, strbuf *diff)
{
	if (!e || (!pkt && len))
		return WARD_EINVAL;
	rpl_matcher *mt = rpl_matcher_new(pkt, len);
	if (!mt)
		return WARD_ENOMEM;
	int r = rpl_matcher_check(mt, e, t, diff);
	rpl_matcher_free(mt);
	return r;
}

int rpl_check_answer(const rpl_entry *expected, const uint8_t *reply,
                     size_t len, strbuf *diff)
{
	return rpl_entry_match(expected, reply, len, RPL_TRANSPORT_ANY, diff);
}
