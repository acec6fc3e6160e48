# shellcheck shell=bash disable=SC2016  # backquotes in single quotes are Markdown
# bench/run's DHCP benchmark (sourced by bench/run, which provides MAKE,
# BUILD, OUT, DOC, machine_info, doc_section). kea's perfdhcp runs DORA
# exchanges against wardd, dnsmasq (and kea-dhcp4 with its memfile backend
# when installed) in the netns DHCP lab (testbed/dhcp-lab), one after the
# other, same range, same offered rate; then wardd again with 10 000 and
# 100 000 leases already in its lease file. Needs root, perfdhcp (Debian:
# kea-admin) and dnsmasq; skipped with a message otherwise. Holds
# /tmp/ward-dhcplab.lock. Every server is stopped by pid; every run is
# bounded by `timeout`.
DHCP_RATES=${DHCP_RATES:-"2000 20000"} # offered exchanges/s, one run each
DHCP_SECONDS=${DHCP_SECONDS:-5}    # perfdhcp -p

# perfdhcp against the server already running; prints "acks exchanges/s"
dhcp_perf_run() { # client-ns rate
	local ns=$1 log=$OUT/perfdhcp.$RANDOM.log acks
	ip netns exec "$ns" timeout $((DHCP_SECONDS + 20)) perfdhcp -4 -l eth0 \
		-r "$2" -R 1000000 -p "$DHCP_SECONDS" 10.48.0.1 >"$log" 2>&1
	# the received packets of the REQUEST-ACK block
	acks=$(awk '/REQUEST-ACK/ {r = 1} r && /received packets/ {print $3; exit}' "$log")
	echo "${acks:-0} $(( ${acks:-0} / DHCP_SECONDS ))"
}

dhcp_wait67() { # ns pid
	for _ in $(seq 1 100); do
		ip netns exec "$1" ss -Hlun 'sport = :67' 2>/dev/null | grep -q . && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

dhcp_stop() { # pid
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$1" 2>/dev/null
}

# n leases in dnsmasq's format, outside perfdhcp's MACs (02:aa:...), on
# every 10th address of the range (spread as hashed allocation spreads them)
dhcp_preload() { # file n
	awk -v n="$2" -v ex="$(($(date +%s) + 86400))" 'BEGIN {
		for (i = 0; i < n; i++) {
			a = 256 + 10 * i   # offset in 10.48.0.0/12, from 10.48.1.0
			printf "%d 02:aa:00:%02x:%02x:%02x 10.%d.%d.%d * *\n", ex,
				int(i / 65536) % 256, int(i / 256) % 256, i % 256,
				48 + int(a / 65536), int(a / 256) % 256, a % 256
		} }' >"$1"
}

