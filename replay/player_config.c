/* ward replay: a scenario's configuration turned into the resolver
 * engine's (resolver/engine.h). Applied: stub-zone / forward-zone (the root
 * stub's addresses become the root hints, other zones and forwarders the
 * engine's zone servers), qname-minimisation, minimal-responses,
 * harden-glue, do-nat64 / nat64-prefix,
 * private-address / private-domain, prefetch, ede, trust anchors (they
 * turn validation on, with Unbound's signature skew), val-override-date
 * -1 (no time checks), val-nsec3-keysize-iterations. Every other
 * option is recorded as ignored, by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "replay/player_int.h"
#include "resolver/dnssec/dnssec_limits.h"

/* Options that are applied (or that only describe what is applied). */
static const char *const applied[] = {
	"name", "stub-addr", "stub-host", "stub-first", "stub-prime",
	"forward-addr", "forward-host", "forward-first",
	"qname-minimisation", "query-minimization", "minimal-responses",
	"val-override-date", "val-override-timestamp", "harden-glue", "harden-unverified-glue", "iter-scrub-ns", "do-nat64", "nat64-prefix", "private-address",
	"private-domain", "prefetch", "ede", "trust-anchor", "trust-anchor-file",
	"auto-trust-anchor-file", "trusted-keys-file",
	"val-nsec3-keysize-iterations", "domain-insecure", "aggressive-nsec",
	"harden-algo-downgrade", "harden-dnssec-stripped", "deny-any",
	"harden-unknown-additional", NULL,
};

/* Options without effect on what a scenario can observe of the iterator
 * here (logging, sockets, statistics): not worth a line in the report. */
static const char *const quiet[] = {
	"verbosity", "use-syslog", "logfile", "log-queries", "log-replies",
	"log-servfail", "log-time-ascii", "do-daemonize", "chroot",
	"username", "directory", "pidfile", "interface", "port",
	"do-ip6", "do-ip4", "do-udp", "do-tcp", "num-threads",
	"statistics-interval", "extended-statistics", "val-log-level",
	NULL,
};

static bool in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (!strcmp(*l, k))
			return true;
	return false;
}

static void note_ignored(rpl_run *r, const char *key)
{
	size_t n = strlen(r->ignored);
	/* once per key */
	const char *p = r->ignored;
	size_t kl = strlen(key);
	while ((p = strstr(p, key)) != NULL) {
		if ((p == r->ignored || p[-1] == ' ') &&
		    (p[kl] == ' ' || p[kl] == 0))
			return;
		p += kl;
	}
	if (n + kl + 2 < sizeof(r->ignored))
		snprintf(r->ignored + n, sizeof(r->ignored) - n, "%s%s",
		         n ? " " : "", key);
}

static void to_res_addr(const rpl_addr *a, struct res_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	memcpy(out->ip, a->ip, sizeof(out->ip));
	out->port = a->port ? a->port : RPL_DNS_PORT;
}

