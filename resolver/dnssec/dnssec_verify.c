/* ward DNSSEC: RRSIG checks and verification of one RRset (RFC 4034 §3,
 * §6; RFC 4035 §5.3), with the KeyTrap work caps of dnssec_limits.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/error.h"
#include "dnssec.h"
#include "dnssec_int.h"

/* ---- validity window (RFC 4034 §3.1.5, RFC 1982 serial arithmetic) ---- */

/* a - b as a signed 32-bit serial distance */
static int32_t serial_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static uint32_t skew_of(const dnssec_rrsig *sig, const dnssec_env *env)
{
	/* Unbound's rule: 10% of the window, clamped to [min, max]. */
	uint32_t w = (uint32_t)serial_diff(sig->expiration, sig->inception) / 10;
	if (w < env->skew_min)
		w = env->skew_min;
	if (w > env->skew_max)
		w = env->skew_max;
	return w;
}

enum dnssec_reason dnssec_rrsig_check_time(const dnssec_rrsig *sig,
                                           const dnssec_env *env)
{
	if (env->ignore_time)
		return DNSSEC_R_OK;
	uint32_t now = (uint32_t)env->now;
	if (serial_diff(sig->expiration, sig->inception) < 0)
		return DNSSEC_R_SIG_WINDOW;
	int32_t early = serial_diff(sig->inception, now);
	if (early > 0 && (uint32_t)early > skew_of(sig, env))
		return DNSSEC_R_SIG_NOT_YET_VALID;
	int32_t late = serial_diff(now, sig->expiration);
	if (late > 0 && (uint32_t)late > skew_of(sig, env))
		return DNSSEC_R_SIG_EXPIRED;
	return DNSSEC_R_OK;
}

/* ---- signed data (RFC 4034 §3.1.8.1) ---- */

static bool is_wildcard(const dns_name *n)
{
	return n->len >= 2 && n->wire[0] == 1 && n->wire[1] == '*';
}

/* Labels of an owner as the RRSIG labels field counts them: without the
 * root and without a leftmost "*" (RFC 4034 §3.1.3). */
static unsigned sig_labels(const dns_name *owner)
{
	return dns_name_labels(owner) - (is_wildcard(owner) ? 1u : 0u);
}

/* The owner to sign: lowercased, and "*." + the rightmost `labels` labels
 * when the RRSIG was made for a wildcard (RFC 4035 §5.3.2). */
static int signed_owner(const dns_name *owner, uint8_t labels, dns_name *out)
{
	unsigned have = dns_name_labels(owner);
	if (labels > sig_labels(owner))
		return WARD_EINVAL;
	*out = *owner;
	if (labels < have) {
		static const uint8_t star = '*';
		dns_name_strip_left(out, have - labels);
		int r = dns_name_prepend_label(out, &star, 1);
		if (r < 0)
			return r;
	}
	dns_name_lower(out);
	return 0;
}

static int cmp_rr_ptr(const void *a, const void *b)
{
	const dns_rr *x = *(const dns_rr *const *)a;
	const dns_rr *y = *(const dns_rr *const *)b;
	return dns_rdata_canon_cmp(x->type, x->rdata, x->rdlen, y->rdata,
	                           y->rdlen);
}

#define SORT_STACK 32

