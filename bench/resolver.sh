#!/usr/bin/env bash
# Resolver benchmarks, wardd against Unbound and dnsmasq side by side in
# one run (issue #4 "Performance"); results into docs/benchmarks.md.
#
#   bench/resolver.sh [--seconds N] [--rounds N] [--names N] [--no-doc]
#                     [--only throughput|instructions|memory|cold|dnssec-throughput|dnssec-cold]...
#
#   throughput  cache hits: all three forward to the same loopback NSD
#               (zone benchnet., generated); a warm-up pass caches 1000
#               names, then dnsperf (one client thread) asks them for N
#               seconds per round, resolvers one after another, rounds
#               interleaved; queries/s (best and median round), ratios.
#               Targets: ward >= 1.2x Unbound, >= 1.5x dnsmasq.
#   memory      resident bytes (VmRSS) per cached name: RSS after one
#               query, then after caching --names (100000) distinct names
#               from the same NSD; (after - before) / names. ward vs Unbound
#               (and dnsmasq). Target: ward <= Unbound.
#   dnssec-throughput  cache hits of validated answers with DO=1: both
#               validate (wardd `dnssec` + trust-anchor-file, Unbound
#               `validator iterator` + the same anchor) a zone signed here
#               (signednet., ECDSAP256SHA256, 1000 names, ldns-signzone)
#               that the same NSD serves; dnsperf -D, as throughput.
#               Target: ward >= 1.2x Unbound.
#   dnssec-cold the testbed, validating on both sides: every catalogue name
#               asked once with +dnssec (no CD) to a fresh resolver; CPU
#               time of the resolver process (utime + stime) and wall time.
#               Target: ward's CPU time <= Unbound's.
#   instructions  user-space instructions per cache hit, counted by
#               valgrind's callgrind (load-independent; the kernel's share
#               of the work is not counted): each resolver alone under
#               callgrind, forwarding to the same NSD, warm-up pass over
#               1000 names, then instrumentation on for 5 passes (5000
#               cache hits, dnsperf -q 20); total Ir / answers.
#   cold        the testbed (flock /tmp/ward-testbed.lock): wall time to
#               resolve every catalogue name once, recursively from the
#               testbed root, fresh cache, no DNSSEC validation on either
#               side (ward does not validate in the daemon yet), ward vs
#               Unbound; names asked one after another. Target: ward <= Unbound.
# Every resolver runs with one thread; every process started here is
# stopped by its pid on exit. Needs root for the testbed (cold), and nsd,
# unbound, dnsmasq, dnsperf, dig. Timings are never asserted.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

SECONDS_PER=8
ROUNDS=5
NAMES=100000
DOC=1
ONLY=""
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) SECONDS_PER=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--names) NAMES=$2; shift 2 ;;
	--no-doc) DOC=0; shift ;;
	--only) ONLY="$ONLY $2"; shift 2 ;;
	*) echo "bench/resolver.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$ONLY" ] || ONLY="throughput instructions memory cold dnssec-throughput dnssec-cold"
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

WARDD=${WARDD:-$PWD/bin/wardd}
DOCFILE=docs/benchmarks.md
for tool in nsd unbound dnsmasq dnsperf dig ldns-keygen ldns-signzone; do
	command -v "$tool" >/dev/null || { echo "bench/resolver.sh: $tool is not installed" >&2; exit 2; }
done
[ -x "$WARDD" ] || { echo "bench/resolver.sh: $WARDD not built (make)" >&2; exit 2; }

