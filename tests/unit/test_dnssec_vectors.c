/* Unit tests: resolver/dnssec/ against published vectors — key tags and DS
 * digests of RFC 4034 §5.4, RFC 4509 §2.3, RFC 6605 §6, RFC 8080 §6;
 * signatures of RFC 5702 §6.1-6.2 (RSASHA256/512), RFC 6605 §6.1-6.2
 * (ECDSA P-256/P-384) and RFC 8080 §6.1-6.2 (Ed25519/Ed448, with erratum
 * 4935), each also checked to fail once tampered or out of its window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "codec/base.h"
#include "codec/error.h"
#include "codec/rr.h"
#include "codec/zone.h"
#include "resolver/dnssec/dnssec.h"

#define MAXRR 8
#define RDMAX 2048

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

/* YYYYMMDDHHMMSS (UTC) -> unix seconds */
static int64_t when(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	assert_int_equal(sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
	                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec),
	                 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static dnssec_env env_at(int64_t now)
{
	dnssec_env e = { .now = now };
	return e;
}

/* ---- key tags and DS digests ---- */

static void check_ds(const char *key_line, const char *ds_line,
                     uint16_t want_tag)
{
	recs *s = recs_new();
	dns_rr *key = add(s, key_line);
	dns_rr *ds = add(s, ds_line);
	assert_int_equal(dnssec_key_tag(key->rdata, key->rdlen), want_tag);
	dnssec_ds d;
	assert_int_equal(dnssec_ds_parse(ds->rdata, ds->rdlen, &d), 0);
	assert_int_equal(d.key_tag, want_tag);
	uint8_t dig[DNSSEC_DIGEST_MAX];
	size_t dlen = 0;
	assert_int_equal(dnssec_ds_digest(&key->owner, key->rdata, key->rdlen,
	                                  d.digest_type, dig, sizeof dig, &dlen),
	                 0);
	assert_int_equal(dlen, d.digest_len);
	assert_memory_equal(dig, d.digest, dlen);
	assert_int_equal(dnssec_ds_match(&key->owner, &d, key->rdata, key->rdlen),
	                 DNSSEC_DS_MATCH);
	/* the owner is part of the digest, in canonical (lower) case */
	dns_name other;
	assert_int_equal(dns_name_from_text(&other, "other.example.", 14, NULL), 0);
	assert_int_equal(dnssec_ds_match(&other, &d, key->rdata, key->rdlen),
	                 DNSSEC_DS_MISMATCH);
	dns_name upper = key->owner;
	for (size_t i = 0; i < upper.len; i++)
		if (upper.wire[i] >= 'a' && upper.wire[i] <= 'z')
			upper.wire[i] = (uint8_t)(upper.wire[i] - 32);
	assert_int_equal(dnssec_ds_match(&upper, &d, key->rdata, key->rdlen),
	                 DNSSEC_DS_MATCH);
	/* one flipped bit of the key */
	s->buf[0][key->rdlen - 1] ^= 1;
	assert_int_equal(dnssec_ds_match(&key->owner, &d, key->rdata, key->rdlen),
	                 DNSSEC_DS_MISMATCH);
	free(s);
}

static void test_ds_rfc4034(void **state)
{
	(void)state;
	const char *key =
	    "dskey.example.com. 86400 IN DNSKEY 256 3 5 ( AQOeiiR0GOMYkDshWoSKz9Xz"
	    " fwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmA"
	    "phXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMB"
	    "mADjFDc2w/rljwvFw== )";
	/* RFC 4034 §5.4 (SHA-1) and RFC 4509 §2.3 (SHA-256), same key */
	check_ds(key, "dskey.example.com. 86400 IN DS 60485 5 1 ( 2BB183AF5F22588179A"
	              "53B0A 98631FAD1A292118 )", 60485);
	check_ds(key, "dskey.example.com. 86400 IN DS 60485 5 2 ( D4B7D520E7BB5F0F"
	              "67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A )", 60485);
}

static void test_ds_rfc6605_rfc8080(void **state)
{
	(void)state;
	check_ds("example.net. 3600 IN DNSKEY 257 3 13 ( GojIhhXUN/u4v54ZQqGSnyhW"
	         "JwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )",
	         "example.net. 3600 IN DS 55648 13 2 ( b4c8c1fe2e7477127b27115656a"
	         "d6256f424625bf5c1e2770ce6d6e37df61d17 )", 55648);
	check_ds("example.net. 3600 IN DNSKEY 257 3 14 ( xKYaNhWdGOfJ+nPrL8/arkwf2"
	         "EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/"
	         "uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )",
	         "example.net. 3600 IN DS 10771 14 4 ( 72d7b62976ce06438e9c0bf3190"
	         "13cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df9"
	         "83d6 )", 10771);
	check_ds("example.com. 3600 IN DNSKEY 257 3 15 ( l02Woi0iS8Aa25FQkUd9RMzZ"
	         "HJpBoRQwAQEX1SxZJA4= )",
	         "example.com. 3600 IN DS 3613 15 2 ( 3aa5ab37efce57f737fc1627013fe"
	         "e07bdf241bd10f3b1964ab55c78e79a304b )", 3613);
	check_ds("example.com. 3600 IN DNSKEY 257 3 15 ( zPnZ/QwEe7S8C5SPz2OfS5RR"
	         "40ATk2/rYnE9xHIEijs= )",
	         "example.com. 3600 IN DS 35217 15 2 ( 401781b934e392de492ec77ae2e"
	         "15d70f6575a1c0bc59c5275c04ebe80c6614c )", 35217);
	check_ds("example.com. 3600 IN DNSKEY 257 3 16 ( 3kgROaDjrh0H2iuixWBrc8g2"
	         "EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA )",
	         "example.com. 3600 IN DS 9713 16 2 ( 6ccf18d5bc5d7fc2fceb1d59d1732"
	         "1402f2aa8d368048db93dd811f5cb2b19c7 )", 9713);
}

static void test_ds_unsupported(void **state)
{
	(void)state;
	recs *s = recs_new();
	dns_rr *key = add(s, "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25F"
	                     "QkUd9RMzZHJpBoRQwAQEX1SxZJA4=");
	/* GOST (3) and an unassigned type: distinct result, no digest */
	dns_rr *ds = add(s, "example.com. 3600 IN DS 3613 15 3 ( 3aa5ab37efce57f7"
	                    "37fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b )");
	dnssec_ds d;
	assert_int_equal(dnssec_ds_parse(ds->rdata, ds->rdlen, &d), 0);
	assert_int_equal(dnssec_ds_match(&key->owner, &d, key->rdata, key->rdlen),
	                 DNSSEC_DS_UNSUPPORTED);
	uint8_t dig[DNSSEC_DIGEST_MAX];
	size_t dlen;
	assert_int_equal(dnssec_ds_digest(&key->owner, key->rdata, key->rdlen, 3,
	                                  dig, sizeof dig, &dlen),
	                 WARD_ENOTSUP);
	assert_int_equal(dnssec_ds_digest(&key->owner, key->rdata, key->rdlen, 2,
	                                  dig, 31, &dlen),
	                 WARD_ESPACE);
	assert_false(dnssec_digest_supported(3));
	assert_false(dnssec_digest_supported(5));
	assert_true(dnssec_digest_supported(4));
	free(s);
}

/* RFC 4034 Appendix B.1: an RSA/MD5 key's tag is the modulus' bits */
static void test_key_tag_rsamd5(void **state)
{
	(void)state;
	static const uint8_t rd[] = { 0x01, 0x00, 0x03, 0x01, 0x01, 0x03,
	                              0xc1, 0x5c, 0x1a, 0xc6, 0xb1, 0x99 };
	/* the last three octets are c6 b1 99: the tag is 0xc6b1 */
	assert_int_equal(dnssec_key_tag(rd, sizeof rd), 0xc6b1);
	/* the same key as algorithm 5 gets the Appendix B checksum */
	uint8_t rd5[sizeof rd];
	memcpy(rd5, rd, sizeof rd);
	rd5[3] = 5;
	uint32_t ac = 0;
	for (size_t i = 0; i < sizeof rd5; i++)
		ac += (i & 1) ? rd5[i] : (uint32_t)rd5[i] << 8;
	ac += ac >> 16;
	assert_int_equal(dnssec_key_tag(rd5, sizeof rd5), ac & 0xffff);
	assert_int_not_equal(dnssec_key_tag(rd5, sizeof rd5), 0xc6b1);
	static const uint8_t short_rd[] = { 0x01, 0x00, 0x03 };
	assert_int_equal(dnssec_key_tag(short_rd, sizeof short_rd), 0);
}

/* ---- signatures ---- */

struct sigvec {
	const char *name;
	const char *key, *rr, *sig;
	const char *inception, *expiration;
	uint16_t tag;
};

static const struct sigvec sigvecs[] = {
	{ "RFC 5702 6.1 RSASHA256",
	  "example.net. 3600 IN DNSKEY 256 3 8 ( AwEAAcFcGsaxxdgiuuGmCkVImy4h99Cq"
	  "T7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk= )",
	  "www.example.net. 3600 IN A 192.0.2.91",
	  "www.example.net. 3600 IN RRSIG ( A 8 3 3600 20300101000000 "
	  "20000101000000 9033 example.net. kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUO"
	  "ibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg== )",
	  "20000101000000", "20300101000000", 9033 },
	{ "RFC 5702 6.2 RSASHA512",
	  "example.net. 3600 IN DNSKEY 256 3 10 ( AwEAAdHoNTOW+et86KuJOWRDp1pnd"
	  "vwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rkl"
	  "MrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSnco"
	  "rffcGmhOL )",
	  "www.example.net. 3600 IN A 192.0.2.91",
	  "www.example.net. 3600 IN RRSIG ( A 10 3 3600 20300101000000 "
	  "20000101000000 3740 example.net. tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjv"
	  "vjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJR"
	  "fDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw= )",
	  "20000101000000", "20300101000000", 3740 },
	{ "RFC 6605 6.1 ECDSAP256SHA256",
	  "example.net. 3600 IN DNSKEY 257 3 13 ( GojIhhXUN/u4v54ZQqGSnyhWJwaubCv"
	  "Tmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )",
	  "www.example.net. 3600 IN A 192.0.2.1",
	  "www.example.net. 3600 IN RRSIG ( A 13 3 3600 20100909100439 "
	  "20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP"
	  "107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw== )",
	  "20100812100439", "20100909100439", 55648 },
	{ "RFC 6605 6.2 ECDSAP384SHA384",
	  "example.net. 3600 IN DNSKEY 257 3 14 ( xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ"
	  "+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp6"
	  "5F6Glur8I/mlVNgF6W/qTI37m40 )",
	  "www.example.net. 3600 IN A 192.0.2.1",
	  "www.example.net. 3600 IN RRSIG ( A 14 3 3600 20100909102025 "
	  "20100812102025 10771 example.net. /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5"
	  "CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJz"
	  "usdnI0RSMROxxwGipWcJm )",
	  "20100812102025", "20100909102025", 10771 },
	{ "RFC 8080 6.1 ED25519 (1)",
	  "example.com. 3600 IN DNSKEY 257 3 15 ( l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQ"
	  "wAQEX1SxZJA4= )",
	  "example.com. 3600 IN MX 10 mail.example.com.",
	  "example.com. 3600 IN RRSIG ( MX 15 2 3600 1440021600 1438207200 3613 "
	  "example.com. oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3"
	  "fx8A4M3e23mRZ9VrbpMngwcrqNAg== )",
	  "20150729220000", "20150819220000", 3613 },
	{ "RFC 8080 6.1 ED25519 (2)",
	  "example.com. 3600 IN DNSKEY 257 3 15 ( zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/r"
	  "YnE9xHIEijs= )",
	  "example.com. 3600 IN MX 10 mail.example.com.",
	  "example.com. 3600 IN RRSIG ( MX 15 2 3600 1440021600 1438207200 35217 "
	  "example.com. zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnz"
	  "QoSm5poJ7gD7AQR0O7KuI5k2pcBg== )",
	  "20150729220000", "20150819220000", 35217 },
	{ "RFC 8080 6.2 ED448 (1)",
	  "example.com. 3600 IN DNSKEY 257 3 16 ( 3kgROaDjrh0H2iuixWBrc8g2EpBBLCdG"
	  "zHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA )",
	  "example.com. 3600 IN MX 10 mail.example.com.",
	  "example.com. 3600 IN RRSIG ( MX 16 2 3600 1440021600 1438207200 9713 "
	  "example.com. 3cPAHkmlnxcDHMyg7vFC34l0blBhuG1qpwLmjInI8w1CMB29FkEAIJUA0a"
	  "mxWndkmnBZ6SKiwZSAxGILn/NBtOXft0+Gj7FSvOKxE/07+4RQvE581N3Aj/JtIyaiYVdnY"
	  "tyMWbSNyGEY2213WKsJlwEA )",
	  "20150729220000", "20150819220000", 9713 },
	{ "RFC 8080 6.2 ED448 (2)",
	  "example.com. 3600 IN DNSKEY 257 3 16 ( kkreGWoccSDmUBGAe7+zsbG6ZAFQp+sy"
	  "PmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA )",
	  "example.com. 3600 IN MX 10 mail.example.com.",
	  "example.com. 3600 IN RRSIG ( MX 16 2 3600 1440021600 1438207200 38353 "
	  "example.com. E1/oLjSGIbmLny/4fcgM1z4oL6aqo+izT3urCyHyvEp4Sp8Syg1eI+lJ57"
	  "CSnZqjJP41O/9l4m0AsQ4f7qI1gVnML8vWWiyW2KXhT9kuAICUSxv5OWbf81Rq7Yu60npa"
	  "bODB0QFPb/rkW3kUZmQ0YQUA )",
	  "20150729220000", "20150819220000", 38353 },
};

static void run_sigvec(const struct sigvec *v)
{
	recs *s = recs_new();
	dns_rr *key = add(s, v->key);
	dns_rr *rr = add(s, v->rr);
	dns_rr *sig = add(s, v->sig);
	assert_int_equal(dnssec_key_tag(key->rdata, key->rdlen), v->tag);
	int64_t t0 = when(v->inception), t1 = when(v->expiration);
	int64_t mid = t0 + (t1 - t0) / 2;

	dnssec_env e = env_at(mid);
	dnssec_verdict vd;
	if (dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd) != DNSSEC_SECURE)
		fail_msg("%s: %s", v->name, vd.text);
	assert_int_equal(vd.reason, DNSSEC_R_OK);
	assert_int_equal(vd.key_tag, v->tag);
	assert_false(vd.wildcard);
	/* TTL: min of 3600 and the time left, here far more than 3600 */
	assert_int_equal(vd.ttl, 3600);
	assert_int_equal(dnssec_rrsig_verify(rr, 1, sig, key, &e, &vd),
	                 DNSSEC_R_OK);

	/* the window's edges, and one second outside */
	e.now = t0;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);
	e.now = t1;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);
	assert_int_equal(vd.ttl, 0); /* expires now */
	e.now = t1 - 100;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);
	assert_int_equal(vd.ttl, 100);
	e.now = t1 + 1;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_BOGUS);
	assert_int_equal(vd.reason, DNSSEC_R_SIG_EXPIRED);
	assert_int_equal(vd.ede, 7);
	assert_non_null(strstr(vd.text, "expired"));
	e.now = t0 - 1;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_BOGUS);
	assert_int_equal(vd.reason, DNSSEC_R_SIG_NOT_YET_VALID);
	assert_int_equal(vd.ede, 8);
	e.ignore_time = true; /* dnssec-no-timecheck */
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);

	/* tampered rdata: the last octet of the record */
	e = env_at(mid);
	s->buf[1][rr->rdlen - 1] ^= 0x01;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_BOGUS);
	assert_int_equal(vd.reason, DNSSEC_R_SIG_BAD);
	assert_int_equal(vd.ede, 6);
	s->buf[1][rr->rdlen - 1] ^= 0x01;
	/* tampered signature */
	s->buf[2][sig->rdlen - 5] ^= 0x10;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_BOGUS);
	assert_int_equal(vd.reason, DNSSEC_R_SIG_BAD);
	s->buf[2][sig->rdlen - 5] ^= 0x10;
	/* the original TTL is signed: a different one fails */
	s->buf[2][7] ^= 1;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_BOGUS);
	s->buf[2][7] ^= 1;
	/* the TTL of the record as received is not */
	rr->ttl = 77;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);
	assert_int_equal(vd.ttl, 77);
	/* owner case does not matter (canonical form) */
	rr->owner.wire[1] = (uint8_t)(rr->owner.wire[1] - 32);
	sig->owner = rr->owner;
	assert_int_equal(dnssec_rrset_verify(rr, 1, sig, 1, key, 1, &e, &vd),
	                 DNSSEC_SECURE);
	free(s);
}

