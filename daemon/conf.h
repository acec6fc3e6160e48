/* ward: the dnsmasq-syntax configuration of wardd (docs/configuration.md).
 *
 * One table knows every option name dnsmasq has (daemon/conf_table.c); the
 * same table parses configuration files (`option` / `option=value` lines),
 * `conf-file=`/`conf-dir=` includes and command-line `--option[=value]`
 * arguments into a typed `ward_conf`. Options ward implements are parsed
 * and validated into the struct; options dnsmasq has and ward does not yet
 * get one warning per option name; names dnsmasq does not know are errors.
 *
 * Messages ("diagnostics") are exactly what wardd prints:
 *   file:line: unknown option 'X'
 *   file:line: option 'X': <what is wrong with the value>
 *   file:line: warning: option 'X' is not implemented by ward yet; ignored
 * Command-line arguments say "command line" instead of "file:line".
 *
 * Parsing goes on after an error, so every bad line of a file is reported;
 * a configuration with errors must not be used (wardd exits with status 2).
 *
 * File access goes through a conf_io (default: the real file system) so the
 * parser runs without I/O under tests and the fuzzer (sans-I/O). */
#ifndef WARD_DAEMON_CONF_H
#define WARD_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "name.h"

/* ---- limits (named constants, DESIGN.md) ---- */
#define CONF_INCLUDE_MAX_DEPTH 16          /* nested conf-file / conf-dir */
#define CONF_FILE_MAX_BYTES (256u << 20)   /* one configuration file */
#define CONF_LINE_MAX 65536                /* one line, in bytes */
#define CONF_DIAG_MAX 1000                 /* diagnostics kept (all counted) */
#define CONF_DIAG_TEXT_MAX 1024            /* one diagnostic line */

/* ---- dnsmasq defaults ---- */
#define CONF_DEFAULT_PORT 53
#define CONF_DEFAULT_CACHE_SIZE 150
#define CONF_DEFAULT_EDNS_PACKET_MAX 1232
#define CONF_DEFAULT_LEASE_MAX 1000
#define CONF_DEFAULT_LEASE_TIME 3600       /* dhcp-range without lease time */
#define CONF_LEASE_MIN 120                 /* dnsmasq raises shorter leases */
#define CONF_LEASE_INFINITE UINT32_MAX     /* "infinite" */
#define CONF_MIN_CACHE_TTL_MAX 3600        /* dnsmasq's cap on min-cache-ttl */
#define CONF_TTL_MAX INT32_MAX             /* RFC 2181 §8 */
#define CONF_UNSET (-1)                    /* an optional number not given */
#define CONF_CONTROL_SOCKET_MAX 107        /* sun_path without its NUL */
#define CONF_DEFAULT_BLOCKLIST_REFRESH 86400 /* ward: blocklist URLs fetched daily */

/* Where an item was configured: file and line, or the command line
 * (file "command line", line = argument index). `file` lives as long as
 * the ward_conf. */
typedef struct conf_loc {
	const char *file;
	unsigned line;
} conf_loc;

/* An IPv4 or IPv6 address. */
typedef struct conf_ip {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* network order; IPv4 in addr[0..4) */
	const char *zone;    /* IPv6 "%zone" (interface) or NULL */
} conf_ip;

/* An address prefix, ADDR[/LEN]. */
typedef struct conf_cidr {
	conf_ip ip;
	uint8_t prefix;
} conf_cidr;

/* A DNS name in uncompressed wire form (absolute), stored compactly;
 * conf_name_get() copies it into a dns_name. */
typedef struct conf_name {
	const uint8_t *wire;
	uint16_t len;
} conf_name;

/* How a /domain/ of server=, local=, address= matches (dnsmasq rules). */
enum conf_match {
	CONF_MATCH_DOMAIN = 0,   /* /example.com/ (or /.example.com/): the name
	                          * and every name below it */
	CONF_MATCH_BELOW,        /* /\*.example.com/: names below, not the name */
	CONF_MATCH_SUFFIX,       /* /\*example.com/: any name whose text ends
	                          * with "example.com" (supexample.com too) */
	CONF_MATCH_UNQUALIFIED,  /* //: names without a dot */
	CONF_MATCH_ANY,          /* /#/: every name (address= and server=) */
};

