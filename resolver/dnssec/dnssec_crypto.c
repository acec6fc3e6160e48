/* ward DNSSEC: the public-key operation, DNSKEY public keys and RRSIG
 * signatures turned into what OpenSSL 3's EVP interface takes.
 *   RSA (5, 7, 8, 10): RFC 3110 §2 key (exponent length, exponent,
 *     modulus), PKCS #1 v1.5 signature (RFC 3110 §3, RFC 5702 §3).
 *   DSA (3, 6): RFC 2536 §2 key T|Q|P|G|Y, signature T|R|S (§3) -> DER
 *     (a signature already in DER, as old ldns wrote them, is kept).
 *   ECDSA (13, 14): RFC 6605 §4 key X|Y, signature r|s -> DER.
 *   EdDSA (15, 16): RFC 8080 §3-4 raw key and signature. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cursor.h"
#include "dnssec.h"

/* ---- DER for (r, s) pairs: SEQUENCE { INTEGER r, INTEGER s } ---- */

#define DER_INT_MAX 70 /* 66 octets of P-521-sized integer + header */

static void der_len(wire_wr *w, size_t n)
{
	if (n < 128) {
		wire_wr_u8(w, (uint8_t)n);
	} else {
		wire_wr_u8(w, 0x81);
		wire_wr_u8(w, (uint8_t)n);
	}
}

static void der_int(wire_wr *w, const uint8_t *p, size_t n)
{
	while (n > 1 && p[0] == 0) {
		p++;
		n--;
	}
	bool pad = n == 0 || (p[0] & 0x80);
	wire_wr_u8(w, 0x02);
	der_len(w, n + pad);
	if (pad)
		wire_wr_u8(w, 0);
	wire_wr_bytes(w, p, n);
}

/* r and s of n octets each -> DER in out; returns the length, 0 on error. */
static size_t der_rs(const uint8_t *r, const uint8_t *s, size_t n,
                     uint8_t *out, size_t cap)
{
	uint8_t body[2 * DER_INT_MAX];
	wire_wr b = wire_wr_init(body, sizeof body);
	der_int(&b, r, n);
	der_int(&b, s, n);
	wire_wr w = wire_wr_init(out, cap);
	wire_wr_u8(&w, 0x30);
	der_len(&w, b.pos);
	wire_wr_bytes(&w, body, b.pos);
	return b.err || w.err ? 0 : w.pos;
}

/* ---- keys ---- */

static void push_bn(OSSL_PARAM_BLD *bld, const char *key, const uint8_t *p,
                    size_t n, BIGNUM **keep, int *ok)
{
	BIGNUM *bn = BN_bin2bn(p, (int)n, NULL);
	*keep = bn;
	if (!bn || !OSSL_PARAM_BLD_push_BN(bld, key, bn))
		*ok = 0;
}

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/* RFC 3110 §2: one octet of exponent length (or 0 and two octets), the
 * exponent, the modulus. *reason is BAD_KEY for a malformed key. */
static EVP_PKEY *rsa_key(const uint8_t *key, size_t len,
                         enum dnssec_reason *reason)
{
	wire_rd rd = wire_rd_init(key, len);
	size_t elen = wire_rd_u8(&rd);
	if (elen == 0)
		elen = wire_rd_u16(&rd);
	const uint8_t *e = wire_rd_view(&rd, elen);
	size_t mlen = wire_rd_left(&rd);
	const uint8_t *m = wire_rd_view(&rd, mlen);
	*reason = DNSSEC_R_BAD_KEY;
	if (rd.err || elen == 0 || mlen == 0 || e[0] == 0 || m[0] == 0)
		return NULL;
	size_t mbits = mlen * 8;
	for (uint8_t top = m[0]; !(top & 0x80); top <<= 1)
		mbits--;
	if (mbits < DNSSEC_RSA_MIN_MODULUS_BITS ||
	    mbits > DNSSEC_RSA_MAX_MODULUS_BITS ||
	    elen * 8 > DNSSEC_RSA_MAX_EXPONENT_BITS)
		return NULL;
	*reason = DNSSEC_R_INTERNAL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	int ok = 1;
	push_bn(bld, OSSL_PKEY_PARAM_RSA_N, m, mlen, &bn_n, &ok);
	push_bn(bld, OSSL_PKEY_PARAM_RSA_E, e, elen, &bn_e, &ok);
	EVP_PKEY *pkey = ok ? pkey_fromdata("RSA", bld) : NULL;
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	if (!pkey && ok)
		*reason = DNSSEC_R_BAD_KEY;
	return pkey;
}

