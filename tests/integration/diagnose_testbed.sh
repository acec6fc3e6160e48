#!/bin/bash
# tests/integration/diagnose_testbed.sh: ward diagnose on the testbed.
#  1. Every catalogue case, live through the testbed Unbound (--server,
#     queries with CD=1): the catalogue's verdict and EDE code, and the
#     verdict delv (BIND's validating lookup tool) gives with the same
#     anchor, for secure/insecure/bogus (DELV_DIFF lists the deliberate
#     differences, each with its reason).
#  2. --graph: a valid SVG for every case; the bogus ones have red edges.
#  3. Offline: three cases captured with testbed/capture, diagnosed with
#     --pcap: the same verdict as live.
# Runs the testbed under /tmp/ward-testbed.lock (wardd_lib.sh).
. "$(dirname "$0")/wardd_lib.sh"

for tool in delv dot; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool is not installed"
		exit 77
	fi
done
wl_testbed

# delv: the testbed's root DS as a static-ds trust anchor
awk '$4 == "DS" { printf "trust-anchors { \"%s\" static-ds %s %s %s \"%s\"; };\n", $1, $5, $6, $7, $8 }' \
	"$WARD_TB_ANCHOR" >"$WL_DIR/delv.anchor"

# Deliberate differences from delv (case=delv's verdict), with the reason
# (docs/toolkit.md, "ward diagnose"):
#  optout-nxdomain: an NXDOMAIN whose next-closer NSEC3 has opt-out set
#    cannot prove the name absent (RFC 5155 12.2: an unsigned delegation
#    may be there): the catalogue, Unbound and Knot Resolver say insecure;
#    BIND's delv calls the negative response fully validated.
declare -A DELV_DIFF=([optout-nxdomain]=secure)

worker() { # case qname qtype
	local c=$1 q=$2 t=$3 j dv # $4: the catalogue verdict
	j=$("$WARD" diagnose "$q" "$t" --server "$WARD_TB_UNBOUND" \
		--anchor "$WARD_TB_ANCHOR" --json --graph "$WL_DIR/$c.svg" 2>"$WL_DIR/$c.err")
	echo "$j" >"$WL_DIR/$c.json"
	if [ "$4" = indeterminate ]; then # not compared: no time spent on it
		echo skipped >"$WL_DIR/$c.delv"
		return
	fi
	dv=$(timeout 10 delv @"$WARD_TB_UNBOUND" -a "$WL_DIR/delv.anchor" +root=. "$q" "$t" 2>&1)
	# one line per RRset of a CNAME chain: one unsigned link makes it insecure
	if echo "$dv" | grep -q 'unsigned answer'; then
		dv=insecure
	elif echo "$dv" | grep -q '^; fully validated\|^; negative response, fully validated'; then
		dv=secure
	elif echo "$dv" | grep -q 'resolution failed'; then
		dv=bogus # delv validates itself (CD=1): a failure is its verdict
	else
		dv="other($(echo "$dv" | head -n 1 | tr -s ' \t' ' '))"
	fi
	echo "$dv" >"$WL_DIR/$c.delv"
}
export -f worker
export WARD WARD_TB_UNBOUND WARD_TB_ANCHOR WL_DIR

awk -F'\t' '!/^#/ && NF >= 7 { print $1, $2, $3, $4 }' "$WARD_TB_CATALOGUE" >"$WL_DIR/cases"
xargs -P 8 -L 1 bash -c 'worker "$@"' _ <"$WL_DIR/cases"

n=0
vbad=0
dbad=0
gbad=0
while IFS=$'\t' read -r c q t verdict rcode ad ede rest; do
	[[ $c == \#* || -z $c ]] && continue
	n=$((n + 1))
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], "-" if d["ede"] is None else d["ede"])' "$WL_DIR/$c.json" 2>/dev/null)
	if [ "$got" != "$verdict $ede" ]; then
		vbad=$((vbad + 1))
		echo "FAIL $c: catalogue $verdict $ede, ward diagnose '$got' $(head -c 300 "$WL_DIR/$c.err")"
	fi
	dv=$(cat "$WL_DIR/$c.delv")
	if [ "$verdict" != indeterminate ] && [ "$dv" != "${got%% *}" ]; then
		if [ "${DELV_DIFF[$c]:-}" = "$dv" ]; then
			echo "ok   $c: delv says $dv (a known difference)"
		else
			dbad=$((dbad + 1))
			echo "FAIL $c: delv says $dv, ward diagnose ${got%% *}"
		fi
	fi
	svg=$WL_DIR/$c.svg
	if ! python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); assert d.documentElement.tagName == "svg"' "$svg" 2>/dev/null; then
		gbad=$((gbad + 1))
		echo "FAIL $c: --graph wrote no valid SVG"
	elif [ "$verdict" = bogus ] && ! grep -q 'stroke="red"' "$svg"; then
		gbad=$((gbad + 1))
		echo "FAIL $c: bogus, but the picture has no red edge"
	elif [ "$verdict" = secure ] && grep -q 'stroke="red"' "$svg"; then
		gbad=$((gbad + 1))
		echo "FAIL $c: secure, but the picture has a red edge"
	fi
done <"$WARD_TB_CATALOGUE"
check "$n catalogue cases: verdict and EDE as the catalogue says ($vbad wrong)" [ "$vbad" -eq 0 ]
check "$n catalogue cases: delv agrees on secure/insecure/bogus ($dbad disagree)" [ "$dbad" -eq 0 ]
check "$n catalogue cases: --graph draws a valid SVG, red edges exactly where bogus ($gbad wrong)" [ "$gbad" -eq 0 ]
check "at least 60 cases checked" [ "$n" -ge 60 ]

# offline: capture three resolutions now, diagnose them from the capture
for c in sig-expired ds-mismatch nsec3-insecure; do
	read -r _ q t _ < <(grep "^$c " "$WL_DIR/cases")
	live=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$WL_DIR/$c.json" 2>/dev/null)
	if ! testbed/capture "$q" "$t" "$WL_DIR/$c.pcap" "$WARD_TB_DIR" >"$WL_DIR/$c.cap.log" 2>&1; then
		check "$c: testbed/capture made a capture" false
		continue
	fi
	off=$("$WARD" diagnose "$q" "$t" --pcap "$WL_DIR/$c.pcap" --anchor "$WARD_TB_ANCHOR" --json 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])' 2>/dev/null)
	check "$c: --pcap gives the live verdict ($live, offline: $off)" test -n "$live" -a "$off" = "$live"
done
wl_finish
