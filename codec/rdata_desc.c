/* ward: the one rdata descriptor table, and wire validation of each field
 * kind. Layouts from RFC 1035 §3.3-3.4, RFC 1183, 1706, 1712, 1876, 2163,
 * 2535, 2782, 2930, 3123, 3403, 4025, 4034, 4398, 4701, 5155, 6672, 6698,
 * 6742, 7043, 7344, 7477, 7553, 7929, 8005, 8162, 8659, 8945, 8976, 9460. */
#include <string.h>

#include "name.h"
#include "rdata_desc.h"
#include "rr.h"

/* Dn(fields...): a descriptor of n fields. What the fast paths need to
 * know of it is worked out here, by the compiler, from the same field
 * list: `ndc`, how many fields up to the last one that is a name a pointer
 * may compress (Ln); `nfix` and `fixlen`, the leading fixed-size fields
 * and their octets (Nn, Pn). */
#define DC(k) ((k) == RDF_NAME_C || (k) == RDF_NAME_D || (k) == RDF_NAME_N)
#define FS(k) RDF_FIXED_SIZE(k)
#define L1(a) (DC(a) ? 1 : 0)
#define N1(a) (FS(a) ? 1 : 0)
#define P1(a) FS(a)
#define L2(a, b) (DC(b) ? 2 : L1(a))
#define N2(a, b) (FS(a) ? 1 + N1(b) : 0)
#define P2(a, b) (FS(a) ? FS(a) + P1(b) : 0)
#define L3(a, b, c) (DC(c) ? 3 : L2(a, b))
#define N3(a, b, c) (FS(a) ? 1 + N2(b, c) : 0)
#define P3(a, b, c) (FS(a) ? FS(a) + P2(b, c) : 0)
#define L4(a, b, c, d) (DC(d) ? 4 : L3(a, b, c))
#define N4(a, b, c, d) (FS(a) ? 1 + N3(b, c, d) : 0)
#define P4(a, b, c, d) (FS(a) ? FS(a) + P3(b, c, d) : 0)
#define L5(a, b, c, d, e) (DC(e) ? 5 : L4(a, b, c, d))
#define N5(a, b, c, d, e) (FS(a) ? 1 + N4(b, c, d, e) : 0)
#define P5(a, b, c, d, e) (FS(a) ? FS(a) + P4(b, c, d, e) : 0)
#define L6(a, b, c, d, e, f) (DC(f) ? 6 : L5(a, b, c, d, e))
#define N6(a, b, c, d, e, f) (FS(a) ? 1 + N5(b, c, d, e, f) : 0)
#define P6(a, b, c, d, e, f) (FS(a) ? FS(a) + P5(b, c, d, e, f) : 0)
#define L7(a, b, c, d, e, f, g) (DC(g) ? 7 : L6(a, b, c, d, e, f))
#define N7(a, b, c, d, e, f, g) (FS(a) ? 1 + N6(b, c, d, e, f, g) : 0)
#define P7(a, b, c, d, e, f, g) (FS(a) ? FS(a) + P6(b, c, d, e, f, g) : 0)
#define L8(a, b, c, d, e, f, g, h) (DC(h) ? 8 : L7(a, b, c, d, e, f, g))
#define N8(a, b, c, d, e, f, g, h) (FS(a) ? 1 + N7(b, c, d, e, f, g, h) : 0)
#define P8(a, b, c, d, e, f, g, h) \
	(FS(a) ? FS(a) + P7(b, c, d, e, f, g, h) : 0)
#define L9(a, b, c, d, e, f, g, h, i) \
	(DC(i) ? 9 : L8(a, b, c, d, e, f, g, h))
#define N9(a, b, c, d, e, f, g, h, i) \
	(FS(a) ? 1 + N8(b, c, d, e, f, g, h, i) : 0)
#define P9(a, b, c, d, e, f, g, h, i) \
	(FS(a) ? FS(a) + P8(b, c, d, e, f, g, h, i) : 0)
