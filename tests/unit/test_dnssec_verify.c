/* Unit tests: resolver/dnssec/ checks beyond the cryptography, with keys
 * made and records signed at test time (Ed25519 through OpenSSL):
 * key tag / zone bit / REVOKE / protocol, signer and labels, wildcard
 * expansion (RFC 4035 §5.3.2-5.3.4), canonical order and duplicates,
 * TTL capping (§5.3.3), serial-number time (RFC 1982) and skew, the
 * KeyTrap caps (dnssec_limits.h), and DNSKEY-by-DS (RFC 4035 §5.2, RFC
 * 6840 §5.11, RFC 4509 §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "codec/error.h"
#include "codec/rr.h"
#include "codec/zone.h"
#include "resolver/dnssec/dnssec.h"

#define MAXRR 48
#define RDMAX 1024
#define T0 1700000000u  /* inception */
#define T1 1702592000u  /* expiration, 30 days later */
#define NOW 1701000000

typedef struct recs {
	dns_rr rr[MAXRR];
	uint8_t buf[MAXRR][RDMAX];
	size_t n;
} recs;

static recs *recs_new(void)
{
	recs *s = calloc(1, sizeof *s);
	assert_non_null(s);
	return s;
}

static dns_rr *add(recs *s, const char *line)
{
	assert_true(s->n < MAXRR);
	int r = zone_parse_rr_line(line, NULL, &s->rr[s->n], s->buf[s->n], RDMAX);
	if (r != 0)
		fail_msg("cannot parse %s: %s", line, ward_strerror(r));
	return &s->rr[s->n++];
}

static dns_rr *add_raw(recs *s, const char *owner, uint16_t type,
                       const uint8_t *rd, size_t len)
{
	assert_true(s->n < MAXRR && len <= RDMAX);
	dns_rr *rr = &s->rr[s->n];
	assert_int_equal(dns_name_from_text(&rr->owner, owner, strlen(owner),
	                                    NULL), 0);
	rr->type = type;
	rr->rclass = DNS_C_IN;
	rr->ttl = 3600;
	memcpy(s->buf[s->n], rd, len);
	rr->rdata = s->buf[s->n];
	rr->rdlen = (uint16_t)len;
	s->n++;
	return rr;
}

/* ---- test keys ---- */

typedef struct tkey {
	EVP_PKEY *pk;
	dns_rr *rr;       /* its DNSKEY record */
	uint16_t tag;
} tkey;

static void tkey_make(tkey *k, recs *s, const char *owner, uint16_t flags)
{
	k->pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(k->pk);
	uint8_t rd[4 + 32];
	size_t len = 32;
	rd[0] = (uint8_t)(flags >> 8);
	rd[1] = (uint8_t)flags;
	rd[2] = 3;
	rd[3] = DNSSEC_ALG_ED25519;
	assert_int_equal(EVP_PKEY_get_raw_public_key(k->pk, rd + 4, &len), 1);
	k->rr = add_raw(s, owner, DNS_T_DNSKEY, rd, sizeof rd);
	k->tag = dnssec_key_tag(rd, sizeof rd);
}

static void tkey_free(tkey *k)
{
	EVP_PKEY_free(k->pk);
}

struct sigparams {
	uint8_t labels;       /* 0: the owner's */
	uint32_t inception, expiration, orig_ttl;
	const char *signer;   /* NULL: the key's owner */
	int tag;              /* -1: the key's */
	uint16_t type;        /* 0: the RRset's */
};

static const struct sigparams DEF = { 0, T0, T1, 3600, NULL, -1, 0 };

