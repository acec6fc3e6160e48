/* ward tests: deterministic generator of random but valid DNS messages,
 * built as ldns_pkt (rdfs filled field by field) and converted to wire by
 * ldns_pkt2wire. See gen.h. */
#include "gen.h"

#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG ---- */

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream)
{
	r->s = seed ^ (stream * 0xD1B54A32D192ED03ULL);
	(void)gen_rng_u64(r);
}

uint64_t gen_rng_u64(gen_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

uint32_t gen_rng_below(gen_rng *r, uint32_t n)
{
	return (uint32_t)(((gen_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

int gen_rng_pct(gen_rng *r, unsigned pct)
{
	return gen_rng_below(r, 100) < pct;
}

/* ---- the types ---- */

#define T_UNKNOWN 0

const uint16_t gen_types[] = {
	/* the set the issue names */
	LDNS_RR_TYPE_A, LDNS_RR_TYPE_NS, LDNS_RR_TYPE_CNAME, LDNS_RR_TYPE_SOA,
	LDNS_RR_TYPE_PTR, LDNS_RR_TYPE_HINFO, LDNS_RR_TYPE_MX, LDNS_RR_TYPE_TXT,
	LDNS_RR_TYPE_AAAA, LDNS_RR_TYPE_SRV, LDNS_RR_TYPE_NAPTR,
	LDNS_RR_TYPE_DNAME, LDNS_RR_TYPE_DS, LDNS_RR_TYPE_SSHFP,
	LDNS_RR_TYPE_RRSIG, LDNS_RR_TYPE_NSEC, LDNS_RR_TYPE_DNSKEY,
	LDNS_RR_TYPE_NSEC3, LDNS_RR_TYPE_NSEC3PARAM, LDNS_RR_TYPE_TLSA,
	LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY, LDNS_RR_TYPE_ZONEMD,
	LDNS_RR_TYPE_SVCB, LDNS_RR_TYPE_HTTPS, LDNS_RR_TYPE_CAA,
	/* more types ward has a descriptor for and ldns knows too */
	LDNS_RR_TYPE_MINFO, LDNS_RR_TYPE_RP, LDNS_RR_TYPE_AFSDB,
	LDNS_RR_TYPE_X25, LDNS_RR_TYPE_ISDN, LDNS_RR_TYPE_RT,
	LDNS_RR_TYPE_PX, LDNS_RR_TYPE_KX, LDNS_RR_TYPE_CERT,
	LDNS_RR_TYPE_DHCID, LDNS_RR_TYPE_SMIMEA, LDNS_RR_TYPE_OPENPGPKEY,
	LDNS_RR_TYPE_CSYNC, LDNS_RR_TYPE_SPF, LDNS_RR_TYPE_NID,
	LDNS_RR_TYPE_L32, LDNS_RR_TYPE_L64, LDNS_RR_TYPE_LP,
	LDNS_RR_TYPE_EUI48, LDNS_RR_TYPE_EUI64, LDNS_RR_TYPE_URI,
	T_UNKNOWN,
};
const size_t gen_ntypes = sizeof gen_types / sizeof gen_types[0];

/* Types neither ldns nor ward knows (RFC 3597 opaque): private use. */
static uint16_t gen_unknown_type(gen_rng *r)
{
	static const uint16_t fixed[] = { 65280, 65300, 65534, 65400 };
	if (gen_rng_pct(r, 50))
		return fixed[gen_rng_below(r, 4)];
	return (uint16_t)(65280 + gen_rng_below(r, 255));
}

/* ---- names ---- */

typedef struct gname {
	size_t len;
	uint8_t w[LDNS_MAX_DOMAINLEN + 1];
} gname;

typedef struct gctx {
	gen_rng *r;
	gname zones[4];
	unsigned nzones;
	gname used[16];           /* names already in the message */
	unsigned nused;
	bool escaped;             /* some name of this message needs escapes */
	const char *why;
} gctx;

static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* Bytes that need escaping in presentation format, or are unusual. */
static const uint8_t special[] = {
	'.', '\\', '"', '(', ')', ';', '@', '$', ' ', '\t', '\n', 0, 1, 31,
	127, 128, 200, 255, '*', '#', '\'', ',', '=', '-', '_', '/', '+',
};

static uint8_t gen_special(gen_rng *r)
{
	if (gen_rng_pct(r, 25))
		return (uint8_t)gen_rng_below(r, 256);
	return special[gen_rng_below(r, sizeof special)];
}

static uint8_t gen_letter(gen_rng *r)
{
	uint8_t c = (uint8_t)alnum[gen_rng_below(r, sizeof alnum - 1)];
	if (c >= 'a' && c <= 'z' && gen_rng_pct(r, 30))
		c = (uint8_t)(c - 'a' + 'A');
	return c;
}

/* One label into out (without its length octet), at most max octets. */
static size_t gen_label(gctx *g, uint8_t *out, size_t max)
{
	unsigned k = gen_rng_below(g->r, 100);
	size_t n;
	if (k < 70)
		n = 1 + gen_rng_below(g->r, 10);
	else if (k < 96)
		n = 1 + gen_rng_below(g->r, 25);
	else
		n = 40 + gen_rng_below(g->r, 24);
	if (n > max)
		n = max;
	for (size_t i = 0; i < n; i++)
		out[i] = gen_letter(g->r);
	if (n > 2 && gen_rng_pct(g->r, 10))
		out[1 + gen_rng_below(g->r, (uint32_t)n - 2)] = '-';
	if (gen_rng_pct(g->r, 4)) {
		unsigned m = 1 + gen_rng_below(g->r, 3);
		for (unsigned i = 0; i < m; i++) {
			/* two statements: the evaluation order is unspecified */
			size_t at = gen_rng_below(g->r, (uint32_t)n);
			out[at] = gen_special(g->r);
		}
		g->escaped = true;
	}
	return n;
}

/* Prepend a label; false when the name would get too long. */
static bool gname_prepend(gname *nm, const uint8_t *lab, size_t n)
{
	if (nm->len + 1 + n > LDNS_MAX_DOMAINLEN)
		return false;
	memmove(nm->w + 1 + n, nm->w, nm->len);
	nm->w[0] = (uint8_t)n;
	memcpy(nm->w + 1, lab, n);
	nm->len += 1 + n;
	return true;
}

static void gname_root(gname *nm)
{
	nm->w[0] = 0;
	nm->len = 1;
}

/* Flip the case of some letters (compression compares case-insensitively,
 * so the message may carry the first spelling only). */
static void gname_recase(gen_rng *r, gname *nm)
{
	for (size_t i = 0; i < nm->len;) {
		size_t n = nm->w[i];
		for (size_t j = i + 1; j <= i + n; j++) {
			uint8_t c = nm->w[j];
			if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) &&
			    gen_rng_pct(r, 30))
				nm->w[j] = (uint8_t)(c ^ 0x20);
		}
		i += n + 1;
		if (n == 0)
			break;
	}
}

static void gen_zone(gctx *g, gname *z)
{
	static const char *tlds[] = { "com", "net", "org", "example", "arpa",
	                              "test", "xn--p1ai", "nl", "de", "io" };
	gname_root(z);
	const char *tld = tlds[gen_rng_below(g->r, 10)];
	(void)gname_prepend(z, (const uint8_t *)tld, strlen(tld));
	unsigned nl = gen_rng_below(g->r, 3);
	for (unsigned i = 0; i < nl; i++) {
		uint8_t lab[63];
		size_t n = gen_label(g, lab, 63);
		(void)gname_prepend(z, lab, n);
	}
	if (gen_rng_pct(g->r, 30))
		gname_recase(g->r, z);
}

static void gname_remember(gctx *g, const gname *nm)
{
	if (g->nused < 16)
		g->used[g->nused++] = *nm;
	else
		g->used[gen_rng_below(g->r, 16)] = *nm;
}

static void gen_name(gctx *g, gname *nm)
{
	unsigned k = gen_rng_below(g->r, 100);
	if (k < 3) {
		gname_root(nm);
		return;
	}
	if (k < 35 && g->nused) {
		*nm = g->used[gen_rng_below(g->r, g->nused)];
		if (gen_rng_pct(g->r, 25))
			gname_recase(g->r, nm);
		return;
	}
	*nm = g->zones[gen_rng_below(g->r, g->nzones)];
	unsigned nl = gen_rng_below(g->r, 4);
	if (gen_rng_pct(g->r, 2))
		nl = 200; /* as long as it gets: near 255 octets */
	for (unsigned i = 0; i < nl; i++) {
		uint8_t lab[63];
		size_t room = LDNS_MAX_DOMAINLEN - nm->len;
		if (room < 2)
			break;
		size_t n = gen_label(g, lab, room - 1 < 63 ? room - 1 : 63);
		if (!gname_prepend(nm, lab, n))
			break;
	}
	if (gen_rng_pct(g->r, 5))
		(void)gname_prepend(nm, (const uint8_t *)"*", 1);
	gname_remember(g, nm);
}

/* ---- rdf helpers ---- */

static void push_data(ldns_rr *rr, ldns_rdf_type t, const void *d, size_t n)
{
	ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(t, n, d));
}

static void push_u8(ldns_rr *rr, ldns_rdf_type t, unsigned v)
{
	uint8_t b = (uint8_t)v;
	push_data(rr, t, &b, 1);
}

static void push_u16(ldns_rr *rr, ldns_rdf_type t, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	push_data(rr, t, b, 2);
}

static void push_u32(ldns_rr *rr, ldns_rdf_type t, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	                 (uint8_t)(v >> 8), (uint8_t)v };
	push_data(rr, t, b, 4);
}

static void push_name(gctx *g, ldns_rr *rr)
{
	gname nm;
	gen_name(g, &nm);
	ldns_rr_push_rdf(rr, ldns_dname_new_frm_data((uint16_t)nm.len, nm.w));
}

static void fill_random(gen_rng *r, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)gen_rng_u64(r);
}

