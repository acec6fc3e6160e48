/* wardd setup: the local data store from the configuration (dnsmasq
 * semantics, docs/localdata.md): /etc/hosts and addn-hosts= (files and
 * directories), expand-hosts + domain=, local=, address=, host-record=,
 * cname=, txt-record=, srv-host=, mx-host=, ptr-record=, domain-needed,
 * bogus-priv, local-ttl=. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "codec/error.h"
#include "daemon/setup_int.h"
#include "resolver/hosts.h"

/* This machine's host name, or NULL (then localdata uses the MX owner). */
static const char *host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) != 0)
		return NULL;
	buf[len - 1] = '\0';
	return buf[0] ? buf : NULL;
}

static const char *name_text(const conf_name *n, char buf[DNS_NAME_TEXT_MAX])
{
	dns_name d;
	conf_name_get(n, &d);
	return dns_name_str(&d, buf);
}

static void hosts_diag(void *ctx, const char *msg)
{
	setup_logf(ctx, true, "%s", msg);
}

static int load_hosts_file(struct setup_ctx *x, const char *path)
{
	char *text;
	size_t len;
	if (setup_read(x, path, &text, &len) < 0) {
		/* dnsmasq: "failed to load names from FILE": a warning */
		setup_logf(x, true, "failed to load names from %s: %s", path,
		           x->why);
		return 0;
	}
	struct localdata_load_stats st;
	memset(&st, 0, sizeof st);
	int r = hosts_load_buffer(x->s->ld, path, text, len, hosts_diag, x, &st);
	free(text);
	x->s->hosts_entries += st.entries;
	x->s->hosts_files++;
	return r == WARD_ENOMEM ? r : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* addn-hosts=PATH: a file, or every file of a directory (sorted). */
static int load_hosts_path(struct setup_ctx *x, const char *path)
{
	char **names = NULL;
	size_t n = 0;
	const char *why = NULL;
	if (x->c->io.list_dir(x->c->io.ctx, path, &names, &n, &why) < 0)
		return load_hosts_file(x, path);
	qsort(names, n, sizeof *names, cmp_str);
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		if (!r) {
			size_t pl = strlen(path), nl = strlen(names[i]);
			char *full = malloc(pl + nl + 2);
			if (!full) {
				r = WARD_ENOMEM;
			} else {
				memcpy(full, path, pl);
				full[pl] = '/';
				memcpy(full + pl + 1, names[i], nl + 1);
				r = load_hosts_file(x, full);
				free(full);
			}
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int setup_local_only(struct setup_ctx *x, const dns_name *d)
{
	char t[DNS_NAME_TEXT_MAX];
	const char *txt = d->len == 1 ? "#" : dns_name_str(d, t);
	int r = localdata_add_local(x->s->ld, txt);
	return r == WARD_ENOMEM ? r : 0;
}

/* A failed add: ENOMEM is fatal, anything else a warning with the line. */
static int added(struct setup_ctx *x, int r, const conf_loc *loc,
                 const char *opt)
{
	if (r >= 0)
		return 0;
	if (r == WARD_ENOMEM)
		return r;
	setup_logf(x, true, "%s:%u: %s: %s; ignored", loc->file, loc->line, opt,
	           ward_strerror(r));
	return 0;
}

static int domains(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	bool have = false;
	for (size_t i = 0; i < c->domains.n; i++) {
		const conf_domain_rule *d = &c->domains.v[i];
		if (d->from_resolv || !d->name.len)
			continue;
		char t[DNS_NAME_TEXT_MAX];
		const char *txt = name_text(&d->name, t);
		/* the domain of hosts names: the first domain= for every address */
		if (!have && d->scope == CONF_DOMAIN_ALL) {
			int r = added(x, localdata_set_domain(x->s->ld, txt), &d->loc,
			              "domain");
			if (r)
				return r;
			have = true;
		}
		if (d->local) {
			int r = added(x, localdata_add_local(x->s->ld, txt), &d->loc,
			              "domain");
			if (r)
				return r;
		}
	}
	return 0;
}

static int addresses(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	for (size_t i = 0; i < c->addresses.n; i++) {
		const conf_address *a = &c->addresses.v[i];
		for (size_t k = 0; k < a->ndomains; k++) {
			const conf_domain *d = &a->domains[k];
			char t[DNS_NAME_TEXT_MAX];
			const char *txt;
			if (d->match == CONF_MATCH_ANY) {
				txt = "#";
			} else if (d->match == CONF_MATCH_DOMAIN ||
			           d->match == CONF_MATCH_BELOW) {
				txt = name_text(&d->name, t);
			} else {
				setup_logf(x, true, "%s:%u: address: this domain pattern is "
				           "not supported by wardd yet; ignored",
				           a->loc.file, a->loc.line);
				continue;
			}
			int r;
			if (a->kind == CONF_ADDRESS_NXDOMAIN)
				r = localdata_add_local(x->s->ld, txt);
			else if (a->kind == CONF_ADDRESS_NULL)
				r = localdata_add_address(x->s->ld, txt, 0, NULL);
			else
				r = localdata_add_address(x->s->ld, txt, a->ip.family,
				                          a->ip.addr);
			if ((r = added(x, r, &a->loc, "address")) != 0)
				return r;
		}
	}
	return 0;
}

#define NAMES_MAX 64  /* names of one host-record= / cname= handled */

static int host_records(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	for (size_t i = 0; i < c->host_records.n; i++) {
		const conf_host_record *h = &c->host_records.v[i];
		static char bufs[NAMES_MAX][DNS_NAME_TEXT_MAX];
		const char *names[NAMES_MAX];
		size_t n = h->nnames < NAMES_MAX ? h->nnames : NAMES_MAX;
		for (size_t k = 0; k < n; k++)
			names[k] = name_text(&h->names[k], bufs[k]);
		int r = localdata_add_host_record(x->s->ld, names, n,
		                                  h->has_v4 ? h->v4.addr : NULL,
		                                  h->has_v6 ? h->v6.addr : NULL,
		                                  h->ttl == CONF_UNSET ? LD_TTL_DEFAULT
		                                                       : h->ttl);
		if ((r = added(x, r, &h->loc, "host-record")) != 0)
			return r;
	}
	for (size_t i = 0; i < c->cnames.n; i++) {
		const conf_cname *cn = &c->cnames.v[i];
		static char bufs[NAMES_MAX][DNS_NAME_TEXT_MAX];
		const char *names[NAMES_MAX];
		size_t n = cn->naliases < NAMES_MAX ? cn->naliases : NAMES_MAX;
		for (size_t k = 0; k < n; k++)
			names[k] = name_text(&cn->aliases[k], bufs[k]);
		char t[DNS_NAME_TEXT_MAX];
		int r = localdata_add_cname(x->s->ld, names, n,
		                            name_text(&cn->target, t),
		                            cn->ttl == CONF_UNSET ? LD_TTL_DEFAULT
		                                                  : cn->ttl);
		if ((r = added(x, r, &cn->loc, "cname")) != 0)
			return r;
	}
	return 0;
}

#define TXT_STRINGS_MAX 64

static int txt_records(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	for (size_t i = 0; i < c->txt_records.n; i++) {
		const conf_txt *t = &c->txt_records.v[i];
		static char strs[TXT_STRINGS_MAX][256];
		const char *ptrs[TXT_STRINGS_MAX];
		size_t n = 0, p = 0;
		while (p < t->rdlen && n < TXT_STRINGS_MAX) {
			size_t l = t->rdata[p++];
			if (l > (size_t)t->rdlen - p)
				l = (size_t)t->rdlen - p;
			memcpy(strs[n], t->rdata + p, l);
			strs[n][l] = 0;
			ptrs[n] = strs[n];
			n++;
			p += l;
		}
		char nb[DNS_NAME_TEXT_MAX];
		int r = localdata_add_txt(x->s->ld, name_text(&t->name, nb), ptrs, n);
		if ((r = added(x, r, &t->loc, "txt-record")) != 0)
			return r;
	}
	return 0;
}

static int srv_mx_ptr(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	/* relative srv-host= names get the domain= suffix (dnsmasq) */
	const conf_name *dom = NULL;
	for (size_t i = 0; i < c->domains.n && !dom; i++)
		if (c->domains.v[i].name.len && !c->domains.v[i].from_resolv)
			dom = &c->domains.v[i].name;
	for (size_t i = 0; i < c->srv_records.n; i++) {
		const conf_srv *sv = &c->srv_records.v[i];
		char nb[DNS_NAME_TEXT_MAX], tb[DNS_NAME_TEXT_MAX];
		dns_name n;
		conf_name_get(&sv->name, &n);
		if (sv->relative && dom) {
			dns_name d;
			conf_name_get(dom, &d);
			dns_name full;
			if (dns_name_concat(&full, n.wire, n.len - 1u, &d) >= 0)
				n = full;
		}
		int r = localdata_add_srv(x->s->ld, dns_name_str(&n, nb),
		                          sv->has_target ? name_text(&sv->target, tb)
		                                         : NULL,
		                          sv->port, sv->priority, sv->weight);
		if ((r = added(x, r, &sv->loc, "srv-host")) != 0)
			return r;
	}
	for (size_t i = 0; i < c->mx_records.n; i++) {
		const conf_mx *m = &c->mx_records.v[i];
		char nb[DNS_NAME_TEXT_MAX], tb[DNS_NAME_TEXT_MAX];
		/* no target: the name of the machine wardd runs on, as dnsmasq
		 * (mx-target= is not implemented) */
		const char *target = m->has_target ? name_text(&m->target, tb)
		                                   : host_name(tb, sizeof tb);
		int r = localdata_add_mx(x->s->ld, name_text(&m->name, nb), target,
		                         m->preference);
		if ((r = added(x, r, &m->loc, "mx-host")) != 0)
			return r;
	}
	for (size_t i = 0; i < c->ptr_records.n; i++) {
		const conf_ptr *p = &c->ptr_records.v[i];
		if (!p->has_target) {
			setup_logf(x, true, "%s:%u: ptr-record without a target is not "
			           "supported by wardd yet; ignored", p->loc.file,
			           p->loc.line);
			continue;
		}
		char nb[DNS_NAME_TEXT_MAX], tb[DNS_NAME_TEXT_MAX];
		int r = localdata_add_ptr(x->s->ld, name_text(&p->name, nb),
		                          name_text(&p->target, tb));
		if ((r = added(x, r, &p->loc, "ptr-record")) != 0)
			return r;
	}
	return 0;
}

int setup_local(struct setup_ctx *x)
{
	const ward_conf *c = x->c;
	localdata *ld = x->s->ld;
	localdata_set_local_ttl(ld, c->local_ttl > 0 ? (uint32_t)c->local_ttl : 0);
	localdata_set_expand_hosts(ld, c->expand_hosts);
	localdata_set_domain_needed(ld, c->domain_needed);
	localdata_set_bogus_priv(ld, c->bogus_priv);
	int r;
	if ((r = domains(x)) != 0)
		return r;
	if (!c->no_hosts && (r = load_hosts_file(x, SETUP_DEFAULT_HOSTS)) != 0)
		return r;
	for (size_t i = 0; i < c->addn_hosts.n; i++)
		if ((r = load_hosts_path(x, c->addn_hosts.v[i].s)) != 0)
			return r;
	if ((r = addresses(x)) != 0 || (r = host_records(x)) != 0 ||
	    (r = txt_records(x)) != 0 || (r = srv_mx_ptr(x)) != 0)
		return r;
	return 0;
}