#define D1(a) { 1, { a }, L1(a), N1(a), P1(a) }
#define D2(a, b) { 2, { a, b }, L2(a, b), N2(a, b), P2(a, b) }
#define D3(a, b, c) { 3, { a, b, c }, L3(a, b, c), N3(a, b, c), P3(a, b, c) }
#define D4(a, b, c, d) \
	{ 4, { a, b, c, d }, \
	  L4(a, b, c, d), N4(a, b, c, d), P4(a, b, c, d) }
#define D6(a, b, c, d, e, f) \
	{ 6, { a, b, c, d, e, f }, \
	  L6(a, b, c, d, e, f), N6(a, b, c, d, e, f), P6(a, b, c, d, e, f) }
#define D7(a, b, c, d, e, f, g) \
	{ 7, { a, b, c, d, e, f, g }, \
	  L7(a, b, c, d, e, f, g), N7(a, b, c, d, e, f, g), \
	  P7(a, b, c, d, e, f, g) }
#define D9(a, b, c, d, e, f, g, h, i) \
	{ 9, { a, b, c, d, e, f, g, h, i }, \
	  L9(a, b, c, d, e, f, g, h, i), N9(a, b, c, d, e, f, g, h, i), \
	  P9(a, b, c, d, e, f, g, h, i) }

#define FS4(k) FS(k), FS((k) + 1), FS((k) + 2), FS((k) + 3)
#define FS16(k) FS4(k), FS4((k) + 4), FS4((k) + 8), FS4((k) + 12)
_Static_assert(RDF_NKINDS <= RDF_FIXED_SIZES, "rdf_fixed_sizes too short");
const uint8_t rdf_fixed_sizes[RDF_FIXED_SIZES] = {
	FS16(0), FS16(16), FS16(32), FS16(48),
};

/* DLV (RFC 4431) has the DS layout. */
const struct rdata_desc rdata_desc_dlv = D4(RDF_U16, RDF_ALG, RDF_U8, RDF_HEX);

/* Indexed by type for 0..257 (URI, CAA); DLV is handled in the lookup
 * (rdata_desc_get, rdata_desc.h). */
