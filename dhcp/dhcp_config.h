/* ward DHCP engine: its configuration (built from dnsmasq options by
 * daemon/conf_dhcp_setup.c; tests and tools may fill it by hand).
 *
 * The engine keeps pointers into this struct and the arrays and strings it
 * points to: they must outlive the engine. Addresses are uint32_t in host
 * byte order (192.0.2.1 is 0xC0000201), as codec/dhcp.h has them. */
#ifndef WARD_DHCP_CONFIG_H
#define WARD_DHCP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_CFG_LEASE_INFINITE UINT32_MAX
#define DHCP_CFG_DEFAULT_LEASE 3600     /* dhcp-range without lease time */
#define DHCP_CFG_DEFAULT_LEASE_MAX 1000 /* dhcp-lease-max */

/* tag:NAME / tag:!NAME; a trailing '*' matches any tag with that prefix. */
typedef struct dhcp_cfg_tag {
	const char *name;
	bool negate;
} dhcp_cfg_tag;

/* All must hold; n == 0: always. */
typedef struct dhcp_cfg_tags {
	const dhcp_cfg_tag *v;
	size_t n;
} dhcp_cfg_tags;

/* dhcp-range= */
typedef struct dhcp_cfg_range {
	dhcp_cfg_tags match;      /* the range is used only when these hold */
	const char *set_tag;      /* set:, NULL if none */
	bool is_static;           /* "static": only dhcp-host addresses */
	uint32_t start, end;      /* end == start for static */
	uint32_t netmask;         /* 0: the interface's (or, relayed, guessed
	                           * from the address class) */
	uint32_t broadcast;       /* 0: from the netmask */
	uint32_t lease;           /* seconds, DHCP_CFG_LEASE_INFINITE */
} dhcp_cfg_range;

/* A hardware address with '*' bytes (bit i of wildcard: byte i is any). */
typedef struct dhcp_cfg_hwaddr {
	uint8_t addr[16];
	uint16_t wildcard;
	uint8_t len;
	int16_t htype;            /* -1: any ARP type */
} dhcp_cfg_hwaddr;

/* dhcp-host= */
typedef struct dhcp_cfg_host {
	const dhcp_cfg_hwaddr *hw;
	size_t nhw;
	const uint8_t *cid;       /* client identifier (option 61 value) */
	uint16_t cid_len;         /* 0: none */
	bool ignore_cid;          /* id:*: identify the client by MAC only */
	dhcp_cfg_tags match;      /* tag: the host entry applies only then */
	const char *const *set_tags;
	size_t nset_tags;
	bool has_ip;
	uint32_t ip;
	const char *hostname;     /* NULL if none */
	bool has_lease;
	uint32_t lease;
	bool ignore;              /* never answer this client */
} dhcp_cfg_host;

enum dhcp_cfg_opt_kind {
	DHCP_CFG_OPT_PLAIN = 0,
	DHCP_CFG_OPT_ENCAP,       /* encap:N: a sub-option of option N */
	DHCP_CFG_OPT_VENDOR,      /* vendor:CLASS: option 43 sub-option */
	DHCP_CFG_OPT_VI_ENCAP,    /* vi-encap: (not sent by the engine yet) */
};

/* dhcp-option= / dhcp-option-force= */
typedef struct dhcp_cfg_option {
	dhcp_cfg_tags match;
	bool force;               /* sent even when not requested */
	enum dhcp_cfg_opt_kind kind;
	uint32_t encap;           /* ENCAP: the encapsulating option */
	const char *vendor;       /* VENDOR: substring of option 60 ("" any) */
	uint16_t code;            /* 1..254; 255: server-ip-address (siaddr) */
	const uint8_t *value;     /* wire value; 0.0.0.0 in an address list
	                           * means "this server" (dnsmasq) */
	uint16_t len;             /* 0: empty option, or for an option the
	                           * server fills by default (1, 3, 6, 12, 15,
	                           * 28): do not send it */
} dhcp_cfg_option;

enum dhcp_cfg_match_kind {
	DHCP_CFG_MATCH_PRESENT = 0, /* the option is in the request */
	DHCP_CFG_MATCH_PREFIX,      /* bytes (wildcards) match the start */
	DHCP_CFG_MATCH_ELEMENT,     /* one array element equals the value */
	DHCP_CFG_MATCH_SUBSTRING,   /* value is a substring of the option */
};

/* dhcp-match=, dhcp-vendorclass= (code 60, SUBSTRING), dhcp-userclass=
 * (code 77, SUBSTRING of one RFC 3004 class) */
typedef struct dhcp_cfg_match {
	const char *set_tag;
	uint8_t code;
	bool vi_encap;            /* enterprise number in option 124/125 */
	uint32_t enterprise;
	enum dhcp_cfg_match_kind kind;
	const uint8_t *value;
	uint16_t len;
	uint16_t elem_size;       /* ELEMENT */
	const uint8_t *wildcard;  /* PREFIX: 1 where a byte is '*', or NULL */
} dhcp_cfg_match;

/* dhcp-mac= */
typedef struct dhcp_cfg_mac {
	const char *set_tag;
	dhcp_cfg_hwaddr hw;
} dhcp_cfg_mac;

/* tag-if=set:..,tag:.. */
typedef struct dhcp_cfg_tag_if {
	const char *const *set;
	size_t nset;
	dhcp_cfg_tags match;
} dhcp_cfg_tag_if;

/* domain= for DHCP names: `name` ("lan.example", no trailing dot) for
 * addresses start..end, or all addresses when `all`. */
typedef struct dhcp_cfg_domain {
	const char *name;
	bool all;
	uint32_t start, end;
} dhcp_cfg_domain;

typedef struct dhcp_config {
	const dhcp_cfg_range *ranges;       size_t nranges;
	const dhcp_cfg_host *hosts;         size_t nhosts;
	const dhcp_cfg_option *options;     size_t noptions;
	const dhcp_cfg_match *matches;      size_t nmatches;
	const dhcp_cfg_mac *macs;           size_t nmacs;
	const dhcp_cfg_tag_if *tag_ifs;     size_t ntag_ifs;
	const dhcp_cfg_tags *ignores;       size_t nignores;   /* dhcp-ignore */
	const dhcp_cfg_tags *broadcasts;    size_t nbroadcasts; /* dhcp-broadcast */
	const dhcp_cfg_domain *domains;     size_t ndomains;   /* specific first */
	bool authoritative;                 /* dhcp-authoritative */
	bool rapid_commit;                  /* dhcp-rapid-commit */
	bool dns_server;                    /* send this server as option 6 by
	                                     * default (dnsmasq: DNS port 53) */
	uint32_t lease_max;                 /* dhcp-lease-max */
} dhcp_config;

/* Defaults: no ranges, lease-max 1000, dns_server on. */
void dhcp_config_init(dhcp_config *c);

#endif
