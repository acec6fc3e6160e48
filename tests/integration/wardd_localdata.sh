#!/bin/bash
# tests/integration/wardd_localdata.sh: local data through the daemon,
# side by side with dnsmasq on the same configuration. Both forward to the
# same loopback upstream; for every query the rcode and the answer section
# (TTLs ignored) of wardd must equal dnsmasq's. Then SIGHUP: an addn-hosts
# file is changed, both re-read it, and the new addresses are answered.
. "$(dirname "$0")/wardd_lib.sh"

# The engine answers from local data once resolver/engine_local.c (the
# engine helper's work) is in the tree; without it there is nothing to test.
if [ ! -f resolver/engine_local.c ]; then
	echo "skip: this tree's engine does not consult local data yet (resolver/engine_local.c is absent)"
	exit 77
fi

UP=127.0.77.1
UP_PORT=5331
W=127.0.77.30
D=127.0.77.31
PORT=5330

wl_start_upstream "$UP" "$UP_PORT" --local-ttl=300 --local=/up.test/ --local=/example/ \
	--host-record=www.up.test,192.0.2.80

cat >"$WL_DIR/hosts1" <<EOF
192.0.2.101 alpha
192.0.2.102 beta beta-alias
2001:db8::103 gamma
EOF
chmod 644 "$WL_DIR/hosts1"
cat >"$WL_DIR/common.conf" <<EOF
port=$PORT
bind-interfaces
no-resolv
no-hosts
server=$UP#$UP_PORT
addn-hosts=$WL_DIR/hosts1
expand-hosts
domain=lan
local=/lan/
local-ttl=60
host-record=nas.lan,nas,192.168.1.5,fd00::5
host-record=printer.lan,192.168.1.9
address=/ads.example/0.0.0.0
address=/block.example/
address=/null.example/#
cname=files.lan,nas.lan
txt-record=info.lan,"hello world","second"
srv-host=_ldap._tcp.lan,nas.lan,389,1,2
mx-host=lan,nas.lan,10
ptr-record=_http._tcp.lan,web._http._tcp.lan
domain-needed
bogus-priv
EOF

wl_start_wardd w --conf-file="$WL_DIR/common.conf" --listen-address="$W" --pid-file= --user=
WPID=$WL_WARDD_PID
dnsmasq --keep-in-foreground --conf-file="$WL_DIR/common.conf" --listen-address="$D" \
	--pid-file= --user=root --log-facility="$WL_DIR/dnsmasq.log" &
DPID=$!
WL_PIDS+=("$DPID")
wl_wait_dns "$W" "$PORT" || { cat "$WL_DIR/w.out" "$WL_DIR/w.log"; echo "FAIL: wardd did not start"; exit 1; }
wl_wait_dns "$D" "$PORT" || { echo "FAIL: dnsmasq did not start"; exit 1; }

# rcode, AA, and the sorted answer section without TTLs
answer() { # server name type
	dig +time=5 +tries=1 @"$1" -p "$PORT" "$2" "$3" | awk '
		/status:/ { sub(/,.*/, "", $6); rc = $6 }
		/^;; flags:/ { aa = ($0 ~ / aa[ ;]/) ? "aa" : "-" }
		/^;; ANSWER SECTION:/ { ans = 1; next }
		/^$/ { ans = 0 }
		ans && !/^;/ { $2 = ""; print "  " tolower($0) }
		END { print rc, aa }' | sort
}

# the AA bit is compared for local names only: dnsmasq relays the upstream's
# AA on forwarded answers, wardd sets AA only on its own local data
same() { # name type [noaa]
	local a b
	a=$(answer "$W" "$1" "$2")
	b=$(answer "$D" "$1" "$2")
	if [ -n "${3:-}" ]; then
		a=$(sed 's/ aa$/ -/' <<<"$a")
		b=$(sed 's/ aa$/ -/' <<<"$b")
	fi
	if [ "$a" = "$b" ]; then
		return 0
	fi
	echo "     wardd:   $(tr '\n' '|' <<<"$a")"
	echo "     dnsmasq: $(tr '\n' '|' <<<"$b")"
	return 1
}

# Known difference, not compared: address=/ads.example/0.0.0.0 and a query
# for AAAA. dnsmasq forwards it and turns the upstream's NXDOMAIN into
# NODATA (the name exists locally); wardd relays the NXDOMAIN.
queries=(
	"nas.lan A" "nas A" "nas.lan AAAA" "printer.lan A" "files.lan A"
	"info.lan TXT" "_ldap._tcp.lan SRV" "lan MX" "_http._tcp.lan PTR"
	"alpha A" "alpha.lan A" "beta-alias.lan A" "gamma.lan AAAA" "alpha.lan AAAA"
	"nothere.lan A" "x.ads.example A" "block.example A"
	"sub.block.example AAAA" "null.example A" "null.example AAAA"
	"5.1.168.192.in-addr.arpa PTR" "101.2.0.192.in-addr.arpa PTR"
	"7.7.10.10.in-addr.arpa PTR" "plainname A" "www.up.test A noaa"
	"nx.up.test A noaa"
)
for q in "${queries[@]}"; do
	# shellcheck disable=SC2086
	check "same as dnsmasq: $q" same $q
done
out=$(answer "$W" nas.lan A)
check "local answers carry AA" grep -q "NOERROR aa" <<<"$out"

# SIGHUP: the hosts file changes, both re-read it
cat >"$WL_DIR/hosts1" <<EOF
192.0.2.111 alpha
192.0.2.104 delta
EOF
kill -HUP "$WPID" "$DPID"
sleep 0.5
out=$(dig +short @"$W" -p "$PORT" delta.lan A)
check "SIGHUP: a new hosts entry is answered" [ "$out" = 192.0.2.104 ]
out=$(dig +short @"$W" -p "$PORT" alpha A)
check "SIGHUP: a changed hosts entry is answered" [ "$out" = 192.0.2.111 ]
for q in "delta A" "alpha.lan A" "beta A" "nas.lan A"; do
	# shellcheck disable=SC2086
	check "after SIGHUP, same as dnsmasq: $q" same $q
done
check "SIGHUP logged" grep -q "reloaded: cache cleared" "$WL_DIR/w.log"
kill -USR1 "$WPID"
sleep 0.3
check "SIGUSR1: local answers counted" grep -Eq "queries answered locally [1-9]" "$WL_DIR/w.log"
wl_finish