int dnssec_signed_data(const dns_rr *rrs, size_t n, const dnssec_rrsig *sig,
                       uint8_t *out, size_t cap, size_t *len)
{
	*len = 0;
	if (n == 0)
		return WARD_EINVAL;
	dns_name owner;
	if (signed_owner(&rrs[0].owner, sig->labels, &owner) < 0)
		return WARD_EINVAL;

	const dns_rr *stack[SORT_STACK];
	const dns_rr **v = stack;
	if (n > SORT_STACK && !(v = malloc(n * sizeof *v)))
		return WARD_ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = &rrs[i];
	qsort(v, n, sizeof *v, cmp_rr_ptr);

	/* RRSIG rdata up to the signature, signer name lowercased */
	dns_name signer = sig->signer;
	dns_name_lower(&signer);
	size_t need = 18 + (size_t)signer.len;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cmp_rr_ptr(&v[i - 1], &v[i]) != 0)
			need += owner.len + 10u + v[i]->rdlen;
	*len = need;
	if (need > cap) {
		if (v != stack)
			free(v);
		return WARD_ESPACE;
	}

	wire_wr w = wire_wr_init(out, cap);
	wire_wr_bytes(&w, sig->rdata, 18);
	dns_name_write(&w, &signer);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && cmp_rr_ptr(&v[i - 1], &v[i]) == 0)
			continue; /* duplicates once (RFC 4034 §6.3) */
		dns_rr rr = *v[i];
		rr.owner = owner;
		dns_rr_write_canonical(&w, &rr, sig->orig_ttl);
	}
	if (v != stack)
		free(v);
	return w.err ? w.err : 0;
}

/* ---- one signature ---- */

/* The RRset's TTL once verified (RFC 4035 §5.3.3). */
static uint32_t verified_ttl(const dns_rr *rrs, size_t n, const dns_rr *rrsig,
                             const dnssec_rrsig *sig, const dnssec_env *env)
{
	uint32_t ttl = sig->orig_ttl;
	if (rrsig->ttl < ttl)
		ttl = rrsig->ttl;
	for (size_t i = 0; i < n; i++)
		if (rrs[i].ttl < ttl)
			ttl = rrs[i].ttl;
	if (!env->ignore_time) {
		int32_t left = serial_diff(sig->expiration, (uint32_t)env->now);
		if (left <= 0)
			ttl = 0;
		else if ((uint32_t)left < ttl)
			ttl = (uint32_t)left;
	}
	return ttl;
}

/* Does this RRSIG record claim to cover the RRset? */
static bool sig_covers(const dns_rr *rrsig, const dns_rr *set)
{
	wire_rd rd = wire_rd_init(rrsig->rdata, rrsig->rdlen);
	uint16_t covered = wire_rd_u16(&rd);
	return rrsig->type == DNS_T_RRSIG && rrsig->rclass == set->rclass &&
	       !rd.err && covered == set->type &&
	       dns_name_equal(&rrsig->owner, &set->owner);
}

/* Checks of the RRSIG alone against the RRset (RFC 4035 §5.3.1). */
static enum dnssec_reason sig_fields_check(const dns_rr *set,
                                           const dnssec_rrsig *sig)
{
	if (!dns_name_is_subdomain(&set->owner, &sig->signer))
		return DNSSEC_R_SIGNER;
	if (sig->labels > sig_labels(&set->owner))
		return DNSSEC_R_LABELS;
	if (!dnssec_alg_supported(sig->algorithm))
		return DNSSEC_R_UNSUPPORTED_ALG;
	return DNSSEC_R_OK;
}

/* Is the key itself in the DNSKEY RRset being verified? */
static bool key_in_set(const dns_rr *rrs, size_t n, const dns_rr *keyrr)
{
	if (rrs[0].type != DNS_T_DNSKEY)
		return false;
	for (size_t i = 0; i < n; i++)
		if (rrs[i].rdlen == keyrr->rdlen &&
		    memcmp(rrs[i].rdata, keyrr->rdata, keyrr->rdlen) == 0 &&
		    dns_name_equal(&rrs[i].owner, &keyrr->owner))
			return true;
	return false;
}

/* May this key verify this RRSIG over rrs? DNSSEC_R_NO_DNSKEY when it is
 * not the key the RRSIG names; otherwise the key's own flaws. A revoked
 * key still verifies its own DNSKEY RRset, the signature that announces
 * the revocation (RFC 5011 §2.1). */
