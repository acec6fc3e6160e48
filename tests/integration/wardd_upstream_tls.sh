#!/bin/bash
# tests/integration/wardd_upstream_tls.sh: wardd forwarding over
# DNS-over-TLS (server-tls=, docs/encrypted-dns-upstream.md) to a loopback
# Unbound serving local data on a TLS port. A CA and server certificate
# are made at test time with openssl (no key is in the repository).
#   - answers through wardd; concurrent queries share one connection
#     (wardd's SIGUSR1 statistics and ss agree)
#   - the certificate checked against the address when no name is given
#   - a wrong authentication name, and a CA that is not trusted: SERVFAIL,
#     a logged and counted verification failure, never plain text
#   - SIGHUP: the new engine uses the same pool and connection
#   - Unbound restarted: wardd reconnects (and resumes the TLS session:
#     Unbound keeps its ticket key across the restart)
#   - --test with an unreadable tls-upstream-ca= file: exit 2
# Ports are random; every process is killed by pid on exit.
. "$(dirname "$0")/wardd_lib.sh"

for tool in unbound openssl ss; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done

A=127.0.0.1
# a free TCP and UDP port below the kernel's ephemeral range
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 12000))
		if ! ss -Htuan "( sport = :$p )" | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
UP_PORT=$(free_port)
W1=$(free_port)
W2=$(free_port)
W3=$(free_port)
W4=$(free_port)
HP=$(free_port)
HP5=$(free_port)

# ---- certificates: a CA, a server certificate for dns.tls.test and
# 127.0.0.1, and a second CA that signed nothing wardd sees ----
D=$WL_DIR
cat >"$D/ext.cnf" <<'X'
[srv]
subjectAltName=DNS:dns.tls.test,IP:127.0.0.1
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
X
mkcert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$D/ca.key" -out "$D/ca.pem" -days 2 -subj "/CN=ward test CA" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$D/other.key" -out "$D/other-ca.pem" -days 2 -subj "/CN=another CA" &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$D/srv.key" -out "$D/srv.csr" -subj "/CN=dns.tls.test" &&
	openssl x509 -req -in "$D/srv.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
		-CAcreateserial -out "$D/srv.pem" -days 2 -extfile "$D/ext.cnf" -extensions srv
}
if ! mkcert >"$D/openssl.log" 2>&1; then
	cat "$D/openssl.log"
	echo "FAIL: openssl could not make the test certificates"
	exit 1
fi
head -c 80 /dev/urandom >"$D/ticket.key"
chmod 644 "$D"/*.pem "$D"/*.key

# ---- the upstream: Unbound with a TLS port only ----
cat >"$D/unbound.conf" <<X
server:
  interface: $A@$UP_PORT
  tls-port: $UP_PORT
  tls-service-key: $D/srv.key
  tls-service-pem: $D/srv.pem
  tls-session-ticket-keys: $D/ticket.key
  do-daemonize: no
  use-syslog: no
  logfile: "$D/unbound.log"
  username: ""
  chroot: ""
  directory: "$D"
  pidfile: ""
  do-ip6: no
  do-udp: yes
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  local-zone: "tls.test." static
  local-data: "www.tls.test. 300 A 192.0.2.53"
  local-data: "mail.tls.test. 300 A 192.0.2.25"
  local-data: "after.tls.test. 300 A 192.0.2.99"
remote-control:
  control-enable: no
X
UB_PID=
start_unbound() {
	unbound -d -c "$D/unbound.conf" >>"$D/unbound.out" 2>&1 &
	UB_PID=$!
	WL_PIDS+=("$UB_PID")
	# listening on its TLS port (poll, bounded)
	for _ in $(seq 100); do
		ss -Hltn "( sport = :$UP_PORT )" | grep -q . && return 0
		kill -0 "$UB_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$D/unbound.out" "$D/unbound.log" 2>/dev/null | tail -n 20
	return 1
}
stop_pid() {
	kill "$1" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null
}
start_unbound || { echo "FAIL: unbound did not start"; exit 1; }

# ---- wardd instances ----
wconf() { # name port server-tls-value [ca-file]
	cat >"$D/$1.conf" <<X
port=$2
listen-address=$A
no-resolv
no-hosts
log-queries
server-tls=$3
X
	[ -n "${4:-}" ] && echo "tls-upstream-ca=$4" >>"$D/$1.conf"
	if [ "$(id -u)" -eq 0 ]; then echo "user=nobody" >>"$D/$1.conf"; fi
}
start() { # name port
	wl_start_wardd "$1" --conf-file="$D/$1.conf" --pid-file=
	eval "PID_$1=$WL_WARDD_PID"
	wl_wait_dns "$A" "$2" || { cat "$D/$1.out" "$D/$1.log"; echo "FAIL: wardd $1 did not start"; exit 1; }
}
wconf good "$W1" "$A#$UP_PORT,dns.tls.test" "$D/ca.pem"
echo "dashboard-address=$A#$HP" >>"$D/good.conf"
wconf byaddr "$W2" "$A#$UP_PORT" "$D/ca.pem"
wconf wrongname "$W3" "$A#$UP_PORT,wrong.tls.test" "$D/ca.pem"
wconf untrusted "$W4" "$A#$UP_PORT,dns.tls.test" "$D/other-ca.pem"
start good "$W1"
start byaddr "$W2"
start wrongname "$W3"
start untrusted "$W4"

# the statistics line after SIGUSR1 (polled for: the log is written
# asynchronously to the signal)
tls_stats() { # name
	local pid n
	pid=$(eval echo "\$PID_$1")
	n=$(grep -c "tls upstream:" "$D/$1.log")
	kill -USR1 "$pid"
	for _ in $(seq 50); do
		if [ "$(grep -c "tls upstream:" "$D/$1.log")" -gt "$n" ]; then
			grep "tls upstream:" "$D/$1.log" | tail -n 1
			return 0
		fi
		sleep 0.1
	done
	return 1
}
has() { grep -q -- "$2" <<<"$1"; }
num() { # stats-line "label": the number after it
	sed -n "s/.*[(,:] *$2 \([0-9]*\).*/\1/p" <<<"$1" | head -n 1
}