static void push_random(gctx *g, ldns_rr *rr, ldns_rdf_type t, size_t n)
{
	uint8_t buf[1024];
	fill_random(g->r, buf, n);
	push_data(rr, t, buf, n);
}

/* A length for opaque blobs (>= 1). */
static size_t gen_bloblen(gen_rng *r, size_t typical)
{
	unsigned k = gen_rng_below(r, 100);
	if (k < 70)
		return typical;
	if (k < 90)
		return 1 + gen_rng_below(r, 64);
	return 1 + gen_rng_below(r, 512);
}

/* Text for a character-string: mostly printable, sometimes anything. */
static size_t gen_text(gctx *g, uint8_t *out, size_t max)
{
	static const char *words[] = { "v=spf1", "include:_spf.example.com",
	                               "-all", "hello world", "x86_64",
	                               "Linux", "google-site-verification=",
	                               "key=\"value\"", "a\\b" };
	unsigned k = gen_rng_below(g->r, 100);
	size_t n;
	if (k < 10) {
		return 0;
	} else if (k < 25) {
		const char *w = words[gen_rng_below(g->r, 9)];
		n = strlen(w);
		memcpy(out, w, n);
		return n;
	} else if (k < 85) {
		n = 1 + gen_rng_below(g->r, 30);
	} else if (k < 97) {
		n = 1 + gen_rng_below(g->r, 120);
	} else {
		n = max;
	}
	if (n > max)
		n = max;
	bool wild = gen_rng_pct(g->r, 15);
	for (size_t i = 0; i < n; i++) {
		if (wild && gen_rng_pct(g->r, 20))
			out[i] = gen_special(g->r);
		else if (gen_rng_pct(g->r, 10))
			out[i] = (uint8_t)(' ' + gen_rng_below(g->r, 95));
		else
			out[i] = gen_letter(g->r);
	}
	return n;
}