DIR=$(mktemp -d /tmp/ward-bench.XXXXXX)
chmod 755 "$DIR"
PIDS=()
TB_DIR=""
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
	done
	[ -n "$TB_DIR" ] && testbed/down "$TB_DIR" >/dev/null 2>&1
	[ -n "${WARD_KEEP:-}" ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

AUTH=127.0.80.1 AUTH_PORT=5402
W=127.0.80.10 U=127.0.80.11 D=127.0.80.12 PORT=5410

wait_dns() { # addr port
	for _ in $(seq 100); do
		dig +time=1 +tries=1 @"$1" -p "$2" wait.invalid A >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "bench/resolver.sh: nothing answers on $1#$2" >&2
	return 1
}
stop() { # pid
	kill "$1" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2>/dev/null
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# --- the loopback authoritative: benchnet. with n0..n(NAMES-1) A records
start_nsd() {
	mkdir -p "$DIR/nsd"
	{
		printf '$TTL 86400\n@ SOA ns hostmaster 1 3600 600 86400 3600\n@ NS ns\nns A %s\n' "$AUTH"
		awk -v n="$NAMES" 'BEGIN { for (i = 0; i < n; i++) printf "n%d A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
	} >"$DIR/nsd/benchnet.zone"
	# signednet.: 1000 names signed with one ECDSAP256SHA256 key (SEP)
	{
		printf '$TTL 86400\n@ SOA ns hostmaster 1 3600 600 86400 3600\n@ NS ns\nns A %s\n' "$AUTH"
		awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d A 10.1.%d.%d\n", i, int(i / 256), i % 256 }'
	} >"$DIR/nsd/signednet.zone"
	local key
	key=$(cd "$DIR/nsd" && ldns-keygen -k -a ECDSAP256SHA256 signednet.) || exit 1
	(cd "$DIR/nsd" && ldns-signzone -o signednet. signednet.zone "$key") || exit 1
	cp "$DIR/nsd/$key.ds" "$DIR/signednet.ds"
	cat >"$DIR/nsd/nsd.conf" <<EOF
server:
  ip-address: $AUTH@$AUTH_PORT
  server-count: 1
  username: ""
  zonesdir: "$DIR/nsd"
  pidfile: ""
  database: ""
  zonelistfile: "$DIR/nsd/zone.list"
  xfrdfile: "$DIR/nsd/xfrd.state"
  logfile: "$DIR/nsd/nsd.log"
  verbosity: 0
  # no response rate limiting: every resolver asks from one address
  rrl-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: benchnet.
  zonefile: benchnet.zone
zone:
  name: signednet.
  zonefile: signednet.zone.signed
EOF
	nsd -d -c "$DIR/nsd/nsd.conf" >"$DIR/nsd/out" 2>&1 &
	PIDS+=($!)
	wait_dns "$AUTH" "$AUTH_PORT" || { cat "$DIR/nsd/out" "$DIR/nsd/nsd.log"; exit 1; }
}

# --- the three resolvers, forwarding to NSD; each prints its pid (run in
# $(...): the caller adds it to PIDS)
start_wardd_conf() {
	cat >"$DIR/wardd.conf" <<EOF
port=$PORT
listen-address=$W
bind-interfaces
no-resolv
no-hosts
server=$AUTH#$AUTH_PORT
cache-size=$((NAMES * 2))
${WARD_EXTRA:-}
EOF
}
start_wardd() {
	start_wardd_conf
	"$WARDD" --keep-in-foreground --conf-file="$DIR/wardd.conf" --pid-file= --user= \
		--log-facility="$DIR/wardd.log" >"$DIR/wardd.out" 2>&1 &
	PIDS+=($!)
	echo $!
}
start_unbound_conf() {
	cat >"$DIR/unbound.conf" <<EOF
server:
  interface: $U
  port: $PORT
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$DIR"
  pidfile: ""
  logfile: "$DIR/unbound.log"
  use-syslog: no
  verbosity: 0
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  module-config: "${UNBOUND_MODULES:-iterator}"
${UNBOUND_EXTRA:-}
  msg-cache-size: 256m
  rrset-cache-size: 512m
  prefetch: no
  minimal-responses: yes
forward-zone:
  name: "."
  forward-addr: $AUTH@$AUTH_PORT
remote-control:
  control-enable: no
EOF
}
start_unbound() {
	start_unbound_conf
	unbound -d -c "$DIR/unbound.conf" >"$DIR/unbound.out" 2>&1 &
	PIDS+=($!)
	echo $!
}
start_dnsmasq() {
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address="$D" --port="$PORT" --pid-file= --user=root \
		--server="$AUTH#$AUTH_PORT" --cache-size=$((NAMES * 2)) \
		--log-facility="$DIR/dnsmasq.log" >"$DIR/dnsmasq.out" 2>&1 &
	PIDS+=($!)
	echo $!
}

# dnsperf: queries/s ("Queries per second:"), and completed / sent
perf() { # addr file extra...
	local addr=$1 file=$2
	shift 2
	dnsperf -s "$addr" -p "$PORT" -d "$file" -c "${CLIENTS:-1}" -T 1 "$@" >"$DIR/perf.out" 2>&1
	# completed = NOERROR answers only (a SERVFAIL caches nothing)
	awk '/Queries per second:/ { qps = $4 } /Queries sent:/ { sent = $3 }
		/Response codes:/ { for (i = 1; i <= NF; i++) if ($i == "NOERROR") done = $(i + 1) }
		END { printf "%s %s %s\n", qps, done + 0, sent }' "$DIR/perf.out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
met() { awk -v r="$1" -v t="$2" -v dir="$3" 'BEGIN { if (r == "n/a") print "n/a"; else if ((dir == "ge" && r >= t) || (dir == "le" && r <= t)) print "met"; else print "**not met**" }'; }

machine_rows() {
	local cpu
	cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
	echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
	echo "| machine | $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start |"
	echo "| versions | wardd $(git rev-parse --short HEAD 2>/dev/null), unbound $(unbound -V 2>/dev/null | awk '/^Version/ { print $2 }'), $(dnsmasq --version | head -n 1 | awk '{ print "dnsmasq", $3 }'), dnsperf $(dnsperf -h 2>&1 | awk '/^Version/ { print $2; exit }') |"
}

# Replace (or append) the "## $1" section of $DOCFILE with the file $2.
doc_section() {
	local title=$1 body=$2 tmp
	[ "$DOC" = 1 ] || { cat "$body"; return; }
	tmp=$(mktemp)
	awk -v title="## $title" -v body="$body" '
		function emit() { while ((getline l < body) > 0) print l; close(body) }
		$0 == title { skip = 1; done = 1; print; emit(); next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) { print ""; print title; emit() } }' "$DOCFILE" >"$tmp"
	cat "$tmp" >"$DOCFILE"
	rm -f "$tmp"
	cat "$body"
}

# ------------------------------------------------- (a2) instructions
# One resolver under callgrind: $1 name, $2 address, then its command
# line. Prints "answers Ir".
callgrind_one() {
	local name=$1 addr=$2 pid hot="$DIR/hot.txt" n ir
	shift 2
	valgrind --tool=callgrind --instr-atstart=no \
		--callgrind-out-file="$DIR/cg.$name" "$@" >"$DIR/cg.$name.out" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	for _ in $(seq 300); do
		dig +time=1 +tries=1 @"$addr" -p "$PORT" wait.invalid A >/dev/null 2>&1 && break
		sleep 0.2
	done
	dnsperf -s "$addr" -p "$PORT" -d "$hot" -c 1 -T 1 -n 2 -q 20 -t 20 >/dev/null 2>&1
	callgrind_control -i on "$pid" >/dev/null
	dnsperf -s "$addr" -p "$PORT" -d "$hot" -c 1 -T 1 -n 5 -q 20 -t 20 >"$DIR/perf.out" 2>&1
	callgrind_control -i off "$pid" >/dev/null
	n=$(awk '/Queries completed:/ { print $3 }' "$DIR/perf.out")
	stop "$pid"
	wait "$pid" 2>/dev/null
	ir=$(callgrind_annotate "$DIR/cg.$name" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	echo "${n:-0} ${ir:-0}"
}

bench_instructions() {
	local hot="$DIR/hot.txt" name out
	for tool in valgrind callgrind_control callgrind_annotate; do
		command -v "$tool" >/dev/null || { echo "bench/resolver.sh: $tool is not installed" >&2; return; }
	done
	awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d.benchnet A\n", i }' >"$hot"
	declare -A IR
	for name in ward unbound dnsmasq; do
		case $name in
		ward) start_wardd_conf
			out=$(callgrind_one ward "$W" "$WARDD" --keep-in-foreground \
				--conf-file="$DIR/wardd.conf" --pid-file= --user= \
				--log-facility="$DIR/wardd.log") ;;
		unbound) start_unbound_conf
			out=$(callgrind_one unbound "$U" unbound -d -c "$DIR/unbound.conf") ;;
		dnsmasq) out=$(callgrind_one dnsmasq "$D" dnsmasq --keep-in-foreground \
				--conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
				--listen-address="$D" --port="$PORT" --pid-file= --user=root \
				--server="$AUTH#$AUTH_PORT" --cache-size=$((NAMES * 2)) \
				--log-facility="$DIR/dnsmasq.log") ;;
		esac
		IR[$name]=$(awk -v n="${out%% *}" -v ir="${out##* }" 'BEGIN { if (n > 0 && ir > 0) printf "%.0f", ir / n; else print "n/a" }')
		echo "instructions per cache hit: $name ${IR[$name]} ($out)" >&2
	done
	{
		echo
		echo "User-space instructions per cache hit, counted by valgrind's"
		echo "callgrind (independent of the machine's load; the kernel's work,"
		echo "receiving and sending the datagrams, is not counted): each resolver"
		echo "alone under callgrind, forwarding to the same loopback NSD, a"
		echo "warm-up pass over 1000 names, then 5000 cache hits (\`dnsperf -n 5"
		echo "-q 20\`) with instrumentation on. Source: bench/resolver.sh"
		echo "(\`--only instructions\`)."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | instructions per cache hit |"
		echo "|---|---|"
		echo "| ward | ${IR[ward]} |"
		echo "| Unbound | ${IR[unbound]} |"
		echo "| dnsmasq | ${IR[dnsmasq]} |"
		echo
		echo "Unbound / ward: $(ratio "${IR[unbound]}" "${IR[ward]}"), dnsmasq / ward: $(ratio "${IR[dnsmasq]}" "${IR[ward]}")."
	} >"$DIR/instructions.md"
	doc_section "Resolver: instructions per cache hit" "$DIR/instructions.md"
}

