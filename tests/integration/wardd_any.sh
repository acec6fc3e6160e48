#!/bin/bash
# tests/integration/wardd_any.sh: qtype ANY through wardd, both ways.
# With resolve-any (ward's own option) ANY is forwarded (as dnsmasq does)
# and the upstream's answer passed on: every record of the name, a big
# answer over TCP after TC. By default the answer is RFC 8482's
# synthesised HINFO and the upstream never sees the question; other types
# are still forwarded. The upstream is a loopback dnsmasq with local records; every
# process is killed by pid on exit.
. "$(dirname "$0")/wardd_lib.sh"

UP=127.0.81.1
UP_PORT=5341
W=127.0.81.2
W_PORT=5342
D=127.0.81.3
D_PORT=5343

long=$(printf 'x%.0s' $(seq 200))
big=()
for i in $(seq 1 8); do big+=(--txt-record="big.up.test,\"$i$long\""); done
wl_start_upstream "$UP" "$UP_PORT" --local-ttl=300 --local=/up.test/ \
	--host-record=any.up.test,192.0.2.81 --txt-record=any.up.test,t81 \
	--log-queries "${big[@]}"

for n in w d; do
	if [ $n = w ]; then a=$W p=$W_PORT; else a=$D p=$D_PORT; fi
	wl_fwd_conf "$a" "$p" "$UP#$UP_PORT" >"$WL_DIR/$n.conf"
done
echo "resolve-any" >>"$WL_DIR/w.conf"
wl_start_wardd w --conf-file="$WL_DIR/w.conf"
wl_start_wardd d --conf-file="$WL_DIR/d.conf"
for x in "$W $W_PORT w" "$D $D_PORT d"; do
	set -- $x
	wl_wait_dns "$1" "$2" || { cat "$WL_DIR/$3.out" "$WL_DIR/$3.log"; echo "FAIL: wardd ($3) did not start"; exit 1; }
done

has() { grep -q -- "$2" <<<"$1"; }
lacks() { ! grep -q -- "$2" <<<"$1"; }
asked_any() { # ANY questions for any.up.test the upstream got so far
	grep -c "query\[ANY\] any.up.test from" "$WL_DIR/upstream.log"
}

# resolve-any: resolved (forwarded)
out=$(dig +noall +answer @"$W" -p "$W_PORT" any.up.test ANY)
check "resolve-any: ANY forwarded: the A record" has "$out" "192.0.2.81"
check "resolve-any: ANY forwarded: the TXT record" has "$out" '"t81"'
check "resolve-any: ANY forwarded: no HINFO" lacks "$out" "HINFO"
n_any=$(asked_any)
check "the upstream was asked ANY" [ "$n_any" -ge 1 ]
out=$(dig +tcp +noall +answer @"$W" -p "$W_PORT" big.up.test ANY)
check "a big ANY answer (TC upstream, then TCP): 8 TXT records" \
	[ "$(grep -c TXT <<<"$out")" -eq 8 ]
# (dig asks ANY over TCP unless told +notcp)
out=$(dig +notcp +noedns +ignore @"$W" -p "$W_PORT" big.up.test ANY)
check "the same over UDP without EDNS: TC=1" has "$out" "flags: qr tc"

# the default: RFC 8482 §4.2
out=$(dig +noall +answer @"$D" -p "$D_PORT" any.up.test ANY)
check "default: one HINFO" [ "$(grep -c . <<<"$out")" -eq 1 ]
check "default: HINFO \"RFC8482\" \"\"" has "$out" 'HINFO.*"RFC8482" ""'
check "default: the upstream never got ANY" [ "$(asked_any)" -eq "$n_any" ]
out=$(dig +short @"$D" -p "$D_PORT" any.up.test A)
check "default: other types still forwarded" [ "$out" = 192.0.2.81 ]

wl_finish