const struct rdata_desc rdata_descs[RDATA_DESC_TYPES] = {
	[DNS_T_A] = D1(RDF_A),
	[DNS_T_NS] = D1(RDF_NAME_C),
	[DNS_T_MD] = D1(RDF_NAME_C),
	[DNS_T_MF] = D1(RDF_NAME_C),
	[DNS_T_CNAME] = D1(RDF_NAME_C),
	[DNS_T_SOA] = D7(RDF_NAME_C, RDF_NAME_C, RDF_U32, RDF_PERIOD,
	                 RDF_PERIOD, RDF_PERIOD, RDF_PERIOD),
	[DNS_T_MB] = D1(RDF_NAME_C),
	[DNS_T_MG] = D1(RDF_NAME_C),
	[DNS_T_MR] = D1(RDF_NAME_C),
	[DNS_T_NULL] = D1(RDF_OPAQUE),
	[DNS_T_WKS] = D3(RDF_A, RDF_PROTO, RDF_PORTMAP),
	[DNS_T_PTR] = D1(RDF_NAME_C),
	[DNS_T_HINFO] = D2(RDF_STR, RDF_STR),
	[DNS_T_MINFO] = D2(RDF_NAME_C, RDF_NAME_C),
	[DNS_T_MX] = D2(RDF_U16, RDF_NAME_C),
	[DNS_T_TXT] = D1(RDF_STRS),
	[DNS_T_RP] = D2(RDF_NAME_D, RDF_NAME_D),
	[DNS_T_AFSDB] = D2(RDF_U16, RDF_NAME_D),
	[DNS_T_X25] = D1(RDF_STR),
	[DNS_T_ISDN] = D2(RDF_STR, RDF_STR_OPT),
	[DNS_T_RT] = D2(RDF_U16, RDF_NAME_D),
	[DNS_T_NSAP] = D1(RDF_NSAP),
	[23] = D1(RDF_NAME),                      /* NSAP-PTR, RFC 1706 */
	[DNS_T_SIG] = D9(RDF_TYPE, RDF_ALG, RDF_U8, RDF_U32, RDF_TIME,
	                 RDF_TIME, RDF_U16, RDF_NAME_D, RDF_B64),
	[DNS_T_KEY] = D4(RDF_U16, RDF_U8, RDF_ALG, RDF_B64),
	[DNS_T_PX] = D3(RDF_U16, RDF_NAME_D, RDF_NAME_D),
	[27] = D3(RDF_GPOSSTR, RDF_GPOSSTR, RDF_GPOSSTR), /* GPOS, RFC 1712 */
	[DNS_T_AAAA] = D1(RDF_AAAA),
	[DNS_T_LOC] = D1(RDF_LOC),
	[DNS_T_NXT] = D2(RDF_NAME_D, RDF_NXTMAP),
	[DNS_T_SRV] = D4(RDF_U16, RDF_U16, RDF_U16, RDF_NAME_D),
	[34] = D1(RDF_ATMA),                      /* ATMA */
	[DNS_T_NAPTR] = D6(RDF_U16, RDF_U16, RDF_STR, RDF_STR, RDF_STR,
	                   RDF_NAME_D),
	[DNS_T_KX] = D2(RDF_U16, RDF_NAME_D),
	[DNS_T_CERT] = D4(RDF_CERTTYPE, RDF_U16, RDF_ALG, RDF_B64),
	[DNS_T_DNAME] = D1(RDF_NAME_D),
	[DNS_T_OPT] = D1(RDF_EDNSOPTS),
	[DNS_T_APL] = D1(RDF_APL),
	[DNS_T_DS] = D4(RDF_U16, RDF_ALG, RDF_U8, RDF_HEX),
	[DNS_T_SSHFP] = D3(RDF_U8, RDF_U8, RDF_HEX),
	[DNS_T_IPSECKEY] = D3(RDF_U8, RDF_IPSECGW, RDF_B64_OPT),
	[DNS_T_RRSIG] = D9(RDF_TYPE, RDF_ALG, RDF_U8, RDF_U32, RDF_TIME,
	                   RDF_TIME, RDF_U16, RDF_NAME_D, RDF_B64),
	[DNS_T_NSEC] = D2(RDF_NAME_N, RDF_BITMAP),
	[DNS_T_DNSKEY] = D4(RDF_U16, RDF_U8, RDF_ALG, RDF_B64),
	[DNS_T_DHCID] = D1(RDF_B64),
	[DNS_T_NSEC3] = D6(RDF_U8, RDF_U8, RDF_U16, RDF_HEXLEN, RDF_B32LEN,
	                   RDF_BITMAP0),
	[DNS_T_NSEC3PARAM] = D4(RDF_U8, RDF_U8, RDF_U16, RDF_HEXLEN),
	[DNS_T_TLSA] = D4(RDF_U8, RDF_U8, RDF_U8, RDF_HEX),
	[DNS_T_SMIMEA] = D4(RDF_U8, RDF_U8, RDF_U8, RDF_HEX),
	[DNS_T_HIP] = D2(RDF_HIP, RDF_NAMES),
	[58] = D2(RDF_NAME, RDF_NAME),            /* TALINK */
	[DNS_T_CDS] = D4(RDF_U16, RDF_ALG, RDF_U8, RDF_HEX),
	[DNS_T_CDNSKEY] = D4(RDF_U16, RDF_U8, RDF_ALG, RDF_B64),
	[DNS_T_OPENPGPKEY] = D1(RDF_B64),
	[DNS_T_CSYNC] = D3(RDF_U32, RDF_U16, RDF_BITMAP0),
	[DNS_T_ZONEMD] = D4(RDF_U32, RDF_U8, RDF_U8, RDF_HEX),
	[DNS_T_SVCB] = D3(RDF_U16, RDF_NAME, RDF_SVCPARAMS),
	[DNS_T_HTTPS] = D3(RDF_U16, RDF_NAME, RDF_SVCPARAMS),
	[DNS_T_SPF] = D1(RDF_STRS),
	[104] = D2(RDF_U16, RDF_ILNP64),          /* NID */
	[105] = D2(RDF_U16, RDF_A),               /* L32 */
	[106] = D2(RDF_U16, RDF_ILNP64),          /* L64 */
	[107] = D2(RDF_U16, RDF_NAME),            /* LP */
	[DNS_T_EUI48] = D1(RDF_EUI48),
	[DNS_T_EUI64] = D1(RDF_EUI64),
	/* TKEY (RFC 2930 §2), TSIG (RFC 8945 §4.2): the algorithm name is
	 * never compressed */
	[DNS_T_TKEY] = D7(RDF_NAME, RDF_TIME, RDF_TIME, RDF_U16, RDF_TSIGERR,
	                  RDF_INT16DATA, RDF_INT16DATA),
	[DNS_T_TSIG] = D7(RDF_NAME, RDF_U48, RDF_U16, RDF_INT16DATA, RDF_U16,
	                  RDF_TSIGERR, RDF_INT16DATA),
	[DNS_T_URI] = D3(RDF_U16, RDF_U16, RDF_LSTR),
	[DNS_T_CAA] = D3(RDF_U8, RDF_TAG, RDF_LSTR),
};