static void push_str(gctx *g, ldns_rr *rr)
{
	uint8_t buf[256];
	size_t n = gen_text(g, buf + 1, 255);
	buf[0] = (uint8_t)n;
	push_data(rr, LDNS_RDF_TYPE_STR, buf, n + 1);
}

static const uint8_t dnssec_algs[] = { 8, 13, 14, 15, 16, 5, 7, 10, 3, 253 };

static unsigned gen_alg(gen_rng *r)
{
	if (gen_rng_pct(r, 90))
		return dnssec_algs[gen_rng_below(r, sizeof dnssec_algs)];
	return gen_rng_below(r, 256);
}

static uint32_t gen_ttl(gen_rng *r)
{
	unsigned k = gen_rng_below(r, 100);
	if (k < 60)
		return gen_rng_below(r, 86400 * 2);
	if (k < 75)
		return 300;
	if (k < 95)
		return gen_rng_below(r, 0x7fffffff);
	return (uint32_t)gen_rng_u64(r); /* high bit too */
}

/* RRSIG times: serial-number arithmetic (RFC 4034 §3.1.5) around now is
 * what ldns prints, so stay below 2080 where that equals plain seconds. */
static uint32_t gen_time(gen_rng *r)
{
	if (gen_rng_pct(r, 80))
		return 1500000000u + gen_rng_below(r, 400000000u);
	return gen_rng_below(r, 3500000000u);
}

/* A type for bitmaps and "type covered": ones both sides name alike. */
static uint16_t gen_some_type(gen_rng *r)
{
	unsigned k = gen_rng_below(r, 100);
	if (k < 85)
		return gen_types[gen_rng_below(r, (uint32_t)gen_ntypes - 1)];
	if (k < 95)
		return gen_unknown_type(r);
	return (uint16_t)(1000 + gen_rng_below(r, 20000)); /* unassigned */
}

static int cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/* A type bitmap (RFC 4034 §4.1.2) with ntypes (0..32) random types, 0 giving
 * no rdf (an empty bitmap, valid for NSEC3 and CSYNC). */
static void push_bitmap(gctx *g, ldns_rr *rr, unsigned ntypes)
{
	uint16_t t[32];
	uint8_t out[32 * 34];
	size_t len = 0;
	unsigned n = 0;
	if (ntypes > 32)
		ntypes = 32;
	for (unsigned i = 0; i < ntypes; i++)
		t[n++] = gen_some_type(g->r);
	if (n == 0)
		return;
	qsort(t, n, sizeof t[0], cmp_u16);
	for (unsigned i = 0; i < n;) {
		unsigned win = t[i] >> 8;
		uint8_t bits[32];
		unsigned maxb = 0;
		memset(bits, 0, sizeof bits);
		for (; i < n && (unsigned)(t[i] >> 8) == win; i++) {
			unsigned lo = t[i] & 0xff;
			bits[lo / 8] |= (uint8_t)(0x80 >> (lo % 8));
			if (lo / 8 + 1 > maxb)
				maxb = lo / 8 + 1;
		}
		out[len++] = (uint8_t)win;
		out[len++] = (uint8_t)maxb;
		memcpy(out + len, bits, maxb);
		len += maxb;
	}
	push_data(rr, LDNS_RDF_TYPE_BITMAP, out, len);
}

static void push_ipv6(gen_rng *r, ldns_rr *rr, ldns_rdf_type t)
{
	uint8_t a[16];
	unsigned k = gen_rng_below(r, 100);
	memset(a, 0, sizeof a);
	if (k < 50) {
		/* 2001:db8:: with some zero groups, to exercise "::" */
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
		for (int i = 4; i < 16; i += 2)
			if (gen_rng_pct(r, 50)) {
				a[i] = (uint8_t)gen_rng_below(r, 3);
				a[i + 1] = (uint8_t)gen_rng_u64(r);
			}
	} else if (k < 60) {
		a[10] = a[11] = 0xff; /* v4-mapped */
		fill_random(r, a + 12, 4);
	} else if (k < 65) {
		fill_random(r, a + 12, 4); /* v4-compatible (deprecated) */
	} else if (k < 70) {
		a[15] = (uint8_t)gen_rng_below(r, 3); /* ::, ::1, ::2 */
	} else {
		fill_random(r, a, 16);
	}
	push_data(rr, t, a, 16);
}

