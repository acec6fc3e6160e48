/* ward DHCP engine: building OFFER / ACK / NAK. Which dhcp-option lines
 * apply follows dnsmasq's option_filter: a line whose tags all match the
 * client's tags wins over one that needs the dhcp-range's tag (second
 * class, dnsmasq(8)), which wins over an untagged line; among equals the
 * later line wins. Options go out when requested (option 55) or forced
 * (dhcp-option-force), in the order of the client's request list (RFC 2131
 * §4.3.1 leaves the order to the server; clients are happier this way);
 * the relay agent information (82) comes last and is echoed as received
 * (RFC 3046 §2.2). */
#include <string.h>
#include <strings.h>

#include "dhcp/engine_int.h"

const char *domain_for(const dhcp_engine *e, uint32_t ip)
{
	const dhcp_config *c = e->cfg;
	for (size_t i = 0; i < c->ndomains; i++)
		if (!c->domains[i].all && ip >= c->domains[i].start &&
		    ip <= c->domains[i].end)
			return c->domains[i].name;
	for (size_t i = 0; i < c->ndomains; i++)
		if (c->domains[i].all)
			return c->domains[i].name;
	return NULL;
}

/* Options the server fills in when no dhcp-option gives them; an empty
 * dhcp-option for one of them means "do not send it" (dnsmasq(8)). */
static bool has_default(unsigned code)
{
	return code == DHCP_OPT_SUBNET_MASK || code == DHCP_OPT_BROADCAST ||
	       code == DHCP_OPT_ROUTER || code == DHCP_OPT_DNS_SERVER ||
	       code == DHCP_OPT_DOMAIN_NAME || code == DHCP_OPT_HOSTNAME;
}

/* Codes the engine writes itself: a dhcp-option for them is ignored. */
static bool server_owned(unsigned code)
{
	return code == DHCP_OPT_MSG_TYPE || code == DHCP_OPT_SERVER_ID ||
	       code == DHCP_OPT_LEASE_TIME || code == DHCP_OPT_OVERLOAD ||
	       code == DHCP_OPT_PARAM_REQ || code == DHCP_OPT_MAX_SIZE ||
	       code == DHCP_OPT_REQUESTED_ADDR || code == DHCP_OPT_CLIENT_ID ||
	       code == DHCP_OPT_CLIENT_FQDN || code == DHCP_OPT_RELAY_AGENT ||
	       code == DHCP_OPT_RAPID_COMMIT || code == DHCP_OPT_MESSAGE ||
	       code == 0 || code == 255;
}

typedef struct optplan {
	int sel[256];          /* chosen dhcp-option line per code, -1 */
	bool send[256];        /* value present in val/len */
	bool force[256];
	const uint8_t *val[256];
	uint16_t len[256];
	uint8_t *sp;           /* scratch */
	size_t sused, scap;
} optplan;

static uint8_t *scratch(optplan *p, size_t n)
{
	if (p->sused + n > p->scap)
		return NULL;
	uint8_t *r = p->sp + p->sused;
	p->sused += n;
	return r;
}

static void put_val(optplan *p, unsigned code, const void *v, size_t n,
                    bool force)
{
	uint8_t *d = scratch(p, n ? n : 1);
	if (!d || n > 0xffff)
		return;
	memcpy(d, v, n);
	p->send[code] = true;
	p->force[code] = force;
	p->val[code] = d;
	p->len[code] = (uint16_t)n;
}

static void put_ip(optplan *p, unsigned code, uint32_t ip, bool force)
{
	uint8_t b[4] = { (uint8_t)(ip >> 24), (uint8_t)(ip >> 16),
	                 (uint8_t)(ip >> 8), (uint8_t)ip };
	put_val(p, code, b, 4, force);
}

/* dnsmasq's priority for a dhcp-option line: 3 tagged and matching the
 * client's own tags, 2 tagged and matching with the range's tag, 1
 * untagged, 0 not applicable. */