_Static_assert(RDATA_DESC_TYPES == DNS_T_CAA + 1,
               "the table runs from type 0 to CAA");
_Static_assert(RDATA_DESC_DLV == DNS_T_DLV, "DLV is the type apart");

bool rdata_desc_generic_text(const struct rdata_desc *d)
{
	return d->nf == 1 && (d->f[0] == RDF_OPAQUE || d->f[0] == RDF_EDNSOPTS);
}

/* ---- wire validation ---- */

int rdf_bitmap_check(const uint8_t *p, size_t n, bool allow_empty)
{
	wire_rd rd = wire_rd_init(p, n);
	int last = -1;
	if (n == 0)
		return allow_empty ? 0 : WARD_ERDATA;
	while (wire_rd_left(&rd) > 0) {
		uint8_t win = wire_rd_u8(&rd);
		uint8_t len = wire_rd_u8(&rd);
		if (rd.err)
			return WARD_ERDATA;
		/* windows strictly ascending, 1..32 octets, no trailing zero
		 * octet (so no empty window either): RFC 4034 §4.1.2 */
		if ((int)win <= last || len < 1 || len > 32)
			return WARD_ERDATA;
		const uint8_t *bits = wire_rd_view(&rd, len);
		if (!bits || bits[len - 1] == 0)
			return WARD_ERDATA;
		last = win;
	}
	return 0;
}

static bool is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* A sequence of one or more <character-string>s filling p[0..n); the last
 * one running past the end is WARD_ETRUNC. */
static int strs_check(const uint8_t *p, size_t n, bool nonempty_items)
{
	wire_rd rd = wire_rd_init(p, n);
	if (n == 0)
		return WARD_ERDATA;
	while (wire_rd_left(&rd) > 0) {
		uint8_t len = wire_rd_u8(&rd);
		if (nonempty_items && len == 0)
			return WARD_ERDATA;
		wire_rd_skip(&rd, len);
		if (rd.err)
			return rd.err;
	}
	return 0;
}

/* One SvcParamValue's format (RFC 9460 §7; RFC 9461 §5; RFC 9540 §4). */
static int svcparam_value_check(uint16_t key, const uint8_t *v, size_t n)
{
	switch (key) {
	case 0: { /* mandatory: >= 1 keys, strictly increasing, not 0 */
		wire_rd rd = wire_rd_init(v, n);
		int last = 0;
		if (n == 0 || n % 2)
			return WARD_ERDATA;
		while (wire_rd_left(&rd) > 0) {
			uint16_t k = wire_rd_u16(&rd);
			if ((int)k <= last)
				return WARD_ERDATA;
			last = k;
		}
		return 0;
	}
	case 1: /* alpn: >= 1 non-empty alpn-ids */
		return strs_check(v, n, true) < 0 ? WARD_ERDATA : 0;
	case 2: /* no-default-alpn */
	case 8: /* ohttp */
		return n == 0 ? 0 : WARD_ERDATA;
	case 3: /* port */
		return n == 2 ? 0 : WARD_ERDATA;
	case 4: /* ipv4hint */
		return n >= 4 && n % 4 == 0 ? 0 : WARD_ERDATA;
	case 6: /* ipv6hint */
		return n >= 16 && n % 16 == 0 ? 0 : WARD_ERDATA;
	case 5: /* ech: an ECHConfigList, opaque to us but not empty */
	case 7: /* dohpath: a URI template, not empty */
		return n > 0 ? 0 : WARD_ERDATA;
	default:
		return 0;
	}
}

