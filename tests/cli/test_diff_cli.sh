#!/usr/bin/env bash
# CLI test: ward diff between two loopback dnsmasq servers with different
# address= lines (nothing leaves 127.0.0.0/8): grouping by kind and the
# counts, both answers listed, --json (python3 -m json.tool), --pcap from a
# capture made here, exit codes (0 same, 1 differ, 2 error: unreachable
# server, unreadable file, bad usage), and the dnsmasq migration check
# (--conf FILE --against dnsmasq: dnsmasq and wardd from one file, both
# forwarding to a loopback dnsmasq) plus --against dnsmasq --conf with a
# given server. Every process started here is stopped by pid in a trap.
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}
A=127.77.2.1
B=127.77.2.2
U=127.77.2.3
PORT=${WARD_TEST_PORT:-53611}
tmp=$(mktemp -d /tmp/ward-difftest.XXXXXX)
pass=0
fail=0
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check() { # description, command (exit status 0 = pass)
	local d=$1
	shift
	if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi
}

for tool in dnsmasq python3; do
	if ! command -v $tool >/dev/null; then
		echo "FAIL: $tool not installed (scripts/deps installs it)"
		exit 1
	fi
done

start_dnsmasq() { # addr port log options...
	local addr=$1 port=$2 log=$3
	shift 3
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--listen-address="$addr" --bind-interfaces --port="$port" --user=root \
		--pid-file= --log-facility="$tmp/$log" "$@" &
	pids+=($!)
	for _ in $(seq 50); do
		"$WARD" query @"$addr#$port" +timeout=1 +tries=1 up.invalid >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "FAIL: dnsmasq on $addr#$port did not start"
	exit 1
}

# A and B agree on same.test, sub.same.test, the TXT; differ in the address
# of diff.test (answer), in whether only.test exists (A: NOERROR aa, B:
# NXDOMAIN without aa: rcode, flags, answer) and in the MX of mx.test (A
# has one; B has none and no upstream: REFUSED, no aa, EDE 14: rcode,
# flags, answer, ede).
start_dnsmasq $A $PORT a.log --address=/same.test/192.0.2.1 \
	--address=/diff.test/192.0.2.2 --address=/only.test/192.0.2.3 \
	--txt-record=txt.same.test,hello --mx-host=mx.test,mail.test,10 \
	--address=/mx.test/192.0.2.9
start_dnsmasq $B $PORT b.log --address=/same.test/192.0.2.1 \
	--address=/diff.test/192.0.2.99 --txt-record=txt.same.test,hello \
	--address=/mx.test/192.0.2.9 --address=/only.test/
cat >"$tmp/q.txt" <<'Q'
# comment lines and blank lines are skipped

same.test A
sub.same.test A +cd
txt.same.test TXT +dnssec
diff.test A
only.test A
mx.test MX
Q
printf 'same.test A\ntxt.same.test TXT\n' >"$tmp/same.txt"

"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/q.txt" >"$tmp/out" 2>"$tmp/err"
check "differences: exit 1" test $? -eq 1
check "summary counts 6 queries, 3 differ" grep -q '^6 queries, 3 differ' "$tmp/out"
check "answer kind counted 3 times" grep -Eq '^  answer +3$' "$tmp/out"
check "rcode kind counted twice" grep -Eq '^  rcode +2$' "$tmp/out"
check "flags kind counted twice" grep -Eq '^  flags +2$' "$tmp/out"
check "ede kind counted once" grep -Eq '^  ede +1$' "$tmp/out"
check "no timeout/authority kinds" bash -c "! grep -Eq '^  (timeout|authority) ' '$tmp/out'"
check "grouped: an '== answer (3)' section" grep -q '^== answer (3)$' "$tmp/out"
check "both answers of diff.test listed" \
	bash -c "grep -A12 '^diff.test A' '$tmp/out' | grep -q '192.0.2.2' && grep -A12 '^diff.test A' '$tmp/out' | grep -q '192.0.2.99'"
check "only.test: NXDOMAIN on B shown" bash -c "grep -A8 '^only.test A' '$tmp/out' | grep -q 'status: NXDOMAIN'"
check "same names not listed" bash -c "! grep -q '^same.test A' '$tmp/out'"

