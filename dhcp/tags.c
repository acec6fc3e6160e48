/* ward DHCP engine: tags, as dnsmasq's DHCP server sets and tests them
 * (dnsmasq(8), "The tag system works as follows"): the interface name,
 * dhcp-mac, dhcp-vendorclass/userclass/match, the dhcp-host in use (and
 * "known"), the dhcp-range of the address, then tag-if in order. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhcp/engine_int.h"

void tags_set(tagset *s, int id)
{
	if (id >= 0 && id < DHCP_TAGS_MAX)
		s->w[id / 64] |= 1ull << (id % 64);
}

bool tags_has(const tagset *s, int id)
{
	return id >= 0 && id < DHCP_TAGS_MAX && (s->w[id / 64] >> (id % 64)) & 1;
}

static int intern(dhcp_engine *e, const char *name)
{
	for (size_t i = 0; i < e->ntags; i++)
		if (!strcmp(e->tag_name[i], name))
			return (int)i;
	if (e->ntags == DHCP_TAGS_MAX)
		return WARD_EDHCPCFG;
	e->tag_name[e->ntags] = name;
	return (int)e->ntags++;
}

static int push_itag(dhcp_engine *e, const char *name, bool negate)
{
	int id = intern(e, name);
	if (id < 0)
		return id;
	if (e->nitags == e->citags) {
		size_t nc = e->citags ? e->citags * 2 : 32;
		itag *n = realloc(e->itags, nc * sizeof *n);
		if (!n)
			return WARD_ENOMEM;
		e->itags = n;
		e->citags = nc;
	}
	size_t l = strlen(name);
	e->itags[e->nitags++] = (itag){ (uint16_t)id, negate,
	                                l > 0 && name[l - 1] == '*' };
	return 0;
}

static int ref_tags(dhcp_engine *e, const dhcp_cfg_tags *t, tref *out)
{
	out->off = (uint32_t)e->nitags;
	out->n = (uint32_t)t->n;
	for (size_t i = 0; i < t->n; i++) {
		int r = push_itag(e, t->v[i].name ? t->v[i].name : "", t->v[i].negate);
		if (r < 0)
			return r;
	}
	return 0;
}

static int ref_names(dhcp_engine *e, const char *const *v, size_t n, tref *out)
{
	out->off = (uint32_t)e->nitags;
	out->n = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		int r = push_itag(e, v[i] ? v[i] : "", false);
		if (r < 0)
			return r;
	}
	return 0;
}

static int set_id(dhcp_engine *e, const char *name)
{
	return name ? intern(e, name) : -1;
}

#define CALLOC(p, n) ((p) = calloc((n) ? (n) : 1, sizeof *(p)))

int tags_build(dhcp_engine *e)
{
	const dhcp_config *c = e->cfg;
	int r;
	if ((r = e->tag_known = intern(e, "known")) < 0 ||
	    (r = e->tag_othernet = intern(e, "known-othernet")) < 0)
		return r;
	if (!CALLOC(e->range_match, c->nranges) || !CALLOC(e->range_set, c->nranges) ||
	    !CALLOC(e->host_match, c->nhosts) || !CALLOC(e->host_set, c->nhosts) ||
	    !CALLOC(e->opt_match, c->noptions) || !CALLOC(e->match_set, c->nmatches) ||
	    !CALLOC(e->mac_set, c->nmacs) || !CALLOC(e->tagif_match, c->ntag_ifs) ||
	    !CALLOC(e->tagif_set, c->ntag_ifs) ||
	    !CALLOC(e->ignore_match, c->nignores) ||
	    !CALLOC(e->bcast_match, c->nbroadcasts))
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->nranges; i++) {
		if ((r = ref_tags(e, &c->ranges[i].match, &e->range_match[i])) < 0 ||
		    (r = e->range_set[i] = set_id(e, c->ranges[i].set_tag)) < -1)
			return r;
	}
	for (size_t i = 0; i < c->nhosts; i++)
		if ((r = ref_tags(e, &c->hosts[i].match, &e->host_match[i])) < 0 ||
		    (r = ref_names(e, c->hosts[i].set_tags, c->hosts[i].nset_tags,
		                   &e->host_set[i])) < 0)
			return r;
	for (size_t i = 0; i < c->noptions; i++)
		if ((r = ref_tags(e, &c->options[i].match, &e->opt_match[i])) < 0)
			return r;
	for (size_t i = 0; i < c->nmatches; i++)
		if ((r = e->match_set[i] = set_id(e, c->matches[i].set_tag)) < -1)
			return r;
	for (size_t i = 0; i < c->nmacs; i++)
		if ((r = e->mac_set[i] = set_id(e, c->macs[i].set_tag)) < -1)
			return r;
	for (size_t i = 0; i < c->ntag_ifs; i++)
		if ((r = ref_tags(e, &c->tag_ifs[i].match, &e->tagif_match[i])) < 0 ||
		    (r = ref_names(e, c->tag_ifs[i].set, c->tag_ifs[i].nset,
		                   &e->tagif_set[i])) < 0)
			return r;
	for (size_t i = 0; i < c->nignores; i++)
		if ((r = ref_tags(e, &c->ignores[i], &e->ignore_match[i])) < 0)
			return r;
	for (size_t i = 0; i < c->nbroadcasts; i++)
		if ((r = ref_tags(e, &c->broadcasts[i], &e->bcast_match[i])) < 0)
			return r;
	return 0;
}

void tags_free(dhcp_engine *e)
{
	free(e->itags);
	free(e->range_match);
	free(e->range_set);
	free(e->host_match);
	free(e->host_set);
	free(e->opt_match);
	free(e->match_set);
	free(e->mac_set);
	free(e->tagif_match);
	free(e->tagif_set);
	free(e->ignore_match);
	free(e->bcast_match);
}

static bool has_tag(const dhcp_engine *e, const itag *t, const tagset *s)
{
	if (!t->wild)
		return tags_has(s, t->id);
	const char *p = e->tag_name[t->id];
	size_t pl = strlen(p) - 1;
	for (size_t i = 0; i < e->ntags; i++)
		if (tags_has(s, (int)i) && !strncmp(e->tag_name[i], p, pl))
			return true;
	return false;
}

bool tags_match(const dhcp_engine *e, tref r, const tagset *s)
{
	for (uint32_t i = 0; i < r.n; i++) {
		const itag *t = &e->itags[r.off + i];
		if (has_tag(e, t, s) == t->negate)
			return false;
	}
	return true;
}

static void set_all(const dhcp_engine *e, tref r, tagset *s)
{
	for (uint32_t i = 0; i < r.n; i++)
		tags_set(s, e->itags[r.off + i].id);
}

/* tag-if lines in order; each sees the tags the earlier ones set. */
static void run_tag_if(const dhcp_engine *e, tagset *s)
{
	for (size_t i = 0; i < e->cfg->ntag_ifs; i++)
		if (tags_match(e, e->tagif_match[i], s))
			set_all(e, e->tagif_set[i], s);
}