typedef struct conf_domain {
	enum conf_match match;
	conf_name name;          /* empty (len 0) for UNQUALIFIED and ANY */
} conf_domain;

/* ---- DNS ---- */

enum conf_server_kind {
	CONF_SERVER_FORWARD = 0, /* send queries to addr#port (or host) */
	CONF_SERVER_LOCAL,       /* /domain/ without server: answer from local
	                          * data only, never forward */
	CONF_SERVER_DEFAULT,     /* /domain/#: use the standard servers */
};

/* Which option produced a conf_server (for dump and messages). */
enum conf_server_origin {
	CONF_FROM_SERVER = 0, CONF_FROM_LOCAL, CONF_FROM_REV_SERVER,
	CONF_FROM_SERVER_TLS,    /* ward's server-tls= (docs/encrypted-dns-upstream.md) */
};

typedef struct conf_server {
	conf_loc loc;
	enum conf_server_kind kind;
	enum conf_server_origin origin;
	const conf_domain *domains;  /* empty: all names (a default upstream) */
	size_t ndomains;
	/* FORWARD: */
	bool has_addr;
	conf_ip addr;                /* when has_addr */
	const char *host;            /* server given by host name (resolved by
	                              * the daemon at startup), else NULL */
	uint16_t port;               /* default 53 */
	const char *source_iface;    /* @eth0, NULL if none */
	bool has_source;
	conf_ip source;              /* @192.0.2.1 */
	uint16_t source_port;        /* @192.0.2.1#port, 0 if none */
	/* server-tls=: queries go over DNS-over-TLS (RFC 7858), never in
	 * plain text; the certificate must name tls_name (a host name, no
	 * trailing dot), or the address itself when tls_name is NULL */
	bool tls;
	const char *tls_name;
	/* rev-server=: the network it was written as */
	conf_ip rev_net;
	uint8_t rev_prefix;
} conf_server;

enum conf_address_kind {
	CONF_ADDRESS_IP = 0,    /* address=/d/192.0.2.1 or ::1 */
	CONF_ADDRESS_NULL,      /* address=/d/#: 0.0.0.0 and :: */
	CONF_ADDRESS_NXDOMAIN,  /* address=/d/: NXDOMAIN (same as server=/d/) */
};

typedef struct conf_address {
	conf_loc loc;
	enum conf_address_kind kind;
	const conf_domain *domains;
	size_t ndomains;
	conf_ip ip;              /* CONF_ADDRESS_IP */
} conf_address;

typedef struct conf_host_record {
	conf_loc loc;
	const conf_name *names;
	size_t nnames;
	bool has_v4, has_v6;
	conf_ip v4, v6;
	int64_t ttl;             /* seconds or CONF_UNSET (local-ttl) */
} conf_host_record;

typedef struct conf_cname {
	conf_loc loc;
	const conf_name *aliases;
	size_t naliases;
	conf_name target;
	int64_t ttl;             /* or CONF_UNSET */
} conf_cname;

typedef struct conf_txt {
	conf_loc loc;
	conf_name name;
	const uint8_t *rdata;    /* TXT rdata: <len><bytes>... (strings longer
	                          * than 255 octets split into 255 chunks) */
	uint16_t rdlen;
	uint16_t nstrings;       /* strings as written (before splitting) */
} conf_txt;

typedef struct conf_srv {
	conf_loc loc;
	conf_name name;          /* _service._proto.domain */
	bool relative;           /* written without a domain ("_ldap._tcp"):
	                          * name holds just those labels and the daemon
	                          * appends the domain= suffix */
	bool has_target;         /* no target: "service not available" */
	conf_name target;
	uint16_t port;           /* default 1 (dnsmasq) */
	uint16_t priority, weight;
} conf_srv;

