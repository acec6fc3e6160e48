#!/bin/bash
# tests/integration/wardd_transport.sh: wardd forwarding to a loopback
# dnsmasq (no testbed needed). UDP and TCP answers (ward query, dig, kdig),
# TCP pipelining, stalled TCP clients, TC=1 over UDP then TCP, malformed
# packets and the DNS payloads of ../shared/testdata captures, log-queries,
# a burst of UDP queries answered in batches (UDP GSO), SIGUSR1 statistics,
# SIGTERM with the pid file removed, privileges dropped,
# --test, a bad configuration line (file:line, exit 2), a port in use
# (exit 2, daemon mode). Every process is killed by pid on exit.
. "$(dirname "$0")/wardd_lib.sh"

UP=127.0.77.1
UP_PORT=5301
W=127.0.77.2
W_PORT=5302
TESTDATA=${WARD_TESTDATA:-../shared/testdata}

# the upstream: a few names, a big TXT set (> 512 and > 1232 bytes)
long=$(printf 'x%.0s' $(seq 200))
big=()
for i in $(seq 1 8); do big+=(--txt-record="big.up.test,\"$i$long\""); done
wl_start_upstream "$UP" "$UP_PORT" --local-ttl=300 --local=/up.test/ \
	--host-record=www.up.test,192.0.2.80 --host-record=mail.up.test,192.0.2.25 \
	"${big[@]}"

mkdir -p "$WL_DIR/run"
printf '192.0.2.201 h1\n192.0.2.202 h2\n' >"$WL_DIR/hosts"
chmod 644 "$WL_DIR/hosts"
chown nobody "$WL_DIR/run" 2>/dev/null
cat >"$WL_DIR/w.conf" <<EOF
port=$W_PORT
listen-address=$W
no-resolv
no-hosts
server=$UP#$UP_PORT
server=/slow.test/127.0.77.9#5309
server=/fake.test/127.0.77.7#5307
addn-hosts=$WL_DIR/hosts
log-queries
pid-file=$WL_DIR/run/w.pid
EOF
# names for the UDP burst: answers of one size, and a few shorter and longer
BURST=()
for i in $(seq 10 41); do
	echo "host-record=b$i.burst.test,192.0.2.$i" >>"$WL_DIR/w.conf"
	BURST+=("b$i.burst.test=192.0.2.$i")
	case $i in
	15) echo "host-record=x.burst.test,192.0.2.7" >>"$WL_DIR/w.conf"
	    BURST+=("x.burst.test=192.0.2.7") ;;
	30) echo "host-record=longer-name.burst.test,192.0.2.8" >>"$WL_DIR/w.conf"
	    BURST+=("longer-name.burst.test=192.0.2.8") ;;
	esac
done
if [ "$(id -u)" -eq 0 ]; then
	echo "user=nobody" >>"$WL_DIR/w.conf"
fi
wl_py fakeup 127.0.77.7 5307 >"$WL_DIR/fakeup.out" 2>&1 &
WL_PIDS+=($!)
wl_start_wardd w --conf-file="$WL_DIR/w.conf"
PID=$WL_WARDD_PID
wl_wait_dns "$W" "$W_PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }

has() { grep -q -- "$2" <<<"$1"; }


out=$("$WARD" query "@$W#$W_PORT" www.up.test A 2>&1)
check "UDP answer through ward query" has "$out" "192.0.2.80"
check "RA set, AA clear on a forwarded answer" has "$out" "flags: qr rd ra;"
out=$("$WARD" query "@$W#$W_PORT" www.up.test A +tcp 2>&1)
check "TCP answer through ward query" has "$out" "192.0.2.80"
out=$(dig +short +tcp @"$W" -p "$W_PORT" mail.up.test A)
check "TCP answer through dig" [ "$out" = 192.0.2.25 ]
out=$(dig @"$W" -p "$W_PORT" nx.up.test A)
check "NXDOMAIN relayed" has "$out" "status: NXDOMAIN"

# upstream replies are accepted only from the address and port queried
out=$(dig +short +time=10 +tries=1 @"$W" -p "$W_PORT" right.fake.test A)
check "reply from the queried address and port: accepted" [ "$out" = 192.0.2.66 ]
out=$(dig +time=15 +tries=1 @"$W" -p "$W_PORT" spoofed.fake.test A)
check "reply from another port of the same host: ignored (SERVFAIL)" \
	bash -c "grep -q 'status: SERVFAIL' <<<'$out' && ! grep -q 192.0.2.66 <<<'$out'"

# TCP pipelining: many queries in one write, answers matched by ID
out=$(wl_py pipeline "$W" "$W_PORT" www.up.test mail.up.test nx.up.test \
	www.up.test big.up.test a.nx.up.test mail.up.test b.nx.up.test 2>&1)