static int opt_prio(const req_ctx *c, size_t i)
{
	tref r = c->e->opt_match[i];
	if (r.n == 0)
		return 1;
	if (tags_match(c->e, r, &c->tags) && tags_match(c->e, r, &c->full))
		return 3;
	if (tags_match(c->e, r, &c->full))
		return 2;
	return 0;
}

static void select_options(const req_ctx *c, optplan *p)
{
	const dhcp_config *cfg = c->e->cfg;
	int prio[256];
	for (int k = 0; k < 256; k++)
		prio[k] = 0, p->sel[k] = -1;
	for (size_t i = 0; i < cfg->noptions; i++) {
		const dhcp_cfg_option *o = &cfg->options[i];
		if (o->kind != DHCP_CFG_OPT_PLAIN || o->code > 255)
			continue;
		int pr = opt_prio(c, i);
		if (pr && pr >= prio[o->code]) {
			prio[o->code] = pr;
			p->sel[o->code] = (int)i;
		}
	}
}

/* encap:N and vendor:CLASS lines, as sub-options of N and 43. */
static void encapsulated(const req_ctx *c, optplan *p)
{
	const dhcp_config *cfg = c->e->cfg;
	size_t vlen = 0;
	const uint8_t *vclass = dhcp_opt_get(c->m, DHCP_OPT_VENDOR_CLASS, &vlen);
	bool any[256] = { false };
	for (size_t i = 0; i < cfg->noptions; i++) {
		const dhcp_cfg_option *o = &cfg->options[i];
		if (o->kind == DHCP_CFG_OPT_ENCAP && o->encap < 256)
			any[o->encap] = true;
		else if (o->kind == DHCP_CFG_OPT_VENDOR)
			any[DHCP_OPT_VENDOR_ENCAP] = true;
	}
	for (unsigned code = 1; code < 255; code++) {
		if (!any[code] || p->send[code] || p->sel[code] >= 0 ||
		    server_owned(code))
			continue;
		uint8_t buf[DHCP_OPT_MAXLEN * 4];
		size_t n = 0;
		bool force = false;
		for (size_t i = 0; i < cfg->noptions; i++) {
			const dhcp_cfg_option *o = &cfg->options[i];
			bool mine = (o->kind == DHCP_CFG_OPT_ENCAP && o->encap == code) ||
			            (o->kind == DHCP_CFG_OPT_VENDOR &&
			             code == DHCP_OPT_VENDOR_ENCAP);
			if (!mine || o->code > 255 || !opt_prio(c, i))
				continue;
			if (o->kind == DHCP_CFG_OPT_VENDOR) {
				size_t vl = o->vendor ? strlen(o->vendor) : 0;
				bool hit = vl == 0 && vclass;
				for (size_t k = 0; vclass && !hit && k + vl <= vlen; k++)
					hit = !memcmp(vclass + k, o->vendor, vl);
				if (!hit)
					continue;
			}
			if (n + 2 + o->len > sizeof buf || o->len > 255)
				break;
			buf[n++] = (uint8_t)o->code;
			buf[n++] = (uint8_t)o->len;
			memcpy(buf + n, o->value, o->len);
			n += o->len;
			force |= o->force;
		}
		if (n)
			put_val(p, code, buf, n, force);
	}
}

/* dnsmasq: 0.0.0.0 in an address option is this server. */
static void fill_plain(const req_ctx *c, optplan *p, unsigned code)
{
	const dhcp_cfg_option *o = &c->e->cfg->options[p->sel[code]];
	enum dhcp_vtype vt = dhcp_option_vtype((uint8_t)code);
	if (o->len == 0 && has_default(code))
		return;
	if ((vt == DHCP_VT_IP || vt == DHCP_VT_IPLIST) && o->len % 4 == 0 &&
	    o->len) {
		uint8_t *d = scratch(p, o->len);
		if (!d)
			return;
		memcpy(d, o->value, o->len);
		for (size_t i = 0; i < o->len; i += 4)
			if (!d[i] && !d[i + 1] && !d[i + 2] && !d[i + 3]) {
				d[i] = (uint8_t)(c->server_id >> 24);
				d[i + 1] = (uint8_t)(c->server_id >> 16);
				d[i + 2] = (uint8_t)(c->server_id >> 8);
				d[i + 3] = (uint8_t)c->server_id;
			}
		p->send[code] = true;
		p->force[code] = o->force;
		p->val[code] = d;
		p->len[code] = o->len;
		return;
	}
	put_val(p, code, o->value, o->len, o->force);
}