typedef struct conf_mx {
	conf_loc loc;
	conf_name name;
	bool has_target;         /* else mx-target= or the host's own name */
	conf_name target;
	uint16_t preference;     /* default 1 */
} conf_mx;

typedef struct conf_ptr {
	conf_loc loc;
	conf_name name;
	bool has_target;         /* no target: dnsmasq answers with no data */
	conf_name target;
} conf_ptr;

enum conf_domain_scope {
	CONF_DOMAIN_ALL = 0,     /* domain=example.com */
	CONF_DOMAIN_RANGE,       /* ,192.0.2.10,192.0.2.20 */
	CONF_DOMAIN_ADDR,        /* ,192.0.2.10 (one address) */
	CONF_DOMAIN_SUBNET,      /* ,192.0.2.0/24 */
	CONF_DOMAIN_IFACE,       /* ,eth0 */
};

typedef struct conf_domain_rule {
	conf_loc loc;
	bool from_resolv;        /* domain=#: the first "search" of resolv.conf */
	conf_name name;
	enum conf_domain_scope scope;
	conf_ip start, end;      /* RANGE (start..end), ADDR and SUBNET (start) */
	uint8_t prefix;          /* SUBNET */
	const char *iface;       /* IFACE */
	bool local;              /* ,local: also local=/domain/ and its reverse
	                          * zones */
} conf_domain_rule;

/* trust-anchor=: a DS record (dnsmasq takes no DNSKEY form). */
typedef struct conf_trust_anchor {
	conf_loc loc;
	conf_name name;
	uint16_t rclass;         /* IN */
	uint16_t key_tag;
	uint8_t algorithm;
	uint8_t digest_type;
	const uint8_t *digest;
	uint16_t digest_len;
} conf_trust_anchor;

/* A string with where it was configured (interfaces, files, ...). */
typedef struct conf_str {
	conf_loc loc;
	const char *s;
} conf_str;

typedef struct conf_listen {
	conf_loc loc;
	conf_ip ip;
} conf_listen;

/* ---- DHCP ---- */

/* tag:NAME or tag:!NAME (also net:NAME, tag:#NAME); a trailing '*' is a
 * wildcard (tag-if). */
typedef struct conf_tag {
	const char *name;
	bool negate;
} conf_tag;

typedef struct conf_tags {
	const conf_tag *v;
	size_t n;
} conf_tags;

enum conf_range_mode {
	CONF_RANGE_DYNAMIC = 0,  /* start..end given out dynamically */
	CONF_RANGE_STATIC,       /* "static": only dhcp-host addresses */
	CONF_RANGE_PROXY,        /* "proxy": proxy-DHCP (PXE) on the subnet */
};

/* Addresses in host byte order, as codec/dhcp.h has them. */
typedef struct conf_dhcp_range {
	conf_loc loc;
	conf_tags match;         /* tag: (all must be set) */
	const char *set_tag;     /* set: (or a bare legacy tag), NULL if none */
	enum conf_range_mode mode;
	uint32_t start, end;     /* end == start for static/proxy */
	uint32_t netmask;        /* 0: from the interface */
	uint32_t broadcast;      /* 0: default */
	uint32_t lease;          /* seconds, CONF_LEASE_INFINITE */
	bool has_lease;          /* else CONF_DEFAULT_LEASE_TIME */
} conf_dhcp_range;

/* A hardware address pattern: bytes with '*' wildcards, optional ARP type. */
typedef struct conf_hwaddr {
	uint8_t addr[16];
	uint16_t wildcard;       /* bit i set: byte i is '*' */
	uint8_t len;
	int16_t htype;           /* ARP hardware type, -1: any */
} conf_hwaddr;

