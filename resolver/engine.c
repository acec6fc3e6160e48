/* ward resolver: the engine — creation and configuration, statistics, the
 * action queue, client queries (res_query_start), the iteration step
 * (eng_step: cache, CNAMEs, which servers to ask), prefetch and timers.
 * Answers are built in engine_answer.c, upstream exchanges run in
 * engine_exchange.c. Sans-I/O: see engine.h and docs/resolver.md. */
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "codec/edns.h"
#include "codec/error.h"
#include "codec/msg.h"
#include "codec/msg_build.h"
#include "resolver/engine.h"
#include "resolver/engine_int.h"

/* ---- built-in root hints (IANA root servers, IPv4) ---- */
static const struct { const char *name; uint8_t ip[4]; } root_v4[] = {
	{ "a.root-servers.net.", { 198, 41, 0, 4 } },
	{ "b.root-servers.net.", { 170, 247, 170, 2 } },
	{ "c.root-servers.net.", { 192, 33, 4, 12 } },
	{ "d.root-servers.net.", { 199, 7, 91, 13 } },
	{ "e.root-servers.net.", { 192, 203, 230, 10 } },
	{ "f.root-servers.net.", { 192, 5, 5, 241 } },
	{ "g.root-servers.net.", { 192, 112, 36, 4 } },
	{ "h.root-servers.net.", { 198, 97, 190, 53 } },
	{ "i.root-servers.net.", { 192, 36, 148, 17 } },
	{ "j.root-servers.net.", { 192, 58, 128, 30 } },
	{ "k.root-servers.net.", { 193, 0, 14, 129 } },
	{ "l.root-servers.net.", { 199, 7, 83, 42 } },
	{ "m.root-servers.net.", { 202, 12, 27, 33 } },
};

size_t res_root_hints_builtin(struct res_addr *out, size_t max)
{
	size_t n = 0;
	for (; n < max && n < sizeof root_v4 / sizeof root_v4[0]; n++) {
		memset(&out[n], 0, sizeof out[n]);
		out[n].family = 4;
		memcpy(out[n].ip, root_v4[n].ip, 4);
		out[n].port = 53;
	}
	return n;
}

void res_config_defaults(struct res_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = RES_MODE_RECURSIVE;
	cfg->qname_minimisation = false;
	cfg->edns_size = RES_EDNS_SIZE;
	cfg->client_edns_max = RES_CLIENT_EDNS_MAX;
	cfg->max_upstream = RES_MAX_UPSTREAM;
	cfg->max_clients = RES_MAX_CLIENTS_DEFAULT;
	cfg->neg_ttl = cfg->max_ttl = RES_TTL_UNSET;
	cfg->min_cache_ttl = cfg->max_cache_ttl = RES_TTL_UNSET;
	cfg->chaos_version = RES_CHAOS_VERSION;
	cfg->dnssec_check_unsigned = true;
	cfg->blocklist_ttl = BLOCKLIST_TTL_DEFAULT;
}

