/* wardd setup: ward_conf -> res_config (mode, forwarders, root hints, TTL
 * options) and cache settings. Local data is setup_local.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "codec/error.h"
#include "codec/zone.h"
#include "daemon/setup.h"
#include "daemon/setup_blocklist.h"
#include "daemon/setup_int.h"

void setup_logf(struct setup_ctx *x, bool warning, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (x->log)
		x->log(x->log_ctx, warning, buf);
}

int setup_read(struct setup_ctx *x, const char *path, char **text,
               size_t *len)
{
	uint64_t id[2];
	const char *why = "cannot be read";
	int r = x->c->io.read_file(x->c->io.ctx, path, text, len, id, &why);
	if (r < 0)
		x->why = why;
	return r;
}

static void addr_from_conf(struct res_addr *a, const conf_ip *ip,
                           uint16_t port)
{
	memset(a, 0, sizeof *a);
	a->family = ip->family == AF_INET6 ? 6 : 4;
	memcpy(a->ip, ip->addr, a->family == 6 ? 16 : 4);
	a->port = port ? port : 53;
}

static int push_fwd(struct setup_ctx *x, const dns_name *domain,
                    const struct res_addr *addr, bool local_only)
{
	struct wardd_setup *s = x->s;
	if (s->n_fwd >= SETUP_MAX_FORWARDERS) {
		if (!x->fwd_full_warned)
			setup_logf(x, true, "more than %u forwarding rules; the rest "
			           "are ignored", SETUP_MAX_FORWARDERS);
		x->fwd_full_warned = true;
		return 0;
	}
	if (s->n_fwd == x->fwd_cap) {
		size_t cap = x->fwd_cap ? x->fwd_cap * 2 : 16;
		struct res_forwarder *v = realloc(s->fwd, cap * sizeof *v);
		if (!v)
			return WARD_ENOMEM;
		s->fwd = v;
		x->fwd_cap = cap;
	}
	struct res_forwarder *f = &s->fwd[s->n_fwd++];
	memset(f, 0, sizeof *f);
	f->domain = *domain;
	if (addr)
		f->addr = *addr;
	f->local_only = local_only;
	return 0;
}

/* The domain a rule's /domain/ stands for, or false (logged) for the
 * match forms the engine's longest-suffix rules cannot express. */
static bool rule_domain(struct setup_ctx *x, const conf_loc *loc,
                        const char *opt, const conf_domain *d, dns_name *out)
{
	switch (d->match) {
	case CONF_MATCH_DOMAIN:
	case CONF_MATCH_BELOW:
		/* BELOW (/\*.d/) is approximated by the domain itself */
		conf_name_get(&d->name, out);
		return true;
	case CONF_MATCH_ANY:
		dns_name_root(out);
		return true;
	case CONF_MATCH_SUFFIX:
	case CONF_MATCH_UNQUALIFIED:
		break;
	}
	setup_logf(x, true, "%s:%u: %s: this domain pattern is not supported "
	           "by wardd yet; rule ignored", loc->file, loc->line, opt);
	return false;
}

/* server=, local=, rev-server= (conf keeps all three in c->servers). */
static int servers(struct setup_ctx *x, const struct res_addr *defaults,
                   size_t ndef)
{
	const ward_conf *c = x->c;
	for (size_t i = 0; i < c->servers.n; i++) {
		const conf_server *sv = &c->servers.v[i];
		if (sv->ndomains == 0)
			continue;            /* a default upstream: already counted */
		const char *opt = sv->origin == CONF_FROM_LOCAL ? "local" :
		                  sv->origin == CONF_FROM_REV_SERVER ? "rev-server" :
		                  sv->tls ? "server-tls" : "server";
		struct res_addr a;
		if (sv->kind == CONF_SERVER_FORWARD) {
			if (!sv->has_addr) {
				setup_logf(x, true, "%s:%u: %s: a server given by host name "
				           "is not supported by wardd yet; ignored",
				           sv->loc.file, sv->loc.line, opt);
				continue;
			}
			addr_from_conf(&a, &sv->addr, sv->port);
		}
		for (size_t k = 0; k < sv->ndomains; k++) {
			dns_name d;
			if (!rule_domain(x, &sv->loc, opt, &sv->domains[k], &d))
				continue;
			int r = 0;
			if (sv->kind == CONF_SERVER_FORWARD) {
				r = push_fwd(x, &d, &a, false);
			} else if (sv->kind == CONF_SERVER_LOCAL) {
				r = push_fwd(x, &d, NULL, true);
				if (!r)
					r = setup_local_only(x, &d);
			} else {
				/* server=/d/#: the standard servers for this domain */
				for (size_t j = 0; j < ndef && !r; j++)
					r = push_fwd(x, &d, &defaults[j], false);
			}
			if (r)
				return r;
		}
	}
	return 0;
}