/* RFC 2536 §2: T (0..8), Q (20 octets), P, G, Y (64 + 8T octets each). */
static EVP_PKEY *dsa_key(const uint8_t *key, size_t len,
                         enum dnssec_reason *reason)
{
	*reason = DNSSEC_R_BAD_KEY;
	wire_rd rd = wire_rd_init(key, len);
	uint8_t t = wire_rd_u8(&rd);
	if (rd.err || t > DNSSEC_DSA_MAX_T)
		return NULL;
	size_t plen = 64 + (size_t)t * 8;
	const uint8_t *q = wire_rd_view(&rd, 20);
	const uint8_t *p = wire_rd_view(&rd, plen);
	const uint8_t *g = wire_rd_view(&rd, plen);
	const uint8_t *y = wire_rd_view(&rd, plen);
	if (rd.err || wire_rd_left(&rd) != 0)
		return NULL;
	*reason = DNSSEC_R_INTERNAL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	BIGNUM *bn[4] = { NULL, NULL, NULL, NULL };
	int ok = 1;
	push_bn(bld, OSSL_PKEY_PARAM_FFC_P, p, plen, &bn[0], &ok);
	push_bn(bld, OSSL_PKEY_PARAM_FFC_Q, q, 20, &bn[1], &ok);
	push_bn(bld, OSSL_PKEY_PARAM_FFC_G, g, plen, &bn[2], &ok);
	push_bn(bld, OSSL_PKEY_PARAM_PUB_KEY, y, plen, &bn[3], &ok);
	EVP_PKEY *pkey = ok ? pkey_fromdata("DSA", bld) : NULL;
	OSSL_PARAM_BLD_free(bld);
	for (int i = 0; i < 4; i++)
		BN_free(bn[i]);
	if (!pkey && ok)
		*reason = DNSSEC_R_BAD_KEY;
	return pkey;
}

/* RFC 6605 §4: X|Y of the curve's size; OpenSSL wants 0x04|X|Y. */
static EVP_PKEY *ec_key(const char *group, const uint8_t *key, size_t len,
                        size_t coord, enum dnssec_reason *reason)
{
	*reason = DNSSEC_R_BAD_KEY;
	if (len != 2 * coord)
		return NULL;
	uint8_t point[1 + 2 * 48];
	point[0] = 0x04;
	memcpy(point + 1, key, len);
	*reason = DNSSEC_R_INTERNAL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	EVP_PKEY *pkey = NULL;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	                                    group, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
	                                     1 + len)) {
		pkey = pkey_fromdata("EC", bld);
		if (!pkey)
			*reason = DNSSEC_R_BAD_KEY; /* point not on the curve */
	}
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static EVP_PKEY *ed_key(int type, const uint8_t *key, size_t len, size_t want,
                        enum dnssec_reason *reason)
{
	*reason = DNSSEC_R_BAD_KEY;
	if (len != want)
		return NULL;
	EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(type, NULL, key, len);
	if (!pkey)
		*reason = DNSSEC_R_BAD_KEY;
	return pkey;
}

/* ---- verification ---- */

static enum dnssec_reason digest_verify(EVP_PKEY *pkey, const EVP_MD *md,
                                        const uint8_t *sig, size_t sig_len,
                                        const uint8_t *data, size_t data_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return DNSSEC_R_INTERNAL;
	enum dnssec_reason r = DNSSEC_R_INTERNAL;
	if (EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) == 1) {
		int ok = EVP_DigestVerify(ctx, sig, sig_len, data, data_len);
		r = ok == 1 ? DNSSEC_R_OK : DNSSEC_R_SIG_BAD;
	}
	EVP_MD_CTX_free(ctx);
	return r;
}

