#!/usr/bin/env bash
# CLI test: ward replay --pcap FILE --to SERVER. A capture of ward query
# traffic (UDP, TCP, one RD=0 query) to a loopback dnsmasq S is made here
# with dumpcap; replayed to S itself every answer agrees (exit 0), to a
# dnsmasq B with another address for diff.test the two diff.test queries
# differ in the answer (exit 1, --json). The captured pace is kept (a 3 s
# gap takes >= 2.8 s at 1x) and scaled (--speed 20x); --rate/--concurrency
# send as fast as allowed. --stats reads a capture and sends nothing. The captures of ../shared/testdata/pcaps/dnscap
# and pcaps/testbed: every client query (RD=1, counted independently from
# ward decode --json) is sent and accounted for; so are those of every capture in
# ../shared/testdata/pcaps. Unreadable capture and
# unreachable server: exit 2 with a message. Processes stopped by pid.
set -u
cd "$(dirname "$0")/../.." || exit 2
WARD=${WARD:-$PWD/bin/ward}
S=127.77.3.1
B=127.77.3.2
PORT=${WARD_TEST_PORT:-53621}
tmp=$(mktemp -d /tmp/ward-replaytest.XXXXXX)
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

for tool in dnsmasq python3 dumpcap; do
	if ! command -v $tool >/dev/null; then
		echo "skip: $tool not installed (scripts/deps installs it)"
		exit 77
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: capturing on lo and binding port 53 need root"
	exit 77
fi

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

# S answers on port 53 (the capture layer's DNS port) and on $PORT
start_dnsmasq $S 53 s.log --address=/same.test/192.0.2.1 --address=/diff.test/192.0.2.2
start_dnsmasq $S $PORT s2.log --address=/same.test/192.0.2.1 --address=/diff.test/192.0.2.2
start_dnsmasq $B $PORT b.log --address=/same.test/192.0.2.1 --address=/diff.test/192.0.2.77

dumpcap -q -i lo -f "host $S and port 53" -w "$tmp/cap.pcap" >/dev/null 2>&1 &
cpid=$!
pids+=($cpid)
for _ in $(seq 50); do [ -s "$tmp/cap.pcap" ] && break; sleep 0.1; done
sleep 0.5
"$WARD" query @$S same.test A >/dev/null
"$WARD" query @$S diff.test A >/dev/null
sleep 3
"$WARD" query @$S diff.test A +tcp >/dev/null
"$WARD" query @$S same.test AAAA +norec >/dev/null
sleep 1
kill "$cpid"
wait "$cpid" 2>/dev/null

t0=$(date +%s.%N)
"$WARD" replay --pcap "$tmp/cap.pcap" --to $S#$PORT >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s.%N)
check "replay to the captured server: exit 0" test $rc -eq 0
check "3 client queries (2 udp, 1 tcp), the RD=0 one left out" \
	grep -q '3 client queries (2 udp, 1 tcp), 3 with a captured answer, 1 other' "$tmp/err"
check "summary: 3 sent, 3 answered, 3 compared, 0 differ" \
	grep -q '^3 queries sent, 3 answered, 3 with a captured answer compared, 0 differ' "$tmp/out"
check "captured pace: a 3 s gap takes >= 2.8 s at 1x" \
	python3 -c "import sys; sys.exit(0 if $t1 - $t0 >= 2.8 else 1)"

t0=$(date +%s.%N)
"$WARD" replay --pcap "$tmp/cap.pcap" --to $B#$PORT --speed 20x --json >"$tmp/j" 2>/dev/null
rc=$?
t1=$(date +%s.%N)
check "replay to another server: exit 1" test $rc -eq 1
check "--speed 20x is faster than the capture (< 2.5 s)" \
	python3 -c "import sys; sys.exit(0 if $t1 - $t0 < 2.5 else 1)"
check "--json parses" bash -c "python3 -m json.tool '$tmp/j' >/dev/null"
check "--json: the two diff.test queries differ in the answer" python3 - "$tmp/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["queries"] == 3 and s["compared"] == 3 and s["differing"] == 2, s
assert s["kinds"]["answer"] == 2 and sum(s["kinds"].values()) == 2, s["kinds"]
for x in d["differences"]:
    assert x["query"] == "diff.test. A", x
    assert any("192.0.2.2" in r for r in x["a"]["answer"]), x
    assert any("192.0.2.77" in r for r in x["b"]["answer"]), x
PY
"$WARD" replay --pcap "$tmp/cap.pcap" --to $B#$PORT --rate 1000 --concurrency 2 >"$tmp/out" 2>/dev/null
check "--rate/--concurrency: 2 differ" bash -c "test $? -eq 1 && grep -q ', 2 differ$' '$tmp/out'"
check "text report groups them: '== answer (2)'" grep -q '^== answer (2)$' "$tmp/out"
"$WARD" replay --pcap "$tmp/cap.pcap" --to $S#$PORT --all --rate 0 >"$tmp/out" 2>"$tmp/err"
check "--all: the RD=0 query is sent too" grep -q '4 client queries' "$tmp/err"