# ---------------------------------------------------------------- (a)
bench_throughput() {
	local hot="$DIR/hot.txt" r name pid out qps
	awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d.benchnet A\n", i }' >"$hot"
	declare -A PID QPS
	PID[ward]=$(start_wardd)
	PID[unbound]=$(start_unbound)
	PID[dnsmasq]=$(start_dnsmasq)
	PIDS+=("${PID[ward]}" "${PID[unbound]}" "${PID[dnsmasq]}")
	declare -A ADDR=([ward]=$W [unbound]=$U [dnsmasq]=$D)
	for name in ward unbound dnsmasq; do
		wait_dns "${ADDR[$name]}" "$PORT" || exit 1
		perf "${ADDR[$name]}" "$hot" -n 2 -q 50 >/dev/null     # warm-up: cache the 1000 names
	done
	for r in $(seq "$ROUNDS"); do
		for name in ward unbound dnsmasq; do
			out=$(perf "${ADDR[$name]}" "$hot" -l "$SECONDS_PER" -q 100)
			qps=$(printf "%.0f" "${out%% *}")
			QPS[$name]="${QPS[$name]:-} $qps"
			echo "throughput round $r: $name $out (qps completed sent)" >&2
		done
	done
	# the same with 20 client sockets (dnsperf -c 20 sends from them in
	# turn): answers to one socket rarely follow each other, so wardd's UDP
	# GSO sends (daemon/udp_gso.h) seldom group any; shown, not a target
	declare -A QPS20
	for r in 1 2 3; do
		for name in ward unbound dnsmasq; do
			out=$(CLIENTS=20 perf "${ADDR[$name]}" "$hot" -l "$SECONDS_PER" -q 100)
			qps=$(printf "%.0f" "${out%% *}")
			QPS20[$name]="${QPS20[$name]:-} $qps"
			echo "throughput, 20 sockets, round $r: $name $out" >&2
		done
	done
	# less load-dependent: CPU time (user + kernel) of the resolver process
	# per query, counted by perf over 20 passes of the list (20000 cache hits;
	# this VM has no hardware counters for instructions)
	declare -A INS
	for name in ward unbound dnsmasq; do
		INS[$name]=n/a
		command -v perf >/dev/null || continue
		command perf stat -x, -e task-clock -p "${PID[$name]}" -o "$DIR/stat.$name" -- \
			dnsperf -s "${ADDR[$name]}" -p "$PORT" -d "$hot" -c 1 -T 1 -q 100 -n 20 >"$DIR/perf.out" 2>&1 || continue
		local done_q
		done_q=$(awk '/Queries completed:/ { print $3 }' "$DIR/perf.out")
		INS[$name]=$(awk -F, -v n="$done_q" '/task-clock/ { ms = $1 }
			END { if (n > 0 && ms > 0) printf "%.2f", ms * 1000 / n; else print "n/a" }' "$DIR/stat.$name")
		echo "CPU per query: $name ${INS[$name]} us" >&2
	done
	for name in ward unbound dnsmasq; do stop "${PID[$name]}"; done
	local wb ub db wm um dm
	best() { tr ' ' '\n' <<<"$1" | grep . | sort -n | tail -n 1; }
	wb=$(best "${QPS[ward]}") ub=$(best "${QPS[unbound]}") db=$(best "${QPS[dnsmasq]}")
	wm=$(tr ' ' '\n' <<<"${QPS[ward]}" | grep . | median)
	um=$(tr ' ' '\n' <<<"${QPS[unbound]}" | grep . | median)
	dm=$(tr ' ' '\n' <<<"${QPS[dnsmasq]}" | grep . | median)
	local ru rd w20 u20 d20
	ru=$(ratio "$wm" "$um") rd=$(ratio "$wm" "$dm")
	w20=$(tr ' ' '\n' <<<"${QPS20[ward]}" | grep . | median)
	u20=$(tr ' ' '\n' <<<"${QPS20[unbound]}" | grep . | median)
	d20=$(tr ' ' '\n' <<<"${QPS20[dnsmasq]}" | grep . | median)
	{
		echo
		echo "Cache hits of forwarded answers: wardd, Unbound (\`num-threads: 1\`,"
		echo "\`module-config: iterator\`) and dnsmasq forward to the same loopback"
		echo "NSD; a warm-up pass caches 1000 names (\`nN.benchnet A\`), then"
		echo "\`dnsperf -c 1 -T 1 -q 100 -l $SECONDS_PER\` asks them in a loop, one resolver"
		echo "after the other, $ROUNDS rounds interleaved. Source: bench/resolver.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | queries/s (median of $ROUNDS) | best round | every round | CPU µs per query (perf stat task-clock) |"
		echo "|---|---|---|---|---|"
		echo "| ward | $wm | $wb |${QPS[ward]} | ${INS[ward]} |"
		echo "| Unbound | $um | $ub |${QPS[unbound]} | ${INS[unbound]} |"
		echo "| dnsmasq | $dm | $db |${QPS[dnsmasq]} | ${INS[dnsmasq]} |"
		echo
		echo "| ratio (medians) | value | target | |"
		echo "|---|---|---|---|"
		echo "| ward / Unbound | $ru | >= 1.2 | $(met "$ru" 1.2 ge) |"
		echo "| ward / dnsmasq | $rd | >= 1.5 | $(met "$rd" 1.5 ge) |"
		echo
		echo "wardd reads queries in batches (recvmmsg) and sends a batch's"
		echo "answers with one sendmmsg, where answers of one size to one client"
		echo "socket go as one UDP GSO send (daemon/udp_gso.h): dnsperf's one"
		echo "socket gets most of its answers that way. With 20 client sockets"
		echo "(\`dnsperf -c 20\`, the sockets take turns) answers to one socket"
		echo "seldom follow each other and GSO groups few; shown for comparison,"
		echo "not a target (median of 3 rounds):"
		echo
		echo "| 20 client sockets | ward | Unbound | dnsmasq | ward / Unbound | ward / dnsmasq |"
		echo "|---|---|---|---|---|---|"
		echo "| queries/s | $w20 | $u20 | $d20 | $(ratio "$w20" "$u20") | $(ratio "$w20" "$d20") |"
		echo "| every round |${QPS20[ward]} |${QPS20[unbound]} |${QPS20[dnsmasq]} | | |"
		echo
		echo "Two shared CPUs (and other jobs on them): dnsperf and the resolver"
		echo "compete for them, so queries/s vary with the machine's load, even"
		echo "between rounds; the CPU time per query (the resolver's own process,"
		echo "user and kernel, over 20000 cache hits) depends much less on it."
		echo
		echo "| ratio (CPU per query) | value | target | |"
		echo "|---|---|---|---|"
		echo "| Unbound / ward | $(ratio "${INS[unbound]}" "${INS[ward]}") | >= 1.2 | $(met "$(ratio "${INS[unbound]}" "${INS[ward]}")" 1.2 ge) |"
		echo "| dnsmasq / ward | $(ratio "${INS[dnsmasq]}" "${INS[ward]}") | >= 1.5 | $(met "$(ratio "${INS[dnsmasq]}" "${INS[ward]}")" 1.5 ge) |"
	} >"$DIR/throughput.md"
	doc_section "Resolver: cache-hit throughput" "$DIR/throughput.md"
}

# ---------------------------------------------------------------- (b)
bench_memory() {
	local all="$DIR/all.txt" name pid out
	awk -v n="$NAMES" 'BEGIN { for (i = 0; i < n; i++) printf "n%d.benchnet A\n", i }' >"$all"
	declare -A ADDR=([ward]=$W [unbound]=$U [dnsmasq]=$D) BEFORE AFTER PER NOK
	for name in ward unbound dnsmasq; do
		case $name in
		ward) pid=$(start_wardd) ;;
		unbound) pid=$(start_unbound) ;;
		dnsmasq) pid=$(start_dnsmasq) ;;
		esac
		PIDS+=("$pid")
		wait_dns "${ADDR[$name]}" "$PORT" || exit 1
		dig +short @"${ADDR[$name]}" -p "$PORT" n0.benchnet A >/dev/null
		sleep 0.5
		BEFORE[$name]=$(rss_kb "$pid")
		out=$(perf "${ADDR[$name]}" "$all" -n 1 -q 50 -t 10)
		NOK[$name]=$(awk '{ print $2 }' <<<"$out")
		sleep 1
		AFTER[$name]=$(rss_kb "$pid")
		PER[$name]=$(awk -v a="${AFTER[$name]}" -v b="${BEFORE[$name]}" -v n="${NOK[$name]}" 'BEGIN { if (n > 0) printf "%.0f", (a - b) * 1024 / n; else print "n/a" }')
		echo "memory: $name rss ${BEFORE[$name]} kB -> ${AFTER[$name]} kB, ${NOK[$name]} answered" >&2
		stop "$pid"
	done
	local r
	r=$(ratio "${PER[ward]}" "${PER[unbound]}")
	{
		echo
		echo "Resident memory per cached name: each resolver alone, fresh, forwarding"
		echo "to the loopback NSD (zone benchnet., $NAMES A records): VmRSS after one"
		echo "query, then after asking every name once (\`dnsperf -n 1 -q 50\`);"
		echo "(after - before) / names answered NOERROR (NSD without rate limiting). Unbound: \`msg-cache-size: 256m\`,"
		echo "\`rrset-cache-size: 512m\` (big enough, RSS counts only what is used);"
		echo "ward and dnsmasq: \`cache-size=$((NAMES * 2))\`. Source: bench/resolver.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | RSS before (kB) | RSS after (kB) | names answered NOERROR | bytes per name |"
		echo "|---|---|---|---|---|"
		for name in ward unbound dnsmasq; do
			echo "| $name | ${BEFORE[$name]} | ${AFTER[$name]} | ${NOK[$name]} | ${PER[$name]} |"
		done
		echo
		echo "ward / Unbound: $r (target <= 1: $(met "$r" 1 le)). dnsmasq allocates"
		echo "its whole cache (\`cache-size\` fixed-size crecs, one per record) at start"
		echo "and links them into a free list, so its \"before\" already holds it and"
		echo "its per-name delta is meaningless: compare its RSS after instead."
	} >"$DIR/memory.md"
	doc_section "Resolver: memory per cached name" "$DIR/memory.md"
}