/* The default upstreams: server=IP without a domain, then the
 * nameservers of the resolv files (unless no-resolv), as dnsmasq merges
 * them. */
static int default_upstreams(struct setup_ctx *x, struct res_addr *out,
                             size_t max, size_t *n)
{
	const ward_conf *c = x->c;
	*n = 0;
	for (size_t i = 0; i < c->servers.n && *n < max; i++) {
		const conf_server *sv = &c->servers.v[i];
		if (sv->ndomains || sv->kind != CONF_SERVER_FORWARD)
			continue;
		if (!sv->has_addr) {
			setup_logf(x, true, "%s:%u: server: a server given by host name "
			           "is not supported by wardd yet; ignored",
			           sv->loc.file, sv->loc.line);
			continue;
		}
		addr_from_conf(&out[(*n)++], &sv->addr, sv->port);
	}
	if (c->no_resolv)
		return 0;
	size_t nfiles = c->resolv_files.n;
	for (size_t i = 0; i < (nfiles ? nfiles : 1); i++) {
		const char *path = nfiles ? c->resolv_files.v[i].s :
		                   SETUP_DEFAULT_RESOLV;
		if (!path || !*path)
			continue;
		char *text;
		size_t len;
		if (setup_read(x, path, &text, &len) < 0) {
			/* dnsmasq goes on and polls the file later */
			setup_logf(x, true, "failed to read %s: %s", path, x->why);
			continue;
		}
		size_t got = setup_parse_resolv(text, len, out + *n, max - *n);
		free(text);
		*n += got;
		x->s->n_resolv += (unsigned)got;
		if (!got)
			setup_logf(x, true, "%s: no nameserver lines", path);
	}
	return 0;
}

static int hints(struct setup_ctx *x)
{
	const char *path = x->c->root_hints;
	if (!path)
		return 0;
	char *text;
	size_t len;
	if (setup_read(x, path, &text, &len) < 0) {
		setup_logf(x, false, "root-hints: %s: %s", path, x->why);
		return WARD_ECONF;
	}
	struct wardd_setup *s = x->s;
	s->hints = calloc(SETUP_MAX_HINTS, sizeof *s->hints);
	if (!s->hints) {
		free(text);
		return WARD_ENOMEM;
	}
	char msg[ZONE_ERRMSG_MAX + 64];
	int n = setup_parse_hints(text, len, path, s->hints, SETUP_MAX_HINTS,
	                          msg, sizeof msg);
	free(text);
	if (n < 0) {
		setup_logf(x, false, "root-hints: %s", msg);
		return WARD_ECONF;
	}
	s->n_hints = (size_t)n;
	return 0;
}

static void cache_settings(struct wardd_setup *s, const ward_conf *c)
{
	cache_config_defaults(&s->cc);
	size_t entries = c->cache_size < 0 ? CONF_DEFAULT_CACHE_SIZE :
	                 (size_t)c->cache_size;
	if (entries == 0) {
		/* cache-size=0: nothing is kept beyond the second it takes to
		 * answer the query that fetched it (the engine answers clients
		 * from the cache, so a cache that refuses everything would
		 * answer nothing) */
		s->cache_off = true;
		s->cc.max_entries = SETUP_NOCACHE_ENTRIES;
		s->cc.max_ttl = 1;
		s->cc.neg_max_ttl = 1;
		s->cc.bogus_ttl = 1;
	} else {
		s->cc.max_entries = entries;
		size_t bytes = entries * SETUP_BYTES_PER_ENTRY;
		if (bytes < SETUP_MIN_CACHE_BYTES)
			bytes = SETUP_MIN_CACHE_BYTES;
		if (bytes > s->cc.max_bytes && entries < SIZE_MAX / SETUP_BYTES_PER_ENTRY)
			s->cc.max_bytes = bytes;
		else if (bytes < s->cc.max_bytes)
			s->cc.max_bytes = bytes;
	}
	if (c->min_cache_ttl != CONF_UNSET && !s->cache_off)
		s->cc.min_ttl = (uint32_t)c->min_cache_ttl;
	if (c->max_cache_ttl != CONF_UNSET && !s->cache_off)
		s->cc.max_ttl = (uint32_t)c->max_cache_ttl;
}

static int64_t ttl_opt(int64_t v)
{
	return v == CONF_UNSET ? RES_TTL_UNSET : v;
}

