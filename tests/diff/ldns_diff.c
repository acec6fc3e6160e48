/* ward tests: differential test of the DNS message codec against libldns.
 *
 * Every message of the shared captures (WARD_TESTDATA/pcaps: tcpdump/,
 * dnscap/, tcpreplay/) and of a generated set (gen.c: random but valid
 * records of every type, built with ldns; WARD_DIFF_COUNT messages, default
 * 10000) is parsed by ldns_wire2pkt and by dns_msg_parse. Both must agree on
 * success or failure; where they deliberately disagree the message is
 * counted under a named category (table `cats` below, with the reason) and
 * the per-category counts are asserted, so a regression shows. When both
 * parse, the header, EDNS and every record are compared: owner (wire, case
 * kept), type, class, TTL, uncompressed rdata octets, and the presentation
 * text of ldns_rr2str against dns_rr_to_text, after the normalisations of
 * norm.c, each of which names the known formatting difference it removes;
 * record-level known differences (FMT_*) are counted and printed too.
 *
 * Three mutated sets check the failure side, each made from the first
 * WARD_DIFF_COUNT/10 generated messages: 1..4 random octets appended (ldns
 * ignores them, ward refuses them: all "trailing-bytes", records still
 * compared), cut short (both must refuse every one), and 1..3 octets
 * overwritten (a small fuzz: any outcome but an unexplained disagreement;
 * the categories are asserted with the default seed and count).
 *
 * Environment: WARD_TESTDATA (default ../shared/testdata), WARD_DIFF_COUNT,
 * WARD_DIFF_SEED, WARD_DIFF_ONLY=N (only generated message N, printed),
 * WARD_DIFF_VERBOSE=1 (print every deliberate difference).
 * Output ends with "N passed, M failed", counting messages. */
#include <ldns/ldns.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "codec/name.h"
#include "codec/rr.h"
#include "codec/strbuf.h"
#include "gen.h"
#include "norm.h"
#include "pcapsrc.h"

#define MAX_PRINTED 20        /* mismatches shown in full */
#define MAX_DELIB_PRINTED 40  /* deliberate differences listed */
#define TEXT_CAP (1u << 18)   /* 65535 octets of rdata as hex fit */

/* ---- categories of deliberate differences ---- */

enum cat {
	CAT_TRAILING,   /* ldns OK, ward WARD_ETRAILING */
	CAT_MULTIOPT,   /* ldns OK, ward WARD_EMULTIOPT */
	CAT_BADOPT,     /* ldns OK, ward WARD_EOPT */
	CAT_PTRFWD,     /* ldns OK, ward WARD_EPTRFWD */
	CAT_PTRHDR,     /* ldns OK, ward WARD_EPTRHDR */
	CAT_PTRLOOP,    /* ldns OK, ward WARD_EPTRLOOP */
	CAT_RDATA,      /* ldns OK, ward WARD_ERDATA / WARD_ERDLEN */
	CAT_COMPRESS,   /* ldns OK, ward WARD_ECOMPRESS */
	CAT_DESYNC,     /* ward OK, ldns lost its place after short rdata */
	CAT_OPAQUE,     /* ward OK, ldns refuses rdata of a type ward keeps
	                   opaque */
	NCAT
};

static const struct {
	const char *name;
	const char *why;
} cats[NCAT] = {
	[CAT_TRAILING] = { "trailing-bytes",
		"ldns ignores octets after the last record; ward refuses them "
		"(STYLE.md Take 2) but parses every record, and those are "
		"compared" },
	[CAT_MULTIOPT] = { "multiple-or-misplaced-OPT",
		"ldns takes any number of OPT records, also outside the "
		"additional section; RFC 6891 §6.1.1 allows one, in additional" },
	[CAT_BADOPT] = { "malformed-OPT",
		"ldns keeps OPT rdata opaque; ward checks the owner is the root "
		"and the options are framed (RFC 6891 §6.1.2)" },
	[CAT_PTRFWD] = { "forward-pointer",
		"ldns follows compression pointers to any offset; ward only "
		"strictly backwards (STYLE.md Take 3)" },
	[CAT_PTRHDR] = { "pointer-into-header",
		"ldns follows compression pointers into the 12-octet header; "
		"ward refuses them" },
	[CAT_PTRLOOP] = { "pointer-overlap",
		"a name reached through a pointer has labels running up to or "
		"past that pointer (the pointer's own octets read as label "
		"data); ldns accepts it while it stays inside the packet, ward "
		"refuses it (labels must lie before the pointer, msg.h) and "
		"reports WARD_EPTRLOOP" },
	[CAT_RDATA] = { "rdata-layout",
		"ldns reads rdata fields without checking that they fill "
		"RDLENGTH exactly or that their contents are valid (bitmaps, "
		"SvcParams, ...); ward validates rdata against the type's layout" },
	[CAT_COMPRESS] = { "compressed-rdata-name",
		"ldns decompresses names in any rdata; ward only where RFC 3597 "
		"§4 allows (RFC 1035 types, and the decompress-on-input types)" },
	[CAT_DESYNC] = { "ldns-rdata-desync",
		"ward parses, ldns fails or reads other records: for a record "
		"whose rdata ldns's layout "
		"for the type covers in fewer octets than RDLENGTH (a type ward "
		"keeps opaque, or bad rdata ldns does not check), ldns_wire2rdf "
		"does not skip to the end of the rdata and reads the next record "
		"from the wrong offset (checked record by record)" },
	[CAT_OPAQUE] = { "ldns-refuses-opaque-type",
		"ward parses, ldns fails: a record of a type ward keeps as RFC "
		"3597 opaque data (no descriptor: HIP, LOC, TSIG, ...) has rdata "
		"that ldns's layout for the type refuses (checked record by "
		"record)" },
};

