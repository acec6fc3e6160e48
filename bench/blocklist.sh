# shellcheck shell=bash disable=SC2016  # backquotes in single quotes are Markdown
# bench/run's blocklist benchmark (sourced by bench/run, which provides
# MAKE, BUILD, OUT, DOC, machine_info, doc_section; also runnable alone:
# bash bench/blocklist.sh [--entries N] [--seconds N] [--rounds N] [--no-doc]).
#
# One generated list of BL_ENTRIES (1 000 000) names, loaded the same way
# by every server, side by side in one run:
#   wardd     blocklist=FILE (domain per line), blocklist-mode=nxdomain
#   dnsmasq   the same names as address=/name/ lines (NXDOMAIN)
#   unbound   the same names as local-zone: "name." always_nxdomain
# and, for memory only, the hosts form: wardd blocklist=HOSTS (0.0.0.0
# lines) against dnsmasq addn-hosts=HOSTS.
# Measured: seconds until the first answer (load), resident memory per
# name (VmRSS of the loaded server minus the same server without a list,
# divided by the names), queries/s for blocked names (dnsperf, one client
# thread, names of the list and names below them), and wardd with the
# list against wardd without it for names that are not listed (cache
# hits from a loopback upstream: the price of the lookup on every query).
# Ratios are taken within one run; timings are never asserted.
BL_ENTRIES=${BL_ENTRIES:-1000000}
BL_SECONDS=${BL_SECONDS:-5}     # dnsperf -l per server per round
BL_ROUNDS=${BL_ROUNDS:-3}

bl_free_port() {
	python3 - <<'PY'
import random, socket
# below the kernel's ephemeral range: no outgoing socket takes it meanwhile
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(500):
    p = random.randrange(10000, lo)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", p))
        u.close(); t.close(); print(p); break
    except OSError:
        pass
PY
}

bl_stop() { # pid
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2>/dev/null
}

bl_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# wait for an answer to name at 127.0.0.1#port (at most 600 s); prints
# the seconds it took since start (date +%s.%N)
bl_wait() { # port name start pid
	for _ in $(seq 1 3000); do
		if dig +time=1 +tries=1 @127.0.0.1 -p "$1" "$2" A >/dev/null 2>&1; then
			awk -v s="$3" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
			return 0
		fi
		kill -0 "$4" 2>/dev/null || break
		sleep 0.2
	done
	echo "n/a"
	return 1
}

bl_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# dnsperf against 127.0.0.1#port: "queries/s cpu-us-per-query", the CPU
# time (user + system) the server's process used per completed query
bl_perf() { # port file pid
	local t0 t1
	t0=$(bl_cpu_ticks "$3")
	dnsperf -s 127.0.0.1 -p "$1" -d "$2" -c 1 -T 1 -l "$BL_SECONDS" >"$BL_DIR/perf.out" 2>&1
	t1=$(bl_cpu_ticks "$3")
	awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" '
		/Queries per second:/ { qps = $4 }
		/Queries completed:/ { done = $3 }
		END { printf "%.0f %.2f\n", qps, (done > 0) ? t * 1000000 / hz / done : 0 }' "$BL_DIR/perf.out"
}

bl_median() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
bl_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
bl_per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }'; }

bl_wardd() { # name port options...: starts wardd, prints its pid
	local name=$1 port=$2
	shift 2
	"$WARDD_BIN" --keep-in-foreground --conf-file=/dev/null --port="$port" \
		--listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
		--pid-file= --user= --log-facility="$BL_DIR/$name.log" "$@" \
		>"$BL_DIR/$name.out" 2>&1 &
	echo $!
}
bl_dnsmasq() { # name port options...
	local name=$1 port=$2
	shift 2
	dnsmasq --keep-in-foreground --conf-file=/dev/null --port="$port" \
		--listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
		--pid-file= --user=root --log-facility="$BL_DIR/$name.log" "$@" \
		>"$BL_DIR/$name.out" 2>&1 &
	echo $!
}
bl_unbound() { # name port [local-zone file]
	local name=$1 port=$2 zones=${3:-}
	{
		printf 'server:\n  interface: 127.0.0.1\n  port: %s\n  do-ip6: no\n' "$port"
		printf '  do-daemonize: no\n  username: ""\n  chroot: ""\n  directory: "%s"\n' "$BL_DIR"
		printf '  pidfile: ""\n  logfile: "%s/%s.log"\n  use-syslog: no\n' "$BL_DIR" "$name"
		printf '  num-threads: 1\n  so-reuseport: no\n  access-control: 127.0.0.0/8 allow\n'
		printf '  module-config: "iterator"\n  do-not-query-localhost: no\n'
		[ -n "$zones" ] && printf '  include: "%s"\n' "$zones"
		printf 'forward-zone:\n  name: "."\n  forward-addr: 127.0.0.1@%s\n' "$BL_UP_PORT"
		printf 'remote-control:\n  control-enable: no\n'
	} >"$BL_DIR/$name.conf"
	unbound -d -c "$BL_DIR/$name.conf" >"$BL_DIR/$name.out" 2>&1 &
	echo $!
}

