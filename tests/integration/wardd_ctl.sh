#!/bin/bash
# tests/integration/wardd_ctl.sh: `ward ctl` against a running wardd
# (docs/ctl.md). wardd on 127.0.0.1 (a random port) with local data,
# forwarding to a loopback dnsmasq:
#   stats move with dig traffic (text and --json); cache dump shows a name
#   after a query, dump NAME only that name; cache flush NAME removes it and
#   nothing else; cache flush empties the cache; reload picks up a changed
#   address= line, and a configuration with an error is refused (the
#   running one stays); log queries on/off toggles log-queries lines; log
#   debug on/off toggles debug lines; verify reports a bad line as file:line
#   exactly as `ward conf check` does, and applies nothing; malformed,
#   oversized and binary requests get "end 2" and wardd goes on; the
#   connection cap; the socket is 0600 and a non-root user (setpriv 65534)
#   is refused, by the file mode and, with the mode opened, by the peer
#   check.
# Leases (needs root and ip netns): a second wardd in a network namespace
# of this test, dhcp-range= on a veth there and a lease file written
# beforehand (no DHCP traffic at all): leases list (text, --json), leases
# delete IP and MAC (journal written, the DNS name gone, the lease file
# read by `ward lease dump` agrees while wardd runs and after it stops),
# an unknown address fails; the socket belongs to the user wardd runs as.
. "$(dirname "$0")/wardd_lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "skip: needs root (setpriv to another user, network namespaces)"
	exit 77
fi
for tool in setpriv ip; do
	command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

# two free high ports on 127.0.0.1 (UDP and TCP), below the ephemeral range
read -r UP_PORT W_PORT < <(python3 - <<'PY'
import random, socket
def free(p):
    try:
        for t in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, t)
            s.bind(("127.0.0.1", p))
            s.close()
        return True
    except OSError:
        return False
ports = []
while len(ports) < 2:
    p = random.randrange(20000, 30000)
    if p not in ports and free(p):
        ports.append(p)
print(*ports)
PY
)
A=127.0.0.1
SOCK=$WL_DIR/ctl.sock
CONF=$WL_DIR/w.conf

wl_start_upstream "$A" "$UP_PORT" --local-ttl=300 --local=/up.test/ \
	--host-record=www.up.test,192.0.2.80 --host-record=mail.up.test,192.0.2.25 \
	--host-record=q1.up.test,192.0.2.91 --host-record=q2.up.test,192.0.2.92

write_conf() { # the address of foo.test, then extra lines
	local addr=$1
	shift
	{
		echo "port=$W_PORT"
		echo "listen-address=$A"
		echo "bind-interfaces"
		echo "no-resolv"
		echo "no-hosts"
		echo "server=$A#$UP_PORT"
		echo "address=/foo.test/$addr"
		echo "control-socket=$SOCK"
		echo "pid-file="
		echo "user="
		for l in "$@"; do echo "$l"; done
	} >"$CONF"
	chmod 644 "$CONF"
}
write_conf 192.0.2.1
wl_start_wardd w --conf-file="$CONF"
wl_wait_dns "$A" "$W_PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }

ctl() { "$WARD" ctl --socket "$SOCK" "$@"; }

# a client that sends half a request and stalls: wardd closes it after its
# request timeout (5 s) while the rest of the test runs; checked at the end
python3 - "$SOCK" >"$WL_DIR/stall.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall(b"cache du")
t0 = time.time()
try:
    got = s.recv(100)
except OSError as e:
    got = repr(e).encode()
print("closed after %.1f s, got %r" % (time.time() - t0, got))
PY
STALL=$!
WL_PIDS+=("$STALL")
q() { dig +short +time=3 +tries=1 @"$A" -p "$W_PORT" "$@"; }
has() { grep -q -- "$2" <<<"$1"; }
hasnt() { ! grep -q -- "$2" <<<"$1"; }
rc_has() { [ "$1" -eq "$2" ] && has "$3" "$4"; } # rc want output pattern
stat_of() { ctl stats 2>/dev/null | awk -v k="$1" '$1 == k { print $2 }'; }

out=$(ctl ping 2>&1)
check "ping answers pong" has "$out" "pong"

# ---- stats ----
u0=$(stat_of daemon.udp_queries)
a0=$(stat_of engine.answers)
for n in www mail www; do q "$n.up.test" A >/dev/null; done
u1=$(stat_of daemon.udp_queries)
a1=$(stat_of engine.answers)
check "stats: 3 dig queries move daemon.udp_queries by 3 ($u0 -> $u1)" [ "$((u1 - u0))" -eq 3 ]
check "stats: and engine.answers by 3 ($a0 -> $a1)" [ "$((a1 - a0))" -eq 3 ]
json=$(ctl stats --json 2>/dev/null)
check "stats --json is one JSON object with the same counter" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
sys.exit(0 if d["daemon"]["udp_queries"] == int(sys.argv[2]) and "cache" in d else 1)' "$json" "$u1"