# every client query of other captures is sent and accounted for
count_rd() { # the RD=1 opcode-0 queries ward decode sees
	"$WARD" decode --pcap "$1" --json 2>/dev/null | python3 -c '
import json, sys
n = 0
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("kind") == "dns" and m.get("QR") == 0 and m.get("RD") == 1 and m.get("Opcode") == 0 and m.get("QDCOUNT", 0) >= 1 and "malformed" not in m:
        n += 1
print(n)'
}
# every capture of the shared test material: counted by --stats as ward
# decode counts it; the ones with client queries replayed, every query
# sent and answered (the others: nothing to send, exit 2 with a message)
nq=0
nfiles=0
for f in ../shared/testdata/pcaps/*/*.pcap ../shared/testdata/pcaps/*/*.pcapng \
	pcaps/testbed/alg13.pcap pcaps/testbed/nsec3-nodata.pcap; do
	[ -f "$f" ] || continue
	nfiles=$((nfiles + 1))
	want=$(count_rd "$f")
	"$WARD" replay --pcap "$f" --stats --json >"$tmp/s.json" 2>"$tmp/s.err"
	check "$(basename "$f"): --stats counts the $want client queries, sends nothing" python3 - "$tmp/s.json" "$want" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["queries"] == int(sys.argv[2]) and d["queries"] == d["udp"] + d["tcp"], d
assert d["dns"] >= d["queries"] + d["left_out"] and d["answered"] <= d["queries"], d
PY
	if [ "$want" -eq 0 ]; then
		"$WARD" replay --pcap "$f" --to $S#$PORT --rate 0 >/dev/null 2>"$tmp/r.err"
		rc=$?
		check "$(basename "$f"): no client queries: exit 2 with a message" \
			bash -c "test $rc -eq 2 && grep -q 'no client queries' '$tmp/r.err'"
		continue
	fi
	nq=$((nq + want))
	"$WARD" replay --pcap "$f" --to $S#$PORT --rate 0 --json >"$tmp/r.json" 2>/dev/null
	check "$(basename "$f"): all $want client queries sent and answered" python3 - "$tmp/r.json" "$want" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
want = int(sys.argv[2])
assert want > 0 and s["queries"] == want and s["answered_b"] == want, (s, want)
PY
done
check "the shared captures were there ($nfiles files, $nq client queries)" [ "$nfiles" -ge 10 -a "$nq" -gt 0 ]
for f in ../shared/testdata/pcaps/tcpdump/*.out; do
	[ -f "$f" ] || continue
	"$WARD" replay --pcap "$f" --stats >/dev/null 2>"$tmp/e"
	rc=$?
	check "$(basename "$f") (tcpdump's text output, not a capture): exit 2 naming it" \
		bash -c "test $rc -eq 2 && grep -q '$(basename "$f")' '$tmp/e'"
	break
done

"$WARD" replay --pcap /etc/passwd --to $S#$PORT 2>"$tmp/err"
check "not a capture: exit 2" test $? -eq 2
check "not a capture: message names the file" grep -q 'ward replay: /etc/passwd' "$tmp/err"
"$WARD" replay --pcap /etc/passwd --stats 2>"$tmp/err"
check "--stats, not a capture: exit 2 with the file named" \
	bash -c "test $? -eq 2 && grep -q 'ward replay: /etc/passwd' '$tmp/err'"
"$WARD" replay --pcap "$tmp/none.pcap" --to $S#$PORT 2>"$tmp/err"
check "missing capture: exit 2 with a message" bash -c "test $? -eq 2 && test -s '$tmp/err'"
head -c 300 "$tmp/cap.pcap" >"$tmp/cut.pcap"
"$WARD" replay --pcap "$tmp/cut.pcap" --to $S#$PORT --rate 0 >/dev/null 2>"$tmp/err"
check "cut capture: no crash (exit 0-2)" test $? -le 2
"$WARD" replay --pcap "$tmp/cap.pcap" --to 127.77.3.9#$PORT --rate 0 --timeout 0.2 2>"$tmp/err"
check "unreachable server: exit 2" test $? -eq 2
check "unreachable server: message" grep -q '127.77.3.9#53621 answered none' "$tmp/err"
"$WARD" replay --pcap "$tmp/cap.pcap" 2>/dev/null
check "--pcap without --to: exit 2" test $? -eq 2
"$WARD" replay --pcap "$tmp/cap.pcap" --to $S --speed fast 2>/dev/null
check "bad --speed: exit 2" test $? -eq 2
"$WARD" replay --pcap x --help | grep -q -- '--speed'
check "--help" test $? -eq 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
