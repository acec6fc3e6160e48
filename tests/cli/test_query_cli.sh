#!/usr/bin/env bash
# CLI test: ward query against a dnsmasq serving local data on loopback
# (no upstream, nothing leaves 127.0.0.0/8): answers, +short, --json, +tcp,
# UDP truncation falling back to TCP, +dnssec sets DO, exit 9 without reply.
set -u
WARD=${WARD:-bin/ward}
ADDR=127.77.0.1
PORT=${WARD_TEST_PORT:-53541}
tmp=$(mktemp -d)
pass=0
fail=0
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

check() { # description, command (exit status 0 = pass)
	local d=$1
	shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi
}

if ! command -v dnsmasq >/dev/null; then
	echo "skip: dnsmasq not installed (scripts/deps installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
# 40 TXT strings of 100 octets: ~4 KB, does not fit in 1232 octets over UDP
long=$(printf 'x%.0s' $(seq 1 100))
txt=""
for i in $(seq 1 40); do txt="$txt,$long$i"; done
dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
	--listen-address=$ADDR --bind-interfaces --port=$PORT --user=root \
	--pid-file="$tmp/pid" --log-facility="$tmp/log" \
	--address=/good.test/192.0.2.1 --address=/good.test/2001:db8::1 \
	--txt-record="big.test$txt" &
pid=$!
for _ in $(seq 1 50); do
	"$WARD" query @$ADDR#$PORT good.test +short +timeout=1 +tries=1 >/dev/null 2>&1 && break
	sleep 0.1
done

out=$("$WARD" query @$ADDR#$PORT good.test A)
check "dig layout: header and status" grep -q 'status: NOERROR' <<<"$out"
check "answer section has the A record" grep -qE '^good\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.1$' <<<"$out"
check "server line" grep -q "SERVER: $ADDR#$PORT" <<<"$out"
check "+short AAAA" test "$("$WARD" query @$ADDR#$PORT good.test AAAA +short)" = "2001:db8::1"
check "--json has rdataA" grep -q '"rdataA": *"192.0.2.1"' <<<"$("$WARD" query @$ADDR#$PORT good.test --json)"
check "+tcp" grep -q '(TCP)' <<<"$("$WARD" query @$ADDR#$PORT good.test +tcp)"
big=$("$WARD" query @$ADDR#$PORT big.test TXT)
check "truncated UDP answer retried over TCP" grep -q 'Truncated, retrying in TCP mode' <<<"$big"
check "TCP answer complete" test "$(grep -c 'IN[[:space:]]TXT' <<<"$big")" -ge 1
check "+dnssec sets DO" bash -c "\"$WARD\" query @$ADDR#$PORT good.test +dnssec +noedns >/dev/null; \"$WARD\" query @$ADDR#$PORT good.test +dnssec | grep -q 'flags: do'"
check "+short NXDOMAIN prints nothing" test -z "$("$WARD" query @$ADDR#$PORT nothing.invalid +short)"
"$WARD" query @127.77.0.2#$PORT good.test +timeout=1 +tries=1 >/dev/null 2>&1
check "no reply: exit 9" test $? -eq 9
"$WARD" query @not-an-address good.test >/dev/null 2>&1
check "bad server: exit 1" test $? -eq 1
"$WARD" query @$ADDR#$PORT good.test +bogus >/dev/null 2>&1
check "unknown option: exit 1" test $? -eq 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