# ---- cache ----
dump=$(ctl cache dump 2>/dev/null)
check "cache dump lists www.up.test A with a TTL" grep -Eq '^www\.up\.test\. A [0-9]+ rrset ' <<<"$dump"
check "cache dump lists mail.up.test A" grep -q '^mail\.up\.test\. A ' <<<"$dump"
one=$(ctl cache dump www.up.test 2>/dev/null)
check "cache dump NAME shows only that name" [ "$(grep -vc '^www\.up\.test\. ' <<<"$one")" -eq 0 -a -n "$one" ]
out=$(ctl cache flush www.up.test 2>&1)
check "cache flush NAME reports what it removed" has "$out" "1 entry removed for www.up.test."
dump=$(ctl cache dump 2>/dev/null)
check "after flush NAME: www.up.test is gone" hasnt "$dump" '^www\.up\.test\. '
check "after flush NAME: mail.up.test is still cached" has "$dump" '^mail\.up\.test\. '
check "a flushed name is asked again (still answered)" [ "$(q www.up.test A)" = 192.0.2.80 ]
ctl cache flush >/dev/null 2>&1
check "cache flush empties the cache" [ -z "$(ctl cache dump 2>/dev/null)" ]
check "stats: cache.entries is 0 after flush" [ "$(stat_of cache.entries)" = 0 ]

# ---- reload ----
check "foo.test is 192.0.2.1 before reload" [ "$(q foo.test A)" = 192.0.2.1 ]
write_conf 192.0.2.2
out=$(ctl reload 2>&1)
rc=$?
check "reload exits 0 and says so" rc_has $rc 0 "$out" "reloaded"
check "reload picks up the changed address= line" [ "$(q foo.test A)" = 192.0.2.2 ]
r0=$(stat_of daemon.reloads)
write_conf 192.0.2.3 "cache-size=lots"
out=$(ctl reload 2>&1)
rc=$?
check "reload of a configuration with an error exits 2 with file:line" rc_has $rc 2 "$out" "$CONF:11: option 'cache-size'"
check "and the running configuration stays" [ "$(q foo.test A)" = 192.0.2.2 ]
check "and no reload was counted" [ "$(stat_of daemon.reloads)" = "$r0" ]

# ---- verify (the configuration still has the bad line) ----
out=$(ctl verify 2>&1)
rc=$?
check "verify exits 2 and names file:line of the bad line" rc_has $rc 2 "$out" "$CONF:11: option 'cache-size'"
want=$("$WARD" conf check "$CONF" 2>&1)
got=$(ctl verify 2>/dev/null)
check "verify prints what ward conf check prints" [ "$got" = "$want" ]
check "verify applied nothing" [ "$(q foo.test A)" = 192.0.2.2 ]
write_conf 192.0.2.2
out=$(ctl verify 2>&1)
rc=$?
check "verify of a good configuration exits 0" rc_has $rc 0 "$out" "0 errors"

# ---- log level ----
log=$WL_DIR/w.log
ctl log queries on >/dev/null 2>&1
q q1.up.test A >/dev/null
check "log queries on: the query is logged" grep -q 'query\[A\] q1\.up\.test' "$log"
ctl log queries off >/dev/null 2>&1
q q2.up.test A >/dev/null
check "log queries off: the next query is not" bash -c "! grep -q 'q2\.up\.test' '$log'"
ctl log debug on >/dev/null 2>&1
ctl cache dump mail.up.test >/dev/null 2>&1
check "log debug on: control requests are logged" grep -q 'control: request from uid 0: cache dump mail.up.test' "$log"
ctl log debug off >/dev/null 2>&1
ctl cache dump www.up.test >/dev/null 2>&1
check "log debug off: not any more" bash -c "! grep -q 'request from uid 0: cache dump www' '$log'"