int setup_build(struct wardd_setup *s, const ward_conf *c,
                res_random_fn random, void *random_ctx, setup_log_fn log,
                void *log_ctx)
{
	memset(s, 0, sizeof *s);
	struct setup_ctx x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.c = c;
	x.log = log;
	x.log_ctx = log_ctx;

	res_config_defaults(&s->rc);
	s->rc.random = random;
	s->rc.random_ctx = random_ctx;
	int r;
	s->ld = localdata_new();
	if (!s->ld)
		return WARD_ENOMEM;

	struct res_addr defaults[SETUP_MAX_NAMESERVERS * 2];
	size_t ndef = 0;
	r = default_upstreams(&x, defaults, sizeof defaults / sizeof defaults[0],
	                      &ndef);
	if (r)
		goto fail;
	s->n_upstreams = (unsigned)ndef;
	dns_name root;
	dns_name_root(&root);
	for (size_t i = 0; i < ndef; i++)
		if ((r = push_fwd(&x, &root, &defaults[i], false)) != 0)
			goto fail;
	if ((r = servers(&x, defaults, ndef)) != 0)
		goto fail;
	/* ward resolves by itself when asked to, and where dnsmasq would have
	 * no upstream at all: no-resolv and no server= with an address (an
	 * empty or missing resolv file is not that: dnsmasq waits for it to
	 * fill, and so does wardd, in forwarding mode) */
	bool any_server = false;
	for (size_t i = 0; i < s->n_fwd; i++)
		any_server |= !s->fwd[i].local_only;
	if (!c->no_resolv)
		any_server = true;
	s->recursive = c->recursive || !any_server;
	if (s->recursive) {
		s->rc.mode = RES_MODE_RECURSIVE;
		if ((r = hints(&x)) != 0)
			goto fail;
		s->rc.hints = s->hints;
		s->rc.n_hints = s->n_hints;
		/* server=/d/IP rules are kept: the engine forwards those
		 * domains in either mode where it supports it */
	} else {
		s->rc.mode = RES_MODE_FORWARD;
		if (c->root_hints)
			setup_logf(&x, true, "root-hints=%s is only used in recursive "
			           "mode (no upstream server is configured)",
			           c->root_hints);
	}
	s->rc.fwd = s->fwd;
	s->rc.n_fwd = s->n_fwd;
	s->rc.strict_order = c->strict_order;
	/* RFC 8482 §4.2 minimal ANY unless resolve-any (issue #4) */
	s->rc.deny_any = !c->resolve_any;
	for (size_t i = 0; i < c->filter_rr.n; i++) {
		if (s->rc.filter.n == ANSWER_FILTER_TYPES) {
			setup_logf(&x, true, "filter-rr: only the first %d types "
			           "are filtered", ANSWER_FILTER_TYPES);
			break;
		}
		s->rc.filter.types[s->rc.filter.n++] = c->filter_rr.v[i];
	}
	s->rc.filter.any = c->filter_rr_any;
	for (size_t i = 0; i < c->bogus_nxdomain.n; i++) {
		const conf_cidr *b = &c->bogus_nxdomain.v[i];
		if (s->rc.n_bogus_nx == RES_BOGUS_NX_MAX) {
			setup_logf(&x, true, "bogus-nxdomain: only the first %d "
			           "addresses are used", RES_BOGUS_NX_MAX);
			break;
		}
		struct res_prefix *p = &s->rc.bogus_nx[s->rc.n_bogus_nx++];
		p->family = b->ip.family == AF_INET ? 4 : 6;
		memcpy(p->ip, b->ip.addr, 16);
		p->len = b->prefix;
	}
	s->rc.all_servers = c->all_servers;
	if (c->edns_packet_max > 0)
		s->rc.client_edns_max = (uint16_t)(c->edns_packet_max > 65535 ?
		                                   65535 : c->edns_packet_max);
	s->rc.neg_ttl = ttl_opt(c->neg_ttl);
	s->rc.max_ttl = ttl_opt(c->max_ttl);
	s->rc.min_cache_ttl = ttl_opt(c->min_cache_ttl);
	s->rc.max_cache_ttl = ttl_opt(c->max_cache_ttl);
	s->rc.no_negcache = c->no_negcache;
	setup_blocklist_options(s, c);  /* the lists: daemon/blocklist_run.c */
	cache_settings(s, c);
	if ((r = setup_dnssec(&x)) != 0)
		goto fail;

	if ((r = setup_local(&x)) != 0)
		goto fail;
	s->rc.local = s->ld;
	return 0;
fail:
	setup_free(s);
	return r;
}

void setup_free(struct wardd_setup *s)
{
	if (!s)
		return;
	free(s->fwd);
	free(s->hints);
	localdata_free(s->ld);
	res_anchors_free(&s->anchors);
	free(s->ntas);
	memset(s, 0, sizeof *s);
}