out=$(dig +short +time=5 +tries=1 @"$A" -p "$W1" www.tls.test A)
check "answer through wardd over TLS (name dns.tls.test)" [ "$out" = 192.0.2.53 ]
check "startup log names the server as a TLS upstream with its name" \
	grep -q "using nameserver $A#$UP_PORT over TLS (certificate for dns.tls.test)" "$D/good.log"
check "log-queries shows the query forwarded over TLS" \
	grep -q "forwarded www.tls.test to $A#$UP_PORT (TLS)" "$D/good.log"

# the dashboard's per-upstream counters (/metrics) count TLS exchanges as
# they count UDP/TCP ones: 3 names not in the cache, 3 sent, 3 replies,
# nothing lost, a round-trip time measured
metric() { # file name
	awk -v n="$2" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }' "$1"
}
delta() { # name: m2 - m1 (exact), "missing" when a scrape lacks it
	local a b
	a=$(metric "$D/m1" "$1")
	b=$(metric "$D/m2" "$1")
	if [ "$a" = missing ] || [ "$b" = missing ]; then echo missing; else echo $((b - a)); fi
}
SRV="{server=\"$A#$UP_PORT\"}"
curl -s -o "$D/m1" "http://$A:$HP/metrics"
for n in m1 m2 m3; do dig +time=5 +tries=1 @"$A" -p "$W1" "$n.tls.test" A >/dev/null; done
curl -s -o "$D/m2" "http://$A:$HP/metrics"
check "/metrics: resolver_upstream_sent of the TLS upstream +3" [ "$(delta "resolver_upstream_sent$SRV")" = 3 ]
check "/metrics: resolver_upstream_replies of the TLS upstream +3" [ "$(delta "resolver_upstream_replies$SRV")" = 3 ]
check "/metrics: resolver_upstream_lost of the TLS upstream +0" [ "$(delta "resolver_upstream_lost$SRV")" = 0 ]
check "/metrics: a round-trip time for the TLS upstream" \
	awk -v n="resolver_upstream_srtt_seconds$SRV" '$1 == n && $2 > 0 { f = 1 } END { exit !f }' "$D/m2"
curl -s -o "$D/over.html" "http://$A:$HP/"
check "the overview lists the TLS upstream as good" grep -q "<td>$A#$UP_PORT</td>.*class=\"ok\">good<" "$D/over.html"

# concurrent queries: all answered, and all on one connection
names=()
for i in $(seq 1 12); do names+=("c$i.tls.test"); done
pids=()
for n in "${names[@]}"; do
	dig +time=5 +tries=1 @"$A" -p "$W1" "$n" A >"$D/dig.$n" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