res_engine *res_engine_new(const struct res_config *cfg, cache_t *cache)
{
	if (!cfg || !cache || !cfg->random)
		return NULL;
	res_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->cfg = *cfg;
	if (!e->cfg.edns_size)
		e->cfg.edns_size = RES_EDNS_SIZE;
	if (e->cfg.edns_size < 512)
		e->cfg.edns_size = 512;
	if (!e->cfg.client_edns_max)
		e->cfg.client_edns_max = RES_CLIENT_EDNS_MAX;
	if (!e->cfg.max_upstream || e->cfg.max_upstream > RES_MAX_UPSTREAM)
		e->cfg.max_upstream = RES_MAX_UPSTREAM;
	if (!e->cfg.max_clients)
		e->cfg.max_clients = RES_MAX_CLIENTS_DEFAULT;
	if (e->cfg.min_cache_ttl > RES_MIN_CACHE_TTL_MAX) /* as dnsmasq */
		e->cfg.min_cache_ttl = RES_MIN_CACHE_TTL_MAX;
	e->cache = cache;
	size_t nh = cfg->hints ? cfg->n_hints : sizeof(root_v4) / sizeof(root_v4[0]);
	e->hints = calloc(nh ? nh : 1, sizeof(*e->hints));
	e->fwd = calloc(cfg->n_fwd ? cfg->n_fwd : 1, sizeof(*e->fwd));
	e->q = calloc(e->cfg.max_clients, sizeof(*e->q));
	e->zones = calloc(cfg->n_zones ? cfg->n_zones : 1, sizeof(*e->zones));
	/* full responses, or validation: a wildcard answer keeps its
	 * sections (answer_sections.c) */
	if ((cfg->full_responses || cfg->dnssec) &&
	    !(e->mref = calloc(1, sizeof(*e->mref)))) {
		res_engine_free(e);
		return NULL;
	}
	if (!e->hints || !e->fwd || !e->q || !e->zones) {
		res_engine_free(e);
		return NULL;
	}
	if (cfg->hints) {
		memcpy(e->hints, cfg->hints, nh * sizeof(*e->hints));
	} else {
		for (size_t i = 0; i < nh; i++) {
			const char *s = root_v4[i].name;
			dns_name_from_text(&e->hints[i].name, s, strlen(s), NULL);
			e->hints[i].addr.family = 4;
			memcpy(e->hints[i].addr.ip, root_v4[i].ip, 4);
			e->hints[i].addr.port = 53;
		}
	}
	e->n_hints = nh;
	if (cfg->n_fwd)
		memcpy(e->fwd, cfg->fwd, cfg->n_fwd * sizeof(*e->fwd));
	e->n_fwd = cfg->n_fwd;
	if (cfg->n_zones && cfg->zones)
		memcpy(e->zones, cfg->zones, cfg->n_zones * sizeof(*e->zones));
	e->n_zones = cfg->zones ? cfg->n_zones : 0;
	e->cfg.zones = NULL;
	if (cfg->n_private_addrs && cfg->private_addrs) {
		e->priv = calloc(cfg->n_private_addrs, sizeof(*e->priv));
		if (!e->priv) {
			res_engine_free(e);
			return NULL;
		}
		memcpy(e->priv, cfg->private_addrs,
		       cfg->n_private_addrs * sizeof(*e->priv));
	}
	if (cfg->n_private_domains && cfg->private_domains) {
		e->priv_dom = calloc(cfg->n_private_domains, sizeof(*e->priv_dom));
		if (!e->priv_dom) {
			res_engine_free(e);
			return NULL;
		}
		memcpy(e->priv_dom, cfg->private_domains,
		       cfg->n_private_domains * sizeof(*e->priv_dom));
	}
	e->cfg.n_private_addrs = e->priv ? cfg->n_private_addrs : 0;
	e->cfg.n_private_domains = e->priv_dom ? cfg->n_private_domains : 0;
	e->cfg.private_addrs = NULL;
	e->cfg.private_domains = NULL;
	e->nq = e->cfg.max_clients;
	if (val_engine_new(e, cfg) < 0) { /* DNSSEC: anchors, key cache */
		res_engine_free(e);
		return NULL;
	}
	e->cfg.hints = NULL;
	e->cfg.fwd = NULL;
	return e;
}

void res_engine_free(res_engine *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->a_n; i++)
		free(e->acts[(e->a_head + i) % RES_MAX_ACTIONS].buf);
	free(e->last_buf);
	free(e->spare);
	free(e->hints);
	free(e->fwd);
	free(e->zones);
	free(e->mref);
	free(e->priv);
	free(e->priv_dom);
	free(e->q);
	val_engine_free(e);
	free(e);
}

void res_get_stats(const res_engine *e, struct res_stats *st)
{
	*st = e->st;
}