bool hwaddr_match(const dhcp_cfg_hwaddr *p, uint8_t htype, const uint8_t *hw,
                  uint8_t hlen)
{
	if (p->len != hlen || (p->htype >= 0 && p->htype != htype))
		return false;
	for (size_t i = 0; i < hlen; i++)
		if (!((p->wildcard >> i) & 1) && p->addr[i] != hw[i])
			return false;
	return true;
}

static bool contains(const uint8_t *h, size_t hl, const uint8_t *n, size_t nl)
{
	if (nl == 0)
		return true;
	for (size_t i = 0; i + nl <= hl; i++)
		if (!memcmp(h + i, n, nl))
			return true;
	return false;
}

/* dhcp-userclass: option 77 is a list of <len><class> (RFC 3004); many
 * clients send plain text instead, then the whole value is the class. */
static bool userclass_match(const uint8_t *v, size_t n, const dhcp_cfg_match *mt)
{
	wire_rd rd = wire_rd_init(v, n);
	bool list = n > 0;
	while (list && wire_rd_left(&rd) > 0) {
		uint8_t l = wire_rd_u8(&rd);
		wire_rd_skip(&rd, l);
		list = l > 0 && rd.err == 0;
	}
	if (!list)
		return contains(v, n, mt->value, mt->len);
	rd = wire_rd_init(v, n);
	while (wire_rd_left(&rd) > 0) {
		uint8_t l = wire_rd_u8(&rd);
		const uint8_t *cls = wire_rd_view(&rd, l);
		if (cls && contains(cls, l, mt->value, mt->len))
			return true;
	}
	return false;
}