/* The public key of a DNSKEY as OpenSSL wants it (*r says why not). */
static EVP_PKEY *key_build(uint8_t alg, const uint8_t *key, size_t key_len,
                           enum dnssec_reason *r)
{
	switch (alg) {
	case DNSSEC_ALG_RSASHA1:
	case DNSSEC_ALG_RSASHA1_NSEC3_SHA1:
	case DNSSEC_ALG_RSASHA256:
	case DNSSEC_ALG_RSASHA512:
		return rsa_key(key, key_len, r);
	case DNSSEC_ALG_DSA:
	case DNSSEC_ALG_DSA_NSEC3_SHA1:
		return dsa_key(key, key_len, r);
	case DNSSEC_ALG_ECDSAP256SHA256:
		return ec_key("P-256", key, key_len, 32, r);
	case DNSSEC_ALG_ECDSAP384SHA384:
		return ec_key("P-384", key, key_len, 48, r);
	case DNSSEC_ALG_ED25519:
		return ed_key(EVP_PKEY_ED25519, key, key_len, 32, r);
	case DNSSEC_ALG_ED448:
		return ed_key(EVP_PKEY_ED448, key, key_len, 57, r);
	default:
		*r = DNSSEC_R_UNSUPPORTED_ALG;
		return NULL;
	}
}

/* The digest and the signature as OpenSSL wants them: *s and *slen point to
 * sig or to der. */
static enum dnssec_reason sig_prepare(uint8_t alg, const uint8_t *sig,
                                      size_t sig_len, uint8_t *der,
                                      size_t der_cap, const uint8_t **s,
                                      size_t *slen, const EVP_MD **md)
{
	*s = sig;
	*slen = sig_len;
	*md = NULL;
	switch (alg) {
	case DNSSEC_ALG_RSASHA1:
	case DNSSEC_ALG_RSASHA1_NSEC3_SHA1:
		*md = EVP_sha1();
		return DNSSEC_R_OK;
	case DNSSEC_ALG_RSASHA256:
		*md = EVP_sha256();
		return DNSSEC_R_OK;
	case DNSSEC_ALG_RSASHA512:
		*md = EVP_sha512();
		return DNSSEC_R_OK;
	case DNSSEC_ALG_DSA:
	case DNSSEC_ALG_DSA_NSEC3_SHA1:
		/* RFC 2536 §3: T (ignored), R, S of 20 octets each. Other
		 * lengths are taken as DER, as old ldns-signzone wrote them
		 * and Unbound accepts them (OpenSSL checks the DER). */
		*md = EVP_sha1();
		if (sig_len == 41) {
			wire_rd rd = wire_rd_init(sig, sig_len);
			wire_rd_skip(&rd, 1);
			const uint8_t *r = wire_rd_view(&rd, 20);
			const uint8_t *sv = wire_rd_view(&rd, 20);
			*slen = rd.err ? 0 : der_rs(r, sv, 20, der, der_cap);
			*s = der;
			return *slen ? DNSSEC_R_OK : DNSSEC_R_INTERNAL;
		}
		return sig_len < 8 || sig_len > 2 * DER_INT_MAX
		           ? DNSSEC_R_BAD_SIG_FORMAT
		           : DNSSEC_R_OK;
	case DNSSEC_ALG_ECDSAP256SHA256:
	case DNSSEC_ALG_ECDSAP384SHA384: {
		size_t n = alg == DNSSEC_ALG_ECDSAP256SHA256 ? 32 : 48;
		if (sig_len != 2 * n)
			return DNSSEC_R_BAD_SIG_FORMAT;
		*md = n == 32 ? EVP_sha256() : EVP_sha384();
		wire_rd rd = wire_rd_init(sig, sig_len);
		const uint8_t *r = wire_rd_view(&rd, n);
		const uint8_t *sv = wire_rd_view(&rd, n);
		*slen = rd.err ? 0 : der_rs(r, sv, n, der, der_cap);
		*s = der;
		return *slen ? DNSSEC_R_OK : DNSSEC_R_INTERNAL;
	}
	case DNSSEC_ALG_ED25519:
		return sig_len == 64 ? DNSSEC_R_OK : DNSSEC_R_BAD_SIG_FORMAT;
	case DNSSEC_ALG_ED448:
		return sig_len == 114 ? DNSSEC_R_OK : DNSSEC_R_BAD_SIG_FORMAT;
	default:
		return DNSSEC_R_UNSUPPORTED_ALG;
	}
}