static enum dnssec_reason key_check(const dns_rr *rrs, size_t n,
                                    const dns_rr *keyrr, const dnssec_dnskey *k,
                                    const dnssec_rrsig *sig)
{
	if (k->tag != sig->key_tag || k->algorithm != sig->algorithm ||
	    !dns_name_equal(&keyrr->owner, &sig->signer))
		return DNSSEC_R_NO_DNSKEY;
	if (k->protocol != DNSKEY_PROTOCOL)
		return DNSSEC_R_BAD_PROTOCOL;
	if (!(k->flags & DNSKEY_F_ZONE))
		return DNSSEC_R_NO_ZONE_KEY;
	if ((k->flags & DNSKEY_F_REVOKE) && !key_in_set(rrs, n, keyrr))
		return DNSSEC_R_KEY_REVOKED;
	return DNSSEC_R_OK;
}

/* Signed data in a stack buffer or, when larger, on the heap. */
typedef struct sdata {
	uint8_t stack[4096];
	uint8_t *p;
	size_t len;
	bool built;
} sdata;

static enum dnssec_reason sdata_build(sdata *d, const dns_rr *rrs, size_t n,
                                      const dnssec_rrsig *sig)
{
	if (d->built)
		return DNSSEC_R_OK;
	d->p = d->stack;
	int r = dnssec_signed_data(rrs, n, sig, d->p, sizeof d->stack, &d->len);
	if (r == WARD_ESPACE) {
		if (!(d->p = malloc(d->len)))
			return DNSSEC_R_INTERNAL;
		r = dnssec_signed_data(rrs, n, sig, d->p, d->len, &d->len);
	}
	if (r < 0)
		return r == WARD_EINVAL ? DNSSEC_R_LABELS : DNSSEC_R_INTERNAL;
	d->built = true;
	return DNSSEC_R_OK;
}

static void sdata_free(sdata *d)
{
	if (d->built && d->p != d->stack)
		free(d->p);
	d->built = false;
}

/* The public-key step with its budget. */
static enum dnssec_reason crypto_step(sdata *d, const dns_rr *rrs, size_t n,
                                      const dnssec_rrsig *sig,
                                      const dnssec_dnskey *k,
                                      const dnssec_env *env)
{
	if (env->budget && !dnssec_budget_take_verify(env->budget))
		return DNSSEC_R_LIMIT;
	enum dnssec_reason r = sdata_build(d, rrs, n, sig);
	if (r != DNSSEC_R_OK)
		return r;
	return dnssec_verify_cached(env->keycache, sig->algorithm, k->key,
	                            k->key_len, sig->sig, sig->sig_len, d->p,
	                            d->len);
}

static void set_secure(dnssec_verdict *v, const dns_rr *rrs, size_t n,
                       const dns_rr *rrsig, const dnssec_rrsig *sig,
                       const dnssec_env *env)
{
	dnssec_verdict_set(v, DNSSEC_SECURE, DNSSEC_R_OK, &rrs[0], sig, env->now,
	                   NULL);
	v->ttl = verified_ttl(rrs, n, rrsig, sig, env);
	v->wildcard = sig->labels < sig_labels(&rrs[0].owner);
	if (v->wildcard)
		signed_owner(&rrs[0].owner, sig->labels, &v->source);
}

enum dnssec_reason dnssec_rrsig_verify(const dns_rr *rrs, size_t n,
                                       const dns_rr *rrsig,
                                       const dns_rr *dnskey,
                                       const dnssec_env *env,
                                       dnssec_verdict *v)
{
	dnssec_verdict_init(v);
	dnssec_rrsig sig;
	dnssec_dnskey k;
	if (n == 0 || !sig_covers(rrsig, &rrs[0])) {
		dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_NO_RRSIG,
		                   n ? &rrs[0] : NULL, NULL, env->now, NULL);
		return v->reason;
	}
	if (dnssec_rrsig_parse(rrsig->rdata, rrsig->rdlen, &sig) < 0) {
		dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_MALFORMED, &rrs[0],
		                   NULL, env->now, "RRSIG rdata");
		return v->reason;
	}
	enum dnssec_reason r = sig_fields_check(&rrs[0], &sig);
	if (r == DNSSEC_R_OK) {
		if (dnskey->type != DNS_T_DNSKEY ||
		    dnssec_dnskey_parse(dnskey->rdata, dnskey->rdlen, &k) < 0)
			r = DNSSEC_R_NO_DNSKEY;
		else
			r = key_check(rrs, n, dnskey, &k, &sig);
	}
	if (r == DNSSEC_R_OK)
		r = dnssec_rrsig_check_time(&sig, env);
	if (r == DNSSEC_R_OK) {
		sdata d = { .built = false };
		r = crypto_step(&d, rrs, n, &sig, &k, env);
		sdata_free(&d);
	}
	if (r == DNSSEC_R_OK)
		set_secure(v, rrs, n, rrsig, &sig, env);
	else
		dnssec_verdict_set(v, DNSSEC_BOGUS, r, &rrs[0], &sig, env->now,
		                   NULL);
	return r;
}

