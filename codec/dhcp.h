/* ward: DHCPv4 messages — parse, build, print (RFC 951, 1542, 2131, 2132,
 * 3046, 3396, 3397, 3442, 4702).
 *
 * Parsing gives a dhcp_msg: the BOOTP fixed header plus one entry per option
 * code holding that code's value. Every instance of a code is concatenated
 * in the order RFC 3396 §7 and RFC 2131 §4.1 define — the 'options' field
 * first, then 'file', then 'sname' when option 52 overloads them — into the
 * dhcp_msg's own buffer, so the message does not point into the packet once
 * parsed and no option costs an allocation.
 *
 * Building writes a reply (or a request) into a caller buffer: options are
 * added in the order the caller wants, split in 255-byte instances when long
 * (RFC 3396), moved into 'file' and 'sname' with option 52 when they do not
 * fit the maximum message size, terminated by END and padded to the 300-byte
 * BOOTP minimum (RFC 1542 §2.1).
 *
 * Addresses (header fields and option values) are uint32_t in host byte
 * order: 192.0.2.1 is 0xC0000201. */
#ifndef WARD_DHCP_H
#define WARD_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "error.h"
#include "name.h"
#include "strbuf.h"

/* ---- layout and limits ---- */

#define DHCP_CHADDR_LEN 16
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128
#define DHCP_SNAME_OFF 44        /* offset of sname[] in the message */
#define DHCP_FILE_OFF 108        /* offset of file[] */
#define DHCP_HDR_LEN 236         /* fixed BOOTP header, op .. file[] */
#define DHCP_OPTIONS_OFF 240     /* first option octet, after the cookie */
#define DHCP_COOKIE 0x63825363u  /* 99.130.83.99, RFC 2131 §3 */
#define DHCP_MSG_MAX 65507       /* largest UDP payload over IPv4 */
#define DHCP_BOOTP_MIN_LEN 300   /* RFC 1542 §2.1: replies padded to this */
#define DHCP_IPUDP_LEN 28        /* IPv4 + UDP headers, counted by option 57 */
#define DHCP_MIN_MAX_SIZE 576    /* RFC 2131 §2 / RFC 2132 §9.10 */
#define DHCP_OPT_MAXLEN 255      /* one option instance (RFC 3396 splits) */
#define DHCP_FLAG_BROADCAST 0x8000
#define DHCP_FQDN_TEXT_MAX 1024  /* 255 octets, each at worst "\DDD" */

enum dhcp_op { DHCP_BOOTREQUEST = 1, DHCP_BOOTREPLY = 2 };

/* Option 53 values (RFC 2132 §9.6, 3203, 4388, 6926, 7724). */
enum dhcp_msg_type {
	DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_DECLINE = 4,
	DHCP_ACK = 5, DHCP_NAK = 6, DHCP_RELEASE = 7, DHCP_INFORM = 8,
	DHCP_FORCERENEW = 9, DHCP_LEASEQUERY = 10, DHCP_LEASEUNASSIGNED = 11,
	DHCP_LEASEUNKNOWN = 12, DHCP_LEASEACTIVE = 13, DHCP_BULKLEASEQUERY = 14,
	DHCP_LEASEQUERYDONE = 15, DHCP_ACTIVELEASEQUERY = 16,
	DHCP_LEASEQUERYSTATUS = 17, DHCP_TLS = 18,
};

/* Option codes the codec and the engine use by name. */
enum dhcp_opt_code {
	DHCP_OPT_PAD = 0, DHCP_OPT_SUBNET_MASK = 1, DHCP_OPT_TIME_OFFSET = 2,
	DHCP_OPT_ROUTER = 3, DHCP_OPT_DNS_SERVER = 6, DHCP_OPT_HOSTNAME = 12,
	DHCP_OPT_DOMAIN_NAME = 15, DHCP_OPT_MTU = 26, DHCP_OPT_BROADCAST = 28,
	DHCP_OPT_STATIC_ROUTE = 33, DHCP_OPT_NTP_SERVER = 42,
	DHCP_OPT_VENDOR_ENCAP = 43, DHCP_OPT_REQUESTED_ADDR = 50,
	DHCP_OPT_LEASE_TIME = 51, DHCP_OPT_OVERLOAD = 52, DHCP_OPT_MSG_TYPE = 53,
	DHCP_OPT_SERVER_ID = 54, DHCP_OPT_PARAM_REQ = 55, DHCP_OPT_MESSAGE = 56,
	DHCP_OPT_MAX_SIZE = 57, DHCP_OPT_T1 = 58, DHCP_OPT_T2 = 59,
	DHCP_OPT_VENDOR_CLASS = 60, DHCP_OPT_CLIENT_ID = 61,
	DHCP_OPT_TFTP_SERVER = 66, DHCP_OPT_BOOTFILE = 67,
	DHCP_OPT_USER_CLASS = 77, DHCP_OPT_RAPID_COMMIT = 80,
	DHCP_OPT_CLIENT_FQDN = 81, DHCP_OPT_RELAY_AGENT = 82,
	DHCP_OPT_SUBNET_SELECT = 118, DHCP_OPT_DOMAIN_SEARCH = 119,
	DHCP_OPT_SIP_SERVER = 120, DHCP_OPT_CLASSLESS_ROUTE = 121,
	DHCP_OPT_END = 255,
};

