#!/bin/bash
# tests/integration/testbed_lifecycle.sh: the testbed survives being brought
# up twice, down twice and a crashed server, and `down` leaves no process,
# listener or network namespace behind. Ends with "N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
# one testbed at a time on this machine (its addresses are fixed): the
# same lock wardd_lib.sh, scripts/demo and the helpers' tests take
exec 9>/tmp/ward-testbed.lock
if ! flock -w 900 9; then
	echo "FAIL: could not get /tmp/ward-testbed.lock in 15 minutes"
	exit 1
fi
DIR=$(mktemp -d /tmp/ward-testbed-life.XXXXXX)
trap 'testbed/down "$DIR" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
trap 'exit 130' INT TERM
pass=0; fail=0
check() { # check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then pass=$((pass + 1)); echo "ok - $d"
	else fail=$((fail + 1)); echo "not ok - $d"; fi
}
NAMES="nsd-root knot-root nsd-tld knot-tld nsd-leaf knot-leaf sink unbound kresd dnsmasq"
pidof_tb() { cat "$DIR/run/$1.pid" 2>/dev/null; }
# alive PID: running (a zombie, left unreaped by whoever adopted it, is dead)
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && [ "$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]; }
all_alive() { local n; for n in $NAMES; do alive "$(pidof_tb "$n")" || return 1; done; }
snapshot() { local n; for n in $NAMES; do printf '%s=%s ' "$n" "$(pidof_tb "$n")"; done; }
# processes the testbed started: WARD_TB_OWNER=DIR in their environment, or
# DIR in their command line
leftovers() {
	local f p
	for f in /proc/[0-9]*/cmdline; do
		p=${f#/proc/}; p=${p%/cmdline}
		[ "$p" = $$ ] && continue
		{ tr '\0' '\n' <"/proc/$p/environ" | grep -qxF "WARD_TB_OWNER=$DIR" ||
		  tr '\0' ' ' <"$f" | grep -qF "$DIR/"; } 2>/dev/null && echo "$p"
	done
	return 0
}
no_leftovers() { [ -z "$(leftovers)" ]; }
no_listeners() { ! ss -Hlnut | awk '{print $5}' | grep -q '^127\.53\.'; }
answers() { dig +norec +time=2 +tries=1 @"$1" "$2" SOA | grep -q 'status: NOERROR'; }
resolves() { dig +time=10 +tries=1 @"$1" www.alg13.nsec. A | grep -q 'flags:.* ad'; }
netns_before=$(ip netns list 2>/dev/null | sort)

check "nothing of ours listens before" no_listeners
check "up (first) succeeds" eval 'env1=$(testbed/up "$DIR")'
check "up prints the assignments" grep -q "^WARD_TB_UNBOUND=127.53.1.1" <<<"${env1:-}"
check "all ten processes run" all_alive
check "a root server answers" answers 127.53.0.1 .
check "unbound validates through the testbed" resolves 127.53.1.1
before=$(snapshot)
check "up (second) succeeds" eval 'env2=$(testbed/up "$DIR" 2>"$DIR/up2.err")'
check "second up reports already running" grep -q "already running" "$DIR/up2.err"
check "second up leaves the same processes" test "$before" = "$(snapshot)"
check "second up prints the same assignments" test "${env1:-x}" = "${env2:-y}"

# crash a server: kill -9 the NSD root (its whole process group)
crashed=$(pidof_tb nsd-root)
kill -KILL -- "-$crashed" 2>/dev/null
sleep 0.5
check "the crashed NSD is gone" eval '! alive "$crashed"'
check "up after the crash succeeds" eval 'testbed/up "$DIR" >/dev/null 2>"$DIR/up3.err"'
check "up restarts only the crashed server" grep -q "restarting what is not running: nsd-root$" "$DIR/up3.err"
check "the restarted NSD has a new pid" bash -c "[ \"$(pidof_tb nsd-root)\" != \"$crashed\" ]"
check "the other processes were left alone" test "$(snapshot | sed 's/nsd-root=[0-9]* //')" = "$(sed 's/nsd-root=[0-9]* //' <<<"$before")"
check "the restarted root answers" answers 127.53.0.1 .

# crash a Knot server and a peer: up restarts both
kill -KILL "$(pidof_tb knot-tld)" "$(pidof_tb kresd)" 2>/dev/null
sleep 0.5
check "up after two more crashes succeeds" eval 'testbed/up "$DIR" >/dev/null 2>/dev/null'
check "all ten processes run again" all_alive
check "the restarted Knot answers" answers 127.53.0.12 testbed.
check "the restarted kresd validates" resolves 127.53.1.2

# a capture starts and stops its own Unbound and recorder
check "capture writes a pcap" testbed/capture www.alg13.nsec. A "$DIR/alg13.pcap" "$DIR"
check "the pcap holds the upstream side" bash -c "[ \$(wc -c <'$DIR/alg13.pcap') -gt 2000 ]"
check "capture leaves no recorder or extra Unbound" bash -c "! ls '$DIR'/run/capture-*.pid >/dev/null 2>&1 && ! ss -Hlnut | grep -q '127.53.2.1:53 '"

check "down (first) succeeds" testbed/down "$DIR"
check "down leaves no process behind" no_leftovers
check "down leaves no listener on 127.53/16" no_listeners
check "down removes the pid files" bash -c "! ls '$DIR'/run/*.pid >/dev/null 2>&1"
check "down (second) succeeds" testbed/down "$DIR"
check "no network namespace left behind" test "$netns_before" = "$(ip netns list 2>/dev/null | sort)"

# a crashed server is also cleaned up by down: up, crash, down
check "up again from scratch succeeds" eval 'testbed/up "$DIR" >/dev/null 2>&1'
kill -KILL "$(pidof_tb nsd-leaf)" 2>/dev/null
check "down after a crash succeeds" testbed/down "$DIR"
check "down after a crash leaves no process behind" no_leftovers
check "down after a crash leaves no listener" no_listeners

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