int res_next_action(res_engine *e, uint64_t now_ms, struct res_action *a)
{
	(void)now_ms;
	if (e->last_answer && !e->spare)
		e->spare = e->last_buf;   /* the next answer is built in it */
	else
		free(e->last_buf);
	e->last_buf = NULL;
	e->last_answer = false;
	memset(a, 0, sizeof(*a));
	if (!e->a_n)
		return 0;
	struct act *x = &e->acts[e->a_head];
	e->a_head = (e->a_head + 1) % RES_MAX_ACTIONS;
	e->a_n--;
	a->kind = x->kind;
	a->token = x->token;
	a->dst = x->dst;
	a->tcp = x->tcp;
	a->client_tag = x->tag;
	a->buf = x->buf;
	a->len = x->len;
	a->blocked = x->blocked;
	e->last_buf = x->buf;
	e->last_answer = x->kind == RES_ACT_ANSWER;
	return 1;
}

/* The scans over the query slots stop at e->hi (alloc_query raises it,
 * eng_unpark lowers it to the last used slot): with max_clients 1024 slots of
 * 7.7 KB each, scanning them all after every packet took a quarter of the
 * daemon's CPU at cache-hit load (docs/benchmarks.md). */
uint64_t res_next_wakeup(const res_engine *e)
{
	uint64_t t = UINT64_MAX;
	for (unsigned i = 0; i < e->hi; i++) {
		const struct query *q = &e->q[i];
		if (!q->used)
			continue;
		if (q->deadline < t)
			t = q->deadline;
		if (q->waiting && q->timer < t)
			t = q->timer;
	}
	return t;
}

/* ---- iteration ---- */

static struct query *frame_top(struct query *q, dns_name **name,
                               uint16_t *type)
{
	if (q->depth) {
		*name = &q->stack[q->depth - 1].name;
		*type = q->stack[q->depth - 1].type;
	} else {
		*name = &q->chain[q->nchain - 1];
		*type = q->qtype;
	}
	return q;
}

static struct query *alloc_query(res_engine *e);

/* Unbound's prefetch: an answer served from the cache in the last tenth
 * of its TTL is asked again upstream, in the background, so the next
 * client finds it fresh. */
static void start_prefetch(res_engine *e, const dns_name *name, uint16_t type,
                           uint64_t now)
{
	for (unsigned i = 0; i < e->nq; i++) /* one at a time per name */
		if (e->q[i].used && e->q[i].internal && e->q[i].qtype == type &&
		    dns_name_equal(&e->q[i].qname_orig, name))
			return;
	struct query *p = alloc_query(e);
	if (!p)
		return;
	p->internal = true;
	p->tag = UINT64_MAX;
	p->qname_orig = *name;
	p->qtype = type;
	p->chain[0] = *name;
	p->nchain = 1;
	p->deadline = now + RES_QUERY_DEADLINE_MS;
	e->st.prefetches++;
	eng_step(e, p, now);
}

/* A CNAME question is answered with the CNAME alone (RFC 1034 §3.6.2),
 * but when the server said NXDOMAIN with it, that is about the target
 * (RFC 6604 §3: the rcode relates to the last name of the chain). The
 * claim is checked with the target's own authority (the target may lie
 * outside the zone asked): NXDOMAIN there is passed on with its proof,
 * as Unbound passes the server's rcode on; anything else and the answer
 * is the CNAME alone again. True when the chain changed. */
static bool cname_nx_step(struct query *q, const struct cache_hit *h)
{
	if (q->nxchase_at) { /* the target's own answer is in */
		if (h->kind == CACHE_NXDOMAIN)
			return false;
		q->nchain = q->nxchase_at;
		q->nxchase_at = 0;
		return true;
	}
	if (!q->cname_nx || q->qtype != DNS_T_CNAME ||
	    h->kind != CACHE_POSITIVE || !h->n || q->nchain > RES_MAX_CNAME)
		return false;
	q->cname_nx = false;
	dns_rr rr;
	dns_name next;
	if (cache_hit_rr(h, 0, &rr) < 0 ||
	    dns_name_from_wire(&next, rr.rdata, rr.rdlen) < 0 ||
	    dns_name_equal(&next, &q->chain[q->nchain - 1]))
		return false;
	q->nxchase_at = q->nchain;
	q->chain[q->nchain++] = next;
	return true;
}