static int cat_of_ward_err(int err)
{
	switch (err) {
	case WARD_ETRAILING: return CAT_TRAILING;
	case WARD_EMULTIOPT: return CAT_MULTIOPT;
	case WARD_EOPT: return CAT_BADOPT;
	case WARD_EPTRFWD: return CAT_PTRFWD;
	case WARD_EPTRHDR: return CAT_PTRHDR;
	case WARD_EPTRLOOP: return CAT_PTRLOOP;
	case WARD_ERDATA:
	case WARD_ERDLEN: return CAT_RDATA;
	case WARD_ECOMPRESS: return CAT_COMPRESS;
	default: return -1;
	}
}

/* ---- known formatting differences, per record (counted, normalised) ---- */

enum fmt {
	FMT_OPAQUE,     /* ward prints \# for a type ldns has a format for */
	FMT_TSIG,       /* TSIG: ldns moves it out of the additional section */
	FMT_GENERIC,    /* ward falls back to \# for rdata its text can't show */
	FMT_NXT,        /* NXT bitmap: ldns prints it as \# data */
	NFMT
};

static const char *fmt_names[NFMT] = {
	[FMT_OPAQUE] = "type without ward descriptor: ldns text compared in "
	               "its RFC 3597 form",
	[FMT_TSIG] = "TSIG: compared with ldns_pkt_tsig(), octets only",
	[FMT_GENERIC] = "rdata the type's text cannot show (an empty digest "
	                "or key): ward prints the RFC 3597 form, ldns the "
	                "fields it has; compared with that form",
	[FMT_NXT] = "NXT (RFC 2535, obsolete): ldns prints the type bitmap as "
	            "\\# data, ward as type names; octets compared, not text",
};

/* ---- one set's results ---- */

typedef struct results {
	const char *name;
	unsigned long compared;
	unsigned long agree_ok;
	unsigned long agree_fail;
	unsigned long delib[NCAT];
	unsigned long mismatches;
	unsigned long records;
	unsigned long fmt[NFMT];
	unsigned long norm[NORM_NRULES]; /* texts changed by each rule */
} results;

typedef struct ctx {
	results *res;
	const char *where;
	char *tw;               /* ward text */
	char *tl;               /* ldns text, normalised */
	uint8_t *rbuf;          /* uncompressed rdata */
	uint8_t *lbuf;          /* ldns rdata octets */
	bool print_all;
	unsigned long printed;  /* mismatches printed (over all sets) */
	unsigned long delib_printed;
	bool verbose;
	/* first difference found in the current message */
	char diff[4 * TEXT_CAP / 2 + 512];
	bool has_diff;
} ctx;

static void note_diff(ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note_diff(ctx *c, const char *fmt, ...)
{
	if (c->has_diff)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->diff, sizeof c->diff, fmt, ap);
	va_end(ap);
	c->has_diff = true;
}

static const char *sect_name(int s)
{
	static const char *n[] = { "question", "answer", "authority",
	                           "additional" };
	return s >= 0 && s < 4 ? n[s] : "?";
}

/* ---- comparisons ---- */

static size_t ldns_rdata_octets(const ldns_rr *rr, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		size_t fl = ldns_rdf_size(f);
		if (n + fl > cap)
			return (size_t)-1;
		memcpy(out + n, ldns_rdf_data(f), fl);
		n += fl;
	}
	return n;
}

static bool ldns_knows_type(uint16_t type)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(type);
	return d && d->_name && type != LDNS_RR_TYPE_NULL;
}

/* "owner\tttl\tCLASS\tTYPE\t\\# n hex" from ldns's fields and the rdata
 * octets in c->lbuf (n of them). */
