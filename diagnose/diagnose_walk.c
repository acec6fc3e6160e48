/* ward diagnose: the walk from the trust anchor to the answer (RFC 4035
 * §5, as resolver/val_chain.c walks it, one label at a time). At each
 * name below the deepest zone so far the DS set is asked for: a DS set
 * (validated with the parent's keys) makes a zone cut whose DNSKEY set it
 * must vouch for (§5.2); a proven absence of DS at a delegation (NSEC/NSEC3
 * showing NS without DS, or an opt-out span) ends the chain: insecure; a
 * proven absence elsewhere is no cut. Then the answer: each RRset of the
 * CNAME/DNAME chain with the keys of its zone (§5.3), the wildcard proof of
 * an expansion (§5.3.4), or the denial of the last name (§5.4, RFC 5155 §8).
 * Every record, signature result and proof goes into the model for the
 * report and the picture; the verdict names the first break. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "codec/msg.h"
#include "diagnose_int.h"


const char *diag_verdict_str(enum diag_verdict v)
{
	switch (v) {
	case DIAG_SECURE: return "secure";
	case DIAG_INSECURE: return "insecure";
	case DIAG_BOGUS: return "bogus";
	default: return "indeterminate";
	}
}

void dw_note(struct diag_model *m, const char *fmt, ...)
{
	if (m->nnotes >= DIAG_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->notes[m->nnotes++], DIAG_NOTE_MAX, fmt, ap);
	va_end(ap);
}

void dw_brk(struct wctx *c, enum diag_zstate st, uint16_t ede,
                const char *why)
{
	if (st == DIAG_Z_SECURE || c->have[st])
		return;
	c->have[st] = true;
	c->ede[st] = ede;
	snprintf(c->why[st], DIAG_TEXT_MAX, "%s", why);
}

/* ---- memory ---- */

static const uint8_t *keep(struct diag_model *m, const uint8_t *p, size_t n)
{
	if (m->nblocks == m->capblocks) {
		size_t nc = m->capblocks ? m->capblocks * 2 : 64;
		uint8_t **b = realloc(m->blocks, nc * sizeof *b);
		if (!b)
			return NULL;
		m->blocks = b;
		m->capblocks = nc;
	}
	uint8_t *d = malloc(n ? n : 1);
	if (!d)
		return NULL;
	memcpy(d, p, n);
	m->blocks[m->nblocks++] = d;
	return d;
}

void diag_model_free(struct diag_model *m)
{
	for (size_t i = 0; i < m->nblocks; i++)
		free(m->blocks[i]);
	free(m->blocks);
	m->blocks = NULL;
	m->nblocks = m->capblocks = 0;
}

/* ---- responses ---- */

void dw_resp_free(struct resp *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Fetch (name, type); DIAG_FETCH_* or WARD_ENOMEM. OK means parsed. */
int dw_ask(struct wctx *c, const dns_name *name, uint16_t type,
               struct resp *r)
{
	memset(r, 0, sizeof *r);
	if (!(r->buf = malloc(DNS_MSG_MAXLEN)))
		return WARD_ENOMEM;
	c->m->queries++;
	int rc = c->w->fetch(c->w->fetch_ctx, name, type, r->buf,
	                     DNS_MSG_MAXLEN, &r->len);
	if (rc == DIAG_FETCH_OK && dns_msg_parse(&r->msg, r->buf, r->len)) {
		char nb[DNS_NAME_TEXT_MAX], tb[16];
		dw_note(c->m, "the response to %s %s did not parse: taken as none",
		     dns_name_str(name, nb), dns_type_str(type, tb));
		rc = DIAG_FETCH_TIMEOUT;
	}
	if (rc != DIAG_FETCH_OK)
		dw_resp_free(r);
	return rc;
}

static uint16_t sig_covered(const dns_rr *rr)
{
	return rr->rdlen >= 2 ? (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]) : 0;
}

/* Copy one record of msg into the model. */
static int take_rr(struct diag_model *m, const dns_msg *msg,
                   const dns_rr_view *v, dns_rr *out)
{
	static uint8_t tmp[DNS_MSG_MAXLEN];
	if (dns_rr_view_to_rr(msg, v, out, tmp, sizeof tmp))
		return -1;
	const uint8_t *d = keep(m, out->rdata, out->rdlen);
	if (!d)
		return WARD_ENOMEM;
	out->rdata = d;
	return 0;
}