/* SvcParams (RFC 9460 §2.2), keys ascending, each valid. */
static void push_svcparams(gctx *g, ldns_rr *rr)
{
	uint8_t buf[1024];
	size_t len = 0;
	bool have[8] = { false };
	/* choose the keys 1..6 first, then maybe mandatory and unknown keys */
	for (unsigned key = 1; key <= 6; key++)
		have[key] = gen_rng_pct(g->r, 35);
	if (have[2])
		have[1] = true; /* no-default-alpn needs alpn (§7.1.1) */
	for (unsigned key = 0; key <= 6; key++) {
		if (key == 0) {
			/* mandatory: some of the other keys present */
			uint16_t mk[6];
			unsigned nm = 0;
			for (unsigned j = 1; j <= 6; j++)
				if (have[j] && gen_rng_pct(g->r, 40))
					mk[nm++] = (uint16_t)j;
			if (!nm || !gen_rng_pct(g->r, 50))
				continue;
			buf[len++] = 0;
			buf[len++] = 0;
			buf[len++] = 0;
			buf[len++] = (uint8_t)(2 * nm);
			for (unsigned j = 0; j < nm; j++) {
				buf[len++] = 0;
				buf[len++] = (uint8_t)mk[j];
			}
			continue;
		}
		if (!have[key])
			continue;
		size_t hdr = len;
		buf[len++] = 0;
		buf[len++] = (uint8_t)key;
		len += 2;
		switch (key) {
		case 1: { /* alpn */
			/* the last two need escaping (RFC 9460 A.1) */
			static const char *ids[] = { "h2", "h3", "http/1.1",
			                             "doq", "dot", "h3-29",
			                             "a,b", "x\\y" };
			unsigned n = 1 + gen_rng_below(g->r, 3);
			for (unsigned j = 0; j < n; j++) {
				const char *id = ids[gen_rng_pct(g->r, 5)
				                     ? 6 + gen_rng_below(g->r, 2)
				                     : gen_rng_below(g->r, 6)];
				size_t il = strlen(id);
				buf[len++] = (uint8_t)il;
				memcpy(buf + len, id, il);
				len += il;
			}
			break;
		}
		case 2: /* no-default-alpn: empty */
			break;
		case 3: /* port */
			buf[len++] = (uint8_t)gen_rng_below(g->r, 256);
			buf[len++] = (uint8_t)gen_rng_below(g->r, 256);
			break;
		case 4: { /* ipv4hint */
			unsigned n = 1 + gen_rng_below(g->r, 3);
			fill_random(g->r, buf + len, 4 * n);
			len += 4 * n;
			break;
		}
		case 5: { /* ech: opaque, base64 in text */
			size_t n = 1 + gen_rng_below(g->r, 60);
			fill_random(g->r, buf + len, n);
			len += n;
			break;
		}
		case 6: { /* ipv6hint */
			unsigned n = 1 + gen_rng_below(g->r, 2);
			fill_random(g->r, buf + len, 16 * n);
			if (gen_rng_pct(g->r, 50))
				memset(buf + len + 4, 0, 8);
			len += 16 * n;
			break;
		}
		}
		size_t vl = len - hdr - 4;
		buf[hdr + 2] = (uint8_t)(vl >> 8);
		buf[hdr + 3] = (uint8_t)vl;
	}
	/* unknown keys (above the ones ldns or ward name), printable values */
	if (gen_rng_pct(g->r, 20)) {
		uint16_t key = (uint16_t)(1000 + gen_rng_below(g->r, 64000));
		size_t n = gen_rng_below(g->r, 12);
		buf[len++] = (uint8_t)(key >> 8);
		buf[len++] = (uint8_t)key;
		buf[len++] = 0;
		buf[len++] = (uint8_t)n;
		for (size_t j = 0; j < n; j++)
			buf[len++] = gen_letter(g->r);
	}
	if (len)
		push_data(rr, LDNS_RDF_TYPE_SVCPARAMS, buf, len);
}