# ---- malformed requests, limits ----
raw() { # bytes (python literal) -> the response
	python3 - "$SOCK" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
try:
    s.sendall(eval(sys.argv[2]))
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
out = b""
while True:
    try:
        c = s.recv(65536)
    except OSError:
        break
    if not c:
        break
    out += c
sys.stdout.write(out.decode("ascii", "replace"))
PY
}
check "unknown command: end 2" has "$(raw 'b"frobnicate\n"')" "^end 2 unknown command"
check "control byte: end 2" has "$(raw 'b"stats\x01\n"')" "^end 2 request has a control"
check "non-ASCII: end 2" has "$(raw 'bytes(range(128, 256)) + b"\n"')" "^end 2 "
check "empty line: end 2" has "$(raw 'b"\n"')" "^end 2 empty request"
check "2000 octets without newline: end 2 too long" has "$(raw 'b"x" * 2000')" "^end 2 request longer than"
check "bad name: end 2" has "$(raw 'b"cache dump " + b"a" * 70 + b".com\n"')" "^end 2 .* is not a domain name"
check "request ended by EOF, no newline: answered" has "$(raw 'b"ping"')" "^end 0 pong"
check "bad MAC / IP: end 2" has "$(raw 'b"leases delete 10.0.0.256\n"')" "^end 2 "
check "wardd still answers after all that" has "$(ctl ping 2>&1)" "pong"
out=$(python3 - "$SOCK" <<'PY'
import socket, sys, time
held = []
for i in range(8):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    held.append(s)
time.sleep(0.3)
extra = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
extra.settimeout(5)
extra.connect(sys.argv[1])
try:
    extra.sendall(b"ping\n")
    got = extra.recv(100)
except OSError:
    got = b""
print("ninth:", repr(got))
for s in held:
    s.close()
PY
)
check "a ninth connection is closed unanswered while 8 are open" has "$out" "ninth: b''"
ok_after=0
for _ in $(seq 50); do
	if ctl ping >/dev/null 2>&1; then ok_after=1; break; fi
	sleep 0.1
done
check "and once they are gone, ping works again" [ $ok_after = 1 ]

# ---- a second wardd with the same control-socket= refuses to start ----
cat >"$WL_DIR/w2.conf" <<EOF
port=0
no-resolv
no-hosts
server=$A#$UP_PORT
control-socket=$SOCK
pid-file=
user=
EOF
timeout 20 "$WARDD" --keep-in-foreground --conf-file="$WL_DIR/w2.conf" \
	--log-facility="$WL_DIR/w2.log" >"$WL_DIR/w2.out" 2>&1
rc=$?
check "a second wardd on the same control socket exits 3" rc_has $rc 3 "$(cat "$WL_DIR/w2.out")" "another process listens on it"
check "and the first one's socket still works" has "$(ctl ping 2>&1)" "pong"

# ---- permissions ----
check "the socket is mode 0600" [ "$(stat -c %a "$SOCK")" = 600 ]
check "owned by the user wardd runs as (root here: user=)" [ "$(stat -c %U "$SOCK")" = root ]
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$WARD" ctl --socket "$SOCK" ping 2>&1)
rc=$?
check "uid 65534 is refused by the file mode (exit $rc)" rc_has $rc 1 "$out" "permission denied"
chmod 666 "$SOCK"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$WARD" ctl --socket "$SOCK" stats 2>&1)
rc=$?
chmod 600 "$SOCK"
check "with the mode opened, wardd itself refuses uid 65534 (exit $rc)" rc_has $rc 2 "$out" "permission denied"
check "and counts it" [ "$(stat_of control.refused_peer)" = 1 ]

# ---- leases: a second wardd in a namespace of its own ----
NS="wardctl$$"
ip netns add "$NS" || { echo "FAIL: ip netns add"; exit 1; }
cleanup_ns() { ip netns del "$NS" 2>/dev/null; }
trap 'wl_cleanup; cleanup_ns' EXIT
ip -n "$NS" link set lo up
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" addr add 10.77.0.1/24 dev v0
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up
LD=$WL_DIR/leases
mkdir -p "$LD"
chown nobody "$LD"
exp=$(($(date +%s) + 3600))
cat >"$LD/dnsmasq.leases" <<EOF
$exp 02:00:00:00:00:01 10.77.0.50 alpha 01:02:00:00:00:00:01
$exp 02:00:00:00:00:02 10.77.0.51 beta *
$exp 02:00:00:00:00:03 10.77.0.52 gamma *
EOF
chown nobody "$LD/dnsmasq.leases"
SOCK2=$WL_DIR/ctl2.sock
cat >"$WL_DIR/d.conf" <<EOF
port=5353
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
server=127.0.0.1#5399
domain=lan
local=/lan/
dhcp-range=10.77.0.50,10.77.0.150,12h
dhcp-leasefile=$LD/dnsmasq.leases
control-socket=$SOCK2
pid-file=
user=nobody
EOF
chmod 644 "$WL_DIR/d.conf"
ip netns exec "$NS" "$WARDD" --keep-in-foreground --conf-file="$WL_DIR/d.conf" \
	--log-facility="$WL_DIR/d.log" >"$WL_DIR/d.out" 2>&1 &