/* vi-encap: an enterprise number in option 124 or 125 (RFC 3925:
 * <enterprise:4><len:1><data>...). */
static bool enterprise_present(const dhcp_msg *m, uint32_t ent)
{
	static const uint8_t codes[2] = { 124, 125 };
	for (size_t k = 0; k < 2; k++) {
		size_t n;
		const uint8_t *v = dhcp_opt_get(m, codes[k], &n);
		wire_rd rd = wire_rd_init(v, v ? n : 0);
		while (wire_rd_left(&rd) >= 5) {
			uint32_t e = wire_rd_u32(&rd);
			wire_rd_skip(&rd, wire_rd_u8(&rd));
			if (rd.err)
				break;
			if (e == ent)
				return true;
		}
	}
	return false;
}

static bool match_one(const dhcp_msg *m, const dhcp_cfg_match *mt)
{
	if (mt->vi_encap)
		return enterprise_present(m, mt->enterprise);
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, mt->code, &n);
	if (!v)
		return false;
	switch (mt->kind) {
	case DHCP_CFG_MATCH_PRESENT:
		return true;
	case DHCP_CFG_MATCH_PREFIX:
		if (n < mt->len)
			return false;
		for (size_t i = 0; i < mt->len; i++)
			if (!(mt->wildcard && mt->wildcard[i]) && v[i] != mt->value[i])
				return false;
		return true;
	case DHCP_CFG_MATCH_ELEMENT: {
		size_t es = mt->elem_size ? mt->elem_size : 1;
		if (mt->len != es)
			return false;
		for (size_t i = 0; i + es <= n; i += es)
			if (!memcmp(v + i, mt->value, es))
				return true;
		return false;
	}
	case DHCP_CFG_MATCH_SUBSTRING:
		if (mt->code == DHCP_OPT_USER_CLASS)
			return userclass_match(v, n, mt);
		return contains(v, n, mt->value, mt->len);
	}
	return false;
}

/* Is the host's address on the network of this request (or has it none)? */
static bool host_in_context(const req_ctx *c, const dhcp_cfg_host *h)
{
	if (!h->has_ip)
		return true;
	for (size_t r = 0; r < c->e->cfg->nranges; r++) {
		uint32_t mask;
		if (range_on_net(c, r, &mask) &&
		    (h->ip & mask) == (c->e->cfg->ranges[r].start & mask))
			return true;
	}
	return false;
}

static bool name_eq(const char *a, const uint8_t *b, size_t bl)
{
	return b && strlen(a) == bl && !strncasecmp(a, (const char *)b, bl);
}

/* The number of fixed (non-'*') octets of the first wildcard pattern of h
 * that matches the client, 0 if none does. */
static int wild_score(const req_ctx *c, const dhcp_cfg_host *h)
{
	int best = 0;
	for (size_t k = 0; k < h->nhw; k++) {
		const dhcp_cfg_hwaddr *p = &h->hw[k];
		if (!p->wildcard || !hwaddr_match(p, c->htype, c->hw, c->hlen))
			continue;
		int fixed = 0;
		for (size_t i = 0; i < p->len; i++)
			fixed += !((p->wildcard >> i) & 1);
		if (fixed + 1 > best)
			best = fixed + 1;
	}
	return best;
}