bench_dhcp() {
	echo "== dhcp: perfdhcp DORA against wardd, dnsmasq (kea-dhcp4)"
	if [ "$(id -u)" -ne 0 ] || ! command -v perfdhcp >/dev/null 2>&1 ||
		! command -v dnsmasq >/dev/null 2>&1; then
		echo "   skipped: needs root, perfdhcp (kea-admin) and dnsmasq"
		return 0
	fi
	"$MAKE" -s bin/wardd
	exec 8>/tmp/ward-dhcplab.lock
	flock -w 600 8 || { echo "   skipped: DHCP lab lock busy"; return 0; }
	local lab=$PWD/testbed/dhcp-lab tag="bench$$" dir srv cns pid r
	dir=$(mktemp -d "${TMPDIR:-/tmp}/wardlab-bench.XXXXXX")
	local labenv
	if ! labenv=$("$lab" --tag "$tag" --dir "$dir" up --clients 1); then
		echo "   skipped: dhcp-lab up failed"
		rm -rf "$dir"
		exec 8>&-
		return 0
	fi
	srv=$(sed -n 's/^WARD_LAB_SERVER_NS=//p' <<<"$labenv")
	cns=$(sed -n 's/^WARD_LAB_CLIENTS=//p' <<<"$labenv")
	local sif
	sif=$(sed -n 's/^WARD_LAB_SERVER_IF=//p' <<<"$labenv")
	# a /12 for the benchmark next to the lab's /24: perfdhcp acts as a relay
	# (giaddr 10.48.0.2), the server answers on 10.48.0.1
	ip -n "$srv" addr add 10.48.0.1/12 dev "$sif"
	ip -n "$cns" addr add 10.48.0.2/12 dev eth0
	local range="10.48.1.0,10.63.255.254,255.240.0.0,12h"
	local log=$OUT/dhcp.log
	: >"$log"
	run_server() { # name n-preloaded rate command...
		local name=$1 n=$2 rate=$3
		shift 3
		rm -f "$dir/srv/leases" "$dir/srv/leases.journal"
		[ "$n" -gt 0 ] && dhcp_preload "$dir/srv/leases" "$n"
		pid=$(ip netns exec "$srv" bash -c '"$@" >/dev/null 2>&1 & echo $!' _ "$@")
		if ! dhcp_wait67 "$srv" "$pid"; then
			echo "   $name did not start"
			dhcp_stop "$pid"
			echo "RESULT ${name}_n${n}_r$rate 0" >>"$log"
			return
		fi
		r=$(dhcp_perf_run "$cns" "$rate")
		dhcp_stop "$pid"
		cp "$dir/srv/$name.log" "$OUT/dhcp-$name-$n-$rate.log" 2>/dev/null || true
		echo "   $name ($n leases before): ${r#* } exchanges/s (${r% *} ACKs in ${DHCP_SECONDS} s, offered $rate/s)"
		echo "RESULT ${name}_n${n}_r$rate ${r#* }" >>"$log"
	}
	local wardd_cmd=("$PWD/bin/wardd" --keep-in-foreground --conf-file=/dev/null
		--port=0 --log-facility="$dir/srv/ward.log" --user= --pid-file=
		--interface="$sif" --dhcp-range="$range" --dhcp-lease-max=2000000
		--dhcp-leasefile="$dir/srv/leases")
	local dnsmasq_cmd=(dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0
		--log-facility="$dir/srv/dnsmasq.log" --interface="$sif" --bind-interfaces
		--dhcp-range="$range" --dhcp-lease-max=2000000
		--dhcp-leasefile="$dir/srv/leases" --pid-file="$dir/srv/dnsmasq.pid")
	local kea=0 rate top=0
	if command -v kea-dhcp4 >/dev/null 2>&1; then
		kea=1
		cat >"$dir/kea.json" <<KEA
{ "Dhcp4": { "interfaces-config": { "interfaces": [ "$sif" ] },
  "lease-database": { "type": "memfile", "persist": true, "name": "$dir/srv/kea.leases" },
  "valid-lifetime": 43200,
  "subnet4": [ { "id": 1, "subnet": "10.48.0.0/12", "pools": [ { "pool": "10.48.1.0 - 10.63.255.254" } ] } ] } }
KEA
	fi
	for rate in $DHCP_RATES; do
		[ "$rate" -gt "$top" ] && top=$rate
		run_server ward 0 "$rate" "${wardd_cmd[@]}"
		run_server dnsmasq 0 "$rate" "${dnsmasq_cmd[@]}"
		run_server dnsmasq_noping 0 "$rate" "${dnsmasq_cmd[@]}" --no-ping
		# kea writes its pid and lock files under /run/kea unless told
		[ $kea = 1 ] && run_server kea 0 "$rate" env KEA_PIDFILE_DIR="$dir" \
			KEA_LOCKFILE_DIR="$dir" KEA_LOGGER_DESTINATION="$dir/srv/kea.log" \
			kea-dhcp4 -c "$dir/kea.json"
	done
	run_server ward 100 "$top" "${wardd_cmd[@]}"
	run_server ward 10000 "$top" "${wardd_cmd[@]}"
	run_server ward 100000 "$top" "${wardd_cmd[@]}"
	"$lab" --tag "$tag" --dir "$dir" down >/dev/null 2>&1
	rm -rf "$dir"
	exec 8>&-
	[ "$DOC" = 1 ] || return 0
	local body
	res() { sed -n "s/^RESULT $1 //p" "$log"; }
	body=$(mktemp)
	{
		echo "## DHCP"
		echo
		echo "Four-way exchanges (DISCOVER, OFFER, REQUEST, ACK) per second that"
		echo "kea's perfdhcp completed against each server in the netns DHCP lab"
		echo "(testbed/dhcp-lab: veth pairs and a bridge), perfdhcp acting as a"
		echo "relay (giaddr), one server at a time, same /12 range, same offered"
		echo "rate. Each server as it ships: **wardd** with its lease file"
		echo "(every lease fdatasync'd before its ACK, group commit: the changes"
		echo "of up to 64 messages per write and fdatasync, on a worker thread while"
		echo "the next batch fills), **dnsmasq** (rewrites its"
		echo "lease file per change; pings an address before offering it),"
		echo "**kea-dhcp4** memfile when installed (no fsync). Source: bench/dhcp.sh."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_info
		echo "| run | perfdhcp -r RATE -p $DHCP_SECONDS, clients simulated: 1 000 000 |"
		echo
		echo "| offered/s | wardd | dnsmasq | dnsmasq no-ping | wardd / dnsmasq no-ping |$([ $kea = 1 ] && echo " kea-dhcp4 (memfile) | wardd / kea |")"
		echo "|---:|---:|---:|---:|---:|$([ $kea = 1 ] && echo "---:|---:|")"
		for rate in $DHCP_RATES; do
			local w d k
			w=$(res "ward_n0_r$rate")
			d=$(res "dnsmasq_noping_n0_r$rate")
			k=$(res "kea_n0_r$rate")
			echo "| $rate | $w | $(res "dnsmasq_n0_r$rate") | $d | $(awk -v w="$w" -v d="$d" 'BEGIN { if (d > 0) printf "%.1f×", w / d; else print "dnsmasq: 0" }') |$([ $kea = 1 ] && echo " $k | $(awk -v w="$w" -v k="$k" 'BEGIN { if (k > 0) printf "%.2f×", w / k; else print "kea: 0" }') |")"
		done
		echo
		echo "wardd at $top/s offered with leases already in its file:"
		echo
		echo "| leases before | exchanges/s |"
		echo "|---:|---:|"
		echo "| 0 | $(res "ward_n0_r$top") |"
		echo "| 100 | $(res "ward_n100_r$top") |"
		echo "| 10000 | $(res "ward_n10000_r$top") |"
		echo "| 100000 | $(res "ward_n100000_r$top") |"
		echo
		echo "Spread over 100, 10 000 and 100 000 leases (target: within 20%): $(awk -v a="$(res "ward_n100_r$top")" -v b="$(res "ward_n10000_r$top")" -v c="$(res "ward_n100000_r$top")" 'BEGIN {
			lo = a; hi = a; if (b < lo) lo = b; if (c < lo) lo = c; if (b > hi) hi = b; if (c > hi) hi = c
			if (hi > 0) printf "slowest %.0f%% below the fastest", 100 * (hi - lo) / hi; else print "n/a" }')."
		echo
		echo "dnsmasq as it ships pings each address before offering it; under"
		echo "perfdhcp's load (simulated clients that answer no ping) its log shows"
		echo "one DHCPOFFER every 3–4 s and perfdhcp completed no exchange. The"
		echo "no-ping column (\`--no-ping\`) is its DHCP path without that wait."
		[ $kea = 1 ] || echo "kea-dhcp4 was not installed for this run (only perfdhcp, from kea-admin)."
		[ $kea = 1 ] && echo 'kea-dhcp4 is 2.2 (Debian 12), single-threaded as it ships; memfile with `persist` (each lease written to its CSV file, never fsynced). A separate run with `persist: false` (memory only) gave about the same rate in this lab (1 903/s at 20 000/s offered, 2026-11-27): its rate here is not its lease file'"'"'s cost. The issue quotes about 14 700/s for the Kea memfile rate measured elsewhere; in this lab, with perfdhcp relaying through veth pairs and a bridge as it does for every server here, Kea completed about 2 000/s at any offered rate.'
		echo "The machine is shared (2 CPUs, other jobs running): compare within"
		echo "one run."
	} >"$body"
	doc_section "DHCP" "$body"
	rm -f "$body"
	echo "   wrote the DHCP section of $DOCFILE"
}