DPID=$!
WL_PIDS+=("$DPID")
nsq() { ip netns exec "$NS" dig +short +time=2 +tries=1 @127.0.0.1 -p 5353 "$@"; }
up=0
for _ in $(seq 50); do
	[ "$(nsq alpha.lan A 2>/dev/null)" = 10.77.0.50 ] && { up=1; break; }
	sleep 0.1
done
if [ $up = 0 ]; then
	cat "$WL_DIR/d.out" "$WL_DIR/d.log"
	echo "FAIL: wardd in $NS did not start"
	exit 1
fi
ctl2() { "$WARD" ctl --socket "$SOCK2" "$@"; }
check "a lease's name resolves before (alpha.lan)" [ "$(nsq alpha.lan A)" = 10.77.0.50 ]
check "the socket belongs to the user wardd runs as (nobody), mode 0600" [ "$(stat -c %U:%a "$SOCK2")" = nobody:600 ]
list=$(ctl2 leases list 2>/dev/null)
check "leases list: three leases" [ "$(wc -l <<<"$list")" -eq 3 ]
check "leases list: alpha's line" grep -Eq '^10\.77\.0\.50 02:00:00:00:00:01 alpha '"$exp"' [0-9]+ 01:02:00:00:00:00:01$' <<<"$list"
json=$(ctl2 leases list --json 2>/dev/null)
check "leases list --json: three objects with ip, mac, hostname" python3 -c '
import json, sys
d = json.loads(sys.argv[1])["leases"]
sys.exit(0 if [l["hostname"] for l in d] == ["alpha", "beta", "gamma"] and d[1]["mac"] == "02:00:00:00:00:02" and d[1]["client_id"] is None else 1)' "$json"
jsize0=$(stat -c %s "$LD/dnsmasq.leases.journal" 2>/dev/null || echo 0)
out=$(ctl2 leases delete 10.77.0.50 2>&1)
rc=$?
check "leases delete IP: exit 0, the lease named" rc_has $rc 0 "$out" "deleted 10.77.0.50 02:00:00:00:00:01 alpha"
jsize1=$(stat -c %s "$LD/dnsmasq.leases.journal" 2>/dev/null || echo 0)
check "the deletion went through the journal ($jsize0 -> $jsize1 octets)" [ "$jsize1" -gt "$jsize0" ]
check "the lease file (file + journal) no longer has it, while wardd runs" bash -c "! '$WARD' lease dump '$LD/dnsmasq.leases' | grep -q ' 10.77.0.50 '"
check "its DNS name is gone" [ -z "$(nsq alpha.lan A)" ]
check "the deletion is logged" grep -q 'control: lease 10.77.0.50 02:00:00:00:00:01 alpha deleted' "$WL_DIR/d.log"
out=$(ctl2 leases delete 02:00:00:00:00:02 2>&1)
rc=$?
check "leases delete MAC: beta's lease goes" rc_has $rc 0 "$out" "deleted 10.77.0.51 02:00:00:00:00:02 beta"
check "beta.lan no longer resolves" [ -z "$(nsq beta.lan A)" ]
check "gamma.lan still resolves" [ "$(nsq gamma.lan A)" = 10.77.0.52 ]
out=$(ctl2 leases delete 10.77.0.99 2>&1)
rc=$?
check "leases delete of an address without a lease: exit 1" rc_has $rc 1 "$out" "no active lease"
check "leases list: one lease left" [ "$(ctl2 leases list 2>/dev/null | wc -l)" -eq 1 ]
check "stats show the DHCP lease count" [ "$("$WARD" ctl --socket "$SOCK2" stats | awk '$1 == "dhcp.leases" { print $2 }')" = 1 ]
kill "$DPID"
for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
dump=$("$WARD" lease dump "$LD/dnsmasq.leases")
check "after wardd stops: the lease file holds gamma only" rc_has "$(grep -c . <<<"$dump")" 1 "$dump" " 10.77.0.52 gamma "
out=$("$WARD" ctl --socket "$SOCK2" ping 2>&1)
rc=$?
check "ping after wardd stopped: exit 1, nobody listens" rc_has $rc 1 "$out" "no wardd listens"

# the stalled client (started at the beginning)
for _ in $(seq 300); do kill -0 "$STALL" 2>/dev/null || break; sleep 0.1; done
out=$(cat "$WL_DIR/stall.out")
check "a stalled request is closed by wardd after its timeout ($out)" python3 -c '
import re, sys
m = re.match(r"closed after ([0-9.]+) s, got b..$", sys.argv[1])
sys.exit(0 if m and 4.0 <= float(m.group(1)) <= 15.0 else 1)' "$out"
check "and counted in control.timeouts" [ "$(stat_of control.timeouts)" -ge 1 ]

# the first wardd is still fine
check "the first wardd still answers queries" [ "$(q foo.test A)" = 192.0.2.2 ]
wl_finish
