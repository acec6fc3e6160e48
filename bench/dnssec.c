/* ward bench: the cost of validating one RRset against the bare OpenSSL
 * verification of the same signature (issue #5 "Performance": within
 * 1.3x of raw OpenSSL, per algorithm).
 *
 * For each of RSASHA256 (8, 2048-bit key), ECDSAP256SHA256 (13) and
 * ED25519 (15) a key is made at start and an RRset (www.example.com. A,
 * two records) is signed over its RFC 4034 §3.1.8.1 octets. Then, in
 * rounds that alternate the order:
 *   ward:     dnssec_rrset_verify() of the RRset, its RRSIG and the DNSKEY
 *             (every check of RFC 4035 §5.3.1, canonical form, the signed
 *             octets built again, the key from the engine's key cache);
 *   ward-nc:  the same without a key cache (the key built every time);
 *   openssl:  EVP_DigestVerifyInit + EVP_DigestVerify over the same
 *             prebuilt octets with a prebuilt EVP_PKEY (DER signature for
 *             ECDSA), a fresh EVP_MD_CTX each time.
 * Reports microseconds per verification (median round, best round) and
 * ward / openssl; the lines "RESULT key value" are for bench/run.
 *
 * Usage: dnssec [--rounds N] [--ms N]   (N ms of work per engine, round and
 * algorithm; default 15 rounds of 100 ms). */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/rsa.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/cursor.h"
#include "codec/name.h"
#include "codec/rr.h"
#include "resolver/dnssec/dnssec.h"

#define NOW 1701000000
#define MAXRD 1024
#define NROUNDS_MAX 101

struct alg_case {
	uint8_t alg;
	const char *name;
	EVP_PKEY *pk;
	uint8_t dnskey[MAXRD];
	size_t dnskey_len;
	uint8_t rrsig[MAXRD];
	size_t rrsig_len;
	uint8_t data[MAXRD];   /* the signed octets */
	size_t data_len;
	uint8_t der[MAXRD];    /* the signature as OpenSSL made it */
	size_t der_len;
	dns_rr set[2], sig, key;
};

static uint8_t a1[4] = { 192, 0, 2, 1 }, a2[4] = { 192, 0, 2, 2 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench/dnssec: %s\n", what);
	exit(1);
}

static EVP_PKEY *make_key(uint8_t alg)
{
	switch (alg) {
	case DNSSEC_ALG_RSASHA256:
		return EVP_RSA_gen(2048);
	case DNSSEC_ALG_ECDSAP256SHA256:
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	default:
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	}
}

/* The DNSKEY rdata (flags 256, protocol 3) of the key. */
static void dnskey_rdata(struct alg_case *a)
{
	uint8_t *p = a->dnskey;
	p[0] = 1;
	p[1] = 0;
	p[2] = DNSKEY_PROTOCOL;
	p[3] = a->alg;
	size_t l = 4;
	if (a->alg == DNSSEC_ALG_RSASHA256) { /* RFC 3110 §2 */
		BIGNUM *n = NULL, *e = NULL;
		if (!EVP_PKEY_get_bn_param(a->pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
		    !EVP_PKEY_get_bn_param(a->pk, OSSL_PKEY_PARAM_RSA_E, &e))
			die("RSA parameters");
		int el = BN_num_bytes(e), nl = BN_num_bytes(n);
		p[l++] = (uint8_t)el;
		BN_bn2bin(e, p + l);
		l += (size_t)el;
		BN_bn2bin(n, p + l);
		l += (size_t)nl;
		BN_free(n);
		BN_free(e);
	} else if (a->alg == DNSSEC_ALG_ECDSAP256SHA256) { /* RFC 6605 §4 */
		uint8_t pt[65];
		size_t pl = 0;
		if (!EVP_PKEY_get_octet_string_param(a->pk,
		                                     OSSL_PKEY_PARAM_PUB_KEY, pt,
		                                     sizeof pt, &pl) || pl != 65)
			die("EC point");
		memcpy(p + l, pt + 1, 64);
		l += 64;
	} else { /* RFC 8080 §3 */
		size_t kl = 32;
		if (!EVP_PKEY_get_raw_public_key(a->pk, p + l, &kl))
			die("Ed25519 key");
		l += kl;
	}
	a->dnskey_len = l;
}

/* DER ECDSA-Sig-Value -> r|s, 32 octets each (RFC 6605 §4). */
static size_t ecdsa_raw(const uint8_t *der, size_t len, uint8_t *out)
{
	const uint8_t *p = der;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)len);
	if (!s)
		die("ECDSA signature");
	const BIGNUM *r, *sv;
	ECDSA_SIG_get0(s, &r, &sv);
	BN_bn2binpad(r, out, 32);
	BN_bn2binpad(sv, out + 32, 32);
	ECDSA_SIG_free(s);
	return 64;
}