# ---------------------------------------------------------------- (c)
bench_cold() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench/resolver.sh: cold: the testbed needs root; skipped" >&2
		return 0
	fi
	exec 9>/tmp/ward-testbed.lock
	flock -w 900 9 || { echo "bench/resolver.sh: no testbed lock" >&2; return 1; }
	TB_DIR="$DIR/tb"
	local env_out
	env_out=$(testbed/up "$TB_DIR" 2>"$DIR/testbed.err") || { tail "$DIR/testbed.err"; return 1; }
	eval "$env_out"
	local CW=127.0.80.20 CU=127.0.80.21 CP=5420
	awk -F'\t' '!/^#/ && NF > 2 { print $2, $3 }' "$WARD_TB_CATALOGUE" >"$DIR/cold.txt"
	local n
	n=$(wc -l <"$DIR/cold.txt")
	cat >"$DIR/cold-unbound.conf" <<EOF
server:
  interface: $CU
  port: $CP
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$DIR"
  pidfile: ""
  logfile: "$DIR/cold-unbound.log"
  use-syslog: no
  verbosity: 0
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  root-hints: "$WARD_TB_ROOT_HINTS"
  module-config: "iterator"
  infra-cache-max-rtt: 3000
  prefetch: no
remote-control:
  control-enable: no
