/* Fuzz harness: resolver/dnssec/ — DNSKEY, RRSIG and DS rdata parsing, key
 * tags, DS digests, public keys of every algorithm built from arbitrary
 * bytes, and RRset / DNSKEY-by-DS verification with arbitrary records.
 * Input: mode (1) | now (4) | DNSKEY, RRSIG, DS rdata (each u16 length +
 * octets) | up to 8 rdatas of the covered type (u16 length + octets).
 * mode bits 0-1 pick owner/zone (example.com./example.com.,
 * www.example.net./example.net., a.example.com., *.example.com.), bit 2
 * ignores time, bit 3 adds Unbound's skew, bit 4 needs every key's
 * algorithm. The RFC 8080 §6.1 Ed25519 key of example.com. is always in
 * the key set, so the seed built from that example verifies. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "codec/base.h"
#include "codec/cursor.h"
#include "codec/rr.h"
#include "resolver/dnssec/dnssec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXRRS 8

static const uint8_t *chunk(wire_rd *rd, uint16_t *len)
{
	*len = wire_rd_u16(rd);
	if (*len > wire_rd_left(rd))
		*len = (uint16_t)wire_rd_left(rd);
	const uint8_t *p = wire_rd_view(rd, *len);
	return p ? p : (const uint8_t *)"";
}

static void set_name(dns_name *n, const char *text)
{
	if (dns_name_from_text(n, text, strlen(text), NULL) != 0)
		__builtin_trap();
}

static void check_verdict(const dnssec_verdict *v)
{
	if (v->text[DNSSEC_TEXT_MAX - 1] != '\0' && strlen(v->text) >= DNSSEC_TEXT_MAX)
		__builtin_trap();
	if (v->status == DNSSEC_SECURE && v->reason != DNSSEC_R_OK)
		__builtin_trap();
	if (v->status != DNSSEC_SECURE && v->reason == DNSSEC_R_OK)
		__builtin_trap();
	if (v->ede != dnssec_reason_ede(v->reason))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[4 + 32] = { 0x01, 0x01, 3, DNSSEC_ALG_ED25519 };
	static int init;
	if (!init) {
		static const char k[] = "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";
		size_t n;
		if (base64_decode(k, strlen(k), fixed + 4, 32, &n) != 0 || n != 32)
			__builtin_trap();
		init = 1;
	}
	wire_rd rd = wire_rd_init(data, size);
	uint8_t mode = wire_rd_u8(&rd);
	uint32_t now = wire_rd_u32(&rd);
	uint16_t klen, slen, dlen;
	const uint8_t *key = chunk(&rd, &klen);
	const uint8_t *sig = chunk(&rd, &slen);
	const uint8_t *ds = chunk(&rd, &dlen);

	static const char *const owners[4][2] = {
		{ "example.com.", "example.com." },
		{ "www.example.net.", "example.net." },
		{ "a.example.com.", "example.com." },
		{ "*.example.com.", "example.com." },
	};
	dns_name owner, zone;
	set_name(&owner, owners[mode & 3][0]);
	set_name(&zone, owners[mode & 3][1]);

	/* parsers on the raw bytes */
	dnssec_dnskey pk;
	dnssec_rrsig ps;
	dnssec_ds pd;
	int kok = dnssec_dnskey_parse(key, klen, &pk) == 0;
	int sok = dnssec_rrsig_parse(sig, slen, &ps) == 0;
	int dok = dnssec_ds_parse(ds, dlen, &pd) == 0;
	(void)dnssec_key_tag(key, klen);
	if (kok && pk.key_len + 4u != klen)
		__builtin_trap();
	if (sok && (ps.prefix_len + (size_t)ps.sig_len != slen || ps.signer.len < 1))
		__builtin_trap();
	if (kok && dok) {
		enum dnssec_ds_match m = dnssec_ds_match(&zone, &pd, key, klen);
		if (m == DNSSEC_DS_UNSUPPORTED && dnssec_digest_supported(pd.digest_type))
			__builtin_trap();
	}
	/* every key builder and verifier on arbitrary key / signature bytes */
	if (kok && sok)
		(void)dnssec_verify_raw(pk.algorithm, pk.key, pk.key_len, ps.sig,
		                        ps.sig_len, data, size);

	/* the RRset: rdatas valid for the covered type (as the codec hands
	 * them over) */
	uint16_t type = slen >= 2 ? (uint16_t)(sig[0] << 8 | sig[1]) : DNS_T_MX;
	dns_rr rrs[MAXRRS];
	size_t n = 0;
	while (n < MAXRRS && wire_rd_left(&rd) >= 2) {
		uint16_t len;
		const uint8_t *p = chunk(&rd, &len);
		if (dns_rdata_check(type, p, len) != 0)
			continue;
		rrs[n] = (dns_rr){ .owner = owner, .type = type, .rclass = DNS_C_IN,
		                   .ttl = 3600, .rdlen = len, .rdata = p };
		n++;
	}
	dns_rr keys[2] = {
		{ .owner = zone, .type = DNS_T_DNSKEY, .rclass = DNS_C_IN,
		  .ttl = 3600, .rdlen = klen, .rdata = key },
		{ .type = DNS_T_DNSKEY, .rclass = DNS_C_IN, .ttl = 3600,
		  .rdlen = sizeof fixed, .rdata = fixed },
	};
	set_name(&keys[1].owner, "example.com.");
	dns_rr rrsig = { .owner = owner, .type = DNS_T_RRSIG, .rclass = DNS_C_IN,
	                 .ttl = 3600, .rdlen = slen, .rdata = sig };
	dns_rr dsrr = { .owner = zone, .type = DNS_T_DS, .rclass = DNS_C_IN,
	                .ttl = 3600, .rdlen = dlen, .rdata = ds };

	dnssec_budget b;
	dnssec_budget_init(&b);
	uint8_t algs[2] = { kok ? pk.algorithm : 0, DNSSEC_ALG_ED25519 };
	dnssec_env env = { .now = now, .ignore_time = (mode & 4) != 0,
	                   .budget = &b };
	if (mode & 8) {
		env.skew_min = DNSSEC_UNBOUND_SKEW_MIN;
		env.skew_max = DNSSEC_UNBOUND_SKEW_MAX;
	}
	if (mode & 16) {
		env.need_algs = algs;
		env.n_need_algs = 2;
	}
	dnssec_verdict v;
	if (n > 0) {
		dnssec_rrset_verify(rrs, n, &rrsig, 1, keys, 2, &env, &v);
		check_verdict(&v);
		dnssec_rrsig_verify(rrs, n, &rrsig, &keys[1], &env, &v);
		check_verdict(&v);
		uint8_t buf[4096];
		size_t len;
		if (sok)
			(void)dnssec_signed_data(rrs, n, &ps, buf, sizeof buf, &len);
	}
	/* the key set by DS: the fuzzed key when it is valid DNSKEY rdata */
	if (dns_rdata_check(DNS_T_DNSKEY, key, klen) == 0) {
		rrsig.owner = zone;
		dnssec_dnskey_verify_ds(keys, 1, &rrsig, 1, &dsrr, 1, &env, &v);
		check_verdict(&v);
	}
	if (b.verifies > DNSSEC_MAX_VERIFY_PER_QUERY)
		__builtin_trap();
	return 0;
}