/* Option 52 values and where the options continued. */
#define DHCP_OVERLOAD_FILE 1
#define DHCP_OVERLOAD_SNAME 2

/* dhcp_msg.pflags: facts about the packet that are not errors. */
#define DHCP_PF_BOOTP 0x01      /* no magic cookie: plain BOOTP, no options */
#define DHCP_PF_NOEND 0x02      /* an options area ended without END */
#define DHCP_PF_AFTER_END 0x04  /* non-zero octets after END (ignored) */
#define DHCP_PF_CONCAT 0x08     /* a code appeared more than once (RFC 3396) */

/* The concatenated value of one option code. */
typedef struct dhcp_optval {
	uint32_t off;    /* into dhcp_msg.data */
	uint32_t len;    /* octets, all instances together */
	uint16_t count;  /* instances seen; 0 when the option is absent */
} dhcp_optval;

/* A parsed message. Large (the value buffer holds a maximal UDP payload):
 * keep it in a context struct or static storage, not on a small stack. */
typedef struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	uint8_t sname[DHCP_SNAME_LEN]; /* raw field; options when overloaded */
	uint8_t file[DHCP_FILE_LEN];   /* raw field; options when overloaded */
	size_t wire_len;               /* octets of the parsed packet */
	unsigned pflags;               /* DHCP_PF_* */
	uint8_t overload;              /* option 52 value, 0 when absent */
	uint16_t nopts;                /* distinct codes present */
	uint8_t order[256];            /* the codes in order of first appearance */
	dhcp_optval opt[256];
	uint32_t data_len;
	uint8_t data[DHCP_MSG_MAX];
} dhcp_msg;

/* ---- parsing ---- */

/* Parse pkt[0..len) (a UDP payload). Returns 0 or a negative ward_err:
 * WARD_EDHCP (header shorter than 236 octets, op not 1/2, hlen > 16, len >
 * DHCP_MSG_MAX), WARD_ECOOKIE (a vendor area that is neither the DHCP cookie
 * nor zero-filled), WARD_EDHCPOPT (an option runs past the end of its area),
 * WARD_EOVERLOAD (option 52 malformed, repeated or outside 'options').
 * A packet without cookie parses as BOOTP (DHCP_PF_BOOTP, no options);
 * a missing END is tolerated and flagged (DHCP_PF_NOEND). */
int dhcp_parse(dhcp_msg *m, const uint8_t *pkt, size_t len);

/* The value of option `code` (all instances concatenated); NULL when absent.
 * *len gets its length (0 for valueless options such as rapid-commit). */
const uint8_t *dhcp_opt_get(const dhcp_msg *m, uint8_t code, size_t *len);
bool dhcp_opt_has(const dhcp_msg *m, uint8_t code);

/* Fixed-size values: 0, WARD_ENOTFOUND when absent, WARD_EDHCPOPT when the
 * length is not exactly 1 / 2 / 4 octets. dhcp_opt_ip gives host order. */
int dhcp_opt_u8(const dhcp_msg *m, uint8_t code, uint8_t *out);
int dhcp_opt_u16(const dhcp_msg *m, uint8_t code, uint16_t *out);
int dhcp_opt_u32(const dhcp_msg *m, uint8_t code, uint32_t *out);
int dhcp_opt_ip(const dhcp_msg *m, uint8_t code, uint32_t *out);
/* A list of addresses (length a non-zero multiple of 4): returns how many
 * there are (may exceed max; only max are stored) or a negative ward_err. */