EOF
	declare -A T FAILS
	local round name pid start end
	for round in 1 2 3; do
		for name in ward unbound; do
			if [ $name = ward ]; then
				"$WARDD" --keep-in-foreground --conf-file=/dev/null --port="$CP" --listen-address="$CW" \
					--bind-interfaces --no-resolv --no-hosts --root-hints="$WARD_TB_ROOT_HINTS" \
					--pid-file= --user= --log-facility="$DIR/cold-wardd.log" >"$DIR/cold-wardd.out" 2>&1 &
				pid=$! addr=$CW
			else
				unbound -d -c "$DIR/cold-unbound.conf" >"$DIR/cold-unbound.out" 2>&1 &
				pid=$! addr=$CU
			fi
			PIDS+=("$pid")
			# wait.invalid is answered locally by neither: use a port probe
			for _ in $(seq 100); do
				python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.settimeout(0.2); s.connect((sys.argv[1], int(sys.argv[2])))' "$addr" "$CP" 2>/dev/null && break
				sleep 0.1
			done
			start=$(date +%s.%N)
			local fails=0
			while read -r q t; do
				dig +cd +time=10 +tries=1 @"$addr" -p "$CP" "$q" "$t" >"$DIR/cold.dig" 2>&1 || fails=$((fails + 1))
				grep -q 'status: SERVFAIL' "$DIR/cold.dig" && fails=$((fails + 1))
			done <"$DIR/cold.txt"
			end=$(date +%s.%N)
			T[$name]="${T[$name]:-} $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
			FAILS[$name]=$fails
			echo "cold round $round: $name ${T[$name]##* } s, $fails SERVFAIL/timeouts" >&2
			stop "$pid"
		done
	done
	testbed/down "$TB_DIR" >/dev/null 2>&1
	TB_DIR=""
	exec 9>&-
	local wm um r
	wm=$(tr ' ' '\n' <<<"${T[ward]}" | grep . | median)
	um=$(tr ' ' '\n' <<<"${T[unbound]}" | grep . | median)
	r=$(ratio "$wm" "$um")
	{
		echo
		echo "Cold cache: the testbed (testbed/up), every catalogue name ($n) asked"
		echo "once, one after another (dig +cd), to a freshly started resolver"
		echo "recursing from the testbed root; wall time for the whole list. Neither"
		echo "validates (ward's daemon has no validator yet; Unbound"
		echo "\`module-config: iterator\`); the broken-DNSSEC cases are still ordinary"
		echo "zones to resolve. 3 rounds, each with fresh processes. Source: bench/resolver.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | seconds (median of 3) | every round | SERVFAIL or timeouts (last round) |"
		echo "|---|---|---|---|"
		echo "| ward | $wm |${T[ward]} | ${FAILS[ward]} |"
		echo "| Unbound | $um |${T[unbound]} | ${FAILS[unbound]} |"
		echo
		echo "ward / Unbound: $r (target <= 1: $(met "$r" 1 le))."
	} >"$DIR/cold.md"
	doc_section "Resolver: cold cache on the testbed" "$DIR/cold.md"
}