bench_blocklist() {
	local -
	set +e   # a peer that fails is reported as n/a, not the end of bench/run
	echo "== blocklist: $BL_ENTRIES names, wardd vs dnsmasq vs unbound"
	local t
	for t in dnsmasq unbound dnsperf dig python3; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "   skipped: $t is not installed"
			return 0
		fi
	done
	"$MAKE" -s bin/wardd
	WARDD_BIN=$PWD/bin/wardd
	BL_DIR=$(mktemp -d /tmp/ward-bench-bl.XXXXXX)
	chmod 755 "$BL_DIR"
	local n=$BL_ENTRIES
	BL_PIDS=()
	trap bl_cleanup EXIT
	bench_blocklist_body "$n"
	bl_cleanup
	trap - EXIT
}

bl_cleanup() {
	local p
	for p in "${BL_PIDS[@]}"; do bl_stop "$p"; done
	BL_PIDS=()
	[ -n "${BL_DIR:-}" ] && [ -z "${WARD_KEEP:-}" ] && rm -rf "$BL_DIR"
}

bench_blocklist_body() {
	local n=$1

	# the list: names of 3..5 labels, 20..32 octets, as ad lists have
	awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
		printf "%s%d.%s%d.%s\n", (i % 3 ? "ads" : "t"), i, (i % 2 ? "track" : "cdn"),
			i % 997, (i % 5 ? "example.test" : "metrics.example.test") }' >"$BL_DIR/list.txt"
	awk '{ print "0.0.0.0 " $1 }' "$BL_DIR/list.txt" >"$BL_DIR/hosts.txt"
	awk '{ print "address=/" $1 "/" }' "$BL_DIR/list.txt" >"$BL_DIR/dnsmasq.conf"
	awk '{ print "  local-zone: \"" $1 ".\" always_nxdomain" }' "$BL_DIR/list.txt" \
		>"$BL_DIR/zones.conf"
	# blocked queries: listed names and names below them, spread over the list
	awk -v n="$n" 'NR % int(n / 10000 + 1) == 0 { print (NR % 2 ? "www." : "") $1 " A" }' \
		"$BL_DIR/list.txt" >"$BL_DIR/q_blocked.txt"
	local probe
	probe=$(head -n 1 "$BL_DIR/list.txt")
	# unlisted names, answered by a loopback upstream, then from the cache
	BL_UP_PORT=$(bl_free_port)
	BL_PIDS+=("$(bl_dnsmasq up "$BL_UP_PORT" --address=/pass.test/192.0.2.1 --local-ttl=3600)")
	awk 'BEGIN { for (i = 0; i < 1000; i++) printf "n%d.pass.test A\n", i }' >"$BL_DIR/q_pass.txt"

	# start everything; load time = first answer
	local pw pd pu pwh pdh pw0 pd0 pu0
	local ww wd wu wwh wdh w0 d0 u0
	local lw ld lu lwh ldh
	local start
	start=$(date +%s.%N); pw=$(bl_free_port)
	ww=$(bl_wardd w "$pw" --cache-size=10000 --blocklist="$BL_DIR/list.txt" --blocklist-mode=nxdomain --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$ww")
	lw=$(bl_wait "$pw" "$probe" "$start" "$ww")
	start=$(date +%s.%N); pd=$(bl_free_port)
	wd=$(bl_dnsmasq d "$pd" --conf-file="$BL_DIR/dnsmasq.conf" --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$wd")
	ld=$(bl_wait "$pd" "$probe" "$start" "$wd")
	start=$(date +%s.%N); pu=$(bl_free_port)
	wu=$(bl_unbound u "$pu" "$BL_DIR/zones.conf"); BL_PIDS+=("$wu")
	lu=$(bl_wait "$pu" "$probe" "$start" "$wu")
	start=$(date +%s.%N); pwh=$(bl_free_port)
	wwh=$(bl_wardd wh "$pwh" --blocklist="$BL_DIR/hosts.txt" --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$wwh")
	lwh=$(bl_wait "$pwh" "$probe" "$start" "$wwh")
	start=$(date +%s.%N); pdh=$(bl_free_port)
	wdh=$(bl_dnsmasq dh "$pdh" --addn-hosts="$BL_DIR/hosts.txt" --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$wdh")
	ldh=$(bl_wait "$pdh" "$probe" "$start" "$wdh")
	# the same servers without a list (the memory baseline; wp0 the
	# throughput baseline for unlisted names)
	pw0=$(bl_free_port); w0=$(bl_wardd w0 "$pw0" --cache-size=10000 --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$w0")
	pd0=$(bl_free_port); d0=$(bl_dnsmasq d0 "$pd0" --server=127.0.0.1#"$BL_UP_PORT"); BL_PIDS+=("$d0")
	pu0=$(bl_free_port); u0=$(bl_unbound u0 "$pu0"); BL_PIDS+=("$u0")
	bl_wait "$pw0" "$probe" "$(date +%s.%N)" "$w0" >/dev/null
	bl_wait "$pd0" "$probe" "$(date +%s.%N)" "$d0" >/dev/null
	bl_wait "$pu0" "$probe" "$(date +%s.%N)" "$u0" >/dev/null
	echo "   load: wardd ${lw}s, dnsmasq ${ld}s, unbound ${lu}s; hosts form: wardd ${lwh}s, dnsmasq ${ldh}s"

	local mw md mu mwh mdh
	mw=$(bl_per "$(bl_rss_kb "$ww")" "$(bl_rss_kb "$w0")" "$n")
	md=$(bl_per "$(bl_rss_kb "$wd")" "$(bl_rss_kb "$d0")" "$n")
	mu=$(bl_per "$(bl_rss_kb "$wu")" "$(bl_rss_kb "$u0")" "$n")
	mwh=$(bl_per "$(bl_rss_kb "$wwh")" "$(bl_rss_kb "$w0")" "$n")
	mdh=$(bl_per "$(bl_rss_kb "$wdh")" "$(bl_rss_kb "$d0")" "$n")
	echo "   bytes per name: wardd $mw, dnsmasq $md, unbound $mu; hosts form: wardd $mwh, dnsmasq $mdh"

	# warm the caches of the two wardd for the unlisted names
	dnsperf -s 127.0.0.1 -p "$pw" -d "$BL_DIR/q_pass.txt" -c 1 -T 1 -n 1 >/dev/null 2>&1
	dnsperf -s 127.0.0.1 -p "$pw0" -d "$BL_DIR/q_pass.txt" -c 1 -T 1 -n 1 >/dev/null 2>&1
	local r out
	local qw="" qd="" qu="" qp="" qp0="" cw="" cd="" cu="" cp="" cp0=""
	for r in $(seq 1 "$BL_ROUNDS"); do
		out=$(bl_perf "$pw" "$BL_DIR/q_blocked.txt" "$ww"); qw="$qw ${out% *}"; cw="$cw ${out#* }"
		out=$(bl_perf "$pd" "$BL_DIR/q_blocked.txt" "$wd"); qd="$qd ${out% *}"; cd="$cd ${out#* }"
		out=$(bl_perf "$pu" "$BL_DIR/q_blocked.txt" "$wu"); qu="$qu ${out% *}"; cu="$cu ${out#* }"
		out=$(bl_perf "$pw" "$BL_DIR/q_pass.txt" "$ww"); qp="$qp ${out% *}"; cp="$cp ${out#* }"
		out=$(bl_perf "$pw0" "$BL_DIR/q_pass.txt" "$w0"); qp0="$qp0 ${out% *}"; cp0="$cp0 ${out#* }"
		echo "   round $r: blocked q/s (CPU us/query) wardd ${qw##* } (${cw##* }), dnsmasq ${qd##* } (${cd##* }), unbound ${qu##* } (${cu##* }); unlisted: wardd+list ${qp##* } (${cp##* }), wardd ${qp0##* } (${cp0##* })"
	done
	med() { echo "$1" | tr ' ' '\n' | grep . | bl_median; }
	local mqw mqd mqu mqp mqp0 mcw mcd mcu mcp mcp0
	mqw=$(med "$qw"); mqd=$(med "$qd"); mqu=$(med "$qu"); mqp=$(med "$qp"); mqp0=$(med "$qp0")
	mcw=$(med "$cw"); mcd=$(med "$cd"); mcu=$(med "$cu"); mcp=$(med "$cp"); mcp0=$(med "$cp0")
	local nq
	nq=$(wc -l <"$BL_DIR/q_blocked.txt")
	[ "$DOC" = 1 ] || return 0

	local body
	body=$(mktemp)
	{
		echo "## Blocklists: $n names"
		echo
		echo "One generated list of $n names (3 to 5 labels, 20 to 32 octets, as ad"
		echo "lists have), loaded the same way by each server, all running side by"
		echo "side in one run: wardd \`blocklist=FILE\` (a name per line: the name and"
		echo "below) with \`blocklist-mode=nxdomain\`, dnsmasq with the names as"
		echo "\`address=/name/\` lines, Unbound with \`local-zone: \"name.\" always_nxdomain\`;"
		echo "for memory also the hosts form (\`0.0.0.0 name\`): wardd \`blocklist=\`"
		echo "against dnsmasq \`addn-hosts=\`. Memory: VmRSS of the loaded server"
		echo "minus the same server started without a list, per name. Blocked q/s:"
		echo "dnsperf, one client thread, $nq queries (listed names and names below"
		echo "them), $BL_SECONDS s per server per round, $BL_ROUNDS rounds interleaved,"
		echo "median. Unlisted q/s: wardd with the list against wardd without it,"
		echo "1000 unlisted names answered from the cache (the lookup every query"
		echo "pays). Source: bench/blocklist.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_info
		echo "| load average | $(cut -d' ' -f1-3 /proc/loadavg) at the end |"
		echo
		echo "| server | load (s) | bytes per name | blocked q/s (median) | CPU µs per blocked query (median) |"
		echo "|---|---:|---:|---:|---:|"
		echo "| wardd | $lw | $mw | $mqw | $mcw |"
		echo "| dnsmasq (address=) | $ld | $md | $mqd | $mcd |"
		echo "| unbound (local-zone) | $lu | $mu | $mqu | $mcu |"
		echo "| wardd, hosts form | $lwh | $mwh | | |"
		echo "| dnsmasq, addn-hosts | $ldh | $mdh | | |"
		echo
		echo "| ratio | memory per name | CPU per blocked query | q/s |"
		echo "|---|---:|---:|---:|"
		echo "| wardd / dnsmasq | $(bl_ratio "$mw" "$md") | $(bl_ratio "$mcw" "$mcd") | $(bl_ratio "$mqw" "$mqd") |"
		echo "| wardd / unbound | $(bl_ratio "$mw" "$mu") | $(bl_ratio "$mcw" "$mcu") | $(bl_ratio "$mqw" "$mqu") |"
		echo "| wardd / dnsmasq, hosts form | $(bl_ratio "$mwh" "$mdh") | | |"
		echo
		echo "Lower is better for memory and CPU. Unlisted names from the cache:"
		echo "wardd with the list $mqp q/s, $mcp CPU µs per query; without it"
		echo "$mqp0 q/s, $mcp0 CPU µs per query: CPU ratio $(bl_ratio "$mcp" "$mcp0")"
		echo "(1.00: the lookup in $n names costs nothing measurable per query)."
		echo "The machine's two CPUs are shared with other jobs: queries/s move"
		echo "with its load; the CPU time per query much less."
	} >"$body"
	doc_section "Blocklists: $n names" "$body"
	rm -f "$body"
	echo "   wrote the Blocklists section of $DOCFILE"
}

# run alone: the parts bench/run provides
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	cd "$(dirname "$0")/.." || exit 2
	MAKE=${MAKE:-make}
	DOC=1
	DOCFILE=docs/benchmarks.md
	while [ $# -gt 0 ]; do
		case "$1" in
		--entries) BL_ENTRIES=$2; shift 2 ;;
		--seconds) BL_SECONDS=$2; shift 2 ;;
		--rounds) BL_ROUNDS=$2; shift 2 ;;
		--no-doc) DOC=0; shift ;;
		*) echo "bench/blocklist.sh: unknown option $1" >&2; exit 2 ;;
		esac
	done
	machine_info() {
		local cpu
		cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
		echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
		echo "| machine | $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr) |"
		echo "| versions | wardd $(git rev-parse --short HEAD 2>/dev/null), $(dnsmasq --version | head -n 1 | awk '{ print "dnsmasq", $3 }'), unbound $(unbound -V 2>/dev/null | awk '/^Version/ { print $2 }') |"
	}
	doc_section() { # title body: replace (or append) the section
		local title=$1 body=$2 tmp
		tmp=$(mktemp)
		awk -v title="## $title" -v body="$body" '
			function emit() { while ((getline line < body) > 0) print line; close(body); done = 1 }
			$0 == title { skip = 1; emit(); next }
			skip && /^## / { skip = 0 }
			!skip { print }
			END { if (!done) { print ""; emit() } }
		' "$DOCFILE" >"$tmp"
		mv "$tmp" "$DOCFILE"
	}
	bench_blocklist
fi
