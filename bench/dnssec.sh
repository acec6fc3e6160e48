# shellcheck shell=bash disable=SC2016  # backquotes in single quotes are Markdown
# bench/run's signature benchmark (sourced by bench/run, which provides CC,
# CFLAGS_BENCH, MAKE, BUILD, OUT, DOC, machine_info, result, doc_section).
# The cost of validating one RRset (dnssec_rrset_verify) against the bare
# OpenSSL verification of the same signature over the same octets, for
# algorithms 8, 13 and 15 (bench/dnssec.c). Target (issue #5): ward within
# 1.3x of OpenSSL.
bench_dnssec() {
	echo "== dnssec: RRset validation vs bare OpenSSL verify"
	"$MAKE" -s "$BUILD/lib/libwardresolver.a" "$BUILD/lib/libwardcodec.a"
	# shellcheck disable=SC2086
	$CC $CFLAGS_BENCH -o "$OUT/dnssec" bench/dnssec.c "$BUILD/lib/libwardresolver.a" \
		"$BUILD/lib/libwardcodec.a" -lcrypto
	local log="$OUT/dnssec.log"
	"$OUT/dnssec" --rounds "${DNSSEC_ROUNDS:-15}" --ms "${DNSSEC_MS:-100}" | tee "$log" | grep -v '^RESULT'
	[ "$DOC" = 1 ] || return 0
	local body alg w o nc r rb rnc met worst=0
	body=$(mktemp)
	{
		echo "## DNSSEC: signature verification"
		echo
		echo "The cost of validating one RRset against the bare public-key"
		echo "operation. **ward**: \`dnssec_rrset_verify\` of www.example.com. A (two"
		echo "records) with its RRSIG and the zone's DNSKEY: every check of RFC 4035"
		echo "§5.3.1, the RRset put in canonical form and order, the signed octets"
		echo "(RFC 4034 §3.1.8.1) built, the key taken from the engine's key cache,"
		echo "the signature verified. **ward-nc**: the same without the key cache"
		echo "(the key built from the DNSKEY rdata every time). **openssl**:"
		echo '`EVP_DigestVerifyInit` + `EVP_DigestVerify` over the same octets,'
		echo "prebuilt, with a prebuilt \`EVP_PKEY\` and a fresh \`EVP_MD_CTX\` (DER"
		echo "signature for ECDSA). Keys made at start (RSA 2048 bits, P-256,"
		echo "Ed25519); engines interleaved, the order turning every round; $(result rounds "$log") rounds"
		echo "of $(result ms "$log") ms per engine and algorithm; microseconds per verification."
		echo "Source: bench/dnssec.c."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_info
		echo "| OpenSSL | $(result openssl_version "$log") |"
		echo
		echo "| algorithm | ward µs (median) | openssl µs (median) | ward / openssl (median) | (best rounds) | ward-nc µs | ward-nc / openssl |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		for alg in 8 13 15; do
			w=$(result "alg${alg}_ward" "$log" | cut -d' ' -f1)
			o=$(result "alg${alg}_openssl" "$log" | cut -d' ' -f1)
			nc=$(result "alg${alg}_ward-nc" "$log" | cut -d' ' -f1)
			read -r r rb rnc <<<"$(result "alg${alg}_ratio" "$log")"
			worst=$(awk -v a="$worst" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
			echo "| $(result "alg${alg}_name" "$log") | $w | $o | $r | $rb | $nc | $rnc |"
		done
		met=$(awk -v r="$worst" 'BEGIN { print (r <= 1.3) ? "**met**" : "**not met**" }')
		echo
		echo "Target ward <= 1.3x OpenSSL for every algorithm (median): $met (worst $worst)."
		echo "What ward adds to the public-key operation is small next to it (the"
		echo "RRSIG and DNSKEY parsed, the owner lowercased, records sorted, about"
		echo "100 octets hashed): ratios near 1 are within the noise of a shared"
		echo "machine. Without the key cache RSA pays for building the key from"
		echo "the RFC 3110 rdata (\`EVP_PKEY_fromdata\`) on every verification."
	} >"$body"
	doc_section "DNSSEC: signature verification" "$body"
	rm -f "$body"
	echo "   wrote the DNSSEC section of $DOCFILE"
}