typedef struct conf_dhcp_host {
	conf_loc loc;
	const conf_hwaddr *hwaddrs;
	size_t nhwaddrs;
	bool has_client_id;      /* id:01:02:.. (bytes) or id:text */
	const uint8_t *client_id;
	uint16_t client_id_len;
	bool ignore_client_id;   /* id:* */
	conf_tags match;         /* tag: */
	const char *const *set_tags;  /* set: (several allowed here) */
	size_t nset_tags;
	bool has_ip;
	uint32_t ip;
	const char *hostname;    /* NULL if none */
	bool has_lease;
	uint32_t lease;
	bool ignore;             /* "ignore" */
	bool has_ipv6;           /* [IPv6] parts were given (DHCPv6: ignored) */
} conf_dhcp_host;

enum conf_dhcpopt_kind {
	CONF_DHCPOPT_PLAIN = 0,
	CONF_DHCPOPT_ENCAP,      /* encap:N: a sub-option of option N */
	CONF_DHCPOPT_VI_ENCAP,   /* vi-encap:E: RFC 3925, enterprise E */
	CONF_DHCPOPT_VENDOR,     /* vendor:CLASS: option 43 for that class */
};

typedef struct conf_dhcp_option {
	conf_loc loc;
	conf_tags match;
	bool force;              /* dhcp-option-force */
	enum conf_dhcpopt_kind kind;
	uint32_t encap;          /* ENCAP: option code; VI_ENCAP: enterprise */
	const char *vendor;      /* VENDOR: class substring ("" = any) */
	uint16_t code;           /* 1..254; 255 = server-ip-address (siaddr) */
	const uint8_t *value;    /* encoded option value (network order) */
	uint16_t len;            /* 0: send the option empty, or for options
	                          * with defaults (router, dns-server, ...):
	                          * do not send it */
} conf_dhcp_option;

enum conf_match_kind {
	CONF_DHCPMATCH_PRESENT = 0, /* the option is in the request */
	CONF_DHCPMATCH_PREFIX,      /* 01:ff:*:02: bytes (with wildcards) match
	                             * the start of the value */
	CONF_DHCPMATCH_ELEMENT,     /* a typed value: one element of the
	                             * option's array equals it */
	CONF_DHCPMATCH_SUBSTRING,   /* a string: substring of the value */
};

typedef struct conf_dhcp_match {
	conf_loc loc;
	const char *set_tag;
	bool vi_encap;           /* vi-encap:E: match a vendor-identifying class */
	uint32_t code;           /* option code, or the enterprise number */
	enum conf_match_kind kind;
	const uint8_t *value;
	uint16_t len;
	uint16_t elem_size;      /* ELEMENT: size of one array element */
	const uint8_t *wildcard; /* PREFIX: 1 where the byte is '*', or NULL */
} conf_dhcp_match;

/* dhcp-vendorclass=, dhcp-userclass= */
typedef struct conf_dhcp_class {
	conf_loc loc;
	const char *set_tag;
	uint32_t enterprise;     /* vendorclass enterprise: (DHCPv6), 0 none */
	const uint8_t *data;     /* substring to look for */
	uint16_t len;
} conf_dhcp_class;

typedef struct conf_dhcp_mac {
	conf_loc loc;
	const char *set_tag;
	conf_hwaddr hw;
} conf_dhcp_mac;

typedef struct conf_tag_if {
	conf_loc loc;
	conf_tags set;           /* names to set (negate is always false) */
	conf_tags match;         /* all must hold; none: unconditional */
} conf_tag_if;

/* dhcp-ignore=, dhcp-broadcast= */
typedef struct conf_tagged {
	conf_loc loc;
	conf_tags match;         /* empty: unconditional */
} conf_tagged;

/* A growable list in ward_conf: v[0..n). */
#define CONF_LIST(T) struct { T *v; size_t n, cap; }

enum conf_log_queries {
	CONF_LOG_QUERIES_OFF = 0, CONF_LOG_QUERIES_ON, CONF_LOG_QUERIES_EXTRA,
	CONF_LOG_QUERIES_PROTO,
};

/* ---- diagnostics ---- */

enum conf_severity { CONF_WARNING = 1, CONF_ERROR = 2 };

