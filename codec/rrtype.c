/* ward: RR type and class mnemonics (IANA "Resource Record (RR) TYPEs",
 * RFC 3597 §5 for TYPEnnn / CLASSnnn). The set of printed mnemonics is the
 * one ldns knows, so our text matches ldns/unbound output byte for byte. */
#include <stdio.h>
#include <string.h>

#include "rdata_desc.h"
#include "rr.h"

struct mnemonic {
	uint16_t value;
	const char *name;
};

static const struct mnemonic types[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" },
	{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" },
	{ 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" },
	{ 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" },
	{ 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAP-PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" },
	{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" },
	{ 31, "EID" }, { 32, "NIMLOC" }, { 33, "SRV" }, { 34, "ATMA" },
	{ 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" }, { 38, "A6" },
	{ 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, { 42, "APL" },
	{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" },
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" }, { 55, "HIP" },
	{ 58, "TALINK" }, { 59, "CDS" }, { 60, "CDNSKEY" },
	{ 61, "OPENPGPKEY" }, { 62, "CSYNC" }, { 63, "ZONEMD" },
	{ 64, "SVCB" }, { 65, "HTTPS" }, { 99, "SPF" }, { 104, "NID" },
	{ 105, "L32" }, { 106, "L64" }, { 107, "LP" }, { 108, "EUI48" },
	{ 109, "EUI64" }, { 249, "TKEY" }, { 250, "TSIG" }, { 251, "IXFR" },
	{ 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" }, { 255, "ANY" },
	{ 256, "URI" }, { 257, "CAA" }, { 32769, "DLV" },
};

static const struct mnemonic classes[] = {
	{ DNS_C_IN, "IN" }, { DNS_C_CH, "CH" }, { DNS_C_HS, "HS" },
	{ DNS_C_NONE, "NONE" }, { DNS_C_ANY, "ANY" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup_value(const struct mnemonic *t, size_t n,
                                uint16_t v)
{
	/* the tables are sorted by value */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].value == v)
			return t[mid].name;
		if (t[mid].value < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static bool eq_nocase(const char *s, size_t n, const char *name)
{
	size_t i = 0;
	for (; i < n; i++)
		if (name[i] == '\0' || upper(s[i]) != name[i])
			return false;
	return name[i] == '\0';
}

/* "PREFIXnnn" with nnn decimal 0..65535; 1 and *out on a match. */
static int prefixed_number(const char *s, size_t n, const char *prefix,
                           uint16_t *out)
{
	size_t pl = strlen(prefix);
	if (n <= pl || !eq_nocase(s, pl, prefix))
		return 0;
	uint32_t v = 0;
	for (size_t i = pl; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
		if (v > 65535)
			return -1;
	}
	*out = (uint16_t)v;
	return 1;
}

static int from_text(const struct mnemonic *t, size_t nt, const char *prefix,
                     const char *s, size_t n, uint16_t *out, int unknown)
{
	for (size_t i = 0; i < nt; i++) {
		if (eq_nocase(s, n, t[i].name)) {
			*out = t[i].value;
			return 0;
		}
	}
	int r = prefixed_number(s, n, prefix, out);
	if (r > 0)
		return 0;
	return r < 0 ? WARD_ERANGE : unknown;
}

void dns_type_to_text(uint16_t type, strbuf *sb)
{
	const char *name = lookup_value(types, NELEM(types), type);
	if (name)
		strbuf_puts(sb, name);
	else
		strbuf_printf(sb, "TYPE%u", (unsigned)type);
}

const char *dns_type_str(uint16_t type, char buf[16])
{
	strbuf sb = strbuf_init(buf, 16);
	dns_type_to_text(type, &sb);
	return buf;
}

int dns_type_from_text(const char *s, size_t n, uint16_t *out)
{
	return from_text(types, NELEM(types), "TYPE", s, n, out,
	                 WARD_EUNKTYPE);
}

void dns_class_to_text(uint16_t cls, strbuf *sb)
{
	const char *name = lookup_value(classes, NELEM(classes), cls);
	if (name)
		strbuf_puts(sb, name);
	else
		strbuf_printf(sb, "CLASS%u", (unsigned)cls);
}

const char *dns_class_str(uint16_t cls, char buf[16])
{
	strbuf sb = strbuf_init(buf, 16);
	dns_class_to_text(cls, &sb);
	return buf;
}

int dns_class_from_text(const char *s, size_t n, uint16_t *out)
{
	return from_text(classes, NELEM(classes), "CLASS", s, n, out,
	                 WARD_EUNKCLASS);
}

bool dns_type_known(uint16_t type)
{
	const struct rdata_desc *d = rdata_desc_get(type);
	return d && !rdata_desc_generic_text(d);
}
