/* ward toolkit: semantic comparison of two DNS answers (see the header). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diff_compare.h"
#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"

#define DIFF_MAX_EDE 16

static const char *const kind_names[DIFF_NKINDS] = {
	"timeout", "rcode", "flags", "answer", "authority", "additional", "ede",
};

const char *diff_kind_name(enum diff_kind k)
{
	return k < DIFF_NKINDS ? kind_names[k] : "?";
}

/* One section as text lines "owner class type [ttl] rdata", owner in
 * lower case (RFC 4343: names compare case-insensitively). */
struct lines {
	char **v;
	size_t n;
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define DIFF_TEXT_MAX (1 << 17) /* one record as text: 64 KB rdata, escaped */

static void section_lines(const dns_msg *m, enum dns_section s, bool ttl,
                          struct lines *l, char *buf)
{
	dns_rr_iter it;
	dns_rr_view v;
	size_t cap = 0;
	l->v = NULL;
	l->n = 0;
	dns_rr_iter_init(&it, m, s);
	while (dns_rr_iter_next(&it, &v) == 1) {
		if (v.type == DNS_T_OPT)
			continue;
		strbuf sb = strbuf_init(buf, DIFF_TEXT_MAX);
		if (dns_rr_view_to_text(m, &v, &sb) || sb.err)
			continue;
		/* owner \t ttl \t class \t type \t rdata */
		char *tab1 = strchr(buf, '\t');
		char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!tab2)
			continue;
		for (char *p = buf; p < tab1; p++)
			*p = (char)tolower((unsigned char)*p);
		if (!ttl)
			memmove(tab1, tab2, strlen(tab2) + 1);
		if (l->n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(l->v, nc * sizeof *nv);
			if (!nv)
				break;
			l->v = nv;
			cap = nc;
		}
		if (!(l->v[l->n] = strdup(buf)))
			break;
		l->n++;
	}
}

