/* wardd: ward_conf -> dhcp_config (daemon/dhcp_setup.h). Lives beside the
 * configuration parser (libwardconf) so the tools and tests can load a
 * dnsmasq configuration into the DHCP engine too. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/dhcp_setup.h"
#include "codec/error.h"
#include "codec/name.h"

struct setup_block {
	struct setup_block *next;
	max_align_t data[];
};

static void *take(dhcp_setup *s, size_t n, size_t size)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / size / 2)
		return NULL;
	struct setup_block *b = calloc(1, sizeof *b + n * size);
	if (!b)
		return NULL;
	b->next = s->mem;
	s->mem = b;
	return b->data;
}

static int tags(dhcp_setup *s, const conf_tags *in, dhcp_cfg_tags *out)
{
	dhcp_cfg_tag *v = take(s, in->n, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	for (size_t i = 0; i < in->n; i++)
		v[i] = (dhcp_cfg_tag){ in->v[i].name, in->v[i].negate };
	out->v = v;
	out->n = in->n;
	return 0;
}

static void hwaddr(const conf_hwaddr *in, dhcp_cfg_hwaddr *out)
{
	memcpy(out->addr, in->addr, sizeof out->addr);
	out->wildcard = in->wildcard;
	out->len = in->len;
	out->htype = in->htype;
}

static uint32_t ip4(const conf_ip *ip)
{
	return (uint32_t)ip->addr[0] << 24 | (uint32_t)ip->addr[1] << 16 |
	       (uint32_t)ip->addr[2] << 8 | ip->addr[3];
}

static int ranges(const ward_conf *c, dhcp_setup *s)
{
	dhcp_cfg_range *v = take(s, c->dhcp_ranges.n, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < c->dhcp_ranges.n; i++) {
		const conf_dhcp_range *r = &c->dhcp_ranges.v[i];
		if (r->mode == CONF_RANGE_PROXY) {
			s->skipped++;
			continue;
		}
		dhcp_cfg_range *o = &v[n++];
		if (tags(s, &r->match, &o->match))
			return WARD_ENOMEM;
		o->set_tag = r->set_tag;
		o->is_static = r->mode == CONF_RANGE_STATIC;
		o->start = r->start;
		o->end = r->end;
		o->netmask = r->netmask;
		o->broadcast = r->broadcast;
		o->lease = r->has_lease ? r->lease : DHCP_CFG_DEFAULT_LEASE;
	}
	s->cfg.ranges = v;
	s->cfg.nranges = n;
	return 0;
}

static int hosts(const ward_conf *c, dhcp_setup *s)
{
	dhcp_cfg_host *v = take(s, c->dhcp_hosts.n, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->dhcp_hosts.n; i++) {
		const conf_dhcp_host *h = &c->dhcp_hosts.v[i];
		dhcp_cfg_host *o = &v[i];
		dhcp_cfg_hwaddr *hw = take(s, h->nhwaddrs, sizeof *hw);
		if (!hw || tags(s, &h->match, &o->match))
			return WARD_ENOMEM;
		for (size_t k = 0; k < h->nhwaddrs; k++)
			hwaddr(&h->hwaddrs[k], &hw[k]);
		o->hw = hw;
		o->nhw = h->nhwaddrs;
		if (h->has_client_id) {
			o->cid = h->client_id;
			o->cid_len = h->client_id_len;
		}
		o->ignore_cid = h->ignore_client_id;
		o->set_tags = h->set_tags;
		o->nset_tags = h->nset_tags;
		o->has_ip = h->has_ip;
		o->ip = h->ip;
		o->hostname = h->hostname;
		o->has_lease = h->has_lease;
		o->lease = h->lease;
		o->ignore = h->ignore;
	}
	s->cfg.hosts = v;
	s->cfg.nhosts = c->dhcp_hosts.n;
	return 0;
}

static int options(const ward_conf *c, dhcp_setup *s)
{
	dhcp_cfg_option *v = take(s, c->dhcp_options.n, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->dhcp_options.n; i++) {
		const conf_dhcp_option *d = &c->dhcp_options.v[i];
		dhcp_cfg_option *o = &v[i];
		if (tags(s, &d->match, &o->match))
			return WARD_ENOMEM;
		o->force = d->force;
		o->kind = d->kind == CONF_DHCPOPT_ENCAP ? DHCP_CFG_OPT_ENCAP :
		          d->kind == CONF_DHCPOPT_VENDOR ? DHCP_CFG_OPT_VENDOR :
		          d->kind == CONF_DHCPOPT_VI_ENCAP ? DHCP_CFG_OPT_VI_ENCAP :
		          DHCP_CFG_OPT_PLAIN;
		o->encap = d->encap;
		o->vendor = d->vendor;
		o->code = d->code;
		o->value = d->value;
		o->len = d->len;
	}
	s->cfg.options = v;
	s->cfg.noptions = c->dhcp_options.n;
	return 0;
}

static int matches(const ward_conf *c, dhcp_setup *s)
{
	size_t total = c->dhcp_matches.n + c->dhcp_vendorclasses.n +
	               c->dhcp_userclasses.n;
	dhcp_cfg_match *v = take(s, total, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < c->dhcp_matches.n; i++) {
		const conf_dhcp_match *m = &c->dhcp_matches.v[i];
		dhcp_cfg_match *o = &v[n++];
		o->set_tag = m->set_tag;
		o->vi_encap = m->vi_encap;
		if (m->vi_encap)
			o->enterprise = m->code;
		else
			o->code = (uint8_t)m->code;
		o->kind = (enum dhcp_cfg_match_kind)m->kind;
		o->value = m->value;
		o->len = m->len;
		o->elem_size = m->elem_size;
		o->wildcard = m->wildcard;
	}
	for (int k = 0; k < 2; k++) {
		const conf_dhcp_class *cl = k ? c->dhcp_userclasses.v :
		                                c->dhcp_vendorclasses.v;
		size_t cn = k ? c->dhcp_userclasses.n : c->dhcp_vendorclasses.n;
		for (size_t i = 0; i < cn; i++) {
			dhcp_cfg_match *o = &v[n++];
			o->set_tag = cl[i].set_tag;
			o->code = k ? 77 : 60 /* user class, vendor class */;
			o->kind = DHCP_CFG_MATCH_SUBSTRING;
			o->value = cl[i].data;
			o->len = cl[i].len;
		}
	}
	s->cfg.matches = v;
	s->cfg.nmatches = n;
	return 0;
}