nx=0
for n in "${names[@]}"; do grep -q "status: NXDOMAIN" "$D/dig.$n" && nx=$((nx + 1)); done
check "12 concurrent queries all answered (NXDOMAIN from the static zone)" [ "$nx" -eq 12 ]
st=$(tls_stats good)
echo "     $st"
# (the queries include wl_wait_dns's probe: counted, not assumed)
q=$(num "$st" queries)
check "one TLS connection for all of them (statistics: connections 1)" [ "$(num "$st" connections)" = 1 ]
check "at least 14 queries, all but the first on the reused connection" \
	bash -c "[ '$q' -ge 14 ] && [ '$(num "$st" 'on a reused connection')' = $((q - 1)) ]"
check "a reply for every query, nothing failed" \
	bash -c "[ '$(num "$st" replies)' = '$q' ] && [ '$(num "$st" failed)' = 0 ]"
est=$(ss -Htnp state established "( dport = :$UP_PORT )" | grep -c "pid=$PID_good,")
check "ss: the wardd holds exactly 1 connection to the upstream" [ "$est" -eq 1 ]

# SIGHUP: a new engine (cache cleared), the same pool and connection
kill -HUP "$PID_good"
for _ in $(seq 50); do grep -q "reloaded" "$D/good.log" && break; sleep 0.1; done
out=$(dig +short +time=5 +tries=1 @"$A" -p "$W1" www.tls.test A)
check "after SIGHUP: answered again (from upstream: the cache was cleared)" [ "$out" = 192.0.2.53 ]
st=$(tls_stats good)
check "after SIGHUP: still the one connection, one more query on it" \
	bash -c "[ '$(num "$st" connections)' = 1 ] && [ '$(num "$st" queries)' = $((q + 1)) ] && [ '$(num "$st" replies)' = $((q + 1)) ]"

# authenticated by the address (IP SAN) when no name is given
out=$(dig +short +time=5 +tries=1 @"$A" -p "$W2" mail.tls.test A)
check "answer with the certificate checked against the address" [ "$out" = 192.0.2.25 ]

# a wrong name and an untrusted CA: SERVFAIL, logged, counted, no answer
for w in wrongname untrusted; do
	port=$W3
	[ $w = untrusted ] && port=$W4
	out=$(dig +time=15 +tries=1 @"$A" -p "$port" www.tls.test A)
	check "$w: SERVFAIL" has "$out" "status: SERVFAIL"
	check "$w: no answer leaked" bash -c "! grep -q 192.0.2.53 <<<'$out'"
	st=$(tls_stats $w)
	echo "     $st"
	check "$w: verification failure counted, no handshake completed" \
		bash -c "[ '$(num "$st" 'verification failed')' -ge 1 ] && [ '$(num "$st" handshakes)' = 0 ] && [ '$(num "$st" replies)' = 0 ]"
done
check "wrongname: the log names the verification error" \
	grep -q "certificate verification failed (expected name wrong.tls.test): hostname mismatch" "$D/wrongname.log"
check "untrusted: the log names the verification error" \
	grep -Eq "certificate verification failed \(expected name dns.tls.test\): (unable to get local issuer certificate|self.signed)" "$D/untrusted.log"
check "no plain-text DNS was sent by either (no UDP/TCP socket errors or sends to port 53)" \
	bash -c "! grep -q 'forwarded www.tls.test to $A#$UP_PORT\$' '$D/wrongname.log' '$D/untrusted.log'"

# servers that are not DoT servers: one accepts and stays silent (the
# handshake times out), one answers like plain DNS over TCP (the handshake
# fails); each records the first bytes wardd sent: a TLS ClientHello
# (0x16 0x03), never a plain DNS query
P_SILENT=$(free_port)
P_PLAIN=$(free_port)
python3 - "$A" "$P_SILENT" "$P_PLAIN" "$D" >"$D/fake.out" 2>&1 <<'PY' &
import socket, select, sys
addr, ps, pp, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ls = []
for p in (ps, pp):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, p))
    s.listen(16)
    ls.append(s)
open(d + "/fake.ready", "w").close()
held = []
while True:
    r, _, _ = select.select(ls + held, [], [], 60)
    if not r:
        break
    for s in r:
        if s in ls:
            c, _ = s.accept()
            c.settimeout(2)
            try:
                first = c.recv(2)
            except OSError:
                first = b""
            name = "silent" if s is ls[0] else "plain"
            with open(d + "/fake." + name, "a") as f:
                f.write(first.hex() + "\n")
            if name == "silent":
                held.append(c)        # never answers
            else:
                # a plain DNS-over-TCP reply: not TLS
                c.sendall(b"\x00\x0c" + bytes(12))
                c.close()
        else:
            try:
                if not s.recv(4096):
                    held.remove(s)
            except OSError:
                held.remove(s)