void eng_step(res_engine *e, struct query *q, uint64_t now)
{
	uint64_t now_s = now / 1000;
	for (unsigned guard = 0; guard < 4 * (RES_MAX_CNAME + RES_MAX_DEPTH + 4);
	     guard++) {
		if (!q->used)
			return;
		if (now >= q->deadline) {
			eng_servfail(e, q, EDE_NO_REACHABLE, "resolution timed out");
			return;
		}
		dns_name *target;
		uint16_t type;
		frame_top(q, &target, &type);
		struct cache_hit h;
		/* a prefetch asks upstream before it trusts the cache again;
		 * so does ANY, every time (engine_any.c) */
		bool any_fresh = type == DNS_T_ANY && !q->depth && !q->any_asked;
		bool fresh = (q->internal && !q->n_upstream && !q->depth) ||
		             any_fresh;
		if (!fresh && cache_get(e->cache, target, type, DNS_C_IN, now_s, &h) &&
		    /* a referral's NS set is the parent's view: an NS
		     * question is asked of the zone itself */
		    !(type == DNS_T_NS && !q->depth && h.rank <= RANK_GLUE &&
		      h.kind == CACHE_POSITIVE && !q->ns_asked)) {
			if (q->depth) {
				q->depth--;
				continue;
			}
			if (cname_nx_step(q, &h))
				continue;
			if (val_answer_prepare(e, q, now_s))
				continue; /* a DNSKEY or DS sub-query was pushed */
			bool pf = e->cfg.prefetch && !q->internal &&
			          h.kind == CACHE_POSITIVE && type != DNS_T_ANY &&
			          h.ttl_orig >= RES_PREFETCH_MIN_TTL &&
			          (uint64_t)h.ttl_left * 10 <= h.ttl_orig;
			dns_name pname = *target;
			uint16_t ptype = type;
			eng_answer_from_cache(e, q, now_s);
			if (pf)
				start_prefetch(e, &pname, ptype, now);
			return;
		}
		/* a client's DS question is the parent's data, asked of the
		 * parent (RFC 4035 §3.1.4.1): a CNAME cached from the child
		 * does not redirect it, only one the DS question itself got
		 * (as Unbound; the validator's own DS lookups stop at a
		 * CNAME: no zone cut) */
		bool ds_own = type != DNS_T_DS || q->depth ||
		              (q->sent_type == DNS_T_DS &&
		               dns_name_equal(&q->sent_name, target));
		if (!fresh && ds_own &&
		    cache_get(e->cache, target, DNS_T_CNAME, DNS_C_IN, now_s, &h)) {
			bool followed = false;
			/* a CNAME answers ANY itself (RFC 1034 §4.3.2) */
			if (h.kind == CACHE_POSITIVE && h.n && !q->depth &&
			    type != DNS_T_CNAME && type != DNS_T_ANY) {
				dns_rr rr;
				dns_name next;
				if (q->nchain > RES_MAX_CNAME) {
					eng_servfail(e, q, EDE_OTHER,
					             "CNAME chain too long or looping");
					return;
				}
				if (cache_hit_rr(&h, 0, &rr) == 0 &&
				    dns_name_from_wire(&next, rr.rdata, rr.rdlen) == 0) {
					bool loop = dns_name_equal(
						&q->chain[q->nchain - 1], &next);
					q->chain[q->nchain++] = next;
					if (eng_blocked_cname(e, q, &next))
						return;
					if (loop && val_answer_loop(e, q)) {
						eng_servfail(e, q, EDE_DNSSEC_BOGUS,
						             "CNAME loop: cannot be validated");
						return;
					}
					if (loop) {
						/* as Unbound: a CNAME to itself is
						 * answered as it is (longer loops run
						 * into RES_MAX_CNAME: SERVFAIL) */
						eng_answer_rcode_rrs(e, q,
						        DNS_RCODE_NOERROR, NULL, 0, now_s);
						return;
					}
					followed = true;
				}
			}
			if (followed)
				continue;
			if (q->depth) { /* a CNAME'd NS name: not followed */
				q->depth--;
				continue;
			}
		}
		/* every type, CNAME and DNAME too: only a DNAME at the
		 * name itself is no substitution (RFC 6672 §3.2), and
		 * eng_dname_synth looks above it */
		if (!q->depth && !any_fresh && type != DNS_T_ANY &&
		    eng_dname_synth(e, target, now_s))
			continue; /* the synthesised CNAME is in the cache now */
		/* ANY is asked: a type bitmap cannot say what ANY gets */
		if (!q->depth && !any_fresh &&
		    val_synth_negative(e, q, target, type, now_s))
			continue; /* RFC 8198: proven by cached NSEC records */
		/* no recursion desired: the cache's referral (engine_norec.c);
		 * a local-only domain (dnsmasq local=) still gets its NXDOMAIN */
		const struct res_forwarder *lf =
			e->cfg.mode == RES_MODE_FORWARD ? eng_fwd_longest(e, target)
			                                : NULL;
		if (!q->depth && !q->internal && !(q->cflags & DNS_FLAG_RD) &&
		    !(lf && lf->local_only)) {
			if (eng_norec_answer(e, q, now))
				continue;
			return;
		}
		if (e->cfg.mode == RES_MODE_FORWARD) {
			const struct res_forwarder *f = eng_fwd_match(e, target, q);
			if (f && f->local_only) {
				if (q->depth) {
					q->depth--;
					continue;
				}
				eng_answer_error(e, q, DNS_RCODE_NXDOMAIN, 0, NULL);
				return;
			}
			q->fwd = true;
			if (!q->nsrv) {
				eng_frame_fail(e, q, EDE_NO_REACHABLE,
				           "no forwarder configured for this name", now);
				return;
			}
		} else {
			/* DS is the parent's data (RFC 4035 §3.1.4.1) */
			dns_name below = *target;
			if (type == DNS_T_DS && below.len > 1)
				dns_name_strip_left(&below, 1);
			int r = eng_find_servers(e, q, &below, now_s);
			if (r == 2)
				continue;
			if (r == 3 && q->lame_seen && !q->lame_ok) {
				/* only lame servers answered: as Unbound, take
				 * their answers rather than nothing */
				q->lame_ok = true;
				q->nbad = 0;
				continue;
			}
			if (r == 3 && q->empty_nodata && !q->depth) {
				/* only empty replies to be had: NODATA, briefly */
				q->empty_nodata = false;
				struct cache_put p = {
					.kind = CACHE_NODATA, .owner = target,
					.type = type, .rclass = DNS_C_IN,
					.ttl = RES_NEG_NOSOA_TTL,
					.status = VAL_UNCHECKED,
					.rank = RANK_AUTH_ANSWER };
				cache_put(e->cache, &p, now_s);
				q->any_asked = true; /* ANY: take it */
				continue;
			}
			if (r == 0 || r == 3) {
				const char *why = q->fail_why ? q->fail_why :
					r == 0 ? "no root hints" :
					"no reachable authority: no address for any NS of the zone";
				uint16_t ede = q->fail_why ? q->fail_ede
				                           : EDE_NO_REACHABLE;
				eng_frame_fail(e, q, ede, why, now);
				return;
			}
		}
		eng_start_exchange(e, q, target, type, now);
		return;
	}
	eng_servfail(e, q, EDE_OTHER, "resolution loop limit reached");
}

