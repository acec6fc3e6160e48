#!/usr/bin/env bash
# CLI tests of `ward lease`: check reports bad lines as FILE:LINE and the
# skipped DHCPv6 lines, writes nothing and exits 1 on damage; dump prints
# the leases by address in dnsmasq's format; compact rewrites the file
# without the bad lines and creates the journal; a torn journal tail is
# reported by check (exit 1), ignored by dump and cut by compact; a
# foreign journal is refused; usage errors exit 2.
#   WARD=path/to/bin/ward tests/cli/test_lease_cli.sh
# The last line is "N passed, M failed"; the exit status is non-zero when a
# check fails.
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-bin/ward}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect NAME STATUS COMMAND... : run, keep stdout+stderr in $TMP/out
expect() {
	local name=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>&1
	local got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$name (exit $got)"
	else
		bad "$name (exit $got, want $want)"
		sed 's/^/    | /' "$TMP/out" | head -n 12
	fi
}
contains() { # NAME TEXT (in $TMP/out)
	if grep -qF -- "$2" "$TMP/out"; then
		ok "$1"
	else
		bad "$1 ('$2' not in output)"
		sed 's/^/    | /' "$TMP/out" | head -n 12
	fi
}

F=$TMP/dnsmasq.leases
cat >"$F" <<'EOF'
1700000300 52:54:00:00:00:03 192.168.1.30 gamma 01:52:54:00:00:00:03
1700000100 52:54:00:00:00:01 192.168.1.9 alpha *
1700000200 52:54:00:00:00:02 192.168.1.300 broken *
duid 00:01:00:01:2a:2b:2c:2d:52:54:00:12:34:56
1700000400 12345678 fd00::10 laptop6 00:01:00:01:2a:2b:2c:2d
0 06-00:11:22:33:44:55 192.168.1.10 printer *
not a lease
EOF
cp "$F" "$TMP/orig"

expect "check: bad lines make exit 1" 1 "$WARD" lease check "$F"
contains "check names line 3" "$F:3: malformed IP address"
contains "check names line 7" "$F:7: lease line: wrong number of fields"
contains "check counts" "7 lines, 3 leases, 2 bad, 0 duplicate addresses; skipped 1 duid, 1 DHCPv6, 0 extra lines"
if cmp -s "$F" "$TMP/orig" && [ ! -e "$F.journal" ]; then
	ok "check wrote nothing (no journal created)"
else
	bad "check changed the files"
fi

"$WARD" lease dump "$F" >"$TMP/dump" 2>"$TMP/dump.err"
printf '%s\n' \
	"1700000100 52:54:00:00:00:01 192.168.1.9 alpha *" \
	"0 06-00:11:22:33:44:55 192.168.1.10 printer *" \
	"1700000300 52:54:00:00:00:03 192.168.1.30 gamma 01:52:54:00:00:00:03" >"$TMP/want"
if cmp -s "$TMP/dump" "$TMP/want"; then
	ok "dump: the three leases by address, dnsmasq's format"
else
	bad "dump output differs"
	diff "$TMP/want" "$TMP/dump" | sed 's/^/    | /'
fi
if grep -qF "$F:3:" "$TMP/dump.err"; then ok "dump reports bad lines on stderr"; else bad "dump stderr"; fi

expect "compact exits 1 (bad lines were found) and rewrites" 1 "$WARD" lease compact "$F"
contains "compact says so" "rewritten with 3 leases, journal emptied"
if cmp -s "$F" "$TMP/want"; then ok "compacted file = the dump"; else bad "compacted file"; fi
if [ "$(stat -c %s "$F.journal")" -eq 8 ]; then ok "journal created, header only"; else bad "journal size"; fi
expect "check after compact is clean" 0 "$WARD" lease check "$F"
contains "check: journal with 0 records" "$F.journal: 0 records"

# a torn tail: a record header promising more than is there
printf '\000\100\001\002\003\004\001' >>"$F.journal"
expect "check: torn journal tail makes exit 1" 1 "$WARD" lease check "$F"
contains "check reports the torn tail" "torn tail of 7 octets at offset 8"
"$WARD" lease dump "$F" >"$TMP/dump" 2>/dev/null
if cmp -s "$TMP/dump" "$TMP/want"; then ok "dump ignores the torn tail"; else bad "dump with torn tail"; fi
expect "compact with a torn tail exits 1 (reported)" 1 "$WARD" lease compact "$F"
if [ "$(stat -c %s "$F.journal")" -eq 8 ]; then ok "compact cut the torn tail"; else bad "journal after compact"; fi
expect "check is clean again" 0 "$WARD" lease check "$F"

printf 'not ours\n' >"$F.journal"
expect "a foreign journal is refused" 2 "$WARD" lease check "$F"
contains "and named" "lease journal has a foreign header"
if [ "$(cat "$F.journal")" = "not ours" ]; then ok "foreign journal left alone"; else bad "foreign journal changed"; fi

expect "missing file: exit 2" 2 "$WARD" lease check "$TMP/none"
contains "missing file named" "No such file or directory"
expect "unknown action: exit 2" 2 "$WARD" lease frobnicate "$F"
expect "help: exit 0" 0 "$WARD" lease --help
contains "help text" "ward lease check FILE"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
