/* ward DHCP engine: the server side of RFC 2131 §4.3 — DISCOVER, REQUEST
 * (SELECTING, INIT-REBOOT, RENEWING, REBINDING), DECLINE, RELEASE, INFORM —
 * with dnsmasq's choices where the RFC leaves them open (docs/dhcp.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dhcp/engine_int.h"

void dhcp_config_init(dhcp_config *c)
{
	memset(c, 0, sizeof *c);
	c->dns_server = true;
	c->lease_max = DHCP_CFG_DEFAULT_LEASE_MAX;
}

dhcp_action *out_push(dhcp_out *o, enum dhcp_action_kind k)
{
	if (o->n >= DHCP_OUT_MAX)
		return NULL;
	dhcp_action *a = &o->act[o->n++];
	memset(a, 0, sizeof *a);
	a->kind = k;
	return a;
}

int dhcp_engine_new(const dhcp_config *cfg, dhcp_engine **out)
{
	*out = NULL;
	for (size_t i = 0; i < cfg->nranges; i++)
		if (cfg->ranges[i].start > cfg->ranges[i].end ||
		    cfg->ranges[i].start == 0)
			return WARD_EDHCPCFG;
	dhcp_engine *e = calloc(1, sizeof *e);
	if (!e)
		return WARD_ENOMEM;
	e->cfg = cfg;
	int r = lt_init(&e->lt);
	if (r == 0)
		r = tags_build(e);
	if (r == 0)
		r = engine_resv_build(e);
	if (r == 0)
		r = host_index_build(e);
	if (r < 0) {
		dhcp_engine_free(e);
		return r;
	}
	*out = e;
	return 0;
}

void dhcp_engine_free(dhcp_engine *e)
{
	if (!e)
		return;
	lt_fini(&e->lt);
	tags_free(e);
	host_index_free(e);
	free(e->resv);
	free(e);
}

/* ---- actions ---- */

void name_action(dhcp_out *o, const dhcp_engine *e,
                        const struct dhcp_lease *l, bool add)
{
	if (!l->hostname[0])
		return;
	dhcp_action *a = out_push(o, DHCP_ACT_NAME);
	if (!a)
		return;
	a->u.name.add = add;
	a->u.name.ip = l->ip;
	str_copy(a->u.name.host, sizeof a->u.name.host, l->hostname);
	const char *d = domain_for(e, l->ip);
	str_copy(a->u.name.domain, sizeof a->u.name.domain, d ? d : "");
}

void lease_action(dhcp_out *o, const struct dhcp_lease *l,
                         enum dhcp_lease_op op)
{
	dhcp_action *a = out_push(o, DHCP_ACT_LEASE);
	if (!a)
		return;
	a->u.lease.op = op;
	a->u.lease.lease = *l;
}

/* Remove a lease: DEL, then the name goes. */
void lease_drop(dhcp_engine *e, int32_t i, dhcp_out *o)
{
	lt_ent *x = lt_get(&e->lt, i);
	if (x->kind == LT_LEASE) {
		lease_action(o, &x->l, DHCP_LEASE_DEL);
		name_action(o, e, &x->l, false);
	}
	lt_release(&e->lt, i);
}

void engine_expire(dhcp_engine *e, int64_t now, dhcp_out *o, size_t max)
{
	for (size_t k = 0; k < max && o->n + 4 <= DHCP_OUT_MAX; k++) {
		int32_t i = lt_pop_expired(&e->lt, now);
		if (i < 0)
			return;
		lease_drop(e, i, o);
	}
}

void engine_set_wakeup(dhcp_engine *e, int64_t now, dhcp_out *o)
{
	int64_t t = lt_next_expiry(&e->lt);
	o->wakeup = t ? (t < now ? now : t) : 0;
}

int dhcp_engine_tick(dhcp_engine *e, int64_t now, dhcp_out *out)
{
	out->n = 0;
	out->note = NULL;
	engine_expire(e, now, out, DHCP_OUT_MAX);
	engine_set_wakeup(e, now, out);
	return 0;
}

int dhcp_engine_lease_delete(dhcp_engine *e, uint32_t ip, int64_t now,
                             dhcp_out *out)
{
	out->n = 0;
	out->note = NULL;
	int32_t i = lt_find_ip(&e->lt, ip);
	int r = WARD_ENOTFOUND;
	if (i >= 0 && lt_get(&e->lt, i)->kind == LT_LEASE) {
		lease_drop(e, i, out);   /* what do_release does */
		r = 0;
	}
	engine_set_wakeup(e, now, out);
	return r;
}

/* ---- leases loaded at start ---- */

int dhcp_engine_lease_load(dhcp_engine *e, const struct dhcp_lease *l,
                           int64_t now)
{
	if (l->ip == 0 || l->hlen > DHCP_LEASE_HWADDR_MAX ||
	    l->cid_len > DHCP_LEASE_CLIENTID_MAX)
		return WARD_EINVAL;
	if (l->expires != DHCP_LEASE_INFINITE && l->expires <= now)
		return 0;
	int32_t old = lt_find_ip(&e->lt, l->ip);
	if (old >= 0)
		lt_release(&e->lt, old);
	int32_t i = lt_alloc(&e->lt, LT_LEASE);
	if (i < 0)
		return i;
	lt_ent *x = lt_get(&e->lt, i);
	x->l = *l;
	x->l.hostname[DHCP_LEASE_HOSTNAME_MAX] = '\0';
	/* one label is the name we register: cut a loaded FQDN */
	char *dot = strchr(x->l.hostname, '.');
	if (dot)
		*dot = '\0';
	lt_link(&e->lt, i);
	return 0;
}

/* ---- queries ---- */

size_t dhcp_engine_lease_count(const dhcp_engine *e)
{
	return e->lt.count[LT_LEASE];
}

const struct dhcp_lease *dhcp_engine_lease_find(const dhcp_engine *e,
                                                uint32_t ip)
{
	int32_t i = lt_find_ip(&e->lt, ip);
	return i >= 0 && e->lt.ent[i].kind == LT_LEASE ? &e->lt.ent[i].l : NULL;
}

void dhcp_engine_lease_foreach(const dhcp_engine *e,
                               void (*fn)(void *ctx, const struct dhcp_lease *l),
                               void *ctx)
{
	for (size_t i = 0; i < e->lt.cap; i++)
		if (e->lt.ent[i].kind == LT_LEASE)
			fn(ctx, &e->lt.ent[i].l);
}

bool dhcp_engine_addr_held(const dhcp_engine *e, uint32_t ip, int64_t now)
{
	int32_t i = lt_find_ip(&e->lt, ip);
	return i >= 0 && (e->lt.ent[i].kind == LT_DECLINED ||
	                  e->lt.ent[i].kind == LT_OFFER) &&
	       e->lt.ent[i].l.expires > now;
}

void dhcp_engine_names(const dhcp_engine *e,
                       void (*fn)(void *ctx, const dhcp_act_name *n),
                       void *ctx)
{
	dhcp_act_name n;
	for (size_t i = 0; i < e->lt.cap; i++) {
		const struct dhcp_lease *l = &e->lt.ent[i].l;
		if (e->lt.ent[i].kind != LT_LEASE || !l->hostname[0])
			continue;
		memset(&n, 0, sizeof n);
		n.add = true;
		n.ip = l->ip;
		str_copy(n.host, sizeof n.host, l->hostname);
		const char *d = domain_for(e, l->ip);
		str_copy(n.domain, sizeof n.domain, d ? d : "");
		fn(ctx, &n);
	}
}
