/* ward: EDNS(0) (RFC 6891) — the OPT pseudo-record and its options.
 *
 * The OPT record's CLASS is the requester's UDP payload size, its TTL holds
 * the extended rcode (upper 8 bits of the 12-bit rcode), the version and the
 * flags (DO, RFC 3225). The rdata is a list of {code, length, data} options;
 * they are read through a cursor-based iterator and decoded by one function
 * per option:
 *   COOKIE            RFC 7873 (client 8 octets, server 8..32)
 *   Extended DNS Error RFC 8914 (info code + UTF-8 EXTRA-TEXT)
 *   Padding           RFC 7830 (RFC 8467 block-length policy)
 *   Client subnet     RFC 7871 (family, source/scope prefix, address)
 *   TCP keepalive     RFC 7828 (empty or a 16-bit timeout in 100 ms units)
 *   NSID              RFC 5001 (opaque server identifier)
 *   EXPIRE            RFC 7314 (empty or a 32-bit expire timer)
 * Unknown options stay opaque. Decoders return WARD_EOPT for a malformed
 * option; all data pointers are views into the message. */
#ifndef WARD_EDNS_H
#define WARD_EDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "strbuf.h"

struct dns_msg;

#define EDNS_FLAG_DO 0x8000      /* DNSSEC OK (RFC 3225) */
#define EDNS_MIN_UDP 512         /* smaller advertised sizes count as 512 */
#define EDNS_VERSION 0           /* the version we speak */
#define EDNS_OPT_HDR 4           /* option code + option length */
#define EDNS_OPT_RR_LEN 11       /* root owner, type, class, ttl, rdlength */

enum edns_opt_code {
	EDNS_OPT_LLQ = 1, EDNS_OPT_UL = 2, EDNS_OPT_NSID = 3, EDNS_OPT_DAU = 5,
	EDNS_OPT_DHU = 6, EDNS_OPT_N3U = 7, EDNS_OPT_ECS = 8,
	EDNS_OPT_EXPIRE = 9, EDNS_OPT_COOKIE = 10, EDNS_OPT_KEEPALIVE = 11,
	EDNS_OPT_PADDING = 12, EDNS_OPT_CHAIN = 13, EDNS_OPT_KEYTAG = 14,
	EDNS_OPT_EDE = 15, EDNS_OPT_CLIENT_TAG = 16, EDNS_OPT_SERVER_TAG = 17,
	EDNS_OPT_REPORT_CHANNEL = 18, EDNS_OPT_ZONEVERSION = 19,
};

/* The decoded OPT record. */
typedef struct edns_info {
	uint16_t udp_size;     /* as sent (see edns_udp_size) */
	uint8_t ext_rcode;     /* upper 8 bits of the rcode */
	uint8_t version;
	uint16_t flags;        /* EDNS_FLAG_DO, the rest must be zero */
	const uint8_t *opts;   /* the rdata: options, framing validated */
	uint16_t opts_len;
} edns_info;

/* From the OPT record of a parsed message. WARD_ENOTFOUND without one. */
int edns_from_msg(const struct dns_msg *m, edns_info *e);
/* From the fields of an OPT record; WARD_EOPT when the options are not
 * framed correctly. */
int edns_from_rr(uint16_t rclass, uint32_t ttl, const uint8_t *rdata,
                 size_t rdlen, edns_info *e);
/* The TTL field for an OPT record. */
uint32_t edns_ttl(uint8_t ext_rcode, uint8_t version, uint16_t flags);
/* UDP payload size with RFC 6891 §6.2.5 applied (at least 512). */
uint16_t edns_udp_size(const edns_info *e);

/* ---- options ---- */

typedef struct edns_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *data;
} edns_opt;

typedef struct edns_opt_iter {
	wire_rd rd;
} edns_opt_iter;

void edns_opt_iter_init(edns_opt_iter *it, const uint8_t *opts, size_t len);
/* 1 and fills o while there is an option, 0 at the end, WARD_EOPT when an
 * option runs past the end of the rdata (sticky). */
int edns_opt_iter_next(edns_opt_iter *it, edns_opt *o);
/* Check the framing of a whole option list: 0 or WARD_EOPT. */
int edns_opts_check(const uint8_t *opts, size_t len);
/* First option with this code: 0, or WARD_ENOTFOUND. */
int edns_opt_find(const edns_info *e, uint16_t code, edns_opt *o);

/* Mnemonic as dig prints it ("COOKIE", "EDE", "CLIENT-SUBNET", ...) or NULL
 * for an unassigned code. */
const char *edns_opt_name(uint16_t code);

/* COOKIE (RFC 7873 §4): an 8-octet client cookie, optionally followed by a
 * server cookie of 8 to 32 octets. Any other length is WARD_EOPT. */
#define EDNS_COOKIE_CLIENT_LEN 8
#define EDNS_COOKIE_SERVER_MIN 8
#define EDNS_COOKIE_SERVER_MAX 32
typedef struct edns_cookie {
	uint8_t client[EDNS_COOKIE_CLIENT_LEN];
	uint8_t server[EDNS_COOKIE_SERVER_MAX];
	uint8_t server_len;    /* 0 when only the client cookie was sent */
} edns_cookie;
int edns_cookie_parse(const edns_opt *o, edns_cookie *c);
/* Option data (no option header) into out; returns its length or
 * WARD_EOPT (bad server_len) / WARD_ESPACE. */
int edns_cookie_encode(const edns_cookie *c, uint8_t *out, size_t cap);