typedef struct conf_diag {
	enum conf_severity severity;
	int code;                /* ward_err: WARD_ECONFOPT, WARD_ECONFVAL, ...;
	                          * 0 for warnings */
	const char *file;        /* "command line" for arguments */
	unsigned line;           /* 0 for the command line */
	const char *option;      /* option name, or NULL */
	const char *unimplemented; /* "... is not implemented by ward yet":
	                            * the option name, or "option: feature"
	                            * for a part of one (DHCPv6); else NULL */
	const char *text;        /* the whole message as printed */
} conf_diag;

/* Called for each diagnostic as it happens (wardd/ward print them). */
typedef void (*conf_diag_fn)(void *ctx, const conf_diag *d);

/* ---- file access ---- */

/* read_file: the whole file into a malloc()ed buffer (*text, *len); "-"
 * is standard input. *id gets an identity for loop detection (device and
 * inode; 0 when unknown). Returns 0, or a negative ward_err with errno-like
 * detail in *why (a static string). list_dir: the names of the regular
 * files in a directory, malloc()ed array of malloc()ed strings (in any
 * order). */
typedef struct conf_io {
	int (*read_file)(void *ctx, const char *path, char **text, size_t *len,
	                 uint64_t id[2], const char **why);
	int (*list_dir)(void *ctx, const char *path, char ***names, size_t *n,
	                const char **why);
	void *ctx;
} conf_io;

/* The real file system. */
extern const conf_io conf_io_posix;

/* ---- the configuration ---- */

typedef struct conf_arena conf_arena;
struct conf_state;