/* ---- an RRset against a key set ---- */

/* How far a failed RRSIG got: the verdict reports the furthest. */
static int progress(enum dnssec_reason r)
{
	switch (r) {
	case DNSSEC_R_NO_RRSIG: return 0;
	case DNSSEC_R_UNSUPPORTED_ALG: return 1;
	case DNSSEC_R_MALFORMED:
	case DNSSEC_R_SIGNER:
	case DNSSEC_R_LABELS: return 2;
	case DNSSEC_R_NO_DNSKEY: return 3;
	case DNSSEC_R_BAD_PROTOCOL:
	case DNSSEC_R_NO_ZONE_KEY:
	case DNSSEC_R_KEY_REVOKED: return 4;
	case DNSSEC_R_SIG_EXPIRED:
	case DNSSEC_R_SIG_NOT_YET_VALID:
	case DNSSEC_R_SIG_WINDOW: return 5;
	case DNSSEC_R_BAD_KEY:
	case DNSSEC_R_BAD_SIG_FORMAT:
	case DNSSEC_R_SIG_BAD: return 6;
	default: return 7; /* LIMIT, INTERNAL */
	}
}

typedef struct failure {
	enum dnssec_reason reason;
	dnssec_rrsig sig;
	bool has_sig;
} failure;

static void note(failure *f, enum dnssec_reason r, const dnssec_rrsig *sig)
{
	if (progress(r) <= progress(f->reason))
		return;
	f->reason = r;
	f->has_sig = sig != NULL;
	if (sig)
		f->sig = *sig;
}

#define KEYS_STACK 16