/* The RRset (owner, type) of a section and its RRSIGs into set. */
void dw_collect(struct diag_model *m, const dns_msg *msg,
                    enum dns_section sec, const dns_name *owner,
                    uint16_t type, struct diag_set *set)
{
	memset(set, 0, sizeof *set);
	set->type = type;
	set->owner = *owner;
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, msg, sec);
	while (dns_rr_iter_next(&it, &v) == 1) {
		dns_rr rr;
		if ((v.type != type && v.type != DNS_T_RRSIG) ||
		    take_rr(m, msg, &v, &rr) || !dns_name_equal(&rr.owner, owner))
			continue;
		if (v.type == type && type != DNS_T_RRSIG && set->n < DIAG_MAX_SET)
			set->rr[set->n++] = rr;
		else if (v.type == DNS_T_RRSIG && sig_covered(&rr) == type &&
		         set->nsig < DIAG_MAX_SIGS)
			set->sig[set->nsig++] = rr;
	}
	set->present = set->n > 0;
}

/* Each RRSIG on its own against the keys with its tag, for the report
 * (the verdict comes from dnssec_rrset_verify with the budget). */
void dw_check_sigs(struct wctx *c, struct diag_set *s, const dns_rr *keys,
                       size_t nk)
{
	dnssec_env env = c->env;
	env.budget = NULL; /* per-RRset caps only; at most a few per sig */
	for (size_t i = 0; i < s->nsig; i++) {
		struct diag_sig *r = &s->sr[i];
		dnssec_rrsig p;
		memset(r, 0, sizeof *r);
		r->result = DNSSEC_R_MALFORMED;
		if (dnssec_rrsig_parse(s->sig[i].rdata, s->sig[i].rdlen, &p))
			continue;
		r->key_tag = p.key_tag;
		r->algorithm = p.algorithm;
		r->inception = p.inception;
		r->expiration = p.expiration;
		r->signer = p.signer;
		r->result = DNSSEC_R_NO_DNSKEY;
		if (i >= DIAG_MAX_SHOWN_VERIFY || !s->n) {
			r->result = dnssec_rrsig_check_time(&p, &c->env);
			continue;
		}
		unsigned tried = 0;
		for (size_t k = 0; k < nk && tried < DNSSEC_MAX_KEYS_PER_TAG; k++) {
			dnssec_dnskey dk;
			if (dnssec_dnskey_parse(keys[k].rdata, keys[k].rdlen, &dk) ||
			    dk.tag != p.key_tag || dk.algorithm != p.algorithm)
				continue;
			dnssec_verdict v;
			tried++;
			r->checked = true;
			r->result = dnssec_rrsig_verify(s->rr, s->n, &s->sig[i],
			                                &keys[k], &env, &v);
			if (r->result == DNSSEC_R_OK)
				break;
		}
	}
}

/* Verify set with keys: the verdict for the model. */
enum dnssec_status dw_verify_set(struct wctx *c, struct diag_set *s,
                                     const dns_rr *keys, size_t nk,
                                     dnssec_verdict *v)
{
	dw_check_sigs(c, s, keys, nk);
	enum dnssec_status st = dnssec_rrset_verify(s->rr, s->n, s->sig, s->nsig,
	                                            keys, nk, &c->env, v);
	s->verified = true;
	s->status = st;
	s->reason = v->reason;
	snprintf(s->text, sizeof s->text, "%s", v->text);
	return st;
}

/* ---- zones ---- */

static int zone_find(const struct diag_model *m, const dns_name *n)
{
	for (size_t i = 0; i < m->nzones; i++)
		if (dns_name_equal(&m->zones[i].name, n))
			return (int)i;
	return -1;
}

static int zone_add(struct wctx *c, const dns_name *n, int parent)
{
	struct diag_model *m = c->m;
	if (m->nzones >= DIAG_MAX_ZONES)
		return -1;
	struct diag_zone *z = &m->zones[m->nzones];
	memset(z, 0, sizeof *z);
	z->name = *n;
	z->parent = parent;
	z->ede = DIAG_NO_EDE;
	for (size_t i = 0; i < DIAG_MAX_SET; i++)
		z->ds_key[i] = -1;
	return (int)m->nzones++;
}

