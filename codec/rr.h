/* ward: resource records — types, classes, rdata driven by one descriptor
 * table per type (RFC 1035, 3597, 4034, 5155, 9460, ...).
 *
 * rdata is handled in two forms:
 *  - in a message: maybe with compressed names; dns_rdata_unpack() reads it
 *    into the uncompressed form, validating it against the type's layout;
 *  - uncompressed: what every other function takes and what gets cached,
 *    signed (after dns_rdata_canonicalize) and printed. */
#ifndef WARD_RR_H
#define WARD_RR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "name.h"
#include "strbuf.h"

enum dns_type {
	DNS_T_A = 1, DNS_T_NS = 2, DNS_T_MD = 3, DNS_T_MF = 4, DNS_T_CNAME = 5,
	DNS_T_SOA = 6, DNS_T_MB = 7, DNS_T_MG = 8, DNS_T_MR = 9, DNS_T_NULL = 10,
	DNS_T_WKS = 11, DNS_T_PTR = 12, DNS_T_HINFO = 13, DNS_T_MINFO = 14,
	DNS_T_MX = 15, DNS_T_TXT = 16, DNS_T_RP = 17, DNS_T_AFSDB = 18,
	DNS_T_X25 = 19, DNS_T_ISDN = 20, DNS_T_RT = 21, DNS_T_NSAP = 22,
	DNS_T_SIG = 24, DNS_T_KEY = 25, DNS_T_PX = 26, DNS_T_AAAA = 28,
	DNS_T_LOC = 29, DNS_T_NXT = 30, DNS_T_SRV = 33, DNS_T_NAPTR = 35,
	DNS_T_KX = 36, DNS_T_CERT = 37, DNS_T_DNAME = 39, DNS_T_OPT = 41,
	DNS_T_APL = 42, DNS_T_DS = 43, DNS_T_SSHFP = 44, DNS_T_IPSECKEY = 45,
	DNS_T_RRSIG = 46, DNS_T_NSEC = 47, DNS_T_DNSKEY = 48, DNS_T_DHCID = 49,
	DNS_T_NSEC3 = 50, DNS_T_NSEC3PARAM = 51, DNS_T_TLSA = 52,
	DNS_T_SMIMEA = 53, DNS_T_HIP = 55, DNS_T_CDS = 59, DNS_T_CDNSKEY = 60,
	DNS_T_OPENPGPKEY = 61, DNS_T_CSYNC = 62, DNS_T_ZONEMD = 63,
	DNS_T_SVCB = 64, DNS_T_HTTPS = 65, DNS_T_SPF = 99, DNS_T_EUI48 = 108,
	DNS_T_EUI64 = 109, DNS_T_TKEY = 249, DNS_T_TSIG = 250, DNS_T_IXFR = 251,
	DNS_T_AXFR = 252, DNS_T_MAILB = 253, DNS_T_MAILA = 254, DNS_T_ANY = 255,
	DNS_T_URI = 256, DNS_T_CAA = 257, DNS_T_DLV = 32769,
};

enum dns_class {
	DNS_C_IN = 1, DNS_C_CH = 3, DNS_C_HS = 4, DNS_C_NONE = 254, DNS_C_ANY = 255,
};

#define DNS_RDATA_MAX 65535

/* Mnemonic of a type ("A", "TYPE65280" for unknown ones, RFC 3597 §5). */
void dns_type_to_text(uint16_t type, strbuf *sb);
const char *dns_type_str(uint16_t type, char buf[16]);
/* Mnemonic or TYPEnnn -> number. */
int dns_type_from_text(const char *s, size_t n, uint16_t *out);
void dns_class_to_text(uint16_t cls, strbuf *sb);
const char *dns_class_str(uint16_t cls, char buf[16]);
int dns_class_from_text(const char *s, size_t n, uint16_t *out);

/* True for the types with a descriptor and a presentation format of their
 * own (NULL and OPT have a descriptor but are always shown as \#). */
bool dns_type_known(uint16_t type);

/* Read `rdlen` bytes of rdata of `type` at rd->pos (names may be compressed,
 * pointers resolve into rd->buf) into `out` uncompressed, validating the
 * layout. Advances rd by exactly rdlen on success. *outlen gets the length.
 * Pointers are accepted only in the names RFC 3597 §4 lets receivers
 * decompress (plus KX, DNAME, RRSIG signer, NSEC next: see rdata.c);
 * elsewhere they are WARD_ECOMPRESS. Errors (also left in rd->err):
 * WARD_ETRUNC (message ends before rdlen), WARD_ERDLEN (fields need more
 * or fewer than rdlen octets), WARD_ERDATA (bad contents: type bitmap,
 * SvcParams, CAA tag, ...), name errors (WARD_ELABELTYPE, WARD_EPTRFWD,
 * ...), WARD_ESPACE (out too small). */