/* The rdata of one record, field by field. */
static void gen_rdata(gctx *g, ldns_rr *rr, uint16_t type)
{
	gen_rng *r = g->r;
	uint8_t buf[1024];
	switch (type) {
	case LDNS_RR_TYPE_A:
		push_random(g, rr, LDNS_RDF_TYPE_A, 4);
		break;
	case LDNS_RR_TYPE_NS:
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_PTR:
	case LDNS_RR_TYPE_DNAME:
		push_name(g, rr);
		break;
	case LDNS_RR_TYPE_SOA:
		push_name(g, rr);
		push_name(g, rr);
		push_u32(rr, LDNS_RDF_TYPE_INT32, (uint32_t)gen_rng_u64(r));
		for (int i = 0; i < 4; i++)
			push_u32(rr, LDNS_RDF_TYPE_PERIOD, gen_ttl(r));
		break;
	case LDNS_RR_TYPE_HINFO:
		push_str(g, rr);
		push_str(g, rr);
		break;
	case LDNS_RR_TYPE_X25:
		push_str(g, rr);
		break;
	case LDNS_RR_TYPE_ISDN:
		push_str(g, rr);
		if (gen_rng_pct(r, 50))
			push_str(g, rr);
		break;
	case LDNS_RR_TYPE_MX:
	case LDNS_RR_TYPE_AFSDB:
	case LDNS_RR_TYPE_RT:
	case LDNS_RR_TYPE_KX:
	case LDNS_RR_TYPE_LP:
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_name(g, rr);
		break;
	case LDNS_RR_TYPE_PX:
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_name(g, rr);
		push_name(g, rr);
		break;
	case LDNS_RR_TYPE_MINFO:
	case LDNS_RR_TYPE_RP:
		push_name(g, rr);
		push_name(g, rr);
		break;
	case LDNS_RR_TYPE_TXT:
	case LDNS_RR_TYPE_SPF: {
		unsigned n = 1 + gen_rng_below(r, gen_rng_pct(r, 90) ? 3 : 12);
		for (unsigned i = 0; i < n; i++)
			push_str(g, rr);
		break;
	}
	case LDNS_RR_TYPE_AAAA:
		push_ipv6(r, rr, LDNS_RDF_TYPE_AAAA);
		break;
	case LDNS_RR_TYPE_SRV:
		for (int i = 0; i < 3; i++)
			push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_name(g, rr);
		break;
	case LDNS_RR_TYPE_NAPTR: {
		static const char *flags[] = { "S", "A", "U", "P", "", "s" };
		static const char *svcs[] = { "SIP+D2U", "E2U+sip", "x-foo",
		                              "" };
		const char *f = flags[gen_rng_below(r, 6)];
		const char *s = svcs[gen_rng_below(r, 4)];
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		buf[0] = (uint8_t)strlen(f);
		memcpy(buf + 1, f, buf[0]);
		push_data(rr, LDNS_RDF_TYPE_STR, buf, 1u + buf[0]);
		buf[0] = (uint8_t)strlen(s);
		memcpy(buf + 1, s, buf[0]);
		push_data(rr, LDNS_RDF_TYPE_STR, buf, 1u + buf[0]);
		if (gen_rng_pct(r, 50)) {
			static const char re[] = "!^.*$!sip:info@example.com!";
			buf[0] = sizeof re - 1;
			memcpy(buf + 1, re, sizeof re - 1);
			push_data(rr, LDNS_RDF_TYPE_STR, buf, sizeof re);
			gname root;
			gname_root(&root);
			ldns_rr_push_rdf(rr, ldns_dname_new_frm_data(1, root.w));
		} else {
			push_str(g, rr);
			push_name(g, rr);
		}
		break;
	}
	case LDNS_RR_TYPE_DS:
	case LDNS_RR_TYPE_CDS: {
		static const uint8_t dlen[] = { 0, 20, 32, 32, 48 };
		unsigned dt = gen_rng_below(r, 100) < 90 ? 1 + gen_rng_below(r, 4)
		                                        : gen_rng_below(r, 256);
		size_t n = dt >= 1 && dt <= 4 ? dlen[dt] : gen_bloblen(r, 32);
		if (type == LDNS_RR_TYPE_CDS && gen_rng_pct(r, 10)) {
			/* RFC 8078 §4: delete the DS set */
			push_u16(rr, LDNS_RDF_TYPE_INT16, 0);
			push_u8(rr, LDNS_RDF_TYPE_ALG, 0);
			push_u8(rr, LDNS_RDF_TYPE_INT8, 0);
			buf[0] = 0;
			push_data(rr, LDNS_RDF_TYPE_HEX, buf, 1);
			break;
		}
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_u8(rr, LDNS_RDF_TYPE_ALG, gen_alg(r));
		push_u8(rr, LDNS_RDF_TYPE_INT8, dt);
		push_random(g, rr, LDNS_RDF_TYPE_HEX, n);
		break;
	}
	case LDNS_RR_TYPE_SSHFP: {
		unsigned ft = 1 + gen_rng_below(r, 2);
		push_u8(rr, LDNS_RDF_TYPE_INT8, 1 + gen_rng_below(r, 4));
		push_u8(rr, LDNS_RDF_TYPE_INT8, ft);
		push_random(g, rr, LDNS_RDF_TYPE_HEX,
		            gen_bloblen(r, ft == 1 ? 20 : 32));
		break;
	}
	case LDNS_RR_TYPE_RRSIG: {
		static const uint16_t siglen[] = { 64, 96, 64, 114, 256, 128 };
		push_u16(rr, LDNS_RDF_TYPE_TYPE, gen_some_type(r));
		push_u8(rr, LDNS_RDF_TYPE_ALG, gen_alg(r));
		push_u8(rr, LDNS_RDF_TYPE_INT8, gen_rng_below(r, 8));
		push_u32(rr, LDNS_RDF_TYPE_INT32, gen_ttl(r));
		push_u32(rr, LDNS_RDF_TYPE_TIME, gen_time(r));
		push_u32(rr, LDNS_RDF_TYPE_TIME, gen_time(r));
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_name(g, rr);
		push_random(g, rr, LDNS_RDF_TYPE_B64,
		            gen_bloblen(r, siglen[gen_rng_below(r, 6)]));
		break;
	}
	case LDNS_RR_TYPE_NSEC:
		push_name(g, rr);
		push_bitmap(g, rr, 1 + gen_rng_below(r, 12));
		break;
	case LDNS_RR_TYPE_CSYNC:
		push_u32(rr, LDNS_RDF_TYPE_INT32, (uint32_t)gen_rng_u64(r));
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 4));
		push_bitmap(g, rr, gen_rng_below(r, 6));
		break;
	case LDNS_RR_TYPE_DNSKEY:
	case LDNS_RR_TYPE_CDNSKEY: {
		static const uint16_t keylen[] = { 260, 64, 96, 32, 57, 132 };
		static const uint16_t flags[] = { 256, 257, 0, 385 };
		if (type == LDNS_RR_TYPE_CDNSKEY && gen_rng_pct(r, 10)) {
			/* RFC 8078 §4: delete, "0 3 0 AA==" */
			push_u16(rr, LDNS_RDF_TYPE_INT16, 0);
			push_u8(rr, LDNS_RDF_TYPE_INT8, 3);
			push_u8(rr, LDNS_RDF_TYPE_ALG, 0);
			buf[0] = 0;
			push_data(rr, LDNS_RDF_TYPE_B64, buf, 1);
			break;
		}
		push_u16(rr, LDNS_RDF_TYPE_INT16,
		         gen_rng_pct(r, 90) ? flags[gen_rng_below(r, 4)]
		                            : gen_rng_below(r, 65536));
		push_u8(rr, LDNS_RDF_TYPE_INT8,
		        gen_rng_pct(r, 95) ? 3 : gen_rng_below(r, 256));
		push_u8(rr, LDNS_RDF_TYPE_ALG, gen_alg(r));
		push_random(g, rr, LDNS_RDF_TYPE_B64,
		            gen_bloblen(r, keylen[gen_rng_below(r, 6)]));
		break;
	}
	case LDNS_RR_TYPE_DHCID:
	case LDNS_RR_TYPE_OPENPGPKEY:
		push_random(g, rr, LDNS_RDF_TYPE_B64, gen_bloblen(r, 35));
		break;
	case LDNS_RR_TYPE_NSEC3:
	case LDNS_RR_TYPE_NSEC3PARAM: {
		size_t sl = gen_rng_pct(r, 30) ? 0
		          : gen_rng_pct(r, 95) ? 1 + gen_rng_below(r, 16)
		                               : gen_rng_below(r, 256);
		push_u8(rr, LDNS_RDF_TYPE_INT8, gen_rng_pct(r, 90) ? 1 : gen_rng_below(r, 256));
		push_u8(rr, LDNS_RDF_TYPE_INT8, gen_rng_below(r, 2));
		push_u16(rr, LDNS_RDF_TYPE_INT16,
		         gen_rng_pct(r, 80) ? gen_rng_below(r, 20)
		                            : gen_rng_below(r, 65536));
		buf[0] = (uint8_t)sl;
		fill_random(r, buf + 1, sl);
		push_data(rr, LDNS_RDF_TYPE_NSEC3_SALT, buf, sl + 1);
		if (type == LDNS_RR_TYPE_NSEC3PARAM)
			break;
		size_t hl = gen_rng_pct(r, 90) ? 20 : 1 + gen_rng_below(r, 255);
		buf[0] = (uint8_t)hl;
		fill_random(r, buf + 1, hl);
		push_data(rr, LDNS_RDF_TYPE_NSEC3_NEXT_OWNER, buf, hl + 1);
		push_bitmap(g, rr, gen_rng_pct(r, 10) ? 0 : 1 + gen_rng_below(r, 10));
		break;
	}
	case LDNS_RR_TYPE_TLSA:
	case LDNS_RR_TYPE_SMIMEA: {
		unsigned mt = gen_rng_below(r, 3);
		push_u8(rr, LDNS_RDF_TYPE_CERTIFICATE_USAGE, gen_rng_below(r, 4));
		push_u8(rr, LDNS_RDF_TYPE_SELECTOR, gen_rng_below(r, 2));
		push_u8(rr, LDNS_RDF_TYPE_MATCHING_TYPE, mt);
		push_random(g, rr, LDNS_RDF_TYPE_HEX,
		            gen_bloblen(r, mt == 0 ? 300 : mt == 1 ? 32 : 64));
		break;
	}
	case LDNS_RR_TYPE_ZONEMD: {
		unsigned alg = gen_rng_pct(r, 90) ? 1 + gen_rng_below(r, 2)
		                                  : gen_rng_below(r, 256);
		push_u32(rr, LDNS_RDF_TYPE_INT32, (uint32_t)gen_rng_u64(r));
		push_u8(rr, LDNS_RDF_TYPE_INT8, gen_rng_pct(r, 90) ? 1 : gen_rng_below(r, 256));
		push_u8(rr, LDNS_RDF_TYPE_INT8, alg);
		push_random(g, rr, LDNS_RDF_TYPE_HEX,
		            alg == 1 ? 48 : alg == 2 ? 64 : 12 + gen_rng_below(r, 80));
		break;
	}
	case LDNS_RR_TYPE_SVCB:
	case LDNS_RR_TYPE_HTTPS:
		if (gen_rng_pct(r, 20)) {
			/* AliasMode: priority 0, no parameters */
			push_u16(rr, LDNS_RDF_TYPE_INT16, 0);
			push_name(g, rr);
			break;
		}
		push_u16(rr, LDNS_RDF_TYPE_INT16, 1 + gen_rng_below(r, 65535));
		if (gen_rng_pct(r, 20)) {
			gname root;
			gname_root(&root);
			ldns_rr_push_rdf(rr, ldns_dname_new_frm_data(1, root.w));
		} else {
			push_name(g, rr);
		}
		push_svcparams(g, rr);
		break;
	case LDNS_RR_TYPE_CAA: {
		static const char *tags[] = { "issue", "issuewild", "iodef",
		                              "contactemail", "tbs" };
		const char *tag = tags[gen_rng_below(r, 5)];
		size_t tl = strlen(tag);
		push_u8(rr, LDNS_RDF_TYPE_INT8, gen_rng_pct(r, 80) ? 0 : 128);
		if (gen_rng_pct(r, 10)) {
			tl = 1 + gen_rng_below(r, 15);
			for (size_t i = 0; i < tl; i++)
				buf[1 + i] = gen_letter(r);
		} else {
			memcpy(buf + 1, tag, tl);
		}
		buf[0] = (uint8_t)tl;
		push_data(rr, LDNS_RDF_TYPE_TAG, buf, tl + 1);
		size_t vl = gen_text(g, buf, 300);
		if (vl)
			push_data(rr, LDNS_RDF_TYPE_LONG_STR, buf, vl);
		break;
	}
	case LDNS_RR_TYPE_URI: {
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		size_t vl = gen_text(g, buf, 300);
		if (!vl) {
			static const char u[] = "https://www.example.com/path";
			vl = sizeof u - 1;
			memcpy(buf, u, vl);
		}
		push_data(rr, LDNS_RDF_TYPE_LONG_STR, buf, vl);
		break;
	}
	case LDNS_RR_TYPE_CERT: {
		static const uint16_t ct[] = { 1, 2, 3, 4, 5, 6, 7, 8, 253, 254 };
		push_u16(rr, LDNS_RDF_TYPE_CERT_ALG,
		         gen_rng_pct(r, 90) ? ct[gen_rng_below(r, 10)]
		                            : gen_rng_below(r, 65536));
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_u8(rr, LDNS_RDF_TYPE_ALG, gen_alg(r));
		push_random(g, rr, LDNS_RDF_TYPE_B64, gen_bloblen(r, 200));
		break;
	}
	case LDNS_RR_TYPE_EUI48:
		push_random(g, rr, LDNS_RDF_TYPE_EUI48, 6);
		break;
	case LDNS_RR_TYPE_EUI64:
		push_random(g, rr, LDNS_RDF_TYPE_EUI64, 8);
		break;
	case LDNS_RR_TYPE_NID:
	case LDNS_RR_TYPE_L64:
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_random(g, rr, LDNS_RDF_TYPE_ILNP64, 8);
		break;
	case LDNS_RR_TYPE_L32:
		push_u16(rr, LDNS_RDF_TYPE_INT16, gen_rng_below(r, 65536));
		push_random(g, rr, LDNS_RDF_TYPE_A, 4);
		break;
	default: { /* unknown: opaque */
		size_t n = gen_rng_pct(r, 10) ? 0 : gen_bloblen(r, 16);
		if (n)
			push_random(g, rr, LDNS_RDF_TYPE_UNKNOWN, n);
		break;
	}
	}
}

