# shellcheck shell=bash disable=SC2016  # backquotes in single quotes are Markdown
# bench/run's lease benchmark (sourced by bench/run, which provides CC,
# CFLAGS_BENCH, MAKE, BUILD, OUT, DOC, machine_info, result, doc_section).
# Cost of one durable lease change: ward's journal append + fdatasync (and
# group commit) against a rewrite of the whole file per change as dnsmasq
# does it (bench/lease.c), at 100, 10 000 and 100 000 leases.
bench_lease() {
	echo "== leases: journal append vs whole-file rewrite"
	"$MAKE" -s "$BUILD/lib/libwardstore.a" "$BUILD/lib/libwarddhcp.a" "$BUILD/lib/libwardcodec.a"
	# shellcheck disable=SC2086
	$CC $CFLAGS_BENCH -o "$OUT/lease" bench/lease.c "$BUILD/lib/libwardstore.a" \
		"$BUILD/lib/libwarddhcp.a" "$BUILD/lib/libwardcodec.a"
	local log="$OUT/lease.log" fs
	"$OUT/lease" --dir "$OUT" --seconds "${LEASE_SECONDS:-2}" | tee "$log" | grep -v '^RESULT'
	[ "$DOC" = 1 ] || return 0
	fs=$(findmnt -n -o FSTYPE -T "$OUT" 2>/dev/null || stat -f -c %T "$OUT" 2>/dev/null || echo unknown)
	local body n
	body=$(mktemp)
	{
		echo "## Leases"
		echo
		echo "Cost of making one lease change durable (a renewal of a random lease,"
		echo "on disk before the next change starts), with N leases in the file."
		echo '**ward**: `lease_store_append`, one journal record written and'
		echo "fdatasync'd (compactions included when due, as wardd runs them);"
		echo '**ward, group commit**: 64 changes staged, one `lease_store_commit`'
		echo "(one fdatasync for the 64); **rewrite**: the whole set written as"
		echo "dnsmasq's lease file, truncated + written + fsync'd per change, the way"
		echo "dnsmasq's lease_update_file works — a model of that strategy in"
		echo "bench/lease.c (same text, same syscalls), not dnsmasq itself. Source:"
		echo "bench/lease.c."
		echo
		echo "| | |"
		echo "|---|---|"
		machine_info
		echo "| file system | $fs ($OUT) |"
		echo "| time per measurement | ${LEASE_SECONDS:-2} s per method and size, in 5 slices with the methods interleaved; the median slice |"
		echo
		echo "| leases | file KiB | ward changes/s | compactions | ward group commit changes/s | rewrite changes/s | ward / rewrite |"
		echo "|---:|---:|---:|---:|---:|---:|---:|"
		for n in 100 10000 100000; do
			echo "| $n | $(result "n${n}_file_kb" "$log") | $(result "n${n}_ward" "$log") | $(result "n${n}_compactions" "$log") | $(result "n${n}_batch" "$log") | $(result "n${n}_rewrite" "$log") | $(result "n${n}_ratio" "$log") |"
		done
		echo
		echo "ward's cost per change does not depend on N: one record, one"
		echo "fdatasync, and the O(N) compaction once per more than 4×N changes"
		echo "(LEASE_STORE_COMPACT_RATIO). The rewrite's cost grows with N. Absolute"
		echo "rates follow the disk's fsync latency and the machine's load: compare"
		echo "within a row."
	} >"$body"
	doc_section "Leases" "$body"
	rm -f "$body"
	echo "   wrote the Leases section of $DOCFILE"
}