static void ldns_opaque_text(ctx *c, const ldns_rr *lr, size_t n)
{
	char *o = ldns_rdf2str(ldns_rr_owner(lr));
	char *cl = ldns_rr_class2str(ldns_rr_get_class(lr));
	char *ty = ldns_rr_type2str(ldns_rr_get_type(lr));
	int k = snprintf(c->tl, TEXT_CAP, "%s\t%u\t%s\t%s\t\\# %zu",
	                 o ? o : "?", (unsigned)ldns_rr_ttl(lr), cl ? cl : "?",
	                 ty ? ty : "?", n);
	size_t at = k > 0 ? (size_t)k : 0;
	if (n && at + 1 < TEXT_CAP)
		c->tl[at++] = ' ';
	for (size_t i = 0; i < n && at + 3 < TEXT_CAP; i++) {
		static const char hx[] = "0123456789abcdef";
		c->tl[at++] = hx[c->lbuf[i] >> 4];
		c->tl[at++] = hx[c->lbuf[i] & 15];
	}
	c->tl[at] = '\0';
	free(o);
	free(cl);
	free(ty);
}

/* One record of a section; returns false on a difference (noted). */
static bool cmp_record(ctx *c, const dns_msg *m, const dns_rr_view *v,
                       const ldns_rr *lr, int sect, unsigned idx)
{
	dns_rr rr;
	int r = dns_rr_view_to_rr(m, v, &rr, c->rbuf, DNS_RDATA_MAX);
	if (r < 0) {
		note_diff(c, "%s #%u: dns_rr_view_to_rr: %s", sect_name(sect),
		          idx, ward_strerror(r));
		return false;
	}
	const ldns_rdf *lo = ldns_rr_owner(lr);
	if (rr.owner.len != ldns_rdf_size(lo) ||
	    memcmp(rr.owner.wire, ldns_rdf_data(lo), rr.owner.len)) {
		char a[DNS_NAME_TEXT_MAX];
		char *b = ldns_rdf2str(lo);
		note_diff(c, "%s #%u: owner differs: ward %s, ldns %s",
		          sect_name(sect), idx, dns_name_str(&rr.owner, a),
		          b ? b : "?");
		free(b);
		return false;
	}
	if (rr.type != ldns_rr_get_type(lr) ||
	    rr.rclass != ldns_rr_get_class(lr)) {
		note_diff(c, "%s #%u: type/class differ: ward %u/%u, ldns %u/%u",
		          sect_name(sect), idx, rr.type, rr.rclass,
		          (unsigned)ldns_rr_get_type(lr),
		          (unsigned)ldns_rr_get_class(lr));
		return false;
	}
	if (sect == DNS_SEC_QUESTION) {
		/* ldns prints a question as "owner\tCLASS\tTYPE" */
		strbuf sb = strbuf_init(c->tw, TEXT_CAP);
		dns_name_to_text(&rr.owner, &sb);
		strbuf_putc(&sb, '\t');
		dns_class_to_text(rr.rclass, &sb);
		strbuf_putc(&sb, '\t');
		dns_type_to_text(rr.type, &sb);
		char *t = ldns_rr2str_fmt(ldns_output_format_nocomments, lr);
		snprintf(c->tl, TEXT_CAP, "%s", t ? t : "(ldns cannot print)");
		free(t);
	} else {
		if (rr.ttl != ldns_rr_ttl(lr)) {
			note_diff(c, "%s #%u: ttl differs: ward %u, ldns %u",
			          sect_name(sect), idx, (unsigned)rr.ttl,
			          (unsigned)ldns_rr_ttl(lr));
			return false;
		}
		size_t ln = ldns_rdata_octets(lr, c->lbuf, DNS_RDATA_MAX);
		if (ln != rr.rdlen || memcmp(c->lbuf, rr.rdata, ln)) {
			note_diff(c, "%s #%u: rdata octets differ (ward %u, "
			          "ldns %zu octets)", sect_name(sect), idx,
			          rr.rdlen, ln);
			return false;
		}
		if (rr.type == DNS_T_NXT) {
			c->res->fmt[FMT_NXT]++;
			c->res->records++;
			return true;
		}
		strbuf sb = strbuf_init(c->tw, TEXT_CAP);
		r = dns_rr_to_text(&rr, &sb);
		if (r < 0) {
			note_diff(c, "%s #%u: dns_rr_to_text: %s", sect_name(sect),
			          idx, ward_strerror(r));
			return false;
		}
		const char *wr = c->tw;
		for (int tabs = 0; tabs < 4 && wr; tabs++)
			if ((wr = strchr(wr, '\t')))
				wr++;
		bool generic = wr && !strncmp(wr, "\\#", 2);
		if (!dns_type_known(rr.type) && ldns_knows_type(rr.type)) {
			/* Known difference FMT_OPAQUE: ward has no descriptor for
			 * this type and prints RFC 3597 "\# len hex"; expect that
			 * form after ldns's owner, TTL, class and type. */
			c->res->fmt[FMT_OPAQUE]++;
			ldns_opaque_text(c, lr, ln);
		} else if (generic && dns_type_known(rr.type)) {
			/* Known difference FMT_GENERIC: the same for a type
			 * ward knows but whose text cannot show this rdata */
			c->res->fmt[FMT_GENERIC]++;
			ldns_opaque_text(c, lr, ln);
		} else {
			char *t = ldns_rr2str_fmt(ldns_output_format_nocomments, lr);
			snprintf(c->tl, TEXT_CAP, "%s",
			         t ? t : "(ldns cannot print)");
			free(t);
		}
	}
	c->res->records++;
	/* the known formatting differences: norm.c, one rule each */
	norm_record(c->tw, TEXT_CAP, rr.type, false, c->res->norm);
	norm_record(c->tl, TEXT_CAP, rr.type, true, c->res->norm);
	if (strcmp(c->tw, c->tl)) {
		note_diff(c, "%s #%u: text differs\n    ward: %s\n    ldns: %s",
		          sect_name(sect), idx, c->tw, c->tl);
		return false;
	}
	if (c->print_all)
		printf("  %-10s %s\n", sect_name(sect), c->tw);
	return true;
}