/* Option 81 in the reply (RFC 4702 §4, as dnsmasq fills it): flags with
 * S set (and O when the client did not ask) and N clear, RCODEs 255, the
 * name we register, in the encoding the client used. */
static void fqdn_reply(const req_ctx *c, optplan *p, const char *domain)
{
	uint8_t buf[3 + 2 * 256];
	uint8_t f = c->fqdn.flags & 0x0f;
	if (!(f & DHCP_FQDN_S))
		f |= DHCP_FQDN_S | DHCP_FQDN_O;
	f &= (uint8_t)~DHCP_FQDN_N;
	buf[0] = f;
	buf[1] = buf[2] = 255;
	size_t n = 3;
	size_t hl = strlen(c->name), dl = domain ? strlen(domain) : 0;
	if (hl + dl + 4 > 255)
		dl = 0;
	if (f & DHCP_FQDN_E) {
		buf[n++] = (uint8_t)hl;
		memcpy(buf + n, c->name, hl);
		n += hl;
		const char *s = domain;
		while (dl && s && *s) {
			const char *dot = strchr(s, '.');
			size_t l = dot ? (size_t)(dot - s) : strlen(s);
			if (l == 0 || l > 63)
				break;
			buf[n++] = (uint8_t)l;
			memcpy(buf + n, s, l);
			n += l;
			s = dot ? dot + 1 : s + l;
		}
		if (dl)
			buf[n++] = 0;
	} else {
		memcpy(buf + n, c->name, hl);
		n += hl;
		if (dl) {
			buf[n++] = '.';
			memcpy(buf + n, domain, dl);
			n += dl;
		}
	}
	put_val(p, DHCP_OPT_CLIENT_FQDN, buf, n, true);
}

static void plan_options(req_ctx *c, optplan *p, uint32_t yiaddr, bool inform)
{
	const dhcp_config *cfg = c->e->cfg;
	select_options(c, p);
	for (unsigned k = 1; k < 255; k++)
		if (p->sel[k] >= 0 && !server_owned(k))
			fill_plain(c, p, k);
	encapsulated(c, p);
	uint32_t ip = yiaddr ? yiaddr : c->m->ciaddr;
	int r = c->range;
	uint32_t mask = range_mask(c, r);
	if (r >= 0 && mask) {
		const dhcp_cfg_range *rg = &cfg->ranges[r];
		if (p->sel[DHCP_OPT_SUBNET_MASK] < 0)
			put_ip(p, DHCP_OPT_SUBNET_MASK, mask, true);
		if (p->sel[DHCP_OPT_BROADCAST] < 0)
			put_ip(p, DHCP_OPT_BROADCAST,
			       rg->broadcast ? rg->broadcast : (ip & mask) | ~mask, true);
		if (p->sel[DHCP_OPT_ROUTER] < 0)
			put_ip(p, DHCP_OPT_ROUTER,
			       c->relayed ? c->m->giaddr : c->server_id, false);
		if (cfg->dns_server && p->sel[DHCP_OPT_DNS_SERVER] < 0)
			put_ip(p, DHCP_OPT_DNS_SERVER, c->server_id, false);
	}
	const char *dom = domain_for(c->e, ip);
	if (dom && *dom && p->sel[DHCP_OPT_DOMAIN_NAME] < 0)
		put_val(p, DHCP_OPT_DOMAIN_NAME, dom, strlen(dom), false);
	if (c->name[0] && !inform && p->sel[DHCP_OPT_HOSTNAME] < 0)
		put_val(p, DHCP_OPT_HOSTNAME, c->name, strlen(c->name), false);
	if (c->name[0] && !inform && c->has_fqdn)
		fqdn_reply(c, p, dom);
}