static bool section_differs(const dns_msg *a, const dns_msg *b,
                            enum dns_section s, const struct diff_opts *o,
                            char *buf)
{
	struct lines la, lb;
	/* quick path: the same records in the same place (the common case) */
	if (a->count[s] == 0 && b->count[s] == 0)
		return false;
	section_lines(a, s, o->ttl, &la, buf);
	section_lines(b, s, o->ttl, &lb, buf);
	if (!o->order) {
		if (la.n)
			qsort(la.v, la.n, sizeof *la.v, cmp_str);
		if (lb.n)
			qsort(lb.v, lb.n, sizeof *lb.v, cmp_str);
	}
	/* a set: duplicates (RFC 2181 §5) count once */
	size_t i = 0, j = 0;
	bool differ = false;
	while (!differ && (i < la.n || j < lb.n)) {
		if (i == la.n || j == lb.n || strcmp(la.v[i], lb.v[j])) {
			differ = true;
			break;
		}
		i++;
		j++;
		while (!o->order && i < la.n && !strcmp(la.v[i], la.v[i - 1]))
			i++;
		while (!o->order && j < lb.n && !strcmp(lb.v[j], lb.v[j - 1]))
			j++;
	}
	lines_free(&la);
	lines_free(&lb);
	return differ;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* The EDE info codes of m, sorted; returns how many. */
static size_t ede_codes(const dns_msg *m, uint16_t *codes, size_t cap)
{
	edns_info e;
	size_t n = 0;
	if (edns_from_msg(m, &e))
		return 0;
	edns_opt_iter it;
	edns_opt op;
	edns_opt_iter_init(&it, e.opts, e.opts_len);
	while (n < cap && edns_opt_iter_next(&it, &op) == 1) {
		edns_ede ede;
		if (op.code == EDNS_OPT_EDE && edns_ede_parse(&op, &ede) == 0)
			codes[n++] = ede.info_code;
	}
	qsort(codes, n, sizeof *codes, cmp_u16);
	return n;
}

unsigned diff_compare(const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, const struct diff_opts *o)
{
	bool ha = a && alen >= DNS_HEADER_LEN, hb = b && blen >= DNS_HEADER_LEN;
	if (!ha && !hb)
		return 0;
	if (!ha || !hb)
		return DIFF_BIT(DIFF_TIMEOUT);
	dns_msg ma, mb;
	dns_msg_parse(&ma, a, alen);
	dns_msg_parse(&mb, b, blen);
	unsigned k = 0;
	if (dns_msg_rcode(&ma) != dns_msg_rcode(&mb))
		k |= DIFF_BIT(DIFF_RCODE);
	if ((ma.flags & DIFF_FLAG_MASK) != (mb.flags & DIFF_FLAG_MASK))
		k |= DIFF_BIT(DIFF_FLAGS);
	static const enum dns_section secs[3] = {
		DNS_SEC_ANSWER, DNS_SEC_AUTHORITY, DNS_SEC_ADDITIONAL };
	char *buf = malloc(DIFF_TEXT_MAX);
	for (int i = 0; buf && i < 3; i++)
		if (section_differs(&ma, &mb, secs[i], o, buf))
			k |= DIFF_BIT(DIFF_ANSWER + i);
	if (!buf) /* out of memory: say the sections could not be compared */
		k |= DIFF_BIT(DIFF_ANSWER);
	free(buf);
	uint16_t ea[DIFF_MAX_EDE], eb[DIFF_MAX_EDE];
	size_t na = ede_codes(&ma, ea, DIFF_MAX_EDE);
	size_t nb = ede_codes(&mb, eb, DIFF_MAX_EDE);
	if (na != nb || (na && memcmp(ea, eb, na * sizeof *ea)))
		k |= DIFF_BIT(DIFF_EDE);
	return k;
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
}

static void rcode_text(const dns_msg *m, char *buf, size_t cap)
{
	unsigned rc = dns_msg_rcode(m);
	const char *n = dns_rcode_name(rc);
	if (n)
		snprintf(buf, cap, "%s", n);
	else
		snprintf(buf, cap, "RCODE%u", rc);
}

void diff_print_short(FILE *out, const char *indent, const uint8_t *a,
                      size_t alen, unsigned sections)
{
	if (!a || alen < DNS_HEADER_LEN) {
		fprintf(out, "%sno answer (timeout)\n", indent);
		return;
	}
	dns_msg m;
	dns_msg_parse(&m, a, alen);
	char rc[24], fl[64];
	rcode_text(&m, rc, sizeof rc);
	flags_text(m.flags, fl, sizeof fl);
	fprintf(out, "%sstatus: %s, flags: %s", indent, rc, fl);
	uint16_t ede[DIFF_MAX_EDE];
	size_t ne = ede_codes(&m, ede, DIFF_MAX_EDE);
	for (size_t i = 0; i < ne; i++) {
		const char *en = edns_ede_name(ede[i]);
		fprintf(out, "%s%u (%s)", i ? ", " : "; EDE: ", ede[i], en ? en : "?");
	}
	if (m.err)
		fprintf(out, "; MALFORMED: %s", ward_strerror(m.err));
	fputc('\n', out);
	char *buf = malloc(1 << 17);
	if (!buf)
		return;
	for (int s = DNS_SEC_ANSWER; s <= DNS_SEC_ADDITIONAL; s++) {
		if (!(sections & DIFF_BIT(DIFF_ANSWER + s - 1)))
			continue;
		dns_rr_iter it;
		dns_rr_view v;
		fprintf(out, "%s;; %s (%u)\n", indent, dns_section_name((enum dns_section)s, false),
		        m.parsed[s]);
		dns_rr_iter_init(&it, &m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v) == 1) {
			if (v.type == DNS_T_OPT)
				continue;
			strbuf sb = strbuf_init(buf, 1 << 17);
			if (dns_rr_view_to_text(&m, &v, &sb) == 0)
				fprintf(out, "%s%s\n", indent, buf);
		}
	}
	free(buf);
}

void diff_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void diff_print_json(FILE *out, const uint8_t *a, size_t alen)
{
	if (!a || alen < DNS_HEADER_LEN) {
		fputs("null", out);
		return;
	}
	dns_msg m;
	dns_msg_parse(&m, a, alen);
	char rc[24], fl[64];
	rcode_text(&m, rc, sizeof rc);
	flags_text(m.flags, fl, sizeof fl);
	fputs("{\"rcode\":", out);
	diff_json_str(out, rc);
	fputs(",\"flags\":", out);
	diff_json_str(out, fl);
	fputs(",\"ede\":[", out);
	uint16_t ede[DIFF_MAX_EDE];
	size_t ne = ede_codes(&m, ede, DIFF_MAX_EDE);
	for (size_t i = 0; i < ne; i++)
		fprintf(out, "%s%u", i ? "," : "", ede[i]);
	fputc(']', out);
	char *buf = malloc(1 << 17);
	static const char *const sn[4] = { "", "answer", "authority", "additional" };
	for (int s = DNS_SEC_ANSWER; buf && s <= DNS_SEC_ADDITIONAL; s++) {
		dns_rr_iter it;
		dns_rr_view v;
		bool first = true;
		fprintf(out, ",\"%s\":[", sn[s]);
		dns_rr_iter_init(&it, &m, (enum dns_section)s);
		while (dns_rr_iter_next(&it, &v) == 1) {
			if (v.type == DNS_T_OPT)
				continue;
			strbuf sb = strbuf_init(buf, 1 << 17);
			if (dns_rr_view_to_text(&m, &v, &sb))
				continue;
			if (!first)
				fputc(',', out);
			first = false;
			diff_json_str(out, buf);
		}
		fputc(']', out);
	}
	free(buf);
	fputc('}', out);
}