static bool host_hit(const req_ctx *c, const dhcp_cfg_host *h, int pass)
{
	if (pass == 0)
		return h->cid_len && c->raw_cid_len == h->cid_len &&
		       !memcmp(c->raw_cid, h->cid, h->cid_len);
	if (pass == 1) {
		for (size_t k = 0; k < h->nhw; k++)
			if (!h->hw[k].wildcard &&
			    hwaddr_match(&h->hw[k], c->htype, c->hw, c->hlen))
				return true;
		return false;
	}
	return h->hostname && !h->nhw && !h->cid_len &&
	       name_eq(h->hostname, c->hname, c->hname_len);
}

/* dnsmasq's find_config: by client id, then an exact hardware address,
 * then the wildcard hardware address with the fewest '*' octets, then the
 * hostname the client sent; tagged entries before untagged ones; an
 * entry whose address is on another network only sets "known-othernet". */
static int find_host(req_ctx *c, const tagset *s, bool *othernet)
{
	const dhcp_config *cfg = c->e->cfg;
	*othernet = false;
	for (int pass = 0; pass < 4; pass++) {
		const uint32_t *cand;
		size_t ncand = host_candidates(c, pass == 3 ? 2 : pass == 0 ? 0 : 1,
		                               &cand);
		for (int tagged = 1; tagged >= 0; tagged--) {
			int best = -1, best_score = 0;
			for (size_t ci = 0; ci < ncand; ci++) {
				size_t i = cand[ci];
				const dhcp_cfg_host *h = &cfg->hosts[i];
				if ((c->e->host_match[i].n > 0) != tagged ||
				    !tags_match(c->e, c->e->host_match[i], s))
					continue;
				if (pass == 2) {
					int sc = wild_score(c, h);
					if (!sc)
						continue;
					if (!host_in_context(c, h)) {
						*othernet = true;
						continue;
					}
					if (sc > best_score) {
						best_score = sc;
						best = (int)i;
					}
					continue;
				}
				if (!host_hit(c, h, pass == 3 ? 2 : pass))
					continue;
				if (host_in_context(c, h))
					return (int)i;
				*othernet = true;
			}
			if (best >= 0)
				return best;
		}
	}
	return -1;
}

void tags_client(req_ctx *c)
{
	dhcp_engine *e = c->e;
	const dhcp_config *cfg = e->cfg;
	tagset s;
	memset(&s, 0, sizeof s);
	if (c->rx->ifname)
		for (size_t i = 0; i < e->ntags; i++)
			if (!strcmp(e->tag_name[i], c->rx->ifname))
				tags_set(&s, (int)i);
	for (size_t i = 0; i < cfg->nmacs; i++)
		if (hwaddr_match(&cfg->macs[i].hw, c->htype, c->hw, c->hlen))
			tags_set(&s, e->mac_set[i]);
	for (size_t i = 0; i < cfg->nmatches; i++)
		if (match_one(c->m, &cfg->matches[i]))
			tags_set(&s, e->match_set[i]);
	tagset sif = s;
	run_tag_if(e, &sif);
	bool othernet;
	c->host = find_host(c, &sif, &othernet);
	if (c->host >= 0) {
		tags_set(&s, e->tag_known);
		set_all(e, e->host_set[c->host], &s);
		if (cfg->hosts[c->host].ignore_cid) {
			c->cid = NULL;
			c->cid_len = 0;
		}
	} else if (othernet) {
		tags_set(&s, e->tag_othernet);
	}
	c->tags = s;
}

void tags_finish(req_ctx *c, const tagset *base)
{
	c->tags = *base;
	run_tag_if(c->e, &c->tags);
	c->full = *base;
	if (c->range >= 0)
		tags_set(&c->full, c->e->range_set[c->range]);
	run_tag_if(c->e, &c->full);
}