/* ---- client queries ---- */

/* A slot cleared for a new query. The name arrays chain[], stack[] and
 * glueless[] (6 of its 8.6 KB) are read only below their counts (nchain,
 * depth, n_glueless), so they are left as they are: clearing all of it
 * for every cache hit was a third of the engine's instructions. */
_Static_assert(offsetof(struct query, chain) < offsetof(struct query, nchain) &&
               offsetof(struct query, nchain) < offsetof(struct query, stack) &&
               offsetof(struct query, stack) < offsetof(struct query, depth) &&
               offsetof(struct query, depth) < offsetof(struct query, glueless) &&
               offsetof(struct query, glueless) < offsetof(struct query, n_glueless),
               "query_clear relies on this field order");

static void query_clear(struct query *q)
{
	memset(q, 0, offsetof(struct query, chain));
	q->nchain = 0;
	q->depth = 0;
	memset(&q->n_glueless, 0,
	       sizeof(*q) - offsetof(struct query, n_glueless));
}

static struct query *alloc_query(res_engine *e)
{
	for (unsigned i = 0; i < e->nq; i++)
		if (!e->q[i].used) {
			query_clear(&e->q[i]);
			e->q[i].used = true;
			if (i >= e->hi)
				e->hi = i + 1;
			return &e->q[i];
		}
	return NULL;
}

