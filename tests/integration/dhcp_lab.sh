#!/usr/bin/env bash
# tests/integration/dhcp_lab.sh — the netns DHCP lab (testbed/dhcp-lab) end to end:
# the lab comes up with 3 clients, dnsmasq (DHCP only) in the server namespace
# hands a lease to dhclient (c1), udhcpc (c2) and dhcpcd (c3), the lease file
# lists the three MACs, the host is untouched, and `down` removes every
# namespace and process. Needs root; skips (exit 0) without root or netns.
# Ends with "N passed, M failed"; exit status non-zero on failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
LAB=$PWD/testbed/dhcp-lab
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
for t in dnsmasq dhclient udhcpc dhcpcd unshare timeout ss; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	bad "tools missing:$missing (make deps installs them)"
	summary
	exit 1
fi

TAG="it$$"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/wardlab-it.XXXXXX")
DNSMASQ_PID=""
lab() { "$LAB" --tag "$TAG" --dir "$DIR" "$@"; }

cleanup() {
	lab down >/dev/null 2>&1 || true
	# down removes DIR; a leftover means the test failed early
	[ -d "$DIR" ] && rm -rf -- "$DIR"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# what must not change on the host
host_state() {
	md5sum /etc/resolv.conf 2>/dev/null
	hostname
	ls -A /var/lib/dhcp /var/lib/dhcpcd 2>/dev/null
	[ -e /run/dhcpcd ] && echo "/run/dhcpcd exists"
	ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
}
HOST_BEFORE=$(host_state)

in_range() { # a.b.c.d -> 10.53.0.100..150?
	local a=$1 last
	[[ $a =~ ^10\.53\.0\.([0-9]+)$ ]] || return 1
	last=${BASH_REMATCH[1]}
	[ "$last" -ge 100 ] && [ "$last" -le 150 ]
}

# 1. the lab ---------------------------------------------------------------
if ! ENV_OUT=$(lab up --clients 3); then
	bad "dhcp-lab up"
	summary
	exit 1
fi
ok "dhcp-lab up --clients 3"
eval "$ENV_OUT"
check "up prints the server namespace" [ "${WARD_LAB_SERVER_NS:-}" = "wardlab-$TAG-srv" ]
read -r -a CLIENT_NS <<<"${WARD_LAB_CLIENTS:-}"
read -r -a CLIENT_MAC <<<"${WARD_LAB_CLIENT_MACS:-}"
check "up prints 3 clients and their MACs" [ "${#CLIENT_NS[@]}:${#CLIENT_MAC[@]}" = 3:3 ]
nss=$(ip netns list | awk '{print $1}' | grep -c "^wardlab-$TAG-")
check "5 lab namespaces exist (br, srv, c1-c3) [$nss]" [ "$nss" -eq 5 ]
check "server has $WARD_LAB_SERVER_ADDR" \
	bash -c "ip -n '$WARD_LAB_SERVER_NS' -4 -o addr show dev '$WARD_LAB_SERVER_IF' | grep -q ' $WARD_LAB_SERVER_ADDR/24 '"
ports=$(ip -n "$WARD_LAB_BRIDGE_NS" -o link show master br0 | wc -l)
check "bridge br0 has 4 ports [$ports]" [ "$ports" -eq 4 ]
check "client 1 has no IPv4 address yet" [ -z "$(ip -n "${CLIENT_NS[0]}" -4 -o addr show dev eth0)" ]
check "exec runs in a client namespace" \
	bash -c "'$LAB' --tag '$TAG' exec 2 ip -o link show eth0 | grep -q '${CLIENT_MAC[1]}'"
check "nothing new in the root namespace" [ "$(host_state)" = "$HOST_BEFORE" ]

# 2. dnsmasq, DHCP only, in the server namespace -----------------------------
if DNSMASQ_PID=$(lab server --bg dnsmasq dnsmasq --keep-in-foreground \
	--conf-file=/dev/null --port=0 --log-facility=- --log-dhcp \
	--interface="$WARD_LAB_SERVER_IF" --bind-interfaces \
	--dhcp-range=10.53.0.100,10.53.0.150,12h \
	--dhcp-leasefile="$DIR/srv/leases" --pid-file="$DIR/srv/dnsmasq.pid"); then
	up=0
	for _ in $(seq 1 50); do # 5 s at most
		if ip netns exec "$WARD_LAB_SERVER_NS" ss -Hlun 'sport = :67' 2>/dev/null | grep -q .; then
			up=1
			break
		fi
		kill -0 "$DNSMASQ_PID" 2>/dev/null || break
		sleep 0.1
	done
	check "dnsmasq listens on :67 in $WARD_LAB_SERVER_NS (pid $DNSMASQ_PID)" [ $up -eq 1 ]
else
	bad "start dnsmasq"
fi

# 3. one real client per namespace -------------------------------------------
declare -A GOT
i=0
for kind in dhclient udhcpc dhcpcd; do
	i=$((i + 1))
	t0=$SECONDS
	out=$(lab client "$kind" "$i" --timeout 20)
	rc=$?
	addr=$(sed -n 's/^address=//p' <<<"$out")
	GOT[$i]=$addr
	if [ $rc -eq 0 ] && in_range "$addr"; then
		ok "$kind in c$i got $addr ($((SECONDS - t0)) s)"
	else
		bad "$kind in c$i: exit $rc, address '$addr'"
		printf '     %s\n' "${out//$'\n'/$'\n'     }"
	fi
	ifaddrs=$(ip -n "${CLIENT_NS[$((i - 1))]}" -4 -o addr show dev eth0 | awk '{print $4}')
	check "c$i eth0 carries ${addr:-?}/24 [$ifaddrs]" grep -qxF "$addr/24" <<<"$ifaddrs"
done
# again, as a daemon: a second run reuses its lease file (INIT-REBOOT) and
# leaves a running client for `down` to stop
out=$(lab client dhclient 1 --keep --timeout 20)
rc=$?
addr=$(sed -n 's/^address=//p' <<<"$out")
check "dhclient --keep in c1 gets ${GOT[1]:-?} again [$addr]" [ "$rc:$addr" = "0:${GOT[1]:-}" ]
kept=$(ip netns pids "${CLIENT_NS[0]}" | wc -l)
check "dhclient --keep is still running in c1 [$kept]" [ "$kept" -ge 1 ]

distinct=$(printf '%s\n' "${GOT[@]}" | sort -u | grep -c .)
check "three distinct addresses [${GOT[*]}]" [ "$distinct" -eq 3 ]

# 4. dnsmasq's lease file: one lease per client MAC ---------------------------
for _ in $(seq 1 30); do # dnsmasq writes on ACK; 3 s at most
	[ "$(wc -l <"$DIR/srv/leases" 2>/dev/null || echo 0)" -ge 3 ] && break
	sleep 0.1
done
n=$(wc -l <"$DIR/srv/leases" 2>/dev/null || echo 0)
check "lease file lists 3 leases [$n]" [ "$n" -eq 3 ]
# shellcheck disable=SC2016 # awk program
for i in 1 2 3; do
	mac=${CLIENT_MAC[$((i - 1))]}
	check "lease of c$i: $mac -> ${GOT[$i]:-?}" \
		awk -v m="$mac" -v a="${GOT[$i]:-none}" '$2 == m && $3 == a { f = 1 } END { exit !f }' "$DIR/srv/leases"
done
if [ $fail -gt 0 ]; then
	echo "--- leases"; cat "$DIR/srv/leases" 2>/dev/null
	echo "--- dnsmasq log"; tail -n 30 "$DIR/srv/dnsmasq.log" 2>/dev/null
fi

# 5. the host is untouched (resolv.conf, host name, lease dirs, links) --------
HOST_AFTER=$(host_state)
if [ "$HOST_AFTER" = "$HOST_BEFORE" ]; then
	ok "host resolv.conf, host name, /var/lib/dhcp*, /run/dhcpcd, links unchanged"
else
	bad "the host changed"
	diff <(echo "$HOST_BEFORE") <(echo "$HOST_AFTER") | sed 's/^/     /'
fi

# 6. down removes everything --------------------------------------------------
mapfile -t LAB_PIDS < <(for ns in $(ip netns list | awk '{print $1}' | grep "^wardlab-$TAG-"); do
	ip netns pids "$ns"
done)
check "dnsmasq is among the lab's processes" grep -qxF "$DNSMASQ_PID" < <(printf '%s\n' "${LAB_PIDS[@]}")
check "dhcp-lab down exits 0" lab down
left_ns=$(ip netns list | awk '{print $1}' | grep -c "^wardlab-$TAG-")
check "no lab namespace remains [$left_ns]" [ "$left_ns" -eq 0 ]
left=""
for p in "${LAB_PIDS[@]}"; do # zombies waiting for their reaper are dead
	st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
	[ "$st" = Z ] || left="$left $p"
done
check "no lab process remains (${#LAB_PIDS[@]} were running)${left:+ [left:$left]}" [ -z "$left" ]
stray=$(pgrep -f -- "$DIR" || true)
check "no process mentions $DIR${stray:+ [$stray]}" [ -z "$stray" ]
check "the lab directory is removed" [ ! -e "$DIR" ]
check "dhcp-lab down again exits 0" lab down
check "host still unchanged after down" [ "$(host_state)" = "$HOST_BEFORE" ]

summary
[ $fail -eq 0 ]