int rdf_svcparams_check(const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	int last = -1;
	const uint8_t *mandatory = NULL;
	size_t mandatory_len = 0;

	while (wire_rd_left(&rd) > 0) {
		uint16_t key = wire_rd_u16(&rd);
		uint16_t len = wire_rd_u16(&rd);
		const uint8_t *val = wire_rd_view(&rd, len);
		if (rd.err)
			return WARD_ERDATA;
		/* keys strictly increasing (RFC 9460 §2.2); 65535 is the
		 * reserved "invalid key" (§14.3.2) */
		if ((int)key <= last || key == 65535)
			return WARD_ERDATA;
		last = key;
		if (svcparam_value_check(key, val, len) < 0)
			return WARD_ERDATA;
		if (key == 0) {
			mandatory = val;
			mandatory_len = len;
		}
	}
	/* every key listed as mandatory must be present (RFC 9460 §8) */
	if (mandatory) {
		wire_rd m = wire_rd_init(mandatory, mandatory_len);
		while (wire_rd_left(&m) > 0) {
			uint16_t want = wire_rd_u16(&m);
			wire_rd s = wire_rd_init(p, n);
			bool found = false;
			while (!found && wire_rd_left(&s) > 0) {
				uint16_t key = wire_rd_u16(&s);
				uint16_t len = wire_rd_u16(&s);
				wire_rd_skip(&s, len);
				found = key == want;
			}
			if (!found)
				return WARD_ERDATA;
		}
	}
	return 0;
}

static int edns_opts_check(const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	while (wire_rd_left(&rd) > 0) {
		(void)wire_rd_u16(&rd);
		uint16_t len = wire_rd_u16(&rd);
		wire_rd_skip(&rd, len);
		if (rd.err)
			return WARD_ERDATA;
	}
	return 0;
}

/* IPSECKEY (RFC 4025 §2): gateway type, algorithm, then a gateway of
 * the type's shape; types past 3 are undefined. */
static int ipsecgw_len(const uint8_t *p, size_t left)
{
	wire_rd rd = wire_rd_init(p, left);
	uint8_t gtype = wire_rd_u8(&rd);
	(void)wire_rd_u8(&rd);
	if (rd.err)
		return rd.err;
	switch (gtype) {
	case 0: return 2;
	case 1: return left >= 6 ? 6 : WARD_ETRUNC;
	case 2: return left >= 18 ? 18 : WARD_ETRUNC;
	case 3: {
		int r = dns_name_check(p + 2, left - 2);
		return r < 0 ? r : r + 2;
	}
	default: return WARD_ERDATA;
	}
}

/* HIP (RFC 8005 §5): HIT length, PK algorithm, PK length, HIT, PK. */
static int hip_len(const uint8_t *p, size_t left)
{
	wire_rd rd = wire_rd_init(p, left);
	uint8_t hitlen = wire_rd_u8(&rd);
	(void)wire_rd_u8(&rd);
	uint16_t pklen = wire_rd_u16(&rd);
	wire_rd_skip(&rd, hitlen);
	wire_rd_skip(&rd, pklen);
	if (rd.err)
		return rd.err;
	return hitlen == 0 ? WARD_ERDATA : (int)rd.pos;
}