int res_query_start(res_engine *e, uint64_t client_tag, const uint8_t *query,
                    size_t len, bool tcp, uint64_t now_ms)
{
	if (!query || len < DNS_HEADER_LEN)
		return WARD_EINVAL;
	wire_rd rd = wire_rd_init(query, len);
	uint16_t id = wire_rd_u16(&rd);
	uint16_t flags = wire_rd_u16(&rd);
	if (flags & DNS_FLAG_QR)
		return WARD_EINVAL;
	e->st.client_queries++;
	struct query *q = alloc_query(e);
	if (!q)
		return WARD_ELIMIT;
	q->tag = client_tag;
	q->cid = id;
	q->cflags = flags;
	q->c_tcp = tcp;
	q->deadline = now_ms + RES_QUERY_DEADLINE_MS;
	dns_name_root(&q->qname_orig);
	q->qclass = DNS_C_IN;
	/* malformed, other opcodes, BADVERS, classes, meta types, CH */
	if (eng_client_check(e, q, query, len))
		return 0;
	q->chain[0] = q->qname_orig;
	q->nchain = 1;
	/* local data before the cache and upstreams (dnsmasq) */
	if (eng_local_answer(e, q, now_ms))
		return 0;
	/* then the blocklists (engine_block.c), still before the cache */
	if (!q->n_local && eng_blocked(e, q))
		return 0;
	if (q->qtype == DNS_T_ANY && !q->n_local && e->cfg.deny_any) {
		eng_answer_any(e, q); /* RFC 8482 §4.2 */
		return 0;
	}
	eng_step(e, q, now_ms);
	eng_unpark(e, now_ms);
	return 0;
}

/* ---- time ---- */

void res_set_wallclock(res_engine *e, int64_t unix_s, uint64_t now_ms)
{
	e->wall_offset_s = unix_s - (int64_t)(now_ms / 1000);
}

void res_tick(res_engine *e, uint64_t now_ms)
{
	for (unsigned i = 0; i < e->hi; i++) {
		struct query *q = &e->q[i];
		if (!q->used)
			continue;
		if (now_ms >= q->deadline) {
			q->waiting = false;
			eng_servfail(e, q, EDE_NO_REACHABLE,
			             "no reachable authority: resolution timed out");
			continue;
		}
		if (q->waiting && now_ms >= q->timer)
			eng_exchange_timed_out(e, q, now_ms);
	}
	eng_unpark(e, now_ms);
}

/* ---- for the other engine files (engine_int.h) ---- */

const struct res_forwarder *eng_fwd_longest(const res_engine *e,
                                            const dns_name *name)
{
	unsigned best = 0;
	const struct res_forwarder *bf = NULL;
	for (size_t i = 0; i < e->n_fwd; i++) {
		const struct res_forwarder *f = &e->fwd[i];
		unsigned l = dns_name_labels(&f->domain) + 1;
		if (dns_name_is_subdomain(name, &f->domain) && l > best) {
			best = l;
			bf = f;
		}
	}
	return bf;
}