static void zone_set(struct wctx *c, struct diag_zone *z, enum diag_zstate st,
                     uint16_t ede, const char *fmt, ...)
{
	z->state = st;
	z->ede = ede;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(z->why, sizeof z->why, fmt, ap);
	va_end(ap);
	dw_brk(c, st, ede, z->why);
}

/* Which DNSKEY each DS (or DS anchor) vouches for. */
static void match_ds(struct diag_zone *z, const dns_rr *ds, size_t nds)
{
	for (size_t i = 0; i < nds && i < DIAG_MAX_SET; i++) {
		dnssec_ds d;
		z->ds_key[i] = -1;
		z->ds_match[i] = DNSSEC_DS_MISMATCH;
		if (dnssec_ds_parse(ds[i].rdata, ds[i].rdlen, &d))
			continue;
		if (!dnssec_digest_supported(d.digest_type))
			z->ds_match[i] = DNSSEC_DS_UNSUPPORTED;
		for (size_t k = 0; k < z->dnskey.n; k++) {
			dnssec_dnskey dk;
			if (dnssec_dnskey_parse(z->dnskey.rr[k].rdata,
			                        z->dnskey.rr[k].rdlen, &dk) ||
			    dk.tag != d.key_tag || dk.algorithm != d.algorithm)
				continue;
			if (dnssec_ds_match(&z->name, &d, z->dnskey.rr[k].rdata,
			                    z->dnskey.rr[k].rdlen) == DNSSEC_DS_MATCH) {
				z->ds_key[i] = (int)k;
				z->ds_match[i] = DNSSEC_DS_MATCH;
				break;
			}
		}
	}
}

/* "DS example. 12345/8/2 matches no key in the DNSKEY set (tags 23456,
 * 34567)" for the first DS with a supported algorithm and digest. */
static void ds_nomatch_text(const struct diag_zone *z, char *out, size_t cap)
{
	char nb[DNS_NAME_TEXT_MAX], tags[200] = "";
	size_t tl = 0;
	for (size_t k = 0; k < z->dnskey.n && tl + 8 < sizeof tags; k++) {
		dnssec_dnskey dk;
		if (!dnssec_dnskey_parse(z->dnskey.rr[k].rdata,
		                         z->dnskey.rr[k].rdlen, &dk))
			tl += (size_t)snprintf(tags + tl, sizeof tags - tl, "%s%u",
			                       tl ? ", " : "", dk.tag);
	}
	const struct diag_set *s = &z->ds;
	for (size_t i = 0; i < s->n; i++) {
		dnssec_ds d;
		if (dnssec_ds_parse(s->rr[i].rdata, s->rr[i].rdlen, &d) ||
		    !dnssec_alg_supported(d.algorithm) ||
		    !dnssec_digest_supported(d.digest_type))
			continue;
		snprintf(out, cap, "DS %s %u/%u/%u matches no key in the DNSKEY "
		         "set (tags %s)", dns_name_str(&z->name, nb), d.key_tag,
		         d.algorithm, d.digest_type, tl ? tags : "none");
		return;
	}
	snprintf(out, cap, "no DS of %s matches a key in the DNSKEY set (tags %s)",
	         dns_name_str(&z->name, nb), tl ? tags : "none");
}

/* The zone's DNSKEY set, fetched and checked against its DS set or, for
 * the anchor zone, the trust anchors (as val_chain.c anchor_verify). */
