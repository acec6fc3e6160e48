#!/bin/bash
# tests/integration/testbed_peers.sh: bring the testbed up in a temporary
# directory, ask every catalogue case of Unbound, Knot Resolver and dnsmasq,
# and check each answer against the catalogue's verdict (or the peer's known
# deviation, listed in the catalogue's "peers" column). Prints a table and
# ends with "N passed, M failed"; exits non-zero on any failure. The testbed
# is brought down on exit, also on failure or interrupt.
#
#   tests/integration/testbed_peers.sh [--keep] [--peers "unbound kresd dnsmasq"] [CASE...]
#
# What a peer's answer means (dig +dnssec, then dig +cd when it is SERVFAIL):
#   secure        rcode as expected, AD=1
#   insecure      rcode as expected, AD=0
#   bogus         SERVFAIL, and with CD=1 the data comes back (validation failed)
#   indeterminate SERVFAIL also with CD=1 (the data could not be had at all)
# EDE: checked when the peer gives one (it must be the expected code).
set -u
cd "$(dirname "$0")/../.." || exit 2
# one testbed at a time on this machine (its addresses are fixed): the
# same lock wardd_lib.sh, scripts/demo and the helpers' tests take
exec 9>/tmp/ward-testbed.lock
if ! flock -w 900 9; then
	echo "FAIL: could not get /tmp/ward-testbed.lock in 15 minutes"
	exit 1
fi
KEEP=""
PEERS="unbound kresd dnsmasq"
ONLY=()
while [ $# -gt 0 ]; do
	case $1 in
	--keep) KEEP=1 ;;
	--peers) PEERS=$2; shift ;;
	*) ONLY+=("$1") ;;
	esac
	shift
done

DIR=$(mktemp -d /tmp/ward-testbed.XXXXXX)
cleanup() {
	testbed/down "$DIR" >/dev/null 2>&1
	if [ -n "$KEEP" ]; then echo "kept $DIR"; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! env_out=$(testbed/up "$DIR"); then
	echo "testbed/up failed"
	echo "0 passed, 1 failed"
	exit 1
fi
eval "$env_out"

declare -A ADDR=([unbound]=$WARD_TB_UNBOUND [kresd]=$WARD_TB_KRESD [dnsmasq]=$WARD_TB_DNSMASQ)

# observe PEER QNAME QTYPE -> "verdict/rcode/ad/ede"
observe() {
	local addr=${ADDR[$1]} out status ad ede verdict cd
	out=$(dig +dnssec +time=20 +tries=1 +bufsize=1232 @"$addr" "$2" "$3" 2>&1)
	status=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out" | head -n 1)
	[ -n "$status" ] || status=TIMEOUT
	ad=0; grep -q '^;; flags:.* ad[ ;]' <<<"$out" && ad=1
	ede=$(sed -n 's/^; EDE: \([0-9]*\).*/\1/p' <<<"$out" | head -n 1)
	[ -n "$ede" ] || ede=-
	if [ "$status" = SERVFAIL ] || [ "$status" = TIMEOUT ]; then
		cd=$(dig +dnssec +cd +time=20 +tries=1 +bufsize=1232 @"$addr" "$2" "$3" 2>&1 |
			sed -n 's/.*status: \([A-Z]*\),.*/\1/p' | head -n 1)
		if [ -n "$cd" ] && [ "$cd" != SERVFAIL ]; then verdict=bogus; else verdict=indeterminate; fi
	elif [ "$ad" = 1 ]; then
		verdict=secure
	else
		verdict=insecure
	fi
	echo "$verdict/$status/$ad/$ede"
}

# matches OBSERVED EXPECTED: verdict, rcode, AD equal; EDE equal when the
# peer gave one ("*" in the expectation accepts any)
matches() {
	local o=$1 e=$2
	IFS=/ read -r ov orc oad oede <<<"$o"
	IFS=/ read -r ev erc ead eede <<<"$e"
	[ "$ov" = "$ev" ] && [ "$orc" = "$erc" ] && [ "$oad" = "$ead" ] || return 1
	# the expected EDE may be a set "6|9" where a peer's code depends on timing
	[ "$oede" = - ] || [ "$eede" = "*" ] || [[ "|$eede|" == *"|$oede|"* ]]
}

pass=0; fail=0
declare -A PPASS PFAIL KNOWN
mkdir -p "$DIR/obs"
printf '%-22s %-28s' case expected
for p in $PEERS; do printf ' %-30s' "$p"; PPASS[$p]=0; PFAIL[$p]=0; KNOWN[$p]=""; done
printf '\n'
while IFS=$'\t' read -r name qname qtype verdict rcode ad ede wrong peers notes; do
	case $name in '#'*|'') continue ;; esac
	if [ ${#ONLY[@]} -gt 0 ] && ! printf '%s\n' "${ONLY[@]}" | grep -qx "$name"; then continue; fi
	exp="$verdict/$rcode/$ad/$ede"
	# Unbound and kresd are independent and asked at the same time; dnsmasq
	# forwards to this Unbound (its DS/DNSKEY lookups too), so it is asked
	# after them, never concurrently with Unbound (that would change what
	# Unbound reports)
	for p in $PEERS; do
		[ "$p" = dnsmasq ] || observe "$p" "$qname" "$qtype" >"$DIR/obs/$name.$p" &
	done
	wait
	for p in $PEERS; do
		[ "$p" != dnsmasq ] || observe "$p" "$qname" "$qtype" >"$DIR/obs/$name.$p"
	done
	printf '%-22s %-28s' "$name" "$exp"
	for p in $PEERS; do
		want=$exp
		dev=$(tr ';' '\n' <<<"$peers" | sed -n "s/^$p=//p")
		if [ -n "$dev" ]; then
			want=$dev
			KNOWN[$p]+="  $name: $dev (catalogue: $exp)"$'\n'
		fi
		got=$(cat "$DIR/obs/$name.$p")
		if matches "$got" "$want"; then
			pass=$((pass + 1)); PPASS[$p]=$((PPASS[$p] + 1))
			cell="ok"; [ -n "$dev" ] && cell="ok (known deviation)"
		else
			fail=$((fail + 1)); PFAIL[$p]=$((PFAIL[$p] + 1))
			cell="FAIL $got"
		fi
		printf ' %-30s' "$cell"
	done
	printf '\n'
done <"$WARD_TB_CATALOGUE"
echo
for p in $PEERS; do
	echo "$p: ${PPASS[$p]} as expected, ${PFAIL[$p]} not; known differences from the catalogue:"
	printf '%s' "${KNOWN[$p]:-  (none)
}"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
