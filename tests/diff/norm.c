/* ward tests: normalisation of record texts, ward vs ldns. See norm.h. */
#include "norm.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/rr.h"

const char *const norm_rule_names[NORM_NRULES] = {
	[NORM_SPACES] = "ldns ends NSEC/NSEC3/NSEC3PARAM/APL rdata with a "
	                "blank and puts two before the NSEC3 next hashed owner",
	[NORM_HEXCASE] = "hex digits: ward upper case (as the RFC 4034 and "
	                 "RFC 3597 examples), ldns lower case",
	[NORM_NAMEESC] = "names: ward escapes '@' '$' '\"' as \\X and a blank "
	                 "as '\\ '; ldns leaves the first three bare, writes "
	                 "\\032",
	[NORM_B32PAD] = "NSEC3 next hashed owner: ldns pads base32hex with "
	                "'=' (RFC 5155 §3.3: unpadded, as ward)",
	[NORM_EMPTYLAST] = "empty CAA value: ldns prints no field, ward \"\" "
	                   "(RFC 8659 §4.1.1)",
	[NORM_SVCQUOTE] = "SvcParam values (alpn and opaque ones): ldns quotes "
	                  "them when they "
	                  "hold a whitespace octet and writes a TAB raw, ward "
	                  "when they hold a blank, ';', '(' or ')' and writes "
	                  "\\009; a raw TAB becomes \\009 and quotes around "
	                  "a value with no blank left are dropped",
	[NORM_TIME] = "RRSIG times: ldns prints them by serial-number "
	              "arithmetic around the current time (RFC 4034 §3.1.5), "
	              "so values past now + 68 years come out before 1970; "
	              "ward as plain seconds since 1970; compared as seconds "
	              "mod 2^32",
	[NORM_WKS] = "WKS: ldns names the protocol and the ports from the "
	             "system's protocols and services files, ward prints "
	             "numbers; ward's numbers are named the same way",
	[NORM_ALPNESC] = "',' and '\\' inside an alpn id: ward escapes "
	                 "twice (list, then presentation level: \\\\, as in "
	                 "RFC 9460 Appendix A.1), ldns once (\\,); ward's "
	                 "form is rewritten to ldns's",
	[NORM_METATYPE] = "types 251-255 inside rdata (RRSIG type covered, "
	                  "type bitmaps): ldns prints TYPEnnn, ward IXFR, "
	                  "AXFR, MAILB, MAILA, ANY as in the TYPE column",
};

#define MAXF 512 /* rdata fields: TXT has at most 65535/1 strings, but
                    records beyond MAXF fields are compared unsplit */

typedef struct fld {
	const char *p;
	size_t n;
} fld;

/* Bit i set: rdata field i of the type is a domain name. */
static unsigned name_fields(uint16_t type)
{
	switch (type) {
	case DNS_T_NS: case DNS_T_MD: case DNS_T_MF: case DNS_T_CNAME:
	case DNS_T_MB: case DNS_T_MG: case DNS_T_MR: case DNS_T_PTR:
	case DNS_T_DNAME: case DNS_T_NSEC: case 23: /* NSAP-PTR */
		return 1u << 0;
	case DNS_T_SOA: case DNS_T_MINFO: case DNS_T_RP: case 58: /* TALINK */
		return 1u << 0 | 1u << 1;
	case DNS_T_MX: case DNS_T_AFSDB: case DNS_T_RT: case DNS_T_KX:
	case 107: /* LP */
	case DNS_T_SVCB: case DNS_T_HTTPS:
		return 1u << 1;
	case DNS_T_PX:
		return 1u << 1 | 1u << 2;
	case DNS_T_SRV:
		return 1u << 3;
	case DNS_T_NAPTR:
		return 1u << 5;
	case DNS_T_SIG: case DNS_T_RRSIG:
		return 1u << 7;
	default:
		return 0;
	}
}

/* Hex fields of the type: [*first, *last]; false when none. The RFC 3597
 * form "\# len hex" is handled by the caller. */
