/* ward DHCP engine: internal state shared by the engine's files (not an
 * API). */
#ifndef WARD_DHCP_ENGINE_INT_H
#define WARD_DHCP_ENGINE_INT_H

#include "codec/dhcp.h"
#include "dhcp/engine.h"
#include "dhcp/lease_table.h"

#include <string.h>

/* Copy a string, cut to fit cap - 1 octets. */
static inline void str_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- tags (tags.c) ---- */

typedef struct tagset {
	uint64_t w[DHCP_TAGS_MAX / 64];
} tagset;

/* An interned tag reference of a tag:/set: list. */
typedef struct itag {
	uint16_t id;
	bool negate;
	bool wild;              /* name ends in '*': any tag with the prefix */
} itag;

/* A slice of dhcp_engine.itags. */
typedef struct tref {
	uint32_t off, n;
} tref;

struct dhcp_engine {
	const dhcp_config *cfg;
	lease_table lt;
	/* tag names and the interned form of every tag list of cfg */
	const char *tag_name[DHCP_TAGS_MAX];
	size_t ntags;
	int tag_known, tag_othernet;
	itag *itags;
	size_t nitags, citags;
	tref *range_match, *host_match, *host_set, *opt_match, *tagif_match,
	     *tagif_set, *ignore_match, *bcast_match;
	int *range_set, *match_set, *mac_set;  /* tag id or -1 */
	/* dhcp-host addresses, sorted, for "reserved for another host" */
	struct resv { uint32_t ip; uint32_t host; } *resv;
	size_t nresv;
	/* dhcp-host lookup (host_index.c) */
	struct hkey { uint32_t h; uint32_t host; } *hk_cid, *hk_hw;
	size_t nhk_cid, nhk_hw;
	uint32_t *hwild, *hname, *hcand;
	size_t nhwild, nhname;
	/* scratch */
	dhcp_msg msg;
	uint8_t build[DHCP_REPLY_MAX + DHCP_BUILD_SLACK];
	uint8_t scratch[DHCP_REPLY_MAX * 2]; /* option values of one reply */
};

/* Everything known about one request while it is handled. */
typedef struct req_ctx {
	dhcp_engine *e;
	const dhcp_rx *rx;
	const dhcp_msg *m;
	int64_t now;
	dhcp_out *out;
	int type;
	/* the client */
	uint8_t htype, hlen;
	const uint8_t *hw;
	const uint8_t *cid;          /* identity used for the lease (NULL when
	                              * none, or id:* on its dhcp-host) */
	size_t cid_len;
	const uint8_t *raw_cid;      /* option 61 as sent */
	size_t raw_cid_len;
	const uint8_t *hname;        /* option 12 as sent */
	size_t hname_len;
	bool has_fqdn;
	dhcp_fqdn fqdn;
	/* the network */
	uint32_t server_id;
	uint32_t net_addr;           /* giaddr, option 118, or our address */
	bool relayed;                /* giaddr set */
	bool net_given;              /* relayed or option 118 */
	/* configuration that applies */
	int host;                    /* dhcp-host index or -1 */
	tagset tags;                 /* without the range's tag, after tag-if */
	tagset full;                 /* with it, after tag-if */
	int range;                   /* range of the address, -1 */
	char name[DHCP_HOSTNAME_LABEL_MAX + 1]; /* lease hostname, "" none */
	bool name_auth;              /* from dhcp-host */
} req_ctx;

/* tags.c */
int tags_build(dhcp_engine *e);
void tags_free(dhcp_engine *e);
bool tags_match(const dhcp_engine *e, tref r, const tagset *s);
void tags_set(tagset *s, int id);
bool tags_has(const tagset *s, int id);
/* interface, dhcp-mac, dhcp-match/vendorclass/userclass; then the
 * dhcp-host (ctx->host, "known"); no range tag, no tag-if yet. */
void tags_client(req_ctx *c);
/* ctx->tags and ctx->full from the base set and the range ctx->range. */
void tags_finish(req_ctx *c, const tagset *base);
bool hwaddr_match(const dhcp_cfg_hwaddr *p, uint8_t htype, const uint8_t *hw,
                  uint8_t hlen);

/* host_index.c */
int host_index_build(dhcp_engine *e);
void host_index_free(dhcp_engine *e);
/* The dhcp-host lines that may match this client in find_host's pass
 * (0: client id, 1: hardware address, 2: name only), in configuration
 * order; they still have to be checked. */
size_t host_candidates(const req_ctx *c, int pass, const uint32_t **out);

/* addr.c */
/* The netmask that applies to range r for this request (0: not on it). */
bool range_on_net(const req_ctx *c, size_t r, uint32_t *mask);
bool range_usable(const req_ctx *c, size_t r, const tagset *tags);
/* The usable range an address belongs to (dynamic span first, then the
 * subnet of any usable range), -1 if none. */
int range_of_addr(const req_ctx *c, uint32_t ip, const tagset *tags);
bool addr_dynamic(const req_ctx *c, uint32_t ip, const tagset *tags);
/* Can ip be given to this client (entry `self` is the client's own)? */
bool addr_free(const req_ctx *c, uint32_t ip, int32_t self, int range);
/* dnsmasq(8) dhcp-host with several MACs: the lease (entry i on ip) of
 * one of them may be abandoned when another asks for the host's address. */
bool lease_abandonable(const req_ctx *c, int32_t i, uint32_t ip);
/* A reserved (dhcp-host) address of another host. */
bool addr_reserved_other(const req_ctx *c, uint32_t ip);
/* Pick an address for a DISCOVER: 0 when none. */
uint32_t addr_choose(req_ctx *c, int32_t self, const tagset *tags);
uint32_t range_mask(const req_ctx *c, int r);
/* The sorted table of dhcp-host addresses (engine creation). */
int engine_resv_build(dhcp_engine *e);

/* reply.c */
/* Build a reply of `type` into e->out (yiaddr, lease seconds or 0 for
 * none (INFORM, NAK)); returns 0 or a negative ward_err. */
int reply_build(req_ctx *c, int type, uint32_t yiaddr, uint32_t lease,
                const char *nak_msg, bool rapid);
const char *domain_for(const dhcp_engine *e, uint32_t ip);

/* engine.c helpers used by others */
dhcp_action *out_push(dhcp_out *o, enum dhcp_action_kind k);
void name_action(dhcp_out *o, const dhcp_engine *e, const struct dhcp_lease *l,
                 bool add);
void lease_action(dhcp_out *o, const struct dhcp_lease *l, enum dhcp_lease_op op);
/* DEL (and name removal) for a lease; offers and holds just go. */
void lease_drop(dhcp_engine *e, int32_t i, dhcp_out *o);
/* Up to max expired entries (lease DELs, name removals). */
void engine_expire(dhcp_engine *e, int64_t now, dhcp_out *o, size_t max);
void engine_set_wakeup(dhcp_engine *e, int64_t now, dhcp_out *o);

#endif