/* Extended DNS Error (RFC 8914 §2): INFO-CODE and optional EXTRA-TEXT. */
enum edns_ede_code {
	EDE_OTHER = 0, EDE_UNSUPPORTED_DNSKEY_ALG = 1,
	EDE_UNSUPPORTED_DS_DIGEST = 2, EDE_STALE_ANSWER = 3,
	EDE_FORGED_ANSWER = 4, EDE_DNSSEC_INDETERMINATE = 5,
	EDE_DNSSEC_BOGUS = 6, EDE_SIG_EXPIRED = 7, EDE_SIG_NOT_YET_VALID = 8,
	EDE_DNSKEY_MISSING = 9, EDE_RRSIGS_MISSING = 10,
	EDE_NO_ZONE_KEY_BIT = 11, EDE_NSEC_MISSING = 12, EDE_CACHED_ERROR = 13,
	EDE_NOT_READY = 14, EDE_BLOCKED = 15, EDE_CENSORED = 16,
	EDE_FILTERED = 17, EDE_PROHIBITED = 18, EDE_STALE_NXDOMAIN = 19,
	EDE_NOT_AUTHORITATIVE = 20, EDE_NOT_SUPPORTED = 21,
	EDE_NO_REACHABLE_AUTHORITY = 22, EDE_NETWORK_ERROR = 23,
	EDE_INVALID_DATA = 24, EDE_SIG_EXPIRED_BEFORE_VALID = 25,
	EDE_TOO_EARLY = 26, EDE_UNSUPPORTED_NSEC3_ITER = 27,
	EDE_UNABLE_TO_CONFORM = 28, EDE_SYNTHESIZED = 29,
	EDE_INVALID_QUERY_TYPE = 30,
};
typedef struct edns_ede {
	uint16_t info_code;
	const uint8_t *text;   /* EXTRA-TEXT, not NUL-terminated, may be NULL */
	size_t text_len;
	bool text_utf8;        /* EXTRA-TEXT is valid UTF-8 (it SHOULD be) */
} edns_ede;
/* WARD_EOPT when shorter than the 2-octet INFO-CODE. Text that is not
 * valid UTF-8 is accepted (text_utf8 = false): printers sanitise it. A
 * trailing NUL (which RFC 8914 says SHOULD NOT be sent) is dropped. */
int edns_ede_parse(const edns_opt *o, edns_ede *e);
/* Option data; text may be NULL. WARD_EINVAL when text is not valid
 * UTF-8, WARD_ESPACE when it does not fit. */
int edns_ede_encode(uint16_t info_code, const char *text, size_t text_len,
                    uint8_t *out, size_t cap);
/* Registered purpose of an INFO-CODE ("DNSSEC Bogus"), NULL if unassigned. */
const char *edns_ede_name(uint16_t info_code);

/* EDNS Client Subnet (RFC 7871 §6). */
#define EDNS_ECS_FAMILY_IPV4 1
#define EDNS_ECS_FAMILY_IPV6 2
typedef struct edns_ecs {
	uint16_t family;
	uint8_t source_prefix;
	uint8_t scope_prefix;
	uint8_t addr[16];      /* zero-padded to the family's full length */
} edns_ecs;
/* Strict: the address must be exactly ceil(source/8) octets, bits beyond
 * the source prefix zero, prefixes no longer than the family's address
 * (WARD_EOPT); a family other than IPv4/IPv6 is WARD_ENOTSUP. Whether
 * SCOPE must be 0 (queries) is up to the caller. */
int edns_ecs_parse(const edns_opt *o, edns_ecs *e);
/* Option data, the address truncated to the source prefix and the bits
 * beyond it cleared. WARD_EINVAL for a bad family or prefix. */
int edns_ecs_encode(const edns_ecs *e, uint8_t *out, size_t cap);

/* TCP keepalive (RFC 7828 §3.1): empty (in queries) or a 16-bit timeout in
 * units of 100 ms. Any other length is WARD_EOPT. */
int edns_keepalive_parse(const edns_opt *o, bool *has_timeout,
                         uint16_t *timeout);

/* EXPIRE (RFC 7314): empty or 4 octets. */
int edns_expire_parse(const edns_opt *o, bool *has_value, uint32_t *value);

/* Padding (RFC 7830): data should be zeros but receivers ignore it. Returns
 * how many octets of padding data make a message of msg_len octets (which
 * does not yet include the 4-octet padding option header) a multiple of
 * block (RFC 8467 §4.1: 128 for queries, 468 for responses), without
 * exceeding max_len; 0 when even the header does not fit or block is 0. */
size_t edns_padding_len(size_t msg_len, size_t block, size_t max_len);

/* Append one whole option (header + data) to w. */
void edns_opt_write(wire_wr *w, uint16_t code, const uint8_t *data,
                    uint16_t len);

/* ---- text ---- */

/* One option in dig's style without the leading "; " and newline, e.g.
 * "COOKIE: 0123456789abcdef", "EDE: 6 (DNSSEC Bogus): (some text)",
 * "CLIENT-SUBNET: 192.0.2.0/24/0", "TCP-KEEPALIVE: 30.0 secs",
 * "OPT=65001: 0a0b". A known option that fails its decoder is shown as hex
 * followed by " (malformed)". */
void edns_opt_to_text(const edns_opt *o, strbuf *sb);

/* True when p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool edns_utf8_valid(const uint8_t *p, size_t n);
/* Untrusted text for a terminal or log: printable ASCII and valid UTF-8
 * sequences (>= U+00A0) kept, everything else (controls, DEL, C1, invalid
 * bytes) as \DDD, and '\\' as "\\092". */
void edns_text_put_sanitized(strbuf *sb, const uint8_t *p, size_t n);

#endif
