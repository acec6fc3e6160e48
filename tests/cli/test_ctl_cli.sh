#!/usr/bin/env bash
# CLI test: the `ward ctl` client (tools/cmd_ctl.c) without a wardd: usage
# errors are found before connecting (exit 2), no socket (exit 1), and the
# response framing (docs/ctl.md) read from a scripted unix-socket server:
# data lines printed, the status code is the exit status, a response cut
# short or not in the protocol is a failure (exit 1). The request the
# server receives is checked too. Nothing leaves this machine.
set -u
WARD=${WARD:-bin/ward}
tmp=$(mktemp -d)
pass=0
fail=0
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
check() { # description, command (exit status 0 = pass)
	local d=$1
	shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi
}
has() { grep -q -- "$2" <<<"$1"; }
rc_has() { [ "$1" -eq "$2" ] && has "$3" "$4"; }

out=$("$WARD" ctl 2>&1); rc=$?
check "no command: usage, exit 2" rc_has $rc 2 "$out" "usage: ward ctl"
out=$("$WARD" ctl --help 2>&1); rc=$?
check "--help: exit 0, lists leases delete" rc_has $rc 0 "$out" "leases delete IP|MAC"
out=$("$WARD" ctl --socket "$tmp/none" frobnicate 2>&1); rc=$?
check "unknown command: exit 2 before connecting" rc_has $rc 2 "$out" "unknown command 'frobnicate'"
out=$("$WARD" ctl --socket "$tmp/none" cache dump a..b 2>&1); rc=$?
check "bad name: exit 2" rc_has $rc 2 "$out" "is not a domain name"
out=$("$WARD" ctl --socket "$tmp/none" leases delete 1.2.3 2>&1); rc=$?
check "bad address: exit 2" rc_has $rc 2 "$out" "neither an IPv4 address nor a MAC"
out=$("$WARD" ctl --socket "$tmp/none" cache dump "a b" 2>&1); rc=$?
check "an argument with a space: exit 2" rc_has $rc 2 "$out" "printable words"
out=$("$WARD" ctl --timeout 0 ping 2>&1); rc=$?
check "--timeout 0: exit 2" rc_has $rc 2 "$out" "1..3600"
out=$("$WARD" ctl --socket "$tmp/none" ping 2>&1); rc=$?
check "no socket: exit 1, says nobody listens" rc_has $rc 1 "$out" "no wardd listens on $tmp/none"

# a scripted server: for each connection, record the request and send the
# next canned response
python3 - "$tmp/s.sock" "$tmp/requests" <<'PY' &
import os, socket, sys
path, log = sys.argv[1], sys.argv[2]
responses = [
    b" line one\n line two\nend 0 2 things\n",
    b"end 2 bad request: no\n",
    b" partial data\n",                      # no status line
    b"HTTP/1.0 200 OK\n",                    # not the protocol
    b" x\nend 1 no lease for 10.0.0.9\n",
    b" {\"a\":1}\nend 0\n",
]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(4)
with open(log, "wb", buffering=0) as f:
    for r in responses:
        c, _ = s.accept()
        c.settimeout(5)
        req = b""
        while not req.endswith(b"\n"):
            b = c.recv(100)
            if not b:
                break
            req += b
        f.write(req)
        c.sendall(r)
        c.close()
PY
pid=$!
for _ in $(seq 50); do [ -S "$tmp/s.sock" ] && break; sleep 0.1; done
ctl() { "$WARD" ctl --socket "$tmp/s.sock" "$@"; }
out=$(ctl cache dump example.com 2>"$tmp/err"); rc=$?
check "data lines on stdout without their space, exit 0" rc_has $rc 0 "$out" "^line one$"
check "both data lines" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
check "the status text on stderr" has "$(cat "$tmp/err")" "ward ctl: 2 things"
out=$(ctl stats 2>&1); rc=$?
check "end 2: exit 2 with the text" rc_has $rc 2 "$out" "ward ctl: bad request: no"
out=$(ctl ping 2>&1); rc=$?
check "no status line: exit 1, connection closed" rc_has $rc 1 "$out" "connection closed before the response ended"
out=$(ctl ping 2>&1); rc=$?
check "not the protocol: exit 1" rc_has $rc 1 "$out" "not a control protocol line"
out=$(ctl leases delete 10.0.0.9 2>&1); rc=$?
check "end 1: exit 1" rc_has $rc 1 "$out" "no lease for 10.0.0.9"
out=$(ctl stats --json 2>/dev/null); rc=$?
check "JSON data line passed through" rc_has $rc 0 "$out" '^{"a":1}$'
wait "$pid" 2>/dev/null
pid=""
want=$'cache dump example.com\nstats\nping\nping\nleases delete 10.0.0.9\nstats --json'
check "the requests sent: one line each, words joined by one space" [ "$(cat "$tmp/requests")" = "$want" ]

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