echo "     $out"
check "TCP pipelining: 8 queries on one connection all answered" has "$out" "pipelined 8"
out=$(wl_py halfclose "$W" "$W_PORT" www.up.test nx.up.test big.up.test 2>&1)
echo "     $out"
check "TCP half-close: every answer, then EOF" has "$out" "3 of 3 answers"
if command -v kdig >/dev/null; then
	out=$(kdig @"$W" -p "$W_PORT" +tcp +keepopen www.up.test A mail.up.test A nx.up.test A 2>&1)
	check "kdig +keepopen: three answers on one connection" \
		[ "$(grep -c 'status:' <<<"$out")" -eq 3 ]
fi

# UDP: a burst from two sockets read while wardd was stopped; answered in
# batches, answers of one size to one socket as one GSO send: each must
# reach its own socket whole (counted in SIGUSR1's line below)
out=$(wl_py burst "$W" "$W_PORT" "$PID" "${BURST[@]}" 2>&1)
echo "     $out"
check "UDP burst: every answer to the socket that asked, right ID and data" \
	has "$out" "sockets: 0 missing, 0 wrong"

# the same burst to a wardd whose kernel (an LD_PRELOAD shim) refuses
# UDP_SEGMENT: it says so once and sends every answer on its own
cc -shared -fPIC -O2 -o "$WL_DIR/gso_refuse.so" "$(dirname "$0")/gso_refuse.c" -ldl
HR=()
for pair in "${BURST[@]}"; do HR+=(--host-record="${pair%%=*},${pair#*=}"); done
LD_PRELOAD="$WL_DIR/gso_refuse.so" wl_start_wardd g --conf-file=/dev/null \
	--no-resolv --no-hosts --listen-address=127.0.77.10 --port="$W_PORT" \
	--pid-file= --user= "${HR[@]}"
GPID=$WL_WARDD_PID
wl_wait_dns 127.0.77.10 "$W_PORT"
out=$(wl_py burst 127.0.77.10 "$W_PORT" "$GPID" "${BURST[@]}" 2>&1)
echo "     $out"
check "UDP burst, GSO refused: every answer still arrives" has "$out" "sockets: 0 missing, 0 wrong"
check "UDP burst, GSO refused: said once in the log" \
	[ "$(grep -c 'UDP GSO refused' "$WL_DIR/g.log")" -eq 1 ]
kill -USR1 "$GPID"
sleep 0.3
check "UDP burst, GSO refused: no answer counted as sent by GSO" \
	grep -Eq "answers in UDP GSO sends 0 \(0 sends\)" "$WL_DIR/g.log"
kill "$GPID"