static unsigned type_index(uint16_t type)
{
	for (size_t i = 0; i + 1 < gen_ntypes; i++)
		if (gen_types[i] == type)
			return (unsigned)i;
	return (unsigned)gen_ntypes - 1;
}

static uint16_t gen_class(gen_rng *r, uint16_t type)
{
	/* RFC 1035 classes matter for a few types; keep IN there */
	bool in_only = type == LDNS_RR_TYPE_A || type == LDNS_RR_TYPE_AAAA ||
	               type == LDNS_RR_TYPE_SRV || type == LDNS_RR_TYPE_WKS;
	unsigned k = gen_rng_below(r, 100);
	if (in_only || k < 92)
		return LDNS_RR_CLASS_IN;
	if (k < 96)
		return LDNS_RR_CLASS_CH;
	if (k < 98)
		return LDNS_RR_CLASS_HS;
	return (uint16_t)(5 + gen_rng_below(r, 200));
}

static ldns_rr *gen_rr(gctx *g, gen_stats *st)
{
	gen_rng *r = g->r;
	unsigned ti = gen_rng_below(r, (uint32_t)gen_ntypes);
	uint16_t type = gen_types[ti];
	if (type == T_UNKNOWN)
		type = gen_unknown_type(r);
	ldns_rr *rr = ldns_rr_new();
	gname owner;
	gen_name(g, &owner);
	ldns_rr_set_owner(rr, ldns_dname_new_frm_data((uint16_t)owner.len,
	                                              owner.w));
	ldns_rr_set_type(rr, (ldns_rr_type)type);
	ldns_rr_set_class(rr, (ldns_rr_class)gen_class(r, type));
	ldns_rr_set_ttl(rr, gen_ttl(r));
	ldns_rr_set_question(rr, false);
	gen_rdata(g, rr, type);
	if (st) {
		st->per_type[type_index(type)]++;
		st->records++;
	}
	return rr;
}