static void zone_keys(struct wctx *c, int zi)
{
	struct diag_model *m = c->m;
	struct diag_zone *z = &m->zones[zi];
	char nb[DNS_NAME_TEXT_MAX];
	struct resp r;
	if (!z->anchor) {
		/* RFC 4035 5.2, RFC 6840 5.2: no DS with a supported algorithm
		 * and digest: insecure, whatever the DNSKEY set holds */
		bool alg = false, both = false;
		for (size_t i = 0; i < z->ds.n; i++) {
			dnssec_ds d;
			if (dnssec_ds_parse(z->ds.rr[i].rdata, z->ds.rr[i].rdlen, &d))
				continue;
			alg |= dnssec_alg_supported(d.algorithm);
			both |= dnssec_alg_supported(d.algorithm) &&
			        dnssec_digest_supported(d.digest_type);
		}
		if (!both) {
			match_ds(z, z->ds.rr, z->ds.n);
			zone_set(c, z, DIAG_Z_INSECURE, alg
			         ? DNSSEC_EDE_UNSUPPORTED_DS_DIGEST
			         : DNSSEC_EDE_UNSUPPORTED_DNSKEY_ALG,
			         "no DS of %s has a supported %s: the zone is treated "
			         "as unsigned (RFC 4035 5.2, RFC 6840 5.2)",
			         dns_name_str(&z->name, nb), alg ? "digest type"
			         : "algorithm");
			return;
		}
	}
	int rc = dw_ask(c, &z->name, DNS_T_DNSKEY, &r);
	if (rc == WARD_ENOMEM || rc != DIAG_FETCH_OK ||
	    (dns_msg_rcode(&r.msg) != DNS_RCODE_NOERROR &&
	     dns_msg_rcode(&r.msg) != DNS_RCODE_NXDOMAIN)) {
		zone_set(c, z, DIAG_Z_INDETERMINATE, 22, "%s DNSKEY: %s",
		         dns_name_str(&z->name, nb),
		         rc == DIAG_FETCH_NONE ? "not in the capture"
		         : rc == DIAG_FETCH_OK ? dns_rcode_name(dns_msg_rcode(&r.msg))
		         : "no response");
		if (rc == DIAG_FETCH_OK)
			dw_resp_free(&r);
		return;
	}
	dw_collect(m, &r.msg, DNS_SEC_ANSWER, &z->name, DNS_T_DNSKEY, &z->dnskey);
	dw_resp_free(&r);
	const dns_rr *ds = z->ds.rr;
	size_t nds = z->ds.n;
	dns_rr adk[DIAG_MAX_SET], ads[DIAG_MAX_SET];
	size_t nadk = 0, nads = 0;
	if (z->anchor) {
		for (size_t i = 0; i < m->nanchors; i++) {
			if (!dns_name_equal(&m->anchors[i].owner, &z->name))
				continue;
			if (m->anchors[i].type == DNS_T_DS)
				ads[nads++] = m->anchors[i];
			else
				adk[nadk++] = m->anchors[i];
		}
		ds = ads;
		nds = nads;
	}
	match_ds(z, ds, nds);
	dw_check_sigs(c, &z->dnskey, z->dnskey.rr, z->dnskey.n);
	if (!z->dnskey.n) {
		zone_set(c, z, DIAG_Z_BOGUS, DNSSEC_EDE_DNSKEY_MISSING,
		         "%s has no DNSKEY set, but %s vouches for one",
		         dns_name_str(&z->name, nb),
		         z->anchor ? "a trust anchor" : "its DS set in the parent");
		return;
	}
	dnssec_verdict v;
	enum dnssec_status st = DNSSEC_BOGUS;
	memset(&v, 0, sizeof v);
	if (nds) {
		st = dnssec_dnskey_verify_ds(z->dnskey.rr, z->dnskey.n, z->dnskey.sig,
		                             z->dnskey.nsig, ds, nds, &c->env, &v);
	}
	if (st != DNSSEC_SECURE && nadk)
		st = dnssec_rrset_verify(z->dnskey.rr, z->dnskey.n, z->dnskey.sig,
		                         z->dnskey.nsig, adk, nadk, &c->env, &v);
	z->dnskey.verified = true;
	z->dnskey.status = st;
	z->dnskey.reason = v.reason;
	snprintf(z->dnskey.text, sizeof z->dnskey.text, "%s", v.text);
	if (st == DNSSEC_SECURE) {
		z->state = DIAG_Z_SECURE;
		return;
	}
	if (st == DNSSEC_INSECURE) {
		zone_set(c, z, DIAG_Z_INSECURE, v.ede, "%s: %s (RFC 4035 5.2: "
		         "no DS with a supported algorithm and digest type)",
		         dns_name_str(&z->name, nb), v.text);
		return;
	}
	if (v.reason == DNSSEC_R_DS_NO_MATCH) {
		char t[DIAG_TEXT_MAX];
		ds_nomatch_text(z, t, sizeof t);
		zone_set(c, z, DIAG_Z_BOGUS, v.ede, "%s", t);
		return;
	}
	zone_set(c, z, DIAG_Z_BOGUS, v.ede, "%s DNSKEY set (checked by %s): %s",
	         dns_name_str(&z->name, nb), z->anchor ? "the trust anchor"
	         : "its DS set", v.text);
}

