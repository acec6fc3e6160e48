/* ward DNSSEC: algorithm support, key tags, DNSKEY/RRSIG/DS rdata, DS
 * digests (RFC 4034 §2, §3, §5, Appendix B; RFC 4509; RFC 6605 §2). */
#include <openssl/evp.h>
#include <string.h>

#include "codec/cursor.h"
#include "codec/error.h"
#include "dnssec.h"

bool dnssec_alg_supported(uint8_t alg)
{
	switch (alg) {
	case DNSSEC_ALG_DSA:
	case DNSSEC_ALG_RSASHA1:
	case DNSSEC_ALG_DSA_NSEC3_SHA1:
	case DNSSEC_ALG_RSASHA1_NSEC3_SHA1:
	case DNSSEC_ALG_RSASHA256:
	case DNSSEC_ALG_RSASHA512:
	case DNSSEC_ALG_ECDSAP256SHA256:
	case DNSSEC_ALG_ECDSAP384SHA384:
	case DNSSEC_ALG_ED25519:
	case DNSSEC_ALG_ED448:
		return true;
	default:
		return false;
	}
}

const char *dnssec_alg_name(uint8_t alg)
{
	switch (alg) {
	case DNSSEC_ALG_RSAMD5: return "RSAMD5";
	case DNSSEC_ALG_DSA: return "DSA";
	case DNSSEC_ALG_RSASHA1: return "RSASHA1";
	case DNSSEC_ALG_DSA_NSEC3_SHA1: return "DSA-NSEC3-SHA1";
	case DNSSEC_ALG_RSASHA1_NSEC3_SHA1: return "RSASHA1-NSEC3-SHA1";
	case DNSSEC_ALG_RSASHA256: return "RSASHA256";
	case DNSSEC_ALG_RSASHA512: return "RSASHA512";
	case DNSSEC_ALG_ECCGOST: return "ECC-GOST";
	case DNSSEC_ALG_ECDSAP256SHA256: return "ECDSAP256SHA256";
	case DNSSEC_ALG_ECDSAP384SHA384: return "ECDSAP384SHA384";
	case DNSSEC_ALG_ED25519: return "ED25519";
	case DNSSEC_ALG_ED448: return "ED448";
	default: return NULL;
	}
}

static const EVP_MD *digest_md(uint8_t digest_type)
{
	switch (digest_type) {
	case DNSSEC_DIGEST_SHA1: return EVP_sha1();
	case DNSSEC_DIGEST_SHA256: return EVP_sha256();
	case DNSSEC_DIGEST_SHA384: return EVP_sha384();
	default: return NULL;
	}
}

bool dnssec_digest_supported(uint8_t digest_type)
{
	return dnssec_digest_len(digest_type) != 0;
}

size_t dnssec_digest_len(uint8_t digest_type)
{
	switch (digest_type) {
	case DNSSEC_DIGEST_SHA1: return 20;
	case DNSSEC_DIGEST_SHA256: return 32;
	case DNSSEC_DIGEST_SHA384: return 48;
	default: return 0;
	}
}

uint16_t dnssec_key_tag(const uint8_t *rdata, size_t len)
{
	if (len < 4)
		return 0;
	/* B.1: for RSA/MD5 the tag is the 16 most significant of the 24
	 * least significant bits of the modulus, i.e. the key's last octets
	 * but one. */
	if (rdata[3] == DNSSEC_ALG_RSAMD5)
		return len < 7 ? 0 : (uint16_t)(rdata[len - 3] << 8 | rdata[len - 2]);
	uint32_t ac = 0;
	for (size_t i = 0; i < len; i++)
		ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
	ac += (ac >> 16) & 0xFFFF;
	return (uint16_t)(ac & 0xFFFF);
}

int dnssec_dnskey_parse(const uint8_t *rdata, size_t len, dnssec_dnskey *out)
{
	wire_rd rd = wire_rd_init(rdata, len);
	out->flags = wire_rd_u16(&rd);
	out->protocol = wire_rd_u8(&rd);
	out->algorithm = wire_rd_u8(&rd);
	if (rd.err || len > DNS_RDATA_MAX)
		return WARD_ERDATA;
	out->key_len = (uint16_t)wire_rd_left(&rd);
	out->key = wire_rd_view(&rd, out->key_len);
	out->tag = dnssec_key_tag(rdata, len);
	return 0;
}