int dhcp_opt_iplist(const dhcp_msg *m, uint8_t code, uint32_t *out, size_t max);
/* NVT ASCII text (RFC 2132 §2): at least one octet; trailing NULs are
 * dropped. *s points into m; not NUL-terminated, not sanitised. */
int dhcp_opt_string(const dhcp_msg *m, uint8_t code, const uint8_t **s,
                    size_t *len);

/* Option 53: the message type (1..255), 0 when absent (BOOTP), or
 * WARD_EDHCPOPT when the option is malformed. */
int dhcp_msg_type(const dhcp_msg *m);
/* Option 55: the requested codes in the client's order. */
int dhcp_opt_prl(const dhcp_msg *m, const uint8_t **codes, size_t *n);
/* Option 61: type octet + identifier, at least 2 octets (RFC 2132 §9.14). */
int dhcp_opt_client_id(const dhcp_msg *m, const uint8_t **id, size_t *len);
/* Option 12 (a string). */
int dhcp_opt_hostname(const dhcp_msg *m, const uint8_t **s, size_t *len);
/* Option 57 as sent (the builder clamps it to >= 576). */
int dhcp_opt_max_size(const dhcp_msg *m, uint16_t *out);
/* Option 80: 1 when present (empty), 0 when absent, WARD_EDHCPOPT when it
 * carries data. */
int dhcp_opt_rapid_commit(const dhcp_msg *m);

static inline int dhcp_opt_requested_ip(const dhcp_msg *m, uint32_t *ip)
{
	return dhcp_opt_ip(m, DHCP_OPT_REQUESTED_ADDR, ip);
}
static inline int dhcp_opt_server_id(const dhcp_msg *m, uint32_t *ip)
{
	return dhcp_opt_ip(m, DHCP_OPT_SERVER_ID, ip);
}
static inline int dhcp_opt_lease_time(const dhcp_msg *m, uint32_t *secs)
{
	return dhcp_opt_u32(m, DHCP_OPT_LEASE_TIME, secs);
}
static inline int dhcp_opt_t1(const dhcp_msg *m, uint32_t *secs)
{
	return dhcp_opt_u32(m, DHCP_OPT_T1, secs);
}
static inline int dhcp_opt_t2(const dhcp_msg *m, uint32_t *secs)
{
	return dhcp_opt_u32(m, DHCP_OPT_T2, secs);
}

/* Option 81, client FQDN (RFC 4702). */
#define DHCP_FQDN_S 0x01 /* server should do the A update */
#define DHCP_FQDN_O 0x02 /* server overrode the client's S */
#define DHCP_FQDN_E 0x04 /* name in DNS wire format */
#define DHCP_FQDN_N 0x08 /* server should do no update */
typedef struct dhcp_fqdn {
	uint8_t flags, rcode1, rcode2;
	bool wire;            /* E set: the name was in DNS wire format */
	bool partial;         /* no root label (wire) / no trailing dot (ASCII) */
	const uint8_t *raw;   /* the name octets as sent (points into the msg) */
	size_t raw_len;
	size_t labels;        /* labels in the name (wire form), 0 for ASCII */
	/* the name as text without a trailing dot; '.', '\\', '"' inside a
	 * label and non-printables as \DDD */
	char text[DHCP_FQDN_TEXT_MAX];
} dhcp_fqdn;
/* 0, WARD_ENOTFOUND, or WARD_EDHCPOPT (shorter than 3 octets, a bad wire
 * name: compression, reserved label type, longer than 255). */
int dhcp_fqdn_decode(const uint8_t *val, size_t len, dhcp_fqdn *out);
int dhcp_opt_fqdn(const dhcp_msg *m, dhcp_fqdn *out);

/* Sub-options (option 82, RFC 3046; also 43 and 125 bodies): one call per
 * sub-option. Returns 1 with *code, *val, *len set, 0 at the end, or
 * WARD_EDHCPOPT when a sub-option runs past the data (sticky). */
typedef struct dhcp_subopt_iter {
	wire_rd rd;
} dhcp_subopt_iter;
static inline dhcp_subopt_iter dhcp_subopt_begin(const uint8_t *val, size_t len)
{
	dhcp_subopt_iter it = { wire_rd_init(val, len) };
	return it;
}
int dhcp_subopt_next(dhcp_subopt_iter *it, uint8_t *code, const uint8_t **val,
                     size_t *len);