/* Sign rrs[0..n) with k into a new RRSIG record of s. */
static dns_rr *sign(recs *s, const tkey *k, const dns_rr *rrs, size_t n,
                    struct sigparams p)
{
	uint8_t rd[RDMAX];
	wire_wr w = wire_wr_init(rd, sizeof rd);
	unsigned labels = dns_name_labels(&rrs[0].owner);
	if (rrs[0].owner.wire[0] == 1 && rrs[0].owner.wire[1] == '*')
		labels--;
	wire_wr_u16(&w, p.type ? p.type : rrs[0].type);
	wire_wr_u8(&w, DNSSEC_ALG_ED25519);
	wire_wr_u8(&w, p.labels ? p.labels : (uint8_t)labels);
	wire_wr_u32(&w, p.orig_ttl);
	wire_wr_u32(&w, p.expiration);
	wire_wr_u32(&w, p.inception);
	wire_wr_u16(&w, p.tag >= 0 ? (uint16_t)p.tag : k->tag);
	dns_name signer = k->rr->owner;
	if (p.signer)
		assert_int_equal(dns_name_from_text(&signer, p.signer,
		                                    strlen(p.signer), NULL), 0);
	dns_name_write(&w, &signer);
	assert_int_equal(w.err, 0);
	dnssec_rrsig sig;
	assert_int_equal(dnssec_rrsig_parse(rd, w.pos, &sig), 0);
	uint8_t data[8192];
	size_t dlen;
	assert_int_equal(dnssec_signed_data(rrs, n, &sig, data, sizeof data,
	                                    &dlen), 0);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t slen = 64;
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pk), 1);
	assert_int_equal(EVP_DigestSign(ctx, rd + w.pos, &slen, data, dlen), 1);
	EVP_MD_CTX_free(ctx);
	char owner[DNS_NAME_TEXT_MAX];
	dns_name_str(&rrs[0].owner, owner);
	return add_raw(s, owner, DNS_T_RRSIG, rd, w.pos + slen);
}

static dnssec_env env_now(void)
{
	dnssec_env e = { .now = NOW };
	return e;
}

/* ---- key checks ---- */

static void test_key_checks(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey zsk, nozone, revoked, proto;
	tkey_make(&zsk, s, "example.com.", 256);
	tkey_make(&nozone, s, "example.com.", 0);
	tkey_make(&revoked, s, "example.com.", 256 | DNSKEY_F_REVOKE);
	tkey_make(&proto, s, "example.com.", 256);
	s->buf[s->n - 1][2] = 4; /* protocol 4 */
	proto.tag = dnssec_key_tag(proto.rr->rdata, proto.rr->rdlen);
	dns_rr *a = add(s, "www.example.com. 3600 IN A 192.0.2.1");
	dnssec_env e = env_now();
	dnssec_verdict v;

	dns_rr *sig = sign(s, &zsk, a, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, zsk.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_true(v.has_key_tag);
	assert_int_equal(v.key_tag, zsk.tag);
	assert_int_equal(v.algorithm, DNSSEC_ALG_ED25519);

	/* wrong key tag in the RRSIG */
	struct sigparams p = DEF;
	p.tag = zsk.tag ^ 0x5555;
	dns_rr *badtag = sign(s, &zsk, a, 1, p);
	assert_int_equal(dnssec_rrset_verify(a, 1, badtag, 1, zsk.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_DNSKEY);
	assert_int_equal(v.ede, 9);
	char want[64];
	snprintf(want, sizeof want, "key tag %u", (unsigned)(zsk.tag ^ 0x5555));
	assert_non_null(strstr(v.text, want));
	assert_non_null(strstr(v.text, "www.example.com. A"));

	/* no zone key bit */
	sig = sign(s, &nozone, a, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, nozone.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_ZONE_KEY);
	assert_int_equal(v.ede, 11);

	/* revoked: not for data ... */
	sig = sign(s, &revoked, a, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, revoked.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_KEY_REVOKED);
	assert_int_equal(v.ede, 6);
	/* ... but for its own DNSKEY RRset (RFC 5011 §2.1) */
	dns_rr keyset[2] = { *zsk.rr, *revoked.rr };
	sig = sign(s, &revoked, keyset, 2, DEF);
	assert_int_equal(dnssec_rrset_verify(keyset, 2, sig, 1, revoked.rr, 1, &e,
	                                     &v),
	                 DNSSEC_SECURE);
	/* and not for a DNSKEY RRset that does not hold it */
	sig = sign(s, &revoked, zsk.rr, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(zsk.rr, 1, sig, 1, revoked.rr, 1, &e,
	                                     &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_KEY_REVOKED);

	/* protocol other than 3 */
	sig = sign(s, &proto, a, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, proto.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_BAD_PROTOCOL);

	/* a key of another zone with the right tag does not count */
	tkey other;
	tkey_make(&other, s, "example.net.", 256);
	sig = sign(s, &other, a, 1, DEF);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, other.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIGNER);

	/* the single-signature entry point agrees */
	sig = sign(s, &zsk, a, 1, DEF);
	assert_int_equal(dnssec_rrsig_verify(a, 1, sig, zsk.rr, &e, &v),
	                 DNSSEC_R_OK);
	assert_int_equal(dnssec_rrsig_verify(a, 1, sig, nozone.rr, &e, &v),
	                 DNSSEC_R_NO_DNSKEY);
	assert_int_equal(dnssec_rrsig_verify(a, 1, sig, a, &e, &v),
	                 DNSSEC_R_NO_DNSKEY);
	tkey_free(&zsk);
	tkey_free(&nozone);
	tkey_free(&revoked);
	tkey_free(&proto);
	tkey_free(&other);
	free(s);
}

/* ---- RRSIG fields ---- */

static void test_sig_fields(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey k;
	tkey_make(&k, s, "example.com.", 257);
	dns_rr *a = add(s, "www.example.com. 3600 IN A 192.0.2.1");
	dnssec_env e = env_now();
	dnssec_verdict v;

	/* no RRSIG, or one over another type or owner */
	assert_int_equal(dnssec_rrset_verify(a, 1, NULL, 0, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_RRSIG);
	assert_int_equal(v.ede, 10);
	struct sigparams p = DEF;
	p.type = DNS_T_AAAA;
	dns_rr *sig = sign(s, &k, a, 1, p);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_RRSIG);

	/* signer that is not an ancestor of the owner */
	p = DEF;
	p.signer = "example.org.";
	sig = sign(s, &k, a, 1, p);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIGNER);

	/* labels field larger than the owner's: bogus, never a crash */
	sig = sign(s, &k, a, 1, DEF);
	s->buf[s->n - 1][3] = 4;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_LABELS);

	/* truncated RRSIG rdata */
	sig = sign(s, &k, a, 1, DEF);
	sig->rdlen = 20;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_MALFORMED);
	/* inception after expiration */
	p = DEF;
	p.inception = T1;
	p.expiration = T0;
	sig = sign(s, &k, a, 1, p);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_WINDOW);
	/* unsupported algorithm in the RRSIG */
	sig = sign(s, &k, a, 1, DEF);
	s->buf[s->n - 1][2] = DNSSEC_ALG_ECCGOST;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_UNSUPPORTED_ALG);
	assert_int_equal(v.ede, 1);
	tkey_free(&k);
	free(s);
}

