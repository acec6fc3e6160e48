/* ward: internals of the configuration parser (daemon/conf*.c), not for
 * other modules. */
#ifndef WARD_DAEMON_CONF_INT_H
#define WARD_DAEMON_CONF_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "error.h"
#include "strbuf.h"

#define CONF_CMDLINE "command line"

/* ---- memory: one arena per ward_conf, freed at once ---- */

void *conf_arena_alloc(conf_arena *a, size_t n);      /* zeroed, aligned */
char *conf_arena_strndup(conf_arena *a, const char *s, size_t n);
void *conf_arena_memdup(conf_arena *a, const void *p, size_t n);
conf_arena *conf_arena_new(void);
void conf_arena_free(conf_arena *a);

/* Append one zeroed element to a list: `arrp` is the address of the list's
 * pointer (T **). Returns the new element or NULL (out of memory). */
void *conf_list_push(void *arrp, size_t *n, size_t *cap, size_t elem);
#define CONF_PUSH(l) conf_list_push(&(l).v, &(l).n, &(l).cap, sizeof *(l).v)

/* ---- one option occurrence being parsed ---- */

/* Quote mask bits of a value (conf_ctx.q, conf_field.q). */
#define CONF_Q_CHAR 1   /* the character was between quotes */
#define CONF_Q_MARK 2   /* a quoted part started here */

/* One comma-separated field of a value, cut out in place (NUL-terminated),
 * unquoted blanks at both ends removed. q[i] & CONF_Q_CHAR when s[i] was
 * between quotes. */
typedef struct conf_field {
	char *s;
	const uint8_t *q;
	size_t len;
	bool quoted;             /* some character was between quotes */
} conf_field;

struct conf_optdef;

typedef struct conf_ctx {
	ward_conf *c;
	conf_loc loc;
	const struct conf_optdef *def;
	const char *optname;     /* as written (an alias stays an alias) */
	bool has_value;          /* '=' given (or a value on the command line) */
	char *val;               /* value, quotes removed, NUL-terminated */
	const uint8_t *q;        /* quote mask of val */
	size_t len;
	bool cmdline;
	/* fields after conf_split() */
	conf_field *f;
	size_t nf;
	/* scratch for conf_show() */
	char show[4][1040];
	unsigned show_next;
} conf_ctx;

typedef int (*conf_parse_fn)(conf_ctx *x);

enum {
	CONF_F_ONCE = 1,         /* may be given once (dnsmasq: "illegal
	                          * repeated keyword"); files override the
	                          * command line */
};

typedef struct conf_optdef {
	conf_option_info info;
	unsigned flags;
	conf_parse_fn parse;     /* NULL: not implemented (or ignored) */
	size_t off;              /* flags and TTLs: offset of the field in
	                          * ward_conf */
} conf_optdef;

const conf_optdef *conf_def_find(const char *name, size_t len);
const conf_optdef *conf_def_by_short(char c);
size_t conf_def_index(const conf_optdef *d);
size_t conf_def_count(void);
/* The closest known option name to a typo (edit distance <= 2), or NULL. */
const char *conf_def_suggest(const char *name, size_t len);

/* Split x->val at unquoted commas into x->f[0..nf). An empty value gives
 * no fields. Returns 0 or WARD_ENOMEM. */
int conf_split(conf_ctx *x);

/* ---- diagnostics ---- */