static bool requested(const uint8_t *prl, size_t n, bool have, unsigned code)
{
	if (!have)
		return true; /* no list: everything configured (dnsmasq) */
	for (size_t i = 0; i < n; i++)
		if (prl[i] == code)
			return true;
	return false;
}

static void set_dest(req_ctx *c, dhcp_act_send *s, int type, uint32_t yiaddr,
                     bool bcast_tag)
{
	const dhcp_msg *m = c->m;
	s->src = c->server_id;
	s->port = 68;
	s->htype = m->htype;
	s->hlen = m->hlen > 16 ? 16 : m->hlen;
	memcpy(s->chaddr, m->chaddr, s->hlen);
	/* RFC 2131 §4.1 */
	if (m->giaddr) {
		s->dest = DHCP_DEST_RELAY;
		s->ip = m->giaddr;
		s->port = 67;
	} else if (type == DHCP_NAK) {
		s->dest = DHCP_DEST_BROADCAST;
		s->ip = 0xffffffffu;
	} else if (m->ciaddr) {
		s->dest = DHCP_DEST_UNICAST;
		s->ip = m->ciaddr;
	} else if ((m->flags & DHCP_FLAG_BROADCAST) || bcast_tag || !yiaddr ||
	           !s->hlen) {
		s->dest = DHCP_DEST_BROADCAST;
		s->ip = 0xffffffffu;
	} else {
		s->dest = DHCP_DEST_HWADDR;
		s->ip = yiaddr;
	}
}

/* One attempt at the reply. level 0: every option that applies; 1: only
 * those the client asked for; 2: only the server's own and the address
 * facts (a reply that fits beats a complete one that does not). */