static bool cmp_header(ctx *c, const dns_msg *m, const ldns_pkt *p)
{
	uint16_t f = m->flags;
	bool ok = m->id == ldns_pkt_id(p) &&
	          !!(f & DNS_FLAG_QR) == ldns_pkt_qr(p) &&
	          DNS_OPCODE(f) == (unsigned)ldns_pkt_get_opcode(p) &&
	          !!(f & DNS_FLAG_AA) == ldns_pkt_aa(p) &&
	          !!(f & DNS_FLAG_TC) == ldns_pkt_tc(p) &&
	          !!(f & DNS_FLAG_RD) == ldns_pkt_rd(p) &&
	          !!(f & DNS_FLAG_RA) == ldns_pkt_ra(p) &&
	          !!(f & DNS_FLAG_AD) == ldns_pkt_ad(p) &&
	          !!(f & DNS_FLAG_CD) == ldns_pkt_cd(p) &&
	          DNS_RCODE(f) == (unsigned)ldns_pkt_get_rcode(p);
	if (!ok)
		note_diff(c, "header differs: ward id %u flags %04x", m->id, f);
	return ok;
}

static bool cmp_edns(ctx *c, const dns_msg *m, const ldns_pkt *p)
{
	if (m->has_opt != ldns_pkt_edns(p)) {
		note_diff(c, "EDNS presence differs: ward %d, ldns %d",
		          m->has_opt, ldns_pkt_edns(p));
		return false;
	}
	if (!m->has_opt)
		return true;
	const dns_rr_view *o = &m->opt;
	const ldns_rdf *d = ldns_pkt_edns_data(p);
	size_t dl = d ? ldns_rdf_size(d) : 0;
	if (o->rclass != ldns_pkt_edns_udp_size(p) ||
	    (o->ttl >> 24) != ldns_pkt_edns_extended_rcode(p) ||
	    ((o->ttl >> 16) & 0xff) != ldns_pkt_edns_version(p) ||
	    (o->ttl & 0xffff) != ldns_pkt_edns_z(p) || dl != o->rdlen ||
	    (dl && memcmp(ldns_rdf_data(d), m->pkt + o->rdata_off, dl))) {
		note_diff(c, "EDNS differs: ward udp %u ttl %08x rdlen %u; ldns "
		          "udp %u rcode %u version %u z %04x data %zu",
		          o->rclass, (unsigned)o->ttl, o->rdlen,
		          ldns_pkt_edns_udp_size(p),
		          ldns_pkt_edns_extended_rcode(p),
		          ldns_pkt_edns_version(p), ldns_pkt_edns_z(p), dl);
		return false;
	}
	return true;
}

/* TSIG: ldns takes it out of the additional section (ldns_pkt_tsig); ward
 * keeps it there and has no presentation format for it (RFC 8945 records
 * are not zone data), so only the octets are compared. */
