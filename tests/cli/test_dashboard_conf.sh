#!/usr/bin/env bash
# CLI tests of the dashboard options in `ward conf check` / `ward conf dump`
# (daemon/conf_dashboard.c): good values accepted and dumped, bad values
# reported with file:line, the password refused on a non-loopback address
# without TLS, TLS half configured. The last line is "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
WARD=${WARD:-bin/ward}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect NAME STATUS TEXT CONF-LINES...: ward conf check exits STATUS and
# prints TEXT
expect() {
	local name=$1 want=$2 text=$3
	shift 3
	printf '%s\n' "$@" >"$TMP/c.conf"
	"$WARD" conf check "$TMP/c.conf" >"$TMP/out" 2>&1
	local rc=$?
	if [ "$rc" = "$want" ] && grep -qF -- "$text" "$TMP/out"; then
		ok "$name"
	else
		bad "$name (exit $rc, want $want; '$text' expected)"
		sed 's/^/    | /' "$TMP/out" | head -n 8
	fi
}

expect "IPv4 address and port" 0 "0 errors" "dashboard-address=127.0.0.1#8053"
expect "IPv6 address and port" 0 "0 errors" "dashboard-address=::1#8053"
expect "password on loopback" 0 "0 errors" "dashboard-address=127.0.0.1#8053" "dashboard-password=pw"
expect "password on ::1" 0 "0 errors" "dashboard-address=::1#9000" "dashboard-password=pw"
expect "password with TLS on any address" 0 "0 errors" "dashboard-address=0.0.0.0#8443" \
	"dashboard-password=pw" "dashboard-tls-cert=/etc/ward/cert.pem" "dashboard-tls-key=/etc/ward/key.pem"
expect "no port" 2 "c.conf:1: option 'dashboard-address': '127.0.0.1' needs the form IP#PORT" \
	"dashboard-address=127.0.0.1"
expect "port 0" 2 "c.conf:2: option 'dashboard-address'" "# x" "dashboard-address=127.0.0.1#0"
expect "port too big" 2 "c.conf:1: option 'dashboard-address'" "dashboard-address=127.0.0.1#70000"
expect "not an address" 2 "c.conf:1: option 'dashboard-address'" "dashboard-address=localhost#80"
expect "given twice" 2 "c.conf:2" "dashboard-address=127.0.0.1#1" "dashboard-address=127.0.0.1#2"
expect "password in clear on a LAN address" 2 \
	"c.conf:3: option 'dashboard-password': refused on the non-loopback dashboard-address" \
	"dashboard-address=192.168.1.1#8053" "# the password" "dashboard-password=pw"
expect "password on the wildcard address" 2 "refused on the non-loopback" \
	"dashboard-address=0.0.0.0#8053" "dashboard-password=pw"
expect "empty password" 2 "c.conf:1: option 'dashboard-password': the password is empty" \
	"dashboard-password="
expect "TLS certificate without key" 2 "c.conf:2: option 'dashboard-tls-cert': needs dashboard-tls-key=" \
	"dashboard-address=127.0.0.1#8053" "dashboard-tls-cert=/x.pem"
expect "options without an address warn" 0 "c.conf:1: warning: dashboard options without dashboard-address=" \
	"dashboard-password=pw"

expect "the dashboard's blocklist file" 0 "0 errors" "dashboard-address=127.0.0.1#8053" \
	"dashboard-blocklist=/var/lib/ward/dash.list"
expect "dashboard-blocklist without a file" 2 "c.conf:1: option 'dashboard-blocklist'" \
	"dashboard-blocklist="

printf '%s\n' "dashboard-address=::1#8053" "dashboard-password=pw" "dashboard-blocklist=/var/lib/ward/d.list" >"$TMP/d.conf"
"$WARD" conf dump "$TMP/d.conf" >"$TMP/dump" 2>&1
if grep -qx 'dashboard-address=::1#8053' "$TMP/dump" && grep -qx 'dashboard-password=pw' "$TMP/dump" &&
   grep -qx 'dashboard-blocklist=/var/lib/ward/d.list' "$TMP/dump"; then
	ok "dump prints the options"
else
	bad "dump prints the options"
	cat "$TMP/dump"
fi
"$WARD" conf check "$TMP/dump" >/dev/null 2>&1 && ok "the dump reads back" || bad "the dump reads back"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
