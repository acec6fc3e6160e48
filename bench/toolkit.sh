#!/usr/bin/env bash
# Toolkit benchmarks (issue #7 "Performance"); results into docs/benchmarks.md.
#
#   bench/toolkit.sh [--packets N] [--queries N] [--no-doc]
#
#   read    `ward replay --pcap FILE --stats` over a synthetic capture of
#           --packets (1 000 000) DNS packets (bench/pcapgen.c: queries and
#           their answers, Ethernet/IPv4/UDP): reading, parsing and pairing
#           every packet, nothing sent; packets/s (median of 3). Peer in
#           the same run: tshark reading and dissecting a tenth of the
#           capture (it is ~100x slower). Target: ward >= 1 000 000 packets/s.
#   send    `ward replay --pcap --to` at asked rates (10 000/s, 50 000/s,
#           unlimited) against a dnsmasq on loopback answering every name
#           from its configuration, --queries client queries, against
#           dnsperf at the same rates on the same queries and server:
#           achieved queries/s. Target: the rate asked, up to what the
#           server answers (dnsperf shows what that is).
#   diff    `ward diff A B --queries F` with A a dnsmasq and B an Unbound,
#           both answering from local data (a cache hit each), --queries
#           queries, --concurrency 64: query pairs/s. Target >= 20 000/s.
# Every process started here is stopped by its pid on exit. Timings are
# never asserted (DESIGN.md).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

PACKETS=1000000
QUERIES=50000
DOC=1
while [ $# -gt 0 ]; do
	case "$1" in
	--packets) PACKETS=$2; shift 2 ;;
	--queries) QUERIES=$2; shift 2 ;;
	--no-doc) DOC=0; shift ;;
	*) echo "bench/toolkit.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
WARD=${WARD:-$PWD/bin/ward}
CC=${CC:-cc}
DOCFILE=docs/benchmarks.md
for tool in dnsmasq unbound dnsperf; do
	command -v "$tool" >/dev/null || { echo "bench/toolkit.sh: $tool is not installed" >&2; exit 2; }
done
[ -x "$WARD" ] || { echo "bench/toolkit.sh: $WARD not built (make)" >&2; exit 2; }

DIR=$(mktemp -d /tmp/ward-benchtk.XXXXXX)
chmod 755 "$DIR"
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	[ -n "${WARD_KEEP:-}" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

A=127.0.81.1 B=127.0.81.2
PORT=$((20000 + RANDOM % 20000))

wait_dns() { # addr port
	for _ in $(seq 100); do
		"$WARD" query @"$1#$2" +timeout=1 +tries=1 host1.zone1.example A >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench/toolkit.sh: nothing answers on $1#$2" >&2
	return 1
}
now() { date +%s.%N; }
median3() { sort -g | sed -n 2p; }

$CC -O2 -std=c17 -Wall -Wextra -Werror -o "$DIR/pcapgen" bench/pcapgen.c || exit 2

# ---- read -----------------------------------------------------------------
echo "== toolkit: ward replay --pcap reading $PACKETS packets"
"$DIR/pcapgen" "$DIR/big.pcap" "$PACKETS" 100000 || exit 2
cat "$DIR/big.pcap" >/dev/null # in the page cache for every run alike
read_runs=""
for _ in 1 2 3; do
	t0=$(now)
	"$WARD" replay --pcap "$DIR/big.pcap" --stats >"$DIR/stats.out" || exit 1
	t1=$(now)
	read_runs+="$(awk -v a="$t0" -v b="$t1" -v n="$PACKETS" 'BEGIN { printf "%.0f", n / (b - a) }')"$'\n'
done
READ_PPS=$(grep . <<<"$read_runs" | median3)
read_stats=$(cat "$DIR/stats.out")
echo "   ward: $READ_PPS packets/s (median of 3): $read_stats"
TSHARK_PPS=n/a
TSHARK_N=$((PACKETS / 10))
if command -v tshark >/dev/null; then
	"$DIR/pcapgen" "$DIR/small.pcap" "$TSHARK_N" 100000
	t0=$(now)
	tshark -n -r "$DIR/small.pcap" -T fields -e dns.id >/dev/null 2>&1
	t1=$(now)
	TSHARK_PPS=$(awk -v a="$t0" -v b="$t1" -v n="$TSHARK_N" 'BEGIN { printf "%.0f", n / (b - a) }')
	echo "   tshark: $TSHARK_PPS packets/s ($TSHARK_N packets)"
fi

# ---- the two servers: dnsmasq (A) and Unbound (B), local data -----------------
dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
	--listen-address=$A --bind-interfaces --port=$PORT --user=root --pid-file= \
	--address=/example/10.9.9.9 --cache-size=10000 --dns-forward-max=1000 \
	--log-facility="$DIR/dnsmasq.log" &
PIDS+=($!)
cat >"$DIR/unbound.conf" <<EOF
server:
  interface: $B@$PORT
  port: $PORT
  username: ""
  chroot: ""
  directory: "$DIR"
  pidfile: ""
  use-syslog: no
  logfile: "$DIR/unbound.log"
  num-threads: 1
  do-ip6: no
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  ratelimit: 0
  ip-ratelimit: 0
  local-zone: "example." redirect
  local-data: "example. 300 IN A 10.9.9.9"
remote-control:
  control-enable: no
EOF
unbound -d -c "$DIR/unbound.conf" >"$DIR/unbound.out" 2>&1 &
PIDS+=($!)
wait_dns $A $PORT || exit 1
wait_dns $B $PORT || exit 1

# the queries: as a capture (replay), as a file (diff), as dnsperf input
"$DIR/pcapgen" "$DIR/q.pcap" $((QUERIES * 2)) 1000
awk -v n="$QUERIES" 'BEGIN { for (i = 0; i < n; i++) printf "host%d.zone%d.example A\n", i % 1000, i % 97 }' >"$DIR/q.txt"
dnsperf_run() { # rate (0: unlimited) -> achieved queries/s
	local q=()
	[ "$1" -gt 0 ] && q=(-Q "$1")
	dnsperf -s $A -p $PORT -d "$DIR/q.txt" -n 1 -c 4 -T 1 -q 256 -t 2 "${q[@]}" >"$DIR/perf.out" 2>&1
	awk '/Queries per second:/ { printf "%.0f", $4 }' "$DIR/perf.out"
}
replay_run() { # rate -> achieved queries/s (ward replay's own count of the sending time), answered
	local ans rate
	"$WARD" replay --pcap "$DIR/q.pcap" --to "$A#$PORT" --rate "$1" --concurrency 64 \
		--list 0 >"$DIR/replay.out" 2>"$DIR/replay.err"
	ans=$(sed -n 's/.* sent, \([0-9]*\) answered.*/\1/p' "$DIR/replay.out")
	rate=$(sed -n 's/^replay: .* queries sent in .* (\([0-9]*\)\/s)$/\1/p' "$DIR/replay.err")
	echo "${rate:-0} ${ans:-0}"
}

echo "== toolkit: ward replay --pcap --to at asked rates ($QUERIES queries)"
SEND_ROWS=""
for rate in 10000 50000 0; do
	r=$(replay_run $rate)
	p=$(dnsperf_run $rate)
	label=$rate
	[ "$rate" = 0 ] && label=unlimited
	echo "   asked $label: ward replay ${r% *}/s (${r#* } answered), dnsperf $p/s"
	SEND_ROWS+="| $label | ${r% *} | ${r#* } of $QUERIES | $p |"$'\n'
done

echo "== toolkit: ward diff dnsmasq vs Unbound ($QUERIES query pairs)"
diff_runs=""
for _ in 1 2 3; do
	t0=$(now)
	"$WARD" diff "$A#$PORT" "$B#$PORT" --queries "$DIR/q.txt" --concurrency 64 --json >"$DIR/diff.json" 2>/dev/null
	t1=$(now)
	diff_runs+="$(awk -v a="$t0" -v b="$t1" -v n="$QUERIES" 'BEGIN { printf "%.0f", n / (b - a) }')"$'\n'
done
DIFF_PPS=$(grep . <<<"$diff_runs" | median3)
DIFF_ANS=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["answered_a"], s["answered_b"], s["differing"])' "$DIR/diff.json" 2>/dev/null)
echo "   ward diff: $DIFF_PPS pairs/s (median of 3; answered A, B, differing: $DIFF_ANS)"