static bool cmp_tsig(ctx *c, const dns_msg *m, const dns_rr_view *v,
                     const ldns_rr *lt)
{
	c->res->fmt[FMT_TSIG]++;
	if (!lt) {
		note_diff(c, "ward has a TSIG record, ldns none");
		return false;
	}
	dns_rr rr;
	int r = dns_rr_view_to_rr(m, v, &rr, c->rbuf, DNS_RDATA_MAX);
	size_t ln = ldns_rdata_octets(lt, c->lbuf, DNS_RDATA_MAX);
	const ldns_rdf *lo = ldns_rr_owner(lt);
	if (r < 0 || rr.owner.len != ldns_rdf_size(lo) ||
	    memcmp(rr.owner.wire, ldns_rdf_data(lo), rr.owner.len) ||
	    rr.rclass != ldns_rr_get_class(lt) || rr.ttl != ldns_rr_ttl(lt) ||
	    ln != rr.rdlen || memcmp(c->lbuf, rr.rdata, ln)) {
		note_diff(c, "TSIG record differs");
		return false;
	}
	return true;
}

static bool cmp_section(ctx *c, const dns_msg *m, const ldns_pkt *p, int s)
{
	const ldns_rr_list *l = s == DNS_SEC_QUESTION ? ldns_pkt_question(p)
	                      : s == DNS_SEC_ANSWER ? ldns_pkt_answer(p)
	                      : s == DNS_SEC_AUTHORITY ? ldns_pkt_authority(p)
	                      : ldns_pkt_additional(p);
	size_t ln = ldns_rr_list_rr_count(l), li = 0;
	unsigned idx = 0;
	bool tsig_seen = false;
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, m, (enum dns_section)s);
	while (dns_rr_iter_next(&it, &v) == 1) {
		idx++;
		if (s == DNS_SEC_ADDITIONAL && v.type == DNS_T_OPT)
			continue; /* compared by cmp_edns */
		if (s == DNS_SEC_ADDITIONAL && v.type == DNS_T_TSIG &&
		    !tsig_seen) {
			tsig_seen = true;
			if (!cmp_tsig(c, m, &v, ldns_pkt_tsig(p)))
				return false;
			continue;
		}
		if (li >= ln) {
			note_diff(c, "%s: ward has more records than ldns (%zu)",
			          sect_name(s), ln);
			return false;
		}
		if (!cmp_record(c, m, &v, ldns_rr_list_rr(l, li++), s, idx))
			return false;
	}
	if (li != ln) {
		note_diff(c, "%s: ldns has %zu records, ward %zu", sect_name(s),
		          ln, li);
		return false;
	}
	return true;
}

static bool cmp_message(ctx *c, const dns_msg *m, const ldns_pkt *p)
{
	if (!cmp_header(c, m, p) || !cmp_edns(c, m, p))
		return false;
	for (int s = 0; s < 4; s++)
		if (!cmp_section(c, m, p, s))
			return false;
	return true;
}

/* When ward parses a message ldns refuses: which category explains it,
 * found by running ldns_wire2rr on each record ward parsed. CAT_OPAQUE: it
 * fails on a record of a type ward has no descriptor for; CAT_DESYNC: it
 * succeeds but ends elsewhere than the end of the record's rdata. -1 when
 * neither (an unexplained mismatch). */
static int ldns_refusal_cat(const dns_msg *m)
{
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter it;
		dns_rr_view v;
		dns_rr_iter_init(&it, m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v) == 1) {
			size_t pos = v.owner_off;
			ldns_rr *rr = NULL;
			ldns_status st = ldns_wire2rr(&rr, m->pkt, m->len, &pos,
			                              LDNS_SECTION_ANSWER);
			ldns_rr_free(rr);
			if (st != LDNS_STATUS_OK) {
				/* in the rdata, not the owner/type/class? */
				pos = v.owner_off;
				st = ldns_wire2rr(&rr, m->pkt, m->len, &pos,
				                  LDNS_SECTION_QUESTION);
				if (st == LDNS_STATUS_OK)
					ldns_rr_free(rr);
				return st == LDNS_STATUS_OK && !dns_type_known(v.type)
				       ? CAT_OPAQUE : -1;
			}
			if (pos != v.rdata_off + v.rdlen)
				return CAT_DESYNC;
		}
	}
	return -1;
}

/* ---- one message ---- */

enum verdict { V_AGREE_OK, V_AGREE_FAIL, V_DELIB, V_MISMATCH };

static void report_mismatch(ctx *c, const uint8_t *wire, size_t len)
{
	c->res->mismatches++;
	if (c->printed++ >= MAX_PRINTED)
		return;
	printf("MISMATCH %s (%zu octets): %s\n", c->where, len, c->diff);
	if (len <= 4096) {
		printf("    wire:");
		for (size_t i = 0; i < len; i++)
			printf("%s%02x", i % 32 ? "" : "\n      ", wire[i]);
		printf("\n");
	}
}