/* ---- key cache: direct-mapped, keyed by algorithm and key octets ---- */

struct keyslot {
	uint64_t hash;
	uint8_t alg;
	uint16_t len;
	uint8_t *key;          /* copy of the key octets, NULL: empty */
	EVP_PKEY *pkey;
};

struct dnssec_keycache {
	size_t nslots;
	uint64_t hits, misses;
	struct keyslot slot[];
};

dnssec_keycache *dnssec_keycache_new(size_t slots)
{
	if (slots == 0 || slots > DNSSEC_KEYCACHE_MAX_SLOTS)
		return NULL;
	dnssec_keycache *c = calloc(1, sizeof *c + slots * sizeof c->slot[0]);
	if (c)
		c->nslots = slots;
	return c;
}

static void slot_clear(struct keyslot *sl)
{
	EVP_PKEY_free(sl->pkey);
	free(sl->key);
	memset(sl, 0, sizeof *sl);
}

void dnssec_keycache_free(dnssec_keycache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nslots; i++)
		slot_clear(&c->slot[i]);
	free(c);
}

void dnssec_keycache_stats(const dnssec_keycache *c, uint64_t *hits,
                           uint64_t *misses)
{
	*hits = c ? c->hits : 0;
	*misses = c ? c->misses : 0;
}

static uint64_t key_hash(uint8_t alg, const uint8_t *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ alg; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 0x100000001b3ULL;
	return h;
}

/* A key from the cache (not to be freed), or built and, with a cache,
 * kept there. *owned says whether the caller must free it. */
static EVP_PKEY *key_get(dnssec_keycache *c, uint8_t alg, const uint8_t *key,
                         size_t len, enum dnssec_reason *r, bool *owned)
{
	*owned = false;
	struct keyslot *sl = NULL;
	uint64_t h = 0;
	if (c) {
		h = key_hash(alg, key, len);
		sl = &c->slot[h % c->nslots];
		if (sl->key && sl->hash == h && sl->alg == alg && sl->len == len &&
		    memcmp(sl->key, key, len) == 0) {
			c->hits++;
			return sl->pkey;
		}
		c->misses++;
	}
	EVP_PKEY *pkey = key_build(alg, key, len, r);
	if (!pkey)
		return NULL;
	uint8_t *copy = sl ? malloc(len ? len : 1) : NULL;
	if (!copy) {
		*owned = true;
		return pkey;
	}
	slot_clear(sl);
	memcpy(copy, key, len);
	*sl = (struct keyslot){ h, alg, (uint16_t)len, copy, pkey };
	return pkey;
}

enum dnssec_reason dnssec_verify_cached(dnssec_keycache *cache, uint8_t alg,
                                        const uint8_t *key, size_t key_len,
                                        const uint8_t *sig, size_t sig_len,
                                        const uint8_t *data, size_t data_len)
{
	uint8_t der[2 * DER_INT_MAX + 4];
	const uint8_t *s;
	size_t slen;
	const EVP_MD *md;
	if (key_len > DNS_RDATA_MAX)
		return DNSSEC_R_BAD_KEY;
	enum dnssec_reason r = sig_prepare(alg, sig, sig_len, der, sizeof der, &s,
	                                   &slen, &md);
	if (r != DNSSEC_R_OK)
		return r;
	bool owned;
	EVP_PKEY *pkey = key_get(cache, alg, key, key_len, &r, &owned);
	if (pkey) {
		/* RFC 3110 §3: an RSA signature is as long as the modulus */
		if (md && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA &&
		    (size_t)EVP_PKEY_get_size(pkey) != sig_len)
			r = DNSSEC_R_BAD_SIG_FORMAT;
		else
			r = digest_verify(pkey, md, s, slen, data, data_len);
		if (owned)
			EVP_PKEY_free(pkey);
	}
	if (r != DNSSEC_R_OK)
		ERR_clear_error(); /* failures leave OpenSSL's queue growing */
	return r;
}

enum dnssec_reason dnssec_verify_raw(uint8_t alg, const uint8_t *key,
                                     size_t key_len, const uint8_t *sig,
                                     size_t sig_len, const uint8_t *data,
                                     size_t data_len)
{
	return dnssec_verify_cached(NULL, alg, key, key_len, sig, sig_len, data,
	                            data_len);
}
