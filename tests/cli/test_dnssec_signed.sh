#!/usr/bin/env bash
# Zones signed at test time by ldns-signzone, one per algorithm ldns can
# sign with (DSA, RSASHA1, RSASHA256, RSASHA512, ECDSA P-256/P-384,
# Ed25519, Ed448, and the NSEC3 variants 6 and 7 with -n), each with a KSK
# and a ZSK; then build/tests/test_dnssec_signed verifies every RRset and
# the DNSKEY RRset against the keys' DS records (resolver/dnssec/).
#   WARD_BUILD=build tests/cli/test_dnssec_signed.sh
# Skips (77) when ldnsutils (ldns-keygen, ldns-signzone) is not installed.
set -u
cd "$(dirname "$0")/../.."
BUILD=${WARD_BUILD:-build}
PROG="$BUILD/tests/test_dnssec_signed"
for t in ldns-keygen ldns-signzone; do
	if ! command -v $t >/dev/null 2>&1; then
		echo "skip: $t not installed (Debian package ldnsutils)"
		exit 77
	fi
done
if [ ! -x "$PROG" ]; then
	echo "FAIL $PROG is not built (make $PROG)"
	exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# algorithm mnemonic, key bits, extra ldns-signzone options
ALGS="RSASHA1:1024: RSASHA1-NSEC3-SHA1:1024:-n RSASHA256:2048: \
RSASHA512:2048: ECDSAP256SHA256:256: ECDSAP384SHA384:384: ED25519:256: \
ED448:456: DSA:1024: DSA-NSEC3-SHA1:1024:-n"
fail=0
made=0
for spec in $ALGS; do
	alg=${spec%%:*}
	rest=${spec#*:}
	bits=${rest%%:*}
	opts=${rest#*:}
	name=$(echo "$alg" | tr 'A-Z' 'a-z').test
	d="$TMP/$alg"
	mkdir -p "$d"
	cat >"$d/zone" <<ZONE
\$ORIGIN $name.
\$TTL 3600
@	IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
@	IN NS ns1
@	IN MX 10 mail
@	IN MX 20 Mail2.Example.net.
ns1	IN A 192.0.2.1
mail	IN A 192.0.2.2
mail	IN AAAA 2001:db8::2
www	300 IN A 192.0.2.10
www	300 IN A 192.0.2.11
www	300 IN A 192.0.2.9
txt	IN TXT "hello" "world"
*.wild	IN TXT "wildcard"
sub	IN NS ns.sub
ns.sub	IN A 192.0.2.53
ZONE
	if ! (cd "$d" && ksk=$(ldns-keygen -k -a "$alg" -b "$bits" "$name") &&
	      zsk=$(ldns-keygen -a "$alg" -b "$bits" "$name") &&
	      ldns-signzone $opts -i 20240101000000 -e 20300101000000 \
	          -f "$TMP/$alg.signed" zone "$ksk" "$zsk" &&
	      cat "$ksk.ds" >"$TMP/$alg.ds") >"$d/log" 2>&1; then
		echo "note: ldns cannot sign with $alg here: $(tail -n 1 "$d/log")"
		continue
	fi
	made=$((made + 1))
done
if [ $made -lt 8 ]; then
	echo "FAIL only $made zones signed"
	exit 1
fi
# 2025-01-01 00:00:00 UTC, inside the signatures' window
WARD_DNSSEC_SIGNED_DIR=$TMP WARD_DNSSEC_SIGNED_NOW=1735689600 "$PROG" || fail=1
echo "$made zones signed; verifier exit $fail"
exit $fail