static int tag_lists(const ward_conf *c, dhcp_setup *s)
{
	dhcp_cfg_mac *mac = take(s, c->dhcp_macs.n, sizeof *mac);
	dhcp_cfg_tag_if *ti = take(s, c->tag_ifs.n, sizeof *ti);
	dhcp_cfg_tags *ig = take(s, c->dhcp_ignore.n, sizeof *ig);
	dhcp_cfg_tags *bc = take(s, c->dhcp_broadcast.n, sizeof *bc);
	if (!mac || !ti || !ig || !bc)
		return WARD_ENOMEM;
	for (size_t i = 0; i < c->dhcp_macs.n; i++) {
		mac[i].set_tag = c->dhcp_macs.v[i].set_tag;
		hwaddr(&c->dhcp_macs.v[i].hw, &mac[i].hw);
	}
	for (size_t i = 0; i < c->tag_ifs.n; i++) {
		const conf_tag_if *t = &c->tag_ifs.v[i];
		const char **set = take(s, t->set.n, sizeof *set);
		if (!set || tags(s, &t->match, &ti[i].match))
			return WARD_ENOMEM;
		for (size_t k = 0; k < t->set.n; k++)
			set[k] = t->set.v[k].name;
		ti[i].set = set;
		ti[i].nset = t->set.n;
	}
	for (size_t i = 0; i < c->dhcp_ignore.n; i++)
		if (tags(s, &c->dhcp_ignore.v[i].match, &ig[i]))
			return WARD_ENOMEM;
	for (size_t i = 0; i < c->dhcp_broadcast.n; i++)
		if (tags(s, &c->dhcp_broadcast.v[i].match, &bc[i]))
			return WARD_ENOMEM;
	s->cfg.macs = mac;
	s->cfg.nmacs = c->dhcp_macs.n;
	s->cfg.tag_ifs = ti;
	s->cfg.ntag_ifs = c->tag_ifs.n;
	s->cfg.ignores = ig;
	s->cfg.nignores = c->dhcp_ignore.n;
	s->cfg.broadcasts = bc;
	s->cfg.nbroadcasts = c->dhcp_broadcast.n;
	return 0;
}

/* domain=NAME[,range|address|subnet] (IPv4 parts only). */
static int domains(const ward_conf *c, dhcp_setup *s)
{
	dhcp_cfg_domain *v = take(s, c->domains.n, sizeof *v);
	if (!v)
		return WARD_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < c->domains.n; i++) {
		const conf_domain_rule *d = &c->domains.v[i];
		if (d->from_resolv || d->scope == CONF_DOMAIN_IFACE ||
		    (d->scope != CONF_DOMAIN_ALL && d->start.family != AF_INET)) {
			s->skipped++;
			continue;
		}
		dns_name dn;
		char text[DNS_NAME_TEXT_MAX];
		conf_name_get(&d->name, &dn);
		dns_name_str(&dn, text);
		size_t l = strlen(text);
		if (l && text[l - 1] == '.')
			text[--l] = '\0';
		char *name = take(s, l + 1, 1);
		if (!name)
			return WARD_ENOMEM;
		memcpy(name, text, l + 1);
		dhcp_cfg_domain *o = &v[n++];
		o->name = name;
		switch (d->scope) {
		case CONF_DOMAIN_ALL:
			o->all = true;
			break;
		case CONF_DOMAIN_RANGE:
			o->start = ip4(&d->start);
			o->end = ip4(&d->end);
			break;
		case CONF_DOMAIN_ADDR:
			o->start = o->end = ip4(&d->start);
			break;
		default: { /* SUBNET */
			uint32_t mask = d->prefix ? ~0u << (32 - d->prefix) : 0;
			o->start = ip4(&d->start) & mask;
			o->end = o->start | ~mask;
			break;
		}
		}
	}
	s->cfg.domains = v;
	s->cfg.ndomains = n;
	return 0;
}

int dhcp_setup_from_conf(const ward_conf *c, dhcp_setup *s)
{
	memset(s, 0, sizeof *s);
	dhcp_config_init(&s->cfg);
	s->cfg.authoritative = c->dhcp_authoritative;
	s->cfg.rapid_commit = c->dhcp_rapid_commit;
	s->cfg.dns_server = c->port != 0;
	s->cfg.lease_max = c->dhcp_lease_max < 0 ? 0 :
	                   c->dhcp_lease_max > UINT32_MAX ? UINT32_MAX :
	                   (uint32_t)c->dhcp_lease_max;
	int r;
	if ((r = ranges(c, s)) || (r = hosts(c, s)) || (r = options(c, s)) ||
	    (r = matches(c, s)) || (r = tag_lists(c, s)) || (r = domains(c, s))) {
		dhcp_setup_free(s);
		return r;
	}
	return 0;
}

void dhcp_setup_free(dhcp_setup *s)
{
	while (s->mem) {
		struct setup_block *n = s->mem->next;
		free(s->mem);
		s->mem = n;
	}
	memset(s, 0, sizeof *s);
}