bool dnssec_dnskey_usable(const dnssec_dnskey *k)
{
	return k->protocol == DNSKEY_PROTOCOL && (k->flags & DNSKEY_F_ZONE) &&
	       !(k->flags & DNSKEY_F_REVOKE);
}

int dnssec_rrsig_parse(const uint8_t *rdata, size_t len, dnssec_rrsig *out)
{
	if (len > DNS_RDATA_MAX)
		return WARD_ERDATA;
	wire_rd rd = wire_rd_init(rdata, len);
	out->type_covered = wire_rd_u16(&rd);
	out->algorithm = wire_rd_u8(&rd);
	out->labels = wire_rd_u8(&rd);
	out->orig_ttl = wire_rd_u32(&rd);
	out->expiration = wire_rd_u32(&rd);
	out->inception = wire_rd_u32(&rd);
	out->key_tag = wire_rd_u16(&rd);
	if (rd.err)
		return WARD_ERDATA;
	int r = dns_name_read(&rd, &out->signer, false);
	if (r < 0)
		return r == WARD_ETRUNC ? WARD_ERDATA : r;
	out->prefix_len = (uint16_t)rd.pos;
	out->sig_len = (uint16_t)wire_rd_left(&rd);
	out->sig = wire_rd_view(&rd, out->sig_len);
	out->rdata = rdata;
	return 0;
}

int dnssec_ds_parse(const uint8_t *rdata, size_t len, dnssec_ds *out)
{
	wire_rd rd = wire_rd_init(rdata, len);
	out->key_tag = wire_rd_u16(&rd);
	out->algorithm = wire_rd_u8(&rd);
	out->digest_type = wire_rd_u8(&rd);
	if (rd.err || len > DNS_RDATA_MAX)
		return WARD_ERDATA;
	out->digest_len = (uint16_t)wire_rd_left(&rd);
	out->digest = wire_rd_view(&rd, out->digest_len);
	return 0;
}

int dnssec_ds_digest(const dns_name *owner, const uint8_t *dnskey,
                     size_t dnskey_len, uint8_t digest_type, uint8_t *out,
                     size_t cap, size_t *outlen)
{
	const EVP_MD *md = digest_md(digest_type);
	if (!md)
		return WARD_ENOTSUP;
	size_t dlen = dnssec_digest_len(digest_type);
	if (cap < dlen)
		return WARD_ESPACE;
	dns_name lower = *owner;
	dns_name_lower(&lower);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int got = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) &&
	         EVP_DigestUpdate(ctx, lower.wire, lower.len) &&
	         EVP_DigestUpdate(ctx, dnskey, dnskey_len) &&
	         EVP_DigestFinal_ex(ctx, out, &got);
	EVP_MD_CTX_free(ctx);
	if (!ok || got != dlen)
		return WARD_ENOMEM;
	*outlen = dlen;
	return 0;
}

enum dnssec_ds_match dnssec_ds_match(const dns_name *owner,
                                     const dnssec_ds *ds,
                                     const uint8_t *dnskey, size_t len)
{
	if (!dnssec_digest_supported(ds->digest_type))
		return DNSSEC_DS_UNSUPPORTED;
	if (len < 4 || dnssec_key_tag(dnskey, len) != ds->key_tag ||
	    dnskey[3] != ds->algorithm ||
	    ds->digest_len != dnssec_digest_len(ds->digest_type))
		return DNSSEC_DS_MISMATCH;
	uint8_t d[DNSSEC_DIGEST_MAX];
	size_t dlen;
	if (dnssec_ds_digest(owner, dnskey, len, ds->digest_type, d, sizeof d,
	                     &dlen) != 0)
		return DNSSEC_DS_MISMATCH;
	return memcmp(d, ds->digest, dlen) == 0 ? DNSSEC_DS_MATCH
	                                        : DNSSEC_DS_MISMATCH;
}