/* EDNS options (RFC 6891 §6.1.2), each well formed. */
static size_t gen_edns_options(gen_rng *r, uint8_t *out)
{
	size_t len = 0;
	unsigned n = gen_rng_below(r, 4);
	for (unsigned i = 0; i < n; i++) {
		uint16_t code;
		uint8_t val[64];
		size_t vl;
		switch (gen_rng_below(r, 6)) {
		case 0: /* COOKIE: client 8, or client + server 16..40 */
			code = 10;
			vl = gen_rng_pct(r, 50) ? 8 : 16 + gen_rng_below(r, 25);
			fill_random(r, val, vl);
			break;
		case 1: /* PADDING */
			code = 12;
			vl = gen_rng_below(r, 40);
			memset(val, 0, vl);
			break;
		case 2: { /* EDE: info-code + UTF-8 text */
			static const char txt[] = "signature expired";
			code = 15;
			val[0] = 0;
			val[1] = (uint8_t)gen_rng_below(r, 30);
			vl = 2;
			if (gen_rng_pct(r, 50)) {
				memcpy(val + 2, txt, sizeof txt - 1);
				vl += sizeof txt - 1;
			}
			break;
		}
		case 3: { /* ECS, IPv4 */
			unsigned src = gen_rng_below(r, 33);
			code = 8;
			val[0] = 0;
			val[1] = 1;
			val[2] = (uint8_t)src;
			val[3] = 0;
			vl = 4 + (src + 7) / 8;
			fill_random(r, val + 4, vl - 4);
			if (src % 8 && vl > 4)
				val[vl - 1] &= (uint8_t)(0xff << (8 - src % 8));
			break;
		}
		case 4: /* NSID */
			code = 3;
			vl = gen_rng_below(r, 12);
			fill_random(r, val, vl);
			break;
		default: /* unassigned code */
			code = (uint16_t)(20 + gen_rng_below(r, 60000));
			vl = gen_rng_below(r, 20);
			fill_random(r, val, vl);
			break;
		}
		out[len++] = (uint8_t)(code >> 8);
		out[len++] = (uint8_t)code;
		out[len++] = (uint8_t)(vl >> 8);
		out[len++] = (uint8_t)vl;
		memcpy(out + len, val, vl);
		len += vl;
	}
	return len;
}

