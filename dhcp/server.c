/* ward DHCP engine: one client message in, actions out (RFC 2131 §4.3).
 * Where the RFC leaves a choice, dnsmasq's rfc2131.c behaviour is kept:
 * a REQUEST for an address we cannot give is NAKed when the server id is
 * ours or we are authoritative; a client we do not know is ignored in
 * INIT-REBOOT and RENEWING unless dhcp-authoritative; a broadcast
 * REBINDING for a lease we do not have is ignored (it may be another
 * server's). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dhcp/engine_int.h"

/* ---- the client's name ---- */

static bool label_char(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* The first label of what the client sent (option 81 over 12), if it is a
 * legal host name (dnsmasq's legal_hostname: letters, digits, '-', '_';
 * not starting or ending with '-'). */
static void client_name(const req_ctx *c, char *out)
{
	const uint8_t *s = NULL;
	size_t n = 0;
	out[0] = '\0';
	if (c->has_fqdn && c->fqdn.text[0]) {
		s = (const uint8_t *)c->fqdn.text;
		n = strlen(c->fqdn.text);
	} else if (c->hname) {
		s = c->hname;
		n = c->hname_len;
	}
	size_t l = 0;
	while (l < n && s[l] != '.')
		l++;
	if (l == 0 || l > DHCP_HOSTNAME_LABEL_MAX || s[0] == '-' || s[l - 1] == '-')
		return;
	for (size_t i = 0; i < l; i++)
		if (!label_char(s[i]))
			return;
	memcpy(out, s, l);
	out[l] = '\0';
}

static void choose_name(req_ctx *c)
{
	const dhcp_config *cfg = c->e->cfg;
	c->name_auth = false;
	if (c->host >= 0 && cfg->hosts[c->host].hostname) {
		str_copy(c->name, sizeof c->name, cfg->hosts[c->host].hostname);
		char *dot = strchr(c->name, '.');
		if (dot)
			*dot = '\0';
		c->name_auth = true;
		return;
	}
	client_name(c, c->name);
}

static bool name_is_configured(const dhcp_engine *e, const char *name)
{
	for (size_t i = 0; i < e->cfg->nhosts; i++)
		if (e->cfg->hosts[i].hostname &&
		    !strncasecmp(e->cfg->hosts[i].hostname, name, strlen(name)) &&
		    (e->cfg->hosts[i].hostname[strlen(name)] == '\0' ||
		     e->cfg->hosts[i].hostname[strlen(name)] == '.'))
			return true;
	return false;
}

/* ---- lease changes ---- */

static uint32_t lease_time(const req_ctx *c, uint32_t ip)
{
	const dhcp_config *cfg = c->e->cfg;
	uint32_t t = DHCP_CFG_DEFAULT_LEASE;
	int r = range_of_addr(c, ip, &c->tags);
	if (r >= 0)
		t = cfg->ranges[r].lease;
	if (c->host >= 0 && cfg->hosts[c->host].has_lease)
		t = cfg->hosts[c->host].lease;
	uint32_t req;
	if (dhcp_opt_lease_time(c->m, &req) == 0 && req < t)
		t = req; /* a client may ask for less (RFC 2131 §4.3.1) */
	if (t < DHCP_LEASE_MIN_TIME)
		t = DHCP_LEASE_MIN_TIME;
	return t;
}

/* Give ip to the client: its other lease goes, any offer on ip goes, the
 * name moves; the PUT comes before the reply that is built after it. */
static int commit(req_ctx *c, uint32_t ip, uint32_t secs)
{
	dhcp_engine *e = c->e;
	dhcp_out *o = c->out;
	int32_t mine = lt_find_client(&e->lt, c->htype, c->hw, c->hlen, c->cid,
	                              c->cid_len);
	if (mine >= 0 && lt_get(&e->lt, mine)->l.ip != ip) {
		lease_drop(e, mine, o);
		mine = -1;
	}
	int32_t at = lt_find_ip(&e->lt, ip);
	if (at >= 0 && at != mine) {
		lt_ent *x = lt_get(&e->lt, at);
		if (x->kind == LT_LEASE && !lease_abandonable(c, at, ip))
			return WARD_EINVAL; /* checked by the caller: cannot happen */
		/* another client's offer, a stale hold, or the lease of another
		 * MAC of this dhcp-host (DEL first) */
		lease_drop(e, at, o);
	}
	char oldname[DHCP_LEASE_HOSTNAME_MAX + 1] = "";
	bool was_lease = false;
	if (mine >= 0) {
		lt_ent *x = lt_get(&e->lt, mine);
		was_lease = x->kind == LT_LEASE;
		if (was_lease)
			str_copy(oldname, sizeof oldname, x->l.hostname);
		lt_unlink(&e->lt, mine);
		if (x->kind == LT_OFFER) {
			e->lt.count[LT_OFFER]--;
			e->lt.count[LT_LEASE]++;
			x->kind = LT_LEASE;
		}
	} else {
		mine = lt_alloc(&e->lt, LT_LEASE);
		if (mine < 0)
			return mine;
	}
	lt_ent *x = lt_get(&e->lt, mine);
	/* the name: a dhcp-host name takes it from another lease; a client's
	 * own name does not take a dhcp-host name (dnsmasq) */
	char name[DHCP_HOSTNAME_LABEL_MAX + 1];
	str_copy(name, sizeof name, c->name);
	if (name[0]) {
		int32_t other = lt_find_name(&e->lt, name);
		if (other >= 0 && other != mine) {
			lt_ent *y = lt_get(&e->lt, other);
			if (!c->name_auth && name_is_configured(e, name)) {
				name[0] = '\0';
			} else {
				name_action(o, e, &y->l, false);
				lt_unlink(&e->lt, other);
				y->l.hostname[0] = '\0';
				lt_link(&e->lt, other);
				lease_action(o, &y->l, DHCP_LEASE_PUT);
			}
		}
	}
	if (was_lease && strcasecmp(oldname, name) && oldname[0]) {
		struct dhcp_lease tmp = x->l;
		str_copy(tmp.hostname, sizeof tmp.hostname, oldname);
		name_action(o, e, &tmp, false);
	}
	x->l.ip = ip;
	x->l.htype = c->htype;
	x->l.hlen = c->hlen;
	memset(x->l.hw, 0, sizeof x->l.hw);
	memcpy(x->l.hw, c->hw, c->hlen);
	x->l.cid_len = (uint16_t)c->cid_len;
	memset(x->l.cid, 0, sizeof x->l.cid);
	if (c->cid_len)
		memcpy(x->l.cid, c->cid, c->cid_len);
	str_copy(x->l.hostname, sizeof x->l.hostname, name);
	x->l.expires = secs == DHCP_CFG_LEASE_INFINITE ?
	               DHCP_LEASE_INFINITE : c->now + secs;
	lt_link(&e->lt, mine);
	lease_action(o, &x->l, DHCP_LEASE_PUT);
	if (name[0] && (!was_lease || strcasecmp(oldname, name)))
		name_action(o, e, &x->l, true);
	str_copy(c->name, sizeof c->name, name);
	return 0;
}

/* Hold an offered address for the client (not durable). */
static void hold_offer(req_ctx *c, int32_t mine, uint32_t ip)
{
	dhcp_engine *e = c->e;
	if (mine >= 0) {
		lt_ent *x = lt_get(&e->lt, mine);
		if (x->kind == LT_LEASE)
			return; /* the lease itself holds its address */
		if (x->l.ip == ip) {
			lt_set_expiry(&e->lt, mine, c->now + DHCP_OFFER_HOLD);
			return;
		}
		lt_release(&e->lt, mine);
	}
	if (e->lt.count[LT_OFFER] >= DHCP_OFFER_MAX)
		return;
	int32_t at = lt_find_ip(&e->lt, ip);
	if (at >= 0 && lt_get(&e->lt, at)->kind == LT_LEASE)
		return; /* another MAC's lease of this dhcp-host: goes at the ACK */
	if (at >= 0)
		lt_release(&e->lt, at); /* an expired hold */
	int32_t i = lt_alloc(&e->lt, LT_OFFER);
	if (i < 0)
		return;
	lt_ent *x = lt_get(&e->lt, i);
	x->l.ip = ip;
	x->l.htype = c->htype;
	x->l.hlen = c->hlen;
	memcpy(x->l.hw, c->hw, c->hlen);
	x->l.cid_len = (uint16_t)c->cid_len;
	if (c->cid_len)
		memcpy(x->l.cid, c->cid, c->cid_len);
	x->l.expires = c->now + DHCP_OFFER_HOLD;
	lt_link(&e->lt, i);
}

/* ---- the messages ---- */

static bool ignored(const req_ctx *c)
{
	const dhcp_engine *e = c->e;
	if (c->host >= 0 && e->cfg->hosts[c->host].ignore)
		return true;
	for (size_t i = 0; i < e->cfg->nignores; i++)
		if (tags_match(e, e->ignore_match[i], &c->full))
			return true;
	return false;
}

static bool lease_full(const req_ctx *c)
{
	return c->e->lt.count[LT_LEASE] >= c->e->cfg->lease_max;
}

static int do_discover(req_ctx *c, const tagset *base)
{
	dhcp_engine *e = c->e;
	int32_t mine = lt_find_client(&e->lt, c->htype, c->hw, c->hlen, c->cid,
	                              c->cid_len);
	bool has_lease = mine >= 0 && lt_get(&e->lt, mine)->kind == LT_LEASE;
	if (!has_lease && lease_full(c)) {
		c->out->note = "dhcp-lease-max reached: no offer";
		return 0;
	}
	uint32_t ip = addr_choose(c, mine, &c->tags);
	if (!ip) {
		c->out->note = "no address available";
		return 0;
	}
	c->range = range_of_addr(c, ip, &c->tags);
	tags_finish(c, base);
	if (ignored(c)) {
		c->out->note = "ignored (dhcp-ignore)";
		return 0;
	}
	choose_name(c);
	uint32_t secs = lease_time(c, ip);
	/* RFC 4039: rapid commit straight to ACK when configured */
	if (e->cfg->rapid_commit && dhcp_opt_rapid_commit(c->m) == 1) {
		int r = commit(c, ip, secs);
		if (r < 0)
			return r;
		return reply_build(c, DHCP_ACK, ip, secs, NULL, true);
	}
	hold_offer(c, mine, ip);
	return reply_build(c, DHCP_OFFER, ip, secs, NULL, false);
}

static int nak(req_ctx *c, const char *why)
{
	c->out->note = why;
	return reply_build(c, DHCP_NAK, 0, 0, why, false);
}

static int do_request(req_ctx *c, const tagset *base)
{
	dhcp_engine *e = c->e;
	const dhcp_msg *m = c->m;
	uint32_t sid, ip = 0;
	int32_t mine = lt_find_client(&e->lt, c->htype, c->hw, c->hlen, c->cid,
	                              c->cid_len);
	lt_ent *lease = mine >= 0 && lt_get(&e->lt, mine)->kind == LT_LEASE ?
	                lt_get(&e->lt, mine) : NULL;
	bool have_sid = dhcp_opt_server_id(m, &sid) == 0;
	bool have_req = dhcp_opt_requested_ip(m, &ip) == 0;
	bool selecting = false;
	c->range = -1;
	tags_finish(c, base);
	if (have_sid) {
		/* SELECTING (§4.3.2): the client chose a server */
		if (sid != c->server_id) {
			if (mine >= 0 && lt_get(&e->lt, mine)->kind == LT_OFFER)
				lt_release(&e->lt, mine);
			c->out->note = "REQUEST for another server";
			return 0;
		}
		if (!have_req)
			ip = m->ciaddr;
		if (!ip) {
			c->out->note = "SELECTING without requested address";
			return 0;
		}
		selecting = true;
	} else if (have_req && !m->ciaddr) {
		/* INIT-REBOOT: a client verifying a remembered address */
		if (!lease && !e->cfg->authoritative) {
			c->out->note = "INIT-REBOOT for an unknown lease (not authoritative)";
			return 0;
		}
		if (lease && lease->l.ip != ip)
			return nak(c, "wrong address");
	} else {
		/* RENEWING (unicast) or REBINDING (broadcast) */
		ip = m->ciaddr;
		if (!ip) {
			c->out->note = "REQUEST without address";
			return 0;
		}
		if ((lease && lease->l.ip != ip) || (!lease && !e->cfg->authoritative)) {
			if (!c->rx->unicast) {
				c->out->note = "REBINDING for a lease we do not have";
				return 0;
			}
			return nak(c, "lease not found");
		}
	}
	(void)selecting;
	c->range = range_of_addr(c, ip, &c->tags);
	tags_finish(c, base);
	if (ignored(c)) {
		c->out->note = "ignored (dhcp-ignore)";
		return 0;
	}
	const dhcp_cfg_host *h = c->host >= 0 ? &e->cfg->hosts[c->host] : NULL;
	bool is_resv = h && h->has_ip && h->ip == ip;
	if (c->range < 0)
		return nak(c, "wrong network");
	if (!addr_dynamic(c, ip, &c->tags) && !is_resv)
		return nak(c, "address not available");
	if (h && h->has_ip && !is_resv && range_of_addr(c, h->ip, &c->tags) >= 0 &&
	    lt_find_ip(&e->lt, h->ip) < 0)
		return nak(c, "static lease available");
	if (addr_reserved_other(c, ip))
		return nak(c, "address reserved");
	if (!addr_free(c, ip, lease ? mine : (mine >= 0 && lt_get(&e->lt, mine)->l.ip == ip ? mine : -1),
	               c->range))
		return nak(c, "address in use");
	if (!lease && lease_full(c))
		return nak(c, "no leases left");
	choose_name(c);
	uint32_t secs = lease_time(c, ip);
	int r = commit(c, ip, secs);
	if (r < 0)
		return r;
	return reply_build(c, DHCP_ACK, ip, secs, NULL, false);
}

static int do_decline(req_ctx *c)
{
	dhcp_engine *e = c->e;
	uint32_t sid, ip;
	if (dhcp_opt_server_id(c->m, &sid) != 0 || sid != c->server_id ||
	    dhcp_opt_requested_ip(c->m, &ip) != 0) {
		c->out->note = "DECLINE not for us";
		return 0;
	}
	int32_t mine = lt_find_client(&e->lt, c->htype, c->hw, c->hlen, c->cid,
	                              c->cid_len);
	int32_t at = lt_find_ip(&e->lt, ip);
	if (at >= 0 && at != mine && lt_get(&e->lt, at)->kind == LT_LEASE) {
		c->out->note = "DECLINE of another client's address";
		return 0;
	}
	bool ours = false;
	for (size_t r = 0; r < e->cfg->nranges && !ours; r++) {
		uint32_t mask;
		ours = range_on_net(c, r, &mask) &&
		       (ip & mask) == (e->cfg->ranges[r].start & mask);
	}
	if (!ours) {
		c->out->note = "DECLINE of an address not ours";
		return 0;
	}
	if (at >= 0)
		lease_drop(e, at, c->out);
	if (e->lt.count[LT_DECLINED] >= DHCP_DECLINE_MAX) {
		c->out->note = "DECLINE: quarantine full";
		return 0;
	}
	int32_t i = lt_alloc(&e->lt, LT_DECLINED);
	if (i < 0)
		return i;
	lt_get(&e->lt, i)->l.ip = ip;
	lt_get(&e->lt, i)->l.expires = c->now + DHCP_DECLINE_QUARANTINE;
	lt_link(&e->lt, i);
	c->out->note = "address declined: in quarantine";
	return 0;
}

static int do_release(req_ctx *c)
{
	dhcp_engine *e = c->e;
	uint32_t sid;
	if (dhcp_opt_server_id(c->m, &sid) != 0 || sid != c->server_id) {
		c->out->note = "RELEASE not for us";
		return 0;
	}
	int32_t mine = lt_find_client(&e->lt, c->htype, c->hw, c->hlen, c->cid,
	                              c->cid_len);
	if (mine < 0 || lt_get(&e->lt, mine)->l.ip != c->m->ciaddr ||
	    lt_get(&e->lt, mine)->kind != LT_LEASE) {
		c->out->note = "RELEASE of an unknown lease";
		return 0;
	}
	lease_drop(e, mine, c->out);
	return 0;
}

static int do_inform(req_ctx *c, const tagset *base)
{
	/* RFC 2131 §4.3.5: options only, no lease, no yiaddr */
	if (!c->m->ciaddr) {
		c->out->note = "INFORM without ciaddr";
		return 0;
	}
	c->range = -1;
	tags_finish(c, base);
	c->range = range_of_addr(c, c->m->ciaddr, &c->tags);
	tags_finish(c, base);
	if (c->range < 0) {
		c->out->note = "INFORM from another network";
		return 0;
	}
	if (ignored(c)) {
		c->out->note = "ignored (dhcp-ignore)";
		return 0;
	}
	c->name[0] = '\0';
	return reply_build(c, DHCP_ACK, 0, 0, NULL, false);
}

int dhcp_engine_input(dhcp_engine *e, const dhcp_rx *rx, int64_t now,
                      dhcp_out *out)
{
	out->n = 0;
	out->note = NULL;
	out->wakeup = 0;
	if (!rx || !rx->naddrs || (!rx->pkt && rx->len))
		return WARD_EINVAL;
	/* leases past their time go first, so their addresses are free */
	engine_expire(e, now, out, DHCP_EXPIRE_BATCH);
	int r = dhcp_parse(&e->msg, rx->pkt, rx->len);
	if (r < 0) {
		engine_set_wakeup(e, now, out);
		return r;
	}
	req_ctx ctx, *c = &ctx;
	memset(c, 0, sizeof *c);
	c->e = e;
	c->rx = rx;
	c->m = &e->msg;
	c->now = now;
	c->out = out;
	c->host = -1;
	c->range = -1;
	r = WARD_EDHCPMSG;
	c->type = dhcp_msg_type(c->m);
	if (c->m->op != DHCP_BOOTREQUEST || c->type <= 0)
		goto done;
	c->htype = c->m->htype;
	c->hlen = c->m->hlen > DHCP_LEASE_HWADDR_MAX ? DHCP_LEASE_HWADDR_MAX
	                                              : c->m->hlen;
	c->hw = c->m->chaddr;
	if (dhcp_opt_client_id(c->m, &c->raw_cid, &c->raw_cid_len) == 0 &&
	    c->raw_cid_len <= DHCP_LEASE_CLIENTID_MAX) {
		c->cid = c->raw_cid;
		c->cid_len = c->raw_cid_len;
	} else {
		c->raw_cid = NULL;
		c->raw_cid_len = 0;
	}
	if (!c->hlen && !c->cid_len) {
		out->note = "no client identity (no chaddr, no client id)";
		r = 0;
		goto done;
	}
	if (dhcp_opt_hostname(c->m, &c->hname, &c->hname_len) != 0)
		c->hname = NULL;
	c->has_fqdn = dhcp_opt_fqdn(c->m, &c->fqdn) == 0;
	c->server_id = rx->addrs[0].addr;
	uint32_t sel;
	const uint8_t *link;
	size_t link_len;
	if (c->m->giaddr) {
		c->relayed = c->net_given = true;
		c->net_addr = c->m->giaddr;
		/* RFC 3527: the relay names the client's link in option 82 */
		if (dhcp_opt_rai_find(c->m, DHCP_RAI_LINK_SELECTION, &link,
		                      &link_len) == 0 && link_len == 4)
			c->net_addr = (uint32_t)link[0] << 24 | (uint32_t)link[1] << 16 |
			              (uint32_t)link[2] << 8 | link[3];
	} else if (dhcp_opt_ip(c->m, DHCP_OPT_SUBNET_SELECT, &sel) == 0 && sel) {
		c->net_given = true;
		c->net_addr = sel; /* RFC 3011 */
	} else {
		c->net_addr = c->server_id;
	}
	tags_client(c);
	tagset base = c->tags;
	tags_finish(c, &base);
	switch (c->type) {
	case DHCP_DISCOVER: r = do_discover(c, &base); break;
	case DHCP_REQUEST: r = do_request(c, &base); break;
	case DHCP_DECLINE: r = do_decline(c); break;
	case DHCP_RELEASE: r = do_release(c); break;
	case DHCP_INFORM: r = do_inform(c, &base); break;
	default:
		out->note = "not a message a server answers";
		r = 0;
		break;
	}
done:
	engine_set_wakeup(e, now, out);
	return r;
}