# ---------------------------------------------------------------- (d)
# CPU seconds (utime + stime) a process has used so far
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"; }

bench_dnssec_throughput() {
	local hot="$DIR/hot-signed.txt" r name out qps
	awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d.signednet A\n", i }' >"$hot"
	declare -A PID QPS AD
	# both validate signednet. from the same DS (its own trust anchor)
	PID[ward]=$(WARD_EXTRA="dnssec
trust-anchor-file=$DIR/signednet.ds" start_wardd)
	PID[unbound]=$(UNBOUND_MODULES="validator iterator" UNBOUND_EXTRA="  trust-anchor-file: \"$DIR/signednet.ds\"" start_unbound)
	PIDS+=("${PID[ward]}" "${PID[unbound]}")
	declare -A ADDR=([ward]=$W [unbound]=$U)
	for name in ward unbound; do
		wait_dns "${ADDR[$name]}" "$PORT" || exit 1
		perf "${ADDR[$name]}" "$hot" -n 2 -q 50 -D >/dev/null     # warm-up: validate and cache
		# the answers must be validated: AD on a cached name
		AD[$name]=$(dig +dnssec +time=2 +tries=1 @"${ADDR[$name]}" -p "$PORT" n7.signednet A |
			awk '/^;; flags:/ { print (/ ad[ ;]/) ? "AD" : "no AD" }')
		echo "dnssec throughput: $name answers n7.signednet with ${AD[$name]}" >&2
	done
	for r in $(seq "$ROUNDS"); do
		for name in ward unbound; do
			out=$(perf "${ADDR[$name]}" "$hot" -l "$SECONDS_PER" -q 100 -D)
			qps=$(printf "%.0f" "${out%% *}")
			QPS[$name]="${QPS[$name]:-} $qps"
			echo "dnssec throughput round $r: $name $out (qps completed sent)" >&2
		done
	done
	# CPU time of the resolver process per query (perf stat task-clock,
	# as the throughput section; /proc ticks when perf is missing)
	declare -A CPU
	for name in ward unbound; do
		local c0 c1 done_q
		c0=$(cpu_s "${PID[$name]}")
		if command -v perf >/dev/null; then
			command perf stat -x, -e task-clock -p "${PID[$name]}" -o "$DIR/stat.$name" -- \
				dnsperf -s "${ADDR[$name]}" -p "$PORT" -d "$hot" -c 1 -T 1 -q 100 -n 20 -D >"$DIR/perf.out" 2>&1
		else
			dnsperf -s "${ADDR[$name]}" -p "$PORT" -d "$hot" -c 1 -T 1 -q 100 -n 20 -D >"$DIR/perf.out" 2>&1
		fi
		c1=$(cpu_s "${PID[$name]}")
		done_q=$(awk '/Queries completed:/ { print $3 }' "$DIR/perf.out")
		if [ -s "$DIR/stat.$name" ]; then
			CPU[$name]=$(awk -F, -v n="$done_q" '/task-clock/ { ms = $1 }
				END { if (n > 0 && ms > 0) printf "%.2f", ms * 1000 / n; else print "n/a" }' "$DIR/stat.$name")
		else
			CPU[$name]=$(awk -v a="$c0" -v b="$c1" -v n="$done_q" 'BEGIN { if (n > 0 && b > a) printf "%.2f", (b - a) * 1e6 / n; else print "n/a" }')
		fi
		echo "dnssec CPU per query: $name ${CPU[$name]} us" >&2
	done
	for name in ward unbound; do stop "${PID[$name]}"; done
	local wm um wb ub ru rc
	wm=$(tr ' ' '\n' <<<"${QPS[ward]}" | grep . | median)
	um=$(tr ' ' '\n' <<<"${QPS[unbound]}" | grep . | median)
	wb=$(tr ' ' '\n' <<<"${QPS[ward]}" | grep . | sort -n | tail -n 1)
	ub=$(tr ' ' '\n' <<<"${QPS[unbound]}" | grep . | sort -n | tail -n 1)
	ru=$(ratio "$wm" "$um") rc=$(ratio "${CPU[unbound]}" "${CPU[ward]}")
	{
		echo
		echo "Cache hits of validated answers, DO=1: wardd (\`dnssec\`,"
		echo "\`trust-anchor-file=\`) and Unbound (\`module-config: \"validator"
		echo "iterator\"\`, \`trust-anchor-file:\`, one thread) forward to the same"
		echo "loopback NSD serving signednet. (1000 A names, signed at the start of"
		echo "the run with one ECDSAP256SHA256 key by ldns-signzone, NSEC), with"
		echo "that zone's DS as their trust anchor. A warm-up pass validates and"
		echo "caches the 1000 names, then \`dnsperf -D -c 1 -T 1 -q 100 -l $SECONDS_PER\`"
		echo "asks them (DO=1: every answer carries its RRSIG and AD), one resolver"
		echo "after the other, $ROUNDS rounds interleaved. CPU per query: the resolver"
		echo "process's CPU time (perf stat task-clock) over 20 passes of the list."
		echo "Source: bench/resolver.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | AD on a cached name | queries/s (median of $ROUNDS) | best round | every round | CPU µs per query |"
		echo "|---|---|---|---|---|---|"
		echo "| ward | ${AD[ward]} | $wm | $wb |${QPS[ward]} | ${CPU[ward]} |"
		echo "| Unbound | ${AD[unbound]} | $um | $ub |${QPS[unbound]} | ${CPU[unbound]} |"
		echo
		echo "| ratio | value | target | |"
		echo "|---|---|---|---|"
		echo "| ward / Unbound queries/s (medians) | $ru | >= 1.2 | $(met "$ru" 1.2 ge) |"
		echo "| Unbound / ward CPU per query | $rc | >= 1.2 | $(met "$rc" 1.2 ge) |"
	} >"$DIR/dnssec-throughput.md"
	doc_section "Resolver: validated cache hits (DO=1)" "$DIR/dnssec-throughput.md"
}

# ---------------------------------------------------------------- (e)
bench_dnssec_cold() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench/resolver.sh: dnssec-cold: the testbed needs root; skipped" >&2
		return 0
	fi
	exec 9>/tmp/ward-testbed.lock
	flock -w 900 9 || { echo "bench/resolver.sh: no testbed lock" >&2; return 1; }
	TB_DIR="$DIR/tb"
	local env_out
	env_out=$(testbed/up "$TB_DIR" 2>"$DIR/testbed.err") || { tail "$DIR/testbed.err"; return 1; }
	eval "$env_out"
	local CW=127.0.80.20 CU=127.0.80.21 CP=5420
	awk -F'\t' '!/^#/ && NF > 2 { print $2, $3 }' "$WARD_TB_CATALOGUE" >"$DIR/cold.txt"
	local n
	n=$(wc -l <"$DIR/cold.txt")
	cat >"$DIR/vcold-unbound.conf" <<UEOF
server:
  interface: $CU
  port: $CP
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$DIR"
  pidfile: ""
  logfile: "$DIR/vcold-unbound.log"
  use-syslog: no
  verbosity: 0
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  root-hints: "$WARD_TB_ROOT_HINTS"
  trust-anchor-file: "$WARD_TB_ANCHOR"
  module-config: "validator iterator"
  infra-cache-max-rtt: 3000
  discard-timeout: 0
  prefetch: no
remote-control:
  control-enable: no
UEOF
	declare -A T CPU FAILS ADS
	local round name pid addr start end
	for round in 1 2 3; do
		for name in ward unbound; do
			if [ $name = ward ]; then
				"$WARDD" --keep-in-foreground --conf-file=/dev/null --port="$CP" --listen-address="$CW" \
					--bind-interfaces --no-resolv --no-hosts --root-hints="$WARD_TB_ROOT_HINTS" \
					--dnssec --trust-anchor-file="$WARD_TB_ANCHOR" \
					--pid-file= --user= --log-facility="$DIR/vcold-wardd.log" >"$DIR/vcold-wardd.out" 2>&1 &
				pid=$! addr=$CW
			else
				unbound -d -c "$DIR/vcold-unbound.conf" >"$DIR/vcold-unbound.out" 2>&1 &
				pid=$! addr=$CU
			fi
			PIDS+=("$pid")
			for _ in $(seq 100); do
				python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.settimeout(0.2); s.connect((sys.argv[1], int(sys.argv[2])))' "$addr" "$CP" 2>/dev/null && break
				sleep 0.1
			done
			local c0 c1 fails=0 ads=0
			c0=$(cpu_s "$pid")
			start=$(date +%s.%N)
			while read -r q t; do
				dig +dnssec +time=10 +tries=1 @"$addr" -p "$CP" "$q" "$t" >"$DIR/cold.dig" 2>&1 || fails=$((fails + 1))
				grep -q 'status: SERVFAIL' "$DIR/cold.dig" && fails=$((fails + 1))
				grep -q '^;; flags:.* ad[ ;]' "$DIR/cold.dig" && ads=$((ads + 1))
			done <"$DIR/cold.txt"
			end=$(date +%s.%N)
			c1=$(cpu_s "$pid")
			T[$name]="${T[$name]:-} $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
			CPU[$name]="${CPU[$name]:-} $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')"
			FAILS[$name]=$fails ADS[$name]=$ads
			echo "dnssec cold round $round: $name ${T[$name]##* } s wall, ${CPU[$name]##* } s CPU, $ads AD, $fails SERVFAIL/timeouts" >&2
			stop "$pid"
		done
	done
	testbed/down "$TB_DIR" >/dev/null 2>&1
	TB_DIR=""
	exec 9>&-
	local wm um wc uc r rc
	wm=$(tr ' ' '\n' <<<"${T[ward]}" | grep . | median)
	um=$(tr ' ' '\n' <<<"${T[unbound]}" | grep . | median)
	wc=$(tr ' ' '\n' <<<"${CPU[ward]}" | grep . | median)
	uc=$(tr ' ' '\n' <<<"${CPU[unbound]}" | grep . | median)
	r=$(ratio "$wm" "$um") rc=$(ratio "$wc" "$uc")
	{
		echo
		echo "Cold cache, validating: the testbed (testbed/up), every catalogue name"
		echo "($n) asked once with \`dig +dnssec\` (no CD: the broken cases are"
		echo "validated and answered SERVFAIL), one after another, to a freshly"
		echo "started resolver recursing from the testbed root with the testbed's"
		echo "root DS as trust anchor: wardd \`--dnssec --trust-anchor-file=\`,"
		echo "Unbound \`module-config: \"validator iterator\"\` with the same anchor"
		echo "file. CPU: utime + stime of the resolver process for the whole list"
		echo "(/proc/PID/stat, clock ticks); wall: the whole list. 3 rounds, each"
		echo "with fresh processes. Source: bench/resolver.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_rows
		echo
		echo "| resolver | CPU seconds (median of 3) | every round | wall seconds (median) | every round | answers with AD | SERVFAIL or timeouts (last round) |"
		echo "|---|---|---|---|---|---|---|"
		echo "| ward | $wc |${CPU[ward]} | $wm |${T[ward]} | ${ADS[ward]} | ${FAILS[ward]} |"
		echo "| Unbound | $uc |${CPU[unbound]} | $um |${T[unbound]} | ${ADS[unbound]} | ${FAILS[unbound]} |"
		echo
		echo "ward / Unbound CPU: $rc (target <= 1: $(met "$rc" 1 le)); wall: $r."
		echo "CPU times are counted in clock ticks (10 ms): the totals are small."
	} >"$DIR/dnssec-cold.md"
	doc_section "Resolver: validated cold cache on the testbed" "$DIR/dnssec-cold.md"
}

if want throughput || want instructions || want memory || want dnssec-throughput; then
	start_nsd
fi
want throughput && bench_throughput
want instructions && bench_instructions
want memory && bench_memory
want cold && bench_cold
want dnssec-throughput && bench_dnssec_throughput
want dnssec-cold && bench_dnssec_cold
exit 0