/* The anchor zone above n: created (and its keys checked) once. */
static int anchor_zone(struct wctx *c, const dns_name *n)
{
	struct diag_model *m = c->m;
	const dns_name *best = NULL;
	for (size_t i = 0; i < m->nanchors; i++)
		if (dns_name_is_subdomain(n, &m->anchors[i].owner) &&
		    (!best || m->anchors[i].owner.len > best->len))
			best = &m->anchors[i].owner;
	if (!best)
		return -1;
	int zi = zone_find(m, best);
	if (zi >= 0)
		return zi;
	if ((zi = zone_add(c, best, -1)) < 0)
		return -1;
	m->zones[zi].anchor = true;
	zone_keys(c, zi);
	return zi;
}

static bool nocut_known(const struct wctx *c, const dns_name *n)
{
	for (size_t i = 0; i < c->nnocut; i++)
		if (dns_name_equal(&c->nocut[i], n))
			return true;
	return false;
}

static void nocut_add(struct wctx *c, const dns_name *n)
{
	if (c->nnocut < WALK_MAX_KNOWN)
		c->nocut[c->nnocut++] = *n;
}

/* The NSEC/NSEC3 records of the authority section into d, each RRset
 * checked with the zone's keys; *bad gets the first failure. Returns the
 * number of records that may be used in a proof, copied to use[]. */
size_t dw_proof_records(struct wctx *c, const dns_msg *msg,
                            const struct diag_zone *z, struct diag_denial *d,
                            dns_rr *use, dnssec_verdict *bad, bool *failed)
{
	struct diag_model *m = c->m;
	d->n = d->nsig = 0;
	*failed = false;
	dns_rr_iter it;
	dns_rr_view v;
	dns_rr_iter_init(&it, msg, DNS_SEC_AUTHORITY);
	while (dns_rr_iter_next(&it, &v) == 1) {
		dns_rr rr;
		if (v.type != DNS_T_NSEC && v.type != DNS_T_NSEC3 &&
		    v.type != DNS_T_RRSIG)
			continue;
		if (take_rr(m, msg, &v, &rr))
			continue;
		if (v.type != DNS_T_RRSIG) {
			if (d->n < DIAG_MAX_PROOF)
				d->rr[d->n++] = rr;
		} else if ((sig_covered(&rr) == DNS_T_NSEC ||
		            sig_covered(&rr) == DNS_T_NSEC3) &&
		           d->nsig < 2 * DIAG_MAX_PROOF) {
			d->sig[d->nsig++] = rr;
		}
	}
	size_t nuse = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (d->rr[i].type == DNS_T_NSEC3)
			d->nsec3 = true;
		dns_rr sigs[2 * DIAG_MAX_PROOF];
		size_t ns = 0;
		unsigned minlab = 255;
		for (size_t j = 0; j < d->nsig; j++) {
			if (!dns_name_equal(&d->sig[j].owner, &d->rr[i].owner) ||
			    sig_covered(&d->sig[j]) != d->rr[i].type)
				continue;
			sigs[ns++] = d->sig[j];
			if (d->sig[j].rdlen >= 4 && d->sig[j].rdata[3] < minlab)
				minlab = d->sig[j].rdata[3];
		}
		dnssec_verdict vv;
		enum dnssec_status st = dnssec_rrset_verify(
			&d->rr[i], 1, sigs, ns, z->dnskey.rr, z->dnskey.n,
			&c->env, &vv);
		d->rr_res[i] = vv.reason;
		if (st != DNSSEC_SECURE) {
			if (!*failed)
				*bad = vv;
			*failed = true;
			continue;
		}
		/* a record from a wildcard expansion proves nothing (4035 5.3.4);
		 * the labels field does not count a leading "*" (4034 3.1.3) */
		unsigned ol = dns_name_labels(&d->rr[i].owner);
		if (d->rr[i].owner.wire[0] == 1 && d->rr[i].owner.wire[1] == '*')
			ol--;
		if (minlab < ol)
			continue;
		use[nuse++] = d->rr[i];
	}
	return nuse;
}