static bool hex_fields(uint16_t type, unsigned *first, unsigned *last)
{
	*last = ~0u;
	switch (type) {
	case DNS_T_DS: case DNS_T_CDS: case DNS_T_DLV: case DNS_T_TLSA:
	case DNS_T_SMIMEA: case DNS_T_ZONEMD:
		*first = 3;
		return true;
	case DNS_T_SSHFP:
		*first = 2;
		return true;
	case DNS_T_NSEC3: case DNS_T_NSEC3PARAM: /* the salt */
		*first = *last = 3;
		return true;
	case DNS_T_EUI48: case DNS_T_EUI64: case DNS_T_NSAP:
		*first = *last = 0;
		return true;
	case 104: case 106: /* NID, L64 */
		*first = *last = 1;
		return true;
	default:
		return false;
	}
}

/* Split rdata text into fields separated by blanks. A field that starts
 * with '"' and has a closing unescaped '"' followed by a blank or the end
 * is one quoted string (ldns may print a bare '"' inside a name, so a '"'
 * without such a close is an ordinary character); inside a field, a '"'
 * right after '=' opens a quoted SvcParam value. */
static size_t split(const char *r, fld *f, size_t max)
{
	size_t k = 0;
	const char *p = r;
	while (*p && k < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *st = p;
		if (*p == '"') {
			const char *q = p + 1;
			while (*q && *q != '"')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			if (*q == '"' && (q[1] == ' ' || q[1] == '\t' || !q[1])) {
				f[k].p = st;
				f[k++].n = (size_t)(q + 1 - st);
				p = q + 1;
				continue;
			}
		}
		bool q = false;
		while (*p && (q || (*p != ' ' && *p != '\t'))) {
			if (*p == '\\' && p[1]) {
				p += 2;
				continue;
			}
			if (*p == '"' && (q || (p > st && p[-1] == '=')))
				q = !q;
			p++;
		}
		f[k].p = st;
		f[k++].n = (size_t)(p - st);
	}
	if (*p && k == max) /* too many: the rest as one field */
		f[k - 1].n = strlen(f[k - 1].p);
	return k;
}

/* the output buffer, kept between calls (one allocation per run) */
static char *scratch;
static size_t scratch_cap;

typedef struct out {
	char *b;
	size_t n, cap;
} out;

static void put(out *o, const char *p, size_t n)
{
	if (o->n + n + 1 > o->cap)
		n = o->cap > o->n + 1 ? o->cap - o->n - 1 : 0;
	memcpy(o->b + o->n, p, n);
	o->n += n;
	o->b[o->n] = '\0';
}

/* NORM_NAMEESC on ward's text of one name: \@ \$ \" -> bare, "\ " ->
 * \032. Returns true when something changed. */
static bool put_name_ward(out *o, const char *p, size_t n)
{
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			char x = p[++i];
			if (x == '@' || x == '$' || x == '"') {
				put(o, &x, 1);
				changed = true;
			} else if (x == ' ') {
				put(o, "\\032", 4);
				changed = true;
			} else {
				put(o, p + i - 1, 2);
			}
			continue;
		}
		put(o, p + i, 1);
	}
	return changed;
}

/* NORM_SVCQUOTE: key="value": a raw TAB in the value becomes \009, and
 * without a blank left the quotes are dropped. Writes the field; true when
 * changed. */