#define DHCP_RAI_CIRCUIT_ID 1
#define DHCP_RAI_REMOTE_ID 2
#define DHCP_RAI_LINK_SELECTION 5
#define DHCP_RAI_SUBSCRIBER_ID 6
#define DHCP_RAI_SERVER_OVERRIDE 11
/* The first sub-option `sub` of option 82: 0, WARD_ENOTFOUND (option or
 * sub-option absent), WARD_EDHCPOPT (malformed option 82). */
int dhcp_opt_rai_find(const dhcp_msg *m, uint8_t sub, const uint8_t **val,
                      size_t *len);

/* Option 121, classless static routes (RFC 3442). */
typedef struct dhcp_route {
	uint32_t dest;   /* host order, bits past the prefix are zero */
	uint8_t prefix;  /* 0..32 */
	uint32_t router;
} dhcp_route;
/* Decode val[0..len): returns the number of routes (may exceed max; only
 * max are stored, out may be NULL to count) or WARD_EDHCPOPT (prefix > 32,
 * truncated route, destination bits set past the prefix). */
int dhcp_routes_decode(const uint8_t *val, size_t len, dhcp_route *out,
                       size_t max);
/* Encode n routes into out: returns the length or WARD_EINVAL/WARD_ESPACE. */
int dhcp_routes_encode(const dhcp_route *r, size_t n, uint8_t *out, size_t cap);

/* Option 119, domain search (RFC 3397): DNS names with compression,
 * pointers relative to the start of the (concatenated) option value and
 * strictly backwards. Returns how many names (may exceed max; out may be
 * NULL) or a negative ward_err (WARD_EPTRFWD, WARD_EPTRLOOP, WARD_ETRUNC,
 * WARD_ELABELTYPE, WARD_ENAMELEN, ...). */
int dhcp_search_decode(const uint8_t *val, size_t len, dns_name *out, size_t max);
/* Encode n names with compression: the length or WARD_ESPACE. */
int dhcp_search_encode(const dns_name *names, size_t n, uint8_t *out, size_t cap);

/* ---- building ---- */

#define DHCP_BUILD_MAXOPTS 254
/* Extra room past the maximum message size that lets options destined for
 * 'file' and 'sname' be staged: give the builder limit + this much. */
#define DHCP_BUILD_SLACK (DHCP_SNAME_LEN + DHCP_FILE_LEN)

typedef struct dhcp_staged {
	uint8_t code;
	uint32_t off; /* staged value in buf */
	uint32_t len;
} dhcp_staged;

typedef struct dhcp_builder {
	uint8_t *buf;
	size_t cap;
	size_t limit;      /* largest message (UDP payload) to produce */
	size_t staged;     /* end of the staged option values in buf */
	int err;           /* sticky first error */
	bool sname_used, file_used;
	uint16_t n;
	dhcp_staged opt[DHCP_BUILD_MAXOPTS];
	uint8_t have[32];  /* bitmap of codes added */
} dhcp_builder;

/* Start a message with op (1/2), htype 1, hlen 6, everything else zero and
 * the cookie; the size limit is the RFC 2131 default (576 - 28 octets).
 * WARD_ESPACE when cap < 300, WARD_EINVAL on a bad op. */
int dhcp_build_init(dhcp_builder *b, uint8_t *buf, size_t cap, uint8_t op);
/* Start a reply to req (RFC 2131 §4.3.1 table 3): op 2, htype, hlen, xid,
 * flags, giaddr, chaddr copied, hops/secs/ciaddr/yiaddr/siaddr zero; the
 * size limit comes from req's option 57 when present. */
int dhcp_build_reply(dhcp_builder *b, uint8_t *buf, size_t cap,
                     const dhcp_msg *req);
/* Maximum message size as option 57 counts it (IP datagram): clamped to
 * 576 .. DHCP_MSG_MAX + 28; the message itself is 28 octets less. */
void dhcp_build_set_max_size(dhcp_builder *b, size_t max_size);

void dhcp_build_set_xid(dhcp_builder *b, uint32_t xid);
void dhcp_build_set_secs(dhcp_builder *b, uint16_t secs);
void dhcp_build_set_flags(dhcp_builder *b, uint16_t flags);
void dhcp_build_set_hops(dhcp_builder *b, uint8_t hops);
void dhcp_build_set_ciaddr(dhcp_builder *b, uint32_t ip);
void dhcp_build_set_yiaddr(dhcp_builder *b, uint32_t ip);
void dhcp_build_set_siaddr(dhcp_builder *b, uint32_t ip);
void dhcp_build_set_giaddr(dhcp_builder *b, uint32_t ip);
/* htype + chaddr (hlen <= 16, else WARD_EINVAL). */
int dhcp_build_set_chaddr(dhcp_builder *b, uint8_t htype, const uint8_t *addr,
                          uint8_t hlen);