enum denial_verdict dw_prove(struct wctx *c, struct diag_denial *d,
                                 enum proof kind, const dns_name *qname,
                                 uint16_t qtype, const dns_name *zone,
                                 unsigned labels, const dns_rr *use,
                                 size_t nuse)
{
	static const char *const kinds[] = { "nxdomain", "nodata", "wildcard",
	                                     "insecure-delegation" };
	(void)c;
	d->used = true;
	d->kind = kinds[kind];
	d->qname = *qname;
	d->qtype = qtype;
	denial_query q = { qname, qtype, zone };
	nsec3_ctx n3;
	nsec3_ctx_init(&n3);
	denial_result *r = &d->result;
	if (d->nsec3) {
		switch (kind) {
		case P_NXDOMAIN: return nsec3_prove_nxdomain(&q, use, nuse, &n3, r);
		case P_NODATA: return nsec3_prove_nodata(&q, use, nuse, &n3, r);
		case P_WILDCARD:
			return nsec3_prove_wildcard(&q, labels, use, nuse, &n3, r);
		default:
			return nsec3_prove_insecure_delegation(&q, use, nuse, &n3, r);
		}
	}
	switch (kind) {
	case P_NXDOMAIN: return nsec_prove_nxdomain(&q, use, nuse, r);
	case P_NODATA: return nsec_prove_nodata(&q, use, nuse, r);
	case P_WILDCARD: return nsec_prove_wildcard(&q, labels, use, nuse, r);
	default: return nsec_prove_insecure_delegation(&q, use, nuse, r);
	}
}

uint16_t dw_denial_ede(const denial_result *r)
{
	return r->ede ? r->ede : (r->verdict == DENIAL_INSECURE ? DIAG_NO_EDE
	                          : DENIAL_EDE_BOGUS);
}

/* DS at ch answered with NODATA/NXDOMAIN by zone zi: a cut or not.
 * Returns the zone index to continue with, or -2 to go on with zi, or -3
 * when nothing exists below ch. */
static int ds_absent(struct wctx *c, int zi, const dns_name *ch,
                     const struct resp *r)
{
	struct diag_model *m = c->m;
	struct diag_zone *z = &m->zones[zi];
	char nb[DNS_NAME_TEXT_MAX];
	if (dns_msg_rcode(&r->msg) == DNS_RCODE_NXDOMAIN) {
		nocut_add(c, ch);
		return -3; /* the answer's denial is checked with the answer */
	}
	dns_rr use[DIAG_MAX_PROOF];
	dnssec_verdict bad;
	bool failed;
	struct diag_denial *d = calloc(1, sizeof *d);
	if (!d)
		return WARD_ENOMEM;
	size_t nuse = dw_proof_records(c, &r->msg, z, d, use, &bad, &failed);
	int out = -2;
	enum denial_verdict dv = dw_prove(c, d, P_INSECURE_DELEG, ch, DNS_T_DS,
	                               &z->name, 0, use, nuse);
	if (!failed && dv != DENIAL_BOGUS) {
		/* an unsigned delegation (or opt-out span): insecure below */
		int ci = zone_add(c, ch, zi);
		if (ci < 0) {
			free(d);
			return -1;
		}
		struct diag_zone *cz = &m->zones[ci];
		cz->nods = *d;
		zone_set(c, cz, DIAG_Z_INSECURE, dv == DENIAL_INSECURE
		         ? dw_denial_ede(&d->result) : DIAG_NO_EDE,
		         "%s is an unsigned delegation: %s proves no DS in %s%s",
		         dns_name_str(ch, nb), d->nsec3 ? "NSEC3" : "NSEC",
		         dns_name_str(&z->name, (char[DNS_NAME_TEXT_MAX]){ 0 }),
		         d->result.reason == DENIAL_R_OPTOUT
		         ? " (an opt-out span, RFC 5155 6)" : "");
		free(d);
		return ci;
	}
	denial_result del = d->result;
	dv = dw_prove(c, d, P_NODATA, ch, DNS_T_DS, &z->name, 0, use, nuse);
	if (!failed && dv == DENIAL_SECURE) {
		nocut_add(c, ch); /* no zone cut at ch */
		free(d);
		return -2;
	}
	int ci = zone_add(c, ch, zi);
	if (ci < 0) {
		free(d);
		return -1;
	}
	struct diag_zone *cz = &m->zones[ci];
	cz->nods = *d;
	if (failed)
		zone_set(c, cz, DIAG_Z_BOGUS, bad.ede, "the proof of no DS for "
		         "%s: %s", dns_name_str(ch, nb), bad.text);
	else if (dv == DENIAL_INSECURE)
		zone_set(c, cz, DIAG_Z_INSECURE, dw_denial_ede(&d->result),
		         "no DS for %s: %s", dns_name_str(ch, nb),
		         d->result.reason == DENIAL_R_ITERATIONS
		         ? "NSEC3 iterations above the limit (RFC 9276 3.2)"
		         : "an opt-out NSEC3 covers it (RFC 5155 6)");
	else
		zone_set(c, cz, DIAG_Z_BOGUS, dw_denial_ede(&d->result),
		         "no proof that %s has no DS: %s", dns_name_str(ch, nb),
		         d->result.why[0] ? d->result.why : del.why);
	out = ci;
	free(d);
	return out;
}