static const EVP_MD *md_of(uint8_t alg)
{
	return alg == DNSSEC_ALG_RSASHA256 || alg == DNSSEC_ALG_ECDSAP256SHA256
	       ? EVP_sha256() : NULL;
}

static void setup(struct alg_case *a)
{
	a->pk = make_key(a->alg);
	if (!a->pk)
		die("key generation");
	dnskey_rdata(a);
	dns_name owner, zone;
	if (dns_name_from_text(&owner, "www.example.com.", 16, NULL) < 0 ||
	    dns_name_from_text(&zone, "example.com.", 12, NULL) < 0)
		die("names");
	for (int i = 0; i < 2; i++)
		a->set[i] = (dns_rr){ .owner = owner, .type = DNS_T_A,
		                      .rclass = DNS_C_IN, .ttl = 3600,
		                      .rdlen = 4, .rdata = i ? a2 : a1 };
	a->key = (dns_rr){ .owner = zone, .type = DNS_T_DNSKEY,
	                   .rclass = DNS_C_IN, .ttl = 3600,
	                   .rdlen = (uint16_t)a->dnskey_len,
	                   .rdata = a->dnskey };
	/* RRSIG rdata without the signature, then the signed octets */
	wire_wr w = wire_wr_init(a->rrsig, sizeof a->rrsig);
	wire_wr_u16(&w, DNS_T_A);
	wire_wr_u8(&w, a->alg);
	wire_wr_u8(&w, 3);
	wire_wr_u32(&w, 3600);
	wire_wr_u32(&w, NOW + 86400);
	wire_wr_u32(&w, NOW - 86400);
	wire_wr_u16(&w, dnssec_key_tag(a->dnskey, a->dnskey_len));
	dns_name_write(&w, &zone);
	if (w.err)
		die("RRSIG rdata");
	size_t pre = w.pos;
	dnssec_rrsig rs;
	if (dnssec_rrsig_parse(a->rrsig, pre, &rs) < 0 ||
	    dnssec_signed_data(a->set, 2, &rs, a->data, sizeof a->data,
	                       &a->data_len) < 0)
		die("signed data");
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	a->der_len = sizeof a->der;
	if (!c || EVP_DigestSignInit(c, NULL, md_of(a->alg), NULL, a->pk) != 1 ||
	    EVP_DigestSign(c, a->der, &a->der_len, a->data, a->data_len) != 1)
		die("signing");
	EVP_MD_CTX_free(c);
	size_t sl;
	if (a->alg == DNSSEC_ALG_ECDSAP256SHA256)
		sl = ecdsa_raw(a->der, a->der_len, a->rrsig + pre);
	else {
		memcpy(a->rrsig + pre, a->der, a->der_len);
		sl = a->der_len;
	}
	a->rrsig_len = pre + sl;
	a->sig = (dns_rr){ .owner = owner, .type = DNS_T_RRSIG,
	                   .rclass = DNS_C_IN, .ttl = 3600,
	                   .rdlen = (uint16_t)a->rrsig_len, .rdata = a->rrsig };
}

enum engine { E_WARD, E_WARD_NC, E_OPENSSL, N_ENGINES };
static const char *const engine_name[N_ENGINES] = { "ward", "ward-nc",
                                                    "openssl" };