PY
WL_PIDS+=($!)
for _ in $(seq 50); do [ -e "$D/fake.ready" ] && break; sleep 0.1; done
W5=$(free_port)
cat >"$D/notdot.conf" <<X
port=$W5
listen-address=$A
no-resolv
no-hosts
server-tls=/silent.test/$A#$P_SILENT,dns.tls.test
server-tls=/plain.test/$A#$P_PLAIN,dns.tls.test
tls-upstream-ca=$D/ca.pem
dashboard-address=$A#$HP5
X
if [ "$(id -u)" -eq 0 ]; then echo "user=nobody" >>"$D/notdot.conf"; fi
wl_start_wardd notdot --conf-file="$D/notdot.conf" --pid-file=
PID_notdot=$WL_WARDD_PID
for _ in $(seq 50); do ss -Hluan "( sport = :$W5 )" | grep -q . && break; sleep 0.1; done
out=$(dig +time=15 +tries=1 @"$A" -p "$W5" www.plain.test A)
check "a server answering plain DNS on the TLS port: SERVFAIL" has "$out" "status: SERVFAIL"
check "... the handshake failure is logged" grep -q "TLS upstream $A#$P_PLAIN: handshake failed" "$D/notdot.log"
t0=$SECONDS
out=$(dig +time=20 +tries=1 @"$A" -p "$W5" www.silent.test A)
check "a silent server: SERVFAIL" has "$out" "status: SERVFAIL"
check "... within the engine's deadline" [ $((SECONDS - t0)) -le 13 ]
# the engine may give up before the handshake timeout (5 s): poll for it
for _ in $(seq 80); do
	grep -q "TLS upstream $A#$P_SILENT: no connection within" "$D/notdot.log" && break
	sleep 0.1
done
check "... the handshake timeout is logged" grep -q "TLS upstream $A#$P_SILENT: no connection within" "$D/notdot.log"
st=$(tls_stats notdot)
echo "     $st"
check "both counted as failed handshakes, no reply taken" \
	bash -c "[ '$(num "$st" 'handshake failed')' -ge 2 ] && [ '$(num "$st" replies)' = 0 ]"
curl -s -o "$D/m5" "http://$A:$HP5/metrics"
for p in "$P_PLAIN" "$P_SILENT"; do
	s5="{server=\"$A#$p\"}"
	check "/metrics: the failing TLS upstream #$p: sent, no reply, lost" \
		bash -c "[ '$(metric "$D/m5" "resolver_upstream_sent$s5")' -ge 1 ] && [ '$(metric "$D/m5" "resolver_upstream_replies$s5")' = 0 ] && [ '$(metric "$D/m5" "resolver_upstream_lost$s5")' = '$(metric "$D/m5" "resolver_upstream_sent$s5")' ]"
done
check "wardd sent both a TLS ClientHello and never plain DNS" \
	bash -c "grep -qx 1603 '$D/fake.plain' && grep -qx 1603 '$D/fake.silent' && ! grep -vqx 1603 '$D/fake.plain' '$D/fake.silent'"

# the upstream restarts: wardd notices the closed connection and connects
# again on the next query (resuming the session: same ticket key)
stop_pid "$UB_PID"
start_unbound || { echo "FAIL: unbound did not start again"; exit 1; }
ok=0
for _ in $(seq 40); do
	out=$(dig +short +time=2 +tries=1 @"$A" -p "$W1" after.tls.test A)
	if [ "$out" = 192.0.2.99 ]; then ok=1; break; fi
	sleep 0.25
done
check "after the upstream restarted: answered again" [ $ok = 1 ]
st=$(tls_stats good)
echo "     $st"
check "a second connection was made, the first closed by the server" \
	bash -c "[ '$(num "$st" connections)' = 2 ] && [ '$(num "$st" 'closed by server')' = 1 ]"
check "the TLS session was resumed on the new connection" [ "$(num "$st" resumed)" = 1 ]

# --test reads tls-upstream-ca=
"$WARDD" --test --conf-file=/dev/null --no-resolv --server-tls="$A#$UP_PORT" \
	--tls-upstream-ca="$D/missing.pem" >"$D/test.out" 2>&1
rc=$?
check "--test: a missing tls-upstream-ca file is an error (exit 2)" [ $rc -eq 2 ]
check "--test: the message names the file" grep -q "tls-upstream-ca=$D/missing.pem" "$D/test.out"

# SIGTERM: every wardd exits cleanly with connections open
for w in good byaddr wrongname untrusted notdot; do
	pid=$(eval echo "\$PID_$w")
	kill "$pid"
	wait "$pid"
	rc=$?
	check "$w: SIGTERM, exit 0" [ $rc -eq 0 ]
done
wl_finish