/* Walk from the anchor down to t; the index of the deepest zone at or
 * above t reached (its state says whether the chain holds), -1 when no
 * anchor is above t or the model is full, WARD_ENOMEM. */
int dw_walk_to(struct wctx *c, const dns_name *t)
{
	struct diag_model *m = c->m;
	int zi = anchor_zone(c, t);
	if (zi < 0)
		return -1;
	char nb[DNS_NAME_TEXT_MAX];
	unsigned tl = dns_name_labels(t);
	for (unsigned guard = 0; guard < WALK_MAX_LABELS; guard++) {
		struct diag_zone *z = &m->zones[zi];
		if (z->state != DIAG_Z_SECURE || dns_name_equal(&z->name, t))
			return zi;
		/* the next name below: from the last zone or known no-cut */
		dns_name ch = *t;
		unsigned zl = dns_name_labels(&z->name);
		unsigned at = zl;
		while (at + 1 < tl) {
			dns_name probe = *t;
			dns_name_strip_left(&probe, tl - at - 1);
			if (!nocut_known(c, &probe))
				break;
			at++;
		}
		dns_name_strip_left(&ch, tl - at - 1);
		if (nocut_known(c, &ch) && dns_name_equal(&ch, t))
			return zi;
		int known = zone_find(m, &ch);
		if (known >= 0) {
			zi = known;
			continue;
		}
		struct resp r;
		int rc = dw_ask(c, &ch, DNS_T_DS, &r);
		if (rc == WARD_ENOMEM)
			return rc;
		if (rc == DIAG_FETCH_NONE) {
			dw_note(m, "DS %s is not in the capture: no zone cut assumed "
			     "there", dns_name_str(&ch, nb));
			nocut_add(c, &ch);
			continue;
		}
		uint16_t rcode = rc == DIAG_FETCH_OK ? dns_msg_rcode(&r.msg) : 0;
		if (rc != DIAG_FETCH_OK || (rcode != DNS_RCODE_NOERROR &&
		                            rcode != DNS_RCODE_NXDOMAIN)) {
			int ci = zone_add(c, &ch, zi);
			if (ci < 0)
				return -1;
			zone_set(c, &m->zones[ci], DIAG_Z_INDETERMINATE, 22,
			         "DS %s: %s", dns_name_str(&ch, nb),
			         rc == DIAG_FETCH_OK ? dns_rcode_name(rcode)
			         : "no response (no reachable authority)");
			if (rc == DIAG_FETCH_OK)
				dw_resp_free(&r);
			return ci;
		}
		struct diag_set ds;
		dw_collect(m, &r.msg, DNS_SEC_ANSWER, &ch, DNS_T_DS, &ds);
		if (!ds.n) {
			struct diag_set cn;
			dw_collect(m, &r.msg, DNS_SEC_ANSWER, &ch, DNS_T_CNAME, &cn);
			if (cn.n) { /* a CNAME is no zone cut */
				nocut_add(c, &ch);
				dw_resp_free(&r);
				continue;
			}
			int nz = ds_absent(c, zi, &ch, &r);
			dw_resp_free(&r);
			if (nz == -3 || nz == -1 || nz == WARD_ENOMEM)
				return nz == -3 ? zi : nz;
			if (nz >= 0)
				return nz;
			continue;
		}
		dw_resp_free(&r);
		int ci = zone_add(c, &ch, zi);
		if (ci < 0)
			return -1;
		struct diag_zone *cz = &m->zones[ci];
		z = &m->zones[zi];
		cz->ds = ds;
		dnssec_verdict v;
		if (dw_verify_set(c, &cz->ds, z->dnskey.rr, z->dnskey.n, &v) !=
		    DNSSEC_SECURE) {
			zone_set(c, cz, DIAG_Z_BOGUS, v.ede, "the DS set of %s "
			         "(signed by %s): %s", dns_name_str(&ch, nb),
			         dns_name_str(&z->name, (char[DNS_NAME_TEXT_MAX]){ 0 }),
			         v.text);
			return ci;
		}
		zone_keys(c, ci);
		zi = ci;
	}
	return zi;
}