# truncation: the big TXT set over UDP without EDNS (512), with EDNS 1232,
# then complete over TCP
out=$(dig +noedns +ignore @"$W" -p "$W_PORT" big.up.test TXT)
check "UDP without EDNS: TC=1 for a big answer" has "$out" "flags: qr tc rd ra"
out=$(dig +bufsize=1232 +ignore @"$W" -p "$W_PORT" big.up.test TXT)
check "UDP with EDNS 1232: TC=1 for a 1.6 KB answer" has "$out" "flags: qr tc rd ra"
out=$(dig +tcp @"$W" -p "$W_PORT" big.up.test TXT)
check "TCP: the whole big answer (8 TXT records)" [ "$(grep -Ec 'TXT[[:space:]]+"' <<<"$out")" -eq 8 ]
out=$("$WARD" query "@$W#$W_PORT" big.up.test TXT 2>&1)
check "ward query retries over TCP on TC=1" [ "$(grep -Ec 'TXT[[:space:]]+"' <<<"$out")" -eq 8 ]

# stalled TCP clients (more than the connection cap) do not block others
out=$(wl_py stall "$W" "$W_PORT" 150 www.up.test 2>&1)
echo "     $out"
check "150 stalled TCP connections: UDP and a new TCP client still answered" \
	has "$out" "tcp answer in"

# idle TCP connections are closed after WARDD_TCP_IDLE_MS (10 s); measured
# in the background while the rest runs (after the stall test:
# at the connection cap the idle-longest connections are closed first)
wl_py idle "$W" "$W_PORT" 9 13 >"$WL_DIR/idle.out" 2>&1 &
IDLEPID=$!

# malformed packets, then the DNS payloads of real captures
out=$(wl_py malformed "$W" "$W_PORT" www.up.test 2>&1)
echo "     $out"
check "malformed packets: still answering" has "$out" "still gets rcode 0"
if [ -d "$TESTDATA/pcaps" ]; then
	out=$(wl_py pcap "$W" "$W_PORT" www.up.test "$TESTDATA"/pcaps/*/*.pcap 2>&1)
	echo "     $out"
	check "captured DNS payloads replayed: still answering" has "$out" "still gets rcode 0"
else
	echo "note: $TESTDATA/pcaps absent; capture replay not run"
fi
check "wardd still running after the bad input" kill -0 "$PID"

# SIGHUP while a query is in flight (its server never answers): the old
# engine finishes it (SERVFAIL after its timeouts), the new one serves
check "addn-hosts read at startup" grep -q "read 2 hosts entries from 1 files" "$WL_DIR/w.log"
printf '192.0.2.201 h1\n192.0.2.202 h2\n192.0.2.203 h3\n' >"$WL_DIR/hosts"
dig +time=20 +tries=1 @"$W" -p "$W_PORT" www.slow.test A >"$WL_DIR/slow.out" 2>&1 &
DIGPID=$!
sleep 0.3
kill -HUP "$PID"
sleep 0.2
out=$(dig +short @"$W" -p "$W_PORT" mail.up.test A)
check "SIGHUP: answers right after the reload" [ "$out" = 192.0.2.25 ]
wait "$DIGPID"
check "SIGHUP: the query in flight still gets its answer (SERVFAIL)" grep -q "status: SERVFAIL" "$WL_DIR/slow.out"
check "SIGHUP: reload logged, the changed addn-hosts file read again (as nobody)" \
	grep -q "reloaded: cache cleared, 3 hosts entries from 1 files" "$WL_DIR/w.log"
check "wardd still running after the reload" kill -0 "$PID"

# the log: queries, and SIGUSR1 statistics like dnsmasq's
kill -USR1 "$PID"
sleep 0.3
check "log-queries: query line" grep -q "query\[A\] www.up.test from 127" "$WL_DIR/w.log"
check "log-queries: reply line" grep -q "reply www.up.test is 192.0.2.80" "$WL_DIR/w.log"
check "log-queries: forwarded line" grep -q "forwarded www.up.test to $UP#$UP_PORT" "$WL_DIR/w.log"
check "log-queries: cached line" grep -q "cached www.up.test is 192.0.2.80" "$WL_DIR/w.log"
check "SIGUSR1: cache statistics line" \
	grep -Eq "cache size 150, [0-9]+/[0-9]+ cache insertions re-used unexpired cache entries" "$WL_DIR/w.log"
check "SIGUSR1: queries forwarded / answered locally" \
	grep -Eq "queries forwarded [0-9]+, queries answered locally [0-9]+" "$WL_DIR/w.log"
check "SIGUSR1: spoofed upstream replies counted" \
	grep -Eq "replies from wrong source [1-9]" "$WL_DIR/w.log"
check "SIGUSR1: answers sent in UDP GSO sends counted" \
	grep -Eq "answers in UDP GSO sends [1-9][0-9]* \([1-9][0-9]* sends\)" "$WL_DIR/w.log"
check "SIGUSR1: malformed queries counted" \
	grep -Eq "daemon: .*malformed [1-9][0-9]*" "$WL_DIR/w.log"

wait "$IDLEPID"
check "idle TCP connections closed after 10 s ($(cat "$WL_DIR/idle.out"))" grep -q "idle connections closed" "$WL_DIR/idle.out"
check "... within 9-13 s" bash -c "grep -Eq 'after (9|1[0-3])\\.[0-9]s and (9|1[0-3])\\.[0-9]s' '$WL_DIR/idle.out'"

# pid file and privileges
check "pid file holds the daemon's pid" [ "$(cat "$WL_DIR/run/w.pid" 2>/dev/null)" = "$PID" ]
if [ "$(id -u)" -eq 0 ]; then
	uid=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$PID/status")
	check "privileges dropped to nobody (Uid: $uid)" [ "$uid" = "65534 65534 65534 65534" ]
	groups=$(awk '/^Groups:/ {print $2}' "/proc/$PID/status")
	check "supplementary groups dropped" [ -z "$groups" ]
fi

kill -TERM "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
check "SIGTERM: wardd exited" bash -c "! kill -0 $PID 2>/dev/null"
check "SIGTERM: pid file removed" [ ! -e "$WL_DIR/run/w.pid" ]
check "SIGTERM: exit logged" grep -q "exiting on receipt of SIGTERM" "$WL_DIR/w.log"

# a resolv file that changes is read again (dnsmasq polls it); resolv.conf
# has no port, so this upstream listens on port 53 (root only)
if [ "$(id -u)" -eq 0 ]; then
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address=127.0.77.5 --port=53 --pid-file= \
		--user=root --local-ttl=300 --host-record=www.up.test,192.0.2.80 \
		--log-facility="$WL_DIR/up53.log" &
	WL_PIDS+=($!)
	wl_wait_dns 127.0.77.5 53
	: >"$WL_DIR/resolv"
	wl_start_wardd p --conf-file=/dev/null --resolv-file="$WL_DIR/resolv" --no-hosts \
		--listen-address=127.0.77.6 --port="$W_PORT" --pid-file= --user=
	PPID_=$WL_WARDD_PID
	wl_wait_dns 127.0.77.6 "$W_PORT"
	out=$(dig +time=3 +tries=1 @127.0.77.6 -p "$W_PORT" www.up.test A)
	check "empty resolv file: forwarding mode, no answer data" bash -c "! grep -q '192.0.2.80' <<<'$out'"
	check "empty resolv file: not recursive" bash -c "! grep -q 'recursive resolution' '$WL_DIR/p.log'"
	echo "nameserver 127.0.77.5" >"$WL_DIR/resolv"
	for _ in $(seq 40); do
		grep -q "reading $WL_DIR/resolv" "$WL_DIR/p.log" && break
		sleep 0.1
	done
	out=$(dig +short +time=3 +tries=1 @127.0.77.6 -p "$W_PORT" www.up.test A)
	check "changed resolv file read again (no-poll not given)" [ "$out" = 192.0.2.80 ]
	kill "$PPID_"
fi

# configuration errors: file:line and exit status 2
printf 'no-resolv\nport=5303\nserver=not-an-address#x\nfrobnicate\n' >"$WL_DIR/bad.conf"
"$WARDD" --conf-file="$WL_DIR/bad.conf" --keep-in-foreground >"$WL_DIR/bad.out" 2>&1
st=$?
check "bad configuration: exit status 2 (got $st)" [ "$st" -eq 2 ]
check "bad configuration: file:line of the bad value" grep -q "bad.conf:3: option 'server'" "$WL_DIR/bad.out"
check "bad configuration: file:line of the unknown option" grep -q "bad.conf:4: unknown option 'frobnicate'" "$WL_DIR/bad.out"
"$WARDD" --conf-file="$WL_DIR/w.conf" --test >"$WL_DIR/test.out" 2>&1
check "--test: a good configuration passes" grep -q "syntax check OK" "$WL_DIR/test.out"
check "--test: no warning about --test itself" bash -c "! grep -q warning '$WL_DIR/test.out'"
"$WARDD" --conf-file="$WL_DIR/bad.conf" --test >/dev/null 2>&1
check "--test: a bad configuration exits 2" [ $? -eq 2 ]
"$WARDD" --no-resolv --no-hosts --port=5304 --listen-address=127.0.77.3 \
	--root-hints="$WL_DIR/none" --test >"$WL_DIR/test2.out" 2>&1
check "--test: a missing root hints file exits 2" [ $? -eq 2 ]

# daemon mode: the starting process reports a bind failure with status 2
"$WARDD" --conf-file=/dev/null --no-resolv --no-hosts --server="$UP#$UP_PORT" \
	--listen-address="$UP" --port="$UP_PORT" --pid-file= --user= \
	--log-facility="$WL_DIR/busy.log" >"$WL_DIR/busy.out" 2>&1
st=$?
check "daemon mode, port in use: exit status 2 (got $st)" [ "$st" -eq 2 ]
check "daemon mode, port in use: reason on stderr" grep -q "failed to create listening socket for $UP#$UP_PORT" "$WL_DIR/busy.out"

# daemon mode for real: starts, answers, pid file, SIGTERM
"$WARDD" --conf-file=/dev/null --no-resolv --no-hosts --server="$UP#$UP_PORT" \
	--listen-address=127.0.77.4 --port="$W_PORT" --pid-file="$WL_DIR/d.pid" --user= \
	--log-facility="$WL_DIR/d.log"
st=$?
DPID=$(cat "$WL_DIR/d.pid" 2>/dev/null)
[ -n "$DPID" ] && WL_PIDS+=("$DPID")
check "daemon mode: the starting process exits 0" [ "$st" -eq 0 ]
out=$(dig +short @127.0.77.4 -p "$W_PORT" www.up.test A)
check "daemon mode: answers" [ "$out" = 192.0.2.80 ]
check "daemon mode: no controlling terminal (own session)" \
	[ "$(ps -o sid= -p "$DPID" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ]
kill -TERM "$DPID" 2>/dev/null
for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
check "daemon mode: SIGTERM removes the pid file" [ ! -e "$WL_DIR/d.pid" ]

wl_finish