static int build_level(req_ctx *c, dhcp_builder *b, int type, uint32_t yiaddr,
                       uint32_t lease, const char *nak_msg, bool rapid,
                       int level)
{
	dhcp_engine *e = c->e;
	const dhcp_msg *m = c->m;
	int r = dhcp_build_reply(b, e->build, sizeof e->build, m);
	if (r < 0)
		return r;
	if (b->limit > DHCP_REPLY_MAX)
		dhcp_build_set_max_size(b, DHCP_REPLY_MAX + DHCP_IPUDP_LEN);
	if (type == DHCP_NAK) {
		/* RFC 2131 §4.1: a relayed NAK has the broadcast bit set */
		if (m->giaddr)
			dhcp_build_set_flags(b, m->flags | DHCP_FLAG_BROADCAST);
	} else {
		dhcp_build_set_yiaddr(b, yiaddr);
		if (type == DHCP_ACK)
			dhcp_build_set_ciaddr(b, m->ciaddr);
	}
	dhcp_build_opt_u8(b, DHCP_OPT_MSG_TYPE, (uint8_t)type);
	dhcp_build_opt_ip(b, DHCP_OPT_SERVER_ID, c->server_id);
	if (type == DHCP_NAK) {
		if (nak_msg)
			dhcp_build_opt(b, DHCP_OPT_MESSAGE, nak_msg, strlen(nak_msg));
	} else {
		optplan *p = &(optplan){ .sp = e->scratch, .scap = sizeof e->scratch };
		memset(p->send, 0, sizeof p->send);
		plan_options(c, p, yiaddr, lease == 0);
		int s255 = p->sel[255];
		if (s255 >= 0 && e->cfg->options[s255].len == 4) {
			const uint8_t *v = e->cfg->options[s255].value;
			uint32_t ip = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
			              (uint32_t)v[2] << 8 | v[3];
			dhcp_build_set_siaddr(b, ip ? ip : c->server_id);
		}
		if (lease) {
			dhcp_build_opt_u32(b, DHCP_OPT_LEASE_TIME, lease);
			if (lease != DHCP_CFG_LEASE_INFINITE) {
				/* T1 50 %, T2 87.5 % (RFC 2131 §4.4.5) unless configured */
				if (p->send[DHCP_OPT_T1])
					dhcp_build_opt(b, DHCP_OPT_T1, p->val[DHCP_OPT_T1],
					               p->len[DHCP_OPT_T1]);
				else
					dhcp_build_opt_u32(b, DHCP_OPT_T1, lease / 2);
				if (p->send[DHCP_OPT_T2])
					dhcp_build_opt(b, DHCP_OPT_T2, p->val[DHCP_OPT_T2],
					               p->len[DHCP_OPT_T2]);
				else
					dhcp_build_opt_u32(b, DHCP_OPT_T2,
					                   (uint32_t)((uint64_t)lease * 7 / 8));
			}
		}
		if (rapid)
			dhcp_build_opt(b, DHCP_OPT_RAPID_COMMIT, NULL, 0);
		const uint8_t *prl = NULL;
		size_t nprl = 0;
		bool have_prl = dhcp_opt_prl(m, &prl, &nprl) == 0;
		bool done[256] = { false };
		for (size_t i = 0; have_prl && i < nprl && level < 2; i++) {
			unsigned k = prl[i];
			if (k == DHCP_OPT_CLIENT_FQDN || done[k] || !p->send[k] ||
			    k == DHCP_OPT_T1 || k == DHCP_OPT_T2)
				continue;
			done[k] = true;
			dhcp_build_opt(b, (uint8_t)k, p->val[k], p->len[k]);
		}
		for (unsigned k = 1; k < 255; k++) {
			if (k == DHCP_OPT_CLIENT_FQDN || done[k] || !p->send[k] ||
			    k == DHCP_OPT_T1 || k == DHCP_OPT_T2)
				continue;
			bool basic = k == DHCP_OPT_SUBNET_MASK || k == DHCP_OPT_BROADCAST;
			if (level == 2 && !basic)
				continue;
			if (level == 1 && !basic && !have_prl)
				continue;
			if (!p->force[k] && !requested(prl, nprl, have_prl, k))
				continue;
			if (level == 1 && !basic && !requested(prl, nprl, have_prl, k))
				continue;
			dhcp_build_opt(b, (uint8_t)k, p->val[k], p->len[k]);
		}
		if (p->send[DHCP_OPT_CLIENT_FQDN] && level < 2)
			dhcp_build_opt(b, DHCP_OPT_CLIENT_FQDN,
			               p->val[DHCP_OPT_CLIENT_FQDN],
			               p->len[DHCP_OPT_CLIENT_FQDN]);
	}
	size_t rl;
	const uint8_t *rai = dhcp_opt_get(m, DHCP_OPT_RELAY_AGENT, &rl);
	if (rai && m->giaddr)
		dhcp_build_opt(b, DHCP_OPT_RELAY_AGENT, rai, rl);
	return dhcp_build_finish(b);
}

int reply_build(req_ctx *c, int type, uint32_t yiaddr, uint32_t lease,
                const char *nak_msg, bool rapid)
{
	dhcp_engine *e = c->e;
	dhcp_builder b;
	int n = WARD_ESPACE;
	for (int level = 0; level < 3 && n == WARD_ESPACE; level++)
		n = build_level(c, &b, type, yiaddr, lease, nak_msg, rapid, level);
	if (n < 0)
		return n;
	if ((size_t)n > sizeof c->out->pkt)
		return WARD_ESPACE;
	memcpy(c->out->pkt, e->build, (size_t)n);
	dhcp_action *a = out_push(c->out, DHCP_ACT_SEND);
	if (!a)
		return WARD_ELIMIT;
	bool bcast_tag = false;
	for (size_t i = 0; i < e->cfg->nbroadcasts; i++)
		if (tags_match(e, e->bcast_match[i], &c->full))
			bcast_tag = true;
	dhcp_act_send *s = &a->u.send;
	set_dest(c, s, type, yiaddr, bcast_tag);
	s->msg_type = (uint8_t)type;
	s->pkt = c->out->pkt;
	s->len = (size_t)n;
	return 0;
}
