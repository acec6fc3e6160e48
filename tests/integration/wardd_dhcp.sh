#!/usr/bin/env bash
# tests/integration/wardd_dhcp.sh — wardd as the DHCPv4 server of the netns
# DHCP lab (testbed/dhcp-lab, docs/dhcp-lab.md), with real clients:
#   1. dnsmasq leases an address to dhclient (c1) and stops; wardd starts on
#      the same lease file (plus an ended lease, dropped at start, and one
#      ending 4 s later: the timer deletes it, its name and calls the
#      script with del) and c1, rebooting, keeps its address;
#   2. udhcpc (c2), dhcpcd (c3) get leases in the range, with the router,
#      DNS server, domain and lease time configured; c4 gets its dhcp-host
#      reservation by MAC;
#   3. the lease file holds them in dnsmasq's format; each client's host name
#      resolves through wardd's DNS in the server namespace (A and PTR);
#   4. udhcpc renews (SIGUSR1: a unicast REQUEST) and keeps its address, then
#      releases (SIGUSR2): the lease and the name are gone; dhcp-script= saw
#      add, old and del with dnsmasq's arguments and environment;
#   5. crash: a burst of 20 udhcpc clients, wardd killed with SIGKILL at a
#      random moment and restarted: every address a client was acknowledged
#      is in the lease file with its MAC, no address is held by two clients,
#      and the clients that failed get one on a second run;
#   6. relayed requests (perfdhcp as a relay agent, when installed) get
#      addresses from the relay's network; SIGTERM: FILE alone holds every
#      lease (journal folded in);
#   7. dnsmasq given the same DHCP configuration hands c4 the same options
#      (address, mask, broadcast, router, DNS, domain, lease time, server
#      id, host name), as dhclient reports them.
# wardd runs only inside the lab's server namespace, bound to its veth.
# Needs root; skips (exit 0) without root or netns, like dhcp_lab.sh. Holds
# /tmp/ward-dhcplab.lock. Ends "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
LAB=$PWD/testbed/dhcp-lab
WARD=${WARD:-$PWD/bin/ward}
WARDD=${WARDD:-$PWD/bin/wardd}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*"; }
check() { # description, command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
summary() { echo "$pass passed, $fail failed"; }
skip() { echo "skip: $*"; summary; exit 0; }

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not installed"
probe="wardlab-probe$$"
ip netns add "$probe" >/dev/null 2>&1 || skip "ip netns add does not work here"
ip netns del "$probe"
missing=""
for t in dnsmasq dhclient udhcpc dhcpcd unshare timeout ss flock dig; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	bad "tools missing:$missing (make deps installs them)"
	summary
	exit 1
fi
for b in "$WARD" "$WARDD"; do
	if [ ! -x "$b" ]; then
		bad "$b not built (make)"
		summary
		exit 1
	fi
done

exec 9>/tmp/ward-dhcplab.lock
if ! flock -w 600 9; then
	bad "could not take /tmp/ward-dhcplab.lock in 600 s"
	summary
	exit 1
fi

TAG="wd$$"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/wardlab-wardd.XXXXXX")
PIDS=()   # every server we start, killed by pid in cleanup
lab() { "$LAB" --tag "$TAG" --dir "$DIR" "$@"; }

stop_pid() { # pid [signal]: signal, then wait up to 5 s, then SIGKILL
	local p=$1 sig=${2:-TERM}
	[ -n "$p" ] || return 0
	kill -"$sig" "$p" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null
	return 0
}
cleanup() {
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	lab down >/dev/null 2>&1 || true
	[ -d "$DIR" ] && rm -rf -- "$DIR"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! ENV_OUT=$(lab up --clients 25); then
	bad "dhcp-lab up --clients 25"
	summary
	exit 1
fi
eval "$ENV_OUT"
SNS=$WARD_LAB_SERVER_NS
SIF=$WARD_LAB_SERVER_IF
read -r -a MAC <<<"$WARD_LAB_CLIENT_MACS"
LEASES=$DIR/srv/leases
srvx() { ip netns exec "$SNS" "$@"; }
read -r -a CNS <<<"$WARD_LAB_CLIENTS"
# a second network behind a relay: the server has an address on it, c25
# relays (perfdhcp, giaddr 10.54.0.2)
ip -n "$SNS" addr add 10.54.0.1/24 dev "$SIF"
ip -n "${CNS[24]}" addr add 10.54.0.2/24 dev eth0

wait_port67() { # pid: bounded wait for a socket on :67 in the server namespace
	for _ in $(seq 1 50); do
		srvx ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
in_range() { # a.b.c.d -> 10.53.0.100..150?
	[[ $1 =~ ^10\.53\.0\.([0-9]+)$ ]] || return 1
	[ "${BASH_REMATCH[1]}" -ge 100 ] && [ "${BASH_REMATCH[1]}" -le 150 ]
}
field() { # key, client output text
	sed -n "s/^$1=//p" <<<"$2" | head -n 1
}

# the dhcp-script: one line per call, arguments and DNSMASQ_* environment
SCRIPT=$DIR/srv-script.sh
SCRIPT_LOG=$DIR/script.log
cat >"$SCRIPT" <<EOF
#!/bin/sh
echo "\$* if=\${DNSMASQ_INTERFACE:-} expires=\${DNSMASQ_LEASE_EXPIRES:-} remaining=\${DNSMASQ_TIME_REMAINING:-} cid=\${DNSMASQ_CLIENT_ID:-}" >>"$SCRIPT_LOG"
EOF
chmod +x "$SCRIPT"
: >"$SCRIPT_LOG"

CONF=$DIR/wardd.conf
cat >"$CONF" <<EOF
# DNS: lease names under lan, nothing forwarded out of the namespace
no-resolv
no-hosts
server=127.0.0.1#1
local=/lan/
local=/0.53.10.in-addr.arpa/
domain=lan
listen-address=$WARD_LAB_SERVER_ADDR
interface=$SIF
user=
pid-file=
log-facility=-
keep-in-foreground
# DHCP
dhcp-range=10.53.0.100,10.53.0.150,255.255.255.0,12h
dhcp-range=10.54.0.100,10.54.0.150,255.255.255.0,1h
dhcp-option=option:router,10.53.0.254
dhcp-host=${MAC[3]},10.53.0.77,resv4
dhcp-leasefile=$LEASES
dhcp-script=$SCRIPT
EOF
NWARDD=0
WARDD_PID=""
start_wardd() {
	NWARDD=$((NWARDD + 1))
	WARDD_PID=$(lab server --bg "wardd$NWARDD" "$WARDD" --conf-file="$CONF") || return 1
	PIDS+=("$WARDD_PID")
	wait_port67 "$WARDD_PID"
}
wardd_log() { cat "$DIR"/srv/wardd*.log 2>/dev/null; }

# 1. dnsmasq's lease file, taken over ------------------------------------------
DPID=$(lab server --bg dnsmasq dnsmasq --keep-in-foreground --conf-file=/dev/null \
	--port=0 --log-facility=- --interface="$SIF" --bind-interfaces \
	--dhcp-range=10.53.0.100,10.53.0.150,12h --dhcp-leasefile="$LEASES" \
	--pid-file="$DIR/srv/dnsmasq.pid")
PIDS+=("$DPID")
check "dnsmasq listens on :67" wait_port67 "$DPID"
out=$(lab client dhclient 1 --timeout 20)
C1=$(field address "$out")
check "dhclient (c1) got $C1 from dnsmasq" in_range "$C1"
stop_pid "$DPID"
check "dnsmasq's lease file has c1's lease" grep -q " ${MAC[0]} $C1 " "$LEASES"

# two more lines as dnsmasq writes them: one ended already, one ending in 4 s
SHORT_MAC=02:77:61:72:00:30
echo "$(($(date +%s) - 100)) 02:77:61:72:00:31 10.53.0.141 gone *" >>"$LEASES"
echo "$(($(date +%s) + 4)) $SHORT_MAC 10.53.0.140 shortlived *" >>"$LEASES"
check "wardd starts on dnsmasq's lease file" start_wardd
check "wardd loaded c1's and the short lease, not the ended one" \
	bash -c "grep -q 'DHCP: 2 leases from' $DIR/srv/wardd1.log"
check "the ended lease is removed from the file at start" \
	bash -c "! '$WARD' lease dump '$LEASES' | grep -q ' 10.53.0.141 '"
dq0() { ip netns exec "$SNS" dig +short +time=2 +tries=1 @"$WARD_LAB_SERVER_ADDR" "$@"; }
check "a loaded lease's name answers: shortlived.lan 10.53.0.140" \
	[ "$(dq0 shortlived.lan A)" = 10.53.0.140 ]
out=$(lab client dhclient 1 --timeout 20)
check "dhclient (c1) reboots and keeps $C1 [$(field address "$out")]" \
	[ "$(field address "$out")" = "$C1" ]

# the lease timer: the short lease ends while wardd runs (bounded wait)
for _ in $(seq 1 100); do
	"$WARD" lease dump "$LEASES" | grep -q ' 10.53.0.140 ' || break
	sleep 0.1
done
check "expiry: the short lease is deleted from the file when it ends" \
	bash -c "! '$WARD' lease dump '$LEASES' | grep -q ' 10.53.0.140 '"
check "expiry: shortlived.lan is gone from DNS" [ -z "$(dq0 shortlived.lan A)" ]
for _ in $(seq 1 30); do grep -q "^del $SHORT_MAC " "$SCRIPT_LOG" && break; sleep 0.1; done
check "dhcp-script: old at start for a lease of the file (as dnsmasq)" \
	grep -q "^old $SHORT_MAC 10.53.0.140 shortlived " "$SCRIPT_LOG"
check "expiry: dhcp-script del $SHORT_MAC 10.53.0.140 shortlived" \
	grep -q "^del $SHORT_MAC 10.53.0.140 shortlived " "$SCRIPT_LOG"
check "expiry: the old call came before the del" \
	bash -c "grep -n ' $SHORT_MAC ' '$SCRIPT_LOG' | head -n 1 | grep -q ':old '"

# 2. udhcpc, dhcpcd, a reservation ---------------------------------------------
out2=$(lab client udhcpc 2 --timeout 20 --keep)
C2=$(field address "$out2")
check "udhcpc (c2) got $C2 in the range" in_range "$C2"
out3=$(lab client dhcpcd 3 --timeout 30 -- -A)
C3=$(field address "$out3")
check "dhcpcd (c3) got $C3 in the range" in_range "$C3"
out4=$(lab client dhclient 4 --timeout 20)
C4=$(field address "$out4")
# the options dhclient saw from wardd, for the comparison with dnsmasq (7.)
OPTS_KEYS='new_ip_address|new_subnet_mask|new_broadcast_address|new_routers|new_domain_name_servers|new_domain_name|new_dhcp_lease_time|new_dhcp_server_identifier|new_host_name|new_network_number'
opts_of() { grep -E "^($OPTS_KEYS)=" "$(ls -t "$DIR"/c4/dhclient/env.* | head -n 1)" | sort; }
OPTS_WARDD=$(opts_of)
check "dhclient (c4) got its dhcp-host reservation 10.53.0.77 [$C4]" [ "$C4" = 10.53.0.77 ]
all="$C1 $C2 $C3 $C4"
check "four different addresses [$all]" \
	[ "$(tr ' ' '\n' <<<"$all" | sort -u | grep -c .)" -eq 4 ]
for i in 1 2 3; do
	rep=$DIR/c$i/$( [ $i = 1 ] && echo dhclient || { [ $i = 2 ] && echo udhcpc || echo dhcpcd; })
	# shellcheck disable=SC1091,SC2154  # report.env sets router, dns, lease
	r=$( (. "$rep/report.env" && echo "$router|$dns|$lease") 2>/dev/null)
	check "c$i saw router 10.53.0.254, DNS 10.53.0.1, lease 43200 [$r]" \
		[ "$r" = "10.53.0.254|10.53.0.1|43200" ]
	check "c$i saw domain lan" bash -c "grep -qsE '^(new_domain_name|domain)=.?lan.?$' $rep/env.* "
done

# 3. lease file, DNS -------------------------------------------------------------
dump=$("$WARD" lease dump "$LEASES")
fmt_ok=1
while read -r line; do
	[[ $line =~ ^[0-9]+\ ([0-9a-f]{2}:){5}[0-9a-f]{2}\ 10\.53\.0\.[0-9]+\ [^\ ]+\ [^\ ]+$ ]] || fmt_ok=0
done <<<"$dump"
check "lease file lines in dnsmasq's format" [ "$fmt_ok" -eq 1 ]
check "lease file: c2 lab-c2 with client id 01:MAC" \
	grep -q " ${MAC[1]} $C2 lab-c2 01:${MAC[1]}\$" <<<"$dump"
check "lease file: c3 lab-c3" grep -q " ${MAC[2]} $C3 lab-c3 " <<<"$dump"
check "lease file: c4 reservation resv4" grep -q " ${MAC[3]} 10.53.0.77 resv4 " <<<"$dump"
exp=$(awk -v ip="$C2" '$3 == ip {print $1}' <<<"$dump")
now=$(date +%s)
check "c2's expiry is 12 h from now [$((exp - now))]" \
	[ $((exp - now)) -ge 43100 -a $((exp - now)) -le 43200 ]
dq() { srvx dig +short +time=2 +tries=1 @"$WARD_LAB_SERVER_ADDR" "$@"; }
dstatus() { srvx dig +time=2 +tries=1 @"$WARD_LAB_SERVER_ADDR" "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }
check "lab-c2.lan A $C2 through wardd" [ "$(dq lab-c2.lan A)" = "$C2" ]
check "lab-c3.lan A $C3" [ "$(dq lab-c3.lan A)" = "$C3" ]
check "resv4.lan A 10.53.0.77" [ "$(dq resv4.lan A)" = 10.53.0.77 ]
check "PTR $C2 -> lab-c2.lan." [ "$(dq -x "$C2")" = "lab-c2.lan." ]
check "PTR 10.53.0.77 -> resv4.lan." [ "$(dq -x 10.53.0.77)" = "resv4.lan." ]
# SIGHUP rebuilds local data: the lease names must come back with it
kill -HUP "$WARDD_PID"
for _ in $(seq 1 30); do grep -q "reloaded:" "$DIR/srv/wardd1.log" && break; sleep 0.1; done
check "SIGHUP: reloaded, lab-c3.lan and its PTR still answered" \
	bash -c "grep -q 'reloaded:' '$DIR/srv/wardd1.log' && [ \"\$(ip netns exec '$SNS' dig +short @$WARD_LAB_SERVER_ADDR lab-c3.lan A)\" = '$C3' ] && [ \"\$(ip netns exec '$SNS' dig +short @$WARD_LAB_SERVER_ADDR -x '$C3')\" = lab-c3.lan. ]"

# 4. renew, release, script ------------------------------------------------------
UPID=$(cat "$DIR/c2/udhcpc/pid" 2>/dev/null)
acks0=$(grep -c "DHCPACK(srv0) $C2 " "$DIR/srv/wardd1.log")
kill -USR1 "$UPID" 2>/dev/null
for _ in $(seq 1 50); do
	[ "$(grep -c "DHCPACK(srv0) $C2 " "$DIR/srv/wardd1.log")" -gt "$acks0" ] && break
	sleep 0.1
done
check "udhcpc renews (SIGUSR1): another ACK for $C2" \
	[ "$(grep -c "DHCPACK(srv0) $C2 " "$DIR/srv/wardd1.log")" -gt "$acks0" ]
sleep 0.3
check "udhcpc's renew event kept $C2" bash -c "grep ' renew ' '$DIR/c2/udhcpc/events' | tail -n 1 | grep -q 'addr=$C2/'"
kill -USR2 "$UPID" 2>/dev/null
for _ in $(seq 1 50); do
	"$WARD" lease dump "$LEASES" | grep -q " $C2 " || break
	sleep 0.1
done
check "RELEASE (SIGUSR2) removes c2's lease" bash -c "! '$WARD' lease dump '$LEASES' | grep -q ' $C2 '"
check "RELEASE removes lab-c2.lan from DNS (NXDOMAIN)" [ "$(dstatus lab-c2.lan A)" = NXDOMAIN ]
check "RELEASE removes the PTR of $C2 (NXDOMAIN)" [ "$(dstatus -x "$C2")" = NXDOMAIN ]
check "lab-c3.lan still answered" [ "$(dq lab-c3.lan A)" = "$C3" ]
stop_pid "$UPID"
for _ in $(seq 1 30); do grep -q "^del ${MAC[1]} " "$SCRIPT_LOG" && break; sleep 0.1; done
check "dhcp-script: add MAC IP HOST with DNSMASQ_INTERFACE, expiry, client id" \
	grep -qE "^add ${MAC[1]} $C2 lab-c2 if=$SIF expires=[0-9]+ remaining=4[0-9]{4} cid=01:${MAC[1]}\$" "$SCRIPT_LOG"
check "dhcp-script: old on renewal" grep -q "^old ${MAC[1]} $C2 lab-c2 " "$SCRIPT_LOG"
check "dhcp-script: del on release" grep -q "^del ${MAC[1]} $C2 lab-c2 " "$SCRIPT_LOG"
check "dhcp-script: add for the reservation" grep -q "^add ${MAC[3]} 10.53.0.77 resv4 " "$SCRIPT_LOG"

# 5. kill -9 during a burst --------------------------------------------------------
# Two waves of 10 udhcpc clients: the kill comes after 1..5 ACKs of the first
# wave and right after the second wave is started, so it always falls inside
# the burst however fast this machine is (a single wave of 20 was sometimes
# acknowledged whole before the log showed the wanted ACK), and the restarted
# wardd still has clients without an address to answer by packet socket.
BURST=$(seq 5 24)
acks0=$(grep -c DHCPACK "$DIR/srv/wardd$NWARDD.log")
for i in $(seq 5 14); do
	lab client udhcpc "$i" --timeout 25 >"$DIR/burst.$i" 2>&1 &
done
want=$((acks0 + 1 + RANDOM % 5))
for _ in $(seq 1 300); do # 15 s at most
	[ "$(grep -c DHCPACK "$DIR/srv/wardd$NWARDD.log")" -ge "$want" ] && break
	sleep 0.05
done
for i in $(seq 15 24); do
	lab client udhcpc "$i" --timeout 25 >"$DIR/burst.$i" 2>&1 &
done
kill -9 "$WARDD_PID"
sleep 0.2 # the log is written by wardd itself: nothing more comes after SIGKILL
acked=$(($(grep -c DHCPACK "$DIR/srv/wardd$NWARDD.log") - acks0))
echo "#    wardd killed with SIGKILL after $acked ACKs of the burst"
check "wardd was killed inside the burst ($acked of 20 ACKed)" [ "$acked" -ge 1 -a "$acked" -lt 20 ]
check "wardd restarts after SIGKILL" start_wardd
wait   # every client run is bounded by its --timeout
dump=$("$WARD" lease dump "$LEASES")
bound=0 missing_l=0 addrs=""
for i in $BURST; do
	o=$(cat "$DIR/burst.$i")
	[ "$(field result "$o")" = bound ] || continue
	bound=$((bound + 1))
	a=$(field address "$o")
	addrs+="$a "
	grep -q " ${MAC[$((i - 1))]} $a " <<<"$dump" || { missing_l=$((missing_l + 1)); echo "#    c$i $a not in the lease file"; }
done
check "burst: $bound of 20 clients bound" [ "$bound" -ge 1 ]
check "every acknowledged burst lease is in the lease file ($missing_l missing)" [ "$missing_l" -eq 0 ]
check "no address held by two burst clients" \
	[ "$(tr ' ' '\n' <<<"$addrs" | grep -c .)" -eq "$(tr ' ' '\n' <<<"$addrs" | grep . | sort -u | wc -l)" ]
check "no address twice in the lease file" [ -z "$(awk '{print $3}' <<<"$dump" | sort | uniq -d)" ]
# the ones that failed (if any) get a lease now; still no duplicates
for i in $BURST; do
	[ "$(field result "$(cat "$DIR/burst.$i")")" = bound ] && continue
	lab client udhcpc "$i" --timeout 20 >"$DIR/burst.$i" 2>&1
done
addrs=""
nb=0
for i in $BURST; do
	o=$(cat "$DIR/burst.$i")
	[ "$(field result "$o")" = bound ] && nb=$((nb + 1)) && addrs+="$(field address "$o") "
done
check "after the restart all 20 burst clients are bound [$nb]" [ "$nb" -eq 20 ]
check "20 different addresses" [ "$(tr ' ' '\n' <<<"$addrs" | grep . | sort -u | wc -l)" -eq 20 ]
check "c1's lease from dnsmasq survived it all" grep -q " ${MAC[0]} $C1 " <<<"$("$WARD" lease dump "$LEASES")"

# relayed requests: perfdhcp as a relay agent on 10.54.0.2 (optional tool)
if command -v perfdhcp >/dev/null 2>&1; then
	pout=$(ip netns exec "${CNS[24]}" timeout 20 perfdhcp -4 -l eth0 -R 5 -n 5 -r 5 10.54.0.1 2>&1)
	acks=$(awk '/REQUEST-ACK/ {r = 1} r && /received packets/ {print $3; exit}' <<<"$pout")
	# perfdhcp -n stops once the 5th exchange is started: the last may be cut
	check "relayed (giaddr 10.54.0.2): perfdhcp got ACKs [$acks of 5]" [ "${acks:-0}" -ge 3 ]
	nrel=$("$WARD" lease dump "$LEASES" | awk '$3 ~ /^10\.54\.0\./ { split($3, o, "."); if (o[4] >= 100 && o[4] <= 150) n++ } END { print n + 0 }')
	check "relayed leases are in the relay's range 10.54.0.100-150 [$nrel]" [ "$nrel" -ge "${acks:-1}" ]
	check "relayed leases have perfdhcp's MACs (00:0c:01:...)" \
		bash -c "[ \$('$WARD' lease dump '$LEASES' | grep -c ' 00:0c:01:.* 10\\.54\\.0\\.') -eq $nrel ]"
	check "relayed leases have the range's 1 h lease time" \
		bash -c "'$WARD' lease dump '$LEASES' | awk -v now=\$(date +%s) '\$3 ~ /^10\\.54\\./ && (\$1 - now > 3600 || \$1 - now < 3500) {bad=1} END {exit bad}'"
else
	echo "#    perfdhcp not installed (kea-admin): relay checks skipped"
fi

# 6. statistics, SIGTERM: the journal folded into FILE ------------------------------
kill -USR1 "$WARDD_PID"
for _ in $(seq 1 30); do grep -q "DHCP: .* leases, " "$DIR/srv/wardd$NWARDD.log" && break; sleep 0.1; done
st=$(grep "DHCP: .* leases, " "$DIR/srv/wardd$NWARDD.log" | tail -n 1)
echo "#    ${st#*]: }"
raw=$(sed -n 's/.*(\([0-9]*\) by packet socket).*/\1/p' <<<"$st")
check "SIGUSR1: replies went to clients without an address by packet socket [$raw]" [ "${raw:-0}" -gt 0 ]
final=$("$WARD" lease dump "$LEASES")
stop_pid "$WARDD_PID"
check "wardd exits on SIGTERM" bash -c "! kill -0 $WARDD_PID 2>/dev/null"
check "after SIGTERM FILE alone has every lease ($(grep -c . <<<"$final"))" \
	[ "$(sort "$LEASES")" = "$(sort <<<"$final")" ]
check "the journal is empty (header only)" [ "$(stat -c %s "$LEASES.journal")" -eq 8 ]
# 7. side by side: dnsmasq on the same DHCP configuration gives c4 the same
# options (dhclient's view of the ACK)
DPID=$(lab server --bg dnsmasq2 dnsmasq --keep-in-foreground --conf-file=/dev/null \
	--no-resolv --no-hosts --listen-address="$WARD_LAB_SERVER_ADDR" --bind-interfaces \
	--interface="$SIF" --domain=lan --log-facility=- \
	--dhcp-range=10.53.0.100,10.53.0.150,255.255.255.0,12h \
	--dhcp-option=option:router,10.53.0.254 --dhcp-host="${MAC[3]},10.53.0.77,resv4" \
	--dhcp-leasefile="$DIR/dnsmasq2.leases" --pid-file="$DIR/srv/dnsmasq2.pid")
PIDS+=("$DPID")
if wait_port67 "$DPID"; then
	lab client dhclient 4 --timeout 20 >/dev/null
	OPTS_DNSMASQ=$(opts_of)
	check "c4's options from wardd ($(grep -c . <<<"$OPTS_WARDD") values) equal dnsmasq's" \
		[ "$OPTS_WARDD" = "$OPTS_DNSMASQ" ]
	[ "$OPTS_WARDD" = "$OPTS_DNSMASQ" ] || diff <(echo "$OPTS_WARDD") <(echo "$OPTS_DNSMASQ") | sed 's/^/#    /'
else
	bad "dnsmasq (side by side) did not start"
fi
stop_pid "$DPID"

check "no sanitizer report in wardd's logs (ASan builds: WARDD=build/asan/bin/wardd)" \
	bash -c "! cat '$DIR'/srv/wardd*.log | grep -qE 'Sanitizer|runtime error:'"
if [ "$fail" -ne 0 ]; then
	echo "# wardd logs:"
	wardd_log | grep -v DHCPOFFER | tail -n 40 | sed 's/^/#    /'
fi
summary
[ "$fail" -eq 0 ]
