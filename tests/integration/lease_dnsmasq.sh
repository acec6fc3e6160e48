#!/usr/bin/env bash
# tests/integration/lease_dnsmasq.sh — lease files move between dnsmasq and
# ward both ways, with a lease file written by a real dnsmasq for real
# clients (the netns DHCP lab, testbed/dhcp-lab; docs/leases.md):
#   1. dnsmasq (DHCP only, in the lab's server namespace) leases addresses to
#      udhcpc (c1: host name, client id 01:MAC), dhclient (c2: no client id)
#      and dhcpcd (c3: a long RFC 4361 client id), then is stopped;
#   2. `ward lease check` reads its file cleanly, `ward lease dump` prints the
#      same lines dnsmasq wrote, and `ward lease compact` (the store's
#      rewrite) writes them back byte for byte;
#   3. dnsmasq restarted on the file ward wrote keeps every lease: after a
#      fourth client (c4) gets one, dnsmasq's own rewrite still holds the
#      three lines unchanged.
# Needs root; skips (exit 0) without root or netns, like dhcp_lab.sh. Holds
# /tmp/ward-dhcplab.lock while the lab is up. Ends "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
LAB=$PWD/testbed/dhcp-lab
WARD=${WARD:-$PWD/bin/ward}
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
for t in dnsmasq dhclient udhcpc dhcpcd unshare timeout ss flock; do
	command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	bad "tools missing:$missing (make deps installs them)"
	summary
	exit 1
fi
if [ ! -x "$WARD" ]; then
	bad "$WARD not built (make)"
	summary
	exit 1
fi

exec 9>/tmp/ward-dhcplab.lock
if ! flock -w 600 9; then
	bad "could not take /tmp/ward-dhcplab.lock in 600 s"
	summary
	exit 1
fi

TAG="lz$$"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/wardlab-lease.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ward-lease-it.XXXXXX")
DNSMASQ_PID=""
lab() { "$LAB" --tag "$TAG" --dir "$DIR" "$@"; }

stop_dnsmasq() {
	[ -n "$DNSMASQ_PID" ] || return 0
	kill "$DNSMASQ_PID" 2>/dev/null
	for _ in $(seq 1 50); do # 5 s at most
		kill -0 "$DNSMASQ_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$DNSMASQ_PID" 2>/dev/null
	DNSMASQ_PID=""
}
cleanup() {
	stop_dnsmasq
	lab down >/dev/null 2>&1 || true
	[ -d "$DIR" ] && rm -rf -- "$DIR"
	rm -rf -- "$WORK"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_dnsmasq() { # lease file
	DNSMASQ_PID=$(lab server --bg "dnsmasq$2" dnsmasq --keep-in-foreground \
		--conf-file=/dev/null --port=0 --log-facility=- --log-dhcp \
		--interface="$WARD_LAB_SERVER_IF" --bind-interfaces \
		--dhcp-range=10.53.0.100,10.53.0.150,12h \
		--dhcp-leasefile="$1" --pid-file="$DIR/srv/dnsmasq$2.pid") || return 1
	for _ in $(seq 1 50); do # 5 s at most
		ip netns exec "$WARD_LAB_SERVER_NS" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && return 0
		kill -0 "$DNSMASQ_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

wait_lines() { # file n: dnsmasq writes on ACK; 3 s at most
	for _ in $(seq 1 30); do
		[ "$(grep -c . "$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# 1. dnsmasq leases to three real clients -------------------------------------
if ! ENV_OUT=$(lab up --clients 4); then
	bad "dhcp-lab up"
	summary
	exit 1
fi
eval "$ENV_OUT"
read -r -a CLIENT_MAC <<<"${WARD_LAB_CLIENT_MACS:-}"
LEASES=$DIR/srv/leases
check "dnsmasq serves DHCP in $WARD_LAB_SERVER_NS" start_dnsmasq "$LEASES" 1
i=0
for kind in udhcpc dhclient dhcpcd; do
	i=$((i + 1))
	out=$(lab client "$kind" "$i" --timeout 20)
	check "$kind in c$i gets a lease ($(sed -n 's/^address=//p' <<<"$out"))" [ $? -eq 0 ]
done
check "dnsmasq wrote 3 leases" wait_lines "$LEASES" 3
stop_dnsmasq
cp "$LEASES" "$WORK/dnsmasq.leases"
echo "--- dnsmasq's lease file"
sed 's/^/     /' "$WORK/dnsmasq.leases"
# shellcheck disable=SC2016 # awk programs
check "c1's lease has udhcpc's host name and client id 01:MAC" \
	awk -v m="${CLIENT_MAC[0]}" '$2 == m && $4 == "lab-c1" && $5 == "01:" m { f = 1 } END { exit !f }' "$WORK/dnsmasq.leases"
# shellcheck disable=SC2016
check "c3's lease has a client id longer than 01:MAC (dhcpcd)" \
	awk -v m="${CLIENT_MAC[2]}" '$2 == m && length($5) > 20 { f = 1 } END { exit !f }' "$WORK/dnsmasq.leases"

# 2. ward reads it and writes the same lines ----------------------------------
F=$WORK/leases
cp "$WORK/dnsmasq.leases" "$F"
out=$("$WARD" lease check "$F")
rc=$?
printf '     %s\n' "${out//$'\n'/$'\n'     }"
# shellcheck disable=SC2016 # the inner shell expands them
check "ward lease check: exit 0, 3 leases, 0 bad" \
	bash -c '[ "$1" -eq 0 ] && grep -q "3 lines, 3 leases, 0 bad" <<<"$2"' _ "$rc" "$out"
check "ward lease check wrote nothing" cmp -s "$F" "$WORK/dnsmasq.leases"
check "ward lease check created no journal" [ ! -e "$F.journal" ]
"$WARD" lease dump "$F" >"$WORK/dump"
check "ward lease dump prints dnsmasq's lines exactly" \
	diff <(sort "$WORK/dnsmasq.leases") <(sort "$WORK/dump")
check "ward lease compact exits 0" "$WARD" lease compact "$F"
check "the file ward rewrote has dnsmasq's lines byte for byte" \
	diff <(sort "$WORK/dnsmasq.leases") <(sort "$F")
check "the journal is empty after compaction (header only)" [ "$(stat -c %s "$F.journal")" -eq 8 ]

# 3. dnsmasq reads ward's file and keeps every lease --------------------------
cp "$F" "$LEASES"
check "dnsmasq restarts on ward's lease file" start_dnsmasq "$LEASES" 2
out=$(lab client udhcpc 4 --timeout 20)
check "udhcpc in c4 gets a lease ($(sed -n 's/^address=//p' <<<"$out"))" [ $? -eq 0 ]
check "dnsmasq rewrote its file with 4 leases" wait_lines "$LEASES" 4
stop_dnsmasq
echo "--- dnsmasq's lease file after reading ward's"
sed 's/^/     /' "$LEASES"
# shellcheck disable=SC2016 # the inner shell expands them
check "dnsmasq kept ward's 3 lines unchanged" \
	bash -c 'diff <(sort "$1") <(grep -vF -- "$3" "$2" | sort)' _ "$F" "$LEASES" "${CLIENT_MAC[3]}"
check "and added c4's lease" grep -qF -- " ${CLIENT_MAC[3]} " "$LEASES"

check "dhcp-lab down exits 0" lab down
summary
[ $fail -eq 0 ]