/* APL (RFC 3123 §4): items of family, prefix, N|AFDLENGTH, AFDPART. */
static int apl_check(const uint8_t *p, size_t n)
{
	wire_rd rd = wire_rd_init(p, n);
	while (wire_rd_left(&rd) > 0) {
		uint16_t family = wire_rd_u16(&rd);
		uint8_t prefix = wire_rd_u8(&rd);
		uint8_t afdlen = wire_rd_u8(&rd) & 0x7f;
		wire_rd_skip(&rd, afdlen);
		if (rd.err)
			return WARD_ERDATA;
		if ((family == 1 && (afdlen > 4 || prefix > 32)) ||
		    (family == 2 && (afdlen > 16 || prefix > 128)))
			return WARD_ERDATA;
	}
	return 0;
}

static int names_check(const uint8_t *p, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		int r = dns_name_check(p + pos, n - pos);
		if (r < 0)
			return r == WARD_ETRUNC ? WARD_ERDATA : r;
		pos += (size_t)r;
	}
	return 0;
}

int rdf_field_len(uint8_t k, const uint8_t *p, size_t left)
{
	size_t fl = rdf_fixed_size(k);
	if (fl)
		return fl <= left ? (int)fl : WARD_ETRUNC;
	if (rdf_is_name(k)) {
		return dns_name_check(p, left);
	}
	wire_rd rd = wire_rd_init(p, left);
	int r = 0;
	switch (k) {
	case RDF_STR_OPT:
		if (left == 0)
			return 0;
		/* fall through */
	case RDF_STR:
	case RDF_GPOSSTR:
	case RDF_HEXLEN:
		wire_rd_skip(&rd, wire_rd_u8(&rd));
		return rd.err ? rd.err : (int)rd.pos;
	case RDF_B32LEN: {
		uint8_t len = wire_rd_u8(&rd);
		wire_rd_skip(&rd, len);
		if (rd.err)
			return rd.err;
		return len == 0 ? WARD_ERDATA : (int)rd.pos;
	}
	case RDF_TAG: {
		uint8_t len = wire_rd_u8(&rd);
		const uint8_t *t = wire_rd_view(&rd, len);
		if (rd.err)
			return rd.err;
		if (len == 0)
			return WARD_ERDATA;
		for (size_t i = 0; i < len; i++)
			if (!is_alnum(t[i]))
				return WARD_ERDATA;
		return (int)rd.pos;
	}
	case RDF_INT16DATA:
		wire_rd_skip(&rd, wire_rd_u16(&rd));
		return rd.err ? rd.err : (int)rd.pos;
	case RDF_IPSECGW: return ipsecgw_len(p, left);
	case RDF_HIP: return hip_len(p, left);
	case RDF_NXTMAP:
		/* bit 0 set would announce another format (RFC 2535 §5.2) */
		r = left <= 16 && (left == 0 || !(p[0] & 0x80)) ? 0 : WARD_ERDATA;
		break;
	case RDF_LOC:
		/* version 0 is 16 octets; other versions are opaque */
		r = left == 0 || (p[0] == 0 && left != 16) ? WARD_ERDATA : 0;
		break;
	case RDF_APL: r = apl_check(p, left); break;
	case RDF_ATMA: r = left ? 0 : WARD_ERDATA; break;
	case RDF_NAMES: r = names_check(p, left); break;
	case RDF_PORTMAP: case RDF_B64_OPT:
		break;
	case RDF_STRS: r = strs_check(p, left, false); break;
	case RDF_NSAP: r = left ? 0 : WARD_ERDATA; break;
	case RDF_BITMAP: r = rdf_bitmap_check(p, left, false); break;
	case RDF_BITMAP0: r = rdf_bitmap_check(p, left, true); break;
	case RDF_SVCPARAMS: r = rdf_svcparams_check(p, left); break;
	case RDF_EDNSOPTS: r = edns_opts_check(p, left); break;
	case RDF_LSTR: case RDF_HEX: case RDF_B64: case RDF_OPAQUE:
		break;
	default:
		return WARD_EINVAL;
	}
	return r < 0 ? r : (int)left;
}
