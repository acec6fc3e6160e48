#!/usr/bin/env bash
# CLI tests of `ward decode` for DNS messages given as hex (dig-like text,
# JSON, malformed input, exit statuses).
#   WARD=path/to/bin/ward WARD_TESTDATA=path/to/shared/testdata tests/cli/test_decode_cli.sh
# Exits non-zero when a check fails; the last line is "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
WARD=${WARD:-bin/ward}
TESTDATA=${WARD_TESTDATA:-../shared/testdata}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

status() { # NAME WANT GOT
	if [ "$3" -eq "$2" ]; then ok "$1"; else bad "$1 (exit $3, want $2)"; fi
}

contains() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		ok "$1"
	else
		bad "$1 ('$3' not in output)"
		head -n 20 "$2" | sed 's/^/    /'
	fi
}

lacks() { # NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then bad "$1 ('$3' in output)"; else ok "$1"; fi
}

# example.com. A response: answer 10.32.48.64, OPT (udp 1232, DO) with a
# COOKIE and an EDE 6 "hi"
GOOD="4242 8180 0001 0001 0000 0001 07 6578616d706c65 03 636f6d 00 0001 0001
 c00c 0001 0001 00000101 0004 0a203040
 00 0029 04d0 00008000 001c 000a 0010 0102030405060708090a0b0c0d0e0f10 000f 0004 0006 6869"
GOOD=$(printf '%s' "$GOOD" | tr -d '\n')
# the same question, then an answer whose owner points forward
FWD="4242 0000 0001 0001 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001 c0ff 0001 0001 00000101 0004 0a203040"

"$WARD" decode "$GOOD" >"$TMP/out" 2>&1
status "good message exits 0" 0 $?
contains "header line" "$TMP/out" ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 16962"
contains "flags line" "$TMP/out" ";; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1"
contains "EDNS line" "$TMP/out" "; EDNS: version: 0, flags: do; udp: 1232"
contains "cookie" "$TMP/out" "; COOKIE: 0102030405060708090a0b0c0d0e0f10"
contains "EDE" "$TMP/out" "; EDE: 6 (DNSSEC Bogus): (hi)"
contains "question" "$TMP/out" ";example.com.	IN	A"
contains "answer" "$TMP/out" "example.com.	257	IN	A	10.32.48.64"
lacks "no MALFORMED" "$TMP/out" "MALFORMED"

# stdin: comments, blank lines, whitespace; a malformed message does not
# stop the others
printf '; a comment\n\n# another\n  %s\n%s\n%s\n' "$GOOD" "$FWD" "$GOOD" |
	"$WARD" decode >"$TMP/out" 2>&1
status "malformed message exits 1" 1 $?
contains "malformed reason" "$TMP/out" ";; MALFORMED: compression pointer does not point backwards in ANSWER after 0 records (offset 29)"
n=$(grep -c '^;; ->>HEADER<<-' "$TMP/out")
[ "$n" -eq 3 ] && ok "all three messages printed" || bad "all three messages printed ($n)"

printf '%s\n' "$GOOD" | "$WARD" decode - >"$TMP/out" 2>&1
status "'-' reads stdin" 0 $?

"$WARD" decode "12 3" >"$TMP/out" 2>&1
status "odd hex digits exits 1" 1 $?
contains "odd hex reason" "$TMP/out" "odd number of hex digits"
"$WARD" decode "zz" >"$TMP/out" 2>&1
status "bad hex exits 1" 1 $?
"$WARD" decode "4242" >"$TMP/out" 2>&1
status "short message exits 1" 1 $?
contains "short message reason" "$TMP/out" ";; MALFORMED: message shorter than DNS header (2 octets)"

# JSON: one object per line
"$WARD" decode --json "$GOOD" "$FWD" >"$TMP/out" 2>&1
status "json with a malformed message exits 1" 1 $?
n=$(wc -l <"$TMP/out")
[ "$n" -eq 2 ] && ok "json: one line per message" || bad "json: one line per message ($n)"
contains "json rdataA" "$TMP/out" '"rdataA":"10.32.48.64"'
contains "json malformed" "$TMP/out" '"malformed":{"error":"compression pointer does not point backwards"'
if command -v python3 >/dev/null 2>&1; then
	if python3 -c 'import json,sys
for l in sys.stdin: json.loads(l)' <"$TMP/out"; then
		ok "json parses"
	else
		bad "json parses"
	fi
fi
"$WARD" decode --json --octets "$GOOD" >"$TMP/out" 2>&1
contains "json octets" "$TMP/out" '"messageOctetsHEX":"42428180'

"$WARD" decode --quiet "$GOOD" "$FWD" >"$TMP/out" 2>&1
status "quiet exits 1" 1 $?
contains "quiet summary" "$TMP/out" ";; 2 messages, 1 malformed"

# usage
"$WARD" decode --help >"$TMP/out" 2>&1
status "--help exits 0" 0 $?
contains "--help text" "$TMP/out" "usage: ward decode"
"$WARD" decode --no-such-option >"$TMP/out" 2>&1
status "unknown option exits 2" 2 $?
"$WARD" decode --pcap >"$TMP/out" 2>&1
status "--pcap without FILE exits 2" 2 $?
"$WARD" decode --rr --pcap x >"$TMP/out" 2>&1
status "--rr with --pcap exits 2" 2 $?

# Unbound's hand-made compression cases (drill format, ';--' separated)
F="$TESTDATA/codec/unbound/test_packets.5"
if [ -f "$F" ]; then
	awk '/^;--/ { if (p != "") print p; p = ""; next }
	     /^;/ { next }
	     { sub(/;.*/, ""); p = p $0 }
	     END { if (p != "") print p }' "$F" >"$TMP/in"
	"$WARD" decode <"$TMP/in" >"$TMP/out" 2>&1
	status "test_packets.5 has malformed packets" 1 $?
	n=$(grep -c '^;; MALFORMED' "$TMP/out")
	[ "$n" -eq 6 ] && ok "test_packets.5: 6 malformed" || bad "test_packets.5: 6 malformed ($n)"
	contains "pointer into header" "$TMP/out" "compression pointer into the header"
else
	echo "skip test_packets.5: $F not found (set WARD_TESTDATA)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