typedef struct ward_conf {
	/* DNS */
	int32_t port;                       /* 0: DNS off */
	CONF_LIST(conf_listen) listen_addresses;
	CONF_LIST(conf_str) interfaces;     /* may end in '*' */
	CONF_LIST(conf_str) except_interfaces;
	CONF_LIST(conf_str) no_dhcp_interfaces;
	bool bind_interfaces, bind_dynamic;
	CONF_LIST(conf_server) servers;     /* server=, local=, rev-server= */
	CONF_LIST(conf_str) resolv_files;   /* an entry with s "" : none */
	bool no_resolv, strict_order, all_servers, no_poll;
	bool recursive;                     /* ward: iterate from the root */
	bool resolve_any;                   /* ward: ANY resolved, not RFC
	                                     * 8482's minimal HINFO answer */
	/* filter-A, filter-AAAA, filter-rr=TYPE[,TYPE]: types removed from
	 * the answer section of forwarded and cached answers; filter-rr=ANY:
	 * answers to ANY keep only A, AAAA, MX and CNAME (RFC 8482 §4.3) */
	CONF_LIST(uint16_t) filter_rr;
	bool filter_rr_any;
	/* bogus-nxdomain=IP[/LEN]: answers with such an address -> NXDOMAIN */
	CONF_LIST(conf_cidr) bogus_nxdomain;
	const char *root_hints;             /* ward: root hints file, or NULL */
	bool no_hosts, expand_hosts;
	CONF_LIST(conf_str) addn_hosts;     /* files or directories */
	CONF_LIST(conf_domain_rule) domains;
	CONF_LIST(conf_address) addresses;
	CONF_LIST(conf_host_record) host_records;
	CONF_LIST(conf_cname) cnames;
	CONF_LIST(conf_txt) txt_records;
	CONF_LIST(conf_srv) srv_records;
	CONF_LIST(conf_mx) mx_records;
	CONF_LIST(conf_ptr) ptr_records;
	bool domain_needed, bogus_priv;
	int64_t local_ttl;                  /* default 0 */
	int64_t neg_ttl, max_ttl, min_cache_ttl, max_cache_ttl; /* CONF_UNSET */
	int64_t cache_size;                 /* names; default 150 */
	int64_t edns_packet_max;            /* default 1232 */
	bool no_negcache;
	enum conf_log_queries log_queries;
	const char *log_facility;           /* NULL: DAEMON; "-": stderr;
	                                     * with '/': a file */
	bool keep_in_foreground, no_daemon;
	const char *pid_file;               /* NULL: default; "": none */
	const char *control_socket;         /* ward: control-socket=PATH (ward
	                                     * ctl); NULL: default; "": none */
	const char *user, *group;           /* NULL: default; "": do not change */
	bool dnssec;
	CONF_LIST(conf_trust_anchor) trust_anchors;
	bool dnssec_check_unsigned;         /* default true ("=no" clears) */
	bool dnssec_no_timecheck;           /* signature times not checked */
	const char *trust_anchor_file;      /* ward: DS/DNSKEY lines (zone-file
	                                     * syntax, Unbound trust-anchor-file) */
	bool proxy_dnssec;                  /* forwarding: upstream AD passed
	                                     * through, nothing validated */
	CONF_LIST(conf_name) dnssec_ntas;   /* ward: dnssec-nta=/domain/ */
	unsigned nsec3_max_iterations;      /* ward: 0 = the engine default */
	bool aggressive_nsec;               /* ward: RFC 8198 (Unbound's
	                                     * aggressive-nsec) */
	const char *dnssec_timestamp;       /* dnsmasq: times unchecked until
	                                     * the clock passes its mtime */
	const char *tls_upstream_ca;        /* ward: PEM CA file trusted for
	                                     * server-tls= instead of the
	                                     * system store, or NULL */
	bool conf_file_given;               /* --conf-file seen: the daemon does
	                                     * not read /etc/dnsmasq.conf */
	/* ward: encrypted DNS towards clients (docs/encrypted-dns.md) */
	int32_t tls_port;                   /* DNS over TLS (RFC 7858); 0: off */
	int32_t https_port;                 /* DNS over HTTPS (RFC 8484); 0: off */
	conf_loc tls_port_loc, https_port_loc;
	conf_str tls_certificate;           /* PEM chain; s NULL: not given */
	conf_str tls_key;                   /* PEM private key; s NULL: not given */

	/* ward: web dashboard and /metrics (docs/dashboard.md) */
	bool dashboard;                     /* dashboard-address= given */
	conf_ip dashboard_ip;
	uint16_t dashboard_port;
	conf_loc dashboard_loc;             /* where dashboard-address= was */
	const char *dashboard_password;     /* NULL: none */
	conf_loc dashboard_password_loc;
	const char *dashboard_tls_cert;     /* PEM files, or NULL */
	const char *dashboard_tls_key;
	conf_loc dashboard_tls_loc;
	const char *dashboard_blocklist;    /* hand-added names; NULL: default */
	/* ward: blocklists (docs/blocklists.md); s is a file name or an
	 * http:// / https:// URL */
	CONF_LIST(conf_str) blocklists;
	CONF_LIST(conf_str) allowlists;
	bool blocklist_nxdomain;            /* blocklist-mode=nxdomain (else null) */
	int64_t blocklist_refresh;          /* seconds between fetches of URLs */
	int64_t blocklist_ttl;              /* CONF_UNSET: the engine's default */

	/* DHCP */
	CONF_LIST(conf_dhcp_range) dhcp_ranges;
	CONF_LIST(conf_dhcp_host) dhcp_hosts;
	CONF_LIST(conf_dhcp_option) dhcp_options;
	bool dhcp_authoritative, dhcp_rapid_commit;
	const char *dhcp_leasefile;         /* NULL: default; "": none */
	int64_t dhcp_lease_max;             /* default 1000 */
	CONF_LIST(conf_tagged) dhcp_ignore;
	CONF_LIST(conf_tagged) dhcp_broadcast;
	CONF_LIST(conf_dhcp_class) dhcp_vendorclasses;
	CONF_LIST(conf_dhcp_class) dhcp_userclasses;
	CONF_LIST(conf_dhcp_mac) dhcp_macs;
	CONF_LIST(conf_dhcp_match) dhcp_matches;
	CONF_LIST(conf_tag_if) tag_ifs;
	const char *dhcp_script;            /* NULL: none */

	/* diagnostics */
	unsigned errors, warnings;
	CONF_LIST(conf_diag) diags;         /* the first CONF_DIAG_MAX */
	conf_diag_fn diag_fn;
	void *diag_ctx;

	/* private */
	conf_io io;
	conf_arena *arena;
	struct conf_state *st;
} ward_conf;