/* "10.0.0.0/8", "fd00::/8" (a bare address: the host prefix) */
static int parse_prefix(const char *text, struct res_prefix *p)
{
	const char *sl = strchr(text, '/');
	size_t alen = sl ? (size_t)(sl - text) : strlen(text);
	rpl_addr a;
	if (rpl_addr_parse(text, alen, &a) < 0)
		return WARD_EINVAL;
	unsigned long max = a.family == 4 ? 32 : 128, len = max;
	if (sl) {
		char *end = NULL;
		len = strtoul(sl + 1, &end, 10);
		if (!end || *end || end == sl + 1 || len > max)
			return WARD_EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->family = a.family;
	memcpy(p->ip, a.ip, sizeof(p->ip));
	p->len = (uint8_t)len;
	return 0;
}

/* The scenario's trust anchors: trust-anchor: lines and the anchor
 * files given as TEMPFILE / AUTOTRUST blocks. */
static int config_anchors(const rpl_scenario *s, struct player_cfg *pc,
                          rpl_run *r)
{
	const rpl_config *c = &s->config;
	memset(&pc->anchors, 0, sizeof(pc->anchors));
	for (size_t i = 0; i < c->nanchors; i++)
		if (res_anchors_add(&pc->anchors, &c->anchors[i].rr) < 0)
			note_ignored(r, "trust-anchor");
	for (size_t i = 0; i < c->nanchor_files; i++) {
		const rpl_file *f = NULL;
		for (size_t k = 0; k < c->nfiles && !f; k++)
			if (c->files[k].name &&
			    !strcmp(c->files[k].name, c->anchor_files[i]))
				f = &c->files[k];
		char err[RPL_ERRMSG_MAX];
		if (!f || res_anchors_parse(&pc->anchors, f->content, f->len,
		                            f->name, err, sizeof(err)) < 0)
			note_ignored(r, "trust-anchor-file");
	}
	if (!pc->anchors.n)
		return 0;
	struct res_config *cfg = &pc->cfg;
	cfg->dnssec = true;
	cfg->trust_anchors = pc->anchors.rrs;
	cfg->n_trust_anchors = pc->anchors.n;
	cfg->sig_skew_min = DNSSEC_UNBOUND_SKEW_MIN; /* Unbound's defaults */
	cfg->sig_skew_max = DNSSEC_UNBOUND_SKEW_MAX;
	cfg->dnssec_no_timecheck = c->date_ignore;
	/* on unless the scenario says no: Unbound's default since 1.15.0 */
	cfg->aggressive_nsec = rpl_config_bool(c, "aggressive-nsec", 1) == 1;
	cfg->dnssec_stripped_ok =
		rpl_config_bool(c, "harden-dnssec-stripped", 1) == 0;
	cfg->harden_algo_downgrade =
		rpl_config_bool(c, "harden-algo-downgrade", 0) == 1;
	pc->nnta = 0;
	for (size_t i = 0; i < c->nopts && pc->nnta < PLAYER_SERVERS_MAX; i++) {
		const rpl_option *o = &c->opts[i];
		char fq[DNS_NAME_TEXT_MAX + 2];
		size_t vl = strlen(o->value);
		if (strcmp(o->key, "domain-insecure"))
			continue;
		snprintf(fq, sizeof(fq), "%s%s", o->value,
		         vl && o->value[vl - 1] == '.' ? "" : ".");
		if (dns_name_from_text(&pc->nta[pc->nnta], fq, strlen(fq),
		                       NULL) == 0)
			pc->nnta++;
	}
	cfg->insecure_domains = pc->nta;
	cfg->n_insecure_domains = pc->nnta;
	const char *it = rpl_config_get(c, "val-nsec3-keysize-iterations");
	if (it) { /* "1024 150 2048 500 4096 2500": the first size's count */
		const char *sp = strchr(it, ' ');
		unsigned long v = sp ? strtoul(sp + 1, NULL, 10) : 0;
		if (v && v < 65536)
			cfg->nsec3_max_iterations = (unsigned)v;
	}
	return 0;
}

int rpl_player_config(const rpl_scenario *s, struct player_cfg *pc,
                      rpl_run *r)
{
	const rpl_config *c = &s->config;
	struct res_config *cfg = &pc->cfg;
	res_config_defaults(cfg);
	pc->nhints = pc->nzones = 0;
	for (size_t z = 0; z < c->nzones; z++) {
		const rpl_zone_cfg *zc = &c->zones[z];
		bool root = zc->name.len == 1;
		if (!zc->naddrs && zc->nhosts)
			note_ignored(r, zc->forward ? "forward-host" : "stub-host");
		for (size_t i = 0; i < zc->naddrs; i++) {
			if (root && !zc->forward) {
				if (pc->nhints >= PLAYER_SERVERS_MAX)
					continue;
				struct res_hint *h = &pc->hints[pc->nhints++];
				dns_name_root(&h->name);
				to_res_addr(&zc->addrs[i], &h->addr);
				continue;
			}
			if (pc->nzones >= PLAYER_SERVERS_MAX)
				continue;
			struct res_zone_server *zs = &pc->zones[pc->nzones++];
			zs->name = zc->name;
			to_res_addr(&zc->addrs[i], &zs->addr);
			zs->forward = zc->forward;
			zs->first = zc->first == 1;
		}
	}
	if (pc->nhints) {
		cfg->hints = pc->hints;
		cfg->n_hints = pc->nhints;
	} /* else the built-in root servers: simulated like any other */
	cfg->zones = pc->zones;
	cfg->n_zones = pc->nzones;
	/* Unbound's defaults: qname-minimisation yes, minimal-responses yes;
	 * Deckard (a kresd-like resolver) minimises too */
	cfg->qname_minimisation = c->qname_minimisation != 0;
	if (c->qname_minimisation < 0)
		cfg->qname_minimisation =
			rpl_config_bool(c, "qname-minimisation", 1) == 1;
	cfg->full_responses = rpl_config_bool(c, "minimal-responses", 1) == 0;
	cfg->deny_any = rpl_config_bool(c, "deny-any", 0) == 1; /* RFC 8482 */
	cfg->keep_unknown_additional =
		rpl_config_bool(c, "harden-unknown-additional", 0) == 0;
	cfg->glue_any_zone = rpl_config_bool(c, "harden-glue", 1) == 0;
	cfg->verify_sibling_glue =
		rpl_config_bool(c, "harden-unverified-glue", 0) == 1;
	const char *sns = rpl_config_get(c, "iter-scrub-ns");
	if (sns) {
		char *end = NULL;
		unsigned long v = strtoul(sns, &end, 10);
		cfg->scrub_ns = end != sns && v > 0 && v <= 256 ? (unsigned)v : 0;
	}
	cfg->nat64 = rpl_config_bool(c, "do-nat64", 0) == 1;
	cfg->prefetch = rpl_config_bool(c, "prefetch", 0) == 1;
	/* Unbound sends no EDE unless "ede: yes" */
	cfg->no_ede = rpl_config_bool(c, "ede", 0) == 0;
	const char *pfx = rpl_config_get(c, "nat64-prefix");
	if (pfx) {
		const char *sl = strchr(pfx, '/');
		rpl_addr pa;
		char *end = NULL;
		unsigned long plen = sl ? strtoul(sl + 1, &end, 10) : 0;
		if (!sl || rpl_addr_parse(pfx, (size_t)(sl - pfx), &pa) < 0 ||
		    pa.family != 6 || !end || *end || end == sl + 1 ||
		    plen > 96) {
			snprintf(r->error, sizeof(r->error),
			         "%s: nat64-prefix: not an IPv6 prefix: %s",
			         s->name, pfx);
			return WARD_EINVAL;
		}
		memcpy(cfg->nat64_prefix, pa.ip, 16);
		cfg->nat64_len = (uint8_t)plen;
	}
	pc->npriv = pc->nprivdom = 0;
	for (size_t i = 0; i < c->nopts; i++) {
		const rpl_option *o = &c->opts[i];
		if (!strcmp(o->key, "private-address") &&
		    pc->npriv < PLAYER_SERVERS_MAX) {
			if (parse_prefix(o->value, &pc->priv[pc->npriv]) < 0) {
				snprintf(r->error, sizeof(r->error),
				         "%s:%u: private-address: bad prefix %s",
				         s->name, o->line, o->value);
				return WARD_EINVAL;
			}
			pc->npriv++;
		} else if (!strcmp(o->key, "private-domain") &&
		           pc->nprivdom < PLAYER_SERVERS_MAX) {
			char fq[DNS_NAME_TEXT_MAX + 2];
			size_t vl = strlen(o->value);
			/* unbound.conf names may omit the final dot */
			snprintf(fq, sizeof(fq), "%s%s", o->value,
			         vl && o->value[vl - 1] == '.' ? "" : ".");
			if (dns_name_from_text(&pc->privdom[pc->nprivdom], fq,
			                       strlen(fq), NULL) < 0) {
				snprintf(r->error, sizeof(r->error),
				         "%s:%u: private-domain: bad name %s",
				         s->name, o->line, o->value);
				return WARD_EINVAL;
			}
			pc->nprivdom++;
		}
	}
	config_anchors(s, pc, r);
	cfg->private_addrs = pc->priv;
	cfg->n_private_addrs = pc->npriv;
	cfg->private_domains = pc->privdom;
	cfg->n_private_domains = pc->nprivdom;
	for (size_t i = 0; i < c->nopts; i++) {
		const rpl_option *o = &c->opts[i];
		if (in_list(applied, o->key) || in_list(quiet, o->key))
			continue;
		note_ignored(r, o->key);
	}
	return 0;
}