static enum verdict diff_one(ctx *c, const uint8_t *wire, size_t len)
{
	dns_msg m;
	ldns_pkt *p = NULL;
	int wr = dns_msg_parse(&m, wire, len);
	ldns_status ls = ldns_wire2pkt(&p, wire, len);
	bool lok = ls == LDNS_STATUS_OK;
	enum verdict v;
	c->has_diff = false;
	c->res->compared++;
	if (c->print_all)
		printf("%s: ward %s, ldns %s\n", c->where, ward_strerror(wr),
		       ldns_get_errorstr_by_id(ls));

	if (wr == 0 && lok) {
		v = cmp_message(c, &m, p) ? V_AGREE_OK : V_MISMATCH;
		/* ldns lost its place inside the message, and still found a
		 * message in the rest: its records are wrong, not ward's */
		if (v == V_MISMATCH && ldns_refusal_cat(&m) == CAT_DESYNC) {
			v = V_DELIB;
			c->res->delib[CAT_DESYNC]++;
			if (c->verbose || c->delib_printed++ < MAX_DELIB_PRINTED)
				printf("deliberate %s: %s: both parse, %s\n",
				       cats[CAT_DESYNC].name, c->where, c->diff);
		}
	} else if (wr < 0 && !lok) {
		v = V_AGREE_FAIL;
		if (c->verbose)
			printf("both refuse %s: ward %s in %s after %u records "
			       "(offset %zu); ldns %s\n", c->where,
			       ward_strerror(wr), sect_name((int)m.err_section),
			       m.parsed[m.err_section], m.err_off,
			       ldns_get_errorstr_by_id(ls));
	} else if ((wr < 0 && lok && cat_of_ward_err(wr) >= 0) ||
	           (wr == 0 && !lok && ldns_refusal_cat(&m) >= 0)) {
		int cat = wr < 0 ? cat_of_ward_err(wr) : ldns_refusal_cat(&m);
		v = V_DELIB;
		/* ward parsed the whole message before seeing the trailing
		 * bytes: the records must still agree */
		if (cat == CAT_TRAILING && !cmp_message(c, &m, p))
			v = V_MISMATCH;
		if (v == V_DELIB) {
			c->res->delib[cat]++;
			if (c->verbose || c->delib_printed < MAX_DELIB_PRINTED) {
				c->delib_printed++;
				if (wr < 0)
					printf("deliberate %s: %s: ward %s in %s after "
					       "%u records (offset %zu)\n",
					       cats[cat].name, c->where,
					       ward_strerror(wr),
					       sect_name((int)m.err_section),
					       m.parsed[m.err_section], m.err_off);
				else
					printf("deliberate %s: %s: ldns %s\n",
					       cats[cat].name, c->where,
					       ldns_get_errorstr_by_id(ls));
			}
		}
	} else if (wr < 0) {
		note_diff(c, "ldns parses it, ward fails: %s in %s after %u "
		          "records (offset %zu)", ward_strerror(wr),
		          sect_name((int)m.err_section), m.parsed[m.err_section],
		          m.err_off);
		v = V_MISMATCH;
	} else {
		note_diff(c, "ward parses it, ldns fails: %s",
		          ldns_get_errorstr_by_id(ls));
		v = V_MISMATCH;
	}
	if (v == V_AGREE_OK)
		c->res->agree_ok++;
	else if (v == V_AGREE_FAIL)
		c->res->agree_fail++;
	else if (v == V_MISMATCH)
		report_mismatch(c, wire, len);
	ldns_pkt_free(p);
	return v;
}

/* ---- the sets ---- */

static unsigned long env_ul(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	return strtoul(s, NULL, 0);
}

static int on_capture(void *arg, const char *where, const uint8_t *msg,
                      size_t len)
{
	ctx *c = arg;
	c->where = where;
	(void)diff_one(c, msg, len);
	return 0;
}

static void print_results(const results *r)
{
	unsigned long d = 0;
	for (int i = 0; i < NCAT; i++)
		d += r->delib[i];
	printf("%s: %lu messages compared: %lu agreed (%lu both parse, %lu "
	       "both refuse), %lu deliberate differences, %lu mismatches; "
	       "%lu records compared\n", r->name, r->compared,
	       r->agree_ok + r->agree_fail, r->agree_ok, r->agree_fail, d,
	       r->mismatches, r->records);
	for (int i = 0; i < NCAT; i++)
		if (r->delib[i])
			printf("    deliberate %-28s %6lu  (%s)\n", cats[i].name,
			       r->delib[i], cats[i].why);
	for (int i = 0; i < NFMT; i++)
		if (r->fmt[i])
			printf("    known difference: %6lu records, %s\n",
			       r->fmt[i], fmt_names[i]);
	for (int i = 0; i < NORM_NRULES; i++)
		if (r->norm[i])
			printf("    known format difference: %6lu texts, %s\n",
			       r->norm[i], norm_rule_names[i]);
}