/* ---- wildcards (RFC 4035 §5.3.2, §5.3.4) ---- */

static void test_wildcard(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey k;
	tkey_make(&k, s, "example.com.", 256);
	dns_rr *wc = add(s, "*.example.com. 3600 IN TXT \"wild\"");
	dns_rr *sig = sign(s, &k, wc, 1, DEF);
	assert_int_equal(s->buf[s->n - 1][3], 2); /* labels without the "*" */
	dnssec_env e = env_now();
	dnssec_verdict v;

	/* the wildcard itself */
	assert_int_equal(dnssec_rrset_verify(wc, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_false(v.wildcard);

	/* expansions one and three labels deep */
	const char *names[] = { "a.example.com.", "x.y.z.example.com." };
	for (size_t i = 0; i < 2; i++) {
		dns_rr exp = *wc, esig = *sig;
		assert_int_equal(dns_name_from_text(&exp.owner, names[i],
		                                    strlen(names[i]), NULL), 0);
		esig.owner = exp.owner;
		assert_int_equal(dnssec_rrset_verify(&exp, 1, &esig, 1, k.rr, 1, &e,
		                                     &v),
		                 DNSSEC_SECURE);
		assert_true(v.wildcard);
		char src[DNS_NAME_TEXT_MAX];
		assert_string_equal(dns_name_str(&v.source, src), "*.example.com.");
	}

	/* a record signed for its own name does not verify as an expansion:
	 * the labels field decides which owner is in the signed data */
	dns_rr *plain = add(s, "b.example.com. 3600 IN TXT \"wild\"");
	dns_rr *psig = sign(s, &k, plain, 1, DEF);
	dns_rr exp = *plain, esig = *psig;
	assert_int_equal(dns_name_from_text(&exp.owner, "c.b.example.com.", 16,
	                                    NULL), 0);
	esig.owner = exp.owner;
	assert_int_equal(dnssec_rrset_verify(&exp, 1, &esig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_BAD);
	/* and the expansion signature does not fit another wildcard depth */
	dns_rr *deep = add(s, "*.b.example.com. 3600 IN TXT \"wild\"");
	dns_rr *dsig = sign(s, &k, deep, 1, DEF);
	dns_rr dexp = *deep, dsig2 = *dsig;
	assert_int_equal(dns_name_from_text(&dexp.owner, "q.b.example.com.", 16,
	                                    NULL), 0);
	dsig2.owner = dexp.owner;
	assert_int_equal(dnssec_rrset_verify(&dexp, 1, &dsig2, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	char src[DNS_NAME_TEXT_MAX];
	assert_string_equal(dns_name_str(&v.source, src), "*.b.example.com.");
	s->buf[s->n - 1][3] = 2; /* claim *.example.com. instead */
	assert_int_equal(dnssec_rrset_verify(&dexp, 1, &dsig2, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	tkey_free(&k);
	free(s);
}

/* ---- canonical order, duplicates, case, TTL ---- */

static void test_canonical_and_ttl(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey k;
	tkey_make(&k, s, "example.com.", 256);
	dns_rr *m1 = add(s, "example.com. 300 IN MX 20 b.example.com.");
	add(s, "example.com. 300 IN MX 10 Z.example.com.");
	add(s, "example.com. 300 IN MX 10 a.example.com.");
	dns_rr set[4] = { m1[0], m1[1], m1[2], m1[0] };
	dnssec_env e = env_now();
	dnssec_verdict v;
	struct sigparams p = DEF;
	p.orig_ttl = 600;
	dns_rr *sig = sign(s, &k, m1, 3, p);
	sig->ttl = 500;
	/* any order, a duplicate, names in another case: same signed data */
	dns_rr shuffled[4] = { set[2], set[3], set[1], set[0] };
	shuffled[0].owner.wire[1] = 'E';
	assert_int_equal(dnssec_rrset_verify(shuffled, 4, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	/* TTL: the records' 300 < RRSIG's 500 < original 600 */
	assert_int_equal(v.ttl, 300);
	for (size_t i = 0; i < 4; i++)
		shuffled[i].ttl = 900;
	assert_int_equal(dnssec_rrset_verify(shuffled, 4, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.ttl, 500);
	sig->ttl = 7200;
	assert_int_equal(dnssec_rrset_verify(shuffled, 4, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.ttl, 600);
	/* close to expiration: the time left */
	e.now = T1 - 42;
	assert_int_equal(dnssec_rrset_verify(shuffled, 4, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.ttl, 42);
	/* a missing record is not the same RRset */
	e = env_now();
	assert_int_equal(dnssec_rrset_verify(shuffled, 2, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_BAD);
	tkey_free(&k);
	free(s);
}

/* ---- time: RFC 1982 serial arithmetic and skew ---- */

static void test_time(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey k;
	tkey_make(&k, s, "example.com.", 256);
	dns_rr *a = add(s, "www.example.com. 3600 IN A 192.0.2.1");
	dnssec_verdict v;
	/* a window across the 2106 wrap of 32-bit time */
	struct sigparams p = DEF;
	p.inception = 0xFFFFFF00u;
	p.expiration = 0x00000100u;
	dns_rr *sig = sign(s, &k, a, 1, p);
	dnssec_env e = { .now = 0x100000000LL + 0x10 }; /* after the wrap */
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.ttl, 0x100 - 0x10);
	e.now = 0xFFFFFF80LL; /* before it */
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	e.now = 0x100000000LL + 0x200;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_EXPIRED);
	assert_non_null(strstr(v.text, "(valid 21060207"));

	/* Unbound's skew: 10% of the window within [min, max] */
	sig = sign(s, &k, a, 1, DEF);
	e = (dnssec_env){ .now = T1 + 600 };
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	e.skew_min = DNSSEC_UNBOUND_SKEW_MIN;
	e.skew_max = DNSSEC_UNBOUND_SKEW_MAX;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.ttl, 0); /* expired: not to be cached */
	e.now = T1 + DNSSEC_UNBOUND_SKEW_MAX + 1; /* 10% of 30 days > max */
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	e.now = T0 - DNSSEC_UNBOUND_SKEW_MAX;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	e.now = T0 - DNSSEC_UNBOUND_SKEW_MAX - 1;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_NOT_YET_VALID);
	tkey_free(&k);
	free(s);
}

/* ---- KeyTrap caps ---- */

/* A DNSKEY with the same tag and algorithm as k but another key: +1 on
 * one high-order octet of the key, -1 on another keeps the Appendix B sum
 * (both at even offsets). */
static dns_rr *colliding_key(recs *s, const tkey *k, unsigned idx)
{
	uint8_t rd[4 + 32];
	memcpy(rd, k->rr->rdata, sizeof rd);
	size_t i = 4 + 2 * idx, j = 34;
	assert_true(i < j);
	if (rd[i] < 255 && rd[j] > 0) {
		rd[i]++;
		rd[j]--;
	} else {
		rd[i]--;
		rd[j]++;
	}
	assert_int_equal(dnssec_key_tag(rd, sizeof rd), k->tag);
	assert_memory_not_equal(rd, k->rr->rdata, sizeof rd);
	return add_raw(s, "example.com.", DNS_T_DNSKEY, rd, sizeof rd);
}

static void test_keytrap_caps(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey k;
	tkey_make(&k, s, "example.com.", 256);
	dns_rr *a = add(s, "www.example.com. 3600 IN A 192.0.2.1");
	dns_rr *sig = sign(s, &k, a, 1, DEF);
	dnssec_env e = env_now();
	dnssec_budget b;
	e.budget = &b;
	dnssec_verdict v;

	/* keys with the real key's tag, the real one last */
	dns_rr keys[8];
	for (int i = 0; i < 7; i++)
		keys[i] = *colliding_key(s, &k, (unsigned)i);
	keys[7] = *k.rr;
	/* within DNSSEC_MAX_KEYS_PER_TAG: found */
	dnssec_budget_init(&b);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, keys + 8 -
	                                     DNSSEC_MAX_KEYS_PER_TAG,
	                                     DNSSEC_MAX_KEYS_PER_TAG, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(b.verifies, DNSSEC_MAX_KEYS_PER_TAG);
	/* one more colliding key in front: the cap stops before it */
	dnssec_budget_init(&b);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, keys + 7 -
	                                     DNSSEC_MAX_KEYS_PER_TAG,
	                                     DNSSEC_MAX_KEYS_PER_TAG + 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_LIMIT);
	assert_int_equal(b.verifies, DNSSEC_MAX_KEYS_PER_TAG);

	/* many RRSIGs by the same key, all bad: at most
	 * DNSSEC_MAX_VERIFY_PER_RRSET verifications for the RRset */
	dns_rr sigs[20];
	for (int i = 0; i < 20; i++) {
		sigs[i] = *sign(s, &k, a, 1, DEF);
		s->buf[s->n - 1][sigs[i].rdlen - 1] ^= 0xff;
	}
	dnssec_budget_init(&b);
	assert_int_equal(dnssec_rrset_verify(a, 1, sigs, 20, keys, 8, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_LIMIT);
	assert_int_equal(b.verifies, DNSSEC_MAX_VERIFY_PER_RRSET);

	/* the per-query budget: spent by earlier RRsets of the same query */
	dnssec_budget_init(&b);
	b.verifies = DNSSEC_MAX_VERIFY_PER_QUERY - 1;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_false(b.exhausted);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig, 1, k.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_LIMIT);
	assert_true(b.exhausted);
	/* NSEC3 hashes share the budget struct */
	dnssec_budget_init(&b);
	for (unsigned i = 0; i < DNSSEC_MAX_NSEC3_HASH_PER_QUERY; i++)
		assert_true(dnssec_budget_take_nsec3(&b));
	assert_false(dnssec_budget_take_nsec3(&b));
	assert_true(b.exhausted);
	tkey_free(&k);
	free(s);
}

/* ---- key cache ---- */

static void test_keycache(void **state)
{
	(void)state;
	assert_null(dnssec_keycache_new(0));
	assert_null(dnssec_keycache_new(DNSSEC_KEYCACHE_MAX_SLOTS + 1));
	recs *s = recs_new();
	tkey k1, k2;
	tkey_make(&k1, s, "example.com.", 256);
	tkey_make(&k2, s, "example.com.", 256);
	dns_rr *a = add(s, "www.example.com. 3600 IN A 192.0.2.1");
	dns_rr *sig1 = sign(s, &k1, a, 1, DEF);
	dns_rr *sig2 = sign(s, &k2, a, 1, DEF);
	dns_rr *bad = sign(s, &k1, a, 1, DEF);
	s->buf[s->n - 1][bad->rdlen - 1] ^= 1;
	dnssec_keycache *c = dnssec_keycache_new(1); /* one slot: evictions */
	assert_non_null(c);
	dnssec_env e = env_now();
	e.keycache = c;
	dnssec_verdict v;
	uint64_t hits, misses;
	assert_int_equal(dnssec_rrset_verify(a, 1, sig1, 1, k1.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig1, 1, k1.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	/* a cached key still says no to a bad signature */
	assert_int_equal(dnssec_rrset_verify(a, 1, bad, 1, k1.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_BAD);
	dnssec_keycache_stats(c, &hits, &misses);
	assert_int_equal(hits, 2);
	assert_int_equal(misses, 1);
	/* another key takes the slot; each verifies with its own */
	assert_int_equal(dnssec_rrset_verify(a, 1, sig2, 1, k2.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig1, 1, k2.rr, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig1, 1, k1.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	dnssec_keycache_stats(c, &hits, &misses);
	assert_int_equal(misses, 3);
	/* a key that does not build is not kept */
	dns_rr *broken = add_raw(s, "example.com.", DNS_T_DNSKEY,
	                         (const uint8_t[]){ 1, 0, 3, 15, 1, 2, 3 }, 7);
	struct sigparams p = DEF;
	p.tag = dnssec_key_tag(broken->rdata, broken->rdlen);
	dns_rr *bsig = sign(s, &k1, a, 1, p);
	assert_int_equal(dnssec_rrset_verify(a, 1, bsig, 1, broken, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_BAD_KEY);
	assert_int_equal(dnssec_rrset_verify(a, 1, sig1, 1, k1.rr, 1, &e, &v),
	                 DNSSEC_SECURE);
	dnssec_keycache_stats(c, &hits, &misses);
	assert_int_equal(hits, 3); /* k1 stayed: the broken key took no slot */
	dnssec_keycache_free(c);
	dnssec_keycache_free(NULL);
	tkey_free(&k1);
	tkey_free(&k2);
	free(s);
}

/* ---- DNSKEY RRset by DS ---- */

static dns_rr *ds_for(recs *s, const dns_rr *key, uint8_t digest_type)
{
	uint8_t rd[4 + DNSSEC_DIGEST_MAX];
	size_t dlen = 0;
	memset(rd, 0x5a, sizeof rd);
	rd[0] = (uint8_t)(dnssec_key_tag(key->rdata, key->rdlen) >> 8);
	rd[1] = (uint8_t)dnssec_key_tag(key->rdata, key->rdlen);
	rd[2] = key->rdata[3];
	rd[3] = digest_type;
	if (dnssec_ds_digest(&key->owner, key->rdata, key->rdlen, digest_type,
	                     rd + 4, DNSSEC_DIGEST_MAX, &dlen) != 0)
		dlen = 20; /* unsupported type: any digest */
	char owner[DNS_NAME_TEXT_MAX];
	dns_name_str(&key->owner, owner);
	return add_raw(s, owner, DNS_T_DS, rd, 4 + dlen);
}

static void test_dnskey_by_ds(void **state)
{
	(void)state;
	recs *s = recs_new();
	tkey ksk, zsk;
	tkey_make(&ksk, s, "example.com.", 257);
	tkey_make(&zsk, s, "example.com.", 256);
	dns_rr keyset[2] = { *ksk.rr, *zsk.rr };
	dns_rr *ksig = sign(s, &ksk, keyset, 2, DEF);
	dnssec_env e = env_now();
	dnssec_verdict v;

	dns_rr *ds2 = ds_for(s, ksk.rr, DNSSEC_DIGEST_SHA256);
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, ds2, 1, &e,
	                                         &v),
	                 DNSSEC_SECURE);
	assert_int_equal(v.key_tag, ksk.tag);
	/* the DS names the ZSK, which did not sign the key set */
	dns_rr *dsz = ds_for(s, zsk.rr, DNSSEC_DIGEST_SHA384);
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, dsz, 1, &e,
	                                         &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_DNSKEY);
	/* a DS for a key not in the set */
	tkey stray;
	tkey_make(&stray, s, "example.com.", 257);
	dns_rr *dss = ds_for(s, stray.rr, DNSSEC_DIGEST_SHA256);
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, dss, 1, &e,
	                                         &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_DS_NO_MATCH);
	assert_int_equal(v.ede, 9);

	/* SHA-1 and SHA-256 DS: only SHA-256 counts (RFC 4509 §3) */
	dns_rr *ds1 = ds_for(s, ksk.rr, DNSSEC_DIGEST_SHA1);
	dns_rr pair[2] = { *ds1, *dss };
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, pair, 2, &e,
	                                         &v),
	                 DNSSEC_BOGUS);
	pair[1] = *ds2;
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, pair, 2, &e,
	                                         &v),
	                 DNSSEC_SECURE);
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, ds1, 1, &e,
	                                         &v),
	                 DNSSEC_SECURE);

	/* only unsupported digests or algorithms: insecure (RFC 4035 §5.2) */
	dns_rr *dsg = ds_for(s, ksk.rr, DNSSEC_DIGEST_GOST);
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, dsg, 1, &e,
	                                         &v),
	                 DNSSEC_INSECURE);
	assert_int_equal(v.reason, DNSSEC_R_UNSUPPORTED_DIGEST);
	assert_int_equal(v.ede, 2);
	dns_rr *dsa = ds_for(s, ksk.rr, DNSSEC_DIGEST_SHA256);
	s->buf[s->n - 1][2] = 200; /* unassigned algorithm */
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, dsa, 1, &e,
	                                         &v),
	                 DNSSEC_INSECURE);
	assert_int_equal(v.reason, DNSSEC_R_UNSUPPORTED_ALG);
	assert_int_equal(v.ede, 1);
	/* one supported DS among unsupported ones decides (RFC 6840 §5.11) */
	dns_rr mixed[3] = { *dsa, *dsg, *ds2 };
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, mixed, 3, &e,
	                                         &v),
	                 DNSSEC_SECURE);

	/* the key set's signature expired: the matched key's reason */
	e.now = T1 + 1;
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, ksig, 1, ds2, 1, &e,
	                                         &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_SIG_EXPIRED);
	e = env_now();

	/* DS match failures are capped (DNSSEC_MAX_DS_MATCH_FAILURES) */
	dns_rr many[6];
	for (int i = 0; i < 6; i++)
		many[i] = *ds2;
	dns_rr badsig = *ksig;
	uint8_t bad[RDMAX];
	memcpy(bad, ksig->rdata, ksig->rdlen);
	bad[ksig->rdlen - 1] ^= 1;
	badsig.rdata = bad;
	dnssec_budget b;
	dnssec_budget_init(&b);
	e.budget = &b;
	assert_int_equal(dnssec_dnskey_verify_ds(keyset, 2, &badsig, 1, many, 6,
	                                         &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_LIMIT);
	assert_int_equal(b.verifies, DNSSEC_MAX_DS_MATCH_FAILURES);
	tkey_free(&ksk);
	tkey_free(&zsk);
	tkey_free(&stray);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_checks),
		cmocka_unit_test(test_sig_fields),
		cmocka_unit_test(test_wildcard),
		cmocka_unit_test(test_canonical_and_ttl),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_keytrap_caps),
		cmocka_unit_test(test_keycache),
		cmocka_unit_test(test_dnskey_by_ds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