/* Set defaults; io NULL means conf_io_posix. Returns 0 or WARD_ENOMEM. */
int conf_init(ward_conf *c, const conf_io *io);
/* Release everything (safe on a zeroed or freed conf). */
void conf_free(ward_conf *c);
/* Call fn for every later diagnostic. */
void conf_set_diag_fn(ward_conf *c, conf_diag_fn fn, void *ctx);

/* Read a configuration file (and what it includes). Returns 0 when this
 * file added no errors, WARD_ECONF when it did, WARD_ENOMEM. A file that
 * cannot be read is an error diagnostic. */
int conf_load_file(ward_conf *c, const char *path);
/* The same for text in memory; `name` is used in messages and as the
 * file's identity (includes in it still go through c->io). */
int conf_load_buffer(ward_conf *c, const char *name, const char *text,
                     size_t len);
/* One command-line argument "--option[=value]" (dnsmasq's long options).
 * Returns 0, WARD_ECONF (reported) or WARD_ENOMEM. */
int conf_apply_arg(ward_conf *c, const char *arg);
/* A whole command line (argv[0] skipped): long options "--opt=value",
 * "--opt value" for options that need a value, dnsmasq's short options
 * ("-p 53", "-p53", "-d"). `--conf-file`s are read after all other
 * arguments, as dnsmasq does. Returns 0, WARD_ECONF or WARD_ENOMEM. */
int conf_apply_argv(ward_conf *c, int argc, char **argv);
/* Checks between options once everything is read (dhcp-fqdn needs a
 * domain, ...). Returns 0 or WARD_ECONF. */
int conf_finish(ward_conf *c);

/* Is the configuration usable (no errors)? */
static inline bool conf_ok(const ward_conf *c) { return c->errors == 0; }

/* Copy a stored name into a dns_name. */
void conf_name_get(const conf_name *n, dns_name *out);

/* The configuration in dnsmasq syntax, normalised: one option per line,
 * the scalar options first, then lists in the order given. Parsing the text
 * again gives the same configuration. Returns 0 or WARD_ESPACE. */
int conf_dump(const ward_conf *c, strbuf *sb);

/* A configuration check's report (conf_check.c): the not-implemented
 * option names in the order first seen (at most max; returns how many),
 * and the summary line `ward conf check` prints after the diagnostics
 * ("ward conf: N errors, M warnings[; not implemented...]; OK|usable"),
 * newline included. */
#define CONF_CHECK_NAMES_MAX 256
size_t conf_unimplemented(const ward_conf *c, const char **names, size_t max);
void conf_check_summary(const ward_conf *c, strbuf *sb);

/* ---- the option table ---- */

enum conf_arg { CONF_ARG_NONE = 0, CONF_ARG_OPTIONAL, CONF_ARG_REQUIRED };

enum conf_status {
	CONF_ST_PARSED = 0,      /* parsed into ward_conf */
	CONF_ST_NOT_IMPLEMENTED, /* dnsmasq's, ward ignores it with a warning */
	CONF_ST_WARD,            /* ward's own (dnsmasq does not have it) */
	CONF_ST_IGNORED,         /* accepted and meaningless for ward (--test
	                          * in a file, ...) */
};

typedef struct conf_option_info {
	const char *name;
	char shortopt;           /* dnsmasq's short option, 0 if none */
	enum conf_arg arg;
	enum conf_status status;
	const char *alias_of;    /* dhcp-lease -> dhcp-leasefile, or NULL */
} conf_option_info;

/* The i-th option of the table (NULL past the end), for docs and tools. */
const conf_option_info *conf_option_at(size_t i);
/* Look a name up; NULL when neither dnsmasq nor ward has it. */
const conf_option_info *conf_option_find(const char *name, size_t len);

#endif