/* Compare the per-category counts with the expected ones; false (and a
 * message) on any difference. */
static bool check_counts(const results *r, const unsigned long want[NCAT])
{
	bool ok = true;
	for (int i = 0; i < NCAT; i++)
		if (r->delib[i] != want[i]) {
			printf("FAIL %s: deliberate %s: expected %lu, got %lu "
			       "(update the expected counts in %s if the change "
			       "is intended)\n", r->name, cats[i].name, want[i],
			       r->delib[i], __FILE__);
			ok = false;
		}
	return ok;
}

/* Expected deliberate differences in the shared captures, as extracted by
 * pcapsrc.c (ward's capture core). */
static const unsigned long want_captures[NCAT] = {
	[CAT_TRAILING] = 1, /* dnscap/dnspad.pcap: a query padded with zeros */
};

/* Expected deliberate differences in the flipped set (1..3 random octets
 * of each of the first WARD_DIFF_COUNT/10 generated messages overwritten),
 * asserted only with the default seed and count. A change of the generator
 * changes them too. */
static const unsigned long want_flipped[NCAT] = {
	[CAT_BADOPT] = 4, [CAT_PTRFWD] = 1, [CAT_RDATA] = 16,
};

int main(void)
{
	unsigned long count = env_ul("WARD_DIFF_COUNT", 10000);
	uint64_t seed = env_ul("WARD_DIFF_SEED", 0) ? env_ul("WARD_DIFF_SEED", 0)
	                                           : GEN_SEED_DEFAULT;
	const char *only = getenv("WARD_DIFF_ONLY");
	const char *td = getenv("WARD_TESTDATA");
	char pcaps[1024];
	unsigned long passed = 0, failed = 0;
	bool counts_ok = true;

	static ctx c; /* large: keep it off the stack */
	c.tw = malloc(TEXT_CAP);
	c.tl = malloc(TEXT_CAP);
	c.rbuf = malloc(DNS_RDATA_MAX + 1);
	c.lbuf = malloc(DNS_RDATA_MAX + 1);
	if (!c.tw || !c.tl || !c.rbuf || !c.lbuf) {
		printf("out of memory\n0 passed, 1 failed\n");
		return 1;
	}
	c.verbose = env_ul("WARD_DIFF_VERBOSE", 0) != 0;

	if (only) {
		uint64_t idx = strtoull(only, NULL, 0);
		uint8_t *w;
		size_t n;
		const char *why;
		results r = { .name = "one generated message" };
		char where[64];
		if (gen_message(seed, idx, &w, &n, NULL, &why) < 0) {
			printf("generator: %s\n", why);
			return 1;
		}
		snprintf(where, sizeof where, "gen#%llu", (unsigned long long)idx);
		c.res = &r;
		c.where = where;
		c.print_all = true;
		enum verdict v = diff_one(&c, w, n);
		if (v == V_MISMATCH)
			printf("%s\n", c.diff);
		free(w);
		printf("%d passed, %d failed\n", v != V_MISMATCH, v == V_MISMATCH);
		return v == V_MISMATCH;
	}

	/* 1. the captures */
	results rc = { .name = "captures" };
	snprintf(pcaps, sizeof pcaps, "%s/pcaps", td && *td ? td
	         : "../shared/testdata");
	c.res = &rc;
	pcapsrc_stats ps;
	if (pcapsrc_walk(pcaps, on_capture, &c, &ps) < 0) {
		printf("skip captures: %s is absent\n", pcaps);
	} else {
		printf("captures: %lu files (%lu unreadable), %lu frames, %lu DNS "
		       "messages over UDP, %lu over TCP, %lu cut short by the "
		       "snap length, %lu datagrams reassembled\n", ps.files,
		       ps.files_bad, ps.frames, ps.dns_udp, ps.dns_tcp,
		       ps.truncated, ps.reassembled);
		print_results(&rc);
		counts_ok &= check_counts(&rc, want_captures);
		if (rc.compared == 0) {
			printf("FAIL captures: no DNS message found\n");
			counts_ok = false;
		}
	}

	/* 2. the generated set and 3. its mutations */
	results rg = { .name = "generated" };
	results rt = { .name = "generated+trailing" };
	results rx = { .name = "generated, cut short" };
	results rf = { .name = "generated, flipped" };
	gen_stats gs;
	gen_rng mut;
	unsigned long gen_fail = 0;
	unsigned long nmut = count / 10;
	memset(&gs, 0, sizeof gs);
	gen_rng_seed(&mut, seed, 0xfffffffffULL);
	for (unsigned long i = 0; i < count; i++) {
		uint8_t *w;
		size_t n;
		const char *why;
		char where[64];
		if (gen_message(seed, i, &w, &n, &gs, &why) < 0) {
			if (gen_fail++ < MAX_PRINTED)
				printf("generator failed on message %lu: %s\n", i, why);
			continue;
		}
		snprintf(where, sizeof where, "gen#%lu", i);
		c.where = where;
		c.res = &rg;
		(void)diff_one(&c, w, n);
		if (i < nmut) {
			uint8_t *t = malloc(n + 4);
			size_t extra = 1 + gen_rng_below(&mut, 4);
			if (!t) {
				free(w);
				break;
			}
			memcpy(t, w, n);
			for (size_t j = 0; j < extra; j++)
				t[n + j] = (uint8_t)gen_rng_u64(&mut);
			snprintf(where, sizeof where, "gen#%lu+%zu", i, extra);
			c.res = &rt;
			(void)diff_one(&c, t, n + extra);
			size_t cut = DNS_HEADER_LEN +
			             gen_rng_below(&mut, (uint32_t)(n - DNS_HEADER_LEN));
			memcpy(t, w, cut);
			snprintf(where, sizeof where, "gen#%lu/%zu", i, cut);
			c.res = &rx;
			(void)diff_one(&c, t, cut);
			memcpy(t, w, n);
			unsigned nf = 1 + gen_rng_below(&mut, 3);
			for (unsigned j = 0; j < nf; j++) {
				size_t at = gen_rng_below(&mut, (uint32_t)n);
				t[at] = (uint8_t)gen_rng_u64(&mut);
			}
			snprintf(where, sizeof where, "gen#%lu~%u", i, nf);
			c.res = &rf;
			(void)diff_one(&c, t, n);
			free(t);
		}
		free(w);
	}
	printf("generated: %lu messages (%zu octets, %lu questions, %lu "
	       "records, %lu with EDNS, %lu with names that need escapes), "
	       "seed %#llx\n", gs.msgs, gs.bytes, gs.questions, gs.records,
	       gs.with_edns, gs.escaped_names, (unsigned long long)seed);
	printf("    records per type:");
	for (size_t i = 0; i < gen_ntypes; i++) {
		char tb[16];
		printf("%s %s %lu", i % 8 ? "," : "\n     ",
		       gen_types[i] ? dns_type_str(gen_types[i], tb) : "unknown",
		       gs.per_type[i]);
	}
	printf("\n");
	print_results(&rg);
	print_results(&rt);
	print_results(&rx);
	print_results(&rf);
	if (gen_fail) {
		printf("FAIL generator: %lu messages could not be built\n",
		       gen_fail);
		counts_ok = false;
	}
	/* every generated message is valid: all agree, no category */
	unsigned long zero[NCAT] = { 0 };
	counts_ok &= check_counts(&rg, zero);
	if (rg.fmt[FMT_GENERIC]) {
		printf("FAIL generated: %lu valid records printed in the RFC 3597 "
		       "form\n", rg.fmt[FMT_GENERIC]);
		counts_ok = false;
	}
	if (rg.agree_ok != rg.compared) {
		printf("FAIL generated: %lu of %lu valid messages did not parse "
		       "alike in both\n", rg.compared - rg.agree_ok, rg.compared);
		counts_ok = false;
	}
	/* appended bytes: all trailing-bytes, records compared */
	unsigned long want_t[NCAT] = { [CAT_TRAILING] = rt.compared };
	counts_ok &= check_counts(&rt, want_t);
	/* overwritten octets: the categories seen, when they are known */
	if (count == 10000 && seed == GEN_SEED_DEFAULT)
		counts_ok &= check_counts(&rf, want_flipped);
	else
		printf("note: flipped set counts not asserted (seed or count "
		       "differ from the defaults)\n");
	/* cut short: both refuse every one */
	counts_ok &= check_counts(&rx, zero);
	if (rx.agree_fail != rx.compared) {
		printf("FAIL cut short: %lu of %lu messages were not refused by "
		       "both\n", rx.compared - rx.agree_fail, rx.compared);
		counts_ok = false;
	}

	const results *all[] = { &rc, &rg, &rt, &rx, &rf };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		passed += all[i]->compared - all[i]->mismatches;
		failed += all[i]->mismatches;
	}
	if (c.printed > MAX_PRINTED)
		printf("(%lu more mismatches not shown)\n", c.printed - MAX_PRINTED);
	if (!counts_ok && failed == 0)
		failed = 1; /* a count assertion failed: count it once */
	free(c.tw);
	free(c.tl);
	free(c.rbuf);
	free(c.lbuf);
	norm_cleanup();
	printf("%lu passed, %lu failed\n", passed, failed);
	return failed != 0;
}