[ "$DOC" = 1 ] || exit 0
met() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "**met**" : "**not met**" }'; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
	echo "Source: bench/toolkit.sh (synthetic captures from bench/pcapgen.c)."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
	echo "| machine | $(nproc) CPUs, ${cpu:-unknown}, load average $(cut -d' ' -f1 /proc/loadavg) at the end |"
	echo
	echo "Reading: \`ward replay --pcap FILE --stats\` over $PACKETS packets (queries and"
	echo "their answers): every packet read, decoded, paired; median of 3 runs."
	echo
	echo "| reader | packets/s |"
	echo "|---|---:|"
	echo "| ward replay --stats | $READ_PPS |"
	echo "| tshark -T fields -e dns.id ($TSHARK_N packets) | $TSHARK_PPS |"
	echo
	echo "Target ward >= 1 000 000 packets/s: $(met "$READ_PPS" 1000000)."
	echo
	echo "Sending: \`ward replay --pcap --to\` (--concurrency 64) and dnsperf (-c 4 -q 256)"
	echo "at the same asked rates against one dnsmasq answering from its"
	echo "configuration; ward's rate is the one it reports for its sending (queries"
	echo "over the time from the first query out to the last answer in)."
	echo
	echo "| asked/s | ward replay/s | answered | dnsperf/s |"
	echo "|---|---:|---:|---:|"
	printf '%s' "$SEND_ROWS"
	echo
	echo "Diff: \`ward diff A B --queries F --concurrency 64\`, A dnsmasq, B Unbound, both"
	echo "answering $QUERIES queries from local data; median of 3 runs: **$DIFF_PPS pairs/s**"
	echo "(answered by A, by B, differing: $DIFF_ANS). Target >= 20 000/s: $(met "$DIFF_PPS" 20000)."
} >"$DIR/toolkit.md"
tmp=$(mktemp)
awk -v title="## Toolkit" -v body="$DIR/toolkit.md" '
	function emit() { while ((getline line < body) > 0) print line; close(body); done = 1 }
	$0 == title { print; print ""; emit(); skip = 1; next }
	skip && /^## / { skip = 0; print "" }
	!skip { print }
	END { if (!done) { print ""; print title; print ""; emit() } }' "$DOCFILE" >"$tmp"
cat "$tmp" >"$DOCFILE"
rm -f "$tmp"
echo "   wrote the Toolkit section of $DOCFILE"