/* Fill sname (<= 63 octets) / file (<= 127): they then stay out of option
 * overload. WARD_EINVAL when too long. */
int dhcp_build_set_sname(dhcp_builder *b, const char *s, size_t n);
int dhcp_build_set_file(dhcp_builder *b, const char *s, size_t n);

/* Add option `code` (1..254, not 52: overload is the builder's) with value
 * val[0..len); options go out in the order they are added. Each code once.
 * Errors (WARD_EINVAL, WARD_ELIMIT, WARD_ESPACE when buf cannot stage the
 * value) are sticky and returned again by dhcp_build_finish. */
int dhcp_build_opt(dhcp_builder *b, uint8_t code, const void *val, size_t len);
int dhcp_build_opt_u8(dhcp_builder *b, uint8_t code, uint8_t v);
int dhcp_build_opt_u16(dhcp_builder *b, uint8_t code, uint16_t v);
int dhcp_build_opt_u32(dhcp_builder *b, uint8_t code, uint32_t v);
int dhcp_build_opt_ip(dhcp_builder *b, uint8_t code, uint32_t ip);

/* Lay the options out (options field, then file, then sname with option 52
 * when needed; RFC 3396 splitting), END, pad to 300 octets. Returns the
 * message length or a negative ward_err (WARD_ESPACE: does not fit). */
int dhcp_build_finish(dhcp_builder *b);

/* ---- names and printing ---- */

/* How the printers decode an option value. */
enum dhcp_vtype {
	DHCP_VT_HEX = 0, DHCP_VT_IP, DHCP_VT_IPLIST, DHCP_VT_IPPAIRS,
	DHCP_VT_U8, DHCP_VT_U16, DHCP_VT_U32, DHCP_VT_S32, DHCP_VT_TIME,
	DHCP_VT_BOOL, DHCP_VT_STRING, DHCP_VT_U16LIST, DHCP_VT_EMPTY,
	DHCP_VT_MSGTYPE, DHCP_VT_PRL, DHCP_VT_OVERLOAD, DHCP_VT_CLIENTID,
	DHCP_VT_FQDN, DHCP_VT_RAI, DHCP_VT_ROUTES, DHCP_VT_SEARCH,
	DHCP_VT_SIP, DHCP_VT_CLASSES,
};

/* Display name of an option ("router", "parameter-request-list"), NULL
 * when the code has none. */
const char *dhcp_option_name(uint8_t code);
/* The name dnsmasq uses for `code` (`dhcp-option=option:NAME`), NULL when
 * dnsmasq has none. */
const char *dhcp_option_dnsmasq_name(uint8_t code);
/* Name -> code, case-insensitive, dnsmasq names and display names alike
 * ("router" -> 3, "netmask" and "subnet-mask" -> 1); "server-ip-address"
 * -> 255 as in dnsmasq (it sets siaddr, not an option). WARD_ENOTFOUND. */
int dhcp_option_by_name(const char *name);
/* Value type of an option (DHCP_VT_HEX for unknown codes). */
enum dhcp_vtype dhcp_option_vtype(uint8_t code);
/* "DISCOVER", ... or NULL. */
const char *dhcp_msg_type_name(int type);

/* One line, tcpdump -v / dhcpdump style:
 * "DHCP REQUEST xid 0x... from aa:bb:..; options: 53 message-type REQUEST;
 * 50 requested-address 192.168.1.5; ..." Network strings are sanitised.
 * Returns 0 or WARD_ESPACE (the text is cut). */
int dhcp_msg_to_text(const dhcp_msg *m, strbuf *sb);
/* One JSON object. Strings hold the sanitised text (non-printables as
 * \DDD, i.e. "\\DDD" in JSON). Returns 0 or WARD_ESPACE. */
int dhcp_msg_to_json(const dhcp_msg *m, strbuf *sb);
/* One option value as text (as in dhcp_msg_to_text, without code/name). */
void dhcp_opt_value_to_text(uint8_t code, const uint8_t *val, size_t len,
                            strbuf *sb);

#endif