int dns_rdata_unpack(wire_rd *rd, uint16_t type, uint16_t rdlen,
                     uint8_t *out, size_t cap, size_t *outlen);

/* Validate uncompressed rdata against the type's layout: 0, WARD_ERDLEN,
 * WARD_ERDATA or a name error (WARD_ECOMPRESS for a pointer). */
int dns_rdata_check(uint16_t type, const uint8_t *rdata, size_t len);

/* Write uncompressed rdata into a message, compressing the names that RFC
 * 3597 §4 allows (NS, CNAME, SOA, PTR, MX, ... the RFC 1035 types) when c is
 * non-NULL; the caller writes RDLENGTH. */
void dns_rdata_pack(wire_wr *w, uint16_t type, const uint8_t *rdata,
                    size_t len, dns_compress *c);

/* Presentation format of the rdata (no owner/ttl/class/type), as ldns
 * prints it. Unknown types as "\# len hex" (RFC 3597 §5), and so are
 * valid rdatas that have no exact text (an empty DNSKEY key, ...).
 * Malformed rdata is also written as "\# len hex" and WARD_ERDATA is
 * returned; otherwise 0 or WARD_ESPACE (sb full). */
int dns_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t len,
                      strbuf *sb);

/* Parse rdata presentation text (one logical line: parentheses and comments
 * already removed by the caller; quoted strings kept) into uncompressed wire.
 * Relative names get `origin`. Accepts the "\# len hex" form for every type
 * (the data must then be valid for a known type: WARD_ERDATA). Errors:
 * WARD_EMISSING (fields missing), WARD_ETRAILING (tokens left over),
 * WARD_ESYNTAX, WARD_ERANGE, WARD_EADDR, WARD_ESTRLEN, WARD_EESCAPE,
 * WARD_EQUOTE, WARD_EHEX, WARD_EBASE64, WARD_EBASE32, WARD_EUNKTYPE,
 * WARD_ESVCPARAM, name errors, WARD_ERDLEN (\# length mismatch),
 * WARD_ELIMIT (more than 65535 octets), WARD_ESPACE (cap too small). */
int dns_rdata_from_text(uint16_t type, const char *text, size_t n,
                        const dns_name *origin, uint8_t *out, size_t cap,
                        size_t *outlen);

/* Lowercase the embedded names of the types listed in RFC 4034 §6.2 as
 * amended by RFC 6840 §5.1, in place. */
void dns_rdata_canonicalize(uint16_t type, uint8_t *rdata, size_t len);

/* A record with uncompressed rdata (a view: rdata points elsewhere). */
typedef struct dns_rr {
	dns_name owner;
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	uint16_t rdlen;
	const uint8_t *rdata;
} dns_rr;

/* "owner\tttl\tCLASS\tTYPE\trdata" as ldns prints records (without the
 * ";{id = ...}" comments ldns adds to DNSKEY and RRSIG). Returns what
 * dns_rdata_to_text returns. */
int dns_rr_to_text(const dns_rr *rr, strbuf *sb);

/* Uncompressed wire form of a whole record (owner, type, class, ttl,
 * rdlength, rdata) — the format of ldns/unbound test vectors. */
void dns_rr_write(wire_wr *w, const dns_rr *rr);

/* Read one uncompressed record from rd (no compression allowed); rdata
 * points into rd->buf. */
int dns_rr_read_uncompressed(wire_rd *rd, dns_rr *rr);

/* Canonical RR form for signing (RFC 4034 §6.2): owner lowercased, rdata
 * names lowercased per dns_rdata_canonicalize, TTL replaced by orig_ttl.
 * Writes owner|type|class|orig_ttl|rdlen|rdata into w. */
void dns_rr_write_canonical(wire_wr *w, const dns_rr *rr, uint32_t orig_ttl);

/* Canonical RRset order (RFC 4034 §6.3): sort rrs in place by canonical
 * rdata (names lowercased, then compared as left-justified octet strings);
 * duplicates are adjacent afterwards. */
void dns_rrset_canon_sort(dns_rr *rrs, size_t n);

/* Compare two rdatas of the same type in canonical form (memcmp-like). */
int dns_rdata_canon_cmp(uint16_t type, const uint8_t *a, size_t alen,
                        const uint8_t *b, size_t blen);

#endif
