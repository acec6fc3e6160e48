#!/bin/bash
# tests/integration/wardd_recursive.sh: wardd against the testbed (a fake
# DNS Internet on 127.53.0.0/16, docs/testbed.md), under the testbed lock.
#  - recursive mode from the testbed's root hints (never the real roots):
#    answers over UDP and TCP, NXDOMAIN, AAAA, a CNAME chain, the 1.8 KB
#    DNSKEY set (TC=1 over UDP to the client, complete over TCP; upstream
#    the engine retries over TCP), a cached answer, a name whose server
#    never answers (SERVFAIL with an EDE in time), privileges dropped;
#  - forwarding mode through the testbed's Unbound: the same answers.
. "$(dirname "$0")/wardd_lib.sh"
wl_testbed

R=127.0.77.20
F=127.0.77.21
PORT=5320

cat >"$WL_DIR/r.conf" <<EOF
port=$PORT
listen-address=$R
no-resolv
no-hosts
root-hints=$WARD_TB_ROOT_HINTS
log-queries
pid-file=
EOF
wl_start_wardd r --conf-file="$WL_DIR/r.conf" --user=nobody
RPID=$WL_WARDD_PID
wl_wait_dns "$R" "$PORT" || { cat "$WL_DIR/r.out" "$WL_DIR/r.log"; echo "FAIL: wardd did not start"; exit 1; }
check "recursive mode announced in the log" grep -q "recursive resolution from the root hints in $WARD_TB_ROOT_HINTS (2 addresses)" "$WL_DIR/r.log"

has() { grep -q -- "$2" <<<"$1"; }
short() { dig +short +time=15 +tries=1 "$@" | tr '\n' ' ' | sed 's/ $//'; }

out=$("$WARD" query "@$R#$PORT" www.alg13.nsec. A 2>&1)
check "recursive, UDP (ward query): www.alg13.nsec A" has "$out" "192.0.2.1"
check "recursive: RA=1 AA=0" has "$out" "flags: qr rd ra;"
out=$(short +tcp @"$R" -p "$PORT" www.nsec3-insecure.nsec3. AAAA)
check "recursive, TCP (dig): www.nsec3-insecure.nsec3 AAAA" [ "$out" = "2001:db8::1" ]
out=$(dig +time=15 +tries=1 @"$R" -p "$PORT" nope.alg13.nsec. A)
check "recursive: NXDOMAIN" has "$out" "status: NXDOMAIN"
out=$(short @"$R" -p "$PORT" mail.insecure-tld.unsigned. A)
check "recursive: an unsigned TLD (mail.insecure-tld.unsigned A)" [ "$out" = 192.0.2.25 ]
out=$(short @"$R" -p "$PORT" www.optout-signed.optout. A)
check "recursive: an opt-out TLD (www.optout-signed.optout A)" [ "$out" = 192.0.2.1 ]
# the DNSKEY set of 1847 bytes: TC=1 to a UDP client, whole over TCP
out=$(dig +time=15 +tries=1 +ignore +bufsize=1232 @"$R" -p "$PORT" big-dnskey.nsec. DNSKEY)
check "recursive: 1.8 KB DNSKEY over UDP gives TC=1" has "$out" "flags: qr tc rd ra"
out=$(dig +time=15 +tries=1 +tcp @"$R" -p "$PORT" big-dnskey.nsec. DNSKEY)
check "recursive: 1.8 KB DNSKEY over TCP, 11 keys" [ "$(grep -Ec 'DNSKEY[[:space:]]+25[67]' <<<"$out")" -eq 11 ]
# a CNAME chain across zones (catalogue: cname cases)
cname=$(awk -F'\t' '!/^#/ && $1 ~ /^cname/ && $3 == "A" && $5 == "NOERROR" {print $2; exit}' "$WARD_TB_CATALOGUE")
if [ -n "$cname" ]; then
	out=$(dig +time=15 +tries=1 @"$R" -p "$PORT" "$cname" A)
	check "recursive: CNAME chain ($cname)" bash -c "grep -q 'IN.CNAME' <<<'$out' && grep -q 'IN.A.192.0.2.1' <<<'$out'"
fi
# the server that never answers: SERVFAIL with an EDE within the deadline
t0=$SECONDS
out=$(dig +time=20 +tries=1 @"$R" -p "$PORT" www.unreachable.nsec. A 2>&1)
check "recursive: unreachable server -> SERVFAIL" has "$out" "status: SERVFAIL"
check "recursive: ... with an Extended DNS Error" has "$out" "; EDE: "
check "recursive: ... within 13 s ($((SECONDS - t0)) s)" [ $((SECONDS - t0)) -le 13 ]
# cache: the second answer without upstream traffic
kill -USR1 "$RPID"; sleep 0.2
before=$(grep -o 'upstream sent [0-9]*' "$WL_DIR/r.log" | tail -n 1)
out=$(short @"$R" -p "$PORT" www.alg13.nsec. A)
kill -USR1 "$RPID"; sleep 0.2
after=$(grep -o 'upstream sent [0-9]*' "$WL_DIR/r.log" | tail -n 1)
check "recursive: a cached answer sends nothing upstream ($before / $after)" \
	bash -c "[ '$out' = 192.0.2.1 ] && [ '$before' = '$after' ]"
if [ "$(id -u)" -eq 0 ]; then
	check "recursive: running as nobody" \
		[ "$(awk '/^Uid:/ {print $2}' "/proc/$RPID/status")" = 65534 ]
fi

# forwarding through the testbed's Unbound
wl_start_wardd f --conf-file=/dev/null --port="$PORT" --listen-address="$F" \
	--no-resolv --no-hosts --server="$WARD_TB_UNBOUND" --pid-file= --user=
FPID=$WL_WARDD_PID
wl_wait_dns "$F" "$PORT" || { cat "$WL_DIR/f.out"; echo "FAIL: forwarding wardd did not start"; exit 1; }
check "forwarding: one nameserver announced" grep -q "using nameserver $WARD_TB_UNBOUND#53" "$WL_DIR/f.log"
out=$("$WARD" query "@$F#$PORT" www.alg13.nsec. A 2>&1)
check "forwarding via Unbound (UDP): www.alg13.nsec A" has "$out" "192.0.2.1"
out=$(short +tcp @"$F" -p "$PORT" www.nsec3-insecure.nsec3. AAAA)
check "forwarding via Unbound (TCP): www.nsec3-insecure.nsec3 AAAA" [ "$out" = "2001:db8::1" ]
out=$(dig +time=15 +tries=1 @"$F" -p "$PORT" nope.alg13.nsec. A)
check "forwarding via Unbound: NXDOMAIN" has "$out" "status: NXDOMAIN"
out=$(dig +time=15 +tries=1 +tcp @"$F" -p "$PORT" big-dnskey.nsec. DNSKEY)
check "forwarding via Unbound: 1.8 KB DNSKEY over TCP" [ "$(grep -Ec 'DNSKEY[[:space:]]+25[67]' <<<"$out")" -eq 11 ]

for p in "$RPID" "$FPID"; do kill -TERM "$p"; done
for _ in $(seq 50); do kill -0 "$RPID" 2>/dev/null || kill -0 "$FPID" 2>/dev/null || break; sleep 0.1; done
check "both daemons stopped on SIGTERM" bash -c "! kill -0 $RPID 2>/dev/null && ! kill -0 $FPID 2>/dev/null"
wl_finish
