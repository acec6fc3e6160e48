/* ward: the NSEC3 hash (RFC 5155 §5), SHA-1 through OpenSSL 3 EVP.
 *   IH(salt, x, 0) = H(x || salt)
 *   IH(salt, x, k) = H(IH(salt, x, k-1) || salt)
 * over the owner name in canonical (lowercase, uncompressed) wire form. */
#include <openssl/evp.h>

#include "codec/error.h"
#include "denial.h"

int nsec3_hash(uint8_t alg, const uint8_t *salt, size_t saltlen,
               uint16_t iterations, const dns_name *name,
               uint8_t out[NSEC3_SHA1_LEN])
{
	if (alg != NSEC3_HASH_SHA1)
		return WARD_ENOTSUP;
	dns_name lower = *name;
	dns_name_lower(&lower);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return WARD_ENOMEM;
	/* an explicitly fetched digest: EVP_sha1() would be looked up again
	 * at every EVP_DigestInit_ex, several times the cost of the SHA-1 */
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA1", NULL);
	int ok = md != NULL;
	const uint8_t *in = lower.wire;
	size_t inlen = lower.len;
	for (unsigned k = 0; ok && k <= iterations; k++) {
		unsigned int olen = 0;
		/* after the first round, NULL keeps the digest set up */
		ok = EVP_DigestInit_ex2(ctx, k == 0 ? md : NULL, NULL) &&
		     EVP_DigestUpdate(ctx, in, inlen) &&
		     (saltlen == 0 || EVP_DigestUpdate(ctx, salt, saltlen)) &&
		     EVP_DigestFinal_ex(ctx, out, &olen) &&
		     olen == NSEC3_SHA1_LEN;
		in = out;
		inlen = NSEC3_SHA1_LEN;
	}
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : WARD_ENOMEM;
}