int diag_walk_run(const struct diag_walk *w, const dns_name *qname,
                  uint16_t qtype, struct diag_model *m)
{
	struct wctx *c = calloc(1, sizeof *c);
	if (!c)
		return WARD_ENOMEM;
	c->w = w;
	c->m = m;
	m->qname = *qname;
	m->qtype = qtype;
	m->at = w->at;
	m->ede = DIAG_NO_EDE;
	m->denial_zone = -1;
	for (size_t i = 0; i < w->nanchors && m->nanchors < DIAG_MAX_SET; i++)
		m->anchors[m->nanchors++] = w->anchors[i];
	dnssec_budget_init(&c->budget);
	c->env.now = w->at;
	c->env.budget = &c->budget;
	int e = dw_loop_check(c);
	if (e < 0) {
		free(c);
		return e;
	}
	int zi = dw_walk_to(c, qname);
	if (zi == -1) {
		char nb[DNS_NAME_TEXT_MAX];
		if (m->nzones)
			snprintf(m->sentence, sizeof m->sentence, "the model is full "
			         "(more than %d zones)", DIAG_MAX_ZONES);
		else
			snprintf(m->sentence, sizeof m->sentence, "no trust anchor at or "
			         "above %s", dns_name_str(qname, nb));
		free(c);
		return WARD_EINVAL;
	}
	if (zi < 0)
		e = zi;
	else if (m->zones[zi].state == DIAG_Z_SECURE ||
	         m->zones[zi].state == DIAG_Z_INSECURE)
		e = dw_answer_check(c);
	if (e < 0) {
		snprintf(m->sentence, sizeof m->sentence, "%s", ward_strerror(e));
		free(c);
		return e;
	}
	static const enum diag_zstate order[] = { DIAG_Z_BOGUS,
		DIAG_Z_INDETERMINATE, DIAG_Z_INSECURE };
	static const enum diag_verdict as[] = { DIAG_BOGUS, DIAG_INDETERMINATE,
		DIAG_INSECURE };
	m->verdict = DIAG_SECURE;
	for (size_t i = 0; i < 3; i++)
		if (c->have[order[i]]) {
			m->verdict = as[i];
			m->ede = c->ede[order[i]];
			snprintf(m->sentence, sizeof m->sentence, "%s", c->why[order[i]]);
			break;
		}
	if (m->verdict == DIAG_SECURE) {
		char nb[DNS_NAME_TEXT_MAX], tb[16];
		snprintf(m->sentence, sizeof m->sentence, "%s %s: every link from the "
		         "trust anchor to the %s validates", dns_name_str(qname, nb),
		         dns_type_str(qtype, tb), m->nlinks ? "answer" : "denial");
	}
	if (c->budget.exhausted)
		dw_note(m, "the validation work budget (%d verifications) ran out",
		     DNSSEC_MAX_VERIFY_PER_QUERY);
	free(c);
	return 0;
}