enum dnssec_status dnssec_rrset_verify(const dns_rr *rrs, size_t n,
                                       const dns_rr *sigs, size_t nsigs,
                                       const dns_rr *keys, size_t nkeys,
                                       const dnssec_env *env,
                                       dnssec_verdict *v)
{
	dnssec_verdict_init(v);
	if (n == 0) {
		dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_MALFORMED, NULL, NULL,
		                   env->now, "empty RRset");
		return v->status;
	}
	/* parse the keys once: tags are compared for every RRSIG */
	dnssec_dnskey kstack[KEYS_STACK];
	dnssec_dnskey *pk = kstack;
	if (nkeys > KEYS_STACK && !(pk = malloc(nkeys * sizeof *pk))) {
		dnssec_verdict_set(v, DNSSEC_BOGUS, DNSSEC_R_INTERNAL, &rrs[0],
		                   NULL, env->now, NULL);
		return v->status;
	}
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].type != DNS_T_DNSKEY ||
		    dnssec_dnskey_parse(keys[i].rdata, keys[i].rdlen, &pk[i]) < 0)
			pk[i].algorithm = 0; /* never matches: no algorithm 0 */

	/* algorithms that still need a valid signature (env->need_algs) */
	uint8_t need[32] = { 0 };
	unsigned nneed = 0;
	for (size_t i = 0; i < env->n_need_algs; i++) {
		uint8_t a = env->need_algs[i];
		if (dnssec_alg_supported(a) && !(need[a >> 3] & (1u << (a & 7)))) {
			need[a >> 3] |= (uint8_t)(1u << (a & 7));
			nneed++;
		}
	}
	dnssec_verdict ok;
	bool have_ok = false;
	uint32_t ok_ttl = UINT32_MAX;

	failure f = { .reason = DNSSEC_R_NO_RRSIG, .has_sig = false };
	unsigned sigs_tried = 0, verifies = 0;
	bool done = false;
	for (size_t s = 0; s < nsigs && !done; s++) {
		if (!sig_covers(&sigs[s], &rrs[0]))
			continue;
		dnssec_rrsig sig;
		if (dnssec_rrsig_parse(sigs[s].rdata, sigs[s].rdlen, &sig) < 0) {
			note(&f, DNSSEC_R_MALFORMED, NULL);
			continue;
		}
		enum dnssec_reason r = sig_fields_check(&rrs[0], &sig);
		if (r != DNSSEC_R_OK) {
			note(&f, r, &sig);
			continue;
		}
		if (have_ok && !(need[sig.algorithm >> 3] & (1u << (sig.algorithm & 7))))
			continue; /* this algorithm is satisfied already */
		bool matched = false, time_ok = false;
		unsigned keys_tried = 0;
		sdata d = { .built = false };
		for (size_t k = 0; k < nkeys && !done; k++) {
			if (pk[k].algorithm == 0)
				continue;
			r = key_check(rrs, n, &keys[k], &pk[k], &sig);
			if (r == DNSSEC_R_NO_DNSKEY)
				continue;
			if (!matched) {
				matched = true;
				if (++sigs_tried > DNSSEC_MAX_RRSIGS_PER_RRSET) {
					note(&f, DNSSEC_R_LIMIT, &sig);
					done = true;
					break;
				}
			}
			if (++keys_tried > DNSSEC_MAX_KEYS_PER_TAG) {
				note(&f, DNSSEC_R_LIMIT, &sig);
				break;
			}
			if (r != DNSSEC_R_OK) {
				note(&f, r, &sig);
				continue;
			}
			if (!time_ok) {
				r = dnssec_rrsig_check_time(&sig, env);
				if (r != DNSSEC_R_OK) {
					note(&f, r, &sig);
					break; /* the same for every key */
				}
				time_ok = true;
			}
			if (++verifies > DNSSEC_MAX_VERIFY_PER_RRSET) {
				note(&f, DNSSEC_R_LIMIT, &sig);
				done = true;
				break;
			}
			r = crypto_step(&d, rrs, n, &sig, &pk[k], env);
			if (r == DNSSEC_R_OK) {
				if (!have_ok) {
					set_secure(&ok, rrs, n, &sigs[s], &sig, env);
					ok.sig_index = s;
					have_ok = true;
				}
				uint32_t ttl = verified_ttl(rrs, n, &sigs[s], &sig, env);
				if (ttl < ok_ttl)
					ok_ttl = ttl;
				uint8_t a = sig.algorithm;
				if (need[a >> 3] & (1u << (a & 7))) {
					need[a >> 3] &= (uint8_t)~(1u << (a & 7));
					nneed--;
				}
				if (nneed == 0) {
					sdata_free(&d);
					*v = ok;
					v->ttl = ok_ttl;
					if (pk != kstack)
						free(pk);
					return v->status;
				}
				break; /* next RRSIG: another algorithm is needed */
			}
			note(&f, r, &sig);
			if (r == DNSSEC_R_LIMIT)
				done = true;
		}
		sdata_free(&d);
		if (!matched)
			note(&f, DNSSEC_R_NO_DNSKEY, &sig);
	}
	if (pk != kstack)
		free(pk);
	char detail[48] = "";
	if (have_ok) {
		/* some algorithm the caller needs has no valid signature */
		for (unsigned a = 0; a < 256; a++)
			if (need[a >> 3] & (1u << (a & 7))) {
				snprintf(detail, sizeof detail,
				         "no valid RRSIG of algorithm %u", a);
				break;
			}
	}
	dnssec_verdict_set(v, DNSSEC_BOGUS, f.reason, &rrs[0],
	                   f.has_sig ? &f.sig : NULL, env->now,
	                   detail[0] ? detail : NULL);
	return v->status;
}