static bool put_svcparam(out *o, const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	if (!eq || (size_t)(eq - p) + 2 >= n || eq[1] != '"' || p[n - 1] != '"') {
		put(o, p, n);
		return false;
	}
	const char *v = eq + 2;
	size_t vn = (size_t)(p + n - 1 - v);
	bool blank = false;
	for (size_t i = 0; i < vn; i++) {
		if (v[i] == '\\' && i + 1 < vn)
			i++;
		else if (v[i] == ' ')
			blank = true;
	}
	put(o, p, (size_t)(eq + 1 - p));
	if (blank)
		put(o, "\"", 1);
	for (size_t i = 0; i < vn; i++) {
		if (v[i] == '\\' && i + 1 < vn) {
			put(o, v + i, 2);
			i++;
		} else if (v[i] == '\t') {
			put(o, "\\009", 4);
		} else {
			put(o, v + i, 1);
		}
	}
	if (blank)
		put(o, "\"", 1);
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* NORM_TIME: a YYYYMMDDHHmmSS field as seconds mod 2^32 (decimal). Sets
 * *wrapped when the date lies outside 1970..2106. false: not a time. */
static bool put_time(out *o, const char *p, size_t n, bool *wrapped)
{
	unsigned v[6];
	static const unsigned w[6] = { 4, 2, 2, 2, 2, 2 };
	if (n != 14)
		return false;
	for (size_t i = 0; i < 14; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	for (size_t i = 0, at = 0; i < 6; at += w[i], i++) {
		v[i] = 0;
		for (size_t j = 0; j < w[i]; j++)
			v[i] = v[i] * 10 + (unsigned)(p[at + j] - '0');
	}
	int64_t t = days_from_civil(v[0], v[1], v[2]) * 86400 +
	            (int64_t)v[3] * 3600 + v[4] * 60 + v[5];
	*wrapped = t < 0 || t > (int64_t)UINT32_MAX;
	char b[16];
	int k = snprintf(b, sizeof b, "%lu", (unsigned long)(uint32_t)t);
	put(o, b, (size_t)k);
	return true;
}

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* NORM_WKS: ward's field i of WKS rdata named as ldns names it
 * (getprotobynumber, getservbyport with the protocol's name). proto
 * carries the protocol name from field 1 to the ports. */
static bool put_wks(out *o, const char *p, size_t n, size_t i, char *proto,
                    size_t protocap)
{
	const char *name = NULL;
	unsigned long v = strtoul(p, NULL, 10);
	if (i == 1) {
		struct protoent *pe = all_digits(p, n) && v < 256
		                    ? getprotobynumber((int)v) : NULL;
		name = pe ? pe->p_name : NULL;
		snprintf(proto, protocap, "%s", name ? name : "");
	} else if (i >= 2 && all_digits(p, n) && v < 65536) {
		struct servent *se = getservbyport((int)htons((uint16_t)v),
		                                   proto[0] ? proto : NULL);
		name = se ? se->s_name : NULL;
	}
	if (!name) {
		put(o, p, n);
		return false;
	}
	put(o, name, strlen(name));
	return true;
}

/* NORM_ALPNESC: in ward's alpn=... field, backslash backslash comma
 * becomes backslash comma, and four backslashes become two. True when
 * changed. */
static bool put_alpn_ward(out *o, const char *p, size_t n)
{
	bool changed = false;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 2 < n && p[i + 1] == '\\' &&
		    p[i + 2] == ',') {
			put(o, "\\,", 2);
			i += 2;
			changed = true;
		} else if (p[i] == '\\' && i + 3 < n && p[i + 1] == '\\' &&
		           p[i + 2] == '\\' && p[i + 3] == '\\') {
			put(o, "\\\\", 2);
			i += 3;
			changed = true;
		} else if (p[i] == '\\' && i + 1 < n) {
			put(o, p + i, 2);
			i++;
		} else {
			put(o, p + i, 1);
		}
	}
	return changed;
}

/* True when rdata field i of the type is an RR type mnemonic. */
static bool is_type_field(uint16_t type, size_t i)
{
	switch (type) {
	case DNS_T_RRSIG: case DNS_T_SIG: return i == 0;
	case DNS_T_NSEC: return i >= 1;
	case DNS_T_NSEC3: return i >= 5;
	case DNS_T_CSYNC: return i >= 2;
	default: return false;
	}
}

/* NORM_METATYPE: ward's mnemonic of a meta type as TYPEnnn. */
static bool put_type_ward(out *o, const char *p, size_t n)
{
	static const char *meta[] = { "IXFR", "AXFR", "MAILB", "MAILA", "ANY" };
	for (size_t k = 0; k < 5; k++)
		if (strlen(meta[k]) == n && !memcmp(p, meta[k], n)) {
			char b[16];
			int len = snprintf(b, sizeof b, "TYPE%zu", 251 + k);
			put(o, b, (size_t)len);
			return true;
		}
	put(o, p, n);
	return false;
}

void norm_record(char *s, size_t cap, uint16_t type, bool from_ldns,
                 unsigned long counts[NORM_NRULES])
{
	size_t len = strlen(s);
	bool spaces = false;
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' ||
	               s[len - 1] == '\t')) {
		spaces |= s[len - 1] != '\n';
		s[--len] = '\0';
	}
	static fld f[MAXF];
	if (cap > scratch_cap) {
		char *nb = realloc(scratch, cap);
		if (!nb)
			return;
		scratch = nb;
		scratch_cap = cap;
	}
	out o = { scratch, 0, cap };
	if (cap == 0)
		return;
	o.b[0] = '\0';
	bool changed[NORM_NRULES] = { false };

	/* owner, then the rest of the prefix up to the fourth tab */
	const char *tab = strchr(s, '\t');
	size_t ol = tab ? (size_t)(tab - s) : len;
	if (from_ldns)
		put(&o, s, ol);
	else
		changed[NORM_NAMEESC] |= put_name_ward(&o, s, ol);
	const char *p = s + ol;
	for (int tabs = 0; tabs < 4 && *p; tabs++) {
		const char *nt = strchr(p + 1, '\t');
		if (tabs == 3 || !nt)
			nt = tabs == 3 ? p + 1 : s + len; /* rdata starts here */
		put(&o, p, (size_t)(nt - p));
		p = nt;
	}

	/* the rdata fields */
	size_t nf = *p ? split(p, f, MAXF) : 0;
	unsigned names = name_fields(type), hf = 0, hl = 0;
	bool generic = nf && f[0].n == 2 && !memcmp(f[0].p, "\\#", 2);
	bool hex = generic ? (hf = 2, hl = ~0u, true) : hex_fields(type, &hf, &hl);
	char proto[64] = "";
	for (size_t i = 0; i < nf; i++) {
		size_t at = o.n;
		if (i)
			put(&o, " ", 1);
		if (f[i].p > p && i && (f[i].p - 2 >= p) &&
		    (f[i].p[-2] == ' ' || f[i].p[-2] == '\t'))
			spaces = true; /* two blanks before this field */
		if (generic) {
			put(&o, f[i].p, f[i].n);
		} else if (!from_ldns && i < 32 && (names >> i & 1)) {
			changed[NORM_NAMEESC] |= put_name_ward(&o, f[i].p, f[i].n);
		} else if ((type == DNS_T_SVCB || type == DNS_T_HTTPS) && i >= 2 &&
		           !from_ldns && f[i].n > 5 && !memcmp(f[i].p, "alpn=", 5)) {
			/* escapes first, then the quotes */
			out a = { NULL, 0, f[i].n + 1 };
			a.b = malloc(a.cap);
			if (a.b) {
				a.b[0] = '\0';
				changed[NORM_ALPNESC] |= put_alpn_ward(&a, f[i].p, f[i].n);
				changed[NORM_SVCQUOTE] |= put_svcparam(&o, a.b, a.n);
				free(a.b);
			}
		} else if ((type == DNS_T_SVCB || type == DNS_T_HTTPS) && i >= 2) {
			changed[NORM_SVCQUOTE] |= put_svcparam(&o, f[i].p, f[i].n);
		} else if (!from_ldns && is_type_field(type, i)) {
			changed[NORM_METATYPE] |= put_type_ward(&o, f[i].p, f[i].n);
		} else if (!from_ldns && type == DNS_T_WKS) {
			changed[NORM_WKS] |= put_wks(&o, f[i].p, f[i].n, i, proto,
			                             sizeof proto);
		} else if ((type == DNS_T_RRSIG || type == DNS_T_SIG) &&
		           (i == 4 || i == 5)) {
			bool wrapped = false;
			if (!put_time(&o, f[i].p, f[i].n, &wrapped))
				put(&o, f[i].p, f[i].n);
			changed[NORM_TIME] |= wrapped;
		} else if (from_ldns && type == DNS_T_NSEC3 && i == 4) {
			size_t n = f[i].n;
			while (n && f[i].p[n - 1] == '=')
				n--;
			changed[NORM_B32PAD] |= n != f[i].n;
			put(&o, f[i].p, n);
		} else {
			put(&o, f[i].p, f[i].n);
		}
		if (hex && i >= hf && i <= hl) {
			for (size_t j = at; j < o.n; j++)
				if (o.b[j] >= 'A' && o.b[j] <= 'F') {
					o.b[j] = (char)(o.b[j] - 'A' + 'a');
					changed[NORM_HEXCASE] = true;
				}
		}
	}
	if (from_ldns && type == DNS_T_CAA && nf == 2) {
		put(&o, " \"\"", 3);
		changed[NORM_EMPTYLAST] = true;
	}
	changed[NORM_SPACES] = spaces && from_ldns;
	memcpy(s, o.b, o.n + 1);
	for (int r = 0; r < NORM_NRULES; r++)
		counts[r] += changed[r];
}

void norm_cleanup(void)
{
	free(scratch);
	scratch = NULL;
	scratch_cap = 0;
}