"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/q.txt" --json >"$tmp/json"
check "--json: exit 1" test $? -eq 1
check "--json parses" bash -c "python3 -m json.tool '$tmp/json' >/dev/null"
check "--json: summary and differing queries" python3 - "$tmp/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["queries"] == 6 and s["differing"] == 3, s
assert s["kinds"] == {"timeout": 0, "rcode": 2, "flags": 2, "answer": 3,
                      "authority": 0, "additional": 0, "ede": 1}, s["kinds"]
qs = sorted(x["query"] for x in d["differences"])
assert qs == ["diff.test A", "mx.test MX", "only.test A"], qs
diff = [x for x in d["differences"] if x["query"] == "diff.test A"][0]
assert any("192.0.2.99" in r for r in diff["b"]["answer"]), diff
PY

"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/same.txt" >"$tmp/out"
check "no difference: exit 0" test $? -eq 0
check "no difference: '2 queries, 0 differ'" grep -q '^2 queries, 0 differ' "$tmp/out"
"$WARD" diff $A#$PORT $A#$PORT --queries "$tmp/q.txt" >/dev/null
check "a server against itself: exit 0" test $? -eq 0

# TTLs: dnsmasq answers local data with TTL 0; --ttl still agrees, and
# a query whose TTL differs would show (checked via --order/--ttl accepted)
"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/same.txt" --ttl --order >/dev/null
check "--ttl --order on equal answers: exit 0" test $? -eq 0

"$WARD" diff $A#$PORT 127.77.2.9#$PORT --queries "$tmp/q.txt" --timeout 0.3 >"$tmp/out" 2>"$tmp/err"
check "unreachable server: exit 2" test $? -eq 2
check "unreachable server: a message naming it" grep -q '127.77.2.9#53611 answered none' "$tmp/err"
"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/nonexistent" 2>"$tmp/err"
check "unreadable queries file: exit 2" test $? -eq 2
check "unreadable queries file: message" grep -q 'cannot read' "$tmp/err"
printf 'ok.test A\nbad..name A\n' >"$tmp/bad.txt"
"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/bad.txt" 2>"$tmp/err"
check "bad query line: exit 2 with file:line" bash -c "test $? -eq 2 && grep -q 'bad.txt:2:' '$tmp/err'"
"$WARD" diff $A#$PORT $B#$PORT --pcap /etc/passwd 2>"$tmp/err"
check "not a capture: exit 2" test $? -eq 2
check "not a capture: message" grep -q 'ward diff: /etc/passwd' "$tmp/err"
"$WARD" diff $A#$PORT --queries "$tmp/q.txt" 2>/dev/null
check "one server only: exit 2" test $? -eq 2
"$WARD" diff $A#$PORT $B#$PORT 2>/dev/null
check "neither --queries nor --pcap: exit 2" test $? -eq 2
"$WARD" diff --help | grep -q -- '--against'
check "--help describes --against" test $? -eq 0
"$WARD" diff $A#$PORT $B#$PORT --queries "$tmp/q.txt" 2>"$tmp/err" >/dev/null
check "no progress bar when stderr is not a terminal" test ! -s "$tmp/err"

# --pcap: a capture of ward query traffic to A on port 53 (UDP and TCP)
if command -v dumpcap >/dev/null && [ "$(id -u)" -eq 0 ]; then
	start_dnsmasq $A 53 a53.log --address=/same.test/192.0.2.1 --address=/diff.test/192.0.2.2
	dumpcap -q -i lo -f "host $A and port 53" -w "$tmp/cap.pcap" >/dev/null 2>&1 &
	cpid=$!
	pids+=($cpid)
	for _ in $(seq 50); do [ -s "$tmp/cap.pcap" ] && break; sleep 0.1; done
	sleep 0.5
	"$WARD" query @$A same.test A >/dev/null
	"$WARD" query @$A diff.test A >/dev/null
	"$WARD" query @$A diff.test A +tcp >/dev/null
	"$WARD" query @$A same.test AAAA +norec >/dev/null
	sleep 1
	kill "$cpid"; wait "$cpid" 2>/dev/null
	"$WARD" diff $A#$PORT $B#$PORT --pcap "$tmp/cap.pcap" --json >"$tmp/pj"
	check "--pcap: exit 1" test $? -eq 1
	check "--pcap: 3 client queries (RD=1; UDP and TCP), 2 differ" python3 - "$tmp/pj" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["queries"] == 3 and s["differing"] == 2, s