static bool run_one(struct alg_case *a, enum engine en, dnssec_keycache *kc)
{
	if (en == E_OPENSSL) {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		bool ok = c &&
		          EVP_DigestVerifyInit(c, NULL, md_of(a->alg), NULL,
		                               a->pk) == 1 &&
		          EVP_DigestVerify(c, a->der, a->der_len, a->data,
		                           a->data_len) == 1;
		EVP_MD_CTX_free(c);
		return ok;
	}
	dnssec_env env = { .now = NOW,
	                   .keycache = en == E_WARD ? kc : NULL };
	dnssec_verdict v;
	return dnssec_rrset_verify(a->set, 2, &a->sig, 1, &a->key, 1, &env,
	                           &v) == DNSSEC_SECURE;
}

/* Microseconds per verification over about ms milliseconds. */
static double measure(struct alg_case *a, enum engine en,
                      dnssec_keycache *kc, unsigned ms)
{
	unsigned n = 0;
	double t0 = now_s(), t;
	do {
		for (int i = 0; i < 16; i++)
			if (!run_one(a, en, kc))
				die("a verification failed");
		n += 16;
		t = now_s() - t0;
	} while (t * 1000 < ms);
	return t * 1e6 / n;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
	unsigned rounds = 15, ms = 100;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
			ms = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: dnssec [--rounds N] [--ms N]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > NROUNDS_MAX || ms < 1)
		die("bad --rounds or --ms");
	static struct alg_case cases[] = {
		{ .alg = DNSSEC_ALG_RSASHA256, .name = "RSASHA256 (8), 2048 bits" },
		{ .alg = DNSSEC_ALG_ECDSAP256SHA256, .name = "ECDSAP256SHA256 (13)" },
		{ .alg = DNSSEC_ALG_ED25519, .name = "ED25519 (15)" },
	};
	dnssec_keycache *kc = dnssec_keycache_new(64);
	if (!kc)
		die("key cache");
	printf("RESULT openssl_version %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("RESULT rounds %u\nRESULT ms %u\n", rounds, ms);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct alg_case *a = &cases[c];
		setup(a);
		double t[N_ENGINES][NROUNDS_MAX];
		for (int e = 0; e < N_ENGINES; e++) /* warm-up */
			measure(a, (enum engine)e, kc, ms / 4 + 1);
		for (unsigned r = 0; r < rounds; r++)
			for (int k = 0; k < N_ENGINES; k++) {
				/* the order turns from round to round */
				int e = (int)((k + r) % N_ENGINES);
				t[e][r] = measure(a, (enum engine)e, kc, ms);
			}
		double med[N_ENGINES], best[N_ENGINES];
		for (int e = 0; e < N_ENGINES; e++) {
			qsort(t[e], rounds, sizeof t[e][0], cmp_d);
			med[e] = rounds % 2 ? t[e][rounds / 2]
			                    : (t[e][rounds / 2 - 1] + t[e][rounds / 2]) / 2;
			best[e] = t[e][0];
			printf("%-26s %-8s %8.2f us/verify median, %8.2f best\n",
			       a->name, engine_name[e], med[e], best[e]);
			printf("RESULT alg%u_%s %.2f %.2f\n", a->alg,
			       engine_name[e], med[e], best[e]);
		}
		printf("%-26s ward/openssl %.3f (best rounds %.3f), without key "
		       "cache %.3f\n", a->name, med[E_WARD] / med[E_OPENSSL],
		       best[E_WARD] / best[E_OPENSSL],
		       med[E_WARD_NC] / med[E_OPENSSL]);
		printf("RESULT alg%u_ratio %.3f %.3f %.3f\n", a->alg,
		       med[E_WARD] / med[E_OPENSSL],
		       best[E_WARD] / best[E_OPENSSL],
		       med[E_WARD_NC] / med[E_OPENSSL]);
		printf("RESULT alg%u_name %s\n", a->alg, a->name);
		EVP_PKEY_free(a->pk);
	}
	dnssec_keycache_free(kc);
	return 0;
}