static void test_rfc_signatures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sigvecs / sizeof sigvecs[0]; i++) {
		print_message("  %s\n", sigvecs[i].name);
		run_sigvec(&sigvecs[i]);
	}
}

/* RFC 6605/8080 signed data: the DS vouches for the key, the key signs */
static void test_dnskey_verify_ds_unsigned_keyset(void **state)
{
	(void)state;
	recs *s = recs_new();
	dns_rr *key = add(s, "example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25F"
	                     "QkUd9RMzZHJpBoRQwAQEX1SxZJA4=");
	dns_rr *ds = add(s, "example.com. 3600 IN DS 3613 15 2 3aa5ab37efce57f737fc"
	                    "1627013fee07bdf241bd10f3b1964ab55c78e79a304b");
	dnssec_env e = env_at(when("20150801000000"));
	dnssec_verdict v;
	/* no RRSIG over the key set: the DS matched, the set is not signed */
	assert_int_equal(dnssec_dnskey_verify_ds(key, 1, NULL, 0, ds, 1, &e, &v),
	                 DNSSEC_BOGUS);
	assert_int_equal(v.reason, DNSSEC_R_NO_RRSIG);
	assert_int_equal(v.ede, 10);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ds_rfc4034),
		cmocka_unit_test(test_ds_rfc6605_rfc8080),
		cmocka_unit_test(test_ds_unsupported),
		cmocka_unit_test(test_key_tag_rsamd5),
		cmocka_unit_test(test_rfc_signatures),
		cmocka_unit_test(test_dnskey_verify_ds_unsigned_keyset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