int gen_message(uint64_t seed, uint64_t idx, uint8_t **wire, size_t *len,
                gen_stats *st, const char **why)
{
	gen_rng rng;
	gctx g;
	gen_rng_seed(&rng, seed, idx);
	memset(&g, 0, sizeof g);
	g.r = &rng;
	*wire = NULL;
	*len = 0;

	g.nzones = 1 + gen_rng_below(&rng, 4);
	for (unsigned i = 0; i < g.nzones; i++)
		gen_zone(&g, &g.zones[i]);

	ldns_pkt *pkt = ldns_pkt_new();
	if (!pkt) {
		*why = "ldns_pkt_new failed";
		return -1;
	}
	ldns_pkt_set_id(pkt, (uint16_t)gen_rng_u64(&rng));
	ldns_pkt_set_qr(pkt, gen_rng_pct(&rng, 80));
	ldns_pkt_set_aa(pkt, gen_rng_pct(&rng, 30));
	ldns_pkt_set_tc(pkt, gen_rng_pct(&rng, 5));
	ldns_pkt_set_rd(pkt, gen_rng_pct(&rng, 70));
	ldns_pkt_set_ra(pkt, gen_rng_pct(&rng, 60));
	ldns_pkt_set_ad(pkt, gen_rng_pct(&rng, 20));
	ldns_pkt_set_cd(pkt, gen_rng_pct(&rng, 10));
	static const ldns_pkt_opcode ops[] = { LDNS_PACKET_QUERY,
	                                       LDNS_PACKET_NOTIFY,
	                                       LDNS_PACKET_STATUS };
	ldns_pkt_set_opcode(pkt, gen_rng_pct(&rng, 90)
	                         ? LDNS_PACKET_QUERY : ops[gen_rng_below(&rng, 3)]);
	ldns_pkt_set_rcode(pkt, (uint8_t)(gen_rng_pct(&rng, 80)
	                                  ? 0 : gen_rng_below(&rng, 16)));

	unsigned nq = gen_rng_pct(&rng, 90) ? 1 : gen_rng_pct(&rng, 80) ? 0 : 2;
	for (unsigned i = 0; i < nq; i++) {
		ldns_rr *q = ldns_rr_new();
		gname qn;
		gen_name(&g, &qn);
		ldns_rr_set_owner(q, ldns_dname_new_frm_data((uint16_t)qn.len,
		                                             qn.w));
		uint16_t qt = gen_rng_pct(&rng, 90)
		            ? gen_types[gen_rng_below(&rng, (uint32_t)gen_ntypes - 1)]
		            : (uint16_t)gen_rng_below(&rng, 65536);
		ldns_rr_set_type(q, (ldns_rr_type)qt);
		ldns_rr_set_class(q, gen_rng_pct(&rng, 95) ? LDNS_RR_CLASS_IN
		                                           : LDNS_RR_CLASS_ANY);
		ldns_rr_set_question(q, true);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, q);
	}

	unsigned nrr = 1 + gen_rng_below(&rng, GEN_MAX_RECORDS);
	for (unsigned i = 0; i < nrr; i++) {
		unsigned k = gen_rng_below(&rng, 100);
		ldns_pkt_section sec = k < 50 ? LDNS_SECTION_ANSWER
		                     : k < 75 ? LDNS_SECTION_AUTHORITY
		                              : LDNS_SECTION_ADDITIONAL;
		ldns_pkt_push_rr(pkt, sec, gen_rr(&g, st));
	}

	bool edns = gen_rng_pct(&rng, 40);
	if (edns) {
		static const uint16_t sizes[] = { 512, 1232, 4096, 1400, 65535 };
		uint8_t opts[1024];
		ldns_pkt_set_edns_udp_size(pkt, gen_rng_pct(&rng, 90)
		                           ? sizes[gen_rng_below(&rng, 5)]
		                           : (uint16_t)(1 + gen_rng_below(&rng, 65535)));
		ldns_pkt_set_edns_version(pkt, gen_rng_pct(&rng, 95) ? 0 : 1);
		ldns_pkt_set_edns_extended_rcode(pkt, (uint8_t)(gen_rng_pct(&rng, 95)
		                                       ? 0 : gen_rng_below(&rng, 4)));
		uint16_t z = gen_rng_pct(&rng, 60) ? 0x8000 : 0;
		if (gen_rng_pct(&rng, 5))
			z |= (uint16_t)gen_rng_below(&rng, 0x8000);
		ldns_pkt_set_edns_z(pkt, z);
		size_t ol = gen_edns_options(&rng, opts);
		if (ol)
			ldns_pkt_set_edns_data(pkt, ldns_rdf_new_frm_data(
			                           LDNS_RDF_TYPE_UNKNOWN, ol, opts));
	}

	int ret = 0;
	if (g.why) {
		*why = g.why;
		ret = -1;
	} else if (ldns_pkt2wire(wire, pkt, len) != LDNS_STATUS_OK) {
		*why = "ldns_pkt2wire failed";
		ret = -1;
	}
	ldns_pkt_free(pkt);
	if (ret == 0 && st) {
		st->msgs++;
		st->questions += nq;
		st->with_edns += edns;
		st->escaped_names += g.escaped;
		st->bytes += *len;
	}
	return ret;
}