/* "LOC: option 'NAME': message" as an error; returns WARD_ECONFVAL. */
int conf_bad(conf_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "LOC: warning: option 'NAME': message". */
void conf_warn(conf_ctx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "LOC: message" / "LOC: warning: message" without the option part. */
void conf_diag_at(ward_conf *c, const conf_loc *loc, enum conf_severity sev,
                  int code, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* A printable, length-limited copy of s[0..n) for messages (one of four
 * rotating buffers in x). */
const char *conf_show(conf_ctx *x, const char *s, size_t n);
static inline const char *conf_showf(conf_ctx *x, const conf_field *f)
{
	return conf_show(x, f->s, f->len);
}
/* An empty value that dnsmasq accepts as "nothing": a warning. */
int conf_empty_ignored(conf_ctx *x);
/* The not-implemented warning, once per option name. */
void conf_warn_unimplemented_once(conf_ctx *x, const char *what);

/* ---- value parsers shared by the option parsers (conf_util.c) ----
 * Each returns 0 or WARD_ECONFVAL after reporting through conf_bad(), with
 * `what` naming the item in the message ("port", "lease time", ...). */

/* Decimal digits only, lo..hi. */
int conf_parse_uint(conf_ctx *x, const char *s, size_t n, int64_t lo,
                    int64_t hi, const char *what, int64_t *out);
/* True when s is all decimal digits (n > 0). */
bool conf_is_digits(const char *s, size_t n);
/* True when field f starts with the unquoted text p ("tag:", "option:"):
 * a prefix inside quotes is just text. */
bool conf_field_has_prefix(const conf_field *f, const char *p);
/* A TTL in seconds: 0..CONF_TTL_MAX, plain decimal (as dnsmasq). */
int conf_parse_ttl(conf_ctx *x, const char *s, size_t n, const char *what,
                   int64_t *out);
/* Lease time: N, Ns, Nm, Nh, Nd, Nw (one unit, any case) or "infinite".
 * Returns 1 when s has that form (value in *out, not yet clamped to the
 * 2-minute minimum), 0 when it does not look like a lease time at all, or
 * WARD_ECONFVAL when it does but is out of range. */
int conf_parse_lease(conf_ctx *x, const char *s, size_t n, uint32_t *out);
/* Apply dnsmasq's 2-minute minimum (with a warning). */
uint32_t conf_lease_clamp(conf_ctx *x, uint32_t secs);

/* Does s look like an IPv4 address attempt (digits and dots only)? */
bool conf_looks_ipv4(const char *s, size_t n);
/* Dotted quad, 4 parts, each 0..255 (no inet_aton shorthands). */
bool conf_ipv4_from_text(const char *s, size_t n, uint32_t *host_order);
/* IPv4 or IPv6 literal; IPv6 may carry %zone when allow_zone. Returns 0 or
 * WARD_EADDR (nothing reported). */
int conf_ip_from_text(conf_arena *a, const char *s, size_t n, bool allow_zone,
                      conf_ip *out);
/* The same, reported as "'X' is not an IP address" on failure. */
int conf_parse_ip(conf_ctx *x, const char *s, size_t n, bool allow_zone,
                  const char *what, conf_ip *out);
int conf_parse_ipv4(conf_ctx *x, const char *s, size_t n, const char *what,
                    uint32_t *out);
/* ADDR[/PREFIX]; without /PREFIX *prefix is the full length. Bits past
 * the prefix are allowed (dnsmasq allows them) unless strict. */
int conf_parse_cidr(conf_ctx *x, const char *s, size_t n, bool need_prefix,
                    conf_ip *ip, uint8_t *prefix);
/* A netmask (contiguous ones): prefix length or -1. */
int conf_mask_prefix(uint32_t mask);
/* A port 0..65535 (lo..65535). */
int conf_parse_port(conf_ctx *x, const char *s, size_t n, int64_t lo,
                    uint16_t *out);
/* A domain name ("example.com", "example.com.", "." for the root) into
 * the arena. */
int conf_parse_name(conf_ctx *x, const char *s, size_t n, const char *what,
                    conf_name *out);
/* A host name for DHCP (letters, digits, '-', '_', labels not starting
 * with '-'), possibly with a domain. */
int conf_parse_hostname(conf_ctx *x, const char *s, size_t n,
                        const char **out);
/* An interface name (1..15 octets, no blanks or '/'), '*' wildcard at the
 * end allowed when wildcard. */
int conf_parse_iface(conf_ctx *x, const char *s, size_t n, bool wildcard,
                     const char **out);
/* A hardware address pattern: [TT-]HH:HH:..., '*' for any byte when
 * wildcards. Returns 1 parsed, 0 not a MAC at all (no ':'), or
 * WARD_ECONFVAL. */
int conf_parse_hwaddr(conf_ctx *x, const char *s, size_t n, bool wildcards,
                      conf_hwaddr *out);
/* Colon-separated hex bytes "01:02:0a" (each 1-2 digits; also without
 * colons "01020a" when even). Returns length >= 0 or -1 when not hex.
 * wild (may be NULL) gets 1 for '*' bytes; wildcards allowed when wild. */
int conf_hex_bytes(const char *s, size_t n, uint8_t *out, size_t cap,
                   uint8_t *wild);
/* tag:NAME / tag:!NAME / tag:#NAME / net:NAME. Returns 1 parsed into *t,
 * 0 when the field is not a tag match. */
int conf_parse_tag_match(conf_ctx *x, const conf_field *f, bool wildcard,
                         conf_tag *t);
/* set:NAME (or net:NAME when net_is_set). Returns 1, 0 or error. */
int conf_parse_tag_set(conf_ctx *x, const conf_field *f, bool net_is_set,
                       const char **name);
/* Tag names: letters, digits, '-', '_', '.' (and '*' at the end when
 * wildcard). */
int conf_check_tag_name(conf_ctx *x, const char *s, size_t n, bool wildcard);
/* Store a list of tags in the arena. */
int conf_tags_store(conf_ctx *x, const conf_tag *t, size_t n, conf_tags *out);

/* File names: absolute or relative (to the working directory). */
int conf_parse_path(conf_ctx *x, bool allow_empty, const char **out);

/* ---- reading (conf_read.c) ---- */

/* once-only options: where the value came from */
struct conf_seen {
	bool set;
	bool cmdline;
	conf_loc loc;
};

/* the include stack, and the files read so far */
struct conf_frame {
	const char *name;
	uint64_t id[2];
};

/* --conf-file/--conf-dir waiting for the other arguments */
struct conf_pending {
	const struct conf_optdef *def;
	const char *optname;
	char *val;
	unsigned argi;
};

struct conf_readfile {
	const char *name;
	uint64_t id[2];
};

/* The parser's state behind ward_conf.st. */
struct conf_state {
	struct conf_seen *seen;          /* per table entry */
	uint8_t *warned;            /* per table entry: not-implemented said */
	struct conf_frame stack[CONF_INCLUDE_MAX_DEPTH + 2];
	unsigned depth;
	CONF_LIST(struct conf_readfile) done;
	CONF_LIST(const char *) onces;  /* other warnings given once */
	bool defer;                 /* argv: conf-file/conf-dir wait */
	unsigned suggestions;       /* "did you mean" searches made */
	const char *unimpl;         /* the next diagnostic is "not
	                             * implemented": what */
	CONF_LIST(struct conf_pending) pending;
};

/* One physical line p[0..n) into out/q (room for n + 2 each, q zeroed):
 * quotes removed and escapes applied, q marks quoted characters
 * (CONF_Q_CHAR) and where quoted parts start (CONF_Q_MARK); with comments,
 * '#' at the start or after a blank ends the line. Returns the length or
 * -1 for an unterminated quote. */
long conf_lex(const char *p, size_t n, bool comments, char *out, uint8_t *q);
/* Run one option occurrence: x has c, loc, has_value, val, q, len,
 * cmdline. Looks the name up, checks the value's presence, warns about
 * unimplemented options once, enforces once-only options, parses. */
int conf_dispatch(conf_ctx *x, const char *name, size_t nlen);

int conf_include_file(conf_ctx *x, const char *path);
int conf_include_dir(conf_ctx *x);

/* ---- the option parsers ---- */
/* conf_dns.c, conf_records.c, conf_settings.c */
int conf_opt_port(conf_ctx *x);
int conf_opt_listen_address(conf_ctx *x);
int conf_opt_interface(conf_ctx *x);
int conf_opt_except_interface(conf_ctx *x);
int conf_opt_no_dhcp_interface(conf_ctx *x);
int conf_opt_flag(conf_ctx *x);
int conf_opt_server(conf_ctx *x);
int conf_opt_local(conf_ctx *x);
int conf_opt_rev_server(conf_ctx *x);
int conf_opt_resolv_file(conf_ctx *x);
int conf_opt_root_hints(conf_ctx *x);
/* conf_dashboard.c: dashboard-address=, dashboard-password=,
 * dashboard-tls-cert=, dashboard-tls-key=; the checks across them at
 * conf_finish; their lines in conf_dump */
int conf_opt_dashboard_address(conf_ctx *x);
int conf_opt_dashboard_password(conf_ctx *x);
int conf_opt_dashboard_tls_cert(conf_ctx *x);
int conf_opt_dashboard_tls_key(conf_ctx *x);
int conf_opt_dashboard_blocklist(conf_ctx *x);
void conf_dashboard_finish(ward_conf *c);
void conf_dashboard_dump(const ward_conf *c, strbuf *sb);
int conf_opt_trust_anchor_file(conf_ctx *x);
int conf_opt_dnssec_nta(conf_ctx *x);
int conf_opt_filter_rr(conf_ctx *x);
int conf_opt_bogus_nxdomain(conf_ctx *x);
int conf_opt_filter_a(conf_ctx *x);
int conf_opt_filter_aaaa(conf_ctx *x);
int conf_opt_nsec3_max_iterations(conf_ctx *x);
int conf_opt_dnssec_timestamp(conf_ctx *x);
int conf_opt_tls_port(conf_ctx *x);
int conf_opt_https_port(conf_ctx *x);
int conf_opt_tls_certificate(conf_ctx *x);
int conf_opt_tls_key(conf_ctx *x);
int conf_opt_addn_hosts(conf_ctx *x);
/* conf_blocklist.c (ward's blocklist options) */
int conf_opt_blocklist(conf_ctx *x);
int conf_opt_allowlist(conf_ctx *x);
int conf_opt_blocklist_mode(conf_ctx *x);
int conf_opt_blocklist_refresh(conf_ctx *x);
int conf_opt_blocklist_ttl(conf_ctx *x);
int conf_opt_domain(conf_ctx *x);
int conf_opt_address(conf_ctx *x);
int conf_opt_host_record(conf_ctx *x);
int conf_opt_cname(conf_ctx *x);
int conf_opt_txt_record(conf_ctx *x);
int conf_opt_srv_host(conf_ctx *x);
int conf_opt_mx_host(conf_ctx *x);
int conf_opt_ptr_record(conf_ctx *x);
int conf_opt_ttl(conf_ctx *x);
int conf_opt_cache_size(conf_ctx *x);
int conf_opt_edns_packet_max(conf_ctx *x);
int conf_opt_log_queries(conf_ctx *x);
int conf_opt_log_facility(conf_ctx *x);
int conf_opt_pid_file(conf_ctx *x);
int conf_opt_control_socket(conf_ctx *x);
int conf_opt_user(conf_ctx *x);
int conf_opt_group(conf_ctx *x);
int conf_opt_trust_anchor(conf_ctx *x);
int conf_opt_dnssec_check_unsigned(conf_ctx *x);
int conf_opt_conf_file(conf_ctx *x);
int conf_opt_conf_dir(conf_ctx *x);
/* "/d1/d2/rest" -> domains and rest (conf_dns.c) */
int conf_split_domains(conf_ctx *x, const conf_domain **doms, size_t *nd,
                       const char **rest, size_t *rlen);
/* conf_tls_upstream.c */
int conf_opt_server_tls(conf_ctx *x);
int conf_opt_tls_upstream_ca(conf_ctx *x);
/* conf_dhcp.c */
int conf_opt_dhcp_range(conf_ctx *x);
int conf_opt_dhcp_host(conf_ctx *x);
int conf_opt_dhcp_leasefile(conf_ctx *x);
int conf_opt_dhcp_lease_max(conf_ctx *x);
int conf_opt_dhcp_ignore(conf_ctx *x);
int conf_opt_dhcp_broadcast(conf_ctx *x);
int conf_opt_dhcp_vendorclass(conf_ctx *x);
int conf_opt_dhcp_userclass(conf_ctx *x);
int conf_opt_dhcp_mac(conf_ctx *x);
int conf_opt_dhcp_match(conf_ctx *x);
int conf_opt_tag_if(conf_ctx *x);
int conf_opt_dhcp_script(conf_ctx *x);
/* conf_dhcpopt.c */
int conf_opt_dhcp_option(conf_ctx *x);
/* Encode the value fields f[0..n) for option `code` (typed by codec/dhcp.h
 * when `typed`, dnsmasq's generic rules otherwise) into out. Returns the
 * length or WARD_ECONFVAL (reported). */
int conf_dhcpopt_encode(conf_ctx *x, unsigned code, bool typed,
                        const conf_field *f, size_t n, uint8_t *out,
                        size_t cap);
/* Option name (option:NAME) or number -> code; reported on failure. */
int conf_dhcpopt_code(conf_ctx *x, const conf_field *f, unsigned *code);

/* ---- dump helpers (conf_dump.c) ---- */
void conf_dump_name(strbuf *sb, const conf_name *n);
void conf_dump_ip(strbuf *sb, const conf_ip *ip);
void conf_dump_ipv4(strbuf *sb, uint32_t ip);
/* text, in quotes with escapes when it has a character the lexer would
 * treat specially (',', '#', '"', blanks at the ends, controls). */
void conf_dump_text(strbuf *sb, const char *s, size_t n);

#endif