assert [x["query"] for x in d["differences"]] == ["diff.test. A", "diff.test. A"], d["differences"]
PY
	"$WARD" diff $A#$PORT $B#$PORT --pcap "$tmp/cap.pcap" --all --json >"$tmp/pj"
	check "--pcap --all: the RD=0 query too" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['summary']['queries'] == 4" "$tmp/pj"
	cp "$tmp/cap.pcap" "$tmp/pcap-kept.pcap"
else
	echo "note: dumpcap or root missing: the --pcap part is not run"
fi

# the dnsmasq migration check: both from one file, forwarding to U
start_dnsmasq $U $PORT u.log --address=/up.test/192.0.2.50 --txt-record=t.up.test,upstream
cat >"$tmp/dnsmasq.conf" <<C
# a LAN's dnsmasq.conf (DHCP lines are dropped by ward diff)
no-resolv
no-hosts
server=$U#$PORT
address=/local.lan/192.168.1.10
listen-address=192.168.1.1
port=53
dhcp-range=192.168.1.100,192.168.1.150,12h
C
printf 'local.lan A\nup.test A\nt.up.test TXT\n' >"$tmp/mq.txt"
"$WARD" diff --conf "$tmp/dnsmasq.conf" --against dnsmasq --queries "$tmp/mq.txt" --json >"$tmp/mj" 2>"$tmp/merr"
rc=$?
check "migration check runs (exit 0 or 1, not 2)" test $rc -le 1
check "migration check: --json parses" bash -c "python3 -m json.tool '$tmp/mj' >/dev/null"
check "migration check: A is wardd, B dnsmasq, all answered" python3 - "$tmp/mj" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["a"].startswith("wardd 127.0.0.1#") and d["b"].startswith("dnsmasq 127.0.0.1#"), d
s = d["summary"]
assert s["queries"] == 3 and s["answered_a"] == 3 and s["answered_b"] == 3, s
PY
check "migration check: no peer left running" bash -c "! pgrep -f '[/]tmp/ward-diff-' >/dev/null"
check "migration check: temporary directories removed" bash -c "! ls -d /tmp/ward-diff-* 2>/dev/null | grep -q ."
[ $rc -le 1 ] || cat "$tmp/merr"

# U itself against a dnsmasq forwarding to U: up.test's data agrees,
# local.lan exists only behind the forwarder
"$WARD" diff $U#$PORT --against dnsmasq --conf "$tmp/dnsmasq.conf" --queries "$tmp/mq.txt" --json >"$tmp/o2" 2>"$tmp/e2"
rc=$?
check "--against dnsmasq --conf SERVER: exit 1" test $rc -eq 1
check "--against dnsmasq --conf: local.lan differs in rcode, up.test's records agree" python3 - "$tmp/o2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = {x["query"]: x["kinds"] for x in d["differences"]}
assert "rcode" in k["local.lan A"], k
for q in ("up.test A", "t.up.test TXT"):
    assert "answer" not in k.get(q, []) and "rcode" not in k.get(q, []), k
assert d["b"].startswith("dnsmasq 127.0.0.1#"), d["b"]
PY
# a signal during a run stops the peers by pid and removes their directory
for i in $(seq 1 40); do echo "n$i.local.lan A"; done >"$tmp/many.txt"
"$WARD" diff --conf "$tmp/dnsmasq.conf" --against dnsmasq --queries "$tmp/many.txt" --rate 2 >/dev/null 2>"$tmp/serr" &
dpid=$!
pids+=($dpid)
sleep 2.5
kill -TERM $dpid
for _ in $(seq 50); do kill -0 $dpid 2>/dev/null || break; sleep 0.1; done
wait $dpid
rc=$?
check "SIGTERM during --against: exit 2 within 5 s, 'interrupted'" bash -c "test $rc -eq 2 && grep -q interrupted '$tmp/serr'"
check "SIGTERM: no peer left running" bash -c "! pgrep -f '[/]tmp/ward-diff-' >/dev/null"
check "SIGTERM: temporary directories removed" bash -c "! ls -d /tmp/ward-diff-* 2>/dev/null | grep -q ."
printf 'no-resolv\n' >"$tmp/noup.conf"
"$WARD" diff $A#$PORT --against unbound --conf "$tmp/noup.conf" --queries "$tmp/mq.txt" 2>"$tmp/e3"
check "--against with a conf without server=: exit 2 with a reason" bash -c "test $? -eq 2 && grep -q 'no server=' '$tmp/e3'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
